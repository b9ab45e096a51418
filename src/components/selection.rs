//! [`Selection`]: the selected rows of a task table — click, Shift+click (a range from the
//! anchor), Ctrl/Cmd+click (toggle), Ctrl/Cmd+A (every shown row) — kept as row indexes of
//! the table, so a selection survives a re-sort; only rows the query shows are ever copied.

use std::rc::Rc;

use crate::report::order;

/// Sorts row indexes with the app's one sort (no extra copy of the standard library's).
fn sort(rows: &mut [u32]) {
    order::stable_sort(rows, &|a, b| a.cmp(&b));
}

/// The selected rows of one table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Every shown row (Ctrl/Cmd+A), whatever `rows` holds.
    all: bool,
    /// Selected row indexes, sorted.
    rows: Vec<u32>,
    /// The position (in the shown order) a Shift+click extends from.
    anchor: usize,
}

impl Selection {
    /// True when nothing is selected.
    pub fn is_empty(&self) -> bool {
        !self.all && self.rows.is_empty()
    }

    /// True when `row` is selected.
    pub fn contains(&self, row: u32) -> bool {
        self.all || self.rows.binary_search(&row).is_ok()
    }

    /// Only the row at `pos` of `shown` (a plain click, or the keyboard's Space).
    pub fn only(shown: &[u32], pos: usize) -> Self {
        Self {
            all: false,
            rows: shown.get(pos).copied().into_iter().collect(),
            anchor: pos,
        }
    }

    /// The row at `pos` added or removed (Ctrl/Cmd+click); it becomes the anchor.
    pub fn toggled(&self, shown: &[u32], pos: usize) -> Self {
        let mut rows = if self.all {
            let mut all = shown.to_vec();
            sort(&mut all);
            all
        } else {
            self.rows.clone()
        };
        if let Some(&row) = shown.get(pos) {
            match rows.binary_search(&row) {
                Ok(at) => {
                    rows.remove(at);
                }
                Err(at) => rows.insert(at, row),
            }
        }
        Self {
            all: false,
            rows,
            anchor: pos,
        }
    }

    /// The rows from the anchor to `pos` (Shift+click, Shift+arrow); the anchor stays.
    pub fn extended(&self, shown: &[u32], pos: usize) -> Self {
        let (from, to) = (self.anchor.min(pos), self.anchor.max(pos));
        let mut rows: Vec<u32> = shown
            .get(from..=to.min(shown.len().saturating_sub(1)))
            .unwrap_or_default()
            .to_vec();
        sort(&mut rows);
        Self {
            all: false,
            rows,
            anchor: self.anchor,
        }
    }

    /// Every shown row (Ctrl/Cmd+A).
    pub fn everything() -> Self {
        Self {
            all: true,
            rows: Vec::new(),
            anchor: 0,
        }
    }

    /// The selected rows among `shown`, in the shown order.
    pub fn picked(&self, shown: &[u32]) -> Vec<u32> {
        if self.all {
            return shown.to_vec();
        }
        shown
            .iter()
            .copied()
            .filter(|&r| self.contains(r))
            .collect()
    }

    /// How many of `shown` are selected.
    pub fn count(&self, shown: &Rc<[u32]>) -> usize {
        if self.all {
            shown.len()
        } else {
            self.rows.len()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn click_shift_click_ctrl_click_and_select_all() {
        // Shown order (row indexes): 40, 10, 30, 20, 50.
        let shown = [40, 10, 30, 20, 50];
        let one = Selection::only(&shown, 1);
        assert_eq!(one.picked(&shown), [10]);
        let range = one.extended(&shown, 3);
        assert_eq!(range.picked(&shown), [10, 30, 20]);
        // Extending again starts from the same anchor, also upwards.
        assert_eq!(range.extended(&shown, 0).picked(&shown), [40, 10]);
        let toggled = range.toggled(&shown, 2).toggled(&shown, 4);
        assert_eq!(toggled.picked(&shown), [10, 20, 50]);
        assert!(!toggled.contains(30) && toggled.contains(50));
        let all = Selection::everything();
        assert_eq!(all.picked(&shown), shown);
        assert_eq!(all.toggled(&shown, 0).picked(&shown), [10, 30, 20, 50]);
        // Rows the query no longer shows are not copied; positions past the end are ignored.
        assert_eq!(toggled.picked(&[50, 10]), [50, 10]);
        assert!(Selection::only(&shown, 9).is_empty());
        assert_eq!(one.extended(&shown, 99).picked(&shown), [10, 30, 20, 50]);
        assert!(Selection::default().is_empty() && !all.is_empty());
    }
}
