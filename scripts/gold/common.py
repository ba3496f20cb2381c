"""Shared helpers of the gold-corpus scripts: hashing, splits, sentence splitting, code tables."""
import hashlib
import json
import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared"))

TYPES = ["AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
SECTORS = ["GOV", "MIL", "POL", "SPY", "JUD", "LEG", "PTY", "OPP", "REB", "CVL", "BUS", "MED", "REL", "CRM",
           "NGO", "IGO", "REF", "EDU", "LAB", "HLH", "ENV", "AGR", "UAF", "INS", "ELI", "SPY"]


def h(salt, key):
    """A number in [0, 1) from the SHA-256 of salt + key: stable across runs and machines."""
    d = hashlib.sha256((salt + ":" + key).encode("utf-8")).hexdigest()
    return int(d[:12], 16) / float(1 << 48)


def split_of(item_or_article_id):
    """train (70 %) / dev (15 %) / test (15 %) by a hash of the item id (articles: the article id)."""
    x = h("tocsin-gold-split", item_or_article_id)
    return "train" if x < 0.70 else ("dev" if x < 0.85 else "test")


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if line:
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    raise SystemExit(f"{path}:{n}: not JSON: {e}")


def abbreviations():
    out = set()
    with open(os.path.join(ROOT, "data/text/abbreviations.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                out.add(line)
    return out


_ABBR = None
_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+")


def sentences(text):
    """Paragraphs (blank lines) then sentences: [(start, end)] character offsets, whitespace trimmed."""
    global _ABBR
    if _ABBR is None:
        _ABBR = abbreviations()
    spans = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        p0, ptxt = para.start(), para.group(0)
        start = 0
        for m in _END.finditer(ptxt):
            end = m.end()
            nxt = ptxt[end:end + 1]
            if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘("):
                continue
            before = ptxt[start:m.start()].split()
            last = before[-1].rstrip(".") if before else ""
            last = last.lstrip("\"'“‘(")
            if ptxt[m.start()] == "." and (last in _ABBR or (len(last) == 1 and last.isupper())
                                           or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", last or "-")):
                continue
            spans.append((start, m.end()))
            start = end
        if start < len(ptxt):
            spans.append((start, len(ptxt)))
        for s, e in spans:
            seg = ptxt[s:e]
            ls = len(seg) - len(seg.lstrip())
            rs = len(seg.rstrip())
            if rs > ls:
                yield (p0 + s + ls, p0 + s + rs)
        spans = []


def cameo_table():
    """CAMEO code -> (PLOVER type, mode, context) from data/cameo/cameo2plover.txt."""
    table = {}
    with open(os.path.join(ROOT, "data/cameo/cameo2plover.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line or ":" not in line:
                continue
            code, rest = line.split(":", 1)
            parts = [p.strip() for p in rest.split(",")]
            typ = parts[0]
            mode = parts[1] if len(parts) > 1 and parts[1] else None
            ctx = parts[2] if len(parts) > 2 and parts[2] else None
            table[code.strip()] = (typ, mode, ctx)
    return table


def countries():
    out = set()
    with open(os.path.join(ROOT, "data/kb/countries.tsv"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                out.add(line.split("\t")[0])
    return out | {"XKX", "IMG"}
