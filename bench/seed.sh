#!/usr/bin/env bash
# spotctl seed against psql, on the same throwaway PostgreSQL 15:
#   load      a 1,000,000-row CSV into parking_lots (primary key, indexes) with `spotctl seed load`
#             and with `psql -c "\copy ... csv header"`, alternating, each into a fresh migrated database
#   generate  `spotctl seed generate` at scale 10 and 100: wall time, rows, peak memory
# Prints a markdown table and rewrites the "seed" section of bench/RESULTS.md.
#
# Usage: bench/seed.sh [--rows N] [--rounds N] [--scales "10 100"] [--no-results]
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

invocation="bench/seed.sh${*:+ $*}"
rows=1000000
rounds=3
scales="10 100"
write_results=1
while (($#)); do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --scales) scales=$2; shift 2 ;;
    --no-results) write_results=0; shift ;;
    *) echo "usage: bench/seed.sh [--rows N] [--rounds N] [--scales \"10 100\"] [--no-results]" >&2; exit 64 ;;
  esac
done

bench_install_deps
[ -x "$BENCH_SPOTCTL" ] || "$BENCH_ROOT/scripts/build"
bench_services_start
work=$BENCH_SERVICES_DIR/work
mkdir -p "$work/csv"

bench_psql -c "CREATE DATABASE seed_template" >/dev/null
"$BENCH_SPOTCTL" -q --database-url "$(bench_pg_conninfo seed_template)" migrate --dir "$BENCH_ROOT/migrations" up

# The CSV: one row a lot, quoted addresses with commas, as fixtures are written.
columns="id,name,address,city,latitude,longitude,timezone"
awk -v n="$rows" -v cols="$columns" 'BEGIN {
  print cols
  for (i = 1; i <= n; i++)
    printf "%08x-0000-4000-8000-%012x,Lot %d,\"%d Main Road, Block %d\",Bengaluru,%.6f,%.6f,Asia/Kolkata\n",
      i, i, i, i % 500, i % 97, 12.9 + (i % 1000) / 10000, 77.5 + (i % 997) / 10000
}' >"$work/csv/parking_lots.csv"
size=$(du -m "$work/csv/parking_lots.csv" | cut -f1)
bench_log "CSV: $rows rows, $size MB"

fresh_db() { bench_psql -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE seed_template" >/dev/null; }
# "seconds peak_kib" of one run, from GNU time.
timed() {
  local out
  out=$(mktemp)
  "$BENCH_TIME" -f '%e %M' -o "$out" "$@" >/dev/null 2>"$out.err" || { cat "$out.err" >&2; bench_die "failed: $*"; }
  tail -n 1 "$out"
  rm -f "$out" "$out.err"
}

spotctl_load=() psql_load=()
for ((r = 1; r <= rounds; r++)); do
  fresh_db load_spotctl
  spotctl_load+=("$(timed "$BENCH_SPOTCTL" -q --database-url "$(bench_pg_conninfo load_spotctl)" seed load --dir "$work/csv")")
  fresh_db load_psql
  psql_load+=("$(timed psql -X -q "$(bench_pg_conninfo load_psql)" -c "\\copy parking_lots($columns) from '$work/csv/parking_lots.csv' with (format csv, header true)")")
  bench_log "round $r: spotctl ${spotctl_load[-1]}, psql ${psql_load[-1]}"
done
n1=$(bench_psql -Atc "SELECT 1" >/dev/null; psql -X -Atc "SELECT count(*) FROM parking_lots" "$(bench_pg_conninfo load_spotctl)")
n2=$(psql -X -Atc "SELECT count(*) FROM parking_lots" "$(bench_pg_conninfo load_psql)")
[ "$n1" = "$rows" ] && [ "$n2" = "$rows" ] || bench_die "row counts differ: spotctl $n1, psql $n2, expected $rows"

# median of "seconds kib" pairs by seconds
median_pair() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'; }
read -r s_sec s_kib <<<"$(median_pair "${spotctl_load[@]}")"
read -r p_sec p_kib <<<"$(median_pair "${psql_load[@]}")"
ratio=$(awk -v a="$s_sec" -v b="$p_sec" 'BEGIN { printf "%.2f", b / a }')

gen_lines=()
for scale in $scales; do
  fresh_db gen_$scale
  read -r g_sec g_kib <<<"$(timed "$BENCH_SPOTCTL" -q --database-url "$(bench_pg_conninfo gen_$scale)" seed generate --scale "$scale")"
  g_rows=$(psql -X -Atc "SELECT sum(n) FROM (SELECT count(*) n FROM users UNION ALL SELECT count(*) FROM login_attempts UNION ALL SELECT count(*) FROM payments UNION ALL SELECT count(*) FROM charger_verifications UNION ALL SELECT count(*) FROM coin_transactions UNION ALL SELECT count(*) FROM notifications UNION ALL SELECT count(*) FROM reservations) t" "$(bench_pg_conninfo gen_$scale)")
  logins=$(psql -X -Atc "SELECT count(*) FROM login_attempts" "$(bench_pg_conninfo gen_$scale)")
  gen_lines+=("$(printf 'seed generate --scale %s\t%s s\t%s rows (%s login attempts)\t%s\t%s rows/s' "$scale" "$g_sec" "$g_rows" "$logins" "$(bench_fmt_kb "$g_kib")" "$(awk -v r="$g_rows" -v s="$g_sec" 'BEGIN { printf "%.0f", r / s }')")")
  bench_psql -c "DROP DATABASE gen_$scale" >/dev/null
done

body=$(mktemp)
{
  bench_machine_md
  printf -- '- PostgreSQL %s, psql %s, spotctl %s\n' "$(bench_psql -Atc 'SHOW server_version')" "$(psql --version | awk '{print $3}')" "$("$BENCH_SPOTCTL" --version | awk '{print $2}')"
  printf -- '- Command: `%s` (%s rounds, medians shown; the server runs with fsync off, as for the tests)\n\n' "$invocation" "$rounds"
  printf 'Load of a %s-row CSV (%s MB) into `parking_lots` (primary key), each run into a fresh migrated database:\n\n' "$rows" "$size"
  {
    printf 'tool\twall\trows/s\tpeak memory\n'
    printf 'spotctl seed load\t%s s\t%s\t%s\n' "$s_sec" "$(awk -v r="$rows" -v s="$s_sec" 'BEGIN { printf "%.0f", r / s }')" "$(bench_fmt_kb "$s_kib")"
    printf 'psql \\copy\t%s s\t%s\t%s\n' "$p_sec" "$(awk -v r="$rows" -v s="$p_sec" 'BEGIN { printf "%.0f", r / s }')" "$(bench_fmt_kb "$p_kib")"
  } | bench_md_table
  printf '\nspotctl reaches %s of psql'"'"'s throughput (target: at least 0.90). All rounds (seconds, peak KiB): spotctl %s; psql %s.\n\n' \
    "$ratio" "$(IFS=';'; echo "${spotctl_load[*]}")" "$(IFS=';'; echo "${psql_load[*]}")"
  printf 'Synthetic data (target: peak memory under 64 MB whatever the scale):\n\n'
  { printf 'command\twall\trows (main tables)\tpeak memory\tthroughput\n'; printf '%s\n' "${gen_lines[@]}"; } | bench_md_table
} >"$body"
cat "$body"
if ((write_results)); then bench_results_update seed "$body"; fi
rm -f "$body"
