//! `reroute apply` when the world does not hold still: concurrent writers, signals in the
//! middle of the write phase, a killed run's temp files, owners, hard links, FIFOs.
//!
//! Interruptions are placed with the test-only hook `REROUTE_TEST_SIGNAL_AT=k:SIGNAL` (the
//! process raises SIGNAL to itself once its k-th write has filled its temp file), so every
//! run stops at the same point, never at a wall-clock time.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::util::{self, BIN, MOVE_A, Project};

/// `.reroute-*.tmp` files anywhere under `root`.
fn temp_files(root: &Path) -> Vec<PathBuf> {
    util::walk(root)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(".reroute-") && name.ends_with(".tmp")
        })
        .collect()
}

const OLD: fn(usize) -> String = |i| format!("import a.old\nVALUE = {i}\n");
const NEW: fn(usize) -> String = |i| format!("import a.new\nVALUE = {i}\n");

/// A line in the test's output (seen with --nocapture): a skip, or what a run exercised.
#[allow(clippy::print_stderr)]
fn note(text: &str) {
    eprintln!("{text}");
}

fn name(i: usize) -> String {
    format!("pkg{}/m{i:03}.py", i % 4)
}

/// A project with `count` files that each need one rewrite.
fn project_with(count: usize) -> Project {
    let project = Project::with_codemod("m", MOVE_A);
    for i in 0..count {
        project.write(&name(i), OLD(i));
    }
    project
}

/// How many files are wholly new; panics on a file that is neither wholly old nor new.
#[track_caller]
fn count_new(project: &Project, count: usize) -> usize {
    let mut new = 0;
    for i in 0..count {
        let text = project.read_text(&name(i));
        if text == NEW(i) {
            new += 1;
        } else {
            assert_eq!(text, OLD(i), "{} is neither old nor new", name(i));
        }
    }
    new
}

/// Runs `reroute ARGS` in `cwd` with `env`; returns the child's pid and its output (which
/// may end in a signal, unlike `util::run_in`).
fn run_raw(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> (u32, std::process::Output) {
    let child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run reroute");
    let pid = child.id();
    (pid, child.wait_with_output().expect("wait for reroute"))
}

/// A writer appends a line to each of 300 files, round after round, while `apply` runs.
/// An append that landed (the file it went to is still the file at that path after the
/// write) must be in the final file: reroute either refused the file ("changed since it
/// was read") or read it after the append. An append made through a descriptor whose file
/// reroute had already replaced did not land (the README's stated limit) and is not
/// required. Four runs: before the fix about half of all runs lost an append.
#[test]
fn a_concurrent_append_is_never_lost() {
    for attempt in 0..4 {
        append_while_applying(attempt);
    }
}

fn append_while_applying(attempt: usize) {
    const FILES: usize = 300;
    const MAX_ROUNDS: usize = 1000;
    let project = project_with(FILES);
    let paths: Vec<PathBuf> = (0..FILES).map(|i| project.path(&name(i))).collect();
    let stop = Arc::new(AtomicBool::new(false));
    let appender = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let started = Instant::now();
            let mut landed: Vec<Vec<String>> = vec![Vec::new(); paths.len()];
            let mut missed = 0usize;
            'rounds: for round in 0..MAX_ROUNDS {
                for (i, path) in paths.iter().enumerate() {
                    if stop.load(Ordering::SeqCst) || started.elapsed() > Duration::from_secs(30) {
                        break 'rounds;
                    }
                    // A third of the files every round, a third every 20th, a third every
                    // 200th: some files are refused, some rewritten with appends around them.
                    if (round + i) % [1, 20, 200][i % 3] != 0 {
                        continue;
                    }
                    // Code, not a comment: a long run of comment lines parses in quadratic
                    // time (tree-sitter-python's scanner), which would slow the test down.
                    let line = format!("APPEND_{round} = {i}\n");
                    let mut file = fs::OpenOptions::new()
                        .append(true)
                        .open(path)
                        .expect("open for append");
                    file.write_all(line.as_bytes()).expect("append");
                    let written = file.metadata().expect("fstat").ino();
                    let now = fs::symlink_metadata(path).expect("stat").ino();
                    if written == now {
                        landed[i].push(line);
                    } else {
                        missed += 1;
                    }
                }
            }
            (landed, missed)
        })
    };
    let started = Instant::now();
    let run = project.run(&["apply", "-j", "2"]);
    let took = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let (landed, missed) = appender.join().expect("appender thread");
    let appends: usize = landed.iter().map(Vec::len).sum();
    assert!(appends > 0, "the appender never ran");
    let lost: Vec<String> = landed
        .iter()
        .enumerate()
        .flat_map(|(i, lines)| {
            let text = project.read_text(&name(i));
            let present: HashSet<&str> = text.split_inclusive('\n').collect();
            lines
                .iter()
                .filter(|line| !present.contains(line.as_str()))
                .map(|line| format!("{}: {}", name(i), line.trim_end()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        lost.is_empty(),
        "run {attempt}: {} of {appends} landed appends were lost:\n{}",
        lost.len(),
        lost.join("\n")
    );
    let mut refused = 0;
    let mut rewritten = 0;
    for i in 0..FILES {
        let text = project.read_text(&name(i));
        if text.starts_with("import a.new\n") {
            rewritten += 1;
        } else {
            assert!(text.starts_with("import a.old\n"), "{text}");
            refused += 1;
            assert!(
                run.stderr
                    .lines()
                    .any(|l| l.contains(&name(i))
                        && l.contains("changed since it was read; run again")),
                "{} was left unwritten without an error:\n{}",
                name(i),
                run.stderr
            );
        }
    }
    run.code(if refused > 0 { 2 } else { 0 });
    assert!(temp_files(project.root()).is_empty());
    note(&format!(
        "run {attempt}: apply took {took:?}; {appends} appends landed ({missed} went to a file already replaced); \
         {rewritten} files rewritten, {refused} refused"
    ));
}

#[test]
fn sigint_finishes_the_current_write_and_starts_no_other() {
    const FILES: usize = 40;
    let project = project_with(FILES);
    let run = util::run_with_env(
        project.root(),
        &["apply", "-j", "1"],
        &[("REROUTE_TEST_SIGNAL_AT", "5:SIGINT")],
    );
    run.code(130).stderr_has("interrupted by SIGINT");
    assert_eq!(count_new(&project, FILES), 5, "exactly the first 5 writes");
    assert!(temp_files(project.root()).is_empty());
    let not_written = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("not written: "))
        .count();
    assert_eq!(not_written, FILES - 5, "{}", run.stderr);
    let written = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("written: "))
        .count();
    assert_eq!(written, 5, "{}", run.stderr);
    // Running again finishes the job.
    project.run(&["apply"]).code(0);
    assert_eq!(count_new(&project, FILES), FILES);
}

#[test]
fn sigterm_with_parallel_writers_leaves_every_file_whole() {
    const FILES: usize = 60;
    for k in [1, 7, 30] {
        let project = project_with(FILES);
        let signal_at = format!("{k}:SIGTERM");
        let run = util::run_with_env(
            project.root(),
            &["apply", "-j", "2"],
            &[("REROUTE_TEST_SIGNAL_AT", &signal_at)],
        );
        run.code(143).stderr_has("interrupted by SIGTERM");
        let new = count_new(&project, FILES);
        assert!(
            (k..=k + 1).contains(&new),
            "k = {k}: {new} files written (the k-th and at most one in flight)"
        );
        assert!(temp_files(project.root()).is_empty(), "k = {k}");
    }
}

/// SIGKILL cannot be caught: the temp file of the write in progress stays. The next run
/// sees its process is gone and removes it; `check` lists it.
#[test]
fn a_killed_run_leaves_a_temp_file_that_the_next_run_removes() {
    const FILES: usize = 20;
    let project = project_with(FILES);
    let (pid, output) = run_raw(
        project.root(),
        &["apply", "-j", "1"],
        &[("REROUTE_TEST_SIGNAL_AT", "3:SIGKILL")],
    );
    assert_eq!(output.status.signal(), Some(9), "{output:?}");
    assert_eq!(count_new(&project, FILES), 2, "two writes finished");
    let left = temp_files(project.root());
    assert_eq!(left.len(), 1, "{left:?}");
    let temp_name = left[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        temp_name.starts_with(&format!(".reroute-{pid}-")),
        "{temp_name} does not carry the pid {pid}"
    );
    let relative = left[0]
        .strip_prefix(project.root())
        .unwrap()
        .to_string_lossy()
        .into_owned();
    // check and diff list it and leave it.
    let check = project.run(&["check"]);
    check.code(1);
    assert!(
        check
            .stderr
            .lines()
            .any(|l| l.starts_with("warning: ") && l.contains(&relative)),
        "{}",
        check.stderr
    );
    assert_eq!(temp_files(project.root()).len(), 1);
    // apply removes it and finishes the job.
    let apply = project.run(&["apply"]);
    apply.code(0);
    assert!(
        apply
            .stderr
            .lines()
            .any(|l| l.contains(&relative) && l.contains("removed")),
        "{}",
        apply.stderr
    );
    assert!(temp_files(project.root()).is_empty());
    assert_eq!(count_new(&project, FILES), FILES);
}

/// A temp file whose process still runs is someone else's write in progress: listed,
/// never removed. One whose process is gone is removed by `apply`.
#[test]
fn only_temp_files_of_finished_processes_are_removed() {
    let project = project_with(2);
    let mut done = Command::new("true").spawn().expect("run true");
    let gone = done.id();
    done.wait().expect("wait");
    let alive = std::process::id();
    project
        .write(&format!("pkg0/.reroute-{gone}-AbC123.tmp"), "old temp")
        .write(&format!("pkg1/.reroute-{alive}-XyZ789.tmp"), "busy temp");
    let check = project.run(&["check"]);
    check
        .stderr_has(&format!("pkg0/.reroute-{gone}-AbC123.tmp"))
        .stderr_has(&format!("pkg1/.reroute-{alive}-XyZ789.tmp"));
    assert_eq!(temp_files(project.root()).len(), 2, "check removes nothing");
    let apply = project.run(&["apply"]);
    apply.code(0);
    assert!(
        !project
            .path(&format!("pkg0/.reroute-{gone}-AbC123.tmp"))
            .exists()
    );
    assert_eq!(
        project.read_text(&format!("pkg1/.reroute-{alive}-XyZ789.tmp")),
        "busy temp"
    );
    apply.stderr_has(&format!("pkg1/.reroute-{alive}-XyZ789.tmp"));
}

#[test]
fn a_file_with_hard_links_is_refused_unless_asked() {
    let project = Project::with_codemod("m", MOVE_A);
    project
        .write("linked.py", "import a.old\n")
        .write("single.py", "import a.old\n");
    fs::hard_link(project.path("linked.py"), project.path("other_name.txt")).unwrap();
    let run = project.run(&["apply"]);
    run.code(2);
    assert!(
        run.stderr.lines().any(|l| {
            l.starts_with("error: linked.py:")
            && l.contains(
                "has 2 hard links; writing would split them; pass --break-hardlinks to write anyway"
            )
        }),
        "{}",
        run.stderr
    );
    assert_eq!(project.read_text("linked.py"), "import a.old\n");
    assert_eq!(project.read_text("single.py"), "import a.new\n");

    let run = project.run(&["apply", "--break-hardlinks"]);
    run.code(0);
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("warning: linked.py:")
                && l.contains("the other 1 name keeps the old text")),
        "{}",
        run.stderr
    );
    assert_eq!(project.read_text("linked.py"), "import a.new\n");
    assert_eq!(project.read_text("other_name.txt"), "import a.old\n");
}

#[test]
fn owner_and_group_are_kept() {
    if !rustix::process::geteuid().is_root() {
        note("skipped: owner_and_group_are_kept needs root (it gives a file to uid 1234)");
        return;
    }
    let project = Project::with_codemod("m", MOVE_A);
    project.write("theirs.py", "import a.old\n");
    let path = project.path("theirs.py");
    std::os::unix::fs::chown(&path, Some(1234), Some(2345)).unwrap();
    util::set_mode(&path, 0o2750);
    let run = project.run(&["apply"]);
    run.code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_eq!(project.read_text("theirs.py"), "import a.new\n");
    let meta = fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (1234, 2345));
    assert_eq!(util::mode(&path), 0o2750, "set-group-ID bit kept too");
}

/// Not root: a file of another user that the group may write is written, owned by the
/// user now, with the group kept and a warning that names both owners.
#[test]
fn without_root_a_changed_owner_is_a_warning() {
    if !rustix::process::geteuid().is_root()
        || Command::new("setpriv").arg("--version").output().is_err()
    {
        note("skipped: without_root_a_changed_owner_is_a_warning needs root and setpriv");
        return;
    }
    let project = Project::with_codemod("m", MOVE_A);
    project.write("shared.py", "import a.old\n");
    let path = project.path("shared.py");
    std::os::unix::fs::chown(&path, Some(1235), Some(1234)).unwrap();
    util::set_mode(&path, 0o664);
    util::set_mode(project.root(), 0o777);
    // The binary under a path that uid 1234 can reach (the build folder may be private):
    // a hard link, or a copy across file systems.
    let bin = project.path("reroute-bin");
    fs::hard_link(BIN, &bin)
        .or_else(|_| fs::copy(BIN, &bin).map(drop))
        .unwrap();
    util::set_mode(&bin, 0o755);
    let output = Command::new("setpriv")
        .args(["--reuid=1234", "--regid=1234", "--clear-groups"])
        .arg(&bin)
        .arg("apply")
        .current_dir(project.root())
        .output()
        .expect("run setpriv");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.lines().any(|l| l.starts_with("warning: shared.py:")
            && l.contains("owner and group not kept: was 1235:1234, now 1234:1234")),
        "{stderr}"
    );
    assert_eq!(project.read_text("shared.py"), "import a.new\n");
    let meta = fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (1234, 1234));
    assert_eq!(util::mode(&path), 0o664);
}

#[test]
fn a_fifo_named_on_the_command_line_is_an_error() {
    let project = Project::with_codemod("m", MOVE_A);
    project.write("m.py", "import a.old\n");
    let status = Command::new("mkfifo")
        .arg(project.path("pipe.py"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    for command in ["check", "diff", "apply"] {
        let run = project.run(&[command, "pipe.py", "m.py"]);
        run.code(2);
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with("error: pipe.py") && l.contains("not a regular file")),
            "{command}: {}",
            run.stderr
        );
    }
    assert_eq!(project.read_text("m.py"), "import a.new\n");
}

/// Two `apply` runs with different codemods over the same files at once (issue 20): each
/// file either holds a run's rewrite when that run lists it `written`, or that run reported
/// it changed since it was read. Before the fix, a file another run renamed onto the path
/// between the last check and the exchange was swapped out and deleted, and both runs
/// listed it written while one rewrite was lost.
#[test]
fn two_concurrent_applies_never_lose_a_listed_write() {
    for attempt in 0..3 {
        concurrent_applies(attempt);
    }
}

fn concurrent_applies(attempt: usize) {
    const FILES: usize = 400;
    let project = Project::empty();
    project
        .write(
            "a/m.toml",
            "[[move]]\nfrom = \"pkg.old\"\nto = \"pkg.new\"\n",
        )
        .write(
            "b/m.toml",
            "[[move]]\nfrom = \"os\"\nto = \"osnew\"\nkind = \"module\"\n",
        );
    for i in 0..FILES {
        project.write(
            &format!("src/f{i:03}.py"),
            "import os\nfrom pkg.old import f\n",
        );
    }
    let spawn = |codemod: &str| {
        Command::new(BIN)
            .args([
                "apply",
                "--no-target-check",
                "--format",
                "json",
                "--codemods",
                codemod,
                "src",
            ])
            .current_dir(project.root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run reroute")
    };
    let (a, b) = (spawn("a/m.toml"), spawn("b/m.toml"));
    let outputs = [
        ("pkg.new", a.wait_with_output().expect("wait")),
        ("osnew", b.wait_with_output().expect("wait")),
    ];
    for (rewrite, output) in &outputs {
        let report: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("attempt {attempt}: not JSON ({e})"));
        let written: std::collections::BTreeSet<String> = report["files"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["status"] == "written")
            .map(|f| f["path"].as_str().unwrap_or("").to_string())
            .collect();
        let refused: std::collections::BTreeSet<String> = report["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| {
                e["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("changed since it was read"))
            })
            .map(|e| e["path"].as_str().unwrap_or("").to_string())
            .collect();
        for path in &written {
            let text = project.read_text(path);
            assert!(
                text.contains(rewrite),
                "attempt {attempt}: {path} listed written with {rewrite}, but holds:\n{text}"
            );
        }
        for i in 0..FILES {
            let path = format!("src/f{i:03}.py");
            assert!(
                written.contains(&path) || refused.contains(&path),
                "attempt {attempt}: {path} neither written nor reported changed ({rewrite})"
            );
        }
    }
}
