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

use super::imports::{ImportBinding, rename_segments};
use super::place;
use super::scope::{Scopes, walk_scoped};
use super::{Findings, Fix, PlanInput, Reason, Site};
use crate::edit::Edit;
use crate::spec::{DottedPath, Identifier, RuleId};

/// An identifier-rooted dotted use (`a.b.c`): its identifier nodes, root first.
pub struct Chain<'t> {
    pub idents: Vec<Node<'t>>,
    pub path: DottedPath,
    /// Scopes enclosing the chain, outermost first.
    pub scopes: Vec<Node<'t>>,
}

/// Plans the uses; returns the start of every chain whose first name an edit replaced
/// (the rename pass leaves those alone).
pub fn plan_usages(
    input: &PlanInput<'_>,
    bindings: &[ImportBinding<'_>],
    version_branches: &super::branches::VersionBranches,
    edits: &mut Vec<Edit>,
    findings: &mut Findings<'_>,
) -> Vec<usize> {
    let relevant: Vec<&ImportBinding<'_>> =
        bindings.iter().filter(|b| is_relevant(input, b)).collect();
    if relevant.is_empty() {
        return Vec::new();
    }
    let mut replaced_roots: Vec<usize> = Vec::new();
    let roots: HashSet<&Identifier> = relevant.iter().map(|b| &b.local).collect();
    let mut scopes = Scopes::default();
    let mut consumed_roots: Vec<usize> = Vec::new();
    let mut homes = Homes {
        bindings,
        needed: Vec::new(),
        used: None,
    };
    for chain in chains(input) {
        let root = chain.path.first();
        if !roots.contains(root) {
            continue;
        }
        let binds_import = |scope: usize| {
            bindings
                .iter()
                .any(|b| b.scope == scope && b.local == *root)
        };
        let Some(scope) = scopes.resolving_scope(input, &chain.scopes, root, &binds_import) else {
            continue;
        };
        let in_scope: Vec<&ImportBinding<'_>> = bindings
            .iter()
            .filter(|b| b.scope == scope.id() && b.local == *root)
            .collect();
        if scopes.binds_otherwise(input, scope, root) {
            // Also assigned in that scope: which binding a use sees is not static. Left
            // alone, and reported when the use reaches a moved name.
            let name = chain.path.first().to_string();
            let fix = Fix::Manual(Reason::NameConflict { name });
            report_use(input, &chain, &in_scope, fix, findings);
            continue;
        }
        if in_scope.is_empty() || in_scope.iter().any(|b| b.blocked) {
            continue;
        }
        if version_branches.contains(chain.idents[0]) {
            let fix = Fix::Note(super::Note::VersionBranch);
            report_use(input, &chain, &in_scope, fix, findings);
            continue;
        }
        if let Some((chain_edits, root_changed)) =
            plan_chain(input, &chain, &in_scope, &mut homes, findings)
        {
            let root = chain.idents[0].byte_range();
            if root_changed {
                consumed_roots.push(root.start);
            }
            if chain_edits.iter().any(|e| {
                e.range.start < root.end && root.start < e.range.end.max(e.range.start + 1)
            }) {
                replaced_roots.push(root.start);
            }
            edits.extend(chain_edits);
        }
    }
    keep_old_roots(input, bindings, &consumed_roots, edits);
    homes.add_imports(input, edits);
    replaced_roots
}

/// Imports of moved symbols' new homes that rewritten uses need, and the facts that say
/// whether such an import may be added.
struct Homes<'a, 't> {
    bindings: &'a [ImportBinding<'t>],
    /// (module to import, the statement binding the use's root, its scope, rule).
    needed: Vec<(DottedPath, Node<'t>, usize, RuleId)>,
    used: Option<HashSet<Identifier>>,
}

impl<'t> Homes<'_, 't> {
    /// Whether `import module` may be added: its first name is free, or already bound by a
    /// plain `import` of the same package.
    fn can_bind(&mut self, input: &PlanInput<'_>, module: &DottedPath) -> bool {
        let root = module.first();
        let bound_by_import = self.bindings.iter().filter(|b| b.local == *root);
        let mut plain = false;
        for binding in bound_by_import {
            if !binding.is_root && binding.path.len() > 1 || binding.path.first() != root {
                return false;
            }
            plain = true;
        }
        plain
            || !self
                .used
                .get_or_insert_with(|| all_name_uses(input))
                .contains(root)
    }

    fn need(&mut self, module: DottedPath, binding: &ImportBinding<'t>, rule: &RuleId) {
        let loaded = self.bindings.iter().any(|b| {
            b.is_root
                && b.scope == binding.scope
                && !b.dropped
                && local_path(b).starts_with(&module)
        });
        let known = self
            .needed
            .iter()
            .any(|(m, _, scope, _)| *m == module && *scope == binding.scope);
        if !loaded && !known {
            self.needed
                .push((module, binding.stmt, binding.scope, rule.clone()));
        }
    }

    /// One `import module` per module and scope, after the statement that binds the uses.
    fn add_imports(self, input: &PlanInput<'_>, edits: &mut Vec<Edit>) {
        for (module, stmt, _, rule) in self.needed {
            let text = format!("import {module}").into_bytes();
            let followed_on_line = stmt
                .next_sibling()
                .is_some_and(|next| next.start_position().row == stmt.end_position().row);
            let (at, text) = if followed_on_line {
                // `import a.old; print(a.old.X)`: the new import must come before the use.
                (stmt.end_byte(), [b"; ".as_slice(), &text].concat())
            } else {
                place::insert_after(input, stmt, &[text])
            };
            edits.push(Edit::insert(at, text, rule));
        }
    }
}

/// The path a plain import loads after this plan.
fn local_path(binding: &ImportBinding<'_>) -> DottedPath {
    binding
        .new_path
        .clone()
        .unwrap_or_else(|| binding.path.clone())
}

/// A use left as it is (its first name also assigned in the scope, or in a
/// `sys.version_info` branch): reported with `fix` when it reaches a moved name.
fn report_use(
    input: &PlanInput<'_>,
    chain: &Chain<'_>,
    in_scope: &[&ImportBinding<'_>],
    fix: Fix,
    findings: &mut Findings<'_>,
) {
    let Some(absolute) = absolute_name(chain, in_scope) else {
        return;
    };
    if let Some(resolution) = input.resolve(&absolute) {
        let at = chain.idents[0].start_byte();
        findings.add(at, &resolution, absolute, Site::Usage, fix);
    }
}

/// The full name a chain spells through the import that binds its first name.
fn absolute_name(chain: &Chain<'_>, in_scope: &[&ImportBinding<'_>]) -> Option<DottedPath> {
    if in_scope.is_empty() {
        return None;
    }
    Some(match in_scope.iter().find(|b| !b.is_root) {
        Some(binding) => join(&binding.path, &chain.path.segments()[1..]),
        None => chain.path.clone(),
    })
}

/// A binding whose uses may reach a moved name.
fn is_relevant(input: &PlanInput<'_>, binding: &ImportBinding<'_>) -> bool {
    let base = if binding.is_root {
        binding.path.prefix(1)
    } else {
        binding.path.clone()
    };
    binding.new_path.is_some()
        || input.resolve(&base).is_some()
        || input.rules.has_move_under(&base)
}

/// Rewrites or reports one chain; returns the edit and whether it changed the chain's root.
fn plan_chain<'t>(
    input: &PlanInput<'_>,
    chain: &Chain<'_>,
    in_scope: &[&ImportBinding<'t>],
    homes: &mut Homes<'_, 't>,
    findings: &mut Findings<'_>,
) -> Option<(Vec<Edit>, bool)> {
    // The import the chain goes through: one whose whole path the chain starts with, else
    // the longest shared prefix; a rewritten one wins a tie.
    let root_binding = in_scope
        .iter()
        .filter(|b| b.is_root)
        .map(|b| (common_len(&chain.path, &b.path), *b))
        .filter(|(k, _)| *k >= 1)
        .max_by_key(|(k, b)| (*k == b.path.len(), *k, b.new_path.is_some()));
    if let Some((k, binding)) = root_binding {
        let full = input.resolve(&chain.path)?;
        let prefix = chain.path.prefix(k);
        let rewritable = binding.new_path.is_some()
            && input
                .resolve(&prefix)
                .is_some_and(|p| join(&p.target, &chain.path.segments()[k..]) == full.target);
        if !rewritable {
            let bound_now = input.resolve(&prefix).map_or(prefix.clone(), |p| p.target);
            let through = Through {
                chain,
                binding,
                bound_len: k,
                bound_now: &bound_now,
                absolute: &chain.path,
                full: &full,
            };
            return through.plan(input, homes, findings);
        }
        let resolution = input.resolve(&prefix)?;
        let Some(edits) = rename_chain(
            input,
            &chain.idents[..k],
            &resolution.target,
            resolution.rule(),
        ) else {
            let fix = Fix::Manual(Reason::CommentInTheWay);
            findings.add(
                chain.idents[0].start_byte(),
                &resolution,
                prefix,
                Site::Usage,
                fix,
            );
            return None;
        };
        findings.add(
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
    let binding = in_scope.iter().find(|b| !b.is_root)?;
    if binding.new_path.is_none() && input.resolve(&binding.path).is_some() {
        return None; // the bound module itself moved and its import stays: so do its uses
    }
    let absolute = join(&binding.path, &chain.path.segments()[1..]);
    let full = input.resolve(&absolute)?;
    let bound_now = binding.new_path.as_ref().unwrap_or(&binding.path);
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
    through.plan(input, homes, findings)
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
        input: &PlanInput<'_>,
        homes: &mut Homes<'_, 't>,
        findings: &mut Findings<'_>,
    ) -> Option<(Vec<Edit>, bool)> {
        let (chain, full) = (self.chain, self.full);
        let at = chain.idents[self.bound_len.min(chain.idents.len() - 1)].start_byte();
        let report = |findings: &mut Findings<'_>, reason: Reason| {
            let fix = Fix::Manual(reason);
            findings.add(at, full, self.absolute.clone(), Site::Usage, fix);
            None
        };
        let home = &full.home;
        let tail = full.target.len().checked_sub(home.len());
        let symbol_len = tail.and_then(|t| chain.idents.len().checked_sub(t));
        let Some(symbol_len) = symbol_len.filter(|len| *len > self.bound_len) else {
            return report(findings, Reason::AttributeSymbol);
        };
        let rule = full.rule();
        let stays = home.parent().as_ref() == Some(self.bound_now);
        let (idents, new) = if stays && !self.binding.is_root {
            let rest = home.segments()[self.bound_now.len()..].to_vec();
            let new = DottedPath::from_segments(rest).expect("home is longer than its parent");
            (&chain.idents[1..symbol_len], new)
        } else {
            (&chain.idents[..symbol_len], home.clone())
        };
        if !stays {
            let Some(module) = home.parent() else {
                return report(findings, Reason::AttributeSymbol);
            };
            if !homes.can_bind(input, &module) {
                let name = module.first().to_string();
                return report(findings, Reason::NameConflict { name });
            }
            if !input.is_utf8 && !home.to_string().is_ascii() {
                return report(findings, Reason::Encoding);
            }
            let Some(edits) = rename_chain(input, idents, &new, rule) else {
                return report(findings, Reason::CommentInTheWay);
            };
            homes.need(module, self.binding, rule);
            findings.add(at, full, self.absolute.clone(), Site::Usage, Fix::Rewritten);
            return Some((edits, home.first() != chain.path.first()));
        }
        let Some(edits) = rename_chain(input, idents, &new, rule) else {
            return report(findings, Reason::CommentInTheWay);
        };
        findings.add(at, full, self.absolute.clone(), Site::Usage, Fix::Rewritten);
        Some((
            edits,
            self.binding.is_root && home.first() != chain.path.first(),
        ))
    }
}

/// Edits that turn the chain segments `idents` into `new` without touching comments
/// between them (`(a  # why\n .old.f())`); `None` when that is impossible (a comment where
/// segments would be removed).
fn rename_chain(
    input: &PlanInput<'_>,
    idents: &[Node<'_>],
    new: &DottedPath,
    rule: &RuleId,
) -> Option<Vec<Edit>> {
    let (first, last) = (idents.first()?, idents.last()?);
    if !input.bytes[first.start_byte()..last.end_byte()].contains(&b'#') {
        return Some(
            rename_segments(input, idents, new, rule)
                .into_iter()
                .collect(),
        );
    }
    let shared = idents.len().min(new.len());
    let mut edits = Vec::new();
    for (node, segment) in idents.iter().zip(new.segments()).take(shared) {
        if input.identifier(*node) != *segment {
            edits.push(Edit::replace(
                node.byte_range(),
                segment.as_str(),
                rule.clone(),
            ));
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
            rule.clone(),
        ));
    } else if new.len() < idents.len() {
        let removed = idents[new.len() - 1].end_byte()..last.end_byte();
        if input.bytes[removed.clone()].contains(&b'#') {
            return None;
        }
        edits.push(Edit::delete(removed, rule.clone()));
    }
    Some(edits)
}

fn join(base: &DottedPath, tail: &[Identifier]) -> DottedPath {
    let mut segments = base.segments().to_vec();
    segments.extend_from_slice(tail);
    DottedPath::from_segments(segments).expect("base is not empty")
}

/// Adds an import that keeps the old first name bound, after a rewritten plain import
/// whose first segment changed, when the file still uses that name and nothing else
/// binds it.
fn keep_old_roots(
    input: &PlanInput<'_>,
    bindings: &[ImportBinding<'_>],
    consumed_roots: &[usize],
    edits: &mut Vec<Edit>,
) {
    let mut scopes = Scopes::default();
    let mut done: Vec<(&Identifier, usize)> = Vec::new();
    for binding in bindings {
        let Some(new_path) = &binding.new_path else {
            continue;
        };
        let root = &binding.local;
        if !binding.is_root
            || binding.dropped
            || binding.path.len() == 1
            || new_path.first() == root
        {
            continue;
        }
        if done.contains(&(root, binding.scope)) {
            continue;
        }
        done.push((root, binding.scope));
        let binds_import = |scope: usize| {
            bindings
                .iter()
                .any(|b| b.scope == scope && b.local == *root)
        };
        let still_used = name_uses(input, root.as_str())
            .iter()
            .any(|(node, enclosing)| {
                !consumed_roots.contains(&node.start_byte())
                    && scopes
                        .resolving_scope(input, enclosing, root, &binds_import)
                        .is_some_and(|s| s.id() == binding.scope)
            });
        let bound_otherwise = bindings.iter().any(|other| {
            other.scope == binding.scope && !other.dropped && local_after(other) == root
        });
        if !still_used || bound_otherwise {
            continue;
        }
        let text = match input.resolve(&binding.path.prefix(1)) {
            Some(moved) => format!("import {} as {root}", moved.target),
            None => {
                // The longest part of the old path that did not move (`import a.old` when
                // only `a.old.sub` moved): the remaining uses may need it loaded.
                let kept = (1..binding.path.len())
                    .rev()
                    .map(|len| binding.path.prefix(len))
                    .find(|prefix| input.resolve(prefix).is_none())
                    .unwrap_or_else(|| binding.path.prefix(1));
                format!("import {kept}")
            }
        };
        let (at, text) = place::insert_after(input, binding.stmt, &[text.into_bytes()]);
        let rule = binding
            .rule
            .clone()
            .expect("rewritten bindings carry their rule");
        edits.push(Edit::insert(at, text, rule));
    }
}

/// The name a binding binds after this plan.
fn local_after<'a>(binding: &'a ImportBinding<'_>) -> &'a Identifier {
    match (&binding.new_path, binding.is_root && binding.path.len() > 1) {
        (Some(new_path), true) => new_path.first(),
        _ => &binding.local,
    }
}

fn common_len(a: &DottedPath, b: &DottedPath) -> usize {
    a.segments()
        .iter()
        .zip(b.segments())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Identifier-rooted attribute chains (the longest per root) and dotted `match` patterns,
/// outside ERROR regions and imports.
fn chains<'t>(input: &PlanInput<'t>) -> Vec<Chain<'t>> {
    let mut found = Vec::new();
    walk_scoped(input.tree.root_node(), |node, scopes| match node.kind() {
        "ERROR" | "import_statement" | "import_from_statement" | "future_import_statement" => false,
        "attribute" => {
            if let Some(mut chain) = chain_of(input, node) {
                chain.scopes = scopes.to_vec();
                found.push(chain);
            }
            true
        }
        "dotted_name" => {
            let mut cursor = node.walk();
            let idents: Vec<Node<'t>> = node
                .named_children(&mut cursor)
                .filter(|c| c.kind() == "identifier")
                .collect();
            if idents.len() > 1 {
                let path = DottedPath::from_segments(
                    idents.iter().map(|n| input.identifier(*n)).collect(),
                );
                if let Some(path) = path {
                    found.push(Chain {
                        idents,
                        path,
                        scopes: scopes.to_vec(),
                    });
                }
            }
            false
        }
        _ => true,
    });
    found.sort_by_key(|c| (c.idents[0].start_byte(), std::cmp::Reverse(c.idents.len())));
    found.dedup_by_key(|c| c.idents[0].start_byte());
    found
}

pub fn chain_of<'t>(input: &PlanInput<'t>, node: Node<'t>) -> Option<Chain<'t>> {
    let mut idents = Vec::new();
    let mut current = node;
    while current.kind() == "attribute" {
        idents.push(current.child_by_field_name("attribute")?);
        current = current.child_by_field_name("object")?;
    }
    if current.kind() != "identifier" {
        return None;
    }
    idents.push(current);
    idents.reverse();
    let segments = idents.iter().map(|n| input.identifier(*n)).collect();
    Some(Chain {
        idents,
        path: DottedPath::from_segments(segments)?,
        scopes: Vec::new(),
    })
}

/// Identifier nodes named `name` in expression or binding position (not attribute names,
/// keyword-argument names or import paths), each with its enclosing scopes.
pub fn name_uses<'t>(input: &PlanInput<'t>, name: &str) -> Vec<(Node<'t>, Vec<Node<'t>>)> {
    let mut uses = Vec::new();
    visit_name_uses(input, |node, text, scopes| {
        if text.as_str() == name {
            uses.push((node, scopes.to_vec()));
        }
    });
    uses
}

/// Every name used or bound outside imports.
pub fn all_name_uses(input: &PlanInput<'_>) -> HashSet<Identifier> {
    let mut names = HashSet::new();
    visit_name_uses(input, |_, text, _| {
        names.insert(text);
    });
    names
}

fn visit_name_uses<'t>(
    input: &PlanInput<'t>,
    mut visit: impl FnMut(Node<'t>, Identifier, &[Node<'t>]),
) {
    let keyword_names = std::cell::RefCell::new(HashSet::new());
    walk_scoped(input.tree.root_node(), |node, scopes| match node.kind() {
        "import_statement" | "import_from_statement" | "future_import_statement" => false,
        // Attribute names and keyword-argument names are not names in scope; mark them
        // from the parent so no `Node::parent` call is needed per identifier.
        "attribute" => {
            if let Some(name) = node.child_by_field_name("attribute") {
                keyword_names.borrow_mut().insert(name.id());
            }
            true
        }
        "keyword_argument" => {
            if let Some(name) = node.child_by_field_name("name") {
                keyword_names.borrow_mut().insert(name.id());
            }
            true
        }
        "identifier" => {
            if !keyword_names.borrow().contains(&node.id()) {
                visit(node, input.identifier(node), scopes);
            }
            false
        }
        _ => true,
    });
}
