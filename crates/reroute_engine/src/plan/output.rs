//! What the passes produce for one file: findings with their positions, and rewrites (the
//! edits that implement some findings, kept or dropped together); `finish` keeps the
//! rewrites that do not overlap earlier ones and demotes the others' findings to manual.

use super::finding::Note;
use super::finding::{Finding, Fix, Reason, Site};
use crate::analyze::FileModel;
use crate::edit::Edit;
use crate::ruleset::{Resolution, Special};
use crate::spec::DottedPath;

/// The planner's answer for one file.
#[derive(Debug, Default, Clone)]
pub struct Plan {
    /// Never overlapping.
    pub edits: Vec<Edit>,
    /// Sorted by offset.
    pub findings: Vec<Finding>,
    /// Which edits implement which findings.
    pub rewrites: Vec<Rewrite>,
    /// Findings of removals and held version tiers (indices into `findings`). When there
    /// are any, this plan's edits may carry those moves out: the file is planned again
    /// without them (`RuleSet::rewriting`) and these findings join that plan (`absorb`).
    pub survey: Vec<usize>,
}

impl Plan {
    /// The findings of removals and held tiers (see `survey`).
    pub fn surveyed(&self) -> Vec<Finding> {
        self.survey
            .iter()
            .map(|&i| self.findings[i].clone())
            .collect()
    }

    /// Adds findings made elsewhere (the first pass's `surveyed`), keeping the findings
    /// sorted and the rewrites pointing at the same ones.
    pub fn absorb(&mut self, mut others: Vec<Finding>) {
        if others.is_empty() {
            return;
        }
        others.retain(|other| !self.findings.contains(other));
        let mut all: Vec<(Finding, Option<usize>)> = std::mem::take(&mut self.findings)
            .into_iter()
            .enumerate()
            .map(|(i, f)| (f, Some(i)))
            .chain(others.into_iter().map(|f| (f, None)))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        let mut new_index = vec![0; all.len()];
        for (at, (_, old)) in all.iter().enumerate() {
            if let Some(old) = old {
                new_index[*old] = at;
            }
        }
        for rewrite in &mut self.rewrites {
            for finding in &mut rewrite.findings {
                *finding = new_index[*finding];
            }
        }
        self.findings = all.into_iter().map(|(f, _)| f).collect();
    }
}

/// One rewrite of a plan: findings and the edits that implement them, which stand or fall
/// together (an import is never rewritten without its uses).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rewrite {
    /// Indices into the plan's findings, ascending.
    pub findings: Vec<usize>,
    /// Indices into the plan's edits, ascending.
    pub edits: Vec<usize>,
    /// Other rewrites (indices into the plan's rewrites) this one must be carried out
    /// with: an import and the uses that follow it. Whoever applies rewrites one at a time
    /// (a code action, `apply -i`) takes the whole group.
    pub together: Vec<usize>,
}

/// The groups of rewrites that must be carried out together (connected by `together`),
/// each a sorted list of indices into `rewrites`, in the order of their first member.
pub fn rewrite_groups(rewrites: &[Rewrite]) -> Vec<Vec<usize>> {
    let mut group_of: Vec<Option<usize>> = vec![None; rewrites.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for start in 0..rewrites.len() {
        if group_of[start].is_some() {
            continue;
        }
        let id = groups.len();
        let mut members = vec![start];
        group_of[start] = Some(id);
        let mut at = 0;
        while at < members.len() {
            let current = members[at];
            at += 1;
            let linked = rewrites[current].together.iter().copied().chain(
                (0..rewrites.len()).filter(|&other| rewrites[other].together.contains(&current)),
            );
            for other in linked.collect::<Vec<_>>() {
                if group_of[other].is_none() {
                    group_of[other] = Some(id);
                    members.push(other);
                }
            }
        }
        members.sort_unstable();
        groups.push(members);
    }
    groups
}

/// Edits and the findings they implement, as the passes make them: kept or dropped together.
#[derive(Debug, Default)]
struct Draft {
    /// Indices into the output's findings.
    pub findings: Vec<usize>,
    pub edits: Vec<Edit>,
    /// When each edit was made (see `PlanOutput::made`), in `edits` order.
    pub made: Vec<usize>,
    /// Rewrites this one must be carried out with (see [`Rewrite::together`]).
    pub together: Vec<RewriteId>,
    /// Rewrites this one needs (an import its uses rely on): dropped with them.
    pub needs: Vec<RewriteId>,
}

/// Index of a rewrite in a [`PlanOutput`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RewriteId(usize);

/// What the passes produce: findings (with their positions) and rewrites.
pub struct PlanOutput<'a> {
    model: &'a FileModel<'a>,
    findings: Vec<Finding>,
    rewrites: Vec<Draft>,
    /// Edits made so far: inserts at one offset are applied in the order they were made,
    /// whatever rewrite they belong to.
    made: usize,
    /// Findings of removals and held tiers (see `Plan::survey`).
    survey: Vec<usize>,
}

impl<'a> PlanOutput<'a> {
    pub fn new(model: &'a FileModel<'a>) -> Self {
        PlanOutput {
            model,
            findings: Vec::new(),
            rewrites: Vec::new(),
            made: 0,
            survey: Vec::new(),
        }
    }

    /// Records a finding; returns its index (for `rewrite`). A reference to a removal
    /// (`[[remove]]`) or to a held version tier is recorded as what it is (manual, or a
    /// note naming the requirement) whatever `fix` the pass meant.
    pub fn add(
        &mut self,
        offset: usize,
        resolution: &Resolution,
        old: DottedPath,
        site: Site,
        fix: Fix,
    ) -> usize {
        let mut new = Some(resolution.target.clone());
        let kept = matches!(
            fix,
            Fix::Suppressed
                | Fix::Mention
                | Fix::Note(Note::OldVersionFallback | Note::VersionBranch)
        );
        let fix = match resolution.special {
            None => fix,
            Some(special) => {
                self.survey.push(self.findings.len());
                let moved = &self.model.rules.moves()[special.index()];
                match special {
                    Special::Held(_) if !kept => Fix::Note(Note::RequiresVersion {
                        requirement: moved
                            .requires
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                    }),
                    Special::Held(_) => fix,
                    Special::Removed(_) | Special::Replaced(_) => {
                        new = None;
                        if kept {
                            fix
                        } else {
                            Fix::Manual(Reason::Removed {
                                message: moved.removal_message().unwrap_or_default().to_string(),
                            })
                        }
                    }
                }
            }
        };
        self.push_at(offset, resolution, old, new, site, fix)
    }

    /// Records a use rewritten to a `replace` expression (never held back: the first
    /// pass and the second make the same edit).
    pub fn add_replaced(
        &mut self,
        offset: usize,
        resolution: &Resolution,
        old: DottedPath,
    ) -> usize {
        self.push_at(offset, resolution, old, None, Site::Usage, Fix::Rewritten)
    }

    fn push_at(
        &mut self,
        offset: usize,
        resolution: &Resolution,
        old: DottedPath,
        new: Option<DottedPath>,
        site: Site,
        fix: Fix,
    ) -> usize {
        let (line, column) = self.model.lines.line_col(self.model.bytes, offset);
        self.findings.push(Finding {
            offset,
            line,
            column,
            rule: Some(resolution.rule().clone()),
            new,
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
        self.rewrites.push(Draft {
            findings,
            ..Draft::default()
        });
        let id = RewriteId(self.rewrites.len() - 1);
        self.extend(id, edits);
        id
    }

    /// Adds edits to an earlier rewrite (they stand or fall with it).
    pub fn extend(&mut self, id: RewriteId, edits: impl IntoIterator<Item = Edit>) {
        let rewrite = &mut self.rewrites[id.0];
        for edit in edits {
            rewrite.edits.push(edit);
            rewrite.made.push(self.made);
            self.made += 1;
        }
    }

    /// Records that rewrite `id` needs rewrite `needed` (dropped when it is).
    pub fn needs(&mut self, id: RewriteId, needed: RewriteId) {
        self.rewrites[id.0].needs.push(needed);
        self.together(id, needed);
    }

    /// Records that rewrites `id` and `other` are to be carried out together (a use and
    /// the import it follows), without making either depend on the other.
    pub fn together(&mut self, id: RewriteId, other: RewriteId) {
        if id != other && !self.rewrites[id.0].together.contains(&other) {
            self.rewrites[id.0].together.push(other);
        }
    }

    /// Keeps rewrites that do not overlap earlier ones; demotes the findings of the others
    /// to manual; sorts the findings.
    pub fn finish(mut self) -> Plan {
        let groups: Vec<&[Edit]> = self.rewrites.iter().map(|r| r.edits.as_slice()).collect();
        let mut rejected = crate::edit::overlapping_groups(&groups);
        // A rewrite whose needed rewrite went goes too (a use without its import).
        loop {
            let more: Vec<usize> = (0..self.rewrites.len())
                .filter(|i| !rejected.contains(i))
                .filter(|&i| {
                    self.rewrites[i]
                        .needs
                        .iter()
                        .any(|n| rejected.contains(&n.0))
                })
                .collect();
            if more.is_empty() {
                break;
            }
            rejected.extend(more);
        }
        // (when made, which kept rewrite, edit)
        let mut made: Vec<(usize, usize, Edit)> = Vec::new();
        let mut kept: Vec<Vec<usize>> = Vec::new();
        // Where each draft went among the kept rewrites, and whom it is to go with.
        let mut kept_at: Vec<Option<usize>> = vec![None; self.rewrites.len()];
        let mut together: Vec<Vec<RewriteId>> = Vec::new();
        for (index, rewrite) in self.rewrites.into_iter().enumerate() {
            if rejected.contains(&index) {
                for &finding in &rewrite.findings {
                    self.findings[finding].fix = Fix::Manual(Reason::EditConflict);
                }
            } else {
                let at = kept.len();
                kept_at[index] = Some(at);
                together.push(rewrite.together);
                kept.push(rewrite.findings);
                made.extend(
                    rewrite
                        .made
                        .into_iter()
                        .zip(rewrite.edits)
                        .map(|(when, edit)| (when, at, edit)),
                );
            }
        }
        made.sort_by_key(|(when, _, _)| *when);
        let mut links: Vec<Rewrite> = vec![Rewrite::default(); kept.len()];
        let mut edits: Vec<Edit> = Vec::with_capacity(made.len());
        for (_, at, edit) in made {
            links[at].edits.push(edits.len());
            edits.push(edit);
        }
        // Sort and de-duplicate the findings, remembering where each one went.
        let mut order: Vec<usize> = (0..self.findings.len()).collect();
        order.sort_by(|&a, &b| self.findings[a].cmp(&self.findings[b]));
        let mut new_index = vec![0; self.findings.len()];
        let mut list: Vec<Finding> = Vec::with_capacity(order.len());
        for old in order {
            let finding = &self.findings[old];
            let same = list.last().is_some_and(|b: &Finding| {
                finding.offset == b.offset
                    && finding.old == b.old
                    && finding.site == b.site
                    && matches!(finding.fix, Fix::Note(_)) == matches!(b.fix, Fix::Note(_))
            });
            if !same {
                list.push(finding.clone());
            }
            new_index[old] = list.len() - 1;
        }
        for (link, with) in links.iter_mut().zip(together) {
            link.together = with.iter().filter_map(|other| kept_at[other.0]).collect();
            link.together.sort_unstable();
        }
        for (link, findings) in links.iter_mut().zip(kept) {
            link.findings = findings.into_iter().map(|f| new_index[f]).collect();
            link.findings.sort_unstable();
            link.findings.dedup();
        }
        links.retain(|link| !link.edits.is_empty() || !link.findings.is_empty());
        let mut survey: Vec<usize> = self.survey.iter().map(|&i| new_index[i]).collect();
        survey.sort_unstable();
        survey.dedup();
        Plan {
            edits,
            findings: list,
            rewrites: links,
            survey,
        }
    }
}
