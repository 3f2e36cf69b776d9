//! `followup done`: ticks an open promise or assist in place (`- [ ]` → `- [x]`), a one-line change.

use crate::cli::DoneArgs;
use crate::cmd::shared::{unreadable, verified};
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
        let line = &doc.text[item.line_start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let (at, remove, insert) = if let Some(i) = line.find("[ ]") {
            (item.line_start + i, 3, "[x]")
        } else {
            // A plain `- promised: …` gets a ticked box after its bullet.
            let bullet = line.find(['-', '*']).unwrap_or(0);
            (item.line_start + bullet + 2, 0, "[x] ")
        };
        let (bytes, _) = verified(
            &rel,
            &record,
            &doc.splice(at..at + remove, insert),
            0,
            config,
        )?;
        Ok((bytes, (item.line, item.key.clone(), item.value.clone())))
    })?;
    let (line, kind, text) = ticked;
    if ctx.json {
        return Ok(Output::text(crate::present::render::json(
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
