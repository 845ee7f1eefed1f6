//! One Python file's raw bytes and what is known about them without parsing: encoding
//! (PEP 263 cookie, BOM), line index (offset → line/column), and line-ending style.
//!
//! Bytes are never transcoded: files are edited as the bytes they are. Lines end where
//! CPython ends them: at `\n`, `\r\n` or a lone `\r`. The parser reads a same-length view
//! in which a lone `\r` is `\n` (`parser_view`), so node offsets are offsets into the
//! original bytes, and every line ending is kept.

mod encoding;

pub use encoding::{check_encoding, declared_encoding, parser_view};

use thiserror::Error;

/// Why a file's bytes cannot be processed as Python source.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum SourceError {
    #[error(
        "line {line}: unknown or unsupported source encoding {name:?}; reroute edits ASCII-compatible files (utf-8, latin-1, cp1252, …) and Shift_JIS, GBK, GB18030 and Big5 files: convert the file to UTF-8 or exclude it"
    )]
    /// The coding cookie names an encoding reroute cannot edit.
    UnsupportedEncoding {
        /// 1-based line of the cookie.
        line: usize,
        /// The encoding named.
        name: String,
    },
    #[error(
        "line 1: file starts with a UTF-16/UTF-32 byte-order mark; convert it to UTF-8 or exclude it"
    )]
    /// UTF-16 or UTF-32 (a BOM or NUL pattern says so).
    WideEncoding,
    #[error(
        "line {line}: the file starts with a UTF-8 byte-order mark but declares {name:?}; Python refuses it (encoding problem with BOM): remove the BOM or the cookie"
    )]
    /// A UTF-8 BOM and a cookie that names another encoding.
    BomWithCookie {
        /// 1-based line of the cookie.
        line: usize,
        /// The encoding named.
        name: String,
    },
}

/// What a file's first bytes say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text the engine can read.
    Text,
    /// A NUL byte in the first 8 KiB.
    Binary,
}

/// Classifies `bytes` as text or binary (a NUL byte in the first 8 KiB).
pub fn kind(bytes: &[u8]) -> Kind {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr_nul(head) {
        Kind::Binary
    } else {
        Kind::Text
    }
}

fn memchr_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

/// Line index over a file's bytes; a line ends at `\n`, `\r\n` or a lone `\r`.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of each line's first byte; `starts[0] == 0`.
    starts: Vec<usize>,
    /// The file's dominant line ending, used where a generated line has no model.
    default_ending: &'static [u8],
}

impl LineIndex {
    /// Indexes the line starts of `bytes`.
    pub fn new(bytes: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        let (mut crlf, mut lf, mut cr) = (0usize, 0usize, 0usize);
        for (index, &byte) in bytes.iter().enumerate() {
            match byte {
                b'\n' => {
                    starts.push(index + 1);
                    if index > 0 && bytes[index - 1] == b'\r' {
                        crlf += 1;
                    } else {
                        lf += 1;
                    }
                }
                b'\r' if bytes.get(index + 1) != Some(&b'\n') => {
                    starts.push(index + 1);
                    cr += 1;
                }
                _ => {}
            }
        }
        let default_ending: &'static [u8] = if cr > crlf.max(lf) {
            b"\r"
        } else if crlf > lf {
            b"\r\n"
        } else {
            b"\n"
        };
        LineIndex {
            starts,
            default_ending,
        }
    }

    /// 0-based line number of `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) - 1
    }

    /// 1-based line and 1-based character column of `offset`.
    pub fn line_col(&self, bytes: &[u8], offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let mut start = self.starts[line];
        if start == 0 && bytes.starts_with(b"\xEF\xBB\xBF") && offset >= 3 {
            // A byte-order mark is not a column editors show.
            start = 3;
        }
        let prefix = &bytes[start..offset.min(bytes.len())];
        let column = match std::str::from_utf8(prefix) {
            Ok(text) => text.chars().count(),
            Err(_) => prefix.len(),
        };
        (line + 1, column + 1)
    }

    /// Byte offset where the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        self.starts[self.line_of(offset)]
    }

    /// Byte offset where the content of the line holding `offset` ends (before `\r\n`,
    /// `\n`, a lone `\r`, or at end of file).
    pub fn content_end(&self, bytes: &[u8], offset: usize) -> usize {
        let line = self.line_of(offset);
        match self.starts.get(line + 1) {
            Some(&next) => {
                let end = next - 1;
                if bytes[end] == b'\n' && end > self.starts[line] && bytes[end - 1] == b'\r' {
                    end - 1
                } else {
                    end
                }
            }
            None => bytes.len(),
        }
    }

    /// The line ending after the line holding `offset`, or `None` on a last line without one.
    pub fn ending_of<'a>(&self, bytes: &'a [u8], offset: usize) -> Option<&'a [u8]> {
        let line = self.line_of(offset);
        let next = *self.starts.get(line + 1)?;
        let end = self.content_end(bytes, offset);
        Some(&bytes[end..next])
    }

    /// The line ending new lines are written with: the file's first.
    pub fn default_ending(&self) -> &'static [u8] {
        self.default_ending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_endings() {
        let bytes = b"ab\r\ncd\nlast";
        let index = LineIndex::new(bytes);
        assert_eq!(index.line_col(bytes, 5), (2, 2));
        assert_eq!(index.content_end(bytes, 0), 2);
        assert_eq!(index.ending_of(bytes, 0), Some(&b"\r\n"[..]));
        assert_eq!(index.ending_of(bytes, 4), Some(&b"\n"[..]));
        assert_eq!(index.ending_of(bytes, 8), None);
        assert_eq!(index.content_end(bytes, 8), bytes.len());
        assert_eq!(kind(b"a\0b"), Kind::Binary);
        let bom = b"\xEF\xBB\xBFimport a";
        assert_eq!(LineIndex::new(bom).line_col(bom, 10), (1, 8));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let bytes = b"# a\rimport b\r\nc\n\rd";
        let index = LineIndex::new(bytes);
        assert_eq!(index.line_col(bytes, 4), (2, 1));
        assert_eq!(index.ending_of(bytes, 0), Some(&b"\r"[..]));
        assert_eq!(index.ending_of(bytes, 4), Some(&b"\r\n"[..]));
        assert_eq!(index.ending_of(bytes, 14), Some(&b"\n"[..]));
        assert_eq!(index.ending_of(bytes, 16), Some(&b"\r"[..]));
        assert_eq!(index.line_col(bytes, 17), (5, 1));
        assert_eq!(LineIndex::new(b"a\rb\rc\n").default_ending(), b"\r");
        assert_eq!(&*parser_view(bytes), b"# a\nimport b\r\nc\n\nd");
        assert!(matches!(
            parser_view(b"a\r\n"),
            std::borrow::Cow::Borrowed(_)
        ));
        // A cookie after a CR-only first line is still on line 2.
        assert_eq!(
            check_encoding(b"#!python\r# coding: klingon\rx = 1\r"),
            Err(SourceError::UnsupportedEncoding {
                line: 2,
                name: "klingon".into()
            })
        );
    }
}
