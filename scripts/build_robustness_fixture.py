#!/usr/bin/env python3
"""Builds tests/fixtures/robustness/ from ../shared/data/news (see tests/fixtures/README.md).

real.jsonl   60 White House documents (every one with '…', then the first others by id; public domain),
             100 Wikinews articles (CC BY 2.5) and 100 Portal:Current events items (CC BY-SA 4.0),
             each text trimmed to at most 20 KB at a paragraph (else character) boundary.
stress.jsonl documents that stress the text layer, built from White House sentences (public domain):
             typographic quotes, ellipses, emoji, RTL and CJK names, tables, a 200 KB line, very short
             texts, an empty title, CRLF, no-break and wide spaces, zero-width joiners, combining marks.
Deterministic: the same input gives the same files.
"""
import json
import os
import re
import sys

SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../shared/data/news")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tests/fixtures/robustness")
LIMIT = 20 * 1024


def load(name):
    with open(os.path.join(SHARED, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def trim(text, keep=None):
    """At most LIMIT bytes of text, cut at a paragraph break (else a character boundary); if `keep`
    occurs in the text, the window starts at the paragraph holding its first occurrence."""
    raw = text.encode("utf-8")
    if len(raw) <= LIMIT:
        return text
    start = 0
    if keep and keep in text:
        at = text.index(keep)
        para = text.rfind("\n\n", 0, at)
        start = 0 if para < 0 else para + 2
    window = text[start:]
    cut = window.encode("utf-8")[:LIMIT].decode("utf-8", errors="ignore")
    para = cut.rfind("\n\n")
    if para > LIMIT // 2:
        cut = cut[:para]
    return cut.rstrip()


def spread(rows, n):
    step = len(rows) / n
    return [rows[int(i * step)] for i in range(n)]


def main():
    wh = sorted(load("whitehouse_2024_2026_sample.jsonl"), key=lambda r: r["id"])
    ellipsis = [r for r in wh if "…" in r["text"]]
    others = [r for r in wh if "…" not in r["text"]][: 60 - len(ellipsis)]
    real = []
    for r in sorted(ellipsis + others, key=lambda r: r["id"]):
        real.append({"id": r["id"], "published": r["published"], "title": r.get("title") or "",
                     "source": "The White House", "url": r.get("url"), "text": trim(r["text"], "…")})
    wn = sorted(load("wikinews_2019_2020.jsonl"), key=lambda r: r["id"])
    for r in spread(wn, 100):
        real.append({"id": r["id"], "published": r["published"], "title": r.get("title") or "",
                     "source": "Wikinews", "url": r.get("url"), "text": trim(r["text"])})
    ce = load("current_events_2025.jsonl")
    for r in spread(ce, 100):
        src = (r.get("sources") or [{}])[0]
        real.append({"id": r["id"], "published": r["published"], "title": (r.get("topics") or [""])[0],
                     "source": src.get("name"), "url": src.get("url"), "text": r["text"]})
    assert all("…" in r["text"] for r in real if r["id"] in {e["id"] for e in ellipsis}), "a '…' was trimmed away"

    # Real sentences for the stress documents: White House prose (public domain).
    sentences = []
    for r in wh:
        for s in re.split(r"(?<=[.!?])\s+", r["text"].replace("\n", " ")):
            if 60 <= len(s) <= 300 and s[0].isupper():
                sentences.append(s)
    sentences = sentences[:4000]
    s = lambda i: sentences[i % len(sentences)]
    stress = []

    def doc(name, text, title="Robustness: " ):
        stress.append({"id": "stress-" + name, "published": "2025-03-14",
                       "title": title + name if title else "", "text": text})

    doc("quotes", f"“{s(0)}” the President said. ‘{s(1)}’ „{s(2)}“ «{s(3)}» ‹{s(4)}› "
                  f"He called it the ‘best deal ever’ — and ‘historic’–‘final’. «Enough», said Ukraine’s president.")
    doc("ellipses", f"{s(5)[:40]}… {s(6)} …{s(7)} Russia attacked… Ukraine… … … {s(8)}... and then……. " * 3
                    + "Iran threatened Israel…")
    doc("emoji", f"🇺🇸 {s(9)} 🔥🔥 Israel 🤝 Egypt agreed to talks 👍🏽. {s(10)} 👨‍👩‍👧‍👦 Family reunions. "
                 f"The UN condemned the attack 😡 on Kyiv 🇺🇦. 💥 Missiles struck Kharkiv.")
    doc("rtl-names", f"Palestinian President Mahmoud Abbas (محمود عباس) met Israeli Prime Minister Benjamin "
                     f"Netanyahu (בנימין נתניהו) in Cairo (القاهرة). {s(11)} Iran's foreign minister Abbas "
                     f"Araghchi (عباس عراقچی) condemned the strike on Tehran. ‏{s(12)}‏ ‫Hamas rejected the offer.‬")
    doc("cjk-names", f"Chinese President Xi Jinping (习近平) met Japanese Prime Minister Shigeru Ishiba (石破茂) "
                     f"in Beijing (北京). South Korea's president Lee Jae-myung (이재명) criticised North Korea "
                     f"(朝鮮民主主義人民共和国). {s(13)} 台湾 Taiwan rejected China's demands。{s(14)}")
    doc("table", "Country | Aid (USD) | Status\n---|---|---\nUkraine | 1,000,000 | sent\nIsrael | 500 | pending\n\n"
                 "Name\tRole\tCountry\nJoe Biden\tPresident\tUSA\nVladimir Putin\tPresident\tRussia\n\n"
                 + s(15) + "\n| Russia | attacked | Ukraine |\n|||\n\t\t\t\n" + s(16))
    long_line = " ".join(s(20 + i) for i in range(2000))
    long_line = long_line.encode("utf-8")[: 200 * 1024].decode("utf-8", errors="ignore")
    doc("long-line", long_line)
    doc("short-1", "Russia attacked.")
    doc("short-2", "…")
    doc("short-3", "Ukraine")
    doc("short-4", "A.")
    doc("short-5", "“”")
    doc("empty-title", f"{s(30)} {s(31)}", title="")
    doc("crlf", f"{s(32)}\r\n{s(33)}\r\n\r\nRussia attacked Ukraine on Monday.\r\n\r\n{s(34)}\r\n")
    doc("spaces", f"{s(35)}\u00a0Israel\u00a0struck\u00a0Gaza.\u2003{s(36)}\u3000China\u2009warned\u202fJapan."
                  f"\u2028{s(37)}\u2029The\u00a0U.N.\u00a0condemned\u00a0it.")
    doc("zero-width", f"{s(38)} Is\u200brael at\u200dtacked Gaza.\u200c {s(39)} \ufeffRussia\u2060 condemned "
                      f"NATO.\u200b\u200b\u200b {s(40)}")
    doc("combining", f"{s(41)} Pre\u0301sident Macro\u0301n of Fra\u0300nce met Erdog\u0306an. "
                     f"Z̷̢a̶l̸g̵o̴ ̷t̶e̷x̸t̵ attacked. {s(42)} Cafe\u0301 owners in Tu\u0308rkiye protested.")
    doc("mixed", "\n".join([s(43), "", "• " + s(44), "– " + s(45), "1) " + s(46), "", "§ 2(a)(iii) — " + s(47),
                            "https://www.whitehouse.gov/briefing-room/?a=1&b=2 " + s(48), "", "* * *", "", s(49)]))
    os.makedirs(OUT, exist_ok=True)
    for name, rows in (("real.jsonl", real), ("stress.jsonl", stress)):
        with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="\n") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(len(real), "real,", len(stress), "stress documents;",
          sum(os.path.getsize(os.path.join(OUT, n)) for n in ("real.jsonl", "stress.jsonl")), "bytes")


if __name__ == "__main__":
    main()
