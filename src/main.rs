//! The `reroute` binary: parse arguments, run, map the result to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    reroute::install_panic_hook();
    let cli = reroute::cli::Cli::parse();
    match reroute::run(cli) {
        Ok(status) => ExitCode::from(status as u8),
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: {error:#}");
                if let Some(snippet) = reroute::error_snippet(&error) {
                    eprintln!("{snippet}");
                }
            }
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
