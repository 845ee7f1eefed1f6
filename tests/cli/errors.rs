//! Start-up errors: no codemods, broken specs, bad flags. All exit 2 and write nothing.

use crate::util::{MOVE_A, Project};

const COMMANDS: [&str; 4] = ["diff", "apply", "check", "test"];

#[test]
fn no_codemods_found() {
    let project = Project::empty();
    project.write("m.py", "import a.old\n");
    for command in COMMANDS {
        let run = project.run(&[command]);
        run.code(2);
        assert!(
            run.stderr.to_lowercase().contains("codemod"),
            "{command}: {}",
            run.stderr
        );
    }
    assert_eq!(project.read_text("m.py"), "import a.old\n");
}

#[test]
fn missing_codemods_path() {
    let project = Project::empty();
    project.write("m.py", "import a.old\n");
    project
        .run(&["check", "--codemods", "nowhere.toml"])
        .code(2)
        .stderr_has("nowhere.toml");
}

#[test]
fn unknown_select_name() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("m.py", "import a.old\n");
    project
        .run(&["apply", "--select", "nope"])
        .code(2)
        .stderr_has("nope");
    assert_eq!(project.read_text("m.py"), "import a.old\n");
    // One filter for every command that takes --select: `test` and `config` refuse it too
    // (`test` used to print "0 passed" and exit 0).
    for command in ["test", "config", "check", "diff"] {
        project
            .run(&[command, "--select", "nope"])
            .code(2)
            .stderr_has("--select nope: no codemod with that name; loaded: m");
    }
    project.run(&["test", "--select", "m"]).code(0);
}

/// Every command exits 2 on `spec`, writes nothing, and names `codemods/bad.toml` with
/// one of `lines`.
#[track_caller]
fn assert_broken_spec(spec: &str, lines: &[usize]) {
    let project = Project::with_codemod("good", MOVE_A);
    project
        .write("codemods/bad.toml", spec)
        .write("m.py", "import a.old\n");
    for command in COMMANDS {
        let run = project.run(&[command]);
        run.code(2);
        let named = lines
            .iter()
            .any(|line| run.stderr.contains(&format!("bad.toml:{line}:")));
        assert!(
            named,
            "{command}: message does not name bad.toml with line {lines:?}:\n{}",
            run.stderr
        );
    }
    let explicit = project.run(&["check", "--codemods", "codemods/bad.toml"]);
    explicit.code(2);
    assert!(
        lines.iter().any(|line| explicit
            .stderr
            .contains(&format!("codemods/bad.toml:{line}:"))),
        "{}",
        explicit.stderr
    );
    assert_eq!(project.read_text("m.py"), "import a.old\n");
}

#[test]
fn toml_syntax_error() {
    assert_broken_spec("[[move]]\nfrom = \"a.x\"\nto = \"a.y\n", &[3]);
}

#[test]
fn unknown_key() {
    assert_broken_spec(
        "[[move]]\nfrom = \"a.x\"\nto = \"a.y\"\nstring = true\n",
        &[4],
    );
}

#[test]
fn invalid_dotted_name() {
    assert_broken_spec("[[move]]\nfrom = \"a.x\"\nto = \"a.9y\"\n", &[3]);
    assert_broken_spec("[[move]]\nfrom = \"a/x.py\"\nto = \"a.y\"\n", &[2]);
}

#[test]
fn duplicate_from() {
    assert_broken_spec(
        "[[move]]\nfrom = \"a.x\"\nto = \"a.y\"\n\n[[move]]\nfrom = \"a.x\"\nto = \"a.z\"\n",
        &[6],
    );
}

#[test]
fn move_loop() {
    assert_broken_spec(
        "[[move]]\nfrom = \"a.x\"\nto = \"a.y\"\n\n[[move]]\nfrom = \"a.y\"\nto = \"a.x\"\n",
        &[2, 3, 6, 7],
    );
}

#[test]
fn move_loop_across_two_codemods() {
    let project = Project::with_codemod("forth", "[[move]]\nfrom = \"a.x\"\nto = \"a.y\"\n");
    project
        .write(
            "codemods/back.toml",
            "[[move]]\nfrom = \"a.y\"\nto = \"a.x\"\n",
        )
        .write("m.py", "import a.x\n");
    for command in ["diff", "apply", "check"] {
        let run = project.run(&[command]);
        run.code(2);
        assert!(
            run.stderr.contains("back.toml:2:") || run.stderr.contains("forth.toml:2:"),
            "{command}: message does not name a spec file and line:\n{}",
            run.stderr
        );
    }
    assert_eq!(project.read_text("m.py"), "import a.x\n");
}

#[test]
fn a_spec_that_is_not_utf8_is_named_once_with_its_line_and_column() {
    let project = Project::empty();
    project
        .write(
            "codemods/bad.toml",
            b"[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\ndescription = \"caf\xe9\"\n".as_slice(),
        )
        .write("m.py", "import a.old\n");
    let run = project.run(&["check"]);
    run.code(2).stderr_has("bad.toml:4:19: not UTF-8");
    assert_eq!(run.stderr.matches("UTF-8").count(), 2, "{}", run.stderr);
    // One message line, then the line itself with a caret under the column.
    let message_lines = run.stderr.lines().filter(|l| l.starts_with("error:"));
    assert_eq!(message_lines.count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("4 | description"), "{}", run.stderr);
}

#[test]
fn a_duplicate_inside_a_from_list_points_at_each_item() {
    let project = Project::empty();
    project
        .write(
            "codemods/bad.toml",
            "[[move]]\nfrom = [\n  \"a.x\",\n  \"a.old\",\n  \"a.old\",\n]\nto = \"a.new\"\n",
        )
        .write("m.py", "import a.old\n");
    project
        .run(&["check"])
        .code(2)
        .stderr_has("bad.toml:5:3: `from` = \"a.old\" is already moved at")
        .stderr_has("bad.toml:4:3;");
}

#[test]
fn completions_are_printed_for_each_shell() {
    let project = Project::empty();
    for (shell, marker) in [
        ("bash", "_reroute()"),
        ("zsh", "#compdef reroute"),
        ("fish", "complete -c reroute"),
    ] {
        let run = project.run(&["completions", shell]);
        run.code(0);
        assert!(
            run.stdout_text().contains(marker),
            "{shell}: {}",
            run.stdout_text()
        );
        assert!(run.stdout_text().contains("check"), "{shell}");
    }
}
