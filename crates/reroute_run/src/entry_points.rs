//! References outside Python files (#10): the entry points of the project's
//! `pyproject.toml` (`[project.scripts]`, `[project.gui-scripts]`,
//! `[project.entry-points.*]`) and `setup.cfg` (`[options.entry_points]`), whose values
//! name `pkg.mod:func`. A value that names a moved path is rewritten like a target string
//! when its move has `strings = true` (the colon stays between module and name), and is
//! listed with `--mentions` otherwise. Each file becomes one more outcome of the run.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::outcome::{FileOutcome, FileStatus};
use reroute_engine::edit::{Edit, apply_edits};
use reroute_engine::finding::{Finding, Fix, Site, TargetKind};
use reroute_engine::ruleset::{Role, RuleFilter, RuleSet};
use reroute_engine::source::LineIndex;
use reroute_engine::spec::DottedPath;

/// The outcomes for the entry-point files at `root` that name a moved path.
pub fn outcomes(root: &Path, rules: &RuleSet, mentions: bool) -> Vec<FileOutcome> {
    let mut outcomes = Vec::new();
    for (name, values) in [
        (
            "pyproject.toml",
            pyproject_values as fn(&str) -> Vec<Range<usize>>,
        ),
        ("setup.cfg", setup_cfg_values),
    ] {
        let path = root.join(name);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        if let Some(outcome) = outcome(&path, text, values(text), rules, mentions) {
            outcomes.push(outcome);
        }
    }
    outcomes
}

fn outcome(
    path: &Path,
    text: &str,
    values: Vec<Range<usize>>,
    rules: &RuleSet,
    mentions: bool,
) -> Option<FileOutcome> {
    let lines = LineIndex::new(text.as_bytes());
    let mut edits = Vec::new();
    let mut findings = Vec::new();
    for range in values {
        let value = &text[range.clone()];
        let Some((module, attribute)) = value.split_once(':') else {
            continue;
        };
        let (Some(module_path), Some(attribute_path)) = (
            DottedPath::parse(module.trim()),
            DottedPath::parse(attribute.trim()),
        ) else {
            continue;
        };
        let full = module_path.join(attribute_path.segments());
        let Some(resolution) = rules.resolve_as(&full, &RuleFilter::All, Role::Attribute) else {
            continue;
        };
        let (line, column) = lines.line_col(text.as_bytes(), range.start);
        let fix = if resolution.strings {
            Fix::Rewritten
        } else if mentions {
            Fix::Mention
        } else {
            continue;
        };
        if fix == Fix::Rewritten {
            let target = &resolution.target;
            let keep = attribute_path.len().min(target.len() - 1);
            let split = target.len() - keep;
            let join = |segments: &[reroute_engine::spec::Identifier]| {
                segments
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(".")
            };
            let respelled = format!(
                "{}:{}",
                join(&target.segments()[..split]),
                join(&target.segments()[split..])
            );
            edits.push(Edit::replace(range.clone(), respelled));
        }
        findings.push(Finding {
            offset: range.start,
            line,
            column,
            rule: Some(resolution.rule().clone()),
            old: full,
            new: Some(resolution.target.clone()),
            site: Site::Target(TargetKind::ResolveName),
            fix,
        });
    }
    if findings.is_empty() {
        return None;
    }
    let status = if edits.is_empty() {
        FileStatus::Unchanged
    } else {
        let updated = apply_edits(text.as_bytes(), &edits).ok()?;
        FileStatus::Changed {
            original: text.as_bytes().to_vec(),
            updated,
            edits: edits.len(),
        }
    };
    Some(FileOutcome {
        path: path.to_path_buf(),
        status,
        findings,
        warnings: Vec::new(),
        rewrites: Vec::new(),
        edits: Vec::new(),
        stamp: crate::write::read_regular(path)
            .ok()
            .flatten()
            .map(|(_, stamp)| stamp),
    })
}

/// `[project]` tables whose values are entry points.
#[derive(Deserialize, Default)]
struct Pyproject {
    #[serde(default)]
    project: Project,
}

#[derive(Deserialize, Default)]
struct Project {
    #[serde(default)]
    scripts: BTreeMap<String, Spanned<String>>,
    #[serde(default, rename = "gui-scripts")]
    gui_scripts: BTreeMap<String, Spanned<String>>,
    #[serde(default, rename = "entry-points")]
    entry_points: BTreeMap<String, BTreeMap<String, Spanned<String>>>,
}

/// The byte ranges of the entry-point values of a `pyproject.toml` (inside the quotes;
/// strings with escapes are left out: their bytes are not their value).
fn pyproject_values(text: &str) -> Vec<Range<usize>> {
    let Ok(parsed) = toml::from_str::<Pyproject>(text) else {
        return Vec::new();
    };
    let project = parsed.project;
    let mut values: Vec<Range<usize>> = project
        .scripts
        .values()
        .chain(project.gui_scripts.values())
        .chain(project.entry_points.values().flat_map(BTreeMap::values))
        .filter_map(|value| {
            let span = value.span();
            let inner = span.start + 1..span.end.checked_sub(1)?;
            (text.get(inner.clone()) == Some(value.get_ref().as_str())).then_some(inner)
        })
        .collect();
    values.sort_by_key(|r| r.start);
    values
}

/// The byte ranges of the entry-point values of a `setup.cfg`: the `name = pkg.mod:func`
/// lines of `[options.entry_points]` (the value up to an `[extras]` list).
fn setup_cfg_values(text: &str) -> Vec<Range<usize>> {
    let mut values = Vec::new();
    let mut in_section = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        if trimmed.starts_with('[') {
            in_section = trimmed == "[options.entry_points]";
            continue;
        }
        if !in_section || trimmed.starts_with(['#', ';']) {
            continue;
        }
        let Some(equals) = content.find('=') else {
            continue;
        };
        let value = &content[equals + 1..];
        let value_end = value.find('[').unwrap_or(value.len());
        let value = &value[..value_end];
        let lead = value.len() - value.trim_start().len();
        let trimmed_value = value.trim();
        if trimmed_value.contains(':') {
            let begin = start + equals + 1 + lead;
            values.push(begin..begin + trimmed_value.len());
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_of_both_files() {
        let pyproject = "[project]\nname = \"x\"\n[project.scripts]\nrun = \"pkg.old:main\"\n\
                         [project.entry-points.\"x.plugins\"]\np = 'pkg.old.plug:Plugin'\n";
        let found: Vec<&str> = pyproject_values(pyproject)
            .into_iter()
            .map(|r| &pyproject[r])
            .collect();
        assert_eq!(found, ["pkg.old:main", "pkg.old.plug:Plugin"]);
        let cfg = "[metadata]\nname = x\n[options.entry_points]\nconsole_scripts =\n    run = pkg.old:main [cli]\n\
                   ; a comment = a:b\n[other]\nk = pkg.old:main\n";
        let found: Vec<&str> = setup_cfg_values(cfg).into_iter().map(|r| &cfg[r]).collect();
        assert_eq!(found, ["pkg.old:main"]);
    }
}

/// `python -m pkg.old` in the project's shell scripts, Makefiles, CI YAML and tox/pytest
/// configuration: listed as mentions (`--mentions`), never rewritten. Read as text: only
/// the `-m` argument is looked at, and only to report it.
pub fn module_runs(root: &Path, rules: &RuleSet) -> Vec<FileOutcome> {
    // Hidden folders too (`.github/workflows/*.yml`), but not `.git`.
    let mut files = crate::discover::walk_files(root, crate::discover::Listing::Project);
    files.retain(|p| is_run_file(p));
    files
        .iter()
        .filter_map(|path| {
            let bytes = std::fs::read(path).ok()?;
            let text = std::str::from_utf8(&bytes).ok()?;
            let lines = LineIndex::new(text.as_bytes());
            let findings: Vec<Finding> = python_m_arguments(text)
                .into_iter()
                .filter_map(|range| {
                    let module = DottedPath::parse(&text[range.clone()])?;
                    let resolution = rules.resolve_as(&module, &RuleFilter::All, Role::Module)?;
                    let (line, column) = lines.line_col(text.as_bytes(), range.start);
                    Some(Finding {
                        offset: range.start,
                        line,
                        column,
                        rule: Some(resolution.rule().clone()),
                        old: module,
                        new: Some(resolution.target.clone()),
                        site: Site::String,
                        fix: Fix::Mention,
                    })
                })
                .collect();
            (!findings.is_empty()).then(|| FileOutcome {
                path: path.clone(),
                status: FileStatus::Unchanged,
                findings,
                warnings: Vec::new(),
                rewrites: Vec::new(),
                edits: Vec::new(),
                stamp: None,
            })
        })
        .collect()
}

/// Shell scripts, Makefiles, CI YAML, tox and pytest configuration (`setup.cfg` and
/// `pyproject.toml` too: their `-m` runs, beside the entry points).
fn is_run_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy())
        .unwrap_or_default();
    matches!(
        name.as_ref(),
        "Makefile"
            | "makefile"
            | "GNUmakefile"
            | "tox.ini"
            | "pytest.ini"
            | "noxfile.py"
            | "setup.cfg"
            | "pyproject.toml"
            | "Dockerfile"
            | "Justfile"
            | "justfile"
    ) || matches!(
        extension.as_ref(),
        "sh" | "bash" | "mk" | "yml" | "yaml" | "cfg" | "ini"
    )
}

/// The byte ranges of the module names after `python -m`, `python3 -m`, `python3.12 -m`
/// (also `-m` glued to the module, `-mpkg`).
fn python_m_arguments(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'.';
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("python").map(|i| from + i) {
        from = at + 6;
        if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
            continue;
        }
        let mut i = at + 6;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        // Options before -m (`python -u -m x`).
        loop {
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            if text[i..].starts_with("-m") {
                i += 2;
                while i < bytes.len() && bytes[i] == b' ' {
                    i += 1;
                }
                let end = (i..bytes.len())
                    .find(|&j| !is_name(bytes[j]))
                    .unwrap_or(bytes.len());
                if end > i {
                    found.push(i..end);
                }
                break;
            } else if text[i..].starts_with('-') {
                i = (i..bytes.len())
                    .find(|&j| bytes[j] == b' ')
                    .unwrap_or(bytes.len());
                if i == bytes.len() || bytes[i] != b' ' {
                    break;
                }
            } else {
                break;
            }
        }
    }
    found
}

#[cfg(test)]
mod run_tests {
    use super::*;

    #[test]
    fn python_m_arguments_in_scripts() {
        let text =
            "test:\n\tpython -m pkg.old --fast\n\tpython3.12 -u -m pkg.tool\nmypython -m no\n";
        let found: Vec<&str> = python_m_arguments(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(found, ["pkg.old", "pkg.tool"]);
    }
}
