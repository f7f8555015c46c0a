//! The lexicon: weighted responsibility phrases, each traceable to where it
//! was learned.
//!
//! In: `lexicon.json` (or a [`Lexicon`] built by [`crate::learn`]). Out: the
//! same, plus [`Compiled`] tables that the matcher looks phrases up in.
//! Guarantees: the file is self-describing (`format`, `version`) and checked
//! on load; saving then loading gives back an equal lexicon; phrases are kept
//! in a canonical order so that the same lexicon always saves to the same
//! bytes.

use std::fmt;
use std::path::Path;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::tokenize::{FastTokenizer, Tokens};
use crate::{Error, Result};

/// The `format` tag of a lexicon file.
pub const LEXICON_FORMAT: &str = "pmpo-lexicon";
/// The lexicon file version this build reads and writes.
pub const LEXICON_VERSION: u32 = 1;
/// The longest phrase, in content words.
pub const MAX_PHRASE_WORDS: usize = 4;

/// Which role a phrase is evidence for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Product Manager duties: strategy, vision, roadmap, market, customers.
    Pm,
    /// Product Owner duties: backlog, user stories, sprints, the team.
    Po,
    /// Duties of a neighbouring role (project or programme management of
    /// schedules and budgets, Scrum facilitation, engineering, sales): evidence
    /// that the posting is neither a PM's nor a PO's.
    Other,
}

impl Role {
    /// "pm" or "po".
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Pm => "pm",
            Role::Po => "po",
            Role::Other => "other",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a phrase was learned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A sentence of a source article.
    Article {
        /// The article's file name.
        file: String,
        /// 0-based sentence number within the article's body.
        sentence: u32,
        /// The sentence (or clause) itself.
        text: String,
    },
    /// A round of adaptation on unlabelled postings.
    Adapt {
        /// 1-based round number.
        round: u32,
        /// How many confidently labelled postings used the phrase.
        support: u32,
    },
    /// A person's decision in the overrides file.
    Override {
        /// The reason the person gave.
        reason: String,
    },
    /// Weight fitted to gold-labelled postings (see [`crate::fit`]).
    Fit {
        /// How many gold postings the phrase was found in.
        support: u32,
        /// The weight before the fit (from the articles or an override),
        /// towards which the fit pulled.
        prior: f32,
        /// The fitted weight.
        fitted: f32,
    },
}

/// One weighted phrase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phrase {
    /// The phrase as stems, space-separated (stop words left out).
    pub stems: String,
    /// A surface form it was seen in, for people to read.
    pub example: String,
    /// The role it is evidence for.
    pub role: Role,
    /// Its evidence weight (> 0), in log-odds units.
    pub weight: f32,
    /// Sentence counts (PM, PO) it was learned from.
    pub counts: [u32; 2],
    /// Where it was learned, most important first.
    pub sources: Vec<Source>,
}

impl Phrase {
    /// The weight before a fit to gold labels, when there was one.
    fn fitted_prior(&self) -> Option<f32> {
        self.sources.iter().find_map(|s| match s {
            Source::Fit { prior, .. } => Some(*prior),
            _ => None,
        })
    }
}

/// A lexicon: the phrases plus the word lists that shape matching.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lexicon {
    /// Always [`LEXICON_FORMAT`].
    pub format: String,
    /// The file version, [`LEXICON_VERSION`].
    pub version: u32,
    /// The stemmer applied to every word: "snowball-english".
    pub stemmer: String,
    /// How the lexicon was made, in one line per step.
    pub provenance: Vec<String>,
    /// Words skipped between the words of a phrase (normalised forms).
    pub stop_words: Vec<String>,
    /// Role names: matched so that they are never counted as evidence.
    pub role_names: Vec<String>,
    /// The weighted phrases, sorted by role, then weight (descending), then stems.
    pub phrases: Vec<Phrase>,
    /// Languages the phrases cover (ISO 639-1); texts in others get
    /// honestly uncertain labels.
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    /// Stems a person removed: never learned again, by any step.
    #[serde(default)]
    pub blocked: Vec<String>,
    /// Word forms matched only as themselves, never through their stem
    /// (normalised, sorted): "marketing" is no form of "market",
    /// "competitive" (salary) none of "competition". In phrase keys such a
    /// word is written `=word`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exact: Vec<String>,
}

impl Lexicon {
    /// Each phrase's weight before any fit to gold labels: the prior a new
    /// fit pulls towards.
    pub fn prior_weights(&self) -> Vec<f32> {
        self.phrases
            .iter()
            .map(|p| p.fitted_prior().unwrap_or(p.weight))
            .collect()
    }

    /// Whether any phrase's weight was fitted to gold labels.
    pub fn is_fitted(&self) -> bool {
        self.phrases.iter().any(|p| p.fitted_prior().is_some())
    }

    /// Sets fitted weights (indexed by phrase, as [`Lexicon::phrases`]
    /// stands), recording each phrase's support and prior weight; a
    /// phrase's earlier fit record is replaced. Re-sorts the phrases.
    pub fn set_fitted(&mut self, weights: &[f32], support: &[u32]) {
        let prior = self.prior_weights();
        for (i, p) in self.phrases.iter_mut().enumerate() {
            let (Some(&w), Some(&pr)) = (weights.get(i), prior.get(i)) else {
                continue;
            };
            let w = (w * 1000.0).round() / 1000.0;
            p.sources.retain(|s| !matches!(s, Source::Fit { .. }));
            p.sources.insert(
                0,
                Source::Fit {
                    support: support.get(i).copied().unwrap_or(0),
                    prior: pr,
                    fitted: w,
                },
            );
            p.weight = w;
        }
        self.sort();
    }

    /// An empty lexicon with pmpo's built-in stop words and role names.
    pub fn empty() -> Lexicon {
        Lexicon {
            format: LEXICON_FORMAT.to_string(),
            version: LEXICON_VERSION,
            stemmer: "snowball-english".to_string(),
            provenance: Vec::new(),
            stop_words: STOP_WORDS.iter().map(|s| s.to_string()).collect(),
            role_names: ROLE_NAMES.iter().map(|s| s.to_string()).collect(),
            phrases: Vec::new(),
            languages: default_languages(),
            blocked: Vec::new(),
            exact: Vec::new(),
        }
    }

    /// Puts the phrases in canonical order.
    pub fn sort(&mut self) {
        self.phrases.sort_by(|a, b| {
            a.role
                .cmp(&b.role)
                .then(b.weight.total_cmp(&a.weight))
                .then(a.stems.cmp(&b.stems))
        });
    }

    /// Parses a lexicon from JSON, checking format and version; `path` names
    /// the file in errors.
    pub fn from_json(json: &str, path: &Path) -> Result<Lexicon> {
        let head: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| Error::model(path, format!("not valid JSON: {e}")))?;
        check_header(&head, path, LEXICON_FORMAT, LEXICON_VERSION)?;
        let lex: Lexicon = serde_json::from_value(head)
            .map_err(|e| Error::model(path, format!("not a valid lexicon: {e}")))?;
        if lex.stemmer != "snowball-english" {
            return Err(Error::model(
                path,
                format!("unknown stemmer {:?}", lex.stemmer),
            ));
        }
        for p in &lex.phrases {
            if !(p.weight.is_finite() && p.weight > 0.0) {
                return Err(Error::model(
                    path,
                    format!("phrase {:?} has a weight that is not positive", p.stems),
                ));
            }
        }
        Ok(lex)
    }

    /// The lexicon as pretty JSON, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// The languages pmpo's lexicons have phrases for: English from the
/// articles, German, French, Chinese, Spanish and Dutch from the overrides' renderings.
fn default_languages() -> Vec<String> {
    ["en", "de", "fr", "zh", "es", "nl"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// One line of an overrides file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct OverrideLine {
    action: String,
    role: String,
    weight: String,
    phrase: String,
    reason: String,
}

impl Lexicon {
    /// Applies a person's overrides: lines `action | role | weight | phrase |
    /// reason`, `#` starting a comment. `add` adds a phrase or replaces the
    /// role and weight of the phrase with the same stems; `remove` drops it
    /// (role and weight are `-`). Every change is recorded in the phrase's
    /// sources, and the count of changes in the provenance. Errors name the
    /// file, the line and the field.
    pub fn apply_overrides(&mut self, text: &str, path: &Path) -> Result<()> {
        self.apply_exact(text, path)?;
        let compiled = Compiled::new(self)?;
        let mut rdr = overrides_reader(text, false);
        let (mut added, mut changed, mut removed) = (0, 0, 0);
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                Error::model(path, format!("line {line}: {e}"))
            })?;
            let line = rec.position().map_or(0, |p| p.line());
            let bad = |field: &str, msg: String| {
                Error::model(path, format!("line {line}: field `{field}`: {msg}"))
            };
            let o: OverrideLine = rec.deserialize(None).map_err(|e| {
                Error::model(
                    path,
                    format!(
                        "line {line}: expected `action | role | weight | phrase | reason`: {e}"
                    ),
                )
            })?;
            if o.action == "exact" {
                continue;
            }
            let stems = phrase_stems(&o.phrase, &compiled.skip, &compiled.exact).join(" ");
            if stems.is_empty() || stems.split(' ').count() > MAX_PHRASE_WORDS {
                return Err(bad(
                    "phrase",
                    format!(
                        "{:?} must have 1 to {MAX_PHRASE_WORDS} content words",
                        o.phrase
                    ),
                ));
            }
            if o.reason.is_empty() {
                return Err(bad("reason", "every override needs a reason".to_string()));
            }
            let existing = self.phrases.iter().position(|p| p.stems == stems);
            match o.action.as_str() {
                "remove" => {
                    if let Some(i) = existing {
                        self.phrases.remove(i);
                        removed += 1;
                    }
                    if !self.blocked.contains(&stems) {
                        self.blocked.push(stems);
                    }
                }
                "add" => {
                    let role = match o.role.as_str() {
                        "pm" => Role::Pm,
                        "po" => Role::Po,
                        "other" => Role::Other,
                        r => return Err(bad("role", format!("{r:?} is not pm, po or other"))),
                    };
                    let weight: f32 = o
                        .weight
                        .parse()
                        .ok()
                        .filter(|w: &f32| w.is_finite() && *w > 0.0)
                        .ok_or_else(|| {
                            bad("weight", format!("{:?} is not a positive number", o.weight))
                        })?;
                    let source = Source::Override {
                        reason: o.reason.clone(),
                    };
                    match existing {
                        Some(i) => {
                            let p = &mut self.phrases[i];
                            p.role = role;
                            p.weight = weight;
                            p.sources.insert(0, source);
                            changed += 1;
                        }
                        None => {
                            self.phrases.push(Phrase {
                                stems,
                                example: o.phrase.to_lowercase(),
                                role,
                                weight,
                                counts: [0, 0],
                                sources: vec![source],
                            });
                            added += 1;
                        }
                    }
                }
                a => return Err(bad("action", format!("{a:?} is not add, remove or exact"))),
            }
        }
        self.sort();
        self.blocked.sort();
        self.provenance.push(format!(
            "overrides ({}): {added} added, {changed} reweighted, {removed} removed",
            path.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        Ok(())
    }
}

impl Lexicon {
    /// The `exact` lines of an overrides file (`exact | - | - | word |
    /// reason`): each word is matched only as itself from then on, and every
    /// phrase is keyed again from its example, so that a phrase written with
    /// the word ("promotional") keeps it and phrases that only shared its
    /// stem ("promote") part from it.
    fn apply_exact(&mut self, text: &str, path: &Path) -> Result<()> {
        let mut rdr = overrides_reader(text, true);
        let mut words = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                Error::model(path, format!("line {line}: {e}"))
            })?;
            if rec.get(0) != Some("exact") {
                continue;
            }
            let line = rec.position().map_or(0, |p| p.line());
            let phrase = rec.get(3).unwrap_or("");
            let word = normalised_word(phrase).ok_or_else(|| {
                Error::model(
                    path,
                    format!("line {line}: field `phrase`: {phrase:?} must be one word"),
                )
            })?;
            if rec.get(4).is_none_or(str::is_empty) {
                return Err(Error::model(
                    path,
                    format!("line {line}: field `reason`: every override needs a reason"),
                ));
            }
            words.push(word);
        }
        if words.is_empty() {
            return Ok(());
        }
        self.exact.extend(words);
        self.exact.sort();
        self.exact.dedup();
        let compiled = Compiled::new(self)?;
        let mut seen: std::collections::BTreeMap<String, String> = Default::default();
        for p in &mut self.phrases {
            let stems = phrase_stems(&p.example, &compiled.skip, &compiled.exact).join(" ");
            if !stems.is_empty() {
                p.stems = stems;
            }
            if let Some(other) = seen.insert(p.stems.clone(), p.example.clone()) {
                return Err(Error::model(
                    path,
                    format!(
                        "the exact words make {:?} and {other:?} the same phrase; remove one",
                        p.example
                    ),
                ));
            }
        }
        self.sort();
        self.provenance.push(format!(
            "overrides ({}): {} words matched only as themselves",
            path.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            self.exact.len()
        ));
        Ok(())
    }
}

/// A reader of an overrides file's lines (`|`-separated, `#` comments,
/// fields trimmed); `flexible` lets lines of any field count through.
fn overrides_reader(text: &str, flexible: bool) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(b'|')
        .comment(Some(b'#'))
        .has_headers(false)
        .flexible(flexible)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
}

/// Checks a model file's `format` and `version` fields.
pub(crate) fn check_header(
    v: &serde_json::Value,
    path: &Path,
    format: &str,
    version: u32,
) -> Result<()> {
    match v.get("format").and_then(|f| f.as_str()) {
        Some(f) if f == format => {}
        Some(f) => {
            return Err(Error::model(
                path,
                format!("format is {f:?}, expected {format:?}"),
            ))
        }
        None => return Err(Error::model(path, "no \"format\" field")),
    }
    match v.get("version").and_then(|f| f.as_u64()) {
        Some(n) if n == version as u64 => Ok(()),
        Some(n) => Err(Error::model(
            path,
            format!("version {n} is not supported (this pmpo reads version {version})"),
        )),
        None => Err(Error::model(path, "no \"version\" field")),
    }
}

/// What a word means to the matcher.
pub(crate) const CODE_BREAK: u16 = 0;
pub(crate) const CODE_SKIP: u16 = 1;

/// What a phrase-table entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A weighted phrase: its index in [`Lexicon::phrases`].
    Phrase(u32),
    /// A role name: matched, then ignored.
    RoleName,
}

/// Lookup tables compiled from a lexicon.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// Stem to word code (codes start at 2).
    pub(crate) vocab: FxHashMap<String, u16>,
    /// Normalised stop words and joining marks: skipped inside phrases.
    pub(crate) skip: rustc_hash::FxHashSet<String>,
    /// Packed word codes of a phrase to its entry.
    pub(crate) table: FxHashMap<u64, Entry>,
    /// Words matched only as themselves (see [`Lexicon::exact`]).
    pub(crate) exact: rustc_hash::FxHashSet<String>,
}

/// Packs up to [`MAX_PHRASE_WORDS`] word codes into one key.
#[inline]
pub(crate) fn pack(codes: &[u16]) -> u64 {
    codes.iter().fold(0u64, |k, &c| (k << 16) | u64::from(c))
}

/// Stems a normalised word with the lexicon's stemmer.
pub fn stem<'a>(stemmer: &Stemmer, word: &'a str) -> std::borrow::Cow<'a, str> {
    stemmer.stem(word)
}

/// The stemmer all lexicons use.
pub fn stemmer() -> Stemmer {
    Stemmer::create(Algorithm::English)
}

/// The key of a normalised word: its stem, or `=word` for a word matched
/// only as itself.
pub fn word_key<'a>(
    stemmer: &Stemmer,
    exact: &rustc_hash::FxHashSet<String>,
    word: &'a str,
) -> std::borrow::Cow<'a, str> {
    if exact.contains(word) {
        std::borrow::Cow::Owned(format!("={word}"))
    } else {
        stem(stemmer, word)
    }
}

/// Splits a phrase written by a person into normalised, stemmed content
/// words (stop words and punctuation dropped; words of `exact` kept as
/// `=word`): the key a phrase is stored and looked up under.
pub fn phrase_stems(
    text: &str,
    stop: &rustc_hash::FxHashSet<String>,
    exact: &rustc_hash::FxHashSet<String>,
) -> Vec<String> {
    let mut tok = FastTokenizer::new();
    let mut toks = Tokens::new();
    tok.tokenize(text, &mut toks);
    let st = stemmer();
    toks.iter()
        .filter(|(w, _, _)| !stop.contains(*w) && w.chars().any(|c| c.is_alphanumeric()))
        .map(|(w, _, _)| word_key(&st, exact, w).into_owned())
        .collect()
}

/// The normalised form of a single word as the tokenizer gives it; None
/// when `text` is not one word.
fn normalised_word(text: &str) -> Option<String> {
    let mut tok = FastTokenizer::new();
    let mut toks = Tokens::new();
    tok.tokenize(text, &mut toks);
    let words: Vec<String> = toks.iter().map(|(w, _, _)| w.to_string()).collect();
    match words.as_slice() {
        [w] if w.chars().any(char::is_alphabetic) => Some(w.clone()),
        _ => None,
    }
}

impl Compiled {
    /// Builds the tables; fails when the vocabulary outgrows the word codes.
    pub fn new(lex: &Lexicon) -> Result<Compiled> {
        let mut skip: rustc_hash::FxHashSet<String> = lex.stop_words.iter().cloned().collect();
        for mark in JOINING_MARKS {
            skip.insert(mark.to_string());
        }
        let mut vocab: FxHashMap<String, u16> = FxHashMap::default();
        let mut table = FxHashMap::default();
        let mut add = |stems: &[String], entry: Entry| -> Result<()> {
            if stems.is_empty() || stems.len() > MAX_PHRASE_WORDS {
                return Ok(());
            }
            let mut codes = Vec::with_capacity(stems.len());
            for s in stems {
                let next = vocab.len() + 2;
                if next > u16::MAX as usize {
                    return Err(Error::config(
                        "the lexicon has more than 65533 distinct stems",
                    ));
                }
                let code = *vocab.entry(s.clone()).or_insert(next as u16);
                codes.push(code);
            }
            let key = pack(&codes);
            // A role name always wins over a phrase with the same words.
            match (table.get(&key), entry) {
                (Some(Entry::RoleName), _) => {}
                (Some(Entry::Phrase(_)), Entry::Phrase(_)) => {}
                _ => {
                    table.insert(key, entry);
                }
            }
            Ok(())
        };
        let exact: rustc_hash::FxHashSet<String> = lex.exact.iter().cloned().collect();
        for name in &lex.role_names {
            add(&phrase_stems(name, &skip, &exact), Entry::RoleName)?;
        }
        for (i, p) in lex.phrases.iter().enumerate() {
            let stems: Vec<String> = p.stems.split(' ').map(str::to_string).collect();
            add(&stems, Entry::Phrase(i as u32))?;
        }
        Ok(Compiled {
            vocab,
            skip,
            table,
            exact,
        })
    }

    /// The code of a normalised word: a stem code, skip, or break.
    pub(crate) fn code(&self, stemmer: &Stemmer, word: &str) -> u16 {
        if self.skip.contains(word) {
            return CODE_SKIP;
        }
        if !word.chars().any(|c| c.is_alphabetic()) {
            return CODE_BREAK;
        }
        let s = word_key(stemmer, &self.exact, word);
        self.vocab.get(s.as_ref()).copied().unwrap_or(CODE_BREAK)
    }
}

/// Marks that join the words of a phrase rather than separate them
/// ("go-to-market", "P&L", "PM/PO", "team's").
pub const JOINING_MARKS: &[&str] = &["-", "/", "&", "'", "’", "‐", "–"];

/// Role names: in a posting's body they name a role, they do not describe
/// its duties, so they are matched and ignored.
pub const ROLE_NAMES: &[&str] = &[
    "product manager",
    "product managers",
    "product management",
    "product owner",
    "product owners",
    "product ownership",
    "proxy product owner",
    "product lead",
    "head of product",
    "chief product officer",
    "product person",
    "pm",
    "pms",
    "apm",
    "po",
    "pos",
    "popm",
    "cpo",
    "scrum master",
    "agile coach",
    "project manager",
    "program manager",
    "programme manager",
    "business analyst",
    "produktmanager",
    "produktmanagerin",
    "produktmanagement",
    "produktverantwortlicher",
    "produktverantwortliche",
    "produkt owner",
    "chef de produit",
    "cheffe de produit",
    "chef de projet",
    "responsable produit",
    "responsable de produit",
    "gestionnaire de produit",
    "gestionnaire de produits",
    "gerente de produto",
    "dono do produto",
    "projektleiter",
    "projektmanager",
    "产品经理",
    "产品总监",
    "产品负责人",
    "项目经理",
];

/// Stop words of English, German and French (normalised: lower case, no
/// accents). They carry no duty and are skipped inside phrases.
pub const STOP_WORDS: &[&str] = &[
    // English.
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as",
    "into", "onto", "over", "about", "across", "within", "between", "through", "that", "this",
    "these", "those", "which", "who", "whom", "whose", "what", "it", "its", "they", "them",
    "their", "theirs", "we", "us", "our", "ours", "you", "your", "yours", "he", "she", "his",
    "her", "i", "me", "my", "is", "are", "was", "were", "be", "been", "being", "am", "will",
    "would", "shall", "should", "can", "could", "may", "might", "must", "do", "does", "did",
    "have", "has", "had", "so", "such", "also", "both", "each", "all", "any", "some", "other",
    "than", "then", "there", "here", "very", "more", "most", "s", "t", "ll", "re", "ve", "d", "m",
    "etc", "ie", "eg", "e", "g", "not", "no", "if", "when", "while", "how", "why", "where", "just",
    "like", "well", "few", "lot", "lots", "many", "much", "really", "thing", "things", "way",
    "ways", "get", "gets", "getting", "got", "make", "makes", "making", "sure", "look", "looking",
    "general", "sense", "use", "used", "using", "one", "two", "new", "able", "based", "within",
    "per", "via", "around", "up", "out", "off", "down", "only", "even", "still", "often",
    "usually", "always", "every", "yes", "lol", "umm", "okay", "hello", "thanks", "thank", "great",
    "good", "best", // German.
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
    "und", "oder", "mit", "fur", "von", "zu", "zur", "zum", "im", "ins", "auf", "aus", "bei",
    "als", "wie", "du", "sie", "wir", "ihr", "ihre", "ihren", "dein", "deine", "deinen", "unser",
    "unsere", "unseren", "ist", "sind", "bist", "wird", "werden", "hast", "hat", "haben", "sich",
    "dich", "dir", "uns", "auch", "sowie", // French.
    "le", "la", "les", "l", "un", "une", "des", "du", "de", "et", "ou", "a", "au", "aux", "en",
    "dans", "par", "pour", "sur", "avec", "vous", "votre", "vos", "nous", "notre", "nos", "il",
    "elle", "ils", "elles", "est", "sont", "qui", "que", "qu", "ce", "cette", "ces", "son", "sa",
    "ses", "leur", "leurs", "se", "d", "n", "ne", "pas",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Lexicon {
        let mut lex = Lexicon::empty();
        lex.phrases.push(Phrase {
            stems: "product backlog".into(),
            example: "product backlog".into(),
            role: Role::Po,
            weight: 1.5,
            counts: [0, 3],
            sources: vec![Source::Article {
                file: "a.txt".into(),
                sentence: 2,
                text: "The product owner manages the product backlog.".into(),
            }],
        });
        lex.phrases.push(Phrase {
            stems: "roadmap".into(),
            example: "roadmap".into(),
            role: Role::Pm,
            weight: 2.0,
            counts: [4, 0],
            sources: vec![Source::Adapt {
                round: 1,
                support: 12,
            }],
        });
        lex.sort();
        lex
    }

    #[test]
    fn json_round_trip_is_exact() {
        let lex = sample();
        let json = lex.to_json();
        let back = Lexicon::from_json(&json, Path::new("lexicon.json")).unwrap();
        assert_eq!(back, lex);
        assert_eq!(back.to_json(), json);
    }

    #[test]
    fn wrong_format_or_version_is_named() {
        let json = sample()
            .to_json()
            .replace("\"version\": 1", "\"version\": 99");
        let err = Lexicon::from_json(&json, Path::new("m/lexicon.json")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "m/lexicon.json: version 99 is not supported (this pmpo reads version 1)"
        );
        let err = Lexicon::from_json("{\"format\":\"x\"}", Path::new("l.json")).unwrap_err();
        assert!(err.to_string().contains("format is \"x\""), "{err}");
        let err = Lexicon::from_json("not json", Path::new("l.json")).unwrap_err();
        assert!(
            err.to_string().starts_with("l.json: not valid JSON"),
            "{err}"
        );
    }

    #[test]
    fn role_names_win_over_phrases() {
        let mut lex = sample();
        lex.phrases.push(Phrase {
            stems: "product owner".into(),
            example: "product owner".into(),
            role: Role::Po,
            weight: 3.0,
            counts: [0, 1],
            sources: vec![],
        });
        let c = Compiled::new(&lex).unwrap();
        let st = stemmer();
        let key = pack(&[c.code(&st, "product"), c.code(&st, "owner")]);
        assert_eq!(c.table.get(&key), Some(&Entry::RoleName));
    }

    #[test]
    fn overrides_add_reweight_and_remove_with_their_reason() {
        let mut lex = sample();
        let text = "# a comment\n\
            add | pm | 2.5 | Go-to-market | guide: launches are PM duties\n\
            add | other | 1 | project schedule | guide: project managers own schedules\n\
            add | po | 0.5 | Roadmaps | test: reweighting keeps one entry\n\
            remove | - | - | product backlog | test\n";
        lex.apply_overrides(text, Path::new("o.txt")).unwrap();
        let get = |s: &str| lex.phrases.iter().find(|p| p.stems == s);
        assert_eq!(
            get("go market").map(|p| (p.role, p.weight)),
            Some((Role::Pm, 2.5))
        );
        assert_eq!(get("project schedul").map(|p| p.role), Some(Role::Other));
        let r = get("roadmap").unwrap();
        assert_eq!((r.role, r.weight, r.sources.len()), (Role::Po, 0.5, 2));
        assert!(get("product backlog").is_none());
        assert!(lex
            .provenance
            .last()
            .unwrap()
            .contains("2 added, 1 reweighted, 1 removed"));
    }

    #[test]
    fn bad_override_lines_name_line_and_field() {
        let mut lex = sample();
        let err = lex
            .apply_overrides(
                "add | pm | 1 | pricing | ok\nadd | boss | 1 | x | y\n",
                Path::new("o.txt"),
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "o.txt: line 2: field `role`: \"boss\" is not pm, po or other"
        );
        let err = lex
            .apply_overrides("add | pm | -1 | pricing | r\n", Path::new("o.txt"))
            .unwrap_err();
        assert!(err.to_string().contains("line 1: field `weight`"), "{err}");
        let err = lex
            .apply_overrides("add | pm | 1 | pricing\n", Path::new("o.txt"))
            .unwrap_err();
        assert!(err.to_string().contains("line 1: expected"), "{err}");
    }

    #[test]
    fn phrase_stems_drop_stop_words_and_stem() {
        let c = Compiled::new(&Lexicon::empty()).unwrap();
        assert_eq!(
            phrase_stems("Owning the Product Roadmaps", &c.skip, &c.exact),
            vec!["own", "product", "roadmap"]
        );
    }
}

#[cfg(test)]
mod exact_tests {
    use super::*;
    use proptest::prelude::*;

    /// Benefit and company wording that shares a stem with a duty phrase:
    /// none of it is evidence of a role's duties.
    const BENEFIT_AND_COMPANY: &[&str] = &[
        "We offer a competitive salary and competitive pay.",
        "A competitive compensation package with bonus.",
        "Join our marketing team in the marketing department.",
        "We promote equality and diversity at work.",
        "Promotion opportunities and internal promotions.",
        "Business agility is part of our culture.",
        "A refined office space in the city centre.",
        "You will sit with world-class researchers.",
        "A positive work environment; this position is full time.",
        "We are an equal opportunity employer.",
        "Health insurance, pension plan and paid time off.",
        "Flexible working, stock options and a learning budget.",
        "Parental leave and a gym membership.",
        "Founded in 2010, we are growing fast.",
    ];

    /// The phrases the embedded model finds in `text`.
    fn hits(text: &str) -> Vec<String> {
        let model = crate::Model::embedded().unwrap();
        let mut lab = crate::engine::Labeller::new();
        let l = lab.label(&model, "", [text]);
        l.evidence
            .iter()
            .map(|e| l.text[e.start as usize..e.end as usize].to_string())
            .collect()
    }

    #[test]
    fn no_phrase_of_the_model_matches_benefit_or_company_words() {
        for text in BENEFIT_AND_COMPANY {
            assert_eq!(hits(text), Vec::<String>::new(), "{text:?}");
        }
    }

    #[test]
    fn an_exact_word_parts_from_its_stem_but_keeps_its_phrases() {
        let mut lex = Lexicon::empty();
        let add = "add | pm | 1 | market | test\n\
                   add | pm | 1 | competitive analysis | test\n\
                   add | other | 1 | promotional | test\n";
        lex.apply_overrides(add, Path::new("o.txt")).unwrap();
        let before = Compiled::new(&lex).unwrap();
        let st = stemmer();
        // Without exact words, "marketing" and "market" share a code.
        assert_eq!(before.code(&st, "marketing"), before.code(&st, "market"));
        let exact = "exact | - | - | marketing | test\n\
                     exact | - | - | competitive | test\n\
                     exact | - | - | promotional | test\n";
        lex.apply_overrides(exact, Path::new("o.txt")).unwrap();
        let c = Compiled::new(&lex).unwrap();
        assert_eq!(lex.exact, vec!["competitive", "marketing", "promotional"]);
        assert_eq!(c.code(&st, "marketing"), CODE_BREAK);
        assert_ne!(c.code(&st, "market"), CODE_BREAK);
        assert_eq!(c.code(&st, "markets"), c.code(&st, "market"));
        assert_eq!(c.code(&st, "promote"), CODE_BREAK);
        assert_ne!(c.code(&st, "promotional"), CODE_BREAK);
        let stems: Vec<&str> = lex.phrases.iter().map(|p| p.stems.as_str()).collect();
        assert!(stems.contains(&"=competitive analysi"), "{stems:?}");
        assert!(stems.contains(&"=promotional"), "{stems:?}");
        let err = lex
            .apply_overrides("exact | - | - | two words | test\n", Path::new("o.txt"))
            .unwrap_err();
        assert!(err.to_string().contains("line 1: field `phrase`"), "{err}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn benefit_and_company_text_in_any_order_is_no_evidence(
            picked in proptest::sample::subsequence(BENEFIT_AND_COMPANY.to_vec(), 1..8),
            sep in prop_oneof![Just(" "), Just("\n"), Just("\n- ")],
        ) {
            let text = picked.join(sep);
            prop_assert_eq!(hits(&text), Vec::<String>::new());
        }
    }
}
