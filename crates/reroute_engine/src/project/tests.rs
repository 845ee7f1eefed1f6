use super::*;
use crate::layout::ListedLayout;

fn path(text: &str) -> DottedPath {
    DottedPath::parse(text).unwrap()
}

fn id(text: &str) -> Identifier {
    Identifier::parse(text).unwrap()
}

/// `/p/app` (regular, with `app/core.py` binding `run`, `app/data/` a plain folder),
/// `/p/ns/inner` (a namespace folder holding a regular package), `/p/stubs` (stub only),
/// `/p/json` (named like the standard library), `/p/tool.py` (a top-level module).
fn layout() -> ListedLayout {
    let p = PathBuf::from("/p");
    ListedLayout::new(
        Vec::new(),
        [p.join("app"), p.join("ns/inner"), p.join("json")],
        [
            p.join("app/core.py"),
            p.join("app/_speedups.c"),
            p.join("app/data/table.csv"),
            p.join("ns/inner/__init__.py"),
            p.join("stubs/__init__.pyi"),
            p.join("tool.py"),
        ],
    )
    .with_binding(p.join("app/core.py"), id("run"))
    .with_binding(p.join("app/__init__.py"), id("VERSION"))
}

fn model(layout: &ListedLayout) -> ProjectModel {
    ProjectModel::new(&[PathBuf::from("/p")], layout, &|name| {
        name.as_str() == "installed"
    })
}

#[test]
fn only_regular_packages_outside_the_standard_library_are_first_party() {
    let layout = layout();
    let model = model(&layout);
    assert!(model.is_first_party(&id("app")));
    for other in ["ns", "stubs", "json", "tool", "numpy"] {
        assert!(!model.is_first_party(&id(other)), "{other}");
        assert_eq!(
            model.resolve_module(&layout, &path(&format!("{other}.x"))),
            Resolved::Unknown
        );
    }
}

#[test]
fn modules_and_names_exist_or_are_missing() {
    let layout = layout();
    let model = model(&layout);
    let module = |m: &str| model.resolve_module(&layout, &path(m));
    let name = |m: &str, n: &str| model.resolve_name(&layout, &path(m), &id(n));
    assert_eq!(module("app.core"), Resolved::Exists);
    assert_eq!(module("app.data"), Resolved::Exists);
    // Built from a C source: may exist once the project is built.
    assert!(!matches!(module("app._speedups"), Resolved::Missing(_)));
    assert_eq!(name("app._speedups", "fast"), Resolved::Unknown);
    assert!(matches!(
        module("app.old.sub"),
        Resolved::Missing(Missing::Module { module, .. }) if module == path("app.old")
    ));
    // `app.core` is a module, not a package.
    assert!(matches!(
        module("app.core.sub"),
        Resolved::Missing(Missing::Module { module, .. }) if module == path("app.core.sub")
    ));
    assert_eq!(name("app.core", "run"), Resolved::Exists);
    assert_eq!(name("app", "core"), Resolved::Exists);
    assert_eq!(name("app", "VERSION"), Resolved::Exists);
    assert!(matches!(
        name("app.core", "walk"),
        Resolved::Missing(Missing::Name { name, .. }) if name == id("walk")
    ));
    assert!(matches!(name("app", "nothing"), Resolved::Missing(_)));
}

#[test]
fn missing_paths_name_what_is_missing() {
    let missing = Missing::Name {
        module: path("app.core"),
        name: id("walk"),
        file: PathBuf::from("/p/app/core.py"),
    };
    assert_eq!(missing.path(), path("app.core.walk"));
    assert!(
        missing
            .to_string()
            .contains("neither defines nor imports `walk`")
    );
}
