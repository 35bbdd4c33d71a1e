// Browser test of the page-flip web reader, for every dist/<slug>/reader/index.html.
// usage: KANKO_DIST=/path/to/dist node --test tests/browser/reader.test.mjs
//   KANKO_PDFTOTEXT=1  also compare the text layer with `pdftotext` output of dist/<slug>/<slug>.pdf
//   CHROMIUM=/path     browser binary (default /usr/bin/chromium)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { serve, readerSlugs, SIZES, LAUNCH, watchFirstDraw, firstView } from './serve.mjs';

const DIST = process.env.KANKO_DIST && path.resolve(process.env.KANKO_DIST);
const BUDGET = 200 * 1024;
const strip = (s) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

function hasPdftotext() {
  try { execFileSync('pdftotext', ['-v'], { stdio: 'ignore' }); return true; } catch { return false; }
}

// Per-page plain text as the in-book search sees it: the text/G.js files (KANKO_TEXT(n, lines, links)
// for each page of a page group), lines joined, ruby readings (under 0.6 × the page's median size) left out.
function searchTexts(dir) {
  const byPage = {};
  for (const f of fs.readdirSync(path.join(dir, 'text')).filter((f) => /^\d+\.js$/.test(f))) {
    new Function('KANKO_TEXT', fs.readFileSync(path.join(dir, 'text', f), 'utf8'))((n, l) => { byPage[n] = l; });
  }
  const out = [];
  for (let i = 1; byPage[i]; i++) {
    const lines = byPage[i];
    const sizes = lines.map((l) => l[3]).sort((a, b) => a - b);
    const median = sizes.length ? sizes[sizes.length >> 1] : 10;
    out.push(lines.filter((l) => l[3] >= median * 0.6).map((l) => l[4]).join('\n'));
  }
  return out;
}

// A distinctive token (4+ letters/digits) found on exactly one page, searching from the last page backwards.
function distinctiveToken(texts) {
  const norm = texts.map(strip);
  for (let p = norm.length - 1; p >= 1; p--) {
    const latin = texts[p].normalize('NFKC').toLowerCase().match(/[a-z0-9]{5,}/g) || [];
    const cands = [...latin.sort((a, b) => b.length - a.length)];
    const s = norm[p];
    for (let L of [6, 5, 4]) for (let i = 0; i + L <= s.length; i++) cands.push(s.slice(i, i + L));
    for (const c of cands) {
      if (!/^[\p{L}\p{N}]{4,}$/u.test(c)) continue;
      if (norm.every((t, i) => i === p || !t.includes(c)) && norm[p].indexOf(c) === norm[p].lastIndexOf(c)) return { page: p + 1, token: c };
    }
  }
  return null;
}

if (!DIST) {
  test('reader (KANKO_DIST not set)', { skip: 'set KANKO_DIST to a built dist/ folder' }, () => {});
} else {
  const slugs = readerSlugs(DIST);
  let server, browser;
  before(async () => {
    server = await serve(DIST);
    browser = await chromium.launch(LAUNCH);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('dist has at least one reader', () => assert.ok(slugs.length > 0, `no <slug>/reader/index.html under ${DIST}`));

  for (const slug of slugs) {
    const dir = path.join(DIST, slug, 'reader');
    const book = (() => { const w = {}; new Function('window', fs.readFileSync(path.join(dir, 'data.js'), 'utf8'))(w); return w.KANKO_BOOK; })();
    const rtl = book.direction === 'rtl';
    const n = book.pageCount;
    const target = Math.min(3, n);

    for (const [size, opts] of Object.entries(SIZES)) {
      test(`${slug} @ ${size}`, { timeout: 120_000 }, async (t) => {
        const ctx = await browser.newContext(opts);
        const page = await ctx.newPage();
        const errors = [], requests = [];
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('request', (r) => requests.push(r.url()));
        const base = `${server.url}/${slug}/reader/index.html`;
        const hash = () => page.evaluate(() => location.hash);

        try {
          if (size === 'phone') {
            await t.test('phone first view ≤ 200 KB', async () => {
              // First view: every resource requested until the first page is drawn. The next page is
              // prefetched after that, when the browser is idle (counted apart, not in the budget).
              await watchFirstDraw(page);
              await page.goto(base, { waitUntil: 'load' });
              await page.waitForFunction(() => window.__drawnAt);
              await page.waitForTimeout(1500);
              const r = await firstView(page);
              console.log(`# ${slug}: phone first view ${(r.first / 1024).toFixed(1)} KB in ${r.n} requests; then prefetched ${(r.later / 1024).toFixed(1)} KB in ${r.m}`);
              assert.ok(r.first <= BUDGET, `first view is ${r.first} bytes (> ${BUDGET})`);
              assert.ok(r.first > 20_000, `the first view was measured (${r.first} bytes)`);
              // Page 2's drawing is in its page group's file (pages/1.js), apart from page 1's.
              if (n > 1) {
                assert.notEqual(book.pages[1].draw, book.pages[0].draw);
                assert.ok(r.laterNames.some((u) => u.endsWith('/reader/' + book.pages[1].draw)), `the next page is prefetched once the first is drawn (${r.laterNames})`);
                assert.ok(!r.firstNames.some((u) => u.endsWith('/reader/' + book.pages[1].draw)), 'the next page is not in the first view');
              }
            });
          } else {
            await page.goto(base, { waitUntil: 'load' });
          }

          await t.test('keyboard turns the page', async () => {
            await page.locator('.kr-page[data-page="1"] .kr-draw svg').waitFor();
            await page.locator('body').click({ position: { x: 2, y: 2 } }).catch(() => {});
            await page.evaluate(() => document.activeElement && document.activeElement.blur());
            await page.keyboard.press(rtl ? 'ArrowLeft' : 'ArrowRight');
            await page.waitForFunction(() => location.hash === '#p=2');
            assert.ok(await page.locator('.kr-page[data-page="2"]').isVisible());
            // Pages kept beside the spread (laid out for the next turn) are unseen: transparent, under
            // the shown pages, hidden from screen readers, their links out of the tab order.
            const pagesNow = await page.evaluate(() => [...document.querySelectorAll('.kr-spread > .kr-page')].map((d) => ({
              n: +d.dataset.page, opacity: +getComputedStyle(d).opacity, z: +getComputedStyle(d).zIndex,
              hidden: d.getAttribute('aria-hidden') === 'true', tabbable: [...d.querySelectorAll('a')].filter((a) => a.tabIndex >= 0).length,
            })));
            const shownNow = await page.evaluate(() => window.KANKO_READER.shown());
            assert.ok(shownNow.includes(2), `page 2 is shown (${shownNow})`);
            assert.deepEqual(pagesNow.map((p) => p.n), pagesNow.map((p) => p.n).sort((a, b) => a - b), 'pages in page order (a selection never runs through a hidden page)');
            for (const p of pagesNow) {
              const on = shownNow.includes(p.n);
              assert.equal(p.opacity, on ? 1 : 0, `page ${p.n} opacity`);
              assert.equal(p.hidden, !on, `page ${p.n} aria-hidden`);
              if (!on) assert.equal(p.tabbable, 0, `links of hidden page ${p.n} are not tabbable`);
              if (!on) assert.ok(p.z < pagesNow.find((q) => shownNow.includes(q.n)).z, `hidden page ${p.n} lies under the shown ones`);
            }
            await page.keyboard.press(rtl ? 'ArrowRight' : 'ArrowLeft');
            await page.waitForFunction(() => location.hash === '#p=1');
          });

          await t.test('swipe turns the page', async () => {
            const before = await hash();
            await page.evaluate((rtl) => {
              const st = document.getElementById('kr-stage'), r = st.getBoundingClientRect();
              const y = r.top + r.height / 2, x0 = r.left + r.width * (rtl ? 0.3 : 0.7), x1 = r.left + r.width * (rtl ? 0.7 : 0.3);
              const ev = (type, x) => st.dispatchEvent(new PointerEvent(type, { pointerId: 7, pointerType: 'touch', isPrimary: true, clientX: x, clientY: y, bubbles: true, cancelable: true }));
              ev('pointerdown', x0); ev('pointermove', (x0 + x1) / 2); ev('pointermove', x1); ev('pointerup', x1);
            }, rtl);
            await page.waitForFunction((b) => location.hash !== b && /^#p=\d+$/.test(location.hash), before);
            assert.equal(await hash(), '#p=2');
          });

          await t.test(`deep link #p=${target} shows the page with text`, async () => {
            await page.goto('about:blank');
            await page.goto(`${base}#p=${target}`, { waitUntil: 'load' });
            const pg = page.locator(`.kr-page[data-page="${target}"]`);
            await pg.waitFor({ state: 'visible' });
            await page.waitForFunction((n) => {
              const l = document.querySelector(`.kr-page[data-page="${n}"] .kr-text`);
              return l && l.textContent.trim().length > 0;
            }, target);
            const box = await pg.boundingBox(), vp = page.viewportSize();
            assert.ok(box && box.width > 100 && box.x >= 0 && box.x + box.width <= vp.width + 1, 'page is on screen');
            assert.equal(await page.locator(`.kr-page[data-page="${target}"] .kr-draw svg`).getAttribute('aria-hidden'), 'true', 'the drawing is hidden from screen readers (the text layer reads)');
            if (process.env.KANKO_PDFTOTEXT === '1' && hasPdftotext() && book.pdf) {
              const pdf = path.join(DIST, slug, `${slug}.pdf`);
              const txt = execFileSync('pdftotext', ['-f', String(target), '-l', String(target), '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
              const longest = txt.split('\n').sort((a, b) => strip(b).length - strip(a).length)[0] || '';
              const want = strip(longest).slice(0, 12);
              const layer = strip(await pg.locator('.kr-text').textContent());
              if (want) assert.ok(layer.includes(want), `text layer of page ${target} lacks "${want}"`);
            }
          });

          await t.test('search finds a later-page word and highlights it', async () => {
            const texts = searchTexts(dir);
            assert.equal(texts.length, n, 'every page has its text layer');
            assert.ok(!fs.existsSync(path.join(dir, 'search.js')), 'no second copy of the text for the search');
            const hit = distinctiveToken(texts);
            if (!hit) { t.diagnostic('no distinctive token found'); return; }
            await page.click('#kr-b-search');
            const q = page.locator('#kr-q');
            await q.waitFor({ state: 'visible' });
            assert.equal(await page.evaluate(() => document.activeElement.id), 'kr-q', 'search box is focused');
            await q.fill(hit.token);
            await page.locator('#kr-hits button').first().waitFor();
            assert.equal(await page.locator('#kr-hits button').count(), 1, `"${hit.token}" found once`);
            assert.match(await page.locator('#kr-scount').textContent(), /1/);
            if (size === 'desktop') {
              const res = await new AxeBuilder({ page }).analyze();
              assert.deepEqual(res.violations.map((v) => `${v.id}: ${v.nodes.map((x) => x.target).join(' ')}`), [], 'axe (search panel)');
            }
            await page.locator('#kr-hits button').first().click();
            await page.waitForFunction((p) => location.hash === '#p=' + p, hit.page);
            const mark = page.locator(`.kr-page[data-page="${hit.page}"] .kr-text mark`).first();
            await mark.waitFor({ state: 'visible' });
            const marked = strip(await page.locator(`.kr-page[data-page="${hit.page}"] .kr-text mark`).allTextContents().then((a) => a.join('')));
            assert.equal(marked, hit.token);
            await page.keyboard.press('Escape');
          });

          await t.test('axe reports no violations', async () => {
            await page.goto(`${base}#p=${target}`, { waitUntil: 'load' });
            await page.waitForTimeout(300);
            const res = await new AxeBuilder({ page }).analyze();
            assert.deepEqual(res.violations.map((v) => `${v.id}: ${v.nodes.map((x) => x.target).join(' ')}`), [], 'axe');
            await page.click('#kr-b-toc');
            const res2 = await new AxeBuilder({ page }).analyze();
            assert.deepEqual(res2.violations.map((v) => `${v.id}: ${v.nodes.map((x) => x.target).join(' ')}`), [], 'axe (contents panel)');
          });

          await t.test('no console errors, no requests outside the report', () => {
            assert.deepEqual(errors, []);
            const prefix = `${server.url}/${slug}/`;
            assert.deepEqual(requests.filter((u) => !u.startsWith(prefix) && !/^(data|about):/.test(u)), []);
          });
        } finally {
          await ctx.close();
        }
      });
    }
  }
}
