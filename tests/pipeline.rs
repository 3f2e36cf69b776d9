//! Issue 15: the pipeline, forecast and funnel (`followup pipeline`), the review's new numbers
//! (new customers, promise keeping, overdue promises and assists, lost reasons), the Markdown
//! review (`stats --format markdown`) and `--explain` — every number checked against a hand
//! count of tests/fixtures/pipeline, today pinned to 2026-11-26.
//!
//! The fixture (followup.toml: potential 0.2, intent 0.5, won and maintenance 1.0 by default):
//!
//! | file | owner | stage, status | created | deal.amount, expected_close |
//! | --- | --- | --- | --- | --- |
//! | alpha | amy | intent, active | 07-01 | 100000, 2026-12-15 |
//! | beta | bob | won, won | 06-10 | 300000, 2026-09-30 |
//! | gamma | amy | potential, active | 10-05 | – |
//! | delta | bob | intent, lost | 05-20 | 80000 |
//! | epsilon | bob | intent, active | 09-01 | 200000, 2026-11-10 (past) |
//! | zeta | amy | potential, active | 11-02 | 50000, 2027-01-20 |
//! | eta | bob | maintenance, active | 03-01 | 500000 |
//! | theta | amy | intent, paused | 08-01 | 70000 |
//! | iota | bob | potential, lost | 10-01 | – |
//! | kappa (a name with `|`, `<b>` and `&`) | amy | potential, active | 06-15 | – |
//! | lambda | bob | 潜在, 丢单 | 11-05 | – |

mod common;

use common::{Sandbox, TODAY, finish, fixture, followup};
use serde_json::{Value, json};

fn run_json(s: &Sandbox, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    s.run(&all).ok().json()
}

/// The numbers of a list of rows, by keys.
fn pick(rows: &Value, keys: &[&str]) -> Vec<Vec<Value>> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| keys.iter().map(|k| r[*k].clone()).collect())
        .collect()
}

// ---------------------------------------------------------------- pipeline

#[test]
fn pipeline_matches_the_hand_count() {
    let s = Sandbox::new("pipeline");
    let j = run_json(&s, &["pipeline"]);
    // Active customers (status active): alpha, gamma, epsilon, zeta, eta, kappa.
    // potential: gamma (no amount), zeta 50000 (zeta.md:13), kappa (no amount)
    //            → 3 customers, 50000, weighted 50000 × 0.2 = 10000, 2 without an amount.
    // intent: alpha 100000 (alpha.md:13), epsilon 200000 (epsilon.md:13)
    //            → 2, 300000, weighted 300000 × 0.5 = 150000.
    // won: nobody active (beta's status is won).
    // maintenance: eta 500000 (eta.md:13) × 1.0 (default) → 500000.
    assert_eq!(
        pick(
            &j["stages"],
            &["stage", "customers", "amount", "weighted", "without_amount"]
        ),
        vec![
            vec![
                json!("potential"),
                json!(3),
                json!(50000.0),
                json!(10000.0),
                json!(2)
            ],
            vec![
                json!("intent"),
                json!(2),
                json!(300000.0),
                json!(150000.0),
                json!(0)
            ],
            vec![json!("won"), json!(0), json!(0.0), json!(0.0), json!(0)],
            vec![
                json!("maintenance"),
                json!(1),
                json!(500000.0),
                json!(500000.0),
                json!(0)
            ],
        ]
    );
    assert_eq!(
        pick(&j["stages"], &["probability"]),
        vec![
            vec![json!(0.2)],
            vec![json!(0.5)],
            vec![json!(1.0)],
            vec![json!(1.0)]
        ]
    );
    // Total: 3 + 2 + 1 = 6; 50000 + 300000 + 500000 = 850000; 10000 + 150000 + 500000.
    assert_eq!(
        j["total"],
        json!({"customers": 6, "amount": 850000.0, "weighted": 660000.0})
    );
    // Not in the pipeline: theta paused; beta won; delta, iota and lambda (丢单) lost.
    assert_eq!(
        j["excluded"],
        json!({"paused": 1, "won": 1, "lost": 3, "no_stage": 0})
    );
    // The forecast: open deals (before the won stage), so eta (maintenance) is not in it.
    // alpha closes 2026-12-15 (alpha.md:15): 100000, weighted 50000.
    // zeta closes 2027-01-20 (zeta.md:14): 50000, weighted 10000.
    assert_eq!(
        pick(
            &j["by_month"],
            &["month", "customers", "amount", "weighted"]
        ),
        vec![
            vec![json!("2026-12"), json!(1), json!(100000.0), json!(50000.0)],
            vec![json!("2027-01"), json!(1), json!(50000.0), json!(10000.0)],
        ]
    );
    assert_eq!(
        j["by_month"][0]["stages"],
        json!([{"stage": "intent", "customers": 1, "amount": 100000.0, "weighted": 50000.0}])
    );
    // Past due: epsilon's close 2026-11-10 (epsilon.md:15) is before today: 200000, 100000.
    assert_eq!(j["past_due"]["customers"], 1);
    assert_eq!(j["past_due"]["amount"], 200000.0);
    assert_eq!(j["past_due"]["weighted"], 100000.0);
    assert_eq!(j["past_due"]["deals"][0]["customer"], "Epsilon");
    assert_eq!(j["past_due"]["deals"][0]["expected_close"], "2026-11-10");
    // No close date: gamma and kappa, both without an amount.
    assert_eq!(j["no_close"]["customers"], 2);
    assert_eq!(j["no_close"]["amount"], 0.0);
    assert_eq!(j["currencies"], json!(["CNY"]));
}

#[test]
fn the_funnel_matches_the_hand_count() {
    let s = Sandbox::new("pipeline");
    let j = run_json(&s, &["pipeline"]);
    // The window: 2026-06-01 … 2026-11-26 (6 months counting November).
    assert_eq!(
        (j["since"].clone(), j["until"].clone()),
        (json!("2026-06-01"), json!(TODAY))
    );
    // Stays (creation stage = the OLD side of the first `stage:` change, at `created`):
    //   alpha   potential 07-01 (alpha.md:6) → intent 07-15 (alpha.md:27)        14 days
    //   beta    potential 06-10 → intent 06-20 (beta.md:23) → won 08-19 (beta.md:31)
    //                                            10 days in potential, 60 in intent
    //   gamma   potential 10-05                                                 still there
    //   delta   potential 05-20 (before the window) → intent 06-05 (delta.md:22), then lost
    //   epsilon potential 09-01 → intent 09-21 (epsilon.md:25)                  20 days
    //   zeta    potential 11-02; iota potential 10-01 (lost); kappa potential 06-15;
    //   lambda  潜在 11-05 (lost)                                               still there
    //   eta     potential 03-01 → won 04-01 (before the window) → maintenance 07-01 (eta.md:26)
    //   theta   potential 08-01 → intent 08-20 (theta.md:23)                    19 days
    // potential: entered in the window by alpha, beta, gamma, epsilon, zeta, theta, iota,
    //   kappa, lambda = 9 (delta and eta entered before June); moved on: alpha, beta,
    //   epsilon, theta = 4 → 4/9; days 10, 14, 19, 20 → median 16.5.
    // intent: alpha, beta, delta, epsilon, theta = 5; moved on: beta → 1/5 = 0.2; days: beta 60.
    // won: beta (08-19) = 1 (eta's 04-01 is before the window); nobody moved on → 0.
    // maintenance: eta (07-01) = 1; the last stage: no conversion.
    assert_eq!(
        pick(
            &j["funnel"],
            &["stage", "entered", "advanced", "conversion", "median_days"]
        ),
        vec![
            vec![
                json!("potential"),
                json!(9),
                json!(4),
                json!(4.0 / 9.0),
                json!(16.5)
            ],
            vec![json!("intent"), json!(5), json!(1), json!(0.2), json!(60.0)],
            vec![json!("won"), json!(1), json!(0), json!(0.0), Value::Null],
            vec![
                json!("maintenance"),
                json!(1),
                json!(0),
                Value::Null,
                Value::Null
            ],
        ]
    );
    // A narrower window: only September (epsilon created at potential 09-01 and moved on
    // 09-21; epsilon entered intent 09-21).
    let sep = run_json(
        &s,
        &["pipeline", "--since", "2026-09-01", "--until", "2026-09-30"],
    );
    assert_eq!(
        pick(&sep["funnel"], &["entered", "advanced", "median_days"]),
        vec![
            vec![json!(1), json!(1), json!(20.0)],
            vec![json!(1), json!(0), Value::Null],
            vec![json!(0), json!(0), Value::Null],
            vec![json!(0), json!(0), Value::Null],
        ]
    );
}

#[test]
fn pipeline_by_owner_csv_and_the_table() {
    let s = Sandbox::new("pipeline");
    let j = run_json(&s, &["pipeline", "--by", "owner"]);
    let totals: Vec<Value> = j["owners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| json!({"owner": o["owner"], "total": o["total"]}))
        .collect();
    // amy: alpha 100000×0.5, gamma, zeta 50000×0.2, kappa → 4, 150000, 60000.
    // bob: epsilon 200000×0.5, eta 500000×1.0 → 2, 700000, 600000.
    assert_eq!(
        totals,
        vec![
            json!({"owner": "amy", "total": {"customers": 4, "amount": 150000.0, "weighted": 60000.0}}),
            json!({"owner": "bob", "total": {"customers": 2, "amount": 700000.0, "weighted": 600000.0}}),
        ]
    );
    assert_eq!(j["owners"][1]["past_due"]["customers"], 1);
    // --owner keeps one rep's customers.
    let amy = run_json(&s, &["pipeline", "--owner", "amy"]);
    assert_eq!(amy["total"]["weighted"], 60000.0);

    let csv = s.run(&["pipeline", "--csv"]).ok().stdout;
    assert!(
        csv.starts_with(
            "\u{feff}section,name,stage,customers,amount,weighted,entered,advanced,conversion,median_days\n"
        ),
        "{csv}"
    );
    for row in [
        "stage,intent,intent,2,300000,150000,,,,",
        "stage,total,,6,850000,660000,,,,",
        "month,past-due,,1,200000,100000,,,,",
        "month,2026-12,intent,1,100000,50000,,,,",
        "month,no-close,,2,0,0,,,,",
        "funnel,potential,potential,,,,9,4,0.4444,16.5",
        "funnel,maintenance,maintenance,,,,1,0,,",
    ] {
        assert!(csv.lines().any(|l| l == row), "{row} in\n{csv}");
    }

    let table = s.run(&["pipeline"]).ok().stdout;
    assert!(
        table.starts_with("Pipeline on 2026-11-26 (active customers)"),
        "{table}"
    );
    // Amounts are grouped by thousands in tables.
    assert!(
        table.contains("850,000") && table.contains("660,000"),
        "{table}"
    );
    assert!(
        table.contains("Past-due closes (1)") && table.contains("Epsilon"),
        "{table}"
    );
    assert!(
        table.contains("Not in the pipeline: 1 paused, 1 won, 3 lost."),
        "{table}"
    );
    let zh = s
        .run(&["--lang", "zh", "pipeline", "--by", "month"])
        .ok()
        .stdout;
    for word in [
        "销售管道",
        "加权金额",
        "赢率",
        "潜在",
        "意向",
        "已过预计成交日",
        "漏斗",
        "停留天数中位数",
    ] {
        assert!(zh.contains(word), "{word} in\n{zh}");
    }
}

#[test]
fn pipeline_refuses_a_bad_window_or_metric_in_one_sentence() {
    let s = Sandbox::new("pipeline");
    for (args, says) in [
        (
            vec!["pipeline", "--since", "2026-12-01", "--until", "2026-11-01"],
            "is after --until",
        ),
        (
            vec!["pipeline", "--explain", "wieghted"],
            "did you mean `weighted`",
        ),
        (
            vec!["pipeline", "--explain", "entered:closing"],
            "is not a stage",
        ),
        (vec!["stats", "--explain", "wins"], "is not a metric"),
        (
            vec!["stats", "--format", "csv", "--json"],
            "give one of them",
        ),
    ] {
        let run = s.run(&args).code(2);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
        assert!(run.stdout.is_empty());
    }
}

// ---------------------------------------------------------------- stats: the new numbers

#[test]
fn stats_new_numbers_match_the_hand_count() {
    let s = Sandbox::new("pipeline");
    // The last six months (the default before issue 14 was six months; now it is this month
    // beside the last).
    let j = run_json(&s, &["stats", "--period", "month", "--last", "6"]);
    let per = |key: &str| -> Vec<Value> {
        j["periods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[key].clone())
            .collect()
    };
    // Months: 06, 07, 08, 09, 10, 11 (to the 26th).
    // new_customers (`created`, line 6 of each file): beta 06-10, kappa 06-15 | alpha 07-01 |
    // theta 08-01 | epsilon 09-01 | iota 10-01, gamma 10-05 | zeta 11-02, lambda 11-05.
    // (delta 05-20 and eta 03-01 are before the range.)
    assert_eq!(per("new_customers"), [2, 1, 1, 1, 2, 2].map(|n| json!(n)));
    assert_eq!(j["total"]["new_customers"], 9);
    // Promises by due date (judged once the due date is over, so zeta's due today is not):
    //   07-03 alpha.md:22 ticked, done 07-02 → kept
    //   08-15 beta.md:27 ticked, done 08-19 → broken (late)
    //   10-08 gamma.md:15 ticked without a date → kept (the tick is all we know)
    //   10-20 gamma.md:16 ticked, done 11-04 → broken (late)
    //   11-05 epsilon.md:31 open → broken; 11-20 alpha.md:31 open → broken
    assert_eq!(per("promises_due"), [0, 1, 1, 0, 2, 2].map(|n| json!(n)));
    assert_eq!(per("promises_kept"), [0, 1, 0, 0, 1, 0].map(|n| json!(n)));
    assert_eq!(
        per("promise_kept_rate"),
        [0.0, 1.0, 0.0, 0.0, 0.5, 0.0].map(|n| json!(n))
    );
    assert_eq!(
        (
            j["total"]["promises_due"].clone(),
            j["total"]["promises_kept"].clone(),
            j["total"]["promise_kept_rate"].clone()
        ),
        (json!(6), json!(2), json!(2.0 / 6.0))
    );
    // Overdue at each month's end (today for November): October — gamma.md:16 (due 10-20,
    // done only 11-04); November — epsilon.md:31 and alpha.md:31 (zeta's is due today).
    assert_eq!(
        per("overdue_promises"),
        [0, 0, 0, 0, 1, 2].map(|n| json!(n))
    );
    // Assists: alpha.md:35, due 11-25, open.
    assert_eq!(per("overdue_assists"), [0, 0, 0, 0, 0, 1].map(|n| json!(n)));
    assert_eq!(j["total"]["overdue_promises"], 2);
    assert_eq!(j["total"]["overdue_assists"], 1);
    // Broken promises, by due date.
    assert_eq!(
        pick(
            &j["total"]["broken_promises"],
            &["customer", "line", "due", "done"]
        ),
        vec![
            vec![
                json!("Beta"),
                json!(27),
                json!("2026-08-15"),
                json!("2026-08-19")
            ],
            vec![
                json!("Gamma"),
                json!(16),
                json!("2026-10-20"),
                json!("2026-11-04")
            ],
            vec![
                json!("Epsilon"),
                json!(31),
                json!("2026-11-05"),
                Value::Null
            ],
            vec![json!("Alpha"), json!(31), json!("2026-11-20"), Value::Null],
        ]
    );
    // Lost reasons, from the entry that made the customer lost:
    //   Sep: delta.md:27 `reason: chose a cheaper competitor`
    //   Oct: iota.md:19 lost without a reason
    //   Nov: lambda.md:20 `原因: Chose a cheaper competitor` (the Chinese key; case ignored)
    assert_eq!(
        j["total"]["lost_reasons"],
        json!([
            {"reason": "chose a cheaper competitor", "count": 2, "share": 2.0 / 3.0},
            {"reason": null, "count": 1, "share": 1.0 / 3.0}
        ])
    );
    assert_eq!(
        per("lost_reasons")[5],
        json!([{"reason": "Chose a cheaper competitor", "count": 1, "share": 1.0}])
    );
    // The table and the CSV carry them too.
    let table = s.run(&["stats", "--last", "6"]).ok().stdout;
    assert!(
        table.contains("Promise kept rate") && table.contains("33%"),
        "{table}"
    );
    assert!(
        table.contains("Lost reasons") && table.contains("(none given)"),
        "{table}"
    );
    let csv = s.run(&["stats", "--csv", "--last", "6"]).ok().stdout;
    assert!(
        csv.lines().next().unwrap().ends_with(
            ",new_customers,promises_due,promises_kept,promise_kept_rate_pct,overdue_promises,overdue_assists"
        ),
        "{csv}"
    );
    assert!(
        csv.lines().last().unwrap().ends_with(",9,6,2,33.3,2,1"),
        "{csv}"
    );
    // --format json is --json.
    assert_eq!(
        s.run(&["stats", "--format", "json", "--last", "6"])
            .ok()
            .json(),
        run_json(&s, &["stats", "--last", "6"])
    );
}

#[test]
fn promises_count_for_the_rep_who_made_them() {
    let s = Sandbox::new("pipeline");
    let j = run_json(&s, &["stats", "--by", "owner", "--last", "6"]);
    let get = |owner: &str, key: &str| {
        j["owners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["owner"] == owner)
            .unwrap()[key]
            .clone()
    };
    // amy made alpha's two, gamma's two and — covering for bob — epsilon's (epsilon.md:27
    // is `@amy`): 5 due, 2 kept; bob made beta's: 1 due, broken.
    assert_eq!(
        (get("amy", "promises_due"), get("amy", "promises_kept")),
        (json!(5), json!(2))
    );
    assert_eq!(
        (get("bob", "promises_due"), get("bob", "promises_kept")),
        (json!(1), json!(0))
    );
    // New customers and lost reasons are outcomes: the customer's owner's.
    // amy: alpha, gamma, zeta, theta, kappa; bob: beta, epsilon, iota, lambda.
    assert_eq!(get("amy", "new_customers"), 5);
    assert_eq!(get("bob", "new_customers"), 4);
    assert_eq!(get("bob", "lost_reasons")[0]["count"], 2);
}

#[test]
fn log_reason_is_written_and_ranked_in_stats() {
    let s = Sandbox::new("pipeline");
    s.run(&[
        "log",
        "gamma",
        "--status",
        "lost",
        "--reason",
        "budget frozen",
        "-m",
        "They stopped the project",
    ])
    .ok();
    let text = s.read("customers/gamma.md");
    assert!(
        text.ends_with("- status: active -> lost\n- reason: budget frozen\n"),
        "{text}"
    );
    s.run(&["check", "--deny-warnings"]).ok();
    // November: lambda's and gamma's, one each; ties by name.
    let j = run_json(&s, &["stats", "--since", "2026-11-01"]);
    assert_eq!(
        j["total"]["lost_reasons"],
        json!([
            {"reason": "Chose a cheaper competitor", "count": 1, "share": 0.5},
            {"reason": "budget frozen", "count": 1, "share": 0.5}
        ])
    );
    let run = s
        .run(&["log", "zeta", "--status", "lost", "--reason", " "])
        .code(2);
    assert!(run.stderr.contains("--reason"), "{}", run.stderr);
}

// ---------------------------------------------------------------- the Markdown review

/// A rendered Markdown document's outline: headings, tables (header cells and each row's
/// cells), and whether any HTML got through.
#[derive(Debug, Default)]
struct Outline {
    headings: Vec<(u8, String)>,
    tables: Vec<(Vec<String>, Vec<Vec<String>>)>,
    html: Vec<String>,
    text: String,
}

fn outline(markdown: &str) -> Outline {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut out = Outline::default();
    let mut heading: Option<(u8, String)> = None;
    let mut cell: Option<String> = None;
    let mut row: Vec<String> = Vec::new();
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u8, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => out.headings.extend(heading.take()),
            Event::Start(Tag::Table(_)) => out.tables.push((Vec::new(), Vec::new())),
            Event::End(TagEnd::TableHead) => {
                out.tables.last_mut().unwrap().0 = std::mem::take(&mut row);
            }
            Event::End(TagEnd::TableRow) => {
                out.tables
                    .last_mut()
                    .unwrap()
                    .1
                    .push(std::mem::take(&mut row));
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.push(cell.take().unwrap()),
            Event::Text(t) | Event::Code(t) => {
                out.text.push_str(&t);
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                }
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => out.html.push(h.to_string()),
            _ => {}
        }
    }
    out
}

/// Every table row of the source has as many unescaped `|` as its header: no row is broken.
fn assert_table_rows_whole(markdown: &str) {
    let pipes = |line: &str| {
        let mut n = 0;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                '|' if !escaped => n += 1,
                _ => escaped = false,
            }
            if c != '\\' {
                escaped = false;
            }
        }
        n
    };
    let mut header: Option<usize> = None;
    for line in markdown.lines() {
        if line.starts_with('|') {
            match header {
                None => header = Some(pipes(line)),
                Some(n) => assert_eq!(pipes(line), n, "broken row: {line}\n{markdown}"),
            }
        } else {
            header = None;
        }
    }
}

#[test]
fn the_markdown_review_renders_as_tables_and_headings_without_html() {
    let s = Sandbox::new("pipeline");
    for lang in ["en", "zh"] {
        let md = s
            .run(&[
                "--lang", lang, "stats", "--period", "month", "--last", "6", "--format", "markdown",
            ])
            .ok()
            .stdout;
        let doc = outline(&md);
        assert!(
            doc.html.is_empty(),
            "HTML in the report: {:?}\n{md}",
            doc.html
        );
        assert_table_rows_whole(&md);
        let levels: Vec<u8> = doc.headings.iter().map(|h| h.0).collect();
        assert_eq!(levels.iter().filter(|l| **l == 1).count(), 1, "{md}");
        let titles: Vec<&str> = doc.headings.iter().map(|h| h.1.as_str()).collect();
        let expected: &[&str] = if lang == "en" {
            &[
                "Review 2026-11 (2026-11-01 – 2026-11-26)",
                "Headline",
                "Funnel (2026-06-01 – 2026-11-26)",
                "Top objections",
                "Lost reasons",
                "Promises broken (2)",
                "Unanswered streaks (0)",
                "Stale customers (4)",
                "By owner",
            ]
        } else {
            &[
                "销售复盘 2026-11（2026-11-01 至 2026-11-26）",
                "核心数据",
                "销售漏斗（2026-06-01 至 2026-11-26）",
                "主要异议",
                "丢单原因",
                "未按时兑现的承诺（2）",
                "连续未接通（0）",
                "沉睡客户（4）",
                "按负责人",
            ]
        };
        assert_eq!(titles, expected, "{md}");
        // Tables: headline (metric, this, previous, change) × 16; funnel × 4 stages;
        // objections; lost reasons; one row per owner.
        let shape: Vec<(usize, usize)> = doc
            .tables
            .iter()
            .map(|(head, rows)| {
                for r in rows {
                    assert_eq!(r.len(), head.len(), "{head:?} {r:?}");
                }
                (head.len(), rows.len())
            })
            .collect();
        assert_eq!(shape, [(4, 16), (5, 4), (3, 1), (3, 1), (8, 2)], "{md}");
        // The name with `|`, `<b>` and `&` reads as typed and did not split or mark anything up.
        assert!(doc.text.contains("Kappa | <b>Tools</b> & Co"), "{md}");
        let rows = &doc.tables[0].1;
        let row = |label: &str| {
            rows.iter()
                .find(|r| r[0] == label)
                .unwrap_or_else(|| panic!("{label} in {rows:?}"))
                .clone()
        };
        if lang == "en" {
            // November against October (hand counts of stats_new_numbers_match_the_hand_count):
            assert_eq!(row("New customers"), ["New customers", "2", "2", "–"]);
            assert_eq!(
                row("Promise kept rate"),
                ["Promise kept rate", "0%", "50%", "▼ 50 pts"]
            );
            assert_eq!(
                row("Overdue promises"),
                ["Overdue promises", "2", "1", "▲ 1"]
            );
            assert_eq!(row("Entries"), ["Entries", "7", "3", "▲ 4"]);
            assert_eq!(row("Lost"), ["Lost", "1", "1", "–"]);
            assert_eq!(doc.tables[4].1[0][0], "amy");
        } else {
            assert_eq!(
                row("承诺兑现率"),
                ["承诺兑现率", "0%", "50%", "▼ 50 个百分点"]
            );
            assert_eq!(row("逾期承诺"), ["逾期承诺", "2", "1", "▲ 1"]);
            assert_eq!(doc.tables[1].1[0][0], "潜在");
            assert_eq!(doc.tables[2].1[0][0], "价格");
        }
    }
    // Text typed in a file cannot break a table or smuggle HTML into the report: the reason
    // renders (as GitHub shows it) to `budget | <b>cut</b> *now* &amp;`, which the report
    // escapes back.
    s.write(
        "customers/iota.md",
        s.read("customers/iota.md").replace(
            "- status: active -> lost\n",
            "- status: active -> lost\n- reason: budget | \\<b\\>cut\\</b\\> \\*now\\* &amp;amp;\n",
        ),
    );
    let md = s
        .run(&["stats", "--format", "markdown", "--until", "2026-10-31"])
        .ok()
        .stdout;
    let doc = outline(&md);
    assert!(doc.html.is_empty(), "{:?}\n{md}", doc.html);
    assert_table_rows_whole(&md);
    let lost = doc
        .tables
        .iter()
        .find(|(head, _)| head[0] == "Reason")
        .expect(&md);
    assert_eq!(
        lost.1,
        vec![vec![
            "budget | <b>cut</b> *now* &amp;".to_string(),
            "1".to_string(),
            "100%".to_string()
        ]]
    );
    // A weekly review compares with the week before; `--period all` has nothing to compare.
    let week = s
        .run(&["stats", "--period", "week", "--format", "markdown"])
        .ok()
        .stdout;
    assert!(
        week.starts_with("# Review 2026-W48 (2026-11-23 – 2026-11-26)"),
        "{week}"
    );
    assert!(
        week.contains("Compared with 2026-W47 (2026-11-16 – 2026-11-22)"),
        "{week}"
    );
    let all = s
        .run(&["stats", "--period", "all", "--format", "markdown"])
        .ok()
        .stdout;
    assert_eq!(outline(&all).tables[0].0.len(), 2, "{all}");
}

// ---------------------------------------------------------------- --explain

#[test]
fn explain_names_the_file_and_line_behind_a_number() {
    let s = Sandbox::new("pipeline");
    // stats: Beta became won at beta.md:29 (stage: intent -> won and status: active -> won
    // in one entry — one win).
    let out = s
        .run(&["stats", "--explain", "won", "--last", "6"])
        .ok()
        .stdout;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "won = 1  (2026-06-01 … 2026-11-26)");
    assert_eq!(
        lines[3..],
        ["customers/beta.md:29: Beta — 2026-08-19 stage: intent -> won"]
    );
    let j = run_json(&s, &["stats", "--explain", "won", "--last", "6"]);
    assert_eq!(j["value"], 1);
    assert_eq!(j["items"][0]["file"], "customers/beta.md");
    assert_eq!(j["items"][0]["line"], 29);
    // A rate lists both sides: ✓ kept, ✗ broken (2 of 6).
    let out = s
        .run(&["stats", "--explain", "promise_kept_rate", "--last", "6"])
        .ok()
        .stdout;
    assert!(out.starts_with("promise_kept_rate = 33% (2/6)"), "{out}");
    assert!(
        out.contains(
            "customers/alpha.md:22: ✓ Alpha — send brochure — due 2026-07-03, done 2026-07-02"
        ),
        "{out}"
    );
    assert!(
        out.contains("customers/gamma.md:16: ✗ Gamma — send brochure v2 — due 2026-10-20, done 2026-11-04, late"),
        "{out}"
    );
    // A group names one row: the objection category, by its Chinese alias too.
    let j = run_json(
        &s,
        &["stats", "--explain", "objections:价格", "--last", "6"],
    );
    assert_eq!(
        pick(&j["items"], &["file", "line"]),
        vec![
            vec![json!("customers/alpha.md"), json!(26)],
            vec![json!("customers/zeta.md"), json!(19)]
        ]
    );
    let j = run_json(
        &s,
        &["stats", "--explain", "lost_reasons:none", "--last", "6"],
    );
    assert_eq!(
        pick(&j["items"], &["file", "line"]),
        vec![vec![json!("customers/iota.md"), json!(17)]]
    );

    // pipeline: each active customer's amount × its stage's probability, at its deal.amount
    // (or, without one, its stage), in funnel order.
    let out = s.run(&["pipeline", "--explain", "weighted"]).ok().stdout;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "weighted = 660,000");
    assert_eq!(
        lines[3..],
        [
            "customers/gamma.md:4: [potential] Gamma — no deal.amount",
            "customers/kappa.md:4: [potential] Kappa | <b>Tools</b> & Co — no deal.amount",
            "customers/zeta.md:13: [potential] Zeta — 50,000 × 0.2 = 10,000",
            "customers/alpha.md:13: [intent] Alpha — 100,000 × 0.5 = 50,000",
            "customers/epsilon.md:13: [intent] Epsilon — 200,000 × 0.5 = 100,000",
            "customers/eta.md:13: [maintenance] Eta — 500,000 × 1 = 500,000",
        ]
    );
    // One stage of the funnel, by its label: who entered intent in the window, and where.
    let j = run_json(&s, &["pipeline", "--explain", "entered:意向"]);
    assert_eq!(
        (j["group"].clone(), j["value"].clone()),
        (json!("intent"), json!(5))
    );
    assert_eq!(
        pick(&j["items"], &["file", "line"]),
        vec![
            vec![json!("customers/alpha.md"), json!(27)],
            vec![json!("customers/beta.md"), json!(23)],
            vec![json!("customers/delta.md"), json!(22)],
            vec![json!("customers/epsilon.md"), json!(25)],
            vec![json!("customers/theta.md"), json!(23)],
        ]
    );
    let j = run_json(&s, &["pipeline", "--explain", "past_due"]);
    assert_eq!(
        j["value"],
        json!({"customers": 1, "amount": 200000.0, "weighted": 100000.0})
    );
    assert_eq!(
        pick(&j["items"], &["file", "line"]),
        vec![vec![json!("customers/epsilon.md"), json!(15)]]
    );
    let out = s
        .run(&["pipeline", "--explain", "median_days:potential"])
        .ok()
        .stdout;
    assert!(out.starts_with("median_days:potential = 16.5"), "{out}");
    assert!(
        out.contains("customers/alpha.md:27: Alpha — entered 2026-07-01 (line 6), left for intent on 2026-07-15: 14 days"),
        "{out}"
    );
    // Confidential amounts stay masked in the lines behind a sum.
    s.write(
        "followup.toml",
        format!(
            "confidential = [\"deal.amount\"]\n{}",
            s.read("followup.toml")
        ),
    );
    let out = s
        .run(&["pipeline", "--explain", "amount:intent"])
        .ok()
        .stdout;
    assert!(
        out.contains("Alpha — ***") && !out.contains("100,000"),
        "{out}"
    );
    let out = s
        .run(&["--reveal", "pipeline", "--explain", "amount:intent"])
        .ok()
        .stdout;
    assert!(out.contains("Alpha — 100,000"), "{out}");
}

// ---------------------------------------------------------------- renamed stages, reading paths

/// The fixture with its stages renamed lead / qualified / signed / care, roles in followup.toml.
fn renamed() -> Sandbox {
    let s = Sandbox::new("pipeline");
    s.write(
        "followup.toml",
        "[stages]\nlead = { cadence = \"7d\", label = \"潜在\", probability = 0.2 }\nqualified = { cadence = \"3d\", label = \"意向\", probability = 0.5, converted = true }\nsigned = { cadence = \"30d\", label = \"成交\", won = true }\ncare = { cadence = \"30d\", label = \"维护\" }\n",
    );
    for name in [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
        "lambda",
    ] {
        let path = format!("customers/{name}.md");
        let mut text = s.read(&path);
        for (from, to) in [
            ("stage = \"potential\"", "stage = \"lead\""),
            ("stage = \"intent\"", "stage = \"qualified\""),
            ("stage = \"won\"", "stage = \"signed\""),
            ("stage = \"maintenance\"", "stage = \"care\""),
            ("stage: potential -> intent", "stage: lead -> qualified"),
            ("stage: intent -> won", "stage: qualified -> signed"),
            ("stage: potential -> won", "stage: lead -> signed"),
            ("stage: won -> maintenance", "stage: signed -> care"),
        ] {
            text = text.replace(from, to);
        }
        assert!(
            !text.contains("potential") && !text.contains("intent"),
            "{text}"
        );
        s.write(&path, text);
    }
    s
}

#[test]
fn renamed_stages_give_the_same_pipeline_funnel_and_review() {
    let default = Sandbox::new("pipeline");
    let renamed = renamed();
    renamed.run(&["check", "--deny-warnings"]).ok();
    let a = run_json(&default, &["pipeline", "--by", "owner"]);
    let b = run_json(&renamed, &["pipeline", "--by", "owner"]);
    // The same numbers under the new names.
    let names = |v: &Value| -> String {
        v.to_string()
            .replace("\"stage\":\"potential\"", "\"stage\":\"lead\"")
            .replace("\"stage\":\"intent\"", "\"stage\":\"qualified\"")
            .replace("\"stage\":\"won\"", "\"stage\":\"signed\"")
            .replace("\"stage\":\"maintenance\"", "\"stage\":\"care\"")
    };
    assert_eq!(names(&a), b.to_string());
    assert_eq!(b["stages"][1]["stage"], "qualified");
    assert_eq!(b["stages"][1]["weighted"], 150000.0);
    assert_eq!(b["funnel"][0]["entered"], 9);
    // signed is the won stage: eta (care) is not in the forecast, beta's win counts.
    assert_eq!(b["by_month"].as_array().unwrap().len(), 2);
    for args in [
        vec!["stats", "--json"],
        vec!["stats", "--json", "--by", "owner"],
    ] {
        assert_eq!(
            default.run(&args).ok().json(),
            renamed.run(&args).ok().json()
        );
    }
    let md = |s: &Sandbox| {
        s.run(&["--lang", "zh", "stats", "--format", "markdown"])
            .ok()
            .stdout
    };
    assert_eq!(md(&default), md(&renamed));
}

#[test]
fn the_lean_reading_path_gives_the_same_pipeline_and_review() {
    let dir = fixture("pipeline");
    for args in [
        vec!["pipeline", "--json", "--by", "owner"],
        vec!["stats", "--json", "--by", "owner"],
        vec!["stats", "--format", "markdown"],
    ] {
        let fast = finish(followup(&dir).args(["--today", TODAY]).args(&args)).ok();
        let full = finish(
            followup(&dir)
                .env("FOLLOWUP_FULL_PARSE", "1")
                .args(["--today", TODAY])
                .args(&args),
        )
        .ok();
        assert_eq!(fast.stdout, full.stdout, "{args:?}");
    }
}
