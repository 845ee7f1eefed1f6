//! What a file looked like when it was read, so that `apply` can tell whether anyone
//! changed it since: size, modification time and (on Unix) inode, device, mode, owner and
//! link count, plus the bytes themselves, compared in full.

use std::fs::{File, Metadata};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::time::SystemTime;

/// The metadata of a file as it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    unix: UnixStamp,
}

#[cfg(unix)]
#[derive(Debug, Clone, PartialEq, Eq)]
struct UnixStamp {
    dev: u64,
    ino: u64,
    mode: u32,
    uid: u32,
    gid: u32,
    nlink: u64,
}

impl FileStamp {
    pub fn of(meta: &Metadata) -> FileStamp {
        FileStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            unix: {
                use std::os::unix::fs::MetadataExt;
                UnixStamp {
                    dev: meta.dev(),
                    ino: meta.ino(),
                    mode: meta.mode(),
                    uid: meta.uid(),
                    gid: meta.gid(),
                    nlink: meta.nlink(),
                }
            },
        }
    }

    /// True when `meta` describes the same file (same inode, on Unix) as this stamp.
    #[cfg(unix)]
    pub fn same_file(&self, meta: &Metadata) -> bool {
        use std::os::unix::fs::MetadataExt;
        self.unix.dev == meta.dev() && self.unix.ino == meta.ino()
    }
}

/// Opens `path` for reading without blocking on a FIFO (a FIFO opened for reading waits
/// for a writer; `O_NONBLOCK` has no effect on regular files).
pub fn open_for_reading(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    options.open(path)
}

/// The bytes of the regular file at `path` and its stamp, taken before reading (a change
/// during the read then shows as a different stamp when `apply` checks again).
/// `Ok(None)`: not a regular file.
pub fn read_regular(path: &Path) -> io::Result<Option<(Vec<u8>, FileStamp)>> {
    match read_regular_within(path, u64::MAX)? {
        ReadFile::Bytes(bytes, stamp) => Ok(Some((bytes, stamp))),
        ReadFile::NotRegular | ReadFile::TooLarge(_) => Ok(None),
    }
}

/// What [`read_regular_within`] found.
pub enum ReadFile {
    /// The bytes of a regular file and its stamp.
    Bytes(Vec<u8>, FileStamp),
    /// Not a regular file.
    NotRegular,
    /// A regular file of this many bytes, over the limit: not read.
    TooLarge(u64),
}

/// `read_regular`, with the size limit checked on the same `fstat` (one metadata call
/// per file: the walk's 25,000 files cost a `statx` each otherwise).
pub fn read_regular_within(path: &Path, limit: u64) -> io::Result<ReadFile> {
    let mut file = open_for_reading(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(ReadFile::NotRegular);
    }
    if meta.len() > limit {
        return Ok(ReadFile::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(ReadFile::Bytes(bytes, FileStamp::of(&meta)))
}

/// True when `file`, read from its start, holds exactly `expected`.
pub fn holds(mut file: &File, expected: &[u8]) -> io::Result<bool> {
    file.seek(SeekFrom::Start(0))?;
    let mut buffer = vec![0u8; 64 * 1024];
    let mut offset = 0;
    loop {
        let n = match file.read(&mut buffer) {
            Ok(n) => n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if n == 0 {
            return Ok(offset == expected.len());
        }
        let end = offset + n;
        if end > expected.len() || buffer[..n] != expected[offset..end] {
            return Ok(false);
        }
        offset = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_compares_every_byte_and_the_length() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"abc").unwrap();
        let file = File::open(&path).unwrap();
        assert!(holds(&file, b"abc").unwrap());
        assert!(
            holds(&file, b"abc").unwrap(),
            "reads from the start each time"
        );
        assert!(!holds(&file, b"ab").unwrap());
        assert!(!holds(&file, b"abcd").unwrap());
        assert!(!holds(&file, b"abd").unwrap());
    }

    #[test]
    fn the_stamp_changes_with_an_append() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"abc").unwrap();
        let (bytes, stamp) = read_regular(&path).unwrap().unwrap();
        assert_eq!(bytes, b"abc");
        assert_eq!(FileStamp::of(&std::fs::metadata(&path).unwrap()), stamp);
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"d"))
            .unwrap();
        assert_ne!(FileStamp::of(&std::fs::metadata(&path).unwrap()), stamp);
    }
}
