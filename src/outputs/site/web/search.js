/* kanko full-text search over every report (index.html). Contract: src/export/catalog/search_index.rs.
   Nothing of the index loads before the first search; every file is a <script> (works from file://).
   normalize() must stay identical to src/export/search/norm.rs. */
(function () {
  'use strict';
  var doc = document, box = doc.getElementById('search');
  if (!box || !''.normalize) return;
  var ja = (doc.documentElement.lang || 'ja').toLowerCase().indexOf('ja') === 0;
  var t = function (j, e) { return ja ? j : e; };
  var SHARDS = +box.getAttribute('data-shards') || 1, CHUNK = +box.getAttribute('data-chunk') || 200;
  var BATCH = 12;
  var form = doc.getElementById('s-form'), input = doc.getElementById('s-q');
  var status = doc.getElementById('s-status'), results = doc.getElementById('s-results');
  box.hidden = false;

  // ---- normalisation (NFKC, lower case, katakana → hiragana, letters and digits only) ----
  var KEEP = /^[\p{Alphabetic}\p{N}]$/u;
  function fold(c) {
    if (!KEEP.test(c)) return '';
    var u = c.codePointAt(0);
    if ((u >= 0x30a1 && u <= 0x30f6) || u === 0x30fd || u === 0x30fe) return String.fromCodePoint(u - 0x60);
    return c;
  }
  function normalize(s) {
    var out = [];
    for (var c of String(s).normalize('NFKC').toLowerCase()) { var f = fold(c); if (f) out.push(f); }
    return out;
  }
  // The same, keeping for each UTF-16 unit of the result the raw [start, end) it came from.
  function normMap(s) {
    var out = '', st = [], en = [], re = /[\s\S][\u0300-\u036f\u3099\u309a\uff9e\uff9f]*/gu, m;
    while ((m = re.exec(s))) {
      var n = normalize(m[0]).join('');
      for (var i = 0; i < n.length; i++) { st.push(m.index); en.push(m.index + m[0].length); }
      out += n;
    }
    return { s: out, st: st, en: en };
  }
  function terms(chars) {
    if (chars.length === 1) return [chars[0]];
    var r = [];
    for (var i = 0; i + 1 < chars.length; i++) r.push(chars[i] + chars[i + 1]);
    return r;
  }
  function shardOf(term) {
    var h = 0x811c9dc5;
    for (var c of term) { h ^= c.codePointAt(0); h = Math.imul(h, 16777619) >>> 0; }
    return h % SHARDS;
  }

  // ---- loading: one <script> per file, each calls a KANKO_* function below ----
  var idx = {}, docs = {}, frags = {}, loading = {};
  window.KANKO_IDX = function (h, map) { idx[h] = map; };
  window.KANKO_DOCS = function (k, slugs) { docs[k] = slugs; };
  window.KANKO_FRAG = function (f) { frags[f.s + '/' + f.p] = f; };
  function load(src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (ok) {
        var s = doc.createElement('script');
        s.src = src;
        s.onload = s.onerror = function () { s.remove(); ok(); };
        doc.head.appendChild(s);
      });
    }
    return loading[src];
  }
  function b36(s) { return parseInt(s, 36); }
  // "doc:page,page;doc:page" (deltas) → Map doc → [pages]
  function decode(p) {
    var out = new Map(), doc = 0;
    p.split(';').forEach(function (g) {
      var k = g.indexOf(':'), page = 0;
      doc += b36(g.slice(0, k));
      out.set(doc, g.slice(k + 1).split(',').map(function (d) { page += b36(d); return page; }));
    });
    return out;
  }
  function slugOf(d) { var c = docs[Math.floor(d / CHUNK)]; return c && c[d % CHUNK]; }

  // ---- matching a page's text, directly or through its ruby readings ----
  function readAloud(text, ruby) {
    var raw = '', bs = [], be = [], i = 0;
    while (i < text.length) {
      var hit = null;
      for (var r = 0; r < ruby.length; r++) if (ruby[r][0] && text.startsWith(ruby[r][0], i)) { hit = ruby[r]; break; }
      if (hit) {
        for (var k = 0; k < hit[1].length; k++) { raw += hit[1][k]; bs.push(i); be.push(i + hit[0].length); }
        i += hit[0].length;
      } else { raw += text[i]; bs.push(i); be.push(i + 1); i++; }
    }
    return { raw: raw, bs: bs, be: be };
  }
  // [start, end) in the page text of the first place where `w` (normalised) occurs, or null.
  function find(f, w) {
    f.nm = f.nm || normMap(f.x);
    var at = f.nm.s.indexOf(w);
    if (at >= 0) return [f.nm.st[at], f.nm.en[at + w.length - 1]];
    if (!f.r || !f.r.length) return null;
    if (!f.alt) { f.alt = readAloud(f.x, f.r); f.alt.nm = normMap(f.alt.raw); }
    var a = f.alt, n = a.nm;
    at = n.s.indexOf(w);
    if (at < 0) return null;
    return [a.bs[n.st[at]], a.be[n.en[at + w.length - 1] - 1]];
  }
  function flat(s) { return s.replace(/\s*\n\s*/g, ja ? '' : ' ').replace(/\s+/g, ' '); }

  // ---- rendering ----
  function el(tag, attrs, text) {
    var e = doc.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }
  function hitItem(f, where) {
    var a = where[0], b = where[1], x = f.x, hitText = x.slice(a, b);
    var li = el('li', { class: 's-hit' });
    var sn = el('p', { class: 's-snippet' });
    sn.appendChild(doc.createTextNode((a > 40 ? '…' : '') + flat(x.slice(Math.max(0, a - 40), a))));
    sn.appendChild(el('mark', null, hitText));
    sn.appendChild(doc.createTextNode(flat(x.slice(b, b + 60)) + (b + 60 < x.length ? '…' : '')));
    var links = el('p', { class: 's-links' });
    var pageLabel = 'p. ' + f.p;
    if (f.reader) {
      var q = encodeURIComponent(hitText.replace(/\s+/g, ''));
      var a1 = el('a', { href: f.s + '/reader/index.html#p=' + f.p + '&q=' + q, class: 's-page' }, pageLabel);
      a1.setAttribute('aria-label', t(f.p + 'ページをリーダーで開く', 'Open page ' + f.p + ' in the reader'));
      links.appendChild(a1);
      links.appendChild(el('a', { href: f.s + '/reader/text.html#page-' + f.p, class: 's-text' }, t('テキストで読む', 'Read as text')));
    } else if (f.pdf) {
      links.appendChild(el('a', { href: f.s + '/' + f.pdf + '#page=' + f.p, class: 's-page' }, pageLabel + ' (PDF)'));
    } else links.appendChild(el('span', { class: 's-page' }, pageLabel));
    li.appendChild(links);
    li.appendChild(sn);
    return li;
  }

  var run = 0, state = null;
  function search(q) {
    var my = ++run;
    results.textContent = '';
    var words = q.split(/[\s\u3000]+/).map(function (w) { return normalize(w); }).filter(function (c) { return c.length; });
    if (!words.length) { status.textContent = ''; results.removeAttribute('aria-busy'); return; }
    status.textContent = t('検索中…', 'Searching…');
    results.setAttribute('aria-busy', 'true');
    var all = [];
    words.forEach(function (w) { terms(w).forEach(function (x) { if (all.indexOf(x) < 0) all.push(x); }); });
    var need = [];
    all.forEach(function (x) { var s = 'search/i' + shardOf(x) + '.js'; if (need.indexOf(s) < 0) need.push(s); });
    Promise.all(need.map(load)).then(function () {
      if (my !== run) return;
      var cand = null;
      for (var i = 0; i < all.length; i++) {
        var m = idx[shardOf(all[i])], p = m && Object.prototype.hasOwnProperty.call(m, all[i]) ? decode(m[all[i]]) : new Map();
        if (!cand) cand = p;
        else {
          var next = new Map();
          cand.forEach(function (pages, d) {
            var other = p.get(d);
            if (!other) return;
            var keep = pages.filter(function (x) { return other.indexOf(x) >= 0; });
            if (keep.length) next.set(d, keep);
          });
          cand = next;
        }
        if (!cand.size) break;
      }
      // Best first: reports with more candidate pages, then catalog order (newest first).
      var order = [];
      (cand || new Map()).forEach(function (pages, d) { order.push([d, pages]); });
      order.sort(function (a, b) { return b[1].length - a[1].length || a[0] - b[0]; });
      var queue = [];
      order.forEach(function (o) { o[1].forEach(function (p) { queue.push([o[0], p]); }); });
      state = { run: my, words: words.map(function (w) { return w.join(''); }), queue: queue, groups: {}, found: 0, list: el('ol', { class: 's-groups' }) };
      results.appendChild(el('h2', { class: 's-head' }, t('検索結果', 'Results')));
      results.appendChild(state.list);
      more();
    });
  }
  function more() {
    var s = state, my = s.run, batch = s.queue.splice(0, BATCH);
    results.setAttribute('aria-busy', 'true');
    var chunks = [];
    batch.forEach(function (b) { var c = 'search/d' + Math.floor(b[0] / CHUNK) + '.js'; if (chunks.indexOf(c) < 0) chunks.push(c); });
    Promise.all(chunks.map(load)).then(function () {
      return Promise.all(batch.map(function (b) { var slug = slugOf(b[0]); return slug ? load(slug + '/search/' + b[1] + '.js') : null; }));
    }).then(function () {
      if (my !== run) return;
      batch.forEach(function (b) {
        var slug = slugOf(b[0]), f = slug && frags[slug + '/' + b[1]];
        if (!f) return;
        var first = null;
        for (var i = 0; i < s.words.length; i++) {
          var w = find(f, s.words[i]);
          if (!w) return;
          if (!first) first = w;
        }
        s.found++;
        var g = s.groups[b[0]];
        if (!g) {
          g = s.groups[b[0]] = el('li', { class: 's-group' });
          if (f.l && f.l !== (doc.documentElement.lang || 'ja')) g.setAttribute('lang', f.l);
          var h = el('h3');
          h.appendChild(el('a', { href: f.s + '/index.html' }, f.t));
          g.appendChild(h);
          g.appendChild(el('p', { class: 's-year' }, f.y));
          g.hits = el('ol', { class: 's-hits' });
          g.appendChild(g.hits);
          s.list.appendChild(g);
        }
        g.hits.appendChild(hitItem(f, first));
      });
      if (!s.found && s.queue.length) { more(); return; }
      var n = Object.keys(s.groups).length;
      status.textContent = s.found
        ? t(n + '件の報告書の ' + s.found + ' ページで見つかりました', 'Found on ' + s.found + ' page(s) in ' + n + ' report(s)')
        : t('見つかりませんでした。別の言葉や、ひらがなでもお試しください。', 'Nothing found. Try other words.');
      results.removeAttribute('aria-busy');
      var old = doc.getElementById('s-more');
      if (old) old.remove();
      if (s.queue.length) {
        var btn = el('button', { type: 'button', id: 's-more', class: 'btn' }, t('さらに表示', 'Show more'));
        btn.onclick = function () { btn.remove(); more(); };
        results.appendChild(btn);
      }
    });
  }

  var timer = 0;
  form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); search(input.value); writeUrl(); });
  input.addEventListener('input', function () {
    clearTimeout(timer);
    var v = input.value;
    timer = setTimeout(function () { search(v); }, 350);
  });
  function writeUrl() {
    try {
      var p = new URLSearchParams(location.search);
      if (input.value) p.set('s', input.value); else p.delete('s');
      var qs = p.toString();
      history.replaceState(history.state, '', location.pathname + (qs ? '?' + qs : '') + location.hash);
    } catch (e) { /* file:// in some browsers */ }
  }
  var start = new URLSearchParams(location.search).get('s');
  if (start) { input.value = start; search(start); }
})();
