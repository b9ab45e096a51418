//! The snapshot worker (issue 15): everything of the stored snapshot that the first screen of
//! a first open does not need, out of the app's first load. It answers the page's requests
//! (`task_report::report::snapshot_msg`, one answer per request, in order —
//! `snapshot-worker.js` queues them):
//!
//! * open: reads the user's record from IndexedDB, decrypts it (AES-GCM, WebCrypto) with the
//!   key material from the page's `BX24.userOption` text, and answers the tasks (keeping them
//!   for the refresh and the comparison);
//! * refresh / answer: plans the incremental refresh and merges its answers
//!   (`task_report::report::refresh_run::RefreshRun`); the page sends each batch through its
//!   loading engine and hands the answer back;
//! * save: says which tasks of the snapshot it read are gone, makes new key material when
//!   the page has none (the page keeps its text in `BX24.userOption`), encrypts and writes the
//!   record.
//!
//! The store (`task_report::snapshot_store`) reads no error out loud: blocked storage is
//! "unavailable", a missing, foreign or damaged record is "none".

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::RefCell;
    use std::rc::Rc;

    use task_report::report::codec::{decode_tasks, encode_tasks};
    use task_report::report::refresh_run::{RefreshRun, Step};
    use task_report::report::snapshot::{since_visit, Stored};
    use task_report::report::snapshot_msg::{Reply, Request, SaveRequest};
    use task_report::report::task::Task;
    use task_report::snapshot_store::{key_material, SnapshotStore, StoreError};
    use wasm_bindgen::prelude::*;

    /// What the worker keeps between requests.
    #[derive(Default)]
    struct Service {
        /// The store opened last, with the portal and key option it was opened for.
        store: Option<(String, String, Rc<SnapshotStore>)>,
        /// The snapshot read by the open request.
        shown: Option<Vec<Task>>,
        /// When the shown snapshot's rows were read (unix seconds).
        shown_at_s: i64,
        refresh: Option<RefreshRun>,
        /// The refreshed list, in the codec's encoding, until it is saved.
        refreshed: Option<Vec<u8>>,
    }

    thread_local! {
        static SERVICE: RefCell<Service> = RefCell::default();
    }

    fn with<R>(f: impl FnOnce(&mut Service) -> R) -> R {
        SERVICE.with(|s| f(&mut s.borrow_mut()))
    }

    /// The store of `portal` under the key material in `option` (new material when it has
    /// none), and the new material's option text.
    async fn store(
        portal: &str,
        option: &str,
    ) -> Result<(Rc<SnapshotStore>, Option<String>), StoreError> {
        let cached = with(|s| {
            s.store
                .as_ref()
                .filter(|(p, o, _)| p == portal && o == option)
                .map(|(_, _, store)| Rc::clone(store))
        });
        if let Some(store) = cached {
            return Ok((store, None));
        }
        let (material, new_option) = key_material(option)?;
        let store = Rc::new(SnapshotStore::open(portal, &material).await?);
        let kept = new_option.clone().unwrap_or_else(|| option.to_string());
        with(|s| s.store = Some((portal.to_string(), kept, Rc::clone(&store))));
        Ok((store, new_option))
    }

    /// The refresh's next step as an answer.
    fn step() -> Vec<u8> {
        let next = with(|s| s.refresh.as_mut().map(RefreshRun::step));
        match next {
            Some(Step::Send(body)) => Reply::Send(body).encode(),
            Some(Step::Done) => {
                let tasks = with(|s| s.refresh.take()).map(RefreshRun::finish);
                let bytes = encode_tasks(&tasks.unwrap_or_default());
                let reply = Reply::done(&bytes);
                with(|s| s.refreshed = Some(bytes));
                reply
            }
            Some(Step::Stuck) => Reply::Stuck.encode(),
            Some(Step::FullLoadNeeded) | None => Reply::FullLoad.encode(),
        }
    }

    async fn open(portal: &str, option: &str) -> Vec<u8> {
        if option.is_empty() {
            return Reply::None.encode();
        }
        let store = match store(portal, option).await {
            Ok((store, _)) => store,
            Err(StoreError::Unavailable) => return Reply::saved(false, "", &[]),
            Err(StoreError::Crypto) => return Reply::None.encode(),
        };
        let Some(plain) = store.load_plain().await else {
            return Reply::None.encode();
        };
        match Stored::decode(&plain) {
            Some(stored) if !stored.tasks.is_empty() => {
                with(|s| {
                    s.shown = Some(stored.tasks);
                    s.shown_at_s = stored.saved_at_s;
                });
                Reply::snapshot(
                    stored.saved_at_s,
                    stored.refreshes,
                    plain.get(Stored::TASKS_AT..).unwrap_or(&[]),
                )
            }
            _ => Reply::None.encode(),
        }
    }

    async fn save(request: SaveRequest) -> Vec<u8> {
        let SaveRequest {
            portal,
            option,
            saved_at_s,
            refreshes,
            compare,
            tasks,
        } = request;
        let tasks = if tasks.is_empty() {
            with(|s| s.refreshed.take()).unwrap_or_default()
        } else {
            tasks
        };
        let Some(list) = decode_tasks(&tasks) else {
            return Reply::None.encode();
        };
        let gone = match with(|s| s.shown.take()) {
            Some(before) if compare => since_visit(&before, &list).gone,
            _ => Vec::new(),
        };
        drop(list);
        let (store, new_option) = match store(&portal, &option).await {
            Ok(opened) => opened,
            Err(_) => return Reply::saved(false, "", &gone),
        };
        let plain = Stored::envelope(saved_at_s, refreshes, &tasks);
        drop(tasks);
        let stored = store.save_plain(&plain).await.is_ok();
        Reply::saved(stored, new_option.as_deref().unwrap_or(""), &gone)
    }

    /// Answers one request of the page (bytes in, bytes out; see the crate documentation).
    #[wasm_bindgen]
    pub async fn handle(request: Vec<u8>) -> Vec<u8> {
        match Request::decode(&request) {
            Some(Request::Open { portal, option }) => open(&portal, &option).await,
            Some(Request::Refresh { offset }) => {
                let (snapshot, as_of_s) = with(|s| (s.shown.clone(), s.shown_at_s));
                let run = RefreshRun::start(snapshot.unwrap_or_default(), offset, as_of_s);
                with(|s| s.refresh = run);
                step()
            }
            Some(Request::Answer { body }) => {
                with(|s| {
                    if let Some(run) = s.refresh.as_mut() {
                        run.answer(&body);
                    }
                });
                step()
            }
            Some(Request::Save(request)) => save(request).await,
            None => Reply::None.encode(),
        }
    }
}

fn main() {}
