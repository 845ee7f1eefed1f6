//! Making a checked move: the codemod written, new folders (with `__init__.py` where the
//! source package has one), the files moved (`git mv` inside a git work tree, keeping
//! history); and the shim `--shim` leaves behind.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use super::plan::MovePlan;

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
