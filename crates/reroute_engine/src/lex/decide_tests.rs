//! Tests of stage 2's decision (`decide`).

use super::*;
use std::path::Path;

fn rules(spec: &str) -> RuleSet {
    let codemod =
        crate::spec::parse_codemod(spec, Path::new("t.toml"), "t".into()).expect("valid codemod");
    RuleSet::new(vec![codemod]).expect("valid rules")
}

const MOVES: &str = "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n\
                     [[move]]\nfrom = \"t.Callable\"\nto = \"c.abc.Callable\"\n";

fn decide_in(source: &str, readings: &[ModuleLocation]) -> Decision {
    let rules = rules(MOVES);
    let lexicon = Lexicon::new(&rules, false);
    let place = Place {
        readings,
        located: !readings.is_empty(),
    };
    decide(source.as_bytes(), &lexicon, &rules, &place)
}

fn decided(source: &str) -> Decision {
    decide_in(source, &[])
}

#[test]
fn nothing_that_reaches_a_move_is_skipped() {
    for source in [
        "from t import Optional\nx: Optional[int] = None\n",
        "import a\na.older.f()\n",
        "from a import new\n# the old way\ns = 'old news'\n",
        "from b.old import X\nb.old.X\n",
        "x = obj.a.old.f\n",
    ] {
        assert_eq!(decided(source), Decision::Skip, "{source:?}");
    }
}

#[test]
fn module_level_from_imports_alone_are_planned_one_by_one() {
    let source = "import os\nfrom t import Callable, Optional  # c\n\
                  from a.old import (\n    X,\n    Y as Z,\n)\nf: Callable = X\n";
    let second = source.find("from t").unwrap();
    let third = source.find("from a.old").unwrap();
    let end = source.find("f: Callable").unwrap();
    assert_eq!(
        decided(source),
        Decision::Statements(vec![second..third, third..end])
    );
}

#[test]
fn what_only_the_whole_file_can_plan() {
    use WholeReason::*;
    for (source, why) in [
        ("import t\nt.Callable\n", Chain),
        ("import t as typing\nx: typing.Callable\n", Chain),
        ("import a.old\n", Shape),
        (
            "if sys.version_info >= (3, 9):\n    from a.old import X\n",
            Shape,
        ),
        ("if x:\n    pass\nelse:\n    from a.old import X\n", Shape),
        ("def f():\n    x = 1; from a.old import X\n", Shape),
        (
            "try:\n    from a.old import X\nexcept ImportError:\n    pass\n",
            Shape,
        ),
        ("from a.old import X; y = 1\n", Shape),
        ("from a.old import X\nfrom b import X\n", Shape),
        ("from a.old import *\n", Shape),
        ("from a.new import X\nf'{a.old}'\n", Text),
        ("from a.new import X\nx: 'a.old.X'\n", Text),
        ("from a.new import X\ndef f() -> 'a.old.X': pass\n", Text),
        ("from a.new import X\ny: Optional['a.old.X']\n", Text),
        ("from a.old import X  # reroute: ignore\n", Suppression),
        ("from a.old import X\ns = '''open\n", Unsure),
        ("from a.old import (X\n", Unsure),
        ("from a.ｏｌｄ import X\n", Unsure),
        ("x = import\n", Unsure),
        ("\u{feff}from a.old import X\n", Unsure),
        ("from .old import X\n", Relative),
    ] {
        assert_eq!(decided(source), Decision::Whole(why), "{source:?}");
    }
    // A plain string that cannot be an annotation, or a comment: what it spells matters
    // only inside a syntax error, which a parse rules out.
    for source in [
        "from a.new import X\np = 'a.old.X'\n",
        "from a.new import X\n# see a.old\n",
        "from a.new import X\ndef f():\n    \"\"\"Calls a.old.X.\"\"\"\n",
    ] {
        assert_eq!(
            decided(source),
            Decision::UnlessErrors(Vec::new()),
            "{source:?}"
        );
    }
}

#[test]
fn relative_imports_resolve_under_every_reading() {
    let here = ModuleLocation {
        module: DottedPath::parse("a.m").unwrap(),
        package: Some(DottedPath::parse("a").unwrap()),
        rooted: false,
    };
    let readings = [here];
    let source = "from .old import X\n";
    assert_eq!(
        decide_in(source, &readings),
        Decision::Statements(std::iter::once(0..source.len()).collect())
    );
    assert_eq!(decide_in("from .new import X\n", &readings), Decision::Skip);
    // Uses of a name whose import is rewritten in place need nothing.
    let source = "from . import old\nold.f()\n";
    assert_eq!(
        decide_in(source, &readings),
        Decision::Statements(std::iter::once(0..18).collect())
    );
}

#[test]
fn indented_from_imports_in_plain_blocks_are_planned_one_by_one() {
    for source in [
        "def f():\n    from a.old import X\n    return X\n",
        "class C:\n    if TYPE_CHECKING:\n        from a.old import X\n",
        "with x:\n\tfrom a.old import (\nX,\n)\n",
    ] {
        let start = source.find("\n").unwrap() + 1;
        let start = source[start..].find("from").map(|at| {
            let at = start + at;
            source[..at].rfind('\n').unwrap() + 1
        });
        let Decision::Statements(pieces) = decided(source) else {
            panic!("{source:?}: {:?}", decided(source));
        };
        assert_eq!(pieces[0].start, start.unwrap(), "{source:?}");
    }
}

#[test]
fn strings_that_cannot_name_a_move_do_not_force_a_parse() {
    // Docstrings and messages that use a moved name as a word are not references.
    let source = "from t import Callable\n\"\"\"Callable things; import them.\"\"\"\n\
                  msg = 'Callable: a thing'\n";
    assert!(
        matches!(decided(source), Decision::Statements(_)),
        "{source:?}"
    );
}

#[test]
fn a_module_bound_by_importorskip_is_read_like_an_import() {
    use WholeReason::*;
    // The module holds a move: its uses are chains like those of `import a as np`.
    for (source, decision) in [
        (
            "np = pytest.importorskip(\"a\")\nnp.other()\n",
            Decision::Skip,
        ),
        (
            "m = importlib.import_module('a')\nm.new.X\n",
            Decision::Skip,
        ),
        (
            "np = pytest.importorskip(\"a\")\nnp.old.X()\n",
            Decision::Whole(Chain),
        ),
        (
            "def test():\n    m = import_module('a')\n    return m.old\n",
            Decision::Whole(Chain),
        ),
        // The module itself is moved: the tree decides.
        ("m = pytest.importorskip('a.old')\n", Decision::Whole(Shape)),
        (
            "m = pytest.importorskip('a.old.sub')\n",
            Decision::Whole(Shape),
        ),
        // Escapes: not a plain string, which binds nothing in the tree either.
        ("m = pytest.importorskip('\\x61')\nm.old\n", Decision::Skip),
        // Spaced before its parenthesis, the call is the same call.
        (
            "np = pytest.importorskip (\"a\")\nnp.old.X()\n",
            Decision::Whole(Chain),
        ),
        // A new home bound in both branches of a fallback is noted by the tree.
        (
            "try:\n    m = import_module('a.new')\nexcept ImportError:\n    m = import_module('a.new')\n",
            Decision::Whole(Shape),
        ),
        // A module that holds no move binds nothing that matters.
        ("m = pytest.importorskip('b')\nm.old\n", Decision::Skip),
    ] {
        assert_eq!(decided(source), decision, "{source:?}");
    }
}

#[test]
fn a_relative_target_matters_only_where_target_strings_are_rewritten() {
    let source = "import importlib\nm = importlib.import_module(\".old\", \"a\")\n";
    let decide_with = |spec: &str| {
        let rules = rules(spec);
        let lexicon = Lexicon::new(&rules, false);
        let place = Place {
            readings: &[],
            located: false,
        };
        decide(source.as_bytes(), &lexicon, &rules, &place)
    };
    let plain = "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n";
    assert_eq!(decide_with(plain), Decision::Skip);
    let strings = format!("{plain}strings = true\n");
    assert_eq!(decide_with(&strings), Decision::Whole(WholeReason::Text));
}

#[test]
fn an_indented_import_of_a_new_home_matters_only_in_a_fallback_block() {
    // Both branches import the new home: the tree notes the fallback as redundant.
    let pair = "try:\n    from a.new import X\nexcept ImportError:\n    from a.new import X\n";
    assert_eq!(decided(pair), Decision::Whole(WholeReason::Shape));
    let one_line = "try:\n    import os\nexcept ImportError: from a.new import X\n";
    assert_eq!(decided(one_line), Decision::Whole(WholeReason::Shape));
    // In a function or a plain block it is just an import.
    for source in [
        "def f():\n    from a.new import X\n    return X\n",
        "if TYPE_CHECKING:\n    from a.new import X\n",
    ] {
        assert_eq!(decided(source), Decision::Skip, "{source:?}");
    }
}
