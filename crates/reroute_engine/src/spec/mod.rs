//! Loading codemod specs: TOML files → validated [`Codemod`]s with typed moves.
//!
//! Every error names the spec file, the line and column, and the key, with a hint.

mod chunks;
mod exclude;
pub mod path;
mod raw;
pub mod requires;
pub mod template;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use exclude::{ExcludePattern, Excludes};
use thiserror::Error;

pub use path::{DottedPath, Identifier};
pub use requires::{Declared, Requirement, Version};
pub use template::Template;

/// Names one move: the codemod's file stem and the move's 1-based index (`state-persistence/2`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId {
    /// The codemod's name (its file stem).
    pub codemod: Arc<str>,
    /// The move's index in its codemod.
    pub index: usize,
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.codemod, self.index)
    }
}

/// Where something was written in a spec file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecLocation {
    /// The codemod file (shared by every location in it).
    pub file: Arc<Path>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl fmt::Display for SpecLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One validated move: `from` (and everything under it) is now spelled `to`.
#[derive(Debug, Clone)]
pub struct Move {
    /// Codemod name and index.
    pub id: RuleId,
    /// The old path.
    pub from: DottedPath,
    /// The new path.
    pub to: DottedPath,
    /// Also rewrite string literals in known target positions (`mock.patch("…")`).
    pub strings: bool,
    /// Bind the new name (no `as`) and rename every use of the binding.
    pub rename_usages: bool,
    /// Also rewrite other strings, docstrings and comments that spell the path.
    pub mentions: bool,
    /// What `from` names: a module (it and everything under it moved), a symbol (the name
    /// as bound in its parent moved; a module of the same name did not), or auto (decided
    /// from the tree: `RuleSet::mark_symbol_moves`).
    pub kind: MoveKind,
    /// The version from which the new name exists (`requires = "numpy>=2"`): until the
    /// project declares it, references are notes, not rewrites.
    pub requires: Option<Requirement>,
    /// The new home is an attribute of its package (`attribute_of_parent = true`): a use
    /// through a bound alias is spelled through it (`np.char.chararray`).
    pub attribute_of_parent: bool,
    /// Rewrite to `to`, or (a `[[remove]]`) report, or replace uses by an expression.
    pub action: Action,
    /// Where it is written.
    pub location: SpecLocation,
}

impl Move {
    /// True for a `[[remove]]` entry: its `to` is a placeholder no reference is ever
    /// rewritten to.
    pub fn is_removal(&self) -> bool {
        !matches!(self.action, Action::Rewrite)
    }

    /// A `[[remove]]` entry's message (what to do instead).
    pub fn removal_message(&self) -> Option<&str> {
        match &self.action {
            Action::Rewrite => None,
            Action::Remove { message } | Action::Replace { message, .. } => Some(message),
        }
    }
}

/// What a move does to a reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Spell it as `to`.
    Rewrite,
    /// `[[remove]]`: the name is gone; every reference is reported with `message`.
    Remove {
        /// What to do instead.
        message: String,
    },
    /// `[[remove]]` with `replace`: a use in expression position becomes `template`;
    /// an import of the name is reported with `message`.
    Replace {
        /// The expression.
        template: Template,
        /// What to do instead, for the sites that cannot be rewritten.
        message: String,
    },
}

/// The first segment of the placeholder `to` of a `[[remove]]` entry.
pub const REMOVED_PLACEHOLDER: &str = "__reroute_removed__";

/// What a move's `from` names (`kind = …`).
pub type MoveKind = raw::RawKind;

/// A `[[example]]` pair checked by `reroute test`.
#[derive(Debug, Clone)]
pub struct Example {
    /// The source before.
    pub before: String,
    /// `None`: the example must stay unchanged.
    pub after: Option<String>,
    /// `before` is meant not to parse (`syntax_error = true`); otherwise it must.
    pub syntax_error: bool,
    /// Where it is written.
    pub location: SpecLocation,
}

/// One codemod file, validated.
#[derive(Debug, Clone)]
pub struct Codemod {
    /// The file stem; what `--select`, suppressions and rule ids name.
    pub name: Arc<str>,
    /// The codemod file.
    pub file: PathBuf,
    /// What the codemod says it does.
    pub description: Option<String>,
    /// Its moves, in file order.
    pub moves: Vec<Move>,
    /// Files it does not apply to (gitignore syntax, relative to `root`).
    pub exclude: Excludes,
    /// The folder `exclude` patterns are relative to (set by the loader; see
    /// `settings::project_root`).
    pub root: PathBuf,
    /// Its `[[example]]` pairs.
    pub examples: Vec<Example>,
}

impl Codemod {
    /// True when the file at `absolute_path` is excluded from this codemod.
    pub fn is_excluded(&self, absolute_path: &Path) -> bool {
        match absolute_path.strip_prefix(&self.root) {
            Ok(relative) => self.exclude.is_match(relative),
            Err(_) => self.exclude.is_match(absolute_path),
        }
    }
}

/// Why a codemod could not be loaded; every variant names the file (and line).
#[derive(Debug, Error)]
pub enum SpecError {
    /// The codemod is not UTF-8.
    #[error("{location}: not UTF-8; save the codemod as UTF-8 (TOML files must be)")]
    NotUtf8 {
        /// Where.
        location: SpecLocation,
    },
    /// The file could not be read.
    #[error("{file}: cannot read codemod: {source}")]
    Read {
        /// The codemod file.
        file: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not valid TOML, or not the codemod shape.
    #[error("{location}: {message}")]
    Syntax {
        /// Where.
        location: SpecLocation,
        /// What is wrong.
        message: String,
    },
    /// A `from` or `to` is not a dotted path.
    #[error("{location}: `{key}` = {value:?} is not a dotted Python name; {hint}")]
    InvalidPath {
        /// Where.
        location: SpecLocation,
        /// Which key.
        key: &'static str,
        /// The value written.
        value: String,
        /// What a valid value looks like.
        hint: &'static str,
    },
    /// A move to itself.
    #[error("{location}: `from` and `to` are the same path {path}; remove this move")]
    SameFromTo {
        /// Where.
        location: SpecLocation,
        /// The path.
        path: String,
    },
    /// Two moves claim the same `from`.
    #[error("{location}: `from` = {path:?} is already moved at {first}; keep one move per `from`")]
    DuplicateFrom {
        /// Where.
        location: SpecLocation,
        /// The path.
        path: String,
        /// Where it was claimed first.
        first: SpecLocation,
    },
    /// Moves that lead back to where they started.
    #[error("{location}: moves form a loop: {chain}; remove one of these moves")]
    Loop {
        /// Where.
        location: SpecLocation,
        /// The moves of the loop.
        chain: String,
    },
    /// A value that is not of the form its key takes.
    #[error("{location}: `{key}` = {value:?} is not valid; {hint}")]
    InvalidValue {
        /// Where.
        location: SpecLocation,
        /// Which key.
        key: &'static str,
        /// The value written.
        value: String,
        /// What a valid value looks like.
        hint: &'static str,
    },
    /// An `exclude` pattern that does not compile.
    #[error("{location}: `exclude` glob {glob:?} is invalid: {message}")]
    InvalidGlob {
        /// Where.
        location: SpecLocation,
        /// The pattern.
        glob: String,
        /// What is wrong.
        message: String,
    },
    #[error(
        "{file}: codemod has no [[move]] or [[remove]]; add one like\n  [[move]]\n  from = \"pkg.old_mod\"\n  to = \"pkg.new_mod\""
    )]
    /// The codemod declares no move.
    NoMoves {
        /// The codemod file.
        file: PathBuf,
    },
}

impl SpecError {
    /// Where in the codemod the error is (file, line, column); `None` for errors of the
    /// whole file (unreadable, no move).
    pub fn location(&self) -> Option<&SpecLocation> {
        match self {
            SpecError::NotUtf8 { location }
            | SpecError::Syntax { location, .. }
            | SpecError::InvalidPath { location, .. }
            | SpecError::InvalidValue { location, .. }
            | SpecError::SameFromTo { location, .. }
            | SpecError::DuplicateFrom { location, .. }
            | SpecError::Loop { location, .. }
            | SpecError::InvalidGlob { location, .. } => Some(location),
            SpecError::Read { .. } | SpecError::NoMoves { .. } => None,
        }
    }

    /// The codemod file the error is in.
    pub fn file(&self) -> &Path {
        match self {
            SpecError::Read { file, .. } | SpecError::NoMoves { file } => file,
            _ => self
                .location()
                .map_or(Path::new(""), |location| &location.file),
        }
    }
}

/// Loads and validates one codemod file.
pub fn load_file(file: &Path) -> Result<Codemod, SpecError> {
    let bytes = std::fs::read(file).map_err(|source| SpecError::Read {
        file: file.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&error.as_bytes()[..valid]).into_owned();
        SpecError::NotUtf8 {
            location: Locator::new(&text, file).locate(valid),
        }
    })?;
    let name: Arc<str> = file
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
        .into();
    parse_codemod(&text, file, name)
}

/// Parses a codemod from its text; `file` is used for messages only.
pub fn parse_codemod(text: &str, file: &Path, name: Arc<str>) -> Result<Codemod, SpecError> {
    let locator = Locator::new(text, file);
    let locate = |span: Range<usize>| locator.locate(span.start);
    let mut raw: raw::RawSpec = chunks::parse(text).map_err(|(error, span)| SpecError::Syntax {
        location: locate(span),
        message: error.message().trim().to_string(),
    })?;
    if raw.moves.is_empty() && raw.removes.is_empty() {
        return Err(SpecError::NoMoves {
            file: file.to_path_buf(),
        });
    }
    let parse_requires = |value: &Option<toml::Spanned<String>>| {
        value
            .as_ref()
            .map(|value| {
                Requirement::parse(value.get_ref()).ok_or_else(|| SpecError::InvalidValue {
                    location: locate(value.span()),
                    key: "requires",
                    value: value.get_ref().clone(),
                    hint: "write `package>=version`, like \"numpy>=2\" or \"python>=3.9\"",
                })
            })
            .transpose()
    };
    let default_requires = parse_requires(&raw.requires)?;
    let move_count = raw.moves.len();
    let mut moves = Vec::with_capacity(move_count + raw.removes.len());
    // Each raw entry is dropped once read: its memory serves the next entries.
    for (index, raw_move) in std::mem::take(&mut raw.moves).into_iter().enumerate() {
        let to_location = locate(raw_move.to.span());
        let to = parse_path(raw_move.to.get_ref(), "to", to_location)?;
        let requires = parse_requires(&raw_move.requires)?.or(default_requires.clone());
        for (from_text, span) in raw_move.from.get_ref().items(text, raw_move.from.span()) {
            let from_location = locate(span);
            let from = parse_path(from_text, "from", from_location.clone())?;
            if from == to {
                return Err(SpecError::SameFromTo {
                    location: from_location,
                    path: from.to_string(),
                });
            }
            moves.push(Move {
                id: RuleId {
                    codemod: name.clone(),
                    index: index + 1,
                },
                from,
                to: to.clone(),
                strings: raw_move.strings,
                rename_usages: raw_move.rename_usages,
                mentions: raw_move.mentions,
                kind: raw_move.kind,
                requires: requires.clone(),
                attribute_of_parent: raw_move.attribute_of_parent,
                action: Action::Rewrite,
                location: from_location.clone(),
            });
        }
    }
    for (index, raw_remove) in raw.removes.iter().enumerate() {
        let requires = parse_requires(&raw_remove.requires)?.or(default_requires.clone());
        let message = raw_remove.message.get_ref().trim().to_string();
        if message.is_empty() {
            return Err(SpecError::InvalidValue {
                location: locate(raw_remove.message.span()),
                key: "message",
                value: message,
                hint: "say what to use instead, like \"use `np.isin`, which keeps the input's shape\"",
            });
        }
        let action = match &raw_remove.replace {
            None => Action::Remove { message },
            Some(replace) => {
                let template =
                    Template::parse(replace.get_ref()).map_err(|hint| SpecError::InvalidValue {
                        location: locate(replace.span()),
                        key: "replace",
                        value: replace.get_ref().clone(),
                        hint,
                    })?;
                Action::Replace { template, message }
            }
        };
        for (from_text, span) in raw_remove
            .from
            .get_ref()
            .items(text, raw_remove.from.span())
        {
            let from_location = locate(span);
            let from = parse_path(from_text, "from", from_location.clone())?;
            moves.push(Move {
                id: RuleId {
                    codemod: name.clone(),
                    index: move_count + index + 1,
                },
                to: removed_placeholder(&from),
                from,
                strings: false,
                rename_usages: false,
                mentions: false,
                kind: MoveKind::Auto,
                requires: requires.clone(),
                attribute_of_parent: false,
                action: action.clone(),
                location: from_location,
            });
        }
    }
    let exclude = Excludes::new(
        raw.exclude
            .iter()
            .map(|pattern| (pattern.get_ref().clone(), locate(pattern.span())))
            .collect(),
    )
    .map_err(|(location, glob, message)| SpecError::InvalidGlob {
        location,
        glob,
        message,
    })?;
    let examples = raw
        .examples
        .into_iter()
        .map(|example| Example {
            location: locate(example.before.span()),
            before: example.before.into_inner(),
            after: example.after,
            syntax_error: example.syntax_error,
        })
        .collect();
    Ok(Codemod {
        name,
        file: file.to_path_buf(),
        description: raw.description,
        moves,
        exclude,
        root: PathBuf::new(),
        examples,
    })
}

/// The `to` of a `[[remove]]` entry: a sibling of `from` no code spells, so that the
/// planner finds every reference; none is ever written (see `Move::is_removal`).
fn removed_placeholder(from: &DottedPath) -> DottedPath {
    let last = Identifier::parse(&format!("{REMOVED_PLACEHOLDER}{}", from.last()))
        .expect("a prefix of letters keeps an identifier an identifier");
    match from.parent() {
        Some(parent) => parent.child(last),
        None => DottedPath::from_segments(vec![last]).expect("one segment"),
    }
}

fn parse_path(
    text: &str,
    key: &'static str,
    location: SpecLocation,
) -> Result<DottedPath, SpecError> {
    if text.contains('/') || text.ends_with(".py") {
        return Err(SpecError::InvalidPath {
            location,
            key,
            value: text.to_string(),
            hint: "write the module path with dots, like `pkg.sub.mod`, not a file path",
        });
    }
    DottedPath::parse(text).ok_or_else(|| SpecError::InvalidPath {
        location,
        key,
        value: text.to_string(),
        hint: "write identifiers joined by dots, like `pkg.sub.mod` or `pkg.mod.ClassName`",
    })
}

/// Finds 1-based line and character column of byte offsets in one spec text, with the
/// line starts indexed once (a spec may hold 100,000 moves).
struct Locator<'a> {
    text: &'a str,
    file: Arc<Path>,
    /// Byte offset of every line start.
    line_starts: Vec<usize>,
    /// The line found last.
    hint: std::cell::Cell<usize>,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str, file: &'a Path) -> Self {
        let line_starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        Locator {
            text,
            file: file.into(),
            line_starts,
            hint: std::cell::Cell::new(1),
        }
    }

    /// The 1-based line of `offset`. Spec entries are located in order, a line or two
    /// apart: the search starts at the line found last, and falls back to a binary search
    /// (whose probes of a long spec's table miss the cache) only after a long jump.
    fn line_of(&self, offset: usize) -> usize {
        let starts = &self.line_starts;
        let mut line = self.hint.get().clamp(1, starts.len());
        for _ in 0..16 {
            if starts[line - 1] > offset {
                line -= 1;
            } else if line < starts.len() && starts[line] <= offset {
                line += 1;
            } else {
                return line;
            }
        }
        starts.partition_point(|&start| start <= offset)
    }

    fn locate(&self, offset: usize) -> SpecLocation {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        self.hint.set(line);
        let line_start = self.line_starts[line - 1];
        SpecLocation {
            file: self.file.clone(),
            line,
            column: String::from_utf8_lossy(&self.text.as_bytes()[line_start..offset])
                .chars()
                .count()
                + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Codemod, SpecError> {
        parse_codemod(text, Path::new("codemods/demo.toml"), "demo".into())
    }

    #[test]
    fn locations_in_any_order_match_a_binary_search() {
        let text: String = (0..200).map(|i| "x".repeat(i % 7) + "\n").collect();
        let locator = Locator::new(&text, Path::new("c.toml"));
        let offsets = (0..text.len())
            .step_by(3)
            .chain([text.len(), 0, 500, 7, 1_000_000]);
        for offset in offsets.chain((0..text.len()).rev().step_by(5)) {
            let capped = offset.min(text.len());
            let line = locator
                .line_starts
                .partition_point(|&start| start <= capped);
            assert_eq!(locator.locate(offset).line, line, "offset {offset}");
        }
    }

    #[test]
    fn parses_moves_and_examples() {
        let codemod = parse(
            "description = \"d\"\n[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\nstrings = true\n\
             [[example]]\nbefore = \"import a.old\\n\"\nafter = \"import a.new\\n\"\n",
        )
        .unwrap();
        assert_eq!(codemod.moves.len(), 1);
        assert_eq!(codemod.moves[0].id.to_string(), "demo/1");
        assert!(codemod.moves[0].strings);
        assert_eq!(codemod.examples[0].after.as_deref(), Some("import a.new\n"));
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let error = parse("[[move]]\nfrom = \"a.old\"\nto = \"a/new.py\"\n")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("codemods/demo.toml:3:6: `to`"), "{error}");
        let error = parse("[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\nkidn = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("codemods/demo.toml:4:1:"), "{error}");
        assert!(error.contains("kidn"), "{error}");
        let error = parse("[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\nkind = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("codemods/demo.toml:4:8:"), "{error}");
        assert!(error.contains("`module`, `symbol`, `auto`"), "{error}");
        let error = parse("[[move]]\nfrom = \"a.old\"\nto = \"a.old\"\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("same path"), "{error}");
    }
}
