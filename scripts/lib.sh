# Shared functions of scripts/start.sh and scripts/test.sh. Source it; do not run it.
#
# Everything is configured by the same environment variables the services read
# (PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, REDIS_URL), with the local defaults of this project.

PG_HOST="${PG_HOST:-localhost}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
REDIS_URL="${REDIS_URL:-redis://localhost:6379}"
INSTALL_HINT="apt-get install postgresql redis-server"
# The JVM options of each service when JAVA_OPTS is not set, measured with bench/run-all.sh. The heap cap: the
# monitor ingesting 20,000 events/s kept its throughput with it, and stayed at about 400 MiB resident instead of
# about 780. The rest hands back what a burst grew: G1 collects after 10 s without a collection and then keeps
# at most 30 % of its heap free, so the monitor went from 395 MiB right after those runs to 261 MiB 20 s later
# (428 MiB kept without them). Other collectors ignore the G1 option.
DEFAULT_JAVA_OPTS="-Xmx256m -XX:G1PeriodicGCInterval=10000 -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10"

say() { printf '[monitoring] %s\n' "$*"; }
warn() { printf '[monitoring] WARNING: %s\n' "$*" >&2; }
die() { printf '[monitoring] ERROR: %s\n' "$*" >&2; exit 1; }

is_local_host() {
    case "$1" in localhost | 127.0.0.1 | ::1 | "[::1]") return 0 ;; *) return 1 ;; esac
}

require_java() {
    command -v java >/dev/null 2>&1 || die "java not found: install a JDK 17 or newer (apt-get install openjdk-17-jdk-headless)"
    local version major
    version="$(java -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')"
    major="${version%%.*}"
    [[ "$major" == 1 ]] && major="$(echo "$version" | cut -d. -f2)"
    [[ "$major" =~ ^[0-9]+$ ]] || die "cannot read the Java version from 'java -version' ($version)"
    ((major >= 17)) || die "Java $version found, Java 17 or newer is required (apt-get install openjdk-17-jdk-headless)"
    say "java $version"
}

# Host and port of REDIS_URL (redis://[user:pass@]host[:port][/db]).
redis_host() {
    local rest="${REDIS_URL#*://}"
    rest="${rest##*@}"
    rest="${rest%%/*}"
    local host="${rest%:*}"
    [[ "$rest" == *:* ]] || host="$rest"
    echo "${host:-localhost}"
}

redis_port() {
    local rest="${REDIS_URL#*://}"
    rest="${rest##*@}"
    rest="${rest%%/*}"
    [[ "$rest" == *:* ]] && echo "${rest##*:}" || echo 6379
}

# PING over a plain TCP socket, so redis-cli is not needed. A subshell, because a failed
# "exec 9<>/dev/tcp/..." would end a non-interactive shell.
redis_ping() {
    local host port
    host="$(redis_host)"
    port="$(redis_port)"
    (
        exec 9<>"/dev/tcp/$host/$port" || exit 1
        printf 'PING\r\n' >&9
        IFS= read -r -t 2 reply <&9 || exit 1
        [[ "$reply" == +PONG* || "$reply" == -NOAUTH* ]]
    ) 2>/dev/null
}

pg_ready() {
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" >/dev/null 2>&1
}

wait_for() { # seconds, command...
    local seconds="$1"
    shift
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

ensure_postgres() {
    command -v psql >/dev/null 2>&1 && command -v pg_isready >/dev/null 2>&1 \
        || die "PostgreSQL is not installed. Install it with: $INSTALL_HINT"
    if pg_ready; then
        say "PostgreSQL is running on $PG_HOST:$PG_PORT"
        return
    fi
    is_local_host "$PG_HOST" || die "PostgreSQL at $PG_HOST:$PG_PORT does not answer (PG_HOST is not local, so it is not started here)"
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ ! -d /etc/postgresql ]] || [[ -z "$(ls /etc/postgresql 2>/dev/null)" ]]; then
        die "PostgreSQL does not answer on $PG_HOST:$PG_PORT and no local cluster is installed. Install it with: $INSTALL_HINT"
    fi
    local version
    version="$(ls /etc/postgresql)"
    say "PostgreSQL is stopped: pg_ctlcluster --skip-systemctl-redirect $version main start"
    pg_ctlcluster --skip-systemctl-redirect $version main start \
        || die "could not start PostgreSQL (as root: pg_ctlcluster --skip-systemctl-redirect $version main start)"
    wait_for 30 pg_ready || die "PostgreSQL did not accept connections within 30 s (see /var/log/postgresql/)"
    say "PostgreSQL started on $PG_HOST:$PG_PORT"
}

ensure_redis() {
    if redis_ping; then
        say "Redis is running on $(redis_host):$(redis_port)"
        return
    fi
    is_local_host "$(redis_host)" || die "Redis at $REDIS_URL does not answer (not local, so it is not started here)"
    command -v redis-server >/dev/null 2>&1 \
        || die "Redis is not installed. Install it with: $INSTALL_HINT"
    say "Redis is stopped: starting redis-server on 127.0.0.1:6379"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log \
        || die "could not start redis-server (see /var/log/redis/ci.log)"
    wait_for 15 redis_ping || die "Redis did not answer PING within 15 s (see /var/log/redis/ci.log)"
    say "Redis started on 127.0.0.1:6379"
}

psql_admin() {
    PGPASSWORD="${PG_PASSWORD:-}" psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres "$@"
}

# Creates database $1 when missing (owned by PG_USER).
ensure_database() {
    local name="$1"
    [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "unexpected database name '$name'"
    local exists
    exists="$(psql_admin -At -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" \
        || die "cannot connect to PostgreSQL at $PG_HOST:$PG_PORT as $PG_USER (set PG_USER / PG_PASSWORD)"
    if [[ "$exists" == 1 ]]; then
        say "database $name exists"
    else
        psql_admin -c "CREATE DATABASE \"$name\"" || die "could not create database $name"
        say "database $name created"
    fi
}

# The dashboard's browser tests drive Debian's chromium.
ensure_chromium() {
    if [[ -x /usr/bin/chromium ]]; then
        return
    fi
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        say "installing chromium for the dashboard's browser tests: apt-get update && apt-get install -y chromium"
        if apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; then
            return
        fi
        warn "could not install chromium; the dashboard's browser tests will fail"
    else
        warn "/usr/bin/chromium is missing; the dashboard's browser tests need it: sudo apt-get install chromium"
    fi
}
