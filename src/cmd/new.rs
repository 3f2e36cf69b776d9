//! `followup new`: creates a customer file whose name is derived safely and portably from the
//! customer's name, refusing a customer that already exists under an equivalent name.

use crate::cli::NewArgs;
use crate::cmd::shared::{author, new_file_checked, split_private};
use crate::error::{Error, Result};
use crate::model::config::Config;
use crate::model::document::Document;
use crate::model::edit::{Change, apply, date_value};
use crate::model::names::{Adjusted, identity, is_unsafe_char, portable_stem, slug};
use crate::model::record::file_stem;
use crate::model::schema::{check_priority, check_stage, parse_assignment};
use crate::model::toml_path;
use crate::msg::m;
use crate::present::render::clean;
use crate::{Ctx, Output};
use std::path::PathBuf;
use toml_edit::{DocumentMut, Item, Table, value};

pub fn run(args: &NewArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    let name = args.name.trim();
    if name.chars().any(is_unsafe_char) {
        return Err(m::E_NAME_CONTROL.with("name", clean(name)).into());
    }
    let (stem, adjusted) = portable_stem(&slug(name));
    if stem.is_empty() {
        return Err(m::E_NAME_NO_LETTERS.with("name", &args.name).into());
    }
    let mut dir = PathBuf::from(&config.customers_dir);
    let mut notes = Vec::new();
    if let Some(folder) = &args.folder {
        let (folder, folder_adjusted) = portable_stem(&slug(folder));
        if folder.is_empty() {
            return Err(m::E_FOLDER_NO_LETTERS.into());
        }
        notes.extend(describe(&folder_adjusted, m::WHAT_FOLDER, &folder));
        dir.push(folder);
    }
    let mut fields = Fields {
        industry: args.industry.clone(),
        owner: args
            .owner
            .clone()
            // The git user as `log` writes it on entries (`Li Wei` → `Li.Wei`), so the owner
            // and the author of the customer's entries are spelt alike.
            .or_else(|| author(crate::io::git::user_name(&store.root).as_deref(), None)),
        contact: args.contact.clone(),
    };
    if ctx.interactive {
        fields.prompt_missing(config, lang)?;
    }
    let changes: Vec<Change> = args
        .set
        .iter()
        .map(|pair| parse_assignment(pair, config, ctx.today))
        .collect::<Result<_, _>>()
        .map_err(Error::Text)?;
    let (private, changes) = split_private(config, store.load_overlay()?.is_some(), changes);
    // Everything is checked before anything is written: a bad --stage leaves no trace.
    let text = render(name, args, &fields, &changes, config, ctx)?;
    new_file_checked(
        &dir.join(format!("{stem}.md")),
        text.as_bytes(),
        config,
        ctx.today,
    )?;
    let wanted = identity(name);
    let rel = store.create(&dir, &stem, text.as_bytes(), &private, || {
        // Under the lock, so two `new` runs of one customer cannot both pass.
        let records = store.load_summaries()?;
        match records
            .iter()
            .find(|r| identity(&r.customer.name) == wanted)
        {
            Some(r) => Err(m::E_EXISTS
                .with("name", name)
                .with("file", r.path.display())
                .with("as", &r.customer.name)
                .with("stem", r.stem())
                .into()),
            None => Ok(()),
        }
    })?;
    let stem = file_stem(&rel);
    notes.extend(describe(
        &adjusted,
        m::WHAT_FILE,
        &rel.display().to_string(),
    ));
    for n in &notes {
        crate::present::render::note(&clean(&n.render(lang)), lang);
    }
    if ctx.json {
        return Ok(Output::data(crate::present::render::json(
            &serde_json::json!({
                "customer": name, "file": rel.display().to_string(), "missing": missing_required(&text, config),
            }),
        )));
    }
    let mut out = m::CREATED.with("file", rel.display()).render(lang);
    out.push('\n');
    let missing = missing_required(&text, config);
    if !missing.is_empty() {
        crate::present::render::warn(
            &m::W_MISSING_REQUIRED
                .with("file", rel.display())
                .with("keys", crate::msg::list(lang, &missing))
                .with("stem", &stem)
                .render(lang),
            lang,
        );
    }
    out.push_str(&m::NEW_NEXT.with("stem", &stem).render(lang));
    out.push('\n');
    Ok(Output::text(out))
}

/// A sentence for each change made to keep a file or folder name portable.
fn describe(adjusted: &[Adjusted], what: crate::msg::Msg, result: &str) -> Vec<crate::msg::Text> {
    adjusted
        .iter()
        .map(|a| match a {
            Adjusted::Shortened(n) => m::NAME_SHORTENED
                .with_text("what", what)
                .with("n", n)
                .with("result", result),
            Adjusted::Reserved => m::NAME_RESERVED
                .with_text("what", what)
                .with("result", result),
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
    fn prompt_missing(&mut self, config: &Config, lang: crate::model::config::Lang) -> Result<()> {
        let required = |k: &str| config.rules.required.iter().any(|r| r == k);
        for (key, slot, label) in [
            ("industry", &mut self.industry, m::INDUSTRY),
            ("owner", &mut self.owner, m::OWNER),
            ("contact.name", &mut self.contact, m::CONTACT_NAME),
        ] {
            if slot.is_none() && required(key) {
                *slot = crate::io::terminal::ask(&label.get(lang))?;
            }
        }
        Ok(())
    }
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
        Some(s) => check_stage(s, config).map_err(Error::Text)?,
        None => config.stages[0].key.clone(),
    };
    doc["stage"] = value(stage);
    doc["status"] = value("active");
    let priority = match &args.priority {
        Some(p) => check_priority(p).map_err(Error::Text)?,
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
    let parsed = Document::parse(text.as_bytes()).map_err(|e| Error::Text(e.message().into()))?;
    let edited = apply(&parsed, changes).map_err(|e| Error::Text(crate::msg::Text::raw(e)))?;
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
