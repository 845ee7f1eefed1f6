//! `reroute mv` safe to run, interrupt and undo (issue 20): a module becomes a package and
//! back without a codemod; moving back removes the earlier codemod; refusals and failures
//! before the move leave the tree as it was; uncommitted files are refused; an interrupted
//! move says what it did and `--continue` finishes it; the shim makes the old name the new
//! module; `-q` is quiet.

use std::process::Command;

use crate::moves::{commit, shop};
use crate::util::{Project, run_with_env, snapshot};

/// Runs Python in the project root; panics with its output unless it succeeds.
#[track_caller]
fn python(project: &Project, code: &str) {
    let output = Command::new("python3")
        .args(["-W", "ignore", "-c", code])
        .current_dir(project.root())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python3 is installed");
    assert!(
        output.status.success(),
        "python3 -c {code:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_module_becomes_a_package_and_back_without_a_codemod() {
    let project = shop();
    let util = project.read_text("shop/util.py");
    let run = project.run(&["mv", "shop/util.py", "shop/util/__init__.py"]);
    run.code(0)
        .stderr_has("no codemod needed; 2 relative import(s) respelled");
    assert!(!project.path("codemods").exists(), "no codemod was written");
    assert!(!project.path("shop/util/__init__.py.py").exists());
    assert_eq!(
        project.read_text("shop/util/__init__.py"),
        "from ..types import Money\nfrom .. import types\n\n\ndef total(xs) -> Money:\n    return types.Money(sum(xs))\n"
    );
    assert!(
        project
            .read_text("shop/cart.py")
            .starts_with("from .util import total\n")
    );
    python(
        &project,
        "import shop.cart, shop.util; assert shop.util.total([2]) == 2",
    );
    commit(&project);
    // And back: the package holds nothing but its __init__.py.
    project
        .run(&["mv", "shop/util/__init__.py", "shop/util.py"])
        .code(0);
    assert_eq!(project.read_text("shop/util.py"), util);
    assert!(
        !project.path("shop/util").exists(),
        "the empty folder is gone"
    );
    python(
        &project,
        "import shop.cart, shop.util; assert shop.util.total([2]) == 2",
    );
    // A package with other modules does not become a module.
    let before = snapshot(project.root());
    project
        .run(&["mv", "shop", "shop.py"])
        .code(2)
        .stderr_has("holds more than its __init__.py");
    assert_eq!(snapshot(project.root()), before);
}

#[test]
fn moving_back_removes_the_codemod_of_the_first_move() {
    let project = shop();
    project
        .run(&["mv", "shop/types.py", "shop/money.py"])
        .code(0);
    assert!(project.path("codemods/mv-types-to-money.toml").is_file());
    commit(&project);
    project
        .run(&["mv", "shop/money.py", "shop/types.py"])
        .code(0)
        .stderr_has("removed codemods/mv-types-to-money.toml: this move undoes it");
    assert!(!project.path("codemods/mv-types-to-money.toml").exists());
    assert!(project.path("codemods/mv-money-to-types.toml").is_file());
    // No loop: every later run works, and the tree is back where it was.
    project.run(&["check"]).code(0);
    assert!(
        project
            .read_text("shop/util.py")
            .starts_with("from .types import Money\n")
    );
}

#[test]
fn a_refusal_or_an_early_failure_leaves_the_tree_as_it_was() {
    let project = shop();
    let before = snapshot(project.root());
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("util.py");
    project
        .run(&["mv", "shop/util.py", target.to_str().unwrap()])
        .code(2)
        .stderr_has("outside the project");
    assert_eq!(snapshot(project.root()), before);
    assert!(
        !project.path("codemods").exists(),
        "no codemods/ left behind"
    );
    // A failure after the codemod is written and before the files move: taken back.
    project
        .run(&["mv", "shop/util.py", "shop/types.py/inner/util.py"])
        .code(2);
    assert_eq!(snapshot(project.root()), before);
    assert!(!project.path("codemods").exists());
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(project.root())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        "",
        "the index is as it was"
    );
}

#[test]
fn uncommitted_changes_are_refused_unless_allowed() {
    let project = shop();
    project.write(
        "tests/test_util.py",
        "from shop.util import total\n# work in progress\n",
    );
    project.write(
        "codemods/draft.toml",
        "[[move]]\nfrom = \"x.a\"\nto = \"x.b\"\n",
    );
    let before = snapshot(project.root());
    project
        .run(&["mv", "shop/util.py", "shop/lib/util.py"])
        .code(2)
        .stderr_has("tests/test_util.py")
        .stderr_has("--allow-dirty");
    assert_eq!(snapshot(project.root()), before, "nothing changed");
    project
        .run(&["mv", "--allow-dirty", "shop/util.py", "shop/lib/util.py"])
        .code(0);
    assert!(
        project
            .read_text("tests/test_util.py")
            .starts_with("from shop.lib.util import total\n")
    );
}

/// The tree an uninterrupted move leaves, to compare with a move finished by --continue.
fn moved_tree() -> std::collections::BTreeMap<String, Vec<u8>> {
    let project = shop();
    project
        .run(&["mv", "shop/util.py", "shop/lib/util.py"])
        .code(0);
    snapshot(project.root())
}

#[test]
fn an_interrupted_move_says_what_it_did_and_continue_finishes_it() {
    let expected = moved_tree();
    for (step, says) in [
        ("codemod", "done: wrote codemods/mv-util-to-util.toml."),
        ("folders", "made shop/lib."),
        ("moved", "moved shop/util.py to shop/lib/util.py."),
    ] {
        let project = shop();
        let hook = format!("{step}:SIGINT");
        let run = run_with_env(
            project.root(),
            &["mv", "shop/util.py", "shop/lib/util.py"],
            &[("REROUTE_TEST_MV_SIGNAL_AT", &hook)],
        );
        run.code(130)
            .stderr_has("stopped by SIGINT")
            .stderr_has(says)
            .stderr_has("finish the move with: reroute mv --continue");
        project
            .run(&["mv", "shop/util.py", "shop/lib/util.py"])
            .code(2)
            .stderr_has("reroute mv --continue");
        project.run(&["mv", "--continue"]).code(0);
        assert_eq!(snapshot(project.root()), expected, "after {step}");
        project
            .run(&["mv", "--continue"])
            .code(2)
            .stderr_has("no move to continue");
    }
}

#[test]
fn the_shim_makes_the_old_name_the_new_module() {
    let project = shop();
    project.write(
        "shop/util.py",
        "from .types import Money\nfrom . import types\n\n_RATE = 2\n\n\ndef total(xs) -> Money:\n    return types.Money(sum(xs))\n",
    );
    project.write("shop/pay/__init__.py", "");
    project.write("shop/pay/card.py", "def charge():\n    return 1\n");
    commit(&project);
    project
        .run(&["mv", "--shim", "shop/util.py", "shop/lib/util.py"])
        .code(0);
    commit(&project);
    project
        .run(&["mv", "--shim", "shop/pay", "shop/billing"])
        .code(0);
    python(
        &project,
        "import sys, unittest.mock as mock\n\
         import shop.util as old, shop.lib.util as new\n\
         assert old is new\n\
         from shop.util import _RATE\n\
         with mock.patch('shop.util.total', lambda xs: 42):\n    assert new.total([1]) == 42\n\
         import shop.pay.card as a, shop.billing.card as b\n\
         assert a is b, (a, b)\n\
         assert sys.modules['shop.pay.card'] is sys.modules['shop.billing.card']\n\
         from shop.pay import card\n\
         assert card is b\n",
    );
}

#[test]
fn quiet_mv_prints_nothing_when_all_is_well() {
    let project = shop();
    let run = project.run(&["-q", "mv", "shop/util.py", "shop/lib/util.py"]);
    run.code(0);
    assert_eq!(run.stderr, "", "-q printed on stderr");
    assert_eq!(run.stdout_text(), "", "-q printed on stdout");
}
