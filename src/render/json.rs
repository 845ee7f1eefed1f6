//! `--format json`: one JSON document, schema `reroute.check/3` for `check` (see README);
//! `diff` and `apply` print the same document as `reroute.diff/3` and `reroute.apply/3`,
//! with a `files` list of the files that change (their patch, for `diff`). Version 2: a
//! finding's `codemod` and `new` are `null` for an unresolved import, and the summary
//! counts those under `unresolved_imports`, never under a codemod. Version 3: `new` is
//! also `null` for a name a codemod's `[[remove]]` says is gone (reason `removed`, or
//! `fixable` when its `replace` expression was written), with `codemod` set.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::Format;
use super::display_path;
use super::problems::{RunProblem, shows};
use reroute_engine::Fix;
use reroute_engine::Warning;
use reroute_run::FileStatus;
use reroute_run::report::{Mode, Report, Status};

pub const SCHEMA: &str = "reroute.check/3";

/// The schema name a mode's document carries.
fn schema(mode: Mode) -> &'static str {
    match mode {
        Mode::Check => SCHEMA,
        Mode::Diff => "reroute.diff/3",
        Mode::Apply => "reroute.apply/3",
    }
}

#[derive(Serialize)]
struct Document {
    schema: &'static str,
    /// With `--shard K/N`: which part of the run this is (`reroute merge` joins them).
    #[serde(skip_serializing_if = "Option::is_none")]
    shard: Option<ShardInfo>,
    /// With a shard: every file it scanned, so that `reroute merge --format junit` can list
    /// each one.
    #[serde(skip_serializing_if = "Option::is_none")]
    scanned: Option<Vec<String>>,
    /// `diff` and `apply`: the files that change.
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<Vec<JsonFile>>,
    findings: Vec<JsonFinding>,
    errors: Vec<JsonMessage>,
    warnings: Vec<JsonMessage>,
    summary: Summary,
}

/// This report's shard: `index` of `count`, and the fingerprint of the codemods used.
#[derive(Serialize)]
pub struct ShardInfo {
    pub index: u64,
    pub count: u64,
    pub codemods: String,
}

/// A file `diff` would change or `apply` changed.
#[derive(Serialize)]
struct JsonFile {
    path: String,
    /// `changed` (diff: would change; apply: not written, see `errors`) or `written`.
    status: &'static str,
    edits: usize,
    /// `diff`: the file's unified diff (`null` when it is not UTF-8 text).
    #[serde(skip_serializing_if = "Option::is_none")]
    diff: Option<Option<String>>,
}

#[derive(Serialize)]
struct JsonFinding {
    path: String,
    line: usize,
    column: usize,
    /// `codemod/n`, or `unresolved-import`.
    rule: String,
    /// `null` for an unresolved import (no codemod says it).
    codemod: Option<String>,
    old: String,
    /// `null` for an unresolved import and a removed name (nothing says where it went).
    new: Option<String>,
    /// import | usage | string | comment | syntax-error
    site: &'static str,
    /// For target strings: patch | monkeypatch | import_module | resolve_name.
    category: Option<&'static str>,
    /// fixable | manual | suppressed | mention | note
    status: &'static str,
    reason: Option<JsonReason>,
}

#[derive(Serialize)]
struct JsonReason {
    code: &'static str,
    message: String,
}

#[derive(Serialize)]
struct JsonMessage {
    path: String,
    line: Option<usize>,
    message: String,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    files_failed: usize,
    fixable: usize,
    manual: usize,
    suppressed: usize,
    mentions: usize,
    notes: usize,
    strings: BTreeMap<&'static str, usize>,
    /// `check --unresolved-imports`: imports of first-party modules that do not exist
    /// (manual findings; their notes count under `notes`).
    unresolved_imports: usize,
    by_codemod: BTreeMap<String, CodemodCounts>,
}

#[derive(Serialize)]
struct CodemodCounts {
    fixable: usize,
    manual: usize,
    suppressed: usize,
    mentions: usize,
    notes: usize,
    /// Target strings per category (only categories that occur).
    strings: BTreeMap<&'static str, usize>,
}

pub fn render(
    report: &Report,
    cwd: &Path,
    shard: Option<ShardInfo>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut findings = Vec::new();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for error in report
        .walk_errors
        .iter()
        .filter(|_| shows(Format::Json, RunProblem::Walk))
    {
        errors.push(JsonMessage {
            path: error
                .path
                .as_ref()
                .map_or_else(String::new, |p| display_path(p, cwd)),
            line: None,
            message: error.message.clone(),
        });
    }
    let shows = |problem| shows(Format::Json, problem);
    for problem in report
        .target_problems
        .iter()
        .filter(|_| shows(RunProblem::Target))
    {
        warnings.push(JsonMessage {
            path: problem.location.file.display().to_string(),
            line: Some(problem.location.line),
            message: problem.to_string(),
        });
    }
    for temp in report
        .temp_files
        .iter()
        .filter(|_| shows(RunProblem::TempFile))
    {
        warnings.push(JsonMessage {
            path: display_path(&temp.path, cwd),
            line: None,
            message: temp.to_string(),
        });
    }
    for outcome in &report.outcomes {
        let path = display_path(&outcome.path, cwd);
        let failed = outcome.is_failed();
        if let Some(file) = changed_file(report.mode, outcome, &path, cwd) {
            files.push(file);
        }
        if let FileStatus::Failed(error) = &outcome.status {
            errors.push(JsonMessage {
                path: path.clone(),
                line: None,
                message: error.to_string(),
            });
        }
        for warning in &outcome.warnings {
            let (line, message) = match warning {
                Warning::SyntaxError { line } => (Some(*line), "syntax error in file".to_string()),
                Warning::Binary => (None, "binary file, skipped".to_string()),
                Warning::HardLinksBroken { .. } | Warning::OwnerNotKept { .. } => {
                    (None, warning.write_message().unwrap_or_default())
                }
            };
            warnings.push(JsonMessage {
                path: path.clone(),
                line,
                message,
            });
        }
        for finding in &outcome.findings {
            let status = Status::of(finding, failed).name();
            let reason = match &finding.fix {
                Fix::Manual(reason) => Some(JsonReason {
                    code: reason.code(),
                    message: reason.to_string(),
                }),
                Fix::Note(note) => Some(JsonReason {
                    code: note.code(),
                    message: note.to_string(),
                }),
                Fix::Rewritten | Fix::Suppressed | Fix::Mention => None,
            };
            findings.push(JsonFinding {
                path: path.clone(),
                line: finding.line,
                column: finding.column,
                rule: finding.rule_name(),
                codemod: finding.codemod().map(str::to_string),
                old: finding.old.to_string(),
                new: finding.new.as_ref().map(ToString::to_string),
                site: finding.site.name(),
                category: match finding.site {
                    reroute_engine::finding::Site::Target(kind) => Some(kind.name()),
                    _ => None,
                },
                status,
                reason,
            });
        }
    }
    let totals = report.totals();
    let scanned = shard.as_ref().map(|_| {
        report
            .outcomes
            .iter()
            .map(|o| display_path(&o.path, cwd))
            .collect()
    });
    let document = Document {
        schema: schema(report.mode),
        shard,
        scanned,
        files: (report.mode != Mode::Check).then_some(files),
        findings,
        errors,
        warnings,
        summary: Summary {
            files_scanned: report.files_scanned(),
            files_failed: report.failed(),
            fixable: totals.fixable,
            manual: totals.manual,
            suppressed: totals.suppressed,
            mentions: totals.mentions,
            notes: totals.notes,
            strings: totals.string_categories().into_iter().collect(),
            unresolved_imports: report.unresolved_imports().manual,
            by_codemod: report
                .by_codemod()
                .into_iter()
                .map(|(name, c)| {
                    (
                        name,
                        CodemodCounts {
                            fixable: c.fixable,
                            manual: c.manual,
                            suppressed: c.suppressed,
                            mentions: c.mentions,
                            notes: c.notes,
                            strings: c.string_categories().into_iter().collect(),
                        },
                    )
                })
                .collect(),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}

/// The `files` entry of a file that changes, or `None`.
fn changed_file(
    mode: Mode,
    outcome: &reroute_run::FileOutcome,
    path: &str,
    cwd: &Path,
) -> Option<JsonFile> {
    let (status, edits, diff) = match &outcome.status {
        FileStatus::Changed {
            original,
            updated,
            edits,
        } => {
            let patch: Vec<u8> = crate::diff::unified_diff(
                &super::path_bytes(&outcome.path, cwd),
                original,
                updated,
            )
            .into_iter()
            .flat_map(|(_, line)| line)
            .collect();
            let diff = (mode == Mode::Diff).then(|| String::from_utf8(patch).ok());
            ("changed", *edits, diff)
        }
        FileStatus::Written { edits } => ("written", *edits, None),
        _ => return None,
    };
    Some(JsonFile {
        path: path.to_string(),
        status,
        edits,
        diff,
    })
}
