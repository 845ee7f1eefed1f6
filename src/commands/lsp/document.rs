//! An open document: its text (UTF-8, whatever its coding cookie says), and positions in the
//! encoding the client and server agreed on (UTF-16 code units by default, or UTF-8 bytes).

use serde_json::{Value, json};

/// How `character` in a position counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// The name LSP gives it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
        }
    }

    /// What the client offers in `capabilities.general.positionEncodings`: UTF-8 when it
    /// can, else UTF-16 (which every client must support).
    pub fn negotiate(capabilities: &Value) -> Encoding {
        let offered = capabilities["general"]["positionEncodings"].as_array();
        if offered.is_some_and(|list| list.iter().any(|e| e == "utf-8")) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }
}

/// An open document.
pub struct Document {
    pub text: String,
    pub version: i64,
    /// Byte offset of each line's start.
    lines: Vec<usize>,
}

impl Document {
    pub fn new(text: String, version: i64) -> Document {
        let mut lines = vec![0];
        lines.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        Document {
            text,
            version,
            lines,
        }
    }

    /// The LSP position of byte `offset`.
    pub fn position(&self, offset: usize, encoding: Encoding) -> Value {
        let offset = offset.min(self.text.len());
        let line = self.lines.partition_point(|&start| start <= offset) - 1;
        let start = self.lines[line];
        let before = &self.text[start..floor_char(&self.text, offset)];
        let character = match encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.encode_utf16().count(),
        };
        json!({"line": line, "character": character})
    }

    /// The range of bytes `start..end`.
    pub fn range(&self, start: usize, end: usize, encoding: Encoding) -> Value {
        json!({"start": self.position(start, encoding), "end": self.position(end, encoding)})
    }
}

/// The largest char boundary at or below `offset`.
fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_or_bytes() {
        let doc = Document::new("a = \"é😀\"; import x\nb\n".to_string(), 1);
        let at = doc.text.find("import").unwrap();
        assert_eq!(
            doc.position(at, Encoding::Utf16),
            json!({"line": 0, "character": 11})
        );
        assert_eq!(
            doc.position(at, Encoding::Utf8),
            json!({"line": 0, "character": 14})
        );
        let b = doc.text.find('b').unwrap();
        assert_eq!(
            doc.position(b, Encoding::Utf16),
            json!({"line": 1, "character": 0})
        );
    }
}
