import { chromium } from 'playwright-core';
import { LAUNCH } from '/work/wt/stats/tests/browser/serve.mjs';
const headless = process.argv[2] !== 'new' ? true : true;
const b = await chromium.launch({ ...LAUNCH, args: [...LAUNCH.args, ...(process.argv.slice(2))] });
const ctx = await b.newContext({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 PDFTEST', acceptDownloads: true });
const p = await ctx.newPage();

p.on('download', d => console.log('download', d.url()));
try { await p.goto('http://127.0.0.1:18431/' + process.env.F , {timeout: 10000}); } catch (e) { console.log('goto err', e.message.split('\n')[0]); }
await p.waitForTimeout(8000);
await b.close();
