// Browser test of the filters on a paged catalog (index.html, index-2.html, …): they search every
// report through catalog-data.js, loaded only when a filter is first used.
//
// A fixture site of nine tiny reports is built with the kanko binary (KANKO_BIN, default
// target/release/kanko) and `[catalog] per_page = 2` in kanko.toml, so five index pages; the
// expected matches below come from the fixture's own data, not from the build's output.
// KANKO_SHOTS=<folder>: also save screenshots of the results at phone and desktop size there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { serve, LAUNCH as BASE_LAUNCH } from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = process.env.KANKO_BIN || path.join(here, '..', '..', 'target', 'release', 'kanko');
const LAUNCH = { ...BASE_LAUNCH, executablePath: process.env.KANKO_CHROMIUM || BASE_LAUNCH.executablePath };
const SHOTS = process.env.KANKO_SHOTS && path.resolve(process.env.KANKO_SHOTS);
const PER_PAGE = 2;
const XSS = '<img src=x onerror="window.__xss=1">と書かれた題';

const MIDORI = 'みどり福祉財団', AOZORA = '青空市民基金';
const IBASHO = '子どもの居場所づくり事業', BOUSAI = '地域防災の担い手育成事業';
const REPORTS = [
  { slug: 'kodomo-shokudo-2024', title: '子ども食堂の一年', year: 2024, published: '2025-03-25', funders: [MIDORI], project: IBASHO, description: '市内五か所の子ども食堂の記録です。' },
  { slug: 'gakushu-shien-2023', title: '学習支援教室 活動報告', year: 2023, published: '2024-03-28', funders: [MIDORI, AOZORA], project: IBASHO, description: '中学生の放課後の学びを支えた一年。' },
  { slug: 'kamishibai-2023', title: '読み聞かせと遊びの広場', year: 2023, published: '2024-03-15', funders: [AOZORA], project: IBASHO, description: '紙芝居の会を毎月ひらきました。' },
  { slug: 'hinan-kunren-2023', title: '避難訓練の手引き', year: 2023, published: '2024-02-20', funders: [MIDORI], project: BOUSAI, description: '住民が運営する避難所の訓練。' },
  { slug: 'bousai-map-2023', title: '防災マップづくり', year: 2023, published: '2024-02-20', funders: [AOZORA], project: BOUSAI, description: '地区ごとに危険な場所を歩いて調べた。' },
  { slug: 'ibasho-chosa-2022', title: '居場所の利用者調査', year: 2022, published: '2023-03-30', funders: [MIDORI], project: IBASHO, description: '利用者百二十人への聞き取り。' },
  { slug: 'volunteer-2022', title: '災害ボランティア養成講座', year: 2022, published: '2023-03-10', funders: [AOZORA], project: BOUSAI, description: '講座の内容と受講者の声。' },
  { slug: 'hostile-title-2021', title: XSS, year: 2021, published: '2022-03-18', funders: [MIDORI], project: IBASHO, description: '題に山かっこが入った報告書です。' },
  { slug: 'kyusui-2021', title: '給水所の運営記録', year: 2021, published: '2022-03-01', funders: [AOZORA], project: BOUSAI, description: '断水の三日間の記録。' },
];
const newest = [...REPORTS].sort((a, b) => b.year - a.year || b.published.localeCompare(a.published) || a.slug.localeCompare(b.slug));
const slugs = (rs) => rs.map((r) => r.slug);
const pageOf = (n) => slugs(newest.slice((n - 1) * PER_PAGE, n * PER_PAGE));
const PAGES = Math.ceil(REPORTS.length / PER_PAGE);
const pageFile = (n) => (n === 1 ? 'index.html' : `index-${n}.html`);

const tomlString = (s) => JSON.stringify(s); // a TOML basic string is a JSON string for these
function writeSite(dir, lang) {
  const reports = path.join(dir, 'reports');
  fs.mkdirSync(reports, { recursive: true });
  fs.writeFileSync(path.join(reports, 'kanko.toml'), `title = "報告書の一覧"\nlanguage = "${lang}"\n\n[catalog]\nper_page = ${PER_PAGE}\n`);
  for (const r of REPORTS) {
    const d = path.join(reports, r.slug);
    fs.mkdirSync(d);
    const funders = r.funders.map((f) => `\n[[funders]]\nname = ${tomlString(f)}\nprogram = "地域助成"\n`).join('');
    fs.writeFileSync(path.join(d, 'report.toml'),
      `title = ${tomlString(r.title)}\nproject = ${tomlString(r.project)}\nfiscal_year = ${r.year}\npublisher = "NPO法人 テスト"\n` +
      `published = ${r.published}\ndescription = ${tomlString(r.description)}\nlanguage = "ja"\n${funders}`);
    fs.writeFileSync(path.join(d, '01-hajimeni.md'), '# はじめに\n\nこの報告書は試験用です。\n');
  }
  const dist = path.join(dir, 'dist');
  execFileSync(BIN, ['build', '--quiet', '--reports', reports, '--out', dist], { stdio: 'pipe' });
  return dist;
}

const haveBin = fs.existsSync(BIN);
let tmp, dist, distEn, server, browser;
before(async () => {
  if (!haveBin) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kanko-paged-'));
  dist = writeSite(path.join(tmp, 'ja'), 'ja');
  distEn = writeSite(path.join(tmp, 'en'), 'en');
  server = await serve(tmp);
  browser = await chromium.launch(LAUNCH);
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const MODES = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
};

async function open(mode, url) {
  const ctx = await browser.newContext(MODES[mode]);
  const page = await ctx.newPage();
  const requests = [], errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon/.test(m.text())) errors.push(m.text()); });
  await page.goto(url, { waitUntil: 'networkidle' });
  return { ctx, page, requests, errors };
}

const dataRequests = (reqs) => reqs.filter((u) => /\/catalog-data-\d+\.js(\?|$)/.test(u)).map((u) => u.replace(/^.*\//, ''));
const lazyRequests = (reqs) => reqs.filter((u) => /\/catalog-(data-\d+|paged)\.js(\?|$)/.test(u));
const YEARS = [...new Set(newest.map((r) => r.year))];
const yearFiles = (ys) => ys.map((y) => `catalog-data-${y}.js`);
const resultSlugs = (page) => page.$$eval('#results > li.report h2[id]', (hs) => hs.map((h) => h.id.replace(/^fr-/, '')));
const serverSlugs = (page) => page.$$eval('#reports > li.report h2[id]', (hs) => hs.map((h) => h.id.replace(/^r-/, '')));

/** Waits until the results show `want` (the first chunk of it) and the count says how many. */
async function expectResults(page, want, what, template = '{n}件の報告書') {
  await page.waitForFunction((text) => document.getElementById('count').textContent === text, template.replace('{n}', want.length), { timeout: 10_000 })
    .catch(() => {});
  assert.equal(await page.textContent('#count'), template.replace('{n}', want.length), `${what}: #count`);
  assert.deepEqual(await resultSlugs(page), slugs(want).slice(0, PER_PAGE), `${what}: first chunk`);
  assert.equal(await page.isVisible('#reports'), false, `${what}: the page's own list still shown`);
  assert.equal(await page.isVisible('nav.pager'), false, `${what}: pager shown while filtering`);
  assert.equal(await page.isVisible('#empty'), want.length === 0, `${what}: #empty`);
  assert.equal(await page.isVisible('#f-more'), want.length > PER_PAGE, `${what}: show-more button`);
}

async function showAll(page, want, what) {
  let clicks = 0;
  while (await page.isVisible('#f-more')) {
    await page.click('#f-more');
    clicks++;
    const n = Math.min(want.length, PER_PAGE * (clicks + 1));
    assert.equal((await resultSlugs(page)).length, n, `${what}: after ${clicks} click(s)`);
    // focus moves to the first newly shown report
    assert.equal(await page.evaluate(() => document.activeElement.closest('h2')?.id), `fr-${want[PER_PAGE * clicks].slug}`, `${what}: focus after show more`);
  }
  assert.deepEqual(await resultSlugs(page), slugs(want), `${what}: every match`);
  assert.equal(clicks, Math.ceil(want.length / PER_PAGE) - 1, `${what}: clicks`);
}

test('the fixture builds a paged catalog with a data file', { skip: !haveBin && `no kanko binary at ${BIN}` }, () => {
  for (let n = 1; n <= PAGES; n++) assert.ok(fs.existsSync(path.join(dist, pageFile(n))), pageFile(n));
  assert.ok(!fs.existsSync(path.join(dist, pageFile(PAGES + 1))));
  // one data file per 年度
  assert.deepEqual(fs.readdirSync(dist).filter((n) => n.startsWith('catalog-data')).sort(), yearFiles(YEARS).sort());
  for (const y of YEARS) assert.match(fs.readFileSync(path.join(dist, `catalog-data-${y}.js`), 'utf8'), /^KANKO_CATALOG\(\{/);
  for (let n = 1; n <= PAGES; n++) {
    const html = fs.readFileSync(path.join(dist, pageFile(n)), 'utf8');
    assert.ok(!/<script src="catalog-(data|paged)\.js"/.test(html), `${pageFile(n)} loads the data itself`);
    assert.ok(html.includes('data-src="catalog-data-{y}.js"'), `${pageFile(n)} has no paged filter form`);
  }
});

for (const mode of Object.keys(MODES)) {
  for (const via of ['http', 'file']) {
    const base = () => (via === 'http' ? `${server.url}/ja/dist/` : pathToFileURL(dist).href + '/');

    test(`paged filters @ ${mode} over ${via}`, { skip: !haveBin && 'no kanko binary', timeout: 120_000 }, async () => {
      const { ctx, page, requests, errors } = await open(mode, base() + 'index-3.html');
      try {
        // first view: page 3's own reports, the form shown, nothing of the data loaded
        assert.deepEqual(await serverSlugs(page), pageOf(3));
        assert.equal(await page.isVisible('#filters'), true, 'filters hidden on a paged index');
        assert.equal(await page.isVisible('nav.pager'), true);
        assert.deepEqual(lazyRequests(requests), [], 'data file or result script loaded before any filter was used');
        // the form is laid out from the first paint (html.js): nothing moves when catalog.js runs
        const cls = await page.evaluate(() => new Promise((ok) => {
          let v = 0;
          new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) v += e.value; })
            .observe({ type: 'layout-shift', buffered: true });
          setTimeout(() => ok(v), 200);
        }));
        assert.equal(cls, 0, 'layout shift on load');
        const before = {
          list: await page.$eval('#reports', (e) => e.outerHTML),
          pager: await page.$eval('nav.pager', (e) => e.outerHTML),
          count: await page.textContent('#count'),
        };
        // the year <select> lists every report's year, not just this page's
        const years = await page.$$eval('#f-year option', (os) => os.map((o) => o.value).filter(Boolean));
        assert.deepEqual(years, [...new Set(newest.map((r) => String(r.year)))]);

        // phones: the filters are folded behind #f-toggle
        if (await page.isVisible('#f-toggle')) await page.click('#f-toggle');
        // 年度: every report of that year across all pages, in chunks
        await page.selectOption('#f-year', '2023');
        const y2023 = newest.filter((r) => r.year === 2023);
        await expectResults(page, y2023, '年度 2023');
        assert.deepEqual(dataRequests(requests), yearFiles([2023]), 'a year loads its own data file only');
        assert.equal(lazyRequests(requests).length, 2, 'data file and result script, once each');
        assert.equal(new URL(page.url()).searchParams.get('year'), '2023');
        // a result card looks like the server's: cover (lazy), 年度, linked title, meta, downloads
        const c = await page.$eval('#results > li.report', (li) => ({
          img: li.querySelector('a.cover img')?.getAttribute('loading'),
          cover: li.querySelector('a.cover img')?.getAttribute('src'),
          year: li.querySelector('.year')?.textContent,
          href: li.querySelector('h2 a')?.getAttribute('href'),
          meta: [...li.querySelectorAll('dl.meta dt')].map((d) => d.textContent),
          actions: [...li.querySelectorAll('.actions a')].map((a) => a.getAttribute('href')),
          labelled: li.querySelector('article').getAttribute('aria-labelledby'),
        }));
        const r0 = y2023[0];
        assert.equal(c.img, 'lazy');
        assert.ok(fs.existsSync(path.join(dist, c.cover)), `cover ${c.cover}`);
        assert.equal(c.year, '令和5年度（2023年度）');
        assert.equal(c.href, `${r0.slug}/index.html`);
        assert.deepEqual(c.meta, ['事業名', '発行', '発行日', 'ページ数']);
        assert.deepEqual(c.actions, [`${r0.slug}/reader/index.html`, `${r0.slug}/${r0.slug}.pdf`, `${r0.slug}/${r0.slug}.epub`]);
        for (const a of c.actions) assert.ok(fs.existsSync(path.join(dist, a)), a);
        assert.equal(c.labelled, `fr-${r0.slug}`);
        if (SHOTS && via === 'http') {
          fs.mkdirSync(SHOTS, { recursive: true });
          if (mode === 'phone') await page.$eval('#count', (e) => e.scrollIntoView());
          await page.screenshot({ path: path.join(SHOTS, `paged-filter-${mode}.png`), fullPage: mode === 'desktop' });
          if (mode === 'phone') {
            await page.$eval('#f-more', (e) => e.scrollIntoView({ block: 'end' }));
            await page.screenshot({ path: path.join(SHOTS, `paged-more-${mode}.png`) });
          }
        }
        await showAll(page, y2023, '年度 2023');

        if (via === 'http') {
          const res = await new AxeBuilder({ page }).analyze();
          assert.deepEqual(res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], 'axe with results shown');
        }

        // 助成元 (a report with two funders is found by either)
        await page.selectOption('#f-year', '');
        await page.selectOption('#f-funder', AOZORA);
        await expectResults(page, newest.filter((r) => r.funders.includes(AOZORA)), `助成元 ${AOZORA}`);
        await page.selectOption('#f-project', BOUSAI);
        await expectResults(page, newest.filter((r) => r.funders.includes(AOZORA) && r.project === BOUSAI), '助成元 + 事業');
        await page.selectOption('#f-funder', '');
        await page.selectOption('#f-project', '');

        // キーワード: in a description on another page
        await page.fill('#f-q', '紙芝居');
        await expectResults(page, newest.filter((r) => r.description.includes('紙芝居')), 'キーワード 紙芝居');
        await page.fill('#f-q', 'ｚｚｚ見つからない語');
        await expectResults(page, [], 'no match');

        // editor text is text: the hostile title shows its angle brackets, no element is made
        await page.fill('#f-q', 'onerror');
        await expectResults(page, newest.filter((r) => r.title.includes('onerror')), 'キーワード onerror');
        const h = await page.$eval('#results h2', (e) => ({ text: e.textContent, imgs: e.querySelectorAll('img').length }));
        assert.equal(h.text, XSS);
        assert.equal(h.imgs, 0, 'an <img> was made from the title');
        assert.equal(await page.evaluate(() => window.__xss), undefined, 'onerror ran');

        // clear: the server-rendered page exactly as it was
        await page.click('#filters .reset');
        assert.equal(await page.isVisible('#results'), false);
        assert.equal(await page.isVisible('#f-more'), false);
        assert.equal(await page.$eval('#reports', (e) => e.outerHTML), before.list, 'the page\'s list changed');
        assert.equal(await page.$eval('nav.pager', (e) => e.outerHTML), before.pager, 'the pager changed');
        assert.equal(await page.textContent('#count'), before.count);
        assert.equal(await page.isVisible('nav.pager'), true);
        assert.equal(new URL(page.url()).search, '', 'cleared filters left a query');
        // the other filters needed every year; no file was asked for twice
        assert.deepEqual(dataRequests(requests).sort(), yearFiles(YEARS).sort(), 'data files loaded');
        assert.equal(lazyRequests(requests).length, YEARS.length + 1, 'a file loaded twice');

        // ?year= in the address applies on load, on any page
        await page.goto(base() + 'index-2.html?year=2022', { waitUntil: 'networkidle' });
        assert.equal(await page.inputValue('#f-year'), '2022');
        await expectResults(page, newest.filter((r) => r.year === 2022), '?year=2022');
        assert.deepEqual(errors, [], 'console errors');
      } finally {
        await ctx.close();
      }
    });
  }
}

test('a result card is the server-rendered card of the same report', { skip: !haveBin && 'no kanko binary', timeout: 60_000 }, async () => {
  // the English site lists Japanese reports: its UI words are English, the year label stays 令和
  for (const [site, lang] of [['ja', '>事業名<'], ['en', '>Project<']]) {
    const { ctx, page, errors } = await open('desktop', `${server.url}/${site}/dist/index.html`);
    try {
      // tag, sorted attributes (without the filters' data-*, ids made alike) and text of every node
      const shape = (sel) => page.$eval(sel, (root) => {
        const walk = (n) => {
          if (n.nodeType === 3) return n.data;
          if (n.tagName === 'WBR') return '';
          const attrs = [...n.attributes].filter((a) => !a.name.startsWith('data-'))
            .map((a) => `${a.name}=${a.value.replace(/^f?r-/, 'ID-')}`).sort();
          return `<${n.tagName} ${attrs.join(' ')}>${[...n.childNodes].map(walk).join('')}</${n.tagName}>`;
        };
        return walk(root).replace(/(>)([^<]*)(<)/g, (m, a, t, b) => a + t.replace(/\s+/g, ' ') + b);
      });
      const first = newest[0];
      const server = await shape(`#reports > li.report:has(h2#r-${first.slug})`);
      await page.selectOption('#f-year', String(first.year));
      await page.waitForSelector(`#results h2#fr-${first.slug}`);
      assert.equal(await shape(`#results > li.report:has(h2#fr-${first.slug})`), server, `${site}: result card differs`);
      assert.ok(server.includes(lang), server);
      assert.deepEqual(errors, []);
    } finally {
      await ctx.close();
    }
  }
});

test('the full-text search box works beside the filters on a paged index', { skip: !haveBin && 'no kanko binary', timeout: 60_000 }, async () => {
  const { ctx, page, requests, errors } = await open('phone', `${server.url}/ja/dist/index-4.html`);
  try {
    await page.click('#f-toggle'); // phones: the filters are folded behind it
    await page.selectOption('#f-project', BOUSAI);
    await expectResults(page, newest.filter((r) => r.project === BOUSAI), '事業');
    await page.fill('#s-q', '試験用');
    await page.press('#s-q', 'Enter');
    await page.waitForFunction(() => /見つかりました/.test(document.getElementById('s-status').textContent));
    assert.equal(await page.$$eval('.s-group', (g) => g.length), REPORTS.length, 'every report has the phrase');
    // both states in the address; reloading it restores both
    const u = new URL(page.url());
    assert.equal(u.searchParams.get('project'), BOUSAI);
    assert.equal(u.searchParams.get('s'), '試験用');
    await page.goto(page.url(), { waitUntil: 'networkidle' });
    await expectResults(page, newest.filter((r) => r.project === BOUSAI), 'reloaded 事業');
    assert.equal(await page.inputValue('#s-q'), '試験用');
    assert.equal(dataRequests(requests).length, 2 * YEARS.length, 'each year\'s file once per page load');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('a status while the data loads, and a message when it cannot', { skip: !haveBin && 'no kanko binary', timeout: 60_000 }, async () => {
  const ctx = await browser.newContext(MODES.phone);
  const page = await ctx.newPage();
  try {
    let release;
    const held = new Promise((ok) => { release = ok; });
    await page.route(/catalog-data-2022\.js$/, async (route) => { await held; await route.continue(); });
    await page.route(/catalog-data-2021\.js$/, (route) => route.abort());
    await page.goto(`${server.url}/ja/dist/index-2.html`, { waitUntil: 'networkidle' });
    await page.click('#f-toggle'); // phones: the filters are folded behind it
    await page.selectOption('#f-year', '2022');
    await page.waitForFunction(() => /読み込んでいます/.test(document.getElementById('count').textContent));
    assert.equal(await page.getAttribute('#count', 'aria-live'), 'polite');
    assert.equal(await page.getAttribute('#reports', 'aria-busy'), 'true');
    assert.deepEqual(await serverSlugs(page), pageOf(2), 'the page\'s list stays while loading');
    release();
    await expectResults(page, newest.filter((r) => r.year === 2022), 'after the wait');
    assert.equal(await page.getAttribute('#reports', 'aria-busy'), null);
    await page.selectOption('#f-year', '2021');
    await page.waitForFunction(() => /読み込めませんでした/.test(document.getElementById('count').textContent));
    assert.equal(await page.isVisible('#results'), false, 'stale results shown');
    assert.deepEqual(await serverSlugs(page), pageOf(2));
    assert.equal(await page.isVisible('#reports'), true);
  } finally {
    await ctx.close();
  }
});

test('paged filters in English', { skip: !haveBin && 'no kanko binary', timeout: 60_000 }, async () => {
  const { ctx, page, errors } = await open('desktop', `${server.url}/en/dist/index.html`);
  try {
    assert.deepEqual(await serverSlugs(page), pageOf(1));
    await page.selectOption('#f-project', IBASHO);
    const want = newest.filter((r) => r.project === IBASHO);
    await expectResults(page, want, 'project', '{n} reports');
    assert.match(await page.textContent('#f-more'), /^Show more \(\d+ left\)$/);
    const dt = await page.$$eval('#results dl.meta dt', (ds) => ds.slice(0, 4).map((d) => d.textContent));
    assert.deepEqual(dt, ['Project', 'Publisher', 'Published', 'Pages']);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('without JavaScript a paged index shows its page and pager, no filters', { skip: !haveBin && 'no kanko binary', timeout: 60_000 }, async () => {
  const ctx = await browser.newContext({ ...MODES.phone, javaScriptEnabled: false });
  const page = await ctx.newPage();
  try {
    await page.goto(`${server.url}/ja/dist/index-2.html?year=2023`, { waitUntil: 'networkidle' });
    assert.equal(await page.isVisible('#filters'), false);
    assert.deepEqual(await serverSlugs(page), pageOf(2));
    assert.equal(await page.isVisible('nav.pager'), true);
  } finally {
    await ctx.close();
  }
});
