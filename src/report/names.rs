//! Names for the IDs of the loaded tasks: responsible, creator and project, resolved after
//! the rows are loaded (`docs/platform/rest-answers.md`, "Names of people and projects").
//!
//! `task.item.list` documents no name fields, so names come from `tasks.task.list`, whose
//! rows carry the objects `responsible` and `creator` (`{id, name, …}`) and `group`
//! (`{id, name, …}`, or `[]` without a project). One task shows up to three names, so a
//! covering set of task IDs (each chosen task brings at least one name not yet covered) is
//! asked for with `FILTER ID = [up to 50 IDs]`, up to 50 such commands per `batch`: one
//! extra request covers up to 2 500 tasks, which means thousands of people. The first batch
//! also asks `scope`; projects still without a name are asked from `sonet_group.get` only
//! when the app has a social-network scope.
//!
//! The requests go through [`crate::report::loader::request_batch`]: the same pacing,
//! timeout, retries and token refresh as the load. A failure never touches the rows: the
//! names found so far are kept and the rest fall back to "User #12" in the UI.

use std::collections::HashSet;

use crate::report::directory::Directory;
use crate::report::json::Json;
use crate::report::load_error::LoadError;
use crate::report::loader::{request_batch, CancelFlag, LoadConfig};
use crate::report::params::{BatchCommand, Param};
use crate::report::task::{GroupId, Task, TaskId, UserId};
use crate::report::transport::{Clock, Transport};
use crate::report::wire::{decode_batch_reply, lenient_text, lenient_u64, BatchAnswer};

/// IDs per `FILTER ID` list (one page of `tasks.task.list` / `sonet_group.get`).
pub const IDS_PER_CALL: usize = 50;

/// Commands per `batch` (the portal runs at most 50).
pub const CALLS_PER_BATCH: usize = 50;

/// The fields asked for each covering task (the objects come with these IDs).
pub const NAME_SELECT: [&str; 4] = ["ID", "RESPONSIBLE_ID", "CREATED_BY", "GROUP_ID"];

/// Scopes under which `sonet_group.get` may be called: the method's page names `sonet`,
/// the scope list names `sonet_group` and `socialnetwork` (`docs/platform/rest-answers.md`).
pub const GROUP_SCOPES: [&str; 3] = ["sonet_group", "socialnetwork", "sonet"];

/// The IDs one task refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskRefs {
    /// The task.
    pub task: TaskId,
    /// `RESPONSIBLE_ID`.
    pub responsible: Option<UserId>,
    /// `CREATED_BY`.
    pub creator: Option<UserId>,
    /// `GROUP_ID` (none for 0).
    pub group: Option<GroupId>,
}

impl TaskRefs {
    /// The references a loaded task row carries.
    pub fn of(task: &Task) -> Self {
        Self {
            task: task.id,
            responsible: task.responsible,
            creator: task.created_by,
            group: task.group,
        }
    }
}

/// Chooses tasks that together refer to every person and project of `tasks`: a task is
/// taken when it brings an ID not yet covered (at most one task per distinct ID).
pub fn covering_tasks(tasks: &[TaskRefs]) -> Vec<TaskId> {
    let mut people: HashSet<UserId> = HashSet::new();
    let mut projects: HashSet<GroupId> = HashSet::new();
    let mut chosen = Vec::new();
    for refs in tasks {
        let mut new = false;
        for user in [refs.responsible, refs.creator].into_iter().flatten() {
            new |= people.insert(user);
        }
        if let Some(group) = refs.group {
            new |= projects.insert(group);
        }
        if new {
            chosen.push(refs.task);
        }
    }
    chosen
}

fn id_list<I: ToString>(ids: &[I]) -> Param {
    Param::List(ids.iter().map(|id| Param::Str(id.to_string())).collect())
}

/// The `tasks.task.list` call for up to 50 task IDs (one page: no `start`).
fn task_call(key: String, ids: &[TaskId]) -> BatchCommand {
    let ids: Vec<u64> = ids.iter().map(|t| t.0).collect();
    BatchCommand {
        key,
        method: "tasks.task.list".into(),
        params: Param::map([
            ("filter", Param::map([("ID", id_list(&ids))])),
            ("select", Param::strs(NAME_SELECT)),
        ]),
    }
}

/// The `sonet_group.get` call for up to 50 project IDs.
fn group_call(key: String, ids: &[GroupId]) -> BatchCommand {
    let ids: Vec<u64> = ids.iter().map(|g| g.0).collect();
    BatchCommand {
        key,
        method: "sonet_group.get".into(),
        params: Param::map([("FILTER", Param::map([("ID", id_list(&ids))]))]),
    }
}

/// The batches that ask for the names of `tasks`' people and projects: the first carries
/// the `scope` command (key `scope`), the others only `tasks.task.list` calls (keys
/// `n0`, `n1`, …). Empty when there is nothing to name.
pub fn plan_name_batches(tasks: &[TaskRefs]) -> Vec<Vec<BatchCommand>> {
    let chosen = covering_tasks(tasks);
    let mut batches: Vec<Vec<BatchCommand>> = Vec::new();
    let mut current: Vec<BatchCommand> = Vec::new();
    for (n, chunk) in chosen.chunks(IDS_PER_CALL).enumerate() {
        let room = if batches.is_empty() {
            CALLS_PER_BATCH - 1
        } else {
            CALLS_PER_BATCH
        };
        if current.len() == room {
            batches.push(std::mem::take(&mut current));
        }
        current.push(task_call(format!("n{n}"), chunk));
    }
    if !current.is_empty() {
        batches.push(current);
    }
    if let Some(first) = batches.first_mut() {
        first.push(BatchCommand {
            key: "scope".into(),
            method: "scope".into(),
            params: Param::Map(Vec::new()),
        });
    }
    batches
}

/// Reads one person object (`{id, name, …}`) into `dir`; `fallback_id` is the row's own ID
/// field when the object has none.
fn read_person(dir: &mut Directory, object: Option<&Json>, fallback_id: Option<u64>) {
    let Some(object) = object.filter(|o| matches!(o, Json::Object(_))) else {
        return;
    };
    let id = object.get("id").and_then(lenient_u64).or(fallback_id);
    let name = object.get("name").and_then(lenient_text);
    if let (Some(id), Some(name)) = (id.filter(|&id| id > 0), name) {
        dir.insert_person(UserId(id), &name);
    }
}

/// Reads the `group` object of a task row (`[]` when the task has none).
fn read_group(dir: &mut Directory, object: Option<&Json>, fallback_id: Option<u64>) {
    let Some(object) = object.filter(|o| matches!(o, Json::Object(_))) else {
        return;
    };
    let id = object.get("id").and_then(lenient_u64).or(fallback_id);
    let name = object.get("name").and_then(lenient_text);
    if let (Some(id), Some(name)) = (id.filter(|&id| id > 0), name) {
        dir.insert_project(GroupId(id), &name);
    }
}

/// Reads the rows of one `tasks.task.list` result (`{"tasks": […]}`) into `dir`.
pub fn read_task_rows(dir: &mut Directory, result: &Json) {
    let rows = result
        .get("tasks")
        .and_then(Json::as_array)
        .or_else(|| result.as_array())
        .unwrap_or(&[]);
    for row in rows {
        let field = |name: &str| row.get(name).and_then(lenient_u64);
        read_person(dir, row.get("responsible"), field("responsibleId"));
        read_person(dir, row.get("creator"), field("createdBy"));
        read_group(dir, row.get("group"), field("groupId"));
    }
}

/// Reads a `sonet_group.get` result (a list of `{ID, NAME, …}`) into `dir`.
pub fn read_groups(dir: &mut Directory, result: &Json) {
    for group in result.as_array().unwrap_or(&[]) {
        let id = group.get("ID").and_then(lenient_u64).filter(|&id| id > 0);
        let name = group.get("NAME").and_then(lenient_text);
        if let (Some(id), Some(name)) = (id, name) {
            dir.insert_project(GroupId(id), &name);
        }
    }
}

/// The scopes a `scope` result lists (a list of strings).
pub fn read_scopes(result: &Json) -> Vec<String> {
    result
        .as_array()
        .unwrap_or(&[])
        .iter()
        .filter_map(lenient_text)
        .collect()
}

/// What the name resolution found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolution {
    /// The names found (also after a failure: what came before it).
    pub directory: Directory,
    /// HTTP requests sent (retries included).
    pub requests: u32,
    /// Why some names could not be asked for; `None` when every request was answered.
    pub error: Option<LoadError>,
    /// The resolution was cancelled before it finished.
    pub cancelled: bool,
}

/// Resolves the names of `tasks`' people and projects (see the module documentation).
/// Never fails as a whole: every problem ends in [`Resolution::error`].
pub async fn resolve_names(
    transport: &dyn Transport,
    clock: &dyn Clock,
    config: &LoadConfig,
    cancel: &CancelFlag,
    tasks: &[TaskRefs],
) -> Resolution {
    let mut out = Resolution::default();
    let mut scopes: Vec<String> = Vec::new();
    for commands in plan_name_batches(tasks) {
        let Some(answer) = send(transport, clock, config, cancel, &commands, &mut out).await else {
            return out;
        };
        for command in &commands {
            let member = answer.member(&command.key);
            match (command.key.as_str(), member.result) {
                ("scope", Some(result)) => scopes = read_scopes(result),
                (_, Some(result)) => read_task_rows(&mut out.directory, result),
                (_, None) => {}
            }
        }
    }
    let missing: Vec<GroupId> = {
        let mut seen = HashSet::new();
        tasks
            .iter()
            .filter_map(|t| t.group)
            .filter(|g| out.directory.project(*g).is_none() && seen.insert(*g))
            .collect()
    };
    let may_ask = scopes
        .iter()
        .any(|s| GROUP_SCOPES.iter().any(|g| s.eq_ignore_ascii_case(g)));
    if missing.is_empty() || !may_ask {
        return out;
    }
    let calls: Vec<BatchCommand> = missing
        .chunks(IDS_PER_CALL)
        .enumerate()
        .map(|(n, ids)| group_call(format!("g{n}"), ids))
        .collect();
    for commands in calls.chunks(CALLS_PER_BATCH) {
        let Some(answer) = send(transport, clock, config, cancel, commands, &mut out).await else {
            return out;
        };
        for command in commands {
            if let Some(result) = answer.member(&command.key).result {
                read_groups(&mut out.directory, result);
            }
        }
    }
    out
}

/// Sends one batch; `None` (with `out` updated) when it failed or was cancelled.
async fn send(
    transport: &dyn Transport,
    clock: &dyn Clock,
    config: &LoadConfig,
    cancel: &CancelFlag,
    commands: &[BatchCommand],
    out: &mut Resolution,
) -> Option<BatchAnswer> {
    let (result, requests) = request_batch(
        transport,
        clock,
        config,
        cancel,
        commands,
        decode_batch_reply,
    )
    .await;
    out.requests += requests;
    match result {
        Ok(answer) => Some(answer),
        Err(error) => {
            out.cancelled = error.is_none();
            out.error = error;
            None
        }
    }
}

#[cfg(test)]
#[path = "names_tests.rs"]
mod tests;
