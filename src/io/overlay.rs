//! The private overlay: a git-ignored `followup.private.toml` that holds confidential values
//! (phone, e-mail, WeChat, configured keys) so they never enter the shared repository.
//! One table per customer, named by its path under the customers folder without `.md`:
//!
//! ```toml
//! ["acme".contact]
//! phone = "+86 138 0000 0000"
//! ```

use crate::model::toml_path;
#[cfg(test)]
use std::path::Path;
use toml_edit::{DocumentMut, Item, Table, Value};

#[derive(Debug, Clone, Default)]
pub struct Overlay {
    doc: DocumentMut,
}

/// The overlay's name for a customer file: `customers/east/acme.md` → `east/acme`.
pub use crate::model::summary::customer_key;

impl Overlay {
    pub fn parse(text: &str) -> Result<Overlay, String> {
        text.parse::<DocumentMut>()
            .map(|doc| Overlay { doc })
            .map_err(|e| e.message().trim().to_string())
    }

    fn customer(&self, key: &str) -> Option<&Table> {
        self.doc.get(key)?.as_table()
    }

    /// Every (dotted key, value) stored for a customer.
    pub fn values(&self, key: &str) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        if let Some(t) = self.customer(key) {
            collect(t, "", &mut out);
        }
        out
    }

    #[cfg(test)]
    pub fn get(&self, key: &str, dotted: &str) -> Option<&Value> {
        toml_path::get(self.customer(key)?, dotted)?.as_value()
    }

    pub fn set(&mut self, key: &str, dotted: &str, value: Value) -> Result<(), String> {
        let mut fresh = Table::new();
        fresh.set_implicit(true);
        let entry = self.doc.entry(key).or_insert(Item::Table(fresh));
        let table = entry
            .as_table_mut()
            .ok_or_else(|| format!("`{key}` in the overlay is not a table"))?;
        toml_path::set(table, dotted, value)
    }

    /// Drops everything stored for a customer; `true` when there was something.
    pub fn drop_customer(&mut self, key: &str) -> bool {
        self.doc.remove(key).is_some()
    }

    pub fn remove(&mut self, key: &str, dotted: &str) {
        if let Some(t) = self.doc.get_mut(key).and_then(Item::as_table_mut) {
            toml_path::remove(t, dotted);
        }
    }
}

impl std::fmt::Display for Overlay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.doc)
    }
}

fn collect(table: &dyn toml_edit::TableLike, prefix: &str, out: &mut Vec<(String, Value)>) {
    for (k, item) in table.iter() {
        let path = if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        };
        match item {
            Item::Value(Value::InlineTable(t)) => collect(t, &path, out),
            Item::Value(v) => out.push((path, v.clone())),
            Item::Table(t) => collect(t, &path, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_per_customer() {
        let mut o = Overlay::parse("").unwrap();
        o.set("east/华东", "contact.phone", Value::from("+86 1"))
            .unwrap();
        o.set("acme", "contact.email", Value::from("a@b.c"))
            .unwrap();
        let text = o.to_string();
        let o = Overlay::parse(&text).unwrap();
        assert_eq!(
            o.get("east/华东", "contact.phone").and_then(Value::as_str),
            Some("+86 1")
        );
        assert_eq!(o.values("acme").len(), 1);
        assert_eq!(
            customer_key(Path::new("customers/east/华东.md"), "customers"),
            "east/华东"
        );
    }
}
