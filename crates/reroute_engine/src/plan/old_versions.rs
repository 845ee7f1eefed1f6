//! Old-version fallbacks: code that runs only where a move's new path is missing (an
//! older version of the library), where the old path is the right one and is left as it
//! is, with the note `old-version-fallback`. The shapes:
//! - the `except ImportError` / `ModuleNotFoundError` / `AttributeError` handler of a
//!   `try` whose body reaches the new path;
//! - the `else` of `if hasattr(mod, "new"):` (the body of `if not hasattr(…)`);
//! - the default of `getattr(mod, "new", default)`;
//! - the older side of a comparison of a version (`mod.__version__`, `np_version`,
//!   `NumpyVersion(…)`, `parse_version(…)`, `importlib.metadata.version("pkg")`) with a
//!   literal one: the `else` of `if version >= "2"`, the body of `if version < "2"`;
//! - the `else` of a version flag, a name with a number that ends in `_PLUS` or holds
//!   `_GE_` / `_GTE_` (`if AIRFLOW_V_3_0_PLUS:`), and the body of `if not FLAG:`.

use tree_sitter::Node;

use crate::analyze::FileModel;
use crate::spec::DottedPath;

/// True when `node` sits where only an older version than the one with `target` runs.
pub fn is_old_version_fallback(model: &FileModel<'_>, node: Node<'_>, target: &DottedPath) -> bool {
    let mut child = node;
    let mut current = node.parent();
    while let Some(candidate) = current {
        let fallback = match candidate.kind() {
            "function_definition" | "class_definition" | "lambda" => return false,
            "except_clause" => in_handler(model, candidate, target),
            "if_statement" => in_older_branch(model, candidate, child, target),
            "argument_list" => in_getattr_default(model, candidate, child, target),
            _ => false,
        };
        if fallback {
            return true;
        }
        child = candidate;
        current = candidate.parent();
    }
    false
}

/// An `except ImportError` (`ModuleNotFoundError`, `AttributeError`) clause of a `try`
/// whose body reaches `target`.
fn in_handler(model: &FileModel<'_>, clause: Node<'_>, target: &DottedPath) -> bool {
    let head_end = clause
        .children(&mut clause.walk())
        .find(|c| c.kind() == "block")
        .map_or(clause.end_byte(), |b| b.start_byte());
    let head = &model.bytes[clause.start_byte()..head_end];
    let catches = ["ImportError", "ModuleNotFoundError", "AttributeError"]
        .iter()
        .any(|name| crate::scan::contains(head, name.as_bytes()));
    let body = clause
        .parent()
        .and_then(|try_stmt| try_stmt.child_by_field_name("body"));
    catches && body.is_some_and(|body| reaches(model, body, target))
}

/// `child` is the branch of the `if` statement `stmt` (without `elif`) that runs on an
/// older version: the `else` of `if hasattr(m, "new")` or of `if version >= "2"`, the body
/// of `if not hasattr(…)` or of `if version < "2"`.
fn in_older_branch(
    model: &FileModel<'_>,
    stmt: Node<'_>,
    child: Node<'_>,
    target: &DottedPath,
) -> bool {
    let mut cursor = stmt.walk();
    if stmt
        .children(&mut cursor)
        .any(|c| c.kind() == "elif_clause")
    {
        return false;
    }
    let Some(condition) = stmt.child_by_field_name("condition") else {
        return false;
    };
    let in_body = stmt.child_by_field_name("consequence").map(|b| b.id()) == Some(child.id());
    let in_else = child.kind() == "else_clause";
    if !in_body && !in_else {
        return false;
    }
    // Whether the condition holds on the newer versions.
    let Some(true_when_newer) = newer_when_true(model, condition, target) else {
        return false;
    };
    if true_when_newer { in_else } else { in_body }
}

/// Whether `condition` is true on the versions that have `target` (`Some(true)`), on those
/// that do not (`Some(false)`), or says nothing of it (`None`).
fn newer_when_true(
    model: &FileModel<'_>,
    condition: Node<'_>,
    target: &DottedPath,
) -> Option<bool> {
    match condition.kind() {
        "not_operator" => {
            let inner = condition.child_by_field_name("argument")?;
            newer_when_true(model, inner, target).map(|b| !b)
        }
        "parenthesized_expression" => newer_when_true(model, condition.named_child(0)?, target),
        "call" => {
            let function = condition.child_by_field_name("function")?;
            if model.text(function) != b"hasattr" {
                return None;
            }
            // `hasattr(np, "trapezoid")`, or of a module on the way: `hasattr(np, "exceptions")`.
            let name = condition.child_by_field_name("arguments")?.named_child(1)?;
            let name = string_text(model, name)?;
            target.segments()[1..]
                .iter()
                .any(|segment| segment.as_str().as_bytes() == name)
                .then_some(true)
        }
        "comparison_operator" => version_comparison(model, condition),
        "identifier" | "attribute" => version_flag(model, condition),
        _ => None,
    }
}

/// A flag that holds from some version on (`AIRFLOW_V_3_0_PLUS`, `NUMPY_GE_2_0`,
/// `version_compat.AIRFLOW_V_2_10_PLUS`): true on the newer versions.
fn version_flag(model: &FileModel<'_>, flag: Node<'_>) -> Option<bool> {
    let name = match flag.kind() {
        "attribute" => flag.child_by_field_name("attribute")?,
        _ => flag,
    };
    let text = String::from_utf8_lossy(model.text(name)).to_ascii_lowercase();
    let numbered = text.bytes().any(|b| b.is_ascii_digit());
    let from_on = text.ends_with("_plus") || text.contains("_ge_") || text.contains("_gte_");
    (numbered && from_on).then_some(true)
}

/// `version OP literal` (or `literal OP version`): whether it is true on newer versions.
fn version_comparison(model: &FileModel<'_>, comparison: Node<'_>) -> Option<bool> {
    let mut cursor = comparison.walk();
    let operands: Vec<Node<'_>> = comparison.named_children(&mut cursor).collect();
    let [left, right] = operands.as_slice() else {
        return None;
    };
    let operator = comparison
        .children(&mut comparison.walk())
        .find(|c| !c.is_named())
        .map(|c| model.text(c))?;
    let grows = match operator {
        b">=" | b">" => true,
        b"<=" | b"<" => false,
        _ => return None,
    };
    match (
        is_running_version(model, *left),
        is_running_version(model, *right),
    ) {
        (true, false) if is_fixed_version(*right) => Some(grows),
        (false, true) if is_fixed_version(*left) => Some(!grows),
        _ => None,
    }
}

/// An expression of the version that runs: `mod.__version__`, a name with `version` in it,
/// `importlib.metadata.version("pkg")`, or a version parser around one; never Python's own
/// (`sys.version_info`, which `version-branch` handles).
fn is_running_version(model: &FileModel<'_>, node: Node<'_>) -> bool {
    let text = String::from_utf8_lossy(model.text(node)).to_ascii_lowercase();
    text.contains("version") && !text.contains("version_info") && !is_fixed_version(node)
}

/// A literal version: a string or number, or a version parser around only literals.
fn is_fixed_version(node: Node<'_>) -> bool {
    match node.kind() {
        "string" | "integer" | "float" | "tuple" => true,
        "call" => node
            .child_by_field_name("arguments")
            .is_some_and(|arguments| {
                let mut cursor = arguments.walk();
                let all: Vec<Node<'_>> = arguments.named_children(&mut cursor).collect();
                !all.is_empty() && all.iter().all(|a| is_fixed_version(*a))
            }),
        _ => false,
    }
}

/// `child` is the default (third argument) of `getattr(mod, "new", default)`.
fn in_getattr_default(
    model: &FileModel<'_>,
    arguments: Node<'_>,
    child: Node<'_>,
    target: &DottedPath,
) -> bool {
    let Some(call) = arguments.parent().filter(|c| c.kind() == "call") else {
        return false;
    };
    if call.child_by_field_name("function").map(|f| model.text(f)) != Some(b"getattr".as_slice()) {
        return false;
    }
    let mut cursor = arguments.walk();
    let all: Vec<Node<'_>> = arguments.named_children(&mut cursor).collect();
    match all.as_slice() {
        [_, name, default] => {
            default.id() == child.id()
                && string_text(model, *name) == Some(target.last().as_str().as_bytes())
        }
        _ => false,
    }
}

/// The content of a plain string literal.
fn string_text<'b>(model: &FileModel<'b>, node: Node<'_>) -> Option<&'b [u8]> {
    if node.kind() != "string" {
        return None;
    }
    let content = node
        .children(&mut node.walk())
        .find(|c| c.kind() == "string_content")?;
    Some(&model.bytes[content.byte_range()])
}

/// True when the block `body` imports `target` (or a module of two names or more on its
/// way, or something under it), or spells its last name as an attribute.
fn reaches(model: &FileModel<'_>, body: Node<'_>, target: &DottedPath) -> bool {
    let mut found = false;
    crate::parse::walk(body, |node| {
        if found {
            return false;
        }
        match crate::analyze::imports::kind_of(node) {
            Some(kind) => {
                let module = node
                    .child_by_field_name("module_name")
                    .filter(|m| m.kind() == "dotted_name")
                    .and_then(|m| crate::analyze::names::dotted(model.bytes, m));
                for item in crate::analyze::imports::item_syntax(model.bytes, node) {
                    let path = match (&module, kind) {
                        (Some(module), crate::analyze::ImportKind::From) => {
                            module.join(item.path.segments())
                        }
                        _ => item.path.clone(),
                    };
                    found |=
                        path.starts_with(target) || (path.len() >= 2 && target.starts_with(&path));
                }
                false
            }
            None => {
                if node.kind() == "attribute"
                    && let Some(name) = node.child_by_field_name("attribute")
                {
                    found |= model.text(name) == target.last().as_str().as_bytes();
                }
                true
            }
        }
    });
    found
}
