//! References inside code that does not parse. tree-sitter yields no import node there, so
//! the region's bytes are scanned for moved names; each hit is reported with its line and
//! never rewritten.

use super::collect::Collected;
use super::scan::{dotted_runs, from_import_names};
use super::{Findings, Fix, PlanInput, Reason, Site};
use crate::spec::Identifier;

pub fn scan_errors(input: &PlanInput<'_>, collected: &Collected<'_>, findings: &mut Findings<'_>) {
    for region in &collected.broken {
        let bytes = input.text(*region);
        let mut hits: Vec<(usize, crate::spec::DottedPath)> = Vec::new();
        for run in dotted_runs(bytes)
            .into_iter()
            .chain(from_import_names(bytes))
        {
            if hits.iter().any(|(offset, _)| *offset == run.offset) {
                continue;
            }
            if let Some(resolution) = input.resolve(&run.path) {
                let offset = region.start_byte() + run.offset;
                hits.push((run.offset, run.path.clone()));
                let fix = Fix::Manual(Reason::SyntaxError);
                findings.add(offset, &resolution, run.path, Site::SyntaxError, fix);
            }
        }
    }
    for stmt in &collected.relative_imports {
        report_relative(input, *stmt, findings);
    }
}

/// A relative import that reaches a moved name is reported: rewriting relative imports
/// needs the package root. The root is not known, so every suffix of the file's package is
/// tried as the absolute name; moved paths are specific enough that only the right one hits.
fn report_relative(
    input: &PlanInput<'_>,
    stmt: tree_sitter::Node<'_>,
    findings: &mut Findings<'_>,
) {
    let Some(package) = &input.package else {
        return;
    };
    let Some(relative) = stmt.child_by_field_name("module_name") else {
        return;
    };
    let text = input.text(relative);
    let dots = text.iter().take_while(|&&b| b == b'.').count();
    let Some(base_len) = (package.len() + 1).checked_sub(dots).filter(|l| *l > 0) else {
        return;
    };
    let base = package.prefix(base_len);
    let mut tail: Vec<Identifier> = Vec::new();
    for segment in String::from_utf8_lossy(&text[dots..]).split('.') {
        let segment = segment.trim();
        if !segment.is_empty() {
            tail.push(Identifier::from_token(segment));
        }
    }
    let mut cursor = stmt.walk();
    let names: Vec<Identifier> = stmt
        .children_by_field_name("name", &mut cursor)
        .map(|name| {
            let node = if name.kind() == "aliased_import" {
                name.child_by_field_name("name").unwrap_or(name)
            } else {
                name
            };
            Identifier::from_token(String::from_utf8_lossy(input.text(node)).trim())
        })
        .collect();
    for root_len in (1..=base.len()).rev() {
        let mut module = base.suffix(root_len);
        for segment in &tail {
            module = module.child(segment.clone());
        }
        let candidates =
            std::iter::once(module.clone()).chain(names.iter().map(|n| module.child(n.clone())));
        for candidate in candidates {
            if let Some(resolution) = input.resolve(&candidate) {
                let fix = Fix::Manual(Reason::RelativeImport);
                findings.add(
                    relative.start_byte(),
                    &resolution,
                    candidate,
                    Site::Import,
                    fix,
                );
                return;
            }
        }
    }
}
