//! `filter_bar`: search, presets, status / priority / meta filters, responsible / creator /
//! project filters (with their task counts and a search inside the list), date ranges on
//! deadline / created / closed, grouping, "Clear filters" and the "N of M tasks" line (view
//! helper).

use std::rc::Rc;

use yew::prelude::*;

use crate::components::date_filter::date_filter;
use crate::components::multi_select::{Choice, MultiSelect};
use crate::components::preset_bar::preset_bar;
use crate::components::search_box::SearchBox;
use crate::components::view_edit::ViewEdit;
use crate::i18n::{self, Lang, Msg, ReportLabels};
use crate::report::columns::{CellLabels, Column};
use crate::report::dates::DateField;
use crate::report::directory::Directory;
use crate::report::query::Query;
use crate::report::summary::GroupBy;
use crate::report::task::{GroupId, MetaStatus, Priority, RealStatus, UserId};

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
    /// Responsible people offered, with their task counts, by name.
    pub responsible: &'a [(Option<UserId>, usize)],
    /// Creators offered, with their task counts.
    pub creators: &'a [(Option<UserId>, usize)],
    /// Projects offered, with their task counts.
    pub projects: &'a [(Option<GroupId>, usize)],
    /// Names of people and projects.
    pub directory: &'a Directory,
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

/// "Name (count)" choices for the people (or projects) offered plus any selected one the
/// table does not have (from a saved view, count 0), and the value of each choice.
fn counted_choices<T: Copy + PartialEq>(
    offered: &[(Option<T>, usize)],
    selected: impl Iterator<Item = Option<T>>,
    checked: impl Fn(Option<T>) -> bool,
    name: impl Fn(Option<T>) -> String,
    lang: Lang,
) -> (Rc<[Choice]>, Vec<Option<T>>) {
    let mut values: Vec<(Option<T>, usize)> = offered.to_vec();
    for value in selected {
        if !values.iter().any(|(v, _)| *v == value) {
            values.push((value, 0));
        }
    }
    let choices = values
        .iter()
        .map(|&(v, n)| Choice {
            label: format!("{} ({})", name(v), i18n::format_number(lang, n as u64)).into(),
            checked: checked(v),
        })
        .collect();
    (choices, values.into_iter().map(|(v, _)| v).collect())
}

/// The responsible, creator and project filters.
fn people_filters(props: &FilterBarProps<'_>) -> Html {
    let (lang, q) = (props.lang, props.query);
    let labels = ReportLabels {
        lang,
        directory: props.directory,
    };
    let person = |id: Option<UserId>| match id {
        Some(id) => labels.person(id).into_owned(),
        None => i18n::t(lang, Msg::NoPerson).to_string(),
    };
    let project = |id: Option<GroupId>| match id {
        Some(id) => labels.project(id).into_owned(),
        None => i18n::t(lang, Msg::NoProject).to_string(),
    };
    // Tasks without a responsible person or creator cannot be picked (the filters hold IDs).
    let people = |offered: &[(Option<UserId>, usize)]| -> Vec<(Option<UserId>, usize)> {
        offered
            .iter()
            .copied()
            .filter(|(p, _)| p.is_some())
            .collect()
    };
    let (responsible, responsible_values) = counted_choices(
        &people(props.responsible),
        q.responsible.iter().map(|u| Some(*u)),
        |v| v.is_some_and(|u| q.responsible.contains(&u)),
        person,
        lang,
    );
    let (creators, creator_values) = counted_choices(
        &people(props.creators),
        q.creators.iter().map(|u| Some(*u)),
        |v| v.is_some_and(|u| q.creators.contains(&u)),
        person,
        lang,
    );
    let (projects, project_values) = counted_choices(
        props.projects,
        q.projects.iter().copied(),
        |v| q.projects.contains(&v),
        project,
        lang,
    );
    let toggle = |values: Vec<Option<UserId>>, edit: fn(UserId) -> ViewEdit| {
        let onedit = props.onedit.clone();
        Callback::from(move |i: usize| {
            if let Some(Some(u)) = values.get(i) {
                onedit.emit(edit(*u));
            }
        })
    };
    let ontoggleproject = {
        let onedit = props.onedit.clone();
        Callback::from(move |i: usize| {
            if let Some(g) = project_values.get(i) {
                onedit.emit(ViewEdit::ToggleProject(*g));
            }
        })
    };
    let find = Some(AttrValue::from(i18n::t(lang, Msg::FilterFindInList)));
    let column = |c| i18n::column_label(lang, c);
    html! {
        <>
            <MultiSelect label={column(Column::Responsible)} choices={responsible}
                testid="filter-responsible" search={find.clone()}
                ontoggle={toggle(responsible_values, ViewEdit::ToggleResponsible)} />
            <MultiSelect label={column(Column::CreatedBy)} choices={creators}
                testid="filter-creator" search={find.clone()}
                ontoggle={toggle(creator_values, ViewEdit::ToggleCreator)} />
            <MultiSelect label={column(Column::Project)} choices={projects}
                testid="filter-project" search={find} ontoggle={ontoggleproject} />
        </>
    }
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
            </div>
            <div class="filter-row">
                { people_filters(&props) }
                for field in DateField::ALL {
                    { date_filter(field, q.dates.get(field), lang, props.onedit) }
                }
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
