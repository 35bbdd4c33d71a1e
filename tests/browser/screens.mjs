// Saves screenshots of every reader in a dist/ folder at phone, tablet and desktop sizes.
// usage: KANKO_DIST=dist node screens.mjs <outDir>     (KANKO_DIST defaults to ../../dist)
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve, readerSlugs, SIZES, LAUNCH } from './serve.mjs';

const outDir = process.argv[2];
if (!outDir) { console.error('usage: node screens.mjs <outDir>'); process.exit(2); }
const dist = path.resolve(process.env.KANKO_DIST || new URL('../../dist', import.meta.url).pathname);
fs.mkdirSync(outDir, { recursive: true });

const server = await serve(dist);
const browser = await chromium.launch(LAUNCH);
try {
  for (const slug of readerSlugs(dist)) {
    for (const [name, opts] of Object.entries(SIZES)) {
      const ctx = await browser.newContext(opts);
      const page = await ctx.newPage();
      page.on('console', (m) => { if (m.type() === 'error') console.error(`[${slug}/${name}] ${m.text()}`); });
      page.on('pageerror', (e) => console.error(`[${slug}/${name}] ${e.message}`));
      const shots = [['cover', ''], ['p3', '#p=3']];
      for (const [tag, hash] of shots) {
        await page.goto(`${server.url}/${slug}/reader/index.html${hash}`, { waitUntil: 'load' });
        await page.waitForTimeout(600);
        const file = path.join(outDir, `${slug}-${name}-${tag}.png`);
        await page.screenshot({ path: file });
        console.log(file);
      }
      await page.click('#kr-b-toc');
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(outDir, `${slug}-${name}-toc.png`) });
      await page.keyboard.press('Escape');
      await page.click('#kr-b-thumbs');
      await page.waitForTimeout(600);
      await page.screenshot({ path: path.join(outDir, `${slug}-${name}-thumbs.png`) });
      await ctx.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
