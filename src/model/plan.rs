//! One path from text to a planned change: whatever a new log entry comes from — `log`'s flags,
//! the fields typed in `$EDITOR`, a spreadsheet row — it is a list of `key: value` inputs that
//! [`plan_entry`] parses, checks and turns into the entry's fields and the front-matter changes
//! that go with them (`next` → `[next]`, `stage` / `status` → `OLD -> NEW` and the key). A value
//! that `check` would reject is refused here, with where it came from. Pure: no file, no clock.

use crate::model::compose::NewField;
use crate::model::config::Config;
use crate::model::customer::Status;
use crate::model::dates::parse_date_arg;
use crate::model::edit::{Change, date_value};
use crate::model::entry::{
    Outcome, field_key, parse_change, resolve_due_in_text, split_due, split_objection,
};
use crate::model::schema::{change_text, typed_value};
use crate::model::toml_path;
use crate::msg::{Text, m};
use chrono::NaiveDate;
use std::fmt;
use toml_edit::Value;

/// One `key: value` of a new entry, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// A field key or its Chinese alias (`outcome`, `结果`, …; other keys are kept as written);
    /// for an argument, also `message`, `date`, `channel` or `due` (the next action's deadline).
    pub key: String,
    pub value: String,
    /// Where it was typed, for a problem: `--promised`, `line 4`, `row 7, column 异议`.
    pub at: String,
    /// The box of a Markdown task item: `Some(false)` open, `Some(true)` ticked.
    pub task: Option<bool>,
    /// An argument (a flag, a spreadsheet column) rather than a `- key: value` line: only
    /// arguments may be `message`, `date`, `channel` or `due`.
    pub argument: bool,
}

impl Input {
    /// A command-line flag or a column: `key` may also be `message`, `date`, `channel`, `due`.
    pub fn argument(key: &str, value: impl Into<String>, at: impl Into<String>) -> Input {
        Input {
            key: key.to_string(),
            value: value.into(),
            at: at.into(),
            task: None,
            argument: true,
        }
    }

    /// A `- key: value` list item (`task`: its box, if it has one).
    pub fn field(
        key: &str,
        value: impl Into<String>,
        at: impl Into<String>,
        task: Option<bool>,
    ) -> Input {
        Input {
            key: key.to_string(),
            value: value.into(),
            at: at.into(),
            task,
            argument: false,
        }
    }
}

/// Why an input cannot be logged, and where it was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: String,
    pub message: Text,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// What the front matter says now, as written: what a change is `OLD -> NEW` from, and the
/// next action a lone deadline belongs to.
#[derive(Debug, Clone, Default)]
pub struct Current {
    pub name: String,
    pub stage: Option<String>,
    pub status: Option<String>,
    pub next_action: Option<String>,
}

impl Current {
    /// Reads it from parsed front matter.
    pub fn of(table: &toml_edit::Table) -> Current {
        let raw = |key: &str| {
            toml_path::get(table, key)
                .and_then(|i| i.as_str())
                .map(str::to_string)
        };
        Current {
            name: raw("name").unwrap_or_default(),
            stage: raw("stage"),
            status: raw("status"),
            next_action: raw("next.action").filter(|a| !a.trim().is_empty()),
        }
    }
}

/// A checked new entry: its date, channel, plain-text discussion and fields, and the
/// front-matter changes that go with it.
#[derive(Debug, Clone)]
pub struct PlannedEntry {
    pub date: NaiveDate,
    pub channel: String,
    /// Plain-text paragraphs (`-m`), escaped when written.
    pub message: Vec<String>,
    pub fields: Vec<NewField>,
    pub changes: Vec<Change>,
    /// What the plan did beyond the fields typed: `status won` moving the stage.
    pub notes: Vec<Text>,
}

/// Where each field of the entry comes from, in the order typed.
enum Slot {
    Field(NewField),
    Next,
    Stage,
    Status,
}

/// One change of stage or status as typed: the new value and where.
struct Typed {
    value: String,
    at: String,
}

/// Parses and checks `inputs` into a new entry (docs/format.md, "What the tool writes") for a
/// customer whose front matter is `current`, relative to `today`. Every problem is returned, each with where it was typed.
///
/// - Empty values are refused; so is a date `check` would reject (`(due …)` in any field is
///   resolved: `(due fri)` → `(due 2026-11-27)`).
/// - `outcome`, `stage`, `status` must be known values; `assist` is `WHO: TASK`; `objection`
///   needs a category (an unknown one is left to `check`'s warning); an entry has one `reason`
///   (原因: why a deal was lost, read by `stats`).
/// - `next` (with `(due …)` or a `due` argument) sets `[next]`; a new action without a
///   deadline removes the old `next.due`. A lone `due` moves the current action's deadline.
/// - `stage` / `status` are written `OLD -> NEW` from the front matter and set there; one that
///   does not change anything is dropped. `status: won` also moves a customer that is before
///   the won stage to it, since a won deal sits there.
pub fn plan_entry(
    inputs: Vec<Input>,
    config: &Config,
    today: NaiveDate,
    current: &Current,
) -> Result<PlannedEntry, Vec<Problem>> {
    let mut g = Gathered::default();
    for input in inputs {
        g.read(input, config, today);
    }
    let mut changes = Vec::new();
    let next_field = g.next_action(current, &mut changes);
    let (stage_field, status_field, notes) = g.stage_and_status(config, current, &mut changes);
    if let Some((v, _)) = &g.amount {
        changes.push(Change::Set("deal.amount".into(), v.clone()));
    }
    if !g.problems.is_empty() {
        return Err(g.problems);
    }
    let fields = g.fields(next_field, stage_field, status_field);
    let (date, _) = g.date.unwrap_or((today, String::new()));
    let channel = g.channel.map_or_else(
        || {
            config.channels.first().map_or_else(
                || "phone".to_string(),
                |c| config.channel_key(c).to_string(),
            )
        },
        |(c, _)| c,
    );
    Ok(PlannedEntry {
        date,
        channel,
        message: g.message,
        fields,
        changes,
        notes,
    })
}

/// The inputs read so far: the fields in the order typed, the arguments, and every problem.
#[derive(Default)]
struct Gathered {
    problems: Vec<Problem>,
    slots: Vec<Slot>,
    message: Vec<String>,
    date: Option<(NaiveDate, String)>,
    channel: Option<(String, String)>,
    due: Option<(NaiveDate, String)>,
    /// The action, its own `(due …)`, where it was typed.
    next: Option<(String, Option<NaiveDate>, String)>,
    stage: Option<Typed>,
    status: Option<Typed>,
    amount: Option<(Value, String)>,
    outcome_at: Option<String>,
    reason_at: Option<String>,
}

impl Gathered {
    /// Reads one input: an argument (`message`, `date`, `channel`, `due`) or a field.
    fn read(&mut self, input: Input, config: &Config, today: NaiveDate) {
        let value = input.value.trim();
        let key = input.key.trim();
        let argument = match key {
            "message" | "date" | "channel" | "due" if input.argument => Some(key),
            _ => None,
        };
        if value.is_empty() {
            let field = field_key(key);
            self.problem(
                &input,
                m::P_EMPTY
                    .with("key", shown_key(key, &input))
                    .with_text("what", what_to_write(argument.or(field).unwrap_or(key))),
            );
            return;
        }
        match argument {
            Some(arg) => self.read_argument(arg, value, &input, config, today),
            None => self.read_field(&input, config, today),
        }
    }

    fn problem(&mut self, input: &Input, message: Text) {
        self.problems.push(Problem {
            at: input.at.clone(),
            message,
        });
    }

    /// `message`, `date`, `channel` or `due` (the next action's deadline) given as an argument.
    fn read_argument(
        &mut self,
        arg: &str,
        value: &str,
        input: &Input,
        config: &Config,
        today: NaiveDate,
    ) {
        let once = |seen: bool, g: &mut Gathered| {
            if seen {
                g.problem(input, m::P_TWICE.with("arg", arg));
            }
        };
        match arg {
            "message" => self.message.push(value.to_string()),
            "date" => {
                once(self.date.is_some(), self);
                match parse_date_arg(value, today) {
                    Ok(d) => self.date = Some((d, input.at.clone())),
                    Err(e) => self.problem(input, e),
                }
            }
            "channel" => {
                once(self.channel.is_some(), self);
                let c = config.channel_key(value);
                if c.contains(char::is_whitespace) || c.starts_with('@') {
                    self.problem(input, m::P_CHANNEL_WORD.with("value", value));
                } else {
                    self.channel = Some((c.to_string(), input.at.clone()));
                }
            }
            _ => {
                once(self.due.is_some(), self);
                match parse_date_arg(value, today) {
                    Ok(d) => self.due = Some((d, input.at.clone())),
                    Err(e) => self.problem(input, e),
                }
            }
        }
    }

    /// A field: known keys checked, other keys kept as written.
    fn read_field(&mut self, input: &Input, config: &Config, today: NaiveDate) {
        let value = input.value.trim();
        let key = input.key.trim();
        let field = field_key(key);
        // A Markdown to-do without a key (`- [ ] call back`) reads as key `task`.
        let task_item = key == "task" && input.task.is_some();
        // `(due fri)` → `(due 2026-11-27)` in every field, so no field holds a date `check`
        // rejects.
        let value = match resolve_due_in_text(value, today) {
            Ok(v) => v,
            Err(e) => {
                self.problem(
                    input,
                    m::P_DEADLINE_IN.with("value", value).with_text("detail", e),
                );
                return;
            }
        };
        let text_before_due = split_due(&value).0.trim().to_string();
        match field {
            Some("outcome") => {
                if self.outcome_at.is_some() {
                    self.problem(input, m::P_ONE_OUTCOME.into());
                } else if let Outcome::Unknown(o) = Outcome::parse(&value) {
                    self.problem(
                        input,
                        m::MESSAGE_HINT
                            .with_text("message", m::P_UNKNOWN_OUTCOME.with("value", o))
                            .with_text("hint", m::H_OUTCOMES),
                    );
                } else {
                    self.outcome_at = Some(input.at.clone());
                    self.slots
                        .push(Slot::Field(NewField::new("outcome", value, false)));
                }
            }
            Some("objection") => {
                let (category, how) = split_objection(&value);
                if category.is_empty() {
                    self.problem(input, m::P_OBJECTION_CATEGORY.with("value", &value));
                    return;
                }
                let value = match how {
                    Some(h) if !h.is_empty() => format!("{category} — {h}"),
                    _ => category.to_string(),
                };
                self.slots
                    .push(Slot::Field(NewField::new("objection", value, false)));
            }
            Some(k @ ("promised" | "assist")) => {
                if text_before_due.is_empty() {
                    self.problem(
                        input,
                        m::P_ONLY_DEADLINE.with("key", k).with("value", &value),
                    );
                    return;
                }
                if k == "assist" {
                    let parts = text_before_due.split_once([':', '：']);
                    if parts
                        .is_none_or(|(who, task)| who.trim().is_empty() || task.trim().is_empty())
                    {
                        self.problem(input, m::P_ASSIST_SHAPE.with("value", &value));
                        return;
                    }
                }
                self.slots.push(Slot::Field(item(k, value, input.task)));
            }
            Some("next") => {
                if self.next.is_some() {
                    self.problem(input, m::P_ONE_NEXT.into());
                    return;
                }
                if text_before_due.is_empty() {
                    self.problem(input, m::P_NEXT_ONLY_DEADLINE.with("value", &value));
                    return;
                }
                let deadline = crate::model::entry::due_date(&value);
                self.next = Some((text_before_due, deadline, input.at.clone()));
                self.slots.push(Slot::Next);
            }
            Some(k @ ("stage" | "status")) => self.read_change(k, &value, input, config),
            Some("amount") => {
                if self.amount.is_some() {
                    self.problem(input, m::P_ONE_AMOUNT.into());
                    return;
                }
                match typed_value("deal.amount", &value, config, today) {
                    Ok(v) => {
                        self.slots.push(Slot::Field(NewField::new(
                            "amount",
                            v.to_string().trim(),
                            false,
                        )));
                        self.amount = Some((v, input.at.clone()));
                    }
                    Err(e) => self.problem(
                        input,
                        m::D_KEY_DETAIL.with("key", "amount").with_text("detail", e),
                    ),
                }
            }
            Some("feedback") => self
                .slots
                .push(Slot::Field(NewField::new("feedback", value, false))),
            // Why: a lost deal's reason (`log --status lost --reason …`), read by `stats`.
            Some("reason") => {
                if self.reason_at.is_some() {
                    self.problem(input, m::P_ONE_REASON.into());
                } else {
                    self.reason_at = Some(input.at.clone());
                    self.slots
                        .push(Slot::Field(NewField::new("reason", value, false)));
                }
            }
            _ if task_item => self
                .slots
                .push(Slot::Field(item("task", value, input.task))),
            // A key the tool does not know is kept as written, and ignored.
            _ => {
                let key = key.to_lowercase();
                self.slots.push(Slot::Field(match input.task {
                    Some(done) => item(&key, value, Some(done)),
                    None => NewField::new(&key, value, false),
                }));
            }
        }
    }

    /// A `stage` or `status` field: `NEW` or `OLD -> NEW`, each a known value, once.
    fn read_change(&mut self, k: &str, value: &str, input: &Input, config: &Config) {
        let seen = if k == "stage" {
            &self.stage
        } else {
            &self.status
        };
        if seen.is_some() {
            self.problem(input, m::P_CHANGE_ONCE.with("key", k));
            return;
        }
        let (old, new) = parse_change(value);
        let mut bad = false;
        for v in old.iter().chain(Some(&new)) {
            let known = if k == "stage" {
                config.stage_key(v).is_some()
            } else {
                Status::parse(v).is_some()
            };
            if !known {
                bad = true;
                self.problem(
                    input,
                    if k == "stage" {
                        m::MESSAGE_HINT
                            .with_text("message", m::P_UNKNOWN_STAGE.with("value", v))
                            .with_text("hint", m::H_USE_ONE_OF.with("values", config.stage_list()))
                    } else {
                        m::MESSAGE_HINT
                            .with_text("message", m::P_UNKNOWN_STATUS.with("value", v))
                            .with_text("hint", m::H_STATUSES)
                    },
                );
            }
        }
        if bad {
            return;
        }
        let typed = Typed {
            value: new,
            at: input.at.clone(),
        };
        if k == "stage" {
            self.stage = Some(typed);
            self.slots.push(Slot::Stage);
        } else {
            self.status = Some(typed);
            self.slots.push(Slot::Status);
        }
    }

    /// The next action: `next` (its own `(due …)`, or the `due` argument), or a lone `due`
    /// that moves the current action's deadline. Returns the entry's `next` field.
    fn next_action(&mut self, current: &Current, changes: &mut Vec<Change>) -> Option<NewField> {
        if self.next.is_none() && self.due.is_none() {
            return None;
        }
        let deadline = match (&self.next, &self.due) {
            (Some((_, Some(a), at)), Some((b, _))) if a != b => {
                self.problems.push(Problem {
                    at: at.clone(),
                    message: m::P_TWO_DEADLINES.with("a", a).with("b", b),
                });
                None
            }
            (Some((_, Some(a), _)), _) => Some(*a),
            (_, Some((b, _))) => Some(*b),
            _ => None,
        };
        let action = match &self.next {
            Some((action, _, _)) => Some(action.clone()),
            None => current.next_action.clone(),
        };
        let Some(action) = action else {
            let at = self
                .due
                .as_ref()
                .map_or_else(String::new, |(_, at)| at.clone());
            self.problems.push(Problem {
                at,
                message: if current.name.is_empty() {
                    m::P_DEADLINE_NEEDS_ACTION_ANON.into()
                } else {
                    m::P_DEADLINE_NEEDS_ACTION.with("name", &current.name)
                },
            });
            return None;
        };
        if self.next.is_some() {
            changes.push(Change::Set(
                "next.action".into(),
                Value::from(action.as_str()),
            ));
        }
        match deadline {
            Some(d) => changes.push(Change::Set("next.due".into(), date_value(d))),
            // A new action without a deadline must not inherit the old one's.
            None => changes.push(Change::Remove("next.due".into())),
        }
        let text = match deadline {
            Some(d) => format!("{action} (due {d})"),
            None => action.clone(),
        };
        if self.next.is_none() {
            self.slots.push(Slot::Next);
        }
        Some(NewField::new("next", text, false))
    }

    /// Stage and status: each written `OLD -> NEW` and set, unless it changes nothing; a won
    /// status puts the deal at the won stage. Returns the `stage` and `status` fields and the
    /// notes.
    fn stage_and_status(
        &mut self,
        config: &Config,
        current: &Current,
        changes: &mut Vec<Change>,
    ) -> (Option<NewField>, Option<NewField>, Vec<Text>) {
        let canonical_stage = |v: &str| config.stage_key(v).map(str::to_string);
        let mut notes = Vec::new();
        let auto_stage = self.won_moves_stage(config, current, &mut notes);
        let mut stage_field = None;
        let mut status_field = None;
        for (key, typed) in [
            (
                "stage",
                self.stage.as_ref().map(|s| s.value.clone()).or(auto_stage),
            ),
            ("status", self.status.as_ref().map(|s| s.value.clone())),
        ] {
            let Some(new) = typed else { continue };
            let old = if key == "stage" {
                current.stage.as_deref()
            } else {
                current.status.as_deref()
            };
            let same = match key {
                "stage" => old.and_then(canonical_stage) == canonical_stage(&new),
                _ => old
                    .and_then(Status::parse)
                    .is_some_and(|o| Some(o) == Status::parse(&new)),
            };
            if same {
                notes.push(
                    m::P_ALREADY
                        .with("key", key)
                        .with("value", old.unwrap_or(&new)),
                );
                continue;
            }
            changes.push(Change::Set(key.into(), Value::from(new.as_str())));
            let field = NewField::new(key, change_text(key, old, &new, config), false);
            if key == "stage" {
                stage_field = Some(field);
            } else {
                status_field = Some(field);
            }
        }
        (stage_field, status_field, notes)
    }

    /// The stage `status: won` moves a customer before the won stage to, written like its
    /// current stage (its key, or its label: 意向 → 成交); a typed stage before the won one is
    /// a problem.
    fn won_moves_stage(
        &mut self,
        config: &Config,
        current: &Current,
        notes: &mut Vec<Text>,
    ) -> Option<String> {
        let status_won = self
            .status
            .as_ref()
            .is_some_and(|s| Status::parse(&s.value) == Some(Status::Won));
        let won = config.won_stage().filter(|_| status_won)?;
        match &self.stage {
            Some(s) if !config.is_won_or_later(&s.value) => {
                self.problems.push(Problem {
                    at: s.at.clone(),
                    message: m::P_STAGE_WITH_WON
                        .with("stage", &s.value)
                        .with("won", &won.key),
                });
                None
            }
            Some(_) => None,
            None => {
                let current_stage = current
                    .stage
                    .as_deref()
                    .and_then(|v| config.stage_key(v).map(str::to_string));
                let before_won = current_stage
                    .as_deref()
                    .is_none_or(|s| !config.is_won_or_later(s));
                let unknown_written = current.stage.is_some() && current_stage.is_none();
                if !before_won || unknown_written {
                    return None;
                }
                let styled = match (&current.stage, &current_stage) {
                    (Some(raw), Some(key)) if !raw.trim().eq_ignore_ascii_case(key) => {
                        won.label.clone()
                    }
                    _ => won.key.clone(),
                };
                notes.push(
                    m::P_WON_MOVES_STAGE
                        .with("from", current_stage.as_deref().unwrap_or("-"))
                        .with("to", &won.key),
                );
                Some(styled)
            }
        }
    }

    /// The entry's fields in the order typed; a stage moved by `status: won` goes just before
    /// the status.
    fn fields(
        &mut self,
        mut next_field: Option<NewField>,
        mut stage_field: Option<NewField>,
        mut status_field: Option<NewField>,
    ) -> Vec<NewField> {
        let mut fields = Vec::new();
        let mut auto_stage_field = if self.stage.is_none() {
            stage_field.take()
        } else {
            None
        };
        for slot in std::mem::take(&mut self.slots) {
            match slot {
                Slot::Field(f) => fields.push(f),
                Slot::Next => fields.extend(next_field.take()),
                Slot::Stage => fields.extend(stage_field.take()),
                Slot::Status => {
                    fields.extend(auto_stage_field.take());
                    fields.extend(status_field.take());
                }
            }
        }
        fields
    }
}

/// A promise, assist or to-do as a task item: open, or ticked when it was typed ticked.
fn item(key: &str, value: String, task: Option<bool>) -> NewField {
    let mut f = NewField::new(key, value, true);
    f.done = task == Some(true);
    f
}

fn shown_key(key: &str, input: &Input) -> String {
    if input.argument {
        format!("`{key}`")
    } else {
        format!("`- {key}:`")
    }
}

/// What to write instead of an empty value.
fn what_to_write(key: &str) -> crate::msg::Msg {
    match key {
        "message" => m::W_MESSAGE,
        "feedback" => m::W_FEEDBACK,
        "objection" => m::W_OBJECTION,
        "promised" => m::W_PROMISED,
        "assist" => m::W_ASSIST,
        "next" => m::W_NEXT,
        "reason" => m::W_REASON,
        "due" | "date" => m::W_DATE,
        _ => m::W_VALUE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn arg(key: &str, value: &str) -> Input {
        Input::argument(key, value, format!("--{key}"))
    }

    fn line(n: usize, key: &str, value: &str) -> Input {
        Input::field(key, value, format!("line {n}"), None)
    }

    fn current(stage: &str, status: &str) -> Current {
        Current {
            name: "Acme".into(),
            stage: Some(stage.into()),
            status: Some(status.into()),
            next_action: None,
        }
    }

    fn plan(inputs: Vec<Input>, current: &Current) -> Result<PlannedEntry, Vec<Problem>> {
        plan_entry(inputs, &Config::default(), today(), current)
    }

    fn shown(p: &PlannedEntry) -> Vec<String> {
        p.fields
            .iter()
            .map(|f| format!("{}: {}", f.key, f.value))
            .collect()
    }

    fn changed(p: &PlannedEntry) -> Vec<String> {
        p.changes
            .iter()
            .map(|c| match c {
                Change::Set(k, v) => format!("{k}={}", v.to_string().trim()),
                Change::Remove(k) => format!("-{k}"),
            })
            .collect()
    }

    #[test]
    fn an_editor_next_updates_the_plan_like_the_flags() {
        let from_editor = plan(
            vec![line(3, "下一步", "call their engineers (due mon)")],
            &current("intent", "active"),
        )
        .unwrap();
        let from_flags = plan(
            vec![arg("next", "call their engineers"), arg("due", "mon")],
            &current("intent", "active"),
        )
        .unwrap();
        for p in [&from_editor, &from_flags] {
            assert_eq!(shown(p), ["next: call their engineers (due 2026-11-30)"]);
            assert_eq!(
                changed(p),
                [
                    "next.action=\"call their engineers\"",
                    "next.due=2026-11-30"
                ]
            );
        }
    }

    #[test]
    fn stage_and_status_are_written_old_to_new_and_status_won_moves_the_stage() {
        let p = plan(
            vec![
                line(2, "stage", "won"),
                line(3, "status", "active -> paused"),
            ],
            &current("intent", "active"),
        )
        .unwrap();
        assert_eq!(
            shown(&p),
            ["stage: intent -> won", "status: active -> paused"]
        );
        let p = plan(vec![arg("status", "已成交")], &current("意向", "推进中")).unwrap();
        assert_eq!(
            shown(&p),
            ["stage: 意向 -> 成交", "status: 推进中 -> 已成交"]
        );
        assert_eq!(changed(&p), ["stage=\"成交\"", "status=\"已成交\""]);
        let p = plan(
            vec![arg("status", "won")],
            &current("maintenance", "active"),
        )
        .unwrap();
        assert_eq!(shown(&p), ["status: active -> won"]);
        let err = plan(
            vec![arg("status", "won"), arg("stage", "potential")],
            &current("intent", "active"),
        )
        .unwrap_err();
        assert!(err[0].message.contains("won stage"), "{err:?}");
    }

    #[test]
    fn bad_and_empty_values_are_refused_with_where_they_were_typed() {
        let err = plan(
            vec![
                line(2, "outcome", "maybe"),
                line(3, "stage", "nonsense"),
                arg("promised", ""),
                arg("assist", ":"),
                arg("feedback", "  "),
                arg("objection", ""),
                arg("message", ""),
                arg("promised", "x (due +100000m)"),
                line(9, "feedback", "ok (due someday)"),
            ],
            &current("intent", "active"),
        )
        .unwrap_err();
        let at: Vec<&str> = err.iter().map(|p| p.at.as_str()).collect();
        assert_eq!(
            at,
            [
                "line 2",
                "line 3",
                "--promised",
                "--assist",
                "--feedback",
                "--objection",
                "--message",
                "--promised",
                "line 9"
            ],
            "{err:?}"
        );
        assert!(err[0].message.contains("`maybe`"), "{err:?}");
        assert!(err[7].message.contains("0000–9999"), "{err:?}");
    }

    #[test]
    fn a_reason_goes_with_the_status_and_is_written_in_english() {
        let from_flags = plan(
            vec![arg("status", "lost"), arg("reason", "budget frozen")],
            &current("intent", "active"),
        )
        .unwrap();
        let from_editor = plan(
            vec![line(2, "状态", "丢单"), line(3, "原因", "budget frozen")],
            &current("intent", "active"),
        )
        .unwrap();
        assert_eq!(
            shown(&from_flags),
            ["status: active -> lost", "reason: budget frozen"]
        );
        assert_eq!(
            shown(&from_editor),
            ["status: active -> 丢单", "reason: budget frozen"]
        );
        let err = plan(
            vec![
                arg("reason", "a"),
                line(4, "reason", "b"),
                arg("message", "x"),
            ],
            &current("intent", "active"),
        )
        .unwrap_err();
        assert_eq!(err[0].at, "line 4", "{err:?}");
        let err = plan(vec![arg("reason", " ")], &current("intent", "active")).unwrap_err();
        assert!(err[0].message.contains("write why"), "{err:?}");
    }

    #[test]
    fn a_lone_deadline_needs_a_current_action() {
        let err = plan(vec![arg("due", "fri")], &current("intent", "active")).unwrap_err();
        assert!(err[0].message.contains("Acme has none"), "{err:?}");
        let mut with = current("intent", "active");
        with.next_action = Some("send the quote".into());
        let p = plan(vec![arg("due", "fri")], &with).unwrap();
        assert_eq!(shown(&p), ["next: send the quote (due 2026-11-27)"]);
        assert_eq!(changed(&p), ["next.due=2026-11-27"]);
    }

    #[test]
    fn tasks_keep_their_box_and_unknown_keys_are_kept() {
        let p = plan(
            vec![
                Input::field("promised", "send it (due 明天)", "line 1", Some(true)),
                Input::field("task", "call back", "line 2", Some(false)),
                line(3, "budget", "500k"),
            ],
            &current("intent", "active"),
        )
        .unwrap();
        assert_eq!(
            shown(&p),
            [
                "promised: send it (due 2026-11-27)",
                "task: call back",
                "budget: 500k"
            ]
        );
        assert!(p.fields[0].task && p.fields[0].done);
        assert!(p.fields[1].task && !p.fields[1].done);
    }
}
