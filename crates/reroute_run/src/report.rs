//! The run's result as a value: every file's outcome, counts, and the exit status.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::outcome::{FileOutcome, FileStatus};
use crate::write::Signal;
use reroute_engine::finding::{Finding, Fix, Site, TargetKind};

/// What the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Diff,
    Apply,
    Check,
}

/// The process exit code: 0 clean, 1 something left or pending, 2 an error; 130 and 143
/// when `apply` stopped for SIGINT or SIGTERM (128 + the signal number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    Clean = 0,
    Pending = 1,
    Error = 2,
    Interrupted = 130,
    Terminated = 143,
}

/// Per-codemod counts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Rewritten (apply) or rewritable (diff, check).
    pub fixable: usize,
    pub manual: usize,
    pub suppressed: usize,
    pub mentions: usize,
    pub notes: usize,
    /// Target strings found (rewritable or manual), by the call they are passed to.
    pub strings: BTreeMap<TargetKind, usize>,
}

impl Counts {
    /// (category name, count) for every string category that occurs, in `TargetKind`
    /// order.
    pub fn string_categories(&self) -> Vec<(&'static str, usize)> {
        self.strings
            .iter()
            .map(|(kind, n)| (kind.name(), *n))
            .collect()
    }

    fn count(&mut self, status: Status) {
        match status {
            Status::Fixable => self.fixable += 1,
            Status::Manual => self.manual += 1,
            Status::Suppressed => self.suppressed += 1,
            Status::Mention => self.mentions += 1,
            Status::Note => self.notes += 1,
        }
    }

    fn add(&mut self, other: &Counts) {
        self.fixable += other.fixable;
        self.manual += other.manual;
        self.suppressed += other.suppressed;
        self.mentions += other.mentions;
        self.notes += other.notes;
        for (kind, n) in &other.strings {
            *self.strings.entry(*kind).or_default() += n;
        }
    }
}

/// What a finding counts as in every report: the one place that decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Rewritten (apply) or rewritable (diff, check).
    Fixable,
    /// Needs a person: left with a reason, or its file failed and was not rewritten.
    Manual,
    Suppressed,
    Mention,
    Note,
}

impl Status {
    pub fn of(finding: &Finding, file_failed: bool) -> Status {
        match &finding.fix {
            // A file that failed is not rewritten: its findings need a person.
            Fix::Rewritten if file_failed => Status::Manual,
            Fix::Rewritten => Status::Fixable,
            Fix::Manual(_) => Status::Manual,
            Fix::Suppressed => Status::Suppressed,
            Fix::Mention => Status::Mention,
            Fix::Note(_) => Status::Note,
        }
    }

    /// The name JSON reports use.
    pub fn name(self) -> &'static str {
        match self {
            Status::Fixable => "fixable",
            Status::Manual => "manual",
            Status::Suppressed => "suppressed",
            Status::Mention => "mention",
            Status::Note => "note",
        }
    }
}

#[derive(Debug)]
pub struct Report {
    pub mode: Mode,
    /// Sorted by path.
    pub outcomes: Vec<FileOutcome>,
    /// Walk errors (unreadable folders, bad paths).
    pub walk_errors: Vec<crate::discover::WalkError>,
    pub symlinks: Vec<PathBuf>,
    /// Moves whose `to` the processed tree contradicts (warnings; `apply` refuses them).
    pub target_problems: Vec<reroute_engine::targets::TargetProblem>,
    /// Temp files of other reroute runs found next to the processed files (warnings).
    pub temp_files: Vec<crate::write::temp::LeftTemp>,
    /// `apply` stopped early for this signal.
    pub interrupted: Option<Signal>,
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
        self.outcomes.iter().filter(|o| o.is_failed()).count()
    }

    /// References that would have been rewritten in files that failed.
    pub fn unwritten(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| o.is_failed())
            .flat_map(|o| &o.findings)
            .filter(|f| f.fix == Fix::Rewritten)
            .count()
    }

    /// Counts per codemod name, sorted by name (unresolved imports are under no codemod).
    pub fn by_codemod(&self) -> BTreeMap<String, Counts> {
        let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
        for (finding, failed) in self.findings() {
            if let Some(codemod) = finding.codemod() {
                let entry = counts.entry(codemod.to_string()).or_default();
                entry.count(Status::of(finding, failed));
                if let (Site::Target(kind), Fix::Rewritten | Fix::Manual(_)) =
                    (finding.site, &finding.fix)
                {
                    *entry.strings.entry(kind).or_default() += 1;
                }
            }
        }
        counts
    }

    /// Counts of the unresolved imports (`check --unresolved-imports`): manual findings
    /// and notes.
    pub fn unresolved_imports(&self) -> Counts {
        let mut counts = Counts::default();
        for (finding, failed) in self.findings() {
            if finding.rule.is_none() {
                counts.count(Status::of(finding, failed));
            }
        }
        counts
    }

    /// Every finding, with whether its file failed.
    fn findings(&self) -> impl Iterator<Item = (&Finding, bool)> {
        self.outcomes.iter().flat_map(|outcome| {
            let failed = outcome.is_failed();
            outcome.findings.iter().map(move |f| (f, failed))
        })
    }

    pub fn totals(&self) -> Counts {
        let mut total = self.unresolved_imports();
        for counts in self.by_codemod().values() {
            total.add(counts);
        }
        total
    }

    pub fn exit_status(&self) -> ExitStatus {
        match self.interrupted {
            Some(Signal::Int) => return ExitStatus::Interrupted,
            Some(Signal::Term) => return ExitStatus::Terminated,
            None => {}
        }
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
