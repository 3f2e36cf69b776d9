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
use crate::model::sheet::{NotRead, Rules, layout};
use crate::model::summary::customer_key;
use crate::msg::{Text, m};
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
    kind: Option<&'static str>,
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
                message: Text::raw(message),
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
                        kind: Some(l.kind.word()),
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
        return Err(Error::Usage(match lang {
            Lang::En => format!(
                "{} has no sheet with the template's headers (客户名称/Customer … for profiles, 日期/Date and 客户/Customer for records); name its columns in a rules file (--rules, see docs/import.md)",
                files.join(", ")
            ),
            Lang::Zh => format!(
                "{} 中没有带模板表头的工作表（客户档案需要 客户名称，跟进记录需要 日期 和 客户）；请用规则文件（--rules，见 docs/import.md）说明各列",
                files.join("、")
            ),
        }));
    }
    let folder = read_folder(&store)?;
    let private = store.load_overlay()?.is_some();
    let settings = Settings {
        config,
        rules: &rules,
        today: ctx.today,
        lang,
        private,
        git_user: crate::io::git::user_name(&store.root),
    };
    let total: u64 = infos.iter().map(|i| i.rows as u64).sum();
    let bar = (total >= PROGRESS_FROM && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} rows")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(match lang {
            Lang::En => "planning",
            Lang::Zh => "正在规划",
        });
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
        let known: HashSet<PathBuf> = folder
            .existing
            .iter()
            .map(|e| e.rel.clone())
            .chain(folder.unreadable.iter().cloned())
            .collect();
        if let Some(b) = &bar {
            b.reset();
            b.set_length(plan.files.len() as u64);
        }
        for f in &plan.files {
            match write(&store, f, &known) {
                Ok(rel) => written.push(rel),
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
        return Err(Error::Refused(match lang {
            Lang::En => format!(
                "{e}; the import stopped after writing {} file{}{}; run it again to finish (a second run adds only what is missing)",
                done.len(),
                if done.len() == 1 { "" } else { "s" },
                if done.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", done.join(", "))
                }
            ),
            Lang::Zh => format!(
                "{e}；导入在写入 {} 个文件后停止{}；请再运行一次以完成（再次导入只会补上缺少的部分）",
                done.len(),
                if done.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", done.join("、"))
                }
            ),
        }));
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
                let d = u.first();
                store.warn(format!(
                    "{}:{}: {}; no customer is imported into it (run `followup check`)",
                    u.path.display(),
                    d.line,
                    d.message
                ));
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
                    let Ok(bytes) = store.read(&rel) else { continue };
                    if let Ok(s) = crate::model::record::parse_summary(rel.clone(), &bytes, &store.config)
                        && identity(&s.customer.name) == wanted
                    {
                        return Err(Error::Refused(format!(
                            "customer `{}` appeared in {} while the import was running; nothing was written for it",
                            f.customer,
                            rel.display()
                        )));
                    }
                }
                Ok(())
            })
        }
        Some(before) => {
            store.update_private(&f.rel, |bytes| {
                if bytes != before.as_slice() {
                    return Err(Error::Refused(format!(
                        "{} changed while the import was running; nothing was written to it",
                        f.rel.display()
                    )));
                }
                Ok((f.after.clone(), f.private.clone(), ()))
            })?;
            Ok(f.rel.clone())
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn text_report(
    plan: &Plan,
    infos: &[SheetInfo],
    findings: &[Finding],
    dry_run: bool,
    masker: &Masker<'_>,
    lang: Lang,
) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    if dry_run {
        out.push_str(if zh {
            "试运行：没有写入任何文件。\n"
        } else {
            "Dry run: nothing was written.\n"
        });
    }
    for i in infos {
        let line = match (i.kind, zh) {
            (Some(kind), false) => format!(
                "Read {} › {} as {kind} (headers in row {}, {}).\n",
                i.file,
                clean(&i.sheet),
                i.header_row,
                plural(i.rows, "row", "rows")
            ),
            (Some(kind), true) => format!(
                "已读取 {} › {}：{}（表头在第 {} 行，{} 行数据）。\n",
                i.file,
                clean(&i.sheet),
                if kind == "profiles" {
                    "客户档案"
                } else {
                    "跟进记录"
                },
                i.header_row,
                i.rows
            ),
            (None, false) => format!(
                "Skipped {} › {}: no row of it looks like the template's headers.\n",
                i.file,
                clean(&i.sheet)
            ),
            (None, true) => format!(
                "已跳过 {} › {}：没有找到模板的表头。\n",
                i.file,
                clean(&i.sheet)
            ),
        };
        out.push_str(&line);
        if !i.unused.is_empty() {
            let cols: Vec<String> = i.unused.iter().map(|c| clean(c).into_owned()).collect();
            out.push_str(&if zh {
                format!("  未导入的列：{}\n", cols.join("、"))
            } else {
                format!("  Columns not imported: {}\n", cols.join(", "))
            });
        }
    }
    let created: Vec<&PlannedFile> = plan.files.iter().filter(|f| f.before.is_none()).collect();
    let updated: Vec<&PlannedFile> = plan.files.iter().filter(|f| f.before.is_some()).collect();
    if !plan.files.is_empty() {
        out.push('\n');
    }
    for f in created.iter().chain(&updated) {
        let what = match (f.before.is_none(), zh) {
            (true, false) => "created",
            (false, false) => "updated",
            (true, true) => "新建",
            (false, true) => "更新",
        };
        let detail = if f.before.is_none() {
            if zh {
                format!("{} 个字段，{} 条记录", f.keys.len(), f.entries)
            } else {
                format!(
                    "{}, {}",
                    plural(f.keys.len(), "key", "keys"),
                    plural(f.entries, "entry", "entries")
                )
            }
        } else {
            let keys = if f.keys.is_empty() {
                String::new()
            } else if zh {
                format!("补充 {}；", f.keys.join("、"))
            } else {
                format!("+ {}; ", f.keys.join(", "))
            };
            if zh {
                format!("{keys}{} 条记录", f.entries)
            } else {
                format!("{keys}{}", plural(f.entries, "entry", "entries"))
            }
        };
        let private = if f.private.is_empty() {
            ""
        } else if zh {
            "（联系方式写入私有文件）"
        } else {
            " (contact details to the private file)"
        };
        out.push_str(&if zh {
            format!(
                "  {what}  {}  {}：{detail}{private}\n",
                f.rel.display(),
                clean(&f.customer)
            )
        } else {
            format!(
                "  {what:8} {}  {}: {detail}{private}\n",
                f.rel.display(),
                clean(&f.customer)
            )
        });
    }
    if !plan.skipped.is_empty() {
        out.push_str(&if zh {
            format!(
                "\n已跳过 {} 条已有的记录（日期、方式和内容相同）：\n",
                plan.skipped.len()
            )
        } else {
            format!(
                "\nSkipped {} already present (same date, channel and text):\n",
                plural(plan.skipped.len(), "entry", "entries")
            )
        });
        for s in &plan.skipped {
            out.push_str(&format!(
                "  {}{}{} {} {}\n",
                s.at.shown(lang),
                if zh { "：" } else { ": " },
                clean(&s.customer),
                s.date,
                s.channel
            ));
        }
    }
    if !plan.differences.is_empty() {
        out.push_str(if zh {
            "\n与现有值不同（保留现有值，表格中的值没有写入）：\n"
        } else {
            "\nValues that differ (the kept value stays; the sheet's is not written):\n"
        });
        for d in &plan.differences {
            let kept = masker.text(&d.key, &d.kept);
            let sheet = masker.text(&d.key, &d.sheet_value);
            out.push_str(&if zh {
                format!(
                    "  {}：{} 的 {}：保留 `{}`，表格为 `{}`\n",
                    d.at.shown(lang),
                    clean(&d.customer),
                    d.key,
                    clean(&kept),
                    clean(&sheet)
                )
            } else {
                format!(
                    "  {}: {} {}: kept `{}`, sheet `{}`\n",
                    d.at.shown(lang),
                    clean(&d.customer),
                    d.key,
                    clean(&kept),
                    clean(&sheet)
                )
            });
        }
    }
    if !plan.refused.is_empty() {
        out.push_str(&if zh {
            format!("\n未导入 {} 行：\n", plan.refused.len())
        } else {
            format!("\nRefused {}:\n", plural(plan.refused.len(), "row", "rows"))
        });
        for r in &plan.refused {
            let who = r.customer.as_deref().map_or_else(String::new, |c| {
                if zh {
                    format!("（{}）", clean(c))
                } else {
                    format!(" ({})", clean(c))
                }
            });
            out.push_str(&format!(
                "  {}{who}{}{}\n",
                r.at.shown(lang),
                if zh { "：" } else { ": " },
                clean(&r.message)
            ));
        }
    }
    for n in &plan.notes {
        out.push_str(&format!(
            "{}: {}\n",
            if zh { "说明" } else { "note" },
            clean(n)
        ));
    }
    let errors = findings
        .iter()
        .filter(|f| f.diagnostic.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if !findings.is_empty() {
        out.push_str(if zh {
            "\n导入结果的检查（followup check 将会报告）：\n"
        } else {
            "\nCheck of the result (what `followup check` will say):\n"
        });
        for f in findings {
            let d = &f.diagnostic;
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let hint = d
                .hint
                .as_ref()
                .map_or_else(String::new, |h| format!("; {h}"));
            out.push_str(&format!(
                "  {}:{}:{}: {severity}[{}]: {}{}\n",
                f.file.display(),
                d.line,
                d.column,
                d.code,
                clean(&d.message.render(lang)),
                clean(&hint)
            ));
        }
    }
    let entries: usize = plan.files.iter().map(|f| f.entries).sum();
    out.push('\n');
    out.push_str(&if zh {
        format!(
            "{}新建 {} 个客户，更新 {} 个，新增 {} 条记录，跳过 {} 条已有记录，{} 个值不同，{} 行未导入；检查：{} 个错误，{} 个警告。\n",
            if dry_run { "将会" } else { "" },
            created.len(),
            updated.len(),
            entries,
            plan.skipped.len(),
            plan.differences.len(),
            plan.refused.len(),
            errors,
            warnings
        )
    } else {
        format!(
            "{}{} created, {} updated, {} added, {} skipped, {}, {} refused; check: {}, {}.\n",
            if dry_run { "Would be: " } else { "" },
            plural(created.len(), "customer", "customers"),
            updated.len(),
            plural(entries, "entry", "entries"),
            plan.skipped.len(),
            if plan.differences.len() == 1 {
                "1 value differs".to_string()
            } else {
                format!("{} values differ", plan.differences.len())
            },
            plural(plan.refused.len(), "row", "rows"),
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings")
        )
    });
    out
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
            "file": i.file, "sheet": i.sheet, "kind": i.kind, "header_row": i.header_row,
            "rows": i.rows, "unused_columns": i.unused,
        })).collect::<Vec<_>>(),
        "created": plan.files.iter().filter(|f| f.before.is_none()).map(file).collect::<Vec<_>>(),
        "updated": plan.files.iter().filter(|f| f.before.is_some()).map(file).collect::<Vec<_>>(),
        "entries_added": plan.files.iter().map(|f| f.entries).sum::<usize>(),
        "skipped": plan.skipped,
        "differences": plan.differences.iter().map(|d| serde_json::json!({
            "sheet": d.at.sheet, "row": d.at.row, "customer": d.customer, "file": d.file,
            "key": d.key, "kept": masker.text(&d.key, &d.kept),
            "sheet_value": masker.text(&d.key, &d.sheet_value),
        })).collect::<Vec<_>>(),
        "refused": plan.refused,
        "notes": plan.notes,
        "check": {
            "errors": errors,
            "warnings": findings.len() - errors,
            "diagnostics": findings.iter().map(|f| serde_json::json!({
                "file": f.file.display().to_string(),
                "line": f.diagnostic.line,
                "column": f.diagnostic.column,
                "severity": f.diagnostic.severity,
                "code": f.diagnostic.code.to_string(),
                "message": f.diagnostic.message,
            })).collect::<Vec<_>>(),
        },
    })
}
