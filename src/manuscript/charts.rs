//! The chapter's ```` ```chart ```` code blocks, read into charts (see `crate::chart`).

use std::path::Path;

use crate::chart::model::Origin;
use crate::chart::read::read;
use crate::diag::Diag;
use crate::doc::Block;

/// Replaces every chart code block of a chapter with `Block::Chart` (or reports why it cannot).
/// Returns the CSV files read.
pub fn resolve(
    blocks: &mut [Block],
    file: &Path,
    dir: &Path,
    japanese: bool,
    diags: &mut Vec<Diag>,
) -> Vec<(String, Vec<u8>)> {
    let mut inputs = Vec::new();
    crate::doc::walk_blocks_mut(
        blocks,
        &mut |b| {
            let Block::Code {
                lang: Some(lang),
                text,
                pos,
            } = b
            else {
                return;
            };
            if lang != "chart" {
                return;
            }
            let origin = Origin {
                file,
                dir,
                pos: *pos,
                japanese,
                resolve: super::assets::resolve,
            };
            let r = read(text, &origin);
            diags.extend(r.diags);
            inputs.extend(r.input);
            if let Some(chart) = r.chart {
                *b = Block::Chart {
                    chart: Box::new(chart),
                    pos: *pos,
                };
            }
        },
        &mut |_| {},
    );
    inputs
}
