//! Where new statements go and how statements or list items are removed, as byte ranges.
//!
//! One placement rule for every new statement: right after the original statement's line
//! (after its trailing comment), with that line's indentation and line ending; when the
//! original is not first on its line (`x = 1; from …`, `try: from …`), it joins the line
//! with `; `.

use std::ops::Range;

use tree_sitter::Node;

use crate::analyze::FileInput;

/// True when only spaces or tabs stand between the line start and `node`.
pub fn is_first_on_line(model: &FileInput<'_>, node: Node<'_>) -> bool {
    let start = line_start(model, node.start_byte());
    model.bytes[start..node.start_byte()]
        .iter()
        .all(|&b| b == b' ' || b == b'\t' || b == b'\x0c')
}

/// The offset and bytes that add `statements` after `stmt`.
pub fn insert_after(
    model: &FileInput<'_>,
    stmt: Node<'_>,
    statements: &[Vec<u8>],
) -> (usize, Vec<u8>) {
    let mut text = Vec::new();
    if !is_first_on_line(model, stmt) {
        for statement in statements {
            text.extend_from_slice(b"; ");
            text.extend_from_slice(statement);
        }
        return (stmt.end_byte(), text);
    }
    let last = last_statement_on_line(stmt);
    let at = model.lines.content_end(model.bytes, last.end_byte());
    let ending = model
        .lines
        .ending_of(model.bytes, at)
        .unwrap_or(model.lines.default_ending());
    let indent = &model.bytes[line_start(model, stmt.start_byte())..stmt.start_byte()];
    for statement in statements {
        text.extend_from_slice(ending);
        text.extend_from_slice(indent);
        text.extend_from_slice(statement);
    }
    (at, text)
}

/// Start of the line holding `offset`, after a byte-order mark on the first line.
fn line_start(model: &FileInput<'_>, offset: usize) -> usize {
    let start = model.lines.line_start(offset);
    if start == 0 && model.bytes.starts_with(b"\xEF\xBB\xBF") && offset >= 3 {
        3
    } else {
        start
    }
}

/// `stmt`, or the last statement joined to its final line with `;`.
fn last_statement_on_line(stmt: Node<'_>) -> Node<'_> {
    let mut last = stmt;
    while let Some(next) = last.next_named_sibling() {
        if next.kind() == "comment" || next.start_position().row != last.end_position().row {
            break;
        }
        last = next;
    }
    last
}

/// The byte range that removes statement `stmt` with its separator or its whole line.
pub fn statement_removal(model: &FileInput<'_>, stmt: Node<'_>) -> Range<usize> {
    let bytes = model.bytes;
    if let Some(next) = stmt.next_sibling().filter(|n| n.kind() == ";") {
        let end = skip_horizontal_space(bytes, next.end_byte());
        if is_first_on_line(model, stmt) && at_line_end(bytes, end) {
            return whole_lines(model, stmt.start_byte(), end);
        }
        if is_first_on_line(model, stmt) || !at_line_end(bytes, end) {
            return stmt.start_byte()..end;
        }
        // `x = 1; import old;` : drop the leading separator too.
    }
    if let Some(previous) = stmt.prev_sibling().filter(|n| n.kind() == ";") {
        let start = back_over_horizontal_space(bytes, previous.start_byte());
        return start..stmt.end_byte();
    }
    whole_lines(model, stmt.start_byte(), stmt.end_byte())
}

/// From the start of `start`'s line through the line ending after `end` (or, on a last line
/// without an ending, from the previous line's end).
fn whole_lines(model: &FileInput<'_>, start: usize, end: usize) -> Range<usize> {
    let line_start = line_start(model, start);
    let content_end = model.lines.content_end(model.bytes, end);
    match model.lines.ending_of(model.bytes, end) {
        Some(ending) => line_start..content_end + ending.len(),
        None if line_start > 0 => {
            let previous_end = model.lines.content_end(model.bytes, line_start - 1);
            previous_end..content_end
        }
        None => line_start..content_end,
    }
}

/// Byte ranges that remove the items of a comma-separated list (`from m import A, B, C`)
/// marked in `remove`, with their commas; at least one item must be kept.
pub fn list_item_removals(
    model: &FileInput<'_>,
    items: &[Node<'_>],
    remove: &[bool],
) -> Vec<Range<usize>> {
    let bytes = model.bytes;
    let last_kept = remove.iter().rposition(|r| !r);
    let mut ranges = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if !remove[index] {
            continue;
        }
        let comma = item.next_sibling().filter(|n| n.kind() == ",");
        match comma {
            Some(comma) => {
                let end = skip_horizontal_space(bytes, comma.end_byte());
                // After the last kept item, on its line: `(W, X, )` becomes `(W)`, not
                // `(W, )`; at the end of a line, `W, X,` becomes `W,` (the list stays
                // exploded, with no trailing space).
                let kept_comma = last_kept
                    .filter(|&kept| kept < index)
                    .and_then(|kept| items[kept].next_sibling())
                    .filter(|n| n.kind() == ",")
                    .filter(|n| !bytes[n.start_byte()..end].contains(&b'#'));
                if is_first_on_line(model, *item) && at_line_end_no_comment(bytes, end) {
                    ranges.push(whole_lines(model, item.start_byte(), end));
                } else if let Some(kept_comma) = kept_comma {
                    if at_line_end_no_comment(bytes, end) {
                        ranges.push(kept_comma.end_byte()..end);
                    } else {
                        ranges.push(kept_comma.start_byte()..end);
                    }
                } else {
                    ranges.push(item.start_byte()..end);
                }
            }
            None => {
                // The last item without a trailing comma: remove the comma after the last
                // kept item, and everything up to this item when only space lies between.
                let Some(kept) = last_kept.map(|k| items[k]) else {
                    continue;
                };
                let Some(kept_comma) = kept.next_sibling().filter(|n| n.kind() == ",") else {
                    continue;
                };
                let span = kept_comma.start_byte()..item.end_byte();
                if bytes[span.clone()].contains(&b'#') {
                    ranges.push(kept_comma.byte_range());
                    let after = skip_horizontal_space(bytes, item.end_byte());
                    if is_first_on_line(model, *item) && at_line_end_no_comment(bytes, after) {
                        ranges.push(whole_lines(model, item.start_byte(), after));
                    } else {
                        ranges.push(item.byte_range());
                    }
                } else {
                    ranges.push(span);
                }
            }
        }
    }
    merge(ranges)
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

fn skip_horizontal_space(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && (bytes[at] == b' ' || bytes[at] == b'\t') {
        at += 1;
    }
    at
}

fn back_over_horizontal_space(bytes: &[u8], mut at: usize) -> usize {
    while at > 0 && (bytes[at - 1] == b' ' || bytes[at - 1] == b'\t') {
        at -= 1;
    }
    at
}

fn at_line_end(bytes: &[u8], at: usize) -> bool {
    at >= bytes.len() || matches!(bytes[at], b'\n' | b'\r' | b'#')
}

fn at_line_end_no_comment(bytes: &[u8], at: usize) -> bool {
    at >= bytes.len() || matches!(bytes[at], b'\n' | b'\r')
}
