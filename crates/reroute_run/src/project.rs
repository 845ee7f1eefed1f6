//! The project model of a run with the unresolved-import check: the import roots (the
//! project folder, the source roots, and `src/` when it exists) and the top-level names an
//! installed distribution also provides, read from the project's virtual environment.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use reroute_engine::spec::Identifier;
use reroute_engine::{Layout, ProjectModel};

/// The model for the project at `root` with source roots `src` (absolute).
pub fn model(root: &Path, src: &[PathBuf], layout: &dyn Layout) -> ProjectModel {
    let installed = installed_names(root);
    ProjectModel::new(&bases(root, src), layout, &|name: &Identifier| {
        installed.contains(name.as_str())
    })
    .shown_from(root.to_path_buf())
}

/// Where top-level packages are looked for: the source roots, then the project folder,
/// then `src/` (the src layout, on the path of an editable install).
pub fn bases(root: &Path, src: &[PathBuf]) -> Vec<PathBuf> {
    let mut bases = src.to_vec();
    bases.push(root.to_path_buf());
    let src_folder = root.join("src");
    if src_folder.is_dir() && !bases.contains(&src_folder) {
        bases.push(src_folder);
    }
    bases
}

/// The top-level names the site-packages of the project's virtual environment hold as
/// real folders or modules (`$VIRTUAL_ENV`, else `.venv/` or `venv/` in the project). An
/// editable install of the project itself leaves a `.pth` file there, not a folder: its
/// packages stay first-party.
fn installed_names(root: &Path) -> BTreeSet<String> {
    let mut environments: Vec<PathBuf> = std::env::var_os("VIRTUAL_ENV")
        .map(PathBuf::from)
        .into_iter()
        .collect();
    environments.extend([root.join(".venv"), root.join("venv")]);
    let mut names = BTreeSet::new();
    for environment in environments.iter().filter(|e| e.is_dir()) {
        for site in site_packages(environment) {
            let Ok(entries) = std::fs::read_dir(&site) else {
                continue;
            };
            for entry in entries.filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().into_owned();
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let top = if kind.is_dir() {
                    Some(name.as_str())
                } else {
                    name.split('.').next().filter(|_| is_module_file(&name))
                };
                if let Some(top) = top.filter(|t| !t.contains('-')) {
                    names.insert(top.to_string());
                }
            }
        }
    }
    names
}

fn is_module_file(name: &str) -> bool {
    [".py", ".pyi", ".so", ".pyd"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// `lib/python3.X/site-packages` (and `Lib/site-packages` on Windows) of a virtual
/// environment.
fn site_packages(environment: &Path) -> Vec<PathBuf> {
    let mut found = vec![environment.join("Lib").join("site-packages")];
    for lib in ["lib", "lib64"] {
        if let Ok(entries) = std::fs::read_dir(environment.join(lib)) {
            found.extend(
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().starts_with("python"))
                    .map(|e| e.path().join("site-packages")),
            );
        }
    }
    found.retain(|site| site.is_dir());
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn venv_folders_and_modules_are_installed_and_pth_files_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join(".venv/lib/python3.12/site-packages");
        std::fs::create_dir_all(site.join("requests")).unwrap();
        std::fs::create_dir_all(site.join("requests-2.0.dist-info")).unwrap();
        std::fs::write(site.join("six.py"), "").unwrap();
        std::fs::write(site.join("_speed.cpython-312-x86_64-linux-gnu.so"), "").unwrap();
        std::fs::write(site.join("__editable__.app-1.0.pth"), "/x\n").unwrap();
        let names = installed_names(dir.path());
        for name in ["requests", "six", "_speed"] {
            assert!(names.contains(name), "{name}: {names:?}");
        }
        assert!(!names.iter().any(|n| n.contains("editable") || n == "app"));
    }
}
