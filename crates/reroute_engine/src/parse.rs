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
    parse_view(&crate::source::parser_view(bytes))
}

/// `parse`, with the comments of long runs of comment-only lines blanked in the parser's
/// view unless `keep` wants them (issue 21: tree-sitter-python's scanner reads a whole run
/// of comments at every line end of it, quadratic in the run). Blanked comments keep
/// their line ends, so rows stay put; they are simply not in the tree. The engine keeps
/// every comment that could matter (a suppression, a needle of the rules).
pub fn parse_skipping(bytes: &[u8], keep: &dyn Fn(&[u8]) -> bool) -> Option<Tree> {
    parse_view(&skip_comment_runs(crate::source::parser_view(bytes), keep))
}

fn parse_view(view: &[u8]) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(new_parser);
        parser.reset();
        parser.parse(view, None)
    })
}

/// Runs of at least this many comment-only lines have their comments blanked.
const COMMENT_RUN: usize = 64;

/// `view` with the comments of long runs of comment-only lines blanked (spaces, line ends
/// kept) unless `keep` wants them; borrowed when there is no such run.
pub fn skip_comment_runs<'a>(
    view: std::borrow::Cow<'a, [u8]>,
    keep: &dyn Fn(&[u8]) -> bool,
) -> std::borrow::Cow<'a, [u8]> {
    // Cheap first: lines whose first non-blank byte is `#` (a string may hold such lines
    // too; the tokenizer below tells).
    let mut run = 0;
    let mut longest = 0;
    for line in view.split(|&b| b == b'\n') {
        match line
            .iter()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\x0c' | b'\r'))
        {
            Some(b'#') => {
                run += 1;
                longest = longest.max(run);
            }
            _ => run = 0,
        }
    }
    if longest < COMMENT_RUN {
        return view;
    }
    let tokens = crate::lex::tokens::tokenize(&view);
    let alone = |start: usize| {
        let line = memchr::memrchr(b'\n', &view[..start]).map_or(0, |at| at + 1);
        view[line..start]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\x0c'))
    };
    // Comment-only lines, as token indices, grouped in runs of consecutive lines.
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut last_line_end: Option<usize> = None;
    for (index, token) in tokens.iter().enumerate() {
        if token.kind != crate::lex::tokens::Kind::Comment || !alone(token.start()) {
            if token.kind != crate::lex::tokens::Kind::Newline {
                last_line_end = None;
            }
            continue;
        }
        let line_start = memchr::memrchr(b'\n', &view[..token.start()]).map_or(0, |at| at + 1);
        let follows = last_line_end.is_some_and(|end| end + 1 == line_start);
        match runs.last_mut() {
            Some(current) if follows => current.push(index),
            _ => runs.push(vec![index]),
        }
        last_line_end = memchr::memchr(b'\n', &view[token.end()..]).map(|at| token.end() + at);
    }
    let mut owned: Option<Vec<u8>> = None;
    for run in runs.iter().filter(|run| run.len() >= COMMENT_RUN) {
        for &index in run {
            let range = tokens[index].range();
            if keep(&view[range.clone()]) {
                continue;
            }
            let bytes = owned.get_or_insert_with(|| view.to_vec());
            for byte in &mut bytes[range] {
                if *byte != b'\r' {
                    *byte = b' ';
                }
            }
        }
    }
    match owned {
        Some(bytes) => std::borrow::Cow::Owned(bytes),
        None => view,
    }
}

/// Parses `updated`, which is `original` with `edits` applied, reusing `tree` (the tree
/// of `original`): each edit is told to the tree first, in order, so tree-sitter parses
/// only what changed around them. Gives the tree a fresh parse gives (checked in debug
/// builds).
pub fn reparse(tree: Tree, original: &[u8], updated: &[u8], edits: &[Edit]) -> Option<Tree> {
    reparse_skipping(tree, original, updated, edits, &|_| true)
}

/// `reparse` of a tree made by `parse_skipping` with the same `keep`.
pub fn reparse_skipping(
    mut tree: Tree,
    original: &[u8],
    updated: &[u8],
    edits: &[Edit],
    keep: &dyn Fn(&[u8]) -> bool,
) -> Option<Tree> {
    let old_view = skip_comment_runs(crate::source::parser_view(original), keep);
    let new_view = skip_comment_runs(crate::source::parser_view(updated), keep);
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
        parse_skipping(updated, keep).map(|fresh| error_count(&fresh)),
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

/// The syntax errors of `bytes` parsed whole (`usize::MAX` when tree-sitter gives no
/// tree): what a rewrite must not raise.
pub fn errors_in(bytes: &[u8]) -> usize {
    parse(bytes).map_or(usize::MAX, |tree| error_count(&tree))
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
