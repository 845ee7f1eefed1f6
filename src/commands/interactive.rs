//! `apply -i`: review each rewrite before it is written. A rewrite here is a group the
//! engine says must be carried out together (an import with the uses that follow it), so an
//! import is never accepted without its uses. For each, the diff and its findings, then
//! y (write it), n (leave it), i (leave it and add `# reroute: ignore[codemod/N]` on its
//! import's line), a (this and every one after), q (leave this and the rest). What was
//! accepted is written with apply's safety. On a terminal only.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::bail;
use reroute_engine::edit::{Edit, apply_edits};
use reroute_engine::finding::Site;
use reroute_engine::{Finding, rewrite_groups};
use reroute_run::write::Writer;
use reroute_run::{ExitStatus, FileOutcome, FileStatus, Mode};

use crate::config::Settings;
use crate::diff::unified_diff;

/// One answer at the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Yes,
    No,
    Ignore,
    All,
    Quit,
}

/// Runs `apply -i` with `settings` (resolved for `apply`).
pub fn run(mut settings: Settings) -> anyhow::Result<ExitStatus> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        bail!(
            "apply -i asks about each rewrite on a terminal, and stdin or stdout is not one; run it in a terminal, or review with `reroute diff` and then run `reroute apply`"
        );
    }
    let interrupt = crate::signals::install_interrupt()?;
    let write = settings.run.write.clone();
    // Plan as `apply` plans (the whole-file check included), write nothing yet.
    settings.run.mode = Mode::Diff;
    settings.run.engine.verify_whole = true;
    let result = reroute_run::run(&settings.run, settings.rules, &interrupt, &())?;
    let mut report = result.report;
    let blocking: Vec<String> = report
        .target_problems
        .iter()
        .filter(|p| settings.run.target_check && p.blocks_apply())
        .map(ToString::to_string)
        .collect();
    if !blocking.is_empty() {
        bail!(
            "nothing written: {} move(s) point where the processed tree has nothing:\n  {}\n(pass --no-target-check when the new modules are created later)",
            blocking.len(),
            blocking.join("\n  ")
        );
    }
    let cwd = settings.run.cwd.clone();
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut review = Review::default();
    for outcome in &mut report.outcomes {
        review.file(outcome, &cwd, &mut input, &mut out)?;
    }
    let writer = Writer::new(write, interrupt, settings.run.signal_at);
    let mut written = 0;
    let mut failed = 0;
    for outcome in &mut report.outcomes {
        outcome.write_with(&writer);
        match &outcome.status {
            FileStatus::Written { .. } => written += 1,
            FileStatus::Failed(error) => {
                failed += 1;
                writeln!(
                    out,
                    "error: {}: {error}",
                    crate::render::display_path(&outcome.path, &cwd)
                )?;
            }
            _ => {}
        }
    }
    writeln!(
        out,
        "Accepted {} of {} rewrites; wrote {written} files; added {} ignore comments.",
        review.accepted, review.offered, review.ignored
    )?;
    Ok(if failed > 0 || report.interrupted.is_some() {
        ExitStatus::Error
    } else if review.accepted < review.offered {
        ExitStatus::Pending
    } else {
        ExitStatus::Clean
    })
}

/// The answers so far.
#[derive(Default)]
struct Review {
    /// `a` was answered: accept the rest without asking.
    all: bool,
    /// `q` was answered: leave the rest without asking.
    quit: bool,
    offered: usize,
    accepted: usize,
    ignored: usize,
}

impl Review {
    /// Asks about each rewrite of one file, and leaves in `outcome` the file as accepted.
    fn file(
        &mut self,
        outcome: &mut FileOutcome,
        cwd: &Path,
        input: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> anyhow::Result<()> {
        let FileStatus::Changed {
            original, updated, ..
        } = &outcome.status
        else {
            return Ok(());
        };
        let original = original.clone();
        let shown = crate::render::display_path(&outcome.path, cwd);
        // A file changed with no rewrites listed (an entry point): one question for it.
        let groups: Vec<Vec<Edit>> = if outcome.rewrites.is_empty() {
            vec![vec![Edit::replace(0..original.len(), updated.clone())]]
        } else {
            rewrite_groups(&outcome.rewrites)
                .iter()
                .map(|group| {
                    let mut indices: Vec<usize> = group
                        .iter()
                        .flat_map(|&r| outcome.rewrites[r].edits.iter().copied())
                        .collect();
                    indices.sort_unstable();
                    indices.iter().map(|&i| outcome.edits[i].clone()).collect()
                })
                .collect()
        };
        let findings_of = |index: usize| -> Vec<&Finding> {
            if outcome.rewrites.is_empty() {
                return outcome.findings.iter().collect();
            }
            let group = &rewrite_groups(&outcome.rewrites)[index];
            let mut found: Vec<&Finding> = group
                .iter()
                .flat_map(|&r| outcome.rewrites[r].findings.iter())
                .map(|&f| &outcome.findings[f])
                .collect();
            found.sort_by_key(|f| f.offset);
            found
        };
        let mut accepted: Vec<Edit> = Vec::new();
        let mut ignores: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (index, edits) in groups.iter().enumerate() {
            self.offered += 1;
            let findings = findings_of(index);
            let answer = if self.all {
                Answer::Yes
            } else if self.quit {
                Answer::No
            } else {
                let preview = apply_edits(&original, edits)?;
                for (_, line) in unified_diff(shown.as_bytes(), &original, &preview) {
                    out.write_all(&line)?;
                }
                for finding in &findings {
                    writeln!(
                        out,
                        "  {shown}:{}:{}: {}: {}",
                        finding.line,
                        finding.column,
                        finding.rule_name(),
                        crate::render::wording::message(finding)
                    )?;
                }
                ask(input, out)?
            };
            match answer {
                Answer::Yes => {
                    self.accepted += 1;
                    accepted.extend(edits.iter().cloned());
                }
                Answer::All => {
                    self.all = true;
                    self.accepted += 1;
                    accepted.extend(edits.iter().cloned());
                }
                Answer::Quit => self.quit = true,
                Answer::No => {}
                Answer::Ignore => {
                    // On the import's line (else the first finding's), naming the move.
                    let anchor = findings
                        .iter()
                        .find(|f| f.site == Site::Import)
                        .or(findings.first());
                    if let Some(finding) = anchor {
                        let line_end = line_end(&original, finding.offset);
                        ignores
                            .entry(line_end)
                            .or_default()
                            .push(finding.rule_name());
                        self.ignored += 1;
                    }
                }
            }
        }
        for (at, ids) in ignores {
            accepted.push(ignore_comment(&original, at, &ids));
        }
        accepted.sort_by_key(|e| (e.range.start, e.range.end));
        let updated = apply_edits(&original, &accepted)?;
        outcome.status = if updated == original {
            FileStatus::Unchanged
        } else {
            let errors = reroute_engine::parse::errors_in;
            if errors(&updated) > errors(&original) {
                writeln!(
                    out,
                    "{shown}: the accepted rewrites alone would add syntax errors; left unchanged"
                )?;
                FileStatus::Unchanged
            } else {
                FileStatus::Changed {
                    original,
                    updated,
                    edits: accepted.len(),
                }
            }
        };
        Ok(())
    }
}

/// Asks until one of y, n, i, a, q is given; end of input is q.
fn ask(input: &mut dyn BufRead, out: &mut dyn Write) -> anyhow::Result<Answer> {
    loop {
        write!(
            out,
            "Apply this rewrite? [y]es, [n]o, [i]gnore (no, and add a `# reroute: ignore` comment), [a]ll, [q]uit: "
        )?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(out)?;
            return Ok(Answer::Quit);
        }
        let answer = match line.trim() {
            "y" | "Y" | "yes" => Answer::Yes,
            "n" | "N" | "no" => Answer::No,
            "i" | "I" | "ignore" => Answer::Ignore,
            "a" | "A" | "all" => Answer::All,
            "q" | "Q" | "quit" => Answer::Quit,
            _ => continue,
        };
        return Ok(answer);
    }
}

/// The offset of the end of the line holding `offset` (before `\r\n` or `\n`).
fn line_end(bytes: &[u8], offset: usize) -> usize {
    let end = bytes[offset..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |at| offset + at);
    if end > 0 && bytes.get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

/// The edit that suppresses `ids` on the line ending at `end`: added into an existing
/// `reroute: ignore[…]` list, nothing when a bare `reroute: ignore` already covers all, or
/// a new comment after the line's code (and after its comment, as ruff's `--add-noqa` does).
fn ignore_comment(bytes: &[u8], end: usize, ids: &[String]) -> Edit {
    let start = bytes[..end]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |at| at + 1);
    let line = &bytes[start..end];
    if let Some(at) = find(line, b"reroute: ignore[")
        && let Some(close) = line[at..].iter().position(|&b| b == b']')
    {
        let insert = start + at + close;
        return Edit::replace(insert..insert, format!(", {}", ids.join(", ")));
    }
    if find(line, b"reroute: ignore").is_some() {
        return Edit::replace(end..end, Vec::new());
    }
    let text = if line.contains(&b'#') {
        format!("; reroute: ignore[{}]", ids.join(", "))
    } else {
        format!("  # reroute: ignore[{}]", ids.join(", "))
    };
    Edit::replace(end..end, text)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_ignore(text: &str, ids: &[&str]) -> String {
        let bytes = text.as_bytes();
        let end = line_end(bytes, 0);
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        let edit = ignore_comment(bytes, end, &ids);
        String::from_utf8(apply_edits(bytes, &[edit]).unwrap()).unwrap()
    }

    #[test]
    fn ignore_comments_merge_with_what_the_line_has() {
        assert_eq!(
            with_ignore("import a.old\r\n", &["m/1"]),
            "import a.old  # reroute: ignore[m/1]\r\n"
        );
        assert_eq!(
            with_ignore("import a.old  # legacy\n", &["m/1"]),
            "import a.old  # legacy; reroute: ignore[m/1]\n"
        );
        assert_eq!(
            with_ignore("import a.old  # reroute: ignore[n]\n", &["m/1", "m/2"]),
            "import a.old  # reroute: ignore[n, m/1, m/2]\n"
        );
        assert_eq!(
            with_ignore("import a.old  # reroute: ignore\n", &["m/1"]),
            "import a.old  # reroute: ignore\n"
        );
    }
}
