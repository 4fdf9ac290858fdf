#!/usr/bin/env bash
# Ingest throughput with automation on and off, in one run (a measurement, not a test):
#   1. builds the host in Release (unless --no-build) and starts it on a throwaway PostgreSQL, or SQLite;
#   2. creates two brands on the one node: "plain" with no rules, "ruled" with 20 enabled rules on every
#      customer message (text, sentiment, visibility, channel, business-hours, status and tag conditions;
#      one of them, on "refund", matches one message in ten and tags, prioritises and records its run);
#   3. warms both up, then drives each in turn with wrk (a C client, so the two cores go to the service),
#      plain, ruled, plain, ruled, and prints each brand's mean msgs/s and the ratio ruled / plain.
#      --no-matches leaves the refund sentence out, so no rule matches: the cost of deciding alone.
#
# usage: tests/bench-automation.sh [--backend postgres|sqlite] [--connections 64] [--customers 2000]
#                                  [--seconds 20] [--warmup 45] [--no-matches] [--no-build] [--keep]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

backend=postgres connections=64 customers=2000 seconds=20 warmup=45 build=1 keep=0 refunds=1
usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --customers) customers="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --no-matches) refunds=0; shift ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)." >&2; exit 1; }

work="$(mktemp -d /tmp/socialcrm-bench-auto.XXXXXX)"
pg_bin="" pg_dir="$work/pg" service_pid=""
bootstrap_key="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
host_dir="$root/src/SocialCrm.Host/bin/Release/net10.0"
source "$root/tests/bench-common.sh"

read -r load1 _ < /proc/loadavg
echo "Load average at start: $load1 on $(nproc) cores"

[ "$backend" = postgres ] && start_postgres

if [ "$build" = 1 ]; then
  echo "Building the host (Release)..."
  dotnet build -c Release -v q -nologo "$root/src/SocialCrm.Host/SocialCrm.Host.csproj" >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; exit 1; }
fi
start_service "$backend"
echo "Service on $backend at $service_url"

api() { curl -sf -X "$1" "$service_url$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+-d "$4"}; }
new_brand() {
  local id="$1" key
  key="$(api POST /v1/brands "$bootstrap_key" "{\"id\":\"$id\",\"name\":\"$id\"}" | sed -n 's/.*"adminKey":"\([^"]*\)".*/\1/p')"
  api POST "/v1/brands/$id/channels" "$key" '{"id":"web","platform":"webchat","externalAccountId":"site"}' >/dev/null
  echo "$key"
}
plain_key="$(new_brand plain)"
ruled_key="$(new_brand ruled)"

# Twenty rules on every customer message, as a busy brand might have them; nineteen rarely or never match.
rule() {
  api POST /v1/brands/ruled/automation/rules "$ruled_key" \
    "{\"id\":\"$1\",\"name\":\"$1\",\"order\":$2,\"enabled\":true,\"trigger\":{\"type\":\"message-received\"},\"conditions\":{\"match\":\"all\",\"items\":[$3]},\"actions\":[$4]}" >/dev/null
}
rule refund 1 '{"field":"text","operator":"contains-any","values":["refund","money back","chargeback"]}' \
  '{"type":"add-tags","tags":["refund"]},{"type":"set-priority","priority":"high"}'
words=(invoice password warranty recall allergy lawsuit outage fraud hacked cancel unsubscribe complaint manager broken-seal mould
  )
for i in "${!words[@]}"; do
  rule "watch-${words[$i]}" $((i + 2)) "{\"field\":\"text\",\"operator\":\"contains-any\",\"values\":[\"${words[$i]//-/ }\",\"${words[$i]}s\"]}" \
    '{"type":"add-tags","tags":["watch"]}'
done
rule angry-public 30 '{"field":"sentiment","operator":"label-in","values":["negative"]},{"field":"visibility","operator":"is","values":["public"]}' \
  '{"type":"set-priority","priority":"urgent"}'
rule other-channel 31 '{"field":"channel","operator":"in","values":["instagram-main"]}' '{"type":"add-tags","tags":["ig"]}'
rule resolved-reopen 32 '{"field":"status","operator":"in","values":["resolved"]},{"field":"tag","operator":"has-any","values":["vip"]}' \
  '{"type":"assign","agentId":"vip-desk"}'
rule night 33 '{"field":"business-hours","operator":"is","values":["outside"]},{"field":"text","operator":"contains-all","values":["open","sunday","today"]}' \
  '{"type":"webhook"}'
echo "Rules of brand ruled: $(api GET /v1/brands/ruled/automation/rules "$ruled_key" | grep -o '"id":"[^"]*","name"' | wc -l)"

drive() { # brand key seconds -> msgs/s
  wrk -t2 -c"$connections" -d"${3}s" -s "$root/tests/automation-inbound.lua" "$service_url" -- "/v1/brands/$1/channels/web/inbound" "$2" "$customers" "$refunds" \
    > "$work/wrk-$1.txt"
  awk '/Requests\/sec/ { print $2 }' "$work/wrk-$1.txt"
}
echo "Warming up both brands (${warmup}s each)..."
drive plain "$plain_key" "$warmup" >/dev/null
drive ruled "$ruled_key" "$warmup" >/dev/null
declare -a plain_runs ruled_runs
for round in 1 2; do
  plain_runs+=("$(drive plain "$plain_key" "$seconds")")
  ruled_runs+=("$(drive ruled "$ruled_key" "$seconds")")
  echo "round $round: plain ${plain_runs[-1]} msgs/s, ruled ${ruled_runs[-1]} msgs/s"
done
grep -E "Non-2xx|Socket errors" "$work"/wrk-*.txt || true
mean() { printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.0f", s / NR }'; }
plain_mean="$(mean "${plain_runs[@]}")"; ruled_mean="$(mean "${ruled_runs[@]}")"
echo
echo "| $backend, $connections connections, $customers customers$([ "$refunds" = 0 ] && echo ", no message matches") | msgs/s |"
echo "| --- | --- |"
echo "| no rules | $plain_mean |"
echo "| 20 enabled rules | $ruled_mean |"
echo "| ratio | $(awk -v a="$ruled_mean" -v b="$plain_mean" 'BEGIN { printf "%.1f%%", 100 * a / b }') |"
runs="$(api GET /v1/brands/ruled/automation/rules/refund "$ruled_key" | grep -o '"stats":{[^}]*}' || true)"
echo "Runs of the refund rule: $runs"
