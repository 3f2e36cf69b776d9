//! Every call to the `git` program: the questions the tool asks (who is the user, is this a
//! clone, is the merge driver registered), the settings it writes (the merge driver), the line
//! merge the driver falls back to, and the steps of `followup sync`. A missing git is not an
//! error where a question is asked; it is one where `sync` needs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A git command in `dir`, never waiting for a terminal prompt unless `prompt`.
fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir).args(args).stdin(Stdio::null());
    cmd
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = command(dir, args).output().ok()?;
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

/// Does git track `rel` (a path relative to `dir`)? False outside a clone or without git.
pub fn is_tracked(dir: &Path, rel: &Path) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["ls-files", "--error-unmatch", "--"])
        .arg(rel)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The clone's hooks folder (honours core.hooksPath).
pub fn hooks_dir(dir: &Path) -> Option<PathBuf> {
    let path = git(dir, &["rev-parse", "--git-path", "hooks"])?;
    Some(dir.join(path))
}

/// Sets a key in the clone's own config (`.git/config`); never a tracked file.
pub fn set_local_config(dir: &Path, key: &str, value: &str) -> bool {
    if git(dir, &["config", "--local", "--get", key]).as_deref() == Some(value) {
        return true;
    }
    command(dir, &["config", "--local", key, value])
        .output()
        .is_ok_and(|o| o.status.success())
}

// ---------------------------------------------------------------- the merge driver

/// A word for `sh`: single-quoted, a `'` inside written `'\''`.
pub fn sh_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// What the driver command ends with after the program's path: git's placeholders, and the
/// fallback to git's own line merge when the program cannot run (moved, deleted, an old build
/// that does not know an option: any exit status but 0 and 1), so that git never leaves the
/// file as our side alone. `%P` stays a word of its own: git quotes it for the shell.
pub const DRIVER_ARGS: &str = "merge-driver %O %A %B %P --base-label %S --ours-label %X --theirs-label %Y || { s=$?; [ $s -eq 1 ] && exit 1; echo \"followup: the merge driver did not run (exit $s); merging by lines instead:\" %P >&2; git merge-file -L ours -L base -L theirs %A %O %B; }";

/// The `merge.followup.driver` value for the program at `exe` (an absolute path, so that git
/// runs it from GUI clients and cron jobs whose PATH lacks `followup`).
pub fn driver_command(exe: &Path) -> String {
    format!("{} {DRIVER_ARGS}", sh_quote(&exe.display().to_string()))
}

/// The program a registered driver command runs: its first shell word.
fn driver_program(command: &str) -> Option<String> {
    let command = command.trim_start();
    if let Some(rest) = command.strip_prefix('\'') {
        // '…' pieces joined by \' escapes.
        let mut word = String::new();
        let mut rest = rest;
        loop {
            let end = rest.find('\'')?;
            word.push_str(&rest[..end]);
            rest = &rest[end + 1..];
            match rest.strip_prefix(r"\''") {
                Some(more) => {
                    word.push('\'');
                    rest = more;
                }
                None => return Some(word),
            }
        }
    }
    command.split_whitespace().next().map(str::to_string)
}

/// This program's absolute path: what the driver is registered by, so git runs it without
/// `followup` on PATH.
pub fn own_program() -> std::io::Result<PathBuf> {
    std::env::current_exe().and_then(std::path::absolute)
}

/// Registers the driver for the program at `exe` in the clone at `dir`; false if git refused.
pub fn register_driver(dir: &Path, exe: &Path) -> bool {
    set_local_config(dir, "merge.followup.name", "followup customer files")
        && set_local_config(dir, "merge.followup.driver", &driver_command(exe))
}

/// Why a clone's merge driver would not keep both sides' work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriverProblem {
    /// No `merge.followup.driver` in the clone's config.
    Unregistered,
    /// It runs a program that is not there (moved or deleted).
    MissingProgram(String),
    /// Registered by an older followup: found through PATH, no fallback when it cannot run.
    Outdated(String),
    /// `.gitattributes` does not send customer files to the driver.
    NotRouted,
}

/// The merge driver's state in the clone holding `root`; `None` when all is well or `root` is
/// not in a git work tree.
pub fn driver_problem(root: &Path, customers_dir: &str) -> Option<DriverProblem> {
    if !is_work_tree(root) {
        return None;
    }
    let Some(registered) = git(root, &["config", "--get", "merge.followup.driver"]) else {
        return Some(DriverProblem::Unregistered);
    };
    let program = driver_program(&registered).unwrap_or_default();
    let path = Path::new(&program);
    if !path.is_absolute() || !registered.ends_with(DRIVER_ARGS) {
        return Some(DriverProblem::Outdated(registered));
    }
    if !path.is_file() {
        return Some(DriverProblem::MissingProgram(program));
    }
    let probe = format!("{customers_dir}/x.md");
    let attr = git(root, &["check-attr", "merge", "--", &probe]).unwrap_or_default();
    if !attr.ends_with(": merge: followup") {
        return Some(DriverProblem::NotRouted);
    }
    None
}

/// `git merge-file`: merges `theirs` into `ours` by lines, marking conflicts with these labels
/// (ours, base, theirs). Ok(true) when clean.
pub fn merge_file(
    ours: &Path,
    base: &Path,
    theirs: &Path,
    labels: [&str; 3],
) -> Result<bool, String> {
    let status = Command::new("git")
        .args([
            "merge-file",
            "-L",
            labels[0],
            "-L",
            labels[1],
            "-L",
            labels[2],
        ])
        .arg(ours)
        .arg(base)
        .arg(theirs)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run `git merge-file`: {e}"))?;
    match status.code() {
        Some(0) => Ok(true),
        Some(n) if n > 0 => Ok(false),
        _ => Err("`git merge-file` failed".to_string()),
    }
}

/// Who made the last commit that changed `path` between `base` and `side` (run in the work
/// tree's top folder, as git runs its merge driver).
pub fn last_author(base: &str, side: &str, path: &str) -> Option<String> {
    let range = format!("{base}..{side}");
    git(
        Path::new("."),
        &["log", "-1", "--format=%an", &range, "--", path],
    )
}

// ---------------------------------------------------------------- sync

/// What a git step printed and whether it succeeded.
#[derive(Debug)]
pub struct Ran {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// The first line of git's complaint, for a one-sentence error.
    pub fn reason(&self) -> String {
        let text = if self.stderr.trim().is_empty() {
            &self.stdout
        } else {
            &self.stderr
        };
        text.lines()
            .map(|l| {
                l.trim()
                    .trim_start_matches("fatal:")
                    .trim_start_matches("error:")
                    .trim()
            })
            .find(|l| !l.is_empty())
            .unwrap_or("git failed")
            .to_string()
    }
}

/// A clone, for the steps of `followup sync`; every command runs in `dir`.
pub struct Repo {
    pub dir: PathBuf,
    /// A person is at a terminal: git may ask for a password.
    pub prompt: bool,
}

fn finished(out: std::io::Result<Output>) -> Ran {
    match out {
        Ok(o) => Ran {
            ok: o.status.success(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        },
        Err(e) => Ran {
            ok: false,
            stdout: String::new(),
            stderr: format!("cannot run git: {e}"),
        },
    }
}

impl Repo {
    pub fn run(&self, args: &[&str]) -> Ran {
        let mut cmd = command(&self.dir, args);
        cmd.env("GIT_MERGE_AUTOEDIT", "no");
        if !self.prompt {
            cmd.env("GIT_TERMINAL_PROMPT", "0");
        }
        finished(cmd.output())
    }

    fn get(&self, args: &[&str]) -> Option<String> {
        let ran = self.run(args);
        let text = ran.stdout.trim();
        (ran.ok && !text.is_empty()).then(|| text.to_string())
    }

    /// NUL-separated paths git printed with `-z`.
    fn paths(&self, args: &[&str]) -> Result<Vec<String>, String> {
        let ran = self.run(args);
        if !ran.ok {
            return Err(ran.reason());
        }
        Ok(ran
            .stdout
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect())
    }

    /// The commit HEAD names, `None` before the first commit.
    pub fn head(&self) -> Option<String> {
        self.get(&["rev-parse", "-q", "--verify", "HEAD^{commit}"])
    }

    /// The branch checked out, `None` on a detached HEAD.
    pub fn branch(&self) -> Option<String> {
        self.get(&["symbolic-ref", "-q", "--short", "HEAD"])
    }

    pub fn merging(&self) -> bool {
        self.get(&["rev-parse", "-q", "--verify", "MERGE_HEAD"])
            .is_some()
    }

    pub fn rebasing(&self) -> bool {
        ["rebase-merge", "rebase-apply"].iter().any(|d| {
            self.get(&["rev-parse", "--git-path", d])
                .is_some_and(|p| self.dir.join(p).exists())
        })
    }

    /// Paths (relative to `dir`) git holds as conflicted.
    pub fn unmerged(&self) -> Result<Vec<String>, String> {
        self.paths(&["diff", "--name-only", "--relative", "-z", "--diff-filter=U"])
    }

    /// `git add -A` of these pathspecs.
    pub fn add(&self, specs: &[String]) -> Result<(), String> {
        let mut args = vec!["add", "-A", "--"];
        args.extend(specs.iter().map(String::as_str));
        let ran = self.run(&args);
        if ran.ok { Ok(()) } else { Err(ran.reason()) }
    }

    /// Takes a path out of the index again (back to HEAD's version, or untracked before the
    /// first commit).
    pub fn unstage(&self, path: &str) -> Result<(), String> {
        let spec = format!(":(literal){path}");
        let ran = if self.head().is_some() {
            self.run(&["reset", "-q", "--", &spec])
        } else {
            self.run(&["rm", "-q", "--cached", "--", &spec])
        };
        if ran.ok { Ok(()) } else { Err(ran.reason()) }
    }

    /// What is staged under these pathspecs: (status letter, path relative to `dir`).
    pub fn staged(&self, specs: &[String]) -> Result<Vec<(char, String)>, String> {
        let mut args = vec![
            "diff",
            "--cached",
            "--name-status",
            "--no-renames",
            "--relative",
            "-z",
            "--",
        ];
        args.extend(specs.iter().map(String::as_str));
        let fields = self.paths(&args)?;
        Ok(fields
            .chunks(2)
            .filter_map(|c| match c {
                [status, path] => Some((status.chars().next().unwrap_or('M'), path.clone())),
                _ => None,
            })
            .collect())
    }

    /// A file's bytes at a commit, `None` if it has no such file.
    pub fn show(&self, rev: &str, path: &str) -> Option<Vec<u8>> {
        let out = command(&self.dir, &["show", &format!("{rev}:./{path}")])
            .output()
            .ok()?;
        out.status.success().then_some(out.stdout)
    }

    /// Commits exactly these paths (staged), whatever else is staged.
    pub fn commit_only(&self, message: &str, paths: &[String]) -> Result<String, String> {
        let literal: Vec<String> = paths.iter().map(|p| format!(":(literal){p}")).collect();
        let mut args = vec!["commit", "-q", "-m", message, "--only", "--"];
        args.extend(literal.iter().map(String::as_str));
        let ran = self.run(&args);
        if !ran.ok {
            return Err(ran.reason());
        }
        self.head()
            .ok_or_else(|| "the commit left no HEAD".to_string())
    }

    /// Concludes a merge whose conflicts were settled: stages those files, commits.
    pub fn commit_merge(&self, paths: &[String]) -> Result<String, String> {
        if !paths.is_empty() {
            let literal: Vec<String> = paths.iter().map(|p| format!(":(literal){p}")).collect();
            let mut args = vec!["add", "--"];
            args.extend(literal.iter().map(String::as_str));
            let ran = self.run(&args);
            if !ran.ok {
                return Err(ran.reason());
            }
        }
        let ran = self.run(&["commit", "-q", "--no-edit"]);
        if !ran.ok {
            return Err(ran.reason());
        }
        self.head()
            .ok_or_else(|| "the commit left no HEAD".to_string())
    }

    /// The remote and its branch this branch follows: its upstream, else `origin` (or the only
    /// remote) and a branch of the same name.
    pub fn upstream(&self, branch: &str) -> Option<(String, String)> {
        let remote = self.get(&["config", "--get", &format!("branch.{branch}.remote")]);
        let merge = self
            .get(&["config", "--get", &format!("branch.{branch}.merge")])
            .map(|m| m.trim_start_matches("refs/heads/").to_string());
        if let (Some(r), Some(m)) = (&remote, merge)
            && r != "."
        {
            return Some((r.clone(), m));
        }
        let remotes: Vec<String> = self
            .get(&["remote"])
            .map(|r| r.lines().map(str::to_string).collect())
            .unwrap_or_default();
        let remote = if remotes.iter().any(|r| r == "origin") {
            "origin".to_string()
        } else if remotes.len() == 1 {
            remotes[0].clone()
        } else {
            return None;
        };
        Some((remote, branch.to_string()))
    }

    pub fn fetch(&self, remote: &str, branch: &str) -> Ran {
        self.run(&[
            "fetch",
            "-q",
            remote,
            &format!("+refs/heads/{branch}:refs/remotes/{remote}/{branch}"),
        ])
    }

    /// The commit a ref names, if it exists.
    pub fn resolve(&self, name: &str) -> Option<String> {
        self.get(&["rev-parse", "-q", "--verify", &format!("{name}^{{commit}}")])
    }

    /// Is `ancestor` already part of `commit`'s history?
    pub fn contains(&self, commit: &str, ancestor: &str) -> bool {
        self.run(&["merge-base", "--is-ancestor", ancestor, commit])
            .ok
    }

    /// `git merge --no-edit`: Ok(true) when it merged (or fast-forwarded) cleanly, Ok(false) when
    /// it stopped on conflicts, Err when it could not start.
    pub fn merge(&self, rev: &str, message: &str) -> Result<bool, String> {
        let ran = self.run(&["merge", "-q", "--no-edit", "-m", message, rev]);
        if ran.ok {
            return Ok(true);
        }
        if self.merging() {
            return Ok(false);
        }
        Err(ran.reason())
    }

    /// Files (relative to `dir`) that differ between two commits under these pathspecs.
    pub fn changed(&self, from: &str, to: &str, specs: &[String]) -> Result<Vec<String>, String> {
        let mut args = vec![
            "diff",
            "--name-only",
            "--no-renames",
            "--relative",
            "-z",
            from,
            to,
            "--",
        ];
        args.extend(specs.iter().map(String::as_str));
        self.paths(&args)
    }

    /// How many commits `from` has that `to` lacks.
    pub fn count(&self, from: &str, to: &str) -> usize {
        self.get(&["rev-list", "--count", &format!("{to}..{from}")])
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    /// Pushes HEAD to the remote branch, never forcing; sets the upstream when there is none.
    pub fn push(&self, remote: &str, branch: &str, set_upstream: bool) -> Ran {
        let refspec = format!("HEAD:refs/heads/{branch}");
        let mut args = vec!["push", "-q", "--porcelain"];
        if set_upstream {
            args.push("-u");
        }
        args.extend([remote, refspec.as_str()]);
        self.run(&args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_command_quotes_the_path_and_reads_back() {
        let exe = Path::new("/opt/my tools/it's/followup");
        let cmd = driver_command(exe);
        assert!(cmd.starts_with(r"'/opt/my tools/it'\''s/followup' merge-driver %O %A %B %P"));
        assert_eq!(
            driver_program(&cmd).as_deref(),
            Some("/opt/my tools/it's/followup")
        );
        assert_eq!(
            driver_program("followup merge-driver %O %A %B %P").as_deref(),
            Some("followup")
        );
    }
}
