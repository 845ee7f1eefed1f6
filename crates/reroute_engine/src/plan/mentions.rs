//! Mentions: strings, docstrings and comments that spell a moved dotted path (#12). Listed
//! with `--mentions`; rewritten for moves with `mentions = true`:
//! - code in a plain string or a comment that parses alone and holds an import
//!   (`"from a.old import OldName; OldName()"` passed to `python -c`) is planned as a file
//!   of its own, so the code keeps working;
//! - otherwise each dotted run that names a moved path from its first segment is respelled
//!   (whole identifiers only: `a.old` never matches `a.old_x` or `x.a.old`).
//!
//! Bytes outside the path stay as they are. In an f-string only the literal parts are
//! respelled (`f"from a.old import {name}"`), never what is inside `{}`. Never rewritten,
//! only listed: code in an f-string, strings with escapes (as code), parts of a
//! concatenation (`"a.old." + x`) and `__import__` arguments.

use std::collections::HashSet;
use std::ops::Range;

use tree_sitter::Node;

use super::{Fix, PlanOutput, Site, snippet};
use crate::analyze::FileModel;
use crate::edit::Edit;
use crate::scan::dotted_runs;
use crate::spec::DottedPath;

/// Plans the mentions in every string (but those in `handled`, the target strings) and
/// comment.
pub fn plan_mentions(model: &FileModel<'_>, handled: &HashSet<usize>, out: &mut PlanOutput<'_>) {
    let rewrites = model.rules.rewrites_mentions();
    if !model.mentions && !rewrites {
        return;
    }
    let import_arguments = dunder_import_arguments(model);
    for &string in &model.collected.strings {
        if handled.contains(&string.id()) {
            continue;
        }
        let rewritable = rewrites
            && !import_arguments.contains(&string.id())
            && !is_part(string)
            && !in_interpolation(string);
        if rewritable && let Some(parts) = fstring_literal_parts(model, string) {
            // An f-string: its literal parts are respelled, never what is inside `{}`.
            let rewritten: Vec<Range<usize>> = parts
                .into_iter()
                .flat_map(|part| rewrite_runs(model, part, Site::String, out))
                .collect();
            if model.mentions {
                list_mentions(model, string, Site::String, &rewritten, out);
            }
            continue;
        }
        let content = rewritable.then(|| plain_content(model, string)).flatten();
        plan_node(model, string, content, Site::String, out);
    }
    for &comment in &model.collected.comments {
        let text = model.text(comment);
        let skip = text
            .iter()
            .take_while(|b| matches!(b, b'#' | b' ' | b'\t'))
            .count();
        let content = rewrites.then(|| comment.start_byte() + skip..comment.end_byte());
        plan_node(model, comment, content, Site::Comment, out);
    }
}

/// Rewrites what it may in `content` (a byte range of `node`), and lists the rest.
fn plan_node(
    model: &FileModel<'_>,
    node: Node<'_>,
    content: Option<Range<usize>>,
    site: Site,
    out: &mut PlanOutput<'_>,
) {
    let mut rewritten: Vec<Range<usize>> = Vec::new();
    if let Some(content) = content {
        if plan_code(model, content.clone(), site, out) {
            return;
        }
        rewritten = rewrite_runs(model, content, site, out);
    }
    if model.mentions {
        list_mentions(model, node, site, &rewritten, out);
    }
}

/// Code in a string or comment: planned as a file of its own when it parses alone, holds
/// an import, and every rewrite in it belongs to a move with `mentions = true`.
fn plan_code(
    model: &FileModel<'_>,
    content: Range<usize>,
    site: Site,
    out: &mut PlanOutput<'_>,
) -> bool {
    let text = &model.bytes[content.clone()];
    if !crate::scan::contains(text, b"import") {
        return false;
    }
    let Some(tree) = crate::parse::parse(text) else {
        return false;
    };
    let root = tree.root_node();
    let mut cursor = root.walk();
    let has_import = root
        .named_children(&mut cursor)
        .any(|c| matches!(c.kind(), "import_statement" | "import_from_statement"));
    if root.has_error() || !has_import {
        return false;
    }
    let plan = snippet::plan(model, &content, &tree);
    let all_mentions = plan.findings.iter().all(|f| {
        f.fix != Fix::Rewritten
            || f.rule
                .as_ref()
                .and_then(|id| model.rules.move_by_id(id))
                .is_some_and(|m| m.mentions)
    });
    if plan.edits.is_empty() || !all_mentions {
        return false;
    }
    snippet::record(plan, content.start, Some(site), out);
    true
}

/// Respells each dotted run of `content` that names a moved path with `mentions = true`
/// from its first segment; returns the ranges it rewrote.
fn rewrite_runs(
    model: &FileModel<'_>,
    content: Range<usize>,
    site: Site,
    out: &mut PlanOutput<'_>,
) -> Vec<Range<usize>> {
    let text = &model.bytes[content.clone()];
    let mut rewritten = Vec::new();
    for run in dotted_runs(text) {
        let Some(resolution) = model.resolve(&run.path).filter(|r| r.mentions) else {
            continue;
        };
        let spelled = run.path.to_string();
        let start = content.start + run.offset;
        let range = start..start + spelled.len();
        // Python does not normalise strings: only a run spelled as the path is rewritten.
        if model.bytes.get(range.clone()) != Some(spelled.as_bytes()) {
            continue;
        }
        if !model.is_utf8 && !resolution.target.to_string().is_ascii() {
            continue;
        }
        let finding = out.add(start, &resolution, run.path.clone(), site, Fix::Rewritten);
        let edit = Edit::replace(range.clone(), resolution.target.to_string());
        out.rewrite(vec![finding], vec![edit]);
        rewritten.push(range);
    }
    rewritten
}

/// Lists every moved path `node` spells (outside `rewritten`) as a mention.
fn list_mentions(
    model: &FileModel<'_>,
    node: Node<'_>,
    site: Site,
    rewritten: &[Range<usize>],
    out: &mut PlanOutput<'_>,
) {
    let bytes = model.text(node);
    let mut rest = 0;
    while let Some((offset, path, resolution)) = moved_run(model, &bytes[rest..]) {
        let at = node.start_byte() + rest + offset;
        if !rewritten.iter().any(|r| r.contains(&at)) {
            out.add(at, &resolution, path.clone(), site, Fix::Mention);
        }
        rest += offset + path.to_string().len().max(1);
        if rest >= bytes.len() {
            break;
        }
    }
}

/// The first dotted run in `bytes` that names a moved path (searching from each segment).
pub fn moved_run(
    model: &FileModel<'_>,
    bytes: &[u8],
) -> Option<(usize, DottedPath, crate::ruleset::Resolution)> {
    for run in dotted_runs(bytes) {
        let segments = run.path.segments();
        for start in 0..segments.len() {
            let tail = DottedPath::from_segments(segments[start..].to_vec()).expect("non-empty");
            if let Some(resolution) = model.resolve(&tail) {
                let offset = run.offset
                    + segments[..start]
                        .iter()
                        .map(|s| s.as_str().len() + 1)
                        .sum::<usize>();
                return Some((offset, tail, resolution));
            }
        }
    }
    None
}

/// The byte range of a plain string's content: one `string` node, no f/b prefix, no
/// escapes, no interpolation.
pub fn plain_content(model: &FileModel<'_>, string: Node<'_>) -> Option<Range<usize>> {
    crate::analyze::names::plain_string(model.bytes, string)
}

/// The literal parts of an f-string (`string_content` outside `{…}`), or `None` for a string
/// that is not an f-string (or a bytes or template one).
fn fstring_literal_parts(model: &FileModel<'_>, string: Node<'_>) -> Option<Vec<Range<usize>>> {
    if string.kind() != "string" {
        return None;
    }
    let mut cursor = string.walk();
    let children: Vec<Node<'_>> = string.children(&mut cursor).collect();
    let start = children.first().filter(|c| c.kind() == "string_start")?;
    let prefix = model.text(*start);
    let is_f = prefix.iter().any(|b| matches!(b, b'f' | b'F'));
    let other = prefix
        .iter()
        .any(|b| matches!(b, b'b' | b'B' | b't' | b'T'));
    if !is_f || other {
        return None;
    }
    Some(
        children
            .iter()
            .filter(|c| c.kind() == "string_content")
            .map(|c| c.byte_range())
            .collect(),
    )
}

/// True when the string sits inside the `{…}` of an f-string: code, listed only.
fn in_interpolation(string: Node<'_>) -> bool {
    let mut current = string.parent();
    while let Some(node) = current {
        if node.kind() == "interpolation" {
            return true;
        }
        current = node.parent();
    }
    false
}

/// True when the string is one part of a concatenation (`"a.old." + x`, `"a" "b"`).
fn is_part(string: Node<'_>) -> bool {
    string
        .parent()
        .is_some_and(|p| matches!(p.kind(), "binary_operator" | "concatenated_string"))
}

/// The ids of the first arguments of `__import__(…)` calls: never rewritten (it returns the
/// top package, so its callers depend on the spelling).
fn dunder_import_arguments(model: &FileModel<'_>) -> HashSet<usize> {
    let mut found = HashSet::new();
    for call in &model.collected.calls {
        let is_dunder = call
            .child_by_field_name("function")
            .is_some_and(|f| model.text(f) == b"__import__");
        let first = call
            .child_by_field_name("arguments")
            .and_then(|a| a.named_child(0));
        if let (true, Some(first)) = (is_dunder, first) {
            found.insert(first.id());
        }
    }
    found
}
