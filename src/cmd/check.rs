//! `followup check`: reads every customer file (or the given ones), reports all problems at once
//! as `PATH:LINE:COL: error[CODE]: message` with the source line and a caret. Never writes.

use crate::cli::CheckArgs;
use crate::engine::check::{NameAt, duplicate_names, entry_diagnostics};
use crate::error::{Error, Result};
use crate::io::store::Store;
use crate::model::diagnostic::{Code, Diagnostic, Severity};
use crate::model::record::parse_record;
use crate::present::render::{Tone, json, paint, width};
use crate::{Ctx, Output};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One file's findings (its text is read again only to print them).
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
    message: &'a str,
    hint: Option<&'a str>,
}

pub fn run(args: &CheckArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let paths = if args.paths.is_empty() {
        store.customer_paths()?
    } else {
        given_paths(&store, &args.paths, &ctx.start)?
    };
    let private = store
        .load_overlay()?
        .is_some()
        .then(|| store.config.private_file.clone());
    let checked: Vec<(FileReport, Option<NameAt>)> = paths
        .par_iter()
        .map(|rel| check_file(&store, rel, ctx, private.as_deref()))
        .collect();
    let (mut reports, names): (Vec<FileReport>, Vec<Option<NameAt>>) = checked.into_iter().unzip();
    // Duplicate names are found across every customer file, not only the ones given.
    let names: Vec<NameAt> = if args.paths.is_empty() {
        names.into_iter().flatten().collect()
    } else {
        store
            .load_summaries_all(ctx.today)?
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
                    message: &d.message,
                    hint: d.hint.as_deref(),
                })
            })
            .collect();
        json(
            &serde_json::json!({ "errors": errors, "warnings": warnings, "diagnostics": diagnostics }),
        )
    } else {
        let mut out = String::new();
        for r in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
            // The source lines are read again here, for the few files that have findings.
            let bytes = store.read(&r.path).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            let lines: Vec<&str> = text
                .trim_start_matches('\u{feff}')
                .split_inclusive('\n')
                .collect();
            for d in &r.diagnostics {
                out.push_str(&render(&r.path, &lines, d, ctx.color));
            }
        }
        for r in &clone {
            for d in &r.diagnostics {
                out.push_str(&render(&r.path, &[], d, ctx.color));
            }
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        if ctx.lang(&store) == crate::model::config::Lang::Zh {
            out.push_str(&if errors + warnings == 0 {
                format!("已检查 {} 个文件：没有问题\n", reports.len())
            } else {
                format!(
                    "已检查 {} 个文件：{errors} 个错误，{warnings} 个警告\n",
                    reports.len()
                )
            });
        } else if errors + warnings == 0 {
            out.push_str(&format!(
                "checked {}: no problems\n",
                plural(reports.len(), "file")
            ));
        } else {
            out.push_str(&format!(
                "checked {}: {}, {}\n",
                plural(reports.len(), "file"),
                plural(errors, "error"),
                plural(warnings, "warning")
            ));
        }
        out
    };
    Ok(Output { stdout, code })
}

/// `merge-driver-missing`: in a git clone whose config lacks the merge driver (or points at a
/// program that is gone), a pull can leave a customer file as one side only.
fn driver_warning(store: &Store) -> Option<FileReport> {
    use crate::io::git::DriverProblem;
    let problem = crate::io::git::driver_problem(&store.root, &store.config.customers_dir)?;
    let message = match problem {
        DriverProblem::Unregistered => {
            "this clone has no merge driver for customer files, so git merges them line by line and stops on conflicts that are none (two people logging one customer)".to_string()
        }
        DriverProblem::MissingProgram(p) => format!(
            "the merge driver registered in this clone runs {p}, which is not there any more, so git merges customer files line by line and stops on conflicts that are none"
        ),
        DriverProblem::Outdated(_) => {
            "the merge driver registered in this clone needs `followup` on PATH and has nothing behind it: where git cannot run it (a GUI client, cron), a merged customer file keeps one side only".to_string()
        }
        DriverProblem::NotRouted => format!(
            ".gitattributes does not send {}/**/*.md to the merge driver",
            store.config.customers_dir
        ),
    };
    Some(FileReport {
        path: PathBuf::from(".git/config"),
        diagnostics: vec![
            Diagnostic::warning(1, 1, Code::MergeDriverMissing, message)
                .with_hint("run `followup init` in this clone"),
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
            let d = Diagnostic::error(1, 1, Code::Unreadable, format!("cannot read the file: {e}"));
            return (report(vec![d]), None);
        }
    };
    let (mut diagnostics, record) = match parse_record(rel.to_path_buf(), &bytes, &store.config) {
        Ok(record) => {
            let mut diagnostics = record.diagnostics.clone();
            if let Some(file) = private {
                diagnostics.extend(record.confidential.iter().map(|(key, line, col)| {
                    Diagnostic::warning(*line, *col, Code::ConfidentialInShared, format!("`{key}` is confidential but stored in the shared file"))
                        .with_hint(format!("move it to {file} with `followup set {} {key}=…`, or run `followup init --private`", record.stem()))
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

/// Files and folders named on the command line, as paths relative to the root.
fn given_paths(store: &Store, given: &[PathBuf], base: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for g in given {
        let abs = if g.is_absolute() {
            g.clone()
        } else {
            base.join(g)
        };
        let abs = std::path::absolute(&abs).map_err(|e| Error::io(g, &e))?;
        if abs.is_dir() {
            for entry in walkdir::WalkDir::new(&abs)
                .follow_links(false)
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                })
            {
                let entry = entry.map_err(|e| Error::Io {
                    path: g.clone(),
                    message: e.to_string(),
                })?;
                if entry.file_type().is_file()
                    && entry.path().extension().is_some_and(|x| x == "md")
                {
                    out.push(relative(store, entry.path()));
                }
            }
        } else if abs.is_file() {
            out.push(relative(store, &abs));
        } else {
            return Err(Error::Usage(format!(
                "{}: no such file or folder",
                g.display()
            )));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn relative(store: &Store, abs: &Path) -> PathBuf {
    let root = std::path::absolute(&store.root).unwrap_or_else(|_| store.root.clone());
    abs.strip_prefix(&root)
        .map_or_else(|_| abs.to_path_buf(), Path::to_path_buf)
}

/// `path:line:col: error[code]: message`, the source line, and a caret with the hint.
fn render(path: &Path, lines: &[&str], d: &Diagnostic, color: bool) -> String {
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
        d.message
    );
    let source = lines
        .get(d.line.saturating_sub(1))
        .map_or("", |l| l.trim_end_matches(['\n', '\r']));
    let number = d.line.to_string();
    let gutter = " ".repeat(number.len());
    if !lines.is_empty() {
        let before: String = source.chars().take(d.column.saturating_sub(1)).collect();
        let source = source.replace('\t', " ");
        out.push_str(&format!(
            "{gutter} |\n{number} | {source}\n{gutter} | {}^",
            " ".repeat(width(&before.replace('\t', " ")))
        ));
        if let Some(h) = &d.hint {
            out.push(' ');
            out.push_str(h);
        }
        out.push('\n');
    } else if let Some(h) = &d.hint {
        out.push_str(&format!("{gutter} = hint: {h}\n"));
    }
    out
}
