//! `reroute apply`: exit codes, idempotence, bytes kept, safe writing, what is skipped.

use std::fs;

use crate::util::{self, BROKEN_REGION, MOVE_A, MOVE_A_STRINGS, Project, UNPROCESSABLE};

#[test]
fn exit_0_when_every_finding_is_rewritten() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("app/one.py", "import a.old\n")
        .write("app/two.py", "from a.old.sub import X as Y\n")
        .write("app/clean.py", "import a.new\n");
    project.run(&["apply"]).code(0);
    assert_eq!(project.read_text("app/one.py"), "import a.new\n");
    assert_eq!(
        project.read_text("app/two.py"),
        "from a.new.sub import X as Y\n"
    );
    assert_eq!(project.read_text("app/clean.py"), "import a.new\n");
}

#[test]
fn exit_1_when_a_finding_is_reported_but_not_rewritten() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("broken.py", BROKEN_REGION)
        .write("fine.py", "import a.old\n");
    let run = project.run(&["apply"]);
    run.code(1).stderr_has("broken.py:5:");
    assert_eq!(
        project.read_text("broken.py"),
        BROKEN_REGION.replacen("import a.old\n", "import a.new\n", 1),
        "the clean import is rewritten, the one in the broken region is left as is"
    );
    assert_eq!(project.read_text("fine.py"), "import a.new\n");
}

#[test]
fn exit_2_when_a_file_cannot_be_processed_and_others_are_still_written() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("bad.py", UNPROCESSABLE)
        .write("good.py", "import a.old\n");
    project.run(&["apply"]).code(2).stderr_has("bad.py");
    assert_eq!(project.read_text("bad.py"), UNPROCESSABLE);
    assert_eq!(project.read_text("good.py"), "import a.new\n");
}

#[test]
fn keeps_line_endings_final_newline_and_encoding() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("crlf.py", "import os\r\nfrom a.old import X\r\n")
        .write("no_newline.py", "import os\nimport a.old")
        .write(
            "latin.py",
            b"# -*- coding: latin-1 -*-\n# Z\xfcrich\nfrom a.old import slugify\nCITY = \"Z\xfcrich\"\n",
        );
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read("crlf.py"),
        b"import os\r\nfrom a.new import X\r\n"
    );
    assert_eq!(project.read("no_newline.py"), b"import os\nimport a.new");
    assert_eq!(
        project.read("latin.py"),
        b"# -*- coding: latin-1 -*-\n# Z\xfcrich\nfrom a.new import slugify\nCITY = \"Z\xfcrich\"\n"
    );
}

#[test]
fn a_second_apply_changes_nothing() {
    let project = Project::with_codemod("m", MOVE_A_STRINGS);
    project
        .write(
            "a.py",
            "import a.old\nimport a.old.sub as s\n\nprint(a.old.x, s)\n",
        )
        .write("b.py", "from a.old import X, Y\r\nfrom a.new import Z\r\n")
        .write(
            "c.py",
            "from unittest import mock\n\n\n@mock.patch(\"a.old.X\")\ndef test(x):\n    pass\n",
        )
        .write(
            "d.py",
            "if True:\n    from a.old import X\n    from a.new import X\n",
        );
    project.run(&["apply", "--no-target-check"]).code(0);
    let after_first = project.snapshot();
    assert_ne!(
        after_first["a.py"],
        b"import a.old\nimport a.old.sub as s\n\nprint(a.old.x, s)\n"
    );
    let second = project.run(&["apply", "--no-target-check"]);
    second.code(0);
    assert_eq!(
        project.snapshot(),
        after_first,
        "second apply changed files"
    );
    project.run(&["diff"]).code(0);
    project.run(&["check"]).code(0);
}

#[cfg(unix)]
#[test]
fn keeps_file_permissions() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("script.py", "#!/usr/bin/env python3\nimport a.old\n")
        .write("private.py", "import a.old\n");
    util::set_mode(&project.path("script.py"), 0o755);
    util::set_mode(&project.path("private.py"), 0o600);
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read_text("script.py"),
        "#!/usr/bin/env python3\nimport a.new\n"
    );
    assert_eq!(util::mode(&project.path("script.py")), 0o755);
    assert_eq!(util::mode(&project.path("private.py")), 0o600);
}

#[test]
fn leaves_no_temporary_files() {
    let project = Project::with_codemod("m", MOVE_A);
    for i in 0..10 {
        project.write(&format!("pkg{}/m{i}.py", i % 3), "import a.old\n");
    }
    project.run(&["apply"]).code(0);
    let leftovers: Vec<_> = util::walk(project.root())
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(".reroute-") || name.ends_with(".tmp")
        })
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
    for i in 0..10 {
        assert_eq!(
            project.read_text(&format!("pkg{}/m{i}.py", i % 3)),
            "import a.new\n"
        );
    }
}

#[cfg(unix)]
#[test]
fn refuses_a_read_only_file_and_still_writes_the_others() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("locked.py", "import a.old\n")
        .write("open.py", "import a.old\n");
    util::set_mode(&project.path("locked.py"), 0o444);
    let run = project.run(&["apply"]);
    run.code(2).stderr_has("locked.py");
    assert!(
        run.stderr
            .lines()
            .any(|l| l.contains("locked.py") && l.contains("error")),
        "no error line names locked.py:\n{}",
        run.stderr
    );
    assert_eq!(project.read_text("locked.py"), "import a.old\n");
    assert_eq!(util::mode(&project.path("locked.py")), 0o444);
    assert_eq!(project.read_text("open.py"), "import a.new\n");
    let leftovers = util::walk(project.root())
        .into_iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".reroute-")
        })
        .count();
    assert_eq!(leftovers, 0);
}

#[cfg(unix)]
#[test]
fn does_not_write_through_a_symlink_to_a_file_outside_the_tree() {
    let outside = Project::empty();
    outside.write("target.py", "import a.old\n");
    let project = Project::with_codemod("m", MOVE_A);
    project.write("app/real.py", "import a.old\n");
    std::os::unix::fs::symlink(outside.path("target.py"), project.path("app/link.py")).unwrap();
    project.run(&["apply"]).code(0);
    assert_eq!(outside.read_text("target.py"), "import a.old\n");
    let link = fs::symlink_metadata(project.path("app/link.py")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert_eq!(project.read_text("app/real.py"), "import a.new\n");
    // Also when named on the command line.
    project.run(&["apply", "app/link.py"]);
    assert_eq!(outside.read_text("target.py"), "import a.old\n");
    assert!(
        fs::symlink_metadata(project.path("app/link.py"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn gitignored_files_are_skipped_unless_named() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write(".gitignore", "generated/\nskipped.py\n")
        .write("generated/gen.py", "import a.old\n")
        .write("skipped.py", "import a.old\n")
        .write("kept.py", "import a.old\n");
    project.run(&["apply"]).code(0);
    assert_eq!(project.read_text("generated/gen.py"), "import a.old\n");
    assert_eq!(project.read_text("skipped.py"), "import a.old\n");
    assert_eq!(project.read_text("kept.py"), "import a.new\n");
    project.run(&["apply", "skipped.py"]).code(0);
    assert_eq!(project.read_text("skipped.py"), "import a.new\n");
    assert_eq!(project.read_text("generated/gen.py"), "import a.old\n");
}

#[test]
fn gitignore_rules_apply_in_nested_folders_and_from_a_subfolder() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write(".gitignore", "gen_*.py\n")
        .write("src/gen_one.py", "import a.old\n")
        .write("src/.gitignore", "vendored/\n")
        .write("src/vendored/lib.py", "import a.old\n")
        .write("src/app.py", "import a.old\n");
    let run = project.run_in("src", &["check", "--codemods", "../codemods"]);
    run.code(1);
    let stdout = run.stdout_text();
    assert!(stdout.contains("app.py:1:8:"), "{stdout}");
    assert!(!stdout.contains("gen_one"), "{stdout}");
    assert!(!stdout.contains("vendored"), "{stdout}");
    project.run(&["apply"]).code(0);
    assert_eq!(project.read_text("src/app.py"), "import a.new\n");
    assert_eq!(project.read_text("src/gen_one.py"), "import a.old\n");
    assert_eq!(project.read_text("src/vendored/lib.py"), "import a.old\n");
    project.run(&["apply", "src/vendored/lib.py"]).code(0);
    assert_eq!(project.read_text("src/vendored/lib.py"), "import a.new\n");
}

#[test]
fn ignore_comment_keeps_the_import() {
    let project = Project::with_codemod("m", MOVE_A);
    let source = "from a.old import legacy  # reroute: ignore\nfrom a.old import current\n";
    project.write("m.py", source);
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read_text("m.py"),
        "from a.old import legacy  # reroute: ignore\nfrom a.new import current\n"
    );
}

#[test]
fn strings_rewrite_patch_targets_but_not_log_messages() {
    let project = Project::with_codemod("m", MOVE_A_STRINGS);
    let source = "from unittest import mock\n\nimport logging\n\n\
                  @mock.patch(\"a.old.X\")\ndef test(x):\n    \
                  logging.info(\"a.old.X is deprecated\")\n";
    project.write("test_m.py", source);
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read_text("test_m.py"),
        source.replacen("mock.patch(\"a.old.X\")", "mock.patch(\"a.new.X\")", 1)
    );
}

#[test]
fn strings_are_left_alone_without_strings_true() {
    let project = Project::with_codemod("m", MOVE_A);
    let source = "from unittest import mock\n\n@mock.patch(\"a.old.X\")\ndef test(x):\n    pass\n";
    project.write("test_m.py", source);
    project.run(&["apply"]).code(0);
    assert_eq!(project.read_text("test_m.py"), source);
}

#[test]
fn binary_py_file_is_untouched_with_a_warning() {
    let project = Project::with_codemod("m", MOVE_A);
    let binary = b"import a.old\n\x00\x01\x02 compiled junk\n";
    project
        .write("blob.py", binary)
        .write("m.py", "import a.old\n");
    let run = project.run(&["apply"]);
    run.code(0).stderr_has("blob.py");
    assert!(run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(project.read("blob.py"), binary);
    assert_eq!(project.read_text("m.py"), "import a.new\n");
}

#[test]
fn syntax_error_elsewhere_warns_and_still_rewrites() {
    let project = Project::with_codemod("m", MOVE_A);
    let source = "import a.old\n\n\ndef broken(x:\n    return x\n";
    project.write("wip.py", source);
    let run = project.run(&["apply"]);
    run.code(0).stderr_has("wip.py:4");
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("warning") && l.contains("wip.py:4")),
        "{}",
        run.stderr
    );
    assert_eq!(
        project.read_text("wip.py"),
        "import a.new\n\n\ndef broken(x:\n    return x\n"
    );
    // The syntax error alone does not make check fail either.
    project.run(&["check"]).code(0);
}

/// A codemod's `exclude` globs are relative to the project root, so the same files are
/// excluded whatever the current folder or the path argument (review finding).
#[test]
fn codemod_exclude_is_the_same_from_any_folder() {
    let project = Project::empty();
    project
        .write("pyproject.toml", "[project]\nname = \"demo\"\n")
        .write(
            "codemods/m.toml",
            "exclude = [\"legacy/**\", \"*_shim.py\"]\n[[move]]\nfrom = \"a.old\"\nto = \"a.new\"\n",
        )
        .write("app.py", "import a.old\n")
        .write("compat_shim.py", "import a.old\n")
        .write("legacy/keep.py", "import a.old\n")
        .write("legacy/deep/keep2.py", "import a.old\n");
    let codemods = project.path("codemods/m.toml");
    let codemods = codemods.to_str().unwrap();
    for (folder, args) in [
        ("", vec!["check", "--codemods", codemods]),
        ("", vec!["check", "--codemods", codemods, "."]),
        ("", vec!["check", "--codemods", codemods, "legacy"]),
        ("legacy", vec!["check", "--codemods", codemods]),
        ("legacy/deep", vec!["check", "--codemods", codemods, "."]),
    ] {
        let run = project.run_in(folder, &args);
        let out = run.stdout_text();
        assert!(
            !out.contains("keep"),
            "excluded file reported from {folder:?} {args:?}:\n{out}"
        );
        assert!(
            !out.contains("shim"),
            "excluded file reported from {folder:?} {args:?}:\n{out}"
        );
    }
    project.run(&["apply", "--codemods", codemods]).code(0);
    assert_eq!(project.read_text("app.py"), "import a.new\n");
    assert_eq!(project.read_text("legacy/keep.py"), "import a.old\n");
    assert_eq!(project.read_text("compat_shim.py"), "import a.old\n");
}

#[cfg(unix)]
#[test]
fn a_failed_file_is_counted_as_failed_with_correct_plurals() {
    let project = Project::with_codemod("a", MOVE_A);
    project
        .write(
            "ro.py",
            "import a.old\nimport a.old.x\nfrom a.old import Y\n",
        )
        .write("ok.py", "import a.old\n");
    crate::util::set_mode(&project.path("ro.py"), 0o444);
    let run = project.run(&["apply"]);
    run.code(2).stdout_has(
        "Scanned 2 files; rewrote 1 reference with 1 edit in 1 file; 0 need a manual edit. \
         1 file failed (3 references in it not rewritten; see the errors above).",
    );
    let diff = Project::with_codemod("a", MOVE_A);
    diff.write("one.py", "import a.old\n");
    diff.run(&["diff"])
        .code(1)
        .stderr_has("Would rewrite 1 reference in 1 file (1 file scanned); 0 need a manual edit.");
    diff.run(&["check"]).code(1).stdout_has(
        "a: 1 reference (1 fixable, 0 manual)\n1 reference left in 1 file (1 file scanned).\n",
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_named_on_the_command_line_is_an_error_not_a_skip() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("real.py", "import a.old\n");
    std::os::unix::fs::symlink(project.path("real.py"), project.path("link.py")).unwrap();
    for command in ["check", "diff", "apply"] {
        project
            .run(&[command, "link.py"])
            .code(2)
            .stderr_has("link.py: a symbolic link (to ")
            .stderr_has("name the file it points to");
    }
    assert_eq!(project.read_text("real.py"), "import a.old\n");
}
