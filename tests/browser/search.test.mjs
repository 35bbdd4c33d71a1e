// Browser test of the full-text search on dist/index.html (built from the sample reports), in
// headless Chromium at phone and desktop sizes, over http and from file://.
// usage: KANKO_DIST=/path/to/dist node --test tests/browser/search.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
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
};
// A phrase of one sample report's chapter body (01-hajimeni.md), in no title or description.
const SLUG = '2023-kodomo-ibasho-chousa';
const BODY_PHRASE = '食材の寄贈の取り次ぎ';
const squash = (s) => s.normalize('NFKC').replace(/\s+/g, '');

/** The pages of SLUG's PDF on which pdftotext finds `phrase`. */
function pdfPages(slug, phrase) {
  const pdf = path.join(DIST, slug, `${slug}.pdf`);
  const n = +/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))[1];
  const pages = [];
  for (let p = 1; p <= n; p++) {
    const t = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    if (squash(t).includes(squash(phrase))) pages.push(p);
  }
  return pages;
}

let browser, server;
before(async () => {
  assert.ok(DIST && fs.existsSync(path.join(DIST, 'index.html')), 'set KANKO_DIST to a built dist/');
  browser = await chromium.launch(LAUNCH);
  server = await serve(DIST);
});
after(async () => { await browser?.close(); await server?.close(); });

async function open(mode, url) {
  const ctx = await browser.newContext(MODES[mode] || mode);
  const page = await ctx.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon/.test(m.text())) errors.push(m.text()); });
  await page.goto(url, { waitUntil: 'networkidle' });
  return { ctx, page, requests, errors };
}

async function search(page, q) {
  await page.fill('#s-q', q);
  await page.press('#s-q', 'Enter');
  await page.waitForFunction(() => {
    const s = document.getElementById('s-status').textContent;
    return s && !/検索中|Searching/.test(s);
  });
  return page.$$eval('.s-group', (gs) => gs.map((g) => ({
    title: g.querySelector('h3').textContent,
    year: g.querySelector('.s-year').textContent,
    hits: [...g.querySelectorAll('.s-hit')].map((h) => ({
      href: h.querySelector('a.s-page').getAttribute('href'),
      label: h.querySelector('a.s-page').textContent,
      mark: h.querySelector('mark').textContent,
      snippet: h.querySelector('.s-snippet').textContent,
    })),
  })));
}

const indexRequests = (reqs) => reqs.filter((u) => /\/search\/[id]\d+\.js$|\/search\/\d+\.js$/.test(u));

for (const mode of Object.keys(MODES)) {
  test(`${mode}: nothing of the index loads before the first search; a body phrase finds its report and pdftotext's page`, async () => {
    const { ctx, page, requests, errors } = await open(mode, server.url + '/index.html');
    try {
      assert.equal(await page.isVisible('#s-q'), true, 'the search box is shown with JavaScript');
      await page.focus('#s-q');
      await page.waitForTimeout(300);
      assert.deepEqual(indexRequests(requests), [], 'no index file before the first search');
      const expected = pdfPages(SLUG, BODY_PHRASE);
      assert.ok(expected.length >= 1, `pdftotext finds ${BODY_PHRASE} in ${SLUG}.pdf`);
      const groups = await search(page, BODY_PHRASE);
      assert.ok(indexRequests(requests).length > 0, 'the search loaded index shards');
      assert.equal(groups.length, 1, `only one report has the phrase: ${JSON.stringify(groups)}`);
      const hits = groups[0].hits;
      assert.deepEqual(hits.map((h) => +/#p=(\d+)/.exec(h.href)[1]), expected, 'the pages pdftotext finds');
      assert.ok(hits[0].href.startsWith(`${SLUG}/reader/index.html#p=${expected[0]}&q=`), hits[0].href);
      assert.equal(hits[0].label, `p. ${expected[0]}`);
      assert.equal(squash(hits[0].mark), BODY_PHRASE);
      assert.match(groups[0].year, /年度/);
      const a11y = await new AxeBuilder({ page }).analyze();
      assert.deepEqual(a11y.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], 'axe with results open');
      // The link opens the reader on that page with the hit marked and on screen.
      await page.click('.s-hit a.s-page');
      await page.waitForURL(/reader\/index\.html#p=/);
      await page.waitForSelector('mark.kr-hit', { state: 'attached', timeout: 10000 });
      const onScreen = await page.$eval('mark.kr-hit', (m) => {
        const r = m.getBoundingClientRect();
        const pageEl = m.closest('[data-page]') || m.closest('.kr-page');
        return { w: r.width, h: r.height, top: r.top, bottom: r.bottom, vh: innerHeight, vw: innerWidth, left: r.left, page: pageEl && pageEl.getAttribute('data-page'), text: m.textContent };
      });
      assert.ok(onScreen.w > 0 && onScreen.h > 0, JSON.stringify(onScreen));
      assert.ok(onScreen.top >= 0 && onScreen.bottom <= onScreen.vh && onScreen.left >= 0 && onScreen.left < onScreen.vw, `hit on screen: ${JSON.stringify(onScreen)}`);
      assert.deepEqual(errors, []);
    } finally { await ctx.close(); }
  });

  test(`${mode}: a hiragana reading finds the ruby base; width and kana variants find the same pages`, async () => {
    const { ctx, page, errors } = await open(mode, server.url + '/index.html');
    try {
      const reading = await search(page, 'いばしょ');
      const inReport = reading.find((g) => g.hits.some((h) => h.href.startsWith(SLUG + '/')));
      assert.ok(inReport, `いばしょ finds ${SLUG}: ${JSON.stringify(reading).slice(0, 400)}`);
      assert.ok(inReport.hits.some((h) => h.mark === '居場所'), 'the mark is on the base 居場所');
      const links = (gs) => gs.flatMap((g) => g.hits.map((h) => h.href.replace(/&q=.*/, '')));
      const kata = links(await search(page, 'ネットワーク'));
      assert.ok(kata.length > 0, 'ネットワーク is in the samples');
      assert.deepEqual(links(await search(page, 'ﾈｯﾄﾜｰｸ')), kata, 'half-width katakana');
      assert.deepEqual(links(await search(page, 'ねっとわーく')), kata, 'hiragana');
      const wide = links(await search(page, 'ＮＰＯ'));
      assert.ok(wide.length > 0);
      assert.deepEqual(links(await search(page, 'npo')), wide, 'full width and case');
      // Several words: the pages found are those found by each word alone, and no others.
      const both = links(await search(page, '居場所 アンケート'));
      const a = links(await search(page, '居場所')), b = links(await search(page, 'アンケート'));
      assert.ok(both.length > 0 && both.length < a.length, `${both.length} of ${a.length}`);
      for (const l of both) assert.ok(a.includes(l) && b.includes(l), l);
      // English: case-folded words find the English report.
      const en = await search(page, 'MENTORS');
      assert.ok(en.some((g) => g.hits.some((h) => h.href.startsWith('2022-youth-mentoring-en/'))), JSON.stringify(en).slice(0, 300));
      assert.ok(en.flatMap((g) => g.hits).every((h) => /mentors/i.test(h.mark)));
      assert.deepEqual(errors, []);
    } finally { await ctx.close(); }
  });
}

test('file://: the search works without a server', async () => {
  const { ctx, page, errors } = await open('desktop', pathToFileURL(path.join(DIST, 'index.html')).href);
  try {
    const groups = await search(page, BODY_PHRASE);
    assert.equal(groups.length, 1);
    assert.deepEqual(errors, []);
  } finally { await ctx.close(); }
});

test('without JavaScript there is no search box and the list is complete', async () => {
  const { ctx, page } = await open({ ...MODES.phone, javaScriptEnabled: false }, server.url + '/index.html');
  try {
    assert.equal(await page.isVisible('#s-q'), false);
    assert.ok((await page.$$('li.report')).length >= 4);
  } finally { await ctx.close(); }
});
