//! `apply -i`, driven through a pseudo-terminal (util-linux `script`): each rewrite (an
//! import with its uses) is shown and asked about; y writes it, n leaves it, i leaves it
//! with a `# reroute: ignore[…]` comment; off a terminal it is an error.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::util::{BIN, MOVE_A, Project};

/// Runs `reroute apply -i` in a pseudo-terminal with `answers` typed in; returns the exit
/// code and what the terminal showed.
fn apply_interactive(project: &Project, answers: &str) -> (i32, String) {
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", &format!("{BIN} apply -i"), "/dev/null"])
        .current_dir(project.root())
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("util-linux script runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"),
    )
}

fn project() -> Project {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("a/__init__.py", "")
        .write("a/new.py", "")
        .write("one.py", "import a.old\nx = a.old.f()\n")
        .write("three.py", "from a.old import g\n")
        .write("two.py", "import a.old  # legacy\r\n");
    project
}

#[test]
fn each_rewrite_is_asked_and_only_accepted_ones_are_written() {
    let project = project();
    let (code, shown) = apply_interactive(&project, "y\ni\nn\n");
    assert_eq!(code, 1, "{shown}");
    // The import and its use are one question.
    assert!(
        shown.contains("-import a.old\n-x = a.old.f()\n+import a.new\n+x = a.new.f()\n"),
        "{shown}"
    );
    assert_eq!(shown.matches("Apply this rewrite?").count(), 3, "{shown}");
    assert!(shown.contains("Accepted 1 of 3 rewrites; wrote 2 files; added 1 ignore comments."));
    assert_eq!(project.read_text("one.py"), "import a.new\nx = a.new.f()\n");
    assert_eq!(
        project.read_text("three.py"),
        "from a.old import g  # reroute: ignore[m/1]\n"
    );
    assert_eq!(project.read_text("two.py"), "import a.old  # legacy\r\n");
    // What is left: two.py only (three.py is suppressed).
    let check = project.run(&["check"]);
    check.code(1).stdout_has("two.py:1:8: m/1");
    assert!(
        !check
            .stdout_text()
            .contains("three.py:1:6: m/1: a.old -> a.new\n")
    );
}

#[test]
fn all_and_quit() {
    let project = project();
    let (code, _) = apply_interactive(&project, "a\n");
    assert_eq!(code, 0);
    assert_eq!(project.read_text("two.py"), "import a.new  # legacy\r\n");
    assert_eq!(project.read_text("three.py"), "from a.new import g\n");
    let project = self::project();
    let before = project.snapshot();
    let (code, shown) = apply_interactive(&project, "q\n");
    assert_eq!(code, 1, "{shown}");
    assert_eq!(shown.matches("Apply this rewrite?").count(), 1, "{shown}");
    assert_eq!(project.snapshot(), before);
}

#[test]
fn off_a_terminal_it_is_an_error() {
    let project = project();
    let before = project.snapshot();
    project
        .run(&["apply", "-i"])
        .code(2)
        .stderr_has("apply -i asks about each rewrite on a terminal");
    assert_eq!(project.snapshot(), before);
}
