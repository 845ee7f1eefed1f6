//! Imports that the rewrite makes duplicates of an earlier import of the same name and
//! target: dropped, and a block left with no statement gets `pass`. Duplicates that were
//! there before the rewrite stay.
//!
//! The earlier import must always run before this one: the same block, or an enclosing
//! block of the same scope (a sibling branch, `try:` vs `except ImportError:`, does not
//! count). A name the scope also binds otherwise (`X = X.wrapped()`) is never dropped: the
//! earlier import may no longer be what the name holds.

use std::collections::{BTreeMap, HashMap, HashSet};

use tree_sitter::Node;

use super::bindings::ImportBinding;
use super::planned::Planned;
use super::{PlanOutput, RewriteId, place};
use crate::analyze::{FileModel, ImportStmt};
use crate::edit::Edit;
use crate::spec::{DottedPath, Identifier, RuleId};

/// The bindings of the statements planned so far that stay in the file, by local name.
#[derive(Default)]
pub struct Earlier<'t> {
    /// By (block id, local name, path after the plan): each distinct path the name held
    /// before the plan, with where it was first bound. A lookup is one per enclosing block,
    /// however many earlier duplicates there are.
    by_key: HashMap<(usize, Identifier, DottedPath), Vec<(DottedPath, usize)>>,
    _tree: std::marker::PhantomData<Node<'t>>,
}

impl<'t> Earlier<'t> {
    /// Remembers a statement's bindings (all but the dropped ones).
    pub fn add(&mut self, bindings: &[ImportBinding<'t>]) {
        for binding in bindings.iter().filter(|b| !b.is_dropped()) {
            let local = binding.moved().and_then(|m| m.renamed_to.as_ref());
            let key = (
                binding.block.id(),
                local.unwrap_or(&binding.local).clone(),
                binding.path_after().clone(),
            );
            let befores = self.by_key.entry(key).or_default();
            if !befores.iter().any(|(before, _)| *before == binding.path) {
                befores.push((binding.path.clone(), binding.stmt.start_byte()));
            }
        }
    }

    /// For each item of `stmt`, whether the plan makes it a duplicate of an earlier binding
    /// that always runs before it. Imports that were duplicates already are left to the
    /// user (#12): only a duplicate the rewrite creates is dropped.
    pub fn find(
        &self,
        model: &FileModel<'_>,
        stmt: &ImportStmt<'_>,
        items: &[Planned<'_, '_>],
    ) -> Vec<bool> {
        let start = stmt.node.start_byte();
        // A renamed import binds its new name.
        let local_after = |item: &Planned<'_, '_>| match &item.resolution {
            Some(resolution) if item.renames => resolution.target.last().clone(),
            _ => item.local(stmt.kind).clone(),
        };
        items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let local = &local_after(item);
                // The rewrite makes it a twin of an earlier name of the same statement.
                let twin_here = items[..index].iter().any(|earlier| {
                    local_after(earlier) == *local
                        && earlier.target() == item.target()
                        && earlier.full != item.full
                });
                if item.resolution.is_some()
                    && twin_here
                    && !model.binds_otherwise(stmt.scope, local)
                {
                    return true;
                }
                item.resolution.is_some()
                    && stmt.enclosing_blocks.iter().any(|&block| {
                        let key = (block, local.clone(), item.target().clone());
                        self.by_key.get(&key).is_some_and(|befores| {
                            befores
                                .iter()
                                .any(|(before, at)| *at < start && *before != item.full)
                        })
                    })
                    && !model.binds_otherwise(stmt.scope, local)
            })
            .collect()
    }
}

/// A statement removed whole, the rule that removes it and the rewrite it belongs to.
type Removal<'t> = (Node<'t>, RuleId, RewriteId);

/// Statements removed whole, by block (to put `pass` in an emptied block).
#[derive(Default)]
pub struct Removals<'t> {
    by_block: BTreeMap<usize, (Node<'t>, Vec<Removal<'t>>)>,
}

impl<'t> Removals<'t> {
    pub fn add(&mut self, stmt: &ImportStmt<'t>, rule: RuleId, rewrite: RewriteId) {
        self.by_block
            .entry(stmt.block.id())
            .or_insert_with(|| (stmt.block, Vec::new()))
            .1
            .push((stmt.node, rule, rewrite));
    }

    /// Removes the statements; the first one of a block left with no statement becomes
    /// `pass`.
    pub fn plan(self, model: &FileModel<'_>, out: &mut PlanOutput<'_>) {
        let mut blocks: Vec<(Node<'t>, Vec<Removal<'t>>)> = self.by_block.into_values().collect();
        blocks.sort_by_key(|(_, stmts)| stmts[0].0.start_byte());
        for (block, stmts) in blocks {
            let removed: HashSet<usize> = stmts.iter().map(|(s, _, _)| s.id()).collect();
            let mut cursor = block.walk();
            let remaining = block
                .named_children(&mut cursor)
                .filter(|c| c.kind() != "comment" && !removed.contains(&c.id()))
                .count();
            let is_module = block.kind() == "module";
            for (index, (stmt, _, rewrite)) in stmts.iter().enumerate() {
                let edit = if index == 0 && remaining == 0 && !is_module {
                    Edit::replace(stmt.byte_range(), "pass")
                } else {
                    Edit::delete(place::statement_removal(model, *stmt))
                };
                out.extend(*rewrite, [edit]);
            }
        }
    }
}
