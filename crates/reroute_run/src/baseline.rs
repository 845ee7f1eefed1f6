//! The ratchet: `check --baseline FILE` fails only when the number of deprecated
//! references (fixable + manual) grows, per codemod and per file, and passes when it stays
//! or falls; `--update-baseline` writes the file, or tightens it, touching only the files
//! the run scanned (a run on a subset never zeroes the rest).
//!
//! The file is JSON, sorted, one count per codemod and file:
//! `{"schema": "reroute.baseline/1", "counts": {"codemod": {"path/to/file.py": 3}}}`,
//! and with `check --unresolved-imports` the unresolved imports per file under their own
//! key, `"unresolved-imports": {"path/to/file.py": 1}`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::report::{Report, Status};

const SCHEMA: &str = "reroute.baseline/1";

#[derive(Debug, Error)]
pub enum BaselineError {
    #[error("{path}: cannot read the baseline: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path}: not a reroute baseline ({message}); recreate it with `reroute check --update-baseline --baseline {path}`"
    )]
    Invalid { path: PathBuf, message: String },
    #[error("{path}: cannot write the baseline: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// References per file (files shown as in reports).
type Files = BTreeMap<String, usize>;

/// Deprecated references per codemod and file, and unresolved imports per file under
/// their own key (never under a codemod).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    schema: String,
    counts: BTreeMap<String, Files>,
    /// `check --unresolved-imports`: imports of first-party modules that do not exist.
    #[serde(
        default,
        rename = "unresolved-imports",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    unresolved_imports: Files,
}

/// A codemod (or the unresolved imports) and file whose count grew past the baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Growth {
    /// The codemod; `None` for the unresolved imports.
    pub codemod: Option<String>,
    pub path: String,
    pub now: usize,
    pub allowed: usize,
}

impl Growth {
    /// What grew, as the ratchet says it.
    pub fn what(&self) -> &str {
        self.codemod.as_deref().unwrap_or("unresolved imports")
    }
}

impl Baseline {
    /// The counts of this run; `display` shows a path as reports do.
    pub fn of_report(report: &Report, display: impl Fn(&Path) -> String) -> Baseline {
        let mut counts: BTreeMap<String, Files> = BTreeMap::new();
        let mut unresolved_imports = Files::new();
        for outcome in &report.outcomes {
            for finding in &outcome.findings {
                if !matches!(
                    Status::of(finding, outcome.is_failed()),
                    Status::Fixable | Status::Manual
                ) {
                    continue;
                }
                let files = match finding.codemod() {
                    Some(codemod) => counts.entry(codemod.to_string()).or_default(),
                    None => &mut unresolved_imports,
                };
                *files.entry(display(&outcome.path)).or_default() += 1;
            }
        }
        Baseline {
            schema: SCHEMA.to_string(),
            counts,
            unresolved_imports,
        }
    }

    /// Reads a baseline; `None` when the file does not exist.
    pub fn load(path: &Path) -> Result<Option<Baseline>, BaselineError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(BaselineError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let invalid = |message: String| BaselineError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        if baseline.schema != SCHEMA {
            return Err(invalid(format!(
                "schema {:?}, expected {SCHEMA:?}",
                baseline.schema
            )));
        }
        Ok(Some(baseline))
    }

    pub fn save(&self, path: &Path) -> Result<(), BaselineError> {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serialises");
        text.push('\n');
        std::fs::write(path, text).map_err(|source| BaselineError::Write {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Every table: each codemod's, then the unresolved imports'.
    fn tables(&self) -> impl Iterator<Item = (Option<&String>, &Files)> {
        self.counts
            .iter()
            .map(|(codemod, files)| (Some(codemod), files))
            .chain(std::iter::once((None, &self.unresolved_imports)))
    }

    fn table(&self, codemod: Option<&String>) -> Option<&Files> {
        match codemod {
            Some(codemod) => self.counts.get(codemod),
            None => Some(&self.unresolved_imports),
        }
    }

    /// The total of all counts.
    pub fn total(&self) -> usize {
        self.tables().flat_map(|(_, files)| files.values()).sum()
    }

    /// Where `now` has more references than this baseline allows.
    pub fn growth(&self, now: &Baseline) -> Vec<Growth> {
        let mut grown = Vec::new();
        for (codemod, files) in now.tables() {
            for (path, &count) in files {
                let allowed = self
                    .table(codemod)
                    .and_then(|f| f.get(path))
                    .copied()
                    .unwrap_or(0);
                if count > allowed {
                    grown.push(Growth {
                        codemod: codemod.cloned(),
                        path: path.clone(),
                        now: count,
                        allowed,
                    });
                }
            }
        }
        grown
    }

    /// This baseline with the entries of the `scanned` files set from `now`, never looser
    /// than they were (a file not in the baseline yet takes its count as it is).
    pub fn tightened(&self, now: &Baseline, scanned: &BTreeSet<String>) -> Baseline {
        let codemods: BTreeSet<&String> = self.counts.keys().chain(now.counts.keys()).collect();
        let mut counts: BTreeMap<String, Files> = codemods
            .into_iter()
            .map(|codemod| {
                let files = tighten(self.counts.get(codemod), now.counts.get(codemod), scanned);
                (codemod.clone(), files)
            })
            .collect();
        counts.retain(|_, files| !files.is_empty());
        Baseline {
            schema: SCHEMA.to_string(),
            counts,
            unresolved_imports: tighten(
                Some(&self.unresolved_imports),
                Some(&now.unresolved_imports),
                scanned,
            ),
        }
    }
}

/// One table tightened: the files not scanned keep their counts; a scanned file takes the
/// smaller of the old and the new count (the new one when it had none).
fn tighten(before: Option<&Files>, now: Option<&Files>, scanned: &BTreeSet<String>) -> Files {
    let mut files: Files = before
        .into_iter()
        .flatten()
        .filter(|(path, _)| !scanned.contains(*path))
        .map(|(path, n)| (path.clone(), *n))
        .collect();
    for path in scanned {
        let current = now.and_then(|f| f.get(path)).copied().unwrap_or(0);
        let old = before.and_then(|f| f.get(path)).copied();
        let count = old.map_or(current, |b| b.min(current));
        if count > 0 {
            files.insert(path.clone(), count);
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn baseline(entries: &[(&str, &str, usize)]) -> Baseline {
        let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (codemod, path, n) in entries {
            counts
                .entry(codemod.to_string())
                .or_default()
                .insert(path.to_string(), *n);
        }
        Baseline {
            schema: SCHEMA.to_string(),
            counts,
            unresolved_imports: Files::new(),
        }
    }

    #[test]
    fn grows_per_file_and_tightens_only_what_was_scanned() {
        let old = baseline(&[("m", "a.py", 3), ("m", "b.py", 2), ("n", "c.py", 1)]);
        let now = baseline(&[("m", "a.py", 1), ("m", "b.py", 4), ("m", "d.py", 1)]);
        let grown = old.growth(&now);
        assert_eq!(
            grown
                .iter()
                .map(|g| (g.path.as_str(), g.now, g.allowed))
                .collect::<Vec<_>>(),
            [("b.py", 4, 2), ("d.py", 1, 0)]
        );
        let scanned: BTreeSet<String> = ["a.py", "b.py", "d.py"].map(String::from).into();
        let tight = old.tightened(&now, &scanned);
        assert_eq!(
            tight,
            baseline(&[
                ("m", "a.py", 1),
                ("m", "b.py", 2),
                ("m", "d.py", 1),
                ("n", "c.py", 1)
            ])
        );
    }
}
