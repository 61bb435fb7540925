#!/usr/bin/env bash
# What OpenTelemetry costs the webhook, on and off side by side in one run (README, Performance):
#   starts a throwaway PostgreSQL 15 cluster under /tmp on a free port, publishes the server in Release, runs
#   `telemetry-cost` (two server processes, Telemetry__Enabled=true with its Prometheus endpoint scraped every second,
#   and Telemetry__Enabled=false; closed-loop webhook load in alternating rounds), then stops everything.
# Arguments go to the verb, e.g.: tests/WeChatAssist.Server.Benchmarks/telemetry-cost.sh --rounds 12 --seconds 10 --concurrency 16
set -euo pipefail
cd "$(dirname "$0")/../.."

PG_BIN=""
for dir in /usr/lib/postgresql/15/bin "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then PG_BIN="$dir"; break; fi
done
[ -n "$PG_BIN" ] || { echo "PostgreSQL is not installed (Debian: apt-get install postgresql)" >&2; exit 1; }

TMP="$(mktemp -d /tmp/wechatassist-telemetry-cost.XXXXXX)"
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$TMP" --shell /usr/sbin/nologin postgres
  chown postgres: "$TMP"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
cleanup() {
  [ -f "$TMP/data/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

PORT=$((20000 + RANDOM % 40000))
PASSWORD="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$PASSWORD" >"$TMP/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres: "$TMP/pwfile"
as_pg "$PG_BIN/initdb" -D "$TMP/data" -U postgres --pwfile="$TMP/pwfile" --auth=scram-sha-256 -E UTF8 --no-locale >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$TMP/data" -l "$TMP/postgres.log" -w -t 60 \
  -o "-p $PORT -k $TMP -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null

dotnet publish src/WeChatAssist.Server -c Release -o "$TMP/publish" -nologo -v quiet
dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- telemetry-cost \
  --server "$TMP/publish/WeChatAssist.Server.dll" \
  --postgres "Host=127.0.0.1;Port=$PORT;Username=postgres;Password=$PASSWORD;Maximum Pool Size=100" "$@"
