//! `followup export …`: the folder in another format. `ics`: the due items as an RFC 5545
//! calendar a phone can subscribe to.

use crate::cli::{ExportCommand, IcsArgs};
use crate::engine::agenda::items;
use crate::error::Result;
use crate::io::store::Store;
use crate::model::config::Lang;
use crate::model::dates::add_days;
use crate::model::record::parse_document;
use crate::model::summary::{Summary, customer_key};
use crate::model::toml_path;
use crate::present::ics::{CalendarItem, calendar};
use crate::present::mask::Masker;
use crate::{Ctx, Output};
use std::collections::HashMap;
use std::path::PathBuf;

pub fn run(command: &ExportCommand, ctx: &Ctx) -> Result<Output> {
    match command {
        ExportCommand::Ics(args) => ics(args, ctx),
    }
}

fn ics(args: &IcsArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    if args.days > 366 {
        return Err(crate::msg::m::E_ICS_DAYS.with("days", args.days).into());
    }
    let until = add_days(ctx.today, i64::from(args.days));
    let summaries = store.load_summaries()?;
    let found = items(&summaries, config, ctx.today, until, args.owner.as_deref());
    let mut contacts: HashMap<PathBuf, Option<String>> = HashMap::new();
    for item in &found {
        if !contacts.contains_key(&item.summary.path) {
            let line = contact_line(&store, item.summary, lang, ctx.reveal)?;
            contacts.insert(item.summary.path.clone(), line);
        }
    }
    let events: Vec<CalendarItem<'_>> = found
        .into_iter()
        .map(|item| CalendarItem {
            contact: contacts.get(&item.summary.path).cloned().flatten(),
            item,
        })
        .collect();
    let name = match (lang, args.owner.as_deref()) {
        (Lang::En, Some(o)) => format!("followup · {o}"),
        (Lang::En, None) => "followup".to_string(),
        (Lang::Zh, Some(o)) => format!("跟进日程 · {o}"),
        (Lang::Zh, None) => "跟进日程".to_string(),
    };
    let text = calendar(&events, config, lang, ctx.today, &name);
    match &args.out {
        Some(path) => {
            crate::io::store::write_file(path, text.as_bytes())?;
            Ok(Output::text(match lang {
                Lang::En => format!("wrote {} events to {}\n", events.len(), path.display()),
                Lang::Zh => format!("已写入 {} 个日程到 {}\n", events.len(), path.display()),
            }))
        }
        // Data, byte for byte: the calendar has CRLF line ends (RFC 5545).
        None => Ok(Output::data(text)),
    }
}

/// "Wang Fang, phone ***1234, email ***": the contact as the calendar shows it, confidential
/// values masked unless `--reveal` (then read from the file or the private overlay).
fn contact_line(
    store: &Store,
    summary: &Summary,
    lang: Lang,
    reveal: bool,
) -> Result<Option<String>> {
    let config = &store.config;
    let Ok(bytes) = store.read(&summary.path) else {
        return Ok(None);
    };
    let Ok((_, doc)) = parse_document(summary.path.clone(), &bytes, config) else {
        return Ok(None);
    };
    let Ok(front) = toml_edit::Document::parse(doc.front_matter()) else {
        return Ok(None);
    };
    let mut values: Vec<(String, String)> = Vec::new();
    for key in [
        "contact.name",
        "contact.title",
        "contact.phone",
        "contact.email",
        "contact.wechat",
    ] {
        if let Some(v) = toml_path::get(front.as_table(), key).and_then(|i| i.as_str()) {
            values.push((key.to_string(), v.to_string()));
        }
    }
    if let Some(overlay) = store.load_overlay()? {
        let key = customer_key(&summary.path, &config.customers_dir);
        for (dotted, value) in overlay.values(&key) {
            if let (true, Some(v)) = (dotted.starts_with("contact."), value.as_str()) {
                values.retain(|(k, _)| *k != dotted);
                values.push((dotted, v.to_string()));
            }
        }
    }
    let masker = Masker::new(config, reveal);
    let get = |key: &str| {
        values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| masker.text(key, v))
    };
    let label = |key: &str| match (key, lang) {
        ("contact.phone", Lang::En) => "phone",
        ("contact.email", Lang::En) => "email",
        ("contact.wechat", Lang::En) => "WeChat",
        ("contact.phone", Lang::Zh) => "电话",
        ("contact.email", Lang::Zh) => "邮箱",
        (_, _) => "微信",
    };
    let mut parts: Vec<String> = Vec::new();
    match (get("contact.name"), get("contact.title")) {
        (Some(n), Some(t)) if lang == Lang::Zh => parts.push(format!("{n}（{t}）")),
        (Some(n), Some(t)) => parts.push(format!("{n} ({t})")),
        (Some(n), None) => parts.push(n),
        (None, _) => {}
    }
    for key in ["contact.phone", "contact.email", "contact.wechat"] {
        if let Some(v) = get(key) {
            parts.push(format!("{} {v}", label(key)));
        }
    }
    let sep = if lang == Lang::Zh { "，" } else { ", " };
    Ok((!parts.is_empty()).then(|| parts.join(sep)))
}
