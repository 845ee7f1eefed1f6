//! Stage 2's reading of strings and comments: whether one spells a moved name where the
//! whole-file planner would find it (target strings, mentions, f-string fields, dotted runs
//! and `from X import y` inside syntax errors).

use crate::prefilter::Finder;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use super::decide::{Bindings, LexFile, TextHits, WholeReason};
use super::tokens::{Kind, Token};
use crate::scan::{dotted_runs, from_import_names, identifier_runs};

impl LexFile<'_, '_> {
    /// An error when a string or comment spells a moved name where the whole-file planner
    /// could find it. Only text with a whole-word last segment of some `from` is read;
    /// then it matters when mentions are read or the `from` has one segment (any word may
    /// spell it), when it is a relative target (`".old"`), or when a dotted run or a
    /// `from X import y` in it (`:` read as `.`, for `"a.b:C"`) reaches a move as written
    /// or through an import's binding of its first name: what the target-string, f-string
    /// and syntax-error scans of the whole-file path look for.
    pub(super) fn check_text(&self, bindings: &Bindings<'_>) -> Result<TextHits, WholeReason> {
        let Some(finder) = &self.lexicon.finder else {
            return Ok(TextHits::None);
        };
        let is_text = |t: &Token| matches!(t.kind, Kind::Str | Kind::Comment);
        let mut hits = TextHits::None;
        let mut note = |found: Spelled, index: usize| -> Result<(), WholeReason> {
            match found {
                Spelled::No => Ok(()),
                // A run in a comment, or in a plain string that cannot be an annotation,
                // matters to the whole-file path only inside a syntax error (mentions and
                // target strings are `Spelled::Always`).
                Spelled::AsRun if self.is_only_text(index) => {
                    hits = TextHits::OnlyIfErrors;
                    Ok(())
                }
                Spelled::AsRun | Spelled::Always => Err(WholeReason::Text),
            }
        };
        let texts = self.tokens.iter().enumerate().filter(|(_, t)| is_text(t));
        // Only strings and comments are searched (needles in code are names, read above).
        // A needle hidden by an overlapping match lies in the same run of identifier
        // bytes, so `find` finds every token that holds one.
        for (index, token) in texts.clone() {
            if finder.is_match(&self.bytes[token.range()]) {
                note(self.text_spells_moved(finder, token, bindings)?, index)?;
            }
        }
        // NFKC may make a needle of text that holds none as written.
        if !self.bytes.is_ascii() {
            for (index, token) in texts {
                let text = &self.bytes[token.range()];
                let changes = std::str::from_utf8(text).map_or(true, |s| {
                    !s.is_ascii() && is_nfkc_quick(s.chars()) != IsNormalized::Yes
                });
                if changes {
                    note(self.text_spells_moved(finder, token, bindings)?, index)?;
                }
            }
        }
        Ok(hits)
    }

    /// True for a comment, and for a plain string (no `f`/`t` prefix: no code inside) that
    /// cannot be an annotation the planner reads as code (`x: "np.float_"`, `-> "T"`,
    /// `Optional["T"]`, `Dict[str, "T"]`): one not right after `:`, `>` (of `->`), `[` or
    /// `,`.
    fn is_only_text(&self, index: usize) -> bool {
        let token = &self.tokens[index];
        if token.kind == Kind::Comment {
            return true;
        }
        let previous = index.checked_sub(1).map(|i| &self.tokens[i]);
        let maybe_annotation = previous.is_some_and(|p| {
            matches!(p.kind, Kind::Colon | Kind::Comma)
                || (p.kind == Kind::Open && self.bytes[p.start] == b'[')
                || self.bytes[p.range()].ends_with(b">")
        });
        !self.is_fstring(token) && !maybe_annotation
    }

    /// An f-string (or t-string): code may stand inside it, in `{}`.
    fn is_fstring(&self, token: &Token) -> bool {
        token.kind == Kind::Str
            && self.bytes[token.range()]
                .iter()
                .take_while(|b| !matches!(b, b'"' | b'\''))
                .any(|b| matches!(b, b'f' | b'F' | b't' | b'T'))
    }

    /// `spells_moved` on a string or comment token, read as CPython would compare it
    /// with a path (NFKC-normalised when that changes it).
    fn text_spells_moved(
        &self,
        finder: &Finder,
        token: &Token,
        bindings: &Bindings<'_>,
    ) -> Result<Spelled, WholeReason> {
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
        identifier_runs(text).any(|(start, end)| {
            let word = &text[start..end];
            self.lexicon.may_reach(word) || bindings.contains_key(word)
        })
    }

    fn spells_moved(&self, finder: &Finder, text: &[u8], bindings: &Bindings<'_>) -> Spelled {
        // A string (not a comment) with strings moves: any whole-word needle may be part
        // of a target the whole-file path reads from any tail.
        let is_string = !text.starts_with(b"#");
        let mut has_word = false;
        for (start, end) in finder.whole_words(text) {
            let before = start.checked_sub(1).map(|i| text[i]);
            has_word = true;
            // A relative target (`import_module(".old", "pkg")`): the string's content
            // starts with the dots before the needle.
            let relative = before == Some(b'.')
                && is_string
                && text[..start]
                    .iter()
                    .position(|b| *b == b'.')
                    .is_some_and(|first_dot| {
                        // Before the dots: the prefix letters and the opening quotes only.
                        let opening = &text[..first_dot];
                        let prefix = opening
                            .iter()
                            .take_while(|b| b.is_ascii_alphabetic())
                            .count();
                        text[first_dot..start].iter().all(|b| *b == b'.')
                            && prefix < opening.len()
                            && opening[prefix..].iter().all(|b| matches!(b, b'"' | b'\''))
                    });
            if self.lexicon.mentions
                || self.lexicon.single.contains(&text[start..end])
                || relative
                || (self.lexicon.strings && is_string)
            {
                return Spelled::Always;
            }
        }
        if !has_word || !self.names_a_root(text, bindings) {
            return Spelled::No;
        }
        let colons_as_dots: Vec<u8> = text
            .iter()
            .map(|&b| if b == b':' { b'.' } else { b })
            .collect();
        let reaches = dotted_runs(&colons_as_dots)
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
            });
        if reaches { Spelled::AsRun } else { Spelled::No }
    }
}

/// What a string or comment spells.
pub(super) enum Spelled {
    No,
    /// A dotted run or `from X import y` that reaches a move.
    AsRun,
    /// Something the whole-file path reads in any file: a mention to rewrite, a target
    /// string, a relative target, a one-segment `from`.
    Always,
}
