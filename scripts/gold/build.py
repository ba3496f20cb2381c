"""Build the gold corpus from the annotators' lines: character offsets for every span, splits, modes.

  python3 scripts/gold/build.py          # reads data/gold/input + data/gold/raw, writes data/gold/*.jsonl

Output (one JSON object a line; offsets are character offsets into `text`, as Python and the event schema count):
- summaries.jsonl and gigaword.jsonl: {"id","split","published","text","events":[EVENT]}
- articles.jsonl (and seed.jsonl, the reference story, all "train"): {"id","split","published","title","url","text",
  "sentences":[{"id","start","end","events":[EVENT]}]}
EVENT = {"type","cameo","mode","trigger":SPAN,"also":[SPAN],"source":[ACTOR],"target":[ACTOR],"both_ways",
         "date":SPAN|null,"date_iso","place":SPAN|null,"dead","injured","arrested","size"}
SPAN = {"text","start","end"};  ACTOR = {"code","text","start","end"} (text/start/end null for implied actors).
Items whose annotation line is missing are left out (and counted on stderr).
"""
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import ROOT, cameo_table, read_jsonl, split_of  # noqa: E402

GOLD = os.path.join(ROOT, "data/gold")


def occurrences(text, needle):
    """Start offsets of needle in text, whole-word matches first."""
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    word = [s for s in starts if (s == 0 or not text[s - 1].isalnum())
            and (s + len(needle) >= len(text) or not text[s + len(needle)].isalnum())]
    return word or starts


def locate(text, needle, base, near=None, occ=None):
    if not needle:
        return None
    starts = occurrences(text, needle)
    if not starts:
        raise ValueError(f"{needle!r} not in text")
    if occ:
        all_starts = [m.start() for m in re.finditer(re.escape(needle), text)]
        s = all_starts[min(occ, len(all_starts)) - 1]
    elif near is not None:
        s = min(starts, key=lambda x: abs(x + base - near))
    else:
        s = starts[0]
    return {"text": needle, "start": base + s, "end": base + s + len(needle)}


def actors(val, text, base, near):
    out = []
    for a in (val if isinstance(val, list) else [val] if val else []):
        span = locate(text, a.get("text"), base, near) if a.get("text") else None
        out.append({"code": a["code"], "text": span and span["text"], "start": span and span["start"],
                    "end": span and span["end"]})
    return out


def event(ev, text, base, table):
    trig = locate(text, ev["trigger"], base, occ=ev.get("occ"))
    near = trig["start"]
    row = table.get(ev["cameo"], (None, None, None))
    return {
        "type": ev["type"],
        "cameo": ev["cameo"],
        "mode": ev.get("mode") or row[1],
        "trigger": trig,
        "also": [locate(text, a, base, near) for a in ev.get("also") or []],
        "source": actors(ev.get("source"), text, base, near),
        "target": actors(ev.get("target"), text, base, near),
        "both_ways": bool(ev.get("both_ways")),
        "date": locate(text, ev.get("date"), base, near),
        "date_iso": ev.get("date_iso"),
        "place": locate(text, ev.get("place"), base, near),
        "dead": ev.get("dead"),
        "injured": ev.get("injured"),
        "arrested": ev.get("arrested"),
        "size": ev.get("size"),
    }


def raw_lines(pattern):
    out = {}
    for path in sorted(glob.glob(os.path.join(GOLD, "raw", pattern))):
        for row in read_jsonl(path):
            out[row["id"]] = (row, os.path.relpath(path, ROOT))
    return out


def build_items(inputs, pattern, out_name, table):
    raw = raw_lines(pattern)
    rows, missing, errors = [], 0, 0
    for path in sorted(glob.glob(os.path.join(GOLD, "input", inputs))):
        for item in read_jsonl(path):
            ann = raw.get(item["id"])
            if ann is None:
                missing += 1
                continue
            try:
                events = [event(e, item["text"], 0, table) for e in ann[0]["events"]]
            except (ValueError, KeyError, TypeError) as e:
                print(f"{ann[1]}: {item['id']}: {e}", file=sys.stderr)
                errors += 1
                continue
            rows.append({"id": item["id"], "split": split_of(item["id"]), "published": item["published"],
                         "text": item["text"], "events": events})
    write(out_name, rows)
    print(f"{out_name}: {len(rows)} items, {sum(len(r['events']) for r in rows)} events; "
          f"{missing} not annotated, {errors} with errors", file=sys.stderr)


def build_articles(table, pattern="wn-*.jsonl", out_name="articles.jsonl", split=None):
    raw = raw_lines(pattern)
    rows, missing, errors = [], 0, 0
    for path in sorted(glob.glob(os.path.join(GOLD, "input", pattern))):
        for art in read_jsonl(path):
            sents, complete = [], True
            for s in art["sentences"]:
                ann = raw.get(s["id"])
                if ann is None:
                    complete = False
                    break
                try:
                    events = [event(e, s["text"], s["start"], table) for e in ann[0]["events"]]
                except (ValueError, KeyError, TypeError) as e:
                    print(f"{ann[1]}: {s['id']}: {e}", file=sys.stderr)
                    errors += 1
                    events = None
                sents.append({"id": s["id"], "start": s["start"], "end": s["end"], "events": events})
            if not complete or any(s["events"] is None for s in sents):
                missing += not complete
                continue
            rows.append({"id": art["id"], "split": split or split_of(art["id"]), "published": art["published"],
                         "title": art["title"], "url": art.get("url"), "text": art["text"],
                         "sentences": sents})
    write(out_name, rows)
    print(f"{out_name}: {len(rows)} articles, {sum(len(r['sentences']) for r in rows)} sentences, "
          f"{sum(len(s['events']) for r in rows for s in r['sentences'])} events; {missing} not fully annotated, "
          f"{errors} sentence errors", file=sys.stderr)


def write(name, rows):
    with open(os.path.join(GOLD, name), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")


def main():
    table = cameo_table()
    build_items("ce-*.jsonl", "ce-*.jsonl", "summaries.jsonl", table)
    build_items("gigaword.jsonl", "gigaword.jsonl", "gigaword.jsonl", table)
    build_articles(table)
    # The reference story, annotated like the articles, is training data (tests/seed.rs checks the whole
    # pipeline on it; generalisation is measured on the test split).
    build_articles(table, "seed.jsonl", "seed.jsonl", split="train")


if __name__ == "__main__":
    main()
