//! `followup notify`: one digest per owner of what is due today, posted to a chat robot's
//! webhook (DingTalk, WeCom, Feishu, Slack, or plain Markdown). The URL holds the robot's
//! token, so it is read from `--to`, `--to-env VAR` or `$FOLLOWUP_WEBHOOK` and only ever shown
//! as scheme and host.

use crate::cli::{ChatFormat, NotifyArgs};
use crate::engine::agenda::{by_owner, items};
use crate::error::Result;
use crate::io::http::{self, redact};
use crate::model::config::{Lang, Platform};
use crate::msg::m;
use crate::present::chat::{DigestContext, Message, message, rejection};
use crate::{Ctx, Output};

/// The environment variable that holds the webhook URL by default.
const URL_VAR: &str = "FOLLOWUP_WEBHOOK";
/// The environment variable that holds the DingTalk/Feishu signing secret by default.
const SECRET_VAR: &str = "FOLLOWUP_WEBHOOK_SECRET";

pub fn run(args: &NotifyArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    let url = webhook(args)?;
    if url.is_none() && !args.dry_run {
        return Err(m::E_NO_WEBHOOK.with("var", URL_VAR).into());
    }
    if let Some(u) = &url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        return Err(m::E_WEBHOOK_SCHEME.into());
    }
    let platform = args
        .format
        .map(platform_of)
        .or(config.notify.format)
        .or_else(|| url.as_deref().and_then(guess))
        .unwrap_or(Platform::Markdown);
    let secret = signing_secret(args)?;
    if secret.is_some() && !matches!(platform, Platform::DingTalk | Platform::Feishu) {
        crate::present::render::warn(
            &m::W_SECRET_UNUSED
                .with("format", platform.key())
                .render(lang),
            lang,
        );
    }

    let summaries = store.load_summaries()?;
    let due = items(
        &summaries,
        config,
        ctx.today,
        ctx.today,
        args.owner.as_deref(),
    );
    let messages: Vec<Message> = by_owner(due)
        .into_iter()
        .map(|(owner, list)| {
            let cx = DigestContext {
                platform,
                lang,
                today: ctx.today,
                mention: owner
                    .as_deref()
                    .and_then(|o| config.notify.mention(o, platform)),
                secret: secret.as_deref(),
                now_ms: ctx.now_ms,
            };
            message(owner.as_deref(), &list, &cx)
        })
        .collect();

    if args.dry_run {
        return Ok(Output::text(dry_run(
            &messages,
            platform,
            url.as_deref(),
            lang,
        )));
    }
    let Some(url) = url else {
        return Ok(Output::default());
    };
    if messages.is_empty() {
        return Ok(Output::text(m::NOTIFY_NOTHING.get(lang) + "\n"));
    }
    if url.starts_with("http://") && !is_loopback(&url) {
        crate::present::render::warn(
            &m::W_PLAIN_HTTP.with("url", redact(&url)).render(lang),
            lang,
        );
    }
    let mut out = String::new();
    for (sent, msg) in messages.iter().enumerate() {
        let target = with_query(&url, &msg.query);
        let failure = match http::post(&target, msg.content_type, msg.body.as_bytes()) {
            Err(f) => Some(
                m::PAREN
                    .with("a", &f.reason)
                    .with("b", attempts(f.attempts, lang))
                    .render(lang),
            ),
            Ok(r) if !(200..300).contains(&r.status) => {
                let detail = rejection(platform, &r.body)
                    .map(|e| format!(", {e}"))
                    .unwrap_or_default();
                Some(format!(
                    "HTTP {}{detail}{}",
                    r.status,
                    m::PAREN_ONLY
                        .with("b", attempts(r.attempts, lang))
                        .render(lang)
                ))
            }
            Ok(r) => rejection(platform, &r.body).map(|e| {
                m::HTTP_BUT
                    .with("status", r.status)
                    .with("error", e)
                    .render(lang)
            }),
        };
        if let Some(why) = failure {
            let done = match sent {
                0 => m::NOTHING_SENT.into(),
                n => m::SENT_BEFORE.with("n", n).with("total", messages.len()),
            };
            // The redacted URL only: the token never reaches the terminal or a CI log.
            return Err(m::E_REFUSED_DIGEST
                .with("url", redact(&url))
                .with("owner", &msg.owner)
                .with("why", why)
                .with_text("done", done)
                .with("format", platform.key())
                .into());
        }
        out.push_str(
            &m::SENT_DIGEST
                .with("owner", &msg.owner)
                .with("n", msg.items)
                .render(lang),
        );
        out.push('\n');
    }
    Ok(Output::text(out))
}

fn attempts(n: u32, lang: Lang) -> String {
    match n {
        1 => m::NO_RETRY,
        _ => m::ONE_RETRY,
    }
    .get(lang)
}

fn platform_of(f: ChatFormat) -> Platform {
    match f {
        ChatFormat::Dingtalk => Platform::DingTalk,
        ChatFormat::Wecom => Platform::WeCom,
        ChatFormat::Feishu => Platform::Feishu,
        ChatFormat::Slack => Platform::Slack,
        ChatFormat::Markdown => Platform::Markdown,
    }
}

/// The platform a robot URL belongs to, from its host.
fn guess(url: &str) -> Option<Platform> {
    let host = url.split_once("://")?.1.split(['/', '?', ':']).next()?;
    match host {
        "oapi.dingtalk.com" => Some(Platform::DingTalk),
        "qyapi.weixin.qq.com" => Some(Platform::WeCom),
        "open.feishu.cn" | "open.larksuite.com" => Some(Platform::Feishu),
        "hooks.slack.com" => Some(Platform::Slack),
        _ => None,
    }
}

fn is_loopback(url: &str) -> bool {
    let host = url
        .split_once("://")
        .map_or("", |(_, r)| r.split(['/', '?']).next().unwrap_or(""));
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]")
}

/// The webhook URL: `--to`, else the variable named by `--to-env`, else $FOLLOWUP_WEBHOOK.
fn webhook(args: &NotifyArgs) -> Result<Option<String>> {
    if let Some(u) = &args.to {
        return Ok(Some(u.trim().to_string()));
    }
    if let Some(var) = &args.to_env {
        return match std::env::var(var) {
            Ok(v) if !v.trim().is_empty() => Ok(Some(v.trim().to_string())),
            _ => Err(m::E_TO_ENV.with("var", var).into()),
        };
    }
    Ok(std::env::var(URL_VAR)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty()))
}

fn signing_secret(args: &NotifyArgs) -> Result<Option<String>> {
    let (var, named) = match &args.secret_env {
        Some(v) => (v.as_str(), true),
        None => (SECRET_VAR, false),
    };
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => Ok(Some(v.trim().to_string())),
        _ if named => Err(m::E_SECRET_ENV.with("var", var).into()),
        _ => Ok(None),
    }
}

fn with_query(url: &str, query: &[(&'static str, String)]) -> String {
    let mut target = url.to_string();
    for (k, v) in query {
        target.push(if target.contains('?') { '&' } else { '?' });
        target.push_str(&format!("{k}={v}"));
    }
    target
}

/// What `--dry-run` prints: each message's owner, format and body (JSON pretty-printed), and
/// the signing parameters; never the URL beyond its host.
fn dry_run(messages: &[Message], platform: Platform, url: Option<&str>, lang: Lang) -> String {
    if messages.is_empty() {
        return m::DRY_NOTHING.get(lang) + "\n";
    }
    let mut out = String::new();
    for m in messages {
        let to = url.map(redact).unwrap_or_else(|| m::NO_URL.get(lang));
        out.push_str(&format!(
            "--- {} · {} · {} · POST {to} · {}\n",
            m.owner,
            m::N_ITEMS.with("n", m.items).render(lang),
            platform.key(),
            m.content_type
        ));
        if !m.query.is_empty() {
            let q: Vec<String> = m.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.push_str(&format!("query: {}\n", q.join("&")));
        }
        let body = serde_json::from_str::<serde_json::Value>(&m.body)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_else(|| m.body.clone());
        out.push_str(body.trim_end());
        out.push('\n');
    }
    out.push_str(&m::DRY_RUN_END.with("n", messages.len()).render(lang));
    out.push('\n');
    out
}
