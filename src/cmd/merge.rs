//! `followup merge-driver BASE OURS THEIRS [PATH]`: git's merge driver for customer files.
//! Writes the merge into OURS; exits 0 when clean, 1 when conflicts remain (marked in the file).
//! A side that cannot be parsed falls back to `git merge-file`, which never drops text.

use crate::Output;
use crate::cli::MergeArgs;
use crate::engine::merge::merge;
use crate::error::{Error, Result};
use crate::io::store;
use std::process::Command;

pub fn run(args: &MergeArgs) -> Result<Output> {
    let read = |p: &std::path::Path| std::fs::read(p).map_err(|e| Error::io(p, &e));
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let name = args
        .path
        .clone()
        .unwrap_or_else(|| args.ours.display().to_string());
    match merge(&base, &ours, &theirs) {
        Some(merged) => {
            store::write_atomic(&args.ours, &merged.bytes)
                .map_err(|e| Error::io(&args.ours, &e))?;
            if merged.conflicts > 0 {
                eprintln!(
                    "followup: {name}: {} conflict(s) marked; resolve them, then run `followup check {name}`",
                    merged.conflicts
                );
            }
            Ok(Output {
                stdout: String::new(),
                code: u8::from(merged.conflicts > 0),
            })
        }
        None => {
            eprintln!(
                "followup: {name} cannot be read as a customer file; falling back to git's line merge"
            );
            let status = Command::new("git")
                .args(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs"])
                .arg(&args.ours)
                .arg(&args.base)
                .arg(&args.theirs)
                .status()
                .map_err(|e| Error::Refused(format!("cannot run `git merge-file`: {e}")))?;
            Ok(Output {
                stdout: String::new(),
                code: u8::from(!status.success()),
            })
        }
    }
}
