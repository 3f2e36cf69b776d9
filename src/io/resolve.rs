//! Turns what a user types (`acme`, `Acme Manufacturing`, `manuf`, `customers/east/acme.md`)
//! into exactly one customer file — or a clear error listing the candidates.

use crate::error::{Error, Result};
use crate::io::store::Store;
use crate::model::names::identity;
use crate::model::record::file_stem;
use std::path::{Component, Path, PathBuf};

/// Resolves CUSTOMER: file stem, then exact name, then a unique substring of name or stem —
/// names compared after NFKC normalisation and case folding. A path (`east/acme`, `customers/acme.md`) must stay inside the customers folder.
/// Stems are tried before any file is read, and the shallowest match wins: `customers/acme.md`,
/// then `customers/*/acme.md`, then a walk of the whole folder — so `followup log acme` on ten
/// thousand customers reads one file and lists one folder.
pub fn resolve(store: &Store, query: &str) -> Result<PathBuf> {
    let q = query.trim();
    if q.is_empty() {
        return Err(crate::msg::m::E_NAME_A_CUSTOMER.into());
    }
    // The common case — a file name — is answered by a few lookups, without reading the folder.
    let shallow = store.shallow_stem_matches(q)?;
    match shallow.as_slice() {
        [one] => return Ok(one.clone()),
        [] => {}
        many => {
            return Err(Error::AmbiguousCustomer {
                query: q.to_string(),
                candidates: many.iter().map(|p| p.display().to_string()).collect(),
            });
        }
    }
    let paths = store.customer_paths()?;
    if q.contains(['/', '\\']) || q.ends_with(".md") {
        return resolve_path(store, &paths, q);
    }
    // File names compare as names do: `Café` typed in NFC finds a file stored in NFD (macOS).
    let wanted = identity(q);
    let by_stem: Vec<&PathBuf> = paths
        .iter()
        .filter(|p| file_stem(p) == q || identity(&file_stem(p)) == wanted)
        .collect();
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
    // Unreadable files still take part by their stem, so a broken file is never silently
    // passed over for a readable one; `log` then reports why it cannot be written.
    let candidates: Vec<Candidate> = store
        .load_summaries_all()?
        .into_iter()
        .map(|loaded| match loaded {
            Ok(r) => Candidate {
                name: r.customer.name,
                path: r.path,
            },
            Err(u) => Candidate {
                name: String::new(),
                path: u.path,
            },
        })
        .collect();
    // Names are one customer when equal after NFKC and case folding (`Ａｃｍｅ` = `acme`).
    let exact: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| identity(&c.name) == wanted || identity(&file_stem(&c.path)) == wanted)
        .collect();
    let matches: Vec<&Candidate> = if exact.is_empty() {
        candidates
            .iter()
            .filter(|c| {
                identity(&c.name).contains(&wanted)
                    || identity(&file_stem(&c.path)).contains(&wanted)
            })
            .collect()
    } else {
        exact
    };
    let lower = wanted;
    match matches.as_slice() {
        [one] => Ok(one.path.clone()),
        [] => Err(Error::UnknownCustomer {
            query: q.to_string(),
            candidates: closest(&candidates, &lower),
        }),
        many => Err(Error::AmbiguousCustomer {
            query: q.to_string(),
            candidates: many.iter().map(|c| c.describe()).collect(),
        }),
    }
}

/// A customer file as resolution sees it: its name (empty when unreadable) and path.
struct Candidate {
    name: String,
    path: PathBuf,
}

impl Candidate {
    fn describe(&self) -> String {
        if self.name.is_empty() {
            self.path.display().to_string()
        } else {
            format!("{} ({})", self.name, self.path.display())
        }
    }
}

/// Up to three customers whose name, stem or a word of either is close to the query.
fn closest(candidates: &[Candidate], lower: &str) -> Vec<String> {
    let score = |c: &Candidate| {
        let name = c.name.to_lowercase();
        let stem = file_stem(&c.path).to_lowercase();
        std::iter::once(name.as_str())
            .chain(std::iter::once(stem.as_str()))
            .chain(name.split_whitespace())
            .chain(stem.split('-'))
            .map(|w| strsim::jaro_winkler(lower, w))
            .fold(0.0, f64::max)
    };
    let mut scored: Vec<(f64, &Candidate)> = candidates
        .iter()
        .map(|c| (score(c), c))
        .filter(|(s, _)| *s > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.iter().take(3).map(|(_, c)| c.describe()).collect()
}

fn resolve_path(store: &Store, paths: &[PathBuf], q: &str) -> Result<PathBuf> {
    let given = Path::new(q);
    if given.components().any(|c| {
        matches!(
            c,
            Component::ParentDir | Component::RootDir | Component::Prefix(_)
        )
    }) {
        return Err(crate::msg::m::E_OUTSIDE_CUSTOMERS
            .with("query", q)
            .with("dir", &store.config.customers_dir)
            .into());
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
