//! The parts of a posting: intro, duties, requirements, company, benefits.
//!
//! In: cleaned posting text (the output of [`crate::clean::clean_into`]).
//! Out: [`SectionSpan`]s, byte ranges of that text, each labelled with the
//! [`Section`] it belongs to.
//!
//! Guarantees: the spans are consecutive, in order, start at 0, end at the
//! length of the text and only cut the text at line starts (or sentence
//! starts, see below), so every boundary is a char boundary; an empty text
//! yields one empty `Intro` span. Text before the first recognised heading
//! is [`Section::Intro`]; a heading line starts its section, which lasts
//! until the next recognised heading of another kind, unless the content
//! says otherwise.
//!
//! Content speaks as well as headings. The lines under a heading that is
//! not a duties or requirements heading (or under none) are read in blocks
//! (runs of lines between blank lines and headings), and each line counted
//! as a duty (led by a verb of the work: "Own the roadmap", "Work with
//! ...", "Erstellung von ...", "Piloter ...", "负责..."), a requirement
//! ("5+ years", "Experience with", "You have") or a benefit (it names pay,
//! leave, insurance, pension, equity, a stipend). A block of mostly duty
//! lines is duties whatever its heading ("What's in it for you?" above a
//! list of duties, an unknown heading, no heading at all); with no heading
//! or an "other" one, a block of mostly requirement lines is requirements
//! and one of mostly benefit lines benefits. One or two stray lines never
//! move a block: it takes two duty lines and at least half of the block.
//!
//! A heading is recognised in three ways. A short line (at most
//! [`MAX_HEADING_LINE`] bytes) whose normalised text equals a known heading
//! phrase, or starts with one and does not read like a sentence, is a
//! heading; so is a short line ending with `:` that contains a heading
//! keyword; and so is a line that starts with a known phrase followed by `:`
//! and more text ("Responsibilities: you will ..."). Inside the company
//! part, a line that introduces the role ("We're looking for ...", "Wir
//! suchen ...", "Nous recherchons ...") also returns to the intro: postings
//! often follow their company blurb with the role, without a heading.
//! Headings of the team the role joins ("About the team") start an intro
//! part too, not the company part. Inside a duties part, a line that
//! states what the candidate brings ("Must have ...", "5+ years of ...",
//! "Du hast ...") is a requirements line; the duties resume after it.
//! A line longer than [`LONG_LINE`] bytes is read as one line per
//! sentence: scraped postings often lose their line breaks, and a posting
//! on one line (company blurb, "Key responsibilities: ...", "Requirements:
//! ...", benefits) would otherwise be one part, weighed as its first
//! heading says. Its sentences are then headings and blocks like lines.
//! Normalising strips Markdown decoration, bullets, numbering and
//! surrounding punctuation, lower-cases, folds Latin accents to ASCII (`ü`
//! to `u`, `é` to `e`) and collapses whitespace.
//!
//! Every phrase, keyword, requirement start, duty start, benefit word and
//! role-intro start comes from the language files `lang/*.json` (one per
//! language: English, German, French, Chinese, Spanish and Dutch in full,
//! Portuguese and Polish in part), made into tables by `build.rs`; adding a
//! language is adding its file.
//!
//! Splitting allocates nothing per line: one small buffer is reused for the
//! normalised text of every candidate line, and the phrase tables are
//! indexed by their first two bytes once per process.

use std::sync::OnceLock;

// The heading phrases, keywords, requirement and duty starts and benefit
// words of every language, made from `lang/*.json` by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/sections_tables.rs"));

/// The kind of a part of a posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Text before the first recognised heading.
    Intro,
    /// What the job holder will do: responsibilities, tasks, the role.
    Duties,
    /// What the candidate should bring: qualifications, skills, profile.
    Requirements,
    /// The employer: about us, mission, equal-opportunity and legal notes.
    Company,
    /// What the employer offers: benefits, perks, compensation.
    Benefits,
    /// A recognised heading of none of the kinds above, such as how to
    /// apply, the location or the interview process.
    Other,
}

impl Section {
    /// Every section, in declaration order.
    pub const ALL: [Section; 6] = [
        Section::Intro,
        Section::Duties,
        Section::Requirements,
        Section::Company,
        Section::Benefits,
        Section::Other,
    ];

    /// The section's name in snake case, as used in serialised output.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Intro => "intro",
            Section::Duties => "duties",
            Section::Requirements => "requirements",
            Section::Company => "company",
            Section::Benefits => "benefits",
            Section::Other => "other",
        }
    }
}

/// A byte range of the cleaned text and its section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionSpan {
    /// Byte offset of the span's first byte.
    pub start: usize,
    /// Byte offset just past the span's last byte.
    pub end: usize,
    /// The section the span belongs to.
    pub section: Section,
}

/// The longest line, in bytes after trimming, that is examined as a
/// whole-line heading.
pub const MAX_HEADING_LINE: usize = 80;

/// The longest text before a `:` that is examined as an inline heading.
const MAX_INLINE_HEADING: usize = 60;

/// How many bytes of a colon-less short line are normalised to rule it out
/// as a heading before all of it is.
const EARLY_PREFIX: usize = 8;

/// The most words a heading may have when it only starts with a phrase.
const MAX_PREFIX_WORDS: usize = 8;

/// The most words of an "About ..." heading.
const MAX_ABOUT_WORDS: usize = 6;

/// The most words of a line ending with `:` that is matched by keyword.
const MAX_KEYWORD_WORDS: usize = 12;

/// Splits cleaned text (output of [`crate::clean::clean_into`]) into
/// consecutive spans covering all of it, in order, clearing `out` first.
///
/// Adjacent parts of the same section form one span.
pub fn split_sections(text: &str, out: &mut Vec<SectionSpan>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut norm = String::with_capacity(2 * MAX_HEADING_LINE);
    let mut spans = Spans {
        out,
        start: 0,
        current: Section::Intro,
    };
    // The section the last heading started, and where the block of lines
    // under it that has not been placed yet starts.
    let mut home = Section::Intro;
    let mut block_start = 0;
    let mut line_start = 0;
    while line_start < bytes.len() {
        let line_end = piece_end(bytes, line_start);
        // Both ends sit at a line feed, at the space after a sentence or at
        // an end of the text, so the slice is always on char boundaries.
        let line = text.get(line_start..line_end).unwrap_or("");
        let heading = classify_line(line, &mut norm).or_else(|| {
            (home == Section::Company && introduces_role(line)).then_some(Section::Intro)
        });
        if let Some(section) = heading {
            place_block(text, block_start, line_start, home, &mut spans, &mut norm);
            spans.mark(line_start, section);
            home = section;
            block_start = (line_end + 1).min(bytes.len());
        } else if line.trim().is_empty() {
            // A blank line ends a block; it joins the next one.
            place_block(text, block_start, line_start, home, &mut spans, &mut norm);
            block_start = line_start;
        }
        line_start = line_end + 1;
    }
    place_block(text, block_start, bytes.len(), home, &mut spans, &mut norm);
    spans.finish(text.len());
}

/// The spans being written: the open one starts at `start` and has
/// section `current`.
struct Spans<'a> {
    /// Where closed spans go.
    out: &'a mut Vec<SectionSpan>,
    /// The start of the open span.
    start: usize,
    /// The section of the open span.
    current: Section,
}

impl Spans<'_> {
    /// The text from `pos` on belongs to `section`: closes the open span
    /// when its section differs (and it is not empty).
    fn mark(&mut self, pos: usize, section: Section) {
        if section != self.current {
            if pos > self.start {
                self.out.push(SectionSpan {
                    start: self.start,
                    end: pos,
                    section: self.current,
                });
            }
            self.start = pos;
            self.current = section;
        }
    }

    /// Closes the open span at `end`, the length of the text.
    fn finish(self, end: usize) {
        self.out.push(SectionSpan {
            start: self.start,
            end,
            section: self.current,
        });
    }
}

/// Places the lines `start..end` of `text` (whole lines, under a heading of
/// section `home`, or under none when `home` is the intro) into spans.
///
/// Under a duties or requirements heading the heading decides. Under any
/// other, or none, the block's content may overrule it ([`block_section`]).
/// Inside duties, a line that states a requirement is a requirements line.
fn place_block(
    text: &str,
    start: usize,
    end: usize,
    home: Section,
    spans: &mut Spans<'_>,
    norm: &mut String,
) {
    if start >= end {
        return;
    }
    let block = Block { text, start, end };
    let section = match home {
        Section::Duties | Section::Requirements => home,
        _ => block_section(block, home, norm),
    };
    if section != Section::Duties {
        spans.mark(start, section);
        return;
    }
    let mut line_start = start;
    for line in block.lines() {
        let here = if reads_as_requirement(line, norm) {
            Section::Requirements
        } else {
            Section::Duties
        };
        spans.mark(line_start, here);
        line_start += line.len() + 1;
    }
}

/// A line longer than this many bytes is read sentence by sentence: a
/// posting whose line breaks a scraper lost is one long line, with its
/// company blurb, duties, requirements and benefits run together, and no
/// block could be placed by its content. Natural paragraphs are shorter.
pub const LONG_LINE: usize = 1000;

/// The fewest bytes of a sentence cut from a long line ("e.g. The" and
/// "Dr. Smith" stay whole).
const MIN_SENTENCE: usize = 20;

/// Where the piece of text starting at `start` (a line start, or the start
/// of a sentence of a long line) ends: at the next line feed, or, inside a
/// line longer than [`LONG_LINE`], at the space after the next sentence's
/// end (`.`, `!`, `?` or `;`, then a space, then a capital letter, a digit
/// or an opening quote or bracket). Either way the byte at the end is the
/// one that separates it from the next piece.
///
/// A piece is inside a long line when the rest of its line is longer than
/// [`LONG_LINE`], or when it starts after a space: only a cut sentence
/// does, so the rest of a long line is cut alike from wherever it is read.
fn piece_end(bytes: &[u8], start: usize) -> usize {
    let after_cut = start > 0 && bytes.get(start - 1) == Some(&b' ');
    if !after_cut {
        // Only the first LONG_LINE + 1 bytes are looked at: a line feed
        // among them ends a line that is not long.
        let window = bytes.get(start..).unwrap_or(&[]);
        let window = &window[..window.len().min(LONG_LINE + 1)];
        if let Some(p) = memchr::memchr(b'\n', window) {
            return start + p;
        }
        if window.len() <= LONG_LINE {
            return start + window.len();
        }
    }
    // Inside a long line: the first sentence end at least MIN_SENTENCE
    // bytes on, or the line feed, whichever comes first.
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        if b == b'\n' {
            return i;
        }
        if b == b' '
            && i >= start + MIN_SENTENCE
            && matches!(bytes[i - 1], b'.' | b'!' | b'?' | b';')
            && starts_sentence(&bytes[i + 1..])
        {
            return i;
        }
        i += 1;
    }
    bytes.len()
}

/// Whether text starting with these bytes starts a sentence: a capital
/// ASCII letter, a digit, a quote or an opening bracket.
fn starts_sentence(rest: &[u8]) -> bool {
    match rest.first() {
        Some(b) if b.is_ascii_uppercase() || b.is_ascii_digit() => true,
        Some(b'"' | b'(' | b'[' | b'\'') => true,
        // A typographic opening quote.
        _ => rest.starts_with("\u{201c}".as_bytes()),
    }
}

/// A block of lines: `text[start..end]`, where `start` is a piece start and
/// `end` a piece end or the end of the text.
#[derive(Debug, Clone, Copy)]
struct Block<'a> {
    /// The whole text, so that a piece knows the line it is part of.
    text: &'a str,
    /// The first byte.
    start: usize,
    /// Just past the last byte.
    end: usize,
}

impl<'a> Block<'a> {
    /// The block's pieces without their separators: its lines, like
    /// [`str::lines`] for text without carriage returns, and the sentences
    /// of its long lines ([`piece_end`]).
    fn lines(self) -> impl Iterator<Item = &'a str> {
        let bytes = self.text.as_bytes();
        let mut pos = self.start;
        std::iter::from_fn(move || {
            if pos >= self.end {
                return None;
            }
            let e = piece_end(bytes, pos).min(self.end);
            // `e` is at a line feed, a space or an end, and `pos` just past
            // one, so both cuts are char boundaries.
            let piece = self.text.get(pos..e);
            pos = e + 1;
            piece
        })
    }

    /// Whether the block, without trailing whitespace, has more than one
    /// piece.
    fn has_several_lines(self) -> bool {
        let trimmed = self
            .text
            .get(self.start..self.end)
            .map_or(0, |b| b.trim_end().len());
        Block {
            end: self.start + trimmed,
            ..self
        }
        .lines()
        .nth(1)
        .is_some()
    }
}

/// What a block's lines are, counted and measured (the tests' reference).
#[cfg(test)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Census {
    /// Lines that are not blank, and their bytes.
    lines: Tally,
    /// Lines led by a duty: "Own the roadmap", "Work with ...", "负责...".
    duties: Tally,
    /// Lines that state a requirement: "5+ years ...", "Experience with".
    requirements: Tally,
    /// Short lines that name a benefit: salary, vacation, pension, equity.
    benefits: Tally,
}

/// A number of lines and their length in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    /// How many lines.
    n: usize,
    /// Their bytes.
    bytes: usize,
}

impl Tally {
    fn add(&mut self, line: &str) {
        self.n += 1;
        self.bytes += line.len();
    }
}

/// The longest line, in bytes, that is looked at for benefit words: benefit
/// lists are lists of short items.
const MAX_BENEFIT_LINE: usize = 160;

/// The section of a block of lines under a heading of section `home` (not
/// duties or requirements), from what its lines are.
///
/// A block with at least two duty lines, more duty lines than benefit lines
/// and at least as many as requirement lines, where duty and requirement
/// lines make at least half of the text, is duties, whatever its heading
/// says: postings put their duties under "What's in it for you?", "About
/// Acme" or no heading at all. Without a heading, or under an "other"
/// heading, a block of at least two requirement lines that make half of its
/// text is requirements, and one of benefit lines likewise benefits.
/// Anything else keeps its heading's section. Shares are of bytes, so a few
/// short lines never overrule a long paragraph.
///
/// Benefit words are looked up only when the answer depends on them: the
/// benefit lines are among the short lines that are neither duties nor
/// requirements, so when those cannot change the answer they are not read
/// (the tests check this against a census of every line).
fn block_section(block: Block<'_>, home: Section, norm: &mut String) -> Section {
    if !block.has_several_lines() {
        return home;
    }
    let open = matches!(home, Section::Intro | Section::Other);
    // Under a company or benefits heading only duties can overrule it, and
    // that takes two lines that start like duties: a cheap first look.
    if !open
        && block
            .lines()
            .filter(|line| reads_as_duty(line_body(line), norm))
            .nth(1)
            .is_none()
    {
        return home;
    }
    let mut lines = Tally::default();
    let mut duties = Tally::default();
    let mut reqs = Tally::default();
    // Short lines that are neither: the only ones that may name a benefit.
    let mut short = Tally::default();
    for line in block.lines() {
        let body = line_body(line);
        if body.is_empty() {
            continue;
        }
        lines.add(body);
        if reads_as_requirement(line, norm) {
            reqs.add(body);
        } else if reads_as_duty(body, norm) {
            duties.add(body);
        } else if line.len() <= MAX_BENEFIT_LINE {
            short.add(body);
        }
    }
    let half = |bytes: usize| 2 * bytes >= lines.bytes;
    let mut benefits: Option<Tally> = None;
    let mut benefit_lines =
        |norm: &mut String| *benefits.get_or_insert_with(|| benefit_tally(block, norm));
    if duties.n >= 2
        && duties.n >= reqs.n
        && half(duties.bytes + reqs.bytes)
        && (duties.n > short.n || duties.n > benefit_lines(norm).n)
    {
        return Section::Duties;
    }
    if open
        && reqs.n >= 2
        && half(reqs.bytes)
        && (reqs.n > short.n || reqs.n > benefit_lines(norm).n)
    {
        return Section::Requirements;
    }
    if open && short.n >= 2 && half(short.bytes) {
        let b = benefit_lines(norm);
        if b.n >= 2 && half(b.bytes) {
            return Section::Benefits;
        }
    }
    home
}

/// The short lines of `block` that are neither duties nor requirements and
/// name a benefit.
fn benefit_tally(block: Block<'_>, norm: &mut String) -> Tally {
    let mut t = Tally::default();
    for line in block.lines() {
        let body = line_body(line);
        if !body.is_empty()
            && line.len() <= MAX_BENEFIT_LINE
            && !reads_as_requirement(line, norm)
            && !reads_as_duty(body, norm)
            && names_benefit(body, norm)
        {
            t.add(body);
        }
    }
    t
}

/// A line without its leading bullets, decoration and numbering and its
/// trailing whitespace.
fn line_body(line: &str) -> &str {
    let mut body = line.trim_start_matches(|c: char| !c.is_alphanumeric());
    if let Some(after_number) = strip_numbering(body) {
        body = after_number.trim_start_matches(|c: char| !c.is_alphanumeric());
    }
    body.trim_end()
}

/// Whether a line inside a duties part states a requirement: it starts with
/// one of [`REQUIREMENT_STARTS`], or with a number of years.
fn reads_as_requirement(line: &str, norm: &mut String) -> bool {
    let body = line.trim_start_matches(|c: char| !c.is_alphanumeric());
    // An ASCII first letter that starts no entry decides before any folding
    // (folding keeps an ASCII letter's place and lower-cases it).
    if let Some(&b) = body.as_bytes().first() {
        if b.is_ascii_alphabetic() {
            if requirement_bucket(b.to_ascii_lowercase()).is_empty() {
                return false;
            }
            if let Some(found) = plain_requirement_start(body.as_bytes()) {
                return found;
            }
        }
    }
    norm.clear();
    fold_body(body, norm, 40);
    let digits = norm.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let rest = norm
            .get(digits..)
            .unwrap_or("")
            .trim_start_matches(['+', '-', ' ']);
        let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
        return YEARS.iter().any(|y| rest.starts_with(y));
    }
    norm.as_bytes()
        .first()
        .is_some_and(|&f| requirement_bucket(f).iter().any(|s| norm.starts_with(s)))
}

/// The first `len` bytes of `body` (fewer when it is shorter) when they
/// fold to themselves lower-cased: ASCII, with no whitespace but single
/// spaces, and no space ending the body (folding drops it). `None` when
/// folding may read them otherwise.
fn plain_head(body: &[u8], len: usize) -> Option<&[u8]> {
    let n = body.len().min(len);
    let head = body.get(..n)?;
    let mut space = false;
    for &b in head {
        if !b.is_ascii() || (b'\t'..=b'\r').contains(&b) || (b == b' ' && space) {
            return None;
        }
        space = b == b' ';
    }
    if space && n == body.len() {
        return None;
    }
    Some(head)
}

/// Whether `body` starts with one of [`REQUIREMENT_STARTS`], decided on its
/// own bytes when its head folds to itself lower-cased: ASCII, with no
/// whitespace but single spaces (and no space ending the body, which
/// folding drops). `None` when the head may fold otherwise.
fn plain_requirement_start(body: &[u8]) -> Option<bool> {
    let head = plain_head(body, REQUIREMENT_LONGEST + 1)?;
    let first = head.first()?.to_ascii_lowercase();
    // Plain heads fold to themselves lower-cased, so a second letter that
    // no entry with this first letter has rules them all out.
    let second = head.get(1).map(u8::to_ascii_lowercase);
    Some(requirement_bucket(first).iter().any(|s| {
        s.as_bytes().get(1).copied() == second
            && head
                .get(..s.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(s.as_bytes()))
    }))
}

/// The entries of [`REQUIREMENT_STARTS`] that start with byte `b`.
fn requirement_bucket(b: u8) -> &'static [&'static str] {
    static BUCKETS: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    BUCKETS
        .get_or_init(|| {
            let mut buckets = vec![Vec::new(); 256];
            for s in REQUIREMENT_STARTS {
                if let Some(bucket) = s
                    .as_bytes()
                    .first()
                    .and_then(|&f| buckets.get_mut(usize::from(f)))
                {
                    bucket.push(*s);
                }
            }
            buckets
        })
        .get(usize::from(b))
        .map_or(&[], Vec::as_slice)
}

/// The length of the longest of [`REQUIREMENT_STARTS`].
const REQUIREMENT_LONGEST: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < REQUIREMENT_STARTS.len() {
        if REQUIREMENT_STARTS[i].len() > longest {
            longest = REQUIREMENT_STARTS[i].len();
        }
        i += 1;
    }
    longest
};

/// The longest normalised start of a line compared with [`DUTY_STARTS`].
const DUTY_HEAD: usize = 32;

/// Whether `body` (a line without its bullet or number) starts with one of
/// [`DUTY_STARTS`] or [`CJK_DUTY_STARTS`].
fn reads_as_duty(body: &str, norm: &mut String) -> bool {
    let bytes = body.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    if !first.is_ascii() {
        if CJK_DUTY_STARTS.iter().any(|s| body.starts_with(s)) {
            return true;
        }
    } else {
        // Every start has two bytes or more; an ASCII pair folds to itself
        // lower-cased (whitespace to a space), so it picks the only
        // candidates before any folding.
        let Some(&second) = bytes.get(1) else {
            return false;
        };
        if second.is_ascii() {
            let bucket = duty_bucket([fold_ascii(first), fold_ascii(second)]);
            if bucket.is_empty() {
                return false;
            }
            if let Some(found) = plain_duty_start(bytes, bucket) {
                return found;
            }
        }
    }
    norm.clear();
    fold_body(body, norm, DUTY_HEAD);
    let Some(key) = norm
        .as_bytes()
        .get(..2)
        .and_then(|k| <[u8; 2]>::try_from(k).ok())
    else {
        return false;
    };
    duty_bucket(key).iter().any(|s| starts_with_word(norm, s))
}

/// Whether `body` starts with one of `bucket` (the duty starts with its
/// first letter), decided on its own bytes when its head folds to itself
/// lower-cased (ASCII, single spaces) and the byte after a match is ASCII.
/// `None` when folding may read it otherwise.
fn plain_duty_start(body: &[u8], bucket: &[&str]) -> Option<bool> {
    let head = plain_head(body, DUTY_HEAD + 1)?;
    for s in bucket {
        let matched = head
            .get(..s.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(s.as_bytes()));
        if !matched {
            continue;
        }
        match body.get(s.len()) {
            None => return Some(true),
            Some(b) if b.is_ascii() => {
                if !b.is_ascii_alphanumeric() {
                    return Some(true);
                }
            }
            Some(_) => return None,
        }
    }
    Some(false)
}

/// Whether `text` starts with `word` and a word ends there.
fn starts_with_word(text: &str, word: &str) -> bool {
    text.starts_with(word)
        && text[word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// An ASCII byte as folding leaves it: lower-cased, whitespace a space.
fn fold_ascii(b: u8) -> u8 {
    if (b'\t'..=b'\r').contains(&b) {
        b' '
    } else {
        b.to_ascii_lowercase()
    }
}

/// The entries of [`DUTY_STARTS`] that start with the two bytes `key`.
fn duty_bucket(key: [u8; 2]) -> &'static [&'static str] {
    static BUCKETS: OnceLock<rustc_hash::FxHashMap<[u8; 2], Vec<&'static str>>> = OnceLock::new();
    BUCKETS
        .get_or_init(|| {
            let mut buckets = rustc_hash::FxHashMap::default();
            for s in DUTY_STARTS {
                if let Some(key) = s
                    .as_bytes()
                    .get(..2)
                    .and_then(|k| <[u8; 2]>::try_from(k).ok())
                {
                    buckets.entry(key).or_insert_with(Vec::new).push(*s);
                }
            }
            buckets
        })
        .get(&key)
        .map_or(&[], Vec::as_slice)
}

/// The longest of [`BENEFIT_WORDS`], in bytes.
const BENEFIT_LONGEST: usize = 24;

/// Whether `body` contains one of [`BENEFIT_WORDS`] as a whole word (in any
/// case, accents folded) or one of [`CJK_BENEFIT_WORDS`]. `buf` is scratch.
fn names_benefit(body: &str, buf: &mut String) -> bool {
    static WORDS: OnceLock<rustc_hash::FxHashSet<&'static str>> = OnceLock::new();
    let words = WORDS.get_or_init(|| BENEFIT_WORDS.iter().copied().collect());
    for word in body.split(|c: char| !c.is_alphanumeric()) {
        if word.len() < 3 || word.len() > BENEFIT_LONGEST {
            continue;
        }
        buf.clear();
        for c in word.chars() {
            push_folded(c, buf);
        }
        if words.contains(buf.as_str()) {
            return true;
        }
    }
    !body.is_ascii() && CJK_BENEFIT_WORDS.iter().any(|w| body.contains(w))
}

/// The section at byte offset `pos`, given spans from [`split_sections`]
/// (binary search).
///
/// An offset at or past the end of the last span gives the last span's
/// section; no spans at all give [`Section::Intro`].
pub fn section_at(spans: &[SectionSpan], pos: usize) -> Section {
    let i = spans.partition_point(|span| span.end <= pos);
    match spans.get(i).or_else(|| spans.last()) {
        Some(span) => span.section,
        None => Section::Intro,
    }
}

/// Whether a phrase matches only the whole heading or also its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The heading must be exactly the phrase.
    Exact,
    /// The heading may continue after the phrase ("Requirements and
    /// qualifications").
    Prefix,
}

/// Shorthand for [`Mode::Exact`] in the tables.
const E: Mode = Mode::Exact;
/// Shorthand for [`Mode::Prefix`] in the tables.
const P: Mode = Mode::Prefix;

/// Every phrase table with its section.
const TABLES: [(&[(&str, Mode)], Section); 6] = [
    (DUTIES, Section::Duties),
    (REQUIREMENTS, Section::Requirements),
    (COMPANY, Section::Company),
    (BENEFITS, Section::Benefits),
    (OTHER, Section::Other),
    (TEAM, Section::Intro),
];

/// Whether `line` starts with one of [`ROLE_INTRO_STARTS`] (in any case,
/// with a straight or a typographic apostrophe).
fn introduces_role(line: &str) -> bool {
    let line = line.trim_start();
    ROLE_INTRO_STARTS.iter().any(|start| {
        let mut chars = line.chars().map(|c| {
            if c == '\u{2019}' {
                '\''
            } else {
                c.to_ascii_lowercase()
            }
        });
        start.chars().all(|c| chars.next() == Some(c))
    })
}

/// One heading phrase with its section.
#[derive(Debug, Clone, Copy)]
struct Phrase {
    /// The normalised phrase.
    text: &'static str,
    /// The section the phrase starts.
    section: Section,
    /// Whether the phrase matches only a whole heading.
    mode: Mode,
}

/// The phrases of every table, grouped by their first two bytes, in table
/// order within each group.
struct PhraseIndex {
    /// Phrases of two bytes or more, by their first two bytes.
    by_start: rustc_hash::FxHashMap<[u8; 2], Vec<Phrase>>,
    /// Phrases shorter than two bytes (none in the tables today).
    short: Vec<Phrase>,
    /// Per group of `by_start`, the distinct heads of its phrases and of the
    /// "About ..." prefixes: their first [`EARLY_PREFIX`] bytes packed into
    /// an integer, with their length.
    heads: rustc_hash::FxHashMap<[u8; 2], Vec<(u64, usize)>>,
}

/// Up to eight bytes packed into an integer, little-endian, zero-padded.
fn pack8(bytes: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = bytes.len().min(8);
    if let (Some(dst), Some(src)) = (b.get_mut(..n), bytes.get(..n)) {
        dst.copy_from_slice(src);
    }
    u64::from_le_bytes(b)
}

// The early prefix is compared packed into one integer.
const _: () = assert!(EARLY_PREFIX <= 8);

impl PhraseIndex {
    /// Every phrase that `norm` may equal or start with: those sharing its
    /// first two bytes, then the shorter ones. Two phrases that both match
    /// with the same length have the same text, so they are in one group
    /// and keep their table order.
    fn candidates(&self, norm: &str) -> impl Iterator<Item = &Phrase> + '_ {
        let group = norm
            .as_bytes()
            .get(..2)
            .and_then(|b| <[u8; 2]>::try_from(b).ok())
            .and_then(|key| self.by_start.get(&key))
            .map_or(&[][..], Vec::as_slice);
        group.iter().chain(&self.short)
    }

    /// Whether a normalised text that starts with `start` (its first
    /// [`EARLY_PREFIX`] bytes, or all of it when shorter) may start with a
    /// phrase or an "About ..." prefix: whether one of them agrees with
    /// `start` as far as both go.
    fn may_start(&self, start: &str) -> bool {
        // Compared as integers over at most EARLY_PREFIX bytes: exact when
        // `start` is that short, and otherwise a yes where a longer
        // comparison might say no, which only costs the caller a full look
        // at the line.
        let bytes = start.as_bytes();
        if let (Some(key), true) = (
            bytes.get(..2).and_then(|b| <[u8; 2]>::try_from(b).ok()),
            self.short.is_empty(),
        ) {
            let len = bytes.len().min(EARLY_PREFIX);
            let packed = pack8(bytes.get(..len).unwrap_or(&[]));
            let agree = |&(head, head_len): &(u64, usize)| {
                let n = head_len.min(len);
                let mask = if n >= 8 {
                    u64::MAX
                } else {
                    (1u64 << (8 * n)) - 1
                };
                (head ^ packed) & mask == 0
            };
            let about = ABOUT_PREFIXES.iter().any(|p| {
                let n = p.len().min(bytes.len());
                p.as_bytes().get(..n) == bytes.get(..n)
            });
            return about
                || self
                    .heads
                    .get(&key)
                    .is_some_and(|heads| heads.iter().any(agree));
        }
        self.may_start_exactly(start)
    }

    /// Whether a phrase or an "About ..." prefix agrees with `start` as far
    /// as both go, comparing all of them.
    fn may_start_exactly(&self, start: &str) -> bool {
        let agree = |text: &str| {
            let n = text.len().min(start.len());
            text.as_bytes().get(..n) == start.as_bytes().get(..n)
        };
        self.candidates(start).any(|p| agree(p.text)) || ABOUT_PREFIXES.iter().any(|p| agree(p))
    }
}

fn phrase_index() -> &'static PhraseIndex {
    static INDEX: OnceLock<PhraseIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = PhraseIndex {
            by_start: rustc_hash::FxHashMap::default(),
            short: Vec::new(),
            heads: rustc_hash::FxHashMap::default(),
        };
        for (table, section) in TABLES {
            for &(text, mode) in table {
                let phrase = Phrase {
                    text,
                    section,
                    mode,
                };
                match text
                    .as_bytes()
                    .get(..2)
                    .and_then(|b| <[u8; 2]>::try_from(b).ok())
                {
                    Some(key) => index.by_start.entry(key).or_default().push(phrase),
                    None if !text.is_empty() => index.short.push(phrase),
                    None => {}
                }
            }
        }
        for (key, group) in &index.by_start {
            let mut heads: Vec<(u64, usize)> = Vec::new();
            for phrase in group {
                let bytes = phrase.text.as_bytes();
                let len = bytes.len().min(EARLY_PREFIX);
                let head = (pack8(bytes.get(..len).unwrap_or(&[])), len);
                if !heads.contains(&head) {
                    heads.push(head);
                }
            }
            index.heads.insert(*key, heads);
        }
        index
    })
}

/// What normalising a candidate heading found out about it.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    /// The line starts with a list bullet ("- ", "* ", "• ").
    bullet: bool,
    /// The line ends with a colon (possibly inside Markdown decoration).
    colon: bool,
    /// The line ends like a sentence, with `.` or `;`.
    sentence: bool,
    /// The number of words of the normalised text.
    words: usize,
}

/// The section that `line` starts as a heading, if it is one.
fn classify_line(line: &str, norm: &mut String) -> Option<Section> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return None;
    }
    if trimmed.len() <= MAX_HEADING_LINE {
        // Without a colon, a line is a heading only if its normalised text
        // starts with a phrase or "about": its first bytes tell, before the
        // whole line is normalised.
        if find_colon(trimmed, trimmed.len()).is_none() {
            norm.clear();
            fold_body(heading_body(trimmed), norm, EARLY_PREFIX);
            if !phrase_index().may_start(norm) {
                return None;
            }
        }
        let shape = normalize(trimmed, norm);
        if let Some(section) = match_whole(norm, shape) {
            return Some(section);
        }
    }
    match_inline(trimmed, norm)
}

/// Matches a whole normalised line against the phrases, the generic
/// "About ..." heading and, for lines ending with `:`, the keywords.
fn match_whole(norm: &str, shape: Shape) -> Option<Section> {
    norm.as_bytes().first()?;
    let may_continue = !shape.bullet && !shape.sentence && shape.words <= MAX_PREFIX_WORDS;
    let mut best: Option<Phrase> = None;
    for phrase in phrase_index().candidates(norm) {
        let matched = if norm.len() == phrase.text.len() {
            norm == phrase.text
        } else {
            phrase.mode == Mode::Prefix
                && may_continue
                && norm.starts_with(phrase.text)
                && continues_heading(phrase.text, &norm[phrase.text.len()..])
        };
        if matched && best.is_none_or(|b| phrase.text.len() > b.text.len()) {
            best = Some(*phrase);
        }
    }
    if let Some(phrase) = best {
        return Some(phrase.section);
    }
    if shape.bullet || shape.sentence {
        return None;
    }
    if shape.words <= MAX_ABOUT_WORDS
        && ABOUT_PREFIXES
            .iter()
            .any(|p| norm.len() > p.len() && norm.starts_with(p))
    {
        return Some(Section::Company);
    }
    if shape.colon && shape.words <= MAX_KEYWORD_WORDS {
        return KEYWORDS
            .iter()
            .find(|(keyword, _)| contains_word_start(norm, keyword))
            .map(|&(_, section)| section);
    }
    None
}

/// Matches a line of the form "Heading: more text" whose heading part is
/// exactly a known phrase.
fn match_inline(line: &str, norm: &mut String) -> Option<Section> {
    let head_end = find_colon(line, MAX_INLINE_HEADING)?;
    let head = line.get(..head_end)?;
    let shape = normalize(head, norm);
    if shape.bullet || norm.is_empty() {
        return None;
    }
    phrase_index()
        .candidates(norm)
        .find(|phrase| phrase.text == norm.as_str())
        .map(|phrase| phrase.section)
}

/// The byte offset of the first `:` or `：` that starts at most `limit`
/// bytes into `line`.
///
/// Scans bytes, not chars: in UTF-8 the byte `:` is always the whole char
/// and `0xEF` always starts a char, so a byte match is a char match.
fn find_colon(line: &str, limit: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let end = bytes.len().min(limit.saturating_add(1));
    let head = bytes.get(..end)?;
    memchr::memchr2_iter(b':', 0xef, head)
        .find(|&i| bytes[i] == b':' || bytes.get(i + 1..i + 3) == Some(&[0xbc, 0x9a][..]))
}

/// Whether `rest`, the text after `phrase` at the start of a heading, lets
/// the line still be a heading: the phrase must end at a word boundary and
/// the rest must not read like a sentence.
fn continues_heading(phrase: &str, rest: &str) -> bool {
    let Some(next) = rest.chars().next() else {
        return true;
    };
    let phrase_ends_in_ascii = phrase.as_bytes().last().is_some_and(u8::is_ascii);
    if phrase_ends_in_ascii && next.is_alphanumeric() {
        return false;
    }
    !rest
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| SENTENCE_WORDS.contains(&word))
}

/// Whether `keyword` occurs in `text` at the start of a word.
fn contains_word_start(text: &str, keyword: &str) -> bool {
    let needs_boundary = keyword.as_bytes().first().is_some_and(u8::is_ascii);
    word_matches(text, keyword).any(|i| {
        !needs_boundary
            || text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The starts of the non-overlapping occurrences of `keyword` in `text`,
/// left to right, like [`str::match_indices`] but without building a
/// searcher: texts here are short lines.
fn word_matches<'a>(text: &'a str, keyword: &'a str) -> impl Iterator<Item = usize> + 'a {
    let hay = text.as_bytes();
    let needle = keyword.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        let first = *needle.first()?;
        while from + needle.len() <= hay.len() {
            let at = from;
            if hay[at] == first && hay.get(at..at + needle.len()) == Some(needle) {
                from = at + needle.len();
                return Some(at);
            }
            from += 1;
        }
        None
    })
}

/// Writes the normalised form of a trimmed candidate heading into `norm`
/// and describes its shape.
///
/// Leading bullets, Markdown marks, emoji and numbering ("1.", "2)") and
/// trailing punctuation are stripped; the rest is lower-cased, Latin accents
/// are folded to ASCII, typographic apostrophes become `'`, and runs of
/// whitespace become one space.
fn normalize(line: &str, norm: &mut String) -> Shape {
    norm.clear();
    let mut shape = Shape::default();
    let mut chars = line.chars();
    let first = chars.next();
    let second = chars.next();
    shape.bullet = matches!(
        first,
        Some('-' | '*' | '+' | '•' | '·' | '–' | '—' | '▪' | '◦')
    ) && second.is_some_and(char::is_whitespace);

    let (core, body) = core_and_body(line);
    let tail = &core[body.len()..];
    shape.colon = tail.contains([':', '：']);
    shape.sentence = !shape.colon
        && tail.contains(['.', ';', '。'])
        && !tail.as_bytes().windows(2).any(|pair| pair == b"..")
        && !tail.contains('…');
    shape.words = fold_body(body, norm, usize::MAX);
    shape
}

/// The part of a candidate heading that [`normalize`] folds: without the
/// leading bullets, decoration and numbering, and the trailing punctuation.
fn heading_body(line: &str) -> &str {
    core_and_body(line).1
}

/// A candidate heading without its leading bullets, decoration and
/// numbering (the core), and the core without its trailing punctuation
/// (the body).
fn core_and_body(line: &str) -> (&str, &str) {
    let mut core = line.trim_start_matches(|c: char| !c.is_alphanumeric());
    if let Some(after_number) = strip_numbering(core) {
        core = after_number.trim_start_matches(|c: char| !c.is_alphanumeric());
    }
    let body = core.trim_end_matches(|c: char| !c.is_alphanumeric());
    (core, body)
}

/// Appends the folded `body` to `norm` (lower-cased, accents folded, runs
/// of whitespace made one space), stopping once `norm` holds at least
/// `limit` bytes; returns the number of words appended.
fn fold_body(body: &str, norm: &mut String, limit: usize) -> usize {
    let mut words = 0;
    let mut in_space = false;
    // The ASCII head of the body in a loop over bytes: for ASCII,
    // `char::is_whitespace` is space and tab to carriage return, and folding
    // is lower-casing. The rest, from the first non-ASCII char on, goes
    // char by char. Neither reads past `limit`.
    let mut ascii_end = body.len();
    for (i, &b) in body.as_bytes().iter().enumerate() {
        if norm.len() >= limit || !b.is_ascii() {
            ascii_end = i;
            break;
        }
        if b == b' ' || (b'\t'..=b'\r').contains(&b) {
            in_space = true;
            continue;
        }
        if in_space {
            norm.push(' ');
            words += 1;
            in_space = false;
        }
        norm.push(char::from(b.to_ascii_lowercase() & 0x7f));
    }
    // `ascii_end` follows an ASCII byte or is an end of the body, so it is
    // a char boundary.
    for c in body.get(ascii_end..).unwrap_or("").chars() {
        if norm.len() >= limit {
            break;
        }
        if c.is_whitespace() {
            in_space = true;
            continue;
        }
        if in_space {
            norm.push(' ');
            words += 1;
            in_space = false;
        }
        push_folded(c, norm);
    }
    if !norm.is_empty() {
        words += 1;
    }
    words
}

/// The text after a leading list number such as "1." or "12)", if `text`
/// starts with one.
fn strip_numbering(text: &str) -> Option<&str> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let rest = &text[digits..];
    rest.strip_prefix(['.', ')'])
}

/// Appends `c` lower-cased, with Latin accents folded to ASCII and
/// typographic apostrophes made plain.
fn push_folded(c: char, norm: &mut String) {
    if c.is_ascii() {
        norm.push(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        match lower {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ą' => norm.push('a'),
            'ç' | 'ć' | 'č' => norm.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' => norm.push('e'),
            'ì' | 'í' | 'î' | 'ï' => norm.push('i'),
            'ñ' | 'ń' | 'ň' => norm.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => norm.push('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'ů' => norm.push('u'),
            'ý' | 'ÿ' => norm.push('y'),
            'ś' | 'š' => norm.push('s'),
            'ź' | 'ż' | 'ž' => norm.push('z'),
            'ł' => norm.push('l'),
            'ř' => norm.push('r'),
            'ß' => norm.push_str("ss"),
            'œ' => norm.push_str("oe"),
            'æ' => norm.push_str("ae"),
            '\u{2019}' | '\u{2018}' | '\u{2032}' | '\u{b4}' | '`' => norm.push('\''),
            '\u{2010}' | '\u{2011}' => norm.push('-'),
            other => norm.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The sections of `text` with the first line of each span.
    fn outline(text: &str) -> Vec<(Section, &str)> {
        let mut spans = Vec::new();
        split_sections(text, &mut spans);
        spans
            .iter()
            .map(|s| (s.section, text[s.start..s.end].lines().next().unwrap_or("")))
            .collect()
    }

    /// The section a single line starts, if it is a heading.
    fn heading(line: &str) -> Option<Section> {
        classify_line(line, &mut String::new())
    }

    /// Checks that spans are contiguous, start at 0, end at the text's
    /// length and cut only at char boundaries.
    fn assert_covers(text: &str, spans: &[SectionSpan]) {
        assert!(!spans.is_empty());
        assert_eq!(spans[0].start, 0);
        assert_eq!(spans[spans.len() - 1].end, text.len());
        for pair in spans.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
        for span in spans {
            assert!(span.start <= span.end);
            assert!(text.is_char_boundary(span.start));
            assert!(text.is_char_boundary(span.end));
        }
    }

    #[test]
    fn section_names_round_trip() {
        let names: Vec<&str> = Section::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            names,
            [
                "intro",
                "duties",
                "requirements",
                "company",
                "benefits",
                "other"
            ]
        );
        for section in Section::ALL {
            let json = format!("\"{}\"", section.as_str());
            assert_eq!(serde_json::to_string(&section).ok(), Some(json.clone()));
            let back: Option<Section> = serde_json::from_str(&json).ok();
            assert_eq!(back, Some(section));
        }
    }

    #[test]
    fn english_posting() {
        let text = "Acme is hiring a Senior Product Manager.\n\n\
            About Acme\nWe build tools.\n\n\
            Key Responsibilities:\n- Own the roadmap\n- Talk to customers\n\n\
            Qualifications\n- 5+ years of product management\n\n\
            What we offer\n- Equity\n\n\
            How to apply\nSend your CV.\n\n\
            Equal Opportunity Employer\nWe welcome everyone.";
        assert_eq!(
            outline(text),
            [
                (Section::Intro, "Acme is hiring a Senior Product Manager."),
                (Section::Company, "About Acme"),
                (Section::Duties, "Key Responsibilities:"),
                (Section::Requirements, "Qualifications"),
                (Section::Benefits, "What we offer"),
                (Section::Other, "How to apply"),
                (Section::Company, "Equal Opportunity Employer"),
            ]
        );
    }

    #[test]
    fn requirement_lines_under_a_duties_heading_are_requirements() {
        let text = "Responsibilities\n\
            - Own the product roadmap\n\
            - Must have created roadmaps before\n\
            * 5+ years of product management\n\
            - Knowledge of SQL\n\
            - Run market research\n\
            Deine Aufgaben\n\
            - Du hast Erfahrung mit Scrum\n\
            - 3 Jahre Erfahrung\n\
            Vos missions\n\
            - Vous avez une expérience produit\n\
            - Piloter la feuille de route";
        assert_eq!(
            outline(text),
            [
                (Section::Duties, "Responsibilities"),
                (Section::Requirements, "- Must have created roadmaps before"),
                (Section::Duties, "- Run market research"),
                (Section::Requirements, "- Du hast Erfahrung mit Scrum"),
                (Section::Duties, "Vos missions"),
                (Section::Requirements, "- Vous avez une expérience produit"),
                (Section::Duties, "- Piloter la feuille de route"),
            ]
        );
        // Only inside duties: the same lines elsewhere keep their section.
        let intro = "We are a startup.\n- Must have created roadmaps before";
        assert_eq!(outline(intro), [(Section::Intro, "We are a startup.")]);
        // Duty lines that merely mention experience or years stay duties.
        for line in [
            "- Share your experience with the team",
            "- Plan the next 2 quarters",
            "- 3 launches a year",
        ] {
            let text = format!("Responsibilities\n{line}");
            assert_eq!(outline(&text), [(Section::Duties, "Responsibilities")]);
        }
    }

    /// [`reads_as_requirement`] with folding always, no shortcut.
    fn reads_as_requirement_slowly(line: &str) -> bool {
        let body = line.trim_start_matches(|c: char| !c.is_alphanumeric());
        let mut norm = String::new();
        fold_body(body, &mut norm, 40);
        let digits = norm.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let rest = norm[digits..].trim_start_matches(['+', '-', ' ']);
            let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
            return YEARS.iter().any(|y| rest.starts_with(y));
        }
        REQUIREMENT_STARTS.iter().any(|s| norm.starts_with(s))
    }

    #[test]
    fn requirement_starts_are_folded_ascii() {
        for s in REQUIREMENT_STARTS {
            let mut folded = String::new();
            fold_body(s, &mut folded, usize::MAX);
            assert!(!s.starts_with(' '), "{s:?}");
            assert!(s.is_ascii() || !s.as_bytes()[0].is_ascii(), "{s:?}");
            assert_eq!(folded, s.trim_end(), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn requirement_lines_are_read_alike_with_and_without_the_shortcut(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "must", "Must", "MUST", " ", "  ", "\t", "have", "5", "+", "years", "É",
                    "Experience", "du", "hast", "-", "at", "least", "Ability", "to", "é",
                    "understanding", "of", "x", "\u{a0}", "une", "premiere", "expérience",
                ]),
                0..8,
            ),
        ) {
            let line: String = parts.concat();
            let mut norm = String::new();
            proptest::prop_assert_eq!(
                reads_as_requirement(&line, &mut norm),
                reads_as_requirement_slowly(&line),
                "{:?}", line
            );
        }
    }

    /// The section of each line of `text` that is not blank.
    fn line_sections(text: &str) -> Vec<(Section, &str)> {
        let mut spans = Vec::new();
        split_sections(text, &mut spans);
        let mut at = 0;
        let mut out = Vec::new();
        for line in text.split_inclusive('\n') {
            if !line.trim().is_empty() {
                out.push((section_at(&spans, at), line.trim_end()));
            }
            at += line.len();
        }
        out
    }

    #[test]
    fn duties_under_a_benefits_sounding_heading_are_duties() {
        let text = "What's in it for you?\n\
            - Own the product roadmap for our payments app\n\
            - Write user stories with the engineering team\n\
            - Work with sales on the launch plan\n\
            - 4+ years in product management\n";
        assert_eq!(
            line_sections(text),
            [
                (Section::Benefits, "What's in it for you?"),
                (
                    Section::Duties,
                    "- Own the product roadmap for our payments app"
                ),
                (
                    Section::Duties,
                    "- Write user stories with the engineering team"
                ),
                (Section::Duties, "- Work with sales on the launch plan"),
                (Section::Requirements, "- 4+ years in product management"),
            ]
        );
    }

    #[test]
    fn duties_under_an_unknown_heading_are_duties() {
        let text = "About Acme\nAcme sells bicycles online.\n\n\
            Your week at a glance\n\
            * Defines the quarterly goals of the checkout team\n\
            * Prioritizes the backlog together with the designers\n\
            * Runs discovery interviews with riders\n\n\
            Deine Woche\n\
            - Erstellung von User Stories\n\
            - Du priorisierst das Backlog\n\n\
            Au programme\n\
            - Piloter la feuille de route\n\
            - Rédiger les spécifications\n\n\
            日常\n1. 负责产品规划\n2. 撰写需求文档\n";
        let sections = line_sections(text);
        assert_eq!(sections[0], (Section::Company, "About Acme"));
        // A company heading, its blurb, then a question the table lacks
        // above gerund-led duties.
        let text = "Who are we?\nWe are a team of forty people.\n\n\
            Where will your energy go?\n\n\
            * Designing the onboarding of new merchants\n\
            * Planning the quarterly releases with engineering\n\
            * Talking to merchants every week\n";
        let kinds: Vec<Section> = line_sections(text).iter().map(|l| l.0).collect();
        assert_eq!(
            kinds,
            [
                Section::Company,
                Section::Company,
                Section::Company,
                Section::Duties,
                Section::Duties,
                Section::Duties,
            ]
        );
        assert_eq!(
            heading("What will you be working on?"),
            Some(Section::Duties)
        );
        for (section, line) in &sections[2..] {
            let is_heading = !line.starts_with(['*', '-', '1', '2']);
            if !is_heading {
                assert_eq!(*section, Section::Duties, "{line}");
            }
        }
    }

    #[test]
    fn bullets_with_no_heading_are_duties() {
        let text = "Senior Product Manager, Payments\n\
            - Own the roadmap\n\
            - Define success metrics with the data team\n\
            - Work with engineering on delivery\n\
            - Experience with B2B products\n\n\
            Acme is an equal opportunity employer.\n";
        assert_eq!(
            line_sections(text),
            [
                (Section::Duties, "Senior Product Manager, Payments"),
                (Section::Duties, "- Own the roadmap"),
                (
                    Section::Duties,
                    "- Define success metrics with the data team"
                ),
                (Section::Duties, "- Work with engineering on delivery"),
                (Section::Requirements, "- Experience with B2B products"),
                (Section::Intro, "Acme is an equal opportunity employer."),
            ]
        );
        // Requirement and benefit lists with no heading are told apart too.
        let text = "- 5+ years of product management\n\
            - Experience with SQL\n\
            - Fluent English\n\n\
            - Competitive salary\n\
            - 30 vacation days\n\
            - Pension plan\n";
        let kinds: Vec<Section> = line_sections(text).iter().map(|l| l.0).collect();
        assert_eq!(
            kinds,
            [
                Section::Requirements,
                Section::Requirements,
                Section::Requirements,
                Section::Benefits,
                Section::Benefits,
                Section::Benefits,
            ]
        );
    }

    #[test]
    fn a_benefits_list_stays_benefits() {
        let text = "Benefits\n\
            - Competitive salary and equity\n\
            - 30 days of vacation\n\
            - Build your career with a learning budget\n\
            - Health insurance and a pension plan\n\
            - Remote stipend\n\n\
            Wir bieten\n- 30 Tage Urlaub\n- Betriebliche Altersvorsorge\n- Jobticket\n\n\
            福利待遇\n五险一金\n带薪年假\n";
        for (section, line) in line_sections(text) {
            assert_eq!(section, Section::Benefits, "{line}");
        }
    }

    #[test]
    fn a_long_paragraph_is_not_overruled_by_a_short_list_after_it() {
        // A posting flattened into one line (its headings inside it), then
        // a few benefit lines with no blank line between: the paragraph
        // keeps its section.
        let paragraph = "Acme builds tools for bakers. What you'll do Own the roadmap \
            of our ordering app, define the goals of the team, talk to bakers every \
            week and decide with engineering what to build next. Who you are You have \
            shipped products before and love working with data.";
        let text = format!(
            "{paragraph}\nCompetitive salary and equity\nFlexible vacation policy\n\
             Retirement plan with a company match\n"
        );
        assert_eq!(line_sections(&text)[0], (Section::Intro, paragraph));
    }

    #[test]
    fn a_company_blurb_stays_company() {
        let text = "About us\n\
            Acme was founded in 2009 and builds software for farmers.\n\
            We are 300 people in six countries.\n\
            Our customers grow food on four continents.\n\
            Lead by example is one of our values.\n\n\
            Über uns\nWir sind ein Familienunternehmen.\nUnsere Werte sind Vertrauen und Mut.\n";
        for (section, line) in line_sections(text) {
            assert_eq!(section, Section::Company, "{line}");
        }
    }

    /// A posting whose line breaks were lost: company text, then duties,
    /// then requirements, run together on one line of over 1,000 bytes.
    const FLAT: &str = "About us: Acme Freight builds software for shipping companies in \
        twelve countries. We are a team of 80 people with offices in Rotterdam and Lisbon. \
        Our customers move containers across Europe every day, and our tools plan the \
        trucks, the barges and the trains that carry them. The role: Acme is hiring a \
        product manager for its booking platform. Key responsibilities: Own the product \
        roadmap for the booking platform. Define the product strategy with the leadership \
        team. Run market research with shipping companies and freight forwarders. Write \
        user stories and acceptance criteria with the engineers. Work with sales and \
        marketing on every launch, from the pricing to the first customer training. Lead sprint planning and reviews with the team. \
        Requirements: 5+ years of product management in B2B software. Experience with \
        logistics or shipping is a plus. Fluent English; Dutch is welcome. What we offer: \
        30 days of paid vacation. A pension plan and a yearly learning budget of 1,500 euros. \
        Apply with your CV and a short note on a product you admire.";

    #[test]
    fn a_posting_on_one_long_line_is_read_sentence_by_sentence() {
        assert!(FLAT.len() > LONG_LINE && !FLAT.contains('\n'));
        let mut spans = Vec::new();
        split_sections(FLAT, &mut spans);
        let at = |needle: &str| section_at(&spans, FLAT.find(needle).unwrap());
        assert_eq!(at("Acme Freight builds"), Section::Company);
        assert_eq!(at("Our customers move"), Section::Company);
        assert_eq!(at("Own the product roadmap"), Section::Duties);
        assert_eq!(at("Write user stories"), Section::Duties);
        assert_eq!(at("Lead sprint planning"), Section::Duties);
        assert_eq!(at("5+ years"), Section::Requirements);
        assert_eq!(at("30 days"), Section::Benefits);
        // Cut short, the same text is one line, and one part.
        let short = &FLAT[..FLAT.find(" Key responsibilities").unwrap()];
        split_sections(short, &mut spans);
        assert_eq!(spans.len(), 1);
    }

    #[test]
    fn sentences_are_cut_only_in_long_lines_and_never_short() {
        let line = format!(
            "{}Dr. Smith leads the team. then more",
            "Own the roadmap for payments. ".repeat(40)
        );
        let pieces: Vec<&str> = whole(&line).lines().collect();
        assert_eq!(pieces[0], "Own the roadmap for payments.");
        assert_eq!(pieces.len(), 41, "{pieces:?}");
        // "Dr." is shorter than a sentence; a lower-case word starts none.
        assert_eq!(pieces[40], "Dr. Smith leads the team. then more");
        let short = "Own the roadmap for payments. Write user stories. Run the reviews.";
        assert_eq!(whole(short).lines().count(), 1);
    }

    /// All of `text` as a block.
    fn whole(text: &str) -> Block<'_> {
        Block {
            text,
            start: 0,
            end: text.len(),
        }
    }

    /// The pieces of `text` as the rule reads: its lines, and each line
    /// longer than [`LONG_LINE`] cut after every sentence end of at least
    /// [`MIN_SENTENCE`] bytes.
    fn pieces_slowly(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for line in text.lines() {
            if line.len() <= LONG_LINE {
                out.push(line);
                continue;
            }
            let b = line.as_bytes();
            let mut start = 0;
            for i in 1..b.len().saturating_sub(1) {
                let opens = b[i + 1].is_ascii_uppercase()
                    || b[i + 1].is_ascii_digit()
                    || b"\"(['".contains(&b[i + 1])
                    || b[i + 1..].starts_with("\u{201c}".as_bytes());
                if b[i] == b' ' && b".!?;".contains(&b[i - 1]) && opens && i >= start + MIN_SENTENCE
                {
                    out.push(&line[start..i]);
                    start = i + 1;
                }
            }
            out.push(&line[start..]);
        }
        out
    }

    /// Counts the kinds of every line of `block`.
    fn census(block: &str) -> Census {
        let mut norm = String::new();
        let mut c = Census::default();
        for line in pieces_slowly(block) {
            let body = line_body(line);
            if body.is_empty() {
                continue;
            }
            c.lines.add(body);
            if reads_as_requirement_slowly(line) {
                c.requirements.add(body);
            } else if reads_as_duty_slowly(body) {
                c.duties.add(body);
            } else if line.len() <= MAX_BENEFIT_LINE && names_benefit(body, &mut norm) {
                c.benefits.add(body);
            }
        }
        c
    }

    proptest! {
        #[test]
        fn short_lines_are_read_as_str_lines(text in "(a|é|\n| |中|. A){0,12}") {
            let ours: Vec<&str> = whole(&text).lines().collect();
            let std: Vec<&str> = text.lines().collect();
            prop_assert_eq!(ours, std);
        }

        #[test]
        fn pieces_are_the_reference_cut_from_any_piece_on(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Own the roadmap for payments.",
                    " ",
                    "We are a shoe company in Berlin",
                    "; (",
                    "e.g. The",
                    "\u{201c}Quoted\u{201d}! 5",
                    "\n",
                    "? x",
                    "Write user stories with the team and review them with design.",
                ]),
                0..80,
            ),
        ) {
            let text: String = parts.concat();
            let reference = pieces_slowly(&text);
            let ours: Vec<&str> = whole(&text).lines().collect();
            prop_assert_eq!(&ours, &reference);
            // Read from any piece's start, the rest is cut the same way.
            let mut at = 0;
            for (i, piece) in reference.iter().enumerate() {
                let rest: Vec<&str> = Block { text: &text, start: at, end: text.len() }
                    .lines()
                    .collect();
                prop_assert_eq!(&rest[..], &reference[i..]);
                at += piece.len() + 1;
            }
        }
    }

    /// [`block_section`] from a census of every line: the rule as written.
    fn block_section_slowly(block: &str, home: Section) -> Section {
        if pieces_slowly(block.trim_end()).len() < 2 {
            return home;
        }
        let c = census(block);
        let half = |bytes: usize| 2 * bytes >= c.lines.bytes;
        let (duties, reqs, benefits) = (c.duties, c.requirements, c.benefits);
        if duties.n >= 2
            && duties.n >= reqs.n
            && duties.n > benefits.n
            && half(duties.bytes + reqs.bytes)
        {
            return Section::Duties;
        }
        let open = matches!(home, Section::Intro | Section::Other);
        if open && reqs.n >= 2 && reqs.n > benefits.n && half(reqs.bytes) {
            return Section::Requirements;
        }
        if open && benefits.n >= 2 && half(benefits.bytes) {
            return Section::Benefits;
        }
        home
    }

    proptest::proptest! {
        #[test]
        fn blocks_are_placed_alike_with_and_without_the_shortcuts(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "- Own the roadmap",
                    "* Working with design on the checkout",
                    "Define the goals",
                    "- 5+ years of product work",
                    "- Experience with SQL",
                    "- Competitive salary",
                    "- 30 days of vacation",
                    "- Pension plan and equity",
                    "- Free coffee",
                    "",
                    "We are a company that makes shoes for runners in many countries, \
                     with offices in Berlin and Lisbon, and a salary for everyone who works \
                     here, paid every month, with a pension too.",
                    "负责产品规划",
                    "五险一金",
                    "Du hast Erfahrung",
                    FLAT,
                ]),
                0..9,
            ),
            home in proptest::sample::select(vec![
                Section::Intro,
                Section::Company,
                Section::Benefits,
                Section::Other,
            ]),
        ) {
            let block = lines.join("\n");
            let mut norm = String::new();
            proptest::prop_assert_eq!(
                block_section(whole(&block), home, &mut norm),
                block_section_slowly(&block, home),
                "{:?}", block
            );
        }
    }

    /// [`reads_as_duty`] without the first-byte shortcut and buckets.
    fn reads_as_duty_slowly(body: &str) -> bool {
        if CJK_DUTY_STARTS.iter().any(|s| body.starts_with(s)) {
            return true;
        }
        let mut norm = String::new();
        fold_body(body, &mut norm, usize::MAX);
        DUTY_STARTS.iter().any(|s| {
            norm.starts_with(s)
                && norm[s.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
    }

    #[test]
    fn duty_starts_and_benefit_words_are_normalised() {
        let mut seen = std::collections::HashSet::new();
        for s in DUTY_STARTS.iter().chain(BENEFIT_WORDS) {
            let mut folded = String::new();
            fold_body(s, &mut folded, usize::MAX);
            assert_eq!(&folded, s, "{s:?}");
            assert!(s.len() <= DUTY_HEAD, "{s:?}");
            assert!(s.len() >= 2, "{s:?}");
            assert!(seen.insert(*s), "{s:?} appears twice");
        }
        for w in BENEFIT_WORDS {
            assert!(w.len() <= BENEFIT_LONGEST && w.len() >= 3, "{w:?}");
            assert!(w.chars().all(char::is_alphanumeric), "{w:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn duty_lines_are_read_alike_with_and_without_the_shortcut(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Own", "own", "OWN", "ownership", " ", "  ", "\t", "the", "roadmap", "Work",
                    "with", "withdraw", "É", "é", "Définir", "du", "Du", "priorisierst", "负责",
                    "产品", "You", "will", "you'll", "x", "\u{a0}", "Erstellung", "Runs", "-",
                ]),
                0..6,
            ),
        ) {
            let line: String = parts.concat();
            let body = line_body(&line);
            let mut norm = String::new();
            proptest::prop_assert_eq!(
                reads_as_duty(body, &mut norm),
                reads_as_duty_slowly(body),
                "{:?}", line
            );
        }
    }

    /// The strings of the list at `path` in a language file.
    fn file_list<'a>(json: &'a serde_json::Value, path: &[&str]) -> Vec<&'a str> {
        let mut v = json;
        for k in path {
            match v.get(k) {
                Some(next) => v = next,
                None => return Vec::new(),
            }
        }
        v.as_array()
            .map(|a| a.iter().filter_map(serde_json::Value::as_str).collect())
            .unwrap_or_default()
    }

    /// The slow reference for the tables `build.rs` makes: every language
    /// file, parsed here, puts each of its phrases in the right table.
    #[test]
    fn every_language_file_is_in_the_tables() {
        let sections = [
            ("duties", DUTIES),
            ("requirements", REQUIREMENTS),
            ("company", COMPANY),
            ("team", TEAM),
            ("benefits", BENEFITS),
            ("other", OTHER),
        ];
        for (code, _, _, text) in crate::lang::LANGUAGES {
            let json: serde_json::Value = serde_json::from_str(text).expect(code);
            for (key, table) in sections {
                for (kind, mode) in [("starts", Mode::Prefix), ("whole", Mode::Exact)] {
                    for phrase in file_list(&json, &["headings", key, kind]) {
                        assert!(
                            table.iter().any(|&(t, m)| t == phrase && m == mode),
                            "{code}: {key} {phrase:?}"
                        );
                        // And the splitter reads it as that heading.
                        let section = TABLES.iter().find(|t| t.0 == table).map(|t| t.1);
                        assert_eq!(heading(phrase), section, "{code}: {phrase:?}");
                    }
                }
            }
            for (key, table) in [
                ("requirement_starts", REQUIREMENT_STARTS),
                ("role_intro_starts", ROLE_INTRO_STARTS),
                ("sentence_words", SENTENCE_WORDS),
                ("about_prefixes", ABOUT_PREFIXES),
                ("years_words", YEARS),
            ] {
                for s in file_list(&json, &[key]) {
                    assert!(table.contains(&s), "{code}: {key} {s:?}");
                }
            }
            for s in file_list(&json, &["duty_starts"]) {
                assert!(
                    DUTY_STARTS.contains(&s) || CJK_DUTY_STARTS.contains(&s),
                    "{code}: {s:?}"
                );
                assert!(reads_as_duty(s, &mut String::new()), "{code}: {s:?}");
            }
            for s in file_list(&json, &["benefit_words"]) {
                assert!(names_benefit(s, &mut String::new()), "{code}: {s:?}");
            }
            let sections = json.get("heading_keywords").and_then(|k| k.as_object());
            for (section, words) in sections.into_iter().flatten() {
                for w in words.as_array().into_iter().flatten() {
                    let found = KEYWORDS.iter().find(|k| Some(k.0) == w.as_str());
                    assert_eq!(found.map(|k| k.1.as_str()), Some(section.as_str()), "{w}");
                }
            }
        }
    }

    #[test]
    fn spanish_and_dutch_postings() {
        let text = "Sobre el puesto\n- Definir la estrategia del producto\n\
            Requisitos\n- Experiencia en producto\n\
            Lo que te ofrecemos\n- Teletrabajo\n\
            Wat ga je doen?\n- Je bepaalt de roadmap\n\
            Wat wij van je vragen\n- Je hebt 3 jaar ervaring\n\
            Wat wij je bieden\n- Pensioen\n\
            Over ons\nWe zijn een scale-up.";
        assert_eq!(
            outline(text),
            [
                (Section::Duties, "Sobre el puesto"),
                (Section::Requirements, "Requisitos"),
                (Section::Benefits, "Lo que te ofrecemos"),
                (Section::Duties, "Wat ga je doen?"),
                (Section::Requirements, "Wat wij van je vragen"),
                (Section::Benefits, "Wat wij je bieden"),
                (Section::Company, "Over ons"),
            ]
        );
        assert_eq!(heading("Over Acme"), Some(Section::Company));
        assert_eq!(heading("Acerca de Acme"), Some(Section::Company));
        let text = "Responsabilidades\n- Liderar el descubrimiento\n- 5 años de experiencia\n\
            Taken\n- Je stuurt het team\n- Minimaal 3 jaar ervaring";
        assert_eq!(
            line_sections(text).iter().map(|l| l.0).collect::<Vec<_>>(),
            [
                Section::Duties,
                Section::Duties,
                Section::Requirements,
                Section::Duties,
                Section::Duties,
                Section::Requirements,
            ]
        );
    }

    #[test]
    fn the_team_is_not_the_company() {
        assert_eq!(heading("About the team"), Some(Section::Intro));
        assert_eq!(heading("## The Team"), Some(Section::Intro));
        assert_eq!(heading("Dein Team"), Some(Section::Intro));
        assert_eq!(heading("L'équipe"), Some(Section::Intro));
        assert_eq!(heading("About us"), Some(Section::Company));
    }

    #[test]
    fn a_role_paragraph_after_the_company_blurb_is_intro() {
        let text = "About Acme\nWe make shoes for runners.\n\n\
            We\u{2019}re looking for a product manager to own the roadmap.\n\
            You will run market research.\n\n\
            Über uns\nWir sind ein Startup.\n\
            Wir suchen eine Product Owner.\n\
            À propos\nNous sommes une PME.\n\
            Nous recherchons un chef de produit.";
        assert_eq!(
            outline(text),
            [
                (Section::Company, "About Acme"),
                (
                    Section::Intro,
                    "We\u{2019}re looking for a product manager to own the roadmap."
                ),
                (Section::Company, "Über uns"),
                (Section::Intro, "Wir suchen eine Product Owner."),
                (Section::Company, "À propos"),
                (Section::Intro, "Nous recherchons un chef de produit."),
            ]
        );
        // Outside the company blurb such a line starts nothing.
        assert_eq!(heading("We are looking for a product manager."), None);
        let spans = {
            let mut v = Vec::new();
            split_sections("Intro.\nWe are hiring a PM.", &mut v);
            v
        };
        assert_eq!(spans.len(), 1);
    }

    #[test]
    fn german_posting() {
        let text = "Wir suchen dich als Product Owner (m/w/d).\n\
            Über uns\nWir sind ein Startup aus Berlin.\n\
            Deine Aufgaben:\n- Backlog pflegen\n\
            Was du mitbringst\n- Erfahrung mit Scrum\n\
            WIR BIETEN\n- 30 Tage Urlaub\n\
            Haben wir dein Interesse geweckt?\nBewirb dich jetzt.";
        assert_eq!(
            outline(text),
            [
                (Section::Intro, "Wir suchen dich als Product Owner (m/w/d)."),
                (Section::Company, "Über uns"),
                (Section::Duties, "Deine Aufgaben:"),
                (Section::Requirements, "Was du mitbringst"),
                (Section::Benefits, "WIR BIETEN"),
                (Section::Other, "Haben wir dein Interesse geweckt?"),
            ]
        );
        assert_eq!(heading("Tätigkeiten"), Some(Section::Duties));
        assert_eq!(heading("Das erwartet dich"), Some(Section::Duties));
        assert_eq!(heading("Ihr Profil"), Some(Section::Requirements));
        assert_eq!(
            heading("Was dich bei uns erwartet"),
            Some(Section::Benefits)
        );
        assert_eq!(heading("Vergütung"), Some(Section::Benefits));
    }

    #[test]
    fn french_posting() {
        let text = "Rejoignez notre équipe produit !\n\
            Qui sommes-nous ?\nUne scale-up parisienne.\n\
            Vos missions\u{a0}:\n- Définir la vision produit\n\
            Profil recherché\n- 5 ans d'expérience\n\
            Ce que nous offrons\n- Télétravail\n\
            Processus de recrutement\n- Un entretien";
        assert_eq!(
            outline(text),
            [
                (Section::Intro, "Rejoignez notre équipe produit !"),
                (Section::Company, "Qui sommes-nous ?"),
                (Section::Duties, "Vos missions\u{a0}:"),
                (Section::Requirements, "Profil recherché"),
                (Section::Benefits, "Ce que nous offrons"),
                (Section::Other, "Processus de recrutement"),
            ]
        );
        assert_eq!(heading("À propos"), Some(Section::Company));
        assert_eq!(heading("À propos du poste"), Some(Section::Duties));
        assert_eq!(heading("Vos responsabilités"), Some(Section::Duties));
        assert_eq!(heading("Prérequis :"), Some(Section::Requirements));
        assert_eq!(heading("Rémunération"), Some(Section::Benefits));
        assert_eq!(heading("L’entreprise"), Some(Section::Company));
    }

    #[test]
    fn chinese_posting() {
        let text = "招聘产品经理\n公司介绍\n我们是一家科技公司。\n\
            岗位职责：\n1. 负责产品规划\n\
            任职要求：\n1. 三年以上经验\n\
            【薪资福利】\n五险一金";
        assert_eq!(
            outline(text),
            [
                (Section::Intro, "招聘产品经理"),
                (Section::Company, "公司介绍"),
                (Section::Duties, "岗位职责："),
                (Section::Requirements, "任职要求："),
                (Section::Benefits, "【薪资福利】"),
            ]
        );
        assert_eq!(heading("岗位职责：负责产品规划"), Some(Section::Duties));
    }

    #[test]
    fn other_languages() {
        assert_eq!(heading("Wat ga je doen?"), Some(Section::Duties));
        assert_eq!(heading("Wat vragen wij"), Some(Section::Requirements));
        assert_eq!(heading("Wat bieden wij?"), Some(Section::Benefits));
        assert_eq!(heading("Responsabilidades"), Some(Section::Duties));
        assert_eq!(heading("Requisitos:"), Some(Section::Requirements));
        assert_eq!(heading("Funciones del puesto"), Some(Section::Duties));
        assert_eq!(heading("Zakres obowiązków:"), Some(Section::Duties));
        assert_eq!(heading("Wymagania"), Some(Section::Requirements));
    }

    #[test]
    fn inline_heading_starts_at_its_line() {
        let text = "Great job.\nResponsibilities: You will own the roadmap and talk to \
            customers every week, and more text to make this line long enough.\n\
            Requirements: 3 years in product.";
        let mut spans = Vec::new();
        split_sections(text, &mut spans);
        assert_covers(text, &spans);
        assert_eq!(
            outline(text).iter().map(|o| o.0).collect::<Vec<_>>(),
            [Section::Intro, Section::Duties, Section::Requirements]
        );
        assert_eq!(spans[1].start, "Great job.\n".len());
        assert_eq!(heading("Location: Berlin"), Some(Section::Other));
        assert_eq!(heading("Note: this is remote"), None);
    }

    #[test]
    fn markdown_headings() {
        assert_eq!(heading("## What you'll do"), Some(Section::Duties));
        assert_eq!(heading("### What you’ll be doing"), Some(Section::Duties));
        assert_eq!(heading("**Your profile**"), Some(Section::Requirements));
        assert_eq!(heading("__Benefits__"), Some(Section::Benefits));
        assert_eq!(heading("**Requirements:**"), Some(Section::Requirements));
        assert_eq!(heading("- Requirements"), Some(Section::Requirements));
        assert_eq!(heading("1. Your tasks"), Some(Section::Duties));
        assert_eq!(heading("🚀 What we offer"), Some(Section::Benefits));
    }

    #[test]
    fn heading_variants() {
        assert_eq!(
            heading("Requirements & Qualifications"),
            Some(Section::Requirements)
        );
        assert_eq!(heading("Nice to have"), Some(Section::Requirements));
        assert_eq!(heading("About you"), Some(Section::Requirements));
        assert_eq!(heading("About the role"), Some(Section::Duties));
        assert_eq!(heading("About Acme Corp"), Some(Section::Company));
        assert_eq!(heading("EXPERIENCE"), Some(Section::Requirements));
        assert_eq!(heading("The Role – Senior PM"), Some(Section::Duties));
        assert_eq!(heading("Here's what you'll do:"), Some(Section::Duties));
        assert_eq!(
            heading("What you'll need to succeed:"),
            Some(Section::Requirements)
        );
        assert_eq!(
            heading("Diversity, Equity & Inclusion"),
            Some(Section::Company)
        );
        assert_eq!(heading("Why join us?"), Some(Section::Benefits));
        // The usual US and UK duty headings.
        for h in [
            "Roles & Responsibilities",
            "Role and Responsibilities:",
            "Essential Duties and Responsibilities",
            "ESSENTIAL FUNCTIONS",
            "Key Accountabilities",
            "Job Duties:",
        ] {
            assert_eq!(heading(h), Some(Section::Duties), "{h}");
        }
        assert_eq!(heading("Application process"), Some(Section::Other));
    }

    #[test]
    fn sentences_are_not_headings() {
        assert_eq!(heading("You will own the roadmap."), None);
        assert_eq!(heading("Experience with Jira is a plus."), None);
        assert_eq!(heading("Experience with Jira"), None);
        assert_eq!(heading("The role is based in Berlin"), None);
        assert_eq!(heading("- Requirements gathering with stakeholders"), None);
        assert_eq!(heading("Responsibilities"), Some(Section::Duties));
        let long = "Responsibilities include owning the roadmap, talking to customers, \
            and working with engineering on delivery";
        assert_eq!(heading(long), None);
        assert_eq!(heading("Please send the following documents:"), None);
        assert_eq!(heading("About 50 people work here."), None);
    }

    #[test]
    fn no_headings_give_one_intro_span() {
        let text = "We are hiring.\nYou will own the roadmap.\nApply today!";
        let mut spans = vec![SectionSpan {
            start: 9,
            end: 9,
            section: Section::Other,
        }];
        split_sections(text, &mut spans);
        assert_eq!(
            spans,
            [SectionSpan {
                start: 0,
                end: text.len(),
                section: Section::Intro
            }]
        );
        split_sections("", &mut spans);
        assert_eq!(
            spans,
            [SectionSpan {
                start: 0,
                end: 0,
                section: Section::Intro
            }]
        );
    }

    #[test]
    fn leading_heading_gives_no_empty_intro() {
        let text = "Responsibilities\n- a\nDuties\n- b\nBenefits\n- c";
        let mut spans = Vec::new();
        split_sections(text, &mut spans);
        assert_covers(text, &spans);
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[0].section, Section::Duties);
        assert_eq!(spans[1].section, Section::Benefits);
    }

    #[test]
    fn section_at_finds_spans() {
        let text = "Intro\nResponsibilities\n- a\nBenefits\n- b";
        let mut spans = Vec::new();
        split_sections(text, &mut spans);
        assert_eq!(section_at(&spans, 0), Section::Intro);
        assert_eq!(section_at(&spans, 5), Section::Intro);
        assert_eq!(section_at(&spans, 6), Section::Duties);
        let benefits = text.find("Benefits").unwrap_or(0);
        assert_eq!(section_at(&spans, benefits - 1), Section::Duties);
        assert_eq!(section_at(&spans, benefits), Section::Benefits);
        assert_eq!(section_at(&spans, text.len()), Section::Benefits);
        assert_eq!(section_at(&spans, usize::MAX), Section::Benefits);
        assert_eq!(section_at(&[], 3), Section::Intro);
    }

    #[test]
    fn tables_are_normalised_and_unique() {
        let mut norm = String::new();
        let mut seen = std::collections::HashSet::new();
        for (table, _) in TABLES {
            for &(text, _) in table {
                normalize(text, &mut norm);
                assert_eq!(norm, text, "phrase {text:?} is not normalised");
                assert!(seen.insert(text), "phrase {text:?} appears twice");
            }
        }
        for &(keyword, _) in KEYWORDS {
            normalize(keyword, &mut norm);
            assert_eq!(norm, keyword, "keyword {keyword:?} is not normalised");
        }
    }

    /// Line classification without the early rejection of colon-less
    /// lines: what `classify_line` must always equal.
    fn classify_line_slowly(line: &str) -> Option<Section> {
        let mut norm = String::new();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return None;
        }
        if trimmed.len() <= MAX_HEADING_LINE {
            let shape = normalize(trimmed, &mut norm);
            if let Some(section) = match_whole(&norm, shape) {
                return Some(section);
            }
        }
        match_inline(trimmed, &mut norm)
    }

    proptest! {
        #[test]
        fn early_rejection_changes_no_line(
            line in "(\\* |- |1\\. |#)?(Responsibilities|Requirements|About|about|Über|Uber|über uns|A propos de|à propos|岗位职责|Your role|The role|you will|Ab|a|b|É|é| |  |\t|:|：|\\.|[a-zA-Z]{1,6}){0,8}"
        ) {
            let mut norm = String::new();
            prop_assert_eq!(classify_line(&line, &mut norm), classify_line_slowly(&line));
        }

        #[test]
        fn the_early_check_misses_no_phrase(
            start in "(res|req|about |uber |the |your |what you|a propos|profil|ab|a|b|é| |[a-z]){0,5}"
        ) {
            let index = phrase_index();
            if index.may_start_exactly(&start) {
                prop_assert!(index.may_start(&start), "{:?}", start);
            }
            if start.len() <= EARLY_PREFIX {
                prop_assert_eq!(index.may_start(&start), index.may_start_exactly(&start), "{:?}", start);
            }
        }

        #[test]
        fn spans_cover_any_text(text in any::<String>()) {
            let mut spans = Vec::new();
            split_sections(&text, &mut spans);
            assert_covers(&text, &spans);
        }

        #[test]
        fn spans_cover_heading_like_text(
            text in "((Responsibilities|Über uns|岗位职责|About x|Skills|- a|é|中|:|：|\\.|\n| |[a-z]){0,12}\n?){0,10}"
        ) {
            let mut spans = Vec::new();
            split_sections(&text, &mut spans);
            assert_covers(&text, &spans);
            for pos in 0..=text.len() {
                let _ = section_at(&spans, pos);
            }
        }
    }
}
