//! Stage 2's test of one reaching import statement: can it be planned on its own (its
//! lines alone, at module level or in a block that does not change how it is planned)?

use std::ops::Range;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// How many import statements bind each local name.
pub(super) type LocalCounts<'a> = HashMap<&'a [u8], usize>;

use super::decide::{LexFile, WholeReason};
use super::imports::{LexImport, LexKind};
use super::tokens::Kind;
use crate::spec::Identifier;

impl LexFile<'_, '_> {
    /// `import` as a statement to plan on its own: its whole lines, when it is a
    /// from-import that starts a line at column 0, ends its logical line, binds names no
    /// other import binds, and needs nothing but itself (no `rename_usages`; no alias a
    /// target string could spell).
    pub(super) fn alone(
        &self,
        import: &LexImport<'_>,
        guarded: &[(usize, bool)],
        bound: &LocalCounts<'_>,
    ) -> Result<Range<usize>, WholeReason> {
        let LexKind::From { dots, module, .. } = &import.kind else {
            return Err(WholeReason::Shape);
        };
        let first = self.tokens[import.tokens.start];
        let starts_line = self.tokens[..import.tokens.start]
            .iter()
            .rev()
            .find(|t| t.kind != Kind::Comment)
            .is_none_or(|t| t.kind == Kind::Newline);
        // Indented: not under a `try`, `except`, `else`, `elif` or `finally` (fallbacks),
        // nor an `if` that reads `version_info` (left as is), which the whole file plans.
        let indented = !self.at_line_start(import);
        if !starts_line || (indented && self.in_guarded_block(guarded, import)) {
            return Err(WholeReason::Shape);
        }
        let end = match self.tokens.get(self.next_significant(import.tokens.end)) {
            Some(t) if t.kind == Kind::Newline => t.end(),
            // The last line, without a line ending: a statement placed after it would take
            // the file's most common ending, which the piece alone does not know.
            None if memchr::memchr(b'\r', self.bytes).is_none() => self.bytes.len(),
            _ => return Err(WholeReason::Shape),
        };
        let mut locals = HashSet::default();
        for name in &import.names {
            let local = name.local();
            // Bound by another import too (each import counts a name once).
            if !locals.insert(local) || bound.get(local).is_some_and(|n| *n > 1) {
                return Err(WholeReason::Shape);
            }
        }
        for m in self.modules(*dots, module) {
            let paths = std::iter::once(m.clone()).chain(
                import
                    .names
                    .iter()
                    .map(|n| m.child(Identifier::from_token(&String::from_utf8_lossy(n.path[0])))),
            );
            for path in paths {
                if let Some(resolution) = self.rules.resolve(&path) {
                    let aliased = import.names.iter().any(|n| n.alias.is_some());
                    if resolution.rename_usages || (aliased && resolution.strings) {
                        return Err(WholeReason::Shape);
                    }
                }
            }
        }
        Ok(line_start(self.bytes, first.start())..end)
    }

    /// The first token of every logical line, in order, and whether a block that only the
    /// whole-file planner reads right holds it: `try`, `except`, `else`, `elif`,
    /// `finally`, or an `if` whose condition reads a version (`version_info`, `__version__`,
    /// `np_version`, `AIRFLOW_VERSION`, a flag like `AIRFLOW_V_3_0_PLUS`) or calls `hasattr`.
    pub(super) fn guarded_lines(&self) -> Vec<(usize, bool)> {
        let mut blocks: Vec<(usize, bool)> = Vec::new();
        let mut lines = Vec::new();
        let mut line_first = true;
        for (index, token) in self.tokens.iter().enumerate() {
            match token.kind {
                Kind::Comment => continue,
                Kind::Newline => {
                    line_first = true;
                    continue;
                }
                _ if !line_first => continue,
                _ => line_first = false,
            }
            let indent =
                indent_width(&self.bytes[line_start(self.bytes, token.start())..token.start()]);
            while blocks.last().is_some_and(|(open, _)| *open >= indent) {
                blocks.pop();
            }
            lines.push((index, blocks.iter().any(|(_, guards)| *guards)));
            if token.kind != Kind::Name {
                continue;
            }
            let guards = match &self.bytes[token.range()] {
                b"try" | b"except" | b"else" | b"elif" | b"finally" => true,
                b"if" => {
                    let header_end = self.tokens[index..]
                        .iter()
                        .find(|t| t.kind == Kind::Newline)
                        .map_or(self.bytes.len(), |t| t.start());
                    // `sys.version_info`, a library's version, `hasattr(mod, "new")`: what
                    // `version-branch` and `old-version-fallback` read from the tree.
                    let header = self.bytes[token.start()..header_end].to_ascii_lowercase();
                    ["version", "hasattr", "_plus"]
                        .iter()
                        .any(|word| memchr::memmem::find(&header, word.as_bytes()).is_some())
                }
                b"for" | b"while" | b"with" | b"def" | b"class" | b"async" | b"match" | b"case" => {
                    false
                }
                _ => continue,
            };
            blocks.push((indent, guards));
        }
        lines
    }

    /// True when `import` lies in a block `guarded_lines` marks (or does not start a
    /// logical line, so that the block is not known).
    pub(super) fn in_guarded_block(
        &self,
        guarded: &[(usize, bool)],
        import: &LexImport<'_>,
    ) -> bool {
        guarded
            .binary_search_by_key(&import.tokens.start, |(index, _)| *index)
            .map_or(true, |found| guarded[found].1)
    }

    /// For every name the file's imports bind, how many import statements bind it: one
    /// pass, so that asking for each of N imports stays linear (it was a scan of every
    /// other import per import, quadratic in files of many imports).
    pub(super) fn local_counts(&self) -> LocalCounts<'_> {
        let mut counts: LocalCounts<'_> = HashMap::default();
        for import in self.imports {
            let mut seen: HashSet<&[u8]> = HashSet::default();
            for name in &import.names {
                if seen.insert(name.local()) {
                    *counts.entry(name.local()).or_default() += 1;
                }
            }
        }
        counts
    }
}

/// The width of an indentation as the tokenizer counts it: a tab to the next multiple of
/// 8, a form feed resets.
fn indent_width(indent: &[u8]) -> usize {
    indent.iter().fold(0, |width, &b| match b {
        b'\t' => (width / 8 + 1) * 8,
        b'\x0c' => 0,
        _ => width + 1,
    })
}

/// The start of the physical line holding `offset`.
pub(super) fn line_start(bytes: &[u8], offset: usize) -> usize {
    memchr::memrchr2(b'\n', b'\r', &bytes[..offset]).map_or(0, |at| at + 1)
}
