//! The reader of record for a customer file's body: CommonMark with GitHub's tables, task lists,
//! strikethrough and footnotes (pulldown-cmark), read once into entries, fields and open items
//! with their byte spans. What a person sees rendered on GitHub is what the tool counts — a
//! heading in a code block, comment, quote or list is text — and every edit is still a splice.

use crate::model::entry::{
    Detail, Entry, Field, FieldKey, Log, Problem, ReadProblem, parse_heading, split_field,
};
use crate::msg::{Text, m};
use chrono::NaiveDate;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// The Markdown dialect GitHub renders: CommonMark plus tables, task lists, strikethrough and
/// footnotes.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
}

/// Reads a body that starts at byte `offset` and line `first_line` of the file text, keeping
/// what `detail` asks for. Never panics, whatever the text.
pub fn read_log(body: &str, offset: usize, first_line: usize, detail: Detail) -> Log {
    let mut reader = Reader {
        body,
        offset,
        detail,
        lines: Lines::new(body, first_line),
        log: Log::default(),
        depth: 0,
        entry: None,
        heading: None,
        list_in_entry: false,
        item: None,
        read_headings: Vec::new(),
        heading_text: String::new(),
        item_text: String::new(),
    };
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        reader.event(event, range);
    }
    reader.finish()
}

/// Maps body offsets to 1-based file lines: forward moves count only the new bytes.
struct Lines<'a> {
    text: &'a str,
    first_line: usize,
    at: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        Lines {
            text,
            first_line,
            at: 0,
            line: first_line,
        }
    }

    fn line(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.at {
            self.at = 0;
            self.line = self.first_line;
        }
        self.line += memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.at..offset]).count();
        self.at = offset;
        self.line
    }

    /// 1-based column in characters.
    fn column(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        self.text[start..offset].chars().count() + 1
    }
}

/// A top-level heading being read (its text goes to `Reader::heading_text`).
struct HeadingText {
    level: u8,
    range: Range<usize>,
    text_start: Option<usize>,
}

/// An item of a top-level list inside an entry: maybe a field.
struct ItemText {
    range: Range<usize>,
    task: Option<(bool, Range<usize>)>,
    /// Nothing of the item's text has been read yet.
    empty: bool,
    text_start: Option<usize>,
    text_end: usize,
    /// The item's first block (its text) is over; later content is not part of the value.
    first_block_done: bool,
    seen_paragraph: bool,
}

/// An entry being read, with the end of its last block so far.
struct OpenEntry {
    entry: Entry,
    last_end: usize,
    text: Vec<Range<usize>>,
}

struct Reader<'a> {
    body: &'a str,
    offset: usize,
    detail: Detail,
    lines: Lines<'a>,
    log: Log,
    /// Open container blocks: block quotes, lists, items, footnote definitions.
    depth: usize,
    entry: Option<OpenEntry>,
    heading: Option<HeadingText>,
    /// The open top-level list is inside an entry: its items may be fields.
    list_in_entry: bool,
    item: Option<ItemText>,
    /// Body offsets of the lines that start an entry heading or a malformed one.
    read_headings: Vec<usize>,
    /// The rendered text of the heading or item being read (buffers reused across them).
    heading_text: String,
    item_text: String,
}

/// Nesting depth of the content of an item of a top-level list.
const ITEM_CONTENT: usize = 2;

impl Reader<'_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(&tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.inline(&t, &range);
            }
            Event::SoftBreak | Event::HardBreak => self.inline(" ", &range),
            Event::TaskListMarker(done) => {
                if self.depth == ITEM_CONTENT
                    && let Some(item) = &mut self.item
                    && item.empty
                    && item.task.is_none()
                {
                    item.task = Some((done, range));
                }
            }
            Event::Rule if self.depth == 0 => self.top_block(&range, true),
            _ => {}
        }
    }

    fn start(&mut self, tag: &Tag<'_>, range: Range<usize>) {
        let depth = self.depth;
        match tag {
            Tag::Heading { level, .. } if depth == 0 => {
                self.heading = Some(HeadingText {
                    level: *level as u8,
                    range: range.clone(),
                    text_start: None,
                });
                self.heading_text.clear();
                if (*level as u8) > 2 {
                    self.top_block(&range, true);
                }
                return;
            }
            Tag::CodeBlock(CodeBlockKind::Fenced(_)) => self.check_fence_closed(&range),
            Tag::HtmlBlock => self.check_html_closed(&range),
            _ => {}
        }
        if depth == 0 {
            let is_list = matches!(tag, Tag::List(_));
            let is_comment = matches!(tag, Tag::HtmlBlock)
                && self.body[range.clone()].trim_start().starts_with("<!--");
            self.top_block(&range, !is_list && !is_comment);
            if is_list {
                self.list_in_entry = self.entry.is_some();
            }
        }
        if depth == ITEM_CONTENT
            && let Some(item) = &mut self.item
        {
            match tag {
                Tag::Paragraph if !item.seen_paragraph => item.seen_paragraph = true,
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. } => {}
                _ => item.first_block_done = true,
            }
        }
        match tag {
            Tag::Item if depth == 1 && self.list_in_entry => {
                self.item = Some(ItemText {
                    range,
                    task: None,
                    empty: true,
                    text_start: None,
                    text_end: 0,
                    first_block_done: false,
                    seen_paragraph: false,
                });
                self.item_text.clear();
                self.depth += 1;
            }
            Tag::List(_)
            | Tag::Item
            | Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList => self.depth += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) if self.depth == 0 => self.finish_heading(),
            TagEnd::Paragraph if self.depth == ITEM_CONTENT => {
                if let Some(item) = &mut self.item {
                    item.first_block_done = true;
                }
            }
            TagEnd::Item => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 1 {
                    self.finish_item();
                }
            }
            TagEnd::List(_) => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    self.list_in_entry = false;
                }
            }
            TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition | TagEnd::DefinitionList => {
                self.depth = self.depth.saturating_sub(1);
            }
            _ => {}
        }
    }

    /// Text as it renders, for the heading or the field item being read.
    fn inline(&mut self, text: &str, range: &Range<usize>) {
        if let Some(h) = &mut self.heading {
            h.text_start.get_or_insert(range.start);
            self.heading_text.push_str(text);
        } else if self.depth == ITEM_CONTENT
            && let Some(item) = &mut self.item
            && !item.first_block_done
        {
            item.text_start.get_or_insert(range.start);
            item.empty = false;
            self.item_text.push_str(text);
            item.text_end = item.text_end.max(range.end);
        }
    }

    /// A block at the top level: it belongs to the open entry (and, when `text`, to its
    /// discussion).
    fn top_block(&mut self, range: &Range<usize>, text: bool) {
        if let Some(open) = &mut self.entry {
            open.last_end = open.last_end.max(range.end);
            if text && self.detail == Detail::Full {
                open.text.push(range.clone());
            }
        }
    }

    fn finish_heading(&mut self) {
        let Some(h) = self.heading.take() else {
            return;
        };
        if h.level > 2 {
            return;
        }
        self.close_entry();
        if h.level != 2 {
            return;
        }
        let line = self.lines.line(h.range.start);
        match parse_heading(&self.heading_text) {
            Ok(Some(heading)) => {
                self.read_headings
                    .push(line_start(self.body, h.range.start));
                if heading.channel.is_empty() {
                    self.log.problems.push(ReadProblem {
                        line,
                        column: 1,
                        kind: Problem::MissingChannel,
                    });
                }
                let end = content_end(self.body, h.range.start, h.range.end);
                self.entry = Some(OpenEntry {
                    entry: Entry {
                        line,
                        date: heading.date,
                        time: heading.time,
                        channel: heading.channel,
                        author: heading.author,
                        fields: Vec::new(),
                        text: String::new(),
                        start: self.offset + line_start(self.body, h.range.start),
                        end: self.offset + end,
                    },
                    last_end: end,
                    text: Vec::new(),
                });
            }
            Ok(None) => {}
            Err(message) => {
                self.read_headings
                    .push(line_start(self.body, h.range.start));
                let column = self.lines.column(h.text_start.unwrap_or(h.range.start));
                self.log.problems.push(ReadProblem {
                    line,
                    column,
                    kind: Problem::BadHeading(message),
                });
            }
        }
    }

    fn close_entry(&mut self) {
        let Some(open) = self.entry.take() else {
            return;
        };
        let mut entry = open.entry;
        let end = content_end(self.body, entry.start - self.offset, open.last_end);
        entry.end = self.offset + end;
        // A vector grown by pushing holds room for four fields; thousands of entries kept
        // for a review should hold only what they have.
        entry.fields.shrink_to_fit();
        if self.detail == Detail::Full {
            let blocks: Vec<&str> = open
                .text
                .iter()
                .map(|r| self.body[r.clone()].trim_end())
                .filter(|t| !t.trim().is_empty())
                .collect();
            entry.text = blocks.join("\n\n");
        }
        self.log.entries.push(entry);
    }

    fn finish_item(&mut self) {
        let Some(item) = self.item.take() else {
            return;
        };
        let item_text = std::mem::take(&mut self.item_text);
        self.add_item(&item, item_text.trim());
        self.item_text = item_text;
    }

    fn add_item(&mut self, item: &ItemText, text: &str) {
        let task = item.task.as_ref().map(|(done, _)| *done);
        let (key, value, value_at) = match split_field(text) {
            Some(field) => field,
            None if task.is_some() => (FieldKey::Known("task"), text, 0),
            None => {
                // Not a field: the item is part of the discussion.
                if let Some(open) = &mut self.entry
                    && self.detail == Detail::Full
                {
                    open.text.push(item.range.clone());
                }
                return;
            }
        };
        if !self.detail.keeps(key, task) {
            return;
        }
        let text_start = item.text_start.unwrap_or(item.range.start);
        // Where the value starts in the source: exact when the key renders as written.
        let value_offset = if self.body[text_start..].starts_with(&text[..value_at]) {
            text_start + value_at
        } else {
            text_start
        };
        let Some(open) = &mut self.entry else {
            return;
        };
        let field = Field {
            key: key.to_key(),
            // Runs of spaces collapse, as they do when the page is rendered.
            value: collapse_spaces(value),
            line: self.lines.line(item.range.start),
            column: self.lines.column(value_offset),
            task,
            task_span: item
                .task
                .as_ref()
                .map(|(_, r)| self.offset + r.start..self.offset + r.end),
            item_start: self.offset + item.range.start,
            text_end: self.offset + item.text_end.max(text_start),
        };
        open.entry.fields.push(field);
    }

    fn check_fence_closed(&mut self, range: &Range<usize>) {
        if !reaches_end(self.body, range) {
            return;
        }
        let source = &self.body[range.clone()];
        let mut lines = source.lines().map(strip_container);
        let open_line = lines.next().unwrap_or("");
        let open = open_line;
        let fence = open.chars().next().unwrap_or('`');
        let length = open.chars().take_while(|c| *c == fence).count();
        let closed = lines.next_back().is_some_and(|last| {
            let last = last.trim_end();
            last.chars().count() >= length && last.chars().all(|c| c == fence)
        });
        if !closed {
            let marker: String = std::iter::repeat_n(fence, length).collect();
            self.unclosed(range.start, m::U_FENCE.with("marker", marker));
        }
    }

    fn check_html_closed(&mut self, range: &Range<usize>) {
        if !reaches_end(self.body, range) {
            return;
        }
        let source = &self.body[range.clone()];
        let open = strip_container(source.lines().next().unwrap_or(""));
        let lead = source.len() - strip_container(source).len();
        let lower = source.to_ascii_lowercase();
        let after = |n: usize| lower.get(lead + n..).unwrap_or("");
        let (what, closed) = if open.starts_with("<!--") {
            let rest = after(4);
            (
                Text::from(m::U_COMMENT),
                rest.starts_with('>') || rest.starts_with("->") || rest.contains("-->"),
            )
        } else if open.starts_with("<?") {
            (Text::from(m::U_PI), after(2).contains("?>"))
        } else if open.starts_with("<![CDATA[") {
            (Text::from(m::U_CDATA), after(9).contains("]]>"))
        } else if open.starts_with("<!") {
            (Text::from(m::U_DECL), after(2).contains('>'))
        } else {
            let open_lower = open.to_lowercase();
            let raw = ["pre", "script", "style", "textarea"]
                .into_iter()
                .find(|t| {
                    open_lower
                        .strip_prefix('<')
                        .and_then(|r| r.strip_prefix(t))
                        .is_some_and(|r| r.is_empty() || r.starts_with(['>', ' ', '\t']))
                });
            match raw {
                Some(t) => (m::U_HTML.with("tag", t), lower.contains(&format!("</{t}>"))),
                None => return,
            }
        };
        if !closed {
            self.unclosed(range.start, what);
        }
    }

    fn unclosed(&mut self, at: usize, what: Text) {
        let line = self.lines.line(at);
        self.log.problems.push(ReadProblem {
            line,
            column: self.lines.column(at),
            kind: Problem::UnclosedBlock(what),
        });
    }

    fn finish(mut self) -> Log {
        self.close_entry();
        self.log.entries.shrink_to_fit();
        self.find_lookalikes();
        self.log.problems.sort_by_key(|p| (p.line, p.column));
        self.log
    }

    /// Lines that look like `## DATE …` but are not read as an entry heading.
    fn find_lookalikes(&mut self) {
        let bytes = self.body.as_bytes();
        for at in memchr::memmem::find_iter(bytes, "##") {
            let start = line_start(self.body, at);
            let prefix = &self.body[start..at];
            let rest = &self.body[at + 2..];
            if rest.starts_with('#') || prefix.ends_with('#') {
                continue;
            }
            if !prefix
                .chars()
                .all(|c| c == '>' || c.is_whitespace() || c == '\u{a0}')
            {
                continue;
            }
            let spaces: &str = &rest[..rest.len()
                - rest
                    .trim_start_matches([' ', '\t', '\u{a0}', '\u{3000}'])
                    .len()];
            let after = &rest[spaces.len()..];
            if !looks_like_date(after) || self.read_headings.contains(&start) {
                continue;
            }
            let indent = prefix.chars().filter(|c| *c == ' ').count()
                + 4 * prefix.chars().filter(|c| *c == '\t').count();
            let why = if prefix.contains('>') {
                m::N_IN_QUOTE
            } else if indent >= 4 {
                m::N_INDENTED
            } else if spaces.is_empty() {
                m::N_NO_SPACE
            } else if spaces.contains(['\u{a0}', '\u{3000}']) {
                m::N_ODD_SPACE
            } else {
                m::N_IN_BLOCK
            };
            let line = self.lines.line(start);
            self.log.problems.push(ReadProblem {
                line,
                column: self.lines.column(at),
                kind: Problem::NotAnEntry(why.into()),
            });
        }
    }
}

/// The text with every run of white space as one space.
fn collapse_spaces(text: &str) -> String {
    let plain = !text.contains("  ") && !text.contains(['\t', '\n', '\r', '\u{a0}', '\u{3000}']);
    if plain {
        text.to_string()
    } else {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// `YYYY-MM-DD` at the start of a text (the shape, not the calendar).
fn looks_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// A line without the block-quote markers and indentation in front of its content.
fn strip_container(line: &str) -> &str {
    line.trim_start_matches(['>', ' ', '\t'])
}

/// Does the block run to the end of the text (only blank lines after it)?
fn reaches_end(body: &str, range: &Range<usize>) -> bool {
    body.get(range.end..)
        .is_none_or(|rest| rest.trim().is_empty())
}

/// Offset of the start of the line holding `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the last non-blank line in `text[from..to]` (before its line ending).
fn content_end(text: &str, from: usize, to: usize) -> usize {
    let to = to.min(text.len());
    let last = from + text[from..to].trim_end().len();
    text[last..to].find(['\r', '\n']).map_or(to, |i| last + i)
}

/// A piece of a body as the merge driver sees it: the text before the first top-level level-1
/// or level-2 heading, or one such heading with everything up to the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The heading's source, trimmed; `None` for the text before the first heading.
    pub heading: Option<String>,
    /// The block's exact text, line endings included.
    pub text: String,
    /// The entry date when the heading starts a log entry.
    pub date: Option<NaiveDate>,
}

/// The depth of containers — lists, items, block quotes, footnotes, definition lists — after
/// `event`, from `depth` before it: a heading is top-level (it can start an entry) only at 0.
pub fn container_depth(event: &Event<'_>, depth: usize) -> usize {
    match event {
        Event::Start(
            Tag::List(_)
            | Tag::Item
            | Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList,
        ) => depth + 1,
        Event::End(
            TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList,
        ) => depth.saturating_sub(1),
        _ => depth,
    }
}

/// Splits a body into blocks at its top-level level-1 and level-2 headings, read as
/// CommonMark; joining the blocks' texts gives the body back byte for byte.
pub fn split_blocks(body: &str) -> Vec<Block> {
    let mut cuts: Vec<(usize, String, Option<NaiveDate>)> = Vec::new();
    let mut depth = 0usize;
    let mut heading: Option<(u8, Range<usize>, String)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        depth = container_depth(&event, depth);
        match event {
            Event::Start(Tag::Heading { level, .. }) if depth == 0 && (level as u8) <= 2 => {
                heading = Some((level as u8, range, String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = &mut heading {
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, text)) = &mut heading {
                    text.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, range, text)) = heading.take() {
                    let date = if level == 2 {
                        parse_heading(&text).ok().flatten().map(|h| h.date)
                    } else {
                        None
                    };
                    let start = line_start(body, range.start);
                    let source = body[start..range.end].trim().to_string();
                    cuts.push((start, source, date));
                }
            }
            _ => {}
        }
    }
    let mut blocks = Vec::with_capacity(cuts.len() + 1);
    let first = cuts.first().map_or(body.len(), |c| c.0);
    blocks.push(Block {
        heading: None,
        text: body[..first].to_string(),
        date: None,
    });
    for (i, (start, heading, date)) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).map_or(body.len(), |c| c.0);
        blocks.push(Block {
            heading: Some(heading.clone()),
            text: body[*start..end].to_string(),
            date: *date,
        });
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::entry::Outcome;

    const BODY: &str = "\n# Acme\n\nFree notes.\n\n## 2024-01-05 email @li.wei\n\nSent the proposal.\n\n- feedback: needs a module\n- objection: price — offered instalments\n- stage: potential -> intent\n\n## 2024-01-08 10:30 电话 @li.wei\n\n- 结果: 未接\n\n## Notes\n\n```\n## 2024-02-01 phone\n```\n## 2024-01-09 wechat\n\n- [ ] promised: send the trial agreement (due 2024-01-12)\n- [x] assist: presales-zhou: plan (due 2024-01-11)\n- promised: call back\n";

    fn full(body: &str) -> Log {
        read_log(body, 0, 1, Detail::Full)
    }

    #[test]
    fn reads_entries_fields_and_tasks() {
        let log = full(BODY);
        assert_eq!(log.entries.len(), 3);
        let e = &log.entries[0];
        assert_eq!((e.line, e.channel), (6, "email"));
        assert_eq!(e.author, Some("li.wei"));
        assert_eq!(e.text, "Sent the proposal.");
        assert_eq!(e.fields.len(), 3);
        assert_eq!(e.fields[2].value, "potential -> intent");
        assert_eq!((e.fields[0].line, e.fields[0].column), (10, 13));
        let e = &log.entries[1];
        assert_eq!(e.time, Some("10:30"));
        assert_eq!(e.outcome(), Outcome::NoAnswer);
        let e = &log.entries[2];
        let open: Vec<_> = e.fields.iter().filter(|f| f.is_open_item()).collect();
        assert_eq!(open.len(), 2);
        let span = open[0].task_span.clone().unwrap();
        assert_eq!(&BODY[span], "[ ]");
    }

    #[test]
    fn a_heading_in_a_fence_is_text_and_is_flagged() {
        let log = full(BODY);
        assert!(
            !log.entries
                .iter()
                .any(|e| e.date.to_string() == "2024-02-01")
        );
        // "## Notes" ends the second entry.
        assert_eq!(log.entries[1].fields.len(), 1);
        assert_eq!(log.problems.len(), 1);
        assert_eq!(log.problems[0].line, 21);
        assert!(matches!(log.problems[0].kind, Problem::NotAnEntry(_)));
    }

    #[test]
    fn entry_end_is_the_end_of_its_last_line() {
        let body = "## 2024-01-01 phone\n\ntext  \n\n\n## Notes\n";
        let log = full(body);
        assert_eq!(&body[..log.entries[0].end], "## 2024-01-01 phone\n\ntext  ");
    }

    #[test]
    fn unclosed_blocks_name_their_opening_line() {
        let log = full("## 2024-01-01 phone\n\n```\ncode\n");
        assert_eq!(log.problems.len(), 1);
        assert_eq!(log.problems[0].line, 3);
        assert!(matches!(log.problems[0].kind, Problem::UnclosedBlock(_)));
        let log = full("## 2024-01-01 phone\n\n<!--\n## 2024-01-02 phone\n");
        assert_eq!(log.entries.len(), 1);
        assert_eq!(log.problems.len(), 2, "{:?}", log.problems);
        assert!(
            full("## 2024-01-01 phone\n\n```\ncode\n```\n")
                .problems
                .is_empty()
        );
        assert!(
            full("<!-- x -->\n## 2024-01-01 phone\n")
                .problems
                .is_empty()
        );
    }

    #[test]
    fn setext_headings_are_entries() {
        let log = full("2024-01-01 phone\n---\n\n- outcome: busy\n");
        assert_eq!(log.entries.len(), 1);
        assert_eq!(log.entries[0].fields.len(), 1);
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
}
