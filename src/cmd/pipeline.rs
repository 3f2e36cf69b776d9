//! `followup pipeline`: today's active customers per stage with their amount and weighted
//! amount, the open deals by expected close month (past-due closes and deals without a close
//! date apart), the funnel over a window, per owner on demand, and `--explain` for any number.

use crate::cli::{PipelineArgs, PipelineBy};
use crate::cmd::shared::{
    check_range, date_flag, explain_arg, explain_text, owned_by, warn_unknown_owner,
};
use crate::engine::explain::{Trace, Tracer};
use crate::engine::pipeline::{
    Bucket, EXPLAINABLE, FunnelRow, Snapshot, Sum, by_owner, funnel, snapshot,
};
use crate::engine::stats::{Period, known_people};
use crate::error::{Error, Result};
use crate::model::config::{Config, Lang};
use crate::model::record::Record;
use crate::msg::m;
use crate::present::i18n::t;
use crate::present::render::{
    Align, Table, Tone, csv, format_amount, indent, json, mask, paint, section_heading,
};
use crate::{Ctx, Output};
use serde::Serialize;

#[derive(Serialize)]
struct OwnerJson {
    owner: String,
    #[serde(flatten)]
    snapshot: Snapshot,
    funnel: Vec<FunnelRow>,
}

#[derive(Serialize)]
struct PipelineJson {
    today: String,
    /// The funnel's window.
    since: String,
    until: String,
    #[serde(flatten)]
    snapshot: Snapshot,
    funnel: Vec<FunnelRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owners: Option<Vec<OwnerJson>>,
}

pub fn run(args: &PipelineArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    for w in config.role_warnings() {
        store.warn_text(w);
    }
    let explain = args
        .explain
        .as_deref()
        .map(|e| explain_arg(e, &EXPLAINABLE))
        .transpose()?;
    let all = store.load_lean()?;
    warn_unknown_owner(&store, args.owner.as_deref(), known_people(&all), lang);
    let records: Vec<&Record> = all
        .iter()
        .filter(|r| owned_by(r, args.owner.as_deref()))
        .collect();
    let until = date_flag(args.until.as_deref(), "--until", ctx.today)?.unwrap_or(ctx.today);
    let since = date_flag(args.since.as_deref(), "--since", ctx.today)?
        .unwrap_or_else(|| Period::Month.default_since(until, &all));
    check_range(since, until)?;
    let hide_amounts = config.hides("deal.amount") && !ctx.reveal;
    let mut tracer = match &explain {
        Some((metric, _)) => Tracer::on(metric, lang, move |a| money(a, hide_amounts, lang)),
        None => Tracer::off(),
    };
    let snap = snapshot(&records, config, ctx.today, &mut tracer);
    let funnel_rows = funnel(&records, config, since, until, &mut tracer);
    if snap.currencies.len() > 1 {
        store.warn_text(
            crate::msg::m::W_CURRENCIES
                .with("currencies", crate::msg::list(lang, &snap.currencies)),
        );
    }
    if let Some((metric, group)) = explain {
        return explain_out(
            &metric,
            group.as_deref(),
            tracer.traces,
            &snap,
            &funnel_rows,
            config,
            lang,
            ctx,
            (since, until),
        );
    }
    let owners = (args.by == Some(PipelineBy::Owner)).then(|| {
        by_owner(&records)
            .into_iter()
            .map(|(owner, mine)| OwnerJson {
                snapshot: snapshot(&mine, config, ctx.today, &mut Tracer::off()),
                funnel: funnel(&mine, config, since, until, &mut Tracer::off()),
                owner,
            })
            .collect::<Vec<_>>()
    });
    let data = PipelineJson {
        today: ctx.today.to_string(),
        since: since.to_string(),
        until: until.to_string(),
        snapshot: snap,
        funnel: funnel_rows,
        owners,
    };
    // Sums of a confidential deal.amount are as confidential as the amounts (docs/security.md).
    if ctx.json {
        let mut value = serde_json::to_value(&data).unwrap_or_default();
        if hide_amounts {
            hide_money(&mut value);
        }
        return Ok(Output::data(json(&value)));
    }
    if ctx.csv {
        return Ok(Output::data(csv_rows(&data, hide_amounts)));
    }
    Ok(Output::text(table(&data, args.by, config, lang, ctx)))
}

fn stage_name(key: &str, config: &Config, lang: Lang) -> String {
    crate::present::i18n::stage_label(Some(key), config, lang)
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn days(d: Option<f64>, lang: Lang) -> String {
    crate::present::i18n::days(lang, d)
}

fn table(
    data: &PipelineJson,
    by: Option<PipelineBy>,
    config: &Config,
    lang: Lang,
    ctx: &Ctx,
) -> String {
    let color = ctx.color;
    let snap = &data.snapshot;
    let hide = config.hides("deal.amount") && !ctx.reveal;
    let look = Look {
        config,
        lang,
        color,
        hide,
    };
    let mut out = paint(
        &m::PIPELINE_HEAD.with("today", &data.today).render(lang),
        Tone::Header,
        color,
    );
    out.push_str("\n\n");
    stages_table(&mut out, snap, &look);
    if let Some(owners) = &data.owners {
        owners_table(&mut out, owners, &look);
    }
    section_heading(&mut out, &m::PIPELINE_FORECAST.get(lang), color);
    let open = snap.past_due.sum.customers
        + snap.no_close.sum.customers
        + snap.by_month.iter().map(|m| m.sum.customers).sum::<usize>();
    if open == 0 {
        out.push_str(&format!("  {}\n", m::PIPELINE_NO_OPEN.get(lang)));
    } else {
        out.push_str(&indent(&forecast(snap, by, config, lang, color, hide)));
    }
    if !snap.past_due.deals.is_empty() {
        past_due_table(&mut out, snap, ctx.today, &look);
    }
    funnel_table(&mut out, data, &look);
    apart_line(&mut out, &snap.excluded, lang);
    out
}

/// How the tables are shown: the settings, the language, colour, and whether amounts are
/// masked.
struct Look<'a> {
    config: &'a Config,
    lang: Lang,
    color: bool,
    hide: bool,
}

/// Today's pipeline per stage, with a total.
fn stages_table(out: &mut String, snap: &Snapshot, look: &Look<'_>) {
    let (config, lang, color) = (look.config, look.lang, look.color);
    let format_money = |a: f64| money(a, look.hide, lang);
    let mut stages = Table::new(
        &[
            t(lang, "Stage"),
            t(lang, "Customers"),
            t(lang, "Amount"),
            t(lang, "Probability"),
            t(lang, "Weighted"),
        ],
        &[
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
    );
    for row in &snap.stages {
        stages.row(
            vec![
                stage_name(&row.stage, config, lang),
                row.customers.to_string(),
                format_money(row.amount),
                percent(row.probability),
                format_money(row.weighted),
            ],
            Tone::Plain,
        );
    }
    stages.row(
        vec![
            t(lang, "Total").to_string(),
            snap.total.customers.to_string(),
            format_money(snap.total.amount),
            String::new(),
            format_money(snap.total.weighted),
        ],
        Tone::Plain,
    );
    out.push_str(&stages.render(color));
    let without: usize = snap.stages.iter().map(|s| s.without_amount).sum();
    if without > 0 {
        out.push_str(&m::PIPELINE_WITHOUT_AMOUNT.with("n", without).render(lang));
        out.push('\n');
    }
}

/// `--by owner`: one row per owner.
fn owners_table(out: &mut String, owners: &[OwnerJson], look: &Look<'_>) {
    let (lang, color) = (look.lang, look.color);
    let format_money = |a: f64| money(a, look.hide, lang);
    section_heading(out, t(lang, "By owner"), color);
    let mut table = Table::new(
        &[
            t(lang, "Owner"),
            t(lang, "Customers"),
            t(lang, "Amount"),
            t(lang, "Weighted"),
            t(lang, "Past due"),
            t(lang, "No close date"),
        ],
        &[
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
    );
    for o in owners {
        let s = &o.snapshot;
        table.row(
            vec![
                if o.owner.is_empty() {
                    m::NO_OWNER.get(lang)
                } else {
                    o.owner.clone()
                },
                s.total.customers.to_string(),
                format_money(s.total.amount),
                format_money(s.total.weighted),
                format_money(s.past_due.sum.amount),
                format_money(s.no_close.sum.amount),
            ],
            Tone::Plain,
        );
    }
    out.push_str(&indent(&table.render(color)));
}

/// The open deals whose expected close has passed.
fn past_due_table(out: &mut String, snap: &Snapshot, today: chrono::NaiveDate, look: &Look<'_>) {
    let (config, lang, color) = (look.config, look.lang, look.color);
    let format_money = |a: f64| money(a, look.hide, lang);
    section_heading(
        out,
        &format!(
            "{} ({})",
            t(lang, "Past-due closes"),
            snap.past_due.deals.len()
        ),
        color,
    );
    let mut table = Table::new(
        &["", "", "", "", ""],
        &[
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Left,
        ],
    );
    for d in &snap.past_due.deals {
        let close = d.expected_close.clone().unwrap_or_default();
        let ago = crate::model::dates::parse_iso(&close).map_or(0, |c| (today - c).num_days());
        table.row(
            vec![
                d.customer.clone(),
                stage_name(&d.stage, config, lang),
                m::PAREN
                    .with("a", &close)
                    .with("b", m::DAYS_AGO.with("n", ago).render(lang))
                    .render(lang),
                d.amount.map_or_else(|| "-".to_string(), format_money),
                d.file.clone(),
            ],
            Tone::Overdue,
        );
    }
    out.push_str(&indent(&table.render_rows(color)));
}

/// The funnel over the window.
fn funnel_table(out: &mut String, data: &PipelineJson, look: &Look<'_>) {
    let (config, lang, color) = (look.config, look.lang, look.color);
    section_heading(
        out,
        &m::PIPELINE_FUNNEL
            .with("since", &data.since)
            .with("until", &data.until)
            .render(lang),
        color,
    );
    let mut funnel = Table::new(
        &[
            t(lang, "Stage"),
            t(lang, "Entered"),
            t(lang, "Advanced"),
            t(lang, "Conversion"),
            t(lang, "Median days"),
        ],
        &[
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
    );
    for row in &data.funnel {
        funnel.row(
            vec![
                stage_name(&row.stage, config, lang),
                row.entered.to_string(),
                row.advanced.to_string(),
                match row.conversion {
                    Some(c) if row.entered > 0 => percent(c),
                    _ => "-".to_string(),
                },
                days(row.median_days, lang),
            ],
            Tone::Plain,
        );
    }
    out.push_str(&indent(&funnel.render(color)));
}

/// The customers left out of the pipeline, in one line.
fn apart_line(out: &mut String, x: &crate::engine::pipeline::Excluded, lang: Lang) {
    let mut apart = Vec::new();
    for (n, what) in [
        (x.paused, m::APART_PAUSED),
        (x.won, m::APART_WON),
        (x.lost, m::APART_LOST),
        (x.no_stage, m::APART_NO_STAGE),
    ] {
        if n > 0 {
            apart.push(what.with("n", n).render(lang));
        }
    }
    if !apart.is_empty() {
        out.push('\n');
        out.push_str(
            &m::PIPELINE_APART
                .with("list", apart.join(m::COMMA.template(lang)))
                .render(lang),
        );
        out.push('\n');
    }
}

/// The forecast table: one row per close month (past due first, no close date last); with
/// `--by month`, the amount at each open stage too.
fn forecast(
    snap: &Snapshot,
    by: Option<PipelineBy>,
    config: &Config,
    lang: Lang,
    color: bool,
    hide: bool,
) -> String {
    let format_money = move |a: f64| money(a, hide, lang);
    let by_stage = by == Some(PipelineBy::Month);
    let open: Vec<&str> = config
        .stages
        .iter()
        .enumerate()
        .filter(|(i, _)| config.won_rank().is_none_or(|w| *i < w))
        .map(|(_, s)| s.key.as_str())
        .collect();
    let mut headers: Vec<String> = vec![t(lang, "Month").to_string()];
    if by_stage {
        headers.extend(open.iter().map(|s| stage_name(s, config, lang)));
    }
    headers.extend(
        [t(lang, "Customers"), t(lang, "Amount"), t(lang, "Weighted")]
            .iter()
            .map(|s| (*s).to_string()),
    );
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut aligns = vec![Align::Left];
    aligns.extend(std::iter::repeat_n(Align::Right, refs.len() - 1));
    let mut table = Table::new(&refs, &aligns);
    let mut row =
        |label: String, sum: &Sum, per_stage: &dyn Fn(&str) -> Option<f64>, tone: Tone| {
            let mut cells = vec![label];
            if by_stage {
                cells.extend(
                    open.iter()
                        .map(|s| per_stage(s).map_or_else(String::new, format_money)),
                );
            }
            cells.push(sum.customers.to_string());
            cells.push(format_money(sum.amount));
            cells.push(format_money(sum.weighted));
            table.row(cells, tone);
        };
    let bucket_stage = |b: &Bucket| {
        let deals = b.deals.clone();
        move |s: &str| {
            let v: Vec<f64> = deals
                .iter()
                .filter(|d| d.stage == s)
                .map(|d| d.amount.unwrap_or(0.0))
                .collect();
            (!v.is_empty()).then(|| v.iter().sum())
        }
    };
    if snap.past_due.sum.customers > 0 {
        row(
            t(lang, "Past due").to_string(),
            &snap.past_due.sum,
            &bucket_stage(&snap.past_due),
            Tone::Overdue,
        );
    }
    for m in &snap.by_month {
        let stages = m.stages.clone();
        row(
            m.month.clone(),
            &m.sum,
            &move |s: &str| stages.iter().find(|x| x.stage == s).map(|x| x.sum.amount),
            Tone::Plain,
        );
    }
    if snap.no_close.sum.customers > 0 {
        row(
            t(lang, "No close date").to_string(),
            &snap.no_close.sum,
            &bucket_stage(&snap.no_close),
            Tone::Plain,
        );
    }
    table.render(color)
}

/// One flat CSV for a spreadsheet's pivot table: a row per stage, per close month (and per
/// stage within it), for the past-due and no-close deals, per funnel stage, and per owner.
fn csv_rows(data: &PipelineJson, hide: bool) -> String {
    let format_amount = move |a: f64| {
        if hide { mask("") } else { format_amount(a) }
    };
    let headers = [
        "section",
        "name",
        "stage",
        "customers",
        "amount",
        "weighted",
        "entered",
        "advanced",
        "conversion",
        "median_days",
    ];
    let mut rows: Vec<Vec<String>> = Vec::new();
    let money = |rows: &mut Vec<Vec<String>>, section: &str, name: &str, stage: &str, s: &Sum| {
        rows.push(vec![
            section.to_string(),
            name.to_string(),
            stage.to_string(),
            s.customers.to_string(),
            format_amount(s.amount),
            format_amount(s.weighted),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    };
    let snap = &data.snapshot;
    for s in &snap.stages {
        let sum = Sum {
            customers: s.customers,
            amount: s.amount,
            weighted: s.weighted,
        };
        money(&mut rows, "stage", &s.stage, &s.stage, &sum);
    }
    money(&mut rows, "stage", "total", "", &snap.total);
    money(&mut rows, "month", "past-due", "", &snap.past_due.sum);
    for m in &snap.by_month {
        money(&mut rows, "month", &m.month, "", &m.sum);
        for s in &m.stages {
            money(&mut rows, "month", &m.month, &s.stage, &s.sum);
        }
    }
    money(&mut rows, "month", "no-close", "", &snap.no_close.sum);
    for f in &data.funnel {
        rows.push(vec![
            "funnel".to_string(),
            f.stage.clone(),
            f.stage.clone(),
            String::new(),
            String::new(),
            String::new(),
            f.entered.to_string(),
            f.advanced.to_string(),
            f.conversion.map(|c| format!("{c:.4}")).unwrap_or_default(),
            f.median_days.map(|d| format!("{d:.1}")).unwrap_or_default(),
        ]);
    }
    for o in data.owners.iter().flatten() {
        money(&mut rows, "owner", &o.owner, "", &o.snapshot.total);
    }
    csv(&headers, &rows)
}

/// `--explain`: the number, what it counts, and the lines behind it.
#[allow(clippy::too_many_arguments)]
fn explain_out(
    metric: &str,
    group: Option<&str>,
    mut traces: Vec<Trace>,
    snap: &Snapshot,
    funnel: &[FunnelRow],
    config: &Config,
    lang: Lang,
    ctx: &Ctx,
    (since, until): (chrono::NaiveDate, chrono::NaiveDate),
) -> Result<Output> {
    let group = explain_group(metric, group, config)?;
    if let Some(g) = &group {
        traces.retain(|t| t.group.as_deref() == Some(g.as_str()));
    }
    let hide = config.hides("deal.amount") && !ctx.reveal;
    let (value, value_json) =
        explain_value(metric, group.as_deref(), snap, funnel, config, lang, hide);
    let shown_metric = match &group {
        Some(g) => format!("{metric}:{g}"),
        None => metric.to_string(),
    };
    let about = explain_about(metric, ctx.today, (since, until), lang);
    let mut value_json = value_json;
    if hide
        && matches!(
            metric,
            "amount" | "weighted" | "by_month" | "past_due" | "no_close"
        )
    {
        // The value is an amount itself, or holds amounts (`amount`, `weighted`).
        if value_json.is_number() && matches!(metric, "amount" | "weighted") {
            value_json = serde_json::Value::String(mask(""));
        }
        hide_money(&mut value_json);
    }
    if ctx.json {
        return Ok(Output::data(json(&serde_json::json!({
            "metric": metric,
            "group": group,
            "value": value_json,
            "today": ctx.today.to_string(),
            "since": since.to_string(),
            "until": until.to_string(),
            "items": traces,
        }))));
    }
    let headline = paint(
        &format!("{shown_metric} = {value}"),
        Tone::Header,
        ctx.color,
    );
    Ok(Output::text(explain_text(
        &headline,
        &about,
        &traces,
        group.is_none(),
        lang,
    )))
}

/// The group of `--explain METRIC:GROUP` as the traces name it: a stage's key (from its key,
/// label or alias), or a month as YYYY-MM.
fn explain_group(metric: &str, group: Option<&str>, config: &Config) -> Result<Option<String>> {
    let is_month = matches!(metric, "by_month");
    Ok(match group {
        None => None,
        Some(g) if is_month => Some(g.to_string()),
        Some(g) => Some(
            config
                .stage_key(g)
                .ok_or_else(|| {
                    Error::Text(
                        crate::msg::m::E_EXPLAIN_STAGE
                            .with("metric", metric)
                            .with("group", g)
                            .with(
                                "stages",
                                config
                                    .stages
                                    .iter()
                                    .map(|s| s.key.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            ),
                    )
                })?
                .to_string(),
        ),
    })
}

/// The number `--explain` explains, as the headline shows it and as JSON (amounts unmasked
/// there, like the pipeline's own JSON).
fn explain_value(
    metric: &str,
    group: Option<&str>,
    snap: &Snapshot,
    funnel: &[FunnelRow],
    config: &Config,
    lang: Lang,
    hide: bool,
) -> (String, serde_json::Value) {
    let stage_row = |g: &str| snap.stages.iter().find(|s| s.stage == g);
    let funnel_row = |g: &str| funnel.iter().find(|s| s.stage == g);
    let money = |a: f64| money(a, hide, lang);
    let sum_text = |s: &Sum| {
        m::PIPELINE_SUM
            .with("n", s.customers)
            .with("amount", money(s.amount))
            .with("weighted", money(s.weighted))
            .render(lang)
    };
    let sum_json = |s: &Sum| serde_json::to_value(s).unwrap_or_default();
    match (metric, group) {
        ("customers" | "amount" | "weighted", g) => {
            let sum = match g {
                None => snap.total.clone(),
                Some(g) => stage_row(g).map_or_else(Sum::default, |s| Sum {
                    customers: s.customers,
                    amount: s.amount,
                    weighted: s.weighted,
                }),
            };
            match metric {
                "customers" => (sum.customers.to_string(), serde_json::json!(sum.customers)),
                "amount" => (money(sum.amount), serde_json::json!(sum.amount)),
                _ => (money(sum.weighted), serde_json::json!(sum.weighted)),
            }
        }
        ("by_month", g) => {
            let mut s = Sum::default();
            for m in snap
                .by_month
                .iter()
                .filter(|m| g.is_none_or(|g| m.month == g))
            {
                s.customers += m.sum.customers;
                s.amount += m.sum.amount;
                s.weighted += m.sum.weighted;
            }
            (sum_text(&s), sum_json(&s))
        }
        ("past_due" | "no_close", g) => {
            let b = if metric == "past_due" {
                &snap.past_due
            } else {
                &snap.no_close
            };
            let mut s = Sum::default();
            for d in b.deals.iter().filter(|d| g.is_none_or(|g| d.stage == g)) {
                s.customers += 1;
                s.amount += d.amount.unwrap_or(0.0);
                s.weighted += d.weighted;
            }
            (sum_text(&s), sum_json(&s))
        }
        (_, g) => {
            let rows: Vec<&FunnelRow> = match g {
                Some(g) => funnel_row(g).into_iter().collect(),
                None => funnel.iter().collect(),
            };
            let pair = |r: &FunnelRow| -> (String, serde_json::Value) {
                match metric {
                    "entered" => (r.entered.to_string(), serde_json::json!(r.entered)),
                    "advanced" => (r.advanced.to_string(), serde_json::json!(r.advanced)),
                    "conversion" => (
                        r.conversion.map_or_else(
                            || "-".to_string(),
                            |c| format!("{}/{} = {}", r.advanced, r.entered, percent(c)),
                        ),
                        serde_json::json!(r.conversion),
                    ),
                    _ => (days(r.median_days, lang), serde_json::json!(r.median_days)),
                }
            };
            match (g, rows.as_slice()) {
                (Some(_), [row]) => pair(row),
                _ => {
                    let mut text = Vec::new();
                    let mut per_stage = serde_json::Map::new();
                    for r in &rows {
                        let (t, v) = pair(r);
                        text.push(format!("{} {t}", stage_name(&r.stage, config, lang)));
                        per_stage.insert(r.stage.clone(), v);
                    }
                    (text.join(", "), serde_json::Value::Object(per_stage))
                }
            }
        }
    }
}

/// What the metric counts, in a sentence.
fn explain_about(
    metric: &str,
    today: chrono::NaiveDate,
    (since, until): (chrono::NaiveDate, chrono::NaiveDate),
    lang: Lang,
) -> String {
    let snapshot = m::ACTIVE_ON.with("today", today);
    let window = m::RANGE.with("since", since).with("until", until);
    match metric {
        "customers" => m::EXPLAIN_CUSTOMERS.with_text("snapshot", snapshot),
        "amount" => m::EXPLAIN_AMOUNT.with_text("snapshot", snapshot),
        "weighted" => m::EXPLAIN_WEIGHTED.with_text("snapshot", snapshot),
        "by_month" => m::EXPLAIN_BY_MONTH.into(),
        "past_due" => m::EXPLAIN_PAST_DUE.into(),
        "no_close" => m::EXPLAIN_NO_CLOSE.into(),
        "entered" => m::EXPLAIN_ENTERED.with_text("window", window),
        "advanced" => m::EXPLAIN_ADVANCED
            .with_text("window", window)
            .with("until", until),
        "conversion" => m::EXPLAIN_CONVERSION.with_text("window", window),
        _ => m::EXPLAIN_MEDIAN_DAYS.with_text("window", window),
    }
    .render(lang)
}

/// An amount as shown: `***` when deal.amount is confidential and not revealed.
/// An amount for people: grouped by thousands, in 万 in Chinese (see `i18n::amount`).
fn money(a: f64, hide: bool, lang: Lang) -> String {
    if hide {
        mask("")
    } else {
        crate::present::i18n::amount(lang, a, None)
    }
}

/// Every amount in the data (the values of `amount` and `weighted` keys) masked.
fn hide_money(value: &mut serde_json::Value) {
    use serde_json::Value as Json;
    match value {
        Json::Object(map) => {
            for (key, v) in map.iter_mut() {
                if matches!(key.as_str(), "amount" | "weighted") && !v.is_null() {
                    *v = Json::String(mask(""));
                } else {
                    hide_money(v);
                }
            }
        }
        Json::Array(items) => items.iter_mut().for_each(hide_money),
        _ => {}
    }
}
