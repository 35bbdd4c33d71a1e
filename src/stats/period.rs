//! Periods of counting: dates as `YYYYMMDD` numbers and the Japanese fiscal year (April–March).

use super::parse;
use crate::diag::Diag;

/// A period as inclusive local dates (`20240401`, `20250331`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: i32,
    pub to: i32,
    /// Set for a Japanese fiscal year (April–March).
    pub fiscal_year: Option<i32>,
}

impl Period {
    pub fn fiscal(fy: i32) -> Period {
        Period {
            from: parse::date_key(fy, 4, 1),
            to: parse::date_key(fy + 1, 3, 31),
            fiscal_year: Some(fy),
        }
    }

    /// Month indexes (`year * 12 + month - 1`) from the first to the last month of the period.
    pub fn months(&self) -> std::ops::RangeInclusive<i32> {
        let m = |k: i32| (k / 10000) * 12 + (k / 100) % 100 - 1;
        m(self.from)..=m(self.to)
    }
}

/// The fiscal year (年度, April–March) of a local date key.
pub fn fiscal_year_of(date: i32) -> i32 {
    let (y, m) = (date / 10000, (date / 100) % 100);
    if m >= 4 { y } else { y - 1 }
}

/// `2024-04-01` → `20240401`.
pub fn parse_date(s: &str, flag: &str) -> Result<i32, Diag> {
    let bad = || {
        Diag::error(crate::t!(
            "{flag} は 2024-04-01 の形の日付です（{s} ではなく）",
            "{flag} takes a date such as 2024-04-01, not {s}"
        ))
    };
    let parts: Vec<&str> = s.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let (y, m, d): (i32, u8, u8) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    // the log parser knows the calendar: reuse it
    let probe = format!(
        "{d:02}/{}/{y:04}:00:00:00 +0000",
        [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
        ]
        .get(usize::from(m).wrapping_sub(1))
        .ok_or_else(bad)?
    );
    parse::parse_time(probe.as_bytes()).ok_or_else(bad)?;
    Ok(parse::date_key(y, m, d))
}
