//! `followup new`: creates a customer file whose name is derived safely from the customer's name.

use crate::cli::NewArgs;
use crate::error::{Error, Result};
use crate::model::config::Config;
use crate::model::document::Document;
use crate::model::edit::{Change, apply, date_value};
use crate::model::schema::{check_priority, check_stage, parse_assignment};
use crate::model::toml_path;
use crate::{Ctx, Output};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item, Table, value};

/// File stem for a customer name: lower-case, Unicode letters and digits kept (Chinese stays
/// Chinese), every other run of characters becomes `-`. Never contains a path separator or `..`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

pub fn run(args: &NewArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let name = args.name.trim();
    let stem = slug(name);
    if stem.is_empty() {
        return Err(Error::Usage(format!(
            "`{}` has no letters or digits to name a file after; give the customer a real name",
            args.name
        )));
    }
    let records = store.load_summaries(ctx.today)?;
    if let Some(r) = records
        .iter()
        .find(|r| r.customer.name.trim().eq_ignore_ascii_case(name))
    {
        return Err(Error::Refused(format!(
            "customer `{name}` already exists in {}; nothing was written (log to it with `followup log {}`)",
            r.path.display(),
            r.stem()
        )));
    }
    let mut dir = PathBuf::from(&config.customers_dir);
    if let Some(folder) = &args.folder {
        let folder = slug(folder);
        if folder.is_empty() {
            return Err(Error::Usage("--folder needs letters or digits".into()));
        }
        dir.push(folder);
    }
    let rel = free_path(&store.root, &dir, &stem);
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
    let (_, changes) = crate::cmd::shared::split_private(&store, &rel, changes)?;
    let text = render(name, args, &fields, &changes, config, ctx)?;
    store.create(&rel, text.as_bytes())?;
    if ctx.json {
        return Ok(Output::text(crate::present::render::json(
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
        eprintln!(
            "warning: {} is missing required fields: {}; add them with `followup set {stem} KEY=VALUE`",
            rel.display(),
            missing.join(", ")
        );
    }
    out.push_str(&format!(
        "{}: followup log {stem} -m \"…\" --next \"…\" --due fri\n",
        if zh { "下一步" } else { "Next" }
    ));
    Ok(Output::text(out))
}

/// `customers/acme.md`, or `acme-2.md`… when a different customer's name gave the same stem.
fn free_path(root: &Path, dir: &Path, stem: &str) -> PathBuf {
    let mut n = 1;
    loop {
        let file = if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem}-{n}.md")
        };
        let rel = dir.join(file);
        if !root.join(&rel).exists() {
            return rel;
        }
        n += 1;
    }
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

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_keep_letters_and_stay_inside() {
        assert_eq!(
            slug("Acme Manufacturing Co., Ltd."),
            "acme-manufacturing-co-ltd"
        );
        assert_eq!(slug("华东机械 (上海)"), "华东机械-上海");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("..."), "");
        assert_eq!(slug("Café Ünïcode"), "café-ünïcode");
    }
}
