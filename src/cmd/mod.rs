//! One module per subcommand: each turns its checked arguments into an [`Output`].

pub mod agenda;
pub mod check;
pub mod done;
pub mod due;
pub mod export;
pub mod init;
pub mod list;
pub mod log;
pub mod merge;
pub mod new;
pub mod notify;
pub mod pipeline;
pub mod report;
pub mod set;
pub(crate) mod shared;
pub mod show;
pub mod stats;
pub mod sync;

use crate::cli::Command;
use crate::error::{Error, Result};
use crate::{Ctx, Output};

pub fn dispatch(command: Command, ctx: &Ctx) -> Result<Output> {
    match command {
        Command::Init(a) => init::run(&a, ctx),
        Command::New(a) => new::run(&a, ctx),
        Command::Log(a) => log::run(&a, ctx),
        Command::Due(a) => due::run(&a, ctx),
        Command::Agenda(a) => agenda::run(&a, ctx),
        Command::Export(c) => export::run(&c, ctx),
        Command::Notify(a) => notify::run(&a, ctx),
        Command::List(a) => list::run(&a, ctx),
        Command::Show(a) => show::run(&a, ctx),
        Command::Set(a) => set::run(&a, ctx),
        Command::Done(a) => done::run(&a, ctx),
        Command::Check(a) => check::run(&a, ctx),
        Command::Stats(a) => stats::run(&a, ctx),
        Command::Sync(a) => sync::run(&a, ctx),
        Command::Pipeline(a) => pipeline::run(&a, ctx),
        Command::Report(a) => report::run(&a, ctx),
        Command::MergeDriver(a) => merge::run(&a),
        Command::Completions(a) => Ok(Output::data(completions(a.shell))),
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
    Ok(Output::data(String::from_utf8_lossy(&out).into_owned()))
}
