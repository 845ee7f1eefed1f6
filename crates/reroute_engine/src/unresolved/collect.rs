//! Every import a file makes, read from its tree for the unresolved-import check: plain
//! and from-imports anywhere (relative ones resolved from the file's location), and
//! `import_module` calls with literal arguments; each with whether a handler catches its
//! failure (`try`/`except ImportError`, `with suppress(ImportError)`, `with
//! pytest.raises(ImportError)`).

use tree_sitter::Node;

use crate::analyze::imports::{ImportKind, item_syntax, kind_of};
use crate::analyze::names::dotted;
use crate::layout::ModuleLocation;
use crate::spec::{DottedPath, Identifier};

/// One import, as the check asks about it.
#[derive(Debug, Clone)]
pub struct Wanted {
    /// Where a finding points.
    pub offset: usize,
    /// The rows of its statement (for suppression comments).
    pub rows: std::ops::RangeInclusive<usize>,
    /// What it asks for.
    pub what: What,
    /// A handler catches its `ImportError`: a failure is expected there.
    pub guarded: bool,
    /// An `import_module` call rather than an import statement.
    pub call: bool,
}

/// What an import asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// `import a.b`, `from a.b import *`, `import_module("a.b")`.
    Module(DottedPath),
    /// `from a.b import x, y`: the module, then each name (with its offset).
    Names(DottedPath, Vec<(usize, Identifier)>),
}

/// The exceptions whose handler makes a failing import expected.
const CATCHES_IMPORT_ERROR: [&str; 4] = [
    "ImportError",
    "ModuleNotFoundError",
    "Exception",
    "BaseException",
];

/// The imports of the file whose tree is rooted at `root`.
pub fn imports(bytes: &[u8], root: Node<'_>, location: Option<&ModuleLocation>) -> Vec<Wanted> {
    let mut found = Vec::new();
    let mut stack = vec![(root, false)];
    while let Some((node, guarded)) = stack.pop() {
        if node.is_error() {
            continue;
        }
        match node.kind() {
            "import_statement" | "import_from_statement" => {
                if !node.has_error() {
                    found.extend(statement(bytes, node, location, guarded));
                }
                continue;
            }
            "call" => {
                if let Some(wanted) = import_module_call(bytes, node, guarded) {
                    found.push(wanted);
                }
            }
            "try_statement" => {
                let catches = catches_import_error(bytes, node);
                let body = node.child_by_field_name("body").map(|b| b.id());
                let mut cursor = node.walk();
                for child in node.children(&mut cursor) {
                    let in_body = Some(child.id()) == body;
                    stack.push((child, guarded || (catches && in_body)));
                }
                continue;
            }
            "with_statement" => {
                let suppresses = node.children(&mut node.walk()).any(|c| {
                    c.kind() == "with_clause" && suppresses_import_error(&bytes[c.byte_range()])
                });
                let mut cursor = node.walk();
                for child in node.children(&mut cursor) {
                    let body = child.kind() == "block";
                    stack.push((child, guarded || (suppresses && body)));
                }
                continue;
            }
            _ => {}
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            stack.push((child, guarded));
        }
    }
    found.sort_by_key(|w| w.offset);
    found
}

fn rows(node: Node<'_>) -> std::ops::RangeInclusive<usize> {
    node.start_position().row..=node.end_position().row
}

/// An import statement's questions (one per item of a plain import); none for a relative
/// import that cannot be resolved.
fn statement(
    bytes: &[u8],
    node: Node<'_>,
    location: Option<&ModuleLocation>,
    guarded: bool,
) -> Vec<Wanted> {
    let make = |offset: usize, what| Wanted {
        offset,
        rows: rows(node),
        what,
        guarded,
        call: false,
    };
    let Some(kind) = kind_of(node) else {
        return Vec::new();
    };
    if kind == ImportKind::Plain {
        return item_syntax(bytes, node)
            .into_iter()
            .map(|item| make(item.name_node.start_byte(), What::Module(item.path)))
            .collect();
    }
    let Some(module_node) = node.child_by_field_name("module_name") else {
        return Vec::new();
    };
    let module = match module_node.kind() {
        "dotted_name" => dotted(bytes, module_node),
        "relative_import" => location.and_then(|l| relative(bytes, module_node, l)),
        _ => None,
    };
    let Some(module) = module else {
        return Vec::new();
    };
    let what = if kind == ImportKind::Star {
        What::Module(module)
    } else {
        let names = item_syntax(bytes, node)
            .into_iter()
            .filter(|item| item.path.len() == 1)
            .map(|item| (item.name_node.start_byte(), item.path.first().clone()))
            .collect();
        What::Names(module, names)
    };
    vec![make(module_node.start_byte(), what)]
}

/// The absolute module of a `relative_import` node in the file at `location`.
fn relative(bytes: &[u8], node: Node<'_>, location: &ModuleLocation) -> Option<DottedPath> {
    let mut dots = 0;
    let mut tail = Vec::new();
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        match child.kind() {
            "import_prefix" => dots = child.byte_range().len(),
            "dotted_name" => tail = dotted(bytes, child)?.segments().to_vec(),
            _ => {}
        }
    }
    location.resolve_relative(dots, &tail)
}

/// `import_module("a.b")`, `importlib.import_module(".b", "a")`: the module it imports,
/// when both arguments are plain literals.
fn import_module_call(bytes: &[u8], call: Node<'_>, guarded: bool) -> Option<Wanted> {
    let function = call.child_by_field_name("function")?;
    let name = match function.kind() {
        "identifier" => function,
        "attribute" => function.child_by_field_name("attribute")?,
        _ => return None,
    };
    if &bytes[name.byte_range()] != b"import_module" {
        return None;
    }
    let arguments = call.child_by_field_name("arguments")?;
    let mut positional = Vec::new();
    let mut package = None;
    let mut cursor = arguments.walk();
    for argument in arguments.named_children(&mut cursor) {
        match argument.kind() {
            "keyword_argument" => {
                let key = argument.child_by_field_name("name")?;
                let value = argument.child_by_field_name("value")?;
                match &bytes[key.byte_range()] {
                    b"package" => package = Some(value),
                    b"name" => positional.insert(0, value),
                    _ => return None,
                }
            }
            "comment" => {}
            _ => positional.push(argument),
        }
    }
    let first = *positional.first()?;
    let package = package.or_else(|| positional.get(1).copied());
    let name = literal(bytes, first)?;
    let dots = name.bytes().take_while(|&b| b == b'.').count();
    let module = if dots == 0 {
        DottedPath::parse(&name)?
    } else {
        let package = DottedPath::parse(&literal(bytes, package?)?)?;
        let tail = match &name[dots..] {
            "" => Vec::new(),
            rest => DottedPath::parse(rest)?.segments().to_vec(),
        };
        crate::layout::resolve_in_package(&package, dots, &tail)?
    };
    Some(Wanted {
        offset: first.start_byte(),
        rows: rows(call),
        what: What::Module(module),
        guarded,
        call: true,
    })
}

/// The text of a plain string literal (no prefix, no escape, no interpolation).
fn literal(bytes: &[u8], node: Node<'_>) -> Option<String> {
    let range = crate::analyze::names::plain_string(bytes, node)?;
    String::from_utf8(bytes[range].to_vec()).ok()
}

/// True when an `except` clause of the `try` catches a failed import: a bare `except:`,
/// or one naming `ImportError`, `ModuleNotFoundError`, `Exception` or `BaseException`.
fn catches_import_error(bytes: &[u8], try_statement: Node<'_>) -> bool {
    let mut cursor = try_statement.walk();
    try_statement
        .children(&mut cursor)
        .filter(|c| matches!(c.kind(), "except_clause" | "except_group_clause"))
        .any(|clause| {
            let head_end = clause
                .children(&mut clause.walk())
                .find(|c| c.kind() == "block")
                .map_or(clause.end_byte(), |b| b.start_byte());
            let head = &bytes[clause.start_byte()..head_end];
            let words = words(head);
            words.len() <= 1 || words.iter().any(|w| CATCHES_IMPORT_ERROR.contains(w))
        })
}

/// True for a `with` clause that expects an `ImportError`: `suppress(ImportError)`,
/// `pytest.raises(ImportError)`, `self.assertRaises(ModuleNotFoundError)`.
fn suppresses_import_error(clause: &[u8]) -> bool {
    let words = words(clause);
    words
        .iter()
        .any(|w| matches!(*w, "suppress" | "raises" | "assertRaises"))
        && words.iter().any(|w| CATCHES_IMPORT_ERROR.contains(w))
}

/// The identifier-like words of `text`.
fn words(text: &[u8]) -> Vec<&str> {
    text.split(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .filter(|w| !w.is_empty())
        .filter_map(|w| std::str::from_utf8(w).ok())
        .collect()
}
