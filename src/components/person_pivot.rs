//! `person_pivot`: tasks by responsible person — overdue (the sort, first), total, then per
//! status — most overdue first (issue 14, "who has overdue tasks"); a click filters the main
//! table to that person (and status, or their overdue tasks) — view helper.

use yew::prelude::*;

use crate::components::pivot_table::count_cell;
use crate::components::view_edit::PersonSelection;
use crate::i18n::{self, Label, Lang, Msg, ReportLabels};
use crate::report::columns::CellLabels;
use crate::report::summary::{Folded, PersonPivot, PersonRow};
use crate::report::task::RealStatus;

/// The responsible × status `pivot` with clickable counts: `active` is the selection the main
/// table shows exactly (`aria-pressed`), a click emits `onselect`. The "Other" row and the
/// row of tasks without a responsible person are plain counts (no filter selects them).
pub fn person_pivot_table(
    pivot: &PersonPivot,
    labels: &ReportLabels<'_>,
    active: Option<&PersonSelection>,
    onselect: &Callback<PersonSelection>,
) -> Html {
    let lang = labels.lang;
    let status_labels: Vec<String> = pivot
        .statuses
        .iter()
        .map(|s| s.label(lang).into_owned())
        .collect();
    let overdue_label = i18n::t(lang, Msg::BucketOverdue);
    let total_label = i18n::t(lang, Msg::PivotTotal);
    let cell = |count: usize, sel: Option<PersonSelection>, label: String| -> Html {
        count_cell(lang, count, sel, active, &label, onselect)
    };
    let row = |r: &PersonRow, name: String, testid: &'static str| -> Html {
        let select = |status: Option<&Folded<RealStatus>>, overdue: bool| {
            let person = r.person?;
            let status = match status {
                Some(s) => Some(s.value()?.clone()),
                None => None,
            };
            Some(PersonSelection {
                person,
                status,
                overdue,
            })
        };
        html! {
            <tr data-testid={testid}>
                <th scope="row">{ name.clone() }</th>
                <td class="overdue">{ cell(r.overdue, select(None, true), format!("{name}, {overdue_label}")) }</td>
                <td class="total">{ cell(r.total, select(None, false), format!("{name}, {total_label}")) }</td>
                for ((j, status), status_label) in pivot.statuses.iter().enumerate().zip(&status_labels) {
                    <td>{ cell(
                        r.cells.get(j).copied().unwrap_or(0),
                        select(Some(status), false),
                        format!("{name}, {status_label}"),
                    ) }</td>
                }
            </tr>
        }
    };
    let name = |r: &PersonRow| match r.person {
        Some(id) => labels.person(id).into_owned(),
        None => i18n::t(lang, Msg::NoPerson).to_string(),
    };
    html! {
        <div class="pivot-wrap">
            <table class="pivot person-pivot" data-testid="person-pivot">
                <caption>{ i18n::t(lang, Msg::PersonPivotTitle) }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ i18n::t(lang, Msg::ColResponsible) }</th>
                        <th scope="col" class="overdue">{ overdue_label }</th>
                        <th scope="col" class="total">{ total_label }</th>
                        for label in status_labels.iter() {
                            <th scope="col">{ label.clone() }</th>
                        }
                    </tr>
                </thead>
                <tbody>
                    for r in pivot.rows.iter() {
                        { row(r, name(r), "person-row") }
                    }
                    if let Some((other, people)) = &pivot.other {
                        { row(other, other_label(lang, *people), "person-other") }
                    }
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{ total_label }</th>
                        <td class="overdue">{ i18n::format_number(lang, pivot.overdue as u64) }</td>
                        <td class="total">{ i18n::format_number(lang, pivot.total as u64) }</td>
                        for n in pivot.col_totals.iter() {
                            <td>{ i18n::format_number(lang, *n as u64) }</td>
                        }
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

/// "Other (N)": the people folded together.
fn other_label(lang: Lang, people: usize) -> String {
    format!(
        "{} ({})",
        i18n::t(lang, Msg::SummaryOther),
        i18n::format_number(lang, people as u64)
    )
}
