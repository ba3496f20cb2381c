#!/usr/bin/env bash
# Store/API/dashboard benchmark on SYNTHETIC events (bench/synth_gdelt.py): ingest rate, p50/p99 latency
# of the main API queries, dashboard first paint in headless Chromium, and store size on disk.
# Usage: bash bench/store.sh [N_EVENTS]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cargo build --release --quiet
BIN=./target/release/tocsin

python3 bench/synth_gdelt.py "$N" > "$WORK/synthetic.tsv"
start=$(date +%s.%N)
$BIN import gdelt "$WORK/synthetic.tsv" --db "$WORK/bench.db" 2>&1 | tail -1
end=$(date +%s.%N)
python3 - "$N" "$start" "$end" <<'PY'
import sys
n, a, b = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"ingest: {n} synthetic events in {b - a:.1f} s = {n / (b - a):,.0f} events/s")
PY
du -h "$WORK/bench.db"* | sed 's|'"$WORK"'/||' | awk '{print "store size: " $0}'

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$BIN serve --db "$WORK/bench.db" --addr "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/alerts" >/dev/null && break; sleep 0.2; done

python3 - "$PORT" <<'PY'
import json, statistics, sys, time, urllib.request
port = sys.argv[1]
base = f"http://127.0.0.1:{port}"
first = json.load(urllib.request.urlopen(base + "/api/events?limit=1"))["items"][0]["id"]
queries = {
    "events (first page)": "/api/events?limit=25",
    "events (country+type+dates)": "/api/events?country=SRB&type=ASSAULT&from=2024-01-01&to=2024-03-31&limit=25",
    "events (page 400)": "/api/events?limit=25&offset=10000",
    "event detail": "/api/events/" + first,
    "dyad series SRB->XKX": "/api/dyads/SRB/XKX/series",
    "network (all)": "/api/network",
    "network (one month)": "/api/network?from=2024-01-01&to=2024-01-31",
}
print(f"{'query':<30} {'p50 ms':>8} {'p99 ms':>8}")
for name, path in queries.items():
    times = []
    for _ in range(30):
        t = time.perf_counter()
        urllib.request.urlopen(base + path).read()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"{name:<30} {statistics.median(times):8.1f} {times[int(len(times) * 0.99) - 1]:8.1f}")
PY
if [ -d tests/browser/node_modules/playwright-core ] && [ -x /usr/bin/chromium ]; then
  node tests/browser/first-paint.mjs "http://127.0.0.1:$PORT/" 5
fi
