#!/usr/bin/env bash
# Installs (Debian packages), starts and stops the servers the scale-out tests need: nats-server with
# JetStream and PostgreSQL 15, both on 127.0.0.1, as root without systemd.
#   source .ci/servers.sh; servers_install; servers_start; ...; servers_stop
# After servers_start the environment carries TOCSIN_TEST_NATS, TOCSIN_TEST_POSTGRES and
# TOCSIN_TEST_PG_RESTART (a command that restarts PostgreSQL, used by the restart test).

SERVERS_DIR="${SERVERS_DIR:-/tmp/tocsin-ci-servers}"
NATS_PORT="${NATS_PORT:-14222}"
PG_PORT="${PG_PORT:-15432}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

servers_install() {
  local need=()
  command -v nats-server >/dev/null || need+=(nats-server)
  [ -x "$PG_BIN/initdb" ] || need+=(postgresql-15)
  if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # policy-rc.d stops the package scripts from starting a cluster of their own.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    apt-get install -y -qq "${need[@]}" >/dev/null
    rm -f /usr/sbin/policy-rc.d
  fi
}

# Runs a command as the postgres user (PostgreSQL refuses to run as root).
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

servers_start() {
  mkdir -p "$SERVERS_DIR/nats"
  if ! (exec 3<>/dev/tcp/127.0.0.1/"$NATS_PORT") 2>/dev/null; then
    nats-server -js -a 127.0.0.1 -p "$NATS_PORT" -sd "$SERVERS_DIR/nats" >"$SERVERS_DIR/nats.log" 2>&1 &
    echo $! >"$SERVERS_DIR/nats.pid"
  fi

  local pgdata="$SERVERS_DIR/pg"
  if [ ! -d "$pgdata" ]; then
    mkdir -p "$pgdata"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$SERVERS_DIR" "$pgdata"
    as_postgres "$PG_BIN/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$SERVERS_DIR"
  local pgopts="-c listen_addresses=127.0.0.1 -p $PG_PORT -k $SERVERS_DIR -c max_connections=200 -c fsync=on"
  if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    as_postgres "$PG_BIN/pg_ctl" -D "$pgdata" -l "$SERVERS_DIR/pg.log" -o "$pgopts" -w start >/dev/null
  fi

  local i
  for i in $(seq 1 50); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$NATS_PORT") 2>/dev/null; then break; fi
    sleep 0.2
  done
  (exec 3<>/dev/tcp/127.0.0.1/"$NATS_PORT") || { cat "$SERVERS_DIR/nats.log"; return 1; }
  "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -t 20 >/dev/null || { cat "$SERVERS_DIR/pg.log"; return 1; }

  export TOCSIN_TEST_NATS="nats://127.0.0.1:$NATS_PORT"
  export TOCSIN_TEST_POSTGRES="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  export TOCSIN_TEST_PG_RESTART="$(servers_restart_cmd)"
}

servers_restart_cmd() {
  local pgctl="$PG_BIN/pg_ctl -D $SERVERS_DIR/pg -l $SERVERS_DIR/pg.log -m fast -w restart"
  if [ "$(id -u)" = 0 ]; then echo "runuser -u postgres -- $pgctl"; else echo "$pgctl"; fi
}

servers_stop() {
  if [ -f "$SERVERS_DIR/nats.pid" ]; then kill "$(cat "$SERVERS_DIR/nats.pid")" 2>/dev/null || true; fi
  as_postgres "$PG_BIN/pg_ctl" -D "$SERVERS_DIR/pg" -m fast -w stop >/dev/null 2>&1 || true
}
