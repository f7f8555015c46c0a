//! The commands' recipes: how a model is learned, calibrated and evaluated,
//! one posting explained and the tokenizer checked, each from the stages.
//! The command line only parses arguments and calls these.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::calibrate::{self, Folds, MismatchScore, Scored};
use crate::eval::{self, Gold};
use crate::fit::{self, WeightFit};
use crate::learn::{apply_specificity, learn_articles, read_articles, read_texts, LearnConfig};
use crate::model::Calibration;
use crate::score::LabelParams;
use crate::{Error, Model, Result};

/// pmpo's version, as `cargo` knows it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What `learn` learns from.
#[derive(Debug, Clone)]
pub struct LearnRecipe {
    /// Folder of article text files.
    pub articles: PathBuf,
    /// Unlabelled postings whose phrase frequencies temper the weights of
    /// phrases every posting uses.
    pub background: Option<PathBuf>,
    /// A person's overrides (see `models/overrides.txt`).
    pub overrides: Option<PathBuf>,
    /// Unlabelled postings to learn more phrases from by self-training.
    pub adapt: Option<PathBuf>,
    /// Adaptation rounds.
    pub rounds: u32,
    /// Label parameters (a calibration.json) to pseudo-label with.
    pub adapt_params: Option<PathBuf>,
    /// Largest share of postings an adaptation round may move.
    pub max_shift: f64,
}

/// A learned model, with what happened on the way.
#[derive(Debug)]
pub struct Learned {
    /// The model, with the guide's default label parameters.
    pub model: Model,
    /// Articles read.
    pub articles: usize,
    /// One line per adaptation round.
    pub rounds: Vec<String>,
}

/// Learns a model: phrases from articles, tempered by background postings,
/// a person's overrides, then cautious self-training.
pub fn learn(r: &LearnRecipe) -> Result<Learned> {
    let arts = read_articles(&r.articles)?;
    let mut lex = learn_articles(&arts, &LearnConfig::default())?;
    if let Some(bg) = &r.background {
        apply_specificity(&mut lex, &read_texts(bg)?, 0.25)?;
    }
    if let Some(o) = &r.overrides {
        let text = std::fs::read_to_string(o).map_err(|e| Error::io(o, e))?;
        lex.apply_overrides(&text, o)?;
    }
    let mut rounds = Vec::new();
    if let Some(a) = &r.adapt {
        let texts = read_texts(a)?;
        let cfg = crate::adapt::AdaptConfig {
            rounds: r.rounds,
            max_shift: r.max_shift,
            ..Default::default()
        };
        let params = match &r.adapt_params {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?;
                Calibration::from_json(&text, p)?.params
            }
            None => LabelParams::default(),
        };
        for (i, s) in crate::adapt::adapt(&mut lex, &params, &texts, &cfg)?
            .iter()
            .enumerate()
        {
            rounds.push(format!(
                "adaptation round {}: {} PM and {} PO examples, {} phrases added, {:.1}% of labels moved{}",
                i + 1,
                s.pm_examples,
                s.po_examples,
                s.added,
                100.0 * s.shift,
                if s.undone { " (undone: too many)" } else { "" }
            ));
        }
    }
    let cal = Calibration::new(
        LabelParams::default(),
        vec!["defaults: the guide's thresholds (PM share 2/3 and 1/3), unfitted".into()],
    );
    Ok(Learned {
        model: Model::new(lex, cal)?,
        articles: arts.len(),
        rounds,
    })
}

/// Gold labels and the postings they label.
#[derive(Debug, Clone)]
pub struct GoldSet {
    /// Gold label files (id,label,pm_share,certainty), joined by id.
    pub gold: Vec<PathBuf>,
    /// The postings files (CSV with an id column), read in turn.
    pub postings: Vec<PathBuf>,
    /// Accept gold files of which under half the ids match a posting.
    pub allow_partial: bool,
    /// The column that groups rows for cross-validation (a source, a
    /// company): a group's rows are never split between folds.
    pub group_col: Option<String>,
    /// Cross-validate with one fold per group (with `group_col`).
    pub leave_one_group_out: bool,
    /// How phrase weights are fitted, when they are.
    pub weight_fit: WeightFit,
}

impl GoldSet {
    /// Scores every gold posting with `model`. An error when no gold id
    /// matches a posting, or (unless partial matches are allowed) under half
    /// of them do.
    fn score(&self, model: &Model) -> Result<Vec<Scored>> {
        let mut g: BTreeMap<String, Gold> = BTreeMap::new();
        for path in &self.gold {
            for (id, label) in eval::read_gold(path)? {
                if g.insert(id.clone(), label).is_some() {
                    return Err(Error::config(format!(
                        "{}: id {id} has a gold label in an earlier gold file too",
                        path.display()
                    )));
                }
            }
        }
        let mut rows = Vec::new();
        for p in &self.postings {
            rows.extend(calibrate::score_gold(
                model,
                &g,
                p,
                self.group_col.as_deref(),
            )?);
        }
        let names = |v: &[PathBuf]| {
            v.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (gold, postings) = (names(&self.gold), names(&self.postings));
        if rows.is_empty() {
            return Err(Error::config(format!(
                "none of the {} ids of {gold} is the id of a posting in {postings}: are they the right files?",
                g.len()
            )));
        }
        if 2 * rows.len() < g.len() && !self.allow_partial {
            return Err(Error::config(format!(
                "only {} of the {} ids of {gold} are ids of postings in {postings} (under half); --allow-partial evaluates them anyway",
                rows.len(),
                g.len()
            )));
        }
        Ok(rows)
    }
}

impl GoldSet {
    /// The folds of a k-fold cross-validation of this set.
    pub fn folds(&self, k: usize) -> Folds {
        match (&self.group_col, self.leave_one_group_out) {
            (Some(_), true) => Folds::LeaveOneGroupOut,
            (Some(_), false) => Folds::Groups(k),
            (None, _) => Folds::Rows(k),
        }
    }

    /// How a cross-validation over [`GoldSet::folds`] is described.
    fn folds_text(&self, k: usize) -> String {
        let col = self.group_col.as_deref().unwrap_or("");
        match self.folds(k) {
            Folds::Rows(k) => format!("{k}-fold cross-validated (random folds)"),
            Folds::Groups(k) => format!("{k}-fold cross-validated, folds grouped by {col}"),
            Folds::LeaveOneGroupOut => format!("cross-validated leaving one {col} out at a time"),
        }
    }
}

/// The model calibrated on gold labels, with its cross-validated numbers.
#[derive(Debug)]
pub struct Calibrated {
    /// The model with the fitted label parameters.
    pub model: Model,
    /// The 5-fold cross-validated report, as text.
    pub report: String,
}

/// Fits the label parameters of `model` to gold labels, and with
/// `fit_weights` its phrase weights too, each pulled towards its prior
/// weight (see [`crate::fit`]). The cross-validated numbers (`cv` folds, as
/// `data` groups them) go into its provenance.
pub fn calibrate(
    model: &Model,
    data: &GoldSet,
    cv: usize,
    fit_weights: bool,
) -> Result<Calibrated> {
    let mut rows = data.score(model)?;
    let base = LabelParams {
        sections: model.params().sections,
        ..LabelParams::default()
    };
    let prior = model.lexicon().prior_weights();
    let wf = data.weight_fit;
    let report = eval::report(&calibrate::cross_validate(
        &rows,
        &base,
        data.folds(cv),
        fit_weights.then_some((&wf, prior.as_slice())),
    ));
    let mut lex = model.lexicon().clone();
    let params = if fit_weights {
        let (w, params) = fit::fit_weights_and_params(&mut rows, &prior, &base, &wf);
        lex.set_fitted(&w, &fit::support(&rows, w.len()));
        lex.provenance.push(format!(
            "phrase weights fitted to {} gold rows, each pulled towards its prior weight (lambda {})",
            rows.len(),
            wf.lambda
        ));
        params
    } else {
        let refs: Vec<&Scored> = rows.iter().collect();
        calibrate::fit(&refs, &base)
    };
    let en = report
        .by_lang
        .iter()
        .find(|(l, _)| l == "en")
        .map(|(_, m)| m.macro_f1);
    let files: Vec<String> = data
        .gold
        .iter()
        .map(|g| {
            g.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    let mut prov = vec![format!(
        "fitted by maximum likelihood on {} gold rows ({}); {}: accuracy {:.3}, macro-F1 {:.3} (English {}), ECE {:.3}, Brier {:.3}",
        rows.len(),
        files.join(", "),
        data.folds_text(cv),
        report.overall.accuracy,
        report.overall.macro_f1,
        en.map_or("n/a".to_string(), |x| format!("{x:.3}")),
        report.overall.ece,
        report.overall.brier
    )];
    prov.extend(model.calibration().provenance.iter().cloned());
    Ok(Calibrated {
        model: Model::new(lex, Calibration::new(params, prov))?,
        report: report.to_text(),
    })
}

/// A model's scores on gold labels.
#[derive(Debug, Clone)]
pub struct Evaluation {
    report: eval::Report,
    preds: Vec<eval::Prediction>,
    mismatches: Vec<MismatchScore>,
    mismatch_confidence: f64,
    model_hash: String,
}

/// Labels gold-labelled postings and scores the labels: accuracy,
/// macro-F1, per label, confusion, calibration, overall and per language,
/// and how well title mismatches are found at `mismatch_confidence`.
/// `cv`: refit the label parameters k times, predicting the rows left out.
pub fn evaluate(
    model: &Model,
    data: &GoldSet,
    cv: Option<usize>,
    mismatch_confidence: f64,
) -> Result<Evaluation> {
    let mismatch_confidence = crate::options::confidence(mismatch_confidence)?;
    let rows = data.score(model)?;
    let prior = model.lexicon().prior_weights();
    // A fitted model's cross-validation refits its weights on each fold,
    // from their prior.
    let refit = model
        .lexicon()
        .is_fitted()
        .then_some((&data.weight_fit, prior.as_slice()));
    let preds = match cv {
        Some(k) => calibrate::cross_validate(&rows, model.params(), data.folds(k), refit),
        None => calibrate::predictions(&rows, model.params()),
    };
    Ok(Evaluation {
        report: eval::report(&preds),
        preds: preds.clone(),
        mismatches: calibrate::mismatch_scores(&rows, &preds, mismatch_confidence),
        mismatch_confidence,
        model_hash: model.hash().to_string(),
    })
}

impl Evaluation {
    /// Macro-F1 over all rows.
    pub fn macro_f1(&self) -> f64 {
        self.report.overall.macro_f1
    }

    /// The scores as JSON, with the model's hash and pmpo's version.
    pub fn to_json(&self) -> Result<String> {
        let v = serde_json::json!({
            "pmpo_version": VERSION,
            "model": self.model_hash,
            "labels": self.report,
            "title_mismatches": self.mismatches,
            "mismatch_confidence": self.mismatch_confidence,
        });
        let mut s = serde_json::to_string_pretty(&v)
            .map_err(|e| Error::config(format!("cannot write JSON: {e}")))?;
        s.push('\n');
        Ok(s)
    }

    /// One CSV row per gold posting: id, set, group, language, gold and
    /// predicted label, the title rule's label and the four probabilities
    /// (cross-validated when the evaluation was), for reading the errors.
    pub fn predictions_csv(&self) -> Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let err = |e: csv::Error| Error::config(format!("cannot write predictions: {e}"));
        w.write_record([
            "id",
            "set",
            "group",
            "lang",
            "gold",
            "pred",
            "title_rule",
            "p_pm",
            "p_po",
            "p_hybrid",
            "p_none",
        ])
        .map_err(err)?;
        for p in &self.preds {
            let mut rec = vec![
                p.id.clone(),
                p.set.clone(),
                p.group.clone(),
                p.lang.clone(),
                p.gold.as_str().to_string(),
                p.pred.as_str().to_string(),
                p.baseline.as_str().to_string(),
            ];
            rec.extend(p.probs.iter().map(|x| format!("{x:.4}")));
            w.write_record(&rec).map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::config(format!("cannot write predictions: {e}")))
    }

    /// The scores as tables for people.
    pub fn to_text(&self) -> String {
        let mut text = self.report.to_text();
        text.push_str(&format!(
            "\ntitle mismatches at confidence >= {}:\n",
            self.mismatch_confidence
        ));
        let pct = |x: Option<f64>| x.map_or("n/a".to_string(), |x| format!("{x:.2}"));
        for m in &self.mismatches {
            text.push_str(&format!(
                "{:<12} precision {}  recall {}  ({} right, {} wrong, {} missed)\n",
                m.kind.as_str(),
                pct(m.precision),
                pct(m.recall),
                m.true_positives,
                m.false_positives,
                m.false_negatives
            ));
        }
        text
    }
}

/// One posting explained: as JSON (its output record, keyed and valued as
/// its line of `pmpo label --format jsonl` without `row`), or as text (highlighted with ANSI
/// colours when `color`). Empty text (only blanks) is an error naming
/// `source`.
///
/// ```
/// use std::path::Path;
/// let model = pmpo::Model::embedded()?;
/// let text = "Refine the backlog, write user stories and accept them in sprint reviews.";
/// let json = pmpo::explain(&model, "Product Owner", text, 0.6, true, false, Path::new("posting.txt"))?;
/// assert!(json.contains("\"pmpo_label\": \"po\""));
/// assert!(pmpo::explain(&model, "", " \n", 0.6, false, false, Path::new("empty.txt")).is_err());
/// # Ok::<(), pmpo::Error>(())
/// ```
pub fn explain(
    model: &Model,
    title: &str,
    text: &str,
    mismatch_confidence: f64,
    json: bool,
    color: bool,
    source: &Path,
) -> Result<String> {
    if text.trim().is_empty() {
        return Err(Error::config(format!(
            "{}: no posting text to explain (the input is empty)",
            source.display()
        )));
    }
    let min_confidence = crate::options::confidence(mismatch_confidence)?;
    let mut lab = crate::engine::Labeller::new();
    let l = lab.label(model, title, [text]);
    if json {
        let mut s = crate::io::record::detailed_json(&l, min_confidence, true);
        s.push('\n');
        return Ok(s);
    }
    let mut out = String::new();
    let opts = crate::explain::ExplainOptions {
        color,
        min_confidence,
    };
    crate::explain::render_text(&l, &opts, &mut out);
    Ok(out)
}

/// Checks that the fast tokenizer yields exactly the words of the model's
/// `tokenizer.json` on every title and text of CSV files. Returns how many
/// texts were compared and the first difference; no texts at all is an
/// error.
pub fn check_tokenizer(model: &Model, files: &[PathBuf]) -> Result<(u64, Option<String>)> {
    if files.is_empty() {
        return Err(Error::config("check-tokenizer needs at least one CSV file"));
    }
    let (n, diff) = crate::tokenize::check_files(model, files)?;
    if n == 0 {
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        return Err(Error::config(format!(
            "{}: no texts to check (no rows with a title or text)",
            names.join(", ")
        )));
    }
    Ok((n, diff))
}
