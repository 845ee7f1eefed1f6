//! Analysis: one parsed file + the rule set → a [`FileModel`], built by one walk of the
//! tree and borrowed by every rewrite pass after it.
//!
//! The model holds the file's facts (bytes, tree, lines, module name, encoding), the clean
//! import statements read and resolved once (relative ones too), the name index, the
//! attribute chains, the version branches, target-string and mention candidates, and one
//! cache of per-scope bindings. Nothing here plans an edit.

pub mod branches;
pub mod collect;
pub mod imports;
mod input;
pub mod names;
pub mod relative;
pub mod scope;
pub mod statements;

use std::cell::RefCell;

use tree_sitter::Node;

use crate::spec::Identifier;

pub use collect::Collected;
pub use imports::{ImportKind, ImportStmt, Item};
pub use input::FileInput;
pub use names::{Chain, NameUse, ScopeChainId};
pub use scope::is_binding_position;

/// Everything the rewrite passes read about one file, computed once.
pub struct FileModel<'t> {
    pub input: FileInput<'t>,
    pub collected: Collected<'t>,
    /// Clean import statements that can be planned, in source order.
    pub imports: Vec<ImportStmt<'t>>,
    /// Relative imports whose package is not known.
    pub unresolved_relatives: Vec<Node<'t>>,
    /// Names each scope binds other than by imports, and its `global`/`nonlocal`
    /// declarations, filled on first ask.
    scopes: RefCell<scope::Scopes>,
}

/// The clean import statements that can be planned, and the relative ones whose package is
/// not known.
fn read_imports<'t>(
    input: &FileInput<'t>,
    collected: &Collected<'t>,
) -> (Vec<ImportStmt<'t>>, Vec<Node<'t>>) {
    let mut imports = Vec::new();
    let mut unresolved_relatives = Vec::new();
    for site in &collected.imports {
        match imports::read(input, site) {
            Ok(read) => imports.push(read),
            Err(imports::Unplannable::Relative) => unresolved_relatives.push(site.node),
            Err(imports::Unplannable::Other) => {}
        }
    }
    (imports, unresolved_relatives)
}

impl<'t> std::ops::Deref for FileModel<'t> {
    type Target = FileInput<'t>;
    fn deref(&self) -> &FileInput<'t> {
        &self.input
    }
}

impl<'t> FileModel<'t> {
    /// Analyses one parsed file.
    pub fn new(input: FileInput<'t>) -> FileModel<'t> {
        let collected = collect::collect(&input);
        let (imports, unresolved_relatives) = read_imports(&input, &collected);
        FileModel {
            input,
            collected,
            imports,
            unresolved_relatives,
            scopes: RefCell::default(),
        }
    }

    /// The same file under another rule filter (the second pass over a file that references
    /// a removal or a held version tier): the tree walk and the scope facts are kept, the
    /// imports are resolved again.
    pub fn refiltered(self, active: &'t crate::ruleset::RuleFilter) -> FileModel<'t> {
        let input = FileInput {
            active,
            ..self.input
        };
        let (imports, unresolved_relatives) = read_imports(&input, &self.collected);
        FileModel {
            input,
            collected: self.collected,
            imports,
            unresolved_relatives,
            scopes: self.scopes,
        }
    }

    /// The enclosing scopes of a use (outermost first).
    pub fn scopes_of(&self, id: ScopeChainId) -> &[Node<'t>] {
        self.collected.scope_chains.get(id)
    }

    /// Every use of `name` outside imports, in source order.
    pub fn uses(&self, name: &Identifier) -> &[NameUse<'t>] {
        self.collected.names.uses(name)
    }

    /// True when the file uses or binds `name` outside imports.
    pub fn is_used(&self, name: &Identifier) -> bool {
        self.collected.names.contains(name)
    }

    /// True when `scope` binds `name` by anything other than an import.
    pub fn binds_otherwise(&self, scope: Node<'_>, name: &Identifier) -> bool {
        self.scopes
            .borrow_mut()
            .binds_otherwise(&self.input, scope, name)
    }

    /// The scope whose binding of `name` a use with `enclosing` scopes refers to (see
    /// `Scopes::resolving_scope`).
    pub fn resolving_scope(
        &self,
        enclosing: &[Node<'t>],
        name: &Identifier,
        binds_import: &dyn Fn(usize) -> bool,
    ) -> Option<Node<'t>> {
        self.scopes
            .borrow_mut()
            .resolving_scope(&self.input, enclosing, name, binds_import)
    }

    /// Like `resolving_scope`, following `global` and `nonlocal` declarations.
    pub fn declared_scope(
        &self,
        enclosing: &[Node<'t>],
        name: &Identifier,
        binds_import: &dyn Fn(usize) -> bool,
    ) -> Option<Node<'t>> {
        self.scopes
            .borrow_mut()
            .declared_scope(&self.input, enclosing, name, binds_import)
    }
}
