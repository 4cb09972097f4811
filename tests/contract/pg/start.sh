#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the contract tests and writes its URL to <state-dir>/url.
#
#   start.sh <state-dir>
#
# With WEFT_TEST_PG_URL set, that server is used: its URL is written and nothing is started.
# Otherwise a fresh cluster (fsync off: the data are thrown away) listens on 127.0.0.1 at a free
# port, with database weft_test owned by a password user weft. The state directory then holds:
#   url         postgresql://weft:<password>@127.0.0.1:<port>/weft_test
#   pg_ctl.sh   pg_ctl for this cluster with its options ("pg_ctl.sh stop -m fast", "... start"),
#               so that tests can stop and restart the server
#   base        the folder holding the cluster (data/, socket/, log), removed by stop.sh
# A server left by an earlier run is stopped first. Exits non-zero with a reason when PostgreSQL
# cannot be started: the tests that need it then fail.
set -euo pipefail

die() { echo "pg/start.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: start.sh <state-dir>"
mkdir -p "$1"
state=$(cd "$1" && pwd)
url_file="$state/url"

if [ -n "${WEFT_TEST_PG_URL:-}" ]; then
  printf '%s\n' "$WEFT_TEST_PG_URL" > "$url_file"
  exit 0
fi

bin=/usr/lib/postgresql/15/bin
[ -x "$bin/postgres" ] || die "PostgreSQL 15 is not installed ($bin/postgres missing); run packaging/deps.sh"

bash "$(dirname "$0")/stop.sh" "$state"

# initdb and postgres refuse to run as root: run them as the postgres user, in a folder it owns
# and can reach (a folder under a root-only path is not reachable).
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user"
  as_pg=(runuser -u postgres --)
fi
base="$state/cluster"
mkdir -p "$base"
if [ ${#as_pg[@]} -gt 0 ]; then
  chown postgres: "$base"
  if ! "${as_pg[@]}" test -w "$base"; then
    rmdir "$base"
    base=$(mktemp -d /tmp/weft-pg.XXXXXX)
    chown postgres: "$base"
  fi
fi
printf '%s\n' "$base" > "$state/base"

data="$base/data"
socket="$base/socket"
log="$base/server.log"
"${as_pg[@]}" mkdir -p "$socket"
"${as_pg[@]}" "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C --no-sync \
  --auth-local=trust --auth-host=scram-sha-256 > "$base/initdb.log" 2>&1 \
  || die "initdb failed: $(tail -n 5 "$base/initdb.log")"

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

started=""
for _ in 1 2 3 4 5; do
  port=$(( 20000 + RANDOM % 40000 ))
  port_is_free "$port" || continue
  opts="-k $socket -h 127.0.0.1 -p $port -F -c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
  {
    echo '#!/usr/bin/env bash'
    echo "# pg_ctl for the throwaway cluster in $data (written by start.sh)."
    printf 'exec %s %q -D %q -l %q -o %q -w -t 60 "$@"\n' "${as_pg[*]}" "$bin/pg_ctl" "$data" "$log" "$opts"
  } > "$state/pg_ctl.sh"
  if bash "$state/pg_ctl.sh" start > /dev/null 2>&1; then
    started=yes
    break
  fi
done
[ -n "$started" ] || die "postgres did not start: $(tail -n 5 "$log" 2>/dev/null)"

for _ in $(seq 1 50); do
  "$bin/pg_isready" -q -h "$socket" -p "$port" && break
  sleep 0.2
done
"$bin/pg_isready" -q -h "$socket" -p "$port" || die "postgres on port $port is not ready"

password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
"${as_pg[@]}" "$bin/psql" -q -v ON_ERROR_STOP=1 -h "$socket" -p "$port" -U postgres -d postgres \
  -c "CREATE ROLE weft LOGIN PASSWORD '$password'" \
  -c "CREATE DATABASE weft_test OWNER weft" > /dev/null \
  || die "could not create the weft role and database"

printf 'postgresql://weft:%s@127.0.0.1:%s/weft_test\n' "$password" "$port" > "$url_file"
echo "pg/start.sh: PostgreSQL on 127.0.0.1:$port, data in $data"
