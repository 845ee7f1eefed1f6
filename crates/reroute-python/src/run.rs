//! `reroute_py.run`: `check`, `diff` or `apply` over paths, as the command line runs them
//! (the project's `[tool.reroute]`, its codemods unless others are given), the report as
//! objects. The run happens on a worker thread with the GIL released; this thread polls
//! for Python's signals and, on one, sets the run's interruption flag, waits for the run
//! to stop as `apply` stops on SIGINT, and raises.

use std::path::{Path, PathBuf};
use std::time::Duration;

use pyo3::prelude::*;

use reroute::embed::{Overrides, Settings, unified_diff};
use reroute_run::{FileStatus, Interrupt, Mode, Signal};

use crate::convert::Finding;
use crate::{Codemods, error};

/// One file a run changed (`apply`) or would change (`diff`, `check`), or could not
/// process.
#[pyclass(frozen, get_all, module = "reroute_py")]
pub struct FileReport {
    /// The file, as the run shows it (relative to the current folder).
    path: String,
    /// `changed` (would change), `written`, or `failed`.
    status: String,
    /// The edits made or planned.
    edits: usize,
    /// `diff`: the file's unified diff; else `None`.
    diff: Option<String>,
    /// Why the file failed; else `None`.
    error: Option<String>,
}

#[pymethods]
impl FileReport {
    fn __repr__(&self) -> String {
        format!(
            "FileReport({} {}, {} edits)",
            self.path, self.status, self.edits
        )
    }
}

/// What a run found and did.
#[pyclass(frozen, get_all, module = "reroute_py")]
pub struct Report {
    /// `check`, `diff` or `apply`.
    command: String,
    /// Every finding, in path order.
    findings: Vec<Py<Finding>>,
    /// The files that change, were written, or failed.
    files: Vec<Py<FileReport>>,
    /// Warnings of the run (a `to` the tree does not have, a syntax error elsewhere, …).
    warnings: Vec<String>,
    /// Files scanned.
    files_scanned: usize,
    /// The exit code the command line would give (0, 1, 2; 130 when interrupted).
    exit_code: i32,
}

#[pymethods]
impl Report {
    fn __repr__(&self) -> String {
        format!(
            "Report({} exit_code={}, findings={}, files={})",
            self.command,
            self.exit_code,
            self.findings.len(),
            self.files.len()
        )
    }
}

/// Runs `command` (`"check"`, `"diff"` or `"apply"`) over `paths` with `codemods`, or
/// with the project's configured codemods when `None`. `unresolved_imports` is `check
/// --unresolved-imports`; `assume_upgraded` is `--assume-upgraded` (version tiers rewritten
/// even where the project's pyproject.toml does not declare them).
#[pyfunction]
#[pyo3(signature = (command, paths, codemods = None, *, unresolved_imports = false, assume_upgraded = false))]
pub fn run(
    py: Python<'_>,
    command: &str,
    paths: Vec<PathBuf>,
    codemods: Option<&Codemods>,
    unresolved_imports: bool,
    assume_upgraded: bool,
) -> PyResult<Report> {
    let mode = match command {
        "check" => Mode::Check,
        "diff" => Mode::Diff,
        "apply" => Mode::Apply,
        other => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "command must be \"check\", \"diff\" or \"apply\", not {other:?}"
            )));
        }
    };
    let cwd = std::env::current_dir().map_err(|e| {
        error(
            py,
            format!("cannot read the current folder: {e}"),
            None,
            None,
            None,
        )
    })?;
    let overrides = Overrides {
        paths,
        // Codemods given are used as compiled (those made from text have no file).
        no_codemods: codemods.is_some(),
        unresolved_imports,
        assume_upgraded,
        ..Overrides::default()
    };
    let mut settings = Settings::resolve(mode, &overrides, &cwd)
        .map_err(|e| error(py, e.to_string(), None, None, None))?;
    if let Some(codemods) = codemods {
        settings.rules = codemods.rules.clone();
        let declared = reroute::embed::declared_requirements(&settings.run.project_root);
        settings
            .rules
            .hold_tiers(|requirement| assume_upgraded || declared.satisfies(requirement));
    }
    let interrupt = Interrupt::none();
    let (result, raised) = std::thread::scope(|scope| {
        let options = &settings.run;
        let rules = settings.rules.clone();
        let interrupt_ref = &interrupt;
        let worker = scope.spawn(move || reroute_run::run(options, rules, interrupt_ref, &()));
        let mut raised = None;
        while !worker.is_finished() {
            py.detach(|| std::thread::sleep(Duration::from_millis(20)));
            if raised.is_none()
                && let Err(signal) = py.check_signals()
            {
                interrupt.set(Signal::Int);
                raised = Some(signal);
            }
        }
        (worker.join(), raised)
    });
    if let Some(signal) = raised {
        return Err(signal);
    }
    let result = result
        .map_err(|_| {
            error(
                py,
                "internal error: the run panicked".into(),
                None,
                None,
                None,
            )
        })?
        .map_err(|e| error(py, e.to_string(), None, None, None))?;
    report(py, command, &cwd, &result.report)
}

/// The report as objects.
fn report(
    py: Python<'_>,
    command: &str,
    cwd: &Path,
    report: &reroute_run::Report,
) -> PyResult<Report> {
    // As the command line shows paths: relative to the current folder, without `./`.
    let shown = |path: &Path| {
        let relative = path.strip_prefix(cwd).unwrap_or(path);
        relative
            .strip_prefix(".")
            .unwrap_or(relative)
            .display()
            .to_string()
    };
    let mut findings = Vec::new();
    let mut files = Vec::new();
    let mut warnings: Vec<String> = report
        .target_problems
        .iter()
        .map(ToString::to_string)
        .collect();
    for outcome in &report.outcomes {
        let path = PathBuf::from(shown(&outcome.path));
        let failed = outcome.is_failed();
        for finding in &outcome.findings {
            findings.push(Py::new(py, Finding::of(finding, &path, failed))?);
        }
        for warning in &outcome.warnings {
            if let reroute_engine::Warning::SyntaxError { line } = warning {
                warnings.push(format!("{}:{line}: syntax error in file", path.display()));
            }
        }
        let file = match &outcome.status {
            FileStatus::Changed {
                original,
                updated,
                edits,
            } => Some(FileReport {
                path: path.display().to_string(),
                status: "changed".into(),
                edits: *edits,
                diff: (command == "diff")
                    .then(|| diff_text(&path, original, updated))
                    .flatten(),
                error: None,
            }),
            FileStatus::Written { edits, .. } => Some(FileReport {
                path: path.display().to_string(),
                status: "written".into(),
                edits: *edits,
                diff: None,
                error: None,
            }),
            FileStatus::Failed(e) => Some(FileReport {
                path: path.display().to_string(),
                status: "failed".into(),
                edits: 0,
                diff: None,
                error: Some(e.to_string()),
            }),
            _ => None,
        };
        if let Some(file) = file {
            files.push(Py::new(py, file)?);
        }
    }
    Ok(Report {
        command: command.to_string(),
        findings,
        files,
        warnings,
        files_scanned: report.files_scanned(),
        exit_code: report.exit_status() as i32,
    })
}

/// The unified diff of one file, as `reroute diff` prints it; `None` when it is not UTF-8.
fn diff_text(path: &Path, original: &[u8], updated: &[u8]) -> Option<String> {
    let text: Vec<u8> = unified_diff(path.display().to_string().as_bytes(), original, updated)
        .into_iter()
        .flat_map(|(_, line)| line)
        .collect();
    String::from_utf8(text).ok()
}
