// Checks of the machine-readable catalog outputs (no browser): feed.xml (Atom), opds.xml (OPDS 1.2),
// catalog.json against docs/catalog.schema.json, and the JSON-LD of every page.
// usage: KANKO_DIST=/path/to/dist node --test tests/browser/feeds.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Ajv2020 from 'ajv/dist/2020.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCHEMA = path.resolve(HERE, '../../docs/catalog.schema.json');
const DIST = process.env.KANKO_DIST && path.resolve(process.env.KANKO_DIST);
// The --base-url of the build: $KANKO_BASE_URL, else read from index.html's og:url (written only with --base-url).
const BASE = (() => {
  if (process.env.KANKO_BASE_URL) return process.env.KANKO_BASE_URL.replace(/\/+$/, '');
  if (!DIST || !fs.existsSync(path.join(DIST, 'index.html'))) return '';
  const m = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8').match(/<meta property="og:url" content="([^"]+)\/index\.html"/);
  return m ? m[1].replace(/&amp;/g, '&') : '';
})();
const ATOM = 'http://www.w3.org/2005/Atom';
const ACQ = 'http://opds-spec.org/acquisition/open-access';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const asArray = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v) => (v && typeof v === 'object' ? v['#text'] ?? '' : v ?? '');

/** Resolves a link written in a file at dist-relative `from` and asserts it names a file in dist. */
function assertResolves(href, from, where) {
  if (href.startsWith('#') || href.startsWith('mailto:')) return;
  let rel;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) {
    assert.ok(BASE && href.startsWith(BASE + '/'), `${where}: absolute link ${href} points outside dist (KANKO_BASE_URL=${BASE || 'unset'})`);
    rel = href.slice(BASE.length + 1);
  } else {
    assert.ok(!href.startsWith('/'), `${where}: root-relative link ${href}`);
    rel = path.posix.join(path.posix.dirname(from), href);
  }
  rel = decodeURIComponent(rel.split('#')[0].split('?')[0]);
  const file = path.resolve(DIST, rel);
  assert.ok(file.startsWith(DIST + path.sep), `${where}: ${href} leaves dist/`);
  let st = fs.existsSync(file) && fs.statSync(file);
  if (st && st.isDirectory()) st = fs.existsSync(path.join(file, 'index.html')) && fs.statSync(path.join(file, 'index.html'));
  assert.ok(st && st.isFile(), `${where}: ${href} -> ${rel} does not exist in dist/`);
}

function parseXml(name) {
  const xml = fs.readFileSync(path.join(DIST, name), 'utf8');
  const valid = XMLValidator.validate(xml);
  assert.equal(valid, true, `${name} is not well-formed: ${JSON.stringify(valid.err)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    trimValues: true,
    isArray: (tag) => ['entry', 'link', 'author'].includes(tag),
  });
  return parser.parse(xml).feed;
}

function checkAtom(feed, name, catalog) {
  assert.ok(feed, `${name}: root element is not <feed>`);
  assert.equal(feed['@xmlns'], ATOM, `${name}: feed is not in the Atom namespace`);
  // RFC 4287 §4.1.1: atom:feed has exactly one id, title, updated; author unless every entry has one.
  for (const k of ['id', 'title', 'updated']) assert.ok(text(feed[k]).trim(), `${name}: feed has no <${k}>`);
  assert.match(text(feed.updated), RFC3339, `${name}: feed updated is not an RFC 3339 date-time`);
  assert.ok(/^[a-z][a-z0-9+.-]*:/i.test(text(feed.id)), `${name}: feed id ${text(feed.id)} is not an IRI`);
  const entries = asArray(feed.entry);
  const authored = asArray(feed.author).some((a) => text(a.name).trim());
  assert.ok(authored || entries.every((e) => asArray(e.author).some((a) => text(a.name).trim())), `${name}: no feed author and an entry without author`);
  assert.ok(asArray(feed.link).some((l) => l['@rel'] === 'self'), `${name}: no rel="self" link`);
  assert.equal(entries.length, catalog.reports.length, `${name}: ${entries.length} entries for ${catalog.reports.length} reports`);
  const ids = new Set();
  for (const [i, e] of entries.entries()) {
    const where = `${name} entry ${i + 1}`;
    for (const k of ['id', 'title', 'updated']) assert.ok(text(e[k]).trim(), `${where}: no <${k}>`);
    assert.match(text(e.updated), RFC3339, `${where}: updated is not an RFC 3339 date-time`);
    assert.ok(!ids.has(text(e.id)), `${where}: duplicate id ${text(e.id)}`);
    ids.add(text(e.id));
    const links = asArray(e.link);
    assert.ok(links.length > 0, `${where}: no <link>`);
    // §4.1.1: an entry without content must have a rel="alternate" link; and a summary.
    if (e.content === undefined) {
      assert.ok(links.some((l) => (l['@rel'] ?? 'alternate') === 'alternate'), `${where}: no alternate link`);
      assert.ok(text(e.summary).trim(), `${where}: no content and no summary`);
    }
    for (const l of links) {
      assert.ok(l['@href'], `${where}: link without href`);
      assertResolves(l['@href'], name, `${where} link rel=${l['@rel']}`);
    }
  }
  for (const l of asArray(feed.link)) assertResolves(l['@href'], name, `${name} feed link rel=${l['@rel']}`);
  return entries;
}

const slugOf = (e) => {
  const alt = asArray(e.link).find((l) => (l['@rel'] ?? 'alternate') === 'alternate' && /index\.html$/.test(l['@href']));
  return alt && alt['@href'].replace(/^(.*\/)?([^/]+)\/index\.html$/, '$2');
};

/** Every JSON-LD object inside `v` (arrays, @graph, ItemList items, nested values). */
function* nodes(v) {
  if (Array.isArray(v)) { for (const x of v) yield* nodes(x); return; }
  if (!v || typeof v !== 'object') return;
  yield v;
  for (const x of Object.values(v)) if (x && typeof x === 'object') yield* nodes(x);
}
const typed = (n, t) => asArray(n['@type']).includes(t);

function jsonLd(file) {
  const html = fs.readFileSync(file, 'utf8');
  const out = [];
  const re = /<script\b[^>]*type\s*=\s*["']?application\/ld\+json["']?[^>]*>([\s\S]*?)<\/script>/gi;
  for (let m; (m = re.exec(html));) out.push(JSON.parse(m[1]));
  return out;
}

function checkReportLd(node, entry, where) {
  assert.equal(node.name, entry.title, `${where}: name`);
  assert.equal(node.isAccessibleForFree, true, `${where}: isAccessibleForFree is not true`);
  assert.equal(node.inLanguage, entry.language, `${where}: inLanguage`);
  assert.equal(node.datePublished, entry.published, `${where}: datePublished`);
  assert.ok(node.publisher && typed(node.publisher, 'Organization') && node.publisher.name === entry.publisher, `${where}: publisher`);
  const funders = asArray(node.funder);
  for (const f of entry.funders) {
    assert.ok(funders.some((o) => typed(o, 'Organization') && o.name === f.name), `${where}: no funder Organization named ${f.name}`);
    assert.ok(asArray(node.funding).some((g) => typed(g, 'MonetaryGrant') && g.name === f.program), `${where}: no MonetaryGrant named ${f.program}`);
  }
  assert.ok(funders.length > 0 || entry.funders.length === 0, `${where}: no funder`);
  const enc = asArray(node.encoding).map((x) => x.encodingFormat);
  if (entry.files.pdf) assert.ok(enc.includes('application/pdf'), `${where}: PDF not among encodings`);
  if (entry.files.epub) assert.ok(enc.includes('application/epub+zip'), `${where}: EPUB not among encodings`);
}

if (!DIST) {
  test('feeds (KANKO_DIST not set)', { skip: 'set KANKO_DIST to a built dist/ folder' }, () => {});
} else {
  const catalog = JSON.parse(fs.readFileSync(path.join(DIST, 'catalog.json'), 'utf8'));

  test('catalog.json matches docs/catalog.schema.json', () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(schema);
    const ok = validate(catalog);
    assert.ok(ok, `catalog.json: ${ajv.errorsText(validate.errors, { separator: '\n  ' })}`);
    assert.ok(catalog.reports.length > 0, 'catalog.json lists no report');
  });

  test('catalog.json is newest first and its files exist', () => {
    const order = [...catalog.reports].sort((a, b) => b.fiscal_year - a.fiscal_year || b.published.localeCompare(a.published) || a.slug.localeCompare(b.slug));
    assert.deepEqual(catalog.reports.map((r) => r.slug), order.map((r) => r.slug));
    for (const r of catalog.reports) {
      for (const k of ['pdf', 'epub']) {
        const f = r.files[k];
        if (!f) continue;
        const file = path.join(DIST, r.slug, f.name);
        assert.ok(fs.existsSync(file), `${r.slug}: ${f.name} missing`);
        assert.equal(fs.statSync(file).size, f.size, `${r.slug}: size of ${f.name}`);
      }
      for (const k of ['reader', 'cover']) if (r.files[k]) assert.ok(fs.existsSync(path.join(DIST, r.slug, r.files[k])), `${r.slug}: ${r.files[k]} missing`);
      if (r.files.cover) assert.ok(fs.statSync(path.join(DIST, r.slug, r.files.cover)).size <= 40 * 1024, `${r.slug}: cover over 40 KB`);
      assert.ok(fs.existsSync(path.join(DIST, r.slug, 'index.html')), `${r.slug}/index.html missing`);
    }
  });

  test('feed.xml is an Atom feed (RFC 4287) whose links resolve', () => {
    const feed = parseXml('feed.xml');
    const entries = checkAtom(feed, 'feed.xml', catalog);
    assert.deepEqual(entries.map(slugOf), catalog.reports.map((r) => r.slug), 'feed.xml entries are not in catalog order');
  });

  test('opds.xml is an OPDS 1.2 acquisition feed', () => {
    const feed = parseXml('opds.xml');
    const entries = checkAtom(feed, 'opds.xml', catalog);
    for (const rel of ['self', 'start']) {
      const l = asArray(feed.link).find((x) => x['@rel'] === rel);
      assert.ok(l, `opds.xml: no rel="${rel}" link`);
      const type = (l['@type'] || '').replace(/\s+/g, '');
      assert.match(type, /^application\/atom\+xml;/, `opds.xml ${rel}: type ${l['@type']}`);
      assert.ok(type.includes('profile=opds-catalog') && type.includes('kind=acquisition'), `opds.xml ${rel}: type ${l['@type']} lacks profile=opds-catalog;kind=acquisition`);
    }
    const bySlug = new Map(catalog.reports.map((r) => [r.slug, r]));
    for (const e of entries) {
      const r = bySlug.get(slugOf(e));
      assert.ok(r, `opds.xml: entry ${text(e.title)} matches no report`);
      const links = asArray(e.link);
      const acq = links.filter((l) => l['@rel'] === ACQ);
      assert.ok(acq.length > 0, `opds.xml ${r.slug}: no open-access acquisition link`);
      for (const l of acq) assert.ok(['application/epub+zip', 'application/pdf'].includes(l['@type']), `opds.xml ${r.slug}: acquisition type ${l['@type']}`);
      if (r.files.epub) assert.ok(acq.some((l) => l['@type'] === 'application/epub+zip' && l['@href'] === `${r.slug}/${r.files.epub.name}`), `opds.xml ${r.slug}: no EPUB acquisition link`);
      if (r.files.pdf) assert.ok(acq.some((l) => l['@type'] === 'application/pdf' && l['@href'] === `${r.slug}/${r.files.pdf.name}`), `opds.xml ${r.slug}: no PDF acquisition link`);
      if (r.files.cover) {
        for (const rel of ['http://opds-spec.org/image', 'http://opds-spec.org/image/thumbnail']) {
          const l = links.find((x) => x['@rel'] === rel);
          assert.ok(l, `opds.xml ${r.slug}: no ${rel} link`);
          assert.match(l['@type'] || '', /^image\/(webp|png|jpeg|gif)$/, `opds.xml ${r.slug}: ${rel} type ${l['@type']}`);
        }
      }
    }
  });

  test('JSON-LD on index.html lists every report with its funders', () => {
    const blocks = jsonLd(path.join(DIST, 'index.html'));
    assert.ok(blocks.length > 0, 'index.html has no JSON-LD');
    const reports = blocks.flatMap((b) => [...nodes(b)]).filter((n) => typed(n, 'Report'));
    for (const r of catalog.reports) {
      const node = reports.find((n) => n.name === r.title);
      assert.ok(node, `index.html JSON-LD has no Report named ${r.title}`);
      checkReportLd(node, r, `index.html JSON-LD ${r.slug}`);
    }
  });

  for (const r of catalog.reports) {
    test(`JSON-LD on ${r.slug}/index.html is a Report with funder, isAccessibleForFree and inLanguage`, () => {
      const blocks = jsonLd(path.join(DIST, r.slug, 'index.html'));
      assert.ok(blocks.length > 0, 'no JSON-LD');
      for (const b of blocks) assert.equal(b['@context'], 'https://schema.org');
      const node = blocks.flatMap((b) => [...nodes(b)]).find((n) => typed(n, 'Report'));
      assert.ok(node, 'no Report');
      checkReportLd(node, r, `${r.slug}/index.html`);
    });
  }

  test('sitemap.xml exists only with a base URL', () => {
    const has = fs.existsSync(path.join(DIST, 'sitemap.xml'));
    if (!BASE) { assert.ok(!has, 'dist/sitemap.xml written without a base URL'); return; }
    assert.ok(has, 'KANKO_BASE_URL is set but dist/sitemap.xml is missing');
    const xml = fs.readFileSync(path.join(DIST, 'sitemap.xml'), 'utf8');
    assert.equal(XMLValidator.validate(xml), true);
    for (const m of xml.matchAll(/<loc>([^<]+)<\/loc>/g)) assertResolves(m[1], 'sitemap.xml', 'sitemap.xml');
  });
}
