#!/usr/bin/env bash
# The insights' cost and read speed, in one run on a throwaway PostgreSQL (a measurement, not a test):
#   1. ingest: starts the service with Insights__Enabled=false, then true, then false, then true (--rounds
#      pairs, alternating so that a machine growing busier shows as drift rather than as a difference),
#      each time runs the load tool's `inbound` mode with varied English customer messages (--texts
#      customer: the analyzer reads what it would in production), and reports msgs/s of each run and the
#      on/off ratio of the means (goal: on >= 90% of off);
#   2. reads: a fresh brand (created with the bootstrap key; its admin key, which the service issued,
#      reads) with four channels; its log seeded to --small messages, then grown to --large, and at
#      each size wrk times GET insights/mood (granularity=day over 365 days, hour over 7 days) and GET
#      insights/terms (30 days): p50/p99 and req/s (goal: flat, since both read the aggregates only).
#      The messages (and their conversations, participants and customers) are seeded with SQL
#      (generate_series, tests/insights-seed.sql), not sent over HTTP: ten million messages through the
#      API would take hours on this machine. The mood buckets (minute, hour, day) and daily terms are
#      computed from the same per-message function, so they are the aggregates the service's tally
#      would have written for exactly those messages (the mood's day buckets add up to the log). For
#      the large step the service is stopped, the message table's three unique indexes are dropped and
#      rebuilt around the bulk load (as a restore does; random inserts into them would take most of an
#      hour on two cores), max_wal_size is raised while seeding and reset after, and the tables are
#      vacuumed and checkpointed before the service starts again, so no background work runs during
#      the reads. Seeding sessions keep synchronous_commit on: they commit a few large transactions.
#   3. prints one table. Everything it started is stopped on exit, whatever happens; it binds only
#      127.0.0.1, on free ports.
#
# usage: tests/bench-insights.sh [--connections 64] [--conversations 2000] [--seconds 20] [--warmup 30]
#            [--rounds 2] [--small 10000] [--large 10000000] [--chunk 1000000] [--seed-jobs 2]
#            [--read-connections 4] [--read-seconds 15] [--read-warmup 10] [--parts "ingest reads"]
#            [--no-build] [--keep]
# Each option also reads from the environment: BENCH_CONNECTIONS, BENCH_READ_SECONDS, ...
# Needs PostgreSQL (initdb, pg_ctl), wrk, jq and curl. Message counts are multiples of 50 (a conversation's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

connections="${BENCH_CONNECTIONS:-64}"
conversations="${BENCH_CONVERSATIONS:-2000}"
seconds="${BENCH_SECONDS:-20}"
warmup="${BENCH_WARMUP:-30}"
rounds="${BENCH_ROUNDS:-2}"
small="${BENCH_SMALL:-10000}"
large="${BENCH_LARGE:-10000000}"
chunk="${BENCH_CHUNK:-1000000}"
seed_jobs="${BENCH_SEED_JOBS:-2}"
read_connections="${BENCH_READ_CONNECTIONS:-4}"
read_seconds="${BENCH_READ_SECONDS:-15}"
read_warmup="${BENCH_READ_WARMUP:-10}"
parts="${BENCH_PARTS:-ingest reads}"
build=1
keep=0

usage() { sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) connections="$2"; shift 2 ;;
    --conversations) conversations="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --small) small="$2"; shift 2 ;;
    --large) large="$2"; shift 2 ;;
    --chunk) chunk="$2"; shift 2 ;;
    --seed-jobs) seed_jobs="$2"; shift 2 ;;
    --read-connections) read_connections="$2"; shift 2 ;;
    --read-seconds) read_seconds="$2"; shift 2 ;;
    --read-warmup) read_warmup="$2"; shift 2 ;;
    --parts) parts="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
for part in $parts; do
  case "$part" in ingest|reads) ;; *) echo "Unknown part $part (ingest, reads)." >&2; exit 2 ;; esac
done
for count in "$small" "$large" "$chunk"; do
  if ! [[ "$count" =~ ^[0-9]+$ ]] || [ "$count" -eq 0 ] || [ $((count % 50)) -ne 0 ]; then
    echo "--small, --large and --chunk must be positive multiples of 50 (messages per seeded conversation)." >&2; exit 2
  fi
done
[ "$large" -gt "$small" ] || { echo "--large must be more than --small." >&2; exit 2; }
for tool in wrk jq curl; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (apt-get install $tool)." >&2; exit 1; }
done

work="$(mktemp -d /tmp/socialcrm-bench-insights.XXXXXX)"
pg_bin=""
pg_dir="$work/pg"
service_pid=""
seed_pids=""
bootstrap_key="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
host_dir="$root/src/SocialCrm.Host/bin/Release/net10.0"
bench_dll="$root/tests/SocialCrm.LoadTest/bin/Release/net10.0/SocialCrm.LoadTest.dll"

source "$root/tests/bench-common.sh"
# Seeding sessions still running on exit are ended before the common cleanup stops the rest.
trap 'status=$?; for p in $seed_pids; do kill "$p" 2>/dev/null || true; done; (exit "$status"); cleanup' EXIT

# The figures are only as good as the machine is quiet: say how busy it was when the run began.
read -r load1 _ < /proc/loadavg
echo "Load average at start: $load1 on $(nproc) cores$(awk -v l="$load1" -v c="$(nproc)" 'BEGIN { if (l > c / 2) print " (busy: other work will skew the figures)" }')"
started_at=$(date +%s)
elapsed() { echo "$(( $(date +%s) - started_at )) s"; }

# --- PostgreSQL, as bench.sh starts it: durable commits, loopback only ----------------------------
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
psql_at() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" "${@:2}"; }
pg_version="$("$pg_bin/postgres" --version | awk '{print $3}')"
echo "Throwaway PostgreSQL $pg_version on 127.0.0.1:$pg_port (synchronous_commit=$(psql_at postgres -Atc 'SHOW synchronous_commit'))"
psql_at postgres -c "CREATE DATABASE socialcrm"
db() { psql_at socialcrm "$@"; }

# --- Release builds --------------------------------------------------------------------------------
if [ "$build" = 1 ]; then
  echo "Building the host and the load tool (Release)..."
  dotnet build -c Release -v q -nologo "$root/src/SocialCrm.Host/SocialCrm.Host.csproj" >"$work/build-host.log" 2>&1 \
    || { tail -n 30 "$work/build-host.log" >&2; exit 1; }
  dotnet build -c Release -v q -nologo "$root/tests/SocialCrm.LoadTest/SocialCrm.LoadTest.csproj" >"$work/build-bench.log" 2>&1 \
    || { tail -n 30 "$work/build-bench.log" >&2; exit 1; }
fi
for built in "$host_dir/SocialCrm.Host.dll" "$bench_dll"; do
  [ -f "$built" ] || { echo "$built is missing: run without --no-build." >&2; exit 1; }
done

# The service on the throwaway PostgreSQL, with extra settings (Name=value) after the log's label.
start_service() {
  local label="$1" http_port silo_port gateway_port
  shift
  http_port="$(free_port)"; silo_port="$(free_port)"; gateway_port="$(free_port)"
  service_url="http://127.0.0.1:$http_port"
  # Run from the output folder so the shipped appsettings.json (log levels) applies, as in a deployment.
  (cd "$host_dir" && exec env Storage__Provider=postgres "Storage__ConnectionString=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=socialcrm" \
     "${unlimited[@]}" "Auth__BootstrapKey=$bootstrap_key" "ASPNETCORE_URLS=$service_url" \
     "Orleans__SiloPort=$silo_port" "Orleans__GatewayPort=$gateway_port" "$@" dotnet SocialCrm.Host.dll) \
     >"$work/service-$label.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 120); do
    if curl -sf -o /dev/null "$service_url/health/ready"; then return 0; fi
    kill -0 "$service_pid" 2>/dev/null || break
    sleep 1
  done
  echo "The service ($label) did not become ready:" >&2
  tail -n 40 "$work/service-$label.log" >&2
  return 1
}

bench() { dotnet "$bench_dll" "$@" --url "$service_url" --bootstrap-key "$bootstrap_key" --server-pid "$service_pid"; }
fmt() { awk -v v="${1:-}" 'BEGIN { if (v == "") print "n/a"; else printf "%.1f", v }'; }

failed=0
rows="$work/rows.txt"
: >"$rows"
# One row of the final table: what, stored messages, insights, rate, p50 ms, p99 ms, detail.
# Fields are kept apart by the unit separator: a tab would merge the empty ones when read back.
row() { local IFS=$'\x1f'; echo "$*" >>"$rows"; }

# --- 1. Ingest with insights off and on, alternating -----------------------------------------------
if [[ " $parts " == *" ingest "* ]]; then
  run=0
  for _ in $(seq 1 "$rounds"); do
    for insights in false true; do
      run=$((run + 1))
      label="ingest-$run-insights-$insights"
      echo
      echo "== ingest run $run: Insights__Enabled=$insights ($(elapsed) since start) =="
      start_service "$label" "Insights__Enabled=$insights"
      bench inbound --connections "$connections" --conversations "$conversations" --seconds "$seconds" --warmup "$warmup" \
        --texts customer | tee "$work/$label.txt" || failed=1
      stop_service
      # The service is stopped (its tally flushed): how many of the run's messages were scored and counted.
      brand="$(sed -n 's/.*(brand \([A-Za-z0-9_-]*\)).*/\1/p' "$work/$label.txt" | head -n 1)"
      scored="n/a"; counted="n/a"
      if [ -n "$brand" ]; then
        scored="$(db -Atc "SELECT count(sentiment_score) || '/' || count(*) FROM messages WHERE brand_id = '$brand' AND author_type = 'customer'")"
        counted="$(db -Atc "SELECT coalesce(sum(messages), 0) FROM insight_mood WHERE brand_id = '$brand' AND granularity = 'd'")"
      fi
      off_on=off; [ "$insights" = true ] && off_on=on
      msgs="$(field msgs_per_s "$work/$label.txt")"
      cores="$(field service_cores "$work/$label.txt")"
      per_core="$(awk -v m="${msgs:-0}" -v c="${cores:-0}" 'BEGIN { if (c > 0) printf "%.0f", m / c; else print "n/a" }')"
      row "ingest run $run" "-" "$off_on" "${msgs:-n/a}" "$(field p50_ms "$work/$label.txt")" "$(field p99_ms "$work/$label.txt")" \
        "service_cores=${cores:-n/a} msgs/core-s=$per_core scored=$scored mood_counted=$counted verification=$(field verification "$work/$label.txt")"
      echo "$off_on ${msgs:-0}" >>"$work/ingest-rates.txt"
    done
  done
  mean_off="$(awk '$1 == "off" { s += $2; n++ } END { if (n) printf "%.1f", s / n }' "$work/ingest-rates.txt")"
  mean_on="$(awk '$1 == "on" { s += $2; n++ } END { if (n) printf "%.1f", s / n }' "$work/ingest-rates.txt")"
  ratio="$(awk -v a="${mean_on:-0}" -v b="${mean_off:-0}" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }')"
  verdict="$(awk -v r="$ratio" 'BEGIN { if (r == "n/a") print "n/a"; else if (r >= 0.90) print "met"; else print "NOT met" }')"
  row "ingest mean" "-" "off" "${mean_off:-n/a}" "" "" "mean msgs/s of the $rounds runs with insights off"
  row "ingest mean" "-" "on" "${mean_on:-n/a}" "" "" "mean msgs/s of the $rounds runs with insights on"
  row "ingest on/off" "-" "" "$ratio" "" "" "goal >= 0.90: $verdict"
fi

# --- 2. Reads at two sizes of the log --------------------------------------------------------------
if [[ " $parts " == *" reads "* ]]; then
  echo
  echo "== reads: a brand of its own ($(elapsed) since start) =="
  start_service reads-setup Insights__Enabled=true
  read_brand="insights-read-$(date -u +%Y%m%d-%H%M%S)"
  admin_key="$(curl -sf -X POST "$service_url/v1/brands" -H "Authorization: Bearer $bootstrap_key" -H 'Content-Type: application/json' \
    -d "{\"id\":\"$read_brand\",\"name\":\"Insights read benchmark\"}" | jq -r '.adminKey // empty')"
  [ -n "$admin_key" ] || { echo "Creating the brand $read_brand failed." >&2; exit 1; }
  for platform in webchat messenger instagram x; do
    curl -sf -o /dev/null -X POST "$service_url/v1/brands/$read_brand/channels" -H "Authorization: Bearer $admin_key" \
      -H 'Content-Type: application/json' \
      -d "{\"id\":\"$platform\",\"platform\":\"$platform\",\"externalAccountId\":\"bench-$platform\",\"displayName\":\"Benchmark $platform\"}" \
      || { echo "Creating the channel $platform failed." >&2; exit 1; }
  done
  stop_service
  echo "Brand $read_brand with channels webchat, messenger, instagram, x; its admin key reads."

  db -f "$root/tests/insights-seed.sql" >/dev/null
  # The seeded year ends now; the reads ask for the windows a dashboard would.
  now_ms="$(date +%s%3N)"
  year_start_ms=$((now_ms - 365 * 86400000))
  iso() { date -u -d "@$(($1 / 1000))" +%Y-%m-%dT%H:%M:%SZ; }
  base="/v1/brands/$read_brand/insights"
  declare -A read_path=(
    [mood-day-365d]="$base/mood?granularity=day&from=$(iso "$year_start_ms")&to=$(iso "$now_ms")"
    [mood-hour-7d]="$base/mood?granularity=hour&from=$(iso $((now_ms - 7 * 86400000)))&to=$(iso "$now_ms")"
    [terms-30d]="$base/terms?from=$(iso $((now_ms - 30 * 86400000)))&to=$(iso "$now_ms")"
  )
  read_names="mood-day-365d mood-hour-7d terms-30d"

  # Messages lo..hi of the brand, with their conversations (one customer each, 50 messages) and customers.
  seed_messages() {
    db -v brand="$read_brand" -v ys="$year_start_ms" -v lo="$1" -v hi="$2" <<'SQL'
INSERT INTO messages (brand_id, conversation_id, seq, id, channel_id, author_type, author_id, body, visibility, purpose,
                      created_at_ms, sent_at_ms, external_message_id, dedupe_key, sentiment_score)
SELECT :'brand', conversation_id, seq, id, channel_id, 'customer', customer_id, body, visibility, NULL,
       sent_at_ms + 150 + g % 500, sent_at_ms, external_message_id, 'in:' || channel_id || ':' || external_message_id, score
FROM bench_seed.facts(:'brand', :ys, :lo, :hi);
INSERT INTO conversations (brand_id, id, channel_id, visibility, kind, status, assignee, controller, customer_id, external_thread_id,
                           created_at_ms, last_activity_ms, last_message_at_ms, last_customer_message_at_ms, message_count, last_seq,
                           sentiment_score, sentiment_label)
SELECT :'brand', conversation_id, channel_id, visibility, visibility,
       CASE WHEN sent_at_ms < :ys + 358 * 86400000::bigint THEN 'resolved' ELSE 'open' END, NULL, 'human', customer_id, external_thread_id,
       first_sent_at_ms, sent_at_ms, sent_at_ms, sent_at_ms, 50, 50, score, label
FROM bench_seed.facts(:'brand', :ys, :lo, :hi) WHERE seq = 50;
INSERT INTO conversation_participants (brand_id, customer_id, conversation_id, joined_at_ms)
SELECT :'brand', customer_id, conversation_id, first_sent_at_ms FROM bench_seed.facts(:'brand', :ys, :lo, :hi) WHERE seq = 50;
INSERT INTO customers (brand_id, id, created_at_ms)
SELECT :'brand', customer_id, first_sent_at_ms FROM bench_seed.facts(:'brand', :ys, :lo, :hi) WHERE seq = 50;
SQL
  }

  # The brand's mood buckets and daily terms for messages 1..n, replacing what was there.
  seed_mood() {
    db -v brand="$read_brand" -v ys="$year_start_ms" -v n="$1" <<'SQL'
SET work_mem = '512MB';
BEGIN;
DELETE FROM insight_mood WHERE brand_id = :'brand';
CREATE TEMP TABLE seed_minute ON COMMIT DROP AS
SELECT sent_at_ms - sent_at_ms % 60000 AS start_ms, channel_id, visibility, count(*) AS messages,
       count(*) FILTER (WHERE label = 'positive') AS positive, count(*) FILTER (WHERE label = 'neutral') AS neutral,
       count(*) FILTER (WHERE label = 'negative') AS negative, sum(score) AS score_sum
FROM bench_seed.facts(:'brand', :ys, 1, :n) GROUP BY 1, 2, 3;
INSERT INTO insight_mood (brand_id, granularity, bucket_start_ms, channel_id, visibility, messages, positive, neutral, negative, score_sum)
SELECT :'brand', 'm', start_ms, channel_id, visibility, messages, positive, neutral, negative, score_sum FROM seed_minute;
INSERT INTO insight_mood (brand_id, granularity, bucket_start_ms, channel_id, visibility, messages, positive, neutral, negative, score_sum)
SELECT :'brand', 'h', start_ms - start_ms % 3600000, channel_id, visibility, sum(messages), sum(positive), sum(neutral), sum(negative), sum(score_sum)
FROM seed_minute GROUP BY 3, 4, 5;
INSERT INTO insight_mood (brand_id, granularity, bucket_start_ms, channel_id, visibility, messages, positive, neutral, negative, score_sum)
SELECT :'brand', 'd', start_ms - start_ms % 86400000, channel_id, visibility, sum(messages), sum(positive), sum(neutral), sum(negative), sum(score_sum)
FROM seed_minute GROUP BY 3, 4, 5;
COMMIT;
SQL
  }

  seed_terms() {
    db -v brand="$read_brand" -v ys="$year_start_ms" -v n="$1" <<'SQL'
SET work_mem = '512MB';
BEGIN;
DELETE FROM insight_terms WHERE brand_id = :'brand';
INSERT INTO insight_terms (brand_id, day_ms, channel_id, kind, term, mentions, example1, example2, example3)
SELECT :'brand', sent_at_ms - sent_at_ms % 86400000, channel_id, term_kind, term, count(*),
       min(id), CASE WHEN count(*) > 1 THEN max(id) END, NULL
FROM bench_seed.facts(:'brand', :ys, 1, :n)
WHERE term IS NOT NULL
GROUP BY 2, 3, 4, 5;
COMMIT;
SQL
  }

  # Runs "command args..." jobs (one per line on stdin) with at most --seed-jobs at a time.
  in_parallel() {
    local line pid
    seed_pids=""
    while IFS= read -r line; do
      while [ "$(jobs -rp | grep -c .)" -ge "$seed_jobs" ]; do wait -n || return 1; done
      eval "$line" &
      seed_pids="$seed_pids $!"
    done
    for pid in $seed_pids; do wait "$pid" || return 1; done
    seed_pids=""
  }

  # wrk against one read for --read-seconds after --read-warmup of the same; then the answer is checked.
  measure_reads() {
    local stored="$1" name out p50 p99 rps non2xx check
    start_service "reads-$stored" Insights__Enabled=true
    for name in $read_names; do
      out="$work/wrk-$name-$stored.txt"
      if [ "$read_warmup" != 0 ]; then
        wrk -t2 -c"$read_connections" -d"${read_warmup}s" --timeout 60s -H "Authorization: Bearer $admin_key" \
          "$service_url${read_path[$name]}" >"$work/wrk-warmup-$name-$stored.txt" 2>&1 || true
      fi
      wrk -t2 -c"$read_connections" -d"${read_seconds}s" --timeout 60s --latency -H "Authorization: Bearer $admin_key" \
        "$service_url${read_path[$name]}" >"$out" 2>&1 || failed=1
      sed 's/^/  /' "$out"
      p50="$(wrk_ms '50%' "$out")"; p99="$(wrk_ms '99%' "$out")"
      rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
      requests="$(awk '/ requests in / { print $1 }' "$out")"
      non2xx="$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$out")"
      errors="$(awk '/Socket errors/ { print }' "$out" | sed 's/^ *//')"
      case "$name" in
        mood-*)
          check="$(curl -sf -H "Authorization: Bearer $admin_key" "$service_url${read_path[$name]}" \
            | jq -r '"buckets=\(.buckets | length) messages=\([.buckets[].messages] | add // 0)"')" ;;
        terms-*)
          check="$(curl -sf -H "Authorization: Bearer $admin_key" "$service_url${read_path[$name]}" \
            | jq -r '"advantages=\(.advantages | length) top=\(.advantages[0].term // "-"):\(.advantages[0].count // 0) disadvantages=\(.disadvantages | length) unusual=\(.unusualUses | length)"')" ;;
      esac
      row "read $name" "$stored" "on" "${rps:-n/a}" "${p50:-n/a}" "${p99:-n/a}" "requests=${requests:-0} non2xx=${non2xx:-0} ${errors:+$errors; }$check"
      echo "$name $stored ${p99:-}" >>"$work/read-p99.txt"
    done
    stop_service
    row "plan MoodBuckets day" "$stored" "" "" "" "" "$(explain_read MoodBuckets "brand_id granularity from_ms to_ms channel_id visibility" \
      "'$read_brand', 'd', $((year_start_ms - year_start_ms % 86400000)), $now_ms, NULL, NULL")"
    row "plan TopTerms advantage" "$stored" "" "" "" "" "$(explain_read TopTerms "brand_id kind from_ms to_ms channel_id limit" \
      "'$read_brand', 'advantage', $(( (now_ms - 30 * 86400000) - (now_ms - 30 * 86400000) % 86400000 )), $now_ms, NULL, 20")"
  }

  # The plan PostgreSQL picks for one of the service's read queries (deploy/sql/postgres/queries.sql), its
  # parameters bound as the service binds them (strings as text): the first scan node and the time taken.
  explain_read() {
    local name="$1" params="$2" values="$3" sql types="" type p i=0
    sql="$(awk -v n="-- name: $name" '$0 == n { on = 1; next } on && (/^-- name:/ || /^$/) { exit } on && /^--/ { next } on { print }' \
      "$root/deploy/sql/postgres/queries.sql")"
    for p in $params; do
      i=$((i + 1))
      sql="${sql//@$p/\$$i}"
      case "$p" in *_ms) type=bigint ;; limit) type=int ;; *) type=text ;; esac
      types="$types${types:+, }$type"
    done
    db -At <<SQL | awk '/Scan/ && scan == "" { scan = $0 } /^Execution Time/ { ms = $3 }
      END { sub(/^ *(-> *)?/, "", scan); sub(/ +\(cost.*/, "", scan); printf "%s ms in PostgreSQL (EXPLAIN ANALYZE): %s", ms, scan }'
PREPARE read_query($types) AS $sql
EXPLAIN (ANALYZE) EXECUTE read_query($values);
SQL
  }

  # A wrk latency percentile in ms, whatever unit wrk printed it in (us, ms, s, m).
  wrk_ms() {
    awk -v p="$1" '$1 == p { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
      f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.2f", v * f }' "$2"
  }

  # Step 1: the small log, seeded beside the service's indexes.
  echo
  echo "== reads at $small stored messages ($(elapsed) since start) =="
  t0=$(date +%s)
  seed_messages 1 "$small"
  seed_mood "$small"
  seed_terms "$small"
  db -c "ANALYZE messages, conversations, insight_mood, insight_terms"
  echo "Seeded $small messages and their aggregates in $(( $(date +%s) - t0 )) s."
  measure_reads "$small"

  # Step 2: grow to the large log, bulk-loaded with the service stopped.
  echo
  echo "== growing to $large stored messages ($(elapsed) since start) =="
  t0=$(date +%s)
  db -c "ALTER SYSTEM SET max_wal_size = '20GB'" -c "ALTER SYSTEM SET checkpoint_timeout = '1h'" -c "SELECT pg_reload_conf()" >/dev/null
  db -c "ALTER TABLE messages DROP CONSTRAINT messages_pkey" -c "DROP INDEX ux_messages_id" -c "DROP INDEX ux_messages_dedupe"
  for ((lo = small + 1; lo <= large; lo += chunk)); do
    hi=$((lo + chunk - 1)); [ "$hi" -gt "$large" ] && hi="$large"
    echo "seed_messages $lo $hi"
  done | in_parallel
  t_heap=$(( $(date +%s) - t0 ))
  echo "Messages $((small + 1))..$large inserted in $t_heap s; rebuilding the indexes, computing the aggregates..."
  t1=$(date +%s)
  in_parallel <<'JOBS'
db -c "SET maintenance_work_mem = '1GB'" -c "ALTER TABLE messages ADD CONSTRAINT messages_pkey PRIMARY KEY (brand_id, conversation_id, seq)"
db -c "SET maintenance_work_mem = '1GB'" -c "CREATE UNIQUE INDEX ux_messages_id ON messages (brand_id, id)" -c "CREATE UNIQUE INDEX ux_messages_dedupe ON messages (brand_id, dedupe_key) WHERE dedupe_key IS NOT NULL"
seed_mood "$large"
seed_terms "$large"
JOBS
  t_index=$(( $(date +%s) - t1 ))
  t1=$(date +%s)
  db -c "VACUUM (ANALYZE) messages, conversations, conversation_participants, customers, insight_mood, insight_terms" -c "CHECKPOINT"
  db -c "ALTER SYSTEM RESET max_wal_size" -c "ALTER SYSTEM RESET checkpoint_timeout" -c "SELECT pg_reload_conf()" >/dev/null
  t_vacuum=$(( $(date +%s) - t1 ))
  t_seed=$(( $(date +%s) - t0 ))
  sizes="$(db -Atc "SELECT pg_size_pretty(pg_total_relation_size('messages')) || ' messages, ' ||
    (SELECT count(*) FROM insight_mood WHERE brand_id = '$read_brand') || ' mood rows, ' ||
    (SELECT count(*) FROM insight_terms WHERE brand_id = '$read_brand') || ' term rows'")"
  echo "Grown to $large messages in $t_seed s (insert $t_heap s, indexes and aggregates $t_index s, vacuum and checkpoint $t_vacuum s): $sizes."
  row "seed to $large" "$large" "" "" "" "" "$t_seed s: insert $t_heap s, indexes+aggregates $t_index s, vacuum+checkpoint $t_vacuum s; $sizes"
  echo
  echo "== reads at $large stored messages ($(elapsed) since start) =="
  measure_reads "$large"
  for name in $read_names; do
    ratio="$(awk -v n="$name" -v s="$small" -v l="$large" '$1 == n && $2 == s { a = $3 } $1 == n && $2 == l { b = $3 }
      END { if (a > 0 && b != "") printf "%.2f", b / a; else print "n/a" }' "$work/read-p99.txt")"
    row "read $name p99 ratio" "$large/$small" "" "" "" "$ratio" "p99 at $large ÷ p99 at $small (goal: flat, about 1)"
  done
fi

# --- 3. The table ----------------------------------------------------------------------------------
echo
echo "Insights on PostgreSQL $pg_version, $(nproc) cores, load average $load1 at start, $(elapsed) in all; $(date -u '+%Y-%m-%d %H:%M UTC')"
[[ " $parts " == *" ingest "* ]] && echo "ingest: inbound over HTTP, $connections connections, $conversations conversations," \
  "varied customer texts, ${seconds} s measured after ${warmup} s warm-up, insights off and on alternating"
[[ " $parts " == *" reads "* ]] && echo "reads: wrk, $read_connections connections, ${read_seconds} s each after ${read_warmup} s warm-up," \
  "admin key of brand $read_brand (4 channels, both visibilities, log seeded by SQL over the last 365 days)"
printf '%-28s %-18s %-8s %10s %9s %9s  %s\n' what stored_msgs insights 'msgs|req/s' p50_ms p99_ms detail
while IFS=$'\x1f' read -r what stored insights rate p50 p99 detail; do
  printf '%-28s %-18s %-8s %10s %9s %9s  %s\n' "$what" "$stored" "$insights" "$rate" "$p50" "$p99" "$detail"
done <"$rows"
echo "(msgs/core-s: msgs/s ÷ the service's CPU cores in the window, steadier than msgs/s on a shared machine; scored: customer messages" \
     "stored with a sentiment; mood_counted: messages in the brand's day buckets after the service stopped;" \
     "plan: the first scan node of the query as PostgreSQL runs it with the service's parameter types)"
exit "$failed"
