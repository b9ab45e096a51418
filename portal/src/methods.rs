//! Method registry: which names exist, which are emulated, and their scopes.

/// An emulated REST method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `task.item.list` and aliases; the payload is the class-method name used in error texts
    /// (`list` or `getlist`).
    TaskItemList(&'static str),
    /// `tasks.task.list`.
    TasksTaskList,
    /// `batch`.
    Batch,
    /// `user.current`.
    UserCurrent,
    /// `app.info`.
    AppInfo,
    /// `profile`.
    Profile,
    /// `server.time`.
    ServerTime,
    /// `scope`.
    Scope,
    /// `sonet_group.get` (scope `sonet_group`).
    SonetGroupGet,
}

/// Result of looking a method name up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Emulated.
    Found(Method),
    /// A real Bitrix24 method family this model does not implement.
    Unsupported,
    /// Not a method at all.
    NotFound,
}

/// Name prefixes of real method families: a call to an unimplemented member answers
/// `EMULATOR_UNSUPPORTED` instead of 404 or a silent wrong answer.
const KNOWN_FAMILIES: [&str; 40] = [
    "task.",
    "tasks.",
    "user.",
    "crm.",
    "department.",
    "im.",
    "imbot.",
    "imopenlines.",
    "disk.",
    "entity.",
    "app.",
    "sonet_group.",
    "socialnetwork.",
    "calendar.",
    "lists.",
    "log.",
    "placement.",
    "event.",
    "bizproc.",
    "telephony.",
    "voximplant.",
    "landing.",
    "catalog.",
    "sale.",
    "timeman.",
    "mailservice.",
    "messageservice.",
    "userfieldtype.",
    "userfieldconfig.",
    "humanresources.",
    "booking.",
    "biconnector.",
    "documentgenerator.",
    "pull.",
    "rpa.",
    "sign.",
    "server.",
    "feature.",
    "access.",
    "userconsent.",
];

/// Real methods without a family prefix.
const KNOWN_PLAIN: [&str; 3] = ["methods", "events", "method.get"];

/// Looks up a lower-cased method name.
pub fn lookup(name: &str) -> Lookup {
    let m = match name {
        "task.item.list" | "task.ctaskitem.list" => Method::TaskItemList("list"),
        "task.item.getlist" | "task.ctaskitem.getlist" => Method::TaskItemList("getlist"),
        "tasks.task.list" => Method::TasksTaskList,
        "batch" => Method::Batch,
        "user.current" => Method::UserCurrent,
        "app.info" => Method::AppInfo,
        "profile" => Method::Profile,
        "server.time" => Method::ServerTime,
        "scope" => Method::Scope,
        "sonet_group.get" => Method::SonetGroupGet,
        _ => {
            if KNOWN_PLAIN.contains(&name) || KNOWN_FAMILIES.iter().any(|p| name.starts_with(p)) {
                return Lookup::Unsupported;
            }
            return Lookup::NotFound;
        }
    };
    Lookup::Found(m)
}

/// The scope a method needs (`None` = always allowed, like `batch` and `app.info`).
pub fn scope(m: Method) -> Option<&'static str> {
    match m {
        Method::TaskItemList(_) | Method::TasksTaskList => Some("task"),
        Method::UserCurrent => Some("user"),
        // The method's page says `sonet`, the scope list `sonet_group` (docs/platform/rest-answers.md).
        Method::SonetGroupGet => Some("sonet_group"),
        Method::Batch | Method::AppInfo | Method::Profile | Method::ServerTime | Method::Scope => {
            None
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_to_one_method() {
        for n in [
            "task.item.list",
            "task.item.getlist",
            "task.ctaskitem.list",
            "task.ctaskitem.getlist",
        ] {
            assert!(matches!(lookup(n), Lookup::Found(Method::TaskItemList(_))));
        }
        assert_eq!(lookup("task.items.getlist"), Lookup::Unsupported);
        assert_eq!(lookup("crm.deal.list"), Lookup::Unsupported);
        assert_eq!(lookup("no.such.thing"), Lookup::NotFound);
    }
}
