//! The target check: a move whose `to` the processed tree does not have is a warning, and
//! `apply` writes nothing.

use crate::util::{MOVE_ACME, Project};

/// A project whose package `acme` is on disk and whose codemod points at `acme.core.new`.
fn target_project(new_module: Option<&str>) -> Project {
    let project = Project::empty();
    project
        .write(
            "pyproject.toml",
            "[tool.reroute]\ncodemods = [\"codemods\"]\n",
        )
        .write("codemods/m.toml", MOVE_ACME)
        .write("acme/__init__.py", "")
        .write("acme/services/__init__.py", "")
        .write(
            "acme/services/worker.py",
            "from acme.services.old import X\n",
        )
        .write("acme/core/__init__.py", "");
    if let Some(text) = new_module {
        project.write("acme/core/new.py", text);
    }
    project
}

#[test]
fn a_missing_target_module_is_a_warning_and_apply_writes_nothing() {
    let project = target_project(None);
    let before = project.snapshot();
    project
        .run(&["diff"])
        .code(1)
        .stderr_has("warning: ")
        .stderr_has("`to` = \"acme.core.new\": ")
        .stderr_has("neither defines nor imports `new`; fix the typo");
    project
        .run(&["apply"])
        .code(2)
        .stderr_has("nothing written")
        .stderr_has("--no-target-check");
    assert_eq!(
        project.snapshot(),
        before,
        "apply wrote despite the failed check"
    );
    project.run(&["apply", "--no-target-check"]).code(0);
    assert_eq!(
        project.read_text("acme/services/worker.py"),
        "from acme.core.new import X\n"
    );
}

#[test]
fn a_target_module_that_lacks_the_moved_name_is_reported() {
    let spec = "[[move]]\nfrom = \"acme.services.old.X\"\nto = \"acme.core.new.Y\"\n";
    let project = target_project(Some("Z = 1\n"));
    project.write("codemods/m.toml", spec);
    project
        .run(&["check"])
        .code(1)
        .stderr_has("neither defines nor imports `Y`");
    project.write("acme/core/new.py", "from acme.core.impl import Y\n");
    let run = project.run(&["apply"]);
    run.code(0);
    assert!(
        !run.stderr.contains("warning"),
        "an imported name counts as present"
    );
}

#[test]
fn the_target_check_sees_modules_outside_the_processed_folder() {
    let project = target_project(Some("X = 1\n"));
    project.run_in("acme/services", &["apply", "."]).code(0);
    assert_eq!(
        project.read_text("acme/services/worker.py"),
        "from acme.core.new import X\n"
    );
}

#[test]
fn a_to_that_a_later_move_carries_on_is_checked_where_the_chain_ends() {
    let project = Project::empty();
    project
        .write(
            "codemods/m.toml",
            "[[move]]\nfrom = \"pkg.old\"\nto = \"pkg.new\"\n\n\
             [[move]]\nfrom = \"pkg.old.f\"\nto = \"pkg.old.g\"\n",
        )
        .write("pkg/__init__.py", "")
        .write("pkg/new/__init__.py", "def g():\n    pass\n")
        .write("app.py", "import pkg.old\n\npkg.old.f()\n");
    let run = project.run(&["apply"]);
    run.code(0);
    assert!(!run.stderr.contains("no such module"), "{}", run.stderr);
    assert_eq!(
        project.read_text("app.py"),
        "import pkg.new\n\npkg.new.g()\n"
    );
}
