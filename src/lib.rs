//! reroute: rewrite deprecated Python imports to their canonical paths.
//!
//! The pipeline: codemod specs (`spec`) compile into one [`ruleset::RuleSet`]; `discover`
//! walks the tree (gitignore-aware, sorted); each file goes through `process` in parallel
//! (read → `prefilter` → `parse` → `plan` → `edit` → verify); `apply` writes changed files
//! with `write`; a [`report::Report`] is rendered once by `render`.

pub mod analyze;
pub mod cli;
pub mod diff;
pub mod discover;
pub mod edit;
pub mod examples;
pub mod explain;
pub mod modules;
pub mod parse;
pub mod plan;
pub mod prefilter;
pub mod process;
pub mod render;
pub mod report;
pub mod ruleset;
pub mod settings;
pub mod source;
pub mod spec;
pub mod targets;
pub mod write;

use std::io::{IsTerminal, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;

use cli::{CheckArgs, Cli, ColorChoice, Command, Format, RunArgs};
use process::{FileError, FileOutcome, FileStatus, ProcessContext};
use report::{ExitStatus, Mode, Report};

/// Runs one command; returns the exit status. Errors are start-up failures (bad codemods,
/// no codemods, thread pool): the caller prints them and exits 2.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    match cli.command {
        Command::Diff(args) => run_files(Mode::Diff, &args, Format::Text, &cwd),
        Command::Apply(args) => run_files(Mode::Apply, &args, Format::Text, &cwd),
        Command::Check(CheckArgs {
            run,
            format,
            explain,
        }) => match explain {
            Some(code) => explain_code(&code, &mut stdout.lock()),
            None => run_files(Mode::Check, &run, format, &cwd),
        },
        Command::Test(args) => {
            let sources = settings::codemod_sources(&args.codemods, &cwd)?;
            let codemods = settings::load_codemods(&sources)?;
            let codemods: Vec<_> = codemods
                .into_iter()
                .filter(|c| args.select.is_empty() || args.select.iter().any(|s| **s == *c.name))
                .collect();
            examples::run_examples(&codemods, &cwd, &mut stdout.lock(), &mut stderr.lock())
                .context("cannot write output")
        }
    }
}

fn explain_code(code: &str, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    match explain::explain(code) {
        Some(text) => {
            writeln!(out, "{code}\n\n{text}")?;
            Ok(ExitStatus::Clean)
        }
        None => {
            let known: Vec<&str> = explain::EXPLANATIONS.iter().map(|(c, _)| *c).collect();
            anyhow::bail!(
                "unknown reason code {code:?}; known codes: {}",
                known.join(", ")
            )
        }
    }
}

fn run_files(mode: Mode, args: &RunArgs, format: Format, cwd: &Path) -> anyhow::Result<ExitStatus> {
    let sources = settings::codemod_sources(&args.codemods.codemods, cwd)?;
    let codemods = settings::load_codemods(&sources)?;
    let rules = settings::rule_set(codemods, &args.codemods.select)?;
    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let discovery = discover::discover(
        &paths,
        &discover::WalkOptions {
            exclude: &args.exclude,
            no_ignore: args.no_ignore,
            threads: pool.current_num_threads(),
        },
    )
    .context("invalid --exclude glob")?;
    let modules = modules::ModuleResolver::new(settings::source_roots(&args.src, cwd)?);
    let target_problems = if args.no_target_check {
        Vec::new()
    } else {
        let files: Vec<PathBuf> = discovery
            .jobs
            .iter()
            .map(|job| process::absolute_path(cwd, &job.path))
            .collect();
        targets::check_targets(&rules, &files, &modules)
    };
    if mode == Mode::Apply && !target_problems.is_empty() {
        let lines: Vec<String> = target_problems.iter().map(|p| p.to_string()).collect();
        anyhow::bail!(
            "nothing written: {} move(s) point where the processed tree has nothing:\n  {}\n(pass --no-target-check when the new modules are created later)",
            lines.len(),
            lines.join("\n  ")
        );
    }
    let prefilter = prefilter::Prefilter::new(&rules.needles());
    let context = ProcessContext {
        rules: &rules,
        prefilter: &prefilter,
        modules: &modules,
        mentions: args.mentions,
        base: cwd,
    };
    let outcomes: Vec<FileOutcome> = pool.install(|| {
        let mut outcomes: Vec<FileOutcome> = discovery
            .jobs
            .par_iter()
            .map(|job| process_guarded(&context, &job.path))
            .collect();
        if mode == Mode::Apply {
            outcomes.par_iter_mut().for_each(write_outcome);
        }
        outcomes
    });
    let report = Report {
        mode,
        outcomes,
        walk_errors: discovery.errors,
        symlinks: discovery.symlinks,
        target_problems,
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    match format {
        Format::Json => render::json::render(&report, cwd, &mut out)?,
        Format::Text => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            render::text::TextOutput { cwd, color }.render(&report, &mut out, &mut err)?;
        }
    }
    out.flush()?;
    Ok(report.exit_status())
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

/// `process_file`, with a panic turned into a per-file failure (one bad file never stops
/// the run).
fn process_guarded(context: &ProcessContext<'_>, path: &Path) -> FileOutcome {
    IN_FILE.with(|flag| flag.set(true));
    let result = catch_unwind(AssertUnwindSafe(|| process::process_file(context, path)));
    IN_FILE.with(|flag| flag.set(false));
    match result {
        Ok(outcome) => outcome,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            FileOutcome {
                path: path.to_path_buf(),
                status: FileStatus::Failed(FileError::Panic(message)),
                findings: Vec::new(),
                warnings: Vec::new(),
            }
        }
    }
}

fn write_outcome(outcome: &mut FileOutcome) {
    let status = std::mem::replace(&mut outcome.status, FileStatus::Skipped);
    outcome.status = match status {
        FileStatus::Changed {
            original,
            updated,
            edits,
        } => match write::atomic_write(&outcome.path, &original, &updated) {
            Ok(()) => FileStatus::Written {
                original,
                updated,
                edits,
            },
            Err(error) => FileStatus::Failed(FileError::Write(error)),
        },
        other => other,
    };
}
