//! Numbers grouped by a group number, in two flat arrays (what a map from each group to a
//! list would hold, without a list per group).

/// Members by group: group `g`'s are `members[starts[g]..starts[g + 1]]`, in the order they
/// were given.
#[derive(Debug, Clone, Default)]
pub(super) struct Groups {
    starts: Vec<u32>,
    members: Vec<u32>,
}

impl Groups {
    /// Groups the `(group, member)` pairs of `pairs` (read twice: counted, then placed)
    /// into `groups` groups.
    pub(super) fn new<I>(groups: usize, pairs: I) -> Groups
    where
        I: Iterator<Item = (u32, u32)> + Clone,
    {
        let mut starts = vec![0u32; groups + 1];
        for (group, _) in pairs.clone() {
            starts[group as usize + 1] += 1;
        }
        for at in 1..starts.len() {
            starts[at] += starts[at - 1];
        }
        let mut next = starts.clone();
        let mut members = vec![0; starts[groups] as usize];
        for (group, member) in pairs {
            let slot = &mut next[group as usize];
            members[*slot as usize] = member;
            *slot += 1;
        }
        Groups { starts, members }
    }

    /// The members of `group`.
    pub(super) fn of(&self, group: u32) -> &[u32] {
        let at = group as usize;
        &self.members[self.starts[at] as usize..self.starts[at + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_by_group_in_order() {
        let pairs = [(2, 10), (0, 11), (2, 12), (2, 13), (0, 14)];
        let groups = Groups::new(4, pairs.iter().copied());
        assert_eq!(groups.of(0), [11, 14]);
        assert!(groups.of(1).is_empty());
        assert_eq!(groups.of(2), [10, 12, 13]);
        assert!(groups.of(3).is_empty());
    }
}
