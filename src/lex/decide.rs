//! Stage 2, after the byte prefilter: from the token stream alone, decide whether a file
//! can hold a reference to a moved name, and whether its references can be planned one
//! statement at a time.
//!
//! It is a superset filter, like the prefilter: a file is skipped only when no import
//! statement reaches a move (its module, a name it imports, or a relative reading of it),
//! no dotted chain in code reaches one (as written, or through the path an import binds
//! its first name to), and no string or comment spells a moved name where a target string,
//! a mention or a syntax-error scan could find it. Whenever the tokenizer is unsure, the
//! file is parsed whole.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use super::imports::{LexImport, LexKind, read_imports};
use super::tokens::{Kind, Token, tokenize_into};
use crate::analyze::scan::{dotted_runs, from_import_names};
use crate::modules::ModuleLocation;
use crate::ruleset::RuleSet;
use crate::spec::{DottedPath, Identifier};

/// What stage 2 decided for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Nothing in the file can reach a move: it is not parsed.
    Skip,
    /// Every reference is a from-import standing alone on its lines at module level: each
    /// is planned on its own (these byte ranges: whole lines, in order).
    Statements(Vec<Range<usize>>),
    /// Parse and plan the whole file.
    Whole(WholeReason),
}

/// Why a file is parsed whole (counted by `--stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WholeReason {
    /// The tokenizer was unsure (unterminated string, brackets, non-ASCII name, BOM).
    Unsure,
    /// A reference that is not a module-level from-import on its own lines.
    Shape,
    /// A dotted chain in code reaches a move (a use to rewrite or report).
    Chain,
    /// A string or comment spells a moved name.
    Text,
    /// A `# reroute:` comment.
    Suppression,
    /// A relative import with no known package that names a moved name.
    Relative,
}

impl WholeReason {
    pub const ALL: [WholeReason; 6] = [
        WholeReason::Unsure,
        WholeReason::Shape,
        WholeReason::Chain,
        WholeReason::Text,
        WholeReason::Suppression,
        WholeReason::Relative,
    ];

    pub fn name(self) -> &'static str {
        match self {
            WholeReason::Unsure => "unsure",
            WholeReason::Shape => "shape",
            WholeReason::Chain => "chain",
            WholeReason::Text => "text",
            WholeReason::Suppression => "suppression",
            WholeReason::Relative => "relative",
        }
    }
}

/// What stage 2 needs of the rule set, compiled once per run.
pub struct Lexicon {
    /// The last segment of every `from`.
    needles: HashSet<Vec<u8>>,
    /// The first segment of every `from`: a path can reach a move only if it starts with
    /// one (a move's `from` must be a prefix of it).
    firsts: HashSet<Vec<u8>>,
    /// The `from`s of one segment (any whole-word spelling may name them).
    single: HashSet<Vec<u8>>,
    /// Every `to`, dotted: a `try`/`except ImportError` pair importing one in both
    /// branches is noted even after the rewrite.
    tos: HashSet<String>,
    /// The first segment of every `to` (the cheap test before `tos`).
    to_firsts: HashSet<Vec<u8>>,
    finder: Option<AhoCorasick>,
    /// Strings and comments are read for mentions (`--mentions`, or a move rewrites them).
    mentions: bool,
    /// Some move rewrites target strings (`strings = true`): those are read from any
    /// dotted tail (`"app.pkg.old.X"`, f-strings, relative `import_module(".a.b", "p")`).
    strings: bool,
}

impl Lexicon {
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
            finder: AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .build(sorted)
                .ok(),
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

    fn is_needle(&self, word: &[u8]) -> bool {
        self.needles.contains(word)
    }

    /// False when no path starting with `first` can reach a move.
    fn may_reach(&self, first: &[u8]) -> bool {
        self.firsts.contains(first)
    }
}

/// The file's place in the module namespace: every reading relative imports may resolve
/// under (`analyze::relative::readings_of`).
pub struct Place<'a> {
    pub readings: &'a [ModuleLocation],
    /// `readings[0]` is where the module resolver put the file (the reading an
    /// unresolved relative import is judged by).
    pub located: bool,
}

/// Decides how to treat `bytes`.
pub fn decide(bytes: &[u8], lexicon: &Lexicon, rules: &RuleSet, place: &Place<'_>) -> Decision {
    if bytes.starts_with(b"\xef\xbb\xbf") {
        return Decision::Whole(WholeReason::Unsure);
    }
    thread_local! {
        /// One token buffer per worker, reused file after file.
        static TOKENS: std::cell::RefCell<Vec<Token>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    TOKENS.with(|buffer| {
        let mut tokens = buffer.borrow_mut();
        if tokenize_into(bytes, &mut tokens).is_some() {
            return Decision::Whole(WholeReason::Unsure);
        }
        decide_tokens(bytes, &tokens, lexicon, rules, place)
    })
}

fn decide_tokens(
    bytes: &[u8],
    tokens: &[Token],
    lexicon: &Lexicon,
    rules: &RuleSet,
    place: &Place<'_>,
) -> Decision {
    let Some(imports) = read_imports(bytes, tokens) else {
        return Decision::Whole(WholeReason::Unsure);
    };
    let file = LexFile {
        bytes,
        tokens,
        imports: &imports,
        lexicon,
        rules,
        place,
    };
    match file.references() {
        Ok(statements) if statements.is_empty() => Decision::Skip,
        Ok(statements) => Decision::Statements(statements),
        Err(reason) => Decision::Whole(reason),
    }
}

/// Every name the file's imports bind, with every path it may be bound to.
type Bindings<'a> = HashMap<&'a [u8], Vec<DottedPath>>;

struct LexFile<'a, 'b> {
    bytes: &'a [u8],
    tokens: &'b [Token],
    imports: &'b [LexImport<'a>],
    lexicon: &'b Lexicon,
    rules: &'b RuleSet,
    place: &'b Place<'b>,
}

fn path_of(segments: &[&[u8]]) -> Option<DottedPath> {
    DottedPath::from_segments(
        segments
            .iter()
            .map(|s| Identifier::from_token(&String::from_utf8_lossy(s)))
            .collect(),
    )
}

impl LexFile<'_, '_> {
    /// The line ranges of the statements to plan one by one (empty: none reaches a move),
    /// or why the file must be parsed whole.
    fn references(&self) -> Result<Vec<Range<usize>>, WholeReason> {
        let bindings = self.bindings();
        let mut reaching = Vec::new();
        for import in self.imports {
            if self.reaches(import)? {
                reaching.push(import);
            } else if !self.at_line_start(import) && self.imports_a_to(import) {
                return Err(WholeReason::Shape);
            }
        }
        self.check_chains(&bindings)?;
        self.check_text(&bindings)?;
        if reaching.is_empty() {
            return Ok(Vec::new());
        }
        if self.has_suppression() {
            return Err(WholeReason::Suppression);
        }
        let guarded = self.guarded_lines();
        reaching
            .iter()
            .map(|import| self.alone(import, &guarded))
            .collect()
    }

    /// The absolute modules a from-import's module may be (every relative reading).
    fn modules(&self, dots: usize, module: &[&[u8]]) -> Vec<DottedPath> {
        if dots == 0 {
            return path_of(module).into_iter().collect();
        }
        let tail: Vec<Identifier> = module
            .iter()
            .map(|s| Identifier::from_token(&String::from_utf8_lossy(s)))
            .collect();
        self.place
            .readings
            .iter()
            .filter_map(|reading| reading.resolve_relative(dots, &tail))
            .collect()
    }

    /// Every name the file's imports bind, with every path it may be bound to.
    fn bindings(&self) -> Bindings<'_> {
        let mut bindings: Bindings<'_> = HashMap::default();
        for import in self.imports {
            match &import.kind {
                LexKind::Plain => {
                    for name in &import.names {
                        if !self.lexicon.may_reach(name.path[0]) {
                            continue;
                        }
                        let bound = match name.alias {
                            Some(_) => path_of(&name.path),
                            None => path_of(&name.path[..1]),
                        };
                        bindings.entry(name.local()).or_default().extend(bound);
                    }
                }
                LexKind::From { dots, module, .. } => {
                    if *dots == 0 && !module.first().is_some_and(|m| self.lexicon.may_reach(m)) {
                        continue;
                    }
                    let modules = self.modules(*dots, module);
                    for name in &import.names {
                        let id = Identifier::from_token(&String::from_utf8_lossy(name.path[0]));
                        let entry = bindings.entry(name.local()).or_default();
                        entry.extend(
                            modules
                                .iter()
                                .filter(|m| self.lexicon.may_reach(m.first().as_str().as_bytes()))
                                .map(|m| m.child(id.clone())),
                        );
                    }
                }
            }
        }
        bindings
    }

    /// True when `import` reaches a move; an error when it does in a way only the whole
    /// file can plan (a star import of a module with moves under it, an unresolved
    /// relative import naming a moved name).
    fn reaches(&self, import: &LexImport<'_>) -> Result<bool, WholeReason> {
        let resolves = |path: &DottedPath| {
            self.lexicon.may_reach(path.first().as_str().as_bytes())
                && self.rules.resolve(path).is_some()
        };
        match &import.kind {
            LexKind::Plain => Ok(import
                .names
                .iter()
                .filter(|n| self.lexicon.may_reach(n.path[0]))
                .filter_map(|n| path_of(&n.path))
                .any(|p| resolves(&p))),
            LexKind::From { dots, module, star } => {
                if *dots == 0 && !module.first().is_some_and(|m| self.lexicon.may_reach(m)) {
                    return Ok(false);
                }
                let modules = self.modules(*dots, module);
                let reached = modules.iter().any(|m| {
                    resolves(m)
                        || import.names.iter().any(|n| {
                            let id = Identifier::from_token(&String::from_utf8_lossy(n.path[0]));
                            resolves(&m.child(id))
                        })
                });
                // The whole-file path reads a relative import under the file's location
                // unless another reading reaches a move; with neither, it is unresolved.
                let unresolved = *dots > 0
                    && !reached
                    && !(self.place.located
                        && self.place.readings[0]
                            .resolve_relative(*dots, &[])
                            .is_some());
                if modules.is_empty() || unresolved {
                    let names_needle = module
                        .iter()
                        .chain(import.names.iter().map(|n| &n.path[0]))
                        .any(|s| self.lexicon.is_needle(s));
                    return if names_needle {
                        Err(WholeReason::Relative)
                    } else {
                        Ok(false)
                    };
                }
                if *star {
                    let touched = modules
                        .iter()
                        .any(|m| resolves(m) || self.rules.has_move_under(m));
                    return if touched {
                        Err(WholeReason::Shape)
                    } else {
                        Ok(false)
                    };
                }
                Ok(reached)
            }
        }
    }

    /// True when the import statement's first token is at column 0.
    fn at_line_start(&self, import: &LexImport<'_>) -> bool {
        let first = self.tokens[import.tokens.start];
        first.start == 0 || matches!(self.bytes[first.start - 1], b'\n' | b'\r')
    }

    /// True when `import` imports a move's `to` or something under it.
    fn imports_a_to(&self, import: &LexImport<'_>) -> bool {
        let under_a_to = |path: &DottedPath| {
            let segments = path.segments();
            if !self
                .lexicon
                .to_firsts
                .contains(segments[0].as_str().as_bytes())
            {
                return false;
            }
            (1..=segments.len()).any(|len| {
                let prefix: Vec<&str> = segments[..len].iter().map(Identifier::as_str).collect();
                self.lexicon.tos.contains(&prefix.join("."))
            })
        };
        match &import.kind {
            LexKind::Plain => import
                .names
                .iter()
                .filter_map(|n| path_of(&n.path))
                .any(|p| under_a_to(&p)),
            LexKind::From { dots, module, .. }
                if *dots > 0
                    || module
                        .first()
                        .is_some_and(|m| self.lexicon.to_firsts.contains(*m)) =>
            {
                self.modules(*dots, module).iter().any(|m| {
                    under_a_to(m)
                        || import.names.iter().any(|n| {
                            under_a_to(
                                &m.child(Identifier::from_token(&String::from_utf8_lossy(
                                    n.path[0],
                                ))),
                            )
                        })
                })
            }
            LexKind::From { .. } => false,
        }
    }

    /// `import` as a statement to plan on its own: its whole lines, when it is a
    /// from-import that starts a line at column 0, ends its logical line, binds names no
    /// other import binds, and needs nothing but itself (no `rename_usages`; no alias a
    /// target string could spell).
    fn alone(
        &self,
        import: &LexImport<'_>,
        guarded: &[(usize, bool)],
    ) -> Result<Range<usize>, WholeReason> {
        let LexKind::From { dots, module, .. } = &import.kind else {
            return Err(WholeReason::Shape);
        };
        let first = self.tokens[import.tokens.start];
        let starts_line = self.tokens[..import.tokens.start]
            .iter()
            .rev()
            .find(|t| t.kind != Kind::Comment)
            .is_none_or(|t| t.kind == Kind::Newline);
        // Indented: not under a `try`, `except`, `else`, `elif` or `finally` (fallbacks),
        // nor an `if` that reads `version_info` (left as is), which the whole file plans.
        let is_guarded = guarded
            .binary_search_by_key(&import.tokens.start, |(index, _)| *index)
            .map_or(true, |found| guarded[found].1);
        let indented = !self.at_line_start(import);
        if !starts_line || (indented && is_guarded) {
            return Err(WholeReason::Shape);
        }
        let end = match self.tokens.get(self.next_significant(import.tokens.end)) {
            Some(t) if t.kind == Kind::Newline => t.end,
            // The last line, without a line ending: a statement placed after it would take
            // the file's most common ending, which the piece alone does not know.
            None if memchr::memchr(b'\r', self.bytes).is_none() => self.bytes.len(),
            _ => return Err(WholeReason::Shape),
        };
        let mut locals = HashSet::default();
        for name in &import.names {
            let local = name.local();
            if !locals.insert(local) || self.binds_elsewhere(import, local) {
                return Err(WholeReason::Shape);
            }
        }
        for m in self.modules(*dots, module) {
            let paths = std::iter::once(m.clone()).chain(
                import
                    .names
                    .iter()
                    .map(|n| m.child(Identifier::from_token(&String::from_utf8_lossy(n.path[0])))),
            );
            for path in paths {
                if let Some(resolution) = self.rules.resolve(&path) {
                    let aliased = import.names.iter().any(|n| n.alias.is_some());
                    if resolution.rename_usages || (aliased && resolution.strings) {
                        return Err(WholeReason::Shape);
                    }
                }
            }
        }
        Ok(line_start(self.bytes, first.start)..end)
    }

    /// The first token of every logical line, in order, and whether a block that only the
    /// whole-file planner reads right holds it: `try`, `except`, `else`, `elif`,
    /// `finally`, or an `if` whose condition reads `version_info`.
    fn guarded_lines(&self) -> Vec<(usize, bool)> {
        let mut blocks: Vec<(usize, bool)> = Vec::new();
        let mut lines = Vec::new();
        let mut line_first = true;
        for (index, token) in self.tokens.iter().enumerate() {
            match token.kind {
                Kind::Comment => continue,
                Kind::Newline => {
                    line_first = true;
                    continue;
                }
                _ if !line_first => continue,
                _ => line_first = false,
            }
            let indent =
                indent_width(&self.bytes[line_start(self.bytes, token.start)..token.start]);
            while blocks.last().is_some_and(|(open, _)| *open >= indent) {
                blocks.pop();
            }
            lines.push((index, blocks.iter().any(|(_, guards)| *guards)));
            if token.kind != Kind::Name {
                continue;
            }
            let guards = match &self.bytes[token.range()] {
                b"try" | b"except" | b"else" | b"elif" | b"finally" => true,
                b"if" => {
                    let header_end = self.tokens[index..]
                        .iter()
                        .find(|t| t.kind == Kind::Newline)
                        .map_or(self.bytes.len(), |t| t.start);
                    crate::analyze::scan::contains(
                        &self.bytes[token.start..header_end],
                        b"version_info",
                    )
                }
                b"for" | b"while" | b"with" | b"def" | b"class" | b"async" | b"match" | b"case" => {
                    false
                }
                _ => continue,
            };
            blocks.push((indent, guards));
        }
        lines
    }

    /// True when another import statement binds `local`.
    fn binds_elsewhere(&self, this: &LexImport<'_>, local: &[u8]) -> bool {
        self.imports
            .iter()
            .filter(|other| other.tokens != this.tokens)
            .any(|other| other.names.iter().any(|n| n.local() == local))
    }

    /// An error when a dotted chain in code (outside import statements) reaches a move,
    /// as written or through the path an import binds its first name to.
    fn check_chains(&self, bindings: &Bindings<'_>) -> Result<(), WholeReason> {
        let tokens = self.tokens;
        let mut imports = self.imports.iter().peekable();
        let mut chain: Vec<&[u8]> = Vec::new();
        let mut after_dot = false;
        let mut at = 0;
        while at < tokens.len() {
            if let Some(import) = imports.next_if(|i| i.tokens.start == at) {
                at = import.tokens.end;
                after_dot = false;
                continue;
            }
            let token = tokens[at];
            at += 1;
            match token.kind {
                Kind::Comment => continue,
                Kind::Name if !after_dot => {}
                kind => {
                    after_dot = kind == Kind::Dot;
                    continue;
                }
            }
            chain.clear();
            chain.push(&self.bytes[token.range()]);
            loop {
                let dot = self.next_significant(at);
                let name = self.next_significant(dot + 1);
                let is_link = tokens.get(dot).is_some_and(|t| t.kind == Kind::Dot)
                    && tokens.get(name).is_some_and(|t| t.kind == Kind::Name);
                if !is_link {
                    break;
                }
                chain.push(&self.bytes[tokens[name].range()]);
                at = name + 1;
            }
            after_dot = false;
            if chain.len() >= 2 && self.chain_reaches(&chain, bindings) {
                return Err(WholeReason::Chain);
            }
        }
        Ok(())
    }

    /// The index of the first token from `at` that is not a comment.
    fn next_significant(&self, mut at: usize) -> usize {
        while self.tokens.get(at).is_some_and(|t| t.kind == Kind::Comment) {
            at += 1;
        }
        at
    }

    fn chain_reaches(&self, chain: &[&[u8]], bindings: &Bindings<'_>) -> bool {
        let has_needle = chain.iter().any(|s| self.lexicon.is_needle(s));
        if has_needle
            && self.lexicon.may_reach(chain[0])
            && path_of(chain).is_some_and(|p| self.rules.resolve(&p).is_some())
        {
            return true;
        }
        bindings.get(chain[0]).is_some_and(|paths| {
            let tail: Vec<Identifier> = chain[1..]
                .iter()
                .map(|s| Identifier::from_token(&String::from_utf8_lossy(s)))
                .collect();
            paths.iter().any(|bound| {
                let named = has_needle
                    || bound
                        .segments()
                        .iter()
                        .any(|s| self.lexicon.is_needle(s.as_str().as_bytes()));
                // A move at or above the bound path is the import's own rewrite, which
                // keeps the name: its uses need nothing, unless the use resolves to more
                // than the import's new path with the same tail (a move under the bound
                // path, or under where it moved: chained moves).
                named && {
                    let use_now = self.rules.resolve(&bound.join(&tail));
                    let bound_now = self.rules.resolve(bound);
                    match (use_now, bound_now) {
                        (None, _) => false,
                        (Some(_), None) => true,
                        (Some(use_now), Some(bound_now)) => {
                            use_now.target != bound_now.target.join(&tail)
                        }
                    }
                }
            })
        })
    }

    /// An error when a string or comment spells a moved name where the whole-file planner
    /// could find it. Only text with a whole-word last segment of some `from` is read;
    /// then it matters when mentions are read or the `from` has one segment (any word may
    /// spell it), when it is a relative target (`".old"`), or when a dotted run or a
    /// `from X import y` in it (`:` read as `.`, for `"a.b:C"`) reaches a move as written
    /// or through an import's binding of its first name: what the target-string, f-string
    /// and syntax-error scans of the whole-file path look for.
    fn check_text(&self, bindings: &Bindings<'_>) -> Result<(), WholeReason> {
        let Some(finder) = &self.lexicon.finder else {
            return Ok(());
        };
        let is_text = |t: &Token| matches!(t.kind, Kind::Str | Kind::Comment);
        // Only strings and comments are searched (needles in code are names, read above).
        // A needle hidden by an overlapping match lies in the same run of identifier
        // bytes, so `find` finds every token that holds one.
        for token in self.tokens.iter().filter(|t| is_text(t)) {
            if finder.find(&self.bytes[token.range()]).is_some()
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
        finder: &AhoCorasick,
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

    fn spells_moved(&self, finder: &AhoCorasick, text: &[u8], bindings: &Bindings<'_>) -> bool {
        // A string (not a comment) with strings moves: any whole-word needle may be part
        // of a target the whole-file path reads from any tail.
        let is_string = !text.starts_with(b"#");
        let mut has_word = false;
        for found in finder.find_overlapping_iter(text) {
            let (start, end) = (found.start(), found.end());
            let before = start.checked_sub(1).map(|i| text[i]);
            if before.is_some_and(is_ident_byte) || text.get(end).is_some_and(|&b| is_ident_byte(b))
            {
                continue;
            }
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
        if !has_word {
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

    fn has_suppression(&self) -> bool {
        self.tokens.iter().any(|t| {
            t.kind == Kind::Comment && self.bytes[t.range()].windows(8).any(|w| w == b"reroute:")
        })
    }
}

/// The width of an indentation as the tokenizer counts it: a tab to the next multiple of
/// 8, a form feed resets.
fn indent_width(indent: &[u8]) -> usize {
    indent.iter().fold(0, |width, &b| match b {
        b'\t' => (width / 8 + 1) * 8,
        b'\x0c' => 0,
        _ => width + 1,
    })
}

/// The start of the physical line holding `offset`.
fn line_start(bytes: &[u8], offset: usize) -> usize {
    memchr::memrchr2(b'\n', b'\r', &bytes[..offset]).map_or(0, |at| at + 1)
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn rules(spec: &str) -> RuleSet {
        let codemod = crate::spec::parse_codemod(spec, Path::new("t.toml"), "t".into())
            .expect("valid codemod");
        RuleSet::new(vec![codemod]).expect("valid rules")
    }

    const MOVES: &str = "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n\
                         [[move]]\nfrom = \"t.Callable\"\nto = \"c.abc.Callable\"\n";

    fn decide_in(source: &str, readings: &[ModuleLocation]) -> Decision {
        let rules = rules(MOVES);
        let lexicon = Lexicon::new(&rules, false);
        let place = Place {
            readings,
            located: !readings.is_empty(),
        };
        decide(source.as_bytes(), &lexicon, &rules, &place)
    }

    fn decided(source: &str) -> Decision {
        decide_in(source, &[])
    }

    #[test]
    fn nothing_that_reaches_a_move_is_skipped() {
        for source in [
            "from t import Optional\nx: Optional[int] = None\n",
            "import a\na.older.f()\n",
            "from a import new\n# the old way\ns = 'old news'\n",
            "from b.old import X\nb.old.X\n",
            "x = obj.a.old.f\n",
        ] {
            assert_eq!(decided(source), Decision::Skip, "{source:?}");
        }
    }

    #[test]
    fn module_level_from_imports_alone_are_planned_one_by_one() {
        let source = "import os\nfrom t import Callable, Optional  # c\n\
                      from a.old import (\n    X,\n    Y as Z,\n)\nf: Callable = X\n";
        let second = source.find("from t").unwrap();
        let third = source.find("from a.old").unwrap();
        let end = source.find("f: Callable").unwrap();
        assert_eq!(
            decided(source),
            Decision::Statements(vec![second..third, third..end])
        );
    }

    #[test]
    fn what_only_the_whole_file_can_plan() {
        use WholeReason::*;
        for (source, why) in [
            ("import t\nt.Callable\n", Chain),
            ("import t as typing\nx: typing.Callable\n", Chain),
            ("import a.old\n", Shape),
            (
                "if sys.version_info >= (3, 9):\n    from a.old import X\n",
                Shape,
            ),
            ("if x:\n    pass\nelse:\n    from a.old import X\n", Shape),
            ("def f():\n    x = 1; from a.old import X\n", Shape),
            (
                "try:\n    from a.old import X\nexcept ImportError:\n    pass\n",
                Shape,
            ),
            ("from a.old import X; y = 1\n", Shape),
            ("from a.old import X\nfrom b import X\n", Shape),
            ("from a.old import *\n", Shape),
            ("from a.new import X\np = 'a.old.X'\n", Text),
            ("from a.new import X\n# see a.old\n", Text),
            ("from a.new import X\nf'{a.old}'\n", Text),
            ("from a.old import X  # reroute: ignore\n", Suppression),
            ("from a.old import X\ns = '''open\n", Unsure),
            ("from a.old import (X\n", Unsure),
            ("from a.ｏｌｄ import X\n", Unsure),
            ("x = import\n", Unsure),
            ("\u{feff}from a.old import X\n", Unsure),
            ("from .old import X\n", Relative),
        ] {
            assert_eq!(decided(source), Decision::Whole(why), "{source:?}");
        }
    }

    #[test]
    fn relative_imports_resolve_under_every_reading() {
        let here = ModuleLocation {
            module: DottedPath::parse("a.m").unwrap(),
            package: Some(DottedPath::parse("a").unwrap()),
            rooted: false,
        };
        let readings = [here];
        let source = "from .old import X\n";
        assert_eq!(
            decide_in(source, &readings),
            Decision::Statements(std::iter::once(0..source.len()).collect())
        );
        assert_eq!(decide_in("from .new import X\n", &readings), Decision::Skip);
        // Uses of a name whose import is rewritten in place need nothing.
        let source = "from . import old\nold.f()\n";
        assert_eq!(
            decide_in(source, &readings),
            Decision::Statements(std::iter::once(0..18).collect())
        );
    }

    #[test]
    fn indented_from_imports_in_plain_blocks_are_planned_one_by_one() {
        for source in [
            "def f():\n    from a.old import X\n    return X\n",
            "class C:\n    if TYPE_CHECKING:\n        from a.old import X\n",
            "with x:\n\tfrom a.old import (\nX,\n)\n",
        ] {
            let start = source.find("\n").unwrap() + 1;
            let start = source[start..].find("from").map(|at| {
                let at = start + at;
                source[..at].rfind('\n').unwrap() + 1
            });
            let Decision::Statements(pieces) = decided(source) else {
                panic!("{source:?}: {:?}", decided(source));
            };
            assert_eq!(pieces[0].start, start.unwrap(), "{source:?}");
        }
    }

    #[test]
    fn strings_that_cannot_name_a_move_do_not_force_a_parse() {
        // Docstrings and messages that use a moved name as a word are not references.
        let source = "from t import Callable\n\"\"\"Callable things; import them.\"\"\"\n\
                      msg = 'Callable: a thing'\n";
        assert!(
            matches!(decided(source), Decision::Statements(_)),
            "{source:?}"
        );
    }
}
