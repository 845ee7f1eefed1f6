//! What the engine answers for a file: its status, findings, warnings and rewrites, and why
//! it could not process one.

use thiserror::Error;

use crate::edit::EditConflict;
use crate::plan::{Finding, Rewrite};
use crate::source::SourceError;

/// Why the engine could not process a file's bytes.
#[derive(Debug, Error)]
pub enum EngineError {
    /// The bytes are not text the engine can rewrite (an encoding problem).
    #[error(transparent)]
    Source(#[from] SourceError),
    /// tree-sitter gave no tree.
    #[error("tree-sitter could not parse the file; exclude it and report it as a bug")]
    Parse,
    /// Two planned edits overlap (a planner bug).
    #[error(transparent)]
    Conflict(#[from] EditConflict),
    /// The rewrite parses with more errors than the file had; nothing is to be written.
    #[error(
        "line {line}: the rewrite would add syntax errors ({before} before, {after} after); nothing was written. This is a reroute bug: please report it with this file"
    )]
    IntroducedSyntaxErrors {
        /// Syntax errors in the file as it was.
        before: usize,
        /// Syntax errors in the rewritten file.
        after: usize,
        /// 1-based line of the first error in the rewritten file.
        line: usize,
    },
    /// A panic inside the engine, caught at its entry.
    #[error("internal error: {0}; please report it with this file")]
    Panic(String),
}

impl EngineError {
    /// The 1-based line the error is on, when it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            EngineError::IntroducedSyntaxErrors { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// Something worth telling about a file that does not change the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The file has a syntax error; imports outside it were still processed.
    SyntaxError {
        /// 1-based line of the first error.
        line: usize,
    },
    /// A NUL byte in the first 8 KiB: treated as binary and left untouched.
    Binary,
    /// Written with `--break-hardlinks` (a warning of the run's writing, never of the
    /// engine): the file's other names keep the old text.
    HardLinksBroken {
        /// How many names the file had.
        links: u64,
    },
    /// Written, but the owner or group could not be kept (only root can give a file away).
    OwnerNotKept {
        /// Owner and group before.
        was: (u32, u32),
        /// Owner and group now.
        now: (u32, u32),
    },
}

impl Warning {
    /// The message the formats show for the warnings that come from writing.
    pub fn write_message(&self) -> Option<String> {
        match self {
            Warning::HardLinksBroken { links } => {
                let others = links - 1;
                let (noun, verb) = if others == 1 {
                    ("name", "keeps")
                } else {
                    ("names", "keep")
                };
                Some(format!(
                    "had {links} hard links; written anyway (--break-hardlinks): the other {others} {noun} {verb} the old text"
                ))
            }
            Warning::OwnerNotKept { was, now } => Some(format!(
                "owner and group not kept: was {}:{}, now {}:{} (only root can give a file to another user or a group it is not in)",
                was.0, was.1, now.0, now.1
            )),
            Warning::SyntaxError { .. } | Warning::Binary => None,
        }
    }
}

/// What the engine made of a file.
#[derive(Debug)]
pub enum FileStatus {
    /// No moved name can occur in it (byte filter, stage 2), or it is binary.
    Skipped,
    /// Planned; nothing to rewrite (it may still hold findings that need a person).
    Unchanged,
    /// Edits planned and verified.
    Changed {
        /// The bytes as they were.
        original: Vec<u8>,
        /// The rewritten bytes.
        updated: Vec<u8>,
        /// How many edits made them.
        edits: usize,
    },
    /// It could not be processed.
    Failed(EngineError),
}

/// The engine's answer for one file.
#[derive(Debug)]
pub struct FileResult {
    /// What happened to the file.
    pub status: FileStatus,
    /// Sorted by offset; then, with a project model, the unresolved imports (by offset).
    pub findings: Vec<Finding>,
    /// In the order found.
    pub warnings: Vec<Warning>,
    /// Each rewrite links findings (indices into `findings`) to the edits made for them
    /// (indices into `edits`).
    pub rewrites: Vec<Rewrite>,
    /// The planned edits, never overlapping, as byte ranges of the original file.
    pub edits: Vec<crate::edit::Edit>,
}

impl FileResult {
    /// A result with `status` and nothing found.
    pub fn new(status: FileStatus) -> FileResult {
        FileResult {
            status,
            findings: Vec::new(),
            warnings: Vec::new(),
            rewrites: Vec::new(),
            edits: Vec::new(),
        }
    }
}
