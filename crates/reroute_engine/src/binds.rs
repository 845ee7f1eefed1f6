//! What a module's own code binds at its top level: read from its bytes, for the
//! [`Layout`](crate::layout::Layout) implementations that answer `package_binds` and for
//! the target check (a moved symbol must be bound in its new module).

use tree_sitter::Node;

use crate::analyze::ImportKind;
use crate::layout::Binding;
use crate::spec::Identifier;

/// Everything a module's own code binds at its top level (also inside top-level `if`/`try`
/// blocks), read in one walk: the names surely bound (a definition, an assignment, an
/// import), and whether it may bind others (a star import, a module `__getattr__`,
/// module-level code that binds names by other means: `globals()`, `setattr`, `exec`,
/// `sys.modules`; or bytes that do not parse).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopBindings {
    names: std::collections::HashSet<Identifier>,
    maybe_others: bool,
}

impl TopBindings {
    /// Bindings of a module that could not be read: it may bind anything.
    pub fn unknown() -> TopBindings {
        TopBindings {
            names: Default::default(),
            maybe_others: true,
        }
    }

    /// Reads the top-level bindings of the module whose source is `bytes`.
    pub fn of(bytes: &[u8]) -> TopBindings {
        let Some(tree) = crate::parse::parse(bytes) else {
            return TopBindings::unknown();
        };
        let text = |node: Node<'_>| {
            Identifier::from_token(&String::from_utf8_lossy(&bytes[node.byte_range()]))
        };
        let mut found = TopBindings::default();
        // Every node of the module's own code (not nested function or class bodies).
        crate::parse::walk(tree.root_node(), |node| match node.kind() {
            "function_definition" | "class_definition" => {
                if let Some(own) = node.child_by_field_name("name").map(text) {
                    found.maybe_others |= own.as_str() == "__getattr__";
                    found.names.insert(own);
                }
                false
            }
            "lambda"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => false,
            "import_statement" | "import_from_statement" => {
                match crate::analyze::imports::kind_of(node) {
                    Some(ImportKind::Star) => found.maybe_others = true,
                    Some(kind) => found.names.extend(
                        crate::analyze::imports::item_syntax(bytes, node)
                            .iter()
                            .map(|item| item.local(kind).clone()),
                    ),
                    None => {}
                }
                false
            }
            "call" => {
                let function = node.child_by_field_name("function").map(text);
                found.maybe_others |= function.is_some_and(|f| {
                    matches!(
                        f.as_str(),
                        "globals" | "vars" | "locals" | "exec" | "setattr"
                    )
                });
                true
            }
            "attribute" => {
                found.maybe_others |= &bytes[node.byte_range()] == b"sys.modules";
                true
            }
            // `X: int` with no value binds nothing (only an annotation).
            "assignment" if node.child_by_field_name("right").is_none() => false,
            "identifier" => {
                if crate::analyze::is_binding_position(node) {
                    found.names.insert(text(node));
                }
                false
            }
            _ => true,
        });
        found
    }

    /// Whether `name` is bound: surely, maybe, or not.
    pub fn get(&self, name: &Identifier) -> Binding {
        if self.names.contains(name) {
            Binding::Binds
        } else if self.maybe_others {
            Binding::MayBind
        } else {
            Binding::No
        }
    }
}

/// Whether the module whose source is `bytes` binds `name` at its top level (see
/// [`TopBindings`]).
pub fn binding_in(bytes: &[u8], name: &Identifier) -> Binding {
    TopBindings::of(bytes).get(name)
}

/// The names the module whose source is `bytes` defines at its top level (also inside
/// top-level `if`/`try` blocks): by a `def`, a `class` or an assignment; an import of a
/// name is not a definition.
pub fn definitions(bytes: &[u8]) -> std::collections::HashSet<Identifier> {
    let mut found = std::collections::HashSet::new();
    let Some(tree) = crate::parse::parse(bytes) else {
        return found;
    };
    let text = |node: Node<'_>| {
        Identifier::from_token(&String::from_utf8_lossy(&bytes[node.byte_range()]))
    };
    crate::parse::walk(tree.root_node(), |node| match node.kind() {
        "function_definition" | "class_definition" => {
            found.extend(node.child_by_field_name("name").map(text));
            false
        }
        "import_statement" | "import_from_statement" | "lambda" | "call" => false,
        "assignment" => {
            let left = node
                .child_by_field_name("left")
                .filter(|left| left.kind() == "identifier");
            if let Some(left) = left.filter(|_| node.child_by_field_name("right").is_some()) {
                found.insert(text(left));
            }
            false
        }
        _ => true,
    });
    found
}

/// True when the module whose source is `bytes` defines `name` (see [`definitions`]).
pub fn defines(bytes: &[u8], name: &Identifier) -> bool {
    definitions(bytes).contains(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(code: &str) -> Binding {
        binding_in(code.as_bytes(), &Identifier::parse("X").unwrap())
    }

    #[test]
    fn sure_maybe_and_no() {
        assert_eq!(binding("class X: pass\n"), Binding::Binds);
        assert_eq!(binding("from .a import Y as X\n"), Binding::Binds);
        assert_eq!(binding("if 1:\n    X = 1\n"), Binding::Binds);
        assert_eq!(binding("from .a import *\n"), Binding::MayBind);
        assert_eq!(binding("def __getattr__(name): ...\n"), Binding::MayBind);
        assert_eq!(binding("X: int\ndef f():\n    X = 1\n"), Binding::No);
        assert_eq!(binding("from .a import *\nX = 1\n"), Binding::Binds);
        assert_eq!(binding("globals()['X'] = 1\n"), Binding::MayBind);
        assert_eq!(
            binding("import sys\nsys.modules[__name__] = M()\n"),
            Binding::MayBind
        );
        assert_eq!(
            binding("for n in names:\n    setattr(m, n, 1)\n"),
            Binding::MayBind
        );
        assert_eq!(binding("def f():\n    globals()['Y'] = 1\n"), Binding::No);
    }

    #[test]
    fn definitions_are_not_imports() {
        let x = Identifier::parse("X").unwrap();
        assert!(defines(b"class X: pass\n", &x));
        assert!(defines(b"if 1:\n    X = 1\n", &x));
        assert!(!defines(b"from .a import X\n", &x));
        assert!(!defines(b"def f():\n    X = 1\n", &x));
    }
}
