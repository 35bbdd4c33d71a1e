#!/usr/bin/env bash
# Full-text search benchmark (issue 15): kanko's catalog search against Pagefind over the
# text-mode HTML, on the generated corpus (benches/make_corpus.py) and the fixed Japanese
# queries in benches/search/queries.json. Not a test: it only measures and reports.
#
#   cargo build --release && bash benches/search.sh
#
# 1. python3 benches/make_corpus.py target/bench/search/reports --reports ${BENCH_REPORTS:-20}
# 2. kanko build --formats pdf,reader into target/bench/search/dist
# 3. pagefind (npm, installed into benches/search/node_modules only if missing) over
#    dist/*/reader/text.html into dist/pagefind/
# 4. node benches/search/run.mjs: every query in a fresh headless Chromium context, for both
#    engines: index bytes on disk, bytes the query transfers (index files + the first screen of
#    results: 12 pages for kanko, 10 results for Pagefind), and recall against pdftotext of each
#    PDF page (NFKC, spaces removed, lower case, katakana → hiragana).
# Writes target/bench/search/results.md and results.json.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/target/bench/search
KANKO=${KANKO:-$ROOT/target/release/kanko}
N=${BENCH_REPORTS:-20}
[[ -x $KANKO ]] || { echo "no $KANKO: run 'cargo build --release' first" >&2; exit 2; }
mkdir -p "$OUT"
python3 "$ROOT/benches/make_corpus.py" "$OUT/reports" --reports "$N" >&2
rm -rf "$OUT/dist"
/usr/bin/time -f '%e s %M KB' -o "$OUT/kanko-time.txt" "$KANKO" build --reports "$OUT/reports" --out "$OUT/dist" --formats pdf,reader -q
if [[ ! -x $ROOT/benches/search/node_modules/.bin/pagefind ]]; then
  (cd "$ROOT/benches/search" && npm install --no-audit --no-fund >&2)
fi
if [[ ! -d $ROOT/tests/browser/node_modules/playwright-core ]]; then
  (cd "$ROOT/tests/browser" && npm ci --no-audit --no-fund >&2)
fi
/usr/bin/time -f '%e s %M KB' -o "$OUT/pagefind-time.txt" \
  "$ROOT/benches/search/node_modules/.bin/pagefind" --site "$OUT/dist" --glob '*/reader/text.html' --output-subdir pagefind >"$OUT/pagefind.log" 2>&1
KANKO_BENCH_DIST=$OUT/dist node "$ROOT/benches/search/run.mjs" | tee "$OUT/results.md"
