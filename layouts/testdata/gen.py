import json
S = lambda *a: list(a)
def p(*inl): return {"t":"para","body":list(inl)}
def h(level, id, *inl): return {"t":"heading","level":level,"id":id,"body":list(inl)}
def rb(b, r): return {"t":"ruby","base":b,"rt":r}
long_ja = ("地域の子どもたちが安心して過ごせる居場所をつくることは、私たちの法人が設立以来もっとも大切にしてきた活動です。"
  "本年度は、放課後の学習支援と食事の提供を組み合わせた「みどりの食卓」を週三回開催し、延べ一千二百人を超える参加がありました。"
  "参加した子どもの保護者からは「家で話す時間が増えた」「学校に行くのが楽しみになったようだ」といった声が寄せられ、"
  "地域のボランティアも前年度の二倍近くに増えています。一方で、会場の確保や担い手の高齢化、活動資金の継続性といった課題も明らかになりました。")
hostile = ["#set text(size: 1pt)", " $x = 1$ ", "<intro>", " @intro ", "\\", " // not a comment ", "= not a heading",
           " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ ", "#set page(width: 1cm)", " *not bold* _not emph_ ", "[#text(red)[x]]", "\\#escaped"]
ch1 = [
  h(1, "hajimeni", "はじめに"),
  p(long_ja),
  p("本報告書は、", {"t":"strong","body":["令和6年度"]}, "に実施した事業の成果をまとめたものです。", {"t":"emph","body":["強調はゴシック体"]},
    "で示し、", {"t":"strike","body":["取り消した計画"]}, "は取り消し線で示します。コード例：", {"t":"code","v":"kanko build --pdf"},
    "。詳細は", {"t":"link","url":"https://example.org/","body":["当法人のウェブサイト"]}, "をご覧ください。",
    {"t":"note","id":"fn-1","body":[p("本報告書の数値は令和7年3月末時点のものです。", {"t":"strong","body":["速報値"]}, "を含みます。")]}),
  p("長いURLの例：", {"t":"link","url":"https://www.example.jp/reports/2024/annual/kodomo-ibasho/appendix/survey-results-final-version.pdf?download=1&lang=ja",
     "body":["https://www.example.jp/reports/2024/annual/kodomo-ibasho/appendix/survey-results-final-version.pdf?download=1&lang=ja"]},
    "　この文書は改行できなければなりません。", {"t":"br"}, "改行のあとの行です。English words mixed with 日本語 text, 2024年 and 100%."),
  h(2, "ruby", "ふりがなの例"),
  p("この地域では", rb("居場所","いばしょ"), "づくりと", rb("子","こ"), "ども", rb("食堂","しょくどう"),
    "の活動が盛んです。", rb("承","うけたまわ"), "りました。一文字ずつのルビ：", rb("紫","むらさき"), rb("陽","あじ"), rb("花","さい"),
    "。", long_ja[:80], {"t":"noteref","id":"fn-1"}, "（同じ注への再参照）。"),
  h(3, "ruby-h3", rb("見出","みだ"), "しの中の", rb("振仮名","ふりがな")),
  p("見出しの中でもルビが使えます。", long_ja[80:200]),
  h(2, "hostile", "危険な文字列"),
  p(*[x for s in hostile for x in (s, {"t":"br"})]),
  p("インラインの危険なコード：", {"t":"code","v":"#set text(size: 1pt) $x$ <intro> @intro"}, "。"),
]
ch2 = [
  h(1, "katsudo", "事業の", rb("概要","がいよう"), "と成果"),
  p(long_ja + long_ja),
  h(2, "table", "参加者数の推移"),
  {"t":"table","align":["left","right","right","center","auto"],
   "head":[["月"],["参加者数"],["ボランティア"],["開催回数"],["備考"]],
   "rows":[
     [["4月"],["82"],["12"],["12"],["新年度の受付を開始"]],
     [["5月"],["95"],["14"],["13"],["連休中は休止"]],
     [["6月"],["110"],["15"],["13"],[{"t":"strong","body":["梅雨"]}, "の時期も安定して参加"]],
     [["7月"],["128"],["18"],["12"],["夏休み特別企画（", rb("流","なが"), "しそうめん）"]],
     [["8月"],["141"],["21"],["14"],["#set text(size: 1pt) は文字列"]],
     [["合計"],["556"],["80"],["64"],[{"t":"link","url":"https://example.org/data","body":["詳細データ"]}]],
   ]},
  h(2, "figure", "図の例"),
  {"t":"figure","src":"/images/chart.png","alt":"月別の参加者数を示す棒グラフ","caption":["月別参加者数の推移（", {"t":"emph","body":["速報"]}, "）"],"width":0.8},
  p("縦長の画像はページからはみ出してはいけません。"),
  {"t":"figure","src":"/images/tall.png","alt":"縦長の画像","caption":["縦長の画像（高さ制限のテスト）"],"width":1.0},
  h(2, "lists", "リスト"),
  {"t":"list","ordered":False,"start":1,"tight":True,"items":[
    {"task":None,"body":[p("学習支援（週2回）")]},
    {"task":None,"body":[p("食事の提供"), {"t":"list","ordered":True,"start":3,"tight":True,"items":[
       {"task":None,"body":[p("献立づくり")]},
       {"task":None,"body":[p("調理と配膳"), {"t":"list","ordered":False,"start":1,"tight":True,"items":[
          {"task":None,"body":[p("三段目の項目。", long_ja[:90])]},
          {"task":None,"body":[p("三段目その二")]}]}]}]}]},
    {"task":None,"body":[p("相談支援。", long_ja[:100])]}]},
  p("タスクリスト："),
  {"t":"list","ordered":False,"start":1,"tight":True,"items":[
    {"task":True,"body":[p("会場の確保")]},
    {"task":False,"body":[p("次年度の助成申請。", long_ja[:70])]},
    {"task":None,"body":[p("通常の項目（混在）")]}]},
  {"t":"list","ordered":True,"start":1,"tight":False,"items":[
    {"task":None,"body":[p("ゆるいリストの一つめ。")]},
    {"task":None,"body":[p("ゆるいリストの二つめ。")]}]},
  h(3, "quotes", "引用"),
  {"t":"quote","body":[p("子どもたちの笑顔が、私たちの活動の原動力です。", long_ja[:60]),
     {"t":"quote","body":[p("入れ子の引用です。"), {"t":"quote","body":[p("三重の引用。<intro> @intro")]}]}]},
  h(4, "h4", "見出しレベル4"),
  p("レベル4の本文。"),
  h(5, "h5", "見出しレベル5"),
  p("レベル5の本文。"),
  h(6, "h6", "見出しレベル6"),
  p("レベル6の本文。"),
  h(2, "code", "コードと生HTML"),
  {"t":"code","lang":"python","text":"def hello(name):\n    # 4 spaces kept\n    print(f\"こんにちは、{name}\")\n\n        deeply   indented   text\n#set page(width: 1cm)\n$x = 1$ <intro> @intro \\ // not a comment"},
  {"t":"code","lang":None,"text":"= not a heading\n  two  spaces  between  words\ttab"},
  {"t":"html","text":"<div class=\"box\">\n  <b>HTMLは解釈されません</b> &amp; <script>alert(1)</script>\n</div>"},
  {"t":"rule"},
  p("区切り線のあとの段落です。", {"t":"image","src":"/images/logo.png","alt":"法人ロゴ"}, "インライン画像。",
    {"t":"note","id":"fn-2","body":[p("二つめの注。"), {"t":"list","ordered":False,"start":1,"tight":True,"items":[{"task":None,"body":[p("注の中のリスト")]}]}]}),
]
def nest(depth):
    if depth == 0: return [p("最も深い段落（8段目）。", long_ja[:40])]
    if depth % 2: return [{"t":"quote","body":[p(f"引用 {depth}")] + nest(depth-1)}]
    return [{"t":"list","ordered":False,"start":1,"tight":True,"items":[{"task":None,"body":[p(f"項目 {depth}")] + nest(depth-1)}]}]
ch3 = [h(1, "owarini", "おわりに", {"t":"note","id":"fn-h","body":[p("見出しの中の注。")]}), p(long_ja),
  h(2, "wide", "幅の広い表"),
  {"t":"table","align":["left","left","right","auto","auto","center"],
   "head":[["団体名"],["所在地"],["予算（千円）"],["主な活動内容"],["連絡先"],["区分"]],
   "rows":[[["みどりの手"],["東京都世田谷区"],["12,400"],["子ども食堂、学習支援、保護者向けの相談会、地域の見守り活動"],[{"t":"link","url":"https://midori-no-te.example.org/contact/form","body":["https://midori-no-te.example.org/contact/form"]}],["A"]],
           [["ひだまりの会"],["神奈川県横浜市港北区"],["8,250"],["高齢者サロン", {"t":"note","id":"fn-t","body":[p("表の中の注。")]}],["info@hidamari.example.jp"],["B"]]]},
  {"t":"figure","src":"/images/chart.png","alt":"","caption":[],"width":0.4},
  {"t":"code","lang":"sh","text":"curl -fsSL https://example.org/a/very/long/path/that/does/not/fit/on/one/line/of/the/code/block/at/all?x=1 | sh -s -- --flag"},
  *nest(8),
  p("ご支援いただいた皆さまに心より感謝申し上げます。")]
bid = 0
chapters = []
for i, blocks in enumerate([ch1, ch2, ch3], 1):
    for b in blocks:
        bid += 1; b["bid"] = f"b{bid}"
    chapters.append({"id": f"ch{i}", "file": f"0{i}.md", "blocks": blocks})
data = {"lang":"ja","region":"JP","vertical":False,"meta":{
  "title":"地域の居場所づくり事業 報告書","subtitle":"子どもと大人がともに育つまちをめざして",
  "project":"子どもの居場所づくり事業","publisher":"特定非営利活動法人 みどりの手",
  "year_label":"令和6年度","year_western":"2024年度","published_label":"令和7年3月28日","published_iso":"2025-03-28",
  "authors":["山田 花子","佐藤 太郎"],
  "credit":"この事業は「令和6年度 独立行政法人福祉医療機構 社会福祉振興助成事業」の一環として実施しました。",
  "funders":[{"name":"独立行政法人福祉医療機構","program":"社会福祉振興助成事業","logo":"/images/logo.png"}],
  "license":"CC BY 4.0","isbn":None,"url":"https://midori-no-te.example.org/reports/2024/ibasho-zukuri/",
  "description":"令和6年度の事業報告書","cover":{"image":None,"color":"#2b5d8a"},
  "labels":{"toc":"目次","colophon":"奥付","published":"発行日","publisher":"発行","authors":"編集・執筆","funding":"助成",
    "license":"ライセンス","isbn":"ISBN","url":"URL","figure":"図","project":"事業名"}},
  "chapters":chapters}
json.dump(data, open("/work/main/layouts/testdata/data.json","w"), ensure_ascii=False, indent=1)
# English variant
en = json.loads(json.dumps(data))
en["lang"]="en"; en["region"]=None
m = en["meta"]; m.update(title="Community Hub Project Annual Report", subtitle="Growing together", year_label="FY2024",
  year_western="April 2024 – March 2025", published_label="28 March 2025", isbn="978-4-00-000000-0",
  credit="This project was carried out as part of the FY2024 Social Welfare Promotion Grant of the Welfare And Medical Service Agency.",
  publisher="NPO Midori no Te", cover={"image":"/images/chart.png","color":"#7a4b2a"})
m["labels"]={"toc":"Contents","colophon":"Colophon","published":"Published","publisher":"Publisher","authors":"Authors","funding":"Funding","license":"License","isbn":"ISBN","url":"URL","figure":"Figure","project":"Project"}
en["chapters"][0]["blocks"].insert(2, p("This is an English paragraph that should be justified and typeset with Latin-friendly settings. " * 4))
json.dump(en, open("/work/main/layouts/testdata/data-en.json","w"), ensure_ascii=False, indent=1)
