//! The floor of reading a folder the way GitHub renders it: every customer file read, its body
//! (after the closing `+++`) parsed by pulldown-cmark with GitHub's extensions, every event
//! visited and nothing done with it — on all cores, as `followup` reads. `bench/run.sh` times
//! it beside `cat` so the cost of the CommonMark parse itself is known apart from the tool's.
//! `cargo run --release --example parse_floor -- DIR` prints the number of events.

use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse_floor DIR");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    collect(&Path::new(&dir).join("customers"), &mut files);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let events: usize = files
        .par_iter()
        .map(|path| {
            let Ok(text) = std::fs::read_to_string(path) else {
                return 0;
            };
            let body = text
                .find("\n+++")
                .map_or(text.as_str(), |at| &text[at + 4..]);
            Parser::new_ext(body, options).into_offset_iter().count()
        })
        .sum();
    println!("{} files, {events} events", files.len());
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect(&path, out),
            Ok(t) if t.is_file() && path.extension().is_some_and(|x| x == "md") => out.push(path),
            _ => {}
        }
    }
}
