//! reroute's run: the engine applied to a tree. Walks the paths (`discover`), works out
//! where each move's target lives (the engine's `targets`, asking the disk through
//! [`DiskLayout`]),
//! processes every file in parallel with the engine (`process`), writes changed files with
//! apply's safety (`write`: atomic, stamp-checked, interruptible through a flag), and
//! returns a [`Report`]. No CLI crate, no printing, no signal handler: the caller renders
//! and installs handlers.
//!
//! Modules, from the bottom up: `paths`, `discover`, `write`, `outcome`, `layout`,
//! `entry_points`, `process`, `report`, `baseline`, `shard`, `run`.

pub mod baseline;
pub mod discover;
pub mod entry_points;
pub mod excludes;
pub mod layout;
pub mod outcome;
pub mod paths;
pub mod process;
pub mod project;
pub mod report;
mod run;
pub mod shard;
pub mod write;

pub use layout::DiskLayout;
pub use outcome::{FileError, FileOutcome, FileStatus};
pub use report::{ExitStatus, Mode, Report};
pub use run::{Progress, RunError, RunOptions, RunResult, prepare, run, run_source};
pub use write::{Interrupt, Signal};
