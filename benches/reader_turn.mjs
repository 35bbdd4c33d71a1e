// Phone first view bytes and page-turn time of the reader under 4× CPU throttling (CDP
// Emulation.setCPUThrottlingRate). usage: node benches/reader_turn.mjs DIST [slug…]
import path from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const { serve, readerSlugs, SIZES, LAUNCH } = await import('../tests/browser/serve.mjs');

const dist = path.resolve(process.argv[2]);
const slugs = process.argv.length > 3 ? process.argv.slice(3) : readerSlugs(dist).filter((s, i, a) => i % Math.ceil(a.length / 6) === 0);
const server = await serve(dist);
const browser = await chromium.launch(LAUNCH);
console.log('| report | phone first view KB | requests | page turn median ms (4× throttle) | max ms |');
console.log('|---|---|---|---|---|');
try {
  for (const slug of slugs) {
    const ctx = await browser.newContext(SIZES.phone);
    const page = await ctx.newPage();
    const sizes = [];
    page.on('requestfinished', (r) => sizes.push(r.sizes().then((s) => s.responseBodySize).catch(() => 0)));
    await page.goto(`${server.url}/${slug}/reader/index.html`, { waitUntil: 'load' });
    await page.waitForTimeout(1000);
    const nreq = sizes.length, first = (await Promise.all(sizes.splice(0))).reduce((a, b) => a + b, 0);
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
    console.log(`| ${slug} | ${(first / 1024).toFixed(1)} | ${nreq} | ${times[Math.floor(times.length / 2)].toFixed(0)} | ${times[times.length - 1].toFixed(0)} |`);
    await ctx.close();
  }
} finally { await browser.close(); await server.close(); }
