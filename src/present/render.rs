//! Output shapes: aligned tables (CJK characters count two columns), colours, CSV for Excel,
//! JSON, and masking of confidential values. Data in, String out.

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

    pub fn row(&mut self, cells: Vec<String>, tone: Tone) {
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

    /// Renders the table; a cell with several lines makes its row that many lines high.
    pub fn render(&self, color: bool) -> String {
        use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Width, presets};
        let mut table = comfy_table::Table::new();
        table.load_style(presets::NOTHING).force_no_tty();
        match self.width {
            Some(width) => table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width),
            None => table.set_content_arrangement(ContentArrangement::Disabled),
        };
        table.set_header(
            self.headers
                .iter()
                .map(|h| paint(h, Tone::Header, color))
                .collect::<Vec<_>>(),
        );
        for (cells, tone) in &self.rows {
            let mut row: Vec<String> = cells.iter().map(|c| paint_lines(c, *tone, color)).collect();
            row.resize(self.headers.len(), String::new());
            table.add_row(row);
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
        let mut out = String::new();
        for line in table.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Paints every line of a cell on its own, so colour survives wrapping and tall rows.
fn paint_lines(text: &str, tone: Tone, color: bool) -> String {
    text.lines()
        .map(|l| paint(l, tone, color))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Masks a confidential value: phone numbers keep their last four digits, the rest is hidden.
pub fn mask(value: &str) -> String {
    let digits: Vec<char> = value.chars().filter(char::is_ascii_digit).collect();
    if digits.len() >= 7 && !value.contains('@') {
        let tail: String = digits[digits.len() - 4..].iter().collect();
        format!("***{tail}")
    } else {
        "***".to_string()
    }
}

/// CSV text for Excel: UTF-8 with a byte-order mark, so Chinese shows correctly.
pub fn csv(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(headers);
    for row in rows {
        let _ = writer.write_record(row);
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

/// An amount for people to read: 3690000 → "3,690,000", 1234.5 → "1,234.50" (JSON and CSV
/// keep plain numbers).
pub fn format_money(a: f64) -> String {
    if !a.is_finite() || a.abs() >= 1e15 {
        return format_amount(a);
    }
    let cents = (a.abs() * 100.0).round() as u64;
    let (whole, frac) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if a < 0.0 && cents > 0 { "-" } else { "" };
    if frac == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac:02}")
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
    }

    #[test]
    fn money_is_grouped_by_thousands() {
        assert_eq!(format_money(3_690_000.0), "3,690,000");
        assert_eq!(format_money(260_000.000_000_03), "260,000");
        assert_eq!(format_money(999.0), "999");
        assert_eq!(format_money(1234.5), "1,234.50");
        assert_eq!(format_money(-56_000.0), "-56,000");
        assert_eq!(format_money(0.0), "0");
    }

    #[test]
    fn csv_has_bom() {
        let out = csv(&["name"], &[vec!["华东".into()]]);
        assert!(out.starts_with('\u{feff}'));
        assert!(out.contains("华东"));
    }
}
