//! A small Python tokenizer over raw bytes: names, dots, brackets, the separators the
//! import reader needs, strings (any prefix, single or triple quoted, f-string replacement
//! fields with nested strings of any quote), comments and logical line ends, the way
//! CPython's tokenizer splits them. A line ends at `\n`, `\r\n` or a lone `\r`; a
//! backslash before a line end continues the line; inside brackets line ends are not
//! tokens. Anything it cannot be sure of (an unterminated string, an unbalanced bracket, a
//! non-ASCII name, which CPython NFKC-normalises) is recorded in `unsure`: the callers then
//! fall back to the parse tree.

use std::ops::Range;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or keyword.
    Name,
    Dot,
    /// `(`, `[` or `{`.
    Open,
    /// `)`, `]` or `}`.
    Close,
    Semi,
    /// `:` (not `:=`).
    Colon,
    Comma,
    /// A lone `*` (not `**`, `*=`).
    Star,
    /// A number, an operator or any other byte.
    Other,
    /// A string literal with its prefix and quotes.
    Str,
    Comment,
    /// The end of a logical line (outside brackets, after at least one token).
    Newline,
}

/// One token: its kind and byte range in the file (12 bytes: a file of 4 GiB or more is
/// not tokenized, `tokenize_into`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    start: u32,
    end: u32,
}

impl Token {
    pub fn range(&self) -> Range<usize> {
        self.start()..self.end()
    }

    /// Where the token starts.
    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// Where the token ends (one past its last byte).
    pub fn end(&self) -> usize {
        self.end as usize
    }
}

/// Why the token stream may not be what CPython (or tree-sitter) would see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsure {
    /// A string that does not end (where it starts).
    UnterminatedString(usize),
    /// A closing bracket with none open, or brackets still open at the end.
    Brackets(usize),
    /// A name with non-ASCII characters (NFKC may make it another name).
    NonAsciiName(usize),
}

/// The tokens of `bytes`, in order (what the tokenizer was unsure of is not said).
pub fn tokenize(bytes: &[u8]) -> Vec<Token> {
    let mut list = Vec::new();
    tokenize_into(bytes, &mut list);
    list
}

/// Tokenizes `bytes` into `list` (cleared first, so one buffer serves many files);
/// returns the first thing the tokenizer was unsure of.
pub fn tokenize_into(bytes: &[u8], list: &mut Vec<Token>) -> Option<Unsure> {
    list.clear();
    if u32::try_from(bytes.len()).is_err() {
        return Some(Unsure::Brackets(0));
    }
    let mut lexer = Lexer {
        bytes,
        at: 0,
        depth: 0,
        list: std::mem::take(list),
        unsure: None,
        line_has_token: false,
    };
    lexer.run();
    if lexer.depth > 0 {
        lexer.note(Unsure::Brackets(bytes.len()));
    }
    *list = lexer.list;
    lexer.unsure
}

/// Bytes that may be part of a name: ASCII letters, digits, `_`, and every byte of a
/// non-ASCII character.
const IDENT: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
        byte += 1;
    }
    table
};

fn is_ident_byte(byte: u8) -> bool {
    IDENT[byte as usize]
}

struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
    list: Vec<Token>,
    unsure: Option<Unsure>,
    /// A token other than a comment since the last logical line end.
    line_has_token: bool,
}

impl Lexer<'_> {
    fn note(&mut self, unsure: Unsure) {
        self.unsure.get_or_insert(unsure);
    }

    fn push(&mut self, kind: Kind, start: usize, end: usize) {
        self.list.push(Token {
            kind,
            start: start as u32,
            end: end as u32,
        });
        if kind != Kind::Comment {
            self.line_has_token = true;
        }
        self.at = end;
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    /// The length of the line end at `at` (0 when there is none).
    fn line_end_len(&self, at: usize) -> usize {
        match self.byte(at) {
            Some(b'\r') if self.byte(at + 1) == Some(b'\n') => 2,
            Some(b'\n' | b'\r') => 1,
            _ => 0,
        }
    }

    fn run(&mut self) {
        while let Some(byte) = self.byte(self.at) {
            let start = self.at;
            match byte {
                b' ' | b'\t' | b'\x0c' => {
                    // Indentation comes in runs.
                    self.at += 1;
                    while matches!(self.byte(self.at), Some(b' ' | b'\t' | b'\x0c')) {
                        self.at += 1;
                    }
                }
                b'#' => {
                    let end = memchr::memchr2(b'\n', b'\r', &self.bytes[start..])
                        .map_or(self.bytes.len(), |p| start + p);
                    self.push(Kind::Comment, start, end);
                }
                b'\\' if self.line_end_len(start + 1) > 0 => {
                    self.at = start + 1 + self.line_end_len(start + 1);
                }
                b'\n' | b'\r' => {
                    let end = start + self.line_end_len(start);
                    if self.depth == 0 && self.line_has_token {
                        self.push(Kind::Newline, start, end);
                        self.line_has_token = false;
                    }
                    self.at = end;
                }
                b'(' | b'[' | b'{' => {
                    self.depth += 1;
                    self.push(Kind::Open, start, start + 1);
                }
                b')' | b']' | b'}' => {
                    if self.depth == 0 {
                        self.note(Unsure::Brackets(start));
                    }
                    self.depth = self.depth.saturating_sub(1);
                    self.push(Kind::Close, start, start + 1);
                }
                b'.' if !self.byte(start + 1).is_some_and(|b| b.is_ascii_digit()) => {
                    self.push(Kind::Dot, start, start + 1)
                }
                b';' => self.push(Kind::Semi, start, start + 1),
                b':' if self.byte(start + 1) != Some(b'=') => {
                    self.push(Kind::Colon, start, start + 1)
                }
                b',' => self.push(Kind::Comma, start, start + 1),
                b'*' if !matches!(self.byte(start + 1), Some(b'*' | b'=')) => {
                    self.push(Kind::Star, start, start + 1)
                }
                b'"' | b'\'' => self.string(start, start, false),
                b'0'..=b'9' | b'.' => {
                    let mut end = start + 1;
                    while self
                        .byte(end)
                        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
                    {
                        end += 1;
                    }
                    self.push(Kind::Other, start, end);
                }
                b if is_ident_byte(b) => self.word(start),
                _ => self.push(Kind::Other, start, start + 1),
            }
        }
    }

    /// A name, or the prefix of a string literal.
    fn word(&mut self, start: usize) {
        let end = self.bytes[start..]
            .iter()
            .position(|&b| !is_ident_byte(b))
            .map_or(self.bytes.len(), |p| start + p);
        let word = &self.bytes[start..end];
        let is_prefix = word.len() <= 3
            && word
                .iter()
                .all(|b| matches!(b.to_ascii_lowercase(), b'r' | b'b' | b'u' | b'f' | b't'));
        if is_prefix && matches!(self.byte(end), Some(b'"' | b'\'')) {
            let lower = word.to_ascii_lowercase();
            let formatted = lower.contains(&b'f') || lower.contains(&b't');
            self.string(start, end, formatted);
            return;
        }
        if !word.is_ascii() {
            self.note(Unsure::NonAsciiName(start));
        }
        self.push(Kind::Name, start, end);
    }

    /// A string literal whose quote is at `quote_at` (its prefix starts at `start`).
    fn string(&mut self, start: usize, quote_at: usize, formatted: bool) {
        let end = match scan_string(self.bytes, quote_at, formatted) {
            Ok(end) => end,
            Err(end) => {
                self.note(Unsure::UnterminatedString(start));
                end
            }
        };
        self.push(Kind::Str, start, end);
    }
}

/// The end of the string literal whose opening quote is at `quote_at`; `Err(end)` when it
/// does not end: a single-quoted one at its line end (where CPython reports it), a
/// triple-quoted one at the end of the file.
fn scan_string(bytes: &[u8], quote_at: usize, formatted: bool) -> Result<usize, usize> {
    let quote = bytes[quote_at];
    let triple = bytes.get(quote_at..quote_at + 3) == Some(&[quote; 3][..]);
    let mut at = quote_at + if triple { 3 } else { 1 };
    while let Some(&byte) = bytes.get(at) {
        if triple {
            // Long docstrings: jump to the next byte that can matter.
            let next = if formatted {
                memchr::memchr3(quote, b'\\', b'{', &bytes[at..])
            } else {
                memchr::memchr2(quote, b'\\', &bytes[at..])
            };
            match next {
                Some(skip) if skip > 0 => {
                    at += skip;
                    continue;
                }
                Some(_) => {}
                None => return Err(bytes.len()),
            }
        }
        match byte {
            // Raw strings too: a backslash keeps the next character (a quote or a line end)
            // inside the string.
            b'\\' => {
                at += if bytes.get(at + 1) == Some(&b'\r') && bytes.get(at + 2) == Some(&b'\n') {
                    3
                } else {
                    2
                };
            }
            b if b == quote && !triple => return Ok(at + 1),
            b if b == quote && bytes.get(at..at + 3) == Some(&[quote; 3][..]) => return Ok(at + 3),
            b'\n' | b'\r' if !triple => return Err(at),
            b'{' if formatted => {
                if bytes.get(at + 1) == Some(&b'{') {
                    at += 2;
                } else {
                    at = scan_field(bytes, at + 1, triple)?;
                }
            }
            _ => at += 1,
        }
    }
    Err(bytes.len())
}

/// The end of an f-string replacement field whose `{` is just before `at` (after its `}`):
/// brackets are counted and nested strings of any quote skipped (PEP 701). In a
/// single-quoted f-string a line end ends the string there, unterminated.
fn scan_field(bytes: &[u8], mut at: usize, triple: bool) -> Result<usize, usize> {
    let mut depth = 1usize;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\n' | b'\r' if !triple => return Err(at),
            // The format spec (`{x:'>10}`): text, where a quote is a character, and `{…}`
            // nests a field.
            b':' if depth == 1 => return scan_spec(bytes, at + 1, triple),
            b'(' | b'[' | b'{' => {
                depth += 1;
                at += 1;
            }
            b')' | b']' | b'}' => {
                depth -= 1;
                at += 1;
                if depth == 0 {
                    return Ok(at);
                }
            }
            b'"' | b'\'' => {
                let mut prefix = at;
                while prefix > 0 && bytes[prefix - 1].is_ascii_alphabetic() && at - prefix < 3 {
                    prefix -= 1;
                }
                let lower = bytes[prefix..at].to_ascii_lowercase();
                let formatted = lower.contains(&b'f') || lower.contains(&b't');
                at = scan_string(bytes, at, formatted)?;
            }
            _ => at += 1,
        }
    }
    Err(bytes.len())
}

/// The end of a replacement field from its format spec on (after its `}`).
fn scan_spec(bytes: &[u8], mut at: usize, triple: bool) -> Result<usize, usize> {
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\n' | b'\r' if !triple => return Err(at),
            b'{' => at = scan_field(bytes, at + 1, triple)?,
            b'}' => return Ok(at + 1),
            _ => at += 1,
        }
    }
    Err(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(Kind, &str)> {
        tokenize(source.as_bytes())
            .iter()
            .map(|t| (t.kind, &source[t.range()]))
            .collect()
    }

    #[test]
    fn names_strings_comments_and_line_ends() {
        use Kind::*;
        assert_eq!(
            kinds("from a.b import (X,  # c\n  Y)\rs = rb'x\\'y' f\"{d[\"k\"]}\"\\\n.z\n"),
            [
                (Name, "from"),
                (Name, "a"),
                (Dot, "."),
                (Name, "b"),
                (Name, "import"),
                (Open, "("),
                (Name, "X"),
                (Comma, ","),
                (Comment, "# c"),
                (Name, "Y"),
                (Close, ")"),
                (Newline, "\r"),
                (Name, "s"),
                (Other, "="),
                (Str, "rb'x\\'y'"),
                (Str, "f\"{d[\"k\"]}\""),
                (Dot, "."),
                (Name, "z"),
                (Newline, "\n"),
            ]
        );
        assert_eq!(unsure(b"x = 1\n"), None);
        // A quote in a format spec is a character, not a string (review finding).
        assert_eq!(
            kinds("s = f\"{x:'>10}\"; from . import old\n")[..4],
            [
                (Name, "s"),
                (Other, "="),
                (Str, "f\"{x:'>10}\""),
                (Semi, ";")
            ]
        );
    }

    fn unsure(bytes: &[u8]) -> Option<Unsure> {
        tokenize_into(bytes, &mut Vec::new())
    }

    #[test]
    fn what_it_is_unsure_of() {
        assert_eq!(
            unsure(b"s = '''open\nimport a.old\n"),
            Some(Unsure::UnterminatedString(4))
        );
        assert_eq!(
            unsure(b"s = 'x\nimport a\n"),
            Some(Unsure::UnterminatedString(4))
        );
        assert_eq!(unsure(b"f(\n"), Some(Unsure::Brackets(3)));
        assert_eq!(unsure(b")\n"), Some(Unsure::Brackets(0)));
        assert_eq!(
            unsure("import ｏｌｄ\n".as_bytes()),
            Some(Unsure::NonAsciiName(7))
        );
        assert_eq!(unsure("s = 'é'  # ü\n".as_bytes()), None);
    }
}
