//! Issue 17: moving a team off its spreadsheet (`followup import`) and handing the data to BI
//! (`followup export sqlite`, `followup export csv`). Every test runs the real binary with today
//! pinned to 2026-11-26 on sheets built here: .xlsx files written with rust_xlsxwriter and CSV
//! files in the template's shape, with Chinese headers, bad rows, duplicates and an existing
//! folder.

mod common;

use common::Sandbox;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;

/// A cell of a sheet built for a test.
#[derive(Clone)]
enum C {
    S(&'static str),
    N(f64),
    /// A date cell: Excel's serial number with a date format, as Excel saves a typed date.
    D(u16, u8, u8),
    E,
}

fn xlsx(path: &Path, sheets: &[(&str, Vec<Vec<C>>)]) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    C::S(s) => {
                        sheet.write_string(r, c, *s).unwrap();
                    }
                    C::N(n) => {
                        sheet.write_number(r, c, *n).unwrap();
                    }
                    C::D(y, m, d) => {
                        let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                        sheet.write_datetime_with_format(r, c, &dt, &date).unwrap();
                    }
                    C::E => {}
                }
            }
        }
    }
    book.save(path).unwrap();
}

fn row(cells: &[&'static str]) -> Vec<C> {
    cells
        .iter()
        .map(|c| if c.is_empty() { C::E } else { C::S(c) })
        .collect()
}

/// An existing folder: one customer logged by hand, one that has nothing to do with the sheet.
fn existing_folder() -> Sandbox {
    let sb = Sandbox::empty();
    sb.run(&["init", "."]).ok();
    sb.write(
        "customers/acme-manufacturing.md",
        "+++
name = \"Acme Manufacturing\"
industry = \"Manufacturing\"
owner = \"li.wei\"
stage = \"intent\"   # moved from potential in September
status = \"active\"
priority = \"high\"
created = 2026-08-20

[contact]
name = \"Wang Fang\"
+++

# Acme Manufacturing

## 2026-09-01 email @li.wei

Sent the tailored proposal.

- feedback: needs a data-integration module
",
    );
    sb.write(
        "customers/blue-river.md",
        "+++
name = \"Blue River\"
industry = \"Logistics\"
owner = \"zhang.min\"
stage = \"potential\"
status = \"active\"
priority = \"medium\"
created = 2026-09-15

[contact]
name = \"Tom Chen\"
+++

# Blue River
",
    );
    sb
}

const PROFILE_HEADERS: [&str; 14] = [
    "客户名称",
    "行业",
    "规模",
    "联系人",
    "职位",
    "电话",
    "邮箱",
    "阶段",
    "优先级",
    "负责人",
    "预算",
    "痛点",
    "决策人",
    "备注",
];

const RECORD_HEADERS: [&str; 12] = [
    "日期",
    "客户",
    "跟进方式",
    "沟通内容",
    "客户反馈",
    "异议",
    "处理方式",
    "承诺",
    "下一步",
    "截止日期",
    "结果",
    "跟进人",
];

/// The template's workbook: a title row above the headers, typed dates, serial numbers,
/// Chinese dates, a customer named in another width and case, duplicates and bad rows.
fn template_workbook(path: &Path) {
    let mut profiles = vec![
        row(&["客户档案表（2026）"]),
        row(&PROFILE_HEADERS),
        // The existing customer, named differently: gains the missing keys; 行业 differs.
        row(&[
            "ＡＣＭＥ  manufacturing",
            "制造",
            "",
            "Wang Fang",
            "采购经理",
            "",
            "",
            "意向",
            "高",
            "li.wei",
            "",
            "",
            "",
            "",
        ]),
        row(&[
            "华东精密机械",
            "机械制造",
            "1200人",
            "陈丽",
            "生产总监",
            "",
            "chenli@hd.example",
            "意向客户",
            "高",
            "zhang.min",
            "80-120万",
            "生产排程靠 Excel；质检数据无法追溯",
            "周建国（总经理）",
            "展会认识，对排产模块感兴趣。",
        ]),
        // A stage the team does not have: the row is refused, its records too.
        row(&[
            "坏数据公司",
            "贸易",
            "",
            "李雷",
            "",
            "",
            "",
            "谈判中",
            "",
            "li.wei",
            "",
            "",
            "",
            "",
        ]),
    ];
    // A phone typed as a number, as Excel keeps it.
    profiles[3][5] = C::N(13912345678.0);
    let records = vec![
        row(&RECORD_HEADERS),
        // Already in acme's file: skipped.
        row(&[
            "2026-09-01",
            "Acme Manufacturing",
            "邮件",
            "Sent the tailored proposal.",
            "needs a data-integration module",
            "",
            "",
            "",
            "",
            "",
            "",
            "li.wei",
        ]),
        row(&[
            "2026/10/12",
            "acme manufacturing",
            "电话",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "未接",
            "li.wei",
        ]),
        vec![
            C::D(2026, 10, 20),
            C::S("华东精密机械"),
            C::S("拜访"),
            C::S("现场看了排产流程，插单最痛。"),
            C::S("希望先试用一个车间"),
            C::S("价格"),
            C::S("提供分期付款"),
            C::S("发送试用协议 (due 2026-11-20)"),
            C::S("技术交流"),
            C::S("2026年12月1日"),
            C::E,
            C::S("zhang.min"),
        ],
        // An Excel serial number in a text column.
        vec![
            C::N(46301.0),
            C::S("华东精密机械"),
            C::S("电话"),
            C::S("初次电话，约了现场拜访。"),
            C::E,
            C::E,
            C::E,
            C::E,
            C::E,
            C::E,
            C::E,
            C::S("zhang.min"),
        ],
        // The same row twice: the second is skipped.
        vec![
            C::N(46301.0),
            C::S("华东精密机械"),
            C::S("电话"),
            C::S("初次电话，约了现场拜访。"),
            C::E,
            C::E,
            C::E,
            C::E,
            C::E,
            C::E,
            C::E,
            C::S("zhang.min"),
        ],
        // Bad rows: a date that does not exist, an unknown outcome, a customer whose profile
        // was refused.
        row(&[
            "2026-02-30",
            "华东精密机械",
            "电话",
            "x",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]),
        row(&[
            "2026.11.3",
            "华东精密机械",
            "电话",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "也许",
            "",
        ]),
        row(&[
            "2026-11-05",
            "坏数据公司",
            "电话",
            "谈价格",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "li.wei",
        ]),
    ];
    xlsx(path, &[("客户档案", profiles), ("跟进记录", records)]);
}

const CREATED: &str = "+++
name = \"华东精密机械\"
industry = \"机械制造\"
owner = \"zhang.min\"
stage = \"意向\"
status = \"active\"
priority = \"高\"
created = 2026-10-06
pain_points = [\"生产排程靠 Excel\", \"质检数据无法追溯\"]
budget = \"80-120万\"
size = { employees = 1200 }

[contact]
name = \"陈丽\"
title = \"生产总监\"
phone = \"13912345678\"
email = \"chenli@hd.example\"

[[decision_chain]]
name = \"周建国\"
title = \"总经理\"
role = \"决策人\"

[next]
action = \"技术交流\"
due = 2026-12-01
+++

# 华东精密机械

展会认识，对排产模块感兴趣。

## 2026-10-06 phone @zhang.min

初次电话，约了现场拜访。

## 2026-10-20 visit @zhang.min

现场看了排产流程，插单最痛。

- feedback: 希望先试用一个车间
- objection: 价格 — 提供分期付款
- [ ] promised: 发送试用协议 (due 2026-11-20)
- next: 技术交流 (due 2026-12-01)
";

const UPDATED: &str = "+++
name = \"Acme Manufacturing\"
industry = \"Manufacturing\"
owner = \"li.wei\"
stage = \"intent\"   # moved from potential in September
status = \"active\"
priority = \"high\"
created = 2026-08-20

[contact]
name = \"Wang Fang\"
title = \"采购经理\"
+++

# Acme Manufacturing

## 2026-09-01 email @li.wei

Sent the tailored proposal.

- feedback: needs a data-integration module

## 2026-10-12 phone @li.wei

- outcome: 未接
";

#[test]
fn an_xlsx_in_the_template_shape_imports_into_an_existing_folder() {
    let sb = existing_folder();
    template_workbook(&sb.path().join("销售跟进.xlsx"));
    let untouched = sb.read("customers/blue-river.md");
    let run = sb.run(&["import", "销售跟进.xlsx"]).code(1);
    // The new customer: named like `new`, its profile in `new`'s order, the notes under
    // the title, the entries in date order with their own dates, channels and authors.
    assert_eq!(sb.read("customers/华东精密机械.md"), CREATED);
    // The existing one gains only what it lacked: its industry stays, a comment stays.
    assert_eq!(sb.read("customers/acme-manufacturing.md"), UPDATED);
    assert_eq!(sb.read("customers/blue-river.md"), untouched);
    assert!(!sb.path().join("customers/坏数据公司.md").exists());
    let out = &run.stdout;
    assert!(
        out.contains("Read 销售跟进.xlsx › 客户档案 as profiles (headers in row 2, 3 rows)"),
        "{out}"
    );
    assert!(
        out.contains("created  customers/华东精密机械.md  华东精密机械: 15 keys, 2 entries"),
        "{out}"
    );
    assert!(
        out.contains(
            "updated  customers/acme-manufacturing.md  Acme Manufacturing: + contact.title; 1 entry"
        ),
        "{out}"
    );
    // Skipped: the entry already in the file, and the second of two equal rows.
    assert!(
        out.contains("跟进记录 row 2: Acme Manufacturing 2026-09-01 email"),
        "{out}"
    );
    assert!(
        out.contains("跟进记录 row 6: 华东精密机械 2026-10-06 phone"),
        "{out}"
    );
    // The differing value, with its sheet, row, key and both values; never written.
    assert!(
        out.contains(
            "客户档案 row 3: Acme Manufacturing industry: kept `Manufacturing`, sheet `制造`"
        ),
        "{out}"
    );
    // Each refused row by its sheet and number, with why; the others imported.
    assert!(
        out.contains("客户档案 row 5 (坏数据公司): column 阶段: unknown stage `谈判中`"),
        "{out}"
    );
    assert!(
        out.contains("跟进记录 row 7 (华东精密机械): column 日期: `2026-02-30` is not a date"),
        "{out}"
    );
    assert!(
        out.contains("跟进记录 row 8 (华东精密机械): column 结果: outcome `也许` is unknown"),
        "{out}"
    );
    assert!(
        out.contains(
            "跟进记录 row 9 (坏数据公司): customer `坏数据公司`'s profile row was refused"
        ),
        "{out}"
    );
    assert!(
        out.contains("1 customer created, 1 updated, 3 entries added, 2 skipped, 1 value differs, 4 rows refused; check: 0 errors, 0 warnings."),
        "{out}"
    );
    // The result passes check.
    sb.run(&["check"]).ok();
    // A second import of the same sheet changes nothing, byte for byte.
    let before = sb.snapshot();
    let again = sb.run(&["import", "销售跟进.xlsx"]).code(1);
    assert_eq!(sb.snapshot(), before);
    assert!(
        again
            .stdout
            .contains("0 customers created, 0 updated, 0 entries added, 5 skipped"),
        "{}",
        again.stdout
    );
    // Work done in the folder since (a promise ticked) does not bring the row back.
    sb.run(&["done", "华东精密机械", "试用协议"]).ok();
    let ticked = sb.snapshot();
    sb.run(&["import", "销售跟进.xlsx"]).code(1);
    assert_eq!(sb.snapshot(), ticked);
}

#[test]
fn a_dry_run_writes_nothing_and_prints_the_plan_with_check() {
    let sb = existing_folder();
    template_workbook(&sb.path().join("t.xlsx"));
    let before = sb.snapshot();
    let run = sb.run(&["import", "t.xlsx", "--dry-run"]).code(1);
    assert_eq!(sb.snapshot(), before, "a dry run wrote something");
    let out = &run.stdout;
    assert!(out.starts_with("Dry run: nothing was written.\n"), "{out}");
    assert!(out.contains("created  customers/华东精密机械.md"), "{out}");
    assert!(
        out.contains("Would be: 1 customer created, 1 updated, 3 entries added"),
        "{out}"
    );
    // The same plan as the real run: the dry run's JSON names what would be written.
    let json = sb
        .run(&["import", "t.xlsx", "--dry-run", "--json"])
        .code(1)
        .json();
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["created"][0]["file"], "customers/华东精密机械.md");
    assert_eq!(json["created"][0]["entries"], 2);
    assert_eq!(json["updated"][0]["keys"][0], "contact.title");
    assert_eq!(json["entries_added"], 3);
    assert_eq!(json["skipped"].as_array().unwrap().len(), 2);
    assert_eq!(json["differences"][0]["key"], "industry");
    assert_eq!(json["refused"].as_array().unwrap().len(), 4);
    assert_eq!(json["refused"][0]["sheet"], "客户档案");
    assert_eq!(json["refused"][0]["row"], 5);
    assert_eq!(json["check"]["errors"], 0);
    // In the team's language.
    let zh = sb
        .run(&["import", "t.xlsx", "--dry-run", "--lang", "zh"])
        .code(1);
    assert!(
        zh.stdout.starts_with("试运行：没有写入任何文件。\n"),
        "{}",
        zh.stdout
    );
    assert!(
        zh.stdout.contains(
            "跟进记录 第 7 行（华东精密机械）：日期 列：`2026-02-30` 不是日期；请写成 2024-03-01"
        ),
        "{}",
        zh.stdout
    );
    assert!(
        zh.stdout.contains(
            "将会新建 1 个客户，更新 1 个，新增 3 条记录，跳过 2 条已有记录，1 个值不同，4 行未导入"
        ),
        "{}",
        zh.stdout
    );
    assert_eq!(sb.snapshot(), before);

    // The check of the result is run on the planned files: a new customer without the
    // required industry is reported before anything is written.
    sb.write(
        "thin.csv",
        "\u{feff}客户名称,负责人,联系人\n新客户,li.wei,王五\n",
    );
    sb.write(
        "good.csv",
        "日期,客户,跟进方式,沟通内容\n2026-11-20,Blue River,电话,确认了试用时间\n",
    );
    sb.write("notes.txt", "just text, no table\n");
    sb.write("bad-rules.toml", "[colums]\n");
    let before = sb.snapshot();
    let run = sb.run(&["import", "thin.csv", "--dry-run"]).ok();
    assert!(
        run.stdout.contains(
            "customers/新客户.md:1:1: error[missing-field]: required field `industry` is missing"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("check: 1 error, 0 warnings."),
        "{}",
        run.stdout
    );
    // Exit 0 when no row is refused; 2 for a usage or I/O error.
    sb.run(&["import", "good.csv", "--dry-run"]).ok();
    let missing = sb.run(&["import", "nope.xlsx"]).code(2);
    assert!(
        missing.stderr.starts_with("error: nope.xlsx"),
        "{}",
        missing.stderr
    );
    let no_table = sb.run(&["import", "notes.txt"]).code(2);
    assert!(
        no_table
            .stderr
            .contains("has no sheet with the template's headers"),
        "{}",
        no_table.stderr
    );
    let not_sheet = sb.run(&["import", "followup.toml"]).code(2);
    assert!(
        not_sheet.stderr.contains("is not a spreadsheet"),
        "{}",
        not_sheet.stderr
    );
    let no_such_sheet = sb.run(&["import", "t.xlsx", "--sheet", "2019"]).code(2);
    assert!(
        no_such_sheet
            .stderr
            .contains("has no sheet `2019`; its sheets are: 客户档案, 跟进记录"),
        "{}",
        no_such_sheet.stderr
    );
    let bad_rules = sb
        .run(&["import", "good.csv", "--rules", "bad-rules.toml"])
        .code(2);
    assert!(
        bad_rules.stderr.contains("bad-rules.toml:1:"),
        "{}",
        bad_rules.stderr
    );
    // None of them wrote anything.
    assert_eq!(sb.snapshot(), before);
    assert!(!bad_rules.stderr.contains("panicked"));
}

/// Every line of the report in the session's language, from the catalogue — the problems
/// `log`'s planner finds in a column too — while the JSON stays English whatever the language.
#[test]
fn the_report_speaks_chinese_and_the_json_stays_english() {
    let sb = existing_folder();
    template_workbook(&sb.path().join("t.xlsx"));
    sb.write(
        "thin.csv",
        "\u{feff}客户名称,负责人,联系人,内部编号\n新客户,li.wei,王五,7\n",
    );
    sb.write(
        "r.csv",
        "日期,客户,跟进方式,金额,其他,处理方式\n\
         2026-11-20,Blue River,电话,abc,,\n\
         2026-11-21,Blue River,电话,,foo bar,\n\
         2026-11-22,Blue River,电话,,,换个说法\n",
    );
    let before = sb.snapshot();
    let zh = sb
        .run(&[
            "import",
            "t.xlsx",
            "thin.csv",
            "r.csv",
            "--dry-run",
            "--lang",
            "zh",
        ])
        .code(1)
        .stdout;
    for line in [
        "已读取 t.xlsx › 客户档案：客户档案（表头在第 2 行，3 行数据）。",
        "  未导入的列：内部编号",
        "  新建  customers/华东精密机械.md  华东精密机械：15 个字段，2 条记录",
        "  更新  customers/acme-manufacturing.md  Acme Manufacturing：补充 contact.title；1 条记录",
        "已跳过 2 条已有的记录（日期、方式和内容相同）：",
        "  客户档案 第 3 行：Acme Manufacturing 的 industry：保留 `Manufacturing`，表格为 `制造`",
        "  跟进记录 第 8 行（华东精密机械）：结果 列：结果 `也许` 无法识别",
        "  r.csv 第 2 行（Blue River）：金额 列：`abc` 不是数字，例如 650000 或 65万",
        "  r.csv 第 3 行（Blue River）：其他 列：`foo bar` 不是「字段: 值」的写法",
        "  r.csv 第 4 行（Blue River）：写了异议的处理方式，但没有写异议",
        "  customers/新客户.md:1:1: error[missing-field]: 缺少必填字段 `industry`；",
    ] {
        assert!(zh.contains(line), "{line}\n{zh}");
    }
    let json = sb
        .run(&[
            "import",
            "t.xlsx",
            "thin.csv",
            "--dry-run",
            "--json",
            "--lang",
            "zh",
        ])
        .code(1)
        .json();
    assert_eq!(
        json["refused"][0]["message"],
        "column 阶段: unknown stage `谈判中`; use one of: potential (潜在), intent (意向), won (成交), maintenance (维护)"
    );
    let d = &json["check"]["diagnostics"][0];
    assert_eq!(d["message"], "required field `industry` is missing");
    assert_eq!(d["hint"], "add `industry = \"…\"` to the front matter");
    // Errors too.
    let err = sb
        .run(&["import", "t.xlsx", "--sheet", "2019", "--lang", "zh"])
        .code(2);
    assert!(
        err.stderr
            .contains("t.xlsx 中没有工作表 `2019`；其中的工作表有：客户档案、跟进记录"),
        "{}",
        err.stderr
    );
    assert_eq!(sb.snapshot(), before);
}

#[test]
fn csv_files_import_with_chinese_headers_in_the_encodings_excel_writes() {
    let sb = existing_folder();
    // Profiles as UTF-8 with a BOM, records as GB18030 (Excel's "CSV" in Chinese), `--sheet`
    // picking one sheet of a workbook is refused for a CSV.
    sb.write(
        "客户档案.csv",
        "\u{feff}客户名称,行业,联系人,电话,阶段,负责人\n杭州云帆贸易,贸易,赵敏,+86 158 6666 7777,潜在,zhang.min\n",
    );
    let records = "日期,客户,跟进方式,沟通内容,反馈,异议\n\
                   2026年9月1日,杭州云帆贸易,电话,展会名片，电话初次沟通。,库存分散在三个海外仓,\n\
                   2026.10.10,杭州云帆贸易,微信,,年底前不考虑采购,时机\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(records);
    sb.write("跟进记录.csv", gbk);
    let run = sb.run(&["import", "客户档案.csv", "跟进记录.csv"]).ok();
    assert!(
        run.stdout
            .contains("1 customer created, 0 updated, 2 entries added"),
        "{}",
        run.stdout
    );
    assert_eq!(
        sb.read("customers/杭州云帆贸易.md"),
        "+++
name = \"杭州云帆贸易\"
industry = \"贸易\"
owner = \"zhang.min\"
stage = \"潜在\"
status = \"active\"
priority = \"medium\"
created = 2026-09-01

[contact]
name = \"赵敏\"
phone = \"+86 158 6666 7777\"
+++

# 杭州云帆贸易

## 2026-09-01 phone @zhang.min

展会名片，电话初次沟通。

- feedback: 库存分散在三个海外仓

## 2026-10-10 wechat @zhang.min

- feedback: 年底前不考虑采购
- objection: 时机
"
    );
    sb.run(&["check"]).ok();
    let csv_sheet = sb.run(&["import", "客户档案.csv", "--sheet", "x"]).code(2);
    assert!(
        csv_sheet.stderr.contains("is a CSV file"),
        "{}",
        csv_sheet.stderr
    );
    // Records alone, for customers the folder has: no profile sheet is needed. A ticked
    // promise keeps its box and its done date.
    sb.write(
        "more.csv",
        "日期,客户,跟进方式,沟通内容,承诺\n2026-11-19,杭州云帆贸易,电话,明年一季度有预算,\"[x] 发送报价 (due 2026-11-20) (done 2026-11-19)\n报价说明会\"\n",
    );
    let before = sb.read("customers/杭州云帆贸易.md");
    sb.run(&["import", "more.csv"]).ok();
    assert_eq!(
        sb.read("customers/杭州云帆贸易.md"),
        format!(
            "{before}\n## 2026-11-19 phone @zhang.min\n\n明年一季度有预算\n\n- [x] promised: 发送报价 (due 2026-11-20) (done 2026-11-19)\n- [ ] promised: 报价说明会\n"
        )
    );
}

#[test]
fn contact_data_goes_to_the_private_overlay_when_the_folder_has_one() {
    let sb = existing_folder();
    sb.run(&["init", "--private"]).ok();
    template_workbook(&sb.path().join("t.xlsx"));
    sb.run(&["import", "t.xlsx"]).code(1);
    let shared = sb.read("customers/华东精密机械.md");
    assert!(!shared.contains("13912345678"), "{shared}");
    assert!(!shared.contains("chenli@hd.example"), "{shared}");
    assert!(
        shared.contains("[contact]\nname = \"陈丽\"\ntitle = \"生产总监\"\n"),
        "{shared}"
    );
    let overlay = sb.read("followup.private.toml");
    assert!(overlay.contains("[\"华东精密机械\".contact]"), "{overlay}");
    assert!(overlay.contains("phone = \"13912345678\""), "{overlay}");
    assert!(
        overlay.contains("email = \"chenli@hd.example\""),
        "{overlay}"
    );
    // check finds no confidential value in a shared file; show --reveal finds them.
    sb.run(&["check", "--deny-warnings"]).ok();
    let show = sb.run(&["show", "华东精密机械", "--reveal"]).ok();
    assert!(show.stdout.contains("13912345678"), "{}", show.stdout);
    // The overlay counts as the file's: a second import changes nothing.
    let before = sb.snapshot();
    sb.run(&["import", "t.xlsx"]).code(1);
    assert_eq!(sb.snapshot(), before);
}

#[test]
fn a_rules_file_reads_a_sheet_in_another_shape() {
    let sb = existing_folder();
    xlsx(
        &sb.path().join("old.xlsx"),
        &[
            ("说明", vec![row(&["这个工作簿是 2024 年的旧表"])]),
            (
                "2024客户",
                vec![
                    row(&["导出于 2024-12-31", "", ""]),
                    row(&["", "", ""]),
                    row(&["公司", "意向程度", "手机", "内部编号"]),
                    row(&["宁波汽配", "A类", "139 0000 1111", "N-001"]),
                ],
            ),
            (
                "2024跟进",
                vec![
                    row(&["时间", "公司", "形式", "情况", "接通"]),
                    row(&["05/11/2024", "宁波汽配", "电话", "报价已发", "接了"]),
                    row(&["06/11/2024", "宁波汽配", "电话", "", "没人接"]),
                ],
            ),
        ],
    );
    sb.write(
        "rules.toml",
        "# The 2024 sheet
owner = \"wang.lei\"
date_formats = [\"%d/%m/%Y\"]

[columns]
\"公司\" = \"customer\"
\"内部编号\" = \"\"

[values.stage]
\"A类\" = \"intent\"

[values.outcome]
\"接了\" = \"reached\"
\"没人接\" = \"no-answer\"

[[sheets]]
name = \"2024客户\"
kind = \"profiles\"
header_row = 3
columns = { \"公司\" = \"name\", \"意向程度\" = \"stage\", \"手机\" = \"contact.phone\" }

[[sheets]]
name = \"2024跟进\"
kind = \"records\"
columns = { \"时间\" = \"date\", \"形式\" = \"channel\", \"情况\" = \"message\", \"接通\" = \"outcome\" }
",
    );
    let run = sb
        .run(&["import", "old.xlsx", "--rules", "rules.toml"])
        .ok();
    assert!(
        run.stdout.contains("Skipped old.xlsx › 说明"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Columns not imported: 内部编号"),
        "{}",
        run.stdout
    );
    // No industry or contact name in that sheet: check says so, nothing else is wrong.
    assert!(
        run.stdout.contains("check: 2 errors, 0 warnings."),
        "{}",
        run.stdout
    );
    assert_eq!(
        sb.read("customers/宁波汽配.md"),
        "+++
name = \"宁波汽配\"
owner = \"wang.lei\"
stage = \"intent\"
status = \"active\"
priority = \"medium\"
created = 2024-11-05

[contact]
phone = \"139 0000 1111\"
+++

# 宁波汽配

## 2024-11-05 phone @wang.lei

报价已发

- outcome: reached

## 2024-11-06 phone @wang.lei

- outcome: no-answer
"
    );
    // Only one sheet, by name.
    let before = sb.snapshot();
    let one = sb
        .run(&[
            "import",
            "old.xlsx",
            "--rules",
            "rules.toml",
            "--sheet",
            "2024跟进",
            "--dry-run",
        ])
        .ok();
    assert!(!one.stdout.contains("2024客户"), "{}", one.stdout);
    assert!(one.stdout.contains("2 skipped"), "{}", one.stdout);
    assert_eq!(sb.snapshot(), before);
}

/// `stats --period all --json` and SQL over the exported database count the same.
#[test]
fn the_sqlite_export_counts_what_stats_counts() {
    let sb = Sandbox::demo();
    sb.run(&["export", "sqlite", "sales.db"]).ok();
    let stats = sb.run(&["stats", "--period", "all", "--json"]).ok().json();
    let total = &stats["total"];
    let (since, until) = (
        total["start"].as_str().unwrap().to_string(),
        total["end"].as_str().unwrap().to_string(),
    );
    let db = rusqlite::Connection::open(sb.path().join("sales.db")).unwrap();
    let count = |sql: &str| -> i64 {
        db.query_row(sql, rusqlite::params![since, until], |r| r.get(0))
            .unwrap()
    };
    let in_range = "contact = 1 AND date BETWEEN ?1 AND ?2";
    let entries = count(&format!("SELECT count(*) FROM entries WHERE {in_range}"));
    assert_eq!(entries, total["entries"].as_i64().unwrap());
    assert!(entries > 40);
    let reached = count(&format!(
        "SELECT count(*) FROM entries WHERE reached = 1 AND {in_range}"
    ));
    assert_eq!(reached, total["reached"].as_i64().unwrap());
    let won = count(
        "SELECT count(DISTINCT customer_id) FROM stage_changes WHERE win = 1 AND date BETWEEN ?1 AND ?2",
    );
    assert_eq!(won, total["won"].as_i64().unwrap());
    assert!(won > 0);
    let mut statement = db
        .prepare(
            "SELECT o.category, count(*) FROM objections o JOIN entries e ON e.id = o.entry_id
             WHERE e.contact = 1 AND e.date BETWEEN ?1 AND ?2
             GROUP BY o.category ORDER BY count(*) DESC, o.category",
        )
        .unwrap();
    let from_sql: Vec<(String, i64)> = statement
        .query_map(rusqlite::params![since, until], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut from_stats: Vec<(String, i64)> = total["objections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["category"].as_str().unwrap().to_string(),
                o["count"].as_i64().unwrap(),
            )
        })
        .collect();
    from_stats.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    assert_eq!(from_sql, from_stats);
    assert!(from_sql.len() >= 4);
    // Every table is there, and contact details are masked unless --reveal.
    for table in [
        "customers",
        "entries",
        "fields",
        "items",
        "stage_changes",
        "objections",
    ] {
        let n: i64 = db
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert!(n > 0, "{table} is empty");
    }
    let phone = |db: &rusqlite::Connection| -> String {
        db.query_row(
            "SELECT contact_phone FROM customers WHERE name = 'Acme Manufacturing'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(phone(&db), "***1234");
    drop(statement);
    drop(db);
    sb.run(&["export", "sqlite", "sales.db", "--reveal"]).ok();
    let db = rusqlite::Connection::open(sb.path().join("sales.db")).unwrap();
    assert_eq!(phone(&db), "+86 138 0000 1234");
    // A key the team made confidential: NULL in its column, masked in the JSON.
    let toml = sb.read("followup.toml");
    sb.write(
        "followup.toml",
        format!("confidential = [\"deal.amount\"]\n{toml}"),
    );
    sb.run(&["export", "sqlite", "masked.db"]).ok();
    let db = rusqlite::Connection::open(sb.path().join("masked.db")).unwrap();
    let (amount, front): (Option<f64>, String) = db
        .query_row(
            "SELECT deal_amount, front_matter FROM customers WHERE name = 'Acme Manufacturing'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(amount, None);
    assert!(!front.contains("650000"), "{front}");
    let amounts: i64 = db
        .query_row(
            "SELECT count(*) FROM fields WHERE key = 'amount' AND value GLOB '*[0-9]*'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(amounts, 0);
}

/// The front matter of a customer file as TOML values, and its path.
fn front_matters(root: &Path) -> Vec<(String, toml::Table)> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("customers")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                let text = std::fs::read_to_string(&p).unwrap();
                let front = text.split("+++\n").nth(1).unwrap();
                out.push((
                    p.strip_prefix(root).unwrap().display().to_string(),
                    toml::from_str(front).unwrap(),
                ));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The entries of a folder as the tool reads them, from its own SQLite export: per customer
/// file, each entry's date, channel, author, text and fields (key, value, box; in key order,
/// since a table's columns do not keep the order an entry listed its fields in).
fn entries(sb: &Sandbox) -> Vec<String> {
    sb.run(&["export", "sqlite", "read.db", "--reveal"]).ok();
    let db = rusqlite::Connection::open(sb.path().join("read.db")).unwrap();
    let mut statement = db
        .prepare(
            "SELECT c.file, e.date, e.channel, coalesce(e.author, ''), e.text,
                    coalesce((SELECT group_concat(x, ' | ') FROM (
                                SELECT f.key || '=' || f.value || '/' || coalesce(f.task, '-') AS x
                                FROM fields f WHERE f.entry_id = e.id ORDER BY x)), '')
             FROM entries e JOIN customers c ON c.id = e.customer_id ORDER BY c.file, e.line",
        )
        .unwrap();
    let rows: Vec<String> = statement
        .query_map([], |r| {
            Ok(format!(
                "{} {} {} @{} «{}» {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(statement);
    drop(db);
    std::fs::remove_file(sb.path().join("read.db")).unwrap();
    rows
}

#[test]
fn the_csv_export_imports_back_into_the_same_customers_and_entries() {
    let demo = Sandbox::demo();
    let run = demo.run(&["export", "csv", "tables", "--reveal"]).ok();
    assert!(run.stdout.contains("(16 customers)"), "{}", run.stdout);
    let profiles = demo.bytes("tables/客户档案.csv");
    let records = demo.bytes("tables/跟进记录.csv");
    // UTF-8 with a byte-order mark, the template's Chinese headers, formulas neutralised.
    assert!(profiles.starts_with("\u{feff}客户名称,行业,规模,".as_bytes()));
    assert!(
        records
            .starts_with("\u{feff}日期,客户,跟进方式,沟通内容,反馈,异议,处理方式,承诺".as_bytes())
    );
    assert!(String::from_utf8_lossy(&profiles).contains(",'+86 138 0000 1234,"));

    // Into an empty folder with the team's settings.
    let fresh = Sandbox::empty();
    fresh.run(&["init", "."]).ok();
    std::fs::copy(
        demo.path().join("followup.toml"),
        fresh.path().join("followup.toml"),
    )
    .unwrap();
    fresh.write("客户档案.csv", &profiles);
    fresh.write("跟进记录.csv", &records);
    let run = fresh.run(&["import", "跟进记录.csv", "客户档案.csv"]).ok();
    assert!(
        run.stdout.contains("16 customers created, 0 updated, 57 entries added, 0 skipped, 0 values differ, 0 rows refused; check: 0 errors"),
        "{}",
        run.stdout
    );
    std::fs::remove_file(fresh.path().join("客户档案.csv")).unwrap();
    std::fs::remove_file(fresh.path().join("跟进记录.csv")).unwrap();
    // The same files, the same front matter (as TOML values), the same entries.
    assert_eq!(front_matters(fresh.path()), front_matters(demo.path()));
    assert_eq!(entries(&fresh), entries(&demo));
    // And the tables exported again are the same bytes.
    fresh.run(&["export", "csv", "again", "--reveal"]).ok();
    assert_eq!(fresh.bytes("again/客户档案.csv"), profiles);
    assert_eq!(fresh.bytes("again/跟进记录.csv"), records);
    fresh.run(&["check"]).ok();
    // Without --reveal the contact details are masked, and a masked value is never imported.
    demo.run(&["export", "csv", "masked"]).ok();
    let masked = demo.read("masked/客户档案.csv");
    assert!(masked.contains(",***1234,"), "{masked}");
    assert!(!masked.contains("0000 1234"), "{masked}");
    let other = Sandbox::empty();
    other.run(&["init", "."]).ok();
    other.write("p.csv", masked);
    let run = other.run(&["import", "p.csv"]).ok();
    assert!(run.stdout.contains("is a masked value"), "{}", run.stdout);
    assert!(
        !other
            .read("customers/acme-manufacturing.md")
            .contains("***")
    );
}

#[test]
fn hostile_cells_stay_text() {
    let sb = existing_folder();
    sb.write(
        "r.csv",
        "日期,客户,跟进方式,沟通内容,反馈\n\
         2026-11-20,Blue River,电话,\"## 2026-01-01 phone\n- feedback: forged\",'=HYPERLINK(\"x\")\n",
    );
    sb.run(&["import", "r.csv"]).ok();
    let file = sb.read("customers/blue-river.md");
    assert!(
        file.ends_with(
            "## 2026-11-20 phone @zhang.min\n\n\\## 2026-01-01 phone\n\\- feedback: forged\n\n- feedback: =HYPERLINK(\"x\")\n"
        ),
        "{file}"
    );
    sb.run(&["check"]).ok();
    // Exported again, the formula is neutralised once more.
    sb.run(&["export", "csv", "out"]).ok();
    assert!(sb.read("out/跟进记录.csv").contains("'=HYPERLINK"));
}

/// Not a test: writes a 1,000-row workbook in the template's shape for timing a dry run
/// (`FOLLOWUP_SHEET=/tmp/big.xlsx cargo test --release --test import -- --ignored`).
#[test]
#[ignore]
fn write_a_large_sheet() {
    let Ok(path) = std::env::var("FOLLOWUP_SHEET") else {
        return;
    };
    let customers = 200;
    let mut profiles = vec![row(&PROFILE_HEADERS)];
    let industries = ["制造", "贸易", "物流", "能源", "医疗"];
    let stages = ["潜在", "意向", "成交", "维护"];
    let names: Vec<&'static str> = (0..customers)
        .map(|i| &*Box::leak(format!("测试客户{i:03}").into_boxed_str()))
        .collect();
    for (i, name) in names.iter().enumerate() {
        profiles.push(vec![
            C::S(name),
            C::S(industries[i % 5]),
            C::N(100.0 + i as f64),
            C::S("联系人"),
            C::S("经理"),
            C::N(13800000000.0 + i as f64),
            C::E,
            C::S(stages[i % 4]),
            C::S("中"),
            C::S(if i % 2 == 0 { "li.wei" } else { "zhang.min" }),
            C::E,
            C::S("排产慢；库存不透明"),
            C::E,
            C::E,
        ]);
    }
    let mut records = vec![row(&RECORD_HEADERS)];
    let channels = ["电话", "微信", "拜访", "邮件"];
    for n in 0..(1000 - customers) {
        let i = n % customers;
        let day = 1 + (n / customers) as u8 * 5;
        records.push(vec![
            C::D(2026, 9, day),
            C::S(names[i]),
            C::S(channels[n % 4]),
            C::S("介绍了方案，客户关心交付周期。"),
            C::S("需要内部评估"),
            C::S(if n % 3 == 0 { "价格" } else { "" }),
            C::S(if n % 3 == 0 { "提供分期" } else { "" }),
            C::E,
            C::S("发送报价"),
            C::D(2026, 12, 1),
            C::E,
            C::S(if i % 2 == 0 { "li.wei" } else { "zhang.min" }),
        ]);
    }
    xlsx(
        Path::new(&path),
        &[("客户档案", profiles), ("跟进记录", records)],
    );
}
