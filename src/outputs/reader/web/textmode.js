/* kanko text mode: remember that the reader prefers reflowed text (links marked data-kanko-mode
   switch back), and the display settings — 文字サイズ, 行間, 配色, 書体 — kept in localStorage.
   Loaded in <head> so the remembered settings apply before the first paint; the settings
   dialog is built once the document is parsed. */
(function () {
  'use strict';
  var root = document.documentElement;
  function set(v) { try { localStorage.setItem('kanko-mode', v); } catch (e) { /* file:// or private mode */ } }
  set('text');
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('[data-kanko-mode]');
    if (a) set(a.getAttribute('data-kanko-mode'));
  });

  // ---- settings ------------------------------------------------------------------------------
  var KEY = 'kanko-text-settings';
  var ja = !/^en/i.test(root.lang || '');
  var W = ja ? {
    settings: '表示設定', size: '文字サイズ', leading: '行間', theme: '配色', font: '書体', close: '閉じる', reset: '元に戻す',
    leadings: ['狭い', '標準', '広い', 'とても広い'], themes: ['標準', '白黒反転', 'セピア'], fonts: ['明朝', 'UD 明朝', 'UD ゴシック'],
    keys: 'キーボード操作', keyList: [['Alt+R', '読み上げの開始・一時停止・再開'], ['Esc', '読み上げの停止・この画面を閉じる'], ['Tab', '次の操作へ移動']]
  } : {
    settings: 'Display settings', size: 'Text size', leading: 'Line spacing', theme: 'Colours', font: 'Typeface', close: 'Close', reset: 'Reset',
    leadings: ['Tight', 'Normal', 'Wide', 'Widest'], themes: ['Standard', 'Inverted (white on black)', 'Sepia'], fonts: ['Serif (Mincho)', 'UD Mincho', 'UD Gothic'],
    keys: 'Keyboard', keyList: [['Alt+R', 'Start, pause or resume reading aloud'], ['Esc', 'Stop reading aloud, close this panel'], ['Tab', 'Move to the next control']]
  };
  var SIZES = [100, 125, 150, 175, 200, 250];
  var LEADINGS = ['1.6', '1.9', '2.3', '2.7'];
  var THEMES = ['auto', 'invert', 'sepia'];
  var FONTS = ['mincho', 'ud-mincho', 'gothic'];
  var DEFAULT = { size: 100, leading: '1.9', theme: 'auto', font: 'mincho' };

  function load() {
    var s = {};
    try { s = JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch (e) { s = {}; }
    return {
      size: SIZES.indexOf(+s.size) >= 0 ? +s.size : DEFAULT.size,
      leading: LEADINGS.indexOf(String(s.leading)) >= 0 ? String(s.leading) : DEFAULT.leading,
      theme: THEMES.indexOf(s.theme) >= 0 ? s.theme : DEFAULT.theme,
      font: FONTS.indexOf(s.font) >= 0 ? s.font : DEFAULT.font
    };
  }
  function apply(s) {
    root.style.setProperty('--tm-scale', String(s.size / 100));
    root.style.setProperty('--tm-leading', s.leading);
    root.setAttribute('data-theme', s.theme);
    root.setAttribute('data-font', s.font);
  }
  var cur = load();
  apply(cur);

  function save() { try { localStorage.setItem(KEY, JSON.stringify(cur)); } catch (e) { /* file:// or private mode */ } }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) if (attrs[k] != null) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function field(id, name, values, labels, key) {
    var wrap = el('div', { class: 'tm-field' });
    wrap.appendChild(el('label', { for: id }, name));
    var sel = el('select', { id: id });
    values.forEach(function (v, i) { sel.appendChild(el('option', { value: String(v) }, labels[i])); });
    sel.value = String(cur[key]);
    sel.addEventListener('change', function () {
      cur[key] = key === 'size' ? +sel.value : sel.value;
      apply(cur); save();
    });
    wrap.appendChild(sel);
    return wrap;
  }

  function build() {
    var tools = document.querySelector('.tm-tools');
    if (!tools) return;
    var btn = el('button', { type: 'button', class: 'tm-btn', id: 'tm-b-settings', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': 'tm-settings', 'aria-label': W.settings, title: W.settings });
    btn.innerHTML = '<svg aria-hidden="true" viewBox="0 0 24 24"><path d="M4 19l5-14h2l5 14M6.5 13h7M17 19l2.5-7 2.5 7M18 17h3"/></svg>';
    tools.appendChild(btn);

    var dlg = el('div', { id: 'tm-settings', class: 'tm-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'tm-settings-h', hidden: '' });
    var head = el('div', { class: 'tm-dh' });
    head.appendChild(el('h2', { id: 'tm-settings-h' }, W.settings));
    var close = el('button', { type: 'button', class: 'tm-btn', id: 'tm-settings-close', 'aria-label': W.close, title: W.close });
    close.innerHTML = '<svg aria-hidden="true" viewBox="0 0 24 24"><path d="M6 6l12 12M18 6L6 18"/></svg>';
    head.appendChild(close);
    dlg.appendChild(head);
    var sizes = {
      el: field('tm-size', W.size, SIZES, SIZES.map(function (n) { return n + '%'; }), 'size')
    };
    dlg.appendChild(sizes.el);
    dlg.appendChild(field('tm-leading', W.leading, LEADINGS, W.leadings, 'leading'));
    dlg.appendChild(field('tm-theme', W.theme, THEMES, W.themes, 'theme'));
    // Vertical text: the device's own 明朝 and ゴシック (the shipped cut fonts are horizontal only).
    var vertical = root.classList.contains('vertical');
    dlg.appendChild(vertical
      ? field('tm-font', W.font, ['mincho', 'gothic'], [W.fonts[0], ja ? 'ゴシック' : 'Sans serif'], 'font')
      : field('tm-font', W.font, FONTS, W.fonts, 'font'));
    var reset = el('button', { type: 'button', class: 'tm-reset' }, W.reset);
    reset.onclick = function () {
      cur = { size: DEFAULT.size, leading: DEFAULT.leading, theme: DEFAULT.theme, font: DEFAULT.font };
      apply(cur); save();
      ['size', 'leading', 'theme', 'font'].forEach(function (k) { document.getElementById('tm-' + k).value = String(cur[k]); });
    };
    dlg.appendChild(reset);
    dlg.appendChild(el('h3', null, W.keys));
    var dl = el('dl', { class: 'tm-keys' });
    W.keyList.forEach(function (k) { var dt = el('dt'); dt.appendChild(el('kbd', null, k[0])); dl.appendChild(dt); dl.appendChild(el('dd', null, k[1])); });
    dlg.appendChild(dl);
    document.body.appendChild(dlg);

    // A modal dialog: focus moves in, Tab stays inside, Esc or 閉じる closes and focus returns.
    function focusables() { return [].filter.call(dlg.querySelectorAll('button, select, [href], [tabindex]:not([tabindex="-1"])'), function (x) { return !x.disabled && x.offsetParent !== null; }); }
    function open() {
      dlg.hidden = false; btn.setAttribute('aria-expanded', 'true'); root.classList.add('tm-modal');
      document.getElementById('tm-size').focus();
    }
    function shut() {
      if (dlg.hidden) return;
      dlg.hidden = true; btn.setAttribute('aria-expanded', 'false'); root.classList.remove('tm-modal');
      btn.focus();
    }
    btn.onclick = function () { if (dlg.hidden) open(); else shut(); };
    close.onclick = shut;
    dlg.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); shut(); return; }
      if (e.key !== 'Tab') return;
      var f = focusables(), first = f[0], last = f[f.length - 1];
      if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
    });
    document.addEventListener('click', function (e) {
      if (!dlg.hidden && !dlg.contains(e.target) && !btn.contains(e.target)) shut();
    });
  }
  // Wide tables and code scroll sideways; a scrolling box must be reachable by keyboard (WCAG 2.1.1).
  var scrollTimer = 0;
  function scrollables() {
    [].forEach.call(document.querySelectorAll('main table, main pre, main .table-wrap'), function (e) {
      var wide = e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1;
      if (wide) e.setAttribute('tabindex', '0'); else if (e.getAttribute('tabindex') === '0') e.removeAttribute('tabindex');
    });
  }
  function later() { clearTimeout(scrollTimer); scrollTimer = setTimeout(scrollables, 100); }
  addEventListener('resize', later);
  var apply0 = apply;
  apply = function (s) { apply0(s); later(); };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { build(); scrollables(); }); else { build(); scrollables(); }
})();
