//! String literals: rewritten in known target positions (`mock.patch("a.old.X")`,
//! `importlib.import_module("a.old")`) for moves with `strings = true`; every other string
//! or comment holding a moved path is a *mention*, reported only on request.

use std::collections::HashSet;

use tree_sitter::Node;

use super::suppress::Suppressions;
use super::{Fix, PlanOutput, Reason, Site, TargetKind};
use crate::analyze::FileModel;
use crate::analyze::names::chain_of;
use crate::edit::Edit;
use crate::ruleset::Role;
use crate::spec::DottedPath;

/// Callees whose first argument is a dotted target string, by kind.
const TARGET_CALLEES: &[(&str, TargetKind)] = &[
    ("patch", TargetKind::Patch),
    ("mock.patch", TargetKind::Patch),
    ("unittest.mock.patch", TargetKind::Patch),
    ("mocker.patch", TargetKind::Patch),
    ("patch.dict", TargetKind::Patch),
    ("mock.patch.dict", TargetKind::Patch),
    ("unittest.mock.patch.dict", TargetKind::Patch),
    ("mocker.patch.dict", TargetKind::Patch),
    ("importlib.import_module", TargetKind::ImportModule),
    ("import_module", TargetKind::ImportModule),
    ("pkgutil.resolve_name", TargetKind::ResolveName),
    ("resolve_name", TargetKind::ResolveName),
    ("monkeypatch.setattr", TargetKind::Monkeypatch),
    ("monkeypatch.delattr", TargetKind::Monkeypatch),
];

pub fn plan_strings(model: &FileModel<'_>, suppressions: &Suppressions, out: &mut PlanOutput<'_>) {
    let collected = &model.collected;
    let mut handled: HashSet<usize> = HashSet::new();
    for call in &collected.calls {
        let Some(target) = target_argument(model, *call) else {
            continue;
        };
        handled.insert(target.argument.id());
        if let Some(package) = target.package {
            handled.insert(package.id());
            if super::package_arg::plan_package(model, target.argument, package, suppressions, out)
            {
                continue;
            }
        }
        if let Some(path) = relative_path(model, &target) {
            // Reported, not rewritten: the split between package and name is the caller's.
            if let Some(resolution) = model.resolve(&path).filter(|r| r.strings) {
                let fix = Fix::Manual(Reason::DynamicString);
                out.add(
                    target.argument.start_byte(),
                    &resolution,
                    path,
                    Site::Target(target.kind),
                    fix,
                );
            }
            continue;
        }
        plan_target(model, &target, suppressions, out);
    }
    super::mentions::plan_mentions(model, &handled, out);
}

/// The first positional argument (or `target=`) of a call to a known target callee.
fn target_argument<'t>(model: &FileModel<'t>, call: Node<'t>) -> Option<Target<'t>> {
    let function = call.child_by_field_name("function")?;
    let written = match function.kind() {
        "identifier" => DottedPath::from_segments(vec![model.identifier(function)])?,
        "attribute" => chain_of(model.bytes, function)?.1,
        _ => return None,
    };
    // As written (`mock.patch`), else through the import that binds its first name
    // (`from pkgutil import resolve_name as rn`; `import importlib as il`).
    let callee = [Some(written.clone()), imported_as(model, &written)]
        .into_iter()
        .flatten()
        .map(|path| path.to_string())
        .find(|callee| TARGET_CALLEES.iter().any(|(name, _)| name == callee))?;
    let kind = TARGET_CALLEES
        .iter()
        .find(|(name, _)| *name == callee)
        .map(|(_, kind)| *kind)?;
    let arguments = call.child_by_field_name("arguments")?;
    let mut cursor = arguments.walk();
    let arguments: Vec<Node<'t>> = arguments
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect();
    // The target keyword (`target=` for patch, `name=` for import_module / resolve_name)
    // wherever it stands, else the first positional argument.
    let keyword = arguments.iter().find_map(|argument| {
        if argument.kind() != "keyword_argument" {
            return None;
        }
        let name = argument.child_by_field_name("name")?;
        if matches!(model.text(name), b"target" | b"name") {
            argument.child_by_field_name("value")
        } else {
            None
        }
    });
    let first = arguments
        .first()
        .copied()
        .filter(|a| a.kind() != "keyword_argument");
    let argument = keyword.or(first)?;
    // `import_module(".sub", "pkg")` (or `package="pkg"`) is relative to that package.
    let package_keyword = arguments.iter().find_map(|argument| {
        let name = argument.child_by_field_name("name")?;
        (argument.kind() == "keyword_argument" && model.text(name) == b"package")
            .then(|| argument.child_by_field_name("value"))
            .flatten()
    });
    let second = arguments
        .get(1)
        .copied()
        .filter(|a| a.kind() != "keyword_argument");
    let package = package_keyword
        .or(second)
        .filter(|p| p.kind() == "string" && callee.ends_with("import_module"));
    // `monkeypatch.setattr(module, "name", v)`: an object, not a dotted string; the code
    // passes rewrite it as code (issue 18: it was also reported as a dynamic string). An
    // `import_module(name, "pkg")` still has its package argument to check.
    if package.is_none()
        && matches!(
            argument.kind(),
            "identifier" | "attribute" | "subscript" | "call"
        )
    {
        return None;
    }
    Some(Target {
        argument,
        package,
        kind,
    })
}

/// `path` with its first name replaced by the full path an import of the file binds it to
/// under another name (`rn` → `pkgutil.resolve_name`); `None` when no such import does.
fn imported_as(model: &FileModel<'_>, path: &DottedPath) -> Option<DottedPath> {
    let first = path.first();
    let bound = model.imports.iter().find_map(|stmt| {
        stmt.items.iter().find_map(|item| {
            let aliased = item.alias.as_ref() == Some(first) && item.path.last() != first;
            aliased.then(|| item.full.clone())
        })
    })?;
    Some(bound.join(&path.segments()[1..]))
}

/// The string argument of a target call, and for `import_module(".x", "pkg")` the package.
struct Target<'t> {
    argument: Node<'t>,
    package: Option<Node<'t>>,
    kind: TargetKind,
}

/// `".sub"` with package `"pkg"` as the absolute path `pkg.sub`.
fn relative_path(model: &FileModel<'_>, target: &Target<'_>) -> Option<DottedPath> {
    let package = target.package?;
    let text = |node: Node<'_>| {
        super::mentions::plain_content(model, node).and_then(|range| {
            std::str::from_utf8(&model.bytes[range])
                .ok()
                .map(str::to_owned)
        })
    };
    let relative = text(target.argument)?;
    if !relative.starts_with('.') || relative.starts_with("..") {
        return None;
    }
    DottedPath::parse(&format!("{}{relative}", text(package)?))
}

fn plan_target(
    model: &FileModel<'_>,
    target: &Target<'_>,
    suppressions: &Suppressions,
    out: &mut PlanOutput<'_>,
) {
    let (argument, kind) = (target.argument, target.kind);
    let content = super::mentions::plain_content(model, argument);
    let Some((range, name)) = content.as_ref().and_then(|range| {
        let text = std::str::from_utf8(&model.bytes[range.clone()]).ok()?;
        // The import system does not NFKC-normalise strings: `"a.ｏｌｄ"` is another module.
        if text.contains(char::is_whitespace) || !is_nfkc_stable(text) {
            return None;
        }
        Some((range.clone(), TargetName::parse(text)?))
    }) else {
        // Not a plain dotted literal (f-string, `+`, escapes): report it when it names a
        // moved path. Python does not normalise strings, so only exact spellings count.
        let text = model.text(argument);
        let is_exact = std::str::from_utf8(text).is_ok_and(is_nfkc_stable);
        if let Some(run) = super::mentions::moved_run(model, text).filter(|_| is_exact) {
            let (offset, path, resolution) = run;
            if resolution.strings {
                let fix = Fix::Manual(Reason::DynamicString);
                out.add(
                    argument.start_byte() + offset,
                    &resolution,
                    path,
                    Site::Target(kind),
                    fix,
                );
            } else if model.mentions {
                out.add(
                    argument.start_byte() + offset,
                    &resolution,
                    path,
                    Site::String,
                    Fix::Mention,
                );
            }
        }
        return;
    };
    let path = name.full();
    // `import_module("P")` and `resolve_name("P:")` name a module.
    let role = match (&name, target.kind) {
        (_, TargetKind::ImportModule) | (TargetName::ColonModule(_), _) => Role::Module,
        _ => Role::Attribute,
    };
    let Some(resolution) = model.resolve_as(&path, role) else {
        return;
    };
    let Some(replacement) = name.rewritten(model, &resolution) else {
        return;
    };
    if !resolution.strings {
        if model.mentions {
            out.add(range.start, &resolution, path, Site::String, Fix::Mention);
        }
        return;
    }
    let fix = super::suppress::rewrite_fix(model, argument, &resolution, suppressions);
    let rewritten = fix == Fix::Rewritten;
    let finding = out.add(range.start, &resolution, path, Site::Target(kind), fix);
    if rewritten {
        let edit = Edit::replace(range, replacement);
        out.rewrite(vec![finding], vec![edit]);
    }
}

/// A dotted target string: `a.b.C`, or `pkgutil.resolve_name`'s `a.b:C.attr` form.
enum TargetName {
    Dotted(DottedPath),
    Colon(DottedPath, DottedPath),
    /// `a.b:` (the module itself).
    ColonModule(DottedPath),
}

impl TargetName {
    fn parse(text: &str) -> Option<TargetName> {
        match text.split_once(':') {
            None => DottedPath::parse(text).map(TargetName::Dotted),
            // `"a.old:"` names the module itself.
            Some((module, "")) => Some(TargetName::ColonModule(DottedPath::parse(module)?)),
            Some((module, qualname)) => Some(TargetName::Colon(
                DottedPath::parse(module)?,
                DottedPath::parse(qualname)?,
            )),
        }
    }

    fn full(&self) -> DottedPath {
        match self {
            TargetName::Dotted(path) | TargetName::ColonModule(path) => path.clone(),
            TargetName::Colon(module, qualname) => qualname
                .segments()
                .iter()
                .fold(module.clone(), |path, s| path.child(s.clone())),
        }
    }

    /// The new spelling: the colon stays between the module and the name inside it.
    fn rewritten(
        &self,
        model: &FileModel<'_>,
        resolution: &crate::ruleset::Resolution,
    ) -> Option<String> {
        let target = &resolution.target;
        let module = match self {
            TargetName::Dotted(_) => return Some(target.to_string()),
            TargetName::ColonModule(_) => return Some(format!("{target}:")),
            TargetName::Colon(module, _) => module,
        };
        let module_now = model
            .resolve(module)
            .map_or_else(|| module.clone(), |r| r.target);
        let module_now = if target.starts_with(&module_now) && target.len() > module_now.len() {
            module_now
        } else {
            resolution.home.parent()?
        };
        let rest: Vec<&str> = target.segments()[module_now.len()..]
            .iter()
            .map(|s| s.as_str())
            .collect();
        Some(format!("{module_now}:{}", rest.join(".")))
    }
}

fn is_nfkc_stable(text: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    text.is_ascii() || text.nfkc().eq(text.chars())
}
