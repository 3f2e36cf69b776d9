//! The review (复盘) of docs/stats.md: per period and in total — reach, conversion from the
//! stage history in the log (stage roles: docs/pipeline.md), wins and cycle length, losses and
//! why, objections, channels, new customers, promises kept by their due date, overdue promises
//! and assists, streaks, stale and overdue customers — each count reporting its file and line to
//! an `explain::Tracer` on demand.
//! Pure: records, settings, the range and today in; numbers out.

use crate::engine::due::{Reason, reasons_with_last_contact};
use crate::engine::explain::{Tracer, trace};
use crate::model::collate;
use crate::model::config::Config;
use crate::model::customer::Status;
use crate::model::dates::{Duration, add_days};
use crate::model::entry::{
    Entry, Field, Outcome, done_date, due_date, parse_change, split_due, split_objection,
};
use crate::model::record::Record;
use crate::model::summary::Summary;
use crate::msg::m;
use chrono::{Datelike, Months, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

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
            Period::All => self.since_first_contact(
                today,
                records.iter().filter_map(Record::first_contact).min(),
            ),
        }
    }

    /// [`Period::default_since`] for `Period::All`, given the earliest first contact.
    pub fn since_first_contact(self, today: NaiveDate, first: Option<NaiveDate>) -> NaiveDate {
        first.unwrap_or(today).min(today)
    }

    /// The period's name in JSON: `week`, `month`, `quarter`, `all`.
    pub fn key(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::All => "all",
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

/// A lost reason and how many lost customers gave it (docs/stats.md).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReasonCount {
    /// The `reason` of the entry that made the customer lost, as written (`null`: none given).
    pub reason: Option<String>,
    pub count: usize,
    /// Of the customers lost in the period, 0–1.
    pub share: f64,
}

/// A promise due in the period that was not kept by its due date: still open, or ticked late.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BrokenPromise {
    pub customer: String,
    pub file: String,
    pub line: usize,
    /// The promise without its `(due …)` and `(done …)`.
    pub text: String,
    pub due: String,
    /// When it was ticked (`null`: still open).
    pub done: Option<String>,
}

/// A customer in a metric's list. Its texts are shared by every list that names the customer
/// (one copy per customer, however many periods count it stale).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Named {
    pub customer: Arc<str>,
    pub file: Arc<str>,
    pub owner: Option<Arc<str>>,
    /// Streak length, days since the last contact, or days overdue.
    pub days_or_count: i64,
}

/// The metrics of docs/stats.md for one range of dates.
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
    /// Customers created in the period (`created`, else their first entry's date).
    pub new_customers: usize,
    /// Promises (`promised`) due in the period, up to yesterday: a promise is judged once its
    /// due date is over.
    pub promises_due: usize,
    /// Of those, the ones ticked by their due date (`(done DATE)` on or before it; ticked
    /// without a date counts as kept).
    pub promises_kept: usize,
    pub promise_kept_rate: f64,
    /// Promises open at the period's end (today for the current period) whose due date is
    /// before it.
    pub overdue_promises: usize,
    /// Assists likewise.
    pub overdue_assists: usize,
    /// Why the customers lost in the period were lost, most frequent first.
    pub lost_reasons: Vec<ReasonCount>,
    pub won_customers: Vec<String>,
    pub lost_customers: Vec<String>,
    /// Streak length in `days_or_count`.
    pub unanswered_customers: Vec<Named>,
    /// Days since the last contact in `days_or_count`.
    pub stale_customers: Vec<Named>,
    /// Days overdue in `days_or_count`.
    pub overdue_customers: Vec<Named>,
    pub new_customer_names: Vec<String>,
    pub broken_promises: Vec<BrokenPromise>,
}

fn rate(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The canonical stage of a customer at the end of `date` (docs/stats.md): the latest stage change
/// up to that date, else the old side of the first later change, else the front matter.
/// With the line it was read from: the `stage` field of the entry, or the front matter's
/// `stage` key.
pub fn stage_at_line(record: &Record, config: &Config, date: NaiveDate) -> Option<(String, usize)> {
    type Change<'a> = (&'a Entry, &'a Field, (Option<String>, String));
    let mut changes: Vec<Change<'_>> = record
        .entries
        .iter()
        .filter_map(|e| e.field("stage").map(|f| (e, f, parse_change(&f.value))))
        .collect();
    changes.sort_by_key(|(e, _, _)| e.date);
    let canonical = |s: &str| config.stage_key(s).map(str::to_string);
    if let Some((_, f, (_, new))) = changes.iter().rev().find(|(e, _, _)| e.date <= date) {
        return canonical(new).map(|s| (s, f.line));
    }
    if let Some((_, f, (Some(old), _))) = changes.iter().find(|(e, _, _)| e.date > date) {
        return canonical(old).map(|s| (s, f.line));
    }
    let c = &record.customer;
    c.stage.clone().map(|s| (s, c.line_of("stage")))
}

/// When a customer was created: `created`, else the date of its first entry.
pub fn created_on(record: &Record) -> Option<NaiveDate> {
    record
        .customer
        .created
        .or_else(|| record.entries.iter().map(|e| e.date).min())
}

/// The line a customer's creation is read from: `created`, else its first entry.
pub fn created_line(record: &Record) -> usize {
    match record.customer.created {
        Some(_) => record.customer.line_of("created"),
        None => record
            .entries
            .iter()
            .min_by_key(|e| e.date)
            .map_or(record.customer.name_line, |e| e.line),
    }
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

/// The entries where a customer becomes won (docs/pipeline.md, "Stage roles"): its stage moves to the won
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
        .filter(|a| !a.trim().is_empty())
        .or(record.customer.owner.as_deref())
}

/// The same rep: case-insensitive, spaces as in an `@author` (`Li Wei` = `li.wei`).
pub fn same_person(a: &str, b: &str) -> bool {
    person_key(a) == person_key(b)
}

/// A rep's name as [`same_person`] compares it: words joined by dots, lower case.
fn person_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(".")
        .to_lowercase()
}

/// Whose numbers a review counts.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Everything.
    All,
    /// One rep (docs/stats.md, `--by owner`): activity — entries, reach, customers touched,
    /// channels, objections — for the entries they wrote (`@author`; without one, the
    /// customer's owner); outcomes — conversion, won, lost, amounts, cycle, streaks, stale,
    /// overdue — for the customers they own.
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

/// A customer as the review reads it: its record and, summarised once, its open items.
pub struct Subject<'a> {
    pub record: &'a Record,
    pub summary: Summary,
    /// The customer as the lists show it, made on first use; each list's copy shares its texts.
    shown: std::sync::OnceLock<Named>,
}

impl<'a> Subject<'a> {
    pub fn of(record: &'a Record) -> Subject<'a> {
        Subject {
            record,
            summary: Summary::of(record),
            shown: std::sync::OnceLock::new(),
        }
    }

    /// The customer in a list, with its streak, days or count `n`.
    fn named(&self, n: i64) -> Named {
        let shown = self.shown.get_or_init(|| {
            let c = &self.record.customer;
            Named {
                customer: Arc::from(c.name.as_str()),
                file: Arc::from(self.record.path.display().to_string()),
                owner: c.owner.as_deref().map(Arc::from),
                days_or_count: 0,
            }
        });
        Named {
            days_or_count: n,
            ..shown.clone()
        }
    }
}

/// The review's view of each record, as of `today`.
pub fn subjects(records: &[Record]) -> Vec<Subject<'_>> {
    records.iter().map(Subject::of).collect()
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
    metrics_traced(
        subjects,
        config,
        start,
        end,
        today,
        scope,
        &mut Tracer::off(),
    )
}

/// The metric names `--explain` accepts on `stats`: the keys of the JSON.
pub const EXPLAINABLE: [&str; 24] = [
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
    "objections",
    "channels",
    "unanswered",
    "stale",
    "overdue",
    "new_customers",
    "promises_due",
    "promises_kept",
    "promise_kept_rate",
    "overdue_promises",
    "overdue_assists",
    "lost_reasons",
];

/// [`metrics_for`], reporting to `tracer` the file and line behind each count of the metric
/// it traces.
pub fn metrics_traced(
    subjects: &[&Subject<'_>],
    config: &Config,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
    scope: Scope<'_>,
    tracer: &mut Tracer,
) -> Metrics {
    let window = Window::new(config, (start, end), today, scope);
    let mut tally = Tally::default();
    for subject in subjects {
        tally.count(&window, subject, tracer);
    }
    tracer
        .traces
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    tally.into_metrics(start, end)
}

/// The review of [`review`] (and each rep's numbers of `--by owner`) counted one customer at a
/// time, as the folder is read: each customer is counted into every period's tally and then
/// dropped, so memory grows with the periods and the customers named in their lists, never with
/// the entries. Folds of neighbouring runs of customers are merged, the earlier first.
pub struct ReviewFold<'a> {
    config: &'a Config,
    period: Period,
    since: NaiveDate,
    until: NaiveDate,
    today: NaiveDate,
    /// The periods, then the whole range.
    windows: Vec<(NaiveDate, NaiveDate)>,
    tallies: Vec<Tally>,
    /// With `--by owner`: the reps noted so far, and each one's tally over the whole range,
    /// by [`person_key`].
    reps: Option<(BTreeSet<String>, BTreeMap<String, Tally>)>,
    /// Everyone a `--owner` can name (see [`known_people`]), over every customer read.
    people: BTreeSet<String>,
}

impl<'a> ReviewFold<'a> {
    pub fn new(
        config: &'a Config,
        (period, since, until): (Period, NaiveDate, NaiveDate),
        today: NaiveDate,
        by_owner: bool,
    ) -> ReviewFold<'a> {
        let mut windows = periods(period, since, until);
        windows.push((since, until));
        ReviewFold {
            config,
            period,
            since,
            until,
            today,
            tallies: windows.iter().map(|_| Tally::default()).collect(),
            windows,
            reps: by_owner.then(Default::default),
            people: BTreeSet::new(),
        }
    }

    /// One customer read: its people noted; counted when `counted` (it passes `--owner`).
    pub fn add(&mut self, record: &Record, counted: bool) {
        note(&mut self.people, known_people(std::slice::from_ref(record)));
        if !counted {
            return;
        }
        let subject = Subject::of(record);
        let mut tracer = Tracer::off();
        let (config, today) = (self.config, self.today);
        for (tally, &range) in self.tallies.iter_mut().zip(&self.windows) {
            let window = Window::new(config, range, today, Scope::All);
            tally.count(&window, &subject, &mut tracer);
        }
        let Some((names, reps)) = &mut self.reps else {
            return;
        };
        note_owners(record, self.since, self.until, names);
        // A rep counts only their entries and the customers they own: the others' tallies are
        // untouched by this customer.
        let names: BTreeSet<&str> = record
            .entries
            .iter()
            .map(|e| entry_author(e, record).unwrap_or(""))
            .chain(std::iter::once(
                record.customer.owner.as_deref().unwrap_or(""),
            ))
            .collect();
        let involved: BTreeSet<String> = names.into_iter().map(person_key).collect();
        for rep in involved {
            let window = Window::new(config, (self.since, self.until), today, Scope::Rep(&rep));
            let tally = reps.entry(rep.clone()).or_default();
            tally.count(&window, &subject, &mut tracer);
        }
    }

    /// The fold of two neighbouring runs of customers, `self`'s before `later`'s.
    pub fn merge(mut self, later: ReviewFold<'a>) -> ReviewFold<'a> {
        for (tally, other) in self.tallies.iter_mut().zip(later.tallies) {
            tally.merge(other);
        }
        if let (Some((names, reps)), Some((other_names, other_reps))) = (&mut self.reps, later.reps)
        {
            names.extend(other_names);
            for (rep, other) in other_reps {
                reps.entry(rep).or_default().merge(other);
            }
        }
        self.people.extend(later.people);
        self
    }

    /// Everyone a `--owner` can name, over every customer read.
    pub fn people(&self) -> impl Iterator<Item = &str> {
        self.people.iter().map(String::as_str)
    }

    /// The review, and with `--by owner` each rep's numbers over the range, in name order.
    pub fn finish(self) -> (Review, Option<Vec<(String, Metrics)>>) {
        let mut metrics: Vec<Metrics> = self
            .tallies
            .into_iter()
            .zip(&self.windows)
            .map(|(tally, &(start, end))| tally.into_metrics(start, end))
            .collect();
        let total = metrics
            .pop()
            .unwrap_or_else(|| Tally::default().into_metrics(self.since, self.until));
        let by_owner = self.reps.map(|(names, mut reps)| {
            owners_of(names)
                .into_iter()
                .map(|owner| {
                    let tally = reps.remove(&person_key(&owner)).unwrap_or_default();
                    let metrics = tally.into_metrics(self.since, self.until);
                    (owner, metrics)
                })
                .collect()
        });
        let review = Review {
            since: self.since.to_string(),
            until: self.until.to_string(),
            period: self.period.key(),
            periods: metrics,
            total,
        };
        (review, by_owner)
    }
}

/// The range a review counts over, and whose numbers it counts.
struct Window<'a> {
    config: &'a Config,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
    /// States (streaks, stale, overdue) are taken as of the range's end, or today if earlier.
    as_of: NaiveDate,
    scope: Scope<'a>,
}

impl<'a> Window<'a> {
    /// The window of [start, end]; states are taken as of its end, or today if earlier.
    fn new(
        config: &'a Config,
        (start, end): (NaiveDate, NaiveDate),
        today: NaiveDate,
        scope: Scope<'a>,
    ) -> Window<'a> {
        Window {
            config,
            start,
            end,
            today,
            as_of: end.min(today),
            scope,
        }
    }

    fn contains(&self, date: NaiveDate) -> bool {
        date >= self.start && date <= self.end
    }
}

/// The counts of one review, as its customers are read one after the other.
#[derive(Default)]
struct Tally {
    entries: usize,
    reached: usize,
    no_answer: usize,
    touched: usize,
    converted: usize,
    converted_touched: usize,
    objections: BTreeMap<String, usize>,
    /// Channel → (entries, reached).
    channels: BTreeMap<String, (usize, usize)>,
    won_customers: Vec<String>,
    lost_customers: Vec<String>,
    /// The deal amounts of the customers won, in reading order (summed in that order, so a fold
    /// merged from parallel runs gives the very same total).
    won_amounts: Vec<f64>,
    cycles: Vec<f64>,
    unanswered: Vec<Named>,
    stale: Vec<Named>,
    overdue: Vec<Named>,
    new_customers: Vec<String>,
    promises_due: usize,
    promises_kept: usize,
    broken_promises: Vec<BrokenPromise>,
    overdue_promises: usize,
    overdue_assists: usize,
    /// Lower-cased reason → (count, the first spelling seen); `None`: no reason given.
    reasons: BTreeMap<Option<String>, (usize, Option<String>)>,
}

impl Tally {
    /// One customer: the activity of the scope's entries, its promises and assists, then — for
    /// a customer the scope owns — its outcomes and, unless lost, its states.
    fn count(&mut self, w: &Window<'_>, subject: &Subject<'_>, tracer: &mut Tracer) {
        let r = subject.record;
        let in_range: Vec<&Entry> = r.contacts().filter(|e| w.contains(e.date)).collect();
        let mine: Vec<&Entry> = in_range
            .iter()
            .copied()
            .filter(|e| w.scope.counts_entry(e, r))
            .collect();
        self.touched_and_converted(w, r, &in_range, &mine, tracer);
        for e in &mine {
            self.contact(w, r, e, tracer);
        }
        // Promises and assists are the activity of the rep who logged them.
        for e in r.entries.iter().filter(|e| w.scope.counts_entry(e, r)) {
            for f in e
                .fields
                .iter()
                .filter(|f| f.key == "promised" || f.key == "assist")
            {
                self.promise(w, r, e, f, tracer);
            }
        }
        if !w.scope.owns(r) {
            return;
        }
        self.new_customer(w, r, tracer);
        self.won(w, r, tracer);
        self.lost(w, r, tracer);
        if r.customer.status() == Status::Lost {
            return;
        }
        self.states(w, subject, tracer);
    }

    /// `customers_touched` (by the scope's entries) and `conversion_rate` (an outcome: among
    /// the scope's customers touched by anyone).
    fn touched_and_converted(
        &mut self,
        w: &Window<'_>,
        r: &Record,
        in_range: &[&Entry],
        mine: &[&Entry],
        tracer: &mut Tracer,
    ) {
        let (file, name) = (r.path.as_path(), r.customer.name.as_str());
        if let Some(first) = mine.iter().min_by_key(|e| e.date) {
            self.touched += 1;
            tracer.add("customers_touched", |t| {
                let n = mine.len();
                trace(
                    file,
                    first.line,
                    name,
                    None,
                    t.say(m::T_ENTRIES_IN_RANGE.with("n", n)),
                )
            });
        }
        if !in_range.is_empty() && w.scope.owns(r) {
            self.converted_touched += 1;
            let stage = stage_at_line(r, w.config, w.end);
            let counts = stage
                .as_ref()
                .and_then(|(s, _)| w.config.stage_rank(s))
                .is_some_and(|rank| rank >= w.config.converted_rank());
            if counts {
                self.converted += 1;
            }
            tracer.add("conversion_rate", |t| {
                let (stage, line) = stage
                    .clone()
                    .unwrap_or_else(|| ("?".to_string(), r.customer.name_line));
                trace(
                    file,
                    line,
                    name,
                    None,
                    t.say(m::T_STAGE_ON.with("end", w.end).with("stage", &stage)),
                )
                .counting(counts)
            });
        }
    }

    /// One contact of the scope's in the range: entries, reach, channels and objections.
    fn contact(&mut self, w: &Window<'_>, r: &Record, e: &Entry, tracer: &mut Tracer) {
        let (file, name) = (r.path.as_path(), r.customer.name.as_str());
        self.entries += 1;
        let outcome = e.outcome();
        let channel = self.channels.entry(e.channel.to_string()).or_default();
        channel.0 += 1;
        let ok = outcome == Outcome::Reached;
        if ok {
            self.reached += 1;
            channel.1 += 1;
        } else if outcome.is_unanswered() {
            self.no_answer += 1;
        }
        if tracer.wants(&["entries", "reached", "no_answer", "reach_rate", "channels"]) {
            let heading = format!(
                "{} {}{} — {}",
                e.date,
                e.channel,
                e.author.map_or_else(String::new, |a| format!(" @{a}")),
                outcome.key()
            );
            let at = |group: Option<&str>| trace(file, e.line, name, group, heading.clone());
            tracer.add("entries", |_| at(None));
            if ok {
                tracer.add("reached", |_| at(None));
            }
            if outcome.is_unanswered() {
                tracer.add("no_answer", |_| at(None));
            }
            tracer.add("reach_rate", |_| at(None).counting(ok));
            tracer.add("channels", |_| at(Some(e.channel)).counting(ok));
        }
        for f in e.fields_of("objection") {
            let raw = split_objection(&f.value).0;
            // 价格 counts as price: a category's alias is the category.
            let category = w
                .config
                .objection_key(raw)
                .unwrap_or_else(|| raw.trim().to_lowercase());
            if !category.is_empty() {
                tracer.add("objections", |_| {
                    trace(file, f.line, name, Some(&category), f.value.clone())
                });
                *self.objections.entry(category).or_default() += 1;
            }
        }
    }

    /// A `promised:` or `assist:` item with a due date: promises due in the range and kept or
    /// broken; promises and assists still open and overdue at the range's end.
    fn promise(&mut self, w: &Window<'_>, r: &Record, e: &Entry, f: &Field, tracer: &mut Tracer) {
        let (file, name) = (r.path.as_path(), r.customer.name.as_str());
        let Some(due) = due_date(&f.value) else {
            return;
        };
        let done = (f.task == Some(true)).then(|| done_date(&f.value));
        let text = split_due(&f.value).0;
        let promise = f.key == "promised";
        if promise && w.contains(due) && due < w.today {
            self.promises_due += 1;
            // Ticked without a date: the tick is all we know, so it counts as kept.
            let kept = done.is_some_and(|d| d.is_none_or(|d| d <= due));
            if kept {
                self.promises_kept += 1;
            } else {
                self.broken_promises.push(BrokenPromise {
                    customer: name.to_string(),
                    file: file.display().to_string(),
                    line: f.line,
                    text: text.to_string(),
                    due: due.to_string(),
                    done: done.flatten().map(|d| d.to_string()),
                });
            }
            if tracer.wants(&["promises_due", "promises_kept", "promise_kept_rate"]) {
                let detail = match done {
                    None => tracer.say(m::T_PROMISE_OPEN.with("text", text).with("due", due)),
                    Some(None) => {
                        tracer.say(m::T_PROMISE_TICKED.with("text", text).with("due", due))
                    }
                    Some(Some(d)) if d <= due => tracer.say(
                        m::T_PROMISE_DONE
                            .with("text", text)
                            .with("due", due)
                            .with("done", d),
                    ),
                    Some(Some(d)) => tracer.say(
                        m::T_PROMISE_LATE
                            .with("text", text)
                            .with("due", due)
                            .with("done", d),
                    ),
                };
                let at = || trace(file, f.line, name, None, detail.clone());
                tracer.add("promises_due", |_| at());
                if kept {
                    tracer.add("promises_kept", |_| at());
                }
                tracer.add("promise_kept_rate", |_| at().counting(kept));
            }
        }
        // Open at the period's end: not ticked, or ticked after it.
        let as_of = w.as_of;
        let open_then = e.date <= as_of
            && match done {
                None => true,
                Some(d) => d.is_some_and(|d| d > as_of),
            };
        if open_then && due < as_of {
            let metric = if promise {
                self.overdue_promises += 1;
                "overdue_promises"
            } else {
                self.overdue_assists += 1;
                "overdue_assists"
            };
            tracer.add(metric, |t| {
                let days = (as_of - due).num_days();
                trace(
                    file,
                    f.line,
                    name,
                    None,
                    t.say(
                        m::T_ITEM_OVERDUE
                            .with("text", text)
                            .with("due", due)
                            .with("n", days)
                            .with("as_of", as_of),
                    ),
                )
            });
        }
    }

    /// A customer created in the range.
    fn new_customer(&mut self, w: &Window<'_>, r: &Record, tracer: &mut Tracer) {
        let (file, name) = (r.path.as_path(), r.customer.name.as_str());
        if let Some(created) = created_on(r).filter(|d| w.contains(*d)) {
            self.new_customers.push(name.to_string());
            tracer.add("new_customers", |t| {
                trace(
                    file,
                    created_line(r),
                    name,
                    None,
                    t.say(m::T_CREATED.with("date", created)),
                )
            });
        }
    }

    /// A customer won in the range: the win, its amount and its cycle.
    fn won(&mut self, w: &Window<'_>, r: &Record, tracer: &mut Tracer) {
        let (file, name) = (r.path.as_path(), r.customer.name.as_str());
        let Some(won) = win_entries(r, w.config)
            .into_iter()
            .find(|e| w.contains(e.date))
        else {
            return;
        };
        self.won_customers.push(name.to_string());
        let amount = r.customer.deal_amount.unwrap_or(0.0);
        self.won_amounts.push(amount);
        let first = r.first_contact();
        if let Some(first) = first {
            self.cycles.push((won.date - first).num_days() as f64);
        }
        let change = won
            .field("stage")
            .or_else(|| won.field("status"))
            .map_or_else(String::new, |f| format!("{}: {}", f.key, f.value));
        tracer.add("won", |_| {
            trace(file, won.line, name, None, format!("{} {change}", won.date))
        });
        tracer.add("win_rate", |_| {
            trace(file, won.line, name, None, format!("{} {change}", won.date)).counting(true)
        });
        tracer.add("won_amount", |t| {
            trace(
                file,
                won.line,
                name,
                None,
                t.say(
                    m::T_WON_AMOUNT
                        .with("date", won.date)
                        .with("change", &change)
                        .with("amount", t.amount(amount)),
                ),
            )
        });
        if let Some(first) = first {
            for metric in ["avg_cycle_days", "median_cycle_days"] {
                tracer.add(metric, |t| {
                    let days = (won.date - first).num_days();
                    trace(
                        file,
                        won.line,
                        name,
                        None,
                        t.say(
                            m::T_CYCLE
                                .with("first", first)
                                .with("won", won.date)
                                .with("n", days),
                        ),
                    )
                });
            }
        }
    }

    /// A customer lost in the range, and why.
    fn lost(&mut self, w: &Window<'_>, r: &Record, tracer: &mut Tracer) {
        let (file, name) = (r.path.as_path(), r.customer.name.as_str());
        let Some(lost) = change_into(r, w.start, w.end, "status", |v| {
            Status::parse(v) == Some(Status::Lost)
        }) else {
            return;
        };
        self.lost_customers.push(name.to_string());
        let reason = lost
            .field("reason")
            .map(|f| f.value.trim().to_string())
            .filter(|v| !v.is_empty());
        let slot = self
            .reasons
            .entry(reason.as_ref().map(|r| r.to_lowercase()))
            .or_insert((0, reason.clone()));
        slot.0 += 1;
        let status = lost
            .field("status")
            .map_or_else(String::new, |f| f.value.clone());
        let because = reason.as_deref().map_or_else(
            || tracer.say(m::T_NO_REASON),
            |r| tracer.say(m::T_REASON.with("reason", r)),
        );
        let detail = format!("{} status: {status}; {because}", lost.date);
        tracer.add("lost", |_| {
            trace(file, lost.line, name, None, detail.clone())
        });
        tracer.add("win_rate", |_| {
            trace(file, lost.line, name, None, detail.clone()).counting(false)
        });
        tracer.add("lost_reasons", |_| {
            let line = lost.field("reason").map_or(lost.line, |f| f.line);
            let group = reason.as_deref().unwrap_or("none");
            trace(file, line, name, Some(group), detail.clone())
        });
    }

    /// A customer's state at the range's end: an unanswered streak, stale, overdue.
    fn states(&mut self, w: &Window<'_>, subject: &Subject<'_>, tracer: &mut Tracer) {
        let r = subject.record;
        let (file, name, as_of) = (r.path.as_path(), r.customer.name.as_str(), w.as_of);
        let streak = r.unanswered_streak_by(as_of);
        if streak >= w.config.rules.unanswered_streak as usize {
            self.unanswered.push(subject.named(streak as i64));
            tracer.add("unanswered", |t| {
                let mut contacts: Vec<&Entry> = r.contacts().filter(|e| e.date <= as_of).collect();
                contacts.sort_by_key(|e| e.date);
                let first = contacts[contacts.len().saturating_sub(streak)..]
                    .first()
                    .map_or((r.customer.name_line, as_of), |e| (e.line, e.date));
                trace(
                    file,
                    first.0,
                    name,
                    None,
                    t.say(m::T_STREAK.with("n", streak).with("since", first.1)),
                )
            });
        }
        if let Some(n) = stale_days(r, w.config.rules.stale_after, as_of) {
            self.stale.push(subject.named(n));
            tracer.add("stale", |t| {
                let last = r.last_contact_by(as_of);
                let line = last
                    .and_then(|d| r.contacts().filter(|e| e.date == d).map(|e| e.line).last())
                    .unwrap_or_else(|| r.customer.line_of("created"));
                let detail = match last {
                    Some(d) => t.say(
                        m::T_LAST_CONTACT
                            .with("date", d)
                            .with("n", n)
                            .with("as_of", as_of),
                    ),
                    None => t.say(m::T_NEVER_CONTACTED.with("n", n).with("as_of", as_of)),
                };
                trace(file, line, name, None, detail)
            });
        }
        let reasons_due =
            reasons_with_last_contact(&subject.summary, r.last_contact_by(as_of), w.config, as_of);
        if let Some(first) = reasons_due.iter().min_by_key(|x| x.date())
            && first.date() < as_of
        {
            self.overdue
                .push(subject.named((as_of - first.date()).num_days()));
            tracer.add("overdue", |t| {
                trace(
                    file,
                    reason_line(r, first),
                    name,
                    None,
                    first.describe(as_of, t.lang),
                )
            });
        }
    }

    /// Adds the counts of `later` (customers read after this tally's): sums, joined lists, and
    /// for each lost reason the spelling seen first.
    fn merge(&mut self, later: Tally) {
        let Tally {
            entries,
            reached,
            no_answer,
            touched,
            converted,
            converted_touched,
            objections,
            channels,
            won_customers,
            lost_customers,
            won_amounts,
            cycles,
            unanswered,
            stale,
            overdue,
            new_customers,
            promises_due,
            promises_kept,
            broken_promises,
            overdue_promises,
            overdue_assists,
            reasons,
        } = later;
        self.entries += entries;
        self.reached += reached;
        self.no_answer += no_answer;
        self.touched += touched;
        self.converted += converted;
        self.converted_touched += converted_touched;
        for (category, n) in objections {
            *self.objections.entry(category).or_default() += n;
        }
        for (channel, (n, ok)) in channels {
            let slot = self.channels.entry(channel).or_default();
            slot.0 += n;
            slot.1 += ok;
        }
        self.won_customers.extend(won_customers);
        self.lost_customers.extend(lost_customers);
        self.won_amounts.extend(won_amounts);
        self.cycles.extend(cycles);
        self.unanswered.extend(unanswered);
        self.stale.extend(stale);
        self.overdue.extend(overdue);
        self.new_customers.extend(new_customers);
        self.promises_due += promises_due;
        self.promises_kept += promises_kept;
        self.broken_promises.extend(broken_promises);
        self.overdue_promises += overdue_promises;
        self.overdue_assists += overdue_assists;
        for (key, (n, spelling)) in reasons {
            let slot = self.reasons.entry(key).or_insert((0, spelling));
            slot.0 += n;
        }
    }

    /// The counts as the review's numbers: rates, shares, and each list in its order.
    fn into_metrics(self, start: NaiveDate, end: NaiveDate) -> Metrics {
        let Tally {
            entries,
            reached,
            no_answer,
            touched,
            converted,
            converted_touched,
            objections,
            channels,
            mut won_customers,
            mut lost_customers,
            won_amounts,
            mut cycles,
            mut unanswered,
            mut stale,
            mut overdue,
            mut new_customers,
            promises_due,
            promises_kept,
            mut broken_promises,
            overdue_promises,
            overdue_assists,
            reasons,
        } = self;
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
        // Each name's collation key is made once (sorting thousands of stale customers with a
        // key made per comparison was most of a large folder's `stats`).
        for list in [&mut unanswered, &mut stale, &mut overdue] {
            list.sort_by_cached_key(|n| {
                (
                    std::cmp::Reverse(n.days_or_count),
                    collate::key(&n.customer),
                )
            });
        }
        for list in [&mut won_customers, &mut lost_customers, &mut new_customers] {
            collate::sort_by_name(list, |n| n.as_str());
        }
        broken_promises.sort_by_cached_key(|p| (p.due.clone(), collate::key(&p.customer), p.line));
        let (won, lost) = (won_customers.len(), lost_customers.len());
        let mut lost_reasons: Vec<ReasonCount> = reasons
            .into_values()
            .map(|(count, reason)| ReasonCount {
                reason,
                count,
                share: rate(count, lost),
            })
            .collect();
        // Most frequent first; a given reason before none; then by name.
        lost_reasons.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.reason.is_none().cmp(&b.reason.is_none()))
                .then_with(|| a.reason.cmp(&b.reason))
        });
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
            won_amount: won_amounts.iter().fold(0.0, |sum, a| sum + a),
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
            new_customers: new_customers.len(),
            promises_due,
            promises_kept,
            promise_kept_rate: rate(promises_kept, promises_due),
            overdue_promises,
            overdue_assists,
            lost_reasons,
            won_customers,
            lost_customers,
            unanswered_customers: unanswered,
            stale_customers: stale,
            overdue_customers: overdue,
            new_customer_names: new_customers,
            broken_promises,
        }
    }
}

/// The line a due reason comes from: the last contact's entry (cadence), `created` (never
/// contacted), `next.due` (next action), or the open item.
fn reason_line(r: &Record, reason: &Reason) -> usize {
    let item = |kind: &str, text: &str| {
        r.open_items()
            .find(|(_, f)| {
                (f.key == kind || kind.is_empty()) && split_due(&f.value).0.trim() == text.trim()
            })
            .map(|(_, f)| f.line)
    };
    match reason {
        Reason::Cadence { last_contact, .. } => r
            .contacts()
            .filter(|e| e.date == *last_contact)
            .map(|e| e.line)
            .last(),
        Reason::NeverContacted { .. } => Some(r.customer.line_of("created")),
        Reason::NextAction { .. } => Some(r.customer.line_of("next.due")),
        Reason::Promise { text, .. } => item("promised", text),
        Reason::Assist { text, .. } => item("assist", text),
        Reason::Task { text, .. } => item("", text),
    }
    .unwrap_or(r.customer.name_line)
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

pub fn median(values: &mut [f64]) -> Option<f64> {
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
        period: period.key(),
        periods,
        total: metrics(subjects, config, since, until, today),
    }
}

/// The reps of `--by owner`, in name order: every customer's owner (customers without one
/// under "") and every author of a contact in [since, until]; one spelling per rep.
pub fn owners(records: &[Record], since: NaiveDate, until: NaiveDate) -> Vec<String> {
    let mut set = BTreeSet::new();
    for r in records {
        note_owners(r, since, until, &mut set);
    }
    owners_of(set)
}

/// Adds to `set` the reps a record brings to `--by owner`: its owner ("" for none) and the
/// author of each of its contacts in [since, until].
fn note_owners(r: &Record, since: NaiveDate, until: NaiveDate, set: &mut BTreeSet<String>) {
    let authors = r
        .contacts()
        .filter(|e| e.date >= since && e.date <= until)
        .filter_map(|e| entry_author(e, r));
    note(
        set,
        std::iter::once(r.customer.owner.as_deref().unwrap_or("")).chain(authors),
    );
}

/// Adds each name to `set`, making a `String` only for a name not in it yet (a folder's
/// entries name a handful of people hundreds of thousands of times).
fn note<'n>(set: &mut BTreeSet<String>, names: impl IntoIterator<Item = &'n str>) {
    for name in names {
        if !set.contains(name) {
            set.insert(name.to_string());
        }
    }
}

/// The reps of [`owners`] from the names noted: one spelling per rep, in name order.
fn owners_of(set: BTreeSet<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in set {
        if !out.iter().any(|o| same_person(o, &name)) {
            out.push(name);
        }
    }
    collate::sort_by_name(&mut out, |n| n.as_str());
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
                .chain(r.entries.iter().filter_map(|e| e.author))
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
