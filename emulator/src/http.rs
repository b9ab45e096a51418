//! Small HTTP helpers: response builders, query strings, percent-decoding.

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use hyper::{Response, StatusCode};

/// The response type of every route.
pub type Resp = Response<Full<Bytes>>;

/// `application/json; charset=utf-8`.
pub const JSON: &str = "application/json; charset=utf-8";
/// `text/html; charset=utf-8`.
pub const HTML: &str = "text/html; charset=utf-8";
/// `application/javascript; charset=utf-8`.
pub const JAVASCRIPT: &str = "application/javascript; charset=utf-8";

/// A response with a body, a status and a content type; not cached.
pub fn response(status: u16, content_type: &str, body: impl Into<Bytes>) -> Resp {
    let mut resp = Response::new(Full::new(body.into()));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = HeaderValue::from_str(content_type) {
        resp.headers_mut().insert(CONTENT_TYPE, value);
    }
    resp.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// A JSON response.
pub fn json(status: u16, value: &serde_json::Value) -> Resp {
    response(status, JSON, value.to_string())
}

/// `{"error": message}` with the given status.
pub fn json_error(status: u16, message: &str) -> Resp {
    json(status, &serde_json::json!({ "error": message }))
}

/// A plain 404.
pub fn not_found() -> Resp {
    response(404, "text/plain; charset=utf-8", "Not Found")
}

/// Adds a header (ignores values that are not valid header text).
pub fn set_header(resp: &mut Resp, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().insert(name, v);
    }
}

pub use b24_portal::querystring::percent_decode;

/// The value of `name` in a URL query string (decoded), if present.
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k, true) == name).then(|| percent_decode(v, true))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_and_plus() {
        assert_eq!(percent_decode("a%20b+c", true), "a b c");
        assert_eq!(percent_decode("a%20b+c", false), "a b+c");
        assert_eq!(percent_decode("100%", false), "100%");
        assert_eq!(percent_decode("%4", false), "%4");
        assert_eq!(percent_decode("%zz", false), "%zz");
        assert_eq!(percent_decode("%C3%A9", false), "é");
    }

    #[test]
    fn finds_query_params() {
        assert_eq!(query_param("user=2&lang=de", "lang").as_deref(), Some("de"));
        assert_eq!(query_param("install", "install").as_deref(), Some(""));
        assert_eq!(query_param("", "user"), None);
    }
}
