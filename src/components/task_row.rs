//! `task_row`: one row of the task table — one `gridcell` per visible column of the column
//! model (`report::columns`), in the view's order (view helper).

use yew::prelude::*;

use crate::components::badge::badge;
use crate::components::labels;
use crate::i18n::{self, Lang, Msg, ReportLabels};
use crate::report::columns::{value_text, CellLabels, CellValue, Column, NONE};
use crate::report::dates::Rel;
use crate::report::task::{RealStatus, Task};

/// What [`task_row`] shows.
pub struct TaskRowProps<'a> {
    /// The task (the title is shown as text).
    pub task: &'a Task,
    /// Position in the table (0-based); `aria-rowindex` is this + 2 (the header is 1).
    pub pos: usize,
    /// True for the row that takes Tab focus (roving tabindex).
    pub tabbable: bool,
    /// True when the row is selected (`aria-selected`).
    pub selected: bool,
    /// The visible columns, in order.
    pub columns: &'a [Column],
    /// Texts in the UI language and the names of people and projects.
    pub labels: ReportLabels<'a>,
    /// Now, in Unix seconds (for the relative deadline).
    pub now: i64,
    /// A plain link to the task, when tasks do not open in the portal.
    pub href: Option<AttrValue>,
    /// True when activating the row opens the task in the portal.
    pub clickable: bool,
    /// The row was clicked: its position and the click (modifier keys decide between opening,
    /// selecting, extending).
    pub onclickrow: &'a Callback<(usize, MouseEvent)>,
    /// The row got focus.
    pub onfocusrow: &'a Callback<usize>,
    /// New or changed since the user's last visit (issue 15): a mark in the first cell.
    #[cfg(feature = "snapshot")]
    pub since: Option<crate::report::query::SinceMark>,
}

/// The relative deadline is shown for open tasks only (a closed task is not "overdue").
fn is_open(task: &Task) -> bool {
    task.closed.is_none() && task.status != RealStatus::Completed
}

/// The badges of the status column: the status and the meta status. When the column is too
/// narrow for both, the status badge gives way and the meta status (overdue, unviewed) stays
/// whole (`.status-badges` in style.css); the cell's tooltip says both.
fn status_badges(lang: Lang, task: &Task) -> Html {
    html! {
        <span class="status-badges">
            { badge(i18n::status_label(lang, &task.status).into_owned(), labels::status_tone(&task.status)) }
            if let Some(meta) = task.meta {
                { badge(i18n::meta_label(lang, meta), labels::meta_tone(meta)) }
            }
        </span>
    }
}

/// The status cell's tooltip: "status · meta status" when there is a meta status.
fn status_title(lang: Lang, task: &Task) -> Option<AttrValue> {
    let meta = task.meta?;
    let status = i18n::status_label(lang, &task.status);
    Some(format!("{status} · {}", i18n::meta_label(lang, meta)).into())
}

/// A grid cell of `column` holding `content`, with a tooltip when the text may be cut.
fn td(column: Column, title: Option<AttrValue>, content: Html) -> Html {
    html! { <td class={cell_class(column)} role="gridcell" {title}>{ content }</td> }
}

/// The cell of `column` for `task` (`class` `c-{key}`).
fn cell(column: Column, props: &TaskRowProps<'_>) -> Html {
    let (task, labels) = (props.task, &props.labels);
    let lang = labels.lang;
    match column.value(task) {
        CellValue::Text(text) => {
            let text = AttrValue::from(text.to_string());
            let empty = text.trim().is_empty();
            let title = if empty {
                html! { <span class="no-title">{ i18n::t(lang, Msg::NoTitle) }</span> }
            } else {
                html! { text.clone() }
            };
            let title = match &props.href {
                Some(href) => html! {
                    <a href={href.clone()} target="_blank" rel="noopener" tabindex="-1">{ title }</a>
                },
                None => title,
            };
            let priority = badge(
                i18n::priority_label(lang, &task.priority).into_owned(),
                labels::priority_tone(&task.priority),
            );
            let content = html! {
                <>
                    <span class="title-text">{ title }</span>
                    <span class="mobile-badges">{ priority }{ status_badges(lang, task) }</span>
                </>
            };
            td(column, (!empty).then_some(text), content)
        }
        CellValue::Priority(p) => td(
            column,
            None,
            badge(labels.priority(p).into_owned(), labels::priority_tone(p)),
        ),
        CellValue::Status(_) => td(column, status_title(lang, task), status_badges(lang, task)),
        CellValue::Date(Some(time)) if column == Column::Deadline => {
            let date = labels.date(time);
            let rel = is_open(task).then(|| Rel::of(time, props.now));
            let tone = match rel {
                Some(Rel::OverdueToday | Rel::OverdueDays(_)) => "rel is-overdue",
                _ => "rel",
            };
            let rel = rel.map(|r| labels.relative(r));
            let content = html! {
                <>
                    <span class="date">{ date.clone() }</span>
                    if let Some(rel) = &rel {
                        <span class={tone}>{ rel.clone() }</span>
                    }
                </>
            };
            let hint = match rel {
                Some(rel) => format!("{date} · {rel}"),
                None => date,
            };
            td(column, Some(hint.into()), content)
        }
        value => {
            let text = value_text(value, labels);
            let title = (text != NONE).then(|| AttrValue::from(text.clone()));
            td(column, title, html! { text })
        }
    }
}

/// The class of a column's cells: `c-{key}` (`c-id`, `c-title`, `c-responsible`, …), plus
/// `is-num` for right-aligned numbers.
pub fn cell_class(column: Column) -> &'static str {
    match column {
        Column::Id => "c-id",
        Column::Title => "c-title",
        Column::Responsible => "c-responsible",
        Column::CreatedBy => "c-created_by",
        Column::Project => "c-project",
        Column::Deadline => "c-deadline",
        Column::Created => "c-created",
        Column::Changed => "c-changed",
        Column::Closed => "c-closed",
        Column::Priority => "c-priority",
        Column::Status => "c-status",
        Column::TimeEstimate => "c-time_estimate is-num",
        Column::TimeSpent => "c-time_spent is-num",
    }
}

/// A task row keyed by the task ID (so a list of rows reconciles by task); the title is text,
/// never HTML.
pub fn task_row(props: TaskRowProps<'_>) -> Html {
    #[cfg(feature = "snapshot")]
    let cell = |column: Column, p: &TaskRowProps<'_>| {
        let first = p.columns.first() == Some(&column);
        since_mark::marked(cell(column, p), p.since.filter(|_| first), p.labels.lang)
    };
    let lang = props.labels.lang;
    let task = props.task;
    let onclick = {
        let (onclickrow, pos) = (props.onclickrow.clone(), props.pos);
        Callback::from(move |e: MouseEvent| onclickrow.emit((pos, e)))
    };
    let onfocus = {
        let (onfocusrow, pos) = (props.onfocusrow.clone(), props.pos);
        Callback::from(move |_: FocusEvent| onfocusrow.emit(pos))
    };
    let class = match (props.clickable, props.selected) {
        (true, true) => "row is-clickable is-selected",
        (true, false) => "row is-clickable",
        (false, true) => "row is-selected",
        (false, false) => "row",
    };
    html! {
        <tr key={task.id.0} {class} role="row"
            data-testid="row" data-id={task.id.to_string()}
            aria-rowindex={(props.pos + 2).to_string()}
            aria-selected={props.selected.to_string()}
            tabindex={if props.tabbable { "0" } else { "-1" }}
            title={props.clickable.then(|| i18n::t(lang, Msg::OpenTask))}
            {onclick} {onfocus}>
            for column in props.columns.iter().copied() {
                { cell(column, &props) }
            }
        </tr>
    }
}

/// The "new / changed since your last visit" mark (feature `snapshot`).
#[cfg(feature = "snapshot")]
mod since_mark {
    use yew::prelude::*;

    use crate::i18n::{self, Lang, Msg};
    use crate::report::query::SinceMark;

    /// `cell` with the mark of `since` first in it: a dot in a badge's colour (green: new,
    /// blue: changed) whose accessible name and tooltip say which.
    pub fn marked(cell: Html, since: Option<SinceMark>, lang: Lang) -> Html {
        let (since, mut td) = match (since, cell) {
            (Some(since), Html::VTag(td)) => (since, td),
            (_, cell) => return cell,
        };
        let (msg, class) = match since {
            SinceMark::New => (Msg::SinceVisitRowNew, "badge tone-success since-mark"),
            SinceMark::Changed => (Msg::SinceVisitRowChanged, "badge tone-info since-mark"),
        };
        let label = i18n::t(lang, msg);
        if let Some(children) = std::rc::Rc::make_mut(&mut td).children_mut() {
            let content = std::mem::take(children);
            *children = html! {
                <>
                    <span {class} role="img" aria-label={label} title={label}
                        style="margin-right:6px" data-testid="since-mark"></span>
                    { content }
                </>
            };
        }
        Html::VTag(td)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::directory::Directory;
    use crate::report::task::{test_task, RawDetails};

    #[test]
    fn the_row_is_keyed_by_task_id() {
        let task = test_task(42, "Ship it", "1", "2", None);
        let directory = Directory::new();
        let html = task_row(TaskRowProps {
            task: &task,
            pos: 0,
            tabbable: true,
            selected: false,
            columns: &Column::DEFAULT_VISIBLE,
            labels: ReportLabels {
                lang: Lang::En,
                directory: &directory,
            },
            now: 0,
            href: None,
            clickable: true,
            onclickrow: &Callback::noop(),
            onfocusrow: &Callback::noop(),
            #[cfg(feature = "snapshot")]
            since: None,
        });
        assert_eq!(html.key().map(|k| k.to_string()), Some("42".to_string()));
        let _ = RawDetails::default();
    }
}
