//! `pivot_table`: tasks by status × priority with totals; a click filters the main table
//! (view helper).

use yew::prelude::*;

use crate::i18n::{self, Lang, Msg};
use crate::report::summary::Pivot;
use crate::report::task::{Priority, RealStatus};

/// A pivot selection: a status and/or a priority (both `None`: everything).
pub type PivotSelection = (Option<RealStatus>, Option<Priority>);

/// The status × priority `pivot` (all loaded tasks) with clickable counts: `active` is the
/// selection the main table shows exactly (`aria-pressed`), a click emits `onselect`.
pub fn pivot_table(
    pivot: &Pivot,
    active: Option<PivotSelection>,
    lang: Lang,
    onselect: &Callback<PivotSelection>,
) -> Html {
    let p = pivot;
    let status_labels: Vec<String> = p
        .statuses
        .iter()
        .map(|s| i18n::status_label(lang, s).into_owned())
        .collect();
    let priority_labels: Vec<String> = p
        .priorities
        .iter()
        .map(|x| i18n::priority_label(lang, x).into_owned())
        .collect();
    let total_label = i18n::t(lang, Msg::PivotTotal);
    let cell = |count: usize, sel: PivotSelection, label: String| -> Html {
        let text = i18n::format_number(lang, count as u64);
        if count == 0 {
            return html! { <span class="zero">{ text }</span> };
        }
        let pressed = active.as_ref() == Some(&sel);
        let onclick = {
            let onselect = onselect.clone();
            Callback::from(move |_: MouseEvent| onselect.emit(sel.clone()))
        };
        html! {
            <button type="button" class="cell-button" aria-pressed={pressed.to_string()}
                aria-label={format!("{label}: {text}")} {onclick}>{ text.clone() }</button>
        }
    };
    html! {
        <div class="pivot-wrap">
            <table class="pivot" data-testid="pivot">
                <caption>{ i18n::t(lang, Msg::PivotTitle) }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ i18n::t(lang, Msg::ColStatus) }</th>
                        for label in priority_labels.iter() {
                            <th scope="col">{ label.clone() }</th>
                        }
                        <th scope="col" class="total">{ total_label }</th>
                    </tr>
                </thead>
                <tbody>
                    for (i, status) in p.statuses.iter().enumerate() {
                        <tr>
                            <th scope="row">{ status_labels[i].clone() }</th>
                            for (j, priority) in p.priorities.iter().enumerate() {
                                <td>{ cell(
                                    p.cells.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0),
                                    (Some(status.clone()), Some(priority.clone())),
                                    format!("{}, {}", status_labels[i], priority_labels[j]),
                                ) }</td>
                            }
                            <td class="total">{ cell(
                                p.row_totals.get(i).copied().unwrap_or(0),
                                (Some(status.clone()), None),
                                format!("{}, {total_label}", status_labels[i]),
                            ) }</td>
                        </tr>
                    }
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{ total_label }</th>
                        for (j, priority) in p.priorities.iter().enumerate() {
                            <td>{ cell(
                                p.col_totals.get(j).copied().unwrap_or(0),
                                (None, Some(priority.clone())),
                                format!("{}, {total_label}", priority_labels[j]),
                            ) }</td>
                        }
                        <td class="total" data-testid="pivot-total">{ cell(p.total, (None, None), total_label.to_string()) }</td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}
