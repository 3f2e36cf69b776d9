//! The words of an agenda item, shared by `agenda`, the calendar and the chat digest: the kind's
//! label, what is to be done, how late it is — in the team's language.

use crate::engine::agenda::AgendaItem;
use crate::engine::due::Reason;
use crate::model::config::Lang;
use crate::model::dates::days_between;
use crate::msg::m;
use chrono::{Datelike, NaiveDate};

/// The reason kinds in the order the digest groups them (docs/notify.md: next actions, promises,
/// assists, cadence dates; other open to-do boxes before cadence).
pub const KINDS: [&str; 5] = ["next-action", "promise", "assist", "task", "cadence"];

/// A kind as a short label: "Next action", "下一步".
pub fn kind_label(kind: &str, lang: Lang) -> String {
    match kind {
        "next-action" => m::KIND_NEXT,
        "promise" => m::KIND_PROMISE,
        "assist" => m::KIND_ASSIST,
        "task" => m::KIND_TASK,
        _ => m::KIND_CONTACT,
    }
    .get(lang)
}

/// A kind as a group heading: "Next actions", "下一步行动".
pub fn kind_heading(kind: &str, lang: Lang) -> String {
    match kind {
        "next-action" => m::HEAD_NEXT,
        "promise" => m::HEAD_PROMISE,
        "assist" => m::HEAD_ASSIST,
        "task" => m::HEAD_TASK,
        _ => m::HEAD_CONTACT,
    }
    .get(lang)
}

/// What is to be done, without the date: "promised: send the trial agreement",
/// "every 7 days, last contact 2026-08-01" / "节奏 7 天，上次联系 2026-08-01".
pub fn what(item: &AgendaItem<'_>, lang: Lang) -> String {
    let text = item.text().unwrap_or("");
    let t = match &item.reason {
        Reason::NextAction { .. } if text.is_empty() => m::WHAT_NEXT_BARE.into(),
        Reason::NextAction { .. } => m::WHAT_NEXT.with("text", text),
        Reason::Promise { .. } => m::WHAT_PROMISE.with("text", text),
        Reason::Assist { .. } => m::WHAT_ASSIST.with("text", text),
        Reason::Task { .. } => m::WHAT_TASK.with("text", text),
        Reason::Cadence {
            cadence,
            last_contact,
            ..
        } => m::WHY_CADENCE
            .with("cadence", crate::present::i18n::duration(lang, *cadence))
            .with("last", last_contact),
        Reason::NeverContacted { .. } => m::NEVER_CONTACTED.into(),
    };
    t.render(lang)
}

/// The item's words where its kind is shown beside them: the text of a next action, promise or
/// assist; the cadence sentence for a cadence date.
pub fn words(item: &AgendaItem<'_>, lang: Lang) -> String {
    match &item.reason {
        Reason::Cadence { .. } | Reason::NeverContacted { .. } => what(item, lang),
        _ => item.text().map_or_else(|| what(item, lang), str::to_string),
    }
}

/// How late an item is, relative to today, in the one word order every command uses:
/// "overdue 6 days", "today", "in 2 days" / "逾期 6 天", "今天", "2 天后".
pub fn lateness(date: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    match days_between(date, today) {
        d if d > 0 => m::OVERDUE_DAYS.with("n", d).render(lang),
        _ => crate::engine::due::relative(date, today, lang),
    }
}

/// A day heading: "Fri 2026-11-27", "11月27日 周五".
pub fn day_heading(date: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    const DAYS: [crate::msg::Msg; 7] = [m::MON, m::TUE, m::WED, m::THU, m::FRI, m::SAT, m::SUN];
    let wd = date.weekday().num_days_from_monday() as usize;
    let heading = m::DAY_HEADING
        .with("weekday", DAYS[wd].get(lang))
        .with("date", date.format(m::DAY_DATE_FORMAT.template(lang)));
    match days_between(today, date) {
        0 => m::DAY_RELATIVE
            .with_text("day", heading)
            .with_text("rel", m::TODAY),
        1 => m::DAY_RELATIVE
            .with_text("day", heading)
            .with_text("rel", m::TOMORROW),
        _ => heading,
    }
    .render(lang)
}

/// Text made safe for a one-line cell or a chat line: control characters (a newline too)
/// become spaces.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_headings_and_lateness() {
        let today: NaiveDate = "2026-11-26".parse().unwrap();
        let fri: NaiveDate = "2026-11-27".parse().unwrap();
        assert_eq!(
            day_heading(fri, today, Lang::En),
            "Fri 2026-11-27 · tomorrow"
        );
        assert_eq!(day_heading(today, today, Lang::Zh), "11月26日 周四 · 今天");
        assert_eq!(lateness(today, fri, Lang::Zh), "逾期 1 天");
        assert_eq!(lateness(today, fri, Lang::En), "overdue 1 day");
        assert_eq!(lateness(fri, today, Lang::En), "tomorrow");
        assert_eq!(one_line("a\nb\u{1b}c"), "a b c");
    }
}
