//! Turning a [`Report`](crate::report::Report) into output. The only place that writes to
//! stdout/stderr during a run.

pub mod json;
pub mod style;
pub mod text;

use std::path::Path;

/// How a path is shown: relative to the current folder when under it, `/`-separated,
/// without a leading `./`.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let relative = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    let text = relative.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}
