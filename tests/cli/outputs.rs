//! CI gaps: `--format gitlab`, `-o FILE` for check, diff and merge, `--config FILE`,
//! `--isolated`.

use crate::util::{MOVE_A, Project, json};

fn project() -> Project {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("a/__init__.py", "")
        .write("a/new.py", "")
        .write("x.py", "import a.old\nimport a.old\n")
        .write("y.py", "from a.old import f  # reroute: ignore\n");
    project
}

#[test]
fn gitlab_code_quality_has_unique_line_free_fingerprints() {
    let project = project();
    let run = project.run(&["check", "--format", "gitlab"]);
    run.code(1);
    let issues = json(&run);
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 2, "{issues:?}");
    for issue in issues {
        assert_eq!(issue["check_name"], "m/1");
        assert_eq!(issue["severity"], "major");
        assert_eq!(issue["location"]["path"], "x.py");
        assert!(
            issue["description"]
                .as_str()
                .unwrap()
                .starts_with("m/1: a.old -> a.new")
        );
    }
    assert_eq!(issues[0]["location"]["lines"]["begin"], 1);
    assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);
    // Lines added above: the same fingerprints.
    project.write("x.py", "\n\nimport a.old\nimport a.old\n");
    let moved = json(&project.run(&["check", "--format", "gitlab"]));
    assert_eq!(moved[0]["fingerprint"], issues[0]["fingerprint"]);
    assert_eq!(moved[1]["fingerprint"], issues[1]["fingerprint"]);
    assert_eq!(moved[0]["location"]["lines"]["begin"], 3);
    // Only for check.
    project.run(&["diff", "--format", "gitlab"]).code(2);
}

#[test]
fn output_file_takes_what_stdout_would_show() {
    let project = project();
    let shown = project.run(&["check", "--format", "json"]);
    let run = project.run(&["check", "--format", "json", "-o", "report.json"]);
    run.code(1);
    assert!(run.stdout.is_empty());
    assert_eq!(project.read("report.json"), shown.stdout);
    let patch = project.run(&["diff"]).stdout;
    project
        .run(&["diff", "--output-file", "out/m.patch"])
        .code(2);
    std::fs::create_dir(project.path("out")).unwrap();
    project
        .run(&["diff", "--output-file", "out/m.patch"])
        .code(1);
    assert_eq!(project.read("out/m.patch"), patch);
    // merge too.
    for k in 1..=2 {
        let part = format!("part-{k}.json");
        let shard = format!("{k}/2");
        project.run(&["check", "--shard", &shard, "--format", "json", "-o", &part]);
    }
    let merged = project.run(&["merge", "part-1.json", "part-2.json"]).stdout;
    project
        .run(&["merge", "part-1.json", "part-2.json", "-o", "merged.json"])
        .code(1);
    assert_eq!(project.read("merged.json"), merged);
}

#[test]
fn config_file_and_isolated() {
    let project = project();
    std::fs::rename(project.path("codemods"), project.path("migrations")).unwrap();
    project
        .write(
            "pyproject.toml",
            "[tool.reroute]\ncodemods = [\"nowhere\"]\n",
        )
        .write(
            "ci/reroute.toml",
            "codemods = [\"../migrations\"]\nquiet-notes = [\"redundant-fallback\"]\n",
        );
    // The pyproject points nowhere; --config reads ci/reroute.toml instead, paths relative
    // to it.
    project.run(&["check"]).code(2).stderr_has("nowhere");
    project
        .run(&["--config", "ci/reroute.toml", "check"])
        .code(1)
        .stdout_has("x.py:1:8: m/1: a.old -> a.new");
    let config = project.run(&["config", "--config", "ci/reroute.toml"]);
    config
        .code(0)
        .stdout_has("config-file: ci/reroute.toml  (command line: --config)")
        .stdout_has("quiet-notes: redundant-fallback  (ci/reroute.toml:2)");
    // The project root is still the project's, not the config file's folder.
    config.stdout_has(&format!("project-root: {}", project.root().display()));
    // A key that is not ours is an error naming the file.
    project.write("ci/bad.toml", "codemod = []\n");
    project
        .run(&["check", "--config", "ci/bad.toml"])
        .code(2)
        .stderr_has("ci/bad.toml");
    // --isolated: no configuration file; ./codemods/ is the default again.
    project
        .run(&["check", "--isolated"])
        .code(2)
        .stderr_has("no codemods found");
    project
        .run(&["check", "--isolated", "--codemods", "migrations"])
        .code(1);
    project
        .run(&["config", "--isolated", "--codemods", "migrations"])
        .code(0)
        .stdout_has("config-file: none  (command line: --isolated)");
    project
        .run(&["check", "--isolated", "--config", "ci/reroute.toml"])
        .code(2);
}
