//! `followup list`: the customers as a table, JSON or CSV, filtered by stage, status, priority,
//! owner or tag.

use crate::cli::ListArgs;
use crate::cmd::shared::warn_unknown_owner;
use crate::error::{Error, Result};
use crate::model::collate;
use crate::model::config::{Config, Lang};
use crate::model::customer::{Priority, Status};
use crate::model::summary::Summary;
use crate::msg::m;
use crate::present::i18n::{self, stage_label};
use crate::present::mask::Masker;
use crate::present::render::{Align, Table, Tone, clean, csv, json};
use crate::{Ctx, Output};
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    name: String,
    file: String,
    owner: Option<String>,
    industry: Option<String>,
    stage: Option<String>,
    status: String,
    priority: String,
    contact: Option<String>,
    last_contact: Option<String>,
    next_action: Option<String>,
    next_due: Option<String>,
    amount: Option<String>,
    tags: Vec<String>,
}

pub fn run(args: &ListArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    let stage = args
        .stage
        .as_deref()
        .map(|s| {
            config.stage_key(s).map(str::to_string).ok_or_else(|| {
                unknown(
                    "--stage",
                    s,
                    m::H_USE_ONE_OF.with("values", config.stage_list()),
                )
            })
        })
        .transpose()?;
    let status = args
        .status
        .as_deref()
        .map(|s| Status::parse(s).ok_or_else(|| unknown("--status", s, m::H_STATUSES.into())))
        .transpose()?;
    let priority = args
        .priority
        .as_deref()
        .map(|p| Priority::parse(p).ok_or_else(|| unknown("--priority", p, m::H_PRIORITIES.into())))
        .transpose()?;
    let all = store.load_summaries()?;
    warn_unknown_owner(
        &store,
        args.owner.as_deref(),
        all.iter().flat_map(Summary::people),
        lang,
    );
    let mut records: Vec<Summary> = all
        .into_iter()
        .filter(|r| {
            let c = &r.customer;
            stage.as_ref().is_none_or(|s| c.stage.as_ref() == Some(s))
                && status.is_none_or(|s| c.status() == s)
                && priority.is_none_or(|p| c.priority() == p)
                && args.owner.as_ref().is_none_or(|o| {
                    c.owner
                        .as_deref()
                        .is_some_and(|x| x.eq_ignore_ascii_case(o))
                })
                && args
                    .tag
                    .as_ref()
                    .is_none_or(|tag| c.tags.iter().any(|x| x.eq_ignore_ascii_case(tag)))
        })
        .collect();
    // By name as people sort them: Chinese by pinyin, Latin letters without case; the file
    // breaks a tie.
    records.sort_by_cached_key(|r| (collate::key(&r.customer.name), r.path.clone()));
    // Every column that shows a front-matter value is masked as its key is.
    let m = Masker::new(config, ctx.reveal);
    let rows: Vec<Row> = records.iter().map(|r| row(r, &m, ctx.today)).collect();
    if ctx.json {
        return Ok(Output::data(json(
            &serde_json::json!({ "customers": rows }),
        )));
    }
    if ctx.csv {
        return Ok(Output::data(csv_text(rows)));
    }
    if rows.is_empty() {
        let filtered = args.stage.is_some()
            || args.status.is_some()
            || args.priority.is_some()
            || args.owner.is_some()
            || args.tag.is_some();
        let text = if filtered {
            m::NO_CUSTOMERS_MATCH.get(lang)
        } else {
            m::NO_CUSTOMERS_YET.get(lang)
        };
        return Ok(Output::text(format!("{text}\n")));
    }
    Ok(Output::text(table_text(&rows, &records, config, lang, ctx)))
}

/// A customer's row, each value masked as its key is.
fn row(r: &Summary, m: &Masker<'_>, today: chrono::NaiveDate) -> Row {
    let c = &r.customer;
    Row {
        name: m.text("name", &c.name),
        file: r.path.display().to_string(),
        owner: m.opt("owner", c.owner.clone()),
        industry: m.opt("industry", c.industry.clone()),
        stage: m.opt("stage", c.stage.clone()),
        status: m.text("status", c.status().key()),
        priority: m.text("priority", c.priority().key()),
        contact: m.opt("contact.name", c.contact_name.clone()),
        last_contact: r.last_contact(today).map(|d| d.to_string()),
        next_action: m.opt("next.action", c.next_action.clone()),
        next_due: m.opt("next.due", c.next_due.map(|d| d.to_string())),
        amount: c.deal_amount.map(|a| m.number("deal.amount", a)),
        tags: c.tags.iter().map(|t| m.text("tags", t)).collect(),
    }
}

/// The rows as CSV: the JSON's keys as headers, tags joined by `;`.
fn csv_text(rows: Vec<Row>) -> String {
    let headers = [
        "name",
        "file",
        "owner",
        "industry",
        "stage",
        "status",
        "priority",
        "contact",
        "last_contact",
        "next_action",
        "next_due",
        "amount",
        "tags",
    ];
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            vec![
                r.name,
                r.file,
                r.owner.unwrap_or_default(),
                r.industry.unwrap_or_default(),
                r.stage.unwrap_or_default(),
                r.status,
                r.priority,
                r.contact.unwrap_or_default(),
                r.last_contact.unwrap_or_default(),
                r.next_action.unwrap_or_default(),
                r.next_due.unwrap_or_default(),
                r.amount.unwrap_or_default(),
                r.tags.join(";"),
            ]
        })
        .collect();
    csv(&headers, &rows)
}

/// The rows as a table for people, coloured by the next action's deadline, and a count.
fn table_text(rows: &[Row], records: &[Summary], config: &Config, lang: Lang, ctx: &Ctx) -> String {
    let headers = [
        m::CUSTOMER.get(lang),
        m::STAGE.get(lang),
        m::STATUS.get(lang),
        m::PRIORITY.get(lang),
        m::OWNER.get(lang),
        m::LAST_CONTACT.get(lang),
        m::NEXT_ACTION.get(lang),
        m::NEXT_DUE.get(lang),
    ];
    let mut table = Table::new(
        &headers.iter().map(String::as_str).collect::<Vec<_>>(),
        &[Align::Left],
    );
    for (r, rec) in rows.iter().zip(records) {
        let tone = match rec.customer.next_due {
            Some(d) if d < ctx.today => Tone::Overdue,
            Some(d) if d == ctx.today => Tone::Today,
            _ => Tone::Plain,
        };
        table.row(
            vec![
                clean(&r.name).into_owned(),
                stage_label(r.stage.as_deref(), config, lang),
                i18n::status(lang, &r.status),
                i18n::priority(lang, &r.priority),
                clean(r.owner.as_deref().unwrap_or_default()).into_owned(),
                r.last_contact.clone().unwrap_or_else(|| "-".into()),
                clean(r.next_action.as_deref().unwrap_or("")).into_owned(),
                r.next_due.clone().unwrap_or_default(),
            ],
            tone,
        );
    }
    table.wrap_to(ctx.width, &[0, 6]);
    let mut out = table.render(ctx.color);
    out.push('\n');
    out.push_str(&m::N_CUSTOMERS.with("n", rows.len()).render(lang));
    out.push('\n');
    out
}

/// `--stage `x` is unknown; use one of: …`.
fn unknown(flag: &str, value: &str, hint: crate::msg::Text) -> Error {
    Error::Text(
        m::MESSAGE_HINT
            .with_text(
                "message",
                m::E_FLAG_UNKNOWN.with("flag", flag).with("value", value),
            )
            .with_text("hint", hint),
    )
}
