//! Typed errors that carry what their one-sentence message needs (file, line, what to do),
//! so that every failure reaches the user as a clear line on stderr and exit code 2. Every
//! sentence comes from the message catalogue (`crate::msg::m`) and is rendered in the team's
//! language when it is printed (`Error::line`); `Display` is English.

use crate::model::config::Lang;
use crate::msg::{Text, m};
use std::path::PathBuf;

#[derive(Debug)]
pub enum Error {
    /// A bad command-line value or a refused command: one sentence from the catalogue.
    Text(Text),

    /// Kept for code written before the catalogue (branches in flight): the sentence as it
    /// is, untranslated. New code builds an [`Error::Text`].
    #[allow(dead_code)]
    Usage(String),
    /// As [`Error::Usage`].
    Refused(String),

    NoRoot {
        start: PathBuf,
    },

    Io {
        path: PathBuf,
        message: Text,
    },

    /// A file that cannot be read as a customer file (or a broken followup.toml).
    Parse {
        path: PathBuf,
        line: usize,
        message: Text,
        hint: Option<Text>,
    },

    UnknownCustomer {
        query: String,
        candidates: Vec<String>,
    },

    AmbiguousCustomer {
        query: String,
        candidates: Vec<String>,
    },
}

impl From<Text> for Error {
    fn from(text: Text) -> Error {
        Error::Text(text)
    }
}

impl From<crate::msg::Msg> for Error {
    fn from(msg: crate::msg::Msg) -> Error {
        Error::Text(msg.into())
    }
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, err: &std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            message: describe_io(err),
        }
    }

    /// The sentence, without the `error:` lead, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        self.text().render(lang)
    }

    /// The sentence as a message of the catalogue, to be rendered (or put into another
    /// message) when the language is known.
    pub fn text(&self) -> Text {
        match self {
            Error::Text(t) => t.clone(),
            Error::Usage(s) | Error::Refused(s) => Text::raw(s.clone()),
            Error::NoRoot { start } => m::ERR_NO_ROOT.with("dir", start.display()),
            Error::Io { path, message } => m::ERR_AT_FILE
                .with("file", path.display())
                .with_text("message", message.clone()),
            Error::Parse {
                path,
                line,
                message,
                hint,
            } => {
                let at = m::ERR_AT_LINE
                    .with("file", path.display())
                    .with("line", line)
                    .with_text("message", message.clone());
                match hint {
                    Some(h) => m::MESSAGE_HINT
                        .with_text("message", at)
                        .with_text("hint", h.clone()),
                    None => at,
                }
            }
            Error::UnknownCustomer { query, candidates } if candidates.is_empty() => {
                m::ERR_NO_CUSTOMER.with("query", query)
            }
            Error::UnknownCustomer { query, candidates } => m::ERR_NO_CUSTOMER_MEAN
                .with("query", query)
                .with_list("candidates", candidates),
            Error::AmbiguousCustomer { query, candidates } => m::ERR_AMBIGUOUS_CUSTOMER
                .with("query", query)
                .with_list("candidates", candidates),
        }
    }

    /// The one line printed on stderr, in the team's language: `error: …` / `错误：…`.
    pub fn line(&self, lang: Lang) -> String {
        m::ERROR_LINE
            .with("message", self.message(lang))
            .render(lang)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for Error {}

/// Why a file could not be read or written, and what to do.
pub fn describe_io(err: &std::io::Error) -> Text {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => m::IO_NOT_FOUND.into(),
        ErrorKind::PermissionDenied => m::IO_PERMISSION.into(),
        _ => m::IO_OTHER.with("detail", err),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
