/* kanko reader: draws pages as SVG from pages/G.js (KANKO_PAGE, a page group's pages) with the report's web fonts from
   fonts/G.js (KANKO_FONTS). Glyphs are Private Use Area code points of fonts cut to the report's
   glyphs, so the browser draws exactly the typeset glyphs. Works from file:// (script loads only,
   fonts are decoded from base64 into FontFace objects). Contract: READER.md. */
(function () {
  'use strict';
  var data = {}, hosts = {}, asked = {}, groups = {}, groupAsked = {};

  function load(src) { var s = document.createElement('script'); s.src = src; document.head.appendChild(s); }
  function bytes(b64) {
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  // A glyph run's packed x list (`~`, the first x in 3 base-64 digits, then each step in 2; tenths
  // of a point, see xs_attr in pagedata.rs) as the absolute list SVG draws from.
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', V = {};
  for (var i = 0; i < 64; i++) V[B64.charAt(i)] = i;
  function xs(s) {
    var x = V[s.charAt(0)] * 4096 + V[s.charAt(1)] * 64 + V[s.charAt(2)] - 131072, out = [x / 10];
    for (var k = 3; k < s.length; k += 2) { x += V[s.charAt(k)] * 64 + V[s.charAt(k + 1)] - 2048; out.push(x / 10); }
    return out.join(' ');
  }
  function unpack(svg) { return svg.replace(/ x='~([A-Za-z0-9_-]*)'/g, function (_, s) { return " x='" + xs(s) + "'"; }); }

  // Faces of one font (k3_0, k3_2, …: one per page group) share code points that never clash, so
  // the class .k3 lists them all and the browser takes each glyph from the face that has it.
  var families = {}, style = null;
  function addFamily(name) {
    var k = name.split('_')[0];
    (families[k] = families[k] || []).push(name);
    if (!style) { style = document.createElement('style'); document.head.appendChild(style); }
    style.textContent = Object.keys(families).map(function (c) { return '.kr-draw .' + c + '{font-family:' + families[c].join(',') + '}'; }).join('\n');
  }
  function redraw() { Object.keys(hosts).forEach(function (n) { draw(+n); }); }
  window.KANKO_FONTS = function (g, faces) {
    var loads = faces.map(function (f) {
      var face = new FontFace(f[0], bytes(f[1]), { display: 'block' });
      document.fonts.add(face);
      addFamily(f[0]);
      return face.load();
    });
    Promise.all(loads).then(function () { groups[g] = 1; redraw(); },
      function (e) { groups[g] = 1; if (window.console) console.warn('kanko: font', g, e); redraw(); });
  };
  window.KANKO_PAGE = function (n, d) { data[n] = d; draw(n); };

  function draw(n) {
    var d = data[n], host = hosts[n];
    if (!d || !host) return;
    var missing = d.fonts.filter(function (g) { return !groups[g]; });
    missing.forEach(function (g) { if (!groupAsked[g]) { groupAsked[g] = 1; load('fonts/' + g + '.js'); } });
    if (missing.length) return;
    delete hosts[n];
    host.innerHTML = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 " + d.w + ' ' + d.h +
      "' preserveAspectRatio='none' aria-hidden='true' focusable='false'>" + unpack(d.svg) + '</svg>';
    host.kDrawn = 1;
    if (host.kDone) host.kDone();
  }

  // Draw page n into host (an empty element covering the page) once its data and fonts are there.
  window.KANKO_DRAW = function (n, host) {
    if (host.kDrawn) return;
    hosts[n] = host;
    if (data[n]) return draw(n);
    var src = KANKO_BOOK.pages[n - 1].draw;
    if (!asked[src]) { asked[src] = 1; load(src); }
  };
})();
