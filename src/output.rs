//! Where a run's results go: files written through a temporary file beside
//! them and renamed when complete (so a failed run never leaves a
//! half-written file), the rejects file made on the first rejected row, and
//! the clean-up when the run is interrupted.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// Temporary output files of this run, removed if the run is interrupted.
static PENDING: std::sync::Mutex<Vec<(PathBuf, PathBuf)>> = std::sync::Mutex::new(Vec::new());

/// On Ctrl-C (or SIGTERM): removes the half-written temporary files of this
/// process, says which outputs were not written, and exits with 130. The
/// target paths are untouched.
pub fn remove_partial_output_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        let pending = PENDING.lock().map(|p| p.clone()).unwrap_or_default();
        for (tmp, target) in pending {
            let _ = std::fs::remove_file(&tmp);
            eprintln!("pmpo: interrupted; {} was not written", target.display());
        }
        std::process::exit(130);
    });
}

/// The default rejects file of a run reading `input` and writing `output`:
/// `NAME.rejects.csv` beside the output `NAME.csv`, or in the current
/// folder (named after the input) when the output is standard output or a
/// device.
pub fn default_rejects_path(input: &Path, output: Option<&Path>) -> PathBuf {
    let regular = |p: &Path| std::fs::metadata(p).map_or(true, |m| m.is_file());
    let (dir, base) = match output {
        Some(out) if regular(out) => (out.parent().map(Path::to_path_buf), out),
        _ => (None, input),
    };
    let name = base
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n != "-")
        .unwrap_or_else(|| "stdin".to_string());
    let mut stem = name.as_str();
    for ext in [
        ".gz", ".zst", ".csv", ".tsv", ".txt", ".jsonl", ".html", ".json", ".parquet", ".arrow",
    ] {
        if let Some(s) = stem.strip_suffix(ext) {
            if !s.is_empty() {
                stem = s;
            }
        }
    }
    let file = format!("{stem}.rejects.csv");
    match dir {
        Some(d) => d.join(file),
        None => PathBuf::from(file),
    }
}

/// The rejects file, created through a temporary file beside it on the
/// first rejected row, and renamed into place when the run completes.
pub struct LazyRejects {
    path: PathBuf,
    file: Option<std::io::BufWriter<tempfile::NamedTempFile>>,
}

impl LazyRejects {
    /// A rejects file at `path`, not created yet.
    pub fn new(path: PathBuf) -> Self {
        LazyRejects { path, file: None }
    }

    /// Where the file goes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Puts the file in place if a row was rejected, else removes a file
    /// left there by an earlier run.
    pub fn finish(self) -> Result<()> {
        match self.file {
            Some(w) => persist_buffered(w, &self.path),
            None => {
                if std::fs::metadata(&self.path).is_ok_and(|m| m.is_file()) {
                    std::fs::remove_file(&self.path).map_err(|e| Error::io(&self.path, e))?;
                }
                Ok(())
            }
        }
    }
}

impl Write for LazyRejects {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let f = match &mut self.file {
            Some(f) => f,
            None => {
                let tmp =
                    temp_beside(&self.path).map_err(|e| std::io::Error::other(e.to_string()))?;
                self.file.insert(std::io::BufWriter::new(tmp))
            }
        };
        f.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

/// Runs `write` on the output: the file `path` (through a temporary file
/// beside it, renamed when `write` succeeds), a device or pipe such as
/// `/dev/stdout` (written to directly: renaming over it would replace it),
/// or standard output when `path` is `None`.
pub fn write_output<T>(
    path: Option<&Path>,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<T>,
) -> Result<T> {
    let special = path
        .and_then(|p| std::fs::metadata(p).ok())
        .is_some_and(|m| !m.is_file());
    match path {
        Some(path) if special => {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| Error::io(path, e))?;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
            let s = write(&mut w)?;
            w.flush().map_err(|e| Error::io(path, e))?;
            Ok(s)
        }
        Some(path) => {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, temp_beside(path)?);
            let s = write(&mut w)?;
            persist_buffered(w, path)?;
            Ok(s)
        }
        None => {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout());
            let s = write(&mut w)?;
            w.flush().map_err(|e| Error::io("-", e))?;
            Ok(s)
        }
    }
}

/// Checks, before a long run, that a file can be written at `path`: its
/// folder exists and takes a new file. A device or pipe that exists (such
/// as `/dev/null`) passes.
///
/// ```
/// assert!(pmpo::check_writable(std::path::Path::new("no/such/folder/out.html")).is_err());
/// ```
pub fn check_writable(path: &Path) -> Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Ok(());
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fail = |why: String| Error::config(format!("cannot write {}: {why}", path.display()));
    if !dir.is_dir() {
        return Err(fail(format!("there is no folder {}", dir.display())));
    }
    tempfile::NamedTempFile::new_in(&dir)
        .map(drop)
        .map_err(|e| fail(format!("cannot write into {}: {}", dir.display(), e.kind())))
}

/// Writes a whole file through a temporary file beside it, renamed when complete.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = temp_beside(path)?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    persist(tmp, path)
}

/// A temporary file in the folder of `path`, to be renamed over it.
fn temp_beside(path: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| {
        Error::config(format!(
            "cannot write {}: cannot write into {}: {e}",
            path.display(),
            dir.display()
        ))
    })?;
    if let Ok(mut p) = PENDING.lock() {
        p.push((tmp.path().to_path_buf(), path.to_path_buf()));
    }
    Ok(tmp)
}

/// Flushes a buffered temporary file and renames it over `path`.
fn persist_buffered(w: std::io::BufWriter<tempfile::NamedTempFile>, path: &Path) -> Result<()> {
    let tmp = w
        .into_inner()
        .map_err(|e| Error::io(path, e.into_error()))?;
    persist(tmp, path)
}

/// Renames a complete temporary file over `path`, with ordinary permissions
/// (temporary files are private).
fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> Result<()> {
    if let Ok(mut p) = PENDING.lock() {
        p.retain(|(t, _)| t != tmp.path());
    }
    let file = tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    #[cfg(not(unix))]
    drop(file);
    Ok(())
}
