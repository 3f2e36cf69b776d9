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

/// The entries where a customer becomes won (SPEC 11: stage roles): its stage moves to the won
/// stage or later, or its status to `won`, from a state that was neither. A customer whose
/// stage and status both change — in one entry or one after the other — is won once.
pub fn win_entries<'a>(record: &'a Record, config: &Config) -> Vec<&'a Entry> {
    let mut entries: Vec<&Entry> = record.entries.iter().collect();
    entries.sort_by_key(|e| e.date);
    let change = |e: &Entry, key: &str| e.field(key).map(|f| parse_change(&f.value));
    let stage_won = |v: &str| config.is_won_or_later(v);
    let status_won = |v: &str| Status::parse(v) == Some(Status::Won);
    // Before the log's first change of each: its OLD side (nothing written: not won).
    let first_old = |key: &str| {
        entries
            .iter()
            .find_map(|e| change(e, key))
            .and_then(|(old, _)| old)
    };
    let mut by_stage = first_old("stage").is_some_and(|s| stage_won(&s));
    let mut by_status = first_old("status").is_some_and(|s| status_won(&s));
    let mut wins = Vec::new();
    for e in entries {
        let was_won = by_stage || by_status;
        if let Some((_, new)) = change(e, "stage") {
            by_stage = stage_won(&new);
        }
        if let Some((_, new)) = change(e, "status") {
            by_status = status_won(&new);
        }
        if !was_won && (by_stage || by_status) {
            wins.push(e);
        }
    }
    wins
}

/// Who an entry counts for in `--by owner` activity: its `@author`, else the customer's owner.
pub fn entry_author<'a>(entry: &'a Entry, record: &'a Record) -> Option<&'a str> {
    entry
        .author
        .as_deref()
        .filter(|a| !a.trim().is_empty())
        .or(record.customer.owner.as_deref())
}

/// The same rep: case-insensitive, spaces as in an `@author` (`Li Wei` = `li.wei`).
pub fn same_person(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(".")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

/// Whose numbers a review counts.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Everything.
    All,
    /// One rep (SPEC 11): activity — entries, reach, customers touched, channels, objections —
    /// for the entries they wrote (`@author`; without one, the customer's owner); outcomes —
    /// conversion, won, lost, amounts, cycle, streaks, stale, overdue — for the customers they own.
    Rep(&'a str),
}

impl Scope<'_> {
    fn counts_entry(self, e: &Entry, r: &Record) -> bool {
        match self {
            Scope::All => true,
            Scope::Rep(rep) => same_person(entry_author(e, r).unwrap_or(""), rep),
        }
    }

    fn owns(self, r: &Record) -> bool {
        match self {
            Scope::All => true,
            Scope::Rep(rep) => same_person(r.customer.owner.as_deref().unwrap_or(""), rep),
        }
    }
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
    metrics_for(subjects, config, start, end, today, Scope::All)
}

/// [`metrics`] for one scope: everything, or one rep's activity and outcomes.
pub fn metrics_for(
    subjects: &[&Subject<'_>],
    config: &Config,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
    scope: Scope<'_>,
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
    let mut converted_touched = 0;
    let threshold = config.converted_rank();
    for Subject { record: r, summary } in subjects {
        let in_range: Vec<&Entry> = r
            .contacts()
            .filter(|e| e.date >= start && e.date <= end)
            .collect();
        let mine: Vec<&Entry> = in_range
            .iter()
            .copied()
            .filter(|e| scope.counts_entry(e, r))
            .collect();
        if !mine.is_empty() {
            touched += 1;
        }
        // Conversion is an outcome: among the scope's customers touched by anyone.
        if !in_range.is_empty() && scope.owns(r) {
            converted_touched += 1;
            if stage_at(r, config, end)
                .and_then(|s| config.stage_rank(&s))
                .is_some_and(|rank| rank >= threshold)
            {
                converted += 1;
            }
        }
        for e in &mine {
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
                let raw = split_objection(&f.value).0;
                // 价格 counts as price: a category's alias is the category.
                let category = config
                    .objection_key(raw)
                    .unwrap_or_else(|| raw.trim().to_lowercase());
                if !category.is_empty() {
                    *objections.entry(category).or_default() += 1;
                }
            }
        }
        if !scope.owns(r) {
            continue;
        }
        if let Some(won) = win_entries(r, config)
            .into_iter()
            .find(|e| e.date >= start && e.date <= end)
        {
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
        conversion_rate: rate(converted, converted_touched),
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

/// The reps of `--by owner`, in name order: every customer's owner (customers without one
/// under "") and every author of a contact in [since, until]; one spelling per rep.
pub fn owners(records: &[Record], since: NaiveDate, until: NaiveDate) -> Vec<String> {
    let set: BTreeSet<String> = records
        .iter()
        .map(|r| r.customer.owner.clone().unwrap_or_default())
        .chain(records.iter().flat_map(|r| {
            r.contacts()
                .filter(|e| e.date >= since && e.date <= until)
                .filter_map(|e| entry_author(e, r).map(str::to_string))
        }))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for name in set {
        if !out.iter().any(|o| same_person(o, &name)) {
            out.push(name);
        }
    }
    out
}

/// Everyone a `--owner` can name: each customer's owner and each entry's author.
pub fn known_people(records: &[Record]) -> Vec<&str> {
    records
        .iter()
        .flat_map(|r| {
            r.customer
                .owner
                .as_deref()
                .into_iter()
                .chain(r.entries.iter().filter_map(|e| e.author.as_deref()))
        })
        .collect()
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
