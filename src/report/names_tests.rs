//! Tests of the name resolution: planning, decoding, and runs against the `b24-portal` model
//! behind the loader's faulty wire (`load_faults.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::report::json;
use crate::report::load_error::LoadErrorKind;
use crate::report::loader::faults::{block_on, Faults, FaultyTransport, VirtualClock};
use crate::report::loader::{load_tasks, LoadEvent, LoadOutcome};
use crate::report::params::encode;

fn refs(task: u64, responsible: u64, creator: u64, group: u64) -> TaskRefs {
    TaskRefs {
        task: TaskId(task),
        responsible: Some(UserId(responsible)),
        creator: Some(UserId(creator)),
        group: (group > 0).then_some(GroupId(group)),
    }
}

/// A typical portal: 100 000 tasks among 50 people and 20 projects.
fn typical(n: u64) -> Vec<TaskRefs> {
    (1..=n)
        .map(|i| refs(i, 1 + i % 50, 1 + (i * 7) % 50, i % 21))
        .collect()
}

#[test]
fn a_typical_portal_needs_one_batch_with_the_scope_listing() {
    let tasks = typical(100_000);
    let chosen = covering_tasks(&tasks);
    assert!(chosen.len() <= 50 + 50 + 20, "{}", chosen.len());
    let batches = plan_name_batches(&tasks);
    assert_eq!(batches.len(), 1);
    let keys: Vec<&str> = batches[0].iter().map(|c| c.key.as_str()).collect();
    let calls = chosen.len().div_ceil(IDS_PER_CALL);
    assert_eq!(keys.len(), calls + 1);
    assert_eq!(keys.last(), Some(&"scope"));
    let body = encode(&batches[0][0].params);
    assert!(
        body.starts_with("filter[ID][0]=1&filter[ID][1]=2&"),
        "{body}"
    );
    assert!(
        body.ends_with(
            "select[0]=ID&select[1]=RESPONSIBLE_ID&select[2]=CREATED_BY&select[3]=GROUP_ID"
        ),
        "{body}"
    );
    assert!(!body.contains("start"), "{body}");
    // Every person and project of the tasks is referred to by a chosen task.
    let chosen: HashSet<TaskId> = chosen.into_iter().collect();
    let covered: HashSet<u64> = tasks
        .iter()
        .filter(|t| chosen.contains(&t.task))
        .flat_map(|t| {
            [t.responsible, t.creator]
                .into_iter()
                .flatten()
                .map(|u| u.0)
        })
        .collect();
    assert_eq!(covered.len(), 50);
}

#[test]
fn thousands_of_people_take_more_batches_only_when_needed() {
    // 6 000 people, each responsible for two tasks, created by one of 10 people.
    let tasks: Vec<TaskRefs> = (1..=12_000)
        .map(|i| refs(i, 100 + i.div_ceil(2), 1 + i % 10, 0))
        .collect();
    let chosen = covering_tasks(&tasks);
    // One task per responsible, a few more for the first creators.
    assert!((6_000..=6_010).contains(&chosen.len()), "{}", chosen.len());
    let batches = plan_name_batches(&tasks);
    // Calls of 50 tasks: 49 + scope in the first batch, 50, the rest.
    let calls = chosen.len().div_ceil(IDS_PER_CALL);
    let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
    assert_eq!(sizes, [50, 50, calls - 99]);
    assert!(batches.iter().flatten().all(|c| {
        let Param::Map(entries) = &c.params else {
            return true;
        };
        entries.iter().all(|(_, p)| match p {
            Param::Map(f) => f.iter().all(|(_, ids)| match ids {
                Param::List(ids) => ids.len() <= IDS_PER_CALL,
                _ => true,
            }),
            _ => true,
        })
    }));
    assert!(plan_name_batches(&[]).is_empty());
}

#[test]
fn rows_are_read_leniently() {
    let answer = json::parse(
        r#"{"tasks":[
          {"id":"8017","responsibleId":"547","createdBy":"13","groupId":"0","group":[],
           "responsible":{"id":"547","name":"Maria","link":"/company/personal/user/547/","icon":"","workPosition":"Tester"},
           "creator":{"id":13,"name":"<b>John</b> Smith"}},
          {"id":"8018","responsibleId":"548","createdBy":"14","groupId":"7",
           "responsible":{"name":"Анна Петрова"},
           "creator":{"id":"14","name":"  "},
           "group":{"id":"7","name":"Сайт","opened":false,"membersCount":3,"image":"","additionalData":[]}},
          {"id":"8019","responsible":null,"creator":"x","group":{"id":"8"}}
        ]}"#,
    )
    .unwrap();
    let mut dir = Directory::new();
    read_task_rows(&mut dir, &answer);
    assert_eq!(dir.person(UserId(547)), Some("Maria"));
    assert_eq!(dir.person(UserId(13)), Some("<b>John</b> Smith"));
    assert_eq!(dir.person(UserId(548)), Some("Анна Петрова"));
    assert_eq!(dir.person(UserId(14)), None);
    assert_eq!(dir.project(GroupId(7)), Some("Сайт"));
    assert_eq!(dir.project(GroupId(8)), None);
    assert_eq!((dir.people_len(), dir.projects_len()), (3, 1));

    let groups =
        json::parse(r#"[{"ID":"77","NAME":"New Project Title"},{"ID":79,"NAME":""},{"NAME":"x"}]"#)
            .unwrap();
    read_groups(&mut dir, &groups);
    assert_eq!(dir.project(GroupId(77)), Some("New Project Title"));
    assert_eq!(dir.project(GroupId(79)), None);
    let scopes = json::parse(r#"["task","user","sonet_group"]"#).unwrap();
    assert_eq!(read_scopes(&scopes), ["task", "user", "sonet_group"]);
}

/// Loads every task of a model portal, then resolves the names of the loaded rows.
fn load_then_resolve(portal: &FaultyTransport, clock: &VirtualClock) -> (u32, Resolution, usize) {
    let config = LoadConfig::default();
    let cancel = CancelFlag::new();
    let mut rows: Vec<Task> = Vec::new();
    let mut cb = |e: LoadEvent| {
        if let LoadEvent::Rows(r) = e {
            rows.extend(r);
        }
    };
    let outcome = block_on(
        clock,
        load_tasks(portal, clock, &config, None, &cancel, &mut cb),
    );
    let LoadOutcome::Complete { requests, .. } = outcome else {
        panic!("load failed: {outcome:?}");
    };
    let tasks: Vec<TaskRefs> = rows.iter().map(TaskRefs::of).collect();
    let resolution = block_on(
        clock,
        resolve_names(portal, clock, &config, &cancel, &tasks),
    );
    (requests, resolution, rows.len())
}

#[test]
fn names_cost_one_request_and_keep_the_budget_at_100_000_tasks() {
    let n = 100_000;
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(&clock, n, Faults::default(), 1);
    let (load, names, rows) = load_then_resolve(&portal, &clock);
    assert_eq!(rows, n);
    assert_eq!(load, 41);
    assert_eq!(names.requests, 1);
    assert_eq!(names.error, None);
    let total = load + names.requests;
    assert_eq!(portal.requests(), total);
    assert!(
        total <= u32::try_from(n.div_ceil(2500) + 2).unwrap(),
        "{total}"
    );
    let last = portal.log().pop().unwrap();
    assert_eq!(last.method, "batch");
    assert!(last.body.contains("cmd[scope]=scope"), "{}", last.body);
    assert!(
        last.body.contains("cmd[n0]=tasks.task.list"),
        "{}",
        last.body
    );
    assert_eq!(last.status, 200);
    // Every responsible and every creator of the loaded rows is named as the model's
    // directory names them, and every project by its name (the covering tasks' `group`).
    let truth = portal.truth();
    let people: HashSet<u64> = truth
        .values()
        .flat_map(|t| [t.responsible, t.created_by])
        .flatten()
        .map(|u| u.0)
        .collect();
    assert!(people.len() >= 40, "{}", people.len());
    for id in people {
        let user = b24_portal::user(id).expect("a dataset user");
        let full = format!("{} {}", user.name, user.last_name);
        assert_eq!(
            names.directory.person(UserId(id)),
            Some(full.trim()),
            "user {id}"
        );
    }
    let projects: HashSet<u64> = truth
        .values()
        .filter_map(|t| t.group)
        .map(|g| g.0)
        .collect();
    assert!(projects.len() >= 10, "{}", projects.len());
    for id in projects {
        let project = b24_portal::project(id).expect("a dataset project");
        assert_eq!(
            names.directory.project(GroupId(id)),
            Some(project.name),
            "project {id}"
        );
    }
}

#[test]
fn a_failed_resolution_keeps_the_rows_and_says_so() {
    let clock = VirtualClock::default();
    let portal = FaultyTransport::new(&clock, 3_000, Faults::default(), 3);
    let config = LoadConfig::default();
    let cancel = CancelFlag::new();
    let mut rows: Vec<Task> = Vec::new();
    let mut cb = |e: LoadEvent| {
        if let LoadEvent::Rows(r) = e {
            rows.extend(r);
        }
    };
    let outcome = block_on(
        &clock,
        load_tasks(&portal, &clock, &config, None, &cancel, &mut cb),
    );
    assert!(matches!(
        outcome,
        LoadOutcome::Complete { loaded: 3_000, .. }
    ));
    portal.set_faults(Faults {
        hard: Some((403, "ACCESS_DENIED")),
        ..Faults::default()
    });
    let tasks: Vec<TaskRefs> = rows.iter().map(TaskRefs::of).collect();
    let names = block_on(
        &clock,
        resolve_names(&portal, &clock, &config, &cancel, &tasks),
    );
    let error = names.error.expect("the failure is reported");
    assert_eq!(error.kind, LoadErrorKind::AccessDenied);
    assert!(!names.cancelled);
    assert_eq!(names.directory, Directory::new());
    assert_eq!(rows.len(), 3_000);
}
