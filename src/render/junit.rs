//! `check --format junit`: JUnit XML, as CI test-report parsers read it (GitLab, Jenkins,
//! Azure, CircleCI, junitparser). One `<testsuite name="reroute check">` per run; one
//! `<testcase>` per scanned file (classname: its folder, name: its path); one `<failure>`
//! per reference left (fixable or manual), typed by its move; an `<error>` for a file that
//! could not be processed; notes in the case's `<system-out>`. Suppressed references and
//! mentions are not shown. Walk errors, which name no scanned file, are test cases of
//! their own.

use std::io::{self, Write};
use std::path::Path;

use super::problems::{RunProblem, shows};
use super::{Format, display_path};
use reroute_engine::Finding;
use reroute_run::FileStatus;
use reroute_run::report::{Report, Status};

pub fn render(report: &Report, cwd: &Path, out: &mut dyn Write) -> io::Result<()> {
    let mut cases = Vec::new();
    let (mut failures, mut errors) = (0, 0);
    for error in report
        .walk_errors
        .iter()
        .filter(|_| shows(Format::Junit, RunProblem::Walk))
    {
        errors += 1;
        let name = error
            .path
            .as_ref()
            .map_or_else(|| "(walk)".to_string(), |p| display_path(p, cwd));
        cases.push(format!(
            "    <testcase classname=\"reroute\" name=\"{}\">\n      <error message=\"{}\" type=\"walk-error\"/>\n    </testcase>\n",
            escape(&name),
            escape(&error.message)
        ));
    }
    for outcome in &report.outcomes {
        let path = display_path(&outcome.path, cwd);
        let mut body = String::new();
        if let FileStatus::Failed(error) = &outcome.status {
            errors += 1;
            body.push_str(&format!(
                "      <error message=\"{}\" type=\"file-error\"/>\n",
                escape(&error.to_string())
            ));
        }
        let mut notes = String::new();
        for finding in &outcome.findings {
            match Status::of(finding, outcome.is_failed()) {
                Status::Fixable | Status::Manual => {
                    failures += 1;
                    body.push_str(&failure(&path, finding));
                }
                Status::Note => notes.push_str(&format!(
                    "{path}:{}:{}: {}: {}\n",
                    finding.line,
                    finding.column,
                    finding.rule_name(),
                    super::wording::message(finding)
                )),
                Status::Suppressed | Status::Mention => {}
            }
        }
        if !notes.is_empty() {
            body.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                escape(&notes)
            ));
        }
        let classname = path.rsplit_once('/').map_or(".", |(folder, _)| folder);
        let open = format!(
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
            escape(classname),
            escape(&path),
            escape(&path)
        );
        if body.is_empty() {
            cases.push(format!("{open}/>\n"));
        } else {
            cases.push(format!("{open}>\n{body}    </testcase>\n"));
        }
    }
    let tests = cases.len();
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"reroute\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    )?;
    writeln!(
        out,
        "  <testsuite name=\"reroute check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">"
    )?;
    for case in cases {
        out.write_all(case.as_bytes())?;
    }
    let problems: Vec<String> = report
        .target_problems
        .iter()
        .filter(|_| shows(Format::Junit, RunProblem::Target))
        .map(|problem| format!("warning: {problem}\n"))
        .collect();
    if !problems.is_empty() {
        writeln!(
            out,
            "    <system-err>{}</system-err>",
            escape(&problems.concat())
        )?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// One reference left: `<failure message="…" type="codemod/N">path:line:col …</failure>`.
fn failure(path: &str, finding: &Finding) -> String {
    let message = super::wording::message(finding);
    format!(
        "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
        escape(&message),
        escape(&finding.rule_name()),
        escape(&format!(
            "{path}:{}:{}: {}: {message}",
            finding.line,
            finding.column,
            finding.rule_name()
        ))
    )
}

/// Text for an XML attribute or element: the five markup characters as entities; tab,
/// line feed and carriage return as character references (attribute values keep them);
/// characters XML 1.0 cannot hold at all (other control characters, U+FFFE, U+FFFF) as
/// U+FFFD.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' => escaped.push_str("&#9;"),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                escaped.push('\u{FFFD}')
            }
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(
            escape("a<b>&\"c\" 'd'"),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;"
        );
        assert_eq!(escape("x\ny\tz\u{1}"), "x&#10;y&#9;z\u{FFFD}");
        assert_eq!(escape("café"), "café");
    }
}
