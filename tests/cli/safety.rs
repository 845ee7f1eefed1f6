//! `reroute apply` when the world does not hold still: concurrent writers, signals in the
//! middle of the write phase, a killed run's temp files, owners, hard links, FIFOs.

use std::process::Command;

use crate::util::{MOVE_A, Project};

#[test]
fn a_fifo_named_on_the_command_line_is_an_error() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("m.py", "import a.old\n");
    let status = Command::new("mkfifo")
        .arg(project.path("pipe.py"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    for command in ["check", "diff", "apply"] {
        let run = project.run(&[command, "pipe.py", "m.py"]);
        run.code(2);
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with("error: pipe.py") && l.contains("not a regular file")),
            "{command}: {}",
            run.stderr
        );
    }
    assert_eq!(project.read_text("m.py"), "import a.new\n");
}
