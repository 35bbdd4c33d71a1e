// Browser test of `[site]` in kanko.toml (issue 30) and of the phone catalog's first screen
// (issue 31, item 10).
//
// A fixture site is built with the kanko binary (KANKO_BIN, default target/release/kanko): six tiny
// reports of six 年度, an organisation with a home page, an SVG logo (with a script and event
// attributes that must not survive), an accent colour and three footer links (one with markup in its
// title, which must show as text). The expectations come from the fixture below, not from the output.
// It checks the catalog, a report page and the reader at phone and desktop size, latest.html inside
// an iframe of a test page (5 newest, links to the right reader and PDF), and that the first report
// (cover, 年度, title) is on the first screen at 360×640 and 390×844, for the fixture and, when
// KANKO_DIST is set, for the shared test catalog too.
// KANKO_SHOTS=<folder>: also save screenshots (390×844 and 1280×800) there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { serve, LAUNCH as BASE_LAUNCH } from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = process.env.KANKO_BIN || path.join(here, '..', '..', 'target', 'release', 'kanko');
const LAUNCH = { ...BASE_LAUNCH, executablePath: process.env.KANKO_CHROMIUM || BASE_LAUNCH.executablePath };
const SHOTS = process.env.KANKO_SHOTS && path.resolve(process.env.KANKO_SHOTS);
const SHARED = process.env.KANKO_DIST && path.resolve(process.env.KANKO_DIST);

import { ORG, HOME, BASE, ACCENT_RGB, LINKS, newest, writeSite } from './site-fixture.mjs';

const haveBin = fs.existsSync(BIN);
let tmp, dist, server, shared, browser;
before(async () => {
  if (!haveBin) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kanko-site-'));
  dist = writeSite(BIN, tmp);
  server = await serve(dist);
  if (SHARED && fs.existsSync(path.join(SHARED, 'index.html'))) shared = await serve(SHARED);
  browser = await chromium.launch(LAUNCH);
  if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
  await shared?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const MODES = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
};

async function open(mode, url, size = MODES[mode]) {
  const ctx = await browser.newContext(size);
  const page = await ctx.newPage();
  const errors = [], failed = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  // Nothing leaves loopback: the organisation's pages are checked as links, never loaded.
  await ctx.route((u) => !/^http:\/\/127\.0\.0\.1[:/]/.test(u.href), (r) => r.abort());
  await page.goto(url, { waitUntil: 'networkidle' });
  return { ctx, page, errors, failed };
}

async function axe(page, where) {
  const res = await new AxeBuilder({ page }).analyze();
  const msg = res.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    ')}`).join('\n  ');
  assert.equal(res.violations.length, 0, `${where}: axe violations\n  ${msg}`);
}

async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `site-${name}.png`) });
}

/** The logo: the sanitized file, loaded and drawn at a sensible size. */
async function checkLogo(page, sel, where) {
  const logo = await page.$eval(sel, (img) => ({ w: img.naturalWidth, h: img.getBoundingClientRect().height, src: img.getAttribute('src'), alt: img.alt, complete: img.complete }));
  assert.ok(logo.complete && logo.w > 0, `${where}: the logo did not load (${logo.src})`);
  assert.match(logo.src, /site-logo\.svg$/, `${where}: logo src`);
  assert.ok(logo.h >= 24 && logo.h <= 64, `${where}: logo drawn ${logo.h}px high`);
  assert.equal(logo.alt, '', `${where}: the logo beside the name is not read twice`);
}

async function noOverflow(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${where}: page scrolls sideways by ${overflow}px`);
}

test('the fixture: the logo is sanitized, the block and its fragment are written', { skip: !haveBin && `no kanko binary at ${BIN}` }, () => {
  const svg = fs.readFileSync(path.join(dist, 'site-logo.svg'), 'utf8');
  assert.ok(!/script|onload|onclick|__xss/i.test(svg), `the logo keeps something scriptable:\n${svg}`);
  assert.match(svg, /<path/);
  const latest = fs.readFileSync(path.join(dist, 'latest.html'), 'utf8');
  assert.ok(!/<script/i.test(latest), 'latest.html has a script');
  assert.ok(!/<link rel="stylesheet"/.test(latest), 'latest.html needs a stylesheet');
  assert.ok(!latest.includes('<img src=x'), 'a title reached latest.html as markup');
  const frag = fs.readFileSync(path.join(dist, 'latest-fragment.html'), 'utf8');
  assert.ok(!/<script|<html|<body/i.test(frag), 'the fragment is not a fragment');
  assert.match(frag, /^<!--[^>]*-->\n<section class="kanko-latest" lang="ja" aria-labelledby="kanko-latest-h">/);
  for (const r of newest.slice(0, 5)) {
    assert.ok(frag.includes(`href="${BASE}${r.slug}/reader/index.html"`), `fragment: no absolute reader link for ${r.slug}`);
  }
  assert.ok(!frag.includes(newest[5].slug), 'the fragment lists a sixth report');
  // every <style> rule of the fragment is scoped to the block, so it cannot restyle the CMS page
  const css = frag.match(/<style>([^<]*)<\/style>/)[1];
  for (const rule of css.split('}').filter((r) => r.trim())) assert.match(rule.trim(), /^\.kanko-latest/, `unscoped rule: ${rule}`);
});

for (const mode of Object.keys(MODES)) {
  test(`the organisation on the catalog @ ${mode}`, { skip: !haveBin && 'no kanko binary', timeout: 60_000 }, async () => {
    const { ctx, page, errors, failed } = await open(mode, `${server.url}/index.html`);
    try {
      const brand = page.locator('header.site-header .brand a');
      assert.equal(await brand.getAttribute('href'), HOME);
      assert.equal((await brand.textContent()).trim(), ORG);
      assert.ok(await brand.isVisible());
      await checkLogo(page, 'header .brand img', 'catalog');
      const links = await page.$$eval('footer .site-links a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
      assert.deepEqual(links, [[ORG, HOME], ...LINKS.map((l) => [l.title, l.url])], 'footer links');
      for (const a of await page.locator('footer .site-links a').all()) assert.ok(await a.isVisible());
      // the accent: the primary buttons and the links
      assert.equal(await page.$eval('.report .btn.primary', (b) => getComputedStyle(b).backgroundColor), ACCENT_RGB);
      assert.equal(await page.$eval('footer .site-links a', (a) => getComputedStyle(a).color), ACCENT_RGB);
      assert.equal(await page.$eval('link[rel=canonical]', (l) => l.href), `${BASE}index.html`);
      assert.equal(await page.$eval('meta[property="og:site_name"]', (m) => m.content), ORG);
      const ld = JSON.parse(await page.$eval('script[type="application/ld+json"]', (s) => s.textContent));
      assert.equal(ld.publisher.name, ORG);
      assert.equal(ld.publisher.url, HOME);
      assert.equal(ld.publisher.logo.url, `${BASE}site-logo.svg`);
      await noOverflow(page, 'catalog');
      await axe(page, `catalog @ ${mode}`);
      assert.equal(await page.evaluate(() => window.__xss), undefined, 'markup ran');
      assert.deepEqual(errors, []);
      assert.deepEqual(failed, []);
      await shot(page, `catalog-${mode}`);
    } finally {
      await ctx.close();
    }
  });

  test(`the organisation on a report page @ ${mode}`, { skip: !haveBin && 'no kanko binary', timeout: 60_000 }, async () => {
    const r = newest[0];
    const { ctx, page, errors, failed } = await open(mode, `${server.url}/${r.slug}/index.html`);
    try {
      const brand = page.locator('header .brand a');
      assert.equal(await brand.getAttribute('href'), HOME);
      assert.equal((await brand.textContent()).trim(), ORG);
      assert.ok(await brand.isVisible());
      await checkLogo(page, 'header .brand img', 'report page');
      const back = page.locator('header .back a');
      assert.ok(await back.isVisible());
      assert.equal(await back.evaluate((a) => a.href), `${server.url}/index.html`);
      const links = await page.$$eval('footer .site-links a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
      assert.deepEqual(links, [[ORG, HOME], ...LINKS.map((l) => [l.title, l.url])]);
      assert.equal(await page.$eval('.btn.primary', (b) => getComputedStyle(b).backgroundColor), ACCENT_RGB);
      assert.equal(await page.$eval('link[rel=canonical]', (l) => l.href), `${BASE}${r.slug}/index.html`);
      assert.equal(await page.$eval('meta[property="og:site_name"]', (m) => m.content), ORG);
      const ld = JSON.parse(await page.$eval('script[type="application/ld+json"]', (s) => s.textContent));
      assert.deepEqual([ld.publisher.name, ld.publisher.url, ld.publisher.logo.url], [ORG, HOME, `${BASE}site-logo.svg`]);
      await noOverflow(page, 'report page');
      await axe(page, `report page @ ${mode}`);
      assert.deepEqual(errors, []);
      assert.deepEqual(failed, []);
      await shot(page, `report-${mode}`);
    } finally {
      await ctx.close();
    }
  });

  test(`the organisation in the reader's menu @ ${mode}`, { skip: !haveBin && 'no kanko binary', timeout: 60_000 }, async () => {
    const r = newest[0];
    const { ctx, page, errors, failed } = await open(mode, `${server.url}/${r.slug}/reader/index.html`);
    try {
      await page.waitForSelector('.kr-page[data-page="1"] .kr-draw svg');
      // the organisation's colour along the top bar
      assert.match(await page.$eval('.kr-top', (e) => getComputedStyle(e).boxShadow), new RegExp(ACCENT_RGB.replace(/[()]/g, '\\$&')));
      assert.equal(await page.isVisible('.kr-org'), false, 'the menu is closed at first');
      await page.click('#kr-b-toc');
      const home = page.locator('#kr-p-toc .kr-org-home');
      await home.waitFor();
      assert.equal(await home.getAttribute('href'), HOME);
      assert.equal((await home.textContent()).trim(), ORG);
      await home.scrollIntoViewIfNeeded();
      assert.ok(await home.isVisible());
      await checkLogo(page, '.kr-org-home img', 'reader');
      const links = await page.$$eval('#kr-p-toc .kr-org li a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
      assert.deepEqual(links, LINKS.map((l) => [l.title, l.url]));
      assert.equal(await page.$eval('link[rel=canonical]', (l) => l.href), `${BASE}${r.slug}/reader/index.html`);
      await axe(page, `reader with its menu open @ ${mode}`);
      assert.deepEqual(errors, []);
      assert.deepEqual(failed, []);
      await shot(page, `reader-menu-${mode}`);
      // text mode carries its canonical link
      await page.goto(`${server.url}/${r.slug}/reader/text.html`, { waitUntil: 'networkidle' });
      assert.equal(await page.$eval('link[rel=canonical]', (l) => l.href), `${BASE}${r.slug}/reader/text.html`);
    } finally {
      await ctx.close();
    }
  });

  test(`latest.html in an iframe shows the 5 newest and opens the right reader and PDF @ ${mode}`, { skip: !haveBin && 'no kanko binary', timeout: 90_000 }, async () => {
    const { ctx, page, errors, failed } = await open(mode, `${server.url}/home-test.html`);
    try {
      const frame = page.frameLocator('#latest');
      const f = page.frame({ url: /latest\.html$/ });
      assert.ok(f, 'no latest.html frame');
      assert.equal(await f.evaluate(() => document.documentElement.lang), 'ja');
      assert.equal(await f.evaluate(() => document.scripts.length), 0, 'latest.html runs a script');
      // its accessible name: the document's title and the main landmark's heading
      assert.match(await f.title(), new RegExp(`最新の報告書 — ${ORG}`));
      assert.equal(await f.evaluate(() => document.getElementById(document.querySelector('main').getAttribute('aria-labelledby')).textContent), '最新の報告書');
      const items = await f.$$eval('.lt-item', (lis) => lis.map((li) => ({
        title: li.querySelector('.lt-title').textContent,
        year: li.querySelector('.lt-year').textContent,
        reader: li.querySelector('a.lt-read').href,
        pdf: [...li.querySelectorAll('.lt-links a')].find((a) => a.textContent.startsWith('PDF')).href,
        cover: li.querySelector('img').naturalWidth,
        top: li.querySelector('a.lt-read').target,
      })));
      assert.deepEqual(items.map((i) => i.title), newest.slice(0, 5).map((r) => r.title), 'the 5 newest, newest first');
      for (const [i, it] of items.entries()) {
        const r = newest[i];
        assert.ok(it.year.includes(`${r.year}年度`), `${r.slug}: year ${it.year}`);
        assert.equal(it.reader, `${server.url}/${r.slug}/reader/index.html`);
        assert.equal(it.pdf, `${server.url}/${r.slug}/${r.slug}.pdf`);
        assert.ok(it.cover > 0, `${r.slug}: cover not loaded`);
        assert.equal(it.top, '_top', 'links open in the embedding page');
      }
      // the organisation's colour; every item inside the iframe's width
      assert.equal(await frame.locator('a.lt-read').first().evaluate((a) => getComputedStyle(a).backgroundColor), ACCENT_RGB);
      assert.equal(await f.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'the block scrolls sideways');
      const cols = await f.$$eval('.lt-item', (lis) => new Set(lis.map((li) => Math.round(li.getBoundingClientRect().left))).size);
      assert.ok(mode === 'phone' ? cols === 1 : cols >= 3, `${cols} column(s) at ${mode}`);
      await axe(page, `home page with latest.html @ ${mode}`);
      await shot(page, `latest-${mode}`);
      // the PDF link serves the PDF
      const pdf = await page.request.get(items[0].pdf);
      assert.equal(pdf.status(), 200);
      assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
      // the reader link opens that report's reader in the embedding window
      await frame.locator('a.lt-read').nth(1).click();
      await page.waitForURL(`${server.url}/${newest[1].slug}/reader/index.html`);
      await page.waitForSelector('.kr-page[data-page="1"] .kr-draw svg');
      assert.match(await page.title(), new RegExp(newest[1].title));
      assert.equal(await page.evaluate(() => window.__xss), undefined, 'markup ran');
      assert.deepEqual(errors, []);
      assert.deepEqual(failed, []);
    } finally {
      await ctx.close();
    }
  });
}

// ---- issue 31, item 10: the first report on a phone's first screen ----
const SMALL = {
  '360×640': { viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  '390×844': { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
};
for (const [size, opts] of Object.entries(SMALL)) {
  for (const which of ['fixture', 'shared']) {
    test(`the first report's cover, 年度 and title on the first screen at ${size} (${which} catalog)`, {
      skip: (!haveBin && 'no kanko binary') || (which === 'shared' && !SHARED && 'KANKO_DIST not set'), timeout: 60_000,
    }, async () => {
      const url = which === 'fixture' ? server.url : shared.url;
      const { ctx, page, errors } = await open('phone', `${url}/index.html`, opts);
      try {
        const h = opts.viewport.height;
        const first = page.locator('#reports > li.report').first();
        for (const [sel, what] of [['.cover img', 'cover'], ['.year', '年度'], ['h2', 'title']]) {
          const b = await first.locator(sel).boundingBox();
          assert.ok(b, `${what}: not laid out`);
          assert.ok(b.y >= 0 && b.y + b.height <= h, `${what} ends at ${Math.round(b.y + b.height)}px, below the first screen (${h}px)`);
        }
        // the full-text search stays; the filters are folded behind one button
        if (which === 'fixture' || await page.isVisible('#search')) assert.ok(await page.isVisible('#s-q'), 'the search box is gone');
        const toggle = page.locator('#f-toggle');
        assert.ok(await toggle.isVisible());
        assert.equal(await page.isVisible('#f-year'), false, 'the filters are not folded');
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        await noOverflow(page, size);
        assert.deepEqual(errors, []);
        if (which === 'fixture' && size === '390×844') await shot(page, 'catalog-first-screen-390');
        if (which === 'fixture' && size === '360×640') await shot(page, 'catalog-first-screen-360');
      } finally {
        await ctx.close();
      }
    });
  }
}

test('the folded filters: keyboard, the count of active ones, a shared link, and desktop unchanged', { skip: !haveBin && 'no kanko binary', timeout: 60_000 }, async () => {
  const { ctx, page, errors } = await open('phone', `${server.url}/index.html`, SMALL['360×640']);
  try {
    const toggle = page.locator('#f-toggle');
    assert.equal((await toggle.textContent()).trim(), '絞り込み');
    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok(await page.isVisible('#f-year'));
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-year', 'Tab after the button reaches the first filter');
    await page.selectOption('#f-year', String(newest[0].year));
    await page.selectOption('#f-project', '子どもの居場所づくり事業');
    assert.equal((await toggle.textContent()).trim(), '絞り込み（2件）');
    await axe(page, 'filters open at 360×640');
    await page.click('#f-toggle');
    assert.equal(await page.isVisible('#f-year'), false);
    assert.equal((await toggle.textContent()).trim(), '絞り込み（2件）', 'the count shows while folded');
    assert.equal(await page.locator('#reports > li.report:visible').count(), 1);
    // a shared link with filters opens them
    await page.goto(`${server.url}/index.html?year=${newest[1].year}`, { waitUntil: 'networkidle' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok(await page.isVisible('#f-year'));
    assert.equal((await toggle.textContent()).trim(), '絞り込み（1件）');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
  const d = await open('desktop', `${server.url}/index.html`);
  try {
    assert.equal(await d.page.isVisible('#f-toggle'), false, 'the fold button shows on a desktop');
    for (const id of ['#f-year', '#f-funder', '#f-project', '#f-q']) assert.ok(await d.page.isVisible(id), `${id} hidden on a desktop`);
    // the desktop layout: the three selects side by side in one row
    const tops = await d.page.$$eval('#f-year, #f-funder, #f-project', (s) => s.map((e) => Math.round(e.getBoundingClientRect().top)));
    assert.equal(new Set(tops).size, 1, `selects not in one row: ${tops}`);
  } finally {
    await d.ctx.close();
  }
});
