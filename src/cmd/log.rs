//! `followup log`: appends one entry after the last one and updates the front matter for the
//! next action, stage, status and amount — one atomic, locked write; nothing else is touched.

use crate::cli::LogArgs;
use crate::cmd::shared::{
    Expect, author, logged_field, place_entry, report_notes, split_private, unreadable, verified,
    writer,
};
use crate::error::{Error, Result};
use crate::io::terminal::Scratch;
use crate::model::compose::{Discussion, NewEntry, check_markdown};
use crate::model::config::Config;
use crate::model::dates::days_between;
use crate::model::edit::{Change, apply};
use crate::model::entry::Detail;
use crate::model::plan::{Current, Input, PlannedEntry, plan_entry};
use crate::model::record::{Record, parse_document};
use crate::model::toml_path;
use crate::msg::{Text, m};
use crate::{Ctx, Output};
use chrono::NaiveDate;
use std::path::Path;

pub fn run(args: &LogArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    let rel = crate::io::resolve::resolve(&store, &args.customer)?;
    let mut inputs = flag_inputs(args);
    let typed = inputs
        .iter()
        .any(|i| !matches!(i.key.as_str(), "date" | "channel"));
    let mut written = None;
    if !typed {
        if !ctx.interactive {
            return Err(m::E_NOTHING_TO_LOG_FLAGS.into());
        }
        let text = editor_message(&rel, lang)?;
        inputs.extend(text.inputs.iter().cloned());
        written = Some(text);
    }
    let writer = writer(args.by.as_deref(), &store.root);
    let private = store.load_overlay()?.is_some();
    let result = store.update_private(&rel, |bytes| {
        let (record, doc) =
            parse_document(rel.clone(), bytes, config).map_err(|u| unreadable(&u, true))?;
        let toml = toml_edit::Document::parse(doc.front_matter()).map_err(|e| {
            Error::Text(
                m::ERR_AT_FILE
                    .with("file", record.path.display())
                    .with_text("message", Text::raw(e.message().trim())),
            )
        })?;
        let current = Current {
            name: record.customer.name.clone(),
            ..Current::of(toml.as_table())
        };
        let plan = plan_entry(inputs.clone(), config, ctx.today, &current).map_err(|problems| {
            let list: Vec<String> = problems
                .iter()
                .map(|p| {
                    m::PROBLEM_AT
                        .with("at", &p.at)
                        .with_text("message", p.message.clone())
                        .render(lang)
                })
                .collect();
            let list = list.join(m::SEMICOLON.template(lang));
            Error::Text(match written {
                Some(_) => m::E_MESSAGE_NOT_LOGGED.with("problems", list),
                None => m::E_NOT_LOGGED.with("problems", list),
            })
        })?;
        let discussion = match &written {
            Some(text) => text.discussion.clone(),
            None if plan.message.is_empty() => Discussion::None,
            None => Discussion::Plain(plan.message.clone()),
        };
        // An empty entry would count as a reached contact.
        if plan.fields.is_empty() && matches!(discussion, Discussion::None) {
            let why = if plan.notes.is_empty() {
                m::ENTRY_WOULD_BE_EMPTY.get(lang)
            } else {
                plan.notes
                    .iter()
                    .map(|n| n.render(lang))
                    .collect::<Vec<_>>()
                    .join(m::SEMICOLON.template(lang))
            };
            return Err(m::E_NOTHING_TO_LOG.with("why", why).into());
        }
        // With a private overlay a confidential value goes there, never to the shared file;
        // the log field that records a confidential key is masked either way.
        let (to_overlay, mut changes) = split_private(config, private, plan.changes.clone());
        for change in &to_overlay {
            if let Change::Set(k, _) = change
                && toml_path::get(toml.as_table(), k).is_some()
            {
                changes.push(Change::Remove(k.clone()));
            }
        }
        let edited = apply(&doc, &changes).map_err(|e| Error::Text(Text::raw(e)))?;
        let entry = NewEntry {
            channel: plan.channel.clone(),
            author: author(writer.as_deref(), record.customer.owner.as_deref()),
            discussion,
            fields: plan
                .fields
                .iter()
                .map(|f| logged_field(config, f, private))
                .collect(),
        };
        let (new_doc, line) = place_entry(&doc, &edited, &record, &entry, plan.date);
        let checked = verified(
            &rel,
            &record,
            &new_doc,
            &Expect::entry(line, entry.fields.len()),
            config,
            ctx.today,
        )?;
        Ok((
            checked.bytes,
            to_overlay,
            (checked.record, plan, line, checked.notes),
        ))
    });
    let (record, plan, line, notes) = match (result, written) {
        (Ok(done), _) => done,
        // The rep's text is not lost: it stays in the file the editor wrote.
        (Err(e), Some(text)) => return Err(keeping(e, text.file)),
        (Err(e), None) => return Err(e),
    };
    report_notes(&store, &rel, &notes, lang);
    warn_about(&store, &record, &plan, config, ctx.today, lang);
    let name = &record.customer.name;
    let out = if ctx.json {
        crate::present::render::json(&serde_json::json!({
            "customer": name,
            "file": rel.display().to_string(),
            "date": plan.date.to_string(),
            "line": line,
        }))
    } else {
        let mut out = m::LOGGED
            .with("date", plan.date)
            .with(
                "channel",
                crate::present::i18n::channel(lang, &plan.channel),
            )
            .with("name", crate::present::render::clean(name))
            .with("file", rel.display())
            .with("line", line)
            .render(lang);
        out.push('\n');
        out
    };
    Ok(Output::text(out))
}

/// The flags as the inputs of a new entry, in the order the entry lists its fields.
fn flag_inputs(a: &LogArgs) -> Vec<Input> {
    let mut pairs: Vec<(&str, &str, &str)> = vec![("channel", a.channel.as_str(), "--channel")];
    fn single<'a>(
        key: &'a str,
        value: &'a Option<String>,
        flag: &'a str,
    ) -> Option<(&'a str, &'a str, &'a str)> {
        value.as_deref().map(|v| (key, v, flag))
    }
    pairs.extend(single("date", &a.date, "--date"));
    pairs.extend(a.message.iter().map(|v| ("message", v.as_str(), "-m")));
    pairs.extend(single("outcome", &a.outcome, "--outcome"));
    for (key, values, flag) in [
        ("feedback", &a.feedback, "--feedback"),
        ("objection", &a.objection, "--objection"),
        ("promised", &a.promised, "--promised"),
        ("assist", &a.assist, "--assist"),
    ] {
        pairs.extend(values.iter().map(|v| (key, v.as_str(), flag)));
    }
    pairs.extend(single("next", &a.next, "--next"));
    pairs.extend(single("due", &a.due, "--due"));
    pairs.extend(single("stage", &a.stage, "--stage"));
    pairs.extend(single("status", &a.status, "--status"));
    pairs.extend(single("reason", &a.reason, "--reason"));
    pairs.extend(single("amount", &a.amount, "--amount"));
    pairs
        .into_iter()
        .map(|(key, value, flag)| Input::argument(key, value, flag))
        .collect()
}

/// The error, with where the rep's editor text was kept.
fn keeping(e: Error, file: Scratch) -> Error {
    match (file.keep(), e) {
        (Some(path), Error::Text(t)) => Error::Text(
            m::TEXT_KEPT
                .with_text("message", t)
                .with("file", path.display()),
        ),
        (_, other) => other,
    }
}

/// What `log` says beyond `check`'s rules: a contact logged later than the team's rule, a
/// back-dated entry placed in date order, a stage moved by `status won`.
fn warn_about(
    store: &crate::io::store::Store,
    record: &Record,
    plan: &PlannedEntry,
    config: &Config,
    today: NaiveDate,
    lang: crate::model::config::Lang,
) {
    let late_days = days_between(plan.date, today);
    if late_days > 0 && late_days as u64 * 24 > config.rules.log_within.approx_hours() {
        store.warn(
            m::W_LATE_LOG
                .with("n", late_days)
                .with(
                    "within",
                    crate::present::i18n::duration(lang, config.rules.log_within),
                )
                .render(lang),
        );
    }
    for note in &plan.notes {
        crate::present::render::note(&note.render(lang), lang);
    }
    let newer = record.entries.iter().filter(|e| e.date > plan.date).count();
    if newer > 0 {
        crate::present::render::note(&m::N_BACK_DATED.with("n", newer).render(lang), lang);
    }
}

/// The rep's text from the editor: its discussion, its fields as inputs (`at` = the line in
/// the editor's file), and the file itself (kept when the entry is refused).
struct EditorText {
    discussion: Discussion,
    inputs: Vec<Input>,
    file: Scratch,
}

/// Opens $VISUAL / $EDITOR on a template, like `git commit`; returns the discussion (Markdown,
/// checked so it stays inside its entry) and the fields as inputs, read by the same reader as
/// the files — they are then checked like the flags.
fn editor_message(rel: &Path, lang: crate::model::config::Lang) -> Result<EditorText> {
    let template = format!(
        "\n{}\n",
        m::EDITOR_TEMPLATE.with("file", rel.display()).render(lang)
    );
    let (text, file) = crate::io::terminal::edit(&template)?;
    // The template's own comment lines go; every other line is the rep's Markdown (a `###`
    // heading or a `#` line inside a code block stays). `lines[i]` is the editor's line of the
    // kept text's line i + 1.
    let comments: Vec<&str> = template.lines().filter(|l| l.starts_with('#')).collect();
    let (lines, kept): (Vec<usize>, Vec<&str>) = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !comments.contains(&l.trim_end()))
        .map(|(i, l)| (i + 1, l))
        .unzip();
    let kept = kept.join("\n");
    let refused = |e: Text| Error::Text(m::E_THE_MESSAGE.with_text("why", e));
    if let Err(e) = check_markdown(&kept) {
        return Err(keeping(refused(e), file));
    }
    // Read as the body of an entry: the heading is line 1, a blank line 2, the text from line 3.
    let body = format!("## 2000-01-01 x\n\n{kept}\n");
    let log = crate::model::reader::read_log(&body, 0, 1, Detail::Full);
    let Some(entry) = log.entries.into_iter().next() else {
        return Err(m::E_EMPTY_MESSAGE.into());
    };
    if entry.text.trim().is_empty() && entry.fields.is_empty() {
        return Err(m::E_EMPTY_MESSAGE.into());
    }
    let inputs = entry
        .fields
        .into_iter()
        .map(|f| {
            let line = f
                .line
                .checked_sub(3)
                .and_then(|i| lines.get(i))
                .copied()
                .unwrap_or(f.line);
            // A plain `- promised: …` is an open item, written as a box.
            let task = f.task.or(
                (f.task.is_none() && (f.key == "promised" || f.key == "assist")).then_some(false),
            );
            Input::field(f.key, f.value, m::LINE_N.with("n", line).render(lang), task)
        })
        .collect();
    Ok(EditorText {
        discussion: Discussion::Markdown(entry.text),
        inputs,
        file,
    })
}
