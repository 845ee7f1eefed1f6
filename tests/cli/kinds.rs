//! `kind` on a move (#10): a symbol move leaves the module of the same name alone, and
//! `kind = "auto"` (the default) reads the tree to tell a module from a name.

use crate::util::Project;

/// Airflow 2's layout: `airflow.decorators.task_group` is a module, and `task_group` is
/// also the decorator its parent package exports; Airflow 3 moved the decorator only.
fn airflow(only_the_name: bool) -> Project {
    let project = Project::empty();
    project
        .write("airflow/__init__.py", "")
        .write(
            "airflow/sdk/__init__.py",
            "def task_group(f=None):\n    return f\n",
        )
        .write(
            "dags/etl.py",
            "from airflow.decorators import task_group\n\
             from airflow.decorators.task_group import TaskGroupDecorator\n",
        );
    if only_the_name {
        project.write(
            "airflow/decorators/__init__.py",
            "def task_group(f=None):\n    return f\n\n\nclass TaskGroupDecorator:\n    pass\n",
        );
    } else {
        project
            .write(
                "airflow/decorators/__init__.py",
                "from airflow.decorators.task_group import task_group\n",
            )
            .write(
                "airflow/decorators/task_group.py",
                "def task_group(f=None):\n    return f\n\n\nclass TaskGroupDecorator:\n    pass\n",
            );
    }
    project
}

fn codemod(kind: Option<&str>) -> String {
    let kind = kind.map_or_else(String::new, |k| format!("kind = \"{k}\"\n"));
    format!(
        "[[move]]\nfrom = \"airflow.decorators.task_group\"\nto = \"airflow.sdk.task_group\"\n{kind}"
    )
}

#[test]
fn symbol_kind_rewrites_the_name_not_the_module() {
    let project = airflow(false);
    project.write("codemods/air.toml", codemod(Some("symbol")));
    let run = project.run(&["apply"]);
    run.code(0);
    assert!(!run.stderr.contains("is both a module"), "{}", run.stderr);
    assert_eq!(
        project.read_text("dags/etl.py"),
        "from airflow.sdk import task_group\n\
         from airflow.decorators.task_group import TaskGroupDecorator\n"
    );
}

#[test]
fn auto_warns_when_the_path_is_both_and_takes_the_module() {
    let project = airflow(false);
    project.write("codemods/air.toml", codemod(None));
    let run = project.run(&["check"]);
    run.code(1)
        .stderr_has("warning: ")
        .stderr_has("air.toml:2:8: `from` = \"airflow.decorators.task_group\" is both a module")
        .stderr_has("add kind = \"symbol\"")
        // Taken as a module: the module import is a reference too.
        .stdout_has(
            "dags/etl.py:2:6: air/1: airflow.decorators.task_group -> airflow.sdk.task_group",
        );
    // A warning only: apply still writes.
    project.run(&["apply", "--no-target-check"]).code(0);
    // Saying which it is silences the warning.
    project.write("codemods/air.toml", codemod(Some("module")));
    assert!(!project.run(&["check"]).stderr.contains("is both a module"));
}

#[test]
fn auto_takes_a_path_that_is_only_a_name_as_a_symbol() {
    let project = airflow(true);
    project.write("codemods/air.toml", codemod(None));
    project.write(
        "dags/etl.py",
        "from airflow.decorators import task_group\nimport airflow.decorators.task_group\n",
    );
    let run = project.run(&["check"]);
    run.code(1);
    assert!(!run.stderr.contains("is both a module"), "{}", run.stderr);
    let stdout = run.stdout_text();
    assert!(stdout.contains("dags/etl.py:1:32: "), "{stdout}");
    assert!(
        !stdout.contains("dags/etl.py:2:"),
        "`import <from>` is not a reference:\n{stdout}"
    );
}

#[test]
fn an_unknown_kind_is_a_spec_error() {
    let project = airflow(true);
    project.write("codemods/air.toml", codemod(Some("class")));
    project
        .run(&["check"])
        .code(2)
        .stderr_has("air.toml:4:")
        .stderr_has("unknown variant `class`");
}
