//! One file per command. Each resolves its settings, calls the library, and renders; the
//! check/diff/apply run is shared (`files`).

mod completions;
mod config;
mod explain;
pub(crate) mod files;
mod init;
mod interactive;
mod list;
mod lsp;
mod merge;
mod mv;
mod ratchet;
mod stdin;
mod suggest;
pub(crate) mod test;

use anyhow::Context;
use reroute_run::{ExitStatus, Mode};

use crate::cli::{CheckArgs, Cli, Command};
use crate::config::{BaselineSettings, ConfigSource, Overrides, Settings, Verbosity};

/// Runs one command; returns the exit status. Errors are start-up failures (bad codemods,
/// no codemods, thread pool): the caller prints them and exits 2.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let stdout = std::io::stdout();
    let verbosity = Verbosity::of(cli.quiet, cli.verbose);
    let source = match (&cli.config, cli.isolated) {
        (Some(file), _) => ConfigSource::File(cwd.join(file)),
        (None, true) => ConfigSource::Isolated,
        (None, false) => ConfigSource::Discover,
    };
    let resolve = |mode, args: &crate::cli::RunArgs| {
        let overrides = Overrides {
            config: source.clone(),
            ..args.into()
        };
        Settings::resolve(mode, &overrides, &cwd).map(|s| s.with_verbosity(verbosity))
    };
    match cli.command {
        Command::Diff(args) => files::run(resolve(Mode::Diff, &args)?),
        Command::Apply(args) => {
            let settings =
                resolve(Mode::Apply, &args.run)?.with_write(reroute_run::write::WriteOptions {
                    break_hardlinks: args.break_hardlinks,
                });
            if args.interactive {
                interactive::run(settings)
            } else {
                files::run(settings)
            }
        }
        Command::Config(args) => config::run(&args, &cwd, &source, verbosity, &mut stdout.lock()),
        Command::Check(CheckArgs {
            run,
            explain,
            baseline,
            update_baseline,
            unresolved_imports,
        }) => match explain {
            Some(code) => explain::run(&code, run.format, &mut stdout.lock()),
            None => {
                let overrides = Overrides {
                    unresolved_imports,
                    config: source.clone(),
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
        Command::Merge(args) => {
            let file = args.output_file.as_ref().map(|f| cwd.join(f));
            let mut out = crate::render::ReportOut::open(file.as_deref())?;
            let exit = merge::merge(&args.parts, args.format, &cwd, &mut out)?;
            out.finish()?;
            Ok(exit)
        }
        Command::Init(args) => init::run(&args, &cwd, &source, &mut stdout.lock()),
        Command::Mv(args) => mv::run(&args, &cwd, &source, verbosity),
        Command::Suggest(args) => suggest::run(&args, &cwd, &source, &mut stdout.lock()),
        Command::Lsp => lsp::run(&cwd, &source),
        Command::List => list::run(&mut stdout.lock()),
        Command::Completions { shell } => completions::run(shell, &mut stdout.lock()),
        Command::Test(args) => test::run(&args, &cwd, &source),
    }
}
