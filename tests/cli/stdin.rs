//! `--stdin-filename PATH`: the source comes from stdin and is treated as the file at
//! PATH (module name, excludes, project); `apply` prints the rewritten source, `diff` the
//! patch, `check` the findings; nothing is written.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::util::{BIN, MOVE_A, Project};

struct Piped {
    code: i32,
    stdout: String,
    stderr: String,
}

fn pipe(project: &Project, args: &[&str], input: &str) -> Piped {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(project.root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run reroute");
    // A run that refuses its arguments exits before it reads: a closed pipe is its answer,
    // not a failure of the test.
    match child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
    {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.expect("write stdin"),
    }
    let output = child.wait_with_output().expect("wait");
    Piped {
        code: output.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn apply_prints_the_rewritten_source_and_writes_nothing() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("app/m.py", "on disk\n");
    let before = project.snapshot();
    let run = pipe(
        &project,
        &["apply", "--stdin-filename", "app/m.py"],
        "import os\nimport a.old  # keep\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "import os\nimport a.new  # keep\n");
    assert!(
        run.stderr.contains("Rewrote 1 reference in app/m.py"),
        "{}",
        run.stderr
    );
    assert_eq!(project.snapshot(), before, "nothing may be written");
    // Nothing to rewrite: the source comes back as it was.
    let run = pipe(
        &project,
        &["apply", "--stdin-filename", "app/m.py"],
        "import os\n",
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, "import os\n"));
}

#[test]
fn the_module_name_comes_from_the_path() {
    let project = Project::with_codemod("m", "[[move]]\nfrom = \"pkg.old\"\nto = \"pkg.new\"\n");
    project
        .write("pkg/__init__.py", "")
        .write("pkg/new.py", "X = 1\n");
    let source = "from .old import X\n";
    let run = pipe(
        &project,
        &["apply", "--stdin-filename", "pkg/user.py"],
        source,
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "from .new import X\n"),
        "{}",
        run.stderr
    );
    // Outside the package the same text is another module: nothing to rewrite.
    let run = pipe(
        &project,
        &["apply", "--stdin-filename", "other/user.py"],
        source,
    );
    assert_eq!(run.stdout, source, "{}", run.stderr);
}

#[test]
fn codemod_excludes_follow_the_path() {
    let project = Project::with_codemod(
        "m",
        "exclude = [\"legacy/**\"]\n\n[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n",
    );
    let source = "import a.old\n";
    let run = pipe(
        &project,
        &["apply", "--stdin-filename", "legacy/x.py"],
        source,
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, source),
        "{}",
        run.stderr
    );
    let run = pipe(&project, &["apply", "--stdin-filename", "app/x.py"], source);
    assert_eq!(run.stdout, "import a.new\n");
}

#[test]
fn diff_prints_the_patch_and_check_the_findings_under_the_path() {
    let project = Project::with_codemod("m", MOVE_A);
    let run = pipe(
        &project,
        &["diff", "--stdin-filename", "app/m.py"],
        "import a.old\n",
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("diff --git a/app/m.py b/app/m.py\n--- a/app/m.py\n+++ b/app/m.py\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("-import a.old\n+import a.new\n"),
        "{}",
        run.stdout
    );
    let run = pipe(
        &project,
        &["check", "--stdin-filename", "app/m.py"],
        "import a.old\n",
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .starts_with("app/m.py:1:8: m/1: a.old -> a.new\n"),
        "{}",
        run.stdout
    );
    let run = pipe(
        &project,
        &["check", "--stdin-filename", "app/m.py"],
        "import a.new\n",
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn apply_exits_1_when_a_reference_needs_a_manual_edit() {
    let project = Project::with_codemod("m", MOVE_A);
    let source = "import a.new\n\n\ndef f(x:\n    from a.old import g\n    return g(\n";
    let run = pipe(&project, &["apply", "--stdin-filename", "m.py"], source);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, source);
    assert!(run.stderr.contains("manual: m.py:5:10"), "{}", run.stderr);
}

#[test]
fn apply_refuses_a_move_to_nowhere_and_prints_nothing() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("a/__init__.py", "").write("a/old.py", "");
    let run = pipe(
        &project,
        &["apply", "--stdin-filename", "m.py"],
        "import a.old\n",
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("nothing written"), "{}", run.stderr);
}

#[test]
fn stdin_filename_takes_no_paths_and_apply_takes_no_json() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("m.py", "import a.old\n");
    let run = pipe(&project, &["check", "--stdin-filename", "x.py", "m.py"], "");
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = pipe(
        &project,
        &["apply", "--stdin-filename", "x.py", "--format", "json"],
        "import a.old\n",
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--stdin-filename x.py"),
        "{}",
        run.stderr
    );
    assert_eq!(project.read_text("m.py"), "import a.old\n");
}
