//! `rename_usages = true`: the import binds the new name, so every use of its binding is
//! renamed, with Python's scoping (`scope`): a function that assigns the name has its own;
//! class bodies do not enclose their methods; comprehensions are scopes; `global` and
//! `nonlocal` redirect. Keyword-argument names and `obj.Name` attributes are not uses;
//! names in string annotations (`"OldName"`, `"list[OldName]"`) are. With a module-level
//! binding, `__all__` entries follow, and a note says importers of the old name break.

use tree_sitter::Node;

use super::bindings::Bindings;
use super::{Fix, Note, PlanOutput, Site};
use crate::analyze::{FileInput, FileModel};
use crate::edit::Edit;
use crate::spec::Identifier;

pub fn plan_renames(
    model: &FileModel<'_>,
    bindings: &Bindings<'_>,
    consumed: &std::collections::HashSet<usize>,
    out: &mut PlanOutput<'_>,
) {
    let mut done: std::collections::HashSet<(usize, &Identifier)> = Default::default();
    // The module's `__all__` entries, read on the first module-level rename.
    let mut all: Option<Vec<Node<'_>>> = None;
    for binding in bindings {
        let Some(moved) = binding.moved() else {
            continue;
        };
        let Some(new) = &moved.renamed_to else {
            continue;
        };
        let old = &binding.local;
        if !done.insert((binding.scope, old)) {
            continue; // a second import of the same name in the same scope
        }
        let binds_import = |scope: usize| bindings.binds(scope, old);
        let refers_here = |enclosing: &[Node<'_>]| {
            model
                .declared_scope(enclosing, old, &binds_import)
                .is_some_and(|s| s.id() == binding.scope)
        };
        let mut edits = Vec::new();
        for name_use in model.uses(old) {
            let node = name_use.node;
            if !consumed.contains(&node.start_byte())
                && refers_here(model.scopes_of(name_use.scopes))
            {
                edits.push(Edit::replace(node.byte_range(), new.as_str()));
            }
        }
        for (string, scopes) in &model.collected.annotation_strings {
            if refers_here(model.scopes_of(*scopes)) {
                rename_in_annotation(model, *string, old, new, &mut edits);
            }
        }
        let at_module = model.tree.root_node().id() == binding.scope;
        if at_module {
            let entries = all.get_or_insert_with(|| all_entries(model));
            rename_in_all(model, entries, old, new, &mut edits);
            if let Some(resolution) = model.resolve(&binding.path) {
                let through_here = model
                    .location
                    .as_ref()
                    .map(|l| l.module.child(old.clone()).to_string());
                let fix = Fix::Note(Note::PublicRename {
                    name: old.to_string(),
                    through_here,
                });
                let at = binding.stmt.start_byte();
                out.add(at, &resolution, binding.path.clone(), Site::Import, fix);
            }
        }
        out.extend(moved.rewrite, edits);
    }
}

/// The content node of a plain string literal (no prefix, escapes or interpolation).
fn plain_content<'t>(model: &FileInput<'_>, string: Node<'t>) -> Option<Node<'t>> {
    let mut cursor = string.walk();
    let children: Vec<Node<'t>> = string.named_children(&mut cursor).collect();
    let start = children.first()?;
    let prefix = model.text(*start);
    if start.kind() != "string_start" || !matches!(prefix.first(), Some(b'"' | b'\'')) {
        return None;
    }
    let contents: Vec<&Node<'t>> = children
        .iter()
        .filter(|c| !matches!(c.kind(), "string_start" | "string_end"))
        .collect();
    match contents.as_slice() {
        [content] if content.kind() == "string_content" => Some(**content),
        _ => None,
    }
}

/// Renames `old` where it is a name in the annotation expression a string holds.
fn rename_in_annotation(
    model: &FileInput<'_>,
    string: Node<'_>,
    old: &Identifier,
    new: &Identifier,
    edits: &mut Vec<Edit>,
) {
    for range in annotation_names(model, string, old) {
        edits.push(Edit::replace(range, new.as_str()));
    }
}

/// The byte ranges where `name` is a name (not an attribute or keyword) in the annotation
/// expression a plain string holds (`"list[Old]"`).
pub fn annotation_names(
    model: &FileInput<'_>,
    string: Node<'_>,
    name: &Identifier,
) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let Some(content) = plain_content(model, string) else {
        return found;
    };
    let text = model.text(content);
    if !crate::scan::contains(text, name.as_str().as_bytes()) {
        return found;
    }
    let Some(tree) = crate::parse::parse(text) else {
        return found;
    };
    if crate::parse::error_count(&tree) > 0 {
        return found;
    }
    let mut attribute_names = Vec::new();
    crate::parse::walk(tree.root_node(), |node| {
        match node.kind() {
            "attribute" => attribute_names.extend(node.child_by_field_name("attribute")),
            "keyword_argument" => attribute_names.extend(node.child_by_field_name("name")),
            "identifier"
                if !attribute_names
                    .iter()
                    .any(|n: &Node<'_>| n.id() == node.id())
                    && Identifier::from_token(&String::from_utf8_lossy(
                        &text[node.byte_range()],
                    )) == *name =>
            {
                let start = content.start_byte() + node.start_byte();
                found.push(start..content.start_byte() + node.end_byte());
            }
            _ => {}
        }
        true
    });
    found
}

/// Renames `"old"` entries of the module's `__all__`.
fn rename_in_all(
    model: &FileInput<'_>,
    entries: &[Node<'_>],
    old: &Identifier,
    new: &Identifier,
    edits: &mut Vec<Edit>,
) {
    for &content in entries {
        if model.text(content) == old.as_str().as_bytes() {
            edits.push(Edit::replace(content.byte_range(), new.as_str()));
        }
    }
}

/// The contents of the plain strings the module puts in `__all__` (`=`, `+=`,
/// `.append`, `.extend`, `.insert`), in order.
pub fn all_entries<'t>(model: &FileInput<'t>) -> Vec<Node<'t>> {
    let mut entries = Vec::new();
    let root = model.tree.root_node();
    let mut cursor = root.walk();
    for statement in root.named_children(&mut cursor) {
        if statement.kind() != "expression_statement" {
            continue;
        }
        let Some(expression) = statement.named_child(0) else {
            continue;
        };
        let values: Vec<Node<'t>> = match expression.kind() {
            "assignment" | "augmented_assignment" => {
                let is_all = expression
                    .child_by_field_name("left")
                    .is_some_and(|l| model.text(l) == b"__all__");
                if !is_all {
                    continue;
                }
                expression
                    .child_by_field_name("right")
                    .into_iter()
                    .collect()
            }
            "call" => {
                let function = expression.child_by_field_name("function");
                let is_all_method = function.is_some_and(|f| {
                    matches!(
                        model.text(f),
                        b"__all__.append" | b"__all__.extend" | b"__all__.insert"
                    )
                });
                if !is_all_method {
                    continue;
                }
                let Some(arguments) = expression.child_by_field_name("arguments") else {
                    continue;
                };
                let mut inner = arguments.walk();
                arguments.named_children(&mut inner).collect()
            }
            _ => continue,
        };
        for value in values {
            let mut strings = Vec::new();
            match value.kind() {
                "string" => strings.push(value),
                "list" | "tuple" | "parenthesized_expression" => {
                    let mut inner = value.walk();
                    strings.extend(
                        value
                            .named_children(&mut inner)
                            .filter(|c| c.kind() == "string"),
                    );
                }
                _ => {}
            }
            entries.extend(strings.into_iter().filter_map(|s| plain_content(model, s)));
        }
    }
    entries
}
