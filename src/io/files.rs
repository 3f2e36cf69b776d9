//! The file primitives every read and write of the tool goes through, so that the folder is a
//! boundary (docs/security.md):
//!
//! - [`read_regular`] reads only a regular file: a symlink is refused without being followed, a
//!   FIFO or device is refused without being waited on (opened non-blocking, checked with
//!   `fstat`), and a file over [`MAX_INPUT`] is refused before it is read.
//! - [`write_atomic`] writes the new bytes into an unnamed temporary file (`O_TMPFILE` on
//!   Linux), fsyncs it, gives it the name `.NAME.followup-tmp` only for the two system calls
//!   that link and rename it over the target, then fsyncs the folder. Where unnamed files are
//!   not supported, the same name is used for the whole write. The name is fixed, so a
//!   temporary left by a killed process is found by name and removed by the next write of that
//!   file, or by the next run that lists the folder ([`sweep_temporaries`]).
//! - [`confine`] resolves a path from the settings inside the root, following symlinks.
//! - [`lock_dir`] / [`try_lock_dir`]: the exclusive folder lock every writer holds.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// The largest input file the tool reads: 64 MiB, far beyond any customer file.
pub const MAX_INPUT: u64 = 64 * 1024 * 1024;

/// The suffix of the tool's temporary files: `.acme.md.followup-tmp`.
pub const TEMP_SUFFIX: &str = ".followup-tmp";

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    Symlink,
    /// A FIFO, device, socket or folder: what kind it is.
    NotRegular(&'static str),
    TooLarge(u64),
}

impl ReadError {
    /// The reason and what to do, for an error message that names the file.
    pub fn describe(&self) -> crate::msg::Text {
        use crate::msg::m;
        match self {
            ReadError::Io(e) => crate::error::describe_io(e),
            ReadError::Symlink => m::IO_SYMLINK.into(),
            ReadError::NotRegular(kind) => m::IO_NOT_REGULAR.with_text(
                "kind",
                match *kind {
                    "FIFO (named pipe)" => m::KIND_FIFO,
                    "device" => m::KIND_DEVICE,
                    "socket" => m::KIND_SOCKET,
                    "folder" => m::KIND_FOLDER,
                    _ => m::KIND_SPECIAL,
                },
            ),
            ReadError::TooLarge(len) => m::IO_TOO_LARGE
                .with("size", len.div_ceil(1024 * 1024))
                .with("limit", MAX_INPUT / (1024 * 1024)),
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

fn kind_of(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "FIFO (named pipe)";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "device";
        }
        if ft.is_socket() {
            return "socket";
        }
    }
    if ft.is_dir() {
        return "folder";
    }
    if ft.is_symlink() {
        return "symbolic link";
    }
    "special file"
}

/// Reads a regular file of at most [`MAX_INPUT`] bytes; never follows a symlink in the last
/// component, never blocks on a FIFO or device, never reads past the limit.
pub fn read_regular(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_regular_up_to(path, MAX_INPUT)
}

/// [`read_regular`] with another size limit (the read cache of a large folder passes 64 MB).
pub fn read_regular_up_to(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // A file that grows while it is read still stops at the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_regular(path: &Path) -> Result<File, ReadError> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    match rustix::fs::open(path, flags, Mode::empty()) {
        Ok(fd) => Ok(File::from(fd)),
        // O_NOFOLLOW on a symlink: ELOOP (Linux, macOS) or EMLINK (FreeBSD).
        Err(e) if e == rustix::io::Errno::LOOP || e == rustix::io::Errno::MLINK => {
            Err(ReadError::Symlink)
        }
        Err(e) => Err(ReadError::Io(e.into())),
    }
}

#[cfg(not(unix))]
fn open_regular(path: &Path) -> Result<File, ReadError> {
    let meta = std::fs::symlink_metadata(path).map_err(ReadError::Io)?;
    if meta.file_type().is_symlink() {
        return Err(ReadError::Symlink);
    }
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    File::open(path).map_err(ReadError::Io)
}

/// Is there something (a file, folder or symlink, even a dangling one) at `path`?
pub fn exists_no_follow(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// The name of the temporary file for `name`: `.acme.md.followup-tmp`.
pub fn temporary_name(name: &OsStr) -> OsString {
    let mut tmp = OsString::from(".");
    tmp.push(name);
    tmp.push(TEMP_SUFFIX);
    tmp
}

/// Is `name` one of the tool's temporary files?
pub fn is_temporary_name(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.len() > TEMP_SUFFIX.len() + 1 && name.starts_with('.') && name.ends_with(TEMP_SUFFIX)
}

/// Creates a folder and the missing folders above it.
pub fn create_dir_all(path: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(path)
}

/// Writes `bytes` to `path` plainly — not atomic, no lock: for a folder the program builds
/// from nothing, like `synth`'s benchmark folders.
pub fn write_plain(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// Writes `bytes` to `path` atomically: the old file or the new one, never a mix, and no
/// temporary file left behind by a failed write. The caller holds the folder's lock
/// ([`lock_dir`]), which makes the fixed temporary name safe. A new file gets `new_mode`
/// (before the umask); an existing file keeps its permissions.
pub fn write_atomic(path: &Path, bytes: &[u8], new_mode: u32) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("not a file name"))?;
    let tmp = dir.join(temporary_name(name));
    // A temporary of ours under this name is stale: the lock is ours.
    remove_if_temporary(&tmp)?;
    let keep_mode = existing_mode(path);
    #[cfg(target_os = "linux")]
    if write_unnamed(dir, name, &tmp, bytes, keep_mode, new_mode)? {
        return sync_dir(dir);
    }
    write_named(path, &tmp, bytes, keep_mode, new_mode)?;
    sync_dir(dir)
}

#[cfg(unix)]
fn existing_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn existing_mode(_path: &Path) -> Option<u32> {
    None
}

/// Removes `path` when it is a regular file (a stale temporary); leaves anything else alone.
fn remove_if_temporary(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() || m.file_type().is_symlink() => std::fs::remove_file(path),
        Ok(_) => Err(std::io::Error::other(format!(
            "{} is in the way of the temporary file; remove it",
            path.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// The Linux path: an `O_TMPFILE` file has no name until `linkat` gives it one just before the
/// rename. Returns `false` when the filesystem cannot do this (the caller falls back).
#[cfg(target_os = "linux")]
fn write_unnamed(
    dir: &Path,
    name: &OsStr,
    tmp: &Path,
    bytes: &[u8],
    keep_mode: Option<u32>,
    new_mode: u32,
) -> std::io::Result<bool> {
    use rustix::fs::{AtFlags, CWD, Mode, OFlags};
    use rustix::io::Errno;
    use std::os::fd::AsRawFd;
    let dirfd = rustix::fs::open(
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let mode = Mode::from_raw_mode(keep_mode.unwrap_or(new_mode) as _);
    let fd = match rustix::fs::openat(
        &dirfd,
        ".",
        OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC,
        mode,
    ) {
        Ok(fd) => fd,
        Err(Errno::OPNOTSUPP | Errno::ISDIR | Errno::INVAL | Errno::NOENT) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    let mut file = File::from(fd);
    if keep_mode.is_some() {
        // An existing file's permissions exactly, whatever the umask.
        rustix::fs::fchmod(&file, mode)?;
    }
    file.write_all(bytes)?;
    file.sync_all()?;
    let proc_path = format!("/proc/self/fd/{}", file.as_raw_fd());
    let tmp_name = tmp.file_name().unwrap_or(name);
    match rustix::fs::linkat(CWD, &proc_path, &dirfd, tmp_name, AtFlags::SYMLINK_FOLLOW) {
        Ok(()) => {}
        // No /proc: write it again the portable way.
        Err(Errno::NOENT) => return Ok(false),
        Err(e) => return Err(e.into()),
    }
    if let Err(e) = rustix::fs::renameat(&dirfd, tmp_name, &dirfd, name) {
        let _ = rustix::fs::unlinkat(&dirfd, tmp_name, AtFlags::empty());
        return Err(e.into());
    }
    Ok(true)
}

/// The portable path: a named temporary file, removed again if anything fails.
fn write_named(
    path: &Path,
    tmp: &Path,
    bytes: &[u8],
    keep_mode: Option<u32>,
    new_mode: u32,
) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(keep_mode.unwrap_or(new_mode));
    }
    #[cfg(not(unix))]
    let _ = (keep_mode, new_mode);
    let result = (|| {
        let mut file = options.open(tmp)?;
        #[cfg(unix)]
        if let Some(mode) = keep_mode {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    result
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Removes the tool's stale temporary files among `names` in `dir` — only when no writer holds
/// the folder's lock (a writer's temporary is never stale), and only regular files whose name
/// is exactly the tool's pattern. Returns how many were removed.
pub fn sweep_temporaries(dir: &Path, names: &[OsString]) -> usize {
    if names.is_empty() {
        return 0;
    }
    let Some(_lock) = try_lock_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for name in names.iter().filter(|n| is_temporary_name(n)) {
        let path = dir.join(name);
        let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        if regular && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The tool's temporary files directly in `dir`.
pub fn temporaries_in(dir: &Path) -> Vec<OsString> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name())
                .filter(|n| is_temporary_name(n))
                .collect()
        })
        .unwrap_or_default()
}

/// An exclusive lock held until dropped. On Unix it locks the folder itself, so no lock file is
/// ever left behind; the rename of an atomic write does not replace the folder.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

fn lock_file(dir: &Path) -> std::io::Result<File> {
    #[cfg(unix)]
    {
        File::open(dir)
    }
    #[cfg(not(unix))]
    {
        File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(".followup.lock"))
    }
}

/// Waits for the exclusive lock of a folder.
pub fn lock_dir(dir: &Path) -> std::io::Result<Lock> {
    let file = lock_file(dir)?;
    file.lock()?;
    Ok(Lock { _file: file })
}

/// The folder's lock if no one holds it now.
pub fn try_lock_dir(dir: &Path) -> Option<Lock> {
    let file = lock_file(dir).ok()?;
    file.try_lock().ok()?;
    Some(Lock { _file: file })
}

/// Resolves `rel`, a path from the settings, inside `root` (which must be canonical): it must
/// be relative, without `..`, and — following every symlink that already exists on the way —
/// still inside the root. Returns the path under `root`, or why not.
pub fn confine(root: &Path, rel: &str) -> Result<PathBuf, String> {
    let given = Path::new(rel);
    if rel.trim().is_empty() {
        return Err("is empty".into());
    }
    for c in given.components() {
        match c {
            Component::ParentDir => return Err("goes up with `..`".into()),
            Component::RootDir | Component::Prefix(_) => return Err("is an absolute path".into()),
            Component::CurDir | Component::Normal(_) => {}
        }
    }
    let path = root.join(given);
    // The deepest part that exists, with its symlinks resolved, must still be inside the root.
    let mut existing = path.as_path();
    loop {
        if exists_no_follow(existing) {
            break;
        }
        match existing.parent() {
            Some(p) => existing = p,
            None => return Ok(path),
        }
    }
    let real = existing
        .canonicalize()
        .map_err(|_| "is a symbolic link that points nowhere".to_string())?;
    if real.starts_with(root) {
        Ok(path)
    } else {
        Err(format!(
            "leads through a symbolic link to {}, outside the folder",
            real.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised_exactly() {
        let t = temporary_name(OsStr::new("acme.md"));
        assert_eq!(t, ".acme.md.followup-tmp");
        assert!(is_temporary_name(&t));
        for other in [
            ".acme.md.backup",
            "acme.md",
            ".followup-tmp",
            "acme.md.followup-tmp",
            ".acme.md.swp",
        ] {
            assert!(!is_temporary_name(OsStr::new(other)), "{other}");
        }
    }

    #[test]
    fn confine_refuses_escapes() {
        let root = std::env::temp_dir().canonicalize().unwrap();
        assert!(confine(&root, "customers").is_ok());
        assert!(confine(&root, "../x").is_err());
        assert!(confine(&root, "/etc").is_err());
        assert!(confine(&root, "").is_err());
    }
}
