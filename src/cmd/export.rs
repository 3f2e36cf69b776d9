//! `followup export …`: the folder in another format. `ics`: the due items as an RFC 5545
//! calendar a phone can subscribe to; `sqlite` and `csv` (in `export_tables`): the data as tables.

use crate::cli::{ExportCommand, IcsArgs};
use crate::engine::agenda::items;
use crate::error::Result;
use crate::io::store::Store;
use crate::model::config::Lang;
use crate::model::dates::add_days;
use crate::model::record::parse_document;
use crate::model::summary::{Summary, customer_key};
use crate::model::toml_path;
use crate::msg::m;
use crate::present::ics::{CalendarItem, calendar};
use crate::present::mask::Masker;
use crate::{Ctx, Output};
use std::collections::HashMap;
use std::path::PathBuf;

pub fn run(command: &ExportCommand, ctx: &Ctx) -> Result<Output> {
    match command {
        ExportCommand::Ics(args) => ics(args, ctx),
        ExportCommand::Sqlite(args) => crate::cmd::export_tables::sqlite(args, ctx),
        ExportCommand::Csv(args) => crate::cmd::export_tables::csv(args, ctx),
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
    let name = match args.owner.as_deref() {
        Some(o) => m::CALENDAR_OWNER.with("owner", o).render(lang),
        None => m::CALENDAR.get(lang),
    };
    let text = calendar(&events, config, lang, ctx.today, &name);
    match &args.out {
        Some(path) => {
            crate::io::store::write_file(path, text.as_bytes())?;
            Ok(Output::text(
                m::WROTE_EVENTS
                    .with("n", events.len())
                    .with("file", path.display())
                    .render(lang)
                    + "\n",
            ))
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
    let label = |key: &str| match key {
        "contact.phone" => m::ICS_PHONE.get(lang),
        "contact.email" => m::ICS_EMAIL.get(lang),
        _ => m::ICS_WECHAT.get(lang),
    };
    let mut parts: Vec<String> = Vec::new();
    match (get("contact.name"), get("contact.title")) {
        (Some(n), Some(t)) => parts.push(m::PAREN.with("a", n).with("b", t).render(lang)),
        (Some(n), None) => parts.push(n),
        (None, _) => {}
    }
    for key in ["contact.phone", "contact.email", "contact.wechat"] {
        if let Some(v) = get(key) {
            parts.push(format!("{} {v}", label(key)));
        }
    }
    let sep = m::COMMA.template(lang);
    Ok((!parts.is_empty()).then(|| parts.join(sep)))
}
