//! `reroute mv SRC DST` (#10, #20): the whole move in one command, safe to run, interrupt
//! and finish. `plan` checks the move and works out the module names and the codemod
//! (refusing, with nothing changed, when DST exists or is outside the project, SRC is not a
//! module of the tree, the new name is taken, or the move would loop with another
//! codemod); `dirty` refuses files with uncommitted changes; then the steps of `perform`
//! run one by one (codemod, folders, the move), recorded in a `journal`; then the run
//! library applies the codemod over the project; `--shim` leaves a module behind. A failure
//! before the files moved takes every step back; an interruption (SIGINT, SIGTERM) stops
//! between steps and says what was done and `reroute mv --continue`. `--dry-run` makes the
//! same steps in a copy (`patch`) and prints the patch.

mod dirty;
mod journal;
mod patch;
mod perform;
mod plan;
mod undo;

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use reroute_run::{ExitStatus, Interrupt, Mode, Signal};

use crate::cli::MvArgs;
use crate::config::{MoveSettings, Settings, Verbosity};
use crate::render::display_path;
use journal::{Journal, Step};
use plan::MovePlan;

/// How much a move says: `-q` only errors; silent in the copy of `--dry-run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Say {
    Normal,
    Quiet,
    Nothing,
}

/// `reroute mv`: the codemod, the move, then `apply` with the codemod over the project.
pub fn run(
    args: &MvArgs,
    cwd: &Path,
    source: &crate::config::ConfigSource,
    verbosity: Verbosity,
) -> anyhow::Result<ExitStatus> {
    let say = if verbosity == Verbosity::Quiet {
        Say::Quiet
    } else {
        Say::Normal
    };
    let root = MoveSettings::resolve(cwd, source)?.project_root;
    let pending = Journal::load(&root)?;
    if args.resume {
        let Some(journal) = pending else {
            bail!("no move to continue: no half-done `reroute mv` in this project");
        };
        if !args.allow_dirty {
            let mut files = dirty::files_to_rewrite(&journal.plan, cwd)?;
            if !journal.is_done(Step::Moved) {
                files.push(journal.plan.src.clone());
            }
            // What the move already touched is its own.
            files.retain(|f| !f.starts_with(&journal.plan.dst));
            dirty::refuse_dirty(&journal.plan, &files)?;
        }
        let interrupt = crate::signals::install_interrupt()?;
        return execute(journal, cwd, &interrupt, say);
    }
    if let Some(journal) = pending.filter(|_| !args.dry_run) {
        bail!(
            "a move is half done ({} -> {}); finish it with `reroute mv --continue` first",
            display_path(&journal.plan.src, cwd),
            display_path(&journal.plan.dst, cwd)
        );
    }
    let plan = plan::prepare(args, cwd, source)?;
    if args.dry_run {
        return dry_run(&plan, args, cwd);
    }
    if !args.allow_dirty {
        let mut files = dirty::files_to_rewrite(&plan, cwd)?;
        files.push(plan.src.clone());
        dirty::refuse_dirty(&plan, &files)?;
    }
    let interrupt = crate::signals::install_interrupt()?;
    execute(Journal::new(plan), cwd, &interrupt, say)
}

fn dry_run(plan: &MovePlan, args: &MvArgs, cwd: &Path) -> anyhow::Result<ExitStatus> {
    let shown = |path: &Path| display_path(path, cwd);
    let (patch, status) = patch::dry_run(plan, args, cwd)?;
    let mut err = std::io::stderr().lock();
    if let Some(file) = &plan.codemod_file {
        write!(err, "would write {}:\n{}", shown(file), plan.codemod_text)?;
    }
    if let Some(earlier) = &plan.undoes {
        writeln!(err, "would remove {}: this move undoes it", shown(earlier))?;
    }
    writeln!(
        err,
        "would move {} to {} ({} -> {}){}",
        shown(&plan.src),
        shown(&plan.dst),
        plan.from,
        plan.to,
        if plan.git { " with git mv" } else { "" }
    )?;
    let mut out = std::io::stdout().lock();
    out.write_all(&patch)?;
    out.flush()?;
    Ok(status)
}

/// One early step: what it does, with the record of what it created; how many relative
/// imports it respelled.
type StepAction<'a> = dyn Fn(&mut perform::Created) -> anyhow::Result<usize> + 'a;

/// Runs the steps the journal has not done yet.
fn execute(
    mut journal: Journal,
    cwd: &Path,
    interrupt: &Interrupt,
    say: Say,
) -> anyhow::Result<ExitStatus> {
    let plan = journal.plan.clone();
    let hook = test_hook()?;
    let shown = |path: &Path| display_path(path, cwd);
    let mut created = perform::Created::default();
    let mut respelled = 0;
    let done_before = journal.done.len();
    let early = (|| -> anyhow::Result<Option<Signal>> {
        let steps: [(Step, &StepAction<'_>); 3] = [
            (Step::Codemod, &|c| {
                perform::write_codemod(&plan, c).map(|()| 0)
            }),
            (Step::Folders, &|c| {
                perform::make_folders(&plan, c).map(|()| 0)
            }),
            (Step::Moved, &|_| perform::move_files(&plan)),
        ];
        for (step, action) in steps {
            if journal.is_done(step) {
                continue;
            }
            respelled += action(&mut created)?;
            journal.mark(step)?;
            if hook.is_some_and(|(at, _)| at == step) {
                raise(hook);
            }
            if let Some(signal) = interrupt.received() {
                return Ok(Some(signal));
            }
        }
        Ok(None)
    })();
    // The move's own lines are said by the run that moved the files.
    let moved_now = !journal.done[..done_before].contains(&Step::Moved);
    match early {
        Err(error) => {
            if !journal.is_done(Step::Moved) {
                // Nothing moved yet: take back every step this run made. A fresh move
                // leaves the tree as it was; a continued one, as it was before this run.
                created.roll_back(&plan);
                let _ = if done_before == 0 {
                    journal.finish()
                } else {
                    journal.truncate(done_before)
                };
            }
            return Err(error);
        }
        Ok(Some(signal)) => return Ok(stopped(&journal, signal, cwd)),
        Ok(None) => {}
    }
    if say == Say::Normal && moved_now {
        let mut err = std::io::stderr().lock();
        if let Some(earlier) = &plan.undoes {
            writeln!(err, "removed {}: this move undoes it", shown(earlier))?;
        }
        let git = if plan.git { " (git mv)" } else { "" };
        match &plan.codemod_file {
            Some(file) => writeln!(
                err,
                "wrote {}; moved {} to {}{git}",
                shown(file),
                shown(&plan.src),
                shown(&plan.dst)
            )?,
            None => writeln!(
                err,
                "moved {} to {}{git}; {} is still {}: no codemod needed; {respelled} relative import(s) respelled",
                shown(&plan.src),
                shown(&plan.dst),
                plan.to,
                plan.to
            )?,
        }
    }
    let mut status = ExitStatus::Clean;
    if !journal.is_done(Step::Applied) {
        if let Some(file) = &plan.codemod_file {
            let Settings {
                run,
                rules,
                mut output,
                ..
            } = Settings::for_codemod(Mode::Apply, cwd, file, &plan.project_root)?;
            output.verbosity = if say == Say::Quiet {
                Verbosity::Quiet
            } else {
                Verbosity::Normal
            };
            let result = reroute_run::run(&run, rules, interrupt, &())?;
            if say != Say::Nothing {
                crate::render::run_report(&output, &run, result.engine.rules(), &result.report)?;
            }
            if let Some(signal) = result.report.interrupted {
                return Ok(stopped(&journal, signal, cwd));
            }
            status = result.report.exit_status();
        }
        journal.mark(Step::Applied)?;
    }
    if plan.shim && !journal.is_done(Step::Shim) {
        let shim = perform::write_shim(&plan)?;
        journal.mark(Step::Shim)?;
        if say == Say::Normal {
            writeln!(
                std::io::stderr().lock(),
                "wrote {}: the old name is the new module, with a DeprecationWarning",
                shown(&shim)
            )?;
        }
    }
    journal.finish()?;
    Ok(status)
}

/// Says what an interrupted move did and how to finish it; its exit status.
fn stopped(journal: &Journal, signal: Signal, cwd: &Path) -> ExitStatus {
    let plan = &journal.plan;
    let shown = |path: &Path| display_path(path, cwd);
    let mut done = Vec::new();
    for step in &journal.done {
        done.push(match step {
            Step::Codemod => match &plan.codemod_file {
                Some(file) => format!("wrote {}", shown(file)),
                None => continue,
            },
            Step::Folders if plan.new_folders.is_empty() => continue,
            Step::Folders => format!(
                "made {}",
                plan.new_folders
                    .iter()
                    .map(|f| shown(f))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Step::Moved => format!("moved {} to {}", shown(&plan.src), shown(&plan.dst)),
            Step::Applied => "rewrote the importers".to_string(),
            Step::Shim => "wrote the shim".to_string(),
        });
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "reroute mv: stopped by {}; done: {}.\nfinish the move with: reroute mv --continue",
        signal.name(),
        if done.is_empty() {
            "nothing yet (the journal is written)".to_string()
        } else {
            done.join("; ")
        }
    );
    match signal {
        Signal::Int => ExitStatus::Interrupted,
        Signal::Term => ExitStatus::Terminated,
    }
}

/// The test-only hook `REROUTE_TEST_MV_SIGNAL_AT=STEP:SIGNAL` (STEP: codemod, folders,
/// moved; SIGNAL: SIGINT or SIGTERM): the process raises SIGNAL to itself once STEP is done,
/// so that tests interrupt a move at each step. Not a user feature.
fn test_hook() -> anyhow::Result<Option<(Step, Signal)>> {
    let Ok(value) = std::env::var("REROUTE_TEST_MV_SIGNAL_AT") else {
        return Ok(None);
    };
    let parsed = value.split_once(':').and_then(|(step, signal)| {
        let step = [Step::Codemod, Step::Folders, Step::Moved]
            .into_iter()
            .find(|s| s.hook_name() == step)?;
        let signal = match signal {
            "SIGINT" => Signal::Int,
            "SIGTERM" => Signal::Term,
            _ => return None,
        };
        Some((step, signal))
    });
    parsed
        .map(Some)
        .with_context(|| format!("REROUTE_TEST_MV_SIGNAL_AT={value:?}: expected STEP:SIGINT or STEP:SIGTERM (a test-only hook)"))
}

fn raise(hook: Option<(Step, Signal)>) {
    #[cfg(unix)]
    if let Some((_, signal)) = hook {
        let number = match signal {
            Signal::Int => signal_hook::consts::SIGINT,
            Signal::Term => signal_hook::consts::SIGTERM,
        };
        let _ = signal_hook::low_level::raise(number);
    }
}

/// Applies the move's codemod over the project in a copy (`--dry-run`), rendering nothing.
fn finish_in_copy(plan: &MovePlan, cwd: &Path) -> anyhow::Result<ExitStatus> {
    execute(
        Journal::new(plan.clone()),
        cwd,
        &Interrupt::none(),
        Say::Nothing,
    )
}
