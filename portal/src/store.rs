//! The task store: tasks sorted by ID ascending plus cached per-user visibility lists, so an
//! ID-range lookup is a binary search for every caller.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::dataset::Task;

/// Tasks sorted by ID, and who sees what.
#[derive(Clone, Debug, Default)]
pub struct Store {
    /// All tasks, ID ascending.
    pub tasks: Vec<Task>,
    /// The portal administrator (sees every task).
    pub admin: u64,
    /// The portal's UTC offset in seconds: dates are written in it and FILTER dates without
    /// an offset are read in it.
    pub offset_s: i32,
    visible: BTreeMap<u64, Vec<u32>>,
    /// Per user: task IDs taken away from them (access revoked, project left), whatever
    /// the rule below says.
    hidden: BTreeMap<u64, BTreeSet<u64>>,
    /// Per user: task IDs granted to them on top of the rule (added as an observer,
    /// project joined), unless hidden.
    granted: BTreeMap<u64, BTreeSet<u64>>,
}

/// The tasks one user may see, ID ascending, and the portal's offset.
pub struct View<'a> {
    tasks: &'a [Task],
    /// `None`: every task (the administrator); else positions into `tasks`.
    subset: Option<Cow<'a, [u32]>>,
    /// The portal's UTC offset in seconds ([`Store::offset_s`]).
    pub offset_s: i32,
}

impl View<'_> {
    /// Number of visible tasks.
    pub fn len(&self) -> usize {
        match &self.subset {
            None => self.tasks.len(),
            Some(p) => p.len(),
        }
    }

    /// Store position of the `i`-th visible task.
    pub fn position(&self, i: usize) -> u32 {
        match &self.subset {
            None => i as u32,
            Some(p) => p.get(i).copied().unwrap_or(u32::MAX),
        }
    }

    /// The `i`-th visible task.
    pub fn task(&self, i: usize) -> Option<&Task> {
        match &self.subset {
            None => self.tasks.get(i),
            Some(p) => p.get(i).and_then(|&x| self.tasks.get(x as usize)),
        }
    }

    /// Index of the first visible task whose ID is ≥ `id` (binary search).
    pub fn lower_bound(&self, id: u64) -> usize {
        let t = self.tasks;
        match &self.subset {
            None => t.partition_point(|x| x.id < id),
            Some(p) => p.partition_point(|&x| t.get(x as usize).is_some_and(|task| task.id < id)),
        }
    }
}

impl Store {
    /// A store over `tasks` (must be sorted by ID) for a portal at `offset_s`.
    pub fn new(tasks: Vec<Task>, admin: u64, offset_s: i32) -> Store {
        Store {
            tasks,
            admin,
            offset_s,
            visible: BTreeMap::new(),
            hidden: BTreeMap::new(),
            granted: BTreeMap::new(),
        }
    }

    /// True when `user` may see `t`: not hidden from them, and the admin sees all, others
    /// their tasks as responsible person or creator and those granted to them.
    pub fn can_see(&self, user: u64, t: &Task) -> bool {
        let listed =
            |m: &BTreeMap<u64, BTreeSet<u64>>| m.get(&user).is_some_and(|s| s.contains(&t.id));
        !listed(&self.hidden)
            && (user == self.admin
                || u64::from(t.responsible_id) == user
                || u64::from(t.created_by) == user
                || listed(&self.granted))
    }

    /// Takes task `id` away from `user` (from the next answer on).
    pub fn hide(&mut self, user: u64, id: u64) {
        if let Some(g) = self.granted.get_mut(&user) {
            g.remove(&id);
        }
        self.hidden.entry(user).or_default().insert(id);
        self.visible.remove(&user);
    }

    /// Lets `user` see task `id`: lifts a hide, or grants it when the rule does not.
    pub fn reveal(&mut self, user: u64, id: u64) {
        let lifted = self.hidden.get_mut(&user).is_some_and(|h| h.remove(&id));
        if !lifted {
            self.granted.entry(user).or_default().insert(id);
        }
        self.visible.remove(&user);
    }

    /// True when `user` sees every task without a list (the administrator, nothing hidden).
    fn sees_all(&self, user: u64) -> bool {
        user == self.admin && self.hidden.get(&user).is_none_or(BTreeSet::is_empty)
    }

    fn compute(&self, user: u64) -> Vec<u32> {
        self.tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| self.can_see(user, t))
            .map(|(i, _)| i as u32)
            .collect()
    }

    /// Builds the visibility cache for `user` (call before [`Store::view`] on hot paths).
    pub fn prepare(&mut self, user: u64) {
        if !self.sees_all(user) && !self.visible.contains_key(&user) {
            let list = self.compute(user);
            self.visible.insert(user, list);
        }
    }

    /// Drops cached visibility (after inserts or deletes).
    pub fn invalidate(&mut self) {
        self.visible.clear();
    }

    /// The tasks `user` sees.
    pub fn view(&self, user: u64) -> View<'_> {
        let subset = if self.sees_all(user) {
            None
        } else {
            Some(match self.visible.get(&user) {
                Some(p) => Cow::Borrowed(p.as_slice()),
                None => Cow::Owned(self.compute(user)),
            })
        };
        View {
            tasks: &self.tasks,
            subset,
            offset_s: self.offset_s,
        }
    }
}
