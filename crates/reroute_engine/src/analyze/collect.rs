//! The one walk over a parsed file: gathers every node the rewrite passes work on, the
//! name index, the attribute chains and the annotation strings, with their scopes.

use tree_sitter::Node;

use super::branches::VersionBranches;
use super::input::FileInput;
use super::names::{
    Chain, NameIndex, ScopeChainId, ScopeChains, chain_of, identifier, module_assignment,
};
use super::scope::walk_scoped;
use crate::spec::DottedPath;

/// What the walk found, in source order.
#[derive(Default)]
pub struct Collected<'t> {
    /// Import statements that parse cleanly: no ERROR/MISSING inside, no ERROR ancestor.
    pub imports: Vec<ImportSite<'t>>,
    /// Regions to scan for references by their bytes: outermost ERROR nodes, and import
    /// statements with a MISSING or ERROR node inside that are not within an ERROR node.
    pub broken: Vec<Node<'t>>,
    pub comments: Vec<Node<'t>>,
    /// Calls outside ERROR regions (string targets such as `mock.patch("…")`).
    pub calls: Vec<Node<'t>>,
    /// String literals outside ERROR regions (for mentions).
    pub strings: Vec<Node<'t>>,
    pub version_branches: VersionBranches,
    pub scope_chains: ScopeChains<'t>,
    pub names: NameIndex<'t>,
    /// Attribute chains and dotted `match` patterns outside ERROR regions and imports: the
    /// longest per root identifier, by start.
    pub chains: Vec<Chain<'t>>,
    /// String literals inside annotations (`x: "Old"`), with the annotation's scopes.
    pub annotation_strings: Vec<(Node<'t>, ScopeChainId)>,
    /// Assignments that bind a name to a module (`np = pytest.importorskip("numpy")`).
    pub module_assignments: Vec<ModuleAssignment<'t>>,
}

/// `name = importorskip("module")` and the like (see `names::module_assignment`).
pub struct ModuleAssignment<'t> {
    /// The assignment.
    pub node: Node<'t>,
    /// The block (or module) that holds it.
    pub block: Node<'t>,
    /// The innermost scope that holds it.
    pub scope: Node<'t>,
    /// The name bound.
    pub name: Node<'t>,
    /// The module it is bound to.
    pub module: DottedPath,
}

/// Where an import statement stands, read off the walk's path (`Node::parent` costs the
/// number of nodes before it at every level, so it is not asked per statement).
pub struct ImportSite<'t> {
    pub node: Node<'t>,
    /// The block (or module) that holds the statement.
    pub block: Node<'t>,
    /// The innermost scope (module, function or class) that holds it.
    pub scope: Node<'t>,
    /// Ids of the blocks that hold it, innermost first, up to and including the body of
    /// its scope.
    pub enclosing_blocks: Vec<usize>,
}

/// Depth of the outermost node of a kind that is open on the walk's path.
#[derive(Default)]
struct Open(Option<u32>);

impl Open {
    /// Closes the region when the walk has left it (now at `depth`).
    fn leave(&mut self, depth: u32) {
        if self.0.is_some_and(|d| depth <= d) {
            self.0 = None;
        }
    }
    fn enter(&mut self, depth: u32) {
        self.0.get_or_insert(depth);
    }
    fn is_open(&self) -> bool {
        self.0.is_some()
    }
}

pub fn collect<'t>(input: &FileInput<'t>) -> Collected<'t> {
    let mut found = Collected::default();
    let mut error = Open::default();
    let mut import = Open::default();
    let mut annotation = Open::default();
    let mut annotation_scopes = None;
    // Attribute names and keyword-argument names are not names in scope; marked from the
    // parent so no `Node::parent` call is needed per identifier.
    let mut not_names = std::collections::HashSet::new();
    let mut inner_objects = std::collections::HashSet::new();
    // The nodes from the root to the current one.
    let mut path: Vec<Node<'t>> = Vec::new();
    walk_scoped(input.tree.root_node(), |node, depth, scopes| {
        path.truncate(depth as usize);
        path.push(node);
        error.leave(depth);
        import.leave(depth);
        annotation.leave(depth);
        let kind = node.kind();
        match kind {
            "ERROR" if !error.is_open() => {
                found.broken.push(node);
                error.enter(depth);
            }
            // Import statements are still descended into, for comments (`# reroute:
            // ignore` inside parentheses).
            "import_statement" | "import_from_statement" if !error.is_open() => {
                if node.has_error() {
                    found.broken.push(node);
                } else if let Some(site) = import_site(&path, scopes) {
                    found.imports.push(site);
                }
            }
            "comment" => found.comments.push(node),
            "assignment" if !error.is_open() => {
                if let Some((name, module)) = module_assignment(input.bytes, node) {
                    found.module_assignments.push(ModuleAssignment {
                        node,
                        block: path
                            .iter()
                            .rev()
                            .find(|n| matches!(n.kind(), "block" | "module"))
                            .copied()
                            .unwrap_or(path[0]),
                        scope: *scopes.last().unwrap_or(&path[0]),
                        name,
                        module,
                    });
                }
            }
            "call" if !error.is_open() => found.calls.push(node),
            "string" if !error.is_open() => found.strings.push(node),
            "if_statement" => found.version_branches.add_if(input, node),
            "type" if !error.is_open() && !annotation.is_open() => {
                annotation.enter(depth);
                annotation_scopes = Some(found.scope_chains.intern(scopes));
            }
            _ => {}
        }
        if kind == "string"
            && annotation.is_open()
            && let Some(scopes) = annotation_scopes
        {
            found.annotation_strings.push((node, scopes));
        }
        if matches!(
            kind,
            "import_statement" | "import_from_statement" | "future_import_statement"
        ) {
            import.enter(depth);
        }
        if import.is_open() {
            return true;
        }
        match kind {
            "attribute" => {
                not_names.extend(node.child_by_field_name("attribute").map(|n| n.id()));
                // The object of an attribute that is itself an attribute is a prefix of
                // the chain found there (reading it again is quadratic in long chains).
                let is_prefix = inner_objects.remove(&node.id());
                if let Some(object) = node.child_by_field_name("object")
                    && object.kind() == "attribute"
                {
                    inner_objects.insert(object.id());
                }
                if !error.is_open()
                    && !is_prefix
                    && let Some((idents, path)) = chain_of(input.bytes, node)
                {
                    let scopes = found.scope_chains.intern(scopes);
                    found.chains.push(Chain {
                        idents,
                        path,
                        scopes,
                    });
                }
            }
            "keyword_argument" => {
                not_names.extend(node.child_by_field_name("name").map(|n| n.id()));
            }
            "dotted_name" if !error.is_open() => {
                let mut cursor = node.walk();
                let idents: Vec<Node<'t>> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "identifier")
                    .collect();
                // Past the first, the segments of a dotted name (a `case a.b.C():`
                // pattern) are attributes, not uses of a name bound here (issue 20: a
                // `rename_usages` move renamed the `C` of `a.b.C` as if it were its own).
                not_names.extend(idents.iter().skip(1).map(|n| n.id()));
                if idents.len() > 1 {
                    let segments = idents.iter().map(|n| identifier(input.bytes, *n));
                    if let Some(path) = DottedPath::from_segments(segments.collect()) {
                        let scopes = found.scope_chains.intern(scopes);
                        found.chains.push(Chain {
                            idents,
                            path,
                            scopes,
                        });
                    }
                }
            }
            "identifier" if !not_names.contains(&node.id()) => {
                let scopes = found.scope_chains.intern(scopes);
                found.names.add(identifier(input.bytes, node), node, scopes);
            }
            _ => {}
        }
        true
    });
    let chains = &mut found.chains;
    chains.sort_by_key(|c| (c.idents[0].start_byte(), std::cmp::Reverse(c.idents.len())));
    chains.dedup_by_key(|c| c.idents[0].start_byte());
    found
}

/// The site of the import statement at the end of `path` (`None` for a root node).
fn import_site<'t>(path: &[Node<'t>], scopes: &[Node<'t>]) -> Option<ImportSite<'t>> {
    let (&node, ancestors) = path.split_last()?;
    let block = *ancestors.last()?;
    let mut enclosing_blocks = Vec::new();
    for (index, current) in ancestors.iter().enumerate().rev() {
        if matches!(current.kind(), "block" | "module") {
            enclosing_blocks.push(current.id());
        }
        let parent = index.checked_sub(1).map(|i| ancestors[i]);
        if parent.is_some_and(|p| matches!(p.kind(), "function_definition" | "class_definition")) {
            break;
        }
    }
    Some(ImportSite {
        node,
        block,
        scope: *scopes.last().unwrap_or(&path[0]),
        enclosing_blocks,
    })
}
