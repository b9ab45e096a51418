//! `<ReportPage>`: the whole report view — header and load status, counters, pivot, chart,
//! the filter bar and the (virtualised, optionally grouped) task table, the footer.
//!
//! State: the [`SavedView`] (query + grouping), seeded from `props.view` and adopted again
//! when the app passes a different one; every change goes to `onview`. Derived data is
//! memoised: the query result on (table revision, query), the summaries on the table
//! revision, the groups on (table revision, query, grouping).

use std::rc::Rc;

use yew::prelude::*;

use crate::components::counters_bar::counters_bar;
use crate::components::empty_state::empty_state;
use crate::components::error_panel::{error_panel, ErrorPanelProps};
use crate::components::filter_bar::{filter_bar, FilterBarProps};
use crate::components::grouped_tables::{GroupRows, GroupedTables};
use crate::components::labels;
use crate::components::load_status_bar::load_status_bar;
use crate::components::pivot_table::{pivot_table, PivotSelection};
use crate::components::print_view::print_view;
use crate::components::report_footer::report_footer;
use crate::components::report_header::{report_header, ReportHeaderProps};
use crate::components::skeleton_state::skeleton_state;
use crate::components::status_chart::status_chart;
use crate::components::view_edit::{active_counter, active_pivot, ViewEdit};
use crate::components::virtual_table::VirtualTable;
use crate::hooks::dom;
use crate::hooks::use_print_mode::use_print_mode;
use crate::i18n::{self, Msg};
use crate::report::csv;
use crate::report::query::Query;
use crate::report::summary::{self, Counters, GroupBy, Pivot, StatusShare};
use crate::report::task::{Priority, RealStatus};
use crate::report::view::SavedView;
use crate::state::{LoadStatus, Notices, Session, SourceKind, TableRef};

/// Props of [`ReportPage`].
#[derive(Properties, PartialEq)]
pub struct ReportPageProps {
    /// Language, data source, whether tasks open in the portal, portal URL.
    pub session: Session,
    /// The rows; changes revision as pages stream in.
    pub table: TableRef,
    /// How loading goes.
    pub status: LoadStatus,
    /// Footer notices (method fallback, malformed rows, duplicates dropped).
    pub notices: Notices,
    /// The restored saved view: the initial state of the controls.
    pub view: SavedView,
    /// Every change of sort, filters, preset, search or grouping.
    pub onview: Callback<SavedView>,
    /// A row was activated and tasks open in the portal: the task's page path.
    pub onopen: Callback<String>,
    /// Resume loading after a failure or cancel.
    pub onretry: Callback<()>,
    /// Stop loading.
    pub oncancel: Callback<()>,
    /// Fetch everything again.
    pub onreload: Callback<()>,
}

/// The `performance.measure` name of the query (sort + filter) computation.
pub const QUERY_MEASURE: &str = "task-report:query";

/// Summaries over all loaded tasks.
struct Summary {
    counters: Counters,
    pivot: Rc<Pivot>,
    chart: Rc<[StatusShare]>,
    statuses: Rc<[RealStatus]>,
    priorities: Rc<[Priority]>,
}

/// Runs the query, timed with `performance.mark`/`measure` ([`QUERY_MEASURE`]).
fn run_query(table: &TableRef, query: &Query) -> Rc<[u32]> {
    dom::perf_mark("task-report:query-start");
    let rows = table.borrow().apply(query);
    dom::perf_mark("task-report:query-end");
    dom::perf_measure(
        QUERY_MEASURE,
        "task-report:query-start",
        "task-report:query-end",
    );
    Rc::from(rows)
}

/// The rows in the order the table shows them: in grouped mode, group by group (what export
/// and print give).
fn shown_order(rows: &[u32], groups: &[GroupRows]) -> Vec<u32> {
    if groups.is_empty() {
        rows.to_vec()
    } else {
        groups.iter().flat_map(|g| g.rows.iter().copied()).collect()
    }
}

/// The report view.
#[component]
pub fn ReportPage(props: &ReportPageProps) -> Html {
    let lang = props.session.lang;
    let view = use_state(|| props.view.clone());
    // The newest view, readable from callbacks without waiting for a re-render.
    let latest = use_mut_ref(|| props.view.clone());
    // The last `props.view` seen: only a change of the prop is adopted (the mount effect may
    // run after the user's first edit).
    let seen_prop = use_mut_ref(|| props.view.clone());
    {
        let (view, latest, seen_prop) = (view.clone(), latest.clone(), seen_prop.clone());
        use_effect_with(props.view.clone(), move |incoming| {
            if *seen_prop.borrow() != *incoming {
                *seen_prop.borrow_mut() = incoming.clone();
                if *latest.borrow() != *incoming {
                    *latest.borrow_mut() = incoming.clone();
                    view.set(incoming.clone());
                }
            }
        });
    }
    let onedit = {
        let (view, latest) = (view.clone(), latest.clone());
        use_callback(props.onview.clone(), move |edit: ViewEdit, onview| {
            let mut next = latest.borrow().clone();
            edit.apply(&mut next);
            if next != *latest.borrow() {
                *latest.borrow_mut() = next.clone();
                view.set(next.clone());
                onview.emit(next);
            }
        })
    };

    let query = &view.query;
    let rows: Rc<[u32]> = (*use_memo((props.table.clone(), query.clone()), |(t, q)| {
        run_query(t, q)
    }))
    .clone();
    let summary = use_memo(props.table.clone(), |t| {
        let table = t.borrow();
        let all: Vec<u32> = (0..u32::try_from(table.len()).unwrap_or(u32::MAX)).collect();
        let pivot = summary::pivot(&table, &all);
        Summary {
            counters: Counters::of(&table),
            chart: summary::status_chart(&table, &all).into(),
            statuses: pivot.named_statuses().into(),
            priorities: pivot.named_priorities().into(),
            pivot: Rc::new(pivot),
        }
    });
    let groups: Rc<[GroupRows]> = (*{
        // Keyed like `rows` (not on the rows themselves: comparing 100 000 indexes per render
        // would cost more than it saves).
        let rows = rows.clone();
        use_memo(
            (props.table.clone(), query.clone(), view.group),
            move |(t, _, by)| -> Rc<[GroupRows]> {
                if *by == GroupBy::None {
                    return Rc::from(Vec::new());
                }
                summary::group(&t.borrow(), &rows, *by)
                    .into_iter()
                    .map(|g| GroupRows {
                        key: g.key,
                        rows: g.rows.into(),
                    })
                    .collect()
            },
        )
    })
    .clone();

    let print = use_print_mode();
    let onexport = {
        let (table, rows, groups) = (props.table.clone(), rows.clone(), groups.clone());
        Callback::from(move |()| {
            let text = csv::to_csv(&table.borrow(), &shown_order(&rows, &groups), lang);
            dom::download_text(
                &text,
                csv::MIME_TYPE,
                &format!("tasks-{}.csv", dom::today_iso()),
            );
        })
    };
    let onsort = {
        let onedit = onedit.clone();
        use_callback(onedit, |key, onedit| onedit.emit(ViewEdit::Sort(key)))
    };
    let ontogglecounter = {
        let onedit = onedit.clone();
        use_callback(onedit, |c, onedit| onedit.emit(ViewEdit::Counter(c)))
    };
    let onselectpivot = {
        let onedit = onedit.clone();
        use_callback(onedit, |(s, p): PivotSelection, onedit| {
            onedit.emit(ViewEdit::Pivot(s, p))
        })
    };
    let onclear = {
        let onedit = onedit.clone();
        Callback::from(move |()| onedit.emit(ViewEdit::ClearFilters))
    };

    let total = props.table.borrow().len();
    let shown = rows.len();
    let running = props.status.is_running();
    let connecting = matches!(props.status, LoadStatus::Connecting);
    let failed_empty = matches!(props.status, LoadStatus::Failed { .. }) && total == 0;
    let portal_url = props.session.portal_url.clone().map(AttrValue::from);
    let can_open = props.session.can_open_in_portal;
    let table_label = AttrValue::from(i18n::t(lang, Msg::TasksTable));

    let table_body = if total == 0 && running {
        skeleton_state(i18n::t(lang, Msg::Loading), 6)
    } else if total == 0 {
        empty_state(
            i18n::t(lang, Msg::EmptyTitle),
            i18n::t(lang, Msg::EmptyHint),
            Some((i18n::t(lang, Msg::Reload), props.onreload.clone())),
        )
    } else if shown == 0 {
        empty_state(
            i18n::t(lang, Msg::NoMatchTitle),
            i18n::t(lang, Msg::NoMatchHint),
            Some((i18n::t(lang, Msg::FilterReset), onclear)),
        )
    } else if view.group == GroupBy::None {
        html! {
            <VirtualTable table={props.table.clone()} rows={rows.clone()} {lang}
                sort={query.sort} dir={query.dir} onsort={onsort.clone()}
                {can_open} portal_url={portal_url.clone()} onopen={props.onopen.clone()}
                label={table_label} />
        }
    } else {
        html! {
            <GroupedTables table={props.table.clone()} groups={groups.clone()} {lang}
                sort={query.sort} dir={query.dir} onsort={onsort.clone()}
                {can_open} portal_url={portal_url.clone()} onopen={props.onopen.clone()} />
        }
    };

    html! {
        <main class={labels::class_with("report", print.printing.then_some("is-printing"))}
            lang={lang.html_tag()} data-testid="report">
            { report_header(ReportHeaderProps {
                source: &props.session.source,
                lang,
                has_rows: shown > 0,
                onreload: &props.onreload,
                onexport: &onexport,
                onprint: &print.print,
            }) }
            { load_status_bar(&props.status, lang, &props.oncancel, &props.onretry) }
            if let LoadStatus::Failed { error, loaded, total } = &props.status {
                { error_panel(ErrorPanelProps {
                    error,
                    loaded: *loaded,
                    total: *total,
                    lang,
                    webhook: matches!(props.session.source, SourceKind::Webhook { .. }),
                    onretry: &props.onretry,
                }) }
            }
            if connecting {
                <section class="card">
                    { skeleton_state(i18n::t(lang, Msg::Connecting), 8) }
                </section>
            } else if !failed_empty {
                <section class="summary" aria-label={i18n::t(lang, Msg::CountersLabel)}>
                    { counters_bar(&summary.counters, active_counter(query), lang, &ontogglecounter) }
                    if total > 0 {
                        <div class="summary-grid">
                            <div class="card">
                                { pivot_table(&summary.pivot, active_pivot(query), lang, &onselectpivot) }
                            </div>
                            <div class="card">
                                { status_chart(&summary.chart, lang) }
                            </div>
                        </div>
                    }
                </section>
                <section class="card table-card">
                    { filter_bar(FilterBarProps {
                        query,
                        group: view.group,
                        statuses: &summary.statuses,
                        priorities: &summary.priorities,
                        shown,
                        total,
                        lang,
                        onedit: &onedit,
                    }) }
                    { table_body }
                </section>
                if print.printing {
                    { print_view(&props.table.borrow(), &shown_order(&rows, &groups), lang) }
                }
            }
            { report_footer(&props.notices, &props.status, lang) }
        </main>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
