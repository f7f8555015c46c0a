//! What a job title claims: Product Manager, Product Owner, both, or neither.
//!
//! In: one job title as job boards write it, in any case and language, with
//! seniority words ("Sr.", "Lead"), gender tags ("(m/w/d)", "H/F"),
//! separators ("/", "|", "–", ","), and team, company or location text after
//! the role. Out: a [`TitleRole`] from [`title_role`].
//!
//! Guarantees: [`title_role`] never panics, never allocates, and reads only
//! the first 300 bytes of a title (cut back to a character boundary). It
//! lower-cases those bytes once into a stack buffer, splits them into words,
//! and checks the words against static tables, so it is cheap enough to run
//! on every row of a large file. The same title always gets the same role.
//! The product words, role nouns, leading nouns, compounds and CJK phrases
//! are the `title` lists of the language files (`lang/*.json`), made into
//! tables by `build.rs`; the function words and connectors are below.
//!
//! How a title is read:
//!
//! - Words are runs of letters and digits. Case is ignored, and common Latin
//!   accents are stripped ("Propriétaire" reads as "proprietaire",
//!   "Menedżer" as "menedzer"). An unspaced hyphen or middle dot joins like a
//!   space ("Product-Manager", "Chef·fe"); "/", "&" and "+" link alternatives;
//!   other punctuation and spaced dashes break the phrase.
//! - A product word followed by a role noun claims a role: "Product Manager",
//!   "Product Management", "Product Lead", "Product Director" and their
//!   German, Russian and Turkish forms claim [`TitleRole::Pm`]; "Product
//!   Owner" and its forms claim [`TitleRole::Po`]. A linked second noun
//!   counts too, so "Product Manager/Owner" claims both. "Product Lead" (and
//!   "Head", "Director") gives way to a function word right after it, so
//!   "Product Lead Designer" claims nothing.
//! - A leading noun, optional linking words, then a product word claims a
//!   role: "Head of Product", "VP, Product", "Chief Product Officer",
//!   "Chef de produit", "Gerente de Produto", "Kierownik produktu" claim
//!   [`TitleRole::Pm`]; "Propriétaire de produit", "Dono do produto",
//!   "Właściciel produktu" claim [`TitleRole::Po`]. A function word right
//!   after the product word makes it another job: "Head of Product Design",
//!   "Director, Product Marketing" and "Chef de produit marketing" claim
//!   nothing.
//! - German, Dutch and Nordic compounds are found inside words:
//!   "Produktmanager:in", "Produktverantwortlicher", "Productmanager",
//!   "Produktowner", "Producteigenaar".
//! - Chinese, Japanese and Korean phrases are found as substrings:
//!   "产品经理", "产品总监", "产品负责人" (read as head of product, so Pm),
//!   "プロダクトマネージャー" claim Pm; "プロダクトオーナー" claims Po.
//! - Acronyms count only as upper-case standalone words of the original
//!   title: "PM", "PdM", "APM" and "CPO" claim Pm, "PO" claims Po. Each has
//!   other common meanings, so each is dropped when the title shows one:
//!   "PM" when the title has a clock time ("9 AM - 5 PM") or names a project,
//!   program, property, construction, shift or maintenance job; "PO" next to
//!   purchasing, order, clerk or officer words; "APM" next to engineering or
//!   monitoring words; "CPO" when the title spells out a "Chief ..." title or
//!   names privacy, people or prosthetics. A bare "TPM" is technical program
//!   manager as often as product, so it claims nothing.
//! - Claims of both roles give [`TitleRole::Both`], claims of one give that
//!   role, and no claim gives [`TitleRole::Other`]. Near misses such as
//!   "Product Marketing Manager", "Product Designer", "Production Manager",
//!   "Program Manager" and "Chef de projet" claim nothing because no rule
//!   above matches them.

use serde::{Deserialize, Serialize};

/// The role a posting's title claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleRole {
    /// The title claims a product manager or product management lead role.
    Pm,
    /// The title claims a product owner role.
    Po,
    /// The title names both a product manager and a product owner role.
    Both,
    /// The title claims neither role.
    Other,
}

impl TitleRole {
    /// "pm", "po", "both", "other".
    pub fn as_str(self) -> &'static str {
        match self {
            TitleRole::Pm => "pm",
            TitleRole::Po => "po",
            TitleRole::Both => "both",
            TitleRole::Other => "other",
        }
    }
}

/// Reads the role a job title claims, as job boards write titles.
///
/// Only the first 300 bytes are read; see the module documentation for the
/// rules. Empty and whitespace-only titles give [`TitleRole::Other`].
pub fn title_role(title: &str) -> TitleRole {
    let mut cut = title.len().min(MAX_TITLE_BYTES);
    while !title.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = title.get(..cut).unwrap_or("");
    let mut buf = [0u8; BUF_BYTES];
    let mut toks = [EMPTY_TOKEN; MAX_TOKENS];
    let (len, count) = lower_and_split(head, &mut buf, &mut toks);
    // The buffer only ever receives whole encoded characters, so this check
    // always succeeds; failing it would only mean reading nothing.
    let lower = match std::str::from_utf8(buf.get(..len).unwrap_or(&[])) {
        Ok(lower) => lower,
        Err(_) => return TitleRole::Other,
    };
    let view = Title {
        lower,
        orig: head,
        toks: toks.get(..count).unwrap_or(&[]),
    };
    read(&view).role()
}

/// How many bytes of a title are read.
const MAX_TITLE_BYTES: usize = 300;

/// Room for the lower-cased title; lower-casing grows text by at most half.
const BUF_BYTES: usize = 4 * MAX_TITLE_BYTES;

/// How many words of a title are kept; later words are ignored.
const MAX_TOKENS: usize = 96;

/// What separates a word from the word before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// Whitespace, an unspaced hyphen, or nothing at all: the words form a
    /// phrase.
    Space,
    /// A "/", "&" or "+": the words are alternatives.
    Conj,
    /// Any other punctuation or a spaced dash: the phrase ends.
    Break,
}

/// One word: its span in the lower-cased buffer, its span in the original
/// title, and what separates it from the previous word.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    orig_start: usize,
    orig_end: usize,
    gap: Gap,
}

/// The value the token array starts out with.
const EMPTY_TOKEN: Token = Token {
    start: 0,
    end: 0,
    orig_start: 0,
    orig_end: 0,
    gap: Gap::Space,
};

/// The separator characters seen since the last word.
#[derive(Debug, Default)]
struct SepRun {
    chars: u32,
    conj: bool,
    joiner: bool,
    hard: bool,
}

impl SepRun {
    /// Records one separator character.
    fn push(&mut self, c: char) {
        self.chars += 1;
        if c.is_whitespace() || matches!(c, '.' | '\'' | '’' | '*' | '_' | '\u{200B}' | '\u{FEFF}')
        {
            // These characters neither link nor break words.
        } else if matches!(c, '/' | '&' | '+' | '／' | '＆' | '＋') {
            self.conj = true;
        } else if matches!(c, '-' | '‐' | '‑' | '·' | '・') {
            self.joiner = true;
        } else {
            self.hard = true;
        }
    }

    /// The gap these characters make. A hyphen or middle dot joins words
    /// only when it stands alone between them.
    fn gap(&self) -> Gap {
        if self.hard || (self.joiner && self.chars > 1) {
            Gap::Break
        } else if self.conj {
            Gap::Conj
        } else {
            Gap::Space
        }
    }
}

/// Characters that are dropped without ending a word: combining accents,
/// soft hyphens, joiners and variation selectors.
fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{300}'..='\u{36F}' | '\u{AD}' | '\u{200C}' | '\u{200D}' | '\u{FE0E}' | '\u{FE0F}'
    )
}

/// Strips the accents of a lower-case Latin letter that the tables write
/// without them.
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ı' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ś' | 'š' | 'ş' => 's',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ğ' => 'g',
        _ => c,
    }
}

/// Writes the lower-cased, accent-folded `text` into `buf` and records its
/// words in `toks`. Returns the bytes written and the number of words.
///
/// Writing stops early, at a character boundary, if the buffer is full, and
/// words after the first [`MAX_TOKENS`] are not recorded.
fn lower_and_split(
    text: &str,
    buf: &mut [u8; BUF_BYTES],
    toks: &mut [Token; MAX_TOKENS],
) -> (usize, usize) {
    let mut len = 0;
    let mut count = 0;
    let mut open = false;
    let mut sep = SepRun::default();
    'chars: for (at, c) in text.char_indices() {
        if is_ignorable(c) {
            continue;
        }
        let is_word = c.is_alphanumeric();
        if is_word && !open {
            let Some(slot) = toks.get_mut(count) else {
                break;
            };
            *slot = Token {
                start: len,
                end: len,
                orig_start: at,
                orig_end: at,
                gap: sep.gap(),
            };
            sep = SepRun::default();
            open = true;
        } else if !is_word {
            if open {
                count += 1;
                open = false;
            }
            sep.push(c);
        }
        for lc in c.to_lowercase() {
            if is_ignorable(lc) {
                continue;
            }
            let folded = fold(lc);
            let end = len + folded.len_utf8();
            let Some(slot) = buf.get_mut(len..end) else {
                break 'chars;
            };
            folded.encode_utf8(slot);
            len = end;
        }
        if open {
            if let Some(tok) = toks.get_mut(count) {
                tok.end = len;
                tok.orig_end = at + c.len_utf8();
            }
        }
    }
    if open {
        count += 1;
    }
    (len, count)
}

/// A title split into words, with safe accessors.
struct Title<'a> {
    lower: &'a str,
    orig: &'a str,
    toks: &'a [Token],
}

impl Title<'_> {
    /// The lower-cased word at `i`, or "" past the end.
    fn word(&self, i: usize) -> &str {
        self.toks
            .get(i)
            .and_then(|t| self.lower.get(t.start..t.end))
            .unwrap_or("")
    }

    /// The word at `i` as the original title wrote it, or "" past the end.
    fn orig_word(&self, i: usize) -> &str {
        self.toks
            .get(i)
            .and_then(|t| self.orig.get(t.orig_start..t.orig_end))
            .unwrap_or("")
    }

    /// The gap before the word at `i`; past the end the phrase is over.
    fn gap(&self, i: usize) -> Gap {
        self.toks.get(i).map_or(Gap::Break, |t| t.gap)
    }

    /// Whether the word at `i` directly continues a phrase.
    fn joined(&self, i: usize) -> bool {
        self.gap(i) == Gap::Space
    }
}

/// A role that part of a title claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    Pm,
    Po,
}

/// The roles a title has claimed so far.
#[derive(Debug, Default)]
struct Claims {
    pm: bool,
    po: bool,
}

impl Claims {
    /// Records one claim.
    fn add(&mut self, claim: Claim) {
        match claim {
            Claim::Pm => self.pm = true,
            Claim::Po => self.po = true,
        }
    }

    /// The role all claims together give.
    fn role(&self) -> TitleRole {
        match (self.pm, self.po) {
            (true, true) => TitleRole::Both,
            (true, false) => TitleRole::Pm,
            (false, true) => TitleRole::Po,
            (false, false) => TitleRole::Other,
        }
    }
}

// The title words of every language (product words, role nouns, leading
// nouns, compounds, CJK phrases), made from `lang/*.json` by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/title_tables.rs"));

/// Words that mean "product" in the languages the rules cover (every
/// language file's `title.product_words`).
fn is_product_word(w: &str) -> bool {
    PRODUCT_WORDS.contains(&w)
}

/// The kind of role noun that can follow a product word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RoleNoun {
    /// Always a product manager: "manager", "management".
    Manager,
    /// A product manager unless a function word follows: "lead", "head".
    Leader,
    /// A product owner: "owner".
    Owner,
}

/// The role noun `w` is, if any (the language files' `title.manager_nouns`,
/// `title.leader_nouns` and `title.owner_nouns`).
fn role_noun(w: &str) -> Option<RoleNoun> {
    if MANAGER_NOUNS.contains(&w) {
        Some(RoleNoun::Manager)
    } else if LEADER_NOUNS.contains(&w) {
        Some(RoleNoun::Leader)
    } else if OWNER_NOUNS.contains(&w) {
        Some(RoleNoun::Owner)
    } else {
        None
    }
}

/// Words that, right after "product" (or after "Product Lead"), name a
/// different job family: "Product Marketing", "Product Lead Designer".
fn is_function_word(w: &str) -> bool {
    matches!(
        w,
        "marketing"
            | "marketer"
            | "marketeer"
            | "design"
            | "designer"
            | "designers"
            | "engineering"
            | "engineer"
            | "engineers"
            | "development"
            | "developer"
            | "developers"
            | "analytics"
            | "analyst"
            | "analysts"
            | "science"
            | "scientist"
            | "research"
            | "operations"
            | "ops"
            | "operator"
            | "support"
            | "security"
            | "quality"
            | "qualite"
            | "safety"
            | "securite"
            | "compliance"
            | "regulatory"
            | "sales"
            | "content"
            | "communications"
            | "documentation"
            | "training"
            | "testing"
            | "test"
            | "qa"
            | "ux"
            | "ui"
            | "specialist"
            | "specialists"
            | "consultant"
            | "architect"
            | "architecture"
            | "technician"
            | "expert"
            | "experts"
            | "frais"
    )
}

/// Nouns that lead a "<noun> of product" phrase, with the role they claim
/// (the language files' `title.pm_lead_nouns` and `title.po_lead_nouns`).
fn lead_noun(w: &str) -> Option<Claim> {
    if PM_LEAD_NOUNS.contains(&w) {
        Some(Claim::Pm)
    } else if PO_LEAD_NOUNS.contains(&w) {
        Some(Claim::Po)
    } else {
        None
    }
}

/// Words that may sit between a leading noun and the product word:
/// prepositions, articles, and the pieces of split gender forms such as
/// "Chef(fe)" or "Directeur·rice".
fn is_connector(w: &str) -> bool {
    matches!(
        w,
        "of" | "the"
            | "for"
            | "de"
            | "del"
            | "della"
            | "dello"
            | "dei"
            | "di"
            | "do"
            | "da"
            | "du"
            | "des"
            | "dos"
            | "das"
            | "la"
            | "le"
            | "el"
            | "a"
            | "o"
            | "e"
            | "in"
            | "fe"
            | "ffe"
            | "rice"
            | "trice"
            | "по"
    )
}

/// Words that link two role nouns: "Product Manager and Owner".
fn is_conj_word(w: &str) -> bool {
    matches!(
        w,
        "and" | "or" | "und" | "oder" | "et" | "ou" | "y" | "e" | "o" | "и" | "или"
    )
}

/// The claim a role noun at `k` makes right after a product word, if any.
fn claim_after_product(t: &Title, k: usize) -> Option<Claim> {
    match role_noun(t.word(k))? {
        RoleNoun::Manager => Some(Claim::Pm),
        RoleNoun::Owner => Some(Claim::Po),
        RoleNoun::Leader => {
            if t.joined(k + 1) && is_function_word(t.word(k + 1)) {
                None
            } else {
                Some(Claim::Pm)
            }
        }
    }
}

/// Claims "<product> <role noun>" at `i`, plus role nouns linked to it by
/// "/", "&", "+" or a conjunction ("Product Manager/Owner").
fn product_then_role(t: &Title, i: usize, claims: &mut Claims) {
    if !is_product_word(t.word(i)) || !t.joined(i + 1) {
        return;
    }
    let Some(first) = claim_after_product(t, i + 1) else {
        return;
    };
    claims.add(first);
    let mut k = i + 2;
    loop {
        if t.gap(k) == Gap::Conj {
            if let Some(claim) = claim_after_product(t, k) {
                claims.add(claim);
                k += 1;
                continue;
            }
        } else if t.joined(k) && is_conj_word(t.word(k)) && t.joined(k + 1) {
            if let Some(claim) = claim_after_product(t, k + 1) {
                claims.add(claim);
                k += 2;
                continue;
            }
        }
        break;
    }
}

/// Claims "<leading noun> [connectors] <product>" at `i`: "Head of
/// Product", "Chef de produit", "Dono do produto".
fn lead_then_product(t: &Title, i: usize, claims: &mut Claims) {
    let Some(claim) = lead_noun(t.word(i)) else {
        return;
    };
    let mut j = i + 1;
    while j < i + 4 && is_connector(t.word(j)) {
        j += 1;
    }
    if !is_product_word(t.word(j)) {
        return;
    }
    let next = j + 1;
    if t.joined(next) {
        let w = t.word(next);
        // A function word makes it another job; a role noun is read by
        // `product_then_role` instead ("Head of Product Owners").
        if is_function_word(w) || role_noun(w).is_some() {
            return;
        }
    }
    claims.add(claim);
}

/// Claims German, Dutch and Nordic compounds inside one word.
fn compound(w: &str, claims: &mut Claims) {
    if w.len() < 10 {
        return;
    }
    if PM_COMPOUNDS.iter().any(|p| w.contains(p)) {
        claims.add(Claim::Pm);
    }
    if PO_COMPOUNDS.iter().any(|p| w.contains(p)) {
        claims.add(Claim::Po);
    }
}

/// Claims Chinese, Japanese and Korean phrases anywhere in the title.
fn cjk(lower: &str, claims: &mut Claims) {
    // Every phrase starts with a three-byte character from U+3000 upwards,
    // whose first byte is at least 0xE3; titles without one are skipped.
    if !lower.bytes().any(|b| b >= 0xE3) {
        return;
    }
    if PM_CJK.iter().any(|p| lower.contains(p)) {
        claims.add(Claim::Pm);
    }
    if PO_CJK.iter().any(|p| lower.contains(p)) {
        claims.add(Claim::Po);
    }
}

/// Whether the title has a clock time: a digit, at most two spaces, then
/// "am", "pm", "a.m" or "p.m" not followed by a letter ("9 AM", "5pm").
fn has_clock_time(lower: &str) -> bool {
    let s = lower.as_bytes();
    s.iter().enumerate().any(|(i, b)| {
        if !b.is_ascii_digit() {
            return false;
        }
        let mut j = i + 1;
        while j < i + 3 && s.get(j) == Some(&b' ') {
            j += 1;
        }
        let rest = s.get(j..).unwrap_or(&[]);
        [&b"am"[..], b"pm", b"a.m", b"p.m"].iter().any(|p| {
            rest.starts_with(p) && !rest.get(p.len()).is_some_and(|c| c.is_ascii_alphabetic())
        })
    })
}

/// Acronyms seen in a title and the words that give them another meaning.
#[derive(Debug, Default)]
struct Acronyms {
    pm: bool,
    apm: bool,
    cpo: bool,
    po: bool,
    am: bool,
    pm_other: bool,
    apm_other: bool,
    cpo_other: bool,
    po_other: bool,
}

impl Acronyms {
    /// Records the word at `i`.
    fn note(&mut self, t: &Title, i: usize) {
        match t.orig_word(i) {
            "PM" | "PdM" => self.pm = true,
            "APM" => self.apm = true,
            "CPO" => self.cpo = true,
            "PO" => self.po = true,
            "AM" => self.am = true,
            _ => {}
        }
        let w = t.word(i);
        // "PM" is also project, program or property manager, afternoon, and
        // preventive maintenance.
        if matches!(
            w,
            "project"
                | "projects"
                | "program"
                | "programs"
                | "programme"
                | "programmes"
                | "property"
                | "properties"
                | "construction"
                | "projekt"
                | "projekte"
                | "projet"
                | "projets"
                | "proyecto"
                | "projeto"
                | "progetto"
                | "shift"
                | "shifts"
                | "technician"
                | "mechanic"
                | "maintenance"
                | "preventive"
                | "preventative"
                | "inspector"
                | "scheduler"
                | "planner"
                | "hvac"
        ) {
            self.pm_other = true;
        }
        // "APM" is also application performance monitoring.
        if matches!(
            w,
            "engineer"
                | "engineers"
                | "engineering"
                | "developer"
                | "monitoring"
                | "observability"
                | "sre"
                | "devops"
                | "administrator"
                | "admin"
        ) {
            self.apm_other = true;
        }
        // "CPO" is also chief people, privacy or procurement officer, child
        // protection officer, and certified prosthetist orthotist.
        if matches!(
            w,
            "chief"
                | "privacy"
                | "people"
                | "procurement"
                | "purchasing"
                | "protection"
                | "prosthetist"
                | "orthotist"
                | "prosthetics"
                | "orthotics"
                | "pool"
        ) {
            self.cpo_other = true;
        }
        // "PO" is also purchase order, post office, and several officers.
        if matches!(
            w,
            "purchase"
                | "purchasing"
                | "procurement"
                | "buyer"
                | "buying"
                | "order"
                | "orders"
                | "invoice"
                | "invoices"
                | "invoicing"
                | "clerk"
                | "payable"
                | "receivable"
                | "accounts"
                | "box"
                | "requisition"
                | "officer"
                | "probation"
                | "parole"
                | "police"
                | "navy"
        ) {
            self.po_other = true;
        }
    }

    /// Adds the claims of the acronyms that kept their product meaning.
    fn apply(&self, clock_time: bool, claims: &mut Claims) {
        if self.pm && !self.pm_other && !clock_time && !self.am {
            claims.add(Claim::Pm);
        }
        if self.apm && !self.apm_other {
            claims.add(Claim::Pm);
        }
        if self.cpo && !self.cpo_other {
            claims.add(Claim::Pm);
        }
        if self.po && !self.po_other {
            claims.add(Claim::Po);
        }
    }
}

/// Runs every rule over a split title.
fn read(t: &Title) -> Claims {
    let mut claims = Claims::default();
    let mut acronyms = Acronyms::default();
    for i in 0..t.toks.len() {
        product_then_role(t, i, &mut claims);
        lead_then_product(t, i, &mut claims);
        compound(t.word(i), &mut claims);
        acronyms.note(t, i);
    }
    cjk(t.lower, &mut claims);
    acronyms.apply(has_clock_time(t.lower), &mut claims);
    claims
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use TitleRole::{Both, Other, Pm, Po};

    /// Titles and the role each claims.
    const CASES: &[(&str, TitleRole)] = &[
        // Product manager, English.
        ("Product Manager", Pm),
        ("Senior Product Manager", Pm),
        ("Sr. Product Manager", Pm),
        ("Sr Product Manager, Payments", Pm),
        ("Snr Product Manager", Pm),
        ("Jr. Product Manager", Pm),
        ("Sen. Product Manager - Checkout", Pm),
        ("Lead Product Manager", Pm),
        ("Principal Product Manager", Pm),
        ("Staff Product Manager, Platform", Pm),
        ("Group Product Manager", Pm),
        ("Group Product Manager, Product Analytics", Pm),
        ("Associate Product Manager", Pm),
        ("Associate Product Manager (APM) Program", Pm),
        ("APM", Pm),
        ("APM - Consumer", Pm),
        ("Sr. PM - Payments", Pm),
        ("PM, Growth", Pm),
        ("Senior PM", Pm),
        ("Sr.PM", Pm),
        ("Senior PdM", Pm),
        ("Technical Product Manager", Pm),
        ("Technical Product Manager (TPM)", Pm),
        ("Product Lead", Pm),
        ("Product Lead, Growth", Pm),
        ("Product Lead (Design Systems)", Pm),
        ("Head of Product", Pm),
        ("Head of Products", Pm),
        ("Head of Product (m/w/d)", Pm),
        ("Head of Product & Engineering", Pm),
        ("Director of Product", Pm),
        ("Director, Product Management", Pm),
        ("Product Director", Pm),
        ("VP Product", Pm),
        ("VP of Product Management", Pm),
        ("Vice President, Product", Pm),
        ("SVP, Product & Design", Pm),
        ("Chief Product Officer", Pm),
        ("Chief Product & Technology Officer", Pm),
        ("CPO", Pm),
        ("CPO – Fintech Startup", Pm),
        ("Product Management Intern", Pm),
        ("Intern - Product Management", Pm),
        ("Product Manager, Marketing Platform", Pm),
        ("Senior Product Manager - Design Systems", Pm),
        ("Product Manager at Acme (Remote, EU)", Pm),
        ("Product Manager – Owner Experience", Pm),
        ("Product Manager, Owner Tools", Pm),
        ("PRODUCT MANAGER", Pm),
        ("  product   manager  ", Pm),
        ("Product-Manager", Pm),
        ("Digital Product Manager", Pm),
        ("Product Manager II", Pm),
        ("Data Product Manager", Pm),
        ("Sr. Product Mgr.", Pm),
        ("Product Manager (PM)", Pm),
        ("Sr. Product Manager (9am - 5pm)", Pm),
        ("Product Manager | Payments | Berlin", Pm),
        ("Product Managers", Pm),
        // Product manager, gender tags.
        ("Product Manager (m/w/d)", Pm),
        ("Product Manager (w/m/d)", Pm),
        ("Product Manager (m/f/d)", Pm),
        ("Product Manager (all genders)", Pm),
        ("Product Manager H/F", Pm),
        ("Product Manager (H/F)", Pm),
        ("Product Manager F/H", Pm),
        ("Product Manager (f/m/x)", Pm),
        ("Product Manager m/w/x", Pm),
        ("Product Manager (gn)", Pm),
        // Product manager, German and Dutch.
        ("Produktmanager(in)", Pm),
        ("Produktmanager:in", Pm),
        ("Produktmanagerin", Pm),
        ("Produktmanager*in Digital", Pm),
        ("ProduktmanagerIn", Pm),
        ("Senior-Produktmanager (m/w/d)", Pm),
        ("Produktverantwortlicher", Pm),
        ("Produktverantwortliche (m/w/d)", Pm),
        ("Leiter Produktmanagement", Pm),
        ("Werkstudent Produktmanagement", Pm),
        ("Produkt-Manager B2B", Pm),
        ("IT-Produktmanager", Pm),
        ("Productmanager", Pm),
        ("Product-manager E-commerce", Pm),
        // Product manager, French.
        ("Chef de produit", Pm),
        ("Cheffe de produit", Pm),
        ("Chef·fe de produit", Pm),
        ("Chef(fe) de produit digital", Pm),
        ("Chef de Produit H/F", Pm),
        ("Responsable produit", Pm),
        ("Responsable Produit (F/H)", Pm),
        ("Responsable de produit", Pm),
        ("Gestionnaire de produit", Pm),
        ("Gestionnaire de produits", Pm),
        ("Gestionnaire de produit(s)", Pm),
        ("Directeur Produit", Pm),
        ("Directeur·rice Produit", Pm),
        // Product manager, Spanish, Portuguese, Italian.
        ("Gerente de Produto", Pm),
        ("Gerente de Produto Sênior", Pm),
        ("Gestor de Produto", Pm),
        ("Gestora de Produto", Pm),
        ("Gestor(a) de Produto", Pm),
        ("Gerente de Producto", Pm),
        ("Jefe de Producto", Pm),
        ("Responsabile di Prodotto", Pm),
        // Product manager, Polish, Russian, Turkish, Finnish.
        ("Menedżer produktu", Pm),
        ("Menedzer produktu", Pm),
        ("Kierownik produktu", Pm),
        ("Менеджер продукта", Pm),
        ("Продакт-менеджер", Pm),
        ("Ürün Müdürü", Pm),
        ("Ürün Yöneticisi", Pm),
        ("Tuotepäällikkö", Pm),
        // Product manager, Chinese and Japanese.
        ("产品经理", Pm),
        ("高级产品经理", Pm),
        ("产品总监", Pm),
        ("产品负责人", Pm),
        ("产品经理（支付方向）", Pm),
        ("プロダクトマネージャー", Pm),
        // Product owner.
        ("Product Owner", Po),
        ("Senior Product Owner", Po),
        ("PO – Payments", Po),
        ("Senior PO", Po),
        ("PO, Checkout", Po),
        ("Product Owner (PO)", Po),
        ("Technical Product Owner", Po),
        ("Product Owner (m/w/d)", Po),
        ("Product Owner (w/m/x)", Po),
        ("Product Owner m/w/x", Po),
        ("Product Owner (gn)", Po),
        ("Product Owner (f/m/x)", Po),
        ("Product Owner F/H", Po),
        ("Proxy Product Owner", Po),
        ("Product-Owner", Po),
        ("Senior-Product-Owner", Po),
        ("Produkt Owner", Po),
        ("Produktowner", Po),
        ("Productowner", Po),
        ("Product Owner Payments", Po),
        ("Product Owner – Data Platform", Po),
        ("Lead Product Owner", Po),
        ("Agile Product Owner", Po),
        ("Data Product Owner", Po),
        ("Chief Product Owner", Po),
        ("Product Owner / Scrum Master", Po),
        ("Scrum Master / Product Owner", Po),
        ("Business Analyst / Product Owner", Po),
        ("Propriétaire de produit", Po),
        ("Proprietaire du produit", Po),
        ("Dono do produto", Po),
        ("Dueño de Producto", Po),
        ("Właściciel produktu", Po),
        ("Владелец продукта", Po),
        ("Ürün Sahibi", Po),
        ("Producteigenaar", Po),
        ("Produktägare", Po),
        ("プロダクトオーナー", Po),
        // Both roles.
        ("Product Manager / Product Owner", Both),
        ("Product Manager/Owner", Both),
        ("Product Owner / Product Manager", Both),
        ("Product Owner/Manager", Both),
        ("Product Manager and Owner", Both),
        ("PM/PO", Both),
        ("PO/PM", Both),
        ("PM / PO Hybrid", Both),
        ("Product Owner & Product Manager", Both),
        ("Product Manager + Product Owner", Both),
        ("Product Manager - Product Owner (H/F)", Both),
        ("Product Owner / PM", Both),
        ("Senior Product Owner (Product Manager)", Both),
        ("Product Owner / Produktmanager (m/w/d)", Both),
        ("Chef de produit / Product Owner", Both),
        ("SAFe Product Owner/Product Manager (POPM)", Both),
        ("Product Lead / Product Owner", Both),
        // Neither: empty and bare words.
        ("", Other),
        ("   ", Other),
        ("\t\n", Other),
        ("Product", Other),
        ("Manager", Other),
        ("Owner", Other),
        ("Business Owner", Other),
        ("Process Owner", Other),
        // Neither: product-something that is not product management.
        ("Product Marketing Manager", Other),
        ("Senior Product Marketing Manager", Other),
        ("Product Marketing Manager (PMM)", Other),
        ("PMM", Other),
        ("Product Marketing Lead", Other),
        ("Product Designer", Other),
        ("Senior Product Designer", Other),
        ("Lead Product Designer", Other),
        ("Product Lead Designer", Other),
        ("Product Design Manager", Other),
        ("Product Engineer", Other),
        ("Lead Product Engineer", Other),
        ("Product Development Engineer", Other),
        ("Product Support Engineer", Other),
        ("Product Analyst", Other),
        ("Product Data Scientist", Other),
        ("Product Support Specialist", Other),
        ("Product Specialist", Other),
        ("Product Sales Manager", Other),
        ("Product Operations Manager", Other),
        ("Product Ops Manager", Other),
        ("Product Quality Manager", Other),
        ("Product Compliance Manager", Other),
        ("Product Information Manager", Other),
        ("Product Trainer", Other),
        ("Product Photographer", Other),
        ("Production Manager", Other),
        ("Head of Product Design", Other),
        ("Head of Product Marketing", Other),
        ("Head of Product Engineering", Other),
        ("Director, Product Marketing", Other),
        ("VP Product Development", Other),
        ("Senior Manager, Product Marketing", Other),
        ("Marketing Manager - Product", Other),
        ("Account Manager, Product Sales", Other),
        ("Chief Production Officer", Other),
        // Neither: project, program and delivery roles.
        ("Project Manager", Other),
        ("IT Project Manager", Other),
        ("Project Manager (PM)", Other),
        ("Senior PM (Project Manager)", Other),
        ("PM – Construction Projects", Other),
        ("Property Manager (PM)", Other),
        ("Program Manager", Other),
        ("Programme Manager", Other),
        ("Technical Program Manager", Other),
        ("Technical Program Manager (TPM)", Other),
        ("TPM", Other),
        ("Senior TPM", Other),
        ("PMO Analyst", Other),
        ("Scrum Master", Other),
        ("Agile Coach", Other),
        ("Business Analyst", Other),
        ("Software Engineer", Other),
        ("Technical Account Manager", Other),
        // Neither: acronyms with another meaning.
        ("Warehouse Associate - PM Shift", Other),
        ("Customer Service Rep 9 AM - 5 PM", Other),
        ("Night Auditor 11pm-7am", Other),
        ("Cashier AM/PM", Other),
        ("PM Technician", Other),
        ("Construction PM", Other),
        ("PO Clerk", Other),
        ("Purchasing PO Coordinator", Other),
        ("APM Engineer", Other),
        ("Chief People Officer (CPO)", Other),
        ("Chief Privacy Officer", Other),
        ("Certified Prosthetist Orthotist (CPO)", Other),
        ("Sr. pm", Other),
        ("Po", Other),
        // Neither: non-English near misses.
        ("Projektleiter", Other),
        ("Projektmanager (m/w/d)", Other),
        ("Projektmanager:in", Other),
        ("Produktionsleiter", Other),
        ("Produktdesigner", Other),
        ("Produktentwickler", Other),
        ("Produktmarketing Manager", Other),
        ("Produkt Marketing Manager (m/w/d)", Other),
        ("Chef de projet", Other),
        ("chef de projet digital", Other),
        ("Chef de projet produit", Other),
        ("Chef de produit marketing", Other),
        ("Responsable Marketing Produit", Other),
        ("Responsable Produits Frais", Other),
        ("Ingénieur Produit", Other),
        ("Analista de Produto", Other),
        ("Designer de Produto", Other),
        ("Jefe de Proyecto", Other),
        ("Jefe de Producción", Other),
        ("Kierownik Produkcji", Other),
        ("Руководитель проекта", Other),
        ("产品运营", Other),
        ("产品设计师", Other),
        ("项目经理", Other),
    ];

    #[test]
    fn table_of_titles() {
        let mut failures = Vec::new();
        for &(title, expected) in CASES {
            let got = title_role(title);
            if got != expected {
                failures.push(format!("{title:?}: expected {expected:?}, got {got:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} titles mislabelled:\n{}",
            failures.len(),
            CASES.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn table_is_large_and_has_no_duplicates() {
        assert!(CASES.len() >= 170, "only {} cases", CASES.len());
        let mut titles: Vec<&str> = CASES.iter().map(|&(t, _)| t).collect();
        titles.sort_unstable();
        let before = titles.len();
        titles.dedup();
        assert_eq!(before, titles.len(), "the table repeats a title");
    }

    #[test]
    fn as_str_and_serde_agree() {
        for role in [Pm, Po, Both, Other] {
            let json = serde_json::to_string(&role).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
            let back: Option<TitleRole> = serde_json::from_str(&json).ok();
            assert_eq!(back, Some(role));
        }
    }

    #[test]
    fn only_the_first_300_bytes_are_read() {
        let padding = "é".repeat(400);
        assert_eq!(title_role(&format!("{padding} Product Manager")), Other);
        assert_eq!(title_role(&format!("Product Owner {padding}")), Po);
        // The cut falls inside a two-byte character here and must move back.
        let odd = format!("x{padding}");
        assert_eq!(title_role(&odd), Other);
    }

    #[test]
    fn many_words_are_capped_without_panicking() {
        let long = "a ".repeat(200) + "Product Manager";
        assert_eq!(title_role(&long), Other);
        assert_eq!(title_role(&format!("PM {}", "b ".repeat(200))), Pm);
    }

    #[test]
    fn expanding_lowercase_and_combining_marks_are_handled() {
        assert_eq!(title_role(&"İ".repeat(200)), Other);
        // "Proprie\u{301}taire" is "Propriétaire" with a combining accent.
        assert_eq!(title_role("Proprie\u{301}taire de produit"), Po);
        assert_eq!(title_role("Product\u{AD}Manager"), Pm);
        assert_eq!(title_role("Product\u{A0}Manager"), Pm);
    }

    #[test]
    fn clock_times_are_recognised() {
        assert!(has_clock_time("shift 9 am - 5 pm"));
        assert!(has_clock_time("10:30p.m. start"));
        assert!(!has_clock_time("top 10 pms"));
        assert!(!has_clock_time("pm, growth"));
    }

    proptest! {
        #[test]
        fn never_panics_on_any_string(s in any::<String>()) {
            let _ = title_role(&s);
        }

        #[test]
        fn never_panics_on_title_like_strings(
            s in "[ A-Za-z/&+()|,.:*·–-]{0,80}(Product|PM|PO|Owner|Manager)?[ a-zé/()-]{0,40}"
        ) {
            let role = title_role(&s);
            prop_assert!(matches!(role, Pm | Po | Both | Other));
        }
    }
}
