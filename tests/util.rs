//! Test helpers: a temporary work folder that runs the real `pmpo` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A temporary folder to run `pmpo` in.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, contents).expect("write test file");
        p
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).expect("read test file")
    }

    /// A `pmpo` command running in this folder.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_pmpo"));
        c.current_dir(self.dir.path());
        c.stdin(Stdio::null());
        c
    }

    /// Runs a command and fails the test, showing stderr, when it fails.
    pub fn ok(&self, cmd: &mut Command) -> Output {
        let out = cmd.output().expect("run pmpo");
        assert!(
            out.status.success(),
            "pmpo failed with {:?}\nstderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

/// The project's root folder.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Reads a CSV file into a header and rows of strings.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).expect("open csv");
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|x| x.expect("record").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Asserts two values are equal, printing both in full when they are not.
#[macro_export]
macro_rules! assert_eq_show {
    ($got:expr, $want:expr) => {{
        let (got, want) = (&$got, &$want);
        if got != want {
            panic!("\n--- expected ---\n{want:#?}\n--- got ---\n{got:#?}\n");
        }
    }};
}

/// Reads a CSV file whose rows may differ in length or hold invalid UTF-8
/// (as pmpo writes them back unchanged), decoding lossily.
pub fn read_csv_flexible(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_path(path)
        .expect("open csv");
    let mut all = r.byte_records().map(|x| {
        x.expect("record")
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect::<Vec<_>>()
    });
    let header = all.next().unwrap_or_default();
    (header, all.collect())
}
