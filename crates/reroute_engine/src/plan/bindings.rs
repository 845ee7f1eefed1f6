//! The names import statements bind, and what the import pass decided for each: the facts
//! the usage, rename and fallback passes build on.

use std::collections::HashMap;

use tree_sitter::Node;

use super::RewriteId;
use crate::spec::{DottedPath, Identifier, RuleId};

/// What a name bound by an import binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindingShape {
    /// A plain unaliased `import a.b`: binds `a` and loads `a.b`.
    Root,
    /// Anything else: the name is bound to the whole path.
    Name,
}

/// Where a rewritten import points now.
#[derive(Debug, Clone)]
pub struct Moved {
    pub to: DottedPath,
    pub rule: RuleId,
    /// `rename_usages`: the name the import binds now; uses are renamed to it.
    pub renamed_to: Option<Identifier>,
    /// The rewrite of the statement: edits its uses need stand or fall with it.
    pub rewrite: RewriteId,
}

/// What the import pass decided for one bound name.
#[derive(Debug, Clone)]
pub enum BindingState {
    /// No move applies.
    Kept,
    /// A move applies, but the import is suppressed or left for a person: its uses are
    /// left alone too.
    Blocked,
    /// Rewritten to point at the new place.
    Rewritten(Moved),
    /// Rewritten, and dropped as a duplicate of an earlier import of the same thing.
    Dropped(Moved),
}

/// A name bound by an import, as the later passes need it.
#[derive(Debug, Clone)]
pub struct ImportBinding<'t> {
    pub stmt: Node<'t>,
    /// The block (or module) that holds the statement.
    pub block: Node<'t>,
    /// Id of the scope node that holds the import.
    pub scope: usize,
    pub local: Identifier,
    pub shape: BindingShape,
    /// The loaded path (`a.b`) for root bindings; otherwise the full path the name is
    /// bound to.
    pub path: DottedPath,
    pub state: BindingState,
}

impl ImportBinding<'_> {
    pub fn is_root(&self) -> bool {
        self.shape == BindingShape::Root
    }

    pub fn is_blocked(&self) -> bool {
        matches!(self.state, BindingState::Blocked)
    }

    pub fn is_dropped(&self) -> bool {
        matches!(self.state, BindingState::Dropped(_))
    }

    /// Where the import points after the plan, when it is rewritten or dropped.
    pub fn moved(&self) -> Option<&Moved> {
        match &self.state {
            BindingState::Rewritten(moved) | BindingState::Dropped(moved) => Some(moved),
            BindingState::Kept | BindingState::Blocked => None,
        }
    }

    pub fn new_path(&self) -> Option<&DottedPath> {
        self.moved().map(|m| &m.to)
    }

    /// The path the import loads after the plan.
    pub fn path_after(&self) -> &DottedPath {
        self.new_path().unwrap_or(&self.path)
    }

    /// The name the binding binds after the plan.
    pub fn local_after(&self) -> &Identifier {
        match (self.new_path(), self.is_root() && self.path.len() > 1) {
            (Some(new_path), true) => new_path.first(),
            _ => &self.local,
        }
    }
}

/// Every import binding of the file in source order, indexed by local name.
#[derive(Default)]
pub struct Bindings<'t> {
    list: Vec<ImportBinding<'t>>,
    by_local: HashMap<Identifier, Vec<usize>>,
}

impl<'t> Bindings<'t> {
    pub fn push(&mut self, binding: ImportBinding<'t>) {
        self.by_local
            .entry(binding.local.clone())
            .or_default()
            .push(self.list.len());
        self.list.push(binding);
    }

    /// The bindings of `name`, in source order.
    pub fn named<'a>(&'a self, name: &Identifier) -> impl Iterator<Item = &'a ImportBinding<'t>> {
        self.by_local
            .get(name)
            .into_iter()
            .flatten()
            .map(|&index| &self.list[index])
    }

    /// True when an import in the scope with id `scope` binds `name`.
    pub fn binds(&self, scope: usize, name: &Identifier) -> bool {
        self.named(name).any(|b| b.scope == scope)
    }

    /// The scope whose binding of `name` a use inside `enclosing` sees (Python's lookup),
    /// with the imports that bind `name` there.
    pub fn seen_from<'m>(
        &self,
        model: &crate::analyze::FileModel<'m>,
        enclosing: &[Node<'m>],
        name: &Identifier,
    ) -> Option<(Node<'m>, Vec<&ImportBinding<'t>>)> {
        let binds_import = |scope: usize| self.binds(scope, name);
        let scope = model.resolving_scope(enclosing, name, &binds_import)?;
        let in_scope = self.named(name).filter(|b| b.scope == scope.id()).collect();
        Some((scope, in_scope))
    }
}

impl<'t> std::ops::Deref for Bindings<'t> {
    type Target = [ImportBinding<'t>];
    fn deref(&self) -> &[ImportBinding<'t>] {
        &self.list
    }
}

impl<'a, 't> IntoIterator for &'a Bindings<'t> {
    type Item = &'a ImportBinding<'t>;
    type IntoIter = std::slice::Iter<'a, ImportBinding<'t>>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}
