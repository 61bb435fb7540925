#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh Debian/Ubuntu machine:
#   installs what is missing (postgresql, redis-server, chromium, fonts-noto-cjk, nginx, nodejs/npm), starts a throwaway
#   PostgreSQL 15 cluster and a throwaway redis-server in a temporary directory on free ports, runs every test project against
#   them, stops them, and exits non-zero on any
#   failure. The last line is the summary: "N passed, N failed, N skipped".
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Schema".
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '==> %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- 1. Packages -------------------------------------------------------------------------------------------------
find_pg_bindir() {
  local dir
  for dir in /usr/lib/postgresql/15/bin "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

missing=()
find_pg_bindir >/dev/null || missing+=(postgresql)
# SignalR's Redis backplane is tested against a real redis-server.
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || dpkg -s chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
# The reverse-proxy tests put a real nginx in front of two server processes.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
# The server's build fetches the console's browser libraries (ECharts, the SignalR client) with npm.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
PG_BIN="$(find_pg_bindir)" || { log "no PostgreSQL initdb/pg_ctl found after installing postgresql"; exit 1; }
log "PostgreSQL binaries: $PG_BIN ($("$PG_BIN/pg_ctl" --version))"
# Tests that need a cluster of their own (a real restart) start it with these binaries.
export WECHATASSIST_TEST_PG_BIN="$PG_BIN"

# --- 2. Throwaway PostgreSQL cluster -----------------------------------------------------------------------------
PG_TMP="$(mktemp -d /tmp/wechatassist-pg.XXXXXX)"
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root; the cluster belongs to the postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PG_TMP" --shell /usr/sbin/nologin postgres
  chown postgres: "$PG_TMP"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

cleanup() {
  local status=$?
  if [ -f "$PG_TMP/redis.pid" ]; then
    kill "$(cat "$PG_TMP/redis.pid")" 2>/dev/null || true
  fi
  if [ -f "$PG_TMP/data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_TMP"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

PG_PORT="$(free_port)"
PG_PASSWORD="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$PG_PASSWORD" >"$PG_TMP/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres: "$PG_TMP/pwfile"
as_pg "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --pwfile="$PG_TMP/pwfile" --auth=scram-sha-256 -E UTF8 --no-locale >"$PG_TMP/initdb.log" 2>&1 \
  || { cat "$PG_TMP/initdb.log" >&2; exit 1; }
rm -f "$PG_TMP/pwfile"
as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/postgres.log" -w -t 60 \
  -o "-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null || { cat "$PG_TMP/postgres.log" >&2; exit 1; }
log "PostgreSQL 15 running on 127.0.0.1:$PG_PORT (data in $PG_TMP)"
export WECHATASSIST_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD"

# --- 2b. Throwaway redis-server (no persistence, loopback only) --------------------------------------------------
REDIS_PORT="$(free_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$PG_TMP" --pidfile "$PG_TMP/redis.pid" --logfile "$PG_TMP/redis.log" \
  || { cat "$PG_TMP/redis.log" >&2 2>/dev/null; exit 1; }
for _ in $(seq 1 50); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || { log "redis-server did not answer"; cat "$PG_TMP/redis.log" >&2; exit 1; }
log "redis-server running on 127.0.0.1:$REDIS_PORT"
export WECHATASSIST_TEST_REDIS="127.0.0.1:$REDIS_PORT"

# --- 3. Build once, test every project ---------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if ! dotnet restore WeChatAssist.sln || ! dotnet build WeChatAssist.sln --no-restore; then
  # Nothing ran; report the broken build as one failure so the summary line is still the last line.
  log "the build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
test_status=0
dotnet test WeChatAssist.sln --no-build "$@" 2>&1 | tee "$PG_TMP/test.log" || test_status=$?

# --- 4. Summary --------------------------------------------------------------------------------------------------
# One line per test assembly: "Passed!  - Failed:     0, Passed:    67, Skipped:     0, Total:    67, ...".
passed=0 failed=0 skipped=0 assemblies=0
while read -r f p s; do
  failed=$((failed + f)) passed=$((passed + p)) skipped=$((skipped + s)) assemblies=$((assemblies + 1))
done < <(sed -nE 's/^(Passed|Failed)! +- Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \3 \4/p' "$PG_TMP/test.log")
if [ "$assemblies" -eq 0 ] || { [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  # dotnet test failed without reporting a failed test (a crashed test host, no results): count it as a failure.
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
