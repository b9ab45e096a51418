//! Peak resident memory of one export, natively (Linux `/proc/self/status`), by phase:
//! `cargo run --release -p task-report-exporter --example peak_memory [tasks] [keep]`
//! (default 100 000 tasks of the dataset's shape, the default columns, links to the portal;
//! `keep` holds the request's bytes through the export, as the worker did before it handed
//! them over to be freed once decoded). Native pointers are 8 bytes, the worker's 4, and the
//! process has its own floor: the numbers show where the memory goes, not the browser's
//! figure (BENCHMARKS.md, "Excel export", measures that).
#![allow(clippy::unwrap_used, clippy::print_stdout, missing_docs)]

use task_report::export::request;
use task_report::i18n::Lang;
use task_report::report::directory::Directory;
use task_report::report::task::{Priority, RawDetails, Task, TaskId, UserId};
use task_report::report::view::SavedView;

/// A `/proc/self/status` figure in bytes (`VmRSS` now, `VmHWM` the peak); 0 off Linux.
fn status(key: &str) -> usize {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .map_or(0, |kb| kb * 1024)
}

const MIB: f64 = 1024.0 * 1024.0;

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / MIB)
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let verbs = [
        "Подготовить",
        "Согласовать",
        "Review",
        "Update",
        "Проверить",
    ];
    let nouns = [
        "отчёт по продажам",
        "договор с поставщиком",
        "quarterly report",
        "invoice",
    ];
    let tasks: Vec<Task> = (1..=n)
        .map(|id| {
            let title = format!(
                "{} {} #{}",
                verbs[id as usize % verbs.len()],
                nouns[id as usize / 7 % nouns.len()],
                id * 37 % 9999
            );
            let deadline = (id % 3 != 0).then_some("2026-12-24T18:00:00+03:00");
            Task::from_status_fields(
                TaskId(id),
                title,
                Priority::from_wire(["0", "1", "2"][id as usize % 3]),
                None,
                Some(["2", "3", "5"][id as usize % 3]),
            )
            .with_responsible(Some(1 + id % 50))
            .with_details(RawDetails {
                deadline,
                ..RawDetails::default()
            })
        })
        .collect();
    let mut names = Directory::new();
    for id in 1..=50 {
        names.insert_person(UserId(id), &format!("Сотрудник Номер {id}"));
    }
    let view = SavedView::default();
    let bytes = request::encode(&request::Screen {
        lang: Lang::Ru,
        portal_url: Some("https://acme.bitrix24.ru/"),
        view: &view,
        directory: &names,
        tasks: &tasks,
    });
    drop(tasks);
    let kept = (std::env::args().nth(2).as_deref() == Some("keep")).then(|| bytes.clone());
    let base = status("VmRSS");
    println!(
        "tasks: {n}; request: {} (resident before the export: {})",
        mib(bytes.len()),
        mib(base)
    );
    let mut at_pack = (0, 0);
    let (book, _) = task_report_exporter::export(bytes, 0, "2026-12-05", &mut |done, total| {
        if done == total {
            at_pack = (status("VmRSS"), status("VmHWM"));
        }
    })
    .unwrap();
    println!(
        "rows written, before packing: resident {}, peak so far {}",
        mib(at_pack.0),
        mib(at_pack.1)
    );
    println!(
        "peak of the whole export: {}; file {}",
        mib(status("VmHWM")),
        mib(book.len())
    );
    drop(kept);
}
