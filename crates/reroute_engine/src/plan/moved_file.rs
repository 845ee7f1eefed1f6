//! The moved file's own imports (#10): after `git mv pkg/old.py pkg/sub/new.py` (or
//! `reroute mv`) and a module move `pkg.old -> pkg.sub.new`, the relative imports inside
//! the moved file still count dots from the old place. One that resolves to nothing where
//! the file is now, but to a module that exists from where the file was (under the move's
//! `from`), is a reference: it is respelled from the file's place, relative with the
//! fewest dots within the top-level package. A `to` module that already existed (the
//! target of a merge) resolves its imports where it is and is left alone, and so are
//! imports between modules that moved together.

use super::{Fix, PlanOutput, Reason, Site};
use crate::analyze::{FileModel, ImportKind, ImportStmt};
use crate::edit::Edit;
use crate::layout::{Layout, ModuleLocation};
use crate::ruleset::Resolution;
use crate::spec::{DottedPath, Identifier};

/// Plans the relative imports of a file that a module move carried into its `to`.
pub fn plan_moved_file(model: &FileModel<'_>, out: &mut PlanOutput<'_>) {
    let (Some((file, modules)), Some(here)) = (model.disk, model.location.as_ref()) else {
        return;
    };
    let Some(moved) = model.rules.module_move_holding(&here.module) else {
        return;
    };
    let Some(root) = here.root_of(file) else {
        return;
    };
    let is_init = file.file_stem().is_some_and(|s| s == "__init__");
    let old_module = here.module.replace_prefix(&moved.to, &moved.from);
    let was = ModuleLocation {
        package: if is_init {
            Some(old_module.clone())
        } else {
            old_module.parent()
        },
        module: old_module,
        rooted: here.rooted,
    };
    let place = Place {
        here,
        was: &was,
        root: &root,
        modules,
    };
    for stmt in &model.imports {
        // An import that reaches a move is that move's (the imports pass).
        if stmt.relative.is_none() || stmt.items.iter().any(|i| i.resolution.is_some()) {
            continue;
        }
        let Some(node) = stmt.node.child_by_field_name("module_name") else {
            continue;
        };
        let (dots, tail) = crate::analyze::relative::parts(model, node);
        let Some(target) = place.respelled_target(stmt, dots, &tail) else {
            continue;
        };
        let now = match (here.resolve_relative(dots, &tail), &target) {
            (Some(now), _) => now,
            // Above the top-level package now: name it by where it pointed before.
            (None, Target::Module(module)) => module.clone(),
            (None, Target::Split) => continue,
        };
        let mut resolution = Resolution::of_move(moved);
        if let Target::Module(module) = &target {
            resolution.target = module.clone();
        }
        let fix = match &target {
            Target::Module(_) => Fix::Rewritten,
            Target::Split => Fix::Manual(Reason::MovedFileSplit),
        };
        let index = out.add(node.start_byte(), &resolution, now, Site::Import, fix);
        if let Target::Module(module) = target {
            let spelled = here
                .spell_relative(&module)
                .unwrap_or_else(|| module.to_string());
            let edit = Edit::replace(node.byte_range(), spelled);
            out.rewrite(vec![index], vec![edit]);
        }
    }
    // Relative imports no reading of the new place resolves (more dots than packages
    // now): the analysis kept them aside; from the old place they may resolve.
    for stmt in &model.unresolved_relatives {
        let Some(node) = stmt.child_by_field_name("module_name") else {
            continue;
        };
        let (dots, tail) = crate::analyze::relative::parts(model, node);
        let Some(before) = was
            .resolve_relative(dots, &tail)
            .filter(|b| place.exists(b))
        else {
            continue;
        };
        let mut resolution = Resolution::of_move(moved);
        resolution.target = before.clone();
        let index = out.add(
            node.start_byte(),
            &resolution,
            before.clone(),
            Site::Import,
            Fix::Rewritten,
        );
        let spelled = here
            .spell_relative(&before)
            .unwrap_or_else(|| before.to_string());
        let edit = Edit::replace(node.byte_range(), spelled);
        out.rewrite(vec![index], vec![edit]);
    }
}

/// What a dangling relative import should name instead.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// This module (absolute).
    Module(DottedPath),
    /// Its names live in two places now.
    Split,
}

/// Where the moved file is and was, and what exists.
struct Place<'a> {
    here: &'a ModuleLocation,
    was: &'a ModuleLocation,
    root: &'a std::path::Path,
    modules: &'a dyn Layout,
}

impl Place<'_> {
    fn exists(&self, module: &DottedPath) -> bool {
        self.modules.module_exists(self.root, module)
    }

    /// The module the import should name, when it dangles here and did not where the file
    /// was; `Split` when only some of its names moved.
    fn respelled_target(
        &self,
        stmt: &ImportStmt<'_>,
        dots: usize,
        tail: &[Identifier],
    ) -> Option<Target> {
        let before = self.was.resolve_relative(dots, tail)?;
        // More dots than the new place has packages: it resolves nowhere now.
        let Some(now) = self.here.resolve_relative(dots, tail) else {
            return self.exists(&before).then_some(Target::Module(before));
        };
        if now == before {
            return None;
        }
        if !self.exists(&now) {
            return self.exists(&before).then_some(Target::Module(before));
        }
        // `from . import a, b`: the package is there; are its names?
        if !tail.is_empty() || stmt.kind != ImportKind::From {
            return None;
        }
        let dangling: Vec<bool> = stmt
            .items
            .iter()
            .map(|item| {
                let name = item.syntax.path.first();
                !self.exists(&now.child(name.clone()))
                    && !self
                        .modules
                        .package_binds(self.root, &now, name)
                        .is_possible()
                    && self.exists(&before.child(name.clone()))
            })
            .collect();
        match (dangling.iter().all(|d| *d), dangling.iter().any(|d| *d)) {
            (true, _) => Some(Target::Module(before)),
            (false, true) => Some(Target::Split),
            (false, false) => None,
        }
    }
}
