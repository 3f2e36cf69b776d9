//! One module per subcommand: each turns its checked arguments into an [`Output`].

pub mod check;
pub mod done;
pub mod due;
pub mod init;
pub mod list;
pub mod log;
pub mod merge;
pub mod new;
pub mod set;
pub mod show;
pub mod stats;

use crate::cli::Command;
use crate::error::{Error, Result};
use crate::model::config::Config;
use crate::model::diagnostic::Severity;
use crate::model::document::Document;
use crate::model::record::{Record, Unreadable, parse_document};
use crate::{Ctx, Output};
use std::path::Path;

pub fn dispatch(command: Command, ctx: &Ctx) -> Result<Output> {
    match command {
        Command::Init(a) => init::run(&a, ctx),
        Command::New(a) => new::run(&a, ctx),
        Command::Log(a) => log::run(&a, ctx),
        Command::Due(a) => due::run(&a, ctx),
        Command::List(a) => list::run(&a, ctx),
        Command::Show(a) => show::run(&a, ctx),
        Command::Set(a) => set::run(&a, ctx),
        Command::Done(a) => done::run(&a, ctx),
        Command::Check(a) => check::run(&a, ctx),
        Command::Stats(a) => stats::run(&a, ctx),
        Command::MergeDriver(a) => merge::run(&a),
        Command::Completions(a) => Ok(Output::text(completions(a.shell))),
        Command::Man => man(),
    }
}

fn completions(shell: clap_complete::Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(
        shell,
        &mut <crate::cli::Cli as clap::CommandFactory>::command(),
        "followup",
        &mut out,
    );
    String::from_utf8_lossy(&out).into_owned()
}

fn man() -> Result<Output> {
    let mut out = Vec::new();
    clap_mangen::Man::new(<crate::cli::Cli as clap::CommandFactory>::command())
        .render(&mut out)
        .map_err(|e| Error::Refused(format!("cannot render the man page: {e}")))?;
    Ok(Output::text(String::from_utf8_lossy(&out).into_owned()))
}

/// The error for a file a command must read but cannot parse: file, line, what to do.
pub fn unreadable(u: &Unreadable, writing: bool) -> Error {
    let d = u.first();
    Error::Parse {
        path: u.path.clone(),
        line: d.line,
        message: if writing {
            format!("{}; nothing was written", d.message)
        } else {
            d.message.clone()
        },
        hint: Some(d.hint.clone().map_or_else(
            || "run `followup check` for details".into(),
            |h| format!("{h}, then run `followup check`"),
        )),
    }
}

/// The last guard before any write: the edited document must read back as a customer file,
/// with `before`'s entries plus `added`, and without an error `before` did not have. Returns
/// the bytes to write and the record they read back as.
pub fn verified(
    rel: &Path,
    before: &Record,
    after: &Document,
    added: usize,
    config: &Config,
) -> Result<(Vec<u8>, Record)> {
    let refuse =
        |why: String| Error::Refused(format!("{}: {why}; nothing was written", rel.display()));
    let bytes = after.to_bytes();
    let (record, _) = parse_document(rel.to_path_buf(), &bytes, config).map_err(|u| {
        refuse(format!(
            "the change would leave the file unreadable ({})",
            u.first().message
        ))
    })?;
    if record.entries.len() != before.entries.len() + added {
        return Err(refuse(format!(
            "the change would not read back with {added} new entr{}",
            if added == 1 { "y" } else { "ies" }
        )));
    }
    let new_error = record.diagnostics.iter().find(|d| {
        d.severity == Severity::Error
            && !before
                .diagnostics
                .iter()
                .any(|o| o.code == d.code && o.message == d.message)
    });
    if let Some(d) = new_error {
        return Err(refuse(d.message.clone()));
    }
    Ok((bytes, record))
}

/// Who writes, asked before any lock is taken: `--by`, else `git config user.name`.
pub fn writer(by: Option<&str>, root: &Path) -> Option<String> {
    by.map(str::to_string)
        .or_else(|| crate::io::git::user_name(root))
}

/// Author of a new entry: the writer, else the file's owner; one word (`li.wei`).
pub fn author(writer: Option<&str>, owner: Option<&str>) -> Option<String> {
    writer
        .or(owner)
        .map(str::to_string)
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join("."))
        .filter(|a| !a.is_empty())
}
