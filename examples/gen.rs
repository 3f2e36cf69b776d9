//! Generates a realistic synthetic sales folder for benchmarks, reproducibly (same arguments,
//! same bytes): `cargo run --release --example gen -- --customers 10000 --entries 30 DIR`.
//! Options: `--seed N` (default 1), `--today YYYY-MM-DD` (default 2026-11-26; entries end there).

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut customers, mut entries, mut seed, mut today, mut dir) =
        (1000usize, 30usize, 1u64, "2026-11-26".to_string(), None);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--customers" => customers = value().parse().expect("a number"),
            "--entries" => entries = value().parse().expect("a number"),
            "--seed" => seed = value().parse().expect("a number"),
            "--today" => today = value(),
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let dir = dir.expect("usage: gen [--customers N] [--entries N] [--seed N] [--today DATE] DIR");
    if let Err(e) = followup::synth::generate(&dir, customers, entries, seed, &today) {
        eprintln!("gen: {}: {e}", dir.display());
        std::process::exit(2);
    }
    eprintln!(
        "generated {customers} customers x {entries} entries in {}",
        dir.display()
    );
}
