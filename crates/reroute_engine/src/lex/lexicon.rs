//! What stage 2 needs of the rule set, compiled once per run: the needles it looks for and
//! the first segments a path must start with to reach a move.

use crate::prefilter::Finder;
use rustc_hash::FxHashSet as HashSet;

use crate::ruleset::RuleSet;

/// What stage 2 needs of the rule set, compiled once per run.
pub struct Lexicon {
    /// The last segment of every `from`.
    pub(super) needles: HashSet<Vec<u8>>,
    /// The first segment of every `from`: a path can reach a move only if it starts with
    /// one (a move's `from` must be a prefix of it).
    pub(super) firsts: HashSet<Vec<u8>>,
    /// The `from`s of one segment (any whole-word spelling may name them).
    pub(super) single: HashSet<Vec<u8>>,
    /// Every `to`, dotted: a `try`/`except ImportError` pair importing one in both
    /// branches is noted even after the rewrite.
    pub(super) tos: HashSet<String>,
    /// The first segment of every `to` (the cheap test before `tos`).
    pub(super) to_firsts: HashSet<Vec<u8>>,
    pub(super) finder: Option<Finder>,
    /// Strings and comments are read for mentions (`--mentions`, or a move rewrites them).
    pub(super) mentions: bool,
    /// Some move rewrites target strings (`strings = true`): those are read from any
    /// dotted tail (`"app.pkg.old.X"`, f-strings, relative `import_module(".a.b", "p")`).
    pub(super) strings: bool,
}

impl Lexicon {
    /// Compiles what stage 2 looks for from `rules` (`mentions`: strings and comments too).
    pub fn new(rules: &RuleSet, mentions: bool) -> Lexicon {
        let needles: HashSet<Vec<u8>> = rules
            .moves()
            .iter()
            .map(|m| m.from.last().as_str().as_bytes().to_vec())
            .collect();
        let firsts = rules
            .moves()
            .iter()
            .map(|m| m.from.first().as_str().as_bytes().to_vec())
            .collect();
        let single = rules
            .moves()
            .iter()
            .filter(|m| m.from.len() == 1)
            .map(|m| m.from.last().as_str().as_bytes().to_vec())
            .collect();
        let mut sorted: Vec<&Vec<u8>> = needles.iter().collect();
        sorted.sort();
        Lexicon {
            finder: crate::prefilter::Finder::for_words(sorted),
            needles,
            firsts,
            single,
            tos: rules.moves().iter().map(|m| m.to.to_string()).collect(),
            to_firsts: rules
                .moves()
                .iter()
                .map(|m| m.to.first().as_str().as_bytes().to_vec())
                .collect(),
            mentions: mentions || rules.rewrites_mentions(),
            strings: rules.moves().iter().any(|m| m.strings),
        }
    }

    pub(super) fn is_needle(&self, word: &[u8]) -> bool {
        self.needles.contains(word)
    }

    /// False when no path starting with `first` can reach a move.
    pub(super) fn may_reach(&self, first: &[u8]) -> bool {
        self.firsts.contains(first)
    }
}
