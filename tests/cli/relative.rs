//! Relative imports on disk: packages found by their `__init__.py`, source roots from
//! `--src` and `[tool.reroute] src`, namespace readings, and unresolvable ones (a note).

use crate::util::{MOVE_ACME, Project, json};

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
        .write("other/__init__.py", "")
        .write("other/new.py", "X = 1\n");
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
