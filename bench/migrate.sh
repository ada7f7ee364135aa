#!/usr/bin/env bash
# spotctl migrate against dbmate, side by side on the same throwaway PostgreSQL 15:
#   up      200 generated small migrations applied to a fresh empty database (one per run)
#   status  on the up-to-date database
#   --version of each binary (process start-up cost)
# Prints a markdown table and rewrites the "migrate" section of bench/RESULTS.md.
#
# Usage: bench/migrate.sh [--runs N] [--status-runs N] [--version-runs N] [--rounds N]
#                         [--migrations N] [--no-results]
#   --runs N         timed `up` runs per tool, each on a new empty database (default 6, env BENCH_RUNS)
#   --status-runs N  timed `status` runs per tool (default 60, env BENCH_STATUS_RUNS)
#   --version-runs N timed `--version` runs per binary (default 300, env BENCH_VERSION_RUNS)
#   --rounds N       status and --version runs are split in N rounds alternating the tools (default 6;
#                    even, so each tool goes first equally often)
#   --migrations N   how many migrations to generate (default 200, env BENCH_MIGRATIONS)
#   --no-results     print the table only; leave bench/RESULTS.md alone
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

invocation="bench/migrate.sh${*:+ $*}"
runs=${BENCH_RUNS:-6}
status_runs=${BENCH_STATUS_RUNS:-60}
version_runs=${BENCH_VERSION_RUNS:-300}
rounds=${BENCH_ROUNDS:-6}
count=${BENCH_MIGRATIONS:-200}
write_results=1
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --status-runs) status_runs=$2; shift 2 ;;
    --version-runs) version_runs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --migrations) count=$2; shift 2 ;;
    --no-results) write_results=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: bench/migrate.sh [--runs N] [--status-runs N] [--version-runs N] [--rounds N] [--migrations N] [--no-results]" >&2; exit 64 ;;
  esac
done
for n in "$runs" "$status_runs" "$version_runs" "$rounds" "$count"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || bench_die "counts must be positive integers, got '$n'"
done
((count <= 9999)) || bench_die "at most 9999 migrations (4-digit spotctl versions)"

load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# --- tools -----------------------------------------------------------------------------------
bench_install_deps
tools=$BENCH_DIR/.tools
if [ ! -x "$tools/node_modules/.bin/dbmate" ]; then
  # scripts/install-deps bench installs it; it did not (it stopped earlier or npm failed), so try
  # the same npm install once more here and say plainly when the registry is out of reach.
  bench_log "dbmate is not in $tools; installing it from npm"
  mkdir -p "$tools"
  if ! npm install --loglevel=error --no-audit --no-fund --prefix "$tools" dbmate >&2; then
    bench_die "npm install dbmate failed (is the npm registry reachable?): no dbmate, no comparison, no numbers"
  fi
fi
# The npm package's bin is a node wrapper that spawns the real (static Go) binary; timing the
# wrapper would charge dbmate node's start-up (~80 ms here), so the real binary is called directly.
dbmate=$(find "$tools/node_modules/@dbmate" -type f -path '*/bin/dbmate' -perm -u+x 2>/dev/null | head -n 1 || true)
dbmate_how="the static binary shipped in the npm package, called directly (not through the node wrapper)"
if [ -z "$dbmate" ]; then
  dbmate=$tools/node_modules/.bin/dbmate
  dbmate_how="through the npm package's node wrapper (its native binary was not found): includes node start-up"
fi
"$dbmate" --version >/dev/null 2>&1 || bench_die "$dbmate does not run"
spotctl=$BENCH_SPOTCTL
[ -x "$spotctl" ] || bench_die "$spotctl is missing: run scripts/build"

hf_shell=(-N)
hf_shell_note="hyperfine -N (no shell in between)"
# Read whole, not piped into grep -q: under pipefail a SIGPIPE'd writer reads as "no match".
hf_help=$(hyperfine --help 2>/dev/null || true)
if ! grep -q -- '--shell=none' <<<"$hf_help"; then
  hf_shell=()
  hf_shell_note="hyperfine through a shell (this hyperfine has no -N; it subtracts its measured shell start-up)"
fi

# --- server and migrations -------------------------------------------------------------------
bench_services_start
work=$(mktemp -d "${TMPDIR:-/tmp}/spotctl-bench-migrate.XXXXXX")
bench_on_exit 'rm -rf "$work"'
sdir=$work/spotctl
ddir=$work/dbmate
mkdir -p "$sdir" "$ddir"

bench_log "generating $count migrations for each tool (identical SQL)"
for ((i = 1; i <= count; i++)); do
  v=$(printf '%04d' "$i")
  t=bench_t$v
  up="CREATE TABLE $t (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ${t}_name_idx ON $t (name);"
  down="DROP TABLE $t;"
  printf '%s\n' "$up" >"$sdir/${v}_create_$t.up.sql"
  printf '%s\n' "$down" >"$sdir/${v}_create_$t.down.sql"
  printf -- '-- migrate:up\n%s\n\n-- migrate:down\n%s\n' "$up" "$down" >"$ddir/2024010100${v}_create_$t.sql"
done

s_db=bench_migrate_spotctl
d_db=bench_migrate_dbmate
s_cmd=("$spotctl" --database-url "$(bench_pg_conninfo "$s_db")" migrate --dir "$sdir")
d_cmd=("$dbmate" --url "$(bench_pg_url "$d_db")" --migrations-dir "$ddir" --no-dump-schema)

# A command line hyperfine can split itself (-N) or hand to sh: every word quoted for POSIX sh.
q() {
  local out="" w
  for w in "$@"; do out+="'${w//\'/\'\\\'\'}' "; done
  printf '%s' "${out% }"
}
recreate() { q psql -X -q -v ON_ERROR_STOP=1 "$(bench_pg_conninfo postgres)" -c "SET client_min_messages = warning" \
  -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }

check_applied() { # DB: every generated table is there
  local n
  n=$(psql -X -qAt "$(bench_pg_conninfo "$1")" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'bench\_t%'")
  [ "$n" = "$count" ] || bench_die "$1 has $n of $count tables after up"
}

# Sanity runs first: both tools apply everything and report it.
bench_recreate_db "$s_db"; bench_recreate_db "$d_db"
"${s_cmd[@]}" up >"$work/s-up.log" 2>&1 || { cat "$work/s-up.log" >&2; bench_die "spotctl migrate up failed"; }
"${d_cmd[@]}" migrate >"$work/d-up.log" 2>&1 || { cat "$work/d-up.log" >&2; bench_die "dbmate migrate failed"; }
check_applied "$s_db"; check_applied "$d_db"
s_status_line=$("${s_cmd[@]}" status 2>&1 | tail -n 1)
d_status_line=$("${d_cmd[@]}" status 2>&1 | grep -E '^(Applied|Pending):' | paste -sd' ' -)
[[ $s_status_line == "$count applied, 0 pending"* ]] || bench_die "spotctl status says: $s_status_line"
[[ $d_status_line == "Applied: $count Pending: 0" ]] || bench_die "dbmate status says: $d_status_line"

# Measurements run in rounds that alternate the tools (spotctl first in odd rounds, dbmate first
# in even ones), so a burst of other work on the machine lands on both rather than on one.
# hyperfine's own report of each round goes to $work/hyperfine.log.
export BENCH_HYPERFINE_LOG=$work/hyperfine.log
: >"$BENCH_HYPERFINE_LOG"
per_round() { echo $((($1 + rounds - 1) / rounds)); }
alternate() { # ROUND FN_SPOTCTL FN_DBMATE
  if (($1 % 2)); then "$2"; "$3"; else "$3"; "$2"; fi
}

# --- up: one run per tool and round, each on a new empty database ---------------------------------
# (The sanity runs above were the warm-up.)
bench_log "up: $runs runs per tool, each on a new empty database, tools alternating"
up_spotctl() {
  bench_hyperfine_times "$work/s_up" "${hf_shell[@]}" --runs 1 --prepare "$(recreate "$s_db")" \
    --command-name "spotctl migrate up" "$(q "${s_cmd[@]}" up)"
  check_applied "$s_db"
}
up_dbmate() {
  bench_hyperfine_times "$work/d_up" "${hf_shell[@]}" --runs 1 --prepare "$(recreate "$d_db")" \
    --command-name "dbmate migrate" "$(q "${d_cmd[@]}" migrate)"
  check_applied "$d_db"
}
for ((r = 1; r <= runs; r++)); do alternate "$r" up_spotctl up_dbmate; done

# --- status on the up-to-date databases -----------------------------------------------------------
n=$(per_round "$status_runs")
bench_log "status: $rounds rounds of $n runs per tool on the up-to-date database"
st_spotctl() {
  bench_hyperfine_times "$work/s_st" "${hf_shell[@]}" --runs "$n" --warmup 2 \
    --command-name "spotctl migrate status" "$(q "${s_cmd[@]}" status)"
}
st_dbmate() {
  bench_hyperfine_times "$work/d_st" "${hf_shell[@]}" --runs "$n" --warmup 2 \
    --command-name "dbmate status" "$(q "${d_cmd[@]}" status)"
}
for ((r = 1; r <= rounds; r++)); do alternate "$r" st_spotctl st_dbmate; done

# --- --version ------------------------------------------------------------------------------------
nv=$(per_round "$version_runs")
bench_log "--version: $rounds rounds of $nv runs per binary"
ver_spotctl() {
  bench_hyperfine_times "$work/s_ver" "${hf_shell[@]}" --runs "$nv" --warmup 10 --command-name "spotctl --version" "$(q "$spotctl" --version)"
}
ver_dbmate() {
  bench_hyperfine_times "$work/d_ver" "${hf_shell[@]}" --runs "$nv" --warmup 10 --command-name "dbmate --version" "$(q "$dbmate" --version)"
}
for ((r = 1; r <= rounds; r++)); do alternate "$r" ver_spotctl ver_dbmate; done

s_up=$(bench_stats "$work/s_up"); d_up=$(bench_stats "$work/d_up")
s_st=$(bench_stats "$work/s_st"); d_st=$(bench_stats "$work/d_st")
s_ver=$(bench_stats "$work/s_ver"); d_ver=$(bench_stats "$work/d_ver")
status_runs=$(wc -l <"$work/s_st"); version_runs=$(wc -l <"$work/s_ver")

# --- peak memory (one extra run each) ----------------------------------------------------------
bench_log "peak memory (GNU time -f %M)"
bench_recreate_db "$s_db"; s_up_rss=$(bench_peak_rss_kb "${s_cmd[@]}" up); check_applied "$s_db"
bench_recreate_db "$d_db"; d_up_rss=$(bench_peak_rss_kb "${d_cmd[@]}" migrate); check_applied "$d_db"
s_st_rss=$(bench_peak_rss_kb "${s_cmd[@]}" status)
d_st_rss=$(bench_peak_rss_kb "${d_cmd[@]}" status)
s_ver_rss=$(bench_peak_rss_kb "$spotctl" --version)
d_ver_rss=$(bench_peak_rss_kb "$dbmate" --version)

# --- report ------------------------------------------------------------------------------------
row() { # tool operation "mean min max stddev median" per_n|- rss_kb
  local mean min max sd median per
  read -r mean min max sd median <<<"$3"
  per="—"
  [ "$4" = "-" ] || per=$(bench_fmt_ms "$(awk -v m="$mean" -v n="$4" 'BEGIN { print m / n }')")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$(bench_fmt_ms "$mean")" "$(bench_fmt_ms "$median")" "$(bench_fmt_ms "$min")" \
    "$(bench_fmt_ms "$max")" "± $(bench_fmt_ms "$sd")" "$per" "$(bench_fmt_kb "$5")"
}
table=$({
  printf 'tool\toperation\tmean\tmedian\tmin\tmax\tstddev\tper migration\tpeak RSS\n'
  row spotctl "up ($count, empty db, $runs runs)" "$s_up" "$count" "$s_up_rss"
  row dbmate "up ($count, empty db, $runs runs)" "$d_up" "$count" "$d_up_rss"
  row spotctl "status (up to date, $status_runs runs)" "$s_st" - "$s_st_rss"
  row dbmate "status (up to date, $status_runs runs)" "$d_st" - "$d_st_rss"
  row spotctl "--version ($version_runs runs)" "$s_ver" - "$s_ver_rss"
  row dbmate "--version ($version_runs runs)" "$d_ver" - "$d_ver_rss"
} | bench_md_table 2)

verdict() { # label spotctl_stats dbmate_stats
  local sm sd dm dd
  read -r sm _ _ _ sd <<<"$2"
  read -r dm _ _ _ dd <<<"$3"
  awk -v l="$1" -v sm="$sm" -v sd="$sd" -v dm="$dm" -v dd="$dd" 'BEGIN {
    v = (sm <= dm && sd <= dd) ? "**met**" : (sm > dm && sd > dd) ? "**not met**" : "**borderline** (mean and median disagree)"
    printf "- %s: spotctl %.1f ms mean / %.1f ms median vs dbmate %.1f / %.1f ms: %.2fx / %.2fx: %s\n", l, sm, sd, dm, dd, sm / dm, sd / dd, v }'
}
verdicts=$(
  verdict "up ($count migrations)" "$s_up" "$d_up"
  verdict "status" "$s_st" "$d_st"
  read -r vm _ _ _ vd <<<"$s_ver"
  awk -v m="$vm" -v d="$vd" 'BEGIN {
    printf "- spotctl --version: %.2f ms mean / %.2f ms median: %s\n", m, d,
      (m < 5 && d < 5) ? "**met** (under 5 ms)" : (m >= 5 && d >= 5) ? "**not met** (target: under 5 ms)" : "**borderline** (target: under 5 ms)" }'
)

pg_version=$("$PG_BIN/postgres" --version | awk '{ print $3 }')
nlibs=$(ldd "$spotctl" 2>/dev/null | grep -c '=>' || true)
body=$(mktemp "${TMPDIR:-/tmp}/bench-body.XXXXXX")
bench_on_exit 'rm -f "$body"'
{
  echo "Command: \`$invocation\` ($count migrations, $runs \`up\` runs and $status_runs \`status\` runs per tool)"
  echo
  bench_machine_md
  echo "- Load average (1/5/15 min) at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shows up here and in the stddev)"
  echo "- Versions: $("$spotctl" --version | head -n 1) ($nlibs shared libraries per ldd); $("$dbmate" --version), $dbmate_how; PostgreSQL $pg_version (scripts/services.sh: unix socket, fsync=off); $(hyperfine --version)"
  echo "- Timing: wall clock, $hf_shell_note; output discarded. The tools alternate in rounds (spotctl first in odd rounds, dbmate first in even ones) so that other work on the machine hits both: \`up\` $runs rounds of one run each, every run on a new empty database (DROP/CREATE in hyperfine --prepare, not timed; an untimed run of each first); \`status\` and \`--version\` $rounds rounds each, with 2 and 10 warm-up runs a round. Stats are over all runs of a tool. Peak RSS: one extra run under GNU time -f %M."
  echo "- Commands (\$SOCK = the throwaway server's socket dir): \`spotctl --database-url 'host=\$SOCK port=\$PORT user=postgres dbname=$s_db' migrate --dir DIR up|status\`; \`dbmate --url 'postgres://postgres@/$d_db?host=\$SOCK&port=\$PORT&sslmode=disable' --migrations-dir DIR --no-dump-schema migrate|status\`"
  echo "- Migrations: each \`CREATE TABLE bench_tNNNN\` (identity primary key, text, timestamptz default now()) plus \`CREATE INDEX\` on the text column; down: \`DROP TABLE\`. The same SQL in both formats (\`NNNN_name.up.sql\`/\`.down.sql\` and \`2024010100NNNN_name.sql\` with \`-- migrate:up\`/\`-- migrate:down\`). Checked after every phase: all $count tables exist; status says \`$s_status_line\` / \`$d_status_line\`."
  echo
  echo "$table"
  echo
  echo "Targets (issue: no slower than dbmate for up and status; --version under 5 ms):"
  echo
  echo "$verdicts"
} >"$body"

echo
cat "$body"
if ((write_results)); then
  bench_results_update migrate "$body"
  bench_log "updated the migrate section of $BENCH_RESULTS"
fi
