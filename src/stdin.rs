//! `--stdin-filename PATH`: one file read from stdin and treated as the file at PATH: its
//! module name, the codemods' excludes and the target check come from PATH and its
//! project, as if it were on disk there (it need not be). Nothing is written. `apply`
//! prints the rewritten source on stdout (the source as it was when nothing changes) and
//! what it says about it on stderr; `diff` prints the file's patch and `check` its
//! findings, in the format asked for. Exit codes are the command's.

use std::io::{Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use anyhow::Context;

use crate::config::Settings;
use crate::process::{self, FileError, FileOutcome, FileStatus, ProcessContext, Warning};
use crate::report::{ExitStatus, Mode, Report};
use crate::source::{self, Kind};

pub fn run(
    mut settings: Settings,
    filename: &Path,
    input: &mut dyn Read,
) -> anyhow::Result<ExitStatus> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .context("cannot read the source from stdin")?;
    let absolute = process::absolute_path(&settings.cwd, filename);
    let (modules, target_problems) =
        crate::resolve_targets(&mut settings, std::slice::from_ref(&absolute))?;
    let rules = &settings.rules;
    let stages = process::Stages::new(rules, settings.mentions);
    let context = stages.context(&settings, &modules);
    let mut outcomes = vec![process_source(&context, filename, &bytes)];
    crate::drop_quiet_notes(&mut outcomes, &settings.quiet_notes);
    let report = Report {
        mode: settings.mode,
        outcomes,
        walk_errors: Vec::new(),
        symlinks: Vec::new(),
        target_problems,
        temp_files: Vec::new(),
        interrupted: None,
    };
    if settings.mode != Mode::Apply {
        crate::render::report(&settings, &report)?;
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
        cwd: &settings.cwd,
        color: false,
        verbosity: settings.verbosity,
    };
    text.stdin_apply(&report, &mut std::io::stderr().lock())?;
    Ok(report.exit_status())
}

/// The per-file pipeline on bytes that did not come from disk; a panic is the file's
/// error, as for files on disk.
fn process_source(context: &ProcessContext<'_>, path: &Path, bytes: &[u8]) -> FileOutcome {
    let mut outcome = FileOutcome {
        path: path.to_path_buf(),
        status: FileStatus::Unchanged,
        findings: Vec::new(),
        warnings: Vec::new(),
        stamp: None,
    };
    let size = bytes.len() as u64;
    if size > context.max_file_size {
        outcome.status = FileStatus::Failed(FileError::TooLarge {
            size,
            limit: context.max_file_size,
        });
        return outcome;
    }
    if source::kind(bytes) == Kind::Binary {
        outcome.warnings.push(Warning::Binary);
        outcome.status = FileStatus::Skipped;
        return outcome;
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut inner = FileOutcome {
            path: path.to_path_buf(),
            status: FileStatus::Unchanged,
            findings: Vec::new(),
            warnings: Vec::new(),
            stamp: None,
        };
        let status = process::process_bytes(context, path, bytes.to_vec(), &mut inner);
        (inner, status)
    }));
    match result {
        Ok((inner, status)) => {
            outcome = inner;
            outcome.status = status.unwrap_or_else(FileStatus::Failed);
        }
        Err(payload) => {
            let message = crate::process::panic_message(payload.as_ref());
            outcome.status = FileStatus::Failed(FileError::Panic(message));
        }
    }
    outcome
}
