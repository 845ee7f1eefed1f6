//! Temp files: `apply` writes each new file as `.reroute-<pid>-<random>.tmp` in the file's
//! folder and renames it into place. A run that is killed (SIGKILL, power loss) leaves its
//! temp file behind; a later run finds it by name, and because the name carries the
//! process id it can tell whether the writer is gone: `apply` removes those, `check` and
//! `diff` list them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const PREFIX: &str = ".reroute-";
const SUFFIX: &str = ".tmp";

/// The prefix of this process's temp files: `.reroute-<pid>-`.
pub fn own_prefix() -> String {
    format!("{PREFIX}{}-", std::process::id())
}

pub fn suffix() -> &'static str {
    SUFFIX
}

/// A temp file found next to a processed file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LeftTemp {
    pub path: PathBuf,
    /// The process that wrote it, from its name (`None`: a name without one).
    pub pid: Option<u32>,
    pub state: TempState,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TempState {
    /// Its process is gone; `apply` removes it.
    Stale,
    /// Its process was gone and this run removed it.
    Removed,
    /// Its process was gone, but removing it failed.
    RemoveFailed(String),
    /// Its process still runs (a write in progress, or the id was reused): left alone.
    InUse,
    /// No process id in its name (an older reroute), or no way to ask whether the
    /// process runs (not Unix): left alone.
    Unknown,
}

impl std::fmt::Display for LeftTemp {
    /// The warning's text, without the path.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pid = self.pid.unwrap_or(0);
        match &self.state {
            TempState::Stale => write!(
                f,
                "temp file left by reroute process {pid}, which is gone; `reroute apply` removes it"
            ),
            TempState::Removed => write!(
                f,
                "removed a temp file left by reroute process {pid}, which is gone"
            ),
            TempState::RemoveFailed(error) => write!(
                f,
                "cannot remove the temp file left by reroute process {pid}, which is gone: {error}"
            ),
            TempState::InUse => write!(
                f,
                "temp file of process {pid}, which is still running; left alone"
            ),
            TempState::Unknown => write!(
                f,
                "temp file of a reroute run that cannot be checked (an older reroute, or a system where reroute cannot ask whether a process runs); remove it when no reroute is running"
            ),
        }
    }
}

/// The process id in a temp file's name: `.reroute-<pid>-<random>.tmp`. `Some(None)`: a
/// reroute temp file without one; `None`: not a reroute temp file.
fn parse_name(name: &str) -> Option<Option<u32>> {
    let middle = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    Some(
        middle
            .split_once('-')
            .filter(|(pid, rest)| {
                !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty()
            })
            .and_then(|(pid, _)| pid.parse().ok()),
    )
}

/// The reroute temp files in the folders that hold `files`, sorted by path, with whether
/// their process is gone.
pub fn scan<'a>(files: impl IntoIterator<Item = &'a Path>) -> Vec<LeftTemp> {
    let folders: BTreeSet<&Path> = files
        .into_iter()
        .map(|file| file.parent().unwrap_or(Path::new("")))
        .collect();
    let own = std::process::id();
    let mut found = Vec::new();
    for folder in folders {
        let listed = if folder.as_os_str().is_empty() {
            std::fs::read_dir(".")
        } else {
            std::fs::read_dir(folder)
        };
        // A folder that cannot be listed holds nothing this run could have left.
        let Ok(entries) = listed else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(parse_name) else {
                continue;
            };
            if !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let state = match pid {
                None => TempState::Unknown,
                Some(pid) if pid == own => TempState::InUse,
                Some(pid) => match process_is_gone(pid) {
                    Some(true) => TempState::Stale,
                    Some(false) => TempState::InUse,
                    None => TempState::Unknown,
                },
            };
            found.push(LeftTemp {
                path: folder.join(&name),
                pid,
                state,
            });
        }
    }
    found.sort();
    found
}

/// Removes the stale ones (their process is gone).
pub fn remove_stale(temps: &mut [LeftTemp]) {
    for temp in temps.iter_mut().filter(|t| t.state == TempState::Stale) {
        temp.state = match std::fs::remove_file(&temp.path) {
            Ok(()) => TempState::Removed,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => TempState::Removed,
            Err(error) => TempState::RemoveFailed(error.to_string()),
        };
    }
}

/// Whether no process `pid` exists: `kill(pid, 0)` fails with ESRCH (a process of
/// another user, EPERM, exists).
#[cfg(unix)]
fn process_is_gone(pid: u32) -> Option<bool> {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return Some(false);
    };
    Some(rustix::process::test_kill_process(pid) == Err(rustix::io::Errno::SRCH))
}

/// No way to ask here: nothing is removed.
#[cfg(not(unix))]
fn process_is_gone(_pid: u32) -> Option<bool> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(parse_name(".reroute-123-AbC9x1.tmp"), Some(Some(123)));
        assert_eq!(parse_name(".reroute-AbC9x1.tmp"), Some(None));
        assert_eq!(parse_name(".reroute-123-.tmp"), Some(None));
        assert_eq!(parse_name(".reroute--x.tmp"), Some(None));
        assert_eq!(parse_name("m.py"), None);
        assert_eq!(parse_name(".reroute-1-x.py"), None);
        assert!(own_prefix().starts_with(".reroute-"));
        assert_eq!(
            parse_name(&format!("{}abc{SUFFIX}", own_prefix())),
            Some(Some(std::process::id()))
        );
    }

    #[cfg(unix)]
    #[test]
    fn this_process_is_not_gone() {
        assert_eq!(process_is_gone(std::process::id()), Some(false));
    }
}
