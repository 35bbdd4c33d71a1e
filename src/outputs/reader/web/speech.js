/* kanko 読み上げ / read aloud — shared by the reader's page view and its text mode.
   Uses the browser's own speechSynthesis (no network). Reads the text-mode HTML (in page view
   from speech-data.js, the same markup parsed into an inert document), so ruby is spoken by its
   reading once, footnote markers are left out and each footnote is read at the end of the
   paragraph that refers to it, tables row by row with their header, and code blocks are
   announced, not spelled out. Host: <script src="speech.js" data-kanko-speech="text|pages">,
   with an element [data-speech-slot] for the 読み上げ button. Contract: READER.md. */
(function () {
  'use strict';
  var me = document.currentScript;
  var mode = (me && me.getAttribute('data-kanko-speech')) || 'text';
  var book = window.KANKO_BOOK || {};
  var lang = (mode === 'pages' ? book.lang : document.documentElement.lang) || 'ja';
  var ja = /^ja/i.test(lang);
  var T = ja ? {
    read: '読み上げ', pause: '一時停止', resume: '再開', stop: '停止', rate: '速度', bar: '読み上げ',
    close: '閉じる', loading: '読み込み中…', done: '最後まで読み上げました',
    noApi: 'このブラウザーは音声読み上げに対応していません。読み上げに対応したブラウザー（Chrome、Edge、Safari など）で開いてください。',
    noVoice: 'この端末には日本語の読み上げ音声がありません。端末の設定（テキスト読み上げ・音声）で日本語の音声を追加すると読み上げられます。',
    error: '読み上げを続けられませんでした。', table: function (r) { return '表、' + r + '行。'; },
    code: function (n) { return 'コードブロック、' + n + '行（読み上げは省略）。'; },
    note: function (n) { return '注' + n + '、'; }, image: '画像：', sep: '：', item: '、', end: '。'
  } : {
    read: 'Read aloud', pause: 'Pause', resume: 'Resume', stop: 'Stop', rate: 'Speed', bar: 'Read aloud',
    close: 'Close', loading: 'Loading…', done: 'Finished reading',
    noApi: 'This browser cannot read aloud. Open the report in a browser with speech support (Chrome, Edge, Safari…).',
    noVoice: 'This device has no English voice for reading aloud. Add one in the system\u2019s text-to-speech settings.',
    error: 'Reading aloud stopped because of an error.', table: function (r) { return 'Table, ' + r + (r === 1 ? ' row.' : ' rows.'); },
    code: function (n) { return 'Code block, ' + n + (n === 1 ? ' line' : ' lines') + ' (not read aloud).'; },
    note: function (n) { return 'Note ' + n + ': '; }, image: 'Image: ', sep: ': ', item: ', ', end: '. '
  };

  // ---- sentences -----------------------------------------------------------------------------
  var OPEN = '「『（(【〔［[〈《｛“', CLOSE = '」』）)】〕］]〉》｝”', TERM = '。．！？!?‼⁇⁈⁉';
  var ABBR = /(?:^|[\s(])(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|No|Nos|vs|etc|e\.g|i\.e|cf|approx|Fig|Vol|pp?)$/i;
  function isSpace(c) { return /\s/.test(c); }
  // Sentence ranges [start, end) of s: a sentence ends at 。！？ (and an English full stop before a
  // space) with any closing brackets after it, but not inside 「…」 or （…）: 「…。」と言った stays one
  // sentence (hiragana or 、 after the bracket run on), while 「…。」「…。」 and 「…。」田中は… are
  // two. A bracket left open for 200 characters stops protecting.
  function split(s) {
    var out = [], start = 0, depth = 0, openAt = 0, n = s.length, i = 0;
    function cut(end) {
      var a = start, b = end;
      while (a < b && isSpace(s[a])) a++;
      while (b > a && isSpace(s[b - 1])) b--;
      if (b > a) out.push([a, b]);
      start = end;
    }
    for (; i < n; i++) {
      var c = s[i];
      if (OPEN.indexOf(c) >= 0) { if (!depth) openAt = i; depth++; continue; }
      if (CLOSE.indexOf(c) >= 0) {
        if (depth) depth--;
        if (!depth && TERM.indexOf(s[i - 1]) >= 0) {
          var j = i + 1;
          while (j < n && CLOSE.indexOf(s[j]) >= 0) j++;
          if (j >= n || !/[\u3041-\u309F、，,]/.test(s[j])) { cut(j); i = j - 1; }
        }
        continue;
      }
      var stop = TERM.indexOf(c) >= 0 ||
        (c === '.' && (i + 1 >= n || isSpace(s[i + 1])) && !ABBR.test(s.slice(Math.max(0, i - 8), i)) && !/(^|\s)[A-Z]$/.test(s.slice(Math.max(0, i - 2), i)));
      if (stop && (!depth || i - openAt > 200)) {
        var k = i + 1;
        while (k < n && (TERM.indexOf(s[k]) >= 0 || CLOSE.indexOf(s[k]) >= 0 || s[k] === '.')) {
          if (CLOSE.indexOf(s[k]) >= 0 && depth) depth--;
          k++;
        }
        cut(k); i = k - 1;
        if (depth && i - openAt > 200) depth = 0;
      }
    }
    cut(n);
    return out;
  }
  // What the voice is given: whitespace collapsed, full-width digits (and the comma or point
  // between them) as ASCII so that ２０２４年 is read as a number, not digit by digit.
  function voiceText(s) {
    return s.replace(/[\uFF10-\uFF19]/g, function (d) { return String.fromCharCode(d.charCodeAt(0) - 0xFEE0); })
      .replace(/(\d)[，,](?=\d{3})/g, '$1,').replace(/(\d)．(?=\d)/g, '$1.')
      .replace(/[\u200B-\u200D\uFEFF]/g, '').replace(/\s+/g, ' ').trim();
  }

  // ---- what is read, in order ----------------------------------------------------------------
  // A block: { el, page, pieces: [{ say, node | el }], notes: [noteref a] }. Text pieces keep their
  // text node so a sentence maps back to a DOM range; ruby, images and markers are whole elements.
  function tag(e) { return e.nodeType === 1 ? e.tagName.toUpperCase() : ''; }
  function hiddenEl(e) {
    return e.hidden || e.getAttribute('aria-hidden') === 'true' || /^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT|BUTTON|SELECT|INPUT|TEXTAREA|RP)$/.test(tag(e));
  }
  var BLOCKS = /^(P|H[1-6]|UL|OL|LI|DL|DT|DD|FIGURE|TABLE|PRE|BLOCKQUOTE|DIV|SECTION|ARTICLE|MAIN|ASIDE|HR|HEADER|FOOTER|NAV)$/;
  function noteRef(e) {
    var a = tag(e) === 'A' ? e : tag(e) === 'SUP' && e.querySelector('a[role="doc-noteref"]');
    return a && a.getAttribute('role') === 'doc-noteref' ? a : null;
  }
  function inline(node, b) {
    for (var c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) { if (c.data) b.pieces.push({ say: c.data, node: c }); continue; }
      if (c.nodeType !== 1 || hiddenEl(c)) continue;
      var t = tag(c), ref = noteRef(c);
      if (ref) { b.notes.push(ref); continue; }
      if (t === 'RUBY') {
        var rt = '', base = '';
        for (var r = c.firstChild; r; r = r.nextSibling) {
          if (tag(r) === 'RT') rt += r.textContent; else if (tag(r) !== 'RP') base += r.textContent;
        }
        b.pieces.push({ say: rt.trim() ? rt : base, el: c });
      } else if (t === 'IMG') {
        var alt = (c.getAttribute('alt') || '').trim();
        if (alt) b.pieces.push({ say: alt, el: c });
      } else if (t === 'BR') {
        b.pieces.push({ say: ' ', el: c });
      } else if (c.getAttribute('role') === 'img' && c.getAttribute('aria-label')) {
        b.pieces.push({ say: c.getAttribute('aria-label') + T.item, el: c });
      } else if (BLOCKS.test(t)) {
        continue; // handled by the block walk
      } else {
        inline(c, b);
      }
    }
  }
  function say(b) { return b.pieces.map(function (p) { return p.say; }).join(''); }

  function collect(root, doc) {
    var out = [], page = 0;
    function block(el, pre) {
      var b = { el: el, page: page, pieces: pre ? [{ say: pre }] : [], notes: [] };
      return b;
    }
    function push(b) {
      if (!/\S/.test(say(b).replace(/[、。,.:：\s]/g, ''))) return;
      out.push(b);
      b.notes.forEach(function (a) {
        var id = decodeURIComponent((a.getAttribute('href') || '').replace(/^#/, '')), aside = id && doc.getElementById(id);
        if (!aside) return;
        var nb = { el: a.parentNode && tag(a.parentNode) === 'SUP' ? a.parentNode : a, page: b.page, pieces: [{ say: T.note(a.textContent.trim()) }], notes: [], note: true };
        [].forEach.call(aside.children, function (k) { if (!(k.classList && k.classList.contains('fn-num'))) { inline(k, nb); nb.pieces.push({ say: ' ' }); } });
        if (/\S/.test(say(nb))) out.push(nb);
      });
    }
    function walk(node, ctx) {
      for (var c = node.firstChild; c; c = c.nextSibling) {
        if (c.nodeType !== 1) continue;
        if (c.classList.contains('pagebreak')) { page = +c.getAttribute('data-page') || page; continue; }
        if (hiddenEl(c) || c.classList.contains('footnotes') || c.getAttribute('role') === 'doc-endnotes') continue;
        var t = tag(c), b;
        if (/^(P|H[1-6]|DT|DD|FIGCAPTION|CAPTION)$/.test(t)) { b = block(c); inline(c, b); push(b); }
        else if (t === 'LI') {
          var pre = ctx && ctx.ol ? (ctx.n++) + (ja ? '、' : '. ') : '';
          b = block(c, pre); inline(c, b); push(b); walk(c, null);
        } else if (t === 'OL' || t === 'UL') {
          walk(c, { ol: t === 'OL', n: +(c.getAttribute('start') || 1) });
        } else if (t === 'FIGURE') {
          var img = c.querySelector('img'), cap = c.querySelector('figcaption');
          var alt = img ? (img.getAttribute('alt') || '').trim() : '';
          var capText = cap ? cap.textContent.replace(/\s+/g, '') : '';
          if (alt && capText.indexOf(alt.replace(/\s+/g, '')) < 0) { b = block(img, T.image + alt + T.end); push(b); }
          if (cap) { b = block(cap); inline(cap, b); push(b); }
        } else if (t === 'TABLE') {
          table(c);
        } else if (t === 'PRE') {
          var lines = c.textContent.replace(/\n$/, '').split('\n').length;
          push(block(c, T.code(lines)));
        } else if (t !== 'HR') {
          walk(c, ctx);
        }
      }
    }
    function table(tb) {
      var heads = [].map.call(tb.querySelectorAll('thead th'), function (th) { return th.textContent.trim(); });
      var rows = [].filter.call(tb.querySelectorAll('tr'), function (tr) { return !tr.parentNode || tag(tr.parentNode) !== 'THEAD'; });
      var cap = tb.querySelector('caption');
      if (cap) { var cb = block(cap); inline(cap, cb); push(cb); }
      push(block(tb, T.table(rows.length)));
      rows.forEach(function (tr) {
        var b = block(tr);
        [].forEach.call(tr.children, function (cell, i) {
          var h = heads[i] && tag(cell) !== 'TH' ? heads[i] + T.sep : '';
          if (h) b.pieces.push({ say: h });
          inline(cell, b);
          b.pieces.push({ say: T.item });
        });
        if (b.pieces.length) b.pieces[b.pieces.length - 1] = { say: T.end };
        push(b);
      });
    }
    walk(root, null);
    return out;
  }

  // Blocks → sentences: { say, el (block), range (DOM Range or null), page }.
  function sentences(blocks, doc) {
    var out = [];
    blocks.forEach(function (b) {
      var text = '', at = [];
      b.pieces.forEach(function (p) { at.push(text.length); text += p.say; });
      split(text).forEach(function (r) {
        var s = voiceText(text.slice(r[0], r[1]));
        if (!s || !/[\p{L}\p{N}]/u.test(s)) return;
        out.push({ say: s, el: b.el, page: b.page, note: !!b.note, range: b.note ? null : range(b, at, r, doc) });
      });
    });
    return out;
  }
  function range(b, at, r, doc) {
    try {
      var rg = doc.createRange(), first = -1, last = -1;
      for (var i = 0; i < b.pieces.length; i++) {
        var a = at[i], z = a + b.pieces[i].say.length;
        if (!(b.pieces[i].node || b.pieces[i].el)) continue;
        if (z > r[0] && a < r[1]) { if (first < 0) first = i; last = i; }
      }
      if (first < 0) return null;
      var p = b.pieces[first], q = b.pieces[last];
      if (p.node) rg.setStart(p.node, Math.max(0, r[0] - at[first])); else rg.setStartBefore(p.el);
      if (q.node) rg.setEnd(q.node, Math.min(q.node.data.length, r[1] - at[last])); else rg.setEndAfter(q.el);
      return rg;
    } catch (e) { return null; }
  }

  // ---- voices --------------------------------------------------------------------------------
  function synth() { return window.speechSynthesis; }
  function pickVoice(cb) {
    var s = synth();
    if (!s || !window.SpeechSynthesisUtterance) { cb(null, T.noApi); return; }
    var want = ja ? /^ja/i : /^en/i, tries = 0;
    function look() {
      var vs = s.getVoices() || [], best = null;
      vs.forEach(function (v) {
        if (!want.test(String(v.lang).replace('_', '-'))) return;
        if (!best || (v.localService && !best.localService) || (v['default'] && !best['default'])) best = v;
      });
      if (best) { cb(best, null); return true; }
      return false;
    }
    if (look()) return;
    // Voices arrive asynchronously in Chromium: wait for voiceschanged, at most 1.5 s.
    var done = false;
    function again() { if (done) return; if (look()) { done = true; } else if (++tries > 15) { done = true; cb(null, T.noVoice); } else setTimeout(again, 100); }
    if (s.addEventListener) s.addEventListener('voiceschanged', function () { if (!done && look()) done = true; });
    setTimeout(again, 100);
  }

  // ---- UI ------------------------------------------------------------------------------------
  function el(tagName, attrs, text) {
    var e = document.createElement(tagName);
    for (var k in attrs) if (attrs[k] != null) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  var ICON = {
    read: '<svg aria-hidden="true" viewBox="0 0 24 24"><path d="M4 9v6h4l5 4V5L8 9H4zM16 8.5a4.5 4.5 0 010 7M18.5 6a8 8 0 010 12"/></svg>',
    pause: '<svg aria-hidden="true" viewBox="0 0 24 24"><path d="M8 5v14M16 5v14"/></svg>',
    play: '<svg aria-hidden="true" viewBox="0 0 24 24"><path d="M7 5l12 7-12 7z"/></svg>',
    stop: '<svg aria-hidden="true" viewBox="0 0 24 24"><path d="M6 6h12v12H6z"/></svg>',
    close: '<svg aria-hidden="true" viewBox="0 0 24 24"><path d="M6 6l12 12M18 6L6 18"/></svg>'
  };
  var slot = document.querySelector('[data-speech-slot]');
  if (!slot) return;
  var btnClass = slot.getAttribute('data-btn-class') || 'ks-btn';
  function button(id, icon, name) {
    var b = el('button', { type: 'button', id: id, class: btnClass + ' ks-b', 'aria-label': name, title: name });
    b.innerHTML = ICON[icon];
    return b;
  }
  var readBtn = button('ks-read', 'read', T.read + ' (Alt+R)');
  readBtn.setAttribute('aria-label', T.read);
  readBtn.setAttribute('aria-pressed', 'false');
  readBtn.setAttribute('aria-keyshortcuts', 'Alt+R');
  readBtn.setAttribute('aria-controls', 'ks-bar');
  slot.appendChild(readBtn);

  var bar = el('div', { id: 'ks-bar', class: 'ks-bar', role: 'region', 'aria-label': T.bar, lang: lang, hidden: '' });
  var row = el('div', { class: 'ks-row' });
  var pauseBtn = button('ks-pause', 'pause', T.pause), stopBtn = button('ks-stop', 'stop', T.stop);
  var rateId = 'ks-rate', rateLabel = el('label', { for: rateId, class: 'ks-rate-l' }, T.rate);
  var rateSel = el('select', { id: rateId, class: 'ks-rate' });
  [0.75, 1, 1.25, 1.5, 1.75, 2].forEach(function (r) { rateSel.appendChild(el('option', { value: r }, r + '×')); });
  var closeBtn = button('ks-close', 'close', T.close);
  var msg = el('p', { class: 'ks-msg', role: 'status' });
  var now = el('p', { class: 'ks-now', lang: lang });
  row.appendChild(pauseBtn); row.appendChild(stopBtn); row.appendChild(rateLabel); row.appendChild(rateSel);
  row.appendChild(msg); row.appendChild(closeBtn);
  bar.appendChild(row);
  if (mode === 'pages') bar.appendChild(now);
  document.body.appendChild(bar);

  var RATE_KEY = 'kanko-speech-rate';
  var rate = 1;
  try { rate = +localStorage.getItem(RATE_KEY) || 1; } catch (e) { /* file:// or private mode */ }
  if (!(rate >= 0.75 && rate <= 2)) rate = 1;
  rateSel.value = String(rate);
  if (rateSel.value === '') { rate = 1; rateSel.value = '1'; }

  // ---- player --------------------------------------------------------------------------------
  var state = 'idle', segs = null, idx = 0, token = 0, voice = null, marked = null;
  var reduced = window.matchMedia && matchMedia('(prefers-reduced-motion: reduce)');

  function setState(s) {
    state = s;
    readBtn.setAttribute('aria-pressed', s === 'idle' ? 'false' : 'true');
    var paused = s === 'paused';
    pauseBtn.innerHTML = ICON[paused ? 'play' : 'pause'];
    pauseBtn.setAttribute('aria-label', paused ? T.resume : T.pause);
    pauseBtn.title = paused ? T.resume : T.pause;
    pauseBtn.disabled = stopBtn.disabled = s === 'idle';
    document.documentElement.classList.toggle('ks-on', s !== 'idle');
  }
  function openBar() { bar.hidden = false; document.documentElement.classList.add('ks-open'); }
  function closeBar() { stop(); bar.hidden = true; document.documentElement.classList.remove('ks-open'); readBtn.focus(); }

  function unmark() {
    if (marked) marked.removeAttribute('data-speaking');
    marked = null;
    if (window.CSS && CSS.highlights) CSS.highlights.delete('kanko-speaking');
  }
  function mark(seg) {
    if (mode === 'pages') {
      now.textContent = '';
      if (seg.range) now.appendChild(seg.range.cloneContents()); else now.textContent = seg.say;
      now.setAttribute('data-speaking', String(idx));
      marked = now;
      var R = window.KANKO_READER;
      if (R && seg.page && R.shown().indexOf(seg.page) < 0) R.go(seg.page);
      return;
    }
    if (marked !== seg.el) { unmark(); marked = seg.el; }
    marked.setAttribute('data-speaking', String(idx));
    if (window.CSS && CSS.highlights && window.Highlight && seg.range) CSS.highlights.set('kanko-speaking', new Highlight(seg.range));
    keepInView(seg.range || seg.el);
  }
  function keepInView(target) {
    var r = target.getBoundingClientRect(), bh = bar.hidden ? 0 : bar.offsetHeight, vw = innerWidth, vh = innerHeight - bh;
    var vertical = document.documentElement.classList.contains('vertical');
    var out = vertical ? (r.right > vw || r.left < 0) : (r.top < 0 || r.bottom > vh);
    if (!out || !r.width && !r.height) return;
    var host = seg_el(target);
    if (host && host.scrollIntoView) host.scrollIntoView({ block: 'center', inline: 'center', behavior: reduced && reduced.matches ? 'auto' : 'smooth' });
  }
  function seg_el(t) { return t.nodeType === 1 ? t : t.startContainer && (t.startContainer.nodeType === 1 ? t.startContainer : t.startContainer.parentNode); }

  function speakAt(i) {
    if (!segs || i >= segs.length) { stop(); msg.textContent = T.done; return; }
    idx = i;
    var seg = segs[i], my = ++token;
    var u = new window.SpeechSynthesisUtterance(seg.say);
    u.lang = voice && voice.lang ? voice.lang : (ja ? 'ja-JP' : 'en-US');
    if (voice) { try { u.voice = voice; } catch (e) { /* a voice object from another realm */ } }
    u.rate = rate;
    u.onend = function () { if (my === token && state === 'playing') speakAt(i + 1); };
    u.onerror = function (e) {
      if (my !== token || state === 'idle') return;
      if (e && /interrupted|canceled/.test(e.error || '')) return;
      stop(); msg.textContent = T.error;
    };
    mark(seg);
    synth().speak(u);
  }
  function startIndex() {
    if (mode === 'pages') {
      var R = window.KANKO_READER, p = R ? R.shown()[0] : 1;
      for (var i = 0; i < segs.length; i++) if (segs[i].page >= p) return i;
      return 0;
    }
    var head = document.querySelector('.tm-top'), top = head ? head.getBoundingClientRect().bottom : 0;
    var vertical = document.documentElement.classList.contains('vertical');
    for (var j = 0; j < segs.length; j++) {
      var r = (segs[j].range || segs[j].el).getBoundingClientRect();
      if (!r.width && !r.height) continue;
      if (vertical ? r.left < innerWidth : r.bottom > Math.max(0, top)) return j;
    }
    return 0;
  }
  function start() {
    openBar();
    msg.textContent = T.loading;
    pickVoice(function (v, problem) {
      if (problem) { msg.textContent = problem; setState('idle'); return; }
      voice = v;
      load(function () {
        msg.textContent = '';
        setState('playing');
        speakAt(startIndex());
      });
    });
  }
  function pause() {
    if (state !== 'playing') return;
    setState('paused');
    synth().pause();
  }
  function resume() {
    if (state !== 'paused') return;
    setState('playing');
    var s = synth();
    // Some engines drop the utterance on pause: speak the sentence again when nothing resumed.
    if (s.paused) s.resume(); else if (!s.speaking) speakAt(idx);
  }
  function stop() {
    token++;
    if (state !== 'idle' && synth()) synth().cancel();
    setState('idle');
    unmark();
    if (mode === 'pages') now.textContent = '';
  }
  readBtn.onclick = function () {
    if (state === 'idle') start(); else if (state === 'playing') pause(); else resume();
  };
  pauseBtn.onclick = function () { if (state === 'playing') pause(); else resume(); };
  stopBtn.onclick = function () { stop(); readBtn.focus(); };
  closeBtn.onclick = closeBar;
  rateSel.onchange = function () {
    rate = +rateSel.value || 1;
    try { localStorage.setItem(RATE_KEY, String(rate)); } catch (e) { /* file:// or private mode */ }
    if (state === 'playing') { token++; synth().cancel(); speakAt(idx); }
  };
  setState('idle');
  document.addEventListener('keydown', function (e) {
    if (e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyR' || /^[rR®‰]$/.test(e.key))) {
      e.preventDefault();
      readBtn.click();
    } else if (e.key === 'Escape' && state !== 'idle' && !document.querySelector('[role="dialog"]:not([hidden])')) {
      stop();
    }
  });
  // Leaving the page must not leave the voice talking.
  addEventListener('pagehide', function () { if (state !== 'idle') stop(); });

  // ---- the text to read ----------------------------------------------------------------------
  function load(cb) {
    if (segs) { cb(); return; }
    if (mode === 'text') {
      var main = document.querySelector('main');
      segs = sentences(collect(main, document), document);
      cb();
      return;
    }
    window.KANKO_SPEECH_HTML = function (html) {
      var doc = new DOMParser().parseFromString('<!DOCTYPE html><html><body><main>' + html + '</main></body></html>', 'text/html');
      segs = sentences(collect(doc.querySelector('main'), doc), doc);
      cb();
    };
    document.head.appendChild(el('script', { src: 'speech-data.js' }));
  }

  window.KankoSpeech = {
    split: split, voiceText: voiceText,
    // Everything read aloud from root, in order (for tests and the help text).
    plan: function (root) { var d = (root || document).ownerDocument || document; return sentences(collect(root || document.querySelector('main'), d), d).map(function (s) { return s.say; }); },
    state: function () { return state; }
  };
})();
