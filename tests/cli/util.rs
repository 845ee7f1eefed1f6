//! Helpers: a temporary project on disk and a way to run the real `reroute` binary in it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary under test, built by Cargo for this test target.
pub const BIN: &str = env!("CARGO_BIN_EXE_reroute");

/// A codemod moving module `a.old` (and everything under it) to `a.new`.
pub const MOVE_A: &str = "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n";

/// Like [`MOVE_A`], with `strings = true`.
pub const MOVE_A_STRINGS: &str = "[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\nstrings = true\n";

/// A codemod moving `b.legacy` to `b.modern`.
/// Moves `acme.services.old` to `acme.core.new`.
pub const MOVE_ACME: &str = "[[move]]\nfrom = \"acme.services.old\"\nto = \"acme.core.new\"\n";

pub const MOVE_B: &str = "[[move]]\nfrom = \"b.legacy\"\nto = \"b.modern\"\n";

/// A file whose first import is clean and whose second (deprecated) import sits inside a
/// syntax error: tree-sitter puts lines 4-6 in an ERROR node.
pub const BROKEN_REGION: &str =
    "import a.old\n\n\ndef broken(x:\n    from a.old import f\n    return f(\n";

/// A file that declares an encoding reroute refuses: processing it fails.
pub const UNPROCESSABLE: &str = "# -*- coding: utf-16 -*-\nimport a.old\n";

/// A temporary project folder; removed when dropped.
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    /// An empty project.
    pub fn empty() -> Self {
        Project {
            dir: tempfile::Builder::new()
                .prefix("reroute-cli-")
                .tempdir()
                .expect("create a temp folder"),
        }
    }

    /// A project with one codemod, `codemods/<name>.toml`.
    pub fn with_codemod(name: &str, spec: &str) -> Self {
        let project = Self::empty();
        project.write(&format!("codemods/{name}.toml"), spec);
        project
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    /// Writes `contents` to `relative`, creating folders as needed.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create folders");
        }
        fs::write(&path, contents).expect("write file");
        self
    }

    pub fn read(&self, relative: &str) -> Vec<u8> {
        fs::read(self.path(relative)).unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
    }

    pub fn read_text(&self, relative: &str) -> String {
        String::from_utf8(self.read(relative)).expect("UTF-8 file")
    }

    /// Runs `reroute ARGS` with the project root as the current folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    /// Runs `reroute ARGS` with `root/sub` as the current folder.
    pub fn run_in(&self, sub: &str, args: &[&str]) -> Run {
        run_in(&self.path(sub), args)
    }

    /// Every file under the root (except `.git/`) by `/`-separated relative path.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(self.root())
    }

    /// A new project holding a copy of every file of this one (except `.git/`).
    pub fn copy(&self) -> Project {
        let copy = Project::empty();
        for (relative, bytes) in self.snapshot() {
            copy.write(&relative, bytes);
        }
        copy
    }

    /// Runs `git ARGS` in the project root; panics unless it succeeds.
    pub fn git(&self, args: &[&str]) {
        let output = Command::new("git")
            .args(["-c", "core.autocrlf=false", "-c", "core.safecrlf=false"])
            .args(args)
            .current_dir(self.root())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.root())
            .output()
            .expect("git is installed");
        assert!(
            output.status.success(),
            "git {args:?} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// What one run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
    args: String,
}

impl Run {
    pub fn stdout_text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }

    /// Asserts the exit code, showing the whole run when it differs.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code,
            expected,
            "`reroute {}` exited {} (expected {expected})\n--- stdout\n{}\n--- stderr\n{}",
            self.args,
            self.code,
            String::from_utf8_lossy(&self.stdout),
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "`reroute {}`: stderr lacks {needle:?}:\n{}",
            self.args,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Self {
        let stdout = String::from_utf8_lossy(&self.stdout);
        assert!(
            stdout.contains(needle),
            "`reroute {}`: stdout lacks {needle:?}:\n{stdout}",
            self.args
        );
        self
    }
}

pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    run_with_env(cwd, args, &[])
}

/// `run_in` with extra environment variables (colour variables are cleared first).
pub fn run_with_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("VIRTUAL_ENV")
        .envs(env.iter().copied())
        .output()
        .expect("run reroute");
    Run {
        code: output.status.code().expect("reroute exited normally"),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        args: args.join(" "),
    }
}

/// Every file under `root` (except `.git/`), by `/`-separated relative path.
pub fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for path in walk(root) {
        let meta = fs::symlink_metadata(&path).expect("stat");
        if meta.is_file() {
            let relative = relative_name(root, &path);
            files.insert(relative, fs::read(&path).expect("read"));
        }
    }
    files
}

/// Every path under `root` (files, links and folders; not `.git/`), sorted.
pub fn walk(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).expect("read folder") {
            let entry = entry.expect("folder entry");
            let path = entry.path();
            if entry.file_name() == ".git" {
                continue;
            }
            if entry.file_type().expect("file type").is_dir() {
                pending.push(path.clone());
            }
            found.push(path);
        }
    }
    found.sort();
    found
}

fn relative_name(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .expect("under root")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("stat").permissions().mode() & 0o7777
}

#[cfg(unix)]
pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

/// `text` without ANSI escape sequences.
pub fn strip_ansi(text: &str) -> String {
    anstream::adapter::strip_str(text).to_string()
}

/// stdout parsed as JSON.
pub fn json(run: &Run) -> serde_json::Value {
    serde_json::from_slice(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout_text()))
}
