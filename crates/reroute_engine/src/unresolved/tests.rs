use std::path::PathBuf;

use super::*;
use crate::layout::ListedLayout;
use crate::spec::Identifier;

fn layout() -> ListedLayout {
    let p = PathBuf::from("/p");
    ListedLayout::new(
        Vec::new(),
        [p.join("app"), p.join("app/sub")],
        [p.join("app/core.py"), p.join("app/sub/leaf.py")],
    )
    .with_binding(p.join("app/core.py"), Identifier::parse("run").unwrap())
}

/// `line:column code old` of every finding in `source`, as the file `/p/app/sub/here.py`.
fn findings(source: &str, codemod: &str) -> Vec<String> {
    let layout = layout();
    let project = ProjectModel::new(&[PathBuf::from("/p")], &layout, &|_| false);
    let rules = crate::rules_from_toml(codemod, Path::new("c.toml")).unwrap();
    find(
        Path::new("/p/app/sub/here.py"),
        source.as_bytes(),
        &layout,
        &project,
        &rules,
    )
    .iter()
    .map(|f| format!("{}:{} {} {}", f.line, f.column, f.fix.code(), f.old))
    .collect()
}

const NO_MOVES: &str = "[[move]]\nfrom = \"zz.a\"\nto = \"zz.b\"\n";

#[test]
fn reports_missing_modules_and_names_of_every_form() {
    let source = "\
import app.core, app.gone
from app.core import run, walk
from app.old import x, y
from . import leaf, nope
from ..core import run
from .. import elsewhere
import numpy.whatever
def f():
    from app.sub.leaf import *
    import app.sub.missing
importlib.import_module(\"app.lost\")
importlib.import_module(\".leaf\", \"app.sub\")
importlib.import_module(\"..absent\", package=\"app.sub\")
import_module(name)
";
    assert_eq!(
        findings(source, NO_MOVES),
        [
            "1:18 unresolved-import app.gone",
            "2:27 unresolved-import app.core.walk",
            "3:6 unresolved-import app.old",
            "4:21 unresolved-import app.sub.nope",
            "6:16 unresolved-import app.elsewhere",
            "10:12 unresolved-import app.sub.missing",
            "11:25 unresolved-import app.lost",
            "13:25 unresolved-import app.absent",
        ]
    );
}

#[test]
fn guarded_imports_are_notes_and_suppressions_hold() {
    let source = "\
try:
    from app.fast import speed
except ImportError:
    from app.slow import speed
try:
    import app.optional
except (ValueError, ModuleNotFoundError):
    pass
with contextlib.suppress(ImportError):
    import app.extra
with pytest.raises(ImportError):
    from app import Missing
import app.ignored  # reroute: ignore[unresolved-import]
import app.other  # reroute: ignore[some-codemod]
";
    assert_eq!(
        findings(source, NO_MOVES),
        [
            "2:10 guarded-import app.fast",
            "4:10 unresolved-import app.slow",
            "6:12 guarded-import app.optional",
            "10:12 guarded-import app.extra",
            "12:21 guarded-import app.Missing",
            "13:8 suppressed app.ignored",
            "14:8 unresolved-import app.other",
        ]
    );
}

#[test]
fn a_move_covers_its_own_references() {
    let codemod = "[[move]]\nfrom = \"app.old\"\nto = \"app.core\"\n";
    assert_eq!(
        findings("from app.old import run\nimport app.gone\n", codemod),
        ["2:8 unresolved-import app.gone"]
    );
}
