//! What a person at a terminal sees: `-q` and `-v`, the progress bar (only on a terminal,
//! never in CI or a pipe), and codemod errors shown with their TOML line and a caret.

use std::process::Command;

use crate::util::{BIN, MOVE_A, Project, run_with_env};

/// A project with a fixable reference, a manual one (inside a syntax error), a note
/// (redundant fallback) and a file without references.
fn project() -> Project {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("ok.py", "import a.old\n")
        .write(
            "broken.py",
            "import a.new\n\n\ndef f(x:\n    from a.old import g\n    return g(\n",
        )
        .write(
            "fallback.py",
            "try:\n    from a.old import X\nexcept ImportError:\n    from a.new import X\n",
        )
        .write("plain.py", "import os\n");
    project
}

#[test]
fn quiet_check_prints_findings_only() {
    let project = project();
    let normal = project.run(&["check"]);
    normal.code(1).stdout_has("references left in");
    let run = project.run(&["-q", "check"]);
    run.code(1);
    let stdout = run.stdout_text();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "broken.py:5:10: m/1: a.old -> a.new [syntax-error] inside a syntax error; fix the syntax, then run again",
            "fallback.py:2:10: m/1: a.old -> a.new",
            "ok.py:1:8: m/1: a.old -> a.new",
        ],
        "no note, no counts:\n{stdout}"
    );
    assert!(
        !run.stderr.contains("warning:"),
        "no warnings: {}",
        run.stderr
    );
    // The flag is global: after the command too.
    assert_eq!(project.run(&["check", "--quiet"]).stdout, run.stdout);
}

#[test]
fn quiet_diff_and_apply_keep_the_patch_and_manual_findings_but_no_summary() {
    let project = project();
    let run = project.run(&["diff", "-q"]);
    run.code(1)
        .stdout_has("+import a.new")
        .stderr_has("manual: broken.py:5:10");
    assert!(!run.stderr.contains("Would rewrite"), "{}", run.stderr);
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
    let run = project.run(&["apply", "-q"]);
    run.code(1).stderr_has("manual: broken.py:5:10");
    assert!(run.stdout.is_empty(), "no summary: {}", run.stdout_text());
    assert_eq!(project.read_text("ok.py"), "import a.new\n");
}

#[test]
fn quiet_still_shows_errors() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("bad.py", crate::util::UNPROCESSABLE);
    let run = project.run(&["-q", "check"]);
    run.code(2).stderr_has("error: bad.py:");
}

#[test]
fn verbose_adds_a_status_line_per_file() {
    let project = project();
    let run = project.run(&["-v", "diff"]);
    run.code(1);
    for line in [
        "ok.py: would rewrite (1 edit)\n",
        "plain.py: skipped (no moved name in it)\n",
        "broken.py: unchanged; 1 reference needs a manual edit\n",
    ] {
        run.stderr_has(line);
    }
    run.stderr_has("Would rewrite");
    let run = project.run(&["apply", "--verbose"]);
    run.code(1).stderr_has("ok.py: rewritten (1 edit)\n");
    let run = project.run(&["check", "-v"]);
    run.code(1)
        .stderr_has("broken.py: 1 reference left\n")
        .stderr_has("ok.py: skipped (no moved name in it)\n");
    assert!(
        !project.run(&["check"]).stderr.contains("ok.py: unchanged"),
        "no status lines without -v"
    );
}

#[test]
fn quiet_and_verbose_cannot_be_combined() {
    let project = project();
    project.run(&["-q", "-v", "check"]).code(2);
}

/// Runs `reroute ARGS` under a pseudo-terminal (`script`), stdout to /dev/null; returns
/// what the terminal showed (stderr).
fn on_a_terminal(project: &Project, args: &str, ci: Option<&str>) -> String {
    let mut command = Command::new("script");
    command
        .args(["-qec", &format!("{BIN} {args} >/dev/null"), "/dev/null"])
        .current_dir(project.root())
        .env("REROUTE_PROGRESS_AFTER_MS", "0")
        .env_remove("CI");
    if let Some(value) = ci {
        command.env("CI", value);
    }
    let output = command.output().expect("script (util-linux) runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn many_files() -> Project {
    let project = Project::with_codemod("m", MOVE_A);
    for i in 0..40 {
        project.write(&format!("f{i}.py"), "import a.old\n");
    }
    project
}

#[test]
fn the_progress_bar_shows_on_a_terminal() {
    let project = many_files();
    let screen = on_a_terminal(&project, "check", None);
    assert!(screen.contains("40/40 files checked"), "{screen:?}");
    // It is cleared before the summary (stdout went to /dev/null here).
    assert!(screen.contains("\u{1b}[2K"), "{screen:?}");
}

#[test]
fn no_progress_bar_in_ci_under_quiet_or_in_a_pipe() {
    let project = many_files();
    let in_ci = on_a_terminal(&project, "check", Some("true"));
    assert!(!in_ci.contains("files checked"), "{in_ci:?}");
    let quiet = on_a_terminal(&project, "-q check", None);
    assert!(!quiet.contains("files checked"), "{quiet:?}");
    let piped = run_with_env(
        project.root(),
        &["check"],
        &[("REROUTE_PROGRESS_AFTER_MS", "0"), ("CI", "")],
    );
    piped.code(1);
    assert!(!piped.stderr.contains("files checked"), "{}", piped.stderr);
    assert!(!piped.stderr.contains('\u{1b}'), "{}", piped.stderr);
}

#[test]
fn a_codemod_error_shows_the_toml_line_and_a_caret_under_the_column() {
    let project = Project::with_codemod(
        "m",
        "[[move]]\nfrom = \"a.old\"\nto   = \"a..new\"  # typo\n",
    );
    project.write("m.py", "import a.old\n");
    let run = project.run(&["check"]);
    run.code(2)
        .stderr_has("m.toml:3:8: `to` = \"a..new\" is not a dotted Python name");
    let lines: Vec<&str> = run.stderr.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.ends_with("3 | to   = \"a..new\"  # typo"))
        .unwrap_or_else(|| panic!("no source line:\n{}", run.stderr));
    let caret = lines[source + 1];
    let column = caret
        .find('^')
        .unwrap_or_else(|| panic!("no caret:\n{}", run.stderr));
    // The caret sits under the opening quote, column 8 of the TOML line.
    let line_start = lines[source].find("to ").expect("line text");
    assert_eq!(column - line_start, 7, "\n{}", run.stderr);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("--> ") && l.contains("m.toml:3:8")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_duplicate_from_points_at_both_moves() {
    let project = Project::with_codemod(
        "m",
        "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n\n[[move]]\nfrom = \"a.old\"\nto = \"a.x\"\n",
    );
    project.write("m.py", "import a.old\n");
    let run = project.run(&["check"]);
    run.code(2)
        .stderr_has("2 | from = \"a.old\"")
        .stderr_has("first moved here")
        .stderr_has("6 | from = \"a.old\"")
        .stderr_has("moved a second time");
}
