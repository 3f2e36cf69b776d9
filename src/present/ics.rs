//! The calendar (RFC 5545) of agenda items: one all-day VEVENT per item, built with the
//! `icalendar` crate, which escapes TEXT values (`\\`, `;`, `,`, newline).
//!
//! Two things the crate gets wrong are put right here: its `all_day` writes DTEND equal to
//! DTSTART (RFC 5545 3.8.2.2 wants DTEND later, so an all-day event ends the next day), and its
//! line folding lets the last piece of a long line reach 76 octets. The crate's output is
//! unfolded and folded again at 75 octets, never inside a UTF-8 character.
//!
//! UID: see [`AgendaItem::uid`] — a hash of the customer file's key, the reason kind and the
//! item's text, so the same item keeps its UID across runs, machines and a moved deadline.

use crate::engine::agenda::AgendaItem;
use crate::engine::due::Reason;
use crate::model::config::{Config, Lang};
use crate::msg::m;
use crate::present::i18n::{stage_label, t};
use crate::present::reach::what;
use chrono::NaiveDate;
use icalendar::{Calendar, Component, Property};

/// An item and the contact line to show with it (already masked as the caller decided).
pub struct CalendarItem<'a> {
    pub item: AgendaItem<'a>,
    pub contact: Option<String>,
}

/// The whole calendar as text, CRLF line endings, folded at 75 octets.
pub fn calendar(
    items: &[CalendarItem<'_>],
    config: &Config,
    lang: Lang,
    today: NaiveDate,
    name: &str,
) -> String {
    let mut cal = Calendar::empty();
    for (k, v) in [
        ("VERSION", "2.0"),
        (
            "PRODID",
            concat!("-//followup//followup ", env!("CARGO_PKG_VERSION"), "//EN"),
        ),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", &escape(name)),
        ("X-PUBLISHED-TTL", "PT4H"),
    ] {
        cal.append_property(Property::new(k, clean(v)));
    }
    cal.append_property(
        Property::new("REFRESH-INTERVAL", "PT4H")
            .add_parameter("VALUE", "DURATION")
            .done(),
    );
    // DTSTAMP is required; it is today's midnight (UTC) so a pinned --today reproduces the file.
    let stamp = today.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    for ci in items {
        let item = &ci.item;
        let date = item.date();
        let mut event = icalendar::Event::new();
        event
            .uid(&item.uid(&config.customers_dir))
            .summary(&clean(&summary(item, lang)))
            .description(&clean(&description(ci, config, lang, today)))
            .append_property(
                Property::new("DTSTART", date.format("%Y%m%d").to_string())
                    .add_parameter("VALUE", "DATE")
                    .done(),
            )
            .append_property(
                Property::new(
                    "DTEND",
                    (date + chrono::Duration::days(1))
                        .format("%Y%m%d")
                        .to_string(),
                )
                .add_parameter("VALUE", "DATE")
                .done(),
            )
            .add_property("TRANSP", "TRANSPARENT")
            .add_property("CATEGORIES", item.reason.kind());
        if let Some(stamp) = stamp {
            event.timestamp(stamp);
        }
        cal.push(event.done());
    }
    refold(&cal.done().to_string())
}

/// The event's title: the customer first, then what is to be done.
fn summary(item: &AgendaItem<'_>, lang: Lang) -> String {
    let name = &item.summary.customer.name;
    match &item.reason {
        Reason::Cadence { cadence, .. } => m::ICS_GET_IN_TOUCH
            .with("name", name)
            .with("cadence", crate::present::i18n::duration(lang, *cadence))
            .render(lang),
        Reason::NeverContacted { .. } => m::ICS_FIRST_CONTACT.with("name", name).render(lang),
        _ => format!("{name} · {}", what(item, lang)),
    }
}

/// The event's notes: stable facts only (no "3 days ago"), so a refresh changes nothing that
/// did not change in the files.
fn description(ci: &CalendarItem<'_>, config: &Config, lang: Lang, today: NaiveDate) -> String {
    let item = &ci.item;
    let c = &item.summary.customer;
    let sep = m::COLON.template(lang);
    let line = |label: crate::msg::Msg, value: String| format!("{}{sep}{value}", label.get(lang));
    let mut lines = vec![line(
        m::CUSTOMER,
        m::ICS_CUSTOMER
            .with("name", &c.name)
            .with("stage", stage_label(c.stage.as_deref(), config, lang))
            .with(
                "priority",
                crate::present::i18n::priority(lang, c.priority().key()),
            )
            .render(lang),
    )];
    lines.push(line(m::ICS_WHAT, what(item, lang)));
    lines.push(format!("{}{sep}{}", t(lang, "Due"), item.date()));
    if let Some(owner) = &c.owner {
        lines.push(format!("{}{sep}{owner}", t(lang, "Owner")));
    }
    if let Some(contact) = &ci.contact {
        lines.push(format!("{}{sep}{contact}", t(lang, "Contact")));
    }
    if !matches!(item.reason, Reason::NextAction { .. })
        && let Some(next) = &c.next_action
    {
        let next = match c.next_due {
            Some(d) => m::PAREN.with("a", next).with("b", d).render(lang),
            None => next.clone(),
        };
        lines.push(format!("{}{sep}{next}", t(lang, "Next action")));
    }
    if let Some(last) = item.summary.last_contact(today) {
        lines.push(format!("{}{sep}{last}", t(lang, "Last contact")));
    }
    lines.push(format!(
        "{}{sep}{}",
        t(lang, "File"),
        item.summary.path.display().to_string().replace('\\', "/")
    ));
    lines.join("\n")
}

/// TEXT may hold no control character but the newline and tab (RFC 5545 3.3.11): a CR or CRLF
/// becomes a newline, any other control character a space.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\r' => '\n',
            '\n' | '\t' => c,
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// TEXT escaping for the properties the crate does not know as TEXT (X-WR-CALNAME).
fn escape(text: &str) -> String {
    clean(text)
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Unfolds the writer's content lines and folds each again: at most 75 octets per physical
/// line, counting the leading space of a continuation, cut only between characters.
fn refold(text: &str) -> String {
    let mut logical: Vec<String> = Vec::new();
    for line in text.split("\r\n") {
        match line.strip_prefix(' ') {
            Some(rest) if !logical.is_empty() => {
                if let Some(last) = logical.last_mut() {
                    last.push_str(rest);
                }
            }
            _ if line.is_empty() => {}
            _ => logical.push(line.to_string()),
        }
    }
    let mut out = String::with_capacity(text.len() + text.len() / 24);
    for line in logical {
        fold_into(&line, &mut out);
    }
    out
}

fn fold_into(line: &str, out: &mut String) {
    const LIMIT: usize = 75;
    let mut rest = line;
    let mut first = true;
    loop {
        let room = if first { LIMIT } else { LIMIT - 1 };
        if !first {
            out.push(' ');
        }
        if rest.len() <= room {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        // Not next to a space: some readers trim the end of each physical line.
        let mut soft = cut;
        while soft > 0
            && (rest[..soft].ends_with(char::is_whitespace)
                || rest[soft..].starts_with(char::is_whitespace))
        {
            soft -= 1;
            while !rest.is_char_boundary(soft) {
                soft -= 1;
            }
        }
        if soft > 0 {
            cut = soft;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n");
        rest = &rest[cut..];
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_every_line_within_75_octets_and_characters_whole() {
        for len in [74, 75, 76, 149, 150, 151, 300] {
            let ascii = "a".repeat(len);
            let mut out = String::new();
            fold_into(&ascii, &mut out);
            assert!(out.split("\r\n").all(|l| l.len() <= 75), "{len}");
            assert_eq!(refold(&out), out);
            assert_eq!(out.replace("\r\n ", "").trim_end(), ascii);
        }
        let zh = format!("SUMMARY:{}", "华东精密机械，上海；".repeat(20));
        let mut out = String::new();
        fold_into(&zh, &mut out);
        for l in out.split("\r\n") {
            assert!(l.len() <= 75);
            assert!(std::str::from_utf8(l.as_bytes()).is_ok());
        }
        assert_eq!(out.replace("\r\n ", "").trim_end(), zh);
        // A physical line never ends with, nor continues with, a space.
        let spaced = format!("DESCRIPTION:{}", "ab ".repeat(60));
        let mut out = String::new();
        fold_into(&spaced, &mut out);
        let lines: Vec<&str> = out.strip_suffix("\r\n").unwrap().split("\r\n").collect();
        assert!(lines.len() > 2);
        for (i, l) in lines.iter().enumerate() {
            assert!(i + 1 == lines.len() || !l.ends_with(' '), "{l:?}");
            assert!(i == 0 || !l[1..].starts_with(' '), "{l:?}");
        }
        assert_eq!(out.replace("\r\n ", ""), format!("{spaced}\r\n"));
    }

    #[test]
    fn the_crates_own_folding_would_overrun() {
        // Why `refold` exists: icalendar 0.17 lets the last piece of a 150-octet line reach 76.
        let mut cal = Calendar::empty();
        cal.append_property(Property::new("X-LONG", "b".repeat(150 - "X-LONG:".len())));
        let raw = cal.done().to_string();
        let longest = raw.split("\r\n").map(str::len).max().unwrap();
        assert_eq!(longest, 76);
        assert!(refold(&raw).split("\r\n").all(|l| l.len() <= 75));
    }

    #[test]
    fn control_characters_do_not_reach_the_file() {
        assert_eq!(clean("a\r\nb\rc\u{1b}[31m"), "a\nb\nc [31m");
    }
}
