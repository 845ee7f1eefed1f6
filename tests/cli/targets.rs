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

/// Issue 18: a project folder named like its package (`rich/rich/…`) is not a namespace
/// package one level up, whichever file comes first: no false "no such module", and
/// `apply` on a file subset (as pre-commit runs it) writes.
#[test]
fn a_project_folder_named_like_its_package_is_no_package() {
    let outer = Project::empty();
    outer
        .write(
            "rich/pyproject.toml",
            "[tool.reroute]\ncodemods = [\"codemods\"]\n",
        )
        .write(
            "rich/codemods/m.toml",
            "[[move]]\nfrom = \"rich._ratio\"\nto = \"rich._internal.ratio\"\n",
        )
        .write("rich/conftest.py", "import rich._ratio\n")
        .write("rich/rich/__init__.py", "")
        .write("rich/rich/_internal/__init__.py", "")
        .write("rich/rich/_internal/ratio.py", "def ratio():\n    pass\n")
        .write(
            "rich/tests/test_ratio.py",
            "from rich._ratio import ratio\n",
        );
    let check = outer.run_in("rich", &["check"]);
    check.code(1);
    assert!(!check.stderr.contains("no such module"), "{}", check.stderr);
    outer
        .run_in("rich", &["apply", "conftest.py", "tests/test_ratio.py"])
        .code(0);
    assert_eq!(
        outer.read_text("rich/tests/test_ratio.py"),
        "from rich._internal.ratio import ratio\n"
    );
}

/// Issue 18: a module-level `__getattr__` in the parent no longer switches the check off
/// for a module's `to`; for a symbol's `to` it is "cannot verify", which `apply` refuses.
#[test]
fn getattr_neither_hides_a_missing_module_nor_verifies_a_symbol() {
    let project = Project::empty();
    project
        .write(
            "pkg/__init__.py",
            "def __getattr__(name):\n    raise AttributeError(name)\n",
        )
        .write("pkg/utils.py", "def f():\n    pass\n")
        .write("pkg/api.py", "from .impl import *\n")
        .write("pkg/impl.py", "Thing = 1\n")
        .write("app.py", "import pkg.utils\nfrom pkg.legacy import Thing\n")
        .write("pkg/legacy.py", "Thing = 1\n")
        .write(
            "codemods/typo.toml",
            "[[move]]\nfrom = \"pkg.utils\"\nto = \"pkg.utlis\"\n",
        );
    let before = project.snapshot();
    project
        .run(&["check"])
        .code(1)
        .stderr_has("`to` = \"pkg.utlis\": no such module");
    project
        .run(&["apply"])
        .code(2)
        .stderr_has("nothing written");
    assert_eq!(project.snapshot(), before);
    project.write(
        "codemods/typo.toml",
        "[[move]]\nfrom = \"pkg.legacy.Thing\"\nto = \"pkg.api.Thing\"\nkind = \"symbol\"\n",
    );
    let check = project.run(&["check"]);
    check
        .code(1)
        .stderr_has("codemods/typo.toml:2:")
        .stderr_has("cannot verify that")
        .stderr_has("binds `Thing`");
    project.run(&["apply"]).code(2).stderr_has("cannot verify");
    project.run(&["apply", "--no-target-check"]).code(0);
    assert_eq!(
        project.read_text("app.py"),
        "import pkg.utils\nfrom pkg.api import Thing\n"
    );
}

/// Issue 18: a typo'd `from` beside an existing module is named, once; a finished
/// migration (the sibling is a `to`) and a `from` with no near sibling stay silent.
#[test]
fn a_typo_in_from_gets_a_did_you_mean() {
    let project = Project::empty();
    project
        .write("pkg/__init__.py", "")
        .write("pkg/old.py", "X = 1\n")
        .write("pkg/new.py", "X = 1\n")
        .write("pkg/clients.py", "X = 1\n")
        .write("app.py", "from pkg.old import X\n")
        .write(
            "codemods/m.toml",
            "[[move]]\nfrom = \"pkg.odl\"\nto = \"pkg.new\"\n\n[[move]]\nfrom = \"pkg.client\"\nto = \"pkg.clients\"\n\n[[move]]\nfrom = \"pkg.gone_long_ago\"\nto = \"pkg.new\"\n",
        );
    let check = project.run(&["check"]);
    check
        .code(0)
        .stderr_has("codemods/m.toml:2:")
        .stderr_has("`from` = \"pkg.odl\" names nothing in the tree; did you mean `pkg.old`?");
    assert!(!check.stderr.contains("pkg.client\""), "{}", check.stderr);
    assert!(!check.stderr.contains("gone_long_ago"), "{}", check.stderr);
    assert_eq!(
        check.stderr.matches("did you mean").count(),
        1,
        "{}",
        check.stderr
    );
    // A warning only: apply still runs.
    project.run(&["apply"]).code(0);
}
