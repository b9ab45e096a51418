//! The deterministic task dataset: users, tasks and the generator.
//!
//! Tasks are kept compact (titles are derived on demand from a per-task seed), sorted by ID
//! ascending, so 10^6 tasks take ~112 MB (112 bytes each) and generate in about a second in
//! release.

use crate::clock;
use crate::rng::{mix, Rng};

/// A portal user of the generated dataset (IDs 1..=50, see [`USERS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct User {
    /// User ID.
    pub id: u64,
    /// First name.
    pub name: &'static str,
    /// Last name (empty for a few users, as on real portals).
    pub last_name: &'static str,
    /// Second (patronymic) name, often empty.
    pub second_name: &'static str,
    /// Login part of the e-mail address.
    pub login: &'static str,
}

const fn u(
    id: u64,
    name: &'static str,
    last_name: &'static str,
    second_name: &'static str,
    login: &'static str,
) -> User {
    User {
        id,
        name,
        last_name,
        second_name,
        login,
    }
}

/// Users 1..=50 (Russian, Ukrainian and English names; a few without a last name); user 1 is
/// the portal administrator by default. IDs are consecutive: `USERS[i].id == i + 1`.
pub const USERS: [User; 50] = [
    u(1, "Анна", "Админова", "Сергеевна", "admin"),
    u(2, "John", "Smith", "", "john.smith"),
    u(3, "Иван", "Петров", "Иванович", "i.petrov"),
    u(4, "Maria", "Garcia", "", "m.garcia"),
    u(5, "Ольга", "Смирнова", "Павловна", "o.smirnova"),
    u(6, "Peter", "O'Brien", "", "p.obrien"),
    u(7, "Дмитрий", "Кузнецов", "", "d.kuznetsov"),
    u(8, "Emily", "Zhang", "", "e.zhang"),
    u(9, "Елена", "Волкова", "Андреевна", "e.volkova"),
    u(10, "Ahmed", "Hassan", "", "a.hassan"),
    u(11, "Сергей", "Новиков", "", "s.novikov"),
    u(12, "Laura", "Müller", "", "l.mueller"),
    u(13, "Алексей", "Морозов", "Викторович", "a.morozov"),
    u(14, "Tom", "Baker", "", "t.baker"),
    u(15, "Наталья", "Лебедева", "", "n.lebedeva"),
    u(16, "Kenji", "Watanabe", "", "k.watanabe"),
    u(17, "Михаил", "Соколов", "Олегович", "m.sokolov"),
    u(18, "Sofia", "Rossi", "", "s.rossi"),
    u(19, "Юлия", "Попова", "", "y.popova"),
    u(20, "Léa", "Dubois", "", "l.dubois"),
    u(21, "Олександр", "Шевченко", "Петрович", "o.shevchenko"),
    u(22, "Оксана", "Коваленко", "", "o.kovalenko"),
    u(23, "Тарас", "Бондаренко", "", "t.bondarenko"),
    u(24, "Ірина", "Ткаченко", "Олексіївна", "i.tkachenko"),
    u(25, "Богдан", "", "", "bohdan"),
    u(26, "Галина", "Мельник", "", "h.melnyk"),
    u(27, "Андрій", "Кравченко", "", "a.kravchenko"),
    u(28, "Наталія", "Олійник", "", "n.oliinyk"),
    u(29, "Юрій", "Savchenko", "", "y.savchenko"),
    u(30, "Світлана", "Гриценко", "", "s.hrytsenko"),
    u(31, "Екатерина", "Иванова", "Дмитриевна", "e.ivanova"),
    u(32, "Николай", "Фёдоров", "", "n.fedorov"),
    u(33, "Татьяна", "", "", "tatiana"),
    u(34, "Владимир", "Михайлов", "Николаевич", "v.mikhailov"),
    u(35, "Анастасия", "Зайцева", "", "a.zaitseva"),
    u(36, "Павел", "Яковлев", "", "p.yakovlev"),
    u(37, "Ксения", "Григорьева", "", "k.grigorieva"),
    u(38, "Артём", "Орлов", "", "a.orlov"),
    u(39, "Michael", "Johnson", "", "m.johnson"),
    u(40, "Sarah", "Williams", "", "s.williams"),
    u(41, "David", "Brown", "", "d.brown"),
    u(42, "Jessica", "Taylor", "", "j.taylor"),
    u(43, "Chris", "", "", "chris"),
    u(44, "James", "Wilson", "", "j.wilson"),
    u(45, "Olivia", "Davies", "", "o.davies"),
    u(46, "Daniel", "Evans", "", "d.evans"),
    u(47, "Мария", "Соловьёва", "", "m.solovieva"),
    u(48, "Роман", "Лысенко", "", "r.lysenko"),
    u(49, "Emma", "Thompson-Clarke", "", "e.thompson"),
    u(50, "Игорь", "Белов", "", "i.belov"),
];

// `Task::viewed_mask` has one bit per user ID.
const _: () = assert!(USERS.len() < 64);

/// The user with `id`, if it belongs to the dataset.
pub fn user(id: u64) -> Option<&'static User> {
    let i = usize::try_from(id).ok()?.checked_sub(1)?;
    USERS.get(i).filter(|u| u.id == id)
}

/// A project (workgroup) of the generated dataset; tasks name it in GROUP_ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Project {
    /// Group ID (1..=20, see [`PROJECTS`]; GROUP_ID `0` means "no project").
    pub id: u64,
    /// The project's name as the portal shows it (may hold `&`, quotes or `<`).
    pub name: &'static str,
    /// Open for anyone to join (a workgroup's "opened" flag).
    pub opened: bool,
    /// Number of members.
    pub members_count: u32,
}

const fn g(id: u64, name: &'static str, opened: bool, members_count: u32) -> Project {
    Project {
        id,
        name,
        opened,
        members_count,
    }
}

/// Projects 1..=20 with Russian, Ukrainian and English names. IDs are consecutive:
/// `PROJECTS[i].id == i + 1`.
pub const PROJECTS: [Project; 20] = [
    g(1, "Сайт компании", true, 12),
    g(2, "Mobile app", true, 9),
    g(3, "Маркетинг 2026", true, 15),
    g(4, "Внедрение CRM", false, 7),
    g(5, "Customer Support", true, 21),
    g(6, "Бухгалтерия", false, 5),
    g(7, "HR: найм и адаптация", false, 6),
    g(8, "Q1 Sales push", true, 11),
    g(9, "Складская логистика", true, 8),
    g(10, "Data platform", false, 6),
    g(11, "Ремонт офиса", true, 4),
    g(12, "Website redesign", true, 10),
    g(13, "Інтеграція з 1С", false, 5),
    g(14, "Партнёрская программа", true, 9),
    g(15, "Security audit", false, 3),
    g(16, "Юридический отдел", false, 4),
    g(17, "Events & Conferences", true, 14),
    g(18, "Проект «Альфа»", false, 8),
    g(19, "R&D <prototypes>", false, 5),
    g(20, "Архив 2024", false, 18),
];

/// The project with `id` (GROUP_ID), if it belongs to the dataset; `None` for 0.
pub fn project(id: u64) -> Option<&'static Project> {
    let i = usize::try_from(id).ok()?.checked_sub(1)?;
    PROJECTS.get(i).filter(|p| p.id == id)
}

/// One task row (compact; derived fields are computed when rendered).
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// Task ID (unique, the store is sorted by it).
    pub id: u64,
    /// Seed of the title/description/GUID generator.
    pub text_seed: u64,
    /// CREATED_DATE, Unix s.
    pub created: i64,
    /// CHANGED_DATE (and ACTIVITY_DATE), Unix s.
    pub changed: i64,
    /// STATUS_CHANGED_DATE, Unix s.
    pub status_changed: i64,
    /// DEADLINE, Unix s.
    pub deadline: Option<i64>,
    /// DATE_START (work started), Unix s.
    pub date_start: Option<i64>,
    /// CLOSED_DATE, Unix s.
    pub closed: Option<i64>,
    /// RESPONSIBLE_ID (a [`USERS`] ID).
    pub responsible_id: u16,
    /// CREATED_BY (a [`USERS`] ID).
    pub created_by: u16,
    /// GROUP_ID (a [`PROJECTS`] ID; 0 = none).
    pub group_id: u16,
    /// Bit `u` set = user `u` (< 64, every [`USERS`] ID) has viewed the task.
    pub viewed_mask: u64,
    /// TIME_SPENT_IN_LOGS in seconds (0 = no time logged: the field is `null`).
    pub time_spent_s: u32,
    /// TIME_ESTIMATE in quarter hours (0 = none; 160 = 40 h).
    pub estimate_quarters: u8,
    /// PRIORITY 0..=2.
    pub priority: u8,
    /// REAL_STATUS 1..=7.
    pub real_status: u8,
}

impl Task {
    /// TIME_ESTIMATE in seconds (0 when no estimate was set).
    pub fn time_estimate_s(&self) -> u32 {
        u32::from(self.estimate_quarters) * QUARTER_HOUR_S
    }

    /// True when `user_id` has viewed the task.
    pub fn viewed_by(&self, user_id: u64) -> bool {
        user_id < 64 && self.viewed_mask & (1 << user_id) != 0
    }

    /// When `user_id` viewed the task (derived), if they did.
    pub fn viewed_at(&self, user_id: u64) -> Option<i64> {
        if !self.viewed_by(user_id) {
            return None;
        }
        let span = (self.changed - self.created).max(60);
        Some(self.created + (mix(self.text_seed ^ user_id) % span as u64) as i64)
    }

    /// The task title (derived from the seed; may contain HTML, emoji, be long or empty).
    pub fn title(&self) -> String {
        title_for(self.text_seed)
    }

    /// The task description (mostly empty).
    pub fn description(&self) -> String {
        let mut r = Rng::new(self.text_seed ^ 0xD15C);
        match r.below(10) {
            0..=5 => String::new(),
            6 | 7 => format!("{}.", phrase(&mut r, true)),
            8 => "[B]Важно:[/B] проверить до пятницы.\nСм. [URL=https://example.com]ссылку[/URL]."
                .into(),
            _ => format!("{} & {}", phrase(&mut r, false), phrase(&mut r, false)),
        }
    }

    /// A GUID like `{8C5A3F0B-…}` (derived).
    pub fn guid(&self) -> String {
        let a = mix(self.text_seed ^ 0x6011D);
        let b = mix(a);
        format!(
            "{{{:08X}-{:04X}-{:04X}-{:04X}-{:012X}}}",
            a >> 32,
            (a >> 16) & 0xFFFF,
            a & 0xFFFF,
            b >> 48,
            b & 0xFFFF_FFFF_FFFF
        )
    }
}

const RU_VERBS: [&str; 12] = [
    "Подготовить",
    "Согласовать",
    "Проверить",
    "Обновить",
    "Исправить",
    "Отправить",
    "Созвониться насчёт",
    "Провести",
    "Настроить",
    "Разобрать",
    "Оплатить",
    "Перенести",
];
const RU_NOUNS: [&str; 12] = [
    "отчёт по продажам",
    "договор с поставщиком",
    "презентацию для клиента",
    "счёт",
    "ошибку в форме заказа",
    "план на квартал",
    "встречу с командой",
    "воронку в CRM",
    "бюджет отдела",
    "сайт компании",
    "заявку на отпуск",
    "выгрузку в 1С",
];
const EN_VERBS: [&str; 12] = [
    "Prepare",
    "Review",
    "Update",
    "Fix",
    "Send",
    "Call about",
    "Schedule",
    "Migrate",
    "Draft",
    "Close",
    "Approve",
    "Archive",
];
const EN_NOUNS: [&str; 12] = [
    "quarterly report",
    "supplier contract",
    "client presentation",
    "invoice",
    "login bug",
    "onboarding checklist",
    "marketing budget",
    "release notes",
    "server backup",
    "customer feedback",
    "travel request",
    "price list",
];

fn phrase(r: &mut Rng, russian: bool) -> String {
    let (verbs, nouns) = if russian {
        (&RU_VERBS, &RU_NOUNS)
    } else {
        (&EN_VERBS, &EN_NOUNS)
    };
    let v = verbs[r.below(verbs.len() as u64) as usize];
    let n = nouns[r.below(nouns.len() as u64) as usize];
    if r.chance(25) {
        format!("{v} {n} #{}", r.range(1, 9999))
    } else {
        format!("{v} {n}")
    }
}

/// Titles a spreadsheet could take for something other than text: a number, a boolean, a
/// date, a formula, an error literal (the Excel export must keep them text).
const TYPED_LOOKING: [&str; 8] = [
    "123",
    "TRUE",
    "2024-01-01",
    "=SUM(A1)",
    "#N/A",
    "1e3",
    "007",
    "12:30",
];

/// The title for a text seed. Mix: ~55% Russian, ~30% English, the rest special cases
/// (empty, HTML/script, entities, emoji, 300+ characters, quotes and backslashes, titles that
/// look like numbers, booleans, dates or formulas).
pub fn title_for(seed: u64) -> String {
    let mut r = Rng::new(seed);
    let kind = r.below(100);
    let russian = r.chance(60);
    let base = phrase(&mut r, russian);
    match kind {
        0..=1 => String::new(),
        2 => "<script>alert(1)</script>".into(),
        3 => format!("<b>Срочно</b>: {base}"),
        4 => format!("Tom &amp; Jerry: {base}"),
        5 => format!("{base} <i>(draft)</i> a < b && c > d"),
        6 => format!("🔥 {base}"),
        7 => format!("{base} ✅👍"),
        8 => "👨‍👩‍👧 Семейный праздник 🎉".into(),
        9 => {
            let mut s = String::new();
            while s.chars().count() < 320 {
                if !s.is_empty() {
                    s.push_str(", ");
                }
                s.push_str(&phrase(&mut r, russian));
            }
            s
        }
        10 => format!("\"Quoted\" C:\\temp\\{base}"),
        11 => format!("  {base}  "),
        12 => TYPED_LOOKING[r.below(TYPED_LOOKING.len() as u64) as usize].into(),
        _ => base,
    }
}

/// Real status weights for 1..=7 (mostly 2, 3, 5).
const STATUS_WEIGHTS: [u64; 7] = [3, 30, 25, 7, 28, 5, 2];
/// Priority weights for 0..=2.
const PRIORITY_WEIGHTS: [u64; 3] = [20, 65, 15];
/// Seconds in a quarter hour (TIME_ESTIMATE steps).
pub const QUARTER_HOUR_S: u32 = 900;
/// Span of CREATED_DATE before "now": two years.
pub const CREATED_SPAN_S: i64 = 730 * DAY;
const DAY: i64 = 86_400;
const HOUR: i64 = 3600;

/// Task weight of each user (index = ID − 1): a few busy people, a long tail. The rank of user
/// `i` is `7·i mod 50` (a permutation), so the busy ones are spread over the ID range.
const USER_WEIGHTS: [u64; 50] = {
    let mut w = [0u64; 50];
    let mut i = 0;
    while i < 50 {
        let rank = (i * 7 % 50) as u64;
        w[i] = 2 + 60 / (1 + rank);
        i += 1;
    }
    w
};

/// Task weight of each project (index = ID − 1): busy and quiet projects.
const PROJECT_WEIGHTS: [u64; 20] = [
    14, 12, 9, 8, 10, 4, 3, 7, 5, 6, 2, 8, 3, 4, 2, 3, 5, 4, 2, 1,
];

/// TIME_ESTIMATE choices in quarter hours (15 min … 40 h) …
const ESTIMATES: [u8; 14] = [1, 2, 4, 6, 8, 12, 16, 24, 32, 40, 64, 80, 120, 160];
/// … and their weights.
const ESTIMATE_WEIGHTS: [u64; 14] = [6, 10, 16, 8, 14, 8, 12, 6, 8, 4, 3, 2, 2, 1];

fn pick_user(r: &mut Rng) -> u16 {
    (r.weighted(&USER_WEIGHTS) + 1) as u16
}

fn pick_project(r: &mut Rng) -> u16 {
    (r.weighted(&PROJECT_WEIGHTS) + 1) as u16
}

/// "Now" and the portal's clock, which place deadlines on local days and working hours.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    /// "Now", Unix s.
    pub now_s: i64,
    /// The portal's UTC offset, s.
    pub offset_s: i32,
}

impl Clock {
    fn today(&self) -> i64 {
        clock::local_midnight(self.now_s, self.offset_s)
    }

    /// Local midnight of the day holding `t`.
    fn day_of(&self, t: i64) -> i64 {
        clock::local_midnight(t, self.offset_s)
    }
}

/// A deadline's time of day: mostly the end of the working day (19:00, the portal's usual
/// default), sometimes 18:00, noon, morning or the last second of the day.
fn deadline_time_of_day(r: &mut Rng) -> i64 {
    match r.below(100) {
        0..=59 => 19 * HOUR,
        60..=74 => 18 * HOUR,
        75..=84 => 12 * HOUR,
        85..=92 => 10 * HOUR + 30 * 60,
        _ => DAY - 1,
    }
}

/// A deadline for an open task: around now (−60 … +60 days), clustered on today, the rest of
/// this week and next week; never before the task was created.
fn open_deadline(r: &mut Rng, c: &Clock, created: i64) -> i64 {
    let weekday = clock::local_weekday(c.now_s, c.offset_s); // 0 = Monday
    let days = match r.below(100) {
        0..=14 => 0,                                   // today
        15..=34 => r.range(1, (6 - weekday).max(1)),   // rest of this week
        35..=49 => r.range(7 - weekday, 13 - weekday), // next week
        50..=74 => {
            // Past, most of it recent.
            let a = r.range(1, 60);
            -(a * a / 60).max(1)
        }
        _ => r.range(14 - weekday, 60),
    };
    let d = c.today() + days * DAY + deadline_time_of_day(r);
    if d > created {
        d
    } else {
        c.day_of(created) + r.range(1, 7) * DAY + deadline_time_of_day(r)
    }
}

/// How long a completed task stayed open: hours to weeks, now and then months.
fn lifetime(r: &mut Rng) -> i64 {
    match r.below(100) {
        0..=29 => r.range(10 * 60, 8 * HOUR),
        30..=79 => r.range(8 * HOUR, 14 * DAY),
        80..=94 => r.range(14 * DAY, 60 * DAY),
        _ => r.range(60 * DAY, 200 * DAY),
    }
}

/// TIME_SPENT_IN_LOGS for a task with `estimate` (s, 0 = none): about the estimate, a third
/// of the time over it; minutes to days without one.
fn spent(r: &mut Rng, estimate: u32) -> u32 {
    if estimate > 0 {
        let pct = if r.chance(33) {
            r.range(101, 180)
        } else {
            r.range(20, 100)
        };
        (i64::from(estimate) * pct / 100 + r.range(0, 59)).max(60) as u32
    } else {
        r.range(5 * 60, 30 * HOUR) as u32
    }
}

/// Makes one task with `id`, created at `created`, relative to the clock `c`.
fn make_task(r: &mut Rng, id: u64, created: i64, c: &Clock, admin: u64) -> Task {
    let now_s = c.now_s;
    let real_status = (r.weighted(&STATUS_WEIGHTS) + 1) as u8;
    let priority = r.weighted(&PRIORITY_WEIGHTS) as u8;
    let responsible_id = pick_user(r);
    let created_by = if r.chance(30) {
        responsible_id
    } else {
        pick_user(r)
    };
    // About 70 % of tasks belong to a project.
    let group_id = if r.chance(30) { 0 } else { pick_project(r) };
    let age = (now_s - created).max(60);
    // Completed tasks only have a CLOSED_DATE; it lies a lifetime after creation, before now.
    let closed = (real_status == 5).then(|| (created + lifetime(r).min(age)).min(now_s - 30));
    let has_deadline = r.chance(70);
    let deadline = match closed {
        _ if !has_deadline => None,
        // A completed task's deadline was set for its own time, a few days after creation.
        Some(_) => Some(c.day_of(created) + r.range(1, 14) * DAY + deadline_time_of_day(r)),
        None => Some(open_deadline(r, c, created)),
    };
    let worked = closed.unwrap_or(now_s).min(created + 30 * DAY);
    let date_start =
        matches!(real_status, 3..=5).then(|| created + r.range(0, (worked - created) / 2));
    let status_changed = date_start.unwrap_or(created).max(closed.unwrap_or(created));
    // Open tasks were last touched anywhere since creation; closed ones soon after closing.
    let changed = match closed {
        Some(cl) => (cl + r.range(0, 2 * HOUR)).min(now_s),
        None => created + r.range(0, age),
    }
    .max(status_changed);
    let estimate_quarters = if r.chance(40) {
        ESTIMATES
            .get(r.weighted(&ESTIMATE_WEIGHTS))
            .copied()
            .unwrap_or(4)
    } else {
        0
    };
    let logs_pct = match real_status {
        3..=5 => 85,
        6 => 40,
        _ => 25,
    };
    let time_spent_s = if r.chance(logs_pct) {
        spent(r, u32::from(estimate_quarters) * QUARTER_HOUR_S)
    } else {
        0
    };
    let mut viewed_mask = 1u64 << created_by.min(63);
    if r.chance(75) {
        viewed_mask |= 1 << responsible_id.min(63);
    }
    if admin < 64 && r.chance(60) {
        viewed_mask |= 1 << admin;
    }
    Task {
        id,
        text_seed: r.next_u64(),
        created,
        changed,
        status_changed,
        deadline,
        date_start,
        closed,
        responsible_id,
        created_by,
        group_id,
        viewed_mask,
        time_spent_s,
        estimate_quarters,
        priority,
        real_status,
    }
}

/// The gap to the next ID: mostly consecutive, sometimes small or large holes.
fn id_gap(r: &mut Rng) -> u64 {
    match r.below(100) {
        0..=79 => 1,
        80..=94 => 1 + r.below(3) + 1,
        _ => 5 + r.below(40),
    }
}

/// Generates `n` tasks for `seed`: CREATED_DATE increases with ID over the two years before
/// `c.now_s` ([`CREATED_SPAN_S`]); deadlines, times and statuses relative to `c`. `dense`:
/// consecutive IDs (the same tasks otherwise).
pub fn generate(n: usize, seed: u64, c: &Clock, admin: u64, dense: bool) -> Vec<Task> {
    let mut r = Rng::new(seed);
    let mut tasks = Vec::with_capacity(n);
    let step = (CREATED_SPAN_S / n.max(1) as i64).max(1);
    let start = c.now_s - CREATED_SPAN_S;
    let mut id = r.below(3);
    for i in 0..n {
        let gap = id_gap(&mut r);
        id += if dense { 1 } else { gap };
        // One slot of `step` seconds per task: rising with ID, the last ones just before now.
        let at = (start + i as i64 * step + r.range(0, step - 1)).min(c.now_s - 60);
        tasks.push(make_task(&mut r, id, at, c, admin));
    }
    tasks
}

/// Appends `n` new tasks above the current maximum ID, created (and changed) at `c.now_s`.
pub fn append(tasks: &mut Vec<Task>, r: &mut Rng, n: usize, c: &Clock, admin: u64) -> Vec<u64> {
    let now_s = c.now_s;
    let mut id = tasks.last().map_or(0, |t| t.id);
    let mut ids = Vec::with_capacity(n);
    for _ in 0..n {
        id += id_gap(r);
        let mut t = make_task(r, id, now_s, c, admin);
        // A brand-new task: nobody but its creator has seen it yet, not started or closed.
        t.viewed_mask = 1 << t.created_by.min(63);
        if matches!(t.real_status, 3..=7) {
            t.real_status = 2;
        }
        t.closed = None;
        t.date_start = None;
        t.time_spent_s = 0;
        t.changed = now_s;
        t.status_changed = now_s;
        tasks.push(t);
        ids.push(id);
    }
    ids
}

/// Edits `t` as a person would at `c.now_s`: a new title, often a new status (closing,
/// starting or reopening it) and sometimes a new deadline; CHANGED_DATE moves to now.
pub fn update(t: &mut Task, r: &mut Rng, c: &Clock) {
    let now_s = c.now_s;
    if r.chance(50) {
        t.text_seed = r.next_u64();
    }
    if r.chance(60) {
        let next = match t.real_status {
            1 | 2 => 3,
            3 => {
                if r.chance(50) {
                    5
                } else {
                    4
                }
            }
            4 => 5,
            5 => 3, // reopened
            _ => 2,
        };
        t.real_status = next;
        t.status_changed = now_s;
        match next {
            5 => t.closed = Some(now_s),
            _ => t.closed = None,
        }
        if next == 3 && t.date_start.is_none() {
            t.date_start = Some(now_s);
        }
    }
    if r.chance(40) {
        t.deadline = Some(open_deadline(r, c, now_s));
    }
    if r.chance(30) {
        t.time_spent_s = t
            .time_spent_s
            .saturating_add(r.range(15 * 60, 4 * HOUR) as u32);
    }
    t.changed = now_s.max(t.changed);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
    const C: Clock = Clock {
        now_s: NOW,
        offset_s: 3 * 3600,
    };

    #[test]
    fn dense_ids_change_only_the_ids() {
        let holes = generate(500, 1, &C, 1, false);
        let dense = generate(500, 1, &C, 1, true);
        assert!(dense.windows(2).all(|w| w[1].id == w[0].id + 1));
        for (mut d, h) in dense.into_iter().zip(holes) {
            d.id = h.id;
            assert_eq!(d, h);
        }
    }

    #[test]
    fn generation_is_deterministic_and_seed_dependent() {
        let a = generate(500, 1, &C, 1, false);
        let b = generate(500, 1, &C, 1, false);
        let c = generate(500, 2, &C, 1, false);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn ids_increase_with_gaps_and_created_dates_follow() {
        let t = generate(5000, 3, &C, 1, false);
        assert!(t.windows(2).all(|w| w[0].id < w[1].id));
        assert!(t.windows(2).all(|w| w[0].created <= w[1].created));
        assert!(t.windows(2).any(|w| w[1].id - w[0].id > 1), "no gaps");
        assert!(t.iter().all(|x| x.created < NOW));
    }

    #[test]
    fn variety_covers_the_cases_a_report_must_handle() {
        let t = generate(20_000, 1, &C, 1, false);
        for s in 1..=7u8 {
            assert!(t.iter().any(|x| x.real_status == s), "status {s}");
        }
        for p in 0..=2u8 {
            assert!(t.iter().any(|x| x.priority == p), "priority {p}");
        }
        assert!(t.iter().any(|x| x.deadline.is_none()));
        assert!(t.iter().any(|x| x.deadline.is_some_and(|d| d < NOW)));
        assert!(t
            .iter()
            .any(|x| x.deadline.is_some_and(|d| (NOW..NOW + 86_400).contains(&d))));
        assert!(t
            .iter()
            .any(|x| x.deadline.is_some_and(|d| d > NOW + 86_400)));
        assert!(t.iter().any(|x| x.viewed_by(1)) && t.iter().any(|x| !x.viewed_by(1)));
        assert!(t.iter().any(|x| x.group_id == 0) && t.iter().any(|x| x.group_id > 0));
        let titles: Vec<String> = t.iter().take(3000).map(Task::title).collect();
        assert!(titles.iter().any(String::is_empty));
        assert!(titles.iter().any(|s| s.contains("<script>")));
        assert!(titles.iter().any(|s| s.contains("&amp;")));
        assert!(titles.iter().any(|s| s.contains('🔥')));
        assert!(titles.iter().any(|s| s.chars().count() >= 300));
        assert!(titles.iter().any(|s| s.contains("отчёт")));
        assert!(titles.iter().any(|s| s.contains("report")));
    }

    #[test]
    fn a_task_stays_compact() {
        // 10^6 tasks ≈ 112 MB: the 64-bit viewed mask and the time fields fit the old size.
        assert!(
            std::mem::size_of::<Task>() <= 112,
            "{}",
            std::mem::size_of::<Task>()
        );
    }

    #[test]
    fn append_goes_above_the_max_id() {
        let mut t = generate(10, 1, &C, 1, false);
        let max = t.last().unwrap().id;
        let mut r = Rng::new(9);
        let ids = append(
            &mut t,
            &mut r,
            3,
            &Clock {
                now_s: NOW + 10,
                ..C
            },
            1,
        );
        assert_eq!(ids.len(), 3);
        assert!(ids[0] > max && ids[1] > ids[0] && ids[2] > ids[1]);
        assert_eq!(t.len(), 13);
    }
}
