//! Writing a rewritten file safely: temp file in the same folder, fsync, original
//! permissions, then a last check that the file is still exactly what was read (stamp and
//! bytes) immediately before it is replaced. On Linux the replacement is an exchange
//! (`renameat2(RENAME_EXCHANGE)`) followed by one more check of the old file, so that a
//! change that lands between the last check and the exchange is put back instead of lost.

mod stamp;

pub use stamp::{FileStamp, read_regular};

use crate::process::{FileError, FileOutcome, FileStatus};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum WriteError {
    #[error("file is read-only; make it writable (chmod u+w) or exclude it")]
    ReadOnly,
    #[error("not a regular file any more (a link or something else); nothing was written")]
    NotRegular,
    #[error("changed since it was read; run again")]
    Modified,
    #[error(
        "changed while it was being replaced, and putting it back failed ({source}); the changed file is kept as {}",
        kept.display()
    )]
    Restore {
        kept: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Replaces `path`'s content `original` (read as `stamp`) with `updated`, atomically,
/// unless the file changed since it was read.
pub fn atomic_write(
    path: &Path,
    original: &[u8],
    stamp: &FileStamp,
    updated: &[u8],
) -> Result<(), WriteError> {
    let target = open_target(path)?;
    let meta = target.metadata()?;
    if !meta.file_type().is_file() {
        return Err(WriteError::NotRegular);
    }
    let permissions = meta.permissions();
    if is_read_only(&permissions) {
        return Err(WriteError::ReadOnly);
    }
    if FileStamp::of(&meta) != *stamp || !stamp::holds(&target, original)? {
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
    temp.as_file().set_permissions(permissions)?;
    temp.as_file().sync_all()?;
    // The last check, immediately before the file is replaced.
    if !unchanged(path, &target, stamp, original)? {
        return Err(WriteError::Modified);
    }
    replace(temp, path, &target, stamp, original)
}

/// Opens the file to be replaced without following a symbolic link and without blocking
/// on a FIFO. A link is `NotRegular`.
fn open_target(path: &Path) -> Result<File, WriteError> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags((OFlags::NONBLOCK | OFlags::NOFOLLOW).bits() as i32);
    }
    match options.open(path) {
        Ok(file) => Ok(file),
        #[cfg(unix)]
        Err(error) if error.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
            Err(WriteError::NotRegular)
        }
        Err(error) => Err(error.into()),
    }
}

/// True when `target` (open) still has the stamp and bytes that were read and is still
/// the file at `path`.
fn unchanged(
    path: &Path,
    target: &File,
    stamp: &FileStamp,
    original: &[u8],
) -> Result<bool, WriteError> {
    if FileStamp::of(&target.metadata()?) != *stamp {
        return Ok(false);
    }
    #[cfg(unix)]
    match fs::symlink_metadata(path) {
        Ok(meta) if stamp.same_file(&meta) => {}
        Ok(_) => return Ok(false),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(error) => return Err(error.into()),
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(stamp::holds(target, original)?)
}

/// Puts `temp` in the place of `path`. On Linux: exchange the two, check the old file once
/// more (a change that landed after the last check is now visible), and exchange back if
/// it changed. Elsewhere, or where the file system cannot exchange: a plain rename.
fn replace(
    temp: NamedTempFile,
    path: &Path,
    target: &File,
    stamp: &FileStamp,
    original: &[u8],
) -> Result<(), WriteError> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(CWD, temp.path(), CWD, path, RenameFlags::EXCHANGE) {
            Ok(()) => {
                // `temp`'s name now holds the old file; dropping `temp` removes it.
                let still =
                    FileStamp::of(&target.metadata()?) == *stamp && stamp::holds(target, original)?;
                if still {
                    return Ok(());
                }
                return match renameat_with(CWD, temp.path(), CWD, path, RenameFlags::EXCHANGE) {
                    Ok(()) => Err(WriteError::Modified),
                    Err(error) => {
                        let kept = temp.path().to_path_buf();
                        // Keep the changed file under the temp name rather than delete it.
                        let _ = temp.into_temp_path().keep();
                        Err(WriteError::Restore {
                            kept,
                            source: error.into(),
                        })
                    }
                };
            }
            Err(Errno::NOENT) => return Err(WriteError::Modified),
            // The file system cannot exchange: fall back to a plain rename.
            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
            Err(error) => return Err(WriteError::Io(error.into())),
        }
    }
    let _ = (target, stamp, original);
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
        } => {
            let written = match &outcome.stamp {
                Some(stamp) => atomic_write(&outcome.path, &original, stamp, &updated),
                // Never read from disk (cannot happen in `apply`): do not write.
                None => Err(WriteError::Modified),
            };
            match written {
                Ok(()) => FileStatus::Written { edits },
                Err(error) => FileStatus::Failed(FileError::Write(error)),
            }
        }
        other => other,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &Path) -> FileStamp {
        read_regular(path).unwrap().unwrap().1
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_file_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.py");
        fs::write(&path, b"old\n").unwrap();
        let stamp = read(&path);
        // Same bytes, but the file was replaced (new inode) or touched.
        let other = dir.path().join("other.py");
        fs::write(&other, b"old\n").unwrap();
        fs::rename(&other, &path).unwrap();
        assert!(matches!(
            atomic_write(&path, b"old\n", &stamp, b"new\n"),
            Err(WriteError::Modified)
        ));
        // Appended to.
        let stamp = read(&path);
        fs::write(&path, b"old\nmore\n").unwrap();
        assert!(matches!(
            atomic_write(&path, b"old\n", &stamp, b"new\n"),
            Err(WriteError::Modified)
        ));
        assert_eq!(fs::read(&path).unwrap(), b"old\nmore\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_and_refuses_read_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.py");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o754)).unwrap();
        let stamp = read(&path);
        atomic_write(&path, b"old", &stamp, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o754
        );
        assert!(matches!(
            atomic_write(&path, b"old", &stamp, b"x"),
            Err(WriteError::Modified)
        ));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let stamp = read(&path);
        assert!(matches!(
            atomic_write(&path, b"new", &stamp, b"x"),
            Err(WriteError::ReadOnly)
        ));
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temp file is left behind");
    }
}
