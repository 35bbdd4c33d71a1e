#!/usr/bin/env python3
"""Generate kanko's benchmark corpus: 20 Japanese non-profit reports of about 20 A4 pages each.

Usage:  python3 benches/make_corpus.py [OUT_DIR] [--reports N]
        (default OUT_DIR: target/bench/reports, N: 20; standard library only)

Deterministic: the same arguments always give byte-identical files (every report has its own
seeded random.Random). Each report is a folder in the manuscript format of SPEC §1: report.toml
(title, project, fiscal_year 2019–2025, publisher, published, authors, [[funders]], [cover]) and
seven chapters with headings h1–h3, paragraphs, tables with alignment, footnotes, bullet and
numbered lists, block quotes, ruby {漢字|かんじ} and one or two PNG charts copied from the sample
reports (reports/*/images). Themes, places, numbers, funders and years differ per report so that
nothing is trivially shared between reports. Two of the twenty are vertical (縦組み).
"""
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_IMAGES = sorted((ROOT / "reports").glob("*/images/*.png"))

ERA = {2019: "令和元", 2020: "令和2", 2021: "令和3", 2022: "令和4", 2023: "令和5", 2024: "令和6", 2025: "令和7"}

# (slug stem, theme title, target group, activities, partners, issue words, ruby words)
THEMES = [
    ("kodomo-shokudou", "子ども食堂ネットワーク", "子どもと保護者",
     ["合同の食材受け取り会", "運営者の交流会", "衛生管理講習", "夏休みの昼食提供", "学習支援の時間"],
     ["小学校", "民生委員・児童委員", "フードバンク", "市の子ども家庭課"], ["担い手の不足", "会場の確保", "食材費の高騰"],
     [("衛生", "えいせい"), ("献立", "こんだて"), ("寄付", "きふ")]),
    ("saigai-volunteer", "災害ボランティアセンター運営者養成", "地域の住民と社協職員",
     ["基礎講座", "模擬センターの運営演習", "資機材の点検", "合同訓練", "振り返りの会"],
     ["社会福祉協議会", "町内会", "消防団", "地元の高校"], ["資機材の備え", "受援の計画", "若い世代の参加"],
     [("氾濫", "はんらん"), ("受援", "じゅえん"), ("泥出し", "どろだし")]),
    ("mimamori", "高齢者の見守り・支え合い", "ひとり暮らしの高齢者",
     ["見守り訪問", "ふれあいサロン", "傾聴講座", "地域見守り訓練", "連携会議"],
     ["地域包括支援センター", "自治会", "商店会", "民生委員・児童委員"], ["担い手の高齢化", "個人情報の扱い", "男性の参加"],
     [("傾聴", "けいちょう"), ("孤立", "こりつ"), ("包括", "ほうかつ")]),
    ("shuurou-shien", "障害のある人の就労支援", "障害のある人",
     ["職場体験", "企業向けセミナー", "定着支援の面談", "家族の相談会", "作業所の販売会"],
     ["ハローワーク", "特別支援学校", "商工会議所", "就労移行支援事業所"], ["職場の理解", "通勤の手段", "工賃の水準"],
     [("工賃", "こうちん"), ("定着", "ていちゃく"), ("合理的配慮", "ごうりてきはいりょ")]),
    ("hikikomori", "ひきこもり状態にある人と家族の支援", "ひきこもり状態にある人とその家族",
     ["家族会", "居場所の開所", "訪問相談", "オンライン相談", "支援者研修"],
     ["保健所", "精神保健福祉センター", "若者サポートステーション", "市の福祉課"], ["初回相談までの壁", "長期化", "家族の孤立"],
     [("長期化", "ちょうきか"), ("訪問", "ほうもん"), ("焦燥", "しょうそう")]),
    ("tabunka", "外国にルーツのある住民の生活支援", "外国にルーツのある住民",
     ["やさしい日本語講座", "生活相談会", "通訳ボランティアの養成", "子どもの学習教室", "防災ワークショップ"],
     ["国際交流協会", "市の市民協働課", "日本語学校", "技能実習生の受入れ企業"], ["言葉の壁", "情報の届け方", "相談員の確保"],
     [("通訳", "つうやく"), ("在留", "ざいりゅう"), ("母語", "ぼご")]),
    ("kosodate", "子育て家庭の孤立を防ぐ訪問支援", "乳幼児のいる家庭",
     ["家庭訪問", "子育てひろば", "父親向け講座", "ボランティア研修", "多胎児家庭の交流会"],
     ["保健センター", "子育て支援センター", "保育所", "助産師会"], ["訪問員の確保", "父親への働きかけ", "転入家庭への周知"],
     [("乳幼児", "にゅうようじ"), ("産後", "さんご"), ("多胎", "たたい")]),
    ("foodbank", "フードバンクによる生活困窮世帯の支援", "生活に困っている世帯",
     ["食品の受け取りと配付", "企業との協定", "フードドライブ", "配送ボランティアの募集", "相談窓口への同行"],
     ["生活困窮者自立相談支援機関", "スーパーマーケット", "農業協同組合", "市社会福祉協議会"], ["保管場所", "配送の手段", "食品ロスとの両立"],
     [("困窮", "こんきゅう"), ("賞味期限", "しょうみきげん"), ("寄贈", "きぞう")]),
    ("ninchisho-cafe", "認知症カフェの運営と普及", "認知症の人と家族",
     ["認知症カフェの開催", "サポーター養成講座", "家族のつどい", "出張カフェ", "運営者の連絡会"],
     ["認知症疾患医療センター", "地域包括支援センター", "介護事業所", "図書館"], ["会場までの移動", "本人の参加", "運営費の確保"],
     [("認知症", "にんちしょう"), ("介護", "かいご"), ("徘徊", "はいかい")]),
    ("gakushuu-shien", "中高生の学習支援と居場所づくり", "中学生と高校生",
     ["学習会", "進路相談", "大学生ボランティアの研修", "夏の合宿", "保護者面談"],
     ["中学校", "高等学校", "大学のボランティアセンター", "市の教育委員会"], ["学年が上がると来なくなる", "交通費", "学生の入れ替わり"],
     [("進路", "しんろ"), ("奨学金", "しょうがくきん"), ("不登校", "ふとうこう")]),
    ("ido-shien", "移動が難しい高齢者の外出支援", "移動が難しい高齢者",
     ["送迎ボランティア", "買い物ツアー", "通院の付き添い", "運転者講習", "利用者の集い"],
     ["タクシー会社", "市の交通政策課", "自治会", "商店街"], ["運転者の確保", "事故への備え", "費用の負担"],
     [("送迎", "そうげい"), ("通院", "つういん"), ("運転", "うんてん")]),
    ("shougai-kodomo", "医療的ケアが必要な子どもと家族の支援", "医療的ケア児と家族",
     ["きょうだい児のイベント", "家族の交流会", "支援者研修", "短期の預かり", "災害時の個別計画づくり"],
     ["特別支援学校", "訪問看護ステーション", "小児科の病院", "相談支援事業所"], ["看護師の確保", "きょうだいへの支援", "災害への備え"],
     [("看護", "かんご"), ("吸引", "きゅういん"), ("経管栄養", "けいかんえいよう")]),
    ("jisatsu-yobou", "電話とSNSによる悩み相談", "悩みを抱える若者",
     ["SNS相談", "電話相談", "相談員養成講座", "スーパービジョン", "啓発キャンペーン"],
     ["保健所", "精神科クリニック", "大学の学生相談室", "市の健康推進課"], ["夜間の体制", "相談員の負担", "つなぎ先の不足"],
     [("傾聴", "けいちょう"), ("希死念慮", "きしねんりょ"), ("守秘", "しゅひ")]),
    ("nouson-kouryuu", "農村と都市の交流による地域づくり", "中山間地域の住民",
     ["農業体験", "空き家の見学会", "移住相談会", "集落の聞き取り", "特産品の開発"],
     ["町役場", "農業協同組合", "地域おこし協力隊", "大学のゼミ"], ["受け入れの負担", "交通の便", "担い手の高齢化"],
     [("集落", "しゅうらく"), ("棚田", "たなだ"), ("耕作放棄地", "こうさくほうきち")]),
    ("kodomo-kenri", "子どもの権利を学ぶ出前授業", "小中学生と教職員",
     ["出前授業", "教職員研修", "子ども会議", "保護者向け講座", "教材の作成"],
     ["小学校", "中学校", "弁護士会", "市の子ども政策課"], ["授業時間の確保", "教員の異動", "子どもの声の反映"],
     [("権利", "けんり"), ("条約", "じょうやく"), ("意見表明", "いけんひょうめい")]),
    ("hinkon-kosodate", "ひとり親家庭の生活と就労の支援", "ひとり親家庭",
     ["生活相談", "資格取得の講座", "子どもの学習支援", "食料の配付", "親同士の交流会"],
     ["ハローワーク", "母子・父子自立支援員", "市の子育て支援課", "職業訓練校"], ["相談時間の確保", "養育費", "住まいの不安"],
     [("養育費", "よういくひ"), ("扶養", "ふよう"), ("就労", "しゅうろう")]),
    ("kaigo-kazoku", "家族介護者のつどいと相談", "家族を介護している人",
     ["介護者のつどい", "介護技術講座", "ヤングケアラー相談", "リフレッシュ旅行", "電話相談"],
     ["地域包括支援センター", "居宅介護支援事業所", "中学校", "病院の医療相談室"], ["若い介護者への周知", "仕事との両立", "男性介護者の孤立"],
     [("介護者", "かいごしゃ"), ("仕事", "しごと"), ("負担", "ふたん")]),
    ("houmon-shika", "在宅療養者への訪問歯科と口腔ケア", "在宅で療養する高齢者",
     ["訪問歯科健診", "口腔ケア講習", "介護職員研修", "食べる力の相談会", "啓発の冊子づくり"],
     ["歯科医師会", "訪問看護ステーション", "介護事業所", "栄養士会"], ["訪問先の広がり", "費用の説明", "多職種の連携"],
     [("口腔", "こうくう"), ("嚥下", "えんげ"), ("誤嚥", "ごえん")]),
    ("bousai-shougai", "障害のある人の防災と避難支援", "障害のある人と家族",
     ["避難訓練", "個別避難計画の作成", "福祉避難所の見学", "防災講座", "備蓄品の点検"],
     ["市の危機管理課", "自主防災組織", "福祉避難所", "相談支援事業所"], ["計画の更新", "移動の支援者", "情報保障"],
     [("避難", "ひなん"), ("備蓄", "びちく"), ("要配慮者", "ようはいりょしゃ")]),
    ("wakamono-shuurou", "若者の就労と自立の支援", "働くことに悩む若者",
     ["個別相談", "職場見学", "就労体験", "生活リズムの講座", "保護者セミナー"],
     ["若者サポートステーション", "ハローワーク", "地元企業", "高等学校"], ["初めの一歩", "企業の受け入れ", "相談の継続"],
     [("自立", "じりつ"), ("面接", "めんせつ"), ("職場", "しょくば")]),
]

CITIES = ["みずほ野市", "朝日川町", "さくら台市", "東雲市", "青葉区", "北山市", "若葉町", "西浜市", "緑ヶ丘市", "南里村",
          "八雲市", "川辺町", "白鷺市", "桜井町", "宮原市", "浜風町", "高森市", "川口台市", "ひばり野市", "大原村"]
ORG_PREFIX = ["特定非営利活動法人", "一般社団法人", "認定特定非営利活動法人", "社会福祉法人"]
ORG_WORD = ["ささえあいの会", "こども応援ネット", "ひなたネット", "つながりセンター", "まちづくり協議会", "ともに歩む会",
            "ふくしネット", "あおぞら会", "よりそいの会", "みらいサポート"]
SURNAMES = ["青木", "森川", "中村", "杉浦", "北条", "大谷", "李", "田之上", "佐藤", "鈴木", "高橋", "渡辺", "伊藤",
            "山本", "小林", "加藤", "吉田", "山田", "松本", "井上", "木村", "林", "清水", "山崎", "阿部", "池田"]
GIVEN = ["陽子", "大輔", "さくら", "恵美子", "健太", "美香", "誠", "里美", "翔", "由紀", "浩二", "真理子", "悠人",
         "智子", "亮", "明美", "拓也", "直子", "和夫", "彩"]
FOUNDATIONS = [
    ("公益財団法人みなと生活福祉財団", "地域福祉活動助成"),
    ("公益財団法人あおば市民活動基金", "市民活動応援助成"),
    ("一般財団法人ひかり社会貢献財団", "こども・若者支援助成"),
    ("公益財団法人やまなみ共生財団", "共生社会づくり助成"),
    ("公益財団法人しらかば福祉基金", "高齢者福祉助成"),
    ("公益財団法人うみかぜ環境と暮らし財団", "くらし支援助成"),
]
COLORS = ["#2e6eaa", "#2f6f5e", "#8a3b2e", "#5b4a8a", "#7a6a1f", "#1f6f7a", "#8a2e5b", "#3b5b2e", "#4a4a4a", "#a0522d"]

KANJI_NUM = "〇一二三四五六七八九"


def pct(rng, lo=5.0, hi=80.0):
    return f"{rng.uniform(lo, hi):.1f}%"


class Writer:
    """Builds the prose of one report from its theme and its own random stream."""

    def __init__(self, rng, theme, city, fy, org):
        self.rng = rng
        (self.stem, self.topic, self.target, self.acts, self.partners, self.issues, self.ruby) = theme
        self.city, self.fy, self.org = city, fy, org
        self.era = ERA[fy] + "年度"
        self.fn = 0
        self.ruby_used = set()
        self.table_no = 0
        self.fig_no = 0

    def r(self, seq):
        return self.rng.choice(seq)

    def ruby_word(self):
        base, reading = self.r(self.ruby)
        if base in self.ruby_used and self.rng.random() < 0.6:
            return base
        self.ruby_used.add(base)
        if self.rng.random() < 0.3 and len(base) == 2:
            # per-character ruby needs one reading per character: split the reading in two halves
            half = len(reading) // 2
            return "{" + base + "|" + reading[:half] + "|" + reading[half:] + "}"
        return "{" + base + "|" + reading + "}"

    def sentence(self):
        rng = self.rng
        n = rng.randint(12, 480)
        templates = [
            f"{self.city}では、{self.target}を取り巻く状況がこの数年で大きく変わり、{self.r(self.issues)}が繰り返し話題にのぼるようになりました。",
            f"{self.r(self.acts)}には延べ{n}人が参加し、そのうち約{rng.randint(2, 6)}割が初めての参加でした。",
            f"{self.r(self.partners)}の担当者からは「{self.r(self.acts)}をきっかけに、相談が早い段階で届くようになった」という声が寄せられています。",
            f"当初の計画では年{rng.randint(4, 12)}回の開催を予定していましたが、参加者の要望を受けて回数を増やしました。",
            f"とくに{self.ruby_word()}に関わる相談は、前年度と比べて{pct(rng, 10, 60)}増えています。",
            f"一方で、{self.r(self.issues)}については、私たちだけでは解決できない課題も多く残りました。",
            f"{self.r(self.partners)}や{self.r(self.partners)}と月に一度集まり、気になる事例や活動の進み方を共有しています。",
            f"アンケートでは、回答者の{pct(rng, 40, 95)}が「参加してよかった」と答え、{pct(rng, 20, 70)}が「また参加したい」と答えました。",
            f"{self.target}の声を聞くことを何より大切にし、活動のたびに短い振り返りの時間を設けました。",
            f"活動を支えたボランティアは{rng.randint(15, 120)}人で、平均年齢は{rng.randint(28, 68)}歳でした。",
            f"{self.era}は、{self.r(self.acts)}と{self.r(self.acts)}を組み合わせることで、それぞれの参加者が互いを知る機会を増やしました。",
            f"会場の準備や片付けには毎回{rng.randint(3, 15)}人ほどが関わり、{self.ruby_word()}の点検も欠かさず行いました。",
            "参加者の多くは口コミで活動を知っており、チラシやウェブサイトだけでは届かない人がいることが改めて分かりました。",
            f"数字には表れにくいものの、{self.target}と地域の人との間に顔の見える関係が生まれたことは、この事業の大きな成果です。",
            f"{self.r(self.issues)}への対応として、{self.r(self.partners)}と話し合い、役割分担を文書にまとめました。",
            f"事業の終わりに開いた報告会には、{self.city}の内外から{rng.randint(30, 200)}人が集まり、活発な意見交換が行われました。",
            "活動の記録は毎回、担当者が所定の様式に書き込み、翌月の運営会議で全員が目を通すようにしています。",
            f"このほか、{self.r(self.acts)}の手引きを作り、ほかの地域の団体でも使えるように公開しました。",
            f"新型コロナウイルス感染症の影響が残るなか、換気や人数の制限に気を配りながら{self.r(self.acts)}を続けました。",
            f"一人ひとりの事情に合わせて、{self.ruby_word()}の方法を柔軟に変えたことが、継続につながったと考えています。",
        ]
        s = self.r(templates)
        if rng.random() < 0.06:
            s = s[:-1] + self.footnote_ref() + "。"
        if rng.random() < 0.05:
            s = s.replace("、", "、**", 1).replace("。", "**。", 1) if "、" in s else s
        return s

    def footnote_ref(self):
        self.fn += 1
        label = f"n{self.fn}"
        self.pending.append((label, self.footnote_text()))
        return f"[^{label}]"

    def footnote_text(self):
        rng = self.rng
        return self.r([
            f"{self.r(self.partners)}の協力を得て、{self.fy}年{rng.randint(4, 12)}月に実施した聞き取りによります。",
            f"割合は無回答を除いて計算しています（n={rng.randint(40, 400)}）。",
            f"個人が特定されないよう、事例の一部を変えて記載しています。",
            f"{self.r(self.acts)}の詳しい内容は、資料編の表にまとめました。",
            f"回答の選択肢は前年度の調査と同じものを用いました。",
        ])

    def paragraph(self, lo=3, hi=5):
        return "".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def table(self, caption, header, rows, align):
        self.table_no += 1
        out = [f"**表{self.table_no}　{caption}**", "", "| " + " | ".join(header) + " |",
               "|" + "|".join(align) + "|"]
        out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
        return "\n".join(out)

    def count_table(self):
        rng = self.rng
        items = rng.sample(self.acts, k=len(self.acts))
        counts = [rng.randint(8, 260) for _ in items]
        total = sum(counts)
        rows = [(a, c, f"{100 * c / total:.1f}%") for a, c in zip(items, counts)]
        rows.append(("**合計**", f"**{total}**", "**100.0%**"))
        return self.table(f"活動ごとの延べ参加者数（{self.era}）", ["活動", "延べ人数", "割合"], rows, [":--", "--:", "--:"])

    def quarter_table(self):
        rng = self.rng
        rows = []
        for q in ["4〜6月", "7〜9月", "10〜12月", "1〜3月"]:
            a, b = rng.randint(3, 30), rng.randint(20, 400)
            rows.append((q, a, b, f"{b / a:.1f}"))
        return self.table(f"四半期ごとの開催回数と参加者数（{self.era}）", ["期間", "回数", "参加者数", "1回あたり"],
                          rows, [":-:", "--:", "--:", "--:"])

    def survey_table(self):
        rng = self.rng
        opts = [f"{a}に参加できた" for a in self.acts[:3]] + [f"{p}とつながった" for p in self.partners[:2]] + ["特にない"]
        n = rng.randint(80, 420)
        rows = [(o, (k := rng.randint(3, n)), f"{100 * k / n:.1f}%") for o in opts]
        return self.table(f"参加してよかったこと（複数回答、n={n}）", ["選択肢", "人数", "割合"], rows, [":--", "--:", "--:"])

    def budget_table(self, funder):
        rng = self.rng
        items = [("謝金", "講師・助言者"), ("旅費", "講師の交通費"), ("印刷製本費", "チラシ、手引き、報告書"),
                 ("会議費", "会場費"), ("賃金", "事務局職員"), ("通信運搬費", "郵送、電話"), ("消耗品費", "文具、材料")]
        rows, tb, ta = [], 0, 0
        for name, what in items:
            b = rng.randint(5, 150) * 10000
            a = b - rng.randint(0, b // 10000) * 1000
            tb, ta = tb + b, ta + a
            rows.append((name, f"{b:,}", f"{a:,}", what))
        rows.append(("**合計**", f"**{tb:,}**", f"**{ta:,}**", ""))
        return self.table(f"{funder} 分の収支（単位：円）", ["費目", "予算額", "決算額", "主な内容"], rows,
                          [":--", "--:", "--:", ":--"])

    def quote(self):
        who = self.r(["参加者", "ボランティア", "保護者", "運営スタッフ", f"{self.r(self.partners)}の職員"])
        body = self.r([
            f"最初は不安でしたが、{self.r(self.acts)}で顔なじみの人ができて、今では来るのが楽しみです。困ったときに誰に聞けばいいのか分かるだけで、気持ちがずいぶん楽になりました。",
            f"{self.r(self.issues)}のことは、ずっと一人で抱えていました。ここで同じような経験をした人の話を聞いて、自分だけではないと思えたのが一番大きかったです。",
            f"うまくいかない日もありますが、続けているうちに{self.target}の表情が変わってきたのが分かります。それが私たちの励みになっています。",
        ])
        return f"> {body}\n>\n> ——{who}（{self.r(['振り返りシート', '聞き取り', '自由記述', '報告会の発言'])}より）"

    def bullets(self, ordered=False, k=5):
        items = self.rng.sample(self.acts + [f"{p}との連携" for p in self.partners], k=k)
        lines = []
        for i, it in enumerate(items, 1):
            tail = self.r(["の回数を増やす", "の進め方を見直す", "の担い手を育てる", "を他の地区にも広げる", "の記録を共有する"])
            mark = f"{i}." if ordered else "-"
            lines.append(f"{mark} {it}{tail}")
            if not ordered and self.rng.random() < 0.25:
                lines.append(f"  - {self.r(self.partners)}と相談しながら進める")
        return "\n".join(lines)

    def figure(self, img):
        self.fig_no += 1
        cap = self.r([f"{self.r(self.acts)}の参加者の推移（{self.era}）", f"{self.target}への調査の結果（複数回答）",
                      f"{self.city}における連携の広がり", f"事業を通じた変化（{self.era}）"])
        return f"![図{self.fig_no}　{cap}](images/{img})"

    def chapter(self, title, sections, extras, fid=None):
        """sections: list of (h2, [h3...]); extras: callables placed between paragraphs."""
        self.pending = []
        out = [f"# {title}" + (f" {{#{fid}}}" if fid else ""), "", self.paragraph(3, 5), ""]
        extras = list(extras)
        for h2, h3s in sections:
            out += [f"## {h2}", "", self.paragraph(), ""]
            for h3 in h3s:
                out += [f"### {h3}", "", self.paragraph(), ""]
                if extras and self.rng.random() < 0.5:
                    out += [extras.pop(0)(), ""]
                out += [self.paragraph(2, 4), ""]
            if extras:
                out += [extras.pop(0)(), ""]
            out += [self.paragraph(), ""]
        for e in extras:
            out += [e(), ""]
        if self.pending:
            out += [f"[^{label}]: {text}" for label, text in self.pending] + [""]
        return "\n".join(out)


def make_report(i, out_dir):
    rng = random.Random(f"kanko-bench-{i}")
    theme = THEMES[i % len(THEMES)]
    fy = 2019 + i % 7
    city = CITIES[i % len(CITIES)]
    org = f"{rng.choice(ORG_PREFIX)} {city.rstrip('市町村区')}{rng.choice(ORG_WORD)}"
    # Past 140 reports (7 years × 20 themes) the number keeps folder names apart.
    slug = f"{fy}-{theme[0]}" if i < 7 * len(THEMES) else f"{fy}-{theme[0]}-{i:05d}"
    w = Writer(rng, theme, city, fy, org)
    d = out_dir / slug
    (d / "images").mkdir(parents=True, exist_ok=True)

    imgs = rng.sample(SAMPLE_IMAGES, k=1 + (i % 2))
    names = []
    for k, src in enumerate(imgs):
        name = f"fig{k + 1}-{src.stem}.png"
        shutil.copyfile(src, d / "images" / name)
        names.append(name)

    funders = []
    wam = {"name": "独立行政法人福祉医療機構", "program": "社会福祉振興助成事業"}
    if i % 3 == 0:
        wam["budget"] = "補正予算"
        if fy > 2019:
            wam["fiscal_year"] = fy - 1
    if i % 4 != 3:
        funders.append(wam)
    if i % 4 != 0 or not funders:
        f, p = FOUNDATIONS[i % len(FOUNDATIONS)]
        funders.append({"name": f, "program": p})

    title = f"{theme[1]}事業 報告書"
    if fy == 2025:
        title = f"{theme[1]}事業 中間報告書"
        published = f"2025-{rng.randint(7, 10):02d}-{rng.randint(10, 28):02d}"
    else:
        published = f"{fy + 1}-03-{rng.randint(20, 31):02d}"
    authors = [f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}" for _ in range(rng.randint(1, 4))]
    toml = [f"# ベンチマーク用に生成した報告書（{i + 1}/20）。内容は架空のものです。", "",
            f'title = "{title}"',
            f'subtitle = "{city} {theme[2]}とともに歩んだ1年"',
            f'project = "{city} {theme[1]}事業"',
            f"fiscal_year = {fy}            # {ERA[fy]}年度",
            f'publisher = "{org}"',
            f"published = {published}",
            'language = "ja"',
            f'description = "{city}で{theme[2]}を対象に行った{theme[1]}の{ERA[fy]}年度の取り組みと、その成果と課題をまとめた報告書です。"',
            "authors = [" + ", ".join(f'"{a}"' for a in authors) + "]",
            f'license = "{rng.choice(["CC BY 4.0", "CC BY-NC 4.0", "CC BY-SA 4.0"])}"']
    if i % 10 == 4:
        toml.append('writing_mode = "vertical"')
    for f in funders:
        toml += ["", "[[funders]]"] + [f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v}" for k, v in f.items()]
    toml += ["", "[cover]", f'color = "{COLORS[i % len(COLORS)]}"']
    if i % 5 == 2:
        toml.append(f'image = "images/{names[0]}"')
    (d / "report.toml").write_text("\n".join(toml) + "\n", encoding="utf-8")

    acts, issues = theme[3], theme[5]
    fig_iter = iter(names)

    def fig():
        n = next(fig_iter, None)
        return w.figure(n) if n else w.quote()

    chapters = [
        ("01-hajimeni.md", "はじめに", [("事業の背景", ["地域の状況", f"{theme[2]}の現状"]), ("事業の目的", []),
                                      ("この報告書の構成", [])], [lambda: w.bullets(True, 4)]),
        ("02-gaiyou.md", "事業の概要", [("実施体制", ["運営委員会", "事務局"]), ("対象と募集", []),
                                     ("年間の日程", [])], [w.quarter_table, lambda: w.bullets(False, 5)]),
        ("03-katsudou.md", "活動の内容", [(a, [f"{a}の進め方", "参加者の様子"]) for a in acts[:3]],
         [w.count_table, fig, w.quote, lambda: w.bullets(False, 4)]),
        ("04-chousa.md", "参加者への調査の結果", [("調査の方法", ["調査票の配付と回収"]), ("回答者の属性", []),
                                              ("参加してよかったこと", ["年代による違い"])],
         [w.survey_table, fig, w.quote, w.count_table]),
        ("05-seika.md", "成果と課題", [("成果", [f"{acts[3]}の広がり", "連携の深まり"]),
                                    ("課題", [issues[0], issues[1], issues[2]])], [w.quote, w.quarter_table]),
        ("06-teigen.md", "今後に向けて", [("次年度の計画", []), ("関係機関への提言", ["行政へ", "地域の団体へ"])],
         [lambda: w.bullets(True, 5), lambda: w.bullets(False, 4)]),
        ("07-shiryou.md", "資料", [("収支の報告", []), ("運営委員の名簿", [])],
         [lambda: w.budget_table(funders[0]["name"]),
          lambda: w.table("運営委員（敬称略）", ["氏名", "所属"],
                          [(f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}", rng.choice(theme[4])) for _ in range(8)],
                          [":--", ":--"])]),
    ]
    for fname, title_, sections, extras in chapters:
        text = w.chapter(title_, sections, extras, fid=fname[3:-3] if rng.random() < 0.5 else None)
        (d / fname).write_text(text, encoding="utf-8")
    return slug


def main(argv):
    out = Path(argv[1]) if len(argv) > 1 and not argv[1].startswith("--") else ROOT / "target/bench/reports"
    n = int(argv[argv.index("--reports") + 1]) if "--reports" in argv else 20
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    if not SAMPLE_IMAGES:
        sys.exit(f"no sample images under {ROOT / 'reports'}/*/images")
    slugs = [make_report(i, out) for i in range(n)]
    print(f"{len(slugs)} reports in {out}")


if __name__ == "__main__":
    main(sys.argv)
