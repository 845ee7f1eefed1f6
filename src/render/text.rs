//! Human output: diffs and check lines on stdout; warnings, errors and summaries on stderr.

use std::io::{self, Write};
use std::path::Path;

use super::Format;
use super::Verbosity;
use super::problems::{RunProblem, shows};
use super::wording::{self, TagKind};
use super::{display_path, path_bytes, style};
use crate::diff::{LineKind, unified_diff};
use reroute_engine::Warning;
use reroute_engine::{Finding, Fix};
use reroute_run::Signal;
use reroute_run::report::{Mode, Report, Status};
use reroute_run::{FileOutcome, FileStatus};

pub struct TextOutput<'a> {
    pub cwd: &'a Path,
    pub color: bool,
    /// `-q`: findings and errors only (no summary, notes or warnings); `-v`: also a status
    /// line per file.
    pub verbosity: Verbosity,
}

impl TextOutput<'_> {
    pub fn render(
        &self,
        report: &Report,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> io::Result<()> {
        self.diagnostics(report, err)?;
        if self.verbosity == Verbosity::Verbose {
            super::status::render(report, self.cwd, err)?;
        }
        let quiet = self.verbosity == Verbosity::Quiet;
        match report.mode {
            Mode::Diff => {
                for outcome in &report.outcomes {
                    if let FileStatus::Changed {
                        original, updated, ..
                    } = &outcome.status
                    {
                        self.diff(outcome, original, updated, out)?;
                    }
                }
                // The patch comes first on a terminal, then what is said about it.
                out.flush()?;
                self.manual(report, err)?;
                if quiet {
                    return Ok(());
                }
                let totals = report.totals();
                writeln!(
                    err,
                    "Would rewrite {} in {} ({} scanned); {}.{}",
                    count(totals.fixable, "reference"),
                    count(report.files_changed(), "file"),
                    count(report.files_scanned(), "file"),
                    manual_edits(totals.manual - report.unwritten()),
                    failed_files(report)
                )
            }
            Mode::Apply => {
                self.manual(report, err)?;
                if let Some(signal) = report.interrupted {
                    return self.interrupted(report, signal, err);
                }
                if quiet {
                    return Ok(());
                }
                let totals = report.totals();
                writeln!(
                    out,
                    "Scanned {}; rewrote {} with {} in {}; {}.{}",
                    count(report.files_scanned(), "file"),
                    count(totals.fixable, "reference"),
                    count(report.edits(), "edit"),
                    count(report.files_changed(), "file"),
                    manual_edits(totals.manual - report.unwritten()),
                    failed_files(report)
                )
            }
            Mode::Check => self.check(report, out),
        }
    }

    /// `apply` stopped for a signal: which files were written and which were not.
    fn interrupted(&self, report: &Report, signal: Signal, err: &mut dyn Write) -> io::Result<()> {
        let count = |wanted: fn(&FileStatus) -> bool| {
            report.outcomes.iter().filter(|o| wanted(&o.status)).count()
        };
        let written = count(|s| matches!(s, FileStatus::Written { .. }));
        let not_written = count(|s| matches!(s, FileStatus::Changed { .. }));
        let not_processed = count(|s| matches!(s, FileStatus::NotProcessed));
        writeln!(
            err,
            "interrupted by {}: {written} files written, {not_written} files with changes not written, {not_processed} files not processed; run `reroute apply` again to finish",
            signal.name()
        )?;
        for outcome in &report.outcomes {
            let label = match outcome.status {
                FileStatus::Written { .. } => "written",
                FileStatus::Changed { .. } => "not written",
                _ => continue,
            };
            writeln!(err, "{label}: {}", display_path(&outcome.path, self.cwd))?;
        }
        Ok(())
    }

    fn diff(
        &self,
        outcome: &FileOutcome,
        original: &[u8],
        updated: &[u8],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let path = path_bytes(&outcome.path, self.cwd);
        for (kind, line) in unified_diff(&path, original, updated) {
            let style = match kind {
                LineKind::Header => Some(style::DIFF_HEADER),
                LineKind::Hunk => Some(style::DIFF_HUNK),
                LineKind::Removed => Some(style::DIFF_REMOVED),
                LineKind::Added => Some(style::DIFF_ADDED),
                LineKind::Context | LineKind::Marker => None,
            };
            if let Some(style) = style.filter(|_| self.color) {
                // Colour the text, not the line ending.
                let body_end = line.len() - usize::from(line.ends_with(b"\n"));
                write!(out, "{}", style.render())?;
                out.write_all(&line[..body_end])?;
                write!(out, "{}", style.render_reset())?;
                out.write_all(&line[body_end..])?;
            } else {
                out.write_all(&line)?;
            }
        }
        Ok(())
    }

    /// Findings that need a person, on stderr (diff and apply).
    /// Findings that need a person, and notes: a note of the same code and move is shown
    /// once, with how many more there are (`check` lists them all).
    fn manual(&self, report: &Report, err: &mut dyn Write) -> io::Result<()> {
        let mut notes: Vec<((&'static str, String), usize)> = Vec::new();
        for outcome in &report.outcomes {
            for finding in &outcome.findings {
                match &finding.fix {
                    Fix::Manual(_) => {
                        writeln!(err, "manual: {}", self.finding_line(outcome, finding))?
                    }
                    Fix::Note(_) if self.verbosity == Verbosity::Quiet => {}
                    Fix::Note(note) => {
                        let key = (note.code(), finding.rule_name());
                        match notes.iter_mut().find(|(k, _)| *k == key) {
                            Some((_, more)) => *more += 1,
                            None => {
                                writeln!(err, "note: {}", self.finding_line(outcome, finding))?;
                                notes.push((key, 0));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        for ((code, rule), more) in notes.iter().filter(|(_, more)| *more > 0) {
            writeln!(
                err,
                "note: {} more `{code}` {} for {rule} (`reroute check` lists them; `--quiet-notes {code}` hides them)",
                more,
                if *more == 1 { "note" } else { "notes" }
            )?;
        }
        Ok(())
    }

    fn check(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        for outcome in &report.outcomes {
            let failed = outcome.is_failed();
            for finding in &outcome.findings {
                let status = Status::of(finding, failed);
                if status == Status::Suppressed
                    || (status == Status::Note && self.verbosity == Verbosity::Quiet)
                {
                    continue;
                }
                if status == Status::Manual && finding.fix == Fix::Rewritten {
                    writeln!(
                        out,
                        "{} (file failed, see error above)",
                        self.finding_line(outcome, finding)
                    )?;
                } else {
                    writeln!(out, "{}", self.finding_line(outcome, finding))?;
                }
            }
        }
        if self.verbosity == Verbosity::Quiet {
            return Ok(());
        }
        let by_codemod = report.by_codemod();
        for (name, counts) in &by_codemod {
            let mut line = format!(
                "{name}: {} ({} fixable, {} manual)",
                count(counts.fixable + counts.manual, "reference"),
                counts.fixable,
                counts.manual
            );
            if counts.suppressed > 0 {
                line.push_str(&format!(", {} suppressed", counts.suppressed));
            }
            if counts.mentions > 0 {
                line.push_str(&format!(", {} mentions", counts.mentions));
            }
            if counts.notes > 0 {
                line.push_str(&format!(", {} notes", counts.notes));
            }
            let strings = counts.string_categories();
            if !strings.is_empty() {
                let parts: Vec<String> = strings
                    .iter()
                    .map(|(name, n)| format!("{n} {name}"))
                    .collect();
                line.push_str(&format!("; strings: {}", parts.join(", ")));
            }
            writeln!(out, "{line}")?;
        }
        let unresolved = report.unresolved_imports();
        if unresolved.manual + unresolved.notes + unresolved.suppressed > 0 {
            let mut line = format!("unresolved imports: {}", count(unresolved.manual, "import"));
            if unresolved.suppressed > 0 {
                line.push_str(&format!(", {} suppressed", unresolved.suppressed));
            }
            if unresolved.notes > 0 {
                line.push_str(&format!(", {} guarded (notes)", unresolved.notes));
            }
            writeln!(out, "{line}")?;
        }
        let totals = report.totals();
        writeln!(
            out,
            "{} left in {} ({} scanned).",
            count(totals.fixable + totals.manual, "reference"),
            count(
                report
                    .outcomes
                    .iter()
                    .filter(|o| o
                        .findings
                        .iter()
                        .any(|f| matches!(f.fix, Fix::Rewritten | Fix::Manual(_))))
                    .count(),
                "file"
            ),
            count(report.files_scanned(), "file")
        )
    }

    /// `-q`: of the per-file diagnostics, only the files that failed.
    fn errors(&self, report: &Report, err: &mut dyn Write) -> io::Result<()> {
        for outcome in &report.outcomes {
            if let FileStatus::Failed(error) = &outcome.status {
                writeln!(
                    err,
                    "error: {}: {error}",
                    display_path(&outcome.path, self.cwd)
                )?;
            }
        }
        Ok(())
    }

    /// `apply --stdin-filename`: the rewritten source goes to stdout, so everything said
    /// about it goes to stderr: diagnostics, manual findings and notes, and a summary.
    pub fn stdin_apply(&self, report: &Report, err: &mut dyn Write) -> io::Result<()> {
        self.diagnostics(report, err)?;
        self.manual(report, err)?;
        if self.verbosity == Verbosity::Quiet {
            return Ok(());
        }
        let totals = report.totals();
        let name = report
            .outcomes
            .first()
            .map(|o| display_path(&o.path, self.cwd))
            .unwrap_or_default();
        writeln!(
            err,
            "Rewrote {} in {name} (read from stdin, printed on stdout); {}.{}",
            count(totals.fixable, "reference"),
            manual_edits(totals.manual - report.unwritten()),
            failed_files(report)
        )
    }

    /// `path:line:col: codemod/n: pkg.old -> pkg.new` and the reason when not fixable.
    fn finding_line(&self, outcome: &FileOutcome, finding: &Finding) -> String {
        let paint = |style, text: String| style::paint(self.color, style, text);
        let path = display_path(&outcome.path, self.cwd);
        let mut head = format!(
            "{}:{}:{}: {}: {}",
            paint(style::PATH, path),
            finding.line,
            finding.column,
            paint(style::RULE, finding.rule_name()),
            paint(style::OLD, finding.old.to_string()),
        );
        if let Some(new) = wording::new_text(finding) {
            head = format!("{head} -> {}", paint(style::NEW, new));
        }
        let Some(tail) = wording::tail(finding) else {
            return head;
        };
        let tag = match tail.kind {
            TagKind::Reason => paint(style::REASON, tail.tag),
            TagKind::Note => paint(style::NOTE, tail.tag),
            TagKind::Plain => tail.tag,
        };
        match tail.text {
            Some(text) => format!("{head} {tag} {text}"),
            None => format!("{head} {tag}"),
        }
    }

    fn diagnostics(&self, report: &Report, err: &mut dyn Write) -> io::Result<()> {
        for message in report
            .walk_errors
            .iter()
            .filter(|_| shows(Format::Text, RunProblem::Walk))
        {
            writeln!(err, "error: {message}")?;
        }
        if self.verbosity == Verbosity::Quiet {
            return self.errors(report, err);
        }
        let shows = |problem| shows(Format::Text, problem);
        for problem in report
            .target_problems
            .iter()
            .filter(|_| shows(RunProblem::Target))
        {
            writeln!(err, "warning: {problem}")?;
        }
        for link in report
            .symlinks
            .iter()
            .filter(|_| shows(RunProblem::Symlink))
        {
            writeln!(
                err,
                "warning: {}: symbolic link, not followed (its target is processed if it is in the tree)",
                display_path(link, self.cwd)
            )?;
        }
        for temp in report
            .temp_files
            .iter()
            .filter(|_| shows(RunProblem::TempFile))
        {
            writeln!(
                err,
                "warning: {}: {temp}",
                display_path(&temp.path, self.cwd)
            )?;
        }
        for outcome in &report.outcomes {
            let path = display_path(&outcome.path, self.cwd);
            for warning in &outcome.warnings {
                match warning {
                    Warning::SyntaxError { line } => writeln!(
                        err,
                        "warning: {path}:{line}: syntax error in file; imports outside it were processed, references inside it are reported"
                    )?,
                    Warning::Binary => writeln!(
                        err,
                        "warning: {path}: binary file (NUL byte in the first 8 KiB), skipped"
                    )?,
                    Warning::HardLinksBroken { .. } | Warning::OwnerNotKept { .. } => {
                        let message = warning.write_message().unwrap_or_default();
                        writeln!(err, "warning: {path}: {message}")?
                    }
                }
            }
            if let FileStatus::Failed(error) = &outcome.status {
                writeln!(err, "error: {path}: {error}")?;
            }
        }
        Ok(())
    }
}

/// `n` and the noun, plural when `n` is not 1: `1 file`, `2 files`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `0 need a manual edit`, `1 needs a manual edit`.
fn manual_edits(n: usize) -> String {
    if n == 1 {
        "1 needs a manual edit".to_string()
    } else {
        format!("{n} need a manual edit")
    }
}

/// ` 2 files failed (5 references in them were not rewritten).`, or nothing.
fn failed_files(report: &Report) -> String {
    match report.failed() {
        0 => String::new(),
        failed => format!(
            " {} failed ({} in {} not rewritten; see the errors above).",
            count(failed, "file"),
            count(report.unwritten(), "reference"),
            if failed == 1 { "it" } else { "them" }
        ),
    }
}
