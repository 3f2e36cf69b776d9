//! One module per subcommand: each turns its checked arguments into an [`Output`]. Commands
//! never import each other: what two of them need lives in `shared`. `export_tables` and
//! `import_plan` are not commands but the second files of `export` and `import`.

pub mod agenda;
pub mod check;
pub mod done;
pub mod due;
pub mod export;
pub(crate) mod export_tables;
pub mod import;
pub(crate) mod import_plan;
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
use crate::cmd::shared::one_format;
use crate::error::Result;
use crate::{Ctx, Output};

pub fn dispatch(command: Command, ctx: &Ctx) -> Result<Output> {
    match command {
        Command::Init(a) => init::run(&a, ctx),
        Command::New(a) => new::run(&a, &with_json(ctx, &a.output)?),
        Command::Log(a) => log::run(&a, &with_json(ctx, &a.output)?),
        Command::Due(a) => due::run(&a, &revealed(&with_csv(ctx, &a.output)?, &a.reveal)),
        Command::Agenda(a) => agenda::run(&a, &revealed(&with_json(ctx, &a.output)?, &a.reveal)),
        Command::Export(c) => {
            use crate::cli::ExportCommand as E;
            let reveal = match &c {
                E::Ics(a) => &a.reveal,
                E::Sqlite(a) => &a.reveal,
                E::Csv(a) => &a.reveal,
            };
            export::run(&c, &revealed(ctx, reveal))
        }
        Command::Import(a) => import::run(&a, &with_json(ctx, &a.output)?),
        Command::Notify(a) => notify::run(&a, ctx),
        Command::List(a) => list::run(&a, &revealed(&with_csv(ctx, &a.output)?, &a.reveal)),
        Command::Show(a) => show::run(&a, &revealed(&with_json(ctx, &a.output)?, &a.reveal)),
        Command::Set(a) => set::run(&a, &revealed(&with_json(ctx, &a.output)?, &a.reveal)),
        Command::Done(a) => done::run(&a, &with_json(ctx, &a.output)?),
        Command::Check(a) => check::run(&a, &revealed(&with_json(ctx, &a.output)?, &a.reveal)),
        Command::Stats(a) => stats::run(&a, &revealed(ctx, &a.reveal)),
        Command::Sync(a) => sync::run(&a, &with_json(ctx, &a.output)?),
        Command::Pipeline(a) => pipeline::run(&a, &revealed(&with_csv(ctx, &a.output)?, &a.reveal)),
        Command::Report(a) => report::run(&a, &revealed(&with_json(ctx, &a.output)?, &a.reveal)),
        Command::MergeDriver(a) => merge::run(&a),
        Command::Completions(a) => Ok(Output::data(completions(a.shell))),
        Command::Man => man(),
    }
}

/// The output a command with `--format table|json|csv` (or `--json`/`--csv`) asks for, with
/// the top-level `followup --json CMD` kept working; two different answers are an error.
pub(crate) fn with_csv(ctx: &Ctx, o: &crate::cli::TableJsonCsv) -> Result<Ctx> {
    let asked = [
        o.format.as_deref(),
        o.json.then_some("json"),
        o.csv.then_some("csv"),
        ctx.json.then_some("json"),
    ];
    let format = one_format(&asked)?;
    let mut ctx = ctx.clone();
    ctx.json = format == "json";
    ctx.csv = format == "csv";
    Ok(ctx)
}

/// As [`with_csv`], for a command that prints a table (or text) or JSON.
pub(crate) fn with_json(ctx: &Ctx, o: &crate::cli::TableJson) -> Result<Ctx> {
    let asked = [
        o.format.as_deref(),
        o.json.then_some("json"),
        ctx.json.then_some("json"),
    ];
    let format = one_format(&asked)?;
    let mut ctx = ctx.clone();
    ctx.json = format == "json";
    Ok(ctx)
}

/// `--reveal` given to the command (or before it).
fn revealed(ctx: &Ctx, r: &crate::cli::Reveal) -> Ctx {
    let mut ctx = ctx.clone();
    ctx.reveal |= r.reveal;
    ctx
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
        .map_err(|e| crate::msg::m::E_MAN.with("detail", e))?;
    Ok(Output::data(String::from_utf8_lossy(&out).into_owned()))
}
