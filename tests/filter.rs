//! The command line as a streaming filter (`RDD.pipe`, Hadoop streaming):
//! rows fed to standard input come out while it stays open, a block at a
//! time, not when the input ends.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Long enough for a loaded machine; a filter that holds rows until the
/// input ends never answers, so the test fails instead of waiting forever.
const PATIENCE: Duration = Duration::from_secs(60);

/// Starts `pmpo label - ARGS`, and a thread that sends each output line.
fn filter(args: &[&str]) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pmpo"))
        .args(["label", "-"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

fn next_line(rx: &mpsc::Receiver<String>, what: &str) -> String {
    rx.recv_timeout(PATIENCE)
        .unwrap_or_else(|_| panic!("{what} did not come out while the input stayed open"))
}

#[test]
fn csv_rows_come_out_while_the_input_stays_open() {
    let (mut child, rx) = filter(&["--format", "jsonl"]);
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(
            b"id,title,description\n\
              1,Product Owner,\"Own the product backlog and write user stories with the team.\"\n\
              2,Product Manager,\"Set the product vision and roadmap; research the market.\"\n",
        )
        .unwrap();
    stdin.flush().unwrap();
    for id in ["1", "2"] {
        let line = next_line(&rx, &format!("row {id}"));
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["row"]["id"], id);
    }
    // A row split over two writes comes out once it is whole.
    stdin.write_all(b"3,Chef,\"Cook").unwrap();
    stdin.flush().unwrap();
    stdin.write_all(b" meals for guests.\"\n").unwrap();
    stdin.flush().unwrap();
    let v: serde_json::Value = serde_json::from_str(&next_line(&rx, "row 3")).unwrap();
    assert_eq!(v["row"]["description"], "Cook meals for guests.");
    drop(stdin);
    assert!(child.wait().unwrap().success());
    assert!(
        rx.recv_timeout(PATIENCE).is_err(),
        "no row after the input ends"
    );
}

#[test]
fn json_lines_rows_come_out_while_the_input_stays_open() {
    let (mut child, rx) = filter(&["--format", "csv", "--keep", "id"]);
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(
            b"{\"id\":\"a\",\"title\":\"Product Owner\",\"description\":\"Refine the backlog.\"}\n",
        )
        .unwrap();
    stdin.flush().unwrap();
    assert!(next_line(&rx, "the header").starts_with("id,pmpo_label,"));
    assert!(next_line(&rx, "row a").starts_with("a,"));
    stdin
        .write_all(b"{\"id\":\"b\",\"title\":\"Chef\",\"description\":\"Cook meals.\"}\n")
        .unwrap();
    stdin.flush().unwrap();
    assert!(next_line(&rx, "row b").starts_with("b,"));
    drop(stdin);
    assert!(child.wait().unwrap().success());
}
