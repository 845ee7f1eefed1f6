//! Finding dotted names in raw bytes (string contents, comments, syntax-error regions).
//!
//! Used only to *report*: nothing found here is ever rewritten.

use crate::spec::{DottedPath, Identifier};
use std::ops::Range;

/// A byte of an identifier as the scans read one (any non-ASCII byte counts: NFKC is
/// checked on the whole word).
pub(crate) fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// The maximal runs of identifier bytes in `bytes`, as (start, end).
pub(crate) fn identifier_runs(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && !is_ident_byte(bytes[at]) {
            at += 1;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && is_ident_byte(bytes[at]) {
            at += 1;
        }
        Some((start, at))
    })
}

/// A word or dotted run found in bytes: its offset (relative to the slice) and segments.
pub struct Run {
    pub offset: usize,
    pub path: DottedPath,
}

/// Maximal `ident(.ident)*` runs with no space around the dots. Runs that are not valid
/// identifiers (numbers, keywords) are skipped.
pub fn dotted_runs(bytes: &[u8]) -> Vec<Run> {
    dotted_run_ranges(bytes)
        .filter_map(|range| run_at(bytes, range))
        .collect()
}

/// The run `range` of `bytes` spells, when every segment is an identifier.
pub fn run_at(bytes: &[u8], range: Range<usize>) -> Option<Run> {
    let text = String::from_utf8_lossy(&bytes[range.clone()]);
    let segments: Option<Vec<Identifier>> = text.split('.').map(Identifier::parse).collect();
    segments
        .and_then(DottedPath::from_segments)
        .map(|path| Run {
            offset: range.start,
            path,
        })
}

/// Where the dotted run starting at `start` ends: identifier bytes, then a dot (a byte
/// `is_dot` accepts) with an identifier byte after it, and so on.
pub(crate) fn run_end(bytes: &[u8], start: usize, is_dot: impl Fn(u8) -> bool) -> usize {
    let mut end = start;
    loop {
        while end < bytes.len() && is_ident_byte(bytes[end]) {
            end += 1;
        }
        if end + 1 < bytes.len() && is_dot(bytes[end]) && is_ident_byte(bytes[end + 1]) {
            end += 1;
            continue;
        }
        return end;
    }
}

/// `bytes` with every `:` read as `.` (`"pkg.mod:Name"` spells `pkg.mod.Name`).
pub(crate) fn colons_as_dots(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .map(|&b| if b == b':' { b'.' } else { b })
        .collect()
}

/// The byte ranges of the maximal `ident(.ident)*` runs of `bytes` (what `dotted_runs`
/// reads), without checking their segments.
fn dotted_run_ranges(bytes: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            if !is_ident_byte(bytes[at])
                || (at > 0 && (is_ident_byte(bytes[at - 1]) || bytes[at - 1] == b'.'))
            {
                at += 1;
                continue;
            }
            let start = at;
            let end = run_end(bytes, start, |b| b == b'.');
            at = end.max(start + 1);
            return Some(start..end);
        }
        None
    })
}

/// `from R import a, b as c` sequences in loosely tokenised bytes: yields `(offset of R,
/// R.a)` for each imported name, so `from pkg import old` is seen as `pkg.old`.
pub fn from_import_names(bytes: &[u8]) -> Vec<Run> {
    let words = words(bytes);
    let mut found = Vec::new();
    let mut index = 0;
    while index + 2 < words.len() {
        let (_, from_word) = &words[index];
        if from_word != "from" {
            index += 1;
            continue;
        }
        let (module_at, module_text) = &words[index + 1];
        let module = DottedPath::parse(module_text);
        if words[index + 2].1 != "import" || module.is_none() {
            index += 1;
            continue;
        }
        let module = module.expect("checked");
        let mut cursor = index + 3;
        while cursor < words.len() {
            let (_, word) = &words[cursor];
            match word.as_str() {
                "," | "(" | ")" | "\\" => {}
                "as" => cursor += 1,
                _ => match Identifier::parse(word) {
                    Some(name) => found.push(Run {
                        offset: *module_at,
                        path: module.child(name),
                    }),
                    None => break,
                },
            }
            cursor += 1;
        }
        index = cursor;
    }
    found
}

/// Dotted words (spaces around dots joined) and single punctuation, with offsets.
fn words(bytes: &[u8]) -> Vec<(usize, String)> {
    let mut words: Vec<(usize, String)> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if is_ident_byte(byte) {
            let start = at;
            while at < bytes.len() && is_ident_byte(bytes[at]) {
                at += 1;
            }
            let word = String::from_utf8_lossy(&bytes[start..at]).into_owned();
            let joins = words.last().is_some_and(|(_, w)| w.ends_with('.'));
            match words.last_mut() {
                Some((_, last)) if joins => last.push_str(&word),
                _ => words.push((start, word)),
            }
        } else if byte == b'.' {
            match words.last_mut() {
                Some((_, last)) if last.bytes().last().is_some_and(is_ident_byte) => last.push('.'),
                _ => words.push((at, ".".into())),
            }
            at += 1;
        } else if byte.is_ascii_whitespace() || byte == b'\\' {
            at += 1;
        } else {
            words.push((at, (byte as char).to_string()));
            at += 1;
        }
    }
    words
}

/// True when `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_from_imports() {
        let runs: Vec<String> = dotted_runs(b"see a.old.X, 1.5 and b_c.d.")
            .iter()
            .map(|r| r.path.to_string())
            .collect();
        assert_eq!(
            runs,
            ["see", "a.old.X", "b_c.d"],
            "keywords and numbers are not names"
        );
        let names: Vec<String> = from_import_names(b"from pkg . sub import (old, x as y\n")
            .iter()
            .map(|r| r.path.to_string())
            .collect();
        assert_eq!(names, ["pkg.sub.old", "pkg.sub.x"]);
    }
}
