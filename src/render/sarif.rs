//! `check --format sarif`: one SARIF 2.1.0 log with one run, for code-scanning uploads
//! (GitHub's `upload-sarif`, IDE viewers). Rules are the reason codes (`check --explain`
//! text as their help) plus `moved-path` for references `apply` rewrites; results are the
//! findings: `error` for a reference `apply` rewrites, `warning` for one that needs a
//! manual edit, `note` for notes; suppressed references carry an in-source suppression;
//! mentions are left out. Files that failed, walk errors and warnings are tool execution
//! notifications. Columns count characters (`columnKind: unicodeCodePoints`); paths are
//! relative to the current folder (`uriBaseId: %SRCROOT%`).

use std::io::{self, Write};
use std::path::Path;

use serde_json::{Value, json};

use super::path_bytes;
use crate::explain::{EXPLANATIONS, MOVED_PATH};
use reroute_engine::Warning;
use reroute_engine::{Finding, Fix};
use reroute_run::FileStatus;
use reroute_run::report::{Report, Status};

use super::Format;
use super::problems::{RunProblem, shows};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(report: &Report, cwd: &Path, out: &mut dyn Write) -> io::Result<()> {
    let rules = rules();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for error in report
        .walk_errors
        .iter()
        .filter(|_| shows(Format::Sarif, RunProblem::Walk))
    {
        notifications.push(notification("error", &error.message, None));
    }
    let shows_targets = shows(Format::Sarif, RunProblem::Target);
    for problem in report.target_problems.iter().filter(|_| shows_targets) {
        notifications.push(notification("warning", &problem.to_string(), None));
    }
    for outcome in &report.outcomes {
        let uri = uri(&path_bytes(&outcome.path, cwd));
        if let FileStatus::Failed(error) = &outcome.status {
            notifications.push(notification("error", &error.to_string(), Some(&uri)));
        }
        for warning in &outcome.warnings {
            let message = match warning {
                Warning::SyntaxError { line } => format!("line {line}: syntax error in file"),
                Warning::Binary => "binary file, skipped".to_string(),
                _ => warning.write_message().unwrap_or_default(),
            };
            notifications.push(notification("warning", &message, Some(&uri)));
        }
        for finding in &outcome.findings {
            if let Some(result) = result(finding, outcome.is_failed(), &uri) {
                results.push(result);
            }
        }
    }
    let successful = report.walk_errors.is_empty() && report.failed() == 0;
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "reroute",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": successful,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    writeln!(out)
}

/// Every rule reroute can report, in a fixed order: `moved-path`, then the reason and
/// note codes as `check --explain` lists them.
fn rules() -> Vec<Value> {
    std::iter::once(&MOVED_PATH)
        .chain(EXPLANATIONS)
        .map(|(code, text)| {
            let short = text.split(['.', '\n']).next().unwrap_or(text);
            json!({
                "id": code,
                "name": code,
                "shortDescription": {"text": short.trim()},
                "fullDescription": {"text": text.replace('\n', " ")},
                "help": {"text": text},
            })
        })
        .collect()
}

/// The rule a finding is reported under, and its index in [`rules`].
fn rule_of(finding: &Finding) -> Option<(&'static str, usize)> {
    let code = match &finding.fix {
        Fix::Rewritten | Fix::Suppressed => MOVED_PATH.0,
        Fix::Manual(reason) => reason.code(),
        Fix::Note(note) => note.code(),
        Fix::Mention => return None,
    };
    let index = std::iter::once(&MOVED_PATH)
        .chain(EXPLANATIONS)
        .position(|(c, _)| *c == code)?;
    Some((code, index))
}

fn result(finding: &Finding, file_failed: bool, uri: &str) -> Option<Value> {
    let status = Status::of(finding, file_failed);
    let level = match status {
        Status::Fixable => "error",
        Status::Manual => "warning",
        Status::Note => "note",
        Status::Suppressed => "error",
        Status::Mention => return None,
    };
    let (rule, index) = rule_of(finding)?;
    let text = format!(
        "{}: {}",
        finding.rule_name(),
        super::wording::message(finding)
    );
    let mut result = json!({
        "ruleId": rule,
        "ruleIndex": index,
        "level": level,
        "message": {"text": text},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": finding.line, "startColumn": finding.column},
        }}],
        "properties": {
            "move": finding.rule_name(),
            "codemod": finding.codemod(),
            "old": finding.old.to_string(),
            "new": finding.new.as_ref().map(ToString::to_string),
            "site": finding.site.name(),
            "status": status.name(),
        },
    });
    if status == Status::Suppressed {
        result["suppressions"] = json!([{"kind": "inSource"}]);
    }
    Some(result)
}

fn notification(level: &str, message: &str, uri: Option<&str>) -> Value {
    let mut value = json!({"level": level, "message": {"text": message}});
    if let Some(uri) = uri {
        value["locations"] = json!([{"physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
        }}]);
    }
    value
}

/// A relative path as a URI reference: every byte outside the unreserved set and `/`
/// percent-encoded (RFC 3986), so that spaces, `#`, `%` and non-UTF-8 names survive.
pub fn uri(path: &[u8]) -> String {
    let mut uri = String::with_capacity(path.len());
    for &byte in path {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_what_is_not_unreserved() {
        assert_eq!(uri(b"app/routes.py"), "app/routes.py");
        assert_eq!(uri(b"my app/a#b%.py"), "my%20app/a%23b%25.py");
        assert_eq!(uri(b"caf\xc3\xa9/\xff.py"), "caf%C3%A9/%FF.py");
    }

    #[test]
    fn every_rule_has_help_and_a_unique_id() {
        let rules = rules();
        let mut ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
        assert_eq!(ids[0], "moved-path");
        assert!(rules.iter().all(|r| r["help"]["text"].as_str().is_some()));
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), rules.len());
    }
}
