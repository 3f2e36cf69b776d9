//! `followup done`: ticks an open promise, assist or to-do in place (`- [ ]` → `- [x]`) and appends
//! `(done DATE)` to its text — a one-line change.

use crate::cli::DoneArgs;
use crate::cmd::shared::{Expect, report_notes, unreadable, verified, writable};
use crate::error::Result;
use crate::model::record::parse_document;
use crate::msg::m;
use crate::{Ctx, Output};

pub fn run(args: &DoneArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let lang = ctx.lang(&store);
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
                let msg = match args.text.as_deref() {
                    Some(t) => m::E_NO_OPEN_ITEM_MATCHING.with("text", t),
                    None => m::E_NO_OPEN_ITEM.into(),
                };
                return Err(msg
                    .with("name", &record.customer.name)
                    .with("stem", record.stem())
                    .into());
            }
            many => {
                let list: Vec<String> = many.iter().map(describe).collect();
                return Err(m::E_SEVERAL_ITEMS.with("items", list.join("\n  ")).into());
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
            return Err(m::E_NOT_TICKED
                .with("file", rel.display())
                .with("line", item.line)
                .into());
        }
        report_notes(&store, &rel, &checked.notes, lang);
        Ok((checked.bytes, (item.line, item.key, item.value.clone())))
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
    Ok(Output::text(
        m::DONE.with("item", ticked).render(lang) + "\n",
    ))
}

/// The offset just after a list item's marker (`-`, `*`, `+`, `1.`, `1)`) and one space.
fn marker_end(text: &str, item_start: usize) -> usize {
    let rest = &text[item_start..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let marker = digits + 1;
    let space = usize::from(rest[marker.min(rest.len())..].starts_with([' ', '\t']));
    (item_start + marker + space).min(text.len())
}
