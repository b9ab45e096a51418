//! A tiny HTTP/1.1 client over a real TCP socket (one request per connection).

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A parsed answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// Header names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// Why no answer came.
#[derive(Debug, PartialEq)]
pub enum Failure {
    /// The server closed the connection without sending a byte.
    ClosedWithoutAnswer,
    /// Nothing complete arrived within the timeout.
    TimedOut,
    /// Anything else (connect error, garbage).
    Other(String),
}

/// One request.
pub struct Req<'a> {
    pub method: &'a str,
    pub port: u16,
    pub host: String,
    pub target: &'a str,
    pub headers: Vec<(&'a str, &'a str)>,
    pub body: Vec<u8>,
    pub timeout: Duration,
}

impl<'a> Req<'a> {
    /// `GET http://localhost:<port><target>`.
    pub fn get(port: u16, target: &'a str) -> Req<'a> {
        Req {
            method: "GET",
            port,
            host: format!("localhost:{port}"),
            target,
            headers: Vec::new(),
            body: Vec::new(),
            timeout: Duration::from_secs(10),
        }
    }

    /// `POST` with a body.
    pub fn post(
        port: u16,
        target: &'a str,
        content_type: &'a str,
        body: impl Into<Vec<u8>>,
    ) -> Req<'a> {
        let mut r = Req::get(port, target);
        r.method = "POST";
        r.headers.push(("Content-Type", content_type));
        r.body = body.into();
        r
    }

    pub fn host(mut self, host: &str) -> Self {
        self.host = host.to_string();
        self
    }

    pub fn method(mut self, method: &'a str) -> Self {
        self.method = method;
        self
    }

    pub fn header(mut self, name: &'a str, value: &'a str) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub async fn send(self) -> Result<Reply, Failure> {
        match tokio::time::timeout(self.timeout, self.exchange()).await {
            Ok(result) => result,
            Err(_) => Err(Failure::TimedOut),
        }
    }

    async fn exchange(&self) -> Result<Reply, Failure> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))
            .await
            .map_err(|e| Failure::Other(format!("connect: {e}")))?;
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.method,
            self.target,
            self.host,
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        stream
            .write_all(&bytes)
            .await
            .map_err(|e| Failure::Other(format!("write: {e}")))?;
        let mut raw = Vec::new();
        match stream.read_to_end(&mut raw).await {
            Ok(_) => {}
            // A reset after an abrupt close counts as "closed" when nothing arrived.
            Err(_) if raw.is_empty() => return Err(Failure::ClosedWithoutAnswer),
            Err(e) => return Err(Failure::Other(format!("read: {e}"))),
        }
        if raw.is_empty() {
            return Err(Failure::ClosedWithoutAnswer);
        }
        parse(&raw)
    }
}

fn parse(raw: &[u8]) -> Result<Reply, Failure> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| Failure::Other("no end of headers".into()))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Failure::Other(format!("bad status line {status_line:?}")))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let body = raw[split + 4..].to_vec();
    let reply = Reply {
        status,
        headers,
        body,
    };
    if let Some(len) = reply.header("content-length") {
        let len: usize = len
            .parse()
            .map_err(|_| Failure::Other("bad length".into()))?;
        if len != reply.body.len() {
            return Err(Failure::Other(format!(
                "content-length {len} but {} bytes",
                reply.body.len()
            )));
        }
    }
    Ok(reply)
}
