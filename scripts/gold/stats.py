"""Corpus statistics for data/gold/README.md: documents, units and events per file and split, events per type.

  python3 scripts/gold/stats.py
"""
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import ROOT, TYPES  # noqa: E402


def units(doc):
    if "sentences" in doc:
        return [s["events"] for s in doc["sentences"]]
    return [doc["events"]]


def main():
    files = ["summaries.jsonl", "articles.jsonl", "gigaword.jsonl", "gsr.jsonl", "seed.jsonl"]
    types = collections.Counter()
    print("| file | split | documents | units | units without an event | events |")
    print("|---|---|---|---|---|---|")
    for name in files:
        path = os.path.join(ROOT, "data/gold", name)
        docs = [json.loads(line) for line in open(path, encoding="utf-8")]
        for split in ("train", "dev", "test"):
            mine = [d for d in docs if d["split"] == split]
            if not mine:
                continue
            us = [u for d in mine for u in units(d)]
            events = [e for u in us for e in u]
            types.update(e["type"] for e in events)
            print(f"| {name} | {split} | {len(mine)} | {len(us)} | {sum(1 for u in us if not u)} | {len(events)} |")
    print()
    print("| type | events |")
    print("|---|---|")
    for t in sorted(TYPES, key=lambda t: -types[t]):
        print(f"| {t} | {types[t]} |")
    print(f"| all | {sum(types.values())} |")


if __name__ == "__main__":
    main()
