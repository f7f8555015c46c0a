//! Input and output formats: the published record schema, golden files of
//! every sink, Parquet, Arrow and JSON Lines in and out, and their errors.
//!
//! Golden files live in `tests/golden/`; `PMPO_BLESS=1 cargo test` writes
//! them anew from the current output (review the diff before committing).

use std::path::Path;

use crate::util::{root, Workdir};

/// Compares `got` with the golden file `name`, or writes it when
/// `PMPO_BLESS` is set.
fn golden(name: &str, got: &[u8]) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("PMPO_BLESS").is_some() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (PMPO_BLESS=1 writes it)", path.display()));
    if got != want.as_slice() {
        panic!(
            "{name} differs from its golden file (PMPO_BLESS=1 cargo test rewrites it)\n--- expected ---\n{}\n--- got ---\n{}",
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(got)
        );
    }
}

fn input(wd: &Workdir) {
    std::fs::copy(root().join("tests/golden/input.csv"), wd.path("in.csv")).unwrap();
}

/// Runs `pmpo` with `args` in `wd`; returns its exit code.
fn status(wd: &Workdir, args: &[&str]) -> (Option<i32>, String) {
    let out = wd.cmd().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_sink_writes_its_golden_file() {
    let wd = Workdir::new();
    input(&wd);
    for (args, out, gold) in [
        (vec!["label", "in.csv"], "out.csv", "label.csv"),
        (
            vec!["label", "in.csv", "--format", "jsonl"],
            "out.jsonl",
            "label.jsonl",
        ),
        (
            vec!["label", "in.csv", "--keep", "job_id,title"],
            "keep.csv",
            "keep.csv",
        ),
        (
            vec![
                "label",
                "in.csv",
                "--format",
                "parquet",
                "--keep",
                "job_id,title",
            ],
            "out.parquet",
            "label.parquet",
        ),
        (
            vec![
                "label",
                "in.csv",
                "--format",
                "arrow",
                "--keep",
                "job_id,title",
            ],
            "out.arrow",
            "label.arrow",
        ),
        (vec!["audit", "in.csv"], "audit.csv", "audit.csv"),
        (
            vec!["audit", "in.csv", "--format", "jsonl"],
            "audit.jsonl",
            "audit.jsonl",
        ),
    ] {
        let mut a = args.clone();
        a.extend([
            "-q",
            "-o",
            out,
            "--rejects",
            "rejects.csv",
            "--threads",
            "2",
        ]);
        let (code, err) = status(&wd, &a);
        // Two rows of the input cannot be read: the run says so with 1.
        assert_eq!(code, Some(1), "{args:?}: {err}");
        golden(gold, &std::fs::read(wd.path(out)).unwrap());
        let rejects = wd
            .read("rejects.csv")
            .replace(&wd.path("in.csv").display().to_string(), "in.csv");
        golden("rejects.csv", rejects.as_bytes());
    }
    let (code, err) = status(
        &wd,
        &[
            "report",
            "in.csv",
            "-q",
            "-o",
            "r.html",
            "--json",
            "report.json",
            "--group-by",
            "country",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    golden("report.json", wd.read("report.json").as_bytes());
}

/// A small JSON Schema checker for the keywords the record schema uses.
fn validate(v: &serde_json::Value, s: &serde_json::Value, at: &str) -> Result<(), String> {
    use serde_json::Value;
    let Some(s) = s.as_object() else {
        return Ok(());
    };
    if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
        if !any.iter().any(|sub| validate(v, sub, at).is_ok()) {
            return Err(format!("{at}: {v} matches no alternative"));
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            return Err(format!("{at}: {v} is not one of {e:?}"));
        }
    }
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        let ok = match t {
            "string" => v.is_string(),
            "number" => v.is_number(),
            "integer" => v.is_u64() || v.is_i64(),
            "object" => v.is_object(),
            "array" => v.is_array(),
            "null" => v.is_null(),
            _ => false,
        };
        if !ok {
            return Err(format!("{at}: {v} is not of type {t}"));
        }
    }
    if let (Some(x), Some(min)) = (v.as_f64(), s.get("minimum").and_then(Value::as_f64)) {
        if x < min {
            return Err(format!("{at}: {x} < {min}"));
        }
    }
    if let (Some(x), Some(max)) = (v.as_f64(), s.get("maximum").and_then(Value::as_f64)) {
        if x > max {
            return Err(format!("{at}: {x} > {max}"));
        }
    }
    if let Some(items) = s.get("items") {
        for (i, x) in v.as_array().into_iter().flatten().enumerate() {
            validate(x, items, &format!("{at}[{i}]"))?;
        }
    }
    if let Some(o) = v.as_object() {
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap_or("");
            if !o.contains_key(r) {
                return Err(format!("{at}: {r} is missing"));
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, x) in o {
            match props.and_then(|p| p.get(k)) {
                Some(sub) => validate(x, sub, &format!("{at}.{k}"))?,
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        return Err(format!("{at}: {k} is not in the schema"))
                    }
                    Some(sub) => validate(x, sub, &format!("{at}.{k}"))?,
                    None => {}
                },
            }
        }
    }
    Ok(())
}

#[test]
fn the_published_schema_is_current_and_json_lines_output_follows_it() {
    let path = root().join("schema/record.v1.json");
    let mut want = serde_json::to_string_pretty(&pmpo::record_json_schema()).unwrap();
    want.push('\n');
    if std::env::var_os("PMPO_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let file = std::fs::read_to_string(&path).unwrap();
    assert!(
        file == want,
        "schema/record.v1.json is stale: PMPO_BLESS=1 cargo test rewrites it"
    );
    let schema: serde_json::Value = serde_json::from_str(&file).unwrap();
    let wd = Workdir::new();
    let out = wd.ok(wd.cmd().args([
        "label",
        root()
            .join("datasets/postings_sample.csv")
            .to_str()
            .unwrap(),
        "-q",
        "--format",
        "jsonl",
    ]));
    let mut n = 0;
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        validate(&v, &schema, "$").unwrap();
        n += 1;
        // The checker can fail: a row with a label the schema does not
        // allow, a missing field or an extra one.
        let mut bad = v.clone();
        bad["pmpo_label"] = "manager".into();
        assert!(validate(&bad, &schema, "$").is_err());
        let mut bad = v.clone();
        bad.as_object_mut().unwrap().remove("pmpo_model");
        assert!(validate(&bad, &schema, "$").is_err());
        let mut bad = v;
        bad["pmpo_extra"] = 1.into();
        assert!(validate(&bad, &schema, "$").is_err());
    }
    assert_eq!(n, 50);
}

#[test]
fn explain_json_is_the_json_lines_record_of_the_same_posting() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/record.v1.json")).unwrap(),
    )
    .unwrap();
    let sample = root().join("datasets/postings_sample.csv");
    let (h, rows) = crate::util::read_csv(&sample);
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (title, text) = (col("title"), col("description"));
    let wd = Workdir::new();
    let out = wd.ok(wd
        .cmd()
        .args(["label", sample.to_str().unwrap(), "-q", "--format", "jsonl"]));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Rows of each label, and one with a title mismatch.
    let mut picked: Vec<usize> = ["pm", "po", "hybrid", "none"]
        .iter()
        .filter_map(|l| lines.iter().position(|v| v["pmpo_label"] == *l))
        .collect();
    picked.extend(lines.iter().position(|v| !v["pmpo_mismatch"].is_null()));
    assert!(picked.len() >= 4, "the sample lacks a label");
    for i in picked {
        wd.write("post.txt", &rows[i][text]);
        let got = wd.ok(wd.cmd().args([
            "explain",
            "post.txt",
            "--format",
            "json",
            "--title",
            &rows[i][title],
        ]));
        let mut got: serde_json::Value = serde_json::from_slice(&got.stdout).unwrap();
        let mut want = lines[i].clone();
        let row = want.as_object_mut().unwrap().remove("row").unwrap();
        assert_eq!(got, want, "row {i}");
        got["row"] = row;
        validate(&got, &schema, "$").unwrap();
    }
}

/// Labels from a CSV output, by job id.
fn labels(path: &Path) -> Vec<(String, String)> {
    let (h, rows) = crate::util::read_csv(path);
    let id = h.iter().position(|c| c == "job_id").unwrap();
    let l = h.iter().position(|c| c == "pmpo_label").unwrap();
    rows.iter().map(|r| (r[id].clone(), r[l].clone())).collect()
}

#[test]
fn parquet_arrow_and_json_lines_inputs_label_as_csv_does() {
    let wd = Workdir::new();
    let sample = root().join("datasets/postings_sample.csv");
    let sample = sample.to_str().unwrap();
    wd.ok(wd.cmd().args(["label", sample, "-q", "-o", "want.csv"]));
    let want = labels(&wd.path("want.csv"));
    // Parquet and Arrow written by pmpo carry the input's columns: read
    // back, they are labelled as the CSV was, for one and two threads.
    for (fmt, file) in [("parquet", "s.parquet"), ("arrow", "s.arrow")] {
        wd.ok(wd
            .cmd()
            .args(["label", sample, "-q", "--format", fmt, "-o", file]));
        for threads in ["1", "2"] {
            wd.ok(wd
                .cmd()
                .args(["label", file, "-q", "-o", "got.csv", "--threads", threads]));
            assert_eq!(labels(&wd.path("got.csv")), want, "{fmt}");
        }
    }
    let a = wd.ok(wd.cmd().args([
        "label",
        "s.parquet",
        "-q",
        "--format",
        "parquet",
        "--threads",
        "1",
    ]));
    let b = wd.ok(wd.cmd().args([
        "label",
        "s.parquet",
        "-q",
        "--format",
        "parquet",
        "--threads",
        "2",
    ]));
    assert!(
        a.stdout == b.stdout,
        "Parquet output depends on the thread count"
    );
    // JSON Lines: the `row` objects of a JSON Lines output, one per line.
    let out = wd.ok(wd.cmd().args(["label", sample, "-q", "--format", "jsonl"]));
    let mut lines = String::new();
    for l in String::from_utf8(out.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        lines.push_str(&v["row"].to_string());
        lines.push('\n');
    }
    wd.write("rows.jsonl", &lines);
    wd.ok(wd
        .cmd()
        .args(["label", "rows.jsonl", "-q", "-o", "got.csv"]));
    assert_eq!(labels(&wd.path("got.csv")), want);
    let zst = zstd::encode_all(lines.as_bytes(), 3).unwrap();
    wd.write("rows.jsonl.zst", zst);
    wd.ok(wd
        .cmd()
        .args(["label", "rows.jsonl.zst", "-q", "-o", "got.csv"]));
    assert_eq!(labels(&wd.path("got.csv")), want);
}

#[test]
fn parquet_output_is_typed() {
    use arrow_schema::DataType;
    let wd = Workdir::new();
    input(&wd);
    status(
        &wd,
        &[
            "label",
            "in.csv",
            "-q",
            "--format",
            "parquet",
            "-o",
            "o.parquet",
        ],
    );
    let f = std::fs::File::open(wd.path("o.parquet")).unwrap();
    let r = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(f).unwrap();
    let s = r.schema().clone();
    let t = |n: &str| s.field_with_name(n).unwrap().data_type().clone();
    assert_eq!(t("job_id"), DataType::Utf8);
    assert_eq!(t("pmpo_confidence"), DataType::Float64);
    assert_eq!(t("pmpo_pm_share"), DataType::Float64);
    assert!(matches!(t("pmpo_label"), DataType::Dictionary(_, v) if *v == DataType::Utf8));
    let rows: usize = r.build().unwrap().map(|b| b.unwrap().num_rows()).sum();
    assert_eq!(rows, 7);
}

/// A Parquet file of typed columns: an integer id, a string title, a large
/// string text, a date and a nullable float.
fn typed_parquet(wd: &Workdir) -> arrow_array::RecordBatch {
    use arrow_array::{
        ArrayRef, Date32Array, Float64Array, Int64Array, LargeStringArray, StringArray,
    };
    use std::sync::Arc;
    let texts = [
        "Responsibilities: own the product backlog, write user stories and run sprint planning with the team.",
        "You will set the product vision and roadmap, research the market and define pricing.",
        "Cook fresh meals for our guests and keep the kitchen clean.",
    ];
    let batch = arrow_array::RecordBatch::try_from_iter([
        (
            "job_id",
            Arc::new(Int64Array::from(vec![7, 8, 9])) as ArrayRef,
        ),
        (
            "title",
            Arc::new(StringArray::from(vec![
                "Product Owner",
                "Product Manager",
                "Chef",
            ])) as ArrayRef,
        ),
        (
            "description",
            Arc::new(LargeStringArray::from(texts.to_vec())) as ArrayRef,
        ),
        (
            "posted",
            Arc::new(Date32Array::from(vec![20000, 20001, 20002])) as ArrayRef,
        ),
        (
            "salary",
            Arc::new(Float64Array::from(vec![Some(1.5), None, Some(3.0)])) as ArrayRef,
        ),
    ])
    .unwrap();
    let f = std::fs::File::create(wd.path("typed.parquet")).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(f, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    batch
}

#[test]
fn columnar_to_columnar_keeps_the_input_columns_types_and_values() {
    use arrow_array::Array;
    let wd = Workdir::new();
    let want = typed_parquet(&wd);
    wd.ok(wd
        .cmd()
        .args(["label", "typed.parquet", "-q", "-o", "typed.csv"]));
    let (h, csv_rows) = crate::util::read_csv(&wd.path("typed.csv"));
    let csv_label = h.iter().position(|c| c == "pmpo_label").unwrap();
    for (fmt, out) in [("parquet", "o.parquet"), ("arrow", "o.arrow")] {
        wd.ok(wd
            .cmd()
            .args(["label", "typed.parquet", "-q", "--format", fmt, "-o", out]));
        let f = std::fs::File::open(wd.path(out)).unwrap();
        let batches: Vec<arrow_array::RecordBatch> = if fmt == "parquet" {
            parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(f)
                .unwrap()
                .build()
                .unwrap()
                .map(Result::unwrap)
                .collect()
        } else {
            arrow_ipc::reader::FileReader::try_new(f, None)
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let got = arrow_select_concat(&batches);
        assert_eq!(got.num_rows(), 3, "{fmt}");
        for (i, field) in want.schema().fields().iter().enumerate() {
            let col = got.column_by_name(field.name()).unwrap();
            assert_eq!(
                col.data_type(),
                field.data_type(),
                "{fmt}: {}",
                field.name()
            );
            assert_eq!(
                col.to_data(),
                want.column(i).to_data(),
                "{fmt}: {}",
                field.name()
            );
        }
        let labels = got.column_by_name("pmpo_label").unwrap();
        let labels = arrow_array::cast::AsArray::as_dictionary::<arrow_array::types::Int32Type>(
            labels.as_ref(),
        );
        let values = labels.values();
        let values = arrow_array::cast::AsArray::as_string::<i32>(values.as_ref());
        for (r, k) in labels.keys().iter().enumerate() {
            assert_eq!(
                values.value(k.unwrap() as usize),
                csv_rows[r][csv_label],
                "{fmt} row {r}"
            );
        }
    }
    // From text, the same columns are strings.
    wd.ok(wd.cmd().args([
        "label",
        "typed.csv",
        "-q",
        "--keep",
        "job_id",
        "--format",
        "parquet",
        "-o",
        "t.parquet",
    ]));
    let f = std::fs::File::open(wd.path("t.parquet")).unwrap();
    let r = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(f).unwrap();
    assert_eq!(
        r.schema().field_with_name("job_id").unwrap().data_type(),
        &arrow_schema::DataType::Utf8
    );
}

/// The batches as one (all have the same schema and few rows).
fn arrow_select_concat(batches: &[arrow_array::RecordBatch]) -> arrow_array::RecordBatch {
    assert_eq!(batches.len(), 1, "one small input makes one batch");
    batches[0].clone()
}

#[test]
fn bad_parquet_arrow_and_json_lines_are_named() {
    let wd = Workdir::new();
    let sample = root().join("datasets/postings_sample.csv");
    wd.ok(wd.cmd().args([
        "label",
        sample.to_str().unwrap(),
        "-q",
        "--format",
        "parquet",
        "-o",
        "s.parquet",
    ]));
    let bytes = std::fs::read(wd.path("s.parquet")).unwrap();
    // Truncated: the footer is gone.
    wd.write("cut.parquet", &bytes[..bytes.len() / 2]);
    let (code, err) = status(&wd, &["label", "cut.parquet", "-q", "-o", "o.csv"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("cut.parquet: not a readable Parquet file"),
        "{err}"
    );
    assert!(!wd.path("o.csv").exists());
    // A column asked for that is not there.
    let (code, err) = status(
        &wd,
        &[
            "label",
            "s.parquet",
            "-q",
            "--text-col",
            "body",
            "-o",
            "o.csv",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("s.parquet: no column named \"body\"; the columns are: job_id, title"),
        "{err}"
    );
    // A text column that holds numbers.
    let (code, err) = status(
        &wd,
        &[
            "label",
            "s.parquet",
            "-q",
            "--text-col",
            "pmpo_confidence",
            "-o",
            "o.csv",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("s.parquet: column \"pmpo_confidence\" holds Float64, not text"),
        "{err}"
    );
    assert!(!wd.path("o.csv").exists());
    // A JSON Lines file with a broken line: that row is rejected with its
    // line, the others labelled.
    wd.write(
        "b.jsonl",
        "{\"title\":\"Product Owner\",\"description\":\"Own the backlog\"}\n{\"title\": \"PM\", \"description\": \"road\n{\"title\":\"PM\",\"description\":\"Own the roadmap\"}\n",
    );
    let (code, err) = status(&wd, &["label", "b.jsonl", "-q", "-o", "o.csv"]);
    assert_eq!(code, Some(1), "{err}");
    let (_, rows) = crate::util::read_csv(&wd.path("o.csv"));
    assert_eq!(rows.len(), 2);
    let rej = wd.read("o.rejects.csv");
    assert!(rej.contains("b.jsonl,2,58,not a JSON object"), "{rej}");
    let (code, err) = status(&wd, &["label", "b.jsonl", "-q", "--strict", "-o", "s.csv"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("b.jsonl: line 2 (byte 58): not a JSON object"),
        "{err}"
    );
    assert!(!wd.path("s.csv").exists());
    // An empty Arrow stream: no bytes at all, or a schema and no rows.
    wd.write("empty.arrows", b"");
    let (code, err) = status(
        &wd,
        &[
            "label",
            "empty.arrows",
            "-q",
            "--input-format",
            "arrow",
            "-o",
            "o.csv",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("empty.arrows: not a readable Arrow IPC file"),
        "{err}"
    );
    let schema = arrow_schema::Schema::new(vec![
        arrow_schema::Field::new("title", arrow_schema::DataType::Utf8, true),
        arrow_schema::Field::new("description", arrow_schema::DataType::Utf8, true),
    ]);
    let mut buf = Vec::new();
    let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut buf, &schema).unwrap();
    w.finish().unwrap();
    drop(w);
    wd.write("none.arrows", &buf);
    let out = wd.ok(wd.cmd().args(["label", "none.arrows", "-q"]));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("title,description,pmpo_label,"), "{text}");
    assert_eq!(text.lines().count(), 1);
}
