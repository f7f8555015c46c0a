//! Learning more phrases from unlabelled postings: cautious self-training.
//!
//! In: a lexicon, label parameters, and the texts of unlabelled postings.
//! Out: the lexicon with new phrases, each with the round that found it and
//! the number of postings behind it.
//!
//! Each round labels every posting with the current lexicon, keeps the
//! confident `pm` and `po` ones as pseudo-labelled examples, and compares
//! the 1- to 3-word phrases of their duties (the duties, intro and
//! requirements sections; never the company blurb or benefits) in each
//! role's examples with all other postings, by rate (the sets differ in
//! size) and by the same log-odds with an informative Dirichlet prior as the
//! article learner, the prior drawn from all postings.
//!
//! Guards against drift, each tested:
//! - only confident pseudo-labels are used (`min_confidence`);
//! - a role needs `min_examples` confident examples before anything is
//!   learned for it;
//! - a new phrase needs `min_support` postings on its side, a rate there
//!   `min_lift` times its rate in all other postings, and z >= `min_z`;
//! - existing phrases are never changed (no role flips, no reweighting), no
//!   new phrase contains one (it would shadow it), and phrases a person
//!   removed (the lexicon's `blocked` list) never return;
//! - new phrases weigh at most `max_weight`, below the seed phrases, and at
//!   most `max_new` are added per round;
//! - a round that moves more than `max_shift` of the postings to another
//!   label is undone, and adaptation stops there.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::Labeller;
use crate::learn::{log_odds, ngrams, round4, StemRuns};
use crate::lexicon::{Lexicon, Phrase, Role, Source};
use crate::model::{Calibration, Model};
use crate::score::{Label, LabelParams};
use crate::sections::{split_sections, Section};
use crate::Result;

/// Settings of the adaptation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdaptConfig {
    /// Rounds to run.
    pub rounds: u32,
    /// Confidence a pseudo-label needs.
    pub min_confidence: f64,
    /// Postings a new phrase needs on its side.
    pub min_support: u32,
    /// Confident examples a role needs before phrases are learned for it.
    pub min_examples: usize,
    /// How many times more often a new phrase must occur in its role's
    /// examples than in all other postings.
    pub min_lift: f64,
    /// Smallest |z| of a new phrase.
    pub min_z: f64,
    /// Largest weight of a new phrase.
    pub max_weight: f64,
    /// Most new phrases per round.
    pub max_new: usize,
    /// Largest share of postings a round may move to another label.
    pub max_shift: f64,
    /// Strength of the prior drawn from all postings.
    pub alpha0: f64,
}

impl Default for AdaptConfig {
    fn default() -> Self {
        AdaptConfig {
            rounds: 2,
            min_confidence: 0.7,
            min_support: 3,
            min_examples: 5,
            min_lift: 3.0,
            min_z: 1.5,
            max_weight: 1.0,
            max_new: 30,
            max_shift: 0.15,
            alpha0: 10.0,
        }
    }
}

/// What one round did.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundStats {
    /// Pseudo-labelled PM postings.
    pub pm_examples: usize,
    /// Pseudo-labelled PO postings.
    pub po_examples: usize,
    /// Phrases added.
    pub added: usize,
    /// Share of postings whose label the round changed.
    pub shift: f64,
    /// Whether the round was undone for moving too many labels.
    pub undone: bool,
}

fn labels(lex: &Lexicon, params: &LabelParams, texts: &[String]) -> Result<Vec<(Label, f64)>> {
    let model = Model::new(lex.clone(), Calibration::new(*params, Vec::new()))?;
    let mut lab = Labeller::new();
    Ok(texts
        .iter()
        .map(|t| {
            let l = lab.label(&model, "", [t.as_str()]);
            (l.verdict.label, l.verdict.confidence)
        })
        .collect())
}

/// The phrase candidates of a posting's duty-bearing sections.
fn posting_grams(
    runs: &mut StemRuns,
    text: &str,
    spans: &mut Vec<crate::sections::SectionSpan>,
) -> BTreeMap<String, String> {
    let mut clean = String::new();
    crate::clean::clean_into(text, &mut clean);
    split_sections(&clean, spans);
    let mut all = BTreeMap::new();
    for span in spans.iter() {
        if !matches!(
            span.section,
            Section::Duties | Section::Intro | Section::Requirements
        ) {
            continue;
        }
        let part = clean.get(span.start..span.end).unwrap_or("");
        for line in part.lines() {
            for (g, s) in ngrams(&runs.runs(line), 3) {
                all.entry(g).or_insert(s);
            }
        }
    }
    all
}

/// Runs the adaptation rounds on `lex`, returning what each round did.
pub fn adapt(
    lex: &mut Lexicon,
    params: &LabelParams,
    texts: &[String],
    cfg: &AdaptConfig,
) -> Result<Vec<RoundStats>> {
    let mut runs = StemRuns::new(lex)?;
    let mut spans = Vec::new();
    let grams: Vec<BTreeMap<String, String>> = texts
        .iter()
        .map(|t| posting_grams(&mut runs, t, &mut spans))
        .collect();
    let mut df_all: BTreeMap<&str, u32> = BTreeMap::new();
    for g in &grams {
        for k in g.keys() {
            *df_all.entry(k).or_insert(0) += 1;
        }
    }
    let n_docs = texts.len().max(1) as f64;
    let mut stats = Vec::new();
    let mut current = labels(lex, params, texts)?;
    for round in 1..=cfg.rounds {
        let known: BTreeSet<String> = lex
            .phrases
            .iter()
            .map(|p| p.stems.clone())
            .chain(lex.blocked.iter().cloned())
            .collect();
        // Which postings are confident examples of which role.
        let side: Vec<Option<usize>> = current
            .iter()
            .map(|(label, conf)| match label {
                Label::Pm if *conf >= cfg.min_confidence => Some(0),
                Label::Po if *conf >= cfg.min_confidence => Some(1),
                _ => None,
            })
            .collect();
        let n_in = [0, 1].map(|r| side.iter().filter(|s| **s == Some(r)).count());
        let (n_pm, n_po) = (n_in[0], n_in[1]);
        // Per phrase, the postings using it among each role's examples.
        let mut counts: BTreeMap<&str, [u32; 2]> = BTreeMap::new();
        for (s, g) in side.iter().zip(&grams) {
            if let Some(r) = s {
                for k in g.keys() {
                    counts.entry(k).or_insert([0, 0])[*r] += 1;
                }
            }
        }
        let mut found: Vec<(f64, String, Role, u32)> = Vec::new();
        for (&g, c) in &counts {
            // A phrase holding a known one would shadow it: the matcher
            // takes the longest match.
            let words: Vec<&str> = g.split(' ').collect();
            let holds_known = (0..words.len())
                .any(|i| (i + 1..=words.len()).any(|j| known.contains(&words[i..j].join(" "))));
            if holds_known {
                continue;
            }
            // A phrase always seen inside the same longer one adds nothing.
            let redundant = counts.iter().any(|(&h, ch)| {
                ch == c && h.len() > g.len() && format!(" {h} ").contains(&format!(" {g} "))
            });
            if redundant {
                continue;
            }
            let df = f64::from(df_all.get(g).copied().unwrap_or(0));
            // Each role against all other postings: rates, not raw counts,
            // since the two example sets differ in size.
            for (r, role) in [(0, Role::Pm), (1, Role::Po)] {
                let n = n_in[r] as f64;
                if n_in[r] < cfg.min_examples || c[r] < cfg.min_support {
                    continue;
                }
                let inside = f64::from(c[r]);
                let outside = (df - inside).max(0.0);
                let n_out = (n_docs - n).max(1.0);
                if inside / n < cfg.min_lift * (outside + 0.5) / n_out {
                    continue;
                }
                let (_, z) = log_odds(inside, outside, df, n, n_out, n_docs, cfg.alpha0);
                if z >= cfg.min_z {
                    found.push((z, g.to_string(), role, c[r]));
                }
            }
        }
        // Strongest first; ties by phrase, so the choice is deterministic.
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        // Neither role may crowd out the other: at most half of the round's
        // budget goes to each.
        let mut per_role = [0usize; 2];
        let before = lex.clone();
        let mut added = 0;
        for (z, g, role, support) in found {
            let r = role as usize;
            if added >= cfg.max_new || per_role[r] >= cfg.max_new.div_ceil(2) {
                continue;
            }
            per_role[r] += 1;
            added += 1;
            let example = grams
                .iter()
                .find_map(|m| m.get(&g).cloned())
                .unwrap_or_else(|| g.clone());
            lex.phrases.push(Phrase {
                stems: g,
                example,
                role,
                weight: round4((z / 3.0).min(cfg.max_weight)),
                counts: [0, 0],
                sources: vec![Source::Adapt { round, support }],
            });
        }
        lex.sort();
        let next = labels(lex, params, texts)?;
        let moved = next
            .iter()
            .zip(&current)
            .filter(|(a, b)| a.0 != b.0)
            .count();
        let shift = moved as f64 / n_docs;
        let undone = shift > cfg.max_shift;
        stats.push(RoundStats {
            pm_examples: n_pm,
            po_examples: n_po,
            added,
            shift,
            undone,
        });
        if undone {
            *lex = before;
            break;
        }
        lex.provenance.push(format!(
            "adaptation round {round}: {n_pm} PM and {n_po} PO postings labelled with confidence >= {}; {added} phrases added (support >= {}, |z| >= {}, weight <= {}); {:.1}% of {} postings changed label",
            cfg.min_confidence,
            cfg.min_support,
            cfg.min_z,
            cfg.max_weight,
            100.0 * shift,
            texts.len()
        ));
        current = next;
        if added == 0 {
            break;
        }
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Lexicon {
        let mut lex = Lexicon::empty();
        for (s, role) in [
            ("roadmap", Role::Pm),
            ("price", Role::Pm),
            ("backlog", Role::Po),
            ("user stori", Role::Po),
        ] {
            lex.phrases.push(Phrase {
                stems: s.into(),
                example: s.into(),
                role,
                weight: 3.0,
                counts: [1, 1],
                sources: vec![],
            });
        }
        lex.blocked.push("zebra".into());
        lex.sort();
        lex
    }

    fn texts() -> Vec<String> {
        let mut t = Vec::new();
        for i in 0..8 {
            t.push(format!("Own the roadmap and pricing. Run win-loss interviews. Hold zebra reviews {i}. Plan the office party."));
            t.push(format!("Own the backlog and write user stories. Facilitate story mapping sessions {i}. Plan the office party."));
        }
        // Postings with only phrases the others teach, and so no evidence
        // before adaptation.
        for i in 0..2 {
            t.push(format!(
                "Run win-loss interviews {i}. Facilitate story mapping sessions."
            ));
        }
        for i in 0..4 {
            t.push(format!(
                "Own the roadmap and pricing; plan the office party {i}."
            ));
            t.push(format!(
                "Refine the backlog and user stories; plan the office party {i}."
            ));
        }
        t
    }

    #[test]
    fn adaptation_learns_one_sided_phrases_with_their_round_and_support() {
        let mut lex = seed();
        let params = LabelParams {
            none_center: 1.0,
            ..LabelParams::default()
        };
        let cfg = AdaptConfig {
            max_shift: 0.25,
            ..AdaptConfig::default()
        };
        let stats = adapt(&mut lex, &params, &texts(), &cfg).unwrap();
        assert!(
            stats[0].pm_examples >= 8 && stats[0].po_examples >= 8,
            "{stats:?}"
        );
        let get = |s: &str| lex.phrases.iter().find(|p| p.stems == s);
        let win = get("win loss interview").expect("a PM-only phrase is learned");
        assert_eq!(win.role, Role::Pm);
        assert!(matches!(win.sources[0], Source::Adapt { round: 1, support } if support >= 8));
        assert!(win.weight <= 1.0);
        assert_eq!(get("stori map session").map(|p| p.role), Some(Role::Po));
        // Used by both sides alike: not evidence of either.
        assert!(get("offic parti").is_none() && get("plan offic parti").is_none());
        // Blocked by a person: never learned, nor any phrase holding it,
        // though "zebra" is as one-sided as "win loss interview".
        assert!(lex.phrases.iter().all(|p| !p.stems.contains("zebra")));
        // Seed phrases keep their role and weight.
        assert_eq!(
            get("roadmap").map(|p| (p.role, p.weight)),
            Some((Role::Pm, 3.0))
        );
        assert_eq!(
            get("backlog").map(|p| (p.role, p.weight)),
            Some((Role::Po, 3.0))
        );
    }

    #[test]
    fn a_round_that_moves_too_many_labels_is_undone() {
        let mut lex = seed();
        // A low bar for product roles: the postings of only taught phrases
        // turn from `none` to `hybrid` once those phrases are learned.
        let params = LabelParams {
            none_center: -1.0,
            ..LabelParams::default()
        };
        let before = lex.clone();
        let cfg = AdaptConfig {
            max_shift: 0.0,
            ..AdaptConfig::default()
        };
        let stats = adapt(&mut lex, &params, &texts(), &cfg).unwrap();
        let last = stats.last().unwrap();
        assert!(
            last.shift > 0.0,
            "the set-up must move some label: {stats:?}"
        );
        assert!(last.undone);
        assert_eq!(lex, before, "an undone round leaves the lexicon as it was");
    }

    #[test]
    fn adaptation_is_deterministic() {
        let params = LabelParams {
            none_center: 1.0,
            ..LabelParams::default()
        };
        let mut a = seed();
        let mut b = seed();
        adapt(&mut a, &params, &texts(), &AdaptConfig::default()).unwrap();
        adapt(&mut b, &params, &texts(), &AdaptConfig::default()).unwrap();
        assert_eq!(a.to_json(), b.to_json());
    }
}
