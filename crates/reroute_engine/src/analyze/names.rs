//! Names and dotted uses found by the one walk: every identifier in expression or binding
//! position indexed by name, identifier-rooted attribute chains (`a.old.f`), dotted `match`
//! patterns, and the string literals inside annotations. Each carries its enclosing scopes
//! as an id into [`ScopeChains`] (many uses share one chain).

use std::collections::HashMap;

use tree_sitter::Node;

use crate::spec::{DottedPath, Identifier};

/// Id of one interned list of enclosing scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeChainId(u32);

/// The distinct lists of enclosing scopes (outermost first) seen by the walk.
#[derive(Default)]
pub struct ScopeChains<'t> {
    chains: Vec<Vec<Node<'t>>>,
}

impl<'t> ScopeChains<'t> {
    /// The id of `scopes`; consecutive nodes mostly share their chain, so only the last
    /// one is compared.
    pub fn intern(&mut self, scopes: &[Node<'t>]) -> ScopeChainId {
        let same = self.chains.last().is_some_and(|last| {
            last.len() == scopes.len() && last.iter().zip(scopes).all(|(a, b)| a.id() == b.id())
        });
        if !same {
            self.chains.push(scopes.to_vec());
        }
        ScopeChainId((self.chains.len() - 1) as u32)
    }

    pub fn get(&self, id: ScopeChainId) -> &[Node<'t>] {
        &self.chains[id.0 as usize]
    }
}

/// One identifier node in expression or binding position.
#[derive(Debug, Clone, Copy)]
pub struct NameUse<'t> {
    pub node: Node<'t>,
    pub scopes: ScopeChainId,
}

/// Name uses by identifier, each list in source order. Attribute names (`obj.name`),
/// keyword-argument names and import statements are not in it.
#[derive(Default)]
pub struct NameIndex<'t> {
    by_name: HashMap<Identifier, Vec<NameUse<'t>>>,
}

impl<'t> NameIndex<'t> {
    pub fn add(&mut self, name: Identifier, node: Node<'t>, scopes: ScopeChainId) {
        self.by_name
            .entry(name)
            .or_default()
            .push(NameUse { node, scopes });
    }

    /// Every use of `name`, in source order.
    pub fn uses(&self, name: &Identifier) -> &[NameUse<'t>] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// True when the file uses or binds `name` outside imports.
    pub fn contains(&self, name: &Identifier) -> bool {
        self.by_name.contains_key(name)
    }
}

/// An identifier-rooted dotted use (`a.b.c`): its identifier nodes, root first.
pub struct Chain<'t> {
    pub idents: Vec<Node<'t>>,
    pub path: DottedPath,
    pub scopes: ScopeChainId,
}

/// The chain an `attribute` node spells, when it is rooted at an identifier.
pub fn chain_of<'t>(bytes: &[u8], node: Node<'t>) -> Option<(Vec<Node<'t>>, DottedPath)> {
    let mut idents = Vec::new();
    let mut current = node;
    while current.kind() == "attribute" {
        idents.push(current.child_by_field_name("attribute")?);
        current = current.child_by_field_name("object")?;
    }
    if current.kind() != "identifier" {
        return None;
    }
    idents.push(current);
    idents.reverse();
    let segments = idents.iter().map(|n| identifier(bytes, *n)).collect();
    Some((idents, DottedPath::from_segments(segments)?))
}

/// The identifier a name node spells, NFKC-normalised.
pub fn identifier(bytes: &[u8], node: Node<'_>) -> Identifier {
    Identifier::from_token(&String::from_utf8_lossy(&bytes[node.byte_range()]))
}

/// The identifiers of a `dotted_name` node as a path.
pub fn dotted(bytes: &[u8], node: Node<'_>) -> Option<DottedPath> {
    let mut cursor = node.walk();
    let segments: Vec<Identifier> = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "identifier")
        .map(|c| identifier(bytes, c))
        .collect();
    DottedPath::from_segments(segments)
}

/// The content's byte range of a plain string literal: no `f`, `b` or `t` prefix, no
/// escape (what it spells is what it says).
pub fn plain_string(bytes: &[u8], string: Node<'_>) -> Option<std::ops::Range<usize>> {
    if string.kind() != "string" {
        return None;
    }
    let mut cursor = string.walk();
    let children: Vec<Node<'_>> = string.children(&mut cursor).collect();
    let start = children.first().filter(|c| c.kind() == "string_start")?;
    let end = children.last().filter(|c| c.kind() == "string_end")?;
    let prefix = &bytes[start.byte_range()];
    if prefix
        .iter()
        .any(|b| matches!(b, b'f' | b'F' | b'b' | b'B' | b't' | b'T'))
    {
        return None;
    }
    let range = start.end_byte()..end.start_byte();
    (!bytes[range.clone()].contains(&b'\\')).then_some(range)
}

/// `np = pytest.importorskip("numpy")` or `m = importlib.import_module("a.b")` (also
/// unqualified): an assignment that binds a name to a module named by a plain absolute
/// string, like `import numpy as np`. The bound name and the module.
pub fn module_assignment<'t>(bytes: &[u8], assignment: Node<'t>) -> Option<(Node<'t>, DottedPath)> {
    if assignment.kind() != "assignment" || assignment.child_by_field_name("type").is_some() {
        return None;
    }
    let name = assignment
        .child_by_field_name("left")
        .filter(|n| n.kind() == "identifier")?;
    let call = assignment
        .child_by_field_name("right")
        .filter(|n| n.kind() == "call")?;
    let function = &bytes[call.child_by_field_name("function")?.byte_range()];
    let known = [
        &b"importorskip"[..],
        b"pytest.importorskip",
        b"import_module",
        b"importlib.import_module",
    ];
    if !known.contains(&function) {
        return None;
    }
    let arguments = call.child_by_field_name("arguments")?;
    let first = arguments.named_child(0)?;
    let content = plain_string(bytes, first)?;
    let text = std::str::from_utf8(&bytes[content]).ok()?;
    Some((name, DottedPath::parse(text)?))
}
