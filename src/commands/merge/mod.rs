//! `reroute merge PART.json…`: joins the JSON reports of `check --shard K/N --format json`
//! into one report, as one unsharded run would have printed it, and its exit code.
//!
//! Every part must carry the same N and codemods fingerprint, and the parts must be shards
//! 1..N, each once. Findings, errors and warnings are concatenated in path order; run-level
//! messages (those every shard repeats: walk errors, target-check warnings) are kept once;
//! the summary is counted again from the findings.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use serde_json::{Map, Value, json};

use reroute_run::ExitStatus;

mod rebuild;
mod validate;

/// Merges the shards' JSON reports in `parts`, and writes the report one run would have
/// written in `format` to `out` (paths as the parts show them, relative to `cwd`).
pub fn merge(
    parts: &[PathBuf],
    format: crate::render::Format,
    cwd: &std::path::Path,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let mut documents = Vec::new();
    for part in parts {
        let text = std::fs::read_to_string(part)
            .with_context(|| format!("{}: cannot read", part.display()))?;
        let document: Value = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a JSON report", part.display()))?;
        if document["schema"] != crate::render::json::SCHEMA {
            bail!(
                "{}: not a `reroute check --format json` report",
                part.display()
            );
        }
        validate::check_part(part, &document).map_err(anyhow::Error::msg)?;
        documents.push((part.clone(), document));
    }
    check_shards(&documents)?;
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let (mut scanned, mut failed) = (0, 0);
    for (_, document) in &documents {
        findings.extend(items(document, "findings"));
        scanned += document["summary"]["files_scanned"].as_u64().unwrap_or(0);
        failed += document["summary"]["files_failed"].as_u64().unwrap_or(0);
    }
    for key in ["errors", "warnings"] {
        let merged = messages(&documents, key);
        if key == "errors" {
            errors = merged;
        } else {
            warnings = merged;
        }
    }
    findings.sort_by_key(path_key);
    let summary = summary(&findings, scanned, failed);
    let exit = if !errors.is_empty() {
        ExitStatus::Error
    } else if summary["fixable"].as_u64().unwrap_or(0) + summary["manual"].as_u64().unwrap_or(0) > 0
    {
        ExitStatus::Pending
    } else {
        ExitStatus::Clean
    };
    let document = json!({
        "schema": crate::render::json::SCHEMA,
        "findings": findings,
        "errors": errors,
        "warnings": warnings,
        "summary": summary,
    });
    if format == crate::render::Format::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&document)?)?;
        return Ok(exit);
    }
    let scanned: Vec<String> = documents
        .iter()
        .flat_map(|(_, d)| items(d, "scanned"))
        .filter_map(|path| path.as_str().map(str::to_string))
        .collect();
    let report = rebuild::report(&document, &scanned)?;
    let output = crate::render::Output {
        format,
        color: false,
        verbosity: crate::render::Verbosity::Normal,
        progress: crate::render::ProgressSettings::of(crate::render::Verbosity::Quiet, false),
        file: None,
    };
    crate::render::write_report(&output, cwd, None, &report, out)?;
    Ok(exit)
}

/// Refuses parts that are not shards 1..N of one run with the same codemods.
fn check_shards(documents: &[(PathBuf, Value)]) -> anyhow::Result<()> {
    let mut seen: BTreeMap<u64, &PathBuf> = BTreeMap::new();
    let mut run: Option<(u64, String)> = None;
    for (part, document) in documents {
        let shard = &document["shard"];
        let (Some(index), Some(count), Some(codemods)) = (
            shard["index"].as_u64(),
            shard["count"].as_u64(),
            shard["codemods"].as_str(),
        ) else {
            bail!(
                "{}: not a shard's report (run `reroute check --shard K/N --format json`)",
                part.display()
            );
        };
        match &run {
            None => run = Some((count, codemods.to_string())),
            Some((n, _)) if *n != count => bail!(
                "{}: shard {index}/{count}, but other parts are of {n} shards",
                part.display()
            ),
            Some((_, fingerprint)) if fingerprint != codemods => bail!(
                "{}: made with other codemods than the other parts (fingerprint {codemods}, not {fingerprint}); run every shard with the same codemods",
                part.display()
            ),
            Some(_) => {}
        }
        if let Some(first) = seen.insert(index, part) {
            bail!(
                "shard {index}/{count} given twice: {} and {}",
                first.display(),
                part.display()
            );
        }
    }
    let count = run.map_or(0, |(n, _)| n);
    let missing: Vec<String> = (1..=count)
        .filter(|k| !seen.contains_key(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        bail!(
            "missing shard(s): {}; merge needs every part",
            missing.join(", ")
        );
    }
    Ok(())
}

fn items(document: &Value, key: &str) -> Vec<Value> {
    document[key].as_array().cloned().unwrap_or_default()
}

/// Messages of all parts: those every part has (run-level) once, in the first part's
/// order, then the others in path order.
fn messages(documents: &[(PathBuf, Value)], key: &str) -> Vec<Value> {
    let lists: Vec<Vec<Value>> = documents.iter().map(|(_, d)| items(d, key)).collect();
    let in_all = |item: &Value| lists.iter().all(|list| list.contains(item));
    let mut merged: Vec<Value> = lists[0].iter().filter(|i| in_all(i)).cloned().collect();
    let mut others: Vec<Value> = lists
        .iter()
        .flatten()
        .filter(|item| !in_all(item))
        .cloned()
        .collect();
    others.sort_by_key(path_key);
    merged.extend(others);
    merged
}

/// Orders items by path as reports do (component by component), keeping the order within
/// a file.
fn path_key(item: &Value) -> Vec<String> {
    path_components(item["path"].as_str().unwrap_or(""))
}

/// A report's path, component by component: the order reports list files in.
fn path_components(path: &str) -> Vec<String> {
    path.split('/').map(str::to_string).collect()
}

/// The summary of merged findings, as one run would count it.
fn summary(findings: &[Value], scanned: u64, failed: u64) -> Value {
    let mut total = Counts::default();
    let mut by_codemod: BTreeMap<String, Counts> = BTreeMap::new();
    let mut unresolved_imports = 0;
    for finding in findings {
        total.add(finding);
        match finding["codemod"].as_str() {
            Some(codemod) => by_codemod
                .entry(codemod.to_string())
                .or_default()
                .add(finding),
            None => unresolved_imports += u64::from(finding["status"] == "manual"),
        }
    }
    let mut value = total.to_json();
    let object = value.as_object_mut().expect("counts are an object");
    let mut ordered = Map::new();
    ordered.insert("files_scanned".into(), json!(scanned));
    ordered.insert("files_failed".into(), json!(failed));
    ordered.append(object);
    ordered.insert("unresolved_imports".into(), json!(unresolved_imports));
    ordered.insert(
        "by_codemod".into(),
        Value::Object(
            by_codemod
                .into_iter()
                .map(|(name, counts)| (name, counts.to_json()))
                .collect(),
        ),
    );
    Value::Object(ordered)
}

#[derive(Default)]
struct Counts {
    by_status: BTreeMap<String, u64>,
    strings: BTreeMap<String, u64>,
}

impl Counts {
    fn add(&mut self, finding: &Value) {
        let status = finding["status"].as_str().unwrap_or("");
        let key = match status {
            "mention" => "mentions",
            "note" => "notes",
            other => other,
        };
        *self.by_status.entry(key.to_string()).or_default() += 1;
        if let Some(category) = finding["category"].as_str()
            && matches!(status, "fixable" | "manual")
        {
            *self.strings.entry(category.to_string()).or_default() += 1;
        }
    }

    fn to_json(&self) -> Value {
        let count = |key: &str| json!(self.by_status.get(key).copied().unwrap_or(0));
        json!({
            "fixable": count("fixable"),
            "manual": count("manual"),
            "suppressed": count("suppressed"),
            "mentions": count("mentions"),
            "notes": count("notes"),
            "strings": self.strings,
        })
    }
}
