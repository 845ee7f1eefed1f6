//! Attribute chains inside string annotations (`x: "np.float_"`, `-> "Optional[a.old.T]"`):
//! the string's text is parsed as an expression, and each chain through an import binding
//! is planned as the same chain outside a string would be, when the new spelling goes
//! through the same bound name (`np.float64`, `np.char.chararray` with
//! `attribute_of_parent`). Otherwise the chain is reported (`attribute-symbol`): an
//! import added for a string the interpreter may never evaluate is not worth the risk.

use tree_sitter::Node;

use super::bindings::Bindings;
use super::{Fix, PlanOutput, Reason, Site};
use crate::analyze::FileModel;
use crate::analyze::names::{chain_of, plain_string};
use crate::edit::Edit;
use crate::spec::DottedPath;

/// Plans the chains of every plain string annotation.
pub fn plan_annotation_chains(
    model: &FileModel<'_>,
    bindings: &Bindings<'_>,
    out: &mut PlanOutput<'_>,
) {
    for (string, scopes) in &model.collected.annotation_strings {
        let Some(content) = plain_string(model.bytes, *string) else {
            continue;
        };
        let text = &model.bytes[content.clone()];
        if !text.contains(&b'.') || text.contains(&b'\n') || text.contains(&b'#') {
            continue;
        }
        let Some(tree) = crate::parse::parse(text) else {
            continue;
        };
        if crate::parse::error_count(&tree) > 0 {
            continue;
        }
        let enclosing = model.scopes_of(*scopes);
        for (idents, path) in outer_chains(text, tree.root_node()) {
            let root = path.first();
            let Some((scope, in_scope)) = bindings.seen_from(model, enclosing, root) else {
                continue;
            };
            let Some(binding) = in_scope.first() else {
                continue;
            };
            if in_scope.iter().any(|b| b.is_blocked()) || model.binds_otherwise(scope, root) {
                continue;
            }
            let absolute = if binding.is_root() {
                path.clone()
            } else {
                binding.path.join(&path.segments()[1..])
            };
            let Some(full) = model.resolve(&absolute) else {
                continue;
            };
            let at = content.start + idents[0].start_byte();
            let span = at..content.start + idents[idents.len() - 1].end_byte();
            let bound_now = binding.path_after();
            let through = full.home.parent().as_ref() == Some(bound_now)
                || (full.attribute_of_parent && full.home.starts_with(bound_now));
            let spelled = if !full.target.starts_with(bound_now) || !through {
                None
            } else if binding.is_root() {
                (full.target.first() == root).then(|| full.target.to_string())
            } else {
                let rest = &full.target.segments()[bound_now.len()..];
                Some(binding.local.as_str().to_string())
                    .map(|local| rest.iter().fold(local, |s, r| format!("{s}.{r}")))
            };
            let Some(spelled) = spelled else {
                let fix = Fix::Manual(Reason::AttributeSymbol);
                out.add(at, &full, absolute, Site::Usage, fix);
                continue;
            };
            let finding = out.add(at, &full, absolute, Site::Usage, Fix::Rewritten);
            let rewrite = out.rewrite(vec![finding], vec![Edit::replace(span, spelled)]);
            if let Some(moved) = binding.moved() {
                out.together(rewrite, moved.rewrite);
            }
        }
    }
}

/// The outermost attribute chains rooted at a name in a parsed annotation.
fn outer_chains<'t>(text: &[u8], root: Node<'t>) -> Vec<(Vec<Node<'t>>, DottedPath)> {
    let mut chains = Vec::new();
    crate::parse::walk(root, |node| {
        if node.kind() != "attribute" {
            return true;
        }
        match chain_of(text, node) {
            Some(chain) => {
                chains.push(chain);
                false
            }
            None => true,
        }
    });
    chains
}
