//! `date_filter`: the date range of one date column (deadline, created, closed) — any date,
//! a preset relative to today (today, this week, last week, this month, last month) or a
//! custom range of days — as a dropdown of radio buttons (view helper). The days are counted
//! in the portal's offset by the query (`report::dates::DatePreset`).

use yew::prelude::*;

use crate::components::labels;
use crate::components::view_edit::ViewEdit;
use crate::i18n::{self, Lang, Msg};
use crate::report::dates::{format_day, parse_day, DateField, DatePreset};

/// The `data-testid` of a date column's dropdown (`filter-date-deadline`, …).
pub fn testid(field: DateField) -> &'static str {
    match field {
        DateField::Deadline => "filter-date-deadline",
        DateField::Created => "filter-date-created",
        DateField::Closed => "filter-date-closed",
    }
}

/// The dropdown for `field`; `current` is the query's range on it.
pub fn date_filter(
    field: DateField,
    current: Option<DatePreset>,
    lang: Lang,
    onedit: &Callback<ViewEdit>,
) -> Html {
    let name = i18n::date_field_label(lang, field);
    let pick = |preset: Option<DatePreset>| {
        let onedit = onedit.clone();
        Callback::from(move |_: Event| onedit.emit(ViewEdit::Date(field, preset)))
    };
    let (from, to) = match current {
        Some(DatePreset::Custom { from, to }) => (from, to),
        _ => (None, None),
    };
    let custom = matches!(current, Some(DatePreset::Custom { .. }));
    // A typed day replaces one end of the custom range (an emptied field opens it).
    let end = |is_from: bool| {
        let onedit = onedit.clone();
        Callback::from(move |e: Event| {
            let day = parse_day(
                &e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            );
            let (from, to) = if is_from { (day, to) } else { (from, day) };
            onedit.emit(ViewEdit::Date(field, Some(DatePreset::Custom { from, to })));
        })
    };
    let radio_name = testid(field);
    let option = |label: &str, preset: Option<DatePreset>, checked: bool| {
        html! {
            <label class="check">
                <input type="radio" name={radio_name} {checked} onchange={pick(preset)} />
                <span>{ label.to_string() }</span>
            </label>
        }
    };
    let summary = match current {
        Some(preset) => format!("{name}: {}", i18n::date_preset_label(lang, preset)),
        None => name.to_string(),
    };
    html! {
        <details class={labels::class_with("dropdown", current.is_some().then_some("is-active"))}
            data-testid={radio_name}>
            <summary class="button">{ summary }</summary>
            <div class="dropdown-panel" role="group" aria-label={name}>
                { option(i18n::t(lang, Msg::FilterAny), None, current.is_none()) }
                for preset in DatePreset::RELATIVE {
                    { option(i18n::date_preset_label(lang, preset).as_str(), Some(preset), current == Some(preset)) }
                }
                { option(
                    i18n::t(lang, Msg::DateCustom),
                    Some(DatePreset::Custom { from, to }),
                    custom,
                ) }
                if custom {
                    <div class="date-range">
                        <input type="date" class="input" aria-label={i18n::t(lang, Msg::DateFrom)}
                            data-testid="date-from" value={from.map(format_day).unwrap_or_default()}
                            onchange={end(true)} />
                        <input type="date" class="input" aria-label={i18n::t(lang, Msg::DateTo)}
                            data-testid="date-to" value={to.map(format_day).unwrap_or_default()}
                            onchange={end(false)} />
                    </div>
                }
            </div>
        </details>
    }
}
