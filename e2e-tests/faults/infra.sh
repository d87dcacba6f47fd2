#!/usr/bin/env bash
# Private RabbitMQ, PostgreSQL and Redis instances for the fault-injection suite: their own ports, data dirs, node
# name and Erlang cookie, so stopping them never touches the machine's shared services (5672 / 5432 / 6379).
#
#   infra.sh DIR up            start all three; writes DIR/env (FAULTS_RABBIT_PORT, FAULTS_PG_PORT, FAULTS_REDIS_PORT)
#   infra.sh DIR down          stop all three (every step tolerant, for the caller's trap)
#   infra.sh DIR ACTION        rabbit-stop-app | rabbit-start-app | pg-restart | redis-stop | redis-start
#                              cluster-up (three more RabbitMQ nodes, clustered; writes DIR/cluster.env with
#                              CLUSTER_NODES and CLUSTER_PORTS) | cluster-queue QUEUE (prints its type and leading
#                              node) | cluster-consumers QUEUE (prints "NODE COUNT": where its consumers' channels
#                              live) | cluster-kill NODE (SIGKILL) | cluster-down
#                              fs-mount MOUNTPOINT SIZE | fs-umount MOUNTPOINT   (a small tmpfs that fills up)
# Called by faults.sh (up/down) and by the tests (the faults), which find DIR in FAULTS_DIR.
set -euo pipefail

DIR=$(realpath -m "$1")
ACTION=$2
shift 2

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
RABBIT_BIN=/usr/lib/rabbitmq/bin   # not /usr/sbin's wrapper: that one switches to user rabbitmq and its env file

log() { echo "[infra] $*" >&2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # PORT NAME SECONDS
  local i
  for ((i = 0; i < $3 * 5; i++)); do
    port_open "$1" && return 0
    sleep 0.2
  done
  log "$2 did not open 127.0.0.1:$1 within $3 s"
  return 1
}

load_env() { # shellcheck disable=SC1091
  source "$DIR/env"
}

# --- RabbitMQ: a second node on the machine's epmd, its own cookie (HOME), no plugins, one loopback listener ---
rabbit_env() {
  export HOME="$DIR/rabbit"   # the Erlang cookie lives here, not in /root or /var/lib/rabbitmq
  export RABBITMQ_NODENAME="$FAULTS_RABBIT_NODE"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$FAULTS_RABBIT_PORT"
  export RABBITMQ_DIST_PORT="$FAULTS_RABBIT_DIST_PORT"
  export RABBITMQ_MNESIA_BASE="$DIR/rabbit/mnesia"
  export RABBITMQ_LOG_BASE="$DIR/rabbit/log"
  export RABBITMQ_PID_FILE="$DIR/rabbit/pid"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/rabbit/enabled_plugins"
  export RABBITMQ_CONFIG_FILE="$DIR/rabbit/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$DIR/rabbit/advanced.config"
  export RABBITMQ_CONF_ENV_FILE="$DIR/rabbit/rabbitmq-env.conf"
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

rabbitmqctl_() { (rabbit_env; "$RABBIT_BIN/rabbitmqctl" -n "$FAULTS_RABBIT_NODE" "$@"); }

rabbit_up() {
  mkdir -p "$DIR/rabbit/log" "$DIR/rabbit/mnesia"
  echo '[].' >"$DIR/rabbit/enabled_plugins"
  : >"$DIR/rabbit/rabbitmq-env.conf"
  cat >"$DIR/rabbit/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$FAULTS_RABBIT_PORT
loopback_users = none
EOF
  (rabbit_env; "$RABBIT_BIN/rabbitmq-server" -detached)
}

# The node registers with epmd only some seconds into its boot (tens of seconds on a loaded machine), and
# await_startup fails at once for a node not registered yet: retry it, bounded.
rabbit_wait() {
  local deadline=$((SECONDS + 180))
  until rabbitmqctl_ -q await_startup --timeout 60 >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      log "RabbitMQ node $FAULTS_RABBIT_NODE did not start within 180 s; log: $DIR/rabbit/log"
      return 1
    fi
    sleep 1
  done
  wait_port "$FAULTS_RABBIT_PORT" RabbitMQ 30
}

rabbit_down() {
  [ -f "$DIR/rabbit/pid" ] || return 0
  rabbitmqctl_ -q stop >/dev/null 2>&1 || true
  local pid
  pid=$(cat "$DIR/rabbit/pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
}

# --- A three-node RabbitMQ cluster (node loss): own node names, ports, data dirs and one cookie of its own ---
cluster_env() { # INDEX
  export HOME="$DIR/cluster"   # the cluster's shared Erlang cookie
  export RABBITMQ_NODENAME="${CLUSTER_NODE_LIST[$1]}"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="${CLUSTER_PORT_LIST[$1]}"
  export RABBITMQ_DIST_PORT="${CLUSTER_DIST_LIST[$1]}"
  export RABBITMQ_MNESIA_BASE="$DIR/cluster/n$1/mnesia"
  export RABBITMQ_LOG_BASE="$DIR/cluster/n$1/log"
  export RABBITMQ_PID_FILE="$DIR/cluster/n$1/pid"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/cluster/n$1/enabled_plugins"
  export RABBITMQ_CONFIG_FILE="$DIR/cluster/n$1/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$DIR/cluster/n$1/advanced.config"
  export RABBITMQ_CONF_ENV_FILE="$DIR/cluster/n$1/rabbitmq-env.conf"
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

load_cluster() { # shellcheck disable=SC1091
  source "$DIR/cluster.env"
  read -r -a CLUSTER_PORT_LIST <<<"$CLUSTER_PORTS"
  read -r -a CLUSTER_DIST_LIST <<<"$CLUSTER_DIST_PORTS"
  read -r -a CLUSTER_NODE_LIST <<<"$CLUSTER_NODES"
}

cluster_ctl() { local i=$1; shift; (cluster_env "$i"; "$RABBIT_BIN/rabbitmqctl" -n "$RABBITMQ_NODENAME" "$@"); }

cluster_wait() { # INDEX
  local deadline=$((SECONDS + 240))
  until cluster_ctl "$1" -q await_startup --timeout 60 >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      log "cluster node $1 did not start within 240 s; log: $DIR/cluster/n$1/log"
      return 1
    fi
    sleep 1
  done
}

cluster_up() {
  local i ports="" dists="" nodes=""
  for i in 0 1 2; do
    ports+="$(free_port) "; dists+="$(free_port) "; nodes+="faults-$$-c$i@localhost "
  done
  {
    echo "export CLUSTER_PORTS=\"${ports% }\""
    echo "export CLUSTER_DIST_PORTS=\"${dists% }\""
    echo "export CLUSTER_NODES=\"${nodes% }\""
  } >"$DIR/cluster.env"
  load_cluster
  mkdir -p "$DIR/cluster"
  head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$DIR/cluster/.erlang.cookie"
  chmod 400 "$DIR/cluster/.erlang.cookie"
  for i in 0 1 2; do
    mkdir -p "$DIR/cluster/n$i/log" "$DIR/cluster/n$i/mnesia"
    echo '[].' >"$DIR/cluster/n$i/enabled_plugins"
    : >"$DIR/cluster/n$i/rabbitmq-env.conf"
    printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users = none\n' "${CLUSTER_PORT_LIST[$i]}" \
      >"$DIR/cluster/n$i/rabbitmq.conf"
    (cluster_env "$i"; "$RABBIT_BIN/rabbitmq-server" -detached)
  done
  for i in 0 1 2; do cluster_wait "$i"; done
  for i in 1 2; do
    cluster_ctl "$i" -q stop_app
    cluster_ctl "$i" -q join_cluster "${CLUSTER_NODE_LIST[0]}"
    cluster_ctl "$i" -q start_app
  done
  for i in 0 1 2; do
    cluster_wait "$i"
    wait_port "${CLUSTER_PORT_LIST[$i]}" "cluster node $i" 60
  done
  log "RabbitMQ cluster $CLUSTER_NODES on ports $CLUSTER_PORTS"
}

cluster_queue() { # QUEUE: "TYPE LEADER", asked of the first node that answers
  local i
  for i in 0 1 2; do
    if cluster_ctl "$i" -q list_queues name type leader 2>/dev/null | awk -v q="$1" '$1 == q {print $2, $3; f = 1} END {exit !f}'; then
      return 0
    fi
  done
  log "no node knows the leader of $1"
  return 1
}

cluster_consumers() { # QUEUE: "NODE COUNT" per node hosting a consumer's channel, asked of the first node that answers
  local i
  for i in 0 1 2; do
    if cluster_ctl "$i" -q list_consumers queue_name channel_pid 2>/dev/null \
        | awk -v q="$1" '$1 == q {sub(/^</, "", $2); split($2, p, "."); n[p[1]]++; f = 1} END {for (k in n) print k, n[k]; exit !f}'; then
      return 0
    fi
  done
  log "no node lists consumers of $1"
  return 1
}

cluster_kill() { # NODE
  local i
  for i in 0 1 2; do
    if [ "${CLUSTER_NODE_LIST[$i]}" = "$1" ]; then
      kill -9 "$(cat "$DIR/cluster/n$i/pid")"
      log "SIGKILL to $1"
      return 0
    fi
  done
  log "no cluster node $1"
  return 1
}

cluster_down() {
  [ -f "$DIR/cluster.env" ] || return 0
  local i
  for i in 0 1 2; do
    if [ -f "$DIR/cluster/n$i/pid" ]; then
      kill -9 "$(cat "$DIR/cluster/n$i/pid")" 2>/dev/null || true # the killed node is gone already
    fi
  done
}

# --- PostgreSQL: initdb + pg_ctl as user postgres (initdb refuses root), socket in DIR, loopback only ---
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_ctl_() { as_postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/log" -w -t 60 \
  -o "-p $FAULTS_PG_PORT -k $DIR/pg -c listen_addresses=127.0.0.1" "$@"; }

pg_up() {
  mkdir -p "$DIR/pg"
  [ "$(id -u)" -eq 0 ] && chown postgres "$DIR/pg"
  as_postgres "$PG_BIN/initdb" -D "$DIR/pg/data" -U postgres -A trust -E UTF8 --no-sync >"$DIR/pg/initdb.log"
  pg_ctl_ start >/dev/null
  wait_port "$FAULTS_PG_PORT" PostgreSQL 30
}

pg_down() {
  [ -f "$DIR/pg/data/postmaster.pid" ] || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
}

# --- Redis: no persistence, daemonized with a pid file ---
redis_start() {
  mkdir -p "$DIR/redis"
  redis-server --port "$FAULTS_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$DIR/redis" --pidfile "$DIR/redis/pid" --logfile "$DIR/redis/log"
  wait_port "$FAULTS_REDIS_PORT" Redis 20
}

redis_stop() {
  redis-cli -p "$FAULTS_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  local i
  for ((i = 0; i < 50; i++)); do
    port_open "$FAULTS_REDIS_PORT" || return 0
    sleep 0.1
  done
  [ -f "$DIR/redis/pid" ] && kill -9 "$(cat "$DIR/redis/pid")" 2>/dev/null || true
}

case "$ACTION" in
  up)
    mkdir -p "$DIR"
    chmod 755 "$DIR" # user postgres must reach its data dir and socket under it
    cat >"$DIR/env" <<EOF
export FAULTS_DIR=$DIR
export FAULTS_RABBIT_NODE=faults-$$@localhost
export FAULTS_RABBIT_PORT=$(free_port)
export FAULTS_RABBIT_DIST_PORT=$(free_port)
export FAULTS_PG_PORT=$(free_port)
export FAULTS_REDIS_PORT=$(free_port)
EOF
    load_env
    log "RabbitMQ $FAULTS_RABBIT_NODE on $FAULTS_RABBIT_PORT, PostgreSQL on $FAULTS_PG_PORT, Redis on $FAULTS_REDIS_PORT (data in $DIR)"
    rabbit_up # boots in the background while the others start
    redis_start
    pg_up
    rabbit_wait
    ;;
  down)
    [ -f "$DIR/env" ] || exit 0
    load_env
    rabbit_down
    cluster_down
    pg_down
    redis_stop
    ;;
  rabbit-stop-app) load_env; rabbitmqctl_ -q stop_app ;;
  rabbit-start-app) load_env; rabbitmqctl_ -q start_app; rabbit_wait ;;
  pg-restart) load_env; pg_ctl_ -m immediate restart >/dev/null ;;  # immediate = a crash: no clean shutdown
  redis-stop) load_env; redis_stop ;;
  redis-start) load_env; redis_start ;;
  cluster-up) load_env; cluster_up ;;
  cluster-queue) load_env; load_cluster; cluster_queue "$1" ;;
  cluster-consumers) load_env; load_cluster; cluster_consumers "$1" ;;
  cluster-kill) load_env; load_cluster; cluster_kill "$1" ;;
  cluster-down) cluster_down ;;
  fs-mount)
    mkdir -p "$1"
    mount -t tmpfs -o "size=$2" tmpfs "$1"
    ;;
  fs-umount) umount "$1" ;;
  *) log "unknown action $ACTION"; exit 2 ;;
esac
