#!/usr/bin/env bash
# spotctl health against the checks an operator would otherwise script, on the same machine:
# the full probe set (PostgreSQL, Redis, two HTTP endpoints) with one `spotctl health`, next to
# Debian's monitoring-plugins (check_pgsql, check_tcp, check_http), pg_isready and redis-cli ping
# run one after another. Prints a markdown table and rewrites the "health" section of bench/RESULTS.md.
#
# Usage: bench/health.sh [--runs N] [--no-results]
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

invocation="bench/health.sh${*:+ $*}"
runs=100
write_results=1
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --no-results) write_results=0; shift ;;
    *) echo "usage: bench/health.sh [--runs N] [--no-results]" >&2; exit 64 ;;
  esac
done

bench_install_deps
[ -x "$BENCH_SPOTCTL" ] || "$BENCH_ROOT/scripts/build"
plugins=/usr/lib/nagios/plugins
for p in check_pgsql check_tcp check_http; do [ -x "$plugins/$p" ] || bench_die "$plugins/$p is missing (monitoring-plugins)"; done
bench_services_start
bench_psql -c "CREATE DATABASE health" >/dev/null
"$BENCH_SPOTCTL" -q --database-url "$(bench_pg_conninfo health)" migrate --dir "$BENCH_ROOT/migrations" up

# Two HTTP endpoints answering like the platform's /health, from a small static server.
www=$BENCH_SERVICES_DIR/www
mkdir -p "$www"
printf '{"status": "healthy"}\n' >"$www/health"
http_port=$(_free_port)
python3 -m http.server "$http_port" --bind 127.0.0.1 --directory "$www" >/dev/null 2>&1 &
http_pid=$!
bench_on_exit "kill $http_pid 2>/dev/null"
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.1; done

sock=$SPOTCTL_PG_HOST
port=$SPOTCTL_PG_PORT
redis_sock=$SPOTCTL_REDIS_SOCKET
spotctl_cmd="$BENCH_SPOTCTL --database-url 'host=$sock port=$port user=postgres dbname=health' --redis-url 'unix://$redis_sock' health --migrations-dir '$BENCH_ROOT/migrations' --http a=http://127.0.0.1:$http_port/health --http b=http://127.0.0.1:$http_port/health --http-json status=healthy"
pgsql_cmd="$plugins/check_pgsql -H $sock -P $port -d health -l postgres"
isready_cmd="$PG_BIN/pg_isready -q -h $sock -p $port -d health"
redis_cmd="redis-cli -s $redis_sock ping"
tcp_cmd="$plugins/check_tcp -H 127.0.0.1 -p $http_port"
http_cmd="$plugins/check_http -H 127.0.0.1 -p $http_port -u /health -s healthy"
sequence_cmd="$pgsql_cmd >/dev/null; $isready_cmd; $redis_cmd >/dev/null; $http_cmd >/dev/null; $http_cmd >/dev/null"

eval "$spotctl_cmd" >/dev/null || bench_die "spotctl health is not OK here (exit $?)"
rows=$(mktemp)
printf 'check\tmean\tmedian\tmin\tmax\n' >"$rows"
measure() {
  local label=$1 cmd=$2 timing mean min max sd median
  bench_hyperfine timing --warmup 5 --runs "$runs" --command-name "$label" "$cmd"
  read -r mean min max sd median <<<"$timing"
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$(bench_fmt_ms "$mean")" "$(bench_fmt_ms "$median")" "$(bench_fmt_ms "$min")" "$(bench_fmt_ms "$max")" >>"$rows"
  eval "result_$3=$median"
}
measure "spotctl health: PostgreSQL + Redis + 2 HTTP concurrently" "$spotctl_cmd" spotctl
measure "check_pgsql" "$pgsql_cmd" pgsql
measure "pg_isready" "$isready_cmd" isready
measure "redis-cli ping" "$redis_cmd" redis
measure "check_tcp (HTTP port)" "$tcp_cmd" tcp
measure "check_http /health" "$http_cmd" http
measure "the peers in sequence: check_pgsql + pg_isready + redis-cli + 2 x check_http" "$sequence_cmd" sequence

body=$(mktemp)
{
  bench_machine_md
  printf -- '- Versions: spotctl %s; monitoring-plugins %s; PostgreSQL %s; %s; hyperfine %s\n' \
    "$("$BENCH_SPOTCTL" --version | awk '{print $2}')" "$(dpkg-query -W -f='${Version}' monitoring-plugins-basic 2>/dev/null || echo '?')" \
    "$(bench_psql -Atc 'SHOW server_version')" "$(redis-server --version | awk '{print $3}')" "$(hyperfine --version | awk '{print $2}')"
  printf -- '- Command: `%s` (%s runs each after 5 warm-ups; PostgreSQL and Redis on unix sockets, HTTP on 127.0.0.1 from python3 -m http.server)\n' "$invocation" "$runs"
  printf -- '- spotctl: `%s`\n\n' "$(echo "$spotctl_cmd" | sed "s|$BENCH_SPOTCTL|spotctl|; s|$sock|\$SOCK|g; s|$redis_sock|\$SOCK/redis.sock|; s|$BENCH_ROOT/||")"
  bench_md_table <"$rows"
  printf '\nTarget: the whole spotctl set under 15 ms, about the slowest single peer probe. Measured median: %s, against %s for the peers in sequence.\n' \
    "$(bench_fmt_ms "$result_spotctl")" "$(bench_fmt_ms "$result_sequence")"
} >"$body"
cat "$body"
if ((write_results)); then bench_results_update health "$body"; fi
rm -f "$rows" "$body"
