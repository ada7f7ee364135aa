#!/usr/bin/env bash
# spotctl moderate tui against the plain commands, for N items (default 50) on a throwaway
# PostgreSQL 15: keystrokes and seconds per decision for one moderator approving every item.
#   plain: per item, what a moderator types in a shell with SPOTCTL_ACTOR set:
#          `spotctl moderate claim --next -o csv`, `spotctl moderate show ID`,
#          `spotctl moderate approve ID --reason 'clear photo'` (the id pasted: counted as one
#          keystroke), each command line ended by Enter; the commands are run for the seconds.
#   tui:   `spotctl moderate tui` in tmux; per item the keys a moderator presses (Enter claims,
#          a approves, 1 picks the recent reason, Enter confirms), each decision waited for on
#          the screen (capture-pane) before the next key, as a person waits to see it. The
#          first item's reason is typed (there is no recent one yet).
# Both runs start from their own copy of the same database and are checked afterwards: every
# item approved by the moderator, one audit row per decision.
# Prints a markdown table and rewrites the "moderate tui" section of bench/RESULTS.md.
#
# Usage: bench/moderate_tui.sh [--items N] [--no-results]
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

invocation="bench/moderate_tui.sh${*:+ $*}"
items=50
write_results=1
while (($#)); do
  case "$1" in
    --items) items=$2; shift 2 ;;
    --no-results) write_results=0; shift ;;
    *) echo "usage: bench/moderate_tui.sh [--items N] [--no-results]" >&2; exit 64 ;;
  esac
done
[[ $items =~ ^[1-9][0-9]*$ ]] || bench_die "--items must be a positive integer, got '$items'"

bench_install_deps
command -v tmux >/dev/null || bench_die "tmux is missing (scripts/install-deps test installs it)"
[ -x "$BENCH_SPOTCTL" ] || "$BENCH_ROOT/scripts/build"
bench_services_start
db_psql() { psql -X -q -v ON_ERROR_STOP=1 "$(bench_pg_conninfo "$1")" "${@:2}"; }
actor=mod1@spot.example
reason='clear photo'

bench_psql -c "CREATE DATABASE tui_data" >/dev/null
"$BENCH_SPOTCTL" -q --database-url "$(bench_pg_conninfo tui_data)" migrate --dir "$BENCH_ROOT/migrations" up
db_psql tui_data -c "
INSERT INTO users (id, email, name, role) VALUES
  ('00000000-0000-4000-8000-000000000001', '$actor', 'Mod 1', 'moderator'),
  ('00000000-0000-4000-8000-000000000002', 'rider@example.com', 'Rider', 'user');
INSERT INTO chargers (id, name, address, city, latitude, longitude, port_types, total_ports, available_ports)
VALUES ('00000000-0000-4000-8000-0000000000c1', 'Charger', '1 Road', 'Pune', 18.5, 73.8, '{CCS}', 2, 2);
INSERT INTO charger_photos (id, charger_id, uploader_id, storage_url)
SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, '00000000-0000-4000-8000-0000000000c1',
       '00000000-0000-4000-8000-000000000002', 's3://photos/' || i || '.jpg'
  FROM generate_series(1, $items) i;
INSERT INTO moderation_items (subject_type, subject_id, reason, created_at)
SELECT 'photo', id, 'new photo', now() - interval '1 day' + (row_number() OVER (ORDER BY id)) * interval '1 second'
  FROM charger_photos;"
for db in tui_plain tui_screen; do bench_psql -c "CREATE DATABASE $db TEMPLATE tui_data" >/dev/null; done

check() {  # DB: every item approved by the actor, one audit row each
  local got
  got=$(db_psql "$1" -Atc "SELECT count(*) FILTER (WHERE m.status = 'approved' AND u.email = '$actor'),
       (SELECT count(*) FROM audit_log WHERE action = 'moderation.approve')
  FROM moderation_items m JOIN users u ON u.id = m.decided_by")
  [ "$got" = "$items|$items" ] || bench_die "$1: expected $items approved items and audit rows, found $got"
}
now_ms() { date +%s%3N; }

# Plain commands.
export SPOTCTL_ACTOR=$actor
url=$(bench_pg_conninfo tui_plain)
claim_line="spotctl moderate claim --next -o csv"
show_line="spotctl moderate show "
approve_line="spotctl moderate approve  --reason '$reason'"
# Characters typed + 1 for the pasted id + 1 Enter per line.
plain_keys=$(( ${#claim_line} + 1 + ${#show_line} + 1 + 1 + ${#approve_line} + 1 + 1 ))
start=$(now_ms)
for ((i = 0; i < items; i++)); do
  id=$("$BENCH_SPOTCTL" --database-url "$url" moderate claim --next -o csv | awk -F, 'NR == 2 { print $1 }')
  [ -n "$id" ] || bench_die "plain: the queue ran dry after $i items"
  "$BENCH_SPOTCTL" --database-url "$url" moderate show "$id" >/dev/null
  "$BENCH_SPOTCTL" --database-url "$url" -q moderate approve "$id" --reason "$reason" >/dev/null
done
plain_ms=$(($(now_ms) - start))
check tui_plain
bench_log "plain: $items decisions in $plain_ms ms, $plain_keys keystrokes each"

# The terminal interface.
sock=$BENCH_SERVICES_DIR/tmux.sock
t() { tmux -S "$sock" "$@"; }
bench_on_exit 't kill-server 2>/dev/null'
t -f /dev/null new-session -d -x 120 -y 30 \
  "env LANG=C.UTF-8 $BENCH_SPOTCTL --database-url '$(bench_pg_conninfo tui_screen)' moderate tui; sleep 600"
wait_screen() {  # TEXT: polls the screen until it shows TEXT (60 s at most)
  local until=$(($(now_ms) + 60000))
  until t capture-pane -p | grep -qF -- "$1"; do
    (($(now_ms) < until)) || bench_die "tui: waited for '$1'; the screen: $(t capture-pane -p)"
    sleep 0.02
  done
}
wait_screen "$items items"
tui_keys=0
start=$(now_ms)
for ((i = 0; i < items; i++)); do
  left=$((items - i - 1))
  if ((i == 0)); then
    t send-keys Enter a; t send-keys -l "$reason"; t send-keys Enter
    tui_keys=$((tui_keys + 3 + ${#reason}))
  else
    t send-keys Enter a 1 Enter
    tui_keys=$((tui_keys + 4))
  fi
  wait_screen "  $left items"
done
tui_ms=$(($(now_ms) - start))
t send-keys q
check tui_screen
bench_log "tui: $items decisions in $tui_ms ms, $tui_keys keystrokes"

body=$(mktemp)
per() { awk -v n="$items" -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 / n }'; }
{
  bench_machine_md
  printf -- '- PostgreSQL %s (scripts/services.sh: unix socket, fsync off), spotctl %s, tmux %s\n' \
    "$(bench_psql -Atc 'SHOW server_version')" "$("$BENCH_SPOTCTL" --version | awk '{ print $2 }')" "$(tmux -V | awk '{ print $2 }')"
  printf -- '- Command: `%s` (one run of each, each on its own copy of the database)\n' "$invocation"
  printf -- '- Data: %s open items about pending photos; one moderator approves them all with the reason "%s". Checked after each run: every item approved by that moderator, one audit row each.\n' "$items" "$reason"
  printf -- '- plain: per item `%s`, `%sID`, `%s` (SPOTCTL_ACTOR set; the id pasted, one keystroke; Enter after each line)\n' \
    "$claim_line" "$show_line" "spotctl moderate approve ID --reason '$reason'"
  printf -- '- tui: `spotctl moderate tui` in tmux; per item Enter (claim), a, 1 (the recent reason), Enter; the first item'"'"'s reason typed; each decision waited for on the screen before the next key\n'
  printf -- '- Seconds are the machine'"'"'s (start-up, queries, drawing), not a person'"'"'s reading time\n\n'
  {
    printf 'how\tdecisions\tkeystrokes\tkeystrokes per decision\twall\tseconds per decision\n'
    printf 'plain commands\t%s\t%s\t%s\t%s\t%s\n' "$items" $((plain_keys * items)) "$plain_keys" "$(bench_fmt_ms "$plain_ms")" "$(per "$plain_ms")"
    printf 'moderate tui\t%s\t%s\t%s\t%s\t%s\n' "$items" "$tui_keys" \
      "$(awk -v k="$tui_keys" -v n="$items" 'BEGIN { printf "%.1f", k / n }')" "$(bench_fmt_ms "$tui_ms")" "$(per "$tui_ms")"
  } | bench_md_table
} >"$body"
cat "$body"
if ((write_results)); then bench_results_update "moderate tui" "$body"; fi
rm -f "$body"
