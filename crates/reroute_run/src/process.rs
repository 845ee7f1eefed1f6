//! One file of a run: read it (size limit, regular files only, its stamp for `apply`),
//! then hand its bytes to the engine. Prints nothing, writes nothing.

use std::path::Path;
use std::time::Instant;

use reroute_engine::stats::Stage;
use reroute_engine::{Engine, Layout, Stats};

use crate::outcome::{FileError, FileOutcome, FileStatus};
use crate::write::{FileStamp, ReadFile, read_regular_within};

/// What the per-file stage needs.
pub struct ProcessContext<'a> {
    /// The compiled rules and filters.
    pub engine: &'a Engine,
    /// The project, as the engine asks about it.
    pub layout: &'a dyn Layout,
    /// Larger files are a per-file error, in bytes.
    pub max_file_size: u64,
    /// The folder relative paths are taken from (the run's current folder).
    pub base: &'a Path,
    /// The `--stats` counters.
    pub stats: &'a Stats,
}

/// Processes the file at `path`: read, then the engine. A panic becomes the file's error.
pub fn process_file(context: &ProcessContext<'_>, path: &Path) -> FileOutcome {
    let started = Instant::now();
    Stats::count(&context.stats.files);
    let (bytes, stamp) = match read_regular_within(path, context.max_file_size) {
        Ok(ReadFile::Bytes(bytes, stamp)) => (bytes, stamp),
        Ok(ReadFile::TooLarge(size)) => return too_large(path, size, context.max_file_size),
        Ok(ReadFile::NotRegular) => {
            return FileOutcome::new(path, FileStatus::Failed(FileError::NotRegular));
        }
        Err(error) => return FileOutcome::new(path, FileStatus::Failed(FileError::Read(error))),
    };
    context
        .stats
        .bytes
        .fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
    context.stats.time(Stage::Read, started);
    process_bytes(context, path, bytes, Some(stamp))
}

/// Processes `bytes` as the content of `path` (a file read by the run, or standard input
/// with `--stdin-filename`): the size limit, then the engine.
pub fn process_bytes(
    context: &ProcessContext<'_>,
    path: &Path,
    bytes: Vec<u8>,
    stamp: Option<FileStamp>,
) -> FileOutcome {
    let size = bytes.len() as u64;
    if size > context.max_file_size {
        return too_large(path, size, context.max_file_size);
    }
    let absolute = crate::paths::absolute_path(context.base, path);
    let result = context
        .engine
        .process(&absolute, bytes, context.layout, context.stats);
    let status = match result.status {
        reroute_engine::FileStatus::Skipped => FileStatus::Skipped,
        reroute_engine::FileStatus::Unchanged => FileStatus::Unchanged,
        reroute_engine::FileStatus::Changed {
            original,
            updated,
            edits,
        } => FileStatus::Changed {
            original,
            updated,
            edits,
        },
        reroute_engine::FileStatus::Failed(error) => FileStatus::Failed(FileError::Engine(error)),
    };
    FileOutcome {
        path: path.to_path_buf(),
        status,
        findings: result.findings,
        warnings: result.warnings,
        rewrites: result.rewrites,
        edits: result.edits,
        stamp,
    }
}

fn too_large(path: &Path, size: u64, limit: u64) -> FileOutcome {
    FileOutcome::new(
        path,
        FileStatus::Failed(FileError::TooLarge { size, limit }),
    )
}
