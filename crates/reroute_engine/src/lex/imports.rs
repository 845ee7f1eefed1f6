//! Import statements read from the token stream: `import a.b as c, d` and
//! `from ..a import (x as y, z)` / `*`, at any depth (after a line end, a `;` or a
//! compound statement's `:`), with the token range each covers. An `import` keyword that
//! is not part of such a statement makes the reading unsure.

use std::ops::Range;

use super::tokens::{Kind, Token};

/// One name of an import statement: its dotted path as written (one segment for a
/// from-import's name) and its alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexName<'a> {
    pub path: Vec<&'a [u8]>,
    pub alias: Option<&'a [u8]>,
}

impl<'a> LexName<'a> {
    /// The name this binds in the file: the alias, else the first segment.
    pub fn local(&self) -> &'a [u8] {
        self.alias.unwrap_or(self.path[0])
    }
}

/// What kind of import statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexKind<'a> {
    /// `import a.b [as c], …`
    Plain,
    /// `from <dots><module> import names` (`star` for `import *`).
    From {
        dots: usize,
        module: Vec<&'a [u8]>,
        star: bool,
    },
}

/// One import statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexImport<'a> {
    /// Token indices: from the `import`/`from` keyword to one past its last token.
    pub tokens: Range<usize>,
    pub kind: LexKind<'a>,
    pub names: Vec<LexName<'a>>,
}

/// The import statements of a token stream, in order; `None` when an `import` keyword
/// stands where no import statement reads.
pub fn read_imports<'a>(bytes: &'a [u8], tokens: &[Token]) -> Option<Vec<LexImport<'a>>> {
    let mut imports = Vec::new();
    let mut reader = Reader {
        bytes,
        tokens,
        at: 0,
    };
    let mut covered_until = 0;
    for index in 0..tokens.len() {
        let token = tokens[index];
        if token.kind != Kind::Name || index < covered_until {
            continue;
        }
        let word = &bytes[token.range()];
        if word != b"import" && word != b"from" {
            continue;
        }
        if !starts_statement(tokens, index) {
            if word == b"import" {
                return None;
            }
            continue;
        }
        reader.at = index + 1;
        let statement = if word == b"import" {
            reader.plain()
        } else {
            reader.from()
        }?;
        covered_until = reader.at;
        imports.push(LexImport {
            tokens: index..reader.at,
            kind: statement.0,
            names: statement.1,
        });
    }
    Some(imports)
}

/// True when token `index` starts a statement: first of the file or of a logical line, or
/// after `;` or a `:` (a compound statement's body on the same line).
pub fn starts_statement(tokens: &[Token], index: usize) -> bool {
    tokens[..index]
        .iter()
        .rev()
        .find(|t| t.kind != Kind::Comment)
        .is_none_or(|t| matches!(t.kind, Kind::Newline | Kind::Semi | Kind::Colon))
}

struct Reader<'a, 't> {
    bytes: &'a [u8],
    tokens: &'t [Token],
    at: usize,
}

type Statement<'a> = (LexKind<'a>, Vec<LexName<'a>>);

impl<'a> Reader<'a, '_> {
    /// The next token that is not a comment (without taking it).
    fn peek(&mut self) -> Option<Token> {
        while self.tokens.get(self.at)?.kind == Kind::Comment {
            self.at += 1;
        }
        self.tokens.get(self.at).copied()
    }

    fn take(&mut self, kind: Kind) -> Option<Token> {
        let token = self.peek().filter(|t| t.kind == kind)?;
        self.at += 1;
        Some(token)
    }

    fn take_word(&mut self, word: &[u8]) -> bool {
        let is_it = self
            .peek()
            .is_some_and(|t| t.kind == Kind::Name && &self.bytes[t.range()] == word);
        if is_it {
            self.at += 1;
        }
        is_it
    }

    fn name(&mut self) -> Option<&'a [u8]> {
        let token = self.take(Kind::Name)?;
        let word = &self.bytes[token.range()];
        (word != b"import" && word != b"as").then_some(word)
    }

    fn dotted(&mut self) -> Option<Vec<&'a [u8]>> {
        let mut path = vec![self.name()?];
        while self.take(Kind::Dot).is_some() {
            path.push(self.name()?);
        }
        Some(path)
    }

    fn alias(&mut self) -> Option<Option<&'a [u8]>> {
        if self.take_word(b"as") {
            return self.name().map(Some);
        }
        Some(None)
    }

    /// The statement ends here: a line end, a `;` or the end of the file.
    fn at_end(&mut self) -> bool {
        self.peek()
            .is_none_or(|t| matches!(t.kind, Kind::Newline | Kind::Semi))
    }

    fn plain(&mut self) -> Option<Statement<'a>> {
        let mut names = Vec::new();
        loop {
            let path = self.dotted()?;
            let alias = self.alias()?;
            names.push(LexName { path, alias });
            if self.take(Kind::Comma).is_none() {
                break;
            }
        }
        self.at_end().then_some((LexKind::Plain, names))
    }

    fn from(&mut self) -> Option<Statement<'a>> {
        let mut dots = 0;
        while self.take(Kind::Dot).is_some() {
            dots += 1;
        }
        let module = if self
            .peek()
            .is_some_and(|t| t.kind == Kind::Name && &self.bytes[t.range()] != b"import")
        {
            self.dotted()?
        } else if dots > 0 {
            Vec::new()
        } else {
            return None;
        };
        if !self.take_word(b"import") {
            return None;
        }
        if self.take(Kind::Star).is_some() {
            let kind = LexKind::From {
                dots,
                module,
                star: true,
            };
            return self.at_end().then_some((kind, Vec::new()));
        }
        let parenthesized = self.take(Kind::Open).is_some();
        let mut names = Vec::new();
        loop {
            if parenthesized && self.take(Kind::Close).is_some() {
                break;
            }
            let name = self.name()?;
            let alias = self.alias()?;
            names.push(LexName {
                path: vec![name],
                alias,
            });
            if self.take(Kind::Comma).is_none() {
                if parenthesized {
                    self.take(Kind::Close)?;
                }
                break;
            }
        }
        if names.is_empty() {
            return None;
        }
        let kind = LexKind::From {
            dots,
            module,
            star: false,
        };
        self.at_end().then_some((kind, names))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokens::tokenize;

    fn read(source: &str) -> Option<Vec<LexImport<'_>>> {
        let tokens = tokenize(source.as_bytes());
        read_imports(source.as_bytes(), &tokens)
    }

    #[test]
    fn every_form_at_any_depth() {
        let source = "import a.b as c, d\nif x: from ..p.q import (X as Y,  # c\n  Z,)\n\
                      def f():\n    from . import *; import e\nraise E from err\n";
        let imports = read(source).expect("reads");
        let shapes: Vec<(String, Vec<String>)> = imports
            .iter()
            .map(|i| {
                let kind = match &i.kind {
                    LexKind::Plain => "plain".to_string(),
                    LexKind::From { dots, module, star } => format!(
                        "from {dots} {} {star}",
                        module
                            .iter()
                            .map(|s| String::from_utf8_lossy(s))
                            .collect::<Vec<_>>()
                            .join(".")
                    ),
                };
                let names = i
                    .names
                    .iter()
                    .map(|n| String::from_utf8_lossy(n.local()).into_owned())
                    .collect();
                (kind, names)
            })
            .collect();
        assert_eq!(
            shapes,
            [
                ("plain".to_string(), vec!["c".to_string(), "d".to_string()]),
                ("from 2 p.q false".to_string(), vec!["Y".into(), "Z".into()]),
                ("from 1  true".to_string(), vec![]),
                ("plain".to_string(), vec!["e".into()]),
            ]
        );
    }

    #[test]
    fn a_stray_import_keyword_is_unsure() {
        assert!(read("x = import\n").is_none());
        assert!(read("from a import\n").is_none());
        assert!(read("from a import (b\n").is_none());
        assert!(read("from a import b c\n").is_none());
    }
}
