//! An import item as the import pass plans it: the move to carry out, or why it is left.

use crate::analyze::Item;
use crate::ruleset::Resolution;
use crate::spec::DottedPath;

/// An import item as this pass plans it.
pub struct Planned<'a, 't> {
    pub item: &'a Item<'t>,
    /// The move to carry out (`None`: none applies, or the item is left as it is).
    pub resolution: Option<Resolution>,
    /// A move applies but the item is suppressed or left for a person.
    pub blocked: bool,
    /// `rename_usages`: the import binds the new name, and uses follow.
    pub renames: bool,
}

impl<'t> std::ops::Deref for Planned<'_, 't> {
    type Target = Item<'t>;
    fn deref(&self) -> &Item<'t> {
        self.item
    }
}

impl Planned<'_, '_> {
    /// Where the item points after the plan.
    pub fn target(&self) -> &DottedPath {
        self.resolution.as_ref().map_or(&self.full, |r| &r.target)
    }

    /// The module a from-import item now comes from (`None` when it became a top-level
    /// name).
    pub fn new_module(&self) -> Option<DottedPath> {
        self.target().parent()
    }

    /// True when the move that matched covers the statement's module (the module moved),
    /// as opposed to a move of the imported name itself.
    pub fn is_module_move(&self, module: &DottedPath) -> bool {
        self.resolution
            .as_ref()
            .is_some_and(|r| module.starts_with(&r.matched) && self.new_module().is_some())
    }
}
