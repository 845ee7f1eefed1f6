//! Runs every `fixtures/<case>/` pair through the library: `input.py` rewritten with
//! `codemod.toml` must equal `expected.py` byte for byte (absent: unchanged), a second run
//! must change nothing, and the output must not parse with more errors than the input.
//! All failing cases are reported together, each with a diff.

use std::fs;
use std::path::Path;

use reroute::diff::unified_diff;
use reroute::examples::rewrite_source;
use reroute::ruleset::RuleSet;
use reroute::spec::load_file;

fn check_case(case: &Path) -> Result<(), String> {
    let codemod = load_file(&case.join("codemod.toml")).map_err(|e| e.to_string())?;
    let rules = RuleSet::new(vec![codemod]).map_err(|e| e.to_string())?;
    let input = fs::read(case.join("input.py")).map_err(|e| format!("input.py: {e}"))?;
    let expected = match fs::read(case.join("expected.py")) {
        Ok(bytes) => bytes,
        Err(_) => input.clone(),
    };
    let output = rewrite_source(&rules, &input)?;
    if output != expected {
        let diff: Vec<u8> = unified_diff("expected.py", &expected, &output)
            .into_iter()
            .skip(3)
            .flat_map(|(_, line)| line)
            .collect();
        return Err(format!(
            "output differs (- expected, + got):\n{}",
            String::from_utf8_lossy(&diff)
        ));
    }
    let again = rewrite_source(&rules, &output)?;
    if again != output {
        return Err("a second run changed the output again (not idempotent)".into());
    }
    let errors =
        |bytes: &[u8]| reroute::parse::parse(bytes).map(|t| reroute::parse::error_count(&t));
    if errors(&output) > errors(&input) {
        return Err("the output has more syntax errors than the input".into());
    }
    Ok(())
}

#[test]
fn fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut cases: Vec<_> = fs::read_dir(&root)
        .expect("fixtures/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 30,
        "expected the fixture corpus, found {} cases",
        cases.len()
    );
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check_case(case)
                .err()
                .map(|e| format!("--- {}\n{e}", case.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixture cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
