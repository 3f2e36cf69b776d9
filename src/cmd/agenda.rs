//! `followup agenda`: day by day what falls due — next actions, promises, assists and cadence
//! dates — with what is already overdue first, under its own heading.

use crate::cli::AgendaArgs;
use crate::cmd::shared::warn_unknown_owner;
use crate::engine::agenda::{AgendaItem, agenda};
use crate::error::Result;
use crate::model::config::{Config, Lang};
use crate::model::dates::add_days;
use crate::model::summary::Summary;
use crate::msg::m;
use crate::present::i18n::stage_label;
use crate::present::reach::{day_heading, kind_label, lateness, one_line, what, words};
use crate::present::render::{Tone, json, paint, width};
use crate::{Ctx, Output};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Serialize)]
struct AgendaJson {
    today: String,
    until: String,
    overdue: Vec<ItemJson>,
    days: Vec<DayJson>,
}

#[derive(Serialize)]
struct DayJson {
    date: String,
    items: Vec<ItemJson>,
}

#[derive(Serialize)]
struct ItemJson {
    date: String,
    overdue_days: i64,
    customer: String,
    file: String,
    owner: Option<String>,
    stage: Option<String>,
    priority: &'static str,
    /// `next-action`, `promise`, `assist`, `task` or `cadence` (the due engine's reason kinds).
    reason: &'static str,
    /// The item's own words; null for a cadence date.
    text: Option<String>,
    /// The item in an English sentence.
    description: String,
    /// The item's stable identity (the calendar export's UID).
    uid: String,
}

pub fn run(args: &AgendaArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    let until = span_end(args, ctx.today)?;
    let summaries = store.load_summaries()?;
    warn_unknown_owner(
        &store,
        args.owner.as_deref(),
        summaries.iter().flat_map(Summary::people),
        lang,
    );
    let agenda = agenda(&summaries, config, ctx.today, until, args.owner.as_deref());
    if ctx.json {
        let item = |i: &AgendaItem<'_>| item_json(i, config);
        return Ok(Output::data(json(&AgendaJson {
            today: ctx.today.to_string(),
            until: until.to_string(),
            overdue: agenda.overdue.iter().map(item).collect(),
            days: agenda
                .days
                .iter()
                .map(|(d, items)| DayJson {
                    date: d.to_string(),
                    items: items.iter().map(item).collect(),
                })
                .collect(),
        })));
    }
    let all: Vec<&AgendaItem<'_>> = agenda
        .overdue
        .iter()
        .chain(agenda.days.iter().flat_map(|(_, l)| l))
        .collect();
    if all.is_empty() {
        let none = m::AGENDA_NOTHING.with("until", until).render(lang);
        return Ok(Output::text(none + "\n"));
    }
    let cols = Columns::of(&all, &agenda.overdue, lang, ctx.today);
    let mut out = String::new();
    if !agenda.overdue.is_empty() {
        let head = m::AGENDA_OVERDUE
            .with("n", agenda.overdue.len())
            .render(lang);
        out.push_str(&paint(&head, Tone::Overdue, ctx.color));
        out.push('\n');
        for item in &agenda.overdue {
            out.push_str(&cols.line(item, true, config, lang, ctx.today));
        }
    }
    for (date, items) in &agenda.days {
        if !out.is_empty() {
            out.push('\n');
        }
        let tone = if *date == ctx.today {
            Tone::Today
        } else {
            Tone::Header
        };
        out.push_str(&paint(
            &day_heading(*date, ctx.today, lang),
            tone,
            ctx.color,
        ));
        out.push('\n');
        for item in items {
            out.push_str(&cols.line(item, false, config, lang, ctx.today));
        }
    }
    let overdue = agenda.overdue.len();
    let today = agenda
        .days
        .first()
        .filter(|(d, _)| *d == ctx.today)
        .map_or(0, |(_, l)| l.len());
    let later = all.len() - overdue - today;
    out.push('\n');
    out.push_str(
        &m::AGENDA_SUMMARY
            .with("n", all.len())
            .with("until", until)
            .with("overdue", overdue)
            .with("today", today)
            .with("later", later)
            .render(lang),
    );
    out.push('\n');
    Ok(Output::text(out))
}

/// The last day shown: `--week` ends on Sunday, `--days N` after N days (today is day 1).
fn span_end(args: &AgendaArgs, today: NaiveDate) -> Result<NaiveDate> {
    if args.week {
        let left = 6 - i64::from(today.weekday().num_days_from_monday());
        return Ok(add_days(today, left));
    }
    let days = args.days.unwrap_or(7);
    if !(1..=366).contains(&days) {
        return Err(m::E_AGENDA_DAYS.with("days", days).into());
    }
    Ok(add_days(today, i64::from(days) - 1))
}

/// Column widths shared by every section, so the whole agenda lines up.
struct Columns {
    late: usize,
    customer: usize,
    owner: usize,
    kind: usize,
}

impl Columns {
    /// Widths over the items; `late` over the overdue ones only.
    fn of(
        items: &[&AgendaItem<'_>],
        overdue: &[AgendaItem<'_>],
        lang: Lang,
        today: NaiveDate,
    ) -> Columns {
        let max = |f: &dyn Fn(&AgendaItem<'_>) -> String| {
            items.iter().map(|i| width(&f(i))).max().unwrap_or(0)
        };
        Columns {
            late: overdue
                .iter()
                .map(|i| width(&lateness(i.date(), today, lang)))
                .max()
                .unwrap_or(0),
            customer: max(&|i| one_line(&i.summary.customer.name)),
            owner: max(&|i| one_line(i.summary.customer.owner.as_deref().unwrap_or(""))),
            kind: max(&|i| kind_label(i.reason.kind(), lang).to_string()),
        }
    }

    fn line(
        &self,
        item: &AgendaItem<'_>,
        overdue: bool,
        config: &Config,
        lang: Lang,
        today: NaiveDate,
    ) -> String {
        let pad =
            |text: &str, w: usize| format!("{text}{}", " ".repeat(w.saturating_sub(width(text))));
        let c = &item.summary.customer;
        let mut cells = vec![String::new()];
        if overdue {
            cells.push(pad(&lateness(item.date(), today, lang), self.late));
        }
        cells.push(pad(&one_line(&c.name), self.customer));
        cells.push(pad(&one_line(c.owner.as_deref().unwrap_or("")), self.owner));
        cells.push(pad(&kind_label(item.reason.kind(), lang), self.kind));
        let mut words = one_line(&words(item, lang));
        if let Some(stage) = c.stage.as_deref()
            && item.reason.kind() == "cadence"
        {
            let stage = stage_label(Some(stage), config, lang);
            words = m::PAREN.with("a", words).with("b", stage).render(lang);
        }
        cells.push(words);
        format!("{}\n", cells.join("  ").trim_end())
    }
}

fn item_json(i: &AgendaItem<'_>, config: &Config) -> ItemJson {
    let c = &i.summary.customer;
    ItemJson {
        date: i.date().to_string(),
        overdue_days: i.overdue_days,
        customer: c.name.clone(),
        file: i.summary.path.display().to_string(),
        owner: c.owner.clone(),
        stage: c.stage.clone(),
        priority: c.priority().key(),
        reason: i.reason.kind(),
        text: i.text().map(str::to_string),
        description: what(i, Lang::En),
        uid: i.uid(&config.customers_dir),
    }
}
