//! Log entries in a customer file's body: `## DATE [HH:MM] CHANNEL @author` headings, their
//! `- key: value` fields (with Chinese aliases and task boxes) and discussion text — parsed by
//! one line scan with line numbers, and rendered in the one shape the tool appends.

use crate::model::dates::{parse_date_arg, parse_iso};
use chrono::NaiveDate;

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
pub const FIELD_KEYS: [(&str, &str); 9] = [
    ("outcome", "结果"),
    ("feedback", "反馈"),
    ("objection", "异议"),
    ("promised", "承诺"),
    ("next", "下一步"),
    ("stage", "阶段"),
    ("status", "状态"),
    ("assist", "协助"),
    ("amount", "金额"),
];

/// The canonical key of a field key or its alias; `None` for a key the tool does not know.
pub fn field_key(raw: &str) -> Option<&'static str> {
    let key = raw.trim();
    FIELD_KEYS
        .iter()
        .find(|(en, zh)| en.eq_ignore_ascii_case(key) || *zh == key)
        .map(|(en, _)| *en)
}

/// A `- key: value` list item inside an entry.
#[derive(Debug, Clone)]
pub struct Field {
    /// Canonical key for known fields, else the key as written (lower-cased).
    pub key: String,
    pub value: String,
    pub line: usize,
    /// Byte offset of the line's start in the file text.
    pub line_start: usize,
    /// 1-based column (in characters) where the value starts.
    pub column: usize,
    /// `Some(done)` for a task-list item (`- [ ]` / `- [x]`), `None` for a plain item.
    pub task: Option<bool>,
}

impl Field {
    /// Promises and assists are open items until their box is ticked.
    pub fn is_open_item(&self) -> bool {
        (self.key == "promised" || self.key == "assist") && self.task != Some(true)
    }
}

/// One dated entry of the log.
#[derive(Debug, Clone)]
pub struct Entry {
    /// 1-based line of the heading in the file.
    pub line: usize,
    pub date: NaiveDate,
    pub time: Option<String>,
    /// Canonical channel (`phone`, …), or as written when unknown; empty when missing.
    pub channel: String,
    pub author: Option<String>,
    pub fields: Vec<Field>,
    /// The discussion: every non-field line, trimmed, joined by newlines.
    pub text: String,
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

    #[cfg(test)]
    /// The stage change this entry records, as (old, new) raw values.
    pub fn stage_change(&self) -> Option<(Option<String>, String)> {
        self.field("stage").map(|f| parse_change(&f.value))
    }
}

/// A heading problem found while scanning: (line, column, message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub is_error: bool,
}

/// The result of scanning a body.
#[derive(Debug, Default)]
pub struct Log {
    pub entries: Vec<Entry>,
    pub problems: Vec<HeadingProblem>,
}

fn heading_level(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let hashes = t.bytes().take_while(|b| *b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &t[hashes..];
    if rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t') {
        Some((hashes, rest.trim()))
    } else {
        None
    }
}

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// What an entry heading says.
struct Heading {
    date: NaiveDate,
    time: Option<String>,
    channel: String,
    author: Option<String>,
}

/// Parses a heading's text after `## `: `DATE [HH:MM] CHANNEL… [@author]`.
/// `Ok(None)`: not an entry heading. `Err`: looks like one but is malformed (the message).
fn parse_heading(text: &str) -> Result<Option<Heading>, String> {
    let mut words = text.split_whitespace();
    let Some(first) = words.next() else {
        return Ok(None);
    };
    let date = match parse_iso(first) {
        Some(d) => d,
        None if first.starts_with(|c: char| c.is_ascii_digit())
            && first.contains(['-', '/', '.']) =>
        {
            return Err(format!(
                "entry heading date `{first}` is not a valid YYYY-MM-DD date"
            ));
        }
        None => return Ok(None),
    };
    let mut time = None;
    let mut channel = String::new();
    let mut author = None;
    for word in words {
        if time.is_none() && channel.is_empty() && is_time(word) {
            time = Some(word.to_string());
        } else if let Some(a) = word.strip_prefix('@') {
            author = Some(a.to_string());
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
        channel,
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

/// Parses `- key: value`, `- [ ] key: value`, `- [x] key: value` (also `*`, and `：`) into the
/// key (canonical when known), the value, the task box and the value's column — borrowing, so
/// a field the caller does not keep costs no allocation.
fn parse_field_line(line: &str) -> Option<(FieldKey<'_>, &str, Option<bool>, usize)> {
    let t = line.trim_start();
    let rest = t.strip_prefix("- ").or_else(|| t.strip_prefix("* "))?;
    let (task, rest) = if let Some(r) = rest.strip_prefix("[ ] ") {
        (Some(false), r)
    } else if let Some(r) = rest
        .strip_prefix("[x] ")
        .or_else(|| rest.strip_prefix("[X] "))
    {
        (Some(true), r)
    } else {
        (None, rest)
    };
    let colon = rest.find([':', '：'])?;
    let key = rest[..colon].trim();
    let valid_key = !key.is_empty()
        && key.chars().count() <= 24
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if !valid_key {
        return None;
    }
    let sep_len = rest[colon..].chars().next().map_or(1, char::len_utf8);
    let raw_value = &rest[colon + sep_len..];
    let value_start = line.len() - raw_value.trim_start().len();
    let column = line[..value_start].chars().count() + 1;
    let key = field_key(key).map_or(FieldKey::Other(key), FieldKey::Known);
    Some((key, raw_value.trim(), task, column))
}

/// A field key as read: one the tool knows (canonical), or another one as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldKey<'a> {
    Known(&'static str),
    Other(&'a str),
}

impl FieldKey<'_> {
    fn to_key(self) -> String {
        match self {
            FieldKey::Known(k) => k.to_string(),
            FieldKey::Other(k) => k.to_lowercase(),
        }
    }
}

/// How much of the log to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Everything: discussion text and every field.
    Full,
    /// What `due`, `list` and `stats` need: entry headings, outcomes, objections, stage and
    /// status changes, and open promises and assists — no discussion text.
    Lean,
}

impl Detail {
    fn keeps(self, key: FieldKey<'_>, task: Option<bool>) -> bool {
        match (self, key) {
            (Detail::Full, _) => true,
            (Detail::Lean, FieldKey::Known("outcome" | "objection" | "stage" | "status")) => true,
            (Detail::Lean, FieldKey::Known("promised" | "assist")) => task != Some(true),
            (Detail::Lean, _) => false,
        }
    }
}

/// Scans a body that starts at byte `offset` and line `first_line` of the file text.
pub fn parse_log(body: &str, offset: usize, first_line: usize) -> Log {
    parse_log_with(body, offset, first_line, Detail::Full)
}

/// Scans a body, keeping what `detail` asks for.
pub fn parse_log_with(body: &str, offset: usize, first_line: usize, detail: Detail) -> Log {
    let mut log = Log::default();
    let mut in_fence = false;
    let mut current: Option<Entry> = None;
    let mut pos = 0;
    for (i, raw_line) in body.split_inclusive('\n').enumerate() {
        let line_no = first_line + i;
        let line_start = offset + pos;
        pos += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        if is_fence(line) {
            in_fence = !in_fence;
        }
        let heading = if in_fence { None } else { heading_level(line) };
        if let Some((level, text)) = heading
            && level <= 2
        {
            if let Some(entry) = current.take() {
                log.entries.push(entry);
            }
            if level == 2 {
                match parse_heading(text) {
                    Ok(Some(Heading {
                        date,
                        time,
                        channel,
                        author,
                    })) => {
                        if channel.is_empty() {
                            log.problems.push(HeadingProblem {
                                line: line_no,
                                column: 1,
                                message:
                                    "entry heading has no channel; add one, like `phone` or `email`"
                                        .to_string(),
                                is_error: false,
                            });
                        }
                        current = Some(Entry {
                            line: line_no,
                            date,
                            time,
                            channel,
                            author,
                            fields: Vec::new(),
                            text: String::new(),
                            end: line_start + line.len(),
                        });
                    }
                    Ok(None) => {}
                    Err(message) => log.problems.push(HeadingProblem {
                        line: line_no,
                        column: line.find(text).map_or(1, |c| line[..c].chars().count() + 1),
                        message,
                        is_error: true,
                    }),
                }
            }
            continue;
        }
        let Some(entry) = current.as_mut() else {
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        entry.end = line_start + line.len();
        match (in_fence, parse_field_line(line)) {
            (false, Some((key, value, task, column))) => {
                if detail.keeps(key, task) {
                    entry.fields.push(Field {
                        key: key.to_key(),
                        value: value.to_string(),
                        line: line_no,
                        line_start,
                        column,
                        task,
                    });
                }
            }
            _ if detail == Detail::Lean => {}
            _ => {
                if !entry.text.is_empty() {
                    entry.text.push('\n');
                }
                entry.text.push_str(line.trim());
            }
        }
    }
    if let Some(entry) = current.take() {
        log.entries.push(entry);
    }
    log
}

/// A piece of a body as the merge driver sees it: the text before the first level-1/2 heading,
/// or one such heading with everything up to the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The heading line, trimmed; `None` for the text before the first heading.
    pub heading: Option<String>,
    /// The block's exact text, line endings included.
    pub text: String,
    /// The entry date when the heading starts a log entry.
    pub date: Option<NaiveDate>,
}

/// Splits a body into blocks at level-1 and level-2 headings (outside fenced code); joining the
/// blocks' texts gives the body back byte for byte.
pub fn split_blocks(body: &str) -> Vec<Block> {
    let mut blocks = vec![Block {
        heading: None,
        text: String::new(),
        date: None,
    }];
    let mut in_fence = false;
    for raw_line in body.split_inclusive('\n') {
        let line = raw_line.trim_end_matches(['\n', '\r']);
        if is_fence(line) {
            in_fence = !in_fence;
        }
        if !in_fence
            && let Some((level, text)) = heading_level(line)
            && level <= 2
        {
            let date = if level == 2 {
                parse_heading(text).ok().flatten().map(|h| h.date)
            } else {
                None
            };
            blocks.push(Block {
                heading: Some(line.trim().to_string()),
                text: String::new(),
                date,
            });
        }
        if let Some(last) = blocks.last_mut() {
            last.text.push_str(raw_line);
        }
    }
    blocks
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

/// Splits a value ending in `(due DATE)` into the text and the date text.
pub fn split_due(value: &str) -> (&str, Option<&str>) {
    let v = value.trim_end();
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

/// Rewrites a trailing `(due fri)` to `(due 2024-01-12)`; other text is kept as typed.
pub fn resolve_due_in_text(value: &str, today: NaiveDate) -> Result<String, String> {
    match split_due(value) {
        (text, Some(date)) => {
            let d = parse_date_arg(date, today)?;
            Ok(format!("{text} (due {d})"))
        }
        (text, None) => Ok(text.to_string()),
    }
}

/// Refuses discussion text that would not stay inside its entry: a level-1 or level-2 heading
/// ends the entry, and an unclosed code fence would swallow what follows.
pub fn check_discussion(text: &str) -> Result<(), String> {
    let mut fences = 0;
    for line in text.lines() {
        if is_fence(line) {
            fences += 1;
        } else if fences % 2 == 0 && heading_level(line).is_some_and(|(level, _)| level <= 2) {
            return Err(format!(
                "the line `{}` would start a new section and end the entry; use ### for a heading inside an entry",
                line.trim()
            ));
        }
    }
    if fences % 2 == 1 {
        return Err("the text opens a ``` code block without closing it".into());
    }
    Ok(())
}

/// A new entry as the tool writes it.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub channel: String,
    pub author: Option<String>,
    pub paragraphs: Vec<String>,
    /// `(key, value, task)`: `task` writes the item as an open `- [ ]` box.
    pub fields: Vec<(String, String, bool)>,
}

impl NewEntry {
    /// Renders heading, blank line, discussion (if any), blank line, field list; every line
    /// ends with `newline`.
    pub fn render(&self, date: NaiveDate, newline: &str) -> String {
        let mut out = format!("## {date}");
        if !self.channel.is_empty() {
            out.push(' ');
            out.push_str(&self.channel);
        }
        if let Some(a) = &self.author {
            out.push_str(" @");
            out.push_str(a);
        }
        out.push_str(newline);
        let text: Vec<String> = self
            .paragraphs
            .iter()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        if !text.is_empty() {
            out.push_str(newline);
            out.push_str(&crate::model::document::to_newline(
                &text.join("\n\n"),
                newline,
            ));
            out.push_str(newline);
        }
        if !self.fields.is_empty() {
            out.push_str(newline);
            for (key, value, task) in &self.fields {
                out.push_str(if *task { "- [ ] " } else { "- " });
                out.push_str(key);
                out.push_str(": ");
                out.push_str(&value.replace(['\r', '\n'], " "));
                out.push_str(newline);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "\n# Acme\n\nFree notes.\n\n## 2024-01-05 email @li.wei\n\nSent the proposal.\n\n- feedback: needs a module\n- objection: price — offered instalments\n- stage: potential -> intent\n\n## 2024-01-08 10:30 电话 @li.wei\n\n- 结果: 未接\n\n## Notes\n\n```\n## 2024-02-01 phone\n```\n## 2024-01-09 wechat\n\n- [ ] promised: send the trial agreement (due 2024-01-12)\n- [x] assist: presales-zhou: plan (due 2024-01-11)\n- promised: call back\n";

    #[test]
    fn parses_entries_fields_and_tasks() {
        let log = parse_log(BODY, 0, 1);
        assert!(log.problems.is_empty(), "{:?}", log.problems);
        assert_eq!(log.entries.len(), 3);
        let e = &log.entries[0];
        assert_eq!((e.line, e.channel.as_str()), (6, "email"));
        assert_eq!(e.author.as_deref(), Some("li.wei"));
        assert_eq!(e.text, "Sent the proposal.");
        assert_eq!(
            e.stage_change(),
            Some((Some("potential".into()), "intent".into()))
        );
        let e = &log.entries[1];
        assert_eq!(e.time.as_deref(), Some("10:30"));
        assert_eq!(e.channel, "电话");
        assert_eq!(e.outcome(), Outcome::NoAnswer);
        let e = &log.entries[2];
        let open: Vec<_> = e.fields.iter().filter(|f| f.is_open_item()).collect();
        assert_eq!(open.len(), 2);
        assert_eq!(
            due_date(&open[0].value),
            NaiveDate::from_ymd_opt(2024, 1, 12)
        );
    }

    #[test]
    fn entry_ends_at_next_level_two_heading() {
        let log = parse_log(BODY, 0, 1);
        // "## Notes" ends the second entry; the fenced heading is not an entry.
        assert_eq!(log.entries[1].fields.len(), 1);
        assert!(
            !log.entries
                .iter()
                .any(|e| e.date.to_string() == "2024-02-01")
        );
    }

    #[test]
    fn malformed_headings_are_reported() {
        let log = parse_log(
            "## 2024-13-01 phone\n## 2024-01-02\n## Plan for 2025\n",
            0,
            10,
        );
        assert_eq!(log.problems.len(), 2);
        assert_eq!(
            (
                log.problems[0].line,
                log.problems[0].column,
                log.problems[0].is_error
            ),
            (10, 4, true)
        );
        assert_eq!(
            (log.problems[1].line, log.problems[1].is_error),
            (11, false)
        );
    }

    #[test]
    fn blocks_rejoin_to_the_body() {
        let blocks = split_blocks(BODY);
        assert_eq!(
            blocks.iter().map(|b| b.text.as_str()).collect::<String>(),
            BODY
        );
        let dated: Vec<_> = blocks.iter().filter_map(|b| b.date).collect();
        assert_eq!(dated.len(), 3);
        assert_eq!(blocks[1].heading.as_deref(), Some("# Acme"));
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
    fn renders_the_spec_shape() {
        let entry = NewEntry {
            channel: "phone".into(),
            author: Some("li".into()),
            paragraphs: vec!["Talked.".into()],
            fields: vec![
                ("outcome".into(), "reached".into(), false),
                ("promised".into(), "send X".into(), true),
            ],
        };
        let date = NaiveDate::from_ymd_opt(2024, 1, 10).unwrap();
        assert_eq!(
            entry.render(date, "\n"),
            "## 2024-01-10 phone @li\n\nTalked.\n\n- outcome: reached\n- [ ] promised: send X\n"
        );
        let parsed = parse_log(&entry.render(date, "\r\n"), 0, 1);
        assert_eq!(parsed.entries[0].fields.len(), 2);
    }
}
