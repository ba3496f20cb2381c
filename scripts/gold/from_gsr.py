"""Convert PLOVER's gold-standard records (tests/fixtures/PLOVER_GSR_dev.json, CC BY-SA 4.0, Open Event Data
Alliance) into the gold corpus format, as training data: data/gold/gsr.jsonl (split "train" for every record).

  python3 scripts/gold/from_gsr.py

The markup ("(SRC: Libya) has (EVT: offered to hand over) to (TAR: Great Britain)") gives the spans: the first
EVT span is the trigger, later ones `also`; SRC/TAR spans (joint actors) are one event coded both ways. Codes
come from the record's source/target lists (matched by actor text); the 2021 type names map to the 2023 set;
the CAMEO code is the first code of data/cameo/cameo2plover.txt with the record's type and mode.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import ROOT, cameo_table  # noqa: E402

RENAME = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
DEFAULT = {"AGREE": "030", "CONSULT": "040", "SUPPORT": "051", "CONCEDE": "081", "COOPERATE": "060", "AID": "070",
           "RETREAT": "084", "REQUEST": "100", "ACCUSE": "111", "REJECT": "120", "THREATEN": "130",
           "PROTEST": "141", "SANCTION": "163", "MOBILIZE": "150", "COERCE": "173", "ASSAULT": "190"}


def code_for(kind, mode, table):
    if mode:
        for code, (t, m, _) in sorted(table.items()):
            if len(code) >= 3 and t == kind and m and m.strip() == mode:
                return code
    return DEFAULT[kind]


def number(v):
    """A count as an integer (the records write some as strings), else None."""
    try:
        return int(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


def spans(markup, text):
    """(kind, span text, start) for every (KIND: words) of the markup, located in the plain text."""
    out, cursor = [], 0
    for m in re.finditer(r"\((SRC/TAR|SRC|TAR|EVT): ([^)]*)\)", markup):
        words = m.group(2).strip()
        at = text.find(words, cursor)
        if at < 0:
            at = text.find(words)
        if at >= 0:
            out.append((m.group(1), words, at))
            cursor = at + len(words)
    return out


def main():
    table = cameo_table()
    recs = json.load(open(os.path.join(ROOT, "tests/fixtures/PLOVER_GSR_dev.json"), encoding="utf-8"))
    rows = []
    for r in recs:
        kind = RENAME.get(r.get("event", ""), r.get("event", ""))
        if kind not in DEFAULT or "textInfo" not in r:
            continue
        text = r["text"]
        found = spans(r["textInfo"].get("markup", ""), text)
        evts = [s for s in found if s[0] == "EVT"]
        if not evts:
            continue
        codes = {}
        for role in ("source", "target"):
            for a in r.get(role) or []:
                if isinstance(a, dict) and a.get("code"):
                    codes[a.get("actorText", "")] = a["code"][:3] + (a.get("sector") or "")

        def actor(words, start):
            code = codes.get(words) or next((c for t, c in codes.items() if t and (t in words or words in t)), None)
            return code and {"code": code, "text": words, "start": start, "end": start + len(words)}

        src = [actor(w, s) for k, w, s in found if k in ("SRC", "SRC/TAR")]
        tgt = [actor(w, s) for k, w, s in found if k == "TAR"]
        joint = [a for k, w, s in found if k == "SRC/TAR" for a in [actor(w, s)] if a]
        both = False
        if len(joint) >= 2 and not tgt:
            src, tgt, both = [joint[0]], joint[1:], True
        span = lambda w, s: {"text": w, "start": s, "end": s + len(w)}  # noqa: E731
        ev = {
            "type": kind,
            "cameo": code_for(kind, r.get("mode"), table),
            "mode": r.get("mode") or None,
            "trigger": span(evts[0][1], evts[0][2]),
            "also": [span(w, s) for _, w, s in evts[1:]],
            "source": [a for a in src if a],
            "target": [a for a in tgt if a],
            "both_ways": both,
            "date": None, "date_iso": None, "place": None,
            "dead": number(r.get("dead")), "injured": number(r.get("injured")), "arrested": None,
            "size": number(r.get("size")),
        }
        rows.append({"id": r["id"], "split": "train", "published": r.get("date") or "2000-01-01", "text": text,
                     "events": [ev]})
    with open(os.path.join(ROOT, "data/gold/gsr.jsonl"), "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"gsr.jsonl: {len(rows)} records", file=sys.stderr)


if __name__ == "__main__":
    main()
