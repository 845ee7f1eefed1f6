//! Unified diffs built from bytes, in the form `git apply` accepts: `a/`/`b/` headers
//! (quoted the way git quotes odd names), CRLF and non-UTF-8 bytes kept, and the
//! "\ No newline at end of file" marker.

use similar::{Algorithm, ChangeTag, TextDiff};

/// One diff line's role, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Header,
    Hunk,
    Context,
    Removed,
    Added,
    Marker,
}

/// The diff of one file as lines (each with its own line ending bytes).
pub fn unified_diff(path: &str, original: &[u8], updated: &[u8]) -> Vec<(LineKind, Vec<u8>)> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_lines(original, updated);
    let old_name = quote_path(&format!("a/{path}"));
    let new_name = quote_path(&format!("b/{path}"));
    let mut lines = vec![
        (
            LineKind::Header,
            format!("diff --git {old_name} {new_name}\n").into_bytes(),
        ),
        (LineKind::Header, format!("--- {old_name}\n").into_bytes()),
        (LineKind::Header, format!("+++ {new_name}\n").into_bytes()),
    ];
    for group in diff.grouped_ops(3) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old = first.old_range().start..last.old_range().end;
        let new = first.new_range().start..last.new_range().end;
        lines.push((
            LineKind::Hunk,
            format!("@@ -{} +{} @@\n", range_text(&old), range_text(&new)).into_bytes(),
        ));
        for op in &group {
            for change in diff.iter_changes(op) {
                let (kind, sign) = match change.tag() {
                    ChangeTag::Equal => (LineKind::Context, b' '),
                    ChangeTag::Delete => (LineKind::Removed, b'-'),
                    ChangeTag::Insert => (LineKind::Added, b'+'),
                };
                let value: &[u8] = change.value();
                let mut line = Vec::with_capacity(value.len() + 2);
                line.push(sign);
                line.extend_from_slice(value);
                let missing_newline = !value.ends_with(b"\n");
                if missing_newline {
                    line.push(b'\n');
                }
                lines.push((kind, line));
                if missing_newline {
                    lines.push((LineKind::Marker, b"\\ No newline at end of file\n".to_vec()));
                }
            }
        }
    }
    lines
}

/// `start,len` in unified-diff terms (1-based; an empty range names the line before it).
fn range_text(range: &std::ops::Range<usize>) -> String {
    let len = range.end - range.start;
    match len {
        0 => format!("{},0", range.start),
        1 => format!("{}", range.start + 1),
        _ => format!("{},{}", range.start + 1, len),
    }
}

/// Quotes a path the way git does when it holds `"`, `\`, control or non-ASCII bytes.
pub fn quote_path(path: &str) -> String {
    let needs_quotes = path
        .bytes()
        .any(|b| b == b'"' || b == b'\\' || !(0x20..0x7f).contains(&b));
    if !needs_quotes {
        return path.to_string();
    }
    let mut quoted = String::from("\"");
    for byte in path.bytes() {
        match byte {
            b'"' => quoted.push_str("\\\""),
            b'\\' => quoted.push_str("\\\\"),
            b'\t' => quoted.push_str("\\t"),
            b'\n' => quoted.push_str("\\n"),
            b'\r' => quoted.push_str("\\r"),
            0x20..=0x7e => quoted.push(byte as char),
            _ => quoted.push_str(&format!("\\{byte:03o}")),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(lines: &[(LineKind, Vec<u8>)]) -> Vec<u8> {
        lines.iter().flat_map(|(_, l)| l.clone()).collect()
    }

    #[test]
    fn crlf_and_missing_newline() {
        let diff = render(&unified_diff(
            "m.py",
            b"import a.old\r\nx = 1",
            b"import a.new\r\nx = 1",
        ));
        let text = String::from_utf8(diff).unwrap();
        assert_eq!(
            text,
            "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n-import a.old\r\n+import a.new\r\n x = 1\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn quotes_odd_names() {
        assert_eq!(quote_path("a/plain name.py"), "a/plain name.py");
        assert_eq!(quote_path("a/tab\there.py"), "\"a/tab\\there.py\"");
        assert_eq!(quote_path("a/caf\u{e9}.py"), "\"a/caf\\303\\251.py\"");
    }
}
