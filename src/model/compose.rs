//! Writing a new entry so that it renders as intended: a top-level `##` heading, the discussion,
//! then the fields as list items and the open items as task items. Text the rep typed is escaped
//! so it renders as typed and can never open a block that swallows what follows or make a
//! heading; Markdown from `$EDITOR` is checked with the reader instead. Also where a new entry
//! goes: after the last entry dated on or before it.

use crate::model::document::{Document, to_newline};
use crate::model::entry::{Detail, Entry, Problem};
use crate::model::reader::{container_depth, options, read_log};
use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser, Tag};

/// One field of a new entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewField {
    pub key: String,
    pub value: String,
    /// Written as a task item `- [ ] key: value`.
    pub task: bool,
    /// A task item written ticked, `- [x] key: value`.
    pub done: bool,
}

impl NewField {
    pub fn new(key: &str, value: impl Into<String>, task: bool) -> NewField {
        NewField {
            key: key.to_string(),
            value: value.into(),
            task,
            done: false,
        }
    }
}

/// The discussion of a new entry.
#[derive(Debug, Clone, Default)]
pub enum Discussion {
    #[default]
    None,
    /// Plain text typed on the command line: escaped so it renders exactly as typed.
    Plain(Vec<String>),
    /// Markdown from the editor, already checked by [`check_markdown`]: written as is.
    Markdown(String),
}

/// A new entry as the tool writes it.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub channel: String,
    pub author: Option<String>,
    pub discussion: Discussion,
    pub fields: Vec<NewField>,
}

impl NewEntry {
    /// Renders heading, blank line, discussion (if any), blank line, field list; every line
    /// ends with `newline`.
    pub fn render(&self, date: NaiveDate, newline: &str) -> String {
        let mut out = format!("## {date}");
        let channel = one_word(&self.channel);
        if !channel.is_empty() {
            out.push(' ');
            out.push_str(&escape_inline(&channel));
        }
        if let Some(author) = self.author.as_deref().map(one_word)
            && !author.is_empty()
        {
            out.push_str(" @");
            out.push_str(&escape_inline(&author));
        }
        out.push_str(newline);
        let text = match &self.discussion {
            Discussion::None => String::new(),
            Discussion::Plain(paragraphs) => paragraphs
                .iter()
                .map(|p| escape_text(p.trim()))
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("\n\n"),
            Discussion::Markdown(text) => text.trim_matches(['\n', '\r']).trim_end().to_string(),
        };
        if !text.trim().is_empty() {
            out.push_str(newline);
            out.push_str(&to_newline(&text, newline));
            out.push_str(newline);
        }
        if !self.fields.is_empty() {
            out.push_str(newline);
            for f in &self.fields {
                out.push_str(match (f.task, f.done) {
                    (true, true) => "- [x] ",
                    (true, false) => "- [ ] ",
                    _ => "- ",
                });
                // A to-do without a key (`- [ ] call back`) is read back as key `task`.
                if !(f.task && f.key == "task") {
                    out.push_str(&f.key);
                    out.push_str(": ");
                }
                out.push_str(&escape_inline(&one_line(&f.value)));
                out.push_str(newline);
            }
        }
        out
    }
}

fn one_word(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(".")
}

fn one_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Escapes what would not render as typed inside a line: raw HTML and comments (`<b>`,
/// `<!--`), entities (`&amp;`), backslash escapes and a trailing backslash.
pub fn escape_inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => {
                let rest: String = chars[i + 1..].iter().take(33).collect();
                rest.find(';').is_some_and(|end| {
                    end > 0
                        && rest[..end]
                            .chars()
                            .all(|x| x.is_ascii_alphanumeric() || x == '#')
                })
            }
            '\\' => next.is_none_or(|n| n.is_ascii_punctuation()),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes one line of plain text so that it cannot start a block: no heading, setext
/// underline, thematic break, list item, block quote, fence, HTML block or link definition.
fn escape_line(line: &str) -> String {
    let line = escape_inline(line);
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent >= 4 || line.trim().is_empty() {
        return line;
    }
    let (lead, rest) = line.split_at(indent);
    let first = rest.chars().next().unwrap_or(' ');
    let second = rest.chars().nth(1);
    let all_of = |set: &[char]| {
        rest.trim_end()
            .chars()
            .all(|c| set.contains(&c) || c == ' ')
    };
    let starts_block = match first {
        '#' | '>' | '<' | '[' | '|' => true,
        '-' | '+' | '*' => second.is_none_or(|c| c == ' ' || c == '\t') || all_of(&['-', '*']),
        '=' => all_of(&['=']),
        '_' => all_of(&['_']),
        '`' | '~' => rest.starts_with("```") || rest.starts_with("~~~"),
        d if d.is_ascii_digit() => {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            let after: Vec<char> = rest.chars().skip(digits).take(2).collect();
            if digits <= 9
                && matches!(after.first(), Some('.' | ')'))
                && after.get(1).is_none_or(|c| *c == ' ' || *c == '\t')
            {
                // `1. x` → `1\. x`
                let (n, tail) = rest.split_at(digits);
                return format!("{lead}{n}\\{tail}");
            }
            false
        }
        _ => false,
    };
    if starts_block {
        format!("{lead}\\{rest}")
    } else {
        line
    }
}

/// Plain text (one `-m`) as Markdown that renders as typed: every line escaped.
pub fn escape_text(text: &str) -> String {
    text.lines().map(escape_line).collect::<Vec<_>>().join("\n")
}

/// Checks Markdown from the editor before it becomes an entry's discussion: it must not make a
/// heading that would end the entry, nor leave a block open that would swallow what follows.
/// The error names the 1-based line of `text`.
pub fn check_markdown(text: &str) -> Result<(), crate::msg::Text> {
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let line = text[..range.start].matches('\n').count() + 1;
        depth = container_depth(&event, depth);
        match event {
            Event::Start(Tag::Heading { level, .. }) if depth == 0 && (level as u8) <= 2 => {
                let source = &text[range.clone()];
                return Err(if source.trim_start().starts_with('#') {
                    crate::msg::m::E_MD_HEADING
                        .with("line", line)
                        .with("source", source.trim())
                } else {
                    crate::msg::m::E_MD_SETEXT.with("line", line)
                });
            }
            _ => {}
        }
    }
    let log = read_log(text, 0, 1, Detail::Lean);
    if let Some(p) = log.problems.iter().find_map(|p| match &p.kind {
        Problem::UnclosedBlock(what) => Some(
            crate::msg::m::AT_LINE
                .with("line", p.line)
                .with_text("message", what.clone()),
        ),
        _ => None,
    }) {
        return Err(p);
    }
    Ok(())
}

/// Splices a rendered entry into `doc` after the last of `entries` dated on or before `date`
/// (before the first entry when none is; at the end when there is none), with one blank line
/// around it. `entries` are `doc`'s, in file order. Returns the new document and the 1-based
/// line of the new heading.
pub fn insert_entry(
    doc: &Document,
    entries: &[Entry],
    entry: &NewEntry,
    date: NaiveDate,
) -> (Document, usize) {
    let nl = doc.newline;
    let rendered = entry.render(date, nl);
    let text = &doc.text;
    let valid = |at: usize| at <= text.len() && text.is_char_boundary(at);
    let anchor = entries.iter().rev().find(|e| e.date <= date);
    if anchor.is_none()
        && let Some(first) = entries.first()
        && valid(first.start)
    {
        // Before the first entry: the new entry, a blank line, then the old first heading.
        let line = text[..first.start].matches('\n').count() + 1;
        let insert = format!("{rendered}{nl}");
        return (doc.splice(first.start..first.start, &insert), line);
    }
    let end = anchor.map(|e| e.end).filter(|&e| valid(e));
    let after_is_blank = end.is_none_or(|e| text[e..].trim().is_empty());
    if after_is_blank {
        let mut insert = String::new();
        if !text.ends_with('\n') && !text.is_empty() {
            insert.push_str(nl);
        }
        let ends_blank =
            text.ends_with(&format!("{nl}{nl}")) || text.ends_with("\n\n") || text.is_empty();
        if !ends_blank {
            insert.push_str(nl);
        }
        let line = text.matches('\n').count() + insert.matches('\n').count() + 1;
        insert.push_str(&rendered);
        (doc.splice(text.len()..text.len(), &insert), line)
    } else {
        let at = end.unwrap_or(text.len());
        let body = rendered.strip_suffix(nl).unwrap_or(&rendered);
        let insert = format!("{nl}{nl}{body}");
        let line = text[..at].matches('\n').count() + 3;
        (doc.splice(at..at, &insert), line)
    }
}

/// `entries` read from `original`, moved to where they are in `edited` (the same file after a
/// front-matter edit, which shifts every body offset by the same amount).
pub fn shifted(entries: &[Entry], original: &Document, edited: &Document) -> Vec<Entry> {
    let shift = |at: usize| (at + edited.body_start).saturating_sub(original.body_start);
    entries
        .iter()
        .map(|e| Entry {
            start: shift(e.start),
            end: shift(e.end),
            fields: Vec::new(),
            text: String::new(),
            ..e.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_text(text: &str) -> String {
        let entry = NewEntry {
            channel: "phone".into(),
            author: Some("li".into()),
            discussion: Discussion::Plain(vec![text.into()]),
            fields: vec![NewField::new("promised", "x", true)],
        };
        entry.render(NaiveDate::from_ymd_opt(2024, 1, 10).unwrap(), "\n")
    }

    #[test]
    fn renders_the_spec_shape() {
        let entry = NewEntry {
            channel: "phone".into(),
            author: Some("li".into()),
            discussion: Discussion::Plain(vec!["Talked.".into()]),
            fields: vec![
                NewField::new("outcome", "reached", false),
                NewField::new("promised", "send X", true),
            ],
        };
        let date = NaiveDate::from_ymd_opt(2024, 1, 10).unwrap();
        assert_eq!(
            entry.render(date, "\n"),
            "## 2024-01-10 phone @li\n\nTalked.\n\n- outcome: reached\n- [ ] promised: send X\n"
        );
        let parsed = read_log(&entry.render(date, "\r\n"), 0, 1, Detail::Full);
        assert_eq!(parsed.entries[0].fields.len(), 2);
    }

    #[test]
    fn typed_text_cannot_open_blocks() {
        for typed in [
            "## 2024-01-01 phone",
            "text\n---",
            "text\n===",
            "```",
            "~~~",
            "<!-- note",
            "<pre>",
            "> quote",
            "- feedback: x",
            "1. first",
            "[a]: http://x",
            "* * *",
        ] {
            let out = render_text(typed);
            let log = read_log(&out, 0, 1, Detail::Full);
            assert_eq!(log.entries.len(), 1, "{typed:?} → {out}");
            assert_eq!(log.entries[0].fields.len(), 1, "{typed:?} → {out}");
            assert!(log.problems.is_empty(), "{typed:?} → {out}");
        }
    }

    #[test]
    fn inline_escapes_keep_text_visible() {
        assert_eq!(escape_inline("a <b> c"), "a \\<b> c");
        assert_eq!(escape_inline("R&D &amp; co"), "R&D \\&amp; co");
        assert_eq!(escape_inline("C:\\Users \\*"), "C:\\Users \\\\*");
        assert_eq!(escape_inline("1 < 2"), "1 < 2");
    }

    #[test]
    fn markdown_from_the_editor_is_checked() {
        assert!(check_markdown("ok\n\n```\ncode\n```\n").is_ok());
        assert!(
            check_markdown("Title\n---\n")
                .unwrap_err()
                .to_string()
                .contains("line 1")
        );
        assert!(
            check_markdown("a\n\n```\ncode\n")
                .unwrap_err()
                .to_string()
                .contains("line 3")
        );
        assert!(check_markdown("<!-- x\n").is_err());
    }
}
