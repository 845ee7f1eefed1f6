//! Moving back (`mv b a` after `mv a b`): the codemod of the first move would loop with the
//! new one (`a -> b`, `b -> a`), and every later run would stop at "moves form a loop". The
//! earlier `reroute mv` codemod whose one move is exactly the inverse is found here, and
//! the move removes it (and says so); any other loop is refused before anything changes.

use std::path::{Path, PathBuf};

use anyhow::bail;
use reroute_engine::RuleSet;
use reroute_engine::spec::{self, DottedPath};

/// The codemod in `folder` whose only move is `to -> from`, if there is one; an error when
/// `from -> to` would form a loop with some other codemod there.
pub fn earlier_inverse(
    folder: &Path,
    from: &DottedPath,
    to: &DottedPath,
) -> anyhow::Result<Option<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Ok(None);
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut inverse = None;
    let mut others = Vec::new();
    for file in files {
        let Ok(codemod) = spec::load_file(&file) else {
            continue;
        };
        let is_inverse = codemod.moves.len() == 1
            && codemod.moves[0].from == *to
            && codemod.moves[0].to == *from;
        if is_inverse && inverse.is_none() {
            inverse = Some(file);
        } else {
            others.push(codemod);
        }
    }
    // Codemods that do not load together already are the run's to report, not this move's.
    if RuleSet::new(others.clone()).is_err() {
        return Ok(inverse);
    }
    let text = format!("[[move]]\nfrom = \"{from}\"\nto = \"{to}\"\nkind = \"module\"\n");
    let new = spec::parse_codemod(&text, &folder.join("(this move).toml"), "mv".into())?;
    others.push(new);
    if let Err(error) = RuleSet::new(others) {
        bail!(
            "the codemod of this move would not load with the others in {}: {error}",
            folder.display()
        );
    }
    Ok(inverse)
}
