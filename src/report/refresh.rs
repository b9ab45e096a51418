//! The incremental refresh of a stored snapshot (issue 15), pure: which `task.item.list`
//! commands to send, how to read their answers, and how to merge them into a result equal
//! to a full load. Platform facts and what stays undetected:
//! `docs/platform/incremental-refresh.md`.
//!
//! A refresh runs in rounds; each round is a list of [`Ask`]s, sent 50 to a `batch` by the
//! caller (through the engine's pacing and retries, `loader::request_once`). Round one:
//! - the first page of the changed-since query (`>=CHANGED_DATE` = the snapshot's newest
//!   `CHANGED_DATE` minus [`SAFETY_MARGIN_S`]): new and edited tasks;
//! - a read of the IDs beyond the snapshot's largest (new tasks, whatever their date);
//! - when the snapshot has at most [`GAP_LIMIT`] gaps (runs of IDs it does not hold), a read
//!   of every gap: what is there now was revealed (or created there). The counts below then
//!   separate vanished tasks from revealed ones exactly ("exact mode");
//! - a one-row count probe (`total`, and the largest ID) of each range of a partition of
//!   the stored IDs;
//! - with a [`MetaWatch`], the meta statuses the portal computes at request time and that move
//!   without `CHANGED_DATE`: the first page of the tasks overdue now whose deadline is at most
//!   [`DUE_MARGIN_S`] before the snapshot's time (deadlines passed since), the first page of
//!   the tasks almost overdue now whose deadline is after the stored "almost overdue" rows'
//!   latest (less the margin: deadlines come near since), and the count of the tasks the user
//!   has not viewed.
//!   When the rest is done and that count says some stored "not viewed" rows were viewed
//!   since, one more round reads the "not viewed" list (`MetaState`).
//!
//! A range whose count (less its gaps' tasks, in exact mode) or largest ID differs from the
//! snapshot is read whole when that takes few pages, otherwise split into parts whose counts
//! are asked in the next round (the last part's count follows from the others'). The number
//! of parts fills the batches the round pays for anyway.
//!
//! Its bookkeeping is in plain `Vec`s (a round holds at most a few hundred ranges) and the
//! rows are ordered once, by ID, in [`Refresh::merge`]: no ordered map and no sort of its own
//! (their code is the feature's size, README "Sizes").

use crate::report::dates::PortalTime;
use crate::report::id_ranges::{gaps, inside, newest_first, partition, IdRange};
use crate::report::order::sorted_indexes;
use crate::report::params::{BatchCommand, Param};
use crate::report::planner::{MAX_BATCH, MAX_PAGE_SIZE, SELECT};
use crate::report::task::{MetaStatus, Task, TaskId};

/// Seconds subtracted from the snapshot's newest `CHANGED_DATE`: clock skew between the
/// portal's database and web nodes, and tasks changed within the same second as the newest.
pub const SAFETY_MARGIN_S: i64 = 120;

/// Seconds before the snapshot's time from which a deadline may have passed or come near
/// since: the browser's clock (which dates the snapshot) and the portal's may differ.
pub const DUE_MARGIN_S: i64 = 3_600;

/// The most gaps read in round one; a snapshot with more is refreshed by counts alone.
pub const GAP_LIMIT: usize = 48;

/// The fewest ranges counted in round one.
pub const MIN_RANGES: usize = 24;

/// A range holding at most this many stored IDs per part is read, not counted.
const READ_PART: usize = 40;

const BATCH: usize = MAX_BATCH as usize;

/// One command of a refresh round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    /// Page `page` (1-based) of the changed-since query.
    Changed {
        /// Page number.
        page: u32,
    },
    /// A one-row page of `range`, ID descending: its `total` and largest ID.
    Count {
        /// The range.
        range: IdRange,
    },
    /// Page `page` of every task of `range`, ID descending.
    Rows {
        /// The range.
        range: IdRange,
        /// Page number.
        page: u32,
    },
    /// Page `page` of the tasks overdue now (`STATUS` -1) whose deadline is not before the
    /// snapshot's time less [`DUE_MARGIN_S`].
    Overdue {
        /// Page number.
        page: u32,
    },
    /// Page `page` of the tasks almost overdue now (`STATUS` -3) whose deadline is not before
    /// [`MetaWatch::almost_overdue_after_s`] less [`DUE_MARGIN_S`].
    AlmostOverdue {
        /// Page number.
        page: u32,
    },
    /// A one-row page of the tasks the user has not viewed (`STATUS` -2): its `total`.
    UnviewedCount,
    /// Page `page` of the tasks the user has not viewed.
    Unviewed {
        /// Page number.
        page: u32,
    },
}

/// What a refresh needs to keep the meta statuses the portal computes at request time
/// (`docs/platform/incremental-refresh.md`, "Meta statuses") as a full load would show them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MetaWatch {
    /// When the snapshot's rows were read (unix seconds; the start of that load or refresh).
    pub as_of_s: i64,
    /// The latest deadline (unix seconds) of the stored "almost overdue" rows, or `as_of_s`
    /// when there is none: a task comes near its deadline later than that (its deadline is
    /// past the user's window then, and every stored "almost overdue" row's is within it).
    pub almost_overdue_after_s: i64,
    /// The stored IDs whose row says "not viewed" (any order).
    pub unviewed: Vec<u64>,
}

impl MetaWatch {
    /// What `snapshot` (rows read from unix second `as_of_s` on) says of its meta statuses.
    pub fn of(snapshot: &[Task], as_of_s: i64) -> Self {
        let with = |meta| snapshot.iter().filter(move |t| t.meta == Some(meta));
        Self {
            as_of_s,
            almost_overdue_after_s: with(MetaStatus::AlmostOverdue)
                .filter_map(|t| t.deadline.map(|d| d.unix()))
                .fold(as_of_s, i64::max),
            unviewed: with(MetaStatus::Unviewed).map(|t| t.id.0).collect(),
        }
    }
}

/// The meta-status part of a refresh in progress.
#[derive(Debug)]
struct MetaState {
    /// The `>=DEADLINE` value of [`Ask::Overdue`].
    overdue_from: String,
    /// The `>=DEADLINE` value of [`Ask::AlmostOverdue`].
    almost_from: String,
    /// The stored IDs whose row says "not viewed", ascending.
    unviewed: Vec<u64>,
    /// The portal's count of tasks not viewed, once answered.
    unviewed_total: Option<u64>,
    /// The IDs of the "not viewed" list, once it was asked (ascending once merged).
    listed: Option<Vec<u64>>,
    /// The pages of that list asked so far.
    listed_pages: u32,
}

/// What one command answered: the list's `total` and its rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answer {
    /// The `total` member.
    pub total: u64,
    /// The rows of the page.
    pub rows: Vec<Task>,
}

/// Count probes asked together: `parts` are asked; `inferred` (the last part of a split
/// range) gets the parent's count less theirs, and the parent's largest ID.
#[derive(Debug)]
struct Group {
    parts: Vec<IdRange>,
    inferred: Option<(IdRange, u64, Option<u64>)>,
}

/// A range whose stored IDs and the portal disagree: `total` tasks there now.
struct Differs {
    range: IdRange,
    total: u64,
    largest: Option<u64>,
}

/// The refresh in progress: feed each round's answers, get the next round.
#[derive(Debug)]
pub struct Refresh {
    ids: Vec<u64>,
    newest: PortalTime,
    exact: bool,
    /// The ranges read in round one (gaps and the tail) and their totals once answered.
    gap_totals: Vec<(IdRange, Option<u64>)>,
    /// Answered count probes not judged yet: range, total, largest ID.
    counts: Vec<(IdRange, u64, Option<u64>)>,
    groups: Vec<Group>,
    /// The pages asked of each range read.
    pages_asked: Vec<(IdRange, u32)>,
    replaced: Vec<IdRange>,
    /// Rows read, in the order they came; a later row of an ID replaces an earlier one.
    rows: Vec<Task>,
    /// Rows of the changed-since query (and of the meta-status queries), likewise; they
    /// replace read and stored rows.
    changed: Vec<Task>,
    meta: Option<MetaState>,
    complete: bool,
}

fn pages(total: u64) -> u32 {
    u32::try_from(total.div_ceil(u64::from(MAX_PAGE_SIZE))).unwrap_or(u32::MAX)
}

fn range_filter(range: IdRange) -> Vec<(String, Param)> {
    let mut f = vec![(">=ID".to_string(), Param::Str(range.lo.to_string()))];
    if let Some(hi) = range.hi {
        f.push(("<=ID".to_string(), Param::Str(hi.to_string())));
    }
    f
}

fn status_filter(statuses: &[&str]) -> (String, Param) {
    ("STATUS".to_string(), Param::strs(statuses.iter().copied()))
}

/// FILTER: meta status `status` with a deadline not before `from`.
fn due_filter(status: &str, from: &str) -> Vec<(String, Param)> {
    vec![
        status_filter(&[status]),
        (">=DEADLINE".to_string(), Param::str(from)),
    ]
}

/// A `>=DEADLINE` value: unix second `at` less [`DUE_MARGIN_S`], in the portal's offset (as
/// the snapshot's newest CHANGED_DATE has it).
fn deadline_value(at: i64, newest: PortalTime) -> String {
    PortalTime::new(at - DUE_MARGIN_S, newest.offset_min())
        .unwrap_or(newest)
        .iso()
}

fn item_list(filter: Vec<(String, Param)>, size: u32, page: u32) -> Param {
    Param::list([
        Param::map([("ID", Param::str("desc"))]),
        Param::Map(filter),
        Param::map([(
            "NAV_PARAMS",
            Param::map([
                ("nPageSize", Param::from(size)),
                ("iNumPage", Param::from(page.max(1))),
            ]),
        )]),
        Param::strs(SELECT),
    ])
}

/// The FILTER value of the changed-since query: ISO 8601 with the portal's offset.
pub fn changed_since_value(newest: PortalTime) -> String {
    PortalTime::new(newest.unix() - SAFETY_MARGIN_S, newest.offset_min())
        .unwrap_or(newest)
        .iso()
}

/// The snapshot's newest `CHANGED_DATE` (the changed-since query starts from it).
pub fn newest_changed(tasks: &[Task]) -> Option<PortalTime> {
    tasks
        .iter()
        .filter_map(|t| t.changed)
        .max_by_key(|t| t.unix())
}

/// HTTP requests a round of `asks` takes (50 commands per `batch`).
pub fn requests_for(asks: usize) -> usize {
    asks.div_ceil(BATCH)
}

/// The ranges counted in round one: a partition of the stored IDs (ascending, unique)
/// into as many ranges as fill the round's batches next to `fixed` other commands.
pub fn first_ranges(ids: &[u64], fixed: usize, offset: u64) -> Vec<IdRange> {
    let ranges = (fixed + MIN_RANGES).div_ceil(BATCH) * BATCH - fixed;
    let whole = IdRange {
        lo: 1,
        hi: ids.last().copied(),
    };
    partition(ids, whole, ranges, offset)
}

impl Refresh {
    /// Starts a refresh of a snapshot holding `ids` (any order) whose newest
    /// `CHANGED_DATE` is `newest`; returns round one. None when the refresh could not be
    /// exact: nothing to refresh from (no task, or no date), or more than [`GAP_LIMIT`]
    /// gaps (`docs/platform/incremental-refresh.md`) — the caller does a full load. `offset`
    /// moves the range boundaries from one refresh to the next.
    /// With `meta`, the meta statuses are refreshed too ([`MetaWatch`]).
    pub fn start(
        ids: &[TaskId],
        newest: Option<PortalTime>,
        offset: u64,
        meta: Option<MetaWatch>,
    ) -> Option<(Self, Vec<Ask>)> {
        let (refresh, asks) = Self::start_counts_allowed(ids, newest, offset, meta)?;
        refresh.exact.then_some((refresh, asks))
    }

    /// [`Refresh::start`], but a snapshot with more than [`GAP_LIMIT`] gaps is refreshed by
    /// counts alone, which can keep a vanished task when a revealed one hides it in the same
    /// range. Not used by the app (it must never show a task the portal no longer shows
    /// the user); kept for the measurements of the documentation.
    pub fn start_counts_allowed(
        ids: &[TaskId],
        newest: Option<PortalTime>,
        offset: u64,
        meta: Option<MetaWatch>,
    ) -> Option<(Self, Vec<Ask>)> {
        let newest = newest?;
        let listed: Vec<u64> = ids.iter().map(|t| t.0).collect();
        let ids: Vec<u64> = newest_first(&listed)
            .into_iter()
            .rev()
            .map(|i| listed[i])
            .collect();
        let largest = *ids.last()?;
        let inner = gaps(&ids);
        let exact = inner.len() <= GAP_LIMIT;
        let tail = IdRange {
            lo: largest.saturating_add(1),
            hi: None,
        };
        let read: Vec<IdRange> = if exact { inner } else { Vec::new() }
            .into_iter()
            .chain([tail])
            .collect();
        let meta = meta.map(|watch| {
            let mut unviewed = watch.unviewed;
            unviewed.sort_unstable();
            MetaState {
                overdue_from: deadline_value(watch.as_of_s, newest),
                almost_from: deadline_value(watch.almost_overdue_after_s, newest),
                unviewed,
                unviewed_total: None,
                listed: None,
                listed_pages: 0,
            }
        });
        let meta_asks: &[Ask] = if meta.is_some() {
            &[
                Ask::Overdue { page: 1 },
                Ask::AlmostOverdue { page: 1 },
                Ask::UnviewedCount,
            ]
        } else {
            &[]
        };
        let parts = first_ranges(&ids, 1 + meta_asks.len() + read.len(), offset);
        let mut asks = vec![Ask::Changed { page: 1 }];
        asks.extend_from_slice(meta_asks);
        asks.extend(read.iter().map(|&range| Ask::Rows { range, page: 1 }));
        asks.extend(parts.iter().map(|&range| Ask::Count { range }));
        let refresh = Self {
            ids,
            newest,
            exact,
            gap_totals: read.iter().map(|&r| (r, None)).collect(),
            counts: Vec::new(),
            groups: vec![Group {
                parts,
                inferred: None,
            }],
            pages_asked: read.iter().map(|&r| (r, 1)).collect(),
            replaced: Vec::new(),
            rows: Vec::new(),
            changed: Vec::new(),
            meta,
            complete: false,
        };
        Some((refresh, asks))
    }

    /// The `task.item.list` command of `ask`, under `key`.
    pub fn command(&self, ask: Ask, key: String) -> BatchCommand {
        let params = match ask {
            Ask::Changed { page } => item_list(
                vec![(
                    ">=CHANGED_DATE".to_string(),
                    Param::Str(changed_since_value(self.newest)),
                )],
                MAX_PAGE_SIZE,
                page,
            ),
            Ask::Count { range } => item_list(range_filter(range), 1, 1),
            Ask::Rows { range, page } => item_list(range_filter(range), MAX_PAGE_SIZE, page),
            Ask::Overdue { page } => {
                let from = self.meta.as_ref().map_or("", |m| m.overdue_from.as_str());
                item_list(due_filter("-1", from), MAX_PAGE_SIZE, page)
            }
            Ask::AlmostOverdue { page } => {
                let from = self.meta.as_ref().map_or("", |m| m.almost_from.as_str());
                item_list(due_filter("-3", from), MAX_PAGE_SIZE, page)
            }
            Ask::UnviewedCount => item_list(vec![status_filter(&["-2"])], 1, 1),
            Ask::Unviewed { page } => item_list(vec![status_filter(&["-2"])], MAX_PAGE_SIZE, page),
        };
        BatchCommand {
            key,
            method: "task.item.list".into(),
            params,
        }
    }

    /// Reads one round's answers (in the order of its asks) and returns the next round;
    /// empty when the refresh is complete. Asks without an answer (fewer answers than
    /// asks) are asked again.
    pub fn next(&mut self, asks: &[Ask], answers: Vec<Answer>) -> Vec<Ask> {
        let mut next = Vec::new();
        let mut answers = answers.into_iter();
        for &ask in asks {
            match answers.next() {
                Some(answer) => self.take(ask, answer, &mut next),
                None => next.push(ask),
            }
        }
        let differs = self.judge_ready_groups();
        self.plan(differs, &mut next);
        if next.is_empty() && self.groups.is_empty() {
            self.check_unviewed(&mut next);
        }
        self.complete = next.is_empty() && self.groups.is_empty();
        next
    }

    fn take(&mut self, ask: Ask, answer: Answer, next: &mut Vec<Ask>) {
        match ask {
            Ask::Changed { page } => {
                if page == 1 {
                    next.extend((2..=pages(answer.total)).map(|page| Ask::Changed { page }));
                }
                self.changed.extend(answer.rows);
            }
            Ask::Overdue { page } => {
                if page == 1 {
                    next.extend((2..=pages(answer.total)).map(|page| Ask::Overdue { page }));
                }
                self.changed.extend(answer.rows);
            }
            Ask::AlmostOverdue { page } => {
                if page == 1 {
                    next.extend((2..=pages(answer.total)).map(|page| Ask::AlmostOverdue { page }));
                }
                self.changed.extend(answer.rows);
            }
            Ask::UnviewedCount => {
                if let Some(meta) = self.meta.as_mut() {
                    meta.unviewed_total = Some(answer.total);
                }
            }
            Ask::Unviewed { page } => {
                if let Some(meta) = self.meta.as_mut() {
                    // All pages the count gave were asked at once; more if the list grew.
                    let needed = pages(answer.total);
                    if page == 1 && needed > meta.listed_pages {
                        let from = meta.listed_pages + 1;
                        next.extend((from..=needed).map(|page| Ask::Unviewed { page }));
                        meta.listed_pages = needed;
                    }
                    if let Some(listed) = meta.listed.as_mut() {
                        listed.extend(answer.rows.iter().map(|t| t.id.0));
                    }
                }
                self.changed.extend(answer.rows);
            }
            Ask::Count { range } => {
                let largest = answer.rows.first().map(|t| t.id.0);
                self.counts.retain(|c| c.0 != range);
                self.counts.push((range, answer.total, largest));
            }
            Ask::Rows { range, page } => {
                if page == 1 {
                    if let Some(gap) = self.gap_totals.iter_mut().find(|g| g.0 == range) {
                        gap.1 = Some(answer.total);
                    }
                    let asked = self.asked_pages(range);
                    let needed = pages(answer.total);
                    if needed > *asked {
                        next.extend((*asked + 1..=needed).map(|page| Ask::Rows { range, page }));
                        *asked = needed;
                    }
                }
                self.rows.extend(answer.rows);
            }
        }
    }

    /// The pages asked of `range` (1 when it was not read yet).
    fn asked_pages(&mut self, range: IdRange) -> &mut u32 {
        let at = match self.pages_asked.iter().position(|p| p.0 == range) {
            Some(at) => at,
            None => {
                self.pages_asked.push((range, 1));
                self.pages_asked.len() - 1
            }
        };
        &mut self.pages_asked[at].1
    }

    /// Judges every group whose counts (and, in exact mode, gap totals) are all in.
    fn judge_ready_groups(&mut self) -> Vec<Differs> {
        if self.gap_totals.iter().any(|g| g.1.is_none()) {
            return Vec::new();
        }
        let mut differs = Vec::new();
        let groups = std::mem::take(&mut self.groups);
        for group in groups {
            let known: Option<Vec<(IdRange, u64, Option<u64>)>> = group
                .parts
                .iter()
                .map(|r| self.counts.iter().find(|c| c.0 == *r).copied())
                .collect();
            let Some(mut known) = known else {
                self.groups.push(group);
                continue;
            };
            if let Some((range, parent_total, parent_largest)) = group.inferred {
                let asked: u64 = known.iter().map(|k| k.1).sum();
                let total = parent_total.saturating_sub(asked);
                known.push((range, total, parent_largest.filter(|_| total > 0)));
            }
            for (range, total, largest) in known {
                self.counts.retain(|c| c.0 != range);
                if let Some(d) = self.judge(range, total, largest) {
                    differs.push(d);
                }
            }
        }
        differs
    }

    /// None when `range` agrees with the snapshot (or holds no stored task any more, which
    /// needs no read); otherwise what the portal has there.
    fn judge(&mut self, range: IdRange, total: u64, largest: Option<u64>) -> Option<Differs> {
        let own = inside(&self.ids, range);
        let stored = own.len() as u64;
        let present = if self.exact {
            let in_gaps: u64 = self
                .gap_totals
                .iter()
                .filter(|(g, _)| range.covers(*g))
                .filter_map(|(_, t)| *t)
                .sum();
            total.checked_sub(in_gaps)
        } else {
            Some(total)
        };
        let agrees = match present {
            Some(p) if self.exact => p == stored,
            Some(p) => p == stored && largest == own.last().copied(),
            None => false,
        };
        if agrees {
            return None;
        }
        if present == Some(0) {
            // Every stored task of the range vanished; its gaps were read in round one.
            self.replaced.push(range);
            return None;
        }
        Some(Differs {
            range,
            total,
            largest,
        })
    }

    /// Reads or splits the differing ranges, filling the batches the round pays for.
    fn plan(&mut self, differs: Vec<Differs>, next: &mut Vec<Ask>) {
        let (small, big): (Vec<Differs>, Vec<Differs>) =
            differs.into_iter().partition(|d| pages(d.total) <= 1);
        for d in small {
            self.read(d.range, 1, next);
        }
        if big.is_empty() {
            return;
        }
        let base = next.len();
        let paid = (base + big.len()).div_ceil(BATCH) * BATCH - base;
        let parts = (1 + paid / big.len()).clamp(2, BATCH);
        for d in big {
            let needed = pages(d.total);
            let stored = inside(&self.ids, d.range).len();
            if (needed as usize) < parts || stored < 2 {
                self.read(d.range, needed, next);
                continue;
            }
            let split = partition(&self.ids, d.range, parts, 0);
            if stored.div_ceil(split.len()) <= READ_PART {
                for range in split {
                    self.read(range, 1, next);
                }
                continue;
            }
            let Some((&last, asked)) = split.split_last() else {
                continue;
            };
            next.extend(asked.iter().map(|&range| Ask::Count { range }));
            self.groups.push(Group {
                parts: asked.to_vec(),
                inferred: Some((last, d.total, d.largest)),
            });
        }
    }

    /// Once everything else is in: whether stored "not viewed" rows were viewed since. The
    /// portal's count of tasks not viewed is the fresh rows not viewed plus the stored rows
    /// still not viewed; a stored row cannot become "not viewed" without its `CHANGED_DATE`
    /// moving (or being read fresh), so a count that does not add up means some were viewed:
    /// the "not viewed" list is read, and [`Refresh::merge`] clears the mark of the stored
    /// rows missing from it.
    fn check_unviewed(&mut self, next: &mut Vec<Ask>) {
        let Some(meta) = self.meta.as_ref() else {
            return;
        };
        let (Some(total), None) = (meta.unviewed_total, meta.listed.as_ref()) else {
            return;
        };
        let replaced = self.replaced_sorted();
        let fresh: Vec<&Task> = self.rows.iter().chain(&self.changed).collect();
        let ids: Vec<u64> = fresh.iter().map(|t| t.id.0).collect();
        let latest = newest_first(&ids);
        let fresh_unviewed = latest
            .iter()
            .filter(|&&i| fresh[i].meta == Some(MetaStatus::Unviewed))
            .count();
        let fresh_ids: Vec<u64> = latest.iter().rev().map(|&i| ids[i]).collect();
        let stored_unviewed = meta
            .unviewed
            .iter()
            .filter(|&&id| !in_ranges(&replaced, id) && fresh_ids.binary_search(&id).is_err())
            .count();
        if total == (fresh_unviewed + stored_unviewed) as u64 {
            return;
        }
        let Some(meta) = self.meta.as_mut() else {
            return;
        };
        meta.listed = Some(Vec::new());
        meta.listed_pages = pages(total);
        next.extend((1..=meta.listed_pages).map(|page| Ask::Unviewed { page }));
    }

    /// The replaced ranges, ordered.
    fn replaced_sorted(&self) -> Vec<IdRange> {
        let r = &self.replaced;
        sorted_indexes(r.len(), &|a, b| r[a].cmp(&r[b]))
            .into_iter()
            .map(|i| r[i])
            .collect()
    }

    /// Replaces the snapshot's `range` with what the portal has there: pages 1..=`pages`.
    fn read(&mut self, range: IdRange, pages: u32, next: &mut Vec<Ask>) {
        let pages = pages.max(1);
        self.replaced.push(range);
        *self.asked_pages(range) = pages;
        next.extend((1..=pages).map(|page| Ask::Rows { range, page }));
    }

    /// True when every round has been answered.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The refreshed task list, ID descending: the snapshot without its replaced ranges,
    /// plus every row read, with every changed row replacing the stored one.
    pub fn merge(self, snapshot: Vec<Task>) -> Vec<Task> {
        let replaced = self.replaced_sorted();
        // The "not viewed" list, when it was read: a stored row not in it was viewed since.
        let listed = self.meta.and_then(|m| m.listed).map(|mut ids| {
            ids.sort_unstable();
            ids
        });
        let viewed = |t: &Task| {
            t.meta == Some(MetaStatus::Unviewed)
                && listed
                    .as_ref()
                    .is_some_and(|l| l.binary_search(&t.id.0).is_err())
        };
        // Stored, read, then changed rows: of an ID met twice, the later one stays.
        let mut all: Vec<Option<Task>> = snapshot
            .into_iter()
            .filter(|t| !in_ranges(&replaced, t.id.0))
            .map(|mut t| {
                if viewed(&t) {
                    t.meta = None;
                }
                t
            })
            .chain(self.rows)
            .chain(self.changed)
            .map(Some)
            .collect();
        let ids: Vec<u64> = all.iter().flatten().map(|t| t.id.0).collect();
        newest_first(&ids)
            .into_iter()
            .filter_map(|i| all[i].take())
            .collect()
    }
}

/// Whether `id` lies in one of `ranges` (ordered, not overlapping).
fn in_ranges(ranges: &[IdRange], id: u64) -> bool {
    let i = ranges.partition_point(|r| r.lo <= id);
    i > 0 && ranges.get(i - 1).is_some_and(|r| r.contains(id))
}

#[cfg(test)]
#[path = "refresh_tests.rs"]
mod tests;
