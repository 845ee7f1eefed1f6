//! Simple statements found by tokenizing from the top of a file (`lex::tokens`, the
//! tokenizer stage 2 uses), without a parse tree. Used where tree-sitter gave up (inside
//! ERROR regions) to find import statements that stand on their own.

use std::ops::Range;

use crate::lex::tokens::{Kind, tokenize};

/// The byte range of every simple statement that starts a logical line or follows a `;`
/// outside brackets, in order: from its first token to its end (before the `;`, the
/// comment or the line end that closes it). Blank and comment-only lines give none.
pub fn simple_statements(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut statements = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<Range<usize>> = None;
    for token in tokenize(bytes) {
        match token.kind {
            Kind::Comment => {}
            Kind::Newline => statements.extend(current.take()),
            Kind::Semi if depth == 0 => statements.extend(current.take()),
            kind => {
                match kind {
                    Kind::Open => depth += 1,
                    Kind::Close => depth = depth.saturating_sub(1),
                    _ => {}
                }
                let statement = current.get_or_insert(token.start()..token.end());
                statement.end = token.end();
            }
        }
    }
    statements.extend(current);
    statements
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
