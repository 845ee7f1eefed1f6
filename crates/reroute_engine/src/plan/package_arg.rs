//! The `package` argument of `import_module(name, package)` (positional or `package=`):
//! when it names a moved package, the call breaks with the move (issue 18: moving
//! `rich._unicode_data` failed 146 tests through `import_module("." + name,
//! "rich._unicode_data")`). When `name` starts with exactly one dot — a literal, an f-string,
//! or a concatenation whose first part is such a literal — the package string is a target
//! string: rewritten under `strings = true`, reported otherwise. Any other `name` (two or
//! more dots reach above the package) is reported.

use tree_sitter::Node;

use super::suppress::Suppressions;
use super::{Fix, PlanOutput, Reason, Site, TargetKind};
use crate::analyze::FileModel;
use crate::edit::Edit;
use crate::ruleset::Role;
use crate::spec::DottedPath;

/// Plans the package argument `package` of an `import_module` call whose name argument
/// is `name`; true when it names a moved path (then nothing else is planned for the call).
pub fn plan_package(
    model: &FileModel<'_>,
    name: Node<'_>,
    package: Node<'_>,
    suppressions: &Suppressions,
    out: &mut PlanOutput<'_>,
) -> bool {
    let Some(range) = super::mentions::plain_content(model, package) else {
        return false;
    };
    let Some(path) = std::str::from_utf8(&model.bytes[range.clone()])
        .ok()
        .and_then(DottedPath::parse)
    else {
        return false;
    };
    let Some(resolution) = model.resolve_as(&path, Role::Module) else {
        return false;
    };
    let site = Site::Target(TargetKind::ImportModule);
    let fix = if !one_leading_dot(model, name) || !resolution.strings {
        Fix::Manual(Reason::DynamicString)
    } else {
        super::suppress::rewrite_fix(model, package, &resolution, suppressions)
    };
    let rewritten = fix == Fix::Rewritten;
    let target = resolution.target.to_string();
    let finding = out.add(range.start, &resolution, path, site, fix);
    if rewritten {
        out.rewrite(vec![finding], vec![Edit::replace(range, target)]);
    }
    true
}

/// True when the name argument starts with exactly one dot: a string (f-string included)
/// whose text does, or a concatenation (`"." + name`, `".a" ".b"`) whose first part does.
fn one_leading_dot(model: &FileModel<'_>, name: Node<'_>) -> bool {
    let first = match name.kind() {
        "binary_operator" => name.child_by_field_name("left"),
        "concatenated_string" => name.named_child(0),
        _ => Some(name),
    };
    let Some(first) = first.filter(|n| n.kind() == "string") else {
        return false;
    };
    let mut cursor = first.walk();
    let Some(start) = first
        .children(&mut cursor)
        .find(|c| c.kind() == "string_start")
    else {
        return false;
    };
    let text = &model.bytes[start.end_byte()..first.end_byte()];
    text.starts_with(b".") && !text.starts_with(b"..")
}
