//! Checking a move before anything changes: the module names of SRC and DST, the folders
//! to create, the codemod to write; a refusal (DST exists, SRC is not a module of the
//! tree, the new name is taken) leaves the tree as it was.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use reroute_engine::Layout;
use reroute_engine::spec::{DottedPath, Identifier};
use reroute_run::DiskLayout;
use reroute_run::paths::absolute_path;

use crate::cli::MvArgs;
use crate::config::MoveSettings;

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
    let src = absolute_path(cwd, &args.src);
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
    let modules = DiskLayout::new(settings.src.clone());
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
    let mut dst = absolute_path(cwd, &args.dst);
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
    modules: &dyn Layout,
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
    modules: &dyn Layout,
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
        && reroute_run::layout::file_binding(&folder.join("__init__.py"), to.last())
            == reroute_engine::Binding::Binds
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

/// True when `folder` is inside a git work tree (the move then uses `git mv`).
fn in_git_work_tree(folder: &Path) -> bool {
    Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(folder)
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"true"))
}
