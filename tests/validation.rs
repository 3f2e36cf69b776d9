//! Issue 13: every way in is validated the same, and the log means what the rep meant — the
//! flags and the `$EDITOR` fields go through one parse → check → apply, the write guard runs
//! `check`'s rules, dates and objection categories speak Chinese, a won status is a win, an
//! unknown owner is named, `--by owner` credits the rep who logged, and stage roles come from
//! followup.toml.

mod common;

use common::*;

/// `check --json` on one file: the codes it reports.
fn codes(s: &Sandbox, file: &str) -> Vec<String> {
    s.run(&["check", file, "--json"]).json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------- the editor path

#[test]
fn editor_fields_update_the_front_matter_like_the_flags() {
    let s = Sandbox::new("due");
    let tools = tempfile::tempdir().unwrap();
    let text = "Walked through the rollout.\n\n- 反馈: wants it in March\n- objection: 价格: offered instalments\n- next: call their engineers (due mon)\n- stage: won\n- status: won\n- [ ] promised: send the plan (due 明天)\n";
    let editor = fake_editor(tools.path(), "fields.sh", text);
    let run = at_terminal(s.path(), "log cadence", "", Some(&editor));
    assert_eq!(run.code, 0, "{run:?}");
    let file = s.read("customers/cadence.md");
    // The deadline is resolved and [next] set, as --next/--due do; stage and status are
    // written OLD -> NEW and set in the front matter, as --stage/--status do.
    assert!(
        file.contains("stage = \"won\"\nstatus = \"won\"\n"),
        "{file}"
    );
    assert!(
        file.contains("[next]\naction = \"call their engineers\"\ndue = 2026-11-30\n"),
        "{file}"
    );
    assert!(
        file.ends_with("## 2026-11-26 phone @amy\n\nWalked through the rollout.\n\n- feedback: wants it in March\n- objection: 价格 — offered instalments\n- next: call their engineers (due 2026-11-30)\n- stage: intent -> won\n- status: active -> won\n- [ ] promised: send the plan (due 2026-11-27)\n"),
        "{file}"
    );
    s.run(&["check", "customers/cadence.md", "--deny-warnings"])
        .ok();
}

#[test]
fn editor_fields_check_would_reject_are_refused_naming_their_line() {
    let s = Sandbox::new("due");
    let tools = tempfile::tempdir().unwrap();
    let before = s.snapshot();
    for (name, text, why) in [
        (
            "outcome.sh",
            "Called.\n\n- feedback: fine\n- outcome: maybe\n",
            "line 4: outcome `maybe` is unknown",
        ),
        (
            "stage.sh",
            "Called.\n\n- stage: nonsense\n",
            "line 3: stage `nonsense` is unknown",
        ),
        (
            "date.sh",
            "Called.\n\n- next: send the quote (due someday)\n",
            "line 3: the deadline in `send the quote (due someday)`",
        ),
        (
            "empty.sh",
            "Called.\n\n- feedback:\n",
            "line 3: `- feedback:` is empty",
        ),
    ] {
        let editor = fake_editor(tools.path(), name, text);
        let run = at_terminal(s.path(), "log cadence", "", Some(&editor));
        assert_eq!(run.code, 2, "{name}: {run:?}");
        assert!(run.stdout.contains(why), "{name}: {run:?}");
        assert!(run.stdout.contains("nothing was logged"), "{name}: {run:?}");
        // The rep's text is not lost.
        assert_eq!(take_kept_text(&run).as_deref(), Some(text), "{name}");
    }
    assert_eq!(s.snapshot(), before, "a refused message writes nothing");
}

// ---------------------------------------------------------------- the flag path

#[test]
fn empty_values_are_refused_before_writing() {
    let s = Sandbox::new("due");
    let before = s.snapshot();
    for (flag, value) in [
        ("-m", ""),
        ("--promised", ""),
        ("--objection", ""),
        ("--objection", ": how"),
        ("--assist", ":"),
        ("--assist", "zhou:"),
        ("--feedback", "  "),
        ("--next", " "),
        ("--promised", "(due fri)"),
    ] {
        let run = s.run(&["log", "cadence", flag, value]).code(2);
        assert!(
            run.stderr.starts_with(&format!("error: {flag}: ")),
            "{flag} {value:?}: {}",
            run.stderr
        );
        assert_eq!(
            run.stderr.lines().count(),
            1,
            "one sentence: {}",
            run.stderr
        );
    }
    // A stage it already has changes nothing: no empty entry (it would count as a contact).
    let run = s.run(&["log", "cadence", "--stage", "意向"]).code(2);
    assert!(
        run.stderr
            .contains("nothing to log: the stage is already intent"),
        "{}",
        run.stderr
    );
    assert_eq!(s.snapshot(), before);
}

#[test]
fn dates_check_would_reject_are_refused_at_the_door() {
    let s = Sandbox::new("due");
    let before = s.snapshot();
    for args in [
        vec!["--promised", "x (due +100000m)"],
        vec!["--next", "call", "--due", "+100000m"],
        vec!["-m", "x", "--date=-100000m"],
        vec!["--feedback", "call back (due someday)"],
        vec!["--assist", "zhou: plan (due 2026-02-30)"],
    ] {
        let mut all = vec!["log", "cadence"];
        all.extend(args.iter());
        let run = s.run(&all).code(2);
        assert!(
            run.stderr.contains("0000–9999") || run.stderr.contains("is not a date"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(s.snapshot(), before);
    // `set` takes the same dates.
    s.run(&["set", "cadence", "next.action=x", "next.due=+100000m"])
        .code(2);
    assert_eq!(s.snapshot(), before);
}

#[test]
fn the_write_guard_refuses_what_check_reports_and_warns_about_the_rest() {
    let s = Sandbox::new("due");
    let before = s.snapshot();
    // A won status before the won stage is a stage/status mismatch: refused, not written.
    let run = s.run(&["set", "cadence", "status=won"]).code(2);
    assert!(
        run.stderr.contains("stage-status-mismatch") && run.stderr.contains("nothing was written"),
        "{}",
        run.stderr
    );
    assert_eq!(s.snapshot(), before);
    // Over-contact is a warning at log time, not a refusal: the third call today is written.
    s.run(&["log", "cadence", "-m", "one"]).ok();
    let second = s.run(&["log", "cadence", "-m", "two"]).ok();
    assert!(!second.stderr.contains("over-contact"), "{}", second.stderr);
    let third = s.run(&["log", "cadence", "-m", "three"]).ok();
    assert!(
        third
            .stderr
            .contains("more than 2 contacts on 2026-11-26 [over-contact]"),
        "{}",
        third.stderr
    );
    // What `check` then reports about the file was said when it was written.
    assert_eq!(codes(&s, "customers/cadence.md"), ["over-contact"]);
}

// ---------------------------------------------------------------- date words

#[test]
fn bare_spans_and_chinese_date_words_work_wherever_a_date_is_accepted() {
    let s = Sandbox::new("due");
    // Today is Thursday 2026-11-26.
    for (word, date) in [
        ("3d", "2026-11-29"),
        ("明天", "2026-11-27"),
        ("后天", "2026-11-28"),
        ("大后天", "2026-11-29"),
        ("下周五", "2026-12-04"),
        ("下星期一", "2026-11-30"),
        ("周一", "2026-11-30"),
        ("星期四", "2026-12-03"),
        ("本周五", "2026-11-27"),
        ("下个月", "2026-12-26"),
        ("3天后", "2026-11-29"),
    ] {
        s.run(&["log", "cadence", "--next", "send the quote", "--due", word])
            .ok();
        assert!(
            s.read("customers/cadence.md")
                .contains(&format!("due = {date}\n")),
            "--due {word}"
        );
    }
    s.run(&[
        "log",
        "upcoming",
        "--promised",
        "send the deck (due 下周一)",
        "--date",
        "昨天",
    ])
    .ok();
    assert!(
        s.read("customers/upcoming.md").ends_with(
            "## 2026-11-25 phone @amy\n\n- [ ] promised: send the deck (due 2026-11-30)\n"
        ),
        "{}",
        s.read("customers/upcoming.md")
    );
    s.run(&["set", "upcoming", "next.action=call", "next.due=后天"])
        .ok();
    assert!(
        s.read("customers/upcoming.md")
            .contains("due = 2026-11-28\n")
    );
    s.run(&["stats", "--since", "本周一"]).ok();
    // The error lists the forms that are accepted.
    let run = s
        .run(&["log", "cadence", "--next", "x", "--due", "下下周"])
        .code(2);
    for form in ["3d", "明天", "下周五", "本周五", "下个月"] {
        assert!(run.stderr.contains(form), "{}", run.stderr);
    }
}

// ---------------------------------------------------------------- objections

#[test]
fn objection_aliases_count_as_their_category_and_unknown_ones_warn_at_log_time() {
    let s = Sandbox::new("stats");
    let run = s.run(&["log", "zeta", "--objection", "价格:分期付款"]).ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(
        s.read("customers/zeta.md")
            .ends_with("- objection: 价格 — 分期付款\n"),
        "kept as typed"
    );
    let j = s
        .run(&["stats", "--json", "--since", "2026-09-01"])
        .ok()
        .json();
    assert_eq!(
        j["total"]["objections"][0],
        serde_json::json!({"category": "price", "count": 3, "share": 0.6}),
        "{}",
        j["total"]["objections"]
    );
    // An unknown category is written, with a warning that suggests the closest one.
    let run = s
        .run(&["log", "zeta", "--objection", "pirce:too high"])
        .ok();
    assert!(
        run.stderr.contains(
            "unknown objection category `pirce` [unknown-objection]; did you mean `price`?"
        ),
        "{}",
        run.stderr
    );
    s.run(&["check", "customers/zeta.md"]).ok();
}

// ---------------------------------------------------------------- won

#[test]
fn status_won_moves_the_stage_and_is_one_win_in_stats() {
    let s = Sandbox::new("stats");
    // Zeta is at intent: `--status won` moves it to the won stage too.
    let run = s
        .run(&[
            "log",
            "zeta",
            "-m",
            "Signed.",
            "--status",
            "won",
            "--date",
            "2026-11-20",
        ])
        .ok();
    assert!(
        run.stderr
            .contains("status won moves the stage from intent to won"),
        "{}",
        run.stderr
    );
    let file = s.read("customers/zeta.md");
    assert!(
        file.contains("stage = \"won\"\nstatus = \"won\"\n")
            && file.ends_with("Signed.\n\n- stage: intent -> won\n- status: active -> won\n"),
        "{file}"
    );
    // Eta is won by its status alone (a hand-written log), then by its stage a week later.
    s.write(
        "customers/eta.md",
        s.read("customers/eta.md")
            + "\n## 2026-11-10 phone @bob\n\n- status: active -> won\n\n## 2026-11-17 phone @bob\n\n- stage: intent -> won\n",
    );
    let j = s
        .run(&[
            "stats",
            "--json",
            "--period",
            "week",
            "--since",
            "2026-11-02",
        ])
        .ok()
        .json();
    let won: Vec<u64> = j["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["won"].as_u64().unwrap())
        .collect();
    // Beta (stage, W45), Eta (status, W46), Zeta (both at once, W47): each once.
    assert_eq!(won, [1, 1, 1, 0], "{}", j["periods"]);
    assert_eq!(
        j["total"]["won_customers"],
        serde_json::json!(["Beta", "Eta", "Zeta"])
    );
    assert_eq!(j["total"]["won"], 3);
    // And a won deal is on the won stage's cadence (30d), not intent's (3d).
    let due = s.run(&["due", "--json", "--within", "7d"]).ok().json();
    let names: Vec<&str> = due["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["customer"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"Zeta"), "{names:?}");
}

#[test]
fn a_won_status_on_an_earlier_stage_is_a_check_warning_and_keeps_the_won_cadence() {
    let s = Sandbox::new("due");
    s.write(
        "customers/cadence.md",
        s.read("customers/cadence.md")
            .replace("status = \"active\"", "status = \"已成交\""),
    );
    assert_eq!(codes(&s, "customers/cadence.md"), ["stage-status-mismatch"]);
    // Last contact 2026-11-20: on intent's 3d cadence it would be overdue today.
    let due = s.run(&["due", "--json"]).ok().json();
    assert!(
        !due.to_string().contains("Cadence Co"),
        "a won deal follows the won stage's 30d cadence: {due}"
    );
    // `log --status won --stage intent` would create the mismatch: refused.
    s.run(&["set", "cadence", "status=active"]).ok();
    let run = s
        .run(&[
            "log", "cadence", "--status", "won", "--stage", "intent", "-m", "x",
        ])
        .code(2);
    assert!(run.stderr.contains("won stage"), "{}", run.stderr);
}

// ---------------------------------------------------------------- owners

#[test]
fn an_unknown_owner_warns_with_the_known_owners_and_still_succeeds() {
    let s = Sandbox::new("stats");
    // presales-zhou owns no customer but logged a visit: a known name.
    s.write(
        "customers/delta.md",
        s.read("customers/delta.md") + "\n## 2026-11-04 visit @presales-zhou\n\nDemo.\n",
    );
    for args in [
        vec!["due", "--owner", "amyy"],
        vec!["list", "--owner", "amyy"],
        vec!["agenda", "--owner", "amyy"],
        vec!["stats", "--owner", "amyy"],
    ] {
        let run = s.run(&args).ok();
        assert!(
            run.stderr.contains(
                "warning: no customer is owned or logged by `amyy` (did you mean `amy`?); the owners are amy, bob, presales-zhou"
            ),
            "{args:?}: {}",
            run.stderr
        );
    }
    for args in [
        vec!["due", "--owner", "AMY"],
        vec!["due", "--owner", "presales-zhou"],
        vec!["stats", "--owner", "bob"],
    ] {
        let run = s.run(&args).ok();
        assert!(
            !run.stderr.contains("no customer"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn stats_by_owner_credits_activity_to_the_author_and_outcomes_to_the_owner() {
    let s = Sandbox::new("stats");
    // Amy covers two calls for Bob's Beta; Beta is then won. An entry without an author
    // counts for the customer's owner.
    s.write(
        "customers/beta.md",
        s.read("customers/beta.md")
            .replace(
                "## 2026-11-05 meeting @bob",
                "## 2026-10-20 phone @amy\n\n- outcome: no-answer\n\n## 2026-10-21 phone @amy\n\nReached.\n\n## 2026-10-22 phone\n\nCalled back.\n\n## 2026-11-05 meeting @bob",
            ),
    );
    let j = s
        .run(&["stats", "--json", "--since", "2026-09-01", "--by", "owner"])
        .ok()
        .json();
    let get = |owner: &str, key: &str| {
        j["owners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["owner"] == owner)
            .unwrap()[key]
            .clone()
    };
    // Activity: Amy's 7 entries + 2 on Beta; Bob's 8 + the unattributed one.
    assert_eq!(get("amy", "entries"), 9);
    assert_eq!(get("bob", "entries"), 9);
    assert_eq!(get("amy", "customers_touched"), 4);
    assert_eq!(get("amy", "reached"), 5);
    assert_eq!(get("amy", "no_answer"), 3);
    // Outcomes stay with the owner: Beta's win and its amount are Bob's.
    assert_eq!(get("bob", "won_customers"), serde_json::json!(["Beta"]));
    assert_eq!(get("bob", "won_amount"), 300000.0);
    assert_eq!(get("amy", "won_customers"), serde_json::json!(["Alpha"]));
    assert_eq!(get("amy", "lost"), 1);
    // The owners' entries add up to the total.
    assert_eq!(j["total"]["entries"], 18);
}

// ---------------------------------------------------------------- stage roles

/// The stats fixture with its stages renamed: lead, qualified, signed, care.
fn renamed_stats() -> Sandbox {
    let s = Sandbox::new("stats");
    s.write(
        "followup.toml",
        "[stages]\nlead = { cadence = \"7d\" }\nqualified = { cadence = \"3d\", converted = true }\nsigned = { cadence = \"30d\", won = true }\ncare = { cadence = \"30d\" }\n",
    );
    let rename = |text: String| {
        text.replace("potential", "lead")
            .replace("intent", "qualified")
            .replace("stage = \"won\"", "stage = \"signed\"")
            .replace("-> won\n- status", "-> signed\n- status")
            .replace("stage: qualified -> won", "stage: qualified -> signed")
    };
    for name in ["alpha", "beta", "delta", "epsilon", "eta", "gamma", "zeta"] {
        let path = format!("customers/{name}.md");
        s.write(&path, rename(s.read(&path)));
    }
    s
}

#[test]
fn stats_with_renamed_stages_give_the_same_numbers_as_the_default_names() {
    let default = Sandbox::new("stats");
    let renamed = renamed_stats();
    assert!(
        renamed
            .read("customers/alpha.md")
            .contains("stage: qualified -> signed")
    );
    renamed.run(&["check", "--deny-warnings"]).ok();
    for period in ["month", "week", "quarter"] {
        let args = [
            "stats",
            "--json",
            "--period",
            period,
            "--since",
            "2026-08-01",
        ];
        let a = default.run(&args).ok();
        let b = renamed.run(&args).ok();
        assert_eq!(a.json(), b.json(), "--period {period}");
        assert!(b.stderr.is_empty(), "{}", b.stderr);
        assert_eq!(b.json()["total"]["won"], 2);
    }
    // Without roles, a renamed funnel says why wins are not counted from the stage.
    renamed.write(
        "followup.toml",
        "[stages]\nlead = {}\nqualified = {}\nsigned = {}\ncare = {}\n",
    );
    let run = renamed
        .run(&["stats", "--json", "--since", "2026-08-01"])
        .ok();
    assert!(
        run.stderr.contains("no stage is marked `won = true`"),
        "{}",
        run.stderr
    );
}

#[test]
fn stage_roles_in_followup_toml_are_validated_with_their_line() {
    let s = Sandbox::new("stats");
    for (toml, line, what) in [
        (
            "lang = \"en\"\n\n[stages]\nlead = {}\nwon = { probability = 1.5 }\n",
            5,
            "from 0 to 1",
        ),
        (
            "[stages]\nlead = { won = true }\nsigned = { won = true }\n",
            3,
            "only one stage",
        ),
        (
            "[stages.lead]\ncadence = \"7d\"\n\n[stages.signed]\nwon = \"yes\"\n",
            5,
            "true or false",
        ),
    ] {
        s.write("followup.toml", toml);
        let run = s.run(&["stats"]).code(2);
        assert!(
            run.stderr.contains(&format!("followup.toml:{line}: ")) && run.stderr.contains(what),
            "{toml}: {}",
            run.stderr
        );
    }
}

/// A new customer file is held to `check` like an edit: `new --set` and an import whose rules
/// map a column to a key that cannot hold the value both refuse it (a missing required key is
/// still only a warning, as before).
#[test]
fn new_files_from_new_and_import_pass_the_guard() {
    let s = Sandbox::new("due");
    let before = s.snapshot();
    let run = s
        .run(&[
            "new",
            "Test Co",
            "--owner",
            "amy",
            "--industry",
            "x",
            "--set",
            "tags.x=1",
        ])
        .code(2);
    assert!(run.stderr.contains("error[bad-value]"), "{}", run.stderr);
    assert_eq!(s.snapshot(), before);
    s.write("rules.toml", "[columns]\n\"extra\" = \"tags.x\"\n");
    s.write(
        "p.csv",
        "客户名称,负责人,行业,联系人,extra\nTest Co,amy,x,Wang,one\n",
    );
    let before = s.snapshot();
    let run = s.run(&["import", "p.csv", "--rules", "rules.toml"]).code(1);
    assert!(run.stdout.contains("bad-value"), "{}", run.stdout);
    assert_eq!(s.snapshot(), before, "nothing written");
    s.run(&["new", "Test Co", "--owner", "amy", "--industry", "x"])
        .ok();
}

/// Control characters never enter a file: `check` reports one (`control-char`), so the guard
/// refuses every way in that would add one — flags, the editor's text, an import.
#[test]
fn control_characters_are_refused_at_every_door() {
    let s = Sandbox::new("due");
    let before = s.snapshot();
    for (flag, value) in [
        ("--reason", "x\u{1b}[31m"),
        ("--by", "ev\u{1b}]2;x\u{7}"),
        ("--feedback", "a\u{7f}b"),
    ] {
        let run = s
            .run(&["log", "cadence", "-m", "Call.", flag, value])
            .code(2);
        assert!(
            run.stderr.contains("error[control-char]"),
            "{flag}: {}",
            run.stderr
        );
    }
    assert_eq!(s.snapshot(), before);
    s.write(
        "r.csv",
        "日期,客户,跟进方式,沟通内容\n2026-11-20,Cadence Co,电话,\"nul\u{0}x\"\n",
    );
    let before = s.snapshot();
    let run = s.run(&["import", "r.csv"]).code(1);
    assert!(run.stdout.contains("control-char"), "{}", run.stdout);
    assert_eq!(s.snapshot(), before);
    // A file that already holds one is reported where it is.
    let text = s.read("customers/cadence.md");
    s.write(
        "customers/cadence.md",
        format!("{text}\n## 2026-11-25 phone @amy\n\nbell\u{7}\n"),
    );
    let run = s.run(&["check"]).code(1);
    assert!(run.stdout.contains("error[control-char]"), "{}", run.stdout);
}

/// `new` without `--owner` takes the git user as `log` writes it on entries, so a rep's
/// customers and entries carry one spelling (`Li Wei` → `Li.Wei`).
#[test]
fn the_git_user_is_one_spelling_for_owner_and_author() {
    let s = Sandbox::new("due");
    for args in [
        &["init", "-q"][..],
        &["config", "user.name", "Li Wei"],
        &["config", "user.email", "li@example.com"],
    ] {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(s.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .unwrap();
        assert!(ok.success());
    }
    s.run(&["new", "Spelt Co", "--industry", "x", "--contact", "Wang"])
        .ok();
    s.run(&["log", "spelt-co", "-m", "Called."]).ok();
    let text = s.read("customers/spelt-co.md");
    assert!(text.contains("owner = \"Li.Wei\""), "{text}");
    assert!(text.contains("@Li.Wei"), "{text}");
}
