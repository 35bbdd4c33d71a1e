// Generates a fake dist/ tree with reader folders, to develop and test the web reader without the Rust side.
// usage: node make-fake-reader.mjs [outDir=/tmp/fake-reader]
// → outDir/<slug>/reader/{index.html,reader.js,reader.css,data.js,pages/N.svg,thumbs/N.svg,text/N.js,search.js,text.html}
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, '../../src/export/web');
const out = path.resolve(process.argv[2] || '/tmp/fake-reader');
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const JA = [
  'この報告書は、令和6年度に当法人が実施した事業の成果をまとめたものです。地域の皆さまのご協力に心より感謝申し上げます。',
  '子ども食堂は市内12か所で開催し、延べ3,400人の参加がありました。ボランティアの登録者数は前年より２割増えました。',
  '学習支援事業ではＡＢＣ英語教室とｶﾅ入力のパソコン講座を新たに始めました。参加者アンケートでは満足度が高く、継続の要望が多く寄せられました。',
  '会計報告：経常収益は前年度比で増加し、寄付金と助成金がその多くを占めています。監査は外部の専門家により適正に行われました。',
  '今後の課題として、担い手の高齢化と活動拠点の確保が挙げられます。引き続き行政や企業との連携を深めてまいります。',
];
const EN = [
  'This report summarises the activities of our organisation during the 2024 fiscal year and thanks every volunteer.',
  'The community kitchen opened in twelve neighbourhoods and served more than three thousand four hundred meals.',
  'Our tutoring programme added a weekly coding club; survey results showed strong satisfaction among families.',
  'Financial statements: ordinary revenue increased, mostly from donations and grants, and the audit found no issues.',
  'Looking ahead, we will recruit younger volunteers and look for a permanent activity space together with partners.',
];

const reports = [
  { slug: 'nenpo-ja', lang: 'ja', title: '特定非営利活動法人さくら 事業報告書', year: '令和6年度', dir: 'ltr', n: 14, w: 595.28, h: 841.89,
    last: '最終頁限定語句ふくろう', pdf: true, epub: true, text: true, catalog: true },
  { slug: 'tategaki', lang: 'ja', title: 'ひまわり会 年次報告（縦書き）', year: '令和6年度', dir: 'rtl', n: 7, w: 515.91, h: 728.5,
    last: '縦組最終頁のかささぎ', pdf: true, epub: false, text: true, catalog: true },
  { slug: 'annual-en', lang: 'en', title: 'Harbour Friends Annual Report', year: 'FY2024', dir: 'ltr', n: 5, w: 612, h: 792,
    last: 'Zanzibarflamingo', pdf: true, epub: true, text: false, catalog: false },
];

function wrap(text, per) { const r = []; for (let i = 0; i < text.length; i += per) r.push(text.slice(i, i + per)); return r; }
function wrapWords(text, per) {
  const r = []; let line = '';
  for (const w of text.split(' ')) { if ((line + ' ' + w).trim().length > per) { r.push(line); line = w; } else line = (line + ' ' + w).trim(); }
  if (line) r.push(line); return r;
}

for (const R of reports) {
  const dir = path.join(out, R.slug, 'reader');
  fs.rmSync(path.join(out, R.slug), { recursive: true, force: true });
  for (const d of ['pages', 'thumbs', 'text']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const src = R.lang === 'ja' ? JA : EN, M = 56.7, W = R.w - 2 * M, fs10 = 10.5;
  const perLine = R.lang === 'ja' ? Math.floor(W / fs10) : Math.floor(W / (fs10 * 0.5));
  const all = [], outline = [];
  for (let p = 1; p <= R.n; p++) {
    const lines = [];
    let y = 90;
    if (p === 1) {
      lines.push([M, 260, Math.min(W, R.title.length * 22 * (R.lang === 'ja' ? 1 : 0.5)), 22, R.title]);
      lines.push([M, 300, R.year.length * 14 * (R.lang === 'ja' ? 1 : 0.55), 14, R.year]);
    } else {
      const head = (R.lang === 'ja' ? '第' + (p - 1) + '章 活動の報告' : 'Chapter ' + (p - 1) + ': Activities');
      lines.push([M, y, head.length * 16 * (R.lang === 'ja' ? 1 : 0.5), 16, head]);
      if (p % 2 === 0 || p === 2) outline.push({ title: head, page: p, level: 1 });
      if (p === 3) outline.push({ title: R.lang === 'ja' ? '会計報告' : 'Finances', page: 3, level: 2 });
      y += 36;
      let body = src.slice((p % src.length)).concat(src.slice(0, p % src.length)).join(R.lang === 'ja' ? '' : ' ');
      if (p === R.n) body = (R.lang === 'ja' ? '最後のページにだけ現れる言葉：' : 'A word found only on the last page: ') + R.last + (R.lang === 'ja' ? '。' : '. ') + body;
      const ls = R.lang === 'ja' ? wrap(body, perLine) : wrapWords(body, perLine);
      for (const l of ls) {
        if (y > R.h - 80) break;
        const full = l.length >= perLine - (R.lang === 'ja' ? 0 : 8);
        lines.push([M, +y.toFixed(1), +(full ? W : l.length * fs10 * (R.lang === 'ja' ? 1 : 0.5)).toFixed(1), fs10, l]);
        y += fs10 * 1.8;
      }
    }
    all.push(lines.map((l) => l[4]).join('\n'));
    fs.writeFileSync(path.join(dir, 'text', p + '.js'), 'KANKO_TEXT(' + p + ', ' + JSON.stringify(lines) + ');\n');
    const hue = (p * 37) % 360;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${R.w} ${R.h}" width="${R.w * 2}" height="${R.h * 2}">
<rect width="100%" height="100%" fill="#fff"/>
${p === 1 ? `<rect x="0" y="0" width="${R.w}" height="200" fill="hsl(${hue},45%,55%)"/>` : `<rect x="${M}" y="40" width="${W}" height="4" fill="hsl(${hue},45%,55%)"/>`}
${lines.map((l) => `<text x="${l[0]}" y="${l[1]}" font-size="${l[3]}" textLength="${l[2]}" lengthAdjust="spacingAndGlyphs" font-family="Noto Serif CJK JP, serif" fill="#222">${esc(l[4])}</text>`).join('\n')}
<text x="${R.w / 2}" y="${R.h - 30}" font-size="9" text-anchor="middle" fill="#777">${p}</text>
</svg>`;
    fs.writeFileSync(path.join(dir, 'pages', p + '.svg'), svg);
    fs.writeFileSync(path.join(dir, 'thumbs', p + '.svg'), svg);
  }
  const book = {
    lang: R.lang, title: R.title, subtitle: null, yearLabel: R.year, direction: R.dir, pageWidth: R.w, pageHeight: R.h, pageCount: R.n,
    pages: Array.from({ length: R.n }, (_, i) => ({ img: `pages/${i + 1}.svg`, thumb: `thumbs/${i + 1}.svg`, zoom: i % 2 ? null : `pages/${i + 1}.svg`, label: String(i + 1) })),
    outline, pdf: R.pdf ? `../${R.slug}.pdf` : null, epub: R.epub ? `../${R.slug}.epub` : null,
    textMode: R.text ? 'text.html' : null, catalog: R.catalog ? '../index.html' : null,
  };
  fs.writeFileSync(path.join(dir, 'data.js'), 'window.KANKO_BOOK = ' + JSON.stringify(book, null, 1) + ';\n');
  fs.writeFileSync(path.join(dir, 'search.js'), 'KANKO_SEARCH(' + JSON.stringify(all) + ');\n');
  const tpl = fs.readFileSync(path.join(web, 'reader.html'), 'utf8');
  fs.writeFileSync(path.join(dir, 'index.html'), tpl.replaceAll('{{lang}}', R.lang).replaceAll('{{title}}', esc(R.title)).replaceAll('{{year}}', esc(R.year)));
  for (const f of ['reader.js', 'reader.css', 'textmode.js', 'textmode.css']) {
    if (fs.existsSync(path.join(web, f))) fs.copyFileSync(path.join(web, f), path.join(dir, f));
  }
  if (R.text) {
    fs.writeFileSync(path.join(dir, 'text.html'), `<!DOCTYPE html><html lang="${R.lang}"${R.dir === 'rtl' ? ' class="vertical"' : ''}><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(R.title)}</title><link rel="stylesheet" href="textmode.css"><script src="textmode.js"></script></head>
<body><header><p><a href="index.html" data-kanko-mode="pages">ページ表示</a></p><h1>${esc(R.title)}</h1></header><main>
${all.slice(1).map((t, i) => `<section><h2>第${i + 1}章</h2><p>${esc(t.replace(/\n/g, ''))}</p></section>`).join('\n')}
<figure><table><caption>収支</caption><tr><th>項目</th><th>金額</th></tr><tr><td>寄付金</td><td>1,200,000円</td></tr></table></figure>
<p><ruby>特定非営利活動法人<rt>とくていひえいりかつどうほうじん</rt></ruby>の報告です<a href="#fn1" id="r1">*1</a>。</p>
<blockquote><p>引用文の例です。</p></blockquote><pre><code>code sample</code></pre>
<aside id="fn1" role="note"><p>*1 注記の例です。</p></aside></main></body></html>`);
  }
  fs.writeFileSync(path.join(out, R.slug, R.slug + '.pdf'), '%PDF-1.4\n% fake\n');
  if (R.epub) fs.writeFileSync(path.join(out, R.slug, R.slug + '.epub'), 'fake');
  fs.writeFileSync(path.join(out, R.slug, 'index.html'), `<!DOCTYPE html><html lang="ja"><title>${esc(R.title)}</title><a href="reader/index.html">reader</a>`);
}
console.log('fake reader written to', out);
