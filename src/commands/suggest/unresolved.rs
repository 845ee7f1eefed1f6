//! `reroute suggest --unresolved`: a codemod for the imports `check --unresolved-imports`
//! reports, for those it can place: a module `git diff --find-renames REV` shows renamed
//! (`--git REV`), else the one first-party module with the same last name, and for a
//! missing name, the one first-party module that defines it. What it cannot place is
//! listed in comments.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use reroute_engine::finding::Reason;
use reroute_engine::project::Missing;
use reroute_engine::spec::{DottedPath, Identifier};
use reroute_engine::{Fix, Layout, ProjectModel};
use reroute_run::discover::{Listing, walk_files};
use reroute_run::{DiskLayout, Interrupt, Mode};

use super::Proposal;
use crate::config::{Overrides, Settings};

/// The proposals, and a comment line for each missing path that could not be placed.
pub fn proposals(
    cwd: &Path,
    source: &crate::config::ConfigSource,
    git: Option<&str>,
) -> anyhow::Result<(Vec<Proposal>, Vec<String>)> {
    let overrides = Overrides {
        config: source.clone(),
        unresolved_imports: true,
        no_codemods: true,
        ..Overrides::default()
    };
    let settings = Settings::resolve(Mode::Check, &overrides, cwd)?;
    let root = settings.run.project_root.clone();
    let src = settings.run.src.clone();
    let options = reroute_run::RunOptions {
        paths: vec![root.clone()],
        ..settings.run
    };
    let result = reroute_run::run(&options, settings.rules, &Interrupt::none(), &())?;
    let mut missing: BTreeMap<DottedPath, (Missing, usize)> = BTreeMap::new();
    for finding in result.report.outcomes.iter().flat_map(|o| &o.findings) {
        if let Fix::Manual(Reason::UnresolvedImport(m)) = &finding.fix {
            missing.entry(m.path()).or_insert_with(|| (m.clone(), 0)).1 += 1;
        }
    }
    if missing.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let renames = match git {
        Some(rev) => super::from_git(&root, &src, rev)?,
        None => Vec::new(),
    };
    let model = result.engine.project().cloned().unwrap_or_default();
    let index = ModuleIndex::new(&root, &src, &model);
    let mut proposals: Vec<Proposal> = Vec::new();
    let mut unplaced = Vec::new();
    for (path, (what, count)) in &missing {
        let imports = if *count == 1 {
            "1 import".to_string()
        } else {
            format!("{count} imports")
        };
        if let Some(rename) = renames.iter().find(|r| path.starts_with(&r.from)) {
            if !proposals.iter().any(|p| p.from == rename.from) {
                proposals.push(Proposal {
                    why: format!("{}; {imports} of `{path}`", rename.why),
                    ..rename.clone()
                });
            }
            continue;
        }
        let placed = match what {
            Missing::Module { module, .. } => unique(index.named(module))
                .map(|to| (to, format!("the one module named `{}`", module.last()))),
            Missing::Name { name, .. } => unique(index.defining(name)).map(|module| {
                (
                    module.child(name.clone()),
                    format!("the one module that defines `{name}`"),
                )
            }),
        };
        match placed {
            Some((to, why)) => proposals.push(Proposal {
                from: path.clone(),
                to,
                why: format!("{why}; {imports}"),
            }),
            None => unplaced.push(format!(
                "# not placed: {path} ({imports}; no git rename, and no single module to point it at)"
            )),
        }
    }
    proposals.sort_by(|a, b| a.from.cmp(&b.from));
    Ok((proposals, unplaced))
}

/// The one element, if there is exactly one.
fn unique(found: Vec<DottedPath>) -> Option<DottedPath> {
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// Every first-party module of the project: its name and file, and (read once, when a
/// missing name is first looked for) what each defines.
struct ModuleIndex {
    modules: Vec<(DottedPath, PathBuf)>,
    definitions: std::cell::OnceCell<Vec<std::collections::HashSet<Identifier>>>,
}

impl ModuleIndex {
    fn new(root: &Path, src: &[PathBuf], model: &ProjectModel) -> ModuleIndex {
        let layout = DiskLayout::new(src.to_vec());
        let mut modules: Vec<(DottedPath, PathBuf)> = walk_files(root, Listing::Python)
            .into_iter()
            .filter_map(|file| {
                let module = layout.locate(&file)?.module;
                model
                    .is_first_party(module.first())
                    .then_some((module, file))
            })
            .collect();
        modules.sort();
        modules.dedup_by(|a, b| a.0 == b.0);
        ModuleIndex {
            modules,
            definitions: std::cell::OnceCell::new(),
        }
    }

    /// The modules whose last name is `module`'s, other than `module` itself.
    fn named(&self, module: &DottedPath) -> Vec<DottedPath> {
        self.modules
            .iter()
            .filter(|(m, _)| m.last() == module.last() && m != module)
            .map(|(m, _)| m.clone())
            .collect()
    }

    /// The modules that define `name` (not those that import it).
    fn defining(&self, name: &Identifier) -> Vec<DottedPath> {
        let definitions = self.definitions.get_or_init(|| {
            self.modules
                .iter()
                .map(|(_, file)| {
                    std::fs::read(file)
                        .map(|bytes| reroute_engine::binds::definitions(&bytes))
                        .unwrap_or_default()
                })
                .collect()
        });
        self.modules
            .iter()
            .zip(definitions)
            .filter(|(_, defined)| defined.contains(name))
            .map(|((m, _), _)| m.clone())
            .collect()
    }
}
