//! Stage 2's reading of strings and comments: whether one spells a moved name where the
//! whole-file planner would find it (target strings, mentions, f-string fields, dotted runs
//! and `from X import y` inside syntax errors).

use crate::prefilter::Finder;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use super::decide::{Bindings, LexFile, WholeReason};
use super::tokens::{Kind, Token};
use crate::scan::{dotted_runs, from_import_names};

impl LexFile<'_, '_> {
    /// An error when a string or comment spells a moved name where the whole-file planner
    /// could find it. Only text with a whole-word last segment of some `from` is read;
    /// then it matters when mentions are read or the `from` has one segment (any word may
    /// spell it), when it is a relative target (`".old"`), or when a dotted run or a
    /// `from X import y` in it (`:` read as `.`, for `"a.b:C"`) reaches a move as written
    /// or through an import's binding of its first name: what the target-string, f-string
    /// and syntax-error scans of the whole-file path look for.
    pub(super) fn check_text(&self, bindings: &Bindings<'_>) -> Result<(), WholeReason> {
        let Some(finder) = &self.lexicon.finder else {
            return Ok(());
        };
        let is_text = |t: &Token| matches!(t.kind, Kind::Str | Kind::Comment);
        // Only strings and comments are searched (needles in code are names, read above).
        // A needle hidden by an overlapping match lies in the same run of identifier
        // bytes, so `find` finds every token that holds one.
        for token in self.tokens.iter().filter(|t| is_text(t)) {
            if finder.is_match(&self.bytes[token.range()])
                && self.text_spells_moved(finder, token, bindings)?
            {
                return Err(WholeReason::Text);
            }
        }
        // NFKC may make a needle of text that holds none as written.
        if !self.bytes.is_ascii() {
            for token in self.tokens.iter().filter(|t| is_text(t)) {
                let text = &self.bytes[token.range()];
                let changes = std::str::from_utf8(text).map_or(true, |s| {
                    !s.is_ascii() && is_nfkc_quick(s.chars()) != IsNormalized::Yes
                });
                if changes && self.text_spells_moved(finder, token, bindings)? {
                    return Err(WholeReason::Text);
                }
            }
        }
        Ok(())
    }

    /// `spells_moved` on a string or comment token, read as CPython would compare it
    /// with a path (NFKC-normalised when that changes it).
    fn text_spells_moved(
        &self,
        finder: &Finder,
        token: &Token,
        bindings: &Bindings<'_>,
    ) -> Result<bool, WholeReason> {
        let text = &self.bytes[token.range()];
        if text.is_ascii() {
            return Ok(self.spells_moved(finder, text, bindings));
        }
        match std::str::from_utf8(text) {
            Ok(s) if is_nfkc_quick(s.chars()) != IsNormalized::Yes => {
                let normalized: String = s.nfkc().collect();
                Ok(self.spells_moved(finder, normalized.as_bytes(), bindings))
            }
            Ok(_) => Ok(self.spells_moved(finder, text, bindings)),
            Err(_) => Err(WholeReason::Unsure),
        }
    }

    /// True when some whole word of `text` is the first segment of a `from` or a name an
    /// import binds: a dotted run or `from X import y` can reach a move only from one, so
    /// text without any (most text that holds a common last segment, `"product"`) is not
    /// scanned for runs.
    fn names_a_root(&self, text: &[u8], bindings: &Bindings<'_>) -> bool {
        let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_' || !b.is_ascii();
        text.split(|b| !is_word(b))
            .filter(|word| !word.is_empty())
            .any(|word| self.lexicon.may_reach(word) || bindings.contains_key(word))
    }

    fn spells_moved(&self, finder: &Finder, text: &[u8], bindings: &Bindings<'_>) -> bool {
        // A string (not a comment) with strings moves: any whole-word needle may be part
        // of a target the whole-file path reads from any tail.
        let is_string = !text.starts_with(b"#");
        let mut has_word = false;
        for (start, end) in finder.whole_words(text) {
            let before = start.checked_sub(1).map(|i| text[i]);
            has_word = true;
            let relative = before == Some(b'.')
                && start >= 2
                && matches!(text[start - 2], b'"' | b'\'' | b'.');
            if self.lexicon.mentions
                || self.lexicon.single.contains(&text[start..end])
                || relative
                || (self.lexicon.strings && is_string)
            {
                return true;
            }
        }
        if !has_word || !self.names_a_root(text, bindings) {
            return false;
        }
        let colons_as_dots: Vec<u8> = text
            .iter()
            .map(|&b| if b == b':' { b'.' } else { b })
            .collect();
        dotted_runs(&colons_as_dots)
            .into_iter()
            .chain(from_import_names(&colons_as_dots))
            .any(|run| {
                let segments = run.path.segments();
                // A lone bound name is a use, not a path (only `rename_usages` renames
                // those, and it is planned whole).
                self.rules.resolve(&run.path).is_some()
                    || segments.len() > 1
                        && bindings
                            .get(segments[0].as_str().as_bytes())
                            .is_some_and(|paths| {
                                paths
                                    .iter()
                                    .any(|p| self.rules.resolve(&p.join(&segments[1..])).is_some())
                            })
            })
    }
}
