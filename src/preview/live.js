/* kanko serve: live reload and the error overlay. Served by `kanko serve` only, never in dist/. */
(function () {
  'use strict';
  var overlay = null;

  function show(errors) {
    hide();
    if (!errors || !errors.length) return;
    overlay = document.createElement('div');
    overlay.id = 'kanko-overlay';
    overlay.setAttribute('role', 'alert');
    overlay.style.cssText = 'position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;' +
      'background:#7f1d1d;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:12px 16px;box-shadow:0 -4px 16px rgba(0,0,0,.4)';
    var h = document.createElement('strong');
    h.textContent = document.documentElement.lang === 'en' ? 'Build error — the last good preview is shown' : 'ビルドエラー（前回の正常なプレビューを表示中）';
    overlay.appendChild(h);
    errors.forEach(function (e) {
      var p = document.createElement('p');
      p.style.margin = '8px 0 0';
      p.textContent = (e.location ? e.location + ': ' : '') + e.message;
      overlay.appendChild(p);
      if (e.source) {
        var pre = document.createElement('pre');
        pre.style.cssText = 'margin:4px 0 0;background:rgba(0,0,0,.3);padding:6px 8px;white-space:pre-wrap';
        pre.textContent = e.source + (e.col ? '\n' + ' '.repeat(Math.max(0, e.col - 1)) + '^' : '');
        overlay.appendChild(pre);
      }
    });
    document.body.appendChild(overlay);
  }

  function hide() {
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
    overlay = null;
  }

  function mine(slugs) {
    var path = location.pathname;
    if (path === '/' || /\/index\.html$/.test(path) && path.split('/').length <= 2) return true;
    return slugs.some(function (s) { return path.indexOf('/' + s + '/') === 0; });
  }

  /* The report whose page is open: '/<slug>/…' (not the preview index). */
  function openReport(slugs) {
    var path = location.pathname;
    for (var i = 0; i < slugs.length; i++) {
      if (path.indexOf('/' + slugs[i] + '/') === 0) return slugs[i];
    }
    return null;
  }

  function apply(status, reload) {
    show(status.errors);
    if (!reload || (status.errors && status.errors.length) || !mine(status.slugs || [])) return;
    var slug = openReport(status.slugs || []);
    var hash = status.page ? '#p=' + status.page : '';
    /* The reader and its text mode (reader/text.html) show an edit in place; every other page of the report (its report page, the
       downloads) does not, so the tab goes to the reader at the edited page. */
    if (slug && !/\/reader\/[^/]*$/.test(location.pathname)) {
      location.href = '/' + slug + '/reader/index.html' + hash;
      return;
    }
    if (hash && /\/reader\/index\.html$/.test(location.pathname)) {
      if (location.hash !== hash) history.replaceState(null, '', hash);
    }
    location.reload();
  }

  fetch('/__kanko/status').then(function (r) { return r.json(); }).then(function (s) { apply(s, false); });
  var es = new EventSource('/__kanko/events');
  es.addEventListener('reload', function (e) { apply(JSON.parse(e.data), true); });
})();
