//! The literal prefilter: skips files that cannot reference a moved name. It may only skip,
//! never miss: every spelling of a reference (`import a.old`, `from a import old`,
//! `from .old import X`, `"a.old.X"`) contains the last segment of some `from` contiguously.
//!
//! Python NFKC-normalises identifiers, so `ｏｌｄ` (fullwidth) is `old`. Files with
//! non-ASCII bytes are therefore matched after normalising their text; a file that is not
//! valid UTF-8 is never skipped.

use aho_corasick::AhoCorasick;
use unicode_normalization::UnicodeNormalization;

pub struct Prefilter {
    matcher: Option<AhoCorasick>,
}

impl Prefilter {
    pub fn new(needles: &[String]) -> Prefilter {
        let matcher = if needles.is_empty() {
            None
        } else {
            AhoCorasick::new(needles).ok()
        };
        Prefilter { matcher }
    }

    /// False only when `bytes` certainly holds no reference.
    pub fn may_match(&self, bytes: &[u8]) -> bool {
        let Some(matcher) = &self.matcher else {
            return true;
        };
        if matcher.is_match(bytes) {
            return true;
        }
        if bytes.is_ascii() {
            return false;
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => non_ascii_words(text).any(|word| {
                let normalized: String = word.nfkc().collect();
                matcher.is_match(normalized.as_bytes())
            }),
            Err(_) => true,
        }
    }
}

/// Maximal runs of identifier-like characters that hold a non-ASCII character. An
/// identifier is one such run, and NFKC leaves ASCII-only runs as they are (those were
/// already searched), so a needle hidden by NFKC lies inside one of these.
fn non_ascii_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || !c.is_ascii()) || c.is_whitespace())
        .filter(|word| !word.is_ascii())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn superset_of_references() {
        let filter = Prefilter::new(&["old".to_string()]);
        for source in [
            "import a.old\n",
            "from a import (\n    old)\n",
            "from .old import X\n",
            "patch('a.old.X')\n",
            "import a.ｏｌｄ\n",
            "import a.ｏld as m  # x\n",
            "x = \"caf\u{e9}\"; from a import (\n    \u{ff4f}\u{ff4c}\u{ff44})\n",
            "# coding: latin-1\nx = '\u{e9}'\nimport a.old\n",
        ] {
            assert!(filter.may_match(source.as_bytes()), "{source:?}");
        }
        assert!(
            filter.may_match(b"x = '\xe9'\n"),
            "invalid UTF-8 is never skipped"
        );
        assert!(!filter.may_match(b"import a.new\n"));
        assert!(!filter.may_match("import a.new  # caf\u{e9}\n".as_bytes()));
    }
}
