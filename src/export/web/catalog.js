/* kanko catalog: filters on index.html, embed code on <slug>/index.html.
   Without this script every report is listed and the embed code is the relative one. */
(function () {
  'use strict';
  var doc = document;
  var ja = (doc.documentElement.lang || 'ja').toLowerCase().indexOf('ja') === 0;
  var t = function (j, e) { return ja ? j : e; };
  var norm = function (s) { return String(s || '').normalize('NFKC').toLowerCase().replace(/\s+/g, ''); };

  // ---- index.html: filters ----
  var form = doc.getElementById('filters');
  var list = doc.getElementById('reports');
  if (form && list) {
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
