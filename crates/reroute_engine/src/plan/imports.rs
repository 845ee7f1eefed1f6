//! Planning `import …` and `from … import …` statements: which items a move applies to,
//! which are left (suppressed, version branch, self-import, encoding, comment in the way,
//! name conflict), and the rewrite of each statement: in place when it can be (module and
//! name nodes renamed where they stand; `NewName as OldName` keeps the local name), split
//! when its names now live in different modules (`split`), dropped when it duplicates an
//! earlier import (`duplicates`). Star imports are planned in `star`.

use tree_sitter::Node;

use super::bindings::{BindingShape, BindingState, Bindings, ImportBinding, Moved};
use super::conflicts::{self, FileNames};
use super::duplicates::{self, Removals};
use super::planned::Planned;
use super::suppress::Suppressions;
use super::{Fix, PlanOutput, Reason, Site, dotted, split, star};
use crate::analyze::{FileModel, ImportKind, ImportStmt};
use crate::edit::Edit;
use crate::ruleset::Resolution;
use crate::spec::{DottedPath, RuleId};

/// Plans every import statement; returns the names they bind, with what was decided.
pub fn plan_imports<'t>(
    model: &FileModel<'t>,
    suppressions: &Suppressions,
    out: &mut PlanOutput<'_>,
) -> Bindings<'t> {
    let mut bindings = Bindings::default();
    let mut names = FileNames::new(model);
    let mut removals = Removals::default();
    let mut earlier = duplicates::Earlier::default();
    for stmt in &model.imports {
        if stmt.kind == ImportKind::Star {
            star::plan_star(model, stmt, suppressions, &mut names, out);
            continue;
        }
        let mut items: Vec<Planned<'_, 't>> = stmt
            .items
            .iter()
            .map(|item| Planned {
                item,
                resolution: item.resolution.clone(),
                blocked: false,
                renames: false,
            })
            .collect();
        leave_blocked(model, stmt, &mut items, suppressions, &mut names, out);
        let drop = earlier.find(model, stmt, &items);
        let mut rewritten = Vec::new();
        for item in items.iter().filter(|i| i.resolution.is_some()) {
            let (old, offset) = reference_paths(item, stmt);
            rewritten.push(out.add(
                offset,
                &reported(item, stmt.module.as_ref()),
                old,
                Site::Import,
                Fix::Rewritten,
            ));
        }
        let Some(rule) = first_rule(&items) else {
            let bound = bind(stmt, &items, &drop, None);
            earlier.add(&bound);
            bound.into_iter().for_each(|b| bindings.push(b));
            continue;
        };
        let rewrite = out.rewrite(rewritten, Vec::new());
        let bound = bind(stmt, &items, &drop, Some(rewrite));
        earlier.add(&bound);
        bound.into_iter().for_each(|b| bindings.push(b));
        if drop.iter().all(|d| *d) {
            removals.add(stmt, rule, rewrite);
            continue;
        }
        let edits = match stmt.kind {
            ImportKind::From => split::plan_from(model, stmt, &items, &drop),
            _ => plan_plain(model, &items, &drop),
        };
        out.extend(rewrite, edits);
    }
    removals.plan(model, out);
    for assignment in &model.collected.module_assignments {
        bindings.push(ImportBinding {
            stmt: assignment.node,
            block: assignment.block,
            scope: assignment.scope.id(),
            local: model.identifier(assignment.name),
            shape: BindingShape::Name,
            path: assignment.module.clone(),
            state: BindingState::Kept,
        });
    }
    bindings
}

/// Marks the items a move applies to but that are left as they are, and reports why.
fn leave_blocked(
    model: &FileModel<'_>,
    stmt: &ImportStmt<'_>,
    items: &mut [Planned<'_, '_>],
    suppressions: &Suppressions,
    names: &mut FileNames<'_, '_>,
    out: &mut PlanOutput<'_>,
) {
    let node = stmt.node;
    let rows = node.start_position().row..=node.end_position().row;
    // Every name becomes a top-level module: the statement is replaced whole, which must
    // not swallow a comment inside it.
    let replaced_whole = stmt.kind == ImportKind::From
        && model.text(node).contains(&b'#')
        && items
            .iter()
            .all(|i| i.resolution.as_ref().is_some_and(|r| r.target.len() == 1));
    for item in items.iter_mut() {
        let Some(resolution) = &item.resolution else {
            continue;
        };
        let fix = if suppressions.is_suppressed(rows.clone(), resolution.rule()) {
            Some(Fix::Suppressed)
        } else if model.collected.version_branches.contains(node) {
            Some(Fix::Note(super::Note::VersionBranch))
        } else if super::old_versions::is_old_version_fallback(model, node, &resolution.target) {
            Some(Fix::Note(super::Note::OldVersionFallback))
        } else if is_self_import(model, resolution, stmt.kind) {
            Some(Fix::Manual(Reason::SelfImport))
        } else if !model.is_utf8 && !resolution.target.to_string().is_ascii() {
            Some(Fix::Manual(Reason::Encoding))
        } else if replaced_whole {
            Some(Fix::Manual(Reason::CommentInTheWay))
        } else if stmt.kind == ImportKind::Plain && conflicts::root_conflicts(model, item, names) {
            let name = resolution.target.first().to_string();
            Some(Fix::Manual(Reason::NameConflict { name }))
        } else if conflicts::wants_rename(item, stmt.kind) {
            let conflict = conflicts::rename_conflict(model, stmt, item, names);
            item.renames = conflict.is_none();
            conflict.map(|name| Fix::Manual(Reason::NameConflict { name }))
        } else {
            None
        };
        if let Some(fix) = fix {
            let (old, _) = reference_paths(item, stmt);
            let at = item.node.start_byte();
            out.add(
                at,
                &reported(item, stmt.module.as_ref()),
                old,
                Site::Import,
                fix,
            );
            item.resolution = None;
            item.blocked = true;
        }
    }
}

/// The resolution a finding about `item` reports: for a module move, the module's new
/// home (once per statement, as the rewritten findings do), not the name's.
fn reported(item: &Planned<'_, '_>, module: Option<&DottedPath>) -> Resolution {
    let resolution = item
        .resolution
        .clone()
        .expect("reported only for items a move applies to");
    match module.filter(|m| item.is_module_move(m)) {
        Some(module) => Resolution {
            target: item.new_module().unwrap_or_else(|| module.clone()),
            ..resolution
        },
        None => resolution,
    }
}

/// The bindings a statement's items make, with what the plan decided for each.
fn bind<'t>(
    stmt: &ImportStmt<'t>,
    items: &[Planned<'_, 't>],
    drop: &[bool],
    rewrite: Option<super::RewriteId>,
) -> Vec<ImportBinding<'t>> {
    let scope = stmt.scope.id();
    items
        .iter()
        .zip(drop)
        .map(|(item, dropped)| {
            // `import old` (one segment) keeps its name with `as`: like an alias.
            let is_root =
                stmt.kind == ImportKind::Plain && item.alias.is_none() && item.path.len() > 1;
            let state = match (&item.resolution, rewrite) {
                (Some(resolution), Some(rewrite)) => {
                    let moved = Moved {
                        to: resolution.target.clone(),
                        rule: resolution.rule().clone(),
                        renamed_to: item.renames.then(|| item.target().last().clone()),
                        rewrite,
                    };
                    if *dropped {
                        BindingState::Dropped(moved)
                    } else {
                        BindingState::Rewritten(moved)
                    }
                }
                _ if item.blocked => BindingState::Blocked,
                _ => BindingState::Kept,
            };
            ImportBinding {
                stmt: stmt.node,
                block: stmt.block,
                scope,
                local: item.local(stmt.kind).clone(),
                shape: if is_root {
                    BindingShape::Root
                } else {
                    BindingShape::Name
                },
                path: if is_root {
                    item.path.clone()
                } else {
                    item.full.clone()
                },
                state,
            }
        })
        .collect()
}

/// The path a finding names for `item` and where it points: the module for module moves,
/// the full name for symbol moves.
fn reference_paths(item: &Planned<'_, '_>, stmt: &ImportStmt<'_>) -> (DottedPath, usize) {
    match stmt.module.as_ref() {
        Some(module) if item.is_module_move(module) => (
            module.clone(),
            stmt.node
                .child_by_field_name("module_name")
                .map_or(stmt.node.start_byte(), |m| m.start_byte()),
        ),
        Some(_) => (item.full.clone(), item.name_node.start_byte()),
        None => (item.full.clone(), item.node.start_byte()),
    }
}

fn first_rule(items: &[Planned<'_, '_>]) -> Option<RuleId> {
    items
        .iter()
        .find_map(|i| i.resolution.as_ref().map(|r| r.rule().clone()))
}

fn is_self_import(model: &FileModel<'_>, resolution: &Resolution, kind: ImportKind) -> bool {
    let imported_module = match kind {
        ImportKind::Plain => Some(resolution.target.clone()),
        // In a package's `__init__.py`, `from the.package import sub` loads its submodule
        // `sub`: the usual way, not a self-import.
        _ if is_package_init(model) => return false,
        _ => resolution.target.parent(),
    };
    imported_module.is_some_and(|m| m.len() > 1 && model.is_own_module(&m))
}

/// True when the file is a package's `__init__.py` (its module is its package).
fn is_package_init(model: &FileModel<'_>) -> bool {
    match (&model.module, &model.package) {
        (Some(module), Some(package)) => module == package,
        _ => false,
    }
}

fn plan_plain(model: &FileModel<'_>, items: &[Planned<'_, '_>], drop: &[bool]) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (item, dropped) in items.iter().zip(drop) {
        let Some(resolution) = &item.resolution else {
            continue;
        };
        if *dropped {
            continue;
        }
        let target = &resolution.target;
        if item.alias.is_none() && item.path.len() == 1 && !item.renames {
            // `import old` binds `old`: keep that name.
            edits.push(Edit::replace(
                item.name_node.byte_range(),
                format!("{target} as {}", item.path),
            ));
            continue;
        }
        edits.extend(dotted::rename_dotted(model, item.name_node, target));
    }
    if drop.iter().any(|d| *d) {
        let nodes: Vec<Node<'_>> = items.iter().map(|i| i.node).collect();
        for range in super::place::list_item_removals(model, &nodes, drop) {
            edits.push(Edit::delete(range));
        }
    }
    edits
}
