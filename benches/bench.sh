#!/usr/bin/env bash
# kanko benchmark (issue 7, "Benchmark"). Not a test: it only measures and reports.
#
#   cargo build --release && bash benches/bench.sh
#
# What it does (about 6–10 minutes on 2 cores):
#   1. python3 benches/make_corpus.py  -> target/bench/reports/: 20 generated Japanese reports of
#      ~22 A4 pages each (deterministic; see that script).
#   2. kanko (a copy of target/release/kanko, so a concurrent `cargo build` cannot swap it mid-run),
#      each configuration RUNS times (default 3), median reported, wall time and peak RSS from
#      /usr/bin/time:
#        all formats --jobs 1 | all formats --jobs 2 | --formats pdf | epub | pdf,epub | reader
#        (each run into a fresh output folder), then in one built folder: a no-change rebuild,
#        a rebuild after editing one chapter of one report (a different edit each run; the chapter
#        is restored afterwards) and --force.
#   3. the reference a user would otherwise pick (benches/reference.sh): pandoc 3 -> Typst markup ->
#      PyPI typst -> PDF, plus pandoc -> EPUB 3; one process per report, 2 at a time (xargs -P 2);
#      PDF-only and PDF+EPUB, RUNS times each.
#   4. prints a Markdown table and writes target/bench/results.md and target/bench/results.json
#      (raw samples: target/bench/raw.tsv; kanko's logs: target/bench/logs/).
#
# Needs: bash, python3 (with venv), and a release build. Installs only what is missing:
#   Debian `time` and `poppler-utils` (pdfinfo) with apt-get, and PyPI pypandoc-binary + typst into a
#   private venv target/bench-venv (or $BENCH_VENV).
# Env:  RUNS=3  JOBS_MAX=2  KANKO=target/release/kanko  BENCH_VENV=target/bench-venv
#       BENCH_REPORTS=20 (fewer for a quick smoke run)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/target/bench
RUNS=${RUNS:-3}
JOBS_MAX=${JOBS_MAX:-2}
N_REPORTS=${BENCH_REPORTS:-20}
KANKO_SRC=${KANKO:-$ROOT/target/release/kanko}
VENV=${BENCH_VENV:-$ROOT/target/bench-venv}
say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
[[ -x $KANKO_SRC ]] || { echo "no $KANKO_SRC: run 'cargo build --release' first" >&2; exit 2; }
apt_install() {
  local sudo=; [[ $(id -u) == 0 ]] || sudo=sudo
  $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}
[[ -x /usr/bin/time ]] || { say "installing Debian 'time'"; apt_install time; }
command -v pdfinfo >/dev/null || { say "installing poppler-utils (pdfinfo)"; apt_install poppler-utils; }
if ! "$VENV/bin/python" -c 'import pypandoc, typst' 2>/dev/null; then
  say "installing pypandoc-binary and typst into $VENV"
  python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; rm -rf "$VENV"; python3 -m venv "$VENV"; }
  "$VENV/bin/pip" install -q pypandoc-binary typst
fi
PY=$VENV/bin/python
PANDOC=$("$PY" -c 'import pypandoc; print(pypandoc.get_pandoc_path())')

# ---------------------------------------------------------------- corpus and setup
rm -rf "$BENCH/out" "$BENCH/ref" "$BENCH/logs" "$BENCH/raw.tsv"
mkdir -p "$BENCH/out" "$BENCH/ref" "$BENCH/logs"
say "generating the corpus"
python3 "$ROOT/benches/make_corpus.py" "$BENCH/reports" --reports "$N_REPORTS" >&2
CORPUS=$BENCH/reports
KANKO=$BENCH/kanko
cp "$KANKO_SRC" "$KANKO"
mapfile -t SLUGS < <(cd "$CORPUS" && ls -d */ | tr -d /)
EDIT_SLUG=${SLUGS[0]}
EDIT_FILE=$CORPUS/$EDIT_SLUG/03-katsudou.md
cp "$EDIT_FILE" "$BENCH/edit.orig"
trap 'cp "$BENCH/edit.orig" "$EDIT_FILE" 2>/dev/null || true' EXIT
RAW=$BENCH/raw.tsv
printf 'config\trun\twall_s\tmaxrss_kb\n' >"$RAW"

# timed NAME RUN cmd...: one measured run; stdout+stderr of the command go to logs/NAME-RUN.log
timed() {
  local name=$1 run=$2; shift 2
  local tf=$BENCH/logs/$name-$run.time
  if ! /usr/bin/time -f '%e %M' -o "$tf" "$@" >"$BENCH/logs/$name-$run.log" 2>&1; then
    echo "FAILED: $name run $run: $* (see $BENCH/logs/$name-$run.log)" >&2; tail -5 "$BENCH/logs/$name-$run.log" >&2; exit 1
  fi
  read -r wall rss <"$tf"
  printf '%s\t%s\t%s\t%s\n' "$name" "$run" "$wall" "$rss" >>"$RAW"
  awk -v n="$name" -v r="$run" -v w="$wall" -v m="$rss" 'BEGIN { printf "   %-14s run %s: %6.2f s  %7.1f MB\n", n, r, w, m / 1024 }' >&2
}
kanko() { "$KANKO" build --reports "$CORPUS" "$@"; }

say "warm-up (not timed)"
kanko --out "$BENCH/out/warmup" --only "$EDIT_SLUG" --jobs 1 >"$BENCH/logs/warmup.log" 2>&1

# ---------------------------------------------------------------- kanko, fresh output folders
fresh() {  # fresh NAME kanko-args...
  local name=$1; shift
  say "kanko $name: build $*"
  for r in $(seq 1 "$RUNS"); do
    rm -rf "$BENCH/out/$name"
    timed "$name" "$r" "$KANKO" build --reports "$CORPUS" --out "$BENCH/out/$name" "$@"
  done
}
fresh all-j1   --jobs 1
fresh all-j2   --jobs "$JOBS_MAX"
fresh pdf      --jobs "$JOBS_MAX" --formats pdf
fresh epub     --jobs "$JOBS_MAX" --formats epub
fresh pdf-epub --jobs "$JOBS_MAX" --formats pdf,epub
fresh reader   --jobs "$JOBS_MAX" --formats reader

# ---------------------------------------------------------------- kanko, incremental (folder of the last all-j2 run)
INC=$BENCH/out/all-j2
say "kanko no-change rebuild"
for r in $(seq 1 "$RUNS"); do timed nochange "$r" "$KANKO" build --reports "$CORPUS" --out "$INC" --jobs "$JOBS_MAX"; done
say "kanko rebuild after editing $EDIT_SLUG/03-katsudou.md"
for r in $(seq 1 "$RUNS"); do
  cp "$BENCH/edit.orig" "$EDIT_FILE"
  printf '\n追記（第%s版）：報告書の公開後に寄せられた意見を受けて、この節の記述を補いました。\n' "$r" >>"$EDIT_FILE"
  timed one-chapter "$r" "$KANKO" build --reports "$CORPUS" --out "$INC" --jobs "$JOBS_MAX"
done
cp "$BENCH/edit.orig" "$EDIT_FILE"
say "kanko --force"
for r in $(seq 1 "$RUNS"); do timed force "$r" "$KANKO" build --reports "$CORPUS" --out "$INC" --jobs "$JOBS_MAX" --force; done

# ---------------------------------------------------------------- reference: pandoc + typst (+ pandoc epub)
export CORPUS PANDOC PY FONTS="$ROOT/fonts"
reference() {  # reference NAME MODE
  local name=$1 mode=$2
  say "reference $name: pandoc -> typst ($mode), xargs -P $JOBS_MAX"
  for r in $(seq 1 "$RUNS"); do
    export REFOUT=$BENCH/ref/$name
    rm -rf "$REFOUT"
    for s in "${SLUGS[@]}"; do mkdir -p "$REFOUT/$s" && cp -r "$CORPUS/$s/images" "$REFOUT/$s/"; done
    timed "$name" "$r" bash -c 'printf "%s\n" "$@" | xargs -P "$JOBS" -n 1 bash "$SCRIPT" "$MODE"' _ "${SLUGS[@]}"
  done
}
export JOBS=$JOBS_MAX SCRIPT=$ROOT/benches/reference.sh
MODE=pdf reference ref-pdf pdf
MODE=pdf+epub reference ref-pdf-epub pdf+epub

# ---------------------------------------------------------------- pages and summary
pages() { local n=0 p; for f in "$1"/*/*.pdf; do p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/{print $2}'); n=$((n + p)); done; echo "$n"; }
KANKO_PAGES=$(pages "$BENCH/out/all-j2")
REF_PAGES=$(pages "$BENCH/ref/ref-pdf-epub")
python3 "$ROOT/benches/summarize.py" "$RAW" "$BENCH" \
  reports="${#SLUGS[@]}" kanko_pages="$KANKO_PAGES" ref_pages="$REF_PAGES" jobs="$JOBS_MAX" runs="$RUNS" \
  cores="$(nproc)" kanko_version="$("$KANKO" --version)" pandoc="$("$PANDOC" --version | head -n 1)" \
  typst_py="$("$PY" -c 'import typst; print(typst.__version__)' 2>/dev/null || echo '?')" \
  edit_summary="$(grep -h '^done:' "$BENCH/logs/one-chapter-$RUNS.log" | tail -n 1)" \
  nochange_summary="$(grep -h '^done:' "$BENCH/logs/nochange-$RUNS.log" | tail -n 1)"
