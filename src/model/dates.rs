//! Date arguments (`fri`, `+3d`, `2024-01-24`) and durations (`3d`, `2w`, `1m`, `5b`, `24h`),
//! always relative to a `today` that the caller passes in — the core never reads the clock.

use crate::msg::{Text, m};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use std::fmt;

/// A span of time as written in followup.toml and on the command line: `Nh`, `Nd`, `Nw`,
/// `Nm` (calendar months) or `Nb` (business days, Monday to Friday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Duration {
    Hours(u32),
    Days(u32),
    Weeks(u32),
    Months(u32),
    BusinessDays(u32),
}

impl Duration {
    /// Parses `3d`, `2w`, `1m`, `5b`, `24h` (surrounding spaces allowed).
    pub fn parse(text: &str) -> Result<Duration, Text> {
        let text = text.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let n: u32 = number
            .parse()
            .ok()
            .filter(|n| *n <= 100_000)
            .ok_or_else(|| m::E_NOT_A_DURATION.with("text", text))?;
        match unit.trim() {
            "h" => Ok(Duration::Hours(n)),
            "d" => Ok(Duration::Days(n)),
            "w" => Ok(Duration::Weeks(n)),
            "m" => Ok(Duration::Months(n)),
            "b" => Ok(Duration::BusinessDays(n)),
            _ => Err(m::E_DURATION_UNIT.with("text", text)),
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

/// Parses a date argument relative to `today`:
/// - `YYYY-MM-DD`; `today`, `yesterday`, `tomorrow`;
/// - a span forward or back: `+3d` (or just `3d`), `-2d`, `+1w`, `+1m`, `+2b` (business days);
/// - a weekday (`mon` … `sun`, `monday`, `周五`, `星期五`, `礼拜五`): the next such day, never today;
/// - Chinese words: 今天 明天 后天 大后天 昨天 前天; 下周一…下周日 (下星期一…: that day of next
///   week); 本周一…本周日 (这周一…: that day of this week); 下个月 / 下月 (the same day next
///   month); `N天后` `N周后` `N个月后` and `N天前`.
///
/// A date outside the years 0000–9999 (which a file cannot hold) is refused.
pub fn parse_date_arg(text: &str, today: NaiveDate) -> Result<NaiveDate, Text> {
    let t = text.trim();
    let date = relative_date(t, today).ok_or_else(|| bad_date(t))?;
    if parse_iso(&date.to_string()) != Some(date) {
        return Err(m::E_DATE_OUT_OF_RANGE.with("text", t).with("date", date));
    }
    Ok(date)
}

fn relative_date(t: &str, today: NaiveDate) -> Option<NaiveDate> {
    if let Some(d) = parse_iso(t) {
        return Some(d);
    }
    let lower = t.to_lowercase();
    let lower = lower.as_str();
    let days = |n: i64| Some(add_days(today, n));
    match lower {
        "today" | "今天" | "今日" => return days(0),
        "yesterday" | "昨天" | "昨日" => return days(-1),
        "tomorrow" | "明天" | "明日" => return days(1),
        "后天" => return days(2),
        "大后天" => return days(3),
        "前天" => return days(-2),
        "下个月" | "下月" => return today.checked_add_months(Months::new(1)),
        _ => {}
    }
    if let Some(rest) = lower.strip_prefix('+') {
        return Duration::parse(rest).ok().map(|d| d.after(today));
    }
    if let Some(rest) = lower.strip_prefix('-') {
        return Duration::parse(rest).ok().map(|d| d.before(today));
    }
    if lower.starts_with(|c: char| c.is_ascii_digit()) {
        if let Ok(d) = Duration::parse(lower) {
            return Some(d.after(today));
        }
        return chinese_span(lower, today);
    }
    for prefix in ["下周", "下星期", "下礼拜"] {
        if let Some(day) = lower.strip_prefix(prefix) {
            let weekday = weekday_word(day)?;
            let next_monday = add_days(today.week(Weekday::Mon).first_day(), 7);
            return days_into_week(next_monday, weekday);
        }
    }
    for prefix in ["本周", "这周", "本星期", "这星期", "本礼拜", "这礼拜"] {
        if let Some(day) = lower.strip_prefix(prefix) {
            let weekday = weekday_word(day)?;
            return days_into_week(today.week(Weekday::Mon).first_day(), weekday);
        }
    }
    let weekday = parse_weekday(lower)?;
    let mut d = add_days(today, 1);
    while d.weekday() != weekday {
        d = add_days(d, 1);
    }
    Some(d)
}

/// The day `weekday` of the week that starts on `monday`.
fn days_into_week(monday: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    Some(add_days(monday, i64::from(weekday.num_days_from_monday())))
}

/// `3天后`, `2周后`, `1个月后`, `3天前` (also `3日后`, `2星期后`).
fn chinese_span(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let digits = text.find(|c: char| !c.is_ascii_digit())?;
    let n: u32 = text[..digits].parse().ok().filter(|n| *n <= 100_000)?;
    let rest = &text[digits..];
    let (unit, forward) = if let Some(u) = rest.strip_suffix('后') {
        (u, true)
    } else {
        (rest.strip_suffix('前')?, false)
    };
    let span = match unit {
        "天" | "日" => Duration::Days(n),
        "周" | "星期" | "个星期" | "礼拜" | "个礼拜" => Duration::Weeks(n),
        "个月" | "月" => Duration::Months(n),
        _ => return None,
    };
    Some(if forward {
        span.after(today)
    } else {
        span.before(today)
    })
}

fn bad_date(text: &str) -> Text {
    m::E_NOT_A_DATE
        .with("text", text)
        .with_text("forms", m::DATE_FORMS)
}

/// A weekday name: `mon` … `sun`, `monday`, `周五`, `星期五`, `礼拜五`.
fn parse_weekday(text: &str) -> Option<Weekday> {
    let t = text.trim_start_matches("next-");
    for prefix in ["星期", "礼拜", "周"] {
        if let Some(day) = t.strip_prefix(prefix) {
            return weekday_word(day);
        }
    }
    Some(match t {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// The day after 周 / 星期: 一 … 六, 日 / 天 (also 1 … 7).
fn weekday_word(day: &str) -> Option<Weekday> {
    Some(match day {
        "一" | "1" => Weekday::Mon,
        "二" | "2" => Weekday::Tue,
        "三" | "3" => Weekday::Wed,
        "四" | "4" => Weekday::Thu,
        "五" | "5" => Weekday::Fri,
        "六" | "6" => Weekday::Sat,
        "日" | "天" | "7" => Weekday::Sun,
        _ => return None,
    })
}

/// Dates in the read cache as whole days (an integer), not text: reading ten thousand
/// customers' dates back must not parse ten thousand strings.
pub mod days {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(date.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let days = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(days)
            .ok_or_else(|| serde::de::Error::custom("a day out of range"))
    }
}

/// [`days`] for an optional date.
pub mod days_opt {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        date.map(|d| d.num_days_from_ce()).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<i32>::deserialize(d)?
            .map(|days| {
                NaiveDate::from_num_days_from_ce_opt(days)
                    .ok_or_else(|| serde::de::Error::custom("a day out of range"))
            })
            .transpose()
    }
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
    fn bare_spans_and_chinese_words_are_dates() {
        let today = d("2026-11-26"); // a Thursday
        let p = |s: &str| parse_date_arg(s, today).unwrap();
        assert_eq!(p("3d"), d("2026-11-29"));
        assert_eq!(p("2w"), d("2026-12-10"));
        assert_eq!(p("明天"), d("2026-11-27"));
        assert_eq!(p("后天"), d("2026-11-28"));
        assert_eq!(p("大后天"), d("2026-11-29"));
        assert_eq!(p("昨天"), d("2026-11-25"));
        assert_eq!(p("前天"), d("2026-11-24"));
        assert_eq!(p("周四"), d("2026-12-03"), "the next Thursday, never today");
        assert_eq!(p("星期五"), d("2026-11-27"));
        assert_eq!(p("礼拜一"), d("2026-11-30"));
        assert_eq!(p("下周一"), d("2026-11-30"));
        assert_eq!(p("下周五"), d("2026-12-04"));
        assert_eq!(p("下星期日"), d("2026-12-06"));
        assert_eq!(p("本周五"), d("2026-11-27"));
        assert_eq!(p("本周一"), d("2026-11-23"));
        assert_eq!(p("这周日"), d("2026-11-29"));
        assert_eq!(p("下个月"), d("2026-12-26"));
        assert_eq!(p("下月"), d("2026-12-26"));
        assert_eq!(p("3天后"), d("2026-11-29"));
        assert_eq!(p("2周后"), d("2026-12-10"));
        assert_eq!(p("1个月后"), d("2026-12-26"));
        assert_eq!(p("2天前"), d("2026-11-24"));
        let err = parse_date_arg("下周八", today).unwrap_err();
        assert!(err.contains("下周五") && err.contains("3d"), "{err}");
        assert!(parse_date_arg("3", today).is_err());
    }

    #[test]
    fn a_date_a_file_cannot_hold_is_refused() {
        let today = d("2026-11-26");
        let err = parse_date_arg("+100000m", today).unwrap_err();
        assert!(err.contains("0000–9999"), "{err}");
        assert!(parse_date_arg("-100000m", today).is_err());
        assert!(parse_date_arg("+100000w", today).is_ok());
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
