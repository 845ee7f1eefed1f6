//! One file per command. Each resolves its settings, calls the library, and renders; the
//! check/diff/apply run is shared (`files`).

mod completions;
mod config;
mod explain;
pub(crate) mod files;
mod init;
mod merge;
mod mv;
mod ratchet;
mod stdin;
mod suggest;
pub(crate) mod test;

use anyhow::Context;
use reroute_run::{ExitStatus, Mode};

use crate::cli::{CheckArgs, Cli, Command};
use crate::config::{BaselineSettings, Settings, Verbosity};

/// Runs one command; returns the exit status. Errors are start-up failures (bad codemods,
/// no codemods, thread pool): the caller prints them and exits 2.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let stdout = std::io::stdout();
    let verbosity = Verbosity::of(cli.quiet, cli.verbose);
    let resolve = |mode, args: &crate::cli::RunArgs| {
        Settings::resolve(mode, &args.into(), &cwd).map(|s| s.with_verbosity(verbosity))
    };
    match cli.command {
        Command::Diff(args) => files::run(resolve(Mode::Diff, &args)?),
        Command::Apply(args) => {
            let settings = resolve(Mode::Apply, &args.run)?;
            files::run(settings.with_write(reroute_run::write::WriteOptions {
                break_hardlinks: args.break_hardlinks,
            }))
        }
        Command::Config(args) => config::run(&args, &cwd, verbosity, &mut stdout.lock()),
        Command::Check(CheckArgs {
            run,
            explain,
            baseline,
            update_baseline,
            unresolved_imports,
        }) => match explain {
            Some(code) => explain::run(&code, run.format, &mut stdout.lock()),
            None => {
                let overrides = crate::config::Overrides {
                    unresolved_imports,
                    ..(&run).into()
                };
                let settings = Settings::resolve(Mode::Check, &overrides, &cwd)
                    .map(|s| s.with_verbosity(verbosity))?;
                files::run(
                    settings.with_baseline(baseline.map(|file| BaselineSettings {
                        file: cwd.join(file),
                        update: update_baseline,
                    })),
                )
            }
        },
        Command::Merge(args) => merge::merge(&args.parts, &mut stdout.lock()),
        Command::Init(args) => init::run(&args, &cwd, &mut stdout.lock()),
        Command::Mv(args) => mv::run(&args, &cwd, verbosity),
        Command::Suggest(args) => suggest::run(&args, &cwd, &mut stdout.lock()),
        Command::Completions { shell } => completions::run(shell, &mut stdout.lock()),
        Command::Test(args) => test::run(&args, &cwd),
    }
}
