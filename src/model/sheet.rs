//! A spreadsheet as the importer reads it: cells and tables (`io/sheet.rs` fills them from
//! xlsx/xls/ods/csv), the template's two tables recognised by their Chinese or English headers,
//! the rules file for any other sheet (column → key, value maps, date formats, default owner,
//! which sheet is which), and the small languages of cells: dates as sheets hold them, amounts
//! (`65万`, `¥650,000`), lists, ticked boxes, decision-chain people. Pure: no file, no clock.

use crate::model::customer::role_key;
use crate::model::names::identity;
use crate::msg::{Text, m};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

/// One cell as the sheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A date cell (Excel's date-formatted serial, an ODS date): its day; a time is dropped.
    Date(NaiveDate),
    Bool(bool),
}

impl Cell {
    /// The cell as text, as a person reads it: `800` (not `800.0`), dates `2024-03-01`,
    /// line endings `\n`, a spreadsheet's formula guard (`'=…`) removed.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => unneutralise(&t.replace("\r\n", "\n").replace('\r', "\n"))
                .trim()
                .to_string(),
            Cell::Number(n) => number_text(*n),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// 800.0 → `800`, 13800001234.0 → `13800001234`, 1.5 → `1.5`.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The `'` that a formula-neutralising export (ours, OWASP's advice) puts before `=`, `+`, `-`,
/// `@`, a tab or a carriage return is taken off again, so an exported sheet reads back as it was.
pub fn unneutralise(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

/// A sheet: a workbook's tab, or a CSV file. Rows keep their 1-based number in the sheet.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The tab's name, or the CSV file's name.
    pub sheet: String,
    pub rows: Vec<(usize, Vec<Cell>)>,
}

/// Which of the template's two tables a sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// 客户档案: one row per customer.
    Profiles,
    /// 跟进记录: one row per contact.
    Records,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Profiles => "profiles",
            Kind::Records => "records",
        }
    }
}

/// The built-in column names of the profile table: key ← header names (Chinese, English).
/// The first name of each is the header `export csv` writes. Keys are front-matter keys, plus
/// `size` (a number is `size.employees`, other text `size.description`), `decision_chain`
/// (lines `ROLE: NAME (TITLE)`), `decision_chain.ROLE` (lines `NAME (TITLE)`), `notes` (the
/// free text under the title), `folder` (the sub-folder of customers/) and `file` (the file's
/// path under customers/ without `.md`, as `export csv` writes it; both only name a new file,
/// made safe like `new`'s names).
pub const PROFILE_COLUMNS: &[(&str, &[&str])] = &[
    (
        "name",
        &[
            "客户名称",
            "公司名称",
            "客户",
            "公司",
            "企业名称",
            "客户全称",
            "单位名称",
            "name",
            "customer",
            "company",
            "customer name",
            "company name",
        ],
    ),
    ("industry", &["行业", "所属行业", "行业类型", "industry"]),
    (
        "size",
        &[
            "规模",
            "公司规模",
            "企业规模",
            "人员规模",
            "员工数",
            "员工人数",
            "人数",
            "size",
            "employees",
            "headcount",
        ],
    ),
    (
        "size.revenue",
        &["营收", "年营收", "营业额", "年营业额", "revenue"],
    ),
    (
        "contact.name",
        &[
            "联系人",
            "联系人姓名",
            "对接人",
            "客户联系人",
            "contact",
            "contact name",
        ],
    ),
    (
        "contact.title",
        &[
            "职位",
            "职务",
            "联系人职位",
            "岗位",
            "title",
            "position",
            "job title",
        ],
    ),
    (
        "contact.phone",
        &[
            "电话",
            "手机",
            "手机号",
            "手机号码",
            "联系电话",
            "电话号码",
            "phone",
            "mobile",
            "tel",
            "telephone",
        ],
    ),
    (
        "contact.email",
        &[
            "邮箱",
            "电子邮箱",
            "邮件地址",
            "email",
            "e-mail",
            "email address",
        ],
    ),
    ("contact.wechat", &["微信", "微信号", "wechat", "wechat id"]),
    (
        "stage",
        &["阶段", "客户阶段", "销售阶段", "跟进阶段", "stage"],
    ),
    ("status", &["状态", "客户状态", "跟进状态", "status"]),
    ("priority", &["优先级", "重要程度", "重要性", "priority"]),
    (
        "owner",
        &[
            "负责人",
            "销售负责人",
            "客户经理",
            "归属销售",
            "跟进人",
            "销售",
            "owner",
            "sales rep",
            "rep",
            "salesperson",
        ],
    ),
    ("budget", &["预算", "budget"]),
    (
        "pain_points",
        &["痛点", "需求痛点", "客户痛点", "pain points", "pain_points"],
    ),
    (
        "decision_chain",
        &["决策链", "decision chain", "decision_chain"],
    ),
    (
        "decision_chain.decision-maker",
        &["决策人", "决策者", "decision maker", "decision-maker"],
    ),
    (
        "decision_chain.influencer",
        &["影响者", "影响人", "influencer"],
    ),
    (
        "decision_chain.key-person",
        &["关键人", "key person", "key-person"],
    ),
    (
        "decision_chain.evaluator",
        &["评估者", "评估人", "evaluator"],
    ),
    (
        "next.action",
        &[
            "下一步",
            "下一步计划",
            "下一步行动",
            "next",
            "next action",
            "next step",
        ],
    ),
    (
        "next.due",
        &[
            "截止日期",
            "下次跟进日期",
            "计划日期",
            "下次联系日期",
            "due",
            "deadline",
            "next due",
        ],
    ),
    (
        "deal.amount",
        &[
            "预计金额",
            "金额",
            "合同金额",
            "成交金额",
            "预计成交金额",
            "商机金额",
            "amount",
            "deal amount",
        ],
    ),
    ("deal.currency", &["币种", "货币", "currency"]),
    (
        "deal.expected_close",
        &[
            "预计成交日期",
            "预计成交时间",
            "预计签约日期",
            "expected close",
            "close date",
        ],
    ),
    (
        "deal.obstacle",
        &["障碍", "阻碍", "卡点", "主要障碍", "obstacle"],
    ),
    ("tags", &["标签", "tags"]),
    ("created", &["创建日期", "建档日期", "录入日期", "created"]),
    ("cadence", &["跟进频率", "跟进周期", "cadence"]),
    (
        "paused_until",
        &["暂缓至", "暂停至", "paused until", "paused_until"],
    ),
    ("notes", &["备注", "说明", "notes", "remarks"]),
    ("folder", &["分组", "文件夹", "folder", "group"]),
    ("file", &["文件", "file"]),
];

/// The built-in column names of the follow-up record table. Keys: `customer`, `date`,
/// `channel`, `message` (the discussion), `author`, `how` (how an objection was handled, line by
/// line with `objection`), `fields` (other `KEY: VALUE` lines), and the entry's field keys.
pub const RECORD_COLUMNS: &[(&str, &[&str])] = &[
    (
        "date",
        &[
            "日期",
            "跟进日期",
            "跟进时间",
            "联系日期",
            "沟通日期",
            "拜访日期",
            "date",
            "contact date",
        ],
    ),
    (
        "customer",
        &[
            "客户",
            "客户名称",
            "公司",
            "公司名称",
            "企业名称",
            "customer",
            "company",
            "customer name",
            "company name",
        ],
    ),
    (
        "channel",
        &[
            "跟进方式",
            "方式",
            "渠道",
            "沟通方式",
            "联系方式",
            "跟进渠道",
            "channel",
            "method",
        ],
    ),
    (
        "message",
        &[
            "沟通内容",
            "跟进内容",
            "内容",
            "沟通记录",
            "跟进记录",
            "记录",
            "详情",
            "message",
            "content",
            "discussion",
            "summary",
        ],
    ),
    ("feedback", &["反馈", "客户反馈", "feedback"]),
    (
        "objection",
        &["异议", "客户异议", "异议类型", "objection", "objections"],
    ),
    (
        "how",
        &[
            "处理方式",
            "异议处理",
            "应对方式",
            "应对",
            "处理",
            "handling",
            "how handled",
        ],
    ),
    (
        "promised",
        &[
            "承诺",
            "承诺事项",
            "我方承诺",
            "promised",
            "promise",
            "promises",
        ],
    ),
    ("assist", &["协助", "需协助", "协助事项", "assist"]),
    (
        "next",
        &[
            "下一步",
            "下一步计划",
            "下一步行动",
            "next",
            "next step",
            "next action",
        ],
    ),
    (
        "due",
        &[
            "截止日期",
            "下次跟进日期",
            "计划日期",
            "下次联系日期",
            "due",
            "deadline",
        ],
    ),
    (
        "outcome",
        &["结果", "跟进结果", "接通情况", "outcome", "result"],
    ),
    ("stage", &["阶段", "客户阶段", "stage"]),
    ("status", &["状态", "status"]),
    ("amount", &["金额", "amount"]),
    ("reason", &["原因", "丢单原因", "reason"]),
    ("fields", &["其他", "其他字段", "fields", "other"]),
    (
        "author",
        &["跟进人", "记录人", "销售", "负责人", "author", "by", "rep"],
    ),
];

/// The columns of a kind.
pub fn columns_of(kind: Kind) -> &'static [(&'static str, &'static [&'static str])] {
    match kind {
        Kind::Profiles => PROFILE_COLUMNS,
        Kind::Records => RECORD_COLUMNS,
    }
}

/// The header `export csv` writes for a key (the first built-in name).
pub fn header_of(kind: Kind, key: &str) -> &'static str {
    columns_of(kind)
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, names)| names[0])
}

/// A header as compared: compatibility form, lower case, without spaces, `_`, `-`, a trailing
/// `*` or colon, or a bracketed note (`金额（万元）`, `Date (YYYY-MM-DD)`).
pub fn normalise_header(text: &str) -> String {
    let t: String = text.nfkc().collect::<String>().to_lowercase();
    let mut t = t.trim().to_string();
    // A bracketed note at the end: (…) [… ] 【…】 — the NFKC form turned （） into ().
    loop {
        let trimmed = t.trim_end().trim_end_matches(['*', ':', '：']).trim_end();
        let cut = [('(', ')'), ('[', ']'), ('【', '】')]
            .iter()
            .find_map(|(open, close)| {
                trimmed
                    .ends_with(*close)
                    .then(|| trimmed.rfind(*open))
                    .flatten()
                    .filter(|&i| i > 0)
            });
        match cut {
            Some(i) => t = trimmed[..i].to_string(),
            None => {
                t = trimmed.to_string();
                break;
            }
        }
    }
    t.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .collect()
}

/// What a column becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Key(String),
    Skip,
}

/// The rules file: how to read sheets the built-in names do not fit (docs/import.md).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Owner of new customers that name none, and author of entries that name none.
    #[serde(default)]
    pub owner: Option<String>,
    /// Channel of a record that names none.
    #[serde(default)]
    pub channel: Option<String>,
    /// chrono formats tried before the built-in date forms, like `%d/%m/%Y`.
    #[serde(default)]
    pub date_formats: Vec<String>,
    /// Header → key, for every sheet.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Key → (cell value → value written).
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    pub sheets: Vec<SheetRules>,
}

/// Rules for one sheet, by its name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetRules {
    pub name: String,
    /// `profiles`, `records` or `skip` (else recognised by the headers).
    #[serde(default)]
    pub kind: Option<String>,
    /// The 1-based row that holds the headers (else the first row that looks like one).
    #[serde(default)]
    pub header_row: Option<usize>,
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

/// What a sheet's rules say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    Is(Kind),
    Skip,
}

impl Rules {
    /// Reads a rules file; the error is one sentence with the line.
    pub fn parse(text: &str) -> Result<Rules, (usize, Text)> {
        let rules: Rules = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            // The TOML parser's own detail, as it gives it.
            (line, Text::raw(e.message().trim()))
        })?;
        let line_of = |needle: &str| {
            text.lines()
                .position(|l| l.contains(needle))
                .map_or(1, |i| i + 1)
        };
        for f in &rules.date_formats {
            if !valid_format(f) {
                return Err((line_of(f), m::IMP_RULES_DATE_FORMAT.with("format", f)));
            }
        }
        let all_columns = rules
            .columns
            .iter()
            .chain(rules.sheets.iter().flat_map(|s| s.columns.iter()));
        for (header, key) in all_columns {
            if !valid_target(key) {
                return Err((
                    line_of(header),
                    m::IMP_RULES_COLUMN.with("header", header).with("key", key),
                ));
            }
        }
        for sheet in &rules.sheets {
            if let Some(kind) = &sheet.kind
                && parse_kind(kind).is_none()
            {
                return Err((
                    line_of(kind),
                    m::IMP_RULES_KIND
                        .with("sheet", &sheet.name)
                        .with("kind", kind),
                ));
            }
            if sheet.header_row == Some(0) {
                return Err((
                    line_of("header_row"),
                    m::IMP_RULES_HEADER_ROW.with("sheet", &sheet.name),
                ));
            }
        }
        Ok(rules)
    }

    /// The rules of the sheet with this name (names compared by identity).
    pub fn sheet(&self, name: &str) -> Option<&SheetRules> {
        let wanted = identity(name);
        self.sheets.iter().find(|s| identity(&s.name) == wanted)
    }

    /// The column a header maps to by these rules: the sheet's own, then the global ones.
    fn column(&self, sheet: Option<&SheetRules>, header: &str) -> Option<Target> {
        let wanted = normalise_header(header);
        let find = |map: &BTreeMap<String, String>| {
            map.iter()
                .find(|(h, _)| normalise_header(h) == wanted)
                .map(|(_, k)| {
                    let k = k.trim();
                    if k.is_empty() || k.eq_ignore_ascii_case("skip") {
                        Target::Skip
                    } else {
                        Target::Key(k.to_string())
                    }
                })
        };
        sheet
            .and_then(|s| find(&s.columns))
            .or_else(|| find(&self.columns))
    }

    /// A cell's text through the value map of `key`: exact, then by identity.
    pub fn map_value(&self, key: &str, text: &str) -> String {
        let Some(map) = self.values.get(key) else {
            return text.to_string();
        };
        let t = text.trim();
        if let Some(v) = map.get(t) {
            return v.clone();
        }
        let wanted = identity(t);
        map.iter()
            .find(|(k, _)| identity(k) == wanted)
            .map_or_else(|| text.to_string(), |(_, v)| v.clone())
    }
}

pub fn parse_kind(text: &str) -> Option<SheetKind> {
    match text.trim().to_lowercase().as_str() {
        "profiles" | "profile" | "customers" | "客户档案" | "客户" => {
            Some(SheetKind::Is(Kind::Profiles))
        }
        "records" | "record" | "follow-ups" | "followups" | "跟进记录" | "记录" => {
            Some(SheetKind::Is(Kind::Records))
        }
        "skip" | "ignore" | "跳过" => Some(SheetKind::Skip),
        _ => None,
    }
}

fn valid_target(key: &str) -> bool {
    let k = key.trim();
    k.is_empty()
        || k.eq_ignore_ascii_case("skip")
        || k.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
}

fn valid_format(format: &str) -> bool {
    use chrono::format::{Item, StrftimeItems};
    let items: Vec<Item<'_>> = StrftimeItems::new(format).collect();
    if items.iter().any(|i| matches!(i, Item::Error)) {
        return false;
    }
    // It must read back a date it wrote.
    let probe = NaiveDate::from_ymd_opt(2024, 11, 23).unwrap_or_default();
    // (A format a date cannot fill, such as `%s` or `%Z`, fails here: `to_string` would panic.)
    let mut shown = String::new();
    if std::fmt::Write::write_fmt(&mut shown, format_args!("{}", probe.format(format))).is_err() {
        return false;
    }
    NaiveDate::parse_from_str(&shown, format).ok() == Some(probe)
}

/// How a sheet was read: its kind, the header row and what each column becomes.
#[derive(Debug, Clone)]
pub struct Layout {
    pub kind: Kind,
    /// The 1-based row of the headers.
    pub header_row: usize,
    /// (column index, header as written, key).
    pub columns: Vec<(usize, String, String)>,
    /// Headers that nothing reads: unknown, skipped, or a second column for a key.
    pub unused: Vec<String>,
}

/// Why a sheet is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRead {
    /// The rules say `kind = "skip"`.
    Skipped,
    /// Empty.
    Empty,
    /// No row looks like a header row of either table.
    NoHeaders,
}

/// Recognises a sheet: which table it is, the header row and each column's key. Without rules
/// the header row is the row among the first 20 with the most recognised headers that holds a
/// customer column (and a date column, for records).
pub fn layout(table: &Table, rules: &Rules) -> Result<Layout, NotRead> {
    let sheet_rules = rules.sheet(&table.sheet);
    let forced = sheet_rules
        .and_then(|s| s.kind.as_deref())
        .and_then(parse_kind);
    if forced == Some(SheetKind::Skip) {
        return Err(NotRead::Skipped);
    }
    if table.rows.is_empty() {
        return Err(NotRead::Empty);
    }
    let kinds: Vec<Kind> = match forced {
        Some(SheetKind::Is(k)) => vec![k],
        _ => vec![Kind::Records, Kind::Profiles],
    };
    let candidates: Vec<&(usize, Vec<Cell>)> = match sheet_rules.and_then(|s| s.header_row) {
        Some(n) => table.rows.iter().filter(|(r, _)| *r == n).collect(),
        None => table.rows.iter().take(20).collect(),
    };
    let mut best: Option<(usize, Layout)> = None;
    for (row, cells) in candidates {
        for &kind in &kinds {
            let l = read_headers(*row, cells, kind, rules, sheet_rules);
            let keys: Vec<&str> = l.columns.iter().map(|(_, _, k)| k.as_str()).collect();
            let complete = match kind {
                Kind::Records => keys.contains(&"date") && keys.contains(&"customer"),
                Kind::Profiles => keys.contains(&"name"),
            };
            let score = l.columns.len();
            let enough = complete && (score >= 2 || forced.is_some());
            if enough && best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, l));
            }
        }
    }
    best.map(|(_, l)| l).ok_or(NotRead::NoHeaders)
}

fn read_headers(
    row: usize,
    cells: &[Cell],
    kind: Kind,
    rules: &Rules,
    sheet: Option<&SheetRules>,
) -> Layout {
    // (column, header, key, rank of the name among the key's built-in names)
    let mut found: Vec<(usize, String, String, usize)> = Vec::new();
    let mut unused = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let header = cell.text();
        if header.is_empty() {
            continue;
        }
        match rules.column(sheet, &header) {
            Some(Target::Key(k)) => found.push((i, header, builtin_key(kind, &k), 0)),
            Some(Target::Skip) => unused.push(header),
            None => match builtin(kind, &header) {
                Some((key, rank)) => found.push((i, header, key.to_string(), rank + 1)),
                None => unused.push(header),
            },
        }
    }
    // A key read from two columns: the rules' column, else the better-known name, wins.
    let mut columns: Vec<(usize, String, String)> = Vec::new();
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by_key(|&i| (found[i].3, found[i].0));
    let mut taken: Vec<String> = Vec::new();
    let mut keep = vec![false; found.len()];
    for i in order {
        if !taken.contains(&found[i].2) {
            taken.push(found[i].2.clone());
            keep[i] = true;
        }
    }
    for (i, (col, header, key, _)) in found.into_iter().enumerate() {
        if keep[i] {
            columns.push((col, header, key));
        } else {
            unused.push(header);
        }
    }
    Layout {
        kind,
        header_row: row,
        columns,
        unused,
    }
}

/// A rules key, with the built-in names of the kind accepted as keys too (`客户` → customer).
fn builtin_key(kind: Kind, key: &str) -> String {
    match builtin(kind, key) {
        Some((k, _)) if !key.is_ascii() => k.to_string(),
        _ => key.to_string(),
    }
}

fn builtin(kind: Kind, header: &str) -> Option<(&'static str, usize)> {
    let wanted = normalise_header(header);
    columns_of(kind).iter().find_map(|(key, names)| {
        names
            .iter()
            .position(|n| normalise_header(n) == wanted)
            .map(|rank| (*key, rank))
    })
}

/// The date forms a sheet holds, tried in order: the rules' formats, then ISO `2024-03-01`,
/// `2024/3/1`, `2024.3.1`, `2024年3月1日`, `20240301`, an Excel serial number (`45352`), each
/// optionally followed by a time, which is dropped.
pub fn sheet_date(cell: &Cell, formats: &[String]) -> Result<NaiveDate, Text> {
    let checked = |d: NaiveDate| {
        let year = chrono::Datelike::year(&d);
        if (1900..=9999).contains(&year) {
            Ok(d)
        } else {
            Err(m::IMP_DATE_RANGE.with("date", d))
        }
    };
    match cell {
        Cell::Date(d) => checked(*d),
        Cell::Number(n) => excel_serial(*n).map_or_else(
            || Err(m::IMP_NOT_EXCEL_DATE.with("value", number_text(*n))),
            checked,
        ),
        Cell::Empty => Err(m::IMP_DATE_EMPTY.into()),
        other => {
            let text = other.text();
            text_date(&text, formats)
                .map_or_else(|| Err(m::IMP_NOT_A_DATE.with("value", text)), checked)
        }
    }
}

/// An Excel serial day (1900 system): 1 is 1900-01-01, 61 is 1900-03-01 (Excel counts a
/// 1900-02-29 that never was, serial 60, which is refused). The time of day is dropped.
pub fn excel_serial(n: f64) -> Option<NaiveDate> {
    if !n.is_finite() || !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let days = n.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    match days {
        60 => None,
        d if d < 60 => base.checked_add_signed(chrono::Duration::days(d + 1)),
        d => base.checked_add_signed(chrono::Duration::days(d)),
    }
}

fn text_date(text: &str, formats: &[String]) -> Option<NaiveDate> {
    let t = text.trim();
    for f in formats {
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            return Some(d);
        }
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(t, f) {
            return Some(dt.date());
        }
    }
    // The date part: before a space or a `T` followed by a time.
    let date_part = t
        .split_once([' ', 'T'])
        .filter(|(_, time)| time.trim().starts_with(|c: char| c.is_ascii_digit()))
        .map_or(t, |(d, _)| d.trim());
    if let Some(rest) = date_part.strip_suffix('日').or(Some(date_part))
        && let Some((y, rest)) = rest.split_once('年')
        && let Some((m, d)) = rest.split_once('月')
    {
        return ymd(y, m, d);
    }
    for sep in ['-', '/', '.'] {
        let parts: Vec<&str> = date_part.split(sep).collect();
        if parts.len() == 3 && parts[0].len() == 4 {
            return ymd(parts[0], parts[1], parts[2]);
        }
    }
    let digits = date_part.chars().all(|c| c.is_ascii_digit());
    if digits && date_part.len() == 8 {
        return ymd(&date_part[..4], &date_part[4..6], &date_part[6..]);
    }
    if digits && date_part.len() == 5 {
        return date_part.parse::<f64>().ok().and_then(excel_serial);
    }
    None
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let num = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let y = num(y).filter(|_| y.trim().len() == 4)?;
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, num(m)?, num(d)?)
}

/// A number as sheets write amounts: `650000`, `650,000`, `¥650,000.00`, `65万`, `1.2亿`,
/// `650000元`; `None` for anything else.
pub fn sheet_number(cell: &Cell) -> Option<f64> {
    if let Cell::Number(n) = cell {
        return n.is_finite().then_some(*n);
    }
    let text = cell.text();
    let mut t: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | '_' | ' ' | '¥' | '￥' | '$'))
        .collect();
    for unit in ["元", "rmb", "RMB", "CNY", "cny"] {
        if let Some(rest) = t.strip_suffix(unit) {
            t = rest.to_string();
        }
    }
    let (t, factor) = if let Some(rest) = t.strip_suffix('万') {
        (rest.to_string(), 10_000.0)
    } else if let Some(rest) = t.strip_suffix('亿') {
        (rest.to_string(), 100_000_000.0)
    } else {
        (t, 1.0)
    };
    let n: f64 = t.parse().ok().filter(|n: &f64| n.is_finite())?;
    Some((n * factor * 100.0).round() / 100.0)
}

/// A head count: `800`, `800人`, `800 名员工`, `800 employees`.
pub fn head_count(cell: &Cell) -> Option<i64> {
    if let Cell::Number(n) = cell {
        return (n.fract() == 0.0 && *n >= 0.0 && *n < 1e12).then_some(*n as i64);
    }
    let text = cell.text();
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let rest = text[digits.len()..].trim().to_lowercase();
    let known = [
        "",
        "人",
        "名",
        "名员工",
        "人员",
        "employees",
        "people",
        "staff",
    ];
    (!digits.is_empty() && known.contains(&rest.as_str()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// The items of a list cell: one per line when the cell has line breaks, else separated by
/// `；` `;` `、` `，` `,`.
pub fn sheet_list(text: &str) -> Vec<String> {
    let items: Vec<&str> = if text.contains('\n') {
        text.split('\n').collect()
    } else {
        text.split(['；', ';', '、', '，', ',']).collect()
    };
    items
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The lines of a cell that holds one value per line (feedback, promises …).
pub fn cell_lines(text: &str) -> Vec<String> {
    text.split('\n')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A task box at the start of a cell line: `[x] ` / `✓` / `☑` ticked, `[ ] ` / `☐` open.
pub fn task_box(line: &str) -> (Option<bool>, &str) {
    let t = line.trim_start();
    for (prefix, done) in [
        ("[x]", true),
        ("[X]", true),
        ("[ ]", false),
        ("✓", true),
        ("✔", true),
        ("√", true),
        ("☑", true),
        ("☐", false),
    ] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return (Some(done), rest.trim_start());
        }
    }
    (None, t)
}

/// One person of a decision chain from a cell line: `ROLE: NAME (TITLE)`, or `NAME (TITLE)`
/// with the column's role. Full-width brackets and colons work too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub title: Option<String>,
    /// As written (`决策人` stays Chinese); `None` when the line names none.
    pub role: Option<String>,
}

pub fn person(line: &str, role: Option<&str>) -> Person {
    let mut rest = line.trim();
    let mut role = role.map(str::to_string);
    if let Some((head, tail)) = rest.split_once([':', '：'])
        && role_key(head).is_some()
    {
        role = Some(head.trim().to_string());
        rest = tail.trim();
    }
    let (name, title) = match rest
        .strip_suffix(')')
        .and_then(|r| r.rfind('(').map(|i| (r, i)))
        .or_else(|| {
            rest.strip_suffix('）')
                .and_then(|r| r.rfind('（').map(|i| (r, i)))
        }) {
        Some((r, i)) if i > 0 => {
            let open = r[i..].chars().next().map_or(1, char::len_utf8);
            (r[..i].trim(), Some(r[i + open..].trim().to_string()))
        }
        _ => (rest, None),
    };
    Person {
        name: name.to_string(),
        title: title.filter(|t| !t.is_empty()),
        role,
    }
}

/// A person as `export csv` writes them: `ROLE: NAME (TITLE)`.
pub fn person_text(p: &Person) -> String {
    let mut out = String::new();
    if let Some(r) = &p.role {
        out.push_str(r);
        out.push_str(": ");
    }
    out.push_str(&p.name);
    if let Some(t) = &p.title {
        out.push_str(&format!(" ({t})"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Result<NaiveDate, Text> {
        sheet_date(&Cell::Text(text.into()), &[])
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_as_sheets_hold_them() {
        for text in [
            "2024-03-01",
            "2024/3/1",
            "2024.3.1",
            "2024年3月1日",
            "2024年03月01日",
            "2024-3-1",
            "20240301",
            "45352",
            "2024/3/1 14:30",
            "2024-03-01T09:00:00",
        ] {
            assert_eq!(date(text), Ok(d(2024, 3, 1)), "{text}");
        }
        assert_eq!(sheet_date(&Cell::Number(45352.75), &[]), Ok(d(2024, 3, 1)));
        assert_eq!(excel_serial(1.0), Some(d(1900, 1, 1)));
        assert_eq!(excel_serial(59.0), Some(d(1900, 2, 28)));
        assert_eq!(excel_serial(60.0), None);
        assert_eq!(excel_serial(61.0), Some(d(1900, 3, 1)));
        assert!(date("3/1/2024").is_err());
        assert!(date("2024-02-30").is_err());
        assert!(date("next week").unwrap_err().contains("2024年3月1日"));
        let us = vec!["%m/%d/%Y".to_string()];
        assert_eq!(
            sheet_date(&Cell::Text("3/1/2024".into()), &us),
            Ok(d(2024, 3, 1))
        );
    }

    #[test]
    fn headers_are_recognised_in_both_languages() {
        assert_eq!(normalise_header(" 客户名称* "), "客户名称");
        assert_eq!(normalise_header("金额（万元）"), "金额");
        assert_eq!(normalise_header("Customer Name"), "customername");
        let row = |cells: &[&str]| {
            cells
                .iter()
                .map(|c| Cell::Text((*c).into()))
                .collect::<Vec<_>>()
        };
        let table = Table {
            sheet: "Sheet1".into(),
            rows: vec![
                (1, row(&["销售跟进记录表"])),
                (
                    2,
                    row(&["序号", "日期", "客户", "跟进方式", "沟通内容", "跟进人"]),
                ),
            ],
        };
        let l = layout(&table, &Rules::default()).unwrap();
        assert_eq!(l.kind, Kind::Records);
        assert_eq!(l.header_row, 2);
        assert_eq!(l.unused, ["序号"]);
        let keys: Vec<&str> = l.columns.iter().map(|c| c.2.as_str()).collect();
        assert_eq!(keys, ["date", "customer", "channel", "message", "author"]);
        let table = Table {
            sheet: "Customers".into(),
            rows: vec![(
                1,
                row(&["Company", "Industry", "Contact", "Phone", "Owner"]),
            )],
        };
        let l = layout(&table, &Rules::default()).unwrap();
        assert_eq!(l.kind, Kind::Profiles);
        let keys: Vec<&str> = l.columns.iter().map(|c| c.2.as_str()).collect();
        assert_eq!(
            keys,
            ["name", "industry", "contact.name", "contact.phone", "owner"]
        );
    }

    #[test]
    fn rules_map_columns_and_values() {
        let rules = Rules::parse(
            "owner = \"li.wei\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\n\"公司\" = \"name\"\n\"意向程度\" = \"stage\"\n\"内部编号\" = \"\"\n[values.stage]\n\"A类\" = \"intent\"\n[[sheets]]\nname = \"表2\"\nkind = \"profiles\"\n",
        )
        .unwrap();
        assert_eq!(rules.map_value("stage", "A类"), "intent");
        assert_eq!(rules.map_value("stage", "B类"), "B类");
        let table = Table {
            sheet: "表2".into(),
            rows: vec![(
                1,
                vec![
                    Cell::Text("公司".into()),
                    Cell::Text("意向程度".into()),
                    Cell::Text("内部编号".into()),
                ],
            )],
        };
        let l = layout(&table, &rules).unwrap();
        assert_eq!(l.kind, Kind::Profiles);
        assert_eq!(l.unused, ["内部编号"]);
        assert!(
            Rules::parse("colums = {}\n")
                .unwrap_err()
                .1
                .contains("colums")
        );
        assert!(Rules::parse("date_formats = [\"%Q\"]\n").is_err());
        // Formats a date cannot fill are refused, not a panic.
        assert!(Rules::parse("date_formats = [\"%s\"]\n").is_err());
        assert!(Rules::parse("date_formats = [\"%Y-%m-%d %Z\"]\n").is_err());
        assert!(
            Rules::parse("[[sheets]]\nname = \"x\"\nkind = \"people\"\n")
                .unwrap_err()
                .1
                .contains("people")
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 2000,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// No cell text panics a reader of cells, whatever a hostile sheet holds.
        #[test]
        fn no_cell_panics(text in "[ -~年月日万亿（）()【】：:；;、，,\\n\\r'*\u{3000}-\u{303f}\u{4e00}-\u{4e10}]{0,40}", n in proptest::prelude::any::<f64>()) {
            let cell = Cell::Text(text.clone());
            let _ = sheet_date(&cell, &["%d/%m/%Y".to_string()]);
            let _ = sheet_date(&Cell::Number(n), &[]);
            let _ = sheet_number(&cell);
            let _ = head_count(&cell);
            let _ = normalise_header(&text);
            let _ = sheet_list(&text);
            let _ = task_box(&text);
            let _ = person_text(&person(&text, None));
            let _ = cell.text();
            let _ = Rules::parse(&text);
        }
    }

    #[test]
    fn cells_speak_small_languages() {
        assert_eq!(sheet_number(&Cell::Text("¥650,000".into())), Some(650000.0));
        assert_eq!(sheet_number(&Cell::Text("65万".into())), Some(650000.0));
        assert_eq!(sheet_number(&Cell::Text("about 5".into())), None);
        assert_eq!(head_count(&Cell::Text("800人".into())), Some(800));
        assert_eq!(head_count(&Cell::Text("中型".into())), None);
        assert_eq!(sheet_list("a；b、c"), ["a", "b", "c"]);
        assert_eq!(sheet_list("a, b\nc"), ["a, b", "c"]);
        assert_eq!(task_box("[x] send it"), (Some(true), "send it"));
        assert_eq!(task_box("send it"), (None, "send it"));
        assert_eq!(Cell::Text("'+86 138".into()).text(), "+86 138");
        assert_eq!(Cell::Text("'hello".into()).text(), "'hello");
        assert_eq!(Cell::Number(13800001234.0).text(), "13800001234");
        let p = person("决策人：张伟（运营总监）", None);
        assert_eq!(
            p,
            Person {
                name: "张伟".into(),
                title: Some("运营总监".into()),
                role: Some("决策人".into())
            }
        );
        let p = person("Zhang Wei (Operations Director)", Some("decision-maker"));
        assert_eq!(p.title.as_deref(), Some("Operations Director"));
        assert_eq!(
            person_text(&p),
            "decision-maker: Zhang Wei (Operations Director)"
        );
    }
}
