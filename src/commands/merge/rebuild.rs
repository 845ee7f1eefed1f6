//! The merged JSON report read back as a typed [`Report`], so that every other format
//! renders it with the renderers of `check` (`merge --format text|github|sarif|junit|gitlab`).
//! Reasons, notes, target problems and file errors come back as they were printed
//! (`Recorded`): their code and words, which is all a report shows of them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use serde_json::Value;

use reroute_engine::finding::{Note, Reason, Site, TargetKind};
use reroute_engine::spec::{DottedPath, RuleId, SpecLocation};
use reroute_engine::targets::{ProblemKind, TargetProblem};
use reroute_engine::{Finding, Fix, Warning};
use reroute_run::discover::WalkError;
use reroute_run::{FileError, FileOutcome, FileStatus, Mode, Report};

/// The report of the merged `document`; `scanned` is every file the parts scanned.
pub fn report(document: &Value, scanned: &[String]) -> anyhow::Result<Report> {
    let mut outcomes = Outcomes::default();
    for path in scanned {
        outcomes.of(path);
    }
    for finding in document["findings"].as_array().into_iter().flatten() {
        let path = finding["path"].as_str().unwrap_or_default();
        let rebuilt = rebuild_finding(finding)
            .with_context(|| format!("a finding of {path} that reroute cannot read: {finding}"))?;
        outcomes.of(path).findings.push(rebuilt);
    }
    let mut walk_errors = Vec::new();
    for error in document["errors"].as_array().into_iter().flatten() {
        let path = error["path"].as_str().unwrap_or_default();
        let message = error["message"].as_str().unwrap_or_default().to_string();
        if scanned.iter().any(|p| p == path) {
            outcomes.of(path).status = FileStatus::Failed(FileError::Recorded(message));
        } else {
            walk_errors.push(WalkError {
                path: (!path.is_empty()).then(|| PathBuf::from(path)),
                message,
            });
        }
    }
    let mut target_problems = Vec::new();
    for warning in document["warnings"].as_array().into_iter().flatten() {
        let path = warning["path"].as_str().unwrap_or_default();
        let message = warning["message"].as_str().unwrap_or_default();
        let line = warning["line"].as_u64().map(|l| l as usize);
        match (line, message) {
            (Some(line), "syntax error in file") => outcomes
                .of(path)
                .warnings
                .push(Warning::SyntaxError { line }),
            (None, "binary file, skipped") => outcomes.of(path).warnings.push(Warning::Binary),
            // A target problem names its codemod file and line.
            (Some(line), _) => target_problems.push(TargetProblem {
                location: SpecLocation {
                    file: std::path::Path::new(path).into(),
                    line,
                    column: 1,
                },
                to: DottedPath::parse("recorded").expect("a dotted name"),
                kind: ProblemKind::Recorded {
                    message: message.to_string(),
                },
            }),
            // Temp files of other runs: only text and JSON show them, and the JSON report
            // keeps them.
            (None, _) => {}
        }
    }
    Ok(Report {
        mode: Mode::Check,
        outcomes: outcomes.0.into_values().collect(),
        walk_errors,
        symlinks: Vec::new(),
        target_problems,
        temp_files: Vec::new(),
        interrupted: None,
    })
}

/// The files by path, in the order reports list them (component by component).
#[derive(Default)]
struct Outcomes(BTreeMap<Vec<String>, FileOutcome>);

impl Outcomes {
    fn of(&mut self, path: &str) -> &mut FileOutcome {
        self.0
            .entry(super::path_components(path))
            .or_insert_with(|| FileOutcome::new(&PathBuf::from(path), FileStatus::Unchanged))
    }
}

fn rebuild_finding(value: &Value) -> anyhow::Result<Finding> {
    let text = |key: &str| value[key].as_str();
    let rule = match (text("codemod"), text("rule")) {
        (Some(codemod), Some(rule)) => {
            let index = rule
                .rsplit_once('/')
                .and_then(|(_, n)| n.parse().ok())
                .context("no move number in `rule`")?;
            Some(RuleId {
                codemod: Arc::from(codemod),
                index,
            })
        }
        _ => None,
    };
    let path = |key: &str| text(key).and_then(DottedPath::parse);
    let site = match (text("site"), text("category")) {
        (Some("import"), _) => Site::Import,
        (Some("usage"), _) => Site::Usage,
        (Some("comment"), _) => Site::Comment,
        (Some("syntax-error"), _) => Site::SyntaxError,
        (Some("string"), Some(category)) => Site::Target(
            *TargetKind::ALL
                .iter()
                .find(|k| k.name() == category)
                .context("unknown category")?,
        ),
        (Some("string"), None) => Site::String,
        _ => bail!("unknown site"),
    };
    let recorded = || -> anyhow::Result<(&'static str, String)> {
        let code = value["reason"]["code"].as_str().context("no reason code")?;
        let code = crate::explain::static_code(code).context("unknown reason code")?;
        let message = value["reason"]["message"].as_str().unwrap_or_default();
        Ok((code, message.to_string()))
    };
    let fix = match text("status") {
        Some("fixable") => Fix::Rewritten,
        Some("suppressed") => Fix::Suppressed,
        Some("mention") => Fix::Mention,
        // A reference `apply` would have rewritten, in a file that failed.
        Some("manual") if value["reason"].is_null() => Fix::Rewritten,
        Some("manual") => {
            let (code, message) = recorded()?;
            Fix::Manual(Reason::Recorded { code, message })
        }
        Some("note") => {
            let (code, message) = recorded()?;
            Fix::Note(Note::Recorded { code, message })
        }
        _ => bail!("unknown status"),
    };
    Ok(Finding {
        offset: 0,
        line: value["line"].as_u64().unwrap_or(1) as usize,
        column: value["column"].as_u64().unwrap_or(1) as usize,
        rule,
        old: path("old").context("`old` is not a dotted name")?,
        new: path("new"),
        site,
        fix,
    })
}
