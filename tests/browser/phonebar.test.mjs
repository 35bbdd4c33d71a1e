// The reader's top bar on small phones (360 and 390 px wide): the report's title is shown whole
// (it was cut to one character, 「地…」), the text view's button shows its words (「文字で読む」),
// and the reader's choice of the text view survives a reload. The desktop bar stays one row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { serve, readerSlugs, SIZES, LAUNCH } from './serve.mjs';

const dist = process.env.KANKO_DIST;
const PHONES = {
  360: { ...SIZES.phone, viewport: { width: 360, height: 640 } },
  390: SIZES.phone,
};

// What the bar shows: the title's box and whether its text is cut, every control's box.
function bar(page) {
  return page.evaluate(() => {
    const box = (e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height }; };
    const title = document.querySelector('.kr-title');
    const span = title.querySelector('span');
    const range = document.createRange(); range.selectNodeContents(span);
    const controls = [...document.querySelectorAll('.kr-top .kr-btn')].filter((b) => b.offsetParent !== null);
    const text = document.getElementById('kr-b-text');
    return {
      title: span.textContent, titleBox: box(title), titleTextWidth: range.getBoundingClientRect().width,
      cut: title.scrollWidth > title.clientWidth + 1 || title.scrollHeight > title.clientHeight + 1,
      controls: controls.map((b) => ({ id: b.id || b.className, ...box(b) })),
      textShown: text.hidden ? null : text.innerText.trim(), textName: text.getAttribute('aria-label'),
      topBar: box(document.querySelector('.kr-top')), vw: innerWidth, scrollW: document.documentElement.scrollWidth,
    };
  });
}

const overlaps = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

test('the reader top bar on small phones', { skip: !dist && 'KANKO_DIST not set' }, async (t) => {
  const server = await serve(dist);
  const browser = await chromium.launch(LAUNCH);
  try {
    for (const slug of readerSlugs(dist)) {
      for (const [w, size] of Object.entries(PHONES)) {
        await t.test(`${slug} at ${w} px`, async () => {
          const ctx = await browser.newContext(size);
          const page = await ctx.newPage();
          const errors = [];
          page.on('pageerror', (e) => errors.push(String(e)));
          await page.goto(`${server.url}/${slug}/reader/index.html`);
          await page.waitForSelector('.kr-page[data-page="1"] .kr-draw svg');
          const b = await bar(page);
          const ja = /^ja/.test(await page.evaluate(() => document.documentElement.lang));
          // The whole title is visible: not cut, wider than a few characters, inside the screen.
          assert.ok(!b.cut, `${slug}: title cut at ${w} px: ${JSON.stringify(b.titleBox)}`);
          assert.ok(b.titleTextWidth >= Math.min(b.title.length, 8) * 10, `${slug}: title text only ${b.titleTextWidth} px wide`);
          assert.ok(b.titleBox.left >= 0 && b.titleBox.right <= b.vw + 0.5, `${slug}: title off screen`);
          for (const c of b.controls) {
            assert.ok(c.left >= 0 && c.right <= b.vw + 0.5, `${slug}: ${c.id} off screen at ${w} px (${c.left}–${c.right})`);
            assert.ok(!overlaps(c, b.titleBox), `${slug}: ${c.id} covers the title`);
            assert.ok(c.height >= 24 && c.width >= 24, `${slug}: ${c.id} smaller than a 24 px target`);
          }
          assert.ok(b.scrollW <= b.vw, `${slug}: the page scrolls sideways (${b.scrollW} > ${b.vw})`);
          // The text view's button says what it does, and its name is the words it shows.
          const words = ja ? '文字で読む' : 'Read as text';
          assert.equal(b.textShown, words, `${slug}: the text view's button shows ${JSON.stringify(b.textShown)}`);
          assert.equal(b.textName, words);
          // A panel opens below the (taller) bar, not over the title.
          await page.click('#kr-b-toc');
          const panelTop = await page.evaluate(() => document.getElementById('kr-p-toc').getBoundingClientRect().top);
          assert.ok(Math.abs(panelTop - b.topBar.bottom) <= 1, `${slug}: panel at ${panelTop}, bar ends at ${b.topBar.bottom}`);
          await page.keyboard.press('Escape');
          const axe = await new AxeBuilder({ page }).analyze();
          assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), []);
          // The choice is remembered: after a reload, and when the reader is opened again.
          await page.click('#kr-b-text');
          await page.waitForURL(/reader\/text\.html/);
          await page.reload();
          assert.match(page.url(), /reader\/text\.html/);
          await page.goto(`${server.url}/${slug}/reader/index.html`);
          await page.waitForURL(/reader\/text\.html/);
          // … and so is the way back to the pages.
          await page.click('a[data-kanko-mode="pages"]');
          await page.waitForURL(/reader\/index\.html/);
          await page.reload();
          await page.waitForSelector('.kr-page[data-page="1"]');
          assert.match(page.url(), /reader\/index\.html/);
          assert.deepEqual(errors, []);
          await ctx.close();
        });
      }
      await t.test(`${slug} on a desktop keeps one row`, async () => {
        const ctx = await browser.newContext(SIZES.desktop);
        const page = await ctx.newPage();
        await page.goto(`${server.url}/${slug}/reader/index.html`);
        await page.waitForSelector('.kr-page[data-page="1"] .kr-draw svg');
        const b = await bar(page);
        assert.ok(b.topBar.height <= 54, `bar ${b.topBar.height} px high`);
        assert.ok(!b.cut, 'title cut on a desktop');
        for (const c of b.controls) assert.ok(!overlaps(c, b.titleBox), `${c.id} covers the title`);
        await ctx.close();
      });
    }
  } finally {
    await browser.close();
    await server.close();
  }
});
