//! Writing a rewritten file safely: temp file in the same folder, fsync, original
//! permissions, rename over the original. The file is checked first to be a regular file,
//! writable, and still holding the bytes that were planned on.

use crate::process::{FileError, FileOutcome, FileStatus};
use std::fs;
use std::io::Write;
use std::path::Path;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum WriteError {
    #[error("file is read-only; make it writable (chmod u+w) or exclude it")]
    ReadOnly,
    #[error("not a regular file any more (a link or something else); nothing was written")]
    NotRegular,
    #[error("file changed while reroute ran; nothing was written: run again")]
    Modified,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Replaces `path`'s content `original` with `updated`, atomically.
pub fn atomic_write(path: &Path, original: &[u8], updated: &[u8]) -> Result<(), WriteError> {
    let meta = fs::symlink_metadata(path)?;
    if !meta.file_type().is_file() {
        return Err(WriteError::NotRegular);
    }
    let permissions = meta.permissions();
    if is_read_only(&permissions) {
        return Err(WriteError::ReadOnly);
    }
    if fs::read(path)? != original {
        return Err(WriteError::Modified);
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".reroute-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    temp.write_all(updated)?;
    temp.as_file().sync_all()?;
    fs::set_permissions(temp.path(), permissions)?;
    temp.persist(path)
        .map_err(|error| WriteError::Io(error.error))?;
    Ok(())
}

#[cfg(unix)]
fn is_read_only(permissions: &fs::Permissions) -> bool {
    use std::os::unix::fs::PermissionsExt;
    // Even as root (who could write anyway), no write bit means "do not touch".
    permissions.mode() & 0o222 == 0
}

#[cfg(not(unix))]
fn is_read_only(permissions: &fs::Permissions) -> bool {
    permissions.readonly()
}

/// `apply`: writes a changed file; its status becomes `Written`, or `Failed` with the
/// reason.
pub fn write_outcome(outcome: &mut FileOutcome) {
    let status = std::mem::replace(&mut outcome.status, FileStatus::Skipped);
    outcome.status = match status {
        FileStatus::Changed {
            original,
            updated,
            edits,
        } => match atomic_write(&outcome.path, &original, &updated) {
            Ok(()) => FileStatus::Written { edits },
            Err(error) => FileStatus::Failed(FileError::Write(error)),
        },
        other => other,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_and_refuses_read_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.py");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o754)).unwrap();
        atomic_write(&path, b"old", b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o754
        );
        assert!(matches!(
            atomic_write(&path, b"old", b"x"),
            Err(WriteError::Modified)
        ));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        assert!(matches!(
            atomic_write(&path, b"new", b"x"),
            Err(WriteError::ReadOnly)
        ));
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temp file is left behind");
    }
}
