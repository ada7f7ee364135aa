#!/usr/bin/env bash
# What a spotctl run costs before it does anything, against PostgreSQL's and Redis's own client
# binaries, side by side in one run: `spotctl --version` against `psql --version` (PostgreSQL's
# binary in $PG_BIN, not Debian's perl wrapper /usr/bin/psql), and `spotctl health postgres redis`
# against `pg_isready` then `redis-cli ping`. Monitoring runs health every few seconds and cron
# runs every job, so both pay this each time. Also counted for `--version`: the shared libraries
# `ldd` lists, the dynamic loader's relocations (LD_DEBUG=statistics) and the instructions
# (callgrind; other work on the machine does not move them).
# With --compare BINARY an older build (for example one from before the PDF writer and the HTTP
# client became modules) is measured in the same rounds.
# Prints a markdown table and rewrites the "startup" section of bench/RESULTS.md.
#
# Usage: bench/startup.sh [--rounds N] [--runs N] [--compare BINARY] [--no-results]
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

invocation="bench/startup.sh${*:+ $*}"
rounds=5
runs=20
compare=""
write_results=1
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --compare) compare=$2; shift 2 ;;
    --no-results) write_results=0; shift ;;
    *) echo "usage: bench/startup.sh [--rounds N] [--runs N] [--compare BINARY] [--no-results]" >&2; exit 64 ;;
  esac
done
[ -z "$compare" ] || [ -x "$compare" ] || bench_die "--compare $compare: not an executable"

bench_install_deps
[ -x "$BENCH_SPOTCTL" ] || "$BENCH_ROOT/scripts/build"
bench_services_start
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
bench_psql -c "CREATE DATABASE startup" >/dev/null
"$BENCH_SPOTCTL" -q --database-url "$(bench_pg_conninfo startup)" migrate --dir "$BENCH_ROOT/migrations" up

sock=$SPOTCTL_PG_HOST
port=$SPOTCTL_PG_PORT
redis_sock=$SPOTCTL_REDIS_SOCKET
health_args="--database-url 'host=$sock port=$port user=postgres dbname=startup' --redis-url 'unix://$redis_sock' health postgres redis --migrations-dir '$BENCH_ROOT/migrations'"

# name<TAB>command, measured in this order (rotated each round).
commands=$(mktemp)
{
  printf 'spotctl --version\t%s --version\n' "$BENCH_SPOTCTL"
  [ -z "$compare" ] || printf 'before: spotctl --version\t%s --version\n' "$compare"
  printf 'psql --version\t%s --version\n' "$PG_BIN/psql"
  printf 'spotctl health postgres redis\t%s %s\n' "$BENCH_SPOTCTL" "$health_args"
  [ -z "$compare" ] || printf 'before: spotctl health postgres redis\t%s %s\n' "$compare" "$health_args"
  printf 'pg_isready\t%s -q -h %s -p %s -d startup\n' "$PG_BIN/pg_isready" "$sock" "$port"
  printf 'redis-cli ping\tredis-cli -s %s ping\n' "$redis_sock"
} >"$commands"
mapfile -t names < <(cut -f1 "$commands")
mapfile -t cmds < <(cut -f2 "$commands")
for i in "${!cmds[@]}"; do
  eval "${cmds[i]}" >/dev/null || bench_die "${names[i]} fails here (exit $?): ${cmds[i]}"
done

work=$(mktemp -d)
bench_on_exit "rm -rf '$work' '$commands'"
n=${#cmds[@]}
bench_log "$rounds rounds of $runs runs (after 3 warm-ups) for each of $n commands"
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < n; k++)); do
    i=$(((k + r) % n))
    # -i: on a loaded machine a PING can take over health's 50 ms latency warning, and WARNING
    # exits 1; that run cost the same (each command was checked to succeed above).
    bench_hyperfine_times "$work/$i" -N -i --warmup 3 --runs "$runs" --command-name "${names[i]}" "${cmds[i]}"
  done
done
index_of() { local i; for i in "${!names[@]}"; do [ "${names[i]}" = "$1" ] && { echo "$i"; return; }; done; }
# The peers in sequence: pg_isready's k-th run plus redis-cli's k-th run (the same round).
paste -d' ' "$work/$(index_of pg_isready)" "$work/$(index_of 'redis-cli ping')" | awk '{ printf "%.6f\n", $1 + $2 }' >"$work/sequence"

median_of() { local s; s=$(bench_stats "$1"); awk '{ print $5 }' <<<"$s"; }
rows=$(mktemp)
bench_on_exit "rm -f '$rows'"
printf 'command\tmean\tmedian\tmin\tmax\tstddev\n' >"$rows"
row() {
  local mean min max sd median
  read -r mean min max sd median <<<"$(bench_stats "$2")"
  printf '%s\t%s\t%s\t%s\t%s\t± %s\n' "$1" "$(bench_fmt_ms "$mean")" "$(bench_fmt_ms "$median")" "$(bench_fmt_ms "$min")" \
    "$(bench_fmt_ms "$max")" "$(bench_fmt_ms "$sd")" >>"$rows"
}
for i in "${!names[@]}"; do row "${names[i]}" "$work/$i"; done
row "pg_isready + redis-cli ping (the k-th runs of each, summed)" "$work/sequence"

# Libraries and the dynamic loader's work for one `--version`.
loader_row() {  # LABEL BINARY
  local libs stats relocs relative cycles instructions stack
  libs=$(ldd "$2" | wc -l)
  stack=$(ldd "$2" | { grep -o -E 'lib(pango|cairo|fontconfig|harfbuzz|curl|glib)[^ ]*' || true; } | sort -u | tr '\n' ' ')
  stats=$(LD_DEBUG=statistics "$2" --version 2>&1 >/dev/null)
  relocs=$(awk '/number of relocations:/ { print $NF; exit }' <<<"$stats")
  relative=$(awk '/number of relative relocations:/ { print $NF; exit }' <<<"$stats")
  cycles=$(awk '/total startup time in dynamic loader:/ { print $(NF - 1); exit }' <<<"$stats")
  # Instructions are not moved by other work on the machine as wall time is.
  instructions="—"
  if command -v valgrind >/dev/null 2>&1; then
    instructions=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$2" --version 2>&1 >/dev/null |
      awk '/refs:/ { gsub(",", "", $NF); print $NF }')
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$libs" "$relocs" "$relative" "$cycles" "$instructions" "${stack:-none}" >>"$loader"
}
loader=$(mktemp)
bench_on_exit "rm -f '$loader'"
printf 'binary (--version)\tldd lines\tsymbol relocations\trelative relocations\tld.so cycles (one run)\tinstructions (callgrind)\tPDF/HTTP stack linked\n' >"$loader"
[ -z "$compare" ] || loader_row "before (--compare)" "$compare"
loader_row "spotctl" "$BENCH_SPOTCTL"
loader_row "psql (PostgreSQL's binary)" "$PG_BIN/psql"

# Instructions of one health run against its peers' (callgrind; the children of `env` and the
# probes' threads included).
instructions_of() {  # COMMAND (a line of $commands, evaluated)
  if ! command -v valgrind >/dev/null 2>&1; then echo "—"; return; fi
  eval "valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null $1" 2>&1 >/dev/null |
    awk '/refs:/ { gsub(",", "", $NF); sum += $NF } END { print sum }'
}
health_instructions=$(mktemp)
bench_on_exit "rm -f '$health_instructions'"
printf 'command (one run)\tinstructions (callgrind)\n' >"$health_instructions"
for name in "spotctl health postgres redis" "before: spotctl health postgres redis" pg_isready "redis-cli ping"; do
  i=$(index_of "$name")
  [ -n "$i" ] || continue
  printf '%s\t%s\n' "$name" "$(instructions_of "${cmds[i]}")" >>"$health_instructions"
done
peers=$(awk -F'\t' '$1 == "pg_isready" || $1 == "redis-cli ping" { sum += $2 } END { print sum }' "$health_instructions")
printf 'pg_isready + redis-cli ping\t%s\n' "$peers" >>"$health_instructions"

version_ratio=$(awk -v a="$(median_of "$work/0")" -v b="$(median_of "$work/$(index_of 'psql --version')")" 'BEGIN { printf "%.2f", a / b }')
health_ratio=$(awk -v a="$(median_of "$work/$(index_of 'spotctl health postgres redis')")" -v b="$(median_of "$work/sequence")" \
  'BEGIN { printf "%.2f", a / b }')
verdict() { awk -v r="$1" 'BEGIN { print (r <= 1.0 ? "**met**" : "**not met**") }'; }

body=$(mktemp)
bench_on_exit "rm -f '$body'"
{
  bench_machine_md
  printf -- '- Load average (1/5/15 min) at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf -- '- Versions: spotctl %s; PostgreSQL %s (psql, pg_isready from %s); %s; hyperfine %s\n' \
    "$("$BENCH_SPOTCTL" --version | awk '{print $2}')" "$(bench_psql -Atc 'SHOW server_version')" "$PG_BIN" \
    "$(redis-cli --version)" "$(hyperfine --version | awk '{print $2}')"
  printf -- '- Command: `%s`. Each command: %s rounds of `hyperfine -N -i --warmup 3 --runs %s`, the commands taking turns within a round (the order rotated each round) so that other work on the machine hits them alike; stats over all %s runs. PostgreSQL and Redis on unix sockets.\n' \
    "$invocation" "$rounds" "$runs" "$((rounds * runs))"
  printf -- '- spotctl health: `spotctl %s`\n\n' "$(echo "$health_args" | sed "s|$redis_sock|\$SOCK/redis.sock|; s|$sock|\$SOCK|g; s|port=$port|port=\$PORT|; s|$BENCH_ROOT/||")"
  bench_md_table <"$rows"
  printf '\n'
  bench_md_table <"$loader"
  printf '\n'
  bench_md_table <"$health_instructions"
  printf '\nTargets (medians): `spotctl --version` at most 1.0x `psql --version`: %sx, %s. `spotctl health postgres redis` at most 1.0x `pg_isready` + `redis-cli ping`: %sx, %s.\n' \
    "$version_ratio" "$(verdict "$version_ratio")" "$health_ratio" "$(verdict "$health_ratio")"
} >"$body"
cat "$body"
if ((write_results)); then bench_results_update startup "$body"; fi
