//! `followup init`: creates a sales folder — followup.toml, customers/, .gitattributes — and
//! registers the merge driver in the clone. Idempotent; never overwrites a file.

use crate::cli::InitArgs;
use crate::config::{Lang, template};
use crate::error::{Error, Result};
use crate::store::CONFIG_FILE;
use crate::{Ctx, Output, git};
use std::fs;
use std::path::Path;

pub const ATTRIBUTES_LINE: &str = "customers/**/*.md merge=followup";
pub const DRIVER: &str = "followup merge-driver %O %A %B %P";

pub fn run(args: &InitArgs, ctx: &Ctx) -> Result<Output> {
    let dir = match &args.dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => ctx.start.join(d),
        None => ctx.start.clone(),
    };
    let lang = ctx.lang_override.unwrap_or(Lang::En);
    let mut done = Vec::new();
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, &e))?;
    let config = dir.join(CONFIG_FILE);
    if config.exists() {
        done.push(format!("kept      {CONFIG_FILE}"));
    } else {
        write_new(&config, &template(lang))?;
        done.push(format!("created   {CONFIG_FILE}"));
    }
    let customers_dir = crate::config::Config::parse(
        &fs::read_to_string(&config).map_err(|e| Error::io(&config, &e))?,
    )
    .map_or_else(|_| "customers".to_string(), |c| c.customers_dir);
    let customers = dir.join(&customers_dir);
    if customers.is_dir() {
        done.push(format!("kept      {customers_dir}/"));
    } else {
        fs::create_dir_all(&customers).map_err(|e| Error::io(&customers, &e))?;
        done.push(format!("created   {customers_dir}/"));
    }
    let line = ATTRIBUTES_LINE.replacen("customers", &customers_dir, 1);
    done.push(ensure_attributes(&dir.join(".gitattributes"), &line)?);
    if git::is_work_tree(&dir) {
        if git::set_local_config(&dir, "merge.followup.name", "followup customer files")
            && git::set_local_config(&dir, "merge.followup.driver", DRIVER)
        {
            done.push("set       git config merge.followup.driver (this clone)".to_string());
        } else {
            eprintln!(
                "warning: could not set git config merge.followup.driver; run: git config merge.followup.driver \"{DRIVER}\""
            );
        }
    } else {
        done.push("note      not a git clone yet; after `git init`, run `followup init` again to register the merge driver".to_string());
    }
    let mut out = format!("Sales folder ready in {}\n", dir.display());
    for d in done {
        out.push_str("  ");
        out.push_str(&d);
        out.push('\n');
    }
    out.push_str("Next: followup new \"Customer name\" --owner you --contact \"Their name\"\n");
    Ok(Output::text(out))
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    crate::store::write_atomic(path, text.as_bytes()).map_err(|e| Error::io(path, &e))
}

/// Adds the merge-driver line to .gitattributes unless it is there; other lines are kept.
fn ensure_attributes(path: &Path, line: &str) -> Result<String> {
    match fs::read_to_string(path) {
        Ok(text) if text.lines().any(|l| l.trim() == line) => Ok("kept      .gitattributes".into()),
        Ok(text) => {
            let sep = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            write_new(path, &format!("{text}{sep}{line}\n"))?;
            Ok("updated   .gitattributes".into())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            write_new(path, &format!("{line}\n"))?;
            Ok("created   .gitattributes".into())
        }
        Err(e) => Err(Error::io(path, &e)),
    }
}
