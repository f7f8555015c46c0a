//! One labelled posting explained for people (for machines, `explain
//! --format json` writes the posting's record: see `io::record::Detailed`).
//!
//! In: a [`Labelled`] result from the [`engine`](crate::engine) and a
//! confidence threshold for the title mismatch. Out: an [`Explanation`]
//! (plain data) from [`explanation`], or readable text from
//! [`render_text`]: a summary block (label, confidence, the four
//! probabilities, PM share, evidence totals, title role, mismatch and its
//! reason), a table of every piece of evidence (phrase, role, weight,
//! section, byte span, the words as written), and the posting's text with
//! every evidence span highlighted, PM, PO and neighbouring-role evidence
//! each in its own colour (ANSI escape codes) or, without colour, in
//! brackets such as `[[pm:product roadmap]]`.
//!
//! Guarantees: nothing here panics on any input. Evidence spans are read with
//! checked slicing, so a span that is out of range, reversed, off a character
//! boundary, or overlapping the span before it is left unhighlighted (the
//! text is still printed whole). Control characters of the posting other
//! than newlines and tabs are printed as spaces, so a posting cannot send
//! escape codes to the terminal; the only escape codes in the output are the
//! highlighting's own, and there are none when colour is off.

use std::fmt::Write as _;

use crate::engine::{Labelled, Mismatch};
use crate::lexicon::Role;
use crate::score::Label;
use crate::sections::Section;
use crate::title::TitleRole;

/// ANSI code that starts PM highlighting (bold blue).
const PM_COLOR: &str = "\x1b[1;34m";
/// ANSI code that starts PO highlighting (bold green).
const PO_COLOR: &str = "\x1b[1;32m";
/// ANSI code that starts neighbouring-role highlighting (yellow).
const OTHER_COLOR: &str = "\x1b[33m";
/// ANSI code that ends highlighting.
const RESET: &str = "\x1b[0m";

/// Options for rendering an explanation as text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExplainOptions {
    /// Highlight with ANSI colours (for a terminal) rather than brackets.
    pub color: bool,
    /// The confidence at or above which a title mismatch is reported.
    pub min_confidence: f64,
}

impl Default for ExplainOptions {
    fn default() -> Self {
        ExplainOptions {
            color: false,
            min_confidence: 0.6,
        }
    }
}

/// The four label probabilities, by name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Probs {
    /// Probability of `pm`.
    pub pm: f64,
    /// Probability of `po`.
    pub po: f64,
    /// Probability of `hybrid`.
    pub hybrid: f64,
    /// Probability of `none`.
    pub none: f64,
}

/// One piece of evidence, with its phrase and the words it matched.
#[derive(Debug, Clone, PartialEq)]
pub struct ExplainedEvidence {
    /// The phrase as the lexicon writes it (its example form).
    pub phrase: String,
    /// The role it counts for.
    pub role: Role,
    /// What it added, after section weight and repetition damping.
    pub weight: f32,
    /// The section of the posting it was found in.
    pub section: Section,
    /// Start of its byte span in the posting's (cleaned) text.
    pub start: u32,
    /// End of its byte span.
    pub end: u32,
    /// The words as the posting writes them (empty if the span is invalid).
    pub text: String,
}

/// A serialisable explanation of one posting.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The content label.
    pub label: Label,
    /// Its probability.
    pub confidence: f64,
    /// All four label probabilities.
    pub probs: Probs,
    /// Posterior mean of the PM share of the duty evidence.
    pub pm_share: f64,
    /// Total PM evidence.
    pub pm_evidence: f64,
    /// Total PO evidence.
    pub po_evidence: f64,
    /// Total evidence of a neighbouring role's duties.
    pub other_evidence: f64,
    /// What the title claims.
    pub title_role: TitleRole,
    /// How the title and the duties disagree, at the threshold given.
    pub mismatch: Option<Mismatch>,
    /// The mismatch in one readable line (empty when there is none).
    pub reason: String,
    /// Whether the posting's text was cut before scoring.
    pub truncated: bool,
    /// Every piece of evidence, in text order.
    pub evidence: Vec<ExplainedEvidence>,
    /// The hash of the model that made the verdict.
    pub model: String,
}

/// The explanation of `l`, with the title mismatch judged at
/// `min_confidence`.
pub fn explanation(l: &Labelled<'_>, min_confidence: f64) -> Explanation {
    let v = &l.verdict;
    let phrases = &l.model.lexicon().phrases;
    let mut reason = String::new();
    l.reason(min_confidence, &mut reason);
    let evidence = l
        .evidence
        .iter()
        .map(|e| ExplainedEvidence {
            phrase: phrases
                .get(e.phrase as usize)
                .map(|p| p.example.clone())
                .unwrap_or_default(),
            role: e.role,
            weight: e.weight,
            section: e.section,
            start: e.start,
            end: e.end,
            text: l
                .text
                .get(e.start as usize..e.end as usize)
                .unwrap_or_default()
                .to_string(),
        })
        .collect();
    Explanation {
        label: v.label,
        confidence: v.confidence,
        probs: Probs {
            pm: v.probs[Label::Pm.index()],
            po: v.probs[Label::Po.index()],
            hybrid: v.probs[Label::Hybrid.index()],
            none: v.probs[Label::None.index()],
        },
        pm_share: v.pm_share,
        pm_evidence: v.pm_evidence,
        po_evidence: v.po_evidence,
        other_evidence: v.other_evidence,
        title_role: l.title_role,
        mismatch: l.mismatch(min_confidence),
        reason,
        truncated: l.truncated,
        evidence,
        model: l.model.hash().to_string(),
    }
}

/// Appends the readable explanation of `l` to `out`: the summary block, the
/// evidence table, and the posting's text with every evidence span
/// highlighted (see the module documentation).
pub fn render_text(l: &Labelled<'_>, opts: &ExplainOptions, out: &mut String) {
    let ex = explanation(l, opts.min_confidence);
    summary(&ex, opts, out);
    out.push('\n');
    table(&ex, opts, out);
    out.push('\n');
    out.push_str("text\n");
    highlight(l, opts.color, out);
    if !out.ends_with('\n') {
        out.push('\n');
    }
}

/// The summary block: one `name  value` line per fact.
fn summary(ex: &Explanation, opts: &ExplainOptions, out: &mut String) {
    let _ = writeln!(
        out,
        "label       {} ({:.0}% sure)",
        ex.label.as_str(),
        ex.confidence * 100.0
    );
    let _ = writeln!(
        out,
        "probs       pm {:.2}  po {:.2}  hybrid {:.2}  none {:.2}",
        ex.probs.pm, ex.probs.po, ex.probs.hybrid, ex.probs.none
    );
    let _ = writeln!(
        out,
        "pm share    {:.0}%  (evidence: pm {:.2}, po {:.2}, other {:.2})",
        ex.pm_share * 100.0,
        ex.pm_evidence,
        ex.po_evidence,
        ex.other_evidence
    );
    let _ = writeln!(out, "title role  {}", ex.title_role.as_str());
    match ex.mismatch {
        Some(m) => {
            let _ = write!(out, "mismatch    {}", m.as_str());
            if !ex.reason.is_empty() {
                out.push_str(": ");
                push_plain(&ex.reason, out);
            }
            out.push('\n');
        }
        None => {
            let _ = writeln!(
                out,
                "mismatch    none (at confidence >= {:.2})",
                opts.min_confidence
            );
        }
    }
    if ex.truncated {
        out.push_str("note        text cut before scoring\n");
    }
    let _ = writeln!(out, "model       {}", ex.model);
}

/// The evidence table, one row per piece of evidence in text order.
fn table(ex: &Explanation, opts: &ExplainOptions, out: &mut String) {
    let _ = writeln!(out, "evidence ({} matches)", ex.evidence.len());
    if ex.evidence.is_empty() {
        out.push_str("  (none)\n");
        return;
    }
    // The phrase column is as wide as the longest phrase, within reason.
    let width = ex
        .evidence
        .iter()
        .map(|e| e.phrase.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(6, 40);
    let _ = writeln!(
        out,
        "  {:<width$}  {:<5}  {:>6}  {:<12}  {:<13}  as written",
        "phrase", "role", "weight", "section", "bytes"
    );
    for e in &ex.evidence {
        out.push_str("  ");
        let phrase: String = e.phrase.chars().take(width).collect();
        push_plain(&phrase, out);
        let pad = width.saturating_sub(phrase.chars().count());
        out.extend(std::iter::repeat_n(' ', pad));
        out.push_str("  ");
        let role = format!("{:<5}", e.role.as_str());
        if opts.color {
            let _ = write!(out, "{}{role}{RESET}", role_color(e.role));
        } else {
            out.push_str(&role);
        }
        let bytes = format!("{}..{}", e.start, e.end);
        let _ = write!(
            out,
            "  {:>6.2}  {:<12}  {:<13}  ",
            e.weight,
            e.section.as_str(),
            bytes
        );
        push_plain(&e.text, out);
        out.push('\n');
    }
}

/// The posting's text with every valid, non-overlapping evidence span marked.
fn highlight(l: &Labelled<'_>, color: bool, out: &mut String) {
    let text = l.text;
    let mut pos = 0usize;
    for e in l.evidence {
        let (a, b) = (e.start as usize, e.end as usize);
        if a < pos || b <= a {
            continue;
        }
        let (Some(before), Some(span)) = (text.get(pos..a), text.get(a..b)) else {
            continue;
        };
        push_plain(before, out);
        if color {
            out.push_str(role_color(e.role));
            push_plain(span, out);
            out.push_str(RESET);
        } else {
            out.push_str("[[");
            out.push_str(e.role.as_str());
            out.push(':');
            push_plain(span, out);
            out.push_str("]]");
        }
        pos = b;
    }
    // `pos` is always 0 or the end of a span that sliced cleanly, so it is a
    // character boundary; the fallback only guards that reasoning.
    push_plain(text.get(pos..).unwrap_or_default(), out);
}

/// The ANSI code that starts highlighting for `role`.
fn role_color(role: Role) -> &'static str {
    match role {
        Role::Pm => PM_COLOR,
        Role::Po => PO_COLOR,
        Role::Other => OTHER_COLOR,
    }
}

/// Appends `s` with control characters other than newline and tab printed as
/// spaces.
fn push_plain(s: &str, out: &mut String) {
    if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        out.push_str(s);
        return;
    }
    out.extend(s.chars().map(|c| {
        if c.is_control() && c != '\n' && c != '\t' {
            ' '
        } else {
            c
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Labeller;
    use crate::model::Model;
    use crate::score::Evidence;

    const POSTING: &str = "Own the product roadmap and pricing. Refine the product backlog \
                           and write user stories with the development team.";

    fn opts(color: bool) -> ExplainOptions {
        ExplainOptions {
            color,
            min_confidence: 0.6,
        }
    }

    #[test]
    fn evidence_of_both_roles_is_tabled_and_highlighted() {
        let model = Model::embedded().unwrap();
        let mut lab = Labeller::new();
        let l = lab.label(&model, "Product Owner", [POSTING]);
        let ex = explanation(&l, 0.6);
        assert!(ex.evidence.iter().any(|e| e.role == Role::Pm), "{ex:?}");
        assert!(ex.evidence.iter().any(|e| e.role == Role::Po), "{ex:?}");
        for e in &ex.evidence {
            assert_eq!(
                POSTING.get(e.start as usize..e.end as usize),
                Some(&*e.text)
            );
        }

        let mut plain = String::new();
        render_text(&l, &opts(false), &mut plain);
        assert!(!plain.contains('\x1b'), "{plain}");
        assert!(plain.contains("[[pm:"), "{plain}");
        assert!(plain.contains("[[po:"), "{plain}");
        assert!(plain.contains("title role  po"), "{plain}");
        let table_rows = plain
            .lines()
            .filter(|r| r.starts_with("  ") && (r.contains(" pm ") || r.contains(" po ")))
            .count();
        assert_eq!(table_rows, ex.evidence.len(), "{plain}");

        let mut colored = String::new();
        render_text(&l, &opts(true), &mut colored);
        assert!(colored.contains(PM_COLOR), "{colored}");
        assert!(colored.contains(PO_COLOR), "{colored}");
        assert!(colored.contains(RESET));
        assert!(!colored.contains("[[pm:"));
    }

    #[test]
    fn bad_spans_are_skipped_not_sliced() {
        let model = Model::embedded().unwrap();
        let text = "Prüfen Sie die Roadmap \x1b[31m und das Backlog";
        let ev = |start, end| Evidence {
            phrase: 0,
            role: Role::Pm,
            weight: 1.0,
            section: Section::Intro,
            start,
            end,
        };
        // In order: one off a character boundary (inside "ü"), a good span,
        // one overlapping it, one reversed, one past the end, one good.
        let evidence = [
            ev(2, 3),
            ev(16, 23),
            ev(18, 25),
            ev(30, 28),
            ev(200, 210),
            ev(38, 45),
        ];
        let mut lab = Labeller::new();
        let mut l = lab.label(&model, "x", [""]);
        l.text = text;
        l.evidence = &evidence;
        let mut out = String::new();
        highlight(&l, false, &mut out);
        assert_eq!(
            out,
            "Prüfen Sie die [[pm:Roadmap]]  [31m und das [[pm:Backlog]]"
        );
        let ex = explanation(&l, 0.6);
        assert_eq!(ex.evidence[0].text, "");
        assert_eq!(ex.evidence[1].text, "Roadmap");
        let mut full = String::new();
        render_text(&l, &opts(false), &mut full);
        assert!(!full.contains('\x1b'));
    }

    #[test]
    fn a_posting_without_evidence_still_renders() {
        let model = Model::embedded().unwrap();
        let mut lab = Labeller::new();
        let l = lab.label(&model, "Barista", ["Make coffee."]);
        let mut out = String::new();
        render_text(&l, &opts(true), &mut out);
        assert!(out.contains("label       none"), "{out}");
        assert!(out.contains("(none)"), "{out}");
        assert!(out.ends_with("Make coffee.\n"), "{out}");
    }
}
