//! What `due`, `list` and name resolution need of a customer — its profile, its contacts' dates
//! and outcomes, and its open items — computed in the reading pass, so the file's text and log
//! can be dropped at once and ten thousand customers fit in a few megabytes. A summary does not
//! depend on today (the last contact and the unanswered streak are asked as of a date), so it
//! can be kept in the read cache.

use crate::model::customer::Customer;
use crate::model::entry::{due_date, split_due};
use crate::model::record::Record;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// An open promise or assist.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OpenItem {
    /// `promised` or `assist`.
    pub kind: String,
    /// The text without its `(due …)`.
    pub text: String,
    #[serde(with = "crate::model::dates::days_opt")]
    pub due: Option<NaiveDate>,
}

/// One contact of the log: its date and whether it went unanswered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    #[serde(with = "crate::model::dates::days")]
    pub date: NaiveDate,
    pub unanswered: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub path: PathBuf,
    pub customer: Customer,
    /// The contacts (not `note` entries), sorted by date; entries of one day keep file order.
    pub contacts: Vec<Contact>,
    pub open_items: Vec<OpenItem>,
    /// The entries' distinct `@author`s (who can be named with `--owner`).
    pub authors: Vec<String>,
}

impl Summary {
    /// Summarises a record; the one definition both the lean and the full reading paths go
    /// through.
    pub fn of(record: &Record) -> Summary {
        let open_items = record
            .open_items()
            .map(|(_, f)| OpenItem {
                kind: f.key.to_string(),
                text: split_due(&f.value).0.to_string(),
                due: due_date(&f.value),
            })
            .collect();
        let mut authors: Vec<String> = Vec::new();
        for a in record.entries.iter().filter_map(|e| e.author) {
            if !authors.iter().any(|x| x == a) {
                authors.push(a.to_string());
            }
        }
        let mut contacts: Vec<Contact> = record
            .contacts()
            .map(|e| Contact {
                date: e.date,
                unanswered: e.outcome().is_unanswered(),
            })
            .collect();
        contacts.sort_by_key(|c| c.date);
        Summary {
            authors,
            contacts,
            open_items,
            customer: record.customer.clone(),
            path: record.path.clone(),
        }
    }

    /// The latest contact on or before `as_of` (a future-dated entry is not a contact yet).
    pub fn last_contact(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        self.contacts
            .iter()
            .rev()
            .find(|c| c.date <= as_of)
            .map(|c| c.date)
    }

    /// How many of the latest contacts on or before `as_of` went unanswered in a row.
    pub fn unanswered_streak(&self, as_of: NaiveDate) -> usize {
        self.contacts
            .iter()
            .rev()
            .skip_while(|c| c.date > as_of)
            .take_while(|c| c.unanswered)
            .count()
    }

    /// File stem, the customer's short handle (`acme`).
    pub fn stem(&self) -> String {
        crate::model::record::file_stem(&self.path)
    }

    /// Who can be named with `--owner` for this customer: its owner and its entries' authors.
    pub fn people(&self) -> impl Iterator<Item = &str> {
        self.customer
            .owner
            .as_deref()
            .into_iter()
            .chain(self.authors.iter().map(String::as_str))
    }
}

/// A customer's name for its file, independent of the machine: the path under the customers
/// folder without `.md`, with `/` separators (`customers/east/acme.md` → `east/acme`). The
/// private overlay's table names and the calendar's UIDs are built on it.
pub fn customer_key(rel: &Path, customers_dir: &str) -> String {
    let inner = rel.strip_prefix(customers_dir).unwrap_or(rel);
    inner
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/")
}
