//! Planning a piece of a file as a file of its own: an import statement that stands alone
//! inside broken code (`standalone`), code in a string or comment (`mentions`). The piece
//! is parsed alone and planned with the file's rules, module and location; what comes back
//! is moved to the piece's place in the file.

use std::ops::Range;

use tree_sitter::Tree;

use super::{Fix, Plan, PlanOutput, Site};
use crate::analyze::{FileInput, FileModel};
use crate::edit::Edit;
use crate::source::LineIndex;

/// Plans the bytes `tree` was parsed from (`model.bytes[range]`) as a file of their own.
pub fn plan(model: &FileModel<'_>, range: &Range<usize>, tree: &Tree) -> Plan {
    let text = &model.bytes[range.clone()];
    let lines = LineIndex::new(text);
    let input = FileInput {
        bytes: text,
        tree,
        lines: &lines,
        rules: model.rules,
        active: model.active,
        module: model.module.clone(),
        package: model.package.clone(),
        location: model.location.clone(),
        is_utf8: model.is_utf8,
        mentions: false,
        rewrite_in_errors: false,
        disk: None,
    };
    super::plan(&FileModel::new(input))
}

/// The plan's edits, moved to where the piece starts in the file.
pub fn edits_in_file(plan: &Plan, start: usize) -> Vec<Edit> {
    plan.edits
        .iter()
        .cloned()
        .map(|mut edit| {
            edit.range = edit.range.start + start..edit.range.end + start;
            edit
        })
        .collect()
}

/// Records the plan's findings (at their place in the file, with `site` when given) and its
/// edits, as one rewrite.
pub fn record(plan: Plan, start: usize, site: Option<Site>, out: &mut PlanOutput<'_>) {
    let edits = edits_in_file(&plan, start);
    let mut rewritten = Vec::new();
    for mut finding in plan.findings {
        finding.offset += start;
        if let Some(site) = site {
            finding.site = site;
        }
        let is_rewrite = finding.fix == Fix::Rewritten;
        let index = out.push(finding);
        if is_rewrite {
            rewritten.push(index);
        }
    }
    out.rewrite(rewritten, edits);
}
