//! Starting the app in the page: the panic panel and mounting [`crate::app::App`].

use wasm_bindgen::JsCast;

use crate::i18n::{self, Msg};

/// Installs the panic panel and renders the app into `#app` (or `<body>`).
pub fn start() {
    // With panic = "abort" a panic ends the app: at least say so, with a way out.
    std::panic::set_hook(Box::new(|info| {
        show_fatal(&info.to_string());
    }));
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    match document.get_element_by_id("app") {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<crate::app::App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<crate::app::App>::new().render();
        }
    }
}

/// Replaces the page with a short, visible error and a reload button.
fn show_fatal(details: &str) {
    let lang = crate::app::boot_lang();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    let panel = document.create_element("div").ok();
    if let Some(panel) = panel {
        panel.set_class_name("fatal");
        panel.set_attribute("role", "alert").ok();
        let title = document.create_element("p").ok();
        if let Some(title) = title {
            title.set_text_content(Some(i18n::t(lang, Msg::FatalInternal)));
            panel.append_child(&title).ok();
        }
        if let Ok(button) = document.create_element("button") {
            button.set_text_content(Some(i18n::t(lang, Msg::Reload)));
            button.set_attribute("onclick", "location.reload()").ok();
            panel.append_child(&button).ok();
        }
        if let Ok(pre) = document.create_element("pre") {
            pre.set_text_content(Some(details));
            panel.append_child(&pre).ok();
        }
        if let Some(el) = panel.dyn_ref::<web_sys::HtmlElement>() {
            body.prepend_with_node_1(el).ok();
        }
    }
}
