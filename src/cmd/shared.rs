//! What several commands share: the guard before every write, the error for an unreadable
//! file, who is writing, placing a new entry, and splitting confidential values off for the overlay.
//! Commands import from here, never from each other.

use crate::engine::check::entry_diagnostics;
use crate::engine::stats::same_person;
use crate::error::{Error, Result};
use crate::io::store::Store;
use crate::model::compose::{NewEntry, NewField, insert_entry, shifted};
use crate::model::config::Config;
use crate::model::config::Lang;
use crate::model::diagnostic::{Code, Diagnostic, Severity};
use crate::model::document::Document;
use crate::model::edit::Change;
use crate::model::record::{Record, Unreadable, parse_document};
use crate::msg::{Text, m};
use crate::present::render::clean;
use chrono::NaiveDate;
use std::path::Path;
use toml_edit::{InlineTable, Value};

/// The error for a file a command must read but cannot parse: file, line, what to do.
pub fn unreadable(u: &Unreadable, writing: bool) -> Error {
    let d = u.first();
    Error::Parse {
        path: u.path.clone(),
        line: d.line,
        message: if writing {
            m::ERROR_NOTHING_WRITTEN.with_text("why", d.message.clone())
        } else {
            d.message.clone()
        },
        hint: Some(d.hint.clone().map_or_else(
            || m::H_RUN_CHECK.into(),
            |h| m::H_THEN_CHECK.with_text("hint", h),
        )),
    }
}

/// Refuses to write a file whose end is inside an unclosed block (a fence, HTML block or
/// comment): anything written after it would be hidden inside it.
pub fn writable(rel: &Path, record: &Record) -> Result<()> {
    match record
        .diagnostics
        .iter()
        .find(|d| d.code == Code::UnclosedBlock)
    {
        Some(d) => Err(m::E_UNCLOSED_WRITE
            .with("file", rel.display())
            .with("line", d.line)
            .with_text("message", d.message.clone())
            .into()),
        None => Ok(()),
    }
}

/// What a write is expected to add: how many entries, and the fields of the one it writes.
pub struct Expect {
    pub entries: usize,
    /// The new entry's heading line and how many fields it must read back with.
    pub entry: Option<(usize, usize)>,
}

impl Expect {
    /// A change that adds no entry.
    pub const NOTHING: Expect = Expect {
        entries: 0,
        entry: None,
    };

    /// One new entry at `line` with `fields` fields.
    pub fn entry(line: usize, fields: usize) -> Expect {
        Expect {
            entries: 1,
            entry: Some((line, fields)),
        }
    }
}

/// Warnings `check` reports that a write may add: they tell the rep something about the new
/// state (a contact too many today, a channel or objection category followup.toml does not
/// list, a vague or undated next action, a pause without a reason, a back-dated entry in a log
/// already out of order, a future date), so they are printed at write time, not refused. Every
/// other diagnostic `check` reports — every error, an unknown outcome, a heading without a
/// channel, a line that looks like an entry but is not one, a stage/status mismatch — refuses
/// the write when the file did not have it.
pub const INFORMATIONAL: [Code; 8] = [
    Code::OverContact,
    Code::UnknownChannel,
    Code::UnknownObjection,
    Code::VagueNext,
    Code::NextWithoutDue,
    Code::PausedWithoutReason,
    Code::EntryOrder,
    Code::FutureEntry,
];

/// What the guard lets through: the bytes to write, the record they read back as, and the
/// informational warnings the change adds (to print).
pub struct Verified {
    pub bytes: Vec<u8>,
    pub record: Record,
    pub notes: Vec<Diagnostic>,
}

/// Every diagnostic `check` reports for one record: the record's own (front matter, headings)
/// and its log's (`entry_diagnostics`).
fn all_diagnostics(record: &Record, config: &Config, today: NaiveDate) -> Vec<Diagnostic> {
    let mut out = record.diagnostics.clone();
    out.extend(entry_diagnostics(record, config, today));
    out
}

/// The last guard before any write: the file must not end inside an unclosed block, and the
/// edited document must read back as a customer file with `before`'s entries plus what
/// `expect` says, and without a diagnostic `check` would report that `before` did not have —
/// the same rules as `check`, except the [`INFORMATIONAL`] warnings, which come back as notes.
/// Why a write was refused, at its file: "… nothing was written".
fn refusal(rel: &Path, why: Text) -> Error {
    Error::Text(
        m::ERR_AT_FILE
            .with("file", rel.display())
            .with_text("message", m::ERROR_NOTHING_WRITTEN.with_text("why", why)),
    )
}

/// "it would add error[code] at line N: …" with the diagnostic's hint.
fn would_add(d: &Diagnostic) -> Text {
    let what = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let added = m::E_WOULD_ADD
        .with("what", format!("{what}[{}]", d.code))
        .with("line", d.line)
        .with_text("message", d.message.clone());
    match &d.hint {
        Some(h) => m::MESSAGE_HINT
            .with_text("message", added)
            .with_text("hint", h.clone()),
        None => added,
    }
}

/// The guard for a file that does not exist yet (`new`, `import`): it must read back, and it
/// may not hold an error `check` would report — except a missing required key, which a new
/// customer may get later (the command warns about it).
pub fn new_file_checked(
    rel: &Path,
    bytes: &[u8],
    config: &Config,
    today: NaiveDate,
) -> Result<(Record, Document)> {
    let (record, doc) = parse_document(rel.to_path_buf(), bytes, config).map_err(|u| {
        refusal(
            rel,
            m::E_WOULD_BE_UNREADABLE.with_text("why", u.first().message.clone()),
        )
    })?;
    let mut errors: Vec<Diagnostic> = all_diagnostics(&record, config, today)
        .into_iter()
        .filter(|d| d.severity == Severity::Error && d.code != Code::MissingField)
        .collect();
    errors.sort_by_key(|d| (d.line, d.column));
    match errors.first() {
        Some(d) => Err(refusal(rel, would_add(d))),
        None => Ok((record, doc)),
    }
}

pub fn verified(
    rel: &Path,
    before: &Record,
    after: &Document,
    expect: &Expect,
    config: &Config,
    today: NaiveDate,
) -> Result<Verified> {
    let refuse = |why: Text| refusal(rel, why);
    writable(rel, before)?;
    let bytes = after.to_bytes();
    let (record, _) = parse_document(rel.to_path_buf(), &bytes, config).map_err(|u| {
        refuse(m::E_WOULD_BE_UNREADABLE.with_text("why", u.first().message.clone()))
    })?;
    if record.entries.len() != before.entries.len() + expect.entries {
        return Err(refuse(m::E_WOULD_NOT_READ_BACK.with("n", expect.entries)));
    }
    if let Some((line, fields)) = expect.entry {
        let read = record.entries.iter().find(|e| e.line == line);
        if read.is_none_or(|e| e.fields.len() != fields) {
            return Err(refuse(m::E_FIELDS_WOULD_NOT_READ_BACK.into()));
        }
    }
    // What the change adds: each (code, message) counted as often as it appears.
    let mut old: Vec<(Code, Text)> = all_diagnostics(before, config, today)
        .into_iter()
        .map(|d| (d.code, d.message))
        .collect();
    let mut added = Vec::new();
    for d in all_diagnostics(&record, config, today) {
        match old.iter().position(|o| o.0 == d.code && o.1 == d.message) {
            Some(i) => {
                old.swap_remove(i);
            }
            None => added.push(d),
        }
    }
    added.sort_by_key(|d| (d.severity, d.line, d.column));
    if let Some(d) = added.iter().find(|d| !INFORMATIONAL.contains(&d.code)) {
        return Err(refuse(would_add(d)));
    }
    let mut notes: Vec<Diagnostic> = Vec::new();
    for d in added {
        // One note per kind, except those that name what is unknown.
        let per_value = matches!(d.code, Code::UnknownChannel | Code::UnknownObjection);
        if per_value || !notes.iter().any(|n| n.code == d.code) {
            notes.push(d);
        }
    }
    Ok(Verified {
        bytes,
        record,
        notes,
    })
}

/// Prints the guard's notes after the command, as `warning: FILE:LINE: message; hint`.
pub fn report_notes(store: &Store, rel: &Path, notes: &[Diagnostic], lang: Lang) {
    for d in notes {
        let note = m::NOTE
            .with("file", rel.display())
            .with("line", d.line)
            .with_text("message", d.message.clone())
            .with("code", d.code);
        let text = match &d.hint {
            Some(h) => m::MESSAGE_HINT
                .with_text("message", note)
                .with_text("hint", h.clone()),
            None => note,
        };
        store.warn(text.render(lang));
    }
}

/// Does the customer pass `--owner`? (any customer when none is given)
pub fn owned_by(r: &Record, owner: Option<&str>) -> bool {
    owner.is_none_or(|o| {
        r.customer
            .owner
            .as_deref()
            .is_some_and(|x| same_person(x, o))
    })
}

/// A warning when an `--owner` matches no customer's owner and no entry's author: the known
/// ones, and the closest. Owners match case-insensitively.
pub fn warn_unknown_owner<'a>(
    store: &Store,
    owner: Option<&str>,
    known: impl IntoIterator<Item = &'a str>,
    lang: Lang,
) {
    let Some(owner) = owner else { return };
    let mut names: Vec<&str> = known.into_iter().filter(|k| !k.trim().is_empty()).collect();
    if names.iter().any(|k| same_person(k, owner)) {
        return;
    }
    crate::model::collate::sort_by_name(&mut names, |n| n);
    names.dedup_by(|a, b| same_person(a, b));
    let mean = crate::model::diagnostic::did_you_mean(owner, names.iter().copied())
        .map_or_else(String::new, |m| format!(" ({})", m.render(lang)));
    let list = if names.is_empty() {
        m::NO_OWNERS_YET.into()
    } else {
        m::OWNERS_ARE.with("owners", crate::msg::list(lang, &names))
    };
    store.warn(
        m::UNKNOWN_OWNER
            .with("owner", owner)
            .with("mean", mean)
            .with_text("list", list)
            .render(lang),
    );
}

/// Who writes, asked before any lock is taken: `--by`, else `git config user.name`.
pub fn writer(by: Option<&str>, root: &Path) -> Option<String> {
    by.map(str::to_string)
        .or_else(|| crate::io::git::user_name(root))
}

/// Author of a new entry: the writer, else the file's owner; one word (`li.wei`).
pub fn author(writer: Option<&str>, owner: Option<&str>) -> Option<String> {
    writer
        .or(owner)
        .map(str::to_string)
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join("."))
        .filter(|a| !a.is_empty())
}

/// Places `entry` in `edited` — `original` after its front-matter edits — in date order among
/// the record's entries: after the last one dated on or before it. The front matter may have
/// grown or shrunk, so the offsets read from `original` shift by as much.
pub fn place_entry(
    original: &Document,
    edited: &Document,
    record: &Record,
    entry: &NewEntry,
    date: NaiveDate,
) -> (Document, usize) {
    let entries = shifted(&record.entries, original, edited);
    insert_entry(edited, &entries, entry, date)
}

/// Splits changes between the private overlay — when the team uses one (`private`) — and the
/// shared file. A confidential key goes to the overlay whole; a table holding confidential keys
/// (`contact={name="Wang", phone="…"}`) is split: its confidential parts go to the overlay as
/// dotted keys, the rest stays in the shared file. Returns (private, shared).
pub fn split_private(
    config: &Config,
    private: bool,
    changes: Vec<Change>,
) -> (Vec<Change>, Vec<Change>) {
    if !private {
        return (Vec::new(), changes);
    }
    let mut to_overlay = Vec::new();
    let mut to_shared = Vec::new();
    for change in changes {
        match change {
            Change::Set(k, v) if config.hides(&k) => to_overlay.push(Change::Set(k, v)),
            Change::Set(k, Value::InlineTable(t)) if config.touches(&k) => {
                if let Some(rest) = split_table(config, &k, t, &mut to_overlay) {
                    to_shared.push(Change::Set(k, Value::InlineTable(rest)));
                }
            }
            // A list that holds a confidential key somewhere goes to the overlay whole.
            Change::Set(k, v) if config.touches(&k) => to_overlay.push(Change::Set(k, v)),
            Change::Remove(k) if config.hides(&k) => to_overlay.push(Change::Remove(k)),
            Change::Remove(k) if config.touches(&k) => {
                to_overlay.push(Change::Remove(k.clone()));
                to_shared.push(Change::Remove(k));
            }
            other => to_shared.push(other),
        }
    }
    (to_overlay, to_shared)
}

/// The shareable part of an inline table at `key` (`None` when nothing is left); its
/// confidential parts are pushed to `private` as dotted keys.
fn split_table(
    config: &Config,
    key: &str,
    table: InlineTable,
    private: &mut Vec<Change>,
) -> Option<InlineTable> {
    let mut rest = InlineTable::new();
    for (k, v) in table {
        let dotted = format!("{key}.{k}");
        if config.hides(&dotted) {
            private.push(Change::Set(dotted, v));
        } else if config.touches(&dotted) {
            match v {
                Value::InlineTable(inner) => {
                    if let Some(inner) = split_table(config, &dotted, inner, private) {
                        rest.insert(&k, Value::InlineTable(inner));
                    }
                }
                v => private.push(Change::Set(dotted, v)),
            }
        } else {
            rest.insert(&k, v);
        }
    }
    (!rest.is_empty()).then_some(rest)
}

/// A log field as written: one that records a front-matter value (`amount` → `deal.amount`,
/// `next` → `next.action`, `stage`, `status`) is masked when that key is confidential —
/// `*** (private)` when the value went to the overlay.
pub fn logged_field(config: &Config, field: &NewField, private: bool) -> NewField {
    let Some(key) = crate::present::mask::mirrored_key(&field.key) else {
        return field.clone();
    };
    let value = if private && config.touches(key) {
        "*** (private)".to_string()
    } else if config.hides(key) {
        crate::present::render::mask(&field.value)
    } else {
        return field.clone();
    };
    NewField {
        value,
        ..field.clone()
    }
}

/// What `check` says of one customer file, its own findings only (no duplicate-name search
/// across the folder): for checking the files a pull changed.
pub fn file_diagnostics(
    store: &Store,
    rel: &Path,
    today: NaiveDate,
) -> Vec<crate::model::diagnostic::Diagnostic> {
    let bytes = match store.read(rel) {
        Ok(b) => b,
        Err(e) => {
            return vec![crate::model::diagnostic::Diagnostic::error(
                1,
                1,
                crate::model::diagnostic::Code::Unreadable,
                m::D_UNREADABLE.with_text("why", Text::raw(e.to_string())),
            )];
        }
    };
    match crate::model::record::parse_record(rel.to_path_buf(), &bytes, &store.config) {
        Ok(record) => {
            let mut d = record.diagnostics.clone();
            d.extend(crate::engine::check::entry_diagnostics(
                &record,
                &store.config,
                today,
            ));
            d
        }
        Err(u) => {
            let mut d = u.diagnostics;
            if let Some(p) = u.partial {
                d.extend(crate::engine::check::entry_diagnostics(
                    &p,
                    &store.config,
                    today,
                ));
            }
            d
        }
    }
}

/// `--explain METRIC[:GROUP]`, split and checked against the metrics a command explains.
pub fn explain_arg(text: &str, metrics: &[&str]) -> Result<(String, Option<String>)> {
    let (metric, group) = match text.split_once(':') {
        Some((m, g)) => (m.trim(), Some(g.trim()).filter(|g| !g.is_empty())),
        None => (text.trim(), None),
    };
    let metric = metric.to_lowercase().replace('-', "_");
    if !metrics.contains(&metric.as_str()) {
        let mean = crate::model::diagnostic::did_you_mean(&metric, metrics.iter().copied());
        let not = m::E_NOT_A_METRIC.with("text", text);
        let not = match mean {
            Some(mean) => m::MESSAGE_MEAN
                .with_text("message", not)
                .with_text("mean", mean),
            None => not,
        };
        return Err(m::MESSAGE_HINT
            .with_text("message", not)
            .with_text("hint", m::H_USE_ONE_OF.with("values", metrics.join(", ")))
            .into());
    }
    Ok((metric, group.map(str::to_string)))
}

/// The explanation as text: `METRIC = VALUE`, what the metric counts, then one
/// `FILE:LINE: customer — what it adds` per line behind it (✓ / ✗ for a rate's numerator).
pub fn explain_text(
    headline: &str,
    about: &str,
    traces: &[crate::engine::explain::Trace],
    show_group: bool,
    lang: crate::model::config::Lang,
) -> String {
    let mut out = format!("{headline}\n{about}\n\n");
    if traces.is_empty() {
        out.push_str(&m::EXPLAIN_NOTHING.get(lang));
        out.push('\n');
    }
    for t in traces {
        let mark = match t.counts {
            Some(true) => "✓ ",
            Some(false) => "✗ ",
            None => "",
        };
        let group = match (&t.group, show_group) {
            (Some(g), true) => format!("[{g}] "),
            _ => String::new(),
        };
        // Names and details come from files: escaped here, as the output keeps the tool's
        // own colour codes.
        out.push_str(&format!(
            "{}:{}: {mark}{}{} — {}\n",
            clean(&t.file),
            t.line,
            clean(&group),
            clean(&t.customer),
            clean(&t.detail)
        ));
    }
    out
}

/// The one format asked for (`table` when none), or the error naming the two that differ.
pub(crate) fn one_format<'a>(asked: &[Option<&'a str>]) -> Result<&'a str> {
    let mut given = asked.iter().flatten();
    let first = given.next().copied().unwrap_or("table");
    match given.find(|f| **f != first) {
        Some(other) => Err(crate::msg::m::E_TWO_FORMATS
            .with("a", first)
            .with("b", other)
            .into()),
        None => Ok(first),
    }
}

/// A date option (`--since`, `--until`) as a date relative to `today`, or the error naming the
/// option.
pub(crate) fn date_flag(
    value: Option<&str>,
    flag: &str,
    today: NaiveDate,
) -> Result<Option<NaiveDate>> {
    value
        .map(|d| {
            crate::model::dates::parse_date_arg(d, today)
                .map_err(|e| Error::Text(m::E_FLAG.with("flag", flag).with_text("detail", e)))
        })
        .transpose()
}

/// Refuses a range that ends before it starts.
pub(crate) fn check_range(since: NaiveDate, until: NaiveDate) -> Result<()> {
    if since > until {
        return Err(m::E_SINCE_AFTER_UNTIL
            .with("since", since)
            .with("until", until)
            .into());
    }
    Ok(())
}
