//! reroute: rewrite deprecated Python imports to their canonical paths.
//!
//! The pipeline: codemod specs (`spec`) compile into one [`ruleset::RuleSet`]; `discover`
//! walks the tree (gitignore-aware, sorted); each file goes through `process` in parallel
//! (read → `prefilter` → `parse` → `plan` → `edit` → verify); `apply` writes changed files
//! with `write`; a [`report::Report`] is rendered once by `render`.

mod analyze;
mod baseline;
pub mod cli;
mod config;
mod diff;
mod discover;
mod edit;
mod entry_points;
mod examples;
mod explain;
mod lex;
mod merge;
mod modules;
mod mv;
mod parse;
mod piecewise;
mod plan;
mod prefilter;
mod process;
mod render;
mod report;
mod ruleset;
pub mod shard;
mod source;
mod spec;
mod stats;
mod stdin;
mod suggest;
mod targets;
mod write;

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use rayon::prelude::*;

use cli::{CheckArgs, Cli, Command, Format};
use config::{Settings, Verbosity};
use process::FileOutcome;

pub use process::install_panic_hook;

/// What the fixture tests drive in-process: one file through the whole per-file pipeline.
pub mod testing {
    pub use crate::diff::unified_diff;
    pub use crate::examples::{Parsing, rewrite_file};
    pub use crate::modules::ModuleResolver;
    pub use crate::parse::{error_count, parse};
    pub use crate::plan::{Finding, Fix};
    pub use crate::ruleset::RuleSet;
    pub use crate::spec::load_file;
}
use report::{ExitStatus, Mode, Report};

/// Runs one command; returns the exit status. Errors are start-up failures (bad codemods,
/// no codemods, thread pool): the caller prints them and exits 2.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let verbosity = Verbosity::of(cli.quiet, cli.verbose);
    let resolve = |mode, args: &cli::RunArgs| {
        Settings::resolve(mode, args, args.format, &cwd).map(|s| s.with_verbosity(verbosity))
    };
    match cli.command {
        Command::Diff(args) => run_files(resolve(Mode::Diff, &args)?),
        Command::Apply(args) => {
            let settings = resolve(Mode::Apply, &args.run)?;
            run_files(settings.with_write(write::WriteOptions {
                break_hardlinks: args.break_hardlinks,
            }))
        }
        Command::Config(args) => {
            let terminal = std::io::IsTerminal::is_terminal(&stderr);
            let progress = config::ProgressSettings::of(verbosity, terminal);
            config::show::show(&args, &cwd, progress, &mut stdout.lock())
        }
        Command::Check(CheckArgs {
            run,
            explain,
            baseline,
            update_baseline,
        }) => match explain {
            Some(code) => explain_code(&code, run.format, &mut stdout.lock()),
            None => {
                let settings = resolve(Mode::Check, &run)?;
                run_files(
                    settings.with_baseline(baseline.map(|file| config::BaselineSettings {
                        file: cwd.join(file),
                        update: update_baseline,
                    })),
                )
            }
        },
        Command::Merge(args) => merge::merge(&args.parts, &mut stdout.lock()),
        Command::Init(args) => init_codemod(&args, &cwd, &mut stdout.lock()),
        Command::Mv(args) => move_module(&args, &cwd),
        Command::Suggest(args) => suggest_codemod(&args, &cwd, &mut stdout.lock()),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "reroute", &mut stdout.lock());
            Ok(ExitStatus::Clean)
        }
        Command::Test(args) => {
            let codemods = config::test_codemods(&args, &cwd)?;
            examples::run_examples(&codemods, &cwd, &mut stdout.lock(), &mut stderr.lock())
                .context("cannot write output")
        }
    }
}

fn explain_code(code: &str, format: Format, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    match explain::explain(code) {
        Some(text) => {
            match format {
                Format::Json => {
                    let doc = serde_json::json!({
                        "schema": "reroute.explain/1",
                        "code": code,
                        "explanation": text,
                    });
                    writeln!(out, "{doc}")?;
                }
                _ => writeln!(out, "{code}\n\n{text}")?,
            }
            Ok(ExitStatus::Clean)
        }
        None => {
            let known: Vec<&str> = std::iter::once(&explain::MOVED_PATH)
                .chain(explain::EXPLANATIONS)
                .map(|(c, _)| *c)
                .collect();
            anyhow::bail!(
                "unknown reason code {code:?}; known codes: {}",
                known.join(", ")
            )
        }
    }
}

/// `reroute suggest`: a codemod from git history or from the tree's shims.
fn suggest_codemod(
    args: &cli::SuggestArgs,
    cwd: &std::path::Path,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let settings = config::MoveSettings::resolve(cwd)?;
    let root = &settings.project_root;
    let (proposals, source) = match &args.git {
        Some(rev) => (
            suggest::from_git(root, &settings.src, rev)?,
            format!("git diff --find-renames {rev}"),
        ),
        None => {
            let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(root)
                .build()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .map(|e| e.into_path())
                .filter(|p| p.extension().is_some_and(|x| x == "py" || x == "pyi"))
                .collect();
            files.sort();
            let modules = modules::ModuleResolver::new(settings.src.clone());
            (
                suggest::from_shims(root, &settings.src, &files, &modules),
                "compatibility shims in the tree".to_string(),
            )
        }
    };
    write!(out, "{}", suggest::render(&proposals, &source))?;
    if proposals.is_empty() {
        writeln!(out, "# no moves found")?;
    }
    Ok(ExitStatus::Clean)
}

/// `reroute mv`: the codemod, the move, then `apply` with the codemod over the project.
fn move_module(args: &cli::MvArgs, cwd: &std::path::Path) -> anyhow::Result<ExitStatus> {
    let plan = mv::prepare(args, cwd)?;
    let shown = |path: &std::path::Path| render::display_path(path, cwd);
    if args.dry_run {
        let (patch, code) = mv::dry_run(&plan, args, cwd)?;
        let mut err = std::io::stderr().lock();
        writeln!(
            err,
            "would write {}:\n{}would move {} to {} ({} -> {}){}",
            shown(&plan.codemod_file),
            plan.codemod_text,
            shown(&plan.src),
            shown(&plan.dst),
            plan.from,
            plan.to,
            if plan.git { " with git mv" } else { "" }
        )?;
        let mut out = std::io::stdout().lock();
        out.write_all(&patch)?;
        out.flush()?;
        return Ok(match code {
            0 => ExitStatus::Clean,
            1 => ExitStatus::Pending,
            _ => ExitStatus::Error,
        });
    }
    mv::perform(&plan)?;
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "wrote {}; moved {} to {}{}",
        shown(&plan.codemod_file),
        shown(&plan.src),
        shown(&plan.dst),
        if plan.git { " (git mv)" } else { "" }
    )?;
    drop(err);
    let root = plan.project_root.to_string_lossy().into_owned();
    let codemod = plan.codemod_file.to_string_lossy().into_owned();
    let cli = <Cli as clap::Parser>::try_parse_from([
        "reroute",
        "apply",
        "--codemods",
        codemod.as_str(),
        "--no-target-check",
        root.as_str(),
    ])
    .context("cannot build the apply run")?;
    let Command::Apply(apply) = cli.command else {
        anyhow::bail!("cannot build the apply run");
    };
    let settings = Settings::resolve(Mode::Apply, &apply.run, Format::Text, cwd)?;
    let status = run_files(settings.with_write(write::WriteOptions::default()))?;
    if args.shim {
        let shim = mv::write_shim(&plan)?;
        writeln!(
            std::io::stderr().lock(),
            "wrote {}: re-exports {} with a DeprecationWarning",
            shown(&shim),
            plan.to
        )?;
    }
    Ok(status)
}

/// `reroute init`: writes a codemod with one move and an example, and checks that it loads.
fn init_codemod(
    args: &cli::InitArgs,
    cwd: &std::path::Path,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let folder = config::init_folder(args.dir.as_deref(), cwd)?;
    let file = folder.join(format!("{}.toml", args.name));
    if file.exists() {
        anyhow::bail!(
            "{}: already exists; pick another name or edit it",
            file.display()
        );
    }
    let (from, to) = (&args.from, &args.to);
    let text = format!(
        "description = \"{from} moved to {to}\"\n\n[[move]]\nfrom = \"{from}\"\nto = \"{to}\"\n# strings = true         # also mock.patch(\"…\") and import_module(\"…\") targets\n# rename_usages = true   # bind the new name and rename its uses\n\n[[example]]\nbefore = \"import {from}\\n\"\nafter = \"import {to}\\n\"\n"
    );
    // Refuse what would not load (an invalid path) before writing anything.
    spec::parse_codemod(&text, &file, args.name.as_str().into())?;
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("{}: cannot create the folder", folder.display()))?;
    std::fs::write(&file, text).with_context(|| format!("{}: cannot write", file.display()))?;
    writeln!(
        out,
        "wrote {}; run `reroute test` to check its example, then `reroute diff`",
        render::display_path(&file, cwd)
    )?;
    Ok(ExitStatus::Clean)
}

fn run_files(mut settings: Settings) -> anyhow::Result<ExitStatus> {
    if let Some(filename) = settings.stdin_filename.clone() {
        return stdin::run(settings, &filename, &mut std::io::stdin().lock());
    }
    let started = std::time::Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .context("cannot start worker threads")?;
    let discovery = discover::discover(
        &settings.paths,
        &discover::WalkOptions {
            exclude: &settings.exclude,
            no_ignore: settings.no_ignore,
            include_scripts: settings.include_scripts,
            threads: pool.current_num_threads(),
        },
    )
    .context("invalid --exclude glob")?;
    if discovery.jobs.is_empty() && discovery.errors.is_empty() {
        let paths: Vec<String> = settings
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        anyhow::bail!(
            "no Python file found in {} (nothing was checked); check the paths, --exclude, and .gitignore rules (--no-ignore)",
            paths.join(", ")
        );
    }
    let mut discovery = discovery;
    if let Some(shard) = settings.shard {
        // After the "no Python file" check: an empty shard is fine.
        let root = settings.project_root.clone();
        discovery.jobs.retain(|job| {
            let absolute = process::absolute_path(&settings.cwd, &job.path);
            shard.holds(&shard::relative_bytes(&absolute, &root))
        });
    }
    let files: Vec<PathBuf> = discovery
        .jobs
        .iter()
        .map(|job| process::absolute_path(&settings.cwd, &job.path))
        .collect();
    let (modules, target_problems) = resolve_targets(&mut settings, &files)?;
    let cwd = settings.cwd.as_path();
    let rules = &settings.rules;
    let progress = render::progress::Progress::start(
        files.len(),
        settings.progress,
        match settings.mode {
            Mode::Diff | Mode::Check => "checked",
            Mode::Apply => "processed",
        },
    );
    // Temp files that an earlier, killed run left next to the files of this one.
    let mut temp_files = write::temp::scan(discovery.jobs.iter().map(|job| job.path.as_path()));
    if settings.mode == Mode::Apply {
        write::temp::remove_stale(&mut temp_files);
    }
    let stages = process::Stages::new(rules, settings.mentions);
    let context = stages.context(&settings, &modules);
    // From here on, SIGINT and SIGTERM stop `apply` between writes (see write::interrupt).
    let interrupt = if settings.mode == Mode::Apply {
        write::Interrupt::install().context("cannot install the signal handlers")?
    } else {
        write::Interrupt::none()
    };
    let outcomes: Vec<FileOutcome> = pool.install(|| {
        let mut outcomes: Vec<FileOutcome> = discovery
            .jobs
            .par_iter()
            .map(|job| {
                let outcome = match interrupt.received() {
                    Some(_) => process::not_processed(&job.path),
                    None => process::process_guarded(&context, &job.path),
                };
                progress.tick();
                outcome
            })
            .collect();
        // The project's entry points (pyproject.toml, setup.cfg), when the run covers the
        // project root; in the shard that holds them.
        let covers_root = settings.paths.iter().any(|p| {
            settings
                .project_root
                .starts_with(process::absolute_path(&settings.cwd, p))
        });
        if covers_root {
            let root = &settings.project_root;
            let mut extra = entry_points::outcomes(root, rules, settings.mentions);
            if settings.mentions {
                // `python -m pkg.old` in scripts and CI files: listed, never rewritten. The
                // two files read for entry points already hold their own findings.
                let runs = entry_points::module_runs(root, rules);
                for run in runs {
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
                settings
                    .shard
                    .is_none_or(|shard| shard.holds(&shard::relative_bytes(&o.path, root)))
            });
            let cwd = settings.cwd.clone();
            outcomes.extend(extra.map(|mut o| {
                o.path = o
                    .path
                    .strip_prefix(&cwd)
                    .map_or_else(|_| o.path.clone(), |p| PathBuf::from(".").join(p));
                o
            }));
            outcomes.sort_by(|a, b| a.path.cmp(&b.path));
        }
        if settings.mode == Mode::Apply {
            let writer = write::Writer::new(
                settings.write.clone(),
                interrupt.clone(),
                settings.signal_at,
            );
            outcomes
                .par_iter_mut()
                .for_each(|outcome| writer.write_outcome(outcome));
        }
        outcomes
    });
    progress.finish();
    let mut outcomes = outcomes;
    drop_quiet_notes(&mut outcomes, &settings.quiet_notes);
    let report = Report {
        mode: settings.mode,
        outcomes,
        walk_errors: discovery.errors,
        symlinks: discovery.symlinks,
        target_problems,
        temp_files,
        interrupted: interrupt.received(),
    };
    render::report(&settings, &report)?;
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    if settings.stats {
        stages
            .stats
            .render(started.elapsed(), pool.current_num_threads(), &mut err)?;
    }
    match &settings.baseline {
        Some(baseline) => ratchet(&report, baseline, cwd, &mut err),
        None => Ok(report.exit_status()),
    }
}

/// Works out where each move's `to` lives in the project of `files` (module or symbol)
/// and, with the target check on, what is missing there; `apply` refuses to write then.
fn resolve_targets(
    settings: &mut Settings,
    files: &[PathBuf],
) -> anyhow::Result<(modules::ModuleResolver, Vec<targets::TargetProblem>)> {
    let modules = modules::ModuleResolver::new(settings.src.clone());
    let mut bases = vec![settings.project_root.clone()];
    bases.extend(settings.src.iter().cloned());
    let roots = targets::package_roots(files, &modules, &settings.rules, &bases);
    let module_targets = targets::module_targets(&settings.rules, &roots);
    settings.rules.mark_module_targets(module_targets);
    let (symbol_moves, kind_warnings) = targets::symbol_moves(&settings.rules, &roots);
    settings.rules.mark_symbol_moves(symbol_moves);
    let mut target_problems = if settings.target_check {
        targets::check_targets(&settings.rules, &roots)
    } else {
        Vec::new()
    };
    let blocking: Vec<String> = target_problems
        .iter()
        .filter(|p| p.blocks_apply())
        .map(|p| p.to_string())
        .collect();
    // Warnings only: they never stop `apply`.
    target_problems.extend(kind_warnings);
    if settings.mode == Mode::Apply && !blocking.is_empty() {
        let lines = blocking;
        anyhow::bail!(
            "nothing written: {} move(s) point where the processed tree has nothing:\n  {}\n(pass --no-target-check when the new modules are created later)",
            lines.len(),
            lines.join("\n  ")
        );
    }
    Ok((modules, target_problems))
}

/// Notes whose code `--quiet-notes` or `[tool.reroute] quiet-notes` silences are dropped
/// before anything counts or shows them.
fn drop_quiet_notes(outcomes: &mut [FileOutcome], quiet: &[String]) {
    for outcome in outcomes {
        outcome.findings.retain(
            |f| !matches!(&f.fix, plan::Fix::Note(note) if quiet.iter().any(|q| q == note.code())),
        );
    }
}

/// The snippet (TOML line and a caret) for a start-up error caused by a codemod, to print
/// below its `error:` line; `None` for other errors.
pub fn error_snippet(error: &anyhow::Error) -> Option<String> {
    let color = config::use_color(
        cli::ColorChoice::Auto,
        std::io::IsTerminal::is_terminal(&std::io::stderr()),
    );
    render::snippet::spec_error(error, color)
}

/// `check --baseline`: the exit status says whether references grew past the baseline;
/// `--update-baseline` writes or tightens it.
fn ratchet(
    report: &Report,
    settings: &config::BaselineSettings,
    cwd: &std::path::Path,
    err: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let display = |path: &std::path::Path| render::display_path(path, cwd);
    let now = baseline::Baseline::of_report(report, display);
    let old = baseline::Baseline::load(&settings.file)?;
    let shown = render::display_path(&settings.file, cwd);
    let Some(old) = old else {
        if !settings.update {
            anyhow::bail!(
                "{shown}: no baseline there; create it with `reroute check --baseline {shown} --update-baseline`"
            );
        }
        now.save(&settings.file)?;
        writeln!(
            err,
            "ratchet: wrote {shown} with {} references",
            now.total()
        )?;
        return Ok(error_or(report, ExitStatus::Clean));
    };
    let grown = old.growth(&now);
    for growth in &grown {
        writeln!(
            err,
            "ratchet: {}: {}: {} references, the baseline allows {}",
            growth.path, growth.codemod, growth.now, growth.allowed
        )?;
    }
    let verdict = if grown.is_empty() {
        "passed"
    } else {
        "failed: references grew"
    };
    writeln!(
        err,
        "ratchet: {} references left (baseline {}): {verdict}",
        now.total(),
        old.total()
    )?;
    if settings.update {
        let scanned = report.outcomes.iter().map(|o| display(&o.path)).collect();
        let tightened = old.tightened(&now, &scanned);
        if tightened != old {
            tightened.save(&settings.file)?;
            writeln!(
                err,
                "ratchet: tightened {shown} to {} references",
                tightened.total()
            )?;
        }
    }
    let status = if grown.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Pending
    };
    Ok(error_or(report, status))
}

/// `status`, unless the run itself failed somewhere (exit 2 wins).
fn error_or(report: &Report, status: ExitStatus) -> ExitStatus {
    match report.exit_status() {
        ExitStatus::Pending | ExitStatus::Clean => status,
        other => other,
    }
}
