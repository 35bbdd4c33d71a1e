//! PDF export: tagged, reproducible, claiming the best standards the manuscript allows:
//! PDF/A-2a with PDF/UA-1 for the archive, down to a plain tagged PDF, saying why.

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::Diag;
use crate::manuscript::Report;
use crate::outputs::written::{Fact, Job, Written};
use crate::typeset::Typeset;

pub struct Pdf {
    pub bytes: Vec<u8>,
    pub ua: bool,
    pub warnings: Vec<Diag>,
}

/// Which PDF is written: the main one (archive claims) or the print shop's (DeviceCMYK colours
/// without an output profile, which PDF/A forbids).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Main,
    Print,
}

/// One set of claims to try: PDF/UA-1 or not, a PDF/A-2 level or none.
#[derive(Clone, Copy)]
struct Claim {
    ua: bool,
    archive: Option<(PdfStandard, &'static str)>,
}

impl Claim {
    fn standards(self) -> Vec<PdfStandard> {
        let mut v: Vec<PdfStandard> = self.archive.map(|(s, _)| s).into_iter().collect();
        if self.ua {
            v.push(PdfStandard::Ua_1);
        }
        v
    }
}

const A2A: Option<(PdfStandard, &str)> = Some((PdfStandard::A_2a, "PDF/A-2a"));
const A2B: Option<(PdfStandard, &str)> = Some((PdfStandard::A_2b, "PDF/A-2b"));

/// Best first. A missing glyph (kanko's `ua_blockers`) is refused by PDF/UA-1 and by every
/// PDF/A-2 level alike (a .notdef glyph), so then only the plain tagged PDF is tried.
fn candidates(kind: Kind, blocked: bool) -> Vec<Claim> {
    let claim = |ua, archive| Claim { ua, archive };
    let all = match kind {
        Kind::Main => vec![
            claim(true, A2A),
            claim(true, A2B),
            claim(true, None),
            claim(false, A2A),
            claim(false, A2B),
            claim(false, None),
        ],
        Kind::Print => vec![claim(true, None), claim(false, None)],
    };
    all.into_iter()
        .filter(|c| !blocked || (!c.ua && c.archive.is_none()))
        .collect()
}

/// Writes `<slug>.pdf` into the stage.
pub fn write(job: &Job) -> Result<Written, Diag> {
    let pdf = export(job.report, job.typeset)?;
    let name = format!("{}.pdf", job.report.slug);
    let mut w = Written {
        warnings: pdf.warnings,
        ..Written::default()
    };
    w.put(job.stage, &name, &pdf.bytes)?;
    w.facts.push(Fact::Pdf {
        name,
        size: pdf.bytes.len() as u64,
        ua: pdf.ua,
    });
    Ok(w)
}

pub fn export(r: &Report, t: &Typeset) -> Result<Pdf, Diag> {
    export_doc(r, &t.doc, t.ua_blockers.len(), Kind::Main)
}

/// Writes `doc` with the first claims Typst accepts; `blockers` = problems kanko found first.
pub fn export_doc(
    r: &Report,
    doc: &PagedDocument,
    blockers: usize,
    kind: Kind,
) -> Result<Pdf, Diag> {
    let p = r.meta.published;
    let ident = match kind {
        Kind::Main => format!("kanko/{}", r.slug),
        Kind::Print => format!("kanko/{}/print", r.slug),
    };
    let options = |standards: PdfStandards| PdfOptions {
        ident: Smart::Custom(ident.clone()),
        timestamp: Datetime::from_ymd(p.year, p.month as u8, p.day as u8).map(Timestamp::new_utc),
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    // (claim, Typst's reasons) of every refused attempt, for the warnings.
    let mut refused: Vec<(Claim, String)> = Vec::new();
    for claim in candidates(kind, blockers > 0) {
        let standards = match PdfStandards::new(&claim.standards()) {
            Ok(s) => s,
            Err(e) => {
                refused.push((claim, e.message().to_string()));
                continue;
            }
        };
        match typst_pdf::pdf(doc, &options(standards)) {
            Ok(bytes) => {
                let warnings = explain(r, kind, claim, blockers, &refused);
                return Ok(Pdf {
                    bytes,
                    ua: claim.ua,
                    warnings,
                });
            }
            Err(errs) => {
                let mut why: Vec<String> = errs.iter().map(|e| e.message.to_string()).collect();
                why.dedup();
                refused.push((claim, why.join("; ")));
            }
        }
    }
    let why = refused.last().map_or(String::new(), |(_, w)| w.clone());
    Err(Diag::error(format!("PDF export failed: {why}")).in_file(&r.dir))
}

/// Says which claims the PDF gave up and why, as for PDF/UA-1 before.
fn explain(
    r: &Report,
    kind: Kind,
    got: Claim,
    blockers: usize,
    refused: &[(Claim, String)],
) -> Vec<Diag> {
    let name = match kind {
        Kind::Main => "the PDF",
        Kind::Print => "the print PDF",
    };
    let mut out = Vec::new();
    if blockers > 0 {
        let also = if kind == Kind::Main {
            " or PDF/A-2"
        } else {
            ""
        };
        out.push(Diag::warning(format!(
            "{name} is tagged but does not claim PDF/UA-1{also} ({blockers} problem(s) above)"
        )));
    } else if !got.ua {
        let why = refused.iter().find(|(c, _)| c.ua).map(|(_, w)| w.as_str());
        out.push(Diag::warning(format!(
            "{name} is tagged but does not claim PDF/UA-1: {}",
            why.unwrap_or("")
        )));
    }
    if kind == Kind::Main && blockers == 0 {
        let best = refused.iter().find(|(c, _)| c.archive.is_some());
        match (got.archive, best) {
            (Some((PdfStandard::A_2a, _)), _) | (_, None) => {}
            (Some((_, level)), Some((_, why))) => out.push(Diag::warning(format!(
                "{name} claims {level}, not PDF/A-2a: {why}"
            ))),
            (None, Some((_, why))) => out.push(Diag::warning(format!(
                "{name} does not claim PDF/A-2 (archival): {why}"
            ))),
        }
    }
    out.into_iter().map(|d| d.in_file(&r.dir)).collect()
}

#[cfg(test)]
mod tests {
    //! What Typst 0.15 refuses, measured: kanko's order of claims rests on these facts.

    use super::*;
    use crate::typeset::tests::{env, report_from as report};

    fn refusal(doc: &PagedDocument, standards: &[PdfStandard]) -> Option<String> {
        let options = PdfOptions {
            standards: PdfStandards::new(standards).ok()?,
            tagged: true,
            ..PdfOptions::default()
        };
        let errs = typst_pdf::pdf(doc, &options).err()?;
        Some(
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    }

    #[test]
    fn pdf_a_2a_combines_with_ua_1_but_pdf_a_4_does_not() {
        assert!(PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1]).is_ok());
        assert!(PdfStandards::new(&[PdfStandard::A_4, PdfStandard::Ua_1]).is_err());
    }

    #[test]
    fn pdf_a_refuses_the_print_variants_cmyk_colours_but_ua_1_accepts_them() {
        let r = report("# 題\n\n本文です。\n");
        let mut data = crate::typeset::data::report_json(&r);
        data["print"] = serde_json::json!({ "bleed_mm": 3, "pad": 0 });
        let (doc, _) = crate::typeset::compile(env(), &r, &data).unwrap();
        let why = refusal(&doc, &[PdfStandard::A_2b]).expect("PDF/A-2b refuses DeviceCMYK");
        assert!(why.to_lowercase().contains("cmyk"), "{why}");
        assert_eq!(refusal(&doc, &[PdfStandard::Ua_1]), None);
        // the web layout has no CMYK and passes PDF/A-2a with UA-1
        let t = crate::typeset::typeset(env(), &r).unwrap();
        assert_eq!(
            refusal(&t.doc, &[PdfStandard::A_2a, PdfStandard::Ua_1]),
            None
        );
    }

    #[test]
    fn a_missing_glyph_is_refused_by_every_claim_and_kanko_writes_a_tagged_pdf() {
        let r = report("# 題\n\nここに\u{10FFFD}があります。\n");
        let t = crate::typeset::typeset(env(), &r).unwrap();
        for s in [PdfStandard::A_2a, PdfStandard::A_2b, PdfStandard::Ua_1] {
            assert!(
                refusal(&t.doc, &[s]).is_some(),
                "{s:?} accepted a missing glyph"
            );
        }
        let pdf = export(&r, &t).unwrap();
        assert!(!pdf.ua);
        assert!(pdf.warnings.iter().any(|w| w.message.contains("PDF/A-2")));
    }
}
