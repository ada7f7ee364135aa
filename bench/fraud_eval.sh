#!/usr/bin/env bash
# Quality of the fraud rules against planted, labelled fraud: `spotctl seed generate --scale N`
# (default 10) plants for every rule patterns above its threshold (label fraud), just under it
# (near_miss) and legitimate look-alikes (lookalike) in spotctl_seed_truth. `spotctl fraud scan`
# runs over all of the data; then, per rule:
#   recall    = labelled fraud subjects flagged / labelled fraud subjects
#   precision = flagged subjects labelled fraud / all subjects flagged (anything flagged that is
#               not labelled fraud, planted near-miss, look-alike or ordinary user, counts against it)
# Target: recall >= 0.95 and precision >= 0.9 for every rule.
# Prints a markdown table and rewrites the "fraud_eval" section of bench/RESULTS.md.
#
# Usage: bench/fraud_eval.sh [--scale N] [--no-results]
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

invocation="bench/fraud_eval.sh${*:+ $*}"
scale=10
write_results=1
while (($#)); do
  case "$1" in
    --scale) scale=$2; shift 2 ;;
    --no-results) write_results=0; shift ;;
    *) echo "usage: bench/fraud_eval.sh [--scale N] [--no-results]" >&2; exit 64 ;;
  esac
done
[[ $scale =~ ^[1-9][0-9]*$ ]] || bench_die "--scale must be a positive integer, got '$scale'"

bench_install_deps
[ -x "$BENCH_SPOTCTL" ] || "$BENCH_ROOT/scripts/build"
bench_services_start
db=fraud_eval
bench_psql -c "CREATE DATABASE $db" >/dev/null
url=$(bench_pg_conninfo $db)
db_psql() { psql -X -q -v ON_ERROR_STOP=1 "$url" "$@"; }
"$BENCH_SPOTCTL" -q --database-url "$url" migrate --dir "$BENCH_ROOT/migrations" up
t0=$(date +%s)
"$BENCH_SPOTCTL" -q --database-url "$url" seed generate --scale "$scale" >/dev/null
bench_log "generated scale $scale in $(($(date +%s) - t0)) s"
db_psql -c "VACUUM ANALYZE"
from=$(db_psql -Atc "SELECT least((SELECT min(created_at) FROM login_attempts), (SELECT min(created_at) FROM charger_verifications), (SELECT min(created_at) FROM payments))")
to=$(db_psql -Atc "SELECT greatest((SELECT max(created_at) FROM login_attempts), (SELECT max(created_at) FROM charger_verifications), (SELECT max(created_at) FROM payments)) + interval '1 second'")
t0=$(date +%s%N)
"$BENCH_SPOTCTL" --database-url "$url" fraud scan --from "$from" --to "$to" >"$BENCH_SERVICES_DIR/scan.txt"
scan_ms=$((($(date +%s%N) - t0) / 1000000))
cat "$BENCH_SERVICES_DIR/scan.txt" >&2

body=$(mktemp)
{
  bench_machine_md
  printf -- '- PostgreSQL %s, spotctl %s\n' "$(bench_psql -Atc 'SHOW server_version')" "$("$BENCH_SPOTCTL" --version | awk '{print $2}')"
  printf -- '- Command: `%s`: `spotctl seed generate --scale %s`, then `spotctl fraud scan --from %s --to %s` (all rules, default thresholds) in %s ms\n\n' \
    "$invocation" "$scale" "$from" "$to" "$scan_ms"
  db_psql -At -F $'\t' -c "
WITH per AS ($(grep -v '^--' "$BENCH_ROOT/bench/fraud_eval.sql"))
SELECT 'rule', 'labelled fraud', 'flagged', 'recall', 'precision', 'near misses flagged', 'look-alikes flagged', 'target met'
UNION ALL
SELECT rule, fraud::text, flagged::text,
       CASE WHEN fraud = 0 THEN '-' ELSE to_char(caught::numeric / fraud, 'FM0.000') END,
       CASE WHEN flagged = 0 THEN '-' ELSE to_char(caught::numeric / flagged, 'FM0.000') END,
       near_flagged || ' of ' || near, look_flagged || ' of ' || look,
       CASE WHEN fraud > 0 AND flagged > 0 AND caught::numeric / fraud >= 0.95 AND caught::numeric / flagged >= 0.9 THEN 'yes' ELSE 'NO' END
  FROM per" | bench_md_table
} >"$body"
cat "$body"
if ((write_results)); then bench_results_update fraud_eval "$body"; fi
rm -f "$body"
