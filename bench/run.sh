#!/usr/bin/env bash
# Coding throughput (1 thread vs all cores) and peak memory on a >= 20 MB corpus made of the seed
# story and the PLOVER GSR dev sentences, repeated. Prints a table; the ratio is the figure to watch.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
./target/release/tocsin bench --mb "${MB:-20}"
