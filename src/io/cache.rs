//! The read cache, like git's index: for each customer file, its stat data (size, modification
//! and change times, inode) and what reading it gave — so a morning `due` re-reads only the
//! files that changed since the last run. It lives in `.followup/` (git-ignored), is keyed by
//! the tool's version and the bytes of followup.toml, and is never trusted when in doubt: a
//! damaged, foreign or older cache is ignored and rebuilt, and a file changed within two seconds
//! of the cache's making is read again (git's racy-index rule, sized for coarse file systems).
//! `FOLLOWUP_NO_CACHE=1` bypasses it. Output with and without the cache is the same.

use crate::io::files;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The folder of the cache, inside the sales folder's root.
pub const DIR: &str = ".followup";

/// Bumped whenever what is cached changes shape; a cache of another format is rebuilt.
const FORMAT: u32 = 1;

const MAGIC: &[u8; 16] = b"followup-cache\0\x01";

/// A file modified this close to (or after) the cache's making may have changed again within
/// its timestamp's resolution, unseen: it is read again.
const RACY_NS: i128 = 2_000_000_000;

/// What the file system says of a file; equal stamps mean an unchanged file (outside the racy
/// window).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Stamp {
    size: u64,
    modified_ns: i128,
    changed_ns: i128,
    inode: u64,
}

impl Stamp {
    pub fn of(meta: &Metadata) -> Stamp {
        let ns = |t: std::io::Result<SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i128)
        };
        #[cfg(unix)]
        let (changed_ns, inode) = {
            use std::os::unix::fs::MetadataExt;
            (
                i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
                meta.ino(),
            )
        };
        #[cfg(not(unix))]
        let (changed_ns, inode) = (ns(meta.created()), 0);
        Stamp {
            size: meta.len(),
            modified_ns: ns(meta.modified()),
            changed_ns,
            inode,
        }
    }
}

/// Now, in nanoseconds since the epoch: when a cache is made.
pub fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

#[derive(Serialize, serde::Deserialize)]
struct Entry<T> {
    path: PathBuf,
    stamp: Stamp,
    value: T,
}

#[derive(Serialize, serde::Deserialize)]
struct Contents<T> {
    /// The tool's version and the digest of followup.toml the values were read with.
    key: String,
    /// When the run that wrote the cache started.
    made_ns: i128,
    entries: Vec<Entry<T>>,
}

/// A cache read from disk: the values of the files whose stamp still matches.
pub struct Cache<T> {
    made_ns: i128,
    entries: HashMap<PathBuf, (Stamp, T)>,
}

/// The cache's file for one kind of value (`summaries`, `records`).
fn file(root: &Path, name: &str) -> PathBuf {
    root.join(DIR).join(format!("{name}.cache"))
}

/// What a cache must have been made with to be used: this build and these settings.
pub fn key(config_text: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(config_text.as_bytes());
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("{} {FORMAT} {hex}", env!("CARGO_PKG_VERSION"))
}

impl<T: DeserializeOwned> Cache<T> {
    /// The cache `name` of the folder at `root`, or an empty one when there is none or it
    /// cannot be trusted (damaged, foreign, made by another version or with other settings).
    pub fn load(root: &Path, name: &str, key: &str) -> Cache<T> {
        let empty = Cache {
            made_ns: 0,
            entries: HashMap::new(),
        };
        if !is_real_dir(&root.join(DIR)) {
            return empty;
        }
        let Ok(bytes) = files::read_regular(&file(root, name)) else {
            return empty;
        };
        let Some(payload) = unwrap_checked(&bytes) else {
            return empty;
        };
        match postcard::from_bytes::<Contents<T>>(payload) {
            Ok(contents) if contents.key == key => Cache {
                made_ns: contents.made_ns,
                entries: contents
                    .entries
                    .into_iter()
                    .map(|e| (e.path, (e.stamp, e.value)))
                    .collect(),
            },
            _ => empty,
        }
    }
}

impl<T> Cache<T> {
    /// No cached value left (every one was taken, or there were none).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The cached value of a file whose stamp is `stamp`, taken out of the cache; `None` when
    /// the file is new, changed, or changed too close to the cache's making to be sure.
    pub fn take(&mut self, path: &Path, stamp: &Stamp) -> Option<T> {
        let (cached, _) = self.entries.get(path)?;
        let settled =
            stamp.modified_ns + RACY_NS < self.made_ns && stamp.changed_ns + RACY_NS < self.made_ns;
        if cached != stamp || !settled {
            return None;
        }
        self.entries.remove(path).map(|(_, value)| value)
    }
}

/// Writes the cache `name` atomically, creating `.followup/` (with a `.gitignore` of its own,
/// so it stays out of git even in a folder that `followup init` never saw). A cache that
/// cannot be written is simply not written: it is an optimisation, never a requirement.
pub fn save<T: Serialize>(
    root: &Path,
    name: &str,
    key: &str,
    made_ns: i128,
    entries: Vec<(&Path, Stamp, &T)>,
) {
    let contents = Contents {
        key: key.to_string(),
        made_ns,
        entries: entries
            .into_iter()
            .map(|(path, stamp, value)| Entry {
                path: path.to_path_buf(),
                stamp,
                value,
            })
            .collect(),
    };
    let Ok(payload) = postcard::to_stdvec(&contents) else {
        return;
    };
    let dir = root.join(DIR);
    if !files::exists_no_follow(&dir) && std::fs::create_dir(&dir).is_err() {
        return;
    }
    if !is_real_dir(&dir) {
        return; // a symlink or a file by that name: never written through
    }
    let ignore = dir.join(".gitignore");
    if !files::exists_no_follow(&ignore) {
        let _ = files::write_atomic(
            &ignore,
            b"# followup's read cache: never shared\n*\n",
            0o644,
        );
    }
    let mut bytes = Vec::with_capacity(payload.len() + 24);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    write_replacing(&file(root, name), &bytes);
}

/// Writes a temporary and renames it over `path`: readers see the old cache or the new one,
/// never half of one. The temporary has a random name and is created exclusively, so it is
/// never written through a symlink a teammate committed under `.followup/` (a predictable name
/// was: that wrote the cache over any file the user could write). No fsync: a cache lost in a
/// crash is rebuilt (and a damaged one fails its checksum), so the write need not wait for the
/// disk. The rename replaces a symlink at `path` itself, never its target.
fn write_replacing(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    let Some(dir) = path.parent() else {
        return;
    };
    let Ok(mut tmp) = tempfile::Builder::new()
        .prefix(".cache-")
        .suffix(".tmp")
        .tempfile_in(dir)
    else {
        return;
    };
    if tmp.write_all(bytes).is_ok() {
        let _ = tmp.persist(path); // on failure the temporary is removed when dropped
    }
}

/// The payload of a cache file whose magic, format and checksum are right.
fn unwrap_checked(bytes: &[u8]) -> Option<&[u8]> {
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (format, rest) = rest.split_at_checked(4)?;
    let (crc, payload) = rest.split_at_checked(4)?;
    let format = u32::from_le_bytes(format.try_into().ok()?);
    let crc = u32::from_le_bytes(crc.try_into().ok()?);
    (format == FORMAT && crc32fast::hash(payload) == crc).then_some(payload)
}

/// A folder that is itself a folder, not a symlink to one.
fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Is the cache turned off for this run (`FOLLOWUP_NO_CACHE=1`)?
pub fn disabled() -> bool {
    std::env::var_os("FOLLOWUP_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_cache_is_never_written_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        std::fs::write(&outside, "keep me\n").unwrap();
        let cache = dir.path().join(".followup");
        std::fs::create_dir(&cache).unwrap();
        let target = cache.join("summaries.cache");
        std::os::unix::fs::symlink(&outside, &target).unwrap();
        write_replacing(&target, b"new cache");
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep me\n");
        assert!(std::fs::symlink_metadata(&target).unwrap().is_file());
        assert_eq!(std::fs::read(&target).unwrap(), b"new cache");
        let left: Vec<_> = std::fs::read_dir(&cache).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary is left");
    }

    fn stamp(modified_ns: i128) -> Stamp {
        Stamp {
            size: 10,
            modified_ns,
            changed_ns: modified_ns,
            inode: 7,
        }
    }

    #[test]
    fn a_cache_round_trips_and_refuses_what_it_cannot_trust() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let made = 100 * RACY_NS;
        let value = String::from("parsed");
        save(
            root,
            "t",
            "k1",
            made,
            vec![(Path::new("a.md"), stamp(1), &value)],
        );
        let mut cache: Cache<String> = Cache::load(root, "t", "k1");
        assert_eq!(cache.take(Path::new("a.md"), &stamp(2)), None, "changed");
        assert_eq!(cache.take(Path::new("a.md"), &stamp(1)), Some(value));
        // Another key (version or settings): nothing is trusted.
        let mut other: Cache<String> = Cache::load(root, "t", "k2");
        assert_eq!(other.take(Path::new("a.md"), &stamp(1)), None);
        // A damaged file: nothing is trusted.
        let path = file(root, "t");
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, bytes).unwrap();
        let mut damaged: Cache<String> = Cache::load(root, "t", "k1");
        assert_eq!(damaged.take(Path::new("a.md"), &stamp(1)), None);
        assert!(root.join(DIR).join(".gitignore").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_cache_folder_is_never_read_nor_written() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(DIR)).unwrap();
        save(
            dir.path(),
            "t",
            "k",
            1,
            vec![(Path::new("a.md"), stamp(0), &1u8)],
        );
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_file_changed_close_to_the_cache_making_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let made = 100 * RACY_NS;
        save(
            dir.path(),
            "t",
            "k",
            made,
            vec![(Path::new("a.md"), stamp(made - 1), &1u8)],
        );
        let mut cache: Cache<u8> = Cache::load(dir.path(), "t", "k");
        assert_eq!(cache.take(Path::new("a.md"), &stamp(made - 1)), None);
    }
}
