//! Masking, the one policy for every output: a value is masked when its dotted key is
//! confidential (`contact.phone`, `contact.email`, `contact.wechat` and the keys listed in
//! `confidential`) or lies inside a confidential table — whatever its shape: a string, a
//! number, a date, an inline table, an array. Leaves are masked by [`mask`]; `--reveal` turns
//! masking off. Tables, JSON, CSV, `stats` amounts, `check` excerpts, `set`'s echo and log
//! line, and error messages all go through here.

use crate::model::config::Config;
use crate::present::render::mask;
use serde_json::Value as Json;
use std::ops::Range;
use toml_edit::{Item, TableLike, Value};

/// Log fields that record a front-matter value: masked as that key is.
const FIELD_MIRRORS: [(&str, &str); 4] = [
    ("amount", "deal.amount"),
    ("next", "next.action"),
    ("stage", "stage"),
    ("status", "status"),
];

/// The front-matter key a log field records (`amount` → `deal.amount`), if any.
pub fn mirrored_key(field_key: &str) -> Option<&'static str> {
    FIELD_MIRRORS
        .iter()
        .find(|(f, _)| *f == field_key)
        .map(|(_, k)| *k)
}

#[derive(Debug, Clone, Copy)]
pub struct Masker<'a> {
    config: &'a Config,
    reveal: bool,
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

impl<'a> Masker<'a> {
    pub fn new(config: &'a Config, reveal: bool) -> Self {
        Masker { config, reveal }
    }

    /// Is the value at `dotted` shown masked?
    pub fn hides(&self, dotted: &str) -> bool {
        !self.reveal && self.config.hides(dotted)
    }

    /// Does the value at `dotted` hold anything that is shown masked? (`""` is the root.)
    pub fn touches(&self, dotted: &str) -> bool {
        !self.reveal && (dotted.is_empty() || self.config.touches(dotted))
    }

    /// A text value of the key, masked when the key is confidential.
    pub fn text(&self, dotted: &str, value: &str) -> String {
        if self.hides(dotted) {
            mask(value)
        } else {
            value.to_string()
        }
    }

    /// A number of the key as text: none of its digits when the key is confidential.
    pub fn number(&self, dotted: &str, value: f64) -> String {
        if self.hides(dotted) {
            mask("")
        } else {
            crate::present::render::format_amount(value)
        }
    }

    pub fn opt(&self, dotted: &str, value: Option<String>) -> Option<String> {
        value.map(|v| self.text(dotted, &v))
    }

    /// A log field's value (`- amount: 650000`), masked when the front-matter key it records
    /// is confidential.
    /// `- set: KEY: VALUE` (a change as older versions logged it) masks VALUE when KEY is
    /// confidential, as `check`'s excerpts do.
    pub fn field(&self, field_key: &str, value: &str) -> String {
        if field_key == "set"
            && let Some((key, set_to)) = value.split_once(':')
            && (self.hides(key.trim()) || self.touches(key.trim()))
        {
            let shown = if self.hides(key.trim()) {
                mask(set_to.trim())
            } else {
                mask("") // a table holding a confidential key: all of it
            };
            return format!("{key}: {shown}");
        }
        match mirrored_key(field_key) {
            Some(key) => self.text(key, value),
            None => value.to_string(),
        }
    }

    /// A JSON value of the key, with every confidential part masked, whatever its shape.
    pub fn json(&self, dotted: &str, value: Json) -> Json {
        if self.hides(dotted) {
            return hide_json(value);
        }
        if !self.touches(dotted) {
            return value;
        }
        match value {
            Json::Object(map) => Json::Object(
                map.into_iter()
                    .map(|(k, v)| {
                        let v = self.json(&join(dotted, &k), v);
                        (k, v)
                    })
                    .collect(),
            ),
            Json::Array(items) => {
                Json::Array(items.into_iter().map(|v| self.json(dotted, v)).collect())
            }
            other => other,
        }
    }

    /// A TOML value of the key, with every confidential part masked, whatever its shape.
    pub fn toml(&self, dotted: &str, value: &Value) -> Value {
        if self.hides(dotted) {
            return hide_toml(value);
        }
        if !self.touches(dotted) {
            return value.clone();
        }
        match value {
            Value::InlineTable(t) => {
                let mut out = t.clone();
                for (k, v) in out.iter_mut() {
                    let masked = self.toml(&join(dotted, &k), v);
                    *v = masked;
                }
                Value::InlineTable(out)
            }
            Value::Array(a) => {
                let mut out = a.clone();
                for v in out.iter_mut() {
                    *v = self.toml(dotted, v);
                }
                Value::Array(out)
            }
            other => other.clone(),
        }
    }

    /// A TOML value as one line of text for people: a string without quotes, anything else as
    /// TOML writes it — masked where confidential.
    pub fn toml_text(&self, dotted: &str, value: &Value) -> String {
        let v = self.toml(dotted, value);
        v.as_str()
            .map_or_else(|| v.to_string().trim().to_string(), str::to_string)
    }
}

impl Masker<'_> {
    /// The byte ranges of a customer file's text that hold confidential values, for `check`'s
    /// source excerpts. Read line by line (so a file whose TOML does not parse is covered too:
    /// `[table]` headers and `key = value` lines; `- amount: …` and `- set: KEY: …` log
    /// fields), and from the TOML's own spans when it parses (values over several lines).
    pub fn secret_ranges(&self, text: &str) -> Vec<Range<usize>> {
        if self.reveal {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut offset = 0;
        let mut front = None;
        let mut table = String::new();
        for (i, line) in text.split_inclusive('\n').enumerate() {
            let start = offset;
            offset += line.len();
            let content = line.trim_end_matches(['\n', '\r']);
            if content.trim_end() == "+++" {
                front = match front {
                    None if i == 0 => Some(true),
                    Some(true) => Some(false),
                    other => other,
                };
                continue;
            }
            if front == Some(true) {
                let t = content.trim();
                if t.starts_with('[') {
                    table = dotted_key(t.trim_matches(['[', ']']));
                } else if let Some(eq) = content.find('=')
                    && !content[..eq].trim().is_empty()
                {
                    // (A line with no key before its `=`, such as git's `=======`, holds no value.)
                    let key = join(&table, &dotted_key(&content[..eq]));
                    if self.touches(&key) {
                        out.push(value_range(content, eq + 1, start));
                    }
                }
            } else if let Some((key, at)) = field_of(content) {
                let value = &content[at..];
                let hidden = if key == "set" {
                    // `- set: contact.phone: …` as older versions wrote it.
                    value.split_once(':').and_then(|(k, _)| {
                        self.touches(k.trim())
                            .then(|| value.find(':').map(|c| at + c + 1))
                            .flatten()
                    })
                } else {
                    let mirror = FIELD_MIRRORS.iter().find(|(f, _)| *f == key);
                    mirror.and_then(|(_, k)| self.hides(k).then_some(at))
                };
                if let Some(from) = hidden {
                    out.push(value_range(content, from, start));
                }
            }
        }
        if let Ok(doc) = crate::model::document::Document::parse(text.as_bytes())
            && let Ok(toml) = toml_edit::Document::parse(doc.front_matter())
        {
            let base = doc.front.start;
            self.spans(toml.as_table(), "", &mut |r| {
                out.push(base + r.start..base + r.end);
            });
        }
        out
    }

    fn spans(&self, table: &dyn TableLike, path: &str, out: &mut dyn FnMut(Range<usize>)) {
        for (k, item) in table.iter() {
            let dotted = join(path, k);
            if self.hides(&dotted) {
                all_spans(item, out);
            } else if self.touches(&dotted) {
                match item {
                    Item::ArrayOfTables(a) => {
                        for t in a.iter() {
                            self.spans(t, &dotted, out);
                        }
                    }
                    Item::Value(Value::Array(a)) => {
                        for v in a.iter() {
                            match v.as_inline_table() {
                                Some(t) => self.spans(t, &dotted, out),
                                None => {
                                    if let Some(r) = v.span() {
                                        out(r);
                                    }
                                }
                            }
                        }
                    }
                    other => {
                        if let Some(t) = other.as_table_like() {
                            self.spans(t, &dotted, out);
                        }
                    }
                }
            }
        }
    }
}

/// The spans of every value at or under an item.
fn all_spans(item: &Item, out: &mut dyn FnMut(Range<usize>)) {
    match item {
        Item::Value(v) => {
            if let Some(r) = v.span() {
                out(r);
            }
        }
        Item::Table(t) => {
            for (_, i) in t.iter() {
                all_spans(i, out);
            }
        }
        Item::ArrayOfTables(a) => {
            for t in a.iter() {
                for (_, i) in t.iter() {
                    all_spans(i, out);
                }
            }
        }
        Item::None => {}
    }
}

/// `contact . "phone"` → `contact.phone`.
fn dotted_key(raw: &str) -> String {
    raw.split('.')
        .map(|p| p.trim().trim_matches(['"', '\'']))
        .collect::<Vec<_>>()
        .join(".")
}

/// A `- key: value` list item (task box allowed): the canonical field key (`set` kept) and
/// where its value starts in the line.
fn field_of(line: &str) -> Option<(&'static str, usize)> {
    let trimmed = line.trim_start();
    let rest = trimmed.strip_prefix(['-', '*', '+'])?.trim_start();
    let rest = ["[ ]", "[x]", "[X]"]
        .iter()
        .find_map(|b| rest.strip_prefix(b))
        .map_or(rest, str::trim_start);
    let colon = rest.find([':', '：'])?;
    let key = rest[..colon].trim();
    let key = if key == "set" {
        "set"
    } else {
        crate::model::entry::field_key(key)?
    };
    let colon_len = rest[colon..].chars().next().map_or(1, char::len_utf8);
    Some((key, line.len() - rest.len() + colon + colon_len))
}

/// The range of a line's value from byte `from` (leading spaces skipped), in file offsets.
fn value_range(line: &str, from: usize, line_start: usize) -> Range<usize> {
    let skip = line[from..].len() - line[from..].trim_start().len();
    line_start + from + skip..line_start + line.len()
}

/// A line with every part that falls in `ranges` (file offsets; the line starts at
/// `line_start`) replaced by `***`.
pub fn mask_line(line: &str, line_start: usize, ranges: &[Range<usize>]) -> String {
    let end = line_start + line.len();
    let mut cuts: Vec<Range<usize>> = ranges
        .iter()
        .filter(|r| r.start < end && r.end > line_start && r.start < r.end)
        .map(|r| r.start.max(line_start) - line_start..r.end.min(end) - line_start)
        .filter(|r| line.is_char_boundary(r.start) && line.is_char_boundary(r.end))
        .collect();
    if cuts.is_empty() {
        return line.to_string();
    }
    cuts.sort_by_key(|r| r.start);
    let mut out = String::new();
    let mut at = 0;
    for r in cuts {
        if r.end <= at {
            continue;
        }
        let from = r.start.max(at);
        out.push_str(&line[at..from]);
        if from == r.start || at < r.start {
            out.push_str("***");
        }
        at = r.end;
    }
    out.push_str(&line[at..]);
    out
}

/// Every leaf masked; keys and shape kept.
fn hide_json(value: Json) -> Json {
    match value {
        Json::Object(map) => {
            Json::Object(map.into_iter().map(|(k, v)| (k, hide_json(v))).collect())
        }
        Json::Array(items) => Json::Array(items.into_iter().map(hide_json).collect()),
        Json::String(s) => Json::String(mask(&s)),
        Json::Null => Json::Null,
        // A number, date or boolean keeps none of its digits.
        _ => Json::String(mask("")),
    }
}

fn hide_toml(value: &Value) -> Value {
    let mut out = match value {
        Value::InlineTable(t) => {
            let mut out = t.clone();
            for (_, v) in out.iter_mut() {
                *v = hide_toml(v);
            }
            Value::InlineTable(out)
        }
        Value::Array(a) => {
            let mut out = a.clone();
            for v in out.iter_mut() {
                *v = hide_toml(v);
            }
            Value::Array(out)
        }
        Value::String(s) => Value::from(mask(s.value())),
        _ => Value::from(mask("")),
    };
    *out.decor_mut() = value.decor().clone();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line of `text` as `check` would show it in an excerpt.
    fn shown_lines(m: &Masker<'_>, text: &str) -> Vec<String> {
        let ranges = m.secret_ranges(text);
        text.split_inclusive('\n')
            .scan(0, |at, line| {
                let start = *at;
                *at += line.len();
                Some(mask_line(line.trim_end(), start, &ranges))
            })
            .collect()
    }

    #[test]
    fn excerpts_lose_their_secrets_even_when_the_toml_is_broken() {
        let config = Config::parse("confidential = [\"deal.amount\"]\n").unwrap();
        let m = Masker::new(&config, false);
        let text = "+++\nname = \"A\"\n[contact]\nphone = +86 138 0000 1234\nname = \"Wang\"\n[deal]\namount = 650000\n+++\n\n## 2026-01-01 phone\n\n- amount: 650000\n- set: contact.phone: 13800001234\n";
        let shown = shown_lines(&m, text);
        assert_eq!(shown[3], "phone = ***");
        assert_eq!(shown[4], "name = \"Wang\"");
        assert_eq!(shown[6], "amount = ***");
        assert_eq!(shown[11], "- amount: ***");
        assert_eq!(shown[12], "- set: contact.phone: ***");
        let inline = "+++\ncontact = { name = \"W\", phone = { mobile = \"1\" } }\n+++\n";
        let ranges = m.secret_ranges(inline);
        let line = inline.lines().nth(1).unwrap();
        assert!(!mask_line(line, 4, &ranges).contains('1'));
    }

    #[test]
    fn old_set_lines_and_confidential_dates_are_masked_like_the_rest() {
        let config =
            Config::parse("confidential = [\"budget\", \"deal.expected_close\"]\n").unwrap();
        let m = Masker::new(&config, false);
        assert_eq!(
            m.field("set", "contact.phone: 13812345678"),
            "contact.phone: ***5678"
        );
        assert_eq!(m.field("set", "budget: 500k"), "budget: ***");
        assert_eq!(m.field("set", "priority: high"), "priority: high");
        assert_eq!(m.text("deal.expected_close", "2027-03-04"), "***");
        assert_eq!(m.text("contact.phone", "+86 138 1234 5678"), "***5678");
    }

    #[test]
    fn conflict_markers_in_the_front_matter_are_shown_as_written() {
        let config = Config::parse("").unwrap();
        let m = Masker::new(&config, false);
        let text = "+++\nname = \"A\"\n[contact]\n<<<<<<< ours\nphone = \"1\"\n=======\nphone = \"2\"\n>>>>>>> theirs\n+++\n";
        let shown = shown_lines(&m, text);
        assert_eq!(shown[4], "phone = ***");
        assert_eq!(shown[5], "=======");
        assert_eq!(shown[6], "phone = ***");
    }

    #[test]
    fn every_shape_is_masked() {
        let config =
            Config::parse("confidential = [\"deal.amount\", \"contact.phone\"]\n").unwrap();
        let m = Masker::new(&config, false);
        let contact: Value = "{ name = \"Wang\", phone = { mobile = \"+86 138 0000 1234\" } }"
            .parse()
            .unwrap();
        assert_eq!(
            m.toml_text("contact", &contact),
            "{ name = \"Wang\", phone = { mobile = \"***1234\" } }"
        );
        let deal = serde_json::json!({"amount": 650000, "currency": "CNY"});
        assert_eq!(
            m.json("deal", deal),
            serde_json::json!({"amount": "***", "currency": "CNY"})
        );
        let phones = serde_json::json!(["+86 138 0000 1234", "wang@x.cn"]);
        assert_eq!(
            m.json("contact.phone", phones),
            serde_json::json!(["***1234", "***"])
        );
        assert_eq!(m.text("contact.name", "Wang"), "Wang");
        let front = serde_json::json!({"name": "A", "contact": {"phone": "+86 138 0000 1234"}});
        assert_eq!(
            m.json("", front),
            serde_json::json!({"name": "A", "contact": {"phone": "***1234"}})
        );
        let revealed = Masker::new(&config, true);
        assert_eq!(revealed.text("contact.phone", "123"), "123");
    }
}
