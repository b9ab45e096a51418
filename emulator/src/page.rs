//! The portal page (`GET /`, `/index.php`): web/portal.html plus the server-made configuration,
//! the way Bitrix24's `app.layout` component renders the frame (docs/platform/frame-protocol.md,
//! "How the portal builds the frame").

use serde_json::{json, Map, Value};

use crate::assets::CONFIG_MARKER;
use crate::http::{self, query_param, Resp};
use crate::state::{lock, now_ms, Shared};

/// Where the server may also render the app iframe (optional in the template).
pub const FRAME_MARKER: &str = "<!--B24_APP_FRAME-->";

/// The page's query parameters, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct PageQuery {
    /// Current user (1 = admin).
    pub user: u64,
    /// Interface language.
    pub lang: String,
    /// `install=1`: force the installer stage.
    pub force_install: bool,
    /// Placement code.
    pub placement: String,
    /// 1 when the portal claims HTTPS.
    pub protocol: u8,
    /// `mobile=1`: behave like the Bitrix24 mobile app (`openPath` answers
    /// `METHOD_NOT_SUPPORTED_ON_DEVICE`).
    pub mobile: bool,
}

impl PageQuery {
    /// Parses the query string.
    ///
    /// # Errors
    /// A message for an invalid `user` or `protocol`.
    pub fn parse(query: &str, default_lang: &str) -> Result<PageQuery, String> {
        let user = match query_param(query, "user") {
            None => 1,
            Some(text) => match text.trim().parse::<u64>() {
                Ok(u) if u > 0 => u,
                _ => return Err(format!("user: expected a positive user id, got {text:?}")),
            },
        };
        let protocol = match query_param(query, "protocol").as_deref() {
            None | Some("0") | Some("") => 0,
            Some("1") => 1,
            Some(other) => return Err(format!("protocol: expected 0 or 1, got {other:?}")),
        };
        let non_empty = |name: &str| query_param(query, name).filter(|v| !v.trim().is_empty());
        Ok(PageQuery {
            user,
            lang: non_empty("lang").unwrap_or_else(|| default_lang.to_string()),
            force_install: query_param(query, "install").as_deref() == Some("1"),
            placement: non_empty("placement").unwrap_or_else(|| "DEFAULT".to_string()),
            protocol,
            mobile: query_param(query, "mobile").as_deref() == Some("1"),
        })
    }
}

/// Answers `GET /` on the portal origin.
pub fn portal_page(shared: &Shared, template: &str, query: &str) -> Resp {
    let q = match PageQuery::parse(query, &shared.info.lang) {
        Ok(q) => q,
        Err(e) => return http::response(400, http::HTML, error_page(&e)),
    };
    let info = &shared.info;
    let is_admin = q.user == info.admin_user_id;
    let has_installer = shared.site.has_installer();
    let (installed, first_run, user_options, app_options, sid) = {
        let mut rt = lock(&shared.rt);
        let sid = crate::prng::hex(&mut rt.sid_prng, 32);
        (
            rt.installed,
            !rt.first_run_done.contains(&q.user),
            rt.user_options.get(&q.user).cloned().unwrap_or_default(),
            rt.app_options.clone(),
            sid,
        )
    };
    let install = q.force_install || (has_installer && !installed && is_admin);
    if !install && has_installer && !installed {
        return http::response(
            200,
            http::HTML,
            error_page("The application is not installed yet; ask an administrator"),
        );
    }
    let tokens = lock(&shared.portal).issue_auth(q.user, now_ms());
    let file = if install {
        "install.html"
    } else {
        "index.html"
    };
    let app_url = format!("{}{file}", info.app_base_url);
    let frame_name = format!("{}|{}|{sid}", info.domain, q.protocol);
    let frame_src = format!(
        "{app_url}?DOMAIN={}&PROTOCOL={}&LANG={}&APP_SID={sid}",
        info.domain, q.protocol, q.lang
    );
    let config = json!({
        "sid": sid,
        "domain": info.domain,
        "protocol": q.protocol,
        "lang": q.lang,
        "path": "/rest",
        "appUrl": app_url,
        "appOrigin": info.app_origin,
        "install": install,
        "firstRun": first_run,
        "isAdmin": is_admin,
        "userId": q.user,
        "auth": {
            "AUTH_ID": tokens.access_token,
            "AUTH_EXPIRES": tokens.expires_in_s.to_string(),
            "REFRESH_ID": tokens.refresh_token,
            "MEMBER_ID": tokens.member_id,
        },
        "userOptions": php_object(user_options),
        "appOptions": php_object(app_options),
        "placement": q.placement,
        "placementOptions": {},
        "mobile": q.mobile,
        "frameName": frame_name,
        "frameSrc": frame_src,
    });
    let html = render(template, &config, &frame_name, &frame_src);
    http::response(200, http::HTML, html)
}

/// An empty map is `[]` (a PHP empty array), otherwise an object.
fn php_object(map: Map<String, Value>) -> Value {
    if map.is_empty() {
        Value::Array(Vec::new())
    } else {
        Value::Object(map)
    }
}

/// Puts the configuration script (and the iframe, if the template asks for it) into the page.
pub fn render(template: &str, config: &Value, frame_name: &str, frame_src: &str) -> String {
    // `<` only occurs inside JSON strings, where `\u003c` means the same: no `</script>` breakout.
    let json_text = config.to_string().replace('<', "\\u003c");
    let script = format!("<script>window.__B24_PORTAL__ = {json_text};</script>");
    let mut html = if template.contains(CONFIG_MARKER) {
        template.replacen(CONFIG_MARKER, &script, 1)
    } else if let Some(at) = template.find("</head>") {
        format!("{}{script}{}", &template[..at], &template[at..])
    } else {
        format!("{script}{template}")
    };
    if html.contains(FRAME_MARKER) {
        let sid = frame_name.rsplit('|').next().unwrap_or_default();
        let frame = format!(
            "<iframe id=\"appframe_{sid}\" name=\"{}\" src=\"{}\" \
             allow=\"geolocation *; microphone *; camera *; autoplay *;\" frameborder=\"0\"></iframe>",
            escape_attr(frame_name),
            escape_attr(frame_src)
        );
        html = html.replacen(FRAME_MARKER, &frame, 1);
    }
    html
}

fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

fn error_page(message: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Bitrix24</title></head>\
         <body><div class=\"b24-error\" id=\"b24-error\">{}</div></body></html>",
        escape_attr(message)
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_query_with_defaults() {
        let q = PageQuery::parse("", "en").unwrap();
        assert_eq!(q.user, 1);
        assert_eq!(q.lang, "en");
        assert_eq!(q.placement, "DEFAULT");
        assert!(!q.force_install);
        let q = PageQuery::parse("user=3&lang=de&install=1&placement=TASK_VIEW_TAB", "en").unwrap();
        assert_eq!((q.user, q.lang.as_str(), q.force_install), (3, "de", true));
        assert!(PageQuery::parse("user=abc", "en").is_err());
        assert!(PageQuery::parse("protocol=7", "en").is_err());
    }

    #[test]
    fn renders_config_and_frame() {
        let template =
            "<html><head><!--B24_PORTAL_CONFIG--></head><body><!--B24_APP_FRAME--></body></html>";
        let config = json!({"sid": "ab", "x": "</script><script>alert(1)</script>"});
        let html = render(
            template,
            &config,
            "localhost:1|0|ab",
            "http://a/index.html?DOMAIN=localhost:1&APP_SID=ab",
        );
        assert!(html.contains("window.__B24_PORTAL__ = {\"sid\":\"ab\""));
        assert!(!html.contains("</script><script>alert"));
        assert!(html.contains(r#"name="localhost:1|0|ab""#));
        assert!(html.contains(r#"src="http://a/index.html?DOMAIN=localhost:1&amp;APP_SID=ab""#));
        assert!(!html.contains(CONFIG_MARKER) && !html.contains(FRAME_MARKER));
    }

    #[test]
    fn renders_without_markers() {
        let html = render("<html><head></head></html>", &json!({}), "n", "s");
        assert!(html.starts_with("<html><head><script>window.__B24_PORTAL__ = {};</script></head>"));
    }
}
