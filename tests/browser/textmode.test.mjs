// The reader's text mode (reader/text.html): reflowed chapters for every report, readable and
// accessible at phone size, remembered as the reader's choice, with a way back to the pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { serve, readerSlugs, SIZES, LAUNCH } from './serve.mjs';

const dist = process.env.KANKO_DIST;

test('text mode of every report', { skip: !dist && 'KANKO_DIST not set' }, async (t) => {
  const server = await serve(dist);
  const browser = await chromium.launch(LAUNCH);
  try {
    for (const slug of readerSlugs(dist)) {
      await t.test(slug, async () => {
        const ctx = await browser.newContext(SIZES.phone);
        const page = await ctx.newPage();
        const errors = [];
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(`${server.url}/${slug}/reader/text.html`);
        const headings = await page.locator('main h1').count();
        assert.ok(headings > 0, 'chapters are there as headings');
        const text = await page.locator('main').innerText();
        assert.ok(text.replace(/\s/g, '').length > 200, 'the text is there');
        // Something is actually painted on the first screen (vertical text once painted blank).
        const shot = await page.screenshot();
        assert.ok(shot.length > 20000, `first screen looks empty (${shot.length} bytes)`);
        assert.equal(await page.evaluate(() => localStorage.getItem('kanko-mode')), 'text');
        const axe = await new AxeBuilder({ page }).analyze();
        assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), []);
        await page.click('a[data-kanko-mode="pages"]');
        await page.waitForURL(/reader\/index\.html/);
        assert.equal(await page.evaluate(() => localStorage.getItem('kanko-mode')), 'pages');
        assert.deepEqual(errors, []);
        await ctx.close();
      });
    }
  } finally {
    await browser.close();
    await server.close();
  }
});
