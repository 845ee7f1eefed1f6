//! Star imports: `from a.old import *` is rewritten to the new module; a name it used to
//! provide that moved elsewhere, and that the file uses unqualified with no other binding,
//! is reported at its first use (`star-import`).

use super::conflicts::FileNames;
use super::suppress::Suppressions;
use super::{Fix, PlanOutput, Reason, Site, dotted};
use crate::analyze::{FileModel, ImportStmt, is_binding_position};
use crate::edit::Edit;
use crate::spec::DottedPath;

pub fn plan_star(
    model: &FileModel<'_>,
    stmt: &ImportStmt<'_>,
    suppressions: &Suppressions,
    names: &mut FileNames<'_, '_>,
    out: &mut PlanOutput<'_>,
) {
    let Some(module) = &stmt.module else {
        return;
    };
    plan_module(model, stmt, module, suppressions, out);
    report_star_names(model, module, names, out);
}

fn plan_module(
    model: &FileModel<'_>,
    stmt: &ImportStmt<'_>,
    module: &DottedPath,
    suppressions: &Suppressions,
    out: &mut PlanOutput<'_>,
) {
    let Some(module_node) = stmt.node.child_by_field_name("module_name") else {
        return;
    };
    let Some(resolution) = model.resolve(module) else {
        return;
    };
    let rows = stmt.node.start_position().row..=stmt.node.end_position().row;
    let fix = if suppressions.is_suppressed(rows, resolution.rule()) {
        Fix::Suppressed
    } else if resolution.target.len() > 1 && model.is_own_module(&resolution.target) {
        Fix::Manual(Reason::SelfImport)
    } else {
        Fix::Rewritten
    };
    let at = module_node.start_byte();
    let finding = out.add(at, &resolution, module.clone(), Site::Import, fix.clone());
    if fix == Fix::Rewritten {
        let edit = match &stmt.relative {
            Some(relative) => Some(Edit::replace(
                module_node.byte_range(),
                relative.spell(&resolution.target),
                resolution.rule().clone(),
            )),
            None => {
                dotted::rename_dotted(model, module_node, &resolution.target, resolution.rule())
            }
        };
        out.rewrite(vec![finding], edit.into_iter().collect());
    }
}

/// Reports each name the star import used to provide that moved elsewhere and that the
/// file uses unqualified, with no other binding, at its first use.
fn report_star_names(
    model: &FileModel<'_>,
    module: &DottedPath,
    names: &mut FileNames<'_, '_>,
    out: &mut PlanOutput<'_>,
) {
    let star_now = model
        .resolve(module)
        .map_or_else(|| module.clone(), |r| r.target);
    let root = model.tree.root_node();
    for moved in model.rules.moves_under(module) {
        if moved.from.len() != module.len() + 1 {
            continue;
        }
        let Some(resolution) = model.resolve(&moved.from) else {
            continue;
        };
        let name = moved.from.last();
        if resolution.target.parent().as_ref() == Some(&star_now)
            && resolution.target.last() == name
        {
            continue; // still provided by the rewritten star import
        }
        if names.is_imported(name) || model.binds_otherwise(root, name) {
            continue;
        }
        let first_use = model
            .uses(name)
            .iter()
            .map(|u| u.node)
            .find(|node| !is_binding_position(*node));
        if let Some(node) = first_use {
            let reason = Reason::StarImport {
                name: name.to_string(),
            };
            let fix = Fix::Manual(reason);
            out.add(
                node.start_byte(),
                &resolution,
                moved.from.clone(),
                Site::Usage,
                fix,
            );
        }
    }
}
