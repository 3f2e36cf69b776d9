//! `stats --format markdown`: the weekly or monthly review as a Markdown report to paste into
//! WeChat, DingTalk or a wiki — headline numbers with the change from the previous period, the
//! funnel, the top objections, lost reasons, broken promises, who is unanswered or stale, and a
//! row per owner. GitHub-flavoured tables, no HTML; every text from the files is escaped so it
//! cannot break a table or turn into markup. Data in, String out.

use crate::engine::pipeline::FunnelRow;
use crate::engine::stats::{Metrics, Named};
use crate::model::config::{Config, Lang};
use crate::msg::m;
use crate::present::i18n::stage_label;
use crate::present::render::mask;

/// What the report shows.
pub struct Report<'a> {
    /// The period reviewed (`2026-11`, `2026-W48`) and its metrics.
    pub label: String,
    pub current: &'a Metrics,
    /// The period before, to compare with (none for `--period all`).
    pub previous: Option<(String, &'a Metrics)>,
    /// The funnel over the whole range, and that range.
    pub funnel: &'a [FunnelRow],
    pub since: String,
    pub until: String,
    /// Each owner's metrics for the period reviewed.
    pub owners: &'a [(String, Metrics)],
    /// deal.amount is confidential and not revealed: the won amounts are `***`.
    pub hide_money: bool,
}

/// Escapes text from the files for Markdown with as few backslashes as will do (the report is
/// also read as plain text in chats that do not render Markdown): a character that could start
/// inline markup, HTML or an entity, or split a table cell, is backslash-escaped, and so is a
/// start that would open a block (`#`, `-`, `+`, `=`, `1.`); line breaks become spaces.
pub fn escape(text: &str) -> String {
    let text = text.trim();
    let mut out = String::with_capacity(text.len() + 4);
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in text.chars().enumerate() {
        let block_start = (i == 0 && matches!(c, '#' | '-' | '+' | '='))
            || (i == digits && digits > 0 && matches!(c, '.' | ')'));
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            _ if block_start => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A GFM table: a header row, the delimiter row (numbers right-aligned), one row per line.
fn table(headers: &[&str], right: &[bool], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n", headers.join(" | "));
    let delims: Vec<&str> = right
        .iter()
        .map(|r| if *r { "---:" } else { "---" })
        .collect();
    out.push_str(&format!("| {} |\n", delims.join(" | ")));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

/// How a headline number reads, and how its change is written.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Count,
    Money,
    /// A rate, and whether it has a denominator in these metrics.
    Rate(fn(&Metrics) -> bool),
    Days,
}

pub(crate) fn shown(kind: Kind, v: Option<f64>, m: &Metrics, lang: Lang) -> String {
    match (kind, v) {
        (_, None) => "-".to_string(),
        (Kind::Count, Some(v)) => format!("{v:.0}"),
        (Kind::Money, Some(v)) => crate::present::i18n::amount(lang, v, None),
        (Kind::Rate(defined), Some(v)) if defined(m) => format!("{:.0}%", (v * 100.0).round()),
        (Kind::Rate(_), Some(_)) => "-".to_string(),
        (Kind::Days, Some(v)) => format!("{v:.1}"),
    }
}

/// The change of a rate in percentage points, between the percentages shown (78% after 71%
/// is +7 even when the exact rates differ by 6.3), so a Change column reads as it adds up.
pub(crate) fn points_between(now: f64, before: f64) -> f64 {
    (now * 100.0).round() - (before * 100.0).round()
}

/// The change the review shows: `None` when there is nothing to compare (a rate without a
/// denominator on either side); rates in percentage points between the percentages shown,
/// days to one decimal.
pub(crate) fn delta(
    kind: Kind,
    now: Option<f64>,
    before: Option<f64>,
    cur: &Metrics,
    prev: &Metrics,
) -> Option<f64> {
    let defined = |m: &Metrics| match kind {
        Kind::Rate(d) => d(m),
        _ => true,
    };
    let (a, b) = (now?, before?);
    if !defined(cur) || !defined(prev) {
        return None;
    }
    Some(match kind {
        Kind::Rate(_) => points_between(a, b),
        Kind::Days => ((a - b) * 10.0).round() / 10.0,
        _ => a - b,
    })
}

/// ▲ 2, ▼ 1 500, ▲ 7 pts; no change: `–`; nothing to compare: `-`.
pub(crate) fn change(
    kind: Kind,
    now: Option<f64>,
    before: Option<f64>,
    cur: &Metrics,
    prev: &Metrics,
    lang: Lang,
) -> String {
    let Some(delta) = delta(kind, now, before, cur, prev) else {
        return "-".to_string();
    };
    let unit = match kind {
        Kind::Rate(_) => m::R_PTS.get(lang),
        _ => String::new(),
    };
    if delta == 0.0 {
        return m::R_NO_CHANGE.get(lang);
    }
    let arrow = if delta > 0.0 { "▲" } else { "▼" };
    let size = match kind {
        Kind::Money => crate::present::i18n::amount(lang, delta.abs(), None),
        Kind::Days => format!("{:.1}", delta.abs()),
        _ => format!("{:.0}", delta.abs()),
    };
    format!("{arrow} {size}{unit}")
}

/// A headline figure: its key in `stats --json`, its label (the catalogue's), how it reads,
/// and where it is in the metrics.
pub(crate) type Headline = (
    &'static str,
    crate::msg::Msg,
    Kind,
    fn(&Metrics) -> Option<f64>,
);

pub(crate) const HEADLINES: [Headline; 16] = [
    ("entries", m::R_HL_ENTRIES, Kind::Count, |m| {
        Some(m.entries as f64)
    }),
    (
        "customers_touched",
        m::R_HL_CUSTOMERS_TOUCHED,
        Kind::Count,
        |m| Some(m.customers_touched as f64),
    ),
    ("new_customers", m::R_HL_NEW_CUSTOMERS, Kind::Count, |m| {
        Some(m.new_customers as f64)
    }),
    (
        "reach_rate",
        m::R_HL_REACH_RATE,
        Kind::Rate(|m| m.entries > 0),
        |m| Some(m.reach_rate),
    ),
    (
        "conversion_rate",
        m::R_HL_CONVERSION,
        Kind::Rate(|m| m.customers_touched > 0),
        |m| Some(m.conversion_rate),
    ),
    ("won", m::R_HL_WON, Kind::Count, |m| Some(m.won as f64)),
    ("won_amount", m::R_HL_WON_AMOUNT, Kind::Money, |m| {
        Some(m.won_amount)
    }),
    ("lost", m::R_HL_LOST, Kind::Count, |m| Some(m.lost as f64)),
    (
        "win_rate",
        m::R_HL_WIN_RATE,
        Kind::Rate(|m| m.won + m.lost > 0),
        |m| Some(m.win_rate),
    ),
    (
        "median_cycle_days",
        m::R_HL_MEDIAN_CYCLE_DAYS,
        Kind::Days,
        |m| m.median_cycle_days,
    ),
    (
        "promise_kept_rate",
        m::R_HL_PROMISE_KEPT_RATE,
        Kind::Rate(|m| m.promises_due > 0),
        |m| Some(m.promise_kept_rate),
    ),
    (
        "overdue_promises",
        m::R_HL_OVERDUE_PROMISES,
        Kind::Count,
        |m| Some(m.overdue_promises as f64),
    ),
    (
        "overdue_assists",
        m::R_HL_OVERDUE_ASSISTS,
        Kind::Count,
        |m| Some(m.overdue_assists as f64),
    ),
    ("unanswered", m::R_HL_UNANSWERED_STREAKS, Kind::Count, |m| {
        Some(m.unanswered as f64)
    }),
    ("stale", m::R_HL_STALE_CUSTOMERS, Kind::Count, |m| {
        Some(m.stale as f64)
    }),
    ("overdue", m::R_HL_OVERDUE_CUSTOMERS, Kind::Count, |m| {
        Some(m.overdue as f64)
    }),
];

fn range(lang: Lang, start: &str, end: &str) -> String {
    m::R_RANGE
        .with("start", start)
        .with("end", end)
        .render(lang)
}

/// ` (text)` in English, `（text）` in Chinese.
fn paren(lang: Lang, text: &str) -> String {
    m::PAREN_ONLY.with("b", text).render(lang)
}

fn owner_suffix(n: &Named, lang: Lang) -> String {
    match &n.owner {
        Some(o) if !o.trim().is_empty() => m::R_OWNER_SUFFIX.with("owner", escape(o)).render(lang),
        _ => String::new(),
    }
}

/// The report as Markdown.
pub fn markdown(r: &Report<'_>, config: &Config, lang: Lang) -> String {
    let m = r.current;
    let mut out = String::new();
    out.push_str(&format!(
        "# {} {}{}\n\n",
        m::R_REVIEW.get(lang),
        escape(&r.label),
        paren(lang, &range(lang, &m.start, &m.end))
    ));
    match &r.previous {
        Some((label, p)) => out.push_str(
            &(m::R_COMPARED
                .with("label", escape(label))
                .with("range", range(lang, &p.start, &p.end))
                .render(lang)
                + "\n\n"),
        ),
        None => out.push_str(&(m::R_WHERE_FROM.get(lang) + "\n\n")),
    }
    headline(&mut out, r, lang);
    funnel(&mut out, r, config, lang);
    objections(&mut out, m, lang);
    wins_and_losses(&mut out, m, lang);
    broken_promises(&mut out, m, lang);
    unanswered_and_stale(&mut out, m, lang);
    by_owner(&mut out, r, lang);
    out
}

/// Headline numbers: this period, the one before and the change.
fn headline(out: &mut String, r: &Report<'_>, lang: Lang) {
    let m = r.current;
    out.push_str(&format!("## {}\n\n", m::R_HEADLINE.get(lang)));
    let mut rows = Vec::new();
    for (_, label, kind, get) in HEADLINES {
        // A sum of confidential amounts is as confidential as they are (and so is its change).
        let hidden = r.hide_money && matches!(kind, Kind::Money);
        let shown = |v: Option<f64>, x: &Metrics| {
            if hidden {
                mask("")
            } else {
                shown(kind, v, x, lang)
            }
        };
        let mut row = vec![label.get(lang), shown(get(m), m)];
        if let Some((_, p)) = &r.previous {
            row.push(shown(get(p), p));
            row.push(if hidden {
                mask("")
            } else {
                change(kind, get(m), get(p), m, p, lang)
            });
        }
        rows.push(row);
    }
    let this = m::R_THIS_PERIOD.get(lang);
    let before = m::R_PREVIOUS.get(lang);
    let metric = m::R_METRIC.get(lang);
    let delta = m::R_CHANGE.get(lang);
    out.push_str(&match &r.previous {
        Some(_) => table(
            &[&metric, &this, &before, &delta],
            &[false, true, true, true],
            &rows,
        ),
        None => table(&[&metric, &this], &[false, true], &rows),
    });
    if m.promises_due > 0 {
        out.push('\n');
        out.push_str(
            &m::R_PROMISES_LINE
                .with("due", m.promises_due)
                .with("kept", m.promises_kept)
                .render(lang),
        );
        out.push('\n');
    }
}

/// The funnel over the whole range.
fn funnel(out: &mut String, r: &Report<'_>, config: &Config, lang: Lang) {
    out.push_str(&format!(
        "\n## {}{}\n\n",
        m::R_FUNNEL.get(lang),
        paren(lang, &range(lang, &r.since, &r.until))
    ));
    let rows: Vec<Vec<String>> = r
        .funnel
        .iter()
        .map(|f| {
            vec![
                escape(&stage_label(Some(&f.stage), config, lang)),
                f.entered.to_string(),
                f.advanced.to_string(),
                match f.conversion {
                    Some(c) if f.entered > 0 => format!("{:.0}%", (c * 100.0).round()),
                    _ => "-".to_string(),
                },
                f.median_days
                    .map_or_else(|| "-".to_string(), |d| format!("{d:.1}")),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            &m::R_STAGE.get(lang),
            &m::R_ENTERED.get(lang),
            &m::R_MOVED_ON.get(lang),
            &m::R_CONVERSION.get(lang),
            &m::R_MEDIAN_DAYS_IN_STAGE.get(lang),
        ],
        &[false, true, true, true, true],
        &rows,
    ));
}

/// The top objections.
fn objections(out: &mut String, m: &Metrics, lang: Lang) {
    out.push_str(&format!("\n## {}\n\n", m::R_TOP_OBJECTIONS.get(lang)));
    if m.objections.is_empty() {
        out.push_str(&(m::R_NO_OBJECTION.get(lang) + "\n"));
    } else {
        let rows: Vec<Vec<String>> = m
            .objections
            .iter()
            .take(5)
            .map(|o| {
                vec![
                    escape(&objection_label(&o.category, lang)),
                    o.count.to_string(),
                    format!("{:.0}%", (o.share * 100.0).round()),
                ]
            })
            .collect();
        out.push_str(&table(
            &[
                &m::R_OBJECTION.get(lang),
                &m::R_COUNT.get(lang),
                &m::R_SHARE.get(lang),
            ],
            &[false, true, true],
            &rows,
        ));
    }
}

/// The customers won, and why customers were lost.
fn wins_and_losses(out: &mut String, m: &Metrics, lang: Lang) {
    if !m.won_customers.is_empty() {
        out.push_str(&format!("\n## {}\n\n", m::R_WON.get(lang)));
        for name in &m.won_customers {
            out.push_str(&format!("- {}\n", escape(name)));
        }
    }
    if m.lost > 0 {
        out.push_str(&format!("\n## {}\n\n", m::R_LOST_REASONS.get(lang)));
        let rows: Vec<Vec<String>> = m
            .lost_reasons
            .iter()
            .map(|l| {
                vec![
                    l.reason
                        .as_deref()
                        .map_or_else(|| m::R_NONE_GIVEN.get(lang), escape),
                    l.count.to_string(),
                    format!("{:.0}%", (l.share * 100.0).round()),
                ]
            })
            .collect();
        out.push_str(&table(
            &[
                &m::R_REASON.get(lang),
                &m::R_CUSTOMERS.get(lang),
                &m::R_SHARE.get(lang),
            ],
            &[false, true, true],
            &rows,
        ));
    }
}

/// The promises broken in the period.
fn broken_promises(out: &mut String, m: &Metrics, lang: Lang) {
    out.push_str(&format!(
        "\n## {}{}\n\n",
        m::R_PROMISES_BROKEN.get(lang),
        paren(lang, &m.broken_promises.len().to_string())
    ));
    if m.broken_promises.is_empty() {
        out.push_str(&(m::R_NONE.get(lang) + "\n"));
    }
    for b in &m.broken_promises {
        let state = match &b.done {
            None => m::R_STILL_OPEN.get(lang),
            Some(d) => m::R_DONE_LATE.with("done", d).render(lang),
        };
        out.push_str(&format!(
            "- **{}**{}{} — {}\n",
            escape(&b.customer),
            m::COLON.template(lang),
            escape(&b.text),
            m::R_DUE_STATE
                .with("due", &b.due)
                .with("state", state)
                .render(lang)
        ));
    }
}

/// Who is unanswered or stale.
fn unanswered_and_stale(out: &mut String, m: &Metrics, lang: Lang) {
    for (title, list, unit) in [
        (
            m::UNANSWERED_STREAKS,
            &m.unanswered_customers,
            m::R_UNANSWERED_IN_A_ROW,
        ),
        (m::STALE_CUSTOMERS, &m.stale_customers, m::R_DAYS_SINCE),
    ] {
        out.push_str(&format!(
            "\n## {}{}\n\n",
            title.get(lang),
            paren(lang, &list.len().to_string())
        ));
        if list.is_empty() {
            out.push_str(&(m::R_NONE.get(lang) + "\n"));
        }
        for n in list.iter() {
            out.push_str(&format!(
                "- {}{} — {}\n",
                escape(&n.customer),
                owner_suffix(n, lang),
                unit.with("n", n.days_or_count).render(lang)
            ));
        }
    }
}

/// One row per owner.
fn by_owner(out: &mut String, r: &Report<'_>, lang: Lang) {
    if !r.owners.is_empty() {
        out.push_str(&format!("\n## {}\n\n", m::R_BY_OWNER.get(lang)));
        let rows: Vec<Vec<String>> = r
            .owners
            .iter()
            .map(|(owner, o)| {
                let pct = |v: f64, defined: bool| {
                    if defined {
                        format!("{:.0}%", (v * 100.0).round())
                    } else {
                        "-".to_string()
                    }
                };
                vec![
                    if owner.trim().is_empty() {
                        "-".to_string()
                    } else {
                        escape(owner)
                    },
                    o.entries.to_string(),
                    pct(o.reach_rate, o.entries > 0),
                    o.won.to_string(),
                    if r.hide_money {
                        mask("")
                    } else {
                        crate::present::i18n::amount(lang, o.won_amount, None)
                    },
                    pct(o.promise_kept_rate, o.promises_due > 0),
                    o.overdue_promises.to_string(),
                    o.stale.to_string(),
                ]
            })
            .collect();
        out.push_str(&table(
            &[
                &m::R_OWNER.get(lang),
                &m::R_ENTRIES.get(lang),
                &m::R_REACH_RATE.get(lang),
                &m::WON.get(lang),
                &m::R_WON_AMOUNT.get(lang),
                &m::R_PROMISE_KEPT_RATE.get(lang),
                &m::R_OVERDUE_PROMISES.get(lang),
                &m::R_STALE.get(lang),
            ],
            &[false, true, true, true, true, true, true, true],
            &rows,
        ));
    }
}

/// An objection category as shown: `price`, or 价格 in Chinese.
pub(crate) fn objection_label(category: &str, lang: Lang) -> String {
    crate::present::i18n::objection(lang, category)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_changes_by_the_difference_of_the_percentages_shown() {
        // The demo's conversion: 5/7 = 71.4% in October, 7/9 = 77.8% in November; the
        // exact difference is 6.3 points, the table shows 71% and 78%: +7.
        assert_eq!(points_between(7.0 / 9.0, 5.0 / 7.0), 7.0);
        assert_eq!(points_between(0.5, 2.0 / 3.0), -17.0);
    }

    #[test]
    fn text_from_files_cannot_become_markup() {
        assert_eq!(escape("A|B <b>x</b>"), "A\\|B \\<b\\>x\\</b\\>");
        assert_eq!(escape("line\nbreak"), "line break");
        assert_eq!(escape("华东精密"), "华东精密");
        assert_eq!(escape("&amp; *x*"), "\\&amp; \\*x\\*");
        assert_eq!(escape("# 1. x"), "\\# 1. x");
        assert_eq!(escape("12. Co. (Ltd)"), "12\\. Co. (Ltd)");
    }
}
