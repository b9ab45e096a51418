//! `filter_bar`: search, presets, status / priority / meta filters, grouping, "Clear filters"
//! and the "N of M tasks" line (view helper).

use std::rc::Rc;

use yew::prelude::*;

use crate::components::multi_select::{Choice, MultiSelect};
use crate::components::preset_bar::preset_bar;
use crate::components::search_box::SearchBox;
use crate::components::view_edit::ViewEdit;
use crate::i18n::{self, Lang, Msg};
use crate::report::query::Query;
use crate::report::summary::GroupBy;
use crate::report::task::{MetaStatus, Priority, RealStatus};

/// What [`filter_bar`] shows.
pub struct FilterBarProps<'a> {
    /// The current query.
    pub query: &'a Query,
    /// The current grouping.
    pub group: GroupBy,
    /// Statuses offered in the status filter (those of the pivot).
    pub statuses: &'a [RealStatus],
    /// Priorities offered in the priority filter.
    pub priorities: &'a [Priority],
    /// Rows shown.
    pub shown: usize,
    /// Rows loaded.
    pub total: usize,
    /// The UI language.
    pub lang: Lang,
    /// A control changed.
    pub onedit: &'a Callback<ViewEdit>,
}

/// The meta choices, in menu order (`None`: tasks without a note).
const META_CHOICES: [Option<MetaStatus>; 4] = [
    Some(MetaStatus::Overdue),
    Some(MetaStatus::AlmostOverdue),
    Some(MetaStatus::Unviewed),
    None,
];

/// Offered values plus any selected value the table does not have (from a saved view).
fn with_selected<T: Clone + PartialEq>(offered: &[T], selected: impl Iterator<Item = T>) -> Vec<T> {
    let mut all = offered.to_vec();
    for value in selected {
        if !all.contains(&value) {
            all.push(value);
        }
    }
    all
}

/// The filter toolbar above the task table.
pub fn filter_bar(props: FilterBarProps<'_>) -> Html {
    let lang = props.lang;
    let q = props.query;
    let edit = |f: fn(String) -> ViewEdit| {
        let onedit = props.onedit.clone();
        Callback::from(move |v: String| onedit.emit(f(v)))
    };
    let onsearch = edit(ViewEdit::Search);
    let onpick = {
        let onedit = props.onedit.clone();
        Callback::from(move |p| onedit.emit(ViewEdit::Preset(p)))
    };

    let statuses = with_selected(props.statuses, q.statuses.iter().cloned());
    let status_choices: Rc<[Choice]> = statuses
        .iter()
        .map(|s| Choice {
            label: i18n::status_label(lang, s).into_owned().into(),
            checked: q.statuses.contains(s),
        })
        .collect();
    let ontogglestatus = {
        let onedit = props.onedit.clone();
        Callback::from(move |i: usize| {
            if let Some(s) = statuses.get(i) {
                onedit.emit(ViewEdit::ToggleStatus(s.clone()));
            }
        })
    };
    let priorities = with_selected(props.priorities, q.priorities.iter().cloned());
    let priority_choices: Rc<[Choice]> = priorities
        .iter()
        .map(|p| Choice {
            label: i18n::priority_label(lang, p).into_owned().into(),
            checked: q.priorities.contains(p),
        })
        .collect();
    let ontogglepriority = {
        let onedit = props.onedit.clone();
        Callback::from(move |i: usize| {
            if let Some(p) = priorities.get(i) {
                onedit.emit(ViewEdit::TogglePriority(p.clone()));
            }
        })
    };
    let meta_choices: Rc<[Choice]> = META_CHOICES
        .iter()
        .map(|m| Choice {
            label: m
                .map_or(i18n::t(lang, Msg::FilterMetaNone), |m| {
                    i18n::meta_label(lang, m)
                })
                .into(),
            checked: q.meta.contains(m),
        })
        .collect();
    let ontogglemeta = {
        let onedit = props.onedit.clone();
        Callback::from(move |i: usize| {
            if let Some(m) = META_CHOICES.get(i) {
                onedit.emit(ViewEdit::ToggleMeta(*m));
            }
        })
    };
    let ongroup = {
        let onedit = props.onedit.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Some(g) = value
                .parse::<usize>()
                .ok()
                .and_then(|i| GroupBy::ALL.get(i))
            {
                onedit.emit(ViewEdit::Group(*g));
            }
        })
    };
    let onclear = {
        let onedit = props.onedit.clone();
        Callback::from(move |_: MouseEvent| onedit.emit(ViewEdit::ClearFilters))
    };
    let filtered = q.is_filtered();
    html! {
        <div class="filter-bar">
            <div class="filter-row">
                <SearchBox value={AttrValue::from(q.search.clone())} {lang} {onsearch} />
                { preset_bar(q.preset, lang, &onpick) }
            </div>
            <div class="filter-row">
                <MultiSelect label={i18n::t(lang, Msg::FilterStatus)} choices={status_choices}
                    testid="filter-status" ontoggle={ontogglestatus} />
                <MultiSelect label={i18n::t(lang, Msg::FilterPriority)} choices={priority_choices}
                    testid="filter-priority" ontoggle={ontogglepriority} />
                <MultiSelect label={i18n::t(lang, Msg::FilterMeta)} choices={meta_choices}
                    testid="filter-meta" ontoggle={ontogglemeta} />
                <label class="group-by">
                    <span>{ i18n::t(lang, Msg::Group) }</span>
                    <select class="input" data-testid="group-by" onchange={ongroup}>
                        for (i, g) in GroupBy::ALL.iter().enumerate() {
                            <option value={i.to_string()} selected={*g == props.group}>
                                { i18n::group_by_label(lang, *g) }
                            </option>
                        }
                    </select>
                </label>
                <button type="button" class="button button-link" data-testid="clear-filters"
                    disabled={!filtered} onclick={onclear}>
                    { i18n::t(lang, Msg::FilterReset) }
                </button>
                <p class="shown-count" data-testid="shown-count" aria-live="polite">
                    { i18n::n_of_m_tasks(lang, props.shown as u64, props.total as u64) }
                </p>
            </div>
        </div>
    }
}
