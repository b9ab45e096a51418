//! `<ReportPage>`: the whole report view — header and load status, counters, pivot, chart,
//! the filter bar and the (virtualised, optionally grouped) task table, the footer.
//!
//! Controlled: the [`SavedView`] (query + grouping) comes in as a prop and every change of
//! the controls goes out as a [`ViewEdit`] (the app owns the view, see
//! [`crate::hooks::use_saved_view`]). Derived data is memoised ([`derived`]).

use std::rc::Rc;

use yew::prelude::*;

use crate::components::column_chooser::column_chooser;
use crate::components::counters_bar::counters_bar;
use crate::components::empty_state::empty_state;
use crate::components::error_panel::{error_panel, ErrorPanelProps};
use crate::components::filter_bar::{filter_bar, FilterBarProps};
use crate::components::grouped_tables::{grouped_tables, Collapsed};
use crate::components::labels;
use crate::components::load_status_bar::load_status_bar;
use crate::components::person_pivot::person_pivot_table;
use crate::components::pivot_table::{pivot_table, PivotSelection};
use crate::components::print_view::print_view;
use crate::components::report_footer::report_footer;
use crate::components::report_header::{report_header, ReportHeaderProps};
use crate::components::skeleton_state::skeleton_state;
use crate::components::status_chart::status_chart;
use crate::components::view_edit::{active_counter, active_person, active_pivot, ViewEdit};
use crate::components::virtual_table::{TableColumns, TableCommon, VirtualTable};
use crate::hooks::dom;
use crate::hooks::use_print_mode::use_print_mode;
use crate::hooks::use_task_loader::NamesStatus;
use crate::i18n::{self, Msg, ReportLabels};
use crate::report::csv;
use crate::report::directory::Directory;
use crate::report::query::SortKey;
use crate::report::summary::GroupBy;
use crate::report::view::SavedView;
use crate::state::{LoadStatus, Notices, Session, SourceKind, TableRef};

mod derived;

use derived::{use_derived, Derived};

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
    /// How the name resolution went (a footer line when it failed).
    #[prop_or(NamesStatus::Pending)]
    pub names: NamesStatus,
    /// The current view: what the controls show and the table applies.
    pub view: SavedView,
    /// Names of the loaded tasks' people and projects (empty until resolved: fallbacks).
    #[prop_or_default]
    pub directory: Rc<Directory>,
    /// Every change of sort, filters, preset, search or grouping.
    pub onedit: Callback<ViewEdit>,
    /// The last change of the view could not be saved (shown in the footer).
    #[prop_or_default]
    pub view_unsaved: bool,
    /// A row was activated and tasks open in the portal: the task's page path.
    pub onopen: Callback<String>,
    /// Resume loading after a failure or cancel.
    pub onretry: Callback<()>,
    /// Stop loading.
    pub oncancel: Callback<()>,
    /// Fetch everything again (also while loading: starts over).
    pub onreload: Callback<()>,
}

/// The `performance.measure` name of the query (sort + filter) computation.
pub const QUERY_MEASURE: &str = "task-report:query";

/// The `performance.measure` name of the grouping of the query's rows.
pub const GROUP_MEASURE: &str = "task-report:group";

/// The report view.
#[component]
pub fn ReportPage(props: &ReportPageProps) -> Html {
    let (lang, view) = (props.session.lang, &props.view);
    let data = use_derived(&props.table, view, &props.directory, lang);
    let print = use_print_mode();
    let columns = TableColumns {
        columns: view.columns.iter().map(|&c| (c, view.width(c))).collect(),
        directory: props.directory.clone(),
        // Now, for relative deadlines.
        now: dom::unix_now_s(),
        onresize: props.onedit.reform(|(c, w)| ViewEdit::ResizeColumn(c, w)),
    };
    let labels = ReportLabels {
        lang,
        directory: &props.directory,
    };
    let onexport = {
        let (table, data) = (props.table.clone(), data.clone());
        let (visible, directory) = (view.columns.clone(), props.directory.clone());
        Callback::from(move |()| {
            let labels = ReportLabels {
                lang,
                directory: &directory,
            };
            let rows = data.shown_order();
            let text = csv::to_csv(&table.borrow(), &rows, &visible, &labels);
            let name = format!("tasks-{}.csv", dom::today_iso());
            dom::download_text(&text, csv::MIME_TYPE, &name);
        })
    };
    // The Excel export's control (issue 16); compiled out only to measure what it adds to
    // the first load (feature `without-excel-export`, package.sh).
    #[cfg(not(feature = "without-excel-export"))]
    let excel = {
        use crate::export::{button, request};
        let onexcel = {
            let (table, view) = (props.table.clone(), view.clone());
            let (portal_url, directory) =
                (props.session.portal_url.clone(), props.directory.clone());
            Callback::from(move |()| {
                let table = table.borrow();
                // "Changed since your last visit" on: the export keeps those tasks only.
                #[cfg(feature = "snapshot")]
                let marked = table.since_visit_tasks(view.query.since_visit);
                #[cfg(not(feature = "snapshot"))]
                let marked: Option<Vec<crate::report::task::Task>> = None;
                request::encode(&request::Screen {
                    lang,
                    portal_url: portal_url.as_deref(),
                    view: &view,
                    directory: &directory,
                    tasks: marked.as_deref().unwrap_or(table.tasks()),
                })
            })
        };
        button::excel_controls(&button::use_excel_export(onexcel, onexport.clone()), lang)
    };
    #[cfg(feature = "without-excel-export")]
    let excel = Html::default();
    let onsort = use_callback(props.onedit.clone(), |key, e| e.emit(ViewEdit::Sort(key)));
    let total = props.table.borrow().len();
    let shown = data.rows.len();
    let failed_empty = matches!(props.status, LoadStatus::Failed { .. }) && total == 0;
    // The grouped table's collapsed groups: forgotten whenever it is not on screen, as its own
    // state would be when it unmounted.
    let collapsed = Collapsed {
        keys: use_mut_ref(Vec::new),
        redraw: use_force_update(),
    };
    let grouped = !matches!(props.status, LoadStatus::Connecting)
        && !failed_empty
        && shown > 0
        && view.group != GroupBy::None;
    if !grouped {
        collapsed.keys.borrow_mut().clear();
    }

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
                excel,
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
            if matches!(props.status, LoadStatus::Connecting) {
                <section class="card">
                    { skeleton_state(i18n::t(lang, Msg::Connecting), 8) }
                </section>
            } else if !failed_empty {
                { summary_section(props, &data, total) }
                <section class="card table-card">
                    { filter_bar(FilterBarProps {
                        query: &view.query,
                        group: view.group,
                        statuses: &data.summary.statuses,
                        priorities: &data.summary.priorities,
                        responsible: &data.people.responsible,
                        creators: &data.people.creators,
                        projects: &data.people.projects,
                        directory: &props.directory,
                        shown,
                        total,
                        lang,
                        onedit: &props.onedit,
                    }) }
                    if total > 0 {
                        <div class="table-tools">
                            { column_chooser(&view.columns, !view.widths.is_empty(), lang, &props.onedit) }
                        </div>
                    }
                    { table_body(props, &data, &onsort, &columns, &collapsed) }
                </section>
                if print.printing {
                    { print_view(&props.table.borrow(), &data.shown_order(), &view.columns, &labels) }
                }
            }
            { report_footer(&props.notices, &props.status, props.view_unsaved, matches!(props.names, NamesStatus::Failed(_)), lang) }
        </main>
    }
}

/// Counters, and once there are tasks the pivot and the chart.
fn summary_section(props: &ReportPageProps, data: &Derived, total: usize) -> Html {
    let (lang, query) = (props.session.lang, &props.view.query);
    let onedit = &props.onedit;
    let ontogglecounter = onedit.reform(ViewEdit::Counter);
    let onselectpivot = onedit.reform(|(s, p): PivotSelection| ViewEdit::Pivot(s, p));
    let onselectperson = onedit.reform(ViewEdit::Person);
    let labels = ReportLabels {
        lang,
        directory: &props.directory,
    };
    let summary = &data.summary;
    html! {
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
                    <div class="card wide">
                        { person_pivot_table(&data.people.pivot, &labels, active_person(query).as_ref(), &onselectperson) }
                    </div>
                </div>
            }
        </section>
    }
}

/// The task table (plain or grouped), or the skeleton or empty state in its place.
fn table_body(
    props: &ReportPageProps,
    data: &Derived,
    onsort: &Callback<SortKey>,
    columns: &TableColumns,
    collapsed: &Collapsed,
) -> Html {
    let lang = props.session.lang;
    let t = |msg| i18n::t(lang, msg);
    let total = props.table.borrow().len();
    if total == 0 && props.status.is_running() {
        return skeleton_state(t(Msg::Loading), 6);
    } else if total == 0 {
        let reload = (t(Msg::Reload), props.onreload.clone());
        return empty_state(t(Msg::EmptyTitle), t(Msg::EmptyHint), Some(reload));
    } else if data.rows.is_empty() {
        let reset = (
            t(Msg::FilterReset),
            props.onedit.reform(|()| ViewEdit::ClearFilters),
        );
        return empty_state(t(Msg::NoMatchTitle), t(Msg::NoMatchHint), Some(reset));
    }
    let common = TableCommon {
        table: props.table.clone(),
        lang,
        columns: columns.clone(),
        sort: props.view.query.sort,
        dir: props.view.query.dir,
        onsort: onsort.clone(),
        can_open: props.session.can_open_in_portal,
        portal_url: props.session.portal_url.clone().map(AttrValue::from),
        onopen: props.onopen.clone(),
    };
    if props.view.group == GroupBy::None {
        html! {
            <VirtualTable {common} rows={data.rows.clone()}
                label={AttrValue::from(t(Msg::TasksTable))} />
        }
    } else {
        grouped_tables(&common, &data.groups, collapsed)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
