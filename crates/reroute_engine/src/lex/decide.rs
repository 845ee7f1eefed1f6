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

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

use super::imports::{LexImport, LexKind, read_imports};
use super::lexicon::Lexicon;
use super::tokens::{Kind, Token, tokenize_into};
use crate::layout::ModuleLocation;
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
    /// Strings or comments spell a moved name, which the whole-file path reads only inside
    /// a syntax error: parse the file; without one, skip it (no ranges) or plan these
    /// statements one by one; with one, plan it whole.
    UnlessErrors(Vec<Range<usize>>),
}

/// What the strings and comments of a file hold that the whole-file path could read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextHits {
    None,
    /// Runs in plain strings or comments: they matter only if the file has a syntax error.
    OnlyIfErrors,
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
        let decision = match tokenize_into(bytes, &mut tokens) {
            Some(_) => Decision::Whole(WholeReason::Unsure),
            None => decide_tokens(bytes, &tokens, lexicon, rules, place),
        };
        // A buffer grown by a huge file is not kept through the parse that may follow
        // (nor for the rest of the run).
        if tokens.capacity() > KEPT_TOKENS {
            *tokens = Vec::new();
        }
        decision
    })
}

/// The most tokens a worker's buffer keeps room for between files (1.5 MiB of tokens).
const KEPT_TOKENS: usize = 1 << 16;

/// The names bound by calls to `importorskip("m")` or `import_module("m")` (the shapes
/// that bind a module by assignment, `analyze::names::module_assignment`) whose module `m`
/// holds a move: the name before the `=` and the module, read like `import m as name`.
/// `Err` when such a call names a module that is moved itself, or a move's new home: only
/// the tree can tell what it does.
fn module_call_bindings<'a>(
    bytes: &'a [u8],
    tokens: &[Token],
    rules: &RuleSet,
) -> Result<Vec<(&'a [u8], DottedPath)>, WholeReason> {
    // The name alone: `importorskip ("numpy")` is the same call.
    let calls = [&b"importorskip"[..], b"import_module"];
    let mut bound = Vec::new();
    if !calls
        .iter()
        .any(|call| memchr::memmem::find(bytes, call).is_some())
    {
        return Ok(bound);
    }
    for (at, window) in tokens.windows(3).enumerate() {
        let [name, open, string] = window else {
            continue;
        };
        let called = &bytes[name.range()];
        if name.kind != Kind::Name
            || !matches!(called, b"importorskip" | b"import_module")
            || open.kind != Kind::Open
            || bytes[open.start()] != b'('
            || string.kind != Kind::Str
        {
            continue;
        }
        let text = &bytes[string.range()];
        let content: &[u8] = text
            .iter()
            .position(|b| matches!(b, b'"' | b'\''))
            .map_or(text, |at| &text[at..]);
        let quote = |b: &u8| matches!(b, b'"' | b'\'');
        let start = content
            .iter()
            .position(|b| !quote(b))
            .unwrap_or(content.len());
        let end = content
            .iter()
            .rposition(|b| !quote(b))
            .map_or(start, |at| at + 1);
        let content = &content[start..end.max(start)];
        let module = std::str::from_utf8(content)
            .ok()
            .and_then(DottedPath::parse);
        // Not a plain absolute path (escapes, leading dots): the tree binds nothing
        // either (`analyze::names::plain_string`).
        let Some(module) = module else {
            continue;
        };
        let moved = rules.resolve(&module).is_some()
            || (1..module.len()).any(|len| rules.resolve(&module.prefix(len)).is_some());
        // A module a move points to: a `try`/`except ImportError` pair binding it in both
        // branches is noted as a redundant fallback (`plan::fallbacks`).
        let a_new_home = rules.is_to_first(module.first().as_str())
            && rules.moves().iter().any(|m| module.starts_with(&m.to));
        if moved || a_new_home {
            return Err(WholeReason::Shape);
        }
        if !rules.has_move_under(&module) {
            continue;
        }
        // `name = importorskip(`, `name = pytest.importorskip(`: the name before the `=`
        // (any such name: binding one too many only sends more files whole).
        let qualified = at >= 2 && tokens[at - 1].kind == Kind::Dot;
        let before_call = if qualified { at - 2 } else { at };
        let target = before_call
            .checked_sub(2)
            .map(|i| (&tokens[i], &tokens[i + 1]))
            .filter(|(target, equals)| target.kind == Kind::Name && &bytes[equals.range()] == b"=");
        if let Some((target, _)) = target {
            bound.push((&bytes[target.range()], module));
        }
    }
    Ok(bound)
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
    // `np = importorskip("numpy")` binds a module without an import statement.
    let called = match module_call_bindings(bytes, tokens, rules) {
        Ok(called) => called,
        Err(reason) => return Decision::Whole(reason),
    };
    let file = LexFile {
        bytes,
        tokens,
        imports: &imports,
        lexicon,
        rules,
        place,
        moved_bindings: std::cell::OnceCell::new(),
        called: &called,
    };
    match file.references() {
        Ok((statements, TextHits::OnlyIfErrors)) => Decision::UnlessErrors(statements),
        Ok((statements, TextHits::None)) if statements.is_empty() => Decision::Skip,
        Ok((statements, TextHits::None)) => Decision::Statements(statements),
        Err(reason) => Decision::Whole(reason),
    }
}

/// Every name the file's imports bind, with every path it may be bound to.
pub(super) type Bindings<'a> = HashMap<&'a [u8], Vec<DottedPath>>;

pub(super) struct LexFile<'a, 'b> {
    pub(super) bytes: &'a [u8],
    pub(super) tokens: &'b [Token],
    pub(super) imports: &'b [LexImport<'a>],
    pub(super) lexicon: &'b Lexicon,
    pub(super) rules: &'b RuleSet,
    pub(super) place: &'b Place<'b>,
    /// The names imports bind to a path some move already covers (read lazily by the
    /// text check).
    pub(super) moved_bindings: std::cell::OnceCell<Vec<Vec<u8>>>,
    /// Names bound to a module by `importorskip` / `import_module` calls.
    pub(super) called: &'b [(&'a [u8], DottedPath)],
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
    fn references(&self) -> Result<(Vec<Range<usize>>, TextHits), WholeReason> {
        let bindings = self.bindings();
        let mut reaching = Vec::new();
        let mut guarded: Option<Vec<(usize, bool)>> = None;
        for import in self.imports {
            if self.reaches(import)? {
                reaching.push(import);
            } else if !self.at_line_start(import) && self.imports_a_to(import) {
                // A fallback that imports a move's new home is noted when its `try`
                // imports the same (`plan::fallbacks`): only the tree reads those blocks.
                let guarded = guarded.get_or_insert_with(|| self.guarded_lines());
                if self.in_guarded_block(guarded, import) {
                    return Err(WholeReason::Shape);
                }
            }
        }
        self.check_chains(&bindings)?;
        let text = self.check_text(&bindings)?;
        if reaching.is_empty() {
            return Ok((Vec::new(), text));
        }
        if self.has_suppression() {
            return Err(WholeReason::Suppression);
        }
        let guarded = guarded.unwrap_or_else(|| self.guarded_lines());
        let bound = self.local_counts();
        let statements = reaching
            .iter()
            .map(|import| self.alone(import, &guarded, &bound))
            .collect::<Result<_, _>>()?;
        Ok((statements, text))
    }

    /// The absolute modules a from-import's module may be (every relative reading).
    pub(super) fn modules(&self, dots: usize, module: &[&[u8]]) -> Vec<DottedPath> {
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
    pub(super) fn bindings(&self) -> Bindings<'_> {
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
        for (name, module) in self.called {
            bindings.entry(name).or_default().push(module.clone());
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
    pub(super) fn at_line_start(&self, import: &LexImport<'_>) -> bool {
        let first = self.tokens[import.tokens.start];
        first.start() == 0 || matches!(self.bytes[first.start() - 1], b'\n' | b'\r')
    }

    /// True when `import` imports a move's `to` or something under it.
    fn imports_a_to(&self, import: &LexImport<'_>) -> bool {
        let under_a_to = |path: &DottedPath| {
            let segments = path.segments();
            if !self
                .lexicon
                .words
                .to_firsts
                .contains(segments[0].as_str().as_bytes())
            {
                return false;
            }
            (1..=segments.len()).any(|len| {
                let prefix: Vec<&str> = segments[..len].iter().map(Identifier::as_str).collect();
                self.rules.tos().contains(prefix.join(".").as_bytes())
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
                        .is_some_and(|m| self.lexicon.words.to_firsts.contains(m)) =>
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
            // A chain reaches a move only from a name that starts a `from` or that an
            // import binds (`chain_reaches`): `self.x.y` and most others stop here, their
            // links read as non-starts (after a dot).
            let first = &self.bytes[token.range()];
            if !self.lexicon.may_reach(first) && !bindings.contains_key(first) {
                continue;
            }
            chain.clear();
            chain.push(first);
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
    pub(super) fn next_significant(&self, mut at: usize) -> usize {
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

    fn has_suppression(&self) -> bool {
        self.tokens.iter().any(|t| {
            t.kind == Kind::Comment && self.bytes[t.range()].windows(8).any(|w| w == b"reroute:")
        })
    }
}

#[cfg(test)]
#[path = "decide_tests.rs"]
mod tests;
