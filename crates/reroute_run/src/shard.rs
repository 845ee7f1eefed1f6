//! Sharding a run over a CI matrix: `--shard K/N` keeps the files whose root-relative path
//! hashes to K (a fixed FNV-1a hash, the same on every machine and build, never Rust's
//! `DefaultHasher`), and each shard's JSON report records K/N and a hash of the codemods so
//! that `reroute merge` can join the parts into one report.

use std::path::Path;

/// `K/N`: this is shard K (1-based) of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let parsed = text.split_once('/').and_then(|(k, n)| {
            Some((k.trim().parse::<u64>().ok()?, n.trim().parse::<u64>().ok()?))
        });
        match parsed {
            Some((index, count)) if count >= 1 && (1..=count).contains(&index) => {
                Ok(Shard { index, count })
            }
            _ => Err(format!(
                "{text:?} is not a shard: write K/N with 1 <= K <= N, like 2/5"
            )),
        }
    }
}

impl Shard {
    /// Whether the file at `relative` (to the project root, `/`-separated) is this shard's.
    pub fn holds(&self, relative: &[u8]) -> bool {
        fnv1a(relative) % self.count == self.index - 1
    }
}

/// The path of `path` relative to `root` as `/`-separated bytes (the path as given when it
/// is not under `root`).
pub fn relative_bytes(path: &Path, root: &Path) -> Vec<u8> {
    crate::paths::path_bytes(path, root)
}

/// FNV-1a, 64 bits: fixed, so shards agree across machines and reroute versions.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// A fingerprint of the rule set (every move's id, paths and switches): shards made with
/// different codemods must not be merged.
pub fn codemods_fingerprint(rules: &reroute_engine::RuleSet) -> String {
    let mut text = String::new();
    for (index, moved) in rules.moves().iter().enumerate() {
        text.push_str(&format!(
            "{}\t{}\t{}\t{} {} {}\t{:?} {:?} {}\n",
            moved.id,
            moved.from,
            moved.to,
            moved.strings,
            moved.rename_usages,
            moved.mentions,
            moved.action,
            moved.requires,
            rules.is_held(index),
        ));
    }
    format!("{:016x}", fnv1a(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_partition() {
        assert_eq!("2/5".parse::<Shard>(), Ok(Shard { index: 2, count: 5 }));
        assert!("0/5".parse::<Shard>().is_err());
        assert!("6/5".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
        // FNV-1a test vector.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        let paths: Vec<String> = (0..100).map(|i| format!("pkg/m{i}.py")).collect();
        let shards: Vec<Shard> = (1..=3).map(|index| Shard { index, count: 3 }).collect();
        for path in &paths {
            let owners = shards.iter().filter(|s| s.holds(path.as_bytes())).count();
            assert_eq!(owners, 1, "{path}");
        }
    }
}
