#!/bin/sh
# Starts Redis with the users of redis-users.acl, each with the SHA-256 of its password from the environment:
# REDIS_MONITOR_PASSWORD, REDIS_RUNNER_PASSWORD, REDIS_GATEWAY_PASSWORD, REDIS_PRODUCER_PASSWORD. A missing or
# placeholder password stops the start. Extra arguments go to redis-server.
#   ACL_TEMPLATE (default /etc/redis/redis-users.acl), ACL_FILE (default /tmp/redis-users.acl)
set -eu
# the container's command may name the server first (redis-server --save ...): the flags are what counts
if [ "${1:-}" = redis-server ]; then
    shift
fi
template="${ACL_TEMPLATE:-/etc/redis/redis-users.acl}"
acl="${ACL_FILE:-/tmp/redis-users.acl}"
hash() {
    case "$2" in
        ''|*CHANGE-ME*|*change-me*) echo "redis-start: $1 is missing or a placeholder" >&2; exit 1 ;;
    esac
    printf '%s' "$2" | sha256sum | cut -d' ' -f1
}
monitor=$(hash REDIS_MONITOR_PASSWORD "${REDIS_MONITOR_PASSWORD:-}")
runner=$(hash REDIS_RUNNER_PASSWORD "${REDIS_RUNNER_PASSWORD:-}")
gateway=$(hash REDIS_GATEWAY_PASSWORD "${REDIS_GATEWAY_PASSWORD:-}")
producer=$(hash REDIS_PRODUCER_PASSWORD "${REDIS_PRODUCER_PASSWORD:-}")
umask 077
# an ACL file takes no comments: they are dropped here
grep -v -e '^#' -e '^[[:space:]]*$' "$template" \
    | sed -e "s/@MONITOR@/$monitor/" -e "s/@RUNNER@/$runner/" -e "s/@GATEWAY@/$gateway/" -e "s/@PRODUCER@/$producer/" > "$acl"
exec redis-server --aclfile "$acl" "$@"
