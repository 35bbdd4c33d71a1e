/* kanko catalog, paged index: the filters' results over every report. Loaded by catalog.js with the
   data files (one per 年度, layout in src/export/catalog/data.rs) when a filter is first used;
   renders the matches as the same cards the server writes, `data-chunk` at a time, in the list's
   place. catalog.js has loaded the files a state needs before it calls apply(state).
   Every string from the data is set as text (textContent, attributes), never as HTML. */
window.KANKO_PAGED = function (o) {
  'use strict';
  var doc = document, form = o.form, list = o.list, files = o.files, t = o.t, norm = o.norm, el = o.el, say = o.say;
  var CHUNK = Math.max(1, +form.getAttribute('data-chunk') || 50);
  var count = doc.getElementById('count'), empty = doc.getElementById('empty');
  var pager = doc.querySelector('nav.pager'), skip = doc.querySelector('a.skip');
  var template = (count && count.getAttribute('data-template')) || '{n}';
  var pageCount = o.pageCount;
  var siteLang = doc.documentElement.lang || 'ja';
  var results = null, more = null, matches = [], shown = 0;
  var rowsOf = {};
  // A year's reports, decoded once: { r: row, d: its file, … what the filters compare }.
  var rows = function (y) {
    var d = files[y];
    if (!rowsOf[y]) {
      rowsOf[y] = d.r.map(function (r) {
        return {
          r: r,
          d: d,
          funders: r[5].map(function (i) { return d.funders[i]; }),
          project: d.projects[r[6]],
          text: norm([r[1], r[2], r[3], d.projects[r[6]], d.publishers[r[7]]].join(' '))
        };
      });
    }
    return rowsOf[y];
  };

  var size = function (b) { return b >= 1e6 ? (b / 1e6).toFixed(1) + ' MB' : Math.max(1, Math.ceil(b / 1000)) + ' KB'; };
  var card = function (r, d) {
    var slug = r[0], lang = d.langs[r[11]];
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
      var li = card(m.r, m.d);
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
    if (results) { results.hidden = true; results.textContent = ''; more.hidden = true; }
    list.hidden = false;
    if (pager) pager.hidden = false;
    if (skip) skip.setAttribute('href', '#reports');
    if (empty) empty.hidden = true;
    matches = []; shown = 0;
    say(pageCount);
  };

  var apply = function (s) {
    if (!Object.keys(s).length) { restore(); return; }
    if (!results) {
      results = el('ol', { class: 'reports', id: 'results', hidden: '' });
      list.parentNode.insertBefore(results, list.nextSibling);
      more = el('button', { type: 'button', class: 'btn more', id: 'f-more', hidden: '' });
      more.addEventListener('click', function () { showMore(true); });
      results.parentNode.insertBefore(more, results.nextSibling);
    }
    var q = norm(s.q);
    // newest year first, as the index pages are
    matches = [];
    (s.year ? [s.year] : o.years).forEach(function (y) { if (files[y]) matches = matches.concat(rows(y)); });
    matches = matches.filter(function (it) {
      return (!s.funder || it.funders.indexOf(s.funder) >= 0) &&
        (!s.project || it.project === s.project) &&
        (!q || it.text.indexOf(q) >= 0);
    });
    results.textContent = '';
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
};
