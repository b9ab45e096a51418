//! Fault decisions for REST requests.
//!
//! Every REST request draws the same number of values from the seeded generator, whatever the
//! knobs, so a given fault seed and request sequence always give the same faults.

use crate::knobs::Knobs;
use crate::prng::Prng;

/// A fault applied to one REST request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// No answer for ~10 minutes (or until the client goes away).
    Hang,
    /// The connection is closed without an answer.
    Drop,
    /// An HTML error page with this status (500, 502 or 503), as a proxy would send.
    Http5xx(u16),
    /// The portal's answer cut short: invalid JSON with status 200.
    Malformed,
    /// The portal's rate-limit answer: 503 `QUERY_LIMIT_EXCEEDED` (JSON, `ratelimit::QUERY_LIMIT_BODY`).
    QueryLimit,
}

impl Fault {
    /// The name shown in the `/__stats` log.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Hang => "hang",
            Fault::Drop => "drop",
            Fault::Http5xx(500) => "http500",
            Fault::Http5xx(502) => "http502",
            Fault::Http5xx(_) => "http503",
            Fault::Malformed => "malformed",
            Fault::QueryLimit => "query_limit",
        }
    }
}

/// Decides the fault of the next REST request; consumes one-shot knobs (`hang_next`,
/// `malformed_next`) when they fire.
pub fn decide(knobs: &mut Knobs, prng: &mut Prng) -> Option<Fault> {
    let drop_roll = prng.percent();
    let error_roll = prng.percent();
    let status = [500, 502, 503][(prng.next_u64() % 3) as usize];
    let limit_roll = prng.percent();
    if knobs.hang_next > 0 {
        knobs.hang_next -= 1;
        return Some(Fault::Hang);
    }
    if drop_roll < knobs.fault_drop_pct {
        return Some(Fault::Drop);
    }
    if error_roll < knobs.fault_5xx_pct {
        return Some(Fault::Http5xx(status));
    }
    if limit_roll < knobs.fault_query_limit_pct {
        return Some(Fault::QueryLimit);
    }
    if knobs.malformed_next > 0 {
        knobs.malformed_next -= 1;
        return Some(Fault::Malformed);
    }
    None
}

/// The HTML page sent for [`Fault::Http5xx`].
pub fn error_page(status: u16) -> String {
    let reason = match status {
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Service Temporarily Unavailable",
    };
    format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n\
         <center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// Reports every count of a JSON answer as `pct` % of itself (rounded down): the top-level
/// `total` of a list call and each `result.result_total` member of a batch; rows and `next`
/// stay true. `None` when the answer has no count (or is not JSON).
pub fn skew_totals(body: &str, pct: u64) -> Option<String> {
    let mut answer: serde_json::Value = serde_json::from_str(body).ok()?;
    let skew = |v: &mut serde_json::Value| -> bool {
        let count = v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()));
        match count {
            Some(n) => {
                *v = serde_json::Value::from(n.saturating_mul(pct) / 100);
                true
            }
            None => false,
        }
    };
    let mut changed = answer.get_mut("total").is_some_and(skew);
    if let Some(totals) = answer
        .get_mut("result")
        .and_then(|r| r.get_mut("result_total"))
    {
        match totals {
            serde_json::Value::Object(map) => {
                for v in map.values_mut() {
                    changed |= skew(v);
                }
            }
            serde_json::Value::Array(items) => {
                for v in items.iter_mut() {
                    changed |= skew(v);
                }
            }
            _ => {}
        }
    }
    changed.then(|| answer.to_string())
}

/// Cuts a JSON answer so that it no longer parses (keeps at least one byte, on a char boundary).
pub fn truncate_json(body: &str) -> String {
    let mut cut = (body.len() / 2).max(1).min(body.len().saturating_sub(1));
    while cut > 0 && !body.is_char_boundary(cut) {
        cut -= 1;
    }
    if cut == 0 {
        return "{".to_string();
    }
    body[..cut].to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_proportional() {
        let knobs = Knobs {
            fault_5xx_pct: 20.0,
            fault_drop_pct: 10.0,
            ..Knobs::default()
        };
        let run = |seed| {
            let mut k = knobs.clone();
            let mut p = Prng::new(seed);
            (0..1000)
                .map(|_| decide(&mut k, &mut p))
                .collect::<Vec<_>>()
        };
        let a = run(3);
        assert_eq!(a, run(3));
        let drops = a.iter().filter(|f| **f == Some(Fault::Drop)).count();
        let errors = a
            .iter()
            .filter(|f| matches!(f, Some(Fault::Http5xx(_))))
            .count();
        assert!((60..140).contains(&drops), "{drops}");
        assert!((120..240).contains(&errors), "{errors}");
    }

    #[test]
    fn query_limit_storm_is_proportional() {
        let mut k = Knobs {
            fault_query_limit_pct: 20.0,
            ..Knobs::default()
        };
        let mut p = Prng::new(5);
        let storms = (0..1000)
            .filter(|_| decide(&mut k, &mut p) == Some(Fault::QueryLimit))
            .count();
        assert!((140..260).contains(&storms), "{storms}");
    }

    #[test]
    fn one_shot_faults_fire_once() {
        let mut k = Knobs {
            hang_next: 1,
            malformed_next: 1,
            ..Knobs::default()
        };
        let mut p = Prng::new(1);
        assert_eq!(decide(&mut k, &mut p), Some(Fault::Hang));
        assert_eq!(decide(&mut k, &mut p), Some(Fault::Malformed));
        assert_eq!(decide(&mut k, &mut p), None);
    }

    #[test]
    fn totals_are_skewed_rows_and_next_are_not() {
        let single = r#"{"result":[{"ID":"9"}],"next":50,"total":1000,"time":{}}"#;
        let out: serde_json::Value =
            serde_json::from_str(&skew_totals(single, 30).unwrap()).unwrap();
        assert_eq!(out["total"], 300);
        assert_eq!(out["next"], 50);
        assert_eq!(out["result"][0]["ID"], "9");
        let batch = r#"{"result":{"result":{"p0":[]},"result_error":[],"result_total":{"p0":"80","p1":7},"result_next":[]}}"#;
        let out: serde_json::Value =
            serde_json::from_str(&skew_totals(batch, 50).unwrap()).unwrap();
        assert_eq!(out["result"]["result_total"]["p0"], 40);
        assert_eq!(out["result"]["result_total"]["p1"], 3);
        assert_eq!(skew_totals(r#"{"result":{"ID":"1"}}"#, 50), None);
        assert_eq!(skew_totals("not json", 50), None);
    }

    #[test]
    fn truncated_json_does_not_parse() {
        for body in ["{}", r#"{"result":[1,2,3],"total":3}"#, "{\"a\":\"ééé\"}"] {
            let cut = truncate_json(body);
            assert!(
                serde_json::from_str::<serde_json::Value>(&cut).is_err(),
                "{cut}"
            );
        }
    }
}
