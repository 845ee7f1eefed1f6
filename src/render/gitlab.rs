//! `check --format gitlab`: a GitLab Code Quality report, one JSON array of issues. Each
//! reference left (fixable or manual) is an issue of severity `major`, each note `info`, a
//! file that failed `blocker`, a walk error or target problem `minor`. A fingerprint names
//! the issue without its line, so that moving code does not make it new: the file, the
//! rule, the paths, the code, and an occurrence index that keeps equal ones apart.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use serde_json::{Value, json};

use super::problems::{RunProblem, shows};
use super::{Format, display_path};
use reroute_run::report::{Report, Status};

pub fn render(report: &Report, cwd: &Path, out: &mut dyn Write) -> io::Result<()> {
    let mut issues = Issues::default();
    for error in report
        .walk_errors
        .iter()
        .filter(|_| shows(Format::Gitlab, RunProblem::Walk))
    {
        let path = error
            .path
            .as_ref()
            .map_or_else(|| ".".to_string(), |p| display_path(p, cwd));
        issues.push("walk-error", &error.message, "minor", &path, 1, &[]);
    }
    if shows(Format::Gitlab, RunProblem::Target) {
        for problem in &report.target_problems {
            let path = display_path(&problem.location.file, cwd);
            let message = problem.to_string();
            let line = problem.location.line;
            issues.push("target-check", &message, "minor", &path, line, &[&message]);
        }
    }
    for outcome in &report.outcomes {
        let path = display_path(&outcome.path, cwd);
        if let reroute_run::FileStatus::Failed(error) = &outcome.status {
            issues.push("file-error", &error.to_string(), "blocker", &path, 1, &[]);
        }
        for finding in &outcome.findings {
            let severity = match Status::of(finding, outcome.is_failed()) {
                Status::Fixable | Status::Manual => "major",
                Status::Note => "info",
                Status::Suppressed | Status::Mention => continue,
            };
            let rule = finding.rule_name();
            let message = format!("{rule}: {}", super::wording::message(finding));
            let old = finding.old.to_string();
            let new = finding
                .new
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            let code = finding.fix.code();
            issues.push(
                &rule,
                &message,
                severity,
                &path,
                finding.line,
                &[&old, &new, code],
            );
        }
    }
    serde_json::to_writer_pretty(&mut *out, &Value::Array(issues.list))
        .map_err(io::Error::other)?;
    writeln!(out)
}

/// The issues, and how many times each identity (without the line) was seen.
#[derive(Default)]
struct Issues {
    list: Vec<Value>,
    seen: BTreeMap<String, usize>,
}

impl Issues {
    fn push(
        &mut self,
        check: &str,
        description: &str,
        severity: &str,
        path: &str,
        line: usize,
        identity: &[&str],
    ) {
        let mut key = format!("{path}\u{0}{check}");
        for part in identity {
            key.push('\u{0}');
            key.push_str(part);
        }
        let occurrence = self.seen.entry(key.clone()).or_default();
        *occurrence += 1;
        key.push_str(&format!("\u{0}{occurrence}"));
        self.list.push(json!({
            "description": description,
            "check_name": check,
            "fingerprint": fingerprint(&key),
            "severity": severity,
            "location": {"path": path, "lines": {"begin": line}},
        }));
    }
}

/// 128 bits of FNV-1a (two 64-bit passes with different offsets), as 32 hex digits: the
/// same on every machine and in every version of reroute.
fn fingerprint(key: &str) -> String {
    let pass = |mut hash: u64| {
        for byte in key.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        hash
    };
    format!(
        "{:016x}{:016x}",
        pass(0xcbf2_9ce4_8422_2325),
        pass(0x8422_2325_cbf2_9ce4)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_issues_get_distinct_fingerprints_without_lines() {
        let identity = ["a.old", "a.new", "rewritten"];
        let mut issues = Issues::default();
        for line in [3, 9] {
            issues.push("m/1", "d", "major", "a.py", line, &identity);
        }
        let mut moved = Issues::default();
        moved.push("m/1", "d", "major", "a.py", 30, &identity);
        let prints: Vec<&str> = issues
            .list
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        assert_ne!(prints[0], prints[1]);
        assert_eq!(prints[0], moved.list[0]["fingerprint"].as_str().unwrap());
        assert_eq!(prints[0].len(), 32);
    }
}
