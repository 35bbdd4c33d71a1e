/* kanko catalog: filters on index.html, embed code on <slug>/index.html.
   Without this script every report is listed and the embed code is the relative one.
   A paged index (index.html, index-2.html, …) filters over every report: its form names the data
   file (data-src, see src/export/catalog/data.rs), loaded on first use only, and the matches are
   shown as cards in the list's place, data-chunk at a time. */
(function () {
  'use strict';
  var doc = document;
  var ja = (doc.documentElement.lang || 'ja').toLowerCase().indexOf('ja') === 0;
  var t = function (j, e) { return ja ? j : e; };
  var norm = function (s) { return String(s || '').normalize('NFKC').toLowerCase().replace(/\s+/g, ''); };

  var el = function (tag, attrs, text) {
    var e = doc.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  };

  // ---- index.html: filters ----
  var form = doc.getElementById('filters');
  var list = doc.getElementById('reports');
  if (form && list) {
    var paged = form.getAttribute('data-src') ? pagedFilter(form, list) : null;
    var fields = {
      year: doc.getElementById('f-year'),
      funder: doc.getElementById('f-funder'),
      project: doc.getElementById('f-project'),
      q: doc.getElementById('f-q')
    };
    var count = doc.getElementById('count');
    var empty = doc.getElementById('empty');
    var template = (count && count.getAttribute('data-template')) || '{n}';
    var items = Array.prototype.map.call(list.querySelectorAll('li.report'), function (li) {
      return {
        el: li,
        year: li.getAttribute('data-year') || '',
        funders: (li.getAttribute('data-funders') || '').split('\n'),
        project: li.getAttribute('data-project') || '',
        text: norm(li.getAttribute('data-search') || li.textContent)
      };
    });

    // The clear button is in the page (so nothing moves when the script runs), or made here.
    var reset = form.querySelector('.reset');
    if (!reset) {
      reset = doc.createElement('button');
      reset.type = 'button';
      reset.className = 'btn reset idle';
      reset.textContent = t('条件をクリア', 'Clear filters');
      form.appendChild(reset);
    }

    var state = function () {
      var s = {};
      Object.keys(fields).forEach(function (k) { if (fields[k] && fields[k].value) s[k] = fields[k].value; });
      return s;
    };

    var apply = function (updateUrl) {
      var s = state();
      if (paged) {
        reset.classList.toggle('idle', Object.keys(s).length === 0);
        if (updateUrl) writeUrl(s);
        paged.apply(s);
        return;
      }
      var q = norm(s.q);
      var n = 0;
      items.forEach(function (it) {
        var ok = (!s.year || it.year === s.year) &&
          (!s.funder || it.funders.indexOf(s.funder) >= 0) &&
          (!s.project || it.project === s.project) &&
          (!q || it.text.indexOf(q) >= 0);
        it.el.hidden = !ok;
        if (ok) n++;
      });
      if (count) {
        var text = template.replace('{n}', String(n));
        if (count.textContent !== text) count.textContent = text;
      }
      if (empty) empty.hidden = n > 0;
      reset.classList.toggle('idle', Object.keys(s).length === 0);
      if (updateUrl) writeUrl(s);
    };

    var writeUrl = function (s) {
      var params = new URLSearchParams(location.search);
      Object.keys(fields).forEach(function (k) {
        if (s[k]) params.set(k, s[k]); else params.delete(k);
      });
      var qs = params.toString();
      var hash = /=/.test(location.hash) ? '' : location.hash; // drop an old #year=… state
      var url = location.pathname + (qs ? '?' + qs : '') + hash;
      try { history.replaceState(history.state, '', url); } catch (e) { /* file:// in some browsers */ }
    };

    var readUrl = function () {
      var params = new URLSearchParams(location.search);
      if (/=/.test(location.hash)) { // #year=2023 is accepted too
        new URLSearchParams(location.hash.slice(1)).forEach(function (v, k) { if (!params.has(k)) params.set(k, v); });
      }
      Object.keys(fields).forEach(function (k) {
        var el = fields[k];
        if (!el) return;
        var v = params.get(k) || '';
        if (el.tagName === 'SELECT') {
          var known = Array.prototype.some.call(el.options, function (o) { return o.value === v; });
          el.value = known ? v : '';
        } else {
          el.value = v;
        }
      });
    };

    form.addEventListener('submit', function (e) { e.preventDefault(); apply(true); });
    form.addEventListener('change', function () { apply(true); });
    form.addEventListener('input', function (e) { if (e.target === fields.q) apply(true); });
    reset.addEventListener('click', function () {
      Object.keys(fields).forEach(function (k) { if (fields[k]) fields[k].value = ''; });
      apply(true);
      (fields.year || fields.q).focus();
    });
    window.addEventListener('popstate', function () { readUrl(); apply(false); });

    readUrl();
    form.hidden = false;
    apply(false);
  }

  // ---- a paged index: filters over catalog-data.js ----
  function pagedFilter(form, list) {
    var src = form.getAttribute('data-src');
    var CHUNK = Math.max(1, +form.getAttribute('data-chunk') || 50);
    var count = doc.getElementById('count'), empty = doc.getElementById('empty');
    var pager = doc.querySelector('nav.pager'), skip = doc.querySelector('a.skip');
    var template = (count && count.getAttribute('data-template')) || '{n}';
    var pageCount = count ? count.textContent : '';
    var siteLang = doc.documentElement.lang || 'ja';
    var data = null, rows = null, loading = null, want = null;
    var results = null, more = null, matches = [], shown = 0;

    window.KANKO_CATALOG = function (d) { data = d; };
    var say = function (text) { if (count && count.textContent !== text) count.textContent = text; };
    var load = function () {
      if (!loading) {
        loading = new Promise(function (ok, fail) {
          var s = doc.createElement('script');
          s.src = src;
          s.onload = function () { s.remove(); if (data) ok(); else fail(); };
          s.onerror = function () { s.remove(); fail(); };
          doc.head.appendChild(s);
        });
        loading.then(function () {
          var d = data;
          rows = d.r.map(function (r) {
            return {
              r: r,
              year: String(d.years[r[4]][0]),
              funders: r[5].map(function (i) { return d.funders[i]; }),
              project: d.projects[r[6]],
              text: norm([r[1], r[2], r[3], d.projects[r[6]], d.publishers[r[7]]].join(' '))
            };
          });
          if (want) apply(want);
        }, function () {
          loading = null; // a later use tries again
          if (results) results.removeAttribute('aria-busy');
          if (want) say(t('報告書の一覧を読み込めませんでした。ページを再読み込みしてください。', 'Could not load the list of reports. Please reload the page.'));
        });
      }
    };

    var size = function (b) { return b >= 1e6 ? (b / 1e6).toFixed(1) + ' MB' : Math.max(1, Math.ceil(b / 1000)) + ' KB'; };
    var card = function (r) {
      var d = data, slug = r[0], lang = d.langs[r[11]];
      var li = el('li', { class: 'report' });
      if (lang !== siteLang) li.setAttribute('lang', lang);
      var art = el('article', { 'aria-labelledby': 'fr-' + slug });
      var cover = el('a', { class: 'cover', href: slug + '/index.html', tabindex: '-1', 'aria-hidden': 'true' });
      if (r[13] >= 0) {
        cover.appendChild(el('img', { src: slug + '/' + d.files[r[13]], alt: '', width: '238', height: '337', loading: 'lazy' }));
      }
      art.appendChild(cover);
      var body = el('div', { class: 'body' });
      body.appendChild(el('p', { class: 'year' }, d.years[r[4]][1]));
      var h = el('h2', { id: 'fr-' + slug });
      h.appendChild(el('a', { href: slug + '/index.html' }, r[1]));
      body.appendChild(h);
      if (r[2]) body.appendChild(el('p', { class: 'subtitle' }, r[2]));
      if (r[3]) body.appendChild(el('p', { class: 'desc' }, r[3]));
      var dl = el('dl', { class: 'meta' });
      var pair = function (k, v) { dl.appendChild(el('dt', null, k)); var dd = el('dd'); dd.appendChild(v); dl.appendChild(dd); };
      pair(t('事業名', 'Project'), doc.createTextNode(d.projects[r[6]]));
      pair(t('発行', 'Publisher'), doc.createTextNode(d.publishers[r[7]]));
      pair(t('発行日', 'Published'), el('time', { datetime: r[8] }, d.dates[r[9]]));
      pair(t('ページ数', 'Pages'), doc.createTextNode(r[10] + t('ページ', ' pages')));
      body.appendChild(dl);
      body.appendChild(el('p', { class: 'credit' }, d.credits[r[12]]));
      var acts = el('p', { class: 'actions' });
      if (r[14] >= 0) acts.appendChild(el('a', { class: 'btn primary', href: slug + '/' + d.files[r[14]] }, t('読む', 'Read')));
      [['PDF', r[15], '.pdf'], ['EPUB', r[16], '.epub']].forEach(function (f) {
        if (!f[1]) return;
        var n = typeof f[1] === 'number' ? f[1] : f[1][0], name = typeof f[1] === 'number' ? slug + f[2] : f[1][1];
        var a = el('a', { class: 'btn', href: slug + '/' + name, download: '' }, f[0] + t('（', ' (') + size(n) + t('）', ')'));
        acts.appendChild(a);
      });
      body.appendChild(acts);
      art.appendChild(body);
      li.appendChild(art);
      return li;
    };

    var showMore = function (focus) {
      var first = null;
      matches.slice(shown, shown + CHUNK).forEach(function (m) {
        var li = card(m.r);
        if (!first) first = li;
        results.appendChild(li);
      });
      shown = Math.min(matches.length, shown + CHUNK);
      var left = matches.length - shown;
      more.hidden = left <= 0;
      more.textContent = t('さらに表示（残り ' + left + ' 件）', 'Show more (' + left + ' left)');
      if (focus && first) first.querySelector('h2 a').focus();
    };

    // The server-rendered page again, exactly as it came.
    var restore = function () {
      if (results) { results.hidden = true; results.textContent = ''; results.removeAttribute('aria-busy'); more.hidden = true; }
      list.hidden = false;
      if (pager) pager.hidden = false;
      if (skip) skip.setAttribute('href', '#reports');
      if (empty) empty.hidden = true;
      matches = []; shown = 0;
      say(pageCount);
    };

    var apply = function (s) {
      want = Object.keys(s).length ? s : null;
      if (!want) { restore(); return; }
      if (!results) {
        results = el('ol', { class: 'reports', id: 'results', hidden: '' });
        list.parentNode.insertBefore(results, list.nextSibling);
        more = el('button', { type: 'button', class: 'btn more', id: 'f-more', hidden: '' });
        more.addEventListener('click', function () { showMore(true); });
        results.parentNode.insertBefore(more, results.nextSibling);
      }
      if (!rows) {
        results.setAttribute('aria-busy', 'true');
        say(t('報告書の一覧を読み込んでいます…', 'Loading the list of reports…'));
        load();
        return;
      }
      var q = norm(s.q);
      matches = rows.filter(function (it) {
        return (!s.year || it.year === s.year) &&
          (!s.funder || it.funders.indexOf(s.funder) >= 0) &&
          (!s.project || it.project === s.project) &&
          (!q || it.text.indexOf(q) >= 0);
      });
      results.textContent = '';
      results.removeAttribute('aria-busy');
      shown = 0;
      list.hidden = true;
      if (pager) pager.hidden = true;
      if (skip) skip.setAttribute('href', '#results');
      results.hidden = false;
      showMore(false);
      say(template.replace('{n}', String(matches.length)));
      if (empty) empty.hidden = matches.length > 0;
    };

    return { apply: apply };
  }

  // ---- <slug>/index.html: embed code ----
  var code = doc.getElementById('embed-code');
  var copy = doc.getElementById('embed-copy');
  if (code) {
    var esc = function (s) {
      return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    };
    // An absolute address written at build time (--base-url) is kept; otherwise use where this page is.
    if (!/\bsrc="[a-z][a-z0-9+.-]*:\/\//i.test(code.value) && /^https?:$/.test(location.protocol)) {
      var src = new URL(code.getAttribute('data-embed-src') || 'reader/index.html', location.href).href;
      var title = code.getAttribute('data-embed-title') || doc.title;
      code.value = '<iframe src="' + esc(src) + '" title="' + esc(title) +
        '" width="100%" height="640" style="border:0" allowfullscreen loading="lazy"></iframe>';
    }
    code.addEventListener('focus', function () { code.select(); });

    if (copy) {
      var status = doc.createElement('span');
      status.className = 'copy-status';
      status.setAttribute('role', 'status');
      status.setAttribute('aria-live', 'polite');
      copy.insertAdjacentElement('afterend', status);
      var timer = 0;
      var say = function (msg, bad) {
        status.textContent = msg;
        status.classList.toggle('error', !!bad);
        clearTimeout(timer);
        if (!bad) timer = setTimeout(function () { status.textContent = ''; }, 6000);
      };
      var fallback = function () {
        code.focus();
        code.select();
        code.setSelectionRange(0, code.value.length);
        var ok = false;
        try { ok = doc.execCommand('copy'); } catch (e) { ok = false; }
        return ok;
      };
      var done = function (ok) {
        if (ok) say(t('コピーしました。', 'Copied.'));
        else say(t('コピーできませんでした。コードを選択してコピーしてください。', 'Could not copy. Please select the code and copy it.'), true);
      };
      copy.addEventListener('click', function () {
        var text = code.value;
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallback()); });
        } else {
          done(fallback());
        }
      });
      copy.hidden = false;
    }
  }
})();
