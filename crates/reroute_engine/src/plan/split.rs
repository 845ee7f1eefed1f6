//! A from-import whose names now live in different modules: the statement keeps the
//! group of its first kept name in place, and one new statement per other module follows
//! it (placement in `place`). Kept names are renamed in place (`Old` → `New as Old`).

use tree_sitter::Node;

use super::planned::Planned;
use super::{dotted, place};
use crate::analyze::{FileModel, ImportKind, ImportStmt};
use crate::edit::Edit;
use crate::spec::DottedPath;

/// How a from-import in `statement`'s style names `module`: relative with the fewest dots
/// when it was relative, else absolute.
fn spell(statement: &ImportStmt<'_>, module: &DottedPath) -> String {
    match &statement.relative {
        Some(relative) => relative.spell(module),
        None => module.to_string(),
    }
}

pub fn plan_from(
    model: &FileModel<'_>,
    statement: &ImportStmt<'_>,
    items: &[Planned<'_, '_>],
    drop: &[bool],
) -> Vec<Edit> {
    let mut edits = Vec::new();
    let stmt = statement.node;
    let module = statement
        .module
        .as_ref()
        .expect("from-imports have a module");
    // Group kept items by the module they now come from; `None` = a top-level name.
    let new_modules: Vec<Option<DottedPath>> = items
        .iter()
        .map(|item| match &item.resolution {
            Some(_) => item.new_module(),
            None => Some(module.clone()),
        })
        .collect();
    let in_place = (0..items.len()).find(|&i| !drop[i] && new_modules[i].is_some());
    let Some(in_place) = in_place else {
        // Every kept name became a top-level module: `import new as old, …`.
        let entries: Vec<String> = items
            .iter()
            .zip(drop)
            .filter(|(_, dropped)| !**dropped)
            .map(|(item, _)| format!("{} as {}", item.target(), item.local(ImportKind::From)))
            .collect();
        edits.push(Edit::replace(
            stmt.byte_range(),
            format!("import {}", entries.join(", ")),
        ));
        return edits;
    };
    let kept_module = new_modules[in_place].clone().expect("found with is_some");
    let module_node = stmt
        .child_by_field_name("module_name")
        .expect("from-imports have a module");
    if statement.relative.is_some() {
        if kept_module != *module {
            let spelled = spell(statement, &kept_module);
            edits.extend(dotted::respell_relative(model, module_node, &spelled));
        }
    } else if let Some(edit) = dotted::rename_dotted(model, module_node, &kept_module) {
        edits.push(edit);
    }
    let mut remove = vec![false; items.len()];
    let mut groups: Vec<(Option<DottedPath>, Vec<String>)> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if drop[index] {
            remove[index] = true;
            continue;
        }
        if new_modules[index].as_ref() == Some(&kept_module) {
            if let Some(edit) = rename_name(model, item) {
                edits.push(edit);
            }
            continue;
        }
        remove[index] = true;
        let entry = entry_text(item);
        match groups.iter_mut().find(|(m, _)| *m == new_modules[index]) {
            Some((_, entries)) => entries.push(entry),
            None => groups.push((new_modules[index].clone(), vec![entry])),
        }
    }
    let nodes: Vec<Node<'_>> = items.iter().map(|i| i.node).collect();
    for range in place::list_item_removals(model, &nodes, &remove) {
        edits.push(Edit::delete(range));
    }
    let statements: Vec<Vec<u8>> = groups
        .into_iter()
        .map(|(module, entries)| match module {
            Some(module) => format!(
                "from {} import {}",
                spell(statement, &module),
                entries.join(", ")
            )
            .into_bytes(),
            None => format!("import {}", entries.join(", ")).into_bytes(),
        })
        .collect();
    if !statements.is_empty() {
        let (at, text) = place::insert_after(model, stmt, &statements);
        edits.push(Edit::insert(at, text));
    }
    edits
}

fn entry_text(item: &Planned<'_, '_>) -> String {
    let target = item.target();
    let new_name = target.last();
    if target.len() == 1 {
        return format!("{} as {}", target, item.local(ImportKind::From));
    }
    match &item.alias {
        Some(_) if item.renames => format!("{new_name} as {new_name}"),
        Some(alias) => format!("{new_name} as {alias}"),
        None if new_name == item.path.last() || item.renames => new_name.to_string(),
        None => format!("{new_name} as {}", item.path.last()),
    }
}

/// Renames an item kept in place: `Old` → `New as Old`, `Old as X` → `New as X`.
fn rename_name(model: &FileModel<'_>, item: &Planned<'_, '_>) -> Option<Edit> {
    let resolution = item.resolution.as_ref()?;
    let new_name = resolution.target.last();
    if new_name == item.path.last() && item.path.len() == 1 {
        return None;
    }
    let new_name_path = DottedPath::from_segments(vec![new_name.clone()]).expect("one segment");
    match &item.alias {
        // `Old as Old` (an explicit re-export) renamed: `New as New`.
        Some(_) if item.renames => Some(Edit::replace(
            item.node.byte_range(),
            format!("{new_name} as {new_name}"),
        )),
        Some(_) => dotted::rename_dotted(model, item.name_node, &new_name_path),
        None if item.renames => dotted::rename_dotted(model, item.name_node, &new_name_path),
        None => Some(Edit::replace(
            item.name_node.byte_range(),
            format!("{new_name} as {}", item.path.last()),
        )),
    }
}
