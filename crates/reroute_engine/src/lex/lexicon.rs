//! What stage 2 needs of the rule set, compiled once per run: the needles it looks for and
//! the first segments a path must start with to reach a move.

use crate::prefilter::Finder;
use crate::words::WordSet;

use crate::ruleset::{RuleSet, RuleWords};
use std::sync::Arc;

/// What stage 2 needs of the rule set, compiled once per run.
pub struct Lexicon {
    /// The rule set's words (shared): the last segment of every `from` (the
    /// needles), the first segment of every `from` (a path can reach a move only if it
    /// starts with one: a move's `from` must be a prefix of it) and of every `to` (a
    /// `try`/`except ImportError` pair importing a new home in both branches is noted even
    /// after the rewrite; `RuleSet::tos` holds the whole `to`s).
    pub(super) words: Arc<RuleWords>,
    /// The `from`s of one segment (any whole-word spelling may name them).
    pub(super) single: WordSet,
    /// The whole-word finder over the needles (built with the lexicon: stage 2 of a run on
    /// one file must not pay for it; above 4,096 needles it is a copy of their set).
    finder: Option<Finder>,
    /// Strings and comments are read for mentions (`--mentions`, or a move rewrites them).
    pub(super) mentions: bool,
    /// Some move rewrites target strings (`strings = true`): those are read from any
    /// dotted tail (`"app.pkg.old.X"`, f-strings, relative `import_module(".a.b", "p")`).
    pub(super) strings: bool,
}

impl Lexicon {
    /// Compiles what stage 2 looks for from `rules` (`mentions`: strings and comments too).
    pub fn new(rules: &RuleSet, mentions: bool) -> Lexicon {
        let moves = rules.moves();
        Lexicon {
            finder: Finder::for_words_of(&[&rules.words().last]),
            words: rules.words().clone(),
            single: moves
                .iter()
                .filter(|m| m.from.len() == 1)
                .map(|m| m.from.last().as_str().as_bytes())
                .collect(),
            mentions: mentions || rules.rewrites_mentions(),
            strings: moves.iter().any(|m| m.strings),
        }
    }

    /// The leftmost-longest whole-word finder of the needles (`None`: there are none).
    pub(super) fn finder(&self) -> Option<&Finder> {
        self.finder.as_ref()
    }

    pub(super) fn is_needle(&self, word: &[u8]) -> bool {
        self.words.last.contains(word)
    }

    /// False when no path starting with `first` can reach a move.
    pub(super) fn may_reach(&self, first: &[u8]) -> bool {
        self.words.from_firsts.contains(first)
    }
}
