// 読み上げ (speech.js) and the text mode's 表示設定, in headless Chromium. Chromium has no voices
// here, so speechSynthesis is replaced by a recorder (speech-recorder.mjs) and the tests assert
// what would be spoken.
//
// The fixture report tests/browser/fixtures/speech is built with the kanko binary (KANKO_BIN,
// default target/release/kanko) into a temporary folder: its sentences are written down here by
// hand from the manuscript. The settings and axe checks also run on every report of KANKO_DIST.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { serve, readerSlugs, SIZES, LAUNCH } from './serve.mjs';
import { recorderScript } from './speech-recorder.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const BIN = process.env.KANKO_BIN || path.join(repo, 'target', 'release', 'kanko');
const DIST = process.env.KANKO_DIST && path.resolve(process.env.KANKO_DIST);
const axeIds = (res) => res.violations.map((v) => `${v.id}: ${v.nodes.map((x) => x.target).join(' ')}`);

// What the fixture's text mode must say, in order, up to the filler paragraphs.
const EXPECTED = [
  '子どもの居場所',
  '子どものいばしょは大切です。', // ruby spoken by its reading, once; the footnote marker is not spoken
  '彼は「行きます。待っていて。」と言った。', // one sentence: 。 inside 「…」 that runs on does not split
  '注1、注の本文です。', // the footnote, at the end of the paragraph that refers to it
  '一つ目の項目',
  '二つ目の項目',
  '表、2行。',
  '地区：北、人数：12。', // row by row, each cell with its column header
  '地区：南、人数：8。',
  'コードブロック、2行（読み上げは省略）。', // code announced, not spelled out
  '2024年に調査した。', // full-width digits given to the voice as a number
  'この段落はページを送るための文章です。',
];

const haveBin = fs.existsSync(BIN);
let server, browser, fixtureDist;

before(async () => {
  browser = await chromium.launch(LAUNCH);
  if (haveBin) {
    fixtureDist = fs.mkdtempSync(path.join(os.tmpdir(), 'kanko-speech-'));
    const reports = path.join(fixtureDist, 'reports');
    fs.mkdirSync(reports);
    fs.cpSync(path.join(here, 'fixtures', 'speech'), path.join(reports, 'speech'), { recursive: true });
    execFileSync(BIN, ['build', '--reports', reports, '--out', path.join(fixtureDist, 'dist')], { stdio: 'pipe' });
    server = await serve(path.join(fixtureDist, 'dist'));
  }
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (fixtureDist) fs.rmSync(fixtureDist, { recursive: true, force: true });
});

async function open(url, opts = SIZES.desktop, voices) {
  const ctx = await browser.newContext(opts);
  await ctx.addInitScript(recorderScript(voices));
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon/.test(m.text())) errors.push(m.text()); });
  await page.goto(url, { waitUntil: 'load' });
  return { ctx, page, errors };
}
const spoken = (page) => page.evaluate(() => window.__spoken.map((u) => u.text));
const finish = (page, n = 1) => page.evaluate((n) => { for (let i = 0; i < n; i++) speechSynthesis.finish(); }, n);

test('read-aloud in text mode: ruby, footnote, list, table, code, sentences', { skip: !haveBin && `no kanko binary at ${BIN}`, timeout: 120_000 }, async () => {
  const { ctx, page, errors } = await open(`${server.url}/speech/reader/text.html`);
  try {
    const read = page.getByRole('button', { name: '読み上げ', exact: true });
    assert.equal(await read.getAttribute('aria-keyshortcuts'), 'Alt+R');
    await read.click();
    await page.waitForFunction(() => window.__spoken.length === 1);
    assert.equal(await page.evaluate(() => window.__spoken[0].lang), 'ja-JP');
    assert.equal(await page.evaluate(() => window.__spoken[0].voice), 'Test 日本語');
    assert.equal(await page.locator('[data-speaking]').evaluate((e) => e.tagName), 'H1');
    const tags = [];
    for (let i = 1; i < EXPECTED.length; i++) {
      await finish(page);
      tags.push(await page.locator('[data-speaking]').evaluate((e) => e.tagName));
    }
    assert.deepEqual(await spoken(page), EXPECTED);
    // data-speaking moved: heading → paragraph → footnote marker → list items → table rows → code → paragraph
    assert.deepEqual(tags.slice(0, 10), ['P', 'P', 'SUP', 'LI', 'LI', 'TABLE', 'TR', 'TR', 'PRE', 'P']);
    assert.equal(await page.locator('[data-speaking]').count(), 1, 'one element is marked at a time');
    // The marked element is kept in view.
    await finish(page, 20);
    await page.waitForFunction(() => {
      const r = document.querySelector('[data-speaking]').getBoundingClientRect();
      return r.top < innerHeight - document.getElementById('ks-bar').offsetHeight && r.bottom > 0;
    }, null, { timeout: 5000 }).catch(() => {});
    const box = await page.locator('[data-speaking]').boundingBox();
    const vh = page.viewportSize().height - (await page.locator('#ks-bar').boundingBox()).height;
    assert.ok(box && box.y < vh && box.y + box.height > 0, `the sentence being read is on screen above the bar (y=${box && box.y}, visible to ${vh})`);
    // Pause: nothing more is spoken until resumed; resume carries on; speed applies to the next sentence.
    const n = (await spoken(page)).length;
    await page.click('#ks-pause');
    assert.equal(await page.evaluate(() => speechSynthesis.paused), true);
    assert.equal(await page.evaluate(() => speechSynthesis.finish()), false, 'a paused voice does not end');
    assert.equal((await spoken(page)).length, n);
    assert.equal(await page.getAttribute('#ks-pause', 'aria-label'), '再開');
    await page.click('#ks-pause');
    assert.equal(await page.evaluate(() => speechSynthesis.paused), false);
    await page.selectOption('#ks-rate', '1.5');
    await page.waitForFunction((n) => window.__spoken.length === n + 1, n);
    assert.equal(await page.evaluate(() => window.__spoken.at(-1).rate), 1.5, 'speed change restarts the sentence at the new rate');
    // Stop: the mark goes, nothing more is spoken.
    await page.click('#ks-stop');
    assert.equal(await page.locator('[data-speaking]').count(), 0);
    const m = (await spoken(page)).length;
    await finish(page, 3);
    assert.equal((await spoken(page)).length, m, 'stopped means silent');
    // Alt+R starts again, from the text on screen; the speed was remembered.
    await page.keyboard.press('Alt+r');
    await page.waitForFunction((m) => window.__spoken.length === m + 1, m);
    assert.equal(await page.evaluate(() => window.__spoken.at(-1).rate), 1.5);
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => KankoSpeech.state()), 'idle');
    const res = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(axeIds(res), [], 'axe with the read-aloud bar open');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('Japanese sentence splitting and numbers', { skip: !haveBin && `no kanko binary at ${BIN}` }, async () => {
  const { ctx, page } = await open(`${server.url}/speech/reader/text.html`);
  try {
    const cut = (s) => page.evaluate((s) => KankoSpeech.split(s).map((r) => s.slice(r[0], r[1])), s);
    assert.deepEqual(await cut('雨でした。「はい。」「いいえ。」彼は来た！本当？'), ['雨でした。', '「はい。」', '「いいえ。」', '彼は来た！', '本当？']);
    assert.deepEqual(await cut('「行きます。待って。」と言った。次です。'), ['「行きます。待って。」と言った。', '次です。']);
    assert.deepEqual(await cut('結果（詳細は後述。）を示す。以上。'), ['結果（詳細は後述。）を示す。', '以上。']);
    assert.deepEqual(await cut('「まだです。」田中さんは言った。'), ['「まだです。」', '田中さんは言った。']);
    assert.deepEqual(await cut('It was 3.5 km. Mr. Smith came. Done!'), ['It was 3.5 km.', 'Mr. Smith came.', 'Done!']);
    assert.deepEqual(await cut('令和6年度は2024年です。'), ['令和6年度は2024年です。']);
    const v = (s) => page.evaluate((s) => KankoSpeech.voiceText(s), s);
    assert.equal(await v('２０２４年　１，２３４人'), '2024年 1,234人');
    assert.equal(await v('令和６年度'), '令和6年度');
  } finally {
    await ctx.close();
  }
});

test('read-aloud in page view turns the page', { skip: !haveBin && `no kanko binary at ${BIN}`, timeout: 120_000 }, async () => {
  const { ctx, page, errors } = await open(`${server.url}/speech/reader/index.html`, SIZES.phone);
  try {
    const N = await page.evaluate(() => window.KANKO_BOOK.pageCount);
    assert.ok(N >= 2, 'the fixture has at least two pages');
    await page.getByRole('button', { name: '読み上げ', exact: true }).click();
    await page.waitForFunction(() => window.__spoken.length === 1);
    assert.equal((await spoken(page))[0], EXPECTED[0]);
    const now = page.locator('.ks-now[data-speaking]');
    assert.equal(await now.textContent(), '子どもの居場所');
    await finish(page);
    // The caption shows the sentence as printed, with its ruby; the voice got the reading.
    assert.equal(await page.locator('.ks-now ruby rt').textContent(), 'いばしょ');
    assert.equal((await spoken(page))[1], EXPECTED[1]);
    // Reading starts on page 1, which is the cover: the reader has turned to the chapter's page.
    const hashPage = async () => +(/#p=(\d+)/.exec(await page.evaluate(() => location.hash)) || [0, 0])[1];
    const p0 = await hashPage();
    assert.ok(p0 >= 1 && p0 < N, `turned to the first page with text (${p0})`);
    // Read until the text on the next page: the reader turns to it and announces it.
    for (let i = 0; i < 400 && (await hashPage()) === p0; i++) await finish(page);
    assert.equal(await hashPage(), p0 + 1);
    assert.ok(await page.locator(`.kr-page[data-page="${p0 + 1}"]`).isVisible());
    assert.equal(await page.locator('#kr-live').textContent(), `${p0 + 1} / ${N}ページ`);
    await page.click('#ks-stop');
    assert.equal(await page.evaluate(() => KankoSpeech.state()), 'idle');
    const res = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(axeIds(res), [], 'axe with the read-aloud bar open');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('no voice for the language: a clear message, not silence', { skip: !haveBin && `no kanko binary at ${BIN}`, timeout: 60_000 }, async () => {
  const { ctx, page } = await open(`${server.url}/speech/reader/text.html`, SIZES.phone, [{ name: 'Only English', lang: 'en-US' }]);
  try {
    await page.getByRole('button', { name: '読み上げ', exact: true }).click();
    await page.waitForFunction(() => /日本語の読み上げ音声がありません/.test(document.querySelector('.ks-msg').textContent), null, { timeout: 5000 });
    assert.equal(await page.getAttribute('.ks-msg', 'role'), 'status');
    assert.ok(await page.locator('.ks-msg').isVisible());
    assert.deepEqual(await spoken(page), []);
  } finally {
    await ctx.close();
  }
});

if (DIST) {
  for (const slug of readerSlugs(DIST)) {
    test(`text mode settings: ${slug}`, { timeout: 120_000 }, async () => {
      const srv = await serve(DIST);
      const c = await browser.newContext(SIZES.phone);
      const p = await c.newPage();
      const errs = [];
      p.on('pageerror', (e) => errs.push(String(e)));
      try {
        await p.goto(`${srv.url}/${slug}/reader/text.html`, { waitUntil: 'load' });
        const para = p.locator('main p').first();
        const px = async () => parseFloat(await para.evaluate((e) => getComputedStyle(e).fontSize));
        const colors = () => p.evaluate(() => { const s = getComputedStyle(document.body); return [s.color, s.backgroundColor]; });
        const base = await px();
        const baseColors = await colors();
        await p.getByRole('button', { name: /^(表示設定|Display settings)$/ }).click();
        assert.equal(await p.evaluate(() => document.activeElement.id), 'tm-size', 'focus moves into the dialog');
        const size = p.getByLabel(/^(文字サイズ|Text size)$/);
        const sizes = await size.locator('option').evaluateAll((os) => os.map((o) => +o.value));
        assert.ok(sizes.length >= 5 && Math.max(...sizes) >= 200, `at least 5 sizes up to 200 %: ${sizes}`);
        await size.selectOption('200');
        assert.ok(Math.abs((await px()) - 2 * base) < 0.6, `200 % doubles the text (${base} → ${await px()})`);
        await p.getByLabel(/^(配色|Colours)$/).selectOption('invert');
        assert.deepEqual(await colors(), ['rgb(255, 255, 255)', 'rgb(0, 0, 0)']);
        await p.getByLabel(/^(行間|Line spacing)$/).selectOption('2.7');
        await p.getByLabel(/^(書体|Typeface)$/).selectOption('gothic');
        const res = await new AxeBuilder({ page: p }).analyze();
        assert.deepEqual(axeIds(res), [], 'axe with the settings dialog open');
        // Tab stays inside the dialog; Esc closes it and focus returns to its button.
        for (let i = 0; i < 12; i++) await p.keyboard.press('Tab');
        assert.ok(await p.evaluate(() => document.getElementById('tm-settings').contains(document.activeElement)), 'focus trapped');
        await p.keyboard.press('Escape');
        assert.equal(await p.evaluate(() => document.activeElement.id), 'tm-b-settings');
        // Reflow at 320 CSS px with large text: no horizontal scrolling (horizontal writing only).
        const vertical = await p.evaluate(() => document.documentElement.classList.contains('vertical'));
        await p.setViewportSize({ width: 320, height: 640 });
        if (!vertical) {
          const over = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.ok(over <= 1, `no horizontal scroll at 320 px (${over}px too wide)`);
        }
        // Remembered after a reload.
        await p.reload({ waitUntil: 'load' });
        assert.ok(Math.abs((await px()) - 2 * base) < 0.6, 'text size survives a reload');
        assert.deepEqual(await colors(), ['rgb(255, 255, 255)', 'rgb(0, 0, 0)'], 'colours survive a reload');
        assert.match(await para.evaluate((e) => getComputedStyle(e).fontFamily), vertical ? /Sans/ : /^"kanko UD Gothic"/);
        if (!vertical) {
          // The shipped UD Gothic, cut to this report's characters, is what draws the text.
          await p.evaluate(() => document.fonts.ready);
          assert.ok(await p.evaluate(() => document.fonts.check('16px "kanko UD Gothic"', '居場所')), 'the UD font is loaded');
          const file = path.join(DIST, slug, 'reader', 'fonts', 'ud-gothic.woff2');
          assert.equal(fs.readFileSync(file).subarray(0, 4).toString('latin1'), 'wOF2', 'the UD font is WOFF2');
          const kb = fs.statSync(file).size / 1024;
          console.log(`# ${slug}: fonts/ud-gothic.woff2 ${kb.toFixed(0)} KB`);
          assert.ok(kb < 1500, `the cut font is small (${kb.toFixed(0)} KB)`);
        }
        const lh = parseFloat(await para.evaluate((e) => getComputedStyle(e).lineHeight));
        assert.ok(Math.abs(lh - 2.7 * 2 * base) < 1, `行間 2.7 survives a reload (${lh}px)`);
        // WCAG 1.4.12 text spacing: with the bookmarklet's overrides nothing is cut off.
        await p.addStyleTag({ content: '* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; } p { margin-bottom: 2em !important; }' });
        const clipped = await p.evaluate(() => [...document.querySelectorAll('main p, main li, main h1, main h2, main td, .tm-top *')]
          .filter((e) => { const s = getComputedStyle(e); return (s.overflow === 'hidden' || s.overflowY === 'hidden') && e.scrollHeight > e.clientHeight + 1; }).length);
        assert.equal(clipped, 0, 'no text clipped with WCAG 1.4.12 spacing');
        // Back to the defaults for the next tests.
        await p.evaluate(() => localStorage.removeItem('kanko-text-settings'));
        await p.reload({ waitUntil: 'load' });
        assert.ok(Math.abs((await px()) - base) < 0.6);
        assert.deepEqual(await colors(), baseColors);
        assert.deepEqual(errs, []);
      } finally {
        await c.close();
        await srv.close();
      }
    });
  }
}
