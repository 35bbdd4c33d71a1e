// Runs the queries of queries.json against kanko's catalog search and Pagefind in headless
// Chromium (a fresh context per query: nothing cached) and prints a Markdown table.
// usage: KANKO_BENCH_DIST=target/bench/search/dist node benches/search/run.mjs
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(HERE, '../../tests/browser/package.json'));
const { chromium } = require('playwright-core');
const { serve } = await import(path.join(HERE, '../../tests/browser/serve.mjs'));
const DIST = path.resolve(process.env.KANKO_BENCH_DIST || 'target/bench/search/dist');
const QUERIES = JSON.parse(fs.readFileSync(path.join(HERE, 'queries.json'), 'utf8'));

// Ground truth: the PDF pages pdftotext reads, normalised like a reader would expect.
const fold = (s) => s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '')
  .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
const slugs = fs.readdirSync(DIST).filter((d) => fs.existsSync(path.join(DIST, d, `${d}.pdf`))).sort();
const pages = {}; // slug → [folded text of page 1, …]
for (const s of slugs) {
  const txt = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(DIST, s, `${s}.pdf`), '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  pages[s] = txt.split('\f').map(fold);
}
function truth(term) {
  const words = term.split(/[\s\u3000]+/).filter(Boolean).map(fold);
  const out = [];
  for (const s of slugs) pages[s].forEach((t, i) => { if (words.every((w) => t.includes(w))) out.push(`${s}#${i + 1}`); });
  return out;
}
function dirBytes(dir) {
  let n = 0, files = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) { n += fs.statSync(path.join(e.parentPath ?? e.path, e.name)).size; files++; }
  }
  return { n, files };
}

const server = await serve(DIST);
const browser = await chromium.launch({ executablePath: process.env.KANKO_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
fs.writeFileSync(path.join(DIST, 'pagefind-bench.html'), '<!doctype html><meta charset="utf-8"><title>pf</title><p>pagefind</p>');

async function measure(fn) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const counted = [];
  page.on('response', async (r) => { try { counted.push([r.url(), (await r.body()).length]); } catch { /* redirect */ } });
  const out = await fn(page, counted);
  await ctx.close();
  return out;
}

async function kanko(q) {
  return measure(async (page, counted) => {
    await page.goto(server.url + '/index.html', { waitUntil: 'networkidle' });
    const before = counted.length;
    await page.fill('#s-q', q);
    await page.press('#s-q', 'Enter');
    await page.waitForFunction(() => !document.getElementById('s-results').hasAttribute('aria-busy') && document.getElementById('s-status').textContent);
    await page.waitForLoadState('networkidle');
    const bytes = counted.slice(before).reduce((a, [, n]) => a + n, 0);
    const files = counted.length - before;
    // Recall counts every page found: show all results.
    while (await page.$('#s-more')) {
      await page.click('#s-more');
      await page.waitForFunction(() => !document.getElementById('s-results').hasAttribute('aria-busy'));
    }
    const found = await page.$$eval('.s-hit a.s-page', (as) => as.map((a) => {
      const m = /^([^/]+)\/reader\/index\.html#p=(\d+)/.exec(a.getAttribute('href'));
      return m ? `${m[1]}#${m[2]}` : a.getAttribute('href');
    }));
    return { bytes, files, found };
  });
}

async function pagefind(q) {
  return measure(async (page, counted) => {
    await page.goto(server.url + '/pagefind-bench.html', { waitUntil: 'networkidle' });
    const before = counted.length;
    const urls = await page.evaluate(async (q) => {
      const pf = await import('/pagefind/pagefind.js');
      await pf.init();
      const r = await pf.search(q);
      const first = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
      return { all: r.results.length, first: first.map((d) => d.url) };
    }, q);
    await page.waitForLoadState('networkidle');
    const bytes = counted.slice(before).reduce((a, [, n]) => a + n, 0);
    // Pagefind finds documents (a report's text.html), not PDF pages.
    const all = await page.evaluate(async (q) => {
      const pf = await import('/pagefind/pagefind.js');
      const r = await pf.search(q);
      return Promise.all(r.results.map(async (x) => (await x.data()).url));
    }, q);
    return { bytes, files: counted.length - before, found: all.map((u) => u.replace(/^\//, '').split('/')[0]), count: urls.all };
  });
}

const rows = [];
for (const item of QUERIES) {
  const t = truth(item.truth || item.q);
  const tReports = [...new Set(t.map((x) => x.split('#')[0]))];
  const k = await kanko(item.q);
  const p = await pagefind(item.q);
  const kPages = t.filter((x) => k.found.includes(x)).length;
  const kReports = tReports.filter((s) => k.found.some((x) => x.startsWith(s + '#'))).length;
  const pReports = tReports.filter((s) => p.found.includes(s)).length;
  rows.push({ q: item.q, note: item.note || '', truthPages: t.length, truthReports: tReports.length,
    kanko: { bytes: k.bytes, files: k.files, pagesFound: k.found.length, pageRecall: t.length ? kPages / t.length : 1, reportRecall: tReports.length ? kReports / tReports.length : 1, wrongPages: k.found.filter((x) => !t.includes(x)).length },
    pagefind: { bytes: p.bytes, files: p.files, reportsFound: p.found.length, reportRecall: tReports.length ? pReports / tReports.length : 1, wrongReports: p.found.filter((s) => !tReports.includes(s)).length } });
}
await browser.close();
await server.close();
fs.rmSync(path.join(DIST, 'pagefind-bench.html'));

const kIndex = dirBytes(path.join(DIST, 'search'));
let kFrag = { n: 0, files: 0 };
for (const s of slugs) { const d = dirBytes(path.join(DIST, s, 'search')); kFrag.n += d.n; kFrag.files += d.files; }
const pIndex = dirBytes(path.join(DIST, 'pagefind'));
const pct = (x) => `${Math.round(x * 100)}%`;
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const mean = (f) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
const median = (f) => { const v = rows.map(f).sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
let md = `# Full-text search: kanko vs Pagefind\n\n${slugs.length} reports, ${Object.values(pages).reduce((a, p) => a + p.length, 0)} PDF pages.\n\n`;
md += `| | kanko | Pagefind 1.5.2 |\n|---|---|---|\n`;
md += `| index on disk | ${kb(kIndex.n)} in ${kIndex.files} files (+ page texts ${kb(kFrag.n)} in ${kFrag.files} files) | ${kb(pIndex.n)} in ${pIndex.files} files |\n`;
md += `| bytes per query, median | ${kb(median((r) => r.kanko.bytes))} | ${kb(median((r) => r.pagefind.bytes))} |\n`;
md += `| bytes per query, mean | ${kb(mean((r) => r.kanko.bytes))} | ${kb(mean((r) => r.pagefind.bytes))} |\n`;
md += `| report recall, mean | ${pct(mean((r) => r.kanko.reportRecall))} | ${pct(mean((r) => r.pagefind.reportRecall))} |\n`;
md += `| page recall, mean | ${pct(mean((r) => r.kanko.pageRecall))} | (finds documents, not pages) |\n\n`;
md += `| query | pages / reports with it | kanko pages found (recall, wrong) | kanko report recall | kanko bytes | Pagefind reports found (recall, wrong) | Pagefind bytes |\n|---|---|---|---|---|---|---|\n`;
for (const r of rows) {
  md += `| ${r.q}${r.note ? ` (${r.note})` : ''} | ${r.truthPages} / ${r.truthReports} | ${r.kanko.pagesFound} (${pct(r.kanko.pageRecall)}, ${r.kanko.wrongPages}) | ${pct(r.kanko.reportRecall)} | ${kb(r.kanko.bytes)} | ${r.pagefind.reportsFound} (${pct(r.pagefind.reportRecall)}, ${r.pagefind.wrongReports}) | ${kb(r.pagefind.bytes)} |\n`;
}
fs.writeFileSync(path.join(DIST, '..', 'results.json'), JSON.stringify({ kIndex, kFrag, pIndex, rows }, null, 2));
console.log(md);
