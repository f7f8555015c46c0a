//! The shipped sample against its hand-written expected labels.

use crate::util::{read_csv, root, Workdir};

#[test]
fn sample_labels_and_title_roles_match_the_expected_file() {
    let wd = Workdir::new();
    wd.ok(wd
        .cmd()
        .arg("label")
        .arg(root().join("datasets/postings_sample.csv"))
        .args(["-o", "out.csv", "-q"]));
    let (h, rows) = read_csv(&wd.path("out.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (id, label, role) = (col("job_id"), col("pmpo_label"), col("pmpo_title_role"));
    let (eh, expected) = read_csv(&root().join("datasets/expected_labels.csv"));
    assert_eq!(eh[..3], ["job_id", "label", "title_role"]);
    assert_eq!(rows.len(), expected.len());
    let mut label_misses = Vec::new();
    let mut role_misses = Vec::new();
    for (r, e) in rows.iter().zip(&expected) {
        assert_eq!(r[id], e[0], "rows out of order");
        if r[label] != e[1] {
            label_misses.push(format!("{}: expected {}, got {}", e[0], e[1], r[label]));
        }
        if r[role] != e[2] {
            role_misses.push(format!(
                "{}: expected title role {}, got {}",
                e[0], e[2], r[role]
            ));
        }
    }
    // Title roles are rule-based: every one must match.
    assert!(role_misses.is_empty(), "{role_misses:#?}");
    // Content labels are statistical: the floor is the measured agreement
    // of the committed model, rounded down; a drop below it is a regression.
    let agree = 1.0 - label_misses.len() as f64 / rows.len() as f64;
    eprintln!("sample agreement {agree:.2}; misses: {label_misses:#?}");
    assert!(
        agree >= FLOOR,
        "agreement {agree:.2} < {FLOOR}: {label_misses:#?}"
    );
}

/// Agreement of the committed model with `datasets/expected_labels.csv`.
const FLOOR: f64 = 0.84;
