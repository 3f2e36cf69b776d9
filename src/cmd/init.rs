//! `followup init`: creates a sales folder — followup.toml, customers/, .gitattributes — and
//! registers the merge driver in the clone. Idempotent; never overwrites a file.

use crate::cli::InitArgs;
use crate::error::{Error, Result};
use crate::io::git;
use crate::io::overlay::customer_key;
use crate::io::{self, store::CONFIG_FILE};
use crate::model::config::{Lang, template};
use crate::model::edit::{Change, apply};
use crate::model::record::parse_document;
use crate::model::toml_path;
use crate::msg::{Text, m};
use crate::{Ctx, Output};
use std::path::Path;
use toml_edit::Value;

pub const ATTRIBUTES_LINE: &str = "customers/**/*.md merge=followup";

pub fn run(args: &InitArgs, ctx: &Ctx) -> Result<Output> {
    let dir = match &args.dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => ctx.start.join(d),
        None => ctx.start.clone(),
    };
    let lang = ctx.lang_override.unwrap_or(Lang::En);
    let mut done = Vec::new();
    io::store::create_dir(&dir)?;
    let config = dir.join(CONFIG_FILE);
    if io::store::read_config_text(&dir)?.is_some() {
        done.push(m::INIT_KEPT.with("file", CONFIG_FILE));
    } else {
        write_new(&config, &template(lang))?;
        done.push(m::INIT_CREATED.with("file", CONFIG_FILE));
    }
    // Opening the folder checks that the customers folder and the private file stay inside it.
    let store = io::store::Store::open(dir.clone(), ctx.warnings.clone())?;
    let customers_dir = store.config.customers_dir.clone();
    let customers = store.customers_dir();
    if io::store::is_dir(&customers) {
        done.push(m::INIT_KEPT.with("file", format!("{customers_dir}/")));
    } else {
        io::store::create_dir(&customers)?;
        done.push(m::INIT_CREATED.with("file", format!("{customers_dir}/")));
    }
    let line = ATTRIBUTES_LINE.replacen("customers", &customers_dir, 1);
    done.push(ensure_line(
        &dir.join(".gitattributes"),
        &line,
        ".gitattributes",
    )?);
    // The read cache (.followup/) is this machine's own, never shared.
    done.push(ensure_line(
        &dir.join(".gitignore"),
        &format!("/{}/", crate::io::cache::DIR),
        ".gitignore",
    )?);
    if git::is_work_tree(&dir) {
        done.push(register_driver(&dir)?);
    } else {
        done.push(m::INIT_NOT_A_CLONE.into());
    }
    if args.hooks {
        done.push(install_hook(&dir, &customers_dir)?);
    }
    if args.private {
        done.extend(make_private(&store, ctx)?);
    }
    let lang = ctx.lang_override.unwrap_or(store.config.lang);
    let mut out = m::INIT_READY.with("dir", dir.display()).render(lang);
    out.push('\n');
    for d in done {
        out.push_str("  ");
        out.push_str(&d.render(lang));
        out.push('\n');
    }
    out.push_str(&m::INIT_NEXT.get(lang));
    out.push('\n');
    Ok(Output::text(out))
}

/// Registers the merge driver in the clone by this program's absolute path (so git runs it
/// without `followup` on PATH), with git's line merge behind it; re-running `init` after moving
/// the program points the clone at the new place.
fn register_driver(dir: &Path) -> Result<Text> {
    let exe =
        git::own_program().map_err(|e| Error::Text(crate::msg::m::E_OWN_PATH.with("detail", e)))?;
    if git::register_driver(dir, &exe) {
        Ok(m::INIT_DRIVER_SET.with("exe", exe.display()))
    } else {
        Err(crate::msg::m::E_DRIVER_NOT_SET
            .with("dir", dir.display())
            .with("command", git::sh_quote(&git::driver_command(&exe)))
            .into())
    }
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    io::store::write_file(path, text.as_bytes())
}

/// A text file of the folder, read safely; `None` when it does not exist.
fn read_text(path: &Path) -> Result<Option<String>> {
    Ok(io::store::read_input_if_exists(path, path)?
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
}

/// Creates the git-ignored overlay and moves every confidential value of the shared customer
/// files into it: the overlay is written first, then each file loses only those keys.
fn make_private(store: &io::store::Store, ctx: &Ctx) -> Result<Vec<Text>> {
    let dir = &store.root;
    let file = store.config.private_file.clone();
    let mut done = Vec::new();
    if store.load_overlay()?.is_some() {
        done.push(m::INIT_KEPT.with("file", &file));
    } else {
        // Created readable by its owner only.
        store.update_overlay(|_| Ok(()))?;
        done.push(m::INIT_CREATED.with("file", &file));
    }
    done.push(ensure_line(
        &dir.join(".gitignore"),
        &format!("/{file}"),
        ".gitignore",
    )?);
    let mut moved: Vec<(std::path::PathBuf, Vec<(String, Value)>)> = Vec::new();
    for loaded in store.load_all()? {
        let Ok(record) = loaded else { continue };
        let bytes = store.read(&record.path)?;
        let Ok(doc) = crate::model::document::Document::parse(&bytes) else {
            continue;
        };
        let Ok(toml) = toml_edit::Document::parse(doc.front_matter()) else {
            continue;
        };
        let values: Vec<(String, Value)> = record
            .confidential
            .iter()
            .filter_map(|(key, _, _)| {
                Some((
                    key.clone(),
                    // A confidential table moves whole, as an inline table.
                    toml_path::get(toml.as_table(), key)?
                        .clone()
                        .into_value()
                        .ok()?,
                ))
            })
            .collect();
        if !values.is_empty() {
            moved.push((record.path.clone(), values));
        }
    }
    store.update_overlay(|overlay| {
        for (path, values) in &moved {
            let key = customer_key(path, &store.config.customers_dir);
            for (dotted, value) in values {
                let mut value = value.clone();
                value.decor_mut().clear();
                overlay.set(&key, dotted, value).map_err(Error::Refused)?;
            }
        }
        Ok(())
    })?;
    let count: usize = moved.iter().map(|(_, v)| v.len()).sum();
    for (path, values) in &moved {
        let removals: Vec<Change> = values
            .iter()
            .map(|(k, _)| Change::Remove(k.clone()))
            .collect();
        store.update(path, |bytes| {
            let (record, doc) = parse_document(path.clone(), bytes, &store.config)
                .map_err(|u| crate::cmd::shared::unreadable(&u, true))?;
            let edited = apply(&doc, &removals).map_err(Error::Refused)?;
            let checked = crate::cmd::shared::verified(
                path,
                &record,
                &edited,
                &crate::cmd::shared::Expect::NOTHING,
                &store.config,
                ctx.today,
            )?;
            Ok((checked.bytes, ()))
        })?;
    }
    done.push(
        m::INIT_MOVED
            .with("count", count)
            .with("files", moved.len())
            .with("file", &file),
    );
    Ok(done)
}

const HOOK_MARK: &str = "# Installed by `followup init --hooks`";

/// The pre-commit hook: `followup check` on the customer files staged for the commit.
pub fn hook_script(customers_dir: &str) -> String {
    format!(
        "#!/bin/sh\n{HOOK_MARK}: check the customer files staged for this commit.\n\
git -c core.quotepath=false diff --cached --name-only --diff-filter=ACMR -z -- '{customers_dir}/*.md' \\\n  | xargs -0 -r followup check\n"
    )
}

fn install_hook(dir: &Path, customers_dir: &str) -> Result<Text> {
    let Some(hooks) = git::hooks_dir(dir) else {
        return Err(crate::msg::m::E_NOT_A_CLONE
            .with("dir", dir.display())
            .into());
    };
    let path = hooks.join("pre-commit");
    let script = hook_script(customers_dir);
    match read_text(&path)? {
        Some(text) if text.contains(HOOK_MARK) => Ok(m::INIT_KEPT.with_text("file", m::INIT_HOOK)),
        Some(_) => Err(crate::msg::m::E_HOOK_EXISTS
            .with("file", path.display())
            .with("dir", customers_dir)
            .into()),
        None => {
            io::store::write_executable(&path, script.as_bytes())?;
            Ok(m::INIT_HOOK_INSTALLED.into())
        }
    }
}

/// Adds a line to a text file unless it is there.
fn ensure_line(path: &Path, line: &str, shown: &str) -> Result<Text> {
    match read_text(path)? {
        Some(text) if text.lines().any(|l| l.trim() == line) => {
            Ok(m::INIT_KEPT.with("file", shown))
        }
        Some(text) => {
            let sep = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            write_new(path, &format!("{text}{sep}{line}\n"))?;
            Ok(m::INIT_UPDATED.with("file", shown))
        }
        None => {
            write_new(path, &format!("{line}\n"))?;
            Ok(m::INIT_CREATED.with("file", shown))
        }
    }
}
