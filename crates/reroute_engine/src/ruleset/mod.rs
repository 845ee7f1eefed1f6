//! The compiled rule set: every loaded move in one lookup table, resolved to a fixpoint.
//!
//! `resolve` answers "where does this dotted name live now?" for modules and symbols alike:
//! the most specific applicable move wins, and moves chain (`A -> B` plus `B.X -> C.Y` sends
//! `A.X` to `C.Y`). A name already under a move's `to` is not matched by that move, so
//! "module becomes package" (`pkg.utils -> pkg.utils.core`) is stable.

use std::sync::Arc;

use crate::words::WordSet;

mod from_index;
mod groups;
use from_index::FromIndex;
use groups::Groups;
use std::path::Path;

use crate::spec::{
    Action, Codemod, DottedPath, Identifier, Move, MoveKind, Requirement, RuleId, SpecError,
};

/// Where a dotted path stands, which decides whether a symbol move (`kind = "symbol"`)
/// applies: it moves the name as bound in its parent, not a module of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Used as a module: `import P`, `from P import …`, `import_module("P")`. Symbol moves
    /// never apply.
    Module,
    /// `M.n` of `from M import n`: a symbol move applies when its `from` is the whole path.
    Imported,
    /// An attribute chain or a dotted target string: any move whose `from` covers it.
    Attribute,
}

/// The result of resolving a name that moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The path the reference is spelled as now.
    pub target: DottedPath,
    /// The moves applied, in order; the first is the one reports name.
    pub rules: Vec<RuleId>,
    /// Whether the move that matched the name as written allows rewriting string literals.
    pub strings: bool,
    /// Whether that move renames uses (`rename_usages`).
    pub rename_usages: bool,
    /// Whether that move rewrites mentions (`mentions`).
    pub mentions: bool,
    /// The `from` of that first move (what part of the written name moved).
    pub matched: DottedPath,
    /// The new home of what moved: `target` without the trailing segments that no applied
    /// move's `from` covered (for one move, its `to`).
    pub home: DottedPath,
    /// `home` is known to be a module (a file or package on disk), not a name in one.
    pub home_is_module: bool,
    /// The move that gave `home` says it is an attribute of its package
    /// (`attribute_of_parent`).
    pub attribute_of_parent: bool,
    /// A removal or a version tier the project does not meet, among the moves applied.
    pub special: Option<Special>,
}

/// What makes a reference one the planner reports rather than rewrites: the index of the
/// move that says so (its message, template or requirement are read from it, so resolving
/// a removed name never copies them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    /// The new name needs a version the project does not declare.
    Held(usize),
    /// A `[[remove]]` entry: the name is gone.
    Removed(usize),
    /// A `[[remove]]` entry with `replace`: uses become an expression.
    Replaced(usize),
}

impl Special {
    /// The index of the move that makes the reference special.
    pub fn index(self) -> usize {
        match self {
            Special::Held(index) | Special::Removed(index) | Special::Replaced(index) => index,
        }
    }
}

impl Resolution {
    /// What one move says on its own: its `from` is now its `to`.
    pub fn of_move(moved: &Move) -> Resolution {
        Resolution {
            target: moved.to.clone(),
            rules: vec![moved.id.clone()],
            strings: moved.strings,
            rename_usages: moved.rename_usages,
            mentions: moved.mentions,
            matched: moved.from.clone(),
            home: moved.to.clone(),
            home_is_module: false,
            attribute_of_parent: moved.attribute_of_parent,
            special: None,
        }
    }

    /// The move that applies.
    pub fn rule(&self) -> &RuleId {
        &self.rules[0]
    }
}

/// Which moves apply to one file (a codemod's `exclude` globs switch its moves off).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RuleFilter {
    /// Every move applies (the common case: no allocation per file).
    #[default]
    All,
    /// `active[i]` says whether move `i` applies.
    Only(Vec<bool>),
    /// The second pass over a file that references a removal or a held tier: `active[i]`
    /// as for `Only` (removals and held tiers are off), and a `replace` removal applies
    /// only to uses (its imports stay: they were reported by the first pass).
    Rewriting(Vec<bool>),
}

impl RuleFilter {
    /// True when the move at `index` applies to the file.
    pub fn is_active(&self, index: usize) -> bool {
        match self {
            RuleFilter::All => true,
            RuleFilter::Only(active) | RuleFilter::Rewriting(active) => {
                active.get(index).copied().unwrap_or(true)
            }
        }
    }
}

/// The words of a rule set that filters look for, each kept once (a codemod of 500,000
/// moves builds these sets once, for the byte filter, stage 2 and package roots alike; a
/// whole-word finder over more than 4,096 of them keeps a copy of its sets' buffers).
#[derive(Debug, Default)]
pub struct RuleWords {
    /// The last segment of every `from` (every spelling of a reference holds one).
    pub last: WordSet,
    /// The first segment of every `from`.
    pub from_firsts: WordSet,
    /// The first segment of every `to`.
    pub to_firsts: WordSet,
}

impl RuleWords {
    /// The words of `moves`, and for each move the number of its `to`'s first segment.
    fn new(moves: &[Move]) -> (RuleWords, Vec<u32>) {
        let room = |pick: fn(&Move) -> usize| {
            WordSet::with_capacity(moves.len(), moves.iter().map(pick).sum())
        };
        // One set at a time: one table in the cache, not three.
        let mut last = room(|m| m.from.last().as_str().len());
        for m in moves {
            last.insert(m.from.last().as_str().as_bytes());
        }
        let mut from_firsts = room(|m| m.from.first().as_str().len());
        for m in moves {
            from_firsts.insert(m.from.first().as_str().as_bytes());
        }
        let mut to_firsts = room(|m| m.to.first().as_str().len());
        let to_first_of = moves
            .iter()
            .map(|m| to_firsts.insert(m.to.first().as_str().as_bytes()))
            .collect();
        let words = RuleWords {
            last,
            from_firsts,
            to_firsts,
        };
        (words, to_first_of)
    }

    /// True when `word` is the first segment of some `from` or `to`.
    pub fn is_first(&self, word: &[u8]) -> bool {
        self.from_firsts.contains(word) || self.to_firsts.contains(word)
    }
}

/// All loaded moves, indexed by their `from` path.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    codemods: Vec<Codemod>,
    moves: Vec<Move>,
    /// Owning codemod of each move (index into `codemods`).
    owner: Vec<usize>,
    /// The moves by their `from`, and by every proper prefix of it (a trie, so that a
    /// `from` of N segments costs N nodes, not N prefixes of up to N segments each).
    by_from: FromIndex,
    /// The most segments any `from` has: longer prefixes are never looked up.
    longest_from: usize,
    /// Per move: its `to` is a module on disk (`mark_module_targets`; empty = unknown).
    module_targets: Vec<bool>,
    /// Per move: it moves a symbol, not a module (`kind`, or `mark_symbol_moves`).
    symbol: Vec<bool>,
    /// The words filters look for, each kept once.
    words: Arc<RuleWords>,
    /// The moves by the first segment of their `to` (its number in `words.to_firsts`), in
    /// move order.
    to_first_moves: Groups,
    /// Every `to`, dotted (`tos`).
    tos: std::sync::OnceLock<WordSet>,
    /// Per move: a version tier the project does not meet (`hold_tiers`; empty = none).
    held: Vec<bool>,
}

impl RuleSet {
    /// Compiles codemods into one table; rejects duplicate `from`s and loops.
    pub fn new(mut codemods: Vec<Codemod>) -> Result<RuleSet, SpecError> {
        let mut set = RuleSet::default();
        // The moves leave their codemods (what stays is read for `exclude`): one copy.
        for (codemod_index, codemod) in codemods.iter_mut().enumerate() {
            set.owner
                .extend(std::iter::repeat_n(codemod_index, codemod.moves.len()));
            if set.moves.is_empty() {
                set.moves = std::mem::take(&mut codemod.moves);
            } else {
                set.moves.append(&mut codemod.moves);
            }
        }
        set.by_from = FromIndex::build(&set.moves).map_err(|duplicate| {
            let second = &set.moves[duplicate.second];
            SpecError::DuplicateFrom {
                location: second.location.clone(),
                path: second.from.to_string(),
                first: set.moves[duplicate.first].location.clone(),
            }
        })?;
        set.longest_from = set.moves.iter().map(|m| m.from.len()).max().unwrap_or(0);
        let (words, to_first_of) = RuleWords::new(&set.moves);
        set.to_first_moves = Groups::new(
            words.to_firsts.len(),
            to_first_of.iter().copied().zip(0..set.moves.len() as u32),
        );
        set.words = Arc::new(words);
        set.codemods = codemods;
        set.symbol = set
            .moves
            .iter()
            .map(|m| m.kind == MoveKind::Symbol)
            .collect();
        // Until the run says what the project declares (`hold_tiers`), every tier holds.
        set.held = set.moves.iter().map(|m| m.requires.is_some()).collect();
        set.check_loops()?;
        Ok(set)
    }

    /// Holds every move whose `requires` is not `satisfied`: its references become notes
    /// naming the requirement instead of rewrites.
    pub fn hold_tiers(&mut self, satisfied: impl Fn(&Requirement) -> bool) {
        self.held = self
            .moves
            .iter()
            .map(|m| m.requires.as_ref().is_some_and(|r| !satisfied(r)))
            .collect();
    }

    /// True when move `index` is held by its version tier.
    pub fn is_held(&self, index: usize) -> bool {
        self.held.get(index).copied().unwrap_or(false)
    }

    /// True when some move is a removal or held: files that reference one are planned
    /// twice (`rewriting`).
    pub fn has_special(&self) -> bool {
        self.held.iter().any(|h| *h) || self.moves.iter().any(Move::is_removal)
    }

    /// The filter of the second pass: `base` without held moves and plain removals.
    pub fn rewriting(&self, base: &RuleFilter) -> RuleFilter {
        RuleFilter::Rewriting(
            self.moves
                .iter()
                .enumerate()
                .map(|(index, m)| {
                    base.is_active(index)
                        && !self.is_held(index)
                        && !matches!(m.action, Action::Remove { .. })
                })
                .collect(),
        )
    }

    /// What the applied moves make special, the first removal before the first tier.
    fn special_of(&self, applied: &[usize]) -> Option<Special> {
        let removal = applied.iter().find_map(|&i| match &self.moves[i].action {
            Action::Rewrite => None,
            Action::Remove { .. } => Some(Special::Removed(i)),
            Action::Replace { .. } => Some(Special::Replaced(i)),
        });
        removal.or_else(|| {
            applied
                .iter()
                .find(|&&i| self.is_held(i) && self.moves[i].requires.is_some())
                .map(|&i| Special::Held(i))
        })
    }

    /// Every move, in load order.
    pub fn moves(&self) -> &[Move] {
        &self.moves
    }

    /// True when no codemod declares a move.
    pub fn is_empty(&self) -> bool {
        self.moves.is_empty()
    }

    /// The bytes every file that references a moved name must contain: the last segment of
    /// each `from` (any spelling of a reference contains it contiguously).
    pub fn needles(&self) -> Vec<String> {
        let mut needles: Vec<String> = self
            .moves
            .iter()
            .map(|m| m.from.last().as_str().to_string())
            .collect();
        needles.sort();
        needles.dedup();
        needles
    }

    /// Where `path` lives now, or `None` when no move applies; moves that `active` switches
    /// off (codemod excluded for this file) do not apply.
    pub fn resolve_filtered(&self, path: &DottedPath, active: &RuleFilter) -> Option<Resolution> {
        self.resolve_as(path, active, Role::Attribute)
    }

    /// `resolve_filtered` for a path standing as `role` (see [`Role`]).
    pub fn resolve_as(
        &self,
        path: &DottedPath,
        active: &RuleFilter,
        role: Role,
    ) -> Option<Resolution> {
        // A chain that does not end is rejected by `new`; never here.
        let steps = self.steps(path, active, role).ok()?;
        let applied: Vec<usize> = steps.iter().map(|(index, _)| *index).collect();
        let current = steps.last()?.1.clone();
        if current == *path {
            return None;
        }
        // The trailing segments no applied move's `from` covered ride along: what moved is
        // the rest, and `home` is where it lives now.
        let mut before = path.len();
        let mut riding = usize::MAX;
        for (index, after) in &steps {
            riding = riding.min(before - self.moves[*index].from.len());
            before = after.len();
        }
        let home = current.prefix(current.len() - riding.min(current.len() - 1));
        Some(Resolution {
            target: current,
            strings: self.moves[applied[0]].strings,
            rename_usages: self.moves[applied[0]].rename_usages,
            mentions: self.moves[applied[0]].mentions,
            matched: self.moves[applied[0]].from.clone(),
            home_is_module: applied.last().is_some_and(|&last| {
                self.moves[last].to == home
                    && self.module_targets.get(last).copied().unwrap_or(false)
            }),
            home,
            attribute_of_parent: applied
                .last()
                .is_some_and(|&last| self.moves[last].attribute_of_parent),
            special: self.special_of(&applied),
            rules: applied.iter().map(|&i| self.moves[i].id.clone()).collect(),
        })
    }

    /// `resolve_filtered` with every move active.
    pub fn resolve(&self, path: &DottedPath) -> Option<Resolution> {
        self.resolve_filtered(path, &RuleFilter::All)
    }

    /// True when some move's `from` equals `path` or lies under it (the name is a package
    /// that contains something moved).
    pub fn has_move_under(&self, path: &DottedPath) -> bool {
        self.by_from.exact(&self.moves, path.segments()).is_some()
            || self.by_from.under(&self.moves, path.segments()).is_some()
    }

    /// Records which moves (in move order) move a symbol rather than a module: those with
    /// `kind = "symbol"`, and those with `kind = "auto"` the tree shows to be only a name.
    pub fn mark_symbol_moves(&mut self, symbol: Vec<bool>) {
        self.symbol = symbol;
    }

    /// True when move `index` moves a symbol (see `mark_symbol_moves`).
    pub fn is_symbol_move(&self, index: usize) -> bool {
        self.symbol.get(index).copied().unwrap_or(false)
    }

    /// Records which moves' `to` are modules on disk (in move order), so that a use that
    /// reaches a moved module through its parent imports the module itself.
    pub fn mark_module_targets(&mut self, is_module: Vec<bool>) {
        self.module_targets = is_module;
    }

    /// True when some move rewrites mentions.
    pub fn rewrites_mentions(&self) -> bool {
        self.moves.iter().any(|m| m.mentions)
    }

    /// The move with id `id`.
    pub fn move_by_id(&self, id: &crate::spec::RuleId) -> Option<&Move> {
        self.moves.iter().find(|m| m.id == *id)
    }

    /// The module move whose `to` holds module `module` (the longest such `to`), when only
    /// one module move has that `to`: the file was moved there from under its `from`.
    pub fn module_move_holding(&self, module: &DottedPath) -> Option<&Move> {
        (1..=module.len()).rev().find_map(|len| {
            let prefix = &module.segments()[..len];
            let mut found = self
                .moves
                .iter()
                .enumerate()
                .filter(|(index, m)| !self.is_symbol_move(*index) && m.to.segments() == prefix);
            let first = found.next()?;
            found.next().is_none().then_some(first.1)
        })
    }

    /// True when `name` is the first segment of some move's `to` (the cheap test before
    /// `may_hold_moved_file`).
    pub fn is_to_first(&self, name: &str) -> bool {
        if name.is_ascii() {
            // ASCII names are their own NFKC form: no allocation on the hot path.
            self.words.to_firsts.contains(name.as_bytes())
        } else {
            Identifier::parse(name)
                .is_some_and(|id| self.words.to_firsts.contains(id.as_str().as_bytes()))
        }
    }

    /// Every `to`, dotted (built on first use: only an indented import of a new home asks).
    pub fn tos(&self) -> &WordSet {
        self.tos.get_or_init(|| {
            let mut tos = WordSet::default();
            let mut dotted = String::new();
            for m in &self.moves {
                dotted.clear();
                for (at, segment) in m.to.segments().iter().enumerate() {
                    if at > 0 {
                        dotted.push('.');
                    }
                    dotted.push_str(segment.as_str());
                }
                tos.insert(dotted.as_bytes());
            }
            tos
        })
    }

    /// The words filters look for (shared: filters keep it, not copies).
    pub fn words(&self) -> &Arc<RuleWords> {
        &self.words
    }

    /// True when some module move's `to` is a run of `module`'s segments: a file whose
    /// module name (as far as its path tells) holds one may have been moved there, and its
    /// relative imports may need respelling (cheap: no file system).
    pub fn may_hold_moved_file(&self, module: &DottedPath) -> bool {
        let segments = module.segments();
        segments.iter().enumerate().any(|(at, segment)| {
            let Some(number) = self.words.to_firsts.get(segment.as_str().as_bytes()) else {
                return false;
            };
            self.to_first_moves.of(number).iter().any(|&index| {
                let index = index as usize;
                let to = self.moves[index].to.segments();
                !self.is_symbol_move(index) && segments[at..].starts_with(to)
            })
        })
    }

    /// The moves whose `from` lies strictly under `path`, in move order.
    pub fn moves_under(&self, path: &DottedPath) -> impl Iterator<Item = &Move> {
        self.by_from
            .under(&self.moves, path.segments())
            .into_iter()
            .flatten()
            .map(|&index| &self.moves[index as usize])
    }

    /// The moves that apply to a file: those of codemods whose `exclude` matches are off.
    pub fn active_for(&self, absolute_path: &Path) -> RuleFilter {
        if self.codemods.iter().all(|c| c.exclude.is_empty()) {
            return RuleFilter::All;
        }
        RuleFilter::Only(
            self.owner
                .iter()
                .map(|&owner| !self.codemods[owner].is_excluded(absolute_path))
                .collect(),
        )
    }

    /// The most specific move whose `from` covers `path` and whose `to` does not already
    /// (a symbol move only where `role` lets it: see [`Role`]).
    fn applicable(&self, path: &DottedPath, active: &RuleFilter, role: Role) -> Option<usize> {
        (1..=path.len().min(self.longest_from))
            .rev()
            .find_map(|len| {
                let index = self.by_from.exact(&self.moves, &path.segments()[..len])?;
                let candidate = &self.moves[index];
                let symbol_applies = match role {
                    Role::Module => false,
                    Role::Imported => len == path.len(),
                    Role::Attribute => true,
                };
                let import_of_replaced = matches!(active, RuleFilter::Rewriting(_))
                    && role != Role::Attribute
                    && matches!(candidate.action, Action::Replace { .. });
                let usable = active.is_active(index)
                    && !import_of_replaced
                    && !path.starts_with(&candidate.to)
                    && (symbol_applies || !self.is_symbol_move(index));
                usable.then_some(index)
            })
    }

    /// Rejects sets where some name would be rewritten forever: every `from`, and every
    /// `from` joined with a deeper `from` reached through its `to`, must reach a fixpoint
    /// without applying one move twice.
    fn check_loops(&self) -> Result<(), SpecError> {
        let mut probes: Vec<(usize, DottedPath)> = Vec::new();
        for (index, first) in self.moves.iter().enumerate() {
            // The common case, found without building a path: the move applies to its own
            // `from` (the longest match there is, unless that starts with its `to`), and no
            // `from` lies at, above or under its `to`, so a chain ends there.
            let ends_at_to = !self.by_from.touches(&self.moves, first.to.segments())
                && !first.from.starts_with(&first.to);
            if ends_at_to {
                continue;
            }
            probes.push((index, first.from.clone()));
            for second in self.moves_under(&first.to) {
                probes.push((index, second.from.replace_prefix(&first.to, &first.from)));
            }
        }
        for (index, probe) in probes {
            if let Some(chain) = self.loop_chain(&probe) {
                return Err(SpecError::Loop {
                    location: self.moves[index].location.clone(),
                    chain,
                });
            }
        }
        Ok(())
    }

    fn loop_chain(&self, path: &DottedPath) -> Option<String> {
        let paths = self.steps(path, &RuleFilter::All, Role::Attribute).err()?;
        let names: Vec<String> = paths.iter().map(ToString::to_string).collect();
        Some(names.join(" -> "))
    }

    /// The moves applied to `path` one after the other, each with the path it gives. A move
    /// may apply again to another path (`a.old -> c.x` plus `c.x.mod -> a.old` sends
    /// `a.old.mod` through `c.x.mod` and `a.old` to `c.x`). `Err` holds the paths seen when
    /// the chain does not end: a path comes back, or it grows with every round.
    fn steps(
        &self,
        path: &DottedPath,
        active: &RuleFilter,
        role: Role,
    ) -> Result<Vec<(usize, DottedPath)>, Vec<DottedPath>> {
        // Most paths reach no move: no copy of them then.
        let Some(first) = self.applicable(path, active, role) else {
            return Ok(Vec::new());
        };
        let limit = 2 * self.moves.len() + 2;
        let mut steps: Vec<(usize, DottedPath)> = Vec::new();
        let mut current = path.clone();
        let mut next_index = Some(first);
        while let Some(index) = next_index {
            let found = &self.moves[index];
            let next = current.replace_prefix(&found.from, &found.to);
            let repeats = next == *path || steps.iter().any(|(_, seen)| *seen == next);
            steps.push((index, next.clone()));
            if repeats || steps.len() > limit {
                let seen = steps.into_iter().map(|(_, p)| p);
                return Err(std::iter::once(path.clone()).chain(seen).collect());
            }
            current = next;
            next_index = self.applicable(&current, active, role);
        }
        Ok(steps)
    }
}

#[cfg(test)]
mod tests;
