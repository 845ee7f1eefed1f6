//! Settings as a stage: command-line arguments + `[tool.reroute]` (`pyproject`) → one
//! validated [`Settings`] value: absolute paths, the compiled rule set, threads, output
//! format and colour. Nothing after this stage reads the environment or raw arguments.

pub mod builtin;
pub mod codemods;
pub mod pyproject;

use std::path::{Path, PathBuf};

use thiserror::Error;

use reroute_engine::spec::{Codemod, Declared, SpecError};
use reroute_engine::{EngineOptions, RuleSet};
use reroute_run::paths::absolute_path;
use reroute_run::write::{SignalAt, WriteOptions};
use reroute_run::{Mode, RunOptions};

pub use crate::render::{ColorChoice, Format, Output, ProgressSettings, Verbosity};
pub use pyproject::ConfigSource;

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
    #[error("builtin:{name}: no such builtin codemod; there are: {known} (see `reroute list`)")]
    UnknownBuiltin { name: String, known: String },
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

/// Which codemods to load (`--codemods`, else `[tool.reroute] codemods`, else `./codemods/`)
/// and which of them to keep (`--select`).
#[derive(Debug, Clone, Default)]
pub struct CodemodChoice {
    pub files: Vec<PathBuf>,
    pub select: Vec<String>,
}

/// What the command line says about a run, as plain values (no clap types): applied over
/// `[tool.reroute]` in one step by [`Settings::resolve`], as ruff applies its overrides.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub paths: Vec<PathBuf>,
    pub codemods: CodemodChoice,
    pub exclude: Vec<String>,
    pub no_ignore: bool,
    pub include_scripts: bool,
    pub threads: Option<usize>,
    pub color: ColorChoice,
    pub mentions: bool,
    pub src: Vec<PathBuf>,
    pub no_target_check: bool,
    pub assume_upgraded: bool,
    pub shard: Option<reroute_run::shard::Shard>,
    pub quiet_notes: Vec<String>,
    /// In megabytes.
    pub max_file_size: Option<u64>,
    pub stats: bool,
    pub format: Format,
    pub stdin_filename: Option<PathBuf>,
    /// `check --unresolved-imports`.
    pub unresolved_imports: bool,
    /// `--config FILE` / `--isolated`: which configuration file is read.
    pub config: pyproject::ConfigSource,
    /// `-o FILE`: write the report there instead of stdout.
    pub output_file: Option<PathBuf>,
    /// Load no codemod at all (`suggest --unresolved`, whose output may go to the
    /// codemods folder while it runs).
    pub no_codemods: bool,
}

/// Everything a run of `diff`, `apply` or `check` needs, validated: what the run library
/// takes (`run`, `rules`) and how the CLI shows it.
#[derive(Debug)]
pub struct Settings {
    /// The run's own options (no CLI types in them).
    pub run: RunOptions,
    pub rules: RuleSet,
    /// Format, colour, `-q`/`-v`, progress bar.
    pub output: Output,
    /// `check --baseline`.
    pub baseline: Option<BaselineSettings>,
    /// `--stats`: print the funnel and stage times on stderr.
    pub stats: bool,
    /// `--stdin-filename PATH`: the source comes from stdin and is treated as PATH.
    pub stdin_filename: Option<PathBuf>,
}

impl Settings {
    /// Resolves a run's arguments against the configuration found from `cwd`.
    pub fn resolve(mode: Mode, args: &Overrides, cwd: &Path) -> Result<Settings, SettingsError> {
        let format = args.format;
        check_format(mode, format)?;
        if let (Mode::Apply, Some(path), Format::Json) = (mode, &args.stdin_filename, format) {
            return Err(SettingsError::StdinFormat {
                path: path.clone(),
                format: format.name(),
            });
        }
        let tool = pyproject::load_from(cwd, &args.config)?;
        let unresolved_imports =
            mode == Mode::Check && (args.unresolved_imports || tool.unresolved_imports);
        let codemods = match load_selected(&args.codemods, &tool, cwd) {
            _ if args.no_codemods => Vec::new(),
            // The unresolved-import check needs no codemod.
            Err(SettingsError::NoCodemods) if unresolved_imports => Vec::new(),
            loaded => loaded?,
        };
        let src = if args.src.is_empty() {
            tool.src.clone().unwrap_or_default()
        } else {
            args.src.iter().map(|f| cwd.join(f)).collect()
        };
        let project_root = project_root(&tool, cwd);
        let mut rules = codemods::rule_set(codemods, &args.codemods.select)?;
        let declared = declared_requirements(&project_root);
        rules.hold_tiers(|requirement| args.assume_upgraded || declared.satisfies(requirement));
        let run = RunOptions {
            mode,
            cwd: cwd.to_path_buf(),
            project_root,
            paths: if args.paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                args.paths.clone()
            },
            exclude: args.exclude.clone(),
            no_ignore: args.no_ignore,
            include_scripts: args.include_scripts,
            threads: args.threads.unwrap_or(0),
            engine: EngineOptions {
                mentions: args.mentions,
                full_parse: std::env::var_os("REROUTE_FULL_PARSE").is_some_and(|v| v == "1"),
                verify_whole: mode == Mode::Apply,
            },
            target_check: !args.no_target_check,
            max_file_size: args.max_file_size.unwrap_or(10).saturating_mul(1024 * 1024),
            shard: args.shard,
            quiet_notes: args
                .quiet_notes
                .iter()
                .chain(&tool.quiet_notes)
                .cloned()
                .collect(),
            src: src.iter().map(|root| absolute_path(cwd, root)).collect(),
            write: WriteOptions::default(),
            signal_at: test_signal_at()?,
            unresolved_imports,
        };
        Ok(Settings {
            run,
            rules,
            output: Output {
                format,
                color: use_color(
                    args.color,
                    std::io::IsTerminal::is_terminal(&std::io::stdout())
                        && args.output_file.is_none(),
                ),
                verbosity: Verbosity::Normal,
                progress: ProgressSettings::of(Verbosity::Normal, false),
                file: args.output_file.as_ref().map(|f| cwd.join(f)),
            },
            stats: args.stats,
            baseline: None,
            stdin_filename: args.stdin_filename.clone(),
        })
    }

    /// These settings with `apply`'s write options.
    pub fn with_write(mut self, write: WriteOptions) -> Settings {
        self.run.write = write;
        self
    }

    /// These settings with `-q` / `-v`, which also decide the progress bar.
    pub fn with_verbosity(mut self, verbosity: Verbosity) -> Settings {
        let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
        self.output.verbosity = verbosity;
        self.output.progress = ProgressSettings::of(verbosity, terminal);
        self
    }

    /// The settings of `apply` (or another `mode`) with the one codemod `codemod` over
    /// `root`, the target check off: what `reroute mv` runs after moving the files.
    pub fn for_codemod(
        mode: Mode,
        cwd: &Path,
        codemod: &Path,
        root: &Path,
    ) -> Result<Settings, SettingsError> {
        let args = Overrides {
            codemods: CodemodChoice {
                files: vec![codemod.to_path_buf()],
                select: Vec::new(),
            },
            no_target_check: true,
            paths: vec![root.to_path_buf()],
            ..Overrides::default()
        };
        Settings::resolve(mode, &args, cwd)
    }

    /// These settings with `check`'s ratchet.
    pub fn with_baseline(self, baseline: Option<BaselineSettings>) -> Settings {
        Settings { baseline, ..self }
    }
}

/// What the project's `pyproject.toml` declares it runs on (nothing when there is none):
/// version-tiered moves are rewritten only where it excludes the older versions.
pub fn declared_requirements(project_root: &Path) -> Declared {
    std::fs::read_to_string(project_root.join("pyproject.toml"))
        .map(|text| Declared::from_pyproject(&text))
        .unwrap_or_default()
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
    if let Some(folder) = tool
        .file
        .as_ref()
        .filter(|_| !tool.explicit)
        .and_then(|f| f.parent())
    {
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
    pub fn resolve(cwd: &Path, source: &ConfigSource) -> Result<MoveSettings, SettingsError> {
        let tool = pyproject::load_from(cwd, source)?;
        let project_root = project_root(&tool, cwd);
        let src = tool
            .src
            .clone()
            .unwrap_or_default()
            .iter()
            .map(|root| absolute_path(cwd, root))
            .collect();
        let codemods = init_folder(None, cwd, source)?;
        Ok(MoveSettings {
            project_root,
            src,
            codemods,
        })
    }
}

/// Where `reroute init` writes a new codemod: `--dir`, else the first folder of
/// `[tool.reroute] codemods`, else `./codemods/`.
pub fn init_folder(
    dir: Option<&Path>,
    cwd: &Path,
    source: &ConfigSource,
) -> Result<PathBuf, SettingsError> {
    if let Some(dir) = dir {
        return Ok(cwd.join(dir));
    }
    let tool = pyproject::load_from(cwd, source)?;
    let configured = tool
        .codemods
        .unwrap_or_default()
        .into_iter()
        .find(|p| !p.is_file());
    Ok(configured.unwrap_or_else(|| cwd.join("codemods")))
}

/// The codemods `reroute test` checks: those `--select` names, or all.
pub fn test_codemods(
    args: &CodemodChoice,
    cwd: &Path,
    source: &ConfigSource,
) -> Result<Vec<Codemod>, SettingsError> {
    let tool = pyproject::load_from(cwd, source)?;
    let codemods = load_selected(args, &tool, cwd)?;
    codemods::select(codemods, &args.select)
}

/// Loads the codemods from `--codemods`, else `[tool.reroute] codemods`, else
/// `./codemods/`.
pub fn load_selected(
    args: &CodemodChoice,
    tool: &pyproject::ToolConfig,
    cwd: &Path,
) -> Result<Vec<Codemod>, SettingsError> {
    let sources = if !args.files.is_empty() {
        args.files.clone()
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
