//! One customer file, parsed: its typed profile, its log entries and every problem found on the
//! way. A file that cannot be parsed at all yields only diagnostics — and is never written.

use crate::model::config::Config;
use crate::model::customer::{Customer, Locator, missing_required, read_customer};
use crate::model::diagnostic::{Code, Diagnostic};
use crate::model::document::{Document, LineIndex, conflict_marker_lines};
use crate::model::entry::{Detail, Entry, Field, Problem};
use crate::model::reader::read_log;
use crate::model::summary::Summary;
use crate::msg::m;
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Record {
    /// Path relative to the folder root, as shown to the user (`customers/acme.md`).
    pub path: PathBuf,
    pub customer: Customer,
    pub entries: Vec<Entry>,
    /// Problems that do not stop the file from being read (`check` reports them).
    pub diagnostics: Vec<Diagnostic>,
    /// Confidential keys present in the file, with their line and column.
    pub confidential: Vec<(String, usize, usize)>,
}

/// Why a file could not be read at all: its diagnostics (each an error).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Unreadable {
    pub path: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    /// What could still be read after recovering from the errors, for `check` only (not kept
    /// in the read cache).
    #[serde(skip)]
    pub partial: Option<Box<Record>>,
}

impl Unreadable {
    /// The first cause, for a one-sentence error (an `Unreadable` always has at least one).
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
    parse_with(path, bytes, config, Detail::Full)
}

/// Reads a file with its log scanned leanly (no discussion text; see [`Detail::Lean`]).
pub fn parse_lean(path: PathBuf, bytes: &[u8], config: &Config) -> Result<Record, Unreadable> {
    parse_with(path, bytes, config, Detail::Lean).map(|(record, _)| record)
}

/// Reads a file into the summary `due` and `list` need, keeping only what that takes: the log
/// is scanned leanly and the file's text is dropped before returning.
pub fn parse_summary(path: PathBuf, bytes: &[u8], config: &Config) -> Result<Summary, Unreadable> {
    parse_with(path, bytes, config, Detail::Lean).map(|(record, _)| Summary::of(&record))
}

fn parse_with(
    path: PathBuf,
    bytes: &[u8],
    config: &Config,
    detail: Detail,
) -> Result<(Record, Document), Unreadable> {
    let doc = match Document::parse(bytes) {
        Ok(doc) => doc,
        Err(e) => {
            let code = match e {
                crate::model::document::SplitError::NotUtf8 { .. } => Code::NotUtf8,
                crate::model::document::SplitError::NoFrontMatter => Code::NoFrontMatter,
                crate::model::document::SplitError::Unclosed => Code::UnclosedFrontMatter,
            };
            let mut diags =
                vec![Diagnostic::error(e.line(), 1, code, e.message()).with_hint(e.hint())];
            if let Ok(text) = std::str::from_utf8(bytes) {
                diags.extend(conflict_diagnostics(text));
            }
            return Err(Unreadable {
                path,
                diagnostics: diags,
                partial: None,
            });
        }
    };
    let index = LineIndex::new(&doc.text);
    let conflicts = conflict_diagnostics(&doc.text);
    let loc = Locator {
        index: &index,
        offset: doc.front.start,
        open_line: 1,
    };
    let recovered = parse_front_matter(doc.front_matter(), &loc);
    // What makes the file unreadable, in line order: these lead any report about it.
    let mut causes = recovered.errors.clone();
    causes.extend(conflicts);
    causes.sort_by_key(|d| (d.line, d.column));
    let fatal = !causes.is_empty();
    let mut diagnostics = Vec::new();
    if detail == Detail::Full {
        diagnostics.extend(control_diagnostics(&doc.text));
    }
    let table = recovered.toml.as_ref().map(|t| t.as_table());
    let empty = toml_edit::Table::new();
    let table = table.unwrap_or(&empty);
    let mut customer = read_customer(table, config, &loc, &mut diagnostics);
    if detail == Detail::Full {
        diagnostics.extend(
            missing_required(table, config, &loc)
                .into_iter()
                .filter(|d| {
                    !recovered
                        .blanked_keys
                        .iter()
                        .any(|k| d.message.to_string().contains(&format!("`{k}`")))
                }),
        );
    }
    let confidential = config
        .confidential_keys()
        .filter(|_| detail == Detail::Full)
        .filter_map(|k| {
            let item = crate::model::toml_path::get(table, k)?;
            let (line, col) = loc.at(item.span());
            Some((k.to_string(), line, col))
        })
        .collect();
    if customer.name.trim().is_empty() {
        customer.name = file_stem(&path);
    }
    let log = read_log(doc.body(), doc.body_start, doc.body_line(), detail);
    for p in log.problems {
        let (line, column) = (p.line, p.column);
        diagnostics.push(match p.kind {
            Problem::BadHeading(message) => {
                Diagnostic::error(line, column, Code::BadHeading, message)
                    .with_hint(m::H_BAD_HEADING)
            }
            Problem::MissingChannel => {
                Diagnostic::warning(line, column, Code::MissingChannel, m::D_MISSING_CHANNEL)
            }
            Problem::NotAnEntry(why) => Diagnostic::warning(
                line,
                column,
                Code::NotAnEntry,
                m::D_NOT_AN_ENTRY.with_text("why", why),
            )
            .with_hint(m::H_NOT_AN_ENTRY),
            Problem::UnclosedBlock(what) => {
                Diagnostic::error(line, column, Code::UnclosedBlock, what)
                    .with_hint(m::H_UNCLOSED_BLOCK)
            }
        });
    }
    let mut entries = log.entries;
    for e in &mut entries {
        if !e.channel.is_empty() {
            e.channel = config.channel_key(e.channel);
        }
    }
    let record = Record {
        path,
        customer,
        entries,
        diagnostics,
        confidential,
    };
    if fatal {
        let mut diagnostics = causes;
        diagnostics.extend(record.diagnostics.iter().cloned());
        return Err(Unreadable {
            path: record.path.clone(),
            diagnostics,
            partial: Some(Box::new(record)),
        });
    }
    Ok((record, doc))
}

/// The front matter parsed with error recovery: each TOML error is recorded, its line blanked,
/// and parsing tried again, so `check` reports every broken line at once.
struct Recovered {
    toml: Option<toml_edit::Document<String>>,
    errors: Vec<Diagnostic>,
    /// Keys of blanked lines: their absence is not reported as a missing field.
    blanked_keys: Vec<String>,
}

fn parse_front_matter(front: &str, loc: &Locator<'_>) -> Recovered {
    let mut text = front.to_string();
    let mut errors = Vec::new();
    let mut blanked_keys = Vec::new();
    // Conflict markers are reported on their own; blank them before reading the TOML.
    for line in conflict_marker_lines(front) {
        blank_line(&mut text, line);
    }
    for _ in 0..50 {
        match toml_edit::Document::parse(text.clone()) {
            Ok(toml) => {
                return Recovered {
                    toml: Some(toml),
                    errors,
                    blanked_keys,
                };
            }
            Err(e) => {
                let start = e.span().map_or(0, |s| s.start.min(text.len()));
                let line = text[..start].matches('\n').count() + 1;
                errors.push(toml_diagnostic(&e, loc));
                let Some(key) = blank_line(&mut text, line) else {
                    break;
                };
                blanked_keys.push(key);
            }
        }
    }
    Recovered {
        toml: None,
        errors,
        blanked_keys,
    }
}

/// Replaces a 1-based line of `text` with spaces (keeping every offset); returns the key it
/// held, or `None` when the line was already blank.
fn blank_line(text: &mut String, line: usize) -> Option<String> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let rest = &text[start..];
    let len = rest.find('\n').unwrap_or(rest.len());
    let content = &rest[..len];
    if content.trim().is_empty() {
        return None;
    }
    let key = content
        .split('=')
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('"')
        .to_string();
    let spaces = " ".repeat(len);
    text.replace_range(start..start + len, &spaces);
    Some(key)
}

/// Parses a customer file for reading.
pub fn parse_record(path: PathBuf, bytes: &[u8], config: &Config) -> Result<Record, Unreadable> {
    parse_document(path, bytes, config).map(|(r, _)| r)
}

/// One `control-char` error per line holding a control character other than a tab and the line
/// break (`\n`, `\r\n`): the first one, at its column.
fn control_diagnostics(text: &str) -> Vec<Diagnostic> {
    let quick = text
        .bytes()
        .any(|b| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f || b == 0xc2);
    if !quick {
        return Vec::new();
    }
    let bad = |c: char| c != '\t' && (c.is_ascii_control() || ('\u{80}'..='\u{9f}').contains(&c));
    text.split('\n')
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.strip_suffix('\r').unwrap_or(line); // the `\r\n` line break
            let (col, c) = line.chars().enumerate().find(|&(_, c)| bad(c))?;
            Some(
                Diagnostic::error(
                    i + 1,
                    col + 1,
                    Code::ControlChar,
                    m::D_CONTROL_CHAR.with("char", format!("U+{:04X}", c as u32)),
                )
                .with_hint(m::H_CONTROL_CHAR),
            )
        })
        .collect()
}

fn conflict_diagnostics(text: &str) -> Vec<Diagnostic> {
    conflict_marker_lines(text)
        .into_iter()
        .map(|line| {
            Diagnostic::error(line, 1, Code::ConflictMarker, m::D_CONFLICT_MARKER)
                .with_hint(m::H_CONFLICT_MARKER)
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
            v.len() >= 8
                && v.as_bytes()[..4].iter().all(u8::is_ascii_digit)
                && v.as_bytes()[4] == b'-'
        });
    if looks_like_date {
        return Diagnostic::error(
            line,
            col,
            Code::BadDate,
            m::D_TOML_DATE.with("detail", message),
        )
        .with_hint(m::H_DATE_FORMAT);
    }
    Diagnostic::error(
        line,
        col,
        Code::TomlSyntax,
        m::D_TOML_SYNTAX.with("detail", message),
    )
    .with_hint(m::H_TOML_SYNTAX)
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

    /// The latest contact on or before `date` (a future-dated entry is not a contact yet).
    pub fn last_contact_by(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.contacts().map(|e| e.date).filter(|d| *d <= date).max()
    }

    pub fn first_contact(&self) -> Option<NaiveDate> {
        self.contacts().map(|e| e.date).min()
    }

    /// Open promises and assists, in file order.
    pub fn open_items(&self) -> impl Iterator<Item = (&Entry, &Field)> {
        self.entries.iter().flat_map(|e| {
            e.fields
                .iter()
                .filter(|f| f.is_open_item())
                .map(move |f| (e, f))
        })
    }

    /// How many of the latest contacts on or before `date` went unanswered in a row (in date
    /// order; entries of one day keep their file order).
    pub fn unanswered_streak_by(&self, date: NaiveDate) -> usize {
        let mut contacts: Vec<&Entry> = self.contacts().filter(|e| e.date <= date).collect();
        contacts.sort_by_key(|e| e.date);
        contacts
            .iter()
            .rev()
            .take_while(|e| e.outcome().is_unanswered())
            .count()
    }

    /// File stem, the customer's short handle (`acme`).
    pub fn stem(&self) -> String {
        file_stem(&self.path)
    }
}

/// A customer file's stem: `customers/east/acme.md` → `acme`.
pub fn file_stem(path: &std::path::Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
