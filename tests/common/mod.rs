//! Helpers every integration test binary shares: a scratch copy of a fixture folder, the real
//! `followup` binary run in it with today pinned (2026-11-26, a Thursday) and a clean
//! environment, and what a run printed.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const TODAY: &str = "2026-11-26";

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A scratch sales folder.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

/// What one run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Run {
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }

    /// Everything the run printed, stdout then stderr.
    pub fn printed(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// A `followup` command with a clean environment: no FOLLOWUP_*, no colour, no git identity.
pub fn followup(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_followup"));
    cmd.current_dir(cwd)
        .env_remove("FOLLOWUP_DIR")
        .env_remove("FOLLOWUP_TODAY")
        .env_remove("FOLLOWUP_WEBHOOK")
        .env_remove("FOLLOWUP_WEBHOOK_SECRET")
        .env_remove("FOLLOWUP_NOW_MS")
        .env_remove("NO_COLOR")
        .env_remove("EDITOR")
        .env_remove("VISUAL")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", cwd)
        .stdin(Stdio::null());
    cmd
}

pub fn finish(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("run followup");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

impl Sandbox {
    pub fn new(fixture_name: &str) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture(fixture_name), dir.path());
        Sandbox { dir }
    }

    /// A scratch copy of the demo team folder, examples/demo.
    pub fn demo() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo"),
            dir.path(),
        );
        Sandbox { dir }
    }

    pub fn empty() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(self.path(), args)
    }

    pub fn run_in(&self, cwd: &Path, args: &[&str]) -> Run {
        finish(followup(cwd).arg("--today").arg(TODAY).args(args))
    }

    /// A run with these environment variables set.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = followup(self.path());
        cmd.arg("--today").arg(TODAY).args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        finish(&mut cmd)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap()
    }

    pub fn bytes(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path().join(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Every file under the folder with its bytes, to prove nothing was written.
    /// The read cache (`.followup/`) is left out: reading commands may refresh it.
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![self.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let e = e.unwrap();
                if e.file_name() == ".followup" {
                    continue;
                }
                if e.file_type().unwrap().is_dir() {
                    stack.push(e.path());
                } else {
                    out.push((e.path(), std::fs::read(e.path()).unwrap()));
                }
            }
        }
        out.sort();
        out
    }
}

/// Lines removed and added between two texts (a tiny line diff, enough for one-line edits).
pub fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let b: Vec<&str> = before.split_inclusive('\n').collect();
    let a: Vec<&str> = after.split_inclusive('\n').collect();
    let prefix = b.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let suffix = b[prefix..]
        .iter()
        .rev()
        .zip(a[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let removed = b[prefix..b.len() - suffix]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
    let added = a[prefix..a.len() - suffix]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
    (removed, added)
}

/// Runs followup at a pseudo-terminal (util-linux `script`), feeding `input` to it.
pub fn at_terminal(dir: &Path, args: &str, input: &str, editor: Option<&Path>) -> Run {
    let mut cmd = Command::new("script");
    cmd.args([
        "-qec",
        &format!("{} --today {TODAY} {args}", env!("CARGO_BIN_EXE_followup")),
        "/dev/null",
    ])
    .current_dir(dir)
    .env("GIT_CONFIG_GLOBAL", "/dev/null")
    .env_remove("FOLLOWUP_DIR")
    .env_remove("VISUAL")
    .env_remove("EDITOR")
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    if let Some(e) = editor {
        cmd.env("EDITOR", e);
    }
    let mut child = cmd.spawn().unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// An `$EDITOR` that replaces the file it is given with `text`.
pub fn fake_editor(dir: &Path, name: &str, text: &str) -> PathBuf {
    let editor = dir.join(name);
    let script = format!("#!/bin/sh\ncat > \"$1\" <<'EOF'\n{text}EOF\n");
    std::fs::write(&editor, script).unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    editor
}

/// The editor text a refused `log` kept (it names the file after "your text is kept in"):
/// read and removed, so tests leave nothing behind.
pub fn take_kept_text(run: &Run) -> Option<String> {
    let printed = run.printed();
    let path = printed
        .split("your text is kept in ")
        .nth(1)?
        .split_whitespace()
        .next()?
        .to_string();
    let text = std::fs::read_to_string(&path).ok()?;
    std::fs::remove_file(&path).ok()?;
    Some(text)
}
