//! Starts and stops a `b24-emulator` process and reads its test endpoints.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use hyper::Method;
use serde_json::Value;

use crate::client;

/// A running emulator (killed on drop).
pub struct Emulator {
    child: Child,
    /// `http://localhost:<port>`.
    pub portal: String,
    /// The incoming webhook base URL.
    pub webhook: String,
    /// This run's token for `/__truth` and `/__control` (`X-Emulator-Token`).
    control_token: String,
}

impl Emulator {
    /// Starts `bin` on free ports with `args`; returns once it printed its URLs.
    pub fn start(bin: &str, args: &[String]) -> Result<Self, String> {
        let mut child = Command::new(bin)
            .args(["--portal-port", "0", "--app-port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {bin}: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("emulator output: {e}"))?;
        let urls: Value = serde_json::from_str(&line)
            .map_err(|e| format!("emulator start line {line:?}: {e}"))?;
        let field = |k: &str| urls[k].as_str().map(str::to_string);
        match (field("portal"), field("webhook"), field("control_token")) {
            (Some(portal), Some(webhook), Some(control_token)) => Ok(Self {
                child,
                portal,
                webhook,
                control_token,
            }),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!(
                    "emulator start line without URLs or control_token: {line}"
                ))
            }
        }
    }

    /// `GET <portal><path>` as JSON (with the control token, which `/__truth` needs).
    pub async fn get(&self, path: &str) -> Result<Value, String> {
        let url = format!("{}{path}", self.portal);
        let token = [("X-Emulator-Token", self.control_token.as_str())];
        let timeout = Duration::from_secs(60);
        let reply = client::request(
            Method::GET,
            &url,
            "text/plain",
            &token,
            String::new(),
            timeout,
        )
        .await
        .map_err(|e| format!("{path}: {e:?}"))?;
        if reply.status != 200 {
            return Err(format!("{path}: HTTP {}: {}", reply.status, reply.body));
        }
        serde_json::from_str(&reply.body).map_err(|e| format!("{path}: {e}"))
    }

    /// The IDs user 1 may see (`/__truth?user=1`).
    pub async fn truth(&self) -> Result<Vec<u64>, String> {
        let v = self.get("/__truth?user=1").await?;
        v.as_array()
            .map(|a| a.iter().filter_map(Value::as_u64).collect())
            .ok_or_else(|| "truth is not an array".into())
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
