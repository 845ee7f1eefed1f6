//! The one wording of a finding, shared by every format: `pkg.old -> pkg.new` (`pkg.old`
//! alone for an unresolved import, which has no new home), then, when it
//! is not a plain rewrite, its tag (`[code]`, `[suppressed]`, `[mention in string]`) and the
//! reason or note. The text format prints it after `path:line:col: codemod/n: ` (as the
//! README's "Output" shows); github, junit and sarif carry the same words in their own
//! envelopes.

use reroute_engine::{Finding, Fix};

/// What follows `old -> new` for a finding that is not a plain rewrite: the tag in
/// brackets, and the reason or note after it.
pub struct Tail {
    /// `[code]`, `[suppressed]` or `[mention in SITE]`.
    pub tag: String,
    /// The reason (manual) or the note's text.
    pub text: Option<String>,
    /// Which colour the tag takes in the text format.
    pub kind: TagKind,
}

/// What a tag says, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    Reason,
    Note,
    Plain,
}

/// The tag and text after `old -> new`; `None` for a reference `apply` rewrites.
pub fn tail(finding: &Finding) -> Option<Tail> {
    let (tag, text, kind) = match &finding.fix {
        Fix::Rewritten => return None,
        Fix::Manual(reason) => (
            format!("[{}]", reason.code()),
            Some(reason.to_string()),
            TagKind::Reason,
        ),
        Fix::Suppressed => ("[suppressed]".to_string(), None, TagKind::Plain),
        Fix::Mention => (
            format!("[mention in {}]", finding.site.name()),
            None,
            TagKind::Plain,
        ),
        Fix::Note(note) => (
            format!("[{}]", note.code()),
            Some(note.to_string()),
            TagKind::Note,
        ),
    };
    Some(Tail { tag, text, kind })
}

/// What follows `old -> `: the new path, or for a removed name whose `replace` expression
/// `apply` writes, a pointer to the diff; `None` when nothing says where it went.
pub fn new_text(finding: &Finding) -> Option<String> {
    match (&finding.new, &finding.fix) {
        (Some(new), _) => Some(new.to_string()),
        (None, Fix::Rewritten) => Some("(an expression, see the diff)".to_string()),
        (None, _) => None,
    }
}

/// `pkg.old -> pkg.new [code] reason`: a finding's words, without colour.
pub fn message(finding: &Finding) -> String {
    let head = match new_text(finding) {
        Some(new) => format!("{} -> {new}", finding.old),
        None => finding.old.to_string(),
    };
    match tail(finding) {
        None => head,
        Some(Tail {
            tag, text: None, ..
        }) => format!("{head} {tag}"),
        Some(Tail {
            tag,
            text: Some(text),
            ..
        }) => format!("{head} {tag} {text}"),
    }
}
