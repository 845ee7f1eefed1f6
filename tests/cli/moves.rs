//! The whole move (#10): `check` after a plain `git mv` reports the moved file's dangling
//! relative imports; `reroute mv` moves, writes the codemod and rewrites importers and
//! the moved file; `--dry-run` changes nothing and prints a patch `git apply` takes;
//! refusals change nothing.

use crate::util::{Project, snapshot};

/// A small package: `shop/util.py` is used by a sibling and by a test, and itself
/// imports a sibling relatively.
pub(crate) fn shop() -> Project {
    let project = Project::empty();
    project
        .write("pyproject.toml", "[project]\nname = \"shop\"\n")
        .write("shop/__init__.py", "from .cart import Cart\n")
        .write("shop/types.py", "Money = int\n")
        .write(
            "shop/util.py",
            "from .types import Money\nfrom . import types\n\n\ndef total(xs) -> Money:\n    return types.Money(sum(xs))\n",
        )
        .write(
            "shop/cart.py",
            "from .util import total\n\n\nclass Cart:\n    def sum(self):\n        return total([])\n",
        )
        .write("tests/test_util.py", "from shop.util import total\n\n\ndef test_total():\n    assert total([1]) == 1\n");
    project.git(&["init", "-q"]);
    commit(&project);
    project
}

/// Commits everything in the project (a move refuses files with uncommitted changes).
pub(crate) fn commit(project: &Project) {
    project.git(&["add", "-A"]);
    project.git(&[
        "-c",
        "user.email=t@t",
        "-c",
        "user.name=t",
        "commit",
        "-qm",
        "more",
    ]);
}

const MOVED: &str = "from ..types import Money\nfrom .. import types\n\n\ndef total(xs) -> Money:\n    return types.Money(sum(xs))\n";

#[test]
fn check_after_git_mv_reports_the_moved_files_own_imports() {
    let project = shop();
    std::fs::create_dir(project.path("shop/lib")).unwrap();
    project.write("shop/lib/__init__.py", "");
    project.git(&["mv", "shop/util.py", "shop/lib/util.py"]);
    project.write(
        "codemods/mv.toml",
        "[[move]]\nfrom = \"shop.util\"\nto = \"shop.lib.util\"\n",
    );
    project
        .run(&["check"])
        .code(1)
        .stdout_has("shop/lib/util.py:1:6: mv/1: shop.lib.types -> shop.types")
        .stdout_has("shop/lib/util.py:2:6: mv/1: shop.lib -> shop")
        .stdout_has("shop/cart.py:1:6: mv/1: shop.util -> shop.lib.util");
    project.run(&["apply"]).code(0);
    assert_eq!(project.read_text("shop/lib/util.py"), MOVED);
    assert_eq!(
        project.read_text("tests/test_util.py"),
        "from shop.lib.util import total\n\n\ndef test_total():\n    assert total([1]) == 1\n"
    );
    project.run(&["check"]).code(0);
}

#[test]
fn mv_moves_the_module_and_rewrites_everything() {
    let project = shop();
    project
        .run(&["mv", "shop/util.py", "shop/lib/util.py"])
        .code(0)
        .stderr_has("(git mv)");
    assert!(!project.path("shop/util.py").exists());
    assert_eq!(project.read_text("shop/lib/util.py"), MOVED);
    assert_eq!(
        project.read_text("shop/lib/__init__.py"),
        "",
        "new folders become packages"
    );
    assert!(
        project
            .read_text("shop/cart.py")
            .starts_with("from .lib.util import total\n")
    );
    let codemod = project.read_text("codemods/mv-util-to-util.toml");
    assert!(
        codemod.contains("from = \"shop.util\"\nto = \"shop.lib.util\"\n"),
        "{codemod}"
    );
    // git sees a rename, so history follows the file.
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(project.root())
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains("R") && status.contains("shop/util.py -> shop/lib/util.py"),
        "{status}"
    );
    project.run(&["check"]).code(0);
}

#[test]
fn mv_into_an_existing_folder_and_a_package_move() {
    let project = shop();
    std::fs::create_dir(project.path("shop/money")).unwrap();
    project.write("shop/money/__init__.py", "");
    project.run(&["mv", "shop/types.py", "shop/money"]).code(0);
    assert!(project.path("shop/money/types.py").is_file());
    assert!(
        project
            .read_text("shop/util.py")
            .starts_with("from .money.types import Money\nfrom .money import types\n")
    );
    // A package moves with its modules; imports between them stay as they are.
    let project = shop();
    project.write("shop/pay/__init__.py", "from .card import charge\n");
    project.write(
        "shop/pay/card.py",
        "from ..types import Money\n\n\ndef charge(m: Money):\n    pass\n",
    );
    project.write(
        "app.py",
        "from shop.pay.card import charge\nimport shop.pay\n",
    );
    commit(&project);
    project.run(&["mv", "shop/pay", "shop/billing"]).code(0);
    assert_eq!(
        project.read_text("shop/billing/__init__.py"),
        "from .card import charge\n"
    );
    assert_eq!(
        project.read_text("app.py"),
        "from shop.billing.card import charge\nimport shop.billing\n"
    );
}

#[test]
fn dry_run_changes_nothing_and_its_patch_is_the_move() {
    let project = shop();
    let before = snapshot(project.root());
    let run = project.run(&["mv", "--dry-run", "shop/util.py", "shop/lib/util.py"]);
    run.code(0)
        .stderr_has("would move shop/util.py to shop/lib/util.py")
        .stdout_has("rename from shop/util.py\nrename to shop/lib/util.py\n")
        .stdout_has("+from ..types import Money\n");
    assert_eq!(
        snapshot(project.root()),
        before,
        "--dry-run wrote something"
    );
    // The patch does what the move does.
    let real = project.copy();
    real.run(&["mv", "shop/util.py", "shop/lib/util.py"])
        .code(0);
    std::fs::write(project.path("move.patch"), &run.stdout).unwrap();
    project.git(&["apply", "move.patch"]);
    std::fs::remove_file(project.path("move.patch")).unwrap();
    for file in [
        "shop/lib/util.py",
        "shop/cart.py",
        "tests/test_util.py",
        "shop/lib/__init__.py",
    ] {
        assert_eq!(project.read_text(file), real.read_text(file), "{file}");
    }
}

#[test]
fn shim_leaves_a_module_that_warns_and_reexports() {
    let project = shop();
    project
        .run(&["mv", "--shim", "shop/util.py", "shop/lib/util.py"])
        .code(0);
    let shim = project.read_text("shop/util.py");
    assert!(
        shim.contains("sys.modules[__name__] = importlib.import_module(\"shop.lib.util\")"),
        "{shim}"
    );
    assert!(shim.contains("DeprecationWarning"), "{shim}");
    // The shim is no reference: nothing is left to rewrite.
    project.run(&["check"]).code(0);
}

#[test]
fn refusals_change_nothing() {
    let project = shop();
    let before = snapshot(project.root());
    for (args, says) in [
        (
            &["mv", "shop/nope.py", "shop/x.py"][..],
            "no such file or folder",
        ),
        (&["mv", "shop/util.py", "shop/types.py"], "already exists"),
        (
            &["mv", "shop/util.py", "shop/2fast.py"],
            "is not a Python name",
        ),
        (
            &["mv", "pyproject.toml", "shop/x.py"],
            "not a Python module",
        ),
    ] {
        project.run(args).code(2).stderr_has(says);
        assert_eq!(
            snapshot(project.root()),
            before,
            "{args:?} changed something"
        );
    }
    // A name the package already binds is not taken over.
    let project = shop();
    let run = project.run(&["mv", "shop/util.py", "shop/Cart.py"]);
    run.code(2).stderr_has("is already a name in package shop");
}

#[test]
fn entry_points_in_pyproject_and_setup_cfg_are_target_strings() {
    let project = Project::empty();
    project
        .write(
            "pyproject.toml",
            "[project]\nname = \"x\"\n\n[project.scripts]\nrun = \"pkg.old:main\"\nother = \"pkg.keep:main\"\n\n[project.entry-points.\"x.plugins\"]\nplug = 'pkg.old.sub:Plugin'\n",
        )
        .write(
            "setup.cfg",
            "[options.entry_points]\nconsole_scripts =\n    run = pkg.old:main [cli]\n",
        )
        .write("pkg/__init__.py", "")
        .write("pkg/new.py", "def main():\n    pass\n")
        .write(
            "codemods/m.toml",
            "[[move]]\nfrom = \"pkg.old\"\nto = \"pkg.new\"\nstrings = true\n",
        );
    project
        .run(&["check"])
        .code(1)
        .stdout_has("pyproject.toml:5:8: m/1: pkg.old.main -> pkg.new.main")
        .stdout_has("setup.cfg:3:11: m/1: pkg.old.main -> pkg.new.main");
    project.run(&["apply"]).code(0);
    assert!(
        project
            .read_text("pyproject.toml")
            .contains("run = \"pkg.new:main\"\nother = \"pkg.keep:main\"")
    );
    assert!(
        project
            .read_text("pyproject.toml")
            .contains("plug = 'pkg.new.sub:Plugin'")
    );
    assert_eq!(
        project.read_text("setup.cfg"),
        "[options.entry_points]\nconsole_scripts =\n    run = pkg.new:main [cli]\n"
    );
    // Without `strings = true` they are only listed, with --mentions.
    let project2 = project.copy();
    project2.write(
        "pyproject.toml",
        "[project.scripts]\nrun = \"pkg.old:main\"\n",
    );
    project2.write(
        "codemods/m.toml",
        "[[move]]\nfrom = \"pkg.old\"\nto = \"pkg.new\"\n",
    );
    project2.run(&["check"]).code(0);
    project2
        .run(&["check", "--mentions"])
        .stdout_has("pyproject.toml:2:8: m/1: pkg.old.main -> pkg.new.main [mention in string]");
}

#[test]
fn python_m_runs_in_scripts_and_ci_files_are_listed_with_mentions() {
    let project = Project::with_codemod("m", "[[move]]\nfrom = \"pkg.old\"\nto = \"pkg.new\"\n");
    project
        .write("pkg/__init__.py", "")
        .write("pkg/new.py", "")
        .write("Makefile", "test:\n\tpython -m pkg.old --fast\n")
        .write(
            ".github/workflows/ci.yml",
            "steps:\n  - run: python3 -u -m pkg.old\n",
        )
        .write("tox.ini", "[testenv]\ncommands = python -m pkg.other\n");
    // Not references: `check` alone passes, and nothing is ever rewritten.
    project.run(&["check"]).code(0);
    let run = project.run(&["check", "--mentions"]);
    run.code(0)
        .stdout_has("Makefile:2:12: m/1: pkg.old -> pkg.new [mention in string]")
        .stdout_has(".github/workflows/ci.yml:2:24: m/1: pkg.old -> pkg.new [mention in string]");
    assert!(
        !run.stdout_text().contains("tox.ini"),
        "{}",
        run.stdout_text()
    );
    project.run(&["apply", "--mentions"]).code(0);
    assert_eq!(
        project.read_text("Makefile"),
        "test:\n\tpython -m pkg.old --fast\n"
    );
}

#[test]
fn suggest_finds_shims_and_counts_importers_in_every_python_file_kind() {
    let project = Project::empty();
    project
        .write("shop/__init__.py", "")
        .write("shop/money.py", "class Price:\n    pass\n")
        .write(
            "shop/old_money.py",
            "\"\"\"Moved.\"\"\"\nimport warnings\n\nfrom shop.money import *  # noqa\n\nwarnings.warn(\"moved\", DeprecationWarning)\n",
        )
        .write("app.py", "from shop.old_money import Price\n")
        .write("stubs.pyi", "from shop.old_money import Price\n")
        .write("gui.pyw", "import shop.old_money\n");
    let run = project.run(&["suggest"]);
    run.code(0);
    assert_eq!(
        run.stdout_text(),
        "description = \"suggested by reroute suggest (compatibility shims in the tree); review before use\"\n\n\
         # shim: re-exports shop.money; 3 files import it\n\
         [[move]]\nfrom = \"shop.old_money\"\nto = \"shop.money\"\n"
    );
}

/// Issue 18: `suggest --git` names modules as every command does; in a src layout
/// (`src/pkg/…`, no `[tool.reroute] src`) the move is `pkg.old -> pkg.new`, not
/// `src.pkg.old -> src.pkg.new`.
#[test]
fn suggest_git_names_modules_from_the_source_roots() {
    let project = Project::empty();
    project
        .write("pyproject.toml", "[project]\nname = \"pkg\"\n")
        .write("src/pkg/__init__.py", "")
        .write("src/pkg/old.py", "def f():\n    return 1\n")
        .write("tests/test_old.py", "from pkg.old import f\n");
    project.git(&["init", "-q"]);
    commit(&project);
    project.git(&["mv", "src/pkg/old.py", "src/pkg/new.py"]);
    let run = project.run(&["suggest", "--git", "HEAD"]);
    run.code(0);
    let toml = run.stdout_text();
    assert!(
        toml.contains("[[move]]\nfrom = \"pkg.old\"\nto = \"pkg.new\"\n"),
        "{toml}"
    );
    assert!(!toml.contains("src."), "{toml}");
}
