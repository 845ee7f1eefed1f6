//! Rewrites that must be carried out together: an import and the uses that follow it are
//! one group; an unrelated import is its own.

use std::path::Path;

use reroute_engine::{Engine, EngineOptions, ListedLayout, Stats, rewrite_groups};

#[test]
fn an_import_and_its_uses_form_one_group() {
    let codemod = "[[move]]\nfrom = \"app.old\"\nto = \"app.new\"\n";
    let rules = reroute_engine::rules_from_toml(codemod, Path::new("m.toml")).unwrap();
    let engine = Engine::new(rules, EngineOptions::default());
    let source =
        b"import app.old\nx = app.old.f()\ny = app.old.g\nfrom app.old import h\n".to_vec();
    let result = engine.process(
        Path::new("/p/use.py"),
        source,
        &ListedLayout::default(),
        &Stats::default(),
    );
    let groups = rewrite_groups(&result.rewrites);
    let lines: Vec<Vec<usize>> = groups
        .iter()
        .map(|group| {
            let mut lines: Vec<usize> = group
                .iter()
                .flat_map(|&r| result.rewrites[r].findings.iter())
                .map(|&f| result.findings[f].line)
                .collect();
            lines.sort_unstable();
            lines
        })
        .collect();
    assert_eq!(lines, [vec![1, 2, 3], vec![4]]);
}
