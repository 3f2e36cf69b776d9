//! `followup stats`: the weekly / monthly review as a period-by-metric table (or per owner),
//! with ranked objections, channels, and the customers behind the streak, stale and overdue counts.

use crate::cli::{Period as CliPeriod, StatsArgs, StatsBy, StatsFormat};
use crate::cmd::shared::{explain_arg, explain_text, warn_unknown_owner};
use crate::engine::explain::Tracer;
use crate::engine::review::period_review;
use crate::engine::stats::{
    EXPLAINABLE, Metrics, Period, Review, Scope, Subject, known_people, metrics_for,
    metrics_traced, owners, review, same_person, subjects,
};
use crate::error::{Error, Result};
use crate::model::config::{Config, Lang};
use crate::model::dates::parse_date_arg;
use crate::model::record::Record;
use crate::present::i18n::t;
use crate::present::mask::Masker;
use crate::present::render::{Align, Table, Tone, clean, csv, format_money, json, mask, paint};
use crate::present::report::{Report, markdown};
use crate::{Ctx, Output};
use chrono::NaiveDate;
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
    let format = match (args.format, ctx.json, args.csv) {
        (Some(f), json, csv)
            if (json && f != StatsFormat::Json) || (csv && f != StatsFormat::Csv) =>
        {
            return Err(Error::Usage(
                "--format and --json/--csv ask for different outputs; give one of them".into(),
            ));
        }
        (Some(f), _, _) => f,
        (None, true, _) => StatsFormat::Json,
        (None, false, true) => StatsFormat::Csv,
        (None, false, false) => StatsFormat::Table,
    };
    let subjects = subjects(&records);
    let refs: Vec<&Subject<'_>> = subjects.iter().collect();
    if let Some(text) = &args.explain {
        if !matches!(format, StatsFormat::Table | StatsFormat::Json) {
            return Err(Error::Usage(
                "--explain prints text or JSON; leave out --csv and --format markdown".into(),
            ));
        }
        let (metric, group) = explain_arg(text, &EXPLAINABLE)?;
        return explain(
            &metric,
            group.as_deref(),
            &refs,
            config,
            lang,
            ctx,
            (since, until),
        );
    }
    if format == StatsFormat::Markdown {
        return Ok(Output::text(report(
            &refs, &records, config, lang, ctx, period, since, until,
        )));
    }
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
    let m = Masker::new(config, ctx.reveal);
    if format == StatsFormat::Json {
        let mut data = serde_json::to_value(ReviewJson {
            review,
            owners: by_owner,
        })
        .unwrap_or_default();
        mask_review(&mut data, &m);
        return Ok(Output::data(json(&data)));
    }
    if format == StatsFormat::Csv {
        return Ok(Output::data(csv_rows(
            &review,
            period,
            by_owner.as_deref(),
            &m,
        )));
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
                        clean(&m.text("owner", &o.owner)).into_owned()
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
    out.push_str(&metric_table(&columns, &review.total, lang, ctx.color, &m));
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
    out.push_str(&details(&review.total, lang, ctx.color, &m));
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
    masker: &Masker<'_>,
) -> String {
    type Cell = fn(&Metrics) -> String;
    let rows: [(&'static str, Cell); 21] = [
        ("Entries", |m| m.entries.to_string()),
        ("Touched", |m| m.customers_touched.to_string()),
        ("New customers", |m| m.new_customers.to_string()),
        ("Reached", |m| m.reached.to_string()),
        ("Unanswered", |m| m.no_answer.to_string()),
        ("Reach rate", |m| percent(m.reach_rate, m.entries > 0)),
        ("Conversion", |m| {
            percent(m.conversion_rate, m.customers_touched > 0)
        }),
        ("Won", |m| m.won.to_string()),
        ("Won amount", |m| format_money(m.won_amount)),
        ("Avg cycle", |m| days(m.avg_cycle_days)),
        ("Median cycle", |m| days(m.median_cycle_days)),
        ("Lost", |m| m.lost.to_string()),
        ("Win rate", |m| percent(m.win_rate, m.won + m.lost > 0)),
        ("Unanswered streaks", |m| m.unanswered.to_string()),
        ("Stale", |m| m.stale.to_string()),
        ("Overdue", |m| m.overdue.to_string()),
        ("Promises due", |m| m.promises_due.to_string()),
        ("Promises kept", |m| m.promises_kept.to_string()),
        ("Promise kept rate", |m| {
            percent(m.promise_kept_rate, m.promises_due > 0)
        }),
        ("Overdue promises", |m| m.overdue_promises.to_string()),
        ("Overdue assists", |m| m.overdue_assists.to_string()),
    ];
    let mut headers: Vec<&str> = vec![""];
    headers.extend(columns.iter().map(|(label, _)| label.as_str()));
    headers.push(t(lang, "Total"));
    let mut aligns = vec![Align::Left];
    aligns.extend(std::iter::repeat_n(Align::Right, columns.len() + 1));
    let mut table = Table::new(&headers, &aligns);
    for (label, cell) in rows {
        // The sum of confidential amounts is as confidential as they are.
        let cell = |metrics: &Metrics| match label {
            "Won amount" if masker.hides("deal.amount") => mask(""),
            _ => cell(metrics),
        };
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

fn details(m: &Metrics, lang: Lang, color: bool, masker: &Masker<'_>) -> String {
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
                    clean(&masker.text("name", &n.customer)).into_owned(),
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
    if !m.lost_reasons.is_empty() {
        heading(&mut out, t(lang, "Lost reasons"));
        let mut table = Table::new(
            &["", t(lang, "Count"), t(lang, "Share")],
            &[Align::Left, Align::Right, Align::Right],
        );
        for l in &m.lost_reasons {
            table.row(
                vec![
                    l.reason.clone().unwrap_or_else(|| match lang {
                        Lang::En => "(none given)".to_string(),
                        Lang::Zh => "（未填写）".to_string(),
                    }),
                    l.count.to_string(),
                    percent(l.share, true),
                ],
                Tone::Plain,
            );
        }
        out.push_str(&indent(&table.render(color)));
    }
    if !m.broken_promises.is_empty() {
        heading(
            &mut out,
            &format!(
                "{} ({})",
                t(lang, "Broken promises"),
                m.broken_promises.len()
            ),
        );
        let mut table = Table::new(
            &["", "", "", ""],
            &[Align::Left, Align::Left, Align::Left, Align::Left],
        );
        for b in &m.broken_promises {
            let state = match (&b.done, lang) {
                (None, Lang::En) => format!("due {}, still open", b.due),
                (None, Lang::Zh) => format!("{} 到期，仍未完成", b.due),
                (Some(d), Lang::En) => format!("due {}, done {d}", b.due),
                (Some(d), Lang::Zh) => format!("{} 到期，{d} 才完成", b.due),
            };
            table.row(
                vec![
                    b.customer.clone(),
                    b.text.clone(),
                    state,
                    format!("{}:{}", b.file, b.line),
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
        let names: Vec<String> = m
            .won_customers
            .iter()
            .map(|n| clean(&masker.text("name", n)).into_owned())
            .collect();
        out.push_str(&format!("  {}\n", names.join(", ")));
    }
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

fn csv_rows(
    review: &Review,
    period: Period,
    owners: Option<&[OwnerMetrics]>,
    masker: &Masker<'_>,
) -> String {
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
        "new_customers",
        "promises_due",
        "promises_kept",
        "promise_kept_rate",
        "overdue_promises",
        "overdue_assists",
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
            masker.number("deal.amount", m.won_amount),
            opt(m.avg_cycle_days),
            opt(m.median_cycle_days),
            m.lost.to_string(),
            format!("{:.4}", m.win_rate),
            m.unanswered.to_string(),
            m.stale.to_string(),
            m.overdue.to_string(),
            m.new_customers.to_string(),
            m.promises_due.to_string(),
            m.promises_kept.to_string(),
            format!("{:.4}", m.promise_kept_rate),
            m.overdue_promises.to_string(),
            m.overdue_assists.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = match owners {
        Some(owners) => owners
            .iter()
            .map(|o| row(masker.text("owner", &o.owner), &o.metrics))
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

/// `--format markdown`: the last period of the range reviewed against the one before it, the
/// funnel over the range, and a row per owner (`engine::review`, which the HTML report shares).
#[allow(clippy::too_many_arguments)]
fn report(
    refs: &[&Subject<'_>],
    records: &[Record],
    config: &Config,
    lang: Lang,
    ctx: &Ctx,
    period: Period,
    since: NaiveDate,
    until: NaiveDate,
) -> String {
    let r = period_review(refs, records, config, period, (since, until), ctx.today);
    let label = match period {
        Period::All => match lang {
            Lang::En => "all".to_string(),
            Lang::Zh => "全部".to_string(),
        },
        _ => period.label(period.start_of(r.start)),
    };
    markdown(
        &Report {
            label,
            current: &r.current,
            previous: r
                .previous
                .as_ref()
                .map(|p| (period.label(p.start), &p.metrics)),
            funnel: &r.funnel,
            since: since.to_string(),
            until: until.to_string(),
            owners: &r.owners,
            hide_money: config.hides("deal.amount") && !ctx.reveal,
        },
        config,
        lang,
    )
}

/// `--explain METRIC[:GROUP]`: the metric over [since, until], what it counts, and the file and
/// line of everything behind it.
fn explain(
    metric: &str,
    group: Option<&str>,
    refs: &[&Subject<'_>],
    config: &Config,
    lang: Lang,
    ctx: &Ctx,
    (since, until): (NaiveDate, NaiveDate),
) -> Result<Output> {
    let hide = config.is_confidential("deal.amount") && !ctx.reveal;
    let money = move |a: f64| {
        if hide { mask("") } else { format_money(a) }
    };
    let mut tracer = Tracer::on(metric, lang, money);
    let total = metrics_traced(
        refs,
        config,
        since,
        until,
        ctx.today,
        Scope::All,
        &mut tracer,
    );
    let mut traces = tracer.traces;
    // A group names a row of a list metric: an objection category (or its alias), a channel,
    // a lost reason (`none`: no reason given).
    let group = group.map(|g| match metric {
        "objections" => config
            .objection_key(g)
            .unwrap_or_else(|| g.trim().to_lowercase()),
        "channels" => config.channel_key(g),
        _ => g.trim().to_string(),
    });
    if let Some(g) = &group {
        if !matches!(metric, "objections" | "channels" | "lost_reasons") {
            return Err(Error::Usage(format!(
                "--explain {metric}:{g}: only objections, channels and lost_reasons have groups; use --since and --until to explain one period"
            )));
        }
        traces.retain(|t| {
            t.group
                .as_deref()
                .is_some_and(|x| x.eq_ignore_ascii_case(g))
        });
    }
    let data = serde_json::to_value(&total).unwrap_or_default();
    let value = &data[metric];
    let counted = traces.iter().filter(|t| t.counts == Some(true)).count();
    let shown = match (metric, value) {
        (_, serde_json::Value::Array(_)) => traces.len().to_string(),
        ("won_amount", v) => money(v.as_f64().unwrap_or(0.0)),
        (m, v) if m.ends_with("_rate") => {
            let p = format!("{:.0}%", v.as_f64().unwrap_or(0.0) * 100.0);
            format!("{p} ({counted}/{})", traces.len())
        }
        (m, v) if m.ends_with("_days") => v
            .as_f64()
            .map_or_else(|| "-".to_string(), |d| format!("{d:.1}")),
        (_, v) => v.to_string(),
    };
    let shown_metric = match &group {
        Some(g) => format!("{metric}:{g}"),
        None => metric.to_string(),
    };
    if ctx.json {
        return Ok(Output::data(json(&serde_json::json!({
            "metric": metric,
            "group": group,
            "value": if group.is_some() {
                serde_json::json!(traces.len())
            } else if hide && metric == "won_amount" {
                serde_json::json!(mask(""))
            } else {
                value.clone()
            },
            "since": since.to_string(),
            "until": until.to_string(),
            "items": traces,
        }))));
    }
    let headline = paint(
        &format!("{shown_metric} = {shown}  ({since} … {until})"),
        Tone::Header,
        ctx.color,
    );
    Ok(Output::text(explain_text(
        &headline,
        &about(metric, lang),
        &traces,
        true,
        lang,
    )))
}

/// What a metric counts, in one sentence (docs/stats.md has the full definitions).
fn about(metric: &str, lang: Lang) -> String {
    let (en, zh) = match metric {
        "entries" => (
            "Contact entries in the range (not `note` entries).",
            "期间的跟进记录（不含 note）。",
        ),
        "customers_touched" => (
            "Customers with a contact entry in the range; the line is their first.",
            "期间有跟进记录的客户；行号指向第一条。",
        ),
        "reached" => (
            "Entries whose outcome is reached (the default).",
            "结果为接通（默认）的记录。",
        ),
        "no_answer" => (
            "Entries whose outcome is no-answer, voicemail or busy.",
            "结果为未接、语音信箱或占线的记录。",
        ),
        "reach_rate" => (
            "reached / entries: ✓ reached, ✗ not.",
            "接通数 / 记录数：✓ 接通，✗ 未接通。",
        ),
        "conversion_rate" => (
            "Customers touched whose stage at the range's end is the converted stage or later: ✓ counts, ✗ not; the line is where that stage was read.",
            "期间跟进过、且期末阶段达到转化阶段或之后的客户：✓ 计入，✗ 不计入；行号指向读取该阶段的位置。",
        ),
        "won" => (
            "Customers that became won in the range; the line is the entry that made them won.",
            "期间成交的客户；行号指向使其成交的记录。",
        ),
        "won_amount" => (
            "The deal.amount of the customers won in the range.",
            "期间成交客户的 deal.amount 之和。",
        ),
        "avg_cycle_days" | "median_cycle_days" => (
            "Days from a won customer's first contact to the entry that made it won.",
            "从首次联系到成交记录的天数。",
        ),
        "lost" => (
            "Customers whose status became lost in the range.",
            "期间状态变为丢单的客户。",
        ),
        "win_rate" => (
            "won / (won + lost): ✓ won, ✗ lost.",
            "成交 / (成交 + 丢单)：✓ 成交，✗ 丢单。",
        ),
        "objections" => (
            "Objection fields of the entries in the range (METRIC:CATEGORY for one).",
            "期间记录中的异议字段（用 objections:类别 只看一类）。",
        ),
        "channels" => (
            "Entries per channel (channels:CHANNEL for one): ✓ reached, ✗ not.",
            "按渠道的记录（用 channels:渠道 只看一个）：✓ 接通，✗ 未接通。",
        ),
        "unanswered" => (
            "Customers whose latest contacts all went unanswered, as of the range's end.",
            "截至期末最近连续未接通的客户。",
        ),
        "stale" => (
            "Customers with no contact for rules.stale_after, as of the range's end.",
            "截至期末超过 rules.stale_after 未联系的客户。",
        ),
        "overdue" => (
            "Customers due before the range's end by the rules of `followup due`; the line is the earliest reason.",
            "按 `followup due` 的规则在期末前已到期的客户；行号指向最早的原因。",
        ),
        "new_customers" => (
            "Customers created in the range (`created`, else their first entry).",
            "期间新建的客户（`created`，否则第一条记录的日期）。",
        ),
        "promises_due" => (
            "Promises due in the range, up to yesterday.",
            "期间（截至昨天）到期的承诺。",
        ),
        "promises_kept" => (
            "Promises due in the range ticked by their due date (done DATE on or before it; ticked without a date counts).",
            "期间到期、且在截止日前完成的承诺（done 日期不晚于截止日；已勾选但无日期也算）。",
        ),
        "promise_kept_rate" => (
            "promises_kept / promises_due: ✓ kept, ✗ broken.",
            "按时兑现数 / 到期承诺数：✓ 兑现，✗ 未兑现。",
        ),
        "overdue_promises" => (
            "Promises open at the range's end whose due date is before it.",
            "期末仍未完成且已过截止日的承诺。",
        ),
        "overdue_assists" => (
            "Assists open at the range's end whose due date is before it.",
            "期末仍未完成且已过截止日的协助。",
        ),
        _ => (
            "Why the customers lost in the range were lost: the reason of the entry that made them lost (lost_reasons:REASON for one, `none` for no reason).",
            "期间丢单客户的原因：使其丢单的记录中的 reason（用 lost_reasons:原因 只看一个，none 表示未填）。",
        ),
    };
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh.to_string(),
    }
}

/// Masks what the review shows of confidential keys: `won_amount` (a sum of `deal.amount`),
/// customer names and owners, wherever they are in the data.
fn mask_review(data: &mut serde_json::Value, m: &Masker<'_>) {
    use serde_json::Value as Json;
    match data {
        Json::Object(map) => {
            for (key, value) in map.iter_mut() {
                let dotted = match key.as_str() {
                    "won_amount" => "deal.amount",
                    "customer" | "won_customers" | "lost_customers" => "name",
                    "owner" => "owner",
                    _ => {
                        mask_review(value, m);
                        continue;
                    }
                };
                *value = m.json(dotted, value.take());
            }
        }
        Json::Array(items) => items.iter_mut().for_each(|v| mask_review(v, m)),
        _ => {}
    }
}
