#!/usr/bin/env bash
# Runs every test. Starts a throwaway PostgreSQL on a free loopback port when SOCIALCRM_TEST_POSTGRES
# is not set, runs `dotnet test`, stops the server, and prints the plain line "N passed, N failed".
# SQL Server suites run only when SOCIALCRM_TEST_SQLSERVER holds a connection string.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="${SOCIALCRM_TEST_RESULTS:-$root/TestResults}"
rm -rf "$results" && mkdir -p "$results"
pg_dir=""

stop_postgres() {
  if [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  fi
  [ -n "$pg_dir" ] && rm -rf "$pg_dir"
}
trap stop_postgres EXIT

as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

# The web console's browser tests drive Debian's Chromium (Playwright cannot download its own here).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium from Debian's packages..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true
fi

if [ -z "${SOCIALCRM_TEST_POSTGRES:-}" ]; then
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$pg_bin" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing PostgreSQL from Debian's packages..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || true
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  fi
  if [ -z "$pg_bin" ]; then
    echo "PostgreSQL is not installed (apt-get install postgresql) and SOCIALCRM_TEST_POSTGRES is not set." >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  pg_dir="$(mktemp -d /tmp/socialcrm-pg.XXXXXX)"
  [ "$(id -u)" = "0" ] && chown postgres "$pg_dir"
  port="$(free_port)"
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; echo "0 passed, 1 failed"; exit 1; }
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null \
    || { cat "$pg_dir/server.log" >&2; echo "0 passed, 1 failed"; exit 1; }
  export SOCIALCRM_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "Throwaway PostgreSQL on 127.0.0.1:$port"
fi

cd "$root"
dotnet test SocialCrm.Orleans.sln --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

# Count outcomes from the TRX files (the plain summary line is what CI reads).
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  # Only the tests' own results: the run's summary element carries an outcome too.
  passed=$((passed + $(grep -o '<UnitTestResult [^>]*outcome="Passed"' "$trx" | wc -l)))
  failed=$((failed + $(grep -o '<UnitTestResult [^>]*outcome="Failed"' "$trx" | wc -l)))
  skipped=$((skipped + $(grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" | wc -l)))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a build or run failure counts
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
