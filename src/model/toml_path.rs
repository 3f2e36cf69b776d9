//! Dotted keys (`contact.name`, `next.due`) in TOML front matter: the one place that walks
//! tables and inline tables by path, to read, set or remove a value.

use toml_edit::{Item, Table, Value};

/// Follows a dotted key (`contact.name`) through tables and inline tables.
pub fn get<'a>(root: &'a Table, dotted: &str) -> Option<&'a Item> {
    let mut parts = dotted.split('.');
    let mut item = root.get(parts.next()?)?;
    for part in parts {
        item = item.as_table_like()?.get(part)?;
    }
    Some(item)
}

/// Sets a dotted key in a table, creating parent tables; keeps an old value's decor.
pub fn set(root: &mut Table, dotted: &str, mut value: Value) -> Result<(), String> {
    let parts: Vec<&str> = dotted.split('.').collect();
    let (leaf, parents) = parts.split_last().ok_or("empty key")?;
    let mut table: &mut dyn toml_edit::TableLike = root;
    for (depth, part) in parents.iter().enumerate() {
        if table.get(part).is_none() {
            let mut new = Table::new();
            new.set_implicit(depth + 1 < parents.len());
            table.insert(part, Item::Table(new));
        }
        let item = table.get_mut(part).ok_or("unreachable")?;
        table = item.as_table_like_mut().ok_or_else(|| {
            format!(
                "`{}` is not a table, so `{dotted}` cannot be set",
                parts[..=depth].join(".")
            )
        })?;
    }
    match table.get_mut(leaf) {
        Some(Item::Value(old)) => {
            // Keep the old value's surrounding spaces and same-line comment.
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        Some(_) => {
            return Err(format!(
                "`{dotted}` is a table; set one of its keys instead"
            ));
        }
        None => {
            value.decor_mut().clear();
            table.insert(leaf, Item::Value(value));
        }
    }
    Ok(())
}

/// Removes a dotted key, if present.
pub fn remove(root: &mut Table, dotted: &str) {
    let parts: Vec<&str> = dotted.split('.').collect();
    let Some((leaf, parents)) = parts.split_last() else {
        return;
    };
    let mut table: &mut dyn toml_edit::TableLike = root;
    for part in parents {
        match table.get_mut(part).and_then(Item::as_table_like_mut) {
            Some(t) => table = t,
            None => return,
        }
    }
    table.remove(leaf);
}
