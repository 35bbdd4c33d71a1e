//! Consecutive heading levels, decided once for every format.
//!
//! Editors skip levels (`##` then `####`) for the look. PDF/UA-1 refuses a skipped level and
//! EPUB checkers flag it, so the tree's `level` is renumbered here to the level the heading has
//! in the report's outline, while `typed` keeps what was written: the PDF still draws a `####`
//! heading as level 4, and `kanko check` still warns about the skip.

use crate::doc::{Block, Chapter};

/// Renumbers `level` of every heading of the report (chapters in order, headings in quotes and
/// lists included): a heading is one level below the nearest earlier heading typed with a
/// smaller level, and the first heading is level 1. Returns how many headings changed.
pub fn make_consecutive(chapters: &mut [Chapter]) -> usize {
    // (typed, structural) of the open headings, outermost first.
    let mut open: Vec<(u8, u8)> = Vec::new();
    let mut changed = 0;
    for ch in chapters.iter_mut() {
        crate::doc::walk_blocks_mut(
            &mut ch.blocks,
            &mut |b| {
                if let Block::Heading { level, typed, .. } = b {
                    while open.last().is_some_and(|(t, _)| *t >= *typed) {
                        open.pop();
                    }
                    let structural = open.last().map_or(1, |(_, s)| s + 1);
                    open.push((*typed, structural));
                    if *level != structural {
                        changed += 1;
                    }
                    *level = structural;
                }
            },
            &mut |_| {},
        );
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Pos;

    fn chapter(typed: &[u8]) -> Chapter {
        let blocks = typed
            .iter()
            .map(|&t| Block::Heading {
                level: t,
                typed: t,
                id: String::new(),
                body: Vec::new(),
                pos: Pos::default(),
            })
            .collect();
        Chapter {
            id: "ch1".into(),
            file: "01.md".into(),
            title: String::new(),
            blocks,
            notes: Vec::new(),
        }
    }

    fn levels(ch: &Chapter) -> Vec<(u8, u8)> {
        ch.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, typed, .. } => Some((*typed, *level)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_skipped_level_becomes_the_next_level_and_keeps_what_was_typed() {
        let mut chs = vec![chapter(&[1, 2, 4, 4, 3, 2, 4])];
        assert_eq!(make_consecutive(&mut chs), 3);
        let got: Vec<u8> = levels(&chs[0]).iter().map(|(_, l)| *l).collect();
        assert_eq!(got, vec![1, 2, 3, 3, 3, 2, 3]);
        let typed: Vec<u8> = levels(&chs[0]).iter().map(|(t, _)| *t).collect();
        assert_eq!(typed, vec![1, 2, 4, 4, 3, 2, 4]);
    }

    #[test]
    fn the_first_heading_is_level_one_and_levels_carry_across_chapters() {
        let mut chs = vec![chapter(&[2, 3]), chapter(&[3, 1, 3])];
        make_consecutive(&mut chs);
        let a: Vec<u8> = levels(&chs[0]).iter().map(|(_, l)| *l).collect();
        let b: Vec<u8> = levels(&chs[1]).iter().map(|(_, l)| *l).collect();
        assert_eq!(a, vec![1, 2]);
        assert_eq!(b, vec![2, 1, 2]);
    }

    #[test]
    fn consecutive_levels_are_left_alone() {
        let mut chs = vec![chapter(&[1, 2, 3, 2, 1, 2])];
        assert_eq!(make_consecutive(&mut chs), 0);
    }
}
