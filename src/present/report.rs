//! `stats --format markdown`: the weekly or monthly review as a Markdown report to paste into
//! WeChat, DingTalk or a wiki — headline numbers with the change from the previous period, the
//! funnel, the top objections, lost reasons, broken promises, who is unanswered or stale, and a
//! row per owner. GitHub-flavoured tables, no HTML; every text from the files is escaped so it
//! cannot break a table or turn into markup. Data in, String out.

use crate::engine::pipeline::FunnelRow;
use crate::engine::stats::{Metrics, Named};
use crate::model::config::{Config, Lang};
use crate::present::i18n::stage_label;
use crate::present::render::{format_money, mask};

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

fn tr(lang: Lang, en: &str, zh: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh.to_string(),
    }
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

pub(crate) fn shown(kind: Kind, v: Option<f64>, m: &Metrics) -> String {
    match (kind, v) {
        (_, None) => "-".to_string(),
        (Kind::Count, Some(v)) => format!("{v:.0}"),
        (Kind::Money, Some(v)) => format_money(v),
        (Kind::Rate(defined), Some(v)) if defined(m) => format!("{:.0}%", (v * 100.0).round()),
        (Kind::Rate(_), Some(_)) => "-".to_string(),
        (Kind::Days, Some(v)) => format!("{v:.1}"),
    }
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
        // Between the percentages shown, so the column reads as it adds up.
        Kind::Rate(_) => (a * 100.0).round() - (b * 100.0).round(),
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
        Kind::Rate(_) => tr(lang, " pts", " 个百分点"),
        _ => String::new(),
    };
    if delta == 0.0 {
        return tr(lang, "–", "持平");
    }
    let arrow = if delta > 0.0 { "▲" } else { "▼" };
    let size = match kind {
        Kind::Money => format_money(delta.abs()),
        Kind::Days => format!("{:.1}", delta.abs()),
        _ => format!("{:.0}", delta.abs()),
    };
    format!("{arrow} {size}{unit}")
}

/// A headline figure: its key in `stats --json`, its English and Chinese label, how it reads,
/// and where it is in the metrics.
pub(crate) type Headline = (
    &'static str,
    &'static str,
    &'static str,
    Kind,
    fn(&Metrics) -> Option<f64>,
);

pub(crate) const HEADLINES: [Headline; 16] = [
    ("entries", "Entries", "跟进记录", Kind::Count, |m| {
        Some(m.entries as f64)
    }),
    (
        "customers_touched",
        "Customers touched",
        "跟进客户",
        Kind::Count,
        |m| Some(m.customers_touched as f64),
    ),
    (
        "new_customers",
        "New customers",
        "新客户",
        Kind::Count,
        |m| Some(m.new_customers as f64),
    ),
    (
        "reach_rate",
        "Reach rate",
        "接通率",
        Kind::Rate(|m| m.entries > 0),
        |m| Some(m.reach_rate),
    ),
    (
        "conversion_rate",
        "Conversion",
        "转化率",
        Kind::Rate(|m| m.customers_touched > 0),
        |m| Some(m.conversion_rate),
    ),
    ("won", "Won", "成交客户", Kind::Count, |m| {
        Some(m.won as f64)
    }),
    (
        "won_amount",
        "Won amount",
        "成交金额",
        Kind::Money,
        |m| Some(m.won_amount),
    ),
    ("lost", "Lost", "丢单", Kind::Count, |m| {
        Some(m.lost as f64)
    }),
    (
        "win_rate",
        "Win rate",
        "赢单率",
        Kind::Rate(|m| m.won + m.lost > 0),
        |m| Some(m.win_rate),
    ),
    (
        "median_cycle_days",
        "Median cycle (days)",
        "成交周期中位数（天）",
        Kind::Days,
        |m| m.median_cycle_days,
    ),
    (
        "promise_kept_rate",
        "Promise kept rate",
        "承诺兑现率",
        Kind::Rate(|m| m.promises_due > 0),
        |m| Some(m.promise_kept_rate),
    ),
    (
        "overdue_promises",
        "Overdue promises",
        "逾期承诺",
        Kind::Count,
        |m| Some(m.overdue_promises as f64),
    ),
    (
        "overdue_assists",
        "Overdue assists",
        "逾期协助",
        Kind::Count,
        |m| Some(m.overdue_assists as f64),
    ),
    (
        "unanswered",
        "Unanswered streaks",
        "连续未接通客户",
        Kind::Count,
        |m| Some(m.unanswered as f64),
    ),
    (
        "stale",
        "Stale customers",
        "沉睡客户",
        Kind::Count,
        |m| Some(m.stale as f64),
    ),
    (
        "overdue",
        "Overdue customers",
        "逾期客户",
        Kind::Count,
        |m| Some(m.overdue as f64),
    ),
];

fn range(lang: Lang, start: &str, end: &str) -> String {
    match lang {
        Lang::En => format!("{start} – {end}"),
        Lang::Zh => format!("{start} 至 {end}"),
    }
}

/// ` (text)` in English, `（text）` in Chinese.
fn paren(lang: Lang, text: &str) -> String {
    match lang {
        Lang::En => format!(" ({text})"),
        Lang::Zh => format!("（{text}）"),
    }
}

fn owner_suffix(n: &Named, lang: Lang) -> String {
    match &n.owner {
        Some(o) if !o.trim().is_empty() => match lang {
            Lang::En => format!(" (owner {})", escape(o)),
            Lang::Zh => format!("（负责人 {}）", escape(o)),
        },
        _ => String::new(),
    }
}

/// The report as Markdown.
pub fn markdown(r: &Report<'_>, config: &Config, lang: Lang) -> String {
    let m = r.current;
    let mut out = String::new();
    out.push_str(&format!(
        "# {} {}{}\n\n",
        tr(lang, "Review", "销售复盘"),
        escape(&r.label),
        paren(lang, &range(lang, &m.start, &m.end))
    ));
    match &r.previous {
        Some((label, p)) => out.push_str(&tr(
            lang,
            &format!(
                "Compared with {} ({}). Where a number comes from: `followup stats --explain METRIC`.\n\n",
                escape(label),
                range(lang, &p.start, &p.end)
            ),
            &format!(
                "对比上期 {}（{}）。每个数字的来源：`followup stats --explain 指标名`。\n\n",
                escape(label),
                range(lang, &p.start, &p.end)
            ),
        )),
        None => out.push_str(&tr(
            lang,
            "Where a number comes from: `followup stats --explain METRIC`.\n\n",
            "每个数字的来源：`followup stats --explain 指标名`。\n\n",
        )),
    }

    // Headline numbers.
    out.push_str(&format!("## {}\n\n", tr(lang, "Headline", "核心数据")));
    let mut rows = Vec::new();
    for (_, en, zh_label, kind, get) in HEADLINES {
        // A sum of confidential amounts is as confidential as they are (and so is its change).
        let hidden = r.hide_money && matches!(kind, Kind::Money);
        let shown = |v: Option<f64>, x: &Metrics| {
            if hidden { mask("") } else { shown(kind, v, x) }
        };
        let mut row = vec![tr(lang, en, zh_label), shown(get(m), m)];
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
    let this = tr(lang, "This period", "本期");
    let before = tr(lang, "Previous", "上期");
    let metric = tr(lang, "Metric", "指标");
    let delta = tr(lang, "Change", "变化");
    out.push_str(&match &r.previous {
        Some(_) => table(
            &[&metric, &this, &before, &delta],
            &[false, true, true, true],
            &rows,
        ),
        None => table(&[&metric, &this], &[false, true], &rows),
    });
    if m.promises_due > 0 {
        out.push_str(&tr(
            lang,
            &format!(
                "\nPromises due in the period: {}, kept by their due date: {}.\n",
                m.promises_due, m.promises_kept
            ),
            &format!(
                "\n本期到期承诺 {} 条，按时兑现 {} 条。\n",
                m.promises_due, m.promises_kept
            ),
        ));
    }

    // The funnel over the whole range.
    out.push_str(&format!(
        "\n## {}{}\n\n",
        tr(lang, "Funnel", "销售漏斗"),
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
            &tr(lang, "Stage", "阶段"),
            &tr(lang, "Entered", "进入"),
            &tr(lang, "Moved on", "推进"),
            &tr(lang, "Conversion", "转化率"),
            &tr(lang, "Median days in stage", "停留天数中位数"),
        ],
        &[false, true, true, true, true],
        &rows,
    ));

    // Objections.
    out.push_str(&format!(
        "\n## {}\n\n",
        tr(lang, "Top objections", "主要异议")
    ));
    if m.objections.is_empty() {
        out.push_str(&tr(
            lang,
            "No objection was logged.\n",
            "本期没有记录异议。\n",
        ));
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
                &tr(lang, "Objection", "异议"),
                &tr(lang, "Count", "次数"),
                &tr(lang, "Share", "占比"),
            ],
            &[false, true, true],
            &rows,
        ));
    }

    // Wins and losses.
    if !m.won_customers.is_empty() {
        out.push_str(&format!("\n## {}\n\n", tr(lang, "Won", "成交客户")));
        for name in &m.won_customers {
            out.push_str(&format!("- {}\n", escape(name)));
        }
    }
    if m.lost > 0 {
        out.push_str(&format!(
            "\n## {}\n\n",
            tr(lang, "Lost reasons", "丢单原因")
        ));
        let rows: Vec<Vec<String>> = m
            .lost_reasons
            .iter()
            .map(|l| {
                vec![
                    l.reason
                        .as_deref()
                        .map_or_else(|| tr(lang, "(none given)", "（未填写）"), escape),
                    l.count.to_string(),
                    format!("{:.0}%", (l.share * 100.0).round()),
                ]
            })
            .collect();
        out.push_str(&table(
            &[
                &tr(lang, "Reason", "原因"),
                &tr(lang, "Customers", "客户数"),
                &tr(lang, "Share", "占比"),
            ],
            &[false, true, true],
            &rows,
        ));
    }

    // Promises broken.
    out.push_str(&format!(
        "\n## {}{}\n\n",
        tr(lang, "Promises broken", "未按时兑现的承诺"),
        paren(lang, &m.broken_promises.len().to_string())
    ));
    if m.broken_promises.is_empty() {
        out.push_str(&tr(lang, "None.\n", "无。\n"));
    }
    for b in &m.broken_promises {
        let state = match &b.done {
            None => tr(lang, "still open", "仍未完成"),
            Some(d) => tr(lang, &format!("done {d}, late"), &format!("{d} 才完成")),
        };
        out.push_str(&format!(
            "- **{}**{}{} — {}\n",
            escape(&b.customer),
            tr(lang, ": ", "："),
            escape(&b.text),
            tr(
                lang,
                &format!("due {}, {state}", b.due),
                &format!("截止 {}，{state}", b.due)
            )
        ));
    }

    // Who is unanswered or stale.
    for (title, list, unit_en, unit_zh) in [
        (
            ("Unanswered streaks", "连续未接通"),
            &m.unanswered_customers,
            "unanswered in a row",
            "次连续未接通",
        ),
        (
            ("Stale customers", "沉睡客户"),
            &m.stale_customers,
            "days since the last contact",
            "天未联系",
        ),
    ] {
        out.push_str(&format!(
            "\n## {}{}\n\n",
            tr(lang, title.0, title.1),
            paren(lang, &list.len().to_string())
        ));
        if list.is_empty() {
            out.push_str(&tr(lang, "None.\n", "无。\n"));
        }
        for n in list.iter() {
            out.push_str(&format!(
                "- {}{} — {} {}\n",
                escape(&n.customer),
                owner_suffix(n, lang),
                n.days_or_count,
                tr(lang, unit_en, unit_zh)
            ));
        }
    }

    // One row per owner.
    if !r.owners.is_empty() {
        out.push_str(&format!("\n## {}\n\n", tr(lang, "By owner", "按负责人")));
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
                        format_money(o.won_amount)
                    },
                    pct(o.promise_kept_rate, o.promises_due > 0),
                    o.overdue_promises.to_string(),
                    o.stale.to_string(),
                ]
            })
            .collect();
        out.push_str(&table(
            &[
                &tr(lang, "Owner", "负责人"),
                &tr(lang, "Entries", "跟进记录"),
                &tr(lang, "Reach rate", "接通率"),
                &tr(lang, "Won", "成交"),
                &tr(lang, "Won amount", "成交金额"),
                &tr(lang, "Promise kept rate", "承诺兑现率"),
                &tr(lang, "Overdue promises", "逾期承诺"),
                &tr(lang, "Stale", "沉睡"),
            ],
            &[false, true, true, true, true, true, true, true],
            &rows,
        ));
    }
    out
}

/// An objection category as shown: `price`, or 价格 in Chinese.
pub(crate) fn objection_label(category: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => crate::model::config::OBJECTION_ALIASES
            .iter()
            .find(|(_, en)| *en == category)
            .map_or_else(|| category.to_string(), |(zh, _)| (*zh).to_string()),
        Lang::En => category.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
