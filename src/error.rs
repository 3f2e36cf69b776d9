//! Typed errors that carry what their one-sentence message needs (file, line, what to do),
//! so that every failure reaches the user as a clear line on stderr and exit code 2.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A bad command-line value.
    #[error("{0}")]
    Usage(String),

    #[error(
        "no followup.toml found in {} or any folder above it; run `followup init` to create a sales folder, or pass -C DIR",
        start.display()
    )]
    NoRoot { start: PathBuf },

    #[error("{}: {message}", path.display())]
    Io { path: PathBuf, message: String },

    /// A file that cannot be read as a customer file (or a broken followup.toml).
    #[error("{}:{line}: {message}{}", path.display(), hint.as_ref().map(|h| format!("; {h}")).unwrap_or_default())]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
        hint: Option<String>,
    },

    #[error(
        "no customer matches `{query}`{}",
        list_candidates(candidates, "did you mean")
    )]
    UnknownCustomer {
        query: String,
        candidates: Vec<String>,
    },

    #[error(
        "`{query}` matches several customers{}; name one of them exactly",
        list_candidates(candidates, "")
    )]
    AmbiguousCustomer {
        query: String,
        candidates: Vec<String>,
    },

    /// A command that cannot go on, with the reason and what to do.
    #[error("{0}")]
    Refused(String),
}

fn list_candidates(candidates: &[String], lead: &str) -> String {
    if candidates.is_empty() {
        return "; run `followup list` to see the customers".to_string();
    }
    let lead = if lead.is_empty() {
        String::new()
    } else {
        format!("{lead} ")
    };
    format!(": {lead}{}", candidates.join(", "))
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, err: &std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            message: describe_io(err),
        }
    }
}

fn describe_io(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file or folder".to_string(),
        ErrorKind::PermissionDenied => {
            "permission denied; check the file's permissions".to_string()
        }
        _ => err.to_string(),
    }
}

impl Error {
    /// The one line printed on stderr, in the team's language. The common errors are fully
    /// translated; others keep their English details behind the Chinese label.
    pub fn line(&self, lang: crate::model::config::Lang) -> String {
        use crate::model::config::Lang;
        match (lang, self) {
            (Lang::En, e) => format!("error: {e}"),
            (Lang::Zh, Error::NoRoot { start }) => format!(
                "错误：在 {} 及其上级目录中找不到 followup.toml；运行 `followup init` 新建销售目录，或用 -C 指定目录",
                start.display()
            ),
            (Lang::Zh, Error::UnknownCustomer { query, candidates }) if candidates.is_empty() => {
                format!("错误：没有匹配 `{query}` 的客户；运行 `followup list` 查看客户")
            }
            (Lang::Zh, Error::UnknownCustomer { query, candidates }) => {
                format!(
                    "错误：没有匹配 `{query}` 的客户：你是不是要找 {}",
                    candidates.join("、")
                )
            }
            (Lang::Zh, Error::AmbiguousCustomer { query, candidates }) => format!(
                "错误：`{query}` 匹配到多个客户：{}；请写出其中一个的完整名称",
                candidates.join("、")
            ),
            (Lang::Zh, e) => format!("错误：{e}"),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
