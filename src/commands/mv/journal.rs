//! The record of a move under way: its plan and the steps done, saved after each step, so
//! that an interrupted move says exactly what was done and `reroute mv --continue` finishes
//! it. Kept in `.git/reroute-mv.json` (or `.reroute-mv.json` at the project root outside
//! git); removed when the move is done.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::plan::MovePlan;

/// A step of a move, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// The codemod written (and an earlier one it undoes removed).
    Codemod,
    /// The new folders made.
    Folders,
    /// The files moved.
    Moved,
    /// The importers rewritten.
    Applied,
    /// The shim written.
    Shim,
}

impl Step {
    /// The test hook's name for the step (`REROUTE_TEST_MV_SIGNAL_AT=moved:SIGINT`).
    pub fn hook_name(self) -> &'static str {
        match self {
            Step::Codemod => "codemod",
            Step::Folders => "folders",
            Step::Moved => "moved",
            Step::Applied => "applied",
            Step::Shim => "shim",
        }
    }
}

/// A move under way.
#[derive(Debug, Serialize, Deserialize)]
pub struct Journal {
    pub plan: MovePlan,
    pub done: Vec<Step>,
    #[serde(skip)]
    file: PathBuf,
}

/// Where the journal of the project at `root` lives.
pub fn location(root: &Path) -> PathBuf {
    let git = root.join(".git");
    if git.is_dir() {
        git.join("reroute-mv.json")
    } else {
        root.join(".reroute-mv.json")
    }
}

impl Journal {
    /// A new journal for `plan` (not saved yet).
    pub fn new(plan: MovePlan) -> Journal {
        let file = location(&plan.project_root);
        Journal {
            plan,
            done: Vec::new(),
            file,
        }
    }

    /// The journal of a half-done move in the project at `root`, if there is one.
    pub fn load(root: &Path) -> anyhow::Result<Option<Journal>> {
        let file = location(root);
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => {
                return Err(error).with_context(|| format!("{}: cannot read", file.display()));
            }
        };
        let mut journal: Journal = serde_json::from_str(&text).with_context(|| {
            format!(
                "{}: not a reroute mv journal; remove it if no move is under way",
                file.display()
            )
        })?;
        journal.file = file;
        Ok(Some(journal))
    }

    /// True when `step` is done.
    pub fn is_done(&self, step: Step) -> bool {
        self.done.contains(&step)
    }

    /// Records `step` as done and saves the journal.
    pub fn mark(&mut self, step: Step) -> anyhow::Result<()> {
        self.done.push(step);
        self.save()
    }

    /// Forgets the steps after the first `len` (they were taken back) and saves.
    pub fn truncate(&mut self, len: usize) -> anyhow::Result<()> {
        self.done.truncate(len);
        self.save()
    }

    fn save(&self) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(self)?;
        let temp = self.file.with_extension("json.tmp");
        std::fs::write(&temp, text).with_context(|| format!("{}: cannot write", temp.display()))?;
        std::fs::rename(&temp, &self.file)
            .with_context(|| format!("{}: cannot write", self.file.display()))
    }

    /// Removes the journal: the move is done.
    pub fn finish(self) -> anyhow::Result<()> {
        match std::fs::remove_file(&self.file) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                Err(error).with_context(|| format!("{}: cannot remove", self.file.display()))
            }
            _ => Ok(()),
        }
    }
}
