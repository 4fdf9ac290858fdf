#!/usr/bin/env bash
# Key guessing against one node on SQLite: wrk sends random well-formed keys from one address for 10 s
# and counts 401 (the key was tested) against 429 (refused untested), and the service's resident memory.
# Usage: bash tests/bench-key-guessing.sh [extra Name=value settings for the service...]
#   e.g. bash tests/bench-key-guessing.sh RateLimiting__FailedSignInsPerMinutePerAddress=0   (throttle off)
# Needs wrk (apt-get install wrk). Everything stays on 127.0.0.1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet build -c Release "$root/src/SocialCrm.Host" >/dev/null
port=$((20000 + RANDOM % 40000))
data="$(mktemp -d /tmp/socialcrm-guess.XXXXXX)"
key="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
(cd "$data" && exec env Storage__DataDirectory="$data" Auth__BootstrapKey="$key" ASPNETCORE_URLS="http://127.0.0.1:$port" \
  Logging__LogLevel__Default=Warning "$@" dotnet "$root/src/SocialCrm.Host/bin/Release/net10.0/SocialCrm.Host.dll" >"$data/log" 2>&1) &
trap 'kill "$(ss -ltnp "sport = :$port" | grep -o "pid=[0-9]*" | head -1 | cut -d= -f2)" 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 90); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 1; done
curl -sf -X POST "http://127.0.0.1:$port/v1/brands" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"id":"acme","name":"Acme"}' >/dev/null
pid="$(ss -ltnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)"
sleep 3; echo "service RSS before: $(awk '/VmRSS/ {print $2, $3}' "/proc/$pid/status")"
wrk -t2 -c16 -d10s -s "$root/tests/key-guessing.lua" "http://127.0.0.1:$port/" | grep -E "Requests/sec|401"
sleep 2; echo "service RSS after: $(awk '/VmRSS/ {print $2, $3}' "/proc/$pid/status")"
