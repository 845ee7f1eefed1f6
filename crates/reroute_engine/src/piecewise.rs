//! Planning a file one statement at a time, when stage 2 (`lex`) found that every
//! reference is a from-import standing alone on its lines (at module level, or indented
//! in a block that does not change how it is planned): each statement's lines are parsed
//! and planned as a file of their own, with the file's rules, module and location, then
//! reparsed rewritten; edits and findings are moved back to their place in the file. The
//! rest of the file is never parsed.
//!
//! The result equals planning the whole file (the fixtures and `bench/speed.py` run both
//! ways; `REROUTE_FULL_PARSE=1` forces the whole-file path). A statement that does not
//! parse clean on its own, or whose rewrite does not, sends the file to the whole-file
//! path.

use std::ops::Range;

use crate::analyze::FileInput;
use crate::edit::{Edit, apply_edits};
use crate::layout::ModuleLocation;
use crate::parse;
use crate::plan::{Finding, Plan, Rewrite, plan_input};
use crate::ruleset::{RuleFilter, RuleSet};
use crate::source::LineIndex;
use crate::spec::DottedPath;

/// What a statement is planned with: the file's facts, as the whole-file path has them.
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    pub active: &'a RuleFilter,
    pub module: Option<DottedPath>,
    pub package: Option<DottedPath>,
    pub location: Option<ModuleLocation>,
}

/// The plan for `bytes` made statement by statement, or `None` when some statement (or
/// its rewrite) does not parse clean alone.
pub fn plan_statements(
    context: &Context<'_>,
    bytes: &[u8],
    pieces: &[Range<usize>],
) -> Option<Plan> {
    let lines = LineIndex::new(bytes);
    let mut edits: Vec<Edit> = Vec::new();
    let mut findings: Vec<Finding> = Vec::new();
    let mut rewrites: Vec<Rewrite> = Vec::new();
    for piece in pieces {
        let (text, wrapper) = wrapped(&bytes[piece.clone()]);
        let planned = plan_piece(context, &text)?;
        if !planned.edits.is_empty() {
            let rewritten = apply_edits(&text, &planned.edits).ok()?;
            let tree = parse::parse(&rewritten)?;
            if parse::error_count(&tree) > 0 {
                return None;
            }
        }
        // Offsets in the piece's text → offsets in the file.
        let place = |offset: usize| (offset + piece.start).checked_sub(wrapper);
        let base = rewrites.len();
        rewrites.extend(planned.rewrites.into_iter().map(|r| Rewrite {
            findings: r.findings.iter().map(|f| f + findings.len()).collect(),
            edits: r.edits.iter().map(|e| e + edits.len()).collect(),
            together: r.together.iter().map(|t| t + base).collect(),
        }));
        for mut edit in planned.edits {
            edit.range = place(edit.range.start)?..place(edit.range.end)?;
            edits.push(edit);
        }
        for mut finding in planned.findings {
            finding.offset = place(finding.offset)?;
            (finding.line, finding.column) = lines.line_col(bytes, finding.offset);
            findings.push(finding);
        }
    }
    Some(Plan {
        edits,
        findings,
        rewrites,
        survey: Vec::new(),
    })
}

/// The text a piece is parsed as, and how many bytes were put before it: an indented
/// statement (in a function, a class, a `with` or a plain `if`) is planned inside
/// `if 1:`, with the piece's own line ending, so that it keeps its indentation and a
/// statement placed after it takes the same.
fn wrapped(piece: &[u8]) -> (std::borrow::Cow<'_, [u8]>, usize) {
    if !piece
        .first()
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\x0c'))
    {
        return (std::borrow::Cow::Borrowed(piece), 0);
    }
    let ending: &[u8] = if piece.ends_with(b"\r\n") {
        b"\r\n"
    } else if piece.ends_with(b"\r") {
        b"\r"
    } else {
        b"\n"
    };
    let mut text = b"if 1:".to_vec();
    text.extend_from_slice(ending);
    let wrapper = text.len();
    text.extend_from_slice(piece);
    (std::borrow::Cow::Owned(text), wrapper)
}

/// One statement's lines planned as a file; `None` when they do not parse clean.
fn plan_piece(context: &Context<'_>, text: &[u8]) -> Option<Plan> {
    let tree = parse::parse(text)?;
    if parse::error_count(&tree) > 0 {
        return None;
    }
    let lines = LineIndex::new(text);
    Some(plan_input(FileInput {
        bytes: text,
        tree: &tree,
        lines: &lines,
        rules: context.rules,
        active: context.active,
        module: context.module.clone(),
        package: context.package.clone(),
        location: context.location.clone(),
        is_utf8: true,
        mentions: false,
        rewrite_in_errors: false,
        disk: None,
    }))
}
