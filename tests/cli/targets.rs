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
fn github_and_junit_show_target_problems_like_the_other_formats() {
    let project = target_project(None);
    let github = project.run(&["check", "--format", "github"]);
    github.code(1);
    let stdout = github.stdout_text();
    let warning = stdout
        .lines()
        .find(|line| line.starts_with("::warning "))
        .unwrap_or_else(|| panic!("no ::warning line:\n{stdout}"));
    assert!(
        warning.starts_with("::warning file=codemods/m.toml,line=2,title=reroute::"),
        "{warning}"
    );
    assert!(
        warning.contains("neither defines nor imports `new`"),
        "{warning}"
    );
    let junit = project.run(&["check", "--format", "junit"]);
    junit.code(1);
    let xml = junit.stdout_text();
    let err = xml
        .split_once("<system-err>")
        .and_then(|(_, rest)| rest.split_once("</system-err>"))
        .map(|(inside, _)| inside)
        .unwrap_or_else(|| panic!("no <system-err>:\n{xml}"));
    assert!(err.starts_with("warning: "), "{err}");
    assert!(err.contains("`to` = &quot;acme.core.new&quot;"), "{err}");
    // Still one test case per scanned file: the problems are the suite's, not a case.
    assert_eq!(xml.matches("<testcase ").count(), 4, "{xml}");
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

#[test]
fn a_typo_in_the_top_level_package_is_caught_and_other_packages_beside_are_not() {
    let project = Project::empty();
    project
        .write(
            "codemods/m.toml",
            "[[move]]\nfrom = \"acme.services.old\"\nto = \"acmee.core.new\"\n",
        )
        .write("acme/__init__.py", "")
        .write("acme/services/__init__.py", "")
        .write(
            "acme/services/worker.py",
            "from acme.services.old import X\n",
        );
    let run = project.run(&["apply"]);
    run.code(2)
        .stderr_has("m.toml:2:8: `to` = \"acmee.core.new\"")
        .stderr_has("there is no package `acmee`")
        .stderr_has("--no-target-check");
    assert_eq!(
        project.read_text("acme/services/worker.py"),
        "from acme.services.old import X\n"
    );
    project.write("acmee/core/new.py", "X = 1\n");
    project.run(&["apply"]).code(0);
}

#[test]
fn a_namespace_package_and_an_annotation_only_name_are_checked() {
    let project = Project::empty();
    project
        .write(
            "codemods/m.toml",
            "[[move]]\nfrom = \"ns.pkg.old.X\"\nto = \"ns.pkg.new.X\"\n",
        )
        .write("ns/pkg/__init__.py", "")
        .write("ns/pkg/new.py", "X: int\n")
        .write("ns/pkg/user.py", "from ns.pkg.old import X\n");
    project
        .run(&["check"])
        .code(1)
        .stderr_has("neither defines nor imports `X`");
    project.write("ns/pkg/new.py", "X: int = 1\n");
    let run = project.run(&["check"]);
    run.code(1);
    assert!(!run.stderr.contains("`to`"), "{}", run.stderr);
}

#[test]
fn a_run_on_a_subset_checks_targets_against_the_whole_project() {
    let project = target_project(None);
    project
        .write(
            "pyproject.toml",
            "[tool.reroute]\ncodemods = [\"codemods\"]\n",
        )
        .write("tests/test_worker.py", "from acme.services.old import X\n");
    for args in [&["apply", "tests"][..], &["apply", "tests/test_worker.py"]] {
        project
            .run(args)
            .code(2)
            .stderr_has("`to` = \"acme.core.new\"");
        assert_eq!(
            project.read_text("tests/test_worker.py"),
            "from acme.services.old import X\n"
        );
    }
    project.write("acme/core/new.py", "X = 1\n");
    project.run(&["apply", "tests"]).code(0);
    assert_eq!(
        project.read_text("tests/test_worker.py"),
        "from acme.core.new import X\n"
    );
}
