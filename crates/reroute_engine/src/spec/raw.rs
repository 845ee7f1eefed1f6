//! Serde shapes of a codemod file, exactly as written; validation happens in `spec::load`.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpec {
    #[serde(default)]
    pub description: Option<String>,
    /// The codemod-wide default of every entry's `requires`.
    #[serde(default)]
    pub requires: Option<Spanned<String>>,
    #[serde(default, rename = "move")]
    pub moves: Vec<RawMove>,
    #[serde(default, rename = "remove")]
    pub removes: Vec<RawRemove>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    #[serde(default, rename = "example")]
    pub examples: Vec<RawExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMove {
    pub from: Spanned<OneOrMany>,
    pub to: Spanned<String>,
    #[serde(default)]
    pub strings: bool,
    #[serde(default)]
    pub rename_usages: bool,
    #[serde(default)]
    pub mentions: bool,
    /// `"module"`, `"symbol"` or `"auto"` (absent: auto).
    #[serde(default)]
    pub kind: RawKind,
    /// `"numpy>=2"`: the new name exists only from that version on.
    #[serde(default)]
    pub requires: Option<Spanned<String>>,
    /// The new home is an attribute of its package (its `__init__` imports it): spell it
    /// through a bound alias instead of importing it.
    #[serde(default)]
    pub attribute_of_parent: bool,
}

/// `[[remove]]`: a name that is gone, with what to do instead, or an expression that
/// replaces its uses.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRemove {
    pub from: Spanned<OneOrMany>,
    pub message: Spanned<String>,
    /// `"-{root}.inf"`: the expression that replaces a use; `{root}` is how the use spells
    /// the module.
    #[serde(default)]
    pub replace: Option<Spanned<String>>,
    #[serde(default)]
    pub requires: Option<Spanned<String>>,
}

/// What a move's `from` names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawKind {
    Module,
    Symbol,
    #[default]
    Auto,
}

/// `from = "a.old"` or `from = ["a.old", "a.reexported"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    /// The items, each with where it is written: `text` is the spec and `whole` the span
    /// of the value (serde's untagged enums lose inner spans, so a list item is found as
    /// the next occurrence of its text inside the list; used for messages only).
    pub fn items(
        &self,
        text: &str,
        whole: std::ops::Range<usize>,
    ) -> Vec<(&str, std::ops::Range<usize>)> {
        match self {
            OneOrMany::One(one) => vec![(one.as_str(), whole)],
            OneOrMany::Many(many) => {
                let list = text.get(whole.clone()).unwrap_or("");
                let mut from = 0;
                many.iter()
                    .map(|item| {
                        let at = list[from..].find(item.as_str()).map(|i| from + i);
                        let start = at.map_or(whole.start, |at| whole.start + at - 1);
                        if let Some(at) = at {
                            from = at + item.len();
                        }
                        (item.as_str(), start..start + item.len() + 2)
                    })
                    .collect()
            }
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExample {
    pub before: Spanned<String>,
    /// Absent: the example must stay unchanged.
    #[serde(default)]
    pub after: Option<String>,
    /// `before` does not parse, on purpose.
    #[serde(default)]
    pub syntax_error: bool,
}
