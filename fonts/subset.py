#!/usr/bin/env python3
"""Rebuild fonts/NotoSerifJP-Fallback.otf (DejaVuSans.ttf ships whole, unmodified).
Needs Debian fonts-noto-cjk, fonts-dejavu-core and `pip install fonttools`."""
import subprocess, sys, tempfile, os
from fontTools.ttLib import TTFont
here = os.path.dirname(os.path.abspath(__file__))
NOTO = '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc'   # face 0 = Noto Serif CJK JP
DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'
biz = set(TTFont(os.path.join(here, 'BIZUDPMincho-Regular.ttf')).getBestCmap())
noto = set(TTFont(NOTO, fontNumber=0).getBestCmap())
# every supplementary-plane ideograph the JP face has (Ext B..G, compat supplement)
supp = sorted(c for c in noto if 0x20000 <= c <= 0x3FFFF)
# BMP symbols / punctuation / CJK compatibility the JP face has and BIZ UDPMincho lacks
sym = [(0x2000,0x206F),(0x2070,0x20CF),(0x2100,0x214F),(0x2150,0x218F),(0x2190,0x21FF),
       (0x2200,0x22FF),(0x2300,0x23FF),(0x2460,0x24FF),(0x2500,0x257F),(0x2580,0x25FF),
       (0x2600,0x26FF),(0x2700,0x27BF),(0x2B00,0x2BFF),(0x2E00,0x2E7F),(0x3000,0x303F),
       (0x3200,0x32FF),(0x3300,0x33FF),(0xFE10,0xFE1F),(0xFE30,0xFE4F),(0xFF00,0xFFEF)]
hangul = [(0x3200,0x321E),(0x3260,0x327F),(0xFFA0,0xFFDC)]   # Korean-only, not needed
inr = lambda c, rs: any(a <= c <= b for a, b in rs)
bmp = sorted(c for c in noto - biz if inr(c, sym) and not inr(c, hangul))
with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False) as f:
    f.write(','.join('U+%04X' % c for c in supp + bmp)); uf = f.name
subprocess.run(['pyftsubset', NOTO, '--font-number=0', '--unicodes-file=' + uf,
    '--output-file=' + os.path.join(here, 'NotoSerifJP-Fallback.otf'),
    '--layout-features=*', '--name-IDs=*', '--name-languages=*', '--notdef-outline'], check=True)
os.unlink(uf)
print(f'NotoSerifJP-Fallback: {len(supp)} supplementary ideographs + {len(bmp)} BMP symbols', file=sys.stderr)
