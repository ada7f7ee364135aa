#!/usr/bin/env bash
# spotctl cache purge against the shell pipeline operators write by hand, on the same throwaway
# Redis (unix socket):
#   redis-cli --scan --pattern 'charger:*' | xargs -n 1000 redis-cli unlink
#   spotctl cache purge --pattern 'charger:*'
# Each run removes 500,000 of 1,000,000 keys (500,000 charger:<uuid> and 500,000 user:<n>:profile,
# ~60-byte JSON values with a TTL), loaded fresh with redis-cli --pipe before every run. While a
# tool runs, another client sends GET to the same server every
# millisecond and records each round trip (the probe below): the latency other clients see. The tools alternate
# (spotctl first in odd rounds) so that other work on the machine hits both alike.
# Prints a markdown table and rewrites the "cache" section of bench/RESULTS.md.
#
# Usage: bench/cache.sh [--rounds N] [--keys N] [--no-results]
#   --rounds N  runs per tool (default 5)
#   --keys N    keys of each kind (default 500000: 1,000,000 keys, half of them purged)
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

invocation="bench/cache.sh${*:+ $*}"
rounds=5
keys=500000
write_results=1
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --keys) keys=$2; shift 2 ;;
    --no-results) write_results=0; shift ;;
    *) echo "usage: bench/cache.sh [--rounds N] [--keys N] [--no-results]" >&2; exit 64 ;;
  esac
done
for n in "$rounds" "$keys"; do [[ $n =~ ^[1-9][0-9]*$ ]] || bench_die "counts must be positive integers, got '$n'"; done

bench_install_deps
[ -x "$BENCH_SPOTCTL" ] || "$BENCH_ROOT/scripts/build"
for c in redis-cli redis-server perl; do command -v "$c" >/dev/null || bench_die "$c is missing"; done
bench_services_start
sock=$SPOTCTL_REDIS_SOCKET
work=$BENCH_SERVICES_DIR/work
mkdir -p "$work"
# spotctl takes its single-run lock in PostgreSQL, as it does in production.
db_url=$(bench_pg_conninfo postgres)

# The other client: GET every millisecond over the unix socket, each round trip timed; on
# SIGTERM prints "p50 p99 p99.9 max samples" in microseconds.
cat >"$work/probe.pl" <<'PERL'
use strict; use warnings;
use IO::Socket::UNIX; use Time::HiRes qw(time sleep);
my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "probe: cannot connect: $!\n";
my ($stop, @lat) = (0);
$SIG{TERM} = sub { $stop = 1 };
while (!$stop) {
    my $t0 = time;
    print $s "*2\r\n\$3\r\nGET\r\n\$11\r\nprobe:nokey\r\n";
    my $reply = <$s>;
    last unless defined $reply;
    push @lat, (time - $t0) * 1e6;
    sleep 0.001;
}
@lat = sort { $a <=> $b } @lat;
my $q = sub { $lat[int($_[0] * $#lat)] // 0 };
printf "%.0f %.0f %.0f %.0f %d\n", $q->(0.5), $q->(0.99), $q->(0.999), $lat[-1] // 0, scalar @lat;
PERL

# The data set as Redis protocol, written once and piped in before every run.
awk -v n="$keys" 'BEGIN {
  for (i = 0; i < n; i++) {
    k = sprintf("charger:%08x-0000-4000-8000-%012x", i, i)
    v = sprintf("{\"id\":%d,\"name\":\"Charger %d\",\"ports\":4,\"level\":3}", i, i)
    printf "*5\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$2\r\nEX\r\n$4\r\n3600\r\n", length(k), k, length(v), v
    k = sprintf("user:%d:profile", i)
    printf "*5\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$2\r\nEX\r\n$4\r\n3600\r\n", length(k), k, length(v), v
  }
}' >"$work/data.resp"
total=$((2 * keys))

load() {
  redis-cli -s "$sock" flushall >/dev/null
  redis-cli -s "$sock" --pipe <"$work/data.resp" >/dev/null
  local n
  n=$(redis-cli -s "$sock" dbsize)
  [ "$n" = "$total" ] || bench_die "loaded $n keys, expected $total"
}

# run NAME CMD...: loads the data, runs CMD with the probe beside it; appends "seconds p50 p99 p999 max samples" to $work/NAME.
run() {
  local name=$1; shift
  load
  perl "$work/probe.pl" "$sock" >"$work/probe.out" &
  local probe=$!
  sleep 0.5
  local t0 t1
  t0=$(date +%s%N)
  "$@" >"$work/$name.last" 2>&1 || { cat "$work/$name.last" >&2; kill "$probe"; bench_die "$name failed"; }
  t1=$(date +%s%N)
  kill -TERM "$probe"
  wait "$probe" || true
  local left matched
  left=$(redis-cli -s "$sock" dbsize)
  matched=$(redis-cli -s "$sock" --scan --pattern 'charger:*' | wc -l)
  [ "$left" = "$keys" ] && [ "$matched" = 0 ] || bench_die "$name left $left keys ($matched charger keys); expected $keys (0)"
  printf '%s %s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')" "$(cat "$work/probe.out")" >>"$work/$name"
}

# The latency other clients see with nothing else running.
perl "$work/probe.pl" "$sock" >"$work/idle.out" &
idle_probe=$!
sleep 3
kill -TERM "$idle_probe"
wait "$idle_probe" || true

pipeline() { redis-cli -s "$sock" --scan --pattern 'charger:*' | xargs -n 1000 redis-cli -s "$sock" unlink >/dev/null; }
spotctl_purge() { "$BENCH_SPOTCTL" --database-url "$db_url" --redis-url "unix://$sock" cache purge --pattern 'charger:*'; }
: >"$work/pipeline"
: >"$work/spotctl"
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then run spotctl spotctl_purge; run pipeline pipeline; else run pipeline pipeline; run spotctl spotctl_purge; fi
  bench_log "round $r: spotctl $(tail -n 1 "$work/spotctl" | cut -d' ' -f1-3), redis-cli $(tail -n 1 "$work/pipeline" | cut -d' ' -f1-3) (s, p50 us, p99 us)"
done
spotctl_line=$(tail -n 1 "$work/spotctl.last")

# Medians over the rounds of each column.
median_col() { awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
summary() {  # FILE LABEL
  local s p50 p99 p999 max
  s=$(median_col "$1" 1); p50=$(median_col "$1" 2); p99=$(median_col "$1" 3); p999=$(median_col "$1" 4); max=$(median_col "$1" 5)
  printf '%s\t%s s\t%s\t%s\t%s\t%s\t%s\n' "$2" "$s" "$(awk -v k="$keys" -v s="$s" 'BEGIN { printf "%.0f", k / s }')" \
    "$(bench_fmt_ms "$(awk -v v="$p50" 'BEGIN { print v / 1000 }')")" "$(bench_fmt_ms "$(awk -v v="$p99" 'BEGIN { print v / 1000 }')")" \
    "$(bench_fmt_ms "$(awk -v v="$p999" 'BEGIN { print v / 1000 }')")" "$(bench_fmt_ms "$(awk -v v="$max" 'BEGIN { print v / 1000 }')")"
}
s_sec=$(median_col "$work/spotctl" 1)
p_sec=$(median_col "$work/pipeline" 1)
ratio=$(awk -v a="$s_sec" -v b="$p_sec" 'BEGIN { printf "%.2f", b / a }')
s_p99=$(median_col "$work/spotctl" 3)
p_p99=$(median_col "$work/pipeline" 3)
read -r _ i_p50 i_p99 _ _ _ <<<"0 $(cat "$work/idle.out")"

body=$(mktemp)
{
  bench_machine_md
  printf -- '- Redis %s (scripts/services.sh: unix socket, no persistence), redis-cli %s, spotctl %s, perl %s\n' \
    "$(redis-cli -s "$sock" info server | awk -F: '/^redis_version/ { sub(/\r/, "", $2); print $2 }')" "$(redis-cli --version | awk '{ print $2 }')" \
    "$("$BENCH_SPOTCTL" --version | awk '{ print $2 }')" "$(perl -e 'print $^V')"
  printf -- '- Command: `%s` (%s rounds per tool, alternating; medians shown)\n' "$invocation" "$rounds"
  printf -- '- Task: remove the %s `charger:<uuid>` keys of %s (the other half: `user:<n>:profile`), ~60-byte JSON values with a TTL, reloaded before every run. Checked after every run: exactly the %s other keys are left.\n' "$keys" "$total" "$keys"
  printf -- '- redis-cli: `redis-cli --scan --pattern '"'"'charger:*'"'"' | xargs -n 1000 redis-cli unlink` (SCAN with the default COUNT 10, UNLINK 1000 keys a call)\n'
  printf -- '- spotctl: `spotctl --database-url ... --redis-url unix://... cache purge --pattern '"'"'charger:*'"'"'` (defaults: SCAN COUNT 500, one pipeline per batch, takes its lock in PostgreSQL)\n'
  printf -- '- Other clients: one client sending GET every millisecond over the socket and timing each round trip (a Perl probe in the script); idle server: p50 %s, p99 %s\n\n' \
    "$(bench_fmt_ms "$(awk -v v="$i_p50" 'BEGIN { print v / 1000 }')")" "$(bench_fmt_ms "$(awk -v v="$i_p99" 'BEGIN { print v / 1000 }')")"
  {
    printf 'tool\twall\tkeys/s\tother clients p50\tp99\tp99.9\tmax\n'
    summary "$work/spotctl" "spotctl cache purge"
    summary "$work/pipeline" "redis-cli --scan \\| xargs redis-cli unlink"
  } | bench_md_table
  printf '\nspotctl removes keys %sx as fast as the redis-cli pipeline (target: at least 3x); other clients'"'"' p99 during the purge: %s with spotctl, %s with the pipeline (target: no worse).\n' \
    "$ratio" "$(bench_fmt_ms "$(awk -v v="$s_p99" 'BEGIN { print v / 1000 }')")" "$(bench_fmt_ms "$(awk -v v="$p_p99" 'BEGIN { print v / 1000 }')")"
  printf '\nAll runs (seconds, then other clients'"'"' p50 p99 p99.9 max in microseconds, samples): spotctl %s; redis-cli %s. Last spotctl report: `%s`\n' \
    "$(paste -sd ';' "$work/spotctl")" "$(paste -sd ';' "$work/pipeline")" "$spotctl_line"
} >"$body"
cat "$body"
if ((write_results)); then bench_results_update cache "$body"; fi
rm -f "$body"
