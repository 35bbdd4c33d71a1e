//! PDF export: tagged, PDF/UA-1 when the manuscript allows it, reproducible.

use typst::foundations::{Datetime, Smart};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::Diag;
use crate::manuscript::Report;
use crate::typeset::Typeset;

pub struct Pdf {
    pub bytes: Vec<u8>,
    pub ua: bool,
    pub warnings: Vec<Diag>,
}

pub fn export(r: &Report, t: &Typeset) -> Result<Pdf, Diag> {
    let p = r.meta.published;
    let options = |standards: PdfStandards| PdfOptions {
        ident: Smart::Custom(format!("kanko/{}", r.slug)),
        timestamp: Datetime::from_ymd(p.year, p.month as u8, p.day as u8).map(Timestamp::new_utc),
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    let mut warnings = Vec::new();
    if t.ua_blockers.is_empty() {
        if let Ok(ua) = PdfStandards::new(&[PdfStandard::Ua_1]) {
            match typst_pdf::pdf(&t.doc, &options(ua)) {
                Ok(bytes) => {
                    return Ok(Pdf {
                        bytes,
                        ua: true,
                        warnings,
                    });
                }
                Err(errs) => {
                    let why: Vec<String> = errs.iter().map(|e| e.message.to_string()).collect();
                    warnings.push(
                        Diag::warning(format!(
                            "the PDF is tagged but does not claim PDF/UA-1: {}",
                            why.join("; ")
                        ))
                        .in_file(&r.dir),
                    );
                }
            }
        }
    } else {
        warnings.push(
            Diag::warning(format!(
                "the PDF is tagged but does not claim PDF/UA-1 ({} problem(s) above)",
                t.ua_blockers.len()
            ))
            .in_file(&r.dir),
        );
    }
    let bytes = typst_pdf::pdf(&t.doc, &options(PdfStandards::default())).map_err(|errs| {
        let why: Vec<String> = errs.iter().map(|e| e.message.to_string()).collect();
        Diag::error(format!("PDF export failed: {}", why.join("; "))).in_file(&r.dir)
    })?;
    Ok(Pdf {
        bytes,
        ua: false,
        warnings,
    })
}
