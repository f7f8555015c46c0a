//! Phrase weights fitted to gold-labelled postings.
//!
//! In: scored gold postings ([`Scored`], each with its phrase hits), the
//! lexicon's weights as the prior (what the articles and a person's
//! overrides say), and the label parameters. Out: phrase weights that
//! maximise the likelihood of the gold labels under the label model, each
//! label's rows weighted as in [`crate::calibrate::fit`], less an L2 penalty
//! that pulls every weight towards its prior. A phrase the gold postings
//! never show keeps its prior weight; one they show often moves as far as
//! their labels carry it, and no further.
//!
//! The label model is a function of three evidence totals (PM, PO, other),
//! and each total is linear in the phrase weights, so the gradient of a
//! row's loss is its derivative by the three totals (taken numerically, by
//! central differences) times the phrase's damped, section-weighted count.
//! Weights and label parameters are fitted in turn, a few rounds; then
//! the temperature is fitted out of sample, on folds of the rows' groups.
//!
//! Guarantees: deterministic (fixed order, no randomness); every weight
//! stays within `[MIN_WEIGHT, MAX_WEIGHT]`; a phrase keeps its role.

use rayon::prelude::*;

use crate::calibrate::{fit, label_weights, outside_fold, Folds, Scored, BALANCE, TEMPERATURES};
use crate::score::{verdict_titled, LabelParams};
use crate::sections::Section;

/// The largest weight a fit may give a phrase (the articles' cap is 3).
pub const MAX_WEIGHT: f64 = 5.0;

/// The smallest: a phrase the gold labels speak against is kept, nearly
/// silent, so that its provenance stays and a later fit can revive it.
pub const MIN_WEIGHT: f64 = 0.01;

/// How phrase weights are fitted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightFit {
    /// Strength of the pull towards the prior weights, per squared unit of
    /// weight, against the mean loss of a row.
    pub lambda: f64,
    /// Gradient steps per round.
    pub steps: usize,
    /// Rounds of (weights, then label parameters).
    pub rounds: usize,
    /// Step size of the (Adam) gradient steps.
    pub rate: f64,
    /// Folds of groups over which the temperature is fitted out of sample
    /// (see [`fit_weights_and_params`]); below 2, or with fewer groups
    /// than that, it is fitted to the rows the weights were fitted to.
    pub temperature_folds: usize,
}

impl Default for WeightFit {
    fn default() -> Self {
        WeightFit {
            lambda: 0.03,
            steps: 150,
            rounds: 2,
            rate: 0.05,
            temperature_folds: 5,
        }
    }
}

/// The loss of one row (negative log-probability of its gold label) at
/// evidence totals `t`.
fn row_loss(r: &Scored, params: &LabelParams, t: [f64; 3]) -> f64 {
    let mut v = verdict_titled(params, t, r.title_hint);
    if !r.lang_covered {
        v.uncertain();
    }
    -v.probs[r.gold.index()].max(1e-6).ln()
}

/// Per-row loss weights: each label's rows weighted by 1 / count^BALANCE,
/// normalised to sum to 1.
fn row_weights(rows: &[Scored]) -> Vec<f64> {
    let w = label_weights(rows.iter().map(|r| r.gold), BALANCE);
    let total: f64 = rows.iter().map(|r| w[r.gold.index()]).sum();
    rows.iter()
        .map(|r| w[r.gold.index()] / total.max(1e-12))
        .collect()
}

/// The section weights of `params`, in [`Section::ALL`] order.
fn section_weights(params: &LabelParams) -> [f64; 6] {
    Section::ALL.map(|s| f64::from(params.sections.get(s)))
}

/// Evidence totals of a row under weights `w`.
fn totals(r: &Scored, w: &[f64], sw: &[f64; 6]) -> [f64; 3] {
    let mut t = [0.0; 3];
    for h in &r.hits {
        let x = w.get(h.phrase as usize).copied().unwrap_or(0.0);
        t[usize::from(h.role).min(2)] += x * sw[usize::from(h.section).min(5)] * f64::from(h.damp);
    }
    t
}

/// The penalised objective: weighted mean loss plus the pull to the prior.
#[cfg(test)]
fn objective(rows: &[Scored], prior: &[f32], w: &[f32], params: &LabelParams, lambda: f64) -> f64 {
    let sw = section_weights(params);
    let wf: Vec<f64> = w.iter().map(|&x| f64::from(x)).collect();
    let cw = row_weights(rows);
    let loss: f64 = rows
        .iter()
        .zip(&cw)
        .map(|(r, c)| c * row_loss(r, params, totals(r, &wf, &sw)))
        .sum();
    loss + penalty(prior, &wf, lambda)
}

/// lambda times the squared distance of `w` from `prior`.
#[cfg(test)]
fn penalty(prior: &[f32], w: &[f64], lambda: f64) -> f64 {
    lambda
        * prior
            .iter()
            .zip(w)
            .map(|(p, x)| (x - f64::from(*p)).powi(2))
            .sum::<f64>()
}

/// Fits phrase weights to `rows` under fixed label parameters, starting at
/// `start` and pulled towards `prior` (both indexed by phrase).
pub fn fit_weights(
    rows: &[Scored],
    prior: &[f32],
    start: &[f32],
    params: &LabelParams,
    cfg: &WeightFit,
) -> Vec<f32> {
    let n = prior.len();
    let sw = section_weights(params);
    let cw = row_weights(rows);
    let mut w: Vec<f64> = (0..n)
        .map(|j| f64::from(start.get(j).copied().unwrap_or(prior[j])))
        .collect();
    let (b1, b2, eps) = (0.9f64, 0.999f64, 1e-8);
    let mut m = vec![0.0f64; n];
    let mut v = vec![0.0f64; n];
    let h = 1e-4;
    for step in 1..=cfg.steps {
        let mut grad = vec![0.0f64; n];
        for (r, c) in rows.iter().zip(&cw) {
            if r.hits.is_empty() {
                continue;
            }
            let t = totals(r, &w, &sw);
            let mut d = [0.0f64; 3];
            for (k, dk) in d.iter_mut().enumerate() {
                let (mut up, mut down) = (t, t);
                up[k] += h;
                down[k] = (down[k] - h).max(0.0);
                let span = up[k] - down[k];
                *dk = (row_loss(r, params, up) - row_loss(r, params, down)) / span;
            }
            for hit in &r.hits {
                let x = sw[usize::from(hit.section).min(5)] * f64::from(hit.damp);
                if let Some(g) = grad.get_mut(hit.phrase as usize) {
                    *g += c * d[usize::from(hit.role).min(2)] * x;
                }
            }
        }
        for j in 0..n {
            let g = grad[j] + 2.0 * cfg.lambda * (w[j] - f64::from(prior[j]));
            m[j] = b1 * m[j] + (1.0 - b1) * g;
            v[j] = b2 * v[j] + (1.0 - b2) * g * g;
            let mh = m[j] / (1.0 - b1.powi(step as i32));
            let vh = v[j] / (1.0 - b2.powi(step as i32));
            w[j] = (w[j] - cfg.rate * mh / (vh.sqrt() + eps)).clamp(MIN_WEIGHT, MAX_WEIGHT);
        }
    }
    w.into_iter().map(|x| x as f32).collect()
}

/// Fits phrase weights and label parameters in turn. `rows` are left
/// reweighed by the fitted weights; returns the weights and the parameters.
///
/// The temperature, which sets how sure the model says it is, is then
/// fitted out of sample: the rows' groups are dealt into
/// `cfg.temperature_folds` folds, weights and parameters are fitted again
/// without each fold, and the temperature is the one under which those
/// fits' probabilities of the rows left out are most likely. Fitted to the
/// rows the weights were fitted to, it would learn how sure the model is of
/// postings it has seen.
pub fn fit_weights_and_params(
    rows: &mut [Scored],
    prior: &[f32],
    base: &LabelParams,
    cfg: &WeightFit,
) -> (Vec<f32>, LabelParams) {
    let mut w = prior.to_vec();
    rows.iter_mut().for_each(|r| r.reweigh(&w));
    let mut params = fit(&rows.iter().collect::<Vec<_>>(), base);
    for _ in 0..cfg.rounds {
        let decision = LabelParams {
            temperature: 1.0,
            ..params
        };
        w = fit_weights(rows, prior, &w, &decision, cfg);
        rows.iter_mut().for_each(|r| r.reweigh(&w));
        params = fit(&rows.iter().collect::<Vec<_>>(), base);
    }
    if let Some(t) = out_of_sample_temperature(rows, prior, base, cfg) {
        params.temperature = t;
    }
    (w, params)
}

/// The temperature under which fits made without each fold of groups
/// predict the rows left out best (plain likelihood); `None` when the rows
/// have fewer than `cfg.temperature_folds` (at least 2) groups.
fn out_of_sample_temperature(
    rows: &[Scored],
    prior: &[f32],
    base: &LabelParams,
    cfg: &WeightFit,
) -> Option<f64> {
    let k = cfg.temperature_folds;
    if k < 2 {
        return None;
    }
    // With fewer groups than folds, `assign` makes one fold per group.
    let fold_of = Folds::Groups(k).assign(rows);
    if fold_of.iter().max().map_or(0, |m| m + 1) < k {
        return None;
    }
    let inner = WeightFit {
        temperature_folds: 0,
        ..*cfg
    };
    // Each row left out, reweighed by the fit made without it, with that
    // fit's decision parameters. The folds are fitted in parallel; each is
    // deterministic and they are gathered in fold order, so the result
    // does not depend on threads.
    let held: Vec<(Scored, LabelParams)> = (0..k)
        .into_par_iter()
        .map(|fold| {
            let mut train: Vec<Scored> = outside_fold(rows, &fold_of, fold).cloned().collect();
            let (w, p) = fit_weights_and_params(&mut train, prior, base, &inner);
            rows.iter()
                .zip(&fold_of)
                .filter(|(_, f)| **f == fold)
                .map(|(r, _)| {
                    let mut r = r.clone();
                    r.reweigh(&w);
                    (r, p)
                })
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect();
    let loss = |t: f64| -> f64 {
        held.iter()
            .map(|(r, p)| {
                let p = LabelParams {
                    temperature: t,
                    ..*p
                };
                -r.verdict(&p).probs[r.gold.index()].max(1e-6).ln()
            })
            .sum()
    };
    let mut best = (1.0, loss(1.0));
    for &t in &TEMPERATURES {
        let l = loss(t);
        if l < best.1 - 1e-12 {
            best = (t, l);
        }
    }
    Some(best.0)
}

/// How many of `rows` each phrase is found in.
pub fn support(rows: &[Scored], n_phrases: usize) -> Vec<u32> {
    let mut s = vec![0u32; n_phrases];
    for r in rows {
        let mut seen: Vec<u32> = r.hits.iter().map(|h| h.phrase).collect();
        seen.sort_unstable();
        seen.dedup();
        for p in seen {
            if let Some(x) = s.get_mut(p as usize) {
                *x += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibrate::Hit;
    use crate::score::{Label, TitleHint};
    use crate::title::TitleRole;

    /// Rows where phrase 0 (PM) marks PM postings and phrase 1 (PO) is
    /// found in PM and PO postings alike, while phrase 2 (PO) marks PO
    /// postings.
    fn rows() -> Vec<Scored> {
        let mut v = Vec::new();
        for i in 0..60 {
            let (gold, phrases): (Label, &[(u32, u8)]) = match i % 3 {
                0 => (Label::Pm, &[(0, 0), (1, 1), (3, 0)]),
                1 => (Label::Po, &[(2, 1), (1, 1), (3, 0)]),
                _ => (Label::None, &[]),
            };
            let hits = phrases
                .iter()
                .map(|&(phrase, role)| Hit {
                    phrase,
                    role,
                    section: 1,
                    damp: 1.0,
                })
                .collect();
            v.push(Scored {
                id: i.to_string(),
                lang: "en".into(),
                gold,
                lang_covered: true,
                title_role: TitleRole::Other,
                title_hint: TitleHint::Unknown,
                by_section: [[0.0; 6]; 3],
                group: format!("g{}", i % 6),
                set: String::new(),
                hits,
            });
        }
        v
    }

    #[test]
    fn fitting_lowers_the_objective_and_keeps_weights_in_range() {
        let r = rows();
        let prior = [1.0f32, 2.0, 1.0, 1.0];
        let params = LabelParams::default();
        let cfg = WeightFit {
            lambda: 0.001,
            ..WeightFit::default()
        };
        let w = fit_weights(&r, &prior, &prior, &params, &cfg);
        assert!(
            objective(&r, &prior, &w, &params, cfg.lambda)
                < objective(&r, &prior, &prior, &params, cfg.lambda)
        );
        assert!(w
            .iter()
            .all(|x| (MIN_WEIGHT as f32..=MAX_WEIGHT as f32).contains(x)));
        // The PO phrase found in PM postings as often as in PO ones loses
        // weight; the one that marks PO postings gains.
        assert!(w[1] < prior[1], "{w:?}");
        assert!(w[2] > prior[2], "{w:?}");
    }

    #[test]
    fn the_temperature_is_fitted_on_rows_left_out() {
        let r = rows();
        let prior = [1.0f32, 2.0, 1.0, 1.0];
        let base = LabelParams::default();
        let cfg = WeightFit {
            steps: 20,
            ..WeightFit::default()
        };
        // Six groups: five folds can be made, seven cannot.
        let t = out_of_sample_temperature(&r, &prior, &base, &cfg).expect("five folds");
        assert!(t == 1.0 || TEMPERATURES.contains(&t), "{t}");
        assert_eq!(out_of_sample_temperature(&r, &prior, &base, &cfg), Some(t));
        for k in [0, 1, 7] {
            let c = WeightFit {
                temperature_folds: k,
                ..cfg
            };
            assert_eq!(
                out_of_sample_temperature(&r, &prior, &base, &c),
                None,
                "{k}"
            );
        }
        // The fit hands it on; without folds, the temperature fitted in
        // sample stays.
        let (_, p) = fit_weights_and_params(&mut r.clone(), &prior, &base, &cfg);
        assert_eq!(p.temperature, t);
        let in_sample = WeightFit {
            temperature_folds: 0,
            ..cfg
        };
        let (_, q) = fit_weights_and_params(&mut r.clone(), &prior, &base, &in_sample);
        let mut refit = r.clone();
        let (w, _) = fit_weights_and_params(&mut refit, &prior, &base, &in_sample);
        refit.iter_mut().for_each(|x| x.reweigh(&w));
        assert_eq!(q, fit(&refit.iter().collect::<Vec<_>>(), &base));
    }

    #[test]
    fn a_strong_pull_keeps_the_prior() {
        let r = rows();
        let prior = [1.0f32, 2.0, 1.0, 1.0];
        let cfg = WeightFit {
            lambda: 1e4,
            ..WeightFit::default()
        };
        let w = fit_weights(&r, &prior, &prior, &LabelParams::default(), &cfg);
        for (a, b) in w.iter().zip(prior) {
            assert!((a - b).abs() < 0.05, "{w:?}");
        }
    }

    #[test]
    fn an_unseen_phrase_keeps_its_prior_and_fitting_is_deterministic() {
        let r = rows();
        let prior = [1.0f32, 2.0, 1.0, 1.0, 0.7];
        let cfg = WeightFit::default();
        let a = fit_weights(&r, &prior, &prior, &LabelParams::default(), &cfg);
        let b = fit_weights(&r, &prior, &prior, &LabelParams::default(), &cfg);
        assert_eq!(a, b);
        assert!((a[4] - 0.7).abs() < 1e-6, "{a:?}");
        assert_eq!(support(&r, 5), vec![20, 40, 20, 40, 0]);
    }
}
