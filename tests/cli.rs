//! End-to-end tests: the real `followup` binary on fixture folders copied to a temporary
//! directory, with today pinned (2026-11-26, a Thursday) and git's user config cleared.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

// ---------------------------------------------------------------- due

fn due_names(run: &Run) -> Vec<(String, i64)> {
    run.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["customer"].as_str().unwrap().to_string(),
                i["overdue_days"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn due_lists_every_reason_most_overdue_first_then_priority_then_name() {
    let s = Sandbox::new("due");
    let run = s.run(&["due", "--json"]).ok();
    let names: Vec<(String, i64)> = due_names(&run);
    let expected: Vec<(String, i64)> = [
        ("Streak Co", 5),
        ("Assist Co", 4),
        ("Zeta High", 3),
        ("Cadence Co", 3),
        ("Alpha Low", 3),
        ("Never Co", 2),
        ("Next Co", 1),
        ("Paused Next", 0),
        ("Promise Co", 0),
    ]
    .iter()
    .map(|(n, d)| ((*n).to_string(), *d))
    .collect();
    assert_eq!(names, expected);
    let json = run.json();
    assert_eq!(json["today"], TODAY);
    let item = |name: &str| {
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["customer"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        item("Cadence Co")["reasons"],
        serde_json::json!(["cadence"])
    );
    assert_eq!(item("Cadence Co")["due"], "2026-11-23");
    assert_eq!(item("Cadence Co")["last_contact"], "2026-11-20");
    assert_eq!(item("Never Co")["reasons"], serde_json::json!(["cadence"]));
    assert_eq!(item("Never Co")["last_contact"], serde_json::Value::Null);
    assert_eq!(
        item("Next Co")["reasons"],
        serde_json::json!(["next-action"])
    );
    assert_eq!(item("Next Co")["next_action"], "Send the quote");
    assert_eq!(
        item("Promise Co")["reasons"],
        serde_json::json!(["promise"])
    );
    assert_eq!(item("Assist Co")["reasons"], serde_json::json!(["assist"]));
    // Paused: only the next action counts, not cadence nor the paused promise.
    assert_eq!(
        item("Paused Next")["reasons"],
        serde_json::json!(["next-action"])
    );
    assert_eq!(item("Streak Co")["hints"].as_array().unwrap().len(), 1);
    assert!(
        item("Streak Co")["hints"][0]
            .as_str()
            .unwrap()
            .contains("change channel")
    );
    assert_eq!(item("Cadence Co")["hints"], serde_json::json!([]));
    for field in ["file", "owner", "stage", "status", "priority"] {
        assert!(item("Cadence Co")[field].is_string(), "{field}");
    }
    assert_eq!(item("Cadence Co")["file"], "customers/cadence.md");
}

#[test]
fn due_within_adds_upcoming_with_negative_overdue_days() {
    let s = Sandbox::new("due");
    let names = due_names(&s.run(&["due", "--within", "3d", "--json"]).ok());
    let tail: Vec<_> = names[names.len() - 2..].to_vec();
    assert_eq!(
        tail,
        vec![
            ("Upcoming Co".to_string(), -2),
            ("Paused Until".to_string(), -3)
        ]
    );
    assert!(
        !names
            .iter()
            .any(|(n, _)| n == "Lost Co" || n == "Paused Co" || n == "华东机械")
    );
}

#[test]
fn due_filters_by_owner_and_prints_reasons_in_the_table() {
    let s = Sandbox::new("due");
    let names = due_names(&s.run(&["due", "--owner", "bob", "--json"]).ok());
    assert_eq!(names, vec![("Streak Co".to_string(), 5)]);
    let table = s.run(&["due"]).ok().stdout;
    assert!(
        table.contains("every 3 days, last contact 6 days ago"),
        "{table}"
    );
    assert!(table.contains("change channel"), "{table}");
    assert!(
        table.lines().nth(1).unwrap().starts_with("overdue 5 days"),
        "{table}"
    );
    assert!(!table.contains('\u{1b}'), "no colour into a pipe");
}

#[test]
fn due_table_aligns_chinese_and_speaks_chinese() {
    let s = Sandbox::new("due");
    let out = s
        .run(&["due", "--within", "30d", "--lang", "zh"])
        .ok()
        .stdout;
    assert!(out.starts_with("到期"), "{out}");
    let line = out.lines().find(|l| l.contains("华东机械")).expect(&out);
    let other = out.lines().find(|l| l.contains("Cadence Co")).unwrap();
    let col = |l: &str, needle: &str| {
        unicode_width::UnicodeWidthStr::width(&l[..l.find(needle).unwrap()])
    };
    assert_eq!(
        col(line, "amy"),
        col(other, "amy"),
        "owner column aligned:\n{out}"
    );
    assert!(line.contains("成交"), "{line}");
}

// ---------------------------------------------------------------- log

#[test]
fn log_appends_one_entry_and_touches_only_the_changed_keys() {
    let s = Sandbox::new("acme");
    let before = s.read("customers/acme.md");
    s.run(&[
        "log",
        "acme",
        "-m",
        "Technical review booked with their engineers.",
        "--channel",
        "visit",
        "--feedback",
        "wants SSO",
        "--objection",
        "timing:agreed on a January start",
        "--promised",
        "send the SSO spec (due fri)",
        "--next",
        "Send the revised quote",
        "--due",
        "+3d",
        "--stage",
        "intent",
        "--by",
        "li.wei",
    ])
    .ok();
    let after = s.read("customers/acme.md");
    // Exactly three front-matter lines change (their comments kept); the old body is
    // byte-identical; the new entry comes last, in the shape docs/format.md gives.
    let expected = before
        .replace(
            "stage = \"potential\"         #",
            "stage = \"intent\"         #",
        )
        .replace(
            "action = \"Confirm the date of the technical review\"\n",
            "action = \"Send the revised quote\"\n",
        )
        .replace("due = 2024-01-24\n", "due = 2026-11-29\n")
        + "\n## 2026-11-26 visit @li.wei\n\nTechnical review booked with their engineers.\n\n- feedback: wants SSO\n- objection: timing — agreed on a January start\n- [ ] promised: send the SSO spec (due 2026-11-27)\n- next: Send the revised quote (due 2026-11-29)\n- stage: potential -> intent\n";
    assert_eq!(after, expected);
    s.run(&["check"]).ok();
}

#[test]
fn log_then_due_and_show_see_the_new_state() {
    let s = Sandbox::new("due");
    s.run(&["log", "cadence", "-m", "Called.", "--outcome", "reached"])
        .ok();
    let names = due_names(&s.run(&["due", "--json"]).ok());
    assert!(!names.iter().any(|(n, _)| n == "Cadence Co"), "{names:?}");
    // The author falls back to the file's owner when there is no --by and no git user.
    assert!(
        s.read("customers/cadence.md")
            .contains("## 2026-11-26 phone @amy\n\nCalled.\n\n- outcome: reached\n")
    );
}

#[test]
fn log_keeps_crlf_and_bom() {
    let s = Sandbox::new("due");
    let original = "\u{feff}+++\r\nname = \"Crlf Co\"\r\nowner = \"amy\"\r\nstage = \"intent\"\r\nindustry = \"T\"\r\n\r\n[contact]\r\nname = \"Z\"\r\n+++\r\n\r\n## 2026-11-20 phone @amy\r\n\r\n- outcome: busy\r\n";
    s.write("customers/crlf.md", original);
    s.run(&[
        "log",
        "crlf",
        "-m",
        "Reached.",
        "--next",
        "Send the quote",
        "--due",
        "fri",
    ])
    .ok();
    let after = String::from_utf8(s.bytes("customers/crlf.md")).unwrap();
    assert!(after.starts_with('\u{feff}'));
    assert_eq!(
        after.matches('\n').count(),
        after.matches("\r\n").count(),
        "every line ending is CRLF:\n{after:?}"
    );
    assert!(after.ends_with("- outcome: busy\r\n\r\n## 2026-11-26 phone @amy\r\n\r\nReached.\r\n\r\n- next: Send the quote (due 2026-11-27)\r\n"), "{after:?}");
    assert!(
        after.contains("[next]\r\naction = \"Send the quote\"\r\ndue = 2026-11-27\r\n+++"),
        "{after:?}"
    );
}

#[test]
fn log_inserts_after_the_last_entry_when_other_sections_follow() {
    let s = Sandbox::new("due");
    let text = s.read("customers/upcoming.md") + "\n## Notes\n\nKeep this section last.\n";
    s.write("customers/upcoming.md", &text);
    s.run(&["log", "upcoming", "-m", "Second call."]).ok();
    let after = s.read("customers/upcoming.md");
    assert!(after.ends_with("Good call.\n\n## 2026-11-26 phone @amy\n\nSecond call.\n\n## Notes\n\nKeep this section last.\n"), "{after}");
}

#[test]
fn log_without_message_and_without_terminal_fails_clearly() {
    let s = Sandbox::new("due");
    let before = s.snapshot();
    let run = s.run(&["log", "cadence"]).code(2);
    assert!(run.stderr.contains("-m"), "{}", run.stderr);
    assert_eq!(s.snapshot(), before);
}

#[test]
fn log_rejects_bad_values_before_writing() {
    let s = Sandbox::new("due");
    let before = s.snapshot();
    for args in [
        vec!["log", "cadence", "-m", "x", "--stage", "closed"],
        vec!["log", "cadence", "-m", "x", "--due", "someday"],
        vec!["log", "cadence", "-m", "x", "--outcome", "maybe"],
        vec!["log", "cadence", "-m", "x", "--assist", "no colon here"],
    ] {
        let run = s.run(&args).code(2);
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
        assert_eq!(
            run.stderr.lines().count(),
            1,
            "one sentence: {}",
            run.stderr
        );
    }
    assert_eq!(s.snapshot(), before);
}

#[test]
fn log_stage_and_status_change_is_recorded_with_chinese_aliases() {
    let s = Sandbox::new("due");
    s.run(&[
        "log",
        "华东机械",
        "-m",
        "续约",
        "--channel",
        "微信",
        "--stage",
        "维护",
    ])
    .ok();
    let text = s.read("customers/east/华东机械.md");
    assert!(text.contains("stage = \"维护\""), "{text}");
    assert!(
        text.ends_with("## 2026-11-26 wechat @amy\n\n续约\n\n- stage: 成交 -> 维护\n"),
        "{text}"
    );
}

// ---------------------------------------------------------------- set, done, new

#[test]
fn set_is_a_one_line_diff_that_keeps_comments_and_is_logged() {
    let s = Sandbox::new("acme");
    let before = s.read("customers/acme.md");
    s.run(&["set", "acme", "priority=medium", "--by", "li.wei"])
        .ok();
    let after = s.read("customers/acme.md");
    let note = "\n## 2026-11-26 note @li.wei\n\n- set: priority: high -> medium\n";
    assert!(after.ends_with(note), "{after}");
    let (removed, added) = changed_lines(&before, &after[..after.len() - note.len()]);
    assert_eq!(
        removed,
        vec!["priority = \"high\"           # high | medium | low                    (高 中 低)\n"]
    );
    assert_eq!(
        added,
        vec![
            "priority = \"medium\"           # high | medium | low                    (高 中 低)\n"
        ]
    );
    // A note is not a contact: last contact stays the last real entry.
    let show = s.run(&["show", "acme", "--json"]).ok().json();
    assert_eq!(show["last_contact"], "2024-01-09");
}

#[test]
fn set_refuses_invalid_values() {
    let s = Sandbox::new("acme");
    let before = s.snapshot();
    for pair in [
        "stage=closed",
        "next.due=someday",
        "deal.amount=lots",
        "name=",
        "oops",
    ] {
        s.run(&["set", "acme", pair]).code(2);
    }
    assert_eq!(s.snapshot(), before);
}

#[test]
fn done_ticks_one_box_in_place() {
    let s = Sandbox::new("acme");
    let before = s.read("customers/acme.md");
    let run = s.run(&["done", "acme"]).code(2);
    assert!(run.stderr.contains("several open items"), "{}", run.stderr);
    s.run(&["done", "acme", "trial agreement"]).ok();
    let after = s.read("customers/acme.md");
    let (removed, added) = changed_lines(&before, &after);
    assert_eq!(
        removed,
        vec!["- [ ] promised: send the trial agreement (due 2024-01-12)\n"]
    );
    assert_eq!(
        added,
        vec!["- [x] promised: send the trial agreement (due 2024-01-12) (done 2026-11-26)\n"]
    );
    // A plain `- assist:` item gets a ticked box.
    let s = Sandbox::new("due");
    s.run(&["done", "assist"]).ok();
    assert!(s.read("customers/assist.md").contains(
        "- [x] assist: presales-zhou: demo environment (due 2026-11-22) (done 2026-11-26)\n"
    ));
    let names = due_names(&s.run(&["due", "--json"]).ok());
    assert!(!names.iter().any(|(n, _)| n == "Assist Co"));
}

#[test]
fn new_derives_safe_file_names_and_refuses_duplicates() {
    let s = Sandbox::new("due");
    s.run(&[
        "new",
        "华东机械 (上海) 有限公司",
        "--industry",
        "机械",
        "--owner",
        "amy",
        "--contact",
        "王工",
        "--stage",
        "意向",
    ])
    .ok();
    let text = s.read("customers/华东机械-上海-有限公司.md");
    assert!(text.starts_with("+++\nname = \"华东机械 (上海) 有限公司\"\nindustry = \"机械\"\nowner = \"amy\"\nstage = \"意向\"\n"), "{text}");
    assert!(text.contains("created = 2026-11-26\n"));
    s.run(&[
        "new",
        "../../etc/passwd",
        "--industry",
        "x",
        "--owner",
        "amy",
        "--contact",
        "y",
    ])
    .ok();
    assert!(s.path().join("customers/etc-passwd.md").is_file());
    assert!(!s.path().join("etc").exists());
    for hostile in ["..", "/", "???"] {
        s.run(&["new", hostile]).code(2);
    }
    let before = s.snapshot();
    let run = s.run(&["new", "cadence co"]).code(2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(s.snapshot(), before);
    s.run(&["check"]).ok();
}

#[test]
fn new_file_name_collision_gets_a_suffix() {
    let s = Sandbox::new("due");
    s.run(&[
        "new",
        "Acme",
        "--industry",
        "x",
        "--owner",
        "amy",
        "--contact",
        "y",
    ])
    .ok();
    let first = s.read("customers/acme.md");
    // A different customer whose name gives the same file name: a second file, no overwrite.
    s.run(&[
        "new",
        "ACME!",
        "--industry",
        "x",
        "--owner",
        "amy",
        "--contact",
        "y",
    ])
    .ok();
    assert_eq!(s.read("customers/acme.md"), first);
    assert!(s.read("customers/acme-2.md").contains("name = \"ACME!\""));
    let run = s.run(&["new", "acme!"]).code(2);
    assert!(run.stderr.contains("customers/acme-2.md"), "{}", run.stderr);
}

// ---------------------------------------------------------------- resolution and safety

#[test]
fn ambiguous_and_unknown_customers_exit_2_and_write_nothing() {
    let s = Sandbox::new("due");
    let before = s.snapshot();
    let run = s.run(&["log", "pause", "-m", "x"]).code(2);
    assert!(
        run.stderr.contains("matches several customers"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Paused Next") && run.stderr.contains("Paused Until"),
        "{}",
        run.stderr
    );
    let run = s.run(&["log", "cadense", "-m", "x"]).code(2);
    assert!(
        run.stderr.contains("no customer matches `cadense`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Cadence Co"),
        "suggests the close name: {}",
        run.stderr
    );
    s.run(&["log", "../due/customers/cadence", "-m", "x"])
        .code(2);
    s.run(&["show", "/etc/passwd"]).code(2);
    assert_eq!(s.snapshot(), before);
    // Exact name beats substring; stem, case-insensitive name and path all resolve.
    s.run(&["show", "zeta high"]).ok();
    s.run(&["show", "east/华东机械"]).ok();
    s.run(&["show", "customers/promise.md"]).ok();
}

#[test]
fn a_broken_file_is_never_written() {
    let s = Sandbox::new("due");
    let cases: [(&str, &[u8]); 5] = [
        ("toml", b"+++\nname = \"Broken\"\nowner = amy\n+++\n\n## 2026-11-01 phone\n"),
        ("nofence", b"name = \"Broken\"\n"),
        ("unclosed", b"+++\nname = \"Broken\"\n\n## 2026-11-01 phone\n"),
        ("binary", b"+++\nname = \"Bro\xffken\"\n+++\n"),
        ("conflict", b"+++\nname = \"Broken\"\n<<<<<<< HEAD\nstage = \"intent\"\n=======\nstage = \"won\"\n>>>>>>> theirs\n+++\n"),
    ];
    for (stem, bytes) in cases {
        let rel = format!("customers/{stem}.md");
        s.write(&rel, bytes);
        for args in [
            vec!["log", stem, "-m", "x"],
            vec!["set", stem, "priority=high"],
            vec!["done", stem],
        ] {
            let run = s.run(&args).code(2);
            assert!(run.stderr.contains(&rel), "names the file: {}", run.stderr);
            assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
            assert_eq!(s.bytes(&rel), bytes, "{stem} unchanged");
        }
    }
    // The rest of the folder still works: the broken files are skipped with a warning.
    let run = s.run(&["due", "--json"]).ok();
    assert!(
        run.stderr.contains("skipped customers/toml.md:3"),
        "{}",
        run.stderr
    );
    assert!(!run.json()["items"].as_array().unwrap().is_empty());
}

#[test]
fn confidential_fields_are_masked_unless_revealed() {
    let s = Sandbox::new("due");
    let show = s.run(&["show", "华东机械"]).ok().stdout;
    assert!(
        show.contains("***1234") && !show.contains("0000 1234") && !show.contains("wangfang88"),
        "{show}"
    );
    let json = s.run(&["show", "华东机械", "--json"]).ok().json();
    assert_eq!(json["front_matter"]["contact"]["phone"], "***1234");
    assert_eq!(json["front_matter"]["contact"]["wechat"], "***");
    assert_eq!(json["front_matter"]["contact"]["name"], "王芳");
    let json = s
        .run(&["show", "华东机械", "--json", "--reveal"])
        .ok()
        .json();
    assert_eq!(
        json["front_matter"]["contact"]["phone"],
        "+86 138 0000 1234"
    );
    // Keys listed in followup.toml's `confidential` are masked too.
    s.write("followup.toml", "confidential = [\"contact.name\"]\n");
    let list = s.run(&["list", "--csv"]).ok().stdout;
    assert!(list.starts_with('\u{feff}'));
    assert!(!list.contains("王芳") && list.contains("***"), "{list}");
    assert!(
        s.run(&["list", "--csv", "--reveal"])
            .ok()
            .stdout
            .contains("王芳")
    );
}

#[test]
fn runs_from_a_sub_folder_and_with_dir_or_env() {
    let s = Sandbox::new("due");
    let sub = s.path().join("customers/east");
    let from_sub = s.run_in(&sub, &["due", "--json"]).ok().stdout;
    let from_root = s.run(&["due", "--json"]).ok().stdout;
    assert_eq!(from_sub, from_root);
    let elsewhere = tempfile::tempdir().unwrap();
    let with_dir = s
        .run_in(
            elsewhere.path(),
            &["-C", s.path().to_str().unwrap(), "due", "--json"],
        )
        .ok()
        .stdout;
    assert_eq!(with_dir, from_root);
    let with_env = finish(
        followup(elsewhere.path())
            .env("FOLLOWUP_DIR", s.path())
            .env("FOLLOWUP_TODAY", TODAY)
            .args(["due", "--json"]),
    );
    assert_eq!(with_env.ok().stdout, from_root);
    let none = s.run_in(elsewhere.path(), &["due"]).code(2);
    assert!(none.stderr.contains("followup init"), "{}", none.stderr);
}

#[test]
fn init_makes_an_empty_folder_that_works_and_is_idempotent() {
    let s = Sandbox::empty();
    s.run(&["init", "sales"]).ok();
    let root = s.path().join("sales");
    assert!(root.join("followup.toml").is_file() && root.join("customers").is_dir());
    assert_eq!(
        std::fs::read_to_string(root.join(".gitattributes")).unwrap(),
        "customers/**/*.md merge=followup\n"
    );
    let config = std::fs::read(root.join("followup.toml")).unwrap();
    s.run(&["init", "sales"]).ok();
    assert_eq!(
        std::fs::read(root.join("followup.toml")).unwrap(),
        config,
        "never overwrites"
    );
    assert_eq!(
        std::fs::read_to_string(root.join(".gitattributes")).unwrap(),
        "customers/**/*.md merge=followup\n"
    );
    let due = s.run_in(&root, &["due"]).ok();
    assert_eq!(due.stdout, "Nothing is due.\n");
    assert_eq!(
        s.run_in(&root, &["due", "--json"]).ok().json()["items"],
        serde_json::json!([])
    );
    s.run_in(&root, &["check"]).ok();
    s.run_in(&root, &["list"]).ok();
    // An empty followup.toml works too.
    std::fs::write(root.join("followup.toml"), "").unwrap();
    s.run_in(
        &root,
        &[
            "new",
            "Acme",
            "--industry",
            "x",
            "--owner",
            "amy",
            "--contact",
            "y",
        ],
    )
    .ok();
    let names = due_names(&s.run_in(&root, &["due", "--json"]).ok());
    assert_eq!(
        names,
        vec![("Acme".to_string(), 0)],
        "a new customer is due from its creation"
    );
}

#[test]
fn list_filters_and_speaks_json() {
    let s = Sandbox::new("due");
    let json = s.run(&["list", "--stage", "intent", "--json"]).ok().json();
    let names: Vec<&str> = json["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["Alpha Low", "Cadence Co", "Upcoming Co", "Zeta High"]
    );
    let json = s
        .run(&["list", "--status", "已成交", "--priority", "高", "--json"])
        .ok()
        .json();
    assert_eq!(json["customers"][0]["name"], "华东机械");
    assert_eq!(json["customers"].as_array().unwrap().len(), 1);
    s.run(&["list", "--stage", "closed"]).code(2);
}

#[test]
fn date_arguments_follow_today() {
    let s = Sandbox::new("due");
    for (arg, expected) in [
        ("today", "2026-11-26"),
        ("tomorrow", "2026-11-27"),
        ("+1w", "2026-12-03"),
        ("mon", "2026-11-30"),
        ("2027-01-05", "2027-01-05"),
        ("+1m", "2026-12-26"),
    ] {
        s.run(&[
            "set",
            "cadence",
            &format!("next.due={arg}"),
            "next.action=Call the CFO",
        ])
        .ok();
        assert!(
            s.read("customers/cadence.md")
                .contains(&format!("due = {expected}\n")),
            "{arg}"
        );
    }
}

/// `-2d` is a date, not an option: every option that takes a date accepts it as a separate word.
#[test]
fn a_date_that_starts_with_a_minus_is_a_date() {
    let s = Sandbox::new("due");
    s.run(&[
        "log",
        "cadence",
        "-m",
        "Back-dated.",
        "--date",
        "-2d",
        "--next",
        "Call",
        "--due",
        "-1d",
    ])
    .ok();
    let text = s.read("customers/cadence.md");
    assert!(text.contains("## 2026-11-24 "), "{text}");
    assert!(text.contains("due = 2026-11-25\n"), "{text}");
    let run = s
        .run(&["stats", "--since", "-7d", "--until", "-1d", "--json"])
        .ok();
    assert!(run.stdout.contains("2026-11-19"), "{}", run.stdout);
}

#[test]
fn no_input_never_panics_or_dumps_debug_output() {
    let s = Sandbox::new("due");
    for args in [
        vec!["--today", "nope", "due"],
        vec!["due", "--within", "3x"],
        vec!["show", ""],
        vec!["set", "cadence", "=x"],
        vec!["frobnicate"],
    ] {
        let run = finish(followup(s.path()).args(&args));
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("Error {"),
            "{}",
            run.stderr
        );
    }
}

// ---------------------------------------------------------------- stats

fn stats_json(s: &Sandbox, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["stats", "--json"];
    all.extend_from_slice(args);
    s.run(&all).ok().json()
}

#[test]
fn stats_per_month_match_the_hand_count() {
    let s = Sandbox::new("stats");
    let j = stats_json(&s, &["--period", "month", "--since", "2026-09-01"]);
    assert_eq!(
        (
            j["since"].as_str(),
            j["until"].as_str(),
            j["period"].as_str()
        ),
        (Some("2026-09-01"), Some(TODAY), Some("month"))
    );
    let p = j["periods"].as_array().unwrap();
    assert_eq!(p.len(), 3);
    let get = |m: &serde_json::Value, k: &str| m[k].clone();
    let row = |m: &serde_json::Value| {
        [
            "entries",
            "customers_touched",
            "reached",
            "no_answer",
            "won",
            "lost",
            "unanswered",
            "stale",
        ]
        .iter()
        .map(|k| m[*k].as_u64().unwrap())
        .collect::<Vec<_>>()
    };
    // September: the stage history says Eta was still `potential` (old side of its October change).
    assert_eq!(
        (p[0]["start"].as_str(), p[0]["end"].as_str()),
        (Some("2026-09-01"), Some("2026-09-30"))
    );
    assert_eq!(row(&p[0]), vec![7, 5, 4, 2, 0, 0, 0, 2]);
    assert_eq!(get(&p[0], "reach_rate"), 4.0 / 7.0);
    assert_eq!(get(&p[0], "conversion_rate"), 0.6);
    assert_eq!(get(&p[0], "avg_cycle_days"), serde_json::Value::Null);
    assert_eq!(get(&p[0], "win_rate"), 0.0);
    // October: Alpha won (51 days after its first contact), Gamma lost.
    assert_eq!(row(&p[1]), vec![6, 4, 4, 2, 1, 1, 0, 3]);
    assert_eq!(get(&p[1], "conversion_rate"), 0.5);
    assert_eq!(get(&p[1], "won_amount"), 100000.0);
    assert_eq!(get(&p[1], "avg_cycle_days"), 51.0);
    assert_eq!(get(&p[1], "win_rate"), 0.5);
    assert_eq!(get(&p[1], "won_customers"), serde_json::json!(["Alpha"]));
    assert_eq!(get(&p[1], "lost_customers"), serde_json::json!(["Gamma"]));
    // November (clipped at today): Beta won after 64 days; Delta is on a 3-call streak.
    assert_eq!(
        (p[2]["start"].as_str(), p[2]["end"].as_str()),
        (Some("2026-11-01"), Some(TODAY))
    );
    assert_eq!(row(&p[2]), vec![2, 2, 1, 1, 1, 0, 1, 4]);
    assert_eq!(get(&p[2], "unanswered_customers")[0]["customer"], "Delta");
    assert_eq!(get(&p[2], "unanswered_customers")[0]["days_or_count"], 3);
    let t = &j["total"];
    assert_eq!(row(t), vec![15, 6, 9, 5, 2, 1, 1, 4]);
    assert_eq!(get(t, "reach_rate"), 0.6);
    assert_eq!(get(t, "conversion_rate"), 4.0 / 6.0);
    assert_eq!(get(t, "won_amount"), 400000.0);
    assert_eq!(get(t, "avg_cycle_days"), 57.5);
    assert_eq!(get(t, "median_cycle_days"), 57.5);
    assert_eq!(get(t, "win_rate"), 2.0 / 3.0);
    let stale: Vec<&str> = t["stale_customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["customer"].as_str().unwrap())
        .collect();
    assert_eq!(
        stale,
        vec!["Epsilon", "Zeta", "Alpha", "Eta"],
        "most days since contact first"
    );
    assert_eq!(
        t["objections"],
        serde_json::json!([
            {"category": "price", "count": 2, "share": 0.5},
            {"category": "competitor", "count": 1, "share": 0.25},
            {"category": "timing", "count": 1, "share": 0.25},
        ])
    );
    let phone = t["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == "phone")
        .unwrap();
    assert_eq!(
        (phone["entries"].as_u64(), phone["reached"].as_u64()),
        (Some(10), Some(5))
    );
    assert!(t["overdue"].as_u64().unwrap() > 0);
}

#[test]
fn stats_past_periods_do_not_change_when_a_customer_is_won_later() {
    let s = Sandbox::new("stats");
    let before = stats_json(&s, &["--since", "2026-09-01", "--until", "2026-09-30"])["total"]["conversion_rate"].clone();
    s.run(&[
        "log",
        "zeta",
        "-m",
        "Signed.",
        "--stage",
        "won",
        "--date",
        "2026-11-20",
    ])
    .ok();
    s.run(&[
        "log",
        "gamma",
        "--stage",
        "intent",
        "--date",
        "2026-11-21",
        "--outcome",
        "reached",
    ])
    .ok();
    let after = stats_json(&s, &["--since", "2026-09-01", "--until", "2026-09-30"])["total"]["conversion_rate"].clone();
    assert_eq!(before, after);
    assert_eq!(before, 0.6);
}

#[test]
fn stats_week_with_no_entries_and_owner_breakdowns() {
    let s = Sandbox::new("stats");
    let j = stats_json(
        &s,
        &[
            "--period",
            "week",
            "--since",
            "2026-11-09",
            "--until",
            "2026-11-22",
        ],
    );
    let p = j["periods"].as_array().unwrap();
    assert_eq!(p.len(), 2);
    for m in p {
        assert_eq!(
            (
                m["entries"].as_u64(),
                m["customers_touched"].as_u64(),
                m["won"].as_u64()
            ),
            (Some(0), Some(0), Some(0))
        );
        assert_eq!(
            (m["reach_rate"].as_f64(), m["conversion_rate"].as_f64()),
            (Some(0.0), Some(0.0))
        );
        assert_eq!(m["objections"], serde_json::json!([]));
    }
    let bob = stats_json(&s, &["--since", "2026-09-01", "--owner", "bob"]);
    assert_eq!(
        (
            bob["total"]["entries"].as_u64(),
            bob["total"]["won"].as_u64()
        ),
        (Some(8), Some(1))
    );
    let by = stats_json(&s, &["--since", "2026-09-01", "--by", "owner"]);
    let owners: Vec<(&str, u64)> = by["owners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["owner"].as_str().unwrap(), o["entries"].as_u64().unwrap()))
        .collect();
    assert_eq!(owners, vec![("amy", 7), ("bob", 8)]);
    let table = s
        .run(&["stats", "--since", "2026-09-01", "--by", "owner"])
        .ok()
        .stdout;
    assert!(
        table.lines().nth(2).unwrap().contains("amy") && table.contains("bob"),
        "{table}"
    );
}

/// Issue 14 changed the default window on purpose: without --since the review is this period
/// beside the one before (it was the last six months, or eight weeks); --last N asks for N
/// columns and a total, as the old default did.
#[test]
fn stats_table_is_readable_and_defaults_to_this_period_beside_the_last() {
    let s = Sandbox::new("stats");
    let out = s.run(&["stats"]).ok().stdout;
    assert!(
        out.starts_with("Review of 2026-11, beside the month before"),
        "{out}"
    );
    let header = out.lines().nth(2).unwrap();
    for label in ["2026-10", "2026-11", "Change"] {
        assert!(header.contains(label), "{header}");
    }
    assert!(
        out.contains("Reach rate              67%      50%    -17 pp"),
        "{out}"
    );
    assert!(
        out.contains("Avg cycle           51 days  64 days  +13 days"),
        "{out}"
    );
    let out = s.run(&["stats", "--last", "6"]).ok().stdout;
    assert!(
        out.starts_with(
            "Review of the last 6 months, 2026-06-01 … 2026-11-26, one column per month"
        ),
        "{out}"
    );
    let header = out.lines().nth(2).unwrap();
    for label in ["2026-06", "2026-11", "Total"] {
        assert!(header.contains(label), "{header}");
    }
    assert!(out.contains("Reach rate") && out.contains("60%"), "{out}");
    assert!(out.contains("price") && out.contains("50%"), "{out}");
    assert!(out.contains("Delta") && out.contains("3 in a row"), "{out}");
    let weeks = stats_json(&s, &["--period", "week"]);
    assert_eq!(weeks["periods"].as_array().unwrap().len(), 2);
    assert_eq!(weeks["since"], "2026-11-16");
    let weeks = stats_json(&s, &["--period", "week", "--last", "8"]);
    assert_eq!(weeks["periods"].as_array().unwrap().len(), 8);
    assert_eq!(weeks["since"], "2026-10-05");
    let zh = s.run(&["stats", "--lang", "zh"]).ok().stdout;
    assert!(zh.starts_with("复盘") && zh.contains("接通率"), "{zh}");
    let csv = s
        .run(&["stats", "--csv", "--since", "2026-09-01"])
        .ok()
        .stdout;
    assert!(csv.starts_with("\u{feff}period,start,end,entries"), "{csv}");
    assert!(
        csv.contains(",reach_rate_pct,conversion_rate_pct,"),
        "rates are percents and say so: {csv}"
    );
    assert!(
        csv.lines()
            .last()
            .unwrap()
            .starts_with("total,2026-09-01,2026-11-26,15,6,9,5,60.0"),
        "{csv}"
    );
    s.run(&["stats", "--since", "2026-12-01", "--until", "2026-11-01"])
        .code(2);
}

// ---------------------------------------------------------------- git: merge driver, concurrency

/// `git` in `dir` with the test binary on PATH (the merge driver runs `followup`).
fn git(dir: &Path, args: &[&str]) -> Run {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_followup"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    finish(
        Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("PATH", path)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("FOLLOWUP_TODAY", TODAY)
            .env_remove("FOLLOWUP_DIR")
            .stdin(Stdio::null()),
    )
}

/// A bare origin and two clones, alice's and bob's, sharing the `acme` fixture, each with the
/// merge driver registered by `followup init`.
struct Team {
    _dir: tempfile::TempDir,
    alice: PathBuf,
    bob: PathBuf,
}

impl Team {
    fn new() -> Team {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let root = root.as_path();
        git(root, &["init", "-q", "--bare", "-b", "main", "origin.git"]).ok();
        git(root, &["clone", "-q", "origin.git", "alice"]).ok();
        let alice = root.join("alice");
        copy_dir(&fixture("acme"), &alice);
        for (k, v) in [("user.name", "alice"), ("user.email", "alice@example.com")] {
            git(&alice, &["config", k, v]).ok();
        }
        let team = Team {
            alice: alice.clone(),
            bob: root.join("bob"),
            _dir: dir,
        };
        team.followup(&alice, &["init"]).ok();
        git(&alice, &["add", "-A"]).ok();
        git(&alice, &["commit", "-qm", "start"]).ok();
        git(&alice, &["push", "-q", "origin", "main"]).ok();
        git(root, &["clone", "-q", "origin.git", "bob"]).ok();
        for (k, v) in [("user.name", "bob"), ("user.email", "bob@example.com")] {
            git(&team.bob, &["config", k, v]).ok();
        }
        team.followup(&team.bob, &["init"]).ok();
        team
    }

    fn followup(&self, clone: &Path, args: &[&str]) -> Run {
        finish(
            followup(clone)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .arg("--today")
                .arg(TODAY)
                .args(args),
        )
    }

    fn commit_and_push(&self, clone: &Path, message: &str) {
        git(clone, &["commit", "-qam", message]).ok();
        git(clone, &["push", "-q", "origin", "main"]).ok();
    }

    fn read(&self, clone: &Path) -> String {
        std::fs::read_to_string(clone.join("customers/acme.md")).unwrap()
    }
}

#[test]
fn init_in_a_fresh_clone_registers_the_driver_and_changes_no_tracked_file() {
    let team = Team::new();
    assert_eq!(git(&team.bob, &["status", "--porcelain"]).ok().stdout, "");
    // Issue 11: the driver runs this very program by its absolute path (no PATH needed), with
    // git's line merge behind it for when it cannot run.
    let driver = git(&team.bob, &["config", "merge.followup.driver"])
        .ok()
        .stdout;
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_followup")).unwrap();
    assert!(
        driver.starts_with(&format!("'{}' merge-driver %O %A %B %P ", exe.display())),
        "{driver}"
    );
    assert!(driver.contains("git merge-file"), "{driver}");
    team.followup(&team.bob, &["check"]).ok();
    team.followup(&team.bob, &["init"]).ok();
    assert_eq!(git(&team.bob, &["status", "--porcelain"]).ok().stdout, "");
    let attr = git(&team.bob, &["check-attr", "merge", "customers/acme.md"])
        .ok()
        .stdout;
    assert_eq!(attr.trim(), "customers/acme.md: merge: followup");
}

#[test]
fn two_people_log_the_same_customer_and_pull_without_conflict() {
    let team = Team::new();
    let base = team.read(&team.alice);
    team.followup(
        &team.alice,
        &["log", "acme", "-m", "Alice called.", "--date", "2026-11-25"],
    )
    .ok();
    team.commit_and_push(&team.alice, "alice logs");
    team.followup(
        &team.bob,
        &["log", "acme", "-m", "Bob emailed.", "--channel", "email"],
    )
    .ok();
    git(&team.bob, &["commit", "-qam", "bob logs"]).ok();
    git(
        &team.bob,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    )
    .ok();
    let merged = team.read(&team.bob);
    assert_eq!(
        merged,
        format!(
            "{base}\n## 2026-11-25 phone @alice\n\nAlice called.\n\n## 2026-11-26 email @bob\n\nBob emailed.\n"
        )
    );
    team.followup(&team.bob, &["check"]).ok();
    git(&team.bob, &["push", "-q", "origin", "main"]).ok();
    git(
        &team.alice,
        &["pull", "-q", "--no-rebase", "origin", "main"],
    )
    .ok();
    assert_eq!(team.read(&team.alice), merged);
}

#[test]
fn a_field_change_and_a_log_merge_cleanly() {
    let team = Team::new();
    team.followup(&team.alice, &["set", "acme", "priority=low"])
        .ok();
    team.commit_and_push(&team.alice, "alice lowers the priority");
    team.followup(
        &team.bob,
        &[
            "log",
            "acme",
            "-m",
            "Booked the review.",
            "--next",
            "Run the technical review",
            "--due",
            "fri",
        ],
    )
    .ok();
    git(&team.bob, &["commit", "-qam", "bob logs"]).ok();
    git(
        &team.bob,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    )
    .ok();
    let merged = team.read(&team.bob);
    assert!(
        merged.contains("priority = \"low\"           # high"),
        "{merged}"
    );
    assert!(
        merged.contains("action = \"Run the technical review\"\ndue = 2026-11-27\n"),
        "{merged}"
    );
    assert!(
        merged.contains("## 2026-11-26 phone @bob\n\nBooked the review.\n"),
        "{merged}"
    );
    assert!(
        merged.contains("## 2026-11-26 note @alice\n\n- set: priority: high -> low\n"),
        "{merged}"
    );
    team.followup(&team.bob, &["check"]).ok();
}

#[test]
fn the_same_field_changed_differently_is_a_conflict_that_check_reports() {
    let team = Team::new();
    team.followup(&team.alice, &["set", "acme", "priority=low"])
        .ok();
    team.commit_and_push(&team.alice, "alice: low");
    team.followup(&team.bob, &["set", "acme", "priority=medium"])
        .ok();
    git(&team.bob, &["commit", "-qam", "bob: medium"]).ok();
    let pull = git(
        &team.bob,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    );
    assert_ne!(pull.code, 0, "a real conflict stops the merge");
    let text = team.read(&team.bob);
    // The markers name who wrote each side (issue 11: the committers git tells the driver
    // about, else the authors of the entries that record the change); their value keeps its
    // comment, so keeping either side leaves the line as its writer wrote it.
    let marker = text
        .lines()
        .position(|l| l.starts_with("<<<<<<< bob"))
        .expect(&text)
        + 1;
    let comment = "           # high | medium | low                    (高 中 低)";
    let block: Vec<&str> = text.lines().skip(marker - 1).take(5).collect();
    assert_eq!(
        block[1],
        format!("priority = \"medium\"{comment}"),
        "{text}"
    );
    assert_eq!(block[2], "=======", "{text}");
    assert_eq!(block[3], format!("priority = \"low\"{comment}"), "{text}");
    assert!(block[4].starts_with(">>>>>>> alice"), "{text}");
    // Both note entries survive the conflict.
    assert!(text.contains("@alice") && text.contains("@bob"), "{text}");
    let check = team.followup(&team.bob, &["check", "--json"]).code(1);
    let first = &check.json()["diagnostics"][0];
    assert_eq!(
        (first["code"].as_str(), first["line"].as_u64()),
        (Some("conflict-marker"), Some(marker as u64))
    );
    // Nothing is written to a conflicted file until it is resolved.
    team.followup(&team.bob, &["log", "acme", "-m", "x"])
        .code(2);
}

#[test]
fn pull_rebase_works_as_well_as_merge() {
    let team = Team::new();
    team.followup(
        &team.alice,
        &["log", "acme", "-m", "Alice visited.", "--channel", "visit"],
    )
    .ok();
    team.commit_and_push(&team.alice, "alice logs");
    team.followup(
        &team.bob,
        &[
            "log",
            "acme",
            "-m",
            "Bob called earlier.",
            "--date",
            "2026-11-24",
        ],
    )
    .ok();
    git(&team.bob, &["commit", "-qam", "bob logs"]).ok();
    git(&team.bob, &["pull", "-q", "--rebase", "origin", "main"]).ok();
    let text = team.read(&team.bob);
    let bob = text.find("## 2026-11-24 phone @bob").expect(&text);
    let alice = text.find("## 2026-11-26 visit @alice").expect(&text);
    assert!(bob < alice, "date order:\n{text}");
    team.followup(&team.bob, &["check"]).ok();
    assert_eq!(git(&team.bob, &["status", "--porcelain"]).ok().stdout, "");
}

#[test]
fn an_unparseable_side_falls_back_to_a_git_conflict_without_losing_text() {
    let team = Team::new();
    std::fs::write(
        team.alice.join("customers/acme.md"),
        "not a customer file any more\n",
    )
    .unwrap();
    team.commit_and_push(&team.alice, "alice breaks it");
    team.followup(&team.bob, &["log", "acme", "-m", "Bob's precious note."])
        .ok();
    git(&team.bob, &["commit", "-qam", "bob logs"]).ok();
    let pull = git(
        &team.bob,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    );
    assert_ne!(pull.code, 0);
    let text = team.read(&team.bob);
    assert!(
        text.contains("Bob's precious note.") && text.contains("not a customer file any more"),
        "{text}"
    );
}

#[test]
fn concurrent_log_processes_keep_every_entry() {
    let s = Sandbox::new("acme");
    let before = s.read("customers/acme.md").matches("\n## ").count();
    let children: Vec<_> = (0..24)
        .map(|i| {
            followup(s.path())
                .args([
                    "--today",
                    TODAY,
                    "log",
                    "acme",
                    "-m",
                    &format!("parallel entry {i}"),
                    "--by",
                    "tester",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = s.read("customers/acme.md");
    for i in 0..24 {
        assert_eq!(
            text.matches(&format!("parallel entry {i}\n")).count(),
            1,
            "entry {i}"
        );
    }
    assert_eq!(text.matches("\n## ").count(), before + 24);
    s.run(&["check"]).ok();
    let names: Vec<String> = std::fs::read_dir(s.path().join("customers"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["acme.md"], "no temporary or lock files left");
}

#[test]
fn a_writer_killed_at_any_moment_leaves_the_old_file_or_the_new() {
    let s = Sandbox::new("acme");
    let mut entries = s.read("customers/acme.md").matches("\n## ").count();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let (mut completed, attempts) = (0, 40);
    for i in 0..attempts {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let delay = std::time::Duration::from_micros((seed >> 33) % 12_000);
        let mut child = followup(s.path())
            .args([
                "--today",
                TODAY,
                "log",
                "acme",
                "-m",
                &format!("killed writer {i}"),
                "--next",
                &format!("step {i}"),
                "--due",
                "fri",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let text = s.read("customers/acme.md");
        let now = text.matches("\n## ").count();
        assert!(
            now == entries || now == entries + 1,
            "torn write at attempt {i}: {entries} -> {now}"
        );
        if now == entries + 1 {
            completed += 1;
            assert!(
                text.contains(&format!("action = \"step {i}\"")),
                "entry without its front matter at {i}"
            );
        }
        entries = now;
        s.run(&["check"]).ok();
    }
    eprintln!(
        "killed writers: {completed} of {attempts} finished before the kill, the rest left the old file"
    );
}

#[test]
fn init_private_moves_contact_details_out_of_the_shared_files() {
    let s = Sandbox::new("due");
    let before = s.read("customers/east/华东机械.md");
    let out = s.run(&["init", "--private"]).ok().stdout;
    assert!(
        out.contains("moved     2 confidential values from 1 files"),
        "{out}"
    );
    let after = s.read("customers/east/华东机械.md");
    let (removed, added) = changed_lines(&before, &after);
    assert_eq!(
        removed,
        vec![
            "phone = \"+86 138 0000 1234\"\n",
            "wechat = \"wangfang88\"\n"
        ]
    );
    assert!(added.is_empty());
    // The read cache and the private file are never shared.
    assert_eq!(
        s.read(".gitignore"),
        "/.followup/\n/followup.private.toml\n"
    );
    let private = s.read("followup.private.toml");
    assert!(
        private.contains(
            "[\"east/华东机械\".contact]\nphone = \"+86 138 0000 1234\"\nwechat = \"wangfang88\"\n"
        ),
        "{private}"
    );
    // Revealed from the overlay, masked without --reveal.
    let shown = s
        .run(&["show", "华东机械", "--json", "--reveal"])
        .ok()
        .json();
    assert_eq!(
        shown["front_matter"]["contact"]["phone"],
        "+86 138 0000 1234"
    );
    assert_eq!(
        s.run(&["show", "华东机械", "--json"]).ok().json()["front_matter"]["contact"]["phone"],
        "***1234"
    );
    // New confidential values go to the overlay, never to the shared file.
    s.run(&["set", "华东机械", "contact.email=wang@hd.example"])
        .ok();
    assert!(
        !s.read("customers/east/华东机械.md")
            .contains("wang@hd.example")
    );
    assert!(
        s.read("customers/east/华东机械.md")
            .ends_with("- set: contact.email: *** (private)\n")
    );
    assert!(
        s.read("followup.private.toml")
            .contains("email = \"wang@hd.example\"")
    );
    s.run(&[
        "new",
        "Secretive Ltd",
        "--industry",
        "x",
        "--owner",
        "amy",
        "--contact",
        "y",
        "--set",
        "contact.phone=+86 135 1111 2222",
    ])
    .ok();
    assert!(!s.read("customers/secretive-ltd.md").contains("135"));
    assert!(
        s.read("followup.private.toml")
            .contains("[secretive-ltd.contact]\nphone = \"+86 135 1111 2222\"")
    );
    s.run(&["check", "--deny-warnings"]).ok();
    // A value that slips back into a shared file is reported.
    s.write(
        "customers/leak.md",
        s.read("customers/never.md")
            .replace("name = \"X\"", "name = \"X\"\nphone = \"123\"")
            .replace("Never Co", "Leak Co"),
    );
    let check = s.run(&["check", "--json"]).ok().json();
    assert_eq!(check["diagnostics"][0]["code"], "confidential-in-shared");
    assert_eq!(check["diagnostics"][0]["line"], 13);
    s.run(&["init", "--private"]).ok();
    assert!(!s.read("customers/leak.md").contains("123"));
}

// ---------------------------------------------------------------- check

#[test]
fn check_reports_every_code_at_its_exact_line_and_column() {
    let s = Sandbox::new("check");
    let expected = std::fs::read_to_string(fixture("check/expected.txt")).unwrap();
    std::fs::remove_file(s.path().join("expected.txt")).unwrap();
    let run = s.run(&["check", "--json"]).code(1);
    let json = run.json();
    let got: String = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {}[{}]\n",
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(got, expected);
    let codes: std::collections::BTreeSet<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    for code in [
        "not-utf8",
        "no-front-matter",
        "unclosed-front-matter",
        "toml-syntax",
        "bad-date",
        "missing-field",
        "unknown-stage",
        "unknown-status",
        "unknown-priority",
        "unknown-role",
        "bad-value",
        "conflict-marker",
        "bad-heading",
        "entry-order",
        "future-entry",
        "unknown-channel",
        "unknown-objection",
        "unknown-outcome",
        "next-without-due",
        "vague-next",
        "paused-without-reason",
        "over-contact",
        "duplicate-customer",
        "missing-channel",
        "stage-status-mismatch",
    ] {
        assert!(codes.contains(code), "no fixture for {code}");
    }
    assert_eq!(json["errors"], 25);
    assert_eq!(json["warnings"], 18);
    for d in json["diagnostics"].as_array().unwrap() {
        assert!(!d["message"].as_str().unwrap().is_empty());
        assert!(d["file"].as_str().unwrap().starts_with("customers/"));
    }
}

#[test]
fn check_prints_like_a_compiler_with_source_and_caret() {
    let s = Sandbox::new("check");
    let out = s
        .run(&[
            "check",
            "customers/unknown-stage.md",
            "customers/crlf-bom.md",
        ])
        .code(1)
        .stdout;
    assert_eq!(
        out,
        "customers/crlf-bom.md:4:9: error[unknown-stage]: unknown stage `intnet`\n  |\n4 | stage = \"intnet\"\n  |         ^ did you mean `intent`?\n\
customers/crlf-bom.md:12:15: warning[unknown-channel]: unknown channel `fax`\n   |\n12 | ## 2026-11-01 fax @amy\n   |               ^ add it to `channels` in followup.toml if the team uses it\n\
customers/unknown-stage.md:4:9: error[unknown-stage]: unknown stage `intnet`\n  |\n4 | stage = \"intnet\"\n  |         ^ did you mean `intent`?\n\
checked 2 files: 2 errors, 1 warning\n"
    );
}

#[test]
fn check_exit_codes_and_paths() {
    let s = Sandbox::new("check");
    s.run(&["check", "customers/clean.md"]).ok();
    let warn_only = s.run(&["check", "customers/vague-next.md"]).ok();
    assert!(
        warn_only
            .stdout
            .ends_with("checked 1 file: 0 errors, 1 warning\n"),
        "{}",
        warn_only.stdout
    );
    s.run(&["check", "customers/vague-next.md", "--deny-warnings"])
        .code(1);
    s.run(&["check", "customers/no-such.md"]).code(2);
    // Duplicates are found against the whole folder even when one file is checked.
    let dup = s
        .run(&["check", "customers/duplicate-b.md", "--json"])
        .ok()
        .json();
    assert_eq!(dup["diagnostics"][0]["code"], "duplicate-customer");
    // From inside the customers folder, paths are relative to where the user stands.
    let sub = s
        .run_in(&s.path().join("customers"), &["check", "clean.md"])
        .ok();
    assert!(
        sub.stdout.contains("checked 1 file: no problems"),
        "{}",
        sub.stdout
    );
    let before = s.snapshot();
    s.run(&["check"]).code(1);
    assert_eq!(s.snapshot(), before, "check never writes");
}

#[test]
fn the_demo_folder_checks_clean() {
    // A copy outside git: in this repository's own clone, `check` would rightly warn that no
    // merge driver is registered (merge-driver-missing).
    let demo = Sandbox::demo();
    let run = finish(followup(demo.path()).args(["--today", TODAY, "check", "--deny-warnings"]));
    let run = run.ok();
    assert_eq!(run.stdout, "checked 16 files: no problems\n");
}

#[test]
fn the_pre_commit_hook_blocks_a_broken_customer_file() {
    let s = Sandbox::new("due");
    git(s.path(), &["init", "-q", "-b", "main"]).ok();
    for (k, v) in [("user.name", "amy"), ("user.email", "amy@example.com")] {
        git(s.path(), &["config", k, v]).ok();
    }
    s.run(&["init", "--hooks"]).ok();
    git(s.path(), &["add", "-A"]).ok();
    git(s.path(), &["commit", "-qm", "start"]).ok();
    s.write(
        "customers/east/华东机械.md",
        s.read("customers/east/华东机械.md")
            .replace("stage = \"成交\"", "stage = \"成功\""),
    );
    git(s.path(), &["add", "-A"]).ok();
    let blocked = git(s.path(), &["commit", "-qm", "typo"]);
    assert_ne!(blocked.code, 0);
    assert!(
        blocked
            .stderr
            .contains("customers/east/华东机械.md:4:9: error[unknown-stage]"),
        "{blocked:?}"
    );
    s.run(&["set", "华东机械", "stage=维护"]).ok();
    git(s.path(), &["add", "-A"]).ok();
    git(s.path(), &["commit", "-qm", "fixed"]).ok();
    assert!(
        s.run(&["init", "--hooks"])
            .ok()
            .stdout
            .contains("kept      pre-commit hook")
    );
}

// ---------------------------------------------------------------- fast path = straightforward path

#[test]
fn the_lean_reading_path_gives_the_same_output_as_the_full_one() {
    let generated = tempfile::tempdir().unwrap();
    followup::synth::generate(generated.path(), 300, 20, 7, TODAY).unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
    for dir in [
        demo.as_path(),
        generated.path(),
        &fixture("due"),
        &fixture("stats"),
    ] {
        for args in [
            vec!["due", "--json", "--within", "30d"],
            vec!["due"],
            vec!["list", "--json"],
            vec!["list", "--csv"],
            vec!["stats", "--json", "--period", "week"],
            vec!["stats", "--json", "--period", "month", "--by", "owner"],
        ] {
            let fast = finish(followup(dir).args(["--today", TODAY]).args(&args)).ok();
            let full = finish(
                followup(dir)
                    .env("FOLLOWUP_FULL_PARSE", "1")
                    .args(["--today", TODAY])
                    .args(&args),
            )
            .ok();
            assert_eq!(fast.stdout, full.stdout, "{args:?} in {}", dir.display());
            assert!(
                fast.stdout.len() > 100,
                "{args:?} printed little: {}",
                fast.stdout
            );
        }
    }
}

// ---------------------------------------------------------------- at home in a terminal

#[test]
fn completions_and_man_page() {
    let s = Sandbox::new("due");
    let bash = s.run(&["completions", "bash"]).ok().stdout;
    assert!(
        bash.contains("_followup()") && bash.contains("stats") && bash.contains("--within"),
        "{bash}"
    );
    for shell in ["zsh", "fish", "powershell"] {
        let out = s.run(&["completions", shell]).ok().stdout;
        assert!(
            out.contains("merge-driver") || out.contains("due"),
            "{shell}"
        );
    }
    s.run(&["completions", "tcsh"]).code(2);
    let man = s.run(&["man"]).ok().stdout;
    assert!(
        man.starts_with(".ie") && man.contains(".TH followup 1") && man.contains("\\-\\-today"),
        "{man}"
    );
    let help = s.run(&["log", "--help"]).ok().stdout;
    assert!(
        help.contains("Example:") && help.contains("followup log acme"),
        "{help}"
    );
}

#[test]
fn csv_opens_in_excel_with_chinese_intact_and_secrets_masked() {
    let s = Sandbox::new("due");
    s.write(
        "customers/east/华东机械.md",
        s.read("customers/east/华东机械.md")
            .replace("[contact]\n", "[contact]\nemail = \"wang@hd.example\"\n"),
    );
    for args in [
        vec!["list", "--csv"],
        vec!["due", "--csv", "--within", "30d"],
        vec!["stats", "--csv"],
    ] {
        let bytes = finish(followup(s.path()).args(["--today", TODAY]).args(&args))
            .ok()
            .stdout;
        assert!(bytes.starts_with('\u{feff}'), "{args:?} has a BOM");
        assert!(
            !bytes.contains("wang@hd.example") && !bytes.contains("0000 1234"),
            "{args:?}: {bytes}"
        );
    }
    let list = s.run(&["list", "--csv"]).ok().stdout;
    let row = list
        .lines()
        .find(|l| l.starts_with("华东机械,"))
        .expect(&list);
    assert_eq!(
        row,
        "华东机械,customers/east/华东机械.md,amy,机械,won,won,high,王芳,2026-11-26,,,,"
    );
    let due = s.run(&["due", "--csv"]).ok().stdout;
    assert!(due.lines().next().unwrap().ends_with("customer,file,owner,stage,status,priority,due,overdue_days,reasons,last_contact,next_action,hints"));
    assert_eq!(
        due.lines().nth(1).unwrap(),
        "Streak Co,customers/streak.md,bob,potential,active,medium,2026-11-21,5,\"every 7 days, last contact 12 days ago\",2026-11-14,,change channel: the last 3 contacts went unanswered"
    );
    assert!(
        due.contains(",\"assist \"\"presales-zhou: demo environment\"\" overdue 4 days\","),
        "CSV quoting: {due}"
    );
}

#[test]
fn chinese_labels_everywhere_a_person_reads() {
    let s = Sandbox::new("due");
    s.write("followup.toml", "lang = \"zh\"\n");
    let due = s.run(&["due"]).ok().stdout;
    assert!(
        due.starts_with("到期")
            && due.contains("负责人")
            && due.contains("逾期 5 天")
            && due.contains("换个渠道"),
        "{due}"
    );
    assert!(
        due.contains("潜在") && !due.contains("potential"),
        "stage labels: {due}"
    );
    let list = s.run(&["list"]).ok().stdout;
    assert!(
        list.starts_with("客户") && list.contains("已成交") && list.contains("高"),
        "{list}"
    );
    let show = s.run(&["show", "华东机械"]).ok().stdout;
    assert!(
        show.contains("客户档案")
            && show.contains("待办事项")
            && show.contains("电话")
            && show.contains("反馈：很满意"),
        "{show}"
    );
    assert!(
        s.run(&["check"])
            .ok()
            .stdout
            .contains("已检查 14 个文件：没有问题")
    );
    assert!(
        s.run(&["log", "cadence", "-m", "好"])
            .ok()
            .stdout
            .starts_with("已记录 Cadence Co 的 2026-11-26 电话跟进")
    );
    // JSON stays English and stable whatever the language.
    assert_eq!(
        s.run(&["due", "--json"]).ok().json()["items"][0]["stage"],
        "potential"
    );
    // --lang overrides the file.
    assert!(
        s.run(&["due", "--lang", "en"])
            .ok()
            .stdout
            .starts_with("Due")
    );
    // The common errors speak Chinese too.
    let err = s.run(&["log", "pause", "-m", "x"]).code(2).stderr;
    assert!(err.starts_with("错误：`pause` 匹配到多个客户："), "{err}");
    let err = s.run(&["show", "cadense"]).code(2).stderr;
    assert!(
        err.starts_with("错误：没有匹配 `cadense` 的客户：你是不是要找 Cadence Co"),
        "{err}"
    );
}

#[test]
fn colour_follows_the_flag_no_color_and_pipes() {
    let s = Sandbox::new("due");
    let esc = |run: Run| run.ok().stdout.contains('\u{1b}');
    assert!(!esc(s.run(&["due"])), "a pipe gets no colour");
    assert!(esc(s.run(&["due", "--color", "always"])));
    assert!(!esc(s.run(&["due", "--color", "never"])));
    let always_despite_no_color = finish(
        followup(s.path())
            .env("NO_COLOR", "1")
            .args(["--today", TODAY, "due", "--color", "always"]),
    );
    assert!(
        esc(always_despite_no_color),
        "an explicit --color always wins"
    );
    let colored = s.run(&["due", "--color", "always"]).ok().stdout;
    assert!(
        colored.contains("\u{1b}[31moverdue 5 days"),
        "overdue rows are red: {colored:?}"
    );
    assert!(
        colored.contains("\u{1b}[33mtoday"),
        "due-today rows are yellow: {colored:?}"
    );
    let upcoming = s
        .run(&["due", "--within", "3d", "--color", "always"])
        .ok()
        .stdout;
    assert!(
        upcoming.contains("\u{1b}[2min 2 days"),
        "upcoming rows are dim: {upcoming:?}"
    );
    // At a terminal, NO_COLOR turns colour off; without it, colour is on.
    let tty = |no_color: bool| {
        let mut cmd = Command::new("script");
        cmd.args([
            "-qec",
            &format!("{} --today {TODAY} due", env!("CARGO_BIN_EXE_followup")),
            "/dev/null",
        ])
        .current_dir(s.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("FOLLOWUP_DIR")
        .env_remove("NO_COLOR");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        finish(&mut cmd)
    };
    assert!(tty(false).stdout.contains('\u{1b}'), "colour at a terminal");
    assert!(
        !tty(true).stdout.contains("\u{1b}[3"),
        "NO_COLOR at a terminal"
    );
}

#[test]
fn prompts_and_the_editor_appear_only_at_a_terminal() {
    let s = Sandbox::new("due");
    // At a terminal, `new` asks for the required fields it was not given.
    let run = at_terminal(
        s.path(),
        "new 'Prompted Ltd' --owner amy",
        "Machinery\nMs. Lin\n",
        None,
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("Industry: ") && run.stdout.contains("Contact name: "),
        "{run:?}"
    );
    let text = s.read("customers/prompted-ltd.md");
    assert!(
        text.contains("industry = \"Machinery\"") && text.contains("name = \"Ms. Lin\""),
        "{text}"
    );
    // Without a terminal: no prompt, the file is created with what was given, and a warning says what is missing.
    let run = s.run(&["new", "Quiet Ltd", "--owner", "amy"]).ok();
    assert!(
        !run.stderr.contains("Industry:")
            && run
                .stderr
                .contains("missing required fields: industry, contact.name"),
        "{}",
        run.stderr
    );
    // --no-input turns prompting off even at a terminal.
    let run = at_terminal(
        s.path(),
        "--no-input new 'Silent Ltd' --owner amy",
        "",
        None,
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stdout.contains("Industry:"), "{run:?}");
    // `log` without -m opens $EDITOR on a template at a terminal, like `git commit`.
    let editor = s.path().join("fake-editor.sh");
    std::fs::write(&editor, "#!/bin/sh\ngrep -q 'Log a follow-up for customers/cadence.md' \"$1\" || exit 3\nprintf 'Discussed the rollout.\\n\\n- feedback: wants it in March\\n- [ ] promised: send the plan (due 2026-12-01)\\n' > \"$1\"\n").unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let run = at_terminal(s.path(), "log cadence", "", Some(&editor));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        s.read("customers/cadence.md").ends_with("## 2026-11-26 phone @amy\n\nDiscussed the rollout.\n\n- feedback: wants it in March\n- [ ] promised: send the plan (due 2026-12-01)\n"),
        "{}",
        s.read("customers/cadence.md")
    );
    let run = at_terminal(s.path(), "--no-input log cadence", "", Some(&editor));
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn the_editor_keeps_markdown_and_refuses_what_would_break_out_of_the_entry() {
    let s = Sandbox::new("due");
    let tools = tempfile::tempdir().unwrap();
    let before = s.snapshot();
    for (name, text, why) in [
        (
            "setext.sh",
            "Title\n---\n\n- feedback: x\n",
            "under line 1 would turn it into a heading",
        ),
        (
            "fence.sh",
            "Notes\n\n```\nnever closed\n",
            "line 3: the code block opened here with ``` is never closed",
        ),
        (
            "comment.sh",
            "<!-- draft\n\n- feedback: x\n",
            "line 1: the HTML comment",
        ),
    ] {
        let editor = fake_editor(tools.path(), name, text);
        let run = at_terminal(s.path(), "log cadence", "", Some(&editor));
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stdout.contains(why), "{name}: {run:?}");
        assert_eq!(take_kept_text(&run).as_deref(), Some(text), "{name}");
    }
    assert_eq!(s.snapshot(), before, "a refused message writes nothing");
    let text = "Walked through the plan:\n\n```\n## 2027 roadmap\n- [ ] not a field\n```\n\n> they quoted the old price\n\n- feedback: ok\n- [ ] promised: send it (due 2026-12-01)\n";
    let editor = fake_editor(tools.path(), "good.sh", text);
    let run = at_terminal(s.path(), "log cadence", "", Some(&editor));
    assert_eq!(run.code, 0, "{run:?}");
    let file = s.read("customers/cadence.md");
    assert!(
        file.ends_with("## 2026-11-26 phone @amy\n\nWalked through the plan:\n\n```\n## 2027 roadmap\n- [ ] not a field\n```\n\n> they quoted the old price\n\n- feedback: ok\n- [ ] promised: send it (due 2026-12-01)\n"),
        "{file}"
    );
    let show = s.run(&["show", "cadence", "--json"]).ok().json();
    let last = show["entries"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["fields"].as_array().unwrap().len(), 2, "{last}");
    s.run(&["check", "customers/cadence.md", "--deny-warnings"])
        .ok();
}

#[test]
fn log_escapes_typed_text_so_it_stays_inside_its_entry() {
    let s = Sandbox::new("due");
    let before = s.read("customers/cadence.md");
    for text in [
        "## Not a heading here",
        "# Big news",
        "```\nunclosed code",
        "text\n---",
    ] {
        s.run(&["log", "cadence", "-m", text, "--feedback", "ok"])
            .ok();
    }
    let after = s.read("customers/cadence.md");
    assert!(
        after.starts_with(&before),
        "nothing before the new entries changes"
    );
    assert!(after.contains("\\## Not a heading here\n"), "{after}");
    assert!(after.contains("\\```\nunclosed code\n"), "{after}");
    let json = s
        .run(&["show", "cadence", "--json", "--entries", "9"])
        .ok()
        .json();
    let entries = json["entries"].as_array().unwrap();
    let logged: Vec<_> = entries.iter().rev().take(4).collect();
    for e in logged {
        assert_eq!(e["fields"][0]["value"], "ok", "{e}");
    }
    let check = s.run(&["check", "--json"]).ok().json();
    assert_eq!(check["errors"], 0);
    assert!(!check.to_string().contains("not-an-entry"), "{check}");
}

#[test]
fn write_commands_speak_json_too() {
    let s = Sandbox::new("due");
    let new = s
        .run(&["new", "Json Ltd", "--owner", "amy", "--json"])
        .ok()
        .json();
    assert_eq!(
        new,
        serde_json::json!({"customer": "Json Ltd", "file": "customers/json-ltd.md", "missing": ["industry", "contact.name"]})
    );
    let set = s
        .run(&[
            "set",
            "json",
            "industry=Software",
            "priority=high",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(
        set,
        serde_json::json!({"file": "customers/json-ltd.md", "changes": ["industry: Software", "priority: medium -> high"]})
    );
    let done = s.run(&["done", "promise", "deck", "--json"]).ok().json();
    assert_eq!(
        done,
        serde_json::json!({"file": "customers/promise.md", "line": 17, "kind": "promised", "text": "send the deck (due 2026-11-26)"})
    );
    let log = s.run(&["log", "json", "-m", "hi", "--json"]).ok().json();
    assert_eq!(
        (log["file"].as_str(), log["date"].as_str()),
        (Some("customers/json-ltd.md"), Some(TODAY))
    );
}

#[test]
fn tables_wrap_long_cells_to_the_terminal_width_and_lose_no_word() {
    let s = Sandbox::new("acme");
    let long = "Confirm the date of the technical review with Liu Yang and the two integration engineers from their Suzhou plant";
    s.run(&["set", "acme", &format!("next.action={long}")]).ok();
    let wide = s.run(&["list"]).ok();
    assert!(
        wide.stdout.contains(long),
        "piped output keeps every cell whole:\n{}",
        wide.stdout
    );
    let narrow = finish(
        followup(s.path())
            .env("COLUMNS", "100")
            .args(["--today", TODAY, "list"]),
    );
    assert_eq!(narrow.code, 0, "{}", narrow.stderr);
    for line in narrow.stdout.lines() {
        let width: usize = line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
        assert!(width <= 100, "{width} columns: {line:?}");
    }
    let words: Vec<&str> = narrow.stdout.split_whitespace().collect();
    for word in long.split_whitespace() {
        assert!(
            words.contains(&word),
            "`{word}` is lost:\n{}",
            narrow.stdout
        );
    }
    assert!(
        narrow.stdout.lines().count() > wide.stdout.lines().count(),
        "{}",
        narrow.stdout
    );
}

/// `stats` counts customers one at a time as they are read; `--explain` counts the same range
/// over every record held at once. The two ways must give every number alike, for the team and
/// for one rep's customers.
#[test]
fn stats_numbers_equal_their_explanations_counted_the_other_way() {
    let s = Sandbox::demo();
    let range = ["--since", "2026-01-01", "--until", TODAY];
    for owner in [None, Some("li.wei")] {
        let mut args = vec!["stats", "--json"];
        args.extend(range);
        if let Some(o) = owner {
            args.extend(["--owner", o]);
        }
        let total = s.run(&args).ok().json()["total"].clone();
        let mut compared = 0;
        for (metric, value) in total.as_object().unwrap() {
            if !value.is_number() {
                continue;
            }
            let mut explain = args.clone();
            explain.extend(["--explain", metric.as_str()]);
            let explained = s.run(&explain).ok().json();
            assert_eq!(
                explained["value"], *value,
                "{metric} (owner {owner:?}): stats says {value}, --explain {}",
                explained["value"]
            );
            compared += 1;
        }
        assert!(compared >= 15, "only {compared} numbers compared");
    }
    // `--by owner` rows are held against the report's, counted over all records at once, in
    // tests/report.rs.
}
