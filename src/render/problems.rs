//! Which run-level problems (not tied to one finding) each format shows: the one table.
//! Walk errors are shown everywhere; target problems (a move's `to` the tree contradicts)
//! everywhere too — github as `::warning file=CODEMOD,line=N::…`, junit in the suite's
//! `<system-err>`; links not followed only in text; temp files of other runs in text and
//! json. Files that failed and per-file warnings belong to their file and every format
//! shows them with it.

use super::Format;

/// A kind of run-level problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunProblem {
    /// A folder or path the walk could not read (an error).
    Walk,
    /// A move whose `to` the processed tree contradicts (a warning; `apply` refuses).
    Target,
    /// A symbolic link met and not followed.
    Symlink,
    /// A temp file another reroute run left.
    TempFile,
}

/// True when `format` shows problems of kind `problem`.
pub fn shows(format: Format, problem: RunProblem) -> bool {
    use RunProblem::{Symlink, Target, TempFile, Walk};
    match (format, problem) {
        (_, Walk | Target) => true,
        (Format::Text, Symlink | TempFile) => true,
        (Format::Json, TempFile) => true,
        (
            Format::Json | Format::Github | Format::Sarif | Format::Junit | Format::Gitlab,
            Symlink,
        )
        | (Format::Github | Format::Sarif | Format::Junit | Format::Gitlab, TempFile) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_shows_walk_errors_and_target_problems() {
        for format in [
            Format::Text,
            Format::Json,
            Format::Github,
            Format::Sarif,
            Format::Junit,
            Format::Gitlab,
        ] {
            assert!(shows(format, RunProblem::Walk));
            assert!(shows(format, RunProblem::Target));
        }
        assert!(shows(Format::Text, RunProblem::Symlink));
        assert!(!shows(Format::Json, RunProblem::Symlink));
        assert!(shows(Format::Json, RunProblem::TempFile));
        assert!(!shows(Format::Sarif, RunProblem::TempFile));
    }
}
