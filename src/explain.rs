//! Longer explanations of reason codes, for `reroute check --explain CODE`.

/// The rule of a reference that `reroute apply` rewrites (SARIF's `moved-path`).
pub const MOVED_PATH: (&str, &str) = (
    "moved-path",
    "The reference spells a path that a codemod moves: the module or name now lives at the\n\
     move's `to`, and the old path is deprecated or gone.\n\
     What to do: run `reroute apply` (or `reroute diff` first to see the patch).",
);

/// (code, explanation) for every reason a reference is left for a person.
pub const EXPLANATIONS: &[(&str, &str)] = &[
    (
        "syntax-error",
        "The reference sits in code that does not parse (tree-sitter marks it ERROR or MISSING).\n\
         reroute never edits inside broken code: it cannot know what the statement means.\n\
         What to do: fix the syntax error (the warning names its line), then run reroute again.",
    ),
    (
        "self-import",
        "Rewriting the import would make a module import itself: the file is the new home of the\n\
         moved name and still imports it from the old path (often a compatibility shim).\n\
         What to do: delete the import, or define/import the names locally.",
    ),
    (
        "moved-file-split",
        "The file was moved (it sits under a module move's `to`), and one of its relative imports\n\
         (`from . import a, b`) names a module that moved with it and one that stayed at the old\n\
         place, so no one spelling of the statement is right.\n\
         What to do: split the import in two, one per package, then run reroute again.",
    ),
    (
        "name-conflict",
        "The rewrite would bind a name that the file already uses for something else, so the\n\
         rewritten code would change meaning.\n\
         What to do: rename one of the two by hand, then run reroute again.",
    ),
    (
        "dynamic-string",
        "A string in a target position (mock.patch, importlib.import_module, ...) names a moved\n\
         path but is not a plain literal: an f-string, a string with escapes, or a concatenation.\n\
         What to do: edit the string by hand.",
    ),
    (
        "encoding",
        "The new path has non-ASCII characters but the file declares a non-UTF-8 encoding, so the\n\
         replacement might not be representable. reroute never transcodes a file.\n\
         What to do: edit by hand, or convert the file to UTF-8.",
    ),
    (
        "attribute-symbol",
        "A moved symbol is used through a module attribute (import a.mod; a.mod.OldName), and it\n\
         moved somewhere the module does not reach. Renaming only the module part would leave\n\
         a dangling attribute, so the whole use is left for a person.\n\
         What to do: import the symbol from its new module and use that name.",
    ),
    (
        "comment-in-the-way",
        "The rewrite would have to delete a comment that sits inside the import statement or the\n\
         dotted expression (for example when every name of a parenthesised from-import becomes\n\
         a top-level module). reroute never drops a comment.\n\
         What to do: edit the statement by hand, keeping the comments where they belong.",
    ),
    (
        "star-import",
        "The file star-imports a module (from a.old import *) and uses a name unqualified that\n\
         the module used to provide but that moved elsewhere; after the rewrite the star import\n\
         no longer provides it.\n\
         What to do: import that name by name from its new home.",
    ),
    (
        "edit-conflict",
        "Two rewrites in the file claim the same bytes; the earlier one is kept and this\n\
         reference is left as is (the rest of the file is still rewritten). It is a reroute bug.\n\
         What to do: edit this reference by hand, and report the file so the planner can be fixed.",
    ),
    (
        "version-branch",
        "Note, not counted: the reference sits in a branch guarded by sys.version_info. The old\n\
         path may be the right one for the Pythons that branch serves, so it is left as is.\n\
         What to do: nothing, or drop the branch when those Pythons are no longer supported.",
    ),
    (
        "redundant-fallback",
        "Note, not counted: both the try branch and the except ImportError branch now import the\n\
         same thing, so the fallback can no longer do anything.\n\
         What to do: delete the try/except and keep one import.",
    ),
    (
        "old-version-fallback",
        "Note, not counted: an old path inside the except ImportError / ModuleNotFoundError /\n\
         AttributeError handler of a try whose body reaches the new path. That handler runs only\n\
         where the new path is missing (an older version of the library), so the old path is\n\
         right there and is left as it is.\n\
         What to do: nothing while you support the older version; drop the fallback when you\n\
         no longer do.",
    ),
    (
        "public-rename",
        "Note, not counted: with rename_usages, a name bound at module level (or re-exported from\n\
         an __init__.py or .pyi file) was renamed. Other modules that import it by its old name\n\
         from this module will break.\n\
         What to do: run the same codemod over those modules too, or keep an alias.",
    ),
    (
        "unresolved-relative",
        "Note, not counted: a relative import whose package is unknown: the file has no\n\
         __init__.py beside it, or it uses more dots than there are packages above it. Python\n\
         would fail the import too, unless the package layout is set elsewhere.\n\
         What to do: set [tool.reroute] src = [\"src\"] (or --src) to the folder imports start\n\
         from, or add the missing __init__.py.",
    ),
    (
        "unresolved-import",
        "With check --unresolved-imports: an import of a first-party module or name that does\n\
         not exist (a module moved or renamed without a codemod, a typo). First-party means a\n\
         regular package in the project folder, a source root or src/; namespace folders,\n\
         installed and standard-library names are never reported.\n\
         What to do: fix the import, or run `reroute suggest --unresolved [--git REV]` for a\n\
         codemod that points the imports at the module's new place.",
    ),
    (
        "removed",
        "A codemod's [[remove]] entry says the name is gone (removed or deprecated by a new\n\
         version of a library), with no drop-in new path. Its message says what to use instead.\n\
         A [[remove]] with `replace` rewrites uses in expressions (np.NINF -> -np.inf); an import\n\
         of such a name, or a use the expression cannot take the place of, is reported.\n\
         What to do: follow the message, by hand.",
    ),
    (
        "requires-version",
        "Note, not counted: the move is tiered (`requires = \"numpy>=2\"`): its new name exists\n\
         only from that version on, and the project's pyproject.toml does not exclude the older\n\
         versions ([project] dependencies, requires-python, or Poetry's dependencies). Rewriting\n\
         would break the code on the versions the project still allows, so it is left as is.\n\
         What to do: when you drop the older versions, declare the requirement (e.g.\n\
         dependencies = [\"numpy>=2\"]) or pass --assume-upgraded, then run reroute apply.",
    ),
    (
        "guarded-import",
        "Note, not counted: an unresolved import inside a try whose except catches ImportError\n\
         (or with suppress(ImportError), pytest.raises(ImportError)): its failure is expected.\n\
         What to do: nothing, unless the fallback was meant to be dead code.",
    ),
];

/// The code as the `'static` string reroute knows it by (`None` for a code it does not
/// know): what a report read back (`reroute merge`) names its reasons and notes with.
pub fn static_code(code: &str) -> Option<&'static str> {
    std::iter::once(&MOVED_PATH)
        .chain(EXPLANATIONS)
        .map(|(c, _)| *c)
        .find(|c| *c == code)
}

pub fn explain(code: &str) -> Option<&'static str> {
    std::iter::once(&MOVED_PATH)
        .chain(EXPLANATIONS)
        .find(|(c, _)| *c == code)
        .map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reroute_engine::finding::{Note, Reason};

    #[test]
    fn every_reason_code_is_explained() {
        let reasons = [
            Reason::SyntaxError,
            Reason::SelfImport,
            Reason::NameConflict { name: "x".into() },
            Reason::DynamicString,
            Reason::Encoding,
            Reason::AttributeSymbol,
            Reason::CommentInTheWay,
            Reason::StarImport { name: "x".into() },
            Reason::MovedFileSplit,
        ];
        let notes = [
            Note::VersionBranch,
            Note::RedundantFallback,
            Note::PublicRename {
                name: "x".into(),
                through_here: None,
            },
            Note::UnresolvedRelative,
        ];
        let codes = reasons
            .iter()
            .map(Reason::code)
            .chain(notes.iter().map(Note::code));
        for code in codes {
            assert!(explain(code).is_some(), "{code} has no explanation");
        }
    }
}
