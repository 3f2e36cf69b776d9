//! One customer file, parsed: its typed profile, its log entries and every problem found on the
//! way. A file that cannot be parsed at all yields only diagnostics — and is never written.

use crate::config::Config;
use crate::customer::{Customer, Locator, missing_required, read_customer};
use crate::diagnostic::Diagnostic;
use crate::document::{Document, LineIndex, conflict_marker_lines};
use crate::entry::{Entry, Field, parse_log};
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Record {
    /// Path relative to the folder root, as shown to the user (`customers/acme.md`).
    pub path: PathBuf,
    pub customer: Customer,
    pub entries: Vec<Entry>,
    /// Problems that do not stop the file from being read (`check` reports them).
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a file could not be read at all: its diagnostics (each an error).
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub path: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
}

impl Unreadable {
    /// The first problem as one sentence for an error message.
    pub fn first(&self) -> &Diagnostic {
        &self.diagnostics[0]
    }
}

/// Parses a whole customer file; with the document when the caller will edit it.
pub fn parse_document(
    path: PathBuf,
    bytes: &[u8],
    config: &Config,
) -> Result<(Record, Document), Unreadable> {
    let fail = |path: PathBuf, diagnostics: Vec<Diagnostic>| Unreadable { path, diagnostics };
    let doc = match Document::parse(bytes) {
        Ok(doc) => doc,
        Err(e) => {
            let code = match e {
                crate::document::SplitError::NotUtf8 { .. } => "not-utf8",
                crate::document::SplitError::NoFrontMatter => "no-front-matter",
                crate::document::SplitError::Unclosed => "unclosed-front-matter",
            };
            let mut diags = vec![Diagnostic::error(e.line(), 1, code, e.message()).with_hint(e.hint())];
            if let Ok(text) = std::str::from_utf8(bytes) {
                diags.extend(conflict_diagnostics(text));
            }
            return Err(fail(path, diags));
        }
    };
    let index = LineIndex::new(&doc.text);
    let conflicts = conflict_diagnostics(&doc.text);
    let loc = Locator {
        index: &index,
        offset: doc.front.start,
        open_line: 1,
    };
    let toml = match toml_edit::Document::parse(doc.front_matter()) {
        Ok(t) => t,
        Err(e) => {
            let mut diags = conflicts;
            diags.push(toml_diagnostic(&e, &loc));
            return Err(fail(path, diags));
        }
    };
    if !conflicts.is_empty() {
        return Err(fail(path, conflicts));
    }
    let mut diagnostics = Vec::new();
    let mut customer = read_customer(toml.as_table(), config, &loc, &mut diagnostics);
    diagnostics.extend(missing_required(toml.as_table(), config, &loc));
    if customer.name.trim().is_empty() {
        customer.name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    let log = parse_log(doc.body(), doc.body_start, doc.body_line());
    for p in log.problems {
        let code = if p.is_error {
            "bad-heading"
        } else {
            "missing-channel"
        };
        let d = if p.is_error {
            Diagnostic::error(p.line, p.column, code, p.message)
                .with_hint("write entry headings as `## YYYY-MM-DD channel @author`")
        } else {
            Diagnostic::warning(p.line, p.column, code, p.message)
        };
        diagnostics.push(d);
    }
    let mut entries = log.entries;
    for e in &mut entries {
        if !e.channel.is_empty() {
            e.channel = config.channel_key(&e.channel);
        }
    }
    Ok((
        Record {
            path,
            customer,
            entries,
            diagnostics,
        },
        doc,
    ))
}

/// Parses a customer file for reading.
pub fn parse_record(path: PathBuf, bytes: &[u8], config: &Config) -> Result<Record, Unreadable> {
    parse_document(path, bytes, config).map(|(r, _)| r)
}

fn conflict_diagnostics(text: &str) -> Vec<Diagnostic> {
    conflict_marker_lines(text)
        .into_iter()
        .map(|line| {
            Diagnostic::error(line, 1, "conflict-marker", "git conflict marker")
                .with_hint("resolve the merge conflict: keep the right lines and delete the markers")
        })
        .collect()
}

fn toml_diagnostic(e: &toml_edit::TomlError, loc: &Locator<'_>) -> Diagnostic {
    let (line, col) = loc.at(e.span());
    let message = e.message().trim().trim_end_matches('.').to_string();
    let source = loc.index.line_text(line);
    // A bare value that starts like a date but is not one (`due = 2024-13-45`).
    let looks_like_date = source
        .split_once('=')
        .map(|(_, v)| v.trim())
        .is_some_and(|v| {
            v.len() >= 8 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit) && v.as_bytes()[4] == b'-'
        });
    if looks_like_date {
        return Diagnostic::error(line, col, "bad-date", format!("not a valid date: {message}"))
            .with_hint("write a date as YYYY-MM-DD, like 2024-01-24");
    }
    Diagnostic::error(line, col, "toml-syntax", format!("TOML syntax: {message}"))
        .with_hint("fix the front matter so it is valid TOML (strings need double quotes)")
}

impl Record {
    /// Entries that record a contact (not `note` entries from `followup set`).
    pub fn contacts(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.is_contact())
    }

    /// The date of the latest contact, whatever its outcome.
    pub fn last_contact(&self) -> Option<NaiveDate> {
        self.contacts().map(|e| e.date).max()
    }

    pub fn first_contact(&self) -> Option<NaiveDate> {
        self.contacts().map(|e| e.date).min()
    }

    /// Open promises and assists, in file order.
    pub fn open_items(&self) -> impl Iterator<Item = (&Entry, &Field)> {
        self.entries
            .iter()
            .flat_map(|e| e.fields.iter().filter(|f| f.is_open_item()).map(move |f| (e, f)))
    }

    /// How many of the latest contacts in a row went unanswered (in date order).
    pub fn unanswered_streak(&self) -> usize {
        let mut contacts: Vec<&Entry> = self.contacts().collect();
        contacts.sort_by_key(|e| (e.date, e.time.clone()));
        contacts
            .iter()
            .rev()
            .take_while(|e| e.outcome().is_unanswered())
            .count()
    }

    /// File stem, the customer's short handle (`acme`).
    pub fn stem(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}
