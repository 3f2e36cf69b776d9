//! The one place that writes SQLite (rusqlite, SQLite compiled in): a database of plain tables
//! built in one transaction in a temporary file next to the target, then renamed over it — a
//! BI tool reading the old file never sees half a new one.

use crate::error::{Error, Result};
use crate::msg::m;
use rusqlite::types::Value as SqlValue;
use std::path::Path;

/// A cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Sql {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl From<Option<String>> for Sql {
    fn from(v: Option<String>) -> Sql {
        v.map_or(Sql::Null, Sql::Text)
    }
}

impl From<String> for Sql {
    fn from(v: String) -> Sql {
        Sql::Text(v)
    }
}

impl From<&str> for Sql {
    fn from(v: &str) -> Sql {
        Sql::Text(v.to_string())
    }
}

impl From<bool> for Sql {
    fn from(v: bool) -> Sql {
        Sql::Int(i64::from(v))
    }
}

impl From<usize> for Sql {
    fn from(v: usize) -> Sql {
        Sql::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

/// One table: its `CREATE TABLE name (…)` statement and its rows, each a value per column in
/// the statement's order.
pub struct SqlTable {
    pub create: &'static str,
    pub rows: Vec<Vec<Sql>>,
}

impl SqlTable {
    /// The statement that inserts one row: the table's name from its `CREATE TABLE`, a
    /// placeholder per value (SQLite refuses a row of the wrong length).
    fn insert(&self) -> String {
        let name = self
            .create
            .trim_start_matches("CREATE TABLE ")
            .split([' ', '('])
            .next()
            .unwrap_or_default();
        let width = self.rows.first().map_or(0, Vec::len);
        format!(
            "INSERT INTO {name} VALUES ({})",
            vec!["?"; width].join(", ")
        )
    }
}

/// Writes `tables` (and then `extra` statements, such as indexes) to a new database at `out`,
/// replacing any file there.
pub fn write(out: &Path, tables: &[SqlTable], extra: &[&str]) -> Result<()> {
    if out.is_dir() {
        return Err(m::EXP_DB_IS_FOLDER.with("dir", out.display()).into());
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, &e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".followup-export-")
        .suffix(".db")
        .tempfile_in(&dir)
        .map_err(|e| Error::io(&dir, &e))?;
    let failed = |e: rusqlite::Error| Error::Io {
        path: out.to_path_buf(),
        message: m::E_DB_WRITE.with("detail", e),
    };
    {
        let mut db = rusqlite::Connection::open(tmp.path()).map_err(failed)?;
        let tx = db.transaction().map_err(failed)?;
        for table in tables {
            tx.execute_batch(table.create).map_err(failed)?;
            if table.rows.is_empty() {
                continue;
            }
            let mut insert = tx.prepare(&table.insert()).map_err(failed)?;
            for row in &table.rows {
                let values = row.iter().map(|c| match c {
                    Sql::Null => SqlValue::Null,
                    Sql::Int(i) => SqlValue::Integer(*i),
                    Sql::Real(f) => SqlValue::Real(*f),
                    Sql::Text(t) => SqlValue::Text(t.clone()),
                });
                insert
                    .execute(rusqlite::params_from_iter(values))
                    .map_err(failed)?;
            }
        }
        for statement in extra {
            tx.execute_batch(statement).map_err(failed)?;
        }
        tx.commit().map_err(failed)?;
        db.close().map_err(|(_, e)| failed(e))?;
    }
    tmp.persist(out).map_err(|e| Error::io(out, &e.error))?;
    Ok(())
}
