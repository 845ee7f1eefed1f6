//! The target check: when the processed tree holds a move's `to` package, the `to` module
//! must exist there, and a moved symbol must be defined or imported in its new module. A
//! typo in `to` must not rewrite a thousand files to a module that does not exist.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::process::module_names;
use crate::ruleset::RuleSet;
use crate::spec::{DottedPath, Identifier, SpecLocation};

/// A move whose `to` the processed tree contradicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetProblem {
    pub location: SpecLocation,
    pub to: DottedPath,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// Neither `to` nor its parent is a module in the tree.
    MissingModule,
    /// `to`'s parent is a module in the tree (`file`) that neither defines nor imports the
    /// last name.
    MissingName { file: PathBuf },
}

impl fmt::Display for TargetProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ProblemKind::MissingModule => write!(
                f,
                "{}: `to` = {:?}: no such module in the processed tree (its package is there); fix the typo or create the module first",
                self.location,
                self.to.to_string()
            ),
            ProblemKind::MissingName { file } => write!(
                f,
                "{}: `to` = {:?}: {} neither defines nor imports `{}`; fix the typo or add it first",
                self.location,
                self.to.to_string(),
                file.display(),
                self.to.last()
            ),
        }
    }
}

/// Checks every move's `to` against the module names of `files` (the processed tree, as
/// absolute paths). A `to` is checked when some file's module name (as `modules` locates
/// it) starts with the `to`'s top-level package.
pub fn check_targets(
    rules: &RuleSet,
    files: &[PathBuf],
    locate: &crate::modules::ModuleResolver,
) -> Vec<TargetProblem> {
    let modules: Vec<(DottedPath, &PathBuf)> = files
        .iter()
        .filter_map(|file| Some((module_names(file).0?, file)))
        .collect();
    let mut top_level: Vec<Identifier> = files
        .iter()
        .filter_map(|file| Some(locate.locate(file)?.module.first().clone()))
        .collect();
    top_level.sort();
    top_level.dedup();
    let mut problems = Vec::new();
    for moved in rules.moves() {
        let to = &moved.to;
        let package_present = top_level.binary_search(to.first()).is_ok();
        if !package_present || is_module(&modules, to) {
            continue;
        }
        let kind = match to.parent().and_then(|parent| module_file(&modules, &parent)) {
            Some(file) if binds_name(file, to.last()) => continue,
            Some(file) => ProblemKind::MissingName { file: file.clone() },
            None => ProblemKind::MissingModule,
        };
        problems.push(TargetProblem {
            location: moved.location.clone(),
            to: to.clone(),
            kind,
        });
    }
    problems
}

/// True when `path` is a module or package in the tree: some file is it, or lies under it
/// (a namespace package has no `__init__.py`).
fn is_module(modules: &[(DottedPath, &PathBuf)], path: &DottedPath) -> bool {
    modules.iter().any(|(name, _)| {
        name.segments()
            .windows(path.len())
            .any(|window| window == path.segments())
    })
}

/// The file that is module `path` (`path.py`, or `path/__init__.py`).
fn module_file<'a>(modules: &[(DottedPath, &'a PathBuf)], path: &DottedPath) -> Option<&'a PathBuf> {
    modules
        .iter()
        .find(|(name, _)| name.ends_with(path))
        .map(|(_, file)| *file)
}

/// True when the module in `file` binds `name` at its top level (also inside top-level
/// `if`/`try` blocks), or might (a star import, a module `__getattr__`), or cannot be read.
fn binds_name(file: &Path, name: &Identifier) -> bool {
    let Ok(bytes) = std::fs::read(file) else {
        return true;
    };
    let Some(tree) = crate::parse::parse(&bytes) else {
        return true;
    };
    let text = |node: tree_sitter::Node<'_>| {
        Identifier::from_token(&String::from_utf8_lossy(&bytes[node.byte_range()]))
    };
    let mut found = false;
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if found {
            break;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "function_definition" | "class_definition" => {
                    let own = child.child_by_field_name("name").map(text);
                    found |= own.as_ref() == Some(name)
                        || own.is_some_and(|n| n.as_str() == "__getattr__");
                }
                "decorated_definition" | "if_statement" | "try_statement" | "block"
                | "else_clause" | "elif_clause" | "except_clause" | "finally_clause"
                | "with_statement" | "expression_statement" => stack.push(child),
                "assignment" | "augmented_assignment" => {
                    if let Some(left) = child.child_by_field_name("left") {
                        found |= crate::parse::walk_any(left, |n| {
                            n.kind() == "identifier" && text(n) == *name
                        });
                    }
                }
                "type_alias_statement" => {
                    found |= crate::parse::walk_any(child, |n| {
                        n.kind() == "identifier" && text(n) == *name
                    });
                }
                "import_statement" | "import_from_statement" => {
                    found |= imports_name(child, name, &text);
                }
                _ => {}
            }
        }
    }
    found
}

/// True when an import statement binds `name` (or is a star import).
fn imports_name(
    stmt: tree_sitter::Node<'_>,
    name: &Identifier,
    text: &dyn Fn(tree_sitter::Node<'_>) -> Identifier,
) -> bool {
    let mut cursor = stmt.walk();
    if stmt
        .children(&mut cursor)
        .any(|c| c.kind() == "wildcard_import")
    {
        return true;
    }
    let is_from = stmt.kind() == "import_from_statement";
    let mut cursor = stmt.walk();
    stmt
        .children_by_field_name("name", &mut cursor)
        .filter_map(|item| {
            if item.kind() == "aliased_import" {
                return item.child_by_field_name("alias");
            }
            let mut inner = item.walk();
            let identifiers: Vec<_> = item
                .named_children(&mut inner)
                .filter(|c| c.kind() == "identifier")
                .collect();
            if is_from {
                identifiers.last().copied()
            } else {
                identifiers.first().copied()
            }
        })
        .any(|node| text(node) == *name)
}
