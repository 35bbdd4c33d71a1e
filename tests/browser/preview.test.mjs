// `kanko serve` as an editor uses it in the browser: the report page offers 「プレビュー」 first,
// and an edit while the report page is open takes the tab to the reader at the edited page.
// Also: a link to another chapter, drawn on a page of the reader, turns to that chapter's page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { LAUNCH, SIZES } from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = process.env.KANKO_BIN || path.join(here, '../../target/release/kanko');
const TOML = `title = "プレビューの確認"\nproject = "テスト事業"\nfiscal_year = 2024\npublisher = "NPO法人 テスト"\n` +
  `published = 2025-03-28\n\n[[funders]]\nname = "独立行政法人福祉医療機構"\nprogram = "社会福祉振興助成事業"\n`;
const CH1 = '# はじめに\n\n詳しくは[第2章の方法](02-chousa.md#houhou)を見てください。\n';
const CH2 = '# 調査の概要\n\n前書き。\n\n## 調査の方法 {#houhou}\n\n方法の本文。\n';

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function waitFor(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { const r = await fetch(url); if (r.ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`kanko serve did not answer ${url}`);
}

test('the preview takes an open report page to the edited page of the reader',
  { skip: !fs.existsSync(bin) && `no kanko binary at ${bin}` }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kanko-preview-'));
    const report = path.join(dir, 'reports', 'alpha');
    fs.mkdirSync(report, { recursive: true });
    fs.writeFileSync(path.join(report, 'report.toml'), TOML);
    fs.writeFileSync(path.join(report, '01-hajimeni.md'), CH1);
    fs.writeFileSync(path.join(report, '02-chousa.md'), CH2);
    const port = await freePort();
    const child = spawn(bin, ['serve', '--reports', 'reports', '--port', String(port)],
      { cwd: dir, stdio: 'ignore', env: { ...process.env, LANG: 'C.UTF-8' } });
    const base = `http://127.0.0.1:${port}`;
    const browser = await chromium.launch(LAUNCH);
    try {
      await waitFor(`${base}/__kanko/status`, 60000);
      const ctx = await browser.newContext(SIZES.phone);
      const page = await ctx.newPage();
      await page.goto(`${base}/alpha/index.html`);
      const first = page.locator('.actions a').first();
      assert.equal((await first.innerText()).trim(), 'プレビュー');
      assert.match(await first.getAttribute('href'), /reader\/index\.html$/);
      const axe = await new AxeBuilder({ page }).analyze();
      assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), []);
      // Let the page's event stream connect before the edit.
      await page.waitForFunction(() => document.querySelector('script[src="/__kanko/live.js"]'));
      await page.waitForTimeout(500);
      fs.writeFileSync(path.join(report, '02-chousa.md'), CH2.replace('方法の本文。', '書き換えた方法の本文。'));
      await page.waitForURL(/\/alpha\/reader\/index\.html#p=\d+/, { timeout: 30000 });
      const edited = Number(/#p=(\d+)/.exec(page.url())[1]);
      assert.ok(edited >= 4, `the reader opens at the edited chapter (page ${edited})`);

      // A link on page 3 to a heading of chapter 2: one link box, named by its words, that
      // turns the reader to the heading's page.
      await page.goto(`${base}/alpha/reader/index.html#p=3`);
      const link = page.locator('.kr-page[data-page="3"] a.kr-link').first();
      await link.waitFor({ state: 'attached', timeout: 15000 });
      assert.equal(await link.getAttribute('aria-label'), '第2章の方法');
      const target = Number(/#p=(\d+)/.exec(await link.getAttribute('href'))[1]);
      assert.ok(target >= 4);
      await link.evaluate((a) => a.click());
      await page.waitForFunction((n) => location.hash === `#p=${n}`, target);
      await ctx.close();
    } finally {
      await browser.close();
      child.kill('SIGINT');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
