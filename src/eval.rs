//! Evaluation of predicted labels against hand-labelled gold labels.
//!
//! In: one [`Prediction`] per evaluated posting (its id, language, gold and
//! predicted [`Label`], and the predicted probabilities of the four labels),
//! and gold files read by [`read_gold`]. Out: [`Metrics`] (accuracy,
//! macro-F1, per-label precision/recall/F1, the confusion matrix,
//! calibration error, Brier score, how often and how well the model is
//! confident) for the whole set and, in a [`Report`], for each language,
//! plus a plain-text rendering of the report.
//!
//! Conventions, so that every number is defined for every input:
//! - precision is 0 for a label that is never predicted, recall is 0 for a
//!   label with no support, and F1 is 0 when precision and recall are both 0;
//! - macro-F1 averages F1 over the labels that occur, as gold or as
//!   prediction; a label absent from both is left out rather than counted as
//!   0 (or as 1), so a perfect prediction scores 1 on any subset;
//! - the confidence of a row is the probability of its predicted label; a
//!   probability is clamped to [0, 1] and a non-finite one counts as 0;
//! - ECE uses [`ECE_BINS`] equal-width bins over confidence, `[0, 1/15)`, ...,
//!   `[14/15, 1]` (a confidence of exactly 1 falls in the last bin);
//! - for an empty set every count and rate is 0 and
//!   [`Metrics::high_conf_accuracy`] is `None`, as it is whenever no row has
//!   a confidence of at least [`HIGH_CONFIDENCE`].
//!
//! Computing metrics never fails and never panics. [`read_gold`] fails with
//! an error naming the file, the line and the field at fault.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::error::ErrorKind;
use crate::score::Label;
use crate::{Error, Result};

/// The number of equal-width confidence bins of the expected calibration
/// error.
pub const ECE_BINS: usize = 15;

/// The confidence from which a prediction counts as high-confidence.
pub const HIGH_CONFIDENCE: f64 = 0.8;

/// One evaluated posting.
#[derive(Debug, Clone, Serialize)]
pub struct Prediction {
    /// The posting's id.
    pub id: String,
    /// The posting's language, an ISO 639-1 code or `und` (see
    /// [`crate::lang::guess_lang`]).
    pub lang: String,
    /// The hand-assigned label.
    pub gold: Label,
    /// The predicted label.
    pub pred: Label,
    /// The probabilities of pm, po, hybrid and none, in [`Label::ALL`]
    /// order (they should sum to 1).
    pub probs: [f64; 4],
    /// The group the posting belongs to (its source), `""` when unknown.
    pub group: String,
    /// The set (postings file) it came from, `""` when unknown.
    pub set: String,
    /// What the title rule says: a PM title `pm`, a PO title `po`, a title
    /// naming both `hybrid`, anything else `none`. The baseline any user
    /// can write in one line.
    pub baseline: Label,
}

impl Prediction {
    /// The probability of the predicted label, clamped to [0, 1] (0 when it
    /// is not finite).
    pub fn confidence(&self) -> f64 {
        prob(self.probs[self.pred.index()])
    }
}

/// Metrics over a set of predictions.
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    /// The number of predictions.
    pub n: usize,
    /// The share of predictions equal to their gold label.
    pub accuracy: f64,
    /// The mean F1 over the labels that occur as gold or as prediction.
    pub macro_f1: f64,
    /// One entry per label, in [`Label::ALL`] order.
    pub per_label: Vec<LabelMetrics>,
    /// Counts indexed `[gold][pred]` by [`Label::index`].
    pub confusion: [[usize; 4]; 4],
    /// The expected calibration error over [`ECE_BINS`] equal-width bins of
    /// confidence: the sum over bins of the bin's share of rows times the
    /// absolute difference between its accuracy and its mean confidence.
    pub ece: f64,
    /// The multi-class Brier score: the mean over rows of the sum over labels
    /// of the squared difference between the probability and the indicator
    /// of the gold label (0 is perfect, 2 the worst).
    pub brier: f64,
    /// The share of rows with a confidence of at least [`HIGH_CONFIDENCE`].
    pub high_conf_share: f64,
    /// The accuracy of those rows; `None` when there are none.
    pub high_conf_accuracy: Option<f64>,
}

/// Precision, recall and F1 of one label.
#[derive(Debug, Clone, Serialize)]
pub struct LabelMetrics {
    /// The label.
    pub label: Label,
    /// The number of rows whose gold label this is.
    pub support: usize,
    /// Of the rows predicted as this label, the share that have it as gold;
    /// 0 when it is never predicted.
    pub precision: f64,
    /// Of the rows with this gold label, the share predicted as it; 0 when
    /// there are none.
    pub recall: f64,
    /// The harmonic mean of precision and recall; 0 when both are 0.
    pub f1: f64,
}

/// The full report: overall and per language.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Metrics over all predictions.
    pub overall: Metrics,
    /// Metrics per language code, by row count (largest first), then code.
    pub by_lang: Vec<(String, Metrics)>,
    /// The title rule's metrics over all predictions.
    pub baseline: Metrics,
    /// Model and title rule per set (postings file), in name order.
    pub by_set: Vec<(String, Versus)>,
    /// Model and title rule per group (source), by row count (largest
    /// first), then name.
    pub by_group: Vec<(String, Versus)>,
}

/// The model against the title rule on some rows.
#[derive(Debug, Clone, Serialize)]
pub struct Versus {
    /// Rows.
    pub n: usize,
    /// The model's accuracy.
    pub accuracy: f64,
    /// The model's macro-F1.
    pub macro_f1: f64,
    /// The title rule's accuracy.
    pub baseline_accuracy: f64,
    /// The title rule's macro-F1.
    pub baseline_macro_f1: f64,
}

/// The model against the title rule on `rows`.
fn versus(rows: &[&Prediction]) -> Versus {
    let m = metrics_of(rows.iter().copied());
    let b: Vec<Prediction> = rows.iter().map(|p| as_baseline(p)).collect();
    let bm = metrics(&b);
    Versus {
        n: m.n,
        accuracy: m.accuracy,
        macro_f1: m.macro_f1,
        baseline_accuracy: bm.accuracy,
        baseline_macro_f1: bm.macro_f1,
    }
}

/// The title rule's prediction for the same posting (certain of itself).
fn as_baseline(p: &Prediction) -> Prediction {
    let mut probs = [0.0; 4];
    probs[p.baseline.index()] = 1.0;
    Prediction {
        pred: p.baseline,
        probs,
        ..p.clone()
    }
}

/// Groups `preds` by a key, each group's rows in input order.
fn grouped<'a>(
    preds: &'a [Prediction],
    key: impl Fn(&'a Prediction) -> &'a str,
) -> BTreeMap<&'a str, Vec<&'a Prediction>> {
    let mut groups: BTreeMap<&str, Vec<&Prediction>> = BTreeMap::new();
    for p in preds {
        groups.entry(key(p)).or_default().push(p);
    }
    groups
}

/// A gold (hand-assigned) label with its optional annotations.
#[derive(Debug, Clone, PartialEq)]
pub struct Gold {
    /// The label.
    pub label: Label,
    /// The annotator's estimate of the PM share of the duties, in [0, 1].
    pub pm_share: Option<f64>,
    /// The annotator's certainty.
    pub certainty: Option<u8>,
}

/// Computes the metrics of `preds`.
pub fn metrics(preds: &[Prediction]) -> Metrics {
    metrics_of(preds.iter())
}

/// Computes the metrics of all of `preds` and of each language's rows.
pub fn report(preds: &[Prediction]) -> Report {
    let mut by_lang: Vec<(String, Metrics)> = grouped(preds, |p| p.lang.as_str())
        .into_iter()
        .map(|(lang, rows)| (lang.to_string(), metrics_of(rows.into_iter())))
        .collect();
    // The map gave code order; a stable sort keeps it among equal counts.
    by_lang.sort_by_key(|(_, m)| std::cmp::Reverse(m.n));
    let base: Vec<Prediction> = preds.iter().map(as_baseline).collect();
    let by_set = grouped(preds, |p| p.set.as_str())
        .into_iter()
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, rows)| (k.to_string(), versus(&rows)))
        .collect();
    let mut by_group: Vec<(String, Versus)> = grouped(preds, |p| p.group.as_str())
        .into_iter()
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, rows)| (k.to_string(), versus(&rows)))
        .collect();
    by_group.sort_by_key(|(_, v)| std::cmp::Reverse(v.n));
    Report {
        overall: metrics(preds),
        by_lang,
        baseline: metrics(&base),
        by_set,
        by_group,
    }
}

/// A probability clamped to [0, 1], with non-finite values as 0.
fn prob(p: f64) -> f64 {
    if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// `num / den`, or 0 when `den` is 0.
fn ratio(num: f64, den: f64) -> f64 {
    if den > 0.0 {
        num / den
    } else {
        0.0
    }
}

/// The ECE bin of a confidence in [0, 1].
fn bin_of(confidence: f64) -> usize {
    // The float-to-int cast saturates, and NaN would become 0; the clamp to
    // the last bin puts a confidence of exactly 1 there.
    ((confidence * ECE_BINS as f64) as usize).min(ECE_BINS - 1)
}

/// Computes the metrics of the predictions `preds` yields.
fn metrics_of<'a>(preds: impl Iterator<Item = &'a Prediction>) -> Metrics {
    let mut n = 0usize;
    let mut confusion = [[0usize; 4]; 4];
    // Per bin: rows, correct rows, sum of confidence.
    let mut bins = [(0usize, 0usize, 0.0f64); ECE_BINS];
    let mut brier_sum = 0.0;
    let (mut high, mut high_correct) = (0usize, 0usize);
    for p in preds {
        n += 1;
        let (gold, pred) = (p.gold.index(), p.pred.index());
        confusion[gold][pred] += 1;
        let correct = usize::from(gold == pred);
        let confidence = p.confidence();
        let bin = &mut bins[bin_of(confidence)];
        bin.0 += 1;
        bin.1 += correct;
        bin.2 += confidence;
        if confidence >= HIGH_CONFIDENCE {
            high += 1;
            high_correct += correct;
        }
        brier_sum += p
            .probs
            .iter()
            .enumerate()
            .map(|(k, &pk)| {
                let target = if k == gold { 1.0 } else { 0.0 };
                (prob(pk) - target).powi(2)
            })
            .sum::<f64>();
    }
    let rows = n as f64;

    let correct: usize = (0..4).map(|k| confusion[k][k]).sum();
    let mut per_label = Vec::with_capacity(4);
    let (mut f1_sum, mut f1_labels) = (0.0, 0usize);
    for label in Label::ALL {
        let k = label.index();
        let tp = confusion[k][k];
        let support: usize = confusion[k].iter().sum();
        let predicted: usize = confusion.iter().map(|row| row[k]).sum();
        let precision = ratio(tp as f64, predicted as f64);
        let recall = ratio(tp as f64, support as f64);
        let f1 = ratio(2.0 * precision * recall, precision + recall);
        if support > 0 || predicted > 0 {
            f1_sum += f1;
            f1_labels += 1;
        }
        per_label.push(LabelMetrics {
            label,
            support,
            precision,
            recall,
            f1,
        });
    }

    let ece = bins
        .iter()
        .filter(|b| b.0 > 0)
        .map(|&(count, hits, conf_sum)| {
            let count_f = count as f64;
            (count_f / rows) * (hits as f64 / count_f - conf_sum / count_f).abs()
        })
        .sum();

    Metrics {
        n,
        accuracy: ratio(correct as f64, rows),
        macro_f1: ratio(f1_sum, f1_labels as f64),
        per_label,
        confusion,
        ece,
        brier: ratio(brier_sum, rows),
        high_conf_share: ratio(high as f64, rows),
        high_conf_accuracy: (high > 0).then(|| high_correct as f64 / high as f64),
    }
}

impl Report {
    /// A human-readable text table: accuracy, macro-F1, per-label
    /// precision/recall/F1 with support, the confusion matrix (gold rows,
    /// predicted columns), ECE, Brier, the high-confidence share and
    /// accuracy; then one line per language with n, accuracy, macro-F1 and
    /// ECE.
    pub fn to_text(&self) -> String {
        let m = &self.overall;
        let mut s = String::new();
        // Writing to a String cannot fail, so the results are ignored.
        let _ = writeln!(s, "rows       {:>8}", m.n);
        let _ = writeln!(s, "accuracy   {:>8.3}", m.accuracy);
        let _ = writeln!(s, "macro-F1   {:>8.3}", m.macro_f1);
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:<8} {:>8} {:>10} {:>8} {:>8}",
            "label", "support", "precision", "recall", "F1"
        );
        for l in &m.per_label {
            let _ = writeln!(
                s,
                "{:<8} {:>8} {:>10.3} {:>8.3} {:>8.3}",
                l.label.as_str(),
                l.support,
                l.precision,
                l.recall,
                l.f1
            );
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "confusion (rows: gold, columns: predicted)");
        let _ = write!(s, "{:<10}", "gold\\pred");
        for label in Label::ALL {
            let _ = write!(s, " {:>7}", label.as_str());
        }
        let _ = writeln!(s);
        for gold in Label::ALL {
            let _ = write!(s, "{:<10}", gold.as_str());
            for count in m.confusion[gold.index()] {
                let _ = write!(s, " {count:>7}");
            }
            let _ = writeln!(s);
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "ECE ({ECE_BINS} bins) {:>8.3}", m.ece);
        let _ = writeln!(s, "Brier         {:>8.3}", m.brier);
        let high_accuracy = match m.high_conf_accuracy {
            Some(a) => format!("{a:.3}"),
            None => "-".to_string(),
        };
        let _ = writeln!(
            s,
            "confidence >= {HIGH_CONFIDENCE}: {:.1}% of rows, accuracy {high_accuracy}",
            m.high_conf_share * 100.0
        );
        if !self.by_lang.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(
                s,
                "{:<6} {:>7} {:>9} {:>9} {:>7}",
                "lang", "n", "accuracy", "macro-F1", "ECE"
            );
            for (lang, lm) in &self.by_lang {
                let _ = writeln!(
                    s,
                    "{:<6} {:>7} {:>9.3} {:>9.3} {:>7.3}",
                    lang, lm.n, lm.accuracy, lm.macro_f1, lm.ece
                );
            }
        }
        let b = &self.baseline;
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "title rule (PM title pm, PO title po, both hybrid, else none): accuracy {:.3}, macro-F1 {:.3}",
            b.accuracy, b.macro_f1
        );
        for (name, rows) in [("set", &self.by_set), ("group", &self.by_group)] {
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(s);
            let _ = writeln!(
                s,
                "{:<44} {:>5} {:>9} {:>9} {:>10} {:>10}",
                name, "n", "accuracy", "macro-F1", "rule acc", "rule F1"
            );
            for (k, v) in rows.iter() {
                let _ = writeln!(
                    s,
                    "{:<44} {:>5} {:>9.3} {:>9.3} {:>10.3} {:>10.3}",
                    k, v.n, v.accuracy, v.macro_f1, v.baseline_accuracy, v.baseline_macro_f1
                );
            }
        }
        s
    }
}

/// Reads a gold file: CSV with a header naming at least an `id` (or
/// `job_id`) and a `label` column, and optionally `pm_share` and
/// `certainty`; other columns are ignored, header names match in any case,
/// and fields are trimmed. Labels are `pm`, `po`, `hybrid` or `none` in any
/// case; an empty `pm_share` or `certainty` is `None`.
///
/// Returns the gold labels by id. Fails, naming the file, the line and the
/// field, on a missing column, a short row, an empty or repeated id, an
/// unknown label, a `pm_share` that is not a percentage in [0, 100] or a
/// `certainty` that is not an integer in 0..=255.
pub fn read_gold(path: &Path) -> Result<BTreeMap<String, Gold>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read_gold_from(file, path)
}

/// The column positions of a gold file.
struct GoldColumns {
    /// The id column and its header name.
    id: (usize, &'static str),
    /// The label column.
    label: usize,
    /// The PM share column, if any.
    pm_share: Option<usize>,
    /// The certainty column, if any.
    certainty: Option<usize>,
}

/// Reads a gold file from `reader`; `path` names it in errors.
fn read_gold_from<R: Read>(reader: R, path: &Path) -> Result<BTreeMap<String, Gold>> {
    let shown = path.display();
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let header = csv.headers().map_err(|e| csv_error(path, &e))?.clone();
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
        .collect();
    let find = |name: &str| names.iter().position(|h| h == name);
    let missing = |name: &str| {
        Error::config(format!(
            "{shown}: line 1: missing column `{name}` (the columns are: {})",
            header.iter().collect::<Vec<_>>().join(", ")
        ))
    };
    let id = match (find("id"), find("job_id")) {
        (Some(i), _) => (i, "id"),
        (None, Some(i)) => (i, "job_id"),
        (None, None) => return Err(missing("id")),
    };
    let columns = GoldColumns {
        id,
        label: find("label").ok_or_else(|| missing("label"))?,
        pm_share: find("pm_share"),
        certainty: find("certainty"),
    };

    let mut gold = BTreeMap::new();
    let mut first_line: BTreeMap<String, u64> = BTreeMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, &e)),
        }
        let line = record.position().map_or(0, |p| p.line());
        let bad = |field: &str, problem: String| {
            Error::config(format!("{shown}: line {line}: field `{field}`: {problem}"))
        };
        let field = |(index, name): (usize, &str)| {
            record
                .get(index)
                .ok_or_else(|| bad(name, "missing (the row is too short)".to_string()))
        };
        let optional = |index: Option<usize>, name: &'static str| match index {
            Some(i) => field((i, name)).map(|v| Some(v).filter(|v| !v.is_empty())),
            None => Ok(None),
        };

        let id = field(columns.id)?;
        if id.is_empty() {
            return Err(bad(columns.id.1, "empty id".to_string()));
        }
        let label_text = field((columns.label, "label"))?;
        let label = Label::parse(label_text).ok_or_else(|| {
            bad(
                "label",
                format!("unknown label {label_text:?} (expected pm, po, hybrid or none)"),
            )
        })?;
        let pm_share = match optional(columns.pm_share, "pm_share")? {
            Some(text) => match text.parse::<f64>() {
                // The gold format gives the PM share in percent (0 to 100).
                Ok(v) if (0.0..=100.0).contains(&v) => Some(v / 100.0),
                _ => {
                    return Err(bad(
                        "pm_share",
                        format!("{text:?} is not a percentage in [0, 100]"),
                    ))
                }
            },
            None => None,
        };
        let certainty = match optional(columns.certainty, "certainty")? {
            Some(text) => Some(text.parse::<u8>().map_err(|_| {
                bad(
                    "certainty",
                    format!("{text:?} is not an integer in 0..=255"),
                )
            })?),
            None => None,
        };
        if let Some(first) = first_line.get(id) {
            return Err(bad(
                columns.id.1,
                format!("duplicate id {id:?} (first on line {first})"),
            ));
        }
        first_line.insert(id.to_string(), line);
        gold.insert(
            id.to_string(),
            Gold {
                label,
                pm_share,
                certainty,
            },
        );
    }
    Ok(gold)
}

/// Converts a CSV parser error into the crate's error, with its position.
fn csv_error(path: &Path, err: &csv::Error) -> Error {
    let position = err.position();
    Error::new(ErrorKind::Csv {
        path: path.to_path_buf(),
        line: position.map(|p| p.line()),
        byte: position.map(|p| p.byte()),
        message: err.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    fn row(lang: &str, gold: Label, pred: Label, probs: [f64; 4]) -> Prediction {
        Prediction {
            id: format!("{lang}-{}-{}", gold.as_str(), pred.as_str()),
            lang: lang.to_string(),
            gold,
            pred,
            probs,
            group: String::new(),
            set: String::new(),
            baseline: Label::None,
        }
    }

    /// A one-hot-ish row: `confidence` on the prediction, the rest spread.
    fn sure(gold: Label, pred: Label, confidence: f64) -> Prediction {
        let mut probs = [(1.0 - confidence) / 3.0; 4];
        probs[pred.index()] = confidence;
        row("en", gold, pred, probs)
    }

    #[test]
    fn perfect_predictions() {
        let preds: Vec<_> = Label::ALL.iter().map(|&l| sure(l, l, 1.0)).collect();
        let m = metrics(&preds);
        assert_eq!(m.n, 4);
        assert!(close(m.accuracy, 1.0));
        assert!(close(m.macro_f1, 1.0));
        assert!(close(m.ece, 0.0));
        assert!(close(m.brier, 0.0));
        assert!(close(m.high_conf_share, 1.0));
        assert_eq!(m.high_conf_accuracy, Some(1.0));
        for (k, l) in m.per_label.iter().enumerate() {
            assert_eq!(l.label, Label::ALL[k]);
            assert_eq!(l.support, 1);
            assert!(close(l.precision, 1.0) && close(l.recall, 1.0) && close(l.f1, 1.0));
        }
    }

    #[test]
    fn perfect_on_a_subset_of_labels_is_still_one() {
        let preds = vec![
            sure(Label::Pm, Label::Pm, 0.9),
            sure(Label::Po, Label::Po, 0.9),
        ];
        let m = metrics(&preds);
        assert!(close(m.macro_f1, 1.0));
        assert_eq!(m.per_label[Label::Hybrid.index()].f1, 0.0);
    }

    #[test]
    fn known_confusion() {
        use Label::*;
        // gold -> pred: pm->pm x2, pm->po, po->po, po->hybrid, hybrid->pm.
        let pairs = [
            (Pm, Pm),
            (Pm, Pm),
            (Pm, Po),
            (Po, Po),
            (Po, Hybrid),
            (Hybrid, Pm),
        ];
        let preds: Vec<_> = pairs.iter().map(|&(g, p)| sure(g, p, 0.5)).collect();
        let m = metrics(&preds);
        assert_eq!(
            m.confusion,
            [[2, 1, 0, 0], [0, 1, 1, 0], [1, 0, 0, 0], [0, 0, 0, 0]]
        );
        assert!(close(m.accuracy, 3.0 / 6.0));
        // pm: P = 2/3, R = 2/3, F1 = 2/3. po: P = 1/2, R = 1/2, F1 = 1/2.
        // hybrid: predicted once, wrongly; support 1: P = R = F1 = 0.
        // none: neither gold nor predicted: left out of the macro average.
        let pm = &m.per_label[Pm.index()];
        assert_eq!(pm.support, 3);
        assert!(close(pm.precision, 2.0 / 3.0) && close(pm.recall, 2.0 / 3.0));
        assert!(close(pm.f1, 2.0 / 3.0));
        let po = &m.per_label[Po.index()];
        assert_eq!(po.support, 2);
        assert!(close(po.precision, 0.5) && close(po.recall, 0.5) && close(po.f1, 0.5));
        let hybrid = &m.per_label[Hybrid.index()];
        assert_eq!(hybrid.support, 1);
        assert_eq!(
            (hybrid.precision, hybrid.recall, hybrid.f1),
            (0.0, 0.0, 0.0)
        );
        let none = &m.per_label[None.index()];
        assert_eq!(none.support, 0);
        assert_eq!((none.precision, none.recall, none.f1), (0.0, 0.0, 0.0));
        assert!(close(m.macro_f1, (2.0 / 3.0 + 0.5 + 0.0) / 3.0));
    }

    #[test]
    fn a_label_predicted_but_never_gold_counts_in_macro_f1() {
        use Label::*;
        let preds = vec![sure(Pm, Pm, 0.9), sure(Pm, None, 0.9)];
        let m = metrics(&preds);
        // pm: P = 1, R = 1/2, F1 = 2/3; none: P = 0 (1 predicted), F1 = 0.
        assert!(close(m.per_label[Pm.index()].f1, 2.0 / 3.0));
        assert!(close(m.macro_f1, (2.0 / 3.0) / 2.0));
    }

    #[test]
    fn ece_by_hand() {
        use Label::*;
        // Bin 13 = [13/15, 14/15) holds 0.9 twice: one right, one wrong:
        //   accuracy 0.5, mean confidence 0.9, gap 0.4.
        // Bin 7 = [7/15, 8/15) holds 0.5 once, right: gap 0.5.
        // Bin 14 = [14/15, 1] holds 1.0 once, right: gap 0.
        // ECE = 2/4 * 0.4 + 1/4 * 0.5 + 1/4 * 0 = 0.325.
        let preds = vec![
            sure(Pm, Pm, 0.9),
            sure(Po, Pm, 0.9),
            sure(Hybrid, Hybrid, 0.5),
            sure(None, None, 1.0),
        ];
        assert_eq!(bin_of(0.9), 13);
        assert_eq!(bin_of(0.5), 7);
        assert_eq!(bin_of(1.0), 14);
        assert_eq!(bin_of(0.0), 0);
        let m = metrics(&preds);
        assert!(close(m.ece, 0.325), "{}", m.ece);
        // Three of four rows are at 0.8 or above; two of those are right.
        assert!(close(m.high_conf_share, 0.75));
        assert!(close(m.high_conf_accuracy.unwrap_or(-1.0), 2.0 / 3.0));
    }

    #[test]
    fn brier_by_hand() {
        use Label::*;
        // Row 1: gold pm, probs (0.7, 0.2, 0.1, 0):
        //   0.3^2 + 0.2^2 + 0.1^2 + 0 = 0.09 + 0.04 + 0.01 = 0.14.
        // Row 2: gold none, probs (0.5, 0.5, 0, 0):
        //   0.25 + 0.25 + 0 + 1 = 1.5.
        // Mean: 0.82.
        let preds = vec![
            row("en", Pm, Pm, [0.7, 0.2, 0.1, 0.0]),
            row("en", None, Pm, [0.5, 0.5, 0.0, 0.0]),
        ];
        let m = metrics(&preds);
        assert!(close(m.brier, 0.82), "{}", m.brier);
        assert!(close(m.high_conf_share, 0.0));
        assert_eq!(m.high_conf_accuracy, Option::None);
    }

    #[test]
    fn bad_probabilities_are_clamped() {
        let p = row(
            "en",
            Label::Pm,
            Label::Pm,
            [f64::NAN, 2.0, -1.0, f64::INFINITY],
        );
        assert_eq!(p.confidence(), 0.0);
        let m = metrics(&[p]);
        // (0 - 1)^2 + (1 - 0)^2 + 0 + 0 = 2.
        assert!(close(m.brier, 2.0));
        assert!(m.ece.is_finite());
    }

    #[test]
    fn empty_set_is_all_zero() {
        let m = metrics(&[]);
        assert_eq!(m.n, 0);
        assert_eq!(
            (m.accuracy, m.macro_f1, m.ece, m.brier),
            (0.0, 0.0, 0.0, 0.0)
        );
        assert_eq!(m.high_conf_share, 0.0);
        assert_eq!(m.high_conf_accuracy, Option::None);
        assert_eq!(m.per_label.len(), 4);
        let r = report(&[]);
        assert!(r.by_lang.is_empty());
        assert!(r.to_text().contains("accuracy"));
    }

    #[test]
    fn report_groups_by_language_largest_first() {
        use Label::*;
        let preds = vec![
            row("fr", Pm, Pm, [1.0, 0.0, 0.0, 0.0]),
            row("en", Pm, Po, [0.4, 0.6, 0.0, 0.0]),
            row("de", Po, Po, [0.0, 1.0, 0.0, 0.0]),
            row("en", Po, Po, [0.0, 1.0, 0.0, 0.0]),
            row("de", None, None, [0.0, 0.0, 0.0, 1.0]),
        ];
        let r = report(&preds);
        let order: Vec<_> = r.by_lang.iter().map(|(l, m)| (l.as_str(), m.n)).collect();
        assert_eq!(order, vec![("de", 2), ("en", 2), ("fr", 1)]);
        assert!(close(r.by_lang[1].1.accuracy, 0.5));
        assert_eq!(r.overall.n, 5);
        assert!(close(r.overall.accuracy, 0.8));
    }

    #[test]
    fn text_report_has_every_part() {
        use Label::*;
        let preds = vec![
            row("en", Pm, Pm, [0.9, 0.1, 0.0, 0.0]),
            row("de", Po, Hybrid, [0.1, 0.3, 0.6, 0.0]),
        ];
        let text = report(&preds).to_text();
        for needle in [
            "accuracy",
            "macro-F1",
            "precision",
            "recall",
            "support",
            "gold\\pred",
            "hybrid",
            "ECE",
            "Brier",
            "confidence >= 0.8",
            "lang",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in\n{text}");
        }
        let po_row = text
            .lines()
            .skip_while(|l| !l.starts_with("gold\\pred"))
            .find(|l| l.starts_with("po "));
        assert_eq!(
            po_row.map(|l| l.split_whitespace().collect::<Vec<_>>()),
            Some(vec!["po", "0", "0", "1", "0"])
        );
        assert!(text.lines().any(|l| l.starts_with("de ")));
    }

    #[test]
    fn serializes_to_json() {
        let preds = vec![sure(Label::Pm, Label::Po, 0.5)];
        let json = serde_json::to_value(report(&preds)).unwrap_or_default();
        assert_eq!(json["overall"]["n"], 1);
        assert_eq!(json["overall"]["per_label"][0]["label"], "pm");
        assert!(json["overall"]["high_conf_accuracy"].is_null());
        assert_eq!(json["by_lang"][0][0], "en");
    }

    fn gold(text: &str) -> Result<BTreeMap<String, Gold>> {
        read_gold_from(text.as_bytes(), Path::new("gold.csv"))
    }

    fn gold_err(text: &str) -> String {
        match gold(text) {
            Ok(g) => panic!("expected an error, got {g:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn reads_gold() {
        let g = gold(
            "\u{feff}ID,Label,pm_share,certainty,note\n\
             a1,PM,80,3,strategy\n\
             a2, hybrid ,,,\n\
             a3,None,0,5,\"x, y\"\n",
        );
        let g = match g {
            Ok(g) => g,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(g.len(), 3);
        assert_eq!(
            g["a1"],
            Gold {
                label: Label::Pm,
                pm_share: Some(0.8),
                certainty: Some(3)
            }
        );
        assert_eq!(
            g["a2"],
            Gold {
                label: Label::Hybrid,
                pm_share: Option::None,
                certainty: Option::None
            }
        );
        assert_eq!(g["a3"].label, Label::None);
    }

    #[test]
    fn reads_gold_with_job_id_and_no_optional_columns() {
        let g = gold("job_id,label,title_role\nJB-1,po,pm\n").map_err(|e| e.to_string());
        assert_eq!(
            g.map(|g| g.into_iter().collect::<Vec<_>>()),
            Ok(vec![(
                "JB-1".to_string(),
                Gold {
                    label: Label::Po,
                    pm_share: Option::None,
                    certainty: Option::None
                }
            )])
        );
    }

    #[test]
    fn reads_gold_from_a_file() {
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let path = dir.path().join("gold.csv");
        if let Err(e) = std::fs::write(&path, "id,label\nx,PO\n") {
            panic!("{e}");
        }
        let g = read_gold(&path).map_err(|e| e.to_string());
        assert_eq!(g.map(|g| g["x"].label), Ok(Label::Po));
        let missing = read_gold(&dir.path().join("nope.csv")).map_err(|e| e.to_string());
        assert!(matches!(missing, Err(m) if m.contains("nope.csv")));
    }

    #[test]
    fn gold_errors_name_file_line_and_field() {
        let e = gold_err("id,label\na,pm\nb,manager\n");
        assert!(e.contains("gold.csv") && e.contains("line 3"), "{e}");
        assert!(e.contains("`label`") && e.contains("manager"), "{e}");

        let e = gold_err("id,pm_share\na,0.5\n");
        assert!(e.contains("gold.csv") && e.contains("line 1"), "{e}");
        assert!(e.contains("missing column `label`"), "{e}");

        let e = gold_err("name,label\na,pm\n");
        assert!(e.contains("missing column `id`"), "{e}");

        let e = gold_err("id,label,pm_share\na,pm,50\nb,po,150\n");
        assert!(e.contains("line 3") && e.contains("`pm_share`"), "{e}");

        let e = gold_err("id,label,certainty\na,pm,high\n");
        assert!(e.contains("line 2") && e.contains("`certainty`"), "{e}");

        let e = gold_err("id,label,certainty\na,pm,3\nb\n");
        assert!(e.contains("line 3") && e.contains("`label`"), "{e}");

        let e = gold_err("id,label\na,pm\n,po\n");
        assert!(e.contains("line 3") && e.contains("`id`"), "{e}");

        let e = gold_err("id,label\na,pm\nb,po\na,none\n");
        assert!(
            e.contains("line 4") && e.contains("duplicate") && e.contains("line 2"),
            "{e}"
        );
    }

    #[test]
    fn gold_line_numbers_count_quoted_newlines() {
        let e = gold_err("id,label,note\na,pm,\"two\nlines\"\nb,xx,\n");
        assert!(e.contains("line 4"), "{e}");
    }
}
