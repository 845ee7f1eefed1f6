//! Uses of names bound by imports: attribute chains (`a.old.f()`, `m.Thing`) and `match`
//! value patterns (`case a.old.CONST:`).
//!
//! A use belongs to the import that binds its first name in the scope Python would look
//! in (`scope`); a parameter or loop variable of the same name shadows it.
//! - Through a rewritten plain `import a.old` (now `import a.new`): `a.old.…` follows it.
//! - Through any import, when the full name the chain spells moved somewhere the rewritten
//!   import does not reach (`import a.old; a.old.Moved`, `from a import old; old.Moved`):
//!   reported (`attribute-symbol`), never half-rewritten.
//! - When the first segment of a rewritten plain import changes and the file still uses the
//!   old first name, an import that keeps it bound is added.

use std::collections::HashSet;

use tree_sitter::Node;

use super::bindings::{Bindings, ImportBinding};
use super::dotted::rename_segments;
use super::homes::Homes;
use super::{Fix, PlanOutput, Reason, Site, place};
use crate::analyze::{Chain, FileModel};
use crate::edit::Edit;
use crate::ruleset::Special;
use crate::spec::Action;
use crate::spec::{DottedPath, Identifier};

/// Plans the uses; returns the start of every chain whose first name an edit replaced
/// (the rename pass leaves those alone).
pub fn plan_usages(
    model: &FileModel<'_>,
    bindings: &Bindings<'_>,
    out: &mut PlanOutput<'_>,
) -> HashSet<usize> {
    let relevant: Vec<&ImportBinding<'_>> =
        bindings.iter().filter(|b| is_relevant(model, b)).collect();
    if relevant.is_empty() {
        return HashSet::new();
    }
    let mut replaced_roots: HashSet<usize> = HashSet::new();
    let roots: HashSet<&Identifier> = relevant.iter().map(|b| &b.local).collect();
    let mut consumed_roots: HashSet<usize> = HashSet::new();
    let mut homes = Homes::new(bindings);
    for chain in &model.collected.chains {
        let root = chain.path.first();
        if !roots.contains(root) {
            continue;
        }
        let enclosing = model.scopes_of(chain.scopes);
        let Some((scope, in_scope)) = bindings.seen_from(model, enclosing, root) else {
            continue;
        };
        if model.binds_otherwise(scope, root) {
            // Also assigned in that scope: which binding a use sees is not static. Left
            // alone, and reported when the use reaches a moved name.
            let name = chain.path.first().to_string();
            let fix = Fix::Manual(Reason::NameConflict { name });
            report_use(model, chain, &in_scope, fix, out);
            continue;
        }
        if in_scope.is_empty() || in_scope.iter().any(|b| b.is_blocked()) {
            continue;
        }
        if model.collected.version_branches.contains(chain.idents[0]) {
            let fix = Fix::Note(super::Note::VersionBranch);
            report_use(model, chain, &in_scope, fix, out);
            continue;
        }
        // `except AttributeError: np.trapz(…)` after `try: np.trapezoid(…)`.
        let absolute = match in_scope.iter().find(|b| !b.is_root()) {
            Some(binding) => join(&binding.path, &chain.path.segments()[1..]),
            None => chain.path.clone(),
        };
        if model.resolve(&absolute).is_some_and(|full| {
            super::old_versions::is_old_version_fallback(model, chain.idents[0], &full.target)
        }) {
            let fix = Fix::Note(super::Note::OldVersionFallback);
            report_use(model, chain, &in_scope, fix, out);
            continue;
        }
        if let Some(root) = replace_use(model, chain, &in_scope, out) {
            replaced_roots.insert(root);
            continue;
        }
        let mark = out.mark();
        if let Some((chain_edits, root_changed)) =
            plan_chain(model, chain, &in_scope, &mut homes, out)
        {
            let root = chain.idents[0].byte_range();
            if root_changed {
                consumed_roots.insert(root.start);
            }
            if chain_edits.iter().any(|e| {
                e.range.start < root.end && root.start < e.range.end.max(e.range.start + 1)
            }) {
                replaced_roots.insert(root.start);
            }
            let rewrite = out.rewrite((mark..out.mark()).collect(), chain_edits);
            homes.claim(rewrite);
            // A use follows its rewritten import: the two are carried out together.
            for moved in in_scope.iter().filter_map(|b| b.moved()) {
                out.together(rewrite, moved.rewrite);
            }
        }
    }
    keep_old_roots(model, bindings, &consumed_roots, out);
    homes.add_imports(model, out);
    replaced_roots
}

/// A use left as it is (its first name also assigned in the scope, or in a
/// `sys.version_info` branch): reported with `fix` when it reaches a moved name.
fn report_use(
    model: &FileModel<'_>,
    chain: &Chain<'_>,
    in_scope: &[&ImportBinding<'_>],
    fix: Fix,
    out: &mut PlanOutput<'_>,
) {
    let Some(absolute) = absolute_name(chain, in_scope) else {
        return;
    };
    let Some(resolution) = model.resolve(&absolute) else {
        return;
    };
    // Through `from old import name` (not a plain import), a use whose target the import's
    // own rewrite carries along needs no edit, rebound name or not.
    let carried = in_scope
        .iter()
        .find(|b| !b.is_root())
        .is_some_and(|binding| {
            binding.path_after().join(&chain.path.segments()[1..]) == resolution.target
        });
    if !carried {
        let at = chain.idents[0].start_byte();
        out.add(at, &resolution, absolute, Site::Usage, fix);
    }
}

/// A use of a name that a `[[remove]]` entry replaces by an expression (`np.NINF` →
/// `-np.inf`): the chain up to the name becomes the expression, with `{root}` spelled as
/// the chain spells the module, in parentheses where the context needs them. Returns the
/// start of the chain when it planned it (rewritten, or reported when it cannot be).
fn replace_use(
    model: &FileModel<'_>,
    chain: &Chain<'_>,
    in_scope: &[&ImportBinding<'_>],
    out: &mut PlanOutput<'_>,
) -> Option<usize> {
    let absolute = absolute_name(chain, in_scope)?;
    let full = model.resolve(&absolute)?;
    let Some(Special::Replaced(index)) = full.special else {
        return None;
    };
    let Action::Replace { template, .. } = &model.rules.moves()[index].action else {
        return None;
    };
    // How many leading segments of `absolute` the chain's first name stands for.
    let bound = match in_scope.iter().find(|b| !b.is_root()) {
        Some(binding) => binding.path.len(),
        None => 1,
    };
    let name_at = (full.matched.len() + 1)
        .checked_sub(bound)?
        .checked_sub(1)?;
    let start = chain.idents[0].start_byte();
    let name = chain.idents.get(name_at)?;
    let replaced = name.parent().filter(|p| p.kind() == "attribute");
    let spelled = &model.bytes[start..name.end_byte()];
    let report = |out: &mut PlanOutput<'_>| {
        // Recorded as the removal it is (manual, with the codemod's message).
        out.add(
            start,
            &full,
            full.matched.clone(),
            Site::Usage,
            Fix::Rewritten,
        );
        Some(start)
    };
    let Some(replaced) = replaced.filter(|_| name_at > 0 && full.rules.len() == 1) else {
        return report(out);
    };
    if spelled.contains(&b'#') {
        return report(out);
    }
    let module = &model.bytes[start..chain.idents[name_at - 1].end_byte()];
    let mut text = template.render(&String::from_utf8_lossy(module));
    if template.needs_parens(replaced) {
        text = format!("({text})");
    }
    let finding = out.add_replaced(start, &full, full.matched.clone());
    out.rewrite(
        vec![finding],
        vec![Edit::replace(start..name.end_byte(), text)],
    );
    Some(start)
}

/// The full name a chain spells through the import that binds its first name.
fn absolute_name(chain: &Chain<'_>, in_scope: &[&ImportBinding<'_>]) -> Option<DottedPath> {
    if in_scope.is_empty() {
        return None;
    }
    Some(match in_scope.iter().find(|b| !b.is_root()) {
        Some(binding) => join(&binding.path, &chain.path.segments()[1..]),
        None => chain.path.clone(),
    })
}

/// A binding whose uses may reach a moved name.
fn is_relevant(model: &FileModel<'_>, binding: &ImportBinding<'_>) -> bool {
    let base = if binding.is_root() {
        binding.path.prefix(1)
    } else {
        binding.path.clone()
    };
    binding.new_path().is_some()
        || model.resolve(&base).is_some()
        || model.rules.has_move_under(&base)
}

/// Rewrites or reports one chain; returns the edit and whether it changed the chain's root.
fn plan_chain<'t>(
    model: &FileModel<'_>,
    chain: &Chain<'_>,
    in_scope: &[&ImportBinding<'t>],
    homes: &mut Homes<'_, 't>,
    out: &mut PlanOutput<'_>,
) -> Option<(Vec<Edit>, bool)> {
    // The import the chain goes through: one whose whole path the chain starts with, else
    // the longest shared prefix; a rewritten one wins a tie.
    let root_binding = in_scope
        .iter()
        .filter(|b| b.is_root())
        .map(|b| (common_len(&chain.path, &b.path), *b))
        .filter(|(k, _)| *k >= 1)
        .max_by_key(|(k, b)| (*k == b.path.len(), *k, b.new_path().is_some()));
    if let Some((k, binding)) = root_binding {
        let full = model.resolve(&chain.path)?;
        let prefix = chain.path.prefix(k);
        let rewritable = binding.new_path().is_some()
            && model
                .resolve(&prefix)
                .is_some_and(|p| join(&p.target, &chain.path.segments()[k..]) == full.target);
        if !rewritable {
            let bound_now = model.resolve(&prefix).map_or(prefix.clone(), |p| p.target);
            let through = Through {
                chain,
                binding,
                bound_len: k,
                bound_now: &bound_now,
                absolute: &chain.path,
                full: &full,
            };
            return through.plan(model, homes, out);
        }
        let resolution = model.resolve(&prefix)?;
        let Some(edits) = rename_chain(model, &chain.idents[..k], &resolution.target) else {
            let fix = Fix::Manual(Reason::CommentInTheWay);
            out.add(
                chain.idents[0].start_byte(),
                &resolution,
                prefix,
                Site::Usage,
                fix,
            );
            return None;
        };
        out.add(
            chain.idents[0].start_byte(),
            &resolution,
            prefix,
            Site::Usage,
            Fix::Rewritten,
        );
        return Some((edits, resolution.target.first() != chain.path.first()));
    }
    // Bound to a module or symbol by `import x as m` / `from x import m`: the import's own
    // rewrite carries the chain along unless the chain's full name moved elsewhere.
    let binding = in_scope.iter().find(|b| !b.is_root())?;
    if binding.new_path().is_none() && model.resolve(&binding.path).is_some() {
        return None; // the bound module itself moved and its import stays: so do its uses
    }
    let absolute = join(&binding.path, &chain.path.segments()[1..]);
    let full = model.resolve(&absolute)?;
    let bound_now = binding.new_path().unwrap_or(&binding.path);
    if join(bound_now, &chain.path.segments()[1..]) == full.target {
        return None;
    }
    let through = Through {
        chain,
        binding,
        bound_len: 1,
        bound_now,
        absolute: &absolute,
        full: &full,
    };
    through.plan(model, homes, out)
}

/// A moved symbol used through a module binding (`mod.OldName`, `a.old.OldName`).
struct Through<'a, 't> {
    chain: &'a Chain<'a>,
    binding: &'a ImportBinding<'t>,
    /// How many of the chain's first segments name the bound module.
    bound_len: usize,
    /// The module those segments name after this plan.
    bound_now: &'a DottedPath,
    /// The chain's full name with the binding spelled out.
    absolute: &'a DottedPath,
    full: &'a crate::ruleset::Resolution,
}

impl<'t> Through<'_, 't> {
    /// Renames the symbol in place when it stayed in the bound module; else spells its new
    /// home in full and asks for an import of it; else reports why not.
    fn plan(
        &self,
        model: &FileModel<'_>,
        homes: &mut Homes<'_, 't>,
        out: &mut PlanOutput<'_>,
    ) -> Option<(Vec<Edit>, bool)> {
        let (chain, full) = (self.chain, self.full);
        let at = chain.idents[self.bound_len.min(chain.idents.len() - 1)].start_byte();
        let report = |out: &mut PlanOutput<'_>, reason: Reason| {
            let fix = Fix::Manual(reason);
            out.add(at, full, self.absolute.clone(), Site::Usage, fix);
            None
        };
        let home = &full.home;
        let tail = full.target.len().checked_sub(home.len());
        let symbol_len = tail.and_then(|t| chain.idents.len().checked_sub(t));
        let Some(symbol_len) = symbol_len.filter(|len| *len > self.bound_len) else {
            return report(out, Reason::AttributeSymbol);
        };
        let stays =
            home.parent().as_ref() == Some(self.bound_now) || self.through_parent(model, home);
        let (idents, new) = if stays && !self.binding.is_root() {
            let rest = home.segments()[self.bound_now.len()..].to_vec();
            let new = DottedPath::from_segments(rest).expect("home is longer than its parent");
            (&chain.idents[1..symbol_len], new)
        } else {
            (&chain.idents[..symbol_len], home.clone())
        };
        if !stays {
            // A module reached through its parent (`b.old.X`) is imported itself.
            let module = if full.home_is_module {
                Some(home.clone())
            } else {
                home.parent()
            };
            let Some(module) = module else {
                return report(out, Reason::AttributeSymbol);
            };
            if !homes.can_bind(model, &module) {
                let name = module.first().to_string();
                return report(out, Reason::NameConflict { name });
            }
            if !model.is_utf8 && !home.to_string().is_ascii() {
                return report(out, Reason::Encoding);
            }
            let Some(edits) = rename_chain(model, idents, &new) else {
                return report(out, Reason::CommentInTheWay);
            };
            homes.need(module, self.binding);
            out.add(at, full, self.absolute.clone(), Site::Usage, Fix::Rewritten);
            return Some((edits, home.first() != chain.path.first()));
        }
        let Some(edits) = rename_chain(model, idents, &new) else {
            return report(out, Reason::CommentInTheWay);
        };
        out.add(at, full, self.absolute.clone(), Site::Usage, Fix::Rewritten);
        Some((
            edits,
            self.binding.is_root() && home.first() != chain.path.first(),
        ))
    }
}

impl Through<'_, '_> {
    /// True when the new home lies under the bound module and each package on the way
    /// binds the next segment in its `__init__` (`numpy` imports `char`): it can then be
    /// spelled through the bound name (`np.char.chararray`), which works on every version,
    /// instead of importing it. The codemod says so (`attribute_of_parent`), or, for the
    /// project's own packages, their `__init__` files do.
    fn through_parent(&self, model: &FileModel<'_>, home: &DottedPath) -> bool {
        let bound = self.bound_now;
        if !home.starts_with(bound) || home.len() <= bound.len() + 1 {
            return false;
        }
        if self.full.attribute_of_parent {
            return true;
        }
        let Some((file, layout)) = model.disk else {
            return false;
        };
        // Where the package may be: the source roots, and the folder that holds this
        // file's own top-level package.
        let own_root = model.location.as_ref().and_then(|l| l.root_of(file));
        let roots: Vec<&std::path::Path> = layout
            .source_roots()
            .iter()
            .map(|root| root.as_path())
            .chain(own_root.as_deref())
            .collect();
        (bound.len()..home.len() - 1).all(|at| {
            let package = home.prefix(at);
            let name = &home.segments()[at];
            roots.iter().any(|root| {
                layout.package_binds(root, &package, name) == crate::layout::Binding::Binds
            })
        })
    }
}

/// Edits that turn the chain segments `idents` into `new` without touching comments
/// between them (`(a  # why\n .old.f())`); `None` when that is impossible (a comment where
/// segments would be removed).
fn rename_chain(model: &FileModel<'_>, idents: &[Node<'_>], new: &DottedPath) -> Option<Vec<Edit>> {
    let (first, last) = (idents.first()?, idents.last()?);
    if !model.bytes[first.start_byte()..last.end_byte()].contains(&b'#') {
        return Some(rename_segments(model, idents, new).into_iter().collect());
    }
    let shared = idents.len().min(new.len());
    let mut edits = Vec::new();
    for (node, segment) in idents.iter().zip(new.segments()).take(shared) {
        if model.identifier(*node) != *segment {
            edits.push(Edit::replace(node.byte_range(), segment.as_str()));
        }
    }
    if new.len() > idents.len() {
        let rest: Vec<&str> = new.segments()[idents.len()..]
            .iter()
            .map(Identifier::as_str)
            .collect();
        edits.push(Edit::insert(
            last.end_byte(),
            format!(".{}", rest.join(".")),
        ));
    } else if new.len() < idents.len() {
        let removed = idents[new.len() - 1].end_byte()..last.end_byte();
        if model.bytes[removed.clone()].contains(&b'#') {
            return None;
        }
        edits.push(Edit::delete(removed));
    }
    Some(edits)
}

fn join(base: &DottedPath, tail: &[Identifier]) -> DottedPath {
    base.join(tail)
}

/// Adds an import that keeps the old first name bound, after a rewritten plain import
/// whose first segment changed, when the file still uses that name and nothing else
/// binds it.
fn keep_old_roots(
    model: &FileModel<'_>,
    bindings: &Bindings<'_>,
    consumed_roots: &HashSet<usize>,
    out: &mut PlanOutput<'_>,
) {
    let mut done: Vec<(&Identifier, usize)> = Vec::new();
    for binding in bindings {
        let Some(moved) = binding.moved() else {
            continue;
        };
        let root = &binding.local;
        if !binding.is_root()
            || binding.is_dropped()
            || binding.path.len() == 1
            || moved.to.first() == root
        {
            continue;
        }
        if done.contains(&(root, binding.scope)) {
            continue;
        }
        done.push((root, binding.scope));
        let binds_import = |scope: usize| bindings.binds(scope, root);
        let still_used = model.uses(root).iter().any(|name_use| {
            !consumed_roots.contains(&name_use.node.start_byte())
                && model
                    .resolving_scope(model.scopes_of(name_use.scopes), root, &binds_import)
                    .is_some_and(|s| s.id() == binding.scope)
        });
        let bound_otherwise = bindings.iter().any(|other| {
            other.scope == binding.scope && !other.is_dropped() && other.local_after() == root
        });
        if !still_used || bound_otherwise {
            continue;
        }
        let text = match model.resolve(&binding.path.prefix(1)) {
            Some(moved) => format!("import {} as {root}", moved.target),
            None => {
                // The longest part of the old path that did not move (`import a.old` when
                // only `a.old.sub` moved): the remaining uses may need it loaded.
                let kept = (1..binding.path.len())
                    .rev()
                    .map(|len| binding.path.prefix(len))
                    .find(|prefix| model.resolve(prefix).is_none())
                    .unwrap_or_else(|| binding.path.prefix(1));
                format!("import {kept}")
            }
        };
        let (at, text) = place::insert_after(model, binding.stmt, &[text.into_bytes()]);
        out.extend(moved.rewrite, [Edit::insert(at, text)]);
    }
}

fn common_len(a: &DottedPath, b: &DottedPath) -> usize {
    a.segments()
        .iter()
        .zip(b.segments())
        .take_while(|(x, y)| x == y)
        .count()
}
