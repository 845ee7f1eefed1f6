//! Dotted Python names (`pkg.sub.mod.Name`) as validated, NFKC-normalised identifier lists.
//!
//! Paths are compared by their identifier parts, never by raw text, so `acme . legacy` and
//! `acme.legacy` are the same path and `pkg.old` is never a prefix of `pkg.old_extra`.

use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// One Python identifier, NFKC-normalised as CPython does when it reads source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Identifier(Box<str>);

impl Identifier {
    /// Parses one identifier; `None` when `text` is not a valid Python identifier.
    pub fn parse(text: &str) -> Option<Identifier> {
        let normalized: String = if text.is_ascii() {
            text.to_owned()
        } else {
            text.nfkc().collect()
        };
        let mut chars = normalized.chars();
        let first = chars.next()?;
        let first_ok = first == '_' || first.is_alphabetic();
        let rest_ok = chars.all(|c| c == '_' || c.is_alphanumeric());
        (first_ok && rest_ok && !is_keyword(&normalized)).then(|| Identifier(normalized.into()))
    }

    /// Builds an identifier from a source token that the parser already accepted as a name.
    /// Used for tree nodes, where keywords such as `match` can be soft identifiers.
    pub fn from_token(text: &str) -> Identifier {
        if text.is_ascii() {
            Identifier(text.into())
        } else {
            Identifier(text.nfkc().collect::<String>().into())
        }
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Hash, equality and order are those of the text (`Box<str>`), so maps keyed by
/// identifiers can be asked with a `&str`.
impl std::borrow::Borrow<str> for Identifier {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_keyword(word: &str) -> bool {
    // Keywords are 2 to 8 ASCII letters, lower case but for `False`, `None`, `True`.
    let first = word.as_bytes().first().copied().unwrap_or(0);
    if !(2..=8).contains(&word.len()) || !(first.is_ascii_lowercase() || b"FNT".contains(&first)) {
        return false;
    }
    const KEYWORDS: &[&str] = &[
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield",
    ];
    KEYWORDS.contains(&word)
}

/// A dotted name such as `pkg.services.state`. Invariant: at least one segment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DottedPath(Vec<Identifier>);

impl DottedPath {
    /// Parses `a.b.c` (spaces around dots are allowed, as in Python source).
    pub fn parse(text: &str) -> Option<DottedPath> {
        let segments = text
            .split('.')
            .map(|part| Identifier::parse(part.trim()))
            .collect::<Option<Vec<_>>>()?;
        DottedPath::from_segments(segments)
    }

    /// `None` when `segments` is empty.
    pub fn from_segments(segments: Vec<Identifier>) -> Option<DottedPath> {
        (!segments.is_empty()).then_some(DottedPath(segments))
    }

    /// The segments, outermost first.
    pub fn segments(&self) -> &[Identifier] {
        &self.0
    }

    /// How many segments.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Never true: a path has a segment.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first segment (the top-level package).
    pub fn first(&self) -> &Identifier {
        &self.0[0]
    }

    /// The last segment.
    pub fn last(&self) -> &Identifier {
        &self.0[self.0.len() - 1]
    }

    /// Everything but the last segment; `None` for a one-segment path.
    pub fn parent(&self) -> Option<DottedPath> {
        DottedPath::from_segments(self.0[..self.0.len() - 1].to_vec())
    }

    /// `self` followed by `name`.
    pub fn child(&self, name: Identifier) -> DottedPath {
        let mut segments = self.0.clone();
        segments.push(name);
        DottedPath(segments)
    }

    /// `self` followed by `tail`.
    pub fn join(&self, tail: &[Identifier]) -> DottedPath {
        let mut segments = self.0.clone();
        segments.extend_from_slice(tail);
        DottedPath(segments)
    }

    /// The first `len` segments (`len` >= 1, clamped to the path's length).
    pub fn prefix(&self, len: usize) -> DottedPath {
        DottedPath(self.0[..len.clamp(1, self.0.len())].to_vec())
    }

    /// True when `self` equals `other` or lies under it, segment by segment.
    pub fn starts_with(&self, other: &DottedPath) -> bool {
        self.0.len() >= other.0.len() && self.0[..other.0.len()] == other.0[..]
    }

    /// True when the last segments of `self` are `other`'s.
    pub fn ends_with(&self, other: &DottedPath) -> bool {
        self.0.len() >= other.0.len() && self.0[self.0.len() - other.0.len()..] == other.0[..]
    }

    /// The last `len` segments (clamped to 1..=len()).
    pub fn suffix(&self, len: usize) -> DottedPath {
        let len = len.clamp(1, self.0.len());
        DottedPath(self.0[self.0.len() - len..].to_vec())
    }

    /// Replaces the leading `old` (which `self` must start with) by `new`.
    pub fn replace_prefix(&self, old: &DottedPath, new: &DottedPath) -> DottedPath {
        let mut segments = new.0.clone();
        segments.extend_from_slice(&self.0[old.0.len()..]);
        DottedPath(segments)
    }
}

impl fmt::Display for DottedPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, segment) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(".")?;
            }
            f.write_str(segment.as_str())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises() {
        let spaced = DottedPath::parse("acme . legacy .util").unwrap();
        assert_eq!(spaced, DottedPath::parse("acme.legacy.util").unwrap());
        // Fullwidth letters are NFKC-equivalent to ASCII, as in CPython.
        assert_eq!(
            DottedPath::parse("ｐｋｇ.old").unwrap(),
            DottedPath::parse("pkg.old").unwrap()
        );
        assert_eq!(DottedPath::parse("pkg.old").unwrap().to_string(), "pkg.old");
    }

    #[test]
    fn rejects_invalid_names() {
        for bad in ["", "a..b", "a.", ".a", "1a.b", "a.class", "a-b", "a b"] {
            assert!(DottedPath::parse(bad).is_none(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn prefix_is_segment_wise() {
        let old = DottedPath::parse("pkg.old").unwrap();
        assert!(DottedPath::parse("pkg.old.X").unwrap().starts_with(&old));
        assert!(
            !DottedPath::parse("pkg.old_extra")
                .unwrap()
                .starts_with(&old)
        );
        let moved = DottedPath::parse("pkg.old.X")
            .unwrap()
            .replace_prefix(&old, &DottedPath::parse("other.new").unwrap());
        assert_eq!(moved.to_string(), "other.new.X");
    }
}
