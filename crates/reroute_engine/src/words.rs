//! A set of byte strings kept in one buffer: no allocation per word, so that the tables a
//! codemod of 500,000 moves needs (last segments, first segments, new homes) cost their
//! bytes and a few more per word, not a heap block each.

use hashbrown::HashTable;
use rustc_hash::FxHasher;
use std::hash::Hasher;

/// A set of byte strings.
#[derive(Debug, Clone, Default)]
pub struct WordSet {
    /// Every word, one after the other.
    bytes: Vec<u8>,
    /// Each word as its range of `bytes`, hashed by its text.
    table: HashTable<(u32, u32)>,
}

fn hash(word: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(word);
    hasher.finish()
}

impl WordSet {
    fn word(&self, (start, end): (u32, u32)) -> &[u8] {
        &self.bytes[start as usize..end as usize]
    }

    /// Adds `word` (once).
    pub fn insert(&mut self, word: &[u8]) {
        let hash = hash(word);
        let bytes = &self.bytes;
        let found = self.table.find(hash, |&(start, end)| {
            &bytes[start as usize..end as usize] == word
        });
        if found.is_some() {
            return;
        }
        let start = self.bytes.len() as u32;
        self.bytes.extend_from_slice(word);
        let range = (start, self.bytes.len() as u32);
        let bytes = &self.bytes;
        self.table.insert_unique(hash, range, |&(start, end)| {
            self::hash(&bytes[start as usize..end as usize])
        });
    }

    /// True when `word` is in the set.
    pub fn contains(&self, word: &[u8]) -> bool {
        self.table
            .find(hash(word), |&range| self.word(range) == word)
            .is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The words, sorted.
    pub fn sorted(&self) -> Vec<&[u8]> {
        let mut words: Vec<&[u8]> = self.table.iter().map(|&range| self.word(range)).collect();
        words.sort_unstable();
        words
    }
}

impl<'a> FromIterator<&'a [u8]> for WordSet {
    fn from_iter<I: IntoIterator<Item = &'a [u8]>>(words: I) -> WordSet {
        let mut set = WordSet::default();
        for word in words {
            set.insert(word);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_each_word_once() {
        let set: WordSet = ["old", "pkg", "old", "", "pkg_old"]
            .iter()
            .map(|w| w.as_bytes())
            .collect();
        assert_eq!(set.sorted().len(), 4);
        assert!(set.contains(b"old") && set.contains(b"") && set.contains(b"pkg_old"));
        assert!(!set.contains(b"ol") && !set.contains(b"pkg_") && !set.contains(b"olde"));
        assert_eq!(set.sorted(), [&b""[..], b"old", b"pkg", b"pkg_old"]);
        let mut many = WordSet::default();
        for i in 0..10_000 {
            many.insert(format!("w{i}").as_bytes());
        }
        assert_eq!(many.sorted().len(), 10_000);
        assert!((0..10_000).all(|i| many.contains(format!("w{i}").as_bytes())));
        assert!(!many.contains(b"w10000"));
    }
}
