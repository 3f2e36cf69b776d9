//! The only code that touches the filesystem: finding the folder root, walking the customer
//! files, reading them, and writing one atomically under an exclusive lock.

use crate::error::{Error, Result};
use crate::io::overlay::Overlay;
use crate::model::config::Config;
use crate::model::record::{Record, Unreadable, parse_lean, parse_record, parse_summary};
use crate::model::summary::Summary;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "followup.toml";

/// Warnings found while reading (an unknown settings key, a skipped file): collected here and
/// printed once, at the program's edge, after the command.
pub type Warnings = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// An opened sales folder: its root and its settings.
#[derive(Debug, Clone)]
pub struct Store {
    pub root: PathBuf,
    pub config: Config,
    /// Summaries from full records instead of the lean scan (see `Ctx::full_parse`).
    pub full_parse: bool,
    warnings: Warnings,
}

/// The nearest folder at or above `start` that holds followup.toml.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    if !start.is_dir() {
        return Err(Error::Refused(format!(
            "{} is not a folder; pass -C with the sales folder",
            start.display()
        )));
    }
    let abs = std::path::absolute(start).map_err(|e| Error::io(start, &e))?;
    abs.ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
        .ok_or(Error::NoRoot { start: abs.clone() })
}

impl Store {
    /// Opens the folder whose root is `root`, reading its followup.toml; warnings go to
    /// `warnings`.
    pub fn open(root: PathBuf, warnings: Warnings) -> Result<Store> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, &e))?;
        let config = Config::parse(&text).map_err(|(line, message)| Error::Parse {
            path: path.clone(),
            line,
            message,
            hint: Some("fix followup.toml; every key is optional".into()),
        })?;
        let store = Store {
            root,
            config,
            full_parse: false,
            warnings,
        };
        for key in Config::unknown_keys(&text) {
            store.warn(format!(
                "{}: unknown key `{key}` is ignored",
                path.display()
            ));
        }
        Ok(store)
    }

    /// Records a warning for the user (printed after the command).
    pub fn warn(&self, message: String) {
        if let Ok(mut w) = self.warnings.lock() {
            w.push(message);
        }
    }

    /// The parsed files; each unreadable one becomes a warning (one broken file must not hide
    /// the team's day; `followup check` shows its problems in full).
    fn readable<T>(&self, loaded: Vec<std::result::Result<T, Unreadable>>) -> Vec<T> {
        loaded
            .into_iter()
            .filter_map(|l| match l {
                Ok(t) => Some(t),
                Err(u) => {
                    let d = u.first();
                    self.warn(format!(
                        "skipped {}:{}: {}; run `followup check` to see every problem",
                        u.path.display(),
                        d.line,
                        d.message
                    ));
                    None
                }
            })
            .collect()
    }

    pub fn customers_dir(&self) -> PathBuf {
        self.root.join(&self.config.customers_dir)
    }

    /// Every customer file, as a path relative to the root, sorted; hidden files and folders
    /// are skipped and symlinks are not followed.
    pub fn customer_paths(&self) -> Result<Vec<PathBuf>> {
        let dir = self.customers_dir();
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let mut paths = Vec::new();
        let walker = walkdir::WalkDir::new(&dir)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&dir).to_path_buf();
                Error::Io {
                    path,
                    message: e.to_string(),
                }
            })?;
            let is_md = entry.path().extension().is_some_and(|x| x == "md");
            if entry.file_type().is_file() && is_md {
                let rel = entry
                    .path()
                    .strip_prefix(&self.root)
                    .unwrap_or(entry.path());
                paths.push(rel.to_path_buf());
            }
        }
        paths.sort();
        Ok(paths)
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

    pub fn read(&self, rel: &Path) -> Result<Vec<u8>> {
        let path = self.root.join(rel);
        std::fs::read(&path).map_err(|e| Error::io(rel, &e))
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

    /// Every customer file, parsed in full, or why it cannot be read.
    pub fn load_all(&self) -> Result<Vec<std::result::Result<Record, Unreadable>>> {
        self.parse_all(|rel, bytes| parse_record(rel, bytes, &self.config))
    }

    /// Every readable customer, its log read leanly (what `stats` needs); with
    /// FOLLOWUP_FULL_PARSE=1 in full. Unreadable files are reported on stderr and skipped.
    pub fn load_lean(&self) -> Result<Vec<Record>> {
        let loaded = self.parse_all(|rel, bytes| {
            if self.full_parse {
                parse_record(rel, bytes, &self.config)
            } else {
                parse_lean(rel, bytes, &self.config)
            }
        })?;
        Ok(self.readable(loaded))
    }

    /// Every readable customer's summary as of a date, read in one parallel pass; unreadable
    /// files are reported on stderr and skipped.
    pub fn load_summaries(&self, as_of: NaiveDate) -> Result<Vec<Summary>> {
        Ok(self.readable(self.load_summaries_all(as_of)?))
    }

    /// Every customer file's summary, or why it cannot be read.
    pub fn load_summaries_all(
        &self,
        as_of: NaiveDate,
    ) -> Result<Vec<std::result::Result<Summary, Unreadable>>> {
        self.parse_all(|rel, bytes| {
            if self.full_parse {
                parse_record(rel, bytes, &self.config).map(|r| Summary::of(&r, as_of))
            } else {
                parse_summary(rel, bytes, &self.config, as_of)
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
        let path = self.root.join(rel);
        let _lock = lock_for(&path)?;
        let old = std::fs::read(&path).map_err(|e| Error::io(rel, &e))?;
        let (new, value) = edit(&old)?;
        if new != old {
            write_atomic(&path, &new).map_err(|e| Error::io(rel, &e))?;
        }
        Ok(value)
    }

    /// Creates a new file atomically; refuses when it already exists.
    pub fn create(&self, rel: &Path, bytes: &[u8]) -> Result<()> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        }
        let _lock = lock_for(&path)?;
        if path.exists() {
            return Err(Error::Refused(format!(
                "{} already exists; nothing was written",
                rel.display()
            )));
        }
        write_atomic(&path, bytes).map_err(|e| Error::io(rel, &e))
    }
}

impl Store {
    pub fn overlay_path(&self) -> PathBuf {
        self.root.join(&self.config.private_file)
    }

    /// The private overlay, when the team uses one (its file exists).
    pub fn load_overlay(&self) -> Result<Option<Overlay>> {
        let path = self.overlay_path();
        match std::fs::read_to_string(&path) {
            Ok(text) => Overlay::parse(&text)
                .map(Some)
                .map_err(|message| Error::Parse {
                    path,
                    line: 1,
                    message,
                    hint: Some("fix the overlay's TOML".into()),
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&path, &e)),
        }
    }

    /// Changes the overlay under the lock and writes it atomically.
    pub fn update_overlay<T>(&self, edit: impl FnOnce(&mut Overlay) -> Result<T>) -> Result<T> {
        let path = self.overlay_path();
        let _lock = lock_for(&path)?;
        let mut overlay = self.load_overlay()?.unwrap_or_default();
        let value = edit(&mut overlay)?;
        write_atomic(&path, overlay.to_string().as_bytes()).map_err(|e| Error::io(&path, &e))?;
        Ok(value)
    }
}

/// Writes an output file the user named (`export ics --out FILE`), creating its folder;
/// atomically, so a web server publishing it never serves half a file.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
    }
    if path.is_dir() {
        return Err(Error::Refused(format!(
            "{} is a folder; give --out a file name such as {}/calendar.ics",
            path.display(),
            path.display()
        )));
    }
    write_atomic(path, bytes).map_err(|e| Error::io(path, &e))
}

/// Temporary file in the same folder, fsync, rename over the target, fsync the folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = atomic_write_file::AtomicWriteFile::options().open(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// An exclusive lock held until dropped. On Unix it locks the file's folder itself, so no lock
/// file is ever left behind; the rename of an atomic write does not replace the folder.
pub struct Lock {
    _file: File,
}

fn lock_for(path: &Path) -> Result<Lock> {
    let dir = path.parent().unwrap_or(Path::new("."));
    #[cfg(unix)]
    let file = File::open(dir).map_err(|e| Error::io(dir, &e))?;
    #[cfg(not(unix))]
    let file = {
        let lock = dir.join(".followup.lock");
        File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .map_err(|e| Error::io(&lock, &e))?
    };
    file.lock().map_err(|e| Error::io(dir, &e))?;
    Ok(Lock { _file: file })
}
