//! One document through the engine: its findings as diagnostics, and the code actions that
//! carry out one rewrite or every rewrite of the file (what `apply` writes).

use std::path::Path;

use serde_json::{Value, json};

use reroute_engine::edit::{Edit, apply_edits};
use reroute_engine::{Engine, FileResult, FileStatus, Fix, Layout, Stats, rewrite_groups};

use super::document::{Document, Encoding};

/// The engine's result for the document at `path`.
pub fn analyze(engine: &Engine, layout: &dyn Layout, path: &Path, doc: &Document) -> FileResult {
    engine.process(
        path,
        doc.text.as_bytes().to_vec(),
        layout,
        &Stats::default(),
    )
}

/// The diagnostics of a result: every finding but suppressed ones and mentions.
pub fn diagnostics(result: &FileResult, doc: &Document, encoding: Encoding) -> Vec<Value> {
    let mut found = Vec::new();
    for finding in &result.findings {
        let (severity, code) = match &finding.fix {
            Fix::Rewritten => (2, "moved-path"),
            Fix::Manual(reason) => (2, reason.code()),
            Fix::Note(note) => (3, note.code()),
            Fix::Suppressed | Fix::Mention => continue,
        };
        let end = name_end(doc.text.as_bytes(), finding.offset);
        let head = match &finding.new {
            Some(new) => format!("{} -> {new}", finding.old),
            None => finding.old.to_string(),
        };
        let message = match &finding.fix {
            Fix::Manual(reason) => format!("{head}: {reason}"),
            Fix::Note(note) => format!("{head}: {note}"),
            _ => format!("{head} (deprecated path; `reroute apply` rewrites it)"),
        };
        found.push(json!({
            "range": doc.range(finding.offset, end, encoding),
            "severity": severity,
            "code": code,
            "source": "reroute",
            "message": message,
        }));
    }
    found
}

/// The end of the dotted name that starts at `offset` (at least one byte further).
fn name_end(bytes: &[u8], offset: usize) -> usize {
    let run = bytes[offset.min(bytes.len())..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b >= 0x80)
        .count();
    (offset + run.max(1)).min(bytes.len())
}

/// The code actions for the lines `lines` of the document: one per group of rewrites to be
/// carried out together (an import with the uses that follow it) with a finding there, when
/// its edits alone reparse with no more syntax errors than the file has; and "fix all" when
/// the file changes (its text is what `apply` writes).
pub fn code_actions(
    result: &FileResult,
    doc: &Document,
    uri: &str,
    lines: std::ops::RangeInclusive<usize>,
    encoding: Encoding,
) -> Vec<Value> {
    let bytes = doc.text.as_bytes();
    let errors_before = reroute_engine::parse::errors_in(bytes);
    let mut actions = Vec::new();
    for group in rewrite_groups(&result.rewrites) {
        let members: Vec<&reroute_engine::Rewrite> =
            group.iter().map(|&i| &result.rewrites[i]).collect();
        let findings: Vec<&reroute_engine::Finding> = members
            .iter()
            .flat_map(|r| r.findings.iter().map(|&i| &result.findings[i]))
            .collect();
        let here = findings.iter().any(|f| lines.contains(&(f.line - 1)));
        let Some(first) = findings.first() else {
            continue;
        };
        if !here || findings.iter().any(|f| f.fix != Fix::Rewritten) {
            continue;
        }
        let mut indices: Vec<usize> = members
            .iter()
            .flat_map(|r| r.edits.iter().copied())
            .collect();
        indices.sort_unstable();
        let edits: Vec<Edit> = indices.iter().map(|&i| result.edits[i].clone()).collect();
        if edits.is_empty() {
            continue;
        }
        let clean = apply_edits(bytes, &edits)
            .is_ok_and(|updated| reroute_engine::parse::errors_in(&updated) <= errors_before);
        if !clean {
            continue;
        }
        let title = match &first.new {
            Some(new) => format!("reroute: rewrite {} -> {new}", first.old),
            None => format!("reroute: rewrite {}", first.old),
        };
        let text_edits: Vec<Value> = edits
            .iter()
            .map(|edit| {
                json!({
                    "range": doc.range(edit.range.start, edit.range.end, encoding),
                    "newText": String::from_utf8_lossy(&edit.replacement),
                })
            })
            .collect();
        actions.push(action(&title, "quickfix", uri, doc, text_edits));
    }
    if let FileStatus::Changed { updated, .. } = &result.status
        && let Ok(text) = std::str::from_utf8(updated)
    {
        let whole = json!({
            "range": doc.range(0, bytes.len(), encoding),
            "newText": text,
        });
        actions.push(action(
            "reroute: fix all in file",
            "source.fixAll.reroute",
            uri,
            doc,
            vec![whole],
        ));
    }
    actions
}

fn action(title: &str, kind: &str, uri: &str, doc: &Document, edits: Vec<Value>) -> Value {
    json!({
        "title": title,
        "kind": kind,
        "edit": {"documentChanges": [{
            "textDocument": {"uri": uri, "version": doc.version},
            "edits": edits,
        }]},
    })
}
