//! reroute's command line: one client of the run library (`reroute_run`), which drives
//! the engine (`reroute_engine`) over a tree.
//!
//! The layers, each depending only on those below it: `cli` (clap shapes) and `render`
//! (every output format) → `config` (arguments and `[tool.reroute]` → settings without
//! clap types) → `commands` (one file per command: resolve settings, call the library,
//! render). `main` parses, calls [`run`], and prints a start-up error once.

pub mod cli;
mod commands;
mod config;
mod diff;
mod explain;
mod render;
mod signals;
mod snippet;

pub use commands::run;
pub use signals::install_panic_hook;
pub use snippet::error_snippet;

/// What other clients of the run library take from the command line's settings stage (the
/// Python API, `crates/reroute-python`): settings resolved as `check`, `diff` and `apply`
/// resolve them (`[tool.reroute]`, codemod discovery), and the diff they print.
pub mod embed {
    pub use crate::config::codemods::load_codemods;
    pub use crate::config::{
        CodemodChoice, Overrides, Settings, SettingsError, declared_requirements,
    };
    pub use crate::diff::unified_diff;
}

/// What the fixture tests drive in-process: one file through the engine, as the run does.
pub mod testing {
    pub use crate::commands::test::{Parsing, rewrite_file};
    pub use crate::diff::unified_diff;
    pub use reroute_engine::ListedLayout;
    pub use reroute_engine::parse::{error_count, parse};
    pub use reroute_engine::spec::load_file;
    pub use reroute_engine::{Finding, Fix, RuleSet};

    /// Reads `[tool.reroute]` from the `pyproject.toml` found upward from `folder`, as every
    /// command does (unknown keys are errors).
    pub fn load_tool_config(folder: &std::path::Path) -> Result<(), String> {
        crate::config::pyproject::load(folder)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}
