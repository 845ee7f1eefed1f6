//! `try`/`except ImportError` pairs whose fallback the rewrite made redundant: noted.

use std::collections::BTreeSet;

use crate::scan::contains;

use tree_sitter::Node;

use super::bindings::{Bindings, ImportBinding};
use super::{Fix, Note, PlanOutput, Site};
use crate::analyze::FileModel;
use crate::ruleset::Resolution;
use crate::spec::{DottedPath, Identifier};

/// Notes each `except ImportError` branch that, after the rewrite, imports exactly what
/// its `try` branch imports.
pub fn note_redundant_fallbacks(
    model: &FileModel<'_>,
    bindings: &Bindings<'_>,
    out: &mut PlanOutput<'_>,
) {
    let mut noted: Vec<usize> = Vec::new();
    for binding in bindings {
        let Some(handler) = import_error_handler(model, binding.block) else {
            continue;
        };
        let Some(body) = handler
            .parent()
            .and_then(|try_stmt| try_stmt.child_by_field_name("body"))
        else {
            continue;
        };
        if noted.contains(&handler.id()) {
            continue;
        }
        let in_block = |block: Node<'_>| {
            let id = block.id();
            bindings.iter().filter(move |b| b.block.id() == id)
        };
        let fallback = binding.block;
        let tried: BTreeSet<(Identifier, DottedPath)> = in_block(body).map(after).collect();
        let fell_back: BTreeSet<(Identifier, DottedPath)> = in_block(fallback).map(after).collect();
        if tried.is_empty() || tried != fell_back {
            continue;
        }
        let rewritten = in_block(body)
            .chain(in_block(fallback))
            .find(|b| b.new_path().is_some() && !b.is_blocked());
        let first = in_block(fallback).next().unwrap_or(binding);
        let resolution = match rewritten {
            Some(rewritten) => model
                .resolve(&first.path)
                .or_else(|| model.resolve(&rewritten.path)),
            // Already rewritten (a run before this one): both branches import a move's new
            // home, which is still worth saying.
            None => model
                .rules
                .moves()
                .iter()
                .find(|m| first.path.starts_with(&m.to))
                .map(Resolution::of_move),
        };
        if let Some(resolution) = resolution {
            noted.push(handler.id());
            // Name the moved path and its new home, not the imported name.
            let old = resolution.matched.clone();
            let mut reported = resolution.clone();
            reported.target = resolution.home.clone();
            let fix = Fix::Note(Note::RedundantFallback);
            out.add(first.stmt.start_byte(), &reported, old, Site::Import, fix);
        }
    }
}

/// The `except` clause catching `ImportError` (or `ModuleNotFoundError`) whose block is
/// `block`.
fn import_error_handler<'t>(model: &FileModel<'_>, block: Node<'t>) -> Option<Node<'t>> {
    if block.kind() != "block" {
        return None;
    }
    let handler = block.parent()?;
    if handler.kind() != "except_clause" {
        return None;
    }
    let head = &model.bytes[handler.start_byte()..block.start_byte()];
    (contains(head, b"ImportError") || contains(head, b"ModuleNotFoundError")).then_some(handler)
}

/// The (local name, target) a binding holds after the plan.
fn after(binding: &ImportBinding<'_>) -> (Identifier, DottedPath) {
    let target = binding.path_after().clone();
    let renamed_to = binding.moved().and_then(|m| m.renamed_to.as_ref());
    let local = match (renamed_to, binding.is_root()) {
        (Some(renamed), _) => renamed.clone(),
        (None, true) => target.first().clone(),
        (None, false) => binding.local.clone(),
    };
    (local, target)
}

/// True when `node` sits in the `except ImportError` (`ModuleNotFoundError`,
/// `AttributeError`) handler of a `try` whose body reaches `target`, the new path: the
/// handler runs only where the new path is missing (an older version of the library), so
/// the old path there is right and is left alone. The body reaches `target` when it
/// imports it, a module on its way of two names or more (`import numpy.exceptions`), or
/// something under it, or spells `.last` of it (`np.trapezoid`).
pub fn is_old_version_fallback(model: &FileModel<'_>, node: Node<'_>, target: &DottedPath) -> bool {
    let mut current = node.parent();
    while let Some(candidate) = current {
        match candidate.kind() {
            "function_definition" | "class_definition" | "lambda" => return false,
            "except_clause" => {
                let head_end = candidate
                    .children(&mut candidate.walk())
                    .find(|c| c.kind() == "block")
                    .map_or(candidate.end_byte(), |b| b.start_byte());
                let head = &model.bytes[candidate.start_byte()..head_end];
                let catches = ["ImportError", "ModuleNotFoundError", "AttributeError"]
                    .iter()
                    .any(|name| crate::scan::contains(head, name.as_bytes()));
                let body = candidate
                    .parent()
                    .and_then(|try_stmt| try_stmt.child_by_field_name("body"));
                if let (true, Some(body)) = (catches, body)
                    && reaches(model, body, target)
                {
                    return true;
                }
            }
            _ => {}
        }
        current = candidate.parent();
    }
    false
}

/// True when the block `body` imports `target` (or a module of two names or more on its
/// way, or something under it), or spells its last name as an attribute.
fn reaches(model: &FileModel<'_>, body: Node<'_>, target: &DottedPath) -> bool {
    let mut found = false;
    crate::parse::walk(body, |node| {
        if found {
            return false;
        }
        match crate::analyze::imports::kind_of(node) {
            Some(kind) => {
                let module = node
                    .child_by_field_name("module_name")
                    .filter(|m| m.kind() == "dotted_name")
                    .and_then(|m| crate::analyze::names::dotted(model.bytes, m));
                for item in crate::analyze::imports::item_syntax(model.bytes, node) {
                    let path = match (&module, kind) {
                        (Some(module), crate::analyze::ImportKind::From) => {
                            module.join(item.path.segments())
                        }
                        _ => item.path.clone(),
                    };
                    found |=
                        path.starts_with(target) || (path.len() >= 2 && target.starts_with(&path));
                }
                false
            }
            None => {
                if node.kind() == "attribute"
                    && let Some(name) = node.child_by_field_name("attribute")
                {
                    found |= model.text(name) == target.last().as_str().as_bytes();
                }
                true
            }
        }
    });
    found
}
