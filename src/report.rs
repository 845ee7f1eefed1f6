//! The run's result as a value: every file's outcome, counts, and the exit status.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::plan::{Fix, Site, TargetKind};
use crate::process::{FileOutcome, FileStatus};

/// What the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Diff,
    Apply,
    Check,
}

/// The process exit code: 0 clean, 1 something left or pending, 2 an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    Clean = 0,
    Pending = 1,
    Error = 2,
}

/// Per-codemod counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Rewritten (apply) or rewritable (diff, check).
    pub fixable: usize,
    pub manual: usize,
    pub suppressed: usize,
    pub mentions: usize,
    pub notes: usize,
    /// Target strings found (rewritable or manual), by `TargetKind` in `TargetKind::ALL`
    /// order.
    pub strings: [usize; 4],
}

impl Counts {
    /// (category name, count) for every string category that occurs.
    pub fn string_categories(&self) -> Vec<(&'static str, usize)> {
        TargetKind::ALL
            .iter()
            .zip(self.strings)
            .filter(|(_, n)| *n > 0)
            .map(|(kind, n)| (kind.name(), n))
            .collect()
    }
}

#[derive(Debug)]
pub struct Report {
    pub mode: Mode,
    /// Sorted by path.
    pub outcomes: Vec<FileOutcome>,
    /// Walk errors (unreadable folders) as messages with their paths.
    pub walk_errors: Vec<String>,
    pub symlinks: Vec<PathBuf>,
    /// Moves whose `to` the processed tree contradicts (warnings; `apply` refuses them).
    pub target_problems: Vec<crate::targets::TargetProblem>,
}

impl Report {
    pub fn files_scanned(&self) -> usize {
        self.outcomes.len()
    }

    /// Files changed (apply) or that would change (diff, check).
    pub fn files_changed(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| {
                matches!(
                    o.status,
                    FileStatus::Changed { .. } | FileStatus::Written { .. }
                )
            })
            .count()
    }

    pub fn edits(&self) -> usize {
        self.outcomes
            .iter()
            .map(|o| match o.status {
                FileStatus::Changed { edits, .. } | FileStatus::Written { edits, .. } => edits,
                _ => 0,
            })
            .sum()
    }

    pub fn failed(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| matches!(o.status, FileStatus::Failed(_)))
            .count()
    }

    /// Counts per codemod name, sorted by name.
    pub fn by_codemod(&self) -> BTreeMap<String, Counts> {
        let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
        for outcome in &self.outcomes {
            let failed = matches!(outcome.status, FileStatus::Failed(_));
            for finding in &outcome.findings {
                let entry = counts.entry(finding.rule.codemod.to_string()).or_default();
                match &finding.fix {
                    // A file that failed is not rewritten: its findings need a person.
                    Fix::Rewritten if failed => entry.manual += 1,
                    Fix::Rewritten => entry.fixable += 1,
                    Fix::Manual(_) => entry.manual += 1,
                    Fix::Suppressed => entry.suppressed += 1,
                    Fix::Mention => entry.mentions += 1,
                    Fix::Note(_) => entry.notes += 1,
                }
                if let (Site::Target(kind), Fix::Rewritten | Fix::Manual(_)) =
                    (finding.site, &finding.fix)
                {
                    let index = TargetKind::ALL.iter().position(|k| *k == kind);
                    entry.strings[index.expect("ALL lists every kind")] += 1;
                }
            }
        }
        counts
    }

    pub fn totals(&self) -> Counts {
        self.by_codemod()
            .values()
            .fold(Counts::default(), |total, c| Counts {
                fixable: total.fixable + c.fixable,
                manual: total.manual + c.manual,
                suppressed: total.suppressed + c.suppressed,
                mentions: total.mentions + c.mentions,
                notes: total.notes + c.notes,
                strings: std::array::from_fn(|i| total.strings[i] + c.strings[i]),
            })
    }

    pub fn exit_status(&self) -> ExitStatus {
        if self.failed() > 0 || !self.walk_errors.is_empty() {
            return ExitStatus::Error;
        }
        let totals = self.totals();
        let pending = match self.mode {
            Mode::Diff => self.files_changed() > 0 || totals.manual > 0,
            Mode::Apply => totals.manual > 0,
            Mode::Check => totals.fixable > 0 || totals.manual > 0,
        };
        if pending {
            ExitStatus::Pending
        } else {
            ExitStatus::Clean
        }
    }
}
