//! One stable sort for the whole app, on row or key indexes with a comparator behind `&dyn`,
//! and [`SortedSet`], the small ordered set of the query's filters.
//!
//! Every `slice::sort_by` call with its own closure makes the compiler emit a private copy of
//! the standard library's sort (≈ 4–5 KB of wasm each). The report sorts only index lists
//! (row numbers, dictionary keys), so it sorts them all here: one copy, small code, stable.

use std::cmp::Ordering;

/// Runs shorter than this are sorted by insertion before merging.
const RUN: usize = 16;

/// Sorts `items` stably by `cmp` (a bottom-up merge sort: `n log n` comparisons, one
/// scratch buffer of `n` entries).
pub fn stable_sort(items: &mut [u32], cmp: &dyn Fn(u32, u32) -> Ordering) {
    let n = items.len();
    for chunk in items.chunks_mut(RUN) {
        insertion_sort(chunk, cmp);
    }
    if n <= RUN {
        return;
    }
    let mut scratch = items.to_vec();
    let mut width = RUN;
    // `src_is_items`: which buffer holds the sorted runs of the current width.
    let mut src_is_items = true;
    while width < n {
        let (src, dst): (&[u32], &mut [u32]) = if src_is_items {
            (&*items, &mut scratch[..])
        } else {
            (&scratch[..], &mut *items)
        };
        merge_pass(src, dst, width, cmp);
        src_is_items = !src_is_items;
        width *= 2;
    }
    if !src_is_items {
        items.copy_from_slice(&scratch);
    }
}

/// The indexes `0..len` ordered stably by `cmp`. `cmp` is only ever called with indexes
/// below `len`, so a comparator may index a slice of length `len` directly (the callers'
/// `values[a]`).
pub fn sorted_indexes(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut keys: Vec<u32> = (0..u32::try_from(len).unwrap_or(u32::MAX)).collect();
    stable_sort(&mut keys, &|a, b| cmp(a as usize, b as usize));
    keys.into_iter().map(|k| k as usize).collect()
}

/// Sorts a list of indexes (row or key numbers below `u32::MAX`) stably by `cmp`, through
/// [`stable_sort`], so that no caller links a copy of the standard library's sort. `cmp` is
/// only ever called with entries of `items`.
pub fn sort_indexes(items: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    let mut keys: Vec<u32> = items.iter().map(|&i| i as u32).collect();
    stable_sort(&mut keys, &|a, b| cmp(a as usize, b as usize));
    for (slot, key) in items.iter_mut().zip(keys) {
        *slot = key as usize;
    }
}

fn insertion_sort(items: &mut [u32], cmp: &dyn Fn(u32, u32) -> Ordering) {
    // `j <= i < items.len()` throughout.
    for i in 1..items.len() {
        let item = items[i];
        let mut j = i;
        while j > 0 && cmp(items[j - 1], item) == Ordering::Greater {
            items[j] = items[j - 1];
            j -= 1;
        }
        items[j] = item;
    }
}

/// Merges each pair of neighbouring sorted runs of `width` from `src` into `dst`.
fn merge_pass(src: &[u32], dst: &mut [u32], width: usize, cmp: &dyn Fn(u32, u32) -> Ordering) {
    // `i < mid`, `j < end` and `k < end`, all at most `n`: in bounds of both buffers.
    debug_assert_eq!(src.len(), dst.len());
    let n = src.len();
    let mut start = 0;
    while start < n {
        let mid = (start + width).min(n);
        let end = (start + 2 * width).min(n);
        let (mut i, mut j, mut k) = (start, mid, start);
        while i < mid && j < end {
            // `<=` on the left run keeps equal items in their original order.
            if cmp(src[j], src[i]) == Ordering::Less {
                dst[k] = src[j];
                j += 1;
            } else {
                dst[k] = src[i];
                i += 1;
            }
            k += 1;
        }
        dst[k..k + (mid - i)].copy_from_slice(&src[i..mid]);
        k += mid - i;
        dst[k..k + (end - j)].copy_from_slice(&src[j..end]);
        start = end;
    }
}

/// A small ordered set kept as a sorted `Vec`: the filter sets of a query hold a handful of
/// statuses or priorities, where a `BTreeSet` only adds code (≈ 5 KB of wasm per key type).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SortedSet<T>(Vec<T>);

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T: Ord> SortedSet<T> {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `value`; `false` if it was already there.
    pub fn insert(&mut self, value: T) -> bool {
        match self.0.binary_search(&value) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, value);
                true
            }
        }
    }

    /// Removes `value`; `false` if it was not there.
    pub fn remove(&mut self, value: &T) -> bool {
        match self.0.binary_search(value) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// Adds `value` if absent, removes it if present.
    pub fn toggle(&mut self, value: T) {
        if let Err(at) = self.0.binary_search(&value) {
            self.0.insert(at, value);
        } else {
            self.remove(&value);
        }
    }

    /// Whether `value` is in the set.
    pub fn contains(&self, value: &T) -> bool {
        self.0.binary_search(value).is_ok()
    }
}

impl<T> SortedSet<T> {
    /// The values in ascending order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// How many values the set holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The smallest value.
    pub fn first(&self) -> Option<&T> {
        self.0.first()
    }

    /// Removes every value.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

impl<T: Ord> Extend<T> for SortedSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, values: I) {
        for value in values {
            self.insert(value);
        }
    }
}

impl<T: Ord> FromIterator<T> for SortedSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(values: I) -> Self {
        let mut set = Self::new();
        set.extend(values);
        set
    }
}

impl<T: Ord, const N: usize> From<[T; N]> for SortedSet<T> {
    fn from(values: [T; N]) -> Self {
        values.into_iter().collect()
    }
}

impl<'a, T> IntoIterator for &'a SortedSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency needed).
    fn pseudo_random(n: usize, seed: u64, modulo: u32) -> Vec<u32> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % u64::from(modulo)) as u32
            })
            .collect()
    }

    #[test]
    fn sorts_like_the_standard_library_and_keeps_equal_items_in_order() {
        for (n, modulo) in [
            (0, 1),
            (1, 5),
            (15, 3),
            (16, 3),
            (17, 3),
            (100, 7),
            (1000, 10),
            (4099, 1000),
        ] {
            let keys = pseudo_random(n, 0x9E37_79B9 + n as u64, modulo);
            // Sort positions by key: stability shows in the positions of equal keys.
            let mut ours: Vec<u32> = (0..n as u32).collect();
            stable_sort(&mut ours, &|a, b| keys[a as usize].cmp(&keys[b as usize]));
            let mut reference: Vec<u32> = (0..n as u32).collect();
            reference.sort_by_key(|&i| keys[i as usize]);
            assert_eq!(ours, reference, "n = {n}");
        }
    }

    #[test]
    fn reverse_and_presorted_input() {
        let mut desc: Vec<u32> = (0..500).rev().collect();
        stable_sort(&mut desc, &|a, b| a.cmp(&b));
        assert_eq!(desc, (0..500).collect::<Vec<_>>());
        let mut asc: Vec<u32> = (0..500).collect();
        stable_sort(&mut asc, &|a, b| b.cmp(&a));
        assert_eq!(asc, (0..500).rev().collect::<Vec<_>>());
    }

    #[test]
    fn sorted_set_keeps_values_unique_and_ordered() {
        let mut set: SortedSet<u8> = [5, 1, 3, 1].into_iter().collect();
        assert_eq!(set.iter().copied().collect::<Vec<_>>(), [1, 3, 5]);
        assert!(!set.insert(3));
        assert!(set.insert(4));
        assert!(set.remove(&1) && !set.remove(&1));
        set.toggle(5);
        set.toggle(9);
        assert_eq!(set.iter().copied().collect::<Vec<_>>(), [3, 4, 9]);
        assert_eq!(
            (set.first(), set.len(), set.contains(&4)),
            (Some(&3), 3, true)
        );
        set.clear();
        assert!(set.is_empty());
    }

    #[test]
    fn sorted_indexes_orders_keys_by_their_values() {
        let values = ["c", "a", "b", "a"];
        assert_eq!(
            sorted_indexes(values.len(), &|a, b| values[a].cmp(values[b])),
            vec![1, 3, 2, 0]
        );
    }

    #[test]
    fn sort_indexes_is_stable_and_writes_back_the_order() {
        let keys = pseudo_random(300, 7, 4);
        let mut ours: Vec<usize> = (0..300).rev().collect();
        sort_indexes(&mut ours, &|a, b| keys[a].cmp(&keys[b]));
        let mut reference: Vec<usize> = (0..300).rev().collect();
        reference.sort_by_key(|&i| keys[i]);
        assert_eq!(ours, reference);
    }
}
