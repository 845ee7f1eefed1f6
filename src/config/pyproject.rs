//! `[tool.reroute]` in the nearest `pyproject.toml`: read through serde, so a misspelled
//! key is an error that names the file, the line and the keys there are.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::SettingsError;

#[derive(Debug, Default, Deserialize)]
struct RawPyproject {
    #[serde(default)]
    tool: RawTools,
}

/// Other tools' tables are not ours to check.
#[derive(Debug, Default, Deserialize)]
struct RawTools {
    reroute: Option<RawToolReroute>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawToolReroute {
    codemods: Option<Vec<String>>,
    src: Option<Vec<String>>,
    #[serde(rename = "quiet-notes")]
    quiet_notes: Option<Vec<String>>,
}

/// The `[tool.reroute]` table, with its paths made absolute against the folder of the
/// `pyproject.toml` that holds it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ToolConfig {
    /// The pyproject.toml read (`None`: none found, or it has no `[tool.reroute]`).
    pub file: Option<PathBuf>,
    pub codemods: Option<Vec<PathBuf>>,
    pub src: Option<Vec<PathBuf>>,
    /// Note codes not to print (`quiet-notes = ["public-rename"]`).
    pub quiet_notes: Vec<String>,
}

/// Reads the nearest pyproject.toml at or above `cwd`.
pub fn load(cwd: &Path) -> Result<ToolConfig, SettingsError> {
    let Some(pyproject) = cwd
        .ancestors()
        .map(|folder| folder.join("pyproject.toml"))
        .find(|path| path.is_file())
    else {
        return Ok(ToolConfig::default());
    };
    let text = std::fs::read_to_string(&pyproject).map_err(|source| SettingsError::Read {
        path: pyproject.clone(),
        source,
    })?;
    let raw: RawPyproject = toml::from_str(&text).map_err(|error| SettingsError::Pyproject {
        path: pyproject.clone(),
        message: format!(
            "{}\n[tool.reroute] takes `codemods = [\"…\"]` and `src = [\"…\"]` (lists of paths) and `quiet-notes = [\"…\"]` (note codes)",
            error.to_string().trim_end()
        ),
    })?;
    let Some(table) = raw.tool.reroute else {
        return Ok(ToolConfig::default());
    };
    let folder = pyproject.parent().unwrap_or(cwd);
    let absolute = |list: Option<Vec<String>>| {
        list.map(|paths| paths.iter().map(|p| folder.join(p)).collect::<Vec<_>>())
    };
    Ok(ToolConfig {
        codemods: absolute(table.codemods),
        src: absolute(table.src),
        quiet_notes: table.quiet_notes.unwrap_or_default(),
        file: Some(pyproject),
    })
}
