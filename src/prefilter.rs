//! The literal prefilter: skips files that cannot reference a moved name. It may only skip,
//! never miss: every spelling of a reference (`import a.old`, `from a import old`,
//! `from .old import X`, `"a.old.X"`) contains the last segment of some `from` contiguously.
//!
//! It also needs the first segment of some `from`, or a folder of that name above the
//! file (see [`Prefilter`]). NFKC: see [`Needles`].

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use crate::ruleset::RuleSet;

/// Two needle sets a file must both meet: the last segment of some `from` (every
/// spelling of a reference holds it), and the first segment of some `from` (an absolute
/// spelling, an import binding the name a chain or target string starts from, a mention
/// or a dotted run all start with it) unless the file sits in a folder of that name
/// (relative imports inside the package name it by dots only). Both are searched in one
/// pass.
///
/// Python NFKC-normalises identifiers, so `ｏｌｄ` (fullwidth) is `old`: non-ASCII words
/// are searched again after normalising, unless NFKC leaves them as they are; a file that
/// is not valid UTF-8 always matches.
pub struct Prefilter {
    /// Last and first segments; `kinds[pattern]` says which set a pattern is in.
    matcher: Option<AhoCorasick>,
    kinds: Vec<u8>,
    /// The first segments, for the folder check.
    first_segments: HashSet<String>,
}

const LAST: u8 = 1;
const FIRST: u8 = 2;
const BOTH: u8 = LAST | FIRST;

impl Prefilter {
    pub fn new(rules: &RuleSet) -> Prefilter {
        let mut patterns: BTreeMap<String, u8> = BTreeMap::new();
        for moved in rules.moves() {
            *patterns
                .entry(moved.from.last().as_str().to_string())
                .or_default() |= LAST;
            *patterns
                .entry(moved.from.first().as_str().to_string())
                .or_default() |= FIRST;
        }
        let first_segments = patterns
            .iter()
            .filter(|(_, kind)| *kind & FIRST != 0)
            .map(|(name, _)| name.clone())
            .collect();
        // A DFA: the fastest search, and the needles are few and short.
        let matcher = (!patterns.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(patterns.keys())
                    .ok()
            })
            .flatten();
        Prefilter {
            matcher,
            kinds: patterns.into_values().collect(),
            first_segments,
        }
    }

    /// A filter that lets every file through (no rules to say otherwise).
    pub fn pass_all() -> Prefilter {
        Prefilter {
            matcher: None,
            kinds: Vec::new(),
            first_segments: HashSet::new(),
        }
    }

    /// False only when `bytes` (the file at `path`) certainly holds no reference.
    pub fn may_match(&self, bytes: &[u8], path: &Path) -> bool {
        let Some(matcher) = &self.matcher else {
            return true;
        };
        let mut seen = self.scan(matcher, bytes, 0);
        if seen != BOTH && !bytes.is_ascii() {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return true;
            };
            for word in non_ascii_words(text) {
                if is_nfkc_quick(word.chars()) != IsNormalized::Yes {
                    let normalized: String = word.nfkc().collect();
                    seen = self.scan(matcher, normalized.as_bytes(), seen);
                }
                if seen == BOTH {
                    break;
                }
            }
        }
        seen == BOTH || (seen == LAST && self.in_named_folder(path))
    }

    /// `seen` plus the needle sets `bytes` holds a pattern of (stops once it has both).
    fn scan(&self, matcher: &AhoCorasick, bytes: &[u8], mut seen: u8) -> u8 {
        for found in matcher.find_overlapping_iter(bytes) {
            seen |= self.kinds[found.pattern().as_usize()];
            if seen == BOTH {
                break;
            }
        }
        seen
    }

    /// True when a folder above the file is named like the first segment of some `from`
    /// (or has a non-ASCII name NFKC changes: such a name is let through).
    fn in_named_folder(&self, path: &Path) -> bool {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        absolute
            .parent()
            .into_iter()
            .flat_map(Path::components)
            .any(|component| {
                let name = component.as_os_str().to_string_lossy();
                if name.is_ascii() {
                    self.first_segments.contains(name.as_ref())
                } else {
                    let normalized: String = name.nfkc().collect();
                    self.first_segments.contains(&normalized) || normalized != name
                }
            })
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

    fn filter(from: &str) -> Prefilter {
        let spec = format!("[[move]]\nfrom = \"{from}\"\nto = \"z.new\"\n");
        let codemod = crate::spec::parse_codemod(&spec, Path::new("t.toml"), "t".into())
            .expect("valid codemod");
        Prefilter::new(&RuleSet::new(vec![codemod]).expect("valid rules"))
    }

    #[test]
    fn superset_of_references() {
        let filter = filter("a.old");
        let outside = Path::new("/project/x/m.py");
        for source in [
            "import a.old\n",
            "from a import (\n    old)\n",
            "import a as b; b.old.X\n",
            "patch('a.old.X')\n",
            "import a.\u{ff4f}\u{ff4c}\u{ff44}\n",
            "import \u{ff41}.\u{ff4f}ld as m  # x\n",
            "x = \"caf\u{e9}\"; from a import (\n    \u{ff4f}\u{ff4c}\u{ff44})\n",
            "# coding: latin-1\nx = '\u{e9}'\nimport a.old\n",
        ] {
            assert!(filter.may_match(source.as_bytes(), outside), "{source:?}");
        }
        assert!(
            filter.may_match(b"x = '\xe9'\n", outside),
            "invalid UTF-8 is never skipped"
        );
        assert!(!filter.may_match(b"import a.new\n", outside));
        assert!(!filter.may_match("import a.new  # caf\u{e9}\n".as_bytes(), outside));
        // A relative import names neither the package nor its first segment: the folder
        // the file sits in does.
        assert!(!filter.may_match(b"from .old import X\n", outside));
        assert!(filter.may_match(b"from .old import X\n", Path::new("/project/a/sub/m.py")));
    }

    #[test]
    fn decomposed_and_composed_spellings_of_a_non_ascii_path() {
        // The move's path is NFKC-normalised (composed); the source may spell it
        // decomposed, which NFKC composes: the filter must see it.
        let filter = filter("pkg.caf\u{e9}");
        let outside = Path::new("/project/x/m.py");
        assert!(filter.may_match("import pkg.cafe\u{301}\n".as_bytes(), outside));
        assert!(filter.may_match("import pkg.caf\u{e9}\n".as_bytes(), outside));
        assert!(!filter.may_match("import pkg.cafe\n".as_bytes(), outside));
        // Emoji and other NFKC-stable words are not normalised (and never match).
        assert!(!filter.may_match(
            "x = '\u{1f600} caf\u{e8}'\nimport pkg\n".as_bytes(),
            outside
        ));
    }
}
