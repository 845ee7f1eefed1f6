//! Relative imports (`from .old import X`, `from .. import old`): which absolute module they
//! name, and how a rewritten one is spelled.
//!
//! The file's module comes from its location (`modules`). Without a source root that holds
//! the file, the `__init__.py` walk may stop short of the real top package (a namespace
//! package has no `__init__.py`), so longer packages spelled by the file's folders are tried
//! too; the first reading under which the import reaches a moved name is the one used.

use tree_sitter::Node;

use super::input::FileInput;
use crate::layout::ModuleLocation;
use crate::ruleset::{Resolution, Role};
use crate::spec::{DottedPath, Identifier};

/// A resolved relative import.
pub struct Relative {
    /// The reading of the file's location the import was resolved under.
    pub base: ModuleLocation,
    /// The absolute module the import names.
    pub module: DottedPath,
    /// The package its dots climb to (`module` without the dotted tail).
    pub anchor: DottedPath,
}

impl Relative {
    /// How the statement spells `target`: relative with the fewest dots while it stays in
    /// the same top-level package, else absolute.
    pub fn spell(&self, target: &DottedPath) -> String {
        self.base
            .spell_relative(target)
            .unwrap_or_else(|| target.to_string())
    }

    /// The file, the name it imports and the package its dots climb to are all under the
    /// move's `from`: they move together, and the relative import stays right.
    pub fn moves_with_file(&self, full: &DottedPath, resolution: &Resolution) -> bool {
        let from = &resolution.matched;
        self.base.module.starts_with(from)
            && full.starts_with(from)
            && self.anchor.starts_with(from)
    }
}

/// The dots and the dotted tail of a `relative_import` node.
pub fn parts(input: &FileInput<'_>, node: Node<'_>) -> (usize, Vec<Identifier>) {
    let mut cursor = node.walk();
    let tail = node
        .named_children(&mut cursor)
        .find(|c| c.kind() == "dotted_name")
        .map(|name| {
            let mut cursor = name.walk();
            name.named_children(&mut cursor)
                .filter(|c| c.kind() == "identifier")
                .map(|c| input.identifier(c))
                .collect()
        })
        .unwrap_or_default();
    let dots = node
        .named_children(&mut node.walk())
        .find(|c| c.kind() == "import_prefix")
        .map_or(0, |p| input.text(p).iter().filter(|&&b| b == b'.').count());
    (dots, tail)
}

/// Resolves the relative import `stmt`; `None` when no reading of the file's location
/// reaches a package (no package, or more dots than packages).
pub fn resolve(input: &FileInput<'_>, stmt: Node<'_>) -> Option<Relative> {
    let node = stmt.child_by_field_name("module_name")?;
    let (dots, tail) = parts(input, node);
    let names = imported_names(input, stmt);
    // Without a hit, the reading from the file's own location (if it resolves) is used.
    let mut first: Option<Relative> = None;
    for (index, base) in readings(input).into_iter().enumerate() {
        let is_location = index == 0 && input.location.is_some();
        let (Some(module), Some(anchor)) = (
            base.resolve_relative(dots, &tail),
            base.resolve_relative(dots, &[]),
        ) else {
            continue;
        };
        let hits = input.resolve_as(&module, Role::Module).is_some()
            || names.iter().any(|name| {
                input
                    .resolve_as(&module.child(name.clone()), Role::Imported)
                    .is_some()
            });
        let relative = Relative {
            base,
            module,
            anchor,
        };
        if hits {
            return Some(relative);
        }
        if is_location {
            first = Some(relative);
        }
    }
    first
}

/// The file's location, then (unless a source root fixed it) longer packages spelled by
/// the file's folders, shortest first.
fn readings(input: &FileInput<'_>) -> Vec<ModuleLocation> {
    readings_of(
        input.location.as_ref(),
        input.module.as_ref(),
        input.package.as_ref(),
    )
}

/// `readings` from the parts of a file's location: where the module resolver put it, and
/// the module and package its path spells (`process::module_names`).
pub fn readings_of(
    location: Option<&ModuleLocation>,
    module: Option<&DottedPath>,
    package: Option<&DottedPath>,
) -> Vec<ModuleLocation> {
    let mut readings: Vec<ModuleLocation> = location.into_iter().cloned().collect();
    if location.is_some_and(|l| l.rooted) {
        return readings;
    }
    let (Some(module), Some(package)) = (module, package) else {
        return readings;
    };
    let is_init = module.len() == package.len();
    let known = location
        .and_then(|l| l.package.as_ref())
        .map_or(0, DottedPath::len);
    for len in (known + 1)..=package.len() {
        let guessed = package.suffix(len);
        let module = if is_init {
            guessed.clone()
        } else {
            guessed.child(module.last().clone())
        };
        readings.push(ModuleLocation {
            module,
            package: Some(guessed),
            rooted: false,
        });
    }
    readings
}

fn imported_names(input: &FileInput<'_>, stmt: Node<'_>) -> Vec<Identifier> {
    let mut cursor = stmt.walk();
    stmt.children_by_field_name("name", &mut cursor)
        .filter_map(|name| {
            let node = if name.kind() == "aliased_import" {
                name.child_by_field_name("name")?
            } else {
                name
            };
            let mut cursor = node.walk();
            let first = node
                .named_children(&mut cursor)
                .find(|c| c.kind() == "identifier")?;
            Some(input.identifier(first))
        })
        .collect()
}
