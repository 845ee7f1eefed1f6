//! Stage 2 (#9): what the lexer decides before parsing, seen from the command line: the
//! `--stats` funnel, byte-identical output with `REROUTE_FULL_PARSE=1`, and what changes
//! (no syntax-error warning for a file that is not parsed).

use crate::util::{MOVE_A, Project, run_with_env};

const MOVES: &str = "[[move]]\nfrom = \"acme.old\"\nto = \"acme.new\"\n\
                     [[move]]\nfrom = \"acme.util.Helper\"\nto = \"acme.tools.Helper\"\n";

/// One file per path stage 2 can take.
fn project() -> Project {
    let project = Project::with_codemod("m", MOVES);
    project
        .write("acme/__init__.py", "")
        .write("acme/new.py", "")
        .write("acme/util.py", "def other():\n    pass\n")
        .write("acme/tools.py", "class Helper:\n    pass\n")
        // No moved name at all (or no `acme`): the byte filter skips it.
        .write("app/plain.py", "import os\n")
        // Names a needle but reaches no move: the lexer skips it.
        .write("app/unrelated.py", "import acme\nfrom other.old import x\nold = 1\n")
        // Only from-imports standing alone: planned statement by statement.
        .write(
            "app/by_statement.py",
            "from acme.old import (\r\n    A,  # why\r\n    B as C,\r\n)\r\n\r\ndef f():\r\n    from acme.util import Helper, other\r\n    return Helper\r\n",
        )
        // A use through a module: parsed whole.
        .write("app/whole.py", "import acme.old\n\nacme.old.run()\n");
    project
}

fn stat(stderr: &str, label: &str) -> usize {
    let line = stderr
        .lines()
        .find(|l| l.starts_with(&format!("stats: {label}")))
        .unwrap_or_else(|| panic!("no `{label}` line in:\n{stderr}"));
    line[format!("stats: {label}").len()..]
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {line:?}"))
}

#[test]
fn stats_show_the_funnel() {
    let project = project();
    let run = project.run(&["check", "--stats"]);
    run.code(1);
    let err = &run.stderr;
    assert_eq!(stat(err, "files walked"), 8, "{err}");
    // acme/new.py is the move's `to`: it may be a moved file, whose relative imports need
    // a look, so it passes both filters and is parsed whole ("not asked").
    assert_eq!(stat(err, "passed byte filter"), 4, "{err}");
    assert_eq!(stat(err, "skipped by lexer"), 1, "{err}");
    assert_eq!(stat(err, "parsed"), 3, "{err}");
    assert_eq!(stat(err, "  by statement"), 1, "{err}");
    assert_eq!(stat(err, "  whole file"), 2, "{err}");
    assert!(err.contains("(chain 1, not asked 1)"), "{err}");
    for stage in ["read", "byte filter", "lexer", "parse + plan", "verify"] {
        assert!(err.contains(&format!("stats: time {stage}")), "{err}");
    }
    // Without --stats there is no funnel.
    assert!(!project.run(&["check"]).stderr.contains("stats:"));
}

#[test]
fn the_whole_file_path_prints_the_same_bytes() {
    let project = project();
    // A broken file with a reference stays parsed whole (the tokenizer is unsure of it).
    project.write(
        "app/broken.py",
        "s = '''never closed\nfrom acme.old import X\n",
    );
    for args in [
        &["diff"][..],
        &["check"],
        &["check", "--format", "json"],
        &["check", "--mentions"],
    ] {
        let staged = run_with_env(project.root(), args, &[]);
        let whole = run_with_env(project.root(), args, &[("REROUTE_FULL_PARSE", "1")]);
        assert_eq!(staged.code, whole.code, "{args:?}");
        assert_eq!(
            staged.stdout_text(),
            whole.stdout_text(),
            "{args:?}: stage 2 and REROUTE_FULL_PARSE=1 differ"
        );
    }
    let diff = project.run(&["diff"]);
    diff.stdout_has("+from acme.new import (\r\n")
        .stdout_has("+    from acme.tools import Helper\r\n")
        .stdout_has("+    from acme.util import other\r\n");
}

#[test]
fn apply_by_statement_writes_what_diff_shows() {
    let project = project();
    project.run(&["apply"]).code(0);
    assert_eq!(
        project.read_text("app/by_statement.py"),
        "from acme.new import (\r\n    A,  # why\r\n    B as C,\r\n)\r\n\r\ndef f():\r\n    from acme.tools import Helper\r\n    from acme.util import other\r\n    return Helper\r\n"
    );
    assert_eq!(
        project.read_text("app/unrelated.py"),
        "import acme\nfrom other.old import x\nold = 1\n"
    );
}

#[test]
fn a_file_that_is_not_parsed_gets_no_syntax_warning() {
    let project = Project::with_codemod("m", MOVES);
    // A syntax error, and a needle that reaches no move: the lexer skips the file.
    project.write("bad.py", "x = = 1\nold = 2\nimport acme\n");
    let staged = project.run(&["check"]);
    staged.code(0);
    assert!(!staged.stderr.contains("syntax error"), "{}", staged.stderr);
    let whole = run_with_env(project.root(), &["check"], &[("REROUTE_FULL_PARSE", "1")]);
    whole.code(0);
    assert!(whole.stderr.contains("syntax error"), "{}", whole.stderr);
}

/// Issue 21: long runs of comment-only lines are blanked in the parser's view (tree-sitter
/// read each run again at every line end), except the comments that matter: a mention and
/// a suppression inside a run are still seen, by both paths alike.
#[test]
fn long_comment_runs_keep_the_comments_that_matter() {
    let project = Project::with_codemod("m", MOVE_A);
    let filler = "# nothing to see here\n".repeat(80);
    project.write(
        "run.py",
        format!("import a.old\n{filler}# a.old is deprecated\n{filler}x = 1\n"),
    );
    project.write(
        "suppressed.py",
        format!("from a.old import (\n{filler}    # reroute: ignore\n{filler}    f,\n)\n"),
    );
    for env in [[("REROUTE_FULL_PARSE", "0")], [("REROUTE_FULL_PARSE", "1")]] {
        let run = run_with_env(
            project.root(),
            &["check", "--mentions", "--no-target-check"],
            &env,
        );
        run.code(1);
        let stdout = run.stdout_text();
        assert!(
            stdout.contains("run.py:1:8: m/1: a.old -> a.new\n"),
            "{stdout}"
        );
        assert!(
            stdout.contains("run.py:82:3: m/1: a.old -> a.new [mention in comment]"),
            "{stdout}"
        );
        assert!(!stdout.contains("suppressed.py"), "{stdout}");
        assert!(
            stdout.contains("m: 1 reference (1 fixable, 0 manual), 1 suppressed, 1 mentions\n"),
            "{stdout}"
        );
    }
    project.run(&["apply", "--no-target-check"]).code(0);
    assert!(
        project
            .read_text("run.py")
            .starts_with("import a.new\n# nothing")
    );
    assert!(
        project
            .read_text("suppressed.py")
            .starts_with("from a.old import (\n")
    );
}

#[test]
fn text_that_spells_a_moved_name_costs_a_parse_only_where_it_can_matter() {
    // A docstring or comment that spells `acme.old.run` matters to the whole-file path only
    // inside a syntax error (mentions are off): a clean file is parsed to rule one out and
    // then skipped; a file with a syntax error around such text is planned whole; an
    // f-string field is code and always is.
    let project = Project::with_codemod("m", MOVES);
    project
        .write("acme/__init__.py", "")
        .write("acme/new.py", "")
        .write(
            "doc.py",
            "\"\"\"Call acme.old.run() first.\"\"\"\nimport acme  # acme.old.run\n",
        )
        .write("broken.py", "import acme\nx = = 1\ns = \"acme.old.run\"\n")
        .write("fstring.py", "import acme.new\nx = f\"{acme.old.run}\"\n");
    let run = project.run(&["check", "--stats"]);
    let err = &run.stderr;
    assert_eq!(stat(err, "syntax-checked"), 2, "{err}");
    assert_eq!(stat(err, "skipped by lexer"), 1, "{err}");
    // broken.py (checked, then whole) and fstring.py; acme/new.py, a move's `to`, is not asked.
    assert!(err.contains("(text 2, not asked 1)"), "{err}");
    for args in [&["check", "--format", "json"][..], &["diff"][..]] {
        let staged = project.run(args);
        let whole = run_with_env(project.root(), args, &[("REROUTE_FULL_PARSE", "1")]);
        assert_eq!(staged.stdout, whole.stdout, "{args:?}");
    }
}
