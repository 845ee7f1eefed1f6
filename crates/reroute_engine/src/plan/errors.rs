//! References inside code that does not parse. tree-sitter yields no import node there, so
//! the region's bytes are scanned for moved names; each hit is reported with its line and
//! never rewritten (import statements that stand alone are planned in `standalone`).

use super::{Fix, Note, PlanOutput, Reason, Site};
use crate::analyze::FileModel;
use crate::ruleset::Resolution;
use crate::scan::{dotted_runs, from_import_names};
use crate::spec::Identifier;

/// Reports the references inside ERROR regions, except in the statements planned on their
/// own (`standalone`).
pub fn scan_errors(
    model: &FileModel<'_>,
    standalone: &super::standalone::Standalone,
    out: &mut PlanOutput<'_>,
) {
    let regions = model
        .collected
        .broken
        .iter()
        .map(|r| r.byte_range())
        .chain(standalone.unread.iter().cloned());
    for region in regions {
        let bytes = &model.bytes[region.clone()];
        let mut hits: Vec<(usize, crate::spec::DottedPath)> = Vec::new();
        for run in dotted_runs(bytes)
            .into_iter()
            .chain(from_import_names(bytes))
        {
            if hits.iter().any(|(offset, _)| *offset == run.offset) {
                continue;
            }
            let offset = region.start + run.offset;
            if standalone.planned.iter().any(|r| r.contains(&offset)) {
                continue;
            }
            if let Some(resolution) = model.resolve(&run.path) {
                hits.push((run.offset, run.path.clone()));
                let fix = Fix::Manual(Reason::SyntaxError);
                out.add(offset, &resolution, run.path, Site::SyntaxError, fix);
            }
        }
    }
    for stmt in &model.unresolved_relatives {
        report_relative(model, *stmt, out);
    }
}

/// A relative import that cannot be resolved (no package, more dots than packages) is
/// noted when it names the last segment of a moved path: Python would fail it too, unless
/// the package layout is configured elsewhere (`src`).
fn report_relative(model: &FileModel<'_>, stmt: tree_sitter::Node<'_>, out: &mut PlanOutput<'_>) {
    let Some(node) = stmt.child_by_field_name("module_name") else {
        return;
    };
    let (_, tail) = crate::analyze::relative::parts(model, node);
    let mut cursor = stmt.walk();
    let names: Vec<Identifier> = stmt
        .children_by_field_name("name", &mut cursor)
        .map(|name| {
            let node = if name.kind() == "aliased_import" {
                name.child_by_field_name("name").unwrap_or(name)
            } else {
                name
            };
            Identifier::from_token(String::from_utf8_lossy(model.text(node)).trim())
        })
        .collect();
    let named = |segment: &Identifier| tail.contains(segment) || names.contains(segment);
    let Some(moved) = model.rules.moves().iter().find(|m| named(m.from.last())) else {
        return;
    };
    let resolution = Resolution::of_move(moved);
    let fix = Fix::Note(Note::UnresolvedRelative);
    out.add(
        node.start_byte(),
        &resolution,
        moved.from.clone(),
        Site::Import,
        fix,
    );
}
