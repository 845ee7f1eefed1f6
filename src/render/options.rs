//! How a report is shown: the format, colour, how much text says, and when the progress
//! bar appears. Resolved by the settings stage; the renderers only read them.

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
    /// GitHub Actions annotations (workflow commands), one per finding (`check` only).
    Github,
    /// SARIF 2.1.0, for code-scanning uploads (`check` only).
    Sarif,
    /// JUnit XML: a test case per file, a failure per reference left (`check` only).
    Junit,
    /// GitLab Code Quality: a JSON array of issues with line-free fingerprints (`check`
    /// only).
    Gitlab,
}

impl Format {
    /// The name on the command line (`--format sarif`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Github => "github",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
        }
    }
}

/// When to colour output (`--color`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set; or when `CLICOLOR_FORCE` is.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
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
fn progress_enabled(verbosity: Verbosity, stderr_is_terminal: bool, in_ci: bool) -> bool {
    verbosity != Verbosity::Quiet && stderr_is_terminal && !in_ci
}

/// What the renderers need to know of the settings.
#[derive(Debug, Clone)]
pub struct Output {
    /// The format asked for.
    pub format: Format,
    /// Whether to write colour codes.
    pub color: bool,
    /// `-q` / `-v`.
    pub verbosity: Verbosity,
    /// When the progress bar shows.
    pub progress: ProgressSettings,
    /// `-o FILE`: the report (what goes to stdout) is written there instead.
    pub file: Option<std::path::PathBuf>,
}
