//! The rules `followup check` applies beyond what reading a file already reports: the log's
//! order and dates, channels and objection categories, over-contact, and duplicate customers.
//! Pure: records, settings and today in, diagnostics out.

use crate::model::config::Config;
use crate::model::customer::vague_phrase;
use crate::model::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::entry::{Field, Outcome, due_date, parse_change, split_due, split_objection};
use crate::model::record::Record;
use crate::msg::m;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::PathBuf;

/// Diagnostics about a record's log entries.
pub fn entry_diagnostics(record: &Record, config: &Config, today: NaiveDate) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut latest: Option<NaiveDate> = None;
    let mut per_day: HashMap<NaiveDate, usize> = HashMap::new();
    for e in &record.entries {
        if let Some(prev) = latest
            && e.date < prev
        {
            out.push(
                Diagnostic::warning(
                    e.line,
                    4,
                    Code::EntryOrder,
                    m::D_ENTRY_ORDER.with("date", e.date).with("prev", prev),
                )
                .with_hint(m::H_ENTRY_ORDER),
            );
        }
        latest = latest.max(Some(e.date));
        if e.date > today {
            out.push(Diagnostic::warning(
                e.line,
                4,
                Code::FutureEntry,
                m::D_FUTURE_ENTRY.with("date", e.date).with("today", today),
            ));
        }
        if !e.channel.is_empty() && !config.is_known_channel(e.channel) {
            let hint = did_you_mean(e.channel, config.channels.iter().map(String::as_str))
                .unwrap_or_else(|| m::H_UNKNOWN_CHANNEL.into());
            out.push(
                Diagnostic::warning(
                    e.line,
                    heading_column(e.time),
                    Code::UnknownChannel,
                    m::D_UNKNOWN_CHANNEL.with("channel", e.channel),
                )
                .with_hint(hint),
            );
        }
        if e.is_contact() {
            let n = per_day.entry(e.date).or_default();
            *n += 1;
            if *n == config.rules.max_contacts_per_day as usize + 1 {
                out.push(
                    Diagnostic::warning(
                        e.line,
                        4,
                        Code::OverContact,
                        m::D_OVER_CONTACT
                            .with("n", config.rules.max_contacts_per_day)
                            .with("date", e.date),
                    )
                    .with_hint(m::H_OVER_CONTACT),
                );
            }
        }
        for f in &e.fields {
            field_diagnostics(f, config, &mut out);
        }
    }
    out
}

/// Diagnostics about one field of an entry: unknown objection category, outcome, stage or
/// status, a vague next action, a deadline that is not a date.
fn field_diagnostics(f: &Field, config: &Config, out: &mut Vec<Diagnostic>) {
    let col = f.column;
    match f.key {
        "objection" => {
            let (category, _) = split_objection(&f.value);
            if !config.is_known_objection(category) {
                let hint = did_you_mean(category, config.objection_words())
                    .unwrap_or_else(|| m::H_USE_ONE_OF.with("values", config.objection_list()));
                out.push(
                    Diagnostic::warning(
                        f.line,
                        col,
                        Code::UnknownObjection,
                        m::D_UNKNOWN_OBJECTION.with("category", category),
                    )
                    .with_hint(hint),
                );
            }
        }
        "outcome" => {
            if let Outcome::Unknown(o) = Outcome::parse(&f.value) {
                out.push(
                    Diagnostic::warning(
                        f.line,
                        col,
                        Code::UnknownOutcome,
                        m::D_UNKNOWN_OUTCOME.with("value", o),
                    )
                    .with_hint(m::H_OUTCOMES),
                );
            }
        }
        "stage" => {
            let (old, new) = parse_change(&f.value);
            for v in old.iter().chain(Some(&new)) {
                if config.stage_key(v).is_none() {
                    let keys = config.stages.iter().map(|s| s.key.as_str());
                    let mut d = Diagnostic::error(
                        f.line,
                        col,
                        Code::UnknownStage,
                        m::D_UNKNOWN_STAGE_CHANGE.with("value", v),
                    );
                    d.hint = did_you_mean(v, keys);
                    out.push(d);
                }
            }
        }
        "status" => {
            let (old, new) = parse_change(&f.value);
            for v in old.iter().chain(Some(&new)) {
                if crate::model::customer::Status::parse(v).is_none() {
                    out.push(
                        Diagnostic::error(
                            f.line,
                            col,
                            Code::UnknownStatus,
                            m::D_UNKNOWN_STATUS_CHANGE.with("value", v),
                        )
                        .with_hint(m::H_STATUSES),
                    );
                }
            }
        }
        "next" => {
            if let Some(p) = vague_phrase(split_due(&f.value).0, config) {
                out.push(
                    Diagnostic::warning(
                        f.line,
                        col,
                        Code::VagueNext,
                        m::D_VAGUE_NEXT_ENTRY.with("phrase", p),
                    )
                    .with_hint(m::H_VAGUE_NEXT),
                );
            }
        }
        _ => {}
    }
    if let (_, Some(date)) = split_due(&f.value)
        && due_date(&f.value).is_none()
    {
        out.push(
            Diagnostic::error(f.line, col, Code::BadDate, m::D_BAD_DUE.with("date", date))
                .with_hint(m::H_BAD_DUE),
        );
    }
}

/// Column of the channel in `## DATE [TIME] channel`.
fn heading_column(time: Option<&str>) -> usize {
    4 + 11 + time.map_or(0, |t| t.len() + 1)
}

/// A customer's name and where it is written: all `check` keeps of a file to find two files of
/// one customer.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct NameAt {
    pub name: String,
    pub line: usize,
    pub path: PathBuf,
}

/// A warning on every file after the first (in path order) that holds the same customer — names
/// equal after NFKC normalisation and case folding (`Ａｃｍｅ` = `Acme`, NFC = NFD).
pub fn duplicate_names(names: &[NameAt]) -> Vec<(PathBuf, Diagnostic)> {
    let mut sorted: Vec<&NameAt> = names.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut first: HashMap<String, &NameAt> = HashMap::new();
    let mut out = Vec::new();
    for n in sorted {
        let identity = crate::model::names::identity(&n.name);
        match first.get(&identity) {
            Some(original) => out.push((
                n.path.clone(),
                Diagnostic::warning(
                    n.line,
                    1,
                    Code::DuplicateCustomer,
                    m::D_DUPLICATE
                        .with("name", &n.name)
                        .with("file", original.path.display()),
                )
                .with_hint(m::H_DUPLICATE),
            )),
            None => {
                first.insert(identity, n);
            }
        }
    }
    out
}
