//! Who and which project: the names the report shows for the user and group IDs of the
//! tasks it loaded.
//!
//! Task rows carry IDs only (`RESPONSIBLE_ID`, `CREATED_BY`, `GROUP_ID`); the names are
//! resolved separately (see `docs/platform/rest-answers.md`) and kept here, one entry per
//! ID, however many tasks point at it. An ID without a known name is shown with the
//! fallback "User #12" / "Project #12" by the UI, never dropped.

use std::collections::HashMap;

use super::task::{GroupId, UserId};

/// The known names of people and projects, by ID.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directory {
    people: HashMap<UserId, String>,
    projects: HashMap<GroupId, String>,
}

impl Directory {
    /// An empty directory: every ID falls back to its number.
    pub fn new() -> Self {
        Self::default()
    }

    /// The display name of a person ("Name Last name"), if known and not blank.
    pub fn person(&self, id: UserId) -> Option<&str> {
        self.people.get(&id).map(String::as_str)
    }

    /// The name of a project (workgroup), if known and not blank.
    pub fn project(&self, id: GroupId) -> Option<&str> {
        self.projects.get(&id).map(String::as_str)
    }

    /// Records a person's display name; a blank name is ignored (the fallback stays).
    pub fn insert_person(&mut self, id: UserId, name: &str) {
        let name = name.trim();
        if !name.is_empty() {
            self.people.insert(id, name.to_string());
        }
    }

    /// Records a project's name; a blank name is ignored (the fallback stays).
    pub fn insert_project(&mut self, id: GroupId, name: &str) {
        let name = name.trim();
        if !name.is_empty() {
            self.projects.insert(id, name.to_string());
        }
    }

    /// Every known person and name (in no particular order).
    pub fn people(&self) -> impl Iterator<Item = (UserId, &str)> {
        self.people.iter().map(|(&id, name)| (id, name.as_str()))
    }

    /// Every known project and name (in no particular order).
    pub fn projects(&self) -> impl Iterator<Item = (GroupId, &str)> {
        self.projects.iter().map(|(&id, name)| (id, name.as_str()))
    }

    /// How many people have a known name.
    pub fn people_len(&self) -> usize {
        self.people.len()
    }

    /// How many projects have a known name.
    pub fn projects_len(&self) -> usize {
        self.projects.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_names_keep_the_fallback_and_names_are_trimmed() {
        let mut d = Directory::new();
        d.insert_person(UserId(12), "   ");
        d.insert_person(UserId(13), " Анна Петрова ");
        d.insert_project(GroupId(4), "");
        d.insert_project(GroupId(5), "Сайт");
        assert_eq!(d.person(UserId(12)), None);
        assert_eq!(d.person(UserId(13)), Some("Анна Петрова"));
        assert_eq!(d.project(GroupId(4)), None);
        assert_eq!(d.project(GroupId(5)), Some("Сайт"));
        assert_eq!((d.people_len(), d.projects_len()), (1, 1));
    }
}
