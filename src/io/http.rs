//! The one HTTP call the tool makes: a POST to a chat robot's webhook (ureq, rustls), with
//! timeouts, no redirects, and one retry when the server fails (5xx) or cannot be reached.
//! Errors never carry the URL: a webhook URL holds its token, so callers name it by
//! [`redact`]ed form only.

use std::time::Duration;

/// What the server answered.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// The body, cut to 4 KiB (enough for any robot's error object).
    pub body: String,
    /// How many requests were made (2 when the first was retried).
    pub attempts: u32,
}

/// Why no answer came, in words that hold no part of the URL.
#[derive(Debug)]
pub struct Failure {
    pub reason: String,
    pub attempts: u32,
}

/// Connect and whole-request timeouts.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(30);
/// The pause before the one retry.
const RETRY_PAUSE: Duration = Duration::from_millis(1000);

/// POSTs `body` to `url`; retries once on a 5xx status or when the server cannot be reached
/// (then nothing was delivered). A timeout is not retried: the message may have arrived.
pub fn post(url: &str, content_type: &str, body: &[u8]) -> Result<Response, Failure> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(TOTAL_TIMEOUT))
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!("followup/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let result = agent
            .post(url)
            .header("Content-Type", content_type)
            .send(body);
        let retry = match &result {
            Ok(r) => r.status().is_server_error(),
            Err(e) => matches!(
                e,
                ureq::Error::ConnectionFailed | ureq::Error::HostNotFound | ureq::Error::Io(_)
            ),
        };
        if retry && attempts < 2 {
            std::thread::sleep(RETRY_PAUSE);
            continue;
        }
        return match result {
            Ok(mut r) => {
                let status = r.status().as_u16();
                let body = r
                    .body_mut()
                    .with_config()
                    .limit(4096)
                    .read_to_string()
                    .unwrap_or_default();
                Ok(Response {
                    status,
                    body,
                    attempts,
                })
            }
            Err(e) => Err(Failure {
                reason: describe(&e),
                attempts,
            }),
        };
    }
}

/// An error in words without the URL (ureq's own messages may quote it).
fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "the request timed out".into(),
        ureq::Error::HostNotFound => "the host was not found".into(),
        ureq::Error::ConnectionFailed => "the connection failed".into(),
        ureq::Error::Io(io) => format!("the connection failed ({})", io.kind()),
        ureq::Error::BadUri(_) => "the URL is not valid".into(),
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => "the TLS handshake failed".into(),
        _ => "the request failed".into(),
    }
}

/// The URL as it may be shown: scheme, host and port, nothing of the path or query that hold
/// the token (`https://oapi.dingtalk.com/…`).
pub fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    // user:password@host keeps only the host.
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    if scheme.is_empty() {
        "the webhook URL".into()
    } else {
        format!("{scheme}://{host}/…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_only_scheme_and_host() {
        assert_eq!(
            redact("https://oapi.dingtalk.com/robot/send?access_token=abc"),
            "https://oapi.dingtalk.com/…"
        );
        assert_eq!(
            redact("https://open.feishu.cn/open-apis/bot/v2/hook/secret-id"),
            "https://open.feishu.cn/…"
        );
        assert_eq!(
            redact("http://u:p@127.0.0.1:8080?k=1"),
            "http://127.0.0.1:8080/…"
        );
        assert_eq!(redact("not a url"), "the webhook URL");
    }
}
