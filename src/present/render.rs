//! Output shapes: aligned tables (CJK characters count two columns), colours, CSV for Excel
//! (formulas neutralised), JSON, the masking of one confidential text, and escaping of control
//! characters for the terminal. Data in, String out.

use crate::model::names::is_unsafe_char as is_unsafe;
use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthStr;

/// Colours of the tool, like a CRM's activity colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Overdue,
    Today,
    Upcoming,
    Header,
}

impl Tone {
    fn style(self) -> Style {
        match self {
            Tone::Plain => Style::new(),
            Tone::Overdue => Style::new().fg_color(Some(AnsiColor::Red.into())),
            Tone::Today => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
            Tone::Upcoming => Style::new().dimmed(),
            Tone::Header => Style::new().bold(),
        }
    }
}

/// Wraps `text` in the tone's colour when `color` is on.
pub fn paint(text: &str, tone: Tone, color: bool) -> String {
    if !color || tone == Tone::Plain || text.is_empty() {
        return text.to_string();
    }
    let s = tone.style();
    format!("{s}{text}{s:#}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A borderless table (comfy-table): a header row, then rows; columns two spaces apart, CJK
/// characters two columns wide, and long cells wrapped to the terminal's width when it is known.
#[derive(Debug, Default)]
pub struct Table {
    headers: Vec<String>,
    aligns: Vec<Align>,
    rows: Vec<(Vec<String>, Tone)>,
    width: Option<u16>,
    /// The columns that may wrap (free text); the others keep their content's width.
    wrapping: Vec<usize>,
}

/// Display width of text in terminal columns (CJK characters are two wide).
pub fn width(text: &str) -> usize {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return text.len(); // printable ASCII: one column a byte
    }
    UnicodeWidthStr::width(text)
}

impl Table {
    pub fn new(headers: &[&str], aligns: &[Align]) -> Table {
        Table {
            headers: headers.iter().map(|h| (*h).to_string()).collect(),
            aligns: aligns.to_vec(),
            rows: Vec::new(),
            width: None,
            wrapping: Vec::new(),
        }
    }

    /// Adds a row; a cell's lines are its `\n`-separated parts, each shown with its control
    /// characters escaped.
    pub fn row(&mut self, cells: Vec<String>, tone: Tone) {
        let cells = cells
            .into_iter()
            .map(|c| {
                if may_be_unsafe(&c) {
                    c.split('\n').map(clean).collect::<Vec<_>>().join("\n")
                } else {
                    c
                }
            })
            .collect();
        self.rows.push((cells, tone));
    }

    /// Wraps long cells so the table fits in `width` columns (the terminal's); `None` never
    /// wraps (output to a pipe or file keeps every cell whole).
    /// Only the `columns` given (free text: names, actions, reasons) wrap; the others keep
    /// the width of their content.
    pub fn wrap_to(&mut self, width: Option<u16>, columns: &[usize]) {
        self.width = width;
        self.wrapping = columns.to_vec();
    }

    /// Renders the table; a cell with several lines makes its row that many lines high. With a
    /// width to wrap to, comfy-table lays it out; without one (output to a pipe or a file)
    /// nothing wraps, and the same layout is a plain join of padded cells — ten thousand rows
    /// of `due` in a few milliseconds (a test proves both give the same text).
    pub fn render(&self, color: bool) -> String {
        match self.width {
            Some(_) => self.render_comfy(color),
            None => self.render_plain(color),
        }
    }

    /// The rows without the header line: a list laid out as a table.
    pub fn render_rows(&self, color: bool) -> String {
        self.render(color)
            .split_once('\n')
            .map_or(String::new(), |(_, rest)| rest.to_string())
    }

    /// Columns two spaces apart, each as wide as its widest line; no wrapping.
    fn render_plain(&self, color: bool) -> String {
        let cols = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| width(h)).collect();
        for (cells, _) in &self.rows {
            for (i, c) in cells.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(c.lines().map(width).max().unwrap_or(0));
            }
        }
        let mut out = String::new();
        let mut text = String::new();
        let mut line = |cells: &[&str], tone: Tone| {
            text.clear();
            for (i, w) in widths.iter().enumerate() {
                let cell = cells.get(i).copied().unwrap_or("");
                let pad = w.saturating_sub(width(cell));
                let right = self.aligns.get(i) == Some(&Align::Right);
                if right {
                    text.extend(std::iter::repeat_n(' ', pad));
                }
                text.push_str(cell);
                if !right {
                    text.extend(std::iter::repeat_n(' ', pad));
                }
                if i + 1 < cols {
                    text.push_str("  ");
                }
            }
            if color {
                out.push_str(&paint(text.trim_end(), tone, color));
            } else {
                out.push_str(text.trim_end());
            }
            out.push('\n');
        };
        let headers: Vec<&str> = self.headers.iter().map(String::as_str).collect();
        line(&headers, Tone::Header);
        for (cells, tone) in &self.rows {
            let split: Vec<Vec<&str>> = cells.iter().map(|c| c.lines().collect()).collect();
            let height = split.iter().map(Vec::len).max().unwrap_or(1).max(1);
            for row in 0..height {
                let parts: Vec<&str> = split
                    .iter()
                    .map(|c| c.get(row).copied().unwrap_or(""))
                    .collect();
                line(&parts, *tone);
            }
        }
        out
    }

    /// The layout by comfy-table, wrapping the free-text columns to the width.
    fn render_comfy(&self, color: bool) -> String {
        use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Width, presets};
        let mut table = comfy_table::Table::new();
        table.load_style(presets::NOTHING);
        match self.width {
            Some(width) => table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width),
            None => table.set_content_arrangement(ContentArrangement::Disabled),
        };
        // Colour is put on after the layout, line by line: a zero-width mark in each row's
        // first cell tells which row a rendered line belongs to (comfy-table measures it as
        // nothing, and it is removed before printing).
        let mark = |first: bool, text: &str| -> String {
            let text = text.replace(ROW_MARK, "");
            if color && first {
                format!("{ROW_MARK}{text}")
            } else {
                text
            }
        };
        let cells = |cells: &[String]| -> Vec<String> {
            let mut row: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| mark(i == 0, c))
                .collect();
            row.resize(self.headers.len(), String::new());
            row
        };
        table.set_header(cells(&self.headers));
        for (row, _) in &self.rows {
            table.add_row(cells(row));
        }
        for (i, column) in table.column_iter_mut().enumerate() {
            column.set_padding((u16::from(i > 0), 1));
            if self.aligns.get(i) == Some(&Align::Right) {
                column.set_cell_alignment(CellAlignment::Right);
            }
            if !self.wrapping.contains(&i) {
                column.set_constraint(ColumnConstraint::ContentWidth);
            } else {
                // A free-text column is never squeezed below a readable width; a table that
                // cannot fit then runs wider than the terminal rather than cut words apart.
                column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(16)));
            }
        }
        let tones: Vec<Tone> = std::iter::once(Tone::Header)
            .chain(self.rows.iter().map(|(_, tone)| *tone))
            .collect();
        let mut row = 0usize;
        let mut out = String::new();
        for line in table.lines() {
            let line = line.trim_end();
            if color && line.contains(ROW_MARK) {
                row += 1;
            }
            let line = line.replace(ROW_MARK, "");
            let tone = tones
                .get(row.saturating_sub(1))
                .copied()
                .unwrap_or(Tone::Plain);
            out.push_str(&paint(&line, tone, color));
            out.push('\n');
        }
        out
    }
}

/// A zero-width space: marks the first line of each row in a rendered table.
const ROW_MARK: char = '\u{200B}';

/// A section's heading in a report for people: a blank line, then the title.
pub fn section_heading(out: &mut String, title: &str, color: bool) {
    out.push('\n');
    out.push_str(&paint(title, Tone::Header, color));
    out.push('\n');
}

/// Every line indented by two spaces (a section's body under its heading).
pub fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// Masks one confidential text: a phone number keeps its last four digits, anything else is
/// hidden whole. Every masked value of every output ends here (see `present::mask`).
pub fn mask(value: &str) -> String {
    // A date is all digits and dashes too, but its last four digits are no phone's tail.
    let date = value.len() == 10 && crate::model::dates::parse_iso(value).is_some();
    let phone_like = !date
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits: Vec<char> = value.chars().filter(char::is_ascii_digit).collect();
    if phone_like && digits.len() >= 7 {
        let tail: String = digits[digits.len() - 4..].iter().collect();
        format!("***{tail}")
    } else {
        "***".to_string()
    }
}

fn escape_char(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

/// Text from a file as a terminal may show it: control characters and escape sequences
/// escaped (`\x1b`, `\n`, `\u{202e}`), everything else as it is.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    if !may_be_unsafe(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            escape_char(c, &mut out);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A byte scan that is false only when `text` has no character [`is_unsafe`] flags (line
/// breaks aside): control characters (C0, DEL, C1) and the bidi overrides U+061C, U+200E/F,
/// U+202A–E and U+2066–9. Most output has none, and is then passed through in one cheap pass.
fn may_be_unsafe(text: &str) -> bool {
    let b = text.as_bytes();
    // A first look at 64 bytes at a time that the compiler can vectorise: a run with no byte
    // that can begin a flagged character has nothing to flag (most text, Chinese included).
    let lead =
        |x: u8| (x < 0x20 && x != b'\n') | (x == 0x7f) | (x == 0xc2) | (x == 0xd8) | (x == 0xe2);
    b.chunks(64).enumerate().any(|(n, run)| {
        run.iter().fold(false, |hit, &x| hit | lead(x))
            && (n * 64..n * 64 + run.len()).any(|i| flagged_at(b, i))
    })
}

/// Does a character [`is_unsafe`] flags begin at byte `i`?
fn flagged_at(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'\n' => false,
        0x00..=0x1f | 0x7f => true,
        0xc2 => b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
        0xd8 => b.get(i + 1) == Some(&0x9c),
        0xe2 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(n)) => matches!(n, 0x8e | 0x8f | 0xaa..=0xae),
            (Some(0x81), Some(n)) => (0xa6..=0xa9).contains(n),
            _ => false,
        },
        _ => false,
    }
}

/// The last guard before human-readable text reaches a terminal: every control character but
/// the line break is escaped; with `keep_colour`, the tool's own colour codes (`ESC [ … m`)
/// stay. Data was cleaned where it entered the text; this catches whatever was not.
pub fn terminal_safe(text: &str, keep_colour: bool) -> String {
    if !may_be_unsafe(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if keep_colour && c == '\x1b' {
            let b = rest.as_bytes();
            let len = b
                .iter()
                .skip(2)
                .position(|x| !(x.is_ascii_digit() || *x == b';'))
                .map(|n| n + 2);
            if b.get(1) == Some(&b'[')
                && let Some(end) = len
                && b.get(end) == Some(&b'm')
            {
                out.push_str(&rest[..=end]);
                rest = &rest[end + 1..];
                continue;
            }
        }
        if c != '\n' && is_unsafe(c) {
            escape_char(c, &mut out);
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A line on stderr, made safe for the terminal (file names, keys and messages from files may
/// hold escape sequences).
pub fn say(line: &str) {
    eprintln!("{}", terminal_safe(line, false));
}

/// A warning on stderr, made safe for the terminal: `warning: …` / `警告：…`.
pub fn warn(message: &str, lang: crate::model::config::Lang) {
    let line = crate::msg::m::WARNING_LINE
        .with("message", message)
        .render(lang);
    eprintln!("{}", terminal_safe(&line, false));
}

/// A note on stderr (what a command did beyond what was asked): `note: …` / `说明：…`.
pub fn note(message: &str, lang: crate::model::config::Lang) {
    let line = crate::msg::m::NOTE_LINE
        .with("message", message)
        .render(lang);
    eprintln!("{}", terminal_safe(&line, false));
}

/// A CSV cell that a spreadsheet could run as a formula (`=`, `+`, `-`, `@`, tab or CR first)
/// gets a leading `'`, as OWASP and Microsoft advise; plain numbers (`-3`) stay numbers.
pub fn csv_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = cell.parse::<f64>().is_ok_and(f64::is_finite)
        && cell.trim() == cell
        && cell.chars().all(|c| c.is_ascii_digit() || ".-".contains(c));
    if risky && !number {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// CSV text for Excel: UTF-8 with a byte-order mark, so Chinese shows correctly.
pub fn csv(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(headers);
    for row in rows {
        let _ = writer.write_record(row.iter().map(|c| csv_cell(c).into_owned()));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

/// Pretty JSON with a final newline.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string());
    s.push('\n');
    s
}

/// 650000 → "650000", 1.5 → "1.5".
pub fn format_amount(a: f64) -> String {
    if a.fract() == 0.0 && a.abs() < 1e15 {
        format!("{}", a as i64)
    } else {
        format!("{a}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_columns_align() {
        let mut t = Table::new(&["Name", "N"], &[Align::Left, Align::Right]);
        t.row(vec!["华东机械".into(), "1".into()], Tone::Plain);
        t.row(vec!["Acme".into(), "10".into()], Tone::Plain);
        let out = t.render(false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], "华东机械   1");
        assert_eq!(lines[2], "Acme      10");
        assert_eq!(width(lines[1]), width(lines[2]));
    }

    #[test]
    fn the_byte_scan_finds_every_unsafe_character() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            if c != '\n' && is_unsafe(c) {
                assert!(may_be_unsafe(&text), "{:?}", c);
            }
        }
        assert!(!may_be_unsafe("客户 — 完成 … ▲ █\n"));
    }

    #[test]
    fn without_a_width_the_plain_layout_is_comfy_tables() {
        let mut t = Table::new(&["Name", "N", "Why"], &[Align::Left, Align::Right]);
        t.row(
            vec!["华东机械".into(), "1".into(), "one\ntwo".into()],
            Tone::Overdue,
        );
        t.row(vec!["Acme".into(), "10".into(), String::new()], Tone::Plain);
        t.row(vec![String::new(), "1000".into(), "x".into()], Tone::Today);
        for color in [false, true] {
            assert_eq!(
                t.render_plain(color),
                t.render_comfy(color),
                "colour {color}"
            );
        }
    }

    #[test]
    fn every_line_of_a_wrapped_row_keeps_the_row_colour() {
        let mut t = Table::new(&["A", "Why"], &[Align::Left]);
        t.row(
            vec!["x".into(), "one two three four five six".into()],
            Tone::Overdue,
        );
        t.row(vec!["y".into(), "ok".into()], Tone::Plain);
        t.wrap_to(Some(12), &[1]);
        let out = t.render(true);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 3, "{out}");
        let overdue = Tone::Overdue.style().render().to_string();
        for line in &lines[1..lines.len() - 1] {
            assert!(line.starts_with(&overdue), "{line:?}");
        }
        assert!(!lines.last().unwrap().starts_with(&overdue));
        assert!(!out.contains(ROW_MARK));
    }

    #[test]
    fn multi_line_cells_make_tall_rows() {
        let mut t = Table::new(&["A", "Why"], &[Align::Left]);
        t.row(vec!["x".into(), "one\ntwo".into()], Tone::Plain);
        assert_eq!(t.render(false), "A  Why\nx  one\n   two\n");
    }

    #[test]
    fn masking_keeps_only_a_phone_tail() {
        assert_eq!(mask("+86 138 0000 1234"), "***1234");
        assert_eq!(mask("wang@acme.com"), "***");
        assert_eq!(mask("wangfang_88"), "***");
        assert_eq!(mask("1234567.5 CNY"), "***");
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(clean("a\u{1b}[31mb"), "a\\x1b[31mb");
        assert_eq!(clean("x\ny\u{202e}"), "x\\ny\\u{202e}");
        assert_eq!(clean("华东"), "华东");
        let coloured = paint("ok", Tone::Header, true);
        assert_eq!(terminal_safe(&coloured, true), coloured);
        assert_eq!(terminal_safe("\u{1b}]0;x\u{7}\n", true), "\\x1b]0;x\\x07\n");
        assert_eq!(terminal_safe(&coloured, false), "\\x1b[1mok\\x1b[0m");
    }

    #[test]
    fn csv_formulas_are_neutralised_numbers_kept() {
        for (cell, want) in [
            ("=1+1", "'=1+1"),
            ("+86 138", "'+86 138"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("-2+3", "'-2+3"),
            ("-3", "-3"),
            ("2.5", "2.5"),
            ("Acme", "Acme"),
        ] {
            assert_eq!(csv_cell(cell), want);
        }
    }

    #[test]
    fn csv_has_bom() {
        let out = csv(&["name"], &[vec!["华东".into()]]);
        assert!(out.starts_with('\u{feff}'));
        assert!(out.contains("华东"));
    }
}
