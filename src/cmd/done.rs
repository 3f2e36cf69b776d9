//! `followup done`: ticks an open promise, assist or to-do in place (`- [ ]` → `- [x]`) and appends
//! `(done DATE)` to its text — a one-line change.

use crate::cli::DoneArgs;
use crate::cmd::shared::{Expect, report_notes, unreadable, verified, writable};
use crate::error::{Error, Result};
use crate::model::record::parse_document;
use crate::{Ctx, Output};

pub fn run(args: &DoneArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let rel = crate::io::resolve::resolve(&store, &args.customer)?;
    let needle = args.text.as_deref().map(str::to_lowercase);
    let ticked = store.update(&rel, |bytes| {
        let (record, doc) =
            parse_document(rel.clone(), bytes, config).map_err(|u| unreadable(&u, true))?;
        writable(&rel, &record)?;
        let open: Vec<_> = record
            .open_items()
            .filter(|(_, f)| {
                needle
                    .as_ref()
                    .is_none_or(|n| f.value.to_lowercase().contains(n))
            })
            .map(|(_, f)| f.clone())
            .collect();
        let describe = |f: &crate::model::entry::Field| {
            format!("{}:{}: {}: {}", rel.display(), f.line, f.key, f.value)
        };
        let item = match open.as_slice() {
            [one] => one,
            [] => {
                let what = args
                    .text
                    .as_deref()
                    .map_or_else(String::new, |t| format!(" matching `{t}`"));
                return Err(Error::Refused(format!(
                    "{} has no open promise or assist{what}; see them with `followup show {}`",
                    record.customer.name,
                    record.stem()
                )));
            }
            many => {
                let list: Vec<String> = many.iter().map(describe).collect();
                return Err(Error::Refused(format!(
                    "several open items match; add words to pick one:\n  {}",
                    list.join("\n  ")
                )));
            }
        };
        // The later splice first, so the earlier offset stays valid.
        let done = format!(" (done {})", ctx.today);
        let edited = doc.splice(item.text_end..item.text_end, &done);
        let edited = match &item.task_span {
            Some(span) => edited.splice(span.clone(), "[x]"),
            None => {
                // A plain `- promised: …` gets a ticked box after its list marker.
                let after_marker = marker_end(&doc.text, item.item_start);
                edited.splice(after_marker..after_marker, "[x] ")
            }
        };
        let checked = verified(&rel, &record, &edited, &Expect::NOTHING, config, ctx.today)?;
        let ticked = checked
            .record
            .entries
            .iter()
            .flat_map(|e| &e.fields)
            .any(|f| f.line == item.line && f.task == Some(true));
        if !ticked {
            return Err(Error::Refused(format!(
                "{}:{}: the item would not read back as ticked; tick its box by hand; nothing was written",
                rel.display(),
                item.line
            )));
        }
        report_notes(&store, &rel, &checked.notes);
        Ok((
            checked.bytes,
            (item.line, item.key.clone(), item.value.clone()),
        ))
    })?;
    let (line, kind, text) = ticked;
    if ctx.json {
        return Ok(Output::data(crate::present::render::json(
            &serde_json::json!({
                "file": rel.display().to_string(), "line": line, "kind": kind, "text": text,
            }),
        )));
    }
    let ticked = format!("{}:{line}: {kind}: {text}", rel.display());
    Ok(Output::text(match ctx.lang(&store) {
        crate::model::config::Lang::En => format!("Done: {ticked}\n"),
        crate::model::config::Lang::Zh => format!("已完成：{ticked}\n"),
    }))
}

/// The offset just after a list item's marker (`-`, `*`, `+`, `1.`, `1)`) and one space.
fn marker_end(text: &str, item_start: usize) -> usize {
    let rest = &text[item_start..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let marker = digits + 1;
    let space = usize::from(rest[marker.min(rest.len())..].starts_with([' ', '\t']));
    (item_start + marker + space).min(text.len())
}
