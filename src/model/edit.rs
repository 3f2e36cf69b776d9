//! Format-preserving front-matter edits: only the keys a command means to change are touched;
//! comments (same-line ones too), key order and spacing of everything else stay byte-for-byte.

use crate::model::document::Document;
use crate::model::toml_path;
use toml_edit::{DocumentMut, Value};

/// One change to a dotted front-matter key.
#[derive(Debug, Clone)]
pub enum Change {
    Set(String, Value),
    Remove(String),
}

/// Applies `changes` to the document's front matter. Errors name the key that could not be set.
pub fn apply(doc: &Document, changes: &[Change]) -> Result<Document, String> {
    if changes.is_empty() {
        return Ok(doc.clone());
    }
    let mut toml: DocumentMut = toml_edit::Document::parse(doc.front_matter())
        .map_err(|e| format!("the front matter is not valid TOML: {}", e.message().trim()))?
        .into_mut();
    for change in changes {
        match change {
            Change::Set(key, value) => toml_path::set(toml.as_table_mut(), key, value.clone())?,
            Change::Remove(key) => toml_path::remove(toml.as_table_mut(), key),
        }
    }
    Ok(doc.with_front_matter(&toml.to_string()))
}

/// A TOML date value from a date.
pub fn date_value(date: chrono::NaiveDate) -> Value {
    date.to_string()
        .parse::<Value>()
        .unwrap_or_else(|_| Value::from(date.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, changes: &[Change]) -> String {
        let doc = Document::parse(text.as_bytes()).unwrap();
        apply(&doc, changes).unwrap().text
    }

    #[test]
    fn replacing_a_value_keeps_its_comment_and_everything_else() {
        let text = "+++\nname = \"A\"\nstage = \"potential\"   # 潜在\n\n[next]\naction = \"call\"\ndue = 2024-01-24\n+++\nbody\n";
        let out = edit(text, &[Change::Set("stage".into(), Value::from("intent"))]);
        assert_eq!(out, text.replace("\"potential\"", "\"intent\""));
        let date = date_value(chrono::NaiveDate::from_ymd_opt(2024, 2, 1).unwrap());
        let out = edit(text, &[Change::Set("next.due".into(), date)]);
        assert_eq!(out, text.replace("2024-01-24", "2024-02-01"));
    }

    #[test]
    fn new_keys_and_tables_are_added_at_the_end() {
        let text = "+++\nname = \"A\"\n\n[contact]\nname = \"B\"\n+++\n";
        let out = edit(
            text,
            &[
                Change::Set("priority".into(), Value::from("high")),
                Change::Set("next.action".into(), Value::from("call")),
            ],
        );
        assert_eq!(
            out,
            "+++\nname = \"A\"\npriority = \"high\"\n\n[contact]\nname = \"B\"\n\n[next]\naction = \"call\"\n+++\n"
        );
    }

    #[test]
    fn crlf_files_stay_crlf_and_inline_tables_work() {
        let text = "+++\r\nname = \"A\"\r\nnext = { action = \"x\" }\r\n+++\r\n";
        let out = edit(text, &[Change::Set("next.action".into(), Value::from("y"))]);
        assert_eq!(
            out,
            "+++\r\nname = \"A\"\r\nnext = { action = \"y\" }\r\n+++\r\n"
        );
        let out = edit(text, &[Change::Set("tags".into(), Value::from_iter(["a"]))]);
        assert!(!out.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn removing_a_key_drops_only_its_line() {
        let text = "+++\nname = \"A\"\n[next]\naction = \"x\"\ndue = 2024-01-01 # old\n+++\n";
        let out = edit(text, &[Change::Remove("next.due".into())]);
        assert_eq!(out, "+++\nname = \"A\"\n[next]\naction = \"x\"\n+++\n");
    }
}
