//! `use_debounce`: runs a callback once input has settled (e.g. the search box).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// A debounced callback: [`UseDebounceHandle::run`] (re)starts the timer; only the last value
/// reaches the callback. Dropping the pending [`Timeout`] cancels it.
pub struct UseDebounceHandle<T: 'static> {
    timer: Rc<RefCell<Option<Timeout>>>,
    callback: Callback<T>,
    ms: u32,
}

impl<T: 'static> Clone for UseDebounceHandle<T> {
    fn clone(&self) -> Self {
        Self {
            timer: Rc::clone(&self.timer),
            callback: self.callback.clone(),
            ms: self.ms,
        }
    }
}

impl<T: 'static> UseDebounceHandle<T> {
    /// Schedules `value` for the callback after the delay, replacing a pending one.
    pub fn run(&self, value: T) {
        let callback = self.callback.clone();
        let timeout = Timeout::new(self.ms, move || callback.emit(value));
        // Storing the new timeout drops (and so cancels) the previous one.
        *self.timer.borrow_mut() = Some(timeout);
    }

    /// Drops a pending value.
    pub fn cancel(&self) {
        self.timer.borrow_mut().take();
    }
}

/// Debounces `callback` by `ms` milliseconds; the timer lives in `use_mut_ref`.
#[hook]
pub fn use_debounce<T: 'static>(callback: Callback<T>, ms: u32) -> UseDebounceHandle<T> {
    let timer = use_mut_ref(|| None::<Timeout>);
    {
        // Cancel on unmount.
        let timer = timer.clone();
        use_effect_with((), move |_| move || drop(timer.borrow_mut().take()));
    }
    UseDebounceHandle {
        timer,
        callback,
        ms,
    }
}
