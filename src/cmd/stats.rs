//! `followup stats`: the weekly / monthly review as a period-by-metric table (or per owner),
//! with ranked objections, channels, and the customers behind the streak, stale and overdue counts.

use crate::cli::{Period as CliPeriod, StatsArgs, StatsBy, StatsFormat};
use crate::cmd::shared::{
    check_range, date_flag, explain_arg, explain_text, owned_by, warn_unknown_owner,
};
use crate::engine::explain::Tracer;
use crate::engine::review::period_review;
use crate::engine::stats::{
    EXPLAINABLE, Metrics, Period, Review, ReviewFold, Scope, Subject, known_people, metrics_traced,
    subjects,
};
use crate::error::Result;
use crate::model::config::{Config, Lang};
use crate::model::dates::add_days;
use crate::model::record::Record;
use crate::msg::m;
use crate::present::i18n;
use crate::present::mask::Masker;
use crate::present::render::{
    Align, Table, Tone, clean, csv, indent, json, mask, paint, section_heading,
};
use crate::present::report::{Report, markdown, points_between};
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
        store.warn_text(w);
    }
    if args.last.is_some() && args.since.is_some() {
        return Err(m::E_LAST_WITH_SINCE.into());
    }
    let until = date_flag(args.until.as_deref(), "--until", ctx.today)?.unwrap_or(ctx.today);
    let since = date_flag(args.since.as_deref(), "--since", ctx.today)?;
    let format = format_of(args, ctx)?;
    let ctx = &Ctx {
        json: format == StatsFormat::Json,
        ..ctx.clone()
    };
    if args.explain.is_some() || format == StatsFormat::Markdown {
        return whole(args, ctx, &store, (period, since, until), format);
    }
    let counted = |r: &Record| owned_by(r, args.owner.as_deref());
    let (since, window) = match since {
        None if period == Period::All => {
            // The range starts at the first contact: one pass to find it, folding only dates.
            let first = store.fold_lean(
                || None,
                |first: &mut Option<NaiveDate>, r| {
                    if counted(&r) {
                        *first = (*first).into_iter().chain(r.first_contact()).min();
                    }
                },
                |a, b| a.into_iter().chain(b).min(),
            )?;
            (period.since_first_contact(until, first), Window::Range)
        }
        since => window(args, period, until, since, &[]),
    };
    check_range(since, until)?;
    let by_owner = args.by.is_some();
    let fold = store.fold_lean(
        || ReviewFold::new(config, (period, since, until), ctx.today, by_owner),
        |fold, r| fold.add(&r, counted(&r)),
        ReviewFold::merge,
    )?;
    warn_unknown_owner(&store, args.owner.as_deref(), fold.people(), lang);
    let (review, by_owner) = fold.finish();
    let by_owner = by_owner.map(|reps| {
        reps.into_iter()
            .map(|(owner, metrics)| OwnerMetrics { owner, metrics })
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
    Ok(Output::text(table_text(
        args,
        &review,
        by_owner.as_deref(),
        (period, window),
        (since, until),
        lang,
        ctx.color,
        &m,
    )))
}

/// `--explain` and the Markdown report: they read every customer's lean log at once (the
/// traces and the report's lists point into them).
fn whole(
    args: &StatsArgs,
    ctx: &Ctx,
    store: &crate::io::store::Store,
    (period, since, until): (Period, Option<NaiveDate>, NaiveDate),
    format: StatsFormat,
) -> Result<Output> {
    let config = &store.config;
    let lang = ctx.lang(store);
    let all = store.load_lean()?;
    warn_unknown_owner(store, args.owner.as_deref(), known_people(&all), lang);
    let records: Vec<Record> = all
        .into_iter()
        .filter(|r| owned_by(r, args.owner.as_deref()))
        .collect();
    let (since, _) = window(args, period, until, since, &records);
    check_range(since, until)?;
    let subjects = subjects(&records);
    let refs: Vec<&Subject<'_>> = subjects.iter().collect();
    if let Some(text) = &args.explain {
        if !matches!(format, StatsFormat::Table | StatsFormat::Json) {
            return Err(m::E_EXPLAIN_FORMAT.into());
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
    Ok(Output::text(report(
        &refs, &records, config, lang, ctx, period, since, until,
    )))
}

/// The first day of the review and how its window was chosen: an explicit range, or the
/// review — this period beside the one before (or the last N periods), ending with the one that
/// holds `until`.
fn window(
    args: &StatsArgs,
    period: Period,
    until: NaiveDate,
    since: Option<NaiveDate>,
    records: &[Record],
) -> (NaiveDate, Window) {
    match since {
        Some(since) => (since, Window::Range),
        None if period == Period::All => (period.default_since(until, records), Window::Range),
        None => {
            let n = args.last.unwrap_or(2).clamp(1, 520);
            let window = match (args.last, args.by) {
                (_, Some(StatsBy::Owner)) if args.last.is_none() => Window::Current,
                (None, _) => Window::Compare,
                (Some(_), _) => Window::Last(n),
            };
            let n = if window == Window::Current { 1 } else { n };
            let mut start = period.start_of(until);
            for _ in 1..n {
                start = period.start_of(add_days(start, -1));
            }
            (start, window)
        }
    }
}

/// The one output format asked for, `--json`/`--csv` and the global `--json` included.
fn format_of(args: &StatsArgs, ctx: &Ctx) -> Result<StatsFormat> {
    let asked = [
        args.format.map(|f| match f {
            StatsFormat::Table => "table",
            StatsFormat::Json => "json",
            StatsFormat::Csv => "csv",
            StatsFormat::Markdown => "markdown",
        }),
        args.json.then_some("json"),
        args.csv.then_some("csv"),
        ctx.json.then_some("json"),
    ];
    Ok(match crate::cmd::shared::one_format(&asked)? {
        "json" => StatsFormat::Json,
        "csv" => StatsFormat::Csv,
        "markdown" => StatsFormat::Markdown,
        _ => StatsFormat::Table,
    })
}

/// The review as tables: the heading, the metrics per column, the trend, and the lists.
#[allow(clippy::too_many_arguments)]
fn table_text(
    args: &StatsArgs,
    review: &Review,
    by_owner: Option<&[OwnerMetrics]>,
    (period, window): (Period, Window),
    (since, until): (NaiveDate, NaiveDate),
    lang: Lang,
    color: bool,
    m: &Masker<'_>,
) -> String {
    let by_owner_label = args.owner.as_deref();
    let mut out = paint(
        &heading(
            period,
            window,
            (since, until),
            review,
            by_owner.is_some(),
            by_owner_label,
            lang,
        ),
        Tone::Header,
        color,
    ) + "\n\n";
    let columns: Vec<(String, &Metrics)> = match &by_owner {
        Some(owners) => owners
            .iter()
            .map(|o| {
                (
                    if o.owner.is_empty() {
                        m::NO_OWNER.get(lang)
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
            .map(|x| (column_label(period, x, lang), x))
            .collect(),
    };
    let compare = window == Window::Compare && by_owner.is_none() && review.periods.len() == 2;
    out.push_str(&metric_table(
        &columns,
        &review.total,
        compare,
        lang,
        color,
        m,
    ));
    if by_owner.is_none() && review.periods.len() > 2 {
        let entries: Vec<f64> = review.periods.iter().map(|m| m.entries as f64).collect();
        let reach: Vec<f64> = review.periods.iter().map(|m| m.reach_rate).collect();
        out.push_str(&format!(
            "\n{}  {}   {}  {}\n",
            m::ENTRIES.get(lang),
            sparkline(&entries),
            m::REACH_RATE.get(lang),
            sparkline(&reach)
        ));
    }
    // The lists below are the review's: the current period when it is compared with the one
    // before, else the whole range.
    let listed = match (compare, review.periods.last()) {
        (true, Some(current)) => {
            out.push('\n');
            out.push_str(
                &m::LISTS_ARE_FOR
                    .with("period", column_label(period, current, lang))
                    .render(lang),
            );
            out.push('\n');
            current
        }
        _ => &review.total,
    };
    out.push_str(&details(listed, lang, color, m));
    out
}

/// How the window was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Window {
    /// `--since` (or `--period all`): one column per period of the range.
    Range,
    /// The default: this period beside the one before.
    Compare,
    /// `--last N`: the last N periods.
    Last(u32),
    /// `--by owner` without a range: this period, one column per owner.
    Current,
}

/// The line above the table: what the columns are.
fn heading(
    period: Period,
    window: Window,
    (since, until): (NaiveDate, NaiveDate),
    review: &Review,
    by_owner: bool,
    owner: Option<&str>,
    lang: Lang,
) -> String {
    let unit = period_unit(period);
    let range = m::RANGE.with("since", since).with("until", until);
    let current = review
        .periods
        .last()
        .map(|p| column_label(period, p, lang))
        .unwrap_or_default();
    let text = match (window, by_owner) {
        (Window::Compare, false) => m::REVIEW_COMPARE
            .with("current", current)
            .with_text("unit", unit),
        (Window::Current, true) => m::REVIEW_CURRENT_BY_OWNER.with("current", current),
        (Window::Last(n), false) => m::REVIEW_LAST
            .with("n", n)
            .with_text("units", period_units(period, n))
            .with_text("range", range)
            .with_text("unit", unit),
        (_, true) => m::REVIEW_BY_OWNER.with_text("range", range),
        (_, false) if period == Period::All => m::REVIEW_ALL.with_text("range", range),
        (_, false) => m::REVIEW_RANGE
            .with_text("range", range)
            .with_text("unit", unit),
    };
    match owner {
        Some(o) => m::REVIEW_FOR_OWNER
            .with_text("review", text)
            .with("owner", o)
            .render(lang),
        None => text.render(lang),
    }
}

fn period_unit(period: Period) -> crate::msg::Msg {
    match period {
        Period::Week => m::UNIT_WEEK,
        Period::Month => m::UNIT_MONTH,
        Period::Quarter => m::UNIT_QUARTER,
        Period::All => m::UNIT_ALL,
    }
}

fn period_units(period: Period, n: u32) -> crate::msg::Text {
    match period {
        Period::Week => m::N_WEEKS.with("n", n),
        Period::Month => m::N_MONTHS.with("n", n),
        Period::Quarter => m::N_QUARTERS.with("n", n),
        Period::All => m::UNIT_ALL.into(),
    }
}

/// A column's heading: `2026-W48 (11-23…11-29)` for a week (Monday to Sunday, whatever part
/// of it the range covers), `2026-11`, `2026-Q4`, or `all`.
fn column_label(period: Period, metrics: &Metrics, lang: Lang) -> String {
    let start = period.start_of(parse(&metrics.start));
    match period {
        Period::Week => format!(
            "{} ({}…{})",
            period.label(start),
            start.format("%m-%d"),
            add_days(start, 6).format("%m-%d")
        ),
        Period::All => m::UNIT_ALL.get(lang),
        _ => period.label(start),
    }
}

fn parse(date: &str) -> chrono::NaiveDate {
    crate::model::dates::parse_iso(date).unwrap_or_default()
}

fn percent(part: f64, defined: bool) -> String {
    if defined {
        format!("{:.0}%", part * 100.0)
    } else {
        "-".to_string()
    }
}

/// What a row of the review holds, so its cells and its change are shown alike.
#[derive(Clone, Copy)]
enum Cell {
    Count(fn(&Metrics) -> usize),
    /// The rate and whether it is defined (a rate of nothing is `-`).
    Rate(fn(&Metrics) -> (f64, bool)),
    Money(fn(&Metrics) -> f64),
    Days(fn(&Metrics) -> Option<f64>),
}

/// The rows of the review, in order.
const ROWS: [(crate::msg::Msg, Cell); 21] = [
    (m::ENTRIES, Cell::Count(|m| m.entries)),
    (m::TOUCHED, Cell::Count(|m| m.customers_touched)),
    (m::NEW_CUSTOMERS, Cell::Count(|m| m.new_customers)),
    (m::REACHED, Cell::Count(|m| m.reached)),
    (m::UNANSWERED, Cell::Count(|m| m.no_answer)),
    (m::REACH_RATE, Cell::Rate(|m| (m.reach_rate, m.entries > 0))),
    (
        m::CONVERSION,
        Cell::Rate(|m| (m.conversion_rate, m.customers_touched > 0)),
    ),
    (m::WON, Cell::Count(|m| m.won)),
    (m::WON_AMOUNT, Cell::Money(|m| m.won_amount)),
    (m::AVG_CYCLE, Cell::Days(|m| m.avg_cycle_days)),
    (m::MEDIAN_CYCLE, Cell::Days(|m| m.median_cycle_days)),
    (m::LOST, Cell::Count(|m| m.lost)),
    (
        m::WIN_RATE,
        Cell::Rate(|m| (m.win_rate, m.won + m.lost > 0)),
    ),
    (m::UNANSWERED_STREAKS, Cell::Count(|m| m.unanswered)),
    (m::STALE, Cell::Count(|m| m.stale)),
    (m::OVERDUE, Cell::Count(|m| m.overdue)),
    (m::PROMISES_DUE, Cell::Count(|m| m.promises_due)),
    (m::PROMISES_KEPT, Cell::Count(|m| m.promises_kept)),
    (
        m::PROMISE_KEPT_RATE,
        Cell::Rate(|m| (m.promise_kept_rate, m.promises_due > 0)),
    ),
    (m::OVERDUE_PROMISES, Cell::Count(|m| m.overdue_promises)),
    (m::OVERDUE_ASSISTS, Cell::Count(|m| m.overdue_assists)),
];

/// A signed difference: `+3`, `-2`, `0`.
fn signed(d: f64, text: &str) -> String {
    if d > 0.0 {
        format!("+{text}")
    } else if d < 0.0 {
        format!("-{text}")
    } else {
        text.to_string()
    }
}

/// Rows are metrics; columns are periods (or owners) and the total — or, for the default
/// review, the period before, this one, and the change between them.
fn metric_table(
    columns: &[(String, &Metrics)],
    total: &Metrics,
    compare: bool,
    lang: Lang,
    color: bool,
    masker: &Masker<'_>,
) -> String {
    let hide_money = masker.hides("deal.amount");
    let show = |cell: Cell, m: &Metrics| match cell {
        Cell::Count(f) => i18n::number(f(m) as f64, 0),
        Cell::Rate(f) => {
            let (r, defined) = f(m);
            percent(r, defined)
        }
        // The sum of confidential amounts is as confidential as they are.
        Cell::Money(_) if hide_money => mask(""),
        Cell::Money(f) => i18n::amount(lang, f(m), None),
        Cell::Days(f) => i18n::days(lang, f(m)),
    };
    let change = |cell: Cell, before: &Metrics, now: &Metrics| match cell {
        Cell::Count(f) => {
            let d = f(now) as f64 - f(before) as f64;
            signed(d, &i18n::number(d.abs(), 0))
        }
        Cell::Rate(f) => match (f(before), f(now)) {
            ((a, true), (b, true)) => {
                let d = points_between(b, a);
                m::POINTS
                    .with("n", signed(d, &i18n::number(d.abs(), 0)))
                    .render(lang)
            }
            _ => "-".to_string(),
        },
        Cell::Money(_) if hide_money => mask(""),
        Cell::Money(f) => {
            let d = f(now) - f(before);
            signed(d, &i18n::amount(lang, d.abs(), None))
        }
        Cell::Days(f) => match (f(before), f(now)) {
            (Some(a), Some(b)) => {
                let d = b - a;
                signed(d, &i18n::days(lang, Some(d.abs())))
            }
            _ => "-".to_string(),
        },
    };
    let last = if compare {
        m::CHANGE.get(lang)
    } else {
        m::TOTAL.get(lang)
    };
    let mut headers: Vec<&str> = vec![""];
    headers.extend(columns.iter().map(|(label, _)| label.as_str()));
    headers.push(&last);
    let mut aligns = vec![Align::Left];
    aligns.extend(std::iter::repeat_n(Align::Right, columns.len() + 1));
    let mut table = Table::new(&headers, &aligns);
    for (label, cell) in ROWS {
        let mut cells = vec![label.get(lang)];
        cells.extend(columns.iter().map(|(_, m)| show(cell, m)));
        match (compare, columns) {
            (true, [(_, before), (_, now)]) => cells.push(change(cell, before, now)),
            _ => cells.push(show(cell, total)),
        }
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
    let (count, share) = (m::COUNT.get(lang), m::SHARE.get(lang));
    activity_tables(&mut out, m, lang, color);
    let lists: [(
        crate::msg::Msg,
        &Vec<crate::engine::stats::Named>,
        crate::msg::Msg,
    ); 3] = [
        (m::UNANSWERED_STREAKS, &m.unanswered_customers, m::IN_A_ROW),
        (m::STALE_CUSTOMERS, &m.stale_customers, m::NO_CONTACT_FOR),
        (m::OVERDUE_TODAY, &m.overdue_customers, m::OVERDUE_DAYS),
    ];
    for (title, list, unit) in lists {
        if list.is_empty() {
            continue;
        }
        section_heading(
            &mut out,
            &m::TITLE_COUNT
                .with_text("title", title)
                .with("n", list.len())
                .render(lang),
            color,
        );
        let mut table = Table::new(&["", "", ""], &[Align::Left, Align::Left, Align::Left]);
        for n in list {
            table.row(
                vec![
                    clean(&masker.text("name", &n.customer)).into_owned(),
                    unit.with("n", n.days_or_count).render(lang),
                    n.file.to_string(),
                ],
                Tone::Plain,
            );
        }
        out.push_str(&indent(&table.render_rows(color)));
    }
    if !m.lost_reasons.is_empty() {
        section_heading(&mut out, &m::LOST_REASONS.get(lang), color);
        let mut table = Table::new(
            &["", &count, &share],
            &[Align::Left, Align::Right, Align::Right],
        );
        for l in &m.lost_reasons {
            table.row(
                vec![
                    l.reason.clone().unwrap_or_else(|| m::NONE_GIVEN.get(lang)),
                    l.count.to_string(),
                    percent(l.share, true),
                ],
                Tone::Plain,
            );
        }
        out.push_str(&indent(&table.render(color)));
    }
    if !m.broken_promises.is_empty() {
        section_heading(
            &mut out,
            &m::TITLE_COUNT
                .with_text("title", m::BROKEN_PROMISES)
                .with("n", m.broken_promises.len())
                .render(lang),
            color,
        );
        let mut table = Table::new(
            &["", "", "", ""],
            &[Align::Left, Align::Left, Align::Left, Align::Left],
        );
        for b in &m.broken_promises {
            let state = match &b.done {
                None => m::PROMISE_OPEN.with("due", &b.due),
                Some(d) => m::PROMISE_LATE.with("due", &b.due).with("done", d),
            }
            .render(lang);
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
        out.push_str(&indent(&table.render_rows(color)));
    }
    if !m.won_customers.is_empty() {
        section_heading(&mut out, &m::WON.get(lang), color);
        let names: Vec<String> = m
            .won_customers
            .iter()
            .map(|n| clean(&masker.text("name", n)).into_owned())
            .collect();
        out.push_str(&format!("  {}\n", crate::msg::list(lang, &names)));
    }
    out
}

/// The objections and the channels of the period, each as a table.
fn activity_tables(out: &mut String, m: &Metrics, lang: Lang, color: bool) {
    let (count, share) = (m::COUNT.get(lang), m::SHARE.get(lang));
    if !m.objections.is_empty() {
        section_heading(out, &m::OBJECTIONS.get(lang), color);
        let mut table = Table::new(
            &["", &count, &share, ""],
            &[Align::Left, Align::Right, Align::Right, Align::Left],
        );
        for o in &m.objections {
            table.row(
                vec![
                    i18n::objection(lang, &o.category),
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
        section_heading(out, &m::CHANNELS.get(lang), color);
        let (entries, reached, rate) = (
            m::ENTRIES.get(lang),
            m::REACHED.get(lang),
            m::REACH_RATE.get(lang),
        );
        let mut table = Table::new(
            &["", &entries, &reached, &rate],
            &[Align::Left, Align::Right, Align::Right, Align::Right],
        );
        for c in &m.channels {
            table.row(
                vec![
                    i18n::channel(lang, &c.channel),
                    c.entries.to_string(),
                    c.reached.to_string(),
                    percent(c.reach_rate, c.entries > 0),
                ],
                Tone::Plain,
            );
        }
        out.push_str(&indent(&table.render(color)));
    }
}

fn csv_rows(
    review: &Review,
    period: Period,
    owners: Option<&[OwnerMetrics]>,
    masker: &Masker<'_>,
) -> String {
    // Canonical English keys as in JSON, except: the first column is `owner` with --by owner,
    // and rates are percents (`_pct`, one decimal) as the table shows them; JSON keeps 0–1.
    let headers = [
        if owners.is_some() { "owner" } else { "period" },
        "start",
        "end",
        "entries",
        "customers_touched",
        "reached",
        "no_answer",
        "reach_rate_pct",
        "conversion_rate_pct",
        "won",
        "won_amount",
        "avg_cycle_days",
        "median_cycle_days",
        "lost",
        "win_rate_pct",
        "unanswered",
        "stale",
        "overdue",
        "new_customers",
        "promises_due",
        "promises_kept",
        "promise_kept_rate_pct",
        "overdue_promises",
        "overdue_assists",
    ];
    // A rate of nothing is an empty cell, as the table's `-`.
    let pct = |r: f64, defined: bool| {
        if defined {
            format!("{:.1}", r * 100.0)
        } else {
            String::new()
        }
    };
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
            pct(m.reach_rate, m.entries > 0),
            pct(m.conversion_rate, m.customers_touched > 0),
            m.won.to_string(),
            masker.number("deal.amount", m.won_amount),
            opt(m.avg_cycle_days),
            opt(m.median_cycle_days),
            m.lost.to_string(),
            pct(m.win_rate, m.won + m.lost > 0),
            m.unanswered.to_string(),
            m.stale.to_string(),
            m.overdue.to_string(),
            m.new_customers.to_string(),
            m.promises_due.to_string(),
            m.promises_kept.to_string(),
            pct(m.promise_kept_rate, m.promises_due > 0),
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
        Period::All => m::UNIT_ALL.get(lang),
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
        if hide {
            mask("")
        } else {
            i18n::amount(lang, a, None)
        }
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
        "channels" => config.channel_key(g).to_string(),
        _ => g.trim().to_string(),
    });
    if let Some(g) = &group {
        if !matches!(metric, "objections" | "channels" | "lost_reasons") {
            return Err(m::E_EXPLAIN_GROUP
                .with("metric", metric)
                .with("group", g)
                .into());
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
        (m, v) if m.ends_with("_days") && !v.is_null() => i18n::days(lang, v.as_f64()),
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
        &about(metric).get(lang),
        &traces,
        true,
        lang,
    )))
}

/// What a metric counts, in one sentence (docs/stats.md has the full definitions).
fn about(metric: &str) -> crate::msg::Msg {
    match metric {
        "entries" => m::ABOUT_ENTRIES,
        "customers_touched" => m::ABOUT_CUSTOMERS_TOUCHED,
        "reached" => m::ABOUT_REACHED,
        "no_answer" => m::ABOUT_NO_ANSWER,
        "reach_rate" => m::ABOUT_REACH_RATE,
        "conversion_rate" => m::ABOUT_CONVERSION_RATE,
        "won" => m::ABOUT_WON,
        "won_amount" => m::ABOUT_WON_AMOUNT,
        "avg_cycle_days" | "median_cycle_days" => m::ABOUT_AVG_CYCLE_DAYS,
        "lost" => m::ABOUT_LOST,
        "win_rate" => m::ABOUT_WIN_RATE,
        "objections" => m::ABOUT_OBJECTIONS,
        "channels" => m::ABOUT_CHANNELS,
        "unanswered" => m::ABOUT_UNANSWERED,
        "stale" => m::ABOUT_STALE,
        "overdue" => m::ABOUT_OVERDUE,
        "new_customers" => m::ABOUT_NEW_CUSTOMERS,
        "promises_due" => m::ABOUT_PROMISES_DUE,
        "promises_kept" => m::ABOUT_PROMISES_KEPT,
        "promise_kept_rate" => m::ABOUT_PROMISE_KEPT_RATE,
        "overdue_promises" => m::ABOUT_OVERDUE_PROMISES,
        "overdue_assists" => m::ABOUT_OVERDUE_ASSISTS,
        _ => m::ABOUT_LOST_REASONS,
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
