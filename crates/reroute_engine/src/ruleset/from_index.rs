//! The moves by their `from` path: which move has exactly this `from`, and which moves lie
//! under this prefix (a trie). Both tables hold move and node numbers only, never a copy of
//! a segment: a segment is read back from the move that named it. A codemod of 500,000
//! moves builds two flat hash tables and a few flat vectors here, not a map per node.
//! Move, node and list numbers are `u32`: a rule set holds fewer than 4 G moves.

use hashbrown::HashTable;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

use super::groups::Groups;
use crate::spec::{Identifier, Move};

/// Each move's number once per proper prefix of its `from`, in move order (what the trie
/// walk of `FromIndex::build` lists its nodes in).
fn index_moves(moves: &[Move]) -> impl Iterator<Item = u32> + Clone + '_ {
    moves.iter().enumerate().flat_map(|(number, spec_move)| {
        std::iter::repeat_n(number as u32, spec_move.from.len() - 1)
    })
}

/// The moves by `from`: exact matches and proper prefixes.
#[derive(Debug, Clone, Default)]
pub(super) struct FromIndex {
    /// Move numbers, hashed by their whole `from`.
    exact: HashTable<u32>,
    /// Trie nodes; node 0 is the root (the empty prefix, never listed).
    nodes: Vec<Node>,
    /// Node numbers (not the root), hashed by their parent and their last segment.
    children: HashTable<u32>,
    /// The moves under each node, in move order.
    under: Groups,
    /// Bit `n` (below 63) set: some `from` has `n` segments; bit 63: some has 63 or more.
    lengths: u64,
}

fn length_bit(segments: usize) -> u64 {
    1 << segments.min(63)
}

/// One proper prefix of some `from`.
#[derive(Debug, Clone, Copy, Default)]
struct Node {
    parent: u32,
    /// The first move whose `from` runs through this node: its segment `depth` is the
    /// node's last segment.
    named_by: u32,
    depth: u32,
}

/// Two moves with the same `from` (the first one's number, then the second's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Duplicate {
    pub first: usize,
    pub second: usize,
}

fn hash_path(segments: &[Identifier]) -> u64 {
    let mut hasher = FxHasher::default();
    segments.len().hash(&mut hasher);
    for segment in segments {
        segment.as_str().hash(&mut hasher);
    }
    hasher.finish()
}

fn hash_child(parent: u32, segment: &Identifier) -> u64 {
    let mut hasher = FxHasher::default();
    parent.hash(&mut hasher);
    segment.as_str().hash(&mut hasher);
    hasher.finish()
}

impl FromIndex {
    /// Indexes `moves` by their `from`; the first pair with the same `from` is an error.
    pub(super) fn build(moves: &[Move]) -> Result<FromIndex, Duplicate> {
        let from = |index: u32| moves[index as usize].from.segments();
        let mut index = FromIndex {
            exact: HashTable::with_capacity(moves.len()),
            nodes: vec![Node::default()],
            ..FromIndex::default()
        };
        for (number, spec_move) in moves.iter().enumerate() {
            let segments = spec_move.from.segments();
            index.lengths |= length_bit(segments.len());
            let hash = hash_path(segments);
            if let Some(&first) = index.exact.find(hash, |&other| from(other) == segments) {
                return Err(Duplicate {
                    first: first as usize,
                    second: number,
                });
            }
            index
                .exact
                .insert_unique(hash, number as u32, |&other| hash_path(from(other)));
        }
        // Each move's prefix nodes, move after move, then the lists in move order.
        let prefixes: usize = moves.iter().map(|m| m.from.len() - 1).sum();
        // Room for every node up front: a rehash would read every node's segment again.
        index.children.reserve(prefixes, |_| 0);
        let mut path_nodes: Vec<u32> = Vec::with_capacity(prefixes);
        for (number, spec_move) in moves.iter().enumerate() {
            let segments = spec_move.from.segments();
            let mut node = 0u32;
            for (depth, segment) in segments[..segments.len() - 1].iter().enumerate() {
                let hash = hash_child(node, segment);
                let nodes = &index.nodes;
                let found = index.children.find(hash, |&child| {
                    let n = nodes[child as usize];
                    n.parent == node && &from(n.named_by)[n.depth as usize] == segment
                });
                node = match found {
                    Some(&child) => child,
                    None => {
                        let child = index.nodes.len() as u32;
                        index.nodes.push(Node {
                            parent: node,
                            named_by: number as u32,
                            depth: depth as u32,
                        });
                        let nodes = &index.nodes;
                        index.children.insert_unique(hash, child, |&other| {
                            let n = nodes[other as usize];
                            hash_child(n.parent, &from(n.named_by)[n.depth as usize])
                        });
                        child
                    }
                };
                path_nodes.push(node);
            }
        }
        index.under = Groups::new(
            index.nodes.len(),
            path_nodes.iter().copied().zip(index_moves(moves)),
        );
        Ok(index)
    }

    /// The move whose `from` is `path`.
    pub(super) fn exact(&self, moves: &[Move], path: &[Identifier]) -> Option<usize> {
        if self.lengths & length_bit(path.len()) == 0 {
            return None;
        }
        self.exact
            .find(hash_path(path), |&other| {
                moves[other as usize].from.segments() == path
            })
            .map(|&number| number as usize)
    }

    /// The child of `node` by `segment`.
    fn child(&self, moves: &[Move], node: u32, segment: &Identifier) -> Option<u32> {
        self.children
            .find(hash_child(node, segment), |&child| {
                let n = self.nodes[child as usize];
                n.parent == node
                    && &moves[n.named_by as usize].from.segments()[n.depth as usize] == segment
            })
            .copied()
    }

    /// The moves whose `from` lies strictly under `path`, in move order (`None` when none
    /// does).
    pub(super) fn under(&self, moves: &[Move], path: &[Identifier]) -> Option<&[u32]> {
        if path.is_empty() {
            return None;
        }
        let mut node = 0u32;
        for segment in path {
            node = self.child(moves, node, segment)?;
        }
        Some(self.under.of(node))
    }

    /// True when some `from` is `path`, a prefix of it or under it: one walk down the
    /// trie, which stops where no `from` goes on.
    pub(super) fn touches(&self, moves: &[Move], path: &[Identifier]) -> bool {
        let mut node = 0u32;
        for (depth, segment) in path.iter().enumerate() {
            // `path[..depth]` is a proper prefix of some `from` (or empty): only then can
            // one more segment make a whole `from`.
            if self.exact(moves, &path[..=depth]).is_some() {
                return true;
            }
            match self.child(moves, node, segment) {
                Some(child) => node = child,
                None => return false,
            }
        }
        true
    }
}
