//! reroute's engine: rewrites deprecated Python imports in one file's bytes.
//!
//! A codemod (TOML) says that a module or a name moved; [`spec`] loads it, a
//! [`ruleset::RuleSet`] compiles the moves, and an [`Engine`] holds them with the filters
//! built from them, once, for any number of files and threads. [`Engine::process`] takes a
//! file's bytes, its path and the project's [`Layout`] and returns a [`FileResult`]: the
//! rewritten bytes, the findings (what was rewritten, what needs a person), the warnings,
//! and the rewrites linking each finding to its edits.
//!
//! The engine reads and writes no file: what it needs to know of the project (which folders
//! are packages, which modules exist, what a package binds) it asks the [`Layout`] the
//! caller passes. It installs no panic hook or signal handler; a panic inside becomes the
//! file's [`EngineError::Panic`].
//!
//! ```
//! use std::path::Path;
//! use reroute_engine::{Engine, EngineOptions, FileStatus, ListedLayout, Stats};
//!
//! let codemod = "[[move]]\nfrom = \"app.old\"\nto = \"app.new\"\n";
//! let rules = reroute_engine::rules_from_toml(codemod, Path::new("move.toml")).unwrap();
//! let engine = Engine::new(rules, EngineOptions::default());
//! let source = b"from app.old import f\n".to_vec();
//! let result = engine.process(
//!     Path::new("/project/main.py"),
//!     source,
//!     &ListedLayout::default(),
//!     &Stats::default(),
//! );
//! let FileStatus::Changed { updated, .. } = result.status else { panic!("not rewritten") };
//! assert_eq!(updated, b"from app.new import f\n");
//! assert_eq!(result.findings[0].line, 1);
//! assert_eq!(result.rewrites[0].findings, [0]);
//! ```
#![deny(missing_docs)]

#[doc(hidden)]
pub mod analyze;
pub mod binds;
pub mod edit;
mod engine;
pub mod layout;
#[doc(hidden)]
pub mod lex;
pub mod parse;
mod piecewise;
mod plan;
mod prefilter;
pub mod project;
pub mod respell;
pub mod ruleset;
#[doc(hidden)]
pub mod scan;
pub mod source;
pub mod spec;
pub mod stats;
pub mod targets;
mod unresolved;
pub mod words;

pub use engine::{
    Engine, EngineError, EngineOptions, FileResult, FileStatus, Warning, is_processing,
    module_names, panic_message,
};
pub use layout::{Binding, Layout, ListedLayout, ModuleLocation};
pub use plan::finding;
pub use plan::{Finding, Fix, Plan, Rewrite, rewrite_groups};
pub use project::ProjectModel;
pub use ruleset::RuleSet;
pub use stats::Stats;

/// Compiles the codemod `text` (TOML), read from `file`, into a rule set of its own.
pub fn rules_from_toml(text: &str, file: &std::path::Path) -> Result<RuleSet, spec::SpecError> {
    let id = file.file_stem().map_or_else(
        || "codemod".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let codemod = spec::parse_codemod(text, file, id.as_str().into())?;
    RuleSet::new(vec![codemod])
}
