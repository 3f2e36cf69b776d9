//! `followup sync [-m MESSAGE]`: the whole git round trip for people who do not use git. Commits
//! the folder's own files (customers, followup.toml, .gitattributes, .gitignore; never the
//! private overlay, never anything else) with a message that says what changed, pulls with the
//! merge driver, checks the files the pull brought, pushes (never forced). A real conflict stops
//! it with the files and keys to settle (exit 1), the origin untouched; run it again once they
//! are settled. With no remote or no network it commits locally and says the push is pending.
//! Progress on stderr; the outcome on stdout (`--json` for scripts).

use crate::cli::SyncArgs;
use crate::cmd::shared::file_diagnostics;
use crate::engine::changes::{FileChange, commit_message};
use crate::engine::merge::describe_conflicts;
use crate::error::{Error, Result};
use crate::io::git::{self, DriverProblem, Repo};
use crate::io::store::{CONFIG_FILE, Store};
use crate::model::config::Lang;
use crate::model::diagnostic::Severity;
use crate::model::document::conflict_marker_lines;
use crate::msg::{Text, m};
use crate::{Ctx, Output};
use serde_json::{Value, json};
use std::path::Path;

/// git's id of the empty tree: "before the first commit".
const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/// How often a push refused because a teammate pushed first is retried (pull, push again).
const PUSH_TRIES: usize = 3;

#[derive(Default)]
struct Report {
    committed: Option<(String, String, Vec<String>)>,
    finished_merge: Option<String>,
    pulled: Vec<String>,
    from: Option<String>,
    checked: Vec<String>,
    diagnostics: Vec<(String, crate::model::diagnostic::Diagnostic)>,
    conflicts: Vec<(String, Vec<String>)>,
    pushed: Option<usize>,
    /// Why the push is pending: rendered in the session's language, in English in JSON.
    pending: Option<Text>,
}

struct Sync<'a> {
    store: &'a Store,
    repo: Repo,
    ctx: &'a Ctx,
    lang: Lang,
    report: Report,
}

pub fn run(args: &SyncArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let root = std::path::absolute(&store.root).map_err(|e| Error::io(&store.root, &e))?;
    if !git::is_work_tree(&root) {
        return Err(m::E_SYNC_NOT_CLONE.with("dir", root.display()).into());
    }
    let mut sync = Sync {
        lang: ctx.lang(&store),
        store: &store,
        repo: Repo {
            dir: root,
            prompt: ctx.interactive,
        },
        ctx,
        report: Report::default(),
    };
    sync.go(args)?;
    Ok(sync.output())
}

impl Sync<'_> {
    fn say(&self, text: impl Into<Text>) {
        crate::present::render::say(&text.into().render(self.lang));
    }

    fn refuse(&self, text: Text) -> Error {
        Error::Text(text)
    }

    /// The folder's own files as pathspecs, those that exist.
    fn specs(&self) -> Vec<String> {
        let root = &self.repo.dir;
        [
            self.store.config.customers_dir.as_str(),
            CONFIG_FILE,
            ".gitattributes",
            ".gitignore",
        ]
        .iter()
        .filter(|p| crate::io::store::exists(&root.join(p)))
        .map(|p| format!(":(literal){p}"))
        .collect()
    }

    /// The specs, the private overlay excluded (git refuses an exclusion naming an ignored
    /// file in `add`, so only reading commands get it).
    fn specs_without_private(&self) -> Vec<String> {
        let mut specs = self.specs();
        specs.push(format!(
            ":(exclude,literal){}",
            self.store.config.private_file
        ));
        specs
    }

    /// `git add -A` of the folder's own files; the private overlay, should it sit where the
    /// add reaches it and not be git-ignored, is taken out again.
    fn stage(&self) -> std::result::Result<(), String> {
        self.repo.add(&self.specs())?;
        let private = self.store.config.private_file.clone();
        let staged = self.repo.staged(&[format!(":(literal){private}")])?;
        if !staged.is_empty() {
            self.repo.unstage(&private)?;
        }
        Ok(())
    }

    fn is_customer(&self, path: &str) -> bool {
        let dir = self.store.config.customers_dir.trim_end_matches('/');
        path.strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
            && path.ends_with(".md")
    }

    fn go(&mut self, args: &SyncArgs) -> Result<()> {
        let repo = &self.repo;
        if repo.rebasing() {
            return Err(self.refuse(m::E_SYNC_REBASING.into()));
        }
        let Some(branch) = repo.branch() else {
            return Err(self.refuse(m::E_SYNC_DETACHED.into()));
        };
        self.ensure_driver();
        if self.repo.merging() {
            self.finish_merge()?;
            if !self.report.conflicts.is_empty() {
                return Ok(());
            }
        }
        self.commit(args.message.as_deref())?;
        if !self.report.conflicts.is_empty() {
            return Ok(());
        }
        let Some((remote, remote_branch)) = self.repo.upstream(&branch) else {
            self.report.pending = Some(m::SYNC_NO_REMOTE.into());
            return Ok(());
        };
        let upstream_set = self
            .repo
            .run(&["config", "--get", &format!("branch.{branch}.merge")])
            .ok;
        self.report.from = Some(format!("{remote}/{remote_branch}"));
        for _ in 0..PUSH_TRIES {
            if !self.pull(&remote, &remote_branch)? {
                return Ok(()); // a conflict, or the remote cannot be reached
            }
            let remote_ref = format!("refs/remotes/{remote}/{remote_branch}");
            let Some(head) = self.repo.head() else {
                return Ok(()); // nothing committed here, nothing to push
            };
            let ahead = match self.repo.resolve(&remote_ref) {
                Some(theirs) => self.repo.count(&head, &theirs),
                None => self
                    .repo
                    .run(&["rev-list", "--count", "HEAD"])
                    .stdout
                    .trim()
                    .parse()
                    .unwrap_or(1),
            };
            if ahead == 0 {
                return Ok(());
            }
            self.say(
                m::SYNC_PUSHING
                    .with("n", ahead)
                    .with("to", format!("{remote}/{remote_branch}")),
            );
            let pushed = self.repo.push(&remote, &remote_branch, !upstream_set);
            if pushed.ok {
                self.report.pushed = Some(ahead);
                return Ok(());
            }
            let said = format!("{}{}", pushed.stdout, pushed.stderr);
            if said.contains("[rejected]")
                || said.contains("fetch first")
                || said.contains("non-fast-forward")
            {
                // A teammate pushed in between: pull that too, then push again.
                self.say(m::SYNC_MOVED_ON);
                continue;
            }
            self.report.pending = Some(Text::raw(format!("{remote}: {}", pushed.reason())));
            return Ok(());
        }
        self.report.pending =
            Some(m::SYNC_KEPT_MOVING.with("to", format!("{remote}/{remote_branch}")));
        Ok(())
    }

    /// Registers the merge driver (by this program's path) when the clone lacks it or it
    /// points at a program that is gone, so the pull merges customer files by meaning.
    fn ensure_driver(&self) {
        let problem = git::driver_problem(&self.repo.dir, &self.store.config.customers_dir);
        match problem {
            None => {}
            Some(DriverProblem::NotRouted) => {
                self.say(m::WARNING_LINE.with_text("message", m::SYNC_NOT_ROUTED))
            }
            Some(_) => {
                let registered =
                    git::own_program().is_ok_and(|exe| git::register_driver(&self.repo.dir, &exe));
                if registered {
                    self.say(m::SYNC_REGISTERED);
                } else {
                    self.say(m::WARNING_LINE.with_text("message", m::SYNC_NOT_REGISTERED));
                }
            }
        }
    }

    /// The conflicts still marked in these files (relative paths), one entry per file.
    fn marked(&self, paths: &[String]) -> Vec<(String, Vec<String>)> {
        paths
            .iter()
            .filter_map(|p| {
                let bytes = crate::io::store::read_input(&self.repo.dir.join(p), Path::new(p)).ok();
                let Some(bytes) = bytes else {
                    return Some((
                        p.clone(),
                        vec!["deleted on one side, changed on the other".to_string()],
                    ));
                };
                let text = String::from_utf8_lossy(&bytes);
                if conflict_marker_lines(&text).is_empty() {
                    return None;
                }
                let mut what = describe_conflicts(&text);
                if what.is_empty() {
                    what.push("conflict markers".to_string());
                }
                Some((p.clone(), what))
            })
            .collect()
    }

    /// A merge stopped by a conflict earlier: once its files hold no markers, commit it.
    fn finish_merge(&mut self) -> Result<()> {
        let unmerged = self.repo.unmerged().map_err(Error::Refused)?;
        let still = self.marked(&unmerged);
        if !still.is_empty() {
            self.report.conflicts = still;
            return Ok(());
        }
        self.stage().map_err(Error::Refused)?;
        let sha = self
            .repo
            .commit_merge(&unmerged)
            .map_err(|e| self.refuse(m::E_SYNC_FINISH.with("detail", e)))?;
        self.say(m::SYNC_FINISHED.with("sha", &sha[..sha.len().min(10)]));
        self.report.finished_merge = Some(sha);
        self.check(&unmerged);
        Ok(())
    }

    /// Commits the folder's own changed files with a message that says what changed.
    fn commit(&mut self, message: Option<&str>) -> Result<()> {
        let specs = self.specs_without_private();
        self.stage()
            .map_err(|e| self.refuse(m::E_SYNC_STAGE.with("detail", e)))?;
        let staged = self.repo.staged(&specs).map_err(Error::Refused)?;
        if staged.is_empty() {
            self.say(m::SYNC_NOTHING_NEW);
            return Ok(());
        }
        let paths: Vec<String> = staged.iter().map(|(_, p)| p.clone()).collect();
        // A file still holding conflict markers is not committed: it is a conflict to settle.
        let present: Vec<String> = staged
            .iter()
            .filter(|(s, _)| *s != 'D')
            .map(|(_, p)| p.clone())
            .collect();
        let marked = self.marked(&present);
        if !marked.is_empty() {
            self.report.conflicts = marked;
            return Ok(());
        }
        let message = match message.map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => m.to_string(),
            None => {
                let head = self.repo.head();
                let olds: Vec<Option<Vec<u8>>> = paths
                    .iter()
                    .map(|p| head.as_deref().and_then(|h| self.repo.show(h, p)))
                    .collect();
                let news: Vec<Option<Vec<u8>>> = staged
                    .iter()
                    .map(|(s, p)| {
                        (*s != 'D')
                            .then(|| {
                                crate::io::store::read_input(&self.repo.dir.join(p), Path::new(p))
                                    .ok()
                            })
                            .flatten()
                    })
                    .collect();
                let changes: Vec<FileChange<'_>> = paths
                    .iter()
                    .enumerate()
                    .map(|(i, p)| FileChange {
                        path: p,
                        customer: self.is_customer(p),
                        old: olds[i].as_deref(),
                        new: news[i].as_deref(),
                    })
                    .collect();
                // Customer names come from files: their control characters are written
                // escaped, so `git log` never replays them to a terminal.
                commit_message(&changes)
                    .lines()
                    .map(crate::present::render::clean)
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        };
        let sha = self
            .repo
            .commit_only(&message, &paths)
            .map_err(|e| self.refuse(m::E_SYNC_COMMIT.with("detail", e)))?;
        self.say(
            m::SYNC_COMMITTED
                .with("n", paths.len())
                .with("message", &message),
        );
        self.report.committed = Some((sha, message, paths));
        Ok(())
    }

    /// Fetches and merges the remote branch; false when the sync stops here (a conflict, or
    /// the remote cannot be reached: the push is then pending).
    fn pull(&mut self, remote: &str, branch: &str) -> Result<bool> {
        self.say(m::SYNC_PULLING.with("from", format!("{remote}/{branch}")));
        let fetched = self.repo.fetch(remote, branch);
        if !fetched.ok {
            let reason = fetched.reason();
            if reason.contains("couldn't find remote ref") {
                return Ok(true); // an empty remote: nothing to pull, the push creates the branch
            }
            self.report.pending = Some(
                m::SYNC_CANNOT_REACH
                    .with("remote", remote)
                    .with("reason", reason),
            );
            return Ok(false);
        }
        let remote_ref = format!("refs/remotes/{remote}/{branch}");
        let Some(theirs) = self.repo.resolve(&remote_ref) else {
            return Ok(true);
        };
        let before = self.repo.head();
        if before
            .as_deref()
            .is_some_and(|head| self.repo.contains(head, &theirs))
        {
            return Ok(true); // nothing new there
        }
        let message = format!("Merge {remote}/{branch} (followup sync)");
        let merged = self.repo.merge(&remote_ref, &message).map_err(|e| {
            self.refuse(
                m::E_SYNC_MERGE
                    .with("from", format!("{remote}/{branch}"))
                    .with("detail", e),
            )
        })?;
        if !merged {
            let unmerged = self.repo.unmerged().map_err(Error::Refused)?;
            let mut conflicts = self.marked(&unmerged);
            for p in &unmerged {
                if !conflicts.iter().any(|(f, _)| f == p) {
                    conflicts.push((p.clone(), vec![m::SYNC_BOTH_SIDES.get(self.lang)]));
                }
            }
            self.report.conflicts = conflicts;
            return Ok(false);
        }
        let after = self.repo.head().unwrap_or_default();
        let from = before.unwrap_or_else(|| EMPTY_TREE.to_string());
        let changed = self
            .repo
            .changed(&from, &after, &self.specs_without_private())
            .map_err(Error::Refused)?;
        self.say(m::SYNC_PULLED.with("n", changed.len()));
        self.check(&changed);
        self.report.pulled.extend(changed);
        Ok(true)
    }

    /// `check` on the customer files the pull changed; problems go to stderr.
    fn check(&mut self, paths: &[String]) {
        for p in paths {
            if !self.is_customer(p) || !crate::io::store::is_file(&self.repo.dir.join(p)) {
                continue;
            }
            for d in file_diagnostics(self.store, Path::new(p), self.ctx.today) {
                let label = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                crate::present::render::say(&format!(
                    "{p}:{}:{}: {label}[{}]: {}",
                    d.line,
                    d.column,
                    d.code,
                    d.message.render(self.lang)
                ));
                self.report.diagnostics.push((p.clone(), d));
            }
            self.report.checked.push(p.clone());
        }
    }

    fn output(&self) -> Output {
        let r = &self.report;
        let code = u8::from(!r.conflicts.is_empty());
        let errors = r
            .diagnostics
            .iter()
            .filter(|(_, d)| d.severity == Severity::Error)
            .count();
        let warnings = r.diagnostics.len() - errors;
        if self.ctx.json {
            let value = json!({
                "committed": r.committed.as_ref().map(|(sha, message, files)| json!({
                    "commit": sha, "message": message, "files": files,
                })),
                "finished_merge": r.finished_merge,
                "pulled": r.from.as_ref().map(|from| json!({"from": from, "files": r.pulled})),
                "checked": {
                    "files": r.checked,
                    "errors": errors,
                    "warnings": warnings,
                    "diagnostics": r.diagnostics.iter().map(|(file, d)| json!({
                        "file": file, "line": d.line, "column": d.column,
                        "severity": d.severity, "code": d.code, "message": d.message.to_string(),
                    })).collect::<Vec<Value>>(),
                },
                "conflicts": r.conflicts.iter().map(|(file, what)| json!({
                    "file": file, "settle": what,
                })).collect::<Vec<Value>>(),
                "pushed": r.pushed.map(|n| json!({"to": r.from, "commits": n})),
                "pending": r.pending.as_ref().map(Text::to_string),
            });
            return Output {
                stdout: crate::present::render::json(&value),
                code,
                data: true,
            };
        }
        let mut out = String::new();
        if !r.conflicts.is_empty() {
            out.push_str(&m::SYNC_STOPPED.get(self.lang));
            out.push('\n');
            for (file, what) in &r.conflicts {
                out.push_str(&format!("  {file}: {}\n", what.join("; ")));
            }
            out.push_str(&m::SYNC_HOW_TO_SETTLE.get(self.lang));
            out.push('\n');
            return Output {
                stdout: out,
                code,
                data: false,
            };
        }
        let mut parts: Vec<String> = Vec::new();
        if let Some((_, message, files)) = &r.committed {
            parts.push(
                m::SYNC_PART_COMMITTED
                    .with("n", files.len())
                    .with("message", message)
                    .render(self.lang),
            );
        }
        if r.finished_merge.is_some() {
            parts.push(m::SYNC_PART_FINISHED.get(self.lang));
        }
        if !r.pulled.is_empty() {
            parts.push(
                m::SYNC_PART_PULLED
                    .with("n", r.pulled.len())
                    .render(self.lang),
            );
        }
        if !r.checked.is_empty() {
            parts.push(
                match errors + warnings {
                    0 => m::SYNC_PART_CHECKED_CLEAN.with("n", r.checked.len()),
                    _ => m::SYNC_PART_CHECKED
                        .with("n", r.checked.len())
                        .with("errors", errors)
                        .with("warnings", warnings),
                }
                .render(self.lang),
            );
        }
        if let Some(n) = r.pushed {
            parts.push(m::SYNC_PART_PUSHED.with("n", n).render(self.lang));
        }
        let target = r.from.clone().unwrap_or_default();
        let parts = parts.join(m::SEMICOLON.template(self.lang));
        let text = match (&r.pending, parts.is_empty()) {
            (Some(why), true) => m::SYNC_PENDING.with_text("why", why.clone()),
            (Some(why), false) => m::SYNC_LOCAL_PENDING
                .with("parts", parts)
                .with_text("why", why.clone()),
            (None, true) => m::SYNC_ALREADY.with("target", target),
            (None, false) => m::SYNC_DONE.with("target", target).with("parts", parts),
        };
        out.push_str(&text.render(self.lang));
        out.push('\n');
        Output {
            stdout: out,
            code,
            data: false,
        }
    }
}
