//! The engine on strings, with the project described by a `Layout` written here: what the
//! layout says changes the result.

use std::path::{Path, PathBuf};

use reroute_engine::spec::Identifier;
use reroute_engine::targets::{ProblemKind, check_targets, package_roots};
use reroute_engine::{
    Binding, Engine, EngineOptions, FileStatus, Layout, RuleSet, Stats, rules_from_toml,
};

/// A layout of the test's own: a fixed set of folders and files, and what binds what.
struct Project {
    packages: Vec<PathBuf>,
    files: Vec<PathBuf>,
    bound: Vec<(PathBuf, &'static str)>,
}

impl Layout for Project {
    fn source_roots(&self) -> &[PathBuf] {
        &[]
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.iter().any(|f| f == path)
            || path.file_name().is_some_and(|n| n == "__init__.py")
                && self
                    .packages
                    .iter()
                    .any(|p| Some(p.as_path()) == path.parent())
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.packages.iter().any(|p| p == path)
    }

    fn binds(&self, file: &Path, name: &Identifier) -> Binding {
        if self
            .bound
            .iter()
            .any(|(f, n)| f == file && *n == name.as_str())
        {
            Binding::Binds
        } else {
            Binding::No
        }
    }
}

fn rules(text: &str) -> RuleSet {
    rules_from_toml(text, Path::new("/codemods/move.toml")).expect("the codemod loads")
}

fn rewrite(rules: RuleSet, path: &str, source: &str, layout: &dyn Layout) -> (String, Vec<String>) {
    let engine = Engine::new(rules, EngineOptions::default());
    let result = engine.process(
        Path::new(path),
        source.as_bytes().to_vec(),
        layout,
        &Stats::default(),
    );
    let text = match result.status {
        FileStatus::Changed { updated, .. } => String::from_utf8(updated).unwrap(),
        FileStatus::Unchanged | FileStatus::Skipped => source.to_owned(),
        FileStatus::Failed(error) => panic!("engine failed: {error}"),
    };
    let findings = result
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} -> {}",
                f.line,
                f.column,
                f.old,
                f.new.as_ref().unwrap()
            )
        })
        .collect();
    (text, findings)
}

const MOVE: &str = "[[move]]\nfrom = \"shop.old\"\nto = \"shop.new\"\n";
const SOURCE: &str = "from .old import price\n\nprice(1)\n";

#[test]
fn a_relative_import_resolves_from_the_module_names_the_layout_gives() {
    // `shop` is a package: the file is `shop.cart`, and `.old` is `shop.old`.
    let shop = Project {
        packages: vec![PathBuf::from("/work/shop")],
        files: Vec::new(),
        bound: Vec::new(),
    };
    let (text, findings) = rewrite(rules(MOVE), "/work/shop/cart.py", SOURCE, &shop);
    assert_eq!(text, "from .new import price\n\nprice(1)\n");
    assert_eq!(findings, ["1:6 shop.old -> shop.new"]);

    // `shop` sits inside a package `store`: the file is `store.shop.cart`, `.old` is
    // `store.shop.old`, which no move names.
    let nested = Project {
        packages: vec![
            PathBuf::from("/work/store"),
            PathBuf::from("/work/store/shop"),
        ],
        files: Vec::new(),
        bound: Vec::new(),
    };
    let (text, findings) = rewrite(rules(MOVE), "/work/store/shop/cart.py", SOURCE, &nested);
    assert_eq!(text, SOURCE);
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn the_target_check_asks_the_layout_whether_the_to_exists() {
    let files = [PathBuf::from("/work/shop/cart.py")];
    let bases = [PathBuf::from("/work")];
    let without_new = Project {
        packages: vec![PathBuf::from("/work/shop")],
        files: vec![PathBuf::from("/work/shop/old.py")],
        bound: Vec::new(),
    };
    let moves = rules(MOVE);
    let roots = package_roots(&files, &without_new, &moves, &bases);
    let problems = check_targets(&moves, &roots, &without_new);
    assert_eq!(problems.len(), 1, "{problems:?}");
    // `shop.new` is neither a module nor a name the package `shop` binds.
    assert_eq!(
        problems[0].kind,
        ProblemKind::Name {
            file: PathBuf::from("/work/shop/__init__.py")
        }
    );
    assert!(problems[0].blocks_apply());
    assert_eq!(problems[0].to.to_string(), "shop.new");

    let with_new = Project {
        files: vec![
            PathBuf::from("/work/shop/old.py"),
            PathBuf::from("/work/shop/new.py"),
        ],
        ..without_new
    };
    assert!(check_targets(&moves, &roots, &with_new).is_empty());

    // A moved name must be bound in its new module: the layout says whether it is.
    let symbol = rules("[[move]]\nfrom = \"shop.old.price\"\nto = \"shop.new.cost\"\n");
    let problems = check_targets(&symbol, &roots, &with_new);
    assert_eq!(
        problems.iter().map(|p| &p.kind).collect::<Vec<_>>(),
        [&ProblemKind::Name {
            file: PathBuf::from("/work/shop/new.py")
        }]
    );
    let bound = Project {
        bound: vec![(PathBuf::from("/work/shop/new.py"), "cost")],
        ..with_new
    };
    assert!(check_targets(&symbol, &roots, &bound).is_empty());
}

/// A layout that fails every question: a stand-in for a bug anywhere inside the engine.
struct Broken;

impl Layout for Broken {
    fn source_roots(&self) -> &[PathBuf] {
        &[]
    }

    fn is_file(&self, _: &Path) -> bool {
        panic!("the disk went away")
    }

    fn is_dir(&self, _: &Path) -> bool {
        panic!("the disk went away")
    }

    fn binds(&self, _: &Path, _: &Identifier) -> Binding {
        panic!("the disk went away")
    }
}

#[test]
fn a_panic_inside_is_the_file_s_error_and_the_engine_goes_on() {
    let engine = Engine::new(rules(MOVE), EngineOptions::default());
    let stats = Stats::default();
    let result = engine.process(
        Path::new("/work/shop/cart.py"),
        SOURCE.as_bytes().to_vec(),
        &Broken,
        &stats,
    );
    match result.status {
        FileStatus::Failed(error) => {
            assert!(error.to_string().contains("the disk went away"), "{error}");
        }
        other => panic!("not a failure: {other:?}"),
    }
    assert!(!reroute_engine::is_processing(), "the flag is reset");
    // The same engine still rewrites the next file.
    let next = engine.process(
        Path::new("/work/main.py"),
        b"import shop.old\n".to_vec(),
        &reroute_engine::ListedLayout::default(),
        &stats,
    );
    match next.status {
        FileStatus::Changed { updated, .. } => assert_eq!(updated, b"import shop.new\n"),
        other => panic!("not rewritten: {other:?}"),
    }
}
