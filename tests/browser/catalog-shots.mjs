// Screenshots of the catalog index and one report page at phone and desktop sizes.
// usage: KANKO_DIST=dist node tests/browser/catalog-shots.mjs [outdir=/tmp/catalog-shots] [slug]
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const DIST = path.resolve(process.env.KANKO_DIST || 'dist');
const OUT = path.resolve(process.argv[2] || '/tmp/catalog-shots');
const cat = JSON.parse(fs.readFileSync(path.join(DIST, 'catalog.json'), 'utf8'));
const slug = process.argv[3] || cat.reports[0]?.slug;
fs.mkdirSync(OUT, { recursive: true });

const sizes = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
};
const server = await serve(DIST);
const browser = await chromium.launch({
  executablePath: process.env.KANKO_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  for (const [name, opts] of Object.entries(sizes)) {
    const ctx = await browser.newContext(opts);
    const page = await ctx.newPage();
    let bytes = 0;
    const seen = [];
    page.on('response', async (r) => { try { const b = await r.body(); bytes += b.length; seen.push(`${b.length}\t${r.url().replace(server.url, '')}`); } catch {} });
    await page.goto(`${server.url}/index.html`, { waitUntil: 'networkidle' });
    console.log(`${name}: index.html initial load ${bytes} bytes\n  ${seen.join('\n  ')}`);
    await page.screenshot({ path: path.join(OUT, `index-${name}.png`) });
    await page.screenshot({ path: path.join(OUT, `index-${name}-full.png`), fullPage: true });
    await page.selectOption('#f-year', String(cat.reports.at(-1).fiscal_year));
    await page.screenshot({ path: path.join(OUT, `index-${name}-filtered.png`) });
    await page.emulateMedia({ media: 'print' });
    await page.goto(`${server.url}/index.html`, { waitUntil: 'networkidle' });
    await page.screenshot({ path: path.join(OUT, `index-${name}-print.png`), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${server.url}/${slug}/index.html`, { waitUntil: 'networkidle' });
    await page.screenshot({ path: path.join(OUT, `report-${name}.png`) });
    await page.screenshot({ path: path.join(OUT, `report-${name}-full.png`), fullPage: true });
    await ctx.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`screenshots in ${OUT}`);
