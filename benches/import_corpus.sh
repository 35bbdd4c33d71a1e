#!/usr/bin/env bash
# `kanko import` over a larger set of real-world .docx files (issue 17). Not a test: it reports.
#
#   cargo build --release && bash benches/import_corpus.sh [DIR_OR_FILE...]
#
# With no arguments it uses tests/data/docx/ and, when FETCH=1, shallow clones of the test data of
# open-source converters into target/import-corpus/ (mammoth.js BSD-2-Clause, python-docx MIT,
# docx4j Apache-2.0, dolanmiu/docx MIT; their files stay there, nothing is vendored).
# For every .docx it runs `kanko import`, then one `kanko build --formats pdf` over all imported
# reports, and prints one line per file: exit status, time, chapters/figures/tables/notes, and
# whether every character of the document's w:t text is in the Markdown (+ report.toml) and in
# the PDF. Expected losses: a table-of-contents heading (kanko makes its own), control characters,
# glyphs kanko's fonts lack (PDF only), Fallback-only text of mc:AlternateContent.
# A panic (exit 101) or a lost character is what to look at. Results: target/import-corpus/results.tsv
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/target/import-corpus
KANKO=${KANKO:-$ROOT/target/release/kanko}
[[ -x $KANKO ]] || { echo "no $KANKO: run 'cargo build --release' first" >&2; exit 2; }
mkdir -p "$OUT"

inputs=("$@")
if [[ ${#inputs[@]} -eq 0 ]]; then
  inputs=("$ROOT/tests/data/docx")
  if [[ ${FETCH:-0} == 1 ]]; then
    for repo in mwilliamson/mammoth.js python-openxml/python-docx plutext/docx4j dolanmiu/docx; do
      dir=$OUT/src/${repo//\//+}
      [[ -d $dir ]] || git clone -q --depth 1 "https://github.com/$repo" "$dir"
      inputs+=("$dir")
    done
  fi
fi

mapfile -t files < <(for i in "${inputs[@]}"; do
  if [[ -d $i ]]; then find "$i" -iname '*.docx' -type f; else echo "$i"; fi
done | sort)
echo "files: ${#files[@]}" >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A slug_of
n=0
for f in "${files[@]}"; do
  n=$((n + 1))
  slug=$(printf 'c%04d' "$n")
  start=$(date +%s%N)
  set +e
  LANG=C.UTF-8 "$KANKO" import "$f" --reports "$work/reports" --slug "$slug" > "$work/log" 2>&1
  code=$?
  set -e
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  summary=$(sed -n 2p "$work/log" | sed 's/^ *//')
  [[ $code -ne 0 ]] && summary=$(head -1 "$work/log" | cut -c1-160)
  slug_of[$f]=$slug
  printf '%s\t%s\t%s\t%s\n' "$f" "$code" "$ms" "$summary" >> "$work/rows"
done

LANG=C.UTF-8 "$KANKO" build --reports "$work/reports" --out "$work/dist" --formats pdf -q > "$work/build.log" 2>&1 || true

# Every character of the document's text (w:t outside deletions) in the Markdown and in the PDF.
python3 - "$work" "$OUT/results.tsv" "${#files[@]}" <<'PY'
import os, re, subprocess, sys, zipfile, html
work, out, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [l.rstrip('\n').split('\t') for l in open(os.path.join(work, 'rows'))]
def shown(path):
    try:
        with zipfile.ZipFile(path) as z:
            name = next((n for n in z.namelist() if n.lower() == 'word/document.xml'), None)
            xml = z.read(name).decode('utf-8', 'replace') if name else ''
    except Exception:
        return set()
    xml = re.sub(r'<w:del\b.*?</w:del>', '', xml, flags=re.S)
    return set(''.join(html.unescape(t) for t in re.findall(r'<w:t(?:\s[^>]*)?>([^<]*)</w:t>', xml))) - set(' \t\r\n\u00a0\u200b')
lines, panics, lost_md, lost_pdf, refused = [], 0, 0, 0, 0
for i, (f, code, ms, summary) in enumerate(rows, 1):
    slug = 'c%04d' % i
    md_state = pdf_state = '-'
    if code == '101':
        panics += 1
    elif code != '0':
        refused += 1
    else:
        chars = shown(f)
        rdir = os.path.join(work, 'reports', slug)
        # The title and the credit sentence move to report.toml; kanko prints them from there.
        md = ''.join(open(os.path.join(rdir, n), encoding='utf-8').read() for n in os.listdir(rdir) if n.endswith('.md') or n == 'report.toml')
        miss = ''.join(sorted(c for c in chars if c not in md))
        md_state = 'ok' if not miss else 'lost:' + miss[:20]
        lost_md += bool(miss)
        pdf = os.path.join(work, 'dist', slug, slug + '.pdf')
        if os.path.exists(pdf):
            text = subprocess.run(['pdftotext', pdf, '-'], capture_output=True, text=True).stdout
            miss = ''.join(sorted(c for c in chars if c not in text))
            pdf_state = 'ok' if not miss else 'lost:' + miss[:20]
            lost_pdf += bool(miss)
        else:
            pdf_state = 'not built'
            lost_pdf += 1
    lines.append('\t'.join([f, code, ms, summary, md_state, pdf_state]))
with open(out, 'w') as o:
    o.write('file\texit\tms\tsummary\tmd_text\tpdf_text\n')
    o.write('\n'.join(lines) + '\n')
for l in lines:
    print(l)
print(f'\n{total} files: {panics} panics, {refused} refused (clear error), {lost_md} lost text in Markdown, {lost_pdf} lost text in PDF or not built')
PY
