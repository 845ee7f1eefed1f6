//! Star imports: `from a.old import *` is rewritten to the new module; a name it used to
//! provide that moved elsewhere, and that the file uses unqualified with no other binding,
//! is reported at its first use (`star-import`).

use super::conflicts::FileNames;
use super::rename::{all_entries, annotation_names};
use super::suppress::Suppressions;
use super::{Fix, PlanOutput, Reason, Site, dotted};
use crate::analyze::{FileModel, ImportStmt, is_binding_position};
use crate::ruleset::Role;
use crate::spec::{DottedPath, Identifier};

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
    let Some(resolution) = model.resolve_as(module, Role::Module) else {
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
            Some(relative) => {
                dotted::respell_relative(model, module_node, &relative.spell(&resolution.target))
            }
            None => dotted::rename_dotted(model, module_node, &resolution.target),
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
        .resolve_as(module, Role::Module)
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
        if names.is_imported(name) {
            continue;
        }
        // A name the module binds itself comes from the star import only before that.
        let bound_from = model
            .binds_otherwise(root, name)
            .then(|| first_binding(model, name))
            .flatten();
        let first_use = [first_name_use(model, name), first_other_use(model, name)]
            .into_iter()
            .flatten()
            .min()
            .filter(|at| bound_from.is_none_or(|bound| *at < bound));
        if let Some(at) = first_use {
            let reason = Reason::StarImport {
                name: name.to_string(),
            };
            let fix = Fix::Manual(reason);
            out.add(at, &resolution, moved.from.clone(), Site::Usage, fix);
        }
    }
}

/// Where the first use of `name` as a name is (not a binding, not a `case` capture).
fn first_name_use(model: &FileModel<'_>, name: &Identifier) -> Option<usize> {
    model
        .uses(name)
        .iter()
        .map(|u| u.node)
        .find(|node| !is_binding_position(*node) && !is_def_name(*node))
        .map(|node| node.start_byte())
}

/// Where the first use of `name` that is not a name node is: an `__all__` entry (a
/// re-export) or a string annotation.
fn first_other_use(model: &FileModel<'_>, name: &Identifier) -> Option<usize> {
    let exported = all_entries(model)
        .into_iter()
        .filter(|content| model.text(*content) == name.as_str().as_bytes())
        .map(|content| content.start_byte());
    let annotated = model
        .collected
        .annotation_strings
        .iter()
        .flat_map(|(string, _)| annotation_names(model, *string, name))
        .map(|range| range.start);
    exported.chain(annotated).min()
}

/// Where the module first binds `name` itself (an assignment, a `def` or `class`).
fn first_binding(model: &FileModel<'_>, name: &Identifier) -> Option<usize> {
    model
        .uses(name)
        .iter()
        .filter(|u| model.scopes_of(u.scopes).len() == 1)
        .map(|u| u.node)
        .find(|node| is_binding_position(*node) || is_def_name(*node))
        .map(|node| node.start_byte())
}

/// True when `node` is the name of a `def` or `class`.
fn is_def_name(node: tree_sitter::Node<'_>) -> bool {
    node.parent().is_some_and(|parent| {
        matches!(parent.kind(), "function_definition" | "class_definition")
            && parent
                .child_by_field_name("name")
                .is_some_and(|n| n.id() == node.id())
    })
}
