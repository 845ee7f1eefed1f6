//! The paths of `file://` URIs.

use std::path::PathBuf;

/// The path of a `file://` URI (percent-decoded); `None` for other schemes.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file://host/path` is not a local file; `file:///path` has an empty host.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%'
            && let Some(byte) = bytes
                .get(at + 1..at + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            decoded.push(byte);
            at += 3;
            continue;
        }
        decoded.push(bytes[at]);
        at += 1;
    }
    let text = String::from_utf8(decoded).ok()?;
    text.starts_with('/').then(|| PathBuf::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn decodes_odd_names() {
        let path = Path::new("/tmp/my project/é.py");
        assert_eq!(
            to_path("file:///tmp/my%20project/%C3%A9.py").as_deref(),
            Some(path)
        );
        assert_eq!(to_path("untitled:1"), None);
    }
}
