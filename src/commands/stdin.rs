//! `--stdin-filename PATH`: one file read from stdin and treated as the file at PATH: its
//! module name, the codemods' excludes and the target check come from PATH and its
//! project, as if it were on disk there (it need not be). Nothing is written. `apply`
//! prints the rewritten source on stdout (the source as it was when nothing changes) and
//! what it says about it on stderr; `diff` prints the file's patch and `check` its
//! findings, in the format asked for. Exit codes are the command's. The source goes
//! through the same engine entry as a file of a run (`reroute_run::run_source`).

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;
use reroute_run::{ExitStatus, FileStatus, Mode};

use crate::config::Settings;

/// Reads the source from `input` and runs `settings`' command on it.
pub fn run(
    settings: Settings,
    filename: &Path,
    input: &mut dyn Read,
) -> anyhow::Result<ExitStatus> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .context("cannot read the source from stdin")?;
    let Settings {
        run, rules, output, ..
    } = settings;
    let result = reroute_run::run_source(&run, rules, filename, bytes.clone())?;
    let report = result.report;
    if run.mode != Mode::Apply {
        crate::render::run_report(&output, &run, result.engine.rules(), &report)?;
        return Ok(report.exit_status());
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match report.outcomes.first().map(|o| &o.status) {
        Some(FileStatus::Changed { updated, .. }) => out.write_all(updated)?,
        Some(FileStatus::Failed(_)) | None => {}
        Some(_) => out.write_all(&bytes)?,
    }
    out.flush()?;
    let text = crate::render::text::TextOutput {
        cwd: &run.cwd,
        color: false,
        verbosity: output.verbosity,
    };
    text.stdin_apply(&report, &mut std::io::stderr().lock())?;
    Ok(report.exit_status())
}
