//! `use_saved_view`: the one owner of the report's [`SavedView`] (query + grouping).
//!
//! The view changes through [`ViewEdit`]s (a reducer, so edits in quick succession build on
//! each other), and is saved a moment after the last change — to `BX24.userOption` inside
//! the portal, to `sessionStorage` in the preview. A write that fails is reported through
//! [`SavedViewHandle::unsaved`], which the footer shows as one line.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::bx24;
use crate::components::view_edit::ViewEdit;
use crate::hooks::use_value::use_value;
use crate::report::view::{SavedView, USER_OPTION_KEY};

/// Changes are saved after this pause, so typing in the search box does not flood the portal.
const SAVE_AFTER_MS: u32 = 800;

/// The `sessionStorage` key of the preview's view.
const TAB_VIEW_KEY: &str = "taskReport.view";

/// Where the saved view is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewStore {
    /// `BX24.userOption` (per user, in the portal).
    Portal,
    /// `sessionStorage` (preview only).
    Tab,
}

/// The view kept in this tab's `sessionStorage` (preview), if any.
pub fn tab_view() -> Option<SavedView> {
    let storage = web_sys::window()?.session_storage().ok()??;
    Some(SavedView::decode(&storage.get_item(TAB_VIEW_KEY).ok()??))
}

/// Writes `view` to `store`; `Err` when the portal or the browser refused it.
fn write(store: ViewStore, view: &SavedView) -> Result<(), ()> {
    let encoded = view.encode();
    match store {
        ViewStore::Portal => bx24::set_user_option(USER_OPTION_KEY, &encoded).map_err(|_| ()),
        ViewStore::Tab => web_sys::window()
            .and_then(|w| w.session_storage().ok().flatten())
            .ok_or(())?
            .set_item(TAB_VIEW_KEY, &encoded)
            .map_err(|_| ()),
    }
}

/// The view as a reducer over [`ViewEdit`]: an edit that changes nothing keeps the same
/// state (no re-render, no save).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewState {
    /// The current view.
    pub view: SavedView,
}

impl Reducible for ViewState {
    type Action = ViewEdit;

    fn reduce(self: Rc<Self>, edit: ViewEdit) -> Rc<Self> {
        let mut view = self.view.clone();
        edit.apply(&mut view);
        if view == self.view {
            self
        } else {
            Rc::new(Self { view })
        }
    }
}

/// The saved view and how to change it.
#[derive(Clone, PartialEq)]
pub struct SavedViewHandle {
    /// The current view.
    pub view: SavedView,
    /// Applies a change of the controls.
    pub edit: Callback<ViewEdit>,
    /// True when the last write of the view failed.
    pub unsaved: bool,
}

/// Owns the view, starting from `initial` (the one restored at start-up), and saves every
/// change to `store` after [`SAVE_AFTER_MS`].
#[hook]
pub fn use_saved_view(initial: &SavedView, store: ViewStore) -> SavedViewHandle {
    let state = use_reducer(|| ViewState {
        view: initial.clone(),
    });
    let unsaved = use_value(|| false);
    // The view as last written (or restored): an unchanged view is not written again.
    let written = use_mut_ref(|| initial.clone());
    {
        let unsaved = unsaved.clone();
        use_effect_with(state.view.clone(), move |view| {
            let changed = *written.borrow() != *view;
            let timer = changed.then(|| {
                let view = view.clone();
                Timeout::new(SAVE_AFTER_MS, move || {
                    let ok = write(store, &view).is_ok();
                    if ok {
                        *written.borrow_mut() = view;
                    }
                    unsaved.set(!ok);
                })
            });
            // A newer change within the pause replaces this write.
            move || drop(timer)
        });
    }
    let edit = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| Callback::from(move |e| dispatcher.dispatch(e)))
    };
    SavedViewHandle {
        view: state.view.clone(),
        edit: (*edit).clone(),
        unsaved: unsaved.get(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::query::SortKey;

    #[test]
    fn edits_build_on_each_other_and_a_no_op_keeps_the_state() {
        let s = Rc::new(ViewState::default());
        let sorted = Rc::clone(&s).reduce(ViewEdit::Sort(SortKey::Title));
        let searched = Rc::clone(&sorted).reduce(ViewEdit::Search("report".into()));
        assert_eq!(searched.view.query.sort, SortKey::Title);
        assert_eq!(searched.view.query.search, "report");
        let again = Rc::clone(&searched).reduce(ViewEdit::Search("report".into()));
        assert!(Rc::ptr_eq(&searched, &again));
    }
}
