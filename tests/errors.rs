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
    // The output keeps the input's delimiter unless told otherwise.
    let (h, rows) = label(&wd, "semi.csv");
    assert_eq!(h.len(), 1, "a comma reader sees one column: {h:?}");
    assert!(h[0].starts_with("titel;beschreibung;pmpo_label;"), "{h:?}");
    assert_eq!(rows.len(), 1);
    wd.ok(wd.cmd().args([
        "label",
        "semi.csv",
        "-q",
        "-o",
        "out.csv",
        "--out-delimiter",
        ",",
    ]));
    let (h, rows) = crate::util::read_csv_flexible(&wd.path("out.csv"));
    assert_eq!(h[..2], ["titel", "beschreibung"]);
    assert_eq!(rows.len(), 1);
    wd.write(
        "tab.tsv",
        "title\tdescription\nPM\tOwn the roadmap and pricing\n",
    );
    wd.ok(wd.cmd().args([
        "label",
        "tab.tsv",
        "-q",
        "-o",
        "out.csv",
        "--out-delimiter",
        ",",
    ]));
    let (h, rows) = crate::util::read_csv_flexible(&wd.path("out.csv"));
    assert_eq!(h[..2], ["title", "description"]);
    assert_eq!(
        rows[0][h.iter().position(|c| c == "pmpo_title_role").unwrap()],
        "pm"
    );
    let tsv = wd.ok(wd.cmd().args(["label", "tab.tsv", "-q"]));
    assert!(String::from_utf8_lossy(&tsv.stdout).starts_with("title\tdescription\tpmpo_label\t"));
}

/// Runs `label` in `wd` and returns its exit code and standard error.
fn label_status(wd: &Workdir, args: &[&str]) -> (Option<i32>, String) {
    let out = wd.cmd().arg("label").args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn rows_with_too_many_or_too_few_fields_are_rejected_with_their_place() {
    let wd = Workdir::new();
    wd.write(
        "in.csv",
        "title,description,city\nPO,Refine the backlog\nPM,Own the roadmap,Berlin,extra\nPM,Own pricing,Paris\n",
    );
    let (code, err) = label_status(&wd, &["in.csv", "-o", "out.csv"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("3 rows in, 1 written, 2 rejected"), "{err}");
    assert!(
        err.contains("2 of 3 rows could not be read; they are in out.rejects.csv"),
        "{err}"
    );
    let (h, rows) = read_csv_flexible(&wd.path("out.csv"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][..3], ["PM", "Own pricing", "Paris"]);
    assert_eq!(rows[0][note_col(&h)], "");
    let (h, rej) = read_csv_flexible(&wd.path("out.rejects.csv"));
    assert_eq!(
        h,
        [
            "pmpo_file",
            "pmpo_line",
            "pmpo_byte",
            "pmpo_reason",
            "title",
            "description",
            "city"
        ]
    );
    assert_eq!(
        rej[0],
        [
            "in.csv",
            "2",
            "23",
            "the row has 2 fields, the header 3",
            "PO",
            "Refine the backlog"
        ]
    );
    assert_eq!(
        rej[1],
        [
            "in.csv",
            "3",
            "45",
            "the row has 4 fields, the header 3",
            "PM",
            "Own the roadmap",
            "Berlin",
            "extra"
        ]
    );
}

#[test]
fn an_unterminated_quote_is_rejected_not_merged_silently() {
    let wd = Workdir::new();
    // Open to the end of the file, in the last column: the field count is
    // right, the quote count is odd.
    wd.write(
        "open.csv",
        "title,description\nPO,Refine the backlog\nPM,\"Own the roadmap\nPO,Write user stories\nPM,Own pricing\n",
    );
    let (code, err) = label_status(&wd, &["open.csv", "-o", "out.csv", "--rejects", "bad.csv"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("2 rows in, 1 written, 1 rejected"), "{err}");
    let (_, rej) = read_csv_flexible(&wd.path("bad.csv"));
    assert_eq!(rej.len(), 1);
    assert_eq!(rej[0][1], "3");
    assert_eq!(
        rej[0][3],
        "a quote in this row is never closed: lines 3-5, to the end of the file, were read as one row"
    );
    // Regression: open in the last row only, its one line end taken in.
    wd.write(
        "last.csv",
        "title,description\nPO,Refine the backlog\nPM,\"Own the roadmap\n",
    );
    let (code, err) = label_status(&wd, &["last.csv", "-o", "out.csv", "--rejects", "bad.csv"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("2 rows in, 1 written, 1 rejected"), "{err}");
    let (_, rej) = read_csv_flexible(&wd.path("bad.csv"));
    assert_eq!(rej.len(), 1);
    assert_eq!(
        rej[0][3],
        "a quote in this row is never closed: line 3, to the end of the file, was read as one row"
    );
    let (code, err) = label_status(&wd, &["last.csv", "-o", "out.csv", "--strict"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("last.csv: line 3"), "{err}");
    // Closed by a later stray quote: the rows between merge into one with
    // the wrong field count, and the reason names the lines.
    wd.write(
        "stray.csv",
        "title,description,city\nPO,\"Refine the backlog,Berlin\nPM,Own the roadmap,Paris\nPM,Own pricing,Ro\"me\nPO,Write stories,Oslo\n",
    );
    let (code, err) = label_status(&wd, &["stray.csv", "-o", "out.csv"]);
    assert_eq!(code, Some(1), "{err}");
    let (_, rows) = read_csv_flexible(&wd.path("out.csv"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][2], "Oslo");
    let (_, rej) = read_csv_flexible(&wd.path("out.rejects.csv"));
    assert_eq!(rej.len(), 1);
    assert!(
        rej[0][3].ends_with("and runs over lines 2-4: a quote is probably not closed"),
        "{:?}",
        rej[0]
    );
}

#[test]
fn the_rejects_file_exists_only_after_a_run_that_rejected_rows() {
    let wd = Workdir::new();
    wd.write("in.csv", "title,description\nPO,Refine the backlog,extra\n");
    // Standard output: the rejects go to the current folder.
    let (code, _) = label_status(&wd, &["in.csv", "-q"]);
    assert_eq!(code, Some(1));
    assert!(wd.path("in.rejects.csv").exists());
    wd.write("in.csv", "title,description\nPO,Refine the backlog\n");
    let (code, err) = label_status(&wd, &["in.csv", "-q"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        !wd.path("in.rejects.csv").exists(),
        "a stale rejects file was left"
    );
    // The report writes its rejects beside the page.
    wd.write(
        "in.csv",
        "title,description\nPO,Refine the backlog,extra\nPM,Own pricing\n",
    );
    let out = wd
        .cmd()
        .args(["report", "in.csv", "-q", "-o", "page.html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, rej) = read_csv_flexible(&wd.path("page.rejects.csv"));
    assert_eq!(rej.len(), 1);
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
    while text.len() < 50 << 20 {
        text.push_str("Own the product roadmap and pricing. ");
    }
    text.push_str("\"\n");
    wd.write("big.csv", text);
    let (h, rows) = label(&wd, "big.csv");
    assert_eq!(rows.len(), 1);
    assert!(rows[0][note_col(&h)].contains("text cut at 1 MiB"));
}

#[test]
fn repeated_column_names_keep_every_field() {
    let wd = Workdir::new();
    wd.write(
        "in.csv",
        "title,description,description\nPO,Refine the backlog,Write user stories\n",
    );
    let (h, rows) = label(&wd, "in.csv");
    assert_eq!(h[..3], ["title", "description", "description"]);
    assert_eq!(rows[0][2], "Write user stories");
    // Both text columns are read.
    let ev = &rows[0][h.iter().position(|c| c == "pmpo_evidence").unwrap()];
    assert!(ev.contains("backlog") && ev.contains("user stor"), "{ev}");
    let out = wd.ok(wd
        .cmd()
        .args(["label", "in.csv", "-q", "--format", "jsonl"]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["row"]["description"], "Refine the backlog");
    assert_eq!(v["row"]["description_2"], "Write user stories");
}

#[test]
fn a_binary_file_is_refused_by_name() {
    let wd = Workdir::new();
    let mut bytes = b"\x7fELF\x02\x01\x01\x00\x00\x00".to_vec();
    bytes.extend((0..4000u32).map(|i| (i * 7 % 251) as u8));
    wd.write("prog.csv", bytes);
    let (code, err) = label_status(&wd, &["prog.csv", "-q", "-o", "out.csv"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("prog.csv: this is not a CSV export: its header line holds binary data"),
        "{err}"
    );
    assert!(!wd.path("out.csv").exists());
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
    assert_eq!(h.len(), 2 + pmpo::output_columns().len());
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

    fn run(bytes: &[u8], threads: usize) -> pmpo::Result<(pmpo::Summary, Vec<u8>)> {
        let (s, out, rejects) = run_with_rejects(bytes, threads)?;
        // The rejects sink holds one record per rejected row, after a header.
        let records = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(rejects.as_slice())
            .into_byte_records()
            .count() as u64;
        assert_eq!(records, s.rejected, "rejects written vs counted");
        Ok((s, out))
    }

    fn run_with_rejects(
        bytes: &[u8],
        threads: usize,
    ) -> pmpo::Result<(pmpo::Summary, Vec<u8>, Vec<u8>)> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.csv");
        std::fs::write(&p, bytes).unwrap();
        let model = pmpo::Model::embedded().unwrap();
        let opts = pmpo::Options {
            threads,
            ..Default::default()
        };
        let mut out = Vec::new();
        let mut rejects = Vec::new();
        let s = pmpo::run(&model, &p, &mut out, Some(&mut rejects), &opts, None)?;
        Ok((s, out, rejects))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any bytes after a usable header: no panic, every row written or
        /// rejected, the same bytes for one and two threads.
        #[test]
        fn any_bytes_give_every_row_once(body in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let mut bytes = b"title,description\n".to_vec();
            bytes.extend_from_slice(&body);
            let (s1, out1) = run(&bytes, 1).unwrap();
            prop_assert_eq!(s1.rows, s1.written + s1.rejected);
            let (s2, out2) = run(&bytes, 2).unwrap();
            prop_assert_eq!(s2.rows, s1.rows);
            prop_assert!(out1 == out2);
            let written = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(out1.as_slice())
                .into_byte_records()
                .count() as u64;
            prop_assert_eq!(written, s1.written);
        }

        /// Well-formed rows of any text: every row labelled, in order, with
        /// a confidence and a PM share in [0, 1], the same for 1 and 2
        /// threads.
        #[test]
        fn any_text_gets_a_probability(rows in proptest::collection::vec((
            "\\PC{0,30}",
            "(backlog|roadmap|user stories|pricing|sprint|market research|<li>|&amp;|Aufgaben:| |\\PC){0,60}",
        ), 0..24)) {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["id", "title", "description"]).unwrap();
            for (i, (t, d)) in rows.iter().enumerate() {
                w.write_record([i.to_string().as_str(), t, d]).unwrap();
            }
            let bytes = w.into_inner().unwrap();
            let (s1, out1) = run(&bytes, 1).unwrap();
            prop_assert_eq!(s1.rows, rows.len() as u64);
            prop_assert_eq!(s1.written, s1.rows);
            let (_, out2) = run(&bytes, 2).unwrap();
            prop_assert!(out1 == out2);
            let mut r = csv::Reader::from_reader(out1.as_slice());
            let h = r.headers().unwrap().clone();
            let col = |n: &str| h.iter().position(|c| c == n).unwrap();
            let (conf, share) = (col("pmpo_confidence"), col("pmpo_pm_share"));
            for (i, rec) in r.records().enumerate() {
                let rec = rec.unwrap();
                let id = i.to_string();
                prop_assert_eq!(&rec[0], id.as_str());
                for c in [conf, share] {
                    let x: f64 = rec[c].parse().unwrap();
                    prop_assert!((0.0..=1.0).contains(&x), "{} = {}", &h[c], x);
                }
            }
        }

        /// Any bytes at all: an answer or a clean error, never a panic.
        #[test]
        fn any_file_is_labelled_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..500)) {
            if let Ok((s, _)) = run(&bytes, 1) {
                prop_assert_eq!(s.rows, s.written + s.rejected);
            }
        }
    }
}

#[test]
fn an_interrupted_run_leaves_no_file_and_says_so() {
    use std::io::Write;
    let wd = Workdir::new();
    // Input from a pipe kept open: the run is still going when the signal
    // comes, however fast it is.
    let mut child = wd
        .cmd()
        .args(["label", "-", "-q", "-o", "out.csv"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"title,description\nPM,Own the roadmap\nPO,Refine the backlog,extra\n")
        .unwrap();
    stdin.flush().unwrap();
    // Wait for the temporary output file to appear beside the target.
    let listing = || -> Vec<String> {
        std::fs::read_dir(wd.path("."))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let started = std::time::Instant::now();
    while listing().is_empty() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "no temporary file appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    assert_eq!(out.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&out.stderr).contains("out.csv was not written"));
    assert!(listing().is_empty(), "files left behind: {:?}", listing());
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
