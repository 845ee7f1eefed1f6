//! `mv --dry-run`: the move made in a copy of the project, in this process, and the patch
//! that takes the project to the copy (renames as `git apply` takes them).

use std::path::{Path, PathBuf};

use anyhow::Context;
use reroute_run::ExitStatus;
use reroute_run::discover::{Listing, walk_files};

use super::plan::MovePlan;
use crate::cli::MvArgs;

/// `--dry-run`: the move made in a copy of the project (the files git or .gitignore do
/// not ignore, without `.git`) through the same steps as the real move, in this process and
/// silently; returns the patch that takes the project to the copy (renames as `git apply`
/// takes them) and the exit status the move would have.
pub fn dry_run(
    plan: &MovePlan,
    args: &MvArgs,
    cwd: &Path,
) -> anyhow::Result<(Vec<u8>, ExitStatus)> {
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
    let in_copy = MvArgs {
        src: Some(inside(&plan.src)?),
        dst: Some(inside(&plan.dst)?),
        codemod: plan.codemod_file.as_deref().map(inside).transpose()?,
        ..MvArgs::default()
    };
    let copy_cwd = inside(cwd).unwrap_or_else(|_| copy.path().to_path_buf());
    let moved = super::plan::prepare(&in_copy, &copy_cwd, &crate::config::ConfigSource::Discover)
        .and_then(|mut copy_plan| {
            copy_plan.shim = args.shim;
            super::finish_in_copy(&copy_plan, &copy_cwd)
        });
    let status = moved
        .map_err(|error| anyhow::anyhow!("the move failed in a copy of the project:\n{error:#}"))?;
    Ok((patch(root, copy.path(), &files, plan)?, status))
}

/// The project's files that a copy holds: what the walk does not ignore, and no `.git`.
fn project_files(root: &Path) -> Vec<PathBuf> {
    walk_files(root, Listing::Project)
        .into_iter()
        .filter_map(|path| path.strip_prefix(root).ok().map(Path::to_path_buf))
        .collect()
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
