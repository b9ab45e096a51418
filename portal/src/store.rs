//! The task store: tasks sorted by ID ascending plus cached per-user visibility lists, so an
//! ID-range lookup is a binary search for every caller.

use std::borrow::Cow;
use std::collections::BTreeMap;

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
        }
    }

    /// True when `user` may see `t`: the admin sees all, others their tasks as responsible
    /// person or creator.
    pub fn can_see(&self, user: u64, t: &Task) -> bool {
        user == self.admin || u64::from(t.responsible_id) == user || u64::from(t.created_by) == user
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
        if user != self.admin && !self.visible.contains_key(&user) {
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
        let subset = if user == self.admin {
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
