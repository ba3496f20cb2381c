"""Inter-annotator agreement on the 200 summaries annotated twice, blind (data/gold/raw/agreement.jsonl
against the first pass in data/gold/raw/ce-*.jsonl).

  python3 scripts/gold/agreement.py            # prints the figures (Markdown) for data/gold/README.md

- Cohen's kappa on the type of each event, events paired by overlapping trigger words (an event the other
  annotator did not code pairs with NONE), and on "has an event" per item;
- event-level F1 between the passes with the evaluator's matching (type; type + source + target country),
  the first pass taken as gold: the ceiling a coder can be expected to reach;
- agreement on the full source and target codes of type-matched pairs.
"""
import collections
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import ROOT, read_jsonl  # noqa: E402

RAW = os.path.join(ROOT, "data/gold/raw")


def load(paths):
    out = {}
    for p in paths:
        for r in read_jsonl(p):
            out[r["id"]] = r["events"]
    return out


def actors(v):
    return v if isinstance(v, list) else ([v] if v else [])


def entity(code):
    code = code.upper().replace("IGOEUR", "IGOEU").replace("IGOAFU", "IGOAU")
    return code[:6] if code[:3] in ("IGO", "NGO", "IMG") else code[:3]


def side_ok(a, b):
    ea = {entity(x["code"]) for x in actors(a)}
    eb = {entity(x["code"]) for x in actors(b)}
    return (not ea and not eb) or bool(ea & eb)


def triple(g, p):
    if g["type"] != p["type"]:
        return False
    direct = side_ok(g.get("source"), p.get("source")) and side_ok(g.get("target"), p.get("target"))
    swapped = (g.get("both_ways") or p.get("both_ways")) and side_ok(g.get("source"), p.get("target")) \
        and side_ok(g.get("target"), p.get("source"))
    return direct or swapped


def words(e):
    return [w for w in [e["trigger"]] + list(e.get("also") or []) if w]


def overlap(a, b, text):
    for x in words(a):
        for y in words(b):
            if x in y or y in x:
                return True
    return False


def kappa(pairs):
    n = len(pairs)
    if n == 0:
        return float("nan")
    po = sum(1 for a, b in pairs if a == b) / n
    ca = collections.Counter(a for a, _ in pairs)
    cb = collections.Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def main():
    second = load([os.path.join(RAW, "agreement.jsonl")])
    first = load(sorted(glob.glob(os.path.join(RAW, "ce-*.jsonl"))))
    ids = [i for i in second if i in first]
    type_pairs, item_pairs = [], []
    g_n = p_n = t_match = tr_match = 0
    src_tot = src_same = tgt_tot = tgt_same = 0
    for i in ids:
        a, b = first[i], second[i]
        item_pairs.append((bool(a), bool(b)))
        used = set()
        for ea in a:
            hit = next((k for k, eb in enumerate(b) if k not in used and overlap(ea, eb, "")), None)
            if hit is None:
                type_pairs.append((ea["type"], "NONE"))
            else:
                used.add(hit)
                type_pairs.append((ea["type"], b[hit]["type"]))
        type_pairs.extend(("NONE", eb["type"]) for k, eb in enumerate(b) if k not in used)
        # Evaluator-style matching: triple pairs first, then type pairs.
        g_n += len(a)
        p_n += len(b)
        gu, pu = [False] * len(a), [False] * len(b)
        for strict in (True, False):
            for gi, ea in enumerate(a):
                if gu[gi]:
                    continue
                for pi, eb in enumerate(b):
                    if pu[pi]:
                        continue
                    if (triple(ea, eb) if strict else ea["type"] == eb["type"]):
                        gu[gi] = pu[pi] = True
                        t_match += 1
                        tr_match += strict
                        if actors(ea.get("source")):
                            src_tot += 1
                            src_same += {x["code"] for x in actors(ea.get("source"))} == \
                                {x["code"] for x in actors(eb.get("source"))}
                        if actors(ea.get("target")):
                            tgt_tot += 1
                            tgt_same += {x["code"] for x in actors(ea.get("target"))} == \
                                {x["code"] for x in actors(eb.get("target"))}
                        break
    p = t_match / p_n if p_n else 0
    r = t_match / g_n if g_n else 0
    f = 2 * p * r / (p + r) if p + r else 0
    print(f"items annotated twice: {len(ids)}; events: first pass {g_n}, second pass {p_n}")
    print(f"Cohen's kappa, type of paired events (NONE for unpaired): {kappa(type_pairs):.3f} "
          f"({len(type_pairs)} pairs)")
    print(f"Cohen's kappa, item has an event: {kappa(item_pairs):.3f}")
    print(f"event type agreement, second pass against the first: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    print(f"type + source + target country: recall {tr_match / g_n:.3f}, precision {tr_match / p_n:.3f}")
    print(f"same full source code {src_same}/{src_tot} = {src_same / max(src_tot, 1):.3f}; "
          f"same full target code {tgt_same}/{tgt_tot} = {tgt_same / max(tgt_tot, 1):.3f}")


if __name__ == "__main__":
    main()
