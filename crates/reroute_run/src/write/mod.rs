//! Writing a rewritten file safely: temp file in the same folder, fsync, original
//! permissions, then a last check that the file is still exactly what was read (stamp and
//! bytes) immediately before it is replaced. On Linux the replacement is an exchange
//! (`renameat2(RENAME_EXCHANGE)`) followed by one more check of the old file, so that a
//! change that lands between the last check and the exchange is put back instead of lost.

mod interrupt;
mod stamp;
pub mod temp;

pub use interrupt::{Interrupt, Signal, SignalAt};

pub use stamp::{FileStamp, ReadFile, read_regular, read_regular_within};

use reroute_engine::Warning;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

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
        "has {links} hard links; writing would split them; pass --break-hardlinks to write anyway"
    )]
    HardLinks { links: u64 },
    #[error("the owner and group ({uid}:{gid}) could not be kept: {source}; nothing was written")]
    Owner {
        uid: u32,
        gid: u32,
        source: std::io::Error,
    },
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

/// How `apply` writes.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Write a file with more than one hard link anyway (`--break-hardlinks`).
    pub break_hardlinks: bool,
}

/// Replaces `path`'s content `original` (read as `stamp`) with `updated`, atomically,
/// unless the file changed since it was read. Keeps mode, owner and group (the owner when
/// permitted: as root always, otherwise a warning says what changed). Returns warnings
/// about the write. `temp_written` runs once the temp file is filled (the test hook).
pub fn atomic_write(
    path: &Path,
    original: &[u8],
    stamp: &FileStamp,
    updated: &[u8],
    options: &WriteOptions,
    temp_written: &dyn Fn(),
) -> Result<Vec<Warning>, WriteError> {
    let mut warnings = Vec::new();
    // Where opening cannot refuse a link (not Unix), this check is the only one.
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(WriteError::NotRegular);
    }
    let target = open_target(path)?;
    let meta = target.metadata()?;
    if !meta.file_type().is_file() {
        return Err(WriteError::NotRegular);
    }
    let permissions = meta.permissions();
    if is_read_only(&permissions) {
        return Err(WriteError::ReadOnly);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let links = meta.nlink();
        if links > 1 {
            if !options.break_hardlinks {
                return Err(WriteError::HardLinks { links });
            }
            warnings.push(Warning::HardLinksBroken { links });
        }
    }
    #[cfg(not(unix))]
    let _ = options;
    if FileStamp::of(&meta) != *stamp || !stamp::holds(&target, original)? {
        return Err(WriteError::Modified);
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(&temp::own_prefix())
        .suffix(temp::suffix())
        .tempfile_in(folder)?;
    temp.write_all(updated)?;
    #[cfg(unix)]
    warnings.extend(keep_owner(temp.as_file(), &meta)?);
    // After the owner: changing the owner clears the set-user-ID and set-group-ID bits.
    temp.as_file().set_permissions(permissions)?;
    temp.as_file().sync_all()?;
    temp_written();
    // The last check, immediately before the file is replaced.
    if !unchanged(path, &target, stamp, original)? {
        return Err(WriteError::Modified);
    }
    replace(temp, path, &target, stamp, original)?;
    Ok(warnings)
}

/// Gives `temp` the owner and group of the file it replaces. As root that must work; as
/// anyone else the owner can only be kept when it is already the user, and the group when
/// the user is in it: what could not be kept is a warning, not an error.
#[cfg(unix)]
fn keep_owner(temp: &File, original: &fs::Metadata) -> Result<Option<Warning>, WriteError> {
    use std::os::unix::fs::{MetadataExt, fchown};
    let (uid, gid) = (original.uid(), original.gid());
    let current = temp.metadata()?;
    if (current.uid(), current.gid()) == (uid, gid) {
        return Ok(None);
    }
    let not_permitted = |error: &std::io::Error| {
        error.raw_os_error() == Some(rustix::io::Errno::PERM.raw_os_error())
            && !rustix::process::geteuid().is_root()
    };
    match fchown(temp, Some(uid), Some(gid)) {
        Ok(()) => return Ok(None),
        Err(error) if not_permitted(&error) => {}
        Err(source) => return Err(WriteError::Owner { uid, gid, source }),
    }
    // Not root: keep at least the group when the user is in it.
    match fchown(temp, None, Some(gid)) {
        Ok(()) => {}
        Err(error) if not_permitted(&error) => {}
        Err(source) => return Err(WriteError::Owner { uid, gid, source }),
    }
    let now = temp.metadata()?;
    Ok(Some(Warning::OwnerNotKept {
        was: (uid, gid),
        now: (now.uid(), now.gid()),
    }))
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
        #[cfg(test)]
        tests::BEFORE_EXCHANGE.with(|hook| {
            if let Some(hook) = hook.borrow().as_ref() {
                hook(path);
            }
        });
        match renameat_with(CWD, temp.path(), CWD, path, RenameFlags::EXCHANGE) {
            Ok(()) => {
                // `temp`'s name now holds the file that was at `path`; dropping `temp`
                // removes it.
                #[cfg(test)]
                tests::AFTER_EXCHANGE.with(|hook| {
                    if let Some(hook) = hook.borrow().as_ref() {
                        hook(temp.path());
                    }
                });
                // That file must be the one that was read: another process may have
                // renamed a file of its own onto `path` after the last check (another
                // `apply`), which would then be swapped out and deleted.
                let ours = match fs::symlink_metadata(temp.path()) {
                    Ok(meta) => stamp.same_file(&meta),
                    Err(_) => false,
                };
                let still = ours
                    && FileStamp::of(&target.metadata()?) == *stamp
                    && stamp::holds(target, original)?;
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

/// The write phase of `apply`: shared by the worker threads.
pub struct Writer {
    options: WriteOptions,
    interrupt: Interrupt,
    signal_at: Option<SignalAt>,
    /// Writes that have filled their temp file so far.
    started: AtomicUsize,
    /// With the test hook only: held while a write decides to start and while the hook
    /// counts and raises, so that no write starts between the k-th write and its signal.
    hook: Mutex<()>,
}

impl Writer {
    pub fn new(options: WriteOptions, interrupt: Interrupt, signal_at: Option<SignalAt>) -> Self {
        Writer {
            options,
            interrupt,
            signal_at,
            started: AtomicUsize::new(0),
            hook: Mutex::new(()),
        }
    }

    /// Replaces the file at `path`, read as `original` with `stamp`, by `updated`; the
    /// warnings of a write that went through, or why it did not. `None`: not started, as
    /// the run was interrupted (SIGINT, SIGTERM).
    pub fn write(
        &self,
        path: &Path,
        original: &[u8],
        stamp: Option<&FileStamp>,
        updated: &[u8],
    ) -> Option<Result<Vec<Warning>, WriteError>> {
        let stop = {
            let _hook = self.signal_at.map(|_| self.lock_hook());
            self.interrupt.received().is_some()
        };
        if stop {
            return None;
        }
        Some(match stamp {
            Some(stamp) => atomic_write(path, original, stamp, updated, &self.options, &|| {
                self.temp_written()
            }),
            // Never read from disk (cannot happen in `apply`): do not write.
            None => Err(WriteError::Modified),
        })
    }

    fn temp_written(&self) {
        let Some(hook) = self.signal_at else { return };
        let _hook = self.lock_hook();
        let n = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        if hook.write == n {
            hook.raise();
        }
    }

    fn lock_hook(&self) -> std::sync::MutexGuard<'_, ()> {
        self.hook
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests;
