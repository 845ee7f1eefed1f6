//! Runs every `fixtures/<case>/` pair through the library: `input.py` rewritten with
//! `codemod.toml` must equal `expected.py` byte for byte (absent: unchanged), a second run
//! must change nothing, the output must not parse with more errors than the input, and
//! stage 2 (`lex`, statement-by-statement planning) must equal parsing the whole file.
//! All failing cases are reported together, each with a diff.
//!
//! Optional `fixture.toml` places the file in a project (`path`, `packages` with an
//! `__init__.py`, `src` roots) so relative imports resolve, and may say
//! `assume_upgraded = true` (version tiers rewritten); the required `findings.txt` pins
//! every reported line (`LINE CODE OLD`: references not rewritten, and notes).

use std::fs;
use std::path::Path;

use reroute::testing::unified_diff;
use std::path::PathBuf;

use reroute::testing::{Finding, Fix, ListedLayout, Parsing, RuleSet, load_file, rewrite_file};

/// Where the case's file sits: its absolute path and the package layout around it.
fn layout(case: &Path) -> Result<(PathBuf, ListedLayout), String> {
    let root = Path::new("/project");
    let Ok(text) = fs::read_to_string(case.join("fixture.toml")) else {
        let resolver = ListedLayout::default();
        return Ok((root.join("example.py"), resolver));
    };
    let table: toml::Table = toml::from_str(&text).map_err(|e| format!("fixture.toml: {e}"))?;
    let list = |key: &str| -> Vec<PathBuf> {
        table
            .get(key)
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(|p| root.join(p)))
            .collect()
    };
    let path = table
        .get("path")
        .and_then(|v| v.as_str())
        .map_or_else(|| root.join("example.py"), |p| root.join(p));
    Ok((
        path,
        ListedLayout::new(list("src"), list("packages"), list("modules")),
    ))
}

/// `assume_upgraded = true` in `fixture.toml`: version tiers are rewritten, as with
/// `--assume-upgraded` (by default they hold: nothing declares the requirement).
fn upgraded(case: &Path) -> bool {
    fs::read_to_string(case.join("fixture.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|table| table.get("assume_upgraded").and_then(toml::Value::as_bool))
        .unwrap_or(false)
}

/// `LINE CODE OLD` for every finding that is not a plain rewrite (or a mention).
fn reported(findings: &[Finding]) -> String {
    findings
        .iter()
        .filter(|f| !matches!(f.fix, Fix::Rewritten | Fix::Mention))
        .map(|f| format!("{} {} {}\n", f.line, f.fix.code(), f.old))
        .collect()
}

fn check_case(case: &Path) -> Result<(), String> {
    let codemod = load_file(&case.join("codemod.toml")).map_err(|e| e.to_string())?;
    let mut rules = RuleSet::new(vec![codemod]).map_err(|e| e.to_string())?;
    if upgraded(case) {
        rules.hold_tiers(|_| true);
    }
    let input = fs::read(case.join("input.py")).map_err(|e| format!("input.py: {e}"))?;
    let expected = match fs::read(case.join("expected.py")) {
        Ok(bytes) => bytes,
        Err(_) => input.clone(),
    };
    let (path, modules) = layout(case)?;
    let (output, findings) = rewrite_file(&rules, &input, &path, &modules, Parsing::Staged)?;
    // Stage 2 (decide before parsing, plan statement by statement) must give what parsing
    // the whole file gives, byte for byte and finding for finding.
    let whole = rewrite_file(&rules, &input, &path, &modules, Parsing::Whole)?;
    if whole != (output.clone(), findings.clone()) {
        return Err(format!(
            "stage 2 and the whole-file parse disagree\n--- whole-file output\n{}--- findings (stage 2)\n{}--- findings (whole)\n{}",
            String::from_utf8_lossy(&whole.0),
            reported(&findings),
            reported(&whole.1)
        ));
    }
    let pinned = fs::read_to_string(case.join("findings.txt")).map_err(|e| {
        format!("findings.txt (every case pins what it reports; empty = nothing): {e}")
    })?;
    {
        let got = reported(&findings);
        if got.trim_end() != pinned.trim_end() {
            return Err(format!(
                "reported lines differ\n--- findings.txt\n{pinned}--- got\n{got}"
            ));
        }
    }
    if output != expected {
        let diff: Vec<u8> = unified_diff(b"expected.py", &expected, &output)
            .into_iter()
            .skip(3)
            .flat_map(|(_, line)| line)
            .collect();
        return Err(format!(
            "output differs (- expected, + got):\n{}",
            String::from_utf8_lossy(&diff)
        ));
    }
    let (again, _) = rewrite_file(&rules, &output, &path, &modules, Parsing::Staged)?;
    if again != output {
        return Err("a second run changed the output again (not idempotent)".into());
    }
    let errors =
        |bytes: &[u8]| reroute::testing::parse(bytes).map(|t| reroute::testing::error_count(&t));
    if errors(&output) > errors(&input) {
        return Err("the output has more syntax errors than the input".into());
    }
    Ok(())
}

#[test]
fn fixtures() {
    // REROUTE_FIXTURES points the harness at another folder of cases (while writing new ones).
    let root = std::env::var_os("REROUTE_FIXTURES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        PathBuf::from,
    );
    let mut cases: Vec<_> = fs::read_dir(&root)
        .expect("fixtures/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 30 || std::env::var_os("REROUTE_FIXTURES").is_some(),
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
