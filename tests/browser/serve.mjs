// Tiny static file server for browser tests: 127.0.0.1, random free port.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.webp': 'image/webp',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.avif': 'image/avif',
  '.pdf': 'application/pdf', '.epub': 'application/epub+zip', '.woff2': 'font/woff2', '.woff': 'font/woff',
  '.ttf': 'font/ttf', '.otf': 'font/otf', '.txt': 'text/plain; charset=utf-8', '.xml': 'application/xml', '.ico': 'image/x-icon',
};

// opts.gzip: compress text responses when the client asks, as a web host does (for Lighthouse).
const TEXT = /^(text\/|application\/(json|xml|javascript)|image\/svg)/;
export async function serve(root, opts = {}) {
  root = path.resolve(root);
  const server = http.createServer((req, res) => {
    let rel;
    try { rel = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400).end(); return; }
    let file = path.join(root, rel);
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) { file = path.join(file, 'index.html'); }
      fs.readFile(file, (err2, body) => {
        if (err2) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
        const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
        const headers = { 'content-type': type, 'cache-control': 'no-store' };
        if (opts.gzip && TEXT.test(type) && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
          body = zlib.gzipSync(body);
          headers['content-encoding'] = 'gzip';
        }
        headers['content-length'] = body.length;
        res.writeHead(200, headers);
        res.end(req.method === 'HEAD' ? undefined : body);
      });
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }) };
}

// Every <slug> folder of dist that contains reader/index.html.
export function readerSlugs(dist) {
  return fs.readdirSync(dist, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dist, d.name, 'reader', 'index.html')))
    .map((d) => d.name).sort();
}

export const SIZES = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  tablet: { viewport: { width: 820, height: 1180 }, deviceScaleFactor: 2, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
};

export const LAUNCH = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
};

// A reader's first view: call watchFirstDraw(page) before page.goto, then firstView(page) once page 1
// is drawn and the prefetch had time to run. `first` is the page plus every resource requested
// until page 1's drawing was inserted; `later` what came after (the prefetched next page).
export async function watchFirstDraw(page) {
  await page.addInitScript(() => {
    new MutationObserver((_, o) => {
      if (document.querySelector('.kr-page[data-page="1"] .kr-draw svg')) { window.__drawnAt = performance.now(); o.disconnect(); }
    }).observe(document, { subtree: true, childList: true });
  });
}
export function firstView(page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0], res = performance.getEntriesByType('resource');
    const at = window.__drawnAt, sum = (a) => a.reduce((s, e) => s + e.encodedBodySize, 0);
    const first = res.filter((e) => e.startTime <= at), later = res.filter((e) => e.startTime > at);
    return { first: nav.encodedBodySize + sum(first), n: first.length + 1, later: sum(later), m: later.length, laterNames: later.map((e) => e.name), firstNames: first.map((e) => e.name) };
  });
}
