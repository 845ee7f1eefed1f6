//! Ways code refers to a moved name beyond plain imports, end to end: reason codes and
//! `check --explain`, string categories, `rename_usages`, symbols used through a module,
//! and `sys.version_info` branches.

use crate::util::{MOVE_A_STRINGS, Project, json};

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

#[test]
fn mentions_true_rewrites_mentions_and_lists_the_dynamic_ones() {
    let spec = "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\nmentions = true\n";
    let project = Project::with_codemod("m", spec);
    project.write(
        "x.py",
        "# uses a.old\nLOG = \"a.old loaded\"\nJOINED = \"a.old.\" + LOG\n",
    );
    project
        .run(&["check", "--mentions"])
        .code(1)
        .stdout_has("x.py:1:8: m/1: a.old -> a.new\n")
        .stdout_has("x.py:2:8: m/1: a.old -> a.new\n")
        .stdout_has("x.py:3:11: m/1: a.old -> a.new [mention in string]")
        .stdout_has("m: 2 references (2 fixable, 0 manual), 1 mentions");
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read_text("x.py"),
        "# uses a.new\nLOG = \"a.new loaded\"\nJOINED = \"a.old.\" + LOG\n"
    );
    project.run(&["check"]).code(0);
}

#[test]
fn a_moved_module_reached_through_its_parent_imports_the_module_itself() {
    let project = Project::with_codemod(
        "m",
        "[[move]]\nfrom = \"pkg.a.b.old\"\nto = \"pkg.c.new\"\n",
    );
    project
        .write("pkg/__init__.py", "")
        .write("pkg/a/__init__.py", "")
        .write("pkg/a/b/__init__.py", "")
        .write("pkg/c/__init__.py", "")
        .write("pkg/c/new.py", "X = 1\n")
        .write("app.py", "from pkg.a import b\n\nb.old.X()\n");
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read_text("app.py"),
        "from pkg.a import b\nimport pkg.c.new\n\npkg.c.new.X()\n"
    );
}

#[test]
fn public_rename_notes_say_what_to_add_show_once_and_can_be_quiet() {
    let spec =
        "[[move]]\nfrom = \"acme.old.OldName\"\nto = \"acme.new.NewName\"\nrename_usages = true\n";
    let project = Project::with_codemod("m", spec);
    project
        .write("acme/__init__.py", "")
        .write("acme/new.py", "class NewName: ...\n")
        .write("acme/one.py", "from acme.old import OldName\n")
        .write("acme/two.py", "from acme.old import OldName\n");
    let run = project.run(&["diff"]);
    run.code(1)
        .stderr_has(
            "note: acme/one.py:1:1: m/1: acme.old.OldName -> acme.new.NewName [public-rename]",
        )
        .stderr_has("add \"acme.one.OldName\" to this move's `from` list")
        .stderr_has("note: 1 more `public-rename` note for m/1");
    assert!(!run.stderr.contains("acme/two.py"), "{}", run.stderr);
    let quiet = project.run(&["diff", "--quiet-notes", "public-rename"]);
    quiet.code(1);
    assert!(!quiet.stderr.contains("public-rename"), "{}", quiet.stderr);
    project.write(
        "pyproject.toml",
        "[tool.reroute]\nquiet-notes = [\"public-rename\"]\n",
    );
    let configured = project.run(&["check"]);
    configured.code(1);
    assert!(!configured.stdout_text().contains("public-rename"));
}
