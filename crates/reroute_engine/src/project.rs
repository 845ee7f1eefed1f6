//! The project model of `check --unresolved-imports`: which top-level names are the
//! project's own (first-party), and, for an import of one of them, whether what it names
//! exists. Only regular packages (with an `__init__.py`) and what lies under them are
//! first-party: a namespace folder, a stub-only package, a top-level module, a name the
//! standard library or an installed distribution also provides are "unknown", and an
//! unknown import is never reported. Existence is asked of the [`Layout`], so it sees the
//! disk as it is (a git-ignored generated `_version.py` exists).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::layout::{Binding, Layout};
use crate::spec::{DottedPath, Identifier};

mod stdlib;

/// The project's top-level packages, found once per run.
#[derive(Debug, Clone, Default)]
pub struct ProjectModel {
    /// Top-level name → the folders holding it (a base: the project root, a source root).
    tops: BTreeMap<Identifier, Vec<PathBuf>>,
    /// Paths in [`Missing`] are shown relative to this folder.
    shown_from: Option<PathBuf>,
}

/// What an import names, as far as the project can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// It is there.
    Exists,
    /// A first-party module or name that is not there.
    Missing(Missing),
    /// Not first-party, or not knowable (a namespace level, `__getattr__`, a compiled
    /// module): never reported.
    Unknown,
}

/// What a first-party import lacks.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Missing {
    /// No module `module`: `folder` (its package) holds no module or package of that name.
    Module {
        /// The first prefix of the import that does not exist.
        module: DottedPath,
        /// Where it would be.
        folder: PathBuf,
    },
    /// Module `module` (file `file`) neither defines nor imports `name`, and has no
    /// submodule of that name.
    Name {
        /// The module imported from.
        module: DottedPath,
        /// The name it lacks.
        name: Identifier,
        /// The module's file.
        file: PathBuf,
    },
}

impl Missing {
    /// The path that does not exist (`pkg.old`, or `pkg.mod.Name`).
    pub fn path(&self) -> DottedPath {
        match self {
            Missing::Module { module, .. } => module.clone(),
            Missing::Name { module, name, .. } => module.join(std::slice::from_ref(name)),
        }
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::Module { module, folder } => write!(
                f,
                "no module `{module}` in the project (no `{}` in {}/); fix the import, or let `reroute suggest --unresolved` write a codemod",
                module.last(),
                folder.display()
            ),
            Missing::Name { module, name, file } => write!(
                f,
                "`{module}` ({}) neither defines nor imports `{name}`, and has no submodule `{name}`; fix the import, or let `reroute suggest --unresolved` write a codemod",
                file.display()
            ),
        }
    }
}

/// Where a module found under one base is.
enum Place {
    /// A package folder (regular, or a namespace folder inside a regular package).
    Package(PathBuf),
    /// A module file we can read (`.py`).
    Source(PathBuf),
    /// A module whose names we cannot read (compiled, `.pyx`, stub only).
    Opaque,
}

impl ProjectModel {
    /// The model of a project whose import roots are `bases` (absolute: the project root,
    /// the source roots). A top-level name is first-party when some base holds it as a
    /// regular package (with `__init__.py`), the standard library has no module of that
    /// name, and `installed` does not say an installed distribution provides it.
    pub fn new(
        bases: &[PathBuf],
        layout: &dyn Layout,
        installed: &dyn Fn(&Identifier) -> bool,
    ) -> ProjectModel {
        let mut tops: BTreeMap<Identifier, Vec<PathBuf>> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for base in bases {
            if !seen.insert(base.clone()) {
                continue;
            }
            let mut names = layout.list_dir(base);
            names.sort();
            for name in names {
                let Some(top) = Identifier::parse(&name) else {
                    continue;
                };
                let folder = base.join(&name);
                if !layout.is_file(&folder.join("__init__.py"))
                    || stdlib::is_stdlib(top.as_str())
                    || installed(&top)
                {
                    continue;
                }
                tops.entry(top).or_default().push(base.clone());
            }
        }
        ProjectModel {
            tops,
            shown_from: None,
        }
    }

    /// The same model, saying the paths of what is missing relative to `folder` (the
    /// project's).
    pub fn shown_from(mut self, folder: PathBuf) -> ProjectModel {
        self.shown_from = Some(folder);
        self
    }

    fn shown(&self, path: PathBuf) -> PathBuf {
        self.shown_from
            .as_ref()
            .and_then(|root| path.strip_prefix(root).ok())
            .filter(|rest| !rest.as_os_str().is_empty())
            .map_or(path.clone(), Path::to_path_buf)
    }

    /// True when `name` is a first-party top-level package.
    pub fn is_first_party(&self, name: &Identifier) -> bool {
        self.tops.contains_key(name)
    }

    /// The folders holding the first-party top-level package `name`.
    pub fn bases_of(&self, name: &Identifier) -> &[PathBuf] {
        self.tops.get(name).map_or(&[], Vec::as_slice)
    }

    /// Whether module `module` exists (`import module`).
    pub fn resolve_module(&self, layout: &dyn Layout, module: &DottedPath) -> Resolved {
        self.resolve(layout, module, None)
    }

    /// Whether `module` provides `name` (`from module import name`): a submodule, or a
    /// name its code binds.
    pub fn resolve_name(
        &self,
        layout: &dyn Layout,
        module: &DottedPath,
        name: &Identifier,
    ) -> Resolved {
        self.resolve(layout, module, Some(name))
    }

    fn resolve(
        &self,
        layout: &dyn Layout,
        module: &DottedPath,
        name: Option<&Identifier>,
    ) -> Resolved {
        let Some(bases) = self.tops.get(module.first()) else {
            return Resolved::Unknown;
        };
        // The first answer of a base where it exists wins; otherwise the first missing one.
        let mut missing = None;
        for base in bases {
            match resolve_under(layout, base, module, name) {
                Resolved::Exists => return Resolved::Exists,
                Resolved::Unknown => return Resolved::Unknown,
                Resolved::Missing(m) => {
                    missing.get_or_insert(m);
                }
            }
        }
        let shown = |missing| match missing {
            Missing::Module { module, folder } => Missing::Module {
                module,
                folder: self.shown(folder),
            },
            Missing::Name { module, name, file } => Missing::Name {
                module,
                name,
                file: self.shown(file),
            },
        };
        missing.map_or(Resolved::Unknown, |m| Resolved::Missing(shown(m)))
    }
}

/// `module` (and `name` in it) under `base`, where `module.first()` is a regular package.
fn resolve_under(
    layout: &dyn Layout,
    base: &Path,
    module: &DottedPath,
    name: Option<&Identifier>,
) -> Resolved {
    let mut place = Place::Package(base.join(module.first().as_str()));
    for (depth, segment) in module.segments().iter().enumerate().skip(1) {
        let Place::Package(folder) = &place else {
            // `import pkg.mod.sub` where `pkg.mod` is a module, not a package.
            return match place {
                Place::Opaque => Resolved::Unknown,
                _ => Resolved::Missing(Missing::Module {
                    module: module.prefix(depth + 1),
                    folder: parent_folder(&place),
                }),
            };
        };
        match child(layout, folder, segment) {
            Some(next) => place = next,
            None => {
                return Resolved::Missing(Missing::Module {
                    module: module.prefix(depth + 1),
                    folder: folder.clone(),
                });
            }
        }
    }
    let Some(name) = name else {
        return Resolved::Exists;
    };
    match place {
        Place::Opaque => Resolved::Unknown,
        Place::Package(folder) => {
            if child(layout, &folder, name).is_some() {
                return Resolved::Exists;
            }
            let init = folder.join("__init__.py");
            if !layout.is_file(&init) {
                // A stub-only package, or a namespace folder: it binds nothing we can see.
                return if layout.is_file(&folder.join("__init__.pyi")) {
                    Resolved::Unknown
                } else {
                    Resolved::Missing(Missing::Name {
                        module: module.clone(),
                        name: name.clone(),
                        file: folder,
                    })
                };
            }
            binding(layout, module, name, init)
        }
        Place::Source(file) => binding(layout, module, name, file),
    }
}

fn binding(layout: &dyn Layout, module: &DottedPath, name: &Identifier, file: PathBuf) -> Resolved {
    match layout.binds(&file, name) {
        Binding::Binds => Resolved::Exists,
        Binding::MayBind => Resolved::Unknown,
        Binding::No => Resolved::Missing(Missing::Name {
            module: module.clone(),
            name: name.clone(),
            file,
        }),
    }
}

/// The folder a module file sits in.
fn parent_folder(place: &Place) -> PathBuf {
    match place {
        Place::Package(folder) => folder.clone(),
        Place::Source(file) => file.parent().map(Path::to_path_buf).unwrap_or_default(),
        Place::Opaque => PathBuf::new(),
    }
}

/// Submodule `name` of the package in `folder`: a package folder (with or without
/// `__init__.py`: inside a regular package a plain folder imports as a namespace
/// package), a `.py` file, or a module we cannot read. A file or folder of that stem with
/// any other suffix (`_speedups.c`, `_version.py.in`) may become a module when the
/// project is built: unknown.
fn child(layout: &dyn Layout, folder: &Path, name: &Identifier) -> Option<Place> {
    let base = folder.join(name.as_str());
    if layout.is_file(&base.with_extension("py")) {
        return Some(Place::Source(base.with_extension("py")));
    }
    if layout.is_dir(&base) {
        return Some(Place::Package(base));
    }
    let built = layout.list_dir(folder).iter().any(|entry| {
        entry
            .strip_prefix(name.as_str())
            .is_some_and(|rest| rest.starts_with('.'))
    });
    (built || layout.is_ignored(&base.with_extension("py"))).then_some(Place::Opaque)
}

#[cfg(test)]
mod tests;
