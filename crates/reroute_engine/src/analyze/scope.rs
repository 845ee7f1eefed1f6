//! Python scopes, enough to tell which binding a name refers to.
//!
//! A scope is the module, a function, a lambda, a class body or a comprehension. A name is
//! bound in a scope by an assignment, a `for` target, a parameter, a `def`/`class` name, a
//! `with … as`/`except … as` target, a walrus, `global`/`nonlocal`, or an import. A use
//! refers to the innermost enclosing scope that binds the name, skipping class bodies for
//! code nested in them (Python's rule).

use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use super::input::FileInput;
use crate::spec::Identifier;

const SCOPE_KINDS: &[&str] = &[
    "module",
    "function_definition",
    "lambda",
    "class_definition",
    "list_comprehension",
    "set_comprehension",
    "dictionary_comprehension",
    "generator_expression",
];

pub fn is_scope(node: Node<'_>) -> bool {
    SCOPE_KINDS.contains(&node.kind())
}

/// Names bound in each scope other than by imports, computed on demand.
#[derive(Default)]
pub struct Scopes {
    other_bindings: HashMap<usize, HashSet<Identifier>>,
    declarations: HashMap<usize, HashMap<Identifier, Declaration>>,
}

/// A `global` or `nonlocal` statement's effect on a name in one scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declaration {
    Global,
    Nonlocal,
}

impl Scopes {
    /// True when `scope` binds `name` by anything other than an import.
    pub fn binds_otherwise(
        &mut self,
        input: &FileInput<'_>,
        scope: Node<'_>,
        name: &Identifier,
    ) -> bool {
        self.other_bindings
            .entry(scope.id())
            .or_insert_with(|| non_import_bindings(input, scope))
            .contains(name)
    }

    /// Whether `scope` declares `name` `global` or `nonlocal`.
    pub fn declaration(
        &mut self,
        input: &FileInput<'_>,
        scope: Node<'_>,
        name: &Identifier,
    ) -> Option<Declaration> {
        self.declarations
            .entry(scope.id())
            .or_insert_with(|| declarations(input, scope))
            .get(name)
            .copied()
    }

    /// Like `resolving_scope`, but following `global` (to the module) and `nonlocal` (to
    /// the enclosing functions) declarations.
    pub fn declared_scope<'t>(
        &mut self,
        input: &FileInput<'t>,
        enclosing: &[Node<'t>],
        name: &Identifier,
        binds_import: &dyn Fn(usize) -> bool,
    ) -> Option<Node<'t>> {
        self.find_scope(input, enclosing, name, binds_import, true)
    }

    /// The scope whose binding of `name` a use refers to, given the use's enclosing scopes
    /// (outermost first): the innermost one that binds it (by `binds_import` or otherwise),
    /// skipping class bodies other than the innermost scope. A `global`/`nonlocal`
    /// declaration counts as a binding of the declaring scope (conservative).
    pub fn resolving_scope<'t>(
        &mut self,
        input: &FileInput<'t>,
        enclosing: &[Node<'t>],
        name: &Identifier,
        binds_import: &dyn Fn(usize) -> bool,
    ) -> Option<Node<'t>> {
        self.find_scope(input, enclosing, name, binds_import, false)
    }

    fn find_scope<'t>(
        &mut self,
        input: &FileInput<'t>,
        enclosing: &[Node<'t>],
        name: &Identifier,
        binds_import: &dyn Fn(usize) -> bool,
        follow_declarations: bool,
    ) -> Option<Node<'t>> {
        let mut to_module = false;
        for (index, scope) in enclosing.iter().enumerate().rev() {
            if to_module {
                if scope.kind() == "module" {
                    return Some(*scope);
                }
                continue;
            }
            let is_innermost = index + 1 == enclosing.len();
            if scope.kind() == "class_definition" && !is_innermost {
                continue;
            }
            if follow_declarations {
                match self.declaration(input, *scope, name) {
                    Some(Declaration::Global) => {
                        to_module = true;
                        continue;
                    }
                    Some(Declaration::Nonlocal) => continue,
                    None => {}
                }
            }
            if binds_import(scope.id()) || self.binds_otherwise(input, *scope, name) {
                return Some(*scope);
            }
        }
        None
    }
}

/// Pre-order walk that hands each node the scopes enclosing it (outermost first), without
/// recursion and without `Node::parent` (which costs the node's depth on every call).
/// `visit` gets the node, its depth and its scopes, and returns whether to descend. Parts of a scope node that Python evaluates in the
/// enclosing scope (parameter defaults and annotations, the return annotation, the first
/// iterable of a comprehension) are handed the enclosing scopes.
pub fn walk_scoped<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>, u32, &[Node<'t>]) -> bool) {
    let mut depths: Vec<u32> = Vec::new();
    let mut scopes: Vec<Node<'t>> = Vec::new();
    // Node ids evaluated outside their scope node, and the (depth, scope index) of each
    // such subtree being walked.
    let mut outside: HashSet<usize> = HashSet::new();
    let mut hidden: Vec<(u32, usize)> = Vec::new();
    let mut visible: Vec<Node<'t>> = Vec::new();
    crate::parse::walk_cursor(root, |cursor, depth| {
        let node = cursor.node();
        while depths.last().is_some_and(|d| *d >= depth) {
            depths.pop();
            scopes.pop();
        }
        while hidden.last().is_some_and(|(d, _)| *d >= depth) {
            hidden.pop();
        }
        if !outside.is_empty() && outside.contains(&node.id()) {
            hidden.push((depth, scopes.len() - 1));
        }
        // A function's or class's name is bound in the enclosing scope.
        let is_own_name = cursor.field_name() == Some("name")
            && depths.last() == Some(&(depth.saturating_sub(1)))
            && scopes
                .last()
                .is_some_and(|s| matches!(s.kind(), "function_definition" | "class_definition"));
        let mut shown: &[Node<'t>] = if is_own_name {
            &scopes[..scopes.len() - 1]
        } else {
            &scopes[..]
        };
        if !hidden.is_empty() {
            visible.clear();
            visible.extend(
                shown
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !hidden.iter().any(|(_, h)| h == i))
                    .map(|(_, s)| *s),
            );
            shown = &visible;
        }
        let descend = visit(node, depth, shown);
        if is_scope(node) {
            depths.push(depth);
            scopes.push(node);
            outside.extend(evaluated_outside(node));
        }
        descend
    });
}

/// The parts of scope node `scope` that run in the enclosing scope.
fn evaluated_outside(scope: Node<'_>) -> Vec<usize> {
    let mut found = Vec::new();
    match scope.kind() {
        "function_definition" | "lambda" => {
            found.extend(scope.child_by_field_name("return_type").map(|n| n.id()));
            if let Some(parameters) = scope.child_by_field_name("parameters") {
                let mut cursor = parameters.walk();
                for parameter in parameters.named_children(&mut cursor) {
                    for field in ["value", "type"] {
                        found.extend(parameter.child_by_field_name(field).map(|n| n.id()));
                    }
                }
            }
        }
        "list_comprehension"
        | "set_comprehension"
        | "dictionary_comprehension"
        | "generator_expression" => {
            let mut cursor = scope.walk();
            let first = scope
                .named_children(&mut cursor)
                .find(|c| c.kind() == "for_in_clause");
            found.extend(
                first
                    .and_then(|f| f.child_by_field_name("right"))
                    .map(|n| n.id()),
            );
        }
        _ => {}
    }
    found
}

/// The `global`/`nonlocal` declarations in a scope's own code.
fn declarations(input: &FileInput<'_>, scope: Node<'_>) -> HashMap<Identifier, Declaration> {
    let mut found = HashMap::new();
    let mut cursor = scope.walk();
    let mut stack: Vec<Node<'_>> = scope.children(&mut cursor).collect();
    while let Some(node) = stack.pop() {
        if is_scope(node) {
            continue;
        }
        let kind = match node.kind() {
            "global_statement" => Some(Declaration::Global),
            "nonlocal_statement" => Some(Declaration::Nonlocal),
            _ => None,
        };
        let mut inner = node.walk();
        match kind {
            Some(kind) => {
                for name in node.named_children(&mut inner) {
                    if name.kind() == "identifier" {
                        found.insert(input.identifier(name), kind);
                    }
                }
            }
            None => stack.extend(node.children(&mut inner)),
        }
    }
    found
}

fn non_import_bindings(input: &FileInput<'_>, scope: Node<'_>) -> HashSet<Identifier> {
    let mut names = HashSet::new();
    let mut cursor = scope.walk();
    // Walk the scope's own code: not nested scopes (but their names, which bind here).
    let mut stack: Vec<Node<'_>> = scope.children(&mut cursor).collect();
    while let Some(node) = stack.pop() {
        if matches!(
            node.kind(),
            "import_statement" | "import_from_statement" | "future_import_statement"
        ) {
            continue;
        }
        if super::names::module_assignment(input.bytes, node).is_some() {
            continue; // binds a module, as an import does (`np = importorskip("numpy")`)
        }
        if is_scope(node) {
            if let Some(name) = node
                .child_by_field_name("name")
                .filter(|_| node.kind() != "lambda")
            {
                names.insert(input.identifier(name));
            }
            continue;
        }
        bound_identifiers(node, &mut |name| {
            names.insert(input.identifier(name));
        });
        let mut inner = node.walk();
        stack.extend(node.children(&mut inner));
    }
    names
}

/// Kinds that only group binding targets (`a, (b, *c) = …`): a name under them is bound by
/// the construct above them.
const TARGET_GROUPS: &[&str] = &[
    "pattern_list",
    "tuple_pattern",
    "list_pattern",
    "list_splat_pattern",
    "tuple",
    "list",
    "parenthesized_expression",
    "as_pattern_target",
];

/// Hands `visit` each identifier that `node` binds where it stands: the targets of an
/// assignment, loop, walrus or `as`, parameters, `global`/`nonlocal` names, and names in
/// `case` patterns. The top-down twin of [`is_binding_position`], for whole scopes: asking
/// `Node::parent` per identifier costs the depth each time (quadratic in deep nesting).
fn bound_identifiers<'t>(node: Node<'t>, visit: &mut impl FnMut(Node<'t>)) {
    let field = |name: &str| node.child_by_field_name(name);
    match node.kind() {
        "assignment" | "augmented_assignment" | "for_statement" | "for_in_clause" => {
            targets(field("left"), visit)
        }
        "named_expression" | "default_parameter" | "typed_default_parameter" => {
            targets(field("name"), visit)
        }
        "as_pattern" => targets(field("alias"), visit),
        "parameters"
        | "lambda_parameters"
        | "typed_parameter"
        | "dictionary_splat_pattern"
        | "global_statement"
        | "nonlocal_statement"
        | "case_pattern"
        | "keyword_pattern"
        | "splat_pattern" => {
            let mut cursor = node.walk();
            for child in node.children(&mut cursor) {
                targets(Some(child), visit);
            }
        }
        _ => {}
    }
}

/// The identifiers of a binding target, through the groups that only hold targets.
fn targets<'t>(target: Option<Node<'t>>, visit: &mut impl FnMut(Node<'t>)) {
    let mut stack: Vec<Node<'t>> = target.into_iter().collect();
    while let Some(node) = stack.pop() {
        if node.kind() == "identifier" {
            visit(node);
        } else if node.kind() == "dotted_name"
            && node.named_child_count() == 1
            && node.parent().is_some_and(|p| p.kind() == "case_pattern")
        {
            // `case X:` captures X.
            stack.extend(node.named_child(0));
        } else if TARGET_GROUPS.contains(&node.kind()) {
            let mut cursor = node.walk();
            stack.extend(node.children(&mut cursor));
        }
    }
}

/// True when identifier `node` is bound where it stands (assignment or loop target,
/// parameter, `as` target, walrus, `global`/`nonlocal`).
pub fn is_binding_position(node: Node<'_>) -> bool {
    let mut child = node;
    while let Some(parent) = child.parent() {
        let is_field = |field: &str| {
            parent
                .child_by_field_name(field)
                .is_some_and(|f| f.id() == child.id())
        };
        match parent.kind() {
            kind if TARGET_GROUPS.contains(&kind) => child = parent,
            "assignment" | "augmented_assignment" | "for_statement" | "for_in_clause" => {
                return is_field("left");
            }
            "named_expression" => return is_field("name"),
            "as_pattern" => return is_field("alias"),
            "parameters"
            | "lambda_parameters"
            | "typed_parameter"
            | "default_parameter"
            | "typed_default_parameter"
            | "dictionary_splat_pattern"
            | "global_statement"
            | "nonlocal_statement" => {
                return !matches!(
                    parent.kind(),
                    "default_parameter" | "typed_default_parameter"
                ) || is_field("name");
            }
            "case_pattern" | "keyword_pattern" | "splat_pattern" => return true,
            // `case X:` captures X (a one-name pattern); `case a.B:` compares with a value.
            "dotted_name" => {
                return parent.named_child_count() == 1
                    && parent.parent().is_some_and(|p| p.kind() == "case_pattern");
            }
            _ => return false,
        }
    }
    false
}
