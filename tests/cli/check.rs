//! `reroute check` (text and JSON), `--explain`, `reroute test`, and how codemods are found.

use crate::util::{BROKEN_REGION, MOVE_A, MOVE_B, Project, UNPROCESSABLE, strip_ansi};

#[test]
fn exit_0_when_nothing_is_left() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("m.py", "import a.new\nimport a.older\n")
        .write("n.py", "x = 1\n");
    let run = project.run(&["check"]);
    run.code(0);
    assert!(
        !run.stdout_text().contains("a.old ->"),
        "{}",
        run.stdout_text()
    );
}

#[test]
fn exit_1_with_one_line_per_reference_then_counts() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("app/one.py", "import os\nimport a.old\n")
        .write("app/two.py", "from a.old.sub import X\n");
    let run = project.run(&["check"]);
    run.code(1);
    let stdout = run.stdout_text();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "app/one.py:2:8: m/1: a.old -> a.new", "{stdout}");
    assert_eq!(
        lines[1], "app/two.py:1:6: m/1: a.old.sub -> a.new.sub",
        "{stdout}"
    );
    let counts = lines
        .iter()
        .position(|l| l.starts_with("m: "))
        .unwrap_or_else(|| panic!("no per-codemod count line:\n{stdout}"));
    assert!(counts >= 2, "counts come after the findings:\n{stdout}");
    assert!(lines[counts].contains('2'), "{stdout}");
}

#[test]
fn column_counts_characters_not_bytes() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("m.py", "import os\n\nx = \"\u{e9}\"; import a.old\n");
    let run = project.run(&["check"]);
    run.code(1);
    // `x = "é"; import ` is 16 characters (17 bytes): the name starts at column 17.
    assert_eq!(
        run.stdout_text().lines().next(),
        Some("m.py:3:17: m/1: a.old -> a.new")
    );
}

#[test]
fn byte_order_mark_is_not_a_column() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("m.py", b"\xef\xbb\xbfimport a.old\n");
    let run = project.run(&["check"]);
    run.code(1);
    assert_eq!(
        run.stdout_text().lines().next(),
        Some("m.py:1:8: m/1: a.old -> a.new")
    );
}

#[test]
fn latin1_column_counts_characters() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write(
        "m.py",
        b"# -*- coding: latin-1 -*-\nx = \"\xe9\"; import a.old\n",
    );
    let run = project.run(&["check"]);
    run.code(1);
    assert_eq!(
        run.stdout_text().lines().next(),
        Some("m.py:2:17: m/1: a.old -> a.new")
    );
}

#[test]
fn per_codemod_counts_and_select() {
    let project = Project::with_codemod("alpha", MOVE_A);
    project.write("codemods/beta.toml", MOVE_B).write(
        "m.py",
        "import a.old\nimport b.legacy\nfrom b.legacy.x import y\n",
    );
    let run = project.run(&["check"]);
    run.code(1);
    let stdout = run.stdout_text();
    let alpha = stdout.lines().find(|l| l.starts_with("alpha: ")).unwrap();
    let beta = stdout.lines().find(|l| l.starts_with("beta: ")).unwrap();
    assert!(alpha.contains('1') && !alpha.contains('2'), "{stdout}");
    assert!(beta.contains('2'), "{stdout}");
    assert!(
        stdout.contains("m.py:2:8: beta/1: b.legacy -> b.modern"),
        "{stdout}"
    );

    let selected = project.run(&["check", "--select", "beta"]);
    selected.code(1);
    let stdout = selected.stdout_text();
    assert!(!stdout.contains("alpha"), "{stdout}");
    assert!(stdout.contains("beta/1"), "{stdout}");

    project.run(&["apply", "--select", "alpha"]).code(0);
    assert_eq!(
        project.read_text("m.py"),
        "import a.new\nimport b.legacy\nfrom b.legacy.x import y\n"
    );
}

#[test]
fn exit_2_when_a_file_cannot_be_processed() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("bad.py", UNPROCESSABLE)
        .write("ok.py", "import os\n");
    project.run(&["check"]).code(2).stderr_has("bad.py");
}

#[test]
fn import_inside_a_syntax_error_is_reported_with_its_line() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("broken.py", BROKEN_REGION);
    let run = project.run(&["check"]);
    run.code(1).stderr_has("broken.py:4");
    let stdout = run.stdout_text();
    let line = stdout
        .lines()
        .find(|l| l.starts_with("broken.py:5:"))
        .unwrap_or_else(|| panic!("line 5 not reported:\n{stdout}"));
    assert!(line.contains("m/1: a.old -> a.new"), "{line}");
    assert!(line.contains("[syntax-error]"), "{line}");
    // After apply only the broken one is left, and check still fails on it.
    project.run(&["apply"]).code(1);
    let after = project.run(&["check"]);
    after.code(1);
    assert!(!after.stdout_text().contains("broken.py:1:"));
    assert!(after.stdout_text().contains("broken.py:5:"));
}

#[test]
fn exit_0_when_only_suppressed_references_remain() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write(
        "m.py",
        "import a.old  # reroute: ignore\nfrom a.old import x  # reroute: ignore[m]\n",
    );
    project.run(&["check"]).code(0);
    project.run(&["diff"]).code(0);
    project.run(&["apply"]).code(0);
}

#[test]
fn binary_file_warns_without_changing_the_exit_code() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("blob.py", b"import a.old\n\x00\xff\n");
    let run = project.run(&["check"]);
    run.code(0).stderr_has("blob.py");
    project.run(&["diff"]).code(0);
}

#[test]
fn json_format() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("app/one.py", "import os\nimport a.old\n")
        .write("broken.py", BROKEN_REGION)
        .write("kept.py", "import a.old  # reroute: ignore\n");
    let run = project.run(&["check", "--format", "json"]);
    run.code(1);
    let doc: serde_json::Value = serde_json::from_slice(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout_text()));
    assert_eq!(doc["schema"], "reroute.check/3");
    let findings = doc["findings"].as_array().expect("findings array");
    let one = findings
        .iter()
        .find(|f| f["path"] == "app/one.py")
        .expect("app/one.py finding");
    assert_eq!(one["line"], 2);
    assert_eq!(one["column"], 8);
    assert_eq!(one["rule"], "m/1");
    assert_eq!(one["old"], "a.old");
    assert_eq!(one["new"], "a.new");
    assert_eq!(one["status"], "fixable");
    let broken = findings
        .iter()
        .find(|f| f["path"] == "broken.py" && f["line"] == 5)
        .expect("broken.py:5 finding");
    assert_eq!(broken["status"], "manual");
    let summary = &doc["summary"];
    assert_eq!(summary["fixable"], 2, "{summary}");
    assert_eq!(summary["manual"], 1, "{summary}");
    assert_eq!(summary["suppressed"], 1, "{summary}");
    assert_eq!(summary["by_codemod"]["m"]["fixable"], 2, "{summary}");
    assert!(!run.stdout.contains(&0x1b));
}

#[test]
fn explain_known_and_unknown_codes() {
    let project = Project::empty();
    let run = project.run(&["check", "--explain", "syntax-error"]);
    run.code(0).stdout_has("syntax-error");
    assert!(
        run.stdout_text().lines().count() > 2,
        "{}",
        run.stdout_text()
    );
    let unknown = project.run(&["check", "--explain", "no-such-code"]);
    unknown.code(2).stderr_has("no-such-code");
}

const EXAMPLE_PASSES: &str = "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n\n\
    [[example]]\nbefore = \"import a.old\\n\"\nafter = \"import a.new\\n\"\n\n\
    [[example]]\nbefore = \"import a.older\\n\"\n";

#[test]
fn test_command_passes_fails_and_errors() {
    let project = Project::with_codemod("m", EXAMPLE_PASSES);
    project.run(&["test"]).code(0);

    let wrong = EXAMPLE_PASSES.replace("after = \"import a.new", "after = \"import a.newer");
    project.write("codemods/m.toml", &wrong);
    let run = project.run(&["test"]);
    run.code(1)
        .stdout_has("-import a.newer")
        .stdout_has("+import a.new");

    project.write(
        "codemods/m.toml",
        "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\nkind = 1\n",
    );
    project.run(&["test"]).code(2).stderr_has("m.toml:4");
}

#[test]
fn test_command_requires_examples_that_parse_unless_they_say_otherwise() {
    let spec = "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n\n\
        [[example]]\nbefore = \"import a.old\\ndef f(:\\n\"\n";
    let project = Project::with_codemod("m", spec);
    project
        .run(&["test"])
        .code(1)
        .stdout_has("m.toml:6: m example 1: `before` does not parse (line 2)")
        .stdout_has("syntax_error = true");
    let marked = format!("{spec}after = \"import a.new\\ndef f(:\\n\"\nsyntax_error = true\n");
    project.write("codemods/m.toml", &marked);
    project.run(&["test"]).code(0);
    let clean = "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n\n\
        [[example]]\nbefore = \"import a.old\\n\"\nafter = \"import a.new\\n\"\nsyntax_error = true\n";
    project.write("codemods/m.toml", clean);
    project
        .run(&["test"])
        .code(1)
        .stdout_has("`before` parses, but the example says `syntax_error = true`");
}

#[test]
fn codemods_flag_takes_a_file_or_a_folder() {
    let project = Project::empty();
    project
        .write("specs/alpha.toml", MOVE_A)
        .write("specs/beta.toml", MOVE_B)
        .write("m.py", "import a.old\nimport b.legacy\n");
    let file = project.run(&["check", "--codemods", "specs/alpha.toml"]);
    file.code(1);
    assert!(file.stdout_text().contains("alpha/1"));
    assert!(
        !file.stdout_text().contains("beta"),
        "{}",
        file.stdout_text()
    );
    let folder = project.run(&["check", "--codemods", "specs"]);
    folder.code(1);
    assert!(folder.stdout_text().contains("alpha/1"));
    assert!(folder.stdout_text().contains("beta/1"));
    let subset = project.run(&["check", "--codemods", "specs", "--select", "beta"]);
    subset.code(1);
    assert!(
        !subset.stdout_text().contains("alpha"),
        "{}",
        subset.stdout_text()
    );
}

#[test]
fn pyproject_codemods_are_found_upward_from_the_current_folder() {
    let project = Project::empty();
    project
        .write(
            "pyproject.toml",
            "[project]\nname = \"demo\"\n\n[tool.reroute]\ncodemods = [\"migrations\"]\n",
        )
        .write("migrations/mig.toml", MOVE_A)
        // A ./codemods/ folder in the subfolder must not win over the configuration.
        .write("src/codemods/other.toml", MOVE_B)
        .write("src/app/m.py", "import a.old\nimport b.legacy\n");
    let run = project.run_in("src", &["check"]);
    run.code(1);
    let stdout = run.stdout_text();
    assert!(
        stdout.contains("app/m.py:1:8: mig/1: a.old -> a.new"),
        "{stdout}"
    );
    assert!(!stdout.contains("other"), "{stdout}");
    project.run_in("src/app", &["apply"]).code(0);
    assert_eq!(
        project.read_text("src/app/m.py"),
        "import a.new\nimport b.legacy\n"
    );
}

#[test]
fn default_codemods_folder_when_nothing_is_configured() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("pyproject.toml", "[project]\nname = \"demo\"\n")
        .write("m.py", "import a.old\n");
    project
        .run(&["check"])
        .code(1)
        .stdout_has("m.py:1:8: m/1: a.old -> a.new");
}

#[test]
fn check_color_always_adds_colour() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("m.py", "import a.old\n");
    let run = project.run(&["check", "--color", "always"]);
    run.code(1);
    assert!(
        run.stdout.contains(&0x1b),
        "no escape code with --color always:\n{}",
        run.stdout_text()
    );
    let plain = project.run(&["check", "--color", "never"]);
    assert_eq!(strip_ansi(&run.stdout_text()), plain.stdout_text());
}

#[test]
fn python_scripts_without_an_extension_are_scanned_when_asked_or_named() {
    let project = Project::with_codemod("a", MOVE_A);
    project
        .write("bin/tool", "#!/usr/bin/env python3\nimport a.old\n")
        .write("bin/shell", "#!/bin/sh\necho a.old\n")
        .write("bin/notes", "import a.old\n")
        .write("app.py", "import os\n");
    project.run(&["check"]).code(0);
    let run = project.run(&["check", "--include-scripts"]);
    run.code(1).stdout_has("bin/tool:2:8: a/1");
    assert!(!run.stdout_text().contains("bin/shell"));
    assert!(!run.stdout_text().contains("bin/notes"));
    project
        .run(&["check", "bin/notes"])
        .code(1)
        .stdout_has("bin/notes:1:8");
    project.run(&["apply", "--include-scripts"]).code(0);
    assert_eq!(
        project.read_text("bin/tool"),
        "#!/usr/bin/env python3\nimport a.new\n"
    );
}

#[test]
fn nothing_to_check_is_an_error_not_a_pass() {
    let project = Project::with_codemod("a", MOVE_A);
    project
        .write("notes.txt", "import a.old\n")
        .write("m.py", "import a.old\n");
    for command in ["check", "diff", "apply"] {
        project
            .run(&[command, "--exclude", "*.py"])
            .code(2)
            .stderr_has("no Python file found in .");
    }
    project.write("empty/README", "");
    project
        .run(&["check", "empty"])
        .code(2)
        .stderr_has("no Python file found in empty");
}

#[test]
fn an_empty_codemods_folder_is_named_and_explain_speaks_json() {
    let project = Project::with_codemod("a", MOVE_A);
    project
        .write("m.py", "import a.old\n")
        .write("none/README", "");
    project
        .run(&["check", "--codemods", "none"])
        .code(2)
        .stderr_has("none: no codemods there (no *.toml file)");
    let run = project.run(&["check", "--format", "json", "--explain", "star-import"]);
    run.code(0);
    let doc: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert_eq!(doc["code"], "star-import");
    assert!(doc["explanation"].as_str().unwrap().contains("What to do"));
}

#[test]
fn github_format_annotates_each_reference() {
    let project = Project::with_codemod("a", MOVE_A);
    project
        .write(
            "pkg/m.py",
            "import a.old  # reroute: ignore\nfrom a.old import X\n",
        )
        .write("pkg/n,o.py", "import a.old\n");
    let run = project.run(&["check", "--format", "github"]);
    run.code(1);
    assert_eq!(
        run.stdout_text(),
        "::error file=pkg/m.py,line=2,col=6,title=reroute a/1::a.old -> a.new\n\
         ::error file=pkg/n%2Co.py,line=1,col=8,title=reroute a/1::a.old -> a.new\n"
    );
    project.run(&["apply"]).code(0);
    let clean = project.run(&["check", "--format", "github"]);
    clean.code(0);
    assert_eq!(clean.stdout_text(), "");
}

#[test]
fn the_ratchet_fails_only_when_references_grow_and_tightens_on_update() {
    let project = Project::with_codemod("a", MOVE_A);
    project
        .write("one.py", "import a.old\nfrom a.old import X\n")
        .write("two.py", "import a.old\n");
    project
        .run(&["check", "--baseline", "base.json"])
        .code(2)
        .stderr_has("create it with `reroute check --baseline base.json --update-baseline`");
    project
        .run(&["check", "--baseline", "base.json", "--update-baseline"])
        .code(0)
        .stderr_has("ratchet: wrote base.json with 3 references");
    let written: serde_json::Value = serde_json::from_str(&project.read_text("base.json")).unwrap();
    assert_eq!(written["counts"]["a"]["one.py"], 2);
    // Same count: passes (plain check still says what is left, with exit 1).
    project.run(&["check", "--baseline", "base.json"]).code(0);
    project.run(&["check"]).code(1);
    // One more in two.py: fails and names it.
    project.write("two.py", "import a.old\nimport a.old.sub\n");
    project
        .run(&["check", "--baseline", "base.json"])
        .code(1)
        .stderr_has("ratchet: two.py: a: 2 references, the baseline allows 1")
        .stderr_has("failed: references grew");
    // Fewer in one.py, updated on a subset: one.py tightens, two.py's entry stays.
    project.write("one.py", "import a.new\nfrom a.old import X\n");
    project.write("two.py", "import a.old\n");
    project
        .run(&[
            "check",
            "one.py",
            "--baseline",
            "base.json",
            "--update-baseline",
        ])
        .code(0)
        .stderr_has("ratchet: tightened base.json to 2 references");
    let tightened: serde_json::Value =
        serde_json::from_str(&project.read_text("base.json")).unwrap();
    assert_eq!(tightened["counts"]["a"]["one.py"], 1);
    assert_eq!(tightened["counts"]["a"]["two.py"], 1);
}

#[test]
fn init_writes_a_codemod_whose_example_passes() {
    let project = Project::empty();
    project.write("app.py", "import pkg.old\n");
    project
        .run(&["init", "moved", "--from", "pkg.old", "--to", "pkg.new"])
        .code(0)
        .stdout_has("wrote codemods/moved.toml");
    project
        .run(&["test"])
        .code(0)
        .stdout_has("1 passed, 0 failed");
    project
        .run(&["diff", "--no-target-check"])
        .code(1)
        .stdout_has("+import pkg.new");
    project
        .run(&["init", "moved", "--from", "pkg.old", "--to", "pkg.new"])
        .code(2)
        .stderr_has("already exists");
    project
        .run(&["init", "bad", "--from", "pkg.old", "--to", "pkg.1new"])
        .code(2)
        .stderr_has("bad.toml");
    assert!(!project.path("codemods/bad.toml").exists());
}
