//! Simple statements found by tokenizing from the top of a file, the way CPython's
//! tokenizer sees them, without a parse tree: strings (any prefix, single or triple
//! quoted), comments, brackets, backslash continuations, `;`, and line ends (`\n`, `\r\n`
//! or a lone `\r`). Used where tree-sitter gave up (inside ERROR regions) to find import
//! statements that stand on their own.

use std::ops::Range;

/// The byte range of every simple statement that starts a logical line or follows a `;`
/// outside brackets, in order: from its first token to its end (before the `;`, the
/// comment or the line end that closes it). Blank and comment-only lines give none.
pub fn simple_statements(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut statements = Vec::new();
    let mut lexer = Lexer { bytes, at: 0 };
    let mut depth = 0usize;
    let mut start: Option<usize> = None;
    // End of the last token of the current statement.
    let mut end = 0;
    while let Some(&byte) = bytes.get(lexer.at) {
        match byte {
            b' ' | b'\t' | b'\x0c' => lexer.at += 1,
            b'#' => lexer.skip_comment(),
            b'\\' if lexer.is_line_end(lexer.at + 1) => {
                lexer.at += 1;
                lexer.skip_line_end();
            }
            b'\n' | b'\r' => {
                lexer.skip_line_end();
                if depth == 0 {
                    statements.extend(start.take().map(|s| s..end));
                }
            }
            b';' if depth == 0 => {
                statements.extend(start.take().map(|s| s..end));
                lexer.at += 1;
            }
            _ => {
                start.get_or_insert(lexer.at);
                match byte {
                    b'(' | b'[' | b'{' => {
                        depth += 1;
                        lexer.at += 1;
                    }
                    b')' | b']' | b'}' => {
                        depth = depth.saturating_sub(1);
                        lexer.at += 1;
                    }
                    _ => {
                        if !lexer.skip_string() {
                            lexer.skip_word();
                        }
                    }
                }
                end = lexer.at;
            }
        }
    }
    statements.extend(start.map(|s| s..end));
    statements
}

struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Lexer<'_> {
    fn is_line_end(&self, at: usize) -> bool {
        matches!(self.bytes.get(at), Some(b'\n' | b'\r'))
    }

    fn skip_line_end(&mut self) {
        if self.bytes.get(self.at) == Some(&b'\r') && self.bytes.get(self.at + 1) == Some(&b'\n') {
            self.at += 2;
        } else if self.is_line_end(self.at) {
            self.at += 1;
        }
    }

    fn skip_comment(&mut self) {
        while self.at < self.bytes.len() && !self.is_line_end(self.at) {
            self.at += 1;
        }
    }

    /// One identifier, number or operator byte run (anything that is not a string,
    /// bracket, space or line end).
    fn skip_word(&mut self) {
        let first = self.bytes[self.at];
        self.at += 1;
        if first.is_ascii_alphanumeric() || first == b'_' || first >= 0x80 {
            while let Some(&b) = self.bytes.get(self.at) {
                if !(b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80) {
                    break;
                }
                self.at += 1;
            }
        }
    }

    /// Skips a string literal (with its prefix) starting here; false when none does.
    fn skip_string(&mut self) -> bool {
        let prefix_len = self.bytes[self.at..]
            .iter()
            .take(3)
            .take_while(|b| matches!(b.to_ascii_lowercase(), b'r' | b'b' | b'u' | b'f' | b't'))
            .count();
        let quote_at = self.at + prefix_len;
        let Some(&quote) = self
            .bytes
            .get(quote_at)
            .filter(|q| matches!(q, b'"' | b'\''))
        else {
            return false;
        };
        if prefix_len > 0 && self.at > 0 {
            let before = self.bytes[self.at - 1];
            if before.is_ascii_alphanumeric() || before == b'_' {
                return false;
            }
        }
        let triple = self.bytes.get(quote_at..quote_at + 3) == Some(&[quote; 3][..]);
        let mut at = quote_at + if triple { 3 } else { 1 };
        while at < self.bytes.len() {
            match self.bytes[at] {
                b'\\' => at += 2,
                b if b == quote && !triple => {
                    self.at = at + 1;
                    return true;
                }
                b if b == quote && self.bytes.get(at..at + 3) == Some(&[quote; 3][..]) => {
                    self.at = at + 3;
                    return true;
                }
                // An unterminated single-quoted string ends at its line (CPython reports
                // it there).
                b'\n' | b'\r' if !triple => {
                    self.at = at;
                    return true;
                }
                _ => at += 1,
            }
        }
        self.at = self.bytes.len();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> Vec<&str> {
        simple_statements(source.as_bytes())
            .into_iter()
            .map(|r| &source[r])
            .collect()
    }

    #[test]
    fn statements_as_the_tokenizer_sees_them() {
        let source = "import a  # c\nfrom b import (\n    X,  # why\n    Y)\nx = 1; import c\n\
                      s = '''import d\n'''\nif x:\n    from e import f \\\n        as g\r# z\rt = \"unterminated\n";
        assert_eq!(
            texts(source),
            [
                "import a",
                "from b import (\n    X,  # why\n    Y)",
                "x = 1",
                "import c",
                "s = '''import d\n'''",
                "if x:",
                "from e import f \\\n        as g",
                "t = \"unterminated",
            ]
        );
    }
}
