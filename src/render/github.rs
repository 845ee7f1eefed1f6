//! `check --format github`: one GitHub Actions workflow command per finding, so that each
//! reference shows as an annotation on its line in a pull request. Deprecated references
//! (fixable or manual) are errors, notes are notices; suppressed ones and mentions are not
//! shown. Files that failed and walk errors are errors too.

use std::io::{self, Write};
use std::path::Path;

use super::problems::{RunProblem, shows};
use super::{Format, display_path};
use reroute_run::report::{Report, Status};

pub fn render(report: &Report, cwd: &Path, out: &mut dyn Write) -> io::Result<()> {
    for error in report
        .walk_errors
        .iter()
        .filter(|_| shows(Format::Github, RunProblem::Walk))
    {
        writeln!(
            out,
            "::error title=reroute::{}",
            escape_data(&error.message)
        )?;
    }
    if shows(Format::Github, RunProblem::Target) {
        for problem in &report.target_problems {
            writeln!(
                out,
                "::warning file={},line={},title=reroute::{}",
                escape_property(&display_path(&problem.location.file, cwd)),
                problem.location.line,
                escape_data(&problem.to_string())
            )?;
        }
    }
    for outcome in &report.outcomes {
        let file = display_path(&outcome.path, cwd);
        if let reroute_run::FileStatus::Failed(error) = &outcome.status {
            writeln!(
                out,
                "::error file={},title=reroute::{}",
                escape_property(&file),
                escape_data(&error.to_string())
            )?;
        }
        for finding in &outcome.findings {
            let level = match Status::of(finding, outcome.is_failed()) {
                Status::Fixable | Status::Manual => "error",
                Status::Note => "notice",
                Status::Suppressed | Status::Mention => continue,
            };
            let message = super::wording::message(finding);
            writeln!(
                out,
                "::{level} file={},line={},col={},title={}::{}",
                escape_property(&file),
                finding.line,
                finding.column,
                escape_property(&format!("reroute {}", finding.rule_name())),
                escape_data(&message)
            )?;
        }
    }
    Ok(())
}

/// A workflow command's message: `%`, CR and LF escaped.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
