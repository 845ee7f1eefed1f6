//! Settings as a stage: command-line arguments + `[tool.reroute]` (`pyproject`) → one
//! validated [`Settings`] value: absolute paths, the compiled rule set, threads, output
//! format and colour. Nothing after this stage reads the environment or raw arguments.

pub mod codemods;
pub mod pyproject;
pub mod show;

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::cli::{CodemodArgs, ColorChoice, Format, RunArgs};
use crate::report::Mode;
use crate::ruleset::RuleSet;
use crate::spec::{Codemod, SpecError};
use crate::write::{SignalAt, WriteOptions};

#[derive(Debug, Error)]
pub enum SettingsError {
    #[error(
        "no codemods found: pass --codemods PATH, set [tool.reroute] codemods = [\"…\"] in pyproject.toml, or create ./codemods/ with one *.toml per migration"
    )]
    NoCodemods,
    #[error(
        "{folder}: no codemods there (no *.toml file); point --codemods or [tool.reroute] codemods at a folder of codemods or at one .toml file"
    )]
    EmptyFolder { folder: PathBuf },
    #[error("{path}: codemod path does not exist; check --codemods or [tool.reroute] codemods")]
    Missing { path: PathBuf },
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: invalid pyproject.toml: {message}")]
    Pyproject { path: PathBuf, message: String },
    #[error("--select {name}: no codemod with that name; loaded: {loaded}")]
    UnknownSelect { name: String, loaded: String },
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error(
        "--format {format} is for `reroute check`; `{command}` prints text or json (--format text|json)"
    )]
    FormatNotFor {
        format: &'static str,
        command: &'static str,
    },
    #[error(
        "--stdin-filename {path}: reads one file from stdin, so `--format {format}` cannot be used with `apply` (it prints the rewritten source); drop --format, or use `diff --stdin-filename`"
    )]
    StdinFormat { path: PathBuf, format: &'static str },
    #[error(
        "REROUTE_TEST_SIGNAL_AT={value:?}: expected K:SIGINT, K:SIGTERM or K:SIGKILL with K >= 1 (a test-only hook)"
    )]
    TestHook { value: String },
}

/// How much the text format says: `-q` (findings and errors), the default, or `-v` (also a
/// status line per file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    Quiet,
    #[default]
    Normal,
    Verbose,
}

impl Verbosity {
    pub fn of(quiet: bool, verbose: bool) -> Verbosity {
        match (quiet, verbose) {
            (true, _) => Verbosity::Quiet,
            (false, true) => Verbosity::Verbose,
            (false, false) => Verbosity::Normal,
        }
    }
}

/// When the progress bar on stderr shows: never under `-q`, in CI (`CI` set) or when
/// stderr is not a terminal; else once a run has taken `after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressSettings {
    pub enabled: bool,
    pub after: std::time::Duration,
}

impl ProgressSettings {
    /// `REROUTE_PROGRESS_AFTER_MS` sets the delay (default 1000 ms; tests use 0).
    pub fn of(verbosity: Verbosity, stderr_is_terminal: bool) -> ProgressSettings {
        let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        let after = std::env::var("REROUTE_PROGRESS_AFTER_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .unwrap_or(1000);
        ProgressSettings {
            enabled: progress_enabled(verbosity, stderr_is_terminal, in_ci),
            after: std::time::Duration::from_millis(after),
        }
    }
}

/// The progress bar's rule: a person watching a terminal, outside CI, not `-q`.
pub fn progress_enabled(verbosity: Verbosity, stderr_is_terminal: bool, in_ci: bool) -> bool {
    verbosity != Verbosity::Quiet && stderr_is_terminal && !in_ci
}

/// Refuses a format the command does not print: github, sarif and junit are `check`'s.
pub fn check_format(mode: Mode, format: Format) -> Result<(), SettingsError> {
    let command = match mode {
        Mode::Check => return Ok(()),
        Mode::Diff => "diff",
        Mode::Apply => "apply",
    };
    match format {
        Format::Text | Format::Json => Ok(()),
        other => Err(SettingsError::FormatNotFor {
            format: other.name(),
            command,
        }),
    }
}

/// `check --baseline FILE [--update-baseline]`.
#[derive(Debug, Clone)]
pub struct BaselineSettings {
    pub file: PathBuf,
    pub update: bool,
}

/// Everything a run of `diff`, `apply` or `check` needs, validated.
#[derive(Debug)]
pub struct Settings {
    pub mode: Mode,
    pub format: Format,
    /// Whether to write colour codes (see [`use_color`]).
    pub color: bool,
    /// The folder paths are shown relative to.
    pub cwd: PathBuf,
    /// The project's folder: that of the pyproject.toml read, else the nearest one above
    /// the current folder with `.git`, else the current folder.
    pub project_root: PathBuf,
    /// What to process (default: the current folder), as given.
    pub paths: Vec<PathBuf>,
    pub exclude: Vec<String>,
    pub no_ignore: bool,
    pub include_scripts: bool,
    /// Worker threads; 0 = one per CPU.
    pub threads: usize,
    pub mentions: bool,
    pub target_check: bool,
    /// Larger files are a per-file error, in bytes.
    pub max_file_size: u64,
    /// Note codes not to report.
    pub quiet_notes: Vec<String>,
    /// `--shard K/N`.
    pub shard: Option<crate::shard::Shard>,
    /// Source roots, absolute (empty: find packages by their `__init__.py`).
    pub src: Vec<PathBuf>,
    pub rules: RuleSet,
    /// How `apply` writes (`--break-hardlinks`).
    pub write: WriteOptions,
    /// Test-only: raise a signal at the k-th write (`REROUTE_TEST_SIGNAL_AT`).
    pub signal_at: Option<SignalAt>,
    /// `check --baseline`.
    pub baseline: Option<BaselineSettings>,
    /// Parse every file whole, without stage 2 (`REROUTE_FULL_PARSE=1`; for comparing the
    /// two paths).
    pub full_parse: bool,
    /// `--stats`: print the funnel and stage times on stderr.
    pub stats: bool,
    /// `-q` / `-v`.
    pub verbosity: Verbosity,
    pub progress: ProgressSettings,
    /// `--stdin-filename PATH`: the source comes from stdin and is treated as PATH.
    pub stdin_filename: Option<PathBuf>,
}

impl Settings {
    /// Resolves a run's arguments against the configuration found from `cwd`.
    pub fn resolve(
        mode: Mode,
        args: &RunArgs,
        format: Format,
        cwd: &Path,
    ) -> Result<Settings, SettingsError> {
        check_format(mode, format)?;
        if let (Mode::Apply, Some(path), Format::Json) = (mode, &args.stdin_filename, format) {
            return Err(SettingsError::StdinFormat {
                path: path.clone(),
                format: format.name(),
            });
        }
        let tool = pyproject::load(cwd)?;
        let codemods = load_selected(&args.codemods, &tool, cwd)?;
        let src = if args.src.is_empty() {
            tool.src.clone().unwrap_or_default()
        } else {
            args.src.iter().map(|f| cwd.join(f)).collect()
        };
        Ok(Settings {
            mode,
            format,
            color: use_color(
                args.color,
                std::io::IsTerminal::is_terminal(&std::io::stdout()),
            ),
            cwd: cwd.to_path_buf(),
            project_root: project_root(&tool, cwd),
            paths: if args.paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                args.paths.clone()
            },
            exclude: args.exclude.clone(),
            no_ignore: args.no_ignore,
            include_scripts: args.include_scripts,
            threads: args.threads.unwrap_or(0),
            mentions: args.mentions,
            target_check: !args.no_target_check,
            max_file_size: args.max_file_size.unwrap_or(10).saturating_mul(1024 * 1024),
            shard: args.shard,
            quiet_notes: args
                .quiet_notes
                .iter()
                .chain(&tool.quiet_notes)
                .cloned()
                .collect(),
            src: src
                .iter()
                .map(|root| crate::process::absolute_path(cwd, root))
                .collect(),
            rules: codemods::rule_set(codemods, &args.codemods.select)?,
            write: WriteOptions::default(),
            signal_at: test_signal_at()?,
            full_parse: std::env::var_os("REROUTE_FULL_PARSE").is_some_and(|v| v == "1"),
            stats: args.stats,
            baseline: None,
            verbosity: Verbosity::Normal,
            progress: ProgressSettings::of(Verbosity::Normal, false),
            stdin_filename: args.stdin_filename.clone(),
        })
    }

    /// These settings with `apply`'s write options.
    pub fn with_write(self, write: WriteOptions) -> Settings {
        Settings { write, ..self }
    }

    /// These settings with `-q` / `-v`, which also decide the progress bar.
    pub fn with_verbosity(self, verbosity: Verbosity) -> Settings {
        let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
        Settings {
            verbosity,
            progress: ProgressSettings::of(verbosity, terminal),
            ..self
        }
    }

    /// These settings with `check`'s ratchet.
    pub fn with_baseline(self, baseline: Option<BaselineSettings>) -> Settings {
        Settings { baseline, ..self }
    }
}

/// The test-only hook `REROUTE_TEST_SIGNAL_AT=k:SIGNAL` (see [`SignalAt`]); tests use it
/// to stop `apply` at its k-th write. A value it cannot read is an error, so that a typo
/// in a test does not pass as a run that was never interrupted.
fn test_signal_at() -> Result<Option<SignalAt>, SettingsError> {
    match std::env::var("REROUTE_TEST_SIGNAL_AT") {
        Err(std::env::VarError::NotPresent) => Ok(None),
        Ok(value) => match SignalAt::parse(&value) {
            Some(hook) => Ok(Some(hook)),
            None => Err(SettingsError::TestHook { value }),
        },
        Err(std::env::VarError::NotUnicode(value)) => Err(SettingsError::TestHook {
            value: value.to_string_lossy().into_owned(),
        }),
    }
}

fn project_root(tool: &pyproject::ToolConfig, cwd: &Path) -> PathBuf {
    if let Some(folder) = tool.file.as_ref().and_then(|f| f.parent()) {
        return folder.to_path_buf();
    }
    cwd.ancestors()
        .find(|f| f.join(".git").exists() || f.join("pyproject.toml").is_file())
        .unwrap_or(cwd)
        .to_path_buf()
}

/// What `reroute mv` needs of the configuration: the project root, the absolute source
/// roots and the folder a new codemod goes to.
pub struct MoveSettings {
    pub project_root: PathBuf,
    pub src: Vec<PathBuf>,
    pub codemods: PathBuf,
}

impl MoveSettings {
    pub fn resolve(cwd: &Path) -> Result<MoveSettings, SettingsError> {
        let tool = pyproject::load(cwd)?;
        let project_root = project_root(&tool, cwd);
        let src = tool
            .src
            .clone()
            .unwrap_or_default()
            .iter()
            .map(|root| crate::process::absolute_path(cwd, root))
            .collect();
        let codemods = init_folder(None, cwd)?;
        Ok(MoveSettings {
            project_root,
            src,
            codemods,
        })
    }
}

/// Where `reroute init` writes a new codemod: `--dir`, else the first folder of
/// `[tool.reroute] codemods`, else `./codemods/`.
pub fn init_folder(dir: Option<&Path>, cwd: &Path) -> Result<PathBuf, SettingsError> {
    if let Some(dir) = dir {
        return Ok(cwd.join(dir));
    }
    let tool = pyproject::load(cwd)?;
    let configured = tool
        .codemods
        .unwrap_or_default()
        .into_iter()
        .find(|p| !p.is_file());
    Ok(configured.unwrap_or_else(|| cwd.join("codemods")))
}

/// The codemods `reroute test` checks: those `--select` names, or all.
pub fn test_codemods(args: &CodemodArgs, cwd: &Path) -> Result<Vec<Codemod>, SettingsError> {
    let tool = pyproject::load(cwd)?;
    let codemods = load_selected(args, &tool, cwd)?;
    Ok(codemods
        .into_iter()
        .filter(|c| args.select.is_empty() || args.select.iter().any(|s| **s == *c.name))
        .collect())
}

/// Loads the codemods from `--codemods`, else `[tool.reroute] codemods`, else
/// `./codemods/`.
fn load_selected(
    args: &CodemodArgs,
    tool: &pyproject::ToolConfig,
    cwd: &Path,
) -> Result<Vec<Codemod>, SettingsError> {
    let sources = if !args.codemods.is_empty() {
        args.codemods.clone()
    } else if let Some(list) = &tool.codemods {
        list.clone()
    } else if cwd.join("codemods").is_dir() {
        vec![cwd.join("codemods")]
    } else {
        return Err(SettingsError::NoCodemods);
    };
    codemods::load_codemods(&sources)
}

/// Colour for `--color`: `always` and `never` win; `auto` colours a terminal unless
/// `NO_COLOR` is set (non-empty), and `CLICOLOR_FORCE` (non-empty, not `0`) forces it.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let forced = set("CLICOLOR_FORCE")
                && std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0");
            forced || (is_terminal && !set("NO_COLOR"))
        }
    }
}
