//! "Who and when" values (issue 14) and date filters/orders (issue 15): CREATED_DATE rising with
//! ID over two years, CHANGED_DATE after it, deadlines around now with the meta statuses that
//! follow from them, CLOSED_DATE only on completed tasks, estimates and logged time, dates in
//! the portal's offset, FILTER and ORDER on the dates, and CHANGED_DATE moved by edits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use b24_portal::{Portal, PortalConfig};
use common::*;
use serde_json::Value;

const NOW_S: i64 = (NOW_MS / 1000) as i64;
const DAY: i64 = 86_400;
const FIELDS: &str = "&SELECT[]=DEADLINE&SELECT[]=CREATED_DATE&SELECT[]=CHANGED_DATE&SELECT[]=CLOSED_DATE&SELECT[]=TIME_ESTIMATE&SELECT[]=TIME_SPENT_IN_LOGS";

/// `YYYY-MM-DDTHH:MM:SS±hh:mm` → (Unix s, offset s); panics on anything else.
fn iso(s: &str) -> (i64, i64) {
    assert_eq!(s.len(), 25, "ISO 8601 with offset: {s:?}");
    let n = |a: usize, b: usize| s[a..b].parse::<i64>().unwrap();
    let sign = if &s[19..20] == "-" { -1 } else { 1 };
    assert!(matches!(&s[19..20], "+" | "-") && &s[22..23] == ":", "{s}");
    let off = sign * (n(20, 22) * 3600 + n(23, 25) * 60);
    let as_plus3 = format!("{}+03:00", &s[..19]);
    (parse_iso(&as_plus3) + 3 * 3600 - off, off)
}

fn date(r: &Value, field: &str) -> Option<i64> {
    match r[field].as_str().unwrap() {
        "" => None,
        s => Some(iso(s).0),
    }
}

fn admin_rows(tasks: usize, config: PortalConfig) -> (Portal, String, Vec<Value>) {
    let mut p = Portal::new(PortalConfig {
        tasks,
        bucket: None,
        ..config
    });
    let tok = p.issue_auth(1, NOW_MS).access_token;
    let rows = all_rows(&mut p, &tok, FIELDS);
    (p, tok, rows)
}

/// A row predicate: the scan a filter must agree with.
type Pred = Box<dyn Fn(&Value) -> bool>;

fn pct(part: usize, all: usize) -> usize {
    part * 100 / all.max(1)
}

#[test]
fn created_rises_with_id_over_two_years_and_changed_follows() {
    let (_, _, rows) = admin_rows(20_000, PortalConfig::default());
    // Rows come ID descending: CREATED_DATE never rises along them.
    let created: Vec<i64> = rows
        .iter()
        .map(|r| date(r, "CREATED_DATE").unwrap())
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]));
    let oldest = *created.last().unwrap();
    assert!(((NOW_S - oldest) / DAY - 730).abs() <= 2, "two years");
    assert!(NOW_S - created[0] < DAY, "the newest task is recent");
    for r in &rows {
        let c = date(r, "CREATED_DATE").unwrap();
        let ch = date(r, "CHANGED_DATE").unwrap();
        assert!(c <= ch && ch <= NOW_S, "{r}");
        if let Some(cl) = date(r, "CLOSED_DATE") {
            assert!(c <= cl && cl <= ch, "{r}");
        }
    }
}

#[test]
fn deadlines_cluster_around_now_and_the_meta_status_follows_them() {
    let (_, _, rows) = admin_rows(20_000, PortalConfig::default());
    let with: Vec<&Value> = rows.iter().filter(|r| r["DEADLINE"] != "").collect();
    assert!(
        (65..=75).contains(&pct(with.len(), rows.len())),
        "{}",
        with.len()
    );
    // Local days at +03:00: NOW is 2026-01-01 03:00, a Thursday.
    let today = NOW_S - 3 * 3600;
    let open: Vec<&&Value> = with.iter().filter(|r| r["REAL_STATUS"] != "5").collect();
    let days = |r: &Value| (date(r, "DEADLINE").unwrap() - today).div_euclid(DAY);
    assert!(open.iter().all(|r| (-60..=60).contains(&days(r))));
    let on = |lo: i64, hi: i64| {
        pct(
            open.iter().filter(|r| (lo..=hi).contains(&days(r))).count(),
            open.len(),
        )
    };
    assert!(on(0, 0) >= 10, "today {}", on(0, 0));
    assert!(on(1, 3) >= 12, "rest of the week {}", on(1, 3));
    assert!(on(4, 10) >= 10, "next week {}", on(4, 10));
    assert!(on(-60, -1) >= 20, "overdue {}", on(-60, -1));
    // Mostly at the end of the working day, local time.
    let at19 = with
        .iter()
        .filter(|r| r["DEADLINE"].as_str().unwrap()[11..19] == *"19:00:00");
    assert!(pct(at19.count(), with.len()) >= 50);
    // The meta status (caller 1 at NOW) is exactly what the deadline and status imply.
    let mut overdue = 0;
    for r in &rows {
        let rs: i64 = r["REAL_STATUS"].as_str().unwrap().parse().unwrap();
        let counts = rs != 4 && rs != 5 && !(rs == 7 && r["RESPONSIBLE_ID"] == "1");
        let expect_overdue = counts && date(r, "DEADLINE").is_some_and(|d| d < NOW_S);
        let expect_soon =
            counts && date(r, "DEADLINE").is_some_and(|d| (NOW_S..NOW_S + DAY).contains(&d));
        let status = r["STATUS"].as_str().unwrap();
        assert_eq!(status == "-1", expect_overdue, "{r}");
        assert_eq!(status == "-3", expect_soon, "{r}");
        overdue += usize::from(expect_overdue);
    }
    assert!(pct(overdue, rows.len()) >= 10, "{overdue} overdue");
}

#[test]
fn closed_date_only_on_completed_tasks_and_times_are_quarter_hours_and_seconds() {
    let (_, _, rows) = admin_rows(20_000, PortalConfig::default());
    for r in &rows {
        assert_eq!(r["CLOSED_DATE"] != "", r["REAL_STATUS"] == "5", "{r}");
    }
    let est: Vec<i64> = rows
        .iter()
        .map(|r| r["TIME_ESTIMATE"].as_str().unwrap().parse().unwrap())
        .collect();
    let set = est.iter().filter(|e| **e > 0).count();
    assert!((35..=45).contains(&pct(set, rows.len())), "{set} estimates");
    assert!(est
        .iter()
        .all(|e| *e == 0 || (900..=144_000).contains(e) && e % 900 == 0));
    assert!(est.contains(&900) && est.contains(&144_000));
    let spent: Vec<Option<i64>> = rows
        .iter()
        .map(|r| match &r["TIME_SPENT_IN_LOGS"] {
            Value::Null => None,
            Value::String(s) => Some(s.parse().unwrap()),
            other => panic!("TIME_SPENT_IN_LOGS {other}"),
        })
        .collect();
    let logged = spent.iter().flatten().count();
    assert!(
        (55..=68).contains(&pct(logged, rows.len())),
        "{logged} logged"
    );
    let over = est
        .iter()
        .zip(&spent)
        .filter(|(e, s)| **e > 0 && s.is_some_and(|s| s > **e))
        .count();
    let under = est
        .iter()
        .zip(&spent)
        .filter(|(e, s)| **e > 0 && s.is_some_and(|s| s <= **e))
        .count();
    assert!(over > 200 && under > over, "{over} over, {under} within");
}

#[test]
fn dates_are_written_in_the_portal_offset_and_it_can_change() {
    let (mut p, tok, rows) = admin_rows(2000, PortalConfig::default());
    assert!(rows
        .iter()
        .all(|r| r["CREATED_DATE"].as_str().unwrap().ends_with("+03:00")));
    // Same portal, another time zone: the same instants, written at +02:00.
    p.set_utc_offset(2 * 3600).unwrap();
    let again = all_rows(&mut p, &tok, FIELDS);
    for (a, b) in rows.iter().zip(&again) {
        for f in ["DEADLINE", "CREATED_DATE", "CHANGED_DATE", "CLOSED_DATE"] {
            assert_eq!(date(a, f), date(b, f), "{f}");
            let s = b[f].as_str().unwrap();
            assert!(s.is_empty() || s.ends_with("+02:00"), "{s}");
        }
    }
    // The answer's `time` and `server.time` speak the same offset.
    let r = post(&mut p, "/rest/server.time.json", &format!("auth={tok}"));
    let v = json(&r);
    assert!(v["result"].as_str().unwrap().ends_with("+02:00"), "{v}");
    assert!(
        v["time"]["date_start"]
            .as_str()
            .unwrap()
            .ends_with("+02:00"),
        "{v}"
    );
    let cmd = enc("task.item.list?ORDER[ID]=desc&FILTER[>ID]=0&PARAMS[NAV_PARAMS][nPageSize]=1");
    let b = json(&post(
        &mut p,
        "/rest/batch.json",
        &format!("auth={tok}&cmd[a]={cmd}"),
    ));
    assert!(
        b["time"]["date_finish"]
            .as_str()
            .unwrap()
            .ends_with("+02:00"),
        "{b}"
    );
    assert!(
        b["result"]["result_time"]["a"]["date_start"]
            .as_str()
            .unwrap()
            .ends_with("+02:00"),
        "{b}"
    );
    assert!(p.set_utc_offset(15 * 3600).is_err());
    assert_eq!(p.utc_offset_s(), 2 * 3600);
    // A portal built at -05:00 puts its deadlines at 19:00 local time there.
    let (_, _, west) = admin_rows(
        2000,
        PortalConfig {
            utc_offset_s: -5 * 3600,
            ..PortalConfig::default()
        },
    );
    let d: Vec<&str> = west
        .iter()
        .filter_map(|r| r["DEADLINE"].as_str().filter(|s| !s.is_empty()))
        .collect();
    assert!(d.iter().all(|s| s.ends_with("-05:00")));
    assert!(
        pct(
            d.iter().filter(|s| s[11..19] == *"19:00:00").count(),
            d.len()
        ) >= 50
    );
}

/// Rows of `filter` (URL-encoded FILTER members), ID descending, all pages.
fn filtered(p: &mut Portal, tok: &str, filter: &str, order: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for page in 1.. {
        let r = post(
            p,
            "/rest/task.item.list.json",
            &format!("auth={tok}&{order}&{filter}&PARAMS[NAV_PARAMS][nPageSize]=50&PARAMS[NAV_PARAMS][iNumPage]={page}{FIELDS}"),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let v = json(&r);
        let rows = v["result"].as_array().unwrap().clone();
        let n = rows.len();
        out.extend(rows);
        if n < 50 {
            break;
        }
    }
    out
}

fn ids_of(rows: &[Value]) -> Vec<u64> {
    rows.iter()
        .map(|r| r["ID"].as_str().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn date_filters_match_a_scan_in_every_accepted_format() {
    let (mut p, tok, rows) = admin_rows(3000, PortalConfig::default());
    let since = NOW_S - 20 * DAY; // 2025-12-12T03:00:00+03:00
    let scan = |f: &dyn Fn(&Value) -> bool| -> Vec<u64> {
        ids_of(&rows.iter().filter(|r| f(r)).cloned().collect::<Vec<_>>())
    };
    let changed_since = scan(&|r| date(r, "CHANGED_DATE").unwrap() >= since);
    assert!(!changed_since.is_empty() && changed_since.len() < rows.len());
    for value in [
        "2025-12-12T03:00:00%2B03:00",
        "2025-12-12T00:00:00Z",
        "2025-12-12T01:00:00%2B01:00",
        "2025-12-12T03:00:00",
        "12.12.2025+03:00:00",
    ] {
        let got = filtered(
            &mut p,
            &tok,
            &format!("FILTER[%3E%3DCHANGED_DATE]={value}"),
            "ORDER[ID]=desc",
        );
        assert_eq!(ids_of(&got), changed_since, "{value}");
    }
    // A date alone is the portal's midnight.
    let midnight = NOW_S - 3 * 3600 - 20 * DAY;
    let got = filtered(
        &mut p,
        &tok,
        "FILTER[%3E%3DCHANGED_DATE]=2025-12-12",
        "ORDER[ID]=desc",
    );
    assert_eq!(
        ids_of(&got),
        scan(&|r| date(r, "CHANGED_DATE").unwrap() >= midnight)
    );
    // The other dates and operators; unset dates never pass a comparison.
    let cases: [(&str, Pred); 6] = [
        ("FILTER[%3CDEADLINE]=2026-01-01", Box::new(|r| date(r, "DEADLINE").is_some_and(|d| d < NOW_S - 3 * 3600))),
        ("FILTER[%3C%3DCREATED_DATE]=01.06.2025", Box::new(|r| date(r, "CREATED_DATE").unwrap() <= 1_748_725_200)),
        ("FILTER[%3ECLOSED_DATE]=2025-12-01", Box::new(|r| date(r, "CLOSED_DATE").is_some_and(|d| d > 1_764_536_400))),
        ("FILTER[CLOSED_DATE]=", Box::new(|r| r["CLOSED_DATE"] == "")),
        ("FILTER[!DEADLINE]=", Box::new(|r| r["DEADLINE"] != "")),
        ("FILTER[%3E%3DDEADLINE]=2026-01-01&FILTER[%3CDEADLINE]=2026-01-08&FILTER[!REAL_STATUS]=5", Box::new(|r| {
            date(r, "DEADLINE").is_some_and(|d| (NOW_S - 3 * 3600..NOW_S - 3 * 3600 + 7 * DAY).contains(&d)) && r["REAL_STATUS"] != "5"
        })),
    ];
    for (filter, f) in cases {
        let want = scan(&*f);
        assert!(!want.is_empty(), "{filter}");
        assert_eq!(
            ids_of(&filtered(&mut p, &tok, filter, "ORDER[ID]=desc")),
            want,
            "{filter}"
        );
    }
    // An exact instant with `=` and `!`.
    let one = &rows[10];
    let at = one["CREATED_DATE"].as_str().unwrap().replace('+', "%2B");
    let eq = filtered(
        &mut p,
        &tok,
        &format!("FILTER[CREATED_DATE]={at}"),
        "ORDER[ID]=desc",
    );
    assert!(ids_of(&eq).contains(&ids_of(std::slice::from_ref(one))[0]));
    let ne = filtered(
        &mut p,
        &tok,
        &format!("FILTER[!CREATED_DATE]={at}"),
        "ORDER[ID]=desc",
    );
    assert_eq!(eq.len() + ne.len(), rows.len());
}

#[test]
fn orders_by_dates_are_sorted_with_unset_first_ascending() {
    let (mut p, tok, rows) = admin_rows(1500, PortalConfig::default());
    for field in ["CHANGED_DATE", "CREATED_DATE", "DEADLINE", "CLOSED_DATE"] {
        for dir in ["asc", "desc"] {
            let got = filtered(
                &mut p,
                &tok,
                "FILTER[%3EID]=0",
                &format!("ORDER[{field}]={dir}"),
            );
            assert_eq!(got.len(), rows.len());
            let keys: Vec<(Option<i64>, u64)> = got
                .iter()
                .map(|r| (date(r, field), r["ID"].as_str().unwrap().parse().unwrap()))
                .collect();
            let mut sorted = keys.clone();
            // MySQL: NULL first ascending, last descending; ties by ID ascending.
            sorted.sort_by(|a, b| {
                if dir == "asc" {
                    a.0.cmp(&b.0)
                } else {
                    b.0.cmp(&a.0)
                }
                .then(a.1.cmp(&b.1))
            });
            assert_eq!(keys, sorted, "{field} {dir}");
        }
    }
}

#[test]
fn inserts_and_updates_move_changed_date_so_an_incremental_filter_finds_them() {
    let (mut p, tok, rows) = admin_rows(5000, PortalConfig::default());
    let newest = rows
        .iter()
        .map(|r| date(r, "CHANGED_DATE").unwrap())
        .max()
        .unwrap();
    let later_ms = NOW_MS + 1_800_000; // within the token lifetime
    let updated = p.update_tasks(40, later_ms);
    let inserted = p.insert_tasks(5, later_ms);
    assert_eq!(updated.len(), 40);
    // Updates are spread over the ID range.
    let (lo, hi) = (rows.last().unwrap(), &rows[0]);
    let span = ids_of(std::slice::from_ref(hi))[0] - ids_of(std::slice::from_ref(lo))[0];
    assert!(updated[39] - updated[0] > span / 2, "{updated:?}");
    let since = b24_portal::clock::iso_in(newest + 1, 3 * 3600).replace('+', "%2B");
    let got = post_at(
        &mut p,
        "/rest/task.item.list.json",
        &format!("auth={tok}&ORDER[CHANGED_DATE]=asc&FILTER[%3E%3DCHANGED_DATE]={since}&PARAMS[NAV_PARAMS][nPageSize]=50{FIELDS}"),
        later_ms,
    );
    let v = json(&got);
    let mut want: Vec<u64> = updated.iter().chain(&inserted).copied().collect();
    want.sort_unstable();
    let mut seen = ids_of(v["result"].as_array().unwrap());
    seen.sort_unstable();
    assert_eq!(seen, want);
    for r in v["result"].as_array().unwrap() {
        assert_eq!(
            date(r, "CHANGED_DATE"),
            Some((later_ms / 1000) as i64),
            "{r}"
        );
        if inserted.contains(&r["ID"].as_str().unwrap().parse().unwrap()) {
            assert_eq!(date(r, "CREATED_DATE"), Some((later_ms / 1000) as i64));
        }
        assert_eq!(r["CLOSED_DATE"] != "", r["REAL_STATUS"] == "5", "{r}");
    }
    // Nothing else moved.
    let after = all_rows(&mut p, &tok, FIELDS);
    let moved = after
        .iter()
        .filter(|r| date(r, "CHANGED_DATE").unwrap() > newest)
        .count();
    assert_eq!(moved, want.len());
}

/// `fields.md` types every one of these as `string`; the documented answers show IDs and
/// seconds as digit strings (`"responsibleId": "547"`, `"timeEstimate": "101580"`,
/// `"timeSpentInLogs": "69963"` or `null`) and dates as ISO 8601 with the offset
/// (`"deadline": "2025-10-24T19:00:00+02:00"`); on `task.item.list` an unset date is `""`
/// (docs/platform/task-list.md, "Value types").
#[test]
fn new_fields_keep_the_documented_types() {
    let (mut p, tok, rows) = admin_rows(3000, PortalConfig::default());
    let digits = |v: &Value| {
        v.as_str()
            .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
    };
    let iso_or_empty = |v: &Value| {
        v.as_str()
            .is_some_and(|s| s.is_empty() || iso(s).1 == 3 * 3600)
    };
    for r in &rows {
        for f in [
            "ID",
            "RESPONSIBLE_ID",
            "CREATED_BY",
            "GROUP_ID",
            "TIME_ESTIMATE",
        ] {
            assert!(digits(&r[f]), "{f}: {r}");
        }
        assert!(
            r["TIME_SPENT_IN_LOGS"].is_null() || digits(&r["TIME_SPENT_IN_LOGS"]),
            "{r}"
        );
        for f in ["DEADLINE", "CREATED_DATE", "CHANGED_DATE", "CLOSED_DATE"] {
            assert!(iso_or_empty(&r[f]), "{f}: {r}");
        }
    }
    assert!(
        rows.iter().any(|r| r["GROUP_ID"] == "0") && rows.iter().any(|r| r["TIME_ESTIMATE"] == "0")
    );
    // The same values through tasks.task.list's camelCase names.
    let r = post(
        &mut p,
        "/rest/tasks.task.list.json",
        &format!("auth={tok}&order[ID]=desc&select[]=ID&select[]=RESPONSIBLE_ID&select[]=CREATED_BY&select[]=GROUP_ID&select[]=TIME_ESTIMATE&select[]=TIME_SPENT_IN_LOGS&select[]=DEADLINE&select[]=CHANGED_DATE"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = json(&r);
    let tasks = v["result"]["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 50);
    for (t, row) in tasks.iter().zip(&rows) {
        assert_eq!(t["id"], row["ID"]);
        for (camel, upper) in [
            ("responsibleId", "RESPONSIBLE_ID"),
            ("createdBy", "CREATED_BY"),
            ("groupId", "GROUP_ID"),
            ("timeEstimate", "TIME_ESTIMATE"),
            ("timeSpentInLogs", "TIME_SPENT_IN_LOGS"),
            ("changedDate", "CHANGED_DATE"),
        ] {
            assert_eq!(t[camel], row[upper], "{camel}: {t}");
        }
    }
}
