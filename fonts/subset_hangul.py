#!/usr/bin/env python3
"""Rebuild fonts/NotoSerifKR-Hangul.otf: the Hangul of Noto Serif CJK KR that Korean text needs.
The 2,350 syllables of KS X 1001 (every syllable of everyday Korean; the other 8,822 of
U+AC00-D7A3 would add ~1.9 MB), the compatibility jamo U+3131-318E and the halfwidth jamo.
Needs Debian fonts-noto-cjk and `pip install fonttools`."""
import os, subprocess, sys, tempfile
here = os.path.dirname(os.path.abspath(__file__))
NOTO = '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc'   # face 1 = Noto Serif CJK KR
ks = sorted({bytes([a, b]).decode('euc_kr') for a in range(0xB0, 0xC9) for b in range(0xA1, 0xFF)})
ks = [ord(s) for s in ks if 0xAC00 <= ord(s) <= 0xD7A3]
jamo = list(range(0x3131, 0x318F)) + list(range(0xFFA0, 0xFFDD))
with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False) as f:
    f.write(','.join('U+%04X' % c for c in ks + jamo)); uf = f.name
subprocess.run(['pyftsubset', NOTO, '--font-number=1', '--unicodes-file=' + uf,
    '--output-file=' + os.path.join(here, 'NotoSerifKR-Hangul.otf'),
    '--layout-features=*', '--name-IDs=*', '--name-languages=*', '--notdef-outline'], check=True)
os.unlink(uf)
print(f'NotoSerifKR-Hangul: {len(ks)} syllables + {len(jamo)} jamo', file=sys.stderr)
