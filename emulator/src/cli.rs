//! Command-line parsing (hand-written: a dozen flags do not need a parser crate).

use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::config::{Config, WasmMime};

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    /// Start the emulator.
    Run(Box<Config>),
    /// Print [`HELP`] and exit.
    Help,
}

/// The `--help` text.
pub const HELP: &str = "\
b24-emulator — a local Bitrix24 portal for testing a static (ZIP-uploaded) local app

It plays both sides a static app talks to:
  * the PORTAL origin http://localhost:PORTAL_PORT: the portal page that embeds your app in an
    iframe named \"localhost:PORT|0|<APP_SID>\" and answers the BX24 SDK's postMessage calls
    (getInitData, refreshAuth, setInstallFinish, …), the REST endpoint /rest/<method>.json
    (task.item.list, batch, … with auth, limits and errors of a cloud portal), an incoming
    webhook, and a stand-in of the BX24 v1 SDK at /api/v1/;
  * the APP origin http://127.0.0.1:APP_PORT/b1/app_local/<hash>/ serving your archive's files,
    like the Bitrix24 CDN serves an uploaded archive (a different origin from the portal).

USAGE:
  cargo run -p b24-emulator -- --app <DIR|ARCHIVE.zip> [OPTIONS]

On start one JSON line is printed to stdout:
  {\"portal\":\"http://localhost:8080\",\"app\":\"http://127.0.0.1:8081/b1/app_local/<hash>/\",
   \"webhook\":\"http://localhost:8080/rest/1/emulatorsecret0001/\"}
then logs go to stderr. Open the \"portal\" URL in a browser (use --sdk rewrite with a normal
browser). Query parameters of the portal page: user=N (1 = admin), lang=xx, mobile=1, install=1
(force the installer stage), placement=NAME.

APP:
  --app PATH               directory with index.html (e.g. trunk's dist/) or the .zip you upload
                           to Bitrix24 (extracted with `unzip` into a temp dir). If it has an
                           install.html at its root, an admin first gets the installer stage,
                           as on a real portal, until the app calls BX24.installFinish().
  --portal-port N          portal origin port (default 8080; 0 = any free port)
  --app-port N             app origin port (default 8081; 0 = any free port)
  --wasm-mime KIND         wasm (application/wasm, default) | octet-stream (application/octet-stream)
  --sdk MODE               off (default): the SDK stand-in is served at /api/v1/ and for any
                           request with Host api.bitrix24.com (start a test browser with
                           --host-resolver-rules=\"MAP api.bitrix24.com 127.0.0.1:PORTAL_PORT\");
                           rewrite: also rewrite //api.bitrix24.com/api/v1/ in served HTML to
                           http://localhost:PORTAL_PORT/api/v1/ so any browser works

PORTAL DATA:
  --tasks N                tasks on the portal (default 1000)
  --dense-ids true|false   generated IDs without holes (default false: about one ID in five is
                           skipped, as old deletions leave them)
  --seed N                 seed of the generated tasks
  --lang CODE              default interface language (default en)
  --token-lifetime-s N     access token lifetime (default 3600, AUTH_EXPIRES)
  --operating-limit-s S    per-method operating limit, seconds per 10 min (default 480; 0 = off)

REALISM KNOBS (also settable at run time: POST /__control with snake_case JSON keys):
  --latency-ms N           delay added to every REST request (default 0)
  --subcall-cost-ms N      cost of each (sub-)call; the answer waits for it (default 0)
  --bucket MODE            request-rate limit: standard (50 burst, 2/s; default),
                           enterprise (250 burst, 5/s), off. Over it: 503 QUERY_LIMIT_EXCEEDED
  --expire-every K         expire all access tokens every K REST requests (401 expired_token)
  --insert-every K         insert 3 tasks every K REST requests (tasks change while you page)
  --delete-every K         delete 3 tasks every K REST requests
  --block-method M:S       answer 429 OPERATION_TIME_LIMIT for method M during S seconds
  --disable-method M       method M answers 404 ERROR_METHOD_NOT_FOUND (e.g. scope, to try an
                           installer without the scope method)
  --utc-offset OFFSET      the portal's time zone, e.g. +02:00 (default +03:00): task dates are
                           written in it and deadlines fall on its local days
  --app-scopes LIST        scopes granted to the app's tokens (default task,user; an empty value = none):
                           without task, task methods answer 403 insufficient_scope

FAULTS (REST requests only; decided by a seeded generator, logged in /__stats):
  --fault-5xx-pct P        P% of requests get a 500/502/503 HTML error page (not JSON)
  --fault-drop-pct P       P% of requests have their connection closed without an answer
  --fault-query-limit-pct P  P% of requests get the portal's 503 QUERY_LIMIT_EXCEEDED (JSON)
  --hang-next N            the next N requests never get an answer (held ~10 min)
  --malformed-next N       the next N answers are cut-off JSON with status 200
  --total-pct P            every `total` / `result_total` answered is P% of the true count
                           (default 100; rows and `next` stay true): a portal that counts wrong
  --fault-seed N           seed of the fault generator (default 1)

TEST ENDPOINTS on the portal origin:
  GET  /__stats            request counts, per-method/status counts, request log, frame log
  POST /__stats/reset      clear counters and logs
  GET  /__truth?user=N     IDs of the tasks user N can see (ID desc): the expected report
  POST /__control          change knobs, e.g. {\"fault_5xx_pct\":10,\"bucket\":\"off\"}

  -h, --help               this text
";

/// Parses the arguments after the program name.
///
/// # Errors
/// A message naming the bad flag or value.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut app: Option<PathBuf> = None;
    let mut config = Config::new(PathBuf::new());
    let mut knob_changes = Map::new();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help);
        }
        let Some(flag) = arg.strip_prefix("--") else {
            return Err(format!("unexpected argument {arg:?} (see --help)"));
        };
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n, v.to_string()),
            None => {
                i += 1;
                let v = args
                    .get(i)
                    .ok_or_else(|| format!("--{flag} needs a value"))?;
                (flag, v.clone())
            }
        };
        match name {
            "app" => app = Some(PathBuf::from(value)),
            "portal-port" => config.portal_port = number(name, &value)?,
            "app-port" => config.app_port = number(name, &value)?,
            "tasks" => config.tasks = number(name, &value)?,
            "seed" => config.seed = Some(number(name, &value)?),
            "dense-ids" => {
                config.dense_ids = match value.as_str() {
                    "true" | "1" | "yes" => true,
                    "false" | "0" | "no" => false,
                    _ => {
                        return Err(format!(
                            "--dense-ids: expected true or false, got {value:?}"
                        ))
                    }
                };
            }
            "lang" => config.lang = value,
            "token-lifetime-s" => config.token_lifetime_s = number(name, &value)?,
            "operating-limit-s" => config.operating_limit_s = number(name, &value)?,
            "fault-seed" => config.fault_seed = number(name, &value)?,
            "wasm-mime" => {
                config.wasm_mime = match value.as_str() {
                    "wasm" | "application/wasm" => WasmMime::Wasm,
                    "octet-stream" | "application/octet-stream" => WasmMime::OctetStream,
                    _ => {
                        return Err(format!(
                            "--wasm-mime: expected wasm or octet-stream, got {value:?}"
                        ))
                    }
                }
            }
            "sdk" => {
                config.sdk_rewrite = match value.as_str() {
                    "rewrite" => true,
                    "off" | "intercept" => false,
                    _ => return Err(format!("--sdk: expected off or rewrite, got {value:?}")),
                }
            }
            "block-method" | "disable-method" => {
                let mut one = Map::new();
                one.insert(name.replace('-', "_"), Value::String(value));
                config.start_actions.extend(config.knobs.apply(&one)?);
            }
            knob => {
                let key = knob.replace('-', "_");
                if !crate::knobs::KNOB_NAMES.contains(&key.as_str()) {
                    return Err(format!("unknown flag --{knob} (see --help)"));
                }
                knob_changes.insert(key, Value::String(value));
            }
        }
        i += 1;
    }
    config.app = app.ok_or("--app <DIR|ARCHIVE.zip> is required (see --help)")?;
    let actions = config
        .knobs
        .apply(&knob_changes)
        .map_err(|e| format!("--{e}"))?;
    config.start_actions.extend(actions);
    Ok(Command::Run(Box::new(config)))
}

fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("--{name}: expected a number, got {value:?}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::knobs::{BucketMode, PortalAction};

    fn run(args: &[&str]) -> Result<Config, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        match parse(&args)? {
            Command::Run(c) => Ok(*c),
            Command::Help => Err("help".into()),
        }
    }

    #[test]
    fn parses_flags_and_knobs() {
        let c = run(&[
            "--app",
            "dist",
            "--portal-port=0",
            "--bucket",
            "enterprise",
            "--latency-ms",
            "20",
            "--fault-5xx-pct",
            "12.5",
            "--block-method",
            "task.item.list:5",
            "--sdk",
            "rewrite",
            "--wasm-mime",
            "octet-stream",
        ])
        .unwrap();
        assert_eq!(c.app, PathBuf::from("dist"));
        assert_eq!(c.portal_port, 0);
        assert_eq!(c.app_port, 8081);
        assert_eq!(c.knobs.bucket, BucketMode::Enterprise);
        assert_eq!(c.knobs.latency_ms, 20);
        assert_eq!(c.knobs.fault_5xx_pct, 12.5);
        assert_eq!(c.knobs.app_scopes, ["task", "user"]);
        assert!(c.sdk_rewrite);
        assert_eq!(c.wasm_mime, WasmMime::OctetStream);
        assert_eq!(
            c.start_actions,
            vec![PortalAction::BlockMethod {
                method: "task.item.list".into(),
                seconds: 5
            }]
        );
    }

    #[test]
    fn app_scopes_and_a_disabled_scope_method() {
        let c = run(&[
            "--app",
            "d",
            "--app-scopes",
            "user",
            "--disable-method",
            "scope",
        ])
        .unwrap();
        assert_eq!(c.knobs.app_scopes, ["user"]);
        assert_eq!(
            c.start_actions,
            vec![PortalAction::DisableMethod("scope".into())]
        );
    }

    #[test]
    fn reports_errors() {
        assert!(run(&[]).unwrap_err().contains("--app"));
        assert!(run(&["--app", "d", "--bogus", "1"])
            .unwrap_err()
            .contains("--bogus"));
        assert!(run(&["--app", "d", "--tasks", "many"])
            .unwrap_err()
            .contains("--tasks"));
        assert!(run(&["--app", "d", "--bucket", "huge"])
            .unwrap_err()
            .contains("bucket"));
        assert!(run(&["--app"]).unwrap_err().contains("needs a value"));
        assert_eq!(run(&["--help"]).unwrap_err(), "help");
    }
}
