//! The review of one period (复盘): the last period of a range against the whole period before
//! it, the funnel over the range and a row per rep — the data behind both `stats --format
//! markdown` and the HTML page of `followup report`, so the two can never disagree. Pure.

use crate::engine::explain::Tracer;
use crate::engine::pipeline::{FunnelRow, funnel};
use crate::engine::stats::{Metrics, Period, Scope, Subject, metrics_for, owners, periods};
use crate::model::config::Config;
use crate::model::dates::add_days;
use crate::model::record::Record;
use chrono::NaiveDate;

/// The period reviewed and everything shown beside it.
#[derive(Debug, Clone)]
pub struct PeriodReview {
    /// The last period of [since, until] (clipped to it), reviewed.
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub current: Metrics,
    /// The whole period before it — none for `Period::All`.
    pub previous: Option<Previous>,
    /// The funnel over the whole range [since, until], as `pipeline` computes it.
    pub funnel: Vec<FunnelRow>,
    /// Each rep's metrics for the period reviewed (`--by owner`'s rules), reps in name order.
    pub owners: Vec<(String, Metrics)>,
}

/// The period a review compares with.
#[derive(Debug, Clone)]
pub struct Previous {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub metrics: Metrics,
}

/// The review of the last period of [since, until].
pub fn period_review(
    subjects: &[&Subject<'_>],
    records: &[Record],
    config: &Config,
    period: Period,
    (since, until): (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> PeriodReview {
    let (start, end) = periods(period, since, until)
        .pop()
        .unwrap_or((since, until));
    let current = metrics_for(subjects, config, start, end, today, Scope::All);
    let previous = (period != Period::All).then(|| {
        let prev_end = add_days(start, -1);
        let prev_start = period.start_of(prev_end);
        Previous {
            start: prev_start,
            end: prev_end,
            metrics: metrics_for(subjects, config, prev_start, prev_end, today, Scope::All),
        }
    });
    let all: Vec<&Record> = records.iter().collect();
    let funnel = funnel(&all, config, since, until, &mut Tracer::off());
    let owners = owners(records, start, end)
        .into_iter()
        .map(|o| {
            let m = metrics_for(subjects, config, start, end, today, Scope::Rep(&o));
            (o, m)
        })
        .collect();
    PeriodReview {
        start,
        end,
        current,
        previous,
        funnel,
        owners,
    }
}
