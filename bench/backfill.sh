#!/usr/bin/env bash
# A backfill of every row of a table, on a throwaway PostgreSQL 15: spotctl's batched migration
# against the one UPDATE an operator (or a plain migration) would run instead:
#   spotctl migrate up      a `-- spotctl:batch table=t key=id target=200ms` migration, key ranges
#                           each in its own transaction, sized to about 200 ms each
#   psql -c "UPDATE t SET v = v + id % 5 + 1"
# Each run gets its own copy of the same database. Measured: wall time, and the longest
# transaction (how long row locks and the oldest snapshot are held): spotctl's own figure for its
# longest batch (`-v` prints it), and the single UPDATE's whole run (one statement, one transaction).
# Checked after both: the two tables are equal row for row.
# Prints a markdown table and rewrites the "backfill" section of bench/RESULTS.md.
#
# Usage: bench/backfill.sh [--rows N] [--target DURATION] [--no-results]
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

invocation="bench/backfill.sh${*:+ $*}"
rows=2000000
target=200ms
write_results=1
while (($#)); do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --target) target=$2; shift 2 ;;
    --no-results) write_results=0; shift ;;
    *) echo "usage: bench/backfill.sh [--rows N] [--target DURATION] [--no-results]" >&2; exit 64 ;;
  esac
done
[[ $rows =~ ^[1-9][0-9]*$ ]] || bench_die "--rows must be a positive integer, got '$rows'"
[[ $target =~ ^[1-9][0-9]*(ms|s)$ ]] || bench_die "--target must be a duration such as 200ms, got '$target'"

bench_install_deps
[ -x "$BENCH_SPOTCTL" ] || "$BENCH_ROOT/scripts/build"
bench_services_start
work=$BENCH_SERVICES_DIR/work
mkdir -p "$work/migrations"
db_psql() { psql -X -q -v ON_ERROR_STOP=1 "$(bench_pg_conninfo "$1")" "${@:2}"; }

bench_psql -c "CREATE DATABASE backfill_data" >/dev/null
t0=$(date +%s)
db_psql backfill_data -c "CREATE TABLE t (id bigint PRIMARY KEY, v int NOT NULL, note text NOT NULL)" \
  -c "INSERT INTO t SELECT g, g % 7, 'row ' || g FROM generate_series(1, $rows) g" -c "VACUUM ANALYZE t"
bench_log "loaded $rows rows in $(($(date +%s) - t0)) s"
size=$(db_psql backfill_data -Atc "SELECT pg_size_pretty(pg_total_relation_size('t'))")
cat >"$work/migrations/0001_backfill.up.sql" <<SQL
-- spotctl:batch table=t key=id target=$target
UPDATE t SET v = v + id % 5 + 1 WHERE id >= \$1 AND id < \$2;
SQL

wall() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }

bench_psql -c "CREATE DATABASE backfill_spotctl TEMPLATE backfill_data" >/dev/null
t0=$(date +%s%N)
"$BENCH_SPOTCTL" -v --database-url "$(bench_pg_conninfo backfill_spotctl)" migrate --dir "$work/migrations" up \
  >"$work/spotctl.out" 2>&1 || { cat "$work/spotctl.out" >&2; bench_die "spotctl migrate up failed"; }
t1=$(date +%s%N)
s_wall=$(wall "$t0" "$t1")
summary=$(grep -o 'backfill of 0001_backfill: .*' "$work/spotctl.out") || bench_die "no backfill summary in spotctl's output"
s_batches=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "batches,") print $(i - 1) }' <<<"$summary")
s_longest=$(awk '{ print $NF }' <<<"$summary")
bench_log "spotctl: $s_wall s; $summary"

bench_psql -c "CREATE DATABASE backfill_update TEMPLATE backfill_data" >/dev/null
t0=$(date +%s%N)
db_psql backfill_update -c "UPDATE t SET v = v + id % 5 + 1"
t1=$(date +%s%N)
u_wall=$(wall "$t0" "$t1")
bench_log "one UPDATE: $u_wall s"

digest() { db_psql "$1" -Atc "SELECT md5(string_agg(id || ':' || v, ',' ORDER BY id)) FROM t"; }
[ "$(digest backfill_spotctl)" = "$(digest backfill_update)" ] || bench_die "the backfilled table differs from the UPDATEd one"

body=$(mktemp)
{
  bench_machine_md
  printf -- '- PostgreSQL %s (scripts/services.sh: unix socket, fsync off), spotctl %s\n' "$(bench_psql -Atc 'SHOW server_version')" \
    "$("$BENCH_SPOTCTL" --version | awk '{ print $2 }')"
  printf -- '- Command: `%s` (one run of each; each on its own copy of the database)\n' "$invocation"
  printf -- '- Data: `t (id bigint PRIMARY KEY, v int, note text)` with %s rows (%s after VACUUM ANALYZE); checked after both runs: the two tables are equal.\n' "$rows" "$size"
  printf -- '- spotctl: `spotctl -v migrate up` of `-- spotctl:batch table=t key=id target=%s` / `UPDATE t SET v = v + id %% 5 + 1 WHERE id >= $1 AND id < $2`; one UPDATE: `psql -c "UPDATE t SET v = v + id %% 5 + 1"`\n' "$target"
  printf -- '- Longest transaction: spotctl'"'"'s own figure for its longest batch (begin to commit); the single UPDATE is one transaction, so its wall time (an upper bound by psql'"'"'s start-up)\n\n'
  {
    printf 'how\twall\trows/s\ttransactions\tlongest transaction\n'
    printf 'spotctl migrate up (batched)\t%s s\t%s\t%s\t%s\n' "$s_wall" "$(awk -v r="$rows" -v s="$s_wall" 'BEGIN { printf "%.0f", r / s }')" "$s_batches" "$s_longest"
    printf 'one UPDATE statement\t%s s\t%s\t1\t%s s\n' "$u_wall" "$(awk -v r="$rows" -v s="$u_wall" 'BEGIN { printf "%.0f", r / s }')" "$u_wall"
  } | bench_md_table
} >"$body"
cat "$body"
if ((write_results)); then bench_results_update backfill "$body"; fi
rm -f "$body"
