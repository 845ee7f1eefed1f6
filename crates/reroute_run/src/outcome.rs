//! One file's outcome in a run: what the engine made of it, and what writing did. The
//! shared type every later phase (write, report, render) reads.

use std::path::{Path, PathBuf};

use reroute_engine::{EngineError, Finding, Rewrite, Warning};
use thiserror::Error;

use crate::write::{FileStamp, WriteError, Writer};

/// Why a file could not be processed.
#[derive(Debug, Error)]
pub enum FileError {
    /// It could not be read.
    #[error("cannot read: {0}")]
    Read(std::io::Error),
    /// It is larger than the run allows.
    #[error(
        "the file has {size} bytes, over the limit of {limit}; exclude it, or raise --max-file-size (MB) if the memory is there (about a hundred times the file)"
    )]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A FIFO, socket or device.
    #[error("not a regular file (a FIFO, socket or device); skipped")]
    NotRegular,
    /// The engine could not process its bytes.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// `apply` could not write it.
    #[error("cannot write: {0}")]
    Write(#[from] WriteError),
    /// An error read back from a report (`reroute merge`), as it was printed.
    #[error("{0}")]
    Recorded(String),
}

/// What happened to a file.
#[derive(Debug)]
pub enum FileStatus {
    /// No moved name can occur in the file (byte filter, stage 2), or it is binary.
    Skipped,
    /// Parsed; nothing to rewrite (may still hold findings that need a person).
    Unchanged,
    /// Edits planned and verified; `updated` is what `apply` writes.
    Changed {
        /// The bytes as read.
        original: Vec<u8>,
        /// The rewritten bytes.
        updated: Vec<u8>,
        /// How many edits.
        edits: usize,
    },
    /// `apply` wrote `updated` (the bytes are dropped once written).
    Written {
        /// How many edits.
        edits: usize,
    },
    /// It could not be processed or written.
    Failed(FileError),
    /// `apply` was interrupted (SIGINT, SIGTERM) before this file was processed.
    NotProcessed,
}

/// One file's outcome.
#[derive(Debug)]
pub struct FileOutcome {
    /// As walked (relative to the run's folder, or as named).
    pub path: PathBuf,
    /// What happened.
    pub status: FileStatus,
    /// Sorted by offset.
    pub findings: Vec<Finding>,
    /// In the order found.
    pub warnings: Vec<Warning>,
    /// Links findings to the edits that implement them.
    pub rewrites: Vec<Rewrite>,
    /// The planned edits (byte ranges of the file as read) the rewrites point into.
    pub edits: Vec<reroute_engine::edit::Edit>,
    /// The file's metadata when it was read (`apply` checks it again before writing).
    pub stamp: Option<FileStamp>,
}

impl FileOutcome {
    /// An outcome with `status` and nothing found.
    pub fn new(path: &Path, status: FileStatus) -> FileOutcome {
        FileOutcome {
            path: path.to_path_buf(),
            status,
            findings: Vec::new(),
            warnings: Vec::new(),
            rewrites: Vec::new(),
            edits: Vec::new(),
            stamp: None,
        }
    }

    /// The outcome of a file that an interrupted run never processed.
    pub fn not_processed(path: &Path) -> FileOutcome {
        FileOutcome::new(path, FileStatus::NotProcessed)
    }

    /// True when the file could not be processed or written.
    pub fn is_failed(&self) -> bool {
        matches!(self.status, FileStatus::Failed(_))
    }

    /// Writes a changed file with `writer`: its status becomes `Written`, or `Failed` with
    /// the reason. After an interruption no write starts: the file stays `Changed`.
    pub fn write_with(&mut self, writer: &Writer) {
        let FileStatus::Changed {
            original,
            updated,
            edits,
        } = &self.status
        else {
            return;
        };
        let edits = *edits;
        let Some(written) = writer.write(&self.path, original, self.stamp.as_ref(), updated) else {
            return;
        };
        self.status = match written {
            Ok(warnings) => {
                self.warnings.extend(warnings);
                FileStatus::Written { edits }
            }
            Err(error) => FileStatus::Failed(FileError::Write(error)),
        };
    }
}
