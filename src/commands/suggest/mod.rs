//! `reroute suggest` (#10): codemods from what the tree already says. With `--git REV`,
//! one move per module that `git diff --find-renames REV` shows renamed or moved (a
//! package whose files all moved together is one move). Without it, one move per
//! compatibility shim: a module whose body only re-exports another module (`from new
//! import *`, `from new import X as X`, `Old = New` of an imported name, a warning, a
//! `__getattr__` that forwards), with how many files import the shim. The output is a
//! codemod TOML to review and save. With `--unresolved`, moves for the imports
//! `check --unresolved-imports` reports (`unresolved`).

mod unresolved;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use reroute_engine::Layout;
use reroute_engine::lex::imports::{LexKind, read_imports};
use reroute_engine::lex::tokens::tokenize;
use reroute_engine::spec::{DottedPath, Identifier};
use reroute_run::ExitStatus;
use reroute_run::discover::{Listing, walk_files};

/// One proposed move, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub from: DottedPath,
    pub to: DottedPath,
    pub why: String,
}

/// The module a path under `root` names (`pkg/sub/mod.py` → `pkg.sub.mod`,
/// `pkg/__init__.py` → `pkg`), or `None` when a part is not a Python name.
fn module_of(root: &Path, src: &[PathBuf], path: &Path) -> Option<DottedPath> {
    let base = src
        .iter()
        .filter(|s| path.starts_with(s))
        .max_by_key(|s| s.components().count())
        .map_or(root, PathBuf::as_path);
    let relative = path.strip_prefix(base).ok()?;
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop()?;
    let stem = last
        .strip_suffix(".py")
        .or_else(|| last.strip_suffix(".pyi"))
        .or_else(|| last.strip_suffix(".pyw"))?;
    if stem != "__init__" {
        parts.push(stem.to_string());
    }
    DottedPath::from_segments(
        parts
            .iter()
            .map(|p| Identifier::parse(p))
            .collect::<Option<Vec<_>>>()?,
    )
}

/// The moves `git diff --find-renames REV` shows, in path order.
pub fn from_git(root: &Path, src: &[PathBuf], rev: &str) -> anyhow::Result<Vec<Proposal>> {
    let layout = reroute_run::DiskLayout::new(src.to_vec());
    let output = Command::new("git")
        .args(["diff", "--find-renames", "--name-status", "-z", rev, "--"])
        .current_dir(root)
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        bail!(
            "git diff --find-renames {rev} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let fields: Vec<String> = output
        .stdout
        .split(|&b| b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let mut renames: Vec<(DottedPath, DottedPath, String)> = Vec::new();
    let mut at = 0;
    while at < fields.len() {
        let status = &fields[at];
        if status.starts_with('R') && at + 2 < fields.len() {
            let (old, new) = (root.join(&fields[at + 1]), root.join(&fields[at + 2]));
            // Module names as every command finds them: source roots, else the folders
            // with an `__init__.py` above the new file (a src layout names `pkg.old`, not
            // `src.pkg.old`); the old file, gone, is named from the same folder.
            let base = layout
                .locate(&new)
                .and_then(|location| location.root_of(&new))
                .filter(|base| old.starts_with(base));
            let name = |path: &Path| match &base {
                Some(base) => module_of(base, &[], path),
                None => module_of(root, src, path),
            };
            if let (Some(from), Some(to)) = (name(&old), name(&new))
                && from != to
            {
                let score = status.trim_start_matches('R');
                renames.push((from, to, format!("git: renamed ({score}% similar)")));
            }
            at += 3;
        } else if status.starts_with('C') {
            at += 3;
        } else {
            at += 2;
        }
    }
    Ok(collapse_packages(renames))
}

/// Renames of a package's `__init__` and every module beside it with the same tail become
/// one package move.
fn collapse_packages(renames: Vec<(DottedPath, DottedPath, String)>) -> Vec<Proposal> {
    let packages: Vec<(DottedPath, DottedPath)> = renames
        .iter()
        .filter(|(from, to, _)| {
            // A package's own rename: the others under it follow with the same tails.
            renames.iter().any(|(f, t, _)| {
                f.len() == from.len() + 1
                    && f.starts_with(from)
                    && t.starts_with(to)
                    && t.len() == to.len() + 1
                    && f.last() == t.last()
            })
        })
        .map(|(f, t, _)| (f.clone(), t.clone()))
        .collect();
    let mut proposals: Vec<Proposal> = renames
        .into_iter()
        .filter(|(from, to, _)| {
            !packages.iter().any(|(pf, pt)| {
                from != pf
                    && from.starts_with(pf)
                    && to.starts_with(pt)
                    && from.segments()[pf.len()..] == to.segments()[pt.len()..]
            })
        })
        .map(|(from, to, why)| Proposal { from, to, why })
        .collect();
    proposals.sort_by(|a, b| a.from.cmp(&b.from));
    proposals
}

/// The compatibility shims in `files` (absolute paths of Python files under `root`).
pub fn from_shims(
    root: &Path,
    src: &[PathBuf],
    files: &[PathBuf],
    modules: &dyn Layout,
) -> Vec<Proposal> {
    let mut shims: Vec<(DottedPath, DottedPath)> = Vec::new();
    let mut imported: Vec<(PathBuf, Vec<DottedPath>)> = Vec::new();
    for file in files {
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        let location = modules.locate(file);
        let here = location
            .as_ref()
            .map(|l| l.module.clone())
            .or_else(|| module_of(root, src, file));
        let tokens = tokenize(&bytes);
        let Some(imports) = read_imports(&bytes, &tokens) else {
            continue;
        };
        let absolute = |dots: usize, module: &[&[u8]]| -> Option<DottedPath> {
            let tail: Vec<Identifier> = module
                .iter()
                .map(|s| Identifier::from_token(&String::from_utf8_lossy(s)))
                .collect();
            if dots == 0 {
                return DottedPath::from_segments(tail);
            }
            location.as_ref()?.resolve_relative(dots, &tail)
        };
        let mut names = Vec::new();
        for import in &imports {
            match &import.kind {
                LexKind::Plain => names.extend(import.names.iter().filter_map(|n| {
                    DottedPath::from_segments(
                        n.path
                            .iter()
                            .map(|s| Identifier::from_token(&String::from_utf8_lossy(s)))
                            .collect(),
                    )
                })),
                LexKind::From { dots, module, .. } => {
                    if let Some(m) = absolute(*dots, module) {
                        names.extend(import.names.iter().map(|n| {
                            m.child(Identifier::from_token(&String::from_utf8_lossy(n.path[0])))
                        }));
                        names.push(m);
                    }
                }
            }
        }
        imported.push((file.clone(), names));
        if let (Some(here), Some(target)) = (here, shim_target(&bytes)) {
            let target = match target {
                (0, module) => DottedPath::parse(&module),
                (dots, module) => {
                    let tail: Vec<Identifier> =
                        module.split('.').filter_map(Identifier::parse).collect();
                    location
                        .as_ref()
                        .and_then(|l| l.resolve_relative(dots, &tail))
                }
            };
            // A shim of a move stays in its project; a package that re-exports its own
            // submodule is not one.
            let is_shim =
                |t: &DottedPath| *t != here && !t.starts_with(&here) && t.first() == here.first();
            if let Some(target) = target.filter(is_shim) {
                shims.push((here, target));
            }
        }
    }
    let mut proposals: Vec<Proposal> = shims
        .into_iter()
        .map(|(from, to)| {
            let count = imported
                .iter()
                .filter(|(_, names)| names.iter().any(|n| n.starts_with(&from)))
                .count();
            let noun = if count == 1 {
                "file imports"
            } else {
                "files import"
            };
            Proposal {
                why: format!("shim: re-exports {to}; {count} {noun} it"),
                from,
                to,
            }
        })
        .collect();
    proposals.sort_by(|a, b| a.from.cmp(&b.from));
    proposals.dedup_by(|a, b| a.from == b.from);
    proposals
}

/// The module a shim's body re-exports (dots of a relative import, and the dotted
/// module), when every statement is a docstring, `from __future__`, `import warnings`,
/// a `warnings.warn(…)` call, `__all__ = …`, `def __getattr__`, `Name = Name`, or an
/// import from that one module (at least one).
fn shim_target(bytes: &[u8]) -> Option<(usize, String)> {
    let tree = reroute_engine::parse::parse(bytes)?;
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    let text =
        |n: tree_sitter::Node<'_>| String::from_utf8_lossy(&bytes[n.byte_range()]).into_owned();
    let mut target: Option<(usize, String)> = None;
    let mut cursor = root.walk();
    for stmt in root.named_children(&mut cursor) {
        match stmt.kind() {
            "comment" | "future_import_statement" => {}
            "expression_statement" => {
                let expr = stmt.named_child(0)?;
                let said = text(expr);
                // `Old = New` (an alias of an imported name), or `__all__ = [...]`.
                let is_alias_or_all = expr.kind() == "assignment"
                    && match (
                        expr.child_by_field_name("left"),
                        expr.child_by_field_name("right"),
                    ) {
                        (Some(left), Some(right)) if text(left) == "__all__" => {
                            matches!(right.kind(), "list" | "tuple")
                        }
                        (Some(left), Some(right)) => {
                            left.kind() == "identifier"
                                && matches!(right.kind(), "identifier" | "attribute")
                        }
                        _ => false,
                    };
                if !(expr.kind() == "string"
                    || said.starts_with("warnings.warn(")
                    || is_alias_or_all)
                {
                    return None;
                }
            }
            "import_statement" if text(stmt).trim() == "import warnings" => {}
            "function_definition"
                if stmt
                    .child_by_field_name("name")
                    .is_some_and(|n| text(n) == "__getattr__") => {}
            "import_from_statement" => {
                let module = stmt.child_by_field_name("module_name")?;
                let spelled = text(module);
                let dots = spelled.chars().take_while(|c| *c == '.').count();
                let name = spelled[dots..].to_string();
                match &target {
                    Some(seen) if *seen != (dots, name.clone()) => return None,
                    _ => target = Some((dots, name)),
                }
            }
            _ => return None,
        }
    }
    target
}

/// The proposals as a codemod TOML.
pub fn render(proposals: &[Proposal], source: &str) -> String {
    let mut out =
        format!("description = \"suggested by reroute suggest ({source}); review before use\"\n");
    let mut seen: BTreeMap<String, ()> = BTreeMap::new();
    for p in proposals {
        if seen.insert(p.from.to_string(), ()).is_some() {
            continue;
        }
        let _ = write!(
            out,
            "\n# {}\n[[move]]\nfrom = \"{}\"\nto = \"{}\"\n",
            p.why, p.from, p.to
        );
    }
    out
}

/// `reroute suggest`: a codemod from git history or from the tree's shims.
pub fn run(
    args: &crate::cli::SuggestArgs,
    cwd: &std::path::Path,
    source: &crate::config::ConfigSource,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    if args.unresolved {
        let (proposals, unplaced) = unresolved::proposals(cwd, source, args.git.as_deref())?;
        let source = match &args.git {
            Some(rev) => format!("unresolved imports; git diff --find-renames {rev}"),
            None => "unresolved imports".to_string(),
        };
        write!(out, "{}", render(&proposals, &source))?;
        for line in &unplaced {
            writeln!(out, "{line}")?;
        }
        if proposals.is_empty() && unplaced.is_empty() {
            writeln!(out, "# no unresolved imports")?;
        }
        return Ok(ExitStatus::Clean);
    }
    let settings = crate::config::MoveSettings::resolve(cwd, source)?;
    let root = &settings.project_root;
    let (proposals, source) = match &args.git {
        Some(rev) => (
            from_git(root, &settings.src, rev)?,
            format!("git diff --find-renames {rev}"),
        ),
        None => {
            let files = walk_files(root, Listing::Python);
            let modules = reroute_run::DiskLayout::new(settings.src.clone());
            (
                from_shims(root, &settings.src, &files, &modules),
                "compatibility shims in the tree".to_string(),
            )
        }
    };
    write!(out, "{}", render(&proposals, &source))?;
    if proposals.is_empty() {
        writeln!(out, "# no moves found")?;
    }
    Ok(ExitStatus::Clean)
}
