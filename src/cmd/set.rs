//! `followup set`: validated, format-preserving front-matter edits (a one-field change is a
//! one-line diff), recorded as a `note` entry in the log so the history says who changed what.
//! Confidential values are masked in the log line and the echo, whatever their shape, and with
//! a private overlay they go there — written after the customer file, under the same lock.

use crate::cli::SetArgs;
use crate::cmd::shared::{
    Expect, author, place_entry, report_notes, split_private, unreadable, verified, writer,
};
use crate::error::{Error, Result};
use crate::model::compose::{Discussion, NewEntry, NewField};
use crate::model::edit::{Change, apply};
use crate::model::record::parse_document;
use crate::model::schema::parse_assignment;
use crate::model::toml_path;
use crate::msg::m;
use crate::present::mask::Masker;
use crate::{Ctx, Output};

pub fn run(args: &SetArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    let rel = crate::io::resolve::resolve(&store, &args.customer)?;
    let changes: Vec<Change> = args
        .pairs
        .iter()
        .map(|p| parse_assignment(p, config, ctx.today))
        .collect::<Result<_, _>>()
        .map_err(Error::Text)?;
    // With a private overlay, confidential values go there and never into the shared file.
    let (private, changes) = split_private(config, store.load_overlay()?.is_some(), changes);
    // What is written to the log and echoed is masked whatever --reveal says: the log is shared.
    let masker = Masker::new(config, false);
    let writer = writer(args.by.as_deref(), &store.root);
    let summary = store.update_private(&rel, |bytes| {
        let (record, doc) =
            parse_document(rel.clone(), bytes, config).map_err(|u| unreadable(&u, true))?;
        let toml = toml_edit::Document::parse(doc.front_matter()).map_err(|e| {
            Error::Text(
                m::ERR_AT_FILE
                    .with("file", rel.display())
                    .with_text("message", crate::msg::Text::raw(e.message().trim())),
            )
        })?;
        let raw = |key: &str| {
            toml_path::get(toml.as_table(), key)
                .and_then(toml_edit::Item::as_value)
                .cloned()
        };
        let text = |v: &toml_edit::Value| {
            v.as_str()
                .map_or_else(|| v.to_string().trim().to_string(), str::to_string)
        };
        let mut fields = Vec::new();
        let mut effective = Vec::new();
        let mut private_keys: Vec<&str> = Vec::new();
        for change in &private {
            let key = match change {
                Change::Set(k, _) | Change::Remove(k) => k.as_str(),
            };
            // A value that was in the shared file moves out of it.
            if toml_path::get(toml.as_table(), key).is_some() {
                effective.push(Change::Remove(key.to_string()));
            }
            if !private_keys.contains(&key) {
                private_keys.push(key);
                fields.push(NewField::new("set", format!("{key}: *** (private)"), false));
            }
        }
        for change in &changes {
            let (key, new) = match change {
                Change::Set(k, v) => (k, Some(v)),
                Change::Remove(k) => (k, None),
            };
            let old = raw(key);
            if old.as_ref().map(text) == new.map(text) {
                continue;
            }
            effective.push(change.clone());
            let shown = |v: &toml_edit::Value| masker.toml_text(key, v);
            let value = match (&old, new) {
                (Some(o), Some(n)) => format!("{} -> {}", shown(o), shown(n)),
                (None, Some(n)) => shown(n),
                (Some(o), None) => format!("{} -> (removed)", shown(o)),
                (None, None) => continue,
            };
            match (key.as_str(), new) {
                ("stage" | "status", Some(n)) if !masker.touches(key) => {
                    fields.push(NewField::new(
                        key,
                        crate::model::schema::change_text(
                            key,
                            old.as_ref().map(text).as_deref(),
                            &text(n),
                            config,
                        ),
                        false,
                    ));
                }
                _ => fields.push(NewField::new("set", format!("{key}: {value}"), false)),
            }
        }
        if fields.is_empty() {
            return Ok((bytes.to_vec(), Vec::new(), None));
        }
        let edited = apply(&doc, &effective).map_err(|e| Error::Text(crate::msg::Text::raw(e)))?;
        let entry = NewEntry {
            channel: "note".into(),
            author: author(writer.as_deref(), record.customer.owner.as_deref()),
            discussion: Discussion::None,
            fields: fields.clone(),
        };
        let (new_doc, line) = place_entry(&doc, &edited, &record, &entry, ctx.today);
        let expect = Expect::entry(line, entry.fields.len());
        let checked = verified(&rel, &record, &new_doc, &expect, config, ctx.today)?;
        report_notes(&store, &rel, &checked.notes, lang);
        Ok((checked.bytes, private.clone(), Some(fields)))
    })?;
    // Each change as one phrase: `priority: high -> low`.
    let changes: Option<Vec<String>> = summary.map(|fields| {
        fields
            .iter()
            .map(|f| {
                if f.key == "set" {
                    f.value.clone()
                } else {
                    format!("{}: {}", f.key, f.value)
                }
            })
            .collect()
    });
    if ctx.json {
        return Ok(Output::data(crate::present::render::json(
            &serde_json::json!({
                "file": rel.display().to_string(), "changes": changes.unwrap_or_default(),
            }),
        )));
    }
    let out = match changes {
        None => m::SET_NOTHING.with("file", rel.display()),
        Some(list) => m::SET_DONE
            .with("file", rel.display())
            .with("changes", list.join(m::SEMICOLON.template(lang))),
    };
    Ok(Output::text(out.render(lang) + "\n"))
}
