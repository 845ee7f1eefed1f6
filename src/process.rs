//! One file, start to finish: read → prefilter → parse → plan → apply edits → verify.
//!
//! Pure per-file work for the parallel stage: returns a [`FileOutcome`], prints nothing,
//! writes nothing.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use thiserror::Error;
use tree_sitter::Tree;

use std::time::Instant;

use crate::analyze::relative::readings_of;
use crate::analyze::{FileInput, FileModel};
use crate::edit::{EditConflict, apply_edits};
use crate::lex::{self, Decision, Lexicon, Place, WholeReason};
use crate::modules::ModuleResolver;
use crate::parse;
use crate::piecewise;
use crate::plan::{Finding, Plan, plan};
use crate::prefilter::Prefilter;
use crate::ruleset::RuleSet;
use crate::source::{self, Kind, LineIndex, SourceError};
use crate::spec::{DottedPath, Identifier};
use crate::stats::{Stage, Stats};
use crate::write::{FileStamp, read_regular};

/// Why a file could not be processed.
#[derive(Debug, Error)]
pub enum FileError {
    #[error("cannot read: {0}")]
    Read(std::io::Error),
    #[error(
        "the file has {size} bytes, over the limit of {limit}; exclude it, or raise --max-file-size (MB) if the memory is there (about a hundred times the file)"
    )]
    TooLarge { size: u64, limit: u64 },
    #[error("not a regular file (a FIFO, socket or device); skipped")]
    NotRegular,
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("tree-sitter could not parse the file; exclude it and report it as a bug")]
    Parse,
    #[error(transparent)]
    Conflict(#[from] EditConflict),
    #[error(
        "line {line}: the rewrite would add syntax errors ({before} before, {after} after); nothing was written. This is a reroute bug: please report it with this file"
    )]
    IntroducedSyntaxErrors {
        before: usize,
        after: usize,
        line: usize,
    },
    #[error("cannot write: {0}")]
    Write(#[from] crate::write::WriteError),
    #[error("internal error: {0}; please report it with this file")]
    Panic(String),
}

/// Something worth telling about a file that does not change the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The file has a syntax error; imports outside it were still processed.
    SyntaxError { line: usize },
    /// A NUL byte in the first 8 KiB: treated as binary and left untouched.
    Binary,
    /// Written with `--break-hardlinks`: the file's other names keep the old text.
    HardLinksBroken { links: u64 },
    /// Written, but the owner or group could not be kept (only root can give a file away).
    OwnerNotKept { was: (u32, u32), now: (u32, u32) },
}

impl Warning {
    /// The message both renderers show for the warnings that come from writing.
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

#[derive(Debug)]
pub enum FileStatus {
    /// No moved name can occur in the file (prefilter), or it is binary.
    Skipped,
    /// Parsed; nothing to rewrite (may still hold findings that need a person).
    Unchanged,
    /// Edits planned and verified; `updated` is what `apply` writes.
    Changed {
        original: Vec<u8>,
        updated: Vec<u8>,
        edits: usize,
    },
    /// `apply` wrote `updated` (the bytes are dropped once written).
    Written {
        edits: usize,
    },
    Failed(FileError),
    /// `apply` was interrupted (SIGINT, SIGTERM) before this file was processed.
    NotProcessed,
}

#[derive(Debug)]
pub struct FileOutcome {
    pub path: PathBuf,
    pub status: FileStatus,
    pub findings: Vec<Finding>,
    pub warnings: Vec<Warning>,
    /// The file's metadata when it was read (`apply` checks it again before writing).
    pub stamp: Option<FileStamp>,
}

impl FileOutcome {
    pub fn is_failed(&self) -> bool {
        matches!(self.status, FileStatus::Failed(_))
    }
}

/// Settings the per-file stage needs.
pub struct ProcessContext<'a> {
    pub rules: &'a RuleSet,
    pub prefilter: &'a Prefilter,
    pub modules: &'a ModuleResolver,
    pub mentions: bool,
    /// Larger files are a per-file error, in bytes.
    pub max_file_size: u64,
    /// Folder that `exclude` globs are relative to.
    pub base: &'a Path,
    /// Stage 2 (`lex`): decides before parsing; `None` parses every file whole
    /// (`REROUTE_FULL_PARSE=1`).
    pub lexicon: Option<&'a Lexicon>,
    /// Reparse the whole rewritten file when it was planned statement by statement
    /// (`apply`: never write a file that parses with more errors than it had). `check` and
    /// `diff` trust the pieces' own reparse: a whole parse of every changed file would cost
    /// them what stage 2 saves.
    pub verify_whole: bool,
    pub stats: &'a Stats,
}

/// What a run's `ProcessContext` borrows besides the settings: the byte filter and stage
/// 2, compiled once from the rules, and the `--stats` counters.
pub struct Stages {
    pub prefilter: Prefilter,
    pub lexicon: Lexicon,
    pub stats: Stats,
}

impl Stages {
    pub fn new(rules: &RuleSet, mentions: bool) -> Stages {
        Stages {
            prefilter: Prefilter::new(rules),
            lexicon: Lexicon::new(rules, mentions),
            stats: Stats::default(),
        }
    }

    /// The per-file context of a run with `settings`.
    pub fn context<'a>(
        &'a self,
        settings: &'a crate::config::Settings,
        modules: &'a ModuleResolver,
    ) -> ProcessContext<'a> {
        ProcessContext {
            rules: &settings.rules,
            prefilter: &self.prefilter,
            modules,
            mentions: settings.mentions,
            max_file_size: settings.max_file_size,
            base: &settings.cwd,
            lexicon: (!settings.full_parse).then_some(&self.lexicon),
            verify_whole: settings.mode == crate::report::Mode::Apply,
            stats: &self.stats,
        }
    }
}

/// Processes one file: read → prefilter → parse → analyse → plan → edit → verify.
pub fn process_file(context: &ProcessContext<'_>, path: &Path) -> FileOutcome {
    let mut outcome = FileOutcome {
        path: path.to_path_buf(),
        status: FileStatus::Skipped,
        findings: Vec::new(),
        warnings: Vec::new(),
        stamp: None,
    };
    let started = Instant::now();
    Stats::count(&context.stats.files);
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if size > context.max_file_size {
        outcome.status = FileStatus::Failed(FileError::TooLarge {
            size,
            limit: context.max_file_size,
        });
        return outcome;
    }
    let bytes = match read_regular(path) {
        Ok(Some((bytes, stamp))) => {
            outcome.stamp = Some(stamp);
            bytes
        }
        Ok(None) => {
            outcome.status = FileStatus::Failed(FileError::NotRegular);
            return outcome;
        }
        Err(error) => {
            outcome.status = FileStatus::Failed(FileError::Read(error));
            return outcome;
        }
    };
    context
        .stats
        .bytes
        .fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
    context.stats.time(Stage::Read, started);
    if source::kind(&bytes) == Kind::Binary {
        outcome.warnings.push(Warning::Binary);
        return outcome;
    }
    let started = Instant::now();
    // A file a module move carried into its `to` may need its relative imports respelled
    // though it names no moved path.
    let may_match = context.prefilter.may_match(&bytes) || may_be_moved_file(context, path);
    context.stats.time(Stage::Prefilter, started);
    if !may_match {
        return outcome;
    }
    Stats::count(&context.stats.passed_bytes_filter);
    match process_bytes(context, path, bytes, &mut outcome) {
        Ok(status) => outcome.status = status,
        Err(error) => outcome.status = FileStatus::Failed(error),
    }
    outcome
}

thread_local! {
    /// Set while a worker processes one file: a panic there becomes that file's error.
    static IN_FILE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps panics inside per-file processing quiet (they are reported as that file's error
/// by the one renderer); any other panic prints as usual.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !IN_FILE.with(|flag| flag.get()) {
            default(info);
        }
    }));
}

/// The outcome of a file that an interrupted run never processed.
pub fn not_processed(path: &Path) -> FileOutcome {
    FileOutcome {
        path: path.to_path_buf(),
        status: FileStatus::NotProcessed,
        findings: Vec::new(),
        warnings: Vec::new(),
        stamp: None,
    }
}

/// The text a caught panic carried.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

/// `process_file`, with a panic turned into a per-file failure (one bad file never stops
/// the run).
pub fn process_guarded(context: &ProcessContext<'_>, path: &Path) -> FileOutcome {
    IN_FILE.with(|flag| flag.set(true));
    let result = catch_unwind(AssertUnwindSafe(|| process_file(context, path)));
    IN_FILE.with(|flag| flag.set(false));
    match result {
        Ok(outcome) => outcome,
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            FileOutcome {
                path: path.to_path_buf(),
                status: FileStatus::Failed(FileError::Panic(message)),
                findings: Vec::new(),
                warnings: Vec::new(),
                stamp: None,
            }
        }
    }
}

/// Plans and verifies the rewrite of `bytes` (the content of `path`).
pub fn process_bytes(
    context: &ProcessContext<'_>,
    path: &Path,
    bytes: Vec<u8>,
    outcome: &mut FileOutcome,
) -> Result<FileStatus, FileError> {
    source::check_encoding(&bytes)?;
    match staged(context, path, &bytes) {
        Staged::Skip => return Ok(FileStatus::Unchanged),
        Staged::Planned(plan) => {
            let edits = plan.edits.len();
            let updated = apply_edits(&bytes, &plan.edits)?;
            if edits == 0 || updated == bytes {
                outcome.findings = plan.findings;
                return Ok(FileStatus::Unchanged);
            }
            // `apply` parses the rewritten file whole: clean, the file had no syntax error
            // either (the pieces changed only lines that parse alone), and the whole-file
            // path would plan the same. Otherwise that path decides, warnings and all.
            let started = Instant::now();
            let clean = !context.verify_whole || verify(&bytes, &plan, 0, None).is_ok();
            context.stats.time(Stage::Verify, started);
            if clean {
                outcome.findings = plan.findings;
                Stats::count(&context.stats.changed);
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
    let (mut plan, errors_before, tree) = plan_file(context, path, &bytes, true, outcome)?;
    context.stats.time(Stage::Plan, started);
    let started = Instant::now();
    let mut verified = verify(&bytes, &plan, errors_before, Some(tree));
    if matches!(verified, Err(FileError::IntroducedSyntaxErrors { .. })) && errors_before > 0 {
        // An import planned on its own inside a syntax error did not fit back in: those
        // are reported instead, and the rest of the file is still rewritten.
        outcome
            .warnings
            .retain(|w| !matches!(w, Warning::SyntaxError { .. }));
        let tree;
        (plan, _, tree) = plan_file(context, path, &bytes, false, outcome)?;
        verified = verify(&bytes, &plan, errors_before, Some(tree));
    }
    context.stats.time(Stage::Verify, started);
    let edits = plan.edits.len();
    outcome.findings = plan.findings;
    let updated = verified?;
    if edits == 0 || updated == bytes {
        return Ok(FileStatus::Unchanged);
    }
    Stats::count(&context.stats.changed);
    Ok(FileStatus::Changed {
        original: bytes,
        updated,
        edits,
    })
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

/// Asks stage 2 (`lex`) about `bytes` and plans them statement by statement when it can.
fn staged(context: &ProcessContext<'_>, path: &Path, bytes: &[u8]) -> Staged {
    let stats = context.stats;
    let asked = context
        .lexicon
        .filter(|_| declares_utf8(bytes) && !may_be_moved_file(context, path));
    let Some(lexicon) = asked else {
        Stats::count(&stats.whole_unasked);
        return Staged::Whole;
    };
    let started = Instant::now();
    let absolute = absolute_path(context.base, path);
    let (module, package) = module_names(path);
    let location = context.modules.locate(&absolute);
    let readings = readings_of(location.as_ref(), module.as_ref(), package.as_ref());
    let place = Place {
        readings: &readings,
        located: location.is_some(),
    };
    let decision = lex::decide(bytes, lexicon, context.rules, &place);
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
    let active = context.rules.active_for(&absolute);
    let piece_context = piecewise::Context {
        rules: context.rules,
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

/// True when the file's path (as far as it tells its module) holds the `to` of a module
/// move: it may have been moved there (`plan::moved_file`).
fn may_be_moved_file(context: &ProcessContext<'_>, path: &Path) -> bool {
    // Cheap first: some folder above the file is named like the first segment of a `to`.
    let is_to_first = |c: std::path::Component<'_>| {
        c.as_os_str()
            .to_str()
            .is_some_and(|name| context.rules.is_to_first(name))
    };
    let named = path
        .parent()
        .is_some_and(|f| f.components().any(is_to_first))
        || (path.is_relative() && context.base.components().any(is_to_first))
        || path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .is_some_and(|stem| context.rules.is_to_first(stem));
    named
        && module_names(path)
            .0
            .is_some_and(|module| context.rules.may_hold_moved_file(&module))
}

/// Parses and plans `bytes`; returns the plan and the file's syntax error count.
fn plan_file(
    context: &ProcessContext<'_>,
    path: &Path,
    bytes: &[u8],
    rewrite_in_errors: bool,
    outcome: &mut FileOutcome,
) -> Result<(Plan, usize, Tree), FileError> {
    // The tree is kept for the reparse of the rewritten file (incremental: what did not
    // change is reused, not parsed again).
    let tree = parse::parse(bytes).ok_or(FileError::Parse)?;
    let errors_before = parse::error_count(&tree);
    if errors_before > 0 {
        let line = parse::first_error_line(&tree).unwrap_or(0) + 1;
        outcome.warnings.push(Warning::SyntaxError { line });
    }
    let lines = LineIndex::new(bytes);
    let absolute = absolute_path(context.base, path);
    let active = context.rules.active_for(&absolute);
    let (module, package) = module_names(path);
    let location = context.modules.locate(&absolute);
    let input = FileInput {
        bytes,
        tree: &tree,
        lines: &lines,
        rules: context.rules,
        active: &active,
        module,
        package,
        location,
        is_utf8: declares_utf8(bytes),
        mentions: context.mentions,
        rewrite_in_errors,
        disk: Some((&absolute, context.modules)),
    };
    let plan = plan(&FileModel::new(input));
    Ok((plan, errors_before, tree))
}

/// Applies the plan and reparses (incrementally from `tree`, the tree of `bytes`, when
/// given): the rewritten bytes, unless they parse with more errors than the file had.
fn verify(
    bytes: &[u8],
    plan: &Plan,
    errors_before: usize,
    tree: Option<Tree>,
) -> Result<Vec<u8>, FileError> {
    if plan.edits.is_empty() {
        return Ok(Vec::new());
    }
    let updated = apply_edits(bytes, &plan.edits)?;
    let new_tree = match tree {
        Some(tree) => parse::reparse(tree, bytes, &updated, &plan.edits),
        None => parse::parse(&updated),
    }
    .ok_or(FileError::Parse)?;
    let errors_after = parse::error_count(&new_tree);
    if errors_after > errors_before {
        return Err(FileError::IntroducedSyntaxErrors {
            before: errors_before,
            after: errors_after,
            line: parse::first_error_line(&new_tree).unwrap_or(0) + 1,
        });
    }
    Ok(updated)
}

/// `path` made absolute against `base` (the current folder), without `.` components.
pub fn absolute_path(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    joined
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
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
