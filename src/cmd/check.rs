//! `followup check`: reads every customer file (or the given ones), reports all problems at once
//! as `PATH:LINE:COL: error[CODE]: message` with the source line and a caret. Never writes.

use crate::cli::CheckArgs;
use crate::engine::check::{NameAt, duplicate_names, entry_diagnostics};
use crate::error::{Error, Result};
use crate::io::store::Store;
use crate::model::config::Lang;
use crate::model::diagnostic::{Code, Diagnostic, Severity};
use crate::model::record::parse_record;
use crate::msg::m;
use crate::present::mask::{Masker, mask_line};
use crate::present::render::{Tone, clean, json, paint, width};
use crate::{Ctx, Output};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One file's findings (its text is read again only to print them).
#[derive(Serialize, serde::Deserialize)]
struct FileReport {
    path: PathBuf,
    diagnostics: Vec<Diagnostic>,
}

#[derive(Serialize)]
struct DiagJson<'a> {
    file: String,
    line: usize,
    column: usize,
    severity: Severity,
    code: Code,
    message: String,
    hint: Option<String>,
    #[serde(skip)]
    _text: std::marker::PhantomData<&'a ()>,
}

pub fn run(args: &CheckArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let private = store
        .load_overlay()?
        .is_some()
        .then(|| store.config.private_file.clone());
    let checked: Vec<(FileReport, Option<NameAt>)> = if args.paths.is_empty() {
        // A file's findings depend on its bytes, the settings, today (future-dated entries)
        // and whether a private overlay exists: the read cache keeps them under that key.
        let salt = format!("check {} {:?}", ctx.today, private);
        store
            .load_all_cached("checks", &salt, |rel| {
                check_file(&store, rel, ctx, private.as_deref())
            })?
            .into_iter()
            .map(|(_, checked)| checked)
            .collect()
    } else {
        store
            .given_paths(&args.paths, &ctx.start)?
            .par_iter()
            .map(|rel| check_file(&store, rel, ctx, private.as_deref()))
            .collect()
    };
    let (mut reports, names): (Vec<FileReport>, Vec<Option<NameAt>>) = checked.into_iter().unzip();
    // Duplicate names are found across every customer file, not only the ones given.
    let names: Vec<NameAt> = if args.paths.is_empty() {
        names.into_iter().flatten().collect()
    } else {
        store
            .load_summaries_all()?
            .into_iter()
            .flatten()
            .map(|s| NameAt {
                line: s.customer.name_line,
                name: s.customer.name,
                path: s.path,
            })
            .collect()
    };
    let index: HashMap<PathBuf, usize> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| (r.path.clone(), i))
        .collect();
    for (path, d) in duplicate_names(&names) {
        if let Some(&i) = index.get(&path) {
            reports[i].diagnostics.push(d);
        }
    }
    for r in &mut reports {
        r.diagnostics
            .sort_by_key(|d| (d.line, d.column, d.severity));
        r.diagnostics.dedup();
    }
    // About the clone rather than a file: git would merge customer files without the driver.
    let clone: Vec<FileReport> = driver_warning(&store).into_iter().collect();
    let errors = reports
        .iter()
        .chain(&clone)
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = reports
        .iter()
        .chain(&clone)
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let code = u8::from(errors > 0 || (args.deny_warnings && warnings > 0));
    let stdout = if ctx.json {
        let diagnostics: Vec<DiagJson<'_>> = reports
            .iter()
            .chain(&clone)
            .flat_map(|r| {
                r.diagnostics.iter().map(|d| DiagJson {
                    file: r.path.display().to_string(),
                    line: d.line,
                    column: d.column,
                    severity: d.severity,
                    code: d.code,
                    message: d.message.to_string(),
                    hint: d.hint.as_ref().map(ToString::to_string),
                    _text: std::marker::PhantomData,
                })
            })
            .collect();
        json(
            &serde_json::json!({ "errors": errors, "warnings": warnings, "diagnostics": diagnostics }),
        )
    } else {
        let mut out = String::new();
        let lang = ctx.lang(&store);
        let masker = Masker::new(&store.config, ctx.reveal);
        for r in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
            // The source lines are read again here, for the few files that have findings; the
            // confidential values in them are masked (the excerpts end up in CI logs).
            let bytes = store.read(&r.path).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            let text = text.trim_start_matches('\u{feff}');
            let source = Source {
                lines: text
                    .split_inclusive('\n')
                    .scan(0, |at, line| {
                        let start = *at;
                        *at += line.len();
                        Some((start, line))
                    })
                    .collect(),
                secrets: masker.secret_ranges(text),
            };
            for d in &r.diagnostics {
                out.push_str(&render(&r.path, &source, d, ctx.color, lang));
            }
        }
        for r in &clone {
            for d in &r.diagnostics {
                let none = Source {
                    lines: Vec::new(),
                    secrets: Vec::new(),
                };
                out.push_str(&render(&r.path, &none, d, ctx.color, lang));
            }
        }
        let summary = if errors + warnings == 0 {
            m::CHECK_CLEAN.with("files", reports.len())
        } else {
            m::CHECK_FOUND
                .with("files", reports.len())
                .with("errors", errors)
                .with("warnings", warnings)
        };
        out.push_str(&summary.render(lang));
        out.push('\n');
        out
    };
    Ok(Output {
        stdout,
        code,
        data: ctx.json,
    })
}

/// `merge-driver-missing`: in a git clone whose config lacks the merge driver (or points at a
/// program that is gone), a pull can leave a customer file as one side only.
fn driver_warning(store: &Store) -> Option<FileReport> {
    use crate::io::git::DriverProblem;
    let problem = crate::io::git::driver_problem(&store.root, &store.config.customers_dir)?;
    let message = match problem {
        DriverProblem::Unregistered => m::D_DRIVER_UNREGISTERED.into(),
        DriverProblem::MissingProgram(p) => m::D_DRIVER_GONE.with("program", p),
        DriverProblem::Outdated(_) => m::D_DRIVER_OUTDATED.into(),
        DriverProblem::NotRouted => m::D_DRIVER_NOT_ROUTED.with("dir", &store.config.customers_dir),
    };
    Some(FileReport {
        path: PathBuf::from(".git/config"),
        diagnostics: vec![
            Diagnostic::warning(1, 1, Code::MergeDriverMissing, message).with_hint(m::H_DRIVER),
        ],
    })
}

fn check_file(
    store: &Store,
    rel: &Path,
    ctx: &Ctx,
    private: Option<&str>,
) -> (FileReport, Option<NameAt>) {
    let report = |diagnostics| FileReport {
        path: rel.to_path_buf(),
        diagnostics,
    };
    let bytes = match store.read(rel) {
        Ok(b) => b,
        Err(e) => {
            let why = match &e {
                Error::Io { message, .. } => message.clone(),
                other => crate::msg::Text::raw(other.to_string()),
            };
            let d = Diagnostic::error(
                1,
                1,
                Code::Unreadable,
                m::D_UNREADABLE.with_text("why", why),
            );
            return (report(vec![d]), None);
        }
    };
    let (mut diagnostics, record) = match parse_record(rel.to_path_buf(), &bytes, &store.config) {
        Ok(record) => {
            let mut diagnostics = record.diagnostics.clone();
            if let Some(file) = private {
                diagnostics.extend(record.confidential.iter().map(|(key, line, col)| {
                    Diagnostic::warning(
                        *line,
                        *col,
                        Code::ConfidentialInShared,
                        m::D_CONFIDENTIAL_SHARED.with("key", key),
                    )
                    .with_hint(
                        m::H_CONFIDENTIAL_SHARED
                            .with("file", file)
                            .with("stem", record.stem())
                            .with("key", key),
                    )
                }));
            }
            (diagnostics, Some(record))
        }
        Err(u) => (u.diagnostics, u.partial.map(|p| *p)),
    };
    let Some(record) = record else {
        return (report(diagnostics), None);
    };
    diagnostics.extend(entry_diagnostics(&record, &store.config, ctx.today));
    let name = NameAt {
        line: record.customer.name_line,
        name: record.customer.name,
        path: record.path,
    };
    (report(diagnostics), Some(name))
}

/// A file's lines with their byte offsets, and the ranges that hold confidential values.
struct Source<'a> {
    lines: Vec<(usize, &'a str)>,
    secrets: Vec<std::ops::Range<usize>>,
}

/// `path:line:col: error[code]: message`, the source line, and a caret with the hint.
fn render(path: &Path, source: &Source<'_>, d: &Diagnostic, color: bool, lang: Lang) -> String {
    let (label, tone) = match d.severity {
        Severity::Error => ("error", Tone::Overdue),
        Severity::Warning => ("warning", Tone::Today),
    };
    let mut out = format!(
        "{}:{}:{}: {}: {}\n",
        path.display(),
        d.line,
        d.column,
        paint(&format!("{label}[{}]", d.code), tone, color),
        clean(&d.message.render(lang))
    );
    let (start, line) = source
        .lines
        .get(d.line.saturating_sub(1))
        .map_or((0, ""), |(s, l)| (*s, l.trim_end_matches(['\n', '\r'])));
    let number = d.line.to_string();
    let gutter = " ".repeat(number.len());
    // What is shown: confidential values masked, tabs as spaces, control characters escaped.
    let shown = |text: &str| {
        clean(&mask_line(text, start, &source.secrets).replace('\t', " ")).into_owned()
    };
    if !source.lines.is_empty() {
        let before_end = line
            .char_indices()
            .nth(d.column.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i);
        out.push_str(&format!(
            "{gutter} |\n{number} | {}\n{gutter} | {}^",
            shown(line),
            " ".repeat(width(&shown(&line[..before_end])))
        ));
        if let Some(h) = &d.hint {
            out.push(' ');
            out.push_str(&clean(&h.render(lang)));
        }
        out.push('\n');
    } else if let Some(h) = &d.hint {
        let hint = m::CHECK_HINT.with("hint", h.render(lang)).render(lang);
        out.push_str(&format!("{gutter} = {}\n", clean(&hint)));
    }
    out
}
