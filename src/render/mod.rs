//! Turning a [`Report`](crate::report::Report) into output. The only place that writes to
//! stdout/stderr during a run.

pub mod github;
pub mod gitlab;
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
    let mut out = ReportOut::open(output.file.as_deref())?;
    write_report(output, cwd, shard, report, &mut out)?;
    out.finish()
}

/// Writes `report` to `out` in `output.format` (the text format's summary and notes go to
/// stderr).
pub fn write_report(
    output: &Output,
    cwd: &Path,
    shard: Option<json::ShardInfo>,
    report: &Report,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let mut out = out;
    match output.format {
        Format::Json => json::render(report, cwd, shard, &mut out)?,
        Format::Github => github::render(report, cwd, &mut out)?,
        Format::Sarif => sarif::render(report, cwd, &mut out)?,
        Format::Junit => junit::render(report, cwd, &mut out)?,
        Format::Gitlab => gitlab::render(report, cwd, &mut out)?,
        Format::Text => {
            let text = text::TextOutput {
                cwd,
                color: output.color,
                verbosity: output.verbosity,
            };
            text.render(report, &mut out, &mut err)?;
        }
    }
    Ok(())
}

/// Where a report goes: stdout, or (`-o FILE`) a temp file beside FILE that replaces it
/// once the report is whole.
pub enum ReportOut {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    File {
        temp: std::io::BufWriter<tempfile::NamedTempFile>,
        path: std::path::PathBuf,
    },
}

impl ReportOut {
    pub fn open(file: Option<&Path>) -> anyhow::Result<ReportOut> {
        let Some(path) = file else {
            return Ok(ReportOut::Stdout(std::io::BufWriter::new(
                std::io::stdout().lock(),
            )));
        };
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temp = tempfile::Builder::new()
            .prefix(".reroute-report-")
            .tempfile_in(folder)
            .map_err(|e| anyhow::anyhow!("{}: cannot write the report: {e}", path.display()))?;
        Ok(ReportOut::File {
            temp: std::io::BufWriter::new(temp),
            path: path.to_path_buf(),
        })
    }

    /// Flushes stdout, or puts the file in place.
    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            ReportOut::Stdout(mut out) => Ok(out.flush()?),
            ReportOut::File { temp, path } => {
                let temp = temp.into_inner().map_err(|e| {
                    anyhow::anyhow!("{}: cannot write the report: {e}", path.display())
                })?;
                temp.persist(&path).map_err(|e| {
                    anyhow::anyhow!("{}: cannot write the report: {e}", path.display())
                })?;
                Ok(())
            }
        }
    }
}

impl Write for ReportOut {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            ReportOut::Stdout(out) => out.write(buf),
            ReportOut::File { temp, .. } => temp.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            ReportOut::Stdout(out) => out.flush(),
            ReportOut::File { temp, .. } => temp.flush(),
        }
    }
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
