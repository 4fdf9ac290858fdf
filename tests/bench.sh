#!/usr/bin/env bash
# The conversation core's throughput benchmark, in one run (a measurement, not a test):
#   1. starts a throwaway PostgreSQL on a free loopback port and measures, with pgbench, how many
#      single-row INSERT transactions per second it commits durably (synchronous_commit=on): the
#      cost of "one durable commit per message", the baseline group commit has to beat;
#   2. builds the host and tests/SocialCrm.LoadTest in Release;
#   3. starts the service on SQLite, runs `inbound` and `append-cost`, stops it;
#   4. starts it on the same PostgreSQL, runs both again, stops it;
#   5. prints one table. Everything it started is stopped on exit, whatever happens.
#
# usage: tests/bench.sh [--connections 64] [--conversations 2000] [--seconds 20] [--warmup 60]
#                       [--messages 10000] [--pgbench-clients 16] [--pgbench-seconds 20]
#                       [--backends "sqlite postgres"] [--no-build] [--keep]
# Each option also reads from the environment: BENCH_CONNECTIONS, BENCH_CONVERSATIONS, ...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

connections="${BENCH_CONNECTIONS:-64}"
conversations="${BENCH_CONVERSATIONS:-2000}"
seconds="${BENCH_SECONDS:-20}"
# The service runs at its steady speed only once the JIT has recompiled its hot paths (tiered
# compilation), which on two busy cores takes most of a minute: warm up that long before measuring.
warmup="${BENCH_WARMUP:-60}"
messages="${BENCH_MESSAGES:-10000}"
pgbench_clients="${BENCH_PGBENCH_CLIENTS:-16}"
pgbench_seconds="${BENCH_PGBENCH_SECONDS:-20}"
backends="${BENCH_BACKENDS:-sqlite postgres}"
build=1
keep=0

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) connections="$2"; shift 2 ;;
    --conversations) conversations="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --messages) messages="$2"; shift 2 ;;
    --pgbench-clients) pgbench_clients="$2"; shift 2 ;;
    --pgbench-seconds) pgbench_seconds="$2"; shift 2 ;;
    --backends) backends="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

work="$(mktemp -d /tmp/socialcrm-bench.XXXXXX)"
pg_bin=""
pg_dir="$work/pg"
service_pid=""
bootstrap_key="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
host_dir="$root/src/SocialCrm.Host/bin/Release/net10.0"
bench_dll="$root/tests/SocialCrm.LoadTest/bin/Release/net10.0/SocialCrm.LoadTest.dll"

source "$root/tests/bench-common.sh"

# The figures are only as good as the machine is quiet: say how busy it was when the run began.
read -r load1 _ < /proc/loadavg
echo "Load average at start: $load1 on $(nproc) cores$(awk -v l="$load1" -v c="$(nproc)" 'BEGIN { if (l > c / 2) print " (busy: other work will skew the figures)" }')"

# --- 1. PostgreSQL and the pgbench baseline -------------------------------------------------------
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL is not installed (apt-get install postgresql)." >&2
  exit 1
fi
mkdir -p "$pg_dir"
if [ "$(id -u)" = "0" ]; then chmod 711 "$work" && chown postgres "$pg_dir"; fi
pg_port="$(free_port)"
as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; exit 1; }
# Durability on, as shipped: every commit waits for its WAL flush.
as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on -c synchronous_commit=on" \
  start >/dev/null || { cat "$pg_dir/server.log" >&2; exit 1; }
psql_at() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" "${@:2}"; }
echo "Throwaway PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port" \
     "(synchronous_commit=$(psql_at postgres -Atc 'SHOW synchronous_commit'), fsync=$(psql_at postgres -Atc 'SHOW fsync'))"
psql_at postgres -c "CREATE DATABASE pgbench_commit" -c "CREATE DATABASE socialcrm"
pg_connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=socialcrm"
psql_at pgbench_commit -c "CREATE TABLE inbound_messages (
    id bigserial PRIMARY KEY, conversation_id int NOT NULL, body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now())"
cat >"$work/insert-one.sql" <<'SQL'
\set conversation random(1, 2000)
INSERT INTO inbound_messages (conversation_id, body) VALUES (:conversation, 'Hi! My order still has not arrived, could you tell me where it is?');
SQL
echo "pgbench: one single-row INSERT per transaction, -c $pgbench_clients -j 2 -T $pgbench_seconds ..."
"$pg_bin/pgbench" -n -M prepared -f "$work/insert-one.sql" -c "$pgbench_clients" -j 2 -T "$pgbench_seconds" \
  -h 127.0.0.1 -p "$pg_port" -U postgres pgbench_commit >"$work/pgbench.log" 2>&1 || { cat "$work/pgbench.log" >&2; exit 1; }
pgbench_tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/pgbench.log" | tail -n 1 | awk '{ printf "%.1f", $1 }')"
grep -E '^(number of transactions actually processed|latency average|tps)' "$work/pgbench.log" | sed 's/^/  /'

# --- 2. Release builds ----------------------------------------------------------------------------
if [ "$build" = 1 ]; then
  echo "Building the host and the benchmark (Release)..."
  dotnet build -c Release -v q -nologo "$root/src/SocialCrm.Host/SocialCrm.Host.csproj" >"$work/build-host.log" 2>&1 \
    || { tail -n 30 "$work/build-host.log" >&2; exit 1; }
  dotnet build -c Release -v q -nologo "$root/tests/SocialCrm.LoadTest/SocialCrm.LoadTest.csproj" >"$work/build-bench.log" 2>&1 \
    || { tail -n 30 "$work/build-bench.log" >&2; exit 1; }
fi

for built in "$host_dir/SocialCrm.Host.dll" "$bench_dll"; do
  [ -f "$built" ] || { echo "$built is missing: run without --no-build." >&2; exit 1; }
done

# --- 2b. The HTTP ceiling: a bare endpoint that only binds the same JSON and answers 202 ------------
echo
echo "== bare endpoint (the HTTP ceiling) =="
dotnet "$bench_dll" bare --connections "$connections" --conversations "$conversations" --seconds "$seconds" --warmup "$warmup" \
  | tee "$work/bare.txt" || true
bare_msgs="$(field msgs_per_s "$work/bare.txt")"

# --- 3/4. The service on each backend --------------------------------------------------------------

bench() { dotnet "$bench_dll" "$@" --url "$service_url" --bootstrap-key "$bootstrap_key" --server-pid "$service_pid"; }

failed=0
for backend in $backends; do
  echo
  echo "== $backend =="
  start_service "$backend"
  bench inbound --connections "$connections" --conversations "$conversations" --seconds "$seconds" --warmup "$warmup" \
    | tee "$work/inbound-$backend.txt" || failed=1
  # Latency at half the maximum rate just measured (the conversations exist by now: no first contact).
  half="$(awk -v m="$(field msgs_per_s "$work/inbound-$backend.txt")" 'BEGIN { printf "%d", m / 2 }')"
  if [ "${half:-0}" -gt 0 ]; then
    # The service is warm by now: a short warm-up only lets the pacing settle.
    bench inbound --connections "$connections" --conversations "$conversations" --seconds "$seconds" --warmup 5 \
      --first-contact 0 --rate "$half" | tee "$work/half-$backend.txt" || failed=1
  fi
  bench append-cost --messages "$messages" | tee "$work/append-$backend.txt" || failed=1
  stop_service
done

# --- 5. The table ----------------------------------------------------------------------------------
echo
echo "Conversation core, inbound over HTTP: $connections connections, $conversations conversations, ${seconds} s measured" \
     "after ${warmup} s warm-up; pgbench: 1 INSERT per transaction, -c $pgbench_clients -j 2 -T $pgbench_seconds;" \
     "$(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')"
printf '%-9s %10s %9s %9s %12s %15s %10s %12s %14s %13s %13s %13s\n' backend msgs/s p50_ms p99_ms pgbench_tps 'msgs/s÷pgbench' bare_req/s 'msgs/s÷bare' 'p99_ms@half' first_msgs/s append_ratio verification
for backend in $backends; do
  inbound="$work/inbound-$backend.txt"; append="$work/append-$backend.txt"; halfrun="$work/half-$backend.txt"
  msgs="$(field msgs_per_s "$inbound")"
  ratio="$(awk -v a="${msgs:-0}" -v b="${pgbench_tps:-0}" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }')"
  bare_ratio="$(awk -v a="${msgs:-0}" -v b="${bare_msgs:-0}" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }')"
  half_p99="n/a"; [ -f "$halfrun" ] && half_p99="$(field p99_ms "$halfrun")@$(field msgs_per_s "$halfrun")"
  verdict="$(field verification "$inbound")/$(field verification "$append")"
  printf '%-9s %10s %9s %9s %12s %15s %10s %12s %14s %13s %13s %13s\n' "$backend" "${msgs:-n/a}" "$(field p50_ms "$inbound")" \
    "$(field p99_ms "$inbound")" "${pgbench_tps:-n/a}" "$ratio" "${bare_msgs:-n/a}" "$bare_ratio" "$half_p99" \
    "$(field first_contact_msgs_per_s "$inbound")" "$(field ratio "$append")" "$verdict"
done
echo "(bare_req/s: the load tool's bare mode, an ASP.NET Core endpoint that only binds the same JSON and answers 202;" \
     "p99_ms@half: ack p99 with the connections paced to half the measured maximum, at the rate achieved)"
echo "(msgs/s, p50, p99: appends to existing conversations in the measured window; first_msgs/s: each conversation's first message," \
     "which also creates its customer and identity)"
echo "(append_ratio: median ack latency of the last $(( messages < 100 ? messages : 100 )) appends to one conversation ÷ that of messages 10..109; 1.0 means no growth)"
exit "$failed"
