//! The literal prefilter: skips files that cannot reference a moved name. It may only skip,
//! never miss: every spelling of a reference (`import a.old`, `from a import old`,
//! `from .old import X`, `"a.old.X"`) contains the last segment of some `from` contiguously.
//!
//! It also needs the first segment of some `from`, or a relative import (see
//! [`Prefilter`]).

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use crate::ruleset::{RuleSet, RuleWords};
use crate::scan::{identifier_runs, is_ident_byte};
use crate::words::WordSet;

/// Two needle sets a file must both meet: the last segment of some `from` (every
/// spelling of a reference holds it), and the first segment of some `from` (an absolute
/// spelling, an import binding the name a chain or target string starts from, a mention
/// or a dotted run all start with it) unless the file holds a relative import (which
/// names its module by dots only).
///
/// Python NFKC-normalises identifiers, so `ｏｌｄ` (fullwidth) is `old`: non-ASCII words
/// are searched again after normalising, unless NFKC leaves them as they are; a file that
/// is not valid UTF-8 always matches.
pub struct Prefilter {
    last: Needles,
    first: Needles,
    /// The rule set's words, for exact lookups of a package's first segment.
    words: std::sync::Arc<RuleWords>,
}

impl Prefilter {
    pub fn new(rules: &RuleSet) -> Prefilter {
        let words = rules.words();
        Prefilter {
            last: Needles::of_sets(&[&words.last]),
            // The first segments of `to`s too: a try/except pair importing a move's new
            // home in both branches is noted even after the rewrite.
            first: Needles::of_sets(&[&words.from_firsts, &words.to_firsts]),
            words: words.clone(),
        }
    }

    /// True when `segment` is the first segment of some `from` or `to`: a relative import
    /// in a package of that name may reach a move.
    pub fn is_first(&self, segment: &str) -> bool {
        self.words.is_first(segment.as_bytes())
    }

    /// False only when `bytes` certainly spells no last segment of a `from` (what any
    /// reference, mention or target string spells).
    pub fn may_name(&self, bytes: &[u8]) -> bool {
        self.last.may_match(bytes)
    }

    /// False only when `bytes` certainly holds no reference. A file without the first
    /// segment of any `from` may still reach one through a relative import:
    /// `relative_may_reach(dots)` says whether one of at most `dots` leading dots may, in
    /// the file's place (a package named like a first segment, or more dots than
    /// packages, which the whole-file path notes).
    pub fn may_match(&self, bytes: &[u8], relative_may_reach: impl FnOnce(usize) -> bool) -> bool {
        // Two searches that stop at their first match: much faster than one search for
        // both sets, which must report overlapping matches (`pkg` hides `pkg_old`).
        if !self.last.may_match(bytes) {
            return false;
        }
        self.first.may_match(bytes) || most_relative_dots(bytes).is_some_and(relative_may_reach)
    }
}

/// The most leading dots of any relative import `bytes` may hold (`from` then, past spaces
/// and line continuations, dots, which may stand apart: `from . . import x` climbs two);
/// `None` when it holds none: it names its module by dots, not by its first segment.
fn most_relative_dots(bytes: &[u8]) -> Option<usize> {
    let mut most = None;
    for at in memchr::memmem::find_iter(bytes, b"from") {
        let after_bom = at == 3 && bytes.starts_with(b"\xef\xbb\xbf");
        if at > 0 && !after_bom && is_ident_byte(bytes[at - 1]) {
            continue;
        }
        let mut next = at + 4;
        let mut dots = 0;
        loop {
            match bytes.get(next) {
                Some(b' ' | b'\t' | b'\x0c') => next += 1,
                Some(b'\\') => {
                    next += 1;
                    while matches!(bytes.get(next), Some(b'\r' | b'\n')) {
                        next += 1;
                    }
                }
                Some(b'.') => {
                    dots += 1;
                    next += 1;
                }
                _ => break,
            }
        }
        if dots > 0 {
            most = Some(most.map_or(dots, |m: usize| m.max(dots)));
        }
    }
    most
}

/// One set of needles, searched as bytes and, for non-ASCII words that NFKC changes,
/// normalised.
struct Needles {
    matcher: Option<Matcher>,
}

/// One needle: a SIMD substring search; more: Aho-Corasick (with its own SIMD prefilter).
enum Matcher {
    One(Box<memchr::memmem::Finder<'static>>),
    Many(Finder),
    /// Many needles that share a few prefixes (`Old0` … `Old999`): one SIMD substring
    /// search per prefix, then an anchored automaton at each place it occurs. An automaton
    /// over many needles runs at a fraction of a single substring search's speed.
    Grouped(Vec<PrefixGroup>),
}

/// Needles that start with `prefix`, found by searching for it.
struct PrefixGroup {
    prefix: memchr::memmem::Finder<'static>,
    /// The group's needles, matched only where the search starts it.
    anchored: AhoCorasick,
}

impl Matcher {
    fn is_match(&self, bytes: &[u8]) -> bool {
        match self {
            Matcher::One(finder) => finder.find(bytes).is_some(),
            Matcher::Many(finder) => finder.is_match(bytes),
            Matcher::Grouped(groups) => groups.iter().any(|group| {
                group.prefix.find_iter(bytes).any(|at| {
                    let input = aho_corasick::Input::new(bytes)
                        .span(at..bytes.len())
                        .anchored(aho_corasick::Anchored::Yes);
                    group.anchored.is_match(input)
                })
            }),
        }
    }

    /// `Grouped` when the needles (more than an automaton's SIMD prefilter takes) fall in
    /// at most `MAX_GROUPS` runs that share a prefix of at least `MIN_PREFIX` bytes.
    fn grouped(needles: &[&[u8]]) -> Option<Matcher> {
        const MAX_GROUPS: usize = 4;
        const MIN_PREFIX: usize = 3;
        const FEW_NEEDLES: usize = 64;
        if needles.len() <= FEW_NEEDLES || needles.len() > AUTOMATON_NEEDLES {
            return None;
        }
        let mut sorted: Vec<&[u8]> = needles.to_vec();
        sorted.sort();
        // Runs of sorted needles with a common prefix of at least MIN_PREFIX bytes.
        let mut runs: Vec<(usize, Vec<&[u8]>)> = Vec::new();
        for needle in sorted {
            let joined = runs.last_mut().and_then(|(common, members)| {
                let shared = members[0]
                    .iter()
                    .zip(needle)
                    .take((*common).min(needle.len()))
                    .take_while(|(a, b)| a == b)
                    .count();
                (shared >= MIN_PREFIX).then(|| {
                    *common = shared;
                    members.push(needle);
                })
            });
            if joined.is_none() {
                if needle.len() < MIN_PREFIX || runs.len() == MAX_GROUPS {
                    return None;
                }
                runs.push((needle.len(), vec![needle]));
            }
        }
        let groups = runs
            .into_iter()
            .map(|(common, members)| {
                let anchored = AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::DFA))
                    .start_kind(aho_corasick::StartKind::Anchored)
                    .build(&members)
                    .ok()?;
                Some(PrefixGroup {
                    prefix: memchr::memmem::Finder::new(&members[0][..common]).into_owned(),
                    anchored,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Matcher::Grouped(groups))
    }
}

/// An automaton over `needles` reporting `kind` matches: a DFA, or when the needles are too
/// many for one, a noncontiguous NFA.
fn automaton<P: AsRef<[u8]>>(needles: &[P], kind: aho_corasick::MatchKind) -> Option<AhoCorasick> {
    [AhoCorasickKind::DFA, AhoCorasickKind::NoncontiguousNFA]
        .into_iter()
        .find_map(|automaton| {
            AhoCorasick::builder()
                .kind(Some(automaton))
                .match_kind(kind)
                .build(needles)
                .ok()
        })
}

/// True when `bytes[start..end]` is not preceded or followed by an identifier byte.
fn is_whole_word(bytes: &[u8], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).map(|i| bytes[i]);
    !before.is_some_and(is_ident_byte) && !bytes.get(end).is_some_and(|&b| is_ident_byte(b))
}

/// Needle counts up to which an Aho-Corasick automaton searches; above it, whole words are
/// looked up in a set. The automaton's build grows faster than linearly with the count
/// (aho-corasick 1.1's state shuffle: 3 s for 30,000 needles); a reference always spells a
/// needle as a whole identifier, so whole words are a superset as well.
const AUTOMATON_NEEDLES: usize = 4096;

/// Finds needles (identifiers) in bytes.
pub(crate) enum Finder {
    /// Any occurrence, inside words too, overlapping ones included (`pkg` and `pkg_old`
    /// at one place).
    Automaton(AhoCorasick),
    /// Leftmost-longest occurrences (`Finder::for_words`): among needles that are whole
    /// identifiers, none can hide a whole-word one, so no overlapping search is needed.
    WordAutomaton(AhoCorasick),
    /// Whole words only, in any of these sets.
    Words(Vec<WordSet>),
}

impl Finder {
    /// A finder of `needles`; `None` only when no automaton could be built (callers then
    /// treat every input as a possible match).
    pub(crate) fn new<I, P>(needles: I) -> Option<Finder>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let needles: Vec<P> = needles.into_iter().collect();
        if needles.len() > AUTOMATON_NEEDLES {
            return Some(Finder::Words(vec![
                needles.iter().map(AsRef::as_ref).collect(),
            ]));
        }
        automaton(&needles, aho_corasick::MatchKind::Standard).map(Finder::Automaton)
    }

    /// A finder for [`Finder::whole_words`] only: needles must be identifiers. A match
    /// lies inside one run of identifier bytes; the leftmost match in a run that is itself
    /// a needle starts where the run does, and the longest there is the run.
    pub(crate) fn for_words<I, P>(needles: I) -> Option<Finder>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let needles: Vec<P> = needles.into_iter().collect();
        if needles.len() > AUTOMATON_NEEDLES {
            return Finder::new(needles);
        }
        automaton(&needles, aho_corasick::MatchKind::LeftmostLongest).map(Finder::WordAutomaton)
    }

    /// A finder for [`Finder::whole_words`] of the words of `sets`: above
    /// `AUTOMATON_NEEDLES`, copies of the sets (not hashed again).
    pub(crate) fn for_words_of(sets: &[&WordSet]) -> Option<Finder> {
        Finder::copies_of(sets).or_else(|| Finder::for_words(merged(sets)))
    }

    /// Above `AUTOMATON_NEEDLES` distinct words in `sets`: a finder over copies of them (two
    /// buffers each, not rehashed word by word); below, `None` (an automaton serves).
    fn copies_of(sets: &[&WordSet]) -> Option<Finder> {
        too_many_for_an_automaton(sets)
            .then(|| Finder::Words(sets.iter().map(|&set| set.clone()).collect()))
    }

    /// True when some needle occurs in `bytes` (as a whole word, for `Words`).
    pub(crate) fn is_match(&self, bytes: &[u8]) -> bool {
        match self {
            Finder::Automaton(automaton) | Finder::WordAutomaton(automaton) => {
                automaton.is_match(bytes)
            }
            Finder::Words(sets) => identifier_runs(bytes)
                .any(|(s, e)| sets.iter().any(|set| set.contains(&bytes[s..e]))),
        }
    }

    /// The ranges of the needles that stand as whole words in `bytes` (not preceded or
    /// followed by an identifier byte), in order.
    pub(crate) fn whole_words<'a>(
        &'a self,
        bytes: &'a [u8],
    ) -> Box<dyn Iterator<Item = (usize, usize)> + 'a> {
        match self {
            Finder::Automaton(automaton) => Box::new(
                automaton
                    .find_overlapping_iter(bytes)
                    .map(|m| (m.start(), m.end()))
                    .filter(|&(start, end)| is_whole_word(bytes, start, end)),
            ),
            Finder::WordAutomaton(automaton) => Box::new(
                automaton
                    .find_iter(bytes)
                    .map(|m| (m.start(), m.end()))
                    .filter(|&(start, end)| is_whole_word(bytes, start, end)),
            ),
            Finder::Words(sets) => Box::new(
                identifier_runs(bytes)
                    .filter(|&(s, e)| sets.iter().any(|set| set.contains(&bytes[s..e]))),
            ),
        }
    }
}

/// True when `sets` hold more than `AUTOMATON_NEEDLES` words together, each counted
/// once (counted only when no set alone decides it).
fn too_many_for_an_automaton(sets: &[&WordSet]) -> bool {
    if sets.iter().map(|set| set.len()).sum::<usize>() <= AUTOMATON_NEEDLES {
        return false;
    }
    if sets.iter().any(|set| set.len() > AUTOMATON_NEEDLES) {
        return true;
    }
    let distinct: usize = sets
        .iter()
        .enumerate()
        .map(|(at, set)| {
            set.iter()
                .filter(|word| !sets[..at].iter().any(|before| before.contains(word)))
                .count()
        })
        .sum();
    distinct > AUTOMATON_NEEDLES
}

/// The words of `sets`, sorted, each once.
fn merged<'a>(sets: &[&'a WordSet]) -> Vec<&'a [u8]> {
    let mut words: Vec<&[u8]> = sets.iter().flat_map(|set| set.iter()).collect();
    words.sort_unstable();
    words.dedup();
    words
}

impl Needles {
    /// The needles of `sets`: above `AUTOMATON_NEEDLES`, copies of the sets themselves
    /// (whole words; a copy is two buffers, not a word-by-word rebuild).
    fn of_sets(sets: &[&WordSet]) -> Needles {
        match Finder::copies_of(sets) {
            Some(words) => Needles {
                matcher: Some(Matcher::Many(words)),
            },
            None => Needles::new(&merged(sets)),
        }
    }

    fn new(needles: &[&[u8]]) -> Needles {
        let matcher = match needles {
            [] => None,
            [one] => Some(Matcher::One(Box::new(
                memchr::memmem::Finder::new(one).into_owned(),
            ))),
            many => Matcher::grouped(many).or_else(|| Finder::new(many).map(Matcher::Many)),
        };
        Needles { matcher }
    }

    fn may_match(&self, bytes: &[u8]) -> bool {
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
            Ok(text) => non_ascii_words(text)
                .filter(|word| is_nfkc_quick(word.chars()) != IsNormalized::Yes)
                .any(|word| {
                    let normalized: String = word.nfkc().collect();
                    matcher.is_match(normalized.as_bytes())
                }),
            Err(_) => true,
        }
    }
}

/// Maximal runs of ASCII letters, digits, `_` and non-ASCII characters that hold a
/// non-ASCII character. An identifier lies inside one such run (NFKC only composes a
/// character with the letters before it, which the run takes too), and NFKC leaves
/// ASCII-only runs as they are (those were already searched), so a needle hidden by NFKC
/// lies inside one of these. Found from the non-ASCII bytes, without decoding the rest.
fn non_ascii_words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let mut at = 0;
    std::iter::from_fn(move || {
        let found = at + bytes[at..].iter().position(|&b| b >= 0x80)?;
        let start = bytes[..found]
            .iter()
            .rposition(|&b| !is_word(b))
            .map_or(0, |p| p + 1);
        let end = bytes[found..]
            .iter()
            .position(|&b| !is_word(b))
            .map_or(bytes.len(), |p| found + p);
        at = end;
        // Runs start and end at ASCII bytes or the text's ends: on character boundaries.
        Some(&text[start..end])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    pub fn filter_to(from: &str, to: &str) -> Prefilter {
        let spec = format!("[[move]]\nfrom = \"{from}\"\nto = \"{to}\"\n");
        let codemod = crate::spec::parse_codemod(&spec, Path::new("t.toml"), "t".into())
            .expect("valid codemod");
        Prefilter::new(&RuleSet::new(vec![codemod]).expect("valid rules"))
    }

    fn filter(from: &str) -> Prefilter {
        let spec = format!("[[move]]\nfrom = \"{from}\"\nto = \"z.new\"\n");
        let codemod = crate::spec::parse_codemod(&spec, Path::new("t.toml"), "t".into())
            .expect("valid codemod");
        Prefilter::new(&RuleSet::new(vec![codemod]).expect("valid rules"))
    }

    #[test]
    fn superset_of_references() {
        let filter = filter("a.old");
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
            assert!(filter.may_match(source.as_bytes(), |_| true), "{source:?}");
        }
        assert!(
            filter.may_match(b"x = '\xe9'\n", |_| true),
            "invalid UTF-8 is never skipped"
        );
        assert!(!filter.may_match(b"import a.new\n", |_| true));
        assert!(!filter.may_match("import a.new  # caf\u{e9}\n".as_bytes(), |_| true));
        assert!(
            !filter.may_match(b"import b.old\n", |_| true),
            "no first segment"
        );
        // A relative import names its module by dots.
        for relative in [
            "from .old import X\n",
            "from  \\\n  ..old import X\n",
            "x=1;from . import old\n",
        ] {
            assert!(
                filter.may_match(relative.as_bytes(), |_| true),
                "{relative:?}"
            );
        }
        assert!(!filter.may_match(b"xfrom .old import X\n", |_| true));
        // Where the file's place rules relative imports out, they do not count; the place
        // is asked about the most dots any of them climbs (apart or together).
        for (relative, most) in [
            ("from .old import X\nfrom ...x import old\n", 3),
            ("from . . import old\n", 2),
            ("from \\\n.\\\n. import old\n", 2),
        ] {
            assert!(
                !filter.may_match(relative.as_bytes(), |_| false),
                "{relative:?}"
            );
            let mut asked = None;
            filter.may_match(relative.as_bytes(), |dots| {
                asked = Some(dots);
                true
            });
            assert_eq!(asked, Some(most), "{relative:?}");
        }
        assert!(
            filter.may_match(b"\xef\xbb\xbffrom .old import X\n", |_| true),
            "a BOM before a relative import (review finding)"
        );
        // A try/except pair importing the new home is noted even after the rewrite: the
        // first segment of a `to` counts too (review finding).
        let filter = super::tests::filter_to("oldpkg.mod", "newpkg.mod");
        assert!(filter.may_match(b"try:\n    from newpkg.mod import X\nexcept ImportError:\n    from newpkg.mod import X\n", |_| true));
    }

    #[test]
    fn decomposed_and_composed_spellings_of_a_non_ascii_path() {
        // The move's path is NFKC-normalised (composed); the source may spell it
        // decomposed, which NFKC composes: the filter must see it.
        let filter = filter("pkg.caf\u{e9}");
        assert!(filter.may_match("import pkg.cafe\u{301}\n".as_bytes(), |_| true));
        assert!(filter.may_match("import pkg.caf\u{e9}\n".as_bytes(), |_| true));
        assert!(!filter.may_match("import pkg.cafe\n".as_bytes(), |_| true));
        // Emoji and other NFKC-stable words are not normalised (and never match).
        assert!(
            !filter.may_match("x = '\u{1f600} caf\u{e8}'\nimport pkg\n".as_bytes(), |_| {
                true
            })
        );
    }
}

#[cfg(test)]
mod finder_tests {
    use super::*;

    /// Past the automaton limit, whole words in a set find what the automaton finds as
    /// whole words, and every needle a reference can spell.
    #[test]
    fn a_word_set_finds_the_whole_words_the_automaton_finds() {
        let mut needles: Vec<String> = (0..=AUTOMATON_NEEDLES).map(|i| format!("Old{i}")).collect();
        needles.push("café".to_string());
        let words = Finder::new(&needles).unwrap();
        assert!(matches!(words, Finder::Words(_)));
        let automaton = Finder::Automaton(AhoCorasick::new(&needles).unwrap());
        for text in [
            "from pkg.mod7 import Old7, Old12",
            "x = pkg.Old4096.attr  # Old1 in a comment",
            "\"pkg.Old33:Thing\" Old33x xOld33 Old3_",
            "import café; café.Old9",
        ] {
            let a: Vec<_> = automaton.whole_words(text.as_bytes()).collect();
            let w: Vec<_> = words.whole_words(text.as_bytes()).collect();
            // The automaton reports overlapping needles that end inside a word at the
            // same place: compare the sets of whole-word ranges.
            let mut a_sorted = a.clone();
            a_sorted.sort();
            a_sorted.dedup();
            assert_eq!(a_sorted, w, "{text}");
            assert!(words.is_match(text.as_bytes()), "{text}");
        }
        assert!(!words.is_match(b"Old7x xOld7 Old"));
        assert!(
            automaton.is_match(b"Old7x"),
            "the automaton also matches inside words"
        );
    }

    /// The leftmost-longest finder reports the same whole words as the overlapping one,
    /// also where a shorter needle starts or ends inside a longer word.
    #[test]
    fn the_word_finder_finds_every_whole_word_the_overlapping_one_finds() {
        let needles = ["pkg", "pkg_old", "old", "ol", "d", "old_x", "a"];
        let overlapping = Finder::Automaton(AhoCorasick::new(needles).unwrap());
        let words = Finder::for_words(needles).unwrap();
        assert!(matches!(words, Finder::WordAutomaton(_)));
        // Every text of up to 5 bytes over an alphabet that builds the needles and breaks
        // words in every way.
        let alphabet = [
            b'p', b'k', b'g', b'_', b'o', b'l', b'd', b'.', b' ', b'a', b'x',
        ];
        let mut text = Vec::new();
        let mut checked = 0;
        for length in 0..=5u32 {
            for mut code in 0..alphabet.len().pow(length) {
                text.clear();
                for _ in 0..length {
                    text.push(alphabet[code % alphabet.len()]);
                    code /= alphabet.len();
                }
                let mut expected: Vec<_> = overlapping.whole_words(&text).collect();
                expected.sort();
                expected.dedup();
                let found: Vec<_> = words.whole_words(&text).collect();
                assert_eq!(found, expected, "{:?}", String::from_utf8_lossy(&text));
                checked += 1;
            }
        }
        assert!(checked > 150_000);
    }

    /// Many needles in few prefix groups are searched by prefix, and find what the
    /// automaton over all of them finds: inside words, overlapping, at the end of the text.
    #[test]
    fn prefix_groups_find_what_the_automaton_finds() {
        let mut needles: Vec<String> = (0..300).map(|i| format!("Old{i}")).collect();
        needles.push("termcolors".to_string());
        needles.push("terminal".to_string());
        let bytes: Vec<&[u8]> = needles.iter().map(|n| n.as_bytes()).collect();
        let grouped = Needles::new(&bytes);
        assert!(matches!(grouped.matcher, Some(Matcher::Grouped(ref g)) if g.len() == 2));
        let automaton = Finder::new(&needles).unwrap();
        let pieces = [
            "Old", "Ol", "1", "29", "299", "3", "x", " ", "term", "colors", "inal", "ter",
        ];
        let mut text = String::new();
        for code in 0..pieces.len().pow(4) {
            text.clear();
            let mut rest = code;
            for _ in 0..4 {
                text.push_str(pieces[rest % pieces.len()]);
                rest /= pieces.len();
            }
            assert_eq!(
                grouped.may_match(text.as_bytes()),
                automaton.is_match(text.as_bytes()),
                "{text:?}"
            );
        }
        // Too many prefixes, or a short needle: the automaton.
        let spread: Vec<String> = (0..100)
            .map(|i| format!("{}x{i}", (b'a' + (i % 26) as u8) as char))
            .collect();
        assert!(matches!(
            Needles::new(&spread.iter().map(|n| n.as_bytes()).collect::<Vec<_>>()).matcher,
            Some(Matcher::Many(_))
        ));
    }
}
