//! End-to-end tests of the `reroute` binary: each test builds a small project in a temp
//! folder, runs the real binary in it, and checks exit codes, output and files on disk.

mod apply;
mod check;
mod config;
mod diff;
mod errors;
mod formats;
mod human;
mod interactive;
mod kinds;
mod lines_and_names;
mod lsp;
mod moves;
#[cfg(unix)]
mod mv_safety;
mod outputs;
mod references;
mod relative;
#[cfg(unix)]
mod safety;
mod settings;
mod shards;
mod stage2;
mod stdin;
mod targets;
mod tiers;
mod unresolved;
mod util;
