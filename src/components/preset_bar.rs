//! `<PresetBar>`: Bitrix24's filter presets as a segmented control.

use yew::prelude::*;

use crate::i18n::{self, Lang, Msg};
use crate::report::query::Preset;

/// Props of [`PresetBar`].
#[derive(Properties, PartialEq)]
pub struct PresetBarProps {
    /// The active preset (`None`: all tasks).
    pub active: Option<Preset>,
    /// The UI language.
    pub lang: Lang,
    /// A preset was chosen.
    pub onpick: Callback<Option<Preset>>,
}

/// "All tasks" plus the five presets, `aria-pressed` on the active one.
#[component]
pub fn PresetBar(props: &PresetBarProps) -> Html {
    let lang = props.lang;
    let button = |preset: Option<Preset>, label: &'static str| {
        let onclick = {
            let onpick = props.onpick.clone();
            Callback::from(move |_: MouseEvent| onpick.emit(preset))
        };
        let pressed = props.active == preset;
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
                { button(Some(preset), i18n::t(lang, preset.label())) }
            }
        </div>
    }
}
