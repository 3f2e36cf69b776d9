//! Date arguments (`fri`, `+3d`, `2024-01-24`) and durations (`3d`, `2w`, `1m`, `5b`, `24h`),
//! always relative to a `today` that the caller passes in — the core never reads the clock.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use std::fmt;

/// A span of time as written in followup.toml and on the command line: `Nh`, `Nd`, `Nw`,
/// `Nm` (calendar months) or `Nb` (business days, Monday to Friday).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    Hours(u32),
    Days(u32),
    Weeks(u32),
    Months(u32),
    BusinessDays(u32),
}

impl Duration {
    /// Parses `3d`, `2w`, `1m`, `5b`, `24h` (surrounding spaces allowed).
    pub fn parse(text: &str) -> Result<Duration, String> {
        let text = text.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let n: u32 = number.parse().ok().filter(|n| *n <= 100_000).ok_or_else(|| {
            format!(
                "`{text}` is not a duration; write a number (up to 100000) and a unit, like 3d, 2w, 1m, 5b or 24h"
            )
        })?;
        match unit.trim() {
            "h" => Ok(Duration::Hours(n)),
            "d" => Ok(Duration::Days(n)),
            "w" => Ok(Duration::Weeks(n)),
            "m" => Ok(Duration::Months(n)),
            "b" => Ok(Duration::BusinessDays(n)),
            _ => Err(format!(
                "`{text}` has an unknown unit; use h (hours), d (days), w (weeks), m (months) or b (business days)"
            )),
        }
    }

    /// The date this long after `date` (hours round up to whole days).
    pub fn after(self, date: NaiveDate) -> NaiveDate {
        match self {
            Duration::Hours(h) => add_days(date, i64::from(h.div_ceil(24))),
            Duration::Days(d) => add_days(date, i64::from(d)),
            Duration::Weeks(w) => add_days(date, 7 * i64::from(w)),
            Duration::Months(m) => date.checked_add_months(Months::new(m)).unwrap_or(date),
            Duration::BusinessDays(b) => add_business_days(date, b),
        }
    }

    /// The date this long before `date`.
    pub fn before(self, date: NaiveDate) -> NaiveDate {
        match self {
            Duration::Hours(h) => add_days(date, -i64::from(h.div_ceil(24))),
            Duration::Days(d) => add_days(date, -i64::from(d)),
            Duration::Weeks(w) => add_days(date, -7 * i64::from(w)),
            Duration::Months(m) => date.checked_sub_months(Months::new(m)).unwrap_or(date),
            Duration::BusinessDays(b) => step_business_days(date, b, -1),
        }
    }

    /// Length in hours, with months counted as 30 days and business days as days.
    pub fn approx_hours(self) -> u64 {
        match self {
            Duration::Hours(h) => u64::from(h),
            Duration::Days(d) | Duration::BusinessDays(d) => 24 * u64::from(d),
            Duration::Weeks(w) => 7 * 24 * u64::from(w),
            Duration::Months(m) => 30 * 24 * u64::from(m),
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Duration::Hours(n) => write!(f, "{n}h"),
            Duration::Days(n) => write!(f, "{n}d"),
            Duration::Weeks(n) => write!(f, "{n}w"),
            Duration::Months(n) => write!(f, "{n}m"),
            Duration::BusinessDays(n) => write!(f, "{n}b"),
        }
    }
}

/// `date` plus `days` (negative goes back); saturates at chrono's limits instead of panicking.
pub fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .unwrap_or(date)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn add_business_days(date: NaiveDate, n: u32) -> NaiveDate {
    step_business_days(date, n, 1)
}

/// Moves `n` business days forward (`dir` 1) or back (-1): whole weeks at once, then day by
/// day for the rest, so any `n` costs at most a few steps.
fn step_business_days(date: NaiveDate, n: u32, dir: i64) -> NaiveDate {
    let mut d = add_days(date, dir * 7 * i64::from(n / 5));
    let mut left = n % 5;
    while left > 0 {
        d = add_days(d, dir);
        if !is_weekend(d) {
            left -= 1;
        }
    }
    d
}

/// Parses an ISO date `YYYY-MM-DD`, strictly (two-digit month and day).
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// Parses a date argument: `YYYY-MM-DD`, `today`, `yesterday`, `tomorrow`, `+3d`, `-2d`, `+1w`,
/// `+1m`, `+2b`, or a weekday (`mon` … `sun`, `monday`, `周五`, `星期五`: the next such day,
/// never today).
pub fn parse_date_arg(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let t = text.trim();
    let lower = t.to_lowercase();
    if let Some(d) = parse_iso(t) {
        return Ok(d);
    }
    match lower.as_str() {
        "today" | "今天" => return Ok(today),
        "yesterday" | "昨天" => return Ok(add_days(today, -1)),
        "tomorrow" | "明天" => return Ok(add_days(today, 1)),
        _ => {}
    }
    if let Some(rest) = lower.strip_prefix('+') {
        return Duration::parse(rest)
            .map(|d| d.after(today))
            .map_err(|_| bad_date(t));
    }
    if let Some(rest) = lower.strip_prefix('-') {
        return Duration::parse(rest)
            .map(|d| d.before(today))
            .map_err(|_| bad_date(t));
    }
    if let Some(weekday) = parse_weekday(&lower) {
        let mut d = add_days(today, 1);
        while d.weekday() != weekday {
            d = add_days(d, 1);
        }
        return Ok(d);
    }
    Err(bad_date(t))
}

fn bad_date(text: &str) -> String {
    format!(
        "`{text}` is not a date; use YYYY-MM-DD, today, yesterday, tomorrow, +3d, -2d, +1w, +1m or a weekday like fri"
    )
}

fn parse_weekday(text: &str) -> Option<Weekday> {
    let t = text
        .trim_start_matches("星期")
        .trim_start_matches('周')
        .trim_start_matches("next-");
    Some(match t {
        "mon" | "monday" | "一" => Weekday::Mon,
        "tue" | "tues" | "tuesday" | "二" => Weekday::Tue,
        "wed" | "wednesday" | "三" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" | "四" => Weekday::Thu,
        "fri" | "friday" | "五" => Weekday::Fri,
        "sat" | "saturday" | "六" => Weekday::Sat,
        "sun" | "sunday" | "日" | "天" => Weekday::Sun,
        _ => return None,
    })
}

/// Days from `from` to `to` (positive when `to` is later).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_iso(s).unwrap()
    }

    #[test]
    fn relative_dates_follow_today() {
        let today = d("2026-11-26"); // a Thursday
        assert_eq!(parse_date_arg("today", today).unwrap(), today);
        assert_eq!(parse_date_arg("+3d", today).unwrap(), d("2026-11-29"));
        assert_eq!(parse_date_arg("-2d", today).unwrap(), d("2026-11-24"));
        assert_eq!(parse_date_arg("+1w", today).unwrap(), d("2026-12-03"));
        assert_eq!(parse_date_arg("+1m", today).unwrap(), d("2026-12-26"));
        assert_eq!(parse_date_arg("fri", today).unwrap(), d("2026-11-27"));
        assert_eq!(parse_date_arg("thu", today).unwrap(), d("2026-12-03"));
        assert_eq!(parse_date_arg("周一", today).unwrap(), d("2026-11-30"));
        assert_eq!(parse_date_arg("+2b", today).unwrap(), d("2026-11-30"));
        assert!(parse_date_arg("2026-02-30", today).is_err());
        assert!(parse_date_arg("someday", today).is_err());
    }

    #[test]
    fn durations_parse_and_add() {
        let jan31 = d("2024-01-31");
        assert_eq!(Duration::parse("1m").unwrap().after(jan31), d("2024-02-29"));
        assert_eq!(
            Duration::parse("24h").unwrap().after(jan31),
            d("2024-02-01")
        );
        assert_eq!(
            Duration::parse("1b").unwrap().after(d("2024-01-05")),
            d("2024-01-08")
        );
        assert_eq!(
            Duration::parse("6b").unwrap().after(d("2024-01-05")),
            d("2024-01-15")
        );
        assert_eq!(
            Duration::parse("5b").unwrap().before(d("2024-01-08")),
            d("2024-01-01")
        );
        // A huge span costs a few steps, not one per day; an absurd one is refused.
        let _ = Duration::parse("100000b").unwrap().after(jan31);
        assert!(Duration::parse("4000000000b").is_err());
        assert!(Duration::parse("3x").is_err());
        assert!(Duration::parse("d").is_err());
    }
}
