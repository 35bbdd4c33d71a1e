// Browser test of the catalog: dist/index.html and every dist/<slug>/index.html, in headless Chromium
// at phone and desktop sizes, with and without JavaScript.
// usage: KANKO_DIST=/path/to/dist node --test tests/browser/catalog.test.mjs
//   KANKO_CHROMIUM=/path   browser binary (default /usr/bin/chromium)
//   KANKO_BASE_URL=https://…  the build's --base-url (else read from og:url); absolute links are allowed only under it
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { serve } from './serve.mjs';

const DIST = process.env.KANKO_DIST && path.resolve(process.env.KANKO_DIST);
const LAUNCH = {
  executablePath: process.env.KANKO_CHROMIUM || process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
};
const MODES = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
  'phone, no JS': { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, javaScriptEnabled: false },
  'desktop, no JS': { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, javaScriptEnabled: false },
};
const norm = (s) => String(s).normalize('NFKC').toLowerCase().replace(/\s+/g, '');

function baseUrl() {
  if (process.env.KANKO_BASE_URL) return process.env.KANKO_BASE_URL.replace(/\/+$/, '');
  const m = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8').match(/<meta property="og:url" content="([^"]+)\/index\.html"/);
  return m ? m[1].replace(/&amp;/g, '&') : '';
}

/** Records console errors, failed or 4xx/5xx responses and requests leaving the server's origin. */
function watch(page, origin) {
  const log = { errors: [], outside: [], bad: [], bytes: 0, responses: [] };
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(`${m.text()} ${m.location()?.url || ''}`.trim()); });
  page.on('pageerror', (e) => log.errors.push(e.message));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin + '/') && !/^(data|blob|about):/.test(u)) log.outside.push(u);
  });
  // net::ERR_ABORTED is the page cancelling a load itself (a navigation, or a lazy cover whose card the
  // filter replaced mid-load), not a broken file: missing files fail as 404 (below) or ERR_FILE_NOT_FOUND.
  page.on('requestfailed', (r) => { if (r.failure()?.errorText !== 'net::ERR_ABORTED') log.bad.push(`${r.url()} ${r.failure()?.errorText}`); });
  page.on('response', async (r) => {
    if (r.status() >= 400) log.bad.push(`${r.url()} ${r.status()}`);
    try { const b = await r.body(); log.bytes += b.length; log.responses.push([r.url().slice(origin.length), b.length]); } catch { /* redirect */ }
  });
  return log;
}

function assertClean(log, where) {
  assert.deepEqual(log.bad, [], `${where}: failed requests`);
  // Chromium asks for /favicon.ico at the server root by itself (outside dist/) when a page names no icon.
  const errors = log.errors.filter((e) => !/ 404 .*\/favicon\.ico$/.test(e));
  assert.deepEqual(errors, [], `${where}: console errors`);
  assert.deepEqual(log.outside, [], `${where}: requests outside the server origin`);
}

/** axe-core on `page`. axe cannot run where JavaScript is disabled, so for such a page the same URL is
 *  opened in a JavaScript-enabled context whose own scripts are replaced by empty ones: the DOM a
 *  visitor without JavaScript gets. */
async function axe(page, where, opts) {
  let target = page, ctx;
  if (opts && opts.javaScriptEnabled === false) {
    ctx = await page.context().browser().newContext({ ...opts, javaScriptEnabled: true });
    await ctx.route(/\.m?js(\?.*)?$/, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
    target = await ctx.newPage();
    await target.goto(page.url(), { waitUntil: 'networkidle' });
  }
  try {
    await check(target, where);
  } finally {
    await ctx?.close();
  }
}

async function check(page, where) {
  const res = await new AxeBuilder({ page }).analyze();
  const msg = res.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    ')}`).join('\n  ');
  assert.equal(res.violations.length, 0, `${where}: axe violations\n  ${msg}`);
}

/** Slugs of the li.report items in DOM order, and of the visible ones. */
const listed = (page) => page.$$eval('li.report', (lis) => lis.map((li) => ({
  slug: (li.querySelector('h2[id]')?.id || '').replace(/^r-/, ''),
  href: li.querySelector('h2 a')?.getAttribute('href') || '',
  visible: !!(li.offsetWidth || li.offsetHeight || li.getClientRects().length),
})));

/** Every href/src (and srcset URL) in the page, as written. */
const links = (page) => page.$$eval('[href], [src], [srcset]', (els) => els.flatMap((el) => {
  const out = [];
  for (const a of ['href', 'src']) if (el.hasAttribute(a)) out.push(`${el.tagName.toLowerCase()}[${a}]=${el.getAttribute(a)}`);
  if (el.hasAttribute('srcset')) for (const part of el.getAttribute('srcset').split(',')) out.push(`${el.tagName.toLowerCase()}[srcset]=${part.trim().split(/\s+/)[0]}`);
  return out;
}));

function assertLinks(list, pageRel, base, where) {
  const problems = [];
  for (const item of list) {
    const href = item.slice(item.indexOf('=') + 1).trim();
    if (!href || href.startsWith('#') || /^(mailto:|data:)/i.test(href)) continue;
    let rel;
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) {
      if (!(base && href.startsWith(base + '/'))) { problems.push(`${item}: absolute link outside dist/`); continue; }
      rel = href.slice(base.length + 1);
    } else if (href.startsWith('/')) {
      problems.push(`${item}: root-relative link`); continue;
    } else {
      rel = path.posix.normalize(path.posix.join(path.posix.dirname(pageRel), href));
    }
    rel = decodeURIComponent(rel.split('#')[0].split('?')[0]);
    const file = path.resolve(DIST, rel);
    if (!file.startsWith(DIST + path.sep)) { problems.push(`${item}: leaves dist/`); continue; }
    let target = file;
    if (fs.existsSync(target) && fs.statSync(target).isDirectory()) target = path.join(target, 'index.html');
    if (!fs.existsSync(target) || !fs.statSync(target).isFile()) problems.push(`${item}: ${rel} does not exist`);
  }
  assert.deepEqual(problems, [], `${where}: broken links`);
}

if (!DIST) {
  test('catalog (KANKO_DIST not set)', { skip: 'set KANKO_DIST to a built dist/ folder' }, () => {});
} else {
  const catalog = JSON.parse(fs.readFileSync(path.join(DIST, 'catalog.json'), 'utf8'));
  const reports = catalog.reports;
  const newestFirst = [...reports].sort((a, b) => b.fiscal_year - a.fiscal_year || b.published.localeCompare(a.published) || a.slug.localeCompare(b.slug)).map((r) => r.slug);
  const years = [...new Set(reports.map((r) => r.fiscal_year))];
  const funders = [...new Set(reports.flatMap((r) => r.funders.map((f) => f.name)))];
  const projects = [...new Set(reports.map((r) => r.project))];
  const BASE = baseUrl();
  let server, browser;

  before(async () => {
    server = await serve(DIST);
    browser = await chromium.launch(LAUNCH);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('catalog.json lists reports', () => assert.ok(reports.length > 0, 'no report in catalog.json'));

  for (const [mode, opts] of Object.entries(MODES)) {
    const js = opts.javaScriptEnabled !== false;

    test(`index.html @ ${mode}`, { timeout: 120_000 }, async (t) => {
      const ctx = await browser.newContext(opts);
      const page = await ctx.newPage();
      const log = watch(page, server.url);
      try {
        await page.goto(`${server.url}/index.html`, { waitUntil: 'networkidle' });
        if (mode === 'phone') {
          const by = (re) => log.responses.filter(([u]) => re.test(u)).reduce((s, [, n]) => s + n, 0);
          t.diagnostic(`page weight at phone size, first view: ${log.bytes} bytes (HTML ${by(/\.html$/)}, CSS ${by(/\.css$/)}, JS ${by(/\.js$/)}, covers ${by(/\.(webp|png|jpe?g)$/)})`);
        }

        // every report, newest first, all visible
        const items = await listed(page);
        assert.deepEqual(items.map((i) => i.slug), newestFirst, 'li.report order is not catalog.json newest first');
        assert.deepEqual(items.map((i) => i.href), newestFirst.map((s) => `${s}/index.html`));
        assert.ok(items.every((i) => i.visible), 'a report is hidden on load');
        const count = page.locator('#count');
        const template = await count.getAttribute('data-template');
        assert.equal((await count.textContent()).trim(), template.replace('{n}', reports.length));
        assert.equal(await page.locator('#empty').isVisible(), false, '#empty is visible on load');

        // covers: an image per report with a cover, not wider than the viewport
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);

        if (!js) {
          assert.equal(await page.locator('#filters').isVisible(), false, '#filters visible without JS (it cannot work)');
        } else {
          assert.equal(await page.locator('#filters').isVisible(), true, '#filters not shown with JS');
          // the year <select> reads 令和N年度 … for Japanese years
          const yearOptions = await page.$$eval('#f-year option', (os) => os.map((o) => [o.value, o.textContent]));
          for (const r of reports) {
            const o = yearOptions.find(([v]) => v === String(r.fiscal_year));
            assert.ok(o, `#f-year has no option ${r.fiscal_year}`);
            assert.ok(o[1].includes(r.fiscal_year_label), `#f-year option ${o[1]} lacks ${r.fiscal_year_label}`);
          }

          const visibleSlugs = async () => (await listed(page)).filter((i) => i.visible).map((i) => i.slug);
          const expectShown = async (want, what) => {
            assert.deepEqual(await visibleSlugs(), newestFirst.filter((s) => want.includes(s)), `${what}: visible reports`);
            assert.equal((await count.textContent()).trim(), template.replace('{n}', want.length), `${what}: #count`);
            assert.equal(await page.locator('#empty').isVisible(), want.length === 0, `${what}: #empty`);
          };

          // phones: the filters are folded behind #f-toggle
          if (await page.isVisible('#f-toggle')) await page.click('#f-toggle');
          for (const y of years) {
            await page.selectOption('#f-year', String(y));
            const want = reports.filter((r) => r.fiscal_year === y).map((r) => r.slug);
            await expectShown(want, `年度 ${y}`);
            assert.equal(new URL(page.url()).searchParams.get('year'), String(y), 'year not kept in the URL');
          }
          // the state survives a reload of the shared URL
          const y0 = years[years.length - 1];
          await page.goto(`${server.url}/index.html?year=${y0}`, { waitUntil: 'networkidle' });
          assert.equal(await page.inputValue('#f-year'), String(y0), '?year= not restored');
          await expectShown(reports.filter((r) => r.fiscal_year === y0).map((r) => r.slug), `restored ?year=${y0}`);
          await page.selectOption('#f-year', '');
          assert.equal(new URL(page.url()).search, '', 'cleared filter left a query string');
          await expectShown(newestFirst, 'all years');

          for (const f of funders) {
            await page.selectOption('#f-funder', f);
            await expectShown(reports.filter((r) => r.funders.some((x) => x.name === f)).map((r) => r.slug), `助成元 ${f}`);
          }
          await page.selectOption('#f-funder', '');
          for (const p of projects) {
            await page.selectOption('#f-project', p);
            await expectShown(reports.filter((r) => r.project === p).map((r) => r.slug), `事業 ${p}`);
          }
          await page.selectOption('#f-project', '');

          // text search: NFKC, case and whitespace insensitive
          const r0 = reports[reports.length - 1];
          const word = [...norm(r0.title)].slice(0, 6).join('');
          const typed = [...word].map((c) => c.toUpperCase()).join(' ').replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xFEE0));
          await page.fill('#f-q', typed);
          const hay = (r) => norm(`${r.title} ${r.subtitle || ''} ${r.description || ''} ${r.project} ${r.publisher}`);
          await expectShown(reports.filter((r) => hay(r).includes(norm(typed))).map((r) => r.slug), `キーワード ${typed}`);
          assert.ok((await visibleSlugs()).includes(r0.slug), `search for ${typed} does not find ${r0.slug}`);
          assert.equal(new URL(page.url()).searchParams.get('q'), typed, 'query not kept in the URL');
          await page.fill('#f-q', 'zzzz-kanko-no-such-report');
          await expectShown([], 'no match');
          await page.fill('#f-q', '');
          await expectShown(newestFirst, 'query cleared');

          // hash form of the state is accepted too
          await page.goto(`${server.url}/index.html#year=${years[0]}`, { waitUntil: 'networkidle' });
          await expectShown(reports.filter((r) => r.fiscal_year === years[0]).map((r) => r.slug), `#year=${years[0]}`);
          await page.goto(`${server.url}/index.html`, { waitUntil: 'networkidle' });
        }

        // keyboard: the skip link is the first tab stop and becomes visible
        if (!opts.isMobile) {
          await page.keyboard.press('Tab');
          const skip = await page.evaluate(() => {
            const a = document.activeElement;
            const r = a.getBoundingClientRect();
            return { cls: a.className, inView: r.top >= 0 && r.bottom <= innerHeight && r.width > 1 };
          });
          assert.equal(skip.cls, 'skip', 'first Tab does not reach the skip link');
          assert.ok(skip.inView, 'focused skip link is not visible');
        }

        await axe(page, `index.html @ ${mode}`, opts);
        assertLinks(await links(page), 'index.html', BASE, `index.html @ ${mode}`);
        assertClean(log, `index.html @ ${mode}`);
      } finally {
        await ctx.close();
      }
    });

    test(`report pages @ ${mode}`, { timeout: 180_000 }, async () => {
      const ctx = await browser.newContext(opts);
      if (js) await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      const page = await ctx.newPage();
      const log = watch(page, server.url);
      try {
        for (const r of reports) {
          const where = `${r.slug}/index.html @ ${mode}`;
          await page.goto(`${server.url}/${r.slug}/index.html`, { waitUntil: 'networkidle' });
          assert.equal((await page.locator('h1').first().textContent()).trim(), r.title, `${where}: h1`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.ok(overflow <= 0, `${where}: page scrolls sideways by ${overflow}px`);
          // table of contents: one entry per toc item, linking into the reader
          if (r.toc.length && r.files.reader) {
            const hrefs = await page.$$eval('.toc li a', (as) => as.map((a) => a.getAttribute('href')));
            assert.deepEqual(hrefs, r.toc.map((x) => `reader/index.html#p=${x.page}`), `${where}: toc links`);
          }
          if (r.files.reader) {
            const code = await page.inputValue('#embed-code');
            if (js) {
              const src = new URL(`${r.slug}/reader/index.html`, `${BASE || server.url}/`).href;
              assert.ok(code.includes(`src="${src}"`) || code.includes(`src="${server.url}/${r.slug}/reader/index.html"`), `${where}: embed code has no absolute src: ${code}`);
              assert.match(code, /^<iframe [^>]*title="[^"]+"[^>]*><\/iframe>$/, `${where}: embed code`);
              const btn = page.locator('#embed-copy');
              assert.equal(await btn.isVisible(), true, `${where}: #embed-copy hidden with JS`);
              await btn.click();
              const status = page.locator('[role="status"], [aria-live]', { hasText: /コピーしました|Copied/ });
              await status.first().waitFor({ timeout: 5000 });
              const clip = await page.evaluate(() => navigator.clipboard.readText().catch(() => null));
              if (clip !== null) assert.equal(clip, code, `${where}: clipboard content`);
            } else {
              assert.match(code, /<iframe /, `${where}: no embed code without JS`);
              assert.equal(await page.locator('#embed-copy').isVisible(), false, `${where}: copy button visible without JS`);
            }
          }
          await axe(page, where, opts);
          assertLinks(await links(page), `${r.slug}/index.html`, BASE, where);
        }
        assertClean(log, `report pages @ ${mode}`);
      } finally {
        await ctx.close();
      }
    });
  }

  test('print stylesheet hides the filters and buttons', { timeout: 60_000 }, async () => {
    const ctx = await browser.newContext(MODES.desktop);
    const page = await ctx.newPage();
    try {
      await page.emulateMedia({ media: 'print' });
      await page.goto(`${server.url}/index.html`, { waitUntil: 'networkidle' });
      assert.equal(await page.locator('#filters').isVisible(), false, 'filters printed');
      assert.equal(await page.locator('li.report .btn').first().isVisible(), false, 'buttons printed');
      assert.equal(await page.locator('li.report h2').first().isVisible(), true, 'titles not printed');
    } finally {
      await ctx.close();
    }
  });
}
