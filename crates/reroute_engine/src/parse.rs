//! Parsing Python bytes with tree-sitter, one reusable parser per thread.

use std::cell::RefCell;

use tree_sitter::{InputEdit, Node, Parser, Point, Tree, TreeCursor};

use crate::edit::Edit;

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parses `bytes` as Python, as CPython reads them: a lone `\r` ends a line (tree-sitter
/// reads the same-length `source::parser_view`, so node offsets and rows are those of
/// `bytes`). `None` only if tree-sitter gives up (it does not for any input it was handed
/// so far; callers report it as a per-file error).
pub fn parse(bytes: &[u8]) -> Option<Tree> {
    let view = crate::source::parser_view(bytes);
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(new_parser);
        parser.reset();
        parser.parse(&*view, None)
    })
}

/// Parses `updated`, which is `original` with `edits` applied, reusing `tree` (the tree
/// of `original`): each edit is told to the tree first, in order, so tree-sitter parses
/// only what changed around them. Gives the tree a fresh parse gives (checked in debug
/// builds).
pub fn reparse(mut tree: Tree, original: &[u8], updated: &[u8], edits: &[Edit]) -> Option<Tree> {
    let old_view = crate::source::parser_view(original);
    let new_view = crate::source::parser_view(updated);
    let mut order: Vec<&Edit> = edits.iter().collect();
    // The order `apply_edits` applies them in.
    order.sort_by_key(|edit| (edit.range.start, edit.range.end));
    let mut points = Points::new(&new_view);
    // Edits before this one make the document this much longer (or shorter).
    let mut shift = 0isize;
    for edit in order {
        let start = edit.range.start.checked_add_signed(shift)?;
        let new_end = start + edit.replacement.len();
        let start_position = points.at(start);
        let old_end_position = advance(start_position, &old_view[edit.range.clone()]);
        let new_end_position = points.at(new_end);
        tree.edit(&InputEdit {
            start_byte: start,
            old_end_byte: start + edit.range.len(),
            new_end_byte: new_end,
            start_position,
            old_end_position,
            new_end_position,
        });
        shift += edit.replacement.len() as isize - edit.range.len() as isize;
    }
    let reparsed = PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(new_parser);
        parser.reset();
        parser.parse(&*new_view, Some(&tree))
    })?;
    debug_assert_eq!(
        parse(updated).map(|fresh| error_count(&fresh)),
        Some(error_count(&reparsed)),
        "an incremental reparse must count the errors a fresh parse counts"
    );
    Some(reparsed)
}

/// Row and column of offsets in one text, asked in increasing order.
struct Points<'a> {
    text: &'a [u8],
    offset: usize,
    row: usize,
}

impl<'a> Points<'a> {
    fn new(text: &'a [u8]) -> Self {
        Points {
            text,
            offset: 0,
            row: 0,
        }
    }

    fn at(&mut self, offset: usize) -> Point {
        let offset = offset.min(self.text.len());
        if offset >= self.offset {
            self.row += memchr::memchr_iter(b'\n', &self.text[self.offset..offset]).count();
        } else {
            self.row -= memchr::memchr_iter(b'\n', &self.text[offset..self.offset]).count();
        }
        self.offset = offset;
        let line_start = memchr::memrchr(b'\n', &self.text[..offset]).map_or(0, |at| at + 1);
        Point::new(self.row, offset - line_start)
    }
}

/// `point` moved past `text`.
fn advance(point: Point, text: &[u8]) -> Point {
    match memchr::memrchr(b'\n', text) {
        Some(last) => Point::new(
            point.row + memchr::memchr_iter(b'\n', text).count(),
            text.len() - last - 1,
        ),
        None => Point::new(point.row, point.column + text.len()),
    }
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("the bundled tree-sitter-python grammar matches the linked tree-sitter ABI");
    parser
}

/// Number of ERROR and MISSING nodes in the tree (0 for a clean parse).
pub fn error_count(tree: &Tree) -> usize {
    let root = tree.root_node();
    if !root.has_error() {
        return 0;
    }
    let mut count = 0;
    walk(root, |node| {
        if node.is_error() || node.is_missing() {
            count += 1;
        }
        node.has_error()
    });
    count
}

/// Line (0-based) of the first ERROR or MISSING node, if any.
pub fn first_error_line(tree: &Tree) -> Option<usize> {
    let mut found = None;
    walk(tree.root_node(), |node| {
        if found.is_some() {
            return false;
        }
        if node.is_error() || node.is_missing() {
            found = Some(node.start_position().row);
            return false;
        }
        node.has_error()
    });
    found
}

/// Pre-order walk without recursion (files may nest thousands of brackets deep).
/// `visit` returns whether to descend into the node's children.
pub fn walk<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>) -> bool) {
    walk_cursor(root, |cursor, _| visit(cursor.node()));
}

/// The same walk, handing `visit` the cursor (for the node and the field it fills) and the
/// node's depth below `root`, tracked here: `TreeCursor::depth` costs the depth per call.
pub fn walk_cursor<'t>(root: Node<'t>, mut visit: impl FnMut(&TreeCursor<'t>, u32) -> bool) {
    let mut cursor = root.walk();
    let mut depth: u32 = 0;
    loop {
        let descend = visit(&cursor, depth);
        if descend && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            depth -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_errors() {
        let clean = parse(b"import a\n").unwrap();
        assert_eq!(error_count(&clean), 0);
        let broken = parse(b"import a\ndef f(:\n    pass\n").unwrap();
        assert!(error_count(&broken) > 0);
        assert_eq!(first_error_line(&broken), Some(1));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_and_a_comment() {
        let tree = parse(b"# header\rfrom pkg.old import X\rprint(X)\r").unwrap();
        let root = tree.root_node();
        assert_eq!(error_count(&tree), 0);
        let kinds: Vec<&str> = (0..root.named_child_count() as u32)
            .filter_map(|i| root.named_child(i))
            .map(|n| n.kind())
            .collect();
        assert_eq!(
            kinds,
            ["comment", "import_from_statement", "expression_statement"]
        );
        let import = root.named_child(1).unwrap();
        assert_eq!(import.start_position().row, 1);
        assert_eq!(import.start_byte(), 9);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 10_000;
        let mut source = b"x = ".to_vec();
        source.extend(std::iter::repeat_n(b'[', depth));
        source.extend(std::iter::repeat_n(b']', depth));
        source.push(b'\n');
        let tree = parse(&source).unwrap();
        assert_eq!(error_count(&tree), 0);
    }
}
