//! Findings as Python objects.

use std::path::Path;

use pyo3::prelude::*;

use reroute_engine::Fix;

/// One reference: where it is, what moved, and what happened to it.
#[pyclass(frozen, get_all, module = "reroute_py")]
pub struct Finding {
    /// The file, as given or as the run shows it.
    path: String,
    /// 1-based line.
    line: usize,
    /// 1-based column, in characters.
    column: usize,
    /// `rewritten` (or `rewritable` in `check` and `diff`), a reason code such as
    /// `name-conflict` or `unresolved-import`, `suppressed`, `mention`, or a note code.
    code: String,
    /// The finding in words, as the command line prints it after its rule.
    message: String,
    /// `codemod/N`, or `unresolved-import`.
    rule: String,
    /// The codemod; `None` for an unresolved import.
    codemod: Option<String>,
    /// The path as the site spells it (absolute).
    old: String,
    /// Where it lives now; `None` for an unresolved import.
    new: Option<String>,
    /// `fixable`, `manual`, `suppressed`, `mention` or `note`.
    status: String,
}

#[pymethods]
impl Finding {
    fn __repr__(&self) -> String {
        format!(
            "Finding({}:{}:{} {} {})",
            self.path, self.line, self.column, self.code, self.message
        )
    }
}

impl Finding {
    /// The Python object of `finding`, found in `path`; `file_failed` when its file could
    /// not be rewritten.
    pub fn of(finding: &reroute_engine::Finding, path: &Path, file_failed: bool) -> Finding {
        let status = reroute_run::report::Status::of(finding, file_failed);
        let code = match &finding.fix {
            Fix::Rewritten => "rewritten".to_string(),
            other => other.code().to_string(),
        };
        let head = match &finding.new {
            Some(new) => format!("{} -> {new}", finding.old),
            None => finding.old.to_string(),
        };
        let message = match &finding.fix {
            Fix::Manual(reason) => format!("{head} [{}] {reason}", reason.code()),
            Fix::Note(note) => format!("{head} [{}] {note}", note.code()),
            Fix::Suppressed => format!("{head} [suppressed]"),
            Fix::Mention => format!("{head} [mention in {}]", finding.site.name()),
            Fix::Rewritten => head,
        };
        Finding {
            path: path.display().to_string(),
            line: finding.line,
            column: finding.column,
            code,
            message,
            rule: finding.rule_name(),
            codemod: finding.codemod().map(str::to_string),
            old: finding.old.to_string(),
            new: finding.new.as_ref().map(ToString::to_string),
            status: status.name().to_string(),
        }
    }
}
