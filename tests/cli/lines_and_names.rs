//! Lines end where CPython ends them (a lone `\r` too), patches split lines only at `\n`
//! as git does, and file names are bytes: quoted in diffs, escaped in check and JSON
//! output, never shown lossily; files over the size limit are a per-file error (#13).

use std::fs;

use crate::util::{MOVE_A, Project, json};

/// `reroute diff`, applied with `git apply`, gives what `reroute apply` writes.
fn assert_git_apply_matches_apply(project: &Project) {
    let via_apply = project.copy();
    project.git(&["init", "-q", "."]);
    let diff = project.run(&["diff"]);
    diff.code(1);
    let patch_dir = tempfile::tempdir().unwrap();
    let patch = patch_dir.path().join("p.patch");
    fs::write(&patch, &diff.stdout).unwrap();
    project.git(&["apply", patch.to_str().unwrap()]);
    via_apply.run(&["apply"]).code(0);
    assert_eq!(project.snapshot(), via_apply.snapshot());
}

#[test]
fn a_cr_only_file_is_read_as_cpython_reads_it() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("cr.py", "# header\rfrom a.old import X\rprint(X)\r");
    project
        .run(&["check"])
        .code(1)
        .stdout_has("cr.py:2:6: m/1: a.old -> a.new");
    let via_apply = project.copy();
    via_apply.run(&["apply"]).code(0);
    assert_eq!(
        via_apply.read("cr.py"),
        b"# header\rfrom a.new import X\rprint(X)\r",
        "only the module name changes; every \\r stays"
    );
    assert_git_apply_matches_apply(&project);
}

#[test]
fn a_split_after_a_cr_line_in_a_mixed_file_keeps_each_ending() {
    let spec = "[[move]]\nfrom = \"a.mod.Moved\"\nto = \"a.other.Moved\"\n";
    let project = Project::with_codemod("m", spec);
    project.write(
        "mixed.py",
        "import os\n# tail\rfrom a.mod import Stays, Moved\rx = 1\r\n",
    );
    project.run(&["check"]).code(1).stdout_has("mixed.py:3:");
    let via_apply = project.copy();
    via_apply.run(&["apply"]).code(0);
    assert_eq!(
        String::from_utf8(via_apply.read("mixed.py")).unwrap(),
        "import os\n# tail\rfrom a.mod import Stays\rfrom a.other import Moved\rx = 1\r\n"
    );
    assert_git_apply_matches_apply(&project);
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_quoted_never_lossy() {
    use std::os::unix::ffi::OsStrExt;
    let project = Project::with_codemod("m", MOVE_A);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.py");
    fs::write(project.root().join(name), "import a.old\n").unwrap();
    let check = project.run(&["check"]);
    check.code(1).stdout_has("\"caf\\351.py\":1:8: m/1");
    assert!(!check.stdout_text().contains('\u{fffd}'));
    let doc = json(&project.run(&["check", "--format", "json"]));
    assert_eq!(doc["findings"][0]["path"], "\"caf\\351.py\"", "{doc}");
    let diff = project.run(&["diff"]);
    let patch = String::from_utf8_lossy(&diff.stdout);
    assert!(
        patch.starts_with("diff --git \"a/caf\\351.py\" \"b/caf\\351.py\"\n"),
        "{patch}"
    );
    assert_git_apply_matches_apply(&project);
}

#[cfg(unix)]
#[test]
fn a_newline_in_a_file_name_does_not_break_check_lines() {
    let project = Project::with_codemod("m", MOVE_A);
    fs::write(project.root().join("two\nlines.py"), "import a.old\n").unwrap();
    let check = project.run(&["check"]);
    check.code(1).stdout_has("\"two\\nlines.py\":1:8: m/1");
    let findings = check
        .stdout_text()
        .lines()
        .filter(|line| line.contains(": m/1:"))
        .count();
    assert_eq!(findings, 1, "{}", check.stdout_text());
    assert!(!check.stdout_text().contains("two\nlines"));
}

#[test]
fn a_file_over_the_size_limit_is_an_error_and_the_others_are_processed() {
    let project = Project::with_codemod("m", MOVE_A);
    let mut big = b"import a.old\n".to_vec();
    // One long string: a long run of comment lines is slow to parse (tree-sitter-python's
    // scanner looks ahead over every following comment line at each one).
    big.extend_from_slice(b"DATA = \"");
    big.extend(std::iter::repeat_n(b'x', 1_100_000));
    big.extend_from_slice(b"\"\n");
    project
        .write("big.py", &big)
        .write("small.py", "import a.old\n");
    let run = project.run(&["apply", "--max-file-size", "1"]);
    run.code(2)
        .stderr_has("big.py")
        .stderr_has("over the limit of 1048576")
        .stderr_has("--max-file-size");
    assert_eq!(project.read("small.py"), b"import a.new\n");
    assert_eq!(project.read("big.py"), big, "the large file is not touched");
    project.run(&["check"]).code(1).stdout_has("big.py:1:8");
}

#[test]
fn a_bom_with_a_latin1_cookie_is_an_error_and_the_file_is_untouched() {
    let project = Project::with_codemod("m", MOVE_A);
    let bytes = b"\xEF\xBB\xBF# -*- coding: latin-1 -*-\nimport a.old\n".as_slice();
    project
        .write("bom.py", bytes)
        .write("ok.py", "import a.old\n");
    project
        .run(&["apply"])
        .code(2)
        .stderr_has("bom.py")
        .stderr_has("byte-order mark but declares \"latin-1\"");
    assert_eq!(project.read("bom.py"), bytes);
    assert_eq!(project.read("ok.py"), b"import a.new\n");
}
