# The integration suite's environment, shared by scripts/test and scripts/dev-env: starts
# PostgreSQL (plus a streaming replica), Redis and a 3-master Redis Cluster in DIR, exports the
# SPOTCTL_TEST_* variables the suite reads, and creates the migrated spotctl_template database.
# Sourced, not run: test_env_start DIR BINARY; test_env_stop DIR.

_test_env_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$_test_env_root/scripts/services.sh"
. "$_test_env_root/scripts/replica.sh"

test_env_start() {
  local dir=$1 binary=$2
  services_start "$dir"
  services_start_redis_cluster "$dir"
  # A second replica for the test that pauses replay: a paused replica shared with the tests that
  # wait for replay would make them fail at random.
  replica_start "$dir" "$dir/replica-lag"
  SPOTCTL_LAG_REPLICA_HOST=$SPOTCTL_REPLICA_HOST SPOTCTL_LAG_REPLICA_PORT=$SPOTCTL_REPLICA_PORT
  replica_start "$dir" "$dir/replica"
  test_env_export "$dir"
  test_env_template "$binary"
}

test_env_export() {
  local dir=$1

  # The servers trust local connections, so this password is never checked: it is a canary that
  # every URL the suite passes carries, and scripts/test fails if any output ever shows it.
  export SPOTCTL_TEST_PASSWORD=canary-pw-5f1c
  export SPOTCTL_TEST_PG="host=$SPOTCTL_PG_HOST port=$SPOTCTL_PG_PORT user=postgres password=$SPOTCTL_TEST_PASSWORD dbname=postgres"
  export SPOTCTL_TEST_PG_PORT=$SPOTCTL_PG_PORT
  export SPOTCTL_TEST_REDIS="unix://$SPOTCTL_REDIS_SOCKET"
  export SPOTCTL_TEST_REDIS_CLUSTER="redis://127.0.0.1:${SPOTCTL_REDIS_CLUSTER_PORTS%% *}"
  export SPOTCTL_TEST_SERVICES_DIR=$dir
  export SPOTCTL_TEST_REPLICA_PG="host=$SPOTCTL_REPLICA_HOST port=$SPOTCTL_REPLICA_PORT user=postgres password=$SPOTCTL_TEST_PASSWORD dbname=postgres"
  export SPOTCTL_TEST_LAG_REPLICA_PG="host=$SPOTCTL_LAG_REPLICA_HOST port=$SPOTCTL_LAG_REPLICA_PORT user=postgres password=$SPOTCTL_TEST_PASSWORD dbname=postgres"
  # Keep the caller's own environment from leaking into the commands the suite runs.
  unset DATABASE_URL REDIS_URL SPOTCTL_CONFIG SPOTCTL_ACTOR PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD
  export XDG_CONFIG_HOME=$dir/xdg
}

test_env_template() {
  local binary=$1
  # A database with the platform schema, the template of every test database that needs it.
  PGOPTIONS=--client-min-messages=warning psql "$SPOTCTL_TEST_PG" -qAtc "DROP DATABASE IF EXISTS spotctl_template" >/dev/null
  psql "$SPOTCTL_TEST_PG" -qAtc "CREATE DATABASE spotctl_template" >/dev/null
  "$binary" --database-url "${SPOTCTL_TEST_PG/dbname=postgres/dbname=spotctl_template}" \
    migrate up --dir "$_test_env_root/migrations" -q
}

test_env_stop() {
  replica_stop "$1/replica"
  replica_stop "$1/replica-lag"
  services_stop "$1"
}
