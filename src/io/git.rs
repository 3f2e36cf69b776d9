//! The few questions the tool asks git (who is the user, is this a clone) and the one setting it
//! writes (the merge driver). Everything here runs the `git` program; a missing git is not an error.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// `git config user.name` as seen from `dir`.
pub fn user_name(dir: &Path) -> Option<String> {
    git(dir, &["config", "user.name"])
}

/// Is `dir` inside a git work tree?
pub fn is_work_tree(dir: &Path) -> bool {
    git(dir, &["rev-parse", "--is-inside-work-tree"]).as_deref() == Some("true")
}

/// The clone's hooks folder (honours core.hooksPath).
pub fn hooks_dir(dir: &Path) -> Option<std::path::PathBuf> {
    let path = git(dir, &["rev-parse", "--git-path", "hooks"])?;
    Some(dir.join(path))
}

/// Sets a key in the clone's own config (`.git/config`); never a tracked file.
pub fn set_local_config(dir: &Path, key: &str, value: &str) -> bool {
    if git(dir, &["config", "--local", "--get", key]).as_deref() == Some(value) {
        return true;
    }
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["config", "--local", key, value])
        .output()
        .is_ok_and(|o| o.status.success())
}
