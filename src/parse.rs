//! Parsing Python bytes with tree-sitter, one reusable parser per thread.

use std::cell::RefCell;

use tree_sitter::{Node, Parser, Tree, TreeCursor};

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
