"""Check an annotation file against its input batch and the guidelines' vocabulary.

  python3 scripts/gold/check.py data/gold/raw/ce-01.jsonl data/gold/input/ce-01.jsonl

Prints one line per problem (file:line: what) and a summary; exit 1 when there are errors. Warnings (a CAMEO
code whose table type differs from the annotated type, outside the listed exceptions) do not fail.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import SECTORS, TYPES, cameo_table, countries, read_jsonl  # noqa: E402

EXCEPTIONS = {("163", "SANCTION"), ("1631", "SANCTION"), ("085", "CONCEDE"), ("081", "CONCEDE"),
              ("084", "RETREAT"), ("0841", "RETREAT"), ("0842", "RETREAT")}
NUMERIC = ["dead", "injured", "arrested", "size"]
KNOWN = {"type", "cameo", "mode", "trigger", "occ", "also", "source", "target", "date", "date_iso", "place",
         "dead", "injured", "arrested", "size", "both_ways", "note"}
CODE = re.compile(r"^(?:(?:IGO|NGO|IMG)[A-Z0-9]{0,9}|[A-Z]{3}(?:[A-Z]{3}){0,2})$")


def inputs(path):
    """id -> text (summaries and GigaWord: the item; articles: each sentence)."""
    out = {}
    for r in read_jsonl(path):
        if "sentences" in r:
            for s in r["sentences"]:
                out[s["id"]] = s["text"]
        else:
            out[r["id"]] = r["text"]
    return out


def valid_code(code, nations):
    if not isinstance(code, str) or not CODE.match(code):
        return False
    head = code[:3]
    if head in ("IGO", "NGO", "IMG"):
        return True
    if head not in nations:
        return False
    rest = code[3:]
    return all(rest[i:i + 3] in SECTORS for i in range(0, len(rest), 3))


def check(raw, inp):
    texts = inputs(inp)
    table = cameo_table()
    nations = countries()
    errors, warnings, seen = [], [], set()
    n_events = 0
    for n, line in enumerate(open(raw, encoding="utf-8"), 1):
        line = line.strip()
        if not line:
            continue
        where = f"{raw}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{where}: not JSON ({e})")
            continue
        rid = row.get("id")
        if rid not in texts:
            errors.append(f"{where}: id {rid!r} is not in {inp}")
            continue
        if rid in seen:
            errors.append(f"{where}: id {rid} annotated twice")
        seen.add(rid)
        text = texts[rid]
        events = row.get("events")
        if not isinstance(events, list):
            errors.append(f"{where}: {rid}: 'events' must be a list ([] for no event)")
            continue
        for k, ev in enumerate(events):
            n_events += 1
            w = f"{where}: {rid} event {k + 1}"
            if not isinstance(ev, dict):
                errors.append(f"{w}: not an object")
                continue
            for key in ev:
                if key not in KNOWN:
                    errors.append(f"{w}: unknown field {key!r}")
            t = ev.get("type")
            if t not in TYPES:
                errors.append(f"{w}: type {t!r} is not one of the 16 PLOVER types")
            c = ev.get("cameo")
            if not isinstance(c, str) or c not in table:
                errors.append(f"{w}: cameo {c!r} is not a code of data/cameo/cameo2plover.txt")
            elif t in TYPES and table[c][0] != t and (c, t) not in EXCEPTIONS:
                warnings.append(f"{w}: cameo {c} is {table[c][0]} in the table, annotated {t}")
            trig = ev.get("trigger")
            if not isinstance(trig, str) or not trig or trig not in text:
                errors.append(f"{w}: trigger {trig!r} is not a substring of the text")
            for a in ev.get("also") or []:
                if not isinstance(a, str) or a not in text:
                    errors.append(f"{w}: also {a!r} is not a substring of the text")
            for role in ("source", "target"):
                val = ev.get(role)
                if role not in ev:
                    errors.append(f"{w}: {role} missing (use null for none)")
                    continue
                for actor in (val if isinstance(val, list) else [val] if val is not None else []):
                    if not isinstance(actor, dict) or "code" not in actor:
                        errors.append(f"{w}: {role} must be null, {{text, code}} or a list of them")
                        continue
                    if not valid_code(actor["code"], nations):
                        errors.append(f"{w}: {role} code {actor['code']!r} is not COUNTRY[+SECTOR] or IGO/NGO…")
                    at = actor.get("text")
                    if at is not None and (not isinstance(at, str) or at not in text):
                        errors.append(f"{w}: {role} text {at!r} is not a substring of the text")
            for key in ("date", "place"):
                v = ev.get(key)
                if v is not None and (not isinstance(v, str) or v not in text):
                    errors.append(f"{w}: {key} {v!r} is not a substring of the text")
            di = ev.get("date_iso")
            if di is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(di)):
                errors.append(f"{w}: date_iso {di!r} is not YYYY[-MM[-DD]]")
            for key in NUMERIC:
                v = ev.get(key)
                if v is not None and (not isinstance(v, int) or v < 0):
                    errors.append(f"{w}: {key} {v!r} must be a non-negative integer or null")
    missing = [i for i in texts if i not in seen]
    for e in errors:
        print(e)
    for x in warnings:
        print("warning:", x)
    print(f"{raw}: {len(seen)} of {len(texts)} items annotated, {n_events} events, "
          f"{len(errors)} errors, {len(warnings)} warnings; missing: {len(missing)}"
          + (f" (first: {missing[0]})" if missing else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    sys.exit(check(sys.argv[1], sys.argv[2]))
