//! `followup import FILE…`: moves a team off its spreadsheet. Reads the template's customer
//! profiles and follow-up records (xlsx, xls, ods, csv; Chinese or English headers, or a rules
//! file), plans every change in memory (`import_plan`), prints the plan with `check`'s findings
//! on the result, and — unless `--dry-run` — writes it through the store (new files like `new`,
//! changed ones under their lock, confidential values to the private overlay). Exit 1 when a
//! row was refused; the other rows are imported.

use crate::cli::ImportArgs;
use crate::cmd::import_plan::{self, Existing, Folder, Plan, PlannedFile, Settings, Sheet};
use crate::engine::check::{NameAt, duplicate_names, entry_diagnostics};
use crate::error::{Error, Result};
use crate::io::sheet::read_tables;
use crate::io::store::{Store, read_input};
use crate::model::config::Lang;
use crate::model::diagnostic::{Diagnostic, Severity};
use crate::model::names::identity;
use crate::model::record::{file_stem, parse_record};
use crate::model::sheet::{Kind, NotRead, Rules, layout};
use crate::model::summary::customer_key;
use crate::msg::{Msg, Text, m};
use crate::present::mask::Masker;
use crate::present::render::clean;
use crate::{Ctx, Output};
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// A sheet this long gets a progress bar (when stderr is a terminal).
const PROGRESS_FROM: u64 = 500;

/// How a sheet was read, for the report.
struct SheetInfo {
    file: String,
    sheet: String,
    kind: Option<Kind>,
    header_row: usize,
    rows: usize,
    unused: Vec<String>,
}

pub fn run(args: &ImportArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    let rules = match &args.rules {
        Some(path) => {
            let path = ctx.start.join(path);
            let bytes = read_input(&path, &path)?;
            let text = String::from_utf8(bytes).map_err(|_| Error::Parse {
                path: path.clone(),
                line: 1,
                message: m::E_RULES_NOT_UTF8.into(),
                hint: Some(m::E_RULES_SAVE_UTF8.into()),
            })?;
            Rules::parse(&text).map_err(|(line, message)| Error::Parse {
                path: path.clone(),
                line,
                message,
                hint: Some(m::E_RULES_SEE_DOCS.into()),
            })?
        }
        None => Rules::default(),
    };
    let mut sheets = Vec::new();
    let mut infos = Vec::new();
    for file in &args.files {
        let path = ctx.start.join(file);
        for table in read_tables(&path, file, args.sheet.as_deref())? {
            let shown_file = file.display().to_string();
            match layout(&table, &rules) {
                Ok(l) => {
                    infos.push(SheetInfo {
                        file: shown_file,
                        sheet: table.sheet.clone(),
                        kind: Some(l.kind),
                        header_row: l.header_row,
                        rows: table.rows.iter().filter(|(n, _)| *n > l.header_row).count(),
                        unused: l.unused.clone(),
                    });
                    sheets.push(Sheet { table, layout: l });
                }
                Err(why) => {
                    if why != NotRead::Empty {
                        infos.push(SheetInfo {
                            file: shown_file,
                            sheet: table.sheet.clone(),
                            kind: None,
                            header_row: 0,
                            rows: table.rows.len(),
                            unused: Vec::new(),
                        });
                    }
                }
            }
        }
    }
    if sheets.is_empty() {
        let files: Vec<String> = args.files.iter().map(|f| f.display().to_string()).collect();
        return Err(m::IMP_NO_SHEET.with_list("files", files).into());
    }
    let folder = read_folder(&store)?;
    let private = store.load_overlay()?.is_some();
    let settings = Settings {
        config,
        rules: &rules,
        today: ctx.today,
        private,
        git_user: crate::io::git::user_name(&store.root),
    };
    let total: u64 = infos.iter().map(|i| i.rows as u64).sum();
    let bar = (total >= PROGRESS_FROM && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::stderr(),
        );
        progress_style(&bar, m::IMP_PROGRESS_PLAN, lang);
        bar
    });
    let tick = |n: u64| {
        if let Some(b) = &bar {
            b.inc(n);
        }
    };
    let plan = import_plan::plan(&sheets, &folder, &settings, &tick);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let diagnostics = result_diagnostics(&plan, &folder, &store, ctx);
    let mut written = Vec::new();
    let mut failure = None;
    if !args.dry_run {
        // Files read when the plan was made, and those this import has written since: the
        // check under each new file's lock reads only files that appeared from elsewhere.
        let mut known: HashSet<PathBuf> = folder
            .existing
            .iter()
            .map(|e| e.rel.clone())
            .chain(folder.unreadable.iter().cloned())
            .collect();
        if let Some(b) = &bar {
            b.reset();
            b.set_length(plan.files.len() as u64);
            progress_style(b, m::IMP_PROGRESS_WRITE, lang);
        }
        for f in &plan.files {
            match write(&store, f, &known) {
                Ok(rel) => {
                    known.insert(rel.clone());
                    written.push(rel);
                }
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
            tick(1);
        }
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
    }
    if let Some(e) = failure {
        let done: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        let stopped = if done.is_empty() {
            m::IMP_STOPPED_NONE.with("n", 0)
        } else {
            m::IMP_STOPPED
                .with("n", done.len())
                .with_list("files", done)
        };
        return Err(stopped.with_text("error", e.text()).into());
    }
    let masker = Masker::new(config, ctx.reveal);
    let code = u8::from(!plan.refused.is_empty());
    let stdout = if ctx.json {
        crate::present::render::json(&json_report(
            &plan,
            &infos,
            &diagnostics,
            args.dry_run,
            &masker,
        ))
    } else {
        text_report(&plan, &infos, &diagnostics, args.dry_run, &masker, lang)
    };
    Ok(Output {
        stdout,
        code,
        data: ctx.json,
    })
}

/// Every customer file: the readable ones with their bytes and overlay values, and the paths
/// of those that cannot be read.
fn read_folder(store: &Store) -> Result<Folder> {
    let overlay = store.load_overlay()?;
    let mut existing = Vec::new();
    let mut unreadable = Vec::new();
    for rel in store.customer_paths()? {
        let bytes = store.read(&rel)?;
        match parse_record(rel.clone(), &bytes, &store.config) {
            Ok(record) => {
                let values = overlay
                    .as_ref()
                    .map(|o| o.values(&customer_key(&rel, &store.config.customers_dir)))
                    .unwrap_or_default();
                existing.push(Existing {
                    rel,
                    bytes,
                    record,
                    overlay: values,
                });
            }
            Err(u) => {
                store.warn_unreadable(&u, m::IMP_UNREADABLE_FILE);
                unreadable.push(rel);
            }
        }
    }
    Ok(Folder {
        existing,
        unreadable,
    })
}

/// One finding of `check` on a file the import creates or changes.
struct Finding {
    file: PathBuf,
    diagnostic: Diagnostic,
}

/// What `followup check` will say of the files the import creates or changes: each file's own
/// findings, its log's, and a second file for one customer.
fn result_diagnostics(plan: &Plan, folder: &Folder, store: &Store, ctx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut names: Vec<NameAt> = Vec::new();
    let planned: HashSet<&Path> = plan.files.iter().map(|f| f.rel.as_path()).collect();
    for e in &folder.existing {
        if !planned.contains(e.rel.as_path()) {
            names.push(NameAt {
                name: e.record.customer.name.clone(),
                line: e.record.customer.name_line,
                path: e.rel.clone(),
            });
        }
    }
    for f in &plan.files {
        match parse_record(f.rel.clone(), &f.after, &store.config) {
            Ok(record) => {
                names.push(NameAt {
                    name: record.customer.name.clone(),
                    line: record.customer.name_line,
                    path: f.rel.clone(),
                });
                let mut d = record.diagnostics.clone();
                d.extend(entry_diagnostics(&record, &store.config, ctx.today));
                out.extend(d.into_iter().map(|diagnostic| Finding {
                    file: f.rel.clone(),
                    diagnostic,
                }));
            }
            Err(u) => out.extend(u.diagnostics.into_iter().map(|diagnostic| Finding {
                file: f.rel.clone(),
                diagnostic,
            })),
        }
    }
    for (path, d) in duplicate_names(&names) {
        if planned.contains(path.as_path()) {
            out.push(Finding {
                file: path,
                diagnostic: d,
            });
        }
    }
    out.sort_by(|a, b| {
        (&a.file, a.diagnostic.line, a.diagnostic.column).cmp(&(
            &b.file,
            b.diagnostic.line,
            b.diagnostic.column,
        ))
    });
    out
}

/// Writes one planned file: a new one like `new` (under the folder lock, refused if the
/// customer appeared meanwhile), a changed one under its lock only if it is still as it was read.
fn write(store: &Store, f: &PlannedFile, known: &HashSet<PathBuf>) -> Result<PathBuf> {
    match &f.before {
        None => {
            let dir = f.rel.parent().unwrap_or(Path::new(""));
            let stem = file_stem(&f.rel);
            let wanted = identity(&f.customer);
            store.create(dir, &stem, &f.after, &f.private, || {
                // Under the lock: a customer file that appeared since the plan was made.
                for rel in store.customer_paths()? {
                    if known.contains(&rel) {
                        continue;
                    }
                    let Ok(bytes) = store.read(&rel) else {
                        continue;
                    };
                    if let Ok(s) =
                        crate::model::record::parse_summary(rel.clone(), &bytes, &store.config)
                        && identity(&s.customer.name) == wanted
                    {
                        return Err(m::IMP_APPEARED
                            .with("customer", &f.customer)
                            .with("file", rel.display())
                            .into());
                    }
                }
                Ok(())
            })
        }
        Some(before) => {
            store.update_private(&f.rel, |bytes| {
                if bytes != before.as_slice() {
                    return Err(m::IMP_CHANGED_MEANWHILE
                        .with("file", f.rel.display())
                        .into());
                }
                Ok((f.after.clone(), f.private.clone(), ()))
            })?;
            Ok(f.rel.clone())
        }
    }
}

/// The progress bar's text: `planning [====>    ] 120/1000 rows`, in the language.
fn progress_style(bar: &indicatif::ProgressBar, msg: Msg, lang: Lang) {
    let template = msg
        .with("bar", "[{bar:30}]")
        .with("done", "{pos}")
        .with("total", "{len}")
        .render(lang);
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
}

fn text_report(
    plan: &Plan,
    infos: &[SheetInfo],
    findings: &[Finding],
    dry_run: bool,
    masker: &Masker<'_>,
    lang: Lang,
) -> String {
    let mut out = String::new();
    if dry_run {
        push_line(&mut out, lang, "", m::IMP_DRY_RUN.into());
    }
    for i in infos {
        let read = match i.kind {
            Some(kind) => m::IMP_READ_SHEET
                .with_text(
                    "kind",
                    match kind {
                        Kind::Profiles => m::IMP_KIND_PROFILES,
                        Kind::Records => m::IMP_KIND_RECORDS,
                    },
                )
                .with("row", i.header_row)
                .with("n", i.rows),
            None => m::IMP_SKIPPED_SHEET.into(),
        };
        push_line(
            &mut out,
            lang,
            "",
            read.with("file", &i.file).with("sheet", &i.sheet),
        );
        if !i.unused.is_empty() {
            push_line(
                &mut out,
                lang,
                "  ",
                m::IMP_UNUSED_COLUMNS.with_list("columns", &i.unused),
            );
        }
    }
    let created: Vec<&PlannedFile> = plan.files.iter().filter(|f| f.before.is_none()).collect();
    let updated: Vec<&PlannedFile> = plan.files.iter().filter(|f| f.before.is_some()).collect();
    if !plan.files.is_empty() {
        out.push('\n');
    }
    for f in created.iter().chain(&updated) {
        let (what, detail) = match f.before {
            None => (
                m::IMP_CREATED,
                m::IMP_NEW_DETAIL
                    .with("keys", f.keys.len())
                    .with("entries", f.entries),
            ),
            Some(_) if f.keys.is_empty() => (m::IMP_UPDATED, m::IMP_N_ENTRIES.with("n", f.entries)),
            Some(_) => (
                m::IMP_UPDATED,
                m::IMP_ADDED_KEYS
                    .with_list("keys", &f.keys)
                    .with("entries", f.entries),
            ),
        };
        let detail = if f.private.is_empty() {
            detail
        } else {
            m::PAREN
                .with_text("a", detail)
                .with_text("b", m::IMP_TO_PRIVATE)
        };
        push_line(
            &mut out,
            lang,
            "  ",
            m::IMP_FILE_LINE
                .with_text("what", what)
                .with("file", f.rel.display())
                .with("customer", &f.customer)
                .with_text("detail", detail),
        );
    }
    if !plan.skipped.is_empty() {
        out.push('\n');
        push_line(
            &mut out,
            lang,
            "",
            m::IMP_SKIPPED_HEAD.with("n", plan.skipped.len()),
        );
        for s in &plan.skipped {
            push_line(
                &mut out,
                lang,
                "  ",
                m::IMP_SKIPPED_LINE
                    .with_text("at", s.at.text())
                    .with("customer", &s.customer)
                    .with("date", &s.date)
                    .with("channel", &s.channel),
            );
        }
    }
    if !plan.differences.is_empty() {
        out.push('\n');
        push_line(&mut out, lang, "", m::IMP_DIFFER_HEAD.into());
        for d in &plan.differences {
            let kept = match &d.kept {
                Some(k) => masker.text(&d.key, k),
                None => m::IMP_A_TABLE.get(lang),
            };
            push_line(
                &mut out,
                lang,
                "  ",
                m::IMP_DIFFER_LINE
                    .with_text("at", d.at.text())
                    .with("customer", &d.customer)
                    .with("key", &d.key)
                    .with("kept", kept)
                    .with("sheet", masker.text(&d.key, &d.sheet_value)),
            );
        }
    }
    if !plan.refused.is_empty() {
        out.push('\n');
        push_line(
            &mut out,
            lang,
            "",
            m::IMP_REFUSED_HEAD.with("n", plan.refused.len()),
        );
        for r in &plan.refused {
            let text = match &r.customer {
                Some(c) => m::IMP_REFUSED_LINE.with("customer", c),
                None => m::PROBLEM_AT.into(),
            };
            push_line(
                &mut out,
                lang,
                "  ",
                text.with_text("at", r.at.text())
                    .with("message", r.message(lang)),
            );
        }
    }
    for n in &plan.notes {
        push_line(&mut out, lang, "", m::IMP_NOTE.with_text("note", n.clone()));
    }
    let errors = findings
        .iter()
        .filter(|f| f.diagnostic.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if !findings.is_empty() {
        out.push('\n');
        push_line(&mut out, lang, "", m::IMP_CHECK_HEAD.into());
        for f in findings {
            let d = &f.diagnostic;
            // As `check` prints it: the severity and the code stay as they are.
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let message = match &d.hint {
                Some(h) => m::MESSAGE_HINT
                    .with_text("message", d.message.clone())
                    .with_text("hint", h.clone()),
                None => d.message.clone(),
            };
            out.push_str(&format!(
                "  {}:{}:{}: {severity}[{}]: {}\n",
                f.file.display(),
                d.line,
                d.column,
                d.code,
                clean(&message.render(lang))
            ));
        }
    }
    let summary = m::IMP_SUMMARY
        .with("created", created.len())
        .with("updated", updated.len())
        .with(
            "entries",
            plan.files.iter().map(|f| f.entries).sum::<usize>(),
        )
        .with("skipped", plan.skipped.len())
        .with("differ", plan.differences.len())
        .with("refused", plan.refused.len())
        .with("errors", errors)
        .with("warnings", warnings);
    out.push('\n');
    push_line(
        &mut out,
        lang,
        "",
        if dry_run {
            m::IMP_WOULD_BE.with_text("summary", summary)
        } else {
            summary
        },
    );
    out
}

/// One line of the report, in the language; what came from the files is made safe for a
/// terminal.
fn push_line(out: &mut String, lang: Lang, indent: &str, text: Text) {
    out.push_str(indent);
    out.push_str(&clean(&text.render(lang)));
    out.push('\n');
}

fn json_report(
    plan: &Plan,
    infos: &[SheetInfo],
    findings: &[Finding],
    dry_run: bool,
    masker: &Masker<'_>,
) -> serde_json::Value {
    let file = |f: &PlannedFile| {
        serde_json::json!({
            "file": f.rel.display().to_string(),
            "customer": f.customer,
            "keys": f.keys,
            "entries": f.entries,
            "private": !f.private.is_empty(),
        })
    };
    let errors = findings
        .iter()
        .filter(|f| f.diagnostic.severity == Severity::Error)
        .count();
    serde_json::json!({
        "dry_run": dry_run,
        "sheets": infos.iter().map(|i| serde_json::json!({
            "file": i.file, "sheet": i.sheet, "kind": i.kind.map(Kind::word), "header_row": i.header_row,
            "rows": i.rows, "unused_columns": i.unused,
        })).collect::<Vec<_>>(),
        "created": plan.files.iter().filter(|f| f.before.is_none()).map(file).collect::<Vec<_>>(),
        "updated": plan.files.iter().filter(|f| f.before.is_some()).map(file).collect::<Vec<_>>(),
        "entries_added": plan.files.iter().map(|f| f.entries).sum::<usize>(),
        "skipped": plan.skipped,
        "differences": plan.differences.iter().map(|d| serde_json::json!({
            "sheet": d.at.sheet, "row": d.at.row, "customer": d.customer, "file": d.file,
            "key": d.key,
            "kept": d.kept.as_ref().map_or_else(|| "(a table)".to_string(), |k| masker.text(&d.key, k)),
            "sheet_value": masker.text(&d.key, &d.sheet_value),
        })).collect::<Vec<_>>(),
        "refused": plan.refused,
        "notes": plan.notes.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "check": {
            "errors": errors,
            "warnings": findings.len() - errors,
            "diagnostics": findings.iter().map(|f| serde_json::json!({
                "file": f.file.display().to_string(),
                "line": f.diagnostic.line,
                "column": f.diagnostic.column,
                "severity": f.diagnostic.severity,
                "code": f.diagnostic.code.to_string(),
                "message": f.diagnostic.message.to_string(),
                "hint": f.diagnostic.hint.as_ref().map(ToString::to_string),
            })).collect::<Vec<_>>(),
        },
    })
}
