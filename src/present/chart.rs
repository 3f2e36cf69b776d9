//! The report's charts as geometry: columns, a rate line, horizontal bars and a funnel, each a
//! list of shapes with numeric coordinates and text. The HTML template draws them as inline SVG
//! through its auto-escaping, so no text from a file ever reaches the page unescaped. Pure: no
//! markup is built here.

use crate::present::html::Num;
use unicode_width::UnicodeWidthChar;

/// A coordinate, written with one decimal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct C(pub f64);

impl std::fmt::Display for C {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = if self.0.is_finite() { self.0 } else { 0.0 };
        write!(f, "{v:.1}")
    }
}

/// A piece of a text: words, or a number with its source.
#[derive(Debug, Clone)]
pub enum Part {
    Plain(String),
    Num(Num),
}

/// One thing drawn.
#[derive(Debug, Clone)]
pub enum Shape {
    Rect {
        x: C,
        y: C,
        w: C,
        h: C,
        class: &'static str,
    },
    Line {
        x1: C,
        y1: C,
        x2: C,
        y2: C,
        class: &'static str,
    },
    /// A polyline through points, `d` made of numbers only.
    Path {
        d: String,
        class: &'static str,
    },
    Dot {
        cx: C,
        cy: C,
        class: &'static str,
    },
    /// Text; `axis` marks a label that is not a figure of the review (a grid value, a period).
    Text {
        x: C,
        y: C,
        anchor: &'static str,
        class: &'static str,
        axis: bool,
        parts: Vec<Part>,
    },
}

/// A chart: its size (the SVG's viewBox) and what it draws.
#[derive(Debug, Clone)]
pub struct Chart {
    pub width: u32,
    pub height: u32,
    pub shapes: Vec<Shape>,
}

const FONT: f64 = 11.0;

/// Estimated width of a text in the chart's font: a wide (CJK) character is one em, another
/// about 0.6 em.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c.width() {
            Some(2) => size,
            Some(0) | None => 0.0,
            _ => size * 0.6,
        })
        .sum()
}

/// The text cut with `…` to fit `max` (estimated), on a character boundary.
pub fn fit(text: &str, max: f64, size: f64) -> String {
    if text_width(text, size) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&out, size) + text_width(&c.to_string(), size) + size * 0.6 > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Every how many categories a label fits: 1 when each has room, more when many periods share
/// the width (the table beside the chart has them all).
fn every(labels: impl Iterator<Item = f64>, slot: f64) -> usize {
    let widest = labels.fold(0.0, f64::max) + 2.0;
    if slot <= 0.0 {
        return 1;
    }
    ((widest / slot).ceil() as usize).max(1)
}

fn label(x: f64, y: f64, anchor: &'static str, class: &'static str, text: String) -> Shape {
    Shape::Text {
        x: C(x),
        y: C(y),
        anchor,
        class,
        axis: true,
        parts: vec![Part::Plain(text)],
    }
}

fn value(x: f64, y: f64, anchor: &'static str, class: &'static str, parts: Vec<Part>) -> Shape {
    Shape::Text {
        x: C(x),
        y: C(y),
        anchor,
        class,
        axis: false,
        parts,
    }
}

/// One column of [`columns`]: a category, the total (drawn light, labelled) and the part of it
/// drawn dark over it.
#[derive(Debug, Clone)]
pub struct Column {
    pub category: String,
    pub total: f64,
    pub total_num: Num,
    pub part: f64,
}

/// Columns per category (periods): the total with its part overlaid, the total's figure on top.
pub fn columns(cols: &[Column], width: f64) -> Chart {
    let (top, bottom, side) = (20.0, 24.0, 6.0);
    let plot = 150.0;
    let height = top + plot + bottom;
    let max = cols.iter().map(|c| c.total.max(c.part)).fold(0.0, f64::max);
    let n = cols.len().max(1) as f64;
    let slot = (width - 2.0 * side) / n;
    let bar = (slot * 0.62).min(56.0);
    let mut shapes = vec![Shape::Line {
        x1: C(side),
        y1: C(top + plot),
        x2: C(width - side),
        y2: C(top + plot),
        class: "base",
    }];
    let cat_step = every(cols.iter().map(|c| text_width(&c.category, FONT)), slot);
    let value_step = every(
        cols.iter().map(|c| text_width(&c.total_num.shown, FONT)),
        slot,
    );
    for (i, c) in cols.iter().enumerate() {
        let cx = side + slot * (i as f64 + 0.5);
        let h = |v: f64| if max > 0.0 { v / max * plot } else { 0.0 };
        let (ht, hp) = (h(c.total), h(c.part.min(c.total)));
        shapes.push(Shape::Rect {
            x: C(cx - bar / 2.0),
            y: C(top + plot - ht),
            w: C(bar),
            h: C(ht),
            class: "s1",
        });
        shapes.push(Shape::Rect {
            x: C(cx - bar / 2.0),
            y: C(top + plot - hp),
            w: C(bar),
            h: C(hp),
            class: "s2",
        });
        if i % value_step == 0 {
            shapes.push(value(
                cx,
                top + plot - ht - 5.0,
                "middle",
                "v",
                vec![Part::Num(c.total_num.clone())],
            ));
        }
        if i % cat_step == 0 {
            let half = text_width(&c.category, FONT) / 2.0;
            let x = cx.clamp(half + 1.0, (width - half - 1.0).max(half + 1.0));
            shapes.push(label(x, height - 7.0, "middle", "cat", c.category.clone()));
        }
    }
    Chart {
        width: width as u32,
        height: height as u32,
        shapes,
    }
}

/// A rate from 0 to 1 per category; `None` where it has nothing to divide by (the line breaks).
pub fn rate_line(categories: &[String], points: &[Option<(f64, Num)>], width: f64) -> Chart {
    let (top, bottom, left, right) = (18.0, 24.0, 34.0, 14.0);
    let plot = 130.0;
    let height = top + plot + bottom;
    let n = categories.len().max(1) as f64;
    let slot = (width - left - right) / n;
    let mut shapes = Vec::new();
    for (v, text) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
        let y = top + (1.0 - v) * plot;
        shapes.push(Shape::Line {
            x1: C(left),
            y1: C(y),
            x2: C(width - right),
            y2: C(y),
            class: if v == 0.0 { "base" } else { "grid" },
        });
        shapes.push(label(left - 4.0, y + 4.0, "end", "axis", text.to_string()));
    }
    let cat_step = every(categories.iter().map(|c| text_width(c, FONT)), slot);
    let value_step = every(
        points
            .iter()
            .flatten()
            .map(|(_, n)| text_width(&n.shown, FONT)),
        slot,
    );
    let mut d = String::new();
    let mut pen_up = true;
    let mut dots = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let x = left + slot * (i as f64 + 0.5);
        match p {
            Some((v, num)) => {
                let y = top + (1.0 - v.clamp(0.0, 1.0)) * plot;
                d.push_str(&format!(
                    "{}{} {} ",
                    if pen_up { "M" } else { "L" },
                    C(x),
                    C(y)
                ));
                pen_up = false;
                dots.push(Shape::Dot {
                    cx: C(x),
                    cy: C(y),
                    class: "dot",
                });
                let above = if y - 8.0 < top { y + 16.0 } else { y - 8.0 };
                if i % value_step == 0 {
                    dots.push(value(x, above, "middle", "v", vec![Part::Num(num.clone())]));
                }
            }
            None => pen_up = true,
        }
    }
    for (i, c) in categories.iter().enumerate().step_by(cat_step) {
        let x = left + slot * (i as f64 + 0.5);
        let half = text_width(c, FONT) / 2.0;
        let x = x.clamp(left, (width - half - 1.0).max(left));
        shapes.push(label(x, height - 7.0, "middle", "cat", c.clone()));
    }
    if !d.is_empty() {
        shapes.push(Shape::Path {
            d: d.trim_end().to_string(),
            class: "line",
        });
    }
    shapes.extend(dots);
    Chart {
        width: width as u32,
        height: height as u32,
        shapes,
    }
}

/// One row of [`bars`]: a label, the bar's length (and the part drawn dark over it), and the
/// text after the bar.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub part: Option<f64>,
    /// A class for the bar: `s1` (light, under a part), `s2` (dark, alone) or `warn`.
    pub class: &'static str,
    pub text: Vec<Part>,
}

/// Horizontal bars, one per row, longest value = full length.
pub fn bars(rows: &[Bar], width: f64) -> Chart {
    let row_h = 24.0;
    let label_w = rows
        .iter()
        .map(|r| text_width(&r.label, FONT))
        .fold(40.0, f64::max)
        .min(150.0);
    let text_w = rows
        .iter()
        .map(|r| {
            r.text
                .iter()
                .map(|p| match p {
                    Part::Plain(s) => text_width(s, FONT),
                    Part::Num(n) => text_width(&n.shown, FONT),
                })
                .sum::<f64>()
        })
        .fold(30.0, f64::max)
        .min(220.0);
    let x0 = label_w + 10.0;
    let span = (width - x0 - text_w - 12.0).max(60.0);
    let max = rows.iter().map(|r| r.value).fold(0.0, f64::max);
    let mut shapes = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let len = |v: f64| if max > 0.0 { v / max * span } else { 0.0 };
        shapes.push(label(
            label_w,
            y + 15.0,
            "end",
            "cat",
            fit(&r.label, label_w, FONT),
        ));
        shapes.push(Shape::Rect {
            x: C(x0),
            y: C(y + 3.0),
            w: C(len(r.value).max(1.0)),
            h: C(row_h - 8.0),
            class: if r.class.is_empty() { "s1" } else { r.class },
        });
        if let Some(p) = r.part {
            shapes.push(Shape::Rect {
                x: C(x0),
                y: C(y + 3.0),
                w: C(len(p.min(r.value))),
                h: C(row_h - 8.0),
                class: if r.class == "warn" { "warn2" } else { "s2" },
            });
        }
        shapes.push(value(
            x0 + len(r.value).max(1.0) + 6.0,
            y + 15.0,
            "start",
            "v",
            r.text.clone(),
        ));
    }
    Chart {
        width: width as u32,
        height: (row_h * rows.len() as f64 + 8.0) as u32,
        shapes,
    }
}

/// One stage of [`funnel`].
#[derive(Debug, Clone)]
pub struct Step {
    pub label: String,
    pub entered: f64,
    pub text: Vec<Part>,
}

/// The funnel: a centred bar per stage as wide as the customers that entered it.
pub fn funnel(steps: &[Step], width: f64) -> Chart {
    let row_h = 30.0;
    let label_w = steps
        .iter()
        .map(|s| text_width(&s.label, FONT))
        .fold(40.0, f64::max)
        .min(140.0);
    let text_w = 190.0;
    let x0 = label_w + 12.0;
    let span = width - x0 - text_w - 10.0;
    let max = steps.iter().map(|s| s.entered).fold(0.0, f64::max);
    let mut shapes = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let w = if max > 0.0 {
            (s.entered / max * span).max(2.0)
        } else {
            2.0
        };
        shapes.push(label(
            label_w,
            y + 18.0,
            "end",
            "cat",
            fit(&s.label, label_w, FONT),
        ));
        shapes.push(Shape::Rect {
            x: C(x0 + (span - w) / 2.0),
            y: C(y + 3.0),
            w: C(w),
            h: C(row_h - 6.0),
            class: if i % 2 == 0 { "f1" } else { "f2" },
        });
        shapes.push(value(
            x0 + span + 10.0,
            y + 18.0,
            "start",
            "v",
            s.text.clone(),
        ));
    }
    Chart {
        width: width as u32,
        height: (row_h * steps.len() as f64 + 8.0) as u32,
        shapes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(shown: &str) -> Num {
        Num {
            metric: "stats:total.entries".into(),
            value: "1".into(),
            shown: shown.into(),
        }
    }

    #[test]
    fn widths_count_cjk_as_one_em_and_cut_on_characters() {
        assert_eq!(text_width("ab", 10.0), 12.0);
        assert_eq!(text_width("价格", 10.0), 20.0);
        let cut = fit("华东精密机械有限公司", 50.0, 10.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 10.0) <= 50.0 + 6.0,
            "{cut}"
        );
        assert_eq!(fit("short", 100.0, 10.0), "short");
    }

    #[test]
    fn a_line_breaks_where_a_rate_is_undefined() {
        let cats: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let chart = rate_line(
            &cats,
            &[Some((0.5, n("50%"))), None, Some((1.0, n("100%")))],
            360.0,
        );
        let d = chart
            .shapes
            .iter()
            .find_map(|s| match s {
                Shape::Path { d, .. } => Some(d.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert!(!d.contains('L'), "{d}");
    }

    #[test]
    fn many_periods_label_every_few_columns() {
        let cols: Vec<Column> = (0..60)
            .map(|i| Column {
                category: format!("W{i:02}"),
                total: f64::from(i),
                total_num: n("10"),
                part: 0.0,
            })
            .collect();
        let chart = columns(&cols, 360.0);
        let labels = chart
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Text { axis: true, .. }))
            .count();
        assert!(labels <= 20 && labels > 3, "{labels} labels");
        let few = columns(&cols[..6], 360.0);
        let labels = few
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Text { axis: true, .. }))
            .count();
        assert_eq!(labels, 6);
    }

    #[test]
    fn empty_and_zero_data_draw_without_dividing_by_zero() {
        let chart = columns(
            &[Column {
                category: "2026-11".into(),
                total: 0.0,
                total_num: n("0"),
                part: 0.0,
            }],
            360.0,
        );
        let text = format!("{:?}", chart.shapes);
        assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
        assert_eq!(bars(&[], 520.0).shapes.len(), 0);
        assert_eq!(C(f64::NAN).to_string(), "0.0");
    }
}
