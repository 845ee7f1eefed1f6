//! `reroute diff`: exit codes, never writing, `git apply` parity, determinism, colour.

use std::fs;
use std::time::{Duration, SystemTime};

use crate::util::{BROKEN_REGION, MOVE_A, MOVE_B, Project, UNPROCESSABLE, strip_ansi};

#[test]
fn exit_0_when_nothing_would_change() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("app/clean.py", "import os\nimport a.new\n")
        .write("app/similar.py", "import a.older\n");
    let run = project.run(&["diff"]);
    run.code(0);
    assert!(run.stdout.is_empty(), "no diff expected");
}

#[test]
fn exit_1_and_a_unified_diff_when_something_would_change() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("app/m.py", "import os\nimport a.old\n");
    let run = project.run(&["diff"]);
    run.code(1);
    assert_eq!(
        run.stdout_text(),
        "diff --git a/app/m.py b/app/m.py\n--- a/app/m.py\n+++ b/app/m.py\n\
         @@ -1,2 +1,2 @@\n import os\n-import a.old\n+import a.new\n"
    );
}

#[test]
fn exit_1_when_a_finding_cannot_be_rewritten() {
    let project = Project::with_codemod("m", MOVE_A);
    // The only deprecated import sits inside the syntax error: nothing to diff, but it
    // still needs a person.
    project.write(
        "broken.py",
        "import os\n\n\ndef broken(x:\n    from a.old import f\n    return f(\n",
    );
    let run = project.run(&["diff"]);
    run.code(1);
    assert!(run.stdout.is_empty(), "nothing can be rewritten");
    run.stderr_has("broken.py:5:");
}

#[test]
fn exit_2_when_a_file_cannot_be_processed_and_other_diffs_still_shown() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("bad.py", UNPROCESSABLE)
        .write("good.py", "import a.old\n");
    let run = project.run(&["diff"]);
    run.code(2).stderr_has("bad.py");
    run.stdout_has("+++ b/good.py").stdout_has("+import a.new");
}

#[test]
fn diff_and_check_never_write() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("a.py", "import a.old\n")
        .write("b.py", "from a.old import x\r\n")
        .write("c.py", BROKEN_REGION)
        .write("sub/d.py", "import a.old.sub as s");
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let files = ["a.py", "b.py", "c.py", "sub/d.py"];
    for file in files {
        fs::File::options()
            .write(true)
            .open(project.path(file))
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let before = project.snapshot();
    project.run(&["diff"]).code(1);
    project.run(&["diff", "-j1", "a.py", "sub"]).code(1);
    project.run(&["check"]).code(1);
    assert_eq!(project.snapshot(), before, "diff/check changed a file");
    for file in files {
        let mtime = fs::metadata(project.path(file))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(mtime, old, "{file}: mtime changed by diff/check");
    }
}

/// Files that exercise the byte-level corners of a patch.
fn corner_case_project() -> Project {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("pkg/__init__.py", "from a.old import X\n")
        .write(
            "pkg/crlf.py",
            "import os\r\nfrom a.old.sub import Y\r\n\r\nprint(Y)\r\n",
        )
        .write("pkg/no_newline.py", "import os\nimport a.old")
        .write("pkg/with space \u{e9}.py", "import a.old as legacy\n")
        .write(
            "pkg/latin.py",
            b"# -*- coding: latin-1 -*-\n# Z\xfcrich\nfrom a.old import slugify\nCITY = \"Z\xfcrich\"\n",
        )
        .write("pkg/two words.py", "from a.old import (\n    X,\n    Y,\n)\n")
        .write("pkg/untouched.py", "import os\n")
        .write(
            "pkg/deep/usage.py",
            "import a.old\n\n\ndef f():\n    return a.old.thing()\n",
        );
    project
}

#[test]
fn diff_patch_applied_by_git_gives_the_same_bytes_as_apply() {
    let via_git = corner_case_project();
    let via_apply = via_git.copy();
    let original = via_git.snapshot();

    via_git.git(&["init", "-q", "."]);
    let diff = via_git.run(&["diff"]);
    diff.code(1);
    let patch_dir = tempfile::tempdir().unwrap();
    let patch = patch_dir.path().join("p.patch");
    fs::write(&patch, &diff.stdout).unwrap();
    via_git.git(&["apply", patch.to_str().unwrap()]);

    via_apply.run(&["apply"]).code(0);

    let patched = via_git.snapshot();
    let applied = via_apply.snapshot();
    assert_eq!(
        patched.keys().collect::<Vec<_>>(),
        applied.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &applied {
        assert_eq!(
            String::from_utf8_lossy(&patched[name]),
            String::from_utf8_lossy(bytes),
            "{name}: git apply of the diff differs from reroute apply"
        );
        assert_eq!(&patched[name], bytes, "{name}: bytes differ");
    }
    // Not vacuous: every file with a deprecated import changed.
    for name in original.keys().filter(|n| n.ends_with(".py")) {
        let changed = original[name] != applied[name];
        assert_eq!(changed, name != "pkg/untouched.py", "{name}");
    }
    // And applying again changes nothing.
    via_apply.run(&["apply"]).code(0);
    assert_eq!(via_apply.snapshot(), applied, "second apply changed files");
    via_git.run(&["diff"]).code(0);
}

#[test]
fn parallel_runs_print_the_same_bytes() {
    let project = Project::with_codemod("a", MOVE_A);
    project.write("codemods/b.toml", MOVE_B);
    for i in 0..40 {
        let body = match i % 5 {
            0 => "import a.old\n".to_string(),
            1 => format!("from a.old.sub{i} import X, Y\r\n\r\nZ = X + Y\r\n"),
            2 => format!("import os\n\nVALUE = {i}\n"),
            3 => "import b.legacy.mod as m\nfrom a.old import q  # reroute: ignore\n".to_string(),
            _ => BROKEN_REGION.to_string(),
        };
        project.write(&format!("pkg{}/sub{}/mod_{i}.py", i % 4, i % 3), body);
    }
    for command in [&["diff"][..], &["check"], &["check", "--format", "json"]] {
        let with_threads = |threads: &'static str| {
            let mut args = command.to_vec();
            args.push(threads);
            project.run(&args)
        };
        let one = with_threads("-j1");
        let eight = with_threads("-j8");
        assert_eq!(one.code, eight.code, "{command:?}");
        assert!(!one.stdout.is_empty());
        assert!(
            one.stdout == eight.stdout,
            "{command:?}: -j1 and -j8 stdout differ:\n--- -j1\n{}\n--- -j8\n{}",
            String::from_utf8_lossy(&one.stdout),
            String::from_utf8_lossy(&eight.stdout)
        );
    }
}

#[test]
fn no_colour_in_a_pipe_by_default() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("m.py", "import a.old\n")
        .write("broken.py", BROKEN_REGION);
    for command in ["diff", "check", "apply"] {
        let run = project.run(&[command]);
        assert!(
            !run.stdout.contains(&0x1b),
            "{command}: escape code in stdout"
        );
        assert!(
            !run.stderr.contains('\x1b'),
            "{command}: escape code in stderr"
        );
    }
}

#[test]
fn color_always_adds_colour_and_never_removes_it() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("m.py", "import a.old\n");
    let run = project.run(&["diff", "--color", "always"]);
    run.code(1);
    assert!(
        run.stdout.contains(&0x1b),
        "no escape code with --color always"
    );
    let plain = project.run(&["diff", "--color", "never"]);
    assert!(!plain.stdout.contains(&0x1b));
    // Stripping the escape codes gives the plain diff back.
    let stripped = strip_ansi(&run.stdout_text());
    assert_eq!(stripped, plain.stdout_text());
}

#[test]
fn the_patch_comes_before_the_summary_on_one_stream() {
    let project = Project::with_codemod("a", MOVE_A);
    project.write("m.py", "import a.old\n");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("'{}' diff 2>&1", crate::util::BIN))
        .current_dir(project.root())
        .output()
        .expect("run sh");
    let text = String::from_utf8_lossy(&output.stdout);
    let patch_end = text.find("+import a.new\n").expect("the patch") + "+import a.new\n".len();
    let summary = text.find("Would rewrite").expect("the summary");
    assert!(patch_end <= summary, "{text}");
}
