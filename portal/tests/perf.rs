//! Size checks, ignored by default; run with
//! `cargo test -p b24-portal --release --test perf -- --ignored --nocapture`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Instant;

use b24_portal::{Portal, PortalConfig};
use common::*;

#[test]
#[ignore]
fn a_million_tasks_generate_and_load_through_2500_row_batches() {
    let t0 = Instant::now();
    let mut p = Portal::new(PortalConfig {
        tasks: 1_000_000,
        bucket: None,
        operating_limit_s: None,
        ..PortalConfig::default()
    });
    eprintln!("generate 10^6: {:?}", t0.elapsed());
    let tok = p.issue_auth(1, NOW_MS);
    let truth = p.visible_task_ids(1);
    let t1 = Instant::now();
    let mut cursor = truth[0] + 1;
    let mut seen = 0usize;
    let mut bytes = 0usize;
    let mut in_handle = std::time::Duration::ZERO;
    loop {
        let mut body = format!("auth={}&halt=0", tok.access_token);
        for i in 0..50 {
            let filter = if i == 0 {
                format!("{cursor}")
            } else {
                format!("$result[p{}][49][ID]", i - 1)
            };
            let cmd = format!(
                "task.item.list?ORDER[ID]=desc&FILTER[<ID]={filter}&PARAMS[NAV_PARAMS][nPageSize]=50&SELECT[]=ID&SELECT[]=TITLE&SELECT[]=DEADLINE"
            );
            body.push_str(&format!("&cmd[p{i}]={}", enc(&cmd)));
        }
        let th = Instant::now();
        let r = post(&mut p, "/rest/batch.json", &body);
        in_handle += th.elapsed();
        bytes += r.body.len();
        let v = json(&r);
        let mut last = None;
        let mut short = false;
        for i in 0..50 {
            let page = v["result"]["result"][format!("p{i}")].as_array().unwrap();
            seen += page.len();
            if let Some(row) = page.last() {
                last = Some(row["ID"].as_str().unwrap().parse::<u64>().unwrap());
            }
            if page.len() < 50 {
                short = true;
                break;
            }
        }
        match last {
            Some(l) if !short => cursor = l,
            _ => break,
        }
    }
    eprintln!(
        "load {seen} rows in 2500-row batches: {:?} ({:?} in Portal::handle), {} MB of JSON",
        t1.elapsed(),
        in_handle,
        bytes / 1_000_000
    );
    assert_eq!(seen, truth.len());
}
