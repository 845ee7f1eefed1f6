//! Imports of moved symbols' new homes that rewritten uses need (`import typing;
//! typing.Callable` → `collections.abc.Callable` needs `import collections.abc`): one per
//! module and scope, after the statement that binds the uses, and only where its first
//! name is free.

use tree_sitter::Node;

use super::bindings::{Bindings, ImportBinding};
use super::{PlanOutput, RewriteId, place};
use crate::analyze::FileModel;
use crate::edit::Edit;
use crate::spec::DottedPath;

/// One import a rewritten use needs.
struct Needed<'t> {
    module: DottedPath,
    /// The statement that binds the use's root: the import goes after it.
    stmt: Node<'t>,
    scope: usize,
    /// The rewrites of the uses that need it, the first one holding the import.
    users: Vec<RewriteId>,
    /// Whether the use that asked last has not claimed it yet.
    pending: bool,
}

pub struct Homes<'a, 't> {
    bindings: &'a Bindings<'t>,
    needed: Vec<Needed<'t>>,
}

impl<'a, 't> Homes<'a, 't> {
    pub fn new(bindings: &'a Bindings<'t>) -> Self {
        Homes {
            bindings,
            needed: Vec::new(),
        }
    }

    /// Whether `import module` may be added: its first name is free, or already bound by a
    /// plain `import` of the same package.
    pub fn can_bind(&self, model: &FileModel<'_>, module: &DottedPath) -> bool {
        let root = module.first();
        let bound_by_import = self.bindings.named(root);
        let mut plain = false;
        for binding in bound_by_import {
            if !binding.is_root() && binding.path.len() > 1 || binding.path.first() != root {
                return false;
            }
            plain = true;
        }
        plain || !model.is_used(root)
    }

    /// Asks for `import module` in the scope of `binding`, unless a plain import there
    /// already loads it or it was asked for.
    pub fn need(&mut self, module: DottedPath, binding: &ImportBinding<'t>) {
        let loaded = self.bindings.iter().any(|b| {
            b.is_root()
                && b.scope == binding.scope
                && !b.is_dropped()
                && b.path_after().starts_with(&module)
        });
        if loaded {
            return;
        }
        if let Some(known) = self
            .needed
            .iter_mut()
            .find(|n| n.module == module && n.scope == binding.scope)
        {
            known.pending = true;
            return;
        }
        {
            // An import dropped as a duplicate is no place to anchor: its earlier twin is.
            let anchor = if binding.is_dropped() {
                self.bindings
                    .named(&binding.local)
                    .find(|b| b.scope == binding.scope && !b.is_dropped())
                    .map_or(binding.stmt, |b| b.stmt)
            } else {
                binding.stmt
            };
            self.needed.push(Needed {
                module,
                stmt: anchor,
                scope: binding.scope,
                users: Vec::new(),
                pending: true,
            });
        }
    }

    /// Ties the imports asked for since the last call to the rewrite of the use that asked.
    pub fn claim(&mut self, rewrite: RewriteId) {
        for needed in self.needed.iter_mut().filter(|n| n.pending) {
            needed.users.push(rewrite);
            needed.pending = false;
        }
    }

    /// Plans the imports, each with the rewrite that needed it.
    pub fn add_imports(self, model: &FileModel<'_>, out: &mut PlanOutput<'_>) {
        for needed in self.needed {
            let stmt = needed.stmt;
            let text = format!("import {}", needed.module).into_bytes();
            let followed_on_line = stmt
                .next_sibling()
                .is_some_and(|next| next.start_position().row == stmt.end_position().row);
            let (at, text) = if followed_on_line {
                // `import a.old; print(a.old.X)`: the new import must come before the use.
                (stmt.end_byte(), [b"; ".as_slice(), &text].concat())
            } else {
                place::insert_after(model, stmt, &[text])
            };
            let edit = Edit::insert(at, text);
            // The import stands or falls with the first use that needed it; every other
            // use that needs it falls with it too.
            match needed.users.split_first() {
                Some((&first, rest)) => {
                    out.extend(first, [edit]);
                    for &user in rest {
                        out.needs(user, first);
                    }
                }
                None => {
                    out.rewrite(Vec::new(), vec![edit]);
                }
            }
        }
    }
}
