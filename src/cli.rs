//! Command-line shape (clap derive only; validation happens in `settings`).

pub use crate::render::{ColorChoice, Format};

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "reroute",
    version,
    about = "Rewrite deprecated Python imports to their canonical paths",
    long_about = "Rewrite deprecated Python imports to their canonical paths.\n\n\
        Codemods (TOML files with [[move]] from/to pairs) come from --codemods, else from\n\
        [tool.reroute] codemods = [...] in the nearest pyproject.toml, else ./codemods/.\n\n\
        Exit codes: 0 nothing to do, 1 references remain or changes pending, 2 an error;\n\
        apply stopped by SIGINT or SIGTERM: 130 or 143."
)]
pub struct Cli {
    /// Print only findings and errors: no summary, no notes, no warnings, no progress bar.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print a status line per file on stderr (`path: would rewrite (2 edits)`).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Read the settings from FILE: the `[tool.reroute]` keys at its top level, paths
    /// relative to its folder (no pyproject.toml is read).
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Read no configuration file: defaults and the command line only.
    #[arg(long, global = true)]
    pub isolated: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a unified diff of every rewrite (writes nothing).
    Diff(RunArgs),
    /// Rewrite files in place (atomically).
    Apply(ApplyArgs),
    /// List every deprecated reference left; exit 1 when there are any.
    Check(CheckArgs),
    /// Check every codemod's [[example]] pairs.
    Test(CodemodArgs),
    /// Join the JSON reports of `check --shard K/N --format json` into one report (exit code
    /// as `check`'s).
    Merge(MergeArgs),
    /// Write a codemod: `reroute init state-persistence --from a.old --to a.new` writes
    /// `codemods/state-persistence.toml` with one move and an example to check.
    Init(InitArgs),
    /// Move a module or package and rewrite every reference: writes the codemod, moves
    /// the files (`git mv` in a git work tree), respells the moved files' relative imports
    /// and rewrites the importers (exit 0: moved and every reference rewritten; 1: moved,
    /// some left for a person; 2: refused, nothing changed).
    Mv(MvArgs),
    /// Propose a codemod from what the tree says: modules `git diff --find-renames REV`
    /// shows moved (`--git REV`), else the compatibility shims (modules that only
    /// re-export another). Prints TOML to review and save (exit 0; 2 on errors).
    Suggest(SuggestArgs),
    /// Print the resolved settings and where each came from (default, pyproject.toml line,
    /// command line). Exit 0, or 2 when the configuration or a codemod is invalid.
    Config(RunArgs),
    /// Serve the Language Server Protocol over stdio: diagnostics for deprecated imports
    /// in open files, a code action per rewrite, and "fix all in file" (what `apply`
    /// writes). Configure it in the editor as a generic LSP client running `reroute lsp`.
    Lsp,
    /// List the codemods built into reroute (`--codemods builtin:numpy2`, `builtin:airflow3`,
    /// `builtin:typing`): what each covers, its counts and its sources.
    List,
    /// Print a shell completion script (`reroute completions bash > /etc/bash_completion.d/reroute`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Read the moves from `git diff --find-renames REV` (a commit, a branch, `HEAD~3`).
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
    /// Moves for the imports `check --unresolved-imports` reports: a git rename (with
    /// `--git REV`), else the one module with the same last name, else (for a missing
    /// name) the one module that defines it.
    #[arg(long)]
    pub unresolved: bool,
}

#[derive(Debug, Default, Args)]
pub struct MvArgs {
    /// The module file (`pkg/old.py`) or package folder (`pkg/old/`) to move.
    #[arg(required_unless_present = "resume")]
    pub src: Option<PathBuf>,
    /// Where it goes: a file or folder path; an existing folder means "into it";
    /// `pkg/old/__init__.py` makes module `pkg/old.py` a package (and back).
    #[arg(required_unless_present = "resume")]
    pub dst: Option<PathBuf>,
    /// Write the codemod here (default: `codemods/mv-<old>-to-<new>.toml`).
    #[arg(long, value_name = "FILE")]
    pub codemod: Option<PathBuf>,
    /// Leave a module at the old path that re-exports the new one with a
    /// DeprecationWarning (for libraries whose users import the old path).
    #[arg(long)]
    pub shim: bool,
    /// Print the codemod and the diff (renames included, as `git apply` takes them);
    /// change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Move even when files the move would write or move have uncommitted changes.
    #[arg(long)]
    pub allow_dirty: bool,
    /// Finish a move that was interrupted (the steps not done yet).
    #[arg(
        long = "continue",
        conflicts_with_all = ["src", "dst", "codemod", "shim", "dry_run"]
    )]
    pub resume: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The codemod's name (the file stem; reports and `# reroute: ignore[NAME]` use it).
    pub name: String,
    /// The dotted path that moved.
    #[arg(long)]
    pub from: String,
    /// Where it lives now.
    #[arg(long)]
    pub to: String,
    /// The folder to write into (default: `[tool.reroute] codemods`'s first folder, else
    /// `./codemods/`).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' reports (`check --shard K/N --format json > part-K.json`).
    #[arg(value_name = "PART.json", required = true)]
    pub parts: Vec<PathBuf>,
    /// Write the merged report to FILE instead of stdout (atomically).
    #[arg(short = 'o', long = "output-file", value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// The merged report's format: json (default), or any format `check` prints.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

#[derive(Debug, Default, Args)]
pub struct CodemodArgs {
    /// A codemod file or a folder of *.toml codemods (repeatable).
    #[arg(long = "codemods", value_name = "PATH")]
    pub codemods: Vec<PathBuf>,
    /// Run only these codemods (file stem; repeatable).
    #[arg(long, value_name = "CODEMOD")]
    pub select: Vec<String>,
}

#[derive(Debug, Default, Args)]
pub struct RunArgs {
    /// Files or folders to process (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub codemods: CodemodArgs,
    /// Skip files matching this glob (gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Also process files that .gitignore / .ignore and hidden-file rules would skip.
    #[arg(long)]
    pub no_ignore: bool,
    /// Also process files without an extension whose first line is a Python shebang
    /// (`#!/usr/bin/env python3`). A file named on the command line is always processed.
    #[arg(long)]
    pub include_scripts: bool,
    /// Worker threads (default: number of CPUs).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// When to colour output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Also report strings and comments that mention a moved path (never rewritten).
    #[arg(long)]
    pub mentions: bool,
    /// A source root module names are relative to (repeatable; default: `[tool.reroute]
    /// src` in pyproject.toml, else packages are found by their `__init__.py`).
    #[arg(long = "src", value_name = "DIR")]
    pub src: Vec<PathBuf>,
    /// Do not check that each move's `to` exists in the processed tree (by default a
    /// missing one is a warning, and `apply` writes nothing).
    #[arg(long)]
    pub no_target_check: bool,
    /// Rewrite version-tiered moves (`requires = "numpy>=2"`) even though the project does
    /// not declare the requirement in pyproject.toml: the result needs the new versions.
    #[arg(long)]
    pub assume_upgraded: bool,
    /// Process only shard K of N (`--shard 2/5`): a fixed partition of the files by their
    /// path in the project, for a CI matrix; join the JSON reports with `reroute merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<reroute_run::shard::Shard>,
    /// Do not print notes with this code (repeatable; e.g. `public-rename`); also
    /// `[tool.reroute] quiet-notes`.
    #[arg(long = "quiet-notes", value_name = "CODE")]
    pub quiet_notes: Vec<String>,
    /// Files larger than this many megabytes are not processed (an error names them):
    /// parsing needs memory of about a hundred times a file's size [default: 10].
    #[arg(long, value_name = "MB")]
    pub max_file_size: Option<u64>,
    /// Print on stderr how many files each stage let through and the time per stage.
    #[arg(long)]
    pub stats: bool,
    /// Output format: `text` or `json` (`diff`, `apply`, `config`); `check` also takes
    /// `github`, `sarif` and `junit`.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Read the source from stdin and treat it as the file at PATH (module name, codemod
    /// excludes, the project it belongs to); nothing is written. `apply` prints the
    /// rewritten source on stdout, `diff` its patch, `check` its findings.
    #[arg(long, value_name = "PATH", conflicts_with = "paths")]
    pub stdin_filename: Option<PathBuf>,
    /// Write the report (what would go to stdout: findings, the patch, the JSON or other
    /// format) to FILE instead, atomically; messages still go to stderr.
    #[arg(short = 'o', long = "output-file", value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Also write a file that has more than one hard link (its other names keep the old
    /// text; by default such a file is refused).
    #[arg(long)]
    pub break_hardlinks: bool,
    /// Review each rewrite (an import with the uses that follow it) on the terminal before
    /// it is written: y, n, i (no, and add a `# reroute: ignore[…]` comment), a (all), q.
    #[arg(short = 'i', long, conflicts_with = "stdin_filename")]
    pub interactive: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Print the explanation of a reason code (e.g. syntax-error) and exit.
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
    /// The ratchet: fail only when deprecated references grow past the counts in FILE (per
    /// codemod and file); pass when they stay or fall.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the baseline (or tighten it) from this run; only the scanned files' entries
    /// change.
    #[arg(long, requires = "baseline")]
    pub update_baseline: bool,
    /// Also report every import of a first-party module or name that does not exist
    /// (`unresolved-import`; inside `try/except ImportError` a `guarded-import` note), as
    /// after a plain `git mv`; runs without any codemod too. Also `[tool.reroute]
    /// unresolved-imports = true`.
    #[arg(long)]
    pub unresolved_imports: bool,
}

impl From<&CodemodArgs> for crate::config::CodemodChoice {
    fn from(args: &CodemodArgs) -> Self {
        crate::config::CodemodChoice {
            files: args.codemods.clone(),
            select: args.select.clone(),
        }
    }
}

impl From<&RunArgs> for crate::config::Overrides {
    fn from(args: &RunArgs) -> Self {
        crate::config::Overrides {
            paths: args.paths.clone(),
            codemods: (&args.codemods).into(),
            exclude: args.exclude.clone(),
            no_ignore: args.no_ignore,
            include_scripts: args.include_scripts,
            threads: args.threads,
            color: args.color,
            mentions: args.mentions,
            src: args.src.clone(),
            no_target_check: args.no_target_check,
            assume_upgraded: args.assume_upgraded,
            shard: args.shard,
            quiet_notes: args.quiet_notes.clone(),
            max_file_size: args.max_file_size,
            stats: args.stats,
            format: args.format,
            stdin_filename: args.stdin_filename.clone(),
            unresolved_imports: false,
            no_codemods: false,
            output_file: args.output_file.clone(),
            config: crate::config::ConfigSource::default(),
        }
    }
}
