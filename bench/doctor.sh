#!/usr/bin/env bash
# spotctl doctor at a large scale: every check's time inside `spotctl doctor`, next to the bare
# SQL of that check run in psql (what an operator would otherwise paste by hand; psql's \timing,
# so connection start-up is not counted), and a run with --replica-url, where the read-only checks
# go to a streaming replica (scripts/replica.sh) while schema_drift and btree_corruption stay on
# the primary. The Redis checks scan an empty cache here: their cost is the scan, measured by
# bench/cache.sh.
# Data: `spotctl seed generate --scale N --anchor now` (scale 100: 10M login attempts).
# Prints a markdown table and rewrites the "doctor" section of bench/RESULTS.md.
#
# Usage: bench/doctor.sh [--scale N] [--runs N] [--no-replica] [--no-results]
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

invocation="bench/doctor.sh${*:+ $*}"
scale=100
runs=3
replica=1
write_results=1
while (($#)); do
  case "$1" in
    --scale) scale=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --no-replica) replica=0; shift ;;
    --no-results) write_results=0; shift ;;
    *) echo "usage: bench/doctor.sh [--scale N] [--runs N] [--no-replica] [--no-results]" >&2; exit 64 ;;
  esac
done
for n in "$scale" "$runs"; do [[ $n =~ ^[1-9][0-9]*$ ]] || bench_die "--scale and --runs must be positive integers, got '$n'"; done
command -v python3 >/dev/null || bench_die "python3 is needed to read spotctl's JSON"

bench_install_deps
[ -x "$BENCH_SPOTCTL" ] || "$BENCH_ROOT/scripts/build"
bench_services_start
db=doctor_bench
conn=$(bench_pg_conninfo "$db")
export SPOTCTL_MIGRATIONS_DIR=$BENCH_ROOT/migrations
spot() { "$BENCH_SPOTCTL" -q --database-url "$conn" --redis-url "unix://$BENCH_SERVICES_DIR/redis.sock" "$@"; }

bench_psql -c "CREATE DATABASE $db" >/dev/null
spot migrate up
t0=$(date +%s)
spot seed generate --scale "$scale" --anchor now >/dev/null
gen_s=$(($(date +%s) - t0))
psql -X -q "$conn" -c "VACUUM ANALYZE" >/dev/null
logins=$(psql -X -Atq "$conn" -c "SELECT count(*) FROM login_attempts")
size=$(psql -X -Atq "$conn" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")
bench_log "generated scale $scale in $gen_s s ($logins login attempts, $size)"

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-doctor.XXXXXX")
bench_on_exit "rm -rf '$work'"

# doctor: each check's own duration_ms from -o json, per run.
for ((i = 1; i <= runs; i++)); do
  rc=0
  spot -o json doctor >"$work/doctor.$i.json" || rc=$?
  ((rc <= 1)) || bench_die "spotctl doctor exited $rc"
  bench_log "doctor run $i: exit $rc"
done
spot -o json doctor --list >"$work/list.json"

# The bare SQL of each SQL check, through psql with \timing (server round trip only).
python3 - "$work/list.json" "$work" <<'PY'
import json, sys
checks = json.load(open(sys.argv[1]))
for c in checks:
    if c.get("sql"):
        sql = c["sql"].replace("$1::numeric", "0.75::numeric")
        open(f"{sys.argv[2]}/{c['check']}.sql", "w").write(f"\\timing on\nSELECT count(*) FROM ({sql}) f;\n")
PY
for f in "$work"/*.sql; do
  name=$(basename "$f" .sql)
  for ((i = 1; i <= runs; i++)); do
    psql -X -q -v ON_ERROR_STOP=1 "$conn" -f "$f" | awk '/^Time:/ { print $2 }' >>"$work/$name.psql"
  done
done

replica_note="not run (--no-replica)"
if ((replica)); then
  # shellcheck source=../scripts/replica.sh
  . "$BENCH_ROOT/scripts/replica.sh"
  replica_start "$BENCH_SERVICES_DIR" "$BENCH_SERVICES_DIR/replica"
  bench_on_exit "replica_stop '$BENCH_SERVICES_DIR/replica'"
  rconn="host=$SPOTCTL_REPLICA_HOST port=$SPOTCTL_REPLICA_PORT user=postgres dbname=$db"
  # Wait until the replica has replayed everything the primary wrote.
  lsn=$(bench_psql -Atc "SELECT pg_current_wal_lsn()")
  until [ "$(psql -X -Atq "$rconn" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" = t ]; do sleep 1; done
  for ((i = 1; i <= runs; i++)); do
    rc=0
    spot -o json doctor --replica-url "$rconn" >"$work/replica.$i.json" || rc=$?
    ((rc <= 1)) || bench_die "spotctl doctor --replica-url exited $rc"
  done
  replica_note="--replica-url: a streaming replica on the same machine (scripts/replica.sh)"
fi

body=$(mktemp)
python3 - "$work" "$runs" "$replica" >"$work/table.tsv" <<'PY'
import glob, json, os, statistics, sys
work, runs, replica = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
def median_ms(values):
    return f"{statistics.median(values):.1f} ms" if values else "—"
def per_check(prefix):
    out = {}
    for f in sorted(glob.glob(f"{work}/{prefix}.*.json")):
        for c in json.load(open(f))["checks"]:
            out.setdefault(c["name"], []).append(c)
    return out
doctor = per_check("doctor")
rep = per_check("replica") if replica else {}
cols = ["check", "status", "rows", "spotctl doctor (median)", "bare SQL in psql (median)"]
if replica: cols.append("doctor --replica-url (median)")
print("\t".join(cols))
for name, results in doctor.items():
    psql_file = f"{work}/{name}.psql"
    bare = [float(x) for x in open(psql_file).read().split()] if os.path.exists(psql_file) else []
    row = [name, results[0]["status"], str(results[0]["rows"]), median_ms([r["duration_ms"] for r in results]),
           median_ms(bare) if bare else "— (not one query)"]
    if replica: row.append(median_ms([r["duration_ms"] for r in rep.get(name, [])]))
    print("\t".join(row))
PY
{
  bench_machine_md
  printf -- '- PostgreSQL %s (scripts/services.sh: unix socket, fsync off), spotctl %s\n' "$(bench_psql -Atc 'SHOW server_version')" \
    "$("$BENCH_SPOTCTL" --version | awk '{ print $2 }')"
  printf -- '- Command: `%s` (%s runs of each; medians)\n' "$invocation" "$runs"
  printf -- '- Data: `spotctl seed generate --scale %s --anchor now` (%s login attempts, database %s, generated in %s s), then VACUUM ANALYZE; Redis empty\n' \
    "$scale" "$logins" "$size" "$gen_s"
  printf -- '- spotctl: `spotctl -o json doctor` (each check'"'"'s duration_ms); bare SQL: `SELECT count(*) FROM (<the check'"'"'s query from doctor --list -o json>) f` in psql with \\timing; replica: %s\n\n' "$replica_note"
  bench_md_table 2 <"$work/table.tsv"
} >"$body"
cat "$body"
if ((write_results)); then bench_results_update doctor "$body"; fi
rm -f "$body"
