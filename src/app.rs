//! `<App>`: finds out where it runs (inside a Bitrix24 frame, or in preview), then shows the report.

use yew::prelude::*;

use crate::bx24;

/// Where the app is running.
#[derive(Clone, Debug, PartialEq)]
pub enum Environment {
    /// Still finding out (waiting for `BX24.init`).
    Starting,
    /// Inside a Bitrix24 portal frame.
    Portal {
        /// The portal host.
        domain: String,
        /// The user's language code.
        lang: String,
    },
    /// Not inside Bitrix24 (e.g. `trunk serve`): preview mode.
    Preview,
    /// Inside a frame that looked like Bitrix24, but the SDK did not start.
    Broken(String),
}

/// The root component.
#[component]
pub fn App() -> Html {
    let environment = use_state(|| Environment::Starting);
    {
        let environment = environment.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                environment.set(detect().await);
            });
        });
    }
    let text = match &*environment {
        Environment::Starting => "Connecting to Bitrix24…".to_string(),
        Environment::Portal { domain, lang } => format!("Connected to {domain} ({lang})"),
        Environment::Preview => "Preview — not inside Bitrix24".to_string(),
        Environment::Broken(reason) => format!("Bitrix24 did not start the app: {reason}"),
    };
    html! {
        <main class="report">
            <h1>{ "Task report" }</h1>
            <p data-testid="environment">{ text }</p>
        </main>
    }
}

async fn detect() -> Environment {
    let in_frame = bx24::frame_name().is_some();
    if !bx24::is_present() {
        return if in_frame {
            Environment::Broken("the Bitrix24 SDK did not load".into())
        } else {
            Environment::Preview
        };
    }
    match bx24::init().await {
        Ok(()) => Environment::Portal {
            domain: bx24::domain().unwrap_or_default(),
            lang: bx24::lang().unwrap_or_default(),
        },
        Err(e) => Environment::Broken(e.to_string()),
    }
}
