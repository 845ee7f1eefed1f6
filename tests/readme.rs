//! Every TOML block of the README loads as what it shows (issue 20: the first codemod
//! example had `exclude` after a `[[move]]`, where TOML gives it to that move, so copying it
//! failed with "unknown field exclude"): a codemod block loads as a codemod, a
//! `[tool.reroute]` block as the configuration every command reads.

use std::path::Path;

use reroute::testing::{load_file, load_tool_config};

/// The fenced blocks of `language` in `text`, with the line each starts on.
fn blocks<'a>(text: &'a str, language: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut current: Option<(usize, Vec<&'a str>)> = None;
    for (number, line) in text.lines().enumerate() {
        match &mut current {
            None if line.trim_start() == format!("```{language}") => {
                current = Some((number + 1, Vec::new()));
            }
            Some((start, lines)) if line.trim_start() == "```" => {
                found.push((*start, lines.join("\n") + "\n"));
                current = None;
            }
            Some((_, lines)) => lines.push(line),
            None => {}
        }
    }
    found
}

#[test]
fn every_toml_block_of_the_readme_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let toml = blocks(&readme, "toml");
    assert!(
        toml.len() >= 2,
        "the README shows a codemod and a configuration"
    );
    let mut problems = Vec::new();
    let (mut codemods, mut configs) = (0, 0);
    for (line, block) in toml {
        let dir = tempfile::tempdir().expect("temp folder");
        if block.contains("[tool.reroute]") {
            configs += 1;
            std::fs::write(dir.path().join("pyproject.toml"), &block).unwrap();
            if let Err(e) = load_tool_config(dir.path()) {
                problems.push(format!("README.md:{line}: [tool.reroute] block: {e}"));
            }
        } else {
            codemods += 1;
            let file = dir.path().join("readme-example.toml");
            std::fs::write(&file, &block).unwrap();
            if let Err(e) = load_file(&file) {
                problems.push(format!("README.md:{line}: codemod block: {e}"));
            }
        }
    }
    assert!(
        codemods >= 1 && configs >= 1,
        "{codemods} codemods, {configs} configurations"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
