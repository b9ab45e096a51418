//! `preset_bar`: Bitrix24's filter presets as a segmented control (view helper).

use yew::prelude::*;

use crate::i18n::{self, Lang, Msg};
use crate::report::query::Preset;

/// "All tasks" plus the five presets, `aria-pressed` on the `active` one (`None`: all tasks);
/// a click emits `onpick(preset)`.
pub fn preset_bar(active: Option<Preset>, lang: Lang, onpick: &Callback<Option<Preset>>) -> Html {
    let button = |preset: Option<Preset>, label: &'static str| {
        let onclick = {
            let onpick = onpick.clone();
            Callback::from(move |_: MouseEvent| onpick.emit(preset))
        };
        let pressed = active == preset;
        html! {
            <button type="button" class="segment" aria-pressed={pressed.to_string()}
                data-testid={format!("preset-{}", preset.map_or(0, |p| p as u8 + 1))} {onclick}>
                { label }
            </button>
        }
    };
    html! {
        <div class="segmented" role="group" aria-label={i18n::t(lang, Msg::PresetsLabel)}>
            { button(None, i18n::t(lang, Msg::PresetAll)) }
            for preset in Preset::ALL {
                { button(Some(preset), i18n::preset_label(lang, preset)) }
            }
        </div>
    }
}
