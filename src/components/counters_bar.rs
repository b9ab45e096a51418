//! `counters_bar`: the Bitrix24-style counters, each a quick filter (view helper).

use yew::prelude::*;

use crate::i18n::{self, Lang, Msg};
use crate::report::summary::{Counter, Counters};

/// The `data-testid` suffix and colour tone of a counter.
fn name_and_tone(counter: Counter) -> (&'static str, &'static str) {
    match counter {
        Counter::Total => ("total", "primary"),
        Counter::InProgress => ("in-progress", "primary"),
        Counter::Overdue => ("overdue", "alert"),
        Counter::AlmostOverdue => ("almost-overdue", "warning"),
        Counter::Unviewed => ("unviewed", "info"),
        Counter::AwaitingControl => ("awaiting-control", "warning"),
        Counter::Completed => ("completed", "success"),
        #[cfg(feature = "snapshot")]
        Counter::SinceVisit => ("since-visit", "info"),
    }
}

/// Counter buttons with the `counters` values; `aria-pressed` shows the `active` quick filter,
/// a click emits `ontoggle(counter)`. "Changed since your last visit" follows once a stored
/// snapshot was brought up to date (feature `snapshot`).
pub fn counters_bar(
    counters: &Counters,
    active: Option<Counter>,
    lang: Lang,
    ontoggle: &Callback<Counter>,
) -> Html {
    let shown = Counter::ALL.into_iter();
    #[cfg(feature = "snapshot")]
    let shown = shown.chain(counters.since_visit.map(|_| Counter::SinceVisit));
    html! {
        <div class="counters" role="group" aria-label={i18n::t(lang, Msg::CountersLabel)}>
            for counter in shown {
                {{
                    let (name, tone) = name_and_tone(counter);
                    let value = counters.get(counter);
                    let pressed = active == Some(counter);
                    let onclick = {
                        let ontoggle = ontoggle.clone();
                        Callback::from(move |_: MouseEvent| ontoggle.emit(counter))
                    };
                    html! {
                        <button type="button" key={name}
                            class={format!("counter tone-{tone}{}", if value > 0 { " has-value" } else { "" })}
                            data-testid={format!("counter-{name}")}
                            aria-pressed={pressed.to_string()} {onclick}>
                            <span class="counter-value">{ i18n::format_number(lang, value as u64) }</span>
                            <span class="counter-label">{ i18n::counter_label(lang, counter) }</span>
                        </button>
                    }
                }}
            }
        </div>
    }
}
