//! `followup due`: the morning list — who must be contacted by today (or within a span) and why.

use crate::cli::DueArgs;
use crate::cmd::shared::warn_unknown_owner;
use crate::engine::due::{DueItem, channel_hint, due_items, relative};
use crate::error::{Error, Result};
use crate::model::config::{Config, Lang};
use crate::model::dates::Duration;
use crate::model::summary::Summary;
use crate::msg::m;
use crate::present::i18n::stage_label;
use crate::present::mask::Masker;
use crate::present::render::{Align, Table, Tone, clean, csv, json};
use crate::{Ctx, Output};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Serialize)]
struct DueJson {
    today: String,
    items: Vec<ItemJson>,
}

/// One due customer as data; every front-matter value masked as its key is.
#[derive(Serialize)]
struct ItemJson {
    customer: String,
    file: String,
    owner: Option<String>,
    stage: Option<String>,
    status: String,
    priority: String,
    due: String,
    overdue_days: i64,
    reasons: Vec<&'static str>,
    last_contact: Option<String>,
    next_action: Option<String>,
    hints: Vec<String>,
    /// Each reason with its own date and a sentence, for people and scripts that want more.
    details: Vec<DetailJson>,
}

#[derive(Serialize)]
struct DetailJson {
    reason: &'static str,
    due: String,
    text: String,
}

pub fn run(args: &DueArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    let until = match &args.within {
        Some(w) => Duration::parse(w)
            .map_err(|e| Error::Text(m::E_FLAG.with("flag", "--within").with_text("detail", e)))?
            .after(ctx.today),
        None => ctx.today,
    };
    let records = store.load_summaries()?;
    warn_unknown_owner(
        &store,
        args.owner.as_deref(),
        records.iter().flat_map(Summary::people),
        lang,
    );
    let items = due_items(&records, config, ctx.today, until, args.owner.as_deref());
    let m = Masker::new(config, ctx.reveal);
    if ctx.json {
        let items = items.iter().map(|i| item_json(i, ctx.today, &m)).collect();
        return Ok(Output::data(json(&DueJson {
            today: ctx.today.to_string(),
            items,
        })));
    }
    if ctx.csv {
        let headers = [
            "customer",
            "file",
            "owner",
            "stage",
            "status",
            "priority",
            "due",
            "overdue_days",
            "reasons",
            "last_contact",
            "next_action",
            "hints",
        ];
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|i| {
                let j = item_json(i, ctx.today, &m);
                vec![
                    j.customer,
                    j.file,
                    j.owner.unwrap_or_default(),
                    j.stage.unwrap_or_default(),
                    j.status,
                    j.priority,
                    j.due,
                    j.overdue_days.to_string(),
                    j.details
                        .iter()
                        .map(|d| d.text.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                    j.last_contact.unwrap_or_default(),
                    j.next_action.unwrap_or_default(),
                    j.hints.join("; "),
                ]
            })
            .collect();
        return Ok(Output::data(csv(&headers, &rows)));
    }
    Ok(Output::text(table(&items, config, lang, ctx, &m)))
}

fn item_json(i: &DueItem<'_>, today: NaiveDate, m: &Masker<'_>) -> ItemJson {
    let c = &i.summary.customer;
    ItemJson {
        customer: m.text("name", &c.name),
        file: i.summary.path.display().to_string(),
        owner: m.opt("owner", c.owner.clone()),
        stage: m.opt("stage", c.stage.clone()),
        status: m.text("status", c.status().key()),
        priority: m.text("priority", c.priority().key()),
        due: i.due.to_string(),
        overdue_days: i.overdue_days,
        reasons: i.reasons.iter().map(crate::engine::due::Reason::kind).fold(
            Vec::new(),
            |mut v, k| {
                if !v.contains(&k) {
                    v.push(k);
                }
                v
            },
        ),
        last_contact: i.summary.last_contact(today).map(|d| d.to_string()),
        next_action: m.opt("next.action", c.next_action.clone()),
        hints: i
            .unanswered_streak
            .map(|s| channel_hint(s, Lang::En))
            .into_iter()
            .collect(),
        details: i
            .reasons
            .iter()
            .map(|r| DetailJson {
                reason: r.kind(),
                due: r.date().to_string(),
                text: r.describe(today, Lang::En),
            })
            .collect(),
    }
}

fn table(items: &[DueItem<'_>], config: &Config, lang: Lang, ctx: &Ctx, m: &Masker<'_>) -> String {
    if items.is_empty() {
        return format!("{}\n", m::NOTHING_DUE.get(lang));
    }
    let headers = [
        m::DUE.get(lang),
        m::CUSTOMER.get(lang),
        m::OWNER.get(lang),
        m::STAGE.get(lang),
        m::NEXT_ACTION.get(lang),
        m::WHY.get(lang),
    ];
    let mut table = Table::new(
        &headers.iter().map(String::as_str).collect::<Vec<_>>(),
        &[Align::Left],
    );
    for i in items {
        let c = &i.summary.customer;
        let tone = match i.overdue_days {
            d if d > 0 => Tone::Overdue,
            0 => Tone::Today,
            _ => Tone::Upcoming,
        };
        let due = match i.overdue_days {
            d if d > 0 => m::OVERDUE_DAYS.with("n", d).render(lang),
            _ => relative(i.due, ctx.today, lang),
        };
        let mut why: Vec<String> = i
            .reasons
            .iter()
            .map(|r| r.describe(ctx.today, lang))
            .collect();
        if let Some(s) = i.unanswered_streak {
            why.push(channel_hint(s, lang));
        }
        table.row(
            vec![
                due,
                clean(&m.text("name", &c.name)).into_owned(),
                clean(&m.opt("owner", c.owner.clone()).unwrap_or_default()).into_owned(),
                stage_label(m.opt("stage", c.stage.clone()).as_deref(), config, lang),
                clean(
                    &m.opt("next.action", c.next_action.clone())
                        .unwrap_or_default(),
                )
                .into_owned(),
                why.iter()
                    .map(|w| clean(w).into_owned())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ],
            tone,
        );
    }
    table.wrap_to(ctx.width, &[1, 4, 5]);
    let mut out = table.render(ctx.color);
    let overdue = items.iter().filter(|i| i.overdue_days > 0).count();
    let today = items.iter().filter(|i| i.overdue_days == 0).count();
    let summary = m::DUE_SUMMARY
        .with("n", items.len())
        .with("overdue", overdue)
        .with("today", today)
        .with("upcoming", items.len() - overdue - today);
    out.push('\n');
    out.push_str(&summary.render(lang));
    out.push('\n');
    out
}
