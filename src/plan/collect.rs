//! One iterative walk over the tree that gathers the nodes the planner works on.

use tree_sitter::Node;

use super::PlanInput;

/// The nodes of one file the planner cares about, in source order.
pub struct Collected<'t> {
    /// Import statements that parse cleanly: no ERROR/MISSING inside, no ERROR ancestor.
    pub imports: Vec<Node<'t>>,
    /// Regions to scan for references by their bytes: outermost ERROR nodes, and import
    /// statements with a MISSING or ERROR node inside that are not within an ERROR node.
    pub broken: Vec<Node<'t>>,
    /// Relative imports (`from .old import X`), clean ones only (also in `imports`).
    pub relative_imports: Vec<Node<'t>>,
    pub comments: Vec<Node<'t>>,
    /// Calls outside ERROR regions (string targets such as `mock.patch("…")`).
    pub calls: Vec<Node<'t>>,
    /// String literals outside ERROR regions (for mentions).
    pub strings: Vec<Node<'t>>,
    pub version_branches: super::branches::VersionBranches,
}

pub fn collect<'t>(input: &PlanInput<'t>) -> Collected<'t> {
    let mut collected = Collected {
        imports: Vec::new(),
        broken: Vec::new(),
        relative_imports: Vec::new(),
        comments: Vec::new(),
        calls: Vec::new(),
        strings: Vec::new(),
        version_branches: Default::default(),
    };
    // Depth of the outermost ERROR ancestor of the current node, if any.
    let mut error_depth: Option<u32> = None;
    crate::parse::walk_cursor(input.tree.root_node(), |cursor, depth| {
        let node = cursor.node();
        if error_depth.is_some_and(|d| depth <= d) {
            error_depth = None;
        }
        match node.kind() {
            "ERROR" if error_depth.is_none() => {
                collected.broken.push(node);
                error_depth = Some(depth);
            }
            // Import statements are still descended into, for comments (`# reroute:
            // ignore` inside parentheses).
            "import_statement" | "import_from_statement" if error_depth.is_none() => {
                if node.has_error() {
                    collected.broken.push(node);
                } else {
                    if is_relative(node) {
                        collected.relative_imports.push(node);
                    }
                    collected.imports.push(node);
                }
            }
            "comment" => collected.comments.push(node),
            "call" if error_depth.is_none() => collected.calls.push(node),
            "string" if error_depth.is_none() => collected.strings.push(node),
            "if_statement" => collected.version_branches.add_if(input, node),
            _ => {}
        }
        true
    });
    collected
}

fn is_relative(node: Node<'_>) -> bool {
    node.child_by_field_name("module_name")
        .is_some_and(|module| module.kind() == "relative_import")
}
