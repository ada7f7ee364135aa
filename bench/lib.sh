# shellcheck shell=bash
# Shared helpers for the benchmarks in bench/. Sourced, not run: `. "$(dirname "$0")/lib.sh"`.
#
#   bench_install_deps            scripts/install-deps bench, then checks the tools it should give
#   bench_services_start          throwaway PostgreSQL 15 + Redis (scripts/services.sh), stopped on exit
#   bench_pg_conninfo DB          libpq key=value string for DB over the unix socket, as postgres
#   bench_pg_url DB               the same as a postgres:// URL
#   bench_psql ARGS...            psql on the throwaway server (database postgres), quiet, no psqlrc
#   bench_recreate_db DB          DROP + CREATE DATABASE DB (empty)
#   bench_hyperfine OUT ARGS...   hyperfine ARGS with a CSV export; OUT gets "mean min max stddev median" (ms)
#   bench_hyperfine_times F ARGS  hyperfine ARGS, appending each run's time (ms) to F (for interleaved rounds)
#   bench_stats F                 "mean min max stddev median" of the numbers in F
#   (hyperfine's own report goes to $BENCH_HYPERFINE_LOG, stderr by default)
#   bench_time_ms CMD...          wall time of one run of CMD, in ms (date +%s%N)
#   bench_peak_rss_kb CMD...      peak resident memory of CMD in KiB (GNU time -f %M)
#   bench_fmt_ms MS               3 significant-ish digits: 0.912 ms, 27.4 ms, 1013 ms
#   bench_md_table [LEFT]         reads TAB-separated lines (first = header), prints a markdown table;
#                                 the first LEFT columns (default 1) left-aligned, the others right
#   bench_machine_md              markdown bullets: date, nproc, CPU model, kernel, memory
#   bench_results_update NAME F   replaces the generated block of section NAME in bench/RESULTS.md with file F
#   bench_on_exit CMD             runs CMD on exit (stacked, last registered first)
#
# Everything runs as the current user; as root, services.sh runs the servers as postgres.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=$BENCH_ROOT/bench
BENCH_RESULTS=${BENCH_RESULTS:-$BENCH_DIR/RESULTS.md}
BENCH_SPOTCTL=${BENCH_SPOTCTL:-$BENCH_ROOT/build/spotctl}
BENCH_TIME=${BENCH_TIME:-/usr/bin/time}

bench_log() { printf '%s\n' "bench: $*" >&2; }
bench_die() { printf '%s\n' "bench: error: $*" >&2; exit 1; }

_bench_exit_cmds=()
_bench_run_exit() {
  local i
  for ((i = ${#_bench_exit_cmds[@]} - 1; i >= 0; i--)); do eval "${_bench_exit_cmds[i]}" || true; done
}
bench_on_exit() {
  _bench_exit_cmds+=("$1")
  trap _bench_run_exit EXIT
  trap 'exit 130' INT TERM
}

# Installs the benchmark peers through the project's only installer. If it fails (for
# example apt refusing a package), the benchmark goes on only when every tool it needs is
# there anyway; a missing tool stops it with the installer's failure named.
bench_install_deps() {
  local rc=0
  "$BENCH_ROOT/scripts/install-deps" bench || rc=$?
  if ((rc != 0)); then
    bench_log "warning: scripts/install-deps bench exited $rc; checking whether the tools are there anyway"
  fi
  local missing=() c
  for c in hyperfine psql "$BENCH_TIME" "$BENCH_SPOTCTL"; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  if ((${#missing[@]})); then
    bench_die "missing after scripts/install-deps bench (exit $rc): ${missing[*]}"
  fi
  "$BENCH_TIME" -f %M true >/dev/null 2>&1 || bench_die "$BENCH_TIME is not GNU time (needs -f %M)"
  return 0
}

bench_services_start() {
  # shellcheck source=../scripts/services.sh
  . "$BENCH_ROOT/scripts/services.sh"
  BENCH_SERVICES_DIR=$(mktemp -d "${TMPDIR:-/tmp}/spotctl-bench.XXXXXX")
  bench_on_exit 'services_stop "$BENCH_SERVICES_DIR"; rm -rf "$BENCH_SERVICES_DIR"'
  services_start "$BENCH_SERVICES_DIR" || bench_die "could not start PostgreSQL/Redis (see $BENCH_SERVICES_DIR)"
  # Keep the caller's environment from pointing the tools elsewhere.
  unset DATABASE_URL REDIS_URL SPOTCTL_CONFIG PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE
  export XDG_CONFIG_HOME=$BENCH_SERVICES_DIR/xdg
}

bench_pg_conninfo() { printf 'host=%s port=%s user=postgres dbname=%s' "$SPOTCTL_PG_HOST" "$SPOTCTL_PG_PORT" "$1"; }
bench_pg_url() { printf 'postgres://postgres@/%s?host=%s&port=%s&sslmode=disable' "$1" "$SPOTCTL_PG_HOST" "$SPOTCTL_PG_PORT"; }
bench_psql() { psql -X -q -v ON_ERROR_STOP=1 "$(bench_pg_conninfo postgres)" "$@"; }
bench_recreate_db() {
  bench_psql -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\"" >/dev/null
}

# bench_hyperfine OUTVAR HYPERFINE_ARGS... : one command per call (use --command-name to label it).
# Sets OUTVAR to "mean min max stddev median" in milliseconds, taken from hyperfine's CSV export.
bench_hyperfine() {
  local __out=$1; shift
  local csv
  csv=$(mktemp "${TMPDIR:-/tmp}/bench-hf.XXXXXX")
  hyperfine --style basic --export-csv "$csv" "$@" >>"${BENCH_HYPERFINE_LOG:-/dev/stderr}" 2>&1 ||
    { rm -f "$csv"; bench_die "hyperfine failed: $* (log: ${BENCH_HYPERFINE_LOG:-stderr})"; }
  local stats
  # CSV columns: command,mean,stddev,median,user,system,min,max (seconds)
  stats=$(awk -F, 'NR == 2 { printf "%.6f %.6f %.6f %.6f %.6f", $2 * 1000, $7 * 1000, $8 * 1000, $3 * 1000, $4 * 1000 }' "$csv")
  rm -f "$csv"
  [ -n "$stats" ] || bench_die "hyperfine gave no result: $*"
  printf -v "$__out" '%s' "$stats"
}

# bench_hyperfine_times FILE HYPERFINE_ARGS... : runs hyperfine (one command) and appends the
# wall time of every timed run, in ms, one a line, to FILE. Call it in alternating rounds for two
# tools, then bench_stats FILE: interference from other work then hits both tools alike.
bench_hyperfine_times() {
  local file=$1; shift
  local json
  json=$(mktemp "${TMPDIR:-/tmp}/bench-hf.XXXXXX")
  hyperfine --style basic --export-json "$json" "$@" >>"${BENCH_HYPERFINE_LOG:-/dev/stderr}" 2>&1 ||
    { rm -f "$json"; bench_die "hyperfine failed: $* (log: ${BENCH_HYPERFINE_LOG:-stderr})"; }
  # hyperfine writes "times": [ one number a line ]; no JSON tool needed.
  awk '/"times": \[/ { on = 1; next } on && /\]/ { exit } on { gsub(/[ ,]/, ""); if ($0 != "") printf "%.6f\n", $0 * 1000 }' \
    "$json" >>"$file"
  rm -f "$json"
}

# bench_stats FILE: "mean min max stddev median" (sample stddev) of the numbers in FILE, one a line.
bench_stats() {
  [ -s "$1" ] || bench_die "no timings in $1"
  sort -g "$1" | awk '{ v[NR] = $1; sum += $1 }
    END { n = NR; mean = sum / n; for (i = 1; i <= n; i++) ss += (v[i] - mean) ^ 2
          sd = n > 1 ? sqrt(ss / (n - 1)) : 0
          median = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
          printf "%.6f %.6f %.6f %.6f %.6f", mean, v[1], v[n], sd, median }'
}

bench_time_ms() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || bench_die "failed: $*"
  t1=$(date +%s%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e6 }'
}

bench_peak_rss_kb() {
  local f rss
  f=$(mktemp "${TMPDIR:-/tmp}/bench-rss.XXXXXX")
  "$BENCH_TIME" -f %M -o "$f" "$@" >/dev/null 2>&1 || { rm -f "$f"; bench_die "failed: $*"; }
  rss=$(tail -n 1 "$f")
  rm -f "$f"
  printf '%s' "$rss"
}

bench_fmt_ms() {
  awk -v v="$1" 'BEGIN {
    if (v >= 100) printf "%.0f ms", v; else if (v >= 10) printf "%.1f ms", v;
    else if (v >= 1) printf "%.2f ms", v; else printf "%.3f ms", v }'
}

bench_fmt_kb() { awk -v v="$1" 'BEGIN { printf "%.1f MiB", v / 1024 }'; }

# TAB-separated lines on stdin, the first being the header, to a markdown table whose first
# $1 columns (default 1) are left-aligned and the rest (numbers) right-aligned.
bench_md_table() {
  awk -F'\t' -v left="${1:-1}" '
    NR == 1 { line = "|"; sep = "|"; for (i = 1; i <= NF; i++) { line = line " " $i " |"; sep = sep (i <= left ? " --- |" : " ---: |") }
              print line; print sep; next }
    { line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line }'
}

bench_machine_md() {
  local cpu mem
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  printf -- '- Date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- Machine: nproc %s, CPU "%s", %s RAM, Linux %s\n' "$(nproc)" "${cpu:-unknown}" "$mem" "$(uname -r)"
}

_bench_results_header() {
  cat <<'EOF'
# Benchmarks

Each benchmark is a script in `bench/`; run it from anywhere as `bench/<name>.sh` (for example
`bench/migrate.sh`). It installs its peers with `scripts/install-deps bench`, starts a throwaway
PostgreSQL/Redis with `scripts/services.sh`, measures, prints a markdown table and rewrites its
own section below. Each section records the exact command, the machine (nproc, CPU model from
/proc/cpuinfo), the date and the tool versions, so numbers from different machines are not mixed
up. Timings are wall-clock, from hyperfine unless a section says otherwise.
EOF
}

# bench_results_update NAME FILE: the block between <!-- bench:NAME:begin --> and
# <!-- bench:NAME:end --> is replaced by FILE; without one, "## NAME" and the block are appended.
# Anything else in the file (other sections, hand-written notes under the block) is kept.
bench_results_update() {
  local name=$1 body=$2 begin end tmp
  begin="<!-- bench:$name:begin -->"
  end="<!-- bench:$name:end -->"
  [ -f "$BENCH_RESULTS" ] || _bench_results_header >"$BENCH_RESULTS"
  tmp=$(mktemp "$BENCH_RESULTS.XXXXXX")
  if grep -qF -- "$begin" "$BENCH_RESULTS"; then
    awk -v b="$begin" -v e="$end" -v f="$body" '
      $0 == b { print; while ((getline l < f) > 0) print l; skip = 1; next }
      $0 == e { skip = 0 }
      !skip { print }' "$BENCH_RESULTS" >"$tmp"
  else
    { cat "$BENCH_RESULTS"; printf '\n## %s\n\n%s\n' "$name" "$begin"; cat "$body"; printf '%s\n' "$end"; } >"$tmp"
  fi
  cat "$tmp" >"$BENCH_RESULTS"
  rm -f "$tmp"
}
