#!/usr/bin/env bash
# Privacy and bot-webhook benchmarks, in one run (a measurement, not a test):
#   1. builds the host and tests/SocialCrm.LoadTest in Release;
#   2. starts the service on SQLite in a temporary data folder (Webhooks__AllowPrivateNetworks=true, so
#      it may deliver to the tool's loopback receiver), and runs, in this order:
#        privacy         one customer with conversations x messages-per-conversation messages: export and erasure times
#        webhooks        inbound load for --seconds over --connections; delivery rate and ack->delivery latency
#        consent-report  --customers seeded into the database, the marketing report streamed as CSV and JSON,
#                        the service's memory sampled meanwhile (last: it leaves a million customers behind)
#      then stops it;
#   3. with --backends "sqlite postgres", does the same on a throwaway PostgreSQL on a free loopback port;
#   4. prints the tables. Everything it started is stopped on exit, whatever happens.
#
# usage: tests/bench-privacy-webhooks.sh [--conversations 100] [--messages-per-conversation 100] [--customers 1000000]
#            [--connections 16] [--seconds 20] [--webhook-conversations 200] [--backends sqlite]
#            [--modes "privacy webhooks consent-report"] [--no-build] [--keep]
# Each option also reads from the environment: BENCH_CONVERSATIONS, BENCH_MESSAGES_PER_CONVERSATION, ...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

conversations="${BENCH_CONVERSATIONS:-100}"
messages_per_conversation="${BENCH_MESSAGES_PER_CONVERSATION:-100}"
customers="${BENCH_CUSTOMERS:-1000000}"
connections="${BENCH_CONNECTIONS:-16}"
seconds="${BENCH_SECONDS:-20}"
webhook_conversations="${BENCH_WEBHOOK_CONVERSATIONS:-200}"
backends="${BENCH_BACKENDS:-sqlite}"
modes="${BENCH_MODES:-privacy webhooks consent-report}"
build=1
keep=0

usage() { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --conversations) conversations="$2"; shift 2 ;;
    --messages-per-conversation) messages_per_conversation="$2"; shift 2 ;;
    --customers) customers="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --webhook-conversations) webhook_conversations="$2"; shift 2 ;;
    --backends) backends="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
for backend in $backends; do
  case "$backend" in sqlite|postgres) ;; *) echo "Unknown backend $backend (sqlite, postgres)." >&2; exit 2 ;; esac
done
for mode in $modes; do
  case "$mode" in privacy|webhooks|consent-report) ;; *) echo "Unknown mode $mode (privacy, webhooks, consent-report)." >&2; exit 2 ;; esac
done

work="$(mktemp -d /tmp/socialcrm-bench-pw.XXXXXX)"
pg_bin=""
pg_dir="$work/pg"
pg_port=""
service_pid=""
bootstrap_key="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
host_dir="$root/src/SocialCrm.Host/bin/Release/net10.0"
bench_dll="$root/tests/SocialCrm.LoadTest/bin/Release/net10.0/SocialCrm.LoadTest.dll"

source "$root/tests/bench-common.sh"
# A field, or n/a when the mode did not run or did not print it.
value() { local v; v="$(field "$1" "$2")"; echo "${v:-n/a}"; }

read -r load1 _ < /proc/loadavg
echo "Load average at start: $load1 on $(nproc) cores$(awk -v l="$load1" -v c="$(nproc)" 'BEGIN { if (l > c / 2) print " (busy: other work will skew the figures)" }')"

# --- PostgreSQL, only when asked for ---------------------------------------------------------------
if [[ " $backends " == *" postgres "* ]]; then
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
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on -c synchronous_commit=on" \
    start >/dev/null || { cat "$pg_dir/server.log" >&2; exit 1; }
  "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE socialcrm"
  echo "Throwaway PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
fi
pg_connection() { echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=socialcrm"; }

# --- Release builds --------------------------------------------------------------------------------
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

# --- The service on each backend -------------------------------------------------------------------
start_service() {
  local backend="$1" http_port silo_port gateway_port
  http_port="$(free_port)"; silo_port="$(free_port)"; gateway_port="$(free_port)"
  local -a storage=(Storage__Provider=sqlite "Storage__DataDirectory=$work/sqlite-data")
  if [ "$backend" = postgres ]; then
    storage=(Storage__Provider=postgres "Storage__ConnectionString=$(pg_connection)")
  fi
  service_url="http://127.0.0.1:$http_port"
  # Run from the output folder so the shipped appsettings.json (log levels) applies, as in a deployment;
  # exec, so that $! is the service's own pid (its memory is what consent-report samples).
  (cd "$host_dir" && exec env "${storage[@]}" "${unlimited[@]}" "Auth__BootstrapKey=$bootstrap_key" "ASPNETCORE_URLS=$service_url" \
     "Orleans__SiloPort=$silo_port" "Orleans__GatewayPort=$gateway_port" Webhooks__AllowPrivateNetworks=true dotnet SocialCrm.Host.dll) \
     >"$work/service-$backend.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 120); do
    if curl -sf -o /dev/null "$service_url/health/ready"; then return 0; fi
    kill -0 "$service_pid" 2>/dev/null || break
    sleep 1
  done
  echo "The service on $backend did not become ready:" >&2
  tail -n 40 "$work/service-$backend.log" >&2
  return 1
}

bench() { dotnet "$bench_dll" "$@" --url "$service_url" --bootstrap-key "$bootstrap_key" --server-pid "$service_pid"; }

failed=0
for backend in $backends; do
  echo
  echo "== $backend =="
  start_service "$backend"
  if [ "$backend" = sqlite ]; then where=(--db "$work/sqlite-data/socialcrm.db"); else where=(--postgres "$(pg_connection)"); fi
  for mode in $modes; do
    out="$work/$mode-$backend.txt"
    case "$mode" in
      privacy)
        privacy_where=()
        [ "$backend" = sqlite ] && privacy_where=("${where[@]}")
        bench privacy --conversations "$conversations" --messages-per-conversation "$messages_per_conversation" "${privacy_where[@]}" \
          | tee "$out" || failed=1 ;;
      webhooks)
        bench webhooks --connections "$connections" --seconds "$seconds" --conversations "$webhook_conversations" \
          | tee "$out" || failed=1 ;;
      consent-report)
        bench consent-report --customers "$customers" "${where[@]}" | tee "$out" || failed=1 ;;
    esac
  done
  if ! kill -0 "$service_pid" 2>/dev/null; then
    echo "The service on $backend died during the run:" >&2
    tail -n 40 "$work/service-$backend.log" >&2
    failed=1
  fi
  stop_service
done

# --- The tables ------------------------------------------------------------------------------------
echo
echo "Privacy and webhooks; $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')"
if [[ " $modes " == *" privacy "* ]]; then
  echo
  echo "Access export and erasure of one customer with $((conversations * messages_per_conversation)) messages in $conversations conversations"
  printf '%-9s %10s %12s %11s %10s %16s %10s %13s\n' backend export_s export_MiB export_msgs erase_s db_MiB_at_erase GET_after verification
  for backend in $backends; do
    f="$work/privacy-$backend.txt"
    printf '%-9s %10s %12s %11s %10s %16s %10s %13s\n' "$backend" "$(value export_s "$f")" "$(value export_mib "$f")" \
      "$(value export_messages "$f")" "$(value erase_s "$f")" "$(value db_mib_before_erase "$f")" "$(value after_profile "$f")" \
      "$(value verification "$f")"
  done
fi
if [[ " $modes " == *" consent-report "* ]]; then
  echo
  echo "Consent report, purpose=marketing, $customers customers: the service's resident memory (MiB) before and during the download"
  printf '%-9s %-6s %9s %9s %10s %14s %16s %10s %13s\n' backend format rows seconds rss_before peak_before peak_during delta verification
  for backend in $backends; do
    f="$work/consent-report-$backend.txt"
    for format in csv json; do
      printf '%-9s %-6s %9s %9s %10s %14s %16s %10s %13s\n' "$backend" "$format" "$(value ${format}_rows "$f")" "$(value ${format}_s "$f")" \
        "$(value ${format}_rss_before_mib "$f")" "$(value ${format}_hwm_before_mib "$f")" "$(value ${format}_peak_during_mib "$f")" \
        "$(value ${format}_delta_mib "$f")" "$(value verification "$f")"
    done
  done
  echo "(rss_before: VmRSS just before the download; peak_before: the process's peak (VmHWM) up to then; peak_during: VmHWM reset just" \
       "before the download and read after it, or else the highest VmRSS sample; delta: peak_during - rss_before)"
fi
if [[ " $modes " == *" webhooks "* ]]; then
  echo
  echo "Bot webhooks, message.created to a loopback receiver: $connections connections, $webhook_conversations conversations, ${seconds} s of inbound load"
  printf '%-9s %8s %10s %6s %8s %13s %9s %9s %9s %13s\n' backend acked delivered dups missing deliveries/s p50_ms p95_ms p99_ms verification
  for backend in $backends; do
    f="$work/webhooks-$backend.txt"
    printf '%-9s %8s %10s %6s %8s %13s %9s %9s %9s %13s\n' "$backend" "$(value acked "$f")" "$(value delivered "$f")" \
      "$(value duplicates "$f")" "$(value missing "$f")" "$(value deliveries_per_s "$f")" "$(value p50_ms "$f")" "$(value p95_ms "$f")" \
      "$(value p99_ms "$f")" "$(value verification "$f")"
  done
  echo "(deliveries/s: delivered ÷ time from the first message to the last delivery; latency: from the client's 202 to the receiver's arrival)"
fi
exit "$failed"
