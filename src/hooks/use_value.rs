//! `use_value`: a value kept across renders that redraws its component when it changes —
//! what `use_state_eq` does, built on one `use_memo` and one `use_force_update`. Yew's state
//! hooks compile their reducer machinery once per value type (≈ 1 KB of wasm each); these
//! two hooks are shared by every value type.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

/// The value and the redraw of its component.
#[derive(Clone)]
pub struct ValueHandle<T> {
    cell: Rc<RefCell<T>>,
    redraw: UseForceUpdateHandle,
}

impl<T: Clone + PartialEq> ValueHandle<T> {
    /// The current value (a copy: no borrow is held).
    pub fn get(&self) -> T {
        self.cell.borrow().clone()
    }

    /// Replaces the value; the component redraws when it differs.
    pub fn set(&self, value: T) {
        if *self.cell.borrow() != value {
            *self.cell.borrow_mut() = value;
            self.redraw.force_update();
        }
    }
}

/// A value starting as `init()`; see the module docs.
#[hook]
pub fn use_value<T: 'static>(init: impl FnOnce() -> T) -> ValueHandle<T> {
    let cell = (*use_memo((), |_| Rc::new(RefCell::new(init())))).clone();
    let redraw = use_force_update();
    ValueHandle { cell, redraw }
}
