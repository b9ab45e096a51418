//! `<TaskRow>`: one row of the task table (ID, title, priority, status with meta badge).

use yew::prelude::*;

use crate::components::badge::badge;
use crate::components::labels;
use crate::i18n::{self, Lang, Msg};
use crate::report::task::{MetaStatus, Priority, RealStatus, TaskId};

/// Props of [`TaskRow`].
#[derive(Properties, PartialEq)]
pub struct TaskRowProps {
    /// The task's ID.
    pub id: TaskId,
    /// The title, shown as text.
    pub title: AttrValue,
    /// The priority.
    pub priority: Priority,
    /// The real status.
    pub status: RealStatus,
    /// The meta status (overdue, almost overdue, unviewed), if any.
    pub meta: Option<MetaStatus>,
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
    /// The row was clicked (and is clickable).
    pub onactivate: Callback<TaskId>,
    /// The row got focus.
    pub onfocusrow: Callback<usize>,
}

/// A task row; the title is text, never HTML.
#[component]
pub fn TaskRow(props: &TaskRowProps) -> Html {
    let lang = props.lang;
    let onclick = {
        let (onactivate, id, clickable) = (props.onactivate.clone(), props.id, props.clickable);
        Callback::from(move |_: MouseEvent| {
            if clickable {
                onactivate.emit(id);
            }
        })
    };
    let onfocus = {
        let (onfocusrow, pos) = (props.onfocusrow.clone(), props.pos);
        Callback::from(move |_: FocusEvent| onfocusrow.emit(pos))
    };
    let empty = props.title.trim().is_empty();
    let title = if empty {
        html! { <span class="no-title">{ i18n::t(lang, Msg::NoTitle) }</span> }
    } else {
        html! { props.title.clone() }
    };
    let title = match &props.href {
        Some(href) => html! {
            <a href={href.clone()} target="_blank" rel="noopener" tabindex="-1">{ title }</a>
        },
        None => title,
    };
    let priority = badge(
        i18n::priority_label(lang, &props.priority).into_owned(),
        labels::priority_tone(&props.priority),
    );
    let status = html! {
        <>
            { badge(i18n::status_label(lang, &props.status).into_owned(), labels::status_tone(&props.status)) }
            if let Some(meta) = props.meta {
                { badge(i18n::meta_label(lang, meta), labels::meta_tone(meta)) }
            }
        </>
    };
    html! {
        <tr class={classes!("row", props.clickable.then_some("is-clickable"))}
            data-testid="row" data-id={props.id.to_string()}
            aria-rowindex={(props.pos + 2).to_string()}
            tabindex={if props.tabbable { "0" } else { "-1" }}
            title={props.clickable.then(|| i18n::t(lang, Msg::OpenTask))}
            {onclick} {onfocus}>
            <td class="c-id">{ props.id.to_string() }</td>
            <td class="c-title" title={(!empty).then(|| props.title.clone())}>
                <span class="title-text">{ title }</span>
                <span class="mobile-badges">{ priority.clone() }{ status.clone() }</span>
            </td>
            <td class="c-priority">{ priority }</td>
            <td class="c-status">{ status }</td>
        </tr>
    }
}
