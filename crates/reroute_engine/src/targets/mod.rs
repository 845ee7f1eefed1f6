//! The target check: when the processed tree holds a move's `to` package, the `to` module
//! must exist there, and a moved symbol must be defined or imported in its new module. A
//! typo in `to` must not rewrite a thousand files to a module that does not exist. Also
//! which moves are of modules and which of symbols. Everything is asked of the [`Layout`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::layout::{Binding, Layout, module_path};
use crate::ruleset::RuleSet;
use crate::spec::{DottedPath, Identifier, Move, MoveKind, SpecLocation};
use rustc_hash::FxHashSet;

mod typo;

/// A move whose `to` the processed tree contradicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetProblem {
    /// The move, where its codemod says it.
    pub location: SpecLocation,
    /// The `to` in question (where its chain of moves ends).
    pub to: DottedPath,
    /// What is missing.
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// What is missing where a `to` points.
pub enum ProblemKind {
    /// Neither `to` nor its parent is a module under the package's folder.
    Module,
    /// `to`'s parent is a module (`file`) that neither defines nor imports the last name.
    Name {
        /// The parent module's file.
        file: PathBuf,
    },
    /// `to`'s top-level package is nowhere in or beside the processed tree, which holds
    /// `from`'s (a typo in the first name looks like this).
    Package {
        /// The move's `from`.
        from: DottedPath,
    },
    /// A moved symbol's new module (`file`) may bind the name (a module `__getattr__`, a
    /// star import) but reroute cannot tell: `apply` refuses until checked.
    CannotVerify {
        /// The new module's file.
        file: PathBuf,
    },
    /// A `from` that names nothing in the tree, beside a sibling one or two letters away:
    /// most likely a typo, and the move then checks nothing. A warning only.
    DidYouMean {
        /// The sibling module it probably means.
        sibling: DottedPath,
    },
    /// A move without `kind` whose `from` is both a module (`module`) and a name bound in
    /// its parent module (`parent`): it is taken as a module; say which it is. A warning
    /// only: it does not stop `apply`.
    AmbiguousKind {
        /// The module file or folder.
        module: PathBuf,
        /// The parent module's file.
        parent: PathBuf,
    },
    /// A problem read back from a report (`reroute merge`), as it was printed.
    Recorded {
        /// Its message, location included.
        message: String,
    },
}

impl TargetProblem {
    /// True when `apply` must write nothing because of it (a `to` that is not there).
    pub fn blocks_apply(&self) -> bool {
        !matches!(
            self.kind,
            ProblemKind::AmbiguousKind { .. }
                | ProblemKind::DidYouMean { .. }
                | ProblemKind::Recorded { .. }
        )
    }
}

impl fmt::Display for TargetProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ProblemKind::Recorded { message } => f.write_str(message),
            ProblemKind::Module => write!(
                f,
                "{}: `to` = {:?}: no such module in its package (which is in the processed tree); fix the typo or create the module first",
                self.location,
                self.to.to_string()
            ),
            ProblemKind::Name { file } => write!(
                f,
                "{}: `to` = {:?}: {} neither defines nor imports `{}`; fix the typo or add it first",
                self.location,
                self.to.to_string(),
                file.display(),
                self.to.last()
            ),
            ProblemKind::AmbiguousKind { module, parent } => write!(
                f,
                "{}: `from` = {:?} is both a module ({}) and a name bound in its parent ({}); taken as the module: add kind = \"symbol\" if only the name moved, or kind = \"module\" to say so",
                self.location,
                self.to.to_string(),
                module.display(),
                parent.display()
            ),
            ProblemKind::CannotVerify { file } => write!(
                f,
                "{}: `to` = {:?}: cannot verify that {} binds `{}` (it has a module `__getattr__` or a star import); check it, then pass --no-target-check to apply",
                self.location,
                self.to.to_string(),
                file.display(),
                self.to.last()
            ),
            ProblemKind::DidYouMean { sibling } => write!(
                f,
                "{}: `from` = {:?} names nothing in the tree; did you mean `{sibling}`?",
                self.location,
                self.to.to_string()
            ),
            ProblemKind::Package { from } => write!(
                f,
                "{}: `to` = {:?}: there is no package `{}` in or beside the processed tree, which holds `{}` (the `from` {:?}); fix the typo, or pass --no-target-check if it comes from another distribution",
                self.location,
                self.to.to_string(),
                self.to.first(),
                from.first(),
                from.to_string()
            ),
        }
    }
}

/// Checks every move's `to` whose top-level package some processed file belongs to (as
/// `locate` finds module names): the module, or the parent module and the name in it, must
/// exist on disk under that package's folder, processed or not.
pub fn check_targets(
    rules: &RuleSet,
    roots: &PackageRoots,
    layout: &dyn Layout,
) -> Vec<TargetProblem> {
    let mut problems = typo::did_you_mean(rules, roots, layout);
    for (index, moved) in rules.moves().iter().enumerate() {
        if moved.is_removal() {
            continue; // a `[[remove]]` has no new home to look for
        }
        // A `to` that a later move carries on (`pkg.old.f -> pkg.old.g` with
        // `pkg.old -> pkg.new`) is checked where the chain ends.
        let to = &rules
            .resolve(&moved.to)
            .map_or_else(|| moved.to.clone(), |r| r.target);
        let Some(root) = roots.get(to.first()) else {
            // The old package is here and the new one nowhere near it: most likely a typo.
            let from_root = roots.get(moved.from.first());
            let beside = from_root.is_some_and(|r| layout.module_exists(r, &to.prefix(1)));
            if from_root.is_some() && !beside && to.first() != moved.from.first() {
                problems.push(TargetProblem {
                    location: moved.location.clone(),
                    to: to.clone(),
                    kind: ProblemKind::Package {
                        from: moved.from.clone(),
                    },
                });
            }
            continue;
        };
        if layout.module_exists(root, to) {
            continue;
        }
        let kind = match to
            .parent()
            .and_then(|parent| layout.module_file(root, &parent))
        {
            Some(file) => match layout.binds(&file, to.last()) {
                Binding::Binds => continue,
                Binding::MayBind if rules.is_symbol_move(index) => {
                    ProblemKind::CannotVerify { file }
                }
                // A module's `to` must be a module file: what `__getattr__` or a star import
                // may bind says nothing about that.
                Binding::MayBind => ProblemKind::Module,
                Binding::No => ProblemKind::Name { file },
            },
            None => ProblemKind::Module,
        };
        problems.push(TargetProblem {
            location: moved.location.clone(),
            to: to.clone(),
            kind,
        });
    }
    problems
}

/// Per move (in order): whether its `to` (where its chain ends) is a module or package on
/// disk under the processed tree's packages.
pub fn module_targets(rules: &RuleSet, roots: &PackageRoots, layout: &dyn Layout) -> Vec<bool> {
    rules
        .moves()
        .iter()
        .map(|moved| {
            let exists = |to: &DottedPath| {
                roots
                    .get(to.first())
                    .is_some_and(|root| layout.module_exists(root, to))
            };
            // No package found for any name: nothing to resolve.
            !roots.is_empty()
                && match rules.resolve(&moved.to) {
                    Some(resolution) => exists(&resolution.target),
                    None => exists(&moved.to),
                }
        })
        .collect()
}

/// The answers of [`symbol_move`] for every move, in move order: per move whether it moves
/// a symbol (for `RuleSet::mark_symbol_moves`), and the warnings.
pub fn collect_symbol_moves(
    classified: impl IntoIterator<Item = (bool, Option<TargetProblem>)>,
) -> (Vec<bool>, Vec<TargetProblem>) {
    let mut warnings = Vec::new();
    let symbol = classified
        .into_iter()
        .map(|(symbol, warning)| {
            warnings.extend(warning);
            symbol
        })
        .collect();
    (symbol, warnings)
}

/// Whether `moved` moves a symbol rather than a module: `kind = "symbol"`, or `kind =
/// "auto"` (the default) where the tree holds `from`'s package and `from` there is only a
/// name its parent module binds (no module file or folder of that name). With a warning
/// when an auto move's `from` is both (taken as a module). Each move reads only the disk,
/// so a caller may ask for many at once.
pub fn symbol_move(
    moved: &Move,
    roots: &PackageRoots,
    layout: &dyn Layout,
) -> (bool, Option<TargetProblem>) {
    match moved.kind {
        MoveKind::Symbol => (true, None),
        MoveKind::Module => (false, None),
        MoveKind::Auto => {
            let Some(root) = roots.get(moved.from.first()) else {
                return (false, None);
            };
            let Some(parent) = moved
                .from
                .parent()
                .and_then(|parent| layout.module_file(root, &parent))
            else {
                return (false, None);
            };
            let module = layout.module_file(root, &moved.from).or_else(|| {
                let folder = module_path(root, &moved.from);
                layout.is_dir(&folder).then_some(folder)
            });
            // Only a name: a definition, an assignment or an import of it (a star
            // import or `__getattr__` may bind anything: not enough to tell).
            let bound = layout.binds(&parent, moved.from.last()) == Binding::Binds;
            match module {
                Some(module) if bound => {
                    let warning = TargetProblem {
                        location: moved.location.clone(),
                        to: moved.from.clone(),
                        kind: ProblemKind::AmbiguousKind { module, parent },
                    };
                    (false, Some(warning))
                }
                Some(_) => (false, None),
                None => (bound, None),
            }
        }
    }
}

/// The folder each top-level package lives in, by name.
pub type PackageRoots = BTreeMap<Identifier, PathBuf>;

/// The folders the top-level packages of the processed files live in, and, for the
/// packages the moves name that no processed file belongs to, the first of `bases` (the
/// project root, the source roots) that holds them: a run on a subset (`reroute apply
/// tests/`, a pre-commit file list) checks against the whole project.
pub fn package_roots(
    files: &[PathBuf],
    layout: &dyn Layout,
    rules: &RuleSet,
    bases: &[PathBuf],
) -> PackageRoots {
    // Roots are asked for by the first segment of a move's `from` or `to` only: a file
    // can be such a module, or under such a package (or a namespace folder holding it),
    // only when its path names one, which needs no file system to tell.
    let words = rules.words();
    let named = |component: std::path::Component<'_>| {
        component.as_os_str().to_str().is_some_and(|name| {
            if name.is_ascii() {
                words.is_first(name.as_bytes())
            } else {
                Identifier::parse(name).is_some_and(|id| words.is_first(id.as_str().as_bytes()))
            }
        })
    };
    let candidates: Vec<PathBuf> = files
        .iter()
        .filter(|file| {
            file.parent()
                .is_some_and(|folder| folder.components().any(named))
                || file
                    .file_stem()
                    .is_some_and(|stem| named(std::path::Component::Normal(stem)))
        })
        .cloned()
        .collect();
    let mut roots = roots_of_files(&candidates, layout, bases);
    // Each name is looked for once (a move's `from` and `to` often share it).
    let from_only = words
        .from_firsts
        .iter()
        .filter(|name| !words.to_firsts.contains(name));
    let missing: Vec<Identifier> = words
        .to_firsts
        .iter()
        .chain(from_only)
        .filter_map(|name| std::str::from_utf8(name).ok())
        .filter(|name| !roots.contains_key(*name))
        .map(Identifier::from_token)
        .collect();
    // Many names: each base is listed once, and only the names it lists are asked about
    // (two `stat`s per name otherwise). An empty listing may mean "unknown": asked all.
    let listed: Vec<Option<FxHashSet<String>>> = bases
        .iter()
        .map(|base| {
            let names = if missing.len() > MANY_NAMES {
                layout.list_dir(base)
            } else {
                Vec::new()
            };
            (!names.is_empty()).then(|| names.into_iter().collect())
        })
        .collect();
    let mut module = String::new();
    for name in missing {
        module.clear();
        module.push_str(name.as_str());
        module.push_str(".py");
        let holds = |(base, listed): &(&PathBuf, &Option<FxHashSet<String>>)| {
            let may = listed
                .as_ref()
                .is_none_or(|names| names.contains(name.as_str()) || names.contains(&module));
            may && (layout.is_dir(&base.join(name.as_str())) || layout.is_file(&base.join(&module)))
        };
        if let Some((base, _)) = bases.iter().zip(&listed).find(holds) {
            roots.insert(name, base.clone());
        }
    }
    roots
}

/// Names to look for in the bases above which each base is listed once.
const MANY_NAMES: usize = 64;

/// The folder each top-level package of the processed files lives in. A folder holding top
/// packages may be a namespace package itself; it is one only when no processed file says
/// otherwise, and never when it is the project root or a source root (a project folder
/// named like its package, `rich/rich/`, is not a package `rich` one level up).
fn roots_of_files(
    files: &[PathBuf],
    layout: &dyn Layout,
    bases: &[PathBuf],
) -> BTreeMap<Identifier, PathBuf> {
    let mut roots = BTreeMap::new();
    let mut namespaces: BTreeMap<Identifier, PathBuf> = BTreeMap::new();
    for file in files {
        let Some(location) = layout.locate(file) else {
            continue;
        };
        if roots.contains_key(location.module.first()) {
            continue;
        }
        let is_init = file.file_stem().is_some_and(|s| s == "__init__");
        let climb = location.module.len() - usize::from(!is_init);
        let root = file
            .parent()
            .and_then(|folder| folder.ancestors().nth(climb));
        if let Some(root) = root {
            roots.insert(location.module.first().clone(), root.to_path_buf());
            // The folder holding a top package may be a namespace package itself (no
            // `__init__.py`): moves into it are checked from one level up.
            let namespace = root
                .file_name()
                .and_then(|n| Identifier::parse(&n.to_string_lossy()));
            if let (Some(namespace), Some(above)) = (namespace, root.parent())
                && !layout.is_file(&root.join("__init__.py"))
                && !bases.iter().any(|base| base == root)
            {
                namespaces
                    .entry(namespace)
                    .or_insert_with(|| above.to_path_buf());
            }
        }
    }
    for (name, folder) in namespaces {
        roots.entry(name).or_insert(folder);
    }
    roots
}
