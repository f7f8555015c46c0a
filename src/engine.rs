//! One posting in, one labelled result out: the stages chained.
//!
//! In: a title and the posting's text parts. Out: a [`Labelled`] view with
//! the verdict, the evidence, the title's role and the mismatch. A
//! [`Labeller`] owns every scratch buffer of the stages, so labelling a row
//! allocates nothing once the buffers have grown; keep one per thread.

use std::fmt::Write as _;

use crate::clean::clean_into;
use crate::lang::guess_lang;
use crate::lexicon::Role;
use crate::matcher::{Match, Matcher};
use crate::model::Model;
use crate::score::{verdict_titled, Evidence, Label, Scorer, TitleHint, Verdict};
use crate::sections::Section;
use crate::sections::{split_sections, SectionSpan};
use crate::title::{title_role, TitleRole};
use crate::tokenize::{hf_words, FastTokenizer, Tokens};

/// Text past this many bytes of a posting is not scored (the row says so).
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// Why a title and its duties disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mismatch {
    /// A PO title over PM duties, or the reverse.
    Opposite,
    /// A single-role title over hybrid duties.
    Hybrid,
    /// A product title over duties that are neither a PM's nor a PO's.
    NotProduct,
}

impl Mismatch {
    /// "opposite", "hybrid" or "not_product".
    pub fn as_str(self) -> &'static str {
        match self {
            Mismatch::Opposite => "opposite",
            Mismatch::Hybrid => "hybrid",
            Mismatch::NotProduct => "not_product",
        }
    }
}

/// The mismatch between a title's role and a content verdict, if the
/// verdict is at least `min_confidence` sure.
pub fn mismatch(title: TitleRole, v: &Verdict, min_confidence: f64) -> Option<Mismatch> {
    if v.confidence < min_confidence {
        return None;
    }
    mismatch_kind(title, v.label)
}

/// The mismatch between a title's role and a content label, whatever the
/// confidence.
pub fn mismatch_kind(title: TitleRole, label: Label) -> Option<Mismatch> {
    match (title, label) {
        (TitleRole::Pm, Label::Po) | (TitleRole::Po, Label::Pm) => Some(Mismatch::Opposite),
        (TitleRole::Pm | TitleRole::Po, Label::Hybrid) => Some(Mismatch::Hybrid),
        (TitleRole::Pm | TitleRole::Po | TitleRole::Both, Label::None) => {
            Some(Mismatch::NotProduct)
        }
        _ => None,
    }
}

/// Per-thread scratch space and stage state for labelling postings.
#[derive(Debug, Default)]
pub struct Labeller {
    /// A posting's text parts, joined (when there is more than one).
    text: String,
    work: Work,
}

/// Every buffer and cache of the stages but the joined text.
#[derive(Debug, Default)]
struct Work {
    clean: String,
    sections: Vec<SectionSpan>,
    tokenizer: FastTokenizer,
    tokens: Tokens,
    matcher: Matcher,
    matches: Vec<Match>,
    scorer: Scorer,
    evidence: Vec<Evidence>,
    top: Vec<(u32, f32, Section)>,
    reference: Option<tokenizers::Tokenizer>,
    /// The roles of titles seen: exports repeat a few thousand titles.
    titles: rustc_hash::FxHashMap<Box<str>, TitleRole>,
}

/// The most titles a labeller remembers.
const TITLE_CACHE: usize = 16384;

/// The result of labelling one posting, borrowing the labeller's buffers.
#[derive(Debug)]
pub struct Labelled<'a> {
    /// The content verdict.
    pub verdict: Verdict,
    /// What the title claims.
    pub title_role: TitleRole,
    /// Whether the posting's text was cut at [`MAX_TEXT_BYTES`].
    pub truncated: bool,
    /// The text the evidence spans point into: the posting's text, cleaned
    /// of markup when it had any.
    pub text: &'a str,
    /// Every piece of evidence, in text order.
    pub evidence: &'a [Evidence],
    /// The language guessed for the text (ISO 639-1, or "und").
    pub lang: &'static str,
    /// Whether the model has phrases for that language; when it has not, the
    /// probabilities are pulled halfway to uniform, and the row says so.
    pub lang_covered: bool,
    /// The model.
    pub model: &'a Model,
    top: &'a [(u32, f32, Section)],
}

impl Labelled<'_> {
    /// The mismatch at a confidence threshold.
    pub fn mismatch(&self, min_confidence: f64) -> Option<Mismatch> {
        mismatch(self.title_role, &self.verdict, min_confidence)
    }

    /// The phrases that weighed most, with their total weight, heaviest first.
    pub fn top_phrases(&self) -> impl Iterator<Item = (&str, Role, f32)> + '_ {
        self.top_with_sections().map(|(t, r, w, _)| (t, r, w))
    }

    /// As [`Labelled::top_phrases`], with the section of each phrase's
    /// first use.
    pub fn top_with_sections(&self) -> impl Iterator<Item = (&str, Role, f32, Section)> + '_ {
        let phrases = &self.model.lexicon().phrases;
        self.top.iter().filter_map(move |&(p, w, s)| {
            phrases
                .get(p as usize)
                .map(|ph| (ph.example.as_str(), ph.role, w, s))
        })
    }

    /// The top phrases as one cell:
    /// `roadmap (pm 1.94, duties); user stories (po 1.20, requirements)`.
    pub fn evidence_cell(&self, max: usize, out: &mut String) {
        out.clear();
        for (i, (text, role, w, section)) in self.top_with_sections().take(max).enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            out.push_str(text);
            let _ = write!(out, " ({role} ");
            push_fixed2(out, w);
            out.push_str(", ");
            out.push_str(section.as_str());
            out.push(')');
        }
    }

    /// One readable line on the title and the duties, e.g.
    /// `title says PO; duties 78% PM: product roadmap, market research`.
    pub fn reason(&self, min_confidence: f64, out: &mut String) {
        out.clear();
        let Some(m) = self.mismatch(min_confidence) else {
            return;
        };
        let title = match self.title_role {
            TitleRole::Pm => "PM",
            TitleRole::Po => "PO",
            TitleRole::Both => "PM/PO",
            TitleRole::Other => "another role",
        };
        let share = (self.verdict.pm_share * 100.0).round();
        let lead = match m {
            Mismatch::Opposite if self.verdict.label == Label::Pm => Some(Role::Pm),
            Mismatch::Opposite => Some(Role::Po),
            _ => None,
        };
        let _ = match (m, lead) {
            (Mismatch::NotProduct, _) => write!(
                out,
                "title says {title}; duties show little PM or PO work ({:.0}% sure)",
                self.verdict.confidence * 100.0
            ),
            (Mismatch::Hybrid, _) => {
                write!(out, "title says {title}; duties are hybrid, {share}% PM")
            }
            (_, Some(Role::Po)) => write!(out, "title says {title}; duties {}% PO", 100.0 - share),
            _ => write!(out, "title says {title}; duties {share}% PM"),
        };
        let mut first = true;
        for (text, role, _) in self.top_phrases() {
            if lead.is_some_and(|r| r != role) {
                continue;
            }
            out.push_str(if first { ": " } else { ", " });
            out.push_str(text);
            first = false;
            if out.len() > 160 {
                break;
            }
        }
    }
}

/// Appends `w` with two decimals, exactly as `format!("{w:.2}")` does
/// (the exact binary value rounded, ties to even), without the general
/// float formatter: `w` times 100 is exact in an `f64` (a 24-bit mantissa
/// times a 7-bit number), so its integer and fractional parts are too.
fn push_fixed2(out: &mut String, w: f32) {
    let x = f64::from(w) * 100.0;
    if !(0.0..1e15).contains(&x) || w.is_sign_negative() {
        let _ = write!(out, "{w:.2}");
        return;
    }
    let floor = x.floor();
    let frac = x - floor;
    let mut n = floor as u64;
    if frac > 0.5 || (frac == 0.5 && n % 2 == 1) {
        n += 1;
    }
    let _ = write!(out, "{}.{:02}", n / 100, n % 100);
}

/// `text` cut at [`MAX_TEXT_BYTES`] (on a char boundary), and whether it was.
fn cut(text: &str) -> (&str, bool) {
    if text.len() <= MAX_TEXT_BYTES {
        return (text, false);
    }
    let at = text.floor_char_boundary(MAX_TEXT_BYTES);
    (text.get(..at).unwrap_or(""), true)
}

impl Work {
    /// The stages on a posting's text (joined and cut).
    fn label<'a>(
        &'a mut self,
        model: &'a Model,
        title: &str,
        text_in: &'a str,
        truncated: bool,
    ) -> Labelled<'a> {
        // Text without markup is used as it is: tokens and headings do not
        // depend on runs of spaces, so only HTML needs the cleaning copy.
        let markup = memchr::memchr2(b'<', b'&', text_in.as_bytes()).is_some();
        let text: &str = if markup {
            clean_into(text_in, &mut self.clean);
            &self.clean
        } else {
            text_in
        };
        split_sections(text, &mut self.sections);
        match &self.reference {
            Some(hf) => {
                self.tokens.clear();
                if let Ok(words) = hf_words(hf, text) {
                    for (w, a, b) in words {
                        self.tokens.push(&w, a, b);
                    }
                }
            }
            None => self.tokenizer.tokenize(text, &mut self.tokens),
        }
        self.matcher
            .find(model.compiled(), &self.tokens, &mut self.matches);
        let params = model.params();
        let totals = self.scorer.evidence(
            model.lexicon(),
            params,
            &self.matches,
            &self.sections,
            &mut self.evidence,
        );
        let role = match self.titles.get(title) {
            Some(&role) => role,
            None => {
                let role = title_role(title);
                // A full cache keeps the titles it has: the frequent ones
                // come early, and a long tail would only churn it.
                if self.titles.len() < TITLE_CACHE {
                    self.titles.insert(title.into(), role);
                }
                role
            }
        };
        let mut v = verdict_titled(params, totals, TitleHint::of(title, role));
        let lang = guess_lang(text);
        let lang_covered = lang == "und" || model.lexicon().languages.iter().any(|l| l == lang);
        if !lang_covered {
            v.uncertain();
        }
        // Total weight per phrase, heaviest first, ties by phrase index.
        self.top.clear();
        for e in &self.evidence {
            match self.top.iter_mut().find(|(p, _, _)| *p == e.phrase) {
                Some(t) => t.1 += e.weight,
                None => self.top.push((e.phrase, e.weight, e.section)),
            }
        }
        self.top.retain(|t| t.1 > 0.0);
        self.top
            .sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Labelled {
            verdict: v,
            title_role: role,
            truncated,
            text,
            evidence: &self.evidence,
            lang,
            lang_covered,
            model,
            top: &self.top,
        }
    }
}

impl Labeller {
    /// A labeller with empty buffers.
    pub fn new() -> Labeller {
        Labeller::default()
    }

    /// Labels one posting given its title and its text parts (joined with
    /// blank lines).
    pub fn label<'a, I, S>(&'a mut self, model: &'a Model, title: &str, parts: I) -> Labelled<'a>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.text.clear();
        for p in parts {
            let p = p.as_ref();
            if p.trim().is_empty() {
                continue;
            }
            if !self.text.is_empty() {
                self.text.push_str("\n\n");
            }
            self.text.push_str(p);
        }
        let (text, truncated) = cut(&self.text);
        self.work.label(model, title, text, truncated)
    }

    /// Labels one posting whose text is one part, used in place (no copy).
    pub fn label_text<'a>(
        &'a mut self,
        model: &'a Model,
        title: &str,
        text: &'a str,
    ) -> Labelled<'a> {
        let text = if text.trim().is_empty() { "" } else { text };
        let (text, truncated) = cut(text);
        self.work.label(model, title, text, truncated)
    }

    /// A labeller that tokenizes with the Hugging Face tokenizer itself
    /// rather than the fast path: the same words, much slower. For
    /// benchmarks and checks.
    pub fn with_reference_tokenizer(model: &Model) -> crate::Result<Labeller> {
        let tok: tokenizers::Tokenizer = model
            .tokenizer_json()
            .parse()
            .map_err(|e| crate::Error::config(format!("cannot load the model's tokenizer: {e}")))?;
        Ok(Labeller {
            text: String::new(),
            work: Work {
                reference: Some(tok),
                ..Work::default()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::push_fixed2;

    fn fixed2(w: f32) -> String {
        let mut s = String::new();
        push_fixed2(&mut s, w);
        s
    }

    #[test]
    fn two_decimals_as_the_formatter_writes_them() {
        // Every 1009th float from 0 to past 1e7, the exact ties (multiples of
        // 1/8 have a 5 in the third decimal), and values the fast path
        // leaves to the formatter.
        let mut bits = 0u32;
        while bits < 1e7f32.to_bits() {
            let w = f32::from_bits(bits);
            assert_eq!(fixed2(w), format!("{w:.2}"), "{w:e}");
            bits += 1009;
        }
        for k in 0..100_000 {
            let w = k as f32 / 8.0;
            assert_eq!(fixed2(w), format!("{w:.2}"), "{w}");
        }
        for w in [
            -0.0f32,
            -1.125,
            1e20,
            f32::MAX,
            f32::INFINITY,
            f32::NAN,
            f32::MIN_POSITIVE,
        ] {
            assert_eq!(fixed2(w), format!("{w:.2}"), "{w}");
        }
    }
}
