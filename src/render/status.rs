//! `-v`: one status line per file on stderr, in path order, before the summary:
//! `path: would rewrite (2 edits)`, `path: rewritten (2 edits)`, `path: 1 reference left`,
//! `path: unchanged`, `path: skipped (no moved name in it)`, `path: failed`.

use std::io::{self, Write};
use std::path::Path;

use super::display_path;
use reroute_run::report::{Mode, Report, Status};
use reroute_run::{FileOutcome, FileStatus};

pub fn render(report: &Report, cwd: &Path, err: &mut dyn Write) -> io::Result<()> {
    for outcome in &report.outcomes {
        writeln!(
            err,
            "{}: {}",
            display_path(&outcome.path, cwd),
            status(report.mode, outcome)
        )?;
    }
    Ok(())
}

fn status(mode: Mode, outcome: &FileOutcome) -> String {
    let left = outcome
        .findings
        .iter()
        .filter(|f| {
            matches!(
                Status::of(f, outcome.is_failed()),
                Status::Fixable | Status::Manual
            )
        })
        .count();
    let plural = |n: usize, noun: &str| {
        if n == 1 {
            format!("1 {noun}")
        } else {
            format!("{n} {noun}s")
        }
    };
    match (&outcome.status, mode) {
        (FileStatus::Failed(_), _) => "failed (see the error)".to_string(),
        (FileStatus::NotProcessed, _) => "not processed (interrupted)".to_string(),
        (FileStatus::Skipped, _) => "skipped (no moved name in it)".to_string(),
        (_, Mode::Check) if left > 0 => format!("{} left", plural(left, "reference")),
        (FileStatus::Changed { edits, .. }, Mode::Diff | Mode::Check) => {
            format!("would rewrite ({})", plural(*edits, "edit"))
        }
        (FileStatus::Changed { edits, .. }, Mode::Apply) => {
            format!("not written ({})", plural(*edits, "edit"))
        }
        (FileStatus::Written { edits }, _) => format!("rewritten ({})", plural(*edits, "edit")),
        (FileStatus::Unchanged, _) if left > 0 => {
            let verb = if left == 1 { "needs" } else { "need" };
            format!(
                "unchanged; {} {verb} a manual edit",
                plural(left, "reference")
            )
        }
        (FileStatus::Unchanged, _) => "unchanged".to_string(),
    }
}
