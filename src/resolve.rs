//! Turns what a user types (`acme`, `Acme Manufacturing`, `manuf`, `customers/east/acme.md`)
//! into exactly one customer file — or a clear error listing the candidates.

use crate::error::{Error, Result};
use crate::record::Record;
use crate::store::Store;
use std::path::{Component, Path, PathBuf};

/// Resolves CUSTOMER: file stem, then exact name (case-insensitive), then a unique substring of
/// name or stem. A path (`east/acme`, `customers/acme.md`) must stay inside the customers folder.
/// Stems are tried before any file is read, so `followup log acme` reads one file.
pub fn resolve(store: &Store, query: &str) -> Result<PathBuf> {
    let q = query.trim();
    if q.is_empty() {
        return Err(Error::Usage("name a customer (file name or name)".into()));
    }
    let paths = store.customer_paths()?;
    if q.contains(['/', '\\']) || q.ends_with(".md") {
        return resolve_path(store, &paths, q);
    }
    let by_stem: Vec<&PathBuf> = paths.iter().filter(|p| stem(p) == q).collect();
    match by_stem.as_slice() {
        [one] => return Ok((*one).clone()),
        [] => {}
        many => {
            return Err(Error::AmbiguousCustomer {
                query: q.to_string(),
                candidates: many.iter().map(|p| p.display().to_string()).collect(),
            });
        }
    }
    let records = store.load_readable()?;
    let lower = q.to_lowercase();
    let exact: Vec<&Record> = records
        .iter()
        .filter(|r| r.customer.name.to_lowercase() == lower || stem(&r.path).to_lowercase() == lower)
        .collect();
    let matches: Vec<&Record> = if exact.is_empty() {
        records
            .iter()
            .filter(|r| {
                r.customer.name.to_lowercase().contains(&lower)
                    || stem(&r.path).to_lowercase().contains(&lower)
            })
            .collect()
    } else {
        exact
    };
    match matches.as_slice() {
        [one] => Ok(one.path.clone()),
        [] => Err(Error::UnknownCustomer {
            query: q.to_string(),
            candidates: closest(&records, &lower),
        }),
        many => Err(Error::AmbiguousCustomer {
            query: q.to_string(),
            candidates: many.iter().map(|r| describe(r)).collect(),
        }),
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn describe(r: &Record) -> String {
    format!("{} ({})", r.customer.name, r.path.display())
}

fn closest(records: &[Record], lower: &str) -> Vec<String> {
    let mut scored: Vec<(f64, &Record)> = records
        .iter()
        .map(|r| {
            let name = strsim::jaro_winkler(lower, &r.customer.name.to_lowercase());
            let stem = strsim::jaro_winkler(lower, &stem(&r.path).to_lowercase());
            (name.max(stem), r)
        })
        .filter(|(s, _)| *s > 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.iter().take(3).map(|(_, r)| describe(r)).collect()
}

fn resolve_path(store: &Store, paths: &[PathBuf], q: &str) -> Result<PathBuf> {
    let given = Path::new(q);
    if given
        .components()
        .any(|c| matches!(c, Component::ParentDir | Component::RootDir | Component::Prefix(_)))
    {
        return Err(Error::Usage(format!(
            "`{q}` points outside the customers folder; name a customer or a path inside {}/",
            store.config.customers_dir
        )));
    }
    let with_ext = if q.ends_with(".md") {
        given.to_path_buf()
    } else {
        given.with_extension("md")
    };
    let dir = Path::new(&store.config.customers_dir);
    let candidates = [with_ext.clone(), dir.join(&with_ext)];
    candidates
        .iter()
        .find(|c| paths.contains(c))
        .cloned()
        .ok_or_else(|| Error::UnknownCustomer {
            query: q.to_string(),
            candidates: Vec::new(),
        })
}
