//! `b24-bench`: the engine strategies benchmark.
//!
//! Runs the app's loading engine (`task_report::report::loader::load_tasks`) natively against
//! a `b24-emulator` process over real HTTP, once per strategy, N and run, each on a freshly
//! started emulator (same task set, empty rate-limit bucket, empty operating-time budget),
//! next to the classic one-page-per-request baseline. Reports HTTP requests (the emulator's
//! own count), wall time, rows and exactness against `/__truth`, and the medians.
//!
//! ```text
//! b24-bench [--sizes 1000,10000,100000] [--runs 3] [--latency-ms 100] [--subcall-cost-ms 20]
//!           [--bucket standard] [--cap-s 300] [--strategies chained,pages1,pages3,classic]
//!           [--churn 10000] [--churn-delete-every 1] [--churn-strategies chained,pages1,pages3,classic]
//!           [--emulator target/release/b24-emulator]
//!           [--app bench/fixtures/tutorial-app] [--out bench/runs/engine.json]
//! b24-bench --webhook http://localhost:PORT/rest/1/SECRET/ --strategies chained   # one load
//! ```

mod client;
mod emulator;
mod load;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{json, Value};

use crate::emulator::Emulator;
use crate::load::{Contender, RunResult};

struct Options {
    sizes: Vec<u64>,
    runs: usize,
    latency_ms: u64,
    subcall_cost_ms: u64,
    bucket: String,
    cap_s: u64,
    contenders: Vec<Contender>,
    churn: u64,
    churn_delete_every: u64,
    churn_contenders: Vec<Contender>,
    emulator: String,
    app: String,
    out: Option<String>,
    webhook: Option<String>,
}

fn usage() -> String {
    let doc = include_str!("main.rs");
    let block: Vec<&str> = doc
        .lines()
        .skip_while(|l| !l.starts_with("//! ```text"))
        .skip(1)
        .take_while(|l| !l.starts_with("//! ```"))
        .map(|l| l.trim_start_matches("//! "))
        .collect();
    block.join("\n")
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        sizes: vec![1_000, 10_000, 100_000],
        runs: 3,
        latency_ms: 100,
        subcall_cost_ms: 20,
        bucket: "standard".into(),
        cap_s: 300,
        contenders: Contender::ALL.to_vec(),
        churn: 10_000,
        churn_delete_every: 1,
        churn_contenders: Contender::ALL.to_vec(),
        emulator: "target/release/b24-emulator".into(),
        app: "bench/fixtures/tutorial-app".into(),
        out: None,
        webhook: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Err(usage());
        }
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{}", usage()))?;
        let num = |v: &str| v.parse::<u64>().map_err(|e| format!("{flag} {v}: {e}"));
        match flag.as_str() {
            "--sizes" => {
                o.sizes = value
                    .split(',')
                    .map(|s| num(s.trim()))
                    .collect::<Result<_, _>>()?;
            }
            "--runs" => o.runs = usize::try_from(num(value)?.max(1)).unwrap_or(1),
            "--latency-ms" => o.latency_ms = num(value)?,
            "--subcall-cost-ms" => o.subcall_cost_ms = num(value)?,
            "--bucket" => o.bucket = value.clone(),
            "--cap-s" => o.cap_s = num(value)?,
            "--strategies" => {
                o.contenders = value
                    .split(',')
                    .map(|s| Contender::parse(s.trim()).ok_or(format!("unknown strategy {s}")))
                    .collect::<Result<_, _>>()?;
            }
            "--churn" => o.churn = num(value)?,
            "--churn-strategies" => {
                o.churn_contenders = value
                    .split(',')
                    .map(|s| Contender::parse(s.trim()).ok_or(format!("unknown strategy {s}")))
                    .collect::<Result<_, _>>()?;
            }
            "--churn-delete-every" => o.churn_delete_every = num(value)?.max(1),
            "--emulator" => o.emulator = value.clone(),
            "--app" => o.app = value.clone(),
            "--out" => o.out = Some(value.clone()),
            "--webhook" => o.webhook = Some(value.clone()),
            other => return Err(format!("unknown option {other}\n{}", usage())),
        }
    }
    Ok(o)
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    })
}

fn emulator_args(o: &Options, n: u64, extra: &[String]) -> Vec<String> {
    let mut args = vec![
        "--app".to_string(),
        o.app.clone(),
        "--tasks".into(),
        n.to_string(),
        "--latency-ms".into(),
        o.latency_ms.to_string(),
        "--subcall-cost-ms".into(),
        o.subcall_cost_ms.to_string(),
        "--bucket".into(),
        o.bucket.clone(),
    ];
    args.extend_from_slice(extra);
    args
}

/// One measured load on a fresh emulator.
async fn measure(
    o: &Options,
    n: u64,
    contender: Contender,
    extra: &[String],
) -> Result<Value, String> {
    let emu = Emulator::start(&o.emulator, &emulator_args(o, n, extra))?;
    let truth_start = emu.truth().await?;
    let cap = Duration::from_secs(o.cap_s);
    let result: RunResult = contender.run(&emu.webhook, cap).await;
    let truth_end = emu.truth().await?;
    let stats = emu.get("/__stats").await?;
    drop(emu);
    let loaded: HashSet<u64> = result.ids.iter().copied().collect();
    let duplicates = result.ids.len() - loaded.len();
    let expected: HashSet<u64> = truth_end.iter().copied().collect();
    let exact = duplicates == 0 && loaded == expected;
    // Under churn: tasks that existed from start to end must all be there.
    let max_start = truth_start.first().copied().unwrap_or(0);
    let missed = truth_end
        .iter()
        .filter(|id| **id <= max_start && !loaded.contains(id))
        .count();
    let stale = loaded.difference(&expected).count();
    Ok(json!({
        "n": n,
        "contender": contender.key(),
        "truth_rows_start": truth_start.len(),
        "truth_rows_end": truth_end.len(),
        "rows": loaded.len(),
        "duplicates": duplicates,
        "missed": missed,
        "stale": stale,
        "exact": exact,
        "outcome": result.outcome,
        "wall_ms": result.wall_ms,
        "first_rows_ms": result.first_rows_ms,
        "requests": stats["requests"],
        "client_requests": result.client_requests,
        "subcalls": stats["subcalls"],
        "by_status": stats["by_status"],
    }))
}

fn f(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn summarize(runs: &[Value], sizes: &[u64], contenders: &[Contender]) -> Vec<Value> {
    let mut out = Vec::new();
    for &n in sizes {
        for &c in contenders {
            let mine: Vec<&Value> = runs
                .iter()
                .filter(|r| r["n"] == n && r["contender"] == c.key())
                .collect();
            if mine.is_empty() {
                continue;
            }
            let col = |k: &str| -> Option<f64> {
                let mut v: Vec<f64> = mine.iter().filter_map(|r| f(&r[k])).collect();
                median(&mut v)
            };
            let wall = col("wall_ms");
            let first = col("first_rows_ms");
            let requests = col("requests");
            let rows = col("rows");
            let complete = mine.iter().all(|r| r["outcome"] == "complete");
            out.push(json!({
                "n": n,
                "contender": c.key(),
                "label": c.label(),
                "runs": mine.len(),
                "median_wall_ms": wall,
                "median_first_rows_ms": first,
                "median_requests": requests,
                "median_rows": rows,
                "all_complete": complete,
                "all_exact": mine.iter().all(|r| r["exact"] == true),
                "outcomes": mine.iter().map(|r| r["outcome"].clone()).collect::<Vec<_>>(),
                "wall_ms_all": mine.iter().map(|r| r["wall_ms"].clone()).collect::<Vec<_>>(),
            }));
        }
    }
    out
}

fn table(summary: &[Value], cap_s: u64) -> String {
    let mut s = String::from(
        "| N | strategy | HTTP requests | wall time to all rows (s) | first rows (s) | rows | exact |\n|---:|---|---:|---:|---:|---:|---|\n",
    );
    for row in summary {
        let secs = |k: &str| f(&row[k]).map_or("-".to_string(), |v| format!("{:.1}", v / 1000.0));
        let wall = if row["all_complete"] == true {
            secs("median_wall_ms")
        } else {
            format!("> {cap_s} (cap)")
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            row["n"],
            row["label"].as_str().unwrap_or(""),
            f(&row["median_requests"]).map_or("-".into(), |v| format!("{v:.0}")),
            wall,
            secs("median_first_rows_ms"),
            f(&row["median_rows"]).map_or("-".into(), |v| format!("{v:.0}")),
            if row["all_exact"] == true {
                "yes"
            } else {
                "no"
            },
        );
    }
    s
}

async fn run() -> Result<(), String> {
    let o = parse_args()?;
    if let Some(webhook) = &o.webhook {
        for c in &o.contenders {
            let r = c.run(webhook, Duration::from_secs(o.cap_s)).await;
            println!(
                "{}",
                json!({"contender": c.key(), "rows": r.ids.len(), "wall_ms": r.wall_ms,
                       "first_rows_ms": r.first_rows_ms, "outcome": r.outcome,
                       "client_requests": r.client_requests})
            );
        }
        return Ok(());
    }
    let started_unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let command = std::iter::once("target/release/b24-bench".to_string())
        .chain(std::env::args().skip(1))
        .collect::<Vec<_>>()
        .join(" ");
    let mut runs = Vec::new();
    for run in 1..=o.runs {
        for &n in &o.sizes {
            for &c in &o.contenders {
                eprint!("engine bench: run {run}/{} N={n} {} … ", o.runs, c.key());
                let mut r = measure(&o, n, c, &[]).await?;
                r["run"] = json!(run);
                eprintln!(
                    "{} rows, {} requests, {:.1} s, {}",
                    r["rows"],
                    r["requests"],
                    f(&r["wall_ms"]).unwrap_or(0.0) / 1000.0,
                    r["outcome"]
                );
                runs.push(r);
            }
        }
    }
    let mut churn = Vec::new();
    if o.churn > 0 {
        let extra = vec![
            "--delete-every".to_string(),
            o.churn_delete_every.to_string(),
        ];
        for &c in &o.churn_contenders {
            eprint!("engine bench: churn N={} {} … ", o.churn, c.key());
            let r = measure(&o, o.churn, c, &extra).await?;
            eprintln!(
                "missed {}, stale {}, duplicates {}, {}",
                r["missed"], r["stale"], r["duplicates"], r["outcome"]
            );
            churn.push(r);
        }
    }
    let summary = summarize(&runs, &o.sizes, &o.contenders);
    let report = json!({
        "kind": "engine-strategies",
        "command": command,
        "started_unix": started_unix,
        "conditions": {
            "latency_ms": o.latency_ms,
            "subcall_cost_ms": o.subcall_cost_ms,
            "bucket": o.bucket,
            "cap_s": o.cap_s,
            "runs": o.runs,
            "sizes": o.sizes,
            "auth": "incoming webhook (no token: nothing expires during a run; same model, bucket, latency and cost as token calls)",
            "emulator": "fresh process per measured load",
            "churn": {"n": o.churn, "delete_every": o.churn_delete_every,
                      "note": "the emulator deletes 3 tasks before every delete_every-th REST request"},
        },
        "summary": summary,
        "runs": runs,
        "churn": churn,
    });
    let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    if let Some(path) = &o.out {
        if let Some(dir) = std::path::Path::new(path).parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(path, &text).map_err(|e| format!("{path}: {e}"))?;
        eprintln!("engine bench: wrote {path}");
    }
    print!("{}", table(&summary, o.cap_s));
    Ok(())
}

/// One thread: the engine's futures are not `Send`, and the loads are measured one at a time.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("{e}");
        std::process::exit(2);
    }
}
