//! Turning a [`Report`](crate::report::Report) into output. The only place that writes to
//! stdout/stderr during a run.

pub mod github;
pub mod json;
pub mod junit;
pub mod progress;
pub mod sarif;
pub mod snippet;
pub mod status;
pub mod style;
pub mod text;

use std::io::Write;
use std::path::Path;

use crate::cli::Format;
use crate::config::Settings;
use crate::report::Report;

/// The one place a run's report is written, in the format asked for.
pub fn report(settings: &Settings, report: &Report) -> anyhow::Result<()> {
    let cwd = settings.cwd.as_path();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    match settings.format {
        Format::Json => {
            let shard = settings.shard.map(|shard| json::ShardInfo {
                index: shard.index,
                count: shard.count,
                codemods: crate::shard::codemods_fingerprint(&settings.rules),
            });
            json::render(report, cwd, shard, &mut out)?
        }
        Format::Github => github::render(report, cwd, &mut out)?,
        Format::Sarif => sarif::render(report, cwd, &mut out)?,
        Format::Junit => junit::render(report, cwd, &mut out)?,
        Format::Text => {
            let text = text::TextOutput {
                cwd,
                color: settings.color,
                verbosity: settings.verbosity,
            };
            text.render(report, &mut out, &mut err)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// A path's bytes as shown: relative to the current folder when under it, `/`-separated,
/// without a leading `./`. Never lossy on Unix (file names are bytes there).
pub fn path_bytes(path: &Path, cwd: &Path) -> Vec<u8> {
    let relative = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        relative.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        let text = relative.to_string_lossy();
        text.replace(std::path::MAIN_SEPARATOR, "/").into_bytes()
    }
}

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
