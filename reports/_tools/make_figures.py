#!/usr/bin/env python3
"""Regenerate the two illustrations of the sample reports in reports/ (a district map and a
flow diagram). Charts of numbers are not made here: they are `chart` blocks in the
manuscripts, drawn by kanko from the CSV files under each report's data/ folder.

Usage:  python3 reports/_tools/make_figures.py
Needs:  Pillow (pip install pillow) and the BIZ UDPGothic font.

Output: flat PNG, about 1600x1000 px, white background,
palette-quantised so that each file stays well under 150 KB. The output is deterministic.
"""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPORTS = Path(__file__).resolve().parent.parent
FONT_DIR = Path("/usr/share/fonts/truetype/bizud-gothic")
FONT_REG = FONT_DIR / "BIZUDPGothic-Regular.ttf"
FONT_BOLD = FONT_DIR / "BIZUDPGothic-Bold.ttf"
if not FONT_BOLD.exists():
    FONT_BOLD = FONT_REG

W, H = 1600, 1000
WHITE = (255, 255, 255)
INK = (40, 48, 56)
GREY = (120, 128, 136)
GRID = (226, 230, 234)
BLUE = (46, 110, 170)
LIGHTBLUE = (150, 190, 226)
GREEN = (47, 111, 94)
LIGHTGREEN = (160, 205, 180)
SAND = (244, 239, 226)
ORANGE = (214, 128, 52)


def font(size, bold=False):
    return ImageFont.truetype(str(FONT_BOLD if bold else FONT_REG), size)


def text_w(draw, s, f):
    l, _, r, _ = draw.textbbox((0, 0), s, font=f)
    return r - l


def save(img, rel):
    out = REPORTS / rel
    out.parent.mkdir(parents=True, exist_ok=True)
    img = img.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    img.save(out, optimize=True)
    print(f"{rel}: {out.stat().st_size // 1024} KB")


# ---------------------------------------------------------------------------
# Report 2: 2024-chiiki-fukushi-renkei  — illustrative map of the district
# ---------------------------------------------------------------------------
def report2():
    img = Image.new("RGB", (W, H), WHITE)
    d = ImageDraw.Draw(img)
    d.text((70, 40), "さくら台地区の連携拠点マップ（イメージ）", font=font(44, True), fill=INK)
    d.text((70, 104), "縮尺・位置は実際のものではありません", font=font(26), fill=GREY)

    # land
    d.rounded_rectangle([70, 160, W - 70, 900], radius=30, fill=SAND)
    # river
    river = [(70, 700), (300, 670), (520, 740), (760, 700), (1000, 780), (1260, 740), (W - 70, 800)]
    d.line(river, fill=LIGHTBLUE, width=46, joint="curve")
    d.text((420, 752), "みどり川", font=font(28), fill=BLUE)
    # roads
    road = (214, 207, 192)
    d.line([(70, 430), (W - 70, 430)], fill=road, width=26)
    d.line([(640, 160), (640, 900)], fill=road, width=26)
    d.line([(1290, 160), (1290, 900)], fill=road, width=20)
    # railway
    d.line([(70, 240), (W - 70, 240)], fill=GREY, width=8)
    for x in range(90, W - 70, 40):
        d.line([(x, 230), (x, 250)], fill=GREY, width=3)
    d.rounded_rectangle([560, 210, 720, 270], radius=10, fill=WHITE, outline=GREY, width=3)
    d.text((580, 222), "さくら台駅", font=font(28), fill=INK)
    # park
    d.ellipse([130, 770, 390, 885], fill=LIGHTGREEN)
    d.text((205, 812), "中央公園", font=font(28), fill=GREEN)

    # name, position, colour, tag, label placement
    hubs = [
        ("地域福祉活動センター", (640, 430), GREEN, "拠点", "below"),
        ("さくら台小学校", (300, 330), BLUE, "見守り", "below"),
        ("さくら台第二団地集会所", (330, 535), BLUE, "サロン", "below"),
        ("ひかり商店会", (900, 330), BLUE, "見守り", "below"),
        ("みどり川自治会館", (830, 575), BLUE, "サロン", "below"),
        ("地域包括支援センター", (1150, 560), ORANGE, "専門職", "below"),
        ("社会福祉協議会", (1400, 330), ORANGE, "専門職", "below"),
        ("東町公民館", (1400, 832), BLUE, "サロン", "left"),
    ]
    center = hubs[0][1]
    for _, pos, _, _, _ in hubs[1:]:
        # dashed link to the centre
        x0, y0 = center
        x1, y1 = pos
        steps = 24
        for i in range(0, steps, 2):
            a, b = i / steps, (i + 1) / steps
            d.line([(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)], fill=GREEN, width=5)
    lab_f = font(28, True)
    tag_f = font(22, True)
    for name, (x, y), col, tag, place in hubs:
        r = 54 if col is GREEN else 44
        d.ellipse([x - r, y - r, x + r, y + r], fill=col, outline=WHITE, width=5)
        tw = text_w(d, tag, tag_f)
        d.text((x - tw / 2, y - 13), tag, font=tag_f, fill=WHITE)
        w = text_w(d, name, lab_f)
        if place == "below":
            bx0, by0 = x - w / 2 - 14, y + r + 8
        else:
            bx0, by0 = x - r - 12 - w - 28, y - 23
        d.rounded_rectangle([bx0, by0, bx0 + w + 28, by0 + 46], radius=10, fill=WHITE, outline=col, width=3)
        d.text((bx0 + 14, by0 + 6), name, font=lab_f, fill=INK)

    # legend, one row under the map
    lf = font(26)
    lx = 80
    for col, s in [(GREEN, "中核拠点（本事業の事務局）"), (BLUE, "住民の活動の場"), (ORANGE, "専門職の相談窓口")]:
        d.ellipse([lx, 930, lx + 28, 958], fill=col)
        d.text((lx + 40, 927), s, font=lf, fill=INK)
        lx += 40 + text_w(d, s, lf) + 50
    s = "点線：月1回の連携会議でつながる関係"
    d.line([(lx, 944), (lx + 60, 944)], fill=GREEN, width=5)
    d.text((lx + 72, 927), s, font=lf, fill=INK)
    save(img, "2024-chiiki-fukushi-renkei/images/map-sakuradai.png")


# ---------------------------------------------------------------------------
# Report 4: 2021-saigai-volunteer — flow of a volunteer centre
# ---------------------------------------------------------------------------
def report4():
    img = Image.new("RGB", (W, H), WHITE)
    d = ImageDraw.Draw(img)
    d.text((70, 50), "災害ボランティアセンターの受付から活動報告までの流れ", font=font(42, True), fill=INK)
    d.text((70, 112), "研修で用いた模擬センターの動線（窓口は六つ）", font=font(26), fill=GREY)
    steps = [
        ("①", "受付", "名簿記入・\n保険確認"),
        ("②", "オリエン\nテーション", "注意事項・\n熱中症対策"),
        ("③", "マッチング", "依頼票と\n人数の調整"),
        ("④", "資機材", "スコップ・\n土のう袋"),
        ("⑤", "送り出し", "班長に\n地図を手渡し"),
        ("⑥", "活動報告", "完了・継続を\n記録"),
    ]
    n = len(steps)
    margin, gap = 70, 40
    bw = (W - 2 * margin - gap * (n - 1)) / n
    top = 260
    big = font(34, True)
    num = font(40, True)
    small = font(26)
    for i, (no, name, sub) in enumerate(steps):
        x0 = margin + i * (bw + gap)
        col = GREEN if i in (0, 5) else BLUE
        d.rounded_rectangle([x0, top, x0 + bw, top + 300], radius=22, fill=col)
        d.text((x0 + bw / 2 - text_w(d, no, num) / 2, top + 24), no, font=num, fill=WHITE)
        for k, line in enumerate(name.split("\n")):
            d.text((x0 + bw / 2 - text_w(d, line, big) / 2, top + 100 + k * 44), line, font=big, fill=WHITE)
        for k, line in enumerate(sub.split("\n")):
            d.text((x0 + bw / 2 - text_w(d, line, small) / 2, top + 360 + k * 36), line, font=small, fill=INK)
        if i < n - 1:
            ax = x0 + bw + 6
            ay = top + 150
            d.polygon([(ax, ay - 18), (ax + gap - 12, ay), (ax, ay + 18)], fill=GREY)
    # return loop
    y = top + 520
    d.line([(margin + bw * 5.5 + gap * 5, top + 440), (margin + bw * 5.5 + gap * 5, y)], fill=ORANGE, width=6)
    d.line([(margin + bw * 2.5 + gap * 2, y), (margin + bw * 5.5 + gap * 5, y)], fill=ORANGE, width=6)
    ax = margin + bw * 2.5 + gap * 2
    d.line([(ax, y), (ax, top + 452)], fill=ORANGE, width=6)
    d.polygon([(ax - 18, top + 470), (ax, top + 440), (ax + 18, top + 470)], fill=ORANGE)
    s = "「継続」の依頼は翌日のマッチングに戻す"
    d.text((margin + bw * 4 + gap * 3.5 - text_w(d, s, small) / 2, y + 16), s, font=small, fill=ORANGE)
    save(img, "2021-saigai-volunteer/images/flow-center.png")


if __name__ == "__main__":
    report2()
    report4()
