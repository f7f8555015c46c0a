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
//! so each distinct word is stemmed once per thread, not once per use.

use rust_stemmers::Stemmer;
use rustc_hash::FxHashMap;

use crate::lexicon::{pack, stemmer, Compiled, Entry, CODE_BREAK, CODE_SKIP, MAX_PHRASE_WORDS};
use crate::tokenize::Tokens;

/// The most word forms a matcher remembers before it starts afresh.
const CACHE_LIMIT: usize = 200_000;

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

/// Finds lexicon phrases in token streams; keep one per thread.
pub struct Matcher {
    stemmer: Stemmer,
    cache: FxHashMap<Box<str>, u16>,
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
            .field("cached", &self.cache.len())
            .finish()
    }
}

impl Matcher {
    /// A matcher with an empty cache.
    pub fn new() -> Matcher {
        Matcher {
            stemmer: stemmer(),
            cache: FxHashMap::default(),
            seq: Vec::new(),
        }
    }

    /// Finds the phrases of `lex` in `toks` into `out` (cleared first). The
    /// cache assumes one lexicon per matcher.
    pub fn find(&mut self, lex: &Compiled, toks: &Tokens, out: &mut Vec<Match>) {
        out.clear();
        self.seq.clear();
        if self.cache.len() > CACHE_LIMIT {
            self.cache.clear();
        }
        for (i, t) in toks.tokens().iter().enumerate() {
            let w = toks.word(t);
            let code = if t.punct {
                if lex.skip.contains(w) {
                    CODE_SKIP
                } else {
                    CODE_BREAK
                }
            } else if let Some(&c) = self.cache.get(w) {
                c
            } else {
                let c = lex.code(&self.stemmer, w);
                self.cache.insert(w.into(), c);
                c
            };
            if code != CODE_SKIP {
                self.seq.push((code, i as u32));
            }
        }
        let seq = &self.seq;
        let tokens = toks.tokens();
        let mut codes = [0u16; MAX_PHRASE_WORDS];
        let mut i = 0;
        while i < seq.len() {
            if seq[i].0 == CODE_BREAK {
                i += 1;
                continue;
            }
            let mut run = 0;
            while run < MAX_PHRASE_WORDS && i + run < seq.len() && seq[i + run].0 != CODE_BREAK {
                codes[run] = seq[i + run].0;
                run += 1;
            }
            let mut advanced = false;
            for n in (1..=run).rev() {
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
    fn role_names_are_not_evidence() {
        let (l, c) = lex(&[("owner", Role::Po), ("product", Role::Pm)]);
        assert!(found(&l, &c, "As a Product Owner, partner with the PM.").is_empty());
        assert_eq!(found(&l, &c, "the owner").len(), 1);
    }
}
