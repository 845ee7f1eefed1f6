//! Serde shapes of a codemod file, exactly as written; validation happens in `spec::load`.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpec {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, rename = "move")]
    pub moves: Vec<RawMove>,
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
}

/// `from = "a.old"` or `from = ["a.old", "a.reexported"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn items(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(one) => vec![one.as_str()],
            OneOrMany::Many(many) => many.iter().map(String::as_str).collect(),
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
}
