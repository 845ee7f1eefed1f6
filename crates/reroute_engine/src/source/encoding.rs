//! What a file's bytes say about their encoding, and the bytes the parser reads: the BOM and
//! the PEP 263 cookie (checked as CPython checks them), and the same-length parser view
//! (lone `\r` as `\n`, double-byte characters masked).

use super::SourceError;

/// Checks the BOM and the PEP 263 coding cookie of the first two lines.
pub fn check_encoding(bytes: &[u8]) -> Result<(), SourceError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(SourceError::WideEncoding);
    }
    match cookie(bytes) {
        Some((line, name)) if !is_ascii_compatible(&name) && double_byte(&name).is_none() => {
            Err(SourceError::UnsupportedEncoding { line, name })
        }
        Some((line, name)) if bytes.starts_with(UTF8_BOM) && !is_cpython_utf8(&name) => {
            Err(SourceError::BomWithCookie { line, name })
        }
        _ => Ok(()),
    }
}

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Whether CPython's tokenizer reads a cookie's name as UTF-8 (`utf-8`, `utf_8`,
/// `UTF-8-sig`…; not `utf8`): a BOM may stand only with such a cookie.
fn is_cpython_utf8(name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace('_', "-");
    name == "utf-8" || name.starts_with("utf-8-")
}

/// The bytes the parser reads, the same length as `bytes` so that offsets carry over
/// (borrowed when nothing changes): every lone `\r` (not followed by `\n`) is `\n`, as
/// CPython reads a source file; and in a file whose cookie names a double-byte encoding
/// (Shift_JIS, cp932, GBK, GB18030, Big5), each multi-byte character is masked with `a`
/// bytes, since its trail bytes can be `\`, a quote or a letter. Only token positions come
/// from the view; the file's own bytes are what is edited and written.
pub fn parser_view(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let view = line_view(bytes);
    match cookie(bytes).and_then(|(_, name)| double_byte(&name)) {
        Some(kind) => std::borrow::Cow::Owned(mask_double_byte(&view, kind)),
        None => view,
    }
}

/// The double-byte encodings whose characters the parser view masks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DoubleByte {
    ShiftJis,
    Gbk,
    Gb18030,
    Big5,
}

fn double_byte(name: &str) -> Option<DoubleByte> {
    let name = name.to_ascii_lowercase().replace('_', "-");
    Some(match name.as_str() {
        "shift-jis" | "shiftjis" | "sjis" | "s-jis" | "cp932" | "ms932" | "mskanji"
        | "ms-kanji" | "shift-jis-2004" | "shift-jisx0213" => DoubleByte::ShiftJis,
        "gbk" | "cp936" | "ms936" | "936" | "gb2312" | "chinese" | "euc-cn" | "euccn" => {
            DoubleByte::Gbk
        }
        "gb18030" | "gb18030-2000" => DoubleByte::Gb18030,
        "big5" | "big5-tw" | "csbig5" | "cp950" | "ms950" | "big5hkscs" | "big5-hkscs" => {
            DoubleByte::Big5
        }
        _ => return None,
    })
}

/// `bytes` with every multi-byte character of `kind` replaced by as many `a` bytes.
fn mask_double_byte(bytes: &[u8], kind: DoubleByte) -> Vec<u8> {
    let mut view = bytes.to_vec();
    let mut at = 0;
    while at < bytes.len() {
        let lead = bytes[at];
        let width = match kind {
            DoubleByte::ShiftJis if matches!(lead, 0x81..=0x9F | 0xE0..=0xFC) => 2,
            DoubleByte::Gb18030
                if (0x81..=0xFE).contains(&lead)
                    && bytes.get(at + 1).is_some_and(|b| b.is_ascii_digit()) =>
            {
                4
            }
            DoubleByte::Gbk | DoubleByte::Gb18030 | DoubleByte::Big5
                if (0x81..=0xFE).contains(&lead) =>
            {
                2
            }
            _ => 1,
        };
        if width > 1 {
            let end = (at + width).min(bytes.len());
            view[at..end].fill(b'a');
        }
        at += width;
    }
    view
}

/// `bytes` with every lone `\r` turned into `\n` (borrowed when there is none).
fn line_view(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let is_lone_cr = |at: usize| bytes[at] == b'\r' && bytes.get(at + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(is_lone_cr) {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let view = (0..bytes.len())
        .map(|at| if is_lone_cr(at) { b'\n' } else { bytes[at] })
        .collect();
    std::borrow::Cow::Owned(view)
}

/// The encoding a PEP 263 cookie declares, if any.
pub fn declared_encoding(bytes: &[u8]) -> Option<String> {
    cookie(bytes).map(|(_, name)| name)
}

/// The 1-based line and name of the PEP 263 cookie in the first two lines.
fn cookie(bytes: &[u8]) -> Option<(usize, String)> {
    // The first two lines, however long: CPython looks no further.
    let mut ends = 0;
    let mut head_end = bytes.len();
    for (at, &byte) in bytes.iter().enumerate() {
        let ends_line = byte == b'\n' || (byte == b'\r' && bytes.get(at + 1) != Some(&b'\n'));
        if ends_line {
            ends += 1;
            if ends == 2 {
                head_end = at + 1;
                break;
            }
        }
    }
    let view = line_view(&bytes[..head_end]);
    for (index, line) in view.split(|&b| b == b'\n').take(2).enumerate() {
        let line = line.strip_prefix(UTF8_BOM).unwrap_or(line);
        if let Some(name) = coding_cookie(line) {
            return Some((index + 1, name));
        }
        // PEP 263: the cookie may only be on line 2 when line 1 is a comment or blank.
        let trimmed = line.trim_ascii_start();
        if !(trimmed.is_empty() || trimmed.starts_with(b"#")) {
            break;
        }
    }
    None
}

/// The encoding name of a PEP 263 comment line (`# -*- coding: latin-1 -*-`).
fn coding_cookie(line: &[u8]) -> Option<String> {
    let trimmed = line.trim_ascii_start();
    if !trimmed.starts_with(b"#") {
        return None;
    }
    let at = trimmed.windows(6).position(|w| w == b"coding")?;
    let rest = &trimmed[at + 6..];
    let rest = rest
        .strip_prefix(b":")
        .or_else(|| rest.strip_prefix(b"="))?;
    let rest = rest.trim_ascii_start();
    let end = rest
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'))
        .unwrap_or(rest.len());
    (end > 0).then(|| String::from_utf8_lossy(&rest[..end]).into_owned())
}

/// Encodings in which every byte below 0x80 is the ASCII character, so parsing and editing
/// the raw bytes is safe. Shift-JIS, Big5 and GBK are not: their second bytes can be `\` or
/// letters.
fn is_ascii_compatible(name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace('_', "-");
    let exact = [
        "utf-8",
        "utf8",
        "utf-8-sig",
        "u8",
        "ascii",
        "us-ascii",
        "646",
        "latin-1",
        "latin1",
        "l1",
        "iso-latin-1",
        "iso8859-1",
        "iso-8859-1",
        "cp819",
        "koi8-r",
        "koi8-u",
        "mac-roman",
        "macroman",
        "euc-jp",
        "euc-kr",
        "euc-jis-2004",
        "tis-620",
        "utf8-ucs2",
        "utf8-ucs4",
    ];
    if exact.contains(&name.as_str()) {
        return true;
    }
    let families = [
        "iso-8859-",
        "iso8859-",
        "cp125",
        "windows-125",
        "latin-",
        "latin",
    ];
    families.iter().any(|prefix| {
        name.strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies() {
        assert!(check_encoding(b"# -*- coding: latin-1 -*-\nx = 1\n").is_ok());
        assert!(
            check_encoding(b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n").is_ok()
        );
        let error = check_encoding(b"# coding: iso-2022-jp\n").unwrap_err();
        assert_eq!(
            error,
            SourceError::UnsupportedEncoding {
                line: 1,
                name: "iso-2022-jp".into()
            }
        );
        assert!(check_encoding(b"# coding: klingon\n").is_err());
        // A cookie on line 2 after code on line 1 is not a cookie.
        assert!(check_encoding(b"x = 1\n# coding: klingon\n").is_ok());
        assert_eq!(
            check_encoding(b"\xff\xfea\x00"),
            Err(SourceError::WideEncoding)
        );
    }

    #[test]
    fn double_byte_characters_are_masked_for_the_parser() {
        // Shift_JIS 表 is 0x95 0x5C: its trail byte is a backslash.
        let bytes = b"# coding: shift_jis\nT = \"\x95\x5C\"\nimport a\n";
        assert!(check_encoding(bytes).is_ok());
        let view = parser_view(bytes);
        assert_eq!(view.len(), bytes.len());
        assert_eq!(&view[24..28], b"\"aa\"");
        let tree = crate::parse::parse(bytes).unwrap();
        assert_eq!(crate::parse::error_count(&tree), 0);
        // GB18030 four-byte characters.
        assert_eq!(
            mask_double_byte(b"x\x81\x30\x81\x30y", DoubleByte::Gb18030),
            b"xaaaay"
        );
        assert!(check_encoding(b"# coding: iso-2022-jp\n").is_err());
    }

    #[test]
    fn a_bom_stands_only_with_a_utf8_cookie() {
        assert!(check_encoding(b"\xEF\xBB\xBF# coding: utf-8\nx = 1\n").is_ok());
        assert!(check_encoding(b"\xEF\xBB\xBF# coding: UTF_8\nx = 1\n").is_ok());
        assert!(check_encoding(b"\xEF\xBB\xBFx = 1\n").is_ok());
        assert_eq!(
            check_encoding(b"\xEF\xBB\xBF# -*- coding: latin-1 -*-\nx = 1\n"),
            Err(SourceError::BomWithCookie {
                line: 1,
                name: "latin-1".into()
            })
        );
    }
}
