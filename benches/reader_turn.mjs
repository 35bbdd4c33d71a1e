// Phone first view bytes and page-turn time of the reader under 4× CPU throttling (CDP
// Emulation.setCPUThrottlingRate). usage: node benches/reader_turn.mjs DIST [slug…]
// First view = the page and every resource requested until page 1 is drawn; the next page,
// prefetched after that when the browser is idle, is its own column. A turn is timed from the
// key press to the second animation frame after the page's drawing is in (so it has been painted).
import path from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const { serve, readerSlugs, SIZES, LAUNCH, watchFirstDraw, firstView } = await import('../tests/browser/serve.mjs');

const dist = path.resolve(process.argv[2]);
const slugs = process.argv.length > 3 ? process.argv.slice(3) : readerSlugs(dist).filter((s, i, a) => i % Math.ceil(a.length / 6) === 0);
const server = await serve(dist);
const browser = await chromium.launch(LAUNCH);
console.log('| report | phone first view KB | requests | then prefetched KB | page turn median ms (4× throttle) | p90 ms | max ms |');
console.log('|---|---|---|---|---|---|---|');
try {
  for (const slug of slugs) {
    const ctx = await browser.newContext(SIZES.phone);
    const page = await ctx.newPage();
    await watchFirstDraw(page);
    await page.goto(`${server.url}/${slug}/reader/index.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__drawnAt);
    await page.waitForTimeout(1000);
    const { first, n: nreq, later } = await firstView(page);
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const times = [];
    const n = await page.evaluate(() => window.KANKO_BOOK.pageCount);
    const rtl = await page.evaluate(() => window.KANKO_BOOK.direction === 'rtl');
    for (let p = 2; p <= Math.min(n, 12); p++) {
      await page.waitForTimeout(400); // neighbours prefetched as a reader pausing on a page would allow
      const ms = await page.evaluate(([p, rtl]) => new Promise((ok) => {
        const t0 = performance.now();
        document.dispatchEvent(new KeyboardEvent('keydown', { key: rtl ? 'ArrowLeft' : 'ArrowRight', bubbles: true }));
        const check = () => {
          const d = document.querySelector(`.kr-page[data-page="${p}"] .kr-draw`);
          if (d && d.kDrawn) requestAnimationFrame(() => requestAnimationFrame(() => ok(performance.now() - t0)));
          else setTimeout(check, 2);
        };
        check();
      }), [p, rtl]);
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    const q = (f) => times[Math.min(times.length - 1, Math.floor(times.length * f))].toFixed(0);
    console.log(`| ${slug} | ${(first / 1024).toFixed(1)} | ${nreq} | ${(later / 1024).toFixed(1)} | ${q(0.5)} | ${q(0.9)} | ${q(1)} |`);
    await ctx.close();
  }
} finally { await browser.close(); await server.close(); }
