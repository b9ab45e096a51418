//! The task codec: every field survives, anything damaged decodes as `None` without a panic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn full(id: u64) -> Task {
    let at = |s: i64, o: i32| PortalTime::new(s, o);
    Task {
        id: TaskId(id),
        title: format!("<b>Задача</b> «{id}» 🚀 & \"quotes\""),
        priority: Priority::High,
        status: RealStatus::SupposedlyCompleted,
        meta: Some(MetaStatus::AlmostOverdue),
        responsible: Some(UserId(7)),
        created_by: Some(UserId(u64::MAX)),
        group: Some(GroupId(19)),
        deadline: at(1_767_225_600, 180),
        created: at(-86_400, -330),
        changed: at(1_767_000_000, 0),
        closed: at(1_767_225_601, 840),
        time_estimate: Some(3_600),
        time_spent: Some(u32::MAX),
    }
}

fn bare(id: u64) -> Task {
    Task::from_status_fields(
        TaskId(id),
        String::new(),
        Priority::Unknown(String::new()),
        Some("-2"),
        Some("9"),
    )
}

fn sample() -> Vec<Task> {
    let mut odd = full(3);
    odd.priority = Priority::Unknown("urgent".into());
    odd.status = RealStatus::Unknown("-7".into());
    odd.meta = None;
    vec![full(u64::MAX), bare(0), odd, bare(1), full(42)]
}

#[test]
fn every_field_survives_a_round_trip() {
    let tasks = sample();
    assert_eq!(decode_tasks(&encode_tasks(&tasks)).unwrap(), tasks);
    assert_eq!(
        decode_tasks(&encode_tasks(&[])).unwrap(),
        Vec::<Task>::new()
    );
    for (i, status) in RealStatus::KNOWN.iter().enumerate() {
        for meta in MetaStatus::ALL.iter().copied().map(Some).chain([None]) {
            let mut t = full(i as u64);
            t.status = status.clone();
            t.meta = meta;
            t.priority = [Priority::Low, Priority::Medium, Priority::High][i % 3].clone();
            assert_eq!(
                decode_tasks(&encode_tasks(std::slice::from_ref(&t))).unwrap(),
                vec![t]
            );
        }
    }
}

#[test]
fn every_cut_of_a_buffer_is_none() {
    let bytes = encode_tasks(&sample());
    for len in 0..bytes.len() {
        assert_eq!(decode_tasks(&bytes[..len]), None, "cut at {len}");
    }
}

#[test]
fn another_version_trailing_bytes_or_a_huge_count_is_none() {
    let mut bytes = encode_tasks(&sample());
    bytes[3] = VERSION + 1;
    assert_eq!(decode_tasks(&bytes), None);
    let mut bytes = encode_tasks(&sample());
    bytes.push(0);
    assert_eq!(decode_tasks(&bytes), None);
    assert_eq!(decode_tasks(b"TRC\x01\xff\xff\xff\xff\x0f"), None);
    assert_eq!(decode_tasks(b"JSON"), None);
}

#[test]
fn damaged_bytes_never_panic() {
    let bytes = encode_tasks(&sample());
    // Every single-byte change to every value: decodes to something or to None.
    for at in 0..bytes.len() {
        for v in [0u8, 1, 3, 9, 0x7f, 0x80, 0xff] {
            let mut b = bytes.clone();
            b[at] = v;
            let _ = decode_tasks(&b);
        }
    }
}

#[test]
fn a_typical_task_takes_few_bytes() {
    let tasks: Vec<Task> = (1..=1_000).map(full).collect();
    let bytes = encode_tasks(&tasks);
    let per_task = bytes.len() / tasks.len();
    // ID 2, bitmap 2, tags 3, people 3–12, dates 4 × 6, durations 8, title ~45.
    assert!(per_task < 110, "{per_task} bytes per task");
}
