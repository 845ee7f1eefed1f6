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
use serde::{Deserialize, Serialize};

use crate::cli::MvArgs;
use crate::config::MoveSettings;

/// What kind of move: most change the module's name and need a codemod; a module becoming
/// its package's `__init__.py` (or back) keeps its name, and only its own relative imports
/// change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shape {
    /// The module or package gets a new dotted name.
    Rename,
    /// `pkg/mod.py` → `pkg/mod/__init__.py`.
    ModuleToPackage,
    /// `pkg/mod/__init__.py` (the package holds nothing else) → `pkg/mod.py`.
    PackageToModule,
}

/// A checked move, ready to perform (and kept, as it is, in the journal of a move that was
/// interrupted).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MovePlan {
    pub project_root: PathBuf,
    pub src: PathBuf,
    pub dst: PathBuf,
    /// Dotted, as written in the codemod.
    pub from: String,
    pub to: String,
    pub is_package: bool,
    pub shape: Shape,
    /// `None` when the dotted name does not change.
    pub codemod_file: Option<PathBuf>,
    pub codemod_text: String,
    /// An earlier `reroute mv` codemod that this move undoes (`mv b a` after `mv a b`):
    /// removed, so that the two never form a loop.
    pub undoes: Option<PathBuf>,
    /// Folders to create, outermost first (each gets an `__init__.py` when `init`).
    pub new_folders: Vec<PathBuf>,
    pub init: bool,
    /// A folder left empty by the move, to remove (`PackageToModule`).
    pub old_folder: Option<PathBuf>,
    pub git: bool,
    /// `--shim`.
    pub shim: bool,
}

/// Checks the move; changes nothing.
pub fn prepare(
    args: &MvArgs,
    cwd: &Path,
    source: &crate::config::ConfigSource,
) -> anyhow::Result<MovePlan> {
    let settings = MoveSettings::resolve(cwd, source)?;
    let (Some(arg_src), Some(arg_dst)) = (&args.src, &args.dst) else {
        bail!("reroute mv takes SRC and DST (or --continue)");
    };
    let mut src = absolute_path(cwd, arg_src);
    let meta = std::fs::symlink_metadata(&src).with_context(|| {
        format!(
            "{}: cannot move it: no such file or folder",
            arg_src.display()
        )
    })?;
    let mut is_package = meta.is_dir();
    if is_package && !src.join("__init__.py").is_file() {
        bail!(
            "{}: not a package (no __init__.py); move its modules one by one, or add an __init__.py",
            arg_src.display()
        );
    }
    if !is_package && src.extension().is_none_or(|e| e != "py") {
        bail!(
            "{}: not a Python module (a .py file or a package folder)",
            arg_src.display()
        );
    }
    let mut dst = absolute_path(cwd, arg_dst);
    if !dst.starts_with(&settings.project_root) {
        bail!(
            "{}: outside the project ({}); a move stays in its project",
            dst.display(),
            settings.project_root.display()
        );
    }
    let modules = DiskLayout::new(settings.src.clone());
    let shape = same_name_shape(&src, &dst, is_package)?;
    if shape == Shape::PackageToModule && is_package {
        // The package's one file moves; its folder goes.
        src = src.join("__init__.py");
        is_package = false;
    }
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
                arg_src.display()
            )
        })?;
    if shape == Shape::Rename && dst.is_dir() {
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
    let (to, mut new_folders) = match shape {
        Shape::Rename => destination_module(&modules, &dst, is_package)?,
        Shape::ModuleToPackage => (
            from.clone(),
            vec![dst.parent().context("DST has no folder")?.to_path_buf()],
        ),
        Shape::PackageToModule => (from.clone(), Vec::new()),
    };
    if shape == Shape::Rename {
        if to == from {
            bail!(
                "{} and {} are the same module",
                arg_src.display(),
                dst.display()
            );
        }
        if to.starts_with(&from) && is_package {
            bail!("{}: cannot move a package into itself", dst.display());
        }
        refuse_shadowing(&modules, &dst, &to, is_package)?;
    }
    let stem = |p: &DottedPath| p.last().to_string();
    let codemod_file = match (&args.codemod, shape) {
        (_, Shape::ModuleToPackage | Shape::PackageToModule) => None,
        (Some(file), _) => Some(cwd.join(file)),
        (None, _) => Some(settings.codemods.join(format!(
            "mv-{}-to-{}.toml",
            stem(&from),
            stem(&to)
        ))),
    };
    let undoes = match &codemod_file {
        Some(_) => super::undo::earlier_inverse(&settings.codemods, &from, &to)?,
        None => None,
    };
    if let Some(file) = codemod_file.as_ref().filter(|f| f.exists())
        && undoes.as_deref() != Some(file.as_path())
    {
        bail!(
            "{}: already exists; pass --codemod FILE to write the codemod elsewhere",
            file.display()
        );
    }
    // `strings = true`: `mock.patch("pkg.old.f")` targets and entry points are references
    // of the move too.
    let codemod_text = format!(
        "description = \"{from} moved to {to} (reroute mv)\"\n\n[[move]]\nfrom = \"{from}\"\nto = \"{to}\"\nkind = \"module\"\nstrings = true\n"
    );
    let init = shape == Shape::Rename
        && src
            .parent()
            .is_some_and(|parent| parent.join("__init__.py").is_file());
    if shape != Shape::Rename {
        new_folders.retain(|f| !f.is_dir());
    }
    Ok(MovePlan {
        git: in_git_work_tree(&settings.project_root),
        old_folder: (shape == Shape::PackageToModule)
            .then(|| src.parent().map(Path::to_path_buf))
            .flatten(),
        project_root: settings.project_root,
        src,
        dst,
        from: from.to_string(),
        to: to.to_string(),
        is_package,
        shape,
        codemod_file,
        codemod_text,
        undoes,
        new_folders,
        init,
        shim: args.shim,
    })
}

/// The shape of a move that keeps the dotted name: `pkg/mod.py` to `pkg/mod/__init__.py`,
/// or `pkg/mod/` (or its `__init__.py`) to `pkg/mod.py` when the package holds nothing but
/// its `__init__.py`; `Rename` for every other move.
fn same_name_shape(src: &Path, dst: &Path, is_package: bool) -> anyhow::Result<Shape> {
    let is_init = |p: &Path| p.file_name().is_some_and(|n| n == "__init__.py");
    let folder_of_init = |p: &Path| p.parent().map(Path::to_path_buf);
    if !is_package
        && !is_init(src)
        && is_init(dst)
        && folder_of_init(dst) == Some(src.with_extension(""))
    {
        return Ok(Shape::ModuleToPackage);
    }
    let package = if is_package {
        Some(src.to_path_buf())
    } else if is_init(src) {
        folder_of_init(src)
    } else {
        None
    };
    let Some(package) = package.filter(|p| p.with_extension("py") == dst) else {
        return Ok(Shape::Rename);
    };
    let others: Vec<String> = std::fs::read_dir(&package)
        .with_context(|| format!("{}: cannot read the folder", package.display()))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "__init__.py" && name != "__pycache__")
        .collect();
    if !others.is_empty() {
        bail!(
            "{}: the package holds more than its __init__.py ({}); only a package of one __init__.py becomes a module",
            package.display(),
            others.join(", ")
        );
    }
    Ok(Shape::PackageToModule)
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
