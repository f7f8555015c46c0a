//! Gold-labelled postings to predictions, and the label model's parameters
//! fitted to them.
//!
//! In: a model, a postings CSV with an `id` (or `job_id`) column and a gold
//! file. Out: one [`Prediction`] per gold posting ([`predict`]), and label
//! parameters fitted by maximum likelihood over a grid ([`fit`]) with their
//! cross-validated predictions ([`cross_validate`]): every row is predicted
//! by parameters fitted without it, so the reported numbers are honest.
//! Guarantees: deterministic (folds by row order, grid in fixed order).

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

use crate::engine::{mismatch_kind, Labeller, Mismatch};
use crate::eval::{Gold, Prediction};
use crate::input::{fold_name, Columns};
use crate::model::Model;
use crate::score::{verdict_titled, Label, LabelParams, SectionWeights, TitleHint, Verdict};
use crate::sections::Section;
use crate::title::TitleRole;
use crate::{Error, Result};

/// The evidence of one gold posting, enough to re-label it under any
/// label parameters without re-reading it.
#[derive(Debug, Clone)]
pub struct Scored {
    /// Posting id.
    pub id: String,
    /// Language guess.
    pub lang: String,
    /// Gold label.
    pub gold: Label,
    /// Whether the model covers the posting's language.
    pub lang_covered: bool,
    /// What the posting's title claims.
    pub title_role: TitleRole,
    /// Whether the title names a product role, another role, or nothing.
    pub title_hint: TitleHint,
    /// Evidence per role (PM, PO, other) and section (in
    /// [`Section::ALL`] order), before section weights: the totals under any
    /// section weights follow without re-reading the posting.
    pub by_section: [[f64; 6]; 3],
    /// The group the posting belongs to (its source, by default), so that
    /// cross-validation can keep a group's rows in one fold.
    pub group: String,
    /// The postings file it came from, as given.
    pub set: String,
    /// Every phrase found, before its weight: what phrase weights act on,
    /// so that they can be refitted without re-reading the posting.
    pub hits: Vec<Hit>,
}

/// One phrase found in a gold posting, before the phrase's weight and the
/// section's weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// The phrase's index in the lexicon.
    pub phrase: u32,
    /// Its role (PM 0, PO 1, other 2).
    pub role: u8,
    /// Its section, as a position in [`Section::ALL`].
    pub section: u8,
    /// The repetition damping (1 for a phrase's first use, 1/2 for its
    /// second, ...).
    pub damp: f32,
}

impl Scored {
    /// Recomputes the evidence per role and section under new phrase
    /// weights (indexed by phrase).
    pub fn reweigh(&mut self, weights: &[f32]) {
        let mut by_section = [[0.0f64; 6]; 3];
        for h in &self.hits {
            let w = weights.get(h.phrase as usize).copied().unwrap_or(0.0);
            by_section[usize::from(h.role).min(2)][usize::from(h.section).min(5)] +=
                f64::from(w) * f64::from(h.damp);
        }
        self.by_section = by_section;
    }

    /// Evidence totals (PM, PO, other) under the section weights of `p`.
    pub fn totals(&self, p: &LabelParams) -> [f64; 3] {
        self.by_section.map(|row| {
            Section::ALL
                .iter()
                .zip(row)
                .map(|(s, e)| f64::from(p.sections.get(*s)) * e)
                .sum()
        })
    }

    /// The verdict under `p`, as the engine gives it.
    pub fn verdict(&self, p: &LabelParams) -> Verdict {
        let mut v = verdict_titled(p, self.totals(p), self.title_hint);
        if !self.lang_covered {
            v.uncertain();
        }
        v
    }
}

/// Labels the postings of `postings` that have a gold label.
///
/// `group_col` names the column whose value groups rows for
/// cross-validation (a source, a company); without it the group is empty.
/// A missing column is an error naming the columns there are.
pub fn score_gold(
    model: &Model,
    gold: &BTreeMap<String, Gold>,
    postings: &Path,
    group_col: Option<&str>,
) -> Result<Vec<Scored>> {
    let (header, mut rdr) = crate::input::open_csv(postings)?;
    let id_col = header
        .iter()
        .position(|h| matches!(fold_name(h).as_str(), "id" | "jobid"))
        .ok_or_else(|| {
            Error::config(format!(
                "{}: no id column (id or job_id)",
                postings.display()
            ))
        })?;
    let cols = Columns::pick(&header, None, &[], postings)?;
    let group_at = match group_col {
        Some(g) => Some(
            header
                .iter()
                .position(|h| fold_name(h) == fold_name(g))
                .ok_or_else(|| {
                    Error::config(format!(
                        "{}: no column `{g}` to group by (the columns are: {})",
                        postings.display(),
                        header.join(", ")
                    ))
                })?,
        ),
        None => None,
    };
    // Every section weighs 1 here, so that each piece of evidence is the
    // phrase's weight after repetition damping, to be weighed later.
    let flat = model.with_calibration(crate::model::Calibration::new(
        LabelParams {
            sections: SectionWeights {
                intro: 1.0,
                duties: 1.0,
                requirements: 1.0,
                company: 1.0,
                benefits: 1.0,
                other: 1.0,
            },
            ..*model.params()
        },
        Vec::new(),
    ))?;
    let model = &flat;
    let mut lab = Labeller::new();
    let mut out = Vec::new();
    for rec in rdr.byte_records() {
        let rec = rec.map_err(|e| Error::config(format!("{}: {e}", postings.display())))?;
        let field = |i: usize| String::from_utf8_lossy(rec.get(i).unwrap_or(b"")).into_owned();
        let id = field(id_col);
        let Some(g) = gold.get(&id) else { continue };
        let title = cols.title.map(&field).unwrap_or_default();
        let parts: Vec<String> = cols.text.iter().map(|&i| field(i)).collect();
        let l = lab.label(model, &title, &parts);
        let mut by_section = [[0.0; 6]; 3];
        let mut hits = Vec::with_capacity(l.evidence.len());
        for e in l.evidence {
            let s = Section::ALL
                .iter()
                .position(|s| *s == e.section)
                .unwrap_or(0);
            by_section[e.role as usize][s] += f64::from(e.weight);
            let w = model
                .lexicon()
                .phrases
                .get(e.phrase as usize)
                .map_or(0.0, |p| p.weight);
            if w > 0.0 {
                hits.push(Hit {
                    phrase: e.phrase,
                    role: e.role as u8,
                    section: s as u8,
                    damp: e.weight / w,
                });
            }
        }
        let group = match group_at {
            Some(i) => field(i),
            None => String::new(),
        };
        out.push(Scored {
            group,
            set: postings.display().to_string(),
            hits,
            id,
            lang: l.lang.to_string(),
            lang_covered: l.lang_covered,
            title_role: l.title_role,
            title_hint: TitleHint::of(&title, l.title_role),
            gold: g.label,
            by_section,
        });
    }
    Ok(out)
}

/// Predictions for scored rows under `params`.
pub fn predictions(rows: &[Scored], params: &LabelParams) -> Vec<Prediction> {
    rows.iter()
        .map(|r| {
            let v = r.verdict(params);
            Prediction {
                id: r.id.clone(),
                lang: r.lang.clone(),
                gold: r.gold,
                pred: v.label,
                probs: v.probs,
                group: r.group.clone(),
                set: r.set.clone(),
                baseline: match r.title_role {
                    TitleRole::Pm => Label::Pm,
                    TitleRole::Po => Label::Po,
                    TitleRole::Both => Label::Hybrid,
                    TitleRole::Other => Label::None,
                },
            }
        })
        .collect()
}

/// Negative log-likelihood of the gold labels, each label's rows weighted
/// by 1 / count^`balance`: 0 is the plain likelihood, which the majority
/// label dominates; 0.5 lies between it and full balancing, which would
/// skew the probabilities.
fn nll_balanced(rows: &[&Scored], params: &LabelParams, balance: f64) -> f64 {
    let w = label_weights(rows.iter().map(|r| r.gold), balance);
    let (mut s, mut total) = (0.0, 0.0);
    for r in rows {
        let v = r.verdict(params);
        let wi = w[r.gold.index()];
        s -= wi * v.probs[r.gold.index()].max(1e-6).ln();
        total += wi;
    }
    s / total.max(1e-12)
}

/// Each label's weight in a fit: 1 / count^`balance`, the count being how
/// many of `golds` have the label.
pub(crate) fn label_weights(golds: impl Iterator<Item = Label>, balance: f64) -> [f64; 4] {
    let mut n = [0usize; 4];
    for g in golds {
        n[g.index()] += 1;
    }
    n.map(|c| 1.0 / (c.max(1) as f64).powf(balance))
}

/// The balanced likelihood the decision parameters are fitted to.
fn nll(rows: &[&Scored], params: &LabelParams) -> f64 {
    nll_balanced(rows, params, BALANCE)
}

/// How far the fit of the decision balances the labels: 0 plain
/// likelihood, 1 full.
pub(crate) const BALANCE: f64 = 0.5;

/// The temperatures tried for the confidence: steps of 0.05 from 0.3 to
/// 1.5, then coarser to 4.
pub(crate) const TEMPERATURES: [f64; 30] = [
    0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1,
    1.15, 1.2, 1.25, 1.3, 1.35, 1.4, 1.45, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0,
];

/// Fits the label parameters to rows by maximum likelihood over a grid.
/// The thresholds start at the guide's one third and two thirds and may only
/// shift together, by at most 0.2: the evidence share estimates the duty
/// share, and may lean one way, but the gap between the labels stays.
/// Section weights stay as given: fitting them too was tried and did worse
/// under cross-validation (more parameters than 178 rows support).
///
/// Then the title's pull on the product-role odds joins the other decision
/// parameters in a few rounds of coordinate descent (each parameter over its
/// own grid, the others held), and last the temperature is fitted to the
/// plain likelihood: the decision is fitted to the balanced likelihood,
/// which favours the small labels, and the temperature makes the confidence
/// of that decision honest again without changing it. (When phrase
/// weights are fitted too, [`crate::fit::fit_weights_and_params`] fits the
/// temperature again, out of sample.)
pub fn fit(rows: &[&Scored], base: &LabelParams) -> LabelParams {
    // Only the section weights are taken from `base`; everything else starts
    // from the guide's defaults, so that a fit never depends on the
    // parameters of the model it started from (`eval --cv` and `calibrate`
    // measure the same thing).
    let base = LabelParams {
        sections: base.sections,
        ..LabelParams::default()
    };
    let grid = fit_grid(rows, &base);
    let decided = descend(rows, grid);
    fit_temperature(rows, decided)
}

/// The temperature that maximises the plain likelihood of `rows`.
fn fit_temperature(rows: &[&Scored], decided: LabelParams) -> LabelParams {
    let mut best = decided;
    let mut best_nll = nll_balanced(rows, &best, 0.0);
    for &temperature in &TEMPERATURES {
        let p = LabelParams {
            temperature,
            ..decided
        };
        let l = nll_balanced(rows, &p, 0.0);
        if l < best_nll - 1e-12 {
            best_nll = l;
            best = p;
        }
    }
    best
}

/// Coordinate descent on the decision parameters from `start`.
///
/// The pull of a title naming another role is bounded at -2 log-odds: the
/// development set has only 15 such titles, nearly all `none`, and an
/// unbounded fit lets the title outweigh any amount of duty evidence (a
/// posting full of roadmap, pricing and go-to-market duties under a title
/// the title parser does not know is still a PM's).
fn descend(rows: &[&Scored], start: LabelParams) -> LabelParams {
    type Set = fn(&mut LabelParams, f64);
    let axes: [(&[f64], Set); 8] = [
        (&[-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0], |p, x| {
            p.product_title = x
        }),
        (&[-2.0, -1.5, -1.0, -0.5, 0.0], |p, x| p.other_title = x),
        (&[0.25, 0.5, 1.0, 2.0, 4.0], |p, x| p.prior = x),
        (&[0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0], |p, x| p.scale = x),
        (
            &[-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 6.0],
            |p, x| p.none_center = x,
        ),
        (&[0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0], |p, x| {
            p.none_slope = x
        }),
        (&[0.5, 1.0, 1.5, 2.0, 3.0], |p, x| p.other_weight = x),
        (&[-0.1, -0.05, 0.0, 0.05, 0.1], |p, x| {
            p.t_lo = 1.0 / 3.0 + x;
            p.t_hi = 2.0 / 3.0 + x;
        }),
    ];
    let mut best = start;
    let mut best_nll = nll(rows, &best);
    for _round in 0..4 {
        let before = best_nll;
        for (values, set) in &axes {
            let here = best;
            for &x in values.iter() {
                let mut p = here;
                set(&mut p, x);
                let l = nll(rows, &p);
                if l < best_nll - 1e-12 {
                    best_nll = l;
                    best = p;
                }
            }
        }
        if best_nll >= before - 1e-9 {
            break;
        }
    }
    best
}

/// The decision parameters over the full grid, the title's pull held.
fn fit_grid(rows: &[&Scored], base: &LabelParams) -> LabelParams {
    let guide = LabelParams::default();
    let mut best = *base;
    let mut best_nll = nll(rows, base);
    for &prior in &[0.5, 1.0, 2.0, 4.0] {
        for &scale in &[0.25, 0.5, 1.0, 2.0, 4.0] {
            for &center in &[-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0] {
                for &slope in &[0.1, 0.25, 0.5, 1.0, 2.0, 4.0] {
                    for &bias in &[-0.1, -0.05, 0.0, 0.05, 0.1] {
                        for &other_weight in &[0.5, 1.0, 2.0] {
                            let p = LabelParams {
                                other_weight,
                                prior,
                                scale,
                                none_center: center,
                                none_slope: slope,
                                t_lo: guide.t_lo + bias,
                                t_hi: guide.t_hi + bias,
                                ..*base
                            };
                            let l = nll(rows, &p);
                            if l < best_nll - 1e-12 {
                                best_nll = l;
                                best = p;
                            }
                        }
                    }
                }
            }
        }
    }
    best
}

/// How well one kind of title mismatch is found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MismatchScore {
    /// The kind: opposite, hybrid or not_product.
    pub kind: Mismatch,
    /// Called and true.
    pub true_positives: usize,
    /// Called and not true.
    pub false_positives: usize,
    /// True and not called.
    pub false_negatives: usize,
    /// Share of the calls that are true (None when there are no calls).
    pub precision: Option<f64>,
    /// Share of the true ones called (None when there are none).
    pub recall: Option<f64>,
}

/// Precision and recall of each kind of title mismatch at a confidence
/// threshold: a mismatch is true when the title's role and the gold label
/// disagree in that way, and called when the title's role and the predicted
/// label do, at a confidence of at least `min_confidence`.
pub fn mismatch_scores(
    rows: &[Scored],
    preds: &[Prediction],
    min_confidence: f64,
) -> Vec<MismatchScore> {
    [Mismatch::Opposite, Mismatch::Hybrid, Mismatch::NotProduct]
        .into_iter()
        .map(|kind| {
            let (mut tp, mut fp, mut fn_) = (0, 0, 0);
            for (r, p) in rows.iter().zip(preds) {
                let truth = mismatch_kind(r.title_role, r.gold) == Some(kind);
                let called = p.probs[p.pred.index()] >= min_confidence
                    && mismatch_kind(r.title_role, p.pred) == Some(kind);
                match (called, truth) {
                    (true, true) => tp += 1,
                    (true, false) => fp += 1,
                    (false, true) => fn_ += 1,
                    _ => {}
                }
            }
            let ratio = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
            MismatchScore {
                kind,
                true_positives: tp,
                false_positives: fp,
                false_negatives: fn_,
                precision: ratio(tp, tp + fp),
                recall: ratio(tp, tp + fn_),
            }
        })
        .collect()
}

/// How rows are split into folds for cross-validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folds {
    /// k folds of rows: row i is in fold i mod k. Rows of one source land
    /// in every fold, so shared boilerplate flatters the estimate.
    Rows(usize),
    /// k folds of groups: every row of a group is in the same fold; groups
    /// are dealt largest first to the fold with the fewest rows so far.
    Groups(usize),
    /// One fold per group.
    LeaveOneGroupOut,
}

/// The rows of `rows` outside fold `fold`, `fold_of` giving each row's
/// fold: a fold's training rows.
pub(crate) fn outside_fold<'a>(
    rows: &'a [Scored],
    fold_of: &'a [usize],
    fold: usize,
) -> impl Iterator<Item = &'a Scored> + 'a {
    rows.iter()
        .zip(fold_of)
        .filter(move |(_, f)| **f != fold)
        .map(|(r, _)| r)
}

impl Folds {
    /// The fold of each row.
    pub fn assign(self, rows: &[Scored]) -> Vec<usize> {
        match self {
            Folds::Rows(k) => (0..rows.len()).map(|i| i % k.max(2)).collect(),
            Folds::Groups(_) | Folds::LeaveOneGroupOut => {
                let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
                for r in rows {
                    *sizes.entry(r.group.as_str()).or_insert(0) += 1;
                }
                let mut groups: Vec<(&str, usize)> = sizes.into_iter().collect();
                groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
                let k = match self {
                    Folds::Groups(k) => k.max(2).min(groups.len().max(1)),
                    _ => groups.len().max(1),
                };
                let mut load = vec![0usize; k];
                let mut fold_of: BTreeMap<&str, usize> = BTreeMap::new();
                for (g, n) in groups {
                    let f = (0..k).min_by_key(|&f| (load[f], f)).unwrap_or(0);
                    load[f] += n;
                    fold_of.insert(g, f);
                }
                rows.iter()
                    .map(|r| fold_of.get(r.group.as_str()).copied().unwrap_or(0))
                    .collect()
            }
        }
    }
}

/// Cross-validated predictions: every row is predicted by parameters fitted
/// on the other folds only. With `weights`, the phrase weights are refitted
/// on each fold's training rows too (see [`crate::fit`]), from
/// `prior` (the lexicon's weights, indexed by phrase).
pub fn cross_validate(
    rows: &[Scored],
    base: &LabelParams,
    folds: Folds,
    weights: Option<(&crate::fit::WeightFit, &[f32])>,
) -> Vec<Prediction> {
    let fold_of = folds.assign(rows);
    let k = fold_of.iter().max().map_or(1, |m| m + 1);
    let mut out: Vec<Option<Prediction>> = vec![None; rows.len()];
    // Each fold is fitted on its own (in parallel: every fit is
    // deterministic, and the results are used in fold order).
    let fits: Vec<(LabelParams, Option<Vec<f32>>)> = (0..k)
        .into_par_iter()
        .map(|fold| match weights {
            Some((cfg, prior)) => {
                let mut train: Vec<Scored> = outside_fold(rows, &fold_of, fold).cloned().collect();
                let (w, p) = crate::fit::fit_weights_and_params(&mut train, prior, base, cfg);
                (p, Some(w))
            }
            None => {
                let train: Vec<&Scored> = outside_fold(rows, &fold_of, fold).collect();
                (fit(&train, base), None)
            }
        })
        .collect();
    for (fold, (params, fitted)) in fits.into_iter().enumerate() {
        for (i, r) in rows.iter().enumerate().filter(|(i, _)| fold_of[*i] == fold) {
            let pred = match &fitted {
                Some(w) => {
                    let mut r = r.clone();
                    r.reweigh(w);
                    predictions(std::slice::from_ref(&r), &params).pop()
                }
                None => predictions(std::slice::from_ref(r), &params).pop(),
            };
            out[i] = pred;
        }
    }
    out.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Scored> {
        let mut v = Vec::new();
        for i in 0..40 {
            let (gold, pm, po) = match i % 4 {
                0 => (Label::Pm, 6.0 + (i % 3) as f64, 0.5),
                1 => (Label::Po, 0.5, 5.0 + (i % 3) as f64),
                2 => (Label::Hybrid, 4.0, 4.0),
                _ => (Label::None, 0.2 * (i % 3) as f64, 0.0),
            };
            let mut by_section = [[0.0; 6]; 3];
            by_section[0][1] = pm;
            by_section[1][1] = po;
            v.push(Scored {
                id: i.to_string(),
                lang: "en".into(),
                lang_covered: true,
                title_role: TitleRole::Pm,
                title_hint: TitleHint::Product,
                gold,
                by_section,
                group: format!("g{}", i % 8),
                set: String::new(),
                hits: Vec::new(),
            });
        }
        v
    }

    #[test]
    fn mismatch_scores_count_calls_against_the_gold() {
        let mut r = rows();
        r.truncate(4);
        for (x, t) in r
            .iter_mut()
            .zip([TitleRole::Po, TitleRole::Pm, TitleRole::Pm, TitleRole::Pm])
        {
            x.title_role = t;
        }
        // Gold: pm, po, hybrid, none under titles po, pm, pm, pm: every row
        // is a true mismatch of some kind. Predict pm for all at 0.9.
        let preds: Vec<Prediction> = r
            .iter()
            .map(|x| Prediction {
                id: x.id.clone(),
                lang: "en".into(),
                gold: x.gold,
                pred: Label::Pm,
                probs: [0.9, 0.05, 0.03, 0.02],
                group: String::new(),
                set: String::new(),
                baseline: Label::None,
            })
            .collect();
        let s = mismatch_scores(&r, &preds, 0.6);
        assert_eq!(
            (
                s[0].true_positives,
                s[0].false_positives,
                s[0].false_negatives
            ),
            (1, 0, 1)
        );
        assert_eq!((s[1].true_positives, s[1].false_negatives), (0, 1));
        assert_eq!(s[0].precision, Some(1.0));
        assert_eq!(s[0].recall, Some(0.5));
        assert_eq!(mismatch_scores(&r, &preds, 0.95)[0].precision, None);
    }

    #[test]
    fn fitting_never_does_worse_than_the_start() {
        let r = rows();
        let refs: Vec<&Scored> = r.iter().collect();
        let base = LabelParams::default();
        let decided = descend(&refs, fit_grid(&refs, &base));
        assert!(nll(&refs, &decided) <= nll(&refs, &base));
        let fitted = fit(&refs, &base);
        assert!(nll_balanced(&refs, &fitted, 0.0) <= nll_balanced(&refs, &decided, 0.0));
    }

    #[test]
    fn the_temperature_never_changes_a_fitted_label() {
        let r = rows();
        let refs: Vec<&Scored> = r.iter().collect();
        let fitted = fit(&refs, &LabelParams::default());
        let plain = LabelParams {
            temperature: 1.0,
            ..fitted
        };
        let a = predictions(&r, &fitted);
        let b = predictions(&r, &plain);
        assert!(a.iter().zip(&b).all(|(x, y)| x.pred == y.pred));
    }

    #[test]
    fn grouped_folds_never_split_a_group() {
        let r = rows();
        for folds in [Folds::Groups(3), Folds::LeaveOneGroupOut] {
            let f = folds.assign(&r);
            for (a, fa) in r.iter().zip(&f) {
                for (b, fb) in r.iter().zip(&f) {
                    if a.group == b.group {
                        assert_eq!(fa, fb, "{folds:?}: group {} split", a.group);
                    }
                }
            }
            let n_folds = f.iter().max().map_or(0, |m| m + 1);
            let want = if folds == Folds::Groups(3) { 3 } else { 8 };
            assert_eq!(n_folds, want, "{folds:?}");
        }
        // Row folds do split groups: rows of group g0 are 0, 8, 16, ...
        let f = Folds::Rows(5).assign(&r);
        assert_ne!(f[0], f[8]);
        let cv = cross_validate(&r, &LabelParams::default(), Folds::Groups(4), None);
        assert_eq!(cv.len(), r.len());
    }

    #[test]
    fn cross_validation_predicts_every_row_once() {
        let r = rows();
        let cv = cross_validate(&r, &LabelParams::default(), Folds::Rows(5), None);
        assert_eq!(cv.len(), r.len());
        let ids: Vec<&str> = cv.iter().map(|p| p.id.as_str()).collect();
        let want: Vec<String> = (0..40).map(|i| i.to_string()).collect();
        assert_eq!(ids, want.iter().map(String::as_str).collect::<Vec<_>>());
        let right = cv.iter().filter(|p| p.pred == p.gold).count();
        assert!(right >= 36, "{right} of 40 on separable data");
    }
}
