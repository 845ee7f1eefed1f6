//! A codemod (spec) error shown with its TOML line and a caret under the column
//! (annotate-snippets), below the one-line `error:` message: what is wrong and where at
//! a glance. Errors without a place in a spec file show no snippet.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::config::SettingsError;
use reroute_engine::spec::{SpecError, SpecLocation};

/// The snippet (TOML line and a caret) for a start-up error caused by a codemod, to print
/// below its `error:` line; `None` for other errors.
pub fn error_snippet(error: &anyhow::Error) -> Option<String> {
    let color = crate::config::use_color(
        crate::render::ColorChoice::Auto,
        std::io::IsTerminal::is_terminal(&std::io::stderr()),
    );
    spec_error(error, color)
}

/// The snippet for a start-up error whose cause is a spec error with a location, read
/// from the spec file again; `None` for any other error or when the file cannot be read.
fn spec_error(error: &anyhow::Error, color: bool) -> Option<String> {
    let spec = error.chain().find_map(|cause| {
        cause
            .downcast_ref::<SpecError>()
            .or_else(|| match cause.downcast_ref::<SettingsError>() {
                Some(SettingsError::Spec(spec)) => Some(spec),
                _ => None,
            })
    })?;
    let (location, label, secondary) = match spec {
        SpecError::NotUtf8 { location } => (location, "this byte", None),
        SpecError::Syntax { location, .. } => (location, "here", None),
        SpecError::InvalidPath { location, .. } => (location, "not a dotted Python name", None),
        SpecError::SameFromTo { location, .. } => (location, "`to` is the same as `from`", None),
        SpecError::DuplicateFrom {
            location, first, ..
        } => (location, "moved a second time", Some(first)),
        SpecError::Loop { location, .. } => (location, "this move is part of the loop", None),
        SpecError::InvalidGlob { location, .. } => (location, "invalid glob", None),
        SpecError::InvalidValue { location, .. } => (location, "not valid here", None),
        SpecError::Read { .. } | SpecError::NoMoves { .. } => return None,
    };
    let bytes = std::fs::read(&location.file).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let primary = span(&text, location)?;
    let path = location.file.display().to_string();
    let mut snippet = Snippet::source(text.as_ref())
        .line_start(1)
        .path(path.as_str())
        .fold(true)
        .annotation(AnnotationKind::Primary.span(primary).label(label));
    let first = secondary
        .filter(|first| first.file == location.file)
        .and_then(|first| span(&text, first));
    if let Some(range) = first {
        snippet = snippet.annotation(
            AnnotationKind::Context
                .span(range)
                .label("first moved here"),
        );
    }
    let report: &[Group<'_>] = &[Group::with_level(Level::ERROR).element(snippet)];
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    Some(renderer.render(report))
}

/// The byte range of the character at a 1-based line and character column (the line end
/// when the column is past it).
fn span(text: &str, location: &SpecLocation) -> Option<std::ops::Range<usize>> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(location.line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let line = text
        .get(line_start..)?
        .split('\n')
        .next()
        .unwrap_or_default();
    let mut chars = line.char_indices().skip(location.column.saturating_sub(1));
    let start = chars.next().map_or(line.len(), |(offset, _)| offset);
    let end = chars
        .next()
        .map_or(line.len(), |(offset, _)| offset)
        .max(start);
    Some(line_start + start..line_start + end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> SpecLocation {
        SpecLocation {
            file: std::path::Path::new("m.toml").into(),
            line,
            column,
        }
    }

    #[test]
    fn spans_count_characters_from_the_line_start() {
        let text = "[[move]]\nfrom = \"é.x\"\nto = \"a..b\"\n";
        let shown = |line, column| span(text, &at(line, column)).map(|r| &text[r]);
        assert_eq!(shown(3, 6), Some("\""));
        assert_eq!(shown(3, 7), Some("a"));
        // After a two-byte character.
        assert_eq!(shown(2, 11), Some("x"));
        assert_eq!(shown(2, 9), Some("é"));
        // Past the end of the line: an empty span at its end.
        assert_eq!(shown(1, 40), Some(""));
    }
}
