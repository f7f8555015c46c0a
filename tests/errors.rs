//! Messy input: every row accounted for, failures loud and precise.

use crate::util::{read_csv_flexible, Workdir};

/// Labels `name` in `wd` and returns the output's header and rows.
fn label(wd: &Workdir, name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    wd.ok(wd.cmd().args(["label", name, "-q", "-o", "out.csv"]));
    read_csv_flexible(&wd.path("out.csv"))
}

fn note_col(h: &[String]) -> usize {
    h.iter().position(|c| c == "pmpo_note").unwrap()
}

#[test]
fn semicolon_and_tab_exports_are_detected() {
    let wd = Workdir::new();
    wd.write(
        "semi.csv",
        "titel;beschreibung\nProduct Owner;Backlog pflegen, User Stories schreiben\n",
    );
    let (h, rows) = label(&wd, "semi.csv");
    assert_eq!(h[..2], ["titel", "beschreibung"]);
    assert_eq!(rows.len(), 1);
    wd.write(
        "tab.tsv",
        "title\tdescription\nPM\tOwn the roadmap and pricing\n",
    );
    let (h, rows) = label(&wd, "tab.tsv");
    assert_eq!(h[..2], ["title", "description"]);
    assert_eq!(
        rows[0][h.iter().position(|c| c == "pmpo_title_role").unwrap()],
        "pm"
    );
}

#[test]
fn rows_with_too_many_or_too_few_fields_are_kept_and_noted() {
    let wd = Workdir::new();
    wd.write("in.csv", "title,description,city\nPO,Refine the backlog\nPM,Own the roadmap,Berlin,extra\nPM,Own pricing,Paris\n");
    let (h, rows) = label(&wd, "in.csv");
    assert_eq!(rows.len(), 3);
    let n = note_col(&h);
    // Rows keep their own fields: the pmpo columns follow them.
    let short = &rows[0];
    assert!(
        short[short.len() - 3].contains("row has 2 fields, the header 3"),
        "{short:?}"
    );
    let long = &rows[1];
    assert!(
        long[long.len() - 3].contains("row has 4 fields, the header 3"),
        "{long:?}"
    );
    assert_eq!(rows[2][n], "");
}

#[test]
fn invalid_utf8_and_latin1_are_decoded_lossily_and_noted() {
    let wd = Workdir::new();
    let mut bytes = b"title,description\nChef de produit,".to_vec();
    bytes.extend_from_slice(b"D\xe9finir la strat\xe9gie produit et la feuille de route\n");
    bytes.extend_from_slice(b"PO,Refine the backlog\n");
    wd.write("latin1.csv", bytes);
    let (h, rows) = label(&wd, "latin1.csv");
    assert_eq!(rows.len(), 2);
    assert!(rows[0][note_col(&h)].contains("invalid UTF-8 replaced"));
    assert_eq!(rows[1][note_col(&h)], "");
}

#[test]
fn bom_crlf_lone_cr_and_nul_bytes_are_read() {
    let wd = Workdir::new();
    wd.write(
        "in.csv",
        b"\xef\xbb\xbftitle,description\r\nPO,Refine the backlog\rPM,Own the\x00 roadmap\r\n",
    );
    let (h, rows) = label(&wd, "in.csv");
    assert_eq!(h[0], "title");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "PO");
    assert_eq!(rows[1][0], "PM");
}

#[test]
fn a_huge_field_is_cut_and_noted() {
    let wd = Workdir::new();
    let mut text = String::from("title,description\nPM,\"");
    while text.len() < 3 << 20 {
        text.push_str("Own the product roadmap and pricing. ");
    }
    text.push_str("\"\n");
    wd.write("big.csv", text);
    let (h, rows) = label(&wd, "big.csv");
    assert_eq!(rows.len(), 1);
    assert!(rows[0][note_col(&h)].contains("text cut at 1 MiB"));
}

#[test]
fn empty_and_header_only_files() {
    let wd = Workdir::new();
    wd.write("empty.csv", "");
    let out = wd
        .cmd()
        .args(["label", "empty.csv", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty.csv: the file is empty"));
    wd.write("head.csv", "title,description\n");
    let (h, rows) = label(&wd, "head.csv");
    assert_eq!(h.len(), 2 + pmpo::pipeline::OUTPUT_COLUMNS.len());
    assert!(rows.is_empty());
}

#[test]
fn missing_input_truncated_gzip_and_unwritable_output_are_named() {
    let wd = Workdir::new();
    let out = wd.cmd().args(["label", "nope.csv", "-q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.csv"));

    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"title,description\n").unwrap();
    for i in 0..2000 {
        writeln!(
            gz,
            "PM {i},\"Own the roadmap, pricing and market research {i}\""
        )
        .unwrap();
    }
    let whole = gz.finish().unwrap();
    wd.write("cut.csv.gz", &whole[..whole.len() / 2]);
    let out = wd
        .cmd()
        .args(["label", "cut.csv.gz", "-q", "-o", "out.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cut.csv.gz"));
    assert!(
        !wd.path("out.csv").exists(),
        "a failed run left an output file"
    );

    wd.write("ok.csv", "title,description\nPO,backlog\n");
    let out = wd
        .cmd()
        .args(["label", "ok.csv", "-q", "-o", "no/such/dir/out.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/dir"));
}

mod properties {
    use proptest::prelude::*;

    fn run(bytes: &[u8], threads: usize) -> pmpo::Result<(pmpo::pipeline::Summary, Vec<u8>)> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.csv");
        std::fs::write(&p, bytes).unwrap();
        let model = pmpo::Model::embedded().unwrap();
        let opts = pmpo::pipeline::Options {
            threads,
            ..Default::default()
        };
        let mut out = Vec::new();
        let s = pmpo::pipeline::run(&model, &p, &mut out, &opts, None)?;
        Ok((s, out))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any bytes after a usable header: no panic, every row written, the
        /// same bytes for one and two threads.
        #[test]
        fn any_bytes_give_every_row_once(body in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let mut bytes = b"title,description\n".to_vec();
            bytes.extend_from_slice(&body);
            let (s1, out1) = run(&bytes, 1).unwrap();
            prop_assert_eq!(s1.rows, s1.written);
            let (s2, out2) = run(&bytes, 2).unwrap();
            prop_assert_eq!(s2.rows, s1.rows);
            prop_assert!(out1 == out2);
        }

        /// Any bytes at all: an answer or a clean error, never a panic.
        #[test]
        fn any_file_is_labelled_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..500)) {
            if let Ok((s, _)) = run(&bytes, 1) {
                prop_assert_eq!(s.rows, s.written);
            }
        }
    }
}

#[test]
fn an_interrupted_run_leaves_no_file_and_says_so() {
    let wd = Workdir::new();
    let f = std::fs::File::create(wd.path("big.csv")).unwrap();
    pmpo::synth::write_synthetic(f, 40_000_000, 3).unwrap();
    let child = wd
        .cmd()
        .args(["label", "big.csv", "-q", "-o", "out.csv"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "the run ended before the signal"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("out.csv was not written"));
    let left: Vec<_> = std::fs::read_dir(wd.path("."))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["big.csv"], "files left behind");
}

#[test]
fn strict_stops_at_the_first_bad_row_with_its_line_and_byte() {
    let wd = Workdir::new();
    wd.write(
        "in.csv",
        "title,description,city\nPO,Refine the backlog,Berlin\nPM,Own the roadmap\n",
    );
    let out = wd
        .cmd()
        .args(["label", "in.csv", "--strict", "-o", "out.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "pmpo: in.csv: line 3 (byte 52): the row has 2 fields, the header 3"
    );
    assert!(!wd.path("out.csv").exists());
    let mut bytes = b"title,description\nPM,Own the roadmap\nPO,R\xe9finer le backlog\n".to_vec();
    bytes.push(b'\n');
    wd.write("latin1.csv", bytes);
    let out = wd
        .cmd()
        .args(["label", "latin1.csv", "--strict", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("latin1.csv: line 3") && err.contains("field 2 is not valid UTF-8"),
        "{err}"
    );
}
