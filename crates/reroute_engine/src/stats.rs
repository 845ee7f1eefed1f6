//! The `--stats` funnel: how many files each stage saw and let through, and the time spent
//! in each stage (summed over the worker threads). Workers only add to counters; the one
//! renderer writes the table at the end of the run.

use std::io::Write;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::lex::WholeReason;

/// A stage whose time is measured.
#[derive(Debug, Clone, Copy)]
pub enum Stage {
    /// Reading files.
    Read,
    /// The byte filter.
    Prefilter,
    /// Stage 2, the lexer.
    Lex,
    /// Parse and plan (whole files or statements) and apply the edits.
    Plan,
    /// Reparse of the rewritten file or statements.
    Verify,
}

const STAGES: [(Stage, &str); 5] = [
    (Stage::Read, "read"),
    (Stage::Prefilter, "byte filter"),
    (Stage::Lex, "lexer"),
    (Stage::Plan, "parse + plan"),
    (Stage::Verify, "verify"),
];

/// Counters shared by the workers of one run.
#[derive(Debug, Default)]
pub struct Stats {
    /// Files walked.
    pub files: AtomicUsize,
    /// Bytes read.
    pub bytes: AtomicU64,
    /// Files the byte filter let through.
    pub passed_bytes_filter: AtomicUsize,
    /// Files stage 2 skipped.
    pub lexer_skipped: AtomicUsize,
    /// Files parsed only to rule out a syntax error (strings or comments spell a moved
    /// name, which matters only inside one): skipped or planned by statement after it.
    pub parsed_for_errors: AtomicUsize,
    /// Files planned statement by statement.
    pub by_statement: AtomicUsize,
    /// Parsed whole, by stage 2's reason (index in `WholeReason::ALL`).
    pub whole: [AtomicUsize; 6],
    /// Parsed whole without asking stage 2 (`REROUTE_FULL_PARSE=1`, a non-UTF-8 coding).
    pub whole_unasked: AtomicUsize,
    /// Files with a rewrite.
    pub changed: AtomicUsize,
    nanos: [AtomicU64; 5],
}

impl Stats {
    /// Counts `stage` from `since` to now.
    pub fn time(&self, stage: Stage, since: Instant) {
        let nanos = u64::try_from(since.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.nanos[stage as usize].fetch_add(nanos, Ordering::Relaxed);
    }

    /// Adds one to `counter`.
    pub fn count(counter: &AtomicUsize) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a file parsed whole for `reason`.
    pub fn whole(&self, reason: WholeReason) {
        let index = WholeReason::ALL
            .iter()
            .position(|r| *r == reason)
            .unwrap_or(0);
        Stats::count(&self.whole[index]);
    }

    /// Writes the funnel and the stage times.
    pub fn render(
        &self,
        wall: Duration,
        threads: usize,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let get = |c: &AtomicUsize| c.load(Ordering::Relaxed);
        let whole: usize = self.whole.iter().map(get).sum::<usize>() + get(&self.whole_unasked);
        let parsed = whole + get(&self.by_statement);
        let reasons: Vec<String> = WholeReason::ALL
            .iter()
            .zip(&self.whole)
            .filter(|(_, c)| get(c) > 0)
            .map(|(r, c)| format!("{} {}", r.name(), get(c)))
            .chain(
                (get(&self.whole_unasked) > 0)
                    .then(|| format!("not asked {}", get(&self.whole_unasked))),
            )
            .collect();
        let mb = self.bytes.load(Ordering::Relaxed) as f64 / 1e6;
        writeln!(
            out,
            "stats: files walked        {:>8} ({mb:.1} MB)",
            get(&self.files)
        )?;
        writeln!(
            out,
            "stats: passed byte filter  {:>8}",
            get(&self.passed_bytes_filter)
        )?;
        writeln!(
            out,
            "stats: skipped by lexer    {:>8}",
            get(&self.lexer_skipped)
        )?;
        writeln!(
            out,
            "stats: syntax-checked      {:>8}",
            get(&self.parsed_for_errors)
        )?;
        writeln!(out, "stats: parsed              {parsed:>8}")?;
        writeln!(
            out,
            "stats:   by statement      {:>8}",
            get(&self.by_statement)
        )?;
        writeln!(
            out,
            "stats:   whole file        {whole:>8}{}",
            if reasons.is_empty() {
                String::new()
            } else {
                format!(" ({})", reasons.join(", "))
            }
        )?;
        writeln!(out, "stats: changed             {:>8}", get(&self.changed))?;
        for (stage, name) in STAGES {
            let nanos = self.nanos[stage as usize].load(Ordering::Relaxed);
            writeln!(
                out,
                "stats: time {name:<14} {:>8.1} ms (summed over {threads} threads)",
                nanos as f64 / 1e6
            )?;
        }
        writeln!(
            out,
            "stats: wall time           {:>8.1} ms",
            wall.as_secs_f64() * 1e3
        )
    }
}
