//! `reroute test`: every codemod's `[[example]]` pairs, each run with only its own codemod.

use std::io::{self, Write};
use std::path::Path;

use crate::diff::unified_diff;
use crate::modules::ModuleResolver;
use crate::plan::Finding;
use crate::prefilter::Prefilter;
use crate::process::{FileOutcome, FileStatus, ProcessContext, process_bytes};
use crate::report::ExitStatus;
use crate::ruleset::RuleSet;
use crate::spec::Codemod;

/// What rewriting one example gave.
pub enum ExampleResult {
    Pass,
    /// The output that was produced instead of `after`.
    Mismatch(Vec<u8>),
    Error(String),
}

/// Rewrites `source` with `rules` as if it were a file named `example.py`, in no package.
pub fn rewrite_source(rules: &RuleSet, source: &[u8]) -> Result<Vec<u8>, String> {
    let modules = ModuleResolver::with_packages(Vec::new(), Vec::new());
    rewrite_file(
        rules,
        source,
        Path::new("/example.py"),
        &modules,
        Parsing::Staged,
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

/// Rewrites `source` as the file at `path` (absolute) in the layout `modules` describes;
/// returns the new bytes and what was found.
pub fn rewrite_file(
    rules: &RuleSet,
    source: &[u8],
    path: &Path,
    modules: &ModuleResolver,
    parsing: Parsing,
) -> Result<(Vec<u8>, Vec<Finding>), String> {
    let prefilter = Prefilter::pass_all();
    let lexicon = crate::lex::Lexicon::new(rules, false);
    let stats = crate::stats::Stats::default();
    let context = ProcessContext {
        rules,
        prefilter: &prefilter,
        modules,
        mentions: false,
        max_file_size: u64::MAX,
        base: Path::new("/"),
        lexicon: (parsing == Parsing::Staged).then_some(&lexicon),
        verify_whole: true,
        stats: &stats,
    };
    let mut outcome = FileOutcome {
        path: path.to_path_buf(),
        status: FileStatus::Skipped,
        findings: Vec::new(),
        warnings: Vec::new(),
        stamp: None,
    };
    let updated = match process_bytes(&context, path, source.to_vec(), &mut outcome) {
        Ok(FileStatus::Changed { updated, .. }) => updated,
        Ok(_) => source.to_vec(),
        Err(error) => return Err(error.to_string()),
    };
    Ok((updated, outcome.findings))
}

/// Why an example's `before` is not what it says: it must parse, unless it says
/// `syntax_error = true` (and then it must not).
fn parse_problem(example: &crate::spec::Example) -> Option<String> {
    let tree = crate::parse::parse(example.before.as_bytes())?;
    match (crate::parse::error_count(&tree) > 0, example.syntax_error) {
        (true, false) => Some(format!(
            "`before` does not parse (line {}); fix it, or add `syntax_error = true` if that is the point",
            crate::parse::first_error_line(&tree).unwrap_or(0) + 1
        )),
        (false, true) => Some(
            "`before` parses, but the example says `syntax_error = true`; remove that line"
                .to_string(),
        ),
        _ => None,
    }
}

pub fn run_examples(
    codemods: &[Codemod],
    cwd: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<ExitStatus> {
    let mut passed = 0;
    let mut failed = 0;
    for codemod in codemods {
        let rules = match RuleSet::new(vec![codemod.clone()]) {
            Ok(rules) => rules,
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
