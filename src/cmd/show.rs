//! `followup show`: one customer's profile, plan, open items and recent entries, with
//! confidential fields masked unless `--reveal`.

use crate::cli::ShowArgs;
use crate::cmd::shared::unreadable;
use crate::error::{Error, Result};
use crate::model::config::Lang;
use crate::model::record::parse_document;
use crate::msg::m;
use crate::present::i18n;
use crate::present::mask::Masker;
use crate::present::render::{Tone, clean, json, paint, section_heading};
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
    let toml = toml_edit::Document::parse(doc.front_matter()).map_err(|e| {
        Error::Text(
            m::ERR_AT_FILE
                .with("file", rel.display())
                .with_text("message", crate::msg::Text::raw(e.message())),
        )
    })?;
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
                    "fields": e.fields.iter().map(|f| serde_json::json!({"key": f.key, "value": masker.field(f.key, &f.value), "done": f.task, "done_on": crate::model::entry::done_date(&f.value).map(|d| d.to_string())})).collect::<Vec<_>>(),
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
    let view = View {
        config,
        lang,
        today: ctx.today,
        color: ctx.color,
        masker: &masker,
        rel: &rel,
    };
    fields_sections(&mut out, &front, &record, &view);
    open_items_section(&mut out, &record, &view);
    recent_section(&mut out, &recent, &view);
    if record.entries.len() > recent.len() {
        out.push_str(&format!(
            "  … {}\n",
            m::EARLIER_ENTRIES
                .with("n", record.entries.len() - recent.len())
                .with("file", rel.display())
                .render(lang)
        ));
    }
    Ok(Output::text(out))
}

/// How the customer is shown: the settings, the language, today, colour, the masking policy
/// and the file.
struct View<'a> {
    config: &'a crate::model::config::Config,
    lang: Lang,
    today: chrono::NaiveDate,
    color: bool,
    masker: &'a Masker<'a>,
    rel: &'a std::path::Path,
}

/// The front matter by group — profile, decision chain, plan, other fields — each line as
/// people read it, the last contact closing the plan (or the profile).
fn fields_sections(
    out: &mut String,
    front: &Json,
    record: &crate::model::record::Record,
    view: &View<'_>,
) {
    let (config, lang) = (view.config, view.lang);
    let mut lines = Vec::new();
    flatten(front, "", &mut lines);
    let currency = front
        .pointer("/deal/currency")
        .and_then(Json::as_str)
        .filter(|c| !c.starts_with("***"));
    // Each line as people read it: the key's label, the value in the language.
    let lines: Vec<(String, String, String)> = lines
        .into_iter()
        .map(|(k, v)| {
            let shown = value_shown(&k, &v, config, lang, currency, view.today);
            (key_label(&k, lang), shown, k)
        })
        .collect();
    let last_label = m::LAST_CONTACT.get(lang);
    let width = lines
        .iter()
        .filter(|(_, _, k)| group_of(k) != Group::DecisionChain)
        .map(|(label, _, _)| crate::present::render::width(label))
        .chain([crate::present::render::width(&last_label)])
        .max()
        .unwrap_or(0);
    // The last contact closes the plan, or the profile when there is no plan.
    let last_contact_in = if lines.iter().any(|(_, _, k)| group_of(k) == Group::Plan) {
        Group::Plan
    } else {
        Group::Profile
    };
    let pad = |label: &str| " ".repeat(width - crate::present::render::width(label));
    for (title, group) in [
        (m::PROFILE, Group::Profile),
        (m::DECISION_CHAIN, Group::DecisionChain),
        (m::PLAN, Group::Plan),
        (m::OTHER_FIELDS, Group::Other),
    ] {
        let mine: Vec<&(String, String, String)> = lines
            .iter()
            .filter(|(_, _, k)| group_of(k) == group)
            .collect();
        if mine.is_empty() {
            continue;
        }
        section_heading(out, &title.get(lang), view.color);
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
                    m::PERSON_TITLE.with("title", title).render(lang)
                };
                out.push_str(&format!(
                    "  {}{title} — {}\n",
                    field("name"),
                    i18n::role(lang, &field("role"))
                ));
            }
            continue;
        }
        for (label, value, _) in mine {
            out.push_str(&format!("  {label}{}  {}\n", pad(label), clean(value)));
        }
        if group == last_contact_in
            && let Some(last) = record.last_contact()
        {
            let when = m::PAREN
                .with("a", last)
                .with("b", crate::engine::due::relative(last, view.today, lang))
                .render(lang);
            out.push_str(&format!("  {last_label}{}  {when}\n", pad(&last_label)));
        }
    }
}

/// The open promises, assists and to-dos, overdue ones marked.
fn open_items_section(out: &mut String, record: &crate::model::record::Record, view: &View<'_>) {
    let (config, lang, masker, rel) = (view.config, view.lang, view.masker, view.rel);
    section_heading(out, &m::OPEN_ITEMS.get(lang), view.color);
    if record.open_items().next().is_none() {
        out.push_str("  -\n");
    }
    for (_, f) in record.open_items() {
        let overdue = crate::model::entry::due_date(&f.value).is_some_and(|d| d < view.today);
        let line = format!(
            "  [ ] {}   ({}:{})",
            field_shown(
                f.key,
                &masker.field(f.key, &f.value),
                config,
                lang,
                view.today,
                true
            ),
            rel.display(),
            f.line
        );
        out.push_str(&paint(
            &line,
            if overdue { Tone::Overdue } else { Tone::Plain },
            view.color,
        ));
        out.push('\n');
    }
}

/// The latest entries, oldest first.
fn recent_section(out: &mut String, recent: &[&crate::model::entry::Entry], view: &View<'_>) {
    let (config, lang, masker) = (view.config, view.lang, view.masker);
    section_heading(out, &m::RECENT_ENTRIES.get(lang), view.color);
    for e in recent.iter().rev() {
        let author = e.author.map(|a| format!(" @{a}")).unwrap_or_default();
        out.push_str(&format!(
            "  {} {}{}\n",
            e.date,
            clean(&i18n::channel(lang, e.channel)),
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
                "      - {mark}{}\n",
                field_shown(
                    f.key,
                    &masker.field(f.key, &f.value),
                    config,
                    lang,
                    view.today,
                    f.task == Some(false)
                )
            ));
        }
    }
}

/// The label of a front-matter key (`contact.phone` → Phone / 电话); a key the tool does not
/// know as it is written.
fn key_label(key: &str, lang: Lang) -> String {
    let msg = match key {
        "name" => m::K_NAME,
        "industry" => m::INDUSTRY,
        "owner" => m::OWNER,
        "stage" => m::STAGE,
        "status" => m::STATUS,
        "priority" => m::PRIORITY,
        "created" => m::K_CREATED,
        "pain_points" => m::K_PAIN_POINTS,
        "budget" => m::K_BUDGET,
        "size.employees" => m::K_EMPLOYEES,
        "size.revenue" => m::K_REVENUE,
        "tags" => m::TAGS,
        "contact.name" => m::CONTACT,
        "contact.title" => m::K_CONTACT_TITLE,
        "contact.phone" => m::K_PHONE,
        "contact.email" => m::K_EMAIL,
        "contact.wechat" => m::K_WECHAT,
        "cadence" => m::K_CADENCE,
        "next.action" => m::NEXT_ACTION,
        "next.due" => m::NEXT_DUE,
        "deal.amount" => m::AMOUNT,
        "deal.currency" => m::K_CURRENCY,
        "deal.expected_close" => m::K_EXPECTED_CLOSE,
        "deal.obstacle" | "obstacle" => m::K_OBSTACLE,
        "paused_until" => m::K_PAUSED_UNTIL,
        _ => return key.to_string(),
    };
    msg.get(lang)
}

/// A front-matter value in the language: stage, status and priority by their labels, the
/// cadence with its unit, the amount grouped (万 in Chinese) with its currency, the next
/// deadline with how far off it is. A masked value as it is.
fn value_shown(
    key: &str,
    value: &str,
    config: &crate::model::config::Config,
    lang: Lang,
    currency: Option<&str>,
    today: chrono::NaiveDate,
) -> String {
    match key {
        "stage" => i18n::stage_label(Some(value), config, lang),
        "status" => i18n::status(lang, value),
        "priority" => i18n::priority(lang, value),
        "cadence" => crate::model::dates::Duration::parse(value)
            .map_or_else(|_| value.to_string(), |d| i18n::duration(lang, d)),
        "deal.amount" => value
            .parse::<f64>()
            .map_or_else(|_| value.to_string(), |a| i18n::amount(lang, a, currency)),
        "next.due" => match crate::model::dates::parse_iso(value) {
            Some(d) => m::PAREN
                .with("a", value)
                .with_text("b", crate::engine::due::due_phrase(d, today))
                .render(lang),
            None => value.to_string(),
        },
        _ => value.to_string(),
    }
}

/// A log field as people read it: `objection: price — offered instalments` / `异议：价格 —
/// 提出分期付款`, a stage change by its labels, a deadline as `(due DATE)` / `（DATE 到期）`
/// and, for an open item, how far off it is.
fn field_shown(
    key: &str,
    value: &str,
    config: &crate::model::config::Config,
    lang: Lang,
    today: chrono::NaiveDate,
    open: bool,
) -> String {
    use crate::model::entry::{parse_change, split_due, split_objection};
    let (text, due) = split_due(value);
    let text = text.trim();
    let body = match key {
        "objection" => match split_objection(text) {
            (cat, Some(how)) if !how.is_empty() => {
                format!("{} — {how}", i18n::objection(lang, cat))
            }
            (cat, _) => i18n::objection(lang, cat),
        },
        "outcome" => i18n::outcome(lang, text),
        "stage" | "status" => {
            let label = |v: &str| match key {
                "stage" => i18n::stage_label(Some(v), config, lang),
                _ => i18n::status(lang, v),
            };
            match parse_change(text) {
                (Some(old), new) => format!("{} → {}", label(&old), label(&new)),
                (None, new) => label(&new),
            }
        }
        _ => text.to_string(),
    };
    let due = due.map(|d| match crate::model::dates::parse_iso(d) {
        Some(date) if open => m::FIELD_DUE_OPEN
            .with("date", date)
            .with("when", crate::present::reach::lateness(date, today, lang))
            .render(lang),
        _ => m::FIELD_DUE.with("date", d).render(lang),
    });
    let value = match due {
        Some(d) => format!("{body}{d}"),
        None => body,
    };
    clean(
        &m::FIELD_LINE
            .with("key", i18n::field(lang, key))
            .with("value", value)
            .render(lang),
    )
    .into_owned()
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
