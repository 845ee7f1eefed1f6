//! The engine's entry: one file's bytes, its path, a compiled rule set and the project's
//! [`Layout`] → a [`FileResult`] (status, findings, warnings, and the rewrites that link
//! each finding to its edits). Bytes in, bytes out: no file is read or written here, and a
//! panic inside is caught and becomes the file's error.
//!
//! The steps: binary check → byte filter (`prefilter`) → stage 2 (`lex`, planning
//! statement by statement through `piecewise` when it can) → parse and plan whole
//! (`analyze`, `plan`) → apply the edits → reparse (never more syntax errors than before).

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Instant;

use thiserror::Error;
use tree_sitter::Tree;

use crate::analyze::relative::readings_of;
use crate::analyze::{FileInput, FileModel};
use crate::edit::{EditConflict, apply_edits};
use crate::layout::Layout;
use crate::lex::{self, Decision, Lexicon, Place, WholeReason};
use crate::parse;
use crate::piecewise;
use crate::plan::{Finding, Plan, Rewrite, plan};
use crate::prefilter::Prefilter;
use crate::ruleset::RuleSet;
use crate::source::{self, Kind, LineIndex, SourceError};
use crate::spec::{DottedPath, Identifier};
use crate::stats::{Stage, Stats};

/// Why the engine could not process a file's bytes.
#[derive(Debug, Error)]
pub enum EngineError {
    /// The bytes are not text the engine can rewrite (an encoding problem).
    #[error(transparent)]
    Source(#[from] SourceError),
    /// tree-sitter gave no tree.
    #[error("tree-sitter could not parse the file; exclude it and report it as a bug")]
    Parse,
    /// Two planned edits overlap (a planner bug).
    #[error(transparent)]
    Conflict(#[from] EditConflict),
    /// The rewrite parses with more errors than the file had; nothing is to be written.
    #[error(
        "line {line}: the rewrite would add syntax errors ({before} before, {after} after); nothing was written. This is a reroute bug: please report it with this file"
    )]
    IntroducedSyntaxErrors {
        /// Syntax errors in the file as it was.
        before: usize,
        /// Syntax errors in the rewritten file.
        after: usize,
        /// 1-based line of the first error in the rewritten file.
        line: usize,
    },
    /// A panic inside the engine, caught at its entry.
    #[error("internal error: {0}; please report it with this file")]
    Panic(String),
}

/// Something worth telling about a file that does not change the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The file has a syntax error; imports outside it were still processed.
    SyntaxError {
        /// 1-based line of the first error.
        line: usize,
    },
    /// A NUL byte in the first 8 KiB: treated as binary and left untouched.
    Binary,
    /// Written with `--break-hardlinks` (a warning of the run's writing, never of the
    /// engine): the file's other names keep the old text.
    HardLinksBroken {
        /// How many names the file had.
        links: u64,
    },
    /// Written, but the owner or group could not be kept (only root can give a file away).
    OwnerNotKept {
        /// Owner and group before.
        was: (u32, u32),
        /// Owner and group now.
        now: (u32, u32),
    },
}

impl Warning {
    /// The message the formats show for the warnings that come from writing.
    pub fn write_message(&self) -> Option<String> {
        match self {
            Warning::HardLinksBroken { links } => {
                let others = links - 1;
                let (noun, verb) = if others == 1 {
                    ("name", "keeps")
                } else {
                    ("names", "keep")
                };
                Some(format!(
                    "had {links} hard links; written anyway (--break-hardlinks): the other {others} {noun} {verb} the old text"
                ))
            }
            Warning::OwnerNotKept { was, now } => Some(format!(
                "owner and group not kept: was {}:{}, now {}:{} (only root can give a file to another user or a group it is not in)",
                was.0, was.1, now.0, now.1
            )),
            Warning::SyntaxError { .. } | Warning::Binary => None,
        }
    }
}

/// What the engine made of a file.
#[derive(Debug)]
pub enum FileStatus {
    /// No moved name can occur in it (byte filter, stage 2), or it is binary.
    Skipped,
    /// Planned; nothing to rewrite (it may still hold findings that need a person).
    Unchanged,
    /// Edits planned and verified.
    Changed {
        /// The bytes as they were.
        original: Vec<u8>,
        /// The rewritten bytes.
        updated: Vec<u8>,
        /// How many edits made them.
        edits: usize,
    },
    /// It could not be processed.
    Failed(EngineError),
}

/// The engine's answer for one file.
#[derive(Debug)]
pub struct FileResult {
    /// What happened to the file.
    pub status: FileStatus,
    /// Sorted by offset.
    pub findings: Vec<Finding>,
    /// In the order found.
    pub warnings: Vec<Warning>,
    /// Each rewrite links findings (indices into `findings`) to the edits made for them.
    pub rewrites: Vec<Rewrite>,
}

/// What an engine does besides rewriting imports.
#[derive(Debug, Clone, Copy, Default)]
pub struct EngineOptions {
    /// Also report mentions (strings and comments that spell a moved path).
    pub mentions: bool,
    /// Parse every file whole, never deciding before parsing (stage 2 off).
    pub full_parse: bool,
    /// Reparse the whole rewritten file even when it was planned statement by statement
    /// (what `apply` needs: never write a file with more syntax errors than it had).
    pub verify_whole: bool,
}

/// A compiled rule set with its byte filter and stage 2 tables, built once and used for
/// every file (from any number of threads).
pub struct Engine {
    rules: RuleSet,
    prefilter: Prefilter,
    lexicon: Lexicon,
    options: EngineOptions,
}

thread_local! {
    /// Set while this thread is inside [`Engine::process`].
    static IN_ENGINE: Cell<bool> = const { Cell::new(false) };
}

/// True while the current thread runs [`Engine::process`]: a host's panic hook can stay
/// quiet then, since the engine turns the panic into the file's error.
pub fn is_processing() -> bool {
    IN_ENGINE.with(Cell::get)
}

impl Engine {
    /// Compiles the filters of `rules`.
    pub fn new(rules: RuleSet, options: EngineOptions) -> Engine {
        Engine {
            prefilter: Prefilter::new(&rules),
            lexicon: Lexicon::new(&rules, options.mentions),
            rules,
            options,
        }
    }

    /// The rule set.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The options.
    pub fn options(&self) -> EngineOptions {
        self.options
    }

    /// Rewrites `bytes`, the content of the file at `path` (absolute, or relative to the
    /// folder the codemods' `exclude` patterns are written against). `layout` answers
    /// what the project holds; `stats` gathers the funnel. A panic becomes
    /// [`EngineError::Panic`].
    pub fn process(
        &self,
        path: &Path,
        bytes: Vec<u8>,
        layout: &dyn Layout,
        stats: &Stats,
    ) -> FileResult {
        let was = IN_ENGINE.with(|flag| flag.replace(true));
        let result = catch_unwind(AssertUnwindSafe(|| {
            self.process_unguarded(path, bytes, layout, stats)
        }));
        IN_ENGINE.with(|flag| flag.set(was));
        result.unwrap_or_else(|payload| FileResult {
            status: FileStatus::Failed(EngineError::Panic(panic_message(payload.as_ref()))),
            findings: Vec::new(),
            warnings: Vec::new(),
            rewrites: Vec::new(),
        })
    }

    fn process_unguarded(
        &self,
        path: &Path,
        bytes: Vec<u8>,
        layout: &dyn Layout,
        stats: &Stats,
    ) -> FileResult {
        let mut result = FileResult {
            status: FileStatus::Skipped,
            findings: Vec::new(),
            warnings: Vec::new(),
            rewrites: Vec::new(),
        };
        if source::kind(&bytes) == Kind::Binary {
            result.warnings.push(Warning::Binary);
            return result;
        }
        let started = Instant::now();
        // A file a module move carried into its `to` may need its relative imports
        // respelled though it names no moved path.
        let may_match = self.prefilter.may_match(&bytes) || self.may_be_moved_file(path);
        stats.time(Stage::Prefilter, started);
        if !may_match {
            return result;
        }
        Stats::count(&stats.passed_bytes_filter);
        let file = FileContext {
            engine: self,
            path,
            layout,
            stats,
        };
        result.status = match file.process_bytes(bytes, &mut result) {
            Ok(status) => status,
            Err(error) => FileStatus::Failed(error),
        };
        result
    }

    /// True when the file's path (as far as it tells its module) holds the `to` of a
    /// module move: it may have been moved there (`plan::moved_file`).
    fn may_be_moved_file(&self, path: &Path) -> bool {
        // Cheap first: some folder above the file is named like the first segment of a `to`.
        let is_to_first = |c: std::path::Component<'_>| {
            c.as_os_str()
                .to_str()
                .is_some_and(|name| self.rules.is_to_first(name))
        };
        let named = path
            .parent()
            .is_some_and(|f| f.components().any(is_to_first))
            || path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .is_some_and(|stem| self.rules.is_to_first(stem));
        named
            && module_names(path)
                .0
                .is_some_and(|module| self.rules.may_hold_moved_file(&module))
    }
}

/// One file being processed.
struct FileContext<'a> {
    engine: &'a Engine,
    /// As the caller gave it (may be relative).
    path: &'a Path,
    layout: &'a dyn Layout,
    stats: &'a Stats,
}

/// What stage 2 made of a file.
enum Staged {
    /// Nothing in it can reach a move.
    Skip,
    /// Planned statement by statement.
    Planned(Plan),
    /// Parse and plan it whole.
    Whole,
}

impl FileContext<'_> {
    fn absolute(&self) -> PathBuf {
        std::path::absolute(self.path).unwrap_or_else(|_| self.path.to_path_buf())
    }

    /// Plans and verifies the rewrite of `bytes`.
    fn process_bytes(
        &self,
        bytes: Vec<u8>,
        result: &mut FileResult,
    ) -> Result<FileStatus, EngineError> {
        source::check_encoding(&bytes)?;
        match self.staged(&bytes) {
            Staged::Skip => return Ok(FileStatus::Unchanged),
            Staged::Planned(plan) => {
                let edits = plan.edits.len();
                let updated = apply_edits(&bytes, &plan.edits)?;
                if edits == 0 || updated == bytes {
                    keep(result, plan);
                    return Ok(FileStatus::Unchanged);
                }
                // `apply` parses the rewritten file whole: clean, the file had no syntax
                // error either (the pieces changed only lines that parse alone), and the
                // whole-file path would plan the same. Otherwise that path decides,
                // warnings and all.
                let started = Instant::now();
                let clean =
                    !self.engine.options.verify_whole || verify(&bytes, &plan, 0, None).is_ok();
                self.stats.time(Stage::Verify, started);
                if clean {
                    keep(result, plan);
                    Stats::count(&self.stats.changed);
                    return Ok(FileStatus::Changed {
                        original: bytes,
                        updated,
                        edits,
                    });
                }
            }
            Staged::Whole => {}
        }
        let started = Instant::now();
        let (mut plan, errors_before, tree) = self.plan_file(&bytes, true, result)?;
        self.stats.time(Stage::Plan, started);
        let started = Instant::now();
        let mut verified = verify(&bytes, &plan, errors_before, Some(tree));
        if matches!(verified, Err(EngineError::IntroducedSyntaxErrors { .. })) && errors_before > 0
        {
            // An import planned on its own inside a syntax error did not fit back in:
            // those are reported instead, and the rest of the file is still rewritten.
            result
                .warnings
                .retain(|w| !matches!(w, Warning::SyntaxError { .. }));
            let tree;
            (plan, _, tree) = self.plan_file(&bytes, false, result)?;
            verified = verify(&bytes, &plan, errors_before, Some(tree));
        }
        self.stats.time(Stage::Verify, started);
        let edits = plan.edits.len();
        keep(result, plan);
        let updated = verified?;
        if edits == 0 || updated == bytes {
            return Ok(FileStatus::Unchanged);
        }
        Stats::count(&self.stats.changed);
        Ok(FileStatus::Changed {
            original: bytes,
            updated,
            edits,
        })
    }

    /// Asks stage 2 (`lex`) about `bytes` and plans them statement by statement when it can.
    fn staged(&self, bytes: &[u8]) -> Staged {
        let stats = self.stats;
        let rules = &self.engine.rules;
        let asked = (!self.engine.options.full_parse)
            .then_some(&self.engine.lexicon)
            .filter(|_| declares_utf8(bytes) && !self.engine.may_be_moved_file(self.path));
        let Some(lexicon) = asked else {
            Stats::count(&stats.whole_unasked);
            return Staged::Whole;
        };
        let started = Instant::now();
        let absolute = self.absolute();
        let (module, package) = module_names(self.path);
        let location = self.layout.locate(&absolute);
        let readings = readings_of(location.as_ref(), module.as_ref(), package.as_ref());
        let place = Place {
            readings: &readings,
            located: location.is_some(),
        };
        let decision = lex::decide(bytes, lexicon, rules, &place);
        stats.time(Stage::Lex, started);
        let pieces = match decision {
            Decision::Skip => {
                Stats::count(&stats.lexer_skipped);
                return Staged::Skip;
            }
            Decision::Whole(reason) => {
                stats.whole(reason);
                return Staged::Whole;
            }
            Decision::Statements(pieces) => pieces,
        };
        let started = Instant::now();
        let active = rules.active_for(&absolute);
        let piece_context = piecewise::Context {
            rules,
            active: &active,
            module,
            package,
            location,
        };
        let planned = piecewise::plan_statements(&piece_context, bytes, &pieces);
        stats.time(Stage::Plan, started);
        match planned {
            Some(plan) => {
                Stats::count(&stats.by_statement);
                Staged::Planned(plan)
            }
            None => {
                stats.whole(WholeReason::Shape);
                Staged::Whole
            }
        }
    }

    /// Parses and plans `bytes`; returns the plan and the file's syntax error count.
    fn plan_file(
        &self,
        bytes: &[u8],
        rewrite_in_errors: bool,
        result: &mut FileResult,
    ) -> Result<(Plan, usize, Tree), EngineError> {
        // The tree is kept for the reparse of the rewritten file (incremental: what did not
        // change is reused, not parsed again).
        let tree = parse::parse(bytes).ok_or(EngineError::Parse)?;
        let errors_before = parse::error_count(&tree);
        if errors_before > 0 {
            let line = parse::first_error_line(&tree).unwrap_or(0) + 1;
            result.warnings.push(Warning::SyntaxError { line });
        }
        let lines = LineIndex::new(bytes);
        let absolute = self.absolute();
        let rules = &self.engine.rules;
        let active = rules.active_for(&absolute);
        let (module, package) = module_names(self.path);
        let location = self.layout.locate(&absolute);
        let input = FileInput {
            bytes,
            tree: &tree,
            lines: &lines,
            rules,
            active: &active,
            module,
            package,
            location,
            is_utf8: declares_utf8(bytes),
            mentions: self.engine.options.mentions,
            rewrite_in_errors,
            disk: Some((&absolute, self.layout)),
        };
        let plan = plan(&FileModel::new(input));
        Ok((plan, errors_before, tree))
    }
}

/// Moves the plan's findings and rewrites into the result.
fn keep(result: &mut FileResult, plan: Plan) {
    result.findings = plan.findings;
    result.rewrites = plan.rewrites;
}

/// Applies the plan and reparses (incrementally from `tree`, the tree of `bytes`, when
/// given): the rewritten bytes, unless they parse with more errors than the file had.
fn verify(
    bytes: &[u8],
    plan: &Plan,
    errors_before: usize,
    tree: Option<Tree>,
) -> Result<Vec<u8>, EngineError> {
    if plan.edits.is_empty() {
        return Ok(Vec::new());
    }
    let updated = apply_edits(bytes, &plan.edits)?;
    let new_tree = match tree {
        Some(tree) => parse::reparse(tree, bytes, &updated, &plan.edits),
        None => parse::parse(&updated),
    }
    .ok_or(EngineError::Parse)?;
    let errors_after = parse::error_count(&new_tree);
    if errors_after > errors_before {
        return Err(EngineError::IntroducedSyntaxErrors {
            before: errors_before,
            after: errors_after,
            line: parse::first_error_line(&new_tree).unwrap_or(0) + 1,
        });
    }
    Ok(updated)
}

/// The text a caught panic carried.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

/// True unless the file's coding cookie names something other than UTF-8.
fn declares_utf8(bytes: &[u8]) -> bool {
    source::declared_encoding(bytes).is_none_or(|name| {
        let name = name.to_ascii_lowercase().replace('_', "-");
        matches!(name.as_str(), "utf-8" | "utf8" | "utf-8-sig" | "u8")
    })
}

/// The file's module name as far as the path tells (all trailing path components that are
/// identifiers; `pkg/__init__.py` is `pkg`), and the package relative imports start from.
/// Both are suffix-trusted only: the planner matches module paths against their ends.
pub fn module_names(path: &Path) -> (Option<DottedPath>, Option<DottedPath>) {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let stem = absolute
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned());
    let is_init = stem.as_deref() == Some("__init__");
    let mut parts: Vec<Identifier> = Vec::new();
    let mut stem_is_name = true;
    if let Some(stem) = stem.as_deref().filter(|_| !is_init) {
        match Identifier::parse(stem) {
            Some(id) => parts.push(id),
            None => stem_is_name = false,
        }
    }
    let dirs: Vec<Identifier> = absolute
        .parent()
        .into_iter()
        .flat_map(|p| p.components().rev())
        .map_while(|c| Identifier::parse(&c.as_os_str().to_string_lossy()))
        .collect();
    let package_parts: Vec<Identifier> = dirs.iter().rev().cloned().collect();
    let mut module_parts = package_parts.clone();
    module_parts.extend(parts);
    let module = if stem_is_name {
        DottedPath::from_segments(module_parts)
    } else {
        None
    };
    (module, DottedPath::from_segments(package_parts))
}
