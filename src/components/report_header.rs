//! `report_header`: title, where the data comes from, and the page actions (view helper).

use yew::prelude::*;

use crate::components::labels;
use crate::i18n::{self, Lang, Msg};
use crate::state::SourceKind;

/// What [`report_header`] shows.
pub struct ReportHeaderProps<'a> {
    /// Where the tasks come from.
    pub source: &'a SourceKind,
    /// The UI language.
    pub lang: Lang,
    /// Export and print are possible (rows are shown).
    pub has_rows: bool,
    /// Fetch everything again.
    pub onreload: &'a Callback<()>,
    /// Download the shown rows as CSV.
    pub onexport: &'a Callback<()>,
    /// Print the report.
    pub onprint: &'a Callback<()>,
    /// The Excel export control, next to the CSV button (`crate::export::button`).
    pub excel: Html,
}

/// The page header.
pub fn report_header(props: ReportHeaderProps<'_>) -> Html {
    let lang = props.lang;
    let demo = matches!(props.source, SourceKind::Demo { .. });
    html! {
        <header class="report-header">
            <div class="title-block">
                <h1>{ i18n::t(lang, Msg::AppTitle) }</h1>
                <p class={labels::class_with("source", demo.then_some("is-demo"))} data-testid="source">
                    { labels::source_text(lang, props.source) }
                </p>
            </div>
            <div class="actions">
                <button type="button" class="button" data-testid="export-csv"
                    disabled={!props.has_rows} onclick={labels::click_emits(props.onexport)}>
                    { i18n::t(lang, Msg::ExportCsv) }
                </button>
                { props.excel }
                <button type="button" class="button" data-testid="print"
                    disabled={!props.has_rows} onclick={labels::click_emits(props.onprint)}>
                    { i18n::t(lang, Msg::Print) }
                </button>
                <button type="button" class="button button-primary" data-testid="reload"
                    onclick={labels::click_emits(props.onreload)}>
                    { i18n::t(lang, Msg::Reload) }
                </button>
            </div>
        </header>
    }
}
