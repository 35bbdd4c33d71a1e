//! Reading one ```` ```chart ```` block: its TOML spec, then its CSV data, into a checked chart.

use super::model::{Origin, Resolved};
use super::{csv, data, spec};

/// Reads one chart block's TOML and data.
pub fn read(toml_src: &str, origin: &Origin) -> Resolved {
    let mut out = Resolved {
        chart: None,
        input: None,
        diags: Vec::new(),
    };
    let Some(sp) = spec::parse(toml_src, origin, &mut out.diags) else {
        return out;
    };
    let Some(table) = csv::load(&sp, origin, &mut out) else {
        return out;
    };
    out.chart = data::build(sp, table, origin, &mut out.diags);
    out
}
