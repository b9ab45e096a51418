//! The only door to `window.BX24`, the Bitrix24 v1 JS SDK.
//!
//! Safe Rust API over the SDK: futures instead of callbacks, typed errors
//! ([`Bx24Error`]) instead of exceptions, and no `JsValue` outside this module. A missing or
//! broken SDK (the app opened outside a portal) is [`Bx24Error::SdkMissing`], never a panic.

mod callback;
mod error;
mod ffi;

pub use error::Bx24Error;

use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::report::json::{self, Json};

/// How long to wait for a portal round trip (`init`, `refreshAuth`, `openPath` reply, …).
const PORTAL_TIMEOUT_MS: u32 = 15_000;

/// The frame data Bitrix24 puts into the iframe's `window.name`: `HOST|PROTOCOL|APP_SID`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameName {
    /// The portal host, with port when not 80/443.
    pub domain: String,
    /// True when the portal is served over HTTPS.
    pub https: bool,
    /// The 32-hex application session id.
    pub app_sid: String,
}

impl FrameName {
    /// Parses `window.name`; `None` when it is not a Bitrix24 frame name.
    pub fn parse(name: &str) -> Option<Self> {
        let mut parts = name.split('|');
        let (domain, protocol, sid) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || domain.is_empty() || sid.is_empty() {
            return None;
        }
        let domain = domain
            .strip_suffix(":80")
            .or_else(|| domain.strip_suffix(":443"))
            .unwrap_or(domain);
        Some(Self {
            domain: domain.to_string(),
            https: protocol.trim() == "1",
            app_sid: sid.to_string(),
        })
    }

    /// The REST endpoint prefix, e.g. `https://portal.bitrix24.com/rest/`.
    pub fn rest_base(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}/rest/", self.domain)
    }
}

/// The current access token, as `BX24.getAuth()` returns it.
#[derive(Clone, Debug, PartialEq)]
pub struct Auth {
    /// The OAuth access token (sent as `auth=`).
    pub access_token: String,
    /// The portal host (empty if not given).
    pub domain: String,
    /// Absolute expiry time in ms since the Unix epoch (0 if not given).
    pub expires_in: f64,
    /// The portal's member id (empty if not given).
    pub member_id: String,
}

impl Auth {
    /// Reads the token object of `getAuth` / `refreshAuth`: `access_token` must be a
    /// string; `domain` and `member_id` (strings) and `expires_in` (a number) may be
    /// missing; other properties are ignored.
    fn from_js(value: &JsValue) -> Result<Self, Bx24Error> {
        let field = |key: &str| {
            js_sys::Reflect::get(value, &JsValue::from_str(key))
                .ok()
                .filter(|v| !v.is_undefined())
        };
        let invalid = |key: &str| Bx24Error::Decode(format!("invalid type of `{key}`"));
        let text = |key: &str| {
            field(key)
                .map(|v| v.as_string().ok_or_else(|| invalid(key)))
                .transpose()
        };
        let expires_in = field("expires_in")
            .map(|v| v.as_f64().ok_or_else(|| invalid("expires_in")))
            .transpose()?;
        Ok(Self {
            access_token: text("access_token")?
                .ok_or_else(|| Bx24Error::Decode("missing field `access_token`".into()))?,
            domain: text("domain")?.unwrap_or_default(),
            expires_in: expires_in.unwrap_or_default(),
            member_id: text("member_id")?.unwrap_or_default(),
        })
    }
}

/// True when `window.BX24` is an object (the SDK loaded and did not reset itself to `null`).
pub fn is_present() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    js_sys::Reflect::get(&window, &JsValue::from_str("BX24"))
        .map(|value| value.is_object())
        .unwrap_or(false)
}

/// The parsed `window.name`, when this page runs inside a Bitrix24 frame.
pub fn frame_name() -> Option<FrameName> {
    let name = web_sys::window()?.name().ok()?;
    FrameName::parse(&name)
}

fn require_sdk() -> Result<(), Bx24Error> {
    if is_present() {
        Ok(())
    } else {
        Err(Bx24Error::SdkMissing)
    }
}

/// Waits for `BX24.init`: the portal has sent the init data (auth, language, options).
///
/// # Errors
/// [`Bx24Error::SdkMissing`] outside a portal, [`Bx24Error::Timeout`] when the portal never
/// answers, [`Bx24Error::Js`] when the SDK throws.
pub async fn init() -> Result<(), Bx24Error> {
    require_sdk()?;
    callback::with_callback(PORTAL_TIMEOUT_MS, ffi::init).await?;
    Ok(())
}

/// The current access token (`BX24.getAuth()`).
///
/// # Errors
/// [`Bx24Error::SdkMissing`], or [`Bx24Error::Decode`] when the SDK has no valid token
/// (it returns `false` before init or after expiry).
pub fn auth() -> Result<Auth, Bx24Error> {
    require_sdk()?;
    let value = ffi::get_auth().map_err(callback::js_error)?;
    if !value.is_object() {
        return Err(Bx24Error::Decode(
            "no access token (BX24.getAuth() returned false)".into(),
        ));
    }
    Auth::from_js(&value)
}

/// Asks the portal for a fresh token (`BX24.refreshAuth`) and returns it.
///
/// # Errors
/// [`Bx24Error::Timeout`] when the portal never answers (it does not when its own refresh fails).
pub async fn refresh_auth() -> Result<Auth, Bx24Error> {
    require_sdk()?;
    let value = callback::with_callback(PORTAL_TIMEOUT_MS, ffi::refresh_auth).await?;
    if !value.is_object() {
        return Err(Bx24Error::Decode("refreshAuth returned no token".into()));
    }
    Auth::from_js(&value)
}

/// The user's interface language (`BX24.getLang()`, e.g. `"en"`, `"ru"`).
///
/// # Errors
/// [`Bx24Error::SdkMissing`] outside a portal.
pub fn lang() -> Result<String, Bx24Error> {
    require_sdk()?;
    let value = ffi::get_lang().map_err(callback::js_error)?;
    Ok(value.as_string().unwrap_or_default())
}

/// The portal host (`BX24.getDomain()`).
///
/// # Errors
/// [`Bx24Error::SdkMissing`] outside a portal.
pub fn domain() -> Result<String, Bx24Error> {
    require_sdk()?;
    let value = ffi::get_domain().map_err(callback::js_error)?;
    Ok(value.as_string().unwrap_or_default())
}

/// Whether the current user is a portal administrator (`BX24.isAdmin()`).
///
/// # Errors
/// [`Bx24Error::SdkMissing`] outside a portal.
pub fn is_admin() -> Result<bool, Bx24Error> {
    require_sdk()?;
    let value = ffi::is_admin().map_err(callback::js_error)?;
    Ok(value.is_truthy())
}

/// Asks the portal to fit the frame to the page's content height (`BX24.fitWindow`).
///
/// # Errors
/// [`Bx24Error::SdkMissing`] outside a portal, [`Bx24Error::Js`] when the SDK throws.
pub fn fit_window() -> Result<(), Bx24Error> {
    require_sdk()?;
    ffi::fit_window().map_err(callback::js_error)
}

/// Asks the portal to resize the frame (`BX24.resizeWindow`).
///
/// # Errors
/// [`Bx24Error::SdkMissing`] outside a portal, [`Bx24Error::Js`] when the SDK throws.
pub fn resize_window(width: u32, height: u32) -> Result<(), Bx24Error> {
    require_sdk()?;
    ffi::resize_window(width, height).map_err(callback::js_error)
}

/// Opens a portal path in the portal's slider (`BX24.openPath`) and resolves when the
/// slider is closed.
///
/// # Errors
/// [`Bx24Error::Refused`] with the portal's code (`PATH_NOT_AVAILABLE`,
/// `METHOD_NOT_SUPPORTED_ON_DEVICE`) when the portal will not open it.
pub async fn open_path(path: &str) -> Result<(), Bx24Error> {
    require_sdk()?;
    // The slider stays open as long as the user reads the task: no time limit on the reply.
    let reply = callback::with_callback(u32::MAX / 2, |cb| ffi::open_path(path, cb)).await?;
    let result = js_sys::Reflect::get(&reply, &JsValue::from_str("result"))
        .ok()
        .and_then(|v| v.as_string());
    if result.as_deref() == Some("error") {
        let code = js_sys::Reflect::get(&reply, &JsValue::from_str("errorCode"))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| "PATH_NOT_AVAILABLE".into());
        return Err(Bx24Error::Refused(code));
    }
    Ok(())
}

/// Tells the portal the installation is complete (`BX24.installFinish`).
///
/// # Errors
/// [`Bx24Error::SdkMissing`] outside a portal.
pub fn install_finish() -> Result<(), Bx24Error> {
    require_sdk()?;
    ffi::install_finish().map_err(callback::js_error)
}

/// Reads a per-user option stored in the portal (`BX24.userOption.get`).
///
/// # Errors
/// [`Bx24Error::SdkMissing`] outside a portal.
pub fn user_option(name: &str) -> Result<Option<String>, Bx24Error> {
    require_sdk()?;
    let value = ffi::user_option_get(name).map_err(callback::js_error)?;
    Ok(value.as_string())
}

/// Stores a per-user option in the portal (`BX24.userOption.set`); fire and forget.
///
/// # Errors
/// [`Bx24Error::SdkMissing`] outside a portal.
pub fn set_user_option(name: &str, value: &str) -> Result<(), Bx24Error> {
    require_sdk()?;
    ffi::user_option_set(name, value).map_err(callback::js_error)
}

/// The placement the app was opened in (`BX24.placement.info().placement`, e.g. `DEFAULT`).
///
/// # Errors
/// [`Bx24Error::SdkMissing`] outside a portal.
pub fn placement() -> Result<String, Bx24Error> {
    require_sdk()?;
    let info = ffi::placement_info().map_err(callback::js_error)?;
    Ok(js_sys::Reflect::get(&info, &JsValue::from_str("placement"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default())
}

/// Calls a REST method through the SDK (`BX24.callMethod`) and returns the `result` as JSON.
///
/// For small calls only: the SDK never calls back on 5xx or network errors, so this has a
/// time limit, and bulk loading goes through the engine's own transport instead.
///
/// # Errors
/// [`Bx24Error::Rest`] with the portal's error, [`Bx24Error::Timeout`], [`Bx24Error::Decode`].
pub async fn call_method(method: &str, params: &Json) -> Result<Json, Bx24Error> {
    require_sdk()?;
    let params = to_js(params)?;
    let result = callback::with_callback(PORTAL_TIMEOUT_MS, |cb| {
        ffi::call_method(method, &params, cb)
    })
    .await?;
    ajax_answer(&result)
}

/// Runs several REST calls in one `batch` through the SDK (`BX24.callBatch`); returns each
/// call's `result` (or error) in order.
///
/// # Errors
/// [`Bx24Error::Timeout`] or [`Bx24Error::Js`] when the whole batch failed.
pub async fn call_batch(
    calls: &[(&str, Json)],
    halt: bool,
) -> Result<Vec<Result<Json, Bx24Error>>, Bx24Error> {
    require_sdk()?;
    let list = js_sys::Array::new();
    for (method, params) in calls {
        let params = to_js(params)?;
        let pair = js_sys::Array::of2(&JsValue::from_str(method), &params);
        list.push(&pair);
    }
    let results =
        callback::with_callback(PORTAL_TIMEOUT_MS, |cb| ffi::call_batch(&list, cb, halt)).await?;
    let results = js_sys::Array::from(&results);
    Ok(results.iter().map(|r| ajax_answer(&r)).collect())
}

/// REST parameters as the plain JS object the SDK expects (numbers as numbers, objects as
/// objects), written by `serde-wasm-bindgen`.
fn to_js(params: &Json) -> Result<JsValue, Bx24Error> {
    JsParams(params)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Bx24Error::Js(e.to_string()))
}

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// [`Json`] as seen by serde: integers as integers, other numbers as `f64`.
struct JsParams<'a>(&'a Json);

impl Serialize for JsParams<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            // Beyond 2^53 a JS number is approximate: the serializer refuses such an
            // integer, `JSON.parse` would round it; round it like `JSON.parse`.
            Json::Number(n) => match (n.as_u64().filter(|&u| u <= MAX_SAFE_INTEGER), n.to_f64()) {
                (Some(u), _) => s.serialize_u64(u),
                (None, Some(f)) => s.serialize_f64(f),
                (None, None) => s.serialize_str(n.as_str()),
            },
            Json::String(text) => s.serialize_str(text),
            Json::Array(items) => s.collect_seq(items.iter().map(JsParams)),
            Json::Object(members) => {
                s.collect_map(members.iter().map(|(k, v)| (k.as_str(), JsParams(v))))
            }
        }
    }
}

/// Reads an `ajaxResult`: its `answer` (the parsed JSON body) and `status`.
fn ajax_answer(ajax: &JsValue) -> Result<Json, Bx24Error> {
    let answer =
        js_sys::Reflect::get(ajax, &JsValue::from_str("answer")).map_err(callback::js_error)?;
    let status = js_sys::Reflect::get(ajax, &JsValue::from_str("status"))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(200.0) as u16;
    let text = js_sys::JSON::stringify(&answer)
        .map_err(callback::js_error)?
        .as_string()
        .unwrap_or_default();
    let answer = json::parse(&text).map_err(|e| Bx24Error::Decode(e.to_string()))?;
    if let Some(code) = answer.get("error") {
        return Err(Bx24Error::Rest {
            code: code
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| code.to_string()),
            description: answer
                .get("error_description")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string(),
            status,
        });
    }
    // The last `result` (as `Json::get` finds it), moved out of the answer.
    let Json::Object(members) = answer else {
        return Ok(Json::Null);
    };
    Ok(members
        .into_iter()
        .rev()
        .find(|(k, _)| k == "result")
        .map(|(_, v)| v)
        .unwrap_or_default())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn frame_name_parses_bitrix_format() {
        let name = FrameName::parse("portal.bitrix24.com:443|1|0123456789abcdef0123456789abcdef");
        let name = name.expect("valid frame name");
        assert_eq!(name.domain, "portal.bitrix24.com");
        assert!(name.https);
        assert_eq!(name.rest_base(), "https://portal.bitrix24.com/rest/");
        let local = FrameName::parse("localhost:8080|0|abc").expect("valid");
        assert_eq!(local.rest_base(), "http://localhost:8080/rest/");
    }

    #[test]
    fn frame_name_rejects_other_names() {
        assert_eq!(FrameName::parse(""), None);
        assert_eq!(FrameName::parse("some-window"), None);
        assert_eq!(FrameName::parse("|0|sid"), None);
        assert_eq!(FrameName::parse("host|0|"), None);
        assert_eq!(FrameName::parse("a|0|b|c"), None);
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod browser_tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn install_fake(script: &str) {
        js_sys::eval(script).expect("fake BX24 installs");
    }

    #[wasm_bindgen_test]
    async fn missing_sdk_is_an_error_value_not_a_panic() {
        install_fake("window.BX24 = null;");
        assert!(!is_present());
        assert_eq!(init().await, Err(Bx24Error::SdkMissing));
        assert_eq!(auth(), Err(Bx24Error::SdkMissing));
        assert_eq!(lang(), Err(Bx24Error::SdkMissing));
        install_fake("delete window.BX24;");
        assert!(!is_present());
        assert_eq!(fit_window(), Err(Bx24Error::SdkMissing));
    }

    #[wasm_bindgen_test]
    async fn init_auth_lang_and_options_go_through_the_sdk() {
        install_fake(
            r#"window.BX24 = {
                init(cb) { setTimeout(cb, 0); },
                getAuth() { return { access_token: 'tok', refresh_token: 'r', expires_in: 1893456000000, domain: 'x.bitrix24.com', member_id: 'm1' }; },
                getLang() { return 'ru'; },
                getDomain() { return 'x.bitrix24.com'; },
                isAdmin() { return true; },
                userOption: { store: { view: 'v1' }, get(n) { return this.store[n]; }, set(n, v) { this.store[n] = v; } },
                placement: { info() { return { placement: 'DEFAULT', options: {} }; } },
            };"#,
        );
        init().await.expect("init resolves when the SDK calls back");
        let auth = auth().expect("token");
        assert_eq!(auth.access_token, "tok");
        assert_eq!(auth.domain, "x.bitrix24.com");
        assert_eq!(lang().unwrap(), "ru");
        assert!(is_admin().unwrap());
        assert_eq!(user_option("view").unwrap().as_deref(), Some("v1"));
        set_user_option("view", "v2").unwrap();
        assert_eq!(user_option("view").unwrap().as_deref(), Some("v2"));
        assert_eq!(user_option("none").unwrap(), None);
        assert_eq!(placement().unwrap(), "DEFAULT");
    }

    #[wasm_bindgen_test]
    async fn auth_reads_the_token_fields_and_checks_their_types() {
        install_fake(
            "window.BX24 = { getAuth() { return { access_token: 't2', scope: 'task' }; } };",
        );
        assert_eq!(
            auth(),
            Ok(Auth {
                access_token: "t2".into(),
                domain: String::new(),
                expires_in: 0.0,
                member_id: String::new(),
            })
        );
        for token in [
            "{ access_token: 5 }",
            "{ domain: 'x.bitrix24.com' }",
            "{ access_token: 't', expires_in: '1' }",
            "{ access_token: 't', domain: null }",
        ] {
            install_fake(&format!(
                "window.BX24 = {{ getAuth() {{ return {token}; }} }};"
            ));
            assert!(matches!(auth(), Err(Bx24Error::Decode(_))), "{token}");
        }
    }

    #[wasm_bindgen_test]
    async fn an_expired_token_is_an_error_and_throwing_sdk_calls_are_errors() {
        install_fake(
            r#"window.BX24 = {
                getAuth() { return false; },
                fitWindow() { throw new Error('frame gone'); },
            };"#,
        );
        assert!(matches!(auth(), Err(Bx24Error::Decode(_))));
        assert_eq!(fit_window(), Err(Bx24Error::Js("frame gone".into())));
        // A function the fake does not have: calling it throws a TypeError, caught.
        assert!(matches!(install_finish(), Err(Bx24Error::Js(_))));
    }

    #[wasm_bindgen_test]
    async fn open_path_reports_the_portal_refusal() {
        install_fake(
            r#"window.BX24 = {
                openPath(path, cb) {
                    window.__openedPath = path;
                    setTimeout(() => cb(path.startsWith('/company/')
                        ? { result: 'close' }
                        : { result: 'error', errorCode: 'PATH_NOT_AVAILABLE' }), 0);
                },
            };"#,
        );
        open_path("/company/personal/user/0/tasks/task/view/7/")
            .await
            .expect("opens");
        assert_eq!(
            open_path("/elsewhere/").await,
            Err(Bx24Error::Refused("PATH_NOT_AVAILABLE".into()))
        );
    }

    #[wasm_bindgen_test]
    async fn call_method_and_batch_map_results_and_errors() {
        install_fake(
            r#"window.BX24 = {
                callMethod(method, params, cb) {
                    window.__lastParams = JSON.stringify(params);
                    setTimeout(() => cb(method === 'user.current'
                        ? { answer: { result: { ID: '1', NAME: 'Ada' } }, status: 200 }
                        : { answer: { error: 'insufficient_scope', error_description: 'The request requires higher privileges' }, status: 401 }), 0);
                },
                callBatch(calls, cb, halt) {
                    window.__lastCalls = JSON.stringify(calls);
                    setTimeout(() => cb(calls.map((c, i) => i === 0
                        ? { answer: { result: [{ ID: '5' }] }, status: 200 }
                        : { answer: { error: 'ACCESS_DENIED', error_description: 'no' }, status: 200 })), 0);
                },
            };"#,
        );
        let user = call_method("user.current", &Json::Object(Vec::new()))
            .await
            .unwrap();
        assert_eq!(user.get("NAME").and_then(Json::as_str), Some("Ada"));
        // The parameters reach the SDK as the plain JS values their JSON text means.
        let params = r#"[{"ID":"desc"},{">ID":5,"REAL_STATUS":[2,3],"TITLE":"a \"b\""},["ID","TITLE"],{"NAV_PARAMS":{"nPageSize":50,"iNumPage":-1}},1.5,true,null,1152921504606846976]"#;
        let err = call_method("task.item.list", &json::parse(params).unwrap()).await;
        let last_params = |name: &str| {
            js_sys::Reflect::get(&web_sys::window().unwrap(), &name.into())
                .unwrap()
                .as_string()
                .unwrap()
        };
        // (2^60 is beyond JS's exact integers: it arrives rounded, as `JSON.parse` gives it.)
        assert_eq!(
            last_params("__lastParams"),
            params.replace("1152921504606846976", "1152921504606847000")
        );
        assert_eq!(
            err,
            Err(Bx24Error::Rest {
                code: "insufficient_scope".into(),
                description: "The request requires higher privileges".into(),
                status: 401
            })
        );
        let page =
            json::parse(r#"[{"ID":"desc"},{"<ID":100},["ID"],{"NAV_PARAMS":{"nPageSize":50}}]"#)
                .unwrap();
        let batch = call_batch(
            &[
                ("task.item.list", page),
                ("task.item.list", Json::Array(Vec::new())),
            ],
            false,
        )
        .await
        .unwrap();
        assert_eq!(
            last_params("__lastCalls"),
            r#"[["task.item.list",[{"ID":"desc"},{"<ID":100},["ID"],{"NAV_PARAMS":{"nPageSize":50}}]],["task.item.list",[]]]"#
        );
        let first = batch[0].as_ref().unwrap().at(0);
        assert_eq!(
            first.and_then(|r| r.get("ID")).and_then(Json::as_str),
            Some("5")
        );
        assert!(matches!(&batch[1], Err(Bx24Error::Rest { code, .. }) if code == "ACCESS_DENIED"));
    }
}
