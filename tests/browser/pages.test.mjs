// The reader's vector pages against Typst's own rendering, for every dist/<slug>/reader/.
// usage: KANKO_DIST=dist KANKO_PAGE_REFERENCE=refdir node --test tests/browser/pages.test.mjs
//   refdir is what `kanko build --page-reference refdir` wrote: typst-render of every page at
//   2 px/pt (<slug>/<n>.png). Without it the comparison is skipped (the other checks still run).
//
// Metric (why): the browser and typst-render anti-alias glyph edges differently and the page box
// lands on fractional device pixels, so an exact or per-pixel match is meaningless. Both images are
// taken to greyscale at the browser's device-pixel size (the reference resampled to it), blurred
// with a 3×3 box (1 px), and compared: mean absolute difference ≤ MEAN_MAX (0–255) and at most
// FAR_MAX of the pixels off by more than 64 (a missing word, rule or figure makes whole blobs
// differ by far more than that; a glyph drawn by another font shifts whole lines). A negative
// control (page n against the reference of another page) must fail the same metric.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { serve, readerSlugs, SIZES, LAUNCH } from './serve.mjs';

const DIST = process.env.KANKO_DIST && path.resolve(process.env.KANKO_DIST);
const REF = process.env.KANKO_PAGE_REFERENCE && path.resolve(process.env.KANKO_PAGE_REFERENCE);
const MEAN_MAX = 6;
const FAR_MAX = 0.015;

function bookOf(dir) {
  const w = {};
  new Function('window', fs.readFileSync(path.join(dir, 'data.js'), 'utf8'))(w);
  return w.KANKO_BOOK;
}

// Compare a screenshot (W×H device px) with a reference PNG drawn at (ox, oy, rw, rh) inside it,
// in a browser page; a 2 px border is left out (the page edge lands on fractional pixels).
async function compare(cmp, shotB64, refB64, g) {
  return cmp.evaluate(async ([a, b, g]) => {
    const { W, H } = g;
    const load = (src) => new Promise((ok, bad) => { const i = new Image(); i.onload = () => ok(i); i.onerror = bad; i.src = src; });
    const grey = async (src, place) => {
      const img = await load('data:image/png;base64,' + src);
      const c = new OffscreenCanvas(W, H), x = c.getContext('2d');
      x.fillStyle = '#fff'; x.fillRect(0, 0, W, H);
      x.imageSmoothingQuality = 'high';
      if (place) x.drawImage(img, g.ox, g.oy, g.rw, g.rh); else x.drawImage(img, 0, 0);
      const d = x.getImageData(0, 0, W, H).data, v = new Float32Array(W * H), t = new Float32Array(W * H);
      for (let i = 0; i < W * H; i++) v[i] = 0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2];
      // 3×3 box blur, separable
      for (let y = 0; y < H; y++) for (let x1 = 1; x1 < W - 1; x1++) { const i = y * W + x1; t[i] = (v[i - 1] + v[i] + v[i + 1]) / 3; }
      for (let y = 1; y < H - 1; y++) for (let x1 = 0; x1 < W; x1++) { const i = y * W + x1; v[i] = (t[i - W] + t[i] + t[i + W]) / 3; }
      return v;
    };
    const p = await grey(a, false), q = await grey(b, true);
    let sum = 0, far = 0, n = 0;
    const x0 = Math.ceil(g.ox) + 2, y0 = Math.ceil(g.oy) + 2, x1 = Math.floor(g.ox + g.rw) - 2, y1 = Math.floor(g.oy + g.rh) - 2;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
      const i = y * W + x, d = Math.abs(p[i] - q[i]);
      sum += d; n++; if (d > 64) far++;
    }
    return { mean: sum / n, far: far / n };
  }, [shotB64, refB64, g]);
}

// Screenshot of page n's box at device-pixel bounds, with where the page lies inside it.
async function shoot(page, n, dpr) {
  const box = await page.locator(`.kr-page[data-page="${n}"]`).boundingBox();
  const fx = Math.floor(box.x * dpr), fy = Math.floor(box.y * dpr);
  const W = Math.ceil((box.x + box.width) * dpr) - fx, H = Math.ceil((box.y + box.height) * dpr) - fy;
  const shot = await page.screenshot({ clip: { x: fx / dpr, y: fy / dpr, width: W / dpr, height: H / dpr }, animations: 'disabled' });
  return { shot, g: { W, H, ox: box.x * dpr - fx, oy: box.y * dpr - fy, rw: box.width * dpr, rh: box.height * dpr } };
}

async function drawn(page, n) {
  await page.waitForFunction((n) => {
    const d = document.querySelector(`.kr-page[data-page="${n}"] .kr-draw`);
    return d && d.kDrawn && document.fonts.status === 'loaded';
  }, n, { timeout: 30_000 });
}

if (!DIST) {
  test('vector pages (KANKO_DIST not set)', { skip: 'set KANKO_DIST to a built dist/ folder' }, () => {});
} else {
  let server, browser;
  before(async () => { server = await serve(DIST); browser = await chromium.launch(LAUNCH); });
  after(async () => { await browser?.close(); await server?.close(); });

  for (const slug of readerSlugs(DIST)) {
    const dir = path.join(DIST, slug, 'reader');
    const book = bookOf(dir);
    const N = book.pageCount;

    test(`${slug}: no page images; fonts and page files`, () => {
      const files = fs.readdirSync(path.join(dir, 'pages'));
      assert.deepEqual(files.filter((f) => !/^\d+\.js$/.test(f)), [], 'pages/ holds only page data');
      // One file per page group (page 1; 2; 3–4; 5–8; then 8 pages), each page in its group's file.
      const groups = [...new Set(book.pages.map((p) => p.draw))].sort();
      assert.deepEqual(files.map((f) => 'pages/' + f).sort(), groups);
      assert.equal(groups.length, N <= 8 ? Math.min(N, 1 + (N > 1) + (N > 2) + (N > 4)) : 4 + Math.ceil((N - 8) / 8));
      for (const [i, p] of book.pages.entries()) {
        const js = fs.readFileSync(path.join(dir, p.draw), 'utf8');
        assert.ok(js.includes(`KANKO_PAGE(${i + 1}, `), `page ${i + 1} is drawn from ${p.draw}`);
      }
      assert.ok(fs.readdirSync(path.join(dir, 'fonts')).length > 0);
      for (const p of book.pages) assert.ok(!('img' in p) && !('zoom' in p), 'no page image in data.js');
    });

    for (const [size, opts] of Object.entries(SIZES)) {
      test(`${slug} @ ${size}: every page matches typst-render`, { timeout: 600_000, skip: !REF && 'KANKO_PAGE_REFERENCE not set' }, async () => {
        const ctx = await browser.newContext({ ...opts, reducedMotion: 'reduce' });
        const page = await ctx.newPage(), cmp = await ctx.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        try {
          await page.goto(`${server.url}/${slug}/reader/index.html#p=1`, { waitUntil: 'load' });
          const worst = { mean: 0, far: 0 };
          for (let n = 1; n <= N; n++) {
            await page.evaluate((n) => { location.hash = '#p=' + n; }, n);
            await drawn(page, n);
            const { shot, g } = await shoot(page, n, opts.deviceScaleFactor);
            const ref = fs.readFileSync(path.join(REF, slug, `${n}.png`)).toString('base64');
            const r = await compare(cmp, shot.toString('base64'), ref, g);
            worst.mean = Math.max(worst.mean, r.mean); worst.far = Math.max(worst.far, r.far);
            assert.ok(r.mean <= MEAN_MAX && r.far <= FAR_MAX, `page ${n}: mean ${r.mean.toFixed(2)}, far ${(100 * r.far).toFixed(2)} %`);
            if (n === Math.min(3, N) && N > 1) {
              const other = fs.readFileSync(path.join(REF, slug, `${n === N ? n - 1 : n + 1}.png`)).toString('base64');
              const bad = await compare(cmp, shot.toString('base64'), other, g);
              console.log(`# ${slug} @ ${size}: negative control (page ${n} vs another page's reference) mean |Δ| ${bad.mean.toFixed(2)}, far ${(100 * bad.far).toFixed(2)} %`);
              assert.ok(bad.mean > MEAN_MAX || bad.far > FAR_MAX, `negative control passed: mean ${bad.mean.toFixed(2)}, far ${bad.far}`);
            }
          }
          console.log(`# ${slug} @ ${size}: worst page mean |Δ| ${worst.mean.toFixed(2)}, far ${(100 * worst.far).toFixed(3)} %`);
          assert.deepEqual(errors, []);
        } finally { await ctx.close(); }
      });
    }

    test(`${slug}: at 4× zoom text is as sharp as pdftoppm at that scale`, { timeout: 120_000, skip: !book.pdf && 'no PDF' }, async () => {
      const ctx = await browser.newContext({ ...SIZES.desktop, reducedMotion: 'reduce' });
      const page = await ctx.newPage(), cmp = await ctx.newPage();
      try {
        const n = Math.min(3, N);
        await page.goto(`${server.url}/${slug}/reader/index.html#p=${n}`, { waitUntil: 'load' });
        await drawn(page, n);
        const fit = (await page.locator(`.kr-page[data-page="${n}"]`).boundingBox()).width / book.pageWidth;
        // zoom 4× at a text line of the page
        const line = await page.evaluate((n) => {
          const spans = [...document.querySelectorAll(`.kr-page[data-page="${n}"] .kr-text span`)];
          const s = spans.sort((a, b) => b.textContent.length - a.textContent.length)[0];
          const r = s.getBoundingClientRect();
          return { x: r.left + Math.min(r.width, 200) / 2, y: r.top + r.height / 2 };
        }, n);
        await page.evaluate(([x, y]) => {
          const st = document.getElementById('kr-stage');
          for (let i = 0; i < 8; i++) st.dispatchEvent(new WheelEvent('wheel', { ctrlKey: true, deltaY: -60, clientX: x, clientY: y, bubbles: true, cancelable: true }));
        }, [line.x, line.y]);
        await page.waitForTimeout(300);
        const el = page.locator(`.kr-page[data-page="${n}"]`);
        const box = await el.boundingBox();
        const zoomed = box.width / (book.pageWidth);
        const st = await page.locator('#kr-stage').boundingBox();
        // a 400×160 px window of the stage around the line, in page pt
        const clip = { x: Math.round(Math.max(st.x, line.x - 200)), y: Math.round(line.y - 80), width: 400, height: 160 };
        const shot = await page.screenshot({ clip });
        const ppp = zoomed; // device px per pt (desktop: DPR 1)
        assert.ok(ppp >= 3.9 * fit, `zoomed ${(ppp / fit).toFixed(2)}×`);
        const pdf = path.join(DIST, slug, `${slug}.pdf`);
        const x0 = Math.round((clip.x - box.x)), y0 = Math.round((clip.y - box.y));
        const out = execFileSync('pdftoppm', ['-f', String(n), '-l', String(n), '-r', String(72 * ppp), '-x', String(x0), '-y', String(y0),
          '-W', '400', '-H', '160', '-png', pdf]);
        const edge = await cmp.evaluate(async ([a, b]) => {
          const load = (src) => new Promise((ok, bad) => { const i = new Image(); i.onload = () => ok(i); i.onerror = () => bad(new Error('image did not load')); i.src = src; });
          const energy = async (src) => {
            const img = await load('data:image/png;base64,' + src), c = new OffscreenCanvas(400, 160), g = c.getContext('2d');
            g.drawImage(img, 0, 0);
            const d = g.getImageData(0, 0, 400, 160).data;
            const v = (x, y) => 0.299 * d[4 * (y * 400 + x)] + 0.587 * d[4 * (y * 400 + x) + 1] + 0.114 * d[4 * (y * 400 + x) + 2];
            let e = 0, ink = 0;
            for (let y = 0; y < 159; y++) for (let x = 0; x < 399; x++) { e += Math.abs(v(x + 1, y) - v(x, y)) + Math.abs(v(x, y + 1) - v(x, y)); if (v(x, y) < 128) ink++; }
            return { e, ink };
          };
          return { browser: await energy(a), pdftoppm: await energy(b) };
        }, [shot.toString('base64'), out.toString('base64')]);
        console.log(`# ${slug}: 4× edge energy browser ${edge.browser.e.toFixed(0)} vs pdftoppm ${edge.pdftoppm.e.toFixed(0)} (ink px ${edge.browser.ink} vs ${edge.pdftoppm.ink})`);
        assert.ok(edge.pdftoppm.ink > 500, 'the window holds text');
        // An upscaled 2 px/pt raster at 4× has about half the edge energy; vector text about the same.
        assert.ok(edge.browser.e >= 0.8 * edge.pdftoppm.e, 'text edges as sharp as pdftoppm');
      } finally { await ctx.close(); }
    });

    test(`${slug}: pages are drawn from file:// too (fonts from data in scripts)`, { timeout: 60_000 }, async () => {
      const ctx = await browser.newContext({ ...SIZES.phone, reducedMotion: 'reduce' });
      const page = await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
      try {
        const n = Math.min(3, N);
        await page.goto('file://' + path.join(dir, 'index.html') + `#p=${n}`, { waitUntil: 'load' });
        await drawn(page, n);
        const faces = await page.evaluate(() => [...document.fonts].filter((f) => f.status === 'loaded' && /^k\d+_\d+$/.test(f.family)).length);
        assert.ok(faces > 0, 'web font faces loaded');
        assert.deepEqual(errors, []);
      } finally { await ctx.close(); }
    });

    test(`${slug}: selection copies the typed text, not PUA code points`, { timeout: 60_000 }, async () => {
      const ctx = await browser.newContext({ ...SIZES.desktop, permissions: ['clipboard-read', 'clipboard-write'] });
      const page = await ctx.newPage();
      try {
        const n = Math.min(3, N);
        await page.goto(`${server.url}/${slug}/reader/index.html#p=${n}`, { waitUntil: 'load' });
        await drawn(page, n);
        await page.waitForFunction((n) => document.querySelector(`.kr-page[data-page="${n}"] .kr-text span`), n);
        await page.evaluate((n) => {
          const layer = document.querySelector(`.kr-page[data-page="${n}"] .kr-text`);
          const r = document.createRange(); r.selectNodeContents(layer);
          getSelection().removeAllRanges(); getSelection().addRange(r);
        }, n);
        await page.keyboard.press('Control+C');
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        const svgText = await page.locator(`.kr-page[data-page="${n}"] .kr-draw svg`).textContent();
        assert.ok(/[\uE000-\uF8FF]/.test(svgText), 'the drawing is PUA glyphs');
        assert.ok(!/[\uE000-\uF8FF]|[\u{F0000}-\u{FFFFD}]/u.test(copied), 'copied text has no PUA');
        const strip = (s) => s.normalize('NFKC').replace(/\s+/g, '');
        const pdf = path.join(DIST, slug, `${slug}.pdf`);
        if (book.pdf && fs.existsSync(pdf)) {
          const txt = execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
          const longest = txt.split('\n').sort((a, b) => strip(b).length - strip(a).length)[0] || '';
          const want = strip(longest).slice(0, 10);
          assert.ok(want.length >= 5 && strip(copied).includes(want), `copied text of page ${n} lacks "${want}" (pdftotext)`);
        } else {
          assert.ok(strip(copied).length > 20);
        }
      } finally { await ctx.close(); }
    });
  }
}
