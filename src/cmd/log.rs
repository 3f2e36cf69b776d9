//! `followup log`: appends one entry after the last one and updates the front matter for the
//! next action, stage, status and amount — one atomic, locked write; nothing else is touched.

use crate::cli::LogArgs;
use crate::cmd::shared::{Expect, author, place_entry, unreadable, verified, writer};
use crate::error::{Error, Result};
use crate::model::compose::{Discussion, NewEntry, NewField, check_markdown};
use crate::model::config::Config;
use crate::model::dates::{days_between, parse_date_arg};
use crate::model::document::Document;
use crate::model::edit::{Change, apply, date_value};
use crate::model::entry::{Detail, Outcome, resolve_due_in_text, split_objection};
use crate::model::record::{Record, parse_document};
use crate::model::schema::{check_stage, check_status, typed_value};
use crate::model::toml_path;
use crate::{Ctx, Output};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use toml_edit::Value;

pub fn run(args: &LogArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let rel = crate::io::resolve::resolve(&store, &args.customer)?;
    let plan = Plan::from_args(args, config, ctx.today)?;
    let mut discussion = if args.message.is_empty() {
        Discussion::None
    } else {
        Discussion::Plain(args.message.clone())
    };
    let mut extra_fields = Vec::new();
    if args.message.is_empty() && plan.is_empty() {
        if !ctx.interactive {
            return Err(Error::Usage(
                "nothing to log: pass -m \"what was discussed\" (or fields like --outcome no-answer); the editor opens only at a terminal"
                    .into(),
            ));
        }
        let (text, fields) = editor_message(&rel)?;
        discussion = text;
        extra_fields = fields;
    }
    let writer = writer(args.by.as_deref(), &store.root);
    let (record, line) = store.update(&rel, |bytes| {
        let (record, doc) =
            parse_document(rel.clone(), bytes, config).map_err(|u| unreadable(&u, true))?;
        let author = author(writer.as_deref(), record.customer.owner.as_deref());
        let entry = plan.entry(&doc, &record, config, discussion, extra_fields, author)?;
        let (new_doc, line) = entry.place(&doc, &record, plan.date);
        let (bytes, after) = verified(
            &rel,
            &record,
            &new_doc,
            &Expect::entry(line, entry.entry.fields.len()),
            config,
        )?;
        Ok((bytes, (after, line)))
    })?;
    warn_about(&record, &plan, config, ctx.today);
    let name = &record.customer.name;
    let out = if ctx.json {
        crate::present::render::json(&serde_json::json!({
            "customer": name,
            "file": rel.display().to_string(),
            "date": plan.date.to_string(),
            "line": line,
        }))
    } else {
        match ctx.lang(&store) {
            crate::model::config::Lang::En => format!(
                "Logged {} {} for {name} ({}:{line})\n",
                plan.date,
                plan.channel,
                rel.display()
            ),
            crate::model::config::Lang::Zh => format!(
                "已记录 {name} 的 {} {} 跟进（{}:{line}）\n",
                plan.date,
                plan.channel,
                rel.display()
            ),
        }
    };
    Ok(Output::text(out))
}

/// The checked arguments of one `log` call.
struct Plan {
    date: NaiveDate,
    channel: String,
    fields: Vec<NewField>,
    next: Option<String>,
    due: Option<NaiveDate>,
    stage: Option<String>,
    status: Option<String>,
    amount: Option<Value>,
}

impl Plan {
    fn from_args(a: &LogArgs, config: &Config, today: NaiveDate) -> Result<Plan> {
        let usage = |e: String| Error::Usage(e);
        let date = match &a.date {
            Some(d) => parse_date_arg(d, today).map_err(usage)?,
            None => today,
        };
        let due = a
            .due
            .as_deref()
            .map(|d| parse_date_arg(d, today))
            .transpose()
            .map_err(usage)?;
        let channel = config.channel_key(&a.channel);
        if channel.is_empty() || channel.contains(char::is_whitespace) || channel.starts_with('@') {
            return Err(Error::Usage(format!(
                "--channel `{}` must be one word, like phone",
                a.channel
            )));
        }
        let mut fields = Vec::new();
        if let Some(o) = &a.outcome {
            if let Outcome::Unknown(o) = Outcome::parse(o) {
                return Err(Error::Usage(format!(
                    "--outcome `{o}` is unknown; use reached, no-answer, voicemail, busy or declined"
                )));
            }
            fields.push(NewField::new("outcome", o.trim(), false));
        }
        for f in &a.feedback {
            fields.push(NewField::new("feedback", f.clone(), false));
        }
        for o in &a.objection {
            let (category, how) = split_objection(o);
            let value = match how {
                Some(h) if !h.is_empty() => format!("{category} — {h}"),
                _ => category.to_string(),
            };
            fields.push(NewField::new("objection", value, false));
        }
        for p in &a.promised {
            fields.push(NewField::new(
                "promised",
                resolve_due_in_text(p, today).map_err(usage)?,
                true,
            ));
        }
        for s in &a.assist {
            if !s.contains([':', '：']) {
                return Err(Error::Usage(format!(
                    "--assist `{s}` needs WHO:TASK, like presales-zhou:integration plan"
                )));
            }
            fields.push(NewField::new(
                "assist",
                resolve_due_in_text(s, today).map_err(usage)?,
                true,
            ));
        }
        let stage = a
            .stage
            .as_deref()
            .map(|s| check_stage(s, config))
            .transpose()
            .map_err(usage)?;
        let status = a
            .status
            .as_deref()
            .map(check_status)
            .transpose()
            .map_err(usage)?;
        let amount = a
            .amount
            .as_deref()
            .map(|v| typed_value("deal.amount", v, config, today))
            .transpose()
            .map_err(usage)?;
        Ok(Plan {
            date,
            channel,
            fields,
            next: a.next.clone(),
            due,
            stage,
            status,
            amount,
        })
    }

    fn is_empty(&self) -> bool {
        self.fields.is_empty()
            && self.next.is_none()
            && self.due.is_none()
            && self.stage.is_none()
            && self.status.is_none()
            && self.amount.is_none()
    }

    /// The entry to write and the front-matter edits that go with it.
    fn entry(
        &self,
        doc: &Document,
        record: &Record,
        config: &Config,
        discussion: Discussion,
        extra_fields: Vec<NewField>,
        author: Option<String>,
    ) -> Result<PlannedEntry> {
        let toml = toml_edit::Document::parse(doc.front_matter()).map_err(|e| {
            Error::Refused(format!("{}: {}", record.path.display(), e.message().trim()))
        })?;
        let raw = |key: &str| {
            toml_path::get(toml.as_table(), key)
                .and_then(|i| i.as_str())
                .map(str::to_string)
        };
        let mut changes = Vec::new();
        let mut fields = self.fields.clone();
        fields.extend(extra_fields);
        if self.next.is_some() || self.due.is_some() {
            let action = self
                .next
                .clone()
                .or_else(|| raw("next.action"))
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "--due needs a next action: {} has none; add --next \"what happens next\"",
                        record.customer.name
                    ))
                })?;
            if let Some(next) = &self.next {
                changes.push(Change::Set(
                    "next.action".into(),
                    Value::from(next.as_str()),
                ));
            }
            match self.due {
                Some(d) => changes.push(Change::Set("next.due".into(), date_value(d))),
                // A new action without a deadline must not inherit the old one's.
                None => changes.push(Change::Remove("next.due".into())),
            }
            let value = match self.due {
                Some(d) => format!("{action} (due {d})"),
                None => action,
            };
            fields.push(NewField::new("next", value.trim(), false));
        }
        let canonical = |key: &str, value: &str| match key {
            "stage" => config.stage_key(value).map(str::to_string),
            _ => crate::model::customer::Status::parse(value).map(|x| x.key().to_string()),
        };
        for (key, new) in [("stage", &self.stage), ("status", &self.status)] {
            let Some(new) = new else { continue };
            let old = raw(key);
            if old.as_deref().and_then(|o| canonical(key, o)) == canonical(key, new) {
                continue;
            }
            changes.push(Change::Set(key.into(), Value::from(new.as_str())));
            fields.push(NewField::new(
                key,
                crate::model::schema::change_text(key, old.as_deref(), new, config),
                false,
            ));
        }
        if let Some(amount) = &self.amount {
            changes.push(Change::Set("deal.amount".into(), amount.clone()));
            fields.push(NewField::new("amount", amount.to_string().trim(), false));
        }
        let edited = apply(doc, &changes).map_err(Error::Refused)?;
        Ok(PlannedEntry {
            edited,
            entry: NewEntry {
                channel: self.channel.clone(),
                author,
                discussion,
                fields,
            },
        })
    }
}

/// A new entry and the document with the front-matter edits that go with it.
struct PlannedEntry {
    edited: Document,
    entry: NewEntry,
}

impl PlannedEntry {
    /// The new document and the line of the new entry's heading.
    fn place(&self, original: &Document, record: &Record, date: NaiveDate) -> (Document, usize) {
        place_entry(original, &self.edited, record, &self.entry, date)
    }
}

fn warn_about(record: &Record, plan: &Plan, config: &Config, today: NaiveDate) {
    let late_days = days_between(plan.date, today);
    if late_days < 0 {
        eprintln!(
            "warning: this entry is dated {}, after today ({today}); log a contact once it has happened",
            plan.date
        );
    }
    if late_days > 0 && late_days as u64 * 24 > config.rules.log_within.approx_hours() {
        eprintln!(
            "warning: this contact was {late_days} days ago; the team logs within {} of a contact",
            config.rules.log_within
        );
    }
    let same_day = record.contacts().filter(|e| e.date == plan.date).count();
    if same_day > config.rules.max_contacts_per_day as usize {
        eprintln!(
            "warning: {} has been contacted {same_day} times on {}; the team's limit is {} a day",
            record.customer.name, plan.date, config.rules.max_contacts_per_day
        );
    }
    if !config.is_known_channel(&plan.channel) {
        eprintln!(
            "warning: channel `{}` is not in followup.toml's channels",
            plan.channel
        );
    }
    if let Some(next) = &plan.next
        && let Some(v) = crate::model::customer::vague_phrase(next, config)
    {
        eprintln!("warning: next action `{next}` is vague (\"{v}\"); say what exactly, by when");
    }
    let newer = record.entries.iter().filter(|e| e.date > plan.date).count();
    if newer > 0 {
        eprintln!(
            "note: the entry is dated before {newer} entr{} already in the log; it was placed in date order",
            if newer == 1 { "y" } else { "ies" }
        );
    }
}

/// Opens $VISUAL / $EDITOR on a template, like `git commit`; returns the discussion (Markdown,
/// checked so it stays inside its entry) and the fields, read by the same reader as the files.
fn editor_message(rel: &Path) -> Result<(Discussion, Vec<NewField>)> {
    let template = format!(
        "\n# Log a follow-up for {}.\n# Write what was discussed (Markdown). These '#' lines are ignored; an empty message aborts.\n# Fields, one per line:\n#   - feedback: what the customer said\n#   - objection: price — how it was handled\n#   - [ ] promised: send the quote (due 2024-01-12)\n#   - outcome: no-answer\n",
        rel.display()
    );
    let file = tempfile::Builder::new()
        .prefix("followup-log-")
        .suffix(".md")
        .tempfile()
        .map_err(|e| Error::io(std::env::temp_dir(), &e))?;
    let path: PathBuf = file.path().to_path_buf();
    std::fs::write(&path, &template).map_err(|e| Error::io(&path, &e))?;
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status()
        .map_err(|e| {
            Error::Refused(format!(
                "cannot start the editor `{editor}`: {e}; set $EDITOR or pass -m"
            ))
        })?;
    if !status.success() {
        return Err(Error::Refused(format!(
            "the editor `{editor}` failed; nothing was logged"
        )));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, &e))?;
    // The template's own comment lines go; every other line is the rep's Markdown (a `###`
    // heading or a `#` line inside a code block stays).
    let comments: Vec<&str> = template.lines().filter(|l| l.starts_with('#')).collect();
    let kept: String = text
        .lines()
        .filter(|l| !comments.contains(&l.trim_end()))
        .collect::<Vec<_>>()
        .join("\n");
    check_markdown(&kept)
        .map_err(|e| Error::Refused(format!("the message: {e}; nothing was logged")))?;
    let body = format!("## 2000-01-01 x\n\n{kept}\n");
    let log = crate::model::reader::read_log(&body, 0, 1, Detail::Full);
    let Some(entry) = log.entries.into_iter().next() else {
        return Err(Error::Refused("empty message; nothing was logged".into()));
    };
    if entry.text.trim().is_empty() && entry.fields.is_empty() {
        return Err(Error::Refused("empty message; nothing was logged".into()));
    }
    let fields = entry
        .fields
        .into_iter()
        .map(|f| {
            let task = f.task == Some(false)
                || (f.task.is_none() && (f.key == "promised" || f.key == "assist"));
            NewField {
                key: f.key,
                value: f.value,
                task,
            }
        })
        .collect();
    Ok((Discussion::Markdown(entry.text), fields))
}
