//! The sales folder on disk: finding its root, walking the customer files, reading them (through
//! the read cache), writing one atomically under an exclusive lock, and the few other paths a
//! command touches (output files and folders, `init`'s folders and hook).

use crate::error::{Error, Result};
use crate::io::cache::{self, Cache, Stamp};
use crate::io::files::{self, Lock};
use crate::io::overlay::{Overlay, customer_key};
use crate::model::config::Config;
use crate::model::edit::Change;
use crate::model::record::{Record, Unreadable, parse_lean, parse_record, parse_summary};
use crate::model::summary::Summary;
use crate::msg::{Text, m};
use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::DirEntry;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "followup.toml";

/// Warnings found while reading (an unknown settings key, a skipped file): collected here and
/// printed once, at the program's edge, after the command.
pub type Warnings = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// Files at the root that the team shares through git: never the private overlay.
const SHARED_ROOT_FILES: [&str; 4] = [CONFIG_FILE, ".gitignore", ".gitattributes", ".mailmap"];

/// An opened sales folder: its root and its settings.
#[derive(Debug, Clone)]
pub struct Store {
    pub root: PathBuf,
    /// The root with every symlink resolved: what "inside the folder" is measured against.
    real_root: PathBuf,
    pub config: Config,
    /// Summaries from full records instead of the lean scan (see `Ctx::full_parse`).
    pub full_parse: bool,
    /// The language warnings are written in (followup.toml's, or `--lang`).
    pub lang: crate::model::config::Lang,
    warnings: Warnings,
    /// What a read cache must have been made with (this build, this followup.toml).
    cache_key: String,
}

/// The nearest folder at or above `start` that holds followup.toml.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    if !start.is_dir() {
        return Err(m::E_NOT_A_FOLDER.with("dir", start.display()).into());
    }
    let abs = std::path::absolute(start).map_err(|e| Error::io(start, &e))?;
    abs.ancestors()
        .find(|dir| files::exists_no_follow(&dir.join(CONFIG_FILE)))
        .map(Path::to_path_buf)
        .ok_or(Error::NoRoot { start: abs.clone() })
}

/// Reads a file the tool trusts no more than any other input: a regular file, not a symlink,
/// FIFO or device, at most 64 MB. `shown` names it in the error.
pub fn read_input(path: &Path, shown: &Path) -> Result<Vec<u8>> {
    files::read_regular(path).map_err(|e| Error::Io {
        path: shown.to_path_buf(),
        message: e.describe(),
    })
}

/// Like [`read_input`], with `None` when there is no such file.
pub fn read_input_if_exists(path: &Path, shown: &Path) -> Result<Option<Vec<u8>>> {
    match files::read_regular(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(Error::Io {
            path: shown.to_path_buf(),
            message: e.describe(),
        }),
    }
}

/// The settings of the folder at `root`, read safely; `None` when there is no followup.toml.
pub fn read_config_text(root: &Path) -> Result<Option<String>> {
    let path = root.join(CONFIG_FILE);
    match files::read_regular(&path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| Error::Parse {
                path,
                line: 1,
                message: m::NOT_UTF8.into(),
                hint: Some(m::HINT_SAVE_UTF8.into()),
            }),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(Error::Io {
            path,
            message: e.describe(),
        }),
    }
}

/// The 1-based line where `key = …` is set in followup.toml (1 when not found).
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

impl Store {
    /// Opens the folder whose root is `root`, reading its followup.toml and checking that the
    /// customers folder and the private file it names stay inside the root; warnings go to
    /// `warnings`.
    pub fn open(root: PathBuf, warnings: Warnings) -> Result<Store> {
        let path = root.join(CONFIG_FILE);
        let text = read_config_text(&root)?
            .ok_or_else(|| Error::io(&path, &std::io::ErrorKind::NotFound.into()))?;
        let config = Config::parse(&text).map_err(|(line, message)| Error::Parse {
            path: path.clone(),
            line,
            message: Text::raw(message),
            hint: Some(m::HINT_FIX_CONFIG.into()),
        })?;
        let real_root = root.canonicalize().map_err(|e| Error::io(&root, &e))?;
        let refuse = |key: &str, value: &str, why: String, hint: &str| Error::Parse {
            path: path.clone(),
            line: key_line(&text, key),
            message: Text::raw(format!("{key} \"{value}\" {why}")),
            hint: Some(Text::raw(hint)),
        };
        let customers = files::confine(&real_root, &config.customers_dir).map_err(|why| {
            refuse(
                "customers_dir",
                &config.customers_dir,
                why,
                "the customers folder must be inside the sales folder, like \"customers\"",
            )
        })?;
        if std::fs::metadata(&customers).is_ok_and(|m| !m.is_dir()) {
            return Err(refuse(
                "customers_dir",
                &config.customers_dir,
                "is not a folder".into(),
                "name a folder inside the sales folder, like \"customers\"",
            ));
        }
        let private_hint = "name a git-ignored file of its own inside the sales folder, like \"followup.private.toml\"";
        let private = files::confine(&real_root, &config.private_file)
            .map_err(|why| refuse("private_file", &config.private_file, why, private_hint))?;
        // Compared without `./` and case (a case-insensitive disk has one FOLLOWUP.toml).
        let parts: Vec<String> = Path::new(&config.private_file)
            .components()
            .filter(|c| matches!(c, std::path::Component::Normal(_)))
            .map(|c| c.as_os_str().to_string_lossy().to_lowercase())
            .collect();
        let shared = SHARED_ROOT_FILES
            .iter()
            .any(|f| parts.len() == 1 && parts[0] == f.to_lowercase())
            || parts.last().is_some_and(|p| p.ends_with(".md"))
            || parts.iter().any(|p| p == ".git" || p == ".followup");
        if shared {
            return Err(refuse(
                "private_file",
                &config.private_file,
                "is a file the team shares (settings, git files or customer files)".into(),
                private_hint,
            ));
        }
        if private.starts_with(&customers) && customers != real_root {
            return Err(refuse(
                "private_file",
                &config.private_file,
                "is inside the customers folder".into(),
                private_hint,
            ));
        }
        let store = Store {
            root,
            real_root,
            full_parse: false,
            lang: config.lang,
            config,
            warnings,
            cache_key: cache::key(&text),
        };
        for key in Config::unknown_keys(&text) {
            store.warn_text(
                m::W_UNKNOWN_SETTING
                    .with("file", path.display())
                    .with("key", key),
            );
        }
        Ok(store)
    }

    /// Records a warning from the catalogue, in the store's language.
    pub fn warn_text(&self, message: Text) {
        self.warn(message.render(self.lang));
    }

    /// Records a warning for the user (printed after the command).
    pub fn warn(&self, message: String) {
        if let Ok(mut w) = self.warnings.lock() {
            w.push(message);
        }
    }

    /// Warns that an unreadable file was skipped, with its first problem.
    pub fn warn_skipped(&self, u: &Unreadable) {
        self.warn_unreadable(u, m::W_SKIPPED);
    }

    /// Warns with `message` (which takes `file`, `line` and `message`) about an unreadable
    /// file's first problem.
    pub fn warn_unreadable(&self, u: &Unreadable, message: crate::msg::Msg) {
        let d = u.first();
        self.warn_text(
            message
                .with("file", u.path.display())
                .with("line", d.line)
                .with_text("message", d.message.clone()),
        );
    }

    /// The parsed files; each unreadable one becomes a warning (one broken file must not hide
    /// the team's day; `followup check` shows its problems in full).
    fn readable<T>(&self, loaded: Vec<std::result::Result<T, Unreadable>>) -> Vec<T> {
        loaded
            .into_iter()
            .filter_map(|l| match l {
                Ok(t) => Some(t),
                Err(u) => {
                    self.warn_skipped(&u);
                    None
                }
            })
            .collect()
    }

    pub fn customers_dir(&self) -> PathBuf {
        self.root.join(&self.config.customers_dir)
    }

    /// Every customer file, as a path relative to the root, sorted; hidden files and folders
    /// are skipped and symlinks are not followed. Stale temporary files of the tool met on the
    /// way (a killed writer's) are removed.
    pub fn customer_paths(&self) -> Result<Vec<PathBuf>> {
        Ok(self
            .customer_files(false)?
            .into_iter()
            .map(|(path, _)| path)
            .collect())
    }

    /// [`Store::customer_paths`], each with its stamp for the read cache when `stamped` (`None`
    /// for a file that vanished meanwhile).
    fn customer_files(&self, stamped: bool) -> Result<Vec<StampedPath>> {
        let dir = self.customers_dir();
        self.sweep_root();
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let mut temporaries: BTreeMap<PathBuf, Vec<OsString>> = BTreeMap::new();
        let mut sweep = |temporary: &Path| {
            if let Some(parent) = temporary.parent()
                && let Some(name) = temporary.file_name()
            {
                temporaries
                    .entry(parent.to_path_buf())
                    .or_default()
                    .push(name.to_os_string());
            }
        };
        let below = markdown_below(&dir, Some(&mut sweep), stamped, |path, e| Error::Io {
            path,
            message: Text::raw(e.to_string()),
        })?;
        let mut files: Vec<StampedPath> = below
            .into_iter()
            .map(|(below, stamp)| {
                let abs = dir.join(below);
                let rel = abs
                    .strip_prefix(&self.root)
                    .map_or_else(|_| abs.clone(), Path::to_path_buf);
                (rel, stamp)
            })
            .collect();
        for (folder, names) in &temporaries {
            files::sweep_temporaries(folder, names);
        }
        files.sort_by(|a, b| a.0.cmp(&b.0)); // already in order: one linear pass
        Ok(files)
    }

    /// Files and folders named on the command line (`check FILE…`), as paths relative to the
    /// root, sorted. Each must be inside the customers folder and is not followed if it is a
    /// symbolic link: `check` never reads or prints a file outside the sales folder. A folder
    /// stands for its `.md` files, as in [`Store::customer_paths`].
    pub fn given_paths(&self, given: &[PathBuf], base: &Path) -> Result<Vec<PathBuf>> {
        let customers = self.customers_dir();
        let real_customers = customers.canonicalize().ok();
        let mut out = Vec::new();
        for g in given {
            let abs = if g.is_absolute() {
                g.clone()
            } else {
                base.join(g)
            };
            let meta = std::fs::symlink_metadata(&abs).map_err(|_| {
                Error::Text(
                    m::ERR_AT_FILE
                        .with("file", g.display())
                        .with_text("message", m::IO_NOT_FOUND),
                )
            })?;
            if meta.file_type().is_symlink() {
                return Err(m::E_CHECK_SYMLINK.with("path", g.display()).into());
            }
            let real = abs.canonicalize().map_err(|e| Error::io(g, &e))?;
            let Some(inside) = real_customers
                .as_ref()
                .and_then(|c| real.strip_prefix(c).ok().map(Path::to_path_buf))
            else {
                return Err(m::E_CHECK_OUTSIDE
                    .with("path", g.display())
                    .with("dir", &self.config.customers_dir)
                    .into());
            };
            let rel_base = Path::new(&self.config.customers_dir).join(&inside);
            if meta.is_dir() {
                let below = markdown_below(&real, None, false, |_, e| Error::Io {
                    path: g.clone(),
                    message: Text::raw(e.to_string()),
                })?;
                out.extend(below.into_iter().map(|(b, _)| rel_base.join(b)));
            } else if meta.is_file() {
                out.push(rel_base);
            } else {
                return Err(m::E_CHECK_NOT_REGULAR.with("path", g.display()).into());
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Removes the tool's stale temporaries at the root (of followup.toml, the overlay, …).
    fn sweep_root(&self) {
        let names = files::temporaries_in(&self.root);
        files::sweep_temporaries(&self.root, &names);
    }

    /// Customer files named `STEM.md` directly in the customers folder, else in its first-level
    /// sub-folders — found by lookups, not by walking the folder. Hidden names never match.
    pub fn shallow_stem_matches(&self, stem: &str) -> Result<Vec<PathBuf>> {
        let plain = !stem.is_empty()
            && !stem.starts_with('.')
            && !stem.contains(['/', '\\'])
            && stem != "..";
        if !plain {
            return Ok(Vec::new());
        }
        let dir = self.customers_dir();
        let file = format!("{stem}.md");
        let is_file = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file());
        let rel = |p: PathBuf| {
            p.strip_prefix(&self.root)
                .map(Path::to_path_buf)
                .unwrap_or(p)
        };
        if is_file(&dir.join(&file)) {
            return Ok(vec![rel(dir.join(&file))]);
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(Vec::new());
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(std::result::Result::ok)
            .filter(|e| {
                e.file_type().is_ok_and(|t| t.is_dir())
                    && !e.file_name().to_string_lossy().starts_with('.')
            })
            .map(|e| e.path().join(&file))
            .filter(|p| is_file(p))
            .map(rel)
            .collect();
        found.sort();
        Ok(found)
    }

    /// A file of the folder (a path relative to the root), read safely.
    pub fn read(&self, rel: &Path) -> Result<Vec<u8>> {
        read_input(&self.root.join(rel), rel)
    }

    /// Reads and parses every customer file in parallel (in path order) with `parse`.
    fn parse_all<T: Send>(
        &self,
        parse: impl Fn(PathBuf, &[u8]) -> std::result::Result<T, Unreadable> + Sync,
    ) -> Result<Vec<std::result::Result<T, Unreadable>>> {
        self.customer_paths()?
            .into_par_iter()
            .map(|rel| {
                let bytes = self.read(&rel)?;
                Ok(parse(rel, &bytes))
            })
            .collect()
    }

    /// Reads every customer file like [`Store::parse_all`], through the read cache `name`: a
    /// file whose stat data match the cache's is not read again. Without the cache
    /// (`FOLLOWUP_NO_CACHE=1`, or `FOLLOWUP_FULL_PARSE=1`), every file is read.
    fn parse_all_cached<T>(
        &self,
        name: &str,
        parse: impl Fn(PathBuf, &[u8]) -> std::result::Result<T, Unreadable> + Sync,
    ) -> Result<Vec<std::result::Result<T, Unreadable>>>
    where
        T: Send + Serialize + DeserializeOwned,
    {
        if cache::disabled() || self.full_parse {
            return self.parse_all(parse);
        }
        let load = |rel: &Path| Ok(parse(rel.to_path_buf(), &self.read(rel)?));
        let raw = cache::read(&self.root, name);
        let old = Cache::open(raw.as_ref(), &self.cache_key);
        let (files, slots) = self.read_cached(name, &self.cache_key, &old, &load)?;
        files
            .par_iter()
            .zip(slots.into_par_iter())
            .map(|((rel, _), slot)| self.open_slot(rel, slot, &load))
            .collect()
    }

    /// Every customer file (as a path relative to the root) and what `load` gives for it, in
    /// path order, through the read cache `name` keyed by the settings and `salt` (what else
    /// the value depends on, such as today's date): an unchanged file is not loaded again.
    pub fn load_all_cached<T>(
        &self,
        name: &str,
        salt: &str,
        load: impl Fn(&Path) -> T + Sync,
    ) -> Result<Vec<(PathBuf, T)>>
    where
        T: Send + Serialize + DeserializeOwned,
    {
        if cache::disabled() || self.full_parse {
            let paths = self.customer_paths()?;
            let values: Vec<T> = paths.par_iter().map(|rel| load(rel)).collect();
            return Ok(paths.into_iter().zip(values).collect());
        }
        let key = format!("{} {salt}", self.cache_key);
        let load = |rel: &Path| Ok(load(rel));
        let raw = cache::read(&self.root, name);
        let old = Cache::open(raw.as_ref(), &key);
        let (files, slots) = self.read_cached(name, &key, &old, &load)?;
        let values: Vec<T> = files
            .par_iter()
            .zip(slots.into_par_iter())
            .map(|((rel, _), slot)| self.open_slot(rel, slot, &load))
            .collect::<Result<_>>()?;
        Ok(files.into_iter().map(|(rel, _)| rel).zip(values).collect())
    }

    /// Every customer file through the read cache `name` (`old`, as loaded): an unchanged
    /// file's slot borrows its encoded value from the cache; a changed or new file is read,
    /// parsed and encoded. The cache is written back when anything differs.
    fn read_cached<'c, T>(
        &self,
        name: &str,
        key: &str,
        old: &Cache<'c>,
        load: &(impl Fn(&Path) -> Result<T> + Sync),
    ) -> Result<(Vec<StampedPath>, Vec<Slot<'c, T>>)>
    where
        T: Send + Serialize,
    {
        let made_ns = cache::now_ns();
        let files = self.customer_files(true)?;
        let slots: Vec<Slot<'c, T>> = files
            .par_iter()
            .map(|(rel, stamp)| {
                if let Some(bytes) = stamp.as_ref().and_then(|s| old.hit(rel, s)) {
                    return Ok(Slot::Cached(bytes));
                }
                let value = load(rel)?;
                Ok(match cache::encode(&value) {
                    Some(bytes) => Slot::Fresh(bytes),
                    None => Slot::Value(value),
                })
            })
            .collect::<Result<_>>()?;
        let hits = slots
            .iter()
            .filter(|s| matches!(s, Slot::Cached(_)))
            .count();
        if hits < files.len() || old.len() != files.len() {
            let encoded = files.iter().zip(&slots).filter_map(|((rel, stamp), slot)| {
                let bytes = match slot {
                    Slot::Cached(bytes) => bytes,
                    Slot::Fresh(bytes) => bytes.as_slice(),
                    Slot::Value(_) => return None,
                };
                Some((rel.as_path(), (*stamp)?, bytes))
            });
            cache::save(&self.root, name, key, made_ns, encoded);
        }
        Ok((files, slots))
    }

    /// The value in a slot; one that does not decode is read from its file again.
    fn open_slot<T: DeserializeOwned>(
        &self,
        rel: &Path,
        slot: Slot<'_, T>,
        load: &(impl Fn(&Path) -> Result<T> + Sync),
    ) -> Result<T> {
        let decoded = match &slot {
            Slot::Cached(bytes) => cache::decode(bytes),
            Slot::Fresh(bytes) => cache::decode(bytes),
            Slot::Value(_) => None,
        };
        match (decoded, slot) {
            (Some(value), _) | (None, Slot::Value(value)) => Ok(value),
            (None, _) => load(rel),
        }
    }

    /// Folds every readable customer's lean record (in full with FOLLOWUP_FULL_PARSE=1) into
    /// accumulators, one record at a time, through the read cache `records`: no record is kept
    /// once folded, so memory grows with what the accumulators keep, not with the folder's
    /// history. Files are folded in parallel runs; `merge` joins the accumulators of two
    /// neighbouring runs, the earlier paths' first. Unreadable files are reported on stderr,
    /// in path order, and skipped.
    pub fn fold_lean<A: Send>(
        &self,
        start: impl Fn() -> A + Sync + Send,
        add: impl Fn(&mut A, Record) + Sync + Send,
        merge: impl Fn(A, A) -> A + Sync + Send,
    ) -> Result<A> {
        let parse = |rel: PathBuf, bytes: &[u8]| self.parse_lean(rel, bytes);
        let begin = || (start(), Vec::new());
        type Folded<A> = Result<(A, Vec<Unreadable>)>;
        let fold = |(mut acc, mut unreadable): (A, Vec<Unreadable>),
                    read: Result<std::result::Result<Record, Unreadable>>|
         -> Folded<A> {
            match read? {
                Ok(record) => add(&mut acc, record),
                Err(u) => unreadable.push(u),
            }
            Ok((acc, unreadable))
        };
        let join =
            |(a, mut bad_a): (A, Vec<Unreadable>), (b, bad_b): (A, Vec<Unreadable>)| -> Folded<A> {
                bad_a.extend(bad_b);
                Ok((merge(a, b), bad_a))
            };
        let (acc, unreadable) = if cache::disabled() || self.full_parse {
            self.customer_paths()?
                .par_iter()
                .map(|rel| Ok(parse(rel.clone(), &self.read(rel)?)))
                .try_fold(begin, fold)
                .try_reduce(begin, join)?
        } else {
            let load = |rel: &Path| Ok(parse(rel.to_path_buf(), &self.read(rel)?));
            let raw = cache::read(&self.root, "records");
            let old = Cache::open(raw.as_ref(), &self.cache_key);
            let (files, slots) = self.read_cached("records", &self.cache_key, &old, &load)?;
            files
                .par_iter()
                .zip(slots.into_par_iter())
                .map(|((rel, _), slot)| self.open_slot(rel, slot, &load))
                .try_fold(begin, fold)
                .try_reduce(begin, join)?
        };
        for u in &unreadable {
            self.warn_skipped(u);
        }
        Ok(acc)
    }

    /// A file's lean record (what `stats` and `pipeline` read), or its full record with
    /// FOLLOWUP_FULL_PARSE=1.
    fn parse_lean(&self, rel: PathBuf, bytes: &[u8]) -> std::result::Result<Record, Unreadable> {
        if self.full_parse {
            parse_record(rel, bytes, &self.config)
        } else {
            parse_lean(rel, bytes, &self.config)
        }
    }

    /// Every customer file, parsed in full, or why it cannot be read.
    pub fn load_all(&self) -> Result<Vec<std::result::Result<Record, Unreadable>>> {
        self.parse_all(|rel, bytes| parse_record(rel, bytes, &self.config))
    }

    /// Every readable customer, its log read leanly (what `stats` needs); with
    /// FOLLOWUP_FULL_PARSE=1 in full. Unreadable files are reported on stderr and skipped.
    pub fn load_lean(&self) -> Result<Vec<Record>> {
        let loaded = self.parse_all_cached("records", |rel, bytes| self.parse_lean(rel, bytes))?;
        Ok(self.readable(loaded))
    }

    /// Every readable customer's summary, read in one parallel pass; unreadable files become
    /// warnings and are skipped.
    pub fn load_summaries(&self) -> Result<Vec<Summary>> {
        Ok(self.readable(self.load_summaries_all()?))
    }

    /// Every customer file's summary, or why it cannot be read.
    pub fn load_summaries_all(&self) -> Result<Vec<std::result::Result<Summary, Unreadable>>> {
        self.parse_all_cached("summaries", |rel, bytes| {
            if self.full_parse {
                parse_record(rel, bytes, &self.config).map(|r| Summary::of(&r))
            } else {
                parse_summary(rel, bytes, &self.config)
            }
        })
    }

    /// Reads `rel`, lets `edit` compute the new bytes, and writes them atomically — all under
    /// an exclusive lock, so concurrent writers queue and none loses another's change.
    /// `edit` returning an error writes nothing.
    pub fn update<T>(
        &self,
        rel: &Path,
        edit: impl FnOnce(&[u8]) -> Result<(Vec<u8>, T)>,
    ) -> Result<T> {
        self.update_private(rel, |bytes| {
            let (new, value) = edit(bytes)?;
            Ok((new, Vec::new(), value))
        })
    }

    /// Like [`Store::update`], with changes for the customer's table in the private overlay:
    /// under the file's lock and the overlay's, the customer file is written first, then the
    /// overlay; if the overlay cannot be written, the customer file is put back as it was.
    pub fn update_private<T>(
        &self,
        rel: &Path,
        edit: impl FnOnce(&[u8]) -> Result<(Vec<u8>, Vec<Change>, T)>,
    ) -> Result<T> {
        let path = self.root.join(rel);
        let folder = parent_of(&path);
        let _lock = self.lock(&[folder])?;
        let old = self.read(rel)?;
        let (new, private, value) = edit(&old)?;
        if private.is_empty() {
            if new != old {
                files::write_atomic(&path, &new, 0o666).map_err(|e| Error::io(rel, &e))?;
            }
            return Ok(value);
        }
        let _overlay_lock = self.lock_overlay_too(folder)?;
        let mut overlay = self.load_overlay()?.unwrap_or_default();
        let key = customer_key(rel, &self.config.customers_dir);
        apply_private(&mut overlay, &key, &private)?;
        if new != old {
            files::write_atomic(&path, &new, 0o666).map_err(|e| Error::io(rel, &e))?;
        }
        if let Err(e) = self.write_overlay(&overlay) {
            if new != old {
                let _ = files::write_atomic(&path, &old, 0o666);
            }
            return Err(e);
        }
        Ok(value)
    }

    /// Creates a customer file named after `stem` in `dir` (relative to the root): `STEM.md`,
    /// else `STEM-2.md`…, chosen under the lock. `before` runs under the lock first (the
    /// duplicate check). With a private overlay, any stale table of that file name is dropped
    /// and `private` is written there — after the customer file, which is removed again if the
    /// overlay cannot be written. Returns the new file's path relative to the root.
    pub fn create(
        &self,
        dir: &Path,
        stem: &str,
        bytes: &[u8],
        private: &[Change],
        before: impl FnOnce() -> Result<()>,
    ) -> Result<PathBuf> {
        let customers = self.customers_dir();
        let folder = self.root.join(dir);
        // The customers folder was checked when the store was opened; a sub-folder must not
        // lead out of it through a symlink either.
        let base = if customers.exists() {
            customers
                .canonicalize()
                .map_err(|e| Error::io(&customers, &e))?
        } else {
            self.real_root.clone()
        };
        if !resolves_inside(&folder, &base) {
            return Err(m::E_LEADS_OUTSIDE
                .with("dir", dir.display())
                .with("customers", &self.config.customers_dir)
                .into());
        }
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(dir, &e))?;
        let _lock = self.lock(&[customers.as_path(), folder.as_path()])?;
        before()?;
        let rel = crate::model::names::file_names(stem)
            .map(|name| dir.join(name))
            .find(|rel| !files::exists_no_follow(&self.root.join(rel)))
            .unwrap_or_else(|| dir.join(format!("{stem}.md")));
        let path = self.root.join(&rel);
        let key = customer_key(&rel, &self.config.customers_dir);
        let _overlay_lock = self.lock_overlay_too(&folder)?;
        let overlay = match self.load_overlay()? {
            Some(mut overlay) => {
                let stale = overlay.drop_customer(&key);
                apply_private(&mut overlay, &key, private)?;
                (stale || !private.is_empty()).then_some(overlay)
            }
            None if private.is_empty() => None,
            None => {
                return Err(m::E_PRIVATE_GONE
                    .with("file", &self.config.private_file)
                    .into());
            }
        };
        files::write_atomic(&path, bytes, 0o666).map_err(|e| Error::io(&rel, &e))?;
        if let Some(overlay) = overlay
            && let Err(e) = self.write_overlay(&overlay)
        {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        Ok(rel)
    }

    /// Locks these folders in this order, each once.
    fn lock(&self, dirs: &[&Path]) -> Result<Vec<Lock>> {
        let mut seen: Vec<PathBuf> = Vec::new();
        let mut locks = Vec::new();
        for dir in dirs {
            let real = dir.canonicalize().map_err(|e| Error::io(*dir, &e))?;
            if seen.contains(&real) {
                continue;
            }
            locks.push(files::lock_dir(dir).map_err(|e| Error::io(*dir, &e))?);
            seen.push(real);
        }
        Ok(locks)
    }

    /// The overlay's folder lock, taken after the customer folder's (always in this order, so
    /// two writers never wait for each other); none when it is the same folder.
    fn lock_overlay_too(&self, held: &Path) -> Result<Vec<Lock>> {
        let overlay_dir = parent_of(&self.overlay_path()).to_path_buf();
        let same = held.canonicalize().ok() == overlay_dir.canonicalize().ok();
        if same {
            return Ok(Vec::new());
        }
        self.lock(&[&overlay_dir])
    }
}

/// A customer file's path relative to the root, and its stamp (`None`: it vanished meanwhile).
type StampedPath = (PathBuf, Option<Stamp>);

/// One customer file as the read cache gives it.
enum Slot<'c, T> {
    /// Unchanged since the cache was made: its encoded value, borrowed from the cache.
    Cached(&'c [u8]),
    /// Read now, and encoded for the cache to be written.
    Fresh(Vec<u8>),
    /// Read now, but it could not be encoded (so it is not cached).
    Value(T),
}

/// The `.md` files below `dir`, relative to it, in path order, each with its stamp when
/// `stamped` (taken from the open folder, so the file's path is not resolved again). Hidden
/// names are skipped, symlinks are not followed; the tool's stale temporaries met on the way
/// go to `temporary`. The walk is depth-first over each folder's names in byte order, which
/// is the order of `Path`'s comparison (component by component).
fn markdown_below(
    dir: &Path,
    mut temporary: Option<&mut dyn FnMut(&Path)>,
    stamped: bool,
    error: impl Fn(PathBuf, std::io::Error) -> Error,
) -> Result<Vec<StampedPath>> {
    let listing = |folder: &Path, rel: &Path| -> Result<std::vec::IntoIter<(PathBuf, DirEntry)>> {
        let mut entries = std::fs::read_dir(folder)
            .and_then(|read| {
                read.map(|e| e.map(|e| (rel.join(e.file_name()), e)))
                    .collect::<std::io::Result<Vec<(PathBuf, DirEntry)>>>()
            })
            .map_err(|e| error(folder.to_path_buf(), e))?;
        entries.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
        Ok(entries.into_iter())
    };
    let mut found = Vec::new();
    let mut stack = vec![listing(dir, Path::new(""))?];
    while let Some(top) = stack.last_mut() {
        let Some((rel, entry)) = top.next() else {
            stack.pop();
            continue;
        };
        let kind = entry.file_type().map_err(|e| error(entry.path(), e))?;
        let name = entry.file_name();
        if files::is_temporary_name(&name) {
            if let Some(temporary) = temporary.as_mut()
                && kind.is_file()
            {
                temporary(&entry.path());
            }
            continue;
        }
        if name.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        if kind.is_dir() {
            stack.push(listing(&entry.path(), &rel)?);
        } else if kind.is_file() && rel.extension().is_some_and(|x| x == "md") {
            let stamp = stamped
                .then(|| entry.metadata().ok().map(|m| Stamp::of(&m)))
                .flatten();
            found.push((rel, stamp));
        }
    }
    Ok(found)
}

/// Does `path`, with the symlinks of its existing part resolved, stay inside `base` (canonical)?
fn resolves_inside(path: &Path, base: &Path) -> bool {
    let mut existing = path;
    while !files::exists_no_follow(existing) {
        match existing.parent() {
            Some(p) => existing = p,
            None => return false,
        }
    }
    existing
        .canonicalize()
        .is_ok_and(|real| real.starts_with(base))
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn apply_private(overlay: &mut Overlay, key: &str, private: &[Change]) -> Result<()> {
    for change in private {
        match change {
            Change::Set(k, v) => overlay.set(key, k, v.clone()).map_err(Error::Refused)?,
            Change::Remove(k) => overlay.remove(key, k),
        }
    }
    Ok(())
}

impl Store {
    pub fn overlay_path(&self) -> PathBuf {
        self.root.join(&self.config.private_file)
    }

    /// The private overlay, when the team uses one (its file exists). It must be a regular
    /// file that git does not track.
    pub fn load_overlay(&self) -> Result<Option<Overlay>> {
        let path = self.overlay_path();
        let shown = Path::new(&self.config.private_file);
        let bytes = match files::read_regular(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => {
                return Err(Error::Io {
                    path: shown.to_path_buf(),
                    message: e.describe(),
                });
            }
        };
        if crate::io::git::is_tracked(&self.root, shown) {
            return Err(m::E_PRIVATE_TRACKED.with("file", shown.display()).into());
        }
        let text = String::from_utf8(bytes).map_err(|_| Error::Parse {
            path: shown.to_path_buf(),
            line: 1,
            message: m::NOT_UTF8.into(),
            hint: Some(m::HINT_SAVE_UTF8.into()),
        })?;
        Overlay::parse(&text)
            .map(Some)
            .map_err(|message| Error::Parse {
                path: shown.to_path_buf(),
                line: 1,
                message: Text::raw(message),
                hint: Some(m::HINT_FIX_OVERLAY.into()),
            })
    }

    /// Writes the overlay atomically (a new one readable by its owner only). The caller holds
    /// the overlay folder's lock.
    fn write_overlay(&self, overlay: &Overlay) -> Result<()> {
        let path = self.overlay_path();
        files::write_atomic(&path, overlay.to_string().as_bytes(), 0o600)
            .map_err(|e| Error::io(&self.config.private_file, &e))
    }

    /// Changes the overlay under the lock and writes it atomically.
    pub fn update_overlay<T>(&self, edit: impl FnOnce(&mut Overlay) -> Result<T>) -> Result<T> {
        let path = self.overlay_path();
        let _lock = self.lock(&[parent_of(&path)])?;
        let mut overlay = self.load_overlay()?.unwrap_or_default();
        let value = edit(&mut overlay)?;
        self.write_overlay(&overlay)?;
        Ok(value)
    }
}

/// Writes a file atomically under its folder's lock, creating the folder: the settings and
/// `.gitignore` (`init`), a merge result (the merge driver), an output file the user named
/// (`export ics --out FILE`, so a web server publishing it never serves half a file).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
    }
    if path.is_dir() {
        return Err(m::E_OUT_IS_FOLDER.with("dir", path.display()).into());
    }
    let _lock = files::lock_dir(parent_of(path)).map_err(|e| Error::io(parent_of(path), &e))?;
    files::write_atomic(path, bytes, 0o666).map_err(|e| Error::io(path, &e))
}

/// The folder an output is written into (`report --out DIR`): created when missing (a file of
/// that name is refused), returned as its canonical path so links can be made relative to it.
/// `shown` is the path as the user wrote it, for the message.
pub fn output_dir(path: &Path, shown: &Path) -> Result<PathBuf> {
    if path.exists() && !path.is_dir() {
        return Err(m::E_OUT_IS_FILE.with("file", shown.display()).into());
    }
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, &e))?;
    canonical(path)
}

/// A path with every symlink and `..` resolved (the path must exist).
pub fn canonical(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).map_err(|e| Error::io(path, &e))
}

/// Creates a folder and the folders above it that are missing (`init`).
pub fn create_dir(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, &e))
}

/// Is `path` itself a symbolic link?
pub fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Is there a folder at `path` (following symlinks)?
pub fn is_dir(path: &Path) -> bool {
    path.is_dir()
}

/// Is there a regular file at `path` (following symlinks)?
pub fn is_file(path: &Path) -> bool {
    path.is_file()
}

/// Is there anything at `path` (following symlinks)?
pub fn exists(path: &Path) -> bool {
    path.exists()
}

/// Like [`write_file`], then makes the file executable (a git hook).
pub fn write_executable(path: &Path, bytes: &[u8]) -> Result<()> {
    write_file(path, bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| Error::io(path, &e))?;
    }
    Ok(())
}
