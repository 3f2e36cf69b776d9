//! `followup merge-driver BASE OURS THEIRS [PATH] [--base-label %S --ours-label %X
//! --theirs-label %Y]`: git's merge driver for customer files. Writes the merge into OURS; exits
//! 0 when clean, 1 when conflicts remain (marked in the file). A side that cannot be read as a
//! customer file falls back to `git merge-file`, which never drops text.

use crate::Output;
use crate::cli::MergeArgs;
use crate::engine::merge::{Labels, Merged, SideName, merge};
use crate::error::{Error, Result};
use crate::io::{git, store};

/// A label git really gave: git before 2.44 passes `%S`, `%X`, `%Y` through unexpanded.
fn given(label: Option<&String>) -> Option<String> {
    label
        .map(|l| l.trim().to_string())
        .filter(|l| !(l.is_empty() || l.len() == 2 && l.starts_with('%')))
}

pub fn run(args: &MergeArgs) -> Result<Output> {
    let read = |p: &std::path::Path| store::read_input(p, p);
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let name = args
        .path
        .clone()
        .unwrap_or_else(|| args.ours.display().to_string());
    let name = crate::present::render::clean(&name).into_owned();
    let mut labels = Labels {
        ours: SideName {
            name: given(args.ours_label.as_ref()),
            who: None,
        },
        theirs: SideName {
            name: given(args.theirs_label.as_ref()),
            who: None,
        },
    };
    let Some(mut merged) = merge(&base, &ours, &theirs, &labels) else {
        crate::present::render::say(&format!(
            "followup: {name} cannot be read as a customer file on every side; merging by lines instead"
        ));
        let clean = git::merge_file(
            &args.ours,
            &args.base,
            &args.theirs,
            ["ours", "base", "theirs"],
        )
        .map_err(Error::Refused)?;
        return Ok(Output {
            stdout: String::new(),
            code: u8::from(!clean),
            data: true,
        });
    };
    if !merged.conflicts.is_empty()
        && let (Some(base_rev), Some(path)) = (given(args.base_label.as_ref()), &args.path)
    {
        // Who wrote each side: the author of the side's last commit that changed the file, when
        // git names the commits (2.44 and later); else the engine names the entries' authors.
        // Git names commits `abc1234 (subject)`, a rebase's base `parent of abc1234 (subject)`.
        let rev = |label: &str| -> Option<String> {
            match label.strip_prefix("parent of ") {
                Some(rest) => Some(format!("{}^", rest.split_whitespace().next()?)),
                None => label.split_whitespace().next().map(str::to_string),
            }
        };
        let Some(base_rev) = rev(&base_rev) else {
            return finish(args, &name, &merged);
        };
        let who = |side: &SideName| git::last_author(&base_rev, &rev(side.name.as_deref()?)?, path);
        labels.ours.who = who(&labels.ours);
        labels.theirs.who = who(&labels.theirs);
        if labels.ours.who.is_some() || labels.theirs.who.is_some() {
            merged = merge(&base, &ours, &theirs, &labels).unwrap_or(merged);
        }
    }
    finish(args, &name, &merged)
}

/// Writes the merge over OURS and says what is left to settle.
fn finish(args: &MergeArgs, name: &str, merged: &Merged) -> Result<Output> {
    store::write_file(&args.ours, &merged.bytes)?;
    if !merged.conflicts.is_empty() {
        crate::present::render::say(&format!(
            "followup: {name}: both sides changed {} differently; marked for you to settle, then run `followup check {name}`",
            merged.conflicts.join("; ")
        ));
    }
    Ok(Output {
        stdout: String::new(),
        code: u8::from(!merged.conflicts.is_empty()),
        data: true,
    })
}
