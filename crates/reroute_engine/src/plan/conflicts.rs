//! Name conflicts an import rewrite must not create: a plain import whose new first name
//! is already taken, and a `rename_usages` rename whose old name is also assigned or whose
//! new name is already bound.

use super::planned::Planned;
use crate::analyze::{FileModel, ImportKind, ImportStmt, is_binding_position};
use crate::spec::Identifier;

/// Every import item's bound name after this plan, computed on first use: (item node id,
/// name, whether it is the first segment of a plain import, i.e. a package).
pub struct FileNames<'m, 't> {
    model: &'m FileModel<'t>,
    bindings_after: Option<Vec<(usize, Identifier, bool)>>,
}

impl<'m, 't> FileNames<'m, 't> {
    pub fn new(model: &'m FileModel<'t>) -> Self {
        FileNames {
            model,
            bindings_after: None,
        }
    }

    pub fn bindings_after(&mut self) -> &[(usize, Identifier, bool)] {
        let model = self.model;
        self.bindings_after
            .get_or_insert_with(|| model.imports.iter().flat_map(|s| s.bound_after()).collect())
    }

    /// True when `name` is bound or used in the file other than by import item `item`.
    fn is_taken(&mut self, name: &Identifier, item: usize) -> bool {
        self.bindings_after()
            .iter()
            .any(|(node, local, _)| *node != item && local == name)
            || self.model.is_used(name)
    }

    /// True when an import binds `name` after the plan.
    pub fn is_imported(&mut self, name: &Identifier) -> bool {
        self.bindings_after()
            .iter()
            .any(|(_, local, _)| local == name)
    }
}

/// A plain `import a.b` whose first segment changes would bind a new name; it must not
/// already mean something else in the file (after this plan's other rewrites).
pub fn root_conflicts(
    model: &FileModel<'_>,
    item: &Planned<'_, '_>,
    names: &mut FileNames<'_, '_>,
) -> bool {
    let Some(resolution) = &item.resolution else {
        return false;
    };
    if item.alias.is_some()
        || item.path.len() == 1
        || resolution.target.first() == item.path.first()
    {
        return false;
    }
    let new_root = resolution.target.first();
    let imported_otherwise = names
        .bindings_after()
        .iter()
        .any(|(node, local, is_package)| {
            *node != item.node.id() && local == new_root && !is_package
        });
    imported_otherwise || model.is_used(new_root)
}

/// `rename_usages` applies and would change the bound name: an unaliased from-import
/// item, or `import old` of one segment whose new home is one segment too.
pub fn wants_rename(item: &Planned<'_, '_>, kind: ImportKind) -> bool {
    let Some(resolution) = item.resolution.as_ref().filter(|r| r.rename_usages) else {
        return false;
    };
    let is_from = kind != ImportKind::Plain;
    let changes = resolution.target.last() != item.local(kind);
    let shape = if is_from {
        resolution.target.len() > 1
    } else {
        item.path.len() == 1 && resolution.target.len() == 1
    };
    let reexport = item.alias.as_ref() == Some(item.path.last()) && is_from;
    (item.alias.is_none() || reexport) && changes && shape
}

/// The name that stops a rename: the old one when the scope also binds it otherwise (or a
/// class body binds and reads it), the new one when the file already binds or uses it.
pub fn rename_conflict(
    model: &FileModel<'_>,
    stmt: &ImportStmt<'_>,
    item: &Planned<'_, '_>,
    names: &mut FileNames<'_, '_>,
) -> Option<String> {
    let resolution = item.resolution.as_ref()?;
    let old = item.local(stmt.kind);
    let new = resolution.target.last();
    if model.binds_otherwise(stmt.scope, old) || class_binds(model, old) {
        Some(old.to_string())
    } else if names.is_taken(new, item.node.id())
        && !merges_into_earlier_import(model, stmt, item, old, new)
    {
        Some(new.to_string())
    } else {
        None
    }
}

/// Two names that become one (#12): the new name is already bound by an earlier import (or
/// an earlier name of the same statement) of the same thing the renamed import will import. The rename may go ahead (the rewritten
/// import is then dropped as a duplicate) when every import of the new name is such an
/// import, unconditional (directly in the body of the renamed import's scope, not under
/// `if`, `try` or `with`), and before the renamed import and before every use of either
/// name; and nothing else binds the new name. Otherwise the conflict stands: a binding
/// under `TYPE_CHECKING`, in a `try`, later in the file or rebound is not relied on.
fn merges_into_earlier_import(
    model: &FileModel<'_>,
    stmt: &ImportStmt<'_>,
    item: &Planned<'_, '_>,
    old: &Identifier,
    new: &Identifier,
) -> bool {
    let target = item.target();
    let mut first_end = None;
    for other in &model.imports {
        for other_item in &other.items {
            if other_item.node.id() == item.node.id() || other_item.local(other.kind) != new {
                continue;
            }
            let other_target = other_item
                .resolution
                .as_ref()
                .map_or(&other_item.full, |r| &r.target);
            let fits = other_target == target
                && other.scope.id() == stmt.scope.id()
                && other.enclosing_blocks.len() == 1
                && (other.node.end_byte() <= stmt.node.start_byte()
                    // An earlier name of the same statement (`import Kept, Renamed`).
                    || (other.node.id() == stmt.node.id()
                        && other_item.node.end_byte() <= item.node.start_byte()));
            if !fits {
                return false;
            }
            first_end = Some(first_end.map_or(other.node.end_byte(), |end: usize| {
                end.min(other.node.end_byte())
            }));
        }
    }
    let Some(first_end) = first_end else {
        return false;
    };
    let uses = model.uses(new).iter().chain(model.uses(old));
    let rebound = model.uses(new).iter().any(|u| is_binding_position(u.node));
    !rebound && uses.clone().all(|u| u.node.start_byte() >= first_end)
}

/// True when some class body binds `name` and also reads it: a class body reads names it
/// has not bound yet from the module (`Old = Old`), which no static rename can follow.
fn class_binds(model: &FileModel<'_>, name: &Identifier) -> bool {
    model.uses(name).iter().any(|name_use| {
        model
            .scopes_of(name_use.scopes)
            .last()
            .is_some_and(|scope| {
                scope.kind() == "class_definition"
                    && !is_binding_position(name_use.node)
                    && model.binds_otherwise(*scope, name)
            })
    })
}
