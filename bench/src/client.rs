//! The benchmark's HTTP/1.1 client: hyper's connection-level client over a tokio TCP stream,
//! one connection per request (`Connection: close`). Every request is its own future on the
//! bench's tokio runtime, so the engine's `PageNumbers { in_flight: 3 }` really has three
//! requests in flight at once.

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper::header::{CONNECTION, CONTENT_TYPE, HOST};
use hyper::{Method, Request, Uri};
use hyper_util::rt::TokioIo;
use task_report::report::transport::TransportError;
use tokio::net::TcpStream;

/// One HTTP answer.
#[derive(Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Body (de-chunked by hyper).
    pub body: String,
}

/// One request to an `http://` URL with `content_type`, extra `headers` and `body`. The whole
/// exchange (connect, send, read the body) must end within `timeout`, else
/// [`TransportError::Timeout`]; anything else that fails is [`TransportError::Network`].
pub async fn request(
    method: Method,
    url: &str,
    content_type: &str,
    headers: &[(&str, &str)],
    body: String,
    timeout: Duration,
) -> Result<Reply, TransportError> {
    let exchange = exchange(method, url, content_type, headers, body);
    tokio::time::timeout(timeout, exchange)
        .await
        .unwrap_or(Err(TransportError::Timeout))
}

async fn exchange(
    method: Method,
    url: &str,
    content_type: &str,
    headers: &[(&str, &str)],
    body: String,
) -> Result<Reply, TransportError> {
    let failed =
        |what: &str, e: &dyn std::fmt::Display| TransportError::Network(format!("{what}: {e}"));
    let uri: Uri = url.parse().map_err(|e| failed(url, &e))?;
    let authority = match (uri.scheme_str(), uri.authority()) {
        (Some("http"), Some(authority)) => authority.clone(),
        _ => return Err(failed(url, &"only http:// URLs")),
    };
    let port = authority.port_u16().unwrap_or(80);
    // Origin form (`GET /path?query`): hyper writes the URI it is given as is.
    let target = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut builder = Request::builder()
        .method(method)
        .uri(target)
        .header(HOST, authority.as_str())
        .header(CONTENT_TYPE, content_type)
        .header(CONNECTION, "close");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| failed("request", &e))?;
    let stream = TcpStream::connect((authority.host(), port))
        .await
        .map_err(|e| failed(&format!("connect {authority}"), &e))?;
    let _ = stream.set_nodelay(true);
    let (mut sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| failed("handshake", &e))?;
    let answer = async move {
        let response = sender.send_request(request).await?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await?.to_bytes();
        Ok::<_, hyper::Error>((status, body))
    };
    // The connection is driven next to the request; it ends when the server closes it.
    let (answer, _closed) = tokio::join!(answer, connection);
    let (status, body) = answer.map_err(|e| failed("HTTP", &e))?;
    let body = String::from_utf8(body.to_vec()).map_err(|e| failed("body is not UTF-8", &e))?;
    Ok(Reply { status, body })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// Reads one request head from `socket` and returns it.
    async fn read_head(socket: &mut TcpStream) -> String {
        let mut raw = Vec::new();
        let mut buf = [0u8; 1024];
        while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => raw.extend_from_slice(&buf[..n]),
            }
        }
        String::from_utf8_lossy(&raw).into_owned()
    }

    #[tokio::test]
    async fn sends_host_and_headers_and_reads_a_chunked_answer() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let head = read_head(&mut socket).await;
            let answer = "HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n\
                          3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
            socket.write_all(answer.as_bytes()).await.unwrap();
            head
        });
        let url = format!("http://127.0.0.1:{port}/__truth?user=1");
        let reply = request(
            Method::GET,
            &url,
            "text/plain",
            &[("X-Emulator-Token", "t0k")],
            String::new(),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
        assert_eq!((reply.status, reply.body.as_str()), (503, "abcde"));
        let head = server.await.unwrap().to_ascii_lowercase();
        assert!(
            head.starts_with("get /__truth?user=1 http/1.1\r\n"),
            "{head}"
        );
        assert!(
            head.contains(&format!("host: 127.0.0.1:{port}\r\n")),
            "{head}"
        );
        assert!(head.contains("x-emulator-token: t0k\r\n"), "{head}");
    }

    /// The server answers only once three requests are open at the same time: a client that
    /// sent them one after the other would time out.
    #[tokio::test]
    async fn three_requests_are_in_flight_at_once() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let mut open = Vec::new();
            while open.len() < 3 {
                let (mut socket, _) = listener.accept().await.unwrap();
                read_head(&mut socket).await;
                open.push(socket);
            }
            for mut socket in open {
                let answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
                socket.write_all(answer.as_bytes()).await.unwrap();
            }
        });
        let url = format!("http://127.0.0.1:{port}/rest/1/s/task.item.list.json");
        let one = || {
            let body = "a=1".to_string();
            request(
                Method::POST,
                &url,
                "text/plain",
                &[],
                body,
                Duration::from_secs(5),
            )
        };
        let (a, b, c) = tokio::join!(one(), one(), one());
        for reply in [a, b, c] {
            assert_eq!(reply.unwrap().body, "ok");
        }
    }

    #[tokio::test]
    async fn a_silent_server_is_a_timeout_and_a_refused_port_a_network_error() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let url = format!("http://127.0.0.1:{port}/");
        let get = |url: String| async move {
            let timeout = Duration::from_millis(300);
            request(Method::GET, &url, "text/plain", &[], String::new(), timeout).await
        };
        assert!(matches!(get(url).await, Err(TransportError::Timeout)));
        drop(listener);
        let refused = get(format!("http://127.0.0.1:{port}/")).await;
        assert!(
            matches!(refused, Err(TransportError::Network(_))),
            "{refused:?}"
        );
        let https = get("https://127.0.0.1/".into()).await;
        assert!(matches!(https, Err(TransportError::Network(ref e)) if e.contains("only http")));
    }
}
