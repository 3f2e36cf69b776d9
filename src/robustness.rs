//! Property tests: arbitrary and mutated input never panics any parser entry point — the
//! document splitter, the customer and log readers, `check`'s rules, the editor, the merge
//! driver, date and duration arguments, followup.toml and the private overlay.

use crate::engine::check::entry_diagnostics;
use crate::model::config::Config;
use crate::model::edit::{Change, apply};
use crate::model::record::parse_document;
use chrono::NaiveDate;
use proptest::prelude::*;
use std::path::PathBuf;

const SEED: &str = "\u{feff}+++\r\nname = \"华东 Acme\"\r\nstage = \"意向\" # c\r\nstatus = \"paused\"\r\npriority = \"高\"\r\ncreated = 2024-01-01\r\nsize = { employees = 8 }\r\n[contact]\r\nname = \"W\"\r\nphone = \"+86 1\"\r\n[[decision_chain]]\r\nrole = \"boss\"\r\n[next]\r\naction = \"follow up\"\r\ndue = \"2024-01-24\"\r\n+++\r\n\r\n# A\r\n\r\n## 2024-01-05 10:30 电话 @li\r\n\r\nText.\r\n\r\n- 异议: price — 分期\r\n- stage: 潜在 -> 意向\r\n- [ ] promised: x (due 2024-01-12)\r\n- 结果: 未接\r\n\r\n```\r\n## 2024-02-01 phone\r\n```\r\n## 2024-13-01 fax\r\n## Notes\r\n";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// Exercises every reader on `bytes`; the test is that none of this panics.
fn read_everything(bytes: &[u8]) {
    let config = Config::default();
    match parse_document(PathBuf::from("customers/x.md"), bytes, &config) {
        Ok((record, doc)) => {
            let _ = entry_diagnostics(&record, &config, today());
            let _ = crate::engine::due::reasons(
                &crate::model::summary::Summary::of(&record),
                &config,
                today(),
            );
            let _ = crate::model::record::parse_summary(PathBuf::from("x.md"), bytes, &config);
            let _ = crate::engine::stats::stage_at_line(&record, &config, today());
            let _ = record.unanswered_streak_by(today());
            let changes = [
                Change::Set("next.due".into(), crate::model::edit::date_value(today())),
                Change::Set("stage".into(), "won".into()),
                Change::Remove("contact.phone".into()),
            ];
            if let Ok(edited) = apply(&doc, &changes) {
                let _ = parse_document(PathBuf::from("x.md"), &edited.to_bytes(), &config);
            }
        }
        Err(u) => {
            if let Some(p) = u.partial {
                let _ = entry_diagnostics(&p, &config, today());
            }
        }
    }
    let labels = crate::engine::merge::Labels::default();
    let _ = crate::engine::merge::merge(SEED.as_bytes(), bytes, SEED.as_bytes(), &labels);
    let _ = crate::engine::merge::merge(bytes, SEED.as_bytes(), bytes, &labels);
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = crate::engine::merge::describe_conflicts(text);
        let _ = crate::engine::merge::resolve_markers(text, true);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = crate::model::reader::split_blocks(text);
        let _ = crate::model::dates::parse_date_arg(text, today());
        let _ = crate::model::dates::Duration::parse(text);
        let _ = Config::parse(text);
        let _ = crate::io::overlay::Overlay::parse(text);
        let _ = crate::model::schema::parse_assignment(text, &config, today());
    }
}

/// A valid file with a few bytes inserted, deleted or replaced.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec((0usize..SEED.len(), 0u8..3, any::<u8>(), 0usize..4), 1..8);
    edits.prop_map(|edits| {
        let mut bytes = SEED.as_bytes().to_vec();
        for (at, kind, byte, len) in edits {
            let at = at.min(bytes.len());
            match kind {
                0 => bytes.insert(at, byte),
                1 => {
                    let end = (at + len).min(bytes.len());
                    bytes.drain(at..end);
                }
                _ => {
                    if at < bytes.len() {
                        bytes[at] = byte;
                    }
                }
            }
        }
        bytes
    })
}

/// Text built from the format's own pieces, so the parsers go deep.
fn structured() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "+++\n",
        "+++\r\n",
        "\u{feff}",
        "name = \"x\"\n",
        "stage = \"",
        "\"\n",
        "[next]\n",
        "due = 2024-01-0",
        "[[decision_chain]]\n",
        "## 2024-01-01 phone @a\n",
        "## 2024-1",
        "- [ ] promised: ",
        "(due ",
        ")\n",
        "- stage: a -> ",
        "→",
        "```\n",
        "<<<<<<< ours\n",
        "=======\n",
        "- outcome: no-answer\n",
        "# T\n",
        "\n",
        "\r\n",
        "：",
        "{",
        "}",
        "= ",
        "中文",
        "\t",
    ]);
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(5000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        read_everything(&bytes);
    }

    #[test]
    fn mutated_files_never_panic(bytes in mutated()) {
        read_everything(&bytes);
    }

    #[test]
    fn structured_text_never_panics(text in structured()) {
        read_everything(text.as_bytes());
    }
}
