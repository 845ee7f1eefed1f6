//! `check --unresolved-imports`: a plain `git mv` leaves imports of a module that is gone;
//! they are findings with no codemod, and `suggest --unresolved` writes the codemod that
//! fixes them. The false-positive traps stay silent.

use crate::util::{Project, json, run_with_env};

/// A project with package `app` (`app/core.py` defines `run`), and `app/use.py`, which
/// imports `app.ratio` and names from it.
fn moved_project() -> Project {
    let project = Project::empty();
    project
        .write("pyproject.toml", "[project]\nname = \"app\"\n")
        .write("app/__init__.py", "")
        .write("app/core.py", "def run():\n    pass\n")
        .write("app/ratio.py", "def ratio_resolve():\n    return 1\n")
        .write(
            "app/use.py",
            "from app.ratio import ratio_resolve\nimport app.ratio\nfrom app.core import run\n",
        );
    project.git(&["init", "-q"]);
    project.git(&["add", "-A"]);
    project.git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        "base",
    ]);
    project.write("app/_internal/__init__.py", "");
    project.git(&["mv", "app/ratio.py", "app/_internal/ratio.py"]);
    project
}

#[test]
fn a_plain_git_mv_fails_check_and_suggest_then_apply_fix_it() {
    let project = moved_project();
    // Without the flag (and with no codemod) nothing can be checked.
    project
        .run(&["check"])
        .code(2)
        .stderr_has("no codemods found");
    let check = project.run(&["check", "--unresolved-imports"]);
    check
        .code(1)
        .stdout_has("app/use.py:1:6: unresolved-import: app.ratio [unresolved-import] no module `app.ratio`")
        .stdout_has("app/use.py:2:8: unresolved-import: app.ratio")
        .stdout_has("unresolved imports: 2 imports");
    assert!(
        !check.stdout_text().contains("app.core"),
        "{}",
        check.stdout_text()
    );

    let suggest = project.run(&["suggest", "--unresolved", "--git", "HEAD"]);
    suggest.code(0);
    let codemod = suggest.stdout_text();
    assert!(
        codemod.contains("[[move]]\nfrom = \"app.ratio\"\nto = \"app._internal.ratio\"\n"),
        "{codemod}"
    );
    // Written straight into the codemods folder it reads from: it loads none.
    project.write("codemods/fix.toml", &codemod);
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read_text("app/use.py"),
        "from app._internal.ratio import ratio_resolve\nimport app._internal.ratio\nfrom app.core import run\n"
    );
    project.run(&["check", "--unresolved-imports"]).code(0);
}

#[test]
fn without_git_suggest_places_by_leaf_name_and_by_definition() {
    let project = Project::empty();
    project
        .write("app/__init__.py", "")
        .write("app/core.py", "def run():\n    pass\n")
        .write("app/sub/__init__.py", "")
        .write("app/sub/helpers.py", "def walk():\n    pass\n")
        .write("app/sub/other.py", "from app.sub.helpers import walk\n")
        .write(
            "app/use.py",
            "import app.helpers\nfrom app.core import walk\nimport app.nowhere\n",
        );
    let suggest = project.run(&["suggest", "--unresolved"]);
    suggest.code(0);
    let text = suggest.stdout_text();
    assert!(
        text.contains("# the one module named `helpers`; 1 import\n[[move]]\nfrom = \"app.helpers\"\nto = \"app.sub.helpers\"\n"),
        "{text}"
    );
    // `other.py` imports `walk` but does not define it.
    assert!(
        text.contains("# the one module that defines `walk`; 1 import\n[[move]]\nfrom = \"app.core.walk\"\nto = \"app.sub.helpers.walk\"\n"),
        "{text}"
    );
    assert!(
        text.contains("# not placed: app.nowhere (1 import;"),
        "{text}"
    );
    project.write("codemods/fix.toml", &text);
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read_text("app/use.py"),
        "import app.sub.helpers\nfrom app.sub.helpers import walk\nimport app.nowhere\n"
    );
}

#[test]
fn json_has_no_codemod_and_the_ratchet_counts_them_apart() {
    let project = moved_project();
    project.write(
        "pyproject.toml",
        "[tool.reroute]\nunresolved-imports = true\n",
    );
    let doc = json(&project.run(&["check", "--format", "json"]));
    assert_eq!(doc["schema"], "reroute.check/3");
    let finding = &doc["findings"][0];
    assert_eq!(finding["rule"], "unresolved-import");
    assert!(finding["codemod"].is_null(), "{finding}");
    assert!(finding["new"].is_null(), "{finding}");
    assert_eq!(finding["old"], "app.ratio");
    assert_eq!(finding["reason"]["code"], "unresolved-import");
    assert_eq!(doc["summary"]["unresolved_imports"], 2);
    assert_eq!(doc["summary"]["manual"], 2);
    assert_eq!(doc["summary"]["by_codemod"], serde_json::json!({}));

    project
        .run(&["check", "--baseline", "base.json", "--update-baseline"])
        .code(0);
    let baseline: serde_json::Value =
        serde_json::from_str(&project.read_text("base.json")).unwrap();
    assert_eq!(
        baseline["unresolved-imports"],
        serde_json::json!({"app/use.py": 2})
    );
    assert_eq!(baseline["counts"], serde_json::json!({}));
    project.run(&["check", "--baseline", "base.json"]).code(0);
    project.write("app/more.py", "import app.gone\n");
    project
        .run(&["check", "--baseline", "base.json"])
        .code(1)
        .stderr_has("app/more.py: unresolved imports: 1 references, the baseline allows 0");
    // Only `check` asks: diff and apply never report them.
    project.write(
        "codemods/m.toml",
        "[[move]]\nfrom = \"zz.a\"\nto = \"zz.b\"\n",
    );
    project.run(&["diff"]).code(0);
}

#[test]
fn guarded_imports_are_notes_and_names_are_checked() {
    let project = Project::empty();
    project
        .write("app/__init__.py", "from app.core import run\n")
        .write("app/core.py", "def run():\n    pass\n")
        .write(
            "app/use.py",
            "try:\n    from app._speedups import fast\nexcept ImportError:\n    fast = None\n\
             from app import run, walk  # reroute: ignore[unresolved-import]\nfrom app.core import jump\n",
        );
    let doc = json(&project.run(&["check", "--unresolved-imports", "--format", "json"]));
    let found: Vec<(String, String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["old"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
                f["reason"]["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expected = [
        ("app._speedups", "note", "guarded-import"),
        ("app.walk", "suppressed", ""),
        ("app.core.jump", "manual", "unresolved-import"),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
    assert_eq!(found, expected);
}

#[test]
fn the_false_positive_traps_stay_silent() {
    let project = Project::empty();
    project
        .write(".gitignore", "app/_version.py\nbuild/\n")
        .write("app/__init__.py", "from app._version import version\n")
        // A generated module that git ignores, present on disk.
        .write("app/_version.py", "version = '1'\n")
        // A compiled module, and one built from a C source in this checkout.
        .write("app/_fast.cpython-312-x86_64-linux-gnu.so", "\x7fELF")
        .write("app/_speed.c", "int x;\n")
        .write("app/lazy.py", "def __getattr__(name):\n    return name\n")
        // A namespace package this project shares with an installed distribution.
        .write("google/myproj/__init__.py", "")
        // A top-level tests package, and a stub-only package.
        .write("tests/__init__.py", "")
        .write("tests/helpers.py", "def helper():\n    pass\n")
        .write("typings/numpy/__init__.pyi", "")
        // Named like the standard library.
        .write("json/__init__.py", "")
        .write(
            "tests/test_app.py",
            "from app._version import version\nfrom app import _fast, _speed\nimport app._fast\n\
             from app.lazy import anything\nimport google.protobuf\nfrom google.cloud import storage\n\
             from tests.helpers import helper\nimport numpy.linalg\nimport json.decoder\nimport requests.adapters\n",
        );
    // `requests` is installed as a real folder; `app` only as an editable `.pth`.
    let site = ".venv/lib/python3.12/site-packages";
    project
        .write(&format!("{site}/requests/__init__.py"), "")
        .write(&format!("{site}/__editable__.app-1.pth"), "/x\n");
    project.write("requests/__init__.py", "");
    let venv = project.path(".venv");
    let run = run_with_env(
        project.root(),
        &[
            "check",
            "--unresolved-imports",
            "--no-ignore",
            "--exclude",
            ".venv",
        ],
        &[("VIRTUAL_ENV", venv.to_str().unwrap())],
    );
    run.code(0);
    assert!(
        !run.stdout_text().contains("unresolved-import"),
        "{}",
        run.stdout_text()
    );
    // The same generated module, absent from the checkout: git ignores its path, so
    // its absence proves nothing.
    std::fs::remove_file(project.path("app/_version.py")).unwrap();
    project.run(&["check", "--unresolved-imports"]).code(0);
    // A module that is really missing is still found next to them.
    project.write("tests/test_more.py", "from tests import gone\n");
    project
        .run(&["check", "--unresolved-imports"])
        .code(1)
        .stdout_has("tests.gone");
}
