//! The minimal edits that respell a dotted name: unchanged leading segments and their
//! spacing stay; only the differing tail is replaced, inserted or deleted.

use tree_sitter::Node;

use crate::analyze::FileInput;
use crate::edit::Edit;
use crate::spec::{DottedPath, Identifier};

/// The minimal edit that turns `node` (a `dotted_name`) into `new`: unchanged leading
/// segments and their spacing stay.
pub fn rename_dotted(model: &FileInput<'_>, node: Node<'_>, new: &DottedPath) -> Option<Edit> {
    let mut cursor = node.walk();
    let idents: Vec<Node<'_>> = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "identifier")
        .collect();
    rename_segments(model, &idents, new)
}

/// The minimal edit that turns the identifiers `idents` (the segments of one dotted name,
/// in order, separated only by dots and space) into `new`: the segments both share at the
/// start and at the end stay as written (with any space or continuation between them), and
/// only the window between is replaced, inserted or deleted.
pub fn rename_segments(
    model: &FileInput<'_>,
    idents: &[Node<'_>],
    new: &DottedPath,
) -> Option<Edit> {
    let old: Vec<Identifier> = idents.iter().map(|c| model.identifier(*c)).collect();
    let new = new.segments();
    let common = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let room = old.len().min(new.len()) - common;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let old_window = common..old.len() - suffix;
    let new_window = &new[common..new.len() - suffix];
    let joined = || {
        new_window
            .iter()
            .map(Identifier::as_str)
            .collect::<Vec<_>>()
            .join(".")
    };
    match (old_window.is_empty(), new_window.is_empty()) {
        (true, true) => None,
        (false, false) => Some(Edit::replace(
            idents[old_window.start].start_byte()..idents[old_window.end - 1].end_byte(),
            joined(),
        )),
        // Segments added: after the shared start, or before the shared end.
        (true, false) if common > 0 => Some(Edit::insert(
            idents[common - 1].end_byte(),
            format!(".{}", joined()),
        )),
        (true, false) => Some(Edit::insert(
            idents[0].start_byte(),
            format!("{}.", joined()),
        )),
        // Segments removed, with the dot before them (or after, at the start).
        (false, true) if common > 0 => Some(Edit::delete(
            idents[common - 1].end_byte()..idents[old_window.end - 1].end_byte(),
        )),
        (false, true) => Some(Edit::delete(
            idents[0].start_byte()..idents[old_window.end].start_byte(),
        )),
    }
}

/// The edit that makes the `relative_import` node `node` spell `spelled` (`.new.sub`, or an
/// absolute path): when the dots stay the same only the dotted tail is renamed, so the space
/// and continuations in it stay; otherwise the node is replaced.
pub fn respell_relative(model: &FileInput<'_>, node: Node<'_>, spelled: &str) -> Option<Edit> {
    let (dots, _) = crate::analyze::relative::parts(model, node);
    let new_dots = spelled.bytes().take_while(|b| *b == b'.').count();
    let tail = node
        .named_children(&mut node.walk())
        .find(|c| c.kind() == "dotted_name");
    let new_tail = DottedPath::parse(&spelled[new_dots..]);
    match (tail, new_tail) {
        (Some(tail), Some(new_tail)) if new_dots == dots && dots > 0 => {
            rename_dotted(model, tail, &new_tail)
        }
        _ if model.text(node) == spelled.as_bytes() => None,
        _ => Some(Edit::replace(node.byte_range(), spelled)),
    }
}
