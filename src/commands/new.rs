//! `kanko new SLUG`: a report folder with a commented report.toml and a first chapter.

use std::process::ExitCode;

use crate::cli::NewArgs;
use crate::i18n::tr;

const REPORT_TOML: &str = r##"# 報告書のメタデータ（report metadata）。キーの説明は README.md を参照してください。
title = "〇〇事業 報告書"              # 表題（必須）
# subtitle = "副題"                   # 副題（任意）
project = "〇〇事業"                   # 助成を受けた事業名（必須）
fiscal_year = {FY}                    # 年度：始まる年を西暦で（{FY} = {FY_LABEL}）（必須）
publisher = "特定非営利活動法人 〇〇"   # 発行者（必須）
published = {DATE}                    # 発行日（必須、TOML の日付）
# language = "ja"                     # 言語（既定 ja。英語なら "en"）
# description = "カタログと電子書籍の説明に使う1〜2文。"
# authors = ["山田 花子"]              # 編集・執筆
# chapters = ["01-hajimeni.md"]       # 章の順序（省略時はファイル名順）
# writing_mode = "vertical"           # 縦組み（EPUB とリーダー。PDF は横組み）
# license = "CC BY 4.0"
# isbn = "978-…"
# url = "https://example.org/reports/"

[[funders]]                           # 助成元（1つ以上、必須）
name = "独立行政法人福祉医療機構"
program = "社会福祉振興助成事業"
# budget = "補正予算"                  # 予算の種類（任意）
# fiscal_year = {FY}                  # 報告書と年度が違うとき
# logo = "images/logo.png"
# credit = "この事業は…"               # 自動で作る謝辞文を置き換える

# [cover]
# image = "images/cover.jpg"
# color = "#1f3a5f"

# [print]                             # 印刷所向け PDF（塗り足し 3 mm・トンボ）も作る
# binding = "saddle"                  # 中綴じ（4の倍数のページ数にする）。無線綴じは "perfect"
"##;

const CHAPTER: &str = "# はじめに\n\nこの報告書は、{年度|ねんど}に実施した事業の成果をまとめたものです。\n\n## 事業の目的\n\n本文をここに書きます。脚注も使えます[^1]。\n\n[^1]: 脚注の本文です。\n";

pub fn new_report(args: &NewArgs) -> ExitCode {
    if let Err(e) = crate::manuscript::check_slug(&args.slug) {
        eprintln!("{}: {e}", crate::i18n::t("error"));
        return ExitCode::from(2);
    }
    let dir = args.reports.join(&args.slug);
    if dir.exists() {
        eprintln!(
            "{}: {} {}",
            crate::i18n::t("error"),
            dir.display(),
            tr("は既にあります", "already exists")
        );
        return ExitCode::from(1);
    }
    let fy = 2025;
    let toml = REPORT_TOML
        .replace("{FY_LABEL}", &crate::manuscript::wareki::fiscal_year(fy))
        .replace("{FY}", &fy.to_string())
        .replace("{DATE}", &format!("{}-03-31", fy + 1));
    let result = std::fs::create_dir_all(dir.join("images"))
        .and_then(|_| std::fs::write(dir.join("report.toml"), toml))
        .and_then(|_| std::fs::write(dir.join("01-hajimeni.md"), CHAPTER));
    match result {
        Ok(()) => {
            eprintln!("{} {}", tr("作成しました:", "created"), dir.display());
            eprintln!(
                "{}",
                tr(
                    "report.toml を編集して `kanko build` を実行してください。",
                    "edit report.toml, then run `kanko build`."
                )
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {}: {e}", crate::i18n::t("error"), dir.display());
            ExitCode::from(1)
        }
    }
}
