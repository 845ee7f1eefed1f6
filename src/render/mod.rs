//! Turning a [`Report`](crate::report::Report) into output. The only place that writes to
//! stdout/stderr during a run.

pub mod github;
pub mod json;
pub mod junit;
mod options;
pub mod problems;
pub mod progress;
pub mod sarif;
pub mod status;
pub mod style;
pub mod text;
pub mod wording;

use std::io::Write;
use std::path::Path;

use reroute_run::Report;

pub use options::{ColorChoice, Format, Output, ProgressSettings, Verbosity};

/// A run's report in the format asked for, with the JSON format's shard record made from
/// the run's shard and rules.
pub fn run_report(
    output: &Output,
    run: &reroute_run::RunOptions,
    rules: &reroute_engine::RuleSet,
    report: &Report,
) -> anyhow::Result<()> {
    let shard = run.shard.map(|shard| json::ShardInfo {
        index: shard.index,
        count: shard.count,
        codemods: reroute_run::shard::codemods_fingerprint(rules),
    });
    self::report(output, &run.cwd, shard, report)
}

/// The one place a run's report is written, in the format asked for; `shard` is the JSON
/// format's shard record.
pub fn report(
    output: &Output,
    cwd: &Path,
    shard: Option<json::ShardInfo>,
    report: &Report,
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    match output.format {
        Format::Json => json::render(report, cwd, shard, &mut out)?,
        Format::Github => github::render(report, cwd, &mut out)?,
        Format::Sarif => sarif::render(report, cwd, &mut out)?,
        Format::Junit => junit::render(report, cwd, &mut out)?,
        Format::Text => {
            let text = text::TextOutput {
                cwd,
                color: output.color,
                verbosity: output.verbosity,
            };
            text.render(report, &mut out, &mut err)?;
        }
    }
    out.flush()?;
    Ok(())
}

pub use reroute_run::paths::path_bytes;

/// How a path is shown in check lines, JSON and messages: as it is when it is UTF-8 with
/// no control characters, else quoted the way git quotes names (`"a\nb.py"`, octal escapes
/// for bytes that are not UTF-8), so that no name is shown lossily or breaks a line.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let bytes = path_bytes(path, cwd);
    match std::str::from_utf8(&bytes) {
        Ok(text) if !text.chars().any(char::is_control) && !text.starts_with('"') => {
            text.to_string()
        }
        _ => crate::diff::quote_bytes(&bytes, false),
    }
}
