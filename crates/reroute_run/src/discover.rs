//! Finding the Python files to process: a parallel, .gitignore-aware walk over the given
//! paths, sorted so output never depends on thread timing.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::overrides::OverrideBuilder;
use ignore::types::TypesBuilder;
use ignore::{WalkBuilder, WalkState};

/// One file to process.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileJob {
    pub path: PathBuf,
}

/// What the walk met besides files to process.
#[derive(Debug, Default)]
pub struct Discovery {
    pub jobs: Vec<FileJob>,
    /// Walk errors (unreadable folders, bad ignore files), sorted.
    pub errors: Vec<WalkError>,
    /// Symbolic links met and not followed.
    pub symlinks: Vec<PathBuf>,
}

pub struct WalkOptions<'a> {
    pub exclude: &'a [String],
    pub no_ignore: bool,
    /// Also extensionless files whose first line is a Python shebang.
    pub include_scripts: bool,
    pub threads: usize,
}

/// A folder or path the walk could not read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WalkError {
    /// The path the error is about, when the walker names one.
    pub path: Option<PathBuf>,
    /// The whole message, path included.
    pub message: String,
}

impl WalkError {
    fn from_ignore(error: &ignore::Error) -> WalkError {
        let mut path = None;
        let mut current = error;
        loop {
            match current {
                ignore::Error::WithPath { path: p, .. } => {
                    path = Some(p.clone());
                    break;
                }
                ignore::Error::WithLineNumber { err, .. }
                | ignore::Error::WithDepth { err, .. } => current = err,
                _ => break,
            }
        }
        WalkError {
            path,
            message: error.to_string(),
        }
    }
}

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

pub fn discover(paths: &[PathBuf], options: &WalkOptions<'_>) -> Result<Discovery, ignore::Error> {
    let mut discovery = Discovery::default();
    let mut roots = Vec::new();
    for path in paths {
        match std::fs::symlink_metadata(path) {
            // Named on the command line: not skipped with a warning (a CI gate would pass
            // having checked nothing), but an error that names what to pass instead.
            Ok(meta) if meta.file_type().is_symlink() => discovery.errors.push(WalkError {
                path: Some(path.clone()),
                message: format!(
                    "{}: a symbolic link (to {}); reroute does not follow links: name the file it points to",
                    path.display(),
                    std::fs::read_link(path).map_or_else(|_| "?".to_string(), |t| t.display().to_string())
                ),
            }),
            Ok(meta) if meta.is_file() => discovery.jobs.push(FileJob { path: path.clone() }),
            Ok(meta) if meta.is_dir() => roots.push(path.clone()),
            // A FIFO, socket or device: reading it could block or never end.
            Ok(_) => discovery.errors.push(WalkError {
                path: Some(path.clone()),
                message: format!(
                    "{}: not a regular file (a FIFO, socket or device); name a Python file or a folder",
                    path.display()
                ),
            }),
            Err(error) => discovery.errors.push(WalkError {
                path: Some(path.clone()),
                message: format!("{}: {error}; check the path", path.display()),
            }),
        }
    }
    if !roots.is_empty() {
        walk(&roots, options, &mut discovery)?;
    }
    discovery.jobs.sort();
    discovery.jobs.dedup_by(|a, b| a.path == b.path);
    discovery.symlinks.sort();
    discovery.errors.sort();
    Ok(discovery)
}

fn walk(
    roots: &[PathBuf],
    options: &WalkOptions<'_>,
    discovery: &mut Discovery,
) -> Result<(), ignore::Error> {
    let mut builder = WalkBuilder::new(&roots[0]);
    for root in &roots[1..] {
        builder.add(root);
    }
    let mut types = TypesBuilder::new();
    types.add_defaults();
    types.add("py", "*.pyw")?;
    types.select("py");
    let mut overrides = OverrideBuilder::new(common_base(roots));
    for glob in options.exclude {
        // gitignore syntax, as a codemod's `exclude`: `./dir/x.py` is anchored like `/dir/x.py`.
        let glob = match glob.strip_prefix("./") {
            Some(rest) => format!("/{rest}"),
            None => glob.clone(),
        };
        overrides.add(&format!("!{glob}"))?;
    }
    if !options.include_scripts {
        builder.types(types.build()?);
    }
    let include_scripts = options.include_scripts;
    builder
        .overrides(overrides.build()?)
        .follow_links(false)
        .standard_filters(!options.no_ignore)
        .hidden(!options.no_ignore)
        .require_git(false)
        .threads(options.threads);
    let found = Mutex::new(Discovery::default());
    builder.build_parallel().run(|| {
        let found = &found;
        Box::new(move |entry| {
            let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
            match entry {
                Ok(entry) => {
                    let file_type = entry.file_type();
                    if file_type.is_some_and(|t| t.is_symlink()) {
                        found.symlinks.push(entry.into_path());
                    } else if file_type.is_some_and(|t| t.is_file())
                        && (!include_scripts || is_python_file(entry.path()))
                    {
                        found.jobs.push(FileJob {
                            path: entry.into_path(),
                        });
                    }
                }
                Err(error) => found.errors.push(WalkError::from_ignore(&error)),
            }
            WalkState::Continue
        })
    });
    let found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    discovery.jobs.extend(found.jobs);
    discovery.symlinks.extend(found.symlinks);
    discovery.errors.extend(found.errors);
    Ok(())
}

/// The one definition of a Python source file by its name: `.py`, `.pyi` or `.pyw`.
pub fn has_python_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| matches!(extension.to_str(), Some("py" | "pyi" | "pyw")))
}

/// Which files a [`walk_files`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// Python files ([`has_python_extension`]), as ignore files and hidden folders allow.
    Python,
    /// Every file the ignore files allow, hidden folders too, except under `.git`.
    Project,
}

/// The files under `root` (serially, sorted): the walk of the commands that read a whole
/// project outside a run (`suggest`, the entry points, `mv --dry-run`'s copy).
pub fn walk_files(root: &Path, listing: Listing) -> Vec<PathBuf> {
    let mut builder = WalkBuilder::new(root);
    if listing == Listing::Project {
        builder
            .hidden(false)
            .filter_entry(|e| e.file_name() != ".git");
    }
    let mut files: Vec<PathBuf> = builder
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| listing == Listing::Project || has_python_extension(p))
        .collect();
    files.sort();
    files
}

/// A Python file by name, or one without an extension whose first line is a Python
/// shebang (`#!/usr/bin/env python3`, `#!/usr/bin/python`).
fn is_python_file(path: &Path) -> bool {
    match path.extension() {
        Some(_) => has_python_extension(path),
        None => {
            let mut head = [0u8; 128];
            let read = std::fs::File::open(path)
                .and_then(|mut file| std::io::Read::read(&mut file, &mut head))
                .unwrap_or(0);
            let first_line = head[..read].split(|&b| b == b'\n' || b == b'\r').next();
            first_line.is_some_and(|line| {
                line.starts_with(b"#!") && line.windows(6).any(|w| w == b"python")
            })
        }
    }
}

fn common_base(roots: &[PathBuf]) -> &Path {
    if roots.len() == 1 {
        &roots[0]
    } else {
        Path::new(".")
    }
}
