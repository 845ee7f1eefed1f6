//! `check --unresolved-imports`: every import of a first-party module or name that does not
//! exist is a finding (`unresolved-import`, no codemod), whatever the codemods say. Inside a
//! `try` whose handler catches `ImportError` it is a note (`guarded-import`). Imports that
//! a loaded move covers are left to that move's finding. Reads the file's tree and asks the
//! [`ProjectModel`]; never rewrites.

mod collect;

use std::path::Path;

use crate::layout::Layout;
use crate::plan::suppress::Suppressions;
use crate::plan::{Finding, Fix, Note, Reason, Site, TargetKind, UNRESOLVED_IMPORT};
use crate::project::{Missing, ProjectModel, Resolved};
use crate::ruleset::RuleSet;
use crate::source::LineIndex;
use crate::spec::DottedPath;

use collect::{Wanted, What};

/// The unresolved imports of `bytes`, the source of the file at `absolute`.
pub fn find(
    absolute: &Path,
    bytes: &[u8],
    layout: &dyn Layout,
    project: &ProjectModel,
    rules: &RuleSet,
) -> Vec<Finding> {
    if memchr::memmem::find(bytes, b"import").is_none() {
        return Vec::new();
    }
    let keep = |comment: &[u8]| memchr::memmem::find(comment, b"reroute:").is_some();
    let Some(tree) = crate::parse::parse_skipping(bytes, &keep) else {
        return Vec::new();
    };
    let location = layout.locate(absolute);
    let wanted = collect::imports(bytes, tree.root_node(), location.as_ref());
    if wanted.is_empty() {
        return Vec::new();
    }
    let suppressions = Suppressions::from_comments(comments(bytes, tree.root_node()));
    let lines = LineIndex::new(bytes);
    let covered = |path: &DottedPath| rules.resolve(path).is_some();
    let mut findings = Vec::new();
    for import in &wanted {
        for (offset, missing) in missing_of(import, layout, project) {
            if covered(&missing.path()) {
                continue;
            }
            let fix = if suppressions.is_suppressed_code(import.rows.clone(), UNRESOLVED_IMPORT) {
                Fix::Suppressed
            } else if import.guarded {
                Fix::Note(Note::GuardedImport(missing.clone()))
            } else {
                Fix::Manual(Reason::UnresolvedImport(missing.clone()))
            };
            let (line, column) = lines.line_col(bytes, offset);
            findings.push(Finding {
                offset,
                line,
                column,
                rule: None,
                old: missing.path(),
                new: None,
                site: if import.call {
                    Site::Target(TargetKind::ImportModule)
                } else {
                    Site::Import
                },
                fix,
            });
        }
    }
    findings
}

/// What one import lacks, with where each finding points: the module once when it is
/// missing, else each name the module does not provide.
fn missing_of(
    import: &Wanted,
    layout: &dyn Layout,
    project: &ProjectModel,
) -> Vec<(usize, Missing)> {
    match &import.what {
        What::Module(module) => match project.resolve_module(layout, module) {
            Resolved::Missing(missing) => vec![(import.offset, missing)],
            _ => Vec::new(),
        },
        What::Names(module, names) => match project.resolve_module(layout, module) {
            Resolved::Missing(missing) => vec![(import.offset, missing)],
            Resolved::Unknown => Vec::new(),
            Resolved::Exists => names
                .iter()
                .filter_map(
                    |(offset, name)| match project.resolve_name(layout, module, name) {
                        Resolved::Missing(missing) => Some((*offset, missing)),
                        _ => None,
                    },
                )
                .collect(),
        },
    }
}

/// Every comment of the tree: its row and text.
fn comments<'b>(bytes: &'b [u8], root: tree_sitter::Node<'_>) -> Vec<(usize, &'b [u8])> {
    let mut found = Vec::new();
    crate::parse::walk(root, |node| {
        if node.kind() == "comment" {
            found.push((node.start_position().row, &bytes[node.byte_range()]));
            return false;
        }
        true
    });
    found
}

#[cfg(test)]
mod tests;
