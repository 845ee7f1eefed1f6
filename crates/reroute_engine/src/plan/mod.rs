//! Planning: a [`FileModel`] → the edits to make and the findings to report.
//!
//! Pure: no I/O. Each pass reads the model and returns rewrites: findings with the edits
//! that implement them (`PlanOutput`). Passes: import statements in place (`imports`),
//! splits into new statements (`split`), duplicates (`duplicates`), star imports (`star`),
//! attribute uses (`usages`, with new-home imports in `homes`), `rename_usages`
//! (`rename`), string targets and mentions (`strings`), redundant fallbacks
//! (`fallbacks`) and references inside syntax errors (`errors`). When two rewrites claim
//! the same bytes, the later one's findings are demoted to manual (`edit-conflict`).

mod annotations;
mod bindings;
mod conflicts;
mod dotted;
mod duplicates;
mod errors;
mod fallbacks;
pub mod finding;
mod homes;
mod imports;
mod mentions;
mod moved_file;
mod old_versions;
mod output;
mod package_arg;
mod place;
mod planned;
mod rename;
mod snippet;
mod split;
mod standalone;
mod star;
mod strings;
pub(crate) mod suppress;
mod usages;

pub use finding::{Finding, Fix, Note, Reason, Site, TargetKind, UNRESOLVED_IMPORT};

pub use output::{Plan, PlanOutput, Rewrite, RewriteId, rewrite_groups};

use crate::analyze::{FileInput, FileModel};

/// Analyses and plans a file; when it references a removal or a held version tier, plans
/// it again without those (`RuleSet::rewriting`), so that no edit carries them out, and
/// adds their findings. The second pass reuses the first one's tree walk.
pub fn plan_input(input: FileInput<'_>) -> Plan {
    let model = FileModel::new(input);
    let first = plan(&model);
    if first.survey.is_empty() {
        return first;
    }
    let rewriting = model.rules.rewriting(model.active);
    let model = model.refiltered(&rewriting);
    let mut second = plan(&model);
    second.absorb(first.surveyed());
    second
}

/// Plans every rewrite and report for one analysed file.
pub fn plan(model: &FileModel<'_>) -> Plan {
    let mut out = PlanOutput::new(model);
    let suppressions = suppress::Suppressions::new(model, &model.collected.comments);
    let bindings = imports::plan_imports(model, &suppressions, &mut out);
    moved_file::plan_moved_file(model, &mut out);
    fallbacks::note_redundant_fallbacks(model, &bindings, &mut out);
    let replaced = usages::plan_usages(model, &bindings, &mut out);
    annotations::plan_annotation_chains(model, &bindings, &mut out);
    rename::plan_renames(model, &bindings, &replaced, &mut out);
    strings::plan_strings(model, &suppressions, &mut out);
    let standalone = standalone::plan_standalone_imports(model, &mut out);
    errors::scan_errors(model, &standalone, &mut out);
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::FileInput;
    use crate::edit::Edit;
    use crate::ruleset::{RuleFilter, RuleSet};
    use crate::source::LineIndex;
    use crate::spec::DottedPath;

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
            rewrite_in_errors: true,
            disk: None,
        });
        let resolution = rules.resolve(&DottedPath::parse("a.old").unwrap()).unwrap();
        let old = || DottedPath::parse("a.old").unwrap();
        let mut out = PlanOutput::new(&model);
        let first = out.add(7, &resolution, old(), Site::Import, Fix::Rewritten);
        out.rewrite(vec![first], vec![Edit::replace(9..12, "new")]);
        let second = out.add(20, &resolution, old(), Site::Import, Fix::Rewritten);
        let clash = out.rewrite(vec![second], vec![Edit::replace(22..25, "new")]);
        out.extend(clash, [Edit::replace(10..11, "x")]);
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
