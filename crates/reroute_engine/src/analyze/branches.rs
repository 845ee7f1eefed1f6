//! Branches guarded by `sys.version_info`: imports and uses there are left as they are
//! (the old path may be right for the Pythons the branch serves).

use tree_sitter::Node;

use super::input::FileInput;

/// The parts of the file guarded by `sys.version_info`: every branch of an `if` (or from
/// an `elif` on) whose condition reads it, without the condition itself.
#[derive(Debug, Default)]
pub struct VersionBranches {
    regions: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
}

impl VersionBranches {
    /// Records the guarded parts of `if_statement` (called once per `if` by the collector).
    pub fn add_if(&mut self, input: &FileInput<'_>, if_statement: Node<'_>) {
        let end = if_statement.end_byte();
        let mut cursor = if_statement.walk();
        let clauses = std::iter::once(if_statement).chain(
            if_statement
                .children(&mut cursor)
                .filter(|c| c.kind() == "elif_clause"),
        );
        for clause in clauses {
            if let Some(condition) = clause.child_by_field_name("condition")
                && crate::scan::contains(input.text(condition), b"version_info")
            {
                self.regions
                    .push((clause.start_byte()..end, condition.byte_range()));
                break;
            }
        }
    }

    /// True when `node` sits in a guarded branch: the old path may be the right one for
    /// the Pythons it serves.
    pub fn contains(&self, node: Node<'_>) -> bool {
        let at = node.start_byte();
        self.regions
            .iter()
            .any(|(region, condition)| region.contains(&at) && !condition.contains(&at))
    }
}
