//! The command line end to end: rows, order, formats, threads, errors.

use crate::util::{read_csv, root, Workdir};

fn sample() -> std::path::PathBuf {
    root().join("datasets/postings_sample.csv")
}

#[test]
fn label_keeps_every_row_unchanged_and_in_order() {
    let wd = Workdir::new();
    wd.ok(wd
        .cmd()
        .arg("label")
        .arg(sample())
        .args(["-o", "out.csv", "-q"]));
    let (h_in, rows_in) = read_csv(&sample());
    let (h_out, rows_out) = read_csv(&wd.path("out.csv"));
    assert_eq!(rows_out.len(), rows_in.len());
    assert_eq!(&h_out[..h_in.len()], &h_in[..]);
    assert_eq!(&h_out[h_in.len()..], pmpo::output_columns());
    for (a, b) in rows_in.iter().zip(&rows_out) {
        assert_eq!(&b[..a.len()], &a[..]);
        let label = &b[h_in.len()];
        assert!(
            ["pm", "po", "hybrid", "none"].contains(&label.as_str()),
            "{label}"
        );
        let conf: f64 = b[h_in.len() + 1].parse().unwrap();
        assert!((0.0..=1.0).contains(&conf));
    }
}

#[test]
fn output_is_the_same_for_one_and_two_threads() {
    let wd = Workdir::new();
    let f = std::fs::File::create(wd.path("big.csv")).unwrap();
    pmpo::internals::write_synthetic(f, 3_000_000, 7).unwrap();
    for t in ["1", "2"] {
        wd.ok(wd
            .cmd()
            .args(["label", "big.csv", "-q", "--threads", t, "-o"])
            .arg(format!("out{t}.csv")));
    }
    let (a, b) = (wd.read("out1.csv"), wd.read("out2.csv"));
    assert!(a.len() > 3_000_000);
    assert!(a == b, "outputs differ between 1 and 2 threads");
}

#[test]
fn stdin_gzip_and_stdout_work() {
    use std::io::Write;
    let wd = Workdir::new();
    let csv = "title,description\nProduct Owner,\"Own and refine the product backlog, write user stories, run sprint planning with the development team.\"\n";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(csv.as_bytes()).unwrap();
    wd.write("in.csv.gz", gz.finish().unwrap());
    let out = wd.ok(wd.cmd().args(["label", "in.csv.gz", "-q"]));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().nth(1).unwrap().contains(",po,"), "{text}");

    let mut child = wd
        .cmd()
        .args(["label", "-", "-q"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(csv.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), text);
}

#[test]
fn jsonl_carries_evidence_spans_into_the_text() {
    let wd = Workdir::new();
    wd.write(
        "in.csv",
        "job_title,body\nSenior PM,\"<p>Define the product strategy and roadmap &amp; run market research.</p>\"\n",
    );
    let out = wd.ok(wd
        .cmd()
        .args(["label", "in.csv", "-q", "--format", "jsonl"]));
    let line = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(v["row"]["job_title"], "Senior PM");
    assert_eq!(v["pmpo_title_role"], "pm");
    let ev = v["pmpo_evidence"].as_array().unwrap();
    assert!(!ev.is_empty(), "{line}");
    for e in ev {
        assert_eq!(e["role"], "pm", "{line}");
        assert!(e["text"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains(&e["text"].as_str().unwrap().to_lowercase()));
    }
}

#[test]
fn a_missing_column_is_named_with_the_columns_there_are() {
    let wd = Workdir::new();
    wd.write("in.csv", "id,title,body\n1,PO,backlog\n");
    let out = wd
        .cmd()
        .args(["label", "in.csv", "--text-col", "description"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("in.csv: no column named \"description\"; the columns are: id, title, body"),
        "{err}"
    );
}

#[test]
fn learning_twice_gives_the_committed_model_byte_for_byte() {
    let articles = root().join("../shared/articles");
    if !articles.is_dir() {
        // The articles live outside the project; without them there is
        // nothing to learn from, and the committed model stands as is.
        eprintln!("articles not found; skipping the re-learning check");
        return;
    }
    // The unlabelled postings temper generic phrases when they are there.
    let background = root().join("../shared/realdata/postings.csv");
    let wd = Workdir::new();
    for out in ["m1", "m2"] {
        let mut cmd = wd.cmd();
        cmd.arg("learn")
            .arg("--articles")
            .arg(&articles)
            .args(["--out", out])
            .arg("--overrides")
            .arg(root().join("models/overrides.txt"));
        if background.is_file() {
            cmd.arg("--background").arg(&background);
        }
        wd.ok(&mut cmd);
    }
    for f in ["tokenizer.json", "lexicon.json"] {
        let a = wd.read(&format!("m1/{f}"));
        assert_eq!(
            a,
            wd.read(&format!("m2/{f}")),
            "{f} differs between two runs"
        );
        // `learn` makes the prior; `calibrate --fit-weights` makes
        // models/default from it (checked in CI, where it has time to run).
        let committed = std::fs::read_to_string(root().join("models/prior").join(f)).unwrap();
        assert!(
            a == committed,
            "models/prior/{f} is not what `pmpo learn` makes"
        );
    }
}

#[test]
fn fast_tokenizer_equals_tokenizer_json_on_the_sample() {
    let wd = Workdir::new();
    let out = wd.ok(wd.cmd().arg("check-tokenizer").arg(sample()));
    assert!(String::from_utf8_lossy(&out.stderr).contains("equals tokenizer.json"));
}

#[test]
fn explain_shows_each_phrase_with_role_section_and_position() {
    let wd = Workdir::new();
    wd.write(
        "post.txt",
        "Responsibilities\n- Own the product roadmap and pricing.\n- Run market research and competitive analysis.\n",
    );
    let out = wd.ok(wd
        .cmd()
        .args(["explain", "post.txt", "--json", "--title", "Product Owner"]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["pmpo_label"], "pm");
    assert_eq!(v["pmpo_title_role"], "po");
    let ev = v["pmpo_evidence"].as_array().unwrap();
    assert!(ev.len() >= 3, "{v}");
    let text = wd.read("post.txt");
    for e in ev {
        assert_eq!(e["role"], "pm");
        assert_eq!(e["section"], "duties");
        let (a, b) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(e["text"].as_str().unwrap(), &text[a..b]);
    }
    let new = wd.ok(wd.cmd().args([
        "explain",
        "post.txt",
        "--format",
        "json",
        "--title",
        "Product Owner",
    ]));
    assert_eq!(new.stdout, out.stdout);
    let plain = wd.ok(wd.cmd().args(["explain", "post.txt"]));
    let plain = String::from_utf8(plain.stdout).unwrap();
    assert!(plain.contains("[[pm:product roadmap]]"), "{plain}");
}

#[test]
fn audit_writes_only_mismatched_rows_most_confident_first() {
    let wd = Workdir::new();
    wd.ok(wd
        .cmd()
        .arg("audit")
        .arg(sample())
        .args(["-o", "audit.csv", "-q"]));
    let (h, rows) = read_csv(&wd.path("audit.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    assert!(!rows.is_empty());
    let conf: Vec<f64> = rows
        .iter()
        .map(|r| r[col("pmpo_confidence")].parse().unwrap())
        .collect();
    assert!(conf.windows(2).all(|w| w[0] >= w[1]), "{conf:?}");
    for r in &rows {
        assert!(!r[col("pmpo_mismatch")].is_empty());
        assert!(r[col("pmpo_reason")].starts_with("title says"), "{r:?}");
    }
    // Every mismatched row of `label` is there, and nothing else.
    wd.ok(wd
        .cmd()
        .arg("label")
        .arg(sample())
        .args(["-o", "all.csv", "-q"]));
    let (_, all) = read_csv(&wd.path("all.csv"));
    let mut want: Vec<&Vec<String>> = all
        .iter()
        .filter(|r| !r[col("pmpo_mismatch")].is_empty())
        .collect();
    let mut got: Vec<&Vec<String>> = rows.iter().collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
}

#[test]
fn report_writes_a_self_contained_page_and_its_tables_as_json() {
    let wd = Workdir::new();
    wd.ok(wd.cmd().arg("report").arg(sample()).args([
        "--group-by",
        "country",
        "--min-group-size",
        "1",
        "-o",
        "r.html",
        "--json",
        "r.json",
        "-q",
    ]));
    let html = wd.read("r.html");
    assert_eq!(html.matches("<svg").count(), 4);
    for id in [
        "chart-label-mix",
        "chart-confusion",
        "chart-confidence",
        "chart-groups",
        "table-confusion",
        "table-groups",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    assert!(!html.contains("<script src") && !html.contains("<link"));
    let v: serde_json::Value = serde_json::from_str(&wd.read("r.json")).unwrap();
    assert_eq!(v["rows"], 50);
    let index = v["overall"]["confusion_index"].as_f64().unwrap();
    let (lo, hi) = (
        v["overall"]["ci_low"].as_f64().unwrap(),
        v["overall"]["ci_high"].as_f64().unwrap(),
    );
    assert!(lo <= index && index <= hi, "{lo} {index} {hi}");
    assert!(v["groups"].as_array().unwrap().len() > 3);
}

#[test]
fn report_format_follows_the_flag_or_the_extension() {
    let wd = Workdir::new();
    let json = wd.ok(wd.cmd().arg("report").arg(sample()).args([
        "--group-by",
        "country",
        "--format",
        "json",
        "-q",
    ]));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["rows"], 50);
    assert_eq!(v["min_group_size"], 10);
    assert!(v["model"].as_str().is_some_and(|m| m.len() == 12));
    wd.ok(wd
        .cmd()
        .arg("report")
        .arg(sample())
        .args(["-o", "r.json", "-q"]));
    let by_ext: serde_json::Value = serde_json::from_str(&wd.read("r.json")).unwrap();
    assert_eq!(by_ext["rows"], 50);
    wd.ok(wd
        .cmd()
        .arg("report")
        .arg(sample())
        .args(["-o", "r.page", "-q", "--format", "html"]));
    assert!(wd.read("r.page").starts_with("<!DOCTYPE html>"));
}

/// Runs pmpo on a terminal (a pseudo-terminal from `script`, which joins
/// standard output and error) and returns what the terminal showed.
fn on_a_terminal(wd: &Workdir, args: &str) -> String {
    let bin = env!("CARGO_BIN_EXE_pmpo");
    let out = std::process::Command::new("script")
        .args(["-qec", &format!("'{bin}' {args}"), "/dev/null"])
        .current_dir(wd.path(""))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_run_on_a_terminal_ends_with_the_summary_table() {
    let wd = Workdir::new();
    let sample = sample().display().to_string();
    let shown = on_a_terminal(&wd, &format!("label '{sample}' -o labelled.csv"));
    for line in [
        "rows read                50",
        "mismatched titles  ",
        "output              labelled.csv",
        "pmpo audit ",
        "pmpo report ",
    ] {
        assert!(shown.contains(line), "{line:?} missing from:\n{shown}");
    }
    assert!(!shown.contains("on standard output"), "{shown}");
    assert_eq!(read_csv(&wd.path("labelled.csv")).1.len(), 50);
    // To the terminal itself: a hint that the CSV is coming there.
    let shown = on_a_terminal(&wd, &format!("label '{sample}'"));
    assert!(
        shown.contains("the output is CSV on standard output; -o FILE writes it to a file"),
        "{shown}"
    );
    assert!(shown.contains("output              standard output"));
}

#[test]
fn completions_and_manual_pages_come_from_the_argument_definitions() {
    let wd = Workdir::new();
    let bash = wd.ok(wd.cmd().args(["completions", "bash"]));
    let bash = String::from_utf8(bash.stdout).unwrap();
    assert!(bash.contains("_pmpo()") && bash.contains("--mismatch-confidence"));
    let man = wd.ok(wd.cmd().arg("man"));
    let man = String::from_utf8(man.stdout).unwrap();
    assert!(
        man.contains(".TH pmpo 1") && man.contains("pmpo\\-label(1)"),
        "{man}"
    );
    let label = wd.ok(wd.cmd().args(["man", "label"]));
    let label = String::from_utf8(label.stdout).unwrap();
    assert!(
        label.contains(".TH pmpo-label 1") && label.contains("labelled.csv"),
        "{label}"
    );
    let out = wd.cmd().args(["man", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_to_a_device_is_written_not_replaced() {
    // Regression: the atomic rename once replaced /dev/null with a file.
    let wd = Workdir::new();
    wd.ok(wd
        .cmd()
        .arg("label")
        .arg(sample())
        .args(["-o", "/dev/null", "-q"]));
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(!meta.is_file(), "/dev/null became a regular file");
}
