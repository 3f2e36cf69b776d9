//! The pipeline and forecast of docs/pipeline.md: today's active customers per stage with their
//! `deal.amount` and its weighted value (amount × the stage's `probability`), the open deals by
//! `deal.expected_close` month (past-due closes and deals without a close date apart), and the
//! funnel over a window read from the log's `stage:` fields — customers that entered each stage,
//! the share that moved on, the median days they stayed. Stage roles come from followup.toml,
//! never from stage names. Pure: records, settings and dates in; numbers out.

use crate::engine::explain::{Tracer, trace};
use crate::engine::stats::{created_line, created_on, median, same_person};
use crate::model::config::Config;
use crate::model::customer::Status;
use crate::model::entry::parse_change;
use crate::model::record::Record;
use crate::msg::m;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// One stage of today's pipeline.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StageRow {
    pub stage: String,
    pub label: String,
    pub probability: f64,
    pub customers: usize,
    /// The sum of `deal.amount` (a customer without one adds 0).
    pub amount: f64,
    /// The sum of amount × probability.
    pub weighted: f64,
    /// Customers at this stage without a `deal.amount`.
    pub without_amount: usize,
}

/// Customers, amount and weighted amount of a group of deals.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Sum {
    pub customers: usize,
    pub amount: f64,
    pub weighted: f64,
}

impl Sum {
    fn add(&mut self, amount: f64, weighted: f64) {
        self.customers += 1;
        self.amount = round2(self.amount + amount);
        self.weighted = round2(self.weighted + weighted);
    }
}

/// One stage's share of a month.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StageSum {
    pub stage: String,
    #[serde(flatten)]
    pub sum: Sum,
}

/// The open deals expected to close in one month.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MonthRow {
    /// `2026-12`.
    pub month: String,
    #[serde(flatten)]
    pub sum: Sum,
    /// The stages these deals are at, in funnel order (only stages with a deal).
    pub stages: Vec<StageSum>,
}

/// One open deal, as the past-due and no-close lists name it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Deal {
    pub customer: String,
    pub file: String,
    pub owner: Option<String>,
    pub stage: String,
    pub amount: Option<f64>,
    pub weighted: f64,
    pub expected_close: Option<String>,
}

/// A group of open deals kept apart from the months: closes already past, or no close date.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Bucket {
    #[serde(flatten)]
    pub sum: Sum,
    pub deals: Vec<Deal>,
}

/// Customers not in the pipeline, by why.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Excluded {
    pub paused: usize,
    pub won: usize,
    pub lost: usize,
    /// Active, but without a known stage.
    pub no_stage: usize,
}

/// Today's pipeline and forecast for a set of customers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Snapshot {
    pub stages: Vec<StageRow>,
    pub total: Sum,
    /// Open deals (before the won stage) by expected close month, from today's month on.
    pub by_month: Vec<MonthRow>,
    /// Open deals whose expected close is before today.
    pub past_due: Bucket,
    /// Open deals without an expected close.
    pub no_close: Bucket,
    pub excluded: Excluded,
    /// The currencies (`deal.currency`) of the amounts summed, when any is written.
    pub currencies: Vec<String>,
}

/// One stage of the funnel over a window.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FunnelRow {
    pub stage: String,
    /// Customers that entered the stage in the window: created at it, or moved to it by a
    /// `stage:` field.
    pub entered: usize,
    /// Of those, the ones that later (by the window's end) moved to a later stage.
    pub advanced: usize,
    /// advanced / entered (0 when nobody entered); `null` for the last stage.
    pub conversion: Option<f64>,
    /// Median days from entering the stage to leaving it, over those that left it by the
    /// window's end; `null` when none did.
    pub median_days: Option<f64>,
}

/// The metric names `--explain` accepts on `pipeline`.
pub const EXPLAINABLE: [&str; 10] = [
    "customers",
    "amount",
    "weighted",
    "by_month",
    "past_due",
    "no_close",
    "entered",
    "advanced",
    "conversion",
    "median_days",
];

/// Rounds to cents, so 650000 × 0.4 is 260000, not 260000.00000000003.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `2026-12` for a date.
fn month_of(date: NaiveDate) -> String {
    date.format("%Y-%m").to_string()
}

/// Today's pipeline: the active customers (status `active`, written or by default) per stage,
/// and the open ones — before the won stage — by expected close month.
pub fn snapshot(
    records: &[&Record],
    config: &Config,
    today: NaiveDate,
    tracer: &mut Tracer,
) -> Snapshot {
    let mut stages = stage_rows(config);
    let mut total = Sum::default();
    let mut forecast = Forecast::default();
    let mut excluded = Excluded::default();
    let mut currencies: Vec<String> = Vec::new();
    let won_rank = config.won_rank();
    for r in records {
        let c = &r.customer;
        if excluded.leaves_out(c.status()) {
            continue;
        }
        let Some((rank, def)) = c
            .stage
            .as_deref()
            .and_then(|s| config.stage_rank(s).map(|i| (i, &config.stages[i])))
        else {
            excluded.no_stage += 1;
            continue;
        };
        let file = r.path.as_path();
        let name = c.name.as_str();
        let amount = c.deal_amount.unwrap_or(0.0);
        let weighted = round2(amount * def.probability);
        if c.deal_amount.is_some()
            && let Some(cur) = &c.currency
            && !currencies.iter().any(|x| x.eq_ignore_ascii_case(cur))
        {
            currencies.push(cur.clone());
        }
        let row = &mut stages[rank];
        row.customers += 1;
        row.amount = round2(row.amount + amount);
        row.weighted = round2(row.weighted + weighted);
        if c.deal_amount.is_none() {
            row.without_amount += 1;
        }
        total.add(amount, weighted);
        let group = Some(def.key.as_str());
        // Where the amount is written; without one, where the stage is.
        let amount_line = c.line_of(if c.deal_amount.is_some() {
            "deal.amount"
        } else {
            "stage"
        });
        let product = |t: &Tracer| match c.deal_amount {
            Some(a) => format!(
                "{} × {} = {}",
                t.amount(a),
                def.probability,
                t.amount(weighted)
            ),
            None => t.say(m::T_NO_AMOUNT),
        };
        tracer.add("customers", |t| {
            trace(
                file,
                c.line_of("stage"),
                name,
                group,
                t.say(m::T_STAGE.with("stage", t.stage(def))),
            )
        });
        tracer.add("amount", |t| {
            let shown = c
                .deal_amount
                .map_or_else(|| t.say(m::T_NO_AMOUNT), |a| t.amount(a));
            trace(file, amount_line, name, group, shown)
        });
        tracer.add("weighted", |t| {
            trace(file, amount_line, name, group, product(t))
        });
        // The forecast is of the deals still open: a customer at or after the won stage has
        // closed.
        if won_rank.is_some_and(|w| rank >= w) {
            continue;
        }
        forecast.add(r, rank, def, (amount, weighted), today, &product, tracer);
    }
    let Forecast {
        months,
        mut past_due,
        mut no_close,
    } = forecast;
    let by_month = month_rows(months, config);
    for bucket in [&mut past_due, &mut no_close] {
        bucket.deals.sort_by_cached_key(|d| {
            (
                d.expected_close.clone(),
                crate::model::collate::key(&d.customer),
            )
        });
    }
    sort_traces(tracer, config);
    Snapshot {
        stages,
        total,
        by_month,
        past_due,
        no_close,
        excluded,
        currencies,
    }
}

/// The open deals of the forecast, as they are read.
#[derive(Default)]
struct Forecast {
    /// Close month → stage rank → sum.
    months: BTreeMap<String, BTreeMap<usize, Sum>>,
    past_due: Bucket,
    no_close: Bucket,
}

impl Forecast {
    /// An open deal at stage `rank`: past due, in its close month, or without a close date.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        r: &Record,
        rank: usize,
        def: &crate::model::config::StageDef,
        (amount, weighted): (f64, f64),
        today: NaiveDate,
        product: &dyn Fn(&Tracer) -> String,
        tracer: &mut Tracer,
    ) {
        let c = &r.customer;
        let (file, name) = (r.path.as_path(), c.name.as_str());
        let group = Some(def.key.as_str());
        match c.expected_close {
            Some(close) if close < today => {
                self.past_due.sum.add(amount, weighted);
                self.past_due.deals.push(deal(r, def, weighted));
                tracer.add("past_due", |t| {
                    let days = (today - close).num_days();
                    trace(
                        file,
                        c.line_of("deal.expected_close"),
                        name,
                        group,
                        t.say(
                            m::T_CLOSE_PAST
                                .with("close", close)
                                .with("n", days)
                                .with("product", product(t)),
                        ),
                    )
                });
            }
            Some(close) => {
                let month = month_of(close);
                self.months
                    .entry(month.clone())
                    .or_default()
                    .entry(rank)
                    .or_default()
                    .add(amount, weighted);
                tracer.add("by_month", |t| {
                    trace(
                        file,
                        c.line_of("deal.expected_close"),
                        name,
                        Some(&month),
                        t.say(m::T_CLOSE.with("close", close).with("product", product(t))),
                    )
                });
            }
            None => {
                self.no_close.sum.add(amount, weighted);
                self.no_close.deals.push(deal(r, def, weighted));
                tracer.add("no_close", |t| {
                    trace(
                        file,
                        c.line_of("stage"),
                        name,
                        group,
                        t.say(m::T_NO_CLOSE.with("product", product(t))),
                    )
                });
            }
        }
    }
}

impl Excluded {
    /// Counts a customer the pipeline leaves out by its status (all but `active`).
    fn leaves_out(&mut self, status: Status) -> bool {
        match status {
            Status::Active => return false,
            Status::Paused => self.paused += 1,
            Status::Won => self.won += 1,
            Status::Lost => self.lost += 1,
        }
        true
    }
}

/// A row per stage of the settings, empty.
fn stage_rows(config: &Config) -> Vec<StageRow> {
    config
        .stages
        .iter()
        .map(|s| StageRow {
            stage: s.key.clone(),
            label: s.label.clone(),
            probability: s.probability,
            customers: 0,
            amount: 0.0,
            weighted: 0.0,
            without_amount: 0,
        })
        .collect()
}

/// An open deal as the forecast lists it.
fn deal(r: &Record, def: &crate::model::config::StageDef, weighted: f64) -> Deal {
    let c = &r.customer;
    Deal {
        customer: c.name.clone(),
        file: r.path.display().to_string(),
        owner: c.owner.clone(),
        stage: def.key.clone(),
        amount: c.deal_amount,
        weighted,
        expected_close: c.expected_close.map(|d| d.to_string()),
    }
}

/// The forecast's months: per month its sum and the sum at each stage.
fn month_rows(months: BTreeMap<String, BTreeMap<usize, Sum>>, config: &Config) -> Vec<MonthRow> {
    months
        .into_iter()
        .map(|(month, per_stage)| {
            let mut sum = Sum::default();
            let stages = per_stage
                .into_iter()
                .map(|(rank, s)| {
                    sum.customers += s.customers;
                    sum.amount = round2(sum.amount + s.amount);
                    sum.weighted = round2(sum.weighted + s.weighted);
                    StageSum {
                        stage: config.stages[rank].key.clone(),
                        sum: s,
                    }
                })
                .collect();
            MonthRow { month, sum, stages }
        })
        .collect()
}

/// Traces in report order: by stage in funnel order (or month), then file and line.
fn sort_traces(tracer: &mut Tracer, config: &Config) {
    let rank = |g: &Option<String>| g.as_deref().and_then(|g| config.stage_rank(g));
    tracer.traces.sort_by(|a, b| {
        (rank(&a.group), &a.group, &a.file, a.line).cmp(&(
            rank(&b.group),
            &b.group,
            &b.file,
            b.line,
        ))
    });
}

/// A customer's time at one stage, from the log: when and where it entered, and when and where
/// it left (for which stage).
#[derive(Debug, Clone, PartialEq)]
struct Stay {
    rank: usize,
    entered: NaiveDate,
    line: usize,
    /// Created at this stage (rather than moved to it by a `stage:` field).
    created: bool,
    left: Option<(NaiveDate, usize, usize)>,
}

/// A customer's stays, in order, up to `until`: the creation stage (at `created`, else the first
/// entry's date) — the old side of the first `stage:` change, or the front matter's stage when
/// the log never changes it — then one stay per `stage:` change to another stage.
fn stays(r: &Record, config: &Config, until: NaiveDate) -> Vec<Stay> {
    let mut changes: Vec<(NaiveDate, usize, Option<usize>, usize)> = r
        .entries
        .iter()
        .filter_map(|e| {
            let f = e.field("stage")?;
            let (old, new) = parse_change(&f.value);
            let rank = |s: &str| config.stage_key(s).and_then(|k| config.stage_rank(k));
            Some((e.date, rank(&new)?, old.as_deref().and_then(rank), f.line))
        })
        .collect();
    changes.sort_by_key(|c| c.0);
    let creation = match changes.first() {
        // A first change that does not say where from leaves the creation stage unknown.
        Some((_, _, old, _)) => *old,
        None => r
            .customer
            .stage
            .as_deref()
            .and_then(|s| config.stage_rank(s)),
    };
    let mut out: Vec<Stay> = Vec::new();
    let mut moves: Vec<(NaiveDate, usize, usize, bool)> = Vec::new();
    if let (Some(rank), Some(date)) = (creation, created_on(r)) {
        moves.push((date, rank, created_line(r), true));
    }
    moves.extend(
        changes
            .iter()
            .map(|(d, rank, _, line)| (*d, *rank, *line, false)),
    );
    // Creation first, then the changes in date order (stable: file order within a day).
    moves.sort_by_key(|m| (m.0, !m.3));
    for (date, rank, line, created) in moves {
        if date > until {
            break;
        }
        if out.last().is_some_and(|s| s.rank == rank) {
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.left = Some((date, line, rank));
        }
        out.push(Stay {
            rank,
            entered: date,
            line,
            created,
            left: None,
        });
    }
    out
}

/// The funnel over [since, until]: per stage, the customers that entered it in the window
/// (once each, by their first entry into it there), how many of them moved on to a later
/// stage by `until`, and the median days from entering to leaving it.
pub fn funnel(
    records: &[&Record],
    config: &Config,
    since: NaiveDate,
    until: NaiveDate,
    tracer: &mut Tracer,
) -> Vec<FunnelRow> {
    let n = config.stages.len();
    let mut entered = vec![0usize; n];
    let mut advanced = vec![0usize; n];
    let mut days: Vec<Vec<f64>> = vec![Vec::new(); n];
    for r in records {
        let file = r.path.as_path();
        let name = r.customer.name.as_str();
        let stays = stays(r, config, until);
        for (rank, def) in config.stages.iter().enumerate() {
            let Some(i) = stays
                .iter()
                .position(|s| s.rank == rank && s.entered >= since && s.entered <= until)
            else {
                continue;
            };
            let stay = &stays[i];
            let group = Some(def.key.as_str());
            entered[rank] += 1;
            let how = |t: &Tracer| {
                if stay.created {
                    t.say(
                        m::T_CREATED_AT
                            .with("date", stay.entered)
                            .with("stage", t.stage(def)),
                    )
                } else {
                    t.say(
                        m::T_MOVED_TO
                            .with("date", stay.entered)
                            .with("stage", t.stage(def)),
                    )
                }
            };
            tracer.add("entered", |t| trace(file, stay.line, name, group, how(t)));
            let onward = stays[i + 1..].iter().find(|s| s.rank > rank);
            if let Some(next) = onward {
                advanced[rank] += 1;
                let to = &config.stages[next.rank];
                let moved = |t: &Tracer| {
                    t.say(
                        m::T_MOVED_ON
                            .with("date", next.entered)
                            .with("stage", t.stage(to)),
                    )
                };
                tracer.add("advanced", |t| {
                    trace(file, next.line, name, group, moved(t))
                });
            }
            if rank + 1 < n {
                tracer.add("conversion", |t| {
                    let detail = match onward {
                        Some(next) => t.say(
                            m::T_ENTERED_MOVED_ON
                                .with("entered", stay.entered)
                                .with("stage", t.stage(&config.stages[next.rank]))
                                .with("date", next.entered),
                        ),
                        None => t.say(m::T_ENTERED_STAYED.with("entered", stay.entered)),
                    };
                    trace(file, stay.line, name, group, detail).counting(onward.is_some())
                });
            }
            if let Some((left, line, to)) = stay.left {
                let d = (left - stay.entered).num_days();
                days[rank].push(d as f64);
                tracer.add("median_days", |t| {
                    trace(
                        file,
                        line,
                        name,
                        group,
                        t.say(
                            m::T_STAY
                                .with("entered", stay.entered)
                                .with("line", stay.line)
                                .with("stage", t.stage(&config.stages[to]))
                                .with("left", left)
                                .with("n", d),
                        ),
                    )
                });
            }
        }
    }
    sort_traces(tracer, config);
    config
        .stages
        .iter()
        .enumerate()
        .map(|(rank, def)| FunnelRow {
            stage: def.key.clone(),
            entered: entered[rank],
            advanced: advanced[rank],
            conversion: (rank + 1 < n).then(|| {
                if entered[rank] == 0 {
                    0.0
                } else {
                    advanced[rank] as f64 / entered[rank] as f64
                }
            }),
            median_days: median(&mut days[rank]),
        })
        .collect()
}

/// The customers per owner, in name order (one spelling per rep; no owner under "").
pub fn by_owner<'a>(records: &[&'a Record]) -> Vec<(String, Vec<&'a Record>)> {
    let mut out: Vec<(String, Vec<&Record>)> = Vec::new();
    for r in records {
        let owner = r.customer.owner.clone().unwrap_or_default();
        match out.iter_mut().find(|(o, _)| same_person(o, &owner)) {
            Some((_, list)) => list.push(r),
            None => out.push((owner, vec![r])),
        }
    }
    out.sort_by_cached_key(|a| crate::model::collate::key(&a.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::record::parse_record;

    fn d(s: &str) -> NaiveDate {
        crate::model::dates::parse_iso(s).unwrap()
    }

    fn record(front: &str, body: &str) -> Record {
        let text = format!("+++\nname = \"X\"\n{front}\n+++\n\n{body}");
        parse_record("customers/x.md".into(), text.as_bytes(), &Config::default()).unwrap()
    }

    #[test]
    fn stays_start_at_the_creation_stage_and_skip_non_moves() {
        let r = record(
            "stage = \"won\"\ncreated = 2026-01-10",
            "## 2026-02-01 phone\n\n- stage: potential -> intent\n\n## 2026-02-05 phone\n\n- stage: intent\n\n## 2026-03-01 phone\n\n- stage: intent -> won\n",
        );
        let s = stays(&r, &Config::default(), d("2026-12-31"));
        let got: Vec<(usize, String, Option<String>)> = s
            .iter()
            .map(|s| {
                (
                    s.rank,
                    s.entered.to_string(),
                    s.left.map(|l| l.0.to_string()),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (0, "2026-01-10".into(), Some("2026-02-01".into())),
                (1, "2026-02-01".into(), Some("2026-03-01".into())),
                (2, "2026-03-01".into(), None),
            ]
        );
        // Up to a date: what happened after it is not known yet.
        assert_eq!(stays(&r, &Config::default(), d("2026-02-15")).len(), 2);
    }

    #[test]
    fn funnel_counts_entries_in_the_window_and_moves_after_them() {
        let a = record(
            "stage = \"won\"\ncreated = 2026-01-10",
            "## 2026-02-01 phone\n\n- stage: potential -> intent\n\n## 2026-03-01 phone\n\n- stage: intent -> won\n",
        );
        let b = record(
            "stage = \"potential\"\ncreated = 2026-02-10",
            "## 2026-02-11 phone\n\nHello.\n",
        );
        let rows = funnel(
            &[&a, &b],
            &Config::default(),
            d("2026-02-01"),
            d("2026-12-31"),
            &mut Tracer::off(),
        );
        let got: Vec<(usize, usize, Option<f64>, Option<f64>)> = rows
            .iter()
            .map(|r| (r.entered, r.advanced, r.conversion, r.median_days))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, 0, Some(0.0), None),
                (1, 1, Some(1.0), Some(28.0)),
                (1, 0, Some(0.0), None),
                (0, 0, None, None),
            ]
        );
    }
}
