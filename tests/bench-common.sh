# Shared by the benchmark scripts: process and PostgreSQL housekeeping. The caller sets root, work,
# pg_bin, pg_dir, service_pid and keep before sourcing this file; cleanup runs on exit.

as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The benchmarks measure the service, not its rate limits: one key and one channel carry all the load.
unlimited=(RateLimiting__PermitsPerSecondPerKey=0 RateLimiting__PermitsPerSecondPerChannel=0)

stop_service() {
  [ -n "$service_pid" ] || return 0
  if kill -0 "$service_pid" 2>/dev/null; then
    kill -TERM "$service_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$service_pid" 2>/dev/null || true
  fi
  wait "$service_pid" 2>/dev/null || true
  service_pid=""
}

cleanup() {
  local status=$?
  stop_service
  if [ -n "$pg_bin" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  fi
  if [ "$keep" = 1 ] || [ "$status" -ne 0 ]; then
    echo "Logs and data kept in $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "No free loopback port found." >&2
  return 1
}

# The value of key=value in a benchmark's RESULT line.
field() { sed -n "s/^RESULT .*\b$1=\([^ ]*\).*/\1/p" "$2" 2>/dev/null | tail -n 1; }

# Starts the service from its Release output (host_dir) on free loopback ports, on sqlite (under work) or
# postgres (at pg_connection), with the rate limits off; sets service_url and service_pid.
start_service() {
  local backend="$1" http_port silo_port gateway_port
  http_port="$(free_port)"; silo_port="$(free_port)"; gateway_port="$(free_port)"
  local -a storage=(Storage__Provider=sqlite "Storage__DataDirectory=$work/sqlite-data")
  if [ "$backend" = postgres ]; then
    storage=(Storage__Provider=postgres "Storage__ConnectionString=$pg_connection")
  fi
  service_url="http://127.0.0.1:$http_port"
  # Run from the output folder so the shipped appsettings.json (log levels) applies, as in a deployment.
  (cd "$host_dir" && exec env "${storage[@]}" "${unlimited[@]}" "Auth__BootstrapKey=$bootstrap_key" "ASPNETCORE_URLS=$service_url" \
     "Orleans__SiloPort=$silo_port" "Orleans__GatewayPort=$gateway_port" dotnet SocialCrm.Host.dll) \
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

# Starts a throwaway PostgreSQL from Debian's packages on a free loopback port, in pg_dir, with a database
# "socialcrm"; sets pg_bin, pg_port and pg_connection (cleanup stops it).
start_postgres() {
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$pg_bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)." >&2; return 1; }
  mkdir -p "$pg_dir"
  if [ "$(id -u)" = "0" ]; then chmod 711 "$work" && chown postgres "$pg_dir"; fi
  pg_port="$(free_port)"
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; return 1; }
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null || { cat "$pg_dir/server.log" >&2; return 1; }
  "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE socialcrm"
  pg_connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=socialcrm"
}
