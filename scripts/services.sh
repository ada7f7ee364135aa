# Starts and stops throwaway PostgreSQL 15 and Redis servers for the demo and the tests.
# Sourced, not run: services_start DIR sets SPOTCTL_PG_* and SPOTCTL_REDIS_* variables.
# PostgreSQL listens on a unix socket in DIR and on 127.0.0.1 (for password tests);
# Redis on a unix socket only. initdb refuses to run as root, so as root the servers run
# as the postgres user.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

_as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

services_start() {
  local dir=$1
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  export SPOTCTL_SERVICES_DIR=$dir

  if [ ! -f "$dir/pg/PG_VERSION" ]; then
    _as_pg_owner "$PG_BIN/initdb" -D "$dir/pg" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; return 1; }
    # Unix socket: trust. TCP on loopback: passwords are checked, so password handling is tested for real.
    cat >"$dir/pg/pg_hba.conf" <<HBA
local all all trust
host  all all 127.0.0.1/32 scram-sha-256
HBA
  fi
  if ! _as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/pg" status >/dev/null 2>&1; then
    local port
    port=$(_free_port)
    echo "$port" >"$dir/pg.port"
    _as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 60 start -o \
      "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c wal_level=replica -c max_wal_senders=4" >/dev/null ||
      { cat "$dir/pg.log" >&2; return 1; }
  fi
  export SPOTCTL_PG_HOST=$dir SPOTCTL_PG_PORT=$(cat "$dir/pg.port")

  if ! { [ -S "$dir/redis.sock" ] && redis-cli -s "$dir/redis.sock" ping >/dev/null 2>&1; }; then
    redis-server --port 0 --unixsocket "$dir/redis.sock" --unixsocketperm 777 --save '' --appendonly no \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" >/dev/null
    for _ in $(seq 1 50); do redis-cli -s "$dir/redis.sock" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  export SPOTCTL_REDIS_SOCKET=$dir/redis.sock
}

# A three-master Redis Cluster on loopback ports (no replicas), for the cluster tests:
# services_start_redis_cluster DIR sets SPOTCTL_REDIS_CLUSTER_PORTS ("P1 P2 P3"); services_stop DIR
# stops it. Each node also needs its cluster bus port (port + 10000) free.
# SPOTCTL_REDIS_CLUSTER_NODE_TIMEOUT (ms, default 5000): how soon a stopped node is marked as failing.
services_start_redis_cluster() {
  local dir=$1/redis-cluster port ports=() addresses=()
  mkdir -p "$dir"
  while ((${#ports[@]} < 3)); do
    port=$(_free_port) || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$((port + 10000))") 2>/dev/null; then continue; fi
    mkdir -p "$dir/$port"
    redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file "$dir/$port/nodes.conf" \
      --cluster-node-timeout "${SPOTCTL_REDIS_CLUSTER_NODE_TIMEOUT:-5000}" --save '' --appendonly no --daemonize yes --pidfile "$dir/$port/redis.pid" \
      --logfile "$dir/$port/redis.log" --dir "$dir/$port" >/dev/null || return 1
    ports+=("$port")
    addresses+=("127.0.0.1:$port")
  done
  echo "${ports[*]}" >"$dir/ports"
  for port in "${ports[@]}"; do
    for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  redis-cli --cluster create "${addresses[@]}" --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1 ||
    { cat "$dir/create.log" >&2; return 1; }
  for port in "${ports[@]}"; do
    for _ in $(seq 1 100); do
      redis-cli -p "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && break
      sleep 0.1
    done
    redis-cli -p "$port" cluster info | grep -q '^cluster_state:ok' || { echo "Redis Cluster node $port is not ok" >&2; return 1; }
  done
  export SPOTCTL_REDIS_CLUSTER_PORTS="${ports[*]}"
}

services_stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  if [ -f "$dir/pg/PG_VERSION" ]; then
    _as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/pg" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -S "$dir/redis.sock" ]; then redis-cli -s "$dir/redis.sock" shutdown nosave >/dev/null 2>&1 || true; fi
  if [ -f "$dir/redis.pid" ]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
  if [ -f "$dir/redis-cluster/ports" ]; then
    for port in $(cat "$dir/redis-cluster/ports"); do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  fi
}
