//! Articles to a lexicon.
//!
//! In: a folder of practitioner articles on Product Manager vs Product
//! Owner, as raw web text. Out: a [`Lexicon`] of stemmed phrases weighted by
//! how strongly they lean to one role, each with the sentences it was
//! learned from.
//!
//! Steps:
//! 1. [`article_body`] keeps the article and drops the web page around it:
//!    everything from the first comments / related-posts / "read more"
//!    marker on, and lines that are not prose (timestamps, hashtags, links).
//! 2. [`attribute`] splits the body into sentences and clauses and gives
//!    each the role it is about: the role it names first; else the role of
//!    the clause before it in the paragraph; else the role named by the
//!    heading or list lead-in ("Product owner focus on:") above it. A clause
//!    naming both roles together ("PMs and POs ...") and questions teach
//!    nothing about either role.
//! 3. Candidate phrases are 1- to 3-word runs of stems inside a clause
//!    (stop words skipped, role names and punctuation ending a run),
//!    counted once per clause.
//! 4. Each candidate is weighed by the log-odds ratio of PM to PO use with
//!    an informative Dirichlet prior (Monroe, Colaresi and Quinn, 2008); those
//!    whose z-score clears a bar are kept, weighted by |z| (capped): strong
//!    and well-attested leanings weigh most.
//!
//! Guarantees: the same articles give the same lexicon, byte for byte (files
//! are read in name order and every map is ordered); no phrase is learned
//! from text past the end of an article's body.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rustc_hash::FxHashSet;

use crate::lexicon::{
    phrase_stems, stem, stemmer, Compiled, Lexicon, Phrase, Role, Source, JOINING_MARKS,
};
use crate::tokenize::{FastTokenizer, Tokens};
use crate::{Error, Result};

/// Settings of the article learner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LearnConfig {
    /// Strength of the informative Dirichlet prior (pseudo-count total).
    pub alpha0: f64,
    /// Smallest |z| a phrase needs to be kept.
    pub min_z: f64,
    /// Longest candidate phrase, in content words.
    pub max_words: usize,
    /// The largest weight a phrase can have.
    pub max_weight: f64,
    /// In how many articles (at least; at most all there are) a phrase must
    /// be said of its role: one author's turn of phrase ("architect",
    /// "likely", "descriptive") is not the field's vocabulary.
    pub min_articles: u32,
}

impl Default for LearnConfig {
    fn default() -> Self {
        LearnConfig {
            alpha0: 10.0,
            min_z: 1.0,
            max_words: 3,
            max_weight: 3.0,
            min_articles: 2,
        }
    }
}

/// Lines at which an article's body ends: comment sections, related posts,
/// "read more" links, in the languages seen on blogs and video pages.
const END_MARKERS: &[&str] = &[
    "comments",
    "comment",
    "post a comment",
    "leave a comment",
    "leave a reply",
    "popular posts from this blog",
    "popular posts",
    "related posts",
    "related articles",
    "you may also like",
    "you might also like",
    "more from",
    "read more",
    "read next",
    "share this",
    "share this post",
    "about the author",
    "subscribe",
    "newsletter",
    "tags",
    "комментарии",
    "рекомендации по теме",
    "kommentare",
    "commentaires",
];

/// Whether a trimmed line ends an article's body.
fn is_end_marker(line: &str) -> bool {
    let l = line
        .trim()
        .trim_end_matches([':', '.', '!'])
        .trim()
        .to_lowercase();
    if l.is_empty() {
        return false;
    }
    END_MARKERS.contains(&l.as_str())
        || PREFIX_MARKERS
            .iter()
            .any(|m| l.starts_with(m) && l[m.len()..].starts_with([':', ' ']))
}

/// Markers that end an article's body when a line starts with them
/// ("Read more: ...", "Tags: ...").
const PREFIX_MARKERS: &[&str] = &["read more", "tags", "more from"];

/// Whether a line is page furniture rather than prose: timestamps, hashtag
/// rows, links, separators.
fn is_furniture(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    if t.chars().all(|c| !c.is_alphanumeric()) {
        return true;
    }
    if t.contains("http://") || t.contains("https://") || t.contains("www.") {
        return true;
    }
    let first = t.trim_start_matches('@');
    let ts = first.split_whitespace().next().is_some_and(|w| {
        w.len() >= 4 && w.contains(':') && w.chars().all(|c| c.is_ascii_digit() || c == ':')
    });
    if ts {
        return true;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    let tags = words.iter().filter(|w| w.starts_with('#')).count();
    tags * 2 >= words.len()
}

/// The article itself: the text up to the first end marker, without lines
/// of page furniture. Line structure is kept.
pub fn article_body(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if is_end_marker(line) {
            break;
        }
        if is_furniture(line) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A clause of an article and the role it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// 0-based sentence number in the body.
    pub sentence: u32,
    /// The clause text.
    pub text: String,
    /// The role the clause is about, if one.
    pub role: Option<Role>,
}

/// What a clause says about roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mention {
    Nothing,
    One(Role),
    Both,
}

/// The role a text names first; `Both` when it names both roles side by
/// side ("product managers and product owners").
fn mention(words: &[&str]) -> Mention {
    let mut found: Vec<(usize, Role)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let next = words.get(i + 1).copied().unwrap_or("");
        let role = match (w, next) {
            ("product", n) if n.starts_with("manag") => Some((Role::Pm, 2)),
            ("product", n) if n.starts_with("owner") => Some((Role::Po, 2)),
            ("pm" | "pms", _) => Some((Role::Pm, 1)),
            ("po" | "pos", _) => Some((Role::Po, 1)),
            _ => None,
        };
        match role {
            Some((r, len)) => {
                // "work with the product owner", "feedback to the PM": the
                // role is the object of a preposition, not the subject.
                let mut j = i;
                while j > 0 && matches!(words[j - 1], "the" | "a" | "an" | "their" | "your" | "our")
                {
                    j -= 1;
                }
                let object = j > 0
                    && matches!(
                        words[j - 1],
                        "with" | "to" | "from" | "for" | "than" | "between" | "by" | "alongside"
                    );
                if !object {
                    found.push((i, r));
                }
                i += len;
            }
            None => i += 1,
        }
    }
    let Some(&(first_at, first)) = found.first() else {
        return Mention::Nothing;
    };
    // Both roles within a few words of each other, joined by "and", "or",
    // "vs", "/" or "&": a statement about both.
    for &(at, r) in &found[1..] {
        if r != first {
            let between = &words[first_at..at];
            let joined = at - first_at <= 4
                && between
                    .iter()
                    .any(|w| matches!(*w, "and" | "or" | "vs" | "versus" | "/" | "&" | "between"));
            if joined {
                return Mention::Both;
            }
            break;
        }
    }
    Mention::One(first)
}

fn words_of(toks: &Tokens) -> Vec<&str> {
    toks.iter().map(|(w, _, _)| w).collect()
}

/// Splits a line into sentences at '.', '!' or '?' followed by a space.
fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = line.as_bytes();
    for i in 0..b.len() {
        if matches!(b[i], b'.' | b'!' | b'?') && (i + 1 == b.len() || b[i + 1] == b' ') {
            let s = line[start..=i].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = i + 1;
        }
    }
    let s = line[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

/// Splits a sentence into clauses at contrastive joints ("while",
/// "whereas", "but", "however", ";"), where the subject may change.
fn clauses(sentence: &str) -> Vec<&str> {
    const JOINTS: &[&str] = &[
        "; ",
        " while ",
        " whereas ",
        " but ",
        ", however",
        " on the other hand",
        " rather than ",
    ];
    let lower = sentence.to_ascii_lowercase();
    let mut cuts: Vec<usize> = Vec::new();
    for j in JOINTS {
        let mut from = 0;
        while let Some(p) = lower[from..].find(j) {
            let at = from + p;
            if at > 0 && sentence.is_char_boundary(at) {
                cuts.push(at);
            }
            from = at + j.len();
        }
    }
    // "While X, Y" at the very start: the comma ends the first clause.
    if lower.starts_with("while ") {
        if let Some(p) = sentence.find(", ") {
            cuts.push(p);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut start = 0;
    for c in cuts {
        if c > start {
            out.push(sentence[start..c].trim());
            start = c;
        }
    }
    out.push(sentence[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// Whether a line leads a list or heads a part: short without a final
/// full stop, or ending with a colon.
fn is_lead(line: &str) -> bool {
    let t = line.trim();
    let n = t.split_whitespace().count();
    t.ends_with(':') || (n <= 8 && !t.ends_with('.') && !t.ends_with('?') && !is_item(t))
}

/// Whether a line is a list item.
fn is_item(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with(['•', '–', '-', '*', '·', '▪', '◦'])
}

/// Attributes each clause of an article body to the role it is about.
pub fn attribute(body: &str) -> Vec<Unit> {
    let mut tok = FastTokenizer::new();
    let mut toks = Tokens::new();
    let mut units = Vec::new();
    let mut context: Option<Role> = None;
    let mut sentence_no = 0u32;
    for line in body.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        tok.tokenize(t, &mut toks);
        let line_mention = mention(&words_of(&toks));
        if is_lead(t) && !is_item(t) {
            // A heading or lead-in sets the context for what follows.
            context = match line_mention {
                Mention::One(r) => Some(r),
                Mention::Both | Mention::Nothing => None,
            };
            units.push(Unit {
                sentence: sentence_no,
                text: t.to_string(),
                role: context,
            });
            sentence_no += 1;
            continue;
        }
        let mut carry = context;
        for s in sentences(t.trim_start_matches(['•', '–', '-', '*', '·', '▪', '◦', ' ']))
        {
            let question = s.ends_with('?');
            for c in clauses(s) {
                tok.tokenize(c, &mut toks);
                match mention(&words_of(&toks)) {
                    Mention::One(r) => carry = Some(r),
                    Mention::Both => carry = None,
                    Mention::Nothing => {}
                }
                units.push(Unit {
                    sentence: sentence_no,
                    text: c.to_string(),
                    role: if question { None } else { carry },
                });
            }
            sentence_no += 1;
        }
    }
    units
}

/// Splits a clause into runs of stems: stop words skipped, role names,
/// numbers and punctuation ending a run.
pub(crate) struct StemRuns {
    tok: FastTokenizer,
    toks: Tokens,
    stemmer: rust_stemmers::Stemmer,
    skip: FxHashSet<String>,
    role_names: Vec<Vec<String>>,
}

impl StemRuns {
    pub(crate) fn new(lex: &Lexicon) -> Result<StemRuns> {
        let compiled = Compiled::new(lex)?;
        let mut skip = compiled.skip.clone();
        for m in JOINING_MARKS {
            skip.insert(m.to_string());
        }
        let mut role_names: Vec<Vec<String>> = lex
            .role_names
            .iter()
            .map(|n| phrase_stems(n, &compiled.skip, &compiled.exact))
            .filter(|s| !s.is_empty())
            .collect();
        role_names.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Ok(StemRuns {
            tok: FastTokenizer::new(),
            toks: Tokens::new(),
            stemmer: stemmer(),
            skip,
            role_names,
        })
    }

    /// The runs of (stem, surface word) of `text`.
    pub(crate) fn runs(&mut self, text: &str) -> Vec<Vec<(String, String)>> {
        self.tok.tokenize(text, &mut self.toks);
        let mut seq: Vec<Option<(String, String)>> = Vec::new();
        for (w, _, _) in self.toks.iter() {
            if self.skip.contains(w) {
                continue;
            }
            if !w.chars().any(|c| c.is_alphabetic()) {
                seq.push(None);
                continue;
            }
            seq.push(Some((stem(&self.stemmer, w).into_owned(), w.to_string())));
        }
        // Role names end runs and are not part of any phrase.
        let mut i = 0;
        while i < seq.len() {
            let mut hit = 0;
            for name in &self.role_names {
                let n = name.len();
                if i + n <= seq.len()
                    && name
                        .iter()
                        .zip(&seq[i..i + n])
                        .all(|(a, b)| b.as_ref().is_some_and(|(s, _)| s == a))
                {
                    hit = n;
                    break;
                }
            }
            if hit > 0 {
                for x in &mut seq[i..i + hit] {
                    *x = None;
                }
                i += hit;
            } else {
                i += 1;
            }
        }
        let mut runs = Vec::new();
        let mut cur = Vec::new();
        for x in seq {
            match x {
                Some(p) => cur.push(p),
                None => {
                    if !cur.is_empty() {
                        runs.push(std::mem::take(&mut cur));
                    }
                }
            }
        }
        if !cur.is_empty() {
            runs.push(cur);
        }
        runs
    }
}

/// The n-grams (1 to `max` words) of some runs: stems joined by spaces,
/// with the surface form of each.
pub(crate) fn ngrams(runs: &[Vec<(String, String)>], max: usize) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for run in runs {
        for i in 0..run.len() {
            for n in 1..=max.min(run.len() - i) {
                let g = &run[i..i + n];
                // Very short stems alone ("go", "qa") say little.
                if n == 1 && g[0].0.chars().count() < 3 {
                    continue;
                }
                let key = g
                    .iter()
                    .map(|(s, _)| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let surface = g
                    .iter()
                    .map(|(_, w)| w.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                out.entry(key).or_insert(surface);
            }
        }
    }
    out
}

/// Per-phrase counts by role, the input of the log-odds weighting.
#[derive(Debug, Default, Clone)]
pub(crate) struct Counts {
    /// Phrase -> [PM, PO, all] clause counts.
    pub(crate) by_phrase: BTreeMap<String, [u32; 3]>,
    pub(crate) surface: BTreeMap<String, String>,
    pub(crate) sources: BTreeMap<String, Vec<Source>>,
    /// Phrase -> in how many documents it was said of PM, of PO.
    pub(crate) docs: BTreeMap<String, [u32; 2]>,
    /// In how many documents a phrase must be said of its role (0: any).
    pub(crate) min_docs: u32,
}

impl Counts {
    pub(crate) fn add(
        &mut self,
        grams: &BTreeMap<String, String>,
        role: Option<Role>,
        source: impl Fn() -> Source,
    ) {
        for (g, surface) in grams {
            let c = self.by_phrase.entry(g.clone()).or_insert([0; 3]);
            c[2] += 1;
            if let Some(r) = role {
                c[r as usize] += 1;
                let s = self.sources.entry(g.clone()).or_default();
                if s.len() < 3 {
                    s.push(source());
                }
            }
            self.surface
                .entry(g.clone())
                .or_insert_with(|| surface.clone());
        }
    }
}

/// Log-odds with an informative Dirichlet prior: (delta, z) of PM over PO.
pub(crate) fn log_odds(
    y_pm: f64,
    y_po: f64,
    y_all: f64,
    n_pm: f64,
    n_po: f64,
    n_all: f64,
    alpha0: f64,
) -> (f64, f64) {
    // The corpus-frequency prior, plus a half count (Jeffreys) so that a
    // phrase never seen on one side of a small corpus is not taken as
    // impossible there.
    let a = alpha0 * y_all / n_all.max(1.0) + 0.5;
    let l_pm = ((y_pm + a) / (n_pm + alpha0 - y_pm - a).max(1e-9)).ln();
    let l_po = ((y_po + a) / (n_po + alpha0 - y_po - a).max(1e-9)).ln();
    let delta = l_pm - l_po;
    let var = 1.0 / (y_pm + a) + 1.0 / (y_po + a);
    (delta, delta / var.sqrt())
}

/// Rounds a weight for a tidy, stable file.
pub(crate) fn round4(x: f64) -> f32 {
    ((x * 10_000.0).round() / 10_000.0) as f32
}

/// Turns counts into weighted phrases.
pub(crate) fn weigh(counts: &Counts, cfg: &LearnConfig) -> Vec<Phrase> {
    let (mut n_pm, mut n_po, mut n_all) = (0.0, 0.0, 0.0);
    for c in counts.by_phrase.values() {
        n_pm += f64::from(c[0]);
        n_po += f64::from(c[1]);
        n_all += f64::from(c[2]);
    }
    let mut out = Vec::new();
    for (g, c) in &counts.by_phrase {
        if c[0] + c[1] == 0 {
            continue;
        }
        let (delta, z) = log_odds(
            f64::from(c[0]),
            f64::from(c[1]),
            f64::from(c[2]),
            n_pm,
            n_po,
            n_all,
            cfg.alpha0,
        );
        if z.abs() < cfg.min_z {
            continue;
        }
        // Most of a phrase's uses must be on its side, by the guide's own
        // two-thirds rule; a word both roles use alike is not evidence.
        let (major, minor) = (c[0].max(c[1]), c[0].min(c[1]));
        if 3 * minor > major {
            continue;
        }
        // A phrase needs at least two clauses of its role behind it.
        if major < 2 {
            continue;
        }
        let role = if delta > 0.0 { Role::Pm } else { Role::Po };
        let docs = counts.docs.get(g).map_or(0, |d| d[role as usize]);
        if docs < counts.min_docs {
            continue;
        }
        let sources = counts.sources.get(g).cloned().unwrap_or_default();
        out.push(Phrase {
            stems: g.clone(),
            example: counts.surface.get(g).cloned().unwrap_or_else(|| g.clone()),
            role,
            weight: round4(z.abs().min(cfg.max_weight)),
            counts: [c[0], c[1]],
            sources,
        });
    }
    out
}

/// Reads the articles of `dir` (all `.txt` and `.md` files, in name order).
pub fn read_articles(dir: &Path) -> Result<Vec<(String, String)>> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = BTreeSet::new();
    for entry in rd {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let p = entry.path();
        if matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "md")) {
            files.insert(p);
        }
    }
    if files.is_empty() {
        return Err(Error::config(format!(
            "{}: no article files (.txt or .md) found",
            dir.display()
        )));
    }
    let mut out = Vec::new();
    for p in files {
        let bytes = std::fs::read(&p).map_err(|e| Error::io(&p, e))?;
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push((name, String::from_utf8_lossy(&bytes).into_owned()));
    }
    Ok(out)
}

/// Learns a lexicon from articles given as (file name, raw text).
pub fn learn_articles(articles: &[(String, String)], cfg: &LearnConfig) -> Result<Lexicon> {
    let mut lex = Lexicon::empty();
    let mut runs = StemRuns::new(&lex)?;
    let mut counts = Counts {
        min_docs: cfg.min_articles.min(articles.len() as u32),
        ..Counts::default()
    };
    let mut n_units = [0usize; 3];
    for (file, raw) in articles {
        let body = article_body(raw);
        let mut said: [BTreeSet<String>; 2] = Default::default();
        for u in attribute(&body) {
            let grams = ngrams(&runs.runs(&u.text), cfg.max_words);
            n_units[u.role.map_or(2, |r| r as usize)] += 1;
            if let Some(r) = u.role {
                if (r as usize) < 2 {
                    said[r as usize].extend(grams.keys().cloned());
                }
            }
            counts.add(&grams, u.role, || Source::Article {
                file: file.clone(),
                sentence: u.sentence,
                text: u.text.clone(),
            });
        }
        for (r, grams) in said.iter().enumerate() {
            for g in grams {
                counts.docs.entry(g.clone()).or_insert([0; 2])[r] += 1;
            }
        }
    }
    lex.phrases = weigh(&counts, cfg);
    lex.sort();
    lex.provenance.push(format!(
        "articles: {} files; {} PM clauses, {} PO clauses, {} neutral; log-odds with informative Dirichlet prior (alpha0 {}), |z| >= {}, up to {} words, said of its role in {} or more articles; {} phrases",
        articles.len(),
        n_units[0],
        n_units[1],
        n_units[2],
        cfg.alpha0,
        cfg.min_z,
        cfg.max_words,
        counts.min_docs,
        lex.phrases.len()
    ));
    Ok(lex)
}

/// Reads the posting texts of a CSV export (text columns found by name and
/// joined), for use as unlabelled background.
pub fn read_texts(path: &Path) -> Result<Vec<String>> {
    let (header, mut rdr) = crate::input::open_csv(path)?;
    let cols = crate::input::Columns::pick(&header, None, &[], path)?;
    let mut out = Vec::new();
    for rec in rdr.byte_records() {
        let rec = rec.map_err(|e| Error::config(format!("{}: {e}", path.display())))?;
        let text: Vec<String> = cols
            .text
            .iter()
            .map(|&i| String::from_utf8_lossy(rec.get(i).unwrap_or(b"")).into_owned())
            .collect();
        out.push(text.join("\n\n"));
    }
    Ok(out)
}

/// Scales each phrase's weight by its specificity in unlabelled postings:
/// a phrase found in nearly every posting ("team", "develop") tells one
/// role from the other no better than chance, whatever the articles say.
/// The factor is ln(N / df) / ln(10), capped at 1: phrases in at most a
/// tenth of the postings keep their weight; one in all postings gets none.
/// Phrases left lighter than `min_weight` are dropped.
pub fn apply_specificity(lex: &mut Lexicon, texts: &[String], min_weight: f32) -> Result<()> {
    if texts.is_empty() {
        return Ok(());
    }
    let compiled = Compiled::new(lex)?;
    let mut df = vec![0u32; lex.phrases.len()];
    let mut tok = FastTokenizer::new();
    let mut toks = Tokens::new();
    let mut matcher = crate::matcher::Matcher::new();
    let mut found = Vec::new();
    let mut clean = String::new();
    let mut seen = BTreeSet::new();
    for t in texts {
        crate::clean::clean_into(t, &mut clean);
        tok.tokenize(&clean, &mut toks);
        matcher.find(&compiled, &toks, &mut found);
        seen.clear();
        seen.extend(found.iter().map(|m| m.phrase));
        for &p in &seen {
            df[p as usize] += 1;
        }
    }
    let n = texts.len() as f64;
    for (p, &d) in lex.phrases.iter_mut().zip(&df) {
        let factor = ((n / f64::from(d.max(1))).ln() / 10f64.ln()).min(1.0);
        p.weight = round4(f64::from(p.weight) * factor);
    }
    let before = lex.phrases.len();
    lex.phrases.retain(|p| p.weight >= min_weight);
    lex.sort();
    lex.provenance.push(format!(
        "specificity: weights scaled by min(1, ln(N/df)/ln 10) over {} unlabelled postings; {} phrases below {} dropped",
        texts.len(),
        before - lex.phrases.len(),
        min_weight
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_in_every_posting_lose_their_weight() {
        let article = "The product manager owns the roadmap with the team.\nThe product manager sets the roadmap for the team.\nThe product owner orders the backlog.\nThe product owner refines the backlog.\n";
        let mut lex = learn_articles(
            &[("a.txt".to_string(), article.to_string())],
            &LearnConfig {
                min_z: 0.0,
                ..LearnConfig::default()
            },
        )
        .unwrap();
        assert!(lex.phrases.iter().any(|p| p.stems == "team"));
        let mut texts: Vec<String> = (0..20)
            .map(|i| format!("Work with the team on item {i}."))
            .collect();
        texts.push("Own the roadmap.".to_string());
        apply_specificity(&mut lex, &texts, 0.05).unwrap();
        assert!(
            lex.phrases.iter().all(|p| p.stems != "team"),
            "a word of every posting kept weight"
        );
        assert!(lex.phrases.iter().any(|p| p.stems == "roadmap"));
    }

    #[test]
    fn a_phrase_of_one_article_only_is_not_learned() {
        let a = "The product manager owns the roadmap and the zebra plan.\n\
            The product manager sets the roadmap and the zebra plan.\n\
            The product owner orders the backlog.\n\
            The product owner refines the backlog.\n";
        let b = "The product manager shapes the roadmap.\n\
            The product manager explains the roadmap.\n\
            The product owner grooms the backlog.\n\
            The product owner splits the backlog.\n";
        let cfg = LearnConfig {
            min_z: 0.0,
            ..LearnConfig::default()
        };
        let two = [
            ("a.txt".to_string(), a.to_string()),
            ("b.txt".to_string(), b.to_string()),
        ];
        let lex = learn_articles(&two, &cfg).unwrap();
        let has = |l: &Lexicon, s: &str| l.phrases.iter().any(|p| p.stems == s);
        assert!(has(&lex, "roadmap") && has(&lex, "backlog"));
        assert!(!has(&lex, "zebra"), "one article's word learned");
        // With one article, its own words are all there is to learn from.
        let one = learn_articles(&two[..1], &cfg).unwrap();
        assert!(has(&one, "zebra"));
    }

    #[test]
    fn body_ends_at_comments_and_drops_furniture() {
        let raw = "Title\n@00:00 - Intro\n#pm #po #career\nThe product owner manages the backlog.\nComments\nGreat post! The product manager owns pricing.\n";
        let body = article_body(raw);
        assert_eq!(body, "Title\nThe product owner manages the backlog.\n");
    }

    #[test]
    fn nothing_is_learned_from_comments_or_related_posts() {
        let article = "Product Manager vs Product Owner\n\
            The product manager owns the roadmap and market research.\n\
            The product manager sets the roadmap after market research.\n\
            The product owner manages the backlog and writes user stories.\n\
            The product owner orders the backlog and refines user stories.\n\
            Comments\n\
            The product manager should do zebra pricing zebra pricing.\n\
            Popular posts from this blog\n\
            The product owner runs the zebra workshop.\n";
        let lex = learn_articles(
            &[("a.txt".to_string(), article.to_string())],
            &LearnConfig {
                min_z: 0.0,
                ..LearnConfig::default()
            },
        )
        .unwrap();
        assert!(!lex.phrases.is_empty());
        assert!(
            lex.phrases.iter().all(|p| !p.stems.contains("zebra")),
            "learned from the comments"
        );
        for p in &lex.phrases {
            for s in &p.sources {
                if let Source::Article { text, .. } = s {
                    assert!(!text.contains("zebra"), "{text}");
                }
            }
        }
    }

    #[test]
    fn clauses_are_attributed_by_first_role_then_context() {
        let body = "Product owner focus on:\n• Sprint planning\nThe product manager owns the vision, while the product owner manages the backlog. They write stories.\nProduct managers and product owners share a goal.\nWhat does a PM do?\n";
        let units = attribute(body);
        let got: Vec<(&str, Option<Role>)> =
            units.iter().map(|u| (u.text.as_str(), u.role)).collect();
        assert_eq!(
            got,
            vec![
                ("Product owner focus on:", Some(Role::Po)),
                ("Sprint planning", Some(Role::Po)),
                ("The product manager owns the vision,", Some(Role::Pm)),
                (
                    "while the product owner manages the backlog.",
                    Some(Role::Po)
                ),
                ("They write stories.", Some(Role::Po)),
                ("Product managers and product owners share a goal.", None),
                ("What does a PM do?", None),
            ]
        );
    }

    #[test]
    fn weights_lean_the_right_way() {
        let article = "The product manager owns the roadmap.\nThe product manager sets the roadmap and pricing.\nThe product manager plans the roadmap.\nThe product owner grooms the backlog.\nThe product owner orders the backlog.\nThe product owner refines the backlog.\n";
        let lex = learn_articles(
            &[("a.txt".to_string(), article.to_string())],
            &LearnConfig::default(),
        )
        .unwrap();
        let get = |s: &str| lex.phrases.iter().find(|p| p.stems == s).map(|p| p.role);
        assert_eq!(get("roadmap"), Some(Role::Pm));
        assert_eq!(get("backlog"), Some(Role::Po));
        assert!(lex
            .phrases
            .iter()
            .all(|p| !p.stems.contains("manag") && !p.stems.contains("owner")));
    }

    #[test]
    fn learning_is_deterministic() {
        let arts = vec![
            (
                "b.txt".to_string(),
                "The product owner orders the backlog.\nThe product manager owns the roadmap.\n"
                    .to_string(),
            ),
            (
                "a.txt".to_string(),
                "The product manager runs market research.\n".to_string(),
            ),
        ];
        let a = learn_articles(&arts, &LearnConfig::default())
            .unwrap()
            .to_json();
        let b = learn_articles(&arts, &LearnConfig::default())
            .unwrap()
            .to_json();
        assert_eq!(a, b);
    }
}
