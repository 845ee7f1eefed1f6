//! The names import statements bind, and what the import pass decided for each: the facts
//! the usage, rename and fallback passes build on.

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
