// The fixture site of the `[site]` tests (tests/browser/site.test.mjs) and audits
// (tests/audit/audit.test.mjs): six tiny reports of six 年度 by an organisation with a home page,
// an SVG logo (with a script and event attributes that must not survive), an accent colour and
// three footer links (one with markup in its title, which must show as text), built with the real
// kanko binary; plus home-test.html, the organisation's home page with latest.html in an iframe.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const ORG = '特定非営利活動法人 みずほ野こども応援ネット';
export const HOME = 'https://example.org/';
export const BASE = 'https://example.org/reports/';
export const ACCENT = '#1f6f5c';
export const ACCENT_RGB = 'rgb(31, 111, 92)';
export const LINKS = [
  { title: 'お問い合わせ', url: 'https://example.org/contact/' },
  { title: 'プライバシー<b>ポリシー</b>', url: 'https://example.org/privacy/' },
  { title: '団体概要', url: '/about/' },
];
export const XSS = '<img src=x onerror="window.__xss=1">題に山かっこ';
export const REPORTS = [
  { slug: 'kodomo-2024', title: '子ども食堂の一年 活動の記録と地域の声', year: 2024, published: '2025-03-25' },
  { slug: 'gakushu-2023', title: '学習支援教室 活動報告', year: 2023, published: '2024-03-28' },
  { slug: 'hostile-2022', title: XSS, year: 2022, published: '2023-03-15' },
  { slug: 'bousai-2021', title: '防災マップづくり', year: 2021, published: '2022-02-20' },
  { slug: 'ibasho-2020', title: '居場所の利用者調査', year: 2020, published: '2021-03-30' },
  { slug: 'kyusui-2019', title: '給水所の運営記録', year: 2019, published: '2020-03-01' },
];
export const newest = [...REPORTS].sort((a, b) => b.year - a.year || b.published.localeCompare(a.published));
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40" onload="window.__xss=2">
<script>window.__xss=3</script><rect width="40" height="40" rx="8" fill="${ACCENT}"/><circle cx="20" cy="20" r="9" fill="#fff"/>
<path d="M50 28 L62 12 L74 28 Z" fill="#e0a93b"/><rect x="80" y="12" width="32" height="16" rx="4" fill="${ACCENT}" onclick="window.__xss=4"/></svg>`;

const str = (s) => JSON.stringify(s); // a TOML basic string is a JSON string for these
export function writeSite(BIN, dir) {
  const reports = path.join(dir, 'reports');
  fs.mkdirSync(reports, { recursive: true });
  fs.writeFileSync(path.join(reports, 'logo.svg'), LOGO);
  fs.writeFileSync(path.join(reports, 'kanko.toml'),
    `title = "刊行物・報告書"\norganization = ${str(ORG)}\nbase_url = ${str(BASE)}\n\n[site]\nhome = ${str(HOME)}\nlogo = "logo.svg"\naccent = ${str(ACCENT)}\n` +
    LINKS.map((l) => `\n[[site.links]]\ntitle = ${str(l.title)}\nurl = ${str(l.url)}\n`).join(''));
  for (const r of REPORTS) {
    const d = path.join(reports, r.slug);
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'report.toml'),
      `title = ${str(r.title)}\nproject = "子どもの居場所づくり事業"\nfiscal_year = ${r.year}\npublisher = ${str(ORG)}\n` +
      `published = ${r.published}\ndescription = "試験用の報告書です。"\n\n[[funders]]\nname = "みどり福祉財団"\nprogram = "地域助成"\n`);
    fs.writeFileSync(path.join(d, '01-hajimeni.md'), '# はじめに\n\nこの報告書は試験用です。\n\n## 活動の記録\n\n本文です。\n');
  }
  const dist = path.join(dir, 'dist');
  execFileSync(BIN, ['build', '--quiet', '--reports', reports, '--out', dist], { stdio: 'pipe' });
  // The organisation's home page, as a test page with the block in an iframe.
  fs.writeFileSync(path.join(dist, 'home-test.html'),
    '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>団体のホーム</title></head>' +
    '<body><main><h1>ようこそ</h1><iframe id="latest" src="latest.html" title="最新の報告書" width="100%" height="900" style="border:0"></iframe></main></body></html>');
  return dist;
}

