//! The tests' HTTP/1.1 client: hyper's connection-level client over a real TCP socket, one
//! request per connection (`Connection: close`). hyper sends the request exactly as built
//! here, which is what the hardening tests need: any `Host` header (e.g. `evil.example`) and
//! an absolute request target (`GET http://evil.example/__stats`) when `target` is absolute.

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper::header::{CONNECTION, HOST};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// A parsed answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// Header names lower-cased (several values of one name one after the other).
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
    /// The server closed (or reset) the connection before a complete answer head.
    ClosedWithoutAnswer,
    /// Nothing complete arrived within the timeout.
    TimedOut,
    /// Anything else (connect error, garbage, a body cut short).
    Other(String),
}

impl Failure {
    /// Sorts a hyper error: an end of the connection before the answer's head is hyper's
    /// "incomplete message" (or a reset seen as an I/O error).
    fn of(e: &hyper::Error) -> Self {
        let reset = std::error::Error::source(e)
            .and_then(|s| s.downcast_ref::<std::io::Error>())
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionReset);
        if e.is_incomplete_message() || reset {
            Self::ClosedWithoutAnswer
        } else {
            Self::Other(e.to_string())
        }
    }
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
        let mut request = Request::builder()
            .method(self.method)
            .uri(self.target)
            .header(HOST, &self.host)
            .header(CONNECTION, "close");
        for (name, value) in &self.headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(Full::new(Bytes::from(self.body.clone())))
            .map_err(|e| Failure::Other(format!("request: {e}")))?;
        let stream = TcpStream::connect(("127.0.0.1", self.port))
            .await
            .map_err(|e| Failure::Other(format!("connect: {e}")))?;
        let (mut sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| Failure::Other(format!("handshake: {e}")))?;
        let answer = async move {
            let response = sender
                .send_request(request)
                .await
                .map_err(|e| Failure::of(&e))?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| (n.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
                .collect();
            let body = response.into_body().collect().await;
            let body = body.map_err(|e| Failure::Other(format!("body: {e}")))?;
            Ok(Reply {
                status,
                headers,
                body: body.to_bytes().to_vec(),
            })
        };
        // The connection is driven next to the request; it ends when the server closes it.
        let (answer, _closed) = tokio::join!(answer, connection);
        answer
    }
}
