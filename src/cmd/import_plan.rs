//! The importer's plan: from the recognised sheets and the folder as it is, the bytes each
//! customer file would have, computed in memory and written by `import` only when it is not a
//! dry run. Pure (no file, no clock), and built on the same pieces as `new` and `log`: file names
//! from `names`, values checked by `schema`, every entry planned by `plan_entry` from the row's
//! columns as `key: value` inputs, placed in date order by `compose`, and each change passed
//! through the write guard (`shared::verified`) — a row the guard refuses is refused alone.
//!
//! The rules (docs/import.md): customers are matched by name identity; an existing customer only
//! gains missing keys (a differing value is reported, never written); a new one is created like
//! `followup new`; an entry already present (same date, channel and text) is skipped, so
//! importing a sheet twice changes nothing; contact data goes to the private overlay when the
//! folder has one.

use crate::cmd::shared::{
    Expect, logged_field, new_file_checked, place_entry, split_private, verified,
};
use crate::model::compose::{Discussion, NewEntry, check_markdown};
use crate::model::config::Config;
use crate::model::customer::{Priority, Status, role_key};
use crate::model::document::Document;
use crate::model::edit::{Change, apply, date_value};
use crate::model::entry::{Detail, Entry, Outcome, parse_change, split_done, split_objection};
use crate::model::names::{identity, is_unsafe_char, portable_stem, slug};
use crate::model::plan::{Current, Input, Problem, plan_entry};
use crate::model::reader::read_log;
use crate::model::record::Record;
use crate::model::schema::{check_stage, typed_value};
use crate::model::sheet::{
    Cell, Kind, Layout, Person, Rules, Table, cell_lines, head_count, number_text, person,
    person_text, sheet_date, sheet_list, sheet_number, task_box,
};
use crate::model::toml_path;
use crate::msg::{Text, m};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, InlineTable, Item, Table as TomlTable, Value};

/// What the plan is computed with.
pub struct Settings<'a> {
    pub config: &'a Config,
    pub rules: &'a Rules,
    pub today: NaiveDate,
    /// The folder keeps confidential values in its private overlay.
    pub private: bool,
    /// `git config user.name`: the owner of a new customer nothing else names (like `new`).
    pub git_user: Option<String>,
}

/// A readable customer file as it is now.
pub struct Existing {
    pub rel: PathBuf,
    pub bytes: Vec<u8>,
    pub record: Record,
    /// Its values in the private overlay (dotted key, value).
    pub overlay: Vec<(String, Value)>,
}

/// The folder as it is now.
pub struct Folder {
    pub existing: Vec<Existing>,
    /// Customer files that cannot be read: a new customer is never given one's name.
    pub unreadable: Vec<PathBuf>,
}

/// A recognised sheet.
pub struct Sheet {
    pub table: Table,
    pub layout: Layout,
}

/// A row of a sheet: its sheet's name and its 1-based number there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct At {
    /// The sheet's place among the sheets read: reports list rows sheet by sheet.
    #[serde(skip)]
    pub order: usize,
    pub sheet: String,
    pub row: usize,
}

impl At {
    /// `客户档案 row 3` / `客户档案 第 3 行`.
    pub fn text(&self) -> Text {
        m::IMP_ROW.with("sheet", &self.sheet).with("row", self.row)
    }
}

/// A row that is not imported, and why: each problem, rendered when the language is known
/// (JSON: `message`, the problems in English joined by `; `).
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    #[serde(flatten)]
    pub at: At,
    pub customer: Option<String>,
    #[serde(rename = "message", serialize_with = "english")]
    pub problems: Vec<Text>,
}

impl Refusal {
    /// The problems in `lang`, one sentence each, joined by `; ` / `；`.
    pub fn message(&self, lang: crate::model::config::Lang) -> String {
        self.problems
            .iter()
            .map(|p| p.render(lang))
            .collect::<Vec<_>>()
            .join(m::SEMICOLON.template(lang))
    }
}

/// Messages as JSON has them: English, joined by `; `.
fn english<S: serde::Serializer>(texts: &[Text], s: S) -> Result<S::Ok, S::Error> {
    let en: Vec<String> = texts.iter().map(ToString::to_string).collect();
    s.serialize_str(&en.join("; "))
}

/// A value the sheet gives differently from the one kept (the file's, or an earlier row's).
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    #[serde(flatten)]
    pub at: At,
    pub customer: String,
    pub file: String,
    pub key: String,
    /// The value kept; `None`: a table (`size` as a table where the sheet has a value).
    pub kept: Option<String>,
    /// The sheet's value, not written.
    pub sheet_value: String,
}

/// An entry already in the file (or earlier in the sheets): same date, channel and text.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    #[serde(flatten)]
    pub at: At,
    pub customer: String,
    pub date: String,
    pub channel: String,
}

/// One customer file the import creates or changes.
#[derive(Debug, Clone)]
pub struct PlannedFile {
    pub rel: PathBuf,
    pub customer: String,
    /// `None`: a new file.
    pub before: Option<Vec<u8>>,
    pub after: Vec<u8>,
    /// Changes for the customer's table in the private overlay.
    pub private: Vec<Change>,
    /// Front-matter keys set (all of a new file's; the missing ones an existing file gains).
    pub keys: Vec<String>,
    pub entries: usize,
}

/// The whole plan.
#[derive(Debug, Default)]
pub struct Plan {
    pub files: Vec<PlannedFile>,
    pub refused: Vec<Refusal>,
    pub differences: Vec<Difference>,
    pub skipped: Vec<Skipped>,
    /// Cells not imported, and why (a masked value, …).
    pub notes: Vec<Text>,
    /// Rows read, per kind.
    pub rows: usize,
}

/// A data row of a sheet with its mapped, non-empty cells.
struct Row<'a> {
    at: At,
    kind: Kind,
    name: String,
    cells: Vec<(&'a str, &'a str, &'a Cell)>,
}

/// One customer the sheets name: its rows and, when it has one, its file.
struct Target<'a> {
    name: String,
    existing: Option<&'a Existing>,
    /// Two files hold this customer already: nothing is imported for it.
    ambiguous: Vec<PathBuf>,
    rel: PathBuf,
    /// The new file's name is taken by a file that cannot be read.
    blocked: Option<PathBuf>,
    profiles: Vec<Row<'a>>,
    records: Vec<Row<'a>>,
}

/// What one customer's part of the plan came to.
#[derive(Default)]
struct Outcomes {
    file: Option<PlannedFile>,
    refused: Vec<Refusal>,
    differences: Vec<Difference>,
    skipped: Vec<Skipped>,
    notes: Vec<Text>,
}

/// Plans the import of `sheets` (profiles are read before records) into `folder`. `tick` is
/// called with the number of rows done, for a progress bar.
pub fn plan(
    sheets: &[Sheet],
    folder: &Folder,
    s: &Settings<'_>,
    tick: &(dyn Fn(u64) + Sync),
) -> Plan {
    let mut plan = Plan::default();
    let mut rows: Vec<Row<'_>> = Vec::new();
    let mut ordered: Vec<&Sheet> = sheets.iter().collect();
    ordered.sort_by_key(|sh| sh.layout.kind);
    for (order, sheet) in ordered.iter().enumerate() {
        let name_key = match sheet.layout.kind {
            Kind::Profiles => "name",
            Kind::Records => "customer",
        };
        for (number, cells) in &sheet.table.rows {
            if *number <= sheet.layout.header_row {
                continue;
            }
            let at = At {
                order,
                sheet: sheet.table.sheet.clone(),
                row: *number,
            };
            let mapped: Vec<(&str, &str, &Cell)> = sheet
                .layout
                .columns
                .iter()
                .filter_map(|(col, header, key)| {
                    let cell = cells.get(*col)?;
                    (!cell.is_empty()).then_some((key.as_str(), header.as_str(), cell))
                })
                .collect();
            if mapped.is_empty() {
                continue;
            }
            plan.rows += 1;
            let name = mapped
                .iter()
                .find(|(k, _, _)| *k == name_key)
                .map(|(_, _, c)| c.text())
                .unwrap_or_default();
            if name.trim().is_empty() {
                let header = sheet
                    .layout
                    .columns
                    .iter()
                    .find(|(_, _, k)| k == name_key)
                    .map_or(name_key, |(_, h, _)| h.as_str());
                plan.refused.push(Refusal {
                    at,
                    customer: None,
                    problems: vec![m::IMP_NAME_EMPTY.with("header", header)],
                });
                tick(1);
                continue;
            }
            rows.push(Row {
                at,
                kind: sheet.layout.kind,
                name: name.split_whitespace().collect::<Vec<_>>().join(" "),
                cells: mapped,
            });
        }
    }
    let has_profiles = sheets.iter().any(|sh| sh.layout.kind == Kind::Profiles);
    let targets = targets(rows, folder, s);
    let outcomes: Vec<Outcomes> = targets
        .par_iter()
        .map(|t| {
            let out = plan_target(t, has_profiles, s);
            tick((t.profiles.len() + t.records.len()) as u64);
            out
        })
        .collect();
    for o in outcomes {
        plan.files.extend(o.file);
        plan.refused.extend(o.refused);
        plan.differences.extend(o.differences);
        plan.skipped.extend(o.skipped);
        plan.notes.extend(o.notes);
    }
    plan.refused.sort_by(|a, b| a.at.cmp(&b.at));
    plan.differences.sort_by(|a, b| a.at.cmp(&b.at));
    plan.skipped.sort_by(|a, b| a.at.cmp(&b.at));
    plan
}

/// Groups the rows by customer identity, matches them to files, and names the new files —
/// `new`'s stems, `-2`, `-3` … for a stem already taken (case-insensitively, as some disks
/// compare names).
fn targets<'a>(rows: Vec<Row<'a>>, folder: &'a Folder, s: &Settings<'_>) -> Vec<Target<'a>> {
    let mut by_identity: HashMap<String, Vec<&'a Existing>> = HashMap::new();
    for e in &folder.existing {
        by_identity
            .entry(identity(&e.record.customer.name))
            .or_default()
            .push(e);
    }
    let mut taken: HashSet<String> = folder
        .existing
        .iter()
        .map(|e| e.rel.to_string_lossy().to_lowercase())
        .chain(
            folder
                .unreadable
                .iter()
                .map(|p| p.to_string_lossy().to_lowercase()),
        )
        .collect();
    let unreadable: HashSet<String> = folder
        .unreadable
        .iter()
        .map(|p| p.to_string_lossy().to_lowercase())
        .collect();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Target<'a>> = Vec::new();
    for row in rows {
        let id = identity(&row.name);
        let i = match index.get(&id) {
            Some(&i) => i,
            None => {
                let found = by_identity.get(&id).cloned().unwrap_or_default();
                let (existing, ambiguous) = match found.as_slice() {
                    [one] => (Some(*one), Vec::new()),
                    [] => (None, Vec::new()),
                    many => (None, many.iter().map(|e| e.rel.clone()).collect()),
                };
                let mut blocked = None;
                let rel = match existing {
                    Some(e) => e.rel.clone(),
                    None => {
                        let cell = |key: &str| {
                            row.cells
                                .iter()
                                .find(|(k, _, _)| *k == key)
                                .map(|(_, _, c)| c.text())
                        };
                        // `file` (east/acme) or `folder` + the name, each part made safe.
                        let safe = |part: &str| portable_stem(&slug(part)).0;
                        let mut parts: Vec<String> = match cell("file") {
                            Some(f) => f
                                .split(['/', '\\'])
                                .map(safe)
                                .filter(|p| !p.is_empty())
                                .collect(),
                            None => Vec::new(),
                        };
                        if parts.is_empty() {
                            parts
                                .extend(cell("folder").map(|f| safe(&f)).filter(|f| !f.is_empty()));
                            parts.push(safe(&row.name));
                        }
                        let stem = parts.pop().unwrap_or_default();
                        let mut dir = PathBuf::from(&s.config.customers_dir);
                        dir.extend(parts);
                        let first = dir.join(format!("{stem}.md"));
                        if unreadable.contains(&first.to_string_lossy().to_lowercase()) {
                            blocked = Some(first.clone());
                        }
                        let rel = crate::model::names::file_names(&stem)
                            .map(|name| dir.join(name))
                            .find(|p| !taken.contains(&p.to_string_lossy().to_lowercase()))
                            .unwrap_or(first);
                        taken.insert(rel.to_string_lossy().to_lowercase());
                        rel
                    }
                };
                out.push(Target {
                    name: existing
                        .map_or_else(|| row.name.clone(), |e| e.record.customer.name.clone()),
                    existing,
                    ambiguous,
                    rel,
                    blocked,
                    profiles: Vec::new(),
                    records: Vec::new(),
                });
                index.insert(id, out.len() - 1);
                out.len() - 1
            }
        };
        match row.kind {
            Kind::Profiles => out[i].profiles.push(row),
            Kind::Records => out[i].records.push(row),
        }
    }
    out
}

/// `column 日期: why` / `日期 列：why`.
fn in_column(header: &str, why: impl Into<Text>) -> Text {
    m::IMP_IN_COLUMN
        .with("header", header)
        .with_text("why", why)
}

/// A problem `plan_entry` found in an input, where the input's `at` is its column's header
/// (empty for what no column gave).
fn column_problem(p: &Problem) -> Text {
    if p.at.is_empty() {
        p.message.clone()
    } else {
        in_column(&p.at, p.message.clone())
    }
}

/// A profile row's values, checked: (dotted key, value) in column order, plus the parts that
/// are not keys.
#[derive(Default)]
struct Profile {
    values: Vec<(String, Value)>,
    people: Vec<Person>,
    notes: Option<String>,
}

const DATE_KEYS: [&str; 4] = ["created", "paused_until", "next.due", "deal.expected_close"];
const NUMBER_KEYS: [&str; 2] = ["deal.amount", "size.employees"];
const LIST_KEYS: [&str; 2] = ["tags", "pain_points"];

fn not_a_number(value: &str) -> Text {
    m::IMP_NOT_A_NUMBER.with("value", value)
}

/// A value that looks like an exported mask (`***`, `***1234`): never imported.
fn is_masked(text: &str) -> bool {
    text.starts_with("***")
}

fn read_profile(
    row: &Row<'_>,
    s: &Settings<'_>,
    notes: &mut Vec<Text>,
) -> Result<Profile, Vec<Text>> {
    let mut p = Profile::default();
    let mut problems = Vec::new();
    let config = s.config;
    for (key, header, cell) in &row.cells {
        let key = *key;
        if matches!(key, "name" | "folder" | "file") {
            continue;
        }
        let text = s.rules.map_value(key, &cell.text());
        if text.trim().is_empty() {
            continue;
        }
        if config.touches(key) && is_masked(&text) {
            notes.push(
                m::IMP_MASKED_VALUE
                    .with_text("at", row.at.text())
                    .with_text("column", m::IMP_COLUMN.with("header", *header))
                    .with("value", &text),
            );
            continue;
        }
        let mapped = Cell::Text(text.clone());
        let cell: &Cell = if text == cell.text() { cell } else { &mapped };
        let shown = if config.hides(key) {
            "***"
        } else {
            text.as_str()
        };
        let result: Result<Option<(String, Value)>, Text> = match key {
            "notes" => {
                p.notes = Some(text.clone());
                Ok(None)
            }
            "size" => Ok(Some(match head_count(cell) {
                Some(n) => ("size.employees".to_string(), Value::from(n)),
                None => ("size.description".to_string(), Value::from(text.as_str())),
            })),
            "decision_chain" => {
                p.people
                    .extend(cell_lines(&text).iter().map(|l| person(l, None)));
                Ok(None)
            }
            k if k.starts_with("decision_chain.") => {
                let role = if role_key(header).is_some() {
                    header.trim().to_string()
                } else {
                    k["decision_chain.".len()..].to_string()
                };
                if role_key(&role).is_none() {
                    Err(m::IMP_NOT_A_ROLE.with("role", role))
                } else {
                    p.people
                        .extend(cell_lines(&text).iter().map(|l| person(l, Some(&role))));
                    Ok(None)
                }
            }
            k if DATE_KEYS.contains(&k) => sheet_date(cell, &s.rules.date_formats)
                .map(|d| Some((k.to_string(), date_value(d))))
                .map_err(|e| {
                    if config.hides(k) {
                        m::IMP_HIDDEN_NOT_A_DATE.with("key", k)
                    } else {
                        e
                    }
                }),
            k if NUMBER_KEYS.contains(&k) => match sheet_number(cell) {
                Some(n) if n.fract() == 0.0 && n.abs() < 9e15 => {
                    Ok(Some((k.to_string(), Value::from(n as i64))))
                }
                Some(n) => Ok(Some((k.to_string(), Value::from(n)))),
                None => Err(not_a_number(shown)),
            },
            k if LIST_KEYS.contains(&k) => {
                Ok(Some((k.to_string(), Value::from_iter(sheet_list(&text)))))
            }
            "stage" => stage_value(&text, config).map(|v| Some(("stage".into(), Value::from(v)))),
            k => typed_value(k, &text, config, s.today)
                .map(|v| Some((k.to_string(), v)))
                .map_err(|e| {
                    if config.touches(k) {
                        e.hiding(&text)
                    } else {
                        e
                    }
                }),
        };
        match result {
            Ok(Some((k, v))) => {
                p.values.retain(|(old, _)| *old != k);
                p.values.push((k, v));
            }
            Ok(None) => {}
            Err(e) => problems.push(in_column(header, e)),
        }
    }
    if let Some(person) = p.people.iter().find(|p| p.name.is_empty()) {
        problems.push(m::IMP_CHAIN_NO_NAME.with("line", person_text(person)));
    }
    if problems.is_empty() {
        Ok(p)
    } else {
        Err(problems)
    }
}

/// A stage as sheets write it: a stage of followup.toml, its label or alias, or one of those
/// followed by 客户 (`意向客户` → `意向`).
fn stage_value(text: &str, config: &Config) -> Result<String, Text> {
    let t = text.trim();
    match check_stage(t, config) {
        Ok(v) => Ok(v),
        Err(e) => t
            .strip_suffix("客户")
            .filter(|rest| config.stage_key(rest).is_some())
            .map(|rest| rest.trim().to_string())
            .ok_or(e),
    }
}

/// A record row's contents as the inputs of a new entry.
struct RecordRow {
    date: NaiveDate,
    author: Option<String>,
    message: Option<String>,
    inputs: Vec<Input>,
    /// `OLD` of a typed `OLD -> NEW` (stage, status): used when nothing earlier says it.
    old_stage: Option<String>,
    old_status: Option<String>,
}

/// Channel words sheets use, beyond the Chinese aliases of followup.toml's channels.
const CHANNEL_WORDS: [(&str, &str); 14] = [
    ("电话沟通", "phone"),
    ("打电话", "phone"),
    ("手机", "phone"),
    ("上门拜访", "visit"),
    ("上门", "visit"),
    ("面访", "visit"),
    ("面谈", "visit"),
    ("微信沟通", "wechat"),
    ("微信聊天", "wechat"),
    ("电子邮件", "email"),
    ("邮箱", "email"),
    ("视频会议", "meeting"),
    ("线上会议", "meeting"),
    ("开会", "meeting"),
];

/// The order of an entry's fields, as `log` writes them.
const FIELD_ORDER: [&str; 10] = [
    "outcome",
    "feedback",
    "objection",
    "promised",
    "assist",
    "next",
    "due",
    "stage",
    "status",
    "reason",
];

fn read_record(row: &Row<'_>, s: &Settings<'_>) -> Result<RecordRow, Vec<Text>> {
    let mut problems = Vec::new();
    let mut date = None;
    let mut out = RecordRow {
        date: s.today,
        author: None,
        message: None,
        inputs: Vec::new(),
        old_stage: None,
        old_status: None,
    };
    let mut objections: Vec<(String, String)> = Vec::new();
    let mut hows: Vec<String> = Vec::new();
    let mut channel = s.rules.channel.clone();
    let mut channel_at = String::new();
    for (key, header, cell) in &row.cells {
        let key = *key;
        // Where a value was typed, for a problem `plan_entry` finds: its column.
        let at = (*header).to_string();
        let text = s.rules.map_value(key, &cell.text());
        if text.trim().is_empty() {
            continue;
        }
        match key {
            "customer" => {}
            "date" => {
                let mapped = Cell::Text(text.clone());
                let c = if text == cell.text() { *cell } else { &mapped };
                match sheet_date(c, &s.rules.date_formats) {
                    Ok(d) => date = Some(d),
                    Err(e) => problems.push(in_column(header, e)),
                }
            }
            "channel" => {
                channel_at = at.clone();
                let t = text.trim();
                channel = Some(
                    CHANNEL_WORDS
                        .iter()
                        .find(|(w, _)| *w == t)
                        .map_or_else(|| t.to_string(), |(_, c)| (*c).to_string()),
                );
            }
            "message" => out.message = Some(text.trim().to_string()),
            "author" => {
                out.author = Some(text.split_whitespace().collect::<Vec<_>>().join("."));
            }
            "objection" => {
                for line in cell_lines(&text) {
                    objections.push((line, at.clone()));
                }
            }
            "how" => hows = text.split('\n').map(|l| l.trim().to_string()).collect(),
            "promised" | "assist" => {
                for line in cell_lines(&text) {
                    let (done, rest) = task_box(&line);
                    out.inputs.push(Input::field(
                        key,
                        rest,
                        at.clone(),
                        Some(done.unwrap_or(false)),
                    ));
                }
            }
            "feedback" => {
                for line in cell_lines(&text) {
                    out.inputs.push(Input::field(key, line, at.clone(), None));
                }
            }
            "due" => {
                let mapped = Cell::Text(text.clone());
                let c = if text == cell.text() { *cell } else { &mapped };
                match sheet_date(c, &s.rules.date_formats) {
                    Ok(d) => out.inputs.push(Input::argument("due", d.to_string(), at)),
                    Err(e) => problems.push(in_column(header, e)),
                }
            }
            "amount" => match sheet_number(cell) {
                Some(n) => out
                    .inputs
                    .push(Input::field("amount", number_text(n), at, None)),
                None => problems.push(in_column(
                    header,
                    not_a_number(if s.config.hides("deal.amount") {
                        "***"
                    } else {
                        text.as_str()
                    }),
                )),
            },
            "stage" | "status" => {
                let (old, _) = parse_change(&text);
                if key == "stage" {
                    out.old_stage = old;
                } else {
                    out.old_status = old;
                }
                out.inputs.push(Input::field(key, text.trim(), at, None));
            }
            "fields" => {
                for line in cell_lines(&text) {
                    let (done, rest) = task_box(&line);
                    match rest.split_once([':', '：']) {
                        Some((k, v))
                            if !k.trim().is_empty() && !k.contains(char::is_whitespace) =>
                        {
                            out.inputs
                                .push(Input::field(k.trim(), v.trim(), at.clone(), done));
                        }
                        _ if done.is_some() => {
                            out.inputs
                                .push(Input::field("task", rest, at.clone(), done));
                        }
                        _ => problems
                            .push(in_column(header, m::IMP_NOT_KEY_VALUE.with("line", &line))),
                    }
                }
            }
            // outcome, next, reason, and any field key a rules file names.
            k => out.inputs.push(Input::field(k, text.trim(), at, None)),
        }
    }
    // Objections with how each was handled, line by line.
    for (i, (objection, at)) in objections.into_iter().enumerate() {
        let objection = s.rules.map_value("objection", &objection);
        let value = match hows.get(i).filter(|h| !h.is_empty()) {
            Some(how) if split_objection(&objection).1.is_none() => format!("{objection} — {how}"),
            _ => objection,
        };
        out.inputs.push(Input::field("objection", value, at, None));
    }
    if hows.iter().filter(|h| !h.is_empty()).count() > 0
        && !row.cells.iter().any(|(k, _, _)| *k == "objection")
    {
        problems.push(m::IMP_HOW_WITHOUT_OBJECTION.into());
    }
    // In the order `log` writes its flags' fields.
    out.inputs.sort_by_key(|i| {
        FIELD_ORDER
            .iter()
            .position(|k| *k == i.key)
            .unwrap_or(FIELD_ORDER.len())
    });
    if let Some(c) = channel {
        out.inputs.push(Input::argument("channel", c, channel_at));
    }
    match date {
        Some(d) => out.date = d,
        None if problems.is_empty() => problems.push(m::IMP_DATE_EMPTY.into()),
        None => {}
    }
    out.inputs
        .push(Input::argument("date", out.date.to_string(), String::new()));
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The discussion of an imported entry: the cell's Markdown when it stays inside its entry and
/// holds no list item that would read as a field, else the cell as plain text (escaped so it
/// renders as typed).
fn discussion(text: Option<&str>) -> Discussion {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Discussion::None;
    };
    if check_markdown(text).is_ok() {
        let body = format!("## 2000-01-01 x\n\n{text}\n");
        let log = read_log(&body, 0, 1, Detail::Full);
        if log.entries.len() == 1 && log.entries[0].fields.is_empty() && log.problems.is_empty() {
            return Discussion::Markdown(text.to_string());
        }
    }
    Discussion::Plain(vec![text.to_string()])
}

/// What makes two entries the same contact: date, channel and the discussion's words; for an
/// entry without discussion, its fields — without the stage and status lines (they say
/// `OLD -> NEW` from what the file said when they were written), a reached outcome (the
/// default), `(done …)` or a box. A field edited in the file later does not make the sheet's
/// row new again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Signature {
    date: NaiveDate,
    channel: String,
    text: String,
    fields: Vec<String>,
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn signature(e: &Entry, config: &Config) -> Signature {
    let mut fields: Vec<String> = e
        .fields
        .iter()
        .filter(|f| !matches!(f.key, "stage" | "status"))
        .filter(|f| !(f.key == "outcome" && Outcome::parse(&f.value) == Outcome::Reached))
        .map(|f| {
            let value = words(split_done(&f.value).0);
            let value = match f.key {
                "objection" => {
                    let (cat, how) = split_objection(&value);
                    let cat = config
                        .objection_key(cat)
                        .unwrap_or_else(|| cat.to_lowercase());
                    format!("{cat}|{}", how.unwrap_or(""))
                }
                "outcome" => Outcome::parse(&value).key().to_string(),
                _ => value,
            };
            format!("{}:{value}", f.key)
        })
        .collect();
    fields.sort();
    let text = words(&e.text);
    if !text.is_empty() {
        fields.clear();
    }
    Signature {
        date: e.date,
        channel: config.channel_key(e.channel).to_string(),
        text,
        fields,
    }
}

/// A change of stage or status known for a customer: its date, the order it was met in, the
/// field and the new value as written.
struct Known {
    date: NaiveDate,
    field: &'static str,
    new: String,
}

/// The value of `field` after the latest change dated on or before `date`.
fn known_at(known: &[Known], field: &str, date: NaiveDate) -> Option<String> {
    known
        .iter()
        .filter(|k| k.field == field && k.date <= date)
        .max_by_key(|k| k.date)
        .map(|k| k.new.clone())
}

fn known_of(e: &Entry) -> Vec<Known> {
    let mut out = Vec::new();
    for field in ["stage", "status"] {
        if let Some(f) = e.field(field) {
            out.push(Known {
                date: e.date,
                field,
                new: parse_change(&f.value).1,
            });
        }
    }
    out
}

/// An entry planned from a row, before it is placed.
struct Accepted<'r> {
    row: &'r Row<'r>,
    date: NaiveDate,
    author: Option<String>,
    entry: NewEntry,
    changes: Vec<Change>,
}

fn plan_target(t: &Target<'_>, has_profiles: bool, s: &Settings<'_>) -> Outcomes {
    let mut out = Outcomes::default();
    let refuse_all = |out: &mut Outcomes, message: Text| {
        for row in t.profiles.iter().chain(&t.records) {
            out.refused.push(Refusal {
                at: row.at.clone(),
                customer: Some(t.name.clone()),
                problems: vec![message.clone()],
            });
        }
    };
    if !t.ambiguous.is_empty() {
        let files: Vec<String> = t
            .ambiguous
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        refuse_all(
            &mut out,
            m::IMP_IN_SEVERAL_FILES
                .with("name", &t.name)
                .with("n", files.len())
                .with_list("files", files),
        );
        return out;
    }
    if t.existing.is_none() {
        if let Some(p) = &t.blocked {
            refuse_all(
                &mut out,
                m::IMP_UNREADABLE_NAMESAKE.with("file", p.display()),
            );
            return out;
        }
        if t.name.chars().any(is_unsafe_char) || slug(&t.name).is_empty() {
            refuse_all(&mut out, m::IMP_UNSAFE_NAME.into());
            return out;
        }
    }
    match t.existing {
        Some(e) => plan_existing(t, e, s, &mut out),
        None => plan_new(t, has_profiles, s, &mut out),
    }
    out
}

/// A value as compared and shown: stages, statuses and priorities by their meaning, numbers
/// as numbers, lists as sorted words.
fn canonical(key: &str, v: &Value, config: &Config) -> String {
    let text = v.as_str().map_or_else(
        || v.to_string().trim().to_string(),
        |s| s.trim().to_string(),
    );
    match key {
        "stage" => config.stage_key(&text).map_or(text, str::to_string),
        "status" => Status::parse(&text).map_or(text, |s| s.key().to_string()),
        "priority" => Priority::parse(&text).map_or(text, |p| p.key().to_string()),
        _ => match v {
            Value::Integer(i) => (*i.value() as f64).to_string(),
            Value::Float(f) => f.value().to_string(),
            Value::Array(a) => {
                let mut items: Vec<String> = a.iter().map(|x| canonical("", x, config)).collect();
                items.sort();
                items.join("\u{1f}")
            }
            _ => text,
        },
    }
}

/// A value as a person reads it in the report.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.value().clone(),
        Value::Array(a) => a.iter().map(shown).collect::<Vec<_>>().join(", "),
        other => other.to_string().trim().to_string(),
    }
}

fn people_value(people: &[Person]) -> Value {
    let mut array = toml_edit::Array::new();
    for p in people {
        let mut t = InlineTable::new();
        t.insert("name", Value::from(p.name.as_str()));
        if let Some(title) = &p.title {
            t.insert("title", Value::from(title.as_str()));
        }
        if let Some(role) = &p.role {
            t.insert("role", Value::from(role.as_str()));
        }
        array.push(Value::InlineTable(t));
    }
    Value::Array(array)
}

/// The people of a decision chain in a file, as compared: name identity and role key.
fn people_of(item: &Item) -> Vec<Person> {
    let tables: Vec<&dyn toml_edit::TableLike> = match item {
        Item::ArrayOfTables(a) => a.iter().map(|t| t as &dyn toml_edit::TableLike).collect(),
        Item::Value(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_inline_table().map(|t| t as &dyn toml_edit::TableLike))
            .collect(),
        _ => Vec::new(),
    };
    tables
        .into_iter()
        .map(|t| {
            let get = |k: &str| t.get(k).and_then(|i| i.as_str()).map(str::to_string);
            Person {
                name: get("name").unwrap_or_default(),
                title: get("title"),
                role: get("role"),
            }
        })
        .collect()
}

fn same_people(a: &[Person], b: &[Person]) -> bool {
    let key = |ps: &[Person]| {
        let mut v: Vec<(String, String)> = ps
            .iter()
            .map(|p| {
                (
                    identity(&p.name),
                    p.role
                        .as_deref()
                        .and_then(role_key)
                        .unwrap_or("")
                        .to_string(),
                )
            })
            .collect();
        v.sort();
        v
    };
    key(a) == key(b)
}

fn people_text(people: &[Person]) -> String {
    people
        .iter()
        .map(person_text)
        .collect::<Vec<_>>()
        .join("; ")
}

fn plan_existing(t: &Target<'_>, e: &Existing, s: &Settings<'_>, out: &mut Outcomes) {
    let config = s.config;
    let (Ok(mut doc), mut record) = (Document::parse(&e.bytes), e.record.clone()) else {
        return;
    };
    let mut private: Vec<Change> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let file = e.rel.display().to_string();
    for row in &t.profiles {
        let profile = match read_profile(row, s, &mut out.notes) {
            Ok(p) => p,
            Err(problems) => {
                out.refused.push(refusal(row, &t.name, &problems));
                continue;
            }
        };
        let Ok(front) = toml_edit::Document::parse(doc.front_matter().to_string()) else {
            continue;
        };
        let mut changes = Vec::new();
        let mut added = Vec::new();
        for (key, value) in &profile.values {
            let in_overlay = e
                .overlay
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .or_else(|| {
                    private.iter().rev().find_map(|c| match c {
                        Change::Set(k, v) if k == key => Some(v.clone()),
                        _ => None,
                    })
                });
            let current = toml_path::get(front.as_table(), key)
                .and_then(|i| i.as_value().cloned())
                .or(in_overlay);
            match current {
                Some(old) => {
                    if canonical(key, &old, config) != canonical(key, value, config) {
                        out.differences.push(Difference {
                            at: row.at.clone(),
                            customer: t.name.clone(),
                            file: file.clone(),
                            key: key.clone(),
                            kept: Some(shown(&old)),
                            sheet_value: shown(value),
                        });
                    }
                }
                None if toml_path::get(front.as_table(), key).is_some() => {
                    // A table where the sheet has a value (`size` as a table): kept, reported.
                    out.differences.push(Difference {
                        at: row.at.clone(),
                        customer: t.name.clone(),
                        file: file.clone(),
                        key: key.clone(),
                        kept: None,
                        sheet_value: shown(value),
                    });
                }
                None => {
                    changes.push(Change::Set(key.clone(), value.clone()));
                    added.push(key.clone());
                }
            }
        }
        if !profile.people.is_empty() {
            match front.get("decision_chain") {
                Some(item) => {
                    let old = people_of(item);
                    if !same_people(&old, &profile.people) {
                        out.differences.push(Difference {
                            at: row.at.clone(),
                            customer: t.name.clone(),
                            file: file.clone(),
                            key: "decision_chain".into(),
                            kept: Some(people_text(&old)),
                            sheet_value: people_text(&profile.people),
                        });
                    }
                }
                None => {
                    changes.push(Change::Set(
                        "decision_chain".into(),
                        people_value(&profile.people),
                    ));
                    added.push("decision_chain".into());
                }
            }
        }
        if changes.is_empty() {
            continue;
        }
        let (to_overlay, shared) = split_private(config, s.private, changes);
        let edited = match apply(&doc, &shared) {
            Ok(d) => d,
            Err(why) => {
                // The edit layer's reason (a front matter that is not TOML), as it gives it.
                out.refused.push(refusal(row, &t.name, &[Text::raw(why)]));
                continue;
            }
        };
        match verified(&e.rel, &record, &edited, &Expect::NOTHING, config, s.today) {
            Ok(v) => {
                doc = edited;
                record = v.record;
                private.extend(to_overlay);
                keys.extend(added);
            }
            Err(err) => out
                .refused
                .push(refusal(row, &t.name, &[guard_message(&err)])),
        }
    }
    let accepted = plan_records(t, &record, s, out);
    let entries = place_all(&e.rel, &mut doc, &mut record, accepted, t, s, out);
    let after = doc.to_bytes();
    if after != e.bytes || !private.is_empty() {
        out.file = Some(PlannedFile {
            rel: e.rel.clone(),
            customer: t.name.clone(),
            before: Some(e.bytes.clone()),
            after,
            private,
            keys,
            entries,
        });
    }
}

fn refusal(row: &Row<'_>, customer: &str, problems: &[Text]) -> Refusal {
    Refusal {
        at: row.at.clone(),
        customer: Some(customer.to_string()),
        problems: problems.to_vec(),
    }
}

/// The guard's message without its "nothing was written" (the rest of the import goes on).
fn guard_message(e: &crate::error::Error) -> Text {
    e.text().unwrapping(m::ERROR_NOTHING_WRITTEN, "why")
}

/// Places the accepted rows' entries one by one, each by its author (the row's, the rules'
/// default owner, else the customer's owner); a refused one is recorded. How many were placed.
fn place_all(
    rel: &Path,
    doc: &mut Document,
    record: &mut Record,
    accepted: Vec<Accepted<'_>>,
    t: &Target<'_>,
    s: &Settings<'_>,
    out: &mut Outcomes,
) -> usize {
    let mut entries = 0;
    for a in accepted {
        let author = a
            .author
            .clone()
            .or_else(|| s.rules.owner.clone())
            .or_else(|| record.customer.owner.clone());
        let entry = NewEntry {
            author: crate::cmd::shared::author(author.as_deref(), None),
            ..a.entry
        };
        match place(rel, doc, record, &entry, a.date, s) {
            Ok(()) => entries += 1,
            Err(why) => out.refused.push(refusal(a.row, &t.name, &[why])),
        }
    }
    entries
}

/// Places an entry in the document after the last one dated on or before it, through the
/// write guard; the guard's reason when it refuses (nothing changes then).
fn place(
    rel: &Path,
    doc: &mut Document,
    record: &mut Record,
    entry: &NewEntry,
    date: NaiveDate,
    s: &Settings<'_>,
) -> Result<(), Text> {
    let (new_doc, line) = place_entry(doc, doc, record, entry, date);
    let expect = Expect::entry(line, entry.fields.len());
    let v = verified(rel, record, &new_doc, &expect, s.config, s.today)
        .map_err(|e| guard_message(&e))?;
    *doc = new_doc;
    *record = v.record;
    Ok(())
}

/// The record rows of a customer in date order, each planned by `plan_entry` against what the
/// log says at its date; rows already in `record` (or earlier in the sheets) are skipped.
fn plan_records<'r>(
    t: &'r Target<'r>,
    record: &Record,
    s: &Settings<'_>,
    out: &mut Outcomes,
) -> Vec<Accepted<'r>> {
    let config = s.config;
    let mut rows: Vec<(&Row<'_>, RecordRow)> = Vec::new();
    for row in &t.records {
        match read_record(row, s) {
            Ok(r) => rows.push((row, r)),
            Err(problems) => out.refused.push(refusal(row, &t.name, &problems)),
        }
    }
    rows.sort_by_key(|(_, r)| r.date);
    let mut seen: HashSet<Signature> = record
        .entries
        .iter()
        .map(|e| signature(e, config))
        .collect();
    let mut known: Vec<Known> = record.entries.iter().flat_map(known_of).collect();
    let next_action = record.customer.next_action.clone();
    let mut accepted = Vec::new();
    for (row, r) in rows {
        let current = Current {
            name: t.name.clone(),
            stage: known_at(&known, "stage", r.date).or(r.old_stage.clone()),
            status: known_at(&known, "status", r.date).or(r.old_status.clone()),
            next_action: next_action.clone(),
        };
        let planned = match plan_entry(r.inputs.clone(), config, s.today, &current) {
            Ok(p) => p,
            Err(problems) => {
                let list: Vec<Text> = problems.iter().map(column_problem).collect();
                out.refused.push(refusal(row, &t.name, &list));
                continue;
            }
        };
        let entry = NewEntry {
            channel: planned.channel.clone(),
            author: None,
            discussion: discussion(r.message.as_deref()),
            fields: planned
                .fields
                .iter()
                .map(|f| logged_field(config, f, s.private))
                .collect(),
        };
        let read = read_log(&entry.render(planned.date, "\n"), 0, 1, Detail::Full);
        let Some(as_read) = read.entries.into_iter().next() else {
            out.refused
                .push(refusal(row, &t.name, &[m::IMP_ENTRY_NOT_READ_BACK.into()]));
            continue;
        };
        let sig = signature(&as_read, config);
        if seen.contains(&sig) {
            out.skipped.push(Skipped {
                at: row.at.clone(),
                customer: t.name.clone(),
                date: planned.date.to_string(),
                channel: planned.channel.clone(),
            });
            continue;
        }
        if entry.fields.is_empty() && matches!(entry.discussion, Discussion::None) {
            let why = if planned.notes.is_empty() {
                vec![m::IMP_NOTHING_TO_LOG.into()]
            } else {
                planned.notes.clone()
            };
            out.refused.push(refusal(row, &t.name, &why));
            continue;
        }
        seen.insert(sig);
        known.extend(known_of(&as_read));
        accepted.push(Accepted {
            row,
            date: planned.date,
            author: r.author.clone(),
            entry,
            changes: planned.changes,
        });
    }
    accepted
}

/// The order of a new file's keys, as docs/format.md's example writes them.
const ROOT_ORDER: [&str; 13] = [
    "name",
    "industry",
    "owner",
    "stage",
    "status",
    "priority",
    "cadence",
    "created",
    "paused_until",
    "pain_points",
    "budget",
    "size",
    "tags",
];
const TABLE_ORDER: [(&str, &[&str]); 3] = [
    ("contact", &["name", "title", "phone", "email", "wechat"]),
    ("next", &["action", "due"]),
    (
        "deal",
        &["amount", "currency", "expected_close", "obstacle"],
    ),
];

fn plan_new(t: &Target<'_>, has_profiles: bool, s: &Settings<'_>, out: &mut Outcomes) {
    let config = s.config;
    // The profile: the first good row, then what later rows add; a value they give
    // differently is reported.
    let mut values: Vec<(String, Value)> = Vec::new();
    let mut people: Vec<Person> = Vec::new();
    let mut notes: Option<String> = None;
    let mut profile_rows = 0;
    let file = t.rel.display().to_string();
    for row in &t.profiles {
        let profile = match read_profile(row, s, &mut out.notes) {
            Ok(p) => p,
            Err(problems) => {
                out.refused.push(refusal(row, &t.name, &problems));
                continue;
            }
        };
        profile_rows += 1;
        for (key, value) in profile.values {
            match values.iter().find(|(k, _)| *k == key) {
                Some((_, old)) => {
                    if canonical(&key, old, config) != canonical(&key, &value, config) {
                        out.differences.push(Difference {
                            at: row.at.clone(),
                            customer: t.name.clone(),
                            file: file.clone(),
                            key,
                            kept: Some(shown(old)),
                            sheet_value: shown(&value),
                        });
                    }
                }
                None => values.push((key, value)),
            }
        }
        if !profile.people.is_empty() {
            if people.is_empty() {
                people = profile.people;
            } else if !same_people(&people, &profile.people) {
                out.differences.push(Difference {
                    at: row.at.clone(),
                    customer: t.name.clone(),
                    file: file.clone(),
                    key: "decision_chain".into(),
                    kept: Some(people_text(&people)),
                    sheet_value: people_text(&profile.people),
                });
            }
        }
        if notes.is_none() {
            notes = profile.notes;
        }
    }
    if has_profiles && profile_rows == 0 {
        let message = if t.profiles.is_empty() {
            m::IMP_NOT_IN_FOLDER
        } else {
            m::IMP_PROFILE_REFUSED
        }
        .with("name", &t.name);
        for row in &t.records {
            out.refused
                .push(refusal(row, &t.name, std::slice::from_ref(&message)));
        }
        return;
    }
    // The records, planned against the log as it grows (nothing before them).
    let empty = Record {
        path: t.rel.clone(),
        customer: crate::model::customer::Customer {
            name: t.name.clone(),
            next_action: values
                .iter()
                .find(|(k, _)| k == "next.action")
                .and_then(|(_, v)| v.as_str().map(str::to_string)),
            ..Default::default()
        },
        entries: Vec::new(),
        diagnostics: Vec::new(),
        confidential: Vec::new(),
    };
    let accepted = plan_records(t, &empty, s, out);
    // What the log says of the current state fills what the profile leaves out: the latest
    // stage, status, amount and next action.
    let mut by_date: Vec<&Accepted<'_>> = accepted.iter().collect();
    by_date.sort_by_key(|a| a.date);
    let has = |values: &[(String, Value)], k: &str| values.iter().any(|(key, _)| key == k);
    for key in ["stage", "status", "deal.amount"] {
        if has(&values, key) {
            continue;
        }
        let latest = by_date.iter().rev().find_map(|a| {
            a.changes.iter().find_map(|c| match c {
                Change::Set(k, v) if k == key => Some(v.clone()),
                _ => None,
            })
        });
        if let Some(v) = latest {
            values.push((key.to_string(), v));
        }
    }
    if !has(&values, "next.action")
        && let Some(a) = by_date.iter().rev().find(|a| {
            a.changes
                .iter()
                .any(|c| matches!(c, Change::Set(k, _) if k == "next.action"))
        })
    {
        for c in &a.changes {
            if let Change::Set(k, v) = c
                && (k == "next.action" || k == "next.due")
                && !has(&values, k)
            {
                values.push((k.clone(), v.clone()));
            }
        }
    }
    // Defaults, as `new` has them.
    let owner = s
        .rules
        .owner
        .clone()
        .or_else(|| by_date.iter().rev().find_map(|a| a.author.clone()))
        .or_else(|| s.git_user.clone());
    if !has(&values, "owner")
        && let Some(o) = owner
    {
        values.push(("owner".into(), Value::from(o)));
    }
    if !has(&values, "stage")
        && let Some(first) = config.stages.first()
    {
        values.push(("stage".into(), Value::from(first.key.as_str())));
    }
    if !has(&values, "status") {
        values.push(("status".into(), Value::from("active")));
    }
    if !has(&values, "priority") {
        values.push(("priority".into(), Value::from("medium")));
    }
    if !has(&values, "created") {
        let first = by_date.first().map_or(s.today, |a| a.date.min(s.today));
        values.push(("created".into(), date_value(first)));
    }
    let changes: Vec<Change> = values
        .iter()
        .map(|(k, v)| Change::Set(k.clone(), v.clone()))
        .collect();
    let (private, shared) = split_private(config, s.private, changes);
    let keys: Vec<String> = values.iter().map(|(k, _)| k.clone()).collect();
    let text = new_file(&t.name, &shared, &people, notes.as_deref());
    // The new file passes the guard `new` uses (a rules file can map a column to a key that
    // cannot hold its value, such as `tags.x`).
    let (mut record, mut doc) = match new_file_checked(&t.rel, text.as_bytes(), config, s.today) {
        Ok(parsed) => parsed,
        Err(e) => {
            for row in t.profiles.iter().chain(&t.records) {
                out.refused
                    .push(refusal(row, &t.name, &[guard_message(&e)]));
            }
            return;
        }
    };
    let entries = place_all(&t.rel, &mut doc, &mut record, accepted, t, s, out);
    out.file = Some(PlannedFile {
        rel: t.rel.clone(),
        customer: t.name.clone(),
        before: None,
        after: doc.to_bytes(),
        private,
        keys,
        entries,
    });
}

/// A new customer file, as `new` writes one: the front matter in docs/format.md's order (the
/// profile's keys, `[contact]`, `[[decision_chain]]`, `[next]`, `[deal]`, then any other), the
/// name as the title, and the profile's notes under it.
fn new_file(name: &str, changes: &[Change], people: &[Person], notes: Option<&str>) -> String {
    let values: Vec<(&str, &Value)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Set(k, v) => Some((k.as_str(), v)),
            Change::Remove(_) => None,
        })
        .collect();
    let get = |k: &str| {
        values
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| (*v).clone())
    };
    let mut doc = DocumentMut::new();
    doc["name"] = toml_edit::value(name);
    let mut done: Vec<String> = vec!["name".to_string()];
    for key in ROOT_ORDER {
        if key == "size" {
            let mut size = InlineTable::new();
            for (k, v) in values.iter().filter(|(k, _)| k.starts_with("size.")) {
                size.insert(&k["size.".len()..], (*v).clone());
                done.push((*k).to_string());
            }
            if !size.is_empty() {
                doc["size"] = Item::Value(Value::InlineTable(size));
            }
            continue;
        }
        if let Some(v) = get(key).filter(|_| key != "name") {
            doc[key] = Item::Value(v);
            done.push(key.to_string());
        }
    }
    for (k, v) in &values {
        if !k.contains('.') && !done.iter().any(|d| d == k) {
            doc[*k] = Item::Value((*v).clone());
            done.push((*k).to_string());
        }
    }
    let table_of = |table: &str, order: &[&str], doc: &mut DocumentMut, done: &mut Vec<String>| {
        let mut t = TomlTable::new();
        let prefix = format!("{table}.");
        let mut keys: Vec<(&str, &Value)> = values
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix) && !k[prefix.len()..].contains('.'))
            .map(|(k, v)| (*k, *v))
            .collect();
        keys.sort_by_key(|(k, _)| {
            order
                .iter()
                .position(|o| *o == &k[prefix.len()..])
                .unwrap_or(order.len())
        });
        for (k, v) in keys {
            t[&k[prefix.len()..]] = Item::Value(v.clone());
            done.push(k.to_string());
        }
        if !t.is_empty() {
            doc[table] = Item::Table(t);
        }
    };
    table_of("contact", TABLE_ORDER[0].1, &mut doc, &mut done);
    if !people.is_empty() {
        let mut chain = toml_edit::ArrayOfTables::new();
        for p in people {
            let mut t = TomlTable::new();
            t["name"] = toml_edit::value(p.name.as_str());
            if let Some(title) = &p.title {
                t["title"] = toml_edit::value(title.as_str());
            }
            if let Some(role) = &p.role {
                t["role"] = toml_edit::value(role.as_str());
            }
            chain.push(t);
        }
        doc["decision_chain"] = Item::ArrayOfTables(chain);
    }
    table_of("next", TABLE_ORDER[1].1, &mut doc, &mut done);
    table_of("deal", TABLE_ORDER[2].1, &mut doc, &mut done);
    for (k, v) in &values {
        if !done.iter().any(|d| d == k) {
            let _ = toml_path::set(doc.as_table_mut(), k, (*v).clone());
        }
    }
    let mut text = format!("+++\n{doc}+++\n\n# {name}\n");
    if let Some(n) = notes.filter(|n| !n.trim().is_empty()) {
        let body = match discussion(Some(n)) {
            Discussion::Markdown(m) => m,
            _ => crate::model::compose::escape_text(n),
        };
        text.push('\n');
        text.push_str(body.trim_end());
        text.push('\n');
    }
    text
}
