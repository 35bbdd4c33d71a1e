#!/usr/bin/env bash
# The reference toolchain a user would otherwise pick, for ONE report (bench.sh runs it 2 at a time
# with xargs -P 2, one process per report, as a Makefile would):
#
#   pandoc 3 (PyPI pypandoc-binary): the report's chapters, in name order, concatenated,
#       --metadata title=<report.toml title>  ->  Typst markup (-t typst -s, A4, BIZ UDPMincho, lang ja)
#   typst (PyPI typst): compile that markup to PDF with kanko's fonts only
#       (font_paths=[<repo>/fonts], ignore_system_fonts=True)
#   pandoc again (mode pdf+epub only): the same chapters -> EPUB 3 (-t epub3)
#
# Usage: reference.sh pdf|pdf+epub SLUG
# Env:   CORPUS  folder of report folders         (bench.sh: target/bench/reports)
#        REFOUT  output folder; REFOUT/SLUG/images must already hold a copy of the report's images,
#                because Typst resolves image paths relative to the .typ file
#        PANDOC  pandoc executable; PY  a python that can `import typst`; FONTS  font folder
set -euo pipefail
mode=$1 slug=$2
src=$CORPUS/$slug
dst=$REFOUT/$slug
title=$(sed -n 's/^title *= *"\(.*\)"$/\1/p' "$src/report.toml" | head -n 1)
mkdir -p "$dst"
cd "$src"
chapters=(*.md)
"$PANDOC" -f markdown -t typst -s --metadata title="$title" --metadata lang=ja \
  -V papersize=a4 -V mainfont="BIZ UDPMincho" -o "$dst/$slug.typ" "${chapters[@]}"
"$PY" -c 'import sys, typst
typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], ignore_system_fonts=True)' \
  "$dst/$slug.typ" "$dst/$slug.pdf" "$FONTS"
if [[ $mode == pdf+epub ]]; then
  "$PANDOC" -f markdown -t epub3 --metadata title="$title" --metadata lang=ja \
    -o "$dst/$slug.epub" "${chapters[@]}"
fi
