//! Any text through the fast tokenizer and the Hugging Face reference: the
//! same words and spans, or a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static HF: OnceLock<tokenizers::Tokenizer> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let hf = HF.get_or_init(|| pmpo::internals::build_hf_tokenizer(["roadmap"]).expect("tokenizer"));
    let mut fast = pmpo::internals::FastTokenizer::new();
    let mut toks = pmpo::internals::Tokens::new();
    fast.tokenize(&text, &mut toks);
    let got: Vec<(String, usize, usize)> = toks.iter().map(|(w, s, e)| (w.to_string(), s, e)).collect();
    let want = pmpo::internals::hf_words(hf, &text).expect("reference");
    assert_eq!(got, want, "text: {text:?}");
});
