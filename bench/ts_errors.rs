//! `ts_errors`: the tree-sitter error count reroute itself uses (ERROR and MISSING nodes,
//! `reroute::testing::error_count`) of each file named on standard input, one path a line;
//! prints one count a line, in order (`-1`: unreadable, or tree-sitter gave up).
//! Built and used by `bench/mutate.py`: `cargo build --example ts_errors` (`cargo test` builds it too).

use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let path = line?;
        let count = std::fs::read(&path)
            .ok()
            .and_then(|bytes| reroute::testing::parse(&bytes))
            .map_or(-1, |tree| reroute::testing::error_count(&tree) as i64);
        writeln!(out, "{count}")?;
    }
    out.flush()
}
