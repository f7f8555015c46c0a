//! Text to words: one definition, two implementations.
//!
//! In: cleaned posting text. Out: [`Tokens`], the words and punctuation marks
//! of the text, each normalised (lower-cased, accents stripped, CJK
//! ideographs split one per token) and with its byte span in the input.
//!
//! The definition is a Hugging Face tokenizer ([`build_hf_tokenizer`]): the
//! BERT normaliser and pre-tokeniser, saved as `tokenizer.json` in every
//! model so that any `tokenizers` user can reproduce pmpo's words.
//! [`FastTokenizer`] is the hot path: a byte-level state machine for ASCII
//! that hands the rare non-ASCII runs to the same Unicode tables the
//! `tokenizers` crate uses. Guarantee: for every string, both yield the same
//! words with the same spans; a differential test and a property test check
//! it, and `pmpo check-tokenizer` checks it on any file.

use std::collections::HashMap;

use tokenizers::normalizers::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::{
    models::wordlevel::WordLevel, NormalizedString, Normalizer, OffsetReferential, OffsetType,
    PreTokenizedString, PreTokenizer, Tokenizer,
};
use unicode_categories::UnicodeCategories;
use unicode_normalization_alignments::char::{canonical_combining_class, decompose_canonical};

use crate::{Error, Result};

/// The unknown-word token of the saved tokenizer's word-level model.
pub const UNK: &str = "[UNK]";

/// One token: where its word sits in [`Tokens::text`] and where it came from
/// in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the token's first source character in the input.
    pub start: u32,
    /// Byte offset just past the token's last source character.
    pub end: u32,
    word_start: u32,
    word_end: u32,
    /// Whether the token is a single punctuation mark rather than a word.
    pub punct: bool,
}

/// The bytes [`Tokens::window`] returns.
pub(crate) const WINDOW: usize = 16;

/// Appended after the last word so that every word has a full window.
const PADDING: &str = "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

/// The tokens of one text; reused from text to text to avoid allocation.
#[derive(Debug, Default, Clone)]
pub struct Tokens {
    /// The normalised words, one after the other. Always UTF-8: only whole
    /// chars are appended. Kept as bytes so that runs of ASCII words are
    /// copied and lower-cased in bulk.
    words: Vec<u8>,
    toks: Vec<Token>,
}

impl Tokens {
    /// An empty token list.
    pub fn new() -> Tokens {
        Tokens::default()
    }

    /// Removes all tokens, keeping the allocations.
    pub fn clear(&mut self) {
        self.words.clear();
        self.toks.clear();
    }

    /// The tokens, in text order.
    pub fn tokens(&self) -> &[Token] {
        &self.toks
    }

    /// The number of tokens.
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// Whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    /// Appends a token (for tokenizers other than the fast path).
    pub fn push(&mut self, word: &str, start: usize, end: usize) {
        let ws = self.words.len() as u32;
        self.words.extend_from_slice(word.as_bytes());
        let punct = word.chars().count() == 1 && word.chars().all(bert_is_punct);
        self.toks.push(Token {
            start: start as u32,
            end: end as u32,
            word_start: ws,
            word_end: self.words.len() as u32,
            punct,
        });
    }

    /// The normalised word of a token.
    pub fn word(&self, tok: &Token) -> &str {
        // Word boundaries are always char boundaries: they are set between
        // whole chars pushed into `words`, so the check never fails.
        std::str::from_utf8(self.word_bytes(tok)).unwrap_or("")
    }

    /// The bytes of the normalised word of a token (UTF-8, unchecked here).
    #[inline]
    pub(crate) fn word_bytes(&self, tok: &Token) -> &[u8] {
        self.words
            .get(tok.word_start as usize..tok.word_end as usize)
            .unwrap_or(&[])
    }

    /// The [`WINDOW`] bytes of the normalised words from the start of a
    /// token's word on: the word, then whatever follows it (later words or
    /// padding). Every token of [`FastTokenizer::tokenize`] has one.
    #[inline]
    pub(crate) fn window(&self, tok: &Token) -> Option<[u8; WINDOW]> {
        let at = tok.word_start as usize;
        self.words
            .get(at..at + WINDOW)
            .and_then(|b| <[u8; WINDOW]>::try_from(b).ok())
    }

    /// Iterates over (word, start, end) triples.
    pub fn iter(&self) -> impl Iterator<Item = (&str, usize, usize)> + '_ {
        self.toks
            .iter()
            .map(move |t| (self.word(t), t.start as usize, t.end as usize))
    }
}

/// Builds the Hugging Face tokenizer that defines pmpo's words: the BERT
/// normaliser (clean text, split CJK ideographs, strip accents, lower-case)
/// and the BERT pre-tokeniser (split on whitespace, isolate punctuation),
/// over a word-level model whose vocabulary is `vocab` plus [`UNK`].
pub fn build_hf_tokenizer<'a>(vocab: impl IntoIterator<Item = &'a str>) -> Result<Tokenizer> {
    let mut map: HashMap<String, u32> = HashMap::new();
    map.insert(UNK.to_string(), 0);
    for w in vocab {
        let n = map.len() as u32;
        map.entry(w.to_string()).or_insert(n);
    }
    let model = WordLevel::builder()
        .vocab(map.into_iter().collect())
        .unk_token(UNK.to_string())
        .build()
        .map_err(|e| Error::config(format!("cannot build the word-level model: {e}")))?;
    let mut tok = Tokenizer::new(model);
    tok.with_normalizer(Some(BertNormalizer::new(true, true, Some(true), true)));
    tok.with_pre_tokenizer(Some(BertPreTokenizer));
    Ok(tok)
}

/// The words of `text` as the Hugging Face tokenizer `tok` yields them:
/// normalised word and byte span in `text`. This is the reference that
/// [`FastTokenizer`] must equal.
pub fn hf_words(tok: &Tokenizer, text: &str) -> Result<Vec<(String, usize, usize)>> {
    let mut normalized = NormalizedString::from(text);
    if let Some(n) = tok.get_normalizer() {
        n.normalize(&mut normalized)
            .map_err(|e| Error::config(format!("normaliser failed: {e}")))?;
    }
    let mut pre = PreTokenizedString::from(normalized);
    if let Some(p) = tok.get_pre_tokenizer() {
        p.pre_tokenize(&mut pre)
            .map_err(|e| Error::config(format!("pre-tokeniser failed: {e}")))?;
    }
    Ok(pre
        .get_splits(OffsetReferential::Original, OffsetType::Byte)
        .into_iter()
        .map(|(s, (a, b), _)| (s.to_string(), a, b))
        .collect())
}

/// How the fast path treats a byte.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Space,
    Punct,
    Drop,
    /// Any byte of a non-ASCII char.
    High,
}

const fn byte_class(b: u8) -> Class {
    match b {
        b'\t' | b'\n' | b'\r' | b' ' => Class::Space,
        0..=0x1f | 0x7f => Class::Drop,
        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => Class::Word,
        0x80..=0xff => Class::High,
        _ => Class::Punct,
    }
}

static CLASS: [Class; 256] = {
    let mut t = [Class::Word; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = byte_class(i as u8);
        i += 1;
    }
    t
};

/// Whether a byte is an ASCII letter or digit.
#[inline]
fn is_word(b: u8) -> bool {
    CLASS[b as usize] == Class::Word
}

/// `b` in every byte of a `u64`.
const fn bytes8(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The high bit of every byte of `x` that is an ASCII letter or digit, and
/// the high bit of every byte that is an ASCII capital. Sums of a byte of
/// `x & 0x7f..` and a constant below 0x80 stay below 0x100, so no byte
/// carries into the next one.
#[inline]
fn word_and_upper(x: u64) -> (u64, u64) {
    const HIGH: u64 = bytes8(0x80);
    let ascii = !x & HIGH;
    let low7 = x & !HIGH;
    // At or above `lo` and at or below `hi`, as the high bit of each byte.
    let within = |v: u64, lo: u8, hi: u8| (v + bytes8(0x80 - lo)) & !(v + bytes8(0x7f - hi));
    let folded = low7 | bytes8(0x20);
    let word = (within(folded, b'a', b'z') | within(low7, b'0', b'9')) & ascii;
    let upper = within(low7, b'A', b'Z') & ascii;
    (word, upper)
}

/// Appends, lower-cased, the run of ASCII letters and digits of `bytes`
/// that starts at `s`; returns where the run ends. Eight bytes are
/// classified, lower-cased and stored at a time, and the bytes stored past
/// the run are cut off again.
#[inline]
fn push_ascii_word(bytes: &[u8], s: usize, words: &mut Vec<u8>) -> usize {
    let mut j = s;
    while let Some(chunk) = bytes
        .get(j..j + 8)
        .and_then(|c| <[u8; 8]>::try_from(c).ok())
    {
        let x = u64::from_le_bytes(chunk);
        let (word, upper) = word_and_upper(x);
        let lower = x | (upper >> 2);
        let stop = !word & bytes8(0x80);
        let take = if stop == 0 {
            8
        } else {
            (stop.trailing_zeros() / 8) as usize
        };
        let keep = words.len() + take;
        words.extend_from_slice(&lower.to_le_bytes());
        words.truncate(keep);
        j += take;
        if take < 8 {
            return j;
        }
    }
    while let Some(&b) = bytes.get(j) {
        if !is_word(b) {
            break;
        }
        words.push(b.to_ascii_lowercase());
        j += 1;
    }
    j
}

/// The CJK blocks whose ideographs the BERT normaliser splits one per token.
fn is_chinese_char(c: char) -> bool {
    matches!(
        c as u32,
        0x4E00..=0x9FFF
            | 0x3400..=0x4DBF
            | 0x20000..=0x2A6DF
            | 0x2A700..=0x2B73F
            | 0x2B740..=0x2B81F
            | 0x2B920..=0x2CEAF
            | 0xF900..=0xFAFF
            | 0x2F800..=0x2FA1F
    )
}

fn bert_is_control(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && c.is_other()
}

fn bert_is_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || c.is_whitespace()
}

fn bert_is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || c.is_punctuation()
}

/// The hot-path tokenizer: equal in output to [`build_hf_tokenizer`]'s
/// normaliser and pre-tokeniser, and some 40 times faster on ASCII text.
/// Holds scratch buffers, so keep one per thread.
#[derive(Debug, Default)]
pub struct FastTokenizer {
    /// Stage buffer for a non-ASCII run: (char, source start, source end).
    stage: Vec<(char, u32, u32)>,
    /// The decomposed run, with combining classes for canonical ordering:
    /// (class, char, whether it is the first char of its decomposition,
    /// index in `stage` of the char it came from).
    nfd: Vec<(u8, char, bool, u32)>,
}

/// The word being built: its start in `Tokens::words` and its source span.
struct Open {
    active: bool,
    word_start: u32,
    start: u32,
    end: u32,
}

impl Open {
    #[inline]
    fn push(&mut self, out: &mut Tokens, s: u32, e: u32) {
        if !self.active {
            self.active = true;
            self.word_start = out.words.len() as u32;
            self.start = s;
        }
        self.end = e;
    }

    #[inline]
    fn close(&mut self, out: &mut Tokens) {
        if self.active {
            self.active = false;
            out.toks.push(Token {
                start: self.start,
                end: self.end,
                word_start: self.word_start,
                word_end: out.words.len() as u32,
                punct: false,
            });
        }
    }
}

/// Appends a char to the words.
#[inline]
fn push_char(words: &mut Vec<u8>, c: char) {
    if c.is_ascii() {
        words.push(c as u8);
        return;
    }
    let mut utf8 = [0u8; 4];
    words.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
}

#[inline]
fn push_punct(out: &mut Tokens, c: char, s: u32, e: u32) {
    let ws = out.words.len() as u32;
    push_char(&mut out.words, c);
    out.toks.push(Token {
        start: s,
        end: e,
        word_start: ws,
        word_end: out.words.len() as u32,
        punct: true,
    });
}

impl FastTokenizer {
    /// A tokenizer with empty scratch buffers.
    pub fn new() -> FastTokenizer {
        FastTokenizer::default()
    }

    /// Tokenizes `text` into `out` (cleared first). Texts longer than
    /// `u32::MAX` bytes are cut there; callers bound text length well below.
    pub fn tokenize(&mut self, text: &str, out: &mut Tokens) {
        out.clear();
        let all = text.as_bytes();
        let n = all.len().min(u32::MAX as usize);
        let bytes = all.get(..n).unwrap_or(all);
        // Words take at most the text's bytes (lower-casing and stripping
        // never lengthen ASCII), and a word's last eight-byte store may
        // reach seven bytes past its end.
        out.words.reserve(n + 8 + PADDING.len());
        let mut open = Open {
            active: false,
            word_start: 0,
            start: 0,
            end: 0,
        };
        let mut i = 0;
        while i < n {
            let b = bytes[i];
            match CLASS[b as usize] {
                Class::Word => {
                    // Words separated by single spaces, the common case, in
                    // one loop; each run of ASCII word bytes is lower-cased
                    // into `words` as it is scanned, eight bytes at a time.
                    let mut s = i;
                    loop {
                        open.push(out, s as u32, s as u32);
                        let j = push_ascii_word(bytes, s, &mut out.words);
                        open.end = j as u32;
                        if j + 1 < n
                            && bytes[j] == b' '
                            && CLASS[bytes[j + 1] as usize] == Class::Word
                        {
                            open.close(out);
                            s = j + 1;
                        } else {
                            i = j;
                            break;
                        }
                    }
                }
                Class::Space => {
                    open.close(out);
                    i += 1;
                }
                Class::Punct => {
                    open.close(out);
                    push_punct(out, b as char, i as u32, i as u32 + 1);
                    i += 1;
                }
                Class::Drop => i += 1,
                Class::High => {
                    let mut j = i + 1;
                    while j < n && bytes[j] >= 128 {
                        j += 1;
                    }
                    // `i` and `j` sit on ASCII bytes or the ends, so they are
                    // char boundaries.
                    if let Some(run) = text.get(i..j) {
                        open = self.non_ascii(run, i as u32, out, open);
                    }
                    i = j;
                }
            }
        }
        open.close(out);
        // Padding past the last word, so that every word has a full
        // window after its start (see `Tokens::window`).
        out.words.extend_from_slice(PADDING.as_bytes());
    }

    /// The BERT normaliser and pre-tokeniser on one run of non-ASCII chars.
    /// Runs can be treated alone: ASCII chars are starters (canonical
    /// combining class 0), so canonical ordering never crosses them.
    /// Takes and returns the open word by value, which lets the caller keep
    /// it in registers.
    fn non_ascii(&mut self, run: &str, base: u32, out: &mut Tokens, mut open: Open) -> Open {
        // Clean text, then pad CJK ideographs with spaces.
        self.stage.clear();
        for (off, c) in run.char_indices() {
            let s = base + off as u32;
            let e = s + c.len_utf8() as u32;
            if c == '\0' || c == '\u{fffd}' || bert_is_control(c) {
                continue;
            }
            let c = if bert_is_whitespace(c) { ' ' } else { c };
            if is_chinese_char(c) {
                self.stage.push((' ', s, e));
                self.stage.push((c, s, e));
                self.stage.push((' ', s, e));
            } else {
                self.stage.push((c, s, e));
            }
        }
        // Canonical decomposition with canonical ordering of combining marks.
        self.nfd.clear();
        let mut pending = 0;
        for (at, &(c, _, _)) in self.stage.iter().enumerate() {
            let mut first = true;
            decompose_canonical(c, |d| {
                let class = canonical_combining_class(d);
                if class == 0 {
                    self.nfd[pending..].sort_by_key(|k| k.0);
                    pending = self.nfd.len();
                }
                self.nfd.push((class, d, first, at as u32));
                first = false;
            });
        }
        self.nfd[pending..].sort_by_key(|k| k.0);
        // Spans are given by position, as the reference aligns them: the
        // n-th first char of a decomposition takes the span of the n-th
        // char before decomposing, whatever canonical ordering moved, and
        // a further char of a decomposition the span of the first char
        // before it. (Only reordered combining marks tell the difference.)
        let mut taken = 0usize;
        // Strip non-spacing marks, lower-case, split.
        for &(_, c, first, at) in &self.nfd {
            let source = if first {
                taken += 1;
                taken - 1
            } else {
                taken.checked_sub(1).unwrap_or(at as usize)
            };
            let Some(&(_, s, e)) = self.stage.get(source) else {
                continue;
            };
            if c.is_mark_nonspacing() {
                continue;
            }
            for l in c.to_lowercase() {
                if bert_is_whitespace(l) || l.is_whitespace() {
                    open.close(out);
                } else if bert_is_punct(l) {
                    open.close(out);
                    push_punct(out, l, s, e);
                } else {
                    open.push(out, s, e);
                    push_char(&mut out.words, l);
                }
            }
        }
        open
    }
}

/// Runs the fast tokenizer and the model's `tokenizer.json` over every
/// title and text of CSV files, raw and cleaned. Returns how many texts were
/// compared and, at the first difference, where it is and what differs.
pub fn check_files(
    model: &crate::Model,
    files: &[std::path::PathBuf],
) -> Result<(u64, Option<String>)> {
    let tok: Tokenizer = model
        .tokenizer_json()
        .parse()
        .map_err(|e| Error::config(format!("cannot load the model's tokenizer: {e}")))?;
    let mut fast = FastTokenizer::new();
    let mut toks = Tokens::new();
    let mut n = 0u64;
    let mut cleaned = String::new();
    for path in files {
        let (header, mut rdr) = crate::input::open_csv(path)?;
        let cols = crate::input::Columns::pick(&header, None, &[], path)?;
        for (row, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| Error::config(format!("{}: {e}", path.display())))?;
            let idx = cols.title.into_iter().chain(cols.text.iter().copied());
            for i in idx {
                let raw = rec.get(i).unwrap_or("");
                crate::clean::clean_into(raw, &mut cleaned);
                for text in [raw, cleaned.as_str()] {
                    n += 1;
                    fast.tokenize(text, &mut toks);
                    let got: Vec<(String, usize, usize)> =
                        toks.iter().map(|(w, s, e)| (w.to_string(), s, e)).collect();
                    let want = hf_words(&tok, text)?;
                    if got != want {
                        let at = got
                            .iter()
                            .zip(&want)
                            .position(|(a, b)| a != b)
                            .unwrap_or(got.len().min(want.len()));
                        return Ok((
                            n,
                            Some(format!(
                                "{} data row {}, column {:?}: token {}: fast {:?}, tokenizer.json {:?}",
                                path.display(),
                                row + 1,
                                header.get(i).map_or("", String::as_str),
                                at,
                                got.get(at),
                                want.get(at)
                            )),
                        ));
                    }
                }
            }
        }
    }
    Ok((n, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fast(text: &str) -> Vec<(String, usize, usize)> {
        let mut t = FastTokenizer::new();
        let mut out = Tokens::new();
        t.tokenize(text, &mut out);
        out.iter().map(|(w, s, e)| (w.to_string(), s, e)).collect()
    }

    fn check_same(text: &str) {
        let tok = build_hf_tokenizer(["product", "backlog"]).unwrap();
        let want = hf_words(&tok, text).unwrap();
        assert_eq!(fast(text), want, "text: {text:?}");
    }

    #[test]
    fn ascii_words_and_punctuation() {
        assert_eq!(
            fast("Own the Product-Backlog, 2x!"),
            vec![
                ("own".into(), 0, 3),
                ("the".into(), 4, 7),
                ("product".into(), 8, 15),
                ("-".into(), 15, 16),
                ("backlog".into(), 16, 23),
                (",".into(), 23, 24),
                ("2x".into(), 25, 27),
                ("!".into(), 27, 28),
            ]
        );
    }

    #[test]
    fn accents_cjk_and_controls_match_the_reference() {
        for text in [
            "Développer la stratégie produit",
            "Ihre Aufgaben: Produktverantwortung übernehmen",
            "负责产品规划和需求分析",
            "ab\u{1}cd e\u{301}\u{327}x",
            "İstanbul ΣΊΣΥΦΟΣ ﬁle",
            "a\u{00a0}b\u{2003}c\u{200b}d",
            "«citation» — tiret … fin",
            "",
        ] {
            check_same(text);
        }
    }

    #[test]
    fn eight_byte_classes_agree_with_the_byte_table() {
        for b in 0..=255u8 {
            for at in 0..8 {
                // `b` among bytes of every class, in each position.
                let mut chunk = *b"aZ9 -\x80\xff@";
                chunk[at] = b;
                let x = u64::from_le_bytes(chunk);
                let (word, upper) = word_and_upper(x);
                for (k, &c) in chunk.iter().enumerate() {
                    let bit = 0x80u64 << (8 * k);
                    assert_eq!(word & bit != 0, is_word(c), "byte {c:#x} at {k}");
                    assert_eq!(
                        upper & bit != 0,
                        c.is_ascii_uppercase(),
                        "byte {c:#x} at {k}"
                    );
                }
            }
        }
        let mut words = Vec::new();
        for text in [
            "",
            "a",
            "Abc",
            "ABCDEFGH",
            "ABCDEFGHIJ kl",
            "Ab9-x",
            "xY\u{e9}z",
        ] {
            words.clear();
            let end = push_ascii_word(text.as_bytes(), 0, &mut words);
            let want = text
                .bytes()
                .take_while(|&b| is_word(b))
                .map(|b| b.to_ascii_lowercase())
                .collect::<Vec<u8>>();
            assert_eq!(end, want.len(), "{text:?}");
            assert_eq!(words, want, "{text:?}");
        }
    }

    #[test]
    fn reordered_combining_marks_keep_positional_spans() {
        // Canonical ordering swaps the two marks; the reference keeps spans
        // by position, so the kept mark takes the first mark's span.
        check_same("x'\u{1e024}\u{10a3a}\u{fffd}\u{df})");
        check_same("a\u{f72}\u{f73}b \u{301}\u{316}\u{344}c");
    }

    #[test]
    fn saved_tokenizer_loads_back_the_same() {
        let tok = build_hf_tokenizer(["roadmap"]).unwrap();
        let json = tok.to_string(false).unwrap();
        let back: Tokenizer = json.parse().unwrap();
        let text = "Own the Roadmap and the Stratégie";
        assert_eq!(
            hf_words(&back, text).unwrap(),
            hf_words(&tok, text).unwrap()
        );
    }

    proptest! {
        #[test]
        fn fast_equals_reference_on_any_string(text in "\\PC{0,60}") {
            check_same(&text);
        }

        #[test]
        fn fast_equals_reference_on_mixed_text(text in "[a-zA-Z \\-,.éàüß中文\u{301}\u{0}\t\n]{0,80}") {
            check_same(&text);
        }
    }
}
