//! Virtual time for the loader tests (compiled only under `cfg(test)`): a clock whose
//! `sleep` costs no real time and a one-future executor that advances it.
//!
//! It stays although the workspace has `tokio`: the loader's tests wait minutes
//! (operating-limit resets, 60 s timeouts, pacing) and must detect a load that never
//! finishes; tokio's runtime (as the crate enables it) runs on wall time and blocks for ever
//! on a future that waits for nothing. This executor advances time only when nothing else
//! can run, and panics on a hang.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use crate::report::transport::{Clock, LocalBoxFuture};

#[derive(Default)]
struct ClockInner {
    now_ms: Cell<u64>,
    next_id: Cell<u64>,
    timers: RefCell<BTreeMap<(u64, u64), Waker>>,
}

/// Virtual time: `sleep` completes when the executor advances the clock, which it does
/// only when nothing else can run, so waits cost no real time.
#[derive(Clone, Default)]
pub struct VirtualClock(Rc<ClockInner>);

/// Unix time of virtual 0 ms.
pub const UNIX_ORIGIN_S: f64 = 1_700_000_000.0;

impl VirtualClock {
    /// Virtual milliseconds since the start.
    pub fn now(&self) -> u64 {
        self.0.now_ms.get()
    }

    /// Moves the clock `ms` forward at once, outside any run (a test's "three days later");
    /// timers due by then fire at the next run's first wait.
    pub fn pass(&self, ms: u64) {
        self.0.now_ms.set(self.0.now_ms.get() + ms);
    }

    /// Advances to the earliest timer and wakes every timer due. False if none is pending.
    fn advance(&self) -> bool {
        let first = self.0.timers.borrow().keys().next().copied();
        let Some((deadline, _)) = first else {
            return false;
        };
        self.0.now_ms.set(self.0.now_ms.get().max(deadline));
        let now = self.0.now_ms.get();
        let due: Vec<Waker> = {
            let mut timers = self.0.timers.borrow_mut();
            let keys: Vec<(u64, u64)> = timers.range(..=(now, u64::MAX)).map(|(k, _)| *k).collect();
            keys.into_iter().filter_map(|k| timers.remove(&k)).collect()
        };
        for w in due {
            w.wake();
        }
        true
    }
}

struct Sleep {
    clock: Rc<ClockInner>,
    deadline: u64,
    id: u64,
}

impl Future for Sleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.clock.now_ms.get() >= self.deadline {
            self.clock
                .timers
                .borrow_mut()
                .remove(&(self.deadline, self.id));
            Poll::Ready(())
        } else {
            self.clock
                .timers
                .borrow_mut()
                .insert((self.deadline, self.id), cx.waker().clone());
            Poll::Pending
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        self.clock
            .timers
            .borrow_mut()
            .remove(&(self.deadline, self.id));
    }
}

impl Clock for VirtualClock {
    fn now_ms(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let now = self.0.now_ms.get() as f64;
        now
    }

    fn unix_now_s(&self) -> f64 {
        UNIX_ORIGIN_S + self.now_ms() / 1000.0
    }

    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()> {
        let id = self.0.next_id.get();
        self.0.next_id.set(id + 1);
        Box::pin(Sleep {
            clock: Rc::clone(&self.0),
            deadline: self.0.now_ms.get() + u64::from(ms),
            id,
        })
    }
}

struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Longest virtual time one [`block_on`] may take before it counts as hung.
pub const MAX_VIRTUAL_MS: u64 = 6 * 3600 * 1000;

/// Runs `fut` to completion on virtual time. Panics if it can never finish (pending with
/// no timer: a hang) or runs past [`MAX_VIRTUAL_MS`].
pub fn block_on<T>(clock: &VirtualClock, fut: impl Future<Output = T>) -> T {
    let flag = Arc::new(Flag(AtomicBool::new(true)));
    let waker = Waker::from(Arc::clone(&flag));
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    let start = clock.now();
    for _ in 0..50_000_000u64 {
        flag.0.store(false, Ordering::SeqCst);
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        if flag.0.load(Ordering::SeqCst) {
            continue;
        }
        assert!(
            clock.advance(),
            "hang: the future is pending and no timer is set"
        );
        assert!(
            clock.now() - start <= MAX_VIRTUAL_MS,
            "hang: virtual time ran past {MAX_VIRTUAL_MS} ms"
        );
    }
    panic!("hang: too many polls");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_sleep_costs_no_real_time() {
        let clock = VirtualClock::default();
        let c = clock.clone();
        block_on(&clock, async move {
            c.sleep(600_000).await;
            c.sleep(5).await;
        });
        assert_eq!(clock.now(), 600_005);
    }

    #[test]
    #[should_panic(expected = "hang")]
    fn a_hang_is_detected() {
        let clock = VirtualClock::default();
        block_on(&clock, std::future::pending::<()>());
    }
}
