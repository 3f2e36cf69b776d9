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

/// A plain aligned table: a header row, then rows; columns are two spaces apart.
#[derive(Debug, Default)]
pub struct Table {
    headers: Vec<String>,
    aligns: Vec<Align>,
    rows: Vec<(Vec<String>, Tone)>,
}

/// Display width of text in terminal columns (CJK characters are two wide).
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Cuts text to at most `max` columns, ending with `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    let text = text.lines().next().unwrap_or("");
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

impl Table {
    pub fn new(headers: &[&str], aligns: &[Align]) -> Table {
        Table {
            headers: headers.iter().map(|h| (*h).to_string()).collect(),
            aligns: aligns.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>, tone: Tone) {
        self.rows.push((cells, tone));
    }

    /// Renders the table; a cell with several lines makes its row that many lines high.
    pub fn render(&self, color: bool) -> String {
        let cols = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| width(h)).collect();
        for (cells, _) in &self.rows {
            for (i, c) in cells.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(c.lines().map(width).max().unwrap_or(0));
            }
        }
        let mut out = String::new();
        let line = |cells: &[&str], tone: Tone, out: &mut String| {
            let mut text = String::new();
            for (i, w) in widths.iter().enumerate() {
                let cell = cells.get(i).copied().unwrap_or("");
                let pad = " ".repeat(w.saturating_sub(width(cell)));
                match self.aligns.get(i).copied().unwrap_or(Align::Left) {
                    Align::Right => text.push_str(&(pad + cell)),
                    Align::Left => text.push_str(&(cell.to_string() + &pad)),
                }
                if i + 1 < cols {
                    text.push_str("  ");
                }
            }
            out.push_str(&paint(text.trim_end(), tone, color));
            out.push('\n');
        };
        let headers: Vec<&str> = self.headers.iter().map(String::as_str).collect();
        line(&headers, Tone::Header, &mut out);
        for (cells, tone) in &self.rows {
            let split: Vec<Vec<&str>> = cells.iter().map(|c| c.lines().collect()).collect();
            let height = split.iter().map(Vec::len).max().unwrap_or(1).max(1);
            for row in 0..height {
                let parts: Vec<&str> = split
                    .iter()
                    .map(|c| c.get(row).copied().unwrap_or(""))
                    .collect();
                line(&parts, *tone, &mut out);
            }
        }
        out
    }
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
    fn csv_has_bom() {
        let out = csv(&["name"], &[vec!["华东".into()]]);
        assert!(out.starts_with('\u{feff}'));
        assert!(out.contains("华东"));
    }
}
