//! The Excel control of the report header: the "Excel" button, which turns into Cancel while
//! the worker writes the file, with the percent written beside it; on failure a message, and
//! the CSV export runs instead. A hook ([`use_excel_export`]) and a view function ([`excel_controls`]), not
//! a component, and its state outside Yew's state hooks: this code is in the first load, and
//! each costs bytes.

use std::cell::Cell;

use yew::prelude::*;

use crate::export::client::{self, Export};
use crate::i18n::{self, Lang, Msg};

/// Where the export is.
#[derive(Clone, Copy, Debug)]
pub enum Phase {
    /// Nothing running.
    Idle,
    /// Writing: percent of the rows.
    Running(u32),
    /// The exporter could not be loaded or failed (the CSV export ran instead).
    Failed,
}

thread_local! {
    /// The export running (one at a time).
    static RUNNING: Cell<Option<Export>> = const { Cell::new(None) };
    /// What the control shows.
    static PHASE: Cell<Phase> = const { Cell::new(Phase::Idle) };
}

/// The state of the Excel control and its click (export, or Cancel while running).
pub struct ExcelExport {
    phase: Phase,
    onclick: Callback<MouseEvent>,
}

/// The export's state; `build` makes the request of what is on screen
/// (`crate::export::request`) when the user clicks, `oncsv` is the fallback.
#[hook]
pub fn use_excel_export(build: Callback<(), Vec<u8>>, oncsv: Callback<()>) -> ExcelExport {
    let redraw = use_force_update();
    let show = move |phase| {
        PHASE.set(phase);
        redraw.force_update();
    };
    let onclick = Callback::from(move |_: MouseEvent| {
        if let Some(running) = RUNNING.take() {
            running.stop();
        }
        if let Phase::Running(_) = PHASE.get() {
            show(Phase::Idle);
            return;
        }
        let (update, csv) = (show.clone(), oncsv.clone());
        let on_event = move |phase| {
            if matches!(phase, Phase::Failed) {
                csv.emit(());
            }
            update(phase)
        };
        match client::start(&build.emit(()), on_event.clone()) {
            Some(export) => {
                RUNNING.set(Some(export));
                show(Phase::Running(0));
            }
            None => on_event(Phase::Failed),
        }
    });
    ExcelExport {
        phase: PHASE.get(),
        onclick,
    }
}

/// The button (Cancel while running) and, while running or after a failure, the status
/// beside it: percent written, or the failure. (Always enabled: with no rows shown the
/// workbook has the headers and the pivots.)
pub fn excel_controls(state: &ExcelExport, lang: Lang) -> Html {
    let running = matches!(state.phase, Phase::Running(_));
    html! {
        <>
            <button class="button" data-testid="export-xlsx" onclick={state.onclick.clone()}>
                { i18n::t(lang, if running { Msg::Cancel } else { Msg::ExportXlsx }) }
            </button>
            if !matches!(state.phase, Phase::Idle) {
                <span role="status">
                    { match state.phase {
                        Phase::Running(percent) => format!("{percent} %"),
                        _ => i18n::t(lang, Msg::XlsxFailed).to_string(),
                    } }
                </span>
            }
        </>
    }
}
