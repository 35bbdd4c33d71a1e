/* kanko page-flip reader. No dependencies, works from file:// (only <script> and <img> loads).
   Pages are drawn by pages.js (KANKO_DRAW); this file is the chrome, text layer, search and gestures.
   Data contract: READER.md (window.KANKO_BOOK, text/G.js → KANKO_TEXT per page, also what the in-book search reads). */
(function () {
  'use strict';
  var B = window.KANKO_BOOK;
  if (!B) return;
  var N = B.pageCount || B.pages.length;
  var ja = /^ja/i.test(B.lang || '');
  var rtl = B.direction === 'rtl';
  var MODE_KEY = 'kanko-mode';

  function store(v) { try { localStorage.setItem(MODE_KEY, v); } catch (e) { /* file:// or private mode */ } }
  function stored() { try { return localStorage.getItem(MODE_KEY); } catch (e) { return null; } }
  function hashPage() { var m = /(?:^#|&)p=(\d+)/.exec(location.hash); return m ? +m[1] : 0; }

  // Text mode remembered: go there unless a page was asked for explicitly.
  if (B.textMode && stored() === 'text' && !hashPage()) { location.replace(B.textMode); return; }

  var T = ja ? {
    toc: '目次', thumbs: 'サムネイル', search: '検索', text: '文字で読む', prev: '前のページ', next: '次のページ',
    zin: '拡大', zout: '縮小', fs: '全画面', close: '閉じる', slider: 'ページ', dl: 'ダウンロード', catalog: '報告書一覧',
    page: function (n) { return n + 'ページ'; }, of: function (a, n) { return a + ' / ' + n + 'ページ'; }, help: 'ヘルプ',
    keys: [['→ ←', '次・前のページ（縦組みは逆）'], ['PageDown PageUp', '次・前のページ'], ['Home End', '最初・最後のページ'],
      ['+ −', '拡大・縮小（ページにフォーカスがあるとき）'], ['Alt+R', '読み上げの開始・一時停止・再開'], ['Esc', '読み上げの停止・パネルを閉じる・拡大を戻す'], ['Tab', '次の操作へ（パネルの中では、その中を巡回）']],
    hits: function (n) { return n + '件見つかりました'; }, none: '見つかりませんでした', loading: '読み込み中…',
    more: function (n) { return '最初の' + n + '件を表示しています'; }
  } : {
    toc: 'Contents', thumbs: 'Thumbnails', search: 'Search', text: 'Read as text', prev: 'Previous page', next: 'Next page',
    zin: 'Zoom in', zout: 'Zoom out', fs: 'Full screen', close: 'Close', slider: 'Page', dl: 'Download', catalog: 'All reports',
    page: function (n) { return 'Page ' + n; }, of: function (a, n) { return 'Page ' + a + ' of ' + n; }, help: 'Help',
    keys: [['→ ←', 'Next / previous page (reversed for vertical text)'], ['PageDown PageUp', 'Next / previous page'], ['Home End', 'First / last page'],
      ['+ −', 'Zoom in / out (when the page has focus)'], ['Alt+R', 'Start, pause or resume reading aloud'], ['Esc', 'Stop reading, close the panel, reset zoom'], ['Tab', 'Next control (inside an open panel, cycles within it)']],
    hits: function (n) { return n === 1 ? '1 result' : n + ' results'; }, none: 'No results', loading: 'Loading…',
    more: function (n) { return 'Showing the first ' + n; }
  };

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) if (attrs[k] != null) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function label(id, s) { var b = $(id); b.setAttribute('aria-label', s); b.title = s; return b; }
  function each(sel, fn) { [].forEach.call(document.querySelectorAll(sel), fn); }
  function loadScript(src) { document.head.appendChild(el('script', { src: src })); }

  var stage = $('kr-stage'), spreadEl = $('kr-spread'), slider = $('kr-slider'), live = $('kr-live');
  document.documentElement.classList.add(rtl ? 'kr-rtl' : 'kr-ltr');
  document.documentElement.style.setProperty('--pw', B.pageWidth);
  document.documentElement.style.setProperty('--ph', B.pageHeight);

  // ---- chrome labels -------------------------------------------------------------------------
  label('kr-b-toc', T.toc); label('kr-b-thumbs', T.thumbs); label('kr-b-search', T.search);
  label('kr-b-help', T.help); $('kr-h-help').textContent = T.help;
  T.keys.forEach(function (k) {
    var dt = el('dt');
    k[0].split(' ').forEach(function (x, i) { if (i) dt.appendChild(document.createTextNode(' ')); dt.appendChild(el('kbd', null, x)); });
    $('kr-keys').appendChild(dt); $('kr-keys').appendChild(el('dd', null, k[1]));
  });
  label('kr-prev', T.prev); label('kr-next', T.next); label('kr-zin', T.zin); label('kr-zout', T.zout); label('kr-fs', T.fs);
  $('kr-tools').setAttribute('aria-label', ja ? 'ツール' : 'Tools');
  $('kr-h-toc').textContent = T.toc; $('kr-h-thumbs').textContent = T.thumbs; $('kr-h-search').textContent = T.search;
  $('kr-q-label').textContent = ja ? '本文を検索' : 'Search the text';
  $('kr-slider-label').textContent = T.slider;
  each('.kr-close', function (b) { b.setAttribute('aria-label', T.close); b.title = T.close; b.onclick = function () { closePanel(); }; });
  if (B.catalog) { var cat = label('kr-catalog', T.catalog); cat.href = B.catalog; cat.hidden = false; }
  if (B.textMode) {
    var tb = label('kr-b-text', T.text); tb.hidden = false;
    tb.querySelector('.kr-b-label').textContent = T.text; // shown on narrow screens (reader.css)
    tb.onclick = function () { store('text'); location.href = B.textMode; };
  }
  each('.kr-dl', function (box) {
    [['PDF', B.pdf], ['EPUB', B.epub]].forEach(function (d) {
      if (!d[1]) return;
      var a = el('a', { href: d[1], download: '', class: 'kr-btn kr-dlink', 'aria-label': d[0] + ' ' + T.dl }, d[0]);
      box.appendChild(a);
    });
  });
  var fsOk = document.fullscreenEnabled && document.documentElement.requestFullscreen;
  if (fsOk) {
    $('kr-fs').hidden = false;
    $('kr-fs').onclick = function () {
      if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen();
    };
    document.addEventListener('fullscreenchange', function () { $('kr-fs').setAttribute('aria-pressed', !!document.fullscreenElement); });
  }
  // On phones the title has a row of its own under the tools, so the top bar's height varies
  // (one or two lines of title): panels open below it (--top-h).
  var topBar = document.querySelector('.kr-top');
  function topHeight() { document.documentElement.style.setProperty('--top-h', topBar.offsetHeight + 'px'); }
  topHeight();
  if (window.ResizeObserver) new ResizeObserver(topHeight).observe(topBar); else addEventListener('resize', topHeight);
  slider.max = N; slider.dir = rtl ? 'rtl' : 'ltr';
  document.querySelector('.kr-nav').dir = $('kr-thumbs').dir = rtl ? 'rtl' : 'ltr';

  // ---- pages ---------------------------------------------------------------------------------
  var pages = {}, texts = {}, textReq = {}, cur = 0, shown = [], twoUp = false, interacted = false;

  function pageEl(n) {
    if (pages[n]) return pages[n];
    var d = el('div', { class: 'kr-page', role: 'group', 'aria-label': T.page(n), 'data-page': n });
    var draw = el('div', { class: 'kr-draw' });
    var layer = el('div', { class: 'kr-text', lang: B.lang });
    d.appendChild(draw); d.appendChild(layer);
    return (pages[n] = d);
  }
  // Pages near the shown spread stay in it, laid out but unseen (.kr-off: transparent, under the shown
  // pages, aria-hidden, links out of the tab order), so a turn lays nothing out and restyles no text.
  // (visibility: hidden is inherited: flipping it restyled every glyph run, 15–60 ms of a turn under
  // 4× CPU throttling.) They are kept in page order so a selection never runs through a hidden page.
  var attached = {}, NEAR = 2;
  function attach(n) {
    var d = pageEl(n), after = 0;
    if (attached[n]) return d;
    attached[n] = 1;
    off(d, true);
    Object.keys(attached).forEach(function (k) { k = +k; if (k > n && (!after || k < after)) after = k; });
    spreadEl.insertBefore(d, after ? pages[after] : null);
    return d;
  }
  function off(d, hide) {
    if (d.kOff === hide) return;
    d.kOff = hide;
    d.classList.toggle('kr-off', hide);
    if (hide) d.setAttribute('aria-hidden', 'true'); else d.removeAttribute('aria-hidden');
    [].forEach.call(d.getElementsByTagName('a'), function (a) { if (hide) a.tabIndex = -1; else a.removeAttribute('tabindex'); });
  }
  // Give page n its drawing and text layer (visible pages and neighbours only).
  function ensure(n) {
    if (n < 1 || n > N) return;
    var d = pageEl(n);
    if (window.KANKO_DRAW) KANKO_DRAW(n, d.firstChild);
    if (texts[n]) { if (!d.kText) renderText(n); }
    else needText(n);
  }
  // The text layer of page n: its page group's file (text/G.js, several pages), loaded once; a file
  // that fails to load counts as pages without text (the search still runs).
  function needText(n) {
    var src = B.pages[n - 1].text;
    if (texts[n] || textReq[src]) return;
    textReq[src] = 1;
    var s = el('script', { src: src });
    s.onerror = function () {
      B.pages.forEach(function (p, i) { if (p.text === src && !texts[i + 1]) { texts[i + 1] = []; links[i + 1] = []; } });
      searchReady();
    };
    document.head.appendChild(s);
  }
  var links = {};
  window.KANKO_TEXT = function (n, lines, ls) { texts[n] = lines || []; links[n] = ls || []; if (pages[n]) renderText(n); searchReady(); };

  function renderText(n) {
    var d = pages[n], layer = d.lastChild, f = document.createDocumentFragment();
    layer.textContent = '';
    texts[n].forEach(function (l) {
      var s = el('span', null, l[4]);
      s.style.cssText = 'left:calc(var(--s)*' + l[0] + 'px);top:calc(var(--s)*' + +(l[1] - 0.88 * l[3]).toFixed(2) +
        'px);font-size:calc(var(--s)*' + l[3] + 'px)';
      s.kW = l[2]; s.kF = l[3];
      f.appendChild(s);
    });
    // Links over the text: a place in the report turns to its page, a web address opens apart.
    (links[n] || []).forEach(function (l) {
      var a = el('a', { class: 'kr-link', href: l[4], 'aria-label': l[5] || l[4] });
      if (!/^#/.test(l[4])) { a.target = '_blank'; a.rel = 'noopener'; }
      if (d.kOff) a.tabIndex = -1;
      a.style.cssText = 'left:calc(var(--s)*' + l[0] + 'px);top:calc(var(--s)*' + l[1] + 'px);width:calc(var(--s)*' +
        l[2] + 'px);height:calc(var(--s)*' + l[3] + 'px)';
      f.appendChild(a);
    });
    layer.appendChild(f);
    d.kText = 1; d.kFit = 0;
    fit(d);
    applyMark(n);
  }
  // Stretch each line to its width in the PDF (natural width measured once; ratio is scale-invariant).
  function fit(d) {
    if (d.kFit || !d.kText || !d.isConnected || !scale) return;
    var spans = d.lastChild.children, w = [], i;
    for (i = 0; i < spans.length; i++) w[i] = spans[i].offsetWidth;
    for (i = 0; i < spans.length; i++) if (w[i] > 0 && spans[i].kW) spans[i].style.transform = 'scaleX(' + (spans[i].kW * scale * zoom / w[i]).toFixed(4) + ')';
    d.kFit = 1;
  }

  // ---- layout --------------------------------------------------------------------------------
  var scale = 0;
  function spreadOf(n) { return !twoUp || n === 1 ? [n] : n % 2 ? [n - 1, n] : (n + 1 <= N ? [n, n + 1] : [n]); }
  function layout() {
    twoUp = innerWidth > innerHeight && innerWidth >= 700 && N > 1;
    var cs = getComputedStyle(stage), pad = parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
    var w = stage.clientWidth - pad, h = stage.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
    var s = Math.max(0.1, Math.min(w / (B.pageWidth * (twoUp ? 2 : 1)), h / B.pageHeight));
    if (s !== scale) { scale = s; spreadEl.style.setProperty('--s', s * zoom); }
    if (cur) show(cur, 0, 1);
  }

  // ---- navigation ----------------------------------------------------------------------------
  function clamp(n) { return Math.max(1, Math.min(N, n | 0 || 1)); }
  function show(n, dir, silent) {
    n = clamp(n);
    var sp = spreadOf(n), changed = sp.join() !== shown.join();
    cur = n;
    if (changed) {
      resetZoom();
      sp.forEach(function (p) { ensure(p); attach(p); });
      var keep = {};
      sp.forEach(function (p) { for (var i = -NEAR; i <= NEAR; i++) keep[p + i] = 1; });
      Object.keys(attached).forEach(function (k) {
        var d = pages[k], at = sp.indexOf(+k);
        if (!keep[k]) { spreadEl.removeChild(d); delete attached[k]; return; }
        off(d, at < 0);
        // Second page of a spread on the right (left to right), first on the right (right to left).
        d.classList.toggle('kr-r', sp.length > 1 && at === (rtl ? 0 : 1));
      });
      spreadEl.classList.toggle('kr-two', sp.length > 1);
      sp.forEach(function (p) { fit(pages[p]); });
      shown = sp;
      if (dir && !reduced.matches) {
        // Web Animations: no forced layout to restart a CSS animation.
        var k = (dir > 0) !== rtl ? 1 : -1;
        if (spreadEl.animate) {
          spreadEl.animate([{ transform: 'translateX(' + 36 * k + 'px) perspective(1200px) rotateY(' + -6 * k + 'deg)', opacity: 0.25 },
            { transform: 'none', opacity: 1 }], { duration: 280, easing: 'ease-out' });
        }
      }
      if (interacted) later(prefetch);
    }
    var lbl = sp.length > 1 ? sp[0] + '–' + sp[1] : '' + sp[0];
    $('kr-count').textContent = lbl + ' / ' + N;
    slider.value = n;
    slider.setAttribute('aria-valuetext', T.of(lbl, N));
    $('kr-prev').disabled = sp[0] <= 1;
    $('kr-next').disabled = sp[sp.length - 1] >= N;
    if (!silent && changed) live.textContent = T.of(lbl, N);
    markThumb();
  }
  // Neighbours are fetched, drawn and laid out hidden (after the turn's frame, when the browser is idle),
  // so the next turn only moves boxes and paints.
  function dropHidden() {
    Object.keys(attached).forEach(function (k) {
      if (shown.indexOf(+k) < 0) { spreadEl.removeChild(pages[k]); delete attached[k]; }
    });
  }
  function prefetch() {
    if (zoom > 1) return;
    var a = shown[0], b = shown[shown.length - 1], near = [];
    for (var i = 1; i <= NEAR; i++) near.push(a - i, b + i);
    prepare(near);
  }
  // Fetch, draw and lay out these pages hidden in the spread; fit their text layers when idle.
  function prepare(list) {
    list = list.filter(function (n) { return n >= 1 && n <= N; });
    list.forEach(function (n) { ensure(n); attach(n); });
    later(function () { list.forEach(function (n) { if (attached[n]) fit(pages[n]); }); });
  }
  function later(f) {
    requestAnimationFrame(function () { setTimeout(function () { (window.requestIdleCallback || setTimeout)(f, { timeout: 300 }); }, 0); });
  }
  function touch() { if (!interacted) { interacted = true; prefetch(); } }
  function go(n, push) {
    n = clamp(n);
    var dir = n > cur ? 1 : n < cur ? -1 : 0;
    show(n, dir);
    var h = '#p=' + n;
    if (location.hash !== h) {
      if (push === false) history.replaceState(null, '', h); else history.pushState(null, '', h);
    }
  }
  function step(d) {
    touch();
    var sp = shown;
    go(d > 0 ? sp[sp.length - 1] + 1 : sp[0] - 1);
  }
  function fromHash() { var p = hashPage(); if (p && p !== cur) show(p, p > cur ? 1 : -1); }
  addEventListener('hashchange', fromHash);
  addEventListener('popstate', fromHash);

  $('kr-prev').onclick = function () { step(-1); };
  $('kr-next').onclick = function () { step(1); };
  slider.addEventListener('input', function () { touch(); show(+slider.value, +slider.value > cur ? 1 : -1); });
  slider.addEventListener('change', function () { go(+slider.value); });

  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (e.key === 'Escape') { if (openPanel) closePanel(); else if (zoom > 1) resetZoom(); return; }
    if (e.key === 'Tab' && openPanel) { trap(e); return; }
    if (e.altKey || e.ctrlKey || e.metaKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable) return;
    var k = e.key, d = 0;
    if (k === 'ArrowRight') d = rtl ? -1 : 1;
    else if (k === 'ArrowLeft') d = rtl ? 1 : -1;
    else if (k === 'PageDown') d = 1;
    else if (k === 'PageUp') d = -1;
    else if (k === 'Home') { touch(); go(1); }
    else if (k === 'End') { touch(); go(N); }
    else if ((k === '+' || k === '=' || k === '-') && (t === document.body || stage.contains(t))) setZoom(k === '-' ? zoom / 1.5 : zoom * 1.5);
    else return;
    if (d) step(d);
    e.preventDefault();
  });

  // ---- zoom, pan, swipe, taps ----------------------------------------------------------------
  var zoom = 1, tx = 0, ty = 0, reduced = matchMedia('(prefers-reduced-motion: reduce)');
  // Zoom re-lays the pages out at a larger --s (the vector drawing stays sharp), panning is a translate.
  function applyZoom() {
    // Zoomed, only the shown pages are laid out again at each step (pinch): the hidden
    // neighbours leave the spread, and come back after the zoom is reset.
    if (zoom > 1) dropHidden();
    spreadEl.style.setProperty('--s', scale * zoom);
    var mw = Math.max(0, (spreadEl.offsetWidth - stage.clientWidth) / 2 + 16), mh = Math.max(0, (spreadEl.offsetHeight - stage.clientHeight) / 2 + 16);
    tx = Math.max(-mw, Math.min(mw, tx)); ty = Math.max(-mh, Math.min(mh, ty));
    spreadEl.style.transform = zoom > 1 ? 'translate(' + tx + 'px,' + ty + 'px)' : '';
    stage.classList.toggle('kr-zoomed', zoom > 1);
  }
  // Zoom to z keeping the screen point (cx, cy) fixed.
  function setZoom(z, cx, cy) {
    z = Math.max(1, Math.min(4, z));
    var r = stage.getBoundingClientRect();
    var px = (cx == null ? r.left + r.width / 2 : cx) - (r.left + r.width / 2);
    var py = (cy == null ? r.top + r.height / 2 : cy) - (r.top + r.height / 2);
    tx = px - (px - tx) * z / zoom; ty = py - (py - ty) * z / zoom;
    zoom = z; applyZoom();
  }
  function resetZoom() { if (zoom !== 1) { zoom = 1; tx = ty = 0; applyZoom(); if (interacted) later(prefetch); } }
  $('kr-zin').onclick = function () { setZoom(zoom * 1.5); };
  $('kr-zout').onclick = function () { setZoom(zoom / 1.5); };
  stage.addEventListener('wheel', function (e) {
    if (e.ctrlKey) { e.preventDefault(); setZoom(zoom * Math.exp(-e.deltaY / 200), e.clientX, e.clientY); }
    else if (zoom > 1) { e.preventDefault(); tx -= e.deltaX; ty -= e.deltaY; applyZoom(); }
  }, { passive: false });

  var ptrs = {}, g = null, lastTap = null;
  function dist(a, b) { return Math.hypot(a.x - b.x, a.y - b.y); }
  function list() { return Object.keys(ptrs).map(function (k) { return ptrs[k]; }); }
  stage.addEventListener('pointerdown', function (e) {
    touch();
    ptrs[e.pointerId] = { x: e.clientX, y: e.clientY };
    var p = list();
    if (p.length === 2) g = { pinch: 1, d: dist(p[0], p[1]), z: zoom };
    else if (p.length === 1) g = { x: e.clientX, y: e.clientY, tx: tx, ty: ty, t: Date.now(), type: e.pointerType, moved: 0,
      onText: e.target.parentNode && e.target.parentNode.classList && e.target.parentNode.classList.contains('kr-text') };
  });
  stage.addEventListener('pointermove', function (e) {
    if (!ptrs[e.pointerId] || !g) return;
    ptrs[e.pointerId] = { x: e.clientX, y: e.clientY };
    var p = list();
    if (g.pinch && p.length === 2) {
      var f = dist(p[0], p[1]) / (g.d || 1);
      setZoom(g.z * f, (p[0].x + p[1].x) / 2, (p[0].y + p[1].y) / 2);
    } else if (!g.pinch) {
      var dx = e.clientX - g.x, dy = e.clientY - g.y;
      if (Math.abs(dx) + Math.abs(dy) > 8) g.moved = 1;
      if (zoom > 1 && (g.type !== 'mouse' || !g.onText)) { tx = g.tx + dx; ty = g.ty + dy; applyZoom(); }
    }
  });
  function up(e) {
    if (!ptrs[e.pointerId]) return;
    delete ptrs[e.pointerId];
    if (!g || g.pinch) { if (!list().length) g = null; return; }
    var dx = e.clientX - g.x, dy = e.clientY - g.y, gg = g;
    g = null;
    if (e.type === 'pointercancel') return;
    var sel = getSelection && String(getSelection()).length > 0;
    if (zoom === 1 && Math.abs(dx) > 40 && Math.abs(dx) > 1.5 * Math.abs(dy) && !(gg.type === 'mouse' && sel)) {
      step((dx < 0) !== rtl ? 1 : -1);
      return;
    }
    if (gg.moved || Date.now() - gg.t > 500) return;
    // Tap: double-tap toggles 2× zoom; single tap on the outer fifth of the stage turns the page.
    var now = Date.now();
    if (lastTap && now - lastTap.t < 350 && Math.hypot(e.clientX - lastTap.x, e.clientY - lastTap.y) < 30) {
      clearTimeout(lastTap.timer); lastTap = null;
      if (zoom > 1) resetZoom(); else setZoom(2, e.clientX, e.clientY);
      getSelection().removeAllRanges();
      return;
    }
    var r = stage.getBoundingClientRect(), rx = (e.clientX - r.left) / r.width, x = e.clientX, y = e.clientY;
    var edge = zoom === 1 && !sel ? (rx < 0.2 ? -1 : rx > 0.8 ? 1 : 0) : 0;
    lastTap = { t: now, x: x, y: y };
    if (edge) { lastTap = null; step(rtl ? -edge : edge); }
  }
  addEventListener('pointerup', up);
  addEventListener('pointercancel', up);
  addEventListener('resize', layout);
  if (window.ResizeObserver) new ResizeObserver(function () { layout(); }).observe(stage);

  // ---- panels --------------------------------------------------------------------------------
  var openPanel = null, opener = null;
  function togglePanel(name) {
    var p = $('kr-p-' + name);
    if (openPanel === p) { closePanel(); return; }
    if (openPanel) closePanel(true);
    opener = $('kr-b-' + name);
    if (name === 'toc') buildToc();
    if (name === 'thumbs') buildThumbs();
    p.hidden = false; openPanel = p;
    opener.setAttribute('aria-expanded', 'true');
    var f = name === 'search' ? $('kr-q') : p.querySelector('[aria-current]') || p.querySelector('nav a, nav button, .kr-thumbs button, .kr-close');
    if (f) f.focus();
    if (name === 'search') loadSearch();
  }
  function closePanel(keepFocus) {
    if (!openPanel) return;
    openPanel.hidden = true; openPanel = null;
    opener.setAttribute('aria-expanded', 'false');
    if (!keepFocus) opener.focus();
  }
  ['toc', 'thumbs', 'search', 'help'].forEach(function (n) { $('kr-b-' + n).onclick = function () { togglePanel(n); }; });
  // Tab and Shift+Tab stay inside the open panel; Esc or 閉じる closes it and focus returns to its button.
  function trap(e) {
    var f = [].filter.call(openPanel.querySelectorAll('button, [href], input, select, [tabindex]:not([tabindex="-1"])'), function (x) { return !x.disabled && x.offsetParent !== null; });
    if (!f.length) return;
    var first = f[0], last = f[f.length - 1], a = document.activeElement;
    if (!openPanel.contains(a)) { e.preventDefault(); first.focus(); }
    else if (e.shiftKey && a === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && a === last) { e.preventDefault(); first.focus(); }
  }
  // For read-aloud (speech.js): the pages on screen, and turning to a page.
  window.KANKO_READER = { shown: function () { return shown.slice(); }, go: function (n) { touch(); go(n, false); } };
  function jump(n) { touch(); go(n); if (innerWidth < 700) closePanel(); }

  var tocBuilt = false, thumbsBuilt = false;
  function buildToc() {
    if (tocBuilt) return; tocBuilt = true;
    var ol = document.querySelector('#kr-toc ol');
    (B.outline || []).forEach(function (o) {
      var li = el('li', { class: 'kr-l' + Math.min(o.level || 1, 3) });
      var b = el('button', { type: 'button' });
      b.appendChild(el('span', null, o.title));
      b.appendChild(el('span', { class: 'kr-pn' }, String((B.pages[o.page - 1] || {}).label || o.page)));
      b.onclick = function () { jump(o.page); };
      li.appendChild(b); ol.appendChild(li);
    });
  }
  function buildThumbs() {
    if (thumbsBuilt) return; thumbsBuilt = true;
    var ol = $('kr-thumbs');
    B.pages.forEach(function (p, i) {
      var li = el('li'), b = el('button', { type: 'button', 'aria-label': T.page(i + 1), 'data-page': i + 1 });
      // One slice of a column of thumbnails (thumbs/K.jpg): the box keeps the page's shape and
      // object-position picks the slice.
      var img = el('img', { src: p.thumb, alt: '', loading: 'lazy', width: 90, height: Math.round(90 * B.pageHeight / B.pageWidth) });
      var sl = p.slice || [0, 1, B.pageWidth, B.pageHeight];
      img.style.aspectRatio = sl[2] + ' / ' + sl[3];
      img.style.objectFit = 'cover';
      img.style.objectPosition = '0 ' + (sl[1] > 1 ? sl[0] / (sl[1] - 1) * 100 : 0) + '%';
      b.appendChild(img);
      b.appendChild(el('span', { 'aria-hidden': 'true' }, p.label || String(i + 1)));
      b.onclick = function () { jump(i + 1); };
      li.appendChild(b); ol.appendChild(li);
    });
    markThumb();
  }
  function markThumb() {
    if (!thumbsBuilt) return;
    each('#kr-thumbs button', function (b) {
      if (shown.indexOf(+b.getAttribute('data-page')) >= 0) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
    });
  }

  // ---- search --------------------------------------------------------------------------------
  // Normalise (NFKC, lower-case, no whitespace) keeping a map from each normalised char to the original index.
  function norm(s) {
    var out = '', map = [], re = /[\s\S][\u0300-\u036f\u3099\u309a\uff9e\uff9f]*/g, m;
    s = String(s);
    while ((m = re.exec(s))) {
      var c = m[0], nc = c.normalize ? c.normalize('NFKC').toLowerCase() : c.toLowerCase();
      nc = nc.replace(/\s+/g, '');
      for (var i = 0; i < nc.length; i++) { out += nc[i]; map.push(m.index); }
    }
    map.push(s.length);
    return { s: out, map: map };
  }
  function flat(t) { return t.replace(/\s*\n\s*/g, ja ? '' : ' ').replace(/\s+/g, ' '); }
  function qnorm(q) { return (q.normalize ? q.normalize('NFKC') : q).toLowerCase().replace(/\s+/g, ''); }
  function findAll(hay, q) { var r = [], i = hay.indexOf(q); while (i >= 0) { r.push(i); i = hay.indexOf(q, i + 1); } return r; }

  // The search reads the text layers (text/G.js), the pages' only copy of their text: on the first
  // search every page's file is loaded (those already drawn are there).
  var stext = null, sidx = null, sPending = null, sTimer = 0, mark = null, MAX = 100;
  // A page's searchable text: its lines joined, ruby readings (lines much smaller than the page's
  // median size) left out. The same rule as the catalog's index (search_text in reader.rs).
  function pageText(lines) {
    var sizes = lines.map(function (l) { return l[3]; }).sort(function (a, b) { return a - b; });
    var median = sizes.length ? sizes[sizes.length >> 1] : 10;
    return lines.filter(function (l) { return l[3] >= median * 0.6; }).map(function (l) { return l[4]; }).join('\n');
  }
  function searchReady() {
    if (stext || !loadSearch.req) return;
    for (var n = 1; n <= N; n++) if (!texts[n]) return;
    stext = [];
    for (n = 1; n <= N; n++) stext.push(pageText(texts[n]));
    sidx = stext.map(norm);
    if (sPending != null) runSearch(sPending);
  }
  function loadSearch() {
    if (stext || loadSearch.req) return;
    loadSearch.req = 1;
    for (var n = 1; n <= N; n++) needText(n);
    searchReady();
  }
  function runSearch(q) {
    var nq = qnorm(q), hitsEl = $('kr-hits'), count = $('kr-scount');
    hitsEl.textContent = '';
    if (!nq) { count.textContent = ''; return; }
    if (!stext) { sPending = q; count.textContent = T.loading; loadSearch(); return; }
    sPending = null;
    var total = 0;
    sidx.forEach(function (ix, pi) {
      findAll(ix.s, nq).forEach(function (at, k) {
        total++;
        if (total > MAX) return;
        var raw = stext[pi], a = ix.map[at], b = ix.map[at + nq.length];
        var li = el('li'), btn = el('button', { type: 'button' });
        btn.appendChild(el('span', { class: 'kr-pn' }, T.page(pi + 1)));
        var sn = el('span', { class: 'kr-sn' });
        sn.appendChild(document.createTextNode((a > 30 ? '…' : '') + flat(raw.slice(Math.max(0, a - 30), a))));
        sn.appendChild(el('mark', null, raw.slice(a, b)));
        sn.appendChild(document.createTextNode(flat(raw.slice(b, b + 40)) + (b + 40 < raw.length ? '…' : '')));
        btn.appendChild(sn);
        btn.onclick = function () { mark = { page: pi + 1, q: nq, k: k }; jump(pi + 1); applyMark(pi + 1); };
        li.appendChild(btn); hitsEl.appendChild(li);
      });
    });
    count.textContent = total ? T.hits(total) + (total > MAX ? '（' + T.more(MAX) + '）' : '') : T.none;
  }
  $('kr-q').addEventListener('focus', loadSearch);
  $('kr-q').addEventListener('input', function () { clearTimeout(sTimer); var v = this.value; sTimer = setTimeout(function () { runSearch(v); }, 250); });
  $('kr-sform').addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(sTimer); runSearch($('kr-q').value); });

  // Highlight the k-th hit of the query on page n inside its text layer (spans may be split across lines).
  function applyMark(n) {
    if (!mark || mark.page !== n || !pages[n] || !pages[n].kText) return;
    each('.kr-text mark', function (m) { var s = m.parentNode; s.textContent = s.textContent; });
    var spans = pages[n].lastChild.children, all = '', owners = [];
    [].forEach.call(spans, function (s, si) {
      var ix = norm(s.textContent);
      all += ix.s;
      for (var i = 0; i < ix.s.length; i++) owners.push([si, ix.map[i], ix.map[i + 1] > ix.map[i] ? ix.map[i + 1] : ix.map[i] + 1]);
    });
    var hits = findAll(all, mark.q);
    if (!hits.length) return;
    var at = hits[Math.min(mark.k, hits.length - 1)], ranges = {};
    for (var i = at; i < at + mark.q.length; i++) {
      var o = owners[i], r = ranges[o[0]] || (ranges[o[0]] = [o[1], o[2]]);
      r[0] = Math.min(r[0], o[1]); r[1] = Math.max(r[1], o[2]);
    }
    Object.keys(ranges).forEach(function (si) {
      var s = spans[si], t = s.textContent, r = ranges[si];
      s.textContent = '';
      s.appendChild(document.createTextNode(t.slice(0, r[0])));
      var m = el('mark', { class: 'kr-hit' }, t.slice(r[0], r[1]));
      s.appendChild(m);
      s.appendChild(document.createTextNode(t.slice(r[1])));
    });
  }

  // ---- start ---------------------------------------------------------------------------------
  // `#p=12&q=居場所` (from the catalog's search): open page 12 with the first hit of q marked.
  (function () {
    var m = /(?:^#|&)q=([^&]*)/.exec(location.hash), p = hashPage();
    if (!m || !p) return;
    var q = '';
    try { q = qnorm(decodeURIComponent(m[1])); } catch (e) { return; }
    if (q) mark = { page: p, q: q, k: 0 };
  })();
  layout();
  show(hashPage() || 1, 0, 1);
  // Prefetch (unless Save-Data): once the first spread is drawn, the next page is fetched and laid out
  // hidden when the browser is idle, so even an early first turn is ready; all neighbours follow on the
  // first interaction, or 2.5 s after load.
  var c = navigator.connection, save = c && c.saveData;
  if (!save) {
    var first = shown.slice(), left = first.length;
    first.forEach(function (p) {
      var host = pages[p].firstChild, next = function () {
        if (--left) return;
        later(function () {
          var n = shown[shown.length - 1] + 1 <= N ? shown[shown.length - 1] + 1 : shown[0] - 1;
          if (!interacted && zoom === 1) prepare([n]);
        });
      };
      if (host.kDrawn) next(); else host.kDone = next;
    });
    addEventListener('load', function () {
      setTimeout(function () { (window.requestIdleCallback || setTimeout)(touch); }, 2500);
    });
  }
})();
