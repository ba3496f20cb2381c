#!/usr/bin/env bash
# Batch rates of `tocsin code` and `tocsin ingest` on one thread and on all cores (--threads 1 and
# --threads 0 = all) over the same real corpus: the 5,453 Portal:Current events items of 2025 and the
# 243 Wikinews articles of ../shared/data/news (5,696 articles). Prints a Markdown table with
# articles/s and the all-cores / one-thread ratio. Skips (exit 0) when ../shared is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
NEWS="${NEWS:-../shared/data/news}"
if [ ! -f "$NEWS/current_events_2025.jsonl" ] || [ ! -f "$NEWS/wikinews_2019_2020.jsonl" ]; then
  echo "bench/batch.sh: skipped, $NEWS/current_events_2025.jsonl or wikinews_2019_2020.jsonl is absent"
  exit 0
fi
cargo build --release --quiet
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cat "$NEWS/current_events_2025.jsonl" "$NEWS/wikinews_2019_2020.jsonl" > "$WORK/corpus.jsonl"
ARTICLES=$(wc -l < "$WORK/corpus.jsonl")
MB=$(du -m "$WORK/corpus.jsonl" | cut -f1)
CORES=$(nproc)

# Seconds taken by a command (stdout discarded; stderr kept for the summary line).
seconds() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" > /dev/null 2> "$WORK/stderr" || { cat "$WORK/stderr" >&2; return 1; }
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

echo "corpus: $ARTICLES articles, ${MB} MB; $CORES cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| command | threads | seconds | articles/s | ratio |"
echo "|---|---|---|---|---|"
for cmd in code ingest; do
  base=""
  for threads in 1 0; do
    rm -f "$WORK/bench.db"*
    if [ "$cmd" = code ]; then
      s=$(seconds ./target/release/tocsin code --format jsonl --threads "$threads" "$WORK/corpus.jsonl")
    else
      s=$(seconds ./target/release/tocsin ingest --db "$WORK/bench.db" --threads "$threads" "$WORK/corpus.jsonl")
    fi
    rate=$(echo "$ARTICLES / $s" | bc -l)
    [ -z "$base" ] && base=$rate
    label=$([ "$threads" = 0 ] && echo "all ($CORES)" || echo 1)
    printf '| %s | %s | %.2f | %.0f | %.2f× |\n' "$cmd" "$label" "$s" "$rate" "$(echo "$rate / $base" | bc -l)"
  done
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
