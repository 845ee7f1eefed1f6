//! Stage 2's reading of strings and comments: whether one spells a moved name where the
//! whole-file planner would find it (target strings, mentions, f-string fields, dotted runs
//! and `from X import y` inside syntax errors).

use crate::prefilter::Finder;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use super::decide::{Bindings, LexFile, TextHits, WholeReason};
use super::tokens::{Kind, Token};
use crate::scan::{
    Run, colons_as_dots, from_import_names, identifier_runs, is_ident_byte, run_at, run_end,
};

impl LexFile<'_, '_> {
    /// An error when a string or comment spells a moved name where the whole-file planner
    /// could find it: when mentions are read or a `from` has one segment (any whole-word
    /// needle, or that word), when target strings are (any needle in a string), or when a dotted
    /// run or a `from X import y` in it (`:` read as `.`, for `"a.b:C"`) reaches a move as
    /// written or through an import's binding of its first name: what the target-string,
    /// f-string and syntax-error scans of the whole-file path look for.
    pub(super) fn check_text(&self, bindings: &Bindings<'_>) -> Result<TextHits, WholeReason> {
        let Some(finder) = self.lexicon.finder() else {
            return Ok(TextHits::None);
        };
        let mut hits = TextHits::None;
        for (index, token) in self.tokens.iter().enumerate() {
            if !matches!(token.kind, Kind::Str | Kind::Comment) {
                continue;
            }
            // A run in a comment, or in a plain string that cannot be an annotation,
            // matters to the whole-file path only inside a syntax error (mentions and
            // target strings are `Spelled::Always`): once one is found, such text is
            // read only for what always matters.
            let only_text = self.is_only_text(index);
            let runs_matter = !(only_text && hits == TextHits::OnlyIfErrors);
            match self.text_spells_moved(finder, token, bindings, runs_matter)? {
                Spelled::No => {}
                Spelled::AsRun if only_text => hits = TextHits::OnlyIfErrors,
                Spelled::AsRun | Spelled::Always => return Err(WholeReason::Text),
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
                || (p.kind == Kind::Open && self.bytes[p.start()] == b'[')
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
        runs_matter: bool,
    ) -> Result<Spelled, WholeReason> {
        let text = &self.bytes[token.range()];
        if text.is_ascii() {
            return Ok(self.spells_moved(finder, text, bindings, runs_matter));
        }
        match std::str::from_utf8(text) {
            Ok(s) if is_nfkc_quick(s.chars()) != IsNormalized::Yes => {
                let normalized: String = s.nfkc().collect();
                Ok(self.spells_moved(finder, normalized.as_bytes(), bindings, runs_matter))
            }
            Ok(_) => Ok(self.spells_moved(finder, text, bindings, runs_matter)),
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

    /// What `text` (a string or comment, NFKC-normalised) spells; its dotted runs and
    /// `from X import y` sequences are read only when `runs_matter`.
    fn spells_moved(
        &self,
        finder: &Finder,
        text: &[u8],
        bindings: &Bindings<'_>,
        runs_matter: bool,
    ) -> Spelled {
        // A string (not a comment) with strings moves: any whole-word needle may be part
        // of a target the whole-file path reads from any tail.
        let is_string = !text.starts_with(b"#");
        if self.lexicon.mentions || (self.lexicon.strings && is_string) {
            if finder.whole_words(text).next().is_some() {
                return Spelled::Always;
            }
        } else if !self.lexicon.single.is_empty()
            && identifier_runs(text).any(|(s, e)| self.lexicon.single.contains(&text[s..e]))
        {
            return Spelled::Always;
        }
        // A relative target (`import_module(".old", "pkg")`) is planned only for moves
        // with `strings = true`: any needle in a string is `Always` then.
        if !runs_matter {
            return Spelled::No;
        }
        if self.has_reaching_run(text, bindings) {
            return Spelled::AsRun;
        }
        // `from X import y` may span lines; it needs both words.
        let spans_import = memchr::memmem::find(text, b"from").is_some()
            && memchr::memmem::find(text, b"import").is_some();
        let imports_reach = spans_import
            && self.names_a_root(text, bindings)
            && from_import_names(&colons_as_dots(text))
                .iter()
                .any(|run| self.run_reaches(run, bindings));
        if imports_reach {
            return Spelled::AsRun;
        }
        Spelled::No
    }

    /// True when a dotted run of `text` (`:` read as `.`) reaches a move. Such a run has
    /// at least one dot (a one-segment path reaches only a one-segment `from`, which is
    /// `Spelled::Always`), and holds the last segment of that move's `from` after its
    /// first segment (the `from` is a prefix of the path the run spells, through the
    /// binding of its first name or as written), unless its first name is bound to a
    /// path a move already covers. So runs are found from their dots, and only those with
    /// such a segment, or such a first name, are read as paths.
    fn has_reaching_run(&self, text: &[u8], bindings: &Bindings<'_>) -> bool {
        let is_dot = |b: u8| b == b'.' || b == b':';
        let mut after = 0;
        for dot in memchr::memchr2_iter(b'.', b':', text) {
            if dot < after
                || dot == 0
                || !is_ident_byte(text[dot - 1])
                || !text.get(dot + 1).is_some_and(|&b| is_ident_byte(b))
            {
                continue;
            }
            // Back to where the run starts: over identifier bytes, and over dots with an
            // identifier byte on both sides.
            let mut start = dot;
            while start > 0
                && (is_ident_byte(text[start - 1])
                    || (is_dot(text[start - 1])
                        && start >= 2
                        && is_ident_byte(text[start - 2])
                        && is_ident_byte(text[start])))
            {
                start -= 1;
            }
            // `dotted_runs` starts a run only after a byte that is neither: `..a.b` is none.
            let end = run_end(text, start, is_dot);
            after = end;
            if start > 0 && is_dot(text[start - 1]) {
                continue;
            }
            let run = &text[start..end];
            let mut segments = run.split(|&b| is_dot(b));
            let first = segments.next().unwrap_or_default();
            let may_start = self.lexicon.may_reach(first) || bindings.contains_key(first);
            if !may_start {
                continue;
            }
            let holds_needle = segments.any(|s| self.lexicon.is_needle(s));
            if !holds_needle && !self.is_moved_binding(first, bindings) {
                continue;
            }
            if run_at(&colons_as_dots(run), 0..run.len())
                .is_some_and(|run| self.run_reaches(&run, bindings))
            {
                return true;
            }
        }
        false
    }

    /// True when a dotted run reaches a move, as written or through the path an import
    /// binds its first name to.
    fn run_reaches(&self, run: &Run, bindings: &Bindings<'_>) -> bool {
        let segments = run.path.segments();
        // A lone bound name is a use, not a path (only `rename_usages` renames those, and
        // it is planned whole).
        self.rules.resolve(&run.path).is_some()
            || segments.len() > 1
                && bindings
                    .get(segments[0].as_str().as_bytes())
                    .is_some_and(|paths| {
                        paths
                            .iter()
                            .any(|p| self.rules.resolve(&p.join(&segments[1..])).is_some())
                    })
    }

    /// True when an import binds `name` to a path some move already covers (`from a
    /// import old as o`: `o.X` reaches `a.old` without spelling `old`).
    fn is_moved_binding(&self, name: &[u8], bindings: &Bindings<'_>) -> bool {
        let moved = self.moved_bindings.get_or_init(|| {
            bindings
                .iter()
                .filter(|(_, paths)| paths.iter().any(|p| self.rules.resolve(p).is_some()))
                .map(|(name, _)| name.to_vec())
                .collect()
        });
        moved.iter().any(|m| m == name)
    }
}

/// What a string or comment spells.
pub(super) enum Spelled {
    No,
    /// A dotted run or `from X import y` that reaches a move.
    AsRun,
    /// Something the whole-file path reads in any file: a mention to rewrite, a target
    /// string (relative ones too), a one-segment `from`.
    Always,
}

#[cfg(test)]
mod tests {
    use super::super::decide::{LexFile, Place};
    use super::super::imports::read_imports;
    use super::super::lexicon::Lexicon;
    use super::super::tokens::tokenize;
    use crate::ruleset::RuleSet;
    use crate::scan::dotted_runs;
    use std::path::Path;

    /// Finding runs from their dots and reading only those that hold a needle finds what
    /// reading every run of the text finds (the whole-text scan it replaced).
    #[test]
    fn runs_found_from_their_dots_are_the_runs_that_reach_a_move() {
        let spec = "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n\
                    [[move]]\nfrom = \"a.b.gone\"\nto = \"a.c\"\n";
        let codemod = crate::spec::parse_codemod(spec, Path::new("t.toml"), "t".into()).unwrap();
        let rules = RuleSet::new(vec![codemod]).unwrap();
        let lexicon = Lexicon::new(&rules, false);
        let source = "import a as x\nfrom a import old as o\nfrom a import b\n";
        let tokens = tokenize(source.as_bytes());
        let imports = read_imports(source.as_bytes(), &tokens).unwrap();
        let place = Place {
            readings: &[],
            located: false,
        };
        let file = LexFile {
            bytes: source.as_bytes(),
            tokens: &tokens,
            imports: &imports,
            lexicon: &lexicon,
            rules: &rules,
            place: &place,
            moved_bindings: std::cell::OnceCell::new(),
            called: &[],
        };
        let bindings = file.bindings();
        let words: [&[u8]; 9] = [b"a", b"old", b"x", b"o", b"b", b"gone", b"new", b"if", b"1"];
        let glue: [&[u8]; 5] = [b".", b":", b" ", b"..", b"\n"];
        let mut text = Vec::new();
        let mut reaching = 0;
        for code in 0..(9usize * 5).pow(3) {
            text.clear();
            let mut rest = code;
            for _ in 0..3 {
                text.extend_from_slice(words[rest % 9]);
                rest /= 9;
                text.extend_from_slice(glue[rest % 5]);
                rest /= 5;
            }
            let expected = dotted_runs(&crate::scan::colons_as_dots(&text))
                .iter()
                .any(|run| file.run_reaches(run, &bindings));
            assert_eq!(
                file.has_reaching_run(&text, &bindings),
                expected,
                "{:?}",
                String::from_utf8_lossy(&text)
            );
            reaching += usize::from(expected);
        }
        assert!(reaching > 100, "{reaching}");
    }
}
