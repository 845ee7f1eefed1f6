//! Planning `import …` and `from … import …` statements.
//!
//! In place when it can be: module and name nodes are renamed where they stand. A
//! from-import whose names now live in different modules keeps its first name's group in
//! place and gets one new statement per other group (placement rule in `place`). A renamed
//! symbol keeps its local name (`NewName as OldName`). An import that duplicates an earlier
//! binding of the same name to the same target in the same block is dropped.

use std::collections::HashMap;

use tree_sitter::Node;

use super::collect::Collected;
use super::place;
use super::relative::{self, Relative};
use super::scope::{Scopes, scope_of};
use super::suppress::Suppressions;
use super::{Findings, Fix, PlanInput, Reason, Site};
use crate::edit::Edit;
use crate::ruleset::Resolution;
use crate::spec::{DottedPath, Identifier, RuleId};

/// A name bound by an import, as the usage pass needs it.
pub struct ImportBinding<'t> {
    pub stmt: Node<'t>,
    /// Id of the scope node that holds the import.
    pub scope: usize,
    pub local: Identifier,
    /// A plain unaliased `import P`: binds `P`'s first segment and loads `P`.
    pub is_root: bool,
    /// `P` for root bindings; otherwise the full path the name is bound to.
    pub path: DottedPath,
    /// Where the import now points, when this plan rewrites (or drops) it.
    pub new_path: Option<DottedPath>,
    /// Suppressed or left for a person: its uses are left alone too.
    pub blocked: bool,
    pub dropped: bool,
    pub rule: Option<RuleId>,
    /// `rename_usages`: the name the import binds now; uses are renamed to it.
    pub renamed_to: Option<Identifier>,
}

pub struct ImportPlan<'t> {
    pub edits: Vec<Edit>,
    pub bindings: Vec<ImportBinding<'t>>,
}

/// One item of an import list: `a.b`, `a.b as c`, `X`, `X as Y`.
struct Item<'t> {
    node: Node<'t>,
    name_node: Node<'t>,
    alias: Option<Identifier>,
    /// The dotted name as written.
    path: DottedPath,
    /// The full path of what the item imports (`module.name` for from-imports).
    full: DottedPath,
    resolution: Option<Resolution>,
    /// A move applies but the item is suppressed or left for a person.
    blocked: bool,
    /// `rename_usages`: the import binds the new name, and uses follow.
    renames: bool,
}

impl Item<'_> {
    /// The name the statement binds: the alias, or the first segment (plain import), or the
    /// name (from-import).
    fn local(&self, is_from: bool) -> &Identifier {
        match &self.alias {
            Some(alias) => alias,
            None if is_from => self.path.last(),
            None => self.path.first(),
        }
    }

    fn target(&self) -> &DottedPath {
        self.resolution.as_ref().map_or(&self.full, |r| &r.target)
    }
}

/// A name bound by an import that stays in the file, for duplicate detection.
struct Binding {
    block: usize,
    local: Identifier,
    target: DottedPath,
    start: usize,
}

pub fn plan_imports<'t>(
    input: &PlanInput<'t>,
    collected: &Collected<'t>,
    suppressions: &Suppressions,
    findings: &mut Findings<'_>,
) -> ImportPlan<'t> {
    let mut plan = ImportPlan {
        edits: Vec::new(),
        bindings: Vec::new(),
    };
    let mut bindings: Vec<Binding> = Vec::new();
    let mut scopes = Scopes::default();
    let mut names = FileNames::new(collected);
    // How many statements of each block are removed entirely (to put `pass` in an emptied
    // block).
    let mut removed_in_block: HashMap<usize, Vec<(Node<'t>, RuleId)>> = HashMap::new();
    for &stmt in &collected.imports {
        let is_from = stmt.kind() == "import_from_statement";
        let Some(module) = from_module(input, stmt, is_from) else {
            continue;
        };
        if is_from
            && stmt
                .children(&mut stmt.walk())
                .any(|c| c.kind() == "wildcard_import")
        {
            plan_wildcard(input, stmt, &module, suppressions, &mut plan, findings);
            if let Some(module) = &module {
                report_star_names(input, module, &mut names, &mut scopes, findings);
            }
            continue;
        }
        let relative = is_from
            .then(|| stmt.child_by_field_name("module_name"))
            .flatten()
            .filter(|m| m.kind() == "relative_import")
            .and_then(|_| relative::resolve(input, stmt));
        let mut items = list_items(input, stmt, module.as_ref());
        if let Some(relative) = &relative {
            for item in items.iter_mut() {
                if item
                    .resolution
                    .as_ref()
                    .is_some_and(|r| relative.moves_with_file(&item.full, r))
                {
                    item.resolution = None;
                }
            }
        }
        let block = stmt.parent().map_or(0, |p| p.id());
        let rows = stmt.start_position().row..=stmt.end_position().row;
        // Every name becomes a top-level module: the statement is replaced whole, which
        // must not swallow a comment inside it.
        let replaced_whole = is_from
            && input.text(stmt).contains(&b'#')
            && items
                .iter()
                .all(|i| i.resolution.as_ref().is_some_and(|r| r.target.len() == 1));
        for item in items.iter_mut() {
            let Some(resolution) = &item.resolution else {
                continue;
            };
            let fix = if suppressions.is_suppressed(rows.clone(), resolution.rule()) {
                Some(Fix::Suppressed)
            } else if collected.version_branches.contains(stmt) {
                Some(Fix::Note(super::Note::VersionBranch))
            } else if is_self_import(input, resolution, is_from) {
                Some(Fix::Manual(Reason::SelfImport))
            } else if !input.is_utf8 && !resolution.target.to_string().is_ascii() {
                Some(Fix::Manual(Reason::Encoding))
            } else if replaced_whole {
                Some(Fix::Manual(Reason::CommentInTheWay))
            } else if !is_from && root_conflicts(input, item, &mut names) {
                let name = resolution.target.first().to_string();
                Some(Fix::Manual(Reason::NameConflict { name }))
            } else if wants_rename(item, is_from) {
                let scope_node = scope_of(stmt);
                let old = item.local(is_from).clone();
                let new = resolution.target.last().clone();
                if scopes.binds_otherwise(input, scope_node, &old)
                    || class_binds(input, &mut scopes, &old)
                {
                    Some(Fix::Manual(Reason::NameConflict {
                        name: old.to_string(),
                    }))
                } else if names.is_taken(input, &new, item.node.id()) {
                    Some(Fix::Manual(Reason::NameConflict {
                        name: new.to_string(),
                    }))
                } else {
                    item.renames = true;
                    None
                }
            } else {
                None
            };
            if let Some(fix) = fix {
                let (old, _) = reference_paths(item, module.as_ref());
                let mut reported = resolution.clone();
                if let Some(module) = module.as_ref().filter(|m| is_module_move(item, m)) {
                    // Name the module's new home, as the rewritten findings do.
                    reported.target = new_module_of(item).unwrap_or_else(|| module.clone());
                }
                findings.add(item.node.start_byte(), &reported, old, Site::Import, fix);
                item.resolution = None;
                item.blocked = true;
            }
        }
        // Duplicates of an earlier binding that always runs before this statement (same
        // block, or an enclosing block of the same scope) are dropped. Bindings in a sibling
        // branch (`try:` vs `except ImportError:`) do not count.
        // A name the scope also binds otherwise (`X = X.wrapped()`) is never dropped:
        // the earlier import may no longer be what the name holds.
        let enclosing_blocks = enclosing_blocks(stmt);
        let scope = scope_of(stmt);
        let drop: Vec<bool> = items
            .iter()
            .map(|item| {
                item.resolution.is_some()
                    && !scopes.binds_otherwise(input, scope, item.local(is_from))
                    && bindings.iter().any(|b| {
                        enclosing_blocks.contains(&b.block)
                            && b.start < stmt.start_byte()
                            && b.local == *item.local(is_from)
                            && b.target == *item.target()
                    })
            })
            .collect();
        for item in items.iter().filter(|i| i.resolution.is_some()) {
            let (old, offset) = reference_paths(item, module.as_ref());
            let resolution = item.resolution.as_ref().expect("filtered on is_some");
            let mut reported = resolution.clone();
            if let Some(module) = module.as_ref().filter(|m| is_module_move(item, m)) {
                // Report the module move once per statement, not once per name.
                reported.target = new_module_of(item).unwrap_or_else(|| module.clone());
            }
            findings.add(offset, &reported, old, Site::Import, Fix::Rewritten);
        }
        for (item, dropped) in items.iter().zip(&drop) {
            // `import old` (one segment) keeps its name with `as`: like an alias.
            let is_root = !is_from && item.alias.is_none() && item.path.len() > 1;
            plan.bindings.push(ImportBinding {
                stmt,
                scope: scope.id(),
                local: item.local(is_from).clone(),
                is_root,
                path: if is_root {
                    item.path.clone()
                } else {
                    item.full.clone()
                },
                new_path: item.resolution.as_ref().map(|r| r.target.clone()),
                blocked: item.blocked,
                dropped: *dropped,
                rule: item.resolution.as_ref().map(|r| r.rule().clone()),
                renamed_to: item.renames.then(|| item.target().last().clone()),
            });
            if !dropped {
                bindings.push(Binding {
                    block,
                    local: item.local(is_from).clone(),
                    target: item.target().clone(),
                    start: stmt.start_byte(),
                });
            }
        }
        if items.iter().all(|item| item.resolution.is_none()) {
            continue;
        }
        let rule = first_rule(&items);
        if drop.iter().all(|d| *d) {
            removed_in_block
                .entry(block)
                .or_default()
                .push((stmt, rule));
            continue;
        }
        if is_from {
            let module = module.expect("from-imports have a module");
            let statement = FromStatement {
                stmt,
                module: &module,
                relative: relative.as_ref(),
            };
            plan_from(input, &statement, &items, &drop, &rule, &mut plan.edits);
        } else {
            plan_plain(input, &items, &drop, &rule, &mut plan);
        }
    }
    remove_statements(input, removed_in_block, &mut plan.edits);
    plan
}

/// Ids of the blocks that hold `stmt`, innermost first, up to and including the body of
/// its scope (function, class or module).
fn enclosing_blocks(stmt: Node<'_>) -> Vec<usize> {
    let mut blocks = Vec::new();
    let mut node = stmt.parent();
    while let Some(current) = node {
        if matches!(current.kind(), "block" | "module") {
            blocks.push(current.id());
        }
        let parent = current.parent();
        if parent.is_some_and(|p| matches!(p.kind(), "function_definition" | "class_definition")) {
            break;
        }
        node = parent;
    }
    blocks
}

/// The module of a from-import (`None` for plain imports, and `Some(None)` never happens:
/// the outer option says whether the statement can be planned at all).
fn from_module(input: &PlanInput<'_>, stmt: Node<'_>, is_from: bool) -> Option<Option<DottedPath>> {
    if !is_from {
        return Some(None);
    }
    let module = stmt.child_by_field_name("module_name")?;
    match module.kind() {
        "dotted_name" => dotted(input, module).map(Some),
        "relative_import" => relative::resolve(input, stmt).map(|r| Some(r.module)),
        _ => None,
    }
}

/// The items of the statement's name list, resolved.
fn list_items<'t>(
    input: &PlanInput<'t>,
    stmt: Node<'t>,
    module: Option<&DottedPath>,
) -> Vec<Item<'t>> {
    let mut cursor = stmt.walk();
    let mut items = Vec::new();
    for node in stmt.children_by_field_name("name", &mut cursor) {
        let (name_node, alias) = match node.kind() {
            "aliased_import" => {
                let Some(name) = node.child_by_field_name("name") else {
                    continue;
                };
                let alias = node
                    .child_by_field_name("alias")
                    .map(|a| input.identifier(a));
                (name, alias)
            }
            _ => (node, None),
        };
        let Some(path) = dotted(input, name_node) else {
            continue;
        };
        let full = match module {
            Some(module) => DottedPath::from_segments(
                module
                    .segments()
                    .iter()
                    .chain(path.segments())
                    .cloned()
                    .collect(),
            )
            .expect("non-empty"),
            None => path.clone(),
        };
        let resolution = input.resolve(&full);
        items.push(Item {
            node,
            name_node,
            alias,
            path,
            full,
            resolution,
            blocked: false,
            renames: false,
        });
    }
    items
}

/// The identifiers of a `dotted_name` node as a path.
pub fn dotted(input: &PlanInput<'_>, node: Node<'_>) -> Option<DottedPath> {
    let mut cursor = node.walk();
    let segments: Vec<Identifier> = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "identifier")
        .map(|c| input.identifier(c))
        .collect();
    DottedPath::from_segments(segments)
}

/// The path a finding names for `item` and where it points: the module for module moves,
/// the full name for symbol moves.
fn reference_paths(item: &Item<'_>, module: Option<&DottedPath>) -> (DottedPath, usize) {
    match module {
        Some(module) if is_module_move(item, module) => (
            module.clone(),
            item.node.parent().map_or(item.node.start_byte(), |p| {
                p.child_by_field_name("module_name")
                    .map_or(p.start_byte(), |m| m.start_byte())
            }),
        ),
        Some(_) => (item.full.clone(), item.name_node.start_byte()),
        None => (item.full.clone(), item.node.start_byte()),
    }
}

/// True when the move that matched covers the statement's module (the module moved), as
/// opposed to a move of the imported name itself.
fn is_module_move(item: &Item<'_>, module: &DottedPath) -> bool {
    item.resolution
        .as_ref()
        .is_some_and(|r| module.starts_with(&r.matched) && new_module_of(item).is_some())
}

/// The module a from-import item now comes from (`None` when it became a top-level name).
fn new_module_of(item: &Item<'_>) -> Option<DottedPath> {
    item.target().parent()
}

fn first_rule(items: &[Item<'_>]) -> RuleId {
    items
        .iter()
        .find_map(|i| i.resolution.as_ref().map(|r| r.rule().clone()))
        .expect("called with at least one resolved item")
}

fn is_self_import(input: &PlanInput<'_>, resolution: &Resolution, is_from: bool) -> bool {
    let imported_module = if is_from {
        resolution.target.parent()
    } else {
        Some(resolution.target.clone())
    };
    imported_module.is_some_and(|m| m.len() > 1 && input.is_own_module(&m))
}

/// A plain `import a.b` whose first segment changes would bind a new name; it must not
/// already mean something else in the file (after this plan's other rewrites).
fn root_conflicts<'t>(
    input: &PlanInput<'t>,
    item: &Item<'_>,
    names: &mut FileNames<'_, 't>,
) -> bool {
    let Some(resolution) = &item.resolution else {
        return false;
    };
    if item.alias.is_some()
        || item.path.len() == 1
        || resolution.target.first() == item.path.first()
    {
        return false;
    }
    let new_root = resolution.target.first();
    let imported_otherwise = names
        .bindings_after(input)
        .iter()
        .any(|(node, local, is_package)| {
            *node != item.node.id() && local == new_root && !is_package
        });
    imported_otherwise || names.used(input).contains(new_root)
}

/// True when some class body binds `name` and also reads it: a class body reads names it
/// has not bound yet from the module (`Old = Old`), which no static rename can follow.
fn class_binds(input: &PlanInput<'_>, scopes: &mut Scopes, name: &Identifier) -> bool {
    super::usages::name_uses(input, name.as_str())
        .into_iter()
        .any(|(node, enclosing)| {
            enclosing.last().is_some_and(|scope| {
                scope.kind() == "class_definition"
                    && !super::scope::is_binding_position(node)
                    && scopes.binds_otherwise(input, *scope, name)
            })
        })
}

/// `rename_usages` applies and would change the bound name: an unaliased from-import
/// item, or `import old` of one segment whose new home is one segment too.
fn wants_rename(item: &Item<'_>, is_from: bool) -> bool {
    let Some(resolution) = item.resolution.as_ref().filter(|r| r.rename_usages) else {
        return false;
    };
    let changes = resolution.target.last() != item.local(is_from);
    let shape = if is_from {
        resolution.target.len() > 1
    } else {
        item.path.len() == 1 && resolution.target.len() == 1
    };
    let reexport = item.alias.as_ref() == Some(item.path.last()) && is_from;
    (item.alias.is_none() || reexport) && changes && shape
}

/// File-wide facts for the name-conflict check, each computed on first use.
struct FileNames<'a, 't> {
    imports: &'a [Node<'t>],
    /// Every import item's bound name after this plan: (item node id, name, whether it is
    /// the first segment of a plain import, i.e. a package).
    bindings_after: Option<Vec<(usize, Identifier, bool)>>,
    /// Names used or bound outside imports.
    used: Option<std::collections::HashSet<Identifier>>,
}

impl<'a, 't> FileNames<'a, 't> {
    fn new(collected: &'a Collected<'t>) -> Self {
        FileNames {
            imports: &collected.imports,
            bindings_after: None,
            used: None,
        }
    }

    fn bindings_after(&mut self, input: &PlanInput<'t>) -> &[(usize, Identifier, bool)] {
        let imports = self.imports;
        self.bindings_after.get_or_insert_with(|| {
            let mut bindings = Vec::new();
            for &stmt in imports {
                let is_from = stmt.kind() == "import_from_statement";
                let Some(module) = from_module(input, stmt, is_from) else {
                    continue;
                };
                for item in list_items(input, stmt, module.as_ref()) {
                    let plain_root = !is_from && item.alias.is_none() && item.path.len() > 1;
                    let local = if plain_root {
                        item.target().first().clone()
                    } else {
                        item.local(is_from).clone()
                    };
                    bindings.push((item.node.id(), local, plain_root));
                }
            }
            bindings
        })
    }

    /// True when `name` is bound or used in the file other than by import item `item`.
    fn is_taken(&mut self, input: &PlanInput<'t>, name: &Identifier, item: usize) -> bool {
        self.bindings_after(input)
            .iter()
            .any(|(node, local, _)| *node != item && local == name)
            || self.used(input).contains(name)
    }

    fn used(&mut self, input: &PlanInput<'_>) -> &std::collections::HashSet<Identifier> {
        self.used
            .get_or_insert_with(|| super::usages::all_name_uses(input))
    }
}

fn plan_wildcard(
    input: &PlanInput<'_>,
    stmt: Node<'_>,
    module: &Option<DottedPath>,
    suppressions: &Suppressions,
    plan: &mut ImportPlan<'_>,
    findings: &mut Findings<'_>,
) {
    let (Some(module), Some(module_node)) = (module, stmt.child_by_field_name("module_name"))
    else {
        return;
    };
    let Some(resolution) = input.resolve(module) else {
        return;
    };
    let rows = stmt.start_position().row..=stmt.end_position().row;
    let fix = if suppressions.is_suppressed(rows, resolution.rule()) {
        Fix::Suppressed
    } else if resolution.target.len() > 1 && input.is_own_module(&resolution.target) {
        Fix::Manual(Reason::SelfImport)
    } else {
        Fix::Rewritten
    };
    if fix == Fix::Rewritten {
        let edit = if module_node.kind() == "relative_import" {
            relative::resolve(input, stmt).map(|relative| {
                Edit::replace(
                    module_node.byte_range(),
                    relative.spell(&resolution.target),
                    resolution.rule().clone(),
                )
            })
        } else {
            rename_dotted(input, module_node, &resolution.target, resolution.rule())
        };
        plan.edits.extend(edit);
    }
    findings.add(
        module_node.start_byte(),
        &resolution,
        module.clone(),
        Site::Import,
        fix,
    );
}

/// Names a star import used to provide that moved elsewhere: each one the file uses
/// unqualified, with no other binding, is reported at its first use (`star-import`).
fn report_star_names<'t>(
    input: &PlanInput<'t>,
    module: &DottedPath,
    names: &mut FileNames<'_, 't>,
    scopes: &mut Scopes,
    findings: &mut Findings<'_>,
) {
    let star_now = input
        .resolve(module)
        .map_or_else(|| module.clone(), |r| r.target);
    let root = input.tree.root_node();
    for moved in input.rules.moves() {
        if moved.from.parent().as_ref() != Some(module) {
            continue;
        }
        let Some(resolution) = input.resolve(&moved.from) else {
            continue;
        };
        let name = moved.from.last();
        if resolution.target.parent().as_ref() == Some(&star_now)
            && resolution.target.last() == name
        {
            continue; // still provided by the rewritten star import
        }
        let bound = names
            .bindings_after(input)
            .iter()
            .any(|(_, local, _)| local == name)
            || scopes.binds_otherwise(input, root, name);
        if bound {
            continue;
        }
        let first_use = super::usages::name_uses(input, name.as_str())
            .into_iter()
            .map(|(node, _)| node)
            .find(|node| !super::scope::is_binding_position(*node));
        if let Some(node) = first_use {
            let reason = Reason::StarImport {
                name: name.to_string(),
            };
            let at = node.start_byte();
            findings.add(
                at,
                &resolution,
                moved.from.clone(),
                Site::Usage,
                Fix::Manual(reason),
            );
        }
    }
}

/// The minimal edit that turns `node` (a `dotted_name`) into `new`: unchanged leading
/// segments and their spacing stay.
pub fn rename_dotted(
    input: &PlanInput<'_>,
    node: Node<'_>,
    new: &DottedPath,
    rule: &RuleId,
) -> Option<Edit> {
    let mut cursor = node.walk();
    let idents: Vec<Node<'_>> = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "identifier")
        .collect();
    rename_segments(input, &idents, new, rule)
}

/// The minimal edit that turns the identifiers `idents` (the segments of one dotted name,
/// in order, separated only by dots and space) into `new`.
pub fn rename_segments(
    input: &PlanInput<'_>,
    idents: &[Node<'_>],
    new: &DottedPath,
    rule: &RuleId,
) -> Option<Edit> {
    let end = idents.last()?.end_byte();
    let old: Vec<Identifier> = idents.iter().map(|c| input.identifier(*c)).collect();
    let common = old
        .iter()
        .zip(new.segments())
        .take_while(|(a, b)| a == b)
        .count();
    let rest = |from: usize| {
        new.segments()[from..]
            .iter()
            .map(Identifier::as_str)
            .collect::<Vec<_>>()
            .join(".")
    };
    if common == old.len() && common == new.len() {
        None
    } else if common < old.len() && common < new.len() {
        Some(Edit::replace(
            idents[common].start_byte()..end,
            rest(common),
            rule.clone(),
        ))
    } else if common == old.len() {
        Some(Edit::insert(
            end,
            format!(".{}", rest(common)),
            rule.clone(),
        ))
    } else {
        Some(Edit::delete(
            idents[common - 1].end_byte()..end,
            rule.clone(),
        ))
    }
}

/// A from-import being planned: its module (absolute) and, for a relative import, how it
/// was resolved.
struct FromStatement<'a, 't> {
    stmt: Node<'t>,
    module: &'a DottedPath,
    relative: Option<&'a Relative>,
}

impl FromStatement<'_, '_> {
    /// How a from-import in this statement's style names `module`.
    fn spell(&self, module: &DottedPath) -> String {
        match self.relative {
            Some(relative) => relative.spell(module),
            None => module.to_string(),
        }
    }
}

fn plan_from(
    input: &PlanInput<'_>,
    statement: &FromStatement<'_, '_>,
    items: &[Item<'_>],
    drop: &[bool],
    rule: &RuleId,
    edits: &mut Vec<Edit>,
) {
    let (stmt, module) = (statement.stmt, statement.module);
    // Group kept items by the module they now come from; `None` = a top-level name.
    let new_modules: Vec<Option<DottedPath>> = items
        .iter()
        .map(|item| match &item.resolution {
            Some(_) => new_module_of(item),
            None => Some(module.clone()),
        })
        .collect();
    let in_place = (0..items.len()).find(|&i| !drop[i] && new_modules[i].is_some());
    let Some(in_place) = in_place else {
        // Every kept name became a top-level module: `import new as old, …`.
        let entries: Vec<String> = items
            .iter()
            .zip(drop)
            .filter(|(_, dropped)| !**dropped)
            .map(|(item, _)| format!("{} as {}", item.target(), item.local(true)))
            .collect();
        edits.push(Edit::replace(
            stmt.byte_range(),
            format!("import {}", entries.join(", ")),
            rule.clone(),
        ));
        return;
    };
    let kept_module = new_modules[in_place].clone().expect("found with is_some");
    let module_node = stmt
        .child_by_field_name("module_name")
        .expect("checked by from_module");
    if statement.relative.is_some() {
        if kept_module != *module {
            edits.push(Edit::replace(
                module_node.byte_range(),
                statement.spell(&kept_module),
                rule.clone(),
            ));
        }
    } else if let Some(edit) = rename_dotted(input, module_node, &kept_module, rule) {
        edits.push(edit);
    }
    let mut remove = vec![false; items.len()];
    let mut groups: Vec<(Option<DottedPath>, Vec<String>)> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if drop[index] {
            remove[index] = true;
            continue;
        }
        if new_modules[index].as_ref() == Some(&kept_module) {
            if let Some(edit) = rename_name(input, item, rule) {
                edits.push(edit);
            }
            continue;
        }
        remove[index] = true;
        let entry = entry_text(item);
        match groups.iter_mut().find(|(m, _)| *m == new_modules[index]) {
            Some((_, entries)) => entries.push(entry),
            None => groups.push((new_modules[index].clone(), vec![entry])),
        }
    }
    let nodes: Vec<Node<'_>> = items.iter().map(|i| i.node).collect();
    for range in place::list_item_removals(input, &nodes, &remove) {
        edits.push(Edit::delete(range, rule.clone()));
    }
    let statements: Vec<Vec<u8>> = groups
        .into_iter()
        .map(|(module, entries)| match module {
            Some(module) => format!(
                "from {} import {}",
                statement.spell(&module),
                entries.join(", ")
            )
            .into_bytes(),
            None => format!("import {}", entries.join(", ")).into_bytes(),
        })
        .collect();
    if !statements.is_empty() {
        let (at, text) = place::insert_after(input, stmt, &statements);
        edits.push(Edit::insert(at, text, rule.clone()));
    }
}

/// The text of an item in a new statement: `Name`, `NewName as Old`, `Name as Alias`.
fn entry_text(item: &Item<'_>) -> String {
    let target = item.target();
    let new_name = target.last();
    if target.len() == 1 {
        return format!("{} as {}", target, item.local(true));
    }
    match &item.alias {
        Some(_) if item.renames => format!("{new_name} as {new_name}"),
        Some(alias) => format!("{new_name} as {alias}"),
        None if new_name == item.path.last() || item.renames => new_name.to_string(),
        None => format!("{new_name} as {}", item.path.last()),
    }
}

/// Renames an item kept in place: `Old` → `New as Old`, `Old as X` → `New as X`.
fn rename_name(input: &PlanInput<'_>, item: &Item<'_>, rule: &RuleId) -> Option<Edit> {
    let resolution = item.resolution.as_ref()?;
    let new_name = resolution.target.last();
    if new_name == item.path.last() && item.path.len() == 1 {
        return None;
    }
    let new_name_path = DottedPath::from_segments(vec![new_name.clone()]).expect("one segment");
    match &item.alias {
        // `Old as Old` (an explicit re-export) renamed: `New as New`.
        Some(_) if item.renames => Some(Edit::replace(
            item.node.byte_range(),
            format!("{new_name} as {new_name}"),
            rule.clone(),
        )),
        Some(_) => rename_dotted(input, item.name_node, &new_name_path, rule),
        None if item.renames => rename_dotted(input, item.name_node, &new_name_path, rule),
        None => Some(Edit::replace(
            item.name_node.byte_range(),
            format!("{new_name} as {}", item.path.last()),
            rule.clone(),
        )),
    }
}

fn plan_plain<'t>(
    input: &PlanInput<'t>,
    items: &[Item<'t>],
    drop: &[bool],
    rule: &RuleId,
    plan: &mut ImportPlan<'t>,
) {
    for (item, dropped) in items.iter().zip(drop) {
        let Some(resolution) = &item.resolution else {
            continue;
        };
        if *dropped {
            continue;
        }
        let target = &resolution.target;
        if item.alias.is_none() && item.path.len() == 1 && !item.renames {
            // `import old` binds `old`: keep that name.
            plan.edits.push(Edit::replace(
                item.name_node.byte_range(),
                format!("{target} as {}", item.path),
                resolution.rule().clone(),
            ));
            continue;
        }
        if let Some(edit) = rename_dotted(input, item.name_node, target, resolution.rule()) {
            plan.edits.push(edit);
        }
    }
    if drop.iter().any(|d| *d) {
        let nodes: Vec<Node<'_>> = items.iter().map(|i| i.node).collect();
        for range in place::list_item_removals(input, &nodes, drop) {
            plan.edits.push(Edit::delete(range, rule.clone()));
        }
    }
}

/// Removes whole statements; a block left with no statement gets `pass` instead.
fn remove_statements<'t>(
    input: &PlanInput<'t>,
    removed: HashMap<usize, Vec<(Node<'t>, RuleId)>>,
    edits: &mut Vec<Edit>,
) {
    let mut blocks: Vec<Vec<(Node<'t>, RuleId)>> = removed.into_values().collect();
    blocks.sort_by_key(|stmts| stmts[0].0.start_byte());
    for stmts in blocks {
        let parent = stmts[0].0.parent();
        let remaining = parent.map_or(1, |block| {
            let mut cursor = block.walk();
            block
                .named_children(&mut cursor)
                .filter(|c| c.kind() != "comment" && !stmts.iter().any(|(s, _)| s.id() == c.id()))
                .count()
        });
        let is_module = parent.is_none_or(|p| p.kind() == "module");
        for (index, (stmt, rule)) in stmts.iter().enumerate() {
            if index == 0 && remaining == 0 && !is_module {
                edits.push(Edit::replace(stmt.byte_range(), "pass", rule.clone()));
            } else {
                edits.push(Edit::delete(
                    place::statement_removal(input, *stmt),
                    rule.clone(),
                ));
            }
        }
    }
}
