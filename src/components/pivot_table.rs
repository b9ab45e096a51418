//! `pivot_table`: tasks by status × priority with totals; a click filters the main table
//! (view helper). Counts in the "Other" row or column (unknown values folded together, see
//! [`crate::report::summary::UNKNOWN_SLOTS`]) are plain text, not buttons: no filter of the
//! table selects "every folded value" (the filters list values one by one).

use yew::prelude::*;

use crate::i18n::{self, Label, Lang, Msg};
use crate::report::summary::{Folded, Pivot};
use crate::report::task::{Priority, RealStatus};

/// A pivot selection: a status and/or a priority (both `None`: everything).
pub type PivotSelection = (Option<RealStatus>, Option<Priority>);

/// The status × priority `pivot` (all loaded tasks) with clickable counts: `active` is the
/// selection the main table shows exactly (`aria-pressed`), a click emits `onselect`.
/// Counts of the "Other" row / column are not clickable.
pub fn pivot_table(
    pivot: &Pivot,
    active: Option<PivotSelection>,
    lang: Lang,
    onselect: &Callback<PivotSelection>,
) -> Html {
    let p = pivot;
    // The summary builds one row per status and one column per priority; a mismatch would only
    // show 0 in the missing cells (the `get`s below), never panic.
    debug_assert!(
        p.cells.len() == p.statuses.len()
            && p.row_totals.len() == p.statuses.len()
            && p.col_totals.len() == p.priorities.len()
            && p.cells.iter().all(|r| r.len() == p.priorities.len()),
        "pivot shape"
    );
    let status_labels: Vec<String> = p
        .statuses
        .iter()
        .map(|s| s.label(lang).into_owned())
        .collect();
    let priority_labels: Vec<String> = p
        .priorities
        .iter()
        .map(|x| x.label(lang).into_owned())
        .collect();
    let total_label = i18n::t(lang, Msg::PivotTotal);
    // `sel` is `None` for the counts of the folded "Other" values.
    let cell = |count: usize, sel: Option<PivotSelection>, label: String| -> Html {
        count_cell(lang, count, sel, active.as_ref(), &label, onselect)
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
                    for ((i, status), status_label) in p.statuses.iter().enumerate().zip(&status_labels) {
                        <tr>
                            <th scope="row">{ status_label.clone() }</th>
                            for ((j, priority), priority_label) in p.priorities.iter().enumerate().zip(&priority_labels) {
                                <td>{ cell(
                                    p.cells.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0),
                                    pair(status, priority),
                                    format!("{status_label}, {priority_label}"),
                                ) }</td>
                            }
                            <td class="total">{ cell(
                                p.row_totals.get(i).copied().unwrap_or(0),
                                status.value().map(|s| (Some(s.clone()), None)),
                                format!("{status_label}, {total_label}"),
                            ) }</td>
                        </tr>
                    }
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{ total_label }</th>
                        for ((j, priority), priority_label) in p.priorities.iter().enumerate().zip(&priority_labels) {
                            <td>{ cell(
                                p.col_totals.get(j).copied().unwrap_or(0),
                                priority.value().map(|p| (None, Some(p.clone()))),
                                format!("{priority_label}, {total_label}"),
                            ) }</td>
                        }
                        <td class="total" data-testid="pivot-total">{ cell(p.total, Some((None, None)), total_label.to_string()) }</td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

/// One count of a pivot: plain text when zero or when `sel` is `None` (a folded "Other"
/// count no filter selects), else a button (`aria-pressed` when `sel` is `active`, labelled
/// "`label`: count") emitting `sel`.
pub fn count_cell<S: Clone + PartialEq + 'static>(
    lang: Lang,
    count: usize,
    sel: Option<S>,
    active: Option<&S>,
    label: &str,
    onselect: &Callback<S>,
) -> Html {
    let text = i18n::format_number(lang, count as u64);
    if count == 0 {
        return html! { <span class="zero">{ text }</span> };
    }
    let Some(sel) = sel else {
        return html! { <span class="folded">{ text }</span> };
    };
    let pressed = active == Some(&sel);
    let onclick = {
        let onselect = onselect.clone();
        Callback::from(move |_: MouseEvent| onselect.emit(sel.clone()))
    };
    html! {
        <button type="button" class="cell-button" aria-pressed={pressed.to_string()}
            aria-label={format!("{label}: {text}")} {onclick}>{ text.clone() }</button>
    }
}

/// The selection of a body cell; `None` when its row or column is "Other".
fn pair(status: &Folded<RealStatus>, priority: &Folded<Priority>) -> Option<PivotSelection> {
    let (s, p) = status.value().zip(priority.value())?;
    Some((Some(s.clone()), Some(p.clone())))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::report::query::{Query, TaskTable};
    use crate::report::summary::{self, UNKNOWN_SLOTS};
    use crate::report::task::test_task as task;

    #[derive(Properties, PartialEq)]
    struct Props {
        pivot: Pivot,
    }

    #[component]
    fn Host(props: &Props) -> Html {
        pivot_table(&props.pivot, None, Lang::En, &Callback::noop())
    }

    #[tokio::test]
    async fn other_row_and_column_are_plain_counts() {
        // Twice the bound of distinct unknown statuses and priorities, plus one known task.
        let mut tasks: Vec<_> = (0..2 * UNKNOWN_SLOTS as u64)
            .map(|i| {
                task(
                    i + 1,
                    "t",
                    &(10 + i).to_string(),
                    &(100 + i).to_string(),
                    None,
                )
            })
            .collect();
        tasks.push(task(99, "t", "2", "3", None));
        let table = TaskTable::from_tasks(tasks);
        let pivot = summary::pivot(&table, &table.apply(&Query::default()));
        let html = yew::LocalServerRenderer::<Host>::with_props(Props { pivot })
            .hydratable(false)
            .render()
            .await;
        // Headings: the first named unknown values, then "Other" once each way.
        assert!(html.contains(">Unknown (100)<"), "{html}");
        assert!(!html.contains(">Unknown (115)<"), "{html}");
        assert_eq!(html.matches(">Other<").count(), 2, "{html}");
        // Named cells are buttons; the folded ones are plain text: Other × Other holds the
        // 9 tasks beyond the 7 named values, as do the Other row and column totals.
        assert!(
            html.contains("aria-label=\"In progress, High: 1\""),
            "{html}"
        );
        assert!(
            html.contains("aria-label=\"Unknown (100), Total: 1\""),
            "{html}"
        );
        assert_eq!(
            html.matches("<span class=\"folded\">9</span>").count(),
            3,
            "{html}"
        );
        assert!(!html.contains("aria-label=\"Other"), "{html}");
        assert!(html.contains("aria-label=\"Total: 17\""), "{html}");
    }
}
