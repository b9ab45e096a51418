//! REST call parameters as an ordered tree ([`Param`]) and the BX24 SDK's own form encoder.
//!
//! The portal reads `task.item.list` arguments **by position**, so the order of keys matters
//! and is kept exactly as built. [`encode`] reproduces `ajax.prepareData` of the v1 SDK
//! (`docs/platform/frame-protocol.md`, "Parameter encoding"): at every level the scalar entries
//! first, then the nested ones, in insertion order; names are `prefix[key]` with literal
//! brackets and the key passed through `encodeURIComponent`; values `encodeURIComponent`-ed;
//! lists as `[0]`, `[1]`, …; an empty list as `name=`; an empty map produces nothing.
//! [`encode_batch`] builds the body of a `batch` call (`halt=…&cmd[key]=…`), each command
//! being `encodeURIComponent(method + "?" + encode(params))`.
//!
//! One deliberate difference: when a map holds only nested entries the SDK glues a spare
//! `&` in front of them (`&&2[NAV_PARAMS]…`); PHP's `parse_str` ignores empty pairs, so the
//! output here leaves the empty pairs out. Every body without such empty pairs is byte-equal.
//!
//! The body carries no credentials: the transport prepends `auth=<token>&` itself.

/// One parameter value: a string, an ordered map or a list.
///
/// Numbers and booleans travel as text (`"50"`, `"true"`), exactly as the SDK sends them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    /// A scalar, sent as text.
    Str(String),
    /// An ordered map (`name[key]=…`); insertion order is the wire order.
    Map(Vec<(String, Param)>),
    /// A list (`name[0]=…&name[1]=…`); an empty list is sent as `name=`.
    List(Vec<Param>),
}

impl Param {
    /// A scalar.
    pub fn str(value: impl Into<String>) -> Self {
        Self::Str(value.into())
    }

    /// An ordered map from `(key, value)` pairs.
    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Param)>) -> Self {
        Self::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A list of parameters.
    pub fn list(items: impl IntoIterator<Item = Param>) -> Self {
        Self::List(items.into_iter().collect())
    }

    /// A list of scalars.
    pub fn strs<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Self {
        Self::List(items.into_iter().map(|s| Self::Str(s.into())).collect())
    }
}

impl From<&str> for Param {
    fn from(value: &str) -> Self {
        Self::Str(value.to_string())
    }
}

impl From<String> for Param {
    fn from(value: String) -> Self {
        Self::Str(value)
    }
}

impl From<u64> for Param {
    fn from(value: u64) -> Self {
        Self::Str(value.to_string())
    }
}

impl From<u32> for Param {
    fn from(value: u32) -> Self {
        Self::Str(value.to_string())
    }
}

/// Percent-encodes `s` exactly like JavaScript's `encodeURIComponent`: every byte of the
/// UTF-8 form is escaped as `%XX` (upper-case hex) except `A–Z a–z 0–9 - _ . ! ~ * ' ( )`.
pub fn encode_uri_component(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        let unreserved = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
            );
        if unreserved {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// Encodes a parameter tree as the SDK's form body (without the `auth=` prefix).
///
/// A top-level [`Param::Str`] is returned unchanged (the SDK passes a string body through).
pub fn encode(params: &Param) -> String {
    match params {
        Param::Str(raw) => raw.clone(),
        compound => {
            let mut parts = Vec::new();
            encode_level(compound, "", &mut parts);
            parts.join("&")
        }
    }
}

/// The entries of one compound level as `(encoded name, value)`.
fn children<'a>(level: &'a Param, prefix: &str) -> Vec<(String, &'a Param)> {
    let name = |key: &str| {
        let key = encode_uri_component(key);
        if prefix.is_empty() {
            key
        } else {
            format!("{prefix}[{key}]")
        }
    };
    match level {
        Param::Str(_) => Vec::new(),
        Param::Map(entries) => entries.iter().map(|(k, v)| (name(k), v)).collect(),
        Param::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (name(&i.to_string()), v))
            .collect(),
    }
}

fn encode_level(level: &Param, prefix: &str, parts: &mut Vec<String>) {
    let entries = children(level, prefix);
    // Scalars first …
    for (name, value) in &entries {
        if let Param::Str(text) = value {
            parts.push(format!("{name}={}", encode_uri_component(text)));
        }
    }
    // … then the nested entries, in order.
    for (name, value) in &entries {
        match value {
            Param::Str(_) => {}
            Param::List(items) if items.is_empty() => parts.push(format!("{name}=")),
            nested => encode_level(nested, name, parts),
        }
    }
}

/// One command of a `batch` call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchCommand {
    /// The command's key in `cmd[...]` and in the answer's `result`/`result_error` maps.
    pub key: String,
    /// The REST method, e.g. `task.item.list`.
    pub method: String,
    /// Its parameters.
    pub params: Param,
}

/// The command string the portal expects in `cmd[key]`: `method?` + encoded parameters.
pub fn command_string(method: &str, params: &Param) -> String {
    format!("{method}?{}", encode(params))
}

/// Encodes the body of a `batch` call: `halt=1|0` then `cmd[key]=…` for every command, in
/// order (as `BX24.callBatch` does).
pub fn encode_batch(halt: bool, commands: &[BatchCommand]) -> String {
    let cmd = Param::Map(
        commands
            .iter()
            .map(|c| {
                (
                    c.key.clone(),
                    Param::Str(command_string(&c.method, &c.params)),
                )
            })
            .collect(),
    );
    encode(&Param::map([
        ("halt", Param::str(if halt { "1" } else { "0" })),
        ("cmd", cmd),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_uri_component_matches_js() {
        assert_eq!(
            encode_uri_component("AZaz09-_.!~*'()"),
            "AZaz09-_.!~*'()",
            "unreserved set"
        );
        assert_eq!(
            encode_uri_component(" #$&+,/:;=?@[]%<>\"`^{|}\\"),
            "%20%23%24%26%2B%2C%2F%3A%3B%3D%3F%40%5B%5D%25%3C%3E%22%60%5E%7B%7C%7D%5C"
        );
        assert_eq!(
            encode_uri_component("Задача ✓"),
            "%D0%97%D0%B0%D0%B4%D0%B0%D1%87%D0%B0%20%E2%9C%93"
        );
        assert_eq!(encode_uri_component("😀"), "%F0%9F%98%80");
        assert_eq!(encode_uri_component(""), "");
    }

    /// `docs/platform/frame-protocol.md`, "Parameter encoding", first observed body (minus
    /// `auth=tok1&`). `nul: null` is omitted
    /// by the SDK and `start` deleted, so neither is in the tree.
    #[test]
    fn reproduces_observed_call_body() {
        let params = Param::map([
            (
                "filter",
                Param::map([
                    (">ID", Param::str("5")),
                    ("STAGE_ID", Param::strs(["NEW", "WON"])),
                ]),
            ),
            ("select", Param::strs(["ID", "TITLE"])),
            ("flag", Param::str("true")),
            ("undef", Param::str("undefined")),
            ("emptyArr", Param::list([])),
        ]);
        assert_eq!(
            encode(&params),
            "flag=true&undef=undefined&filter[%3EID]=5&filter[STAGE_ID][0]=NEW&filter[STAGE_ID][1]=WON&select[0]=ID&select[1]=TITLE&emptyArr="
        );
    }

    /// `docs/platform/frame-protocol.md`, "Parameter encoding", the observed batch body (with
    /// halt).
    #[test]
    fn reproduces_observed_batch_body() {
        let commands = [
            BatchCommand {
                key: "a".into(),
                method: "user.current".into(),
                params: Param::map(Vec::<(String, Param)>::new()),
            },
            BatchCommand {
                key: "b".into(),
                method: "department.get".into(),
                params: Param::map([("ID", Param::str("$result[a][UF_DEPARTMENT]"))]),
            },
        ];
        assert_eq!(
            encode_batch(true, &commands),
            "halt=1&cmd[a]=user.current%3F&cmd[b]=department.get%3FID%3D%2524result%255Ba%255D%255BUF_DEPARTMENT%255D"
        );
    }

    #[test]
    fn positional_task_item_list_body() {
        let params = Param::list([
            Param::map([("ID", Param::str("desc"))]),
            Param::map([(">ID", Param::str("0"))]),
            Param::map([(
                "NAV_PARAMS",
                Param::map([("nPageSize", 50u32.into()), ("iNumPage", 1u32.into())]),
            )]),
            Param::strs(["ID", "TITLE"]),
        ]);
        assert_eq!(
            encode(&params),
            "0[ID]=desc&1[%3EID]=0&2[NAV_PARAMS][nPageSize]=50&2[NAV_PARAMS][iNumPage]=1&3[0]=ID&3[1]=TITLE"
        );
    }

    #[test]
    fn empty_map_vanishes_and_empty_list_is_name_eq() {
        assert_eq!(
            encode(&Param::map([(
                "a",
                Param::map(Vec::<(String, Param)>::new())
            )])),
            ""
        );
        assert_eq!(encode(&Param::map([("a", Param::list([]))])), "a=");
        assert_eq!(encode(&Param::str("raw=1&x")), "raw=1&x");
        assert_eq!(
            encode(&Param::map([(
                "k y",
                Param::map([("<=ID", Param::str("a b&c"))])
            )])),
            "k%20y[%3C%3DID]=a%20b%26c"
        );
    }

    #[test]
    fn batch_command_with_reference_is_double_encoded() {
        let cmd = BatchCommand {
            key: "p1".into(),
            method: "task.item.list".into(),
            params: Param::list([
                Param::map([("ID", Param::str("desc"))]),
                Param::map([("<ID", Param::str("$result[p0][49][ID]"))]),
            ]),
        };
        assert_eq!(
            command_string(&cmd.method, &cmd.params),
            "task.item.list?0[ID]=desc&1[%3CID]=%24result%5Bp0%5D%5B49%5D%5BID%5D"
        );
        assert_eq!(
            encode_batch(false, &[cmd]),
            "halt=0&cmd[p1]=task.item.list%3F0%5BID%5D%3Ddesc%261%5B%253CID%5D%3D%2524result%255Bp0%255D%255B49%255D%255BID%255D"
        );
    }
}
