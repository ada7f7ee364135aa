#!/usr/bin/env bash
# spotctl prune of 5,000,000 expired login attempts, on a throwaway PostgreSQL 15, next to the
# one statement an operator might run instead:
#   spotctl prune login_attempts      batches of --batch-size rows, one transaction each
#   psql -c "DELETE FROM login_attempts WHERE created_at < now() - interval '90 days'"
# The table also holds 1,000,000 recent attempts, which must stay, and has the platform's five
# indexes. Each run gets its own copy of the same database. Measured: wall time, and the longest
# transaction (how long row locks are held, and the vacuum horizon with them), both as spotctl
# reports it and as a sampler polling pg_stat_activity every 2 ms sees it.
# Prints a markdown table and rewrites the "prune" section of bench/RESULTS.md.
#
# Usage: bench/prune.sh [--rows N] [--recent N] [--batch-size N] [--no-results]
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

invocation="bench/prune.sh${*:+ $*}"
rows=5000000
recent=1000000
batch=5000
write_results=1
while (($#)); do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --recent) recent=$2; shift 2 ;;
    --batch-size) batch=$2; shift 2 ;;
    --no-results) write_results=0; shift ;;
    *) echo "usage: bench/prune.sh [--rows N] [--recent N] [--batch-size N] [--no-results]" >&2; exit 64 ;;
  esac
done
for n in "$rows" "$recent" "$batch"; do [[ $n =~ ^[1-9][0-9]*$ ]] || bench_die "counts must be positive integers, got '$n'"; done

bench_install_deps
[ -x "$BENCH_SPOTCTL" ] || "$BENCH_ROOT/scripts/build"
bench_services_start
work=$BENCH_SERVICES_DIR/work
mkdir -p "$work"
db_psql() { psql -X -q -v ON_ERROR_STOP=1 "$(bench_pg_conninfo "$1")" "${@:2}"; }

# One database with the data, copied (CREATE DATABASE ... TEMPLATE) for each run.
bench_psql -c "CREATE DATABASE prune_data" >/dev/null
"$BENCH_SPOTCTL" -q --database-url "$(bench_pg_conninfo prune_data)" migrate --dir "$BENCH_ROOT/migrations" up
t0=$(date +%s)
# Attempts arrive in time order: the expired ones (91 to ~150 days old) first, then recent ones.
db_psql prune_data -c "
INSERT INTO login_attempts (email, ip, success, country, user_agent, created_at)
SELECT 'user' || (i % 50000) || '@example.com', ('10.' || (i / 65536 % 256) || '.' || (i / 256 % 256) || '.' || (i % 256))::inet,
       i % 7 <> 0, 'IN', 'Mozilla/5.0 (Linux; Android 14)',
       now() - interval '91 days' - ($rows - i) * interval '1 second'
  FROM generate_series(1, $rows) i" \
  -c "
INSERT INTO login_attempts (email, ip, success, country, user_agent, created_at)
SELECT 'user' || (i % 50000) || '@example.com', ('10.' || (i / 65536 % 256) || '.' || (i / 256 % 256) || '.' || (i % 256))::inet,
       i % 7 <> 0, 'IN', 'Mozilla/5.0 (Linux; Android 14)',
       now() - interval '89 days' + i * (interval '89 days' / $recent)
  FROM generate_series(1, $recent) i" \
  -c "VACUUM ANALYZE login_attempts"
bench_log "loaded $rows expired and $recent recent login attempts in $(($(date +%s) - t0)) s"
size=$(db_psql prune_data -Atc "SELECT pg_size_pretty(pg_total_relation_size('login_attempts'))")

# sample APPLICATION_NAME: until a session with that name has come and gone, the longest
# transaction it had open, in seconds (on stdout).
sample() {
  db_psql postgres -Atc "SET client_min_messages = notice" -c "
DO \$\$
DECLARE longest interval := '0'; seen boolean := false; n int; current interval;
BEGIN
  FOR i IN 1..1500000 LOOP
    PERFORM pg_stat_clear_snapshot();
    SELECT count(*), max(clock_timestamp() - xact_start) INTO n, current
      FROM pg_stat_activity WHERE application_name = '$1' AND pid <> pg_backend_pid();
    IF n > 0 THEN seen := true; longest := greatest(longest, coalesce(current, '0'));
    ELSIF seen THEN EXIT;
    END IF;
    PERFORM pg_sleep(0.002);
  END LOOP;
  RAISE NOTICE 'longest %', round(extract(epoch FROM longest)::numeric, 3);
END \$\$" 2>&1 | awk '/longest/ { print $NF }'
}

# timed DB APP CMD...: runs CMD with the sampler watching APP; prints "wall_seconds sampled_longest_seconds".
timed() {
  local db=$1 app=$2; shift 2
  bench_psql -c "CREATE DATABASE $db TEMPLATE prune_data" >/dev/null
  sample "$app" >"$work/sampled" &
  local sampler=$!
  sleep 0.5
  local t0 t1
  t0=$(date +%s%N)
  "$@" >"$work/$db.out" 2>&1 || { cat "$work/$db.out" >&2; bench_die "$db failed"; }
  t1=$(date +%s%N)
  wait "$sampler"
  local left old
  left=$(db_psql "$db" -Atc "SELECT count(*) FROM login_attempts")
  old=$(db_psql "$db" -Atc "SELECT count(*) FROM login_attempts WHERE created_at < now() - interval '90 days'")
  [ "$left" = "$recent" ] && [ "$old" = 0 ] || bench_die "$db left $left rows ($old expired); expected $recent (0)"
  printf '%s %s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')" "$(cat "$work/sampled")"
}

read -r s_wall s_sampled <<<"$(timed prune_spotctl "spotctl prune" \
  "$BENCH_SPOTCTL" -o json --database-url "$(bench_pg_conninfo prune_spotctl)" prune login_attempts --batch-size "$batch")"
report=$(cat "$work/prune_spotctl.out")
s_longest=$(grep -o '"longest_transaction_ms": [0-9]*' <<<"$report" | awk '{ print $2 / 1000 }')
s_batches=$(grep -o '"batches": [0-9]*' <<<"$report" | awk '{ print $2 }')
s_rows=$(grep -o '"rows": [0-9]*' <<<"$report" | awk '{ print $2 }')
[ "$s_rows" = "$rows" ] || bench_die "spotctl reported $s_rows rows, expected $rows"
bench_log "spotctl: $s_wall s, longest transaction $s_longest s (sampled $s_sampled s), $s_batches batches"

read -r d_wall d_sampled <<<"$(PGAPPNAME=bench_delete timed prune_delete bench_delete \
  psql -X -q -v ON_ERROR_STOP=1 "$(bench_pg_conninfo prune_delete)" -c "DELETE FROM login_attempts WHERE created_at < now() - interval '90 days'")"
bench_log "one DELETE: $d_wall s, transaction sampled at $d_sampled s"

body=$(mktemp)
{
  bench_machine_md
  printf -- '- PostgreSQL %s (scripts/services.sh: unix socket, fsync off), spotctl %s\n' "$(bench_psql -Atc 'SHOW server_version')" \
    "$("$BENCH_SPOTCTL" --version | awk '{ print $2 }')"
  printf -- '- Command: `%s` (one run of each; each on its own copy of the database)\n' "$invocation"
  printf -- '- Data: `login_attempts` with %s rows older than 90 days and %s recent ones (%s with its 5 indexes after VACUUM ANALYZE); checked after each run: exactly the recent rows are left.\n' "$rows" "$recent" "$size"
  printf -- '- spotctl: `spotctl -o json prune login_attempts --batch-size %s`; one DELETE: `psql -c "DELETE FROM login_attempts WHERE created_at < now() - interval '"'"'90 days'"'"'"`\n' "$batch"
  printf -- '- Longest transaction: spotctl'"'"'s own figure (begin to commit of its longest batch) and, for both, a sampler polling `pg_stat_activity` (now - xact_start) every 2 ms\n\n'
  {
    printf 'how\twall\trows/s\ttransactions\tlongest transaction (reported)\tlongest transaction (sampled)\n'
    printf 'spotctl prune login_attempts\t%s s\t%s\t%s\t%s s\t%s s\n' "$s_wall" "$(awk -v r="$rows" -v s="$s_wall" 'BEGIN { printf "%.0f", r / s }')" "$s_batches" "$s_longest" "$s_sampled"
    printf 'one DELETE statement\t%s s\t%s\t1\t—\t%s s\n' "$d_wall" "$(awk -v r="$rows" -v s="$d_wall" 'BEGIN { printf "%.0f", r / s }')" "$d_sampled"
  } | bench_md_table
  printf '\nThe longest spotctl batch (%s rows) held its row locks and its snapshot for %s s (sampled %s s); the single DELETE held all %s row locks, and the oldest snapshot, for %s s.\n' \
    "$batch" "$s_longest" "$s_sampled" "$rows" "$d_sampled"
} >"$body"
cat "$body"
if ((write_results)); then bench_results_update prune "$body"; fi
rm -f "$body"
