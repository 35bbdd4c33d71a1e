#!/usr/bin/env python3
"""Summarise bench.sh's raw samples: medians, the Markdown table, results.md and results.json.

Usage: summarize.py RAW.tsv OUT_DIR key=value...   (called by benches/bench.sh)
"""
import json
import statistics
import sys
from pathlib import Path

raw, out = Path(sys.argv[1]), Path(sys.argv[2])
meta = dict(a.split("=", 1) for a in sys.argv[3:])
samples = {}
for line in raw.read_text().splitlines()[1:]:
    name, _run, wall, rss = line.split("\t")
    samples.setdefault(name, []).append((float(wall), int(rss)))


def med(name):
    return statistics.median(w for w, _ in samples[name])


def rss_mb(name):
    return max(r for _, r in samples[name]) / 1024


pages = int(meta["kanko_pages"])
ref_pages = int(meta["ref_pages"])
j = meta["jobs"]
full = med("all-j2")
ref_pe, ref_p = med("ref-pdf-epub"), med("ref-pdf")
speedup = med("all-j1") / full
ratio_pe = med("pdf-epub") / ref_pe
ratio_all = full / ref_pe

res = {
    "meta": meta,
    "medians_s": {k: med(k) for k in samples},
    "samples": {k: [{"wall_s": w, "maxrss_kb": r} for w, r in v] for k, v in samples.items()},
    "peak_rss_mb": {k: round(rss_mb(k), 1) for k in samples},
    "pages_per_s": {"all-j1": pages / med("all-j1"), "all-j2": pages / full,
                    "ref-pdf-epub": ref_pages / ref_pe, "ref-pdf": ref_pages / ref_p},
    "speedup_jobs": speedup,
    "nochange_pct_of_full": 100 * med("nochange") / full,
    "one_chapter_pct_of_full": 100 * med("one-chapter") / full,
    "ratio_pdf_epub_vs_reference": ratio_pe,
    "ratio_all_outputs_vs_reference": ratio_all,
    "goals": {"speedup_jobs>=1.6": speedup >= 1.6, "peak_rss<400MB": rss_mb("all-j2") < 400,
              "nochange<=5%": med("nochange") <= 0.05 * full, "pdf_epub<=0.35x": ratio_pe <= 0.35,
              "all_outputs<=0.6x": ratio_all <= 0.6},
}


def ok(b):
    return "✅" if b else "❌"


g = res["goals"]
rows = [
    ("kanko, all formats, `--jobs 1`", med("all-j1"), pages / med("all-j1"), rss_mb("all-j1"), ""),
    (f"kanko, all formats, `--jobs {j}`", full, pages / full, rss_mb("all-j2"),
     f"speed-up ×{speedup:.2f} vs `--jobs 1` (goal ≥ 1.6 {ok(g['speedup_jobs>=1.6'])}); "
     f"peak RSS goal < 400 MB {ok(g['peak_rss<400MB'])}"),
    (f"kanko `--formats pdf`", med("pdf"), pages / med("pdf"), rss_mb("pdf"), ""),
    (f"kanko `--formats epub`", med("epub"), None, rss_mb("epub"), ""),
    (f"kanko `--formats pdf,epub`", med("pdf-epub"), pages / med("pdf-epub"), rss_mb("pdf-epub"),
     f"**×{ratio_pe:.2f}** of the reference's PDF+EPUB (goal ≤ 0.35 {ok(g['pdf_epub<=0.35x'])})"),
    (f"kanko `--formats reader`", med("reader"), pages / med("reader"), rss_mb("reader"), ""),
    ("kanko, no-change rebuild", med("nochange"), None, rss_mb("nochange"),
     f"{res['nochange_pct_of_full']:.1f}% of a full build (goal ≤ 5% {ok(g['nochange<=5%'])}); "
     f"`{meta.get('nochange_summary', '')}`"),
    ("kanko, one chapter edited", med("one-chapter"), None, rss_mb("one-chapter"),
     f"{res['one_chapter_pct_of_full']:.1f}% of a full build; `{meta.get('edit_summary', '')}`"),
    ("kanko `--force`", med("force"), pages / med("force"), rss_mb("force"), ""),
    (f"reference PDF only (pandoc → typst, {j} at a time)", ref_p, ref_pages / ref_p, rss_mb("ref-pdf"),
     "max RSS of one process"),
    (f"reference PDF + EPUB (pandoc → typst; pandoc → epub3)", ref_pe, ref_pages / ref_pe, rss_mb("ref-pdf-epub"),
     f"kanko all four outputs: **×{ratio_all:.2f}** of this (goal ≤ 0.6 {ok(g['all_outputs<=0.6x'])})"),
]
lines = [
    f"Corpus: {meta['reports']} generated reports (benches/make_corpus.py), {pages} A4 pages with kanko "
    f"({pages / int(meta['reports']):.1f} per report; {ref_pages} pages through the reference's default template). "
    f"{meta['cores']} cores, `--jobs {j}` unless said, median of {meta['runs']} runs, peak RSS = max over runs. "
    f"{meta['kanko_version']}; {meta['pandoc']}; typst (PyPI) {meta['typst_py']}.",
    "",
    "| configuration | time (s) | pages/s | peak RSS (MB) | notes |",
    "|---|--:|--:|--:|---|",
]
for name, t, pps, rss, note in rows:
    lines.append(f"| {name} | {t:.2f} | {'' if pps is None else f'{pps:.1f}'} | {rss:.0f} | {note} |")
table = "\n".join(lines) + "\n"
print(table)
(out / "results.md").write_text(table, encoding="utf-8")
(out / "results.json").write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print(f"written: {out / 'results.md'}, {out / 'results.json'}", file=sys.stderr)
