//! The person at the terminal: a question answered on one line (`new`'s prompts) and the
//! editor (`$VISUAL`, `$EDITOR`, else `vi`) run on a scratch file (`log` without flags).

use crate::error::{Error, Result};
use crate::msg::m;
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// Asks `label` on stderr and reads one line from stdin; `None` for an empty answer.
pub fn ask(label: &str) -> Result<Option<String>> {
    let mut err = std::io::stderr();
    let _ = write!(err, "{label}: ");
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::io("stdin", &e))?;
    let t = line.trim();
    Ok((!t.is_empty()).then(|| t.to_string()))
}

/// The editor's scratch file: removed when dropped, unless [`Scratch::keep`] keeps it (so a
/// rep's refused text is not lost).
pub struct Scratch(tempfile::NamedTempFile);

impl Scratch {
    /// Keeps the file on disk; its path, or `None` when it could not be kept.
    pub fn keep(self) -> Option<PathBuf> {
        self.0.keep().ok().map(|(_, path)| path)
    }
}

/// Writes `template` to a new scratch file `followup-log-*.md`, opens the editor on it like
/// `git commit` does, and returns what the rep saved with the file.
pub fn edit(template: &str) -> Result<(String, Scratch)> {
    let file = tempfile::Builder::new()
        .prefix("followup-log-")
        .suffix(".md")
        .tempfile()
        .map_err(|e| Error::io(std::env::temp_dir(), &e))?;
    let path: PathBuf = file.path().to_path_buf();
    std::fs::write(&path, template).map_err(|e| Error::io(&path, &e))?;
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status()
        .map_err(|e| Error::Text(m::E_EDITOR_START.with("editor", &editor).with("detail", e)))?;
    if !status.success() {
        return Err(m::E_EDITOR_FAILED.with("editor", &editor).into());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, &e))?;
    Ok((text, Scratch(file)))
}
