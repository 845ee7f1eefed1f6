//! A file's own relative imports respelled when the file changes its package level but not
//! its module name: a module becoming its package's `__init__.py` (`pkg/mod.py` →
//! `pkg/mod/__init__.py`: every relative import gains a dot) or back (the package held only
//! `__init__.py`: `..x` loses a dot, `.x` becomes `.mod.x`). Edits come from the tree; the
//! result never parses with more errors than the file had.

use crate::edit::{Edit, apply_edits};
use crate::engine::EngineError;
use crate::parse;
use crate::spec::Identifier;

/// Which way the file moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Level {
    /// `pkg/mod.py` → `pkg/mod/__init__.py`.
    Deeper,
    /// `pkg/mod/__init__.py` → `pkg/mod.py`; `name` is the module's own name (`mod`).
    Shallower {
        /// The module's last segment.
        name: Identifier,
    },
}

/// `bytes` with every relative import outside a syntax error respelled for `level`; the
/// number of imports respelled.
pub fn respell_relative_imports(
    bytes: &[u8],
    level: &Level,
) -> Result<(Vec<u8>, usize), EngineError> {
    let tree = parse::parse(bytes).ok_or(EngineError::Parse)?;
    let before = parse::error_count(&tree);
    let mut edits = Vec::new();
    parse::walk(tree.root_node(), |node| {
        if node.is_error() {
            return false;
        }
        if node.kind() != "relative_import" {
            return true;
        }
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        let Some(prefix) = children.iter().find(|c| c.kind() == "import_prefix") else {
            return false;
        };
        let dots = bytes[prefix.byte_range()]
            .iter()
            .filter(|&&b| b == b'.')
            .count();
        let has_tail = children.iter().any(|c| c.kind() == "dotted_name");
        match level {
            Level::Deeper => edits.push(Edit::insert(prefix.start_byte(), ".")),
            Level::Shallower { .. } if dots >= 2 => {
                let first = prefix.start_byte();
                edits.push(Edit::delete(first..first + 1));
            }
            Level::Shallower { name } => {
                let text = if has_tail {
                    format!("{name}.")
                } else {
                    name.to_string()
                };
                edits.push(Edit::insert(prefix.end_byte(), text));
            }
        }
        false
    });
    let count = edits.len();
    let updated = apply_edits(bytes, &edits)?;
    let after = parse::parse(&updated).ok_or(EngineError::Parse)?;
    let errors = parse::error_count(&after);
    if errors > before {
        return Err(EngineError::IntroducedSyntaxErrors {
            before,
            after: errors,
            line: parse::first_error_line(&after).unwrap_or(0) + 1,
        });
    }
    Ok((updated, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_becoming_its_package_init_gains_a_dot_everywhere() {
        let source =
            b"from . import types\nfrom .util import f\n\ndef g():\n    from ..up import h\n";
        let (out, n) = respell_relative_imports(source, &Level::Deeper).unwrap();
        assert_eq!(n, 3);
        assert_eq!(
            out,
            b"from .. import types\nfrom ..util import f\n\ndef g():\n    from ...up import h\n"
        );
    }

    #[test]
    fn an_init_becoming_a_module_names_itself_where_one_dot_meant_it() {
        let name = Identifier::parse("mod").unwrap();
        let source = b"from . import sub\nfrom .x import y\nfrom .. import types\nimport os\n";
        let (out, n) = respell_relative_imports(source, &Level::Shallower { name }).unwrap();
        assert_eq!(n, 3);
        assert_eq!(
            out,
            b"from .mod import sub\nfrom .mod.x import y\nfrom . import types\nimport os\n"
        );
    }
}
