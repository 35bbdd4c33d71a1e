/* kanko catalog: filters on index.html, embed code on <slug>/index.html.
   Without this script every report is listed and the embed code is the relative one.
   A paged index (index.html, index-2.html, …) filters over every report: its form names the data
   files (data-src, one per 年度, see src/export/catalog/data.rs), loaded with catalog-paged.js on
   first use only, which shows the matches as cards in the list's place, data-chunk at a time. */
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

    // Phones: the filters fold behind one button (catalog.css) that says how many are active.
    var toggle = doc.getElementById('f-toggle');
    var showActive = function (n) {
      if (!toggle) return;
      var text = n ? (toggle.getAttribute('data-active') || '{n}').replace('{n}', String(n)) : toggle.getAttribute('data-label');
      if (text && toggle.textContent !== text) toggle.textContent = text;
      toggle.classList.toggle('active', n > 0);
    };
    if (toggle) {
      toggle.addEventListener('click', function () {
        var open = !form.classList.contains('open');
        form.classList.toggle('open', open);
        toggle.setAttribute('aria-expanded', String(open));
      });
    }

    var apply = function (updateUrl) {
      var s = state();
      showActive(Object.keys(s).length);
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
    // Filters from the address (a shared link): the folded panel opens to show them.
    if (toggle && Object.keys(state()).length) toggle.click();
  }

  // ---- a paged index: the filters search every report ----
  // catalog-paged.js (the result cards) and the data, one file per 年度 (data-src with {y}), load
  // on first use only: a chosen year needs its own file, the other filters every year's.
  function pagedFilter(form, list) {
    var count = doc.getElementById('count'), yearSel = doc.getElementById('f-year');
    var pageCount = count ? count.textContent : '';
    var src = form.getAttribute('data-src');
    var years = yearSel ? Array.prototype.map.call(yearSel.options, function (o) { return o.value; }).filter(Boolean) : [];
    var files = {}, loads = {}, impl = null, want = null, run = 0;
    var say = function (text) { if (count && count.textContent !== text) count.textContent = text; };
    var script = function (url) {
      if (!loads[url]) {
        loads[url] = new Promise(function (ok, fail) {
          var s = doc.createElement('script');
          s.src = url;
          s.onload = function () { s.remove(); ok(); };
          s.onerror = function () { s.remove(); delete loads[url]; fail(); }; // a later use tries again
          doc.head.appendChild(s);
        });
      }
      return loads[url];
    };
    window.KANKO_CATALOG = function (d) { files[d.y] = d; };
    var apply = function (s) {
      var my = ++run;
      want = Object.keys(s).length ? s : null;
      var need = !want ? [] : want.year ? [want.year] : years;
      var missing = need.filter(function (y) { return !files[y]; });
      if (!want || (impl && !missing.length)) {
        list.removeAttribute('aria-busy');
        if (impl) impl.apply(s); else say(pageCount);
        return;
      }
      say(t('報告書の一覧を読み込んでいます…', 'Loading the list of reports…'));
      list.setAttribute('aria-busy', 'true');
      Promise.all([script('catalog-paged.js')].concat(missing.map(function (y) { return script(src.replace('{y}', y)); }))).then(function () {
        if (my !== run) return; // a later change is being applied
        if (typeof window.KANKO_PAGED !== 'function' || missing.some(function (y) { return !files[y]; })) throw new Error('catalog data missing');
        if (!impl) impl = window.KANKO_PAGED({ form: form, list: list, files: files, years: years, pageCount: pageCount, t: t, norm: norm, el: el, say: say });
        list.removeAttribute('aria-busy');
        impl.apply(want || {});
      }).catch(function () {
        if (my !== run) return;
        list.removeAttribute('aria-busy');
        if (impl) impl.apply({}); // no stale results under the new choice: this page's list again
        say(t('報告書の一覧を読み込めませんでした。ページを再読み込みしてください。', 'Could not load the list of reports. Please reload the page.'));
      });
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
