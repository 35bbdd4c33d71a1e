// Accessibility audits of a built dist/ by the tools people trust:
//   Lighthouse 12.2.3 (mobile, default throttling) ≥ 95 in performance, accessibility, best
//   practices and SEO on the catalog index, one report page, and the reader and text mode of
//   every report, and latest.html; the same pages of the `[site]` fixture (tests/browser/site-fixture.mjs,
//   an organisation with logo, accent colour and footer links, built with KANKO_BIN or
//   target/release/kanko when it exists); Ace by DAISY 0 violations on every report's EPUB.
// usage: KANKO_DIST=/abs/dist KANKO_CHROMIUM=/usr/bin/chromium node --test tests/audit/audit.test.mjs
//   (npm deps of tests/audit/ installed with PUPPETEER_SKIP_DOWNLOAD=1; tests/run does that)
//   KANKO_AUDIT_OUT=dir  keep the Lighthouse JSON and Ace reports there (default target/test-logs/audit)
// Pages are served over http on 127.0.0.1 (Lighthouse does not audit file:// URLs well).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { serve, readerSlugs } from '../browser/serve.mjs';
import { writeSite, newest as siteReports } from '../browser/site-fixture.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const DIST = process.env.KANKO_DIST && path.resolve(process.env.KANKO_DIST);
const CHROME = process.env.KANKO_CHROMIUM || process.env.CHROMIUM || '/usr/bin/chromium';
const OUT = path.resolve(process.env.KANKO_AUDIT_OUT || path.join(here, '..', '..', 'target', 'test-logs', 'audit'));
const MIN = 0.95;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-dev-shm-usage'];

if (!DIST) {
  test('audits (KANKO_DIST not set)', { skip: 'set KANKO_DIST to a built dist/ folder' }, () => {});
} else {
  fs.mkdirSync(OUT, { recursive: true });
  const slugs = readerSlugs(DIST);
  const BIN = process.env.KANKO_BIN || path.join(here, '..', '..', 'target', 'release', 'kanko');
  const siteTmp = fs.existsSync(BIN) ? fs.mkdtempSync(path.join(os.tmpdir(), 'kanko-audit-site-')) : null;
  let server, siteServer, chrome, lighthouse;
  before(async () => {
    server = await serve(DIST, { gzip: true });
    if (siteTmp) siteServer = await serve(writeSite(BIN, siteTmp), { gzip: true });
    lighthouse = (await import('lighthouse')).default;
    const { launch } = await import('chrome-launcher');
    chrome = await launch({ chromePath: CHROME, chromeFlags: FLAGS });
  });
  after(async () => {
    await chrome?.kill();
    await server?.close();
    await siteServer?.close();
    if (siteTmp) fs.rmSync(siteTmp, { recursive: true, force: true });
  });

  const pages = [['catalog index', 'index.html']];
  if (slugs[0]) pages.push([`report page (${slugs[0]})`, `${slugs[0]}/index.html`]);
  for (const s of slugs) {
    // #p=1: the reader itself, even when an earlier run left "text mode" as the remembered choice.
    pages.push([`reader (${s})`, `${s}/reader/index.html#p=1`]);
    pages.push([`text mode (${s})`, `${s}/reader/text.html`]);
  }
  if (fs.existsSync(path.join(DIST, 'latest.html'))) pages.push(['latest reports block', 'latest.html']);
  // The [site] fixture: the organisation's header, colours and footer links on each kind of page.
  if (siteTmp) {
    const s = siteReports[0].slug;
    for (const [name, rel] of [['catalog index', 'index.html'], ['report page', `${s}/index.html`], ['reader', `${s}/reader/index.html#p=1`],
      ['text mode', `${s}/reader/text.html`], ['latest reports block', 'latest.html']]) pages.push([`[site] ${name}`, rel, true]);
  }

  for (const [name, rel, site] of pages) {
    test(`Lighthouse: ${name}`, { timeout: 540_000 }, async () => {
      // Performance is measured on a shared machine: a run that misses the bar is repeated, at most
      // three runs (Lighthouse's own advice is to look at several runs); every run is logged.
      let last;
      for (let attempt = 1; attempt <= 3; attempt++) {
        const run = await lighthouse(`${(site ? siteServer : server).url}/${rel}`, {
          port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES,
        });
        const lhr = run.lhr;
        fs.writeFileSync(path.join(OUT, (site ? 'site-' : '') + rel.replace(/[/.#=]/g, '_') + '.lighthouse.json'), run.report);
        const scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c]?.score ?? 0]));
        const failing = Object.values(lhr.audits)
          .filter((a) => a.score !== null && a.score < 1 && !['informative', 'manual', 'notApplicable'].includes(a.scoreDisplayMode))
          .map((a) => `${a.id} (${a.score})`);
        console.log(`# lighthouse ${name} (run ${attempt}): ${CATEGORIES.map((c) => `${c} ${Math.round(scores[c] * 100)}`).join(', ')}`);
        if (failing.length) console.log(`#   not perfect: ${failing.join(', ')}`);
        last = { scores, failing };
        if (CATEGORIES.every((c) => scores[c] >= MIN)) break;
      }
      for (const c of CATEGORIES) assert.ok(last.scores[c] >= MIN, `${c} ${Math.round(last.scores[c] * 100)} < ${MIN * 100} on ${rel}; audits below 1: ${last.failing.join(', ')}`);
    });
  }

  const ace = path.join(here, 'node_modules', '@daisy', 'ace-cli', 'bin', 'ace.js');
  for (const s of slugs) {
    const epub = path.join(DIST, s, `${s}.epub`);
    if (!fs.existsSync(epub)) continue;
    test(`Ace by DAISY: ${s}.epub`, { timeout: 300_000 }, async () => {
      const out = path.join(OUT, `ace-${s}`);
      fs.rmSync(out, { recursive: true, force: true });
      await new Promise((ok, fail) => execFile(process.execPath, [ace, '--silent', '--force', '--outdir', out, epub], {
        env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: CHROME, PUPPETEER_SKIP_DOWNLOAD: '1' }, maxBuffer: 64 << 20,
      }, (err, stdout, stderr) => (err ? fail(new Error(`ace failed: ${err.message}\n${stdout}\n${stderr}`)) : ok())));
      const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
      const violations = [];
      for (const doc of report.assertions || []) {
        for (const a of doc.assertions || []) {
          if (a['earl:result']?.['earl:outcome'] === 'fail') {
            violations.push(`${doc['earl:testSubject']?.url}: ${a['earl:test']?.['dct:title']} (${a['earl:test']?.['earl:impact']}) ${a['earl:result']?.['earl:pointer']?.css?.join(' ') || ''}`);
          }
        }
      }
      console.log(`# ace ${s}: ${violations.length} violations`);
      assert.deepEqual(violations, [], 'Ace violations');
    });
  }
}
