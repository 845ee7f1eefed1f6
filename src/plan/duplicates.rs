//! Imports that duplicate an earlier import of the same name and target: dropped, and a
//! block left with no statement gets `pass`.
//!
//! The earlier import must always run before this one: the same block, or an enclosing
//! block of the same scope (a sibling branch, `try:` vs `except ImportError:`, does not
//! count). A name the scope also binds otherwise (`X = X.wrapped()`) is never dropped: the
//! earlier import may no longer be what the name holds.

use std::collections::BTreeMap;

use tree_sitter::Node;

use super::bindings::ImportBinding;
use super::planned::Planned;
use super::{PlanOutput, RewriteId, place};
use crate::analyze::scope::scope_of;
use crate::analyze::{FileModel, ImportStmt};
use crate::edit::Edit;
use crate::spec::RuleId;

/// For each item of `stmt`, whether it duplicates an earlier binding in `bindings`.
pub fn find(
    model: &FileModel<'_>,
    stmt: &ImportStmt<'_>,
    items: &[Planned<'_, '_>],
    bindings: &[ImportBinding<'_>],
) -> Vec<bool> {
    let enclosing_blocks = enclosing_blocks(stmt.node);
    let scope = scope_of(stmt.node);
    let start = stmt.node.start_byte();
    items
        .iter()
        .map(|item| {
            let local = item.local(stmt.kind);
            item.resolution.is_some()
                && !model.binds_otherwise(scope, local)
                && bindings.iter().any(|b| {
                    !b.is_dropped()
                        && b.stmt
                            .parent()
                            .is_some_and(|p| enclosing_blocks.contains(&p.id()))
                        && b.stmt.start_byte() < start
                        && b.local == *local
                        && b.path_after() == item.target()
                })
        })
        .collect()
}

/// Ids of the blocks that hold `stmt`, innermost first, up to and including the body of
/// its scope (function, class or module).
fn enclosing_blocks(stmt: Node<'_>) -> Vec<usize> {
    let mut blocks = Vec::new();
    let mut node = stmt.parent();
    while let Some(current) = node {
        if matches!(current.kind(), "block" | "module") {
            blocks.push(current.id());
        }
        let parent = current.parent();
        if parent.is_some_and(|p| matches!(p.kind(), "function_definition" | "class_definition")) {
            break;
        }
        node = parent;
    }
    blocks
}

/// Statements removed whole, by block (to put `pass` in an emptied block).
#[derive(Default)]
pub struct Removals<'t> {
    by_block: BTreeMap<usize, Vec<(Node<'t>, RuleId, RewriteId)>>,
}

impl<'t> Removals<'t> {
    pub fn add(&mut self, stmt: Node<'t>, rule: RuleId, rewrite: RewriteId) {
        let block = stmt.parent().map_or(0, |p| p.id());
        self.by_block
            .entry(block)
            .or_default()
            .push((stmt, rule, rewrite));
    }

    /// Removes the statements; the first one of a block left with no statement becomes
    /// `pass`.
    pub fn plan(self, model: &FileModel<'_>, out: &mut PlanOutput<'_>) {
        let mut blocks: Vec<Vec<(Node<'t>, RuleId, RewriteId)>> =
            self.by_block.into_values().collect();
        blocks.sort_by_key(|stmts| stmts[0].0.start_byte());
        for stmts in blocks {
            let parent = stmts[0].0.parent();
            let remaining = parent.map_or(1, |block| {
                let mut cursor = block.walk();
                block
                    .named_children(&mut cursor)
                    .filter(|c| {
                        c.kind() != "comment" && !stmts.iter().any(|(s, _, _)| s.id() == c.id())
                    })
                    .count()
            });
            let is_module = parent.is_none_or(|p| p.kind() == "module");
            for (index, (stmt, rule, rewrite)) in stmts.iter().enumerate() {
                let edit = if index == 0 && remaining == 0 && !is_module {
                    Edit::replace(stmt.byte_range(), "pass", rule.clone())
                } else {
                    Edit::delete(place::statement_removal(model, *stmt), rule.clone())
                };
                out.extend(*rewrite, [edit]);
            }
        }
    }
}
