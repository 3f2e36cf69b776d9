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
const FORMAT: u32 = 2;

const MAGIC: &[u8; 16] = b"followup-cache\0\x01";

/// The largest cache read (a 50,000-customer folder's records take ~100 MB); a larger one is
/// rebuilt as if damaged.
const MAX_CACHE: u64 = 4 << 30;

/// The magic, the format number and the payload's CRC-32.
const HEADER: usize = 16 + 4 + 4;

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

/// One file's slot: its path (the platform's bytes), stamp, and what reading it gave, encoded
/// on its own so that a reader decodes only the values it uses, each when it needs it, and a
/// writer copies the unchanged ones as they are.
#[derive(Serialize, serde::Deserialize)]
struct Slot<'a> {
    #[serde(borrow, serialize_with = "as_bytes")]
    path: &'a [u8],
    stamp: Stamp,
    #[serde(borrow, serialize_with = "as_bytes")]
    value: &'a [u8],
}

/// Bytes written as one run (serde would write a `&[u8]` byte by byte, the same encoding
/// made a hundred times slower for a large cache).
fn as_bytes<S: serde::Serializer>(bytes: &&[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bytes(bytes)
}

#[derive(Serialize, serde::Deserialize)]
struct Contents<'a> {
    /// The tool's version and the digest of followup.toml the values were read with.
    #[serde(borrow)]
    key: &'a str,
    /// When the run that wrote the cache started.
    made_ns: i128,
    #[serde(borrow)]
    slots: Vec<Slot<'a>>,
}

/// A cache file whose magic, format and checksum are right: its bytes and where its payload
/// (not yet decoded) starts.
pub struct Raw {
    bytes: Vec<u8>,
    payload: usize,
}

/// A cache read from disk, borrowing its bytes: each file's stamp and encoded value.
#[derive(Default)]
pub struct Cache<'a> {
    made_ns: i128,
    slots: HashMap<&'a [u8], (Stamp, &'a [u8])>,
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

/// The bytes of the cache `name` of the folder at `root`, when there is one whose magic,
/// format and checksum are right.
pub fn read(root: &Path, name: &str) -> Option<Raw> {
    if !is_real_dir(&root.join(DIR)) {
        return None;
    }
    let bytes = files::read_regular_up_to(&file(root, name), MAX_CACHE).ok()?;
    let payload = bytes.len() - unwrap_checked(&bytes)?.len();
    Some(Raw { bytes, payload })
}

/// The path's bytes as the cache keys them.
fn path_key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

impl<'a> Cache<'a> {
    /// The cache in `raw`, or an empty one when there is none or it cannot be trusted
    /// (damaged, foreign, made by another version or with other settings).
    pub fn open(raw: Option<&'a Raw>, key: &str) -> Cache<'a> {
        let Some(raw) = raw else {
            return Cache::default();
        };
        match postcard::from_bytes::<Contents<'a>>(&raw.bytes[raw.payload..]) {
            Ok(contents) if contents.key == key => Cache {
                made_ns: contents.made_ns,
                slots: contents
                    .slots
                    .into_iter()
                    .map(|s| (s.path, (s.stamp, s.value)))
                    .collect(),
            },
            _ => Cache::default(),
        }
    }

    /// How many files the cache holds.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// The encoded value of a file whose stamp is `stamp`; `None` when the file is new,
    /// changed, or changed too close to the cache's making to be sure.
    pub fn hit(&self, path: &Path, stamp: &Stamp) -> Option<&'a [u8]> {
        let (cached, value) = self.slots.get(path_key(path))?;
        let settled =
            stamp.modified_ns + RACY_NS < self.made_ns && stamp.changed_ns + RACY_NS < self.made_ns;
        (cached == stamp && settled).then_some(*value)
    }
}

/// A value as a cache slot holds it.
pub fn encode<T: Serialize>(value: &T) -> Option<Vec<u8>> {
    postcard::to_stdvec(value).ok()
}

/// A slot's value; `None` when it does not decode (then the file is read again).
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    postcard::from_bytes(bytes).ok()
}

/// Writes the cache `name` atomically, creating `.followup/` (with a `.gitignore` of its own,
/// so it stays out of git even in a folder that `followup init` never saw). A cache that
/// cannot be written is simply not written: it is an optimisation, never a requirement.
pub fn save<'v>(
    root: &Path,
    name: &str,
    key: &str,
    made_ns: i128,
    slots: impl IntoIterator<Item = (&'v Path, Stamp, &'v [u8])>,
) {
    let contents = Contents {
        key,
        made_ns,
        slots: slots
            .into_iter()
            .map(|(path, stamp, value)| Slot {
                path: path_key(path),
                stamp,
                value,
            })
            .collect(),
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
    // Streamed to the file (a large folder's cache is never a second copy in memory); the
    // header's checksum is filled in once the payload behind it is written.
    write_replacing(&file(root, name), |file| {
        use std::io::{Seek, SeekFrom, Write};
        file.write_all(MAGIC)?;
        file.write_all(&FORMAT.to_le_bytes())?;
        file.write_all(&[0; 4])?;
        let summing = Summing {
            inner: file,
            crc: crc32fast::Hasher::new(),
        };
        let out = std::io::BufWriter::with_capacity(1 << 16, summing);
        let out = postcard::to_io(&contents, out).map_err(std::io::Error::other)?;
        let summing = out.into_inner().map_err(|e| e.into_error())?;
        let (file, crc) = (summing.inner, summing.crc.finalize());
        file.seek(SeekFrom::Start((HEADER - 4) as u64))?;
        file.write_all(&crc.to_le_bytes())
    });
}

/// A writer that passes bytes on and sums them (CRC-32) as they go.
struct Summing<W> {
    inner: W,
    crc: crc32fast::Hasher,
}

impl<W: std::io::Write> std::io::Write for Summing<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.crc.update(&bytes[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a temporary with `write` and renames it over `path`: readers see the old cache or
/// the new one, never half of one. The temporary has a random name and is created exclusively,
/// so it is never written through a symlink a teammate committed under `.followup/` (a
/// predictable name was: that wrote the cache over any file the user could write). No fsync: a
/// cache lost in a crash is rebuilt (and a damaged one fails its checksum), so the write need
/// not wait for the disk. The rename replaces a symlink at `path` itself, never its target.
fn write_replacing(path: &Path, write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>) {
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
    if write(tmp.as_file_mut()).is_ok() {
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
        write_replacing(&target, |f| std::io::Write::write_all(f, b"new cache"));
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

    /// The value a test cache finds for `a.md` at `stamp`, decoded.
    fn found(root: &Path, key: &str, stamp: &Stamp) -> Option<String> {
        let raw = read(root, "t");
        let cache = Cache::open(raw.as_ref(), key);
        cache.hit(Path::new("a.md"), stamp).and_then(decode)
    }

    #[test]
    fn a_cache_round_trips_and_refuses_what_it_cannot_trust() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let made = 100 * RACY_NS;
        let value = encode(&String::from("parsed")).unwrap();
        save(
            root,
            "t",
            "k1",
            made,
            [(Path::new("a.md"), stamp(1), &value[..])],
        );
        assert_eq!(found(root, "k1", &stamp(2)), None, "changed");
        assert_eq!(found(root, "k1", &stamp(1)).as_deref(), Some("parsed"));
        // Another key (version or settings): nothing is trusted.
        assert_eq!(found(root, "k2", &stamp(1)), None);
        // A damaged file: nothing is trusted.
        let path = file(root, "t");
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(found(root, "k1", &stamp(1)), None);
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
            [(Path::new("a.md"), stamp(0), &[1u8][..])],
        );
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_file_changed_close_to_the_cache_making_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let made = 100 * RACY_NS;
        let value = encode(&String::from("racy")).unwrap();
        save(
            dir.path(),
            "t",
            "k",
            made,
            [(Path::new("a.md"), stamp(made - 1), &value[..])],
        );
        assert_eq!(found(dir.path(), "k", &stamp(made - 1)), None);
    }
}
