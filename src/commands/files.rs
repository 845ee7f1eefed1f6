//! `check`, `diff` and `apply`: one run. The CLI side only assembles: the settings, the
//! signal handlers (`apply`), the progress bar, then the library's run, then the report
//! rendered once, the `--stats` funnel, and the ratchet.

use anyhow::Context;
use reroute_run::{ExitStatus, Mode, RunResult};

use crate::config::Settings;
use crate::render;
use crate::render::progress::Progress;

impl reroute_run::Progress for Progress {
    fn begin(&self, files: usize) {
        Progress::begin(self, files);
    }

    fn tick(&self) {
        Progress::tick(self);
    }
}

/// Runs `check`, `diff` or `apply` with `settings`.
pub fn run(settings: Settings) -> anyhow::Result<ExitStatus> {
    if let Some(filename) = settings.stdin_filename.clone() {
        return super::stdin::run(settings, &filename, &mut std::io::stdin().lock());
    }
    let started = std::time::Instant::now();
    // From the start, SIGINT and SIGTERM stop `apply` between writes (see write::interrupt).
    let interrupt = if settings.run.mode == Mode::Apply {
        crate::signals::install_interrupt().context("cannot install the signal handlers")?
    } else {
        reroute_run::Interrupt::none()
    };
    let progress = Progress::start_lazy(
        settings.output.progress,
        match settings.run.mode {
            Mode::Diff | Mode::Check => "checked",
            Mode::Apply => "processed",
        },
    );
    let Settings {
        run,
        rules,
        output,
        baseline,
        stats,
        ..
    } = settings;
    let result = reroute_run::run(&run, rules, &interrupt, &progress);
    progress.finish();
    let RunResult {
        report,
        stats: counters,
        threads,
        engine,
    } = result?;
    render::run_report(&output, &run, engine.rules(), &report)?;
    // The process ends after this command: the engine's tables (a codemod of 500,000 moves
    // is millions of small allocations) are left to the operating system, not freed one
    // by one.
    std::mem::forget(engine);
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    if stats {
        counters.render(started.elapsed(), threads, &mut err)?;
    }
    match &baseline {
        Some(baseline) => super::ratchet::ratchet(&report, baseline, &run.cwd, &mut err),
        None => Ok(report.exit_status()),
    }
}
