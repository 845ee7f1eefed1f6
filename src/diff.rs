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

/// `bytes` split into lines the way git splits them: after each `\n` only (a lone `\r`
/// is part of the line, so a CR-only file is one line to git).
fn git_lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split_inclusive(|&b| b == b'\n').collect()
}

/// The diff of one file as lines (each with its own line ending bytes).
pub fn unified_diff(path: &[u8], original: &[u8], updated: &[u8]) -> Vec<(LineKind, Vec<u8>)> {
    let (old_lines, new_lines) = (git_lines(original), git_lines(updated));
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_slices(&old_lines, &new_lines);
    let old_name = quote_path(&[b"a/", path].concat());
    let new_name = quote_path(&[b"b/", path].concat());
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
pub fn quote_path(path: &[u8]) -> String {
    let needs_quotes = path
        .iter()
        .any(|&b| b == b'"' || b == b'\\' || !(0x20..0x7f).contains(&b));
    if !needs_quotes {
        return String::from_utf8_lossy(path).into_owned();
    }
    quote_bytes(path, true)
}

/// `bytes` in double quotes with C-style escapes: `\"`, `\\`, `\t`, `\n`, `\r`, and octal
/// for other control bytes and for bytes that are not UTF-8 (or, with `octal_non_ascii`,
/// for every non-ASCII byte, as git does).
pub fn quote_bytes(bytes: &[u8], octal_non_ascii: bool) -> String {
    let mut quoted = String::from("\"");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => quoted.push_str("\\\""),
                '\\' => quoted.push_str("\\\\"),
                '\t' => quoted.push_str("\\t"),
                '\n' => quoted.push_str("\\n"),
                '\r' => quoted.push_str("\\r"),
                ' '..='~' => quoted.push(c),
                c if !c.is_control() && !octal_non_ascii => quoted.push(c),
                c => {
                    let mut buffer = [0u8; 4];
                    for byte in c.encode_utf8(&mut buffer).bytes() {
                        quoted.push_str(&format!("\\{byte:03o}"));
                    }
                }
            }
        }
        for byte in chunk.invalid() {
            quoted.push_str(&format!("\\{byte:03o}"));
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
    fn a_cr_only_file_is_one_line() {
        let lines = unified_diff(b"m.py", b"# a\rimport a.old\r", b"# a\rimport a.new\r");
        let text: Vec<u8> = lines.into_iter().flat_map(|(_, line)| line).collect();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-# a\rimport a.old\r\n\\ No newline at end of file\n+# a\rimport a.new\r\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn crlf_and_missing_newline() {
        let diff = render(&unified_diff(
            b"m.py",
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
        assert_eq!(quote_path(b"a/plain name.py"), "a/plain name.py");
        assert_eq!(quote_path(b"a/tab\there.py"), "\"a/tab\\there.py\"");
        assert_eq!(
            quote_path("a/caf\u{e9}.py".as_bytes()),
            "\"a/caf\\303\\251.py\""
        );
        // Not UTF-8: octal, never a replacement character.
        assert_eq!(quote_path(b"a/caf\xe9.py"), "\"a/caf\\351.py\"");
        assert_eq!(
            quote_bytes(b"caf\xc3\xa9\n\xff", false),
            "\"caf\u{e9}\\n\\377\""
        );
    }
}
