//! Finding and loading the codemods a run uses: `--codemods`, else `[tool.reroute]
//! codemods` in the nearest pyproject.toml, else `./codemods/`.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::ruleset::RuleSet;
use crate::spec::{self, Codemod, SpecError};

#[derive(Debug, Error)]
pub enum SettingsError {
    #[error(
        "no codemods found: pass --codemods PATH, set [tool.reroute] codemods = [\"…\"] in pyproject.toml, or create ./codemods/ with one *.toml per migration"
    )]
    NoCodemods,
    #[error("{path}: codemod path does not exist; check --codemods or [tool.reroute] codemods")]
    Missing { path: PathBuf },
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: invalid pyproject.toml: {message}")]
    Pyproject { path: PathBuf, message: String },
    #[error("--select {name}: no codemod with that name; loaded: {loaded}")]
    UnknownSelect { name: String, loaded: String },
    #[error(transparent)]
    Spec(#[from] SpecError),
}

/// The nearest pyproject.toml at or above `cwd`, with its folder and `[tool.reroute]`
/// table (`None` when the file has no such table).
fn reroute_table(cwd: &Path) -> Result<Option<(PathBuf, PathBuf, toml::Table)>, SettingsError> {
    for folder in cwd.ancestors() {
        let pyproject = folder.join("pyproject.toml");
        if !pyproject.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&pyproject).map_err(|source| SettingsError::Read {
            path: pyproject.clone(),
            source,
        })?;
        let mut value: toml::Table =
            toml::from_str(&text).map_err(|error| SettingsError::Pyproject {
                path: pyproject.clone(),
                message: error.to_string(),
            })?;
        let table = value
            .remove("tool")
            .and_then(|t| match t {
                toml::Value::Table(mut t) => t.remove("reroute"),
                _ => None,
            })
            .and_then(|r| match r {
                toml::Value::Table(r) => Some(r),
                _ => None,
            });
        return Ok(table.map(|t| (folder.to_path_buf(), pyproject, t)));
    }
    Ok(None)
}

/// A `[tool.reroute]` key that holds a list of paths, made absolute against `folder`.
fn path_list(
    table: &toml::Table,
    key: &str,
    folder: &Path,
    pyproject: &Path,
) -> Result<Option<Vec<PathBuf>>, SettingsError> {
    let Some(configured) = table.get(key) else {
        return Ok(None);
    };
    let invalid = || SettingsError::Pyproject {
        path: pyproject.to_path_buf(),
        message: format!(
            "[tool.reroute] {key} must be a list of path strings, like {key} = [\"src\"]"
        ),
    };
    let list = configured.as_array().ok_or_else(invalid)?;
    list.iter()
        .map(|item| item.as_str().map(|p| folder.join(p)).ok_or_else(invalid))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The source roots module names are relative to: `--src`, else `[tool.reroute] src` in
/// the nearest pyproject.toml; empty = find packages by their `__init__.py`.
pub fn source_roots(flags: &[PathBuf], cwd: &Path) -> Result<Vec<PathBuf>, SettingsError> {
    let roots = if !flags.is_empty() {
        flags.iter().map(|f| cwd.join(f)).collect()
    } else {
        match reroute_table(cwd)? {
            Some((folder, pyproject, table)) => {
                path_list(&table, "src", &folder, &pyproject)?.unwrap_or_default()
            }
            None => Vec::new(),
        }
    };
    Ok(roots
        .iter()
        .map(|root| crate::process::absolute_path(cwd, root))
        .collect())
}

/// The codemod files or folders to load, from flags or configuration.
pub fn codemod_sources(flags: &[PathBuf], cwd: &Path) -> Result<Vec<PathBuf>, SettingsError> {
    if !flags.is_empty() {
        return Ok(flags.to_vec());
    }
    if let Some((folder, pyproject, table)) = reroute_table(cwd)?
        && let Some(list) = path_list(&table, "codemods", &folder, &pyproject)?
    {
        return Ok(list);
    }
    let default = cwd.join("codemods");
    if default.is_dir() {
        return Ok(vec![default]);
    }
    Err(SettingsError::NoCodemods)
}

/// Loads every codemod from `sources` (files, or folders of `*.toml`), sorted by path.
pub fn load_codemods(sources: &[PathBuf]) -> Result<Vec<Codemod>, SettingsError> {
    let mut files = Vec::new();
    for source in sources {
        if source.is_file() {
            files.push(source.clone());
        } else if source.is_dir() {
            let entries = std::fs::read_dir(source).map_err(|e| SettingsError::Read {
                path: source.clone(),
                source: e,
            })?;
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
                    files.push(path);
                }
            }
        } else {
            return Err(SettingsError::Missing {
                path: source.clone(),
            });
        }
    }
    files.sort();
    files.dedup();
    if files.is_empty() {
        return Err(SettingsError::NoCodemods);
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    files
        .iter()
        .map(|file| {
            let mut codemod = spec::load_file(file)?;
            codemod.root = project_root(file, &cwd);
            Ok(codemod)
        })
        .collect()
}

/// The folder a codemod's `exclude` globs are relative to, whatever the current folder:
/// the nearest folder above the codemod file with `pyproject.toml` or `.git`; else the
/// parent of a `codemods/` folder holding it; else the codemod file's own folder.
fn project_root(codemod_file: &Path, cwd: &Path) -> PathBuf {
    let absolute = crate::process::absolute_path(cwd, codemod_file);
    let folder = absolute.parent().unwrap_or(cwd);
    if let Some(root) = folder
        .ancestors()
        .find(|f| f.join("pyproject.toml").is_file() || f.join(".git").exists())
    {
        return root.to_path_buf();
    }
    match (folder.file_name(), folder.parent()) {
        (Some(name), Some(parent)) if name == "codemods" => parent.to_path_buf(),
        _ => folder.to_path_buf(),
    }
}

/// Keeps the codemods named by `--select` (all when empty) and compiles them.
pub fn rule_set(codemods: Vec<Codemod>, select: &[String]) -> Result<RuleSet, SettingsError> {
    for name in select {
        if !codemods.iter().any(|c| *c.name == **name) {
            let loaded: Vec<&str> = codemods.iter().map(|c| &*c.name).collect();
            return Err(SettingsError::UnknownSelect {
                name: name.clone(),
                loaded: loaded.join(", "),
            });
        }
    }
    let chosen: Vec<Codemod> = codemods
        .into_iter()
        .filter(|c| select.is_empty() || select.iter().any(|s| **s == *c.name))
        .collect();
    Ok(RuleSet::new(chosen)?)
}
