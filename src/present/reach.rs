//! The words of an agenda item, shared by `agenda`, the calendar and the chat digest: the kind's
//! label, what is to be done, how late it is — in the team's language.

use crate::engine::agenda::AgendaItem;
use crate::engine::due::Reason;
use crate::model::config::Lang;
use crate::model::dates::days_between;
use chrono::{Datelike, NaiveDate};

/// The reason kinds in the order the digest groups them (SPEC 12: next actions, promises,
/// assists, cadence dates; other open to-do boxes before cadence).
pub const KINDS: [&str; 5] = ["next-action", "promise", "assist", "task", "cadence"];

/// A kind as a short label: "Next action", "下一步".
pub fn kind_label(kind: &str, lang: Lang) -> &'static str {
    match (kind, lang) {
        ("next-action", Lang::En) => "Next action",
        ("next-action", Lang::Zh) => "下一步",
        ("promise", Lang::En) => "Promise",
        ("promise", Lang::Zh) => "承诺",
        ("assist", Lang::En) => "Assist",
        ("assist", Lang::Zh) => "协助",
        ("task", Lang::En) => "To-do",
        ("task", Lang::Zh) => "待办",
        (_, Lang::En) => "Contact",
        (_, Lang::Zh) => "联系",
    }
}

/// A kind as a group heading: "Next actions", "下一步行动".
pub fn kind_heading(kind: &str, lang: Lang) -> &'static str {
    match (kind, lang) {
        ("next-action", Lang::En) => "Next actions",
        ("next-action", Lang::Zh) => "下一步行动",
        ("promise", Lang::En) => "Promises to customers",
        ("promise", Lang::Zh) => "对客户的承诺",
        ("assist", Lang::En) => "Help asked of colleagues",
        ("assist", Lang::Zh) => "协助事项",
        ("task", Lang::En) => "Other to-dos",
        ("task", Lang::Zh) => "其他待办",
        (_, Lang::En) => "Time to get in touch (cadence)",
        (_, Lang::Zh) => "按节奏该联系了",
    }
}

/// What is to be done, without the date: "promised: send the trial agreement",
/// "cadence 7d, last contact 2026-08-01".
pub fn what(item: &AgendaItem<'_>, lang: Lang) -> String {
    let text = item.text().unwrap_or("");
    match (&item.reason, lang) {
        (Reason::NextAction { .. }, Lang::En) if text.is_empty() => "next action".into(),
        (Reason::NextAction { .. }, Lang::Zh) if text.is_empty() => "下一步".into(),
        (Reason::NextAction { .. }, Lang::En) => format!("next action: {text}"),
        (Reason::NextAction { .. }, Lang::Zh) => format!("下一步：{text}"),
        (Reason::Promise { .. }, Lang::En) => format!("promised: {text}"),
        (Reason::Promise { .. }, Lang::Zh) => format!("承诺：{text}"),
        (Reason::Assist { .. }, Lang::En) => format!("assist: {text}"),
        (Reason::Assist { .. }, Lang::Zh) => format!("协助：{text}"),
        (Reason::Task { .. }, Lang::En) => format!("to-do: {text}"),
        (Reason::Task { .. }, Lang::Zh) => format!("待办：{text}"),
        (
            Reason::Cadence {
                cadence,
                last_contact,
                ..
            },
            Lang::En,
        ) => format!("cadence {cadence}, last contact {last_contact}"),
        (
            Reason::Cadence {
                cadence,
                last_contact,
                ..
            },
            Lang::Zh,
        ) => format!("节奏 {cadence}，上次联系 {last_contact}"),
        (Reason::NeverContacted { .. }, Lang::En) => "never contacted".into(),
        (Reason::NeverContacted { .. }, Lang::Zh) => "从未联系".into(),
    }
}

/// The item's words where its kind is shown beside them: the text of a next action, promise or
/// assist; the cadence sentence for a cadence date.
pub fn words(item: &AgendaItem<'_>, lang: Lang) -> String {
    match &item.reason {
        Reason::Cadence { .. } | Reason::NeverContacted { .. } => what(item, lang),
        _ => item.text().map_or_else(|| what(item, lang), str::to_string),
    }
}

/// How late an item is, relative to today: "overdue 6d", "today", "in 2 days" ("逾期 6 天" …).
pub fn lateness(date: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let late = days_between(date, today);
    match (late, lang) {
        (d, Lang::En) if d > 0 => format!("overdue {d}d"),
        (d, Lang::Zh) if d > 0 => format!("逾期 {d} 天"),
        (0, Lang::En) => "today".into(),
        (0, Lang::Zh) => "今天".into(),
        (-1, Lang::En) => "tomorrow".into(),
        (-1, Lang::Zh) => "明天".into(),
        (d, Lang::En) => format!("in {} days", -d),
        (d, Lang::Zh) => format!("{} 天后", -d),
    }
}

/// A day heading: "Fri 2026-11-27", "11月27日 周五".
pub fn day_heading(date: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let wd = date.weekday().num_days_from_monday() as usize;
    let rel = match (days_between(today, date), lang) {
        (0, Lang::En) => " · today",
        (1, Lang::En) => " · tomorrow",
        (0, Lang::Zh) => " · 今天",
        (1, Lang::Zh) => " · 明天",
        _ => "",
    };
    match lang {
        Lang::En => {
            const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
            format!("{} {date}{rel}", EN[wd])
        }
        Lang::Zh => {
            const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
            format!("{}月{}日 {}{rel}", date.month(), date.day(), ZH[wd])
        }
    }
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
        assert_eq!(lateness(fri, today, Lang::En), "tomorrow");
        assert_eq!(one_line("a\nb\u{1b}c"), "a b c");
    }
}
