//! The steps of a checked move, each undoable until the files have moved: the codemod
//! written (and an earlier one it undoes removed), new folders made (with `__init__.py`
//! where the source package has one), the files moved (`git mv` inside a git work tree,
//! keeping history; a module that becomes its package's `__init__.py`, or back, gets its
//! relative imports respelled), and the shim `--shim` leaves behind.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use reroute_engine::respell::{Level, respell_relative_imports};
use reroute_engine::spec::Identifier;

use super::plan::{MovePlan, Shape};

pub(super) fn git(folder: &Path, args: &[&std::ffi::OsStr]) -> anyhow::Result<()> {
    git_output(folder, args).map(|_| ())
}

/// Runs git in `folder`; its standard output, or an error with its standard error.
pub(super) fn git_output(folder: &Path, args: &[&std::ffi::OsStr]) -> anyhow::Result<Vec<u8>> {
    let output = Command::new("git")
        .args(args)
        .current_dir(folder)
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        bail!(
            "git {} failed: {}",
            args.iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// What the first steps created, so that a failure before the files moved can take it
/// back and leave the tree as it was.
#[derive(Default)]
pub struct Created {
    /// Files written or folders made, in order.
    paths: Vec<PathBuf>,
    /// Files `git add`ed.
    added: Vec<PathBuf>,
    /// The earlier codemod removed, with its bytes.
    removed: Option<(PathBuf, Vec<u8>, bool)>,
}

impl Created {
    /// Undoes what was created, newest first (best effort: the error that caused it is
    /// what the user sees).
    pub fn roll_back(self, plan: &MovePlan) {
        for file in &self.added {
            let _ = git(
                &plan.project_root,
                &[
                    "rm".as_ref(),
                    "--cached".as_ref(),
                    "-q".as_ref(),
                    file.as_os_str(),
                ],
            );
        }
        for path in self.paths.iter().rev() {
            if path.is_dir() {
                let _ = std::fs::remove_dir(path);
            } else {
                let _ = std::fs::remove_file(path);
            }
        }
        if let Some((file, bytes, tracked)) = self.removed {
            let _ = std::fs::write(&file, bytes);
            if tracked {
                let _ = git(&plan.project_root, &["add".as_ref(), file.as_os_str()]);
            }
        }
    }
}

/// Writes the move's codemod (its folder made when missing) and removes the earlier
/// codemod it undoes.
pub fn write_codemod(plan: &MovePlan, created: &mut Created) -> anyhow::Result<()> {
    if let Some(earlier) = &plan.undoes {
        let bytes = std::fs::read(earlier)
            .with_context(|| format!("{}: cannot read", earlier.display()))?;
        let tracked = plan.git && tracked(&plan.project_root, earlier);
        if tracked {
            git(
                &plan.project_root,
                &["rm".as_ref(), "-q".as_ref(), earlier.as_os_str()],
            )?;
        } else {
            std::fs::remove_file(earlier)
                .with_context(|| format!("{}: cannot remove", earlier.display()))?;
        }
        created.removed = Some((earlier.clone(), bytes, tracked));
    }
    let Some(file) = &plan.codemod_file else {
        return Ok(());
    };
    if let Some(folder) = file.parent() {
        let mut missing: Vec<&Path> = folder.ancestors().take_while(|f| !f.exists()).collect();
        missing.reverse();
        for dir in missing {
            std::fs::create_dir(dir)
                .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
            created.paths.push(dir.to_path_buf());
        }
    }
    std::fs::write(file, &plan.codemod_text)
        .with_context(|| format!("{}: cannot write", file.display()))?;
    created.paths.push(file.clone());
    Ok(())
}

/// Makes the new folders (packages like the source's, with an empty `__init__.py`).
pub fn make_folders(plan: &MovePlan, created: &mut Created) -> anyhow::Result<()> {
    for folder in &plan.new_folders {
        std::fs::create_dir(folder)
            .with_context(|| format!("{}: cannot create the folder", folder.display()))?;
        created.paths.push(folder.clone());
        if plan.init {
            let init = folder.join("__init__.py");
            std::fs::write(&init, "")
                .with_context(|| format!("{}: cannot write", init.display()))?;
            created.paths.push(init.clone());
            if plan.git {
                git(&plan.project_root, &["add".as_ref(), init.as_os_str()])?;
                created.added.push(init);
            }
        }
    }
    Ok(())
}

/// Moves the files; for a move that keeps the dotted name, respells the moved file's own
/// relative imports and removes the folder it left. Returns how many imports were
/// respelled.
pub fn move_files(plan: &MovePlan) -> anyhow::Result<usize> {
    let level = match plan.shape {
        Shape::Rename => None,
        Shape::ModuleToPackage => Some(Level::Deeper),
        Shape::PackageToModule => {
            let name = plan
                .dst
                .file_stem()
                .and_then(|s| Identifier::parse(&s.to_string_lossy()))
                .context("DST is not a Python name")?;
            Some(Level::Shallower { name })
        }
    };
    // Respelled before the move: a file that does not take it is refused untouched.
    let respelled = match &level {
        Some(level) => {
            let bytes = std::fs::read(&plan.src)
                .with_context(|| format!("{}: cannot read", plan.src.display()))?;
            let (updated, count) = respell_relative_imports(&bytes, level).with_context(|| {
                format!(
                    "{}: cannot respell its relative imports",
                    plan.src.display()
                )
            })?;
            Some((bytes, updated, count))
        }
        None => None,
    };
    if plan.git && tracked(&plan.project_root, &plan.src) {
        git(
            &plan.project_root,
            &["mv".as_ref(), plan.src.as_os_str(), plan.dst.as_os_str()],
        )?;
    } else {
        std::fs::rename(&plan.src, &plan.dst).with_context(|| {
            format!(
                "cannot move {} to {}",
                plan.src.display(),
                plan.dst.display()
            )
        })?;
    }
    if let Some(folder) = &plan.old_folder {
        let _ = std::fs::remove_dir_all(folder.join("__pycache__"));
        std::fs::remove_dir(folder)
            .with_context(|| format!("{}: cannot remove the empty folder", folder.display()))?;
    }
    let Some((_, updated, count)) = respelled else {
        return Ok(0);
    };
    if count > 0 {
        std::fs::write(&plan.dst, updated)
            .with_context(|| format!("{}: cannot write", plan.dst.display()))?;
    }
    Ok(count)
}

/// True when git tracks `path` (a file, or something under a folder).
pub(super) fn tracked(folder: &Path, path: &Path) -> bool {
    Command::new("git")
        .args(["ls-files", "--error-unmatch"])
        .arg(path)
        .current_dir(folder)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Leaves a module at the old path that warns and then makes the old name the new module
/// (`sys.modules[__name__] = new`): every name, private ones and those outside `__all__`
/// too, and `mock.patch("old.x")`, reach the real module. A package's shim also maps its
/// submodules onto the new ones (`old.sub` is the very module `new.sub`, never a copy).
pub fn write_shim(plan: &MovePlan) -> anyhow::Result<PathBuf> {
    let file = if plan.is_package {
        std::fs::create_dir_all(&plan.src)
            .with_context(|| format!("{}: cannot create the folder", plan.src.display()))?;
        plan.src.join("__init__.py")
    } else {
        plan.src.clone()
    };
    let (from, to) = (&plan.from, &plan.to);
    let mut text = format!(
        "\"\"\"Deprecated: `{from}` moved to `{to}`; import it from there.\"\"\"\nimport importlib\nimport sys\nimport warnings\n\nwarnings.warn(\n    \"{from} moved to {to}; import it from there\",\n    DeprecationWarning,\n    stacklevel=2,\n)\n"
    );
    if plan.is_package {
        text.push_str(&format!(
            "\n\nclass _Alias:\n    \"\"\"Imports `{from}.X` as the module `{to}.X` itself.\"\"\"\n\n    prefix = \"{from}.\"\n\n    def find_spec(self, name, path=None, target=None):\n        if not name.startswith(\"{from}.\"):\n            return None\n        import importlib.util\n\n        return importlib.util.spec_from_loader(name, self)\n\n    def create_module(self, spec):\n        return importlib.import_module(\"{to}\" + spec.name[len(\"{from}\"):])\n\n    def exec_module(self, module):\n        pass\n\n\nif not any(getattr(f, \"prefix\", None) == _Alias.prefix for f in sys.meta_path):\n    sys.meta_path.insert(0, _Alias())\n"
        ));
    }
    text.push_str(&format!(
        "sys.modules[__name__] = importlib.import_module(\"{to}\")\n"
    ));
    std::fs::write(&file, text).with_context(|| format!("{}: cannot write", file.display()))?;
    if plan.git {
        git(&plan.project_root, &["add".as_ref(), file.as_os_str()])?;
    }
    Ok(file)
}
