//! `reroute check --explain CODE`: what a finding's reason code means.

use std::io::Write;

use reroute_run::ExitStatus;

use crate::cli::Format;
use crate::explain;

/// Prints the explanation of `code` (text or JSON); an unknown code is an error.
pub fn run(code: &str, format: Format, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    match explain::explain(code) {
        Some(text) => {
            match format {
                Format::Json => {
                    let doc = serde_json::json!({
                        "schema": "reroute.explain/1",
                        "code": code,
                        "explanation": text,
                    });
                    writeln!(out, "{doc}")?;
                }
                _ => writeln!(out, "{code}\n\n{text}")?,
            }
            Ok(ExitStatus::Clean)
        }
        None => {
            let known: Vec<&str> = std::iter::once(&explain::MOVED_PATH)
                .chain(explain::EXPLANATIONS)
                .map(|(c, _)| *c)
                .collect();
            anyhow::bail!(
                "unknown reason code {code:?}; known codes: {}",
                known.join(", ")
            )
        }
    }
}
