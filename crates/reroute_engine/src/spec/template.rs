//! A `[[remove]]` entry's `replace` expression (`"-{root}.inf"`): checked to be one Python
//! expression when the codemod loads, and sorted by how tightly it binds, so that a use
//! site is parenthesised only where its context needs it.

use tree_sitter::Node;

/// The placeholder for how the use site spells the module.
pub const ROOT: &str = "{root}";

/// How tightly an expression binds, loosest last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Binding {
    /// A name, attribute, call, subscript, literal or bracketed display: fits anywhere.
    Primary,
    /// `a ** b`.
    Power,
    /// `-x`, `+x`, `~x`.
    Unary,
    /// Anything looser (`a + b`, `a if c else b`, `not x`, `lambda`).
    Loose,
}

/// A checked replacement expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
    binding: Binding,
}

impl Template {
    /// Checks `text`: one expression, `{root}` the only placeholder. `Err` says what a
    /// valid one looks like.
    pub fn parse(text: &str) -> Result<Template, &'static str> {
        let probe = text.replace(ROOT, "_root_");
        if probe.contains(['{', '}']) {
            return Err("the only placeholder is `{root}`, e.g. \"-{root}.inf\"");
        }
        if probe.trim().is_empty() || probe.contains(['\n', '\r', '#']) {
            return Err("write one expression on one line, e.g. \"-{root}.inf\" or \"0.0\"");
        }
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .map_err(|_| "the Python grammar could not be loaded")?;
        let tree = parser
            .parse(probe.as_bytes(), None)
            .ok_or("write one Python expression")?;
        let root = tree.root_node();
        let statement = (root.named_child_count() == 1)
            .then(|| root.named_child(0))
            .flatten()
            .filter(|s| s.kind() == "expression_statement" && s.named_child_count() == 1);
        let expression = statement
            .and_then(|s| s.named_child(0))
            .filter(|e| !matches!(e.kind(), "assignment" | "augmented_assignment" | "yield"));
        let Some(expression) = expression.filter(|_| !root.has_error()) else {
            return Err("write one Python expression, e.g. \"-{root}.inf\" or \"{root}.isin\"");
        };
        Ok(Template {
            text: text.trim().to_string(),
            binding: binding_of(expression),
        })
    }

    /// The expression with `{root}` spelled `root`.
    pub fn render(&self, root: &str) -> String {
        self.text.replace(ROOT, root)
    }

    /// The expression as written in the codemod.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// How tightly the expression binds.
    pub fn binding(&self) -> Binding {
        self.binding
    }

    /// True when the expression must be parenthesised to stand where `replaced` stands.
    pub fn needs_parens(&self, replaced: Node<'_>) -> bool {
        let Some(parent) = replaced.parent() else {
            return false;
        };
        let is = |field: &str| {
            parent
                .child_by_field_name(field)
                .is_some_and(|n| n.id() == replaced.id())
        };
        let primary_position = match parent.kind() {
            "attribute" => is("object"),
            "call" => is("function"),
            "subscript" => is("value"),
            "await" => true,
            _ => false,
        };
        let power_left = parent.kind() == "binary_operator"
            && is("left")
            && parent
                .child_by_field_name("operator")
                .is_some_and(|op| op.kind() == "**");
        match self.binding {
            Binding::Primary => false,
            Binding::Power | Binding::Unary => primary_position || power_left,
            Binding::Loose => !is_free(parent.kind()),
        }
    }
}

/// Places where any expression stands as it is.
fn is_free(kind: &str) -> bool {
    matches!(
        kind,
        "expression_statement"
            | "assignment"
            | "augmented_assignment"
            | "argument_list"
            | "keyword_argument"
            | "return_statement"
            | "parenthesized_expression"
            | "list"
            | "tuple"
            | "set"
            | "pair"
            | "default_parameter"
            | "typed_default_parameter"
            | "yield"
            | "expression_list"
    )
}

fn binding_of(expression: Node<'_>) -> Binding {
    match expression.kind() {
        "unary_operator" => Binding::Unary,
        "binary_operator"
            if expression
                .child_by_field_name("operator")
                .is_some_and(|op| op.kind() == "**") =>
        {
            Binding::Power
        }
        "identifier"
        | "attribute"
        | "call"
        | "subscript"
        | "integer"
        | "float"
        | "string"
        | "concatenated_string"
        | "true"
        | "false"
        | "none"
        | "parenthesized_expression"
        | "list"
        | "tuple"
        | "dictionary"
        | "set"
        | "list_comprehension"
        | "set_comprehension"
        | "dictionary_comprehension"
        | "generator_expression"
        | "ellipsis" => Binding::Primary,
        _ => Binding::Loose,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(template: &str, source: &str) -> String {
        // Replaces the first `X.Y` attribute of `source` the way the planner does.
        let template = Template::parse(template).unwrap();
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        let tree = parser.parse(source, None).unwrap();
        let start = source.find("np.OLD").unwrap();
        let node = tree
            .root_node()
            .descendant_for_byte_range(start, start + 6)
            .unwrap();
        assert_eq!(node.kind(), "attribute");
        let text = template.render("np");
        let text = if template.needs_parens(node) {
            format!("({text})")
        } else {
            text
        };
        format!("{}{}{}", &source[..start], text, &source[start + 6..])
    }

    #[test]
    fn parenthesises_only_where_precedence_needs_it() {
        assert_eq!(wrapped("-{root}.inf", "lo = np.OLD\n"), "lo = -np.inf\n");
        assert_eq!(
            wrapped("-{root}.inf", "x = np.OLD ** 0.5\n"),
            "x = (-np.inf) ** 0.5\n"
        );
        assert_eq!(
            wrapped("-{root}.inf", "x = 2 ** np.OLD\n"),
            "x = 2 ** -np.inf\n"
        );
        assert_eq!(
            wrapped("-{root}.inf", "x = np.OLD.real\n"),
            "x = (-np.inf).real\n"
        );
        assert_eq!(wrapped("-{root}.inf", "f(np.OLD, 1)\n"), "f(-np.inf, 1)\n");
        assert_eq!(
            wrapped("-{root}.inf", "y = 1 - np.OLD\n"),
            "y = 1 - -np.inf\n"
        );
        assert_eq!(wrapped("0.0", "y = np.OLD * 2\n"), "y = 0.0 * 2\n");
        assert_eq!(
            wrapped("{root}.inf", "y = np.OLD.real\n"),
            "y = np.inf.real\n"
        );
        assert_eq!(
            wrapped("{root}.a + 1", "y = 2 * np.OLD\n"),
            "y = 2 * ({root}.a + 1)\n".replace("{root}", "np")
        );
        assert_eq!(wrapped("{root}.a + 1", "y = np.OLD\n"), "y = np.a + 1\n");
    }

    #[test]
    fn rejects_what_is_not_one_expression() {
        assert!(Template::parse("-{root}.inf").is_ok());
        assert!(Template::parse("{module}.inf").is_err());
        assert!(Template::parse("x = 1").is_err());
        assert!(Template::parse("a\nb").is_err());
        assert!(Template::parse("(").is_err());
        assert!(Template::parse("").is_err());
        assert_eq!(Template::parse("0.0").unwrap().binding(), Binding::Primary);
        assert_eq!(
            Template::parse("-{root}.inf").unwrap().binding(),
            Binding::Unary
        );
    }
}
