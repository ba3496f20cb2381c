#!/usr/bin/env bash
# Scale-out benchmark: 1 vs 2 `tocsin worker` processes (NATS JetStream → PostgreSQL) against the
# embedded path (SQLite, one process), plus submit→queryable latency. Starts its own nats-server and
# PostgreSQL with .ci/servers.sh (as CI does) unless TOCSIN_NATS and TOCSIN_POSTGRES are set.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
if [ -z "${TOCSIN_NATS:-}" ] || [ -z "${TOCSIN_POSTGRES:-}" ]; then
  source .ci/servers.sh
  servers_install
  servers_start
  trap servers_stop EXIT
  export TOCSIN_NATS="$TOCSIN_TEST_NATS" TOCSIN_POSTGRES="$TOCSIN_TEST_POSTGRES"
fi
./target/release/tocsin bench-scale --articles "${ARTICLES:-3000}" --latency-samples "${SAMPLES:-200}"
