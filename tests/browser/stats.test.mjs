// `kanko stats` end to end: a real nginx on 127.0.0.1 serves KANKO_DIST under /hokoku/ (another
// "site" at /, as shared hosts mix them) with its default combined access log; Chromium acts as
// the readers, curl as a crawler; `kanko stats --format json` on that log must report
// exactly those people, and the crawlers only as "left out".
//
// usage: KANKO_DIST=/path/to/dist node --test tests/browser/stats.test.mjs
//   KANKO_BIN  the kanko binary (default target/release/kanko)
//   CHROMIUM   browser binary (default /usr/bin/chromium)
// nginx must be installed (./tests/run installs it when missing); without it the test fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { SIZES, LAUNCH } from './serve.mjs';
import { recorderScript } from './speech-recorder.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const BIN = process.env.KANKO_BIN || path.join(repo, 'target', 'release', 'kanko');
const DIST = process.env.KANKO_DIST && path.resolve(process.env.KANKO_DIST);
const BASE = '/hokoku/';
// Debian puts nginx in /usr/sbin, which a non-root PATH may not hold.
const NGINX = process.env.NGINX || (fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');

// One user agent per person: a visit is an address + a user agent, and every reader here comes
// from 127.0.0.1. (Headless Chromium's own agent says "HeadlessChrome", which is a crawler's.)
const UA = {
  toEnd: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  page2: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  pdf: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  epub: 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  text: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  crawler: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  // a browser's agent, but it asks for robots.txt first: a robot by behaviour
  polite: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
};

function book(slug) {
  const w = {};
  new Function('window', fs.readFileSync(path.join(DIST, slug, 'reader', 'data.js'), 'utf8'))(w);
  return w.KANKO_BOOK;
}
const groupOf = (b, page) => +/pages\/(\d+)\.js$/.exec(b.pages[page - 1].draw)[1];

function hasNginx() {
  try { execFileSync(NGINX, ['-v'], { stdio: 'ignore' }); return true; } catch { return false; }
}

async function freePort() {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

function files(dir, rel = '') {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(dir, path.join(rel, d.name)) : [path.join(rel, d.name)]);
}

if (!DIST) {
  test('stats (KANKO_DIST not set)', { skip: 'set KANKO_DIST to a built dist/ folder' }, () => {});
} else {
  let tmp, nginx, url, browser, log;
  before(async () => {
    assert.ok(hasNginx(), 'nginx is not installed (./tests/run installs it: apt-get install nginx)');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kanko-stats-'));
    fs.mkdirSync(path.join(tmp, 'other'));
    fs.writeFileSync(path.join(tmp, 'other', 'index.html'), '<!doctype html><title>another site</title><p>blog</p>');
    fs.writeFileSync(path.join(tmp, 'other', 'robots.txt'), 'User-agent: *\nAllow: /\n');
    for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(tmp, d));
    log = path.join(tmp, 'access.log');
    let lastErr;
    for (let attempt = 0; attempt < 5 && !url; attempt++) {
      const port = await freePort();
      fs.writeFileSync(path.join(tmp, 'nginx.conf'), `
daemon off;
master_process off;
worker_processes 1;
pid ${tmp}/nginx.pid;
error_log ${tmp}/error.log;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log ${log};
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  server {
    listen 127.0.0.1:${port};
    location ${BASE} { alias ${DIST}/; }
    location / { root ${tmp}/other; }
  }
}
`);
      nginx = spawn(NGINX, ['-p', tmp, '-e', path.join(tmp, 'error.log'), '-c', path.join(tmp, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      nginx.stderr.on('data', (d) => { stderr += d; });
      const started = Date.now();
      while (Date.now() - started < 5000 && nginx.exitCode === null) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/index.html`, { headers: { 'user-agent': 'kanko-test-probe' } });
          if (res.ok) { url = `http://127.0.0.1:${port}`; break; }
        } catch { /* not listening yet */ }
        await new Promise((r) => setTimeout(r, 100));
      }
      if (!url) { lastErr = stderr || fs.readFileSync(path.join(tmp, 'error.log'), 'utf8'); nginx.kill(); }
    }
    assert.ok(url, `nginx did not start: ${lastErr}`);
    browser = await chromium.launch(LAUNCH);
  });
  after(async () => {
    await browser?.close();
    if (nginx && nginx.exitCode === null) nginx.kill('SIGTERM');
    if (tmp && !process.env.KANKO_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('kanko stats counts what readers did through a real nginx, and leaves the crawlers out', { timeout: 240_000 }, async () => {
    // The report with the most page groups, where a reader who stops at page 2 (the reader
    // fetches up to 2 pages ahead: page 4) has not reached the middle page's group.
    const slugs = fs.readdirSync(DIST).filter((s) => fs.existsSync(path.join(DIST, s, 'reader', 'data.js'))).sort();
    const fit = slugs.map((s) => ({ s, b: book(s) }))
      .filter(({ b }) => b.pageCount >= 8 && groupOf(b, Math.ceil(b.pageCount / 2)) > groupOf(b, 4))
      .sort((x, y) => groupOf(y.b, y.b.pageCount) - groupOf(x.b, x.b.pageCount));
    assert.ok(fit.length, 'no report long enough to tell page 2 from the middle');
    const { s: slug, b } = fit[0];
    const N = b.pageCount;
    const root = `${url}${BASE}`;
    const reader = `${root}${slug}/reader/index.html`;
    const drawn = (page, n) => page.locator(`.kr-page[data-page="${n}"] .kr-draw svg`).waitFor();
    const person = (ua, size, extra = {}) => browser.newContext({ ...SIZES[size], userAgent: ua, ...extra });

    // 1. Comes from the catalog, searches it, opens the reader and turns to the last page.
    {
      const ctx = await person(UA.toEnd, 'phone');
      const page = await ctx.newPage();
      await page.goto(root);
      const searched = page.waitForRequest((r) => /\/search\/i\d+\.js$/.test(r.url()));
      await page.fill('#s-q', '居場所');
      await page.press('#s-q', 'Enter');
      await searched;
      await page.goto(reader);
      await drawn(page, 1);
      for (let n = 2; n <= N; n++) {
        await page.click('#kr-next');
        await page.waitForFunction((h) => location.hash === h, `#p=${n}`);
        await drawn(page, n);
      }
      await page.waitForTimeout(500);
      await ctx.close();
    }
    // 2. Opens the reader, reads page 2 and leaves.
    {
      const ctx = await person(UA.page2, 'phone');
      const page = await ctx.newPage();
      await page.goto(reader);
      await drawn(page, 1);
      await page.click('#kr-next');
      await drawn(page, 2);
      await page.waitForTimeout(3000); // the reader's idle prefetch (2.5 s after load) has run
      await ctx.close();
    }
    // 3. Opens the PDF in Chromium's viewer, then the file in byte ranges (206). Chromium 156's
    //    viewer fetched the whole file at once here (its range loading is a feature that is off
    //    by default), so the same browser asks for three ranges as pdf.js viewers (Firefox) do.
    {
      const ctx = await person(UA.pdf, 'desktop');
      const page = await ctx.newPage();
      const pdfUrl = `${root}${slug}/${slug}.pdf`;
      const got = page.waitForResponse((r) => r.url() === pdfUrl);
      await page.goto(pdfUrl).catch(() => {}); // the viewer replaces the document
      assert.equal((await got).status(), 200);
      await page.waitForTimeout(1000);
      const other = await ctx.newPage();
      await other.goto(`${root}${slug}/`);
      const statuses = await other.evaluate(async (u) => {
        const out = [];
        for (const r of ['bytes=0-65535', 'bytes=65536-131071', 'bytes=-32768']) {
          const res = await fetch(u, { headers: { Range: r }, cache: 'no-store' });
          await res.arrayBuffer();
          out.push(res.status);
        }
        return out;
      }, pdfUrl);
      assert.deepEqual(statuses, [206, 206, 206]);
      await ctx.close();
    }
    // 4. Downloads the EPUB from the report's page.
    {
      const ctx = await person(UA.epub, 'tablet', { acceptDownloads: true });
      const page = await ctx.newPage();
      await page.goto(`${root}${slug}/`);
      const dl = page.waitForEvent('download');
      await page.click(`a[href="${slug}.epub"]`);
      assert.ok(await (await dl).path());
      await ctx.close();
    }
    let aloudAt = 0;
    // 5. Opens the reader, starts 読み上げ (its data file), stops it, switches to text mode.
    {
      const ctx = await person(UA.text, 'desktop');
      await ctx.addInitScript(recorderScript());
      const page = await ctx.newPage();
      await page.goto(reader);
      await drawn(page, 1);
      const data = page.waitForResponse((r) => r.url().endsWith('/reader/speech-data.js'));
      await page.click('#ks-read');
      assert.equal((await data).status(), 200);
      await page.waitForFunction(() => window.__spoken.length > 0);
      // Reading starts at the first text on or after the page shown and turns the reader there;
      // once idle the reader fetches two pages past the spread shown (2.5 s after load at the latest).
      await page.waitForTimeout(3000);
      aloudAt = Math.max(...await page.evaluate(() => window.KANKO_READER.shown()));
      await page.click('#ks-stop');
      const text = page.waitForResponse((r) => r.url().endsWith('/reader/text.html'));
      await page.click('#kr-b-text');
      assert.equal((await text).status(), 200);
      await page.waitForLoadState('load');
      await ctx.close();
    }
    // A crawler (by its user agent) fetches robots.txt and every file of the site.
    const all = files(DIST).map((f) => `${root}${f.split(path.sep).map(encodeURIComponent).join('/')}`);
    const cfg = path.join(tmp, 'crawl.curl');
    fs.writeFileSync(cfg, [`${url}/robots.txt`, ...all].map((u) => `url = "${u}"\noutput = "/dev/null"\n`).join(''));
    execFileSync('curl', ['-s', '-A', UA.crawler, '-K', cfg]);
    // A browser-like agent that reads robots.txt first, then takes a PDF.
    execFileSync('curl', ['-s', '-o', '/dev/null', '-A', UA.polite, `${url}/robots.txt`, '-o', '/dev/null', `${root}${slug}/${slug}.pdf`]);
    await new Promise((r) => setTimeout(r, 300));

    const logText = fs.readFileSync(log, 'utf8');
    assert.ok(logText.split('\n').some((l) => l.includes(`/${slug}/${slug}.pdf`) && l.includes('" 206 ')), 'the log has the ranges');
    // The log's own time zone decides the fiscal year: ask for the one of the log's first line.
    const m = /\[(\d\d)\/(\w{3})\/(\d{4}):/.exec(logText);
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(m[2]) + 1;
    const fy = month >= 4 ? +m[3] : +m[3] - 1;
    const json = execFileSync(BIN, ['stats', log, '--out', DIST, '--base-path', BASE, '--fiscal-year', String(fy), '--format', 'json'],
      { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } });
    const s = JSON.parse(json);
    // How far person 5 went: the group of the page two past the one the reading turned to.
    const far5 = groupOf(b, Math.min(N, aloudAt + 2));
    const middle5 = far5 >= groupOf(b, Math.ceil(N / 2)) ? 1 : 0;
    const end5 = far5 >= groupOf(b, N) ? 1 : 0;
    const r = s.reports.find((x) => x.slug === slug);
    const pick = (x) => ({
      pdf: x.pdf, epub: x.epub, print_pdf: x.print_pdf, reader: x.reader, reader_middle: x.reader_middle,
      reader_end: x.reader_end, text_mode: x.text_mode, read_aloud: x.read_aloud, report_page: x.report_page,
    });
    assert.deepEqual(pick(r), {
      pdf: 1, // person 3: one 200 and three 206 = one download; the robot's PDF is not counted
      epub: 1, // person 4
      print_pdf: 0,
      reader: 3, // persons 1, 2 and 5
      reader_middle: 1 + middle5, // person 1, not person 2 (page 2: the reader fetched up to page 4)
      reader_end: 1 + end5,
      text_mode: 1,
      read_aloud: 1,
      report_page: 2, // persons 3 and 4
    });
    for (const other of s.reports.filter((x) => x.slug !== slug)) {
      assert.deepEqual(Object.values(pick(other)), Array(9).fill(0), `${other.slug} had no reader`);
    }
    assert.deepEqual(pick(s.totals), pick(r));
    assert.deepEqual(s.catalog, { visits: 1, searches: 1 });
    assert.deepEqual(s.left_out, { visits: 2, by_user_agent: 1, by_robots_txt: 1, requests: all.length + 1 });
    assert.equal(s.logs.malformed, 0);
    assert.equal(s.logs.files, 1);
    assert.ok(s.logs.other_site >= 1, 'the other site\'s lines are not counted');
    // The month of the visits holds them all.
    const mm = s.months.find((x) => x.month === `${m[3]}-${String(month).padStart(2, '0')}`);
    assert.equal(mm.pdf, 1);
    assert.equal(mm.left_out_visits, 2);
    // Privacy: nothing printed holds an address.
    assert.ok(!json.includes('127.0.0.1'));
  });
}
