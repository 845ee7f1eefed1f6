//! A set of byte strings kept in one buffer: no allocation per word, so that the tables a
//! codemod of 500,000 moves needs (last segments, first segments, new homes) cost their
//! bytes and a few more per word, not a heap block each.

use hashbrown::HashTable;
use rustc_hash::FxHasher;
use std::hash::Hasher;

/// A set of byte strings, each numbered in the order it was first inserted.
#[derive(Debug, Clone, Default)]
pub struct WordSet {
    /// Every word, one after the other.
    bytes: Vec<u8>,
    /// Each word's range of `bytes`, by number.
    spans: Vec<(u32, u32)>,
    /// Word numbers, hashed by their text.
    table: HashTable<u32>,
    /// The first bytes and lengths (bit `n`: length `n`, 63 and more in bit 63) of the
    /// words: most words a file holds fail one of these before any hashing.
    first_bytes: [u64; 4],
    lengths: u64,
}

fn length_bit(word: &[u8]) -> u64 {
    1 << word.len().min(63)
}

fn hash(word: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(word);
    hasher.finish()
}

impl WordSet {
    /// An empty set with room for `words` words of `bytes` bytes in all.
    pub fn with_capacity(words: usize, bytes: usize) -> WordSet {
        WordSet {
            bytes: Vec::with_capacity(bytes),
            spans: Vec::with_capacity(words),
            table: HashTable::with_capacity(words),
            ..WordSet::default()
        }
    }

    /// The word numbered `number`.
    pub fn word(&self, number: u32) -> &[u8] {
        let (start, end) = self.spans[number as usize];
        &self.bytes[start as usize..end as usize]
    }

    /// Adds `word` (once); its number.
    pub fn insert(&mut self, word: &[u8]) -> u32 {
        let hash = hash(word);
        if let Some(number) = self.get_hashed(hash, word) {
            return number;
        }
        let number = self.spans.len() as u32;
        if let Some(&first) = word.first() {
            self.first_bytes[usize::from(first >> 6)] |= 1 << (first & 63);
        }
        self.lengths |= length_bit(word);
        let start = self.bytes.len() as u32;
        self.bytes.extend_from_slice(word);
        self.spans.push((start, self.bytes.len() as u32));
        let (bytes, spans) = (&self.bytes, &self.spans);
        self.table.insert_unique(hash, number, |&other| {
            let (start, end) = spans[other as usize];
            self::hash(&bytes[start as usize..end as usize])
        });
        number
    }

    fn get_hashed(&self, hash: u64, word: &[u8]) -> Option<u32> {
        self.table
            .find(hash, |&number| self.word(number) == word)
            .copied()
    }

    /// The number of `word`, when it is in the set.
    pub fn get(&self, word: &[u8]) -> Option<u32> {
        if self.lengths & length_bit(word) == 0 {
            return None;
        }
        if let Some(&first) = word.first()
            && self.first_bytes[usize::from(first >> 6)] & (1 << (first & 63)) == 0
        {
            return None;
        }
        self.get_hashed(hash(word), word)
    }

    /// True when `word` is in the set.
    pub fn contains(&self, word: &[u8]) -> bool {
        self.get(word).is_some()
    }

    /// True when the set holds no word.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// How many words the set holds.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// The words, by number.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.spans.len() as u32).map(|number| self.word(number))
    }

    /// The words, sorted.
    pub fn sorted(&self) -> Vec<&[u8]> {
        let mut words: Vec<&[u8]> = self.iter().collect();
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
        assert_eq!(set.len(), 4);
        assert_eq!(set.get(b"pkg"), Some(1));
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [&b"old"[..], b"pkg", b"", b"pkg_old"]
        );
        assert!(set.contains(b"old") && set.contains(b"") && set.contains(b"pkg_old"));
        assert!(!set.contains(b"ol") && !set.contains(b"pkg_") && !set.contains(b"olde"));
        assert_eq!(set.sorted(), [&b""[..], b"old", b"pkg", b"pkg_old"]);
        let mut many = WordSet::default();
        for i in 0..10_000 {
            many.insert(format!("w{i}").as_bytes());
        }
        assert_eq!(many.len(), 10_000);
        assert!((0..10_000).all(|i| many.contains(format!("w{i}").as_bytes())));
        assert!(!many.contains(b"w10000"));
    }
}
