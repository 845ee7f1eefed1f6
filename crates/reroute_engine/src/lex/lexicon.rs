//! What stage 2 needs of the rule set, compiled once per run: the needles it looks for and
//! the first segments a path must start with to reach a move.

use crate::prefilter::Finder;
use crate::words::WordSet;

use crate::ruleset::RuleSet;

/// What stage 2 needs of the rule set, compiled once per run.
pub struct Lexicon {
    /// The last segment of every `from`.
    pub(super) needles: WordSet,
    /// The first segment of every `from`: a path can reach a move only if it starts with
    /// one (a move's `from` must be a prefix of it).
    pub(super) firsts: WordSet,
    /// The `from`s of one segment (any whole-word spelling may name them).
    pub(super) single: WordSet,
    /// Every `to`, dotted: a `try`/`except ImportError` pair importing one in both
    /// branches is noted even after the rewrite.
    pub(super) tos: WordSet,
    /// The first segment of every `to` (the cheap test before `tos`).
    pub(super) to_firsts: WordSet,
    /// The word finder over `needles`, built the first time a file's text is read (a run
    /// whose files all stop earlier never builds it).
    finder: std::sync::OnceLock<Option<Finder>>,
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
        fn bytes(id: &crate::spec::Identifier) -> &[u8] {
            id.as_str().as_bytes()
        }
        let mut tos = WordSet::default();
        let mut dotted = String::new();
        for m in moves {
            dotted.clear();
            for (at, segment) in m.to.segments().iter().enumerate() {
                if at > 0 {
                    dotted.push('.');
                }
                dotted.push_str(segment.as_str());
            }
            tos.insert(dotted.as_bytes());
        }
        Lexicon {
            finder: std::sync::OnceLock::new(),
            needles: moves.iter().map(|m| bytes(m.from.last())).collect(),
            firsts: moves.iter().map(|m| bytes(m.from.first())).collect(),
            single: moves
                .iter()
                .filter(|m| m.from.len() == 1)
                .map(|m| bytes(m.from.last()))
                .collect(),
            tos,
            to_firsts: moves.iter().map(|m| bytes(m.to.first())).collect(),
            mentions: mentions || rules.rewrites_mentions(),
            strings: rules.moves().iter().any(|m| m.strings),
        }
    }

    /// The leftmost-longest whole-word finder of the needles (`None`: there are none).
    pub(super) fn finder(&self) -> Option<&Finder> {
        self.finder
            .get_or_init(|| Finder::for_words(self.needles.sorted()))
            .as_ref()
    }

    pub(super) fn is_needle(&self, word: &[u8]) -> bool {
        self.needles.contains(word)
    }

    /// False when no path starting with `first` can reach a move.
    pub(super) fn may_reach(&self, first: &[u8]) -> bool {
        self.firsts.contains(first)
    }
}
