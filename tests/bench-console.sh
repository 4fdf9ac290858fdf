#!/usr/bin/env bash
# The web console's speed, as a person meets it (a measurement, not a test):
#   1. builds the host and tests/SocialCrm.LoadTest in Release;
#   2. starts the service on each backend (SQLite; PostgreSQL in a throwaway server on a free port);
#   3. runs the load tool's console mode: seeds a brand of --conversations conversations and one
#      conversation of --long-messages messages, then drives the console in Debian's Chromium: inbox
#      and conversation render times, and the latency from an API ack to the row at the top of an open inbox;
#   4. prints one table. Everything it started is stopped on exit.
#
# usage: tests/bench-console.sh [--conversations 100000] [--long-messages 10000] [--samples 10]
#                               [--live-samples 50] [--backends "sqlite postgres"] [--no-build] [--keep]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
conversations=100000; long_messages=10000; samples=10; live_samples=50; backends="sqlite postgres"; build=1; keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --conversations) conversations="$2"; shift 2 ;;
    --long-messages) long_messages="$2"; shift 2 ;;
    --samples) samples="$2"; shift 2 ;;
    --live-samples) live_samples="$2"; shift 2 ;;
    --backends) backends="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option $1" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d /tmp/socialcrm-console-bench.XXXXXX)"
pg_bin=""; pg_dir="$work/pg"; service_pid=""
bootstrap_key="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
host_dir="$root/src/SocialCrm.Host/bin/Release/net10.0"
bench_dll="$root/tests/SocialCrm.LoadTest/bin/Release/net10.0/SocialCrm.LoadTest.dll"
source "$root/tests/bench-common.sh"
command -v chromium >/dev/null || { echo "Chromium is not installed (apt-get install -y chromium)." >&2; exit 1; }

read -r load1 _ < /proc/loadavg
echo "Load average at start: $load1 on $(nproc) cores"

if [ "$build" = 1 ]; then
  echo "Building the host and the load tool (Release)..."
  dotnet build -c Release -v q -nologo "$root/src/SocialCrm.Host/SocialCrm.Host.csproj" >"$work/build-host.log" 2>&1 \
    || { tail -n 30 "$work/build-host.log" >&2; exit 1; }
  dotnet build -c Release -v q -nologo "$root/tests/SocialCrm.LoadTest/SocialCrm.LoadTest.csproj" >"$work/build-bench.log" 2>&1 \
    || { tail -n 30 "$work/build-bench.log" >&2; exit 1; }
fi


failed=0
for backend in $backends; do
  echo; echo "== $backend =="
  if [ "$backend" = postgres ] && [ -z "$pg_bin" ]; then start_postgres; fi
  start_service "$backend"
  target=(--db "$work/sqlite-data/socialcrm.db")
  [ "$backend" = postgres ] && target=(--postgres "$pg_connection")
  dotnet "$bench_dll" console --url "$service_url" --bootstrap-key "$bootstrap_key" "${target[@]}" \
    --conversations "$conversations" --long-messages "$long_messages" --samples "$samples" --live-samples "$live_samples" \
    | tee "$work/console-$backend.txt" || failed=1
  stop_service
done

echo
echo "Web console in Chromium: $conversations conversations, one of $long_messages messages; $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M') UTC"
printf '%-9s %15s %18s %18s %17s %20s %20s %13s %13s\n' backend inbox_api_p50 inbox_render_p50 inbox_render_p95 conv_api_p50 conv_render_p50 conv_render_p95 live_p50 live_p95
for backend in $backends; do
  f="$work/console-$backend.txt"
  printf '%-9s %15s %18s %18s %17s %20s %20s %13s %13s\n' "$backend" "$(field inbox_api_p50_ms "$f")" "$(field inbox_render_p50_ms "$f")" \
    "$(field inbox_render_p95_ms "$f")" "$(field conversation_api_p50_ms "$f")" "$(field conversation_render_p50_ms "$f")" \
    "$(field conversation_render_p95_ms "$f")" "$(field live_p50_ms "$f")" "$(field live_p95_ms "$f")"
done
echo "(milliseconds; render: from navigation until the 50th inbox row / the newest message is on screen; live: from the API's ack until the conversation is the inbox's top row in an open page)"
exit "$failed"
