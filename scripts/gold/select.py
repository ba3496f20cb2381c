"""Choose the items of the gold corpus and write the annotators' input batches (deterministic).

  python3 scripts/gold/select.py        # reads ../shared/data, writes data/gold/input/*.jsonl

- 3,000 of the 5,453 current-events summaries of 2025 (the first by a salted SHA-256 of the id), 8 batches,
  and the other 2,453 in 6 more batches (ce-09 … ce-14);
- the 221 Wikinews articles of at most 8,000 characters (long interviews left out), ordered by the same kind
  of hash, split into numbered sentences (scripts/gold/common.py: paragraphs, then terminal punctuation):
  100 in 4 batches, then the other 121 in 5 batches (wn-05 … wn-09);
- the 76 GigaWord sample sentences of PETRARCH2;
- 200 of the chosen summaries for the independent second annotation (agreement).
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import ROOT, SHARED, h, read_jsonl, sentences  # noqa: E402

OUT = os.path.join(ROOT, "data/gold/input")


def write(name, rows):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{name}: {len(rows)}")


def main():
    os.makedirs(OUT, exist_ok=True)
    ce = list(read_jsonl(os.path.join(SHARED, "data/news/current_events_2025.jsonl")))
    ce.sort(key=lambda r: h("tocsin-gold-select", r["id"]))
    chosen = ce[:3000]
    for b in range(8):
        batch = sorted(chosen[b * 375:(b + 1) * 375], key=lambda r: r["id"])
        write(f"ce-{b + 1:02d}.jsonl", [{"id": r["id"], "published": r["published"], "text": r["text"]}
                                        for r in batch])
    # The rest of the year, annotated after the first 3,000 to grow the training data.
    rest = ce[3000:]
    size = -(-len(rest) // 6)
    for b in range(6):
        batch = sorted(rest[b * size:(b + 1) * size], key=lambda r: r["id"])
        write(f"ce-{b + 9:02d}.jsonl", [{"id": r["id"], "published": r["published"], "text": r["text"]}
                                        for r in batch])
    agree = sorted(chosen, key=lambda r: h("tocsin-gold-agree", r["id"]))[:200]
    write("agreement.jsonl", [{"id": r["id"], "published": r["published"], "text": r["text"]}
                              for r in sorted(agree, key=lambda r: r["id"])])

    wn = [a for a in read_jsonl(os.path.join(SHARED, "data/news/wikinews_2019_2020.jsonl"))
          if len(a["text"]) <= 8000]
    wn.sort(key=lambda a: h("tocsin-gold-select", a["id"]))
    # The first 100 in four batches, then the other 121 (more article training data) in five.
    bounds = [(0, 25), (25, 50), (50, 75), (75, 100), (100, 125), (125, 150), (150, 175), (175, 200), (200, 221)]
    for b, (lo, hi) in enumerate(bounds):
        rows = []
        for a in sorted(wn[lo:hi], key=lambda a: a["id"]):
            sents = [{"id": f"{a['id']}#{i}", "start": s, "end": e, "text": a["text"][s:e]}
                     for i, (s, e) in enumerate(sentences(a["text"]))]
            rows.append({"id": a["id"], "published": a["published"][:10], "title": a["title"],
                         "url": a.get("url"), "text": a["text"], "sentences": sents})
        write(f"wn-{b + 1:02d}.jsonl", rows)

    xml = open(os.path.join(SHARED, "data/petrarch/GigaWord.sample.PETR.xml"), encoding="utf-8").read()
    rows, seen = [], set()
    for m in re.finditer(r'<Sentence date = "(\d{8})" id ="([^"]+)"[^>]*>\s*<Text>(.*?)</Text>', xml, re.S):
        d, i, t = m.groups()
        # The sample repeats an id (GOLD_9): a repeat gets a suffix, so every sentence has its own.
        rid, k = "gw-" + i, 2
        while rid in seen:
            rid, k = f"gw-{i}-{k}", k + 1
        seen.add(rid)
        rows.append({"id": rid, "published": f"{d[:4]}-{d[4:6]}-{d[6:]}",
                     "text": " ".join(t.split())})
    write("gigaword.jsonl", rows)


if __name__ == "__main__":
    main()
