//! Import statements inside code tree-sitter could not parse (#12): tree-sitter's recovery
//! can wrap a run of clean imports in one ERROR node, or read them as part of something
//! else (an unterminated f-string). Such an import is rewritten when,
//! tokenizing from the top of the file, it starts a simple statement outside any string or
//! bracket (`analyze::statements`), its bytes parse alone without error, and the rewrite
//! leaves the names it binds as they were (so no use elsewhere needs to follow). The
//! statement is planned on its own, as a file of one statement; everything else in the
//! region is still only reported (`errors`).

use std::ops::Range;

use super::{PlanOutput, snippet};
use crate::analyze::FileModel;
use crate::analyze::imports::{ImportKind, item_syntax, kind_of};
use crate::analyze::statements::simple_statements;
use crate::edit::apply_edits;
use crate::spec::Identifier;

/// The import statements of a file with syntax errors that the tree does not hold as clean
/// imports, by what became of them.
#[derive(Default)]
pub struct Standalone {
    /// Planned on their own (the byte scan skips them).
    pub planned: Vec<Range<usize>>,
    /// Not standing alone (or their rewrite would not fit back in): the byte scan reports
    /// them, whether the tree put them in an ERROR region or read them as something else
    /// (part of an unterminated f-string).
    pub unread: Vec<Range<usize>>,
}

/// Plans the import statements of a file with syntax errors that the tree does not hold
/// as clean imports (inside an ERROR region, or read as something else).
pub fn plan_standalone_imports(model: &FileModel<'_>, out: &mut PlanOutput<'_>) -> Standalone {
    let mut found = Standalone::default();
    let root = model.tree.root_node();
    if !root.has_error() || !model.rewrite_in_errors {
        return found;
    }
    let clean: std::collections::HashSet<usize> = model
        .collected
        .imports
        .iter()
        .map(|site| site.node.start_byte())
        .collect();
    let errors_before = crate::parse::error_count(model.tree);
    for range in simple_statements(model.bytes) {
        let text = &model.bytes[range.clone()];
        let is_import = [b"import".as_slice(), b"from"].iter().any(|keyword| {
            text.starts_with(keyword)
                && text
                    .get(keyword.len())
                    .is_some_and(|b| b.is_ascii_whitespace() || *b == b'\\')
        });
        if !is_import || clean.contains(&range.start) {
            continue;
        }
        if plan_statement(model, range.clone(), errors_before, out) {
            found.planned.push(range);
        } else {
            found.unread.push(range);
        }
    }
    found
}

/// Plans one statement on its own; false (nothing recorded) when it does not stand alone,
/// or when its rewrite would leave the whole file with more syntax errors (this one is
/// then reported; the others still stand on their own).
fn plan_statement(
    model: &FileModel<'_>,
    range: Range<usize>,
    errors_before: usize,
    out: &mut PlanOutput<'_>,
) -> bool {
    let text = &model.bytes[range.clone()];
    let Some(before) = bound_names(text) else {
        return false;
    };
    let Some(tree) = crate::parse::parse(text) else {
        return false;
    };
    let plan = snippet::plan(model, &range, &tree);
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
    let edits = snippet::edits_in_file(&plan, range.start);
    if !edits.is_empty() {
        let fits = apply_edits(model.bytes, &edits)
            .ok()
            .and_then(|whole| crate::parse::parse(&whole))
            .is_some_and(|tree| crate::parse::error_count(&tree) <= errors_before);
        if !fits {
            return false;
        }
    }
    snippet::record(plan, range.start, None, out);
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
