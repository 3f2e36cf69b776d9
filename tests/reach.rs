//! End-to-end tests of reaching the rep (docs/notify.md): `agenda`, `export ics` and `notify`, on the
//! real binary with today pinned (2026-11-26, a Thursday). Calendars are read back with an
//! independent parser (the `ical` crate); webhooks are a `tiny_http` server on 127.0.0.1.

mod common;

use common::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- agenda

// The demo folder on 2026-11-26, checked line by line against examples/demo/customers by hand:
// cadence dates are last entry + the stage's cadence (potential 7d, intent 3d, won and
// maintenance 30d; Wuxi Solar's own 5d) — Tianjin 08-01+7d = 08-08, 110 days before 11-26;
// 佛山 09-02+7d = 09-09, 78; Qingdao 08-20+30d = 09-19, 68; Xiamen 10-08+30d = 11-07, 19; Blue
// River 11-03 (a no-answer is still a contact)+7d = 11-10, 16; Acme 11-18+3d = 11-21, 5;
// Wuxi 11-17+5d = 11-22, 4; 南宁 11-20+3d = 11-23, 3; 深圳前海 has no entry, so it is due from
// `created` 11-20, 6. Promises, assists and next actions are the open `[ ]` items' and
// `[next]`'s own dates (ticked `[x]` ones absent: Acme's reference cases, 华东's 实施计划书).
// Pearl Bay is paused until 12-01, so its cadence waits for that day and its promises do not
// count; Guangzhou Textiles is lost and never appears; 苏州恒通 (12-05) is past the 7 days.
// Same-day order: priority high → low, then name (Acme high before 深圳 低 on 11-20), and a
// customer's next action before its promise, assist and cadence (Ningbo on 12-02).
const DEMO_AGENDA_EN: &str = r#"Overdue (13)
  overdue 110 days  Tianjin Chemicals       li.wei     Contact      every 7 days, last contact 2026-08-01 (potential)
  overdue 78 days   佛山家具集团            chen.hao   Contact      every 7 days, last contact 2026-09-02 (potential)
  overdue 68 days   Qingdao Brewery Supply  li.wei     Contact      every 30 days, last contact 2026-08-20 (maintenance)
  overdue 19 days   Xiamen Harbor Shipping  chen.hao   Contact      every 30 days, last contact 2026-10-08 (maintenance)
  overdue 16 days   Blue River Logistics    li.wei     Contact      every 7 days, last contact 2026-11-03 (potential)
  overdue 6 days    Acme Manufacturing      li.wei     Promise      send the trial agreement
  overdue 6 days    深圳前海科技            chen.hao   Contact      never contacted (potential)
  overdue 5 days    Acme Manufacturing      li.wei     Contact      every 3 days, last contact 2026-11-18 (intent)
  overdue 4 days    Wuxi Solar              zhang.min  Contact      every 5 days, last contact 2026-11-17 (intent)
  overdue 3 days    南宁农业科技            chen.hao   Contact      every 3 days, last contact 2026-11-20 (intent)
  overdue 2 days    Acme Manufacturing      li.wei     Assist       presales-zhou: technical integration plan
  overdue 1 day     Acme Manufacturing      li.wei     Next action  Confirm the date of the technical review with Liu Yang
  overdue 1 day     华东精密机械有限公司    zhang.min  Assist       finance-wu: 核算分期利息

Thu 2026-11-26 · today
  南宁农业科技            chen.hao   Next action  安排总经理到厦门案例客户参观
  Shanghai MedTech        li.wei     Contact      every 3 days, last contact 2026-11-23 (intent)
  杭州云帆贸易            zhang.min  Contact      every 7 days, last contact 2026-11-19 (potential)

Fri 2026-11-27 · tomorrow
  华东精密机械有限公司    zhang.min  Contact      every 3 days, last contact 2026-11-24 (intent)
  杭州云帆贸易            zhang.min  Next action  发送跨境电商库存方案

Sat 2026-11-28
  华东精密机械有限公司    zhang.min  Next action  发送分期付款方案给财务部
  华东精密机械有限公司    zhang.min  Promise      发送分期付款方案

Mon 2026-11-30
  Shanghai MedTech        li.wei     Next action  Send the GMP validation package
  Shanghai MedTech        li.wei     Promise      final GMP validation package

Tue 2026-12-01
  Pearl Bay Foods         chen.hao   Contact      every 3 days, last contact 2026-08-02 (intent)
  Wuxi Solar              zhang.min  Next action  Price comparison sheet against the incumbent

Wed 2026-12-02
  Ningbo Auto Parts       li.wei     Next action  Kick-off meeting for the phase-two rollout
  Ningbo Auto Parts       li.wei     Contact      every 30 days, last contact 2026-11-02 (won)

26 items through 2026-12-02: 13 overdue, 3 today, 10 later
"#;

const DEMO_AGENDA_ZH: &str = r#"已逾期（13 项）
  逾期 110 天  Tianjin Chemicals       li.wei     联系    节奏 7 天，上次联系 2026-08-01（潜在）
  逾期 78 天   佛山家具集团            chen.hao   联系    节奏 7 天，上次联系 2026-09-02（潜在）
  逾期 68 天   Qingdao Brewery Supply  li.wei     联系    节奏 30 天，上次联系 2026-08-20（维护）
  逾期 19 天   Xiamen Harbor Shipping  chen.hao   联系    节奏 30 天，上次联系 2026-10-08（维护）
  逾期 16 天   Blue River Logistics    li.wei     联系    节奏 7 天，上次联系 2026-11-03（潜在）
  逾期 6 天    Acme Manufacturing      li.wei     承诺    send the trial agreement
  逾期 6 天    深圳前海科技            chen.hao   联系    从未联系（潜在）
  逾期 5 天    Acme Manufacturing      li.wei     联系    节奏 3 天，上次联系 2026-11-18（意向）
  逾期 4 天    Wuxi Solar              zhang.min  联系    节奏 5 天，上次联系 2026-11-17（意向）
  逾期 3 天    南宁农业科技            chen.hao   联系    节奏 3 天，上次联系 2026-11-20（意向）
  逾期 2 天    Acme Manufacturing      li.wei     协助    presales-zhou: technical integration plan
  逾期 1 天    Acme Manufacturing      li.wei     下一步  Confirm the date of the technical review with Liu Yang
  逾期 1 天    华东精密机械有限公司    zhang.min  协助    finance-wu: 核算分期利息

11月26日 周四 · 今天
  南宁农业科技            chen.hao   下一步  安排总经理到厦门案例客户参观
  Shanghai MedTech        li.wei     联系    节奏 3 天，上次联系 2026-11-23（意向）
  杭州云帆贸易            zhang.min  联系    节奏 7 天，上次联系 2026-11-19（潜在）

11月27日 周五 · 明天
  华东精密机械有限公司    zhang.min  联系    节奏 3 天，上次联系 2026-11-24（意向）
  杭州云帆贸易            zhang.min  下一步  发送跨境电商库存方案

11月28日 周六
  华东精密机械有限公司    zhang.min  下一步  发送分期付款方案给财务部
  华东精密机械有限公司    zhang.min  承诺    发送分期付款方案

11月30日 周一
  Shanghai MedTech        li.wei     下一步  Send the GMP validation package
  Shanghai MedTech        li.wei     承诺    final GMP validation package

12月1日 周二
  Pearl Bay Foods         chen.hao   联系    节奏 3 天，上次联系 2026-08-02（意向）
  Wuxi Solar              zhang.min  下一步  Price comparison sheet against the incumbent

12月2日 周三
  Ningbo Auto Parts       li.wei     下一步  Kick-off meeting for the phase-two rollout
  Ningbo Auto Parts       li.wei     联系    节奏 30 天，上次联系 2026-11-02（成交）

截至 2026-12-02 共 26 项：逾期 13，今天 3，之后 10
"#;

#[test]
fn agenda_on_the_demo_in_english_and_chinese() {
    let s = Sandbox::demo();
    let en = s.run(&["agenda"]).ok();
    assert_eq!(en.stdout, DEMO_AGENDA_EN);
    let zh = s.run(&["agenda", "--lang", "zh"]).ok();
    assert_eq!(zh.stdout, DEMO_AGENDA_ZH);
    // `lang = "zh"` in followup.toml speaks Chinese too.
    let toml = s
        .read("followup.toml")
        .replace("lang = \"en\"", "lang = \"zh\"");
    s.write("followup.toml", &toml);
    assert_eq!(s.run(&["agenda"]).ok().stdout, DEMO_AGENDA_ZH);
}

#[test]
fn agenda_is_the_due_engine_item_by_item() {
    // Every customer `due --within 6d` lists is in the 7-day agenda with the same reasons, and
    // nothing else is: one engine, not two.
    let s = Sandbox::demo();
    let due = s.run(&["due", "--within", "6d", "--json"]).ok().json();
    let agenda = s.run(&["agenda", "--json"]).ok().json();
    let mut from_due: Vec<(String, String, String)> = Vec::new();
    for item in due["items"].as_array().unwrap() {
        for d in item["details"].as_array().unwrap() {
            from_due.push((
                item["customer"].as_str().unwrap().to_string(),
                d["reason"].as_str().unwrap().to_string(),
                d["due"].as_str().unwrap().to_string(),
            ));
        }
    }
    let mut from_agenda: Vec<(String, String, String)> = Vec::new();
    let overdue = agenda["overdue"].as_array().unwrap().iter();
    let days = agenda["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["items"].as_array().unwrap().iter());
    for i in overdue.chain(days) {
        from_agenda.push((
            i["customer"].as_str().unwrap().to_string(),
            i["reason"].as_str().unwrap().to_string(),
            i["date"].as_str().unwrap().to_string(),
        ));
    }
    from_due.sort();
    from_agenda.sort();
    assert_eq!(from_due, from_agenda);
    assert_eq!(agenda["until"], "2026-12-02");
    assert_eq!(agenda["overdue"][0]["overdue_days"], 110);
}

#[test]
fn agenda_week_owner_and_bad_days() {
    let s = Sandbox::demo();
    let week = s
        .run(&["agenda", "--week", "--owner", "zhang.min", "--json"])
        .ok()
        .json();
    // Thursday → Sunday.
    assert_eq!(week["until"], "2026-11-29");
    let owners: Vec<&str> = week["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["items"].as_array().unwrap().iter())
        .chain(week["overdue"].as_array().unwrap().iter())
        .map(|i| i["owner"].as_str().unwrap())
        .collect();
    assert!(!owners.is_empty() && owners.iter().all(|o| *o == "zhang.min"));
    let one = s.run(&["agenda", "--days", "1", "--json"]).ok().json();
    assert_eq!(one["until"], TODAY);
    let bad = s.run(&["agenda", "--days", "0"]).code(2);
    assert!(bad.stderr.contains("--days 0"), "{}", bad.stderr);
    s.run(&["agenda", "--days", "3", "--week"]).code(2);
}

// ---------------------------------------------------------------- export ics

/// One VEVENT as the independent parser read it: property name → (parameters, raw value).
type Event = Vec<(String, Vec<(String, Vec<String>)>, String)>;

fn parse_ics(text: &str) -> Vec<Event> {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cal = calendars
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("the ical parser refused the file: {e}\n{text}"));
    assert!(calendars.next().is_none());
    cal.events
        .into_iter()
        .map(|e| {
            e.properties
                .into_iter()
                .map(|p| {
                    (
                        p.name,
                        p.params.unwrap_or_default(),
                        p.value.unwrap_or_default(),
                    )
                })
                .collect()
        })
        .collect()
}

fn prop<'a>(event: &'a Event, name: &str) -> &'a str {
    event
        .iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, _, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {event:?}"))
}

/// RFC 5545 3.3.11 TEXT unescaping, written here so the writer's escaping is checked by
/// something other than itself.
fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn event_of<'a>(events: &'a [Event], category: &str, customer: &str) -> &'a Event {
    events
        .iter()
        .find(|e| {
            prop(e, "CATEGORIES") == category && unescape(prop(e, "SUMMARY")).starts_with(customer)
        })
        .unwrap_or_else(|| panic!("no {category} event for {customer}"))
}

const HUADONG: &str = "华东机械，上海; 分公司";
const NEXT_ACTION: &str =
    "发送报价单,附件;合同\\草稿，并确认技术评审的日期、参会人员以及所需的全部资料清单";

#[test]
fn ics_reads_back_with_an_independent_parser() {
    let s = Sandbox::new("reach");
    let text = s.run(&["export", "ics"]).ok().stdout;
    // RFC 5545 3.1: CRLF line ends, no line over 75 octets, folds between characters (every
    // physical line is valid UTF-8 on its own).
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for line in text.as_bytes().split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        assert!(
            line.len() <= 75,
            "{} octets: {}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        assert!(
            std::str::from_utf8(line).is_ok(),
            "a fold split a character"
        );
    }
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "bare LF in {text}"
    );
    assert!(text.contains("\r\n "), "the long Chinese lines are folded");
    let events = parse_ics(&text);
    // Five items within 30 days: 华东's promise (overdue), next action and cadence; Acme's
    // cadence; Later Co's cadence (2026-12-20).
    assert_eq!(events.len(), 5);

    let next = event_of(&events, "next-action", HUADONG);
    // Commas, semicolons and the backslash are escaped and come back as written.
    assert_eq!(
        unescape(prop(next, "SUMMARY")),
        format!("{HUADONG} · next action: {NEXT_ACTION}")
    );
    // On the wire: `\,` `\;` `\\` (the full-width ， needs no escape).
    let raw = prop(next, "SUMMARY");
    assert!(raw.contains("华东机械，上海\\; 分公司"), "{raw}");
    assert!(raw.contains("报价单\\,附件\\;合同\\\\草稿"), "{raw}");
    let description = unescape(prop(next, "DESCRIPTION"));
    assert!(
        description.contains(&format!("Customer: {HUADONG} (intent, priority high)\n")),
        "{description}"
    );
    assert!(description.contains("File: customers/east/华东机械.md"));
    // Contact data is masked unless --reveal.
    assert!(
        description.contains("phone ***5678") && !description.contains("1234 5678"),
        "{description}"
    );
    // All-day: DTSTART;VALUE=DATE, DTEND the next day.
    let start = next.iter().find(|(n, _, _)| n == "DTSTART").unwrap();
    assert_eq!(
        start.1,
        vec![("VALUE".to_string(), vec!["DATE".to_string()])]
    );
    assert_eq!(start.2, "20261127");
    assert_eq!(prop(next, "DTEND"), "20261128");

    let promise = event_of(&events, "promise", HUADONG);
    assert_eq!(prop(promise, "DTSTART"), "20261124");
    assert_eq!(
        unescape(prop(promise, "SUMMARY")),
        format!("{HUADONG} · promised: 寄送样品,含说明书; 保修卡")
    );
    assert_eq!(
        prop(event_of(&events, "cadence", "Acme"), "DTSTART"),
        "20261126"
    );
    assert_eq!(
        prop(event_of(&events, "cadence", "Later Co"), "DTSTART"),
        "20261220"
    );

    // Every UID differs, and each is the same on a second run and in another copy of the
    // folder (another machine, another path).
    let uids: Vec<&str> = events.iter().map(|e| prop(e, "UID")).collect();
    let mut unique = uids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), uids.len());
    assert_eq!(s.run(&["export", "ics"]).ok().stdout, text);
    let elsewhere = Sandbox::new("reach");
    assert_eq!(elsewhere.run(&["export", "ics"]).ok().stdout, text);

    // --reveal shows the phone; --owner keeps one owner's items; Chinese summaries with zh.
    let revealed = s.run(&["export", "ics", "--reveal"]).ok().stdout;
    let revealed = parse_ics(&revealed);
    assert!(
        unescape(prop(
            event_of(&revealed, "next-action", HUADONG),
            "DESCRIPTION"
        ))
        .contains("+86 139 1234 5678")
    );
    let li = parse_ics(&s.run(&["export", "ics", "--owner", "li.wei"]).ok().stdout);
    assert_eq!(li.len(), 3);
    let zh = parse_ics(
        &s.run(&["export", "ics", "--lang", "zh", "--days", "7"])
            .ok()
            .stdout,
    );
    assert_eq!(zh.len(), 4, "Later Co is 24 days away");
    assert_eq!(
        unescape(prop(event_of(&zh, "next-action", HUADONG), "SUMMARY")),
        format!("{HUADONG} · 下一步：{NEXT_ACTION}")
    );
    assert_eq!(
        unescape(prop(event_of(&zh, "cadence", "Acme"), "SUMMARY")),
        "Acme · 该联系了（节奏 7 天）"
    );
}

#[test]
fn ics_uid_survives_a_moved_deadline() {
    let s = Sandbox::new("reach");
    let before = parse_ics(&s.run(&["export", "ics"]).ok().stdout);
    let file = "customers/east/华东机械.md";
    let moved = s
        .read(file)
        .replace("due = 2026-11-27", "due = 2026-12-09")
        .replace("(due 2026-11-24)", "(due 2026-12-01)");
    s.write(file, &moved);
    let after = parse_ics(&s.run(&["export", "ics"]).ok().stdout);
    for kind in ["next-action", "promise"] {
        let (b, a) = (
            event_of(&before, kind, HUADONG),
            event_of(&after, kind, HUADONG),
        );
        assert_eq!(prop(b, "UID"), prop(a, "UID"), "{kind} kept its UID");
        assert_ne!(prop(b, "DTSTART"), prop(a, "DTSTART"), "{kind} moved");
    }
    assert_eq!(
        prop(event_of(&after, "next-action", HUADONG), "DTSTART"),
        "20261209"
    );
    // A different next action is a different item.
    s.write(file, moved.replace("发送报价单", "寄出报价单"));
    let renamed = parse_ics(&s.run(&["export", "ics"]).ok().stdout);
    assert_ne!(
        prop(event_of(&renamed, "next-action", HUADONG), "UID"),
        prop(event_of(&after, "next-action", HUADONG), "UID")
    );
}

#[test]
fn ics_out_writes_a_file() {
    let s = Sandbox::new("reach");
    let run = s.run(&["export", "ics", "--out", "public/team.ics"]).ok();
    assert!(
        run.stdout.contains("wrote 5 events to public/team.ics"),
        "{}",
        run.stdout
    );
    let text = s.read("public/team.ics");
    assert_eq!(parse_ics(&text).len(), 5);
    assert_eq!(text, s.run(&["export", "ics"]).ok().stdout);
}

// ---------------------------------------------------------------- notify

/// The token in every test webhook URL: it must never be printed.
const TOKEN: &str = "TOPSECRET42";

/// One request the robot received.
#[derive(Debug, Clone)]
struct Received {
    /// Path and query.
    url: String,
    content_type: String,
    body: String,
}

impl Received {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A chat robot on 127.0.0.1 (a random port) answering every request with one status and
/// body, recording what it got. It stops when dropped (and after 60 s in any case).
struct Robot {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Robot {
    fn answering(status: u16, answer: &'static str) -> Robot {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (r, s) = (received.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            while !s.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(60) {
                let Ok(Some(mut request)) = server.recv_timeout(Duration::from_millis(50)) else {
                    continue;
                };
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                let content_type = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Content-Type"))
                    .map(|h| h.value.to_string())
                    .unwrap_or_default();
                let url = request.url().to_string();
                r.lock().unwrap().push(Received {
                    url,
                    content_type,
                    body,
                });
                let header =
                    tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap();
                let _ = request.respond(
                    tiny_http::Response::from_string(answer)
                        .with_status_code(status)
                        .with_header(header),
                );
            }
        });
        Robot {
            url: format!("http://127.0.0.1:{port}/robot/send?access_token={TOKEN}"),
            received,
            stop,
            thread: Some(thread),
        }
    }

    fn ok() -> Robot {
        Robot::answering(200, r#"{"errcode":0,"errmsg":"ok"}"#)
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for Robot {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Runs `notify` against a robot, with the signing clock pinned.
fn notify(s: &Sandbox, robot: &Robot, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all = vec!["notify", "--to", robot.url.as_str()];
    all.extend_from_slice(args);
    let mut env = env.to_vec();
    env.push(("FOLLOWUP_NOW_MS", "1700000000000"));
    let run = s.run_env(&all, &env);
    assert!(
        !run.printed().contains(TOKEN),
        "the token was printed:\n{}",
        run.printed()
    );
    run
}

#[test]
fn dingtalk_one_signed_markdown_message_per_owner_with_mentions() {
    let s = Sandbox::new("reach");
    let robot = Robot::ok();
    let run = notify(
        &s,
        &robot,
        &["--format", "dingtalk"],
        &[("FOLLOWUP_WEBHOOK_SECRET", "SECtest")],
    )
    .ok();
    assert_eq!(
        run.stdout,
        "sent li.wei's digest (1 item)\nsent zhang.min's digest (1 item)\n"
    );
    let got = robot.received();
    assert_eq!(got.len(), 2, "one message per owner");
    // Signature for secret SECtest at 1700000000000 ms, computed independently:
    //   printf '1700000000000\nSECtest' | openssl dgst -sha256 -hmac SECtest -binary | base64
    let sign = "aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g%3D";
    for r in &got {
        assert!(
            r.url.ends_with(&format!(
                "access_token={TOKEN}&timestamp=1700000000000&sign={sign}"
            )),
            "{}",
            r.url
        );
        assert!(r.content_type.starts_with("application/json"));
        let v = r.json();
        assert_eq!(v["msgtype"], "markdown");
        assert!(
            v["markdown"]["title"]
                .as_str()
                .unwrap()
                .contains("followup")
        );
        assert_eq!(v["at"]["isAtAll"], false);
    }
    let (li, zhang) = (got[0].json(), got[1].json());
    let li_text = li["markdown"]["text"].as_str().unwrap();
    // li.wei: the overdue promise, mentioned by mobile (in `at` and as @mobile in the text).
    assert!(
        li_text.contains("followup · li.wei · 2026-11-26"),
        "{li_text}"
    );
    assert!(
        li_text.contains("**1 due, 1 overdue** @13800000000"),
        "{li_text}"
    );
    assert!(li_text.contains("**Promises to customers**"));
    assert!(li_text.contains("寄送样品,含说明书; 保修卡 · overdue 2 days"));
    assert_eq!(li["at"]["atMobiles"], serde_json::json!(["13800000000"]));
    assert_eq!(li["at"]["atUserIds"], serde_json::json!([]));
    // zhang.min: Acme's cadence, mentioned by DingTalk user ID.
    let z_text = zhang["markdown"]["text"].as_str().unwrap();
    assert!(
        z_text.contains("@zhangmin01") && z_text.contains("**Acme**"),
        "{z_text}"
    );
    assert_eq!(zhang["at"]["atUserIds"], serde_json::json!(["zhangmin01"]));
    // Without a secret: no signature parameters.
    let plain = Robot::ok();
    notify(
        &s,
        &plain,
        &["--format", "dingtalk", "--owner", "li.wei"],
        &[],
    )
    .ok();
    let got = plain.received();
    assert_eq!(got.len(), 1);
    assert!(
        got[0].url.ends_with(&format!("access_token={TOKEN}")),
        "{}",
        got[0].url
    );
}

#[test]
fn wecom_markdown_with_userid_mentions() {
    let s = Sandbox::new("reach");
    let robot = Robot::ok();
    notify(&s, &robot, &["--format", "wecom", "--lang", "zh"], &[]).ok();
    let got = robot.received();
    assert_eq!(got.len(), 2);
    for r in &got {
        let v = r.json();
        assert_eq!(v["msgtype"], "markdown");
        let content = v["markdown"]["content"].as_str().unwrap();
        assert!(content.len() <= 4096);
        assert!(content.starts_with("### 跟进提醒 followup · "), "{content}");
    }
    let z = got[1].json();
    let content = z["markdown"]["content"].as_str().unwrap();
    assert!(
        content.contains("**共 1 项，逾期 0 项** <@ZhangMin>"),
        "{content}"
    );
    assert!(
        content.contains("**按节奏该联系了**\n\n- **Acme**：节奏 7 天，上次联系 2026-11-19 · 今天"),
        "{content}"
    );
}

#[test]
fn feishu_signed_interactive_card() {
    let s = Sandbox::new("reach");
    let robot = Robot::answering(200, r#"{"code":0,"msg":"success","data":{}}"#);
    notify(
        &s,
        &robot,
        &["--format", "feishu"],
        &[("FOLLOWUP_WEBHOOK_SECRET", "SECtest")],
    )
    .ok();
    let got = robot.received();
    assert_eq!(got.len(), 2);
    for r in &got {
        let v = r.json();
        assert_eq!(v["msg_type"], "interactive");
        // Seconds, and base64(HMAC-SHA256(key = "1700000000\nSECtest", "")), computed with
        //   printf '' | openssl dgst -sha256 -hmac "$(printf '1700000000\nSECtest')" -binary | base64
        assert_eq!(v["timestamp"], "1700000000");
        assert_eq!(v["sign"], "G7XpBpG8NgG02fJOAhX6FRAObIljmFoxVReo8I62pEk=");
        assert_eq!(v["card"]["header"]["title"]["tag"], "plain_text");
        assert_eq!(v["card"]["elements"][0]["tag"], "markdown");
        assert!(
            !r.url.contains("sign="),
            "Feishu signs in the body, not the URL"
        );
    }
    assert_eq!(got[0].json()["card"]["header"]["template"], "red");
    let z = got[1].json();
    assert!(
        z["card"]["elements"][0]["content"]
            .as_str()
            .unwrap()
            .contains("<at id=ou_abc123></at>")
    );
    // A 200 that carries Feishu's error code fails.
    let refusing = Robot::answering(
        200,
        r#"{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}"#,
    );
    let run = notify(&s, &refusing, &["--format", "feishu"], &[]).code(2);
    assert!(
        run.stderr.contains("code 19021: sign match fail"),
        "{}",
        run.stderr
    );
}

#[test]
fn slack_blocks_with_mrkdwn_and_member_mentions() {
    let s = Sandbox::new("reach");
    let robot = Robot::answering(200, "ok");
    notify(&s, &robot, &["--format", "slack"], &[]).ok();
    let got = robot.received();
    assert_eq!(got.len(), 2);
    for r in &got {
        let v = r.json();
        assert!(
            v["text"].as_str().unwrap().contains("due"),
            "a notification fallback"
        );
        assert_eq!(v["blocks"][0]["type"], "header");
        assert_eq!(v["blocks"][1]["type"], "section");
        assert_eq!(v["blocks"][1]["text"]["type"], "mrkdwn");
    }
    let li = got[0].json()["blocks"][1]["text"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    // Slack bold is *x*; li.wei's mapping is a mobile number, not a Slack member: no mention.
    assert!(li.starts_with("*1 due, 1 overdue*\n"), "{li}");
    assert!(!li.contains("<@"), "{li}");
    let z = got[1].json()["blocks"][1]["text"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(z.contains("<@U0123ABCD>"), "{z}");
}

#[test]
fn markdown_is_posted_as_text() {
    let s = Sandbox::new("reach");
    let robot = Robot::answering(200, "");
    notify(
        &s,
        &robot,
        &["--format", "markdown", "--owner", "zhang.min"],
        &[],
    )
    .ok();
    let got = robot.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].content_type, "text/markdown; charset=utf-8");
    assert!(
        got[0]
            .body
            .starts_with("### followup · zhang.min · 2026-11-26\n"),
        "{}",
        got[0].body
    );
}

#[test]
fn a_server_error_is_retried_once_then_exit_2_with_the_status() {
    let s = Sandbox::new("reach");
    let robot = Robot::answering(500, "internal error");
    let run = notify(&s, &robot, &["--format", "dingtalk"], &[]).code(2);
    assert_eq!(
        robot.received().len(),
        2,
        "one try and one retry, then it stops"
    );
    assert!(run.stderr.contains("HTTP 500"), "{}", run.stderr);
    assert!(run.stderr.contains("after one retry"), "{}", run.stderr);
    assert!(run.stderr.contains("http://127.0.0.1:"), "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().count(),
        1,
        "one sentence: {}",
        run.stderr
    );
    // A 4xx is not retried.
    let forbidden = Robot::answering(403, r#"{"errcode":300001,"errmsg":"token is not exist"}"#);
    let run = notify(&s, &forbidden, &["--format", "dingtalk"], &[]).code(2);
    assert_eq!(forbidden.received().len(), 1);
    assert!(
        run.stderr.contains("HTTP 403, errcode 300001"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_200_carrying_an_errcode_fails() {
    let s = Sandbox::new("reach");
    for format in ["dingtalk", "wecom"] {
        let robot = Robot::answering(
            200,
            r#"{"errcode":310000,"errmsg":"keywords not in content"}"#,
        );
        let run = notify(&s, &robot, &["--format", format], &[]).code(2);
        assert!(
            run.stderr
                .contains("errcode 310000: keywords not in content")
                && run.stderr.contains("nothing was sent"),
            "{}",
            run.stderr
        );
        assert_eq!(robot.received().len(), 1, "the first refusal stops the run");
    }
}

#[test]
fn dry_run_sends_nothing_and_never_prints_the_url() {
    let s = Sandbox::new("reach");
    let robot = Robot::ok();
    let run = notify(
        &s,
        &robot,
        &["--format", "dingtalk", "--dry-run"],
        &[("FOLLOWUP_WEBHOOK_SECRET", "SECtest")],
    )
    .ok();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(robot.received().len(), 0);
    assert!(
        run.stdout
            .contains("--- li.wei · 1 item · dingtalk · POST http://127.0.0.1:"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(
        "query: timestamp=1700000000000&sign=aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g%3D"
    ));
    assert!(run.stdout.contains("\"msgtype\": \"markdown\""));
    assert!(
        run.stdout
            .ends_with("(dry run: 2 messages, nothing sent)\n")
    );
}

#[test]
fn the_url_comes_from_the_environment_too() {
    let s = Sandbox::new("reach");
    let robot = Robot::ok();
    // $FOLLOWUP_WEBHOOK, and the format guessed from nothing falls back to markdown.
    let run = s
        .run_env(
            &["notify", "--owner", "li.wei"],
            &[("FOLLOWUP_WEBHOOK", &robot.url)],
        )
        .ok();
    assert!(!run.printed().contains(TOKEN));
    assert_eq!(robot.received().len(), 1);
    assert!(
        robot.received()[0]
            .content_type
            .starts_with("text/markdown")
    );
    // --to-env VAR.
    let run = s
        .run_env(
            &["notify", "--to-env", "TEAM_HOOK", "--format", "wecom"],
            &[("TEAM_HOOK", &robot.url)],
        )
        .ok();
    assert!(!run.printed().contains(TOKEN));
    assert_eq!(robot.received().len(), 3);
    // Missing: one sentence, exit 2, nothing sent.
    let run = s.run(&["notify", "--to-env", "NOT_SET_ANYWHERE"]).code(2);
    assert!(
        run.stderr.contains("NOT_SET_ANYWHERE is not set"),
        "{}",
        run.stderr
    );
    let run = s.run(&["notify"]).code(2);
    assert!(run.stderr.contains("FOLLOWUP_WEBHOOK"), "{}", run.stderr);
    // An unreachable robot: exit 2, the host only.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{closed}/hook/{TOKEN}");
    let run = s
        .run(&["notify", "--to", &url, "--owner", "li.wei"])
        .code(2);
    assert!(!run.printed().contains(TOKEN), "{}", run.printed());
    assert!(run.stderr.contains("connection failed"), "{}", run.stderr);
}

#[test]
fn a_bad_mention_in_followup_toml_is_named() {
    let s = Sandbox::new("reach");
    let toml = s
        .read("followup.toml")
        .replace("\"13800000000\"", "\"<@all>\"");
    s.write("followup.toml", &toml);
    let run = s.run(&["notify", "--dry-run"]).code(2);
    assert!(
        run.stderr
            .contains("followup.toml:4: notify.mentions.\"li.wei\" = `<@all>` is not a chat ID"),
        "{}",
        run.stderr
    );
}
