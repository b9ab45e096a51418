//! Page validation: does a page fit the request it answers?
//!
//! Chained batch commands reference the previous page (`$result[p0][49][ID]`). When that
//! page is short, empty or failed, the portal substitutes garbage (the whole rows array, `[]`
//! or the whole result map), and the next page silently answers a different question: a
//! vanished `<ID` filter restarts from the top (duplicates), an array behaves like `<ID 1`
//! (an empty page). So every page is checked: at most `page_size` rows, all inside the
//! requested window; in a chain, nothing after the first short or invalid page is used, and
//! the loader resumes from the last valid cursor.
//!
//! Rows out of order or repeated inside one page (a portal whose SQL join repeats a task, or
//! sorts unstably) do not make the page invalid: the window still proves the page answers its
//! request, the loader keeps each ID once and says how many repeats it dropped, and the next
//! page continues below the row the portal itself chains from (`[page_size-1][ID]`), so a
//! row of the window can be fetched twice but never skipped.
//!
//! Pure; rows are given as their IDs (`None` for a row without a usable ID).

use std::fmt;

use crate::report::task::TaskId;

/// The ID window a page was requested for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Exclusive upper bound (`<ID`), if any.
    pub below: Option<TaskId>,
    /// Inclusive upper bound (`<=ID`, the page-number strategy's ceiling), if any.
    pub at_most: Option<TaskId>,
    /// Exclusive lower bound (`>ID`); `TaskId(0)` means none.
    pub above: TaskId,
}

impl Window {
    /// Its bounds as ID comparisons (`ID > 5, ID < 9`), for error texts: a derived `Debug`
    /// in a shipped message links core's Debug formatting into the wasm.
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ID > {}", self.above)?;
        if let Some(below) = self.below {
            write!(f, ", ID < {below}")?;
        }
        if let Some(at_most) = self.at_most {
            write!(f, ", ID <= {at_most}")?;
        }
        Ok(())
    }

    /// Every task (`>ID 0`).
    pub const ALL: Self = Self {
        below: None,
        at_most: None,
        above: TaskId(0),
    };

    /// Tasks with `above < ID < below`.
    pub fn between(below: TaskId, above: TaskId) -> Self {
        Self {
            below: Some(below),
            at_most: None,
            above,
        }
    }

    /// Tasks with `ID <= ceiling`.
    pub fn at_most(ceiling: TaskId) -> Self {
        Self {
            below: None,
            at_most: Some(ceiling),
            above: TaskId(0),
        }
    }

    /// True if `id` is inside the window.
    pub fn contains(&self, id: TaskId) -> bool {
        id > self.above && self.below.is_none_or(|b| id < b) && self.at_most.is_none_or(|m| id <= m)
    }
}

/// Why a page was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageFault {
    /// More rows than the page size.
    TooManyRows {
        /// Rows received.
        rows: usize,
        /// The page size.
        max: usize,
    },
    /// An ID outside the requested window (e.g. not below the cursor: the filter vanished).
    OutOfWindow {
        /// The offending ID.
        id: TaskId,
        /// The window requested.
        window: Window,
    },
    /// The previous page was full but its last row had no usable ID, so the reference to
    /// it resolved to garbage.
    BrokenChain,
}

impl fmt::Display for PageFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooManyRows { rows, max } => write!(f, "page has {rows} rows (max {max})"),
            Self::OutOfWindow { id, window } => {
                write!(f, "ID {id} outside the requested window (")?;
                window.describe(f)?;
                f.write_str(")")
            }
            Self::BrokenChain => f.write_str("previous page ended with a row without ID"),
        }
    }
}

/// A page that fits its request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageCheck {
    /// Rows in the page (including rows without a usable ID).
    pub rows: usize,
    /// The page has `page_size` rows (more may follow).
    pub full: bool,
    /// The lowest usable ID of the page (its last one when the portal sorts), if any.
    pub last_id: Option<TaskId>,
    /// The highest usable ID of the page (its first one when the portal sorts), if any.
    pub first_id: Option<TaskId>,
    /// What `$result[key][page_size-1][ID]` resolves to: the ID of the row at index
    /// `page_size-1` when the page is full and that row has a usable ID.
    pub chain_id: Option<TaskId>,
}

/// Checks one page against its window.
///
/// # Errors
/// The first [`PageFault`] found.
pub fn check_page(
    window: &Window,
    ids: &[Option<TaskId>],
    page_size: usize,
) -> Result<PageCheck, PageFault> {
    if ids.len() > page_size {
        return Err(PageFault::TooManyRows {
            rows: ids.len(),
            max: page_size,
        });
    }
    let mut lowest: Option<TaskId> = None;
    let mut highest: Option<TaskId> = None;
    for id in ids.iter().flatten() {
        if !window.contains(*id) {
            return Err(PageFault::OutOfWindow {
                id: *id,
                window: *window,
            });
        }
        lowest = Some(lowest.map_or(*id, |l| l.min(*id)));
        highest = Some(highest.map_or(*id, |h| h.max(*id)));
    }
    let full = ids.len() == page_size;
    Ok(PageCheck {
        rows: ids.len(),
        full,
        last_id: lowest,
        first_id: highest,
        chain_id: if full {
            ids.last().copied().flatten()
        } else {
            None
        },
    })
}

impl PageCheck {
    /// Where the next page of this window starts (`<ID cursor`): below the row the portal
    /// chains from when the page is full, else below the lowest ID. For a sorted page both
    /// are the same; for an unsorted one the chained row is at least the lowest, so rows can
    /// come again (and are dropped as repeats) but none is skipped.
    pub fn cursor(&self) -> Option<TaskId> {
        self.chain_id.or(self.last_id)
    }
}

/// The verdict on a chain of keyset pages (`p0` below a literal cursor, `p_i` below the last
/// ID of `p_{i-1}`), all above the same lower bound.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainVerdict {
    /// How many leading pages are valid and usable (their rows may be kept).
    pub accepted: usize,
    /// A short valid page was reached: nothing is left in the window.
    pub finished: bool,
    /// The cursor to continue from (`<ID cursor`): the last usable ID of the accepted pages,
    /// or the starting cursor if none.
    pub cursor: TaskId,
    /// The first rejected page and why (pages after a short page are discarded silently).
    pub fault: Option<(usize, PageFault)>,
}

/// Checks a chain of pages that answered commands chained from `start` within
/// `(above, start)`. `pages` stops at the first command without a page (error or missing).
pub fn check_chain(
    start: TaskId,
    above: TaskId,
    pages: &[&[Option<TaskId>]],
    page_size: usize,
) -> ChainVerdict {
    let mut verdict = ChainVerdict {
        accepted: 0,
        finished: false,
        cursor: start,
        fault: None,
    };
    // The cursor the next page was requested with (None: the reference is garbage).
    let mut next_cursor = Some(start);
    for (i, ids) in pages.iter().enumerate() {
        let Some(cursor) = next_cursor else {
            verdict.fault = Some((i, PageFault::BrokenChain));
            break;
        };
        match check_page(&Window::between(cursor, above), ids, page_size) {
            Ok(check) => {
                verdict.accepted = i + 1;
                if let Some(cursor) = check.cursor() {
                    verdict.cursor = cursor;
                }
                if !check.full {
                    verdict.finished = true;
                    break;
                }
                next_cursor = check.chain_id;
            }
            Err(fault) => {
                verdict.fault = Some((i, fault));
                break;
            }
        }
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: impl IntoIterator<Item = u64>) -> Vec<Option<TaskId>> {
        v.into_iter().map(|i| Some(TaskId(i))).collect()
    }

    fn range(hi: u64, n: u64) -> Vec<Option<TaskId>> {
        ids((0..n).map(|k| hi - k))
    }

    #[test]
    fn out_of_window_names_the_bounds() {
        let fault = |window| PageFault::OutOfWindow {
            id: TaskId(7),
            window,
        };
        assert_eq!(
            fault(Window::between(TaskId(5), TaskId(2))).to_string(),
            "ID 7 outside the requested window (ID > 2, ID < 5)"
        );
        assert_eq!(
            fault(Window::at_most(TaskId(6))).to_string(),
            "ID 7 outside the requested window (ID > 0, ID <= 6)"
        );
    }

    #[test]
    fn single_page_checks() {
        let w = Window::between(TaskId(100), TaskId(0));
        let ok = check_page(&w, &range(99, 50), 50).unwrap_or_else(|e| panic!("{e}"));
        assert!(ok.full);
        assert_eq!(ok.last_id, Some(TaskId(50)));
        assert_eq!(ok.chain_id, Some(TaskId(50)));
        assert_eq!(ok.first_id, Some(TaskId(99)));

        assert_eq!(
            check_page(&w, &range(99, 51), 50),
            Err(PageFault::TooManyRows { rows: 51, max: 50 })
        );
        assert!(matches!(
            check_page(&w, &range(100, 3), 50),
            Err(PageFault::OutOfWindow {
                id: TaskId(100),
                ..
            })
        ));
        // Repeated and unsorted rows inside the window are not a fault (the loader keeps
        // each ID once): the page's bounds are its lowest and highest IDs.
        let repeated = check_page(&w, &ids([9, 9]), 50).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (repeated.first_id, repeated.last_id),
            (Some(TaskId(9)), Some(TaskId(9)))
        );
        let unsorted = check_page(&w, &ids([5, 7, 3, 6]), 50).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (unsorted.first_id, unsorted.last_id),
            (Some(TaskId(7)), Some(TaskId(3)))
        );
        assert_eq!(unsorted.cursor(), Some(TaskId(3)));
        // A full unsorted page continues below the row the portal chains from.
        let mut full = range(99, 4);
        full.swap(2, 3); // 99 98 96 97
        let check = check_page(&w, &full, 4).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (check.last_id, check.cursor()),
            (Some(TaskId(96)), Some(TaskId(97)))
        );
        let short = check_page(&w, &[Some(TaskId(5)), None], 50).unwrap_or_else(|e| panic!("{e}"));
        assert!(!short.full);
        assert_eq!(short.chain_id, None);
        let empty = check_page(&w, &[], 50).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((empty.rows, empty.full, empty.last_id), (0, false, None));
        // Page-number ceiling is inclusive.
        assert!(check_page(&Window::at_most(TaskId(10)), &ids([10, 4]), 50).is_ok());
        assert!(check_page(&Window::at_most(TaskId(10)), &ids([11]), 50).is_err());
        assert!(check_page(&Window::between(TaskId(10), TaskId(4)), &ids([4]), 50).is_err());
    }

    #[test]
    fn chain_of_full_pages_then_short_page() {
        let p0 = range(1000, 50);
        let p1 = range(950, 50);
        let p2 = range(900, 7);
        let v = check_chain(TaskId(1001), TaskId(0), &[&p0, &p1, &p2], 50);
        assert_eq!(v.accepted, 3);
        assert!(v.finished);
        assert_eq!(v.cursor, TaskId(894));
        assert_eq!(v.fault, None);
    }

    /// After a short page the next command's reference resolves to the rows array; the
    /// filter vanishes and the page starts from the top again: discarded.
    #[test]
    fn top_rows_after_short_page_are_discarded() {
        let p0 = range(1000, 50);
        let p1 = range(950, 3); // short: the end
        let p2 = range(2000, 50); // garbage: the newest tasks again
        let v = check_chain(TaskId(1001), TaskId(0), &[&p0, &p1, &p2], 50);
        assert_eq!(v.accepted, 2);
        assert!(v.finished);
        assert_eq!(v.cursor, TaskId(948));
    }

    /// An empty page after a short one (the `<ID [rows]` case) is never reached either.
    #[test]
    fn empty_page_after_short_page() {
        let p0 = range(1000, 20);
        let v = check_chain(TaskId(1001), TaskId(0), &[&p0, &[], &range(5000, 50)], 50);
        assert_eq!((v.accepted, v.finished, v.cursor), (1, true, TaskId(981)));
    }

    #[test]
    fn invalid_page_mid_chain_resumes_from_last_valid_cursor() {
        let p0 = range(1000, 50);
        let p1 = range(1500, 50); // not below 951
        let p2 = range(900, 50);
        let v = check_chain(TaskId(1001), TaskId(0), &[&p0, &p1, &p2], 50);
        assert_eq!(v.accepted, 1);
        assert!(!v.finished);
        assert_eq!(v.cursor, TaskId(951));
        assert!(matches!(v.fault, Some((1, PageFault::OutOfWindow { .. }))));
        // First page invalid: nothing accepted, cursor unchanged.
        let v = check_chain(TaskId(10), TaskId(0), &[&range(60, 50)], 50);
        assert_eq!((v.accepted, v.cursor), (0, TaskId(10)));
    }

    #[test]
    fn full_page_ending_without_id_breaks_the_chain() {
        let mut p0 = range(1000, 50);
        p0[49] = None;
        let p1 = range(949, 50);
        let v = check_chain(TaskId(1001), TaskId(0), &[&p0, &p1], 50);
        assert_eq!(v.accepted, 1);
        assert_eq!(v.cursor, TaskId(952));
        assert_eq!(v.fault, Some((1, PageFault::BrokenChain)));
    }

    /// A page with a repeated row and two rows swapped (a portal whose join repeats a task)
    /// is used; the next page is checked below the row the portal chained from.
    #[test]
    fn repeated_and_unsorted_rows_do_not_break_the_chain() {
        let mut p0 = range(1000, 50);
        p0[3] = p0[2]; // 1000 999 998 998 996 …: 997 is not in this page
        p0.swap(5, 6);
        let p1 = range(950, 50);
        let p2 = range(900, 10);
        let v = check_chain(TaskId(1001), TaskId(0), &[&p0, &p1, &p2], 50);
        assert_eq!((v.accepted, v.finished, v.fault), (3, true, None));
        assert_eq!(v.cursor, TaskId(891));
    }

    #[test]
    fn lower_bound_is_checked() {
        let v = check_chain(TaskId(100), TaskId(90), &[&ids([99, 95, 91])], 50);
        assert!(v.finished);
        let v = check_chain(TaskId(100), TaskId(90), &[&ids([99, 90])], 50);
        assert_eq!(v.accepted, 0);
    }
}
