//! Codemod `exclude` patterns that match no file of their project: a pattern written in the
//! wrong syntax protects nothing and says nothing, so `reroute test` and `reroute config`
//! warn about it (a normal run does not: a finished cleanup may leave one behind).

use std::path::PathBuf;

use reroute_engine::spec::{Codemod, SpecLocation};

use crate::discover::{Listing, walk_files};

/// An `exclude` pattern that matches no Python file under its codemod's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchedExclude {
    /// Where the codemod spells it.
    pub location: SpecLocation,
    /// The pattern.
    pub pattern: String,
    /// The folder it is relative to.
    pub root: PathBuf,
}

impl std::fmt::Display for UnmatchedExclude {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: `exclude` pattern {:?} matches no Python file under {}; patterns are gitignore syntax relative to that folder (`name.py` anywhere, `/dir/name.py` or `dir/name.py` from the folder)",
            self.location,
            self.pattern,
            self.root.display()
        )
    }
}

/// Every pattern of `codemods` that matches none of the Python files under its codemod's
/// root (as the walk lists them: ignore files respected).
pub fn unmatched(codemods: &[Codemod]) -> Vec<UnmatchedExclude> {
    let mut found = Vec::new();
    let mut listed: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    for codemod in codemods.iter().filter(|c| !c.exclude.is_empty()) {
        let files = match listed.iter().find(|(root, _)| *root == codemod.root) {
            Some((_, files)) => files,
            None => {
                let files = walk_files(&codemod.root, Listing::Python)
                    .into_iter()
                    .filter_map(|f| f.strip_prefix(&codemod.root).ok().map(PathBuf::from))
                    .collect();
                listed.push((codemod.root.clone(), files));
                &listed[listed.len() - 1].1
            }
        };
        for pattern in &codemod.exclude.patterns {
            if !files.iter().any(|file| pattern.is_match(file)) {
                found.push(UnmatchedExclude {
                    location: pattern.location.clone(),
                    pattern: pattern.text.clone(),
                    root: codemod.root.clone(),
                });
            }
        }
    }
    found
}
