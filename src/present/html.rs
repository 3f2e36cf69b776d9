//! `followup report`: the review as one self-contained HTML page — headline figures with the
//! change from the previous period, trends, the funnel, objections and channels, a row per
//! rep, the due board, the pipeline by close month, who needs attention — drawn with inline
//! CSS and SVG (`chart`), nothing fetched from the network.
//!
//! The page is an askama template (`templates/report.html`) with HTML auto-escaping on: every
//! text from the files (names, owners, promises, next actions, file names) is escaped by the
//! template engine, and the template inserts nothing unescaped (no `|safe`; a test checks).
//!
//! Every figure carries where it comes from: `data-metric="SOURCE:PATH"` and `data-value`, the
//! value as JSON, where SOURCE is one of the commands listed at the foot of the page
//! (`stats --json …`, `pipeline --json …`, `agenda --json --week`) and PATH the place of the
//! value in that command's JSON — so a test can hold every number against the real commands.
//! Changes carry `data-change="A B"` (the two figures compared). Masking goes through the one
//! `Masker`: amounts and their sums, names, owners, next actions when confidential. Data in,
//! String out.

use crate::engine::agenda::{Agenda, AgendaItem};
use crate::engine::pipeline::{FunnelRow, Snapshot, Sum};
use crate::engine::review::PeriodReview;
use crate::engine::stats::{Metrics, Named, Period, Review};
use crate::model::config::{Config, Lang};
use crate::msg::m;
use crate::present::chart::{self, Bar, Chart, Column, Part, Shape, Step};
use crate::present::i18n::{channel, stage_label};
use crate::present::mask::Masker;
use crate::present::reach::{day_heading, kind_label, one_line, words};
use crate::present::render::mask;
use crate::present::report::{HEADLINES, Kind, delta, objection_label, shown};
use askama::Template;
use chrono::NaiveDate;

/// A figure as the page shows it, with where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    /// `SOURCE:PATH`: the source command's id and the value's path in its JSON
    /// (`stats:periods.5.entries`, `agenda:overdue.length`).
    pub metric: String,
    /// The value as JSON: `12`, `0.8571428571428571`, `null`, `"***"`.
    pub value: String,
    /// As shown: `12`, `86%`, `3,690,000`, `14.0`, `-`, `***`.
    pub shown: String,
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_string())
}

fn count(src: &str, path: &str, n: usize) -> Num {
    Num {
        metric: format!("{src}:{path}"),
        value: n.to_string(),
        shown: n.to_string(),
    }
}

fn int(src: &str, path: &str, n: i64) -> Num {
    Num {
        metric: format!("{src}:{path}"),
        value: n.to_string(),
        shown: n.abs().to_string(),
    }
}

/// A rate from 0 to 1, shown as a whole percentage; `-` when it has nothing to divide by.
fn rate(src: &str, path: &str, v: f64, defined: bool) -> Num {
    Num {
        metric: format!("{src}:{path}"),
        value: json(&v),
        shown: if defined {
            format!("{:.0}%", (v * 100.0).round())
        } else {
            "-".to_string()
        },
    }
}

fn days(src: &str, path: &str, v: Option<f64>) -> Num {
    Num {
        metric: format!("{src}:{path}"),
        value: json(&v),
        shown: v.map_or_else(|| "-".to_string(), |d| format!("{d:.1}")),
    }
}

/// An amount grouped by thousands, or `***` when `deal.amount` is confidential (a sum of
/// confidential amounts is as confidential as they are).
fn money(src: &str, path: &str, v: f64, hidden: bool) -> Num {
    if hidden {
        return Num {
            metric: format!("{src}:{path}"),
            value: json(&mask("")),
            shown: mask(""),
        };
    }
    Num {
        metric: format!("{src}:{path}"),
        value: json(&v),
        shown: crate::present::i18n::amount(Lang::En, v, None),
    }
}

fn opt_money(src: &str, path: &str, v: Option<f64>, hidden: bool) -> Num {
    match v {
        Some(v) => money(src, path, v, hidden),
        None => Num {
            metric: format!("{src}:{path}"),
            value: "null".to_string(),
            shown: "-".to_string(),
        },
    }
}

/// A change from the previous period.
#[derive(Debug, Clone)]
pub struct Change {
    /// The two figures compared: `SOURCE:PATH SOURCE:PATH` (this period, the previous one).
    pub of: String,
    /// The difference as JSON (`null`: nothing to compare).
    pub value: String,
    pub shown: String,
    /// `good`, `bad` or `flat`, for the colour.
    pub tone: &'static str,
}

/// A customer named on the page, with a link to its file (relative to the page's folder).
#[derive(Debug, Clone)]
pub struct Who {
    pub name: String,
    pub href: Option<String>,
}

/// A headline figure: this period, the previous one, the change.
#[derive(Debug, Clone)]
pub struct Headline {
    pub key: &'static str,
    pub label: &'static str,
    pub now: Num,
    pub before: Option<Num>,
    pub change: Option<Change>,
}

#[derive(Debug, Clone)]
pub struct TrendRow {
    pub period: String,
    pub cells: Vec<Num>,
}

#[derive(Debug, Clone)]
pub struct FunnelView {
    pub stage: String,
    pub entered: Num,
    pub advanced: Num,
    pub conversion: Num,
    pub median_days: Num,
}

/// A row of a ranked list: a label and its figures.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub label: String,
    pub cells: Vec<Num>,
}

#[derive(Debug, Clone)]
pub struct OwnerRow {
    pub owner: String,
    pub cells: Vec<Num>,
}

/// An item of the due board.
#[derive(Debug, Clone)]
pub struct Card {
    pub who: Who,
    pub owner: String,
    pub kind: String,
    pub kind_class: &'static str,
    pub words: String,
    /// How late, for an overdue item, with the words around the number.
    pub late: Option<Num>,
    pub late_before: &'static str,
    pub late_after: &'static str,
}

#[derive(Debug, Clone)]
pub struct Day {
    pub heading: String,
    pub count: Num,
    pub cards: Vec<Card>,
}

#[derive(Debug, Clone)]
pub struct Board {
    pub overdue: Vec<Card>,
    pub overdue_count: Num,
    pub today: Vec<Card>,
    pub today_count: Option<Num>,
    pub later: Vec<Day>,
}

#[derive(Debug, Clone)]
pub struct StageView {
    pub stage: String,
    pub customers: Num,
    pub amount: Num,
    /// None for the total.
    pub probability: Option<Num>,
    pub weighted: Num,
}

#[derive(Debug, Clone)]
pub struct ForecastRow {
    pub month: String,
    pub class: &'static str,
    pub customers: Num,
    pub amount: Num,
    pub weighted: Num,
}

#[derive(Debug, Clone)]
pub struct DealRow {
    pub who: Who,
    pub owner: String,
    pub stage: String,
    pub close: String,
    pub amount: Num,
}

/// A customer behind a count (stale, unanswered), with its owner and the figure.
#[derive(Debug, Clone)]
pub struct NamedRow {
    pub who: Who,
    pub owner: String,
    pub figure: Num,
}

#[derive(Debug, Clone)]
pub struct BrokenRow {
    pub who: Who,
    pub text: String,
    pub state: String,
}

/// A command whose JSON holds the page's figures.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: &'static str,
    /// The arguments after `followup`, `--json` included.
    pub args: Vec<String>,
}

impl Source {
    /// The arguments as a JSON array, for a machine to run.
    pub fn args_json(&self) -> String {
        json(&self.args)
    }

    /// The command line for people.
    pub fn command(&self) -> String {
        format!("followup {}", self.args.join(" "))
    }
}

macro_rules! words {
    ($($name:ident: $msg:ident;)*) => {
        /// The page's words in the team's language (from the catalogue, `msg::m::H_*`).
        #[derive(Debug, Clone)]
        pub struct Words { $(pub $name: &'static str,)* }

        impl Words {
            pub fn new(lang: Lang) -> Words {
                Words { $($name: crate::msg::m::$msg.template(lang),)* }
            }
        }
    };
}

words! {
    review: H_REVIEW;
    compared: H_COMPARED;
    window: H_WINDOW;
    as_of: H_AS_OF;
    headline: H_HEADLINE;
    all_figures: H_ALL_FIGURES;
    metric: H_METRIC;
    this_period: H_THIS_PERIOD;
    previous: H_PREVIOUS;
    change: H_CHANGE;
    trends: H_TRENDS;
    activity: H_ACTIVITY;
    reach_rate: H_REACH_RATE;
    conversion: H_CONVERSION;
    period: H_PERIOD;
    entries: H_ENTRIES;
    touched: H_TOUCHED;
    reached: H_REACHED;
    won: H_WON;
    won_amount: H_WON_AMOUNT;
    new_customers: H_NEW_CUSTOMERS;
    funnel: H_FUNNEL;
    stage: H_STAGE;
    entered: H_ENTERED;
    moved_on: H_MOVED_ON;
    median_days: H_MEDIAN_DAYS;
    objections: H_OBJECTIONS;
    objection: H_OBJECTION;
    count: H_COUNT;
    share: H_SHARE;
    no_objection: H_NO_OBJECTION;
    channels: H_CHANNELS;
    channel: H_CHANNEL;
    channels_key: H_CHANNELS_KEY;
    no_entry: H_NO_ENTRY;
    by_owner: H_BY_OWNER;
    owner: H_OWNER;
    promise_kept: H_PROMISE_KEPT;
    overdue_promises: H_OVERDUE_PROMISES;
    stale: H_STALE;
    board: H_BOARD;
    overdue: H_OVERDUE;
    today: H_TODAY;
    later: H_LATER;
    nothing: H_NOTHING;
    pipeline: H_PIPELINE;
    customers: H_CUSTOMERS;
    amount: H_AMOUNT;
    probability: H_PROBABILITY;
    weighted: H_WEIGHTED;
    forecast: H_FORECAST;
    forecast_key: H_FORECAST_KEY;
    forecast_key_hidden: H_FORECAST_KEY_HIDDEN;
    month: H_MONTH;
    past_due: H_PAST_DUE;
    no_open: H_NO_OPEN;
    past_due_deals: H_PAST_DUE_DEALS;
    customer: H_CUSTOMER;
    expected_close: H_EXPECTED_CLOSE;
    pipeline_owners: H_PIPELINE_OWNERS;
    attention: H_ATTENTION;
    stale_customers: H_STALE_CUSTOMERS;
    days_since: H_DAYS_SINCE;
    unanswered: H_UNANSWERED;
    in_a_row: H_IN_A_ROW;
    broken: H_BROKEN;
    promise: H_PROMISE;
    won_customers: H_WON_CUSTOMERS;
    lost_reasons: H_LOST_REASONS;
    reason: H_REASON;
    none: H_NONE;
    sources: H_SOURCES;
    sources_text: H_SOURCES_TEXT;
    generated: H_GENERATED;
}

/// The page.
#[derive(Template)]
#[template(path = "report.html")]
pub struct Page {
    pub html_lang: &'static str,
    pub w: Words,
    pub title: String,
    pub period_line: String,
    pub compare_line: Option<String>,
    pub window_line: String,
    pub as_of_line: String,
    pub kpis: Vec<Headline>,
    pub headline: Vec<Headline>,
    pub has_previous: bool,
    pub activity: Chart,
    pub reach: Chart,
    pub conversion: Chart,
    pub trend_rows: Vec<TrendRow>,
    pub funnel_chart: Chart,
    pub funnel: Vec<FunnelView>,
    pub objections_chart: Option<Chart>,
    pub objections: Vec<Ranked>,
    pub channels_chart: Option<Chart>,
    pub channels: Vec<Ranked>,
    pub owners: Vec<OwnerRow>,
    pub board: Board,
    pub stages: Vec<StageView>,
    pub stage_total: StageView,
    pub forecast_chart: Option<Chart>,
    pub forecast_hidden: bool,
    pub forecast: Vec<ForecastRow>,
    pub past_due: Vec<DealRow>,
    pub pipeline_owners: Vec<OwnerRow>,
    pub stale_count: Num,
    pub stale: Vec<NamedRow>,
    pub unanswered_count: Num,
    pub unanswered: Vec<NamedRow>,
    pub broken: Vec<BrokenRow>,
    pub won: Vec<Who>,
    pub lost_reasons: Vec<Ranked>,
    pub sources: Vec<Source>,
    pub version: &'static str,
}

/// Everything the page is made of: the engines' results over the same window as the source
/// commands, and how to mask and link.
pub struct Input<'a> {
    pub lang: Lang,
    pub config: &'a Config,
    pub today: NaiveDate,
    pub period: Period,
    pub since: NaiveDate,
    pub until: NaiveDate,
    /// `stats` over [since, until]: the trends and the range's objections and channels.
    pub review: &'a Review,
    /// The last period against the one before, the funnel and the reps.
    pub periods: &'a PeriodReview,
    /// `pipeline` today.
    pub snapshot: &'a Snapshot,
    /// `pipeline --by owner`'s owners, in its order.
    pub pipeline_owners: &'a [(String, Snapshot)],
    /// `agenda --week`.
    pub agenda: &'a Agenda<'a>,
    /// Masking, as in every output: confidential keys unless `--reveal`.
    pub masker: Masker<'a>,
    /// The link to a file named relative to the sales folder (`customers/acme.md`).
    pub link: &'a dyn Fn(&str) -> Option<String>,
    /// The file of a customer named so (for lists that name customers only).
    pub file_of: &'a dyn Fn(&str) -> Option<String>,
    pub sources: Vec<Source>,
}

fn range(lang: Lang, start: &str, end: &str) -> String {
    m::R_RANGE
        .with("start", start)
        .with("end", end)
        .render(lang)
}

/// The width of a trend chart (three in a row) and of the others (two in a row), in the
/// units of its text, so labels keep their size on the screen.
const TREND_WIDTH: f64 = 360.0;
const WIDE: f64 = 520.0;

/// Figures where a rise is bad news.
const LOWER_IS_BETTER: [&str; 7] = [
    "lost",
    "median_cycle_days",
    "overdue_promises",
    "overdue_assists",
    "unanswered",
    "stale",
    "overdue",
];

/// The headline figures the cards show first.
const CARDS: [&str; 8] = [
    "entries",
    "customers_touched",
    "new_customers",
    "reach_rate",
    "conversion_rate",
    "won",
    "won_amount",
    "win_rate",
];

impl Input<'_> {
    fn who(&self, name: &str, file: Option<&str>) -> Who {
        if self.masker.hides("name") {
            // The file's name would tell the customer's: no link either.
            return Who {
                name: self.masker.text("name", name),
                href: None,
            };
        }
        Who {
            name: one_line(name),
            href: file.and_then(|f| (self.link)(f)),
        }
    }

    fn owner(&self, owner: Option<&str>) -> String {
        match owner.map(str::trim) {
            Some(o) if !o.is_empty() => one_line(&self.masker.text("owner", o)),
            _ => "-".to_string(),
        }
    }

    fn amounts_hidden(&self) -> bool {
        self.masker.hides("deal.amount")
    }

    fn stage(&self, key: &str) -> String {
        one_line(&stage_label(Some(key), self.config, self.lang))
    }

    fn named(&self, list: &[Named], path: &str) -> Vec<NamedRow> {
        list.iter()
            .enumerate()
            .map(|(i, n)| NamedRow {
                who: self.who(&n.customer, Some(&n.file)),
                owner: self.owner(n.owner.as_deref()),
                figure: int(
                    "stats",
                    &format!("{path}.{i}.days_or_count"),
                    n.days_or_count,
                ),
            })
            .collect()
    }
}

/// The headline figures of the period reviewed, with the change (the Markdown review's
/// definitions: `report::HEADLINES`, `shown`, `delta`).
fn headline(input: &Input<'_>, cur_path: &str) -> Vec<Headline> {
    let lang = input.lang;
    let cur = &input.periods.current;
    let prev = input.periods.previous.as_ref().map(|p| &p.metrics);
    HEADLINES
        .iter()
        .map(|(key, label, kind, get)| {
            let hidden = matches!(kind, Kind::Money) && input.amounts_hidden();
            let num = |src: &str, path: &str, m: &Metrics| {
                if hidden {
                    return money(src, path, 0.0, true);
                }
                let v = get(m);
                Num {
                    metric: format!("{src}:{path}"),
                    value: match (kind, v) {
                        (_, None) => "null".to_string(),
                        (Kind::Count, Some(v)) => format!("{v:.0}"),
                        (_, Some(v)) => json(&v),
                    },
                    shown: shown(*kind, v, m, lang),
                }
            };
            let now = num("stats", &format!("{cur_path}.{key}"), cur);
            let before = prev.map(|p| num("previous", &format!("total.{key}"), p));
            let change = prev.map(|p| {
                let of = format!("stats:{cur_path}.{key} previous:total.{key}");
                if hidden {
                    return Change {
                        of,
                        value: json(&mask("")),
                        shown: mask(""),
                        tone: "flat",
                    };
                }
                let d = delta(*kind, get(cur), get(p), cur, p);
                let shown = crate::present::report::change(*kind, get(cur), get(p), cur, p, lang);
                let worse = LOWER_IS_BETTER.contains(key);
                Change {
                    of,
                    value: json(&d),
                    shown,
                    tone: match d {
                        Some(d) if d > 0.0 && !worse || d < 0.0 && worse => "good",
                        Some(d) if d != 0.0 => "bad",
                        _ => "flat",
                    },
                }
            });
            Headline {
                key,
                label: label.template(lang),
                now,
                before,
                change,
            }
        })
        .collect()
}

fn trends(input: &Input<'_>) -> (Chart, Chart, Chart, Vec<TrendRow>) {
    let hidden = input.amounts_hidden();
    let periods = &input.review.periods;
    let label = |m: &Metrics| {
        input
            .period
            .label(crate::model::dates::parse_iso(&m.start).unwrap_or(input.since))
    };
    // On the charts' axis a week is `W48` (the table beside them has `2026-W48`).
    let short = |m: &Metrics| {
        let l = label(m);
        match l.split_once("-W") {
            Some((_, week)) => format!("W{week}"),
            None => l,
        }
    };
    let categories: Vec<String> = periods.iter().map(short).collect();
    let p = |i: usize, key: &str| format!("periods.{i}.{key}");
    let activity = chart::columns(
        &periods
            .iter()
            .enumerate()
            .map(|(i, m)| Column {
                category: short(m),
                total: m.entries as f64,
                total_num: count("stats", &p(i, "entries"), m.entries),
                part: m.reached as f64,
            })
            .collect::<Vec<_>>(),
        TREND_WIDTH,
    );
    let reach = chart::rate_line(
        &categories,
        &periods
            .iter()
            .enumerate()
            .map(|(i, m)| {
                (m.entries > 0).then(|| {
                    (
                        m.reach_rate,
                        rate("stats", &p(i, "reach_rate"), m.reach_rate, true),
                    )
                })
            })
            .collect::<Vec<_>>(),
        TREND_WIDTH,
    );
    let conversion = chart::rate_line(
        &categories,
        &periods
            .iter()
            .enumerate()
            .map(|(i, m)| {
                (m.customers_touched > 0).then(|| {
                    (
                        m.conversion_rate,
                        rate("stats", &p(i, "conversion_rate"), m.conversion_rate, true),
                    )
                })
            })
            .collect::<Vec<_>>(),
        TREND_WIDTH,
    );
    let rows = periods
        .iter()
        .enumerate()
        .map(|(i, m)| TrendRow {
            period: label(m),
            cells: vec![
                count("stats", &p(i, "entries"), m.entries),
                count("stats", &p(i, "customers_touched"), m.customers_touched),
                count("stats", &p(i, "reached"), m.reached),
                rate("stats", &p(i, "reach_rate"), m.reach_rate, m.entries > 0),
                rate(
                    "stats",
                    &p(i, "conversion_rate"),
                    m.conversion_rate,
                    m.customers_touched > 0,
                ),
                count("stats", &p(i, "new_customers"), m.new_customers),
                count("stats", &p(i, "won"), m.won),
                money("stats", &p(i, "won_amount"), m.won_amount, hidden),
            ],
        })
        .collect();
    (activity, reach, conversion, rows)
}

fn funnel(input: &Input<'_>, rows: &[FunnelRow]) -> (Chart, Vec<FunnelView>) {
    let views: Vec<FunnelView> = rows
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let p = |key: &str| format!("funnel.{i}.{key}");
            FunnelView {
                stage: input.stage(&f.stage),
                entered: count("pipeline", &p("entered"), f.entered),
                advanced: count("pipeline", &p("advanced"), f.advanced),
                conversion: match f.conversion {
                    Some(c) if f.entered > 0 => rate("pipeline", &p("conversion"), c, true),
                    c => Num {
                        metric: format!("pipeline:{}", p("conversion")),
                        value: json(&c),
                        shown: "-".to_string(),
                    },
                },
                median_days: days("pipeline", &p("median_days"), f.median_days),
            }
        })
        .collect();
    let steps: Vec<Step> = rows
        .iter()
        .zip(&views)
        .map(|(f, v)| {
            let mut text = vec![Part::Num(v.entered.clone())];
            if f.conversion.is_some() {
                text.push(Part::Plain(" → ".to_string()));
                text.push(Part::Num(v.advanced.clone()));
                if f.entered > 0 {
                    text.push(Part::Plain(" (".to_string()));
                    text.push(Part::Num(v.conversion.clone()));
                    text.push(Part::Plain(")".to_string()));
                }
            }
            Step {
                label: v.stage.clone(),
                entered: f.entered as f64,
                text,
            }
        })
        .collect();
    (chart::funnel(&steps, WIDE), views)
}

fn objections(input: &Input<'_>) -> (Option<Chart>, Vec<Ranked>) {
    let m = &input.review.total;
    let rows: Vec<Ranked> = m
        .objections
        .iter()
        .take(8)
        .enumerate()
        .map(|(i, o)| Ranked {
            label: one_line(&objection_label(&o.category, input.lang)),
            cells: vec![
                count("stats", &format!("total.objections.{i}.count"), o.count),
                rate(
                    "stats",
                    &format!("total.objections.{i}.share"),
                    o.share,
                    true,
                ),
            ],
        })
        .collect();
    let chart = (!rows.is_empty()).then(|| {
        chart::bars(
            &rows
                .iter()
                .zip(&m.objections)
                .map(|(r, o)| Bar {
                    label: r.label.clone(),
                    value: o.count as f64,
                    part: None,
                    class: "s2",
                    text: vec![
                        Part::Num(r.cells[0].clone()),
                        Part::Plain(" · ".to_string()),
                        Part::Num(r.cells[1].clone()),
                    ],
                })
                .collect::<Vec<_>>(),
            WIDE,
        )
    });
    (chart, rows)
}

fn channels(input: &Input<'_>) -> (Option<Chart>, Vec<Ranked>) {
    let m = &input.review.total;
    let rows: Vec<Ranked> = m
        .channels
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let p = |key: &str| format!("total.channels.{i}.{key}");
            Ranked {
                label: one_line(&channel(input.lang, &c.channel)),
                cells: vec![
                    count("stats", &p("entries"), c.entries),
                    count("stats", &p("reached"), c.reached),
                    rate("stats", &p("reach_rate"), c.reach_rate, c.entries > 0),
                ],
            }
        })
        .collect();
    let chart = (!rows.is_empty()).then(|| {
        chart::bars(
            &rows
                .iter()
                .zip(&m.channels)
                .map(|(r, c)| Bar {
                    label: r.label.clone(),
                    value: c.entries as f64,
                    part: Some(c.reached as f64),
                    class: "s1",
                    text: vec![
                        Part::Num(r.cells[0].clone()),
                        Part::Plain(" · ".to_string()),
                        Part::Num(r.cells[2].clone()),
                    ],
                })
                .collect::<Vec<_>>(),
            WIDE,
        )
    });
    (chart, rows)
}

fn owners(input: &Input<'_>) -> Vec<OwnerRow> {
    let hidden = input.amounts_hidden();
    input
        .periods
        .owners
        .iter()
        .enumerate()
        .map(|(i, (owner, m))| {
            let p = |key: &str| format!("owners.{i}.{key}");
            OwnerRow {
                owner: input.owner(Some(owner)),
                cells: vec![
                    count("owners", &p("entries"), m.entries),
                    count("owners", &p("customers_touched"), m.customers_touched),
                    rate("owners", &p("reach_rate"), m.reach_rate, m.entries > 0),
                    count("owners", &p("won"), m.won),
                    money("owners", &p("won_amount"), m.won_amount, hidden),
                    rate(
                        "owners",
                        &p("promise_kept_rate"),
                        m.promise_kept_rate,
                        m.promises_due > 0,
                    ),
                    count("owners", &p("overdue_promises"), m.overdue_promises),
                    count("owners", &p("stale"), m.stale),
                ],
            }
        })
        .collect()
}

fn card(input: &Input<'_>, item: &AgendaItem<'_>, late: Option<Num>) -> Card {
    let c = &item.summary.customer;
    let kind = item.reason.kind();
    let text = if kind == "next-action" {
        input.masker.text("next.action", &words(item, input.lang))
    } else {
        words(item, input.lang)
    };
    Card {
        who: input.who(&c.name, Some(&item.summary.path.display().to_string())),
        owner: input.owner(c.owner.as_deref()),
        kind: kind_label(kind, input.lang),
        kind_class: match kind {
            "next-action" => "k-next",
            "promise" => "k-promise",
            "assist" => "k-assist",
            "task" => "k-task",
            _ => "k-cadence",
        },
        words: one_line(&text),
        // The one word order of lateness: "overdue 3 days" / "逾期 3 天", the number tagged.
        late_before: m::H_LATE_BEFORE.template(input.lang),
        late_after: match item.overdue_days {
            1 => m::H_LATE_DAY,
            _ => m::H_LATE_DAYS,
        }
        .template(input.lang),
        late,
    }
}

fn board(input: &Input<'_>) -> Board {
    let a = input.agenda;
    let overdue = a
        .overdue
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let late = int(
                "agenda",
                &format!("overdue.{i}.overdue_days"),
                item.overdue_days,
            );
            card(input, item, Some(late))
        })
        .collect();
    let mut today = Vec::new();
    let mut today_count = None;
    let mut later = Vec::new();
    for (d, (date, items)) in a.days.iter().enumerate() {
        let cards: Vec<Card> = items.iter().map(|i| card(input, i, None)).collect();
        let n = count("agenda", &format!("days.{d}.items.length"), items.len());
        if *date == input.today {
            today = cards;
            today_count = Some(n);
        } else {
            later.push(Day {
                heading: day_heading(*date, input.today, input.lang),
                count: n,
                cards,
            });
        }
    }
    Board {
        overdue,
        overdue_count: count("agenda", "overdue.length", a.overdue.len()),
        today,
        today_count,
        later,
    }
}

fn stage_view(
    stage: String,
    path: &str,
    s: &Sum,
    probability: Option<f64>,
    hidden: bool,
) -> StageView {
    StageView {
        stage,
        customers: count("pipeline", &format!("{path}.customers"), s.customers),
        amount: money("pipeline", &format!("{path}.amount"), s.amount, hidden),
        probability: probability.map(|p| rate("pipeline", &format!("{path}.probability"), p, true)),
        weighted: money("pipeline", &format!("{path}.weighted"), s.weighted, hidden),
    }
}

#[allow(clippy::type_complexity)]
fn pipeline(
    input: &Input<'_>,
) -> (
    Vec<StageView>,
    StageView,
    Option<Chart>,
    Vec<ForecastRow>,
    Vec<DealRow>,
    Vec<OwnerRow>,
) {
    let snap = input.snapshot;
    let hidden = input.amounts_hidden();
    let lang = input.lang;
    let stages = snap
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            stage_view(
                input.stage(&s.stage),
                &format!("stages.{i}"),
                &Sum {
                    customers: s.customers,
                    amount: s.amount,
                    weighted: s.weighted,
                },
                Some(s.probability),
                hidden,
            )
        })
        .collect();
    let total = stage_view(m::TOTAL.get(lang), "total", &snap.total, None, hidden);
    let mut forecast: Vec<(ForecastRow, &Sum)> = Vec::new();
    let row = |label: String, class: &'static str, path: &str, s: &Sum| ForecastRow {
        month: label,
        class,
        customers: count("pipeline", &format!("{path}.customers"), s.customers),
        amount: money("pipeline", &format!("{path}.amount"), s.amount, hidden),
        weighted: money("pipeline", &format!("{path}.weighted"), s.weighted, hidden),
    };
    if snap.past_due.sum.customers > 0 {
        forecast.push((
            row(
                m::PAST_DUE.get(lang),
                "warn",
                "past_due",
                &snap.past_due.sum,
            ),
            &snap.past_due.sum,
        ));
    }
    for (i, m) in snap.by_month.iter().enumerate() {
        forecast.push((
            row(m.month.clone(), "", &format!("by_month.{i}"), &m.sum),
            &m.sum,
        ));
    }
    if snap.no_close.sum.customers > 0 {
        forecast.push((
            row(
                m::NO_CLOSE_DATE.get(lang),
                "muted",
                "no_close",
                &snap.no_close.sum,
            ),
            &snap.no_close.sum,
        ));
    }
    let chart = forecast_chart(&forecast, hidden);
    let past_due = snap
        .past_due
        .deals
        .iter()
        .enumerate()
        .map(|(i, d)| DealRow {
            who: input.who(&d.customer, Some(&d.file)),
            owner: input.owner(d.owner.as_deref()),
            stage: input.stage(&d.stage),
            close: d.expected_close.clone().unwrap_or_default(),
            amount: opt_money(
                "pipeline",
                &format!("past_due.deals.{i}.amount"),
                d.amount,
                hidden,
            ),
        })
        .collect();
    let owners = owner_rows(input, hidden);
    (
        stages,
        total,
        chart,
        forecast.into_iter().map(|(r, _)| r).collect(),
        past_due,
        owners,
    )
}

/// The forecast as bars: amount (weighted inside) per month; with hidden amounts, deals.
fn forecast_chart(forecast: &[(ForecastRow, &Sum)], hidden: bool) -> Option<Chart> {
    (!forecast.is_empty()).then(|| {
        chart::bars(
            &forecast
                .iter()
                .map(|(r, s)| {
                    // Hidden amounts: the bars count deals, so their lengths tell nothing.
                    let (value, part, text) = if hidden {
                        (
                            s.customers as f64,
                            None,
                            vec![Part::Num(r.customers.clone())],
                        )
                    } else {
                        (
                            s.amount,
                            Some(s.weighted),
                            vec![
                                Part::Num(r.amount.clone()),
                                Part::Plain(" · ".to_string()),
                                Part::Num(r.weighted.clone()),
                            ],
                        )
                    };
                    Bar {
                        label: r.month.clone(),
                        value,
                        part,
                        class: match (r.class, hidden) {
                            ("warn", _) => "warn",
                            (_, true) => "s2",
                            _ => "s1",
                        },
                        text,
                    }
                })
                .collect::<Vec<_>>(),
            WIDE,
        )
    })
}

/// `pipeline --by owner`'s totals, a row per owner.
fn owner_rows(input: &Input<'_>, hidden: bool) -> Vec<OwnerRow> {
    input
        .pipeline_owners
        .iter()
        .enumerate()
        .map(|(i, (owner, s))| {
            let p = |key: &str| format!("owners.{i}.{key}");
            OwnerRow {
                owner: input.owner(Some(owner)),
                cells: vec![
                    count("pipeline", &p("total.customers"), s.total.customers),
                    money("pipeline", &p("total.amount"), s.total.amount, hidden),
                    money("pipeline", &p("total.weighted"), s.total.weighted, hidden),
                    money(
                        "pipeline",
                        &p("past_due.amount"),
                        s.past_due.sum.amount,
                        hidden,
                    ),
                ],
            }
        })
        .collect()
}

/// The page for these results.
pub fn page(input: &Input<'_>) -> Page {
    let lang = input.lang;
    let w = Words::new(lang);
    let pr = input.periods;
    let last = input.review.periods.len().saturating_sub(1);
    let cur_path = format!("periods.{last}");
    let label = input.period.label(input.period.start_of(pr.start));
    let headline = headline(input, &cur_path);
    let kpis = CARDS
        .iter()
        .filter_map(|k| headline.iter().find(|h| h.key == *k).cloned())
        .collect();
    let (activity, reach, conversion, trend_rows) = trends(input);
    let (funnel_chart, funnel) = funnel(input, &pr.funnel);
    let (objections_chart, objections) = objections(input);
    let (channels_chart, channels) = channels(input);
    let (stages, stage_total, forecast_chart, forecast, past_due, pipeline_owners) =
        pipeline(input);
    let m = &pr.current;
    let broken = m
        .broken_promises
        .iter()
        .map(|b| BrokenRow {
            who: input.who(&b.customer, Some(&b.file)),
            text: one_line(&b.text),
            state: match (&b.done, lang) {
                (None, _) => m::PROMISE_OPEN.with("due", &b.due).render(lang),
                (Some(d), _) => m::PROMISE_LATE
                    .with("due", &b.due)
                    .with("done", d)
                    .render(lang),
            },
        })
        .collect();
    let won = m
        .won_customers
        .iter()
        .map(|n| input.who(n, (input.file_of)(n).as_deref()))
        .collect();
    let lost_reasons = m
        .lost_reasons
        .iter()
        .enumerate()
        .map(|(i, l)| Ranked {
            label: l
                .reason
                .as_deref()
                .map_or_else(|| m::NONE_GIVEN.get(lang), one_line),
            cells: vec![
                count(
                    "stats",
                    &format!("{cur_path}.lost_reasons.{i}.count"),
                    l.count,
                ),
                rate(
                    "stats",
                    &format!("{cur_path}.lost_reasons.{i}.share"),
                    l.share,
                    true,
                ),
            ],
        })
        .collect();
    Page {
        html_lang: match lang {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        },
        title: format!("{} {label}", w.review),
        period_line: range(lang, &m.start, &m.end),
        compare_line: pr.previous.as_ref().map(|p| {
            let dates = range(lang, &p.start.to_string(), &p.end.to_string());
            m::PAREN
                .with(
                    "a",
                    format!("{} {}", w.compared, input.period.label(p.start)),
                )
                .with("b", dates)
                .render(lang)
        }),
        window_line: format!(
            "{}{}{}",
            w.window,
            m::COLON.template(lang),
            range(lang, &input.since.to_string(), &input.until.to_string())
        ),
        as_of_line: format!("{} {}", w.as_of, input.today),
        kpis,
        has_previous: pr.previous.is_some(),
        headline,
        activity,
        reach,
        conversion,
        trend_rows,
        funnel_chart,
        funnel,
        objections_chart,
        objections,
        channels_chart,
        channels,
        owners: owners(input),
        board: board(input),
        stages,
        stage_total,
        forecast_chart,
        forecast_hidden: input.amounts_hidden(),
        forecast,
        past_due,
        pipeline_owners,
        stale_count: count("stats", &format!("{cur_path}.stale"), m.stale),
        stale: input.named(&m.stale_customers, &format!("{cur_path}.stale_customers")),
        unanswered_count: count("stats", &format!("{cur_path}.unanswered"), m.unanswered),
        unanswered: input.named(
            &m.unanswered_customers,
            &format!("{cur_path}.unanswered_customers"),
        ),
        broken,
        won,
        lost_reasons,
        sources: input.sources.clone(),
        version: env!("CARGO_PKG_VERSION"),
        w,
    }
}

/// The page as HTML.
pub fn render(page: &Page) -> Result<String, askama::Error> {
    page.render()
}

/// A link from the page's folder to a file: the relative path, each segment percent-encoded
/// (so `#`, `?`, `%`, spaces and Chinese names survive), starting with `./` or `../` so that no
/// file name can read as a URL scheme (`javascript:`).
pub fn href(relative: &std::path::Path) -> String {
    let mut parts = Vec::new();
    for c in relative.components() {
        match c {
            std::path::Component::ParentDir => parts.push("..".to_string()),
            std::path::Component::CurDir => {}
            std::path::Component::Normal(s) => parts.push(encode(&s.to_string_lossy())),
            // An absolute path (no relative way there, e.g. another drive): a file URL.
            std::path::Component::RootDir | std::path::Component::Prefix(_) => {}
        }
    }
    let joined = parts.join("/");
    if relative.is_absolute() {
        format!("file:///{joined}")
    } else if joined.starts_with("../") {
        joined
    } else {
        format!("./{joined}")
    }
}

/// A path relative to the sales folder as the end of a URL (`customers/east/%E8%8B%8F….md`),
/// for `--link-base`.
pub fn url_path(relative: &std::path::Path) -> String {
    relative
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(encode(&s.to_string_lossy())),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Percent-encodes a path segment: everything but unreserved characters (RFC 3986).
fn encode(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn links_are_relative_encoded_and_never_a_scheme() {
        assert_eq!(
            href(Path::new("../customers/acme.md")),
            "../customers/acme.md"
        );
        assert_eq!(
            href(Path::new("customers/east/苏州 #1.md")),
            "./customers/east/%E8%8B%8F%E5%B7%9E%20%231.md"
        );
        assert_eq!(
            href(Path::new("javascript:alert(1).md")),
            "./javascript%3Aalert%281%29.md"
        );
        assert_eq!(href(Path::new("../../a/b.md")), "../../a/b.md");
    }

    #[test]
    fn the_template_inserts_nothing_unescaped() {
        let template = include_str!("../../templates/report.html");
        assert!(
            !template.contains("|safe"),
            "the template must not mark text safe"
        );
        assert!(
            !template.contains("| safe"),
            "the template must not mark text safe"
        );
        assert!(!template.contains("escape = \"none\""));
        assert!(!template.contains("http://") && !template.contains("https://"));
    }

    #[test]
    fn words_exist_in_both_languages() {
        let (en, zh) = (Words::new(Lang::En), Words::new(Lang::Zh));
        assert_eq!(en.funnel, "Funnel");
        assert_eq!(zh.funnel, "销售漏斗");
    }
}
