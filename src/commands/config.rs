//! `reroute config`: the settings a run from this folder would use, resolved exactly as
//! `diff`/`apply`/`check` resolve them, and where each came from: the command line,
//! `[tool.reroute]` (pyproject.toml path and line), or the default. Text or JSON
//! (`reroute.config/1`). Exit 0; a configuration that does not load is the same error
//! (exit 2) that every other command would give.

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use reroute_run::{ExitStatus, Mode};

use crate::cli::{Format, RunArgs};
use crate::config::{ProgressSettings, Settings, SettingsError, Verbosity, pyproject};
use crate::render::display_path;

/// Where a setting's value came from.
enum Source {
    Default(&'static str),
    CommandLine(&'static str),
    Pyproject(usize),
    /// Command-line values first, then those of `[tool.reroute]`.
    Both(&'static str, usize),
}

struct Shown {
    name: &'static str,
    value: Value,
    text: String,
    source: Source,
}

/// `reroute config` with `-q`/`-v` as `verbosity` (they decide the progress bar shown).
pub fn run(
    args: &RunArgs,
    cwd: &Path,
    source: &crate::config::ConfigSource,
    verbosity: Verbosity,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    show(
        args,
        cwd,
        source,
        ProgressSettings::of(verbosity, terminal),
        out,
    )
}

fn show(
    args: &RunArgs,
    cwd: &Path,
    source: &crate::config::ConfigSource,
    progress: ProgressSettings,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    if !matches!(args.format, Format::Text | Format::Json) {
        return Err(SettingsError::FormatNotFor {
            format: args.format.name(),
            command: "config",
        }
        .into());
    }
    let tool = pyproject::load_from(cwd, source)?;
    let overrides = crate::config::Overrides {
        format: Format::Text,
        config: source.clone(),
        ..args.into()
    };
    let settings = Settings::resolve(Mode::Check, &overrides, cwd)?;
    let codemods = crate::config::load_selected(&overrides.codemods, &tool, cwd)?;
    let shown_path = |path: &Path| display_path(path, cwd);
    let pyproject_file = tool.file.as_ref().map(|f| shown_path(f));
    let list = |paths: &[std::path::PathBuf]| paths.iter().map(|p| shown_path(p)).collect();
    let mut rows = vec![Shown {
        name: "project-root",
        value: json!(settings.run.project_root.display().to_string()),
        text: settings.run.project_root.display().to_string(),
        source: Source::Default(match &tool.file {
            Some(_) if !tool.explicit => "the folder of pyproject.toml",
            _ => "the nearest folder with .git or pyproject.toml, else the current folder",
        }),
    }];
    let (file_text, file_source) = match source {
        crate::config::ConfigSource::File(_) => (
            pyproject_file.clone().unwrap_or_default(),
            Source::CommandLine("--config"),
        ),
        crate::config::ConfigSource::Isolated => {
            ("none".to_string(), Source::CommandLine("--isolated"))
        }
        crate::config::ConfigSource::Discover => (
            pyproject_file.clone().unwrap_or_else(|| "none".to_string()),
            Source::Default("[tool.reroute] of the nearest pyproject.toml"),
        ),
    };
    rows.push(Shown {
        name: "config-file",
        value: json!(pyproject_file),
        text: file_text,
        source: file_source,
    });
    let (sources, source): (Vec<String>, Source) = if !args.codemods.codemods.is_empty() {
        (
            list(&args.codemods.codemods),
            Source::CommandLine("--codemods"),
        )
    } else if let Some(paths) = &tool.codemods {
        (list(paths), pyproject_line(tool.lines.codemods))
    } else {
        (vec!["codemods".to_string()], Source::Default("./codemods/"))
    };
    rows.push(Shown {
        name: "codemods",
        text: sources.join(", "),
        value: json!(sources),
        source,
    });
    rows.push(Shown {
        name: "select",
        value: json!(args.codemods.select),
        text: text_list(&args.codemods.select, "all codemods"),
        source: flag_or(
            !args.codemods.select.is_empty(),
            "--select",
            "every codemod",
        ),
    });
    let src: Vec<String> = list(&settings.run.src);
    rows.push(Shown {
        name: "src",
        text: text_list(&src, "none"),
        value: json!(src),
        source: if !args.src.is_empty() {
            Source::CommandLine("--src")
        } else if tool.src.is_some() {
            pyproject_line(tool.lines.src)
        } else {
            Source::Default("packages found by their __init__.py")
        },
    });
    rows.push(Shown {
        name: "quiet-notes",
        text: text_list(&settings.run.quiet_notes, "none"),
        value: json!(settings.run.quiet_notes),
        source: match (args.quiet_notes.is_empty(), tool.lines.quiet_notes) {
            (false, Some(line)) => Source::Both("--quiet-notes", line),
            (false, None) => Source::CommandLine("--quiet-notes"),
            (true, Some(line)) => Source::Pyproject(line),
            (true, None) => Source::Default("every note is shown"),
        },
    });
    rows.push(Shown {
        name: "unresolved-imports",
        value: json!(tool.unresolved_imports),
        text: if tool.unresolved_imports {
            "on (check)"
        } else {
            "off"
        }
        .to_string(),
        source: match tool.lines.unresolved_imports {
            Some(line) => Source::Pyproject(line),
            None => Source::Default("off; `check --unresolved-imports` turns it on"),
        },
    });
    let threads = match settings.run.threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    rows.push(Shown {
        name: "threads",
        value: json!(threads),
        text: threads.to_string(),
        source: flag_or(args.threads.is_some(), "-j", "one per CPU"),
    });
    let megabytes = settings.run.max_file_size / (1024 * 1024);
    rows.push(Shown {
        name: "max-file-size",
        value: json!(megabytes),
        text: format!("{megabytes} MB"),
        source: flag_or(args.max_file_size.is_some(), "--max-file-size", "10 MB"),
    });
    let switches = [
        (
            "target-check",
            settings.run.target_check,
            args.no_target_check,
            "--no-target-check",
        ),
        (
            "mentions",
            settings.run.engine.mentions,
            args.mentions,
            "--mentions",
        ),
        (
            "no-ignore",
            settings.run.no_ignore,
            args.no_ignore,
            "--no-ignore",
        ),
        (
            "include-scripts",
            settings.run.include_scripts,
            args.include_scripts,
            "--include-scripts",
        ),
    ];
    for (name, on, given, flag) in switches {
        rows.push(Shown {
            name,
            value: json!(on),
            text: if on { "on" } else { "off" }.to_string(),
            source: flag_or(given, flag, if on { "on" } else { "off" }),
        });
    }
    rows.push(Shown {
        name: "exclude",
        value: json!(settings.run.exclude),
        text: text_list(&settings.run.exclude, "none"),
        source: flag_or(
            !settings.run.exclude.is_empty(),
            "--exclude",
            "none; .gitignore rules still apply",
        ),
    });
    rows.push(Shown {
        name: "progress-bar",
        value: json!(progress.enabled),
        text: if progress.enabled { "on" } else { "off" }.to_string(),
        source: Source::Default(if progress.enabled {
            "stderr is a terminal"
        } else {
            "off under -q, in CI (CI set) and when stderr is not a terminal"
        }),
    });
    let loaded: Vec<Value> = codemods
        .iter()
        .filter(|c| {
            args.codemods.select.is_empty() || args.codemods.select.iter().any(|s| **s == *c.name)
        })
        .map(|c| json!({"name": &*c.name, "file": shown_path(&c.file), "moves": c.moves.len()}))
        .collect();
    // Patterns that protect nothing: said here and by `reroute test`, not by a run.
    let chosen: Vec<_> = codemods
        .iter()
        .filter(|c| {
            args.codemods.select.is_empty() || args.codemods.select.iter().any(|s| **s == *c.name)
        })
        .cloned()
        .collect();
    for unmatched in reroute_run::excludes::unmatched(&chosen) {
        writeln!(std::io::stderr().lock(), "warning: {unmatched}")?;
    }
    match args.format {
        Format::Json => {
            let settings: serde_json::Map<String, Value> = rows
                .iter()
                .map(|row| {
                    let source = source_json(&row.source, pyproject_file.as_deref());
                    (
                        row.name.to_string(),
                        json!({"value": row.value, "source": source}),
                    )
                })
                .collect();
            let doc = json!({
                "schema": "reroute.config/1",
                "pyproject": pyproject_file,
                "settings": settings,
                "codemods": loaded,
            });
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
        _ => {
            let file = pyproject_file.as_deref().unwrap_or("pyproject.toml");
            writeln!(
                out,
                "pyproject.toml: {}",
                pyproject_file
                    .as_deref()
                    .unwrap_or("none with [tool.reroute] (upward from the current folder)")
            )?;
            for row in &rows {
                writeln!(
                    out,
                    "{}: {}  ({})",
                    row.name,
                    row.text,
                    source_text(&row.source, file)
                )?;
                if row.name == "codemods" {
                    for codemod in &loaded {
                        writeln!(
                            out,
                            "  {}: {} ({} {})",
                            codemod["name"].as_str().unwrap_or_default(),
                            codemod["file"].as_str().unwrap_or_default(),
                            codemod["moves"],
                            if codemod["moves"] == 1 {
                                "move"
                            } else {
                                "moves"
                            }
                        )?;
                    }
                }
            }
        }
    }
    Ok(ExitStatus::Clean)
}

fn pyproject_line(line: Option<usize>) -> Source {
    Source::Pyproject(line.unwrap_or(1))
}

fn flag_or(given: bool, flag: &'static str, default: &'static str) -> Source {
    if given {
        Source::CommandLine(flag)
    } else {
        Source::Default(default)
    }
}

fn text_list(items: &[String], empty: &str) -> String {
    if items.is_empty() {
        empty.to_string()
    } else {
        items.join(", ")
    }
}

fn source_text(source: &Source, file: &str) -> String {
    match source {
        Source::Default(what) => format!("default: {what}"),
        Source::CommandLine(flag) => format!("command line: {flag}"),
        Source::Pyproject(line) => format!("{file}:{line}"),
        Source::Both(flag, line) => format!("command line: {flag}, then {file}:{line}"),
    }
}

fn source_json(source: &Source, file: Option<&str>) -> Value {
    match source {
        Source::Default(what) => json!({"kind": "default", "detail": what}),
        Source::CommandLine(flag) => json!({"kind": "command-line", "flag": flag}),
        Source::Pyproject(line) => json!({"kind": "pyproject", "file": file, "line": line}),
        Source::Both(flag, line) => {
            json!({"kind": "command-line+pyproject", "flag": flag, "file": file, "line": line})
        }
    }
}
