//! The ratchet: `check --baseline FILE` fails only when the number of deprecated
//! references (fixable + manual) grows, per codemod and per file, and passes when it stays
//! or falls; `--update-baseline` writes the file, or tightens it, touching only the files
//! the run scanned (a run on a subset never zeroes the rest).
//!
//! The file is JSON, sorted, one count per codemod and file:
//! `{"schema": "reroute.baseline/1", "counts": {"codemod": {"path/to/file.py": 3}}}`.

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

/// Deprecated references per codemod and file (files shown as in reports).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    schema: String,
    counts: BTreeMap<String, BTreeMap<String, usize>>,
}

/// A codemod and file whose count grew past the baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Growth {
    pub codemod: String,
    pub path: String,
    pub now: usize,
    pub allowed: usize,
}

impl Baseline {
    /// The counts of this run; `display` shows a path as reports do.
    pub fn of_report(report: &Report, display: impl Fn(&Path) -> String) -> Baseline {
        let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for outcome in &report.outcomes {
            for finding in &outcome.findings {
                if matches!(
                    Status::of(finding, outcome.is_failed()),
                    Status::Fixable | Status::Manual
                ) {
                    *counts
                        .entry(finding.rule.codemod.to_string())
                        .or_default()
                        .entry(display(&outcome.path))
                        .or_default() += 1;
                }
            }
        }
        Baseline {
            schema: SCHEMA.to_string(),
            counts,
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

    /// The total of all counts.
    pub fn total(&self) -> usize {
        self.counts.values().flat_map(|files| files.values()).sum()
    }

    /// Where `now` has more references than this baseline allows.
    pub fn growth(&self, now: &Baseline) -> Vec<Growth> {
        let mut grown = Vec::new();
        for (codemod, files) in &now.counts {
            for (path, &count) in files {
                let allowed = self
                    .counts
                    .get(codemod)
                    .and_then(|f| f.get(path))
                    .copied()
                    .unwrap_or(0);
                if count > allowed {
                    grown.push(Growth {
                        codemod: codemod.clone(),
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
        let mut counts = self.counts.clone();
        for files in counts.values_mut() {
            files.retain(|path, _| !scanned.contains(path));
        }
        let codemods: BTreeSet<&String> = self.counts.keys().chain(now.counts.keys()).collect();
        for codemod in codemods {
            for path in scanned {
                let current = now
                    .counts
                    .get(codemod)
                    .and_then(|f| f.get(path))
                    .copied()
                    .unwrap_or(0);
                let before = self.counts.get(codemod).and_then(|f| f.get(path)).copied();
                let count = before.map_or(current, |b| b.min(current));
                if count > 0 {
                    counts
                        .entry(codemod.clone())
                        .or_default()
                        .insert(path.clone(), count);
                }
            }
        }
        counts.retain(|_, files| !files.is_empty());
        Baseline {
            schema: SCHEMA.to_string(),
            counts,
        }
    }
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
