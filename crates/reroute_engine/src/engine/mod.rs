//! The engine's entry: one file's bytes, its path, a compiled rule set and the project's
//! [`Layout`] → a [`FileResult`] (status, findings, warnings, and the rewrites that link
//! each finding to its edits). Bytes in, bytes out: no file is read or written here, and a
//! panic inside is caught and becomes the file's error.
//!
//! The steps: binary check → byte filter (`prefilter`) → stage 2 (`lex`, planning
//! statement by statement through `piecewise` when it can; `file`) → parse and plan whole
//! (`analyze`, `plan`) → apply the edits → reparse (never more syntax errors than before).

mod file;
mod result;

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Instant;

use crate::analyze::relative::readings_of;
use crate::layout::Layout;
use crate::lex::Lexicon;
use crate::prefilter::Prefilter;
use crate::project::ProjectModel;
use crate::ruleset::RuleSet;
use crate::source::{self, Kind};
use crate::spec::{DottedPath, Identifier};
use crate::stats::{Stage, Stats};

pub use result::{EngineError, FileResult, FileStatus, Warning};

use file::FileContext;

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
    /// With a project model, every file's imports of first-party modules are checked too.
    project: Option<ProjectModel>,
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
            project: None,
        }
    }

    /// Also reports every import of a first-party module or name that `project` says
    /// does not exist (`unresolved-import`), in every file, whatever the rules say.
    pub fn with_project(mut self, project: ProjectModel) -> Engine {
        self.project = Some(project);
        self
    }

    /// The project model of the unresolved-import check, when it is on.
    pub fn project(&self) -> Option<&ProjectModel> {
        self.project.as_ref()
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
            let unresolved = self
                .project
                .as_ref()
                .filter(|_| source::kind(&bytes) != Kind::Binary);
            let unresolved = unresolved.map(|project| {
                let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
                crate::unresolved::find(&absolute, &bytes, layout, project, &self.rules)
            });
            let mut result = self.process_unguarded(path, bytes, layout, stats);
            // Appended: the rewrites point at the findings before them by index.
            result.findings.extend(unresolved.into_iter().flatten());
            result
        }));
        IN_ENGINE.with(|flag| flag.set(was));
        result.unwrap_or_else(|payload| {
            let message = panic_message(payload.as_ref());
            FileResult::new(FileStatus::Failed(EngineError::Panic(message)))
        })
    }

    fn process_unguarded(
        &self,
        path: &Path,
        bytes: Vec<u8>,
        layout: &dyn Layout,
        stats: &Stats,
    ) -> FileResult {
        let mut result = FileResult::new(FileStatus::Skipped);
        if source::kind(&bytes) == Kind::Binary {
            result.warnings.push(Warning::Binary);
            return result;
        }
        let started = Instant::now();
        // A file a module move carried into its `to` may need its relative imports
        // respelled though it names no moved path.
        let may_match = self
            .prefilter
            .may_match(&bytes, |dots| self.relative_may_reach(path, layout, dots))
            || self.may_be_moved_file(path);
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

    /// True when a relative import of at most `dots` dots in the file at `path` may reach
    /// a move, or be noted as unresolved (`plan::errors`): the file has no package that
    /// holds that many dots, or some reading of its place (`readings_of`) is a package
    /// whose first segment starts a `from` or a `to`, which every path it resolves to
    /// starts with.
    fn relative_may_reach(&self, path: &Path, layout: &dyn Layout, dots: usize) -> bool {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let Some(location) = layout.locate(&absolute) else {
            return true;
        };
        if location.package.as_ref().is_none_or(|p| dots > p.len()) {
            return true;
        }
        let (module, package) = module_names(path);
        readings_of(Some(&location), module.as_ref(), package.as_ref())
            .iter()
            .filter_map(|reading| reading.package.as_ref())
            .any(|package| self.prefilter.is_first(package.first().as_str()))
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

/// The text a caught panic carried.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
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
