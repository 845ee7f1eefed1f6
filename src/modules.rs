//! A file's module name, which relative imports are resolved from: configured source roots
//! (`[tool.reroute] src`, `--src`) win; without one that holds the file, the name is found
//! by walking up through folders that have an `__init__.py`, as Python's import system sees
//! a regular package.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::spec::{DottedPath, Identifier};

/// Where a file sits in the module namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleLocation {
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

/// Which folders are regular packages.
enum Layout {
    /// Asks the file system, remembering each answer.
    Filesystem(Mutex<HashMap<PathBuf, bool>>),
    /// A fixed set of package folders and module files (tests and examples).
    Listed {
        packages: HashSet<PathBuf>,
        files: HashSet<PathBuf>,
    },
}

/// `root/a/b/c` for module `a.b.c`: the package folder, or the module file without its
/// extension.
fn module_path(root: &Path, module: &DottedPath) -> PathBuf {
    root.join(
        module
            .segments()
            .iter()
            .map(Identifier::as_str)
            .collect::<PathBuf>(),
    )
}

/// Finds module names for files; shared by all workers.
pub struct ModuleResolver {
    /// Absolute source roots, longest first.
    src: Vec<PathBuf>,
    layout: Layout,
}

impl ModuleResolver {
    /// Looks folders up on disk.
    pub fn new(mut src: Vec<PathBuf>) -> Self {
        src.sort_by_key(|root| std::cmp::Reverse(root.components().count()));
        ModuleResolver {
            src,
            layout: Layout::Filesystem(Mutex::new(HashMap::new())),
        }
    }

    /// Treats exactly `packages` as folders with an `__init__.py`.
    pub fn with_packages(src: Vec<PathBuf>, packages: impl IntoIterator<Item = PathBuf>) -> Self {
        Self::with_layout(src, packages, [])
    }

    /// Treats exactly `packages` as folders with an `__init__.py` and `files` as the
    /// module files that exist (the rest of the disk is not asked).
    pub fn with_layout(
        src: Vec<PathBuf>,
        packages: impl IntoIterator<Item = PathBuf>,
        files: impl IntoIterator<Item = PathBuf>,
    ) -> Self {
        let mut resolver = ModuleResolver::new(src);
        resolver.layout = Layout::Listed {
            packages: packages.into_iter().collect(),
            files: files.into_iter().collect(),
        };
        resolver
    }

    /// True when module `module` exists under `root` (the folder holding its top-level
    /// package): a `.py`/`.pyi` file, or a package folder.
    pub fn module_exists(&self, root: &Path, module: &DottedPath) -> bool {
        let base = module_path(root, module);
        let files = [base.with_extension("py"), base.with_extension("pyi")];
        match &self.layout {
            Layout::Listed {
                packages,
                files: listed,
            } => packages.contains(&base) || files.iter().any(|f| listed.contains(f)),
            Layout::Filesystem(_) => files.iter().any(|f| f.is_file()) || base.is_dir(),
        }
    }

    /// True when package `module` under `root` binds `name` in its `__init__.py` (or may:
    /// a star import, a module `__getattr__`); never for a listed layout.
    pub fn package_binds(&self, root: &Path, module: &DottedPath, name: &Identifier) -> bool {
        let folder = module_path(root, module);
        match &self.layout {
            Layout::Listed { .. } => false,
            Layout::Filesystem(_) => ["__init__.py", "__init__.pyi"]
                .iter()
                .map(|init| folder.join(init))
                .find(|init| init.is_file())
                .is_some_and(|init| crate::targets::binds_name(&init, name)),
        }
    }

    /// The module name of the file at `absolute` (a `.py`, `.pyi` or `.pyw` path), or `None`
    /// when some part of it is not an identifier.
    pub fn locate(&self, absolute: &Path) -> Option<ModuleLocation> {
        let stem = absolute.file_stem()?.to_str()?;
        let is_init = stem == "__init__";
        let folder = absolute.parent()?;
        let root = self.src.iter().find(|r| folder.starts_with(r));
        let rooted = root.is_some();
        let mut segments: Vec<Identifier> = match root {
            Some(root) => folder
                .strip_prefix(root)
                .ok()?
                .components()
                .map(|c| Identifier::parse(c.as_os_str().to_str()?))
                .collect::<Option<_>>()?,
            None => self.packages_above(folder),
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
    fn packages_above(&self, folder: &Path) -> Vec<Identifier> {
        let mut names = Vec::new();
        let mut current = Some(folder);
        while let Some(dir) = current {
            if !self.is_package(dir) {
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

    fn is_package(&self, dir: &Path) -> bool {
        match &self.layout {
            Layout::Listed { packages, .. } => packages.contains(dir),
            Layout::Filesystem(cache) => {
                if let Some(&known) = cache.lock().ok().and_then(|c| c.get(dir).copied()).as_ref() {
                    return known;
                }
                let found = dir.join("__init__.py").is_file() || dir.join("__init__.pyi").is_file();
                if let Ok(mut cache) = cache.lock() {
                    cache.insert(dir.to_path_buf(), found);
                }
                found
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> DottedPath {
        DottedPath::parse(text).unwrap()
    }

    fn resolver(src: &[&str], packages: &[&str]) -> ModuleResolver {
        ModuleResolver::with_packages(
            src.iter().map(PathBuf::from).collect(),
            packages.iter().map(PathBuf::from),
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
