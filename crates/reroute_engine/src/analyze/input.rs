//! The file's facts as the caller knows them before analysis (bytes, tree, lines, module
//! name, encoding, the rules that apply), and the small questions every pass asks of them.

use tree_sitter::{Node, Tree};

use crate::layout::ModuleLocation;
use crate::ruleset::Role;
use crate::ruleset::{Resolution, RuleFilter, RuleSet};
use crate::source::LineIndex;
use crate::spec::{DottedPath, Identifier};

/// The file's facts, as the caller knows them before analysis.
pub struct FileInput<'a> {
    pub bytes: &'a [u8],
    pub tree: &'a Tree,
    pub lines: &'a LineIndex,
    pub rules: &'a RuleSet,
    /// Which moves apply to this file (`exclude` globs).
    pub active: &'a RuleFilter,
    /// The file's module name from its path (`…pkg.sub.mod`); only its end is trusted, as
    /// the import root is not known: compare with `is_own_module`.
    pub module: Option<DottedPath>,
    /// The package relative imports start from (`…pkg.sub`), likewise suffix-trusted.
    pub package: Option<DottedPath>,
    /// The file's exact module name (source roots or `__init__.py` folders), when known:
    /// relative imports resolve from it.
    pub location: Option<ModuleLocation>,
    /// Whether non-ASCII replacement text may be written (the file is UTF-8).
    pub is_utf8: bool,
    /// Also report mentions (strings and comments that contain a moved path).
    pub mentions: bool,
    /// Plan import statements that stand alone inside ERROR regions (off when such a
    /// rewrite failed the whole-file reparse, so that it is reported instead).
    pub rewrite_in_errors: bool,
    /// The file's absolute path and what knows which modules exist: a file that a module
    /// move carried into its `to` respells relative imports its move left dangling
    /// (`plan::moved_file`). `None`: not asked (a piece of a file, a snippet).
    pub disk: Option<(&'a std::path::Path, &'a dyn crate::layout::Layout)>,
}

impl FileInput<'_> {
    /// The move that applies to `path` in this file, if any.
    pub fn resolve(&self, path: &DottedPath) -> Option<Resolution> {
        self.rules.resolve_filtered(path, self.active)
    }

    /// `resolve` for a path standing as `role` (a symbol move applies to `from parent
    /// import name` and `parent.name`, not to a module of the same name).
    pub fn resolve_as(&self, path: &DottedPath, role: Role) -> Option<Resolution> {
        self.rules.resolve_as(path, self.active, role)
    }

    /// True when `path` names this file's own module.
    pub fn is_own_module(&self, path: &DottedPath) -> bool {
        self.module.as_ref().is_some_and(|own| own.ends_with(path))
    }

    /// The identifier a name node spells, NFKC-normalised.
    pub fn identifier(&self, node: Node<'_>) -> Identifier {
        super::names::identifier(self.bytes, node)
    }

    pub fn text(&self, node: Node<'_>) -> &[u8] {
        &self.bytes[node.byte_range()]
    }
}
