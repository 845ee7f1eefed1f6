//! `check --baseline FILE`: the ratchet. The exit status says whether references grew past
//! the baseline; `--update-baseline` writes or tightens it.

use std::io::Write;

use reroute_run::baseline;
use reroute_run::{ExitStatus, Report};

use crate::config;
use crate::render;

/// `check --baseline`: the exit status says whether references grew past the baseline;
/// `--update-baseline` writes or tightens it.
pub fn ratchet(
    report: &Report,
    settings: &config::BaselineSettings,
    cwd: &std::path::Path,
    err: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let display = |path: &std::path::Path| render::display_path(path, cwd);
    let now = baseline::Baseline::of_report(report, display);
    let old = baseline::Baseline::load(&settings.file)?;
    let shown = render::display_path(&settings.file, cwd);
    let Some(old) = old else {
        if !settings.update {
            anyhow::bail!(
                "{shown}: no baseline there; create it with `reroute check --baseline {shown} --update-baseline`"
            );
        }
        now.save(&settings.file)?;
        writeln!(
            err,
            "ratchet: wrote {shown} with {} references",
            now.total()
        )?;
        return Ok(error_or(report, ExitStatus::Clean));
    };
    let grown = old.growth(&now);
    for growth in &grown {
        writeln!(
            err,
            "ratchet: {}: {}: {} references, the baseline allows {}",
            growth.path,
            growth.what(),
            growth.now,
            growth.allowed
        )?;
    }
    let verdict = if grown.is_empty() {
        "passed"
    } else {
        "failed: references grew"
    };
    writeln!(
        err,
        "ratchet: {} references left (baseline {}): {verdict}",
        now.total(),
        old.total()
    )?;
    if settings.update {
        let scanned = report.outcomes.iter().map(|o| display(&o.path)).collect();
        let tightened = old.tightened(&now, &scanned);
        if tightened != old {
            tightened.save(&settings.file)?;
            writeln!(
                err,
                "ratchet: tightened {shown} to {} references",
                tightened.total()
            )?;
        }
    }
    let status = if grown.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Pending
    };
    Ok(error_or(report, status))
}

/// `status`, unless the run itself failed somewhere (exit 2 wins).
fn error_or(report: &Report, status: ExitStatus) -> ExitStatus {
    match report.exit_status() {
        ExitStatus::Pending | ExitStatus::Clean => status,
        other => other,
    }
}
