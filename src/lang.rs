//! A cheap guess at the language of a posting, for breaking evaluation
//! results down by language.
//!
//! In: any text. Out: an ISO 639-1 code among `en`, `de`, `fr`, `nl`, `pl`,
//! `pt`, `es`, `it` (the language files with stop words), `zh`, `ja`, `ko`
//! and `ru`, or `und` (undetermined) when the text is too short or too
//! ambiguous to tell.
//!
//! Only the first [`SAMPLE_BYTES`] bytes are looked at (cut back to a char
//! boundary). The script decides first: when Chinese, Japanese or Korean
//! characters make up at least a tenth of the letters the answer is `ja` if
//! a tenth or more of those are kana, `ko` if most of them are hangul, and
//! `zh` otherwise; when most letters are Cyrillic it is `ru` (other Cyrillic
//! languages are reported as `ru` too). Otherwise the words (runs of
//! letters, lower-cased) are looked up in short lists of very frequent
//! function words, one list per language; the language with the most hits
//! wins if it has at least [`MIN_HITS`] and strictly more than any other.
//! The lists are the `stop_words` of the language files (`lang/*.json`),
//! made into sorted tables by `build.rs`; a language file with stop words
//! adds its language to the guess.
//!
//! Guarantees: never panics, never allocates (words are lower-cased into a
//! small stack buffer and looked up by binary search in static sorted
//! tables), runs in time linear in the sample, and always returns one of the
//! codes above.

/// How many bytes from the start of the text are examined.
pub const SAMPLE_BYTES: usize = 2000;

/// The fewest stop-word hits for a language to be reported.
pub const MIN_HITS: usize = 3;

/// The fewest letters of a script (CJK or Cyrillic) for the script to decide.
const MIN_SCRIPT_LETTERS: usize = 4;

/// The longest word (in UTF-8 bytes, lower-cased) that is looked up. Longer
/// words are in no table (a unit test checks this), so they are skipped
/// without any lookup, which spares most content words.
const MAX_WORD_BYTES: usize = 12;

/// Returns the ISO 639-1 code of the language `text` is most likely written
/// in, or `"und"` when there is too little to go on.
pub fn guess_lang(text: &str) -> &'static str {
    let sample = head(text, SAMPLE_BYTES);
    if let Some(code) = by_script(sample) {
        return code;
    }
    by_stop_words(sample)
}

/// The longest prefix of `text` of at most `max` bytes that ends on a char
/// boundary.
fn head(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Decides by writing system alone, when the sample is mostly in a script
/// that only one (or one family) of the supported languages uses.
fn by_script(sample: &str) -> Option<&'static str> {
    // Only a sample with a lead byte of one of the counted scripts can
    // decide; most Latin-script samples have none (their accents and
    // typographic marks lead with other bytes), and are spared the decoding.
    if sample.is_ascii() || !has_script_lead(sample.as_bytes()) {
        return None;
    }
    let (mut letters, mut han, mut kana, mut hangul, mut cyrillic) = (0usize, 0, 0, 0, 0);
    letters += sample.bytes().filter(u8::is_ascii_alphabetic).count();
    for c in sample.chars().filter(|c| !c.is_ascii()) {
        if !c.is_alphabetic() {
            continue;
        }
        letters += 1;
        match script(c) {
            Some(Script::Han) => han += 1,
            Some(Script::Kana) => kana += 1,
            Some(Script::Hangul) => hangul += 1,
            Some(Script::Cyrillic) => cyrillic += 1,
            None => {}
        }
    }
    let cjk = han + kana + hangul;
    if cjk >= MIN_SCRIPT_LETTERS && cjk * 10 >= letters {
        return Some(if kana * 10 >= cjk {
            "ja"
        } else if hangul * 2 > cjk {
            "ko"
        } else {
            "zh"
        });
    }
    if cyrillic >= MIN_SCRIPT_LETTERS && cyrillic * 2 > letters {
        return Some("ru");
    }
    None
}

/// The scripts that decide a language by themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Han,
    Kana,
    Hangul,
    Cyrillic,
}

/// The deciding script of a char, if it has one.
fn script(c: char) -> Option<Script> {
    match u32::from(c) {
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => {
            Some(Script::Han)
        }
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D => Some(Script::Kana),
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Some(Script::Hangul),
        0x0400..=0x052F => Some(Script::Cyrillic),
        _ => None,
    }
}

/// Whether some byte of `bytes` is a [`script_lead`]. Lead bytes are all at
/// least 0xD0: blocks of bytes below that (found by their maximum, which
/// vectorises) are skipped whole.
fn has_script_lead(bytes: &[u8]) -> bool {
    bytes.chunks(32).any(|block| {
        block.iter().fold(0u8, |m, &b| m.max(b)) >= 0xD0 && block.iter().any(|&b| script_lead(b))
    })
}

/// Whether `b` can start the UTF-8 encoding of a char that [`by_script`]
/// counts: Cyrillic (U+0400-U+052F: 0xD0-0xD4), hangul jamo (U+1100-U+11FF:
/// 0xE1), CJK, kana and hangul (U+3000-U+D7FF: 0xE3-0xED), compatibility
/// ideographs and half-width kana (U+F900-U+FFFF: 0xEF) and the
/// supplementary ideographs (0xF0).
fn script_lead(b: u8) -> bool {
    matches!(b, 0xD0..=0xD4 | 0xE1 | 0xE3..=0xED | 0xEF | 0xF0)
}

/// Every stop word with the set of languages (bit i for `STOP_WORDS[i]`)
/// it belongs to: one hash lookup per word instead of a search per language.
/// Keys are [`word_key`]s, so a lookup hashes and compares integers.
fn stop_word_index() -> &'static rustc_hash::FxHashMap<u128, u16> {
    static INDEX: std::sync::OnceLock<rustc_hash::FxHashMap<u128, u16>> =
        std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for (i, (_, table)) in STOP_WORDS.iter().enumerate() {
            for w in table.iter() {
                if let Some(key) = word_key(w.as_bytes()) {
                    *m.entry(key).or_insert(0) |= 1 << i;
                }
            }
        }
        m
    })
}

/// Per first byte, bit `n` is set when some stop word of `n` bytes starts
/// with that byte.
static STOP_WORD_SHAPES: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < STOP_WORDS.len() {
        let table = STOP_WORDS[i].1;
        let mut j = 0;
        while j < table.len() {
            let w = table[j].as_bytes();
            if !w.is_empty() && w.len() < 32 {
                t[w[0] as usize] |= 1 << w.len();
            }
            j += 1;
        }
        i += 1;
    }
    t
};

/// A word of at most [`MAX_WORD_BYTES`] bytes as one integer: its bytes,
/// then zeros, and its length in the last byte, so distinct words get
/// distinct keys. `None` for a longer word.
fn word_key(word: &[u8]) -> Option<u128> {
    if word.len() > MAX_WORD_BYTES {
        return None;
    }
    let mut b = [0u8; 16];
    b.get_mut(..word.len())?.copy_from_slice(word);
    b[15] = word.len() as u8;
    Some(u128::from_le_bytes(b))
}

/// Whether one language leads the others by [`DECISIVE_LEAD`] hits.
fn decided_hits(hits: &[usize]) -> bool {
    let (mut best, mut second) = (0, 0);
    for &h in hits {
        if h > best {
            second = best;
            best = h;
        } else if h > second {
            second = h;
        }
    }
    best >= second + DECISIVE_LEAD
}

/// A lead in stop-word hits that the rest of a sample cannot overturn in
/// practice: reading stops there.
const DECISIVE_LEAD: usize = 10;

/// Decides by counting hits of each language's stop words.
fn by_stop_words(sample: &str) -> &'static str {
    let mut words = WordCounter::default();
    let bytes = sample.as_bytes();
    let mut i = 0;
    let mut decided = false;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_alphabetic() {
            // A run of ASCII letters, found eight bytes at a time.
            let start = i;
            i += 1;
            while let Some(chunk) = bytes
                .get(i..i + 8)
                .and_then(|c| <[u8; 8]>::try_from(c).ok())
            {
                let stops = !ascii_letters(u64::from_le_bytes(chunk)) & bytes8(0x80);
                if stops == 0 {
                    i += 8;
                } else {
                    i += (stops.trailing_zeros() / 8) as usize;
                    break;
                }
            }
            while bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
                i += 1;
            }
            words.push_ascii(bytes.get(start..i).unwrap_or(&[]));
            continue;
        }
        if b.is_ascii() {
            i += 1;
            if words.end_word() {
                decided = true;
                break;
            }
            continue;
        }
        // `i` follows whole chars, so it is a char boundary.
        let Some(c) = sample.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        if c.is_alphabetic() {
            words.push_char(c);
        } else if words.end_word() {
            decided = true;
            break;
        }
    }
    if !decided {
        words.end_word();
    }
    pick(&words.hits)
}

/// `b` in every byte of a `u64`.
const fn bytes8(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The high bit of every byte of `x` that is an ASCII letter. Sums of a
/// byte below 0x80 and a constant below 0x80 stay below 0x100, so no byte
/// carries into the next one.
#[inline]
fn ascii_letters(x: u64) -> u64 {
    const HIGH: u64 = bytes8(0x80);
    let folded = (x & !HIGH) | bytes8(0x20);
    (folded + bytes8(0x80 - b'a')) & !(folded + bytes8(0x7f - b'z')) & !x & HIGH
}

/// The word being read, lower-cased, and the stop-word hits so far.
#[derive(Default)]
struct WordCounter {
    hits: [usize; STOP_WORDS.len()],
    buf: [u8; MAX_WORD_BYTES],
    len: usize,
    too_long: bool,
}

impl WordCounter {
    /// Appends ASCII letters to the word.
    fn push_ascii(&mut self, letters: &[u8]) {
        if self.too_long {
            return;
        }
        match self.buf.get_mut(self.len..self.len + letters.len()) {
            Some(dst) => {
                for (d, s) in dst.iter_mut().zip(letters) {
                    *d = s.to_ascii_lowercase();
                }
                self.len += letters.len();
            }
            None => self.too_long = true,
        }
    }

    /// Appends a non-ASCII letter to the word, lower-cased.
    fn push_char(&mut self, c: char) {
        if self.too_long {
            return;
        }
        for lower in c.to_lowercase() {
            if self.len + lower.len_utf8() > MAX_WORD_BYTES {
                self.too_long = true;
                break;
            }
            lower.encode_utf8(&mut self.buf[self.len..]);
            self.len += lower.len_utf8();
        }
    }

    /// Ends the word: counts it if it is a stop word. Returns whether one
    /// language now leads beyond doubt, so that reading can stop (the rest
    /// of the sample would not change the answer).
    fn end_word(&mut self) -> bool {
        let mut decided = false;
        if self.len > 0 && !self.too_long {
            let word = &self.buf[..self.len];
            // Most words have a first byte and length no stop word has.
            let shape = STOP_WORD_SHAPES[usize::from(word[0])] & (1 << self.len);
            let found = if shape == 0 {
                None
            } else {
                word_key(word).and_then(|k| stop_word_index().get(&k))
            };
            if let Some(&mask) = found {
                let mut hit = false;
                for (i, count) in self.hits.iter_mut().enumerate() {
                    if mask & (1 << i) != 0 {
                        *count += 1;
                        hit = true;
                    }
                }
                decided = hit && decided_hits(&self.hits);
            }
        }
        self.len = 0;
        self.too_long = false;
        decided
    }
}

/// The language with the most stop-word hits, if it has at least
/// [`MIN_HITS`] and strictly more than any other; else "und".
fn pick(hits: &[usize; STOP_WORDS.len()]) -> &'static str {
    let mut best = 0usize;
    let mut runner_up = 0usize;
    let mut code = "und";
    for (&count, &(lang, _)) in hits.iter().zip(STOP_WORDS.iter()) {
        if count > best {
            runner_up = best;
            best = count;
            code = lang;
        } else if count > runner_up {
            runner_up = count;
        }
    }
    if best >= MIN_HITS && best > runner_up {
        code
    } else {
        "und"
    }
}

// Each language's stop words (`STOP_WORDS`, sorted by their UTF-8 bytes)
// and the list of language files (`LANGUAGES`), made from `lang/*.json` by
// `build.rs`.
include!(concat!(env!("OUT_DIR"), "/lang_tables.rs"));

// A word's languages are a bit set of 16 bits.
const _: () = assert!(STOP_WORDS.len() <= 16);

#[cfg(test)]
mod tests {
    #[test]
    fn every_deciding_char_has_a_script_lead_byte() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if super::script(c).is_some() {
                let mut utf8 = [0u8; 4];
                let lead = c.encode_utf8(&mut utf8).as_bytes()[0];
                assert!(super::script_lead(lead), "{c:?}");
            }
        }
    }

    use super::*;
    use proptest::prelude::*;

    const CODES: [&str; 13] = [
        "en", "de", "fr", "nl", "pl", "pt", "es", "it", "zh", "ja", "ko", "ru", "und",
    ];

    /// The slow reference for the stop-word tables `build.rs` makes: each
    /// language file, parsed here, gives its table, sorted; the files name
    /// the one stemmer the model applies to every language.
    #[test]
    fn stop_words_are_the_language_files() {
        let mut with_stop_words = 0;
        for (code, name, stemmer, text) in LANGUAGES {
            let json: serde_json::Value = serde_json::from_str(text).expect(code);
            assert_eq!(json["code"].as_str(), Some(*code));
            assert_eq!(json["name"].as_str(), Some(*name));
            assert_eq!(*stemmer, "snowball-english", "{code}");
            let mut words: Vec<&str> = json["stop_words"]
                .as_array()
                .map(|a| a.iter().filter_map(|w| w.as_str()).collect())
                .unwrap_or_default();
            if words.is_empty() {
                continue;
            }
            with_stop_words += 1;
            words.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            words.dedup();
            let table = STOP_WORDS.iter().find(|(c, _)| c == code).map(|t| t.1);
            assert_eq!(table, Some(&words[..]), "{code}");
        }
        assert_eq!(with_stop_words, STOP_WORDS.len());
        for (code, _) in STOP_WORDS {
            assert!(CODES.contains(&code), "{code}");
        }
    }

    #[test]
    fn tables_are_sorted_unique_and_lower_case() {
        for (lang, table) in STOP_WORDS {
            assert!(
                table.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()),
                "{lang} table is not sorted and unique"
            );
            for word in table {
                assert_eq!(*word, word.to_lowercase(), "{lang}: {word}");
                assert!(word.len() <= MAX_WORD_BYTES, "{lang}: {word}");
                assert!(word.chars().all(char::is_alphabetic), "{lang}: {word}");
            }
            assert!((25..=50).contains(&table.len()), "{lang}: {}", table.len());
        }
    }

    #[test]
    fn english() {
        let text = "We are looking for a Product Manager to own the roadmap of our \
                    payments platform. You will work with engineering and design, talk \
                    to customers and decide what the team builds next.";
        assert_eq!(guess_lang(text), "en");
    }

    #[test]
    fn german() {
        let text = "Wir suchen eine erfahrene Produktmanagerin für unsere Plattform. Du \
                    verantwortest die Roadmap und arbeitest eng mit dem Entwicklungsteam \
                    zusammen. Das erwartet dich bei uns: flexible Arbeitszeiten und ein \
                    modernes Büro.";
        assert_eq!(guess_lang(text), "de");
    }

    #[test]
    fn french() {
        let text = "Nous recherchons un chef de produit pour notre plateforme de paiement. \
                    Vous serez responsable de la feuille de route et travaillerez avec les \
                    équipes techniques dans l'entreprise. C'est un poste qui offre une \
                    grande autonomie.";
        assert_eq!(guess_lang(text), "fr");
    }

    #[test]
    fn dutch() {
        let text = "Wij zoeken een ervaren product owner voor ons team in Utrecht. Je bent \
                    verantwoordelijk voor de backlog en werkt nauw samen met het \
                    ontwikkelteam. Daarnaast heb je contact met de klanten van onze \
                    organisatie.";
        assert_eq!(guess_lang(text), "nl");
    }

    #[test]
    fn polish() {
        let text = "Poszukujemy osoby na stanowisko Product Ownera do zespołu w Krakowie. \
                    Będziesz odpowiedzialny za backlog oraz współpracę z zespołem \
                    deweloperskim. Oferujemy pracę w elastycznych godzinach i jest to \
                    umowa na czas nieokreślony, która daje stabilność.";
        assert_eq!(guess_lang(text), "pl");
    }

    #[test]
    fn portuguese() {
        let text = "Estamos à procura de um gerente de produto para a nossa equipe em \
                    Lisboa. Você será responsável pelo roadmap do produto e vai trabalhar \
                    com os engenheiros e designers. Não é preciso falar alemão, mas é \
                    uma vantagem.";
        assert_eq!(guess_lang(text), "pt");
    }

    #[test]
    fn spanish() {
        let text = "Buscamos un gerente de producto para nuestro equipo en Madrid. Serás \
                    responsable del roadmap y trabajarás con los ingenieros y las \
                    diseñadoras. También hablarás con clientes sobre sus necesidades.";
        assert_eq!(guess_lang(text), "es");
    }

    #[test]
    fn italian() {
        let text = "Cerchiamo un product manager per il nostro team di Milano. Sarai \
                    responsabile della roadmap e lavorerai con gli sviluppatori. Non è \
                    richiesta esperienza nel settore bancario, ma è un vantaggio.";
        assert_eq!(guess_lang(text), "it");
    }

    #[test]
    fn chinese() {
        let text = "我们正在招聘一名产品经理，负责支付平台的产品路线图，与工程和设计团队密切合作，\
                    并与客户沟通以确定下一步的开发方向。要求：三年以上 SaaS 产品经验。";
        assert_eq!(guess_lang(text), "zh");
    }

    #[test]
    fn japanese_and_korean() {
        let ja = "私たちは決済プラットフォームのプロダクトマネージャーを募集しています。";
        assert_eq!(guess_lang(ja), "ja");
        let ko = "우리는 결제 플랫폼의 제품 관리자를 찾고 있습니다. 엔지니어와 협력합니다.";
        assert_eq!(guess_lang(ko), "ko");
    }

    #[test]
    fn russian() {
        let text = "Мы ищем менеджера по продукту для нашей платформы. Вы будете отвечать \
                    за дорожную карту продукта и работать с командой разработки и Scrum.";
        assert_eq!(guess_lang(text), "ru");
    }

    #[test]
    fn german_title_over_english_body() {
        let text = "Produktmanager (m/w/d) für die digitale Plattform\n\n\
                    About the role: we are looking for an experienced product manager to \
                    join our team in Berlin. You will own the roadmap, talk to customers \
                    and work with the engineers on what we build next.";
        assert_eq!(guess_lang(text), "en");
    }

    #[test]
    fn too_little_text_is_undetermined() {
        assert_eq!(guess_lang(""), "und");
        assert_eq!(guess_lang("   \n\t 123 -- !!"), "und");
        assert_eq!(guess_lang("Product Owner"), "und");
        assert_eq!(guess_lang("Senior PM, Payments"), "und");
        assert_eq!(guess_lang("经理"), "und");
    }

    #[test]
    fn a_tie_is_undetermined() {
        // "de", "la" and "que" are French, Spanish and more: no strict winner.
        assert_eq!(guess_lang("de la que"), "und");
    }

    #[test]
    fn only_the_head_is_read_and_cut_at_a_char_boundary() {
        let mut text = "é".repeat(SAMPLE_BYTES / 2 + 1);
        text.push_str(" the and of to with");
        assert_eq!(head(&text, SAMPLE_BYTES).len(), SAMPLE_BYTES);
        assert_eq!(head("ab€", 3), "ab");
        assert_eq!(guess_lang(&text), "und");
    }

    #[test]
    fn very_long_words_are_skipped() {
        let long = "a".repeat(MAX_WORD_BYTES * 3);
        let text = format!("{long} the and of {long}");
        assert_eq!(guess_lang(&text), "en");
    }

    /// The stop-word count one char at a time, as it was before runs of
    /// ASCII letters were read eight bytes at a time: the reference.
    fn by_stop_words_slowly(sample: &str) -> &'static str {
        let mut words = WordCounter::default();
        for c in sample.chars() {
            if c.is_ascii_alphabetic() {
                words.push_ascii(&[c as u8]);
            } else if c.is_alphabetic() {
                words.push_char(c);
            } else if words.end_word() {
                return pick(&words.hits);
            }
        }
        words.end_word();
        pick(&words.hits)
    }

    #[test]
    fn ascii_letters_agree_with_the_std_test() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut chunk = *b"aZ9 -\x80\xff@";
                chunk[at] = b;
                let letters = ascii_letters(u64::from_le_bytes(chunk));
                for (k, &c) in chunk.iter().enumerate() {
                    let bit = 0x80u64 << (8 * k);
                    assert_eq!(
                        letters & bit != 0,
                        c.is_ascii_alphabetic(),
                        "byte {c:#x} at {k}"
                    );
                }
            }
        }
    }

    proptest! {
        #[test]
        fn word_runs_count_as_chars_do(words in proptest::collection::vec(
            "the|and|und|der|les|et|de|een|het|[a-zA-ZäöüßéÄÉ]{0,14}|[0-9 ,.;'\n-]{1,3}|[\\PC]{1,3}", 0..300)) {
            let text = words.concat();
            prop_assert_eq!(by_stop_words(&text), by_stop_words_slowly(&text));
            let spaced = words.join(" ");
            prop_assert_eq!(by_stop_words(&spaced), by_stop_words_slowly(&spaced));
        }

        #[test]
        fn never_panics_and_returns_a_known_code(text in any::<String>()) {
            let code = guess_lang(&text);
            prop_assert!(CODES.contains(&code));
        }

        #[test]
        fn never_panics_on_word_soup(words in proptest::collection::vec(
            "[a-zA-ZäöüßéèàçłąęśżźćńóÄÖÜÉŁ]{0,30}|[\\p{Han}]{1,5}|[\\p{Cyrillic}]{1,8}", 0..200)) {
            let text = words.join(" ");
            prop_assert!(CODES.contains(&guess_lang(&text)));
        }
    }
}
