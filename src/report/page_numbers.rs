//! The page-number strategy (feature `page-numbers`, built for the benchmarks only; the app
//! always loads chained keyset pages): independent `iNumPage` commands under a fixed `<=ID`
//! ceiling, up to `in_flight` batches at once; afterwards [`repair_ranges`] lists the ID gaps
//! that a deletion during the load may have opened between pages, which are then loaded as
//! keyset ranges, so the result is exact either way.

use futures_util::future::join_all;

use super::{Engine, Page, Stage, Stop};
use crate::report::order;
use crate::report::params::{encode_batch, BatchCommand};
use crate::report::planner::{commands_needed, list_params, ListFilter, Range};
use crate::report::retry::{classify, ErrorClass, Failure};
use crate::report::task::TaskId;
use crate::report::validate::{check_page, PageCheck, Window};
use crate::report::wire::{decode_list_batch_reply, TaskApi};

/// How the pages after the first are requested.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Chained keyset pages inside each batch (exact under inserts and deletes). Default.
    ChainedKeyset,
    /// Independent page-number commands under a fixed `<=ID` ceiling, with up to
    /// `in_flight` batches at once (for benchmarking). Gaps that deletions open between
    /// pages are detected from the `total`s and loaded afterwards as keyset ranges.
    PageNumbers {
        /// Batches sent concurrently (at least 1).
        in_flight: usize,
    },
}

/// The key of page-number command `page`.
pub fn page_key(page: u32) -> String {
    format!("n{page}")
}

/// Independent page-number commands for `pages` under the fixed ceiling `<=ID ceiling`.
pub fn plan_page_batch(
    api: TaskApi,
    ceiling: TaskId,
    pages: &[u32],
    page_size: u32,
) -> Vec<BatchCommand> {
    let filter = ListFilter {
        below: None,
        at_most: Some(ceiling),
        above: TaskId(0),
    };
    pages
        .iter()
        .map(|&page| BatchCommand {
            key: page_key(page),
            method: api.method().to_string(),
            params: list_params(api, &filter, page, page_size),
        })
        .collect()
}

/// What is known about one page of the page-number strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageSummary {
    /// The page number (1 = the first request).
    pub page: u32,
    /// The validated page, `None` if it was not loaded.
    pub check: Option<PageCheck>,
    /// The portal's `total` when the page was served.
    pub total: Option<u64>,
}

/// The ID ranges the page-number pass may have missed, given its pages (sorted by page).
///
/// Tasks only get higher IDs, so under the ceiling the set can only shrink. Two adjacent
/// loaded pages `k`, `k+1` are contiguous when `k` was full and both saw the same `total`;
/// anywhere else (a failed page, a `total` that changed: a deletion shifted the positions)
/// the gap between them is returned as a range, and so is everything below the last page
/// when that page was full and more rows were counted.
pub fn repair_ranges(pages: &[PageSummary], page_size: u32) -> Vec<Range> {
    let size = usize::try_from(page_size).unwrap_or(50);
    let loaded: Vec<(u32, PageCheck, Option<u64>)> = pages
        .iter()
        .filter_map(|p| p.check.map(|c| (p.page, c, p.total)))
        .filter(|(_, c, _)| c.first_id.is_some() && c.last_id.is_some())
        .collect();
    let mut ranges = Vec::new();
    for (&(pa, a, ta), &(pb, b, tb)) in loaded.iter().zip(loaded.iter().skip(1)) {
        let contiguous = pb == pa + 1 && a.full && ta.is_some() && ta == tb;
        if contiguous {
            continue;
        }
        if let (Some(a_last), Some(b_first)) = (a.last_id, b.first_id) {
            if a_last.0 > b_first.0 + 1 {
                let skipped_pages = usize::try_from(pb.saturating_sub(pa + 1)).unwrap_or(0);
                let shrink = match (ta, tb) {
                    (Some(x), Some(y)) => usize::try_from(x.abs_diff(y)).unwrap_or(0),
                    _ => 0,
                };
                ranges.push(Range {
                    below: a_last,
                    above: b_first,
                    estimate: Some((skipped_pages * size + shrink).max(1)),
                });
            }
        }
    }
    if let Some(&(pz, z, tz)) = loaded.last() {
        if z.full {
            let seen = u64::from(pz) * u64::from(page_size);
            let rest = tz.map(|t| t.saturating_sub(seen));
            if rest != Some(0) {
                if let Some(last) = z.last_id {
                    ranges.push(Range {
                        below: last,
                        above: TaskId(0),
                        estimate: rest.map(|r| usize::try_from(r).unwrap_or(usize::MAX)),
                    });
                }
            }
        }
    }
    ranges
}

impl Engine<'_> {
    /// After request 1 (`first`, whose answer counted `total`): every other page by number
    /// under the first page's top ID, `in_flight` batches at a time, then the gaps as keyset
    /// ranges.
    pub(super) async fn page_numbers(
        &self,
        first: &PageCheck,
        total: Option<u64>,
        in_flight: usize,
    ) -> Result<(), Stop> {
        let Some(ceiling) = first.first_id else {
            return Ok(());
        };
        let first = PageSummary {
            page: 1,
            check: Some(*first),
            total,
        };
        let total = total.and_then(|t| usize::try_from(t).ok()).unwrap_or(0);
        let page_len = self.page_len();
        let last_page = u32::try_from(total.div_ceil(page_len)).unwrap_or(u32::MAX);
        // One summary per page number checked so far (in any order).
        let mut summaries: Vec<PageSummary> = vec![first];
        let mut pending: Vec<u32> = (2..=last_page).collect();
        let per_batch = commands_needed(None, self.page_size, self.st.borrow().batch_cap);
        let wave_size = per_batch * in_flight.max(1);
        let mut outcome: Result<(), Stop> = Ok(());
        while !pending.is_empty() {
            if self.cancel.is_cancelled() {
                outcome = Err(Stop::Cancelled);
                break;
            }
            let api = self.st.borrow().load.api;
            let wave: Vec<u32> = pending.iter().take(wave_size).copied().collect();
            let batches: Vec<Vec<BatchCommand>> = wave
                .chunks(per_batch)
                .map(|pages| plan_page_batch(api, ceiling, pages, self.page_size))
                .collect();
            let bodies: Vec<String> = batches
                .iter()
                .map(|cmds| encode_batch(false, cmds))
                .collect();
            let answers = join_all(
                bodies
                    .iter()
                    .map(|body| self.request("batch", body, decode_list_batch_reply, false)),
            )
            .await;
            let mut failure: Option<Failure> = None;
            let mut stop: Option<Stop> = None;
            let mut progressed = false;
            for (commands, answer) in batches.iter().zip(answers) {
                let batch = match answer {
                    Ok(batch) => batch,
                    Err(s) => {
                        // Keep the most serious stop: a failure over a cancel.
                        if !matches!(stop, Some(Stop::Failed(_))) {
                            stop = Some(s);
                        }
                        continue;
                    }
                };
                for command in commands {
                    let page_no = command.key.trim_start_matches('n').parse::<u32>();
                    // Our own keys are `page_key(n)`; a broken one finds no member below and
                    // ends the check as a missing answer, not a panic.
                    debug_assert!(page_no.is_ok(), "command key {}", command.key);
                    let page_no = page_no.unwrap_or_default();
                    let member = batch.member(&page_key(page_no));
                    if let Some(err) = member.error {
                        failure.get_or_insert(Failure::Rest(err));
                        continue;
                    }
                    let Some(rows) = member.rows else {
                        failure.get_or_insert(Failure::Malformed {
                            status: 200,
                            detail: format!("no result for command {}", command.key),
                        });
                        continue;
                    };
                    let page = Page::from_rows(rows, api);
                    match check_page(&Window::at_most(ceiling), &page.ids, page_len) {
                        Ok(check) => {
                            progressed = true;
                            summaries.retain(|s| s.page != page_no);
                            summaries.push(PageSummary {
                                page: page_no,
                                check: Some(check),
                                total: member.total,
                            });
                            pending.retain(|&p| p != page_no);
                            self.deliver(page, false);
                        }
                        Err(fault) => {
                            failure.get_or_insert(Failure::NoProgress(fault.to_string()));
                        }
                    }
                }
            }
            self.set_repair_stage(&summaries, &pending);
            {
                let mut st = self.st.borrow_mut();
                if progressed {
                    st.retry.progress();
                }
                if !matches!(&failure, Some(Failure::Rest(err)) if classify(err) == ErrorClass::Token)
                {
                    st.retry.answered();
                }
            }
            self.progress();
            if let Some(s) = stop {
                outcome = Err(s);
                break;
            }
            if let Some(f) = failure {
                match self.handle_failure(f).await {
                    Ok(()) => {}
                    Err(Stop::SwitchMethod(err)) => {
                        if let Err(s) = self.switch_method(&err) {
                            outcome = Err(s);
                            break;
                        }
                    }
                    Err(s) => {
                        outcome = Err(s);
                        break;
                    }
                }
            }
        }
        self.set_repair_stage(&summaries, &pending);
        outcome
    }

    /// Sets the stage to the keyset ranges that complete the page-number pass so far.
    fn set_repair_stage(&self, summaries: &[PageSummary], pending: &[u32]) {
        let mut pages: Vec<PageSummary> = summaries.to_vec();
        pages.extend(pending.iter().map(|&page| PageSummary {
            page,
            check: None,
            total: None,
        }));
        let by_page = order::sorted_indexes(pages.len(), &|a, b| pages[a].page.cmp(&pages[b].page));
        // `sorted_indexes(n, ..)` is a permutation of `0..n`; `get` keeps a broken one from panicking.
        debug_assert_eq!(by_page.len(), pages.len());
        let pages: Vec<PageSummary> = by_page
            .into_iter()
            .filter_map(|i| pages.get(i).copied())
            .collect();
        let ranges = repair_ranges(&pages, self.page_size);
        self.st.borrow_mut().load.stage = if ranges.is_empty() {
            Stage::Done
        } else {
            Stage::Ranges(ranges)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::params::encode;

    #[test]
    fn page_number_commands() {
        let cmds = plan_page_batch(TaskApi::ItemList, TaskId(777), &[2, 3], 50);
        assert_eq!(cmds[0].key, "n2");
        assert_eq!(
            encode(&cmds[1].params),
            "0[ID]=desc&1[%3C%3DID]=777&2[NAV_PARAMS][nPageSize]=50&2[NAV_PARAMS][iNumPage]=3&3[0]=ID&3[1]=TITLE&3[2]=PRIORITY&3[3]=STATUS&3[4]=REAL_STATUS&3[5]=RESPONSIBLE_ID&3[6]=CREATED_BY&3[7]=GROUP_ID&3[8]=DEADLINE&3[9]=CREATED_DATE&3[10]=CHANGED_DATE&3[11]=CLOSED_DATE&3[12]=TIME_ESTIMATE&3[13]=TIME_SPENT_IN_LOGS"
        );
        let cmds = plan_page_batch(TaskApi::TaskList, TaskId(777), &[3], 50);
        assert!(
            encode(&cmds[0].params).ends_with("&start=100")
                || encode(&cmds[0].params).starts_with("start=100")
        );
    }

    fn page(page: u32, first: u64, last: u64, full: bool, total: u64) -> PageSummary {
        PageSummary {
            page,
            check: Some(PageCheck {
                rows: if full { 50 } else { 10 },
                full,
                first_id: Some(TaskId(first)),
                last_id: Some(TaskId(last)),
                chain_id: if full { Some(TaskId(last)) } else { None },
            }),
            total: Some(total),
        }
    }

    #[test]
    fn repair_ranges_cover_gaps_only_where_needed() {
        // No change: no ranges.
        let pages = [
            page(1, 1000, 951, true, 160),
            page(2, 950, 901, true, 160),
            page(3, 900, 851, true, 160),
            page(4, 850, 841, false, 160),
        ];
        assert!(repair_ranges(&pages, 50).is_empty());
        // Total changed between pages 2 and 3, and page 4 failed.
        let pages = [
            page(1, 1000, 951, true, 160),
            page(2, 950, 901, true, 160),
            page(3, 898, 849, true, 158),
            PageSummary {
                page: 4,
                check: None,
                total: None,
            },
            page(5, 700, 690, false, 158),
        ];
        let r = repair_ranges(&pages, 50);
        assert_eq!(
            r,
            vec![
                Range {
                    below: TaskId(901),
                    above: TaskId(898),
                    estimate: Some(2)
                },
                Range {
                    below: TaskId(849),
                    above: TaskId(700),
                    estimate: Some(50)
                },
            ]
        );
        // The last page full with more rows counted: everything below it.
        let pages = [page(1, 1000, 951, true, 120)];
        assert_eq!(
            repair_ranges(&pages, 50),
            vec![Range {
                below: TaskId(951),
                above: TaskId(0),
                estimate: Some(70)
            }]
        );
        let pages = [page(1, 1000, 951, true, 50)];
        assert!(repair_ranges(&pages, 50).is_empty());
    }
}
