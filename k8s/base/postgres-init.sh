#!/bin/sh
# Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d): one login role per
# service, each owning its own schema, so no service connects as the superuser and none can touch the other's
# tables. The gateway has no database role at all. Passwords come from PG_MONITOR_PASSWORD and PG_RUNNER_PASSWORD.
set -eu
case "${PG_MONITOR_PASSWORD:-}${PG_RUNNER_PASSWORD:-}" in
    *CHANGE-ME*|*change-me*) echo "postgres-init: a placeholder password in PG_MONITOR_PASSWORD or PG_RUNNER_PASSWORD" >&2; exit 1 ;;
esac
: "${PG_MONITOR_PASSWORD:?PG_MONITOR_PASSWORD is required}" "${PG_RUNNER_PASSWORD:?PG_RUNNER_PASSWORD is required}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v monitor_password="$PG_MONITOR_PASSWORD" -v runner_password="$PG_RUNNER_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE monitor LOGIN PASSWORD :'monitor_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE runner LOGIN PASSWORD :'runner_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO monitor, runner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA monitor AUTHORIZATION monitor;
CREATE SCHEMA runner AUTHORIZATION runner;
-- the monitor's error group search index needs pg_trgm, which its role may not install
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA monitor;
SQL
