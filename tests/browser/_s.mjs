import { chromium } from 'playwright-core';
import { serve, SIZES, LAUNCH } from './serve.mjs';
const server = await serve('/tmp/vd');
const browser = await chromium.launch(LAUNCH);
for (const [slug, size, z, hash] of [['2021-saigai-volunteer', 'phone', 1, '#p=1'], ['2023-kodomo-ibasho-chousa', 'tablet', 2, '#p=5'], ['2024-chiiki-fukushi-renkei', 'desktop', 4, '#p=4'], ['2024-chiiki-fukushi-renkei', 'phone', 2, '#p=6']]) {
  const ctx = await browser.newContext({ ...SIZES[size], reducedMotion: 'reduce' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto(`${server.url}/${slug}/reader/index.html${hash}`, { waitUntil: 'load' });
  await page.waitForTimeout(1200);
  for (let f = 1; f < z; f *= 1.5) { await page.click('#kr-zin'); }
  await page.waitForTimeout(400);
  await page.screenshot({ path: `/tmp/shot-${size}-${z}.png` });
  await ctx.close();
}
await browser.close(); await server.close();
