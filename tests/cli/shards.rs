//! Sharding over a CI matrix: `--shard K/N` partitions the files, and `reroute merge` joins
//! the shards' JSON reports into what one unsharded run prints.

use std::fs;

use crate::util::{MOVE_A_STRINGS, Project, json};

fn project() -> Project {
    let project = Project::with_codemod("a", MOVE_A_STRINGS);
    project.write(
        "codemods/b.toml",
        "[[move]]\nfrom = \"acme.old\"\nto = \"acme.missing\"\n",
    );
    project.write("acme/__init__.py", "");
    for i in 0..24 {
        let body = match i % 4 {
            0 => "import a.old\nfrom a.old import X  # reroute: ignore\n".to_string(),
            1 => "from acme.old import f\nmock.patch(\"a.old.Y\")\n".to_string(),
            2 => format!("import os\nx = {i}\n"),
            _ => "def broken(:\n    import a.old\n".to_string(),
        };
        project.write(&format!("pkg/sub{}/m{i}.py", i % 3), body);
    }
    project
}

#[test]
fn merged_shards_equal_one_unsharded_run() {
    let project = project();
    let whole = project.run(&["check", "--format", "json"]);
    whole.code(1);
    let whole = json(&whole);
    assert!(
        whole["summary"]["fixable"].as_u64().unwrap() > 10,
        "{whole}"
    );
    assert!(!whole["warnings"].as_array().unwrap().is_empty());
    for count in [1, 3, 7] {
        let mut parts = Vec::new();
        let mut scanned = 0;
        for index in 1..=count {
            let shard = format!("{index}/{count}");
            let run = project.run(&["check", "--format", "json", "--shard", &shard]);
            let doc = json(&run);
            scanned += doc["summary"]["files_scanned"].as_u64().unwrap();
            let part = project.path(&format!("part-{count}-{index}.json"));
            fs::write(&part, &run.stdout).unwrap();
            parts.push(part.to_str().unwrap().to_string());
        }
        assert_eq!(scanned, whole["summary"]["files_scanned"].as_u64().unwrap());
        let mut args = vec!["merge"];
        args.extend(parts.iter().map(String::as_str));
        let merged = project.run(&args);
        merged.code(1);
        assert_eq!(json(&merged), whole, "{count} shards");
    }
}

#[test]
fn merge_refuses_missing_duplicate_and_mismatched_shards() {
    let project = project();
    let part = |shard: &str, name: &str| {
        let run = project.run(&["check", "--format", "json", "--shard", shard]);
        fs::write(project.path(name), &run.stdout).unwrap();
        name.to_string()
    };
    let one = part("1/2", "one.json");
    let two = part("2/2", "two.json");
    project
        .run(&["merge", &one])
        .code(2)
        .stderr_has("missing shard(s): 2/2");
    project
        .run(&["merge", &one, &one, &two])
        .code(2)
        .stderr_has("shard 1/2 given twice");
    project.write(
        "codemods/c.toml",
        "[[move]]\nfrom = \"z.old\"\nto = \"z.new\"\n",
    );
    let other = part("2/2", "other.json");
    project
        .run(&["merge", &one, &other])
        .code(2)
        .stderr_has("made with other codemods");
    let plain = project.run(&["check", "--format", "json"]);
    fs::write(project.path("plain.json"), &plain.stdout).unwrap();
    project
        .run(&["merge", "plain.json"])
        .code(2)
        .stderr_has("not a shard's report");
}

/// Issue 20: every field of a part is checked, and the message names the part and the
/// field (a shard index past the count used to read as "missing shard(s): 1/3").
#[test]
fn merge_names_the_part_and_the_field_that_is_wrong() {
    let project = project();
    let run = project.run(&["check", "--format", "json", "--shard", "1/1"]);
    let good: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(
        !good["findings"].as_array().unwrap().is_empty(),
        "the project has findings"
    );
    type Edit = fn(&mut serde_json::Value);
    let cases: [(&str, Edit, &str); 3] = [
        (
            "index.json",
            |d| d["shard"] = serde_json::json!({"index": 5, "count": 3, "codemods": "x"}),
            "index.json: shard.index: 5 is more than the shard count 3",
        ),
        (
            "line.json",
            |d| d["findings"][0]["line"] = serde_json::json!("x"),
            "line.json: findings[0].line: expected a whole number of at least 1, got \"x\"",
        ),
        (
            "status.json",
            |d| d["findings"][0]["status"] = serde_json::json!(7),
            "status.json: findings[0].status: expected one of fixable, manual, suppressed, mention, note, got 7",
        ),
    ];
    for (name, edit, message) in cases {
        let mut document = good.clone();
        edit(&mut document);
        fs::write(project.path(name), document.to_string()).unwrap();
        project.run(&["merge", name]).code(2).stderr_has(message);
    }
    fs::write(project.path("good.json"), good.to_string()).unwrap();
    project.run(&["merge", "good.json"]).code(1);
}

#[test]
fn merged_shards_print_every_format_as_one_run_does() {
    let project = project();
    let mut parts = Vec::new();
    for index in 1..=3 {
        let shard = format!("{index}/3");
        let run = project.run(&["check", "--format", "json", "--shard", &shard]);
        let part = project.path(&format!("part-{index}.json"));
        fs::write(&part, &run.stdout).unwrap();
        parts.push(part.to_str().unwrap().to_string());
    }
    for format in ["text", "github", "junit", "sarif", "gitlab"] {
        let whole = project.run(&["check", "--format", format]);
        let mut args = vec!["merge", "--format", format];
        args.extend(parts.iter().map(String::as_str));
        let merged = project.run(&args);
        assert_eq!(merged.code, whole.code, "{format}");
        assert_eq!(
            merged.stdout_text(),
            whole.stdout_text(),
            "merge --format {format} differs from one run"
        );
    }
}
