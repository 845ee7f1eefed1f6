//! `reroute mv SRC DST` (#10): the whole move in one command. `prepare` checks the move
//! and works out the module names and the codemod (refusing, with nothing changed, when
//! DST exists, SRC is not a module of the tree, or the new name is taken); `perform`
//! writes the codemod and moves the files (`git mv` inside a git work tree, keeping
//! history), creating `__init__.py` in new folders where the source package has one; the
//! caller then runs `apply` with the codemod, which rewrites the importers and respells
//! the moved files' relative imports; `write_shim` leaves a re-exporting module behind.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::cli::MvArgs;
use crate::config::MoveSettings;
use crate::modules::ModuleResolver;
use crate::spec::{DottedPath, Identifier};

/// A checked move, ready to perform.
#[derive(Debug)]
pub struct MovePlan {
    pub project_root: PathBuf,
    pub src: PathBuf,
    pub dst: PathBuf,
    pub from: DottedPath,
    pub to: DottedPath,
    pub is_package: bool,
    pub codemod_file: PathBuf,
    pub codemod_text: String,
    /// Folders to create, outermost first (each gets an `__init__.py` when `init`).
    pub new_folders: Vec<PathBuf>,
    pub init: bool,
    pub git: bool,
}

/// Checks the move; changes nothing.
pub fn prepare(args: &MvArgs, cwd: &Path) -> anyhow::Result<MovePlan> {
    let settings = MoveSettings::resolve(cwd)?;
    let src = crate::process::absolute_path(cwd, &args.src);
    let meta = std::fs::symlink_metadata(&src).with_context(|| {
        format!(
            "{}: cannot move it: no such file or folder",
            args.src.display()
        )
    })?;
    let is_package = meta.is_dir();
    if is_package && !src.join("__init__.py").is_file() {
        bail!(
            "{}: not a package (no __init__.py); move its modules one by one, or add an __init__.py",
            args.src.display()
        );
    }
    if !is_package && src.extension().is_none_or(|e| e != "py") {
        bail!(
            "{}: not a Python module (a .py file or a package folder)",
            args.src.display()
        );
    }
    let modules = ModuleResolver::new(settings.src.clone());
    let located = if is_package {
        src.join("__init__.py")
    } else {
        src.clone()
    };
    let from = modules
        .locate(&located)
        .map(|l| l.module)
        .with_context(|| {
            format!(
                "{}: not a module of the tree (its path is not a Python name)",
                args.src.display()
            )
        })?;
    let mut dst = crate::process::absolute_path(cwd, &args.dst);
    if dst.is_dir() {
        let name = src.file_name().context("SRC has no name")?;
        dst = dst.join(name);
    }
    if std::fs::symlink_metadata(&dst).is_ok() {
        bail!(
            "{}: already exists; pick another destination",
            dst.display()
        );
    }
    if !is_package && dst.extension().is_none_or(|e| e != "py") {
        bail!("{}: a module moves to a .py path", dst.display());
    }
    let (to, new_folders) = destination_module(&modules, &dst, is_package)?;
    if to == from {
        bail!(
            "{} and {} are the same module",
            args.src.display(),
            dst.display()
        );
    }
    if to.starts_with(&from) && is_package {
        bail!("{}: cannot move a package into itself", dst.display());
    }
    refuse_shadowing(&modules, &dst, &to, is_package)?;
    let stem = |p: &DottedPath| p.last().to_string();
    let codemod_file = match &args.codemod {
        Some(file) => cwd.join(file),
        None => settings
            .codemods
            .join(format!("mv-{}-to-{}.toml", stem(&from), stem(&to))),
    };
    if codemod_file.exists() {
        bail!(
            "{}: already exists; pass --codemod FILE to write the codemod elsewhere",
            codemod_file.display()
        );
    }
    // `strings = true`: `mock.patch("pkg.old.f")` targets and entry points are references
    // of the move too.
    let codemod_text = format!(
        "description = \"{from} moved to {to} (reroute mv)\"\n\n[[move]]\nfrom = \"{from}\"\nto = \"{to}\"\nkind = \"module\"\nstrings = true\n"
    );
    let init = src
        .parent()
        .is_some_and(|parent| parent.join("__init__.py").is_file());
    Ok(MovePlan {
        git: in_git_work_tree(&settings.project_root),
        project_root: settings.project_root,
        src,
        dst,
        from,
        to,
        is_package,
        codemod_file,
        codemod_text,
        new_folders,
        init,
    })
}

/// The module DST will be, and the folders that must be made for it (which become
/// packages like the source's): the nearest existing folder above DST gives the package
/// it is in, the new folders and DST's own name the rest.
fn destination_module(
    modules: &ModuleResolver,
    dst: &Path,
    is_package: bool,
) -> anyhow::Result<(DottedPath, Vec<PathBuf>)> {
    let mut new_folders = Vec::new();
    let mut existing = dst.parent().context("DST has no folder")?;
    while !existing.is_dir() {
        new_folders.push(existing.to_path_buf());
        existing = existing
            .parent()
            .context("DST is under no existing folder")?;
    }
    new_folders.reverse();
    // The package a module placed in `existing` would be in, as the resolver names it
    // (source roots, then `__init__.py` folders): a name probe, never created.
    let mut segments: Vec<Identifier> = modules
        .locate(&existing.join("__reroute_probe__.py"))
        .map(|location| {
            let module = location.module.segments();
            module[..module.len() - 1].to_vec()
        })
        .unwrap_or_default();
    let name = |path: &Path, strip: bool| {
        let text = if strip {
            path.file_stem()
        } else {
            path.file_name()
        }
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
        Identifier::parse(&text)
            .with_context(|| format!("{}: {text:?} is not a Python name", path.display()))
    };
    for folder in &new_folders {
        segments.push(name(folder, false)?);
    }
    segments.push(name(dst, !is_package)?);
    let to = DottedPath::from_segments(segments).context("empty module name")?;
    Ok((to, new_folders))
}

/// Refuses a move whose new name is already a module or a name its package binds.
fn refuse_shadowing(
    modules: &ModuleResolver,
    dst: &Path,
    to: &DottedPath,
    is_package: bool,
) -> anyhow::Result<()> {
    let sibling = if is_package {
        dst.with_extension("py")
    } else {
        dst.with_extension("")
    };
    if sibling.exists() {
        bail!(
            "{}: {} would shadow {}, which is already there; pick another name",
            dst.display(),
            to,
            sibling.display()
        );
    }
    if let (Some(package), Some(folder)) = (to.parent(), dst.parent())
        && folder.join("__init__.py").is_file()
        && crate::targets::surely_binds_name(&folder.join("__init__.py"), to.last())
        && modules.locate(&folder.join("__init__.py")).is_some()
    {
        bail!(
            "{}: `{}` is already a name in package {package} ({}); pick another name",
            dst.display(),
            to.last(),
            folder.join("__init__.py").display()
        );
    }
    Ok(())
}

fn in_git_work_tree(folder: &Path) -> bool {
    Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(folder)
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"true"))
}

fn git(folder: &Path, args: &[&std::ffi::OsStr]) -> anyhow::Result<()> {
    let output = Command::new("git")
        .args(args)
        .current_dir(folder)
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        bail!(
            "git {} failed: {}",
            args.iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// Writes the codemod and moves the files.
pub fn perform(plan: &MovePlan) -> anyhow::Result<()> {
    if let Some(folder) = plan.codemod_file.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("{}: cannot create the folder", folder.display()))?;
    }
    std::fs::write(&plan.codemod_file, &plan.codemod_text)
        .with_context(|| format!("{}: cannot write", plan.codemod_file.display()))?;
    for folder in &plan.new_folders {
        std::fs::create_dir(folder)
            .with_context(|| format!("{}: cannot create the folder", folder.display()))?;
        if plan.init {
            let init = folder.join("__init__.py");
            std::fs::write(&init, "")
                .with_context(|| format!("{}: cannot write", init.display()))?;
            if plan.git {
                git(&plan.project_root, &["add".as_ref(), init.as_os_str()])?;
            }
        }
    }
    if plan.git && tracked(&plan.project_root, &plan.src) {
        git(
            &plan.project_root,
            &["mv".as_ref(), plan.src.as_os_str(), plan.dst.as_os_str()],
        )
    } else {
        std::fs::rename(&plan.src, &plan.dst).with_context(|| {
            format!(
                "cannot move {} to {}",
                plan.src.display(),
                plan.dst.display()
            )
        })
    }
}

/// True when git tracks `path` (a file, or something under a folder).
fn tracked(folder: &Path, path: &Path) -> bool {
    Command::new("git")
        .args(["ls-files", "--error-unmatch"])
        .arg(path)
        .current_dir(folder)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Leaves a module at the old path that re-exports the new one and warns.
pub fn write_shim(plan: &MovePlan) -> anyhow::Result<PathBuf> {
    let file = if plan.is_package {
        std::fs::create_dir_all(&plan.src)
            .with_context(|| format!("{}: cannot create the folder", plan.src.display()))?;
        plan.src.join("__init__.py")
    } else {
        plan.src.clone()
    };
    let (from, to) = (&plan.from, &plan.to);
    let text = format!(
        "\"\"\"Deprecated: `{from}` moved to `{to}`; import it from there.\"\"\"\nimport warnings\n\nfrom {to} import *  # noqa: F401,F403\n\nwarnings.warn(\n    \"{from} moved to {to}; import it from there\",\n    DeprecationWarning,\n    stacklevel=2,\n)\n"
    );
    std::fs::write(&file, text).with_context(|| format!("{}: cannot write", file.display()))?;
    if plan.git {
        git(&plan.project_root, &["add".as_ref(), file.as_os_str()])?;
    }
    Ok(file)
}

/// `--dry-run`: the move made in a copy of the project (the files git or .gitignore do
/// not ignore, without `.git`), by this same binary; returns the patch that takes the
/// project to the copy (renames as `git apply` takes them) and the copy's exit code.
pub fn dry_run(plan: &MovePlan, args: &MvArgs, cwd: &Path) -> anyhow::Result<(Vec<u8>, i32)> {
    let copy = tempfile::Builder::new()
        .prefix("reroute-mv-")
        .tempdir()
        .context("cannot make a temp folder")?;
    let root = &plan.project_root;
    let files = project_files(root);
    for file in &files {
        let target = copy.path().join(file);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder)?;
        }
        std::fs::copy(root.join(file), &target)
            .with_context(|| format!("{}: cannot copy", root.join(file).display()))?;
    }
    let inside = |path: &Path| -> anyhow::Result<PathBuf> {
        let relative = path.strip_prefix(root).with_context(|| {
            format!("{}: outside the project {}", path.display(), root.display())
        })?;
        Ok(copy.path().join(relative))
    };
    let exe = std::env::current_exe().context("cannot find this program")?;
    let mut command = Command::new(exe);
    command
        .arg("mv")
        .arg(inside(&plan.src)?)
        .arg(inside(&plan.dst)?)
        .arg("--codemod")
        .arg(inside(&plan.codemod_file)?)
        .current_dir(inside(cwd).unwrap_or_else(|_| copy.path().to_path_buf()));
    if args.shim {
        command.arg("--shim");
    }
    let output = command.output().context("cannot run the move in a copy")?;
    let code = output.status.code().unwrap_or(2);
    if code == 2 {
        bail!(
            "the move failed in a copy of the project:\n{}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok((patch(root, copy.path(), &files, plan)?, code))
}

/// The project's files that a copy holds: what the walk does not ignore, and no `.git`.
fn project_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    files.sort();
    files
}

/// The patch from `root` to `copy`: each moved file as a rename (with its changes), each
/// other changed file, and each new file.
fn patch(root: &Path, copy: &Path, files: &[PathBuf], plan: &MovePlan) -> anyhow::Result<Vec<u8>> {
    let src = plan.src.strip_prefix(root)?.to_path_buf();
    let dst = plan.dst.strip_prefix(root)?.to_path_buf();
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for file in files {
        let old = std::fs::read(root.join(file))?;
        let renamed = file.strip_prefix(&src).ok().map(|rest| {
            if rest.as_os_str().is_empty() {
                dst.clone()
            } else {
                dst.join(rest)
            }
        });
        let now_at = renamed.clone().unwrap_or_else(|| file.clone());
        seen.insert(now_at.clone());
        let new = std::fs::read(copy.join(&now_at)).ok();
        let shim = copy.join(file);
        match (renamed, new) {
            (Some(to), Some(new)) => {
                out.extend(rename_diff(file, &to, &old, &new));
                if shim.is_file() {
                    seen.insert(file.clone());
                    out.extend(new_file_diff(file, &std::fs::read(&shim)?));
                }
            }
            (None, Some(new)) if new != old => out.extend(text_diff(file, &old, &new)),
            _ => {}
        }
    }
    for file in project_files(copy) {
        if !seen.contains(&file) && !root.join(&file).exists() {
            out.extend(new_file_diff(&file, &std::fs::read(copy.join(&file))?));
        }
    }
    Ok(out)
}

fn path_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().replace('\\', "/").into_bytes()
}

fn text_diff(path: &Path, old: &[u8], new: &[u8]) -> Vec<u8> {
    crate::diff::unified_diff(&path_bytes(path), old, new)
        .into_iter()
        .flat_map(|(_, line)| line)
        .collect()
}

fn rename_diff(from: &Path, to: &Path, old: &[u8], new: &[u8]) -> Vec<u8> {
    let quote = |prefix: &str, path: &Path| {
        crate::diff::quote_path(&[prefix.as_bytes(), &path_bytes(path)].concat())
    };
    let mut out = format!(
        "diff --git {} {}\nrename from {}\nrename to {}\n",
        quote("a/", from),
        quote("b/", to),
        crate::diff::quote_path(&path_bytes(from)),
        crate::diff::quote_path(&path_bytes(to)),
    )
    .into_bytes();
    if old != new {
        // The hunks of the content change, under the rename's own headers.
        let lines = crate::diff::unified_diff(&path_bytes(to), old, new);
        out.extend(format!("--- {}\n+++ {}\n", quote("a/", from), quote("b/", to)).into_bytes());
        out.extend(lines.into_iter().skip(3).flat_map(|(_, line)| line));
    }
    out
}

fn new_file_diff(path: &Path, new: &[u8]) -> Vec<u8> {
    let name = crate::diff::quote_path(&[b"b/".as_slice(), &path_bytes(path)].concat());
    let mut out = format!(
        "diff --git {} {name}\nnew file mode 100644\n",
        crate::diff::quote_path(&[b"a/".as_slice(), &path_bytes(path)].concat())
    )
    .into_bytes();
    if !new.is_empty() {
        out.extend(format!("--- /dev/null\n+++ {name}\n").into_bytes());
        out.extend(
            crate::diff::unified_diff(&path_bytes(path), b"", new)
                .into_iter()
                .skip(3)
                .flat_map(|(_, line)| line),
        );
    }
    out
}
