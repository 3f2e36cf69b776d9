//! The read cache never changes an answer: over seeded random sequences of edits, additions,
//! deletions and renames — some within the same second as the cache's making, some keeping the
//! file's size and modification time — every reading command prints exactly what it prints
//! with the cache turned off (FOLLOWUP_NO_CACHE=1).

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A small seeded generator (xorshift), so a failure can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const COMMANDS: [&[&str]; 10] = [
    &["due", "--json", "--within", "7d"],
    &["check"],
    &["check", "--json", "--deny-warnings"],
    &["stats"],
    &["stats", "--by", "owner", "--period", "all", "--json"],
    &["list", "--json"],
    &[
        "stats",
        "--json",
        "--period",
        "month",
        "--since",
        "2026-01-01",
    ],
    &["pipeline", "--json"],
    &["agenda", "--json", "--days", "14"],
    &["due"],
];

fn customer_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("customers")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else if e.path().extension().is_some_and(|x| x == "md") {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// Every command's output with the cache (twice: filling it, then using it) equals its
/// output without.
fn assert_same(s: &Sandbox, step: &str, seed: u64) {
    for args in COMMANDS {
        let plain = finish(
            followup(s.path())
                .env("FOLLOWUP_NO_CACHE", "1")
                .arg("--today")
                .arg(TODAY)
                .args(args),
        );
        for round in ["fills", "uses"] {
            let cached = finish(followup(s.path()).arg("--today").arg(TODAY).args(args));
            assert_eq!(
                (cached.code, &cached.stdout, &cached.stderr),
                (plain.code, &plain.stdout, &plain.stderr),
                "seed {seed}, after {step}: `{}` differs when the cache {round}",
                args.join(" ")
            );
        }
    }
}

/// Replaces one character of the file's text with another of the same length, then puts the
/// modification time back: only the change time (and the content) tell.
fn same_size_same_mtime_edit(path: &Path) -> bool {
    let text = std::fs::read_to_string(path).unwrap();
    let mtime = std::fs::metadata(path).unwrap().modified().unwrap();
    let swapped = if text.contains("phone") {
        text.replacen("phone", "email", 1)
    } else if text.contains("email") {
        text.replacen("email", "phone", 1)
    } else {
        return false;
    };
    std::fs::write(path, swapped).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(mtime).unwrap();
    true
}

#[test]
fn every_command_prints_the_same_with_and_without_the_cache() {
    let seed: u64 = std::env::var("FOLLOWUP_CACHE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_126);
    let steps: usize = std::env::var("FOLLOWUP_CACHE_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let s = Sandbox::demo();
    let mut rng = Rng(seed | 1);
    settle(); // so that the unchanged files are read from the cache from the first step on
    assert_same(&s, "the start", seed);
    for step in 0..steps {
        let files = customer_files(s.path());
        let file = files[rng.below(files.len())].clone();
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let what = match rng.below(6) {
            0 => {
                // A logged call, right after the last run: within the same second.
                let outcome = ["reached", "no-answer", "busy"][rng.below(3)];
                s.run(&[
                    "log",
                    &format!("customers/{}", rel(&s, &file)),
                    "--outcome",
                    outcome,
                    "--by",
                    "rep",
                ])
                .ok();
                format!("log {stem} {outcome}")
            }
            1 => {
                if !same_size_same_mtime_edit(&file) {
                    continue;
                }
                format!("same-size edit of {stem} with its mtime put back")
            }
            2 => {
                let copy = file.with_file_name(format!("copy-{step}.md"));
                let text = std::fs::read_to_string(&file).unwrap().replacen(
                    "name = \"",
                    &format!("name = \"Copy {step} of "),
                    1,
                );
                std::fs::write(&copy, text).unwrap();
                format!("add a copy of {stem}")
            }
            3 if files.len() > 8 => {
                std::fs::remove_file(&file).unwrap();
                format!("delete {stem}")
            }
            4 => {
                let to = file.with_file_name(format!("renamed-{step}.md"));
                std::fs::rename(&file, &to).unwrap();
                format!("rename {stem}")
            }
            _ => {
                // A stage change written by hand, and a file touched into the future.
                let text = std::fs::read_to_string(&file).unwrap();
                let edited = if text.contains("stage = \"intent\"") {
                    text.replacen("stage = \"intent\"", "stage = \"potential\"", 1)
                } else {
                    text.replacen("priority = \"", "priority = \"high\" # was \"", 1)
                };
                std::fs::write(&file, edited).unwrap();
                let later = SystemTime::now() + Duration::from_secs(3600);
                let f = std::fs::File::options().write(true).open(&file).unwrap();
                f.set_modified(later).unwrap();
                format!("hand edit of {stem}, mtime in the future")
            }
        };
        assert_same(&s, &format!("step {step}: {what}"), seed);
    }
    eprintln!("seed {seed}: {steps} steps, all commands equal with and without the cache");
}

/// Waits until the files written so far are out of the cache's racy window (a file changed
/// within two seconds of the cache's making is always read again), so the next runs use it.
fn settle() {
    std::thread::sleep(Duration::from_millis(2100));
}

fn rel(s: &Sandbox, path: &Path) -> String {
    path.strip_prefix(s.path().join("customers"))
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// `check`'s findings are cached with what else they depend on: today's date (an entry dated
/// after today is a warning, and stops being one when that day comes) and whether a private
/// overlay is in use (a confidential value in a shared file is a warning only then).
#[test]
fn check_findings_are_not_reused_on_another_day_nor_once_an_overlay_exists() {
    let s = Sandbox::demo();
    let settings = s.read("followup.toml");
    s.write(
        "followup.toml",
        format!("confidential = [\"contact.phone\"]\n{settings}"),
    );
    let acme = s.read("customers/acme-manufacturing.md");
    s.write(
        "customers/acme-manufacturing.md",
        format!("{acme}\n## 2026-12-01 phone\n\nBooked ahead.\n"),
    );
    let codes = |today: &str| -> Vec<String> {
        let run = finish(followup(s.path()).args(["--today", today, "check", "--json"]));
        run.json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    let has = |codes: Vec<String>, code: &str| codes.iter().any(|c| c == code);
    settle();
    // Twice on each day: the second run of a day reads the cache.
    for _ in 0..2 {
        assert!(has(codes("2026-11-26"), "future-entry"));
    }
    for _ in 0..2 {
        assert!(!has(codes("2026-12-02"), "future-entry"));
    }
    // The phone is confidential, but with no overlay there is nowhere else to keep it.
    assert!(!has(codes("2026-12-02"), "confidential-in-shared"));
    s.write("followup.private.toml", "");
    assert!(has(codes("2026-12-02"), "confidential-in-shared"));
}
