//! `# reroute: ignore` and `# reroute: ignore[codemod, …]` comments.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use tree_sitter::Node;

use crate::analyze::FileInput;
use crate::spec::RuleId;

/// What one suppression comment switches off.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    All,
    /// Codemod names (`state-persistence`) or rule ids (`state-persistence/2`).
    Only(Vec<String>),
}

/// Suppression comments by 0-based line.
pub struct Suppressions {
    by_line: BTreeMap<usize, Scope>,
}

impl Suppressions {
    pub fn new(model: &FileInput<'_>, comments: &[Node<'_>]) -> Suppressions {
        let by_line = comments
            .iter()
            .filter_map(|comment| {
                let scope = parse_comment(model.text(*comment))?;
                Some((comment.start_position().row, scope))
            })
            .collect();
        Suppressions { by_line }
    }

    /// The suppression comments among `comments` (each a row and its text).
    pub fn from_comments<'b>(
        comments: impl IntoIterator<Item = (usize, &'b [u8])>,
    ) -> Suppressions {
        let by_line = comments
            .into_iter()
            .filter_map(|(row, text)| Some((row, parse_comment(text)?)))
            .collect();
        Suppressions { by_line }
    }

    /// True when a comment on one of `rows` suppresses the findings named `code` (no
    /// rule of a codemod: `unresolved-import`).
    pub fn is_suppressed_code(&self, rows: RangeInclusive<usize>, code: &str) -> bool {
        self.by_line.range(rows).any(|(_, scope)| match scope {
            Scope::All => true,
            Scope::Only(names) => names.iter().any(|name| name == code),
        })
    }

    /// True when a comment on one of `rows` suppresses `rule`.
    pub fn is_suppressed(&self, rows: RangeInclusive<usize>, rule: &RuleId) -> bool {
        self.by_line.range(rows).any(|(_, scope)| match scope {
            Scope::All => true,
            Scope::Only(names) => names
                .iter()
                .any(|name| **name == *rule.codemod || *name == rule.to_string()),
        })
    }
}

fn parse_comment(text: &[u8]) -> Option<Scope> {
    let at = text.windows(8).position(|w| w == b"reroute:")?;
    let rest = text[at + 8..].trim_ascii_start();
    let rest = rest.strip_prefix(b"ignore")?;
    match rest.first() {
        None => Some(Scope::All),
        Some(b'[') => {
            let end = rest.iter().position(|&b| b == b']')?;
            let names = String::from_utf8_lossy(&rest[1..end])
                .split(',')
                .map(|name| name.trim().to_string())
                .filter(|name| !name.is_empty())
                .collect();
            Some(Scope::Only(names))
        }
        Some(byte) if byte.is_ascii_whitespace() || *byte == b'#' => Some(Scope::All),
        Some(_) => None,
    }
}

/// How a target string `node` that a move with `strings = true` names is fixed: rewritten,
/// unless a suppression comment covers it or the new path cannot be written in the file's
/// encoding.
pub(super) fn rewrite_fix(
    model: &crate::analyze::FileModel<'_>,
    node: tree_sitter::Node<'_>,
    resolution: &crate::ruleset::Resolution,
    suppressions: &Suppressions,
) -> super::Fix {
    use super::{Fix, Reason};
    let rows = node.start_position().row..=node.end_position().row;
    if suppressions.is_suppressed(rows, resolution.rule()) {
        Fix::Suppressed
    } else if !model.is_utf8 && !resolution.target.to_string().is_ascii() {
        Fix::Manual(Reason::Encoding)
    } else {
        Fix::Rewritten
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scopes() {
        assert_eq!(parse_comment(b"# reroute: ignore"), Some(Scope::All));
        assert_eq!(
            parse_comment(b"# noqa  # reroute:ignore  compat"),
            Some(Scope::All)
        );
        assert_eq!(
            parse_comment(b"# reroute: ignore[a, b/2]"),
            Some(Scope::Only(vec!["a".into(), "b/2".into()]))
        );
        assert_eq!(parse_comment(b"# reroute: ignored"), None);
        assert_eq!(parse_comment(b"# ignore"), None);
    }
}
