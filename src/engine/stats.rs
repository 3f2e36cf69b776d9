//! The review (复盘) of SPEC 5.2: per period and in total — reach, conversion from the stage
//! history in the log, wins and cycle length, losses, objections, channels, streaks, stale and
//! overdue customers. Pure: records, settings, the range and today in; numbers out.

use crate::engine::due::reasons_with_last_contact;
use crate::model::config::Config;
use crate::model::customer::Status;
use crate::model::dates::{Duration, add_days};
use crate::model::entry::{Entry, Outcome, parse_change, split_objection};
use crate::model::record::Record;
use crate::model::summary::Summary;
use chrono::{Datelike, Months, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Week,
    Month,
    Quarter,
    All,
}

impl Period {
    /// First day of the period that holds `date`.
    pub fn start_of(self, date: NaiveDate) -> NaiveDate {
        match self {
            Period::Week => date.week(Weekday::Mon).first_day(),
            Period::Month => date.with_day(1).unwrap_or(date),
            Period::Quarter => {
                let month = (date.month0() / 3) * 3 + 1;
                NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date)
            }
            Period::All => date,
        }
    }

    fn next_start(self, start: NaiveDate) -> NaiveDate {
        match self {
            Period::Week => add_days(start, 7),
            Period::Month => start.checked_add_months(Months::new(1)).unwrap_or(start),
            Period::Quarter => start.checked_add_months(Months::new(3)).unwrap_or(start),
            Period::All => NaiveDate::MAX,
        }
    }

    /// The default range's first day: 8 weeks, 6 months or 4 quarters back, counting this one.
    pub fn default_since(self, today: NaiveDate, records: &[Record]) -> NaiveDate {
        let this = self.start_of(today);
        match self {
            Period::Week => add_days(this, -7 * 7),
            Period::Month => this.checked_sub_months(Months::new(5)).unwrap_or(this),
            Period::Quarter => this.checked_sub_months(Months::new(9)).unwrap_or(this),
            Period::All => records
                .iter()
                .filter_map(Record::first_contact)
                .min()
                .unwrap_or(today)
                .min(today),
        }
    }

    /// A short label: `2026-W47`, `2026-11`, `2026-Q4`, `all`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Period::Week => {
                let w = start.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Period::Month => format!("{}-{:02}", start.year(), start.month()),
            Period::Quarter => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
            Period::All => "all".to_string(),
        }
    }
}

/// The periods covering [since, until], each clipped to the range.
pub fn periods(period: Period, since: NaiveDate, until: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = period.start_of(since);
    while start <= until {
        let next = period.next_start(start);
        out.push((start.max(since), add_days(next, -1).min(until)));
        if next <= start {
            break;
        }
        start = next;
    }
    out
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CategoryCount {
    pub category: String,
    pub count: usize,
    /// Of all objections in the period, 0–1.
    pub share: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChannelStats {
    pub channel: String,
    pub entries: usize,
    pub reached: usize,
    pub reach_rate: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Named {
    pub customer: String,
    pub file: String,
    /// Streak length, days since the last contact, or days overdue.
    pub days_or_count: i64,
}

/// The metrics of SPEC 5.2 for one range of dates.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Metrics {
    pub start: String,
    pub end: String,
    pub entries: usize,
    pub customers_touched: usize,
    pub reached: usize,
    pub no_answer: usize,
    pub reach_rate: f64,
    pub conversion_rate: f64,
    pub won: usize,
    pub won_amount: f64,
    pub avg_cycle_days: Option<f64>,
    pub median_cycle_days: Option<f64>,
    pub lost: usize,
    pub win_rate: f64,
    pub objections: Vec<CategoryCount>,
    pub channels: Vec<ChannelStats>,
    pub unanswered: usize,
    pub stale: usize,
    pub overdue: usize,
    pub won_customers: Vec<String>,
    pub lost_customers: Vec<String>,
    /// Streak length in `days_or_count`.
    pub unanswered_customers: Vec<Named>,
    /// Days since the last contact in `days_or_count`.
    pub stale_customers: Vec<Named>,
    /// Days overdue in `days_or_count`.
    pub overdue_customers: Vec<Named>,
}

fn rate(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The canonical stage of a customer at the end of `date` (SPEC 5.2): the latest stage change
/// up to that date, else the old side of the first later change, else the front matter.
pub fn stage_at(record: &Record, config: &Config, date: NaiveDate) -> Option<String> {
    let mut changes: Vec<(&Entry, (Option<String>, String))> = record
        .entries
        .iter()
        .filter_map(|e| e.field("stage").map(|f| (e, parse_change(&f.value))))
        .collect();
    changes.sort_by_key(|(e, _)| e.date);
    let canonical = |s: &str| config.stage_key(s).map(str::to_string);
    if let Some((_, (_, new))) = changes.iter().rev().find(|(e, _)| e.date <= date) {
        return canonical(new);
    }
    if let Some((_, (Some(old), _))) = changes.iter().find(|(e, _)| e.date > date) {
        return canonical(old);
    }
    record.customer.stage.clone()
}

/// The first entry in [start, end] whose `key` change (`OLD -> NEW`) moves into a value that
/// `is_target` accepts from one it does not.
fn change_into<'a>(
    record: &'a Record,
    start: NaiveDate,
    end: NaiveDate,
    key: &str,
    is_target: impl Fn(&str) -> bool,
) -> Option<&'a Entry> {
    record
        .entries
        .iter()
        .filter(|e| e.date >= start && e.date <= end)
        .find(|e| {
            e.field(key).is_some_and(|f| {
                let (old, new) = parse_change(&f.value);
                is_target(&new) && !old.as_deref().is_some_and(&is_target)
            })
        })
}

fn named(r: &Record, n: i64) -> Named {
    Named {
        customer: r.customer.name.clone(),
        file: r.path.display().to_string(),
        days_or_count: n,
    }
}

/// A customer as the review reads it: its record and, summarised once, its open items.
pub struct Subject<'a> {
    pub record: &'a Record,
    pub summary: Summary,
}

/// The review's view of each record, as of `today`.
pub fn subjects(records: &[Record], today: NaiveDate) -> Vec<Subject<'_>> {
    records
        .iter()
        .map(|record| Subject {
            record,
            summary: Summary::of(record, today),
        })
        .collect()
}

/// Computes the metrics over the entries dated in [start, end]; states (streaks, stale,
/// overdue) are taken as of `end` (or today, if earlier).
pub fn metrics(
    subjects: &[&Subject<'_>],
    config: &Config,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> Metrics {
    let as_of = end.min(today);
    let mut entries = 0;
    let mut reached = 0;
    let mut no_answer = 0;
    let mut touched = 0;
    let mut converted = 0;
    let mut objections: BTreeMap<String, usize> = BTreeMap::new();
    let mut channels: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut won_customers = Vec::new();
    let mut lost_customers = Vec::new();
    let mut won_amount = 0.0;
    let mut cycles = Vec::new();
    let mut unanswered = Vec::new();
    let mut stale = Vec::new();
    let mut overdue = Vec::new();
    let threshold = config
        .stage_rank("intent")
        .unwrap_or(1.min(config.stages.len().saturating_sub(1)));
    for Subject { record: r, summary } in subjects {
        let in_range: Vec<&Entry> = r
            .contacts()
            .filter(|e| e.date >= start && e.date <= end)
            .collect();
        if !in_range.is_empty() {
            touched += 1;
            if stage_at(r, config, end)
                .and_then(|s| config.stage_rank(&s))
                .is_some_and(|rank| rank >= threshold)
            {
                converted += 1;
            }
        }
        for e in &in_range {
            entries += 1;
            let outcome = e.outcome();
            let channel = channels.entry(e.channel.clone()).or_default();
            channel.0 += 1;
            if outcome == Outcome::Reached {
                reached += 1;
                channel.1 += 1;
            } else if outcome.is_unanswered() {
                no_answer += 1;
            }
            for f in e.fields_of("objection") {
                let category = split_objection(&f.value).0.trim().to_lowercase();
                if !category.is_empty() {
                    *objections.entry(category).or_default() += 1;
                }
            }
        }
        if let Some(won) = change_into(r, start, end, "stage", |v| {
            config.stage_key(v) == Some("won")
        }) {
            won_customers.push(r.customer.name.clone());
            won_amount += r.customer.deal_amount.unwrap_or(0.0);
            if let Some(first) = r.first_contact() {
                cycles.push((won.date - first).num_days() as f64);
            }
        }
        if change_into(r, start, end, "status", |v| {
            Status::parse(v) == Some(Status::Lost)
        })
        .is_some()
        {
            lost_customers.push(r.customer.name.clone());
        }
        if r.customer.status() == Status::Lost {
            continue;
        }
        let streak = r.unanswered_streak_by(as_of);
        if streak >= config.rules.unanswered_streak as usize {
            unanswered.push(named(r, streak as i64));
        }
        if let Some(n) = stale_days(r, config.rules.stale_after, as_of) {
            stale.push(named(r, n));
        }
        if let Some(first) =
            reasons_with_last_contact(summary, r.last_contact_by(as_of), config, as_of)
                .iter()
                .map(crate::engine::due::Reason::date)
                .min()
            && first < as_of
        {
            overdue.push(named(r, (as_of - first).num_days()));
        }
    }
    let total_objections: usize = objections.values().sum();
    let mut objections: Vec<CategoryCount> = objections
        .into_iter()
        .map(|(category, count)| CategoryCount {
            category,
            count,
            share: rate(count, total_objections),
        })
        .collect();
    objections.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.category.cmp(&b.category))
    });
    let mut channels: Vec<ChannelStats> = channels
        .into_iter()
        .map(|(channel, (n, ok))| ChannelStats {
            channel,
            entries: n,
            reached: ok,
            reach_rate: rate(ok, n),
        })
        .collect();
    channels.sort_by(|a, b| {
        b.entries
            .cmp(&a.entries)
            .then_with(|| a.channel.cmp(&b.channel))
    });
    for list in [&mut unanswered, &mut stale, &mut overdue] {
        list.sort_by(|a, b| {
            b.days_or_count
                .cmp(&a.days_or_count)
                .then_with(|| a.customer.cmp(&b.customer))
        });
    }
    won_customers.sort();
    lost_customers.sort();
    let (won, lost) = (won_customers.len(), lost_customers.len());
    Metrics {
        start: start.to_string(),
        end: end.to_string(),
        entries,
        customers_touched: touched,
        reached,
        no_answer,
        reach_rate: rate(reached, entries),
        conversion_rate: rate(converted, touched),
        won,
        won_amount,
        avg_cycle_days: (!cycles.is_empty())
            .then(|| cycles.iter().sum::<f64>() / cycles.len() as f64),
        median_cycle_days: median(&mut cycles),
        lost,
        win_rate: rate(won, won + lost),
        objections,
        channels,
        unanswered: unanswered.len(),
        stale: stale.len(),
        overdue: overdue.len(),
        won_customers,
        lost_customers,
        unanswered_customers: unanswered,
        stale_customers: stale,
        overdue_customers: overdue,
    }
}

/// Days since the last contact when that is at least `stale_after` (never contacted: since
/// `created`); `None` when not stale or created after `as_of`.
fn stale_days(r: &Record, stale_after: Duration, as_of: NaiveDate) -> Option<i64> {
    let since = r.last_contact_by(as_of).or(r.customer.created)?;
    if since > as_of {
        return None;
    }
    (stale_after.after(since) <= as_of).then(|| (as_of - since).num_days())
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// The whole review: one `Metrics` per period and one for the range.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    pub since: String,
    pub until: String,
    pub period: &'static str,
    pub periods: Vec<Metrics>,
    pub total: Metrics,
}

pub fn review(
    subjects: &[&Subject<'_>],
    config: &Config,
    period: Period,
    since: NaiveDate,
    until: NaiveDate,
    today: NaiveDate,
) -> Review {
    let periods = periods(period, since, until)
        .into_iter()
        .map(|(start, end)| metrics(subjects, config, start, end, today))
        .collect();
    Review {
        since: since.to_string(),
        until: until.to_string(),
        period: match period {
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::All => "all",
        },
        periods,
        total: metrics(subjects, config, since, until, today),
    }
}

/// Owners in name order (customers without one under "").
pub fn owners(records: &[Record]) -> Vec<String> {
    let set: BTreeSet<String> = records
        .iter()
        .map(|r| r.customer.owner.clone().unwrap_or_default())
        .collect();
    set.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::model::dates::parse_iso(s).unwrap()
    }

    #[test]
    fn periods_are_aligned_and_clipped() {
        let p = periods(Period::Month, d("2026-09-15"), d("2026-11-26"));
        assert_eq!(
            p,
            vec![
                (d("2026-09-15"), d("2026-09-30")),
                (d("2026-10-01"), d("2026-10-31")),
                (d("2026-11-01"), d("2026-11-26"))
            ]
        );
        let w = periods(Period::Week, d("2026-11-18"), d("2026-11-26"));
        assert_eq!(
            w,
            vec![
                (d("2026-11-18"), d("2026-11-22")),
                (d("2026-11-23"), d("2026-11-26"))
            ]
        );
        assert_eq!(Period::Quarter.start_of(d("2026-11-26")), d("2026-10-01"));
        assert_eq!(Period::Week.label(d("2026-11-23")), "2026-W48");
        assert_eq!(Period::Quarter.label(d("2026-10-01")), "2026-Q4");
    }

    #[test]
    fn default_ranges_count_this_period() {
        let today = d("2026-11-26");
        assert_eq!(Period::Week.default_since(today, &[]), d("2026-10-05"));
        assert_eq!(Period::Month.default_since(today, &[]), d("2026-06-01"));
        assert_eq!(periods(Period::Week, d("2026-10-05"), today).len(), 8);
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
