//! Every field of a shard's report checked before `merge` reads it: a part made by hand or
//! cut short is refused with the part and the field named (`part-2.json: findings[3].line:
//! expected a whole number of at least 1, got "x"`), never merged into a wrong total.

use std::fmt::Write as _;
use std::path::Path;

use reroute_engine::finding::{Site, TargetKind};
use serde_json::Value;

const SITES: [Site; 5] = [
    Site::Import,
    Site::Usage,
    Site::String,
    Site::Comment,
    Site::SyntaxError,
];
const STATUSES: [&str; 5] = ["fixable", "manual", "suppressed", "mention", "note"];

/// The first field of `document` (the report in `part`) that is not as `check --format
/// json` writes it, as a message naming the part and the field.
pub fn check_part(part: &Path, document: &Value) -> Result<(), String> {
    let at = |field: &str, problem: String| format!("{}: {field}: {problem}", part.display());
    if document["shard"].is_null() {
        return Err(format!(
            "{}: not a shard's report (run `reroute check --shard K/N --format json`)",
            part.display()
        ));
    }
    let shard = object(document, "shard").map_err(|p| at("shard", p))?;
    let count = whole(shard, "count", 1).map_err(|p| at("shard.count", p))?;
    let index = whole(shard, "index", 1).map_err(|p| at("shard.index", p))?;
    if index > count {
        return Err(at(
            "shard.index",
            format!("{index} is more than the shard count {count}"),
        ));
    }
    text(shard, "codemods").map_err(|p| at("shard.codemods", p))?;
    for (i, finding) in list(document, "findings")
        .map_err(|p| at("findings", p))?
        .iter()
        .enumerate()
    {
        check_finding(finding).map_err(|(field, p)| at(&format!("findings[{i}].{field}"), p))?;
    }
    for key in ["errors", "warnings"] {
        for (i, message) in list(document, key)
            .map_err(|p| at(key, p))?
            .iter()
            .enumerate()
        {
            check_message(message).map_err(|(field, p)| at(&format!("{key}[{i}].{field}"), p))?;
        }
    }
    let summary = object(document, "summary").map_err(|p| at("summary", p))?;
    for key in ["files_scanned", "files_failed"] {
        whole(summary, key, 0).map_err(|p| at(&format!("summary.{key}"), p))?;
    }
    Ok(())
}

fn check_finding(finding: &Value) -> Result<(), (&'static str, String)> {
    if !finding.is_object() {
        return Err(("", format!("expected an object, got {finding}")));
    }
    for key in ["path", "rule", "old"] {
        text(finding, key).map_err(|p| (key, p))?;
    }
    // `null` for an unresolved import.
    for key in ["codemod", "new"] {
        if !finding[key].is_null() {
            text(finding, key).map_err(|p| (key, p))?;
        }
    }
    whole(finding, "line", 1).map_err(|p| ("line", p))?;
    whole(finding, "column", 1).map_err(|p| ("column", p))?;
    one_of(finding, "site", &SITES.map(Site::name)).map_err(|p| ("site", p))?;
    one_of(finding, "status", &STATUSES).map_err(|p| ("status", p))?;
    if !finding["category"].is_null() {
        one_of(finding, "category", &TargetKind::ALL.map(TargetKind::name))
            .map_err(|p| ("category", p))?;
    }
    let reason = &finding["reason"];
    if !reason.is_null() {
        text(reason, "code").map_err(|p| ("reason.code", p))?;
        text(reason, "message").map_err(|p| ("reason.message", p))?;
    }
    Ok(())
}

fn check_message(message: &Value) -> Result<(), (&'static str, String)> {
    text(message, "path").map_err(|p| ("path", p))?;
    text(message, "message").map_err(|p| ("message", p))?;
    if !message["line"].is_null() {
        whole(message, "line", 1).map_err(|p| ("line", p))?;
    }
    Ok(())
}

fn shown(value: &Value) -> String {
    match value {
        Value::Null => "nothing".to_string(),
        other => {
            let mut text = other.to_string();
            if text.len() > 60 {
                text.truncate(57);
                let _ = write!(text, "...");
            }
            text
        }
    }
}

fn object<'a>(parent: &'a Value, key: &str) -> Result<&'a Value, String> {
    let value = &parent[key];
    if value.is_object() {
        Ok(value)
    } else {
        Err(format!("expected an object, got {}", shown(value)))
    }
}

fn list<'a>(parent: &'a Value, key: &str) -> Result<&'a Vec<Value>, String> {
    parent[key]
        .as_array()
        .ok_or_else(|| format!("expected a list, got {}", shown(&parent[key])))
}

fn text<'a>(parent: &'a Value, key: &str) -> Result<&'a str, String> {
    parent[key]
        .as_str()
        .ok_or_else(|| format!("expected a string, got {}", shown(&parent[key])))
}

fn whole(parent: &Value, key: &str, least: u64) -> Result<u64, String> {
    parent[key].as_u64().filter(|n| *n >= least).ok_or_else(|| {
        format!(
            "expected a whole number of at least {least}, got {}",
            shown(&parent[key])
        )
    })
}

fn one_of(parent: &Value, key: &str, allowed: &[&str]) -> Result<(), String> {
    match parent[key].as_str() {
        Some(value) if allowed.contains(&value) => Ok(()),
        _ => Err(format!(
            "expected one of {}, got {}",
            allowed.join(", "),
            shown(&parent[key])
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn part() -> Value {
        json!({
            "schema": "reroute.check/3",
            "shard": {"index": 2, "count": 3, "codemods": "abc"},
            "findings": [{"path": "a.py", "line": 1, "column": 8, "rule": "m/1", "codemod": "m",
                          "old": "a.old", "new": "a.new", "site": "import", "category": null,
                          "status": "fixable", "reason": null}],
            "errors": [],
            "warnings": [{"path": "m.toml", "line": 2, "message": "…"}],
            "summary": {"files_scanned": 3, "files_failed": 0}
        })
    }

    fn problem(edit: impl FnOnce(&mut Value)) -> String {
        let mut document = part();
        edit(&mut document);
        check_part(Path::new("p.json"), &document).unwrap_err()
    }

    #[test]
    fn a_whole_part_passes_and_each_bad_field_is_named() {
        assert_eq!(check_part(Path::new("p.json"), &part()), Ok(()));
        assert_eq!(
            problem(|d| d["shard"]["index"] = json!(5)),
            "p.json: shard.index: 5 is more than the shard count 3"
        );
        assert_eq!(
            problem(|d| d["findings"][0]["line"] = json!("x")),
            "p.json: findings[0].line: expected a whole number of at least 1, got \"x\""
        );
        assert!(
            problem(|d| d["findings"][0]["status"] = json!("done")).starts_with(
                "p.json: findings[0].status: expected one of fixable, manual, suppressed"
            )
        );
        assert_eq!(
            problem(|d| d["warnings"][0]["line"] = json!(0)),
            "p.json: warnings[0].line: expected a whole number of at least 1, got 0"
        );
        assert_eq!(
            problem(|d| d["shard"] = json!(null)),
            "p.json: not a shard's report (run `reroute check --shard K/N --format json`)"
        );
        assert_eq!(
            problem(|d| d["summary"] = json!(null)),
            "p.json: summary: expected an object, got nothing"
        );
        assert_eq!(
            problem(|d| d["shard"]["count"] = json!(0)),
            "p.json: shard.count: expected a whole number of at least 1, got 0"
        );
    }
}
