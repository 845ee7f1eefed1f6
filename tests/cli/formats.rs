//! CI formats: `check --format sarif` and `--format junit`, `--format json` for `diff`
//! and `apply`, and the formats a command refuses. (The SARIF log is also validated
//! against the SARIF 2.1.0 schema by `tests/formats/validate.py`, from `.ci/run`.)

use crate::util::{MOVE_A, Project, UNPROCESSABLE, json};

/// One fixable reference, one that needs a manual edit (inside a syntax error), one
/// suppressed, one note (`redundant-fallback`), and a file that cannot be processed.
fn mixed_project() -> Project {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("app/ok.py", "import os\nimport a.old\n")
        .write(
            "app/broken.py",
            "import a.new\n\n\ndef f(x:\n    from a.old import g\n    return g(\n",
        )
        .write("app/kept.py", "import a.old  # reroute: ignore\n")
        .write(
            "app/fallback.py",
            "try:\n    from a.old import X\nexcept ImportError:\n    from a.new import X\n",
        )
        .write("app/bad.py", UNPROCESSABLE)
        .write("my app/q&\"a\".py", "from a.old import <\n");
    project
}

#[test]
fn sarif_has_one_run_with_rules_levels_and_locations() {
    let project = mixed_project();
    let run = project.run(&["check", "--format", "sarif"]);
    run.code(2);
    let log = json(&run);
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let sarif = &runs[0];
    assert_eq!(sarif["columnKind"], "unicodeCodePoints");
    let driver = &sarif["tool"]["driver"];
    assert_eq!(driver["name"], "reroute");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    // The project has no published home yet: no informationUri (optional in SARIF).
    assert!(driver.get("informationUri").is_none());
    let rules = driver["rules"].as_array().expect("rules");
    let rule = |id: &str| {
        rules
            .iter()
            .position(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no rule {id}"))
    };
    let syntax = &rules[rule("syntax-error")];
    assert!(
        syntax["help"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("fix the syntax error")),
        "help is the --explain text: {syntax}"
    );
    let results = sarif["results"].as_array().expect("results");
    let find = |uri: &str| {
        results
            .iter()
            .find(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri)
            .unwrap_or_else(|| panic!("no result for {uri}: {log}"))
    };
    let fixable = find("app/ok.py");
    assert_eq!(fixable["level"], "error");
    assert_eq!(fixable["ruleId"], "moved-path");
    assert_eq!(fixable["ruleIndex"], rule("moved-path"));
    let location = &fixable["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(location["region"]["startLine"], 2);
    assert_eq!(location["region"]["startColumn"], 8);
    assert!(
        fixable["message"]["text"]
            .as_str()
            .is_some_and(|t| t == "m/1: a.old -> a.new"),
        "{fixable}"
    );
    let manual = find("app/broken.py");
    assert_eq!(manual["level"], "warning");
    assert_eq!(manual["ruleId"], "syntax-error");
    assert_eq!(manual["ruleIndex"], rule("syntax-error"));
    let note = results
        .iter()
        .find(|r| r["ruleId"] == "redundant-fallback")
        .unwrap_or_else(|| panic!("no note: {log}"));
    assert_eq!(note["level"], "note");
    assert_eq!(
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/fallback.py"
    );
    let kept = find("app/kept.py");
    assert_eq!(kept["suppressions"][0]["kind"], "inSource");
    // A path with a space, `&` and quotes is percent-encoded.
    find("my%20app/q%26%22a%22.py");
    // The file that failed is a notification, and the run was not successful.
    let invocation = &sarif["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(
        notifications.iter().any(|n| n["level"] == "error"
            && n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/bad.py"),
        "{invocation}"
    );
}

#[test]
fn sarif_and_junit_exit_like_check() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("m.py", "import a.new\n");
    for format in ["sarif", "junit"] {
        project.run(&["check", "--format", format]).code(0);
    }
    project.write("n.py", "import a.old\n");
    for format in ["sarif", "junit"] {
        project.run(&["check", "--format", format]).code(1);
    }
}

#[test]
fn junit_has_a_case_per_file_and_a_failure_per_reference() {
    let project = mixed_project();
    project.write("app/two.py", "import a.old\nfrom a.old import x\n");
    let run = project.run(&["check", "--format", "junit"]);
    run.code(2);
    let xml = run.stdout_text();
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "),
        "{xml}"
    );
    let scanned = 7;
    assert!(
        xml.contains(&format!(
            "<testsuite name=\"reroute check\" tests=\"{scanned}\""
        )),
        "{xml}"
    );
    assert_eq!(xml.matches("<testcase ").count(), scanned, "{xml}");
    // ok.py 1, broken.py 1 (manual), fallback.py 1 (its note is no failure), two.py 2, and
    // the file with `<` in it 1.
    assert_eq!(xml.matches("<failure ").count(), 6, "{xml}");
    assert!(xml.contains("failures=\"6\" errors=\"1\""), "{xml}");
    let two = xml
        .split("<testcase ")
        .find(|case| case.contains("name=\"app/two.py\""))
        .unwrap_or_else(|| panic!("no case for app/two.py:\n{xml}"));
    assert_eq!(two.matches("<failure ").count(), 2, "{two}");
    assert!(two.contains("type=\"m/1\""), "{two}");
    assert!(
        two.contains(">app/two.py:2:6: m/1: a.old -&gt; a.new</failure>"),
        "{two}"
    );
    // The file name's quote and ampersand are escaped in attributes.
    assert!(
        xml.contains("name=\"my app/q&amp;&quot;a&quot;.py\""),
        "{xml}"
    );
    assert!(xml.contains("<error message=\""), "{xml}");
    // Notes go to the case's output, not to a failure.
    let fallback = xml
        .split("<testcase ")
        .find(|case| case.contains("name=\"app/fallback.py\""))
        .unwrap_or_else(|| panic!("no case for fallback.py:\n{xml}"));
    assert!(fallback.contains("<system-out>"), "{fallback}");
    assert!(fallback.contains("[redundant-fallback]"), "{fallback}");
    assert_eq!(fallback.matches("<failure").count(), 1, "{fallback}");
    assert!(xml.trim_end().ends_with("</testsuites>"), "{xml}");
}

#[test]
fn diff_and_apply_print_json_with_the_files_that_change() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("m.py", "import a.old\n")
        .write("same.py", "import os\n");
    let run = project.run(&["diff", "--format", "json"]);
    run.code(1);
    let doc = json(&run);
    assert_eq!(doc["schema"], "reroute.diff/3");
    assert_eq!(doc["files"][0]["path"], "m.py");
    assert_eq!(doc["files"][0]["status"], "changed");
    assert_eq!(doc["files"][0]["edits"], 1);
    let patch = doc["files"][0]["diff"].as_str().expect("diff text");
    assert!(patch.contains("-import a.old\n+import a.new\n"), "{patch}");
    assert_eq!(doc["files"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["summary"]["fixable"], 1);
    assert_eq!(
        project.read_text("m.py"),
        "import a.old\n",
        "diff never writes"
    );

    let run = project.run(&["apply", "--format", "json"]);
    run.code(0);
    let doc = json(&run);
    assert_eq!(doc["schema"], "reroute.apply/3");
    assert_eq!(doc["files"][0]["status"], "written");
    assert!(doc["files"][0].get("diff").is_none(), "{doc}");
    assert_eq!(project.read_text("m.py"), "import a.new\n");
}

#[test]
fn check_only_formats_are_refused_by_diff_and_apply() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("m.py", "import a.old\n");
    for command in ["diff", "apply"] {
        for format in ["sarif", "junit", "github"] {
            project
                .run(&[command, "--format", format])
                .code(2)
                .stderr_has(&format!("--format {format} is for `reroute check`"));
        }
    }
    assert_eq!(project.read_text("m.py"), "import a.old\n");
}
