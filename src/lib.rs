//! followup: a sales team's customer follow-ups in plain text — one Markdown file per customer
//! (TOML front matter for the profile and plan, an append-only log for every contact), shared
//! through git. The library holds the pure logic; [`run`] is the whole command-line program.

mod cli;
mod cmd;
mod engine;
mod error;
mod io;
mod model;
mod msg;
mod present;
#[cfg(test)]
mod robustness;
pub mod synth;

use chrono::NaiveDate;
use clap::Parser;
use error::{Error, Result};
use io::store::{self, Store};
use model::config::{self, Lang};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// What a command leaves for the user: text for stdout and an exit code.
#[derive(Debug, Default)]
pub(crate) struct Output {
    pub stdout: String,
    pub code: u8,
    /// Data for programs (JSON, CSV, a completion script, a man page): printed exactly into a
    /// pipe or a file, made safe when stdout is a terminal. Text for people is always made safe
    /// for the terminal before it is printed.
    pub data: bool,
}

impl Output {
    /// Text for people.
    pub fn text(stdout: String) -> Output {
        Output {
            stdout,
            code: 0,
            data: false,
        }
    }

    /// Data for programs, printed byte for byte.
    pub fn data(stdout: String) -> Output {
        Output {
            stdout,
            code: 0,
            data: true,
        }
    }
}

/// Everything a command needs from the outside world, read once at the edge.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub today: NaiveDate,
    pub json: bool,
    /// CSV asked for (`--csv` or `--format csv` on a command that writes it).
    pub csv: bool,
    pub color: bool,
    pub reveal: bool,
    pub lang_override: Option<Lang>,
    /// A person is at a terminal and prompting is allowed.
    pub interactive: bool,
    /// `-C DIR` / FOLLOWUP_DIR, else the working directory.
    pub start: PathBuf,
    /// Columns to wrap tables to: `COLUMNS`, else the terminal's width; `None` (no wrapping)
    /// when the output is not a terminal.
    pub width: Option<u16>,
    /// Warnings the command's reading found, printed after it.
    pub warnings: store::Warnings,
    /// FOLLOWUP_FULL_PARSE=1: read every file in full even where a summary would do (the
    /// straightforward path, kept to prove the fast one gives the same output).
    pub full_parse: bool,
    /// Milliseconds since the Unix epoch, for webhook signatures: FOLLOWUP_NOW_MS (tests pin
    /// it), else the clock.
    pub now_ms: i64,
}

impl Ctx {
    /// Opens the sales folder found from `-C`, FOLLOWUP_DIR or the working directory.
    pub fn store(&self) -> Result<Store> {
        let mut store = Store::open(store::find_root(&self.start)?, self.warnings.clone())?;
        store.full_parse = self.full_parse;
        store.lang = self.lang(&store);
        Ok(store)
    }

    pub fn lang(&self, store: &Store) -> Lang {
        self.lang_override.unwrap_or(store.config.lang)
    }
}

/// Runs the program with these arguments; returns the exit code (0, 1 or 2).
pub fn run(args: impl IntoIterator<Item = OsString>) -> u8 {
    let args: Vec<OsString> = args.into_iter().collect();
    let cli = match cli::Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            match usage_error_zh(&e, &args) {
                Some(line) => eprintln!("{}", present::render::terminal_safe(&line, false)),
                None => {
                    let _ = e.print();
                }
            }
            return code;
        }
    };
    let ctx = context(&cli.global);
    let lang = ctx.as_ref().map_or(Lang::En, error_lang);
    let color = ctx.as_ref().is_ok_and(|c| c.color);
    let result = ctx.and_then(|ctx| {
        let result = cmd::dispatch(cli.command, &ctx);
        if let Ok(warnings) = ctx.warnings.lock() {
            for w in warnings.iter() {
                present::render::warn(w, lang);
            }
        }
        result
    });
    match result {
        Ok(out) => {
            // Data goes to programs byte for byte; shown on a terminal (`list --csv` typed at
            // the prompt), it is made safe like text, as its cells come from files.
            let text = if out.data && !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                out.stdout
            } else if out.data {
                present::render::terminal_safe(&out.stdout, false)
            } else {
                present::render::terminal_safe(&out.stdout, color)
            };
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A closed pipe (`followup list | head`) is not a failure.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    let e = msg::m::E_WRITE_OUTPUT.with("detail", e);
                    eprintln!("{}", Error::Text(e).line(lang));
                    2
                }
                _ => out.code,
            }
        }
        Err(e) => {
            eprintln!("{}", present::render::terminal_safe(&e.line(lang), false));
            2
        }
    }
}

/// A command-line mistake as one Chinese sentence, when the session speaks Chinese (`--lang
/// zh`, or `lang = "zh"` in the folder found from `-C`/FOLLOWUP_DIR/the working directory);
/// `None` leaves clap's English message (and help, version) as it is.
fn usage_error_zh(e: &clap::Error, args: &[OsString]) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if !e.use_stderr() {
        return None;
    }
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let after = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
            .or_else(|| {
                args.iter()
                    .find_map(|a| a.strip_prefix(&format!("{flag}=")).map(str::to_string))
            })
    };
    let lang = match after("--lang").and_then(|l| Lang::parse(&l)) {
        Some(l) => l,
        None => {
            let start = after("-C")
                .or_else(|| after("--dir"))
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("FOLLOWUP_DIR").map(PathBuf::from))
                .or_else(|| std::env::current_dir().ok())?;
            store::find_root(&start)
                .ok()
                .and_then(|root| store::read_config_text(&root).ok().flatten())
                .and_then(|text| config::Config::parse(&text).ok())
                .map_or(Lang::En, |c| c.lang)
        }
    };
    if lang != Lang::Zh {
        return None;
    }
    let get = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join("、")),
        _ => None,
    };
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let text = match e.kind() {
        ErrorKind::UnknownArgument => msg::m::CLAP_UNKNOWN_ARG.with("arg", arg),
        ErrorKind::InvalidSubcommand => msg::m::CLAP_UNKNOWN_COMMAND.with(
            "command",
            get(ContextKind::InvalidSubcommand).unwrap_or_default(),
        ),
        ErrorKind::InvalidValue => msg::m::CLAP_INVALID_VALUE
            .with("arg", arg)
            .with("value", get(ContextKind::InvalidValue).unwrap_or_default())
            .with("valid", get(ContextKind::ValidValue).unwrap_or_default()),
        ErrorKind::MissingRequiredArgument => msg::m::CLAP_MISSING.with("arg", arg),
        ErrorKind::ArgumentConflict => msg::m::CLAP_CONFLICT
            .with("arg", arg)
            .with("other", get(ContextKind::PriorArg).unwrap_or_default()),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            msg::m::CLAP_NO_COMMAND.into()
        }
        _ => msg::m::CLAP_OTHER.with("detail", e.kind()),
    };
    Some(Error::Text(text).line(Lang::Zh))
}

/// The language for an error: `--lang`, else the folder's followup.toml, else English.
fn error_lang(ctx: &Ctx) -> Lang {
    ctx.lang_override.unwrap_or_else(|| {
        store::find_root(&ctx.start)
            .ok()
            .and_then(|root| store::read_config_text(&root).ok().flatten())
            .and_then(|text| config::Config::parse(&text).ok())
            .map_or(Lang::En, |c| c.lang)
    })
}

/// The clock in milliseconds, or FOLLOWUP_NOW_MS when set (reproducible signatures in tests).
fn now_ms() -> Result<i64> {
    match std::env::var("FOLLOWUP_NOW_MS") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .map_err(|_| Error::Text(msg::m::E_NOW_MS.with("value", &v))),
        _ => Ok(chrono::Utc::now().timestamp_millis()),
    }
}

fn context(g: &cli::GlobalArgs) -> Result<Ctx> {
    let today = match &g.today {
        Some(t) => model::dates::parse_iso(t)
            .ok_or_else(|| Error::Text(msg::m::E_TODAY.with("value", t)))?,
        None => chrono::Local::now().date_naive(),
    };
    let lang_override = match &g.lang {
        Some(l) => {
            Some(Lang::parse(l).ok_or_else(|| Error::Text(msg::m::E_LANG.with("value", l)))?)
        }
        None => None,
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match g.color {
        cli::ColorChoice::Always => true,
        cli::ColorChoice::Never => false,
        cli::ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
    };
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", &e))?;
    let start = match &g.dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => cwd.join(d),
        None => cwd,
    };
    Ok(Ctx {
        today,
        json: g.json,
        csv: false,
        color,
        reveal: g.reveal,
        lang_override,
        interactive: !g.no_input
            && std::io::stdin().is_terminal()
            && std::io::stderr().is_terminal(),
        start,
        full_parse: std::env::var_os("FOLLOWUP_FULL_PARSE").is_some_and(|v| v == "1"),
        now_ms: now_ms()?,
        warnings: store::Warnings::default(),
        width: std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|w| *w >= 20)
            .or_else(|| {
                std::io::stdout()
                    .is_terminal()
                    .then(|| terminal_size::terminal_size().map(|(w, _)| w.0))
                    .flatten()
            }),
    })
}
