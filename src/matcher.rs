//! Words to phrase matches.
//!
//! In: the [`Tokens`] of one text and a [`Compiled`] lexicon. Out: the
//! lexicon phrases found, left to right, longest first, with their byte
//! spans. Stop words and joining marks ("-", "/", "&") are skipped between
//! the words of a phrase; any other punctuation or unknown word ends it.
//! Role names ("product owner", "PM") are matched and then dropped, so that
//! they never count as evidence of duties.
//!
//! A [`Matcher`] caches the code of every word form it has seen (bounded),
//! so each distinct word is stemmed once per thread, not once per use. Short
//! words are cached under their bytes packed into an integer, so a lookup
//! hashes and compares one number. The matcher also derives, once per
//! lexicon, which ASCII marks are skipped and which phrase lengths start
//! with each word code, so that most positions need no table lookup.

use rust_stemmers::Stemmer;
use rustc_hash::FxHashMap;

use crate::lexicon::{pack, stemmer, Compiled, Entry, CODE_BREAK, CODE_SKIP, MAX_PHRASE_WORDS};
use crate::tokenize::{Tokens, WINDOW};

/// The most word forms a matcher remembers before it starts afresh.
const CACHE_LIMIT: usize = 200_000;

/// The longest word, in bytes, cached under a key of packed integers.
const SHORT_WORD: usize = 15;

/// Slots of the matcher's front cache (a power of two).
const FRONT_SLOTS: usize = 4096;

/// A front-cache slot that no key equals: a key's length byte is at most
/// [`SHORT_WORD`].
const EMPTY_SLOT: (u64, u64) = (0, u64::MAX);

/// The longest word, in bytes, kept in the front cache: the key of a word
/// this short leaves bytes 5 and 6 of its second integer zero, and the
/// slot keeps the word's code there, so a slot is two integers.
const FRONT_WORD: usize = 13;

/// Where the code sits in a front-cache slot's second integer.
const CODE_SHIFT: u32 = 40;

/// The bits of the code in a front-cache slot's second integer.
const CODE_MASK: u64 = 0xffff << CODE_SHIFT;

/// The front-cache slot of a short-word key.
#[inline]
fn front_slot(key: (u64, u64)) -> usize {
    let h = (key.0 ^ key.1.rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> (64 - FRONT_SLOTS.trailing_zeros())) as usize
}

/// One phrase found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// The phrase's index in the lexicon.
    pub phrase: u32,
    /// Byte offset of the phrase's first word in the text.
    pub start: u32,
    /// Byte offset just past its last word.
    pub end: u32,
}

/// What a matcher derives from the lexicon it is used with.
struct Derived {
    /// The address and table size of the lexicon these tables were built
    /// from: a different lexicon rebuilds them and empties the caches.
    lexicon: (usize, usize),
    /// Whether each ASCII punctuation mark is skipped inside phrases.
    ascii_skip: [bool; 128],
    /// Per word code, bit `n - 1` is set when some phrase-table key of `n`
    /// words starts with that code; empty when the keys could not be read
    /// (then every length is tried).
    lengths: Vec<u8>,
}

impl Derived {
    fn new(lex: &Compiled) -> Derived {
        let mut ascii_skip = [false; 128];
        let mut mark = String::with_capacity(1);
        for (b, skip) in ascii_skip.iter_mut().enumerate() {
            mark.clear();
            mark.push(char::from(b as u8));
            *skip = lex.skip.contains(mark.as_str());
        }
        let mut lengths = vec![0u8; usize::from(u16::MAX) + 1];
        for &key in lex.table.keys() {
            // Word codes are never 0, so a key of `n` codes has exactly `n`
            // non-zero 16-bit groups from its lowest one up.
            let n = (64 - key.leading_zeros() as usize).div_ceil(16);
            let groups_ok = (0..n).all(|g| (key >> (16 * g)) & 0xffff != 0);
            if n == 0 || n > MAX_PHRASE_WORDS || !groups_ok {
                lengths = Vec::new();
                break;
            }
            let first = (key >> (16 * (n - 1))) as usize & 0xffff;
            lengths[first] |= 1 << (n - 1);
        }
        Derived {
            lexicon: Derived::id(lex),
            ascii_skip,
            lengths,
        }
    }

    fn id(lex: &Compiled) -> (usize, usize) {
        (lex as *const Compiled as usize, lex.table.len())
    }

    /// The phrase lengths (bit `n - 1` for `n` words) that may start with
    /// `code`.
    #[inline]
    fn lengths(&self, code: u16) -> u8 {
        self.lengths.get(usize::from(code)).copied().unwrap_or(0xff)
    }
}

/// A short word's bytes and length packed into two integers: distinct words
/// of at most [`SHORT_WORD`] bytes get distinct keys.
#[inline]
fn short_key(w: &[u8]) -> (u64, u64) {
    let n = w.len();
    let head = w.get(..n.min(8)).map_or(0, le_bytes);
    let tail = w.get(n.min(8)..).map_or(0, le_bytes);
    (head, tail | (n as u64) << 56)
}

/// [`short_key`] of the first `n` bytes of `window` (`n` at most
/// [`SHORT_WORD`]), without a branch on the length.
#[inline]
fn window_key(window: &[u8; WINDOW], n: usize) -> (u64, u64) {
    let mut head = [0u8; 8];
    let mut tail = [0u8; 8];
    head.copy_from_slice(&window[..8]);
    tail.copy_from_slice(&window[8..]);
    let keep = |bytes: usize| match bytes {
        0 => 0,
        1..=7 => u64::MAX >> (64 - 8 * bytes),
        _ => u64::MAX,
    };
    let head = u64::from_le_bytes(head) & keep(n.min(8));
    let tail = u64::from_le_bytes(tail) & keep(n.saturating_sub(8).min(7));
    (head, tail | (n as u64) << 56)
}

/// Up to eight bytes as a little-endian integer, zero-padded, read with at
/// most two overlapping loads instead of a loop.
#[inline]
fn le_bytes(w: &[u8]) -> u64 {
    let n = w.len();
    let load4 = |at: usize| {
        w.get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, |b| u64::from(u32::from_le_bytes(b)))
    };
    let load2 = |at: usize| {
        w.get(at..at + 2)
            .and_then(|b| <[u8; 2]>::try_from(b).ok())
            .map_or(0, |b| u64::from(u16::from_le_bytes(b)))
    };
    // Overlapping loads agree on the bytes they share, so or-ing them is
    // exact.
    match n {
        8.. => w
            .get(..8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map_or(0, u64::from_le_bytes),
        4..=7 => load4(0) | load4(n - 4) << (8 * (n - 4)),
        2..=3 => load2(0) | load2(n - 2) << (8 * (n - 2)),
        1 => w.first().map_or(0, |&b| u64::from(b)),
        _ => 0,
    }
}

/// Finds lexicon phrases in token streams; keep one per thread.
pub struct Matcher {
    stemmer: Stemmer,
    short: FxHashMap<(u64, u64), u16>,
    /// A small direct-mapped copy of `short` for the most frequent words,
    /// which stays in the fastest cache: one probe, no hashing of control
    /// bytes.
    front: Vec<(u64, u64)>,
    cache: FxHashMap<Box<[u8]>, u16>,
    derived: Option<Derived>,
    seq: Vec<(u16, u32)>,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher::new()
    }
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("cached", &(self.short.len() + self.cache.len()))
            .finish()
    }
}

impl Matcher {
    /// A matcher with an empty cache.
    pub fn new() -> Matcher {
        Matcher {
            stemmer: stemmer(),
            short: FxHashMap::default(),
            front: vec![EMPTY_SLOT; FRONT_SLOTS],
            cache: FxHashMap::default(),
            derived: None,
            seq: Vec::new(),
        }
    }

    fn clear_caches(&mut self) {
        self.short.clear();
        self.cache.clear();
        self.front.clear();
        self.front.resize(FRONT_SLOTS, EMPTY_SLOT);
    }

    /// Finds the phrases of `lex` in `toks` into `out` (cleared first).
    /// Switching to another lexicon empties the cache.
    pub fn find(&mut self, lex: &Compiled, toks: &Tokens, out: &mut Vec<Match>) {
        out.clear();
        self.seq.clear();
        if self
            .derived
            .as_ref()
            .is_none_or(|d| d.lexicon != Derived::id(lex))
        {
            self.derived = Some(Derived::new(lex));
            self.clear_caches();
        }
        if self.short.len() + self.cache.len() > CACHE_LIMIT {
            self.clear_caches();
        }
        let Some(derived) = self.derived.as_ref() else {
            return;
        };
        self.seq.resize(toks.len(), (CODE_BREAK, 0));
        let mut kept = 0;
        for (i, t) in toks.tokens().iter().enumerate() {
            // Words are looked at as bytes; only a word the caches miss is
            // checked as text, for stemming.
            let w = toks.word_bytes(t);
            let code = if t.punct {
                let skip = match *w {
                    [b] if b < 128 => derived.ascii_skip[usize::from(b)],
                    _ => lex.skip.contains(toks.word(t)),
                };
                if skip {
                    CODE_SKIP
                } else {
                    CODE_BREAK
                }
            } else if w.len() <= SHORT_WORD {
                let key = match toks.window(t) {
                    Some(window) => window_key(&window, w.len()),
                    None => short_key(w),
                };
                let slot = front_slot(key);
                let front = self.front.get(slot).copied().unwrap_or(EMPTY_SLOT);
                if w.len() <= FRONT_WORD && (front.0, front.1 & !CODE_MASK) == key {
                    (front.1 >> CODE_SHIFT) as u16
                } else {
                    let c = match self.short.get(&key) {
                        Some(&c) => c,
                        None => {
                            let c = lex.code(&self.stemmer, toks.word(t));
                            self.short.insert(key, c);
                            c
                        }
                    };
                    if w.len() <= FRONT_WORD {
                        if let Some(f) = self.front.get_mut(slot) {
                            *f = (key.0, key.1 | u64::from(c) << CODE_SHIFT);
                        }
                    }
                    c
                }
            } else if let Some(&c) = self.cache.get(w) {
                c
            } else {
                let c = lex.code(&self.stemmer, toks.word(t));
                self.cache.insert(w.into(), c);
                c
            };
            // Written always and kept only when not skipped: stop words
            // come and go too irregularly for a branch to guess.
            if let Some(slot) = self.seq.get_mut(kept) {
                *slot = (code, i as u32);
            }
            kept += usize::from(code != CODE_SKIP);
        }
        self.seq.truncate(kept);
        let seq = &self.seq;
        let tokens = toks.tokens();
        let mut codes = [0u16; MAX_PHRASE_WORDS];
        let mut i = 0;
        while i < seq.len() {
            let lengths = derived.lengths(seq[i].0);
            if seq[i].0 == CODE_BREAK || lengths == 0 {
                i += 1;
                continue;
            }
            // No key is longer than the longest that starts with this code.
            let longest = (8 - lengths.leading_zeros() as usize).min(MAX_PHRASE_WORDS);
            let mut run = 0;
            while run < longest && i + run < seq.len() && seq[i + run].0 != CODE_BREAK {
                codes[run] = seq[i + run].0;
                run += 1;
            }
            let mut advanced = false;
            for n in (1..=run).rev() {
                if lengths & (1 << (n - 1)) == 0 {
                    continue;
                }
                if let Some(entry) = lex.table.get(&pack(&codes[..n])) {
                    if let Entry::Phrase(p) = *entry {
                        out.push(Match {
                            phrase: p,
                            start: tokens[seq[i].1 as usize].start,
                            end: tokens[seq[i + n - 1].1 as usize].end,
                        });
                    }
                    i += n;
                    advanced = true;
                    break;
                }
            }
            if !advanced {
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{Lexicon, Phrase, Role};
    use crate::tokenize::FastTokenizer;

    fn lex(phrases: &[(&str, Role)]) -> (Lexicon, Compiled) {
        let mut l = Lexicon::empty();
        for (s, r) in phrases {
            l.phrases.push(Phrase {
                stems: s.to_string(),
                example: s.to_string(),
                role: *r,
                weight: 1.0,
                counts: [1, 1],
                sources: vec![],
            });
        }
        let c = Compiled::new(&l).unwrap();
        (l, c)
    }

    fn found(l: &Lexicon, c: &Compiled, text: &str) -> Vec<(String, String)> {
        let mut toks = Tokens::new();
        FastTokenizer::new().tokenize(text, &mut toks);
        let mut out = Vec::new();
        Matcher::new().find(c, &toks, &mut out);
        out.iter()
            .map(|m| {
                (
                    l.phrases[m.phrase as usize].stems.clone(),
                    text[m.start as usize..m.end as usize].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn longest_match_with_stop_words_and_stems() {
        let (l, c) = lex(&[
            ("product backlog", Role::Po),
            ("backlog", Role::Po),
            ("roadmap", Role::Pm),
            ("market research", Role::Pm),
        ]);
        assert_eq!(
            found(
                &l,
                &c,
                "Own the Product Backlog and the roadmaps; Market-Research."
            ),
            vec![
                ("product backlog".into(), "Product Backlog".into()),
                ("roadmap".into(), "roadmaps".into()),
                ("market research".into(), "Market-Research".into()),
            ]
        );
    }

    #[test]
    fn punctuation_and_unknown_words_break_phrases() {
        let (l, c) = lex(&[("market research", Role::Pm)]);
        assert!(found(&l, &c, "the market, research").is_empty());
        assert!(found(&l, &c, "market growth research").is_empty());
    }

    #[test]
    fn short_keys_are_distinct_and_exact() {
        let mut seen = std::collections::HashMap::new();
        let mut words = vec![String::new()];
        for n in 1..=SHORT_WORD {
            let base: String = "abcdefghijklmnop"[..n].to_string();
            words.push(base.clone());
            words.push(format!("{}z", &base[..n - 1]));
            words.push(format!("z{}", &base[1..]));
        }
        words.push("é".into());
        words.push("straße".into());
        for w in &words {
            let key = short_key(w.as_bytes());
            if let Some(other) = seen.insert(key, w.clone()) {
                assert_eq!(&other, w, "two words share a key");
            }
            let head = key.0.to_le_bytes();
            let tail = key.1.to_le_bytes();
            let n = w.len();
            assert_eq!(usize::from(tail[7]), n);
            let bytes: Vec<u8> = head.iter().chain(&tail[..7]).copied().take(n).collect();
            assert_eq!(bytes, w.as_bytes());
            let mut window = [0xffu8; WINDOW];
            window[..n].copy_from_slice(w.as_bytes());
            assert_eq!(window_key(&window, n), key);
        }
    }

    #[test]
    fn role_names_are_not_evidence() {
        let (l, c) = lex(&[("owner", Role::Po), ("product", Role::Pm)]);
        assert!(found(&l, &c, "As a Product Owner, partner with the PM.").is_empty());
        assert_eq!(found(&l, &c, "the owner").len(), 1);
    }
}
