//! `reroute config` (each setting and where it came from), this repository's own
//! pyproject.toml (packaging only: reroute must not read settings from it), and runs on a
//! list of files as pre-commit makes them (the project root still decides).

use crate::util::{MOVE_A, Project, json};

#[test]
fn config_names_the_source_of_each_setting() {
    let project = Project::empty();
    project
        .write(
            "pyproject.toml",
            "[project]\nname = \"demo\"\n\n[tool.reroute]\ncodemods = [\"migrations\"]\nsrc = [\"src\"]\nquiet-notes = [\"public-rename\"]\n",
        )
        .write("migrations/m.toml", MOVE_A)
        .write("migrations/two.toml", "[[move]]\nfrom = \"b.x\"\nto = \"b.y\"\n[[move]]\nfrom = \"b.z\"\nto = \"b.w\"\n")
        .write("src/app.py", "import a.old\n");
    let run = project.run(&["config"]);
    run.code(0);
    let text = run.stdout_text();
    for line in [
        "pyproject.toml: pyproject.toml\n",
        "codemods: migrations  (pyproject.toml:5)\n",
        "  m: migrations/m.toml (1 move)\n",
        "  two: migrations/two.toml (2 moves)\n",
        "src: src  (pyproject.toml:6)\n",
        "quiet-notes: public-rename  (pyproject.toml:7)\n",
        "max-file-size: 10 MB  (default: 10 MB)\n",
        "threads: ",
    ] {
        assert!(text.contains(line), "lacks {line:?}:\n{text}");
    }
    let root = project.root().canonicalize().expect("root");
    let shown_root = text
        .lines()
        .find_map(|l| l.strip_prefix("project-root: "))
        .unwrap_or_else(|| panic!("no project-root:\n{text}"));
    assert!(
        shown_root.starts_with(&format!("{}  (", root.display()))
            || shown_root.starts_with(&format!("{}  (", project.root().display())),
        "{shown_root}"
    );

    let run = project.run(&[
        "config",
        "--format",
        "json",
        "-j",
        "3",
        "--src",
        "lib",
        "--quiet-notes",
        "version-branch",
        "--max-file-size",
        "4",
        "--select",
        "two",
    ]);
    run.code(0);
    let doc = json(&run);
    assert_eq!(doc["schema"], "reroute.config/1");
    let settings = &doc["settings"];
    assert_eq!(settings["threads"]["value"], 3);
    assert_eq!(settings["threads"]["source"]["kind"], "command-line");
    assert_eq!(settings["src"]["value"][0], "lib");
    assert_eq!(settings["src"]["source"]["flag"], "--src");
    assert_eq!(settings["max-file-size"]["value"], 4);
    assert_eq!(
        settings["quiet-notes"]["value"],
        serde_json::json!(["version-branch", "public-rename"])
    );
    assert_eq!(
        settings["quiet-notes"]["source"]["kind"],
        "command-line+pyproject"
    );
    assert_eq!(settings["quiet-notes"]["source"]["line"], 7);
    assert_eq!(settings["codemods"]["source"]["kind"], "pyproject");
    assert_eq!(settings["codemods"]["source"]["line"], 5);
    assert_eq!(doc["codemods"].as_array().map(Vec::len), Some(1), "{doc}");
    assert_eq!(doc["codemods"][0]["name"], "two");
}

#[test]
fn config_shows_defaults_without_pyproject_and_fails_like_a_run() {
    let project = Project::with_codemod("m", MOVE_A);
    let run = project.run(&["config"]);
    run.code(0)
        .stdout_has("pyproject.toml: none with [tool.reroute]")
        .stdout_has("codemods: codemods  (default: ./codemods/)")
        .stdout_has("target-check: on  (default: on)");
    project
        .run(&["config", "--no-target-check"])
        .code(0)
        .stdout_has("target-check: off  (command line: --no-target-check)");
    project.write(
        "codemods/bad.toml",
        "[[move]]\nfrom = \"a.x\"\nto = \"a..y\"\n",
    );
    project.run(&["config"]).code(2).stderr_has("bad.toml:3:6");
    project
        .run(&["config", "--format", "sarif"])
        .code(2)
        .stderr_has("--format sarif is for `reroute check`");
}

/// This repository's pyproject.toml only packages reroute: a project that has it finds
/// its codemods in ./codemods/ as before, and no key of it is an error.
#[test]
fn the_repository_pyproject_is_no_reroute_configuration() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("pyproject.toml", include_str!("../../pyproject.toml"))
        .write("app.py", "import a.old\n");
    project
        .run(&["check"])
        .code(1)
        .stdout_has("app.py:1:8: m/1");
    project
        .run(&["config"])
        .code(0)
        .stdout_has("pyproject.toml: none with [tool.reroute]")
        .stdout_has("codemods: codemods  (default: ./codemods/)");
}

/// pre-commit runs the hook from the repository root with the changed files named: the
/// target check, module names and excludes still come from the whole project.
#[test]
fn a_file_list_uses_the_project_root() {
    let project = Project::empty();
    project
        .write("pyproject.toml", "[tool.reroute]\nsrc = [\"src\"]\n")
        .write(
            "codemods/m.toml",
            "exclude = [\"tests/legacy/**\"]\n\n[[move]]\nfrom = \"pkg.old\"\nto = \"pkg.new\"\n",
        )
        .write("src/pkg/__init__.py", "")
        .write("src/pkg/new.py", "def f():\n    pass\n")
        .write("src/pkg/user.py", "from .old import f\n")
        .write("tests/legacy/t.py", "import pkg.old\n")
        .write("tests/t.py", "import pkg.old\n");
    project.git(&["init", "-q"]);
    // Only the changed files are named; pkg/new.py (the target) is not among them.
    let run = project.run(&[
        "check",
        "src/pkg/user.py",
        "tests/legacy/t.py",
        "tests/t.py",
    ]);
    run.code(1);
    assert!(
        !run.stderr.contains("warning:"),
        "no target warning: {}",
        run.stderr
    );
    let stdout = run.stdout_text();
    assert!(
        stdout.contains("src/pkg/user.py:1:6: m/1: pkg.old -> pkg.new"),
        "{stdout}"
    );
    assert!(stdout.contains("tests/t.py:1:8: m/1"), "{stdout}");
    assert!(!stdout.contains("tests/legacy/t.py"), "excluded: {stdout}");
    project
        .run(&[
            "apply",
            "src/pkg/user.py",
            "tests/legacy/t.py",
            "tests/t.py",
        ])
        .code(0);
    assert_eq!(project.read_text("src/pkg/user.py"), "from .new import f\n");
    assert_eq!(project.read_text("tests/legacy/t.py"), "import pkg.old\n");
    assert_eq!(project.read_text("tests/t.py"), "import pkg.new\n");
}

/// Issue 20: one pattern language for a codemod's `exclude` and `--exclude` (gitignore
/// syntax): `/app/m1.py`, `./app/m1.py` and `app/m1.py` are anchored at the project root,
/// `m1.py` matches at any depth; a codemod pattern that matches no file is a warning of
/// `reroute test` and `reroute config`, not of a run.
#[test]
fn exclude_patterns_anchor_as_gitignore_in_codemods_and_on_the_command_line() {
    for pattern in ["/app/m1.py", "./app/m1.py", "app/m1.py", "m1.py"] {
        let project = Project::empty();
        project
            .write(
                "codemods/m.toml",
                format!("exclude = [{pattern:?}]\n\n[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n"),
            )
            .write("app/m1.py", "import a.old\n")
            .write("app/m2.py", "import a.old\n");
        let run = project.run(&["check", "--no-target-check"]);
        run.code(1);
        let stdout = run.stdout_text();
        assert!(!stdout.contains("app/m1.py"), "{pattern}: {stdout}");
        assert!(stdout.contains("app/m2.py"), "{pattern}: {stdout}");
        assert!(
            !run.stderr.contains("matches no"),
            "{pattern}: {}",
            run.stderr
        );
        let test = project.run(&["test"]);
        test.code(0);
        assert!(
            !test.stderr.contains("matches no"),
            "{pattern}: {}",
            test.stderr
        );

        let plain = Project::with_codemod("m", MOVE_A);
        plain
            .write("app/m1.py", "import a.old\n")
            .write("app/m2.py", "import a.old\n");
        let run = plain.run(&["check", "--no-target-check", "--exclude", pattern]);
        let stdout = run.stdout_text();
        assert!(
            !stdout.contains("app/m1.py"),
            "--exclude {pattern}: {stdout}"
        );
        assert!(
            stdout.contains("app/m2.py"),
            "--exclude {pattern}: {stdout}"
        );
    }
    let project = Project::empty();
    project
        .write(
            "codemods/m.toml",
            "exclude = [\"conftest.py\", \"/m1.py\"]\n\n[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n",
        )
        .write("tests/unit/conftest.py", "import a.old\n")
        .write("app/m1.py", "import a.old\n");
    let check = project.run(&["check", "--no-target-check"]);
    assert!(
        !check.stdout_text().contains("conftest.py"),
        "conftest.py matches at any depth"
    );
    assert!(!check.stderr.contains("matches no"), "a run does not warn");
    for command in ["test", "config"] {
        let run = project.run(&[command]);
        run.code(0);
        run.stderr_has("codemods/m.toml:1:")
            .stderr_has("`exclude` pattern \"/m1.py\" matches no Python file under");
        assert!(
            !run.stderr.contains("\"conftest.py\" matches"),
            "{}",
            run.stderr
        );
    }
}
