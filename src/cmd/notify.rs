//! `followup notify`: one digest per owner of what is due today, posted to a chat robot's
//! webhook (DingTalk, WeCom, Feishu, Slack, or plain Markdown). The URL holds the robot's
//! token, so it is read from `--to`, `--to-env VAR` or `$FOLLOWUP_WEBHOOK` and only ever shown
//! as scheme and host.

use crate::cli::{ChatFormat, NotifyArgs};
use crate::engine::agenda::{by_owner, items};
use crate::error::{Error, Result};
use crate::io::http::{self, redact};
use crate::model::config::{Lang, Platform};
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
        return Err(Error::Usage(format!(
            "no webhook URL: pass --to URL, --to-env VAR or set {URL_VAR} (or use --dry-run to see the messages)"
        )));
    }
    if let Some(u) = &url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        return Err(Error::Usage(
            "the webhook URL must start with https:// (or http://)".into(),
        ));
    }
    let platform = args
        .format
        .map(platform_of)
        .or(config.notify.format)
        .or_else(|| url.as_deref().and_then(guess))
        .unwrap_or(Platform::Markdown);
    let secret = signing_secret(args)?;
    if secret.is_some() && !matches!(platform, Platform::DingTalk | Platform::Feishu) {
        eprintln!(
            "warning: a signing secret is set but {} messages are not signed; it is ignored",
            platform.key()
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
        return Ok(Output::text(match lang {
            Lang::En => "Nothing is due; no message was sent.\n".into(),
            Lang::Zh => "今天没有到期的事项，未发送消息。\n".into(),
        }));
    }
    if url.starts_with("http://") && !is_loopback(&url) {
        eprintln!(
            "warning: {} is plain http; the robot's token travels unencrypted",
            redact(&url)
        );
    }
    let mut out = String::new();
    for (sent, m) in messages.iter().enumerate() {
        let target = with_query(&url, &m.query);
        let failure = match http::post(&target, m.content_type, m.body.as_bytes()) {
            Err(f) => Some(format!("{} ({})", f.reason, attempts(f.attempts, lang))),
            Ok(r) if !(200..300).contains(&r.status) => {
                let detail = rejection(platform, &r.body)
                    .map(|e| format!(", {e}"))
                    .unwrap_or_default();
                Some(format!(
                    "HTTP {}{detail} ({})",
                    r.status,
                    attempts(r.attempts, lang)
                ))
            }
            Ok(r) => rejection(platform, &r.body).map(|e| format!("HTTP {} but {e}", r.status)),
        };
        if let Some(why) = failure {
            let done = match (sent, lang) {
                (0, Lang::En) => "nothing was sent".to_string(),
                (n, Lang::En) => format!("{n} of {} digests were sent before it", messages.len()),
                (0, Lang::Zh) => "未发送任何消息".to_string(),
                (n, Lang::Zh) => format!("此前已发送 {n}/{} 条", messages.len()),
            };
            // The redacted URL only: the token never reaches the terminal or a CI log.
            return Err(Error::Refused(match lang {
                Lang::En => format!(
                    "{} refused {}'s digest: {why}; {done}; check the webhook URL, the format ({}) and the robot's security settings",
                    redact(&url),
                    m.owner,
                    platform.key()
                ),
                Lang::Zh => format!(
                    "{} 拒绝了 {} 的提醒：{why}；{done}；请检查 webhook 地址、格式（{}）和机器人的安全设置",
                    redact(&url),
                    m.owner,
                    platform.key()
                ),
            }));
        }
        out.push_str(&match lang {
            Lang::En => format!("sent {}'s digest ({})\n", m.owner, count(m.items, "item")),
            Lang::Zh => format!("已发送 {} 的提醒（{} 项）\n", m.owner, m.items),
        });
    }
    Ok(Output::text(out))
}

/// "1 item", "3 items".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn attempts(n: u32, lang: Lang) -> String {
    match (n, lang) {
        (1, Lang::En) => "no retry".into(),
        (_, Lang::En) => "after one retry".into(),
        (1, Lang::Zh) => "未重试".into(),
        (_, Lang::Zh) => "已重试一次".into(),
    }
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
            _ => Err(Error::Usage(format!(
                "--to-env {var}: the environment variable {var} is not set; set it to the robot's webhook URL"
            ))),
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
        _ if named => Err(Error::Usage(format!(
            "--secret-env {var}: the environment variable {var} is not set; set it to the robot's signing secret"
        ))),
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
        return match lang {
            Lang::En => "Nothing is due; no message would be sent.\n".into(),
            Lang::Zh => "今天没有到期的事项，不会发送消息。\n".into(),
        };
    }
    let mut out = String::new();
    for m in messages {
        let to = url.map(redact).unwrap_or_else(|| "(no URL)".into());
        out.push_str(&format!(
            "--- {} · {} · {} · POST {to} · {}\n",
            m.owner,
            match lang {
                Lang::En => count(m.items, "item"),
                Lang::Zh => format!("{} 项", m.items),
            },
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
    out.push_str(&match lang {
        Lang::En => format!(
            "(dry run: {}, nothing sent)\n",
            count(messages.len(), "message")
        ),
        Lang::Zh => format!("（演练：{} 条消息，未发送）\n", messages.len()),
    });
    out
}
