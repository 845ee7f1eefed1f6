//! What the planner reports about each reference: where it is, what moved, and what
//! happened to it (rewritten, left for a person with a reason, suppressed, a mention, or a
//! note), with the stable codes every renderer prints.

use std::fmt;

use crate::project::Missing;
use crate::spec::{DottedPath, RuleId};

/// Why a reference to a moved name is not rewritten.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// The reference sits in code that does not parse.
    SyntaxError,
    /// The rewrite would make the module import itself.
    SelfImport,
    /// The name the rewrite would bind is already bound to something else.
    NameConflict {
        /// The name already bound.
        name: String,
    },
    /// A string target that is not a plain literal (f-string, escapes, concatenation).
    DynamicString,
    /// The replacement has characters the file's declared encoding may not hold.
    Encoding,
    /// A moved symbol reached through a module attribute (`mod.OldName`).
    AttributeSymbol,
    /// The rewrite would have to delete a comment.
    CommentInTheWay,
    /// A star import of a module that no longer provides a name the file uses.
    StarImport {
        /// The module star-imported.
        name: String,
    },
    /// Its rewrite overlapped another one in the same file; that one was kept.
    EditConflict,
    /// A relative import in a moved file names modules that moved with it and ones that
    /// did not: it must be split.
    MovedFileSplit,
    /// An import of a first-party module or name that does not exist.
    UnresolvedImport(Missing),
    /// A name a codemod's `[[remove]]` says is gone: its message says what to do.
    Removed {
        /// The codemod's message.
        message: String,
    },
    /// A reason read back from a report (`reroute merge`): its code and words as printed.
    Recorded {
        /// The reason's code.
        code: &'static str,
        /// Its message.
        message: String,
    },
}

impl Reason {
    /// Stable short code, used in JSON output and `check --explain`.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::SyntaxError => "syntax-error",
            Reason::SelfImport => "self-import",
            Reason::NameConflict { .. } => "name-conflict",
            Reason::DynamicString => "dynamic-string",
            Reason::Encoding => "encoding",
            Reason::AttributeSymbol => "attribute-symbol",
            Reason::CommentInTheWay => "comment-in-the-way",
            Reason::StarImport { .. } => "star-import",
            Reason::EditConflict => "edit-conflict",
            Reason::MovedFileSplit => "moved-file-split",
            Reason::UnresolvedImport(_) => UNRESOLVED_IMPORT,
            Reason::Removed { .. } => "removed",
            Reason::Recorded { code, .. } => code,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::SyntaxError => {
                f.write_str("inside a syntax error; fix the syntax, then run again")
            }
            Reason::SelfImport => f.write_str(
                "would import the file's own module; remove the import or import the names locally",
            ),
            Reason::NameConflict { name } => write!(
                f,
                "`{name}` is already bound to something else in this file; rename one of them by hand"
            ),
            Reason::DynamicString => f.write_str(
                "the string is not a plain literal (f-string, escapes or concatenation); edit it by hand",
            ),
            Reason::Encoding => f.write_str(
                "the new name is not ASCII and the file declares a non-UTF-8 encoding; edit it by hand",
            ),
            Reason::AttributeSymbol => f.write_str(
                "a moved name used through a module or an import that does not reach its new home; import it from there by hand",
            ),
            Reason::CommentInTheWay => f.write_str(
                "rewriting would delete a comment inside the statement or expression; edit it by hand",
            ),
            Reason::StarImport { name } => write!(
                f,
                "`{name}` used to come from this star import and moved elsewhere; import it by name from its new home"
            ),
            Reason::EditConflict => f.write_str(
                "its rewrite overlaps another rewrite in this file; edit it by hand and report the file as a reroute bug",
            ),
            Reason::MovedFileSplit => f.write_str(
                "this file was moved; some names of this relative import moved with it and some stayed behind: split the import by hand",
            ),
            Reason::UnresolvedImport(missing) => missing.fmt(f),
            Reason::Removed { message } => f.write_str(message),
            Reason::Recorded { message, .. } => f.write_str(message),
        }
    }
}

/// Something worth saying about a reference that does not need a person and does not
/// change the exit code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Note {
    /// In a branch guarded by `sys.version_info`: left as is for the Pythons it serves.
    VersionBranch,
    /// Both branches of a `try`/`except ImportError` now import the same thing.
    RedundantFallback,
    /// In the `except ImportError` handler of a `try` whose body reaches the new path: it
    /// runs only where the new path is missing (an older version), so it is left as it is.
    OldVersionFallback,
    /// A module-level name was renamed; modules that import it by its old name break.
    PublicRename {
        /// The renamed name.
        name: String,
        /// The old name's path through this module (`pkg.here.OldName`), when the module's
        /// name is known: what to add to the move's `from`.
        through_here: Option<String>,
    },
    /// A relative import whose package is not known (no `__init__.py`, no source root, or
    /// more dots than packages).
    UnresolvedRelative,
    /// The new name exists only from a version the project does not declare
    /// (`requires`): left as it is.
    RequiresVersion {
        /// The requirement, as `package>=version`.
        requirement: String,
    },
    /// An import of a first-party module or name that does not exist, inside a `try`
    /// whose handler catches `ImportError`: the failure is expected there.
    GuardedImport(Missing),
    /// A note read back from a report (`reroute merge`): its code and words as printed.
    Recorded {
        /// The note's code.
        code: &'static str,
        /// Its message.
        message: String,
    },
}

impl Note {
    /// The stable code of this note, as `--quiet-notes` and the formats name it.
    pub fn code(&self) -> &'static str {
        match self {
            Note::VersionBranch => "version-branch",
            Note::RedundantFallback => "redundant-fallback",
            Note::OldVersionFallback => "old-version-fallback",
            Note::PublicRename { .. } => "public-rename",
            Note::UnresolvedRelative => "unresolved-relative",
            Note::GuardedImport(_) => "guarded-import",
            Note::RequiresVersion { .. } => "requires-version",
            Note::Recorded { code, .. } => code,
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::VersionBranch => f.write_str(
                "inside a `sys.version_info` branch; left as is, the old path may be right for the Pythons that branch serves",
            ),
            Note::OldVersionFallback => f.write_str(
                "runs only where the new path is missing, an older version of the library (the fallback of a try that reaches the new path, the else of `hasattr`, a `getattr` default, the older side of a version check): left as it is",
            ),
            Note::RedundantFallback => f.write_str(
                "both branches of this try/except ImportError now import the same thing; the fallback can go",
            ),
            Note::PublicRename {
                name,
                through_here: Some(path),
            } => write!(
                f,
                "`{name}` is renamed at module level; modules that import it from here break: add \"{path}\" to this move's `from` list"
            ),
            Note::PublicRename {
                name,
                through_here: None,
            } => write!(
                f,
                "`{name}` is renamed at module level; modules that import it from here break: add its path through this module to this move's `from` list"
            ),
            Note::GuardedImport(missing) => write!(
                f,
                "`{}` does not exist in the project, and a handler catches the ImportError: left to the fallback",
                missing.path()
            ),
            Note::RequiresVersion { requirement } => write!(
                f,
                "the new name needs {requirement}, which the project does not declare: left as it is; declare `{requirement}` in [project] dependencies, or pass --assume-upgraded"
            ),
            Note::Recorded { message, .. } => f.write_str(message),
            Note::UnresolvedRelative => f.write_str(
                "relative import with no known package (no __init__.py above, or more dots than packages); set [tool.reroute] src or --src if the package layout is elsewhere",
            ),
        }
    }
}

/// What happened to one reference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fix {
    /// Rewritten by this plan's edits.
    Rewritten,
    /// Left as is; needs a person.
    Manual(Reason),
    /// Left as is because of a `# reroute: ignore` comment.
    Suppressed,
    /// A string or comment that contains the path: never rewritten, never counted.
    Mention,
    /// Rewritten or deliberately left, with something to say; never counted.
    Note(Note),
}

impl Fix {
    /// The code reports use for a reference that was not simply rewritten.
    pub fn code(&self) -> &'static str {
        match self {
            Fix::Rewritten => "rewritten",
            Fix::Manual(reason) => reason.code(),
            Fix::Suppressed => "suppressed",
            Fix::Mention => "mention",
            Fix::Note(note) => note.code(),
        }
    }
}

/// The kind of call a target string is passed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TargetKind {
    /// `patch`, `mock.patch`, `mocker.patch`, `patch.dict` (and `unittest.mock.` forms).
    Patch,
    /// `monkeypatch.setattr` / `monkeypatch.delattr`.
    Monkeypatch,
    /// `importlib.import_module`.
    ImportModule,
    /// `pkgutil.resolve_name`.
    ResolveName,
}

impl TargetKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [TargetKind; 4] = [
        TargetKind::Patch,
        TargetKind::Monkeypatch,
        TargetKind::ImportModule,
        TargetKind::ResolveName,
    ];

    /// The call's name, as reports show it.
    pub fn name(self) -> &'static str {
        match self {
            TargetKind::Patch => "patch",
            TargetKind::Monkeypatch => "monkeypatch",
            TargetKind::ImportModule => "import_module",
            TargetKind::ResolveName => "resolve_name",
        }
    }
}

/// What kind of code holds the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Site {
    /// An import statement.
    Import,
    /// A use of an imported name (`old.X`).
    Usage,
    /// A string in another place (a mention).
    String,
    /// A string in a target position, by the call it is passed to.
    Target(TargetKind),
    /// A comment (a mention).
    Comment,
    /// Inside a syntax error (reported, never rewritten).
    SyntaxError,
}

impl Site {
    /// The site's name, as reports show it.
    pub fn name(self) -> &'static str {
        match self {
            Site::Import => "import",
            Site::Usage => "usage",
            Site::String | Site::Target(_) => "string",
            Site::Comment => "comment",
            Site::SyntaxError => "syntax-error",
        }
    }
}

/// One reference to a moved name, or (with no rule) an import of a first-party module or
/// name that does not exist (`check --unresolved-imports`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// Byte offset of the reference (orders findings within a file).
    pub offset: usize,
    /// 1-based line and character column.
    pub line: usize,
    /// 1-based character column.
    pub column: usize,
    /// The move that applies; `None` for an unresolved import, which no codemod says.
    pub rule: Option<RuleId>,
    /// The path as the site spells it (resolved, absolute).
    pub old: DottedPath,
    /// Where it lives now; `None` when nobody says (an unresolved import).
    pub new: Option<DottedPath>,
    /// What kind of place the reference is.
    pub site: Site,
    /// Whether it was rewritten, needs a person, or is a note.
    pub fix: Fix,
}

impl Finding {
    /// The rule's name as reports show it: `codemod/n`, or `unresolved-import` for an
    /// import no codemod speaks of.
    pub fn rule_name(&self) -> String {
        self.rule
            .as_ref()
            .map_or_else(|| UNRESOLVED_IMPORT.to_string(), RuleId::to_string)
    }

    /// The codemod the finding comes from; `None` for an unresolved import.
    pub fn codemod(&self) -> Option<&str> {
        self.rule.as_ref().map(|rule| rule.codemod.as_ref())
    }
}

/// The code and rule name of a finding for an import of a first-party module or name
/// that does not exist.
pub const UNRESOLVED_IMPORT: &str = "unresolved-import";
