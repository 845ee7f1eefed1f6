//! A long codemod read in pieces. The `toml` crate holds a whole document as a tree of
//! spanned values (about 2 KB per `[[move]]`) before it fills the codemod's shapes: a
//! codemod of 500,000 moves took 1 GB there, and the cost of touching that memory grew
//! faster than the file. A document whose only tables are the array tables
//! `[[move]]`, `[[remove]]` and `[[example]]` means the same when cut before any of their
//! headers and read piece by piece (each header appends one table; top-level keys all come
//! before the first header), so such a document is cut every `TABLES_PER_PIECE` headers.
//! Any other header, a top-level key that is not a plain name other than those three
//! (`example = []` before a later `[[example]]` is an error only the whole document shows),
//! or a bracket that does not close, and the document is read whole. A piece that fails is
//! not reported: the whole document is read again, so errors and their order are `toml`'s
//! own.

use std::ops::Range;
use toml::Spanned;
use toml_parser::lexer::TokenKind;

use super::raw::{RawExample, RawMove, RawRemove, RawSpec};

/// Documents shorter than this are read whole.
const PIECEWISE_BYTES: usize = 1 << 20;

/// Array tables per piece.
const TABLES_PER_PIECE: usize = 2048;

/// The array tables a piece may start with.
const ARRAY_TABLES: [&str; 3] = ["move", "remove", "example"];

/// Reads `text` as a codemod's raw shape: piece by piece when it is long and its headers
/// allow it, else whole. The error is `toml`'s, with its span in `text`.
pub(super) fn parse(text: &str) -> Result<RawSpec, (toml::de::Error, Range<usize>)> {
    let whole = || {
        toml::from_str(text).map_err(|error| {
            let span = error.span().unwrap_or(0..0);
            (error, span)
        })
    };
    if text.len() < PIECEWISE_BYTES {
        return whole();
    }
    match piece_starts(text, TABLES_PER_PIECE) {
        Some(starts) => parse_pieces(text, &starts).or_else(|_| whole()),
        None => whole(),
    }
}

/// Reads the pieces of `text` that begin at `starts` (the first at 0) and joins them.
fn parse_pieces(text: &str, starts: &[usize]) -> Result<RawSpec, (toml::de::Error, Range<usize>)> {
    let mut whole: Option<RawSpec> = None;
    for (at, &start) in starts.iter().enumerate() {
        let end = starts.get(at + 1).copied().unwrap_or(text.len());
        let piece: RawSpec = toml::from_str(&text[start..end]).map_err(|error| {
            let span = error.span().unwrap_or(0..0);
            (error, start + span.start..start + span.end)
        })?;
        match &mut whole {
            None => whole = Some(piece),
            Some(whole) => {
                // Top-level keys stand before the first header: in the first piece only.
                let shift = |s| shift_span(s, start);
                whole
                    .moves
                    .extend(piece.moves.into_iter().map(|m| shift_move(m, start)));
                whole
                    .removes
                    .extend(piece.removes.into_iter().map(|r| shift_remove(r, start)));
                whole
                    .examples
                    .extend(piece.examples.into_iter().map(|e| RawExample {
                        before: shift(e.before),
                        ..e
                    }));
            }
        }
    }
    Ok(whole.expect("at least one piece"))
}

fn shift_span<T>(value: Spanned<T>, by: usize) -> Spanned<T> {
    let span = value.span();
    Spanned::new(span.start + by..span.end + by, value.into_inner())
}

fn shift_move(raw: RawMove, by: usize) -> RawMove {
    RawMove {
        from: shift_span(raw.from, by),
        to: shift_span(raw.to, by),
        requires: raw.requires.map(|r| shift_span(r, by)),
        ..raw
    }
}

fn shift_remove(raw: RawRemove, by: usize) -> RawRemove {
    RawRemove {
        from: shift_span(raw.from, by),
        message: shift_span(raw.message, by),
        replace: raw.replace.map(|r| shift_span(r, by)),
        requires: raw.requires.map(|r| shift_span(r, by)),
    }
}

/// Where to cut `text`: 0, then the start of every `per_piece`-th array table header after
/// the first. `None` when a header is not one of `ARRAY_TABLES` (a table of another name
/// could be defined twice across two pieces, which the whole document rejects), or when a
/// bracket does not close (the whole document says where).
fn piece_starts(text: &str, per_piece: usize) -> Option<Vec<usize>> {
    let mut tokens = toml_parser::Source::new(text).lex();
    let mut starts = vec![0];
    let mut depth = 0usize;
    let mut line_start = true;
    let mut headers = 0usize;
    while let Some(token) = tokens.next() {
        match token.kind() {
            TokenKind::Newline => line_start = true,
            TokenKind::Whitespace | TokenKind::Comment => {}
            // A top-level key: a plain name, not one an array table of the pieces uses.
            kind if depth == 0
                && line_start
                && headers == 0
                && kind != TokenKind::LeftSquareBracket =>
            {
                let name = &text[token.span().start()..token.span().end()];
                if token.kind() != TokenKind::Atom || ARRAY_TABLES.contains(&name) {
                    return None;
                }
                line_start = false;
            }
            TokenKind::LeftSquareBracket if depth == 0 && line_start => {
                // A header: `[[`, a name, `]]`, with whitespace around the name.
                let mut next = || tokens.find(|t| t.kind() != TokenKind::Whitespace);
                let (open2, name, close1, close2) = (next()?, next()?, next()?, next()?);
                let is_array_table = open2.kind() == TokenKind::LeftSquareBracket
                    && open2.span().start() == token.span().end()
                    && name.kind() == TokenKind::Atom
                    && ARRAY_TABLES.contains(&&text[name.span().start()..name.span().end()])
                    && close1.kind() == TokenKind::RightSquareBracket
                    && close2.kind() == TokenKind::RightSquareBracket
                    && close2.span().start() == close1.span().end();
                if !is_array_table {
                    return None;
                }
                if headers > 0 && headers.is_multiple_of(per_piece) {
                    starts.push(token.span().start());
                }
                headers += 1;
                line_start = false;
            }
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => {
                depth += 1;
                line_start = false;
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.checked_sub(1)?;
                line_start = false;
            }
            _ => line_start = false,
        }
    }
    (depth == 0).then_some(starts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(moves: usize) -> String {
        let mut text = String::from("description = \"d\"\nexclude = [\"a/*\"]\n");
        for i in 0..moves {
            text += &format!(
                "[[move]]\nfrom = \"p{i}.old\"  # [[x]]\nto = '''\n[[move]]'''\nrequires = \"numpy>=2\"\n\
                 [[ remove ]]\nfrom = [\"r{i}.gone\", \"r{i}.also\"]\nmessage = \"m{i}\"\n\
                 [[ example ]]\nbefore = \"\"\"\n[[move]]\n\"\"\"\n"
            );
        }
        text
    }

    #[test]
    fn pieces_read_like_the_whole() {
        let text = spec(10);
        let starts = piece_starts(&text, 4).unwrap();
        // 30 headers, a cut before every 4th after the first; none inside a string.
        assert_eq!(starts.len(), 8);
        assert!(starts[1..].iter().all(|&s| text[s..].starts_with("[[")));
        let whole: RawSpec = toml::from_str(&text).unwrap();
        let pieces = parse_pieces(&text, &starts).unwrap();
        assert_eq!(format!("{whole:?}"), format!("{pieces:?}"));
        assert_eq!(pieces.moves.len(), 10);
        assert_eq!(pieces.removes.len(), 10);
        assert_eq!(pieces.examples.len(), 10);
    }

    #[test]
    fn other_tables_and_open_brackets_read_whole() {
        assert_eq!(piece_starts("[[move]]\na = 1\n[tool]\nb = 2\n", 1), None);
        assert_eq!(
            piece_starts("[[move]]\na = 1\n[[move.sub]]\nb = 2\n", 1),
            None
        );
        assert_eq!(piece_starts("[[move]]\na = [1,\n", 1), None);
        // A top-level key named like one of the array tables, or quoted: whole.
        for key in ["example = []", "move.x = 1", "\"remove\" = 1"] {
            let text = format!("{key}\n[[move]]\nfrom = \"a\"\n[[example]]\nbefore = \"x\"\n");
            assert_eq!(piece_starts(&text, 1), None, "{key}");
        }
        assert_eq!(
            piece_starts("description = \"d\"\n[[move]]\na = 1\n[[move]]\n", 1),
            Some(vec![0, 33])
        );
        // A header inside a multi-line array value is not a header.
        let text = "[[move]]\na = [\n[1],\n]\n[[move]]\nb = 2\n";
        assert_eq!(piece_starts(text, 1), Some(vec![0, 22]));
        assert_eq!(&text[22..30], "[[move]]");
    }

    #[test]
    fn a_long_document_with_errors_reports_what_the_whole_one_does() {
        // A type error in the first piece, a syntax error in a later one: `toml` reads the
        // whole document before it fills any shape, so the syntax error is the one told.
        let mut text = String::from("[[move]]\nfrom = \"a\"\nto = 1\n");
        let mut i = 0;
        while text.len() < PIECEWISE_BYTES + 1000 {
            text +=
                &format!("[[move]]\nfrom = \"p{i}.old\"\nto = \"p{i}.new\"  # padding padding\n");
            i += 1;
        }
        text += "[[move]]\nfrom = \"open\nto = \"b\"\n";
        let whole = toml::from_str::<RawSpec>(&text).unwrap_err();
        let (error, span) = parse(&text).unwrap_err();
        assert_eq!(Some(span.clone()), whole.span());
        assert_eq!(error.message(), whole.message());
        assert!(span.start > PIECEWISE_BYTES, "{span:?}");
        // Without errors, the pieces hold every move.
        let text = text
            .replace("to = 1", "to = \"b\"")
            .replace("\"open\n", "\"open\"\n");
        assert_eq!(parse(&text).unwrap().moves.len(), i + 2);
    }

    #[test]
    fn errors_point_into_the_whole_text() {
        let text = "[[move]]\nfrom = \"a\"\nto = \"b\"\n[[move]]\nfrom = \"c\"\nto = \n";
        let starts = piece_starts(text, 1).unwrap();
        let (_, span) = parse_pieces(text, &starts).unwrap_err();
        let whole_span = toml::from_str::<RawSpec>(text).unwrap_err().span().unwrap();
        assert_eq!(span, whole_span);
    }
}
