#!/usr/bin/env bash
# Starts Debian's PgBouncer in transaction mode (the way managed PostgreSQL is usually reached)
# on 127.0.0.1:${PGBOUNCER_PORT:-6432}, in front of the PostgreSQL server on 127.0.0.1:5432, for
# the test run through a pooler (docs/testing.md). Every database is passed through as user
# postgres (trust on this machine). Prints the pooler's base URL. Idempotent.
set -euo pipefail
port="${PGBOUNCER_PORT:-6432}"
dir="${PGBOUNCER_DIR:-/tmp/switchboard-pgbouncer}"
if pg_isready -h 127.0.0.1 -p "$port" -q 2>/dev/null; then
  echo "postgres://postgres@127.0.0.1:$port/test"
  exit 0
fi
mkdir -p "$dir"
cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=5432 user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
auth_type = any
pool_mode = transaction
max_client_conn = 2000
default_pool_size = 40
ignore_startup_parameters = extra_float_digits,options
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
# PgBouncer refuses to run as root: it drops to postgres, which must read its files.
if [ "$(id -u)" = 0 ]; then
  chown -R postgres "$dir"
  pgbouncer -d -u postgres "$dir/pgbouncer.ini"
else
  pgbouncer -d "$dir/pgbouncer.ini"
fi
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p "$port" -q && break; sleep 0.2; done
pg_isready -h 127.0.0.1 -p "$port" -q || { cat "$dir/pgbouncer.log" >&2; exit 1; }
echo "postgres://postgres@127.0.0.1:$port/test"
