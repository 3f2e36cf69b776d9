//! What several commands share: the guard before every write, the error for an unreadable
//! file, who is writing, placing a new entry, and routing confidential values to the overlay.
//! Commands import from here, never from each other.

use crate::error::{Error, Result};
use crate::io::overlay::customer_key;
use crate::io::store::Store;
use crate::model::config::Config;
use crate::model::diagnostic::Severity;
use crate::model::document::Document;
use crate::model::edit::Change;
use crate::model::entry::NewEntry;
use crate::model::record::{Record, Unreadable, parse_document};
use chrono::NaiveDate;
use std::path::Path;

/// The error for a file a command must read but cannot parse: file, line, what to do.
pub fn unreadable(u: &Unreadable, writing: bool) -> Error {
    let d = u.first();
    Error::Parse {
        path: u.path.clone(),
        line: d.line,
        message: if writing {
            format!("{}; nothing was written", d.message)
        } else {
            d.message.clone()
        },
        hint: Some(d.hint.clone().map_or_else(
            || "run `followup check` for details".into(),
            |h| format!("{h}, then run `followup check`"),
        )),
    }
}

/// The last guard before any write: the edited document must read back as a customer file,
/// with `before`'s entries plus `added`, and without an error `before` did not have. Returns
/// the bytes to write and the record they read back as.
pub fn verified(
    rel: &Path,
    before: &Record,
    after: &Document,
    added: usize,
    config: &Config,
) -> Result<(Vec<u8>, Record)> {
    let refuse =
        |why: String| Error::Refused(format!("{}: {why}; nothing was written", rel.display()));
    let bytes = after.to_bytes();
    let (record, _) = parse_document(rel.to_path_buf(), &bytes, config).map_err(|u| {
        refuse(format!(
            "the change would leave the file unreadable ({})",
            u.first().message
        ))
    })?;
    if record.entries.len() != before.entries.len() + added {
        return Err(refuse(format!(
            "the change would not read back with {added} new entr{}",
            if added == 1 { "y" } else { "ies" }
        )));
    }
    let new_error = record.diagnostics.iter().find(|d| {
        d.severity == Severity::Error
            && !before
                .diagnostics
                .iter()
                .any(|o| o.code == d.code && o.message == d.message)
    });
    if let Some(d) = new_error {
        return Err(refuse(d.message.clone()));
    }
    Ok((bytes, record))
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

/// Appends `entry` to `edited` — `original` after its front-matter edits — after the record's
/// last entry. The front matter may have grown or shrunk, so the offsets read from `original`
/// shift by as much.
pub fn append_after_edit(
    original: &Document,
    edited: &Document,
    record: &Record,
    entry: &NewEntry,
    date: NaiveDate,
) -> (Document, usize) {
    let last_end = record
        .entries
        .last()
        .map(|e| (e.end + edited.body_start).saturating_sub(original.body_start));
    append_entry(edited, last_end, entry, date)
}

/// Splices a rendered entry in after the last entry (or at the end of the file when there is no
/// entry or only blank lines follow it), with one blank line before it.
fn append_entry(
    doc: &Document,
    last_entry_end: Option<usize>,
    entry: &NewEntry,
    date: NaiveDate,
) -> (Document, usize) {
    let nl = doc.newline;
    let rendered = entry.render(date, nl);
    let text = &doc.text;
    let end = last_entry_end.filter(|&e| e <= text.len() && text.is_char_boundary(e));
    let after_is_blank = end.is_none_or(|e| text[e..].trim().is_empty());
    if after_is_blank {
        let mut insert = String::new();
        if !text.ends_with('\n') {
            insert.push_str(nl);
        }
        let ends_blank =
            text.ends_with(&format!("{nl}{nl}")) || text.ends_with("\n\n") || text.is_empty();
        if !ends_blank {
            insert.push_str(nl);
        }
        let line = text.matches('\n').count() + insert.matches('\n').count() + 1;
        insert.push_str(&rendered);
        (doc.splice(text.len()..text.len(), &insert), line)
    } else {
        let at = end.unwrap_or(text.len());
        let body = rendered.strip_suffix(nl).unwrap_or(&rendered);
        let insert = format!("{nl}{nl}{body}");
        let line = text[..at].matches('\n').count() + 3;
        (doc.splice(at..at, &insert), line)
    }
}

/// Moves changes of confidential keys to the private overlay (when the team uses one);
/// returns the keys written there and the changes left for the shared file.
pub fn split_private(
    store: &Store,
    rel: &Path,
    changes: Vec<Change>,
) -> Result<(Vec<String>, Vec<Change>)> {
    if store.load_overlay()?.is_none() {
        return Ok((Vec::new(), changes));
    }
    let key_of = |c: &Change| match c {
        Change::Set(k, _) | Change::Remove(k) => k.clone(),
    };
    let (private, shared): (Vec<Change>, Vec<Change>) = changes
        .into_iter()
        .partition(|c| store.config.is_confidential(&key_of(c)));
    if private.is_empty() {
        return Ok((Vec::new(), shared));
    }
    let customer = customer_key(rel, &store.config.customers_dir);
    store.update_overlay(|overlay| {
        for change in &private {
            match change {
                Change::Set(k, v) => overlay
                    .set(&customer, k, v.clone())
                    .map_err(Error::Refused)?,
                Change::Remove(k) => overlay.remove(&customer, k),
            }
        }
        Ok(())
    })?;
    Ok((private.iter().map(key_of).collect(), shared))
}
