//! What the passes produce for one file: findings with their positions, and rewrites (the
//! edits that implement some findings, kept or dropped together); `finish` keeps the
//! rewrites that do not overlap earlier ones and demotes the others' findings to manual.

use super::finding::{Finding, Fix, Reason, Site};
use crate::analyze::FileModel;
use crate::edit::Edit;
use crate::ruleset::Resolution;
use crate::spec::DottedPath;

/// The planner's answer for one file.
#[derive(Debug, Default, Clone)]
pub struct Plan {
    /// Never overlapping.
    pub edits: Vec<Edit>,
    /// Sorted by offset.
    pub findings: Vec<Finding>,
}

/// Edits and the findings they implement: kept or dropped together.
#[derive(Debug, Default)]
pub struct Rewrite {
    /// Indices into the output's findings.
    pub findings: Vec<usize>,
    pub edits: Vec<Edit>,
}

/// Index of a rewrite in a [`PlanOutput`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RewriteId(usize);

/// What the passes produce: findings (with their positions) and rewrites.
pub struct PlanOutput<'a> {
    model: &'a FileModel<'a>,
    findings: Vec<Finding>,
    rewrites: Vec<Rewrite>,
}

impl<'a> PlanOutput<'a> {
    pub fn new(model: &'a FileModel<'a>) -> Self {
        PlanOutput {
            model,
            findings: Vec::new(),
            rewrites: Vec::new(),
        }
    }

    /// Records a finding; returns its index (for `rewrite`).
    pub fn add(
        &mut self,
        offset: usize,
        resolution: &Resolution,
        old: DottedPath,
        site: Site,
        fix: Fix,
    ) -> usize {
        let (line, column) = self.model.lines.line_col(self.model.bytes, offset);
        self.findings.push(Finding {
            offset,
            line,
            column,
            rule: resolution.rule().clone(),
            new: resolution.target.clone(),
            old,
            site,
            fix,
        });
        self.findings.len() - 1
    }

    /// Records a finding found elsewhere (its line and column are recomputed for this
    /// file); returns its index.
    pub fn push(&mut self, mut finding: Finding) -> usize {
        let (line, column) = self.model.lines.line_col(self.model.bytes, finding.offset);
        finding.line = line;
        finding.column = column;
        self.findings.push(finding);
        self.findings.len() - 1
    }

    /// The index the next finding will get (findings `mark()..` were added since).
    pub fn mark(&self) -> usize {
        self.findings.len()
    }

    /// Records edits that implement `findings`; returns the rewrite's id.
    pub fn rewrite(&mut self, findings: Vec<usize>, edits: Vec<Edit>) -> RewriteId {
        self.rewrites.push(Rewrite { findings, edits });
        RewriteId(self.rewrites.len() - 1)
    }

    /// Adds edits to an earlier rewrite (they stand or fall with it).
    pub fn extend(&mut self, id: RewriteId, edits: impl IntoIterator<Item = Edit>) {
        self.rewrites[id.0].edits.extend(edits);
    }

    /// Keeps rewrites that do not overlap earlier ones; demotes the findings of the others
    /// to manual; sorts the findings.
    pub fn finish(mut self) -> Plan {
        let groups: Vec<&[Edit]> = self.rewrites.iter().map(|r| r.edits.as_slice()).collect();
        let rejected = crate::edit::overlapping_groups(&groups);
        let mut edits = Vec::new();
        for (index, rewrite) in self.rewrites.into_iter().enumerate() {
            if rejected.contains(&index) {
                for &finding in &rewrite.findings {
                    self.findings[finding].fix = Fix::Manual(Reason::EditConflict);
                }
            } else {
                edits.extend(rewrite.edits);
            }
        }
        let mut list = self.findings;
        list.sort();
        list.dedup_by(|a, b| {
            a.offset == b.offset
                && a.old == b.old
                && a.site == b.site
                && matches!(a.fix, Fix::Note(_)) == matches!(b.fix, Fix::Note(_))
        });
        Plan {
            edits,
            findings: list,
        }
    }
}
