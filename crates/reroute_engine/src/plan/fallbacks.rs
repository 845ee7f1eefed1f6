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
