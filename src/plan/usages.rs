//! Attribute uses bound by a rewritten plain import: `import a.old` then `a.old.f()`.
//!
//! When `import a.old` becomes `import a.new`, every `a.old.…` chain in the file follows.
//! When the first segment changes (`import old_top.x` → `import new_top.x`) and the file
//! still uses the old first name for something else, `import old_top` is kept by adding it.

use tree_sitter::Node;

use super::imports::{Rebound, rename_segments};
use super::place;
use super::{Findings, Fix, PlanInput, Reason, Site};
use crate::edit::Edit;
use crate::spec::{DottedPath, Identifier};

/// An identifier-rooted attribute chain (`a.b.c`): its identifier nodes, root first.
pub struct Chain<'t> {
    pub idents: Vec<Node<'t>>,
    pub path: DottedPath,
}

pub fn plan_usages(
    input: &PlanInput<'_>,
    rebound: &[Rebound<'_>],
    edits: &mut Vec<Edit>,
    findings: &mut Findings<'_>,
) {
    if rebound.is_empty() {
        return;
    }
    let mut rewritten_roots: Vec<usize> = Vec::new();
    for chain in chains(input) {
        let best = rebound
            .iter()
            .map(|r| (common_len(&chain.path, &r.old), r))
            .filter(|(k, _)| *k >= 1)
            .max_by_key(|(k, _)| *k);
        let Some((k, _)) = best else {
            continue;
        };
        let prefix = chain.path.prefix(k);
        let Some(resolution) = input.resolve(&prefix) else {
            continue;
        };
        // `a.old.Moved` where `a.old.Moved` itself moved elsewhere: renaming only the module
        // part would leave a dangling attribute; report it until usages are rewritten (#4).
        if chain.path.len() > k {
            let deeper = chain.path.prefix(k + 1);
            if let Some(symbol) = input.resolve(&deeper).filter(|r| r.matched.len() > k) {
                let fix = Fix::Manual(Reason::AttributeSymbol);
                findings.add(
                    chain.idents[k].start_byte(),
                    &symbol,
                    deeper,
                    Site::Usage,
                    fix,
                );
                continue;
            }
        }
        if let Some(edit) = rename_segments(
            input,
            &chain.idents[..k],
            &resolution.target,
            resolution.rule(),
        ) {
            edits.push(edit);
            findings.add(
                chain.idents[0].start_byte(),
                &resolution,
                prefix,
                Site::Usage,
                Fix::Rewritten,
            );
            if resolution.target.first() != chain.path.first() {
                rewritten_roots.push(chain.idents[0].start_byte());
            }
        }
    }
    keep_old_roots(input, rebound, &rewritten_roots, edits);
}

/// Adds `import old_root` after a rewritten statement whose first segment changed when the
/// file still uses `old_root` and no other import binds it.
fn keep_old_roots(
    input: &PlanInput<'_>,
    rebound: &[Rebound<'_>],
    rewritten_roots: &[usize],
    edits: &mut Vec<Edit>,
) {
    let mut done: Vec<&Identifier> = Vec::new();
    for r in rebound {
        let root = r.old.first();
        if r.new.first() == root || done.contains(&root) {
            continue;
        }
        done.push(root);
        let still_used = name_uses(input, root.as_str())
            .iter()
            .any(|use_| !rewritten_roots.contains(&use_.start_byte()));
        let rebinding_changes = rebound.iter().filter(|other| other.old.first() == root);
        let bound_elsewhere = imports_binding(input, root.as_str())
            .into_iter()
            .any(|stmt| !rebinding_changes.clone().any(|o| o.stmt.id() == stmt.id()));
        if still_used && !bound_elsewhere {
            let (at, text) =
                place::insert_after(input, r.stmt, &[format!("import {root}").into_bytes()]);
            edits.push(Edit::insert(at, text, r.rule.clone()));
        }
    }
}

fn common_len(a: &DottedPath, b: &DottedPath) -> usize {
    a.segments()
        .iter()
        .zip(b.segments())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Outermost identifier-rooted attribute chains outside ERROR regions and imports.
fn chains<'t>(input: &PlanInput<'t>) -> Vec<Chain<'t>> {
    let mut found = Vec::new();
    crate::parse::walk(input.tree.root_node(), |node| match node.kind() {
        "ERROR" | "import_statement" | "import_from_statement" => false,
        "attribute" => {
            if let Some(chain) = chain_of(input, node) {
                found.push(chain);
            }
            true
        }
        _ => true,
    });
    // Inner chains of an outer chain (`a.b` inside `a.b.c`) come after it; keep the longest
    // per root.
    found.sort_by_key(|c| (c.idents[0].start_byte(), std::cmp::Reverse(c.idents.len())));
    found.dedup_by_key(|c| c.idents[0].start_byte());
    found
}

pub fn chain_of<'t>(input: &PlanInput<'t>, node: Node<'t>) -> Option<Chain<'t>> {
    let mut idents = Vec::new();
    let mut current = node;
    while current.kind() == "attribute" {
        idents.push(current.child_by_field_name("attribute")?);
        current = current.child_by_field_name("object")?;
    }
    if current.kind() != "identifier" {
        return None;
    }
    idents.push(current);
    idents.reverse();
    let segments = idents
        .iter()
        .map(|n| Identifier::from_token(&String::from_utf8_lossy(input.text(*n))))
        .collect();
    Some(Chain {
        idents,
        path: DottedPath::from_segments(segments)?,
    })
}

/// Identifier nodes named `name` in expression or binding position (not attribute names,
/// keyword-argument names or import paths).
pub fn name_uses<'t>(input: &PlanInput<'t>, name: &str) -> Vec<Node<'t>> {
    let mut uses = Vec::new();
    crate::parse::walk(input.tree.root_node(), |node| match node.kind() {
        "import_statement" | "import_from_statement" => false,
        "identifier" => {
            let is_use =
                Identifier::from_token(&String::from_utf8_lossy(input.text(node))).as_str() == name
                    && !is_attribute_name(node)
                    && !is_keyword_name(node);
            if is_use {
                uses.push(node);
            }
            false
        }
        _ => true,
    });
    uses
}

/// True when `name` is used or bound anywhere outside imports.
pub fn is_name_used(input: &PlanInput<'_>, name: &str) -> bool {
    !name_uses(input, name).is_empty()
}

fn is_attribute_name(node: Node<'_>) -> bool {
    node.parent().is_some_and(|p| {
        p.kind() == "attribute"
            && p.child_by_field_name("attribute")
                .is_some_and(|a| a.id() == node.id())
    })
}

fn is_keyword_name(node: Node<'_>) -> bool {
    node.parent().is_some_and(|p| {
        p.kind() == "keyword_argument"
            && p.child_by_field_name("name")
                .is_some_and(|a| a.id() == node.id())
    })
}

/// Import statements that bind `name` (as alias, from-import name, or first segment).
fn imports_binding<'t>(input: &PlanInput<'t>, name: &str) -> Vec<Node<'t>> {
    let mut found = Vec::new();
    crate::parse::walk(input.tree.root_node(), |node| match node.kind() {
        "import_statement" | "import_from_statement" => {
            let is_from = node.kind() == "import_from_statement";
            let mut cursor = node.walk();
            let binds = node
                .children_by_field_name("name", &mut cursor)
                .any(|item| {
                    let bound = match item.kind() {
                        "aliased_import" => item.child_by_field_name("alias"),
                        _ if is_from => {
                            item.named_child(item.named_child_count().saturating_sub(1) as u32)
                        }
                        _ => item.named_child(0),
                    };
                    bound.is_some_and(|b| {
                        Identifier::from_token(&String::from_utf8_lossy(input.text(b))).as_str()
                            == name
                    })
                });
            if binds {
                found.push(node);
            }
            false
        }
        _ => true,
    });
    found
}
