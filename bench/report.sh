#!/usr/bin/env bash
# spotctl report export of 2,000,000 payment rows to CSV, next to psql's client-side COPY of the
# same rows, on a throwaway PostgreSQL 15:
#   spotctl -o csv report export payments --from .. --to .. --output-file F   (formula guard on)
#   spotctl ... --raw                                                          (guard off)
#   psql -c "\copy (SELECT <the same columns> ... ORDER BY created_at, id) to 'F' csv header"
# The --raw file must be byte-identical to psql's (cmp), and the guarded one longer by exactly
# one byte per guarded cell. Wall time and peak resident memory from GNU time (/usr/bin/time -v);
# rounds interleaved, the median reported. Then a year of daily revenue as a PDF (365 periods x
# 5 methods), against the same report as CSV, so the PDF's own cost shows.
# Prints a markdown table and rewrites the "report" section of bench/RESULTS.md.
#
# Usage: bench/report.sh [--rows N] [--rounds N] [--no-results]
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

invocation="bench/report.sh${*:+ $*}"
rows=2000000
rounds=3
write_results=1
while (($#)); do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --no-results) write_results=0; shift ;;
    *) echo "usage: bench/report.sh [--rows N] [--rounds N] [--no-results]" >&2; exit 64 ;;
  esac
done
for n in "$rows" "$rounds"; do [[ $n =~ ^[1-9][0-9]*$ ]] || bench_die "counts must be positive integers, got '$n'"; done

bench_install_deps
[ -x "$BENCH_SPOTCTL" ] || "$BENCH_ROOT/scripts/build"
bench_services_start
work=$BENCH_SERVICES_DIR/work
mkdir -p "$work"
db=$(bench_pg_conninfo report_data)
db_psql() { psql -X -q -v ON_ERROR_STOP=1 "$db" "$@"; }

bench_psql -c "CREATE DATABASE report_data" >/dev/null
"$BENCH_SPOTCTL" -q --database-url "$db" migrate --dir "$BENCH_ROOT/migrations" up
t0=$(date +%s)
# A year of payments (2025-12-01 to 2026-11-30 UTC), five methods, a few refunds, and a
# provider_ref that a spreadsheet would execute every 1000th row (the guard's work).
db_psql -c "
INSERT INTO users (id, email, name)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'user' || i || '@example.com', 'User ' || i
  FROM generate_series(1, 10000) i" \
  -c "
INSERT INTO payments (user_id, amount_minor, currency, method, card_fingerprint, provider_ref, status, created_at, updated_at, refunded_at)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i % 10000 + 1), 12, '0'))::uuid,
       100 + (i::bigint * 7919) % 150000, 'INR',
       (ARRAY['card', 'upi', 'wallet', 'coins', 'cash'])[i % 5 + 1],
       CASE WHEN i % 5 = 0 THEN 'fp_' || (i % 5000) END,
       CASE WHEN i % 1000 = 0 THEN '=pay_' || i ELSE 'pay_' || i END,
       CASE WHEN i % 50 = 0 THEN 'refunded' WHEN i % 20 = 0 THEN 'failed' ELSE 'succeeded' END,
       t, t, CASE WHEN i % 50 = 0 THEN t + interval '2 days' END
  FROM generate_series(1, $rows) i,
       LATERAL (SELECT timestamptz '2025-12-01 00:00Z' + (i - 1) * (interval '365 days' / $rows) AS t) ts" \
  -c "VACUUM ANALYZE payments"
bench_log "loaded $rows payments in $(($(date +%s) - t0)) s"

columns="id, user_id, reservation_id, amount_minor, currency, method, provider_ref, status, created_at, updated_at, refunded_at"
query="SELECT $columns FROM payments WHERE created_at >= '2025-12-01 00:00Z' AND created_at < '2026-12-01 00:00Z' ORDER BY created_at, id"

# measure NAME CMD...: one run under GNU time; appends "wall_s rss_kb cpu_s" to $work/NAME.
measure() {
  local name=$1; shift
  "$BENCH_TIME" -v -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt" >&2; bench_die "$name failed"; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; wall = s }
              /Maximum resident set size/ { rss = $2 }
              /User time \(seconds\)/ { cpu += $2 }
              /System time \(seconds\)/ { cpu += $2 }
              END { printf "%.3f %s %.2f\n", wall, rss, cpu }' "$work/time.txt" >>"$work/$name"
}

spotctl_export=("$BENCH_SPOTCTL" -q -o csv --database-url "$db" report export payments --from 2025-12-01 --to 2026-11-30 --output-file "$work/spotctl.csv")
for ((r = 1; r <= rounds; r++)); do
  bench_log "round $r of $rounds"
  measure psql env PGTZ=UTC PGDATESTYLE=ISO psql -X -q "$db" -c "\\copy ($query) to '$work/psql.csv' csv header"
  measure spotctl "${spotctl_export[@]}"
  measure spotctl_raw "${spotctl_export[@]/%spotctl.csv/spotctl-raw.csv}" --raw
done
# Both files hold the same rows: the same count of records (Python's csv module reads both).
count() { python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))) - 1)' "$1"; }
n_psql=$(count "$work/psql.csv")
n_spotctl=$(count "$work/spotctl.csv")
[ "$n_psql" = "$rows" ] && [ "$n_spotctl" = "$rows" ] || bench_die "rows: psql $n_psql, spotctl $n_spotctl, expected $rows"
guarded=$(grep -c ",'=pay_" "$work/spotctl.csv" || true)
size_psql=$(stat -c %s "$work/psql.csv")
size_spotctl=$(stat -c %s "$work/spotctl.csv")
size_raw=$(stat -c %s "$work/spotctl-raw.csv")
cmp -s "$work/spotctl-raw.csv" "$work/psql.csv" || bench_die "spotctl --raw and psql wrote different files: cmp $work/spotctl-raw.csv $work/psql.csv"
[ "$size_spotctl" = $((size_psql + guarded)) ] || bench_die "guarded file: $size_spotctl bytes, expected $size_psql + $guarded guarded cells"

# median of column $2 of file $1
median() { awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
row() {  # row LABEL FILE
  local wall rss
  wall=$(median "$work/$2" 1)
  rss=$(median "$work/$2" 2)
  printf '%s\t%s s\t%s\t%s s\t%s\n' "$1" "$wall" "$(awk -v r="$rows" -v s="$wall" 'BEGIN { printf "%.0f", r / s }')" "$(median "$work/$2" 3)" "$(bench_fmt_kb "$rss")"
}
p_wall=$(median "$work/psql" 1)
s_wall=$(median "$work/spotctl" 1)
ratio=$(awk -v p="$p_wall" -v s="$s_wall" 'BEGIN { printf "%.2f", p / s }')

# A year of daily revenue: PDF against CSV of the same report (the difference is the PDF).
for ((r = 1; r <= rounds; r++)); do
  measure pdf "$BENCH_SPOTCTL" -q -o pdf --database-url "$db" report run revenue --from 2025-12-01 --to 2026-11-30 --output-file "$work/revenue.pdf"
  measure pdf_csv "$BENCH_SPOTCTL" -q -o csv --database-url "$db" report run revenue --from 2025-12-01 --to 2026-11-30 --output-file "$work/revenue.csv"
done
pages=$(pdfinfo "$work/revenue.pdf" | awk '/^Pages:/ { print $2 }')
pdf_size=$(stat -c %s "$work/revenue.pdf")
pdf_wall=$(median "$work/pdf" 1)
csv_wall=$(median "$work/pdf_csv" 1)

body=$(mktemp)
{
  bench_machine_md
  printf -- '- PostgreSQL %s (scripts/services.sh: unix socket, fsync off), spotctl %s, psql %s\n' "$(bench_psql -Atc 'SHOW server_version')" \
    "$("$BENCH_SPOTCTL" --version | awk '{ print $2 }')" "$(psql --version | awk '{ print $3 }')"
  printf -- '- Command: `%s` (%s interleaved rounds; medians)\n' "$invocation" "$rounds"
  printf -- '- Data: %s payments over a year; export of all of them ordered by created_at, id. psql: `psql -c "\\copy (SELECT <11 columns> FROM payments WHERE created_at >= .. AND created_at < .. ORDER BY created_at, id) to FILE csv header"` (%s bytes, with `PGTZ=UTC PGDATESTYLE=ISO`); spotctl: `spotctl -o csv report export payments --from 2025-12-01 --to 2026-11-30 --output-file FILE` (%s bytes: %s provider_ref cells guarded, one byte each); with `--raw` %s bytes, identical to psql'"'"'s file (`cmp`). Both files read back by Python'"'"'s csv module: %s rows each.\n' \
    "$rows" "$size_psql" "$size_spotctl" "$guarded" "$size_raw" "$rows"
  printf -- '- Wall time and peak RSS from `/usr/bin/time -v`\n\n'
  {
    printf 'how\twall\trows/s\tclient CPU (user+sys)\tpeak RSS\n'
    row 'psql \copy ... csv header' psql
    row 'spotctl report export (formula guard on)' spotctl
    row 'spotctl report export --raw' spotctl_raw
  } | bench_md_table
  printf '\nspotctl with the guard on exports at %s of psql'"'"'s throughput.\n\n' "$ratio"
  {
    printf 'a year of daily revenue (%s periods x 5 methods)\twall\tclient CPU (user+sys)\tpeak RSS\toutput\n' 365
    printf 'spotctl report run revenue -o pdf\t%s s\t%s s\t%s\t%s pages, %s bytes\n' "$pdf_wall" "$(median "$work/pdf" 3)" "$(bench_fmt_kb "$(median "$work/pdf" 2)")" "$pages" "$pdf_size"
    printf 'spotctl report run revenue -o csv (same query)\t%s s\t%s s\t%s\t\n' "$csv_wall" "$(median "$work/pdf_csv" 3)" "$(bench_fmt_kb "$(median "$work/pdf_csv" 2)")"
  } | bench_md_table
  printf '\nThe PDF itself (layout, chart, %s pages) costs %s s over the same report as CSV; the rest is the query over %s payments.\n' \
    "$pages" "$(awk -v a="$pdf_wall" -v b="$csv_wall" 'BEGIN { printf "%.2f", a - b }')" "$rows"
} >"$body"
cat "$body"
if ((write_results)); then bench_results_update report "$body"; fi
rm -f "$body"
