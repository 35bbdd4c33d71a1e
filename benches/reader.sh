#!/usr/bin/env bash
# Reader benchmark (issue 12, vector pages). Not a test: it only measures and reports.
#
#   cargo build --release && bash benches/reader.sh
#
# On the corpus of benches/make_corpus.py (20 reports) plus the sample reports, --jobs 2:
#   - build time and peak RSS: all formats vs --formats pdf,epub (RUNS runs each, median);
#   - bytes: reader/ vs PDF per report and summed; fonts, page data, thumbnails per page;
#   - phone first view bytes and page-turn time under Chromium's 4× CPU throttling
#     (benches/reader_turn.mjs, needs tests/browser/node_modules: `cd tests/browser && npm ci`).
# Writes target/bench/reader.md.  Env: RUNS=3 JOBS=2 KANKO=target/release/kanko
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=$ROOT/target/bench/reader
RUNS=${RUNS:-3}
JOBS=${JOBS:-2}
KANKO_SRC=${KANKO:-$ROOT/target/release/kanko}
[[ -x $KANKO_SRC ]] || { echo "no $KANKO_SRC: run 'cargo build --release' first" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { apt-get update -qq >/dev/null; apt-get install -y -qq time >/dev/null; }
rm -rf "$B"; mkdir -p "$B/corpus"
python3 "$ROOT/benches/make_corpus.py" "$B/corpus" --reports 20 >&2
cp -r "$ROOT"/reports/20* "$B/corpus/"
KANKO=$B/kanko; cp "$KANKO_SRC" "$KANKO"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() {  # run NAME args…  → "wall rss_kb" medians
  local name=$1; shift; local walls=() rss=()
  for r in $(seq 1 "$RUNS"); do
    rm -rf "$B/out-$name"
    /usr/bin/time -f '%e %M' -o "$B/time" "$KANKO" build --reports "$B/corpus" --out "$B/out-$name" --jobs "$JOBS" "$@" >"$B/$name.log" 2>&1
    read -r w m <"$B/time"; walls+=("$w"); rss+=("$m")
    echo "  $name run $r: ${w}s $((m / 1024)) MB" >&2
  done
  echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${rss[@]}" | median)"
}
"$KANKO" build --reports "$B/corpus" --out "$B/warm" --jobs "$JOBS" --only "$(ls "$B/corpus" | head -1)" >/dev/null 2>&1 || true
read -r t_all m_all < <(run all)
read -r t_pe m_pe < <(run pdf-epub --formats pdf,epub)
OUT=$B/out-all
bytes() { { find "$@" -type f -printf '%s\n' 2>/dev/null || true; } | awk '{s+=$1} END {print s+0}'; }
{
  echo "# Reader benchmark ($(date -u +%F), $(nproc) cores, --jobs $JOBS, median of $RUNS)"
  echo
  echo "| build | time (s) | peak RSS (MB) |"
  echo "|---|---|---|"
  echo "| all formats | $t_all | $((m_all / 1024)) |"
  echo "| --formats pdf,epub | $t_pe | $((m_pe / 1024)) |"
  echo "| ratio | $(awk -v a="$t_all" -v b="$t_pe" 'BEGIN{printf "%.2f", a/b}') | |"
  echo
  echo "| report | pages | PDF KB | reader KB | ratio | fonts KB | page data KB | thumbs KB | text layer, text mode, speech KB |"
  echo "|---|---|---|---|---|---|---|---|---|"
  tp=0; tr=0; tf=0; tg=0; tt=0; tn=0
  for d in "$OUT"/*/reader; do
    s=$(basename "$(dirname "$d")"); pdf=$(bytes "$(dirname "$d")/$s.pdf"); rd=$(bytes "$d")
    f=$(bytes "$d/fonts"); g=$(bytes "$d/pages"); t=$(bytes "$d/thumbs"); x=$(bytes "$d/text" "$d/text.html" "$d/speech-data.js")
    n=$(grep -o '"pageCount": [0-9]*' "$d/data.js" | grep -o '[0-9]*$')
    tp=$((tp + pdf)); tr=$((tr + rd)); tf=$((tf + f)); tg=$((tg + g)); tt=$((tt + t)); tn=$((tn + n))
    echo "| $s | $n | $((pdf / 1024)) | $((rd / 1024)) | $(awk -v a="$rd" -v b="$pdf" 'BEGIN{printf "%.2f", a/b}') | $((f / 1024)) | $((g / 1024)) | $((t / 1024)) | $((x / 1024)) |"
  done
  echo "| **all** | $tn | $((tp / 1024)) | $((tr / 1024)) | **$(awk -v a="$tr" -v b="$tp" 'BEGIN{printf "%.2f", a/b}')** | $((tf / 1024)) | $((tg / 1024)) | $((tt / 1024)) | |"
  echo
  echo "Per page: page data $((tg / tn)) B, fonts $((tf / tn)) B, thumbnail $((tt / tn)) B; dist/ $(( $(bytes "$OUT") / 1024 / 1024 )) MB."
  echo
  if [ -d "$ROOT/tests/browser/node_modules/playwright-core" ]; then
    node "$ROOT/benches/reader_turn.mjs" "$OUT"
  fi
} | tee "$B/../reader.md"
