#!/usr/bin/env bash
# spotctl moderate on a throwaway PostgreSQL 15:
#   bulk      `moderate bulk --file` of 100,000 decisions in one transaction (photos approved with
#             their coins, chargers, reviews and profile changes approved or rejected), and the same
#             file with --continue-on-error (per-line report);
#   claims    `moderate claim --next` throughput with 8 staff claiming at once (one process each,
#             one transaction per claim), next to one staff member alone.
# Each run gets its own copy of the same database; after each, the result is checked: every item
# decided (or claimed exactly once), one audit row per change, balances equal to the ledger.
# Prints a markdown table and rewrites the "moderate" section of bench/RESULTS.md.
#
# Usage: bench/moderate.sh [--items N] [--claims N] [--no-results]
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

invocation="bench/moderate.sh${*:+ $*}"
items=100000
claims=4000
write_results=1
while (($#)); do
  case "$1" in
    --items) items=$2; shift 2 ;;
    --claims) claims=$2; shift 2 ;;
    --no-results) write_results=0; shift ;;
    *) echo "usage: bench/moderate.sh [--items N] [--claims N] [--no-results]" >&2; exit 64 ;;
  esac
done
for n in "$items" "$claims"; do [[ $n =~ ^[1-9][0-9]*$ ]] || bench_die "counts must be positive integers, got '$n'"; done
((items % 5 == 0)) || bench_die "--items must be a multiple of 5"
((claims % 8 == 0)) || bench_die "--claims must be a multiple of 8"

bench_install_deps
[ -x "$BENCH_SPOTCTL" ] || "$BENCH_ROOT/scripts/build"
bench_services_start
work=$BENCH_SERVICES_DIR/work
mkdir -p "$work"
db_psql() { psql -X -q -v ON_ERROR_STOP=1 "$(bench_pg_conninfo "$1")" "${@:2}"; }

# The data: 8 moderators, 10,000 users, 1,000 chargers; items/5 each of pending photos, chargers,
# reviews, name changes and phone changes, each with an open item.
per=$((items / 5))
bench_psql -c "CREATE DATABASE mod_data" >/dev/null
"$BENCH_SPOTCTL" -q --database-url "$(bench_pg_conninfo mod_data)" migrate --dir "$BENCH_ROOT/migrations" up
t0=$(date +%s)
db_psql mod_data -c "
INSERT INTO users (id, email, name, role)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'mod' || i || '@spot.example', 'Mod ' || i, 'moderator'
  FROM generate_series(1, 8) i;
INSERT INTO users (id, email, name)
SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, 'user' || i || '@example.com', 'User ' || i
  FROM generate_series(0, greatest(9999, $per - 1)) i;
INSERT INTO chargers (id, name, address, city, latitude, longitude, port_types, total_ports, available_ports)
SELECT ('00000000-0000-4000-a000-' || lpad(to_hex(i), 12, '0'))::uuid, 'Charger ' || i, i || ' Road', 'Pune', 18.5, 73.8, '{CCS}', 2, 2
  FROM generate_series(0, greatest(999, $per - 1)) i;
INSERT INTO charger_photos (id, charger_id, uploader_id, storage_url)
SELECT ('00000000-0000-4000-b000-' || lpad(to_hex(i), 12, '0'))::uuid, ('00000000-0000-4000-a000-' || lpad(to_hex(i % 1000), 12, '0'))::uuid,
       ('00000000-0000-4000-9000-' || lpad(to_hex(i % 10000), 12, '0'))::uuid, 's3://photos/' || i || '.jpg'
  FROM generate_series(0, $per - 1) i;
INSERT INTO charger_reviews (id, charger_id, user_id, rating, body)
SELECT ('00000000-0000-4000-c000-' || lpad(to_hex(i), 12, '0'))::uuid, ('00000000-0000-4000-a000-' || lpad(to_hex(i % 1000), 12, '0'))::uuid,
       ('00000000-0000-4000-9000-' || lpad(to_hex(i / 1000), 12, '0'))::uuid, 1 + i % 5, 'Review ' || i
  FROM generate_series(0, $per - 1) i;
INSERT INTO profile_changes (id, user_id, field, old_value, new_value)
SELECT ('00000000-0000-4000-d000-' || lpad(to_hex(i), 12, '0'))::uuid, ('00000000-0000-4000-9000-' || lpad(to_hex(i / 2), 12, '0'))::uuid,
       CASE WHEN i % 2 = 0 THEN 'name' ELSE 'phone' END, NULL,
       CASE WHEN i % 2 = 0 THEN 'Renamed ' || i ELSE '+91' || (9000000000 + i) END
  FROM generate_series(0, 2 * $per - 1) i;
INSERT INTO moderation_items (id, subject_type, subject_id, reason, created_at)
SELECT ('00000000-0000-4000-e000-' || lpad(to_hex(k), 12, '0'))::uuid,
       (ARRAY['photo', 'charger', 'review', 'profile_change', 'profile_change'])[k % 5 + 1],
       ((ARRAY['00000000-0000-4000-b000-', '00000000-0000-4000-a000-', '00000000-0000-4000-c000-', '00000000-0000-4000-d000-',
              '00000000-0000-4000-d000-'])[k % 5 + 1] || lpad(to_hex(CASE WHEN k % 5 = 4 THEN (k / 5) * 2 + 1 WHEN k % 5 = 3 THEN (k / 5) * 2 ELSE k / 5 END), 12, '0'))::uuid,
       'flagged', now() - ($items - k) * interval '1 second'
  FROM generate_series(0, $items - 1) k" -c "VACUUM ANALYZE"
n_items=$(db_psql mod_data -Atc "SELECT count(*) FROM moderation_items")
bench_log "loaded $n_items items in $(($(date +%s) - t0)) s"

# The decision file: photos approved (coins), the rest alternately approved and rejected.
db_psql mod_data -Atc "COPY (SELECT id, CASE WHEN subject_type = 'photo' OR row_number() OVER (ORDER BY id) % 2 = 0 THEN 'approve' ELSE 'reject' END,
  'bench decision ' || row_number() OVER (ORDER BY id) FROM moderation_items ORDER BY created_at) TO STDOUT WITH (FORMAT csv)" >"$work/decisions.csv"
lines=$(wc -l <"$work/decisions.csv")

copy_db() { bench_psql -c "CREATE DATABASE $1 TEMPLATE mod_data" >/dev/null; }
check_decided() {
  local db=$1 decided audit mismatches
  decided=$(db_psql "$db" -Atc "SELECT count(*) FROM moderation_items WHERE status IN ('approved', 'rejected')")
  audit=$(db_psql "$db" -Atc "SELECT count(*) FROM audit_log WHERE action LIKE 'moderation.%'")
  mismatches=$(db_psql "$db" -Atc "SELECT count(*) FROM users u WHERE coin_balance <> (SELECT coalesce(sum(amount), 0) FROM coin_transactions t WHERE t.user_id = u.id)")
  [ "$decided" = "$n_items" ] && [ "$audit" = "$n_items" ] && [ "$mismatches" = 0 ] ||
    bench_die "$db: $decided decided, $audit audit rows, $mismatches ledger mismatches; expected $n_items, $n_items, 0"
}

# bulk: one transaction.
copy_db mod_bulk
bulk_ms=$(bench_time_ms "$BENCH_SPOTCTL" -q --database-url "$(bench_pg_conninfo mod_bulk)" moderate bulk --file "$work/decisions.csv" --as mod1@spot.example)
check_decided mod_bulk
coins=$(db_psql mod_bulk -Atc "SELECT count(*) || ' entries, ' || sum(amount) || ' coins' FROM coin_transactions")
bench_log "bulk: $lines decisions in $bulk_ms ms ($coins)"

# bulk --continue-on-error: the per-line report, to a file.
copy_db mod_bulk_coe
coe_ms=$(bench_time_ms "$BENCH_SPOTCTL" -q -o csv --database-url "$(bench_pg_conninfo mod_bulk_coe)" moderate bulk --file "$work/decisions.csv" \
  --continue-on-error --as mod1@spot.example)
check_decided mod_bulk_coe
bench_log "bulk --continue-on-error: $lines decisions in $coe_ms ms"

# claims: 8 staff at once, each claiming claims/8 items; then one staff member alone.
claim_run() {  # DB PROCS PER -> wall ms; checks every claim went to exactly one staff member
  local db=$1 procs=$2 per_proc=$3 t0 t1 i pids=()
  copy_db "$db"
  t0=$(date +%s%N)
  for ((i = 1; i <= procs; i++)); do
    "$BENCH_SPOTCTL" -q -o csv --database-url "$(bench_pg_conninfo "$db")" moderate claim --next --count "$per_proc" \
      --as "mod$i@spot.example" >"$work/$db.$i.csv" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || bench_die "$db: a claimer failed"; done
  t1=$(date +%s%N)
  local claimed distinct
  claimed=$(cat "$work/$db".*.csv | grep -vc '^"id"')
  distinct=$(cat "$work/$db".*.csv | grep -v '^"id"' | cut -d, -f1 | sort -u | wc -l)
  local in_db
  in_db=$(db_psql "$db" -Atc "SELECT count(*) FROM moderation_items WHERE status = 'claimed'")
  [ "$claimed" = $((procs * per_proc)) ] && [ "$distinct" = "$claimed" ] && [ "$in_db" = "$claimed" ] ||
    bench_die "$db: $claimed claims, $distinct distinct, $in_db claimed in the database; expected $((procs * per_proc))"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e6 }'
}
claim8_ms=$(claim_run mod_claim8 8 $((claims / 8)))
bench_log "claims: $claims by 8 staff in $claim8_ms ms"
claim1_ms=$(claim_run mod_claim1 1 "$claims")
bench_log "claims: $claims by 1 staff member in $claim1_ms ms"

body=$(mktemp)
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", n / (ms / 1000) }'; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 }'; }
{
  bench_machine_md
  printf -- '- PostgreSQL %s (scripts/services.sh: unix socket, fsync off), spotctl %s\n' "$(bench_psql -Atc 'SHOW server_version')" \
    "$("$BENCH_SPOTCTL" --version | awk '{ print $2 }')"
  printf -- '- Command: `%s` (one run of each; each on its own copy of the database)\n' "$invocation"
  printf -- '- Data: %s open moderation items, a fifth each about pending photos, chargers, reviews, name changes and phone changes; 10,000 users, 8 moderators. The file: photos approved (%s in the ledger), the rest alternately approved and rejected. Checked after each bulk run: every item decided, one audit row per item, every balance equal to its ledger sum; after each claim run: every claim a different item, all of them claimed in the database.\n' \
    "$n_items" "$coins"
  printf -- '- bulk: `spotctl moderate bulk --file decisions.csv --as mod1@spot.example` (one transaction); with `--continue-on-error -o csv` (per-line report)\n'
  printf -- '- claims: `spotctl moderate claim --next --count N --as modI@spot.example`, 8 processes at once (N = %s) and 1 process (N = %s); one transaction per claim, each with its audit row\n\n' \
    $((claims / 8)) "$claims"
  {
    printf 'what\tcount\twall\tper second\n'
    printf 'bulk, one transaction\t%s decisions\t%s\t%s\n' "$lines" "$(secs "$bulk_ms")" "$(rate "$lines" "$bulk_ms")"
    printf 'bulk --continue-on-error\t%s decisions\t%s\t%s\n' "$lines" "$(secs "$coe_ms")" "$(rate "$lines" "$coe_ms")"
    printf 'claim --next, 8 staff at once\t%s claims\t%s\t%s\n' "$claims" "$(secs "$claim8_ms")" "$(rate "$claims" "$claim8_ms")"
    printf 'claim --next, 1 staff member\t%s claims\t%s\t%s\n' "$claims" "$(secs "$claim1_ms")" "$(rate "$claims" "$claim1_ms")"
  } | bench_md_table
} >"$body"
cat "$body"
if ((write_results)); then bench_results_update moderate "$body"; fi
rm -f "$body"
