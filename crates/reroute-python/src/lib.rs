//! `reroute_py`: reroute for Python migration scripts. Codemods from TOML text or files,
//! `rewrite` of one source string, and `run` of `check`, `diff` or `apply` over paths,
//! with the report as objects. Runs release the GIL; the calling thread polls for
//! Python's signals meanwhile and stops an `apply` with its guarantees (the files written
//! are whole, the others untouched) before raising `KeyboardInterrupt`. No panic hook or
//! signal handler is installed in the host process.

mod convert;
mod run;

use std::path::{Path, PathBuf};

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

use reroute_engine::spec::{self, Codemod};
use reroute_engine::{Engine, EngineOptions, FileStatus, Layout, ListedLayout, RuleSet, Stats};

use convert::Finding;

create_exception!(
    reroute_py,
    RerouteError,
    PyException,
    "A codemod that does not load, a file that cannot be processed, or a run that cannot start. `file`, `line` and `column` say where, when known."
);

/// Raises `RerouteError(message)` with `file`, `line` and `column` set as attributes.
pub(crate) fn error(
    py: Python<'_>,
    message: String,
    file: Option<&Path>,
    line: Option<usize>,
    column: Option<usize>,
) -> PyErr {
    let err = RerouteError::new_err(message);
    let value = err.value(py);
    let file = file.map(|f| f.display().to_string());
    // Setting attributes on a fresh exception object cannot fail in practice; if it did,
    // the message still says it all.
    let _ = value.setattr("file", file);
    let _ = value.setattr("line", line);
    let _ = value.setattr("column", column);
    err
}

fn spec_error(py: Python<'_>, e: &spec::SpecError) -> PyErr {
    let location = e.location();
    error(
        py,
        e.to_string(),
        Some(e.file()),
        location.map(|l| l.line),
        location.map(|l| l.column),
    )
}

/// A set of codemods, compiled once, for `rewrite` and `run`.
#[pyclass(frozen, module = "reroute_py")]
pub struct Codemods {
    codemods: Vec<Codemod>,
    rules: RuleSet,
}

#[pymethods]
impl Codemods {
    /// Compiles one codemod from its TOML text; `name` is what rule ids and suppression
    /// comments call it (a file's stem, for codemods read from files).
    #[staticmethod]
    #[pyo3(signature = (text, name = "codemod"))]
    fn from_toml(py: Python<'_>, text: &str, name: &str) -> PyResult<Codemods> {
        let file = PathBuf::from(format!("{name}.toml"));
        let codemod =
            spec::parse_codemod(text, &file, name.into()).map_err(|e| spec_error(py, &e))?;
        Codemods::new(py, vec![codemod])
    }

    /// Loads a codemod file, or every `*.toml` of a folder (as `--codemods` does).
    #[staticmethod]
    fn from_path(py: Python<'_>, path: PathBuf) -> PyResult<Codemods> {
        let codemods =
            reroute::embed::load_codemods(std::slice::from_ref(&path)).map_err(|e| match e {
                reroute::embed::SettingsError::Spec(spec) => spec_error(py, &spec),
                other => error(py, other.to_string(), Some(&path), None, None),
            })?;
        Codemods::new(py, codemods)
    }

    /// The codemods' names, in load order.
    #[getter]
    fn names(&self) -> Vec<String> {
        self.codemods.iter().map(|c| c.name.to_string()).collect()
    }

    /// How many moves they declare.
    #[getter]
    fn moves(&self) -> usize {
        self.rules.moves().len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Codemods(names={:?}, moves={})",
            self.names(),
            self.rules.moves().len()
        )
    }
}

impl Codemods {
    fn new(py: Python<'_>, codemods: Vec<Codemod>) -> PyResult<Codemods> {
        let rules = RuleSet::new(codemods.clone()).map_err(|e| spec_error(py, &e))?;
        Ok(Codemods { codemods, rules })
    }
}

/// What `rewrite` made of one source.
#[pyclass(frozen, get_all, module = "reroute_py")]
pub struct Rewrite {
    /// The new source (the same text when nothing changed).
    text: String,
    /// Whether the text changed.
    changed: bool,
    /// Every reference found: rewritten ones, those left for a person, notes.
    findings: Vec<Py<Finding>>,
}

#[pymethods]
impl Rewrite {
    fn __repr__(&self) -> String {
        let changed = if self.changed { "True" } else { "False" };
        format!(
            "Rewrite(changed={changed}, findings={})",
            self.findings.len()
        )
    }
}

/// Rewrites `source`, the text of the file at `path`, as `apply` would. `root` is the
/// project folder that module names, relative imports and the codemods' `exclude` globs are
/// read against (`None`: `path` alone tells the module name, nothing is read from disk); its
/// `pyproject.toml` says which version tiers the project meets, and `assume_upgraded` meets
/// them all.
#[pyfunction]
#[pyo3(signature = (source, codemods, path = PathBuf::from("module.py"), root = None, *, assume_upgraded = false))]
fn rewrite(
    py: Python<'_>,
    source: &str,
    codemods: &Codemods,
    path: PathBuf,
    root: Option<PathBuf>,
    assume_upgraded: bool,
) -> PyResult<Rewrite> {
    let options = EngineOptions {
        verify_whole: true,
        ..EngineOptions::default()
    };
    let mut rules = codemods.rules.clone();
    let declared = root
        .as_deref()
        .map(reroute::embed::declared_requirements)
        .unwrap_or_default();
    rules.hold_tiers(|requirement| assume_upgraded || declared.satisfies(requirement));
    let engine = Engine::new(rules, options);
    let (absolute, layout): (PathBuf, Box<dyn Layout>) = match &root {
        Some(root) => (
            root.join(&path),
            Box::new(reroute_run::DiskLayout::new(Vec::new()).with_root(root.clone())),
        ),
        None => (
            std::path::absolute(&path).unwrap_or_else(|_| path.clone()),
            Box::new(ListedLayout::default()),
        ),
    };
    let bytes = source.as_bytes().to_vec();
    let result = py.detach(|| engine.process(&absolute, bytes, layout.as_ref(), &Stats::default()));
    let text = match result.status {
        FileStatus::Changed { updated, .. } => String::from_utf8(updated).map_err(|_| {
            error(
                py,
                "the rewrite is not UTF-8".into(),
                Some(&path),
                None,
                None,
            )
        })?,
        FileStatus::Failed(e) => {
            return Err(error(py, e.to_string(), Some(&path), e.line(), None));
        }
        _ => source.to_string(),
    };
    let findings = result
        .findings
        .iter()
        .map(|f| Py::new(py, Finding::of(f, &path, false)))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(Rewrite {
        changed: text != source,
        text,
        findings,
    })
}

#[pymodule]
fn reroute_py(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Codemods>()?;
    m.add_class::<Rewrite>()?;
    m.add_class::<Finding>()?;
    m.add_class::<run::Report>()?;
    m.add_class::<run::FileReport>()?;
    m.add_function(wrap_pyfunction!(rewrite, m)?)?;
    m.add_function(wrap_pyfunction!(run::run, m)?)?;
    m.add("RerouteError", m.py().get_type::<RerouteError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
