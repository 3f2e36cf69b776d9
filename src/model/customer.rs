//! The front-matter model: a customer's profile and plan read from TOML (bare or quoted dates,
//! Chinese aliases), with a positioned diagnostic for every value it cannot accept.

use crate::model::config::Config;
use crate::model::dates::{Duration, parse_iso};
use crate::model::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::document::LineIndex;
use crate::model::toml_path;
use crate::msg::{Text, m};
use chrono::NaiveDate;
use std::ops::Range;
use toml_edit::{Item, Table, Value};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Status {
    Active,
    Paused,
    Won,
    Lost,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Priority {
    High,
    Medium,
    Low,
}

const STATUSES: [(&str, &[&str], Status); 4] = [
    ("active", &["推进中", "跟进中"], Status::Active),
    ("paused", &["暂缓", "暂停"], Status::Paused),
    ("won", &["已成交"], Status::Won),
    ("lost", &["丢单", "已丢单"], Status::Lost),
];

const PRIORITIES: [(&str, &[&str], Priority); 3] = [
    ("high", &["高"], Priority::High),
    ("medium", &["中"], Priority::Medium),
    ("low", &["低"], Priority::Low),
];

pub const ROLES: [(&str, &[&str]); 4] = [
    ("decision-maker", &["决策人", "决策者"]),
    ("influencer", &["影响者", "影响人"]),
    ("key-person", &["关键人"]),
    ("evaluator", &["评估者", "评估人"]),
];

fn lookup_alias<T: Copy>(raw: &str, table: &[(&str, &[&str], T)]) -> Option<T> {
    let t = raw.trim();
    let lower = t.to_lowercase();
    table
        .iter()
        .find(|(en, zh, _)| *en == lower || zh.contains(&t))
        .map(|(_, _, v)| *v)
}

impl Status {
    pub fn parse(raw: &str) -> Option<Status> {
        lookup_alias(raw, &STATUSES)
    }

    pub fn key(self) -> &'static str {
        STATUSES.iter().find(|s| s.2 == self).map_or("", |s| s.0)
    }
}

impl Priority {
    pub fn parse(raw: &str) -> Option<Priority> {
        lookup_alias(raw, &PRIORITIES)
    }

    pub fn key(self) -> &'static str {
        PRIORITIES.iter().find(|p| p.2 == self).map_or("", |p| p.0)
    }
}

pub fn role_key(raw: &str) -> Option<&'static str> {
    let t = raw.trim();
    let lower = t.to_lowercase();
    ROLES
        .iter()
        .find(|(en, zh)| *en == lower || zh.contains(&t))
        .map(|(en, _)| *en)
}

/// The typed profile and plan of one customer.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Customer {
    pub name: String,
    pub industry: Option<String>,
    pub owner: Option<String>,
    /// Canonical stage key, when the stage is known.
    pub stage: Option<String>,
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub cadence: Option<Duration>,
    #[serde(with = "crate::model::dates::days_opt")]
    pub created: Option<NaiveDate>,
    #[serde(with = "crate::model::dates::days_opt")]
    pub paused_until: Option<NaiveDate>,
    pub tags: Vec<String>,
    pub contact_name: Option<String>,
    pub next_action: Option<String>,
    #[serde(with = "crate::model::dates::days_opt")]
    pub next_due: Option<NaiveDate>,
    pub deal_amount: Option<f64>,
    #[serde(with = "crate::model::dates::days_opt")]
    pub expected_close: Option<NaiveDate>,
    pub currency: Option<String>,
    pub obstacle: Option<String>,
    /// Line of the `name` key (the opening `+++` when there is none).
    pub name_line: usize,
    /// Lines of the front-matter keys a report can point at ([`KEY_LINES`]), when present.
    #[serde(with = "key_lines")]
    pub key_lines: Vec<(&'static str, usize)>,
}

/// `key_lines` in the read cache: keys as text, read back as the [`KEY_LINES`] they name.
mod key_lines {
    use super::KEY_LINES;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        lines: &[(&'static str, usize)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        lines.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(&'static str, usize)>, D::Error> {
        let lines: Vec<(String, usize)> = Vec::deserialize(d)?;
        Ok(lines
            .into_iter()
            .filter_map(|(key, line)| KEY_LINES.iter().find(|k| **k == key).map(|k| (*k, line)))
            .collect())
    }
}

/// The front-matter keys whose line `--explain` can point at.
pub const KEY_LINES: [&str; 7] = [
    "stage",
    "status",
    "created",
    "deal.amount",
    "deal.expected_close",
    "next.due",
    "owner",
];

impl Customer {
    pub fn status(&self) -> Status {
        self.status.unwrap_or(Status::Active)
    }

    pub fn priority(&self) -> Priority {
        self.priority.unwrap_or(Priority::Medium)
    }

    /// The line of a front-matter key ([`KEY_LINES`]), else of `name`.
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(self.name_line, |(_, line)| *line)
    }
}

/// Where a span of the front matter is in the file: maps TOML spans to file line and column.
pub struct Locator<'a> {
    pub index: &'a LineIndex<'a>,
    /// Byte offset of the front matter in the file text.
    pub offset: usize,
    /// Line to point at for something missing (the opening `+++`).
    pub open_line: usize,
}

impl Locator<'_> {
    pub fn at(&self, span: Option<Range<usize>>) -> (usize, usize) {
        match span {
            Some(s) => self.index.line_col(self.offset + s.start),
            None => (self.open_line, 1),
        }
    }
}

/// Reads the typed customer from parsed front matter; every value it cannot accept becomes a
/// diagnostic at that value's position, and the field is left unset.
pub fn read_customer(
    root: &Table,
    config: &Config,
    loc: &Locator<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Customer {
    let mut r = Reader {
        root,
        loc,
        diags,
        config,
    };
    let mut c = Customer {
        name: r.string("name").unwrap_or_default(),
        industry: r.string("industry"),
        owner: r.string("owner"),
        contact_name: r.string("contact.name"),
        next_action: r.string("next.action"),
        next_due: r.date("next.due"),
        created: r.date("created"),
        paused_until: r.date("paused_until"),
        obstacle: r.string("deal.obstacle").or_else(|| r.string("obstacle")),
        ..Customer::default()
    };
    c.expected_close = r.date("deal.expected_close");
    c.currency = toml_path::get(root, "deal.currency")
        .and_then(Item::as_str)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if let Some((raw, span)) = r.string_at("stage") {
        c.stage = config.stage_key(&raw).map(str::to_string);
        if c.stage.is_none() {
            let keys = config.stages.iter().map(|s| s.key.as_str());
            r.bad(
                span,
                Code::UnknownStage,
                m::D_UNKNOWN_STAGE.with("value", shown(config, "stage", &raw)),
                did_you_mean(&raw, keys)
                    .or_else(|| Some(m::H_USE_ONE_OF.with("values", config.stage_list()))),
            );
        }
    }
    if let Some((raw, span)) = r.string_at("status") {
        c.status = Status::parse(&raw);
        if c.status.is_none() {
            let keys = STATUSES.iter().map(|s| s.0);
            r.bad(
                span,
                Code::UnknownStatus,
                m::D_UNKNOWN_STATUS.with("value", shown(config, "status", &raw)),
                did_you_mean(&raw, keys).or_else(|| Some(m::H_STATUSES.into())),
            );
        }
    }
    if let Some((raw, span)) = r.string_at("priority") {
        c.priority = Priority::parse(&raw);
        if c.priority.is_none() {
            let keys = PRIORITIES.iter().map(|p| p.0);
            r.bad(
                span,
                Code::UnknownPriority,
                m::D_UNKNOWN_PRIORITY.with("value", shown(config, "priority", &raw)),
                did_you_mean(&raw, keys).or_else(|| Some(m::H_PRIORITIES.into())),
            );
        }
    }
    if let Some((raw, span)) = r.string_at("cadence") {
        match Duration::parse(&raw) {
            Ok(d) => c.cadence = Some(d),
            Err(_) if config.hides("cadence") => {
                r.bad(span, Code::BadValue, m::D_CADENCE_NOT_DURATION.into(), None)
            }
            Err(e) => r.bad(
                span,
                Code::BadValue,
                m::D_KEY_DETAIL
                    .with("key", "cadence")
                    .with_text("detail", e),
                None,
            ),
        }
    }
    c.tags = r.strings("tags");
    r.strings("pain_points");
    if let Some(item) = toml_path::get(root, "deal.amount") {
        match item.as_value() {
            Some(Value::Integer(i)) => c.deal_amount = Some(*i.value() as f64),
            Some(Value::Float(f)) => c.deal_amount = Some(*f.value()),
            _ => r.bad(
                item.span(),
                Code::BadValue,
                m::D_AMOUNT_NOT_NUMBER.into(),
                None,
            ),
        }
    }
    r.decision_chain();
    c.name_line = toml_path::get(root, "name").map_or(loc.open_line, |i| loc.at(i.span()).0);
    c.key_lines = KEY_LINES
        .iter()
        .filter_map(|k| Some((*k, loc.at(toml_path::get(root, k)?.span()).0)))
        .collect();
    plan_warnings(root, &c, config, loc, r.diags);
    c
}

/// Warnings about the plan that the template's rules imply: a next action needs a deadline
/// and concrete words; a paused deal needs an obstacle or a date to resume.
fn plan_warnings(
    root: &Table,
    c: &Customer,
    config: &Config,
    loc: &Locator<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(action) = &c.next_action {
        let (line, col) = loc.at(toml_path::get(root, "next.action").and_then(Item::span));
        if toml_path::get(root, "next.due").is_none() {
            diags.push(
                Diagnostic::warning(line, col, Code::NextWithoutDue, m::D_NEXT_WITHOUT_DUE)
                    .with_hint(m::H_NEXT_WITHOUT_DUE),
            );
        }
        if let Some(phrase) = vague_phrase(action, config) {
            diags.push(
                Diagnostic::warning(
                    line,
                    col,
                    Code::VagueNext,
                    m::D_VAGUE_NEXT
                        .with("action", shown(config, "next.action", action))
                        .with("phrase", phrase),
                )
                .with_hint(m::H_VAGUE_NEXT),
            );
        }
    }
    // A won deal sits at the won stage or later: `status = "won"` before it contradicts itself.
    if c.status == Some(Status::Won)
        && let (Some(stage), Some(won)) = (c.stage.as_deref(), config.won_stage())
        && config.stage_rank(stage) < config.won_rank()
    {
        let (line, col) = loc.at(toml_path::get(root, "status").and_then(Item::span));
        diags.push(
            Diagnostic::warning(
                line,
                col,
                Code::StageStatusMismatch,
                m::D_STAGE_STATUS_MISMATCH
                    .with("stage", stage)
                    .with("won", &won.key),
            )
            .with_hint(m::H_STAGE_STATUS_MISMATCH.with("won", &won.key)),
        );
    }
    if c.status == Some(Status::Paused) && c.obstacle.is_none() && c.paused_until.is_none() {
        let (line, col) = loc.at(toml_path::get(root, "status").and_then(Item::span));
        diags.push(
            Diagnostic::warning(
                line,
                col,
                Code::PausedWithoutReason,
                m::D_PAUSED_WITHOUT_REASON,
            )
            .with_hint(m::H_PAUSED_WITHOUT_REASON),
        );
    }
}

/// The team's vague phrase that `text` contains, if any.
pub fn vague_phrase<'a>(text: &str, config: &'a Config) -> Option<&'a str> {
    let lower = text.to_lowercase();
    config
        .rules
        .vague_phrases
        .iter()
        .find(|p| !p.trim().is_empty() && lower.contains(&p.to_lowercase()))
        .map(String::as_str)
}

/// A value as a diagnostic may quote it: `***` when the key is confidential, so that `check`
/// output and error messages never carry a confidential value.
fn shown<'a>(config: &Config, key: &str, value: &'a str) -> &'a str {
    if config.hides(key) { "***" } else { value }
}

struct Reader<'a, 'b> {
    root: &'a Table,
    loc: &'a Locator<'b>,
    diags: &'a mut Vec<Diagnostic>,
    config: &'a Config,
}

impl Reader<'_, '_> {
    fn bad(&mut self, span: Option<Range<usize>>, code: Code, message: Text, hint: Option<Text>) {
        let (line, col) = self.loc.at(span);
        let mut d = Diagnostic::error(line, col, code, message);
        d.hint = hint;
        self.diags.push(d);
    }

    /// A string value and its span; a value of another type is reported and skipped.
    fn string_at(&mut self, key: &str) -> Option<(String, Option<Range<usize>>)> {
        let item = toml_path::get(self.root, key)?;
        match item.as_str() {
            Some(s) => Some((s.to_string(), item.span())),
            None => {
                self.bad(
                    item.span(),
                    Code::BadValue,
                    m::D_NOT_A_STRING.with("key", key),
                    None,
                );
                None
            }
        }
    }

    fn string(&mut self, key: &str) -> Option<String> {
        self.string_at(key)
            .map(|(s, _)| s)
            .filter(|s| !s.trim().is_empty())
    }

    fn strings(&mut self, key: &str) -> Vec<String> {
        let Some(item) = toml_path::get(self.root, key) else {
            return Vec::new();
        };
        match item.as_array() {
            Some(a) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            None => match item.as_str() {
                Some(s) => vec![s.to_string()],
                None => {
                    self.bad(
                        item.span(),
                        Code::BadValue,
                        m::D_NOT_A_LIST.with("key", key),
                        None,
                    );
                    Vec::new()
                }
            },
        }
    }

    fn date(&mut self, key: &str) -> Option<NaiveDate> {
        let item = toml_path::get(self.root, key)?;
        let parsed = match item.as_value() {
            Some(Value::Datetime(dt)) => dt.value().date.and_then(|d| {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            }),
            Some(Value::String(s)) => parse_iso(s.value()),
            _ => None,
        };
        if parsed.is_none() {
            let shown_value = item
                .as_value()
                .map_or_else(String::new, |v| v.to_string().trim().to_string());
            self.bad(
                item.span(),
                Code::BadDate,
                m::D_KEY_NOT_A_DATE
                    .with("key", key)
                    .with("value", shown(self.config, key, &shown_value)),
                Some(m::H_DATE_FORMAT.into()),
            );
        }
        parsed
    }

    fn decision_chain(&mut self) {
        let Some(item) = self.root.get("decision_chain") else {
            return;
        };
        let people: Vec<&dyn toml_edit::TableLike> = match item {
            Item::ArrayOfTables(a) => a.iter().map(|t| t as &dyn toml_edit::TableLike).collect(),
            Item::Value(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_inline_table().map(|t| t as &dyn toml_edit::TableLike))
                .collect(),
            _ => {
                self.bad(
                    item.span(),
                    Code::BadValue,
                    m::D_CHAIN_NOT_TABLES.into(),
                    None,
                );
                return;
            }
        };
        for person in people {
            let Some(role) = person.get("role") else {
                continue;
            };
            let Some(raw) = role.as_str() else {
                self.bad(
                    role.span(),
                    Code::BadValue,
                    m::D_NOT_A_STRING.with("key", "decision_chain.role"),
                    None,
                );
                continue;
            };
            if role_key(raw).is_none() {
                let keys = ROLES.iter().map(|r| r.0);
                let hint = did_you_mean(raw, keys).or_else(|| Some(m::H_ROLES.into()));
                self.bad(
                    role.span(),
                    Code::UnknownRole,
                    m::D_UNKNOWN_ROLE.with("value", shown(self.config, "decision_chain.role", raw)),
                    hint,
                );
            }
        }
    }
}

/// Diagnostics for required keys (dotted) that are missing or empty.
pub fn missing_required(root: &Table, config: &Config, loc: &Locator<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for key in &config.rules.required {
        let present = toml_path::get(root, key).is_some_and(|item| match item.as_str() {
            Some(s) => !s.trim().is_empty(),
            None => !item.is_none(),
        });
        if present {
            continue;
        }
        // Point at the parent table when it exists, else at the opening `+++`.
        let parent = key
            .rsplit_once('.')
            .and_then(|(p, _)| toml_path::get(root, p));
        let (line, col) = loc.at(parent.and_then(Item::span));
        out.push(
            Diagnostic::error(
                line,
                col,
                Code::MissingField,
                m::D_MISSING_FIELD.with("key", key),
            )
            .with_hint(missing_hint(key)),
        );
    }
    out
}

/// How to add a missing key: `name = "…"` under its table when it has one.
fn missing_hint(key: &str) -> crate::msg::Text {
    match key.rsplit_once('.') {
        Some((table, leaf)) => m::H_MISSING_FIELD_IN
            .with("example", format!("{leaf} = \"…\""))
            .with("table", table),
        None => m::H_MISSING_FIELD.with("example", format!("{key} = \"…\"")),
    }
}
