//! Path helpers every phase shares: absolute paths without `.` components, and the
//! bytes of a path relative to a folder (what shards hash and reports print).

use std::path::{Path, PathBuf};

/// `path` made absolute against `base` (the current folder), without `.` components.
pub fn absolute_path(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    joined
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// A path's bytes as shown: relative to the current folder when under it, `/`-separated,
/// without a leading `./`. Never lossy on Unix (file names are bytes there).
pub fn path_bytes(path: &Path, cwd: &Path) -> Vec<u8> {
    let relative = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        relative.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        let text = relative.to_string_lossy();
        text.replace(std::path::MAIN_SEPARATOR, "/").into_bytes()
    }
}
