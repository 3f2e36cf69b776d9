//! Issue 18: `followup report`, the review as one self-contained HTML page. The page is read
//! back with a WHATWG tokenizer (html5gum), the way a browser's first stage reads it:
//!
//! - every figure carries `data-metric="SOURCE:PATH"` and `data-value`; the sources are listed
//!   at the page's foot with their arguments, so the test runs the real binary's `stats --json`,
//!   `pipeline --json` and `agenda --json` for the same window and holds every figure (and every
//!   change, and the text shown) against them — and checks that no other number is on the page;
//! - the page references nothing over the network and shows hostile names as text;
//! - links lead from the page's folder to the customer files, for any `--out`.

mod common;

use common::{Sandbox, TODAY};
use html5gum::{Token, Tokenizer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

// ---------------------------------------------------------------- reading the page

#[derive(Debug, Clone)]
enum Tok {
    Start {
        name: String,
        attrs: BTreeMap<String, String>,
        self_closing: bool,
    },
    End(String),
    Text(String),
    Error(String),
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The page as a browser's tokenizer sees it (`<style>` and `<title>` read as raw text).
fn tokens(html: &str) -> Vec<Tok> {
    let mut emitter = html5gum::DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut out = Vec::new();
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        out.push(match token {
            Token::StartTag(t) => Tok::Start {
                name: text(&t.name),
                attrs: t
                    .attributes
                    .iter()
                    .map(|(k, v)| (text(k), text(&v.value)))
                    .collect(),
                self_closing: t.self_closing,
            },
            Token::EndTag(t) => Tok::End(text(&t.name)),
            Token::String(s) => Tok::Text(text(&s.value)),
            Token::Comment(_) | Token::Doctype(_) => continue,
            Token::Error(e) => Tok::Error(format!("{:?}", e.value)),
        });
    }
    out
}

const VOID: [&str; 6] = ["meta", "br", "link", "img", "input", "hr"];

/// One element with what it says: its attributes and its text (children's text included).
#[derive(Debug, Clone)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
}

/// Every element that has one of `attrs`, with its text.
fn elements_with(toks: &[Tok], attrs: &[&str]) -> Vec<Element> {
    let mut open: Vec<(Element, bool)> = Vec::new();
    let mut out = Vec::new();
    for t in toks {
        match t {
            Tok::Start {
                name,
                attrs: a,
                self_closing,
            } => {
                let wanted = attrs.iter().any(|k| a.contains_key(*k));
                let e = Element {
                    name: name.clone(),
                    attrs: a.clone(),
                    text: String::new(),
                };
                if *self_closing || VOID.contains(&name.as_str()) {
                    if wanted {
                        out.push(e);
                    }
                } else {
                    open.push((e, wanted));
                }
            }
            Tok::Text(s) => {
                for (e, _) in open.iter_mut() {
                    e.text.push_str(s);
                }
            }
            Tok::End(name) => {
                while let Some((e, wanted)) = open.pop() {
                    let done = e.name == *name;
                    if wanted {
                        out.push(e);
                    }
                    if done {
                        break;
                    }
                }
            }
            Tok::Error(_) => {}
        }
    }
    out
}

/// The text a reader sees outside figures, changes, chart labels and words from the files.
fn loose_text(toks: &[Tok]) -> String {
    const SKIP: [&str; 4] = ["data-metric", "data-change", "data-axis", "data-text"];
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut out = String::new();
    for t in toks {
        match t {
            Tok::Start {
                name,
                attrs,
                self_closing,
            } => {
                if *self_closing || VOID.contains(&name.as_str()) {
                    continue;
                }
                let skip = SKIP.iter().any(|k| attrs.contains_key(*k))
                    || matches!(name.as_str(), "style" | "title")
                    || attrs.get("id").is_some_and(|i| i == "sources");
                open.push((name.clone(), skip));
            }
            Tok::Text(s) => {
                if !open.iter().any(|(_, skip)| *skip) {
                    out.push_str(s);
                    out.push(' ');
                }
            }
            Tok::End(name) => {
                while let Some((n, _)) = open.pop() {
                    if n == *name {
                        break;
                    }
                }
            }
            Tok::Error(_) => {}
        }
    }
    out
}

// ---------------------------------------------------------------- the source commands

/// The page's sources: id → the JSON its command prints in the same folder.
fn sources(s: &Sandbox, toks: &[Tok]) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for e in elements_with(toks, &["data-source"]) {
        let args: Vec<String> = serde_json::from_str(&e.attrs["data-args"]).unwrap();
        assert!(args.contains(&"--json".to_string()), "{args:?}");
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        out.insert(e.attrs["data-source"].clone(), s.run(&refs).ok().json());
    }
    out
}

/// The value at `PATH` (`periods.5.entries`, `overdue.length`) of a JSON document.
fn at<'a>(doc: &'a Value, path: &str) -> Option<Value> {
    let mut v: &'a Value = doc;
    let segments: Vec<&str> = path.split('.').collect();
    for (i, seg) in segments.iter().enumerate() {
        if *seg == "length" && i == segments.len() - 1 {
            return v.as_array().map(|a| Value::from(a.len()));
        }
        v = match seg.parse::<usize>() {
            Ok(n) => v.get(n)?,
            Err(_) => v.get(*seg)?,
        };
    }
    Some(v.clone())
}

fn lookup(sources: &BTreeMap<String, Value>, metric: &str) -> Value {
    let (src, path) = metric.split_once(':').expect("SOURCE:PATH");
    let doc = sources
        .get(src)
        .unwrap_or_else(|| panic!("{metric}: no source `{src}` at the page's foot"));
    at(doc, path).unwrap_or_else(|| panic!("{metric}: no such value in `{src}`'s JSON"))
}

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// The first number written in a text: `3,690,000` → 3690000, `逾期 6 天` → 6; with the
/// number of decimals written.
fn first_number(text: &str) -> Option<(f64, usize)> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .collect();
    let token = token.trim_end_matches(['.', ',']).replace(',', "");
    let decimals = token.split_once('.').map_or(0, |(_, d)| d.len());
    Some((token.parse().ok()?, decimals))
}

/// The text shown is the value as the page writes it: `86%` for 0.857, `3,690,000`, `14.0`,
/// `-` for nothing, `***` masked.
fn check_shown(metric: &str, value: &Value, shown: &str) {
    let shown = shown.trim();
    match value {
        Value::String(s) => assert_eq!(shown, s, "{metric}"),
        Value::Null => assert_eq!(shown, "-", "{metric}"),
        Value::Number(n) => {
            let v = n.as_f64().unwrap();
            if shown == "-" {
                assert_eq!(
                    v, 0.0,
                    "{metric}: `-` stands for a rate of nothing, not {v}"
                );
                return;
            }
            let (written, decimals) =
                first_number(shown).unwrap_or_else(|| panic!("{metric}: no number in `{shown}`"));
            // The value rounded to the precision written (half a unit of the last digit).
            let (v, decimals) = if shown.contains('%') {
                (v * 100.0, 0)
            } else {
                (v.abs(), decimals)
            };
            assert!(
                (written - v).abs() <= 0.5 * 10f64.powi(-(decimals as i32)) + 1e-9,
                "{metric}: {shown} for {v}"
            );
        }
        other => panic!("{metric}: unexpected value {other}"),
    }
}

/// The change between two figures as the review defines it: percentage points between the
/// percentages shown for a rate, days to one decimal, else the difference.
fn expected_change(key: &str, a: &Value, b: &Value) -> Option<f64> {
    let (a, b) = (a.as_f64()?, b.as_f64()?);
    Some(if key.ends_with("_rate") {
        (a * 100.0).round() - (b * 100.0).round()
    } else if key.ends_with("_days") {
        ((a - b) * 10.0).round() / 10.0
    } else {
        a - b
    })
}

/// Holds every figure and change of the page against the source commands' JSON; returns how
/// many figures were checked.
fn check_against_sources(s: &Sandbox, html: &str) -> usize {
    let toks = tokens(html);
    let sources = sources(s, &toks);
    let figures = elements_with(&toks, &["data-metric"]);
    for e in &figures {
        let metric = &e.attrs["data-metric"];
        let shown: Value = serde_json::from_str(&e.attrs["data-value"])
            .unwrap_or_else(|_| panic!("{metric}: data-value is not JSON"));
        let truth = lookup(&sources, metric);
        assert!(
            same(&shown, &truth),
            "{metric}: the page says {shown}, the command says {truth}"
        );
        check_shown(metric, &truth, &e.text);
    }
    let changes = elements_with(&toks, &["data-change"]);
    for e in &changes {
        let of = &e.attrs["data-change"];
        let (a, b) = of.split_once(' ').unwrap();
        let key = a.rsplit('.').next().unwrap();
        let (va, vb) = (lookup(&sources, a), lookup(&sources, b));
        let value: Value = serde_json::from_str(&e.attrs["data-value"]).unwrap();
        let shown = e.text.trim();
        match value.as_f64() {
            Some(d) => {
                assert_eq!(Some(d), expected_change(key, &va, &vb), "{of}");
                if d == 0.0 {
                    assert!(shown == "–" || shown == "持平", "{of}: {shown}");
                } else {
                    let arrow = if d > 0.0 { '▲' } else { '▼' };
                    assert!(shown.starts_with(arrow), "{of}: {shown}");
                    check_shown(of, &Value::from(d.abs()), shown);
                }
            }
            None if value.is_null() => {
                assert_eq!(shown, "-", "{of}");
                // Nothing to compare: a rate without a denominator, or days without a win.
                assert!(
                    key.ends_with("_rate") || va.is_null() || vb.is_null(),
                    "{of}: {va} and {vb} can be compared"
                );
            }
            None => assert_eq!(value, Value::String("***".into()), "{of}"),
        }
    }
    // Every number a reader sees is one of those figures: what is left are dates and period
    // labels (`2026-11-26`, `2026-11`, `2026-W48`, `11月27日`).
    let loose = loose_text(&toks);
    let rest = strip(&loose, date_like);
    assert!(
        !rest.chars().any(|c| c.is_ascii_digit()),
        "a number on the page is not tagged with its source: {}",
        context_of_digit(&rest)
    );
    assert!(
        figures.len() > 100 && !changes.is_empty(),
        "too few figures to mean anything: {}",
        figures.len()
    );
    figures.len()
}

/// The length of a date or period label at the start of `s`, if one is there.
fn date_like(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| {
        b.len() >= from + n && b[from..from + n].iter().all(u8::is_ascii_digit)
    };
    if digits(0, 4) && b.get(4) == Some(&b'-') {
        if digits(5, 2) && b.get(7) == Some(&b'-') && digits(8, 2) {
            return Some(10);
        }
        if b.get(5) == Some(&b'W') && digits(6, 2) {
            return Some(8);
        }
        if digits(5, 2) {
            return Some(7);
        }
    }
    // 11月27日
    let n: usize = s.chars().take_while(char::is_ascii_digit).count();
    if n > 0 && s[n..].starts_with('月') {
        let rest = &s[n + '月'.len_utf8()..];
        let m = rest.chars().take_while(char::is_ascii_digit).count();
        if m > 0 && rest[m..].starts_with('日') {
            return Some(n + '月'.len_utf8() + m + '日'.len_utf8());
        }
    }
    None
}

fn strip(text: &str, pattern: fn(&str) -> Option<usize>) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < text.len() {
        if let Some(n) = pattern(&text[i..]) {
            i += n;
            continue;
        }
        let c = text[i..].chars().next().unwrap();
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn context_of_digit(text: &str) -> String {
    let at = text.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
    let mut start = at.saturating_sub(60);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 60).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    text[start..end].to_string()
}

fn report(s: &Sandbox, args: &[&str]) -> String {
    let mut all = vec!["report", "--out", "out"];
    all.extend(args);
    s.run(&all).ok();
    s.read("out/index.html")
}

// ---------------------------------------------------------------- the figures

#[test]
fn every_figure_equals_the_json_of_stats_pipeline_and_agenda() {
    let s = Sandbox::demo();
    let html = report(&s, &[]);
    let n = check_against_sources(&s, &html);
    // The figures the issue names are among them.
    let toks = tokens(&html);
    let metrics: Vec<String> = elements_with(&toks, &["data-metric"])
        .into_iter()
        .map(|e| e.attrs["data-metric"].clone())
        .collect();
    for wanted in [
        "stats:periods.5.won_amount",
        "stats:periods.5.reach_rate",
        "previous:total.reach_rate",
        "stats:periods.0.entries",
        "stats:periods.5.conversion_rate",
        "stats:total.objections.0.count",
        "stats:total.channels.0.reach_rate",
        "owners:owners.0.entries",
        "pipeline:funnel.0.entered",
        "pipeline:funnel.1.conversion",
        "pipeline:stages.1.weighted",
        "pipeline:total.amount",
        "pipeline:by_month.0.amount",
        "pipeline:past_due.amount",
        "pipeline:past_due.deals.0.amount",
        "pipeline:owners.0.total.weighted",
        "agenda:overdue.length",
        "agenda:overdue.0.overdue_days",
        "agenda:days.0.items.length",
        "stats:periods.5.stale_customers.0.days_or_count",
        "stats:periods.5.unanswered",
    ] {
        assert!(
            metrics.iter().any(|m| m == wanted),
            "{wanted} is not on the page"
        );
    }
    assert!(n > 150, "{n} figures");
}

#[test]
fn figures_match_for_a_weekly_window_and_in_chinese() {
    let s = Sandbox::demo();
    let html = report(
        &s,
        &[
            "--period",
            "week",
            "--since",
            "2026-10-01",
            "--until",
            "2026-11-20",
            "--lang",
            "zh",
        ],
    );
    check_against_sources(&s, &html);
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("销售复盘 2026-W47"), "the reviewed week");
    assert!(html.contains("销售漏斗") && html.contains("待办看板"));
    // The sources name the same window.
    assert!(html.contains("--since 2026-10-01 --until 2026-11-20"));
}

#[test]
fn the_headline_shows_the_markdown_reviews_numbers() {
    let s = Sandbox::demo();
    let html = report(&s, &[]);
    let md = s.run(&["stats", "--format", "markdown"]).ok().stdout;
    // Each headline row of the Markdown review: label | this | previous | change.
    let toks = tokens(&html);
    let cells: Vec<String> = elements_with(&toks, &["data-metric", "data-change"])
        .into_iter()
        .map(|e| e.text.trim().to_string())
        .collect();
    let joined = cells.join("\n");
    for line in md.lines().filter(|l| {
        l.starts_with("| Reach rate")
            || l.starts_with("| Entries")
            || l.starts_with("| Promise kept rate")
    }) {
        let parts: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        for p in &parts[1..] {
            assert!(joined.contains(p), "`{p}` of `{line}` is not on the page");
        }
    }
}

// ---------------------------------------------------------------- safety

fn hostile(s: &Sandbox) {
    s.write(
        "customers/evil.md",
        "+++\nname = \"<script>alert(1)</script>\"\nowner = \"\\\"><img src=x onerror=alert(2)>\"\nstage = \"potential\"\nindustry = \"x\"\npriority = \"high\"\ncreated = 2026-11-01\n\n[contact]\nname = \"x\"\n\n[next]\naction = \"<img src=x onerror=alert(3)>\"\ndue = 2026-11-20\n\n[deal]\namount = 1000\nexpected_close = 2026-11-10\n+++\n\n## 2026-11-10 phone @li.wei\n\nCalled.\n\n- objection: </style><script>alert(4)</script>\n- promised: check \\<img src=x onerror=alert(5)\\> & `<b>code</b>` (due 2026-11-12)\n",
    );
    s.write(
        "customers/\"><svg onload=alert(6)>.md",
        "+++\nname = \"\\\"><img src=x onerror=alert(7)>\"\nowner = \"li.wei\"\nstage = \"intent\"\nindustry = \"x\"\ncreated = 2026-11-02\n\n[contact]\nname = \"x\"\n+++\n\n## 2026-11-03 phone @li.wei\n\n- outcome: no-answer\n",
    );
}

#[test]
fn the_page_needs_no_network_and_shows_hostile_names_as_text() {
    let s = Sandbox::demo();
    hostile(&s);
    let html = report(&s, &[]);
    let lower = html.to_lowercase();
    // Nothing over the network: no URL at all, no script, no stylesheet link, no import,
    // no src attribute, no CSS url().
    for bad in [
        "http://", "https://", "<script", "<link", "@import", "url(", "//cdn", "<iframe",
        "<object", "<embed", "<img",
    ] {
        assert!(!lower.contains(bad), "the page contains `{bad}`");
    }
    assert!(
        html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""),
        "a Content-Security-Policy forbids any fetch"
    );
    let toks = tokens(&html);
    let errors: Vec<&str> = toks
        .iter()
        .filter_map(|t| match t {
            Tok::Error(e) => Some(e.as_str()),
            _ => None,
        })
        .collect();
    assert!(errors.is_empty(), "tokenizer errors: {errors:?}");
    let mut texts = String::new();
    for t in &toks {
        match t {
            Tok::Start { name, attrs, .. } => {
                assert!(
                    !matches!(
                        name.as_str(),
                        "script" | "img" | "iframe" | "object" | "embed" | "link" | "base"
                    ),
                    "a <{name}> element"
                );
                for (k, v) in attrs {
                    assert!(!k.starts_with("on"), "an event handler {k}={v}");
                    assert!(k != "src" && k != "srcset", "{k}={v}");
                    if k == "href" {
                        assert!(
                            (v.starts_with("./") || v.starts_with("../")) && v.ends_with(".md"),
                            "href {v}"
                        );
                        assert!(!v.contains("//") && !v.contains(':'), "href {v}");
                    }
                }
            }
            Tok::Text(t) => texts.push_str(t),
            _ => {}
        }
    }
    // The hostile text reads as typed.
    for shown in [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(2)>",
        "<img src=x onerror=alert(3)>",
        "\"><img src=x onerror=alert(7)>",
        "check <img src=x onerror=alert(5)> & <b>code</b>",
        "alert(4)",
    ] {
        assert!(texts.contains(shown), "`{shown}` is not shown as text");
    }
    // The file whose name is markup is linked, percent-encoded.
    assert!(html.contains("href=\"../customers/%22%3E%3Csvg%20onload%3Dalert%286%29%3E.md\""));
    // And the figures still hold.
    check_against_sources(&s, &html);
}

#[test]
fn confidential_amounts_are_masked_unless_reveal() {
    let s = Sandbox::demo();
    let config = s.read("followup.toml");
    s.write(
        "followup.toml",
        format!("confidential = [\"deal.amount\"]\n{config}"),
    );
    let html = report(&s, &[]);
    let toks = tokens(&html);
    let figures = elements_with(&toks, &["data-metric"]);
    let amounts: Vec<&Element> = figures
        .iter()
        .filter(|e| {
            let m = &e.attrs["data-metric"];
            m.ends_with(".amount") || m.ends_with(".weighted") || m.ends_with("won_amount")
        })
        .collect();
    assert!(amounts.len() > 10);
    for e in &amounts {
        assert_eq!(e.text, "***", "{} shows {}", e.attrs["data-metric"], e.text);
        assert_eq!(e.attrs["data-value"], "\"***\"");
    }
    for leak in ["560,000", "3,690,000", "1,476,000", "650,000", "880,000"] {
        assert!(!html.contains(leak), "{leak} leaks");
    }
    assert!(html.contains("customers (amounts are confidential)"));
    // stats and pipeline --json mask the same amounts (the one Masker): the figures still hold.
    check_against_sources(&s, &html);
    let revealed = report(&s, &["--reveal"]);
    assert!(revealed.contains("3,690,000") && revealed.contains("--reveal"));
    check_against_sources(&s, &revealed);
}

#[test]
fn confidential_names_owners_and_next_actions_are_masked() {
    let s = Sandbox::demo();
    let config = s.read("followup.toml");
    s.write(
        "followup.toml",
        format!("confidential = [\"name\", \"owner\", \"next.action\"]\n{config}"),
    );
    let html = report(&s, &[]);
    for secret in [
        "Acme Manufacturing",
        "华东精密机械",
        "Tianjin Chemicals",
        "li.wei",
        "zhang.min",
        "Confirm the date of the technical review",
    ] {
        assert!(!html.contains(secret), "{secret} is on the page");
    }
    // No link either: a file's name tells the customer's.
    assert!(!html.contains("href="));
    assert!(html.contains(">***<"));
    check_against_sources(&s, &html);
    let revealed = report(&s, &["--reveal"]);
    assert!(revealed.contains("Acme Manufacturing") && revealed.contains("href="));
}

// ---------------------------------------------------------------- files and links

/// Every link of the page leads from its folder to an existing customer file.
fn links_resolve(page_dir: &Path, html: &str) -> Vec<String> {
    let mut hrefs = Vec::new();
    for t in tokens(html) {
        if let Tok::Start { name, attrs, .. } = t
            && name == "a"
        {
            let href = attrs["href"].clone();
            let decoded = percent_decode(&href);
            let target = page_dir.join(&decoded);
            assert!(
                target.is_file(),
                "{href} → {} is not a file",
                target.display()
            );
            assert!(decoded.contains("customers/"), "{decoded}");
            hrefs.push(href);
        }
    }
    assert!(hrefs.len() > 10, "{hrefs:?}");
    hrefs
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn links_are_relative_to_the_page_for_any_out() {
    let s = Sandbox::demo();
    // Default: report/ in the sales folder.
    s.run(&["report"]).ok();
    let html = s.read("report/index.html");
    let hrefs = links_resolve(&s.path().join("report"), &html);
    assert!(
        hrefs.iter().all(|h| h.starts_with("../customers/")),
        "{hrefs:?}"
    );
    assert!(html.contains("href=\"../customers/acme-manufacturing.md\""));
    // The sales folder itself.
    s.run(&["report", "--out", "."]).ok();
    let html = s.read("index.html");
    let hrefs = links_resolve(s.path(), &html);
    assert!(
        hrefs.iter().all(|h| h.starts_with("./customers/")),
        "{hrefs:?}"
    );
    // Deeper, relative to -C like git -C, from a subfolder.
    s.run_in(
        &s.path().join("customers/east"),
        &["report", "--out", "../../site/a/b"],
    )
    .ok();
    let html = s.read("site/a/b/index.html");
    links_resolve(&s.path().join("site/a/b"), &html);
    assert!(html.contains("href=\"../../../customers/east/%E5%8D%8E%E4%B8%9C"));
    // Outside the folder altogether.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("public");
    s.run(&["report", "--out", out.to_str().unwrap()]).ok();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    links_resolve(&out, &html);
}

#[test]
fn only_the_page_is_written_and_errors_are_one_sentence() {
    let s = Sandbox::demo();
    let before = s.snapshot();
    let run = s.run(&["report", "--out", "public"]).ok();
    assert!(
        run.stdout.starts_with("wrote public/index.html"),
        "{}",
        run.stdout
    );
    let after = s.snapshot();
    let added: Vec<_> = after
        .iter()
        .filter(|f| !before.contains(f))
        .map(|(p, _)| p.strip_prefix(s.path()).unwrap().display().to_string())
        .collect();
    assert_eq!(added, vec!["public/index.html"]);
    assert_eq!(after.len(), before.len() + 1, "nothing else changed");
    // A second run replaces the page.
    s.run(&["report", "--out", "public"]).ok();

    s.write("a-file", "x");
    let run = s.run(&["report", "--out", "a-file"]).code(2);
    assert!(
        run.stderr
            .starts_with("error: a-file is a file; give --out a folder"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let run = s
        .run(&["report", "--since", "2026-11-20", "--until", "2026-11-01"])
        .code(2);
    assert_eq!(
        run.stderr.trim(),
        "error: --since 2026-11-20 is after --until 2026-11-01"
    );
    let run = s.run(&["report", "--period", "quarter"]).code(2);
    assert!(run.stderr.contains("quarter"), "{}", run.stderr);
    let run = s.run(&["report", "--json", "--out", "public"]).ok();
    assert_eq!(run.json()["today"], TODAY);
}

/// A `report` symlink committed by a teammate does not carry the page out of the folder: the
/// default place refuses it; `--out` (a place the user names) still goes where it is told.
#[cfg(unix)]
#[test]
fn a_report_symlink_never_carries_the_page_outside() {
    let s = Sandbox::demo();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), s.path().join("report")).unwrap();
    let run = s.run(&["report"]).code(2);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    s.run(&["report", "--out", "public"]).ok();
}

#[test]
fn an_empty_folder_still_gets_a_page() {
    let s = Sandbox::empty();
    s.write("followup.toml", "");
    std::fs::create_dir_all(s.path().join("customers")).unwrap();
    let html = report(&s, &[]);
    assert!(html.contains("No open deal.") && html.contains("No objection was logged."));
    // Nothing to divide by: rates read `-`, and no NaN reaches a chart.
    assert!(!html.contains("NaN") && !html.contains("inf"));
    let toks = tokens(&html);
    let sources = sources(&s, &toks);
    for e in elements_with(&toks, &["data-metric"]) {
        let truth = lookup(&sources, &e.attrs["data-metric"]);
        let shown: Value = serde_json::from_str(&e.attrs["data-value"]).unwrap();
        assert!(same(&shown, &truth), "{}", e.attrs["data-metric"]);
    }
}

#[test]
fn the_check_catches_a_wrong_or_untagged_figure() {
    let s = Sandbox::demo();
    let html = report(&s, &[]);
    let fails = |page: String| {
        let s = &s;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_against_sources(s, &page);
        }))
        .is_err()
    };
    assert!(!fails(html.clone()), "the real page passes");
    // A figure whose value differs from the command's.
    let at = html.find("data-metric=\"pipeline:total.amount\"").unwrap();
    let mut wrong = html.clone();
    let v = at + wrong[at..].find("data-value=\"").unwrap() + "data-value=\"".len();
    wrong.insert(v, '9');
    assert!(fails(wrong), "a changed data-value is caught");
    // A figure shown differently from its value.
    let shown = html.replacen(">3,690,000<", ">3,960,000<", 1);
    assert_ne!(shown, html);
    assert!(fails(shown), "a changed text is caught");
    // A number with no source.
    let loose = html.replacen("</h1>", " 42</h1>", 1);
    assert!(fails(loose), "an untagged number is caught");
}

#[test]
fn link_base_points_links_at_a_web_view() {
    let s = Sandbox::demo();
    let html = report(
        &s,
        &["--link-base", "https://git.example/team/sales/blob/main"],
    );
    assert!(html.contains(
        "href=\"https://git.example/team/sales/blob/main/customers/acme-manufacturing.md\""
    ));
    assert!(
        html.contains("href=\"https://git.example/team/sales/blob/main/customers/east/%E5%8D%8E")
    );
    let run = s
        .run(&["report", "--out", "x", "--link-base", "javascript:alert(1)"])
        .code(2);
    assert!(
        run.stderr.contains("is not an http(s) URL"),
        "{}",
        run.stderr
    );
    assert!(
        !s.path().join("x").exists(),
        "nothing written on a bad argument"
    );
}
