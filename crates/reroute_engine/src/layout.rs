//! The project around a file, as the engine sees it through the [`Layout`] trait: a
//! file's module name, which relative imports are resolved from: configured source roots
//! (`[tool.reroute] src`, `--src`) win; without one that holds the file, the name is found
//! by walking up through folders that have an `__init__.py`, as Python's import system sees
//! a regular package.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::spec::{DottedPath, Identifier};

/// Where a file sits in the module namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleLocation {
    /// The file's own module (`pkg.sub.mod`; `pkg` for `pkg/__init__.py`).
    pub module: DottedPath,
    /// The package `from . import x` starts from: the module itself for `__init__.py`,
    /// else its parent; `None` for a top-level module (relative imports cannot resolve).
    pub package: Option<DottedPath>,
    /// Found under a configured source root (authoritative), not by `__init__.py` folders.
    pub rooted: bool,
}

impl ModuleLocation {
    /// The folder holding the top-level package of the file at `absolute`, which is here.
    pub fn root_of(&self, absolute: &Path) -> Option<PathBuf> {
        let is_init = absolute.file_stem().is_some_and(|s| s == "__init__");
        let climb = self.module.len() - usize::from(!is_init);
        absolute
            .parent()?
            .ancestors()
            .nth(climb)
            .map(Path::to_path_buf)
    }

    /// The absolute module a relative import names: `dots` leading dots, then `tail`.
    /// `None` when it climbs above the top-level package.
    pub fn resolve_relative(&self, dots: usize, tail: &[Identifier]) -> Option<DottedPath> {
        let package = self.package.as_ref()?;
        let keep = (package.len() + 1).checked_sub(dots).filter(|k| *k > 0)?;
        let mut segments = package.segments()[..keep].to_vec();
        segments.extend_from_slice(tail);
        DottedPath::from_segments(segments)
    }

    /// How an import in this file spells `target`: relative (`.new`, `..sub.new`) with the
    /// fewest dots when it is inside the file's top-level package, else absolute.
    pub fn spell_relative(&self, target: &DottedPath) -> Option<String> {
        let package = self.package.as_ref()?;
        let common = package
            .segments()
            .iter()
            .zip(target.segments())
            .take_while(|(a, b)| a == b)
            .count();
        if common == 0 {
            return None;
        }
        let dots = ".".repeat(package.len() - common + 1);
        let rest: Vec<&str> = target.segments()[common..]
            .iter()
            .map(Identifier::as_str)
            .collect();
        Some(format!("{dots}{}", rest.join(".")))
    }
}

/// Whether a package binds a name in its `__init__`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// A definition, an assignment or an import of the name.
    Binds,
    /// Not surely, but it may: a star import or a module-level `__getattr__` (or the file
    /// could not be read).
    MayBind,
    /// Nothing binds it.
    No,
}

impl Binding {
    /// True unless the package surely does not bind the name.
    pub fn is_possible(self) -> bool {
        self != Binding::No
    }
}

/// The engine's only window on the project around a file: which files and folders exist,
/// and what a module file binds. From these it answers the questions of the passes and the
/// target check: is this folder a package, does this module exist, what does this package
/// bind, what is this file's module name. The run answers from the disk; tests and
/// embedders answer from memory ([`ListedLayout`]). Every path is absolute.
pub trait Layout: Sync {
    /// Configured source roots (absolute); a file under one takes its module name from
    /// the path below it. Empty: names come from `__init__.py` folders alone.
    fn source_roots(&self) -> &[PathBuf];

    /// True when `path` is a file.
    fn is_file(&self, path: &Path) -> bool;

    /// True when `path` is a folder.
    fn is_dir(&self, path: &Path) -> bool;

    /// Whether the module in the file `file` binds `name` at its top level.
    fn binds(&self, file: &Path, name: &Identifier) -> Binding;

    /// The names of the entries of `folder` (files and folders), in any order; empty when
    /// unknown. Only the typo check of the target check asks.
    fn list_dir(&self, folder: &Path) -> Vec<String> {
        let _ = folder;
        Vec::new()
    }

    /// True when `folder` is a regular package (it holds `__init__.py` or `__init__.pyi`).
    fn is_package(&self, folder: &Path) -> bool {
        self.is_file(&folder.join("__init__.py")) || self.is_file(&folder.join("__init__.pyi"))
    }

    /// The file that is module `module` under `root` (`module.py`, `.pyi`, or its
    /// package's `__init__.py`/`.pyi`), if there is one.
    fn module_file(&self, root: &Path, module: &DottedPath) -> Option<PathBuf> {
        let base = module_path(root, module);
        [
            base.with_extension("py"),
            base.with_extension("pyi"),
            base.join("__init__.py"),
            base.join("__init__.pyi"),
        ]
        .into_iter()
        .find(|candidate| self.is_file(candidate))
    }

    /// True when module `module` exists under `root` (the folder holding its top-level
    /// package): a module file of any suffix (`.py`, `.pyi`, `.pyx`, a compiled `.so` or
    /// `.pyd`, tagged or not: `name.cpython-312-x86_64-linux-gnu.so`), or a folder (a
    /// package, or a namespace package).
    fn module_exists(&self, root: &Path, module: &DottedPath) -> bool {
        let base = module_path(root, module);
        if ["py", "pyi", "pyx"]
            .iter()
            .any(|ext| self.is_file(&base.with_extension(ext)))
            || self.is_dir(&base)
        {
            return true;
        }
        // Compiled modules carry a platform tag between the name and the suffix.
        let (Some(folder), Some(name)) = (base.parent(), base.file_name()) else {
            return false;
        };
        let name = name.to_string_lossy();
        self.list_dir(folder).iter().any(|entry| {
            entry
                .strip_prefix(name.as_ref())
                .is_some_and(is_compiled_suffix)
        })
    }

    /// Whether package `package` under `root` binds `name` in its `__init__`.
    fn package_binds(&self, root: &Path, package: &DottedPath, name: &Identifier) -> Binding {
        let folder = module_path(root, package);
        ["__init__.py", "__init__.pyi"]
            .iter()
            .map(|init| folder.join(init))
            .find(|init| self.is_file(init))
            .map_or(Binding::No, |init| self.binds(&init, name))
    }

    /// The module name of the file at `absolute` (a `.py`, `.pyi` or `.pyw` path), or
    /// `None` when some part of it is not an identifier. Source roots win (the longest
    /// that holds the file); else the name is found by walking up `__init__.py` folders.
    fn locate(&self, absolute: &Path) -> Option<ModuleLocation> {
        locate(self, absolute)
    }
}

fn locate<L: Layout + ?Sized>(layout: &L, absolute: &Path) -> Option<ModuleLocation> {
    let stem = absolute.file_stem()?.to_str()?;
    let is_init = stem == "__init__";
    let folder = absolute.parent()?;
    let root = layout
        .source_roots()
        .iter()
        .filter(|r| folder.starts_with(r))
        .max_by_key(|r| r.components().count());
    let rooted = root.is_some();
    let mut segments: Vec<Identifier> = match root {
        Some(root) => folder
            .strip_prefix(root)
            .ok()?
            .components()
            .map(|c| Identifier::parse(c.as_os_str().to_str()?))
            .collect::<Option<_>>()?,
        None => packages_above(layout, folder),
    };
    let package = DottedPath::from_segments(segments.clone());
    if is_init {
        let module = package.clone()?;
        return Some(ModuleLocation {
            module,
            package: Some(package?),
            rooted,
        });
    }
    segments.push(Identifier::parse(stem)?);
    Some(ModuleLocation {
        module: DottedPath::from_segments(segments)?,
        package,
        rooted,
    })
}

/// The names of the regular packages `folder` is nested in, outermost first.
fn packages_above<L: Layout + ?Sized>(layout: &L, folder: &Path) -> Vec<Identifier> {
    let mut names = Vec::new();
    let mut current = Some(folder);
    while let Some(dir) = current {
        if !layout.is_package(dir) {
            break;
        }
        match dir
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(Identifier::parse)
        {
            Some(name) => names.push(name),
            None => break,
        }
        current = dir.parent();
    }
    names.reverse();
    names
}

/// True for what follows a module's name in a compiled module's file name: `.so`, `.pyd`,
/// or a tag and then one of them (`.cpython-312-x86_64-linux-gnu.so`, `.abi3.so`).
fn is_compiled_suffix(rest: &str) -> bool {
    let Some(tagged) = rest.strip_prefix('.') else {
        return false;
    };
    let suffix = tagged.rsplit('.').next().unwrap_or("");
    matches!(suffix, "so" | "pyd") && !tagged.contains('/')
}

/// `root/a/b/c` for module `a.b.c`: the package folder, or the module file without its
/// extension.
pub fn module_path(root: &Path, module: &DottedPath) -> PathBuf {
    root.join(
        module
            .segments()
            .iter()
            .map(Identifier::as_str)
            .collect::<PathBuf>(),
    )
}

/// A layout held in memory: exactly these package folders and module files exist, and a
/// module binds only what [`with_binding`](ListedLayout::with_binding) says (tests,
/// `[[example]]`s, embedders without a disk).
#[derive(Debug, Clone, Default)]
pub struct ListedLayout {
    src: Vec<PathBuf>,
    packages: HashSet<PathBuf>,
    files: HashSet<PathBuf>,
    binds: HashSet<(PathBuf, Identifier)>,
}

impl ListedLayout {
    /// A layout with source roots `src` (absolute), package folders `packages` (each
    /// holding an `__init__.py`) and module files `files` (absolute paths with their
    /// extension).
    pub fn new(
        src: Vec<PathBuf>,
        packages: impl IntoIterator<Item = PathBuf>,
        files: impl IntoIterator<Item = PathBuf>,
    ) -> Self {
        ListedLayout {
            src,
            packages: packages.into_iter().collect(),
            files: files.into_iter().collect(),
            binds: HashSet::new(),
        }
    }

    /// Says that the module in the file `file` binds `name`.
    pub fn with_binding(mut self, file: PathBuf, name: Identifier) -> Self {
        self.binds.insert((file, name));
        self
    }
}

impl Layout for ListedLayout {
    fn source_roots(&self) -> &[PathBuf] {
        &self.src
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains(path)
            || path.file_name().is_some_and(|n| n == "__init__.py")
                && path.parent().is_some_and(|p| self.packages.contains(p))
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.packages.contains(path)
    }

    fn list_dir(&self, folder: &Path) -> Vec<String> {
        self.files
            .iter()
            .chain(&self.packages)
            .filter(|p| p.parent() == Some(folder))
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect()
    }

    fn binds(&self, file: &Path, name: &Identifier) -> Binding {
        if self.binds.contains(&(file.to_path_buf(), name.clone())) {
            Binding::Binds
        } else {
            Binding::No
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> DottedPath {
        DottedPath::parse(text).unwrap()
    }

    fn resolver(src: &[&str], packages: &[&str]) -> ListedLayout {
        ListedLayout::new(
            src.iter().map(PathBuf::from).collect(),
            packages.iter().map(PathBuf::from),
            [],
        )
    }

    #[test]
    fn walks_up_through_init_folders_only() {
        let r = resolver(&[], &["/p/acme", "/p/acme/services"]);
        let found = r.locate(Path::new("/p/acme/services/worker.py")).unwrap();
        assert_eq!(found.module, path("acme.services.worker"));
        assert_eq!(found.package, Some(path("acme.services")));
        let init = r.locate(Path::new("/p/acme/__init__.py")).unwrap();
        assert_eq!(init.module, path("acme"));
        assert_eq!(init.package, Some(path("acme")));
        let script = r.locate(Path::new("/p/tools/run.py")).unwrap();
        assert_eq!(script.module, path("run"));
        assert_eq!(script.package, None);
    }

    #[test]
    fn source_roots_win() {
        let r = resolver(&["/p/src", "/p"], &[]);
        let found = r.locate(Path::new("/p/src/acme/core/mod.py")).unwrap();
        assert_eq!(found.module, path("acme.core.mod"));
        assert!(r.locate(Path::new("/p/src/not-a-name/mod.py")).is_none());
    }

    #[test]
    fn relative_names_resolve_and_spell_with_fewest_dots() {
        let r = resolver(&[], &["/p/a", "/p/a/b"]);
        let here = r.locate(Path::new("/p/a/b/c.py")).unwrap();
        assert_eq!(here.resolve_relative(1, &[]), Some(path("a.b")));
        assert_eq!(
            here.resolve_relative(2, &[Identifier::parse("old").unwrap()]),
            Some(path("a.old"))
        );
        assert_eq!(here.resolve_relative(3, &[]), None);
        assert_eq!(
            here.spell_relative(&path("a.b.new")).as_deref(),
            Some(".new")
        );
        assert_eq!(
            here.spell_relative(&path("a.sub.new")).as_deref(),
            Some("..sub.new")
        );
        assert_eq!(here.spell_relative(&path("a")).as_deref(), Some(".."));
        assert_eq!(here.spell_relative(&path("other.new")), None);
    }
}

#[cfg(test)]
mod suffix_tests {
    use super::*;

    #[test]
    fn compiled_and_cython_modules_exist() {
        let root = PathBuf::from("/p");
        let layout = ListedLayout::new(
            Vec::new(),
            [root.join("pkg")],
            [
                root.join("pkg/_speedups.cpython-312-x86_64-linux-gnu.so"),
                root.join("pkg/_win.pyd"),
                root.join("pkg/_cy.pyx"),
                root.join("pkg/_speedupsx.txt"),
            ],
        );
        let exists = |m: &str| layout.module_exists(&root, &DottedPath::parse(m).unwrap());
        assert!(exists("pkg._speedups"));
        assert!(exists("pkg._win"));
        assert!(exists("pkg._cy"));
        assert!(!exists("pkg._speedupsx"));
        assert!(!exists("pkg._speed"));
        assert!(is_compiled_suffix(".abi3.so"));
        assert!(!is_compiled_suffix("x.so"));
    }
}
