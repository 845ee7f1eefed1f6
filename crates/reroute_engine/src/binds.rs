//! What a module's own code binds at its top level: read from its bytes, for the
//! [`Layout`](crate::layout::Layout) implementations that answer `package_binds` and for
//! the target check (a moved symbol must be bound in its new module).

use tree_sitter::Node;

use crate::analyze::ImportKind;
use crate::layout::Binding;
use crate::spec::Identifier;

/// Whether the module whose source is `bytes` binds `name` at its top level (also inside
/// top-level `if`/`try` blocks): surely (a definition, an assignment, an import of that
/// name), maybe (a star import, a module `__getattr__`, module-level code that binds names
/// by other means: `globals()`, `setattr`, `exec`, `sys.modules`; or bytes that do not
/// parse), or not.
pub fn binding_in(bytes: &[u8], name: &Identifier) -> Binding {
    let Some(tree) = crate::parse::parse(bytes) else {
        return Binding::MayBind;
    };
    let text = |node: Node<'_>| {
        Identifier::from_token(&String::from_utf8_lossy(&bytes[node.byte_range()]))
    };
    let (mut surely, mut maybe) = (false, false);
    // Every node of the module's own code (not nested function or class bodies).
    crate::parse::walk(tree.root_node(), |node| {
        if surely {
            return false;
        }
        match node.kind() {
            "function_definition" | "class_definition" => {
                let own = node.child_by_field_name("name").map(text);
                surely = own.as_ref() == Some(name);
                maybe |= own.is_some_and(|n| n.as_str() == "__getattr__");
                false
            }
            "lambda"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => false,
            "import_statement" | "import_from_statement" => {
                match crate::analyze::imports::kind_of(node) {
                    Some(ImportKind::Star) => maybe = true,
                    Some(kind) => {
                        surely = crate::analyze::imports::item_syntax(bytes, node)
                            .iter()
                            .any(|item| item.local(kind) == name);
                    }
                    None => {}
                }
                false
            }
            // Module-level code that binds names no statement spells: `globals()[...] =`,
            // `setattr(sys.modules[__name__], ...)`, `exec(...)`, `sys.modules[...] = ...`.
            "call" => {
                let function = node.child_by_field_name("function").map(text);
                maybe |= function.is_some_and(|f| {
                    matches!(
                        f.as_str(),
                        "globals" | "vars" | "locals" | "exec" | "setattr"
                    )
                });
                true
            }
            "attribute" => {
                maybe |= &bytes[node.byte_range()] == b"sys.modules";
                true
            }
            // `X: int` with no value binds nothing (only an annotation).
            "assignment" if node.child_by_field_name("right").is_none() => false,
            "identifier" => {
                surely = text(node) == *name && crate::analyze::is_binding_position(node);
                false
            }
            _ => true,
        }
    });
    if surely {
        Binding::Binds
    } else if maybe {
        Binding::MayBind
    } else {
        Binding::No
    }
}

/// True when the module whose source is `bytes` defines `name` at its top level (also
/// inside top-level `if`/`try` blocks): a `def`, a `class` or an assignment; an import of
/// the name is not a definition.
pub fn defines(bytes: &[u8], name: &Identifier) -> bool {
    let Some(tree) = crate::parse::parse(bytes) else {
        return false;
    };
    let text = |node: Node<'_>| {
        Identifier::from_token(&String::from_utf8_lossy(&bytes[node.byte_range()]))
    };
    let mut found = false;
    crate::parse::walk(tree.root_node(), |node| {
        if found {
            return false;
        }
        match node.kind() {
            "function_definition" | "class_definition" => {
                found = node.child_by_field_name("name").map(text).as_ref() == Some(name);
                false
            }
            "import_statement" | "import_from_statement" | "lambda" | "call" => false,
            "assignment" => {
                found = node
                    .child_by_field_name("left")
                    .is_some_and(|left| left.kind() == "identifier" && text(left) == *name)
                    && node.child_by_field_name("right").is_some();
                false
            }
            _ => true,
        }
    });
    found
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
