//! A tiny single-threaded executor: `block_on` plus timers, and an HTTP/1.1 client whose
//! requests run on helper threads so that several can really be in flight at once (the
//! engine's `PageNumbers { in_flight: 3 }` joins three request futures; a blocking call inside
//! the future would serialize them and measure nothing).

use std::cell::RefCell;
use std::future::Future;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

struct Signal {
    thread: Thread,
    woken: AtomicBool,
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.thread.unpark();
    }
}

thread_local! {
    /// Pending timers of this thread's executor: deadline and the waker to call.
    static TIMERS: RefCell<Vec<(Instant, Waker)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `fut` to completion on the current thread.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let signal = Arc::new(Signal {
        thread: thread::current(),
        woken: AtomicBool::new(true),
    });
    let waker = Waker::from(Arc::clone(&signal));
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    loop {
        if signal.woken.swap(false, Ordering::SeqCst) {
            if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
                TIMERS.with(|t| t.borrow_mut().clear());
                return out;
            }
        }
        let now = Instant::now();
        let next = TIMERS.with(|t| {
            let mut timers = t.borrow_mut();
            timers.retain(|(deadline, w)| {
                if *deadline <= now {
                    w.wake_by_ref();
                    false
                } else {
                    true
                }
            });
            timers.iter().map(|(d, _)| *d).min()
        });
        if signal.woken.load(Ordering::SeqCst) {
            continue;
        }
        match next {
            Some(deadline) => thread::park_timeout(deadline.saturating_duration_since(now)),
            None => thread::park(),
        }
    }
}

/// A future that resolves at `deadline` (only inside [`block_on`]).
pub struct Sleep {
    deadline: Instant,
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.deadline {
            return Poll::Ready(());
        }
        let deadline = self.deadline;
        TIMERS.with(|t| t.borrow_mut().push((deadline, cx.waker().clone())));
        Poll::Pending
    }
}

/// Sleeps `ms` milliseconds without blocking the executor.
pub fn sleep(ms: u64) -> Sleep {
    Sleep {
        deadline: Instant::now() + Duration::from_millis(ms),
    }
}

/// The error text of a request that got no answer within its timeout.
pub const TIMEOUT: &str = "timeout";

/// One HTTP answer.
#[derive(Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Body (de-chunked).
    pub body: String,
}

/// One blocking HTTP/1.1 exchange (`Connection: close`, read to EOF), with socket timeouts.
pub fn http_blocking(
    method: &str,
    url: &str,
    content_type: &str,
    body: &str,
    timeout: Duration,
) -> Result<Reply, String> {
    http_blocking_with_headers(method, url, content_type, &[], body, timeout)
}

/// [`http_blocking`] with extra request headers (`name`, `value`; no line breaks allowed).
pub fn http_blocking_with_headers(
    method: &str,
    url: &str,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &str,
    timeout: Duration,
) -> Result<Reply, String> {
    let mut extra = String::new();
    for (name, value) in headers {
        if [name, value].iter().any(|t| t.contains(['\r', '\n'])) {
            return Err(format!("header {name:?}: line breaks are not allowed"));
        }
        extra.push_str(&format!("{name}: {value}\r\n"));
    }
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("only http:// URLs: {url}"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addrs: Vec<_> = authority
        .to_socket_addrs()
        .map_err(|e| format!("resolve {authority}: {e}"))?
        .collect();
    let mut last_err = String::from("no address");
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last_err = format!("connect {addr}: {e}"),
        }
    }
    let mut stream = stream.ok_or(last_err)?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(|e| e.to_string())?;
    let _ = stream.set_nodelay(true);
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: {content_type}\r\n\
         {extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()))
        .map_err(|e| format!("write: {e}"))?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => TIMEOUT.to_string(),
        _ => format!("read: {e}"),
    })?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Result<Reply, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of headers (connection closed without an answer)")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or("bad status line")?;
    let chunked = lines.any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let payload = &raw[split + 4..];
    let body = if chunked {
        dechunk(payload)?
    } else {
        payload.to_vec()
    };
    Ok(Reply {
        status,
        body: String::from_utf8(body).map_err(|e| format!("body is not UTF-8: {e}"))?,
    })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let eol = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("bad chunk")?;
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|e| format!("bad chunk size: {e}"))?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size {
            return Err("truncated chunk".into());
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
}

/// Runs [`http_blocking`] on a helper thread; the returned future resolves with its result.
pub fn http_async(
    method: &'static str,
    url: String,
    body: String,
    timeout: Duration,
) -> impl Future<Output = Result<Reply, String>> {
    let (tx, rx) = futures_channel::oneshot::channel();
    thread::spawn(move || {
        let result = http_blocking(method, &url, "text/plain;charset=UTF-8", &body, timeout);
        let _ = tx.send(result);
    });
    async move {
        rx.await
            .unwrap_or_else(|_| Err("request thread ended".to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_chunked() {
        let r = parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assert!(matches!(r, Ok(Reply { status: 200, ref body }) if body == "ok"));
        let r = parse_response(
            b"HTTP/1.1 503 X\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
        );
        assert!(matches!(r, Ok(Reply { status: 503, ref body }) if body == "abcde"));
        assert!(parse_response(b"").is_err());
    }

    #[test]
    fn timers_and_join() {
        let start = Instant::now();
        block_on(async {
            let a = sleep(60);
            let b = sleep(30);
            a.await;
            b.await;
        });
        let ms = start.elapsed().as_millis();
        assert!((60..1000).contains(&ms), "{ms}");
    }
}
