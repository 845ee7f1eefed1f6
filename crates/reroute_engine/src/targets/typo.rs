//! A `from` with a typo (`pkg.odl` beside `pkg.old`) matches nothing, and the move then
//! checks nothing: `check` passes without a word. Such a `from` — naming no module and no
//! name of its parent, whose parent module is in the tree, within two edits of a sibling
//! module — gets a warning that names the sibling, unless the sibling is, or is under, a
//! move's `to` (a finished `pkg.client -> pkg.clients` must not warn forever). A `from` that
//! names nothing with no near sibling stays silent: a finished migration.

use super::{PackageRoots, ProblemKind, TargetProblem};
use crate::layout::{Binding, Layout, module_path};
use crate::ruleset::RuleSet;
use crate::spec::{DottedPath, Identifier};

/// The `did you mean` warnings of `rules`.
pub fn did_you_mean(
    rules: &RuleSet,
    roots: &PackageRoots,
    layout: &dyn Layout,
) -> Vec<TargetProblem> {
    let mut found = Vec::new();
    for moved in rules.moves().iter().filter(|m| !m.is_removal()) {
        let from = &moved.from;
        let (Some(root), Some(parent)) = (roots.get(from.first()), from.parent()) else {
            continue;
        };
        if layout.module_exists(root, from) {
            continue;
        }
        let Some(parent_file) = layout.module_file(root, &parent) else {
            continue;
        };
        if layout.binds(&parent_file, from.last()) != Binding::No {
            continue;
        }
        let folder = module_path(root, &parent);
        let mut near: Vec<(usize, Identifier)> = layout
            .list_dir(&folder)
            .into_iter()
            .filter_map(|name| {
                let stem = name
                    .strip_suffix(".py")
                    .or_else(|| name.strip_suffix(".pyi"))
                    .unwrap_or(&name);
                Identifier::parse(stem).filter(|id| !id.as_str().starts_with("__"))
            })
            .filter(|id| id != from.last())
            .map(|id| (edit_distance(id.as_str(), from.last().as_str()), id))
            .filter(|(distance, _)| *distance <= 2)
            .collect();
        near.sort();
        near.dedup();
        let sibling = near
            .into_iter()
            .map(|(_, id)| parent.child(id))
            .find(|sibling: &DottedPath| !rules.moves().iter().any(|m| sibling.starts_with(&m.to)));
        if let Some(sibling) = sibling {
            found.push(TargetProblem {
                location: moved.location.clone(),
                to: from.clone(),
                kind: ProblemKind::DidYouMean { sibling },
            });
        }
    }
    found
}

/// Levenshtein distance of two names, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(above).min(row[j])
            };
            previous = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("old", "odl"), 2);
        assert_eq!(edit_distance("utils", "utlis"), 2);
        assert_eq!(edit_distance("client", "clients"), 1);
        assert_eq!(edit_distance("a", "xyz"), 3);
    }
}
