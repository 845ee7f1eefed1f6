//! Loading the codemods a run uses (files, or folders of `*.toml`) and compiling the
//! selected ones into one rule set.

use std::path::{Path, PathBuf};

use super::SettingsError;
use reroute_engine::RuleSet;
use reroute_engine::spec::{self, Codemod};

/// Loads every codemod from `sources` (files, or folders of `*.toml`), sorted by path.
pub fn load_codemods(sources: &[PathBuf]) -> Result<Vec<Codemod>, SettingsError> {
    let mut files = Vec::new();
    let mut builtins = Vec::new();
    let cwd = std::env::current_dir().unwrap_or_default();
    for source in sources {
        if let Some(name) = super::builtin::requested(source) {
            let root = source.parent().filter(|p| !p.as_os_str().is_empty());
            let root = root.map_or_else(
                || cwd.clone(),
                |p| reroute_run::paths::absolute_path(&cwd, p),
            );
            builtins.push(super::builtin::load(name, &root)?);
        } else if source.is_file() {
            files.push(source.clone());
        } else if source.is_dir() {
            let entries = std::fs::read_dir(source).map_err(|e| SettingsError::Read {
                path: source.clone(),
                source: e,
            })?;
            let before = files.len();
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
                    files.push(path);
                }
            }
            if files.len() == before {
                return Err(SettingsError::EmptyFolder {
                    folder: source.clone(),
                });
            }
        } else {
            return Err(SettingsError::Missing {
                path: source.clone(),
            });
        }
    }
    files.sort();
    files.dedup();
    if files.is_empty() && builtins.is_empty() {
        return Err(SettingsError::NoCodemods);
    }
    builtins.dedup_by(|a, b| a.name == b.name);
    files
        .iter()
        .map(|file| {
            let mut codemod = spec::load_file(file)?;
            codemod.root = project_root(file, &cwd);
            Ok(codemod)
        })
        .chain(builtins.into_iter().map(Ok))
        .collect()
}

/// The folder a codemod's `exclude` globs are relative to, whatever the current folder:
/// the nearest folder above the codemod file with `pyproject.toml` or `.git`; else the
/// parent of a `codemods/` folder holding it; else the codemod file's own folder.
fn project_root(codemod_file: &Path, cwd: &Path) -> PathBuf {
    let absolute = reroute_run::paths::absolute_path(cwd, codemod_file);
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

/// Keeps the codemods named by `--select` (all when empty); a name that no loaded codemod
/// has is an error (exit 2), for every command that takes `--select`.
pub fn select(codemods: Vec<Codemod>, select: &[String]) -> Result<Vec<Codemod>, SettingsError> {
    for name in select {
        if !codemods.iter().any(|c| *c.name == **name) {
            let loaded: Vec<&str> = codemods.iter().map(|c| &*c.name).collect();
            return Err(SettingsError::UnknownSelect {
                name: name.clone(),
                loaded: loaded.join(", "),
            });
        }
    }
    Ok(codemods
        .into_iter()
        .filter(|c| select.is_empty() || select.iter().any(|s| **s == *c.name))
        .collect())
}

/// Keeps the codemods named by `--select` (all when empty) and compiles them.
pub fn rule_set(codemods: Vec<Codemod>, select_names: &[String]) -> Result<RuleSet, SettingsError> {
    Ok(RuleSet::new(select(codemods, select_names)?)?)
}
