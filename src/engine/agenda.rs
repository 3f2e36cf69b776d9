//! The agenda: the due engine's reasons turned into dated items, one per reason — a next action,
//! a promise, an assist or a cadence date — so `agenda`, the calendar export and the chat digest
//! can lay them out by day or group them by kind. The rules are `due::due_items`'s, not a copy:
//! an item exists exactly when `due` would list that reason by the same date. Pure.

use crate::engine::due::{Reason, due_items};
use crate::model::config::Config;
use crate::model::dates::days_between;
use crate::model::summary::{Summary, customer_key};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// One thing that falls due on one date for one customer.
#[derive(Debug, Clone)]
pub struct AgendaItem<'a> {
    pub summary: &'a Summary,
    pub reason: Reason,
    /// today − date: positive when overdue.
    pub overdue_days: i64,
    /// 1 for the first item of this customer with this kind and text, 2 for a second
    /// identical one (two open promises with the same words), … — keeps identities unique.
    pub occurrence: usize,
}

/// Items laid out for reading: what is overdue, then each day from today to `until` that has
/// something due.
#[derive(Debug)]
pub struct Agenda<'a> {
    /// Before today, most overdue first.
    pub overdue: Vec<AgendaItem<'a>>,
    /// Today and later, in date order; days with nothing due are left out.
    pub days: Vec<(NaiveDate, Vec<AgendaItem<'a>>)>,
}

impl AgendaItem<'_> {
    pub fn date(&self) -> NaiveDate {
        self.reason.date()
    }

    /// The item's own words: the promise, assist or to-do text, the next action; none for cadence.
    pub fn text(&self) -> Option<&str> {
        match &self.reason {
            Reason::Promise { text, .. }
            | Reason::Assist { text, .. }
            | Reason::Task { text, .. } => Some(text),
            Reason::NextAction { .. } => self.summary.customer.next_action.as_deref(),
            Reason::Cadence { .. } | Reason::NeverContacted { .. } => None,
        }
    }

    /// The identity of the item, independent of its date: the customer file (its path under the
    /// customers folder, without `.md`), the reason's kind and the item's text. A deadline that
    /// moves keeps this key; a new next action or a renamed file gets a new one.
    pub fn key(&self, customers_dir: &str) -> String {
        let file = customer_key(&self.summary.path, customers_dir);
        let mut key = format!(
            "{file}\n{}\n{}",
            self.reason.kind(),
            self.text().unwrap_or("")
        );
        if self.occurrence > 1 {
            key.push_str(&format!("\n#{}", self.occurrence));
        }
        key
    }

    /// A calendar UID: SHA-256 of [`key`](Self::key), first 128 bits in hex, `@followup`.
    pub fn uid(&self, customers_dir: &str) -> String {
        let digest = Sha256::digest(self.key(customers_dir).as_bytes());
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("{hex}@followup")
    }
}

/// Sort rank of a reason kind inside one customer and day: the customer's own words first.
fn kind_rank(reason: &Reason) -> u8 {
    match reason {
        Reason::NextAction { .. } => 0,
        Reason::Promise { .. } => 1,
        Reason::Assist { .. } => 2,
        Reason::Task { .. } => 3,
        Reason::Cadence { .. } | Reason::NeverContacted { .. } => 4,
    }
}

/// Every item due on or before `until` (overdue ones included), in date order, then priority
/// high → low, then customer name, then kind.
pub fn items<'a>(
    summaries: &'a [Summary],
    config: &Config,
    today: NaiveDate,
    until: NaiveDate,
    owner: Option<&str>,
) -> Vec<AgendaItem<'a>> {
    let mut out: Vec<AgendaItem<'a>> = Vec::new();
    for due in due_items(summaries, config, today, until, owner) {
        let mut seen: Vec<(&'static str, Option<String>)> = Vec::new();
        for reason in due.reasons {
            let mut item = AgendaItem {
                summary: due.summary,
                overdue_days: days_between(reason.date(), today),
                reason,
                occurrence: 1,
            };
            let id = (item.reason.kind(), item.text().map(str::to_string));
            item.occurrence = 1 + seen.iter().filter(|s| **s == id).count();
            seen.push(id);
            out.push(item);
        }
    }
    // Each name's collation key is computed once.
    out.sort_by_cached_key(|i| {
        (
            i.date(),
            i.summary.customer.priority(),
            crate::model::collate::key(&i.summary.customer.name),
            i.summary.path.clone(),
            kind_rank(&i.reason),
        )
    });
    out
}

/// The agenda from today to `until`: overdue items first, then day by day.
pub fn agenda<'a>(
    summaries: &'a [Summary],
    config: &Config,
    today: NaiveDate,
    until: NaiveDate,
    owner: Option<&str>,
) -> Agenda<'a> {
    let mut overdue = Vec::new();
    let mut days: Vec<(NaiveDate, Vec<AgendaItem<'a>>)> = Vec::new();
    for item in items(summaries, config, today, until, owner) {
        let date = item.date();
        if date < today {
            overdue.push(item);
        } else {
            match days.last_mut() {
                Some((d, list)) if *d == date => list.push(item),
                _ => days.push((date, vec![item])),
            }
        }
    }
    Agenda { overdue, days }
}

/// Items due by today, grouped by owner (owners in name order, the unowned last), for one
/// digest per owner. Within an owner, the order of [`items`].
pub fn by_owner<'a>(items: Vec<AgendaItem<'a>>) -> Vec<(Option<String>, Vec<AgendaItem<'a>>)> {
    let mut groups: Vec<(Option<String>, Vec<AgendaItem<'a>>)> = Vec::new();
    for item in items {
        let owner = item.summary.customer.owner.clone();
        match groups.iter_mut().find(|(o, _)| {
            o.as_deref().map(str::to_lowercase) == owner.as_deref().map(str::to_lowercase)
        }) {
            Some((_, list)) => list.push(item),
            None => groups.push((owner, vec![item])),
        }
    }
    groups.sort_by(|(a, _), (b, _)| match (a, b) {
        (Some(a), Some(b)) => crate::model::collate::cmp(a, b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::customer::Customer;
    use crate::model::summary::OpenItem;
    use std::path::{Path, PathBuf};

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn summary(path: &str, owner: &str, next_due: Option<&str>) -> Summary {
        let customer = Customer {
            name: path.to_string(),
            owner: Some(owner.to_string()),
            stage: Some("intent".into()),
            next_action: next_due.map(|_| "Send the quote".to_string()),
            next_due: next_due.map(date),
            ..Customer::default()
        };
        Summary {
            path: PathBuf::from(format!("customers/{path}.md")),
            customer,
            contacts: vec![crate::model::summary::Contact {
                date: date("2026-11-20"),
                unanswered: false,
            }],
            authors: Vec::new(),
            open_items: vec![
                OpenItem {
                    kind: "promised".into(),
                    text: "send the deck".into(),
                    due: Some(date("2026-11-24")),
                },
                OpenItem {
                    kind: "promised".into(),
                    text: "send the deck".into(),
                    due: Some(date("2026-11-30")),
                },
            ],
        }
    }

    #[test]
    fn one_item_per_reason_overdue_first_then_by_day() {
        let config = Config::default();
        let s = vec![summary("east/acme", "li.wei", Some("2026-11-27"))];
        let today = date("2026-11-26");
        let a = agenda(&s, &config, today, date("2026-12-02"), None);
        // promise 11-24 overdue; cadence 3d from 11-20 = 11-23 overdue; next action 11-27;
        // the second promise 11-30.
        let overdue: Vec<_> = a
            .overdue
            .iter()
            .map(|i| (i.reason.kind(), i.overdue_days))
            .collect();
        assert_eq!(overdue, [("cadence", 3), ("promise", 2)]);
        let days: Vec<_> = a
            .days
            .iter()
            .map(|(d, l)| {
                (
                    d.to_string(),
                    l.iter().map(|i| i.reason.kind()).collect::<Vec<_>>(),
                )
            })
            .collect();
        assert_eq!(
            days,
            [
                ("2026-11-27".to_string(), vec!["next-action"]),
                ("2026-11-30".to_string(), vec!["promise"]),
            ]
        );
    }

    #[test]
    fn uid_ignores_the_date_but_not_the_text_or_the_twin() {
        let config = Config::default();
        let today = date("2026-11-26");
        let until = date("2026-12-31");
        let a = vec![summary("east/acme", "li.wei", Some("2026-11-27"))];
        let b = vec![summary("east/acme", "li.wei", Some("2026-12-15"))];
        let next = |s: &[Summary]| {
            items(s, &config, today, until, None)
                .into_iter()
                .find(|i| i.reason.kind() == "next-action")
                .unwrap()
                .uid("customers")
        };
        assert_eq!(next(&a), next(&b));
        let promises: Vec<String> = items(&a, &config, today, until, None)
            .iter()
            .filter(|i| i.reason.kind() == "promise")
            .map(|i| i.uid("customers"))
            .collect();
        assert_eq!(promises.len(), 2);
        assert_ne!(promises[0], promises[1]);
        assert!(promises[0].ends_with("@followup") && promises[0].len() == 32 + 9);
        assert_eq!(
            customer_key(Path::new("customers/east/acme.md"), "customers"),
            "east/acme"
        );
    }

    #[test]
    fn an_open_to_do_box_is_an_item_with_its_text() {
        let config = Config::default();
        let mut s = summary("acme", "li.wei", None);
        s.open_items = vec![OpenItem {
            kind: String::new(),
            text: "call the CFO".into(),
            due: Some(date("2026-11-25")),
        }];
        let s = vec![s];
        let today = date("2026-11-26");
        let found = items(&s, &config, today, today, None);
        let task = found.iter().find(|i| i.reason.kind() == "task").unwrap();
        assert_eq!(task.text(), Some("call the CFO"));
        assert_eq!(task.overdue_days, 1);
        assert_eq!(
            crate::present::reach::what(task, crate::model::config::Lang::Zh),
            "待办：call the CFO"
        );
    }

    #[test]
    fn owners_group_case_insensitively_unowned_last() {
        let config = Config::default();
        let mut s = vec![
            summary("b", "Zhang.Min", None),
            summary("a", "li.wei", None),
            summary("c", "zhang.min", None),
        ];
        s.push({
            let mut x = summary("d", "x", None);
            x.customer.owner = None;
            x
        });
        let today = date("2026-11-26");
        let groups = by_owner(items(&s, &config, today, today, None));
        let owners: Vec<_> = groups.iter().map(|(o, l)| (o.clone(), l.len())).collect();
        assert_eq!(
            owners,
            [
                (Some("li.wei".into()), 2),
                (Some("Zhang.Min".into()), 4),
                (None, 2)
            ]
        );
    }
}
