//! Byte-range edits and applying them to a file's bytes.

use std::collections::BTreeSet;
use std::ops::Range;

use thiserror::Error;

/// One replacement of `range` (half-open byte offsets into the original file). Which
/// finding it implements is said by the plan's [`Rewrite`](crate::Rewrite)s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Half-open byte offsets into the original file.
    pub range: Range<usize>,
    /// The bytes that take the range's place.
    pub replacement: Vec<u8>,
}

impl Edit {
    /// Replaces `range` with `replacement`.
    pub fn replace(range: Range<usize>, replacement: impl Into<Vec<u8>>) -> Edit {
        Edit {
            range,
            replacement: replacement.into(),
        }
    }

    /// Inserts `text` at offset `at`.
    pub fn insert(at: usize, text: impl Into<Vec<u8>>) -> Edit {
        Edit::replace(at..at, text)
    }

    /// Deletes `range`.
    pub fn delete(range: Range<usize>) -> Edit {
        Edit::replace(range, Vec::new())
    }
}

/// Two edits claim the same bytes: a planner bug, reported rather than guessed around.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("internal error: overlapping edits at bytes {first:?} and {second:?}")]
pub struct EditConflict {
    /// The earlier edit's range.
    pub first: Range<usize>,
    /// The range that overlaps it.
    pub second: Range<usize>,
}

/// Applies `edits` to `source`. Edits are sorted by start (inserts at the same offset keep
/// their given order); overlapping ranges are an error.
pub fn apply_edits(source: &[u8], edits: &[Edit]) -> Result<Vec<u8>, EditConflict> {
    let mut order: Vec<&Edit> = edits.iter().collect();
    order.sort_by_key(|edit| (edit.range.start, edit.range.end));
    let mut output = Vec::with_capacity(source.len() + 64);
    let mut cursor = 0usize;
    let mut previous: Option<&Edit> = None;
    for edit in order {
        if edit.range.start < cursor {
            let first = previous.map(|p| p.range.clone()).unwrap_or(0..0);
            return Err(EditConflict {
                first,
                second: edit.range.clone(),
            });
        }
        output.extend_from_slice(&source[cursor..edit.range.start]);
        output.extend_from_slice(&edit.replacement);
        cursor = edit.range.end;
        previous = Some(edit);
    }
    output.extend_from_slice(&source[cursor..]);
    Ok(output)
}

/// The groups of edits to drop so that the rest never overlap: of two groups whose edits
/// overlap, the later one goes (earlier passes win), and the check runs again until no two
/// kept edits overlap.
pub fn overlapping_groups(groups: &[&[Edit]]) -> BTreeSet<usize> {
    let mut order: Vec<(usize, &Edit)> = groups
        .iter()
        .enumerate()
        .flat_map(|(group, edits)| edits.iter().map(move |edit| (group, edit)))
        .collect();
    order.sort_by_key(|(_, edit)| (edit.range.start, edit.range.end));
    let mut dropped = BTreeSet::new();
    loop {
        let mut previous: Option<(usize, &Edit)> = None;
        let mut loser = None;
        for &(group, edit) in order.iter().filter(|(g, _)| !dropped.contains(g)) {
            if let Some((other, before)) = previous
                && edit.range.start < before.range.end
                && other != group
            {
                loser = Some(group.max(other));
                break;
            }
            if previous.is_none_or(|(_, p)| edit.range.end >= p.range.end) {
                previous = Some((group, edit));
            }
        }
        match loser {
            Some(group) => {
                dropped.insert(group);
            }
            None => return dropped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_in_order_and_rejects_overlap() {
        let source = b"from a.old import X\n";
        let edits = vec![
            Edit::insert(20, b"from b import Y\n".to_vec()),
            Edit::replace(5..10, b"a.new".to_vec()),
        ];
        assert_eq!(
            apply_edits(source, &edits).unwrap(),
            b"from a.new import X\nfrom b import Y\n"
        );
        let overlapping = vec![
            Edit::replace(0..6, b"".to_vec()),
            Edit::replace(5..10, b"".to_vec()),
        ];
        assert!(apply_edits(source, &overlapping).is_err());
    }
}

#[cfg(test)]
mod group_tests {
    use super::*;

    fn edit(range: Range<usize>) -> Edit {
        Edit::replace(range, "x")
    }

    #[test]
    fn the_later_of_two_overlapping_groups_is_dropped() {
        let first = [edit(0..5), edit(10..12)];
        let second = [edit(3..4)];
        let third = [edit(20..21), edit(11..11)];
        let fourth = [edit(5..5)];
        let dropped = overlapping_groups(&[&first, &second, &third, &fourth]);
        assert_eq!(dropped.into_iter().collect::<Vec<_>>(), vec![1, 2]);
    }
}
