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
    pending: Option<String>,
}

struct Sync<'a> {
    store: &'a Store,
    repo: Repo,
    ctx: &'a Ctx,
    zh: bool,
    report: Report,
}

pub fn run(args: &SyncArgs, ctx: &Ctx) -> Result<Output> {
    let store = ctx.store()?;
    let root = std::path::absolute(&store.root).map_err(|e| Error::io(&store.root, &e))?;
    if !git::is_work_tree(&root) {
        return Err(Error::Refused(format!(
            "{} is not in a git clone, so there is nothing to sync with; clone the team's repository (or run `git init` and `git remote add origin URL`), then `followup init` and `followup sync`",
            root.display()
        )));
    }
    let mut sync = Sync {
        zh: ctx.lang(&store) == Lang::Zh,
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
    fn say(&self, en: &str, zh: &str) {
        eprintln!("{}", if self.zh { zh } else { en });
    }

    fn refuse(&self, en: String, zh: String) -> Error {
        Error::Refused(if self.zh { zh } else { en })
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
        .filter(|p| root.join(p).exists())
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
            return Err(self.refuse(
                "a rebase is in progress in this clone; finish it (`git rebase --continue`) or undo it (`git rebase --abort`), then run `followup sync` again".into(),
                "这个仓库正在进行 rebase；请先完成（git rebase --continue）或撤销（git rebase --abort），再运行 followup sync".into(),
            ));
        }
        let Some(branch) = repo.branch() else {
            return Err(self.refuse(
                "this clone is not on a branch (detached HEAD); switch to the team's branch (`git switch main`), then run `followup sync` again".into(),
                "当前不在任何分支上（detached HEAD）；请切换到团队的分支（git switch main），再运行 followup sync".into(),
            ));
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
            self.report.pending = Some(if self.zh {
                "这个仓库没有设置远程仓库（git remote add origin 地址）".into()
            } else {
                "this clone has no remote (add one with `git remote add origin URL`)".into()
            });
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
                &format!("Pushing {ahead} commit(s) to {remote}/{remote_branch}…"),
                &format!("正在推送 {ahead} 个提交到 {remote}/{remote_branch}…"),
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
                self.say(
                    "The remote moved on while syncing; pulling again…",
                    "同步期间远程仓库有新的提交；再拉取一次…",
                );
                continue;
            }
            self.report.pending = Some(format!("{remote}: {}", pushed.reason()));
            return Ok(());
        }
        self.report.pending = Some(format!(
            "{remote}/{remote_branch} kept moving while syncing; run `followup sync` again"
        ));
        Ok(())
    }

    /// Registers the merge driver (by this program's path) when the clone lacks it or it
    /// points at a program that is gone, so the pull merges customer files by meaning.
    fn ensure_driver(&self) {
        let problem = git::driver_problem(&self.repo.dir, &self.store.config.customers_dir);
        match problem {
            None => {}
            Some(DriverProblem::NotRouted) => self.say(
                "warning: .gitattributes does not send customer files to the merge driver; run `followup init` and commit .gitattributes",
                "警告：.gitattributes 没有为客户文件指定合并驱动；请运行 followup init 并提交 .gitattributes",
            ),
            Some(_) => {
                let registered = std::env::current_exe()
                    .and_then(std::path::absolute)
                    .is_ok_and(|exe| git::register_driver(&self.repo.dir, &exe));
                if registered {
                    self.say(
                        "Registered the merge driver in this clone (as `followup init` does).",
                        "已在这个仓库登记合并驱动（与 followup init 相同）。",
                    );
                } else {
                    self.say(
                        "warning: could not register the merge driver; run `followup init`",
                        "警告：无法登记合并驱动；请运行 followup init",
                    );
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
        let sha = self.repo.commit_merge(&unmerged).map_err(|e| {
            self.refuse(
                format!("git could not finish the merge: {e}; see `git status`"),
                format!("git 无法完成合并：{e}；请查看 git status"),
            )
        })?;
        self.say(
            &format!(
                "Finished the merge you settled ({}).",
                &sha[..sha.len().min(10)]
            ),
            &format!("已完成你解决好的合并（{}）。", &sha[..sha.len().min(10)]),
        );
        self.report.finished_merge = Some(sha);
        self.check(&unmerged);
        Ok(())
    }

    /// Commits the folder's own changed files with a message that says what changed.
    fn commit(&mut self, message: Option<&str>) -> Result<()> {
        let specs = self.specs_without_private();
        self.stage().map_err(|e| {
            self.refuse(
                format!("git could not stage the folder's changes: {e}"),
                format!("git 无法暂存文件夹的改动：{e}"),
            )
        })?;
        let staged = self.repo.staged(&specs).map_err(Error::Refused)?;
        if staged.is_empty() {
            self.say("Nothing new to commit.", "没有新的改动需要提交。");
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
                commit_message(&changes)
            }
        };
        let sha = self.repo.commit_only(&message, &paths).map_err(|e| {
            self.refuse(
                format!("git could not commit: {e}; nothing was pushed"),
                format!("git 无法提交：{e}；没有推送任何内容"),
            )
        })?;
        self.say(
            &format!("Committed {} file(s): {message}", paths.len()),
            &format!("已提交 {} 个文件：{message}", paths.len()),
        );
        self.report.committed = Some((sha, message, paths));
        Ok(())
    }

    /// Fetches and merges the remote branch; false when the sync stops here (a conflict, or
    /// the remote cannot be reached: the push is then pending).
    fn pull(&mut self, remote: &str, branch: &str) -> Result<bool> {
        self.say(
            &format!("Pulling from {remote}/{branch}…"),
            &format!("正在从 {remote}/{branch} 拉取…"),
        );
        let fetched = self.repo.fetch(remote, branch);
        if !fetched.ok {
            let reason = fetched.reason();
            if reason.contains("couldn't find remote ref") {
                return Ok(true); // an empty remote: nothing to pull, the push creates the branch
            }
            self.report.pending = Some(format!("cannot reach {remote}: {reason}"));
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
                format!("git could not merge {remote}/{branch}: {e}; nothing was pushed"),
                format!("git 无法合并 {remote}/{branch}：{e}；没有推送任何内容"),
            )
        })?;
        if !merged {
            let unmerged = self.repo.unmerged().map_err(Error::Refused)?;
            let mut conflicts = self.marked(&unmerged);
            for p in &unmerged {
                if !conflicts.iter().any(|(f, _)| f == p) {
                    conflicts.push((p.clone(), vec!["changed on both sides".to_string()]));
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
        self.say(
            &format!("Pulled {} changed file(s).", changed.len()),
            &format!("已拉取 {} 个有改动的文件。", changed.len()),
        );
        self.check(&changed);
        self.report.pulled.extend(changed);
        Ok(true)
    }

    /// `check` on the customer files the pull changed; problems go to stderr.
    fn check(&mut self, paths: &[String]) {
        for p in paths {
            if !self.is_customer(p) || !self.repo.dir.join(p).is_file() {
                continue;
            }
            for d in file_diagnostics(self.store, Path::new(p), self.ctx.today) {
                let label = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                eprintln!(
                    "{p}:{}:{}: {label}[{}]: {}",
                    d.line, d.column, d.code, d.message
                );
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
                "pending": r.pending,
            });
            return Output {
                stdout: crate::present::render::json(&value),
                code,
                data: true,
            };
        }
        let mut out = String::new();
        if !r.conflicts.is_empty() {
            out.push_str(if self.zh {
                "同步已停止：你和同事把同一处改成了不同的内容。没有推送任何内容。\n需要解决的地方：\n"
            } else {
                "Sync stopped: you and a teammate changed the same thing differently. Nothing was pushed.\nTo settle:\n"
            });
            for (file, what) in &r.conflicts {
                out.push_str(&format!("  {file}: {}\n", what.join("; ")));
            }
            out.push_str(if self.zh {
                "解决方法：打开上面的文件，在 <<<<<<< 和 >>>>>>> 之间保留正确的内容，删掉不要的那一边和这三行标记（<<<<<<<、=======、>>>>>>>），保存后再运行 followup sync。\n`git status` 会列出这些文件；想放弃这次拉取，运行 `git merge --abort`。\n"
            } else {
                "Open each file, keep the right lines between <<<<<<< and >>>>>>> (delete the other side and the three marker lines), save, then run `followup sync` again.\n`git status` lists the files; `git merge --abort` goes back to before the pull.\n"
            });
            return Output {
                stdout: out,
                code,
                data: false,
            };
        }
        let mut parts: Vec<String> = Vec::new();
        if let Some((_, message, files)) = &r.committed {
            parts.push(if self.zh {
                format!("提交了 {} 个文件（{message}）", files.len())
            } else {
                format!("committed {} file(s) ({message})", files.len())
            });
        }
        if r.finished_merge.is_some() {
            parts.push(if self.zh {
                "完成了合并".into()
            } else {
                "finished the merge".into()
            });
        }
        if !r.pulled.is_empty() {
            parts.push(if self.zh {
                format!("拉取了 {} 个文件", r.pulled.len())
            } else {
                format!("pulled {} file(s)", r.pulled.len())
            });
        }
        if !r.checked.is_empty() {
            parts.push(match (self.zh, errors + warnings) {
                (true, 0) => format!("检查了 {} 个文件，没有问题", r.checked.len()),
                (true, _) => format!(
                    "检查了 {} 个文件：{errors} 个错误，{warnings} 个警告（运行 followup check 查看）",
                    r.checked.len()
                ),
                (false, 0) => format!("checked {} file(s): no problems", r.checked.len()),
                (false, _) => format!(
                    "checked {} file(s): {errors} error(s), {warnings} warning(s) (see `followup check`)",
                    r.checked.len()
                ),
            });
        }
        if let Some(n) = r.pushed {
            parts.push(if self.zh {
                format!("推送了 {n} 个提交")
            } else {
                format!("pushed {n} commit(s)")
            });
        }
        let target = r.from.clone().unwrap_or_default();
        out.push_str(&match (&r.pending, parts.is_empty(), self.zh) {
            (Some(why), _, false) => format!(
                "{}The push is pending: {why}. Your work is committed in this clone; run `followup sync` again when the remote can be reached.\n",
                if parts.is_empty() { String::new() } else { format!("Synced locally: {}. ", parts.join("; ")) }
            ),
            (Some(why), _, true) => format!(
                "{}推送暂缓：{why}。你的改动已提交在本地仓库；能连上远程仓库时再运行 followup sync。\n",
                if parts.is_empty() { String::new() } else { format!("已在本地同步：{}。", parts.join("；")) }
            ),
            (None, true, false) => format!("Already in sync with {target}.\n"),
            (None, true, true) => format!("已经与 {target} 同步。\n"),
            (None, false, false) => format!("Synced with {target}: {}.\n", parts.join("; ")),
            (None, false, true) => format!("已与 {target} 同步：{}。\n", parts.join("；")),
        });
        Output {
            stdout: out,
            code,
            data: false,
        }
    }
}
