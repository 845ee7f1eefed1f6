//! A move does not mix its edits into uncommitted work: the files it would move or write
//! must be clean in git (`--allow-dirty` to go on anyway). The codemod folder does not
//! count, and outside a git work tree there is no check.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use reroute_run::{FileStatus, Interrupt, Mode};

use super::plan::MovePlan;
use crate::config::Settings;

/// The files the move's codemod would rewrite over the project, as a `diff` run finds them
/// (`codemod` is the codemod's text, when the file is not written yet).
pub fn files_to_rewrite(plan: &MovePlan, cwd: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let Some(codemod_file) = &plan.codemod_file else {
        return Ok(Vec::new());
    };
    let scratch = tempfile::Builder::new()
        .prefix("reroute-mv-plan-")
        .tempdir()
        .context("cannot make a temp folder")?;
    let file = if codemod_file.is_file() {
        codemod_file.clone()
    } else {
        let file = scratch.path().join("mv.toml");
        std::fs::write(&file, &plan.codemod_text)?;
        file
    };
    let Settings { run, rules, .. } =
        Settings::for_codemod(Mode::Diff, cwd, &file, &plan.project_root)?;
    let result = reroute_run::run(&run, rules, &Interrupt::none(), &())?;
    Ok(result
        .report
        .outcomes
        .iter()
        .filter(|o| matches!(o.status, FileStatus::Changed { .. }))
        .map(|o| reroute_run::paths::absolute_path(cwd, &o.path))
        .collect())
}

/// Refuses (before anything changes) when one of `files` has uncommitted changes, or is
/// not committed at all.
pub fn refuse_dirty(plan: &MovePlan, files: &[PathBuf]) -> anyhow::Result<()> {
    if !plan.git || files.is_empty() {
        return Ok(());
    }
    let top = git_output(&plan.project_root, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
    let status = git_output(
        &top,
        &["status", "--porcelain", "-z", "--untracked-files=all"],
    )?;
    let mut dirty: Vec<PathBuf> = Vec::new();
    let mut entries = status.split(|b| *b == 0).filter(|e| !e.is_empty());
    while let Some(entry) = entries.next() {
        if entry.len() < 4 {
            continue;
        }
        let (code, path) = (&entry[..2], &entry[3..]);
        dirty.push(top.join(String::from_utf8_lossy(path).as_ref()));
        // A rename names its source next.
        if code[0] == b'R' || code[0] == b'C' {
            entries.next();
        }
    }
    let codemods = plan.codemod_file.as_ref().and_then(|f| f.parent());
    let mut hits: Vec<&PathBuf> = files
        .iter()
        .filter(|f| codemods.is_none_or(|c| !f.starts_with(c)))
        .filter(|f| dirty.iter().any(|d| d == *f || d.starts_with(f)))
        .collect();
    hits.sort();
    hits.dedup();
    if hits.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = hits
        .iter()
        .take(10)
        .map(|p| {
            p.strip_prefix(&plan.project_root)
                .unwrap_or(p)
                .display()
                .to_string()
        })
        .collect();
    let more = hits.len().saturating_sub(shown.len());
    bail!(
        "nothing changed: {} file(s) the move would write or move have uncommitted changes: {}{}; commit or stash them first, or pass --allow-dirty",
        hits.len(),
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
}

fn git_output(folder: &Path, args: &[&str]) -> anyhow::Result<Vec<u8>> {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    super::perform::git_output(folder, &args)
}
