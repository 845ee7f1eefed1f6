//! Conditional imports: branches guarded by `sys.version_info` (left as they are, with a
//! note) and `try`/`except ImportError` pairs whose fallback the rewrite made redundant.

use std::collections::BTreeSet;

use tree_sitter::Node;

use super::imports::ImportBinding;
use super::{Findings, Fix, Note, PlanInput, Site};
use crate::spec::{DottedPath, Identifier};

/// The parts of the file guarded by `sys.version_info`: every branch of an `if` (or from
/// an `elif` on) whose condition reads it, without the condition itself.
#[derive(Debug, Default)]
pub struct VersionBranches {
    regions: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
}

impl VersionBranches {
    /// Records the guarded parts of `if_statement` (called once per `if` by the collector).
    pub fn add_if(&mut self, input: &PlanInput<'_>, if_statement: Node<'_>) {
        let end = if_statement.end_byte();
        let mut cursor = if_statement.walk();
        let clauses = std::iter::once(if_statement).chain(
            if_statement
                .children(&mut cursor)
                .filter(|c| c.kind() == "elif_clause"),
        );
        for clause in clauses {
            if let Some(condition) = clause.child_by_field_name("condition")
                && contains(input.text(condition), b"version_info")
            {
                self.regions
                    .push((clause.start_byte()..end, condition.byte_range()));
                break;
            }
        }
    }

    /// True when `node` sits in a guarded branch: the old path may be the right one for
    /// the Pythons it serves.
    pub fn contains(&self, node: Node<'_>) -> bool {
        let at = node.start_byte();
        self.regions
            .iter()
            .any(|(region, condition)| region.contains(&at) && !condition.contains(&at))
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Notes each `except ImportError` branch that, after the rewrite, imports exactly what
/// its `try` branch imports.
pub fn note_redundant_fallbacks(
    input: &PlanInput<'_>,
    bindings: &[ImportBinding<'_>],
    findings: &mut Findings<'_>,
) {
    let mut noted: Vec<usize> = Vec::new();
    for binding in bindings {
        let Some(handler) = import_error_handler(input, binding.stmt) else {
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
            bindings
                .iter()
                .filter(move |b| b.stmt.parent().is_some_and(|p| p.id() == id))
        };
        let Some(fallback) = binding.stmt.parent() else {
            continue;
        };
        let tried: BTreeSet<(Identifier, DottedPath)> = in_block(body).map(after).collect();
        let fell_back: BTreeSet<(Identifier, DottedPath)> = in_block(fallback).map(after).collect();
        let rewritten = in_block(body)
            .chain(in_block(fallback))
            .find(|b| b.new_path.is_some() && !b.blocked);
        let Some(rewritten) = rewritten else {
            continue;
        };
        if tried.is_empty() || tried != fell_back {
            continue;
        }
        let first = in_block(fallback).next().unwrap_or(binding);
        let resolution = input
            .resolve(&first.path)
            .or_else(|| input.resolve(&rewritten.path));
        if let Some(resolution) = resolution {
            noted.push(handler.id());
            // Name the moved path and its new home, not the imported name.
            let old = resolution.matched.clone();
            let mut reported = resolution.clone();
            reported.target = resolution.home.clone();
            let fix = Fix::Note(Note::RedundantFallback);
            findings.add(first.stmt.start_byte(), &reported, old, Site::Import, fix);
        }
    }
}

/// The `except` clause catching `ImportError` (or `ModuleNotFoundError`) whose block
/// holds `stmt` directly.
fn import_error_handler<'t>(input: &PlanInput<'_>, stmt: Node<'t>) -> Option<Node<'t>> {
    let handler = stmt.parent()?.parent()?;
    if handler.kind() != "except_clause" {
        return None;
    }
    let block = stmt.parent()?;
    let head = &input.bytes[handler.start_byte()..block.start_byte()];
    (contains(head, b"ImportError") || contains(head, b"ModuleNotFoundError")).then_some(handler)
}

/// The (local name, target) a binding holds after the plan.
fn after(binding: &ImportBinding<'_>) -> (Identifier, DottedPath) {
    let target = binding
        .new_path
        .clone()
        .unwrap_or_else(|| binding.path.clone());
    let local = match (&binding.renamed_to, binding.is_root) {
        (Some(renamed), _) => renamed.clone(),
        (None, true) => target.first().clone(),
        (None, false) => binding.local.clone(),
    };
    (local, target)
}
