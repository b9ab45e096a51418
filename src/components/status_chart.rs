//! `status_chart`: the status distribution as horizontal SVG bars (no chart library; view
//! helper).

use yew::prelude::*;

use crate::components::labels;
use crate::i18n::{self, Label, Lang, Msg};
use crate::report::summary::{Folded, StatusShare};
use crate::report::task::RealStatus;

// Integer SVG units (no float formatting code in the wasm).
const BAR_HEIGHT: usize = 18;
const ROW: usize = 28;
const LABEL_WIDTH: usize = 150;
const BAR_WIDTH: usize = 140;
const WIDTH: usize = 380;

/// A bar per status with its label, count and percent (`<title>` per bar, `role="img"` summary);
/// `shares` has one slice per status present, in status order ("Other" last).
pub fn status_chart(shares: &[StatusShare], lang: Lang) -> Html {
    let max = shares.iter().map(|s| s.count).max().unwrap_or(0).max(1);
    let texts: Vec<(String, String)> = shares
        .iter()
        .map(|s| {
            let label = s.status.label(lang).into_owned();
            let value = format!(
                "{} ({}%)",
                i18n::format_number(lang, s.count as u64),
                s.percent()
            );
            (label, value)
        })
        .collect();
    let summary = format!(
        "{}: {}",
        i18n::t(lang, Msg::ChartTitle),
        texts
            .iter()
            .map(|(l, v)| format!("{l} {v}"))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let height = (shares.len() * ROW).max(ROW);
    html! {
        <figure class="chart-figure">
            <figcaption>{ i18n::t(lang, Msg::ChartTitle) }</figcaption>
            <svg class="chart" data-testid="chart" role="img" aria-label={summary}
                viewBox={format!("0 0 {WIDTH} {height}")} preserveAspectRatio="xMinYMin meet">
                for (i, (share, (label, value))) in shares.iter().zip(&texts).enumerate() {
                    {{
                        let y = i * ROW;
                        let w = (share.count * BAR_WIDTH / max).max(2);
                        html! {
                            <g class={format!("bar tone-{}", tone(&share.status))}>
                                <title>{ format!("{label}: {value}") }</title>
                                <text class="bar-label" x="0" y={(y + ROW / 2 + 4).to_string()}>{ label.clone() }</text>
                                <rect x={LABEL_WIDTH.to_string()} y={(y + (ROW - BAR_HEIGHT) / 2).to_string()}
                                    width={w.to_string()} height={BAR_HEIGHT.to_string()} rx="3" />
                                <text class="bar-value" x={(LABEL_WIDTH + w + 6).to_string()}
                                    y={(y + ROW / 2 + 4).to_string()}>{ value.clone() }</text>
                            </g>
                        }
                    }}
                }
            </svg>
        </figure>
    }
}

/// A bar's colour tone: the status's; for "Other" (unknown values only) an unknown status's.
fn tone(status: &Folded<RealStatus>) -> &'static str {
    match status {
        Folded::One(s) => labels::status_tone(s),
        Folded::Other { .. } => labels::status_tone(&RealStatus::Unknown(String::new())),
    }
}
