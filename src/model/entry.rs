//! Log entries as the commands see them: a dated `## DATE [HH:MM] CHANNEL @author` entry, its
//! `- key: value` fields (with Chinese aliases and task boxes) and discussion text, and the
//! small languages inside field values (`OLD -> NEW`, `(due DATE)`, `CATEGORY — how`).
//! `reader` builds these from the Markdown; `compose` writes new ones.

use crate::model::dates::{parse_date_arg, parse_iso};
use crate::model::intern::{Word, intern};
use chrono::NaiveDate;
use std::ops::Range;

/// What came of a contact; the middle three count as unanswered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Reached,
    NoAnswer,
    Voicemail,
    Busy,
    Declined,
    Unknown(String),
}

impl Outcome {
    pub fn parse(text: &str) -> Outcome {
        let t = text.trim();
        // Values are almost always written in lower case already: no allocation then.
        let lower;
        let t = if t.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = t.to_lowercase();
            lower.as_str()
        } else {
            t
        };
        match t {
            "reached" | "接通" | "已接通" => Outcome::Reached,
            "no-answer" | "no answer" | "noanswer" | "未接" | "未接通" => Outcome::NoAnswer,
            "voicemail" | "语音信箱" | "留言" => Outcome::Voicemail,
            "busy" | "占线" | "忙线" => Outcome::Busy,
            "declined" | "拒接" | "拒绝" => Outcome::Declined,
            _ => Outcome::Unknown(text.trim().to_string()),
        }
    }

    pub fn is_unanswered(&self) -> bool {
        matches!(self, Outcome::NoAnswer | Outcome::Voicemail | Outcome::Busy)
    }

    pub fn key(&self) -> &str {
        match self {
            Outcome::Reached => "reached",
            Outcome::NoAnswer => "no-answer",
            Outcome::Voicemail => "voicemail",
            Outcome::Busy => "busy",
            Outcome::Declined => "declined",
            Outcome::Unknown(s) => s,
        }
    }
}

/// The known field keys and their Chinese aliases.
pub const FIELD_KEYS: [(&str, &str); 10] = [
    ("outcome", "结果"),
    ("feedback", "反馈"),
    ("objection", "异议"),
    ("promised", "承诺"),
    ("next", "下一步"),
    ("stage", "阶段"),
    ("status", "状态"),
    ("assist", "协助"),
    ("amount", "金额"),
    ("reason", "原因"),
];

/// The canonical key of a field key or its alias; `None` for a key the tool does not know.
pub fn field_key(raw: &str) -> Option<&'static str> {
    let key = raw.trim();
    FIELD_KEYS
        .iter()
        .find(|(en, zh)| en.eq_ignore_ascii_case(key) || *zh == key)
        .map(|(en, _)| *en)
}

/// A top-level list item of an entry whose text is `key: value`, or a task-list item.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Field {
    /// Canonical key for known fields, else the key as written (lower-cased); `task` for a
    /// task-list item without a `key:`.
    #[serde(with = "crate::model::intern::word")]
    pub key: Word,
    /// The value as it renders (Markdown escapes and inline markup resolved), on one line.
    pub value: String,
    pub line: usize,
    /// 1-based column (in characters) where the value starts.
    pub column: usize,
    /// `Some(done)` for a task-list item (`- [ ]` / `- [x]`), `None` for a plain item.
    pub task: Option<bool>,
    /// Byte range in the file text of the `[ ]` / `[x]` box of a task-list item.
    pub task_span: Option<Range<usize>>,
    /// Byte offset in the file text of the item's list marker (`-`, `*`, `+`).
    pub item_start: usize,
    /// Byte offset in the file text just after the item's text, where `(done DATE)` goes.
    pub text_end: usize,
}

impl Field {
    /// Promises, assists and to-do boxes are open items until their box is ticked.
    pub fn is_open_item(&self) -> bool {
        match self.key {
            "promised" | "assist" => self.task != Some(true),
            "task" => self.task == Some(false),
            _ => false,
        }
    }
}

/// One dated entry of the log.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// 1-based line of the heading in the file.
    pub line: usize,
    #[serde(with = "crate::model::dates::days")]
    pub date: NaiveDate,
    #[serde(with = "crate::model::intern::word_opt")]
    pub time: Option<Word>,
    /// Canonical channel (`phone`, …), or as written when unknown; empty when missing.
    #[serde(with = "crate::model::intern::word")]
    pub channel: Word,
    #[serde(with = "crate::model::intern::word_opt")]
    pub author: Option<Word>,
    pub fields: Vec<Field>,
    /// The discussion: the source of every block that is not a field, joined by blank lines.
    pub text: String,
    /// Byte offset in the file text where the heading starts.
    pub start: usize,
    /// Byte offset in the file text just after the entry's last non-blank line.
    pub end: usize,
}

impl Entry {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn fields_of<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.fields.iter().filter(move |f| f.key == key)
    }

    pub fn outcome(&self) -> Outcome {
        self.field("outcome")
            .map_or(Outcome::Reached, |f| Outcome::parse(&f.value))
    }

    /// A `note` entry records a change made with `followup set`; it is not a contact.
    pub fn is_contact(&self) -> bool {
        !self.channel.eq_ignore_ascii_case("note")
    }
}

/// Something the reader found worth a diagnostic, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadProblem {
    pub line: usize,
    pub column: usize,
    pub kind: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// An entry heading whose date is not a real date (the message says which).
    BadHeading(crate::msg::Text),
    /// An entry heading without a channel.
    MissingChannel,
    /// A line that looks like an entry heading but does not render as one (why).
    NotAnEntry(crate::msg::Text),
    /// A fence, HTML block or comment left open at the end of the file (what opens it).
    UnclosedBlock(crate::msg::Text),
}

/// The result of reading a body.
#[derive(Debug, Default)]
pub struct Log {
    pub entries: Vec<Entry>,
    pub problems: Vec<ReadProblem>,
}

/// A field key as read: one the tool knows (canonical), or another one as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKey<'a> {
    Known(&'static str),
    Other(&'a str),
}

impl FieldKey<'_> {
    pub(crate) fn to_key(self) -> &'static str {
        match self {
            FieldKey::Known(k) => k,
            FieldKey::Other(k) if !k.bytes().any(|b| b.is_ascii_uppercase()) && k.is_ascii() => {
                crate::model::intern::intern(k)
            }
            FieldKey::Other(k) => crate::model::intern::intern(&k.to_lowercase()),
        }
    }
}

/// How much of the log to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Everything: discussion text and every field.
    Full,
    /// What `due`, `list`, `stats` and `pipeline` need: entry headings, outcomes, objections,
    /// stage and status changes with their reason, and promises and assists (open or ticked:
    /// promise-keeping reads the ticks) — no discussion text.
    Lean,
}

impl Detail {
    pub(crate) fn keeps(self, key: FieldKey<'_>, task: Option<bool>) -> bool {
        match (self, key) {
            (Detail::Full, _) => true,
            (
                Detail::Lean,
                FieldKey::Known(
                    "outcome" | "objection" | "stage" | "status" | "reason" | "promised" | "assist",
                ),
            ) => true,
            (Detail::Lean, FieldKey::Known("task") | FieldKey::Other("task")) => {
                task == Some(false)
            }
            (Detail::Lean, _) => false,
        }
    }
}

/// What an entry heading says.
pub(crate) struct Heading {
    pub date: NaiveDate,
    pub time: Option<&'static str>,
    pub channel: &'static str,
    pub author: Option<&'static str>,
}

/// Parses a heading's rendered text: `DATE [HH:MM] CHANNEL… [@author]`.
/// `Ok(None)`: not an entry heading. `Err`: looks like one but is malformed (the message).
pub(crate) fn parse_heading(text: &str) -> Result<Option<Heading>, crate::msg::Text> {
    // Most headings are ASCII: split them byte-wise; others on any Unicode white space.
    let mut words: Box<dyn Iterator<Item = &str>> = if text.is_ascii() {
        Box::new(text.split_ascii_whitespace())
    } else {
        Box::new(text.split_whitespace())
    };
    let Some(first) = words.next() else {
        return Ok(None);
    };
    let date = match parse_iso(first) {
        Some(d) => d,
        None if first.starts_with(|c: char| c.is_ascii_digit())
            && first.contains(['-', '/', '.']) =>
        {
            return Err(crate::msg::m::D_HEADING_DATE.with("date", first));
        }
        None => return Ok(None),
    };
    let mut time = None;
    let mut channel = String::new();
    let mut author = None;
    for word in words {
        if time.is_none() && channel.is_empty() && is_time(word) {
            time = Some(intern(word));
        } else if let Some(a) = word.strip_prefix('@') {
            author = Some(intern(a));
        } else {
            if !channel.is_empty() {
                channel.push(' ');
            }
            channel.push_str(word);
        }
    }
    Ok(Some(Heading {
        date,
        time,
        channel: intern(&channel),
        author,
    }))
}

fn is_time(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit)
        && word[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && word[3..].parse::<u8>().is_ok_and(|m| m < 60)
}

/// Splits an item's rendered text into key, value and the value's offset in the text, when
/// the text is `key: value` (also `：`) with a short key of letters, digits, `-` and `_`.
pub(crate) fn split_field(text: &str) -> Option<(FieldKey<'_>, &str, usize)> {
    // A key is at most 24 characters: the separator is near the start, so only look there.
    let mut head = text.len().min(24 * 4 + 8);
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let colon = text[..head].find([':', '：'])?;
    let key = text[..colon].trim();
    let valid_key = !key.is_empty()
        && key.chars().count() <= 24
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if !valid_key {
        return None;
    }
    let sep_len = text[colon..].chars().next().map_or(1, char::len_utf8);
    let raw_value = &text[colon + sep_len..];
    let value = raw_value.trim();
    let value_at = text.len() - raw_value.trim_start().len();
    let key = field_key(key).map_or(FieldKey::Other(key), FieldKey::Known);
    Some((key, value, value_at))
}

/// Splits `OLD -> NEW` (or `OLD → NEW`); a bare value is the new one.
pub fn parse_change(value: &str) -> (Option<String>, String) {
    for arrow in ["->", "→"] {
        if let Some((old, new)) = value.split_once(arrow) {
            return (Some(old.trim().to_string()), new.trim().to_string());
        }
    }
    (None, value.trim().to_string())
}

/// Splits a trailing `(done DATE)`, as `followup done` appends it, from a value.
pub fn split_done(value: &str) -> (&str, Option<&str>) {
    let v = value.trim_end();
    for (open, close) in [
        ("(done ", ')'),
        ("（done ", '）'),
        ("(完成 ", ')'),
        ("（完成 ", '）'),
    ] {
        if v.ends_with(close)
            && let Some(start) = v.rfind(open)
        {
            let date = v[start + open.len()..v.len() - close.len_utf8()].trim();
            return (v[..start].trim_end(), Some(date));
        }
    }
    (v, None)
}

/// The date a ticked item was done, from its trailing `(done YYYY-MM-DD)`.
pub fn done_date(value: &str) -> Option<NaiveDate> {
    split_done(value).1.and_then(parse_iso)
}

/// Splits a value ending in `(due DATE)` (optionally followed by `(done DATE)`) into the text
/// and the date text.
pub fn split_due(value: &str) -> (&str, Option<&str>) {
    let v = split_done(value).0;
    for (open, close) in [
        ("(due ", ')'),
        ("（due ", '）'),
        ("(截止 ", ')'),
        ("（截止 ", '）'),
    ] {
        if v.ends_with(close)
            && let Some(start) = v.rfind(open)
        {
            let date = v[start + open.len()..v.len() - close.len_utf8()].trim();
            return (v[..start].trim_end(), Some(date));
        }
    }
    (v, None)
}

/// The due date of a value ending in `(due YYYY-MM-DD)`, if it has a valid one.
pub fn due_date(value: &str) -> Option<NaiveDate> {
    split_due(value).1.and_then(parse_iso)
}

/// Splits an objection into category and how it was handled (`—`, `--` or `:` separate).
pub fn split_objection(value: &str) -> (&str, Option<&str>) {
    let mut best: Option<(usize, usize)> = None;
    for sep in ["—", "--", ":", "：", " - "] {
        if let Some(i) = value.find(sep)
            && best.is_none_or(|(b, _)| i < b)
        {
            best = Some((i, sep.len()));
        }
    }
    match best {
        Some((i, len)) => (value[..i].trim(), Some(value[i + len..].trim())),
        None => (value.trim(), None),
    }
}

/// Rewrites a trailing `(due fri)` to `(due 2024-01-12)`; other text is kept as typed, a
/// trailing `(done DATE)` included (a ticked item typed or imported with it keeps it).
pub fn resolve_due_in_text(value: &str, today: NaiveDate) -> Result<String, crate::msg::Text> {
    let resolved = match split_due(value) {
        (text, Some(date)) => {
            let d = parse_date_arg(date, today)?;
            format!("{text} (due {d})")
        }
        (text, None) => text.to_string(),
    };
    Ok(match split_done(value).1 {
        Some(done) => format!("{resolved} (done {done})"),
        None => resolved,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolving_a_deadline_keeps_the_done_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(
            resolve_due_in_text("send it (due fri) (done 2026-11-25)", today).unwrap(),
            "send it (due 2026-11-27) (done 2026-11-25)"
        );
        assert_eq!(
            resolve_due_in_text("send it (done 2026-11-25)", today).unwrap(),
            "send it (done 2026-11-25)"
        );
        assert_eq!(resolve_due_in_text("send it", today).unwrap(), "send it");
    }

    #[test]
    fn objections_and_changes_split() {
        assert_eq!(
            split_objection("price — instalments"),
            ("price", Some("instalments"))
        );
        assert_eq!(
            split_objection("timing: next quarter"),
            ("timing", Some("next quarter"))
        );
        assert_eq!(split_objection("trust"), ("trust", None));
        assert_eq!(
            parse_change("意向 → 成交"),
            (Some("意向".into()), "成交".into())
        );
        assert_eq!(
            split_due("call (due 2024-01-10)"),
            ("call", Some("2024-01-10"))
        );
    }

    #[test]
    fn done_follows_due() {
        let v = "send X (due 2024-01-12) (done 2024-01-11)";
        assert_eq!(split_due(v), ("send X", Some("2024-01-12")));
        assert_eq!(done_date(v), NaiveDate::from_ymd_opt(2024, 1, 11));
        assert_eq!(done_date("send X (due 2024-01-12)"), None);
    }

    #[test]
    fn fields_split_at_the_first_colon() {
        let (key, value, at) = split_field("反馈：很好: 真的").unwrap();
        assert_eq!(
            (key, value, at),
            (FieldKey::Known("feedback"), "很好: 真的", 9)
        );
        assert!(split_field("a sentence: with words").is_none());
        assert!(split_field("no colon").is_none());
    }
}
