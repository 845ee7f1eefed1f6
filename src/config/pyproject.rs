//! `[tool.reroute]` in the nearest `pyproject.toml`: read through serde, so a misspelled
//! key is an error that names the file, the line and the keys there are.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

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
    codemods: Option<Spanned<Vec<String>>>,
    src: Option<Spanned<Vec<String>>>,
    #[serde(rename = "quiet-notes")]
    quiet_notes: Option<Spanned<Vec<String>>>,
    #[serde(rename = "unresolved-imports")]
    unresolved_imports: Option<Spanned<bool>>,
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
    /// `unresolved-imports = true`: `check` also reports imports of first-party modules
    /// that do not exist.
    pub unresolved_imports: bool,
    /// The 1-based line of each key that is set (for `reroute config`).
    pub lines: KeyLines,
    /// Read from `--config FILE`: its folder is not the project's.
    pub explicit: bool,
}

/// Where each `[tool.reroute]` key was written: its 1-based line in `ToolConfig::file`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct KeyLines {
    pub codemods: Option<usize>,
    pub src: Option<usize>,
    pub quiet_notes: Option<usize>,
    pub unresolved_imports: Option<usize>,
}

/// Which configuration file the settings come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ConfigSource {
    /// `[tool.reroute]` in the nearest pyproject.toml at or above the current folder.
    #[default]
    Discover,
    /// `--config FILE`: the `[tool.reroute]` keys at the top level of FILE, paths relative
    /// to FILE's folder; no pyproject.toml is read.
    File(PathBuf),
    /// `--isolated`: no configuration file at all.
    Isolated,
}

/// Reads the configuration `source` says, from `cwd`.
pub fn load_from(cwd: &Path, source: &ConfigSource) -> Result<ToolConfig, SettingsError> {
    match source {
        ConfigSource::Discover => load(cwd),
        ConfigSource::Isolated => Ok(ToolConfig::default()),
        ConfigSource::File(file) => {
            let file = cwd.join(file);
            let text = std::fs::read_to_string(&file).map_err(|source| SettingsError::Read {
                path: file.clone(),
                source,
            })?;
            let table: RawToolReroute =
                toml::from_str(&text).map_err(|error| SettingsError::Pyproject {
                    path: file.clone(),
                    message: format!(
                        "{}
{KEYS}",
                        error.to_string().trim_end()
                    ),
                })?;
            let mut tool = build(table, &text, file);
            tool.explicit = true;
            Ok(tool)
        }
    }
}

/// What the keys are, for error messages.
const KEYS: &str = "[tool.reroute] takes `codemods = [\"…\"]` and `src = [\"…\"]` (lists of paths), `quiet-notes = [\"…\"]` (note codes) and `unresolved-imports = true`";

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
        message: format!("{}\n{KEYS}", error.to_string().trim_end()),
    })?;
    let Some(table) = raw.tool.reroute else {
        return Ok(ToolConfig::default());
    };
    Ok(build(table, &text, pyproject))
}

/// The settings of one table read from `file` (whose text is `text`), paths made absolute
/// against the file's folder.
fn build(table: RawToolReroute, text: &str, file: PathBuf) -> ToolConfig {
    let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let line = |span: Option<std::ops::Range<usize>>| {
        span.map(|span| {
            let before = text.as_bytes().get(..span.start).unwrap_or_default();
            1 + before.iter().filter(|&&b| b == b'\n').count()
        })
    };
    let lines = KeyLines {
        codemods: line(table.codemods.as_ref().map(Spanned::span)),
        src: line(table.src.as_ref().map(Spanned::span)),
        quiet_notes: line(table.quiet_notes.as_ref().map(Spanned::span)),
        unresolved_imports: line(table.unresolved_imports.as_ref().map(Spanned::span)),
    };
    let absolute = |list: Option<Spanned<Vec<String>>>| {
        list.map(|paths| {
            paths
                .into_inner()
                .iter()
                .map(|p| folder.join(p))
                .collect::<Vec<_>>()
        })
    };
    ToolConfig {
        codemods: absolute(table.codemods),
        src: absolute(table.src),
        quiet_notes: table
            .quiet_notes
            .map(Spanned::into_inner)
            .unwrap_or_default(),
        unresolved_imports: table
            .unresolved_imports
            .is_some_and(|value| *value.get_ref()),
        lines,
        file: Some(file),
        explicit: false,
    }
}
