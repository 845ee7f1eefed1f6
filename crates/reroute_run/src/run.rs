//! A whole run as a library call: walk the paths, work out the moves' targets, process
//! every file in parallel with the engine, write (`apply`, with its safety), and return
//! the [`Report`]. No printing, no signal handler: the caller renders the report, shows
//! progress through [`Progress`], and sets the [`Interrupt`] flag from its own handlers.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use reroute_engine::{Engine, EngineOptions, Fix, RuleSet, Stats};
use thiserror::Error;

use crate::discover::{self, Discovery, WalkOptions};
use crate::layout::DiskLayout;
use crate::outcome::FileOutcome;
use crate::paths::absolute_path;
use crate::process::{ProcessContext, process_bytes, process_file};
use crate::report::{Mode, Report};
use crate::shard::{self, Shard};
use crate::write::{Interrupt, SignalAt, WriteOptions, Writer};
use reroute_engine::targets::{self, TargetProblem};

/// Everything a run of `diff`, `apply` or `check` needs besides the rules.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// What is asked.
    pub mode: Mode,
    /// The folder relative paths are taken from.
    pub cwd: PathBuf,
    /// The project's folder (entry points, shards and the target check start there).
    pub project_root: PathBuf,
    /// What to process, as given.
    pub paths: Vec<PathBuf>,
    /// `--exclude` patterns (gitignore syntax).
    pub exclude: Vec<String>,
    /// Also walk what ignore files hide.
    pub no_ignore: bool,
    /// Also extensionless files whose first line is a Python shebang.
    pub include_scripts: bool,
    /// Worker threads; 0 = one per CPU.
    pub threads: usize,
    /// What the engine does besides rewriting (`verify_whole` is set for `apply`).
    pub engine: EngineOptions,
    /// Check that every move's `to` exists where the processed tree holds its package.
    pub target_check: bool,
    /// Larger files are a per-file error, in bytes.
    pub max_file_size: u64,
    /// Note codes not to report.
    pub quiet_notes: Vec<String>,
    /// `--shard K/N`.
    pub shard: Option<Shard>,
    /// Source roots, absolute (empty: find packages by their `__init__.py`).
    pub src: Vec<PathBuf>,
    /// How `apply` writes.
    pub write: WriteOptions,
    /// Test-only: raise a signal at the k-th write.
    pub signal_at: Option<SignalAt>,
    /// Also report imports of first-party modules or names that do not exist.
    pub unresolved_imports: bool,
}

/// Why a run could not start; nothing was processed or written.
#[derive(Debug, Error)]
pub enum RunError {
    /// The worker threads could not start.
    #[error("cannot start worker threads")]
    ThreadPool(#[source] rayon::ThreadPoolBuildError),
    /// An `--exclude` pattern does not compile.
    #[error("invalid --exclude glob")]
    Exclude(#[source] ignore::Error),
    /// The paths hold no Python file.
    #[error(
        "no Python file found in {} (nothing was checked); check the paths, --exclude, and .gitignore rules (--no-ignore)",
        .0.join(", ")
    )]
    NoFiles(Vec<String>),
    /// `apply` refuses moves whose `to` the tree does not hold.
    #[error(
        "nothing written: {} move(s) point where the processed tree has nothing:\n  {}\n(pass --no-target-check when the new modules are created later)",
        .0.len(),
        .0.join("\n  ")
    )]
    MissingTargets(Vec<String>),
}

/// Told of each file as it is done (a progress bar); called from the worker threads.
pub trait Progress: Sync {
    /// The walk found `files` files to process.
    fn begin(&self, files: usize);
    /// One more file done.
    fn tick(&self);
}

impl Progress for () {
    fn begin(&self, _: usize) {}
    fn tick(&self) {}
}

/// What a run gives back: its report, the stage counters, and the engine (its rules, as
/// the target check marked them).
pub struct RunResult {
    /// Every file's outcome and the run-level problems.
    pub report: Report,
    /// The `--stats` funnel.
    pub stats: Stats,
    /// Worker threads used.
    pub threads: usize,
    /// The engine the files went through.
    pub engine: Engine,
}

/// The engine for a run: the targets worked out, the target check made (`apply` refuses a
/// missing `to`), the filters compiled.
pub fn prepare(
    options: &RunOptions,
    mut rules: RuleSet,
    files: &[PathBuf],
) -> Result<(Engine, DiskLayout, Vec<TargetProblem>), RunError> {
    let layout = DiskLayout::new(options.src.clone()).with_root(options.project_root.clone());
    let mut bases = vec![options.project_root.clone()];
    bases.extend(options.src.iter().cloned());
    let roots = targets::package_roots(files, &layout, &rules, &bases);
    let module_targets = targets::module_targets(&rules, &roots, &layout);
    rules.mark_module_targets(module_targets);
    // Each auto move may parse its parent module: many moves are classified in parallel
    // (in move order: the same answers whatever the thread count).
    let classified: Vec<_> = rules
        .moves()
        .par_iter()
        .map(|moved| targets::symbol_move(moved, &roots, &layout))
        .collect();
    let (symbol_moves, kind_warnings) = targets::collect_symbol_moves(classified);
    rules.mark_symbol_moves(symbol_moves);
    let mut problems = if options.target_check {
        targets::check_targets(&rules, &roots, &layout)
    } else {
        Vec::new()
    };
    let blocking: Vec<String> = problems
        .iter()
        .filter(|p| p.blocks_apply())
        .map(|p| p.to_string())
        .collect();
    // Warnings only: they never stop `apply`.
    problems.extend(kind_warnings);
    if options.mode == Mode::Apply && !blocking.is_empty() {
        return Err(RunError::MissingTargets(blocking));
    }
    let engine_options = EngineOptions {
        verify_whole: options.mode == Mode::Apply || options.engine.verify_whole,
        ..options.engine
    };
    let mut engine = Engine::new(rules, engine_options);
    if options.unresolved_imports {
        let model = crate::project::model(&options.project_root, &options.src, &layout);
        engine = engine.with_project(model);
    }
    Ok((engine, layout, problems))
}

/// Walks, processes, writes (`apply`) and reports.
pub fn run(
    options: &RunOptions,
    rules: RuleSet,
    interrupt: &Interrupt,
    progress: &dyn Progress,
) -> Result<RunResult, RunError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()
        .map_err(RunError::ThreadPool)?;
    let threads = pool.current_num_threads();
    let discovery = walk(options, threads)?;
    let files: Vec<PathBuf> = discovery
        .jobs
        .iter()
        .map(|job| absolute_path(&options.cwd, &job.path))
        .collect();
    let (engine, layout, target_problems) = pool.install(|| prepare(options, rules, &files))?;
    let stats = Stats::default();
    let context = context(options, &engine, &layout, &stats);
    progress.begin(files.len());
    let (temp_files, outcomes) = pool.install(|| {
        // Temp files that an earlier, killed run left next to the files of this one: their
        // folders are listed while the files are processed (nothing is written before both
        // are done).
        let (mut temp_files, mut outcomes) = rayon::join(
            || crate::write::temp::scan(discovery.jobs.iter().map(|job| job.path.as_path())),
            || {
                discovery
                    .jobs
                    .par_iter()
                    .map(|job| {
                        let outcome = match interrupt.received() {
                            Some(_) => FileOutcome::not_processed(&job.path),
                            None => process_file(&context, &job.path),
                        };
                        progress.tick();
                        outcome
                    })
                    .collect::<Vec<FileOutcome>>()
            },
        );
        if options.mode == Mode::Apply {
            crate::write::temp::remove_stale(&mut temp_files);
        }
        add_entry_points(options, engine.rules(), &mut outcomes);
        if options.mode == Mode::Apply {
            let writer = Writer::new(options.write.clone(), interrupt.clone(), options.signal_at);
            outcomes
                .par_iter_mut()
                .for_each(|outcome| outcome.write_with(&writer));
        }
        (temp_files, outcomes)
    });
    let mut outcomes = outcomes;
    drop_quiet_notes(&mut outcomes, &options.quiet_notes);
    let report = Report {
        mode: options.mode,
        outcomes,
        walk_errors: discovery.errors,
        symlinks: discovery.symlinks,
        target_problems,
        temp_files,
        interrupted: interrupt.received(),
    };
    Ok(RunResult {
        report,
        stats,
        threads,
        engine,
    })
}

/// One file's source given as bytes (standard input) and treated as the file at `path`:
/// its module name, the codemods' excludes and the target check come from `path` and its
/// project. Nothing is written.
pub fn run_source(
    options: &RunOptions,
    rules: RuleSet,
    path: &Path,
    bytes: Vec<u8>,
) -> Result<RunResult, RunError> {
    let absolute = absolute_path(&options.cwd, path);
    let (engine, layout, target_problems) =
        prepare(options, rules, std::slice::from_ref(&absolute))?;
    let stats = Stats::default();
    let context = context(options, &engine, &layout, &stats);
    let mut outcomes = vec![process_bytes(&context, path, bytes, None)];
    drop_quiet_notes(&mut outcomes, &options.quiet_notes);
    let report = Report {
        mode: options.mode,
        outcomes,
        walk_errors: Vec::new(),
        symlinks: Vec::new(),
        target_problems,
        temp_files: Vec::new(),
        interrupted: None,
    };
    Ok(RunResult {
        report,
        stats,
        threads: 1,
        engine,
    })
}

/// The per-file context of a run with `options`.
fn context<'a>(
    options: &'a RunOptions,
    engine: &'a Engine,
    layout: &'a DiskLayout,
    stats: &'a Stats,
) -> ProcessContext<'a> {
    ProcessContext {
        engine,
        layout,
        max_file_size: options.max_file_size,
        base: &options.cwd,
        stats,
    }
}

/// The files to process, in path order, cut to the shard.
fn walk(options: &RunOptions, threads: usize) -> Result<Discovery, RunError> {
    let mut discovery = discover::discover(
        &options.paths,
        &WalkOptions {
            exclude: &options.exclude,
            no_ignore: options.no_ignore,
            include_scripts: options.include_scripts,
            threads,
        },
    )
    .map_err(RunError::Exclude)?;
    if discovery.jobs.is_empty() && discovery.errors.is_empty() {
        let paths = options
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        return Err(RunError::NoFiles(paths));
    }
    if let Some(shard) = options.shard {
        // After the "no Python file" check: an empty shard is fine.
        let root = &options.project_root;
        discovery.jobs.retain(|job| {
            let absolute = absolute_path(&options.cwd, &job.path);
            shard.holds(&shard::relative_bytes(&absolute, root))
        });
    }
    Ok(discovery)
}

/// The project's entry points (pyproject.toml, setup.cfg), when the run covers the project
/// root; in the shard that holds them. With mentions, `python -m pkg.old` in scripts and
/// CI files too (listed, never rewritten).
fn add_entry_points(options: &RunOptions, rules: &RuleSet, outcomes: &mut Vec<FileOutcome>) {
    let covers_root = options.paths.iter().any(|p| {
        options
            .project_root
            .starts_with(absolute_path(&options.cwd, p))
    });
    if !covers_root {
        return;
    }
    let root = &options.project_root;
    let mentions = options.engine.mentions;
    let mut extra = crate::entry_points::outcomes(root, rules, mentions);
    if mentions {
        // The two files read for entry points already hold their own findings.
        for run in crate::entry_points::module_runs(root, rules) {
            match extra.iter_mut().find(|o| o.path == run.path) {
                Some(outcome) => {
                    outcome.findings.extend(run.findings);
                    outcome.findings.sort();
                }
                None => extra.push(run),
            }
        }
    }
    let extra = extra.into_iter().filter(|o| {
        options
            .shard
            .is_none_or(|shard| shard.holds(&shard::relative_bytes(&o.path, root)))
    });
    let cwd = &options.cwd;
    outcomes.extend(extra.map(|mut o| {
        o.path = o
            .path
            .strip_prefix(cwd)
            .map_or_else(|_| o.path.clone(), |p| PathBuf::from(".").join(p));
        o
    }));
    outcomes.sort_by(|a, b| a.path.cmp(&b.path));
}

/// Notes whose code `--quiet-notes` or `[tool.reroute] quiet-notes` silences are dropped
/// before anything counts or shows them.
fn drop_quiet_notes(outcomes: &mut [FileOutcome], quiet: &[String]) {
    for outcome in outcomes {
        outcome.findings.retain(
            |f| !matches!(&f.fix, Fix::Note(note) if quiet.iter().any(|q| q == note.code())),
        );
    }
}
