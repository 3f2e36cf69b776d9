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
use crate::record::Unreadable;
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

/// Who writes, asked before any lock is taken: `--by`, else `git config user.name`.
pub fn writer(by: Option<&str>, root: &Path) -> Option<String> {
    by.map(str::to_string)
        .or_else(|| crate::git::user_name(root))
}

/// Author of a new entry: the writer, else the file's owner; one word (`li.wei`).
pub fn author(writer: Option<&str>, owner: Option<&str>) -> Option<String> {
    writer
        .or(owner)
        .map(str::to_string)
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join("."))
        .filter(|a| !a.is_empty())
}
