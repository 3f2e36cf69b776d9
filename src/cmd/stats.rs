//! `followup stats`: the weekly / monthly review as a period-by-metric table (or per owner),
//! with ranked objections, channels, and the customers behind the streak, stale and overdue counts.

use crate::cli::{Period as CliPeriod, StatsArgs, StatsBy};
use crate::cmd::shared::warn_unknown_owner;
use crate::engine::stats::{
    Metrics, Period, Review, Scope, Subject, known_people, metrics_for, owners, review,
    same_person, subjects,
};
use crate::error::{Error, Result};
use crate::model::config::Lang;
use crate::model::dates::parse_date_arg;
use crate::model::record::Record;
use crate::present::i18n::t;
use crate::present::render::{Align, Table, Tone, csv, format_amount, json, paint};
use crate::{Ctx, Output};
use serde::Serialize;

#[derive(Serialize)]
struct OwnerMetrics {
    owner: String,
    #[serde(flatten)]
    metrics: Metrics,
}

#[derive(Serialize)]
struct ReviewJson {
    #[serde(flatten)]
    review: Review,
    #[serde(skip_serializing_if = "Option::is_none")]
    owners: Option<Vec<OwnerMetrics>>,
}

pub fn run(args: &StatsArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    let period = match args.period {
        CliPeriod::Week => Period::Week,
        CliPeriod::Month => Period::Month,
        CliPeriod::Quarter => Period::Quarter,
        CliPeriod::All => Period::All,
    };
    for w in config.role_warnings() {
        store.warn(w);
    }
    let all = store.load_lean()?;
    warn_unknown_owner(&store, args.owner.as_deref(), known_people(&all));
    let records: Vec<Record> = all
        .into_iter()
        .filter(|r| {
            args.owner.as_ref().is_none_or(|o| {
                r.customer
                    .owner
                    .as_deref()
                    .is_some_and(|x| same_person(x, o))
            })
        })
        .collect();
    let date = |d: &Option<String>, what: &str| {
        d.as_deref()
            .map(|d| {
                parse_date_arg(d, ctx.today).map_err(|e| Error::Usage(format!("--{what}: {e}")))
            })
            .transpose()
    };
    let until = date(&args.until, "until")?.unwrap_or(ctx.today);
    let since =
        date(&args.since, "since")?.unwrap_or_else(|| period.default_since(until, &records));
    if since > until {
        return Err(Error::Usage(format!(
            "--since {since} is after --until {until}"
        )));
    }
    let subjects = subjects(&records, ctx.today);
    let refs: Vec<&Subject<'_>> = subjects.iter().collect();
    let review = review(&refs, config, period, since, until, ctx.today);
    let by_owner = args.by.map(|StatsBy::Owner| {
        owners(&records, since, until)
            .into_iter()
            .map(|owner| OwnerMetrics {
                metrics: metrics_for(&refs, config, since, until, ctx.today, Scope::Rep(&owner)),
                owner,
            })
            .collect::<Vec<_>>()
    });
    if ctx.json {
        return Ok(Output::text(json(&ReviewJson {
            review,
            owners: by_owner,
        })));
    }
    if args.csv {
        return Ok(Output::text(csv_rows(&review, period, by_owner.as_deref())));
    }
    let mut out = match lang {
        Lang::En => format!(
            "Review {} … {} by {}",
            review.since, review.until, review.period
        ),
        Lang::Zh => format!(
            "复盘 {} … {}（按{}）",
            review.since,
            review.until,
            zh_period(period)
        ),
    };
    if let Some(o) = &args.owner {
        out.push_str(&format!(" — {o}"));
    }
    out = paint(&out, Tone::Header, ctx.color) + "\n\n";
    let columns: Vec<(String, &Metrics)> = match &by_owner {
        Some(owners) => owners
            .iter()
            .map(|o| {
                (
                    if o.owner.is_empty() {
                        "-".to_string()
                    } else {
                        o.owner.clone()
                    },
                    &o.metrics,
                )
            })
            .collect(),
        None => review
            .periods
            .iter()
            .map(|m| (period.label(parse(&m.start)), m))
            .collect(),
    };
    out.push_str(&metric_table(&columns, &review.total, lang, ctx.color));
    if by_owner.is_none() && review.periods.len() > 1 {
        let entries: Vec<f64> = review.periods.iter().map(|m| m.entries as f64).collect();
        let reach: Vec<f64> = review.periods.iter().map(|m| m.reach_rate).collect();
        out.push_str(&format!(
            "\n{}  {}   {}  {}\n",
            t(lang, "Entries"),
            sparkline(&entries),
            t(lang, "Reach rate"),
            sparkline(&reach)
        ));
    }
    out.push_str(&details(&review.total, lang, ctx.color));
    Ok(Output::text(out))
}

fn parse(date: &str) -> chrono::NaiveDate {
    crate::model::dates::parse_iso(date).unwrap_or_default()
}

fn zh_period(p: Period) -> &'static str {
    match p {
        Period::Week => "周",
        Period::Month => "月",
        Period::Quarter => "季度",
        Period::All => "全部",
    }
}

fn percent(part: f64, defined: bool) -> String {
    if defined {
        format!("{:.0}%", part * 100.0)
    } else {
        "-".to_string()
    }
}

fn days(d: Option<f64>) -> String {
    d.map_or_else(|| "-".to_string(), |d| format!("{d:.1}"))
}

/// Rows are metrics; columns are periods (or owners) and the total.
fn metric_table(
    columns: &[(String, &Metrics)],
    total: &Metrics,
    lang: Lang,
    color: bool,
) -> String {
    type Cell = fn(&Metrics) -> String;
    let rows: [(&'static str, Cell); 15] = [
        ("Entries", |m| m.entries.to_string()),
        ("Touched", |m| m.customers_touched.to_string()),
        ("Reached", |m| m.reached.to_string()),
        ("Unanswered", |m| m.no_answer.to_string()),
        ("Reach rate", |m| percent(m.reach_rate, m.entries > 0)),
        ("Conversion", |m| {
            percent(m.conversion_rate, m.customers_touched > 0)
        }),
        ("Won", |m| m.won.to_string()),
        ("Won amount", |m| format_amount(m.won_amount)),
        ("Avg cycle", |m| days(m.avg_cycle_days)),
        ("Median cycle", |m| days(m.median_cycle_days)),
        ("Lost", |m| m.lost.to_string()),
        ("Win rate", |m| percent(m.win_rate, m.won + m.lost > 0)),
        ("Unanswered streaks", |m| m.unanswered.to_string()),
        ("Stale", |m| m.stale.to_string()),
        ("Overdue", |m| m.overdue.to_string()),
    ];
    let mut headers: Vec<&str> = vec![""];
    headers.extend(columns.iter().map(|(label, _)| label.as_str()));
    headers.push(t(lang, "Total"));
    let mut aligns = vec![Align::Left];
    aligns.extend(std::iter::repeat_n(Align::Right, columns.len() + 1));
    let mut table = Table::new(&headers, &aligns);
    for (label, cell) in rows {
        let mut cells = vec![t(lang, label).to_string()];
        cells.extend(columns.iter().map(|(_, m)| cell(m)));
        cells.push(cell(total));
        table.row(cells, Tone::Plain);
    }
    table.render(color)
}

/// ▁▂▃▄▅▆▇█ for a series, scaled to its maximum.
pub fn sparkline(values: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().fold(0.0, f64::max);
    values
        .iter()
        .map(|v| {
            if max <= 0.0 {
                BARS[0]
            } else {
                BARS[((v / max) * 7.0).round() as usize]
            }
        })
        .collect()
}

fn bar(share: f64) -> String {
    "█".repeat((share * 20.0).round() as usize)
}

fn details(m: &Metrics, lang: Lang, color: bool) -> String {
    let mut out = String::new();
    let heading = |out: &mut String, title: &str| {
        out.push('\n');
        out.push_str(&paint(title, Tone::Header, color));
        out.push('\n');
    };
    if !m.objections.is_empty() {
        heading(&mut out, t(lang, "Objections"));
        let mut table = Table::new(
            &["", t(lang, "Count"), t(lang, "Share"), ""],
            &[Align::Left, Align::Right, Align::Right, Align::Left],
        );
        for o in &m.objections {
            table.row(
                vec![
                    o.category.clone(),
                    o.count.to_string(),
                    percent(o.share, true),
                    bar(o.share),
                ],
                Tone::Plain,
            );
        }
        out.push_str(&indent(&table.render(color)));
    }
    if !m.channels.is_empty() {
        heading(&mut out, t(lang, "Channels"));
        let mut table = Table::new(
            &[
                "",
                t(lang, "Entries"),
                t(lang, "Reached"),
                t(lang, "Reach rate"),
            ],
            &[Align::Left, Align::Right, Align::Right, Align::Right],
        );
        for c in &m.channels {
            table.row(
                vec![
                    c.channel.clone(),
                    c.entries.to_string(),
                    c.reached.to_string(),
                    percent(c.reach_rate, c.entries > 0),
                ],
                Tone::Plain,
            );
        }
        out.push_str(&indent(&table.render(color)));
    }
    let lists: [(&str, &Vec<crate::engine::stats::Named>, &str, &str); 3] = [
        (
            "Unanswered streaks",
            &m.unanswered_customers,
            "in a row",
            "次",
        ),
        (
            "Stale customers",
            &m.stale_customers,
            "days since contact",
            "天未联系",
        ),
        (
            "Overdue today",
            &m.overdue_customers,
            "days overdue",
            "天逾期",
        ),
    ];
    for (title, list, en, zh) in lists {
        if list.is_empty() {
            continue;
        }
        heading(&mut out, &format!("{} ({})", t(lang, title), list.len()));
        let mut table = Table::new(&["", "", ""], &[Align::Left, Align::Right, Align::Left]);
        for n in list {
            let unit = if lang == Lang::Zh { zh } else { en };
            let unit = if lang == Lang::En && n.days_or_count == 1 {
                unit.replace("days", "day")
            } else {
                unit.to_string()
            };
            table.row(
                vec![
                    n.customer.clone(),
                    format!("{} {unit}", n.days_or_count),
                    n.file.clone(),
                ],
                Tone::Plain,
            );
        }
        out.push_str(&indent(
            table
                .render(color)
                .split_once('\n')
                .map_or("", |(_, rest)| rest),
        ));
    }
    if !m.won_customers.is_empty() {
        heading(&mut out, t(lang, "Won"));
        out.push_str(&format!("  {}\n", m.won_customers.join(", ")));
    }
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

fn csv_rows(review: &Review, period: Period, owners: Option<&[OwnerMetrics]>) -> String {
    let headers = [
        "period",
        "start",
        "end",
        "entries",
        "customers_touched",
        "reached",
        "no_answer",
        "reach_rate",
        "conversion_rate",
        "won",
        "won_amount",
        "avg_cycle_days",
        "median_cycle_days",
        "lost",
        "win_rate",
        "unanswered",
        "stale",
        "overdue",
    ];
    let row = |label: String, m: &Metrics| {
        let opt = |v: Option<f64>| v.map(|d| format!("{d:.1}")).unwrap_or_default();
        vec![
            label,
            m.start.clone(),
            m.end.clone(),
            m.entries.to_string(),
            m.customers_touched.to_string(),
            m.reached.to_string(),
            m.no_answer.to_string(),
            format!("{:.4}", m.reach_rate),
            format!("{:.4}", m.conversion_rate),
            m.won.to_string(),
            format_amount(m.won_amount),
            opt(m.avg_cycle_days),
            opt(m.median_cycle_days),
            m.lost.to_string(),
            format!("{:.4}", m.win_rate),
            m.unanswered.to_string(),
            m.stale.to_string(),
            m.overdue.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = match owners {
        Some(owners) => owners
            .iter()
            .map(|o| row(o.owner.clone(), &o.metrics))
            .collect(),
        None => review
            .periods
            .iter()
            .map(|m| row(period.label(parse(&m.start)), m))
            .collect(),
    };
    rows.push(row("total".to_string(), &review.total));
    csv(&headers, &rows)
}
