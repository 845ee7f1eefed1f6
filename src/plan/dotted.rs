//! The minimal edits that respell a dotted name: unchanged leading segments and their
//! spacing stay; only the differing tail is replaced, inserted or deleted.

use tree_sitter::Node;

use crate::analyze::FileInput;
use crate::edit::Edit;
use crate::spec::{DottedPath, Identifier, RuleId};

/// The minimal edit that turns `node` (a `dotted_name`) into `new`: unchanged leading
/// segments and their spacing stay.
pub fn rename_dotted(
    model: &FileInput<'_>,
    node: Node<'_>,
    new: &DottedPath,
    rule: &RuleId,
) -> Option<Edit> {
    let mut cursor = node.walk();
    let idents: Vec<Node<'_>> = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "identifier")
        .collect();
    rename_segments(model, &idents, new, rule)
}

/// The minimal edit that turns the identifiers `idents` (the segments of one dotted name,
/// in order, separated only by dots and space) into `new`.
pub fn rename_segments(
    model: &FileInput<'_>,
    idents: &[Node<'_>],
    new: &DottedPath,
    rule: &RuleId,
) -> Option<Edit> {
    let end = idents.last()?.end_byte();
    let old: Vec<Identifier> = idents.iter().map(|c| model.identifier(*c)).collect();
    let common = old
        .iter()
        .zip(new.segments())
        .take_while(|(a, b)| a == b)
        .count();
    let rest = |from: usize| {
        new.segments()[from..]
            .iter()
            .map(Identifier::as_str)
            .collect::<Vec<_>>()
            .join(".")
    };
    if common == old.len() && common == new.len() {
        None
    } else if common < old.len() && common < new.len() {
        Some(Edit::replace(
            idents[common].start_byte()..end,
            rest(common),
            rule.clone(),
        ))
    } else if common == old.len() {
        Some(Edit::insert(
            end,
            format!(".{}", rest(common)),
            rule.clone(),
        ))
    } else {
        Some(Edit::delete(
            idents[common - 1].end_byte()..end,
            rule.clone(),
        ))
    }
}
