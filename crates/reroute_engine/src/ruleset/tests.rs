//! Unit tests of the rule set: most specific move, chains, loops, indexes.

use super::*;
use crate::spec::parse_codemod;

fn rules(toml: &str) -> Result<RuleSet, SpecError> {
    let codemod = parse_codemod(toml, Path::new("t.toml"), "t".into())?;
    RuleSet::new(vec![codemod])
}

fn resolve(set: &RuleSet, path: &str) -> Option<String> {
    set.resolve(&DottedPath::parse(path).unwrap())
        .map(|r| r.target.to_string())
}

#[test]
fn most_specific_move_wins_and_chains() {
    let set = rules(
        "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n\
         [[move]]\nfrom = \"a.old.Thing\"\nto = \"b.mod.Other\"\n\
         [[move]]\nfrom = \"a.new.Late\"\nto = \"c.Late2\"\n",
    )
    .unwrap();
    assert_eq!(resolve(&set, "a.old").as_deref(), Some("a.new"));
    assert_eq!(resolve(&set, "a.old.sub.f").as_deref(), Some("a.new.sub.f"));
    assert_eq!(
        resolve(&set, "a.old.Thing.attr").as_deref(),
        Some("b.mod.Other.attr")
    );
    assert_eq!(resolve(&set, "a.old.Late").as_deref(), Some("c.Late2"));
    assert_eq!(resolve(&set, "a.old_extra"), None);
    assert_eq!(resolve(&set, "a.new"), None);
}

#[test]
fn module_becomes_package_is_stable() {
    let set = rules("[[move]]\nfrom = \"pkg.utils\"\nto = \"pkg.utils.core\"\n").unwrap();
    assert_eq!(
        resolve(&set, "pkg.utils.helper").as_deref(),
        Some("pkg.utils.core.helper")
    );
    assert_eq!(resolve(&set, "pkg.utils.core.helper"), None);
}

#[test]
fn loops_and_duplicates_are_errors() {
    let error = rules("[[move]]\nfrom = \"a\"\nto = \"b\"\n[[move]]\nfrom = \"b\"\nto = \"a\"\n")
        .unwrap_err()
        .to_string();
    assert!(error.contains("loop"), "{error}");
    let error = rules("[[move]]\nfrom = \"a\"\nto = \"b.a\"\n[[move]]\nfrom = \"b\"\nto = \"a\"\n")
        .unwrap_err()
        .to_string();
    assert!(error.contains("loop"), "{error}");
    let error = rules("[[move]]\nfrom = \"a\"\nto = \"b\"\n[[move]]\nfrom = \"a\"\nto = \"c\"\n")
        .unwrap_err()
        .to_string();
    assert!(error.contains("already moved at t.toml:2:"), "{error}");
}

#[test]
fn a_move_may_apply_twice_when_the_chain_ends() {
    let set = rules(
        "[[move]]\nfrom = \"a.old\"\nto = \"c.x\"\n\
         [[move]]\nfrom = \"c.x.mod\"\nto = \"a.old\"\n",
    )
    .unwrap();
    assert_eq!(resolve(&set, "a.old.mod").as_deref(), Some("c.x"));
    assert_eq!(resolve(&set, "c.x.mod").as_deref(), Some("c.x"));
    let growing =
        rules("[[move]]\nfrom = \"a\"\nto = \"b.c\"\n[[move]]\nfrom = \"b\"\nto = \"a.x\"\n")
            .unwrap_err()
            .to_string();
    assert!(growing.contains("loop"), "{growing}");
}

#[test]
fn moves_under_a_prefix_are_indexed() {
    let set = rules(
        "[[move]]\nfrom = \"a.b.c\"\nto = \"x.c\"\n\
         [[move]]\nfrom = \"a.bb\"\nto = \"x.bb\"\n\
         [[move]]\nfrom = \"a.b.d.e\"\nto = \"x.e\"\n",
    )
    .unwrap();
    let path = |p: &str| DottedPath::parse(p).unwrap();
    let under = |p: &str| -> Vec<String> {
        set.moves_under(&path(p))
            .map(|m| m.from.to_string())
            .collect()
    };
    assert_eq!(under("a.b"), ["a.b.c", "a.b.d.e"]);
    assert_eq!(under("a"), ["a.b.c", "a.bb", "a.b.d.e"]);
    assert!(under("a.b.c").is_empty());
    assert!(set.has_move_under(&path("a.b")));
    assert!(set.has_move_under(&path("a.b.c")));
    assert!(!set.has_move_under(&path("a.b.c.d")));
    assert!(!set.has_move_under(&path("a.bbb")));
}
