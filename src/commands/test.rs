//! `reroute test`: every codemod's `[[example]]` pairs, each run with only its own codemod
//! (compiled once per codemod), through the engine entry a run's files go through; and the
//! same entry for the fixture harness (`reroute::testing`).

use std::io::{self, Write};
use std::path::Path;

use reroute_engine::spec::Codemod;
use reroute_engine::{
    Engine, EngineOptions, FileStatus, Finding, Layout, ListedLayout, RuleSet, Stats,
};
use reroute_run::ExitStatus;

use crate::diff::unified_diff;

/// `reroute test`: the codemods `--select` names (all by default).
pub fn run(
    args: &crate::cli::CodemodArgs,
    cwd: &Path,
    source: &crate::config::ConfigSource,
) -> anyhow::Result<ExitStatus> {
    let codemods = crate::config::test_codemods(&args.into(), cwd, source)?;
    run_examples(
        &codemods,
        cwd,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    )
    .map_err(|e| anyhow::Error::new(e).context("cannot write output"))
}

/// What rewriting one example gave.
pub enum ExampleResult {
    Pass,
    /// The output that was produced instead of `after`.
    Mismatch(Vec<u8>),
    Error(String),
}

/// Rewrites `source` with `engine` as if it were a file named `example.py`, in no package.
fn rewrite_source(engine: &Engine, source: &[u8]) -> Result<Vec<u8>, String> {
    rewrite_with(
        engine,
        source,
        Path::new("/example.py"),
        &ListedLayout::default(),
    )
    .map(|(bytes, _)| bytes)
}

/// Whether a file goes through stage 2 (`lex`) first, as in a run, or is parsed whole
/// (`REROUTE_FULL_PARSE=1`): the two must give the same bytes and findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parsing {
    Staged,
    Whole,
}

/// The engine `reroute test` and the fixture harness use: what `apply` does, without
/// mentions.
fn engine(rules: RuleSet, parsing: Parsing) -> Engine {
    Engine::new(
        rules,
        EngineOptions {
            mentions: false,
            full_parse: parsing == Parsing::Whole,
            verify_whole: true,
        },
    )
}

/// Rewrites `source` as the file at `path` (absolute) in `layout`; returns the new bytes
/// and what was found. The same engine entry as a run's files.
pub fn rewrite_file(
    rules: &RuleSet,
    source: &[u8],
    path: &Path,
    layout: &dyn Layout,
    parsing: Parsing,
) -> Result<(Vec<u8>, Vec<Finding>), String> {
    rewrite_with(&engine(rules.clone(), parsing), source, path, layout)
}

fn rewrite_with(
    engine: &Engine,
    source: &[u8],
    path: &Path,
    layout: &dyn Layout,
) -> Result<(Vec<u8>, Vec<Finding>), String> {
    let result = engine.process(path, source.to_vec(), layout, &Stats::default());
    let updated = match result.status {
        FileStatus::Changed { updated, .. } => updated,
        FileStatus::Failed(error) => return Err(error.to_string()),
        FileStatus::Skipped | FileStatus::Unchanged => source.to_vec(),
    };
    Ok((updated, result.findings))
}

/// Why an example's `before` is not what it says: it must parse, unless it says
/// `syntax_error = true` (and then it must not).
fn parse_problem(example: &reroute_engine::spec::Example) -> Option<String> {
    let tree = reroute_engine::parse::parse(example.before.as_bytes())?;
    match (
        reroute_engine::parse::error_count(&tree) > 0,
        example.syntax_error,
    ) {
        (true, false) => Some(format!(
            "`before` does not parse (line {}); fix it, or add `syntax_error = true` if that is the point",
            reroute_engine::parse::first_error_line(&tree).unwrap_or(0) + 1
        )),
        (false, true) => Some(
            "`before` parses, but the example says `syntax_error = true`; remove that line"
                .to_string(),
        ),
        _ => None,
    }
}

fn run_examples(
    codemods: &[Codemod],
    cwd: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<ExitStatus> {
    let mut passed = 0;
    let mut failed = 0;
    for unmatched in reroute_run::excludes::unmatched(codemods) {
        writeln!(err, "warning: {unmatched}")?;
    }
    for codemod in codemods {
        let rules = match RuleSet::new(vec![codemod.clone()]) {
            // An example shows what the codemod writes once the project meets its version
            // tiers (`requires`), as with `--assume-upgraded`.
            Ok(mut rules) => {
                rules.hold_tiers(|_| true);
                engine(rules, Parsing::Staged)
            }
            Err(error) => {
                writeln!(err, "error: {error}")?;
                return Ok(ExitStatus::Error);
            }
        };
        let file = crate::render::display_path(&codemod.file, cwd);
        for (index, example) in codemod.examples.iter().enumerate() {
            let expected = example.after.as_deref().unwrap_or(&example.before);
            let result = match (
                parse_problem(example),
                rewrite_source(&rules, example.before.as_bytes()),
            ) {
                (Some(problem), _) => ExampleResult::Error(problem),
                (None, Ok(output)) if output == expected.as_bytes() => ExampleResult::Pass,
                (None, Ok(output)) => ExampleResult::Mismatch(output),
                (None, Err(error)) => ExampleResult::Error(error),
            };
            let name = format!(
                "{}:{}: {} example {}",
                file,
                example.location.line,
                codemod.name,
                index + 1
            );
            match result {
                ExampleResult::Pass => {
                    passed += 1;
                    writeln!(out, "ok   {name}")?;
                }
                ExampleResult::Mismatch(output) => {
                    failed += 1;
                    writeln!(
                        out,
                        "FAIL {name}: output differs from `after` (- expected, + got):"
                    )?;
                    for (_, line) in unified_diff(b"example.py", expected.as_bytes(), &output)
                        .into_iter()
                        .skip(3)
                    {
                        out.write_all(&line)?;
                    }
                }
                ExampleResult::Error(error) => {
                    failed += 1;
                    writeln!(out, "FAIL {name}: {error}")?;
                }
            }
        }
    }
    writeln!(out, "examples: {passed} passed, {failed} failed")?;
    Ok(if failed > 0 {
        ExitStatus::Pending
    } else {
        ExitStatus::Clean
    })
}
