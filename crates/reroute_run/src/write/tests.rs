//! Unit tests of the write path: the read-time stamp, refusing a changed file, and the
//! exchange that puts back a write landing after the last check.

use super::*;

type Hook = Box<dyn Fn(&Path)>;

thread_local! {
    /// Runs right before the exchange, after the last check, with the target path: lets a
    /// test rename another file onto it at the worst moment.
    pub(super) static BEFORE_EXCHANGE: std::cell::RefCell<Option<Hook>> =
        const { std::cell::RefCell::new(None) };
    /// Runs right after the exchange, with the temp name (which then holds the old
    /// file): lets a test write to the old file at the worst moment.
    pub(super) static AFTER_EXCHANGE: std::cell::RefCell<Option<Hook>> =
        const { std::cell::RefCell::new(None) };
}

/// A write that lands on the old file after the last check (between the exchange and
/// the check after it) is not lost: the files are exchanged back.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[test]
fn a_write_after_the_last_check_is_put_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.py");
    fs::write(&path, b"old\n").unwrap();
    let stamp = read(&path);
    AFTER_EXCHANGE.with(|hook| {
        *hook.borrow_mut() = Some(Box::new(|old: &Path| {
            let mut file = fs::OpenOptions::new().append(true).open(old).unwrap();
            file.write_all(b"late\n").unwrap();
        }))
    });
    let result = atomic_write(
        &path,
        b"old\n",
        &stamp,
        b"new\n",
        &WriteOptions::default(),
        &|| {},
    );
    AFTER_EXCHANGE.with(|hook| *hook.borrow_mut() = None);
    assert!(matches!(result, Err(WriteError::Modified)), "{result:?}");
    assert_eq!(fs::read(&path).unwrap(), b"old\nlate\n");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp file left"
    );
    // Without the late write the same call writes.
    let stamp = read(&path);
    atomic_write(
        &path,
        b"old\nlate\n",
        &stamp,
        b"new\n",
        &WriteOptions::default(),
        &|| {},
    )
    .unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"new\n");
}

/// Another process renames a file of its own onto the path between the last check and the
/// exchange (as a concurrent `apply` does): that file stays, and this write reports the
/// file changed since it was read.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[test]
fn a_file_renamed_onto_the_path_before_the_exchange_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.py");
    fs::write(&path, b"old\n").unwrap();
    let stamp = read(&path);
    let theirs = dir.path().join("theirs.tmp");
    fs::write(&theirs, b"their rewrite\n").unwrap();
    let from = theirs.clone();
    BEFORE_EXCHANGE.with(|hook| {
        *hook.borrow_mut() = Some(Box::new(move |target: &Path| {
            fs::rename(&from, target).unwrap();
        }))
    });
    let result = atomic_write(
        &path,
        b"old\n",
        &stamp,
        b"our rewrite\n",
        &WriteOptions::default(),
        &|| {},
    );
    BEFORE_EXCHANGE.with(|hook| *hook.borrow_mut() = None);
    assert!(matches!(result, Err(WriteError::Modified)), "{result:?}");
    assert_eq!(fs::read(&path).unwrap(), b"their rewrite\n");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp file left"
    );
}

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
        atomic_write(
            &path,
            b"old\n",
            &stamp,
            b"new\n",
            &WriteOptions::default(),
            &|| {}
        ),
        Err(WriteError::Modified)
    ));
    // Appended to.
    let stamp = read(&path);
    fs::write(&path, b"old\nmore\n").unwrap();
    assert!(matches!(
        atomic_write(
            &path,
            b"old\n",
            &stamp,
            b"new\n",
            &WriteOptions::default(),
            &|| {}
        ),
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
    atomic_write(
        &path,
        b"old",
        &stamp,
        b"new",
        &WriteOptions::default(),
        &|| {},
    )
    .unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"new");
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o754
    );
    assert!(matches!(
        atomic_write(
            &path,
            b"old",
            &stamp,
            b"x",
            &WriteOptions::default(),
            &|| {}
        ),
        Err(WriteError::Modified)
    ));
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let stamp = read(&path);
    assert!(matches!(
        atomic_write(
            &path,
            b"new",
            &stamp,
            b"x",
            &WriteOptions::default(),
            &|| {}
        ),
        Err(WriteError::ReadOnly)
    ));
    let leftovers = fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temp file is left behind");
}
