//! `followup show`: one customer's profile, plan, open items and recent entries, with
//! confidential fields masked unless `--reveal`.

use crate::cli::ShowArgs;
use crate::cmd::shared::unreadable;
use crate::error::{Error, Result};
use crate::model::record::parse_document;
use crate::present::i18n::t;
use crate::present::mask::Masker;
use crate::present::render::{Tone, clean, json, paint};
use crate::{Ctx, Output};
use serde_json::{Map, Value as Json};
use toml_edit::{Item, Value};

pub fn run(args: &ShowArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    let rel = crate::io::resolve::resolve(&store, &args.customer)?;
    let bytes = store.read(&rel)?;
    let (record, doc) =
        parse_document(rel.clone(), &bytes, config).map_err(|u| unreadable(&u, false))?;
    let toml = toml_edit::Document::parse(doc.front_matter())
        .map_err(|e| Error::Refused(format!("{}: {}", rel.display(), e.message())))?;
    let masker = Masker::new(config, ctx.reveal);
    let mut front = table_json(toml.as_table().iter());
    if let Some(overlay) = store.load_overlay()? {
        let key = crate::io::overlay::customer_key(&rel, &config.customers_dir);
        for (dotted, value) in overlay.values(&key) {
            insert_path(&mut front, &dotted, value_json(&value));
        }
    }
    let front = masker.json("", front);
    let open: Vec<Json> = record
        .open_items()
        .map(|(e, f)| {
            serde_json::json!({
                "kind": f.key, "text": f.value, "due": crate::model::entry::due_date(&f.value).map(|d| d.to_string()),
                "entry_date": e.date.to_string(), "line": f.line,
            })
        })
        .collect();
    let recent: Vec<&crate::model::entry::Entry> =
        record.entries.iter().rev().take(args.entries).collect();
    if ctx.json {
        let entries: Vec<Json> = recent
            .iter()
            .rev()
            .map(|e| {
                serde_json::json!({
                    "date": e.date.to_string(), "time": e.time, "channel": e.channel, "author": e.author,
                    "outcome": e.outcome().key(), "text": e.text, "line": e.line,
                    "fields": e.fields.iter().map(|f| serde_json::json!({"key": f.key, "value": masker.field(&f.key, &f.value), "done": f.task, "done_on": crate::model::entry::done_date(&f.value).map(|d| d.to_string())})).collect::<Vec<_>>(),
                })
            })
            .collect();
        return Ok(Output::data(json(&serde_json::json!({
            "customer": record.customer.name,
            "file": rel.display().to_string(),
            "front_matter": front,
            "last_contact": record.last_contact().map(|d| d.to_string()),
            "open_items": open,
            "entries": entries,
            "entry_count": record.entries.len(),
        }))));
    }
    let mut out = String::new();
    let head = format!("{}  ({})", clean(&record.customer.name), rel.display());
    out.push_str(&paint(&head, Tone::Header, ctx.color));
    out.push('\n');
    let mut lines = Vec::new();
    flatten(&front, "", &mut lines);
    let width = lines
        .iter()
        .map(|(k, _)| crate::present::render::width(k))
        .max()
        .unwrap_or(0);
    // The last contact closes the plan, or the profile when there is no plan.
    let last_contact_in = if lines.iter().any(|(k, _)| group_of(k) == Group::Plan) {
        Group::Plan
    } else {
        Group::Profile
    };
    for (title, group) in [
        ("Profile", Group::Profile),
        ("Decision chain", Group::DecisionChain),
        ("Plan", Group::Plan),
        ("Other fields", Group::Other),
    ] {
        let mine: Vec<&(String, String)> =
            lines.iter().filter(|(k, _)| group_of(k) == group).collect();
        if mine.is_empty() {
            continue;
        }
        section(&mut out, t(lang, title), ctx.color);
        if group == Group::DecisionChain
            && let Some(people) = front.get("decision_chain").and_then(Json::as_array)
        {
            for p in people {
                let field =
                    |k: &str| clean(p.get(k).and_then(Json::as_str).unwrap_or("")).into_owned();
                let title = field("title");
                let title = if title.is_empty() {
                    String::new()
                } else {
                    format!(", {title}")
                };
                out.push_str(&format!("  {}{title} — {}\n", field("name"), field("role")));
            }
            continue;
        }
        for (k, v) in mine {
            out.push_str(&format!(
                "  {}{}  {}\n",
                clean(k),
                " ".repeat(width - crate::present::render::width(k)),
                clean(v)
            ));
        }
        if group == last_contact_in
            && let Some(last) = record.last_contact()
        {
            let label = t(lang, "Last contact");
            out.push_str(&format!(
                "  {label}{}  {last} ({})\n",
                " ".repeat(width.saturating_sub(crate::present::render::width(label))),
                crate::engine::due::relative(last, ctx.today, lang)
            ));
        }
    }
    section(&mut out, t(lang, "Open items"), ctx.color);
    if open.is_empty() {
        out.push_str("  -\n");
    }
    for (e, f) in record.open_items() {
        let overdue = crate::model::entry::due_date(&f.value).is_some_and(|d| d < ctx.today);
        let line = format!(
            "  [ ] {}: {}   ({} {}:{})",
            clean(&f.key),
            clean(&masker.field(&f.key, &f.value)),
            e.date,
            rel.display(),
            f.line
        );
        out.push_str(&paint(
            &line,
            if overdue { Tone::Overdue } else { Tone::Plain },
            ctx.color,
        ));
        out.push('\n');
    }
    section(&mut out, t(lang, "Recent entries"), ctx.color);
    for e in recent.iter().rev() {
        let author = e
            .author
            .as_deref()
            .map(|a| format!(" @{a}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {} {}{}\n",
            e.date,
            clean(&crate::present::i18n::channel(lang, &e.channel)),
            clean(&author)
        ));
        for line in e.text.lines() {
            out.push_str(&format!("      {}\n", clean(line)));
        }
        for f in &e.fields {
            let mark = match f.task {
                Some(true) => "[x] ",
                Some(false) => "[ ] ",
                None => "",
            };
            out.push_str(&format!(
                "      - {mark}{}: {}\n",
                clean(&crate::present::i18n::field(lang, &f.key)),
                clean(&masker.field(&f.key, &f.value))
            ));
        }
    }
    if record.entries.len() > recent.len() {
        out.push_str(&format!(
            "  … {} {} {}\n",
            record.entries.len() - recent.len(),
            if lang == crate::model::config::Lang::Zh {
                "条更早的记录见"
            } else {
                "earlier entries in"
            },
            rel.display()
        ));
    }
    Ok(Output::text(out))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Profile,
    DecisionChain,
    Plan,
    Other,
}

/// Which section of `show` a front-matter key belongs to.
fn group_of(key: &str) -> Group {
    let top = key.split(['.', '[']).next().unwrap_or(key);
    match top {
        "name" | "industry" | "owner" | "stage" | "status" | "priority" | "created" | "size"
        | "budget" | "pain_points" | "tags" | "contact" => Group::Profile,
        "decision_chain" => Group::DecisionChain,
        "cadence" | "next" | "deal" | "paused_until" | "obstacle" => Group::Plan,
        _ => Group::Other,
    }
}

fn section(out: &mut String, title: &str, color: bool) {
    out.push('\n');
    out.push_str(&paint(title, Tone::Header, color));
    out.push('\n');
}

fn table_json<'a>(items: impl Iterator<Item = (&'a str, &'a Item)>) -> Json {
    let mut map = Map::new();
    for (key, item) in items {
        map.insert(key.to_string(), item_json(item));
    }
    Json::Object(map)
}

fn item_json(item: &Item) -> Json {
    match item {
        Item::Value(v) => value_json(v),
        Item::Table(t) => table_json(t.iter()),
        Item::ArrayOfTables(a) => Json::Array(a.iter().map(|t| table_json(t.iter())).collect()),
        Item::None => Json::Null,
    }
}

fn value_json(v: &Value) -> Json {
    match v {
        Value::String(s) => Json::String(s.value().clone()),
        Value::Integer(i) => Json::from(*i.value()),
        Value::Float(f) => Json::from(*f.value()),
        Value::Boolean(b) => Json::Bool(*b.value()),
        Value::Datetime(d) => Json::String(d.value().to_string()),
        Value::Array(a) => Json::Array(a.iter().map(value_json).collect()),
        Value::InlineTable(t) => {
            let mut map = Map::new();
            for (k, x) in t.iter() {
                map.insert(k.to_string(), value_json(x));
            }
            Json::Object(map)
        }
    }
}

/// Puts a value at a dotted path of a JSON object, creating objects on the way.
fn insert_path(root: &mut Json, dotted: &str, value: Json) {
    let mut node = root;
    let parts: Vec<&str> = dotted.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let Json::Object(map) = node else { return };
        if i + 1 == parts.len() {
            map.insert((*part).to_string(), value);
            return;
        }
        node = map
            .entry((*part).to_string())
            .or_insert_with(|| Json::Object(Map::new()));
    }
}

/// Flattens JSON into `dotted.key  value` lines for people.
fn flatten(v: &Json, prefix: &str, out: &mut Vec<(String, String)>) {
    match v {
        Json::Object(map) => {
            for (k, x) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(x, &key, out);
            }
        }
        Json::Array(items) if items.iter().any(Json::is_object) => {
            for (i, x) in items.iter().enumerate() {
                flatten(x, &format!("{prefix}[{}]", i + 1), out);
            }
        }
        Json::Array(items) => out.push((
            prefix.to_string(),
            items
                .iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(", "),
        )),
        Json::String(s) => out.push((prefix.to_string(), s.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}
