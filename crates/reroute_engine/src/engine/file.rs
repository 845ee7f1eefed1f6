//! One file inside the engine, past the byte filter: stage 2 decides, statements are
//! planned alone or the file is parsed and planned whole, the edits are applied and the
//! result reparsed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use tree_sitter::Tree;

use super::{Engine, EngineError, FileResult, FileStatus, Warning, module_names};
use crate::analyze::FileInput;
use crate::analyze::relative::readings_of;
use crate::edit::apply_edits;
use crate::layout::Layout;
use crate::lex::{self, Decision, Place, WholeReason};
use crate::parse;
use crate::piecewise;
use crate::plan::{Plan, plan_input};
use crate::source::{self, LineIndex};
use crate::stats::{Stage, Stats};

/// One file being processed.
pub(super) struct FileContext<'a> {
    pub(super) engine: &'a Engine,
    /// As the caller gave it (may be relative).
    pub(super) path: &'a Path,
    pub(super) layout: &'a dyn Layout,
    pub(super) stats: &'a Stats,
}

/// What stage 2 made of a file.
enum Staged {
    /// Nothing in it can reach a move.
    Skip,
    /// Planned statement by statement.
    Planned(Plan),
    /// Parse and plan it whole (with its tree when stage 2 already parsed it).
    Whole(Option<Tree>),
}

impl FileContext<'_> {
    fn absolute(&self) -> PathBuf {
        std::path::absolute(self.path).unwrap_or_else(|_| self.path.to_path_buf())
    }

    /// Which comments of a long run of comment-only lines the parser must see: those that
    /// may matter to a pass (a suppression, any needle of the rules); the others are
    /// blanked in the parser's view (`parse::parse_skipping`).
    fn keep(&self) -> impl Fn(&[u8]) -> bool + '_ {
        |comment: &[u8]| {
            memchr::memmem::find(comment, b"reroute:").is_some()
                || self.engine.prefilter.may_name(comment)
        }
    }

    /// Plans and verifies the rewrite of `bytes`.
    pub(super) fn process_bytes(
        &self,
        bytes: Vec<u8>,
        result: &mut FileResult,
    ) -> Result<FileStatus, EngineError> {
        source::check_encoding(&bytes)?;
        let mut parsed = None;
        match self.staged(&bytes) {
            Staged::Skip => return Ok(FileStatus::Unchanged),
            Staged::Planned(plan) => {
                let edits = plan.edits.len();
                let updated = apply_edits(&bytes, &plan.edits)?;
                if edits == 0 || updated == bytes {
                    keep(result, plan);
                    return Ok(FileStatus::Unchanged);
                }
                // `apply` parses the rewritten file whole: clean, the file had no syntax
                // error either (the pieces changed only lines that parse alone), and the
                // whole-file path would plan the same. Otherwise that path decides,
                // warnings and all.
                let started = Instant::now();
                let clean = !self.engine.options.verify_whole
                    || verify(&bytes, &plan, 0, None, &self.keep()).is_ok();
                self.stats.time(Stage::Verify, started);
                if clean {
                    keep(result, plan);
                    Stats::count(&self.stats.changed);
                    return Ok(FileStatus::Changed {
                        original: bytes,
                        updated,
                        edits,
                    });
                }
            }
            Staged::Whole(tree) => parsed = tree,
        }
        let started = Instant::now();
        let (mut plan, errors_before, tree) = self.plan_file(&bytes, parsed, true, result)?;
        self.stats.time(Stage::Plan, started);
        let started = Instant::now();
        let mut verified = verify(&bytes, &plan, errors_before, Some(tree), &self.keep());
        if matches!(verified, Err(EngineError::IntroducedSyntaxErrors { .. })) && errors_before > 0
        {
            // An import planned on its own inside a syntax error did not fit back in:
            // those are reported instead, and the rest of the file is still rewritten.
            result
                .warnings
                .retain(|w| !matches!(w, Warning::SyntaxError { .. }));
            let tree;
            (plan, _, tree) = self.plan_file(&bytes, None, false, result)?;
            verified = verify(&bytes, &plan, errors_before, Some(tree), &self.keep());
        }
        self.stats.time(Stage::Verify, started);
        let edits = plan.edits.len();
        keep(result, plan);
        let updated = verified?;
        if edits == 0 || updated == bytes {
            return Ok(FileStatus::Unchanged);
        }
        Stats::count(&self.stats.changed);
        Ok(FileStatus::Changed {
            original: bytes,
            updated,
            edits,
        })
    }

    /// Asks stage 2 (`lex`) about `bytes` and plans them statement by statement when it can.
    fn staged(&self, bytes: &[u8]) -> Staged {
        let stats = self.stats;
        let rules = &self.engine.rules;
        let asked = (!self.engine.options.full_parse)
            .then_some(&self.engine.lexicon)
            .filter(|_| declares_utf8(bytes) && !self.engine.may_be_moved_file(self.path));
        let Some(lexicon) = asked else {
            Stats::count(&stats.whole_unasked);
            return Staged::Whole(None);
        };
        let started = Instant::now();
        let absolute = self.absolute();
        let (module, package) = module_names(self.path);
        let location = self.layout.locate(&absolute);
        let readings = readings_of(location.as_ref(), module.as_ref(), package.as_ref());
        let place = Place {
            readings: &readings,
            located: location.is_some(),
        };
        let decision = lex::decide(bytes, lexicon, rules, &place);
        stats.time(Stage::Lex, started);
        let pieces = match decision {
            Decision::Skip => {
                Stats::count(&stats.lexer_skipped);
                return Staged::Skip;
            }
            Decision::Whole(reason) => {
                stats.whole(reason);
                return Staged::Whole(None);
            }
            Decision::Statements(pieces) => pieces,
            Decision::UnlessErrors(pieces) => {
                let started = Instant::now();
                let tree = parse::parse_skipping(bytes, &self.keep());
                stats.time(Stage::Plan, started);
                Stats::count(&stats.parsed_for_errors);
                if tree
                    .as_ref()
                    .is_none_or(|tree| parse::error_count(tree) > 0)
                {
                    // Planned whole, from the tree just built.
                    stats.whole(WholeReason::Text);
                    return Staged::Whole(tree);
                }
                if pieces.is_empty() {
                    Stats::count(&stats.lexer_skipped);
                    return Staged::Skip;
                }
                pieces
            }
        };
        let started = Instant::now();
        let active = rules.active_for(&absolute);
        let piece_context = piecewise::Context {
            rules,
            active: &active,
            module,
            package,
            location,
        };
        let planned = piecewise::plan_statements(&piece_context, bytes, &pieces);
        stats.time(Stage::Plan, started);
        match planned {
            Some(plan) => {
                Stats::count(&stats.by_statement);
                Staged::Planned(plan)
            }
            None => {
                stats.whole(WholeReason::Shape);
                Staged::Whole(None)
            }
        }
    }

    /// Parses and plans `bytes`; returns the plan and the file's syntax error count.
    fn plan_file(
        &self,
        bytes: &[u8],
        parsed: Option<Tree>,
        rewrite_in_errors: bool,
        result: &mut FileResult,
    ) -> Result<(Plan, usize, Tree), EngineError> {
        // The tree is kept for the reparse of the rewritten file (incremental: what did not
        // change is reused, not parsed again).
        let tree = match parsed {
            Some(tree) => tree,
            None => parse::parse_skipping(bytes, &self.keep()).ok_or(EngineError::Parse)?,
        };
        let errors_before = parse::error_count(&tree);
        if errors_before > 0 {
            let line = parse::first_error_line(&tree).unwrap_or(0) + 1;
            result.warnings.push(Warning::SyntaxError { line });
        }
        let lines = LineIndex::new(bytes);
        let absolute = self.absolute();
        let rules = &self.engine.rules;
        let active = rules.active_for(&absolute);
        let (module, package) = module_names(self.path);
        let location = self.layout.locate(&absolute);
        let plan = plan_input(FileInput {
            bytes,
            tree: &tree,
            lines: &lines,
            rules,
            active: &active,
            module,
            package,
            location,
            is_utf8: declares_utf8(bytes),
            mentions: self.engine.options.mentions,
            rewrite_in_errors,
            disk: Some((&absolute, self.layout)),
        });
        Ok((plan, errors_before, tree))
    }
}

/// Moves the plan's findings and rewrites into the result.
fn keep(result: &mut FileResult, plan: Plan) {
    result.findings = plan.findings;
    result.rewrites = plan.rewrites;
    result.edits = plan.edits;
}

/// The largest file `verify` reparses incrementally (bytes).
const INCREMENTAL_LIMIT: usize = 1 << 18;

/// Applies the plan and reparses (incrementally from `tree`, the tree of `bytes`, when
/// given and the file is at most `INCREMENTAL_LIMIT` long): the rewritten bytes, unless they parse with more errors than the file had.
fn verify(
    bytes: &[u8],
    plan: &Plan,
    errors_before: usize,
    tree: Option<Tree>,
    keep: &dyn Fn(&[u8]) -> bool,
) -> Result<Vec<u8>, EngineError> {
    if plan.edits.is_empty() {
        return Ok(Vec::new());
    }
    let updated = apply_edits(bytes, &plan.edits)?;
    // An incremental reparse keeps the old tree alive beside the new one, and an edit
    // near the top of a long flat module rebuilds most of its nodes: past
    // `INCREMENTAL_LIMIT`, the old tree is dropped first and the file parsed afresh, so
    // that at most one tree of it is alive.
    let new_tree = match tree.filter(|_| bytes.len() <= INCREMENTAL_LIMIT) {
        Some(tree) => parse::reparse_skipping(tree, bytes, &updated, &plan.edits, keep),
        None => parse::parse_skipping(&updated, keep),
    }
    .ok_or(EngineError::Parse)?;
    let errors_after = parse::error_count(&new_tree);
    if errors_after > errors_before {
        return Err(EngineError::IntroducedSyntaxErrors {
            before: errors_before,
            after: errors_after,
            line: parse::first_error_line(&new_tree).unwrap_or(0) + 1,
        });
    }
    Ok(updated)
}

/// True unless the file's coding cookie names something other than UTF-8.
fn declares_utf8(bytes: &[u8]) -> bool {
    source::declared_encoding(bytes).is_none_or(|name| {
        let name = name.to_ascii_lowercase().replace('_', "-");
        matches!(name.as_str(), "utf-8" | "utf8" | "utf-8-sig" | "u8")
    })
}
