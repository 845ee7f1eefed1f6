//! `reroute list`: the codemods built into the binary, with what each holds and says.

use std::io::{self, Write};
use std::path::Path;

use reroute_engine::spec::{Action, Codemod};

use crate::config::builtin::{BUILTINS, PREFIX, load};
use reroute_run::ExitStatus;

/// Prints every builtin codemod: how to load it, its counts and its description.
pub fn run(out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    for (index, builtin) in BUILTINS.iter().enumerate() {
        let codemod = load(builtin.name, Path::new("."))?;
        if index > 0 {
            writeln!(out)?;
        }
        let mut names = format!("--codemods {PREFIX}{}", builtin.name);
        for alias in builtin.aliases {
            names.push_str(&format!(" (or {PREFIX}{alias})"));
        }
        writeln!(out, "{names}")?;
        writeln!(out, "  codemod name: {}", codemod.name)?;
        writeln!(out, "  {}", counts(&codemod))?;
        if let Some(description) = &codemod.description {
            write_wrapped(out, description, "  ")?;
        }
    }
    Ok(ExitStatus::Clean)
}

/// `N moves (K tiered: numpy>=2), R removals (E replaced by an expression), X examples`.
fn counts(codemod: &Codemod) -> String {
    let moves: Vec<_> = codemod.moves.iter().filter(|m| !m.is_removal()).collect();
    let tiered = moves.iter().filter(|m| m.requires.is_some()).count();
    let mut tiers: Vec<String> = codemod
        .moves
        .iter()
        .filter_map(|m| m.requires.as_ref().map(ToString::to_string))
        .collect();
    tiers.sort();
    tiers.dedup();
    let removals = codemod.moves.len() - moves.len();
    let replaced = codemod
        .moves
        .iter()
        .filter(|m| matches!(m.action, Action::Replace { .. }))
        .count();
    let tiers = match tiers.len() {
        0 => String::new(),
        1..=3 => format!(": {}", tiers.join(", ")),
        n => format!(": {n} requirements"),
    };
    format!(
        "{} moves ({tiered} tiered{tiers}), {removals} removals ({replaced} replaced by an expression), {} examples",
        moves.len(),
        codemod.examples.len()
    )
}

fn write_wrapped(out: &mut dyn Write, text: &str, indent: &str) -> io::Result<()> {
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() + 1 > 88 - indent.len() {
            writeln!(out, "{indent}{line}")?;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        writeln!(out, "{indent}{line}")?;
    }
    Ok(())
}
