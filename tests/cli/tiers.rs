//! Library upgrades: version tiers (`requires`) hold until pyproject.toml declares them or
//! `--assume-upgraded` is passed; `[[remove]]` findings are manual and carry their
//! message with `new: null`; the builtin codemods load as `builtin:NAME`.

use crate::util::{Project, json};

const CODEMOD: &str = "[[move]]\nfrom = \"numpy.float_\"\nto = \"numpy.float64\"\n\n\
[[move]]\nfrom = \"numpy.trapz\"\nto = \"numpy.trapezoid\"\nrequires = \"numpy>=2\"\n\n\
[[remove]]\nfrom = \"numpy.asfarray\"\nmessage = \"use np.asarray with a float dtype\"\n";

const SOURCE: &str = "import numpy as np\n\n\ndef f(y):\n    return np.trapz(np.float_(y))\n";

fn project(pyproject: &str) -> Project {
    let project = Project::with_codemod("np2", CODEMOD);
    project
        .write("pyproject.toml", pyproject)
        .write("a.py", SOURCE);
    project
}

#[test]
fn a_tier_is_a_note_until_the_project_declares_it() {
    let project = project("[project]\nname = \"a\"\ndependencies = [\"numpy>=1.24\"]\n");
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read_text("a.py"),
        "import numpy as np\n\n\ndef f(y):\n    return np.trapz(np.float64(y))\n"
    );
    // What is left is a note: check passes, and says why in every format.
    let check = project.run(&["check"]);
    check.code(0).stdout_has(
        "a.py:5:15: np2/2: numpy.trapz -> numpy.trapezoid [requires-version] the new name needs numpy>=2",
    );
    let doc = json(&project.run(&["check", "--format", "json"]));
    assert_eq!(doc["schema"], "reroute.check/3");
    let finding = &doc["findings"][0];
    assert_eq!(finding["status"], "note");
    assert_eq!(finding["reason"]["code"], "requires-version");
    assert_eq!(finding["new"], "numpy.trapezoid");
    project
        .run(&["check", "--format", "github"])
        .code(0)
        .stdout_has("::notice file=a.py,line=5");
}

#[test]
fn a_declared_requirement_or_the_flag_rewrites_the_tier() {
    for (pyproject, args) in [
        (
            "[project]\nname = \"a\"\ndependencies = [\"numpy>=2.0,<3\"]\n",
            vec!["apply"],
        ),
        (
            "[tool.poetry.dependencies]\nnumpy = \"^2.1\"\n",
            vec!["apply"],
        ),
        (
            "[project]\nname = \"a\"\ndependencies = [\"numpy\"]\n",
            vec!["apply", "--assume-upgraded"],
        ),
    ] {
        let project = project(pyproject);
        project.run(&args).code(0);
        assert_eq!(
            project.read_text("a.py"),
            "import numpy as np\n\n\ndef f(y):\n    return np.trapezoid(np.float64(y))\n",
            "{pyproject} {args:?}"
        );
        project.run(&["check"]).code(0);
    }
}

#[test]
fn a_removed_name_is_manual_with_its_message_and_no_new_path() {
    let project = project("[project]\nname = \"a\"\n");
    project.write("b.py", "import numpy\n\nX = numpy.asfarray([1])\n");
    project.run(&["apply"]).code(1);
    assert_eq!(
        project.read_text("b.py"),
        "import numpy\n\nX = numpy.asfarray([1])\n"
    );
    project
        .run(&["check", "b.py"])
        .code(1)
        .stdout_has("b.py:3:11: np2/3: numpy.asfarray [removed] use np.asarray with a float dtype");
    let doc = json(&project.run(&["check", "b.py", "--format", "json"]));
    let finding = &doc["findings"][0];
    assert_eq!(finding["status"], "manual");
    assert_eq!(finding["codemod"], "np2");
    assert!(finding["new"].is_null(), "{finding}");
    assert_eq!(doc["summary"]["by_codemod"]["np2"]["manual"], 1);
    project
        .run(&["check", "--explain", "removed"])
        .code(0)
        .stdout_has("[[remove]]");
}

#[test]
fn builtin_codemods_load_by_name_and_are_listed() {
    let project = Project::empty();
    project
        .write(
            "pyproject.toml",
            "[project]\nname = \"a\"\nrequires-python = \">=3.9\"\n",
        )
        .write("a.py", "from typing import Iterable, Optional\n");
    project
        .run(&["diff", "--codemods", "builtin:typing"])
        .code(1)
        .stdout_has("+from collections.abc import Iterable");
    // From the configuration too; the rule ids keep the codemod's own name.
    project.write(
        "pyproject.toml",
        "[project]\nname = \"a\"\nrequires-python = \">=3.8\"\n\n[tool.reroute]\ncodemods = [\"builtin:typing\"]\n",
    );
    project
        .run(&["check"])
        .code(0)
        .stdout_has("typing-to-collections-abc/")
        .stdout_has("[requires-version] the new name needs python>=3.9");
    project
        .run(&["check", "--codemods", "builtin:numpy3"])
        .code(2)
        .stderr_has("builtin:numpy3: no such builtin codemod; there are: numpy2, airflow3");
    project
        .run(&["list"])
        .code(0)
        .stdout_has("--codemods builtin:numpy2")
        .stdout_has("--codemods builtin:airflow3")
        .stdout_has("(or builtin:typing)");
    for name in ["numpy2", "airflow3", "typing"] {
        project
            .run(&["test", "--codemods", &format!("builtin:{name}")])
            .code(0)
            .stdout_has(" 0 failed");
    }
}

#[test]
fn a_new_home_the_package_imports_is_spelled_through_the_bound_name() {
    // `pkg/__init__.py` imports `sub`, so `p.sub.Thing` works wherever `p.Thing` did:
    // the project's own files say so, with no `attribute_of_parent` in the codemod.
    let project = Project::with_codemod(
        "sub",
        "[[move]]\nfrom = \"pkg.Thing\"\nto = \"pkg.sub.Thing\"\n\n\
         [[move]]\nfrom = \"pkg.Other\"\nto = \"pkg.hidden.Other\"\n",
    );
    project
        .write("pkg/__init__.py", "from . import sub\n")
        .write("pkg/sub.py", "class Thing:\n    pass\n")
        .write("pkg/hidden.py", "class Other:\n    pass\n")
        .write("use.py", "import pkg as p\n\nA = p.Thing\nB = p.Other\n");
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read_text("use.py"),
        "import pkg as p\nimport pkg.hidden\n\nA = p.sub.Thing\nB = pkg.hidden.Other\n"
    );
}
