//! Phrase matches to evidence, and evidence to a label with a confidence.
//!
//! In: the [`Match`]es of one text, its section spans, the lexicon and the
//! [`LabelParams`]. Out: the [`Evidence`] list and a [`Verdict`]: `pm`,
//! `po`, `hybrid` or `none`, with a probability for each.
//!
//! Evidence: each match adds its phrase's weight, times the weight of the
//! section it sits in (duties count most, the company blurb and benefits
//! nearly nothing), halved for every earlier use of the same phrase (ten
//! mentions of "roadmap" are not ten duties).
//!
//! Label: the PM share of the duties, theta, is unknown; given evidence
//! E_pm and E_po its posterior is Beta(a + k E_pm, a + k E_po). The guide's
//! two-thirds rule gives P(pm) = P(theta > t_hi), P(po) = P(theta < t_lo),
//! P(hybrid) the rest. Whether the posting is a product role at all is a
//! logistic function of the PM and PO evidence less the evidence of a
//! neighbouring role's duties (project schedules, Scrum facilitation, code). Guarantees: the four
//! probabilities are finite, in [0, 1] and sum to 1; the confidence is the
//! largest of them.

use serde::{Deserialize, Serialize};

use crate::lexicon::{Lexicon, Role};
use crate::matcher::Match;
use crate::sections::{section_at, Section, SectionSpan};

/// A content label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// Predominantly Product Manager duties.
    Pm,
    /// Predominantly Product Owner duties.
    Po,
    /// Both substantial.
    Hybrid,
    /// Not a product manager's or product owner's duties.
    None,
}

impl Label {
    /// All labels, in output order.
    pub const ALL: [Label; 4] = [Label::Pm, Label::Po, Label::Hybrid, Label::None];

    /// "pm", "po", "hybrid" or "none".
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Pm => "pm",
            Label::Po => "po",
            Label::Hybrid => "hybrid",
            Label::None => "none",
        }
    }

    /// Parses a label, in any case ("PM", "hybrid").
    pub fn parse(s: &str) -> Option<Label> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pm" => Some(Label::Pm),
            "po" => Some(Label::Po),
            "hybrid" => Some(Label::Hybrid),
            "none" => Some(Label::None),
            _ => None,
        }
    }

    /// Position in [`Label::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Weight of evidence by the section it was found in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SectionWeights {
    /// Text before the first heading.
    pub intro: f32,
    /// Responsibilities, duties, "what you'll do".
    pub duties: f32,
    /// Requirements, qualifications, "your profile".
    pub requirements: f32,
    /// About the company.
    pub company: f32,
    /// Benefits and pay.
    pub benefits: f32,
    /// Any other headed part.
    pub other: f32,
}

impl SectionWeights {
    /// The weight of `s`.
    pub fn get(&self, s: Section) -> f32 {
        match s {
            Section::Intro => self.intro,
            Section::Duties => self.duties,
            Section::Requirements => self.requirements,
            Section::Company => self.company,
            Section::Benefits => self.benefits,
            Section::Other => self.other,
        }
    }
}

/// The few parameters of the label model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LabelParams {
    /// Beta prior pseudo-count on each side.
    pub prior: f64,
    /// Pseudo-counts per unit of evidence.
    pub scale: f64,
    /// PM share below which duties are a PO's.
    pub t_lo: f64,
    /// PM share above which duties are a PM's.
    pub t_hi: f64,
    /// Total evidence at which a posting is as likely a product role as not.
    pub none_center: f64,
    /// Slope of the product-role logistic, per unit of evidence.
    pub none_slope: f64,
    /// How much a unit of neighbouring-role evidence counts against the
    /// posting being a product role.
    #[serde(default = "one")]
    pub other_weight: f64,
    /// Added to the product-role log-odds when the title names a product
    /// role (PM, PO or both): vague duties under such a title are most often
    /// a product role's (the guide's rule 5). It never favours PM over PO or
    /// the reverse, so the title cannot hide an opposite mismatch.
    #[serde(default)]
    pub product_title: f64,
    /// Added to the product-role log-odds when the title names another role
    /// (project manager, analyst, engineer, ...).
    #[serde(default)]
    pub other_title: f64,
    /// Temperature of the four probabilities: each is raised to 1 / T and
    /// they are normalised again. It never changes which label is the most
    /// probable, only how sure the model says it is (fitted separately, to
    /// the plain likelihood, so that the confidence is calibrated).
    #[serde(default = "one")]
    pub temperature: f64,
    /// Weight of evidence by section.
    pub sections: SectionWeights,
}

impl Default for LabelParams {
    fn default() -> Self {
        LabelParams {
            prior: 1.0,
            scale: 1.0,
            t_lo: 1.0 / 3.0,
            t_hi: 2.0 / 3.0,
            none_center: 3.0,
            none_slope: 1.0,
            other_weight: 1.0,
            product_title: 0.0,
            other_title: 0.0,
            temperature: 1.0,
            sections: SectionWeights {
                intro: 0.8,
                duties: 1.0,
                requirements: 0.5,
                company: 0.1,
                benefits: 0.0,
                other: 0.3,
            },
        }
    }
}

fn one() -> f64 {
    1.0
}

/// One piece of evidence: a phrase found, what it counts for, and where.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// The phrase's index in the lexicon.
    pub phrase: u32,
    /// The role it counts for.
    pub role: Role,
    /// What it added, after section weight and repetition damping.
    pub weight: f32,
    /// The section it was found in.
    pub section: Section,
    /// Byte span in the cleaned text.
    pub start: u32,
    /// End of the byte span.
    pub end: u32,
}

/// The label of one posting, with its evidence totals and probabilities.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    /// The most probable label.
    pub label: Label,
    /// Its probability.
    pub confidence: f64,
    /// Probabilities of pm, po, hybrid, none.
    pub probs: [f64; 4],
    /// PM share of the evidence (posterior mean of theta).
    pub pm_share: f64,
    /// Total PM evidence.
    pub pm_evidence: f64,
    /// Total PO evidence.
    pub po_evidence: f64,
    /// Total evidence of a neighbouring role's duties.
    pub other_evidence: f64,
}

impl Verdict {
    /// Pulls the probabilities halfway to uniform: what the label model says
    /// of a text in a language the lexicon has no phrases for is a guess.
    /// The label stays; its confidence drops to at most 0.625.
    pub fn uncertain(&mut self) {
        for p in &mut self.probs {
            *p = 0.5 * *p + 0.125;
        }
        self.confidence = self.probs[self.label.index()];
    }
}

/// Turns matches into evidence; keeps per-phrase counts between calls.
#[derive(Debug, Default)]
pub struct Scorer {
    seen: rustc_hash::FxHashMap<u32, u32>,
}

impl Scorer {
    /// A scorer with empty scratch space.
    pub fn new() -> Scorer {
        Scorer::default()
    }

    /// Weighs `matches` into `out` (cleared first) and returns the totals
    /// (PM, PO, other).
    pub fn evidence(
        &mut self,
        lex: &Lexicon,
        params: &LabelParams,
        matches: &[Match],
        sections: &[SectionSpan],
        out: &mut Vec<Evidence>,
    ) -> [f64; 3] {
        out.clear();
        self.seen.clear();
        let mut totals = [0.0f64; 3];
        for m in matches {
            let Some(p) = lex.phrases.get(m.phrase as usize) else {
                continue;
            };
            let section = section_at(sections, m.start as usize);
            let n = self.seen.entry(m.phrase).or_insert(0);
            let damp = 0.5f32.powi(*n as i32);
            *n += 1;
            let w = p.weight * params.sections.get(section) * damp;
            totals[p.role as usize] += f64::from(w);
            out.push(Evidence {
                phrase: m.phrase,
                role: p.role,
                weight: w,
                section,
                start: m.start,
                end: m.end,
            });
        }
        totals
    }
}

/// What a posting's title says about whether it is a product role at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleHint {
    /// No title, or none known: the content alone decides.
    Unknown,
    /// The title names a product manager or product owner role.
    Product,
    /// The title names another role.
    Other,
}

impl TitleHint {
    /// The hint of a title's role; `Unknown` for an empty title.
    pub fn of(title: &str, role: crate::title::TitleRole) -> TitleHint {
        use crate::title::TitleRole;
        if title.trim().is_empty() {
            return TitleHint::Unknown;
        }
        match role {
            TitleRole::Pm | TitleRole::Po | TitleRole::Both => TitleHint::Product,
            TitleRole::Other => TitleHint::Other,
        }
    }
}

/// The label model: evidence totals to a verdict, with no title known.
pub fn verdict(params: &LabelParams, totals: [f64; 3]) -> Verdict {
    verdict_titled(params, totals, TitleHint::Unknown)
}

/// The label model: evidence totals and what the title says to a verdict.
/// The title moves only the odds of a product role against `none`, never
/// the PM share.
pub fn verdict_titled(
    params: &LabelParams,
    [pm, po, other]: [f64; 3],
    title: TitleHint,
) -> Verdict {
    let pm = pm.max(0.0);
    let po = po.max(0.0);
    let other = other.max(0.0);
    let a = params.prior + params.scale * pm;
    let b = params.prior + params.scale * po;
    let cdf = |x: f64| statrs::function::beta::checked_beta_reg(a, b, x).unwrap_or(0.5);
    let p_po = cdf(params.t_lo);
    let p_pm = 1.0 - cdf(params.t_hi);
    let p_hyb = (1.0 - p_po - p_pm).max(0.0);
    let net = pm + po - params.other_weight * other - params.none_center;
    let bias = match title {
        TitleHint::Unknown => 0.0,
        TitleHint::Product => params.product_title,
        TitleHint::Other => params.other_title,
    };
    let product = 1.0 / (1.0 + (-(params.none_slope * net + bias)).exp());
    let mut probs = [
        product * p_pm,
        product * p_po,
        product * p_hyb,
        1.0 - product,
    ];
    let t = params.temperature;
    if t.is_finite() && t > 0.0 && t != 1.0 {
        probs.iter_mut().for_each(|p| *p = p.max(0.0).powf(1.0 / t));
    }
    let sum: f64 = probs.iter().sum();
    if sum.is_finite() && sum > 0.0 {
        probs.iter_mut().for_each(|p| *p /= sum);
    } else {
        probs = [0.0, 0.0, 0.0, 1.0];
    }
    let mut best = Label::None;
    for l in Label::ALL {
        if probs[l.index()] > probs[best.index()] {
            best = l;
        }
    }
    Verdict {
        label: best,
        confidence: probs[best.index()],
        probs,
        pm_share: a / (a + b),
        pm_evidence: pm,
        po_evidence: po,
        other_evidence: other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strong_one_sided_evidence_gives_that_role() {
        let p = LabelParams::default();
        assert_eq!(verdict(&p, [12.0, 0.5, 0.0]).label, Label::Pm);
        assert_eq!(verdict(&p, [0.5, 12.0, 0.0]).label, Label::Po);
        assert_eq!(verdict(&p, [10.0, 10.0, 0.0]).label, Label::Hybrid);
    }

    #[test]
    fn little_evidence_gives_none() {
        let p = LabelParams::default();
        let v = verdict(&p, [0.0, 0.0, 0.0]);
        assert_eq!(v.label, Label::None);
        assert!((v.pm_share - 0.5).abs() < 1e-9);
    }

    #[test]
    fn probabilities_are_a_distribution() {
        let p = LabelParams::default();
        for (pm, po) in [
            (0.0, 0.0),
            (1.0, 0.0),
            (3.0, 2.0),
            (40.0, 1.0),
            (1e6, 1e6),
            (f64::NAN, 1.0),
        ] {
            let v = verdict(&p, [pm, po, 0.0]);
            let s: f64 = v.probs.iter().sum();
            assert!((s - 1.0).abs() < 1e-9, "{pm} {po}: {:?}", v.probs);
            assert!(v.probs.iter().all(|x| (0.0..=1.0).contains(x)));
            assert!((0.0..=1.0).contains(&v.confidence));
        }
    }

    #[test]
    fn neighbouring_role_evidence_means_none() {
        let p = LabelParams::default();
        assert_eq!(verdict(&p, [4.0, 1.0, 0.0]).label, Label::Pm);
        assert_eq!(verdict(&p, [4.0, 1.0, 8.0]).label, Label::None);
    }

    #[test]
    fn a_product_title_moves_vague_duties_from_none_to_a_product_role() {
        let p = LabelParams {
            product_title: 2.0,
            other_title: -2.0,
            ..LabelParams::default()
        };
        let totals = [2.5, 0.5, 0.0];
        assert_eq!(verdict(&p, totals).label, Label::None);
        let product = verdict_titled(&p, totals, TitleHint::Product);
        assert_eq!(product.label, Label::Pm);
        let other = verdict_titled(&p, totals, TitleHint::Other);
        assert!(other.probs[3] > verdict(&p, totals).probs[3]);
        // The title never moves the share between PM and PO.
        let q = verdict(&p, totals);
        let ratio = |v: &Verdict| v.probs[0] / v.probs[1];
        assert!((ratio(&product) - ratio(&q)).abs() < 1e-9 * ratio(&q));
        assert_eq!(product.pm_share, q.pm_share);
    }

    #[test]
    fn an_empty_title_is_no_hint() {
        use crate::title::TitleRole;
        assert_eq!(TitleHint::of("  ", TitleRole::Other), TitleHint::Unknown);
        assert_eq!(
            TitleHint::of("Product Owner", TitleRole::Po),
            TitleHint::Product
        );
        assert_eq!(
            TitleHint::of("Scrum Master", TitleRole::Other),
            TitleHint::Other
        );
    }

    #[test]
    fn temperature_changes_the_confidence_never_the_label() {
        let base = LabelParams::default();
        for totals in [
            [6.0, 1.0, 0.0],
            [2.0, 2.5, 0.0],
            [0.5, 0.0, 0.0],
            [9.0, 8.0, 1.0],
        ] {
            let v = verdict(&base, totals);
            let sharp = verdict(
                &LabelParams {
                    temperature: 0.5,
                    ..base
                },
                totals,
            );
            let soft = verdict(
                &LabelParams {
                    temperature: 2.0,
                    ..base
                },
                totals,
            );
            assert_eq!((sharp.label, soft.label), (v.label, v.label));
            assert!(sharp.confidence >= v.confidence && v.confidence >= soft.confidence);
            assert!((sharp.probs.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn more_evidence_means_more_confidence() {
        let p = LabelParams::default();
        assert!(
            verdict(&p, [20.0, 1.0, 0.0]).confidence > verdict(&p, [5.0, 0.25, 0.0]).confidence
        );
    }
}
