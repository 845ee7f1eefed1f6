//! Reading import statements: their form (`import …`, `from … import …`, star), their items
//! with the dotted names they spell and the names they bind, and, given a rule set, where
//! each item points now. Read once per statement; every pass borrows the result.

use tree_sitter::Node;

use super::collect::ImportSite;
use super::input::FileInput;
use super::names::{dotted, identifier};
use super::relative::{self, Relative};
use crate::ruleset::Resolution;
use crate::ruleset::Role;
use crate::spec::{DottedPath, Identifier};

/// How a statement imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// `import a.b, c as d`
    Plain,
    /// `from m import X, Y as Z`
    From,
    /// `from m import *`
    Star,
}

/// One item of an import list as written: `a.b`, `a.b as c`, `X`, `X as Y`.
#[derive(Debug, Clone)]
pub struct ItemSyntax<'t> {
    /// The item (`aliased_import` or the bare name).
    pub node: Node<'t>,
    /// The dotted name inside it.
    pub name_node: Node<'t>,
    pub alias: Option<Identifier>,
    /// The dotted name as written.
    pub path: DottedPath,
}

impl ItemSyntax<'_> {
    /// The name the item binds: the alias, else the name (from-import) or the first
    /// segment (plain import).
    pub fn local(&self, kind: ImportKind) -> &Identifier {
        match (&self.alias, kind) {
            (Some(alias), _) => alias,
            (None, ImportKind::Plain) => self.path.first(),
            (None, _) => self.path.last(),
        }
    }
}

/// An import item with what it imports and where that moved.
#[derive(Debug, Clone)]
pub struct Item<'t> {
    pub syntax: ItemSyntax<'t>,
    /// The full path of what the item imports (`module.name` for from-imports).
    pub full: DottedPath,
    /// The move that applies, if any (none for imports between modules that moved
    /// together with the file).
    pub resolution: Option<Resolution>,
}

impl<'t> std::ops::Deref for Item<'t> {
    type Target = ItemSyntax<'t>;
    fn deref(&self) -> &ItemSyntax<'t> {
        &self.syntax
    }
}

/// A clean import statement, read and resolved.
pub struct ImportStmt<'t> {
    pub node: Node<'t>,
    /// The block (or module) that holds the statement.
    pub block: Node<'t>,
    /// The innermost scope that holds it.
    pub scope: Node<'t>,
    /// Ids of the blocks that hold it, innermost first, up to the body of its scope.
    pub enclosing_blocks: Vec<usize>,
    pub kind: ImportKind,
    /// The absolute module of a from-import (relative ones resolved); `None` for plain.
    pub module: Option<DottedPath>,
    /// How a relative from-import was resolved.
    pub relative: Option<Relative>,
    /// The items (empty for star imports).
    pub items: Vec<Item<'t>>,
}

impl ImportStmt<'_> {
    /// The names the statement binds once its moves are carried out, for name-conflict
    /// checks: (item node id, name, whether it is the first segment of a plain import).
    pub fn bound_after(&self) -> Vec<(usize, Identifier, bool)> {
        self.items
            .iter()
            .map(|item| {
                let plain_root =
                    self.kind == ImportKind::Plain && item.alias.is_none() && item.path.len() > 1;
                let target = item.resolution.as_ref().map_or(&item.full, |r| &r.target);
                let local = if plain_root {
                    target.first().clone()
                } else {
                    item.local(self.kind).clone()
                };
                (item.node.id(), local, plain_root)
            })
            .collect()
    }
}

/// The kind of an import statement node (`None` for other nodes).
pub fn kind_of(stmt: Node<'_>) -> Option<ImportKind> {
    match stmt.kind() {
        "import_statement" => Some(ImportKind::Plain),
        "import_from_statement" => {
            let star = stmt
                .children(&mut stmt.walk())
                .any(|c| c.kind() == "wildcard_import");
            Some(if star {
                ImportKind::Star
            } else {
                ImportKind::From
            })
        }
        _ => None,
    }
}

/// Reads and resolves a clean import statement. `Err` holds the statement back when it
/// cannot be planned: a from-import whose module is a relative import no reading of the
/// file's location resolves (or an odd module node).
pub fn read<'t>(
    input: &FileInput<'t>,
    site: &ImportSite<'t>,
) -> Result<ImportStmt<'t>, Unplannable> {
    let stmt = site.node;
    let kind = kind_of(stmt).ok_or(Unplannable::Other)?;
    let (module, relative) = match kind {
        ImportKind::Plain => (None, None),
        ImportKind::From | ImportKind::Star => {
            let node = stmt
                .child_by_field_name("module_name")
                .ok_or(Unplannable::Other)?;
            match node.kind() {
                "dotted_name" => (
                    Some(dotted(input.bytes, node).ok_or(Unplannable::Other)?),
                    None,
                ),
                "relative_import" => {
                    let relative = relative::resolve(input, stmt).ok_or(Unplannable::Relative)?;
                    (Some(relative.module.clone()), Some(relative))
                }
                _ => return Err(Unplannable::Other),
            }
        }
    };
    let mut items = Vec::new();
    if kind != ImportKind::Star {
        for syntax in item_syntax(input.bytes, stmt) {
            let full = match &module {
                Some(module) => module.join(syntax.path.segments()),
                None => syntax.path.clone(),
            };
            let role = match kind {
                ImportKind::Plain => Role::Module,
                _ => Role::Imported,
            };
            let resolution = input.resolve_as(&full, role).filter(|r| {
                !relative
                    .as_ref()
                    .is_some_and(|rel| rel.moves_with_file(&full, r))
            });
            items.push(Item {
                syntax,
                full,
                resolution,
            });
        }
    }
    Ok(ImportStmt {
        node: stmt,
        block: site.block,
        scope: site.scope,
        enclosing_blocks: site.enclosing_blocks.clone(),
        kind,
        module,
        relative,
        items,
    })
}

/// Why an import statement is not planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unplannable {
    /// A relative import whose package is not known.
    Relative,
    Other,
}

/// The items of an import statement's name list, as written (no rules needed).
pub fn item_syntax<'t>(bytes: &[u8], stmt: Node<'t>) -> Vec<ItemSyntax<'t>> {
    let mut cursor = stmt.walk();
    let mut items = Vec::new();
    for node in stmt.children_by_field_name("name", &mut cursor) {
        let (name_node, alias) = match node.kind() {
            "aliased_import" => {
                let Some(name) = node.child_by_field_name("name") else {
                    continue;
                };
                let alias = node
                    .child_by_field_name("alias")
                    .map(|a| identifier(bytes, a));
                (name, alias)
            }
            _ => (node, None),
        };
        let Some(path) = dotted(bytes, name_node) else {
            continue;
        };
        items.push(ItemSyntax {
            node,
            name_node,
            alias,
            path,
        });
    }
    items
}
