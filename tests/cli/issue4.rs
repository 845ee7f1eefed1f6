//! Issue 4: relative imports (packages on disk, source roots, unresolvable ones), the new
//! reason codes, string categories, `rename_usages`, symbols used through a module and
//! `sys.version_info` branches.

use crate::util::{MOVE_A_STRINGS, Project};

/// Moves `acme.services.old` to `acme.core.new`.
const MOVE_ACME: &str = "[[move]]\nfrom = \"acme.services.old\"\nto = \"acme.core.new\"\n";

/// Moves `acme.services.old` to another top-level package.
const MOVE_ACME_OUT: &str = "[[move]]\nfrom = \"acme.services.old\"\nto = \"other.new\"\n";

/// The same file as [`MOVE_ACME`] would see, read with `src` as a package.
const MOVE_SRC_ACME: &str =
    "[[move]]\nfrom = \"src.acme.services.old\"\nto = \"src.acme.core.new\"\n";

const WORKER: &str = "from .old import X\nfrom . import old\n";

/// `acme/services/worker.py` inside real packages (every folder has an `__init__.py`),
/// and the target module `acme/core/new.py`.
fn acme_packages(spec: &str) -> Project {
    let project = Project::empty();
    project
        .write("m.toml", spec)
        .write("acme/__init__.py", "")
        .write("acme/services/__init__.py", "")
        .write("acme/services/worker.py", WORKER)
        .write("acme/core/__init__.py", "")
        .write("acme/core/new.py", "X = 1\n");
    project
}

/// `src/acme/services/worker.py` and the target `src/acme/core/new.py`, with no
/// `__init__.py` anywhere.
fn src_layout() -> Project {
    let project = Project::with_codemod("m", MOVE_ACME);
    project
        .write("src/acme/services/worker.py", "from .old import X\n")
        .write("src/acme/core/new.py", "X = 1\n");
    project
}

fn json(run: &crate::util::Run) -> serde_json::Value {
    serde_json::from_slice(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout_text()))
}

#[test]
fn relative_imports_resolve_from_packages_on_disk() {
    let project = acme_packages(MOVE_ACME);
    let run = project.run(&["diff", "acme", "--codemods", "m.toml"]);
    run.code(1)
        .stdout_has("-from .old import X\n-from . import old\n")
        .stdout_has("+from ..core.new import X\n+from ..core import new as old\n");
    assert_eq!(project.read_text("acme/services/worker.py"), WORKER);

    project
        .run(&["apply", "acme", "--codemods", "m.toml"])
        .code(0);
    assert_eq!(
        project.read_text("acme/services/worker.py"),
        "from ..core.new import X\nfrom ..core import new as old\n"
    );
    project
        .run(&["check", "acme", "--codemods", "m.toml"])
        .code(0);
}

#[test]
fn relative_import_moved_to_another_top_level_package_becomes_absolute() {
    let project = acme_packages(MOVE_ACME_OUT);
    project
        .run(&["diff", "acme", "--codemods", "m.toml"])
        .code(1)
        .stdout_has("+from other.new import X\n+from other import new as old\n");
    project
        .run(&["apply", "acme", "--codemods", "m.toml"])
        .code(0);
    assert_eq!(
        project.read_text("acme/services/worker.py"),
        "from other.new import X\nfrom other import new as old\n"
    );
}

#[test]
fn without_a_source_root_folder_names_give_namespace_readings() {
    let project = src_layout();
    // With nothing configured, every folder reading is tried: the import is read as
    // `acme.services.old` ...
    project
        .run(&["diff"])
        .code(1)
        .stdout_has("-from .old import X\n+from ..core.new import X\n");
    project
        .run(&["check"])
        .code(1)
        .stdout_has("src/acme/services/worker.py:1:6: m/1: acme.services.old -> acme.core.new");
    // ... and also as `src.acme.services.old`.
    project.write("codemods/m.toml", MOVE_SRC_ACME);
    project
        .run(&["check"])
        .code(1)
        .stdout_has("m/1: src.acme.services.old -> src.acme.core.new");
    project.write("codemods/m.toml", MOVE_ACME);
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read_text("src/acme/services/worker.py"),
        "from ..core.new import X\n"
    );
}

#[test]
fn src_flag_sets_the_source_root() {
    let project = src_layout();
    project
        .run(&["diff", "--src", "src"])
        .code(1)
        .stdout_has("-from .old import X\n+from ..core.new import X\n");
    // `src` is a root, not a package: the `src.` reading is gone.
    project.write("codemods/s.toml", MOVE_SRC_ACME);
    let only_src = project.run(&["check", "--src", "src", "--select", "s"]);
    only_src.code(0);
    assert!(
        !only_src.stdout_text().contains("s/1"),
        "{}",
        only_src.stdout_text()
    );
    project.run(&["apply", "--src", "src"]).code(0);
    assert_eq!(
        project.read_text("src/acme/services/worker.py"),
        "from ..core.new import X\n"
    );
}

#[test]
fn pyproject_src_sets_the_source_root_from_the_root_and_from_a_subfolder() {
    let project = src_layout();
    project
        .write(
            "pyproject.toml",
            "[project]\nname = \"demo\"\n\n[tool.reroute]\ncodemods = [\"codemods\"]\nsrc = [\"src\"]\n",
        )
        .write("codemods/s.toml", MOVE_SRC_ACME);

    let root = project.run(&["check"]);
    root.code(1)
        .stdout_has("src/acme/services/worker.py:1:6: m/1: acme.services.old -> acme.core.new");
    assert!(
        !root.stdout_text().contains("s/1"),
        "{}",
        root.stdout_text()
    );
    project
        .run(&["diff"])
        .code(1)
        .stdout_has("-from .old import X\n+from ..core.new import X\n");

    let sub = project.run_in("src/acme/services", &["check"]);
    sub.code(1)
        .stdout_has("worker.py:1:6: m/1: acme.services.old -> acme.core.new");
    assert!(!sub.stdout_text().contains("s/1"), "{}", sub.stdout_text());
    project
        .run_in("src/acme", &["diff"])
        .code(1)
        .stdout_has("-from .old import X\n+from ..core.new import X\n");

    let copy = project.copy();
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read_text("src/acme/services/worker.py"),
        "from ..core.new import X\n"
    );
    // From `src/acme`, so that the target `acme/core/new.py` is in the processed tree.
    copy.run_in("src/acme", &["apply"]).code(0);
    assert_eq!(
        copy.read_text("src/acme/services/worker.py"),
        "from ..core.new import X\n"
    );
}

const MOVE_TWO_OLDS: &str = "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n\n\
    [[move]]\nfrom = \"b.old\"\nto = \"b.new\"\n";

#[test]
fn unresolved_relative_import_is_a_note_that_keeps_exit_0() {
    let project = Project::with_codemod("m", MOVE_TWO_OLDS);
    project.write("run.py", "from .old import X\n");

    let check = project.run(&["check"]);
    check
        .code(0)
        .stdout_has("run.py:1:6: ")
        .stdout_has("[unresolved-relative]");

    let diff = project.run(&["diff"]);
    diff.code(0);
    assert!(diff.stdout.is_empty(), "{}", diff.stdout_text());
    let note = diff
        .stderr
        .lines()
        .find(|l| l.starts_with("note:"))
        .unwrap_or_else(|| panic!("no note: line on stderr:\n{}", diff.stderr));
    assert!(note.contains("run.py:1:6:"), "{note}");
    assert!(note.contains("[unresolved-relative]"), "{note}");

    project
        .run(&["apply"])
        .code(0)
        .stderr_has("[unresolved-relative]");
    assert_eq!(project.read_text("run.py"), "from .old import X\n");

    let run = project.run(&["check", "--format", "json"]);
    run.code(0);
    let doc = json(&run);
    let findings = doc["findings"].as_array().expect("findings array");
    assert!(!findings.is_empty(), "{doc}");
    for finding in findings {
        assert_eq!(finding["path"], "run.py", "{finding}");
        assert_eq!(finding["status"], "note", "{finding}");
        assert_eq!(
            finding["reason"]["code"], "unresolved-relative",
            "{finding}"
        );
    }
    assert_eq!(doc["summary"]["fixable"], 0, "{doc}");
    assert_eq!(doc["summary"]["manual"], 0, "{doc}");
}

#[test]
fn explain_the_new_codes() {
    let project = Project::empty();
    for code in [
        "star-import",
        "version-branch",
        "redundant-fallback",
        "public-rename",
        "unresolved-relative",
    ] {
        let run = project.run(&["check", "--explain", code]);
        run.code(0);
        let stdout = run.stdout_text();
        assert!(stdout.starts_with(code), "--explain {code}:\n{stdout}");
        assert!(stdout.lines().count() > 2, "--explain {code}:\n{stdout}");
    }
}

const STRINGS_TEST: &str = "import importlib\nimport pkgutil\nfrom unittest import mock\n\n\n\
    def test_it(mocker, monkeypatch):\n    mock.patch(\"a.old.X\")\n    mocker.patch(\"a.old.Y\")\n    \
    monkeypatch.setattr(\"a.old.Z\", 1)\n    importlib.import_module(\"a.old\")\n    \
    pkgutil.resolve_name(\"a.old:X\")\n";

#[test]
fn string_categories_are_counted_reported_and_rewritten() {
    let project = Project::with_codemod("m", MOVE_A_STRINGS);
    project.write("test_x.py", STRINGS_TEST);

    let run = project.run(&["check"]);
    run.code(1);
    let stdout = run.stdout_text();
    let summary = stdout
        .lines()
        .find(|l| l.starts_with("m: "))
        .unwrap_or_else(|| panic!("no per-codemod line:\n{stdout}"));
    assert!(
        summary.contains("strings: 2 patch, 1 monkeypatch, 1 import_module, 1 resolve_name"),
        "{summary}"
    );

    let run = project.run(&["check", "--format", "json"]);
    run.code(1);
    let doc = json(&run);
    assert_eq!(
        doc["summary"]["strings"],
        serde_json::json!({"patch": 2, "monkeypatch": 1, "import_module": 1, "resolve_name": 1}),
        "{doc}"
    );
    let findings = doc["findings"].as_array().expect("findings array");
    let category = |line: u64| {
        let finding = findings
            .iter()
            .find(|f| f["line"] == line)
            .unwrap_or_else(|| panic!("no finding on line {line}: {doc}"));
        finding["category"].clone()
    };
    assert_eq!(category(7), "patch");
    assert_eq!(category(8), "patch");
    assert_eq!(category(9), "monkeypatch");
    assert_eq!(category(10), "import_module");
    assert_eq!(category(11), "resolve_name");

    project.run(&["apply"]).code(0);
    let after = project.read_text("test_x.py");
    assert_eq!(after, STRINGS_TEST.replace("a.old", "a.new"));
    assert!(
        after.contains("pkgutil.resolve_name(\"a.new:X\")"),
        "{after}"
    );
    project.run(&["check"]).code(0);
}

#[test]
fn rename_usages_end_to_end() {
    let project = Project::with_codemod(
        "m",
        "[[move]]\nfrom = \"a.old.Thing\"\nto = \"b.new.Widget\"\nrename_usages = true\n",
    );
    project.write("m.py", "from a.old import Thing\nx = Thing()\n");
    let run = project.run(&["apply"]);
    run.code(0);
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("note:") && l.contains("[public-rename]")),
        "no public-rename note:\n{}",
        run.stderr
    );
    assert_eq!(
        project.read_text("m.py"),
        "from b.new import Widget\nx = Widget()\n"
    );
    project.run(&["check"]).code(0);
}

#[test]
fn symbol_used_through_a_module_gets_an_import_of_its_new_home() {
    let project = Project::with_codemod(
        "m",
        "[[move]]\nfrom = \"typing.Callable\"\nto = \"collections.abc.Callable\"\n",
    );
    project.write("m.py", "import typing\nx: typing.Callable\n");
    let run = project.run(&["diff"]);
    run.code(1);
    assert_eq!(
        run.stdout_text(),
        "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,3 @@\n import typing\n\
         -x: typing.Callable\n+import collections.abc\n+x: collections.abc.Callable\n"
    );
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read_text("m.py"),
        "import typing\nimport collections.abc\nx: collections.abc.Callable\n"
    );
}

const VERSION_BRANCH: &str = "import sys\nif sys.version_info < (3, 9):\n    from typing import Callable\n\
    else:\n    from collections.abc import Callable\n";

#[test]
fn version_branch_is_left_alone_with_a_note() {
    let project = Project::with_codemod(
        "m",
        "[[move]]\nfrom = \"typing.Callable\"\nto = \"collections.abc.Callable\"\n",
    );
    project.write("m.py", VERSION_BRANCH);

    project
        .run(&["check"])
        .code(0)
        .stdout_has("m.py:3:")
        .stdout_has("[version-branch]");
    let diff = project.run(&["diff"]);
    diff.code(0).stderr_has("[version-branch]");
    assert!(diff.stdout.is_empty(), "{}", diff.stdout_text());
    project
        .run(&["apply"])
        .code(0)
        .stderr_has("[version-branch]");
    assert_eq!(project.read_text("m.py"), VERSION_BRANCH);

    let run = project.run(&["check", "--format", "json"]);
    run.code(0);
    let doc = json(&run);
    let finding = &doc["findings"][0];
    assert_eq!(finding["status"], "note", "{doc}");
    assert_eq!(finding["reason"]["code"], "version-branch", "{doc}");
}

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
