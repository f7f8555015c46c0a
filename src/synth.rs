//! Deterministic generator of large synthetic job-board exports for benchmarks.
//!
//! What comes in: a byte target and a seed. What goes out: a CSV export with
//! the same header as `datasets/postings_sample.csv` (`job_id,title,company,
//! location,country,posted_date,url,employment_type,salary,description`),
//! written to any [`std::io::Write`].
//!
//! What it guarantees:
//! - The same target and seed give byte-identical output on every platform.
//!   Choices come from a `ChaCha8Rng` seeded with `seed_from_u64` and are
//!   turned into indices with integer arithmetic only.
//! - The output is at least `target_bytes` long and stops after the first row
//!   that reaches the target, so it overshoots by less than one row.
//! - Every record has ten fields and is quoted by the `csv` crate (RFC 4180,
//!   LF line ends), so embedded commas, quotes and newlines are safe.
//! - Descriptions are 1.5 to 5 KB long; about a quarter are HTML and the rest
//!   plain text or Markdown.
//!
//! The postings are composed from sentence pools written for this project:
//! Product Manager duties, Product Owner duties, duties of other jobs,
//! requirements, company blurbs, benefits and closings. They look like real
//! postings in shape and vocabulary, but they carry no labels and their mix of
//! roles is not meant to match any real job board.

use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What [`write_synthetic`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthStats {
    /// The number of data rows, not counting the header.
    pub rows: u64,
    /// The number of bytes written, header included.
    pub bytes: u64,
}

/// Writes a synthetic job-board CSV export of about `target_bytes` bytes
/// (never fewer, at most one row more) to `out`, deterministically from
/// `seed`: same arguments, byte-identical output. Returns the number of data
/// rows and bytes written.
///
/// The header is always written, even when it alone reaches the target.
/// `out` is wrapped in a buffer internally, so an unbuffered file is fine.
pub fn write_synthetic<W: Write>(out: W, target_bytes: u64, seed: u64) -> io::Result<SynthStats> {
    let mut tally = Tally {
        sink: BufWriter::with_capacity(1 << 17, out),
        bytes: 0,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut row = Row {
        buf: String::with_capacity(8 * 1024),
        spans: [(0, 0); 10],
    };
    let mut rows = 0u64;
    {
        let mut enc = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(16 * 1024)
            .from_writer(&mut tally);
        enc.write_record(HEADER)?;
        // The csv writer is flushed after every record so that the tally is
        // exact; flushing the tally itself does not reach the system.
        enc.flush()?;
        while enc.get_ref().bytes < target_bytes {
            rows += 1;
            row.compose(&mut rng, rows);
            enc.write_record(row.fields())?;
            enc.flush()?;
        }
    }
    tally.sink.flush()?;
    Ok(SynthStats {
        rows,
        bytes: tally.bytes,
    })
}

/// The header shared with `datasets/postings_sample.csv`.
const HEADER: [&str; 10] = [
    "job_id",
    "title",
    "company",
    "location",
    "country",
    "posted_date",
    "url",
    "employment_type",
    "salary",
    "description",
];

/// An upper bound on the size of one encoded row, used by the tests to check
/// the overshoot; descriptions stay under 5,000 bytes and the other fields
/// under a few hundred.
#[cfg(test)]
const MAX_ROW_BYTES: u64 = 6 * 1024;

/// The shortest description in bytes.
const MIN_DESC: usize = 1500;

/// Counts the bytes passed on to the buffered sink.
///
/// `flush` is deliberately a no-op: the csv writer is flushed after every row
/// to make the count exact, and that must not force a system call per row.
/// The sink is flushed once, at the end of [`write_synthetic`].
struct Tally<W: Write> {
    sink: BufWriter<W>,
    bytes: u64,
}

impl<W: Write> Write for Tally<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = self.sink.write(data)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// One row being composed: every field lives in the same reused buffer and
/// `spans` records where each one starts and ends.
struct Row {
    buf: String,
    spans: [(usize, usize); 10],
}

/// How a description is marked up.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Markup {
    Plain,
    Markdown,
    Html,
}

/// The role a posting's duties describe.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Pm,
    Po,
    Hybrid,
    Other(usize),
}

/// The language of the section headings.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    De,
    Fr,
}

/// How salaries are written in a country.
#[derive(Clone, Copy)]
enum Money {
    Usd,
    Gbp,
    EurDe,
    EurFr,
    EurEn,
    Chf,
    Pln,
    Inr,
    Cad,
    Aud,
    Sek,
}

/// What the generator knows about a country.
struct Country {
    code: &'static str,
    cities: &'static [&'static str],
    legal: &'static [&'static str],
    money: Money,
    employment: &'static [&'static str],
    lang: Lang,
    domain: &'static str,
}

impl Row {
    /// Returns the ten fields of the composed row, in header order.
    fn fields(&self) -> impl Iterator<Item = &str> + '_ {
        self.spans.iter().map(move |&(a, b)| &self.buf[a..b])
    }

    /// Composes row number `n` (1-based) into the buffer.
    fn compose(&mut self, rng: &mut ChaCha8Rng, n: u64) {
        let buf = &mut self.buf;
        buf.clear();

        let country = &COUNTRIES[usize::from(COUNTRY_DRAW[below(rng, COUNTRY_DRAW.len())])];
        let role = pick_role(rng);
        let (title, title_team) = pick_title(rng, role);
        let team = one(rng, TEAMS);
        let company = one(rng, COMPANY_NAMES);

        // job_id
        let a = buf.len();
        // Writing into a String cannot fail.
        let _ = write!(buf, "SJ-{n:09}");
        self.spans[0] = (a, buf.len());

        // title
        let a = buf.len();
        buf.push_str(title);
        if title_team {
            buf.push_str(one(rng, TITLE_SEPARATORS));
            buf.push_str(team);
        }
        match country.lang {
            Lang::De if chance(rng, 70) => buf.push_str(one(
                rng,
                &[" (m/w/d)", " (m/w/d)", " (w/m/d)", " (all genders)"],
            )),
            Lang::Fr if chance(rng, 60) => buf.push_str(one(rng, &[" H/F", " F/H", " (H/F)"])),
            _ => {}
        }
        self.spans[1] = (a, buf.len());

        // company
        let a = buf.len();
        buf.push_str(company);
        buf.push_str(one(rng, COMPANY_SUFFIXES));
        buf.push_str(one(rng, country.legal));
        self.spans[2] = (a, buf.len());

        // location and country
        let a = buf.len();
        buf.push_str(one(rng, country.cities));
        self.spans[3] = (a, buf.len());
        let a = buf.len();
        buf.push_str(country.code);
        self.spans[4] = (a, buf.len());

        // posted_date
        let a = buf.len();
        let year = 2024 + below(rng, 3);
        let month = 1 + below(rng, 12);
        let day = 1 + below(rng, 28);
        let _ = write!(buf, "{year:04}-{month:02}-{day:02}");
        self.spans[5] = (a, buf.len());

        // url
        let a = buf.len();
        match below(rng, 3) {
            0 => {
                buf.push_str("https://jobs.example.com/postings/");
                let _ = write!(buf, "SJ-{n:09}-");
                push_slug(buf, title);
            }
            1 => {
                buf.push_str("https://careers.");
                buf.push_str(country.domain);
                buf.push('/');
                push_slug(buf, company);
                buf.push('/');
                push_slug(buf, title);
                let _ = write!(buf, "-{n}");
            }
            _ => {
                let _ = write!(buf, "https://www.example.net/jobs/view/{n}?src=feed&ref=");
                buf.push_str(country.code);
            }
        }
        self.spans[6] = (a, buf.len());

        // employment_type
        let a = buf.len();
        buf.push_str(one(rng, country.employment));
        self.spans[7] = (a, buf.len());

        // salary
        let a = buf.len();
        if chance(rng, 75) {
            push_salary(buf, rng, country.money);
        }
        self.spans[8] = (a, buf.len());

        // description
        let a = buf.len();
        let markup = match below(rng, 100) {
            0..=24 => Markup::Html,
            25..=59 => Markup::Markdown,
            _ => Markup::Plain,
        };
        let mut d = Desc {
            buf: &mut *buf,
            start: a,
            markup,
            colon: chance(rng, 30),
            bullet: one(rng, &["- ", "- ", "* ", "• ", "– "]),
            after_heading: false,
        };
        d.compose(rng, role, title, team, country.lang);
        self.spans[9] = (a, buf.len());
    }
}

/// Writes one description into the row buffer.
struct Desc<'a> {
    buf: &'a mut String,
    start: usize,
    markup: Markup,
    colon: bool,
    bullet: &'static str,
    after_heading: bool,
}

impl Desc<'_> {
    /// The length of the description so far.
    fn len(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Composes the whole description: company blurb, introduction, duties,
    /// sometimes onboarding and team notes, requirements, sometimes benefits,
    /// and a closing. Each section grows until the description reaches its
    /// share of a random target length, within fixed limits per section.
    fn compose(&mut self, rng: &mut ChaCha8Rng, role: Role, title: &str, team: &str, lang: Lang) {
        let target = 1600 + below(rng, 2800);
        let share = |p: usize| target * p / 100;
        let (duty_h, req_h, ben_h, about_h) = match lang {
            Lang::De if chance(rng, 40) => (
                DUTY_HEADINGS_DE,
                REQ_HEADINGS_DE,
                BENEFIT_HEADINGS_DE,
                ABOUT_HEADINGS_DE,
            ),
            Lang::Fr if chance(rng, 40) => (
                DUTY_HEADINGS_FR,
                REQ_HEADINGS_FR,
                BENEFIT_HEADINGS_FR,
                ABOUT_HEADINGS_FR,
            ),
            _ => (
                DUTY_HEADINGS,
                REQ_HEADINGS,
                BENEFIT_HEADINGS,
                ABOUT_HEADINGS,
            ),
        };

        // About the company.
        if chance(rng, 60) {
            self.heading(one(rng, about_h));
        }
        let mut blurbs = Walk::new(rng, BLURBS.len());
        self.open_paragraph();
        let mut count = 0;
        while count < 2 || (count < 5 && self.len() < share(12)) {
            let Some(i) = blurbs.next() else { break };
            self.sentence(BLURBS[i]);
            count += 1;
        }
        self.close_paragraph();

        // The introduction names the role.
        let (before, between, after) = INTROS[below(rng, INTROS.len())];
        self.open_paragraph();
        self.raw(before);
        self.raw(if starts_with_vowel(title) {
            " an "
        } else {
            " a "
        });
        let strong = self.markup == Markup::Html && chance(rng, 50);
        if strong {
            self.buf.push_str("<strong>");
        }
        self.raw(title);
        if strong {
            self.buf.push_str("</strong>");
        }
        self.raw(" ");
        self.raw(between);
        self.raw(" ");
        self.raw(team);
        self.raw(" ");
        self.raw(after);
        let mut team_walk = Walk::new(rng, TEAM_NOTES.len());
        if chance(rng, 50) {
            if let Some(i) = team_walk.next() {
                self.raw(" ");
                self.raw(TEAM_NOTES[i]);
            }
        }
        self.close_paragraph();

        // Duties.
        self.heading(one(rng, duty_h));
        self.open_list();
        let mut pm = Walk::new(rng, PM_DUTIES.len());
        let mut po = Walk::new(rng, PO_DUTIES.len());
        let minor_at = if chance(rng, 40) {
            2 + below(rng, 4)
        } else {
            usize::MAX
        };
        let pm_first = chance(rng, 50);
        let mut other = match role {
            Role::Other(k) => Walk::new(rng, OTHER_DUTIES[k].1.len()),
            _ => Walk::new(rng, 1),
        };
        let mut count = 0;
        while count < 4 || (count < 18 && self.len() < share(55)) {
            let next = match role {
                Role::Pm if count == minor_at => po.next().map(|i| PO_DUTIES[i]),
                Role::Pm => pm.next().map(|i| PM_DUTIES[i]),
                Role::Po if count == minor_at => pm.next().map(|i| PM_DUTIES[i]),
                Role::Po => po.next().map(|i| PO_DUTIES[i]),
                Role::Hybrid if (count % 2 == 0) == pm_first => pm.next().map(|i| PM_DUTIES[i]),
                Role::Hybrid => po.next().map(|i| PO_DUTIES[i]),
                Role::Other(k) => other.next().map(|i| OTHER_DUTIES[k].1[i]),
            };
            let Some(s) = next else { break };
            self.item(s);
            count += 1;
        }
        self.close_list();

        // Onboarding, sometimes, and a note on the team, sometimes.
        if chance(rng, 35) || self.len() < share(40) {
            self.heading(one(rng, ONBOARDING_HEADINGS));
            self.open_paragraph();
            let mut notes = Walk::new(rng, ONBOARDING.len());
            let mut count = 0;
            while count < 2 || (count < 5 && self.len() < share(62)) {
                let Some(i) = notes.next() else { break };
                self.sentence(ONBOARDING[i]);
                count += 1;
            }
            self.close_paragraph();
        }
        if chance(rng, 35) || self.len() < share(55) {
            self.heading(one(rng, TEAM_HEADINGS));
            self.open_paragraph();
            let mut count = 0;
            while count < 2 || (count < 4 && self.len() < share(66)) {
                let Some(i) = team_walk.next() else { break };
                self.sentence(TEAM_NOTES[i]);
                count += 1;
            }
            self.close_paragraph();
        }

        // Requirements, and sometimes a few more as nice-to-haves.
        self.heading(one(rng, req_h));
        self.open_list();
        let mut reqs = Walk::new(rng, REQUIREMENTS.len());
        let mut count = 0;
        while count < 3 || (count < 9 && self.len() < share(78)) {
            let Some(i) = reqs.next() else { break };
            self.item(REQUIREMENTS[i]);
            count += 1;
        }
        self.close_list();
        if chance(rng, 25) || self.len() < share(70) {
            self.heading(one(rng, NICE_HEADINGS));
            self.open_list();
            let mut count = 0;
            while count < 2 || (count < 4 && self.len() < share(84)) {
                let Some(i) = reqs.next() else { break };
                self.item(REQUIREMENTS[i]);
                count += 1;
            }
            self.close_list();
        }

        // Benefits, most of the time.
        if chance(rng, 70) || self.len() < share(80) {
            self.heading(one(rng, ben_h));
            self.open_list();
            let mut bens = Walk::new(rng, BENEFITS.len());
            let mut count = 0;
            while count < 2 || (count < 8 && self.len() < share(94)) {
                let Some(i) = bens.next() else { break };
                self.item(BENEFITS[i]);
                count += 1;
            }
            self.close_list();
        }

        // One to three closing lines, more only if the description would
        // otherwise be shorter than the minimum.
        let mut closings = Walk::new(rng, CLOSINGS.len());
        self.open_paragraph();
        let mut count = 0;
        while count < 1 || (count < 3 && self.len() < target) || self.len() < MIN_DESC {
            let s = match closings.next() {
                Some(i) => CLOSINGS[i],
                None => match (team_walk.next(), blurbs.next()) {
                    (Some(i), _) => TEAM_NOTES[i],
                    (None, Some(i)) => BLURBS[i],
                    (None, None) => break,
                },
            };
            self.sentence(s);
            count += 1;
        }
        self.close_paragraph();
        if self.markup == Markup::Html && chance(rng, 40) {
            self.buf.push_str(HTML_SIGNOFF);
        }
        while self.buf.ends_with('\n') || self.buf.ends_with(' ') {
            self.buf.pop();
        }
    }

    /// Writes a section heading.
    fn heading(&mut self, h: &str) {
        self.after_heading = true;
        match self.markup {
            Markup::Html => {
                self.buf.push_str("<h3>");
                self.raw(h);
                self.buf.push_str("</h3>\n");
            }
            Markup::Markdown => {
                self.blank_line();
                self.buf.push_str("## ");
                self.buf.push_str(h);
                self.buf.push('\n');
            }
            Markup::Plain => {
                self.blank_line();
                self.buf.push_str(h);
                if self.colon {
                    self.buf.push(':');
                }
                self.buf.push('\n');
            }
        }
    }

    /// Ends the text so far with an empty line, unless it is empty or already
    /// does.
    fn blank_line(&mut self) {
        if self.len() > 0 && !self.buf.ends_with("\n\n") {
            self.buf.push('\n');
        }
    }

    /// Starts a paragraph, separated by an empty line from text before it
    /// unless that text is a heading.
    fn open_paragraph(&mut self) {
        if self.markup == Markup::Html {
            self.buf.push_str("<p>");
        } else if !self.after_heading {
            self.blank_line();
        }
        self.after_heading = false;
    }

    /// Ends a paragraph.
    fn close_paragraph(&mut self) {
        while self.buf.ends_with(' ') {
            self.buf.pop();
        }
        if self.markup == Markup::Html {
            self.buf.push_str("</p>\n");
        } else {
            self.buf.push('\n');
        }
    }

    /// Adds one sentence to the open paragraph.
    fn sentence(&mut self, s: &str) {
        self.raw(s);
        self.buf.push(' ');
    }

    /// Starts a bulleted list, directly under its heading.
    fn open_list(&mut self) {
        if self.markup == Markup::Html {
            self.buf.push_str("<ul>\n");
        }
        self.after_heading = false;
    }

    /// Adds one bullet.
    fn item(&mut self, s: &str) {
        match self.markup {
            Markup::Html => {
                self.buf.push_str("<li>");
                self.raw(s);
                self.buf.push_str("</li>\n");
            }
            Markup::Markdown => {
                self.buf
                    .push_str(if self.bullet == "* " { "* " } else { "- " });
                self.buf.push_str(s);
                self.buf.push('\n');
            }
            Markup::Plain => {
                self.buf.push_str(self.bullet);
                self.buf.push_str(s);
                self.buf.push('\n');
            }
        }
    }

    /// Ends a bulleted list.
    fn close_list(&mut self) {
        if self.markup == Markup::Html {
            self.buf.push_str("</ul>\n");
        }
    }

    /// Appends text, escaped as HTML when the description is HTML.
    fn raw(&mut self, s: &str) {
        if self.markup != Markup::Html {
            self.buf.push_str(s);
            return;
        }
        let mut rest = s;
        while let Some(i) = rest.find(['&', '\'', '<', '>']) {
            self.buf.push_str(&rest[..i]);
            self.buf.push_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'\'' => "&#39;",
                b'<' => "&lt;",
                _ => "&gt;",
            });
            rest = &rest[i + 1..];
        }
        self.buf.push_str(rest);
    }
}

/// Visits the indices `0..len` in a random order without allocating: a random
/// start and a random step coprime to `len`.
struct Walk {
    len: usize,
    pos: usize,
    step: usize,
    left: usize,
}

impl Walk {
    /// Starts a new walk over `0..len`; `len` must be at least 1.
    fn new(rng: &mut ChaCha8Rng, len: usize) -> Walk {
        let mut step = if len > 1 { 1 + below(rng, len - 1) } else { 1 };
        while gcd(step, len) != 1 {
            step = step % (len - 1) + 1;
        }
        Walk {
            len,
            pos: below(rng, len),
            step,
            left: len,
        }
    }

    /// Returns the next index, or `None` once all have been visited.
    fn next(&mut self) -> Option<usize> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let i = self.pos;
        self.pos = (self.pos + self.step) % self.len;
        Some(i)
    }
}

/// The greatest common divisor.
fn gcd(mut a: usize, mut b: usize) -> usize {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A uniform index below `n` (which must be at least 1), computed the same
/// way on every platform.
fn below(rng: &mut ChaCha8Rng, n: usize) -> usize {
    ((u64::from(rng.next_u32()) * n as u64) >> 32) as usize
}

/// True with the given probability in percent.
fn chance(rng: &mut ChaCha8Rng, percent: usize) -> bool {
    below(rng, 100) < percent
}

/// One element of a non-empty pool.
fn one<'a>(rng: &mut ChaCha8Rng, pool: &[&'a str]) -> &'a str {
    pool[below(rng, pool.len())]
}

/// True when the text starts with a vowel sound that takes "an".
fn starts_with_vowel(s: &str) -> bool {
    matches!(s.as_bytes().first(), Some(b'A' | b'E' | b'I' | b'O'))
}

/// Picks the role the duties will describe.
fn pick_role(rng: &mut ChaCha8Rng) -> Role {
    match below(rng, 100) {
        0..=29 => Role::Pm,
        30..=54 => Role::Po,
        55..=69 => Role::Hybrid,
        _ => Role::Other(below(rng, OTHER_DUTIES.len())),
    }
}

/// Picks a title for the role, sometimes one that contradicts the duties, and
/// whether a team name follows it.
fn pick_title(rng: &mut ChaCha8Rng, role: Role) -> (&'static str, bool) {
    let mismatch = chance(rng, 12);
    let pool: &[&str] = match (role, mismatch) {
        (Role::Pm, false) | (Role::Po, true) => PM_TITLES,
        (Role::Po, false) | (Role::Pm, true) => PO_TITLES,
        (Role::Hybrid, _) => match below(rng, 3) {
            0 => BOTH_TITLES,
            1 => PM_TITLES,
            _ => PO_TITLES,
        },
        (Role::Other(k), false) => OTHER_DUTIES[k].0,
        (Role::Other(_), true) => {
            if chance(rng, 50) {
                PM_TITLES
            } else {
                PO_TITLES
            }
        }
    };
    (one(rng, pool), chance(rng, 60))
}

/// Appends a URL slug of `s`: lower-case ASCII letters and digits, other
/// characters collapsed into single hyphens.
fn push_slug(buf: &mut String, s: &str) {
    let mut hyphen = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if hyphen && !buf.ends_with('/') && !buf.ends_with('-') {
                buf.push('-');
            }
            hyphen = false;
            buf.push(c.to_ascii_lowercase());
        } else {
            hyphen = true;
        }
    }
}

/// Appends `v` with a separator between groups of three digits.
fn push_grouped(buf: &mut String, v: usize, sep: &str) {
    if v >= 1_000_000 {
        let _ = write!(
            buf,
            "{}{sep}{:03}{sep}{:03}",
            v / 1_000_000,
            v / 1000 % 1000,
            v % 1000
        );
    } else if v >= 1000 {
        let _ = write!(buf, "{}{sep}{:03}", v / 1000, v % 1000);
    } else {
        let _ = write!(buf, "{v}");
    }
}

/// Appends a salary range in the country's usual style.
fn push_salary(buf: &mut String, rng: &mut ChaCha8Rng, money: Money) {
    let (lo_k, hi_k, step) = match money {
        Money::Usd => (90, 200, 5),
        Money::Gbp => (40, 110, 5),
        Money::EurDe | Money::EurEn => (50, 110, 5),
        Money::EurFr => (40, 90, 5),
        Money::Chf => (100, 170, 10),
        Money::Pln => (12, 32, 1),
        Money::Inr => (10, 60, 2),
        Money::Cad => (80, 190, 5),
        Money::Aud => (110, 220, 10),
        Money::Sek => (40, 85, 5),
    };
    let steps = (hi_k - lo_k) / step;
    let low = lo_k + step * below(rng, steps);
    let high = low + step * (1 + below(rng, 4));
    let dash = one(rng, &[" - ", " – ", "–", " to "]);
    match money {
        Money::Usd | Money::Gbp | Money::EurEn | Money::Cad | Money::Aud => {
            let sym = match money {
                Money::Usd => "$",
                Money::Gbp => "£",
                Money::EurEn => "€",
                Money::Cad => "CA$",
                _ => "AU$",
            };
            buf.push_str(sym);
            push_grouped(buf, low * 1000, ",");
            buf.push_str(dash);
            buf.push_str(sym);
            push_grouped(buf, high * 1000, ",");
            buf.push_str(one(
                rng,
                &["", "", " per year", " a year + bonus", " (DOE)"],
            ));
        }
        Money::EurDe => {
            push_grouped(buf, low * 1000, ".");
            buf.push_str(" €");
            buf.push_str(dash);
            push_grouped(buf, high * 1000, ".");
            buf.push_str(one(rng, &[" €", " € brutto/Jahr", " € p.a."]));
        }
        Money::EurFr => {
            push_grouped(buf, low * 1000, " ");
            buf.push_str(" €");
            buf.push_str(dash);
            push_grouped(buf, high * 1000, " ");
            buf.push_str(one(rng, &[" €", " € brut annuel", " € / an"]));
        }
        Money::Chf => {
            buf.push_str("CHF ");
            push_grouped(buf, low * 1000, ",");
            buf.push_str(dash);
            push_grouped(buf, high * 1000, ",");
        }
        Money::Pln | Money::Sek => {
            push_grouped(buf, low * 1000, " ");
            buf.push_str(dash);
            push_grouped(buf, high * 1000, " ");
            buf.push_str(match money {
                Money::Pln => one(rng, &[" PLN gross/month", " PLN net/month (B2B)", " PLN"]),
                _ => " SEK/month",
            });
        }
        Money::Inr => {
            for (i, lakh) in [low, high].into_iter().enumerate() {
                if i == 1 {
                    buf.push_str(dash);
                }
                let _ = write!(buf, "₹{lakh},00,000");
            }
            buf.push_str(one(rng, &["", " per annum", " CTC"]));
        }
    }
}

// ---------------------------------------------------------------------------
// Pools. Every sentence below was written for this project.
// ---------------------------------------------------------------------------

/// Duties of a Product Manager: strategy, market, customers, pricing, launches
/// and metrics.
const PM_DUTIES: &[&str] = &[
    "Define the product vision and a multi-year strategy, and explain it so that every team can see how its work fits.",
    "Own the product roadmap and decide what we build next, and why.",
    "Run discovery interviews with customers and prospects every week and share what you learn with the whole company.",
    "Analyse the competitive landscape and keep an up-to-date view of where we win and where we lose deals.",
    "Set pricing and packaging for new plans together with Finance and Sales.",
    "Build business cases for new opportunities, including revenue forecasts and the investment they need.",
    "Define success metrics and KPIs for the product area and report on them every month.",
    "Plan the go-to-market for every major launch with Marketing and Sales.",
    "Size new markets and segments, and recommend where the company should expand next.",
    "Own the P&L for your product line, from revenue targets to the cost of delivery.",
    "Lead cross-functional work across engineering, design, marketing and support through the whole product lifecycle.",
    "Translate the company strategy into clear product goals and OKRs for the year.",
    "Visit customers on site to see how they work and where our product falls short.",
    "Monitor product performance through dashboards and act when adoption or retention drops.",
    "Commission and interpret market research, from customer surveys to analyst reports.",
    "Decide which bets to make each quarter and, just as important, which requests to turn down.",
    "Work with Sales on win/loss analysis and feed the findings into the product strategy.",
    "Present the product strategy and its results to the executive team and the board.",
    "Identify new revenue streams, such as add-ons, partnerships or usage-based fees.",
    "Shape positioning and messaging for new products together with Product Marketing.",
    "Run pricing experiments and measure their effect on conversion, expansion and churn.",
    "Manage the product lifecycle from first idea to launch, growth and eventual retirement.",
    "Forecast demand and revenue for your product line as part of the annual planning cycle.",
    "Understand the needs of each customer segment and turn them into a coherent product strategy.",
    "Evaluate build, buy and partner options for new capabilities and recommend a path.",
    "Track industry trends and regulation that could change what our customers need.",
    "Own the launch plan for new features, including beta programmes, sales enablement and customer communication.",
    "Talk to churned customers to understand why they left and what would have kept them.",
    "Define the value proposition of the product for each target segment.",
    "Align leadership on long-term product priorities and the trade-offs between them.",
    "Work with the data team to model how roadmap options would affect revenue and retention.",
    "Set the north-star metric for the product and make sure every initiative ties back to it.",
    "Write strategy documents that explain the problem, the opportunity and the expected outcome.",
    "Run the customer advisory board and bring its themes back into roadmap decisions.",
    "Weigh feedback from sales calls, support tickets and user research to decide what matters most to the market.",
    "Prepare the annual product plan and budget request with the leadership team.",
    "Benchmark the product against competitors on features, pricing and user experience.",
    "Partner with Marketing on launch campaigns and measure their impact on acquisition.",
    "Decide which markets and customer segments the product should serve, and which it should not.",
    "Review the commercial results of each release and adjust the roadmap accordingly.",
    "Build relationships with key customers and partners to understand where the industry is heading.",
    "Own the \"why\" behind the roadmap and communicate it clearly to stakeholders across the company.",
];

/// Duties of a Product Owner: backlog, user stories, Scrum events and the
/// development team.
const PO_DUTIES: &[&str] = &[
    "Own the product backlog and keep it ordered so the team always works on the most valuable items.",
    "Write clear user stories with acceptance criteria that developers and testers can work from.",
    "Break epics down into small, testable stories together with the team.",
    "Run backlog refinement and make sure the top of the backlog is ready for the next sprint.",
    "Prepare sprint planning and agree a realistic sprint goal with the development team.",
    "Present the increment at the sprint review and collect feedback from stakeholders.",
    "Accept or reject completed stories against the acceptance criteria and the definition of done.",
    "Be available to developers every day to clarify requirements and make quick decisions on scope.",
    "Groom and prioritise the backlog with input from stakeholders, support and the product manager.",
    "Plan releases with the team and agree deployment dates with operations.",
    "Manage dependencies with other teams and raise blockers early.",
    "Keep a \"definition of ready\" that the team trusts, and stick to it.",
    "Take part in daily stand-ups, retrospectives and the other Scrum events.",
    "Track velocity and burndown, and use them to set realistic expectations with stakeholders.",
    "Maximise the value of the team's output by saying no to low-value work.",
    "Translate the product manager's roadmap into epics and features the team can deliver.",
    "Write and maintain acceptance tests together with QA.",
    "Order the backlog by balancing new features, bugs and technical debt.",
    "Clarify business rules and edge cases with developers during the sprint.",
    "Attend PI planning and help the team commit to realistic objectives.",
    "Give the product manager regular feedback on what the team has learned and delivered.",
    "Review designs with the UX designer and turn them into stories with clear acceptance criteria.",
    "Triage incoming bugs and requests and decide where they belong in the backlog.",
    "Represent users and stakeholders inside the team and explain the reasoning behind priorities.",
    "Maintain the team board in Jira and keep the status of every story accurate.",
    "Support user acceptance testing and sign off features before release.",
    "Split large requirements into thin vertical slices that fit within one sprint.",
    "Estimate work with the team in story points and keep the backlog sized for the next few sprints.",
    "Coordinate cross-team dependencies during planning and keep shared timelines visible.",
    "Write release notes after each sprint and share them with support and operations.",
    "Answer the team's questions on requirements quickly, so work never stalls.",
    "Decide what goes into each release and what waits for the next one.",
    "Refine technical stories with the engineers, including API contracts and non-functional requirements.",
    "Keep stakeholders informed about sprint progress and the next items in the backlog.",
    "Demonstrate new functionality to business users and bring their feedback into the backlog.",
    "Work with the Scrum Master to keep sprint events short, focused and useful.",
    "Write acceptance criteria that cover error states, accessibility and performance.",
    "Make trade-offs on scope during the sprint to protect the sprint goal.",
    "Keep the product backlog transparent, so everyone can see what comes next and why.",
    "Review completed work in the test environment before it reaches customers.",
    "Turn feedback from the sprint review into new or updated backlog items.",
    "Work side by side with the developers, testers and designer of a cross-functional Scrum team.",
];

/// Titles and duties of jobs that are neither a Product Manager's nor a
/// Product Owner's.
const OTHER_DUTIES: &[(&[&str], &[&str])] = &[
    (
        &["Project Manager", "IT Project Manager", "Senior Project Manager", "Programme Manager", "Projektmanager", "Cheffe de projet"],
        &[
            "Build and maintain the project plan, including milestones, resources and the critical path.",
            "Track the project budget and report variances to the steering committee.",
            "Manage suppliers and contractors against their statements of work.",
            "Keep the RAID log current and escalate risks before they become issues.",
            "Run the weekly status meeting and write the status report for the sponsor.",
            "Coordinate go-live readiness, cutover plans and training for end users.",
        ],
    ),
    (
        &["Scrum Master", "Agile Coach", "Senior Scrum Master"],
        &[
            "Facilitate sprint planning, daily scrums, reviews and retrospectives for two teams.",
            "Coach the team and the product owner on Scrum practices.",
            "Remove impediments and escalate blockers the team cannot solve on its own.",
            "Help the team visualise its work and improve flow using cycle-time data.",
            "Protect the team from unplanned work and interruptions during the sprint.",
            "Support the wider organisation in adopting agile ways of working.",
        ],
    ),
    (
        &["Business Analyst", "Senior Business Analyst", "Data Analyst", "Requirements Engineer"],
        &[
            "Elicit requirements from business users through interviews and workshops.",
            "Document current and future processes with BPMN diagrams.",
            "Write functional specifications and keep them traceable to test cases.",
            "Build dashboards and write SQL to answer questions from business teams.",
            "Analyse A/B test results and explain what they mean, including when they are inconclusive.",
            "Prepare test scenarios and support user acceptance testing.",
        ],
    ),
    (
        &["Software Engineer", "Senior Backend Engineer", "Frontend Developer", "Full Stack Engineer"],
        &[
            "Design, build and operate backend services with a focus on reliability.",
            "Write well-tested code and review pull requests from colleagues.",
            "Take part in the on-call rotation and improve monitoring and alerting.",
            "Improve build pipelines and deployment automation.",
            "Work with designers to implement accessible, responsive interfaces.",
            "Mentor junior engineers and contribute to technical design discussions.",
        ],
    ),
    (
        &["Product Designer", "UX Designer", "Senior Product Designer"],
        &[
            "Design user flows, wireframes and high-fidelity screens for web and mobile.",
            "Build interactive prototypes and test them with users.",
            "Maintain and extend the design system, including its accessibility guidelines.",
            "Plan and run usability studies together with the user researcher.",
            "Present design decisions in critiques and team reviews.",
            "Work with engineers to make sure designs are built as intended.",
        ],
    ),
    (
        &["Product Marketing Manager", "Marketing Manager", "Senior Product Marketing Manager"],
        &[
            "Develop positioning and messaging for the product portfolio.",
            "Create sales enablement material such as pitch decks, battlecards and one-pagers.",
            "Plan and run campaigns with the demand generation team.",
            "Write website copy, blog posts and customer case studies.",
            "Organise webinars and represent the company at industry events.",
            "Train sales and partner teams on new features.",
        ],
    ),
    (
        &["Account Executive", "Sales Manager", "Enterprise Account Executive"],
        &[
            "Manage the full sales cycle, from the first meeting to the signed contract.",
            "Build your own pipeline through outreach, events and referrals.",
            "Run discovery calls and tailored product demos for prospects.",
            "Negotiate commercial terms within our discount guidelines.",
            "Keep the CRM up to date and forecast your deals accurately.",
            "Work with solutions engineers on technical evaluations and security reviews.",
        ],
    ),
];

/// Product-manager-type titles.
const PM_TITLES: &[&str] = &[
    "Product Manager",
    "Product Manager",
    "Senior Product Manager",
    "Associate Product Manager",
    "Lead Product Manager",
    "Principal Product Manager",
    "Group Product Manager",
    "Technical Product Manager",
    "Digital Product Manager",
    "Head of Product",
    "Director of Product",
    "Produktmanager",
    "Senior Produktmanager",
    "Chef de produit",
    "Product Lead",
];

/// Product-owner-type titles.
const PO_TITLES: &[&str] = &[
    "Product Owner",
    "Product Owner",
    "Senior Product Owner",
    "Junior Product Owner",
    "Technical Product Owner",
    "Lead Product Owner",
    "Product Owner (SAFe)",
    "Produktverantwortlicher",
    "Digital Product Owner",
    "Agile Product Owner",
];

/// Titles that name both roles.
const BOTH_TITLES: &[&str] = &[
    "Product Manager / Product Owner",
    "Product Owner & Product Manager",
    "Product Manager (Product Owner)",
    "PM / PO",
];

/// Separators between a title and its team.
const TITLE_SEPARATORS: &[&str] = &[" – ", " - ", ", ", " | ", " — "];

/// Teams and product areas.
const TEAMS: &[&str] = &[
    "Payments",
    "Checkout",
    "Growth",
    "Mobile",
    "Data Platform",
    "Search",
    "Onboarding",
    "Billing",
    "Identity & Access",
    "Logistics",
    "Core Banking",
    "Claims",
    "Marketplace",
    "Analytics",
    "Developer Platform",
    "Pricing",
    "Supply Chain",
    "Customer Portal",
    "Subscriptions",
    "Risk",
];

/// The first part of company names.
const COMPANY_NAMES: &[&str] = &[
    "Brightwater",
    "Kestrel",
    "Ashgrove",
    "Bluefin",
    "Copperleaf",
    "Driftwood",
    "Elmstead",
    "Fairhaven",
    "Glasswing",
    "Harrowgate",
    "Ironbark",
    "Juniper Row",
    "Kingsmere",
    "Larkspur",
    "Meridale",
    "Nettlebed",
    "Oakhurst",
    "Pinecrest",
    "Quarry Hill",
    "Redwater",
    "Silverbirch",
    "Thornbury",
    "Umberfield",
    "Valemont",
    "Willowmere",
    "Yarrowby",
    "Zephyrine",
];

/// The middle part of company names.
const COMPANY_SUFFIXES: &[&str] = &[
    " Software",
    " Labs",
    " Analytics",
    " Health",
    " Logistics",
    " Systems",
    " Digital",
    " Group",
    " Technologies",
    " Financial",
    " Mobility",
    " Learning",
    " & Partners",
    "",
];

/// Countries; `COUNTRY_DRAW` weights them.
const COUNTRIES: &[Country] = &[
    Country {
        code: "US",
        cities: &[
            "New York, NY",
            "Austin, TX",
            "Seattle, WA",
            "Chicago, IL",
            "Boston, MA",
            "Denver, CO",
            "Atlanta, GA",
            "Remote",
        ],
        legal: &[", Inc.", " Inc.", " LLC", ""],
        money: Money::Usd,
        employment: &["Full-time", "Full-time", "Contract", "Part-time"],
        lang: Lang::En,
        domain: "example.com",
    },
    Country {
        code: "UK",
        cities: &[
            "London",
            "Manchester",
            "Leeds",
            "Bristol",
            "Edinburgh",
            "Birmingham",
            "Remote (UK)",
        ],
        legal: &[" Ltd", " Limited", " plc", ""],
        money: Money::Gbp,
        employment: &["Permanent", "Full-time", "Contract", "Fixed term"],
        lang: Lang::En,
        domain: "example.co.uk",
    },
    Country {
        code: "DE",
        cities: &[
            "Berlin",
            "Munich",
            "Hamburg",
            "Cologne",
            "Stuttgart",
            "Frankfurt am Main",
        ],
        legal: &[" GmbH", " AG", " SE", " GmbH & Co. KG"],
        money: Money::EurDe,
        employment: &["Vollzeit", "Full-time", "Festanstellung", "Teilzeit"],
        lang: Lang::De,
        domain: "example.de",
    },
    Country {
        code: "AT",
        cities: &["Vienna", "Graz", "Linz"],
        legal: &[" GmbH", " AG"],
        money: Money::EurDe,
        employment: &["Vollzeit", "Full-time"],
        lang: Lang::De,
        domain: "example.at",
    },
    Country {
        code: "CH",
        cities: &["Zurich", "Basel", "Bern"],
        legal: &[" AG", " GmbH", " SA"],
        money: Money::Chf,
        employment: &["Full-time", "Vollzeit", "80–100%"],
        lang: Lang::De,
        domain: "example.ch",
    },
    Country {
        code: "FR",
        cities: &["Paris", "Lyon", "Toulouse", "Nantes", "Lille", "Bordeaux"],
        legal: &[" SAS", " SA", ""],
        money: Money::EurFr,
        employment: &["CDI", "CDI", "CDD", "Freelance"],
        lang: Lang::Fr,
        domain: "example.fr",
    },
    Country {
        code: "NL",
        cities: &[
            "Amsterdam",
            "Rotterdam",
            "Utrecht",
            "Eindhoven",
            "The Hague",
        ],
        legal: &[" B.V.", " N.V.", ""],
        money: Money::EurEn,
        employment: &["Full-time", "Fulltime", "Contract"],
        lang: Lang::En,
        domain: "example.nl",
    },
    Country {
        code: "PL",
        cities: &["Warsaw", "Kraków", "Wrocław", "Gdańsk", "Poznań"],
        legal: &[" sp. z o.o.", " S.A."],
        money: Money::Pln,
        employment: &["Full-time", "B2B contract", "Umowa o pracę"],
        lang: Lang::En,
        domain: "example.pl",
    },
    Country {
        code: "IN",
        cities: &[
            "Bengaluru, Karnataka",
            "Pune, Maharashtra",
            "Hyderabad, Telangana",
            "Gurugram, Haryana",
            "Chennai, Tamil Nadu",
        ],
        legal: &[" Pvt. Ltd.", " Private Limited", ""],
        money: Money::Inr,
        employment: &["Full-time", "Full Time", "Contract"],
        lang: Lang::En,
        domain: "example.in",
    },
    Country {
        code: "CA",
        cities: &[
            "Toronto, ON",
            "Vancouver, BC",
            "Montreal, QC",
            "Ottawa, ON",
            "Calgary, AB",
        ],
        legal: &[" Inc.", " Ltd.", ""],
        money: Money::Cad,
        employment: &["Full-time", "Permanent", "Contract"],
        lang: Lang::En,
        domain: "example.ca",
    },
    Country {
        code: "IE",
        cities: &["Dublin", "Cork", "Galway"],
        legal: &[" Ltd", " DAC", ""],
        money: Money::EurEn,
        employment: &["Full-time", "Permanent"],
        lang: Lang::En,
        domain: "example.ie",
    },
    Country {
        code: "ES",
        cities: &["Barcelona", "Madrid", "Valencia"],
        legal: &[" S.L.", " S.A."],
        money: Money::EurEn,
        employment: &["Full-time", "Indefinido"],
        lang: Lang::En,
        domain: "example.es",
    },
    Country {
        code: "AU",
        cities: &["Sydney, NSW", "Melbourne, VIC", "Brisbane, QLD"],
        legal: &[" Pty Ltd"],
        money: Money::Aud,
        employment: &["Full-time", "Contract"],
        lang: Lang::En,
        domain: "example.com.au",
    },
    Country {
        code: "SE",
        cities: &["Stockholm", "Gothenburg", "Malmö"],
        legal: &[" AB"],
        money: Money::Sek,
        employment: &["Full-time", "Heltid"],
        lang: Lang::En,
        domain: "example.se",
    },
];

/// Indices into `COUNTRIES`, repeated to weight the draw.
const COUNTRY_DRAW: [u8; 27] = [
    0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 4, 5, 5, 6, 6, 7, 7, 8, 8, 8, 9, 10, 11, 12, 13,
];

/// Sentences introducing the company.
const BLURBS: &[&str] = &[
    "We build software that helps regional hospitals schedule staff and operating theatres.",
    "Our platform lets small retailers sell online, in store and on social media from one place.",
    "More than 5,000 companies across Europe use our tools to manage their vehicle fleets.",
    "We are a profitable, founder-led company with 250 people in four countries.",
    "Founded in 2015, we help insurers settle claims in days instead of weeks.",
    "Our customers are banks, credit unions and lenders who want to modernise their digital channels.",
    "We make it easy for property managers to handle rent, repairs and tenant communication.",
    "Our mission is to make freight transport cleaner, cheaper and more predictable.",
    "We recently closed a Series C round and are growing our teams in every office.",
    "Millions of people use our app each month to plan trips, book tickets and travel with less stress.",
    "We work with schools and universities to make learning materials accessible to every student.",
    "Our products run in factories, warehouses and distribution centres on three continents.",
    "We are part of a larger group but work with the speed and independence of a start-up.",
    "Our analytics platform shows consumer brands what their customers really buy, and why.",
    "We believe good software should be simple, fast and respectful of people's time.",
    "Sustainability is central to what we do, and we publish our emissions every year.",
    "We serve customers in more than 30 countries from offices in Europe, North America and Asia.",
    "Our engineering culture values small teams, written decisions and continuous delivery.",
    "We help clinics, pharmacies and care homes manage medication safely.",
    "The company was spun out of a university research group in 2018 and now employs 180 people.",
];

/// Sentences about the team and ways of working.
const TEAM_NOTES: &[&str] = &[
    "You will join a cross-functional team of engineers, a designer and a data analyst.",
    "The team works in two-week sprints and ships to production several times a day.",
    "We meet in the office on Tuesdays and Thursdays and work remotely the rest of the week.",
    "You will report to the head of the department, who has been with us since the early days.",
    "Decisions are written down and shared, so anyone can understand why we chose a direction.",
    "Your colleagues come from more than a dozen countries.",
    "We review our ways of working every quarter and change what does not help.",
    "You will have a structured onboarding and a buddy for your first three months.",
    "We use Slack, Notion and Jira, and we keep meetings to a minimum.",
    "The team is growing, and you will help shape how we work as we scale.",
];

/// Sentences about onboarding, neutral about the role.
const ONBOARDING: &[&str] = &[
    "In your first weeks you will meet the people you will work with most closely and learn how decisions are made here.",
    "You will get access to our internal wiki, recorded onboarding sessions and a reading list.",
    "By the end of your first month you will know our products, our tools and our main stakeholders.",
    "You will spend a few days shadowing colleagues in other teams to see how the company fits together.",
    "After three months we will sit down together to review how things are going and what support you need.",
    "Your manager will hold weekly one-to-ones with you from your first day.",
    "We will agree your first goals together in your second week.",
    "You will join a company-wide onboarding day with the other new joiners of the month.",
    "By your sixth month you will be fully up to speed and running your area independently.",
    "Ask a lot of questions early on; nobody knows everything on day one.",
];

/// Requirements, deliberately generic so they do not decide the role.
const REQUIREMENTS: &[&str] = &[
    "Several years of experience in a similar role, ideally in B2B software.",
    "Excellent written and spoken English.",
    "A degree in computer science, business or a related field, or equivalent experience.",
    "Experience working in agile teams with Scrum or Kanban.",
    "Comfort with data: you can write basic SQL or are keen to learn.",
    "Strong stakeholder management and communication skills.",
    "Experience with Jira, Confluence or similar tools.",
    "A track record of delivering results in a fast-moving environment.",
    "Knowledge of financial services is a plus.",
    "Experience in a regulated industry such as healthcare, insurance or banking.",
    "You are structured, pragmatic and comfortable with ambiguity.",
    "Fluency in German or French is an advantage.",
    "A certification such as PSPO, CSPO, PMP or PRINCE2 is welcome but not required.",
    "Experience working with distributed teams across time zones.",
    "You enjoy explaining complex topics in simple terms.",
    "Familiarity with APIs, cloud platforms and modern software architecture.",
    "An analytical mind and good judgement when the data is incomplete.",
    "Experience with B2B SaaS, marketplaces or e-commerce.",
    "Curiosity, humility and a sense of humour.",
    "The right to work in the country of the role; we cannot offer visa sponsorship.",
    "Willingness to travel now and then, up to 20% of the time.",
    "Experience presenting to senior leaders.",
];

/// Benefits.
const BENEFITS: &[&str] = &[
    "Flexible working hours and up to three days a week from home.",
    "28 days of paid holiday plus public holidays.",
    "Private health insurance for you and your family.",
    "A yearly learning budget for courses, books and conferences.",
    "A company pension with a generous employer contribution.",
    "Stock options, so you share in the company's success.",
    "A home-office allowance to set up your workspace.",
    "Paid parental leave beyond the legal minimum.",
    "A subsidised public transport pass or bike leasing.",
    "Regular team events and an annual company retreat.",
    "A modern office in the city centre with free coffee and fruit.",
    "Mental health support through an employee assistance programme.",
    "Two paid volunteering days every year.",
    "A new laptop and the equipment you need to do your best work.",
    "A sabbatical option after four years with us.",
    "Discounts on our own products and services.",
];

/// Closing sentences.
const CLOSINGS: &[&str] = &[
    "We are an equal opportunity employer and welcome applications from everyone.",
    "Please apply with your CV; a cover letter is optional.",
    "If you do not meet every requirement but are excited about the role, we would still like to hear from you.",
    "Our hiring process has three steps: a call with the recruiter, a conversation with the team and a final interview.",
    "We review applications on a rolling basis and aim to reply within two weeks.",
    "Let us know if you need any adjustments during the interview process.",
    "Applications through recruitment agencies will not be considered.",
    "The position is open until filled.",
    "We are happy to discuss part-time or flexible arrangements.",
    "All applications are treated confidentially.",
];

/// A sign-off used only in HTML descriptions, already escaped.
const HTML_SIGNOFF: &str =
    "<p><strong>Interested?</strong>&nbsp;Apply with your CV &ndash; we&#39;ll be in touch.</p>\n";

/// Introductions: the text before the title, between the title and the team,
/// and after the team.
const INTROS: &[(&str, &str, &str)] = &[
    ("We are looking for", "to join our", "team."),
    ("We are hiring", "for our", "area."),
    (
        "As",
        "in the",
        "team, you will report to the head of the department.",
    ),
    ("This is an opportunity to work as", "on our", "products."),
    ("We have a new opening for", "in our", "group."),
    ("Join us as", "and help shape our", "offering."),
];

/// Headings of the duties section in English.
const DUTY_HEADINGS: &[&str] = &[
    "Responsibilities",
    "What you'll do",
    "Your responsibilities",
    "Key responsibilities",
    "What you will be doing",
    "Your tasks",
    "The role",
];
/// Headings of the duties section in German.
const DUTY_HEADINGS_DE: &[&str] = &["Ihre Aufgaben", "Deine Aufgaben"];
/// Headings of the duties section in French.
const DUTY_HEADINGS_FR: &[&str] = &["Vos missions", "Votre rôle"];
/// Headings of the requirements section in English.
const REQ_HEADINGS: &[&str] = &[
    "Requirements",
    "What you'll bring",
    "About you",
    "Who you are",
    "Qualifications",
    "What we're looking for",
];
/// Headings of the requirements section in German.
const REQ_HEADINGS_DE: &[&str] = &["Ihr Profil", "Dein Profil"];
/// Headings of the requirements section in French.
const REQ_HEADINGS_FR: &[&str] = &["Votre profil", "Profil recherché"];
/// Headings of the benefits section in English.
const BENEFIT_HEADINGS: &[&str] = &["Benefits", "What we offer", "Perks", "Why join us"];
/// Headings of the benefits section in German.
const BENEFIT_HEADINGS_DE: &[&str] = &["Wir bieten", "Was wir bieten"];
/// Headings of the benefits section in French.
const BENEFIT_HEADINGS_FR: &[&str] = &["Nous offrons", "Avantages"];
/// Headings of the company section in English.
const ABOUT_HEADINGS: &[&str] = &["About us", "Who we are", "About the company"];
/// Headings of the company section in German.
const ABOUT_HEADINGS_DE: &[&str] = &["Über uns", "Wer wir sind"];
/// Headings of the company section in French.
const ABOUT_HEADINGS_FR: &[&str] = &["Qui sommes-nous ?", "À propos"];
/// Headings of the onboarding note.
const ONBOARDING_HEADINGS: &[&str] = &["Your first months", "Onboarding", "Your first 90 days"];
/// Headings of the optional requirements.
const NICE_HEADINGS: &[&str] = &[
    "Nice to have",
    "Bonus points",
    "It would be great if you also had",
];
/// Headings of the team note.
const TEAM_HEADINGS: &[&str] = &["The team", "About the team", "How we work"];

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(target: u64, seed: u64) -> (Vec<u8>, SynthStats) {
        let mut out = Vec::new();
        let stats = write_synthetic(&mut out, target, seed).expect("writing to a Vec cannot fail");
        (out, stats)
    }

    fn records(data: &[u8]) -> Vec<csv::StringRecord> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(data);
        rdr.records()
            .collect::<Result<_, _>>()
            .expect("output parses as CSV")
    }

    #[test]
    fn same_seed_same_bytes_and_other_seed_differs() {
        let (a, sa) = generate(300_000, 7);
        let (b, sb) = generate(300_000, 7);
        let (c, _) = generate(300_000, 8);
        assert_eq!(a, b);
        assert_eq!(sa, sb);
        assert_ne!(a, c);
    }

    #[test]
    fn size_is_at_least_the_target_and_overshoots_by_less_than_a_row() {
        for (target, seed) in [(1, 1), (10_000, 2), (123_457, 3), (2_000_000, 4)] {
            let (out, stats) = generate(target, seed);
            assert!(stats.bytes >= target, "{} < {target}", stats.bytes);
            assert!(
                stats.bytes - target < MAX_ROW_BYTES,
                "overshoot {}",
                stats.bytes - target
            );
            // Without the last row the output would have been short.
            let recs = records(&out);
            if let Some(last) = recs.last() {
                let start = last.position().map_or(0, |p| p.byte());
                assert!(start < target, "row starting at {start} was not needed");
            }
        }
    }

    #[test]
    fn header_only_when_target_is_tiny() {
        let (out, stats) = generate(0, 9);
        assert_eq!(stats.rows, 0);
        assert_eq!(out, format!("{}\n", HEADER.join(",")).into_bytes());
    }

    #[test]
    fn output_parses_with_ten_fields_and_stats_match() {
        let (out, stats) = generate(1_500_000, 11);
        assert_eq!(stats.bytes, out.len() as u64);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(&out[..]);
        let header = rdr.headers().expect("header parses").clone();
        assert_eq!(header.iter().collect::<Vec<_>>(), HEADER);
        let recs = records(&out);
        assert_eq!(recs.len() as u64, stats.rows);
        assert!(recs.iter().all(|r| r.len() == 10));
        let mut ids: Vec<&str> = recs.iter().map(|r| &r[0]).collect();
        ids.dedup();
        assert_eq!(ids.len(), recs.len());
    }

    #[test]
    fn rows_look_like_the_sample() {
        let (out, _) = generate(2_000_000, 12);
        let recs = records(&out);
        let mut html = 0;
        let mut quotes = 0;
        let mut commas_outside_description = 0;
        for r in &recs {
            let d = &r[9];
            assert!(
                (MIN_DESC..=5000).contains(&d.len()),
                "description of {} bytes",
                d.len()
            );
            assert!(!d.starts_with('\n') && !d.ends_with('\n'));
            assert!(d.contains('\n'));
            if d.contains("<li>") {
                html += 1;
                assert_eq!(d.matches("<ul>").count(), d.matches("</ul>").count());
                assert_eq!(d.matches("<p>").count(), d.matches("</p>").count());
                assert!(!d.contains("<p></p>"));
            }
            if d.contains('"') {
                quotes += 1;
            }
            if r.iter().take(9).any(|f| f.contains(',')) {
                commas_outside_description += 1;
            }
            assert!(r[6].starts_with("https://"));
            let date = &r[5];
            assert!(date.len() == 10 && ("2024".."2027").contains(&&date[..4]));
        }
        let n = recs.len();
        assert!(n > 300);
        assert!(
            html * 100 / n >= 15 && html * 100 / n <= 35,
            "{html} of {n} HTML"
        );
        assert!(quotes > 0 && commas_outside_description > 0);
    }

    #[test]
    fn walk_visits_every_index_once() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for len in 1..60 {
            let mut w = Walk::new(&mut rng, len);
            let mut seen = vec![false; len];
            while let Some(i) = w.next() {
                assert!(!seen[i]);
                seen[i] = true;
            }
            assert!(seen.iter().all(|&s| s));
        }
    }

    #[test]
    fn salaries_are_formatted() {
        let mut buf = String::new();
        push_grouped(&mut buf, 1_234_567, ",");
        assert_eq!(buf, "1,234,567");
        buf.clear();
        push_grouped(&mut buf, 65_000, ".");
        assert_eq!(buf, "65.000");
        buf.clear();
        push_slug(&mut buf, "Product Owner (m/w/d) – Payments");
        assert_eq!(buf, "product-owner-m-w-d-payments");
    }
}
