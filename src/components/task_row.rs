//! `task_row`: one row of the task table (ID, title, priority, status with meta badge; view
//! helper).

use yew::prelude::*;

use crate::components::badge::badge;
use crate::components::labels;
use crate::i18n::{self, Lang, Msg};
use crate::report::task::Task;

/// What [`task_row`] shows.
pub struct TaskRowProps<'a> {
    /// The task (the title is shown as text).
    pub task: &'a Task,
    /// Position in the table (0-based); `aria-rowindex` is this + 2 (the header is 1).
    pub pos: usize,
    /// True for the row that takes Tab focus (roving tabindex).
    pub tabbable: bool,
    /// The UI language.
    pub lang: Lang,
    /// A plain link to the task, when tasks do not open in the portal.
    pub href: Option<AttrValue>,
    /// True when activating the row opens the task in the portal.
    pub clickable: bool,
    /// The row was clicked (and is clickable): the task's page path in the portal.
    pub onactivate: &'a Callback<String>,
    /// The row got focus.
    pub onfocusrow: &'a Callback<usize>,
}

/// A task row keyed by the task ID (so a list of rows reconciles by task); the title is text,
/// never HTML.
pub fn task_row(props: TaskRowProps<'_>) -> Html {
    let lang = props.lang;
    let task = props.task;
    let onclick = {
        let (onactivate, path, clickable) =
            (props.onactivate.clone(), task.view_path(), props.clickable);
        Callback::from(move |_: MouseEvent| {
            if let (true, Some(path)) = (clickable, &path) {
                onactivate.emit(path.clone());
            }
        })
    };
    let onfocus = {
        let (onfocusrow, pos) = (props.onfocusrow.clone(), props.pos);
        Callback::from(move |_: FocusEvent| onfocusrow.emit(pos))
    };
    let text = AttrValue::from(task.title.clone());
    let empty = text.trim().is_empty();
    let title = if empty {
        html! { <span class="no-title">{ i18n::t(lang, Msg::NoTitle) }</span> }
    } else {
        html! { text.clone() }
    };
    let title = match props.href {
        Some(href) => html! {
            <a {href} target="_blank" rel="noopener" tabindex="-1">{ title }</a>
        },
        None => title,
    };
    let priority = badge(
        i18n::priority_label(lang, &task.priority).into_owned(),
        labels::priority_tone(&task.priority),
    );
    let status = html! {
        <>
            { badge(i18n::status_label(lang, &task.status).into_owned(), labels::status_tone(&task.status)) }
            if let Some(meta) = task.meta {
                { badge(i18n::meta_label(lang, meta), labels::meta_tone(meta)) }
            }
        </>
    };
    html! {
        <tr key={task.id.0} class={labels::class_with("row", props.clickable.then_some("is-clickable"))}
            data-testid="row" data-id={task.id.to_string()}
            aria-rowindex={(props.pos + 2).to_string()}
            tabindex={if props.tabbable { "0" } else { "-1" }}
            title={props.clickable.then(|| i18n::t(lang, Msg::OpenTask))}
            {onclick} {onfocus}>
            <td class="c-id">{ task.id.to_string() }</td>
            <td class="c-title" title={(!empty).then_some(text)}>
                <span class="title-text">{ title }</span>
                <span class="mobile-badges">{ priority.clone() }{ status.clone() }</span>
            </td>
            <td class="c-priority">{ priority }</td>
            <td class="c-status">{ status }</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::task::test_task;

    #[test]
    fn the_row_is_keyed_by_task_id() {
        let task = test_task(42, "Ship it", "1", "2", None);
        let html = task_row(TaskRowProps {
            task: &task,
            pos: 0,
            tabbable: true,
            lang: Lang::En,
            href: None,
            clickable: true,
            onactivate: &Callback::noop(),
            onfocusrow: &Callback::noop(),
        });
        assert_eq!(html.key().map(|k| k.to_string()), Some("42".to_string()));
    }
}
