#!/usr/bin/env python3
"""Regenerate the figures of the sample reports in reports/.

Usage:  python3 reports/_tools/make_charts.py
Needs:  Pillow (pip install pillow) and the BIZ UDPGothic font.

Every figure is drawn from the numbers written below, which are the same numbers as in the
tables of the manuscripts. Output: flat PNG, about 1600x1000 px, white background,
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
# generic horizontal bar chart (percentages)
# ---------------------------------------------------------------------------
def hbar_chart(rel, title, note, items, xlabel, color, max_value=100, unit="%"):
    img = Image.new("RGB", (W, H), WHITE)
    d = ImageDraw.Draw(img)
    d.text((80, 50), title, font=font(46, True), fill=INK)
    d.text((80, 118), note, font=font(28), fill=GREY)

    label_f = font(32)
    value_f = font(30, True)
    left = 80 + max(text_w(d, lab, label_f) for lab, _ in items) + 30
    right = W - 140
    top, bottom = 200, H - 130
    n = len(items)
    slot = (bottom - top) / n
    bar_h = slot * 0.62

    # grid + x axis ticks
    tick_f = font(26)
    steps = 5
    for i in range(steps + 1):
        v = max_value * i / steps
        x = left + (right - left) * i / steps
        d.line([(x, top - 10), (x, bottom)], fill=GRID, width=2)
        s = f"{v:g}{unit}"
        d.text((x - text_w(d, s, tick_f) / 2, bottom + 12), s, font=tick_f, fill=GREY)
    d.line([(left, top - 10), (left, bottom)], fill=INK, width=3)
    d.text((left + (right - left) / 2 - text_w(d, xlabel, tick_f) / 2, bottom + 56), xlabel, font=tick_f, fill=INK)

    for i, (lab, v) in enumerate(items):
        y0 = top + slot * i + (slot - bar_h) / 2
        x1 = left + (right - left) * v / max_value
        d.rectangle([left, y0, x1, y0 + bar_h], fill=color)
        d.text((left - 20 - text_w(d, lab, label_f), y0 + bar_h / 2 - 20), lab, font=label_f, fill=INK)
        d.text((x1 + 12, y0 + bar_h / 2 - 18), f"{v:g}{unit}", font=value_f, fill=INK)
    save(img, rel)


# ---------------------------------------------------------------------------
# grouped vertical bar chart
# ---------------------------------------------------------------------------
def vbar_grouped(rel, title, note, categories, series, ylabel, max_value, step):
    img = Image.new("RGB", (W, H), WHITE)
    d = ImageDraw.Draw(img)
    d.text((80, 50), title, font=font(46, True), fill=INK)
    d.text((80, 118), note, font=font(28), fill=GREY)

    left, right, top, bottom = 190, W - 80, 230, H - 150
    tick_f = font(26)
    for v in range(0, max_value + 1, step):
        y = bottom - (bottom - top) * v / max_value
        d.line([(left, y), (right, y)], fill=GRID, width=2)
        s = f"{v}"
        d.text((left - 16 - text_w(d, s, tick_f), y - 15), s, font=tick_f, fill=GREY)
    d.line([(left, bottom), (right, bottom)], fill=INK, width=3)
    # y label, written vertically character by character
    yl_f = font(28)
    for i, ch in enumerate(ylabel):
        d.text((90, top + 20 + i * 34), ch, font=yl_f, fill=INK)

    # legend
    lx = right
    leg_f = font(28)
    for name, _, col in reversed(series):
        w = text_w(d, name, leg_f)
        lx -= w
        d.text((lx, 170), name, font=leg_f, fill=INK)
        lx -= 40
        d.rectangle([lx, 174, lx + 28, 202], fill=col)
        lx -= 40

    n = len(categories)
    group = (right - left) / n
    k = len(series)
    bar_w = group * 0.7 / k
    val_f = font(24, True)
    cat_f = font(28)
    for i, cat in enumerate(categories):
        gx = left + group * i + group * 0.15
        for j, (_, values, col) in enumerate(series):
            v = values[i]
            x0 = gx + bar_w * j
            y0 = bottom - (bottom - top) * v / max_value
            d.rectangle([x0 + 3, y0, x0 + bar_w - 3, bottom], fill=col)
            s = str(v)
            d.text((x0 + bar_w / 2 - text_w(d, s, val_f) / 2, y0 - 32), s, font=val_f, fill=INK)
        d.text((left + group * i + group / 2 - text_w(d, cat, cat_f) / 2, bottom + 16), cat, font=cat_f, fill=INK)
    save(img, rel)


# ---------------------------------------------------------------------------
# Report 1: 2023-kodomo-ibasho-chousa
# numbers = 表3 and 表4 of 03-kekka.md
# ---------------------------------------------------------------------------
def report1():
    hbar_chart(
        "2023-kodomo-ibasho-chousa/images/chart-yokatta.png",
        "居場所に来てよかったこと（子ども票、複数回答）",
        "みずほ野市子どもの居場所ネットワーク調査 2023　n=312",
        [
            ("みんなでごはんを食べられる", 71.5),
            ("友だちができた・会える", 58.7),
            ("大人に話を聞いてもらえる", 44.9),
            ("宿題・勉強を見てもらえる", 38.1),
            ("家や学校以外に行く場所がある", 35.3),
            ("季節の行事・遊びが楽しい", 29.2),
            ("特にない", 4.5),
        ],
        "回答した子どもの割合",
        BLUE,
    )
    vbar_grouped(
        "2023-kodomo-ibasho-chousa/images/chart-sanka.png",
        "1回あたりの平均参加者数（2023年度・四半期別）",
        "ネットワーク加盟 18か所の実施記録から集計",
        ["4〜6月", "7〜9月", "10〜12月", "1〜3月"],
        [
            ("子ども", [21, 27, 24, 23], BLUE),
            ("保護者", [6, 8, 7, 7], LIGHTBLUE),
            ("ボランティア", [7, 8, 8, 8], GREEN),
        ],
        "人数",
        30,
        5,
    )


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

    hbar_chart(
        "2024-chiiki-fukushi-renkei/images/chart-sodan.png",
        "連携会議で扱った相談の内容（2024年度、延べ 143件）",
        "件数。1件の相談が複数の内容にまたがる場合は主なもの1つに分類",
        [
            ("見守り・安否確認", 41),
            ("買い物・通院の移動", 29),
            ("ごみ出し・家の中の困りごと", 24),
            ("認知症の心配", 19),
            ("家計・制度の利用", 16),
            ("その他", 14),
        ],
        "件数（件）",
        GREEN,
        max_value=50,
        unit="",
    )


# ---------------------------------------------------------------------------
# Report 3: 2022-youth-mentoring-en
# ---------------------------------------------------------------------------
def report3():
    hbar_chart(
        "2022-youth-mentoring-en/images/chart-outcomes.png",
        "Mentees who agreed with each statement (n = 24)",
        "End-of-pilot questionnaire, February 2023. Share answering agree or strongly agree.",
        [
            ("I have an adult I can talk to", 87.5),
            ("I know what I want to try next", 62.5),
            ("I feel more confident at school", 58.3),
            ("I would recommend the programme", 91.7),
        ],
        "Share of mentees",
        BLUE,
    )


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
    report1()
    report2()
    report3()
    report4()
