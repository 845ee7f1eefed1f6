//! `reroute completions SHELL`: the shell completion script on stdout.

use std::io::Write;

use reroute_run::ExitStatus;

use crate::cli::Cli;

/// Writes the completion script for `shell`.
pub fn run(shell: clap_complete::Shell, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let mut command = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "reroute", out);
    Ok(ExitStatus::Clean)
}
