//! ID ranges over a snapshot's sorted task IDs (issue 15): the ranges the incremental
//! refresh probes, the gaps between stored IDs, and what the snapshot holds in a range.
//! Pure arithmetic; the refresh itself is `report::refresh`.
//!
//! Lists of tasks are ordered through [`newest_first`], on their IDs with the app's one index
//! sort (`report::order`): no sort or ordered map of tasks of its own, each of which would
//! bring the standard library's code again for its element type (README "Sizes").

use crate::report::order::sorted_indexes;

/// An inclusive ID range; `hi` none means open-ended (IDs beyond the snapshot).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IdRange {
    /// Smallest ID of the range.
    pub lo: u64,
    /// Largest ID of the range; none: no upper bound.
    pub hi: Option<u64>,
}

impl IdRange {
    /// True when `id` lies in the range.
    pub fn contains(&self, id: u64) -> bool {
        id >= self.lo && self.hi.is_none_or(|hi| id <= hi)
    }

    /// True when `inner` lies wholly inside the range.
    pub fn covers(&self, inner: IdRange) -> bool {
        inner.lo >= self.lo
            && match (self.hi, inner.hi) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => b <= a,
            }
    }
}

/// The indexes of `ids` ordered by ID, largest first, each ID once: of an ID listed more
/// than once, the last occurrence (as a map filled in list order keeps it). Every index
/// returned is below `ids.len()` (callers index `ids`' source list with it).
pub fn newest_first(ids: &[u64]) -> Vec<usize> {
    let mut order = sorted_indexes(ids.len(), &|a, b| ids[b].cmp(&ids[a]).then(b.cmp(&a)));
    order.dedup_by_key(|i| ids[*i]);
    order
}

/// The stored IDs (ascending, unique) that lie in `range`.
pub fn inside(ids: &[u64], range: IdRange) -> &[u64] {
    let a = ids.partition_point(|&id| id < range.lo);
    let b = match range.hi {
        Some(hi) => ids.partition_point(|&id| id <= hi),
        None => ids.len(),
    };
    ids.get(a..b.max(a)).unwrap_or(&[])
}

/// Splits `range` into up to `parts` ranges holding about equal numbers of the stored
/// `ids` (ascending, unique); every part but the last ends at a stored ID, so each gap
/// between stored IDs lies wholly in one part. `offset` (any number) moves the inner
/// boundaries by up to one part's worth of IDs. Never returns an empty list.
pub fn partition(ids: &[u64], range: IdRange, parts: usize, offset: u64) -> Vec<IdRange> {
    let own = inside(ids, range);
    let parts = parts.clamp(1, own.len().max(1));
    let step = own.len() / parts;
    let shift = if step > 1 {
        usize::try_from(offset % step as u64).unwrap_or(0)
    } else {
        0
    };
    let mut out = Vec::with_capacity(parts);
    let mut start = range.lo;
    for i in 1..parts {
        let Some(&end) = own.get(i * step + shift - 1) else {
            break;
        };
        if end >= start && range.hi.is_none_or(|h| end < h) {
            out.push(IdRange {
                lo: start,
                hi: Some(end),
            });
            start = end + 1;
        }
    }
    out.push(IdRange {
        lo: start,
        hi: range.hi,
    });
    out
}

/// The gaps of the stored IDs below the largest one: maximal runs of IDs from 1 that the
/// snapshot does not hold (tasks deleted or invisible when it was taken), ascending.
pub fn gaps(ids: &[u64]) -> Vec<IdRange> {
    let mut out = Vec::new();
    let mut next = 1;
    for &id in ids {
        if id > next {
            out.push(IdRange {
                lo: next,
                hi: Some(id - 1),
            });
        }
        next = id.saturating_add(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(lo: u64, hi: Option<u64>) -> IdRange {
        IdRange { lo, hi }
    }

    #[test]
    fn partition_ends_parts_at_stored_ids_and_keeps_gaps_whole() {
        let ids = [2, 3, 7, 8, 9, 20];
        let parts = partition(&ids, r(1, Some(20)), 3, 0);
        assert_eq!(
            parts,
            vec![r(1, Some(3)), r(4, Some(8)), r(9, Some(20))],
            "each part holds two stored IDs; the gap 4..6 is in the second"
        );
        let shifted = partition(&ids, r(1, None), 3, 1);
        assert_eq!(shifted, vec![r(1, Some(7)), r(8, Some(9)), r(10, None)]);
    }

    #[test]
    fn partition_of_few_or_no_ids_is_one_range() {
        assert_eq!(partition(&[], r(1, None), 8, 0), vec![r(1, None)]);
        assert_eq!(partition(&[5], r(1, Some(5)), 8, 3), vec![r(1, Some(5))]);
    }

    #[test]
    fn newest_first_orders_ids_down_and_keeps_the_last_of_a_repeated_id() {
        let ids = [5, 9, 1, 9, 5, 7];
        assert_eq!(newest_first(&ids), vec![3, 5, 4, 2]);
        assert!(newest_first(&[]).is_empty());
        let many: Vec<u64> = (0..1000).map(|i| (i * 7919) % 1000).collect();
        let order = newest_first(&many);
        let got: Vec<u64> = order.iter().map(|&i| many[i]).collect();
        assert_eq!(got, (0..1000).rev().collect::<Vec<u64>>());
    }

    #[test]
    fn gaps_and_inside() {
        assert_eq!(gaps(&[1, 2, 5, 9]), vec![r(3, Some(4)), r(6, Some(8))]);
        assert_eq!(gaps(&[3]), vec![r(1, Some(2))]);
        assert!(gaps(&[]).is_empty());
        assert_eq!(inside(&[1, 2, 5, 9], r(2, Some(8))), &[2, 5]);
        assert_eq!(inside(&[1, 2, 5, 9], r(10, None)), &[] as &[u64]);
        assert!(r(1, None).covers(r(5, Some(9))));
        assert!(!r(1, Some(9)).covers(r(5, None)));
    }
}
