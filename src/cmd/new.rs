//! `followup new`: creates a customer file whose name is derived safely and portably from the
//! customer's name, refusing a customer that already exists under an equivalent name.

use crate::cli::NewArgs;
use crate::cmd::shared::split_private;
use crate::error::{Error, Result};
use crate::model::config::Config;
use crate::model::document::Document;
use crate::model::edit::{Change, apply, date_value};
use crate::model::names::{Adjusted, identity, is_unsafe_char, portable_stem, slug};
use crate::model::record::file_stem;
use crate::model::schema::{check_priority, check_stage, parse_assignment};
use crate::model::toml_path;
use crate::present::render::clean;
use crate::{Ctx, Output};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use toml_edit::{DocumentMut, Item, Table, value};

pub fn run(args: &NewArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let name = args.name.trim();
    if name.chars().any(is_unsafe_char) {
        return Err(Error::Usage(format!(
            "the name `{}` holds a line break, tab or other control character; give the name on one line, without them",
            clean(name)
        )));
    }
    let (stem, adjusted) = portable_stem(&slug(name));
    if stem.is_empty() {
        return Err(Error::Usage(format!(
            "`{}` has no letters or digits to name a file after; give the customer a real name",
            args.name
        )));
    }
    let mut dir = PathBuf::from(&config.customers_dir);
    let mut notes = Vec::new();
    if let Some(folder) = &args.folder {
        let (folder, folder_adjusted) = portable_stem(&slug(folder));
        if folder.is_empty() {
            return Err(Error::Usage("--folder needs letters or digits".into()));
        }
        notes.extend(describe(&folder_adjusted, "folder", &folder));
        dir.push(folder);
    }
    let mut fields = Fields {
        industry: args.industry.clone(),
        owner: args
            .owner
            .clone()
            .or_else(|| crate::io::git::user_name(&store.root)),
        contact: args.contact.clone(),
    };
    if ctx.interactive {
        fields.prompt_missing(config)?;
    }
    let changes: Vec<Change> = args
        .set
        .iter()
        .map(|pair| parse_assignment(pair, config, ctx.today))
        .collect::<Result<_, _>>()
        .map_err(Error::Usage)?;
    let (private, changes) = split_private(config, store.load_overlay()?.is_some(), changes);
    // Everything is checked before anything is written: a bad --stage leaves no trace.
    let text = render(name, args, &fields, &changes, config, ctx)?;
    let wanted = identity(name);
    let rel = store.create(&dir, &stem, text.as_bytes(), &private, || {
        // Under the lock, so two `new` runs of one customer cannot both pass.
        let records = store.load_summaries()?;
        match records
            .iter()
            .find(|r| identity(&r.customer.name) == wanted)
        {
            Some(r) => Err(Error::Refused(format!(
                "customer `{name}` already exists in {} (as `{}`); nothing was written (log to it with `followup log {}`)",
                r.path.display(),
                r.customer.name,
                r.stem()
            ))),
            None => Ok(()),
        }
    })?;
    let stem = file_stem(&rel);
    notes.extend(describe(&adjusted, "file", &rel.display().to_string()));
    for n in &notes {
        eprintln!("note: {}", clean(n));
    }
    if ctx.json {
        return Ok(Output::data(crate::present::render::json(
            &serde_json::json!({
                "customer": name, "file": rel.display().to_string(), "missing": missing_required(&text, config),
            }),
        )));
    }
    let zh = ctx.lang(&store) == crate::model::config::Lang::Zh;
    let mut out = if zh {
        format!("已创建 {}\n", rel.display())
    } else {
        format!("Created {}\n", rel.display())
    };
    let missing = missing_required(&text, config);
    if !missing.is_empty() {
        crate::present::render::warn(&format!(
            "{} is missing required fields: {}; add them with `followup set {stem} KEY=VALUE`",
            rel.display(),
            missing.join(", ")
        ));
    }
    out.push_str(&format!(
        "{}: followup log {stem} -m \"…\" --next \"…\" --due fri\n",
        if zh { "下一步" } else { "Next" }
    ));
    Ok(Output::text(out))
}

/// A sentence for each change made to keep a file or folder name portable.
fn describe(adjusted: &[Adjusted], what: &str, result: &str) -> Vec<String> {
    adjusted
        .iter()
        .map(|a| match a {
            Adjusted::Shortened(n) => format!(
                "the {what} name was cut to {n} bytes so that every system can store it: {result}"
            ),
            Adjusted::Reserved => format!(
                "the {what} name is a device name on Windows (CON, PRN, AUX, NUL, COM1…, LPT1…), so it got the suffix `-customer`: {result}"
            ),
        })
        .collect()
}

struct Fields {
    industry: Option<String>,
    owner: Option<String>,
    contact: Option<String>,
}

impl Fields {
    /// Asks for required fields that were not given (only at a terminal).
    fn prompt_missing(&mut self, config: &Config) -> Result<()> {
        let required = |k: &str| config.rules.required.iter().any(|r| r == k);
        for (key, slot, label) in [
            ("industry", &mut self.industry, "Industry"),
            ("owner", &mut self.owner, "Owner"),
            ("contact.name", &mut self.contact, "Contact name"),
        ] {
            if slot.is_none() && required(key) {
                *slot = ask(label)?;
            }
        }
        Ok(())
    }
}

fn ask(label: &str) -> Result<Option<String>> {
    let mut err = std::io::stderr();
    let _ = write!(err, "{label}: ");
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::io("stdin", &e))?;
    let t = line.trim();
    Ok((!t.is_empty()).then(|| t.to_string()))
}

fn render(
    name: &str,
    args: &NewArgs,
    fields: &Fields,
    changes: &[Change],
    config: &Config,
    ctx: &Ctx,
) -> Result<String> {
    let mut doc = DocumentMut::new();
    doc["name"] = value(name);
    if let Some(v) = &fields.industry {
        doc["industry"] = value(v.as_str());
    }
    if let Some(v) = &fields.owner {
        doc["owner"] = value(v.as_str());
    }
    let stage = match &args.stage {
        Some(s) => check_stage(s, config).map_err(Error::Usage)?,
        None => config.stages[0].key.clone(),
    };
    doc["stage"] = value(stage);
    doc["status"] = value("active");
    let priority = match &args.priority {
        Some(p) => check_priority(p).map_err(Error::Usage)?,
        None => "medium".to_string(),
    };
    doc["priority"] = value(priority);
    doc["created"] = Item::Value(date_value(ctx.today));
    if let Some(c) = &fields.contact {
        let mut contact = Table::new();
        contact["name"] = value(c.as_str());
        doc["contact"] = Item::Table(contact);
    }
    let text = format!("+++\n{doc}+++\n\n# {name}\n");
    let parsed =
        Document::parse(text.as_bytes()).map_err(|e| Error::Refused(e.message().into()))?;
    let edited = apply(&parsed, changes).map_err(Error::Usage)?;
    Ok(edited.text)
}

fn missing_required(text: &str, config: &Config) -> Vec<String> {
    let Ok(doc) = Document::parse(text.as_bytes()) else {
        return Vec::new();
    };
    let Ok(toml) = toml_edit::Document::parse(doc.front_matter()) else {
        return Vec::new();
    };
    config
        .rules
        .required
        .iter()
        .filter(|k| toml_path::get(toml.as_table(), k).is_none())
        .cloned()
        .collect()
}
