//! The single `#[wasm_bindgen]` import block for `window.BX24` (the Bitrix24 v1 JS SDK).
//!
//! Every import can throw (the SDK may be missing, `null`, or not initialised), so every
//! import has `catch`. Private to `bx24`: nothing outside sees a `JsValue` from here.

use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
unsafe extern "C" {
    #[wasm_bindgen(js_namespace = BX24, js_name = init, catch)]
    pub(super) fn init(callback: &Function) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = getAuth, catch)]
    pub(super) fn get_auth() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = refreshAuth, catch)]
    pub(super) fn refresh_auth(callback: &Function) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = getLang, catch)]
    pub(super) fn get_lang() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = getDomain, catch)]
    pub(super) fn get_domain() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = isAdmin, catch)]
    pub(super) fn is_admin() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = fitWindow, catch)]
    pub(super) fn fit_window() -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = resizeWindow, catch)]
    pub(super) fn resize_window(width: u32, height: u32) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = openPath, catch)]
    pub(super) fn open_path(path: &str, callback: &Function) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = installFinish, catch)]
    pub(super) fn install_finish() -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = ["BX24", "userOption"], js_name = get, catch)]
    pub(super) fn user_option_get(name: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["BX24", "userOption"], js_name = set, catch)]
    pub(super) fn user_option_set(name: &str, value: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = ["BX24", "placement"], js_name = info, catch)]
    pub(super) fn placement_info() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = callMethod, catch)]
    pub(super) fn call_method(
        method: &str,
        params: &JsValue,
        callback: &Function,
    ) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = BX24, js_name = callBatch, catch)]
    pub(super) fn call_batch(
        calls: &JsValue,
        callback: &Function,
        halt: bool,
    ) -> Result<(), JsValue>;
}
