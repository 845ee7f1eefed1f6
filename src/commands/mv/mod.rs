//! `reroute mv SRC DST` (#10): the whole move in one command. `plan` checks the move and
//! works out the module names and the codemod (refusing, with nothing changed, when DST
//! exists, SRC is not a module of the tree, or the new name is taken); `perform` writes the
//! codemod and moves the files; then the run library applies the codemod over the project,
//! which rewrites the importers and respells the moved files' relative imports; `--shim`
//! leaves a re-exporting module behind. `--dry-run` makes the same steps in a copy
//! (`patch`) and prints the patch.

mod patch;
mod perform;
mod plan;

use std::io::Write;
use std::path::Path;

use reroute_run::{ExitStatus, Interrupt, Mode, RunResult};

use crate::cli::MvArgs;
use crate::config::Settings;
use crate::render::display_path;

/// `reroute mv`: the codemod, the move, then `apply` with the codemod over the project.
pub fn run(args: &MvArgs, cwd: &Path) -> anyhow::Result<ExitStatus> {
    let plan = plan::prepare(args, cwd)?;
    let shown = |path: &Path| display_path(path, cwd);
    if args.dry_run {
        let (patch, status) = patch::dry_run(&plan, args, cwd)?;
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
        return Ok(status);
    }
    perform::perform(&plan)?;
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
    let Settings {
        run, rules, output, ..
    } = move_settings(&plan, cwd)?;
    let interrupt = crate::signals::install_interrupt()?;
    let result = reroute_run::run(&run, rules, &interrupt, &())?;
    crate::render::run_report(&output, &run, result.engine.rules(), &result.report)?;
    let status = result.report.exit_status();
    if args.shim {
        let shim = perform::write_shim(&plan)?;
        writeln!(
            std::io::stderr().lock(),
            "wrote {}: re-exports {} with a DeprecationWarning",
            shown(&shim),
            plan.to
        )?;
    }
    Ok(status)
}

/// The settings of `apply --codemods CODEMOD --no-target-check ROOT` from `cwd`.
fn move_settings(plan: &plan::MovePlan, cwd: &Path) -> anyhow::Result<Settings> {
    Ok(Settings::for_codemod(
        Mode::Apply,
        cwd,
        &plan.codemod_file,
        &plan.project_root,
    )?)
}

/// Applies the move's codemod over the project, rendering nothing.
fn apply_moved(plan: &plan::MovePlan, cwd: &Path) -> anyhow::Result<RunResult> {
    let settings = move_settings(plan, cwd)?;
    Ok(reroute_run::run(
        &settings.run,
        settings.rules,
        &Interrupt::none(),
        &(),
    )?)
}
