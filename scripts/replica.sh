# A streaming replica of the PostgreSQL that scripts/services.sh started, for the health tests.
# Sourced: replica_start PRIMARY_DIR REPLICA_DIR sets SPOTCTL_REPLICA_HOST and SPOTCTL_REPLICA_PORT;
# replica_stop REPLICA_DIR.

replica_start() {
  local primary=$1 replica=$2 port
  mkdir -p "$replica"
  replica=$(cd "$replica" && pwd)
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$replica"; fi
  # The primary must let a local replication connection in ("all" does not cover replication).
  if ! grep -q '^local replication' "$primary/pg/pg_hba.conf"; then
    echo "local replication all trust" >>"$primary/pg/pg_hba.conf"
    _as_pg_owner "$PG_BIN/pg_ctl" -D "$primary/pg" reload >/dev/null
  fi
  _as_pg_owner "$PG_BIN/pg_basebackup" -h "$primary" -p "$(cat "$primary/pg.port")" -U postgres -D "$replica/pg" -R -X stream \
    -C -S "$(basename "$replica" | tr -c 'a-z0-9_\n' _)" >/dev/null 2>"$replica/basebackup.log" ||
    { cat "$replica/basebackup.log" >&2; return 1; }
  port=$(_free_port)
  echo "$port" >"$replica/pg.port"
  _as_pg_owner "$PG_BIN/pg_ctl" -D "$replica/pg" -l "$replica/pg.log" -w -t 60 start -o \
    "-k $replica -p $port -c listen_addresses='' -c hot_standby=on -c max_connections=200 -c fsync=off" >/dev/null || { cat "$replica/pg.log" >&2; return 1; }
  export SPOTCTL_REPLICA_HOST=$replica SPOTCTL_REPLICA_PORT=$port
}

replica_stop() {
  [ -f "$1/pg/PG_VERSION" ] && _as_pg_owner "$PG_BIN/pg_ctl" -D "$1/pg" -m immediate -w stop >/dev/null 2>&1 || true
}
