//! The morning digest as a chat robot message: one per owner, items grouped by reason (next
//! actions, promises, assists, cadence), most overdue first within a group, in each platform's
//! documented webhook format:
//!
//! - DingTalk custom robot: `{"msgtype":"markdown","markdown":{"title","text"},"at":{"atMobiles",
//!   "atUserIds","isAtAll"}}`; a mention is `@ID` in the text *and* the ID in `at`. Signing:
//!   `sign = urlencode(base64(HMAC-SHA256(key = secret, "timestamp\nsecret")))`, timestamp in
//!   milliseconds, both appended to the URL's query.
//! - WeCom (企业微信) group robot: `{"msgtype":"markdown","markdown":{"content"}}`, at most 4096
//!   bytes; a mention is `<@userid>` in the content.
//! - Feishu (飞书) custom bot: `{"msg_type":"interactive","card":{header, elements:[markdown]}}`;
//!   a mention is `<at id=ID></at>` (`<at email=…>` for an e-mail). Signing: `sign =
//!   base64(HMAC-SHA256(key = "timestamp\nsecret", empty message))`, timestamp in seconds, both
//!   as body fields.
//! - Slack incoming webhook: `{"text", "blocks":[header, section(mrkdwn)…]}`; a mention is `<@U…>`.
//! - markdown: the digest as Markdown text, posted as `text/markdown` (any webhook that takes a
//!   plain body).
//!
//! A 200 is not always a success: DingTalk and WeCom answer `{"errcode":N,"errmsg":…}` and
//! Feishu `{"code":N,"msg":…}`; [`rejection`] reads those.

use crate::engine::agenda::AgendaItem;
use crate::model::config::{Lang, Platform};
use crate::msg::m;
use crate::present::reach::{KINDS, kind_heading, lateness, one_line, words};
use base64::Engine;
use chrono::NaiveDate;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

/// One request to make: the body, its content type, and query parameters to append to the URL.
#[derive(Debug, Clone)]
pub struct Message {
    /// The owner the digest is for, as shown ("li.wei", or "(no owner)").
    pub owner: String,
    pub items: usize,
    pub content_type: &'static str,
    pub body: String,
    pub query: Vec<(&'static str, String)>,
}

/// What the digest needs besides the items.
pub struct DigestContext<'a> {
    pub platform: Platform,
    pub lang: Lang,
    pub today: NaiveDate,
    /// The owner's chat ID on this platform, when followup.toml maps one.
    pub mention: Option<&'a str>,
    /// The signing secret (DingTalk, Feishu).
    pub secret: Option<&'a str>,
    /// Milliseconds since the Unix epoch, for the signature's timestamp.
    pub now_ms: i64,
}

/// The owner as shown in a digest.
pub fn owner_label(owner: Option<&str>, lang: Lang) -> String {
    match owner {
        Some(o) => one_line(o),
        None => m::DIGEST_NO_OWNER.get(lang),
    }
}

/// Builds the message for one owner's items (already in agenda order).
pub fn message(owner: Option<&str>, items: &[AgendaItem<'_>], cx: &DigestContext<'_>) -> Message {
    let who = owner_label(owner, cx.lang);
    let style = Style::of(cx.platform);
    let mention = cx.mention.filter(|m| mentionable(cx.platform, m));
    // Drop items from the end (the least urgent group) until the body fits the platform.
    let mut shown = items.len();
    let (title, text) = loop {
        let (title, text) = digest(&who, items, shown, cx, &style, mention);
        if text.len() <= style.limit || shown == 0 {
            break (title, text);
        }
        shown -= 1;
    };
    let (content_type, body, query) = match cx.platform {
        Platform::DingTalk => {
            let (mobiles, users): (Vec<&str>, Vec<&str>) = mention.into_iter().partition(|m| {
                m.trim_start_matches('+')
                    .chars()
                    .all(|c| c.is_ascii_digit())
            });
            let body = json!({
                "msgtype": "markdown",
                "markdown": { "title": title, "text": text },
                "at": { "atMobiles": mobiles, "atUserIds": users, "isAtAll": false },
            });
            let query = cx.secret.map_or_else(Vec::new, |secret| {
                let ts = cx.now_ms;
                vec![
                    ("timestamp", ts.to_string()),
                    ("sign", url_encode(&dingtalk_sign(secret, ts))),
                ]
            });
            ("application/json; charset=utf-8", body.to_string(), query)
        }
        Platform::WeCom => {
            let body = json!({ "msgtype": "markdown", "markdown": { "content": text } });
            (
                "application/json; charset=utf-8",
                body.to_string(),
                Vec::new(),
            )
        }
        Platform::Feishu => {
            let overdue = items.iter().any(|i| i.overdue_days > 0);
            let mut body = json!({
                "msg_type": "interactive",
                "card": {
                    "config": { "wide_screen_mode": true },
                    "header": {
                        "title": { "tag": "plain_text", "content": title },
                        "template": if overdue { "red" } else { "blue" },
                    },
                    "elements": [ { "tag": "markdown", "content": text } ],
                },
            });
            if let Some(secret) = cx.secret {
                let ts = cx.now_ms.div_euclid(1000);
                body["timestamp"] = Value::String(ts.to_string());
                body["sign"] = Value::String(feishu_sign(secret, ts));
            }
            (
                "application/json; charset=utf-8",
                body.to_string(),
                Vec::new(),
            )
        }
        Platform::Slack => {
            let mut blocks = vec![json!({
                "type": "header",
                "text": { "type": "plain_text", "text": cut(&title, 150) },
            })];
            // A section's text holds at most 3000 characters: one section per chunk of lines.
            let mut chunk = String::new();
            for line in text.lines() {
                if chunk.chars().count() + line.chars().count() + 1 > 2900 && !chunk.is_empty() {
                    blocks.push(section(&chunk));
                    chunk.clear();
                }
                chunk.push_str(line);
                chunk.push('\n');
            }
            if !chunk.trim().is_empty() {
                blocks.push(section(&chunk));
            }
            blocks.truncate(50);
            let body = json!({ "text": format!("{title}: {}", headline(items, cx.lang)), "blocks": blocks });
            (
                "application/json; charset=utf-8",
                body.to_string(),
                Vec::new(),
            )
        }
        Platform::Markdown => ("text/markdown; charset=utf-8", text, Vec::new()),
    };
    Message {
        owner: who,
        items: items.len(),
        content_type,
        body,
        query,
    }
}

fn section(text: &str) -> Value {
    json!({ "type": "section", "text": { "type": "mrkdwn", "text": text.trim_end() } })
}

/// Markup of one platform.
struct Style {
    platform: Platform,
    /// Bold: `**x**` (Markdown) or `*x*` (Slack mrkdwn).
    bold: &'static str,
    /// The title line's prefix (a Markdown heading where the platform renders one).
    heading: &'static str,
    /// The largest text the platform takes, in bytes, with room for the JSON around it.
    limit: usize,
}

impl Style {
    fn of(platform: Platform) -> Style {
        match platform {
            Platform::Slack => Style {
                platform,
                bold: "*",
                heading: "",
                limit: 40_000,
            },
            Platform::WeCom => Style {
                platform,
                bold: "**",
                heading: "### ",
                limit: 4_000,
            },
            Platform::DingTalk | Platform::Feishu => Style {
                platform,
                bold: "**",
                heading: "#### ",
                limit: 18_000,
            },
            Platform::Markdown => Style {
                platform,
                bold: "**",
                heading: "### ",
                limit: usize::MAX,
            },
        }
    }

    fn b(&self, text: &str) -> String {
        format!("{}{text}{}", self.bold, self.bold)
    }

    /// Text from the files, made inert for the platform's markup: Slack wants `& < >` as
    /// entities (so `<!channel>` cannot ping anyone), Feishu reads entities too, WeCom gets
    /// full-width brackets (its `<@id>` would mention).
    /// Where the markup is Markdown (all but Slack), `[` and `]` become full-width brackets,
    /// so a name such as `[Log in again](http://…)` or `![x](http://…)` stays text instead of
    /// a link or an image the team's robot would post.
    fn text(&self, text: &str) -> String {
        let text = one_line(text);
        let inert_links = |t: String| t.replace('[', "［").replace(']', "］");
        match self.platform {
            Platform::Slack => text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;"),
            Platform::Feishu => inert_links(text.replace('<', "&lt;").replace('>', "&gt;")),
            Platform::WeCom => inert_links(text.replace('<', "＜").replace('>', "＞")),
            Platform::DingTalk | Platform::Markdown => inert_links(text),
        }
    }

    /// How the owner is mentioned in the text.
    fn mention(&self, id: &str) -> String {
        match self.platform {
            Platform::DingTalk => format!("@{id}"),
            Platform::WeCom | Platform::Slack => format!("<@{id}>"),
            Platform::Feishu if id.contains('@') => format!("<at email={id}></at>"),
            Platform::Feishu => format!("<at id={id}></at>"),
            Platform::Markdown => format!("@{id}"),
        }
    }
}

/// Can this ID be mentioned on this platform? (A plain mapping applies to every platform, but
/// a Slack mention needs a member ID.)
fn mentionable(platform: Platform, id: &str) -> bool {
    match platform {
        Platform::Slack => {
            id.len() > 2
                && (id.starts_with('U') || id.starts_with('W'))
                && id
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        }
        _ => true,
    }
}

/// "9 due, 6 overdue" / "共 9 项，逾期 6 项".
fn headline(items: &[AgendaItem<'_>], lang: Lang) -> String {
    let overdue = items.iter().filter(|i| i.overdue_days > 0).count();
    m::DIGEST_HEADLINE
        .with("n", items.len())
        .with("overdue", overdue)
        .render(lang)
}

/// The title and the text of a digest showing the first `shown` items.
fn digest(
    who: &str,
    items: &[AgendaItem<'_>],
    shown: usize,
    cx: &DigestContext<'_>,
    style: &Style,
    mention: Option<&str>,
) -> (String, String) {
    let lang = cx.lang;
    let title = m::DIGEST_TITLE
        .with("who", who)
        .with("today", cx.today)
        .render(lang);
    let mut text = String::new();
    if !style.heading.is_empty() {
        text.push_str(&format!("{}{}\n\n", style.heading, style.text(&title)));
    }
    let mut head = style.b(&headline(items, lang));
    if let Some(id) = mention {
        head.push(' ');
        head.push_str(&style.mention(id));
    }
    text.push_str(&head);
    text.push_str("\n\n");
    let visible = &items[..shown.min(items.len())];
    for kind in KINDS {
        let group: Vec<&AgendaItem<'_>> =
            visible.iter().filter(|i| i.reason.kind() == kind).collect();
        if group.is_empty() {
            continue;
        }
        // A blank line after the heading: DingTalk and WeCom start a list only after one.
        text.push_str(&style.b(&kind_heading(kind, lang)));
        text.push_str("\n\n");
        let mut group = group;
        group.sort_by_key(|i| i.date());
        for item in group {
            let words = words(item, lang);
            let sep = m::COLON.template(lang);
            text.push_str(&format!(
                "- {}{sep}{} · {}\n",
                style.b(&style.text(&item.summary.customer.name)),
                style.text(&words),
                lateness(item.date(), cx.today, lang),
            ));
        }
        text.push('\n');
    }
    let hidden = items.len() - visible.len();
    if hidden > 0 {
        text.push_str(
            &m::DIGEST_MORE
                .with("n", hidden)
                .with("who", who)
                .render(lang),
        );
        text.push('\n');
    }
    (title, text.trim_end().to_string() + "\n")
}

fn cut(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// DingTalk's signature: base64(HMAC-SHA256(key = secret, message = "timestamp\nsecret")).
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Feishu's signature: base64(HMAC-SHA256(key = "timestamp\nsecret", empty message)).
pub fn feishu_sign(secret: &str, timestamp_s: i64) -> String {
    let mac = Hmac::<Sha256>::new_from_slice(format!("{timestamp_s}\n{secret}").as_bytes())
        .expect("HMAC takes a key of any length");
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Percent-encoding of a query value (RFC 3986 unreserved characters kept).
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Why the platform refused a message it answered with 200, from its answer's body:
/// `errcode 310000: keywords not in content`. None when the body says it was accepted.
pub fn rejection(platform: Platform, body: &str) -> Option<String> {
    let v: Value = serde_json::from_str(body).ok()?;
    let (code_key, msg_key) = match platform {
        Platform::DingTalk | Platform::WeCom => ("errcode", "errmsg"),
        Platform::Feishu => ("code", "msg"),
        Platform::Slack | Platform::Markdown => return None,
    };
    let code = v.get(code_key)?.as_i64()?;
    (code != 0).then(|| {
        let msg = v.get(msg_key).and_then(Value::as_str).unwrap_or("");
        format!("{code_key} {code}: {}", one_line(&cut(msg, 200)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dingtalk_signature_matches_a_known_value() {
        // Computed independently: printf '1700000000000\nSECtest' |
        //   openssl dgst -sha256 -hmac SECtest -binary | base64
        assert_eq!(
            dingtalk_sign("SECtest", 1_700_000_000_000),
            KNOWN_DINGTALK_SIGN
        );
        assert_eq!(url_encode("a+b/c=="), "a%2Bb%2Fc%3D%3D");
        // printf '' | openssl dgst -sha256 -hmac "$(printf '1700000000\nSECtest')" -binary | base64
        assert_eq!(
            feishu_sign("SECtest", 1_700_000_000),
            "G7XpBpG8NgG02fJOAhX6FRAObIljmFoxVReo8I62pEk="
        );
    }

    const KNOWN_DINGTALK_SIGN: &str = "aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g=";

    fn summaries(n: usize) -> Vec<crate::model::summary::Summary> {
        (0..n)
            .map(|i| crate::model::summary::Summary {
                path: format!("customers/c{i}.md").into(),
                customer: crate::model::customer::Customer {
                    name: format!("华东精密机械有限公司第{i}分厂"),
                    owner: Some("li.wei".into()),
                    next_action: Some("发送分期付款方案给财务部，并确认评审日期".into()),
                    next_due: "2026-11-20".parse().ok(),
                    ..Default::default()
                },
                contacts: vec![crate::model::summary::Contact {
                    date: "2026-11-01".parse().unwrap(),
                    unanswered: false,
                }],
                open_items: Vec::new(),
                authors: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn a_long_digest_is_cut_to_the_platform_and_says_so() {
        let config = crate::model::config::Config::default();
        let today: NaiveDate = "2026-11-26".parse().unwrap();
        let s = summaries(60);
        let items = crate::engine::agenda::items(&s, &config, today, today, None);
        assert_eq!(items.len(), 120);
        let cx = DigestContext {
            platform: Platform::WeCom,
            lang: Lang::Zh,
            today,
            mention: Some("LiWei"),
            secret: None,
            now_ms: 0,
        };
        let m = message(Some("li.wei"), &items, &cx);
        let v: Value = serde_json::from_str(&m.body).unwrap();
        let content = v["markdown"]["content"].as_str().unwrap();
        assert!(content.len() <= 4096, "{}", content.len());
        assert!(content.contains("共 120 项，逾期 120 项** <@LiWei>"));
        assert!(content.trim_end().ends_with("查看"), "{content}");
        assert!(content.contains("……还有 "));
        // Markdown has no limit: everything is there.
        let md = message(
            Some("li.wei"),
            &items,
            &DigestContext {
                platform: Platform::Markdown,
                ..cx
            },
        );
        assert_eq!(md.body.matches("\n- ").count(), 120);
        // Text from a file cannot mention anyone on Slack or WeCom.
        let mut s = summaries(1);
        s[0].customer.name = "<!channel> <@U999>".into();
        let items = crate::engine::agenda::items(&s, &config, today, today, None);
        let slack = message(
            None,
            &items,
            &DigestContext {
                platform: Platform::Slack,
                ..cx
            },
        );
        assert!(
            slack.body.contains("&lt;!channel&gt; &lt;@U999&gt;"),
            "{}",
            slack.body
        );
        let wecom = message(
            None,
            &items,
            &DigestContext {
                platform: Platform::WeCom,
                ..cx
            },
        );
        assert!(
            wecom.body.contains("＜@U999＞") && !wecom.body.contains("<@U999>"),
            "{}",
            wecom.body
        );
        // Nor post a link or an image where the markup is Markdown.
        let mut s = summaries(1);
        s[0].customer.name = "[Log in](http://phish.example) ![x](http://t.example/p.png)".into();
        let items = crate::engine::agenda::items(&s, &config, today, today, None);
        for platform in [
            Platform::DingTalk,
            Platform::WeCom,
            Platform::Feishu,
            Platform::Markdown,
        ] {
            let m = message(None, &items, &DigestContext { platform, ..cx });
            assert!(
                !m.body.contains("[Log in](") && !m.body.contains("![x]("),
                "{platform:?}: {}",
                m.body
            );
            assert!(m.body.contains("［Log in］"), "{platform:?}: {}", m.body);
        }
    }

    #[test]
    fn platform_errors_in_a_200_are_found() {
        assert_eq!(
            rejection(
                Platform::DingTalk,
                r#"{"errcode":310000,"errmsg":"keywords not in content"}"#
            ),
            Some("errcode 310000: keywords not in content".into())
        );
        assert_eq!(
            rejection(Platform::WeCom, r#"{"errcode":0,"errmsg":"ok"}"#),
            None
        );
        assert_eq!(
            rejection(
                Platform::Feishu,
                r#"{"code":19021,"msg":"sign match fail"}"#
            ),
            Some("code 19021: sign match fail".into())
        );
        assert_eq!(
            rejection(Platform::Feishu, r#"{"code":0,"msg":"success","data":{}}"#),
            None
        );
        assert_eq!(rejection(Platform::Slack, "ok"), None);
    }
}
