//! The page's side of the snapshot worker (issue 15; the worker is `snapshot/`, the messages
//! `report::snapshot_msg`). The worker is started only when there is something for it: a
//! snapshot to read (the user's key is in `BX24.userOption`, so this is a reopen) or a
//! complete load to store — never before the first rows of a first open. Each request gets
//! one answer, in order; a worker that cannot start answers nothing, which reads as "no
//! snapshot" ([`Reply::None`]).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Function, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::report::snapshot_msg::{Reply, Request};
use crate::worker::{field, listen, Worker};

/// The worker script, next to index.html in both archives.
pub const WORKER_URL: &str = "snapshot-worker.js";

/// A started snapshot worker.
pub struct SnapshotWorker {
    worker: Worker,
    /// The `resolve` of every request not answered yet, oldest first.
    waiting: Rc<RefCell<VecDeque<Function>>>,
    /// The worker failed (its script could not be fetched): nothing more will answer.
    dead: Rc<Cell<bool>>,
}

impl SnapshotWorker {
    /// Starts the worker; `None` when the browser refuses to.
    pub fn start() -> Option<Self> {
        let worker = Worker::new(WORKER_URL).ok()?;
        let waiting: Rc<RefCell<VecDeque<Function>>> = Rc::default();
        let dead = Rc::new(Cell::new(false));
        let (queue, failed) = (Rc::clone(&waiting), Rc::clone(&dead));
        // A message answers the oldest request; an error answers every request with nothing.
        let handler = Closure::<dyn Fn(&web_sys::Event)>::new(move |event: &web_sys::Event| {
            let message = event.type_() == "message";
            failed.set(failed.get() || !message);
            let data = field(event, "data");
            loop {
                let next = queue.borrow_mut().pop_front();
                let Some(resolve) = next else { break };
                let _ = resolve.call1(&JsValue::NULL, &data);
                if message {
                    break;
                }
            }
        });
        listen(&worker, &handler);
        // The listener lives as long as the worker (JS owns it).
        handler.forget();
        Some(Self {
            worker,
            waiting,
            dead,
        })
    }

    /// Sends `request` and waits for its answer.
    pub async fn ask(&self, request: &Request) -> Reply {
        if self.dead.get() {
            return Reply::None;
        }
        let waiting = Rc::clone(&self.waiting);
        let answer = JsFuture::from(Promise::new(&mut |resolve, _| {
            waiting.borrow_mut().push_back(resolve);
        }));
        // A copy of the bytes, not a view of the module's memory (which the structured
        // clone would copy whole).
        self.worker
            .post_value(&Uint8Array::from(request.encode().as_slice()));
        let data = answer.await.unwrap_or(JsValue::UNDEFINED);
        let bytes = data
            .dyn_into::<Uint8Array>()
            .map(|a| a.to_vec())
            .unwrap_or_default();
        Reply::decode(&bytes)
    }
}
