//! Planning: a [`FileModel`] → the edits to make and the findings to report.
//!
//! Pure: no I/O. Each pass reads the model and returns rewrites: findings with the edits
//! that implement them (`PlanOutput`). Passes: import statements in place (`imports`),
//! splits into new statements (`split`), duplicates (`duplicates`), star imports (`star`),
//! attribute uses (`usages`, with new-home imports in `homes`), `rename_usages`
//! (`rename`), string targets and mentions (`strings`), redundant fallbacks
//! (`fallbacks`) and references inside syntax errors (`errors`). When two rewrites claim
//! the same bytes, the later one's findings are demoted to manual (`edit-conflict`).

mod bindings;
mod conflicts;
mod dotted;
mod duplicates;
mod errors;
mod fallbacks;
pub mod finding;
mod homes;
mod imports;
mod place;
mod rename;
mod split;
mod star;
mod strings;
mod suppress;
mod usages;

pub use finding::{Finding, Fix, Note, Reason, Site, TargetKind};

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
    fn new(model: &'a FileModel<'a>) -> Self {
        PlanOutput {
            model,
            findings: Vec::new(),
            rewrites: Vec::new(),
        }
    }

    /// Records a finding; returns its index (for `rewrite`).
    fn add(
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

    /// The index the next finding will get (findings `mark()..` were added since).
    fn mark(&self) -> usize {
        self.findings.len()
    }

    /// Records edits that implement `findings`; returns the rewrite's id.
    fn rewrite(&mut self, findings: Vec<usize>, edits: Vec<Edit>) -> RewriteId {
        self.rewrites.push(Rewrite { findings, edits });
        RewriteId(self.rewrites.len() - 1)
    }

    /// Adds edits to an earlier rewrite (they stand or fall with it).
    fn extend(&mut self, id: RewriteId, edits: impl IntoIterator<Item = Edit>) {
        self.rewrites[id.0].edits.extend(edits);
    }

    /// Keeps rewrites that do not overlap earlier ones; demotes the findings of the others
    /// to manual; sorts the findings.
    fn finish(mut self) -> Plan {
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

/// Plans every rewrite and report for one analysed file.
pub fn plan(model: &FileModel<'_>) -> Plan {
    let mut out = PlanOutput::new(model);
    let suppressions = suppress::Suppressions::new(model, &model.collected.comments);
    let bindings = imports::plan_imports(model, &suppressions, &mut out);
    fallbacks::note_redundant_fallbacks(model, &bindings, &mut out);
    let replaced = usages::plan_usages(model, &bindings, &mut out);
    rename::plan_renames(model, &bindings, &replaced, &mut out);
    strings::plan_strings(model, &suppressions, &mut out);
    errors::scan_errors(model, &mut out);
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::FileInput;
    use crate::ruleset::{RuleFilter, RuleSet};
    use crate::source::LineIndex;

    #[test]
    fn an_overlapping_rewrite_demotes_its_findings_not_the_file() {
        let bytes = b"import a.old\nimport a.old.x\n";
        let spec = "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n";
        let codemod =
            crate::spec::parse_codemod(spec, std::path::Path::new("t.toml"), "t".into()).unwrap();
        let rules = RuleSet::new(vec![codemod]).unwrap();
        let tree = crate::parse::parse(bytes).unwrap();
        let lines = LineIndex::new(bytes);
        let model = FileModel::new(FileInput {
            bytes,
            tree: &tree,
            lines: &lines,
            rules: &rules,
            active: &RuleFilter::All,
            module: None,
            package: None,
            location: None,
            is_utf8: true,
            mentions: false,
        });
        let resolution = rules.resolve(&DottedPath::parse("a.old").unwrap()).unwrap();
        let old = || DottedPath::parse("a.old").unwrap();
        let rule = resolution.rule().clone();
        let mut out = PlanOutput::new(&model);
        let first = out.add(7, &resolution, old(), Site::Import, Fix::Rewritten);
        out.rewrite(vec![first], vec![Edit::replace(9..12, "new", rule.clone())]);
        let second = out.add(20, &resolution, old(), Site::Import, Fix::Rewritten);
        let clash = out.rewrite(
            vec![second],
            vec![Edit::replace(22..25, "new", rule.clone())],
        );
        out.extend(clash, [Edit::replace(10..11, "x", rule)]);
        let plan = out.finish();
        assert_eq!(plan.edits.len(), 1, "only the first rewrite is kept");
        assert_eq!(plan.edits[0].range, 9..12);
        let fixes: Vec<&Fix> = plan.findings.iter().map(|f| &f.fix).collect();
        assert_eq!(
            fixes,
            [&Fix::Rewritten, &Fix::Manual(Reason::EditConflict)],
            "the second finding needs a person now"
        );
    }
}
