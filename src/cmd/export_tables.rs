//! `followup export sqlite OUT.db` and `followup export csv DIR`: the folder as tables. The CSV
//! pair is the template's two tables (客户档案, 跟进记录) with the headers `import` recognises,
//! so a sheet exported and imported into an empty folder gives the same customers and entries;
//! the database (schema in docs/export.md) is for BI tools and ad-hoc SQL. Both read confidential
//! values from the file or the private overlay and mask them unless `--reveal`.

use crate::cli::{CsvArgs, SqliteArgs};
use crate::engine::stats::win_entries;
use crate::error::Result;
use crate::io::sqlite::{Sql, SqlTable};
use crate::io::store::Store;
use crate::model::config::{Config, Lang};
use crate::model::customer::Status;
use crate::model::document::Document;
use crate::model::entry::{
    Entry, Outcome, done_date, due_date, parse_change, split_done, split_due, split_objection,
};
use crate::model::record::{Record, parse_document};
use crate::model::sheet::{Kind, Person, header_of, number_text, person_text};
use crate::model::summary::customer_key;
use crate::msg::{Text, m};
use crate::present::mask::Masker;
use crate::present::render::mask;
use crate::{Ctx, Output};
use std::path::{Path, PathBuf};

/// One readable customer file: its record, its front matter as TOML values with the overlay's
/// values merged in, and the free notes under its title.
struct Customer {
    record: Record,
    front: toml::Table,
    notes: String,
    /// Its path under the customers folder without `.md` (`east/acme`).
    file: String,
}

/// Every readable customer file, in path order; an unreadable one is skipped with a warning.
fn gather(store: &Store) -> Result<Vec<Customer>> {
    let config = &store.config;
    let overlay = store.load_overlay()?;
    let mut out = Vec::new();
    for rel in store.customer_paths()? {
        let bytes = store.read(&rel)?;
        let (record, doc) = match parse_document(rel.clone(), &bytes, config) {
            Ok(parsed) => parsed,
            Err(u) => {
                store.warn_skipped(&u);
                continue;
            }
        };
        let mut front: toml::Table = toml::from_str(doc.front_matter()).unwrap_or_default();
        if let Some(o) = &overlay {
            for (dotted, value) in o.values(&customer_key(&rel, &config.customers_dir)) {
                if let Ok(t) = format!("v = {value}").parse::<toml::Table>()
                    && let Some(v) = t.get("v")
                {
                    set(&mut front, &dotted, v.clone());
                }
            }
        }
        let file = customer_key(&rel, &config.customers_dir);
        out.push(Customer {
            notes: notes(&doc, &record),
            record,
            front,
            file,
        });
    }
    Ok(out)
}

fn set(table: &mut toml::Table, dotted: &str, value: toml::Value) {
    let mut parts: Vec<&str> = dotted.split('.').collect();
    let Some(leaf) = parts.pop() else { return };
    let mut t = table;
    for p in parts {
        let entry = t
            .entry(p.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        match entry {
            toml::Value::Table(inner) => t = inner,
            _ => return,
        }
    }
    t.insert(leaf.to_string(), value);
}

fn get<'a>(table: &'a toml::Table, dotted: &str) -> Option<&'a toml::Value> {
    let mut parts = dotted.split('.');
    let mut v = table.get(parts.next()?)?;
    for p in parts {
        v = v.as_table()?.get(p)?;
    }
    Some(v)
}

/// A TOML value as a cell: strings as they are, dates `YYYY-MM-DD`, lists one item per line.
fn text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => number_text(*f),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Array(a) => a.iter().map(text).collect::<Vec<_>>().join("\n"),
        toml::Value::Table(t) => toml::to_string(t).unwrap_or_default().trim().to_string(),
    }
}

/// The free text between the title (`# Name`) and the first entry.
fn notes(doc: &Document, record: &Record) -> String {
    let body = doc.body();
    let end = record
        .entries
        .first()
        .map_or(body.len(), |e| e.start.saturating_sub(doc.body_start))
        .min(body.len());
    let head = body.get(..end).unwrap_or("");
    let mut lines: Vec<&str> = head.lines().collect();
    if let Some(i) = lines.iter().position(|l| !l.trim().is_empty())
        && lines[i].starts_with("# ")
    {
        lines.drain(..=i);
    }
    lines.join("\n").trim().to_string()
}

fn people(front: &toml::Table) -> Vec<Person> {
    let Some(toml::Value::Array(items)) = front.get("decision_chain") else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(toml::Value::as_table)
        .map(|t| {
            let s = |k: &str| t.get(k).and_then(toml::Value::as_str).map(str::to_string);
            Person {
                name: s("name").unwrap_or_default(),
                title: s("title"),
                role: s("role"),
            }
        })
        .collect()
}

/// The profile table's columns, in the template's order.
const PROFILE_KEYS: [&str; 28] = [
    "name",
    "industry",
    "size",
    "size.revenue",
    "contact.name",
    "contact.title",
    "contact.phone",
    "contact.email",
    "contact.wechat",
    "stage",
    "status",
    "priority",
    "owner",
    "budget",
    "pain_points",
    "decision_chain",
    "next.action",
    "next.due",
    "deal.amount",
    "deal.currency",
    "deal.expected_close",
    "deal.obstacle",
    "tags",
    "created",
    "cadence",
    "paused_until",
    "file",
    "notes",
];

/// The record table's columns.
const RECORD_KEYS: [&str; 18] = [
    "date",
    "customer",
    "channel",
    "message",
    "feedback",
    "objection",
    "how",
    "promised",
    "assist",
    "next",
    "due",
    "outcome",
    "stage",
    "status",
    "amount",
    "reason",
    "fields",
    "author",
];

fn profile_row(c: &Customer, masker: &Masker<'_>) -> Vec<String> {
    PROFILE_KEYS
        .iter()
        .map(|key| {
            let value = match *key {
                "name" => return c.record.customer.name.clone(),
                "file" => return c.file.clone(),
                "notes" => return c.notes.clone(),
                "size" => get(&c.front, "size.employees")
                    .or_else(|| get(&c.front, "size.description"))
                    .or_else(|| get(&c.front, "size").filter(|v| !v.is_table())),
                "decision_chain" => {
                    let lines: Vec<String> = people(&c.front).iter().map(person_text).collect();
                    return masker.text("decision_chain", &lines.join("\n"));
                }
                k => get(&c.front, k),
            };
            let Some(v) = value else {
                return String::new();
            };
            let key = if *key == "size" {
                "size.employees"
            } else {
                key
            };
            match v {
                toml::Value::Integer(_) | toml::Value::Float(_) if masker.hides(key) => mask(""),
                v => masker.text(key, &text(v)),
            }
        })
        .collect()
}

/// An entry's cells by the record table's columns: one line per field of a column, the rest
/// as `KEY: VALUE` lines under 其他.
fn record_row(c: &Customer, e: &Entry, masker: &Masker<'_>) -> Vec<String> {
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); RECORD_KEYS.len()];
    let col = |key: &str| RECORD_KEYS.iter().position(|k| *k == key).unwrap_or(0);
    cells[col("date")].push(e.date.to_string());
    cells[col("customer")].push(c.record.customer.name.clone());
    cells[col("channel")].push(e.channel.to_string());
    if !e.text.trim().is_empty() {
        cells[col("message")].push(e.text.trim().to_string());
    }
    if let Some(a) = e.author {
        cells[col("author")].push(a.to_string());
    }
    let boxed = |task: Option<bool>| match task {
        Some(true) => "[x] ",
        _ => "",
    };
    let mut objections = 0;
    for f in &e.fields {
        let value = masker.field(f.key, &f.value);
        let single = |cells: &Vec<Vec<String>>, key: &str| cells[col(key)].is_empty();
        match f.key {
            "feedback" => cells[col("feedback")].push(value),
            "objection" => {
                let (category, how) = split_objection(&value);
                cells[col("objection")].push(category.to_string());
                // Line by line with the objections: a blank line for one without.
                let hows = &mut cells[col("how")];
                while hows.len() < objections {
                    hows.push(String::new());
                }
                hows.push(how.unwrap_or("").to_string());
                objections += 1;
            }
            k @ ("promised" | "assist") => {
                cells[col(k)].push(format!("{}{value}", boxed(f.task)));
            }
            "next" if single(&cells, "next") => {
                let (action, due) = split_due(&value);
                cells[col("next")].push(action.to_string());
                if let Some(d) = due {
                    cells[col("due")].push(d.to_string());
                }
            }
            k @ ("outcome" | "stage" | "status" | "amount" | "reason") if single(&cells, k) => {
                cells[col(k)].push(value);
            }
            k => {
                let head = match f.task {
                    Some(true) => "[x] ",
                    Some(false) => "[ ] ",
                    None => "",
                };
                cells[col("fields")].push(format!("{head}{k}: {value}"));
            }
        }
    }
    // Trailing blank `how` lines say nothing.
    let hows = &mut cells[col("how")];
    while hows.last().is_some_and(String::is_empty) {
        hows.pop();
    }
    cells.into_iter().map(|c| c.join("\n")).collect()
}

fn resolve(ctx: &Ctx, path: &Path) -> PathBuf {
    ctx.start.join(path)
}

/// `export csv DIR`: 客户档案.csv and 跟进记录.csv.
pub fn csv(args: &CsvArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let lang = ctx.lang(&store);
    let masker = Masker::new(&store.config, ctx.reveal);
    let customers = gather(&store)?;
    let dir = resolve(ctx, &args.dir);
    if crate::io::store::exists(&dir) && !crate::io::store::is_dir(&dir) {
        return Err(m::EXP_CSV_DIR_IS_FILE
            .with("dir", args.dir.display())
            .into());
    }
    let headers = |kind: Kind, keys: &[&str]| -> Vec<&'static str> {
        keys.iter().map(|k| header_of(kind, k)).collect()
    };
    let profiles: Vec<Vec<String>> = customers.iter().map(|c| profile_row(c, &masker)).collect();
    let mut records: Vec<Vec<String>> = Vec::new();
    for c in &customers {
        for e in &c.record.entries {
            records.push(record_row(c, e, &masker));
        }
    }
    let files = [
        (
            "客户档案.csv",
            crate::present::render::csv(&headers(Kind::Profiles, &PROFILE_KEYS), &profiles),
        ),
        (
            "跟进记录.csv",
            crate::present::render::csv(&headers(Kind::Records, &RECORD_KEYS), &records),
        ),
    ];
    for (name, text) in &files {
        crate::io::store::write_file(&dir.join(name), text.as_bytes())?;
    }
    let wrote = m::EXP_WROTE_CSV
        .with("dir", args.dir.display())
        .with("customers", profiles.len())
        .with("entries", records.len());
    Ok(wrote_line(wrote, ctx.reveal, lang))
}

/// The database schema (docs/export.md explains each column).
const CUSTOMERS: &str = "CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  industry TEXT,
  owner TEXT,
  stage TEXT,
  stage_rank INTEGER,
  status TEXT NOT NULL,
  priority TEXT NOT NULL,
  created TEXT,
  cadence TEXT,
  paused_until TEXT,
  contact_name TEXT,
  contact_title TEXT,
  contact_phone TEXT,
  contact_email TEXT,
  contact_wechat TEXT,
  budget TEXT,
  deal_amount REAL,
  deal_currency TEXT,
  expected_close TEXT,
  obstacle TEXT,
  next_action TEXT,
  next_due TEXT,
  tags TEXT,
  first_contact TEXT,
  last_contact TEXT,
  front_matter TEXT NOT NULL
)";
const ENTRIES: &str = "CREATE TABLE entries (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  line INTEGER NOT NULL,
  date TEXT NOT NULL,
  time TEXT,
  channel TEXT NOT NULL,
  author TEXT,
  outcome TEXT NOT NULL,
  reached INTEGER NOT NULL,
  unanswered INTEGER NOT NULL,
  contact INTEGER NOT NULL,
  text TEXT NOT NULL
)";
const FIELDS: &str = "CREATE TABLE fields (
  id INTEGER PRIMARY KEY,
  entry_id INTEGER NOT NULL REFERENCES entries(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  line INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  task INTEGER
)";
const ITEMS: &str = "CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  entry_id INTEGER NOT NULL REFERENCES entries(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  line INTEGER NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  who TEXT,
  date TEXT NOT NULL,
  due TEXT,
  done INTEGER NOT NULL,
  done_date TEXT
)";
const STAGE_CHANGES: &str = "CREATE TABLE stage_changes (
  id INTEGER PRIMARY KEY,
  entry_id INTEGER NOT NULL REFERENCES entries(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  date TEXT NOT NULL,
  field TEXT NOT NULL,
  from_value TEXT,
  to_value TEXT NOT NULL,
  written TEXT NOT NULL,
  win INTEGER NOT NULL
)";
const OBJECTIONS: &str = "CREATE TABLE objections (
  id INTEGER PRIMARY KEY,
  entry_id INTEGER NOT NULL REFERENCES entries(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  date TEXT NOT NULL,
  category TEXT NOT NULL,
  known INTEGER NOT NULL,
  how TEXT,
  written TEXT NOT NULL
)";
const INFO: &str = "CREATE TABLE export_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)";
const INDEXES: [&str; 6] = [
    "CREATE INDEX entries_customer ON entries(customer_id, date)",
    "CREATE INDEX fields_entry ON fields(entry_id)",
    "CREATE INDEX items_customer ON items(customer_id)",
    "CREATE INDEX stage_changes_customer ON stage_changes(customer_id, date)",
    "CREATE INDEX objections_date ON objections(date, category)",
    "CREATE INDEX fields_key ON fields(key)",
];

/// A TOML value as JSON (dates as `YYYY-MM-DD` text).
fn json_of(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::Value::from(s.as_str()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(f) => serde_json::Value::from(*f),
        toml::Value::Boolean(b) => serde_json::Value::from(*b),
        toml::Value::Datetime(d) => serde_json::Value::from(d.to_string()),
        toml::Value::Array(a) => serde_json::Value::Array(a.iter().map(json_of).collect()),
        toml::Value::Table(t) => {
            serde_json::Value::Object(t.iter().map(|(k, v)| (k.clone(), json_of(v))).collect())
        }
    }
}

fn stage_word(config: &Config, raw: &str) -> String {
    config
        .stage_key(raw)
        .map_or_else(|| raw.trim().to_string(), str::to_string)
}

fn status_word(raw: &str) -> String {
    Status::parse(raw).map_or_else(|| raw.trim().to_string(), |s| s.key().to_string())
}

/// `export sqlite OUT.db`.
pub fn sqlite(args: &SqliteArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let config = &store.config;
    let lang = ctx.lang(&store);
    let masker = Masker::new(config, ctx.reveal);
    let customers = gather(&store)?;
    let mut rows = Rows::default();
    for (i, c) in customers.iter().enumerate() {
        let id = i + 1;
        rows.customers.push(customer_row(c, id, config, &masker));
        let wins: Vec<usize> = win_entries(&c.record, config)
            .iter()
            .map(|e| e.line)
            .collect();
        for e in &c.record.entries {
            rows.add_entry(id, e, &wins, config, &masker);
        }
    }
    let tables = rows.tables(info_rows(config, ctx));
    let counts = (tables[0].rows.len(), tables[1].rows.len());
    let out = resolve(ctx, &args.out);
    crate::io::sqlite::write(&out, &tables, &INDEXES)?;
    let wrote = m::EXP_WROTE_DB
        .with("file", args.out.display())
        .with("customers", counts.0)
        .with("entries", counts.1);
    Ok(wrote_line(wrote, ctx.reveal, lang))
}

/// What an export wrote, and that its confidential values are masked unless `--reveal`.
fn wrote_line(wrote: Text, reveal: bool, lang: Lang) -> Output {
    let line = if reveal {
        wrote
    } else {
        m::EXP_MASKED.with_text("wrote", wrote)
    };
    Output::text(line.render(lang) + "\n")
}

/// A customer's row of the `customers` table (`id` from 1).
fn customer_row(c: &Customer, id: usize, config: &Config, masker: &Masker<'_>) -> Vec<Sql> {
    let date_text = |key: &str| -> Sql {
        if masker.hides(key) {
            return Sql::Null;
        }
        get(&c.front, key).map_or(Sql::Null, |v| Sql::Text(text(v)))
    };
    let opt_text = |key: &str| -> Sql {
        get(&c.front, key).map_or(Sql::Null, |v| Sql::Text(masker.text(key, &text(v))))
    };
    let r = &c.record;
    let amount = match (masker.hides("deal.amount"), r.customer.deal_amount) {
        (false, Some(a)) => Sql::Real(a),
        _ => Sql::Null,
    };
    let front = masker.json(
        "",
        serde_json::Value::Object(
            c.front
                .iter()
                .map(|(k, v)| (k.clone(), json_of(v)))
                .collect(),
        ),
    );
    let stage_rank = r
        .customer
        .stage
        .as_deref()
        .and_then(|s| config.stage_rank(s))
        .map_or(Sql::Null, Sql::from);
    vec![
        Sql::from(id),
        Sql::from(r.path.display().to_string()),
        Sql::from(r.customer.name.clone()),
        opt_text("industry"),
        opt_text("owner"),
        Sql::from(r.customer.stage.clone()),
        stage_rank,
        Sql::from(r.customer.status().key()),
        Sql::from(r.customer.priority().key()),
        date_text("created"),
        opt_text("cadence"),
        date_text("paused_until"),
        opt_text("contact.name"),
        opt_text("contact.title"),
        opt_text("contact.phone"),
        opt_text("contact.email"),
        opt_text("contact.wechat"),
        opt_text("budget"),
        amount,
        opt_text("deal.currency"),
        date_text("deal.expected_close"),
        opt_text("deal.obstacle"),
        opt_text("next.action"),
        date_text("next.due"),
        if masker.hides("tags") {
            Sql::Null
        } else {
            Sql::from(r.customer.tags.join(","))
        },
        Sql::from(r.first_contact().map(|d| d.to_string())),
        Sql::from(r.last_contact().map(|d| d.to_string())),
        Sql::from(front.to_string()),
    ]
}

/// The rows of the database's tables, filled customer by customer.
#[derive(Default)]
struct Rows {
    customers: Vec<Vec<Sql>>,
    entries: Vec<Vec<Sql>>,
    fields: Vec<Vec<Sql>>,
    items: Vec<Vec<Sql>>,
    changes: Vec<Vec<Sql>>,
    objections: Vec<Vec<Sql>>,
}

impl Rows {
    /// An entry of customer `id` and its fields, open items, stage and status changes and
    /// objections; `wins` are the lines of the entries that made the customer won.
    fn add_entry(
        &mut self,
        id: usize,
        e: &Entry,
        wins: &[usize],
        config: &Config,
        masker: &Masker<'_>,
    ) {
        let entry_id = self.entries.len() + 1;
        let outcome = e.outcome();
        self.entries.push(vec![
            Sql::from(entry_id),
            Sql::from(id),
            Sql::from(e.line),
            Sql::from(e.date.to_string()),
            Sql::from(e.time.map(str::to_string)),
            Sql::from(e.channel),
            Sql::from(e.author.map(str::to_string)),
            Sql::from(outcome.key()),
            Sql::from(outcome == Outcome::Reached),
            Sql::from(outcome.is_unanswered()),
            Sql::from(e.is_contact()),
            Sql::from(e.text.trim().to_string()),
        ]);
        let mut win_marked = !wins.contains(&e.line);
        for f in &e.fields {
            let value = masker.field(f.key, &f.value);
            self.fields.push(vec![
                Sql::from(self.fields.len() + 1),
                Sql::from(entry_id),
                Sql::from(id),
                Sql::from(f.line),
                Sql::from(f.key),
                Sql::from(value.clone()),
                f.task.map_or(Sql::Null, Sql::from),
            ]);
            match f.key {
                "promised" | "assist" | "task" if f.key != "task" || f.task.is_some() => {
                    let (rest, _) = split_done(&f.value);
                    let (item, _) = split_due(rest);
                    let (who, item) = match (f.key, item.split_once([':', '：'])) {
                        ("assist", Some((who, what))) => {
                            (Some(who.trim().to_string()), what.trim().to_string())
                        }
                        _ => (None, item.trim().to_string()),
                    };
                    self.items.push(vec![
                        Sql::from(self.items.len() + 1),
                        Sql::from(entry_id),
                        Sql::from(id),
                        Sql::from(f.line),
                        Sql::from(f.key),
                        Sql::from(item),
                        Sql::from(who),
                        Sql::from(e.date.to_string()),
                        Sql::from(due_date(&f.value).map(|d| d.to_string())),
                        Sql::from(f.task == Some(true)),
                        Sql::from(done_date(&f.value).map(|d| d.to_string())),
                    ]);
                }
                k @ ("stage" | "status") => {
                    let (old, new) = parse_change(&f.value);
                    let word = |v: &str| {
                        if k == "stage" {
                            stage_word(config, v)
                        } else {
                            status_word(v)
                        }
                    };
                    let win = !win_marked;
                    win_marked = true;
                    self.changes.push(vec![
                        Sql::from(self.changes.len() + 1),
                        Sql::from(entry_id),
                        Sql::from(id),
                        Sql::from(e.date.to_string()),
                        Sql::from(k),
                        Sql::from(old.as_deref().map(word)),
                        Sql::from(word(&new)),
                        Sql::from(value.clone()),
                        Sql::from(win),
                    ]);
                }
                "objection" => {
                    let (raw, how) = split_objection(&f.value);
                    let known = config.objection_key(raw);
                    self.objections.push(vec![
                        Sql::from(self.objections.len() + 1),
                        Sql::from(entry_id),
                        Sql::from(id),
                        Sql::from(e.date.to_string()),
                        Sql::from(known.clone().unwrap_or_else(|| raw.trim().to_lowercase())),
                        Sql::from(known.is_some()),
                        Sql::from(how.filter(|h| !h.is_empty()).map(str::to_string)),
                        Sql::from(f.value.clone()),
                    ]);
                }
                _ => {}
            }
        }
    }

    /// The tables in the order they are created, `export_info` last.
    fn tables(self, info: Vec<Vec<Sql>>) -> [SqlTable; 7] {
        [
            SqlTable {
                create: CUSTOMERS,
                rows: self.customers,
            },
            SqlTable {
                create: ENTRIES,
                rows: self.entries,
            },
            SqlTable {
                create: FIELDS,
                rows: self.fields,
            },
            SqlTable {
                create: ITEMS,
                rows: self.items,
            },
            SqlTable {
                create: STAGE_CHANGES,
                rows: self.changes,
            },
            SqlTable {
                create: OBJECTIONS,
                rows: self.objections,
            },
            SqlTable {
                create: INFO,
                rows: info,
            },
        ]
    }
}

/// The `export_info` table: what made the file, when, and what is masked.
fn info_rows(config: &Config, ctx: &Ctx) -> Vec<Vec<Sql>> {
    let confidential: Vec<&str> = config.confidential_keys().collect();
    vec![
        vec![
            Sql::from("generated_by"),
            Sql::from(format!("followup {}", env!("CARGO_PKG_VERSION"))),
        ],
        vec![Sql::from("today"), Sql::from(ctx.today.to_string())],
        vec![
            Sql::from("masked"),
            Sql::from(if ctx.reveal {
                "no (--reveal)".to_string()
            } else {
                format!("yes: {}", confidential.join(", "))
            }),
        ],
        vec![
            Sql::from("stages"),
            Sql::from(
                config
                    .stages
                    .iter()
                    .map(|s| s.key.clone())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
        ],
        vec![
            Sql::from("won_stage"),
            Sql::from(config.won_stage().map(|s| s.key.clone())),
        ],
    ]
}
