//! The engine's [`Layout`] answered from the disk: which folders are packages (each
//! answer remembered for the run), which modules exist, what a package's `__init__` binds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use std::sync::Arc;

use reroute_engine::binds::TopBindings;
use reroute_engine::spec::Identifier;
use reroute_engine::{Binding, Layout};

/// The project on disk, shared by all workers of a run.
pub struct DiskLayout {
    /// Absolute source roots.
    src: Vec<PathBuf>,
    /// The project's folder: ignore files are read up to it.
    root: Option<PathBuf>,
    packages: Mutex<HashMap<PathBuf, bool>>,
    /// What each module file read so far binds (a package's `__init__` is asked once per
    /// imported name).
    bindings: Mutex<HashMap<PathBuf, Arc<TopBindings>>>,
}

impl DiskLayout {
    /// A layout with the configured source roots `src` (absolute).
    pub fn new(src: Vec<PathBuf>) -> DiskLayout {
        DiskLayout {
            src,
            root: None,
            packages: Mutex::new(HashMap::new()),
            bindings: Mutex::new(HashMap::new()),
        }
    }

    /// The same, reading ignore files (`is_ignored`) up to the project folder `root`.
    pub fn with_root(mut self, root: PathBuf) -> DiskLayout {
        self.root = Some(root);
        self
    }
}

impl Layout for DiskLayout {
    fn source_roots(&self) -> &[PathBuf] {
        &self.src
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    /// Each file is read and walked once for the run.
    fn binds(&self, file: &Path, name: &Identifier) -> Binding {
        let known = self
            .bindings
            .lock()
            .ok()
            .and_then(|cache| cache.get(file).cloned());
        let bindings = known.unwrap_or_else(|| {
            let read = Arc::new(file_bindings(file));
            if let Ok(mut cache) = self.bindings.lock() {
                cache.insert(file.to_path_buf(), Arc::clone(&read));
            }
            read
        });
        bindings.get(name)
    }

    /// Asked only where a first-party module is missing: each `.gitignore` from the
    /// file's folder up to the project folder (the nearest one that says wins), then
    /// `.git/info/exclude`.
    fn is_ignored(&self, path: &Path) -> bool {
        let Some(root) = &self.root else {
            return false;
        };
        let mut files: Vec<(PathBuf, PathBuf)> = path
            .ancestors()
            .skip(1)
            .take_while(|folder| folder.starts_with(root))
            .map(|folder| (folder.to_path_buf(), folder.join(".gitignore")))
            .collect();
        files.push((root.clone(), root.join(".git/info/exclude")));
        for (folder, file) in files {
            if !file.is_file() {
                continue;
            }
            let mut builder = ignore::gitignore::GitignoreBuilder::new(&folder);
            if builder.add(&file).is_some() {
                continue;
            }
            let Ok(matcher) = builder.build() else {
                continue;
            };
            match matcher.matched_path_or_any_parents(path, false) {
                ignore::Match::Ignore(_) => return true,
                ignore::Match::Whitelist(_) => return false,
                ignore::Match::None => {}
            }
        }
        false
    }

    fn list_dir(&self, folder: &Path) -> Vec<String> {
        std::fs::read_dir(folder)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Asked for every folder above every file: each answer is remembered.
    fn is_package(&self, folder: &Path) -> bool {
        if let Some(known) = self
            .packages
            .lock()
            .ok()
            .and_then(|c| c.get(folder).copied())
        {
            return known;
        }
        let found = folder.join("__init__.py").is_file() || folder.join("__init__.pyi").is_file();
        if let Ok(mut cache) = self.packages.lock() {
            cache.insert(folder.to_path_buf(), found);
        }
        found
    }
}

/// Whether the module in `file` binds `name` at its top level; a file that cannot be read
/// may.
pub fn file_binding(file: &Path, name: &Identifier) -> Binding {
    file_bindings(file).get(name)
}

/// What the module in `file` binds at its top level; a file that cannot be read may bind
/// anything.
fn file_bindings(file: &Path) -> TopBindings {
    match std::fs::read(file) {
        Ok(bytes) => TopBindings::of(&bytes),
        Err(_) => TopBindings::unknown(),
    }
}
