//! Settings: `[tool.reroute]` is read strictly (a misspelled key is an error with the file
//! and line), colour follows `--color`, `NO_COLOR` and `CLICOLOR_FORCE`, and walk errors
//! name their path in JSON.

use crate::util::{MOVE_A, Project, json, run_with_env, strip_ansi};

fn project_with_pyproject(pyproject: &str) -> Project {
    let project = Project::empty();
    project
        .write("pyproject.toml", pyproject)
        .write("codemods/m.toml", MOVE_A)
        .write("app.py", "import a.old\n");
    project
}

#[test]
fn a_misspelled_tool_reroute_key_is_an_error_with_file_and_line() {
    let project = project_with_pyproject(
        "[project]\nname = \"demo\"\n\n[tool.reroute]\ncodemods = [\"codemods\"]\nscr = [\"src\"]\n",
    );
    let before = project.snapshot();
    for command in ["check", "diff", "apply"] {
        project
            .run(&[command])
            .code(2)
            .stderr_has("pyproject.toml")
            .stderr_has("line 6")
            .stderr_has("unknown field `scr`")
            .stderr_has("`codemods = [\"…\"]` and `src = [\"…\"]`");
    }
    assert_eq!(project.snapshot(), before, "nothing may be written");
}

#[test]
fn a_wrongly_typed_tool_reroute_key_is_an_error() {
    let project = project_with_pyproject("[tool.reroute]\nsrc = \"src\"\n");
    project
        .run(&["check"])
        .code(2)
        .stderr_has("pyproject.toml")
        .stderr_has("line 2");
}

#[test]
fn other_tools_tables_are_not_checked() {
    let project =
        project_with_pyproject("[tool.ruff]\nline-length = 100\n\n[tool.reroute]\nsrc = []\n");
    project.run(&["check"]).code(1).stdout_has("app.py:1:8");
}

#[test]
fn color_follows_flag_no_color_and_clicolor_force() {
    let project = project_with_pyproject("[project]\nname = \"demo\"\n");
    let has_escape = |env: &[(&str, &str)], args: &[&str]| {
        let run = run_with_env(project.root(), args, env);
        run.code(1);
        let text = run.stdout_text();
        assert!(strip_ansi(&text).contains("a.new"), "{text}");
        text.contains('\u{1b}')
    };
    // Not a terminal: no colour unless forced.
    assert!(!has_escape(&[], &["diff"]));
    assert!(has_escape(&[("CLICOLOR_FORCE", "1")], &["diff"]));
    assert!(!has_escape(&[("CLICOLOR_FORCE", "0")], &["diff"]));
    assert!(has_escape(&[("CLICOLOR_FORCE", "1")], &["check"]));
    // The flag wins over the environment.
    assert!(has_escape(
        &[("NO_COLOR", "1")],
        &["diff", "--color", "always"]
    ));
    assert!(!has_escape(
        &[("CLICOLOR_FORCE", "1")],
        &["diff", "--color", "never"]
    ));
}

#[test]
fn a_missing_path_is_a_json_error_that_names_it() {
    let project = project_with_pyproject("[project]\nname = \"demo\"\n");
    let run = project.run(&["check", "--format", "json", "nope"]);
    run.code(2);
    let doc = json(&run);
    assert_eq!(doc["errors"][0]["path"], "nope", "{doc}");
}
