//! `use_value`: a small `Copy` value kept across renders that redraws its component when it
//! changes — what `use_state_eq` does, built on one `use_mut_ref` and one `use_force_update`.
//! Yew's state hooks compile their reducer machinery once per value type (≈ 1 KB of wasm
//! each); these two hooks are shared by every value type.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

/// The value and the redraw of its component.
#[derive(Clone)]
pub struct ValueHandle<T: Copy> {
    cell: Rc<Cell<T>>,
    redraw: UseForceUpdateHandle,
}

impl<T: Copy + PartialEq> ValueHandle<T> {
    /// The current value.
    pub fn get(&self) -> T {
        self.cell.get()
    }

    /// Replaces the value; the component redraws when it differs.
    pub fn set(&self, value: T) {
        if self.cell.replace(value) != value {
            self.redraw.force_update();
        }
    }
}

/// A value starting as `init()`; see the module docs.
#[hook]
pub fn use_value<T: Copy + 'static>(init: impl FnOnce() -> T) -> ValueHandle<T> {
    let cell = (*use_memo((), |_| Rc::new(Cell::new(init())))).clone();
    let redraw = use_force_update();
    ValueHandle { cell, redraw }
}
