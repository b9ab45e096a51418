//! Browser tests of the report view: rendered into a `<div>`, driven through DOM events.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

use super::*;
use crate::hooks::use_saved_view::ViewState;
use crate::i18n::Lang;
use crate::report::query::testdata::generate;
use crate::report::query::{SortKey, TaskTable};
use crate::state::SourceKind;

wasm_bindgen_test_configure!(run_in_browser);

use crate::report::task::test_task as task;

fn sample() -> TaskTable {
    TaskTable::from_tasks(vec![
        task(1, "banana", "1", "2", Some("-2")),
        task(2, "Apple", "2", "3", Some("-1")),
        task(3, "cherry", "0", "5", None),
        task(4, "Ёлка", "1", "4", None),
        task(5, "date", "2", "3", None),
        task(6, "elderberry", "1", "6", None),
    ])
}

/// What the page reported through its callbacks.
#[derive(Default)]
struct Seen {
    views: RefCell<Vec<SavedView>>,
    opened: RefCell<Vec<String>>,
}

/// Owns the view, as the app does ([`ViewState`] is the app's own reducer), and records every
/// view it renders with.
#[derive(Properties, PartialEq)]
struct HostProps {
    page: Rc<ReportPageProps>,
    seen: Rc<Seen>,
}

impl PartialEq for Seen {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

#[component]
fn Host(props: &HostProps) -> Html {
    let state = use_reducer(ViewState::default);
    {
        let seen = props.seen.clone();
        use_effect_with(state.view.clone(), move |view| {
            seen.views.borrow_mut().push(view.clone())
        });
    }
    let onedit = {
        let state = state.clone();
        Callback::from(move |edit: ViewEdit| state.dispatch(edit))
    };
    let p = &props.page;
    html! {
        <ReportPage session={p.session.clone()} table={p.table.clone()} status={p.status.clone()}
            notices={p.notices.clone()} view={state.view.clone()} {onedit}
            onopen={p.onopen.clone()} onretry={p.onretry.clone()} oncancel={p.oncancel.clone()}
            onreload={p.onreload.clone()} />
    }
}

fn mount(table: TaskTable) -> (Element, Rc<Seen>) {
    let document = web_sys::window().unwrap().document().unwrap();
    let style = document.create_element("style").unwrap();
    style.set_text_content(Some(
        ".table-scroll{max-height:400px;overflow:auto} .tasks tr.row{height:40px} \
         .tasks td{white-space:nowrap;overflow:hidden}",
    ));
    document.head().unwrap().append_child(&style).unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let seen = Rc::new(Seen::default());
    let loaded = table.len();
    let page = ReportPageProps {
        session: Session {
            lang: Lang::En,
            source: SourceKind::Demo { tasks: loaded },
            can_open_in_portal: true,
            portal_url: None,
        },
        table: TableRef::new(Rc::new(RefCell::new(table))),
        status: LoadStatus::Done {
            loaded,
            requests: 1,
            elapsed_ms: 10,
        },
        notices: Vec::new().into(),
        directory: Rc::default(),
        names: crate::hooks::use_task_loader::NamesStatus::Resolved,
        view: SavedView::default(),
        onedit: Callback::noop(),
        view_unsaved: false,
        onopen: {
            let seen = seen.clone();
            Callback::from(move |id| seen.opened.borrow_mut().push(id))
        },
        onretry: Callback::noop(),
        oncancel: Callback::noop(),
        onreload: Callback::noop(),
    };
    let props = HostProps {
        page: Rc::new(page),
        seen: seen.clone(),
    };
    yew::Renderer::<Host>::with_root_and_props(root.clone(), props).render();
    (root, seen)
}

/// Polls `check` every 10 ms for up to 10 s.
async fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..1_000 {
        if check() {
            return;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("timed out waiting for {what}");
}

/// The last view the host recorded (the view as the app would save it).
fn last_view(seen: &Seen) -> Option<SavedView> {
    seen.views.borrow().last().cloned()
}

fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn row_ids(root: &Element) -> Vec<String> {
    let rows = root.query_selector_all("[data-testid=row]").unwrap();
    (0..rows.length())
        .filter_map(|i| rows.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .filter_map(|e| e.get_attribute("data-id"))
        .collect()
}

fn key(target: &Element, key: &str) {
    let event = js_sys::eval(&format!(
        "new KeyboardEvent('keydown', {{ key: '{key}', bubbles: true }})"
    ))
    .unwrap();
    target.dispatch_event(event.unchecked_ref()).unwrap();
}

#[wasm_bindgen_test]
async fn clicking_a_header_sorts_and_saves_the_view() {
    let (root, seen) = mount(sample());
    wait_for("rows", || row_ids(&root).len() == 6).await;
    assert_eq!(row_ids(&root), ["6", "5", "4", "3", "2", "1"]);
    let button: HtmlElement = find(&root, "th.c-title button")
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
    wait_for("title sort", || {
        find(&root, "th.c-title")
            .and_then(|th| th.get_attribute("aria-sort"))
            .as_deref()
            == Some("ascending")
    })
    .await;
    assert_eq!(row_ids(&root), ["2", "1", "3", "5", "6", "4"]);
    assert_eq!(
        find(&root, "th.c-id")
            .unwrap()
            .get_attribute("aria-sort")
            .as_deref(),
        Some("none")
    );
    // The saved view follows (its effect may run a scheduler turn after the rows show).
    wait_for("the view saved with the title sort", || {
        last_view(&seen).is_some_and(|v| v.query.sort == SortKey::Title)
    })
    .await;
    // The query was timed for the benchmark.
    let perf = web_sys::window().unwrap().performance().unwrap();
    assert!(perf.get_entries_by_name(QUERY_MEASURE).length() > 0);
    root.remove();
}

#[wasm_bindgen_test]
async fn arrow_keys_move_the_focus_and_enter_opens_the_task() {
    let (root, seen) = mount(sample());
    wait_for("rows", || row_ids(&root).len() == 6).await;
    let first: HtmlElement = find(&root, "[data-testid=row]")
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(first.get_attribute("tabindex").as_deref(), Some("0"));
    first.focus().unwrap();
    let document = web_sys::window().unwrap().document().unwrap();
    let focused_id = || {
        document
            .active_element()
            .and_then(|e| e.get_attribute("data-id"))
    };
    assert_eq!(focused_id().as_deref(), Some("6"));
    key(&first, "ArrowDown");
    wait_for("focus on the second row", || {
        focused_id().as_deref() == Some("5")
    })
    .await;
    let second = document.active_element().unwrap();
    key(&second, "End");
    wait_for("focus on the last row", || {
        focused_id().as_deref() == Some("1")
    })
    .await;
    let last = document.active_element().unwrap();
    // The roving tabindex follows once the row state has re-rendered.
    wait_for("tabindex on the last row", || {
        last.get_attribute("tabindex").as_deref() == Some("0")
    })
    .await;
    key(&last, "Enter");
    assert_eq!(
        *seen.opened.borrow(),
        ["/company/personal/user/101/tasks/task/view/1/"]
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn search_is_debounced_and_counters_filter() {
    let (root, seen) = mount(sample());
    wait_for("rows", || row_ids(&root).len() == 6).await;
    let input: HtmlInputElement = find(&root, "[data-testid=search]")
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value("ЕЛКА");
    let event = web_sys::InputEvent::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
    // Not yet: the search waits for typing to stop.
    assert_eq!(row_ids(&root).len(), 6);
    wait_for("search result", || row_ids(&root) == ["4"]).await;
    assert_eq!(
        find(&root, "[data-testid=shown-count]")
            .unwrap()
            .text_content()
            .as_deref(),
        Some("1 of 6 tasks")
    );
    wait_for("the view saved with the search", || {
        last_view(&seen).is_some_and(|v| v.query.search == "ЕЛКА")
    })
    .await;

    // A counter click replaces the search and the input follows.
    let overdue: HtmlElement = find(&root, "[data-testid=counter-overdue]")
        .unwrap()
        .dyn_into()
        .unwrap();
    overdue.click();
    wait_for("overdue rows", || row_ids(&root) == ["2"]).await;
    assert_eq!(
        overdue.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    wait_for("search cleared", || input.value().is_empty()).await;
    overdue.click();
    wait_for("all rows again", || row_ids(&root).len() == 6).await;
    root.remove();
}

#[wasm_bindgen_test]
async fn scrolling_moves_the_window_of_rows() {
    let (root, _) = mount(TaskTable::from_tasks(generate(100_000, 3)));
    wait_for("rows", || !row_ids(&root).is_empty()).await;
    assert!(row_ids(&root).len() <= 200);
    let scroller = find(&root, ".table-scroll").unwrap();
    scroller.set_scroll_top(40 * 50_000);
    scroller
        .dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    wait_for("rows near the middle", || {
        let ids = row_ids(&root);
        // Newest first: row 50 000 is task 50 000 (IDs 100 000 … 1).
        ids.iter().any(|id| {
            id.parse::<u64>()
                .is_ok_and(|n| (49_000..51_000).contains(&n))
        }) && ids.len() <= 200
    })
    .await;
    assert!(find(&root, "[data-id=\"100000\"]").is_none());
    root.remove();
}
