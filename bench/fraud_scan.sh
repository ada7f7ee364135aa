#!/usr/bin/env bash
# spotctl fraud scan over the synthetic data set of `spotctl seed generate --scale N` (default
# 100: 100k users, 10 million login attempts, about a million verifications and payments), on a
# throwaway PostgreSQL 15. Per rule: the wall time of `spotctl fraud scan --rules RULE` over the
# whole data set (spotctl, its connection, the rule and the merge into fraud_alerts), next to the
# execution time of the rule's SQL alone as EXPLAIN ANALYZE reports it (PREPARE of the statement
# `spotctl fraud rules --sql` prints, then EXPLAIN ANALYZE EXECUTE with the default thresholds and
# the work_mem of 64MB that a scan sets for its rule transactions).
# The schema is migrated to the latest migration, indexes of 0010_fraud_indexes included.
# Prints a markdown table and rewrites the "fraud_scan" section of bench/RESULTS.md.
#
# Usage: bench/fraud_scan.sh [--scale N] [--no-results]
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

invocation="bench/fraud_scan.sh${*:+ $*}"
scale=100
write_results=1
while (($#)); do
  case "$1" in
    --scale) scale=$2; shift 2 ;;
    --no-results) write_results=0; shift ;;
    *) echo "usage: bench/fraud_scan.sh [--scale N] [--no-results]" >&2; exit 64 ;;
  esac
done
[[ $scale =~ ^[1-9][0-9]*$ ]] || bench_die "--scale must be a positive integer, got '$scale'"

bench_install_deps
[ -x "$BENCH_SPOTCTL" ] || "$BENCH_ROOT/scripts/build"
bench_services_start
db=fraud_scan
bench_psql -c "CREATE DATABASE $db" >/dev/null
url=$(bench_pg_conninfo $db)
db_psql() { psql -X -q -v ON_ERROR_STOP=1 "$url" "$@"; }
"$BENCH_SPOTCTL" -q --database-url "$url" migrate --dir "$BENCH_ROOT/migrations" up
t0=$(date +%s)
"$BENCH_SPOTCTL" -q --database-url "$url" seed generate --scale "$scale" >/dev/null
gen_s=$(($(date +%s) - t0))
bench_log "generated scale $scale in $gen_s s"
db_psql -c "VACUUM ANALYZE"
counts=$(db_psql -Atc "SELECT (SELECT count(*) FROM login_attempts) || ' login attempts, ' || (SELECT count(*) FROM charger_verifications) || ' verifications, ' || (SELECT count(*) FROM payments) || ' payments'")
from=$(db_psql -Atc "SELECT least((SELECT min(created_at) FROM login_attempts), (SELECT min(created_at) FROM charger_verifications), (SELECT min(created_at) FROM payments))")
to=$(db_psql -Atc "SELECT greatest((SELECT max(created_at) FROM login_attempts), (SELECT max(created_at) FROM charger_verifications), (SELECT max(created_at) FROM payments)) + interval '1 second'")
rules_json=$("$BENCH_SPOTCTL" -o json --database-url "$url" fraud rules --sql)

lines=()
total_ms=0
for rule in $(jq -r '.[].rule' <<<"$rules_json"); do
  sql=$(jq -r --arg r "$rule" '.[] | select(.rule == $r) | .sql' <<<"$rules_json")
  # "max_failures=5 window_minutes=15" -> "5, 15"
  args=$(jq -r --arg r "$rule" '.[] | select(.rule == $r) | .thresholds' <<<"$rules_json" | tr ' ' '\n' | cut -d= -f2 | paste -sd, | sed 's/,/, /g')
  # With the work_mem a scan's rule transaction sets.
  explain=$(db_psql -At -c "SET work_mem = '64MB'" -c "PREPARE q AS $sql" -c "EXPLAIN (ANALYZE, FORMAT TEXT) EXECUTE q('$from', '$to', $args)")
  sql_ms=$(awk '/Execution Time/ { print $3 }' <<<"$explain")
  db_psql -c "TRUNCATE fraud_alerts"
  t0=$(date +%s%N)
  out=$("$BENCH_SPOTCTL" -o json --database-url "$url" fraud scan --rules "$rule" --from "$from" --to "$to")
  wall_ms=$((($(date +%s%N) - t0) / 1000000))
  total_ms=$((total_ms + wall_ms))
  findings=$(jq -r '.[0].findings' <<<"$out")
  lines+=("$(printf '%s\t%s ms\t%s ms\t%s' "$rule" "$wall_ms" "$(awk -v v="$sql_ms" 'BEGIN { printf "%.0f", v }')" "$findings")")
  bench_log "$rule: scan $wall_ms ms, SQL alone $sql_ms ms, $findings findings"
done

body=$(mktemp)
{
  bench_machine_md
  printf -- '- PostgreSQL %s, spotctl %s\n' "$(bench_psql -Atc 'SHOW server_version')" "$("$BENCH_SPOTCTL" --version | awk '{print $2}')"
  printf -- '- Command: `%s`; data: `spotctl seed generate --scale %s` (%s; generated in %s s), window the whole data set [%s, %s)\n\n' \
    "$invocation" "$scale" "$counts" "$gen_s" "$from" "$to"
  { printf 'rule\tspotctl fraud scan --rules RULE (wall)\tEXPLAIN ANALYZE of the rule SQL\tfindings\n'; printf '%s\n' "${lines[@]}"; } | bench_md_table
  printf '\nAll eight rules one after the other: %s ms.\n' "$total_ms"
} >"$body"
cat "$body"
if ((write_results)); then bench_results_update fraud_scan "$body"; fi
rm -f "$body"
