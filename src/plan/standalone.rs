//! Import statements inside code tree-sitter could not parse (#12): tree-sitter's recovery
//! can wrap a run of clean imports in one ERROR node. Such an import is rewritten when,
//! tokenizing from the top of the file, it starts a simple statement outside any string or
//! bracket (`analyze::statements`), its bytes parse alone without error, and the rewrite
//! leaves the names it binds as they were (so no use elsewhere needs to follow). The
//! statement is planned on its own, as a file of one statement; everything else in the
//! region is still only reported (`errors`).

use std::ops::Range;

use super::{Fix, PlanOutput};
use crate::analyze::imports::{ImportKind, item_syntax, kind_of};
use crate::analyze::statements::simple_statements;
use crate::analyze::{FileInput, FileModel};
use crate::edit::apply_edits;
use crate::source::LineIndex;
use crate::spec::Identifier;

/// Plans the standalone import statements inside ERROR regions; returns the byte ranges
/// of the statements it planned (the byte scan skips them).
pub fn plan_standalone_imports(
    model: &FileModel<'_>,
    out: &mut PlanOutput<'_>,
) -> Vec<Range<usize>> {
    let broken = &model.collected.broken;
    if broken.is_empty() || !model.rewrite_in_errors {
        return Vec::new();
    }
    let in_region = |at: usize| {
        broken
            .iter()
            .any(|r| r.kind() == "ERROR" && r.byte_range().contains(&at))
    };
    let mut planned = Vec::new();
    for range in simple_statements(model.bytes) {
        let text = &model.bytes[range.clone()];
        let is_import = [b"import".as_slice(), b"from"].iter().any(|keyword| {
            text.starts_with(keyword)
                && text
                    .get(keyword.len())
                    .is_some_and(|b| b.is_ascii_whitespace() || *b == b'\\')
        });
        if !is_import || !in_region(range.start) {
            continue;
        }
        if plan_statement(model, range.clone(), out) {
            planned.push(range);
        }
    }
    planned
}

/// Plans one statement on its own; false (nothing recorded) when it does not stand alone.
fn plan_statement(model: &FileModel<'_>, range: Range<usize>, out: &mut PlanOutput<'_>) -> bool {
    let text = &model.bytes[range.clone()];
    let Some(before) = bound_names(text) else {
        return false;
    };
    let Some(tree) = crate::parse::parse(text) else {
        return false;
    };
    let lines = LineIndex::new(text);
    let input = FileInput {
        bytes: text,
        tree: &tree,
        lines: &lines,
        rules: model.rules,
        active: model.active,
        module: model.module.clone(),
        package: model.package.clone(),
        location: model.location.clone(),
        is_utf8: model.is_utf8,
        mentions: false,
        rewrite_in_errors: false,
    };
    let plan = super::plan(&FileModel::new(input));
    let Ok(updated) = apply_edits(text, &plan.edits) else {
        return false;
    };
    if bound_names(&updated).as_ref() != Some(&before) {
        return false;
    }
    // An indented statement may not get new lines: they would start at column 0.
    let indented = model.lines.line_start(range.start) != range.start;
    if indented
        && plan
            .edits
            .iter()
            .any(|e| e.replacement.iter().any(|b| matches!(b, b'\n' | b'\r')))
    {
        return false;
    }
    let mut rewritten = Vec::new();
    for mut finding in plan.findings {
        finding.offset += range.start;
        let is_rewrite = finding.fix == Fix::Rewritten;
        let index = out.push(finding);
        if is_rewrite {
            rewritten.push(index);
        }
    }
    let edits = plan
        .edits
        .into_iter()
        .map(|mut edit| {
            edit.range = edit.range.start + range.start..edit.range.end + range.start;
            edit
        })
        .collect();
    out.rewrite(rewritten, edits);
    true
}

/// The names an import statement standing alone binds, in order; `None` when the bytes are
/// not exactly one clean import statement.
fn bound_names(text: &[u8]) -> Option<Vec<Identifier>> {
    let tree = crate::parse::parse(text)?;
    let root = tree.root_node();
    if root.has_error() || root.named_child_count() != 1 {
        return None;
    }
    let stmt = root.named_child(0)?;
    let kind = kind_of(stmt)?;
    if kind == ImportKind::Star {
        return Some(Vec::new());
    }
    Some(
        item_syntax(text, stmt)
            .iter()
            .map(|item| item.local(kind).clone())
            .collect(),
    )
}
