#!/usr/bin/env bash
# Scale benchmark (issue 15): time and peak memory of a first build and of a no-change rebuild
# with N generated tiny reports (one short chapter each, PDF only), and of the catalog writers
# alone at 10,000 generated entries (the unit test `ten_thousand_reports…`, no typesetting).
# REALISTIC="200 …" adds realistic reports (benches/make_corpus.py: ~22 A4 pages, tables, footnotes,
# ruby, figures; all formats). Not a test: it only measures and prints.
#
#   cargo build --release && SIZES="200 2000" REALISTIC=200 bash benches/scale.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/target/bench/scale
KANKO=${KANKO:-$ROOT/target/release/kanko}
SIZES=${SIZES:-200}
[[ -x $KANKO ]] || { echo "no $KANKO: run 'cargo build --release' first" >&2; exit 2; }
mkdir -p "$OUT"
measure() { /usr/bin/time -f '%e %M' -o "$OUT/t" "$@" >/dev/null 2>&1; cat "$OUT/t"; }
# row N DIST ARGS…: a first build and a no-change rebuild into DIST, as one table row
row() {
  local n=$1 dist=$2; shift 2
  rm -rf "$dist"
  read -r t1 m1 < <(measure "$KANKO" build --out "$dist" -q "$@")
  read -r t2 m2 < <(measure "$KANKO" build --out "$dist" -q "$@")
  awk -v n="$n" -v t1="$t1" -v m1="$m1" -v t2="$t2" -v m2="$m2" 'BEGIN { printf "| %d | %.1f | %.0f | %.3f | %.2f | %.0f |\n", n, t1, m1/1024, t1/n, t2, m2/1024 }'
}
printf '| reports | first build (s) | peak RSS (MB) | s per report | no-change rebuild (s) | its peak RSS (MB) |\n|---|---|---|---|---|---|\n'
for n in $SIZES; do
  src=$OUT/reports-$n
  if [[ ! -d $src ]]; then
    mkdir -p "$src"
    for i in $(seq -w 1 "$n"); do
      d=$src/r$i
      mkdir -p "$d"
      y=$((2019 + 10#$i % 7))
      printf 'title = "地域の居場所づくり 第%s号"\nproject = "居場所づくり事業"\nfiscal_year = %s\npublisher = "NPO法人 テスト"\npublished = %s-03-28\n\n[[funders]]\nname = "テスト財団"\nprogram = "地域福祉助成"\n' "$i" "$y" "$((y + 1))" >"$d/report.toml"
      printf '# はじめに\n\n報告書%s号です。{居場所|いばしょ}を商店街の空き店舗に開きました。参加者は%s人でした。\n' "$i" "$((10#$i % 97))" >"$d/01.md"
    done
  fi
  row "$n" "$OUT/dist-$n" --reports "$src" --formats pdf
done

REALISTIC=${REALISTIC:-}
if [[ -n $REALISTIC ]]; then
  printf '\n| realistic reports (all formats) | first build (s) | peak RSS (MB) | s per report | no-change rebuild (s) | its peak RSS (MB) |\n|---|---|---|---|---|---|\n'
fi
for n in $REALISTIC; do
  src=$OUT/realistic-$n
  [[ -d $src ]] || python3 "$ROOT/benches/make_corpus.py" "$src" --reports "$n" >/dev/null
  row "$n" "$OUT/rdist-$n" --reports "$src"
done
